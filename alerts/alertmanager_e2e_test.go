package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// webhookSink records which alerts reached which webhook path.
type webhookSink struct {
	mu  sync.Mutex
	got map[string][]string // path -> "alertname/severity/indicator/region" (or department)
}

func (s *webhookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Alerts []struct {
			Status string            `json:"status"`
			Labels map[string]string `json:"labels"`
		} `json:"alerts"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range msg.Alerts {
		if a.Status != "firing" {
			continue
		}
		l := a.Labels
		key := l["alertname"] + "/" + l["severity"] + "/" + l["indicator"] + "/" + l["region"]
		if l["indicator"] == "" {
			key = l["alertname"] + "/" + l["severity"] + "/" + l["department"]
		}
		if !slices.Contains(s.got[r.URL.Path], key) {
			s.got[r.URL.Path] = append(s.got[r.URL.Path], key)
		}
	}
}

func (s *webhookSink) snapshot() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]string, len(s.got))
	for k, v := range s.got {
		v = slices.Clone(v)
		sort.Strings(v)
		out[k] = v
	}
	return out
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestAlertmanagerDelivers runs a real Alertmanager with the generated
// configuration (webhooks pointed at a local server) and checks routing and
// inhibition end to end.
func TestAlertmanagerDelivers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts prometheus-alertmanager")
	}
	bin := tool(t, "prometheus-alertmanager")

	sink := &webhookSink{got: map[string][]string{}}
	srv := httptest.NewServer(sink)
	defer srv.Close()

	cfg, err := AlertmanagerConfig(planDepartments, Options{
		DepartmentURL:  srv.URL + "/dept/" + IDPlaceholder,
		LeadersURL:     srv.URL + "/leaders",
		DefaultURL:     srv.URL + "/default",
		GroupWait:      time.Second,
		GroupInterval:  time.Second,
		RepeatInterval: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(cfgFile, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, bin,
		"--config.file="+cfgFile,
		"--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr,
		"--cluster.listen-address=",
		"--log.level=warn",
	)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("alertmanager log:\n%s", logs.String())
		}
	})
	base := "http://" + addr
	if !waitFor(15*time.Second, func() bool {
		resp, err := http.Get(base + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}) {
		t.Fatal("alertmanager did not become ready")
	}

	ind := func(name, severity, dept, indicator, region string) map[string]string {
		// departments: every lead, as the rules give it; the first here.
		return map[string]string{"alertname": name, "severity": severity, "department": strings.Split(dept, ",")[0], "departments": dept, "indicator": indicator, "region": region}
	}
	alerts := []map[string]string{
		// ndrc/gdp_growth: overdue, which silences the schedule and forecast alerts.
		ind("IndicatorOverdue", "critical", "ndrc", "gdp_growth", "shandong"),
		ind("IndicatorBehindSchedule", "warning", "ndrc", "gdp_growth", "shandong"),
		ind("IndicatorProjectedToMiss", "warning", "ndrc", "gdp_growth", "shandong"),
		// comms_admin/base_stations_5g jinan: far behind; the warning and the forecast are silenced.
		ind("IndicatorBehindSchedule", "critical", "comms_admin", "base_stations_5g", "jinan"),
		ind("IndicatorBehindSchedule", "warning", "comms_admin", "base_stations_5g", "jinan"),
		ind("IndicatorProjectedToMiss", "warning", "comms_admin", "base_stations_5g", "jinan"),
		// The same indicator in qingdao is only behind (warning): not silenced by jinan.
		ind("IndicatorBehindSchedule", "warning", "comms_admin", "base_stations_5g", "qingdao"),
		// big_data: forecast only.
		ind("IndicatorProjectedToMiss", "warning", "big_data", "digital_economy_share", "shandong"),
		// hrss: report overdue; statistics: a rejected file.
		ind("IndicatorReportOverdue", "warning", "hrss", "new_urban_jobs", "shandong"),
		{"alertname": "InboxFileRejected", "severity": "info", "department": "statistics", "departments": "statistics"},
		// Two lead departments: both hear of it.
		ind("IndicatorReportOverdue", "warning", "hrss,big_data", "urban_jobs_co", "shandong"),
		// Sustained level breached past the deadline.
		ind("SustainedTargetBreached", "critical", "ecology_env", "water_quality", "shandong"),
		// Not in the plan's department list.
		ind("IndicatorOverdue", "critical", "unknown_dept", "orphan", "shandong"),
		// The exporter's own alerts.
		{"alertname": "ExporterDown", "severity": "critical", "job": "indicator_exporter", "instance": "exporter:9877"},
		{"alertname": "ExporterConfigReloadFailed", "severity": "warning", "job": "indicator_exporter", "instance": "exporter:9877"},
	}
	var payload []map[string]any
	for _, l := range alerts {
		payload = append(payload, map[string]any{"labels": l, "annotations": map[string]string{"summary": "测试"}})
	}
	body, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/v2/alerts: %s", resp.Status)
	}

	want := map[string][]string{
		"/leaders": {
			"IndicatorBehindSchedule/critical/base_stations_5g/jinan",
			"IndicatorOverdue/critical/gdp_growth/shandong",
			"IndicatorOverdue/critical/orphan/shandong",
			"SustainedTargetBreached/critical/water_quality/shandong",
		},
		"/dept/ndrc": {
			"IndicatorOverdue/critical/gdp_growth/shandong",
		},
		"/dept/comms_admin": {
			"IndicatorBehindSchedule/critical/base_stations_5g/jinan",
			"IndicatorBehindSchedule/warning/base_stations_5g/qingdao",
		},
		"/dept/big_data": {
			"IndicatorProjectedToMiss/warning/digital_economy_share/shandong",
			"IndicatorReportOverdue/warning/urban_jobs_co/shandong",
		},
		"/dept/hrss": {
			"IndicatorReportOverdue/warning/new_urban_jobs/shandong",
			"IndicatorReportOverdue/warning/urban_jobs_co/shandong",
		},
		"/dept/statistics": {
			"InboxFileRejected/info/statistics",
		},
		"/dept/ecology_env": {
			"SustainedTargetBreached/critical/water_quality/shandong",
		},
		"/default": {
			"ExporterConfigReloadFailed/warning/",
			"ExporterDown/critical/",
			"IndicatorOverdue/critical/orphan/shandong",
		},
	}
	// On a timeout, the comparison below shows what arrived.
	waitFor(20*time.Second, func() bool {
		got := sink.snapshot()
		for path, keys := range want {
			if len(got[path]) < len(keys) {
				return false
			}
		}
		return true
	})
	// Give inhibited or misrouted alerts time to show up (group_wait and
	// group_interval are 1s).
	time.Sleep(3 * time.Second)
	got := sink.snapshot()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		var b strings.Builder
		for _, m := range []map[string][]string{got, want} {
			paths := make([]string, 0, len(m))
			for p := range m {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for _, p := range paths {
				fmt.Fprintf(&b, "  %s: %s\n", p, strings.Join(m[p], ", "))
			}
			b.WriteString("want:\n")
		}
		t.Fatalf("notifications differ; got:\n%s", strings.TrimSuffix(b.String(), "want:\n"))
	}
}

// waitFor polls ok until it is true or the timeout passes.
func waitFor(timeout time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}
