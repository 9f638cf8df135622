package web

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

func TestNumber(t *testing.T) {
	tests := map[string]struct {
		v    float64
		unit string
		want string
	}{
		"ten thousands become 万":            {1500000, "户", "150万"},
		"hundred millions become 亿":         {250000000, "平方米", "2.5亿"},
		"two decimals at most":              {1234567, "人", "123.46万"},
		"small numbers stay":                {3800, "公里", "3800"},
		"percent keeps its number":          {66.3, "%", "66.3"},
		"a unit in 万 is not scaled again":   {120000, "万元", "120000"},
		"fractions keep three decimals":     {0.125, "倍", "0.125"},
		"trailing zeros go":                 {2.50, "倍", "2.5"},
		"negative zero is zero":             {-0.0001, "倍", "0"},
		"NaN is a dash":                     {math.NaN(), "户", "—"},
		"negative numbers keep their sign":  {-35000, "人", "-3.5万"},
		"percentage points are not scaled":  {12000, "百分点", "12000"},
		"a whole number prints no fraction": {2, "座", "2"},
		"infinity is a dash, not a number":  {math.Inf(1), "户", "—"},
		"a value just under 1万 stays as is": {9999.5, "个", "9999.5"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := number(tc.v, tc.unit); got != tc.want {
				t.Errorf("number(%v, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
			}
		})
	}
}

