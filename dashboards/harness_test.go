package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v2"
)

// The harness runs what the stack runs, on loopback: the exporter binary
// (built as the Dockerfile builds it) on the shipped plan with the demo
// inbox, and the Debian Prometheus with deploy/prometheus/prometheus.yml
// (addresses and intervals made local) and alerts/rules.yml.

// requireTool finds a tool of the Debian prometheus package: skipped
// without it, unless CI is set, where a missing tool fails the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: apt-get install -y --no-install-recommends prometheus", name)
		}
		t.Skipf("%s not installed (set CI to make this a failure)", name)
	}
	return path
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

// buildExporter builds the exporter as the Dockerfile does: static
// (CGO_ENABLED=0) and trimmed.
func buildExporter(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "indicator_exporter")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "../cmd/indicator_exporter")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cannot build the exporter: %v\n%s", err, out)
	}
	return bin
}

// process is a started program, stopped when the test ends.
type process struct {
	name   string
	cmd    *exec.Cmd
	logs   *syncBuffer
	exited chan struct{}
	err    error // set before exited is closed
	once   sync.Once
}

func start(t *testing.T, name string, args ...string) *process {
	t.Helper()
	p := &process{name: filepath.Base(name), logs: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(name, args...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("%s logs (last 4 kB):\n%s", p.name, tail(p.logs.String(), 4096))
		}
	})
	return p
}

// stop ends the process with SIGTERM, then SIGKILL after 10 s, and waits
// for it; calling it again does nothing.
func (p *process) stop() {
	p.once.Do(func() {
		select {
		case <-p.exited:
			return
		default:
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
}

// syncBuffer collects a process's output while tests read it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// waitFor polls check until it returns nil, the process exits or the
// timeout passes. Polling only waits for readiness; assertions come after.
func waitFor(t *testing.T, p *process, timeout time.Duration, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not reached after %v: %v", what, timeout, err)
		}
		select {
		case <-p.exited:
			t.Fatalf("%s exited while waiting for %s: %v\n%s", p.name, what, p.err, tail(p.logs.String(), 4096))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func httpGet(u string) (string, error) {
	resp, err := http.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(b), fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return string(b), err
}

// promAPI queries a Prometheus HTTP API.
type promAPI struct{ base string }

type promSample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`  // instant: [unix seconds, "value"]
	Values [][2]any          `json:"values"` // range
}

type promResult struct {
	Type   string
	Vector []promSample // vector or matrix
	Scalar [2]any
}

func (r promResult) empty() bool {
	switch r.Type {
	case "scalar", "string":
		return false
	case "matrix":
		for _, s := range r.Vector {
			if len(s.Values) > 0 {
				return false
			}
		}
		return true
	}
	return len(r.Vector) == 0
}

func (a promAPI) get(path string, params url.Values) (json.RawMessage, error) {
	resp, err := http.Get(a.base + path + "?" + params.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Status    string          `json:"status"`
		Data      json.RawMessage `json:"data"`
		ErrorType string          `json:"errorType"`
		Error     string          `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("%s: %s: undecodable answer: %v", path, resp.Status, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("%s: %s: %s", body.ErrorType, resp.Status, body.Error)
	}
	return body.Data, nil
}

func (a promAPI) result(path string, params url.Values) (promResult, error) {
	data, err := a.get(path, params)
	if err != nil {
		return promResult{}, err
	}
	var d struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return promResult{}, err
	}
	r := promResult{Type: d.ResultType}
	if d.ResultType == "scalar" || d.ResultType == "string" {
		err = json.Unmarshal(d.Result, &r.Scalar)
	} else {
		err = json.Unmarshal(d.Result, &r.Vector)
	}
	return r, err
}

func (a promAPI) instant(expr string, at time.Time) (promResult, error) {
	return a.result("/api/v1/query", url.Values{"query": {expr}, "time": {unixString(at)}})
}

func (a promAPI) rangeQuery(expr string, from, to time.Time, step time.Duration) (promResult, error) {
	return a.result("/api/v1/query_range", url.Values{"query": {expr}, "start": {unixString(from)}, "end": {unixString(to)},
		"step": {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)}})
}

func (a promAPI) labelValues(label, match string) ([]string, error) {
	params := url.Values{}
	if match != "" {
		params.Set("match[]", match)
	}
	data, err := a.get("/api/v1/label/"+label+"/values", params)
	if err != nil {
		return nil, err
	}
	var vs []string
	return vs, json.Unmarshal(data, &vs)
}

func unixString(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64)
}

