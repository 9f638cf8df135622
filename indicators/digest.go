package indicators

import (
	"sort"
	"time"
)

// A Digest is what the evaluation of a series needs of its reports, so
// that a state need not hold them all: the store keeps each series'
// reports on disk and a digest in memory, which grows with the number of
// series, not with the reports (a history import of millions of rows
// would otherwise stay in memory for good). Summarize makes one from the
// reports; EvaluateDigest judges it exactly as EvaluateSeries judges the
// reports (EvaluateSeries is the two together).
//
// What it holds depends on the target's shape (ShapeOf): annual targets
// are judged on one year's reports, the rest on all of them, and a trend
// is fitted from the target's start. A digest made for another shape (a
// plan reloaded with another start, deadline or period) must be made
// again from the reports.
type Digest struct {
	Shape    Shape
	Count    int         // reports
	First    Observation // the earliest: the baseline where the plan has none
	Last     Observation // the latest
	Received int64       // the latest arrival, Unix milliseconds; 0 if unknown
	// Spans are the windows the series can be judged on: for an annual
	// target one for each year of its life that has reports, oldest
	// first; else one, all the reports.
	Spans []Span
}

// Span is what one window of reports gives the evaluation.
type Span struct {
	Year int         // the calendar year of an annual target's window; 0 otherwise
	Last Observation // the window's latest report
	// Line is the trend fitted through the window's reports since the
	// target's start (Fit), when Fits.
	Line Line
	Fits bool
}

// Shape is what of a target decides what a digest holds.
type Shape struct {
	Annual   bool
	Forecast bool  // a trend is fitted: not a milestone or a sustained level
	Start    int64 // Unix seconds
	Deadline int64 // Unix seconds; 0 for an ongoing target
	Zone     string
}

// ShapeOf is the shape of t.
func ShapeOf(t *Target) Shape {
	s := Shape{Annual: t.Period == Annual, Forecast: t.Kind != Milestone && t.Period != Sustained,
		Start: t.Start.Unix(), Zone: t.Start.Location().String()}
	if !t.Ongoing() {
		s.Deadline = t.Deadline.Unix()
	}
	return s
}

// Summarize digests the reports of a series (sorted by AsOf, one a date,
// as a state keeps them) for target t.
func Summarize(t *Target, obs []Observation) Digest {
	g := Digest{Shape: ShapeOf(t), Count: len(obs)}
	if len(obs) == 0 {
		return g
	}
	g.First, g.Last = obs[0], obs[len(obs)-1]
	for _, o := range obs {
		g.Received = max(g.Received, o.Received)
	}
	if t.Period != Annual {
		sp := Span{Last: g.Last}
		if g.Shape.Forecast {
			// The reports since the start are the tail.
			from := obs[sort.Search(len(obs), func(i int) bool { return obs[i].AsOf >= g.Shape.Start }):]
			sp.Line, sp.Fits = Fit(from, t.Start)
		}
		g.Spans = []Span{sp}
		return g
	}
	// Annual: the reports of each year within the target's life, which
	// is the window judgedYear gives for that year.
	loc := t.Start.Location()
	for i := 0; i < len(obs); {
		at := time.Unix(obs[i].AsOf, 0)
		from, to := yearSpan(t, at)
		if at.Before(from) || !at.Before(to) {
			i++ // before the start or at or past the deadline: judged in no year
			continue
		}
		j := i + sort.Search(len(obs)-i, func(k int) bool { return obs[i+k].AsOf >= to.Unix() })
		w := obs[i:j]
		sp := Span{Year: at.In(loc).Year(), Last: w[len(w)-1]}
		if g.Shape.Forecast {
			sp.Line, sp.Fits = Fit(w, t.Start)
		}
		g.Spans = append(g.Spans, sp)
		i = j
	}
	return g
}

// window is the span a target is judged on at now, nil if it has no
// reports.
func (g *Digest) window(t *Target, now time.Time) *Span {
	if t.Period != Annual {
		if len(g.Spans) == 0 {
			return nil
		}
		return &g.Spans[0]
	}
	from, to := judgedYear(t, now)
	if !from.Before(to) {
		return nil // before the start: no year is judged yet
	}
	y := from.In(t.Start.Location()).Year()
	for i := range g.Spans {
		if g.Spans[i].Year == y {
			return &g.Spans[i]
		}
	}
	return nil
}

// Digested returns d with the series of d.Series digested for the targets
// of p, as the store keeps a state: Digests in place of Series (a series
// whose indicator p does not have is dropped; nothing evaluates it).
func Digested(p *Plan, d Data) Data {
	out := Data{Plan: p, Digests: make(map[SeriesKey]*Digest, len(d.Series)), Revisions: d.Revisions}
	for k, obs := range d.Series {
		if t, ok := p.TargetID(k.Indicator); ok && len(obs) > 0 {
			g := Summarize(t, obs)
			out.Digests[k] = &g
		}
	}
	return out
}
