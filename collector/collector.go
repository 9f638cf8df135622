// Package collector exposes the plan's state as Prometheus metrics. Values
// are computed at scrape time from one snapshot of the plan and the store,
// so a scrape never mixes two plans or half a file.
package collector

import (
	"math"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shandong/indicator_exporter/indicators"
)

// Source gives the collector one consistent view: the plan in force and
// the data it is judged on.
type Source interface {
	Snapshot() (*indicators.Plan, indicators.Data)
}

// Collector implements prometheus.Collector for the plan's indicators.
type Collector struct {
	src Source
	now func() time.Time

	info, target, baseline, current, progress, expected, planned *prometheus.Desc
	deadline, lastReport, projected, projProgress, projReach     *prometheus.Desc
	status, responsibility, deptInfo, regionInfo, margin         *prometheus.Desc
	regionsMet, regionsTotal                                     *prometheus.Desc
}

// New returns a collector reading from src; now is the clock (time.Now in
// the daemon, a fake in tests).
func New(src Source, now func() time.Time) *Collector {
	ir := []string{"indicator", "region"}
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, nil)
	}
	return &Collector{
		src: src, now: now,
		info: d("indicator_info", "Indicator metadata; Chinese names are in label values. Always 1.",
			"indicator", "task", "section", "name", "unit", "lead_department", "kind", "period", "deadline"),
		target:   d("indicator_target_value", "Target in force, in the indicator's unit (66 for 66%).", ir...),
		baseline: d("indicator_baseline_value", "Baseline the progress is measured from, in the indicator's unit.", ir...),
		current:  d("indicator_current_value", "Latest reported value (year to date for annual targets), in the indicator's unit.", ir...),
		progress: d("indicator_progress_ratio", "(current - baseline) / (target - baseline); 1 means the target is reached.", ir...),
		expected: d("indicator_expected_progress_ratio", "Progress ratio the plan's schedule expects now.", ir...),
		planned:  d("indicator_planned_value", "Value the plan's schedule expects now, in the indicator's unit.", ir...),
		deadline: d("indicator_deadline_timestamp_seconds", "End of the deadline day; absent for ongoing targets.", "indicator"),
		lastReport: d("indicator_last_report_timestamp_seconds",
			"The as_of date of the latest report (00:00 local time).", ir...),
		projected:    d("indicator_projected_value", "Least-squares forecast of the value at the deadline.", ir...),
		projProgress: d("indicator_projected_progress_ratio", "Progress ratio the forecast gives at the deadline; below 1 means a projected miss.", ir...),
		projReach:    d("indicator_projected_achievement_timestamp_seconds", "When the forecast line reaches the target.", ir...),
		status: d("indicator_status", "Status of the indicator: 1 for the current status, 0 for the others.",
			"indicator", "region", "status"),
		responsibility: d("indicator_responsibility", "Departments responsible for an indicator; role is lead or participant. Always 1.",
			"indicator", "department", "role"),
		deptInfo:     d("indicator_department_info", "Department id and Chinese name. Always 1.", "department", "name"),
		regionInfo:   d("indicator_region_info", "Region id and Chinese name. Always 1.", "region", "name"),
		margin:       d("indicator_lag_margin_ratio", "How far progress may trail the expected progress before an indicator is lagging."),
		regionsMet:   d("indicator_regions_meeting_target", "For each_city indicators: cities that meet the target.", "indicator"),
		regionsTotal: d("indicator_regions_in_scope", "For each_city indicators: cities the target applies to.", "indicator"),
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.info, c.target, c.baseline, c.current, c.progress, c.expected, c.planned,
		c.deadline, c.lastReport, c.projected, c.projProgress, c.projReach, c.status, c.responsibility,
		c.deptInfo, c.regionInfo, c.margin, c.regionsMet, c.regionsTotal} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	plan, data := c.src.Snapshot()
	if plan == nil {
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return // a value that does not exist is absent, not NaN
		}
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	ts := func(t time.Time) float64 {
		if t.IsZero() {
			return math.NaN()
		}
		return float64(t.Unix())
	}

	gauge(c.margin, plan.LagMargin)
	for _, d := range plan.Departments {
		gauge(c.deptInfo, 1, d.ID, d.Name)
	}
	for _, r := range plan.Regions {
		gauge(c.regionInfo, 1, r.ID, r.Name)
	}
	for _, t := range plan.Targets {
		lead := ""
		if len(t.Lead) > 0 {
			lead = t.Lead[0]
		}
		deadline := "ongoing"
		if !t.Ongoing() {
			// Deadline is the end of the day; the label names the day.
			deadline = t.Deadline.Add(-time.Nanosecond).Format("2006-01-02")
			gauge(c.deadline, ts(t.Deadline), t.ID)
		}
		gauge(c.info, 1, t.ID, strconv.Itoa(t.Task), t.Section, t.Name, t.Unit, lead, string(t.Kind), string(t.Period), deadline)
		for _, d := range t.Lead {
			gauge(c.responsibility, 1, t.ID, d, "lead")
		}
		for _, d := range t.Participants {
			gauge(c.responsibility, 1, t.ID, d, "participant")
		}
	}

	for _, e := range indicators.Evaluate(plan, data, c.now()) {
		id, r := e.Target.ID, e.Region
		if e.RegionsTotal > 0 {
			// The province row of an each_city target counts cities; its
			// values would mix units, so only ratios and status are shown.
			gauge(c.regionsMet, float64(e.RegionsMet), id)
			gauge(c.regionsTotal, float64(e.RegionsTotal), id)
		} else {
			gauge(c.target, e.Target.Value, id, r)
			gauge(c.baseline, e.Baseline, id, r)
			gauge(c.current, e.Current, id, r)
			gauge(c.planned, e.Planned, id, r)
			gauge(c.projected, e.Projected, id, r)
			gauge(c.projProgress, e.ProjectedProgress, id, r)
			gauge(c.projReach, ts(e.ProjectedReach), id, r)
		}
		gauge(c.progress, e.Progress, id, r)
		gauge(c.expected, e.Expected, id, r)
		gauge(c.lastReport, ts(e.LastReport), id, r)
		for _, s := range indicators.Statuses {
			v := 0.0
			if s == e.Status {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(c.status, prometheus.GaugeValue, v, id, r, string(s))
		}
	}
}