func sampleValue(v [2]any) float64 {
	s, _ := v[1].(string)
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func sampleTime(v [2]any) time.Time {
	f, _ := v[0].(float64)
	return time.UnixMilli(int64(f * 1000))
}

// stack is a running exporter and Prometheus.
type stack struct {
	dir               string // temporary folder of everything
	plan              string // the shipped plan and one indicator with a forecast (addForecastIndicator)
	exporterBin       string
	exporter          *process
	exporterAddr      string
	storage           string
	prom              *process
	promAddr          string
	promDir           string // TSDB
	promConfig        string
	retention         string
	api               promAPI
	exporterMetrics   string // the exporter's /metrics once the demo is ingested
	inboxFiles        int
	promArgs          []string
	promtool, promBin string
}

// startStack starts the exporter on the demo inbox and Prometheus
// scraping it every second, and waits for the demo to be ingested and for
// a few scrapes and rule evaluations.
func startStack(t *testing.T) *stack {
	t.Helper()
	s := &stack{dir: t.TempDir()}
	s.promtool = requireTool(t, "promtool")
	s.promBin = requireTool(t, "prometheus")
	began := time.Now()
	step := func(what string) {
		t.Logf("%-40s %v", what, time.Since(began).Round(time.Millisecond))
		began = time.Now()
	}
	s.exporterBin = buildExporter(t, s.dir)
	step("exporter built")

	// The exporter moves files it processed, so it gets a copy.
	inbox := filepath.Join(s.dir, "inbox")
	if err := os.CopyFS(inbox, os.DirFS("../examples/inbox")); err != nil {
		t.Fatal(err)
	}
	s.plan = addForecastIndicator(t, s.dir, inbox, time.Now())
	files, _ := filepath.Glob(filepath.Join(inbox, "*", "*.csv"))
	s.inboxFiles = len(files)
	s.storage = filepath.Join(s.dir, "data")
	s.exporterAddr = freeAddr(t)
	s.exporter = start(t, s.exporterBin, "--config="+s.plan, "--storage.path="+s.storage,
		"--inbox.dir="+inbox, "--inbox.archive-dir="+filepath.Join(s.dir, "archive"),
		"--inbox.rejected-dir="+filepath.Join(s.dir, "rejected"), "--inbox.settle-period=100ms",
		"--web.listen-address="+s.exporterAddr)
	taken := regexp.MustCompile(`(?m)^indicator_inbox_files_total\{[^}]*\} (\S+)$`)
	waitFor(t, s.exporter, 20*time.Second, "every demo file taken from the inbox", func() error {
		body, err := httpGet("http://" + s.exporterAddr + "/metrics")
		if err != nil {
			return err
		}
		n := 0.0
		for _, m := range taken.FindAllStringSubmatch(body, -1) {
			v, _ := strconv.ParseFloat(m[1], 64)
			n += v
		}
		if int(n) != s.inboxFiles {
			return fmt.Errorf("%v of %d files taken", n, s.inboxFiles)
		}
		s.exporterMetrics = body
		return nil
	})
	step("demo inbox ingested")

	s.promDir = filepath.Join(s.dir, "prometheus")
	s.promConfig = writePromConfig(t, s.dir, s.exporterAddr)
	s.retention = composeRetention(t)
	s.startPrometheus(t)
	step("Prometheus scraped 3 times, alerts firing")
	return s
}

func (s *stack) startPrometheus(t *testing.T) {
	t.Helper()
	s.promAddr = freeAddr(t)
	s.api = promAPI{base: "http://" + s.promAddr}
	s.prom = start(t, s.promBin, "--config.file="+s.promConfig, "--storage.tsdb.path="+s.promDir,
		"--storage.tsdb.retention.time="+s.retention, "--web.listen-address="+s.promAddr)
	waitFor(t, s.prom, 30*time.Second, "Prometheus ready", func() error {
		_, err := httpGet(s.api.base + "/-/ready")
		return err
	})
	// A few scrapes, and the rules evaluated on them.
	waitFor(t, s.prom, 30*time.Second, "three scrapes of the exporter and firing alerts", func() error {
		r, err := s.api.instant(`count_over_time(up{job="indicator_exporter"}[1m]) >= 3 and up{job="indicator_exporter"} == 1`, time.Now())
		if err != nil {
			return err
		}
		if r.empty() {
			return fmt.Errorf("fewer than three successful scrapes")
		}
		if r, err = s.api.instant(`ALERTS{alertstate="firing"}`, time.Now()); err != nil || r.empty() {
			return fmt.Errorf("no firing alert yet (%v)", err)
		}
		return nil
	})
}

// writePromConfig writes deploy/prometheus/prometheus.yml with the
// exporter's address, one-second intervals and no Alertmanager, and
// alerts/rules.yml where the config's rule_files find it, with every
// `for` shortened to 0s so alerts fire at once.
func writePromConfig(t *testing.T, dir, exporterAddr string) string {
	t.Helper()
	b, err := os.ReadFile("../deploy/prometheus/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["global"] = map[string]any{"scrape_interval": "1s", "evaluation_interval": "1s", "scrape_timeout": "1s"}
	delete(cfg, "alerting")
	var jobs []any
	for _, j := range cfg["scrape_configs"].([]any) {
		job := j.(map[any]any)
		if job["job_name"] == "indicator_exporter" {
			job["static_configs"] = []any{map[string]any{"targets": []string{exporterAddr}}}
			jobs = append(jobs, job)
		}
	}
	if len(jobs) != 1 {
		t.Fatal("deploy/prometheus/prometheus.yml has no job indicator_exporter")
	}
	cfg["scrape_configs"] = jobs
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	rules, err := os.ReadFile("../alerts/rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	rules = regexp.MustCompile(`(?m)^(\s+)for: \S+`).ReplaceAll(rules, []byte("${1}for: 0s"))
	if err := os.MkdirAll(filepath.Join(dir, "rules"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules", "indicator.yml"), rules, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// composeRetention is the --storage.tsdb.retention.time of the stack's
// Prometheus, so backfilled history is kept as the stack keeps it.
func composeRetention(t *testing.T) string {
	t.Helper()
	c := readCompose(t)
	for _, a := range c.Services["prometheus"].Command {
		if v, ok := strings.CutPrefix(a, "--storage.tsdb.retention.time="); ok {
			return v
		}
	}
	t.Fatal("docker-compose.yml: prometheus has no --storage.tsdb.retention.time")
	return ""
}

// backfill writes the exporter's history (it keeps running, as in the
// stack) and turns it into blocks in Prometheus's data folder, with
// Prometheus stopped, then starts it again.
func (s *stack) backfill(t *testing.T) string {
	t.Helper()
	om := filepath.Join(s.dir, "history.om")
	out, err := exec.Command(s.exporterBin, "--config="+s.plan, "--storage.path="+s.storage, "backfill", "--out="+om).CombinedOutput()
	if err != nil {
		t.Fatalf("backfill: %v\n%s", err, out)
	}
	s.prom.stop()
	if out, err := exec.Command(s.promtool, "tsdb", "create-blocks-from", "openmetrics", om, s.promDir).CombinedOutput(); err != nil {
		t.Fatalf("promtool tsdb create-blocks-from openmetrics: %v\n%s", err, out)
	}
	s.startPrometheus(t)
	return om
}

// addForecastIndicator writes the shipped plan with one more indicator,
// due two years from now, and a drop of two reports for it a month apart
// whose trend reaches the target within a year: the demo's dates are
// fixed and time moves on, while a forecast (projected value, progress
// and reach day) needs a deadline ahead and a target not yet met. It
// returns the plan's path.
func addForecastIndicator(t *testing.T, dir, inbox string, now time.Time) string {
	t.Helper()
	shipped, err := os.ReadFile("../config/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	today := now.In(loc)
	plan := filepath.Join(dir, "plan.toml")
	extra := fmt.Sprintf(`
[[indicator]]
id = "dashboard_forecast_check"
task = 102
section = "六、工作保障"
name = "仪表盘测试指标（趋势预测）"
kind = "quantitative"
unit = "个"
direction = "at_least"
measure = "increment"
target = 1000
deadline = %s
period = "by_deadline"
scope = "province"
lead = ["ndrc"]
participants = []
`, today.AddDate(2, 0, 0).Format(time.DateOnly))
	if err := os.WriteFile(plan, append(shipped, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	// 600 then 650 a month later: 1000 about seven months on.
	csv := fmt.Sprintf("指标,数值,截至日期,备注\ndashboard_forecast_check,600,%s,测试数据\ndashboard_forecast_check,650,%s,测试数据\n",
		today.AddDate(0, 0, -60).Format(time.DateOnly), today.AddDate(0, 0, -30).Format(time.DateOnly))
	if err := os.WriteFile(filepath.Join(inbox, "ndrc", "仪表盘测试.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	return plan
}
