package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

func TestWriterStoresAFileReadInBatches(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	// An earlier report the file will revise.
	if err := s.Commit(ctx, Batch{SHA256: "old", Department: "housing", Source: "old.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-03-31", 50, recv), obs("roads", "shandong", "2022-12-31", 40, recv)}}); err != nil {
		t.Fatal(err)
	}
	changes := 0
	s.OnChange(func() { changes++ })

	w, err := s.Begin(ctx, Batch{SHA256: "big", Department: "housing", Source: "big.csv", ReceivedAt: recv})
	if err != nil {
		t.Fatal(err)
	}
	for b := 0; b < 5; b++ {
		var rows []Observation
		for i := 0; i < 1000; i++ {
			o := obs("roads", fmt.Sprintf("city%02d", (b*1000+i)%16), time.Date(2020, 1, 1, 0, 0, 0, 0, shanghai).AddDate(0, 0, (b*1000+i)/16).Format(dateLayout), float64(b*1000+i), recv)
			o.Line = b*1000 + i + 2
			rows = append(rows, o)
		}
		if err := w.Add(rows, false); err != nil {
			t.Fatal(err)
		}
	}
	rev := obs("roads", "shandong", "2023-03-31", 55, recv)
	rev.Line = 5002
	if err := w.Add([]Observation{rev}, false); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if changes != 1 {
		t.Errorf("OnChange called %d times", changes)
	}
	d := full(t, s)
	if got := d.Series[indicators.SeriesKey{Indicator: "roads", Region: "city03"}]; len(got) != 313 { // rows 3, 19, …, 4995
		t.Fatalf("city03 has %d observations", len(got))
	}
	sh := d.Series[indicators.SeriesKey{Indicator: "roads", Region: "shandong"}]
	if len(sh) != 2 || sh[0].Value != 40 || sh[1].Value != 55 {
		t.Fatalf("the file's row should supersede the earlier report on its date: %+v", sh)
	}
	info, ok, err := s.LookupBatch(ctx, "big")
	if err != nil || !ok || info.Rows != 5001 {
		t.Fatalf("batch record = %+v %v %v", info, ok, err)
	}
	// The in-memory state built while streaming equals a fresh load.
	before := fmt.Sprint(summary(d))
	s.Close()
	if after := fmt.Sprint(summary(full(t, open(t, dir)))); after != before {
		t.Fatal("state after reopen differs from the state after a streamed commit")
	}
}

func TestWriterRollbackLeavesNothingAndTheLastRepeatWins(t *testing.T) {
	s := open(t, t.TempDir())
	ctx := context.Background()
	recv := time.Now()
	w, err := s.Begin(ctx, Batch{SHA256: "f", Department: "housing", Source: "f.csv", ReceivedAt: recv})
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := obs("roads", "jinan", "2023-03-31", 1, recv), obs("roads", "jinan", "2023-06-30", 2, recv), obs("roads", "jinan", "2023-03-31", 3, recv)
	a.Line, b.Line, c.Line = 2, 3, 4000
	if err := w.Add([]Observation{a, b}, false); err != nil {
		t.Fatal(err)
	}
	if err := w.Add([]Observation{c}, false); err != nil { // a later batch repeats line 2's key
		t.Fatal(err)
	}
	w.Rollback()
	if n, _, _ := s.Counts(ctx); n != 0 || len(full(t, s).Series) != 0 {
		t.Fatalf("rolled back file left %d rows", n)
	}
	if _, ok, _ := s.LookupBatch(ctx, "f"); ok {
		t.Fatal("a rolled-back file is recorded")
	}
	// The store is free again, and the same file can be stored later. A
	// key it names twice (the inbox refuses such files) takes the later
	// row's value.
	if err := s.Commit(ctx, Batch{SHA256: "f", Department: "housing", Source: "f.csv", ReceivedAt: recv, Observations: []Observation{a, b, c}}); err != nil {
		t.Fatal(err)
	}
	if got := full(t, s).Series[indicators.SeriesKey{Indicator: "roads", Region: "jinan"}]; len(got) != 2 || got[0].Value != 3 || got[1].Value != 2 {
		t.Fatalf("state after a file naming a key twice: %+v", got)
	}
	if _, err := s.Begin(ctx, Batch{SHA256: "f"}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("Begin of stored content: %v, want ErrDuplicate", err)
	}
}

