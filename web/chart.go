package web

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// chart is an inline SVG line chart of one series: the reported values,
// the planned path, the target, the forecast, today and the deadline.
// Coordinates are computed here; the template only places them.
type chart struct {
	Class                    string // "wide" or "narrow": CSS shows one
	W, H                     float64
	Left, Right, Top, Bottom float64
	YTicks, XTicks           []tick
	Actual                   []string // polyline points; one per year for annual targets
	Dots                     []dot
	Planned                  string
	Forecast                 string
	TargetY                  float64
	TargetLabel              string
	Band                     *band // the tolerance of a 左右 target
	Now, Deadline            *vline
	Label                    string // for screen readers
}

type tick struct {
	At    float64
	Label string
}

type dot struct {
	X, Y  float64
	Label string
}

type band struct{ Y, H float64 }

type vline struct {
	X     float64
	Label string
}

// size is a chart's geometry in SVG units. The page carries a wide chart
// for screens and a narrow one for phones, where the wide one would shrink
// its text below reading size.
type size struct {
	class      string
	w, h, left float64
	maxXTicks  int
}

var (
	wide   = size{class: "wide", w: 760, h: 300, left: 76, maxXTicks: 12}
	narrow = size{class: "narrow", w: 400, h: 300, left: 58, maxXTicks: 4}
)

// newChart draws a series of t (the target in force) with obs sorted by
// date. It returns nil for milestones, which have nothing to plot.
func newChart(e *indicators.Evaluation, obs []indicators.Observation, now time.Time, loc *time.Location, sz size) *chart {
	t := e.Target
	if t.Kind == indicators.Milestone {
		return nil
	}
	haveBase := !math.IsNaN(e.Baseline)

	// Time axis: from the start (or the first report) to the deadline,
	// today or the last report, whichever is latest.
	// The due date is the deadline, or an ongoing target's checkpoint at
	// its value (到 2023 年达到 60% under 持续推进).
	due := indicators.DueDate(t)
	x0, x1 := t.Start, now
	if due.After(x1) {
		x1 = due
	}
	if len(obs) > 0 {
		if first := obs[0].Date(loc); first.Before(x0) {
			x0 = first
		}
		if last := obs[len(obs)-1].Date(loc); last.After(x1) {
			x1 = last
		}
	}
	// The forecast runs to the deadline, or to the end of the judged year
	// of an annual target: the axis must reach that far.
	var fcEnd time.Time
	if !math.IsNaN(e.Projected) && len(obs) > 0 {
		last := obs[len(obs)-1].Date(loc)
		fcEnd = due
		if t.Period == indicators.Annual {
			fcEnd = time.Date(last.In(loc).Year()+1, 1, 1, 0, 0, 0, 0, loc)
			if !t.Ongoing() && fcEnd.After(t.Deadline) {
				fcEnd = t.Deadline
			}
		}
		if !fcEnd.After(last) {
			fcEnd = time.Time{}
		} else if fcEnd.After(x1) {
			x1 = fcEnd
		}
	}
	if !x1.After(x0) {
		x1 = x0.AddDate(1, 0, 0)
	}

	// The planned path is piecewise linear between these instants (it
	// jumps at the deadline of a milestone-like step and at every 1
	// January of an annual target).
	// A baseline that already meets the target leaves no path to plan
	// (progress is then simply met or not).
	var planned [][2]float64 // (unix seconds, value)
	if haveBase && t.Period != indicators.Sustained && !(t.Period == indicators.ByDeadline && t.Met(e.Baseline)) {
		at := []time.Time{x0, x1, t.Start}
		if !e.BaselineAt.IsZero() {
			at = append(at, e.BaselineAt) // the path starts there when it is after the start
		}
		if due := indicators.DueDate(t); !due.IsZero() {
			at = append(at, due.Add(-time.Second), due)
		}
		for _, c := range t.Checkpoints {
			at = append(at, c.Date)
		}
		if !t.Ongoing() {
			at = append(at, t.Deadline.Add(-time.Second), t.Deadline)
		}
		if t.Period == indicators.Annual {
			for y := x0.In(loc).Year() + 1; y <= x1.In(loc).Year(); y++ {
				jan := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
				at = append(at, jan.Add(-time.Second), jan)
			}
		}
		sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
		for _, a := range at {
			if a.Before(x0) || a.After(x1) {
				continue
			}
			if v := indicators.PlannedValue(t, e.Base(), a); !math.IsNaN(v) {
				planned = append(planned, [2]float64{float64(a.Unix()), v})
			}
		}
	}

	// Value axis: everything drawn must fit.
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	see(t.Value - t.Tolerance)
	see(t.Value + t.Tolerance)
	for _, o := range obs {
		see(o.Value)
	}
	for _, p := range planned {
		see(p[1])
	}
	see(e.Projected)
	if lo >= 0 && lo <= 0.25*hi {
		lo = 0 // counts from nothing read best from zero
	}
	if hi-lo < 1e-9 {
		pad := math.Max(math.Abs(hi)*0.1, 1)
		lo, hi = lo-pad, hi+pad
	}
	step := niceStep((hi - lo) / 4)
	y0, y1 := math.Floor(lo/step)*step, math.Ceil(hi/step)*step

	c := &chart{Class: sz.class, W: sz.w, H: sz.h, Left: sz.left, Right: sz.w - 20, Top: 22, Bottom: sz.h - 34}
	xs := func(tm time.Time) float64 {
		return r1(c.Left + (c.Right-c.Left)*float64(tm.Unix()-x0.Unix())/float64(x1.Unix()-x0.Unix()))
	}
	ys := func(v float64) float64 { return r1(c.Bottom - (c.Bottom-c.Top)*(v-y0)/(y1-y0)) }

	for v := y0; v <= y1+step/2; v += step {
		c.YTicks = append(c.YTicks, tick{At: ys(v), Label: number(v, t.Unit)})
	}
	c.XTicks = timeTicks(x0, x1, loc, xs, sz.maxXTicks)

	// An annual target restarts every year: its year-to-date values are
	// not joined across 1 January.
	var pts []string
	for i, o := range obs {
		at := o.Date(loc)
		if i > 0 && t.Period == indicators.Annual && at.Year() != obs[i-1].Date(loc).Year() {
			c.Actual = append(c.Actual, strings.Join(pts, " "))
			pts = nil
		}
		x, y := xs(at), ys(o.Value)
		pts = append(pts, fmt.Sprintf("%v,%v", x, y))
		c.Dots = append(c.Dots, dot{X: x, Y: y, Label: day(at, loc) + "：" + withUnit(o.Value, t.Unit)})
	}
	if len(pts) > 0 {
		c.Actual = append(c.Actual, strings.Join(pts, " "))
	}
	pts = nil
	for _, p := range planned {
		pts = append(pts, fmt.Sprintf("%v,%v", xs(time.Unix(int64(p[0]), 0)), ys(p[1])))
	}
	c.Planned = strings.Join(pts, " ")

	c.TargetY = ys(t.Value)
	c.TargetLabel = "目标 " + withUnit(t.Value, t.Unit)
	if t.Tolerance > 0 {
		top, bottom := ys(t.Value+t.Tolerance), ys(t.Value-t.Tolerance)
		c.Band = &band{Y: top, H: r1(bottom - top)}
	}

	if !fcEnd.IsZero() {
		last := obs[len(obs)-1]
		c.Forecast = fmt.Sprintf("%v,%v %v,%v", xs(last.Date(loc)), ys(last.Value), xs(fcEnd), ys(e.Projected))
	}
	if !now.Before(x0) && !now.After(x1) {
		c.Now = &vline{X: xs(now), Label: "今天"}
	}
	if !due.IsZero() && !due.After(x1) {
		c.Deadline = &vline{X: xs(due), Label: "完成时限"}
	}
	c.Label = fmt.Sprintf("%s走势图：%d 次报送，目标 %s", t.Name, len(obs), targetText(t))
	return c
}

