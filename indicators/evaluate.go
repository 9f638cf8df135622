package indicators

import (
	"math"
	"time"
)

// Evaluation is the state of one target in one region at one instant. NaN
// marks a number that does not exist (no report, no deadline, no trend).
type Evaluation struct {
	Target *Target // the target in force, revisions applied
	Region string

	Current     float64
	Baseline    float64
	BaselineAt  time.Time // the date Baseline stands at; zero: the start
	Progress    float64
	Expected    float64
	PaceAt      time.Time // the date Expected and Planned are for when not now: the latest report's (paceDate)
	Planned     float64   // planned value now, in the target's unit
	Status      Status
	LastReport  time.Time // as_of of the latest report; zero if none
	LastArrival time.Time // when the latest report was received

	Projected         float64   // forecast value at the deadline
	ProjectedProgress float64   // progress the forecast gives at the deadline
	ProjectedReach    time.Time // forecast date the target is reached; zero if none

	// Roll-up rows (the province row of an each_city target) count the
	// cities; RegionsTotal is 0 on ordinary rows.
	RegionsMet, RegionsTotal int
}

// Base is the evaluation's baseline, for PlannedValue.
func (e *Evaluation) Base() Baseline {
	return Baseline{Value: e.Baseline, At: e.BaselineAt, Known: !math.IsNaN(e.Baseline)}
}

// Met reports whether the evaluation has reached the target.
func (e *Evaluation) Met() bool { return e.Status == Achieved }

// EvaluateSeries judges one target in one region at now. obs must be sorted
// by AsOf (the store keeps one effective value per date); margin is the
// plan's lag margin.
func EvaluateSeries(t *Target, region string, obs []Observation, now time.Time, margin float64) Evaluation {
	g := Summarize(t, obs)
	return EvaluateDigest(t, region, &g, now, margin)
}

// EvaluateDigest judges one target in one region at now from the digest of
// its reports (Summarize, for t's shape).
func EvaluateDigest(t *Target, region string, g *Digest, now time.Time, margin float64) Evaluation {
	e := Evaluation{Target: t, Region: region, Current: math.NaN(), Baseline: math.NaN(), Progress: math.NaN(),
		Projected: math.NaN(), ProjectedProgress: math.NaN()}

	if g.Count > 0 {
		e.LastReport = g.Last.Date(t.Start.Location())
		if g.Received > 0 {
			e.LastArrival = time.UnixMilli(g.Received)
		}
	}

	// Baseline: the plan's, or the first report's.
	base := baselineOf(t, g)
	haveBase := base.Known
	if haveBase {
		e.Baseline, e.BaselineAt = base.Value, base.At
	}

	// Which reports count: annual targets are judged on the year's reports
	// only; the rest on everything since the start (earlier reports still
	// serve as a baseline).
	window := g.window(t, now)
	if window != nil {
		e.Current = window.Last.Value
	}

	// Expected progress and the planned value are taken at the date the
	// status is judged at (paceDate): today, or while the next report is not
	// due yet the latest report's date, so that the figures shown beside a
	// status, and the lag alerts and dashboards compute, are the ones it
	// was judged on.
	// When the next report is due, worked out once: staleness and the
	// pace date both ask (a cron schedule's Next is not free at 10⁵
	// series).
	nextDue := NextReportDue(t, e.LastReport)
	at := paceDate(t, window, nextDue, now)
	if at.Before(now) {
		e.PaceAt = at
	}
	e.Expected = ExpectedProgress(t, base, at)
	e.Planned = PlannedValue(t, base, at)
	if !math.IsNaN(e.Current) {
		e.Progress = progress(t, e.Current, e.Baseline)
	}
	if !math.IsNaN(e.Progress) && e.Progress < 1 && t.Kind != Milestone && t.Met(e.Current) {
		// Met within a 左右 tolerance: done, not "66.7% of the way"
		// (which would rank an achieved target among the laggards).
		e.Progress = 1
	}
	forecast(&e, t, window, haveBase, now)
	e.Status = judge(t, &e, nextDue, now, margin)
	return e
}

// progress is (current − baseline) / (target − baseline), which reads the
// same for at_least and at_most targets: both give 1 at the target. When
// target equals baseline there is no distance to cover, so progress is 1
// if the target is met and 0 if not. Milestones are 0 or 1, and sustained
// levels are 1 while they hold, else the share of the level reached.
func progress(t *Target, cur, base float64) float64 {
	switch {
	case t.Kind == Milestone:
		if cur >= 1 {
			return 1
		}
		return 0
	case t.Period == Sustained:
		if t.Met(cur) {
			return 1
		}
		if t.Direction == AtMost {
			if cur <= 0 {
				return 0
			}
			return t.Value / cur
		}
		if t.Value == 0 {
			return 0
		}
		return cur / t.Value
	}
	if math.IsNaN(base) {
		return math.NaN()
	}
	span := t.Value - base
	// A baseline already at or past the target leaves no distance to
	// cover (or one in the wrong direction, which would turn a decline
	// into "progress"): the target is simply met or not.
	if span == 0 || (t.Direction == AtLeast) != (span > 0) {
		if t.Met(cur) {
			return 1
		}
		return 0
	}
	return (cur - base) / span
}

