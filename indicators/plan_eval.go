package indicators

import (
	"math"
	"sort"
	"time"
)

// SeriesKey names one reported series.
type SeriesKey struct {
	Indicator string
	Region    string
}

// Revision is a target revised through a drop by the coordinating
// department: a checkpoint value at a date, or, at the deadline date, a
// new final target.
type Revision struct {
	Date  time.Time // end of the checkpoint day, as plan checkpoints
	Value float64
}

// Data is what the store knows: per series its effective observations
// (sorted by AsOf) or their digest, and target revisions per series.
type Data struct {
	// Digests are what the store keeps of each series (its reports stay
	// on disk), made for the targets of Plan. A series with a digest of
	// another shape than its target's counts as one without reports;
	// the store makes them again when the plan changes (Store.SetPlan).
	Digests map[SeriesKey]*Digest
	Plan    *Plan
	// Series are the reports themselves, for a series without a digest:
	// tests, and tools that read a state whole.
	Series    map[SeriesKey][]Observation
	Revisions map[SeriesKey][]Revision
}

// evaluate judges series k against t (revisions applied).
func (d *Data) evaluate(t *Target, k SeriesKey, now time.Time, margin float64) Evaluation {
	t = Revise(t, d.Revisions[k])
	if g, ok := d.Digests[k]; ok {
		if g.Shape == ShapeOf(t) {
			return EvaluateDigest(t, k.Region, g, now, margin)
		}
		return EvaluateDigest(t, k.Region, &Digest{Shape: ShapeOf(t)}, now, margin)
	}
	return EvaluateSeries(t, k.Region, d.Series[k], now, margin)
}

// Revise returns the target in force for a series: t itself when there
// are no revisions, else a copy with the revised checkpoints (a revision
// replaces a plan checkpoint on the same date) and, for a revision on the
// date the target is due (the deadline, or an ongoing target's checkpoint
// at its value), the revised target value. The due date stays the plan's:
// a revision at the target value on another date is a checkpoint, not a
// new deadline. The plan's value stays the default; revisions never
// change the plan.
func Revise(t *Target, revs []Revision) *Target {
	if len(revs) == 0 {
		return t
	}
	c := *t
	due := DueDate(t)
	c.due, c.dueKnown = due, true
	// Keyed by Unix seconds: the same instant read in two *time.Location
	// values (the plan's and the store's) must be the same date.
	byDate := map[int64]Checkpoint{}
	for _, cp := range t.Checkpoints {
		byDate[cp.Date.Unix()] = cp
	}
	for _, r := range revs {
		if !t.Ongoing() && r.Date.Equal(t.Deadline) {
			c.Value = r.Value
			continue
		}
		if !due.IsZero() && r.Date.Equal(due) {
			c.Value = r.Value // and the checkpoint it is due at, below
		}
		byDate[r.Date.Unix()] = Checkpoint{Date: r.Date, Value: r.Value}
	}
	c.Checkpoints = make([]Checkpoint, 0, len(byDate))
	for _, cp := range byDate {
		c.Checkpoints = append(c.Checkpoints, cp)
	}
	sort.Slice(c.Checkpoints, func(i, j int) bool { return c.Checkpoints[i].Date.Before(c.Checkpoints[j].Date) })
	return &c
}

// Evaluate judges every target of the plan in every region it applies to.
// Each_city targets get one row per city and a province roll-up row after
// them.
func Evaluate(p *Plan, d Data, now time.Time) []Evaluation {
	// Sized once, and the cities listed once: at every refresh, growing
	// the slice and listing the cities for each target were more than
	// half of what a 100k-series rendering allocated.
	cities := p.Cities()
	n := 0
	for _, t := range p.Targets {
		if n++; t.Scope == EachCity {
			n += len(cities)
		}
	}
	out := make([]Evaluation, 0, n)
	province := p.ProvinceID()
	for _, t := range p.Targets {
		if t.Scope != EachCity {
			out = append(out, d.evaluate(t, SeriesKey{t.ID, province}, now, p.LagMargin))
			continue
		}
		first := len(out)
		for _, c := range cities {
			out = append(out, d.evaluate(t, SeriesKey{t.ID, c.ID}, now, p.LagMargin))
		}
		out = append(out, RollUp(t, province, out[first:], now, p.LagMargin))
	}
	return out
}

// RollUp sums up the cities of an each_city target for the province: how
// many meet it, their mean progress (each capped at 1, a city without
// data counting 0) against their mean expected progress, and a status by
// the same precedence as a single series.
func RollUp(t *Target, region string, cities []Evaluation, now time.Time, margin float64) Evaluation {
	e := Evaluation{Target: t, Region: region, Current: math.NaN(), Baseline: math.NaN(), Progress: math.NaN(),
		Expected: math.NaN(), Planned: math.NaN(), Projected: math.NaN(), ProjectedProgress: math.NaN(),
		RegionsTotal: len(cities)}
	if len(cities) == 0 {
		e.Status = NoData
		return e
	}
	var prog, exp float64
	reported, expN, stales := 0, 0, 0
	for _, c := range cities {
		if c.Met() {
			e.RegionsMet++
		}
		if !math.IsNaN(c.Progress) {
			reported++
			prog += math.Min(c.Progress, 1)
		}
		if !math.IsNaN(c.Expected) {
			exp += c.Expected
			expN++
		}
		if c.Status == Stale {
			stales++
		}
		if c.LastReport.After(e.LastReport) {
			e.LastReport = c.LastReport
		}
		if c.LastArrival.After(e.LastArrival) {
			e.LastArrival = c.LastArrival
		}
	}
	e.Current = float64(e.RegionsMet)
	if reported > 0 {
		e.Progress = prog / float64(len(cities))
	}
	if expN > 0 {
		e.Expected = exp / float64(expN)
	}
	switch {
	case e.RegionsMet == len(cities):
		e.Status = Achieved
	case !DueDate(t).IsZero() && !now.Before(DueDate(t)):
		e.Status = Overdue
	case stales > 0:
		e.Status = Stale
	case reported == 0:
		e.Status = NoData
	case t.Period == Sustained:
		e.Status = Lagging
	case t.Kind == Milestone && t.Ongoing(),
		t.Period == ByDeadline && t.Ongoing() && math.IsNaN(e.Expected):
		// As judge: nothing to be behind of.
		e.Status = Ongoing
	case !math.IsNaN(e.Expected) && e.Progress < e.Expected-margin:
		// Each city's expected progress is the one it is judged against
		// (at its latest report's date while its next is not due), so
		// their mean is the province's.
		e.Status = Lagging
	default:
		e.Status = OnTrack
	}
	return e
}
