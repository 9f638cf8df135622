package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

func seriesSummary(d indicators.Data) string {
	return fmt.Sprint(summary(indicators.Data{Series: d.Series}))
}

// The state kept in memory and read at start-up from the series blobs
// equals a replay of the history, after commits of every kind.
func TestSeriesStateMatchesAReplayOfTheHistory(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	if err := s.Commit(ctx, Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: recv, Observations: []Observation{
		obs("roads", "shandong", "2023-06-30", 1800, recv), obs("roads", "shandong", "2022-12-31", 900, recv), obs("parks", "jinan", "2021-12-31", 3, recv)}}); err != nil {
		t.Fatal(err)
	}
	later := recv.Add(time.Hour)
	w, err := s.Begin(ctx, Batch{SHA256: "b", Department: "housing", Source: "b.csv", ReceivedAt: later})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add([]Observation{obs("roads", "shandong", "2023-06-30", 1750.25, later), obs("parks", "qingdao", "2020-02-29", -3.5, later)}, false); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	replayed, err := s.replay(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	want := seriesSummary(indicators.Data{Series: replayed})
	if got := seriesSummary(full(t, s)); got != want {
		t.Fatalf("in memory %s\nreplayed %s", got, want)
	}
	if !strings.Contains(want, "roads/shandong/2023-06-30=1750.25") || strings.Contains(want, "=1800") {
		t.Fatalf("the later file should win: %s", want)
	}
	s.Close()
	again := open(t, dir)
	if complete, _ := again.seriesStateComplete(ctx); !complete {
		t.Fatal("series state not marked complete")
	}
	if got := seriesSummary(full(t, again)); got != want {
		t.Fatalf("after reopen from blobs %s\nreplayed %s", got, want)
	}
}

// A database without a complete series_state gets it rebuilt from the
// history at open.
func TestOldDatabaseGetsItsSeriesState(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	if err := s.Commit(ctx, Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: recv, Observations: []Observation{
		obs("roads", "shandong", "2023-06-30", 1800, recv), obs("roads", "jinan", "2022-12-31", 900, recv)}}); err != nil {
		t.Fatal(err)
	}
	want := seriesSummary(full(t, s))
	if _, err := s.db.Exec(`DELETE FROM series_state; DELETE FROM meta`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	again := open(t, dir)
	if got := seriesSummary(full(t, again)); got != want {
		t.Fatalf("converted state %s, want %s", got, want)
	}
	var n int
	if err := again.db.QueryRow(`SELECT count(*) FROM series_state`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("series_state rows = %d, %v", n, err)
	}
}

func TestSeriesBlobRoundTrip(t *testing.T) {
	in := []indicators.Observation{
		{AsOf: time.Date(2000, 1, 1, 0, 0, 0, 0, shanghai).Unix(), Value: 0.1, Received: 946684800123},
		{AsOf: time.Date(2024, 2, 29, 0, 0, 0, 0, shanghai).Unix(), Value: -2.5e8, Received: 1709164800000},
		{AsOf: time.Date(2099, 12, 31, 0, 0, 0, 0, shanghai).Unix(), Value: 66.5, Received: 0},
	}
	out, err := decodeSeriesInto(nil, encodeSeries(in, newDayCache(shanghai)), newDayCache(shanghai))
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if out[i].AsOf != in[i].AsOf || out[i].Value != in[i].Value || out[i].Received != in[i].Received {
			t.Errorf("%d: %+v, want %+v", i, out[i], in[i])
		}
	}
	if _, err := decodeSeriesInto(nil, make([]byte, 7), newDayCache(shanghai)); err == nil {
		t.Error("a truncated blob decoded")
	}
}

func rawComplete(t *testing.T, dir string) (bool, error) {
	var v string
	err := rawDB(t, dir).QueryRow(`SELECT value FROM meta WHERE key = ?`, metaSeriesState).Scan(&v)
	return v == "complete", err
}