// forecast projects the fitted line to the deadline (or, for annual
// targets, to the end of the judged year) while that is still ahead; a
// forecast for a past deadline has nothing left to warn about.
func forecast(e *Evaluation, t *Target, window *Span, haveBase bool, now time.Time) {
	if t.Kind == Milestone || t.Period == Sustained || window == nil || !window.Fits {
		return
	}
	line := window.Line
	end := horizon(t, window)
	if !end.IsZero() && end.After(now) {
		e.Projected = line.At(end)
		if haveBase {
			e.ProjectedProgress = progress(t, e.Projected, e.Baseline)
			if e.ProjectedProgress < 1 && t.Met(e.Projected) {
				e.ProjectedProgress = 1 // within a 左右 tolerance, as progress
			}
		}
	}
	// The day the line comes to meet the target (its tolerance included):
	// only while it is not met, the line moves towards it, and that day is
	// still ahead. A day already past, or the day a falling line leaves a
	// target it meets, would mislead. (A line fits through the reports
	// since the start, whose latest is the window's.)
	goal := t.Value - t.Tolerance
	if t.Direction == AtMost {
		goal = t.Value + t.Tolerance
	}
	towards := (line.Slope > 0) == (t.Direction == AtLeast)
	if at, ok := line.Reaches(goal); ok && towards && !t.Met(e.Current) && at.After(now) &&
		at.After(time.Unix(window.Last.AsOf, 0)) {
		// An annual total starts again on 1 January: a reach date past
		// the year's end means nothing.
		if t.Period != Annual || at.Before(end) {
			e.ProjectedReach = at
		}
	}
}

func horizon(t *Target, window *Span) time.Time {
	if t.Period == Annual {
		_, to := yearSpan(t, time.Unix(window.Last.AsOf, 0))
		return to
	}
	return DueDate(t)
}

// paceDate is the date a series' progress is held to the schedule at:
// the date of the latest report judged, while the report schedule does not
// want the next one yet, else today. Progress moves only when a report
// comes; held to today's expectation, a province exactly on its path would
// read lagging for most of every quarter, the more so the shorter its path
// (from a first report). Once the next report is due the series is stale,
// which says what is wrong. Without a schedule nothing says so, and the
// date is today; past the due date, too (all of the target is expected).
func paceDate(t *Target, window *Span, nextDue, now time.Time) time.Time {
	if t.ReportDue == nil || window == nil || t.Kind == Milestone || t.Period == Sustained {
		return now
	}
	if due := DueDate(t); !due.IsZero() && !now.Before(due) {
		return now
	}
	// The window's last report is the series' last (a report of a later
	// year than the one judged only comes once the due date has passed),
	// so nextDue, worked out from the series' last, is its.
	at := time.Unix(window.Last.AsOf, 0)
	if !at.Before(now) || !nextDue.IsZero() && !now.Before(nextDue) {
		return now // the next report is due: stale, and today's expectation stands
	}
	return at
}

// judge applies the status precedence: achieved, overdue, stale, no_data,
// lagging, ongoing, on_track.
func judge(t *Target, e *Evaluation, nextDue, now time.Time, margin float64) Status {
	has := !math.IsNaN(e.Current)
	met := has && t.Met(e.Current)
	if t.Kind == Milestone {
		met = has && e.Current >= 1
	}
	due := DueDate(t)
	switch {
	case met:
		return Achieved
	case !due.IsZero() && !now.Before(due):
		return Overdue
	case !nextDue.IsZero() && !now.Before(nextDue):
		// The report the schedule wants next is late (NextReportDue). A
		// first report that never comes is as late as any other.
		return Stale
	case !has:
		return NoData
	case t.Period == Sustained && !now.Before(t.Start):
		// Any breach of a level that must hold is a lag, however small.
		return Lagging
	case t.Kind == Milestone && t.Ongoing(),
		t.Period == ByDeadline && t.Ongoing() && math.IsNaN(e.Expected):
		// No pace to be behind: an ongoing target without checkpoints.
		return Ongoing
	case !math.IsNaN(e.Expected) && !math.IsNaN(e.Progress) && e.Progress < e.Expected-margin:
		return Lagging
	}
	return OnTrack
}

// NextReportDue is when the report schedule wants the next report, given
// the date of the latest report (zero if none came); zero without a
// schedule. Past it, the series is stale.
//
// A due time asks for the figures up to the end of the month before it:
// the shipped schedule's 10 April for those of 31 March, 10 January for
// the year's. So the next report is due at the first due time whose month
// comes after the month of the day after the latest report's date,
// whenever that report arrived: a first quarter's report sent on 8 April
// answers 10 April, not 10 July, and one of 31 October answers 10 October
// but not 10 January. Before any report the day before the start stands
// in for it, as it does for a report dated earlier (a baseline): the first
// report is due in April of a plan starting on 1 January, not on 10
// January, which asks for the figures of before it.
func NextReportDue(t *Target, lastReport time.Time) time.Time {
	if t.ReportDue == nil {
		return time.Time{}
	}
	loc := t.Start.Location()
	d := lastReport.In(loc)
	if before := t.Start.In(loc).AddDate(0, 0, -1); lastReport.IsZero() || d.Before(before) {
		d = before // a report from before the start (a baseline) asks for no earlier report than none does
	}
	next := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	month := time.Date(next.Year(), next.Month()+1, 1, 0, 0, 0, 0, loc)
	// Schedules are in whole seconds: the first due time after the second
	// before is the first at or after.
	return t.ReportDue(month.Add(-time.Second))
}
