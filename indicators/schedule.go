package indicators

import (
	"math"
	"time"
)

// ExpectedProgress is where the plan's schedule says progress should be at
// now, as a ratio in [0, 1], or NaN where the plan sets no pace (an
// ongoing target with no deadline).
//
//   - before the start: 0;
//   - by_deadline: linear from the start (0) to the deadline (1), or
//     piecewise linear through the checkpoints; 1 after the deadline. A
//     baseline dated after the start (the first report, where the plan
//     sets none) starts the path at its date instead: progress is counted
//     from it, so the time to cover is counted from it too, and the
//     checkpoints up to it are passed over. An ongoing
//     target has no deadline, but its checkpoints ("到 2023 年达到 60%"
//     under 持续推进) still set a pace: piecewise linear through them,
//     the last one's ratio held after it; NaN without one;
//   - annual: the share of the current year elapsed (the target restarts
//     every 1 January); after the deadline, 1;
//   - sustained: 1 from the start (the level must hold at all times);
//   - milestones: 0 until the deadline, then 1 (there is no partial
//     milestone to expect).
func ExpectedProgress(t *Target, b Baseline, now time.Time) float64 {
	if now.Before(t.Start) {
		return 0
	}
	switch {
	case t.Kind == Milestone:
		if t.Ongoing() {
			return math.NaN()
		}
		if now.Before(t.Deadline) {
			return 0
		}
		return 1
	case t.Period == Sustained:
		return 1
	case t.Period == Annual:
		if !t.Ongoing() && !now.Before(t.Deadline) {
			return 1
		}
		from, to := yearSpan(t, now)
		return fraction(from, to, now)
	}
	if due := DueDate(t); !due.IsZero() && !now.Before(due) {
		// Also for an ongoing target past its checkpoint at the target
		// value, whose path (from a first report after that date) may
		// have no point left.
		return 1
	}
	pts := schedulePoints(t, b)
	if len(pts) < 2 {
		return math.NaN() // ongoing, no usable checkpoint: no pace
	}
	for i := 1; i < len(pts); i++ {
		if now.Before(pts[i].at) {
			a, b := pts[i-1], pts[i]
			return a.ratio + (b.ratio-a.ratio)*fraction(a.at, b.at, now)
		}
	}
	return pts[len(pts)-1].ratio
}

type point struct {
	at    time.Time
	ratio float64
}

// schedulePoints is the planned path as (time, progress ratio): the start
// (or a later baseline's date) at 0, each checkpoint after it at its own
// ratio, the deadline (if any) at 1. Checkpoints are values in the
// target's unit, so most need a baseline to become ratios and are left out
// without one; a checkpoint at the target value itself is 1 with or
// without.
func schedulePoints(t *Target, b Baseline) []point {
	from := t.Start
	if b.Known && b.At.After(from) {
		from = b.At
	}
	pts := []point{{from, 0}}
	span := t.Value - b.Value
	for _, c := range t.Checkpoints {
		if !c.Date.After(from) || (!t.Ongoing() && !c.Date.Before(t.Deadline)) {
			continue
		}
		switch {
		case c.Value == t.Value:
			pts = append(pts, point{c.Date, 1})
		case b.Known && span != 0:
			// A checkpoint the baseline (a first report, say) is already
			// past expects nothing yet, not less than nothing.
			pts = append(pts, point{c.Date, math.Max(0, (c.Value-b.Value)/span)})
		}
	}
	if t.Ongoing() {
		return pts
	}
	return append(pts, point{t.Deadline, 1})
}

// DueDate is when a target is due: its deadline, or for an ongoing target
// its first checkpoint at the target value ("到 2023 年达到 60%" under
// 持续推进); zero when there is neither. Past it, a target not met is
// overdue.
func DueDate(t *Target) time.Time {
	if !t.Ongoing() || t.Kind == Milestone || t.Period != ByDeadline {
		return t.Deadline
	}
	if t.dueKnown {
		return t.due // a revised target: the plan's
	}
	for _, c := range t.Checkpoints {
		if c.Value == t.Value && c.Date.After(t.Start) {
			return c.Date
		}
	}
	return time.Time{}
}

// PlannedValue is the value the schedule plans for now, in the target's
// unit (baseline + expected × (target − baseline)); NaN where either is
// unknown. Dashboards draw it as the planned path.
func PlannedValue(t *Target, b Baseline, now time.Time) float64 {
	if !b.Known {
		return math.NaN()
	}
	e := ExpectedProgress(t, b, now)
	return b.Value + e*(t.Value-b.Value)
}

// Baseline is what a series' progress is counted from, and since when.
type Baseline struct {
	Value float64
	// At is the date the value stands at: the plan's baseline_date, the
	// first report's date, or zero for the start.
	At    time.Time
	Known bool
}

// BaselineOf is the baseline of a series: the plan's (at its
// baseline_date), else the first report's (at its date); not known
// before any report. obs must be sorted by date.
func BaselineOf(t *Target, obs []Observation) Baseline {
	g := Digest{Count: len(obs)}
	if len(obs) > 0 {
		g.First = obs[0]
	}
	return baselineOf(t, &g)
}

func baselineOf(t *Target, g *Digest) Baseline {
	switch {
	case t.HasBaseline:
		return Baseline{Value: t.Baseline, At: t.BaselineDate, Known: true}
	case g.Count > 0:
		return Baseline{Value: g.First.Value, At: g.First.Date(t.Start.Location()), Known: true}
	}
	return Baseline{Value: math.NaN()}
}

// yearSpan is the part of the calendar year containing now (in the
// target's zone) that lies within the target's life.
func yearSpan(t *Target, now time.Time) (time.Time, time.Time) {
	loc := t.Start.Location()
	y := now.In(loc).Year()
	from := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	to := time.Date(y+1, 1, 1, 0, 0, 0, 0, loc)
	if from.Before(t.Start) {
		from = t.Start
	}
	if !t.Ongoing() && to.After(t.Deadline) {
		to = t.Deadline
	}
	return from, to
}

// judgedYear is the span an annual target is judged on at now: the current
// year, or the deadline's year once the deadline has passed.
func judgedYear(t *Target, now time.Time) (time.Time, time.Time) {
	if !t.Ongoing() && !now.Before(t.Deadline) {
		return yearSpan(t, t.Deadline.Add(-time.Nanosecond))
	}
	return yearSpan(t, now)
}

func fraction(from, to, now time.Time) float64 {
	total := to.Sub(from).Seconds()
	if total <= 0 {
		return 1
	}
	f := now.Sub(from).Seconds() / total
	return math.Max(0, math.Min(1, f))
}