// The runs a file leaves are merged into the blobs after its commit. If
// that fails, the file stays stored and served, its values are read from
// the runs (also by a reader), and the next open merges them.
func TestRunsLeftByAFailedMergeAreReadAndMergedAtOpen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	if err := s.Commit(ctx, Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: recv, Observations: []Observation{
		obs("roads", "shandong", "2023-06-30", 1800, recv)}}); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock() // after the first file's merge
	s.beforeMerge = func() error { return fmt.Errorf("disk full") }
	s.mu.Unlock()
	if err := s.Commit(ctx, Batch{SHA256: "b", Department: "housing", Source: "b.csv", ReceivedAt: recv, Observations: []Observation{
		obs("roads", "shandong", "2023-06-30", 1750, recv), obs("parks", "jinan", "2023-06-30", 3, recv)}}); err != nil {
		t.Fatalf("the file's commit failed with the merge: %v", err)
	}
	s.mu.Lock()
	s.beforeMerge = nil
	s.mu.Unlock()
	want := seriesSummary(full(t, s))
	if !strings.Contains(want, "=1750") || !strings.Contains(want, "parks/jinan") {
		t.Fatalf("served state %s", want)
	}
	digests := evaluations(testPlan, s.Data())
	if complete, _ := rawComplete(t, dir); complete {
		t.Fatal("the state is marked complete with runs left: an earlier version would read the blobs without them")
	}
	var runs int
	if err := s.db.QueryRow(`SELECT count(*) FROM series_run`).Scan(&runs); err != nil || runs != 2 {
		t.Fatalf("%d runs left (%v), want the 2 of b.csv", runs, err)
	}
	r, err := OpenReader(dir, testPlan)
	if err != nil {
		t.Fatal(err)
	}
	if got := seriesSummary(full(t, r)); got != want {
		t.Fatalf("a reader reads %s\nwant %s", got, want)
	}
	r.Close()
	s.Close()
	again := open(t, dir)
	if got := seriesSummary(full(t, again)); got != want {
		t.Fatalf("after reopen %s\nwant %s", got, want)
	}
	if got := evaluations(testPlan, again.Data()); got != digests {
		t.Fatalf("digests after reopen\n%s\nwant\n%s", got, digests)
	}
	if err := again.db.QueryRow(`SELECT count(*) FROM series_run`).Scan(&runs); err != nil || runs != 0 {
		t.Fatalf("%d runs left after the open (%v)", runs, err)
	}
	if complete, _ := rawComplete(t, dir); !complete {
		t.Fatal("the state is not marked complete once the runs are merged")
	}
}

// Runs under a state marked complete were left by a failed merge and then
// folded into the state by an earlier version's rebuild from the history
// (which knows nothing of runs): they are dropped at open, not merged over
// later files' values again.
func TestRunsUnderACompleteStateAreDropped(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	s.beforeMerge = func() error { return fmt.Errorf("disk full") }
	if err := s.Commit(ctx, Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: recv, Observations: []Observation{
		obs("roads", "jinan", "2023-06-30", 1800, recv)}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The earlier version: the state rebuilt from the history, a later
	// file for the same date committed, the runs of a.csv untouched.
	db := rawDB(t, dir)
	if _, err := db.Exec(`UPDATE meta SET value = 'complete' WHERE key = ?`, metaSeriesState); err != nil {
		t.Fatal(err)
	}
	later := []indicators.Observation{{AsOf: day("2023-06-30").Unix(), Value: 1750, Received: recv.Add(time.Hour).UnixMilli()}}
	if _, err := db.Exec(`INSERT INTO series_state(indicator, region, data) VALUES('roads', 'jinan', ?)
		ON CONFLICT(indicator, region) DO UPDATE SET data = excluded.data`, encodeSeries(later, newDayCache(shanghai))); err != nil {
		t.Fatal(err)
	}
	again := open(t, dir)
	got := seriesSummary(full(t, again))
	if !strings.Contains(got, "=1750") || strings.Contains(got, "=1800") {
		t.Fatalf("state %s: the earlier version's 1750 should stand", got)
	}
	var runs int
	if err := again.db.QueryRow(`SELECT count(*) FROM series_run`).Scan(&runs); err != nil || runs != 0 {
		t.Fatalf("%d stale runs kept (%v)", runs, err)
	}
}

// encodeSeries is the blob of obs.
func encodeSeries(obs []indicators.Observation, dc *dayCache) []byte {
	return appendSeries(make([]byte, 0, len(obs)*obsSize), obs, dc)
}

// A commit is durable once its WAL is synced; copying the WAL into the
// database waits until the file's runs are merged, off the commit (for a
// 100 MB file it took 0.2–0.4 s of it).
func TestTheWALIsCheckpointedAfterTheMergeNotInTheCommit(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	var auto int
	if err := s.db.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("wal_autocheckpoint = %d (%v): a large commit would copy the WAL into the database before it returns", auto, err)
	}
	dbSize := func() int64 {
		st, err := os.Stat(filepath.Join(dir, DBFile))
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	before := dbSize()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	var rows []Observation
	for i := range 50000 {
		rows = append(rows, obs("roads", "shandong", day("2000-01-01").AddDate(0, 0, i).Format(time.DateOnly), float64(i), recv))
	}
	var atMerge int64
	s.beforeMerge = func() error { atMerge = dbSize(); return nil }
	if err := s.Commit(context.Background(), Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: recv, Observations: rows}); err != nil {
		t.Fatal(err)
	}
	s.merging.Wait()
	after := dbSize()
	if atMerge != before {
		t.Errorf("the database file went from %d to %d bytes in the commit: it copied the WAL", before, atMerge)
	}
	if after < before+1<<20 {
		t.Errorf("the database file is %d bytes after the merge, %d before the file: the WAL was not copied into it", after, before)
	}
}
