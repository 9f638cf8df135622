package collector_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/shandong/indicator_exporter/collector"
	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
)

// Clock jumps, forward and back, through the public API only (this file
// is the reliability suite's; it does not touch the package's internals).

type fixedSource struct {
	plan *indicators.Plan
	data indicators.Data
}

func (f fixedSource) Snapshot() (*indicators.Plan, indicators.Data) { return f.plan, f.data }

// jumpSource is testdata/plan.toml with the reports of the golden test.
func jumpSource(t *testing.T) fixedSource {
	t.Helper()
	p, err := config.LoadFile("testdata/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, p.Location) }
	o := func(at time.Time, v float64) indicators.Observation {
		return indicators.Observation{AsOf: at.Unix(), Value: v, Received: (d(2022, 6, 20)).UnixMilli()}
	}
	return fixedSource{p, indicators.Data{Series: map[indicators.SeriesKey][]indicators.Observation{
		{Indicator: "renovated_households", Region: "shandong"}: {o(d(2021, 12, 31), 450000), o(d(2022, 6, 30), 900000)},
		{Indicator: "income_ratio", Region: "shandong"}:         {o(d(2021, 3, 31), 2.5), o(d(2022, 6, 30), 2.45)},
		{Indicator: "medical_waste_sites", Region: "jinan"}:     {o(d(2022, 3, 31), 1)},
	}}}
}

// statuses maps indicator/region to its current status in an exposition.
func statuses(t *testing.T, body string) map[string]string {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("exposition does not parse: %v", err)
	}
	out := map[string]string{}
	for _, m := range mfs["indicator_status"].GetMetric() {
		l := map[string]string{}
		for _, p := range m.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		if m.GetGauge().GetValue() == 1 {
			out[l["indicator"]+"/"+l["region"]] = l["status"]
		}
	}
	return out
}

// The clock's stops and what they mean for the golden plan.
var jumps = []struct {
	name string
	at   time.Time
	want map[string]string
}{
	{"mid-plan", time.Date(2022, 7, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)), map[string]string{
		"renovated_households/shandong": "on_track", "income_ratio/shandong": "lagging", "new_area_plan/shandong": "overdue"}},
	{"forward past the deadlines", time.Date(2024, 3, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)), map[string]string{
		"renovated_households/shandong": "overdue", "income_ratio/shandong": "overdue", "new_area_plan/shandong": "overdue"}},
	{"back to mid-plan", time.Date(2022, 7, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)), map[string]string{
		"renovated_households/shandong": "on_track", "income_ratio/shandong": "lagging", "new_area_plan/shandong": "overdue"}},
	{"back before the milestone's deadline", time.Date(2021, 6, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)), map[string]string{
		"new_area_plan/shandong": "no_data"}},
	{"forward again", time.Date(2024, 3, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)), map[string]string{
		"renovated_households/shandong": "overdue", "new_area_plan/shandong": "overdue"}},
}

// The plain collector judges every scrape by the clock at that moment:
// statuses follow jumps forward and back.
func TestCollectorStatusesFollowClockJumps(t *testing.T) {
	src := jumpSource(t)
	var clock atomic.Int64
	c := collector.New(src, func() time.Time { return time.Unix(0, clock.Load()) })
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	for _, j := range jumps {
		clock.Store(j.at.UnixNano())
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		enc := expfmt.NewEncoder(&b, expfmt.NewFormat(expfmt.TypeTextPlain))
		for _, mf := range mfs {
			enc.Encode(mf)
		}
		got := statuses(t, b.String())
		for k, want := range j.want {
			if got[k] != want {
				t.Errorf("%s: %s is %q, want %q", j.name, k, got[k], want)
			}
		}
	}
}

// The cached rendering follows the same jumps, back as well as forward,
// within its refresh interval.
func TestCacheStatusesFollowClockJumps(t *testing.T) {
	src := jumpSource(t)
	var clock atomic.Int64
	clock.Store(jumps[0].at.UnixNano())
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := collector.NewCache(src, func() time.Time { return time.Unix(0, clock.Load()) }, 20*time.Millisecond, logger)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go c.Run(ctx)
	h := c.Handler(prometheus.NewRegistry(), logger)
	scrape := func() map[string]string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		return statuses(t, rec.Body.String())
	}
	for _, j := range jumps {
		clock.Store(j.at.UnixNano())
		deadline := time.Now().Add(3 * time.Second)
	wait:
		for {
			got := scrape()
			for k, want := range j.want {
				if got[k] != want {
					if time.Now().After(deadline) {
						t.Fatalf("%s: %s is %q, want %q (not followed within the refresh interval)", j.name, k, got[k], want)
					}
					time.Sleep(10 * time.Millisecond)
					continue wait
				}
			}
			break
		}
	}
}
