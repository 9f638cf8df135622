package indicators

import (
	"math"
	"time"
)

// Line is a least-squares fit value = Intercept + Slope × seconds since
// Origin.
type Line struct {
	Origin    time.Time
	Intercept float64
	Slope     float64 // per second
}

// Fit fits a least-squares line through the observations. It needs at
// least two distinct dates; with fewer there is no trend to project.
func Fit(obs []Observation, origin time.Time) (Line, bool) {
	n := float64(len(obs))
	distinct := false
	for _, o := range obs[min(1, len(obs)):] {
		if o.AsOf != obs[0].AsOf {
			distinct = true
			break
		}
	}
	if !distinct {
		return Line{}, false
	}
	// Centre on the means first: seconds since 2021 squared lose
	// precision in a naive Σx² − (Σx)²/n.
	o0 := origin.Unix()
	var mx, my float64
	for _, o := range obs {
		mx += float64(o.AsOf - o0)
		my += o.Value
	}
	mx, my = mx/n, my/n
	var sxx, sxy float64
	for _, o := range obs {
		dx := float64(o.AsOf-o0) - mx
		sxx += dx * dx
		sxy += dx * (o.Value - my)
	}
	if sxx == 0 {
		return Line{}, false
	}
	b := sxy / sxx
	return Line{Origin: origin, Intercept: my - b*mx, Slope: b}, true
}

// At is the line's value at t.
func (l Line) At(t time.Time) float64 {
	return l.Intercept + l.Slope*t.Sub(l.Origin).Seconds()
}

// Reaches is when the line reaches v, if it moves towards v at all.
func (l Line) Reaches(v float64) (time.Time, bool) {
	if l.Slope == 0 {
		return time.Time{}, false
	}
	secs := (v - l.Intercept) / l.Slope
	// time.Duration overflows past about 292 years; a target that far
	// off is never reached as far as a plan is concerned.
	if math.IsNaN(secs) || math.IsInf(secs, 0) || math.Abs(secs) > 9e9 {
		return time.Time{}, false
	}
	// Whole seconds: 1813593599.9999 is the 00:00 it stands for, not
	// the day before.
	return l.Origin.Add(time.Duration(math.Round(secs)) * time.Second), true
}
