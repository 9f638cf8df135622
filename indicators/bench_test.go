package indicators_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// shandongRegions is the province and its 16 cities: 17 regions.
var shandongRegions = []indicators.Region{
	{ID: "shandong", Name: "山东省", Level: indicators.ProvinceLevel},
	{ID: "jinan", Name: "济南市", Level: indicators.CityLevel},
	{ID: "qingdao", Name: "青岛市", Level: indicators.CityLevel},
	{ID: "zibo", Name: "淄博市", Level: indicators.CityLevel},
	{ID: "zaozhuang", Name: "枣庄市", Level: indicators.CityLevel},
	{ID: "dongying", Name: "东营市", Level: indicators.CityLevel},
	{ID: "yantai", Name: "烟台市", Level: indicators.CityLevel},
	{ID: "weifang", Name: "潍坊市", Level: indicators.CityLevel},
	{ID: "jining", Name: "济宁市", Level: indicators.CityLevel},
	{ID: "taian", Name: "泰安市", Level: indicators.CityLevel},
	{ID: "weihai", Name: "威海市", Level: indicators.CityLevel},
	{ID: "rizhao", Name: "日照市", Level: indicators.CityLevel},
	{ID: "linyi", Name: "临沂市", Level: indicators.CityLevel},
	{ID: "dezhou", Name: "德州市", Level: indicators.CityLevel},
	{ID: "liaocheng", Name: "聊城市", Level: indicators.CityLevel},
	{ID: "binzhou", Name: "滨州市", Level: indicators.CityLevel},
	{ID: "heze", Name: "菏泽市", Level: indicators.CityLevel},
}

// benchPlan is 100 each-city targets of every kind over 16 cities, each
// city series with 12 monthly reports of 2023; Evaluate gives 100 × 17
// rows (16 cities and the province roll-up). Every seventh series has a
// revised checkpoint and final target.
func benchPlan() (*indicators.Plan, indicators.Data) {
	p := &indicators.Plan{Name: "bench", Start: start2021, Location: sh, LagMargin: 0.1, Regions: shandongRegions}
	d := indicators.Data{Series: map[indicators.SeriesKey][]indicators.Observation{},
		Revisions: map[indicators.SeriesKey][]indicators.Revision{}}
	for i := 0; i < 100; i++ {
		t := increment(1000)
		t.ID, t.Scope = fmt.Sprintf("t%03d", i), indicators.EachCity
		t.Checkpoints = []indicators.Checkpoint{{Date: endOf(2022, 12, 31), Value: 300}, {Date: endOf(2024, 12, 31), Value: 800}}
		switch i % 5 {
		case 1: // at_most level, baseline from the first report
			t.Measure, t.Direction, t.Value, t.HasBaseline, t.Checkpoints = indicators.Level, indicators.AtMost, 10, false, nil
		case 2:
			t.Period = indicators.Annual
		case 3:
			t.Period, t.Measure, t.Value, t.HasBaseline = indicators.Sustained, indicators.Level, 95, false
		case 4:
			t.Kind, t.Value, t.Checkpoints = indicators.Milestone, 1, nil
		}
		if i%2 == 0 {
			t.ReportDue = monthlyDue
		}
		p.Targets = append(p.Targets, t)
		for j, c := range shandongRegions[1:] {
			k := indicators.SeriesKey{Indicator: t.ID, Region: c.ID}
			obs := make([]indicators.Observation, 12)
			for m := range obs {
				v := float64(50*(m+1) + j)
				switch i % 5 {
				case 1:
					v = 20 - float64(m)*0.5 - float64(j)*0.1
				case 3:
					v = 90 + float64(m)*0.5 + float64(j%3)
				case 4:
					v = float64((m + j) / 12)
				}
				asOf := day(2023, m+1, 1)
				obs[m] = indicators.At(asOf, v, asOf.Add(5*24*time.Hour))
			}
			d.Series[k] = obs
			if (i+j)%7 == 0 {
				d.Revisions[k] = []indicators.Revision{{Date: endOf(2023, 12, 31), Value: 650}, {Date: deadline25, Value: 1100}}
			}
		}
	}
	p.Index()
	return p, d
}

// BenchmarkEvaluate judges the plan from digests, as the exporter does at
// every rendering.
func BenchmarkEvaluate(b *testing.B) {
	p, d := benchPlan()
	d = indicators.Digested(p, d)
	now := day(2023, 12, 15)
	if rows := indicators.Evaluate(p, d, now); len(rows) != 100*17 {
		b.Fatalf("Evaluate gave %d rows, want %d", len(rows), 100*17)
	}
	b.ReportAllocs()
	for b.Loop() {
		indicators.Evaluate(p, d, now)
	}
}

func BenchmarkEvaluateSeries(b *testing.B) {
	p, d := benchPlan()
	t := p.Targets[0]
	obs := d.Series[indicators.SeriesKey{Indicator: t.ID, Region: "qingdao"}]
	now := day(2023, 12, 15)
	b.ReportAllocs()
	for b.Loop() {
		indicators.EvaluateSeries(t, "qingdao", obs, now, 0.1)
	}
}

// The digests of a state judge every target of every shape in the
// benchmark plan as its reports do, at instants before, within and after
// the reports' year and past the deadline.
func TestDigestedStateJudgesAsTheReports(t *testing.T) {
	p, d := benchPlan()
	g := indicators.Digested(p, d)
	if len(g.Digests) != len(d.Series) || g.Series != nil {
		t.Fatalf("%d digests of %d series", len(g.Digests), len(d.Series))
	}
	for _, now := range []time.Time{day(2022, 6, 1), day(2023, 7, 15), day(2023, 12, 15), day(2024, 2, 1), day(2026, 3, 1)} {
		want, got := indicators.Evaluate(p, d, now), indicators.Evaluate(p, g, now)
		for i := range want {
			id := want[i].Target.ID
			if got[i].Target.ID != id {
				t.Fatalf("row %d is %s from the digest, %s from the reports", i, got[i].Target.ID, id)
			}
			got[i].Target, want[i].Target = nil, nil // a revised target is a copy each time
			if fmt.Sprintf("%+v", got[i]) != fmt.Sprintf("%+v", want[i]) {
				t.Fatalf("at %s, %s/%s from the digest:\n%+v\nfrom the reports:\n%+v", now.Format(time.DateOnly), id, want[i].Region, got[i], want[i])
			}
		}
	}
}

func TestBenchmarkPlanIsEvaluable(t *testing.T) {
	p, d := benchPlan()
	rows := indicators.Evaluate(p, d, day(2023, 12, 15))
	if len(rows) != 1700 {
		t.Fatalf("a plan of 100 each-city targets over 16 cities gives %d rows, want 1700", len(rows))
	}
	seen := map[indicators.Status]int{}
	for _, r := range rows {
		seen[r.Status]++
	}
	if len(seen) < 3 {
		t.Errorf("the benchmark plan exercises only statuses %v", seen)
	}
}
