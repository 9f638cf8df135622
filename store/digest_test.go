package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// evaluations renders every evaluation of d under p at the instants the
// tests judge at: within the plan, within a later year, past the deadline.
func evaluations(p *indicators.Plan, d indicators.Data) string {
	var out string
	for _, now := range []time.Time{
		time.Date(2023, 8, 15, 12, 0, 0, 0, shanghai),
		time.Date(2024, 3, 1, 0, 0, 0, 0, shanghai),
		time.Date(2027, 2, 1, 0, 0, 0, 0, shanghai),
	} {
		for _, e := range indicators.Evaluate(p, d, now) {
			out += fmt.Sprintf("%s %s %s cur=%v base=%v prog=%v exp=%v proj=%v reach=%v last=%v arr=%v\n", now.Format(dateLayout), e.Target.ID, e.Region,
				e.Current, e.Baseline, e.Progress, e.Expected, e.Projected, e.ProjectedReach.Unix(), e.LastReport.Unix(), e.LastArrival.UnixMilli())
		}
	}
	return out
}

// The digests the store keeps judge every series as its reports do:
// after files that add, revise and back-fill dates across years, folded
// into the blobs in parts of any size, after a reopen, and after a plan
// whose targets changed shape.
func TestDigestsJudgeAsTheReportsDo(t *testing.T) {
	ctx := context.Background()
	for _, fold := range []int{foldRows, 1, 5} {
		t.Run(fmt.Sprint("fold ", fold), func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir)
			s.foldRows = fold
			r := rand.New(rand.NewPCG(uint64(fold), 3))
			recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
			for f := range 6 {
				var rows []Observation
				for range 40 {
					region := []string{"shandong", "jinan", "qingdao"}[r.IntN(3)]
					ind := []string{"roads", "parks", "other"}[r.IntN(3)]
					d := time.Date(2020, 10, 1, 0, 0, 0, 0, shanghai).AddDate(0, 0, 30*r.IntN(60))
					o := obs(ind, region, d.Format(dateLayout), float64(r.IntN(3000)), recv)
					rows = append(rows, o)
				}
				at := recv.Add(time.Duration(f) * time.Hour)
				if err := s.Commit(ctx, Batch{SHA256: fmt.Sprint(f), Department: "housing", Source: fmt.Sprint(f, ".csv"), ReceivedAt: at, Observations: rows}); err != nil {
					t.Fatal(err)
				}
				if got, want := evaluations(testPlan, s.Data()), evaluations(testPlan, full(t, s)); got != want {
					t.Fatalf("after file %d the digests judge\n%s\nthe reports\n%s", f, got, want)
				}
			}
			want := evaluations(testPlan, full(t, s))
			s.Close()
			again := open(t, dir)
			if got := evaluations(testPlan, again.Data()); got != want {
				t.Fatalf("after reopening the digests judge\n%s\nbefore\n%s", got, want)
			}

			// A reload that moves roads' start and deadline and makes
			// parks a total by a deadline.
			moved := *testPlan
			moved.Targets = nil
			for _, tg := range testPlan.Targets {
				c := *tg
				c.Start = time.Date(2022, 1, 1, 0, 0, 0, 0, shanghai)
				c.Deadline = time.Date(2025, 7, 1, 0, 0, 0, 0, shanghai)
				if c.ID == "parks" {
					c.Period = indicators.ByDeadline
				}
				moved.Targets = append(moved.Targets, &c)
			}
			moved.Index()
			if got := evaluations(&moved, again.Data()); got == evaluations(&moved, full(t, again)) {
				t.Fatal("digests of the old plan judge the moved targets as their reports do: the test shows nothing")
			}
			if err := again.SetPlan(ctx, &moved); err != nil {
				t.Fatal(err)
			}
			if again.Data().Plan != &moved {
				t.Fatal("the snapshot does not carry the plan its digests are for")
			}
			if got, want := evaluations(&moved, again.Data()), evaluations(&moved, full(t, again)); got != want {
				t.Fatalf("after SetPlan the digests judge\n%s\nthe reports\n%s", got, want)
			}
		})
	}
}

// A file that fails after some of its rows were folded into the blobs
// leaves the blobs, the digests and the history as they were.
func TestFailedFoldLeavesNothingBehind(t *testing.T) {
	ctx := context.Background()
	s := open(t, t.TempDir())
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	if err := s.Commit(ctx, Batch{SHA256: "a", Department: "housing", Source: "a.csv", ReceivedAt: recv, Observations: []Observation{
		obs("roads", "jinan", "2022-12-31", 900, recv), obs("parks", "shandong", "2023-03-31", 3, recv)}}); err != nil {
		t.Fatal(err)
	}
	before, digests := fmt.Sprint(summary(full(t, s))), evaluations(testPlan, s.Data())
	s.foldRows = 2
	folds := 0
	s.beforeFold = func() error {
		if folds++; folds == 3 {
			return errors.New("disk full")
		}
		return nil
	}
	w, err := s.Begin(ctx, Batch{SHA256: "b", Department: "housing", Source: "b.csv", ReceivedAt: recv})
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	for i := 0; i < 10 && failed == nil; i++ {
		failed = w.Add([]Observation{obs("roads", "jinan", fmt.Sprintf("2023-0%d-01", i%9+1), float64(i), recv)}, false)
	}
	if failed == nil {
		failed = w.Commit()
	}
	w.Rollback()
	if failed == nil || folds < 3 {
		t.Fatalf("the file was stored (%d folds, %v)", folds, failed)
	}
	s.beforeFold = nil
	if got := fmt.Sprint(summary(full(t, s))); got != before {
		t.Fatalf("stored state after the failure %s, want %s", got, before)
	}
	if got := evaluations(testPlan, s.Data()); got != digests {
		t.Fatalf("digests after the failure\n%s\nwant\n%s", got, digests)
	}
	if n, _, _ := s.Counts(ctx); n != 2 {
		t.Fatalf("%d observations in the history, want 2", n)
	}
}

func TestDaySet(t *testing.T) {
	for _, days := range [][]int32{
		{0}, {63, 64, 65}, {-1, -64, -65, 5}, {19000, 18000, 21000, 18999}, {100, 1, 200, -200},
	} {
		s := &daySet{}
		if s.has(days[0]) {
			t.Fatal("an empty set has a day")
		}
		in := map[int32]bool{}
		for _, d := range days {
			s.add(d)
			in[d] = true
			for probe := int32(-300); probe < 22000; probe++ {
				if s.has(probe) != in[probe] {
					t.Fatalf("after adding %v up to %d: has(%d) = %v", days, d, probe, !in[probe])
				}
			}
		}
	}
}
