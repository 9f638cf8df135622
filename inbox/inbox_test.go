package inbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
	"github.com/shandong/indicator_exporter/submission"
)

type env struct {
	t    *testing.T
	root string
	in   *Inbox
	st   *store.Store
	plan *indicators.Plan
	reg  *prometheus.Registry
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newEnv(t *testing.T, o Options) *env {
	t.Helper()
	plan, err := config.LoadFile("testdata/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	st, err := store.Open(filepath.Join(root, "data"), plan)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o.Dir = filepath.Join(root, "inbox")
	o.ArchiveDir = filepath.Join(root, "archive")
	o.RejectedDir = filepath.Join(root, "rejected")
	if o.Settle == 0 {
		o.Settle = 10 * time.Millisecond
	}
	reg := prometheus.NewRegistry()
	in, err := New(o, func() *indicators.Plan { return plan }, st, quiet(), reg)
	if err != nil {
		t.Fatal(err)
	}
	in.now = func() time.Time { return time.Date(2022, 7, 5, 10, 0, 0, 0, plan.Location) }
	if err := in.Prepare(); err != nil {
		t.Fatal(err)
	}
	return &env{t: t, root: root, in: in, st: st, plan: plan, reg: reg}
}

func (e *env) drop(dept, name string, data []byte) string {
	e.t.Helper()
	p := filepath.Join(e.in.opts.Dir, dept, name)
	if dept == "" {
		p = filepath.Join(e.in.opts.Dir, name)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// settle runs the scan twice around the settle period, as the timer would.
func (e *env) settle() {
	e.in.Scan(context.Background())
	time.Sleep(e.in.opts.Settle + 5*time.Millisecond)
	e.in.Scan(context.Background())
}

func (e *env) series(ind, region string) []indicators.Observation {
	obs, err := e.st.Series(context.Background(), indicators.SeriesKey{Indicator: ind, Region: region})
	if err != nil {
		panic(err)
	}
	return obs
}

func (e *env) count(dept, result string) float64 {
	return testutil.ToFloat64(e.in.m.files.WithLabelValues(dept, result))
}

func (e *env) stored() int64 {
	n, _, err := e.st.Counts(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// moved returns the report written beside the file in root/dept/2022-07-05.
// filesUnder lists the files under one of e's folders (archive,
// rejected), relative to it.
func (e *env) filesUnder(root string) []string {
	e.t.Helper()
	var out []string
	base := filepath.Join(e.root, root)
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) moved(root, dept, name string) string {
	e.t.Helper()
	p := filepath.Join(e.root, root, dept, "2022-07-05", name)
	if _, err := os.Stat(p); err != nil {
		e.t.Fatalf("%s not moved to %s: %v", name, p, err)
	}
	rep, err := os.ReadFile(p + ".report.txt")
	if err != nil {
		e.t.Fatalf("no report beside %s: %v", p, err)
	}
	if !strings.HasPrefix(string(rep), "\ufeff") {
		e.t.Errorf("report lacks the UTF-8 BOM Notepad needs")
	}
	return string(rep)
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGBKFileFromExcelIsAcceptedAndArchived(t *testing.T) {
	e := newEnv(t, Options{})
	// As Excel on Chinese Windows saves "CSV (逗号分隔)": GBK, CRLF.
	src := e.drop("housing", "六月.csv", gbk(t, "指标,地区,数值,截至日期,备注\r\n老旧小区改造户数,山东省,\"900,000\",2022年6月30日,半年\r\n医疗废物集中处置设施,济南,1,2022/6/30,\r\n"))
	e.settle()
	if _, err := os.Stat(src); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("accepted file left in the inbox")
	}
	rep := e.moved("archive", "housing", "六月.csv")
	if !strings.Contains(rep, "已接收 2 行") || !strings.Contains(rep, "accepted: 2 rows") {
		t.Errorf("report does not say 2 rows were accepted:\n%s", rep)
	}
	got := e.series("renovated_households", "shandong")
	if len(got) != 1 || got[0].Value != 900000 || got[0].Date(e.plan.Location).Format("2006-01-02") != "2022-06-30" {
		t.Fatalf("stored series = %+v", got)
	}
	if got := e.series("medical_waste_sites", "jinan"); len(got) != 1 || got[0].Value != 1 {
		t.Fatalf("city row not stored: %+v", got)
	}
	if e.count("housing", Accepted) != 1 || testutil.ToFloat64(e.in.m.rows.WithLabelValues("housing", Accepted)) != 2 {
		t.Error("accepted file or rows not counted")
	}
	if testutil.ToFloat64(e.in.m.lastAccepted.WithLabelValues("housing")) != float64(e.in.now().Unix()) {
		t.Error("last accepted timestamp not set")
	}
}

// A file of 999 good rows and 1 bad row stores nothing.
func TestOneBadRowRejectsTheWholeFile(t *testing.T) {
	e := newEnv(t, Options{})
	var b strings.Builder
	b.WriteString("indicator,region,value,as_of\n")
	for i := 0; i < 999; i++ {
		day := time.Date(2019, 1, 1, 0, 0, 0, 0, e.plan.Location).AddDate(0, 0, i)
		if i == 500 {
			b.WriteString("renovated_households,shandong,abc,2022-06-30\n")
		}
		fmt.Fprintf(&b, "renovated_households,shandong,%d,%s\n", 1000+i, day.Format("2006-01-02"))
	}
	e.drop("housing", "big.csv", []byte(b.String()))
	e.settle()
	if n := e.stored(); n != 0 {
		t.Fatalf("a rejected file stored %d rows", n)
	}
	rep := e.moved("rejected", "housing", "big.csv")
	if !strings.Contains(rep, "第 502 行") || !strings.Contains(rep, "line 502") || !strings.Contains(rep, "abc") {
		t.Errorf("report should name line 502 and the bad cell:\n%s", rep)
	}
	if e.count("housing", Rejected) != 1 || e.count("housing", Accepted) != 0 {
		t.Error("rejection not counted")
	}
	// The outcome and its report are kept for the web page.
	outs, err := e.st.Outcomes(context.Background(), "housing", 10)
	if err != nil || len(outs) != 1 || outs[0].Result != Rejected || outs[0].Source != "big.csv" || outs[0].Report != rep {
		t.Errorf("outcome not recorded with its report: %+v %v", outs, err)
	}
}

func TestUnauthorisedRowsAreRefused(t *testing.T) {
	e := newEnv(t, Options{})
	// income_ratio is led by ndrc only; housing may not report it.
	e.drop("housing", "x.csv", []byte("indicator,value,as_of\nincome_ratio,2.4,2022-06-30\n"))
	e.settle()
	rep := e.moved("rejected", "housing", "x.csv")
	if !strings.Contains(rep, "income_ratio") || !strings.Contains(strings.ToLower(rep), "not authorised") {
		t.Errorf("report should say housing is not authorised for income_ratio:\n%s", rep)
	}
	if e.stored() != 0 {
		t.Fatal("unauthorised row stored")
	}
}

// Excel's "Unicode 文本" is UTF-16 with tabs, saved as .txt; a title
// line above the header has no tab to tell the delimiter by.
func TestExcelUnicodeTextIsRead(t *testing.T) {
	e := newEnv(t, Options{})
	text := "山东省城镇化指标报送表\r\nindicator\tas_of\tvalue\r\nrenovated_households\t2021-12-31\t1200\r\n"
	b := []byte{0xFF, 0xFE}
	for _, r := range utf16.Encode([]rune(text)) {
		b = append(b, byte(r), byte(r>>8))
	}
	e.drop("housing", "报送表.txt", b)
	e.settle()
	if e.count("housing", Accepted) != 1 {
		t.Fatalf("the .txt file was not accepted: %s", e.moved("rejected", "housing", "报送表.txt"))
	}
	if obs := e.series("renovated_households", "shandong"); len(obs) != 1 || obs[0].Value != 1200 {
		t.Fatalf("stored %+v, want 1200", obs)
	}
}

func TestStrayFilesAreRejectedWithAReport(t *testing.T) {
	e := newEnv(t, Options{})
	e.drop("", "root.csv", []byte("indicator,value,as_of\n"))
	e.drop("police", "p.csv", []byte("indicator,value,as_of\n"))
	e.drop("housing", "notes.xlsx", []byte("PK\x03\x04"))
	e.settle()
	if rep := e.moved("rejected", unknownDept, "root.csv"); !strings.Contains(rep, "department's own folder") {
		t.Errorf("root file report:\n%s", rep)
	}
	if rep := e.moved("rejected", unknownDept, "p.csv"); !strings.Contains(rep, `"police"`) {
		t.Errorf("unknown department report should name the folder:\n%s", rep)
	}
	if rep := e.moved("rejected", "housing", "notes.xlsx"); !strings.Contains(rep, "另存为") || !strings.Contains(rep, "CSV") {
		t.Errorf("workbook report should say to save as CSV:\n%s", rep)
	}
	e.drop("housing", "notes.pdf", []byte("%PDF"))
	e.settle()
	if rep := e.moved("rejected", "housing", "notes.pdf"); !strings.Contains(rep, ".csv") || !strings.Contains(rep, ".txt") {
		t.Errorf("non-CSV report:\n%s", rep)
	}
	if e.count(unknownDept, Rejected) != 2 {
		t.Error("stray files not counted under the unknown department")
	}
}

func TestIgnoredNamesStayUntouched(t *testing.T) {
	e := newEnv(t, Options{})
	names := []string{"~$book.csv", ".hidden.csv", "upload.csv.tmp", "x.CSV.part", "y.csv.crdownload"}
	for _, n := range names {
		e.drop("housing", n, []byte("junk"))
	}
	e.settle()
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(e.in.opts.Dir, "housing", n)); err != nil {
			t.Errorf("%s was touched: %v", n, err)
		}
	}
	if e.count("housing", Rejected)+e.count("housing", Accepted) != 0 {
		t.Error("ignored files were processed")
	}
}

func TestSymlinkIsRejectedNotFollowed(t *testing.T) {
	e := newEnv(t, Options{})
	outside := filepath.Join(e.root, "secret.csv")
	content := "indicator,value,as_of\nrenovated_households,1,2022-06-30\n"
	if err := os.WriteFile(outside, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(e.in.opts.Dir, "housing", "link.csv")); err != nil {
		t.Fatal(err)
	}
	e.settle()
	if e.stored() != 0 {
		t.Fatal("the symlink's target was read and stored")
	}
	e.moved("rejected", "housing", "link.csv")
	if b, err := os.ReadFile(outside); err != nil || string(b) != content {
		t.Fatal("the symlink's target was moved or changed")
	}
}

func TestDuplicateContentIsStoredOnce(t *testing.T) {
	e := newEnv(t, Options{})
	data := []byte("indicator,value,as_of\nrenovated_households,900000,2022-06-30\n")
	e.drop("housing", "a.csv", data)
	e.settle()
	e.drop("housing", "a.csv", data) // the same name again: archived as a-1.csv
	e.settle()
	if n := e.stored(); n != 1 {
		t.Fatalf("stored %d observations, want 1", n)
	}
	rep := e.moved("archive", "housing", "a-1.csv")
	if !strings.Contains(rep, "duplicate") || !strings.Contains(rep, "a.csv") {
		t.Errorf("duplicate report should name the original:\n%s", rep)
	}
	if e.count("housing", Duplicate) != 1 || e.count("housing", Accepted) != 1 {
		t.Error("duplicate not counted")
	}
}

// The same content again is a duplicate even when its rows would be
// refused now (here a date after the clock, turned back): the file is
// hashed while it is parsed, and the duplicate is told before the rows'
// problems, as when it was looked up before the parse.
func TestADuplicateIsToldBeforeItsRowsProblems(t *testing.T) {
	e := newEnv(t, Options{})
	data := []byte("indicator,value,as_of\nrenovated_households,900000,2022-06-30\n")
	e.drop("housing", "a.csv", data)
	e.settle()
	e.in.now = func() time.Time { return time.Date(2021, 1, 1, 10, 0, 0, 0, time.UTC) }
	e.drop("housing", "b.csv", data)
	e.settle()
	if e.count("housing", Duplicate) != 1 || e.count("housing", Rejected) != 0 || e.stored() != 1 {
		t.Fatalf("second drop: %v duplicate, %v rejected, %d stored; want 1, 0, 1",
			e.count("housing", Duplicate), e.count("housing", Rejected), e.stored())
	}
	e.drop("housing", "c.csv", append(data, "renovated_households,950000,2022-09-30\n"...))
	e.settle()
	if e.count("housing", Rejected) != 1 {
		t.Fatal("new content with a date after the clock was not refused: the check above proves nothing")
	}
}

// A crash after the commit but before the move leaves a stored file in
// the inbox; on restart it must not be applied again.
func TestCrashBetweenCommitAndMoveDoesNotApplyTwice(t *testing.T) {
	e := newEnv(t, Options{})
	data := []byte("indicator,value,as_of\nrenovated_households,900000,2022-06-30\n")
	sum := sha256.Sum256(data)
	recv := time.Date(2022, 7, 4, 9, 0, 0, 0, e.plan.Location)
	if err := e.st.Commit(context.Background(), store.Batch{SHA256: hex.EncodeToString(sum[:]), Department: "housing",
		Source: "a.csv", ReceivedAt: recv, Observations: []store.Observation{{Indicator: "renovated_households",
			Region: "shandong", AsOf: time.Date(2022, 6, 30, 0, 0, 0, 0, e.plan.Location), Value: 900000, Raw: "900000",
			ReceivedAt: recv, Department: "housing", Source: "a.csv", Line: 2}}}); err != nil {
		t.Fatal(err)
	}
	e.drop("housing", "a.csv", data)
	e.settle()
	if n := e.stored(); n != 1 {
		t.Fatalf("re-applied after the crash: %d observations", n)
	}
	e.moved("archive", "housing", "a.csv")
}

// TestALargeDuplicateIsNotReadToTheEnd: once the hash (done long before
// the parse; BenchmarkIngest/duplicate) finds the file stored before, its
// reading stops at the next batch of rows, so that a second drop of a
// history import is told in about the time the hash takes.
func TestALargeDuplicateIsNotReadToTheEnd(t *testing.T) {
	dir := t.TempDir()
	p := bulkPlan(t, dir)
	data, rows := bulkFile(1 << 20)
	st, err := store.Open(filepath.Join(dir, "data"), p)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Stored before: only its hash matters to the lookup.
	sum := sha256.Sum256(data.Bytes())
	if err := st.Commit(context.Background(), store.Batch{SHA256: hex.EncodeToString(sum[:]), Department: "housing",
		Source: "history.csv", ReceivedAt: time.Date(2026, 11, 30, 9, 0, 0, 0, p.Location)}); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	in, err := New(Options{Dir: filepath.Join(dir, "inbox"), ArchiveDir: filepath.Join(dir, "archive"),
		RejectedDir: filepath.Join(dir, "rejected"), Settle: time.Millisecond,
		Limits: submission.Limits{MaxBytes: int64(data.Len()) + 1, MaxRows: rows + 1}},
		func() *indicators.Plan { return p }, st, logger, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	in.now = func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, p.Location) }
	in.beforeBatch = func(h *fileHash) { h.wait() } // the hash is known at the first batch, as it is in practice
	if err := in.Prepare(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "inbox", "housing", "history-again.csv"), data.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	in.Scan(context.Background())
	time.Sleep(5 * time.Millisecond)
	in.Scan(context.Background())
	if n := testutil.ToFloat64(in.m.files.WithLabelValues("housing", Duplicate)); n != 1 {
		t.Fatalf("%v duplicates counted, want 1\n%s", n, logs.String())
	}
	m := regexp.MustCompile(`reading stopped early.* after_line=(\d+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("the whole file was read before it was told a duplicate:\n%s", logs.String())
	}
	if line, _ := strconv.Atoi(m[1]); line != 0 {
		t.Errorf("%d lines of %d were stored before the reading stopped, want none", line, rows+1)
	}
}

// TestAFileStoredBeforeARestartGetsItsOwnOutcome: a run that stopped
// after committing a file (with its outcome: where it goes, its report)
// but before the file got there leaves it in the inbox. The next run
// carries that outcome out — the file archived with its acceptance
// report, counted accepted — instead of telling the clerk their only drop
// was a duplicate of itself. A later drop of the same content is a
// duplicate.
func TestAFileStoredBeforeARestartGetsItsOwnOutcome(t *testing.T) {
	for _, stopped := range []string{"before the report", "while writing the report", "after the report"} {
		t.Run(stopped, func(t *testing.T) {
			e := newEnv(t, Options{})
			e.in.now = time.Now // the drop is older than its receipt, as in a real run
			data := []byte("indicator,value,as_of\nrenovated_households,900000,2022-06-30\n")
			e.drop("housing", "a.csv", data)
			recv := time.Now()
			dest := filepath.Join(e.root, "archive", "housing", recv.In(e.plan.Location).Format(time.DateOnly), "a.csv")
			const report = "\ufeff已接收 a.csv（恢复前写下的报告）\n"
			// What the stopped run committed.
			w, err := e.st.Begin(context.Background(), store.Batch{Department: "housing", Source: "a.csv", ReceivedAt: recv})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Add([]store.Observation{{Indicator: "renovated_households", Region: "shandong",
				AsOf: time.Date(2022, 6, 30, 0, 0, 0, 0, e.plan.Location), Value: 900000, Raw: "900000",
				ReceivedAt: recv, Department: "housing", Source: "a.csv", Line: 2}}, false); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(data)
			w.SetSHA256(hex.EncodeToString(sum[:]))
			w.SetOutcome(func(w *store.Writer) store.FileOutcome {
				return store.FileOutcome{Department: "housing", Source: "a.csv", Path: dest, Result: Accepted, Rows: w.Rows(), At: recv, Report: report}
			})
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(dest), 0o750); err != nil {
				t.Fatal(err)
			}
			switch stopped {
			case "while writing the report": // its temp file left half written
				if err := os.WriteFile(filepath.Join(filepath.Dir(dest), reportTemp("a.csv"+reportSuffix)), []byte(report[:9]), 0o600); err != nil {
					t.Fatal(err)
				}
			case "after the report":
				if err := writeReport(dest+reportSuffix, report); err != nil {
					t.Fatal(err)
				}
			}

			e.settle()
			if got, err := os.ReadFile(dest); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("the file is not where its outcome says: %v", err)
			}
			if rep, err := os.ReadFile(dest + reportSuffix); err != nil || string(rep) != report {
				t.Fatalf("report beside it = %q (%v), want the committed one", rep, err)
			}
			if e.count("housing", Accepted) != 1 || e.count("housing", Duplicate) != 0 || e.stored() != 1 {
				t.Fatalf("%v accepted, %v duplicate, %d stored; want 1, 0, 1",
					e.count("housing", Accepted), e.count("housing", Duplicate), e.stored())
			}
			if arch := e.filesUnder("archive"); len(arch) != 2 {
				t.Fatalf("archive holds %v, want the file and its report, nothing else", arch)
			}

			e.drop("housing", "a.csv", data) // the clerk drops it again
			e.settle()
			if e.count("housing", Duplicate) != 1 || e.stored() != 1 {
				t.Fatalf("a second drop of the file: %v duplicate, %d stored; want 1, 1", e.count("housing", Duplicate), e.stored())
			}
			if rep, _ := os.ReadFile(dest + reportSuffix); string(rep) != report {
				t.Error("the second drop overwrote the first one's report")
			}
		})
	}
}

func TestTargetRevisionsOnlyFromTheCoordinator(t *testing.T) {
	e := newEnv(t, Options{})
	// Checkpoints lie ahead of today (2022-07-05): a yearly plan for the
	// coming years, and a revised final target on the deadline date.
	data := []byte("指标,目标值,截至日期\n老旧小区改造户数,1000000,2022-12-31\n老旧小区改造户数,1600000,2023-12-31\n")
	e.drop("housing", "t.csv", data)
	e.settle()
	if rep := e.moved("rejected", "housing", "t.csv"); !strings.Contains(rep, "ndrc") && !strings.Contains(rep, "coordinat") {
		t.Errorf("refusal should say who may revise targets:\n%s", rep)
	}
	e.drop("ndrc", "t.csv", data)
	e.settle()
	e.moved("archive", "ndrc", "t.csv")
	revs := e.st.Data().Revisions[indicators.SeriesKey{Indicator: "renovated_households", Region: "shandong"}]
	if len(revs) != 2 || revs[0].Value != 1000000 {
		t.Fatalf("revisions not stored: %+v", revs)
	}
	// The target in force follows the revision; the plan keeps its value.
	tg, _ := e.plan.Target("renovated_households")
	inForce := indicators.Revise(tg, revs)
	if inForce.Value != 1600000 || tg.Value != 1500000 {
		t.Fatalf("target in force %v (plan %v), want 1600000 (plan 1500000)", inForce.Value, tg.Value)
	}
	if len(inForce.Checkpoints) != 1 || inForce.Checkpoints[0].Value != 1000000 {
		t.Fatalf("checkpoint in force: %+v", inForce.Checkpoints)
	}
}

func TestOversizedFileIsRefusedUnread(t *testing.T) {
	e := newEnv(t, Options{})
	e.in.opts.Limits.MaxBytes = 64
	p := filepath.Join(e.in.opts.Dir, "housing", "huge.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse 1 GB file: refused by its size, never read into memory.
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	e.settle()
	if rep := e.moved("rejected", "housing", "huge.csv"); !strings.Contains(rep, "too large") {
		t.Errorf("report:\n%s", rep)
	}
}

// failing is a store whose commits fail, as on a full disk.
type failing struct {
	Store
	fail bool
}

func (f *failing) Begin(ctx context.Context, b store.Batch) (*store.Writer, error) {
	if f.fail {
		return nil, errors.New("disk full")
	}
	return f.Store.Begin(ctx, b)
}

func TestStoreFailureLeavesTheFileForARetry(t *testing.T) {
	e := newEnv(t, Options{})
	fs := &failing{Store: e.st, fail: true}
	e.in.store = fs
	src := e.drop("housing", "a.csv", []byte("indicator,value,as_of\nrenovated_households,900000,2022-06-30\n"))
	e.settle()
	if _, err := os.Stat(src); err != nil {
		t.Fatal("a valid file that could not be stored left the inbox")
	}
	if testutil.ToFloat64(e.in.m.storeErrors.WithLabelValues("housing")) != 1 {
		t.Error("store failure not counted")
	}
	if testutil.ToFloat64(e.in.m.pending) != 1 {
		t.Error("the file should count as pending")
	}
	fs.fail = false
	e.in.Scan(context.Background())
	if e.stored() != 1 {
		t.Fatal("retry did not store the file")
	}
	e.moved("archive", "housing", "a.csv")
}

// A file written slowly in pieces is read once, whole.
func TestSlowlyWrittenFileIsReadOnceWhole(t *testing.T) {
	e := newEnv(t, Options{Settle: 400 * time.Millisecond, Rescan: "@every 1h"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); e.in.Run(ctx) }()

	p := filepath.Join(e.in.opts.Dir, "housing", "slow.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, "indicator,value,as_of\n")
	const rows = 12
	for i := 0; i < rows; i++ {
		// Each piece ends mid-line, as a copy over a slow share would.
		fmt.Fprintf(f, "renovated_households,%d,2021-%02d-", 1000*(i+1), i+1)
		time.Sleep(60 * time.Millisecond)
		fmt.Fprint(f, "28\n")
		time.Sleep(60 * time.Millisecond)
	}
	f.Close()
	waitFor(t, 10*time.Second, func() bool { return e.count("housing", Accepted)+e.count("housing", Rejected) > 0 })
	cancel()
	<-done
	if e.count("housing", Rejected) != 0 || e.count("housing", Accepted) != 1 {
		t.Fatalf("want one accepted file, got accepted=%v rejected=%v", e.count("housing", Accepted), e.count("housing", Rejected))
	}
	if n := e.stored(); n != rows {
		t.Fatalf("stored %d rows, want all %d", n, rows)
	}
}

// A copy that stalls longer than the settle period settles too early;
// if it goes on while the file is read, what was read is not stored: the
// file is read again once it has settled anew.
func TestFileWrittenWhileReadIsReadAgain(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.drop("housing", "stalled.csv", []byte("indicator,as_of,value\nrenovated_households,2021-12-31,4"))
	e.in.afterRead = func(path string) {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(f, "05\n")
		f.Close()
		e.in.afterRead = nil
	}
	e.settle()
	if _, err := os.Stat(p); err != nil || e.stored() != 0 || e.count("housing", Accepted)+e.count("housing", Rejected) != 0 {
		t.Fatalf("a file that changed while read was handled (stat err %v, %d rows stored)", err, e.stored())
	}
	e.settle()
	if e.count("housing", Accepted) != 1 {
		t.Fatalf("the settled file was not accepted")
	}
	if obs := e.series("renovated_households", "shandong"); len(obs) != 1 || obs[0].Value != 405 {
		t.Fatalf("stored %+v, want the whole value 405", obs)
	}
}

// A clerk in Beijing reads dates in Beijing time, whatever zone the host
// runs in: the archive's day folder and the time in a duplicate's report.
func TestArchiveDayAndReportTimesAreThePlans(t *testing.T) {
	e := newEnv(t, Options{})
	e.in.now = func() time.Time { return time.Date(2022, 7, 4, 20, 30, 0, 0, time.UTC) } // 2022-07-05 04:30 in Beijing
	data := []byte("indicator,as_of,value\nrenovated_households,2021-12-31,1200\n")
	e.drop("housing", "a.csv", data)
	e.settle()
	e.moved("archive", "housing", "a.csv") // the 2022-07-05 folder
	e.drop("housing", "b.csv", data)
	e.settle()
	if rep := e.moved("archive", "housing", "b.csv"); !strings.Contains(rep, "2022-07-05 04:30:00 北京时间") || !strings.Contains(rep, "恢复") {
		t.Errorf("duplicate report should give the first drop's time in Beijing and say how to restore its values:\n%s", rep)
	}
}

// A scan that keeps failing is logged once at error, not every settle
// period (the counter and the alert say it goes on), and its end once.
func TestLastingScanFaultIsLoggedOnce(t *testing.T) {
	e := newEnv(t, Options{})
	var logs bytes.Buffer
	e.in.logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := os.RemoveAll(e.in.opts.Dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.in.opts.Dir, nil, 0o644); err != nil { // a file where the folder should be
		t.Fatal(err)
	}
	for range 3 {
		e.in.Scan(context.Background())
	}
	if n := strings.Count(logs.String(), "cannot scan inbox"); n != 1 {
		t.Errorf("%d error lines for one lasting fault, want 1:\n%s", n, logs.String())
	}
	if got := testutil.ToFloat64(e.in.m.scanErrors); got != 3 {
		t.Errorf("scan errors counted %v, want 3", got)
	}
	os.Remove(e.in.opts.Dir)
	if err := e.in.Prepare(); err != nil {
		t.Fatal(err)
	}
	e.in.Scan(context.Background())
	if !strings.Contains(logs.String(), "inbox readable again") {
		t.Errorf("the end of the fault is not logged:\n%s", logs.String())
	}
}

// A same-size rewrite whose modification time is put back (or falls in a
// share's coarse mtime resolution) is caught by the change time.
func TestSameSizeRewriteWhileReadIsReadAgain(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the change time is read on Linux only")
	}
	e := newEnv(t, Options{})
	p := e.drop("housing", "same.csv", []byte("indicator,as_of,value\nrenovated_households,2021-12-31,4000\n"))
	mtime := time.Date(2022, 7, 5, 9, 0, 0, 0, time.UTC) // whole seconds, as a share keeps them
	os.Chtimes(p, mtime, mtime)
	e.in.afterRead = func(path string) {
		os.WriteFile(path, []byte("indicator,as_of,value\nrenovated_households,2021-12-31,9000\n"), 0o644)
		os.Chtimes(path, mtime, mtime)
		e.in.afterRead = nil
	}
	e.settle()
	e.settle()
	if obs := e.series("renovated_households", "shandong"); len(obs) != 1 || obs[0].Value != 9000 {
		t.Fatalf("stored %+v, want the rewritten 9000", obs)
	}
}

// A GBK sheet with the cities across goes through the streaming path
// whole: one stored value a filled city cell, the total left out.
func TestCitiesAcrossFromExcel(t *testing.T) {
	e := newEnv(t, Options{})
	e.drop("housing", "各市医废设施.csv", gbk(t, "山东省各市医疗废物处置设施报送表\r\n指标,济南市,青岛市,合计,截至日期\r\n医疗废物集中处置设施,1,,1,2022-03-31\r\n医疗废物集中处置设施,1,1,2,2022-06-30\r\n"))
	e.settle()
	if e.count("housing", Accepted) != 1 {
		t.Fatalf("not accepted: %s", e.moved("rejected", "housing", "各市医废设施.csv"))
	}
	if j, q := e.series("medical_waste_sites", "jinan"), e.series("medical_waste_sites", "qingdao"); len(j) != 2 || len(q) != 1 || q[0].Value != 1 {
		t.Fatalf("jinan %+v, qingdao %+v", j, q)
	}
	if e.stored() != 3 {
		t.Fatalf("stored %d rows, want 3 (the totals are not rows)", e.stored())
	}
}

// A file whose values replace stored ones for the same dates says so in
// its receipt: re-sending an old sheet undoes later corrections. A value
// sent again unchanged is no replacement.
func TestReceiptSaysWhichValuesReplacedStoredOnes(t *testing.T) {
	e := newEnv(t, Options{})
	e.drop("housing", "first.csv", []byte("indicator,as_of,value\nrenovated_households,2021-12-31,450000\nrenovated_households,2022-03-31,500000\n"))
	e.settle()
	if rep := e.moved("archive", "housing", "first.csv"); strings.Contains(rep, "替换了") {
		t.Errorf("a first file replaced nothing:\n%s", rep)
	}
	e.drop("housing", "again.csv", []byte("indicator,as_of,value\r\nrenovated_households,2021-12-31,440000\r\nrenovated_households,2022-03-31,500000\r\nrenovated_households,2022-06-30,900000\r\n"))
	e.settle()
	if rep := e.moved("archive", "housing", "again.csv"); !strings.Contains(rep, "其中 1 行替换了此前已入库的同一指标、地区、日期的数值") {
		t.Errorf("the receipt does not say a stored value was replaced:\n%s", rep)
	}
}

func TestRescanFindsFilesWithoutFileEvents(t *testing.T) {
	e := newEnv(t, Options{NoWatch: true, Rescan: "@every 1s", Settle: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); e.in.Run(ctx) }()
	time.Sleep(100 * time.Millisecond) // after the start-up scan
	e.drop("housing", "share.csv", []byte("indicator,value,as_of\nrenovated_households,900000,2022-06-30\n"))
	waitFor(t, 6*time.Second, func() bool { return e.count("housing", Accepted) == 1 })
	cancel()
	<-done
}

func TestFileEventsGivePromptPickup(t *testing.T) {
	e := newEnv(t, Options{Rescan: "@every 1h", Settle: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { defer close(done); e.in.Run(ctx) }()
	time.Sleep(100 * time.Millisecond)
	// Uploaders write a temporary name, then rename: only the rename counts.
	tmp := e.drop("housing", "up.csv.tmp", []byte("indicator,value,as_of\nrenovated_households,900000,2022-06-30\n"))
	if err := os.Rename(tmp, strings.TrimSuffix(tmp, ".tmp")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Second, func() bool { return e.count("housing", Accepted) == 1 })
	cancel()
	<-done
}

func TestDeletedInboxIsRecreated(t *testing.T) {
	e := newEnv(t, Options{})
	if err := os.RemoveAll(e.in.opts.Dir); err != nil {
		t.Fatal(err)
	}
	e.in.Scan(context.Background())
	if testutil.ToFloat64(e.in.m.scanErrors) != 1 {
		t.Error("failed scan not counted")
	}
	if _, err := os.Stat(e.in.opts.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("inbox re-created at the scan that found it missing (an rm -rf may still be at work): %v", err)
	}
	time.Sleep(e.in.opts.Settle + 5*time.Millisecond)
	e.in.Scan(context.Background())
	if _, err := os.Stat(filepath.Join(e.in.opts.Dir, "housing")); err != nil {
		t.Fatalf("inbox and department folders not re-created after the settle period: %v", err)
	}
	e.drop("housing", "a.csv", []byte("indicator,value,as_of\nrenovated_households,900000,2022-06-30\n"))
	e.settle()
	if e.stored() != 1 {
		t.Fatal("inbox did not recover")
	}
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A large file is read with the collector's target at least 100 %
// (priority.BulkGC): the exporter serves at 50, and its rows are garbage
// at once. After the file the target is the server's again. A small file
// is read at the server's target.
func TestLargeFilesAreReadWithTheBulkGCTarget(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(50))
	e := newEnv(t, Options{})
	file := []byte("indicator,as_of,value\nrenovated_households,2021-12-31,405\n")
	e.in.bulkFrom = int64(len(file))
	e.drop("housing", "large.csv", file)
	during := 0
	e.in.afterRead = func(string) { during = debug.SetGCPercent(-1); debug.SetGCPercent(during) }
	e.settle()
	if e.count("housing", Accepted) != 1 {
		t.Fatal("the file was not accepted")
	}
	if during != 100 {
		t.Errorf("GC percent while reading a large file = %d, want 100", during)
	}
	if after := debug.SetGCPercent(50); after != 50 {
		t.Errorf("GC percent after the file = %d, want the server's 50 back", after)
	}
	e.in.bulkFrom = int64(len(file)) + 1
	e.drop("housing", "small.csv", []byte("indicator,as_of,value\nrenovated_households,2021-12-31,406\n"))
	e.settle()
	if e.count("housing", Accepted) != 2 {
		t.Fatal("the second file was not accepted")
	}
	if during != 50 {
		t.Errorf("GC percent while reading a small file = %d, want the server's 50", during)
	}
}
