package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/store"
)

// binary is the exporter built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "indicator_exporter-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "indicator_exporter")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "cannot build the exporter:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// daemon is a running exporter process.
type daemon struct {
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
	done chan error
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startDaemon(t *testing.T, args ...string) *daemon {
	t.Helper()
	d := &daemon{addr: freeAddr(t), logs: &bytes.Buffer{}, done: make(chan error, 1)}
	d.cmd = exec.Command(binary, append([]string{"--web.listen-address=" + d.addr}, args...)...)
	d.cmd.Stdout, d.cmd.Stderr = d.logs, d.logs
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.done <- d.cmd.Wait() }()
	t.Cleanup(func() {
		d.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("exporter logs:\n%s", d.logs)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + d.addr + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return d
			}
		}
		select {
		case err := <-d.done:
			t.Fatalf("exporter exited before it was ready: %v\n%s", err, d.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("exporter not ready after 20s\n%s", d.logs)
	return nil
}

func (d *daemon) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + d.addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (d *daemon) post(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Post("http://"+d.addr+path, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// sample returns the value of the series whose line starts with prefix,
// spelled as strconv 'g' spells it (1.2e+06), whatever the exposition's
// spelling.
func sample(body, prefix string) (string, bool) {
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, prefix) {
			f := strings.Fields(l)
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			if err != nil {
				return f[len(f)-1], true
			}
			return strconv.FormatFloat(v, 'g', -1, 64), true
		}
	}
	return "", false
}

const shippedPlan = "../../config/plan.toml"

func TestShippedPlanServesEveryMetricForEveryIndicator(t *testing.T) {
	plan, err := config.LoadFile(shippedPlan)
	if err != nil {
		t.Fatal(err)
	}
	storage := t.TempDir()
	// One stored report, written through the store as an ingest would.
	st, err := store.Open(storage, plan)
	if err != nil {
		t.Fatal(err)
	}
	first := plan.Targets[0]
	recv := time.Date(2022, 7, 3, 9, 0, 0, 0, plan.Location)
	if err := st.Commit(context.Background(), store.Batch{SHA256: "e2e", Department: first.Lead[0], Source: "e2e.csv", ReceivedAt: recv,
		Observations: []store.Observation{{Indicator: first.ID, Region: plan.TargetRegions(first)[0],
			AsOf: time.Date(2022, 6, 30, 0, 0, 0, 0, plan.Location), Value: 1, Raw: "1", ReceivedAt: recv,
			Department: first.Lead[0], Source: "e2e.csv", Line: 2}}}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	dir := t.TempDir() // not ./inbox in the source tree
	d := startDaemon(t, "--config="+shippedPlan, "--storage.path="+storage, "--inbox.dir="+filepath.Join(dir, "inbox"),
		"--inbox.archive-dir="+filepath.Join(dir, "archive"), "--inbox.rejected-dir="+filepath.Join(dir, "rejected"))
	code, body := d.get(t, "/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for _, tg := range plan.Targets {
		id := `indicator="` + tg.ID + `"`
		for _, m := range []string{"indicator_info{", "indicator_responsibility{"} {
			if !regexp.MustCompile(regexp.QuoteMeta(m) + `[^}]*` + regexp.QuoteMeta(id)).MatchString(body) {
				t.Errorf("%s missing for %s", m, tg.ID)
			}
		}
		for _, r := range plan.TargetRegions(tg) {
			lbl := `{indicator="` + tg.ID + `",region="` + r + `"}`
			for _, m := range []string{"indicator_target_value", "indicator_expected_progress_ratio"} {
				if tg.Ongoing() && m == "indicator_expected_progress_ratio" && (tg.Period == "by_deadline" || tg.Kind == "milestone") {
					continue // no pace without a deadline
				}
				if _, ok := sample(body, m+lbl); !ok {
					t.Errorf("%s%s missing", m, lbl)
				}
			}
			if !strings.Contains(body, `indicator_status{indicator="`+tg.ID+`",region="`+r+`",status="no_data"}`) {
				t.Errorf("indicator_status missing for %s/%s", tg.ID, r)
			}
		}
		if !tg.Ongoing() {
			if _, ok := sample(body, `indicator_deadline_timestamp_seconds{indicator="`+tg.ID+`"}`); !ok {
				t.Errorf("deadline missing for %s", tg.ID)
			}
		}
	}
	// The stored report is served after start: state rebuilt from the store.
	lbl := `{indicator="` + first.ID + `",region="` + plan.TargetRegions(first)[0] + `"}`
	if v, ok := sample(body, "indicator_current_value"+lbl); !ok || v != "1" {
		t.Errorf("stored value not served: %q %v", v, ok)
	}
	if v, ok := sample(body, "indicator_last_report_timestamp_seconds"+lbl); !ok || v != fmt.Sprint(time.Date(2022, 6, 30, 0, 0, 0, 0, plan.Location).Unix()) && v != "1.6565184e+09" {
		t.Errorf("last report timestamp = %q", v)
	}
	for _, m := range []string{"indicator_department_info{", "indicator_region_info{", "indicator_config_last_reload_successful 1",
		"indicator_config_last_reload_success_timestamp_seconds ", "go_goroutines ", "process_resident_memory_bytes ", "indicator_exporter_build_info{"} {
		if !strings.Contains(body, m) {
			t.Errorf("%s missing from /metrics", m)
		}
	}
	promtoolCheckMetrics(t, body)
}

// promtoolCheckMetrics runs the real promtool over the exposition, as an
// operator would; promtool exits non-zero on any lint problem.
func promtoolCheckMetrics(t *testing.T, body string) {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("promtool not found: install the Debian package prometheus")
		}
		t.Skip("promtool not installed")
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestReloadKeepsOldPlanOnErrorAndAppliesValidOne(t *testing.T) {
	dir := t.TempDir()
	planFile, good := copyTestPlan(t, dir)
	d := startDaemon(t, "--config="+planFile, "--storage.path="+filepath.Join(dir, "data"))

	if code, _ := d.get(t, "/-/reload"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /-/reload = %d, want 405", code)
	}

	// A broken plan: POST reports the error, the old plan keeps serving.
	if err := os.WriteFile(planFile, append(append([]byte{}, good...), []byte("\n[[indicator]]\nid = \"x\"\nbogus = 1\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, msg := d.post(t, "/-/reload")
	if code != http.StatusInternalServerError || !strings.Contains(msg, "bogus") {
		t.Errorf("POST /-/reload with a bad plan = %d %q; want 500 naming the bad key", code, msg)
	}
	_, body := d.get(t, "/metrics")
	if v, _ := sample(body, "indicator_config_last_reload_successful "); v != "0" {
		t.Errorf("reload gauge = %q after a failed reload, want 0", v)
	}
	if _, ok := sample(body, `indicator_target_value{indicator="income_ratio",region="shandong"}`); !ok {
		t.Error("old plan stopped serving after a failed reload")
	}

	// A valid change through SIGHUP: the new target is served.
	changed := bytes.Replace(good, []byte("target = 2.25"), []byte("target = 2.2"), 1)
	if err := os.WriteFile(planFile, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body = d.get(t, "/metrics")
		v, _ := sample(body, `indicator_target_value{indicator="income_ratio",region="shandong"}`)
		ok, _ := sample(body, "indicator_config_last_reload_successful ")
		if v == "2.2" && ok == "1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("SIGHUP reload not applied: target %q, reload gauge %q", v, ok)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A valid change through POST /-/reload: the very next scrape shows it.
	changed = bytes.Replace(good, []byte("target = 2.25"), []byte("target = 2.1"), 1)
	if err := os.WriteFile(planFile, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, msg := d.post(t, "/-/reload"); code != http.StatusOK {
		t.Fatalf("POST /-/reload with a valid plan = %d %q", code, msg)
	}
	_, body = d.get(t, "/metrics")
	if v, _ := sample(body, `indicator_target_value{indicator="income_ratio",region="shandong"}`); v != "2.1" {
		t.Errorf("first scrape after a successful reload shows target %q, want 2.1", v)
	}

	// SIGTERM: a clean exit with status 0.
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit 15s after SIGTERM")
	}
}

func TestCheckCommandExitCodes(t *testing.T) {
	out, err := exec.Command(binary, "check", shippedPlan).CombinedOutput()
	if err != nil {
		t.Fatalf("check of the shipped plan failed: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "SUCCESS") {
		t.Errorf("check output: %s", out)
	}
	out, err = exec.Command(binary, "check", "../../config/testdata/invalid/unknown_key.toml").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("check of an invalid plan: want exit 1, got %v", err)
	}
	if !strings.Contains(string(out), "unknown_key.toml:34") || !strings.Contains(string(out), "targt") {
		t.Errorf("check output should name file, line and key:\n%s", out)
	}
}

// A dropped file shows on /metrics within seconds, and a value accepted
// before kill -9 is still served after a restart.
func TestDropIsServedAndSurvivesKill9(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--config=../../collector/testdata/plan.toml", "--storage.path=" + filepath.Join(dir, "data"),
		"--inbox.dir=" + filepath.Join(dir, "inbox"), "--inbox.archive-dir=" + filepath.Join(dir, "archive"),
		"--inbox.rejected-dir=" + filepath.Join(dir, "rejected"), "--inbox.settle-period=200ms"}
	d := startDaemon(t, args...)
	dropFile(t, filepath.Join(dir, "inbox", "housing", "q2.csv"), "指标,数值,截至日期\n老旧小区改造户数,\"1,200,000\",2023-06-30\n")
	const series = `indicator_current_value{indicator="renovated_households",region="shandong"}`
	start := time.Now()
	for {
		_, body := d.get(t, "/metrics")
		if v, ok := sample(body, series); ok {
			if v != "1.2e+06" {
				t.Fatalf("served %s, want 1.2e+06", v)
			}
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("dropped file not on /metrics within 5s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("drop to /metrics: %v (settle period 200ms)", time.Since(start))
	// The value is served as soon as it is committed; the file is then
	// archived and counted, a moment later.
	for f := ""; f != "1"; {
		_, body := d.get(t, "/metrics")
		if f, _ = sample(body, `indicator_inbox_files_total{department="housing",result="accepted"}`); f != "1" && time.Since(start) > 5*time.Second {
			t.Fatalf("accepted files counter = %q", f)
		}
		time.Sleep(10 * time.Millisecond)
	}

	if err := d.cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown code runs
		t.Fatal(err)
	}
	<-d.done
	again := startDaemon(t, args...)
	_, body := again.get(t, "/metrics")
	if v, ok := sample(body, series); !ok || v != "1.2e+06" {
		t.Fatalf("after kill -9 and restart: %s = %q, %v", series, v, ok)
	}
}

// A listen address already in use is an error the daemon exits with, not
// a hang.
func TestAddressInUseExitsWithAnError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	cmd := exec.Command(binary, "--web.listen-address="+l.Addr().String(), "--config=../../collector/testdata/plan.toml",
		"--storage.path="+filepath.Join(dir, "data"), "--inbox.dir="+filepath.Join(dir, "inbox"),
		"--inbox.archive-dir="+filepath.Join(dir, "archive"), "--inbox.rejected-dir="+filepath.Join(dir, "rejected"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(out.String(), "address already in use") {
			t.Fatalf("exit %v, want 1 saying the address is in use:\n%s", err, out.String())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("daemon still running 15 s after failing to listen:\n%s", out.String())
	}
}

// A second exporter on the storage of a running one exits at once saying
// why: two would each persist their own view of the database.
func TestSecondExporterOnOneStorageIsRefused(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	release, err := store.Lock(data) // the running exporter
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	cmd := exec.Command(binary, "--web.listen-address=127.0.0.1:0", "--config=../../collector/testdata/plan.toml",
		"--storage.path="+data, "--inbox.dir="+filepath.Join(dir, "inbox"),
		"--inbox.archive-dir="+filepath.Join(dir, "archive"), "--inbox.rejected-dir="+filepath.Join(dir, "rejected"))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "in use by another indicator_exporter") {
		t.Fatalf("exit %v, want 1 saying the storage is in use:\n%s", err, out)
	}
}

// A reload that moves a reported target's deadline serves what a restart
// on the new plan serves: the state's digests are made again for the
// moved target (store.SetPlan), not read as made for the old one.
func TestReloadThatMovesATargetServesWhatARestartServes(t *testing.T) {
	dir := t.TempDir()
	planFile, good := copyTestPlan(t, dir)
	args := []string{"--config=" + planFile, "--storage.path=" + filepath.Join(dir, "data"),
		"--inbox.dir=" + filepath.Join(dir, "inbox"), "--inbox.archive-dir=" + filepath.Join(dir, "archive"),
		"--inbox.rejected-dir=" + filepath.Join(dir, "rejected"), "--inbox.settle-period=100ms"}
	d := startDaemon(t, args...)
	dropFile(t, filepath.Join(dir, "inbox", "housing", "h.csv"),
		"指标,数值,截至日期\n老旧小区改造户数,300000,2021-12-31\n老旧小区改造户数,700000,2022-06-30\n老旧小区改造户数,1100000,2023-06-30\n")
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		_, body := d.get(t, "/metrics")
		if v, _ := sample(body, `indicator_current_value{indicator="renovated_households",region="shandong"}`); v == "1.1e+06" {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("dropped file not on /metrics within 10s")
		}
	}
	// Neither depends on the instant of the scrape.
	names := []string{"indicator_current_value", "indicator_baseline_value", "indicator_projected_value",
		"indicator_projected_progress_ratio", "indicator_projected_achievement_timestamp_seconds",
		"indicator_last_report_timestamp_seconds", "indicator_deadline_timestamp_seconds", "indicator_status"}
	series := func(body string) string {
		var out []string
		for _, l := range strings.Split(body, "\n") {
			for _, n := range names {
				if strings.HasPrefix(l, n+"{") && strings.Contains(l, `indicator="renovated_households"`) {
					out = append(out, l)
				}
			}
		}
		return strings.Join(out, "\n")
	}
	moved := bytes.Replace(good, []byte("target = 1500000\ndeadline = 2023-12-31"), []byte("target = 1500000\ndeadline = 2027-12-31"), 1)
	if bytes.Equal(moved, good) {
		t.Fatal("the test plan no longer has the target this test moves")
	}
	if err := os.WriteFile(planFile, moved, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, msg := d.post(t, "/-/reload"); code != http.StatusOK {
		t.Fatalf("POST /-/reload = %d %q", code, msg)
	}
	_, body := d.get(t, "/metrics")
	reloaded := series(body)
	if !strings.Contains(reloaded, "indicator_projected_value{") || !strings.Contains(reloaded, "indicator_current_value{") {
		t.Fatalf("after the reload the moved target has no current or projected value:\n%s", reloaded)
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	<-d.done
	again := startDaemon(t, args...)
	_, body = again.get(t, "/metrics")
	if restarted := series(body); restarted != reloaded {
		t.Fatalf("after the reload:\n%s\nafter a restart on the same plan:\n%s", reloaded, restarted)
	}
}

// dropFile puts content at path as a clerk's copy lands: written beside it
// and renamed in, so the inbox never sees half of it.
func dropFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path+".tmp", []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatal(err)
	}
}

// copyTestPlan copies the collector's test plan into dir, for a test that
// edits and reloads it, and returns its path and content.
func copyTestPlan(t *testing.T, dir string) (string, []byte) {
	t.Helper()
	good, err := os.ReadFile("../../collector/testdata/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "plan.toml")
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, good
}