// A file begun before its hash is known gets it by SetSHA256; Commit
// refuses it without one and as a duplicate of a stored file, leaving
// nothing of it, and stores it otherwise.
func TestASHA256GivenAfterBeginIsCheckedAtCommit(t *testing.T) {
	s := open(t, t.TempDir())
	ctx := context.Background()
	recv := time.Now()
	if err := s.Commit(ctx, Batch{SHA256: "stored", Department: "housing", Source: "a.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "jinan", "2023-03-31", 1, recv)}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sha  string
		want error // nil: stored
	}{{"", nil}, {"stored", ErrDuplicate}, {"new", nil}} {
		w, err := s.Begin(ctx, Batch{Department: "housing", Source: "b.csv", ReceivedAt: recv})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add([]Observation{obs("roads", "jinan", "2023-06-30", 2, recv)}, false); err != nil {
			t.Fatal(err)
		}
		if tc.sha != "" {
			w.SetSHA256(tc.sha)
		}
		err = w.Commit()
		n, _, _ := s.Counts(ctx)
		switch {
		case tc.sha == "":
			if err == nil || !strings.Contains(err.Error(), "SHA-256") || n != 1 {
				t.Fatalf("commit without a SHA-256: %v, %d rows stored, want an error and 1", err, n)
			}
		case tc.want != nil:
			if !errors.Is(err, tc.want) || n != 1 {
				t.Fatalf("commit with SHA-256 %q: %v, %d rows stored, want %v and 1", tc.sha, err, n, tc.want)
			}
		default:
			if _, ok, _ := s.LookupBatch(ctx, tc.sha); err != nil || n != 2 || !ok {
				t.Fatalf("commit with SHA-256 %q: %v, %d rows stored (recorded: %v), want 2", tc.sha, err, n, ok)
			}
		}
	}
}

func TestMergeAdded(t *testing.T) {
	o := func(d string, v float64) indicators.Observation {
		return indicators.Observation{AsOf: day(d).Unix(), Value: v}
	}
	old := []indicators.Observation{o("2023-01-31", 1), o("2023-03-31", 3), o("2023-05-31", 5)}
	// Sorted by date, one row a date, as Commit passes them.
	got, replaced := mergeAdded(old, []indicators.Observation{o("2023-01-31", 1), o("2023-02-28", 2), o("2023-03-31", 30), o("2023-04-30", 41), o("2023-06-30", 6)})
	want := []indicators.Observation{o("2023-01-31", 1), o("2023-02-28", 2), o("2023-03-31", 30), o("2023-04-30", 41), o("2023-05-31", 5), o("2023-06-30", 6)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("merge = %v\nwant    %v", got, want)
	}
	if replaced != 1 {
		t.Errorf("replaced %d, want 1 (2023-03-31; 2023-01-31 came again unchanged)", replaced)
	}
	if fmt.Sprint(old) != fmt.Sprint([]indicators.Observation{o("2023-01-31", 1), o("2023-03-31", 3), o("2023-05-31", 5)}) {
		t.Fatal("merge changed the old series")
	}
}

// Record finds exactly the keys named twice, with the line that named
// them first, whatever the order of the rows and however often the rows
// held were folded into the series' blobs; and the state the commit
// makes of the rows it let through is the old state with each recorded
// date's value, in date order, arrived at the file's time, with the
// replacements of the old file's values counted once each.
func TestRecordFindsRepeatedKeysInAnyOrder(t *testing.T) {
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	orders := map[string]func(r *rand.Rand, i, n int) int{
		"by date":      func(_ *rand.Rand, i, _ int) int { return i / 3 },
		"newest first": func(_ *rand.Rand, i, n int) int { return (n - i) / 3 },
		"shuffled":     func(r *rand.Rand, _, n int) int { return r.IntN(n / 2) },
		"few dates":    func(r *rand.Rand, _, _ int) int { return r.IntN(4) },
	}
	const n = 300
	for name, date := range orders {
		for seed, fold := range []int{foldRows, 1, 7, 64, 1000} {
			t.Run(fmt.Sprintf("%s/%d/fold %d", name, seed, fold), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(seed), 7))
				s := open(t, t.TempDir())
				s.foldRows = fold
				s.lineLookups = n // every repeat's first line, also past the report's first 100
				// An earlier file, some of whose dates the next one revises.
				var old []Observation
				for i := range 40 {
					old = append(old, obs("roads", []string{"jinan", "qingdao"}[i%2], time.Date(2020, 1, 1, 0, 0, 0, 0, shanghai).AddDate(0, 0, 2*i).Format(dateLayout), -1, recv))
				}
				if err := s.Commit(ctx, Batch{SHA256: "old", Department: "housing", Source: "old.csv", ReceivedAt: recv.Add(-time.Hour), Observations: old}); err != nil {
					t.Fatal(err)
				}
				w, err := s.Begin(ctx, Batch{SHA256: "new", Department: "housing", Source: "new.csv", ReceivedAt: recv})
				if err != nil {
					t.Fatal(err)
				}
				type key struct {
					region string
					day    int
				}
				firstLine := map[key]int{}
				replaced := map[key]bool{}
				want := map[string]map[int64]float64{"jinan": {}, "qingdao": {}}
				for _, o := range full(t, s).Series[indicators.SeriesKey{Indicator: "roads", Region: "jinan"}] {
					want["jinan"][o.AsOf] = o.Value
				}
				for _, o := range full(t, s).Series[indicators.SeriesKey{Indicator: "roads", Region: "qingdao"}] {
					want["qingdao"][o.AsOf] = o.Value
				}
				for i := range n {
					series := r.IntN(2)
					region := []string{"jinan", "qingdao"}[series]
					d := date(r, i, n)
					asOf := time.Date(2020, 1, 1, 0, 0, 0, 0, shanghai).AddDate(0, 0, d)
					line := i + 2
					first, dup := w.Record(series, "roads", region, asOf, float64(i), line)
					k := key{region, d}
					wantFirst, wantDup := firstLine[k]
					if dup != wantDup || first != wantFirst {
						t.Fatalf("line %d (%s, day %d): Record = %d, %v; want %d, %v", line, region, d, first, dup, wantFirst, wantDup)
					}
					if dup {
						continue
					}
					firstLine[k] = line
					if want[region][asOf.Unix()] == -1 {
						replaced[k] = true
					}
					want[region][asOf.Unix()] = float64(i)
					o := obs("roads", region, asOf.Format(dateLayout), float64(i), recv)
					o.Line = line
					if err := w.Add([]Observation{o}, false); err != nil {
						t.Fatal(err)
					}
				}
				if err := w.Commit(); err != nil {
					t.Fatal(err)
				}
				if w.Replaced() != len(replaced) {
					t.Errorf("Replaced() = %d, want %d", w.Replaced(), len(replaced))
				}
				for region, byDate := range want {
					got := full(t, s).Series[indicators.SeriesKey{Indicator: "roads", Region: region}]
					if len(got) != len(byDate) {
						t.Fatalf("%s: %d observations, want %d", region, len(got), len(byDate))
					}
					for i, o := range got {
						v, ok := byDate[o.AsOf]
						if !ok || v != o.Value || (i > 0 && o.AsOf <= got[i-1].AsOf) {
							t.Fatalf("%s: observation %d %+v: want value %v (known %v), in date order", region, i, o, v, ok)
						}
						if isNew := v >= 0; isNew && o.Received != recv.UnixMilli() {
							t.Fatalf("%s: observation %+v arrived at %d, want the file's time %d", region, o, o.Received, recv.UnixMilli())
						}
					}
				}
			})
		}
	}
}