func TestTargetText(t *testing.T) {
	tg := func(mod func(*indicators.Target)) *indicators.Target {
		t := &indicators.Target{Kind: indicators.Quantitative, Direction: indicators.AtLeast, Period: indicators.ByDeadline,
			Scope: indicators.Province, Value: 66, Unit: "%"}
		mod(t)
		return t
	}
	tests := map[string]struct {
		t    *indicators.Target
		want string
	}{
		"at least":  {tg(func(*indicators.Target) {}), "≥ 66%"},
		"at most":   {tg(func(t *indicators.Target) { t.Direction, t.Value, t.Unit = indicators.AtMost, 2.25, "倍" }), "≤ 2.25倍"},
		"annual":    {tg(func(t *indicators.Target) { t.Period, t.Value, t.Unit = indicators.Annual, 1100000, "人" }), "每年 ≥ 110万人"},
		"sustained": {tg(func(t *indicators.Target) { t.Period, t.Value = indicators.Sustained, 85 }), "稳定在85%以上"},
		"sustained at most": {tg(func(t *indicators.Target) {
			t.Period, t.Direction, t.Value = indicators.Sustained, indicators.AtMost, 5
		}), "稳定在5%以下"},
		"each city":  {tg(func(t *indicators.Target) { t.Scope, t.Value, t.Unit = indicators.EachCity, 1, "处" }), "各市 ≥ 1处"},
		"about (左右)": {tg(func(t *indicators.Target) { t.Tolerance = 0.5 }), "66%左右（±0.5个百分点）"},
		"about, in points": {tg(func(t *indicators.Target) {
			t.Period, t.Value, t.Unit, t.Tolerance = indicators.Annual, 1, "百分点", 0.1
		}), "每年 1个百分点左右（±0.1个百分点）"},
		"about, in units":     {tg(func(t *indicators.Target) { t.Value, t.Unit, t.Tolerance = 15, "万人", 1 }), "15万人左右（±1万人）"},
		"milestone":           {tg(func(t *indicators.Target) { t.Kind = indicators.Milestone }), "完成"},
		"each-city milestone": {tg(func(t *indicators.Target) { t.Kind, t.Scope = indicators.Milestone, indicators.EachCity }), "各市完成"},
		"yearly milestone":    {tg(func(t *indicators.Target) { t.Kind, t.Period = indicators.Milestone, indicators.Annual }), "每年完成"},
		"each city, yearly": {tg(func(t *indicators.Target) {
			t.Kind, t.Scope, t.Period = indicators.Milestone, indicators.EachCity, indicators.Annual
		}), "各市每年完成"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := targetText(tc.t); got != tc.want {
				t.Errorf("targetText = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDeadlineIsTheLastIncludedDay(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	tg := &indicators.Target{Deadline: time.Date(2024, 1, 1, 0, 0, 0, 0, loc)} // end of 2023-12-31
	if got := deadline(tg, loc); got != "2023-12-31" {
		t.Errorf("deadline = %q", got)
	}
	if got := deadline(&indicators.Target{}, loc); got != "持续推进" {
		t.Errorf("ongoing deadline = %q", got)
	}
	due := &indicators.Target{Kind: indicators.Quantitative, Period: indicators.ByDeadline, Value: 60,
		Start:       time.Date(2021, 1, 1, 0, 0, 0, 0, loc),
		Checkpoints: []indicators.Checkpoint{{Date: time.Date(2024, 1, 1, 0, 0, 0, 0, loc), Value: 60}}}
	if got := deadline(due, loc); got != "2023-12-31（持续推进）" {
		t.Errorf("ongoing deadline due at a checkpoint = %q", got)
	}
}

func TestSplitReport(t *testing.T) {
	head, body := splitReport("\ufeff文件 / file: a.csv\r\n部门 / department: housing\r\n结果 / result: 已拒收\r\n\r\n第 2 行: x\r\n第 3 行: y\r\n")
	if strings.Join(head, "|") != "结果 / result: 已拒收" || strings.Join(body, "|") != "第 2 行: x|第 3 行: y" {
		t.Errorf("head %q body %q", head, body)
	}
	head, body = splitReport("one line only")
	if head != nil || strings.Join(body, "|") != "one line only" {
		t.Errorf("without a blank line: head %q body %q", head, body)
	}
}

func TestNiceStep(t *testing.T) {
	for raw, want := range map[float64]float64{0.3: 0.5, 1: 1, 1.2: 2, 3: 5, 7: 10, 120000: 200000, 0: 1, -5: 1} {
		if got := niceStep(raw); math.Abs(got-want) > 1e-9 {
			t.Errorf("niceStep(%v) = %v, want %v", raw, got, want)
		}
	}
}

func TestChart(t *testing.T) {
	plan := loadPlan(t, "testdata/plan.toml")
	loc := plan.Location
	d := func(s string) time.Time { v, _ := time.ParseInLocation(dateLayout, s, loc); return v }
	now := d("2022-07-01")
	tg, _ := plan.Target("renovated_households")
	obs := []indicators.Observation{{AsOf: d("2021-12-31").Unix(), Value: 500000}, {AsOf: d("2022-06-30").Unix(), Value: 900000}}
	e := indicators.EvaluateSeries(tg, "shandong", obs, now, plan.LagMargin)

	c := newChart(&e, obs, now, loc, wide)
	if c == nil {
		t.Fatal("no chart")
	}
	if len(c.Dots) != 2 || len(c.Actual) != 1 || c.Planned == "" || c.Forecast == "" || c.Now == nil || c.Deadline == nil {
		t.Fatalf("chart parts missing: %+v", c)
	}
	// The planned path runs from 0 at the start to the target at the
	// deadline: its ends are the plot's bottom-left and the target line.
	pts := strings.Fields(c.Planned)
	if pts[0] != "76,266" {
		t.Errorf("planned path starts at %s, want the origin 76,266", pts[0])
	}
	if last := pts[len(pts)-1]; !strings.HasSuffix(last, ","+trimFloat(c.TargetY)) {
		t.Errorf("planned path ends at %s, not on the target line (y=%v)", last, c.TargetY)
	}
	for _, d := range c.Dots {
		if d.X < c.Left || d.X > c.Right || d.Y < c.Top || d.Y > c.Bottom {
			t.Errorf("dot %+v outside the plot", d)
		}
	}
	if c.Label == "" || !strings.Contains(c.TargetLabel, "150万户") {
		t.Errorf("labels %q %q", c.Label, c.TargetLabel)
	}
	n := newChart(&e, obs, now, loc, narrow)
	if n.W >= c.W || len(n.XTicks) > narrow.maxXTicks {
		t.Errorf("narrow chart %v wide with %d x ticks", n.W, len(n.XTicks))
	}

	// An annual target's values are not joined across 1 January.
	annual := *tg
	annual.Period, annual.Deadline = indicators.Annual, time.Time{}
	aobs := []indicators.Observation{{AsOf: d("2021-06-30").Unix(), Value: 1}, {AsOf: d("2021-12-31").Unix(), Value: 2}, {AsOf: d("2022-03-31").Unix(), Value: 1}}
	ae := indicators.EvaluateSeries(&annual, "shandong", aobs, now, plan.LagMargin)
	if ac := newChart(&ae, aobs, now, loc, wide); len(ac.Actual) != 2 {
		t.Errorf("annual series drawn as %d lines, want 2 (2021 and 2022)", len(ac.Actual))
	}

	// Without a plan baseline the path starts at the first report, as
	// the exporter plans it: the first dot lies on it.
	ir, _ := plan.Target("income_ratio")
	iobs := []indicators.Observation{{AsOf: d("2021-12-31").Unix(), Value: 2.5}, {AsOf: d("2022-06-30").Unix(), Value: 2.45}}
	ie := indicators.EvaluateSeries(ir, "shandong", iobs, now, plan.LagMargin)
	ic := newChart(&ie, iobs, now, loc, wide)
	if first := fmt.Sprintf("%v,%v", ic.Dots[0].X, ic.Dots[0].Y); !strings.Contains(" "+ic.Planned+" ", " "+first+" ") {
		t.Errorf("the planned path %q does not pass through the first report %s", ic.Planned, first)
	}

	// An ongoing target due at its checkpoint at the target value runs
	// its axis, forecast and due line to that date.
	ongoing := *tg
	ongoing.Deadline = time.Time{}
	ongoing.Checkpoints = []indicators.Checkpoint{{Date: d("2024-01-01"), Value: tg.Value}}
	oe := indicators.EvaluateSeries(&ongoing, "shandong", obs, now, plan.LagMargin)
	if oc := newChart(&oe, obs, now, loc, wide); oc.Deadline == nil || oc.Forecast == "" {
		t.Errorf("an ongoing target's chart has due line %v and forecast %q", oc.Deadline, oc.Forecast)
	}

	ms, _ := plan.Target("new_area_plan")
	me := indicators.EvaluateSeries(ms, "shandong", nil, now, plan.LagMargin)
	if newChart(&me, nil, now, loc, wide) != nil {
		t.Error("a milestone has no chart")
	}
}

func trimFloat(v float64) string { return strings.TrimSuffix(decimal(v, 1), ".0") }

// Two reports whose trend met the target on a day already past: the
// sentence is about the trend, not about too few reports.
func TestForecastTextWhenTheTrendGivesNoDayAhead(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, loc) }
	tg := &indicators.Target{ID: "wwtp", Kind: indicators.Quantitative, Direction: indicators.AtLeast, Measure: indicators.Level,
		Period: indicators.ByDeadline, Value: 35, Unit: "%", Start: d(2021, 1, 1)}
	obs := []indicators.Observation{{AsOf: d(2025, 12, 31).Unix(), Value: 31}, {AsOf: d(2026, 6, 30).Unix(), Value: 33.5}}
	now := d(2026, 12, 5)
	e := indicators.EvaluateSeries(tg, "shandong", obs, now, 0.1)
	got := forecastText(&e, obs, now, loc)
	if strings.Contains(got, "至少需要两个") || !strings.Contains(got, "达不到目标值") {
		t.Errorf("forecast text %q", got)
	}
	one := obs[:1]
	e = indicators.EvaluateSeries(tg, "shandong", one, now, 0.1)
	if got := forecastText(&e, one, now, loc); !strings.Contains(got, "至少需要两个") {
		t.Errorf("one report: %q", got)
	}
}
