// Package examples holds the demo data; its test keeps the demo honest.
package examples

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/inbox"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

// The demo must show, on the shipped plan, what examples/README.md says:
// every file but the one with mistakes accepted, and achieved, overdue,
// stale, lagging, ongoing and on-track indicators (no_data takes an
// indicator whose first report is not due yet, which by late 2026 none is).
func TestDemoInboxShowsEveryStatus(t *testing.T) {
	plan, err := config.LoadFile("../config/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "inbox"), os.DirFS("inbox")); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(root, "data"), plan)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in, err := inbox.New(inbox.Options{Dir: filepath.Join(root, "inbox"), ArchiveDir: filepath.Join(root, "archive"),
		RejectedDir: filepath.Join(root, "rejected"), Settle: time.Millisecond},
		func() *indicators.Plan { return plan }, st, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	in.Scan(context.Background())
	time.Sleep(5 * time.Millisecond)
	in.Scan(context.Background())

	var rejected []string
	outcomes, err := st.Outcomes(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		switch o.Result {
		case inbox.Rejected:
			rejected = append(rejected, o.Source)
		case inbox.Accepted:
		default:
			t.Errorf("%s/%s: %s", o.Department, o.Source, o.Result)
		}
	}
	if len(rejected) != 1 || rejected[0] != "住建厅_2024年一季度_有错误.csv" {
		t.Fatalf("rejected files = %v; want only the file with mistakes", rejected)
	}

	// The demo is written for late 2026 (annual targets are judged on
	// 2026's year-to-date reports).
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, plan.Location)
	evals := indicators.Evaluate(plan, st.Data(), now)
	count := map[indicators.Status]int{}
	withData := map[string]bool{}
	for _, e := range evals {
		count[e.Status]++
		if !e.LastReport.IsZero() {
			withData[e.Target.ID] = true
		}
	}
	for _, s := range []indicators.Status{indicators.Achieved, indicators.Overdue, indicators.Stale, indicators.Lagging, indicators.Ongoing, indicators.OnTrack} {
		if count[s] == 0 {
			t.Errorf("no indicator is %s in the demo: %v", s, count)
		}
	}
	if len(withData) < len(plan.Targets)/2 {
		t.Errorf("only %d of %d indicators have demo data", len(withData), len(plan.Targets))
	}
	t.Logf("statuses: %v; %d of %d indicators with data", count, len(withData), len(plan.Targets))
}

// run-demo.sh runs the shipped plan under a name that says it is demo
// data, which every page's header and the API show.
func TestRunDemoMarksThePlanAsDemoData(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("bash", "run-demo.sh", "--version")
	cmd.Env = append(os.Environ(), "DEMO_DIR="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("run-demo.sh --version: %v\n%s", err, out)
	}
	demo, err := config.LoadFile(filepath.Join(dir, "plan.toml"))
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := config.LoadFile("../config/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	if demo.Name != "【示例数据（虚构）】"+shipped.Name {
		t.Errorf("the demo plan is named %q", demo.Name)
	}
	if len(demo.Targets) != len(shipped.Targets) || len(demo.Departments) != len(shipped.Departments) {
		t.Errorf("the demo plan has %d indicators and %d departments, the shipped one %d and %d",
			len(demo.Targets), len(demo.Departments), len(shipped.Targets), len(shipped.Departments))
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "inbox")); len(entries) == 0 {
		t.Error("the demo inbox was not copied")
	}
}
