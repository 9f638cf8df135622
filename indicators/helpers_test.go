package indicators_test

import (
	"math"
	"testing"
	"time"
	_ "time/tzdata" // the tests need Asia/Shanghai even where the host has no zoneinfo

	"github.com/shandong/indicator_exporter/indicators"
)

// sh is the plan's zone. Every clock in these tests is a fixed time.Date in
// it: the package reads no clock, so "now" is whatever the test says.
var sh = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

// day is 00:00 of a day in Shanghai: a start date, an as_of date, or "now"
// at the first instant of that day.
func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, sh) }

// endOf is the end of a day (00:00 of the next), as the config loader
// turns a deadline or checkpoint date into an instant.
func endOf(y, m, d int) time.Time { return time.Date(y, time.Month(m), d+1, 0, 0, 0, 0, sh) }

// at is a wall-clock time in Shanghai.
func at(y, m, d, hh, mm, ss int) time.Time {
	return time.Date(y, time.Month(m), d, hh, mm, ss, 0, sh)
}

// The plan used by most tests runs 2021-01-01 .. 2025-12-31 (end of day),
// 1826 days. Days since the start are easy to count: 2021 and 2022 have
// 365 days, 2024 has 366.
var (
	start2021  = day(2021, 1, 1)
	deadline25 = endOf(2025, 12, 31) // = 2026-01-01 00:00
)

const spanDays = 1826.0 // 2021-01-01 .. 2026-01-01

// ob is a report as of a day, received five days later.
func ob(y, m, d int, v float64) indicators.Observation {
	asOf := day(y, m, d)
	return indicators.At(asOf, v, asOf.AddDate(0, 0, 5))
}

// obRecv is a report with an explicit arrival time.
func obRecv(asOf time.Time, v float64, recv time.Time) indicators.Observation {
	return indicators.At(asOf, v, recv)
}

// monthlyDue is a report_schedule as the loader makes of "0 0 10 * *":
// the first 00:00 on the 10th of a month after t. Each due time asks for
// the figures of the month before.
func monthlyDue(t time.Time) time.Time {
	t = t.In(sh)
	d := time.Date(t.Year(), t.Month(), 10, 0, 0, 0, 0, sh)
	if !d.After(t) {
		d = d.AddDate(0, 1, 0)
	}
	return d
}

// quarterlyDue is the shipped plan's "0 0 10 1,4,7,10 *": the first 00:00
// on 10 January, April, July or October after t.
func quarterlyDue(t time.Time) time.Time {
	for d := monthlyDue(t); ; d = monthlyDue(d) {
		if d.Month()%3 == 1 {
			return d
		}
	}
}

// near compares floats: NaN only equals NaN; otherwise the difference
// must be below 1e-9, scaled up for values beyond 1 in magnitude (so
// 250000000 is compared to about 0.25, the precision its reports carry).
func near(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) < 1e-9*math.Max(1, math.Abs(want))
}

func checkFloat(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !near(got, want) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// checkTime compares instants (not zones); slack allows for forecasts
// computed in float seconds.
func checkTime(t *testing.T, what string, got, want time.Time, slack time.Duration) {
	t.Helper()
	if want.IsZero() || got.IsZero() {
		if !(want.IsZero() && got.IsZero()) {
			t.Errorf("%s = %v, want %v", what, fmtTime(got), fmtTime(want))
		}
		return
	}
	// Not got.Sub(want): Sub saturates at ±292 years, and some of these
	// instants are centuries apart.
	d := float64(got.Unix()-want.Unix()) + float64(got.Nanosecond()-want.Nanosecond())/1e9
	if math.Abs(d) > slack.Seconds() {
		t.Errorf("%s = %v, want %v (±%v)", what, fmtTime(got), fmtTime(want), slack)
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "zero time"
	}
	return t.In(sh).Format("2006-01-02 15:04:05.000000000 MST")
}

// daysAfter is an instant a whole number of days after t (in Shanghai
// there is no daylight saving, so a day is always 86400 s).
func daysAfter(t time.Time, days int) time.Time { return t.AddDate(0, 0, days) }

// target builds a quantitative province target over the standard span;
// edit tweaks it.
func target(edit func(*indicators.Target)) *indicators.Target {
	t := &indicators.Target{
		ID:        "t",
		Name:      "测试指标",
		Unit:      "%",
		Kind:      indicators.Quantitative,
		Direction: indicators.AtLeast,
		Measure:   indicators.Level,
		Period:    indicators.ByDeadline,
		Scope:     indicators.Province,
		Value:     100,
		Start:     start2021,
		Deadline:  deadline25,
	}
	if edit != nil {
		edit(t)
	}
	return t
}

// increment is a 新增… target: cumulative since the start, baseline 0.
func increment(value float64) *indicators.Target {
	return target(func(t *indicators.Target) {
		t.Measure, t.Value, t.Baseline, t.HasBaseline, t.BaselineDate = indicators.Increment, value, 0, true, start2021
	})
}

// milestone is a done-or-not target as the config loader builds it.
func milestone(deadline time.Time) *indicators.Target {
	return target(func(t *indicators.Target) {
		t.Kind, t.Value, t.Baseline, t.HasBaseline, t.Unit = indicators.Milestone, 1, 0, true, ""
		t.Deadline = deadline
	})
}
