package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

func day(s string) time.Time {
	t, err := time.ParseInLocation(dateLayout, s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func obs(ind, region, asOf string, v float64, recv time.Time) Observation {
	return Observation{Indicator: ind, Region: region, AsOf: day(asOf), Value: v, Raw: fmt.Sprint(v),
		ReceivedAt: recv, Department: "housing", Source: "a.csv", Line: 2}
}

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, testPlan)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReopenGivesSameState(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	err := s.Commit(context.Background(), Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: recv,
		Observations: []Observation{
			obs("roads", "shandong", "2023-06-30", 1800, recv),
			obs("roads", "shandong", "2022-12-31", 900, recv),
			obs("parks", "jinan", "2021-12-31", 3, recv),
		},
		Revisions: []Revision{{Indicator: "roads", Region: "shandong", AsOf: day("2022-12-31"), Value: 1200,
			ReceivedAt: recv, Department: "ndrc", Source: "a.csv", Line: 5}},
	})
	if err != nil {
		t.Fatal(err)
	}
	before := full(t, s)
	s.Close()

	again := open(t, dir)
	after := full(t, again)
	if fmt.Sprint(summary(before)) != fmt.Sprint(summary(after)) {
		t.Fatalf("state after reopen differs:\nbefore %v\nafter  %v", summary(before), summary(after))
	}
	roads := after.Series[indicators.SeriesKey{Indicator: "roads", Region: "shandong"}]
	if len(roads) != 2 || roads[0].Value != 900 || roads[1].Value != 1800 {
		t.Fatalf("roads series not sorted by as_of or wrong: %+v", roads)
	}
	if !roads[1].ReceivedAt().Equal(recv) {
		t.Fatalf("received time lost: %v", roads[1].ReceivedAt())
	}
	revs := after.Revisions[indicators.SeriesKey{Indicator: "roads", Region: "shandong"}]
	if len(revs) != 1 || revs[0].Value != 1200 || !revs[0].Date.Equal(day("2023-01-01")) {
		t.Fatalf("revision not restored as end of its day: %+v", revs)
	}
}

func summary(d indicators.Data) []string {
	var out []string
	for k, v := range d.Series {
		for _, o := range v {
			out = append(out, fmt.Sprintf("%s/%s/%s=%v@%d", k.Indicator, k.Region, o.Date(shanghai).Format(dateLayout), o.Value, o.Received))
		}
	}
	for k, v := range d.Revisions {
		for _, r := range v {
			out = append(out, fmt.Sprintf("rev %s/%s/%s=%v", k.Indicator, k.Region, r.Date.Format(dateLayout), r.Value))
		}
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestRevisionSupersedesAndHistoryKeepsBoth(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	t1 := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	t2 := t1.Add(48 * time.Hour)
	if err := s.Commit(ctx, Batch{SHA256: "1", Department: "housing", Source: "a.csv", ReceivedAt: t1,
		Observations: []Observation{obs("roads", "shandong", "2023-06-30", 1800, t1)}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, Batch{SHA256: "2", Department: "housing", Source: "b.csv", ReceivedAt: t2,
		Observations: []Observation{obs("roads", "shandong", "2023-06-30", 1750, t2)}}); err != nil {
		t.Fatal(err)
	}
	got := full(t, s).Series[indicators.SeriesKey{Indicator: "roads", Region: "shandong"}]
	if len(got) != 1 || got[0].Value != 1750 {
		t.Fatalf("current state should hold only the revision 1750, got %+v", got)
	}
	h, err := s.History(ctx, "roads")
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 || h[0].Value != 1800 || !h[0].Superseded || h[1].Value != 1750 || h[1].Superseded {
		t.Fatalf("history should keep 1800 (superseded) and 1750 (current): %+v", h)
	}

	// The same after a restart, from the stored state and history.
	s.Close()
	again := open(t, dir)
	if got := full(t, again).Series[indicators.SeriesKey{Indicator: "roads", Region: "shandong"}]; len(got) != 1 || got[0].Value != 1750 {
		t.Fatalf("after reopen the state holds %+v", got)
	}
	h, err = again.History(ctx, "roads")
	if err != nil || len(h) != 2 || !h[0].Superseded || h[1].Superseded || h[0].Source != "a.csv" || h[1].Source != "b.csv" ||
		!h[1].ReceivedAt.Equal(t2) {
		t.Fatalf("history after reopen: %+v, %v", h, err)
	}
}

func TestDuplicateFileIsStoredOnce(t *testing.T) {
	s := open(t, t.TempDir())
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	b := Batch{SHA256: "same", Department: "housing", Source: "a.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-06-30", 1800, recv)}}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	b.Source = "copy of a.csv"
	if err := s.Commit(ctx, b); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second commit of the same content: want ErrDuplicate, got %v", err)
	}
	n, _, err := s.Counts(ctx)
	if err != nil || n != 1 {
		t.Fatalf("want 1 stored observation, got %d (%v)", n, err)
	}
	info, ok, err := s.LookupBatch(ctx, "same")
	if err != nil || !ok || info.Source != "a.csv" || info.Rows != 1 {
		t.Fatalf("LookupBatch = %+v %v %v", info, ok, err)
	}
}

func TestFailedCommitLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	if err := s.Commit(ctx, Batch{SHA256: "ok", Department: "housing", Source: "ok.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-03-31", 100, recv)}}); err != nil {
		t.Fatal(err)
	}
	before := fmt.Sprint(summary(full(t, s)))

	var rows []Observation
	for i := 0; i < 999; i++ {
		rows = append(rows, obs("roads", "r"+fmt.Sprint(i), "2023-06-30", float64(i), recv))
	}
	// A NaN is refused when added: a real failure in the middle of the
	// transaction, after the first rows were written.
	rows = append(rows[:500], append([]Observation{obs("roads", "bad", "2023-06-30", math.NaN(), recv)}, rows[500:]...)...)
	err := s.Commit(ctx, Batch{SHA256: "bad", Department: "housing", Source: "bad.csv", ReceivedAt: recv, Observations: rows})
	if err == nil {
		t.Fatal("commit with a failing row succeeded")
	}
	if got := fmt.Sprint(summary(full(t, s))); got != before {
		t.Fatalf("in-memory state changed by a failed commit")
	}
	n, _, _ := s.Counts(ctx)
	if n != 1 {
		t.Fatalf("failed commit left %d observations, want 1", n)
	}
	if _, ok, _ := s.LookupBatch(ctx, "bad"); ok {
		t.Fatal("failed commit recorded its file, so a corrected retry would be refused as duplicate")
	}
	s.Close()
	again := open(t, dir)
	if got := fmt.Sprint(summary(full(t, again))); got != before {
		t.Fatalf("state after reopen differs from before the failed commit")
	}
}

func TestHistoryIsAppendOnly(t *testing.T) {
	s := open(t, t.TempDir())
	ctx := context.Background()
	recv := time.Now()
	if err := s.Commit(ctx, Batch{SHA256: "x", Department: "ndrc", Source: "a.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-03-31", 100, recv)},
		Revisions:    []Revision{obs("roads", "shandong", "2022-12-31", 1200, recv)}}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE observation_chunk SET data = x'00'`,
		`DELETE FROM observation_chunk`,
		`UPDATE chunk_indicator SET indicator = 'x'`,
		`DELETE FROM chunk_indicator`,
		`DELETE FROM batch`,
		`UPDATE target_revision SET value = 1`,
		`DELETE FROM target_revision`,
	} {
		if _, err := s.db.Exec(q); err == nil {
			t.Errorf("%s succeeded; history must be append-only", q)
		}
	}
}

func TestReadsAreNotBlockedByAWrite(t *testing.T) {
	s := open(t, t.TempDir())
	ctx := context.Background()
	recv := time.Now()
	if err := s.Commit(ctx, Batch{SHA256: "x", Department: "housing", Source: "a.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-03-31", 100, recv)}}); err != nil {
		t.Fatal(err)
	}
	// Hold a write transaction open, as a long ingest would.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO batch(sha256, department, source, received_at, kind, rows) VALUES('y','d','s',0,'values',0)`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		h, err := s.History(ctx, "roads")
		if err == nil && len(h) != 1 {
			err = fmt.Errorf("history has %d rows, want 1", len(h))
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("a read waited for an open write transaction; WAL should let it through")
	}
	if len(full(t, s).Series) != 1 {
		t.Fatal("in-memory state unavailable during a write")
	}
}

