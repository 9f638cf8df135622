package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/shandong/indicator_exporter/store"
)

// Helpers of the reliability, access and load tests: a daemon process with
// its own folders, log capture safe to read while it runs, parsed scrapes
// and direct reads of its database.

// syncBuffer collects a process's output; safe to read while it writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// site is one daemon's folders: plan, database, inbox, archive, rejected.
type site struct {
	t                                       *testing.T
	dir, plan, data, inbox, archive, reject string
}

func newSite(t *testing.T, plan string) *site {
	t.Helper()
	dir := t.TempDir()
	s := &site{t: t, dir: dir, plan: filepath.Join(dir, "plan.toml"), data: filepath.Join(dir, "data"),
		inbox: filepath.Join(dir, "inbox"), archive: filepath.Join(dir, "archive"), reject: filepath.Join(dir, "rejected")}
	s.writePlan(plan)
	return s
}

func (s *site) writePlan(plan string) {
	s.t.Helper()
	if err := os.WriteFile(s.plan, []byte(plan), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// args are the daemon's flags for this site, then extra.
func (s *site) args(extra ...string) []string {
	return append([]string{"--config=" + s.plan, "--storage.path=" + s.data, "--inbox.dir=" + s.inbox,
		"--inbox.archive-dir=" + s.archive, "--inbox.rejected-dir=" + s.reject, "--inbox.settle-period=200ms"}, extra...)
}

// drop writes a file into a department folder the way uploaders do:
// under a temporary name, then renamed.
func (s *site) drop(dept, name string, data []byte) string {
	s.t.Helper()
	dir := filepath.Join(s.inbox, dept)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p+".tmp", data, 0o644); err != nil {
		s.t.Fatal(err)
	}
	if err := os.Rename(p+".tmp", p); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// files lists the regular files under root, relative to it, sorted.
func files(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// proc is a running exporter process.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string
	base   string // scheme://addr
	client *http.Client
	logs   *syncBuffer
	done   chan error
	exited bool
}

type procOptions struct {
	client   *http.Client // default: a plain client with a timeout
	scheme   string       // default http
	user     string       // basic auth for the readiness probe
	password string
}

// launch starts the exporter with args and waits until /-/ready answers.
func launch(t *testing.T, o procOptions, args ...string) *proc {
	t.Helper()
	if o.client == nil {
		o.client = &http.Client{Timeout: 30 * time.Second}
	}
	if o.scheme == "" {
		o.scheme = "http"
	}
	p := &proc{t: t, addr: freeAddr(t), client: o.client, logs: &syncBuffer{}, done: make(chan error, 1)}
	p.base = o.scheme + "://" + p.addr
	p.cmd = exec.Command(daemonBinary(t), append([]string{"--web.listen-address=" + p.addr}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.kill()
		if strings.Contains(p.logs.String(), "WARNING: DATA RACE") {
			t.Errorf("the race detector reported a data race in the daemon")
		}
		if t.Failed() {
			t.Logf("exporter %s logs:\n%s", p.addr, p.logs)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, p.base+"/-/ready", nil)
		if o.user != "" {
			req.SetBasicAuth(o.user, o.password)
		}
		if resp, err := p.client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		select {
		case err := <-p.done:
			p.exited = true
			t.Fatalf("exporter exited before it was ready: %v\n%s", err, p.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("exporter not ready after 30s\n%s", p.logs)
	return nil
}

var (
	raceBinaryOnce sync.Once
	raceBinary     string
	raceBuildErr   error
)

// daemonBinary is the exporter TestMain built, or under -race one built
// with -race, so that the fault and load tests also look for data races in
// the daemon itself.
func daemonBinary(t *testing.T) string {
	t.Helper()
	if !raceEnabled {
		return binary
	}
	raceBinaryOnce.Do(func() {
		raceBinary = binary + "-race"
		out, err := exec.Command("go", "build", "-race", "-o", raceBinary, ".").CombinedOutput()
		if err != nil {
			raceBuildErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if raceBuildErr != nil {
		t.Fatalf("cannot build the exporter with -race: %v", raceBuildErr)
	}
	return raceBinary
}

// kill sends SIGKILL (no shutdown code runs) and waits for the exit.
func (p *proc) kill() {
	if p.exited {
		return
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	p.exited = true
}

func (p *proc) get(path string) (int, string) {
	p.t.Helper()
	resp, err := p.client.Get(p.base + path)
	if err != nil {
		p.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (p *proc) post(path string) (int, string) {
	p.t.Helper()
	resp, err := p.client.Post(p.base+path, "text/plain", nil)
	if err != nil {
		p.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// scrape fetches /metrics and parses it; a body that does not parse fails
// the test.
func (p *proc) scrape() metrics {
	p.t.Helper()
	code, body := p.get("/metrics")
	if code != 200 {
		p.t.Fatalf("/metrics: %d\n%s", code, body)
	}
	return parseMetrics(p.t, body)
}

// await scrapes until cond holds. /metrics is served from a rendering that
// is refreshed right after each change, so a change shows within moments,
// not necessarily in the very next scrape.
func (p *proc) await(t *testing.T, what string, cond func(metrics) bool) {
	t.Helper()
	eventually(t, 10*time.Second, what, func() bool { return cond(p.scrape()) })
}

// rss is the process's resident memory in bytes, from /proc.
func (p *proc) rss() int64 {
	p.t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		p.t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	p.t.Fatal("no VmRSS in /proc status")
	return 0
}

// metrics is a parsed scrape.
type metrics map[string]*dto.MetricFamily

func parseMetrics(t *testing.T, body string) metrics {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the exposition does not parse: %v", err)
	}
	return fams
}

// get returns the value of the series of name whose labels include
// labels (given as name, value pairs).
func (m metrics) get(name string, labels ...string) (float64, bool) {
	f, ok := m[name]
	if !ok {
		return 0, false
	}
next:
	for _, s := range f.Metric {
		have := map[string]string{}
		for _, l := range s.Label {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case s.Gauge != nil:
			return s.Gauge.GetValue(), true
		case s.Counter != nil:
			return s.Counter.GetValue(), true
		case s.Untyped != nil:
			return s.Untyped.GetValue(), true
		}
	}
	return 0, false
}

// status is the current status of an indicator in a region, "" if none.
func (m metrics) status(indicator, region string) string {
	f, ok := m["indicator_status"]
	if !ok {
		return ""
	}
	for _, s := range f.Metric {
		have := map[string]string{}
		for _, l := range s.Label {
			have[l.GetName()] = l.GetValue()
		}
		if have["indicator"] == indicator && have["region"] == region && s.Gauge.GetValue() == 1 {
			return have["status"]
		}
	}
	return ""
}

// openDB opens the daemon's database beside it, as an auditor with the
// sqlite3 CLI would; the test only reads unless it says otherwise.
func openDB(t *testing.T, dataDir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, store.DBFile)+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// storedRows counts the stored observations (rows of every file's
// chunks); indicatorRows those in the chunks that hold an indicator, which
// is its count when, as in these tests, its files report nothing else.
const (
	storedRows    = `SELECT COALESCE(sum(rows), 0) FROM observation_chunk`
	indicatorRows = `SELECT COALESCE(sum(c.rows), 0) FROM chunk_indicator ci JOIN observation_chunk c ON c.id = ci.chunk WHERE ci.indicator = ?`
)

func count(t *testing.T, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// eventually polls ok every 20ms until it holds or d has passed.
func eventually(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Cities of Shandong: the province and its 16 cities are the 17 regions of
// the generated plans.
var cities = []string{"jinan", "qingdao", "zibo", "zaozhuang", "dongying", "yantai", "weifang", "jining",
	"taian", "weihai", "rizhao", "linyi", "dezhou", "liaocheng", "binzhou", "heze"}

const generatedDepartments = 5

// generatedPlan is a plan of n each-city indicators (16 cities plus the
// province roll-up: 17 regions each), led in turn by dept00…dept04.
func generatedPlan(n int) string {
	var b strings.Builder
	b.WriteString("[plan]\nname = \"生成的测试计划\"\nstart = 2021-01-01\ncoordinator = \"dept00\"\n")
	for d := 0; d < generatedDepartments; d++ {
		fmt.Fprintf(&b, "\n[[department]]\nid = \"dept%02d\"\nname = \"部门%02d\"\n", d, d)
	}
	b.WriteString("\n[[region]]\nid = \"shandong\"\nname = \"山东省\"\nlevel = \"province\"\n")
	for i, c := range cities {
		fmt.Fprintf(&b, "\n[[region]]\nid = \"%s\"\nname = \"城市%02d\"\nlevel = \"city\"\n", c, i)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[[indicator]]\nid = \"ind_%03d\"\ntask = %d\nsection = \"测试\"\nname = \"指标%03d\"\n"+
			"unit = \"个\"\nmeasure = \"increment\"\ntarget = 1000\ndeadline = 2027-12-31\nscope = \"each_city\"\nlead = [\"dept%02d\"]\n",
			i, i+1, i, i%generatedDepartments)
	}
	return b.String()
}
