package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/alerts"
	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/store"
)

// needTool finds a Debian tool the end-to-end tests drive: missing in CI
// is a failure, missing on a developer's machine a skip.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: install the Debian package %s", name, pkg)
		}
		t.Skipf("%s not installed (Debian package %s)", name, pkg)
	}
	return p
}

// startProcess runs a server for the test's lifetime and waits for url to
// answer 200.
func startProcess(t *testing.T, name, url string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, name, args...)
	var logs strings.Builder
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logs.Write(p) })
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
		if t.Failed() {
			mu.Lock()
			t.Logf("%s logs:\n%s", filepath.Base(name), logs.String())
			mu.Unlock()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		select {
		case <-done:
			t.Fatalf("%s exited before it was ready", name)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready at %s", name, url)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// The whole chain: exporter → Prometheus with the project's rules →
// Alertmanager with the generated routing → each department's webhook.
func TestAlertsReachTheResponsibleDepartment(t *testing.T) {
	promBin := needTool(t, "prometheus", "prometheus")
	amBin := needTool(t, "prometheus-alertmanager", "prometheus-alertmanager")
	dir := t.TempDir()

	// A plan whose dates, relative to today, make one indicator lag, one
	// overdue and one on track.
	now := time.Now()
	day := func(d time.Time) string { return d.Format("2006-01-02") }
	start, future, past := now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0), now.AddDate(0, 0, -30)
	plan := fmt.Sprintf(`
[plan]
name = "告警测试计划"
start = %s
coordinator = "ndrc"

[[department]]
id = "ndrc"
name = "省发展改革委"
[[department]]
id = "housing"
name = "省住房城乡建设厅"
[[department]]
id = "transport"
name = "省交通运输厅"

[[region]]
id = "shandong"
name = "山东省"
level = "province"

[[indicator]]
id = "roads_lagging"
task = 34
section = "三、深入实施城镇建设绿色化行动"
name = "新增城市道路"
unit = "公里"
measure = "increment"
target = 3600
deadline = %s
lead = ["housing"]

[[indicator]]
id = "parks_overdue"
task = 46
section = "三、深入实施城镇建设绿色化行动"
name = "建成城市公园"
unit = "个"
measure = "increment"
target = 30
deadline = %s
lead = ["transport"]

[[indicator]]
id = "stations_on_track"
task = 36
section = "三、深入实施城镇建设绿色化行动"
name = "新建充换电站"
unit = "座"
measure = "increment"
target = 2000
deadline = %s
lead = ["ndrc"]
`, day(start), day(future), day(past), day(future))
	planFile := filepath.Join(dir, "plan.toml")
	if err := os.WriteFile(planFile, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := config.LoadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "data"), p)
	if err != nil {
		t.Fatal(err)
	}
	yesterday := now.AddDate(0, 0, -1)
	var obs []store.Observation
	for _, o := range []struct {
		ind string
		v   float64
	}{{"roads_lagging", 360}, {"parks_overdue", 12}, {"stations_on_track", 1000}} {
		obs = append(obs, store.Observation{Indicator: o.ind, Region: "shandong", AsOf: time.Date(yesterday.Year(), yesterday.Month(), yesterday.Day(), 0, 0, 0, 0, p.Location),
			Value: o.v, Raw: fmt.Sprint(o.v), ReceivedAt: now, Department: "ndrc", Source: "e2e.csv", Line: 2})
	}
	if err := st.Commit(context.Background(), store.Batch{SHA256: "alerting-e2e", Department: "ndrc", Source: "e2e.csv", ReceivedAt: now, Observations: obs}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	exp := startDaemon(t, "--config="+planFile, "--storage.path="+filepath.Join(dir, "data"), "--inbox.dir="+filepath.Join(dir, "inbox"),
		"--inbox.archive-dir="+filepath.Join(dir, "archive"), "--inbox.rejected-dir="+filepath.Join(dir, "rejected"))

	// Webhooks: record every alert by the receiver path it came to.
	var mu sync.Mutex
	got := map[string][]map[string]string{} // path → alerts' labels
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var msg struct {
			Alerts []struct {
				Status      string            `json:"status"`
				Labels      map[string]string `json:"labels"`
				Annotations map[string]string `json:"annotations"`
			} `json:"alerts"`
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &msg); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		mu.Lock()
		for _, a := range msg.Alerts {
			if a.Status == "firing" {
				l := a.Labels
				l["__summary"] = a.Annotations["summary"]
				got[r.URL.Path] = append(got[r.URL.Path], l)
			}
		}
		mu.Unlock()
	}))
	defer hook.Close()

	// Alertmanager with the generated routing, webhooks pointed at the test.
	amAddr := freeAddr(t)
	amCfg, err := alerts.AlertmanagerConfig([]string{"ndrc", "housing", "transport"}, alerts.Options{
		DepartmentURL: hook.URL + "/dept/" + alerts.IDPlaceholder, LeadersURL: hook.URL + "/leaders", DefaultURL: hook.URL + "/default",
		GroupWait: time.Second, GroupInterval: time.Second, RepeatInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "am.yml"), amCfg, 0o644); err != nil {
		t.Fatal(err)
	}
	startProcess(t, amBin, "http://"+amAddr+"/-/ready", "--config.file="+filepath.Join(dir, "am.yml"),
		"--storage.path="+filepath.Join(dir, "am"), "--web.listen-address="+amAddr, "--cluster.listen-address=")

	// The project's rules with every for/keep_firing_for at 0, so the test
	// does not wait an hour; expressions, labels and annotations unchanged.
	rules, err := os.ReadFile("../../alerts/rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	rules = regexp.MustCompile(`(?m)^(\s+)(for|keep_firing_for): .*$`).ReplaceAll(rules, []byte("${1}${2}: 0s"))
	if err := os.WriteFile(filepath.Join(dir, "rules.yml"), rules, 0o644); err != nil {
		t.Fatal(err)
	}
	promAddr := freeAddr(t)
	promCfg := fmt.Sprintf(`global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [%s]
alerting: {alertmanagers: [{static_configs: [{targets: ['%s']}]}]}
scrape_configs: [{job_name: indicator_exporter, static_configs: [{targets: ['%s']}]}]
`, filepath.Join(dir, "rules.yml"), amAddr, exp.addr)
	if err := os.WriteFile(filepath.Join(dir, "prom.yml"), []byte(promCfg), 0o644); err != nil {
		t.Fatal(err)
	}
	startProcess(t, promBin, "http://"+promAddr+"/-/ready", "--config.file="+filepath.Join(dir, "prom.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "prom"), "--web.listen-address="+promAddr)

	find := func(path, alertname, indicator string) map[string]string {
		mu.Lock()
		defer mu.Unlock()
		for _, l := range got[path] {
			if l["alertname"] == alertname && l["indicator"] == indicator {
				return l
			}
		}
		return nil
	}
	deadline := time.Now().Add(60 * time.Second)
	for find("/dept/housing", "IndicatorBehindSchedule", "roads_lagging") == nil || find("/dept/transport", "IndicatorOverdue", "parks_overdue") == nil {
		if time.Now().After(deadline) {
			mu.Lock()
			t.Fatalf("alerts did not arrive within 60s; got %v", got)
		}
		time.Sleep(200 * time.Millisecond)
	}
	lag := find("/dept/housing", "IndicatorBehindSchedule", "roads_lagging")
	for k, want := range map[string]string{"department": "housing", "task": "34", "region": "shandong", "name": "新增城市道路"} {
		if lag[k] != want {
			t.Errorf("lagging alert label %s = %q, want %q (labels %v)", k, lag[k], want, lag)
		}
	}
	over := find("/dept/transport", "IndicatorOverdue", "parks_overdue")
	if over["severity"] != "critical" || over["department"] != "transport" || over["task"] != "46" {
		t.Errorf("overdue alert labels: %v", over)
	}
	// Critical alerts also reach the leaders.
	if find("/leaders", "IndicatorOverdue", "parks_overdue") == nil {
		t.Error("the critical overdue alert did not reach the leaders' receiver")
	}
	// Give the on-track indicator the same chance, then check it stayed quiet.
	time.Sleep(3 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	for path, ls := range got {
		for _, l := range ls {
			if l["indicator"] == "stations_on_track" {
				t.Errorf("on-track indicator alerted at %s: %v", path, l)
			}
			if strings.HasPrefix(path, "/dept/") && l["department"] != strings.TrimPrefix(path, "/dept/") {
				t.Errorf("alert for %s delivered to %s", l["department"], path)
			}
		}
	}
}
