// Package indicators is the domain of indicator_exporter: quantitative
// targets, their progress, the schedule they should follow, their status and
// a forecast. It does no I/O and reads no clock; callers pass "now" in, so
// every rule can be tested with a fake clock.
package indicators

import (
	"math"
	"time"
)

// Kind says whether an indicator has a number to reach or is a milestone
// that is either done or not.
type Kind string

const (
	Quantitative Kind = "quantitative"
	Milestone    Kind = "milestone"
)

// Direction says which way is better.
type Direction string

const (
	AtLeast Direction = "at_least" // 达到…以上, 新增…
	AtMost  Direction = "at_most"  // 降至…, 不超…
)

// Period says over which span a target is judged.
type Period string

const (
	// ByDeadline targets are reached once, by the deadline.
	ByDeadline Period = "by_deadline"
	// Annual targets (每年, 年均) restart every 1 January and are judged
	// on the year-to-date value.
	Annual Period = "annual"
	// Sustained targets (稳定在) are a level to hold; the latest value is
	// judged against it.
	Sustained Period = "sustained"
)

// Scope says whether a target is for the province as a whole or for each
// city separately (各市…).
type Scope string

const (
	Province Scope = "province"
	EachCity Scope = "each_city"
)

// Measure says what a reported value means.
type Measure string

const (
	// Level values are the state at as_of (a rate, a ratio, a count in
	// service). Their baseline is a known value or the first report.
	Level Measure = "level"
	// Increment values (新增…, 建设…个) are the cumulative total since the
	// target's start, so their baseline is 0 by definition.
	Increment Measure = "increment"
)

// Checkpoint is a dated intermediate value on the way to a target, such as
// a yearly renovation plan.
type Checkpoint struct {
	Date  time.Time
	Value float64
}

// Target is one measurable target of the plan, already validated.
type Target struct {
	ID          string
	Task        int
	Section     string
	Name        string
	Description string
	Unit        string
	Kind        Kind
	Direction   Direction
	Measure     Measure
	Period      Period
	Scope       Scope

	// Value is the number to reach (for milestones, 1).
	Value float64
	// Tolerance widens "met" for 左右 targets, in the target's unit.
	Tolerance float64

	// Baseline is the value at BaselineDate; when HasBaseline is false, the
	// first report is taken as the baseline.
	Baseline     float64
	HasBaseline  bool
	BaselineDate time.Time

	Start time.Time
	// Deadline is the end of the last day by which the target must be
	// met; the zero time means ongoing (持续推进).
	Deadline    time.Time
	Checkpoints []Checkpoint

	Lead         []string
	Participants []string

	// ReportDue, when set, returns the first time after t at which a
	// report is due (a parsed report_schedule).
	ReportDue func(t time.Time) time.Time

	// The plan's due date, kept by Revise: a revision may change the value
	// due, never make or move the date (DueDate).
	due      time.Time
	dueKnown bool
}

// Ongoing reports whether the target has no deadline.
func (t *Target) Ongoing() bool { return t.Deadline.IsZero() }

// Met reports whether v satisfies the target, honouring direction and
// tolerance.
func (t *Target) Met(v float64) bool {
	return met(t.Direction, v, t.Value, t.Tolerance)
}

func met(d Direction, v, target, tol float64) bool {
	if math.IsNaN(v) {
		return false
	}
	// A small epsilon keeps 0.1+0.2 style sums from missing a target
	// they equal on paper.
	const eps = 1e-9
	if d == AtMost {
		return v <= target+tol+eps*math.Max(1, math.Abs(target))
	}
	return v >= target-tol-eps*math.Max(1, math.Abs(target))
}

// Observation is one effective reported value of a series. A state holds
// millions of them, so both times are kept as numbers: 24 bytes an
// observation, and no pointer in it, so the garbage collector never scans
// a state (a time.Time carries a *time.Location; it made an observation 40
// bytes and every collection walk all of them).
type Observation struct {
	AsOf     int64 // the report's date: Unix seconds of its 00:00 in the plan's zone
	Value    float64
	Received int64 // arrival time, Unix milliseconds
}

// At is an observation of v on the date of asOf (the instant 00:00 of
// that date), received at recv.
func At(asOf time.Time, v float64, recv time.Time) Observation {
	o := Observation{AsOf: asOf.Unix(), Value: v}
	if !recv.IsZero() {
		o.Received = recv.UnixMilli()
	}
	return o
}

// Date is the report's date as 00:00 in loc (the plan's zone).
func (o Observation) Date(loc *time.Location) time.Time { return time.Unix(o.AsOf, 0).In(loc) }

// ReceivedAt is when the report arrived.
func (o Observation) ReceivedAt() time.Time { return time.UnixMilli(o.Received) }