func TestOutcomesNewestFirstByDepartment(t *testing.T) {
	s := open(t, t.TempDir())
	ctx := context.Background()
	at := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	for i, o := range []FileOutcome{
		{Department: "housing", Source: "a.csv", Result: "accepted", Rows: 3, At: at},
		{Department: "ndrc", Source: "b.csv", Result: "rejected", At: at.Add(time.Minute), Report: "第 2 行"},
		{Department: "housing", Source: "c.csv", Result: "duplicate", Rows: 3, At: at.Add(2 * time.Minute)},
	} {
		if err := s.RecordOutcome(ctx, o); err != nil {
			t.Fatalf("outcome %d: %v", i, err)
		}
	}
	got, err := s.Outcomes(ctx, "housing", 10)
	if err != nil || len(got) != 2 || got[0].Source != "c.csv" || got[1].Source != "a.csv" || !got[1].At.Equal(at) {
		t.Fatalf("housing outcomes = %+v, %v", got, err)
	}
	all, err := s.Outcomes(ctx, "", 2)
	if err != nil || len(all) != 2 || all[1].Report != "第 2 行" {
		t.Fatalf("limited outcomes = %+v, %v", all, err)
	}
}

func TestOnChangeFollowsSuccessfulCommitsOnly(t *testing.T) {
	s := open(t, t.TempDir())
	calls := 0
	s.OnChange(func() { calls++ })
	ctx := context.Background()
	recv := time.Now()
	ok := Batch{SHA256: "ok", Department: "housing", Source: "a.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-03-31", 100, recv)}}
	if err := s.Commit(ctx, ok); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, ok); !errors.Is(err, ErrDuplicate) {
		t.Fatal(err)
	}
	bad := Batch{SHA256: "bad", Department: "housing", Source: "b.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-06-30", math.NaN(), recv)}}
	if err := s.Commit(ctx, bad); err == nil {
		t.Fatal("NaN stored")
	}
	if calls != 1 {
		t.Fatalf("OnChange called %d times, want once (duplicates and failures change nothing)", calls)
	}
}

// BenchmarkOpen is the state rebuild at start-up: reading the current
// state (not the history) of 100,000 observations.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	s, err := Open(dir, benchPlan)
	if err != nil {
		b.Fatal(err)
	}
	// A million observations, 179 dates to a series: the blobs a start-up
	// reads are long (ten million at start-up in bench/run.sh).
	const n = 1_000_000
	recv := time.Now()
	var rows []Observation
	for i := 0; i < n; i++ {
		rows = append(rows, Observation{Indicator: fmt.Sprintf("ind%03d", i%350), Region: fmt.Sprintf("city%02d", i/350%16),
			AsOf: day("2021-01-01").AddDate(0, 0, i/5600), Value: float64(i), Raw: "1", ReceivedAt: recv, Department: "d", Source: "s", Line: i})
	}
	if err := s.Commit(context.Background(), Batch{SHA256: "x", Department: "d", Source: "s", ReceivedAt: recv, Observations: rows}); err != nil {
		b.Fatal(err)
	}
	s.Close()
	for b.Loop() {
		s, err := Open(dir, benchPlan)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
	// What the open state holds, and how much of it every garbage
	// collection must scan, per observation.
	heap0, scan0 := liveHeap()
	s, err = Open(dir, benchPlan)
	if err != nil {
		b.Fatal(err)
	}
	heap1, scan1 := liveHeap()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/obs")
	b.ReportMetric(float64(heap1-heap0)/n, "held-B/obs")
	b.ReportMetric(float64(scan1-scan0)/n, "scanned-B/obs")
	s.Close()
}

// liveHeap is the live heap after a collection, and its part the
// collector scans (the objects that may hold pointers).
func liveHeap() (live, scan int64) {
	runtime.GC()
	m := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/heap:bytes"}}
	metrics.Read(m)
	return int64(m[0].Value.Uint64()), int64(m[1].Value.Uint64())
}