// A file pasted twice into itself, its first copy folded away: the first
// FirstLineLookups repeats get the line that named their key, the rest
// only that they repeat (a report lists no more), so the chunks are not
// read again for each of thousands of repeats.
func TestRepeatsAfterAFoldGetTheirLinesUpToTheReportsLimit(t *testing.T) {
	s := open(t, t.TempDir())
	s.foldRows = 64
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	w, err := s.Begin(context.Background(), Batch{SHA256: "twice", Department: "housing", Source: "twice.csv", ReceivedAt: recv})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	const n = 500
	at := func(i int) time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, shanghai).AddDate(0, 0, i) }
	for i := range n {
		if _, dup := w.Record(0, "roads", "jinan", at(i), float64(i), i+2); dup {
			t.Fatalf("line %d: a first copy's row repeats", i+2)
		}
		o := obs("roads", "jinan", at(i).Format(dateLayout), float64(i), recv)
		o.Line = i + 2
		if err := w.Add([]Observation{o}, false); err != nil {
			t.Fatal(err)
		}
	}
	folded := n / 64 * 64 // a fold every 64 rows added
	for i := range n {
		first, dup := w.Record(0, "roads", "jinan", at(i), float64(i), n+i+2)
		want := i + 2
		if i >= FirstLineLookups && i < folded {
			want = 0 // a folded row's line, past the limit; the rows still held know theirs
		}
		if !dup || first != want {
			t.Fatalf("line %d: Record = %d, %v; want %d, true", n+i+2, first, dup, want)
		}
	}
}

