package collector

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
)

var update = flag.Bool("update", false, "rewrite testdata/metrics.out")

type fixed struct {
	plan *indicators.Plan
	data indicators.Data
}

func (f fixed) Snapshot() (*indicators.Plan, indicators.Data) { return f.plan, f.data }

func testSource(t *testing.T) (fixed, time.Time) {
	t.Helper()
	p, err := config.LoadFile("testdata/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	loc := p.Location
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, loc) }
	recv := d(2022, 6, 20)
	o := func(at time.Time, v float64) indicators.Observation {
		return indicators.Observation{AsOf: at.Unix(), Value: v, Received: recv.UnixMilli()}
	}
	data := indicators.Data{Series: map[indicators.SeriesKey][]indicators.Observation{
		{Indicator: "renovated_households", Region: "shandong"}: {o(d(2021, 12, 31), 450000), o(d(2022, 6, 30), 900000)},
		{Indicator: "income_ratio", Region: "shandong"}:         {o(d(2021, 3, 31), 2.5), o(d(2022, 6, 30), 2.45)},
		{Indicator: "medical_waste_sites", Region: "jinan"}:     {o(d(2022, 3, 31), 1)},
	}}
	return fixed{p, data}, d(2022, 7, 1)
}

func TestCollectorOutputMatchesGolden(t *testing.T) {
	src, now := testSource(t)
	c := New(src, func() time.Time { return now })
	// Gathered and encoded here: testutil.CollectAndFormat without metric
	// names keeps none of them (it filters by the names given), which
	// left this golden file empty and the test unable to fail.
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			t.Fatal(err)
		}
	}
	got := buf.Bytes()
	if len(got) == 0 {
		t.Fatal("the collector exposed nothing")
	}
	if *update {
		if err := os.WriteFile("testdata/metrics.out", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/metrics.out")
	if err != nil {
		t.Fatalf("missing golden file (go test ./collector -update): %v", err)
	}
	if string(got) != string(want) {
		t.Fatalf("scrape differs from testdata/metrics.out (if intended, go test ./collector -update and review the diff):\n%s", got)
	}
}

func TestCollectorPassesLint(t *testing.T) {
	src, now := testSource(t)
	problems, err := testutil.CollectAndLint(New(src, func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

// Status is one-hot: exactly one status per indicator and region is 1.
func TestStatusIsOneHot(t *testing.T) {
	src, now := testSource(t)
	reg := prometheus.NewRegistry()
	reg.MustRegister(New(src, func() time.Time { return now }))
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	ones := map[string]float64{}
	series := map[string]int{}
	for _, mf := range mfs {
		if mf.GetName() != "indicator_status" {
			continue
		}
		for _, m := range mf.GetMetric() {
			var key string
			for _, l := range m.GetLabel() {
				if l.GetName() != "status" {
					key += l.GetValue() + "/"
				}
			}
			ones[key] += m.GetGauge().GetValue()
			series[key]++
		}
	}
	// 3 province targets + each_city (2 cities + roll-up) + milestone = 7 rows.
	if len(ones) != 7 {
		t.Fatalf("want 7 indicator/region rows, got %d: %v", len(ones), ones)
	}
	for k, v := range ones {
		if v != 1 || series[k] != len(indicators.Statuses) {
			t.Errorf("%s: sum %v over %d series, want 1 over %d", k, v, series[k], len(indicators.Statuses))
		}
	}
}

// A target revised by the coordinator's drop is the target in force on
// /metrics; the plan's value stays the default elsewhere.
func TestRevisedTargetIsServed(t *testing.T) {
	src, now := testSource(t)
	loc := src.plan.Location
	k := indicators.SeriesKey{Indicator: "renovated_households", Region: "shandong"}
	src.data.Revisions = map[indicators.SeriesKey][]indicators.Revision{
		// A revision on the deadline day (2023-12-31, end of day) replaces the final target.
		k: {{Date: time.Date(2024, 1, 1, 0, 0, 0, 0, loc), Value: 1600000}},
	}
	var buf bytes.Buffer
	Render(src.plan, src.data, now, &buf)
	want := `indicator_target_value{indicator="renovated_households",region="shandong"} 1600000` + "\n"
	if !strings.Contains(buf.String(), want) {
		t.Fatalf("revised target not served; want line %q in:\n%s", want, buf.String())
	}
	if !strings.Contains(buf.String(), `indicator_target_value{indicator="income_ratio",region="shandong"} 2.25`) {
		t.Fatal("an unrevised target lost its plan value")
	}
	// Progress is measured against the target in force: 900000 / 1600000.
	if !strings.Contains(buf.String(), `indicator_progress_ratio{indicator="renovated_households",region="shandong"} 0.5625`) {
		t.Fatalf("progress not measured against the revised target:\n%s", buf.String())
	}
}