// One serving process per storage directory: a second is refused with a
// message that says what to do, and the directory is free again once the
// first lets go.
func TestLockRefusesASecondServer(t *testing.T) {
	dir := t.TempDir()
	release, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(dir); err == nil || !strings.Contains(err.Error(), "in use by another indicator_exporter") || !strings.Contains(err.Error(), "own --storage.path") {
		t.Fatalf("second Lock: %v", err)
	}
	release()
	again, err := Lock(dir)
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	again()
}

// A reader (backfill, next to a serving exporter) replays a state the
// server has not finished writing in memory only: rewriting it could
// overwrite what the server commits meanwhile.
func TestOpenReaderNeverWrites(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir, testPlan)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := st.Commit(ctx, Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: time.Date(2022, 7, 1, 9, 0, 0, 0, shanghai),
		Observations: []Observation{{Indicator: "x", Region: "shandong", AsOf: time.Date(2022, 6, 30, 0, 0, 0, 0, shanghai), Value: 1, Raw: "1", Line: 2}}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	// As a crash between a commit and its state write leaves it.
	db, err := sql.Open("sqlite", filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := markSeriesState(ctx, db, "pending"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM series_state`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	r, err := OpenReader(dir, testPlan)
	if err != nil {
		t.Fatal(err)
	}
	if obs := full(t, r).Series[indicators.SeriesKey{Indicator: "x", Region: "shandong"}]; len(obs) != 1 || obs[0].Value != 1 {
		t.Errorf("reader's replayed state: %+v", obs)
	}
	if _, err := r.Begin(ctx, Batch{SHA256: "b"}); err == nil {
		t.Error("a reader began a write")
	}
	r.Close()
	db, _ = sql.Open("sqlite", filepath.Join(dir, DBFile))
	defer db.Close()
	var v string
	var n int
	db.QueryRow(`SELECT value FROM meta WHERE key = ?`, metaSeriesState).Scan(&v)
	db.QueryRow(`SELECT count(*) FROM series_state`).Scan(&n)
	if v != "pending" || n != 0 {
		t.Errorf("the reader wrote the state: marked %q, %d blobs", v, n)
	}
}

// commitOneAndClose stores one value (roads in shandong, 1800 on
// 2023-06-30) and closes the store.
func commitOneAndClose(t *testing.T, s *Store) {
	t.Helper()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	if err := s.Commit(context.Background(), Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-06-30", 1800, recv)}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// pragma reads one PRAGMA of the database in dir, as another process would.
func pragma(t *testing.T, dir, name string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DBFile)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("PRAGMA " + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewDatabaseHasLargePagesInWALMode(t *testing.T) {
	dir := t.TempDir()
	commitOneAndClose(t, open(t, dir))
	if got := pragma(t, dir, "page_size"); got != fmt.Sprint(pageSize) {
		t.Errorf("page size %s, want %d", got, pageSize)
	}
	if got := pragma(t, dir, "journal_mode"); got != "wal" {
		t.Errorf("journal mode %s, want wal", got)
	}
}

// A database created before pages grew keeps its page size (changing it
// would take a VACUUM out of WAL mode) and everything in it.
func TestExistingDatabaseKeepsItsPageSize(t *testing.T) {
	dir := t.TempDir()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DBFile)+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(schema); err != nil {
		t.Fatal(err)
	}
	db.Close()
	commitOneAndClose(t, open(t, dir))
	if got := pragma(t, dir, "page_size"); got != "4096" {
		t.Errorf("page size %s, want the 4096 it was created with", got)
	}
	again := open(t, dir)
	if got := full(t, again).Series[indicators.SeriesKey{Indicator: "roads", Region: "shandong"}]; len(got) != 1 || got[0].Value != 1800 {
		t.Fatalf("state after reopen: %+v", got)
	}
}

// testPlan has the targets the tests report on: roads, a total by a
// deadline for every city, and parks, a yearly increment in the
// province; their digests follow every commit.
var testPlan = func() *indicators.Plan {
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, shanghai)
	p := &indicators.Plan{Name: "测试", Start: start, Location: shanghai, LagMargin: 0.05,
		Regions: []indicators.Region{{ID: "shandong", Name: "山东省", Level: indicators.ProvinceLevel},
			{ID: "jinan", Name: "济南市", Level: indicators.CityLevel}, {ID: "qingdao", Name: "青岛市", Level: indicators.CityLevel}},
		Targets: []*indicators.Target{
			{ID: "roads", Name: "道路", Kind: indicators.Quantitative, Period: indicators.ByDeadline, Direction: indicators.AtLeast,
				Scope: indicators.EachCity, Value: 2000, Start: start, Deadline: time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai)},
			{ID: "parks", Name: "公园", Kind: indicators.Quantitative, Period: indicators.Annual, Direction: indicators.AtLeast,
				Scope: indicators.EachCity, Value: 10, Start: start},
		}}
	p.Index()
	return p
}()

// full is the store's state with every series' reports.
func full(t testing.TB, s *Store) indicators.Data {
	t.Helper()
	d, err := s.Full(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// benchPlan has the 350 each-city indicators over 16 cities the
// benchmarks report on (ind000 … ind349), totals by a deadline.
var benchPlan = func() *indicators.Plan {
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, shanghai)
	p := &indicators.Plan{Name: "基准", Start: start, Location: shanghai, LagMargin: 0.05,
		Regions: []indicators.Region{{ID: "shandong", Name: "山东省", Level: indicators.ProvinceLevel}}}
	for c := range 16 {
		p.Regions = append(p.Regions, indicators.Region{ID: fmt.Sprintf("city%02d", c), Name: fmt.Sprintf("城市%02d", c), Level: indicators.CityLevel})
	}
	for i := range 350 {
		p.Targets = append(p.Targets, &indicators.Target{ID: fmt.Sprintf("ind%03d", i), Name: fmt.Sprintf("指标%03d", i),
			Kind: indicators.Quantitative, Period: indicators.ByDeadline, Direction: indicators.AtLeast, Scope: indicators.EachCity,
			Value: 1e6, Start: start, Deadline: time.Date(2030, 1, 1, 0, 0, 0, 0, shanghai)})
	}
	p.Index()
	return p
}()

// BenchmarkWriterMemory stores one file of n rows over the 5,600 series
// of benchPlan, its rows interleaved (every series a date, then the next
// date) or grouped (each series' rows together), and reports the most
// live heap the store held while the file was written: it must not grow
// with n (foldRows bounds it).
func BenchmarkWriterMemory(b *testing.B) {
	for _, layout := range []string{"interleaved", "grouped"} {
		for _, n := range []int{400_000, 1_600_000, 3_200_000} {
			b.Run(fmt.Sprintf("%s/%d", layout, n), func(b *testing.B) {
				var peak int64
				recv := time.Now()
				for b.Loop() {
					s, err := Open(b.TempDir(), benchPlan)
					if err != nil {
						b.Fatal(err)
					}
					w, err := s.Begin(context.Background(), Batch{SHA256: "x", Department: "d", Source: "s.csv", ReceivedAt: recv})
					if err != nil {
						b.Fatal(err)
					}
					heap0, _ := liveHeap()
					batch := make([]Observation, 0, 1024)
					perSeries := n / 5600
					for i := range n {
						series, date := i%5600, i/5600
						if layout == "grouped" {
							series, date = i/perSeries, i%perSeries
						}
						batch = append(batch, Observation{Indicator: fmt.Sprintf("ind%03d", series%350), Region: fmt.Sprintf("city%02d", series/350),
							AsOf: day("2021-01-01").AddDate(0, 0, date), Value: float64(i), Raw: "1", Line: i + 2})
						if len(batch) == cap(batch) {
							if err := w.Add(batch, false); err != nil {
								b.Fatal(err)
							}
							batch = batch[:0]
						}
						if i%100_000 == 0 {
							h, _ := liveHeap()
							peak = max(peak, h-heap0)
						}
					}
					if err := w.Add(batch, false); err != nil {
						b.Fatal(err)
					}
					if err := w.Commit(); err != nil {
						b.Fatal(err)
					}
					s.Close()
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-live-MiB")
			})
		}
	}
}