// timeTicks marks every 1 January, or every quarter on a short axis,
// thinned to at most max labels.
func timeTicks(x0, x1 time.Time, loc *time.Location, xs func(time.Time) float64, max int) []tick {
	var out []tick
	a, b := x0.In(loc), x1.In(loc)
	if b.Year()-a.Year() >= 2 {
		for y := a.Year(); y <= b.Year(); y++ {
			jan := time.Date(y, 1, 1, 0, 0, 0, 0, loc)
			if !jan.Before(x0) && !jan.After(x1) {
				out = append(out, tick{At: xs(jan), Label: fmt.Sprintf("%d年", y)})
			}
		}
	} else {
		for m := time.Date(a.Year(), a.Month(), 1, 0, 0, 0, 0, loc); !m.After(x1); m = m.AddDate(0, 1, 0) {
			if (m.Month()-1)%3 == 0 && !m.Before(x0) {
				out = append(out, tick{At: xs(m), Label: m.Format("2006-01")})
			}
		}
	}
	if max > 0 && len(out) > max {
		step := (len(out) + max - 1) / max
		var kept []tick
		for i := len(out) - 1; i >= 0; i -= step { // keep the latest
			kept = append([]tick{out[i]}, kept...)
		}
		out = kept
	}
	return out
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// r1 rounds to one decimal: enough for a 760-unit-wide chart, and short.
func r1(v float64) float64 { return math.Round(v*10) / 10 }