// A date the file itself put there in a fold before is no replacement of
// a stored figure: a file that gives a date twice (the last row winning),
// its first row folded away, replaces an earlier file's value on that date
// once, and a date no earlier file gave not at all.
func TestAFilesOwnRowAcrossAFoldIsNoReplacement(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	if err := s.Commit(ctx, Batch{SHA256: "old", Department: "housing", Source: "old.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "jinan", "2023-03-31", 3, recv)}}); err != nil {
		t.Fatal(err)
	}
	s.foldRows = 1
	w, err := s.Begin(ctx, Batch{SHA256: "new", Department: "housing", Source: "new.csv", ReceivedAt: recv})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Observation{obs("roads", "jinan", "2023-03-31", 30, recv), obs("roads", "jinan", "2023-06-30", 60, recv),
		obs("roads", "jinan", "2023-03-31", 31, recv), obs("roads", "jinan", "2023-06-30", 61, recv)} {
		if err := w.Add([]Observation{o}, false); err != nil { // a fold after each
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if w.Replaced() != 1 {
		t.Errorf("replaced %d, want 1 (2023-03-31 of old.csv; the file's own rows replace nothing)", w.Replaced())
	}
	if got := fmt.Sprint(summary(full(t, s))); !strings.Contains(got, "2023-03-31=31@") || !strings.Contains(got, "2023-06-30=61@") {
		t.Errorf("state %s: the file's last rows should stand", got)
	}
}

// The chunks and runs are written on a second goroutine (pipe.go); a
// write that fails there, as when the process stops mid-file, fails the
// file: Add or Commit says so, nothing of it is stored, and the next
// file is stored as usual.
func TestAWriteThatFailsBehindTheReadingFailsTheFile(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	s.foldRows = 5000
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := s.Begin(ctx, Batch{SHA256: "big", Department: "housing", Source: "big.csv", ReceivedAt: recv})
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	for b := 0; b < 200 && failed == nil; b++ {
		if b == 100 {
			cancel()
		}
		rows := make([]Observation, 0, 1000)
		for i := range 1000 {
			o := obs("roads", fmt.Sprintf("city%02d", i%16), time.Date(1990, 1, 1, 0, 0, 0, 0, shanghai).AddDate(0, 0, b*100+i/16).Format(dateLayout), float64(i), recv)
			o.Line = b*1000 + i + 2
			rows = append(rows, o)
		}
		failed = w.Add(rows, false)
	}
	w.Rollback()
	if !errors.Is(failed, context.Canceled) {
		t.Fatalf("Add went on for 100 batches after the writes failed (%v); want the cancelled context's error", failed)
	}
	if err := w.Add([]Observation{obs("roads", "shandong", "2023-06-30", 1800, recv)}, false); err == nil {
		t.Fatal("Add after Rollback succeeded")
	}
	if n, _, err := s.Counts(context.Background()); err != nil || n != 0 {
		t.Fatalf("%d observations stored (%v), want none", n, err)
	}
	if err := s.Commit(context.Background(), Batch{SHA256: "next", Department: "housing", Source: "next.csv", ReceivedAt: recv,
		Observations: []Observation{obs("roads", "shandong", "2023-06-30", 1800, recv)}}); err != nil {
		t.Fatalf("the next file: %v", err)
	}
	if n, _, err := s.Counts(context.Background()); err != nil || n != 1 {
		t.Fatalf("%d observations stored (%v) after the next file, want 1", n, err)
	}
}

// While a file is being stored, the runtime has a P more than before
// (priority.SpareProc) for the scrapes; after it, as many as before.
func TestAWriterHoldsASpareProcUntilItIsDone(t *testing.T) {
	s := open(t, t.TempDir())
	before := runtime.GOMAXPROCS(0)
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	for _, end := range []string{"commit", "rollback"} {
		w, err := s.Begin(context.Background(), Batch{SHA256: end, Department: "housing", Source: end + ".csv", ReceivedAt: recv})
		if err != nil {
			t.Fatal(err)
		}
		if got := runtime.GOMAXPROCS(0); got != before+1 {
			t.Errorf("GOMAXPROCS = %d while storing a file, want %d", got, before+1)
		}
		if err := w.Add([]Observation{obs("roads", "shandong", "2023-06-30", 1800, recv)}, false); err != nil {
			t.Fatal(err)
		}
		if end == "commit" {
			err = w.Commit()
		} else {
			w.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := runtime.GOMAXPROCS(0); got != before {
			t.Errorf("GOMAXPROCS = %d after the %s, want %d", got, end, before)
		}
	}
}

// TestAnOutcomeIsCommittedWithItsFile: SetOutcome's record is stored by
// the commit that stores the file, with the file's final row count, and
// by no failed commit; OutcomeOf finds it from the stored file.
func TestAnOutcomeIsCommittedWithItsFile(t *testing.T) {
	s := open(t, t.TempDir())
	ctx := context.Background()
	recv := time.Date(2026, 12, 5, 9, 30, 0, 123e6, time.UTC)
	outcome := func(w *Writer) FileOutcome {
		return FileOutcome{Department: "housing", Source: "a.csv", Path: "/archive/housing/2026-12-05/a.csv", Result: "accepted",
			Rows: w.Rows(), At: recv, Report: fmt.Sprintf("%d rows, %d replaced", w.Rows(), w.Replaced())}
	}
	begin := func(sha string) *Writer {
		t.Helper()
		w, err := s.Begin(ctx, Batch{Department: "housing", Source: "a.csv", ReceivedAt: recv})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add([]Observation{obs("roads", "jinan", "2023-03-31", 1, recv), obs("roads", "qingdao", "2023-03-31", 2, recv)}, false); err != nil {
			t.Fatal(err)
		}
		w.SetSHA256(sha)
		w.SetOutcome(outcome)
		return w
	}
	if err := s.Commit(ctx, Batch{SHA256: "other", Department: "housing", Source: "a.csv", ReceivedAt: recv.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := begin("other").Commit(); !errors.Is(err, ErrDuplicate) { // refused, with its outcome
		t.Fatalf("commit of a stored file: %v", err)
	}
	if got, _ := s.Outcomes(ctx, "", 10); len(got) != 0 {
		t.Fatalf("a refused commit recorded %d outcomes", len(got))
	}
	if err := begin("new").Commit(); err != nil {
		t.Fatal(err)
	}
	b, ok, err := s.LookupBatch(ctx, "new")
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	o, ok, err := s.OutcomeOf(ctx, b)
	if err != nil || !ok {
		t.Fatalf("no outcome for the stored file: %v", err)
	}
	if o.Path != "/archive/housing/2026-12-05/a.csv" || o.Rows != 2 || o.Report != "2 rows, 0 replaced" || !o.At.Equal(recv) {
		t.Errorf("outcome = %+v", o)
	}
	old, _, _ := s.LookupBatch(ctx, "other")
	if _, ok, _ := s.OutcomeOf(ctx, old); ok {
		t.Error("a file stored without an outcome has one")
	}
}
