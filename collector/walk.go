package collector

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// def is one metric family the exporter exposes.
type def struct {
	name, help string
	labels     []string
}

var ir = []string{"indicator", "region"}

// The families, in the order they are written (sorted by name, as
// client_golang gathers them).
var (
	defBaseline = &def{"indicator_baseline_value", "Baseline the progress is measured from, in the indicator's unit.", ir}
	defCurrent  = &def{"indicator_current_value", "Latest reported value (year to date for annual targets), in the indicator's unit.", ir}
	defDeadline = &def{"indicator_deadline_timestamp_seconds", "End of the deadline day; absent for ongoing targets.", []string{"indicator"}}
	defDeptInfo = &def{"indicator_department_info", "Department id and Chinese name. Always 1.", []string{"department", "name"}}
	defExpected = &def{"indicator_expected_progress_ratio", "Progress ratio the plan's schedule expects: now, or at the latest report's date while the next report is not due (what the status is judged against).", ir}
	defInfo     = &def{"indicator_info", "Indicator metadata; Chinese names are in label values. Always 1.",
		[]string{"indicator", "task", "section", "name", "unit", "lead_department", "lead_departments", "leads", "kind", "period", "deadline"}}
	defMargin       = &def{"indicator_lag_margin_ratio", "How far progress may trail the expected progress before an indicator is lagging.", nil}
	defLastReport   = &def{"indicator_last_report_timestamp_seconds", "The as_of date of the latest report (00:00 local time).", ir}
	defPlanned      = &def{"indicator_planned_value", "Value the plan's schedule expects, in the indicator's unit, at the date indicator_expected_progress_ratio is for.", ir}
	defProgress     = &def{"indicator_progress_ratio", "(current - baseline) / (target - baseline); 1 means the target is reached.", ir}
	defProjReach    = &def{"indicator_projected_achievement_timestamp_seconds", "When the forecast line reaches the target.", ir}
	defProjProgress = &def{"indicator_projected_progress_ratio", "Progress ratio the forecast gives at the deadline; below 1 means a projected miss.", ir}
	defProjected    = &def{"indicator_projected_value", "Least-squares forecast of the value at the deadline.", ir}
	defRegionInfo   = &def{"indicator_region_info", "Region id and Chinese name. Always 1.", []string{"region", "name"}}
	defRegionsMet   = &def{"indicator_regions_meeting_target", "For each_city indicators: cities that meet the target.", []string{"indicator"}}
	defRegionsScope = &def{"indicator_regions_in_scope", "For each_city indicators: cities the target applies to.", []string{"indicator"}}
	defResp         = &def{"indicator_responsibility", "Departments responsible for an indicator; role is lead or participant. Always 1.",
		[]string{"indicator", "department", "role"}}
	defStatus = &def{"indicator_status", "Status of the indicator: 1 for the current status, 0 for the others.",
		[]string{"indicator", "region", "status"}}
	defTarget = &def{"indicator_target_value", "Target in force, in the indicator's unit (66 for 66%).", ir}

	defs = []*def{defBaseline, defCurrent, defDeadline, defDeptInfo, defExpected, defInfo, defMargin, defLastReport,
		defPlanned, defProgress, defProjReach, defProjProgress, defProjected, defRegionInfo, defRegionsMet,
		defRegionsScope, defResp, defStatus, defTarget}
)

// sink receives samples family by family: every sample of a family comes
// between its begin and the next begin. A value that does not exist (NaN)
// is never passed. labelValues is only valid during the call: walk reuses
// it for the next sample.
type sink interface {
	begin(d *def)
	sample(d *def, v float64, labelValues []string)
}

// targetMeta is what the info families need of a target, computed once.
type targetMeta struct {
	lead, deadline, task string
	// Every lead department, in the plan's order: ids joined by "," (what
	// Alertmanager routes on, so that co-leads hear of an alert too) and
	// Chinese names joined by "、" (what alerts and dashboards show).
	leadIDs, leadNames string
}

func meta(plan *indicators.Plan, t *indicators.Target) targetMeta {
	m := targetMeta{deadline: "ongoing", task: strconv.Itoa(t.Task)}
	if len(t.Lead) > 0 {
		m.lead = t.Lead[0]
	}
	names := make([]string, len(t.Lead))
	for i, id := range t.Lead {
		names[i] = id
		if d, ok := plan.Department(id); ok && d.Name != "" {
			names[i] = d.Name
		}
	}
	m.leadIDs, m.leadNames = strings.Join(t.Lead, ","), strings.Join(names, "、")
	// Deadline is the end of the day; the label names the day. An ongoing
	// target due at a checkpoint (indicators.DueDate) has that day: alerts
	// and dashboards say when it was due.
	if due := indicators.DueDate(t); !due.IsZero() {
		m.deadline = due.Add(-time.Nanosecond).Format("2006-01-02")
	}
	return m
}

// walk evaluates the plan at now and sends every sample to s. This is the
// one place that decides what the exporter exposes; the client_golang
// collector and the cached renderer are both sinks.
func walk(plan *indicators.Plan, data indicators.Data, now time.Time, s sink) {
	evals := indicators.Evaluate(plan, data, now)
	// The label values of each sample are copied into one slice, reused:
	// passed on as they are, every sample would allocate its own.
	lab := make([]string, 0, len(defInfo.labels))
	g := func(d *def, v float64, lv ...string) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return // a value that does not exist is absent, not NaN
		}
		lab = append(lab[:0], lv...)
		s.sample(d, v, lab)
	}
	ts := func(t time.Time) float64 {
		if t.IsZero() {
			return math.NaN()
		}
		return float64(t.Unix())
	}
	// perSeries writes one family over the ordinary (non-roll-up) rows or
	// over all rows.
	perSeries := func(d *def, all bool, value func(e *indicators.Evaluation) float64) {
		s.begin(d)
		for i := range evals {
			e := &evals[i]
			if all || e.RegionsTotal == 0 {
				g(d, value(e), e.Target.ID, e.Region)
			}
		}
	}

	perSeries(defBaseline, false, func(e *indicators.Evaluation) float64 { return e.Baseline })
	perSeries(defCurrent, false, func(e *indicators.Evaluation) float64 { return e.Current })
	s.begin(defDeadline)
	for _, t := range plan.Targets {
		g(defDeadline, ts(indicators.DueDate(t)), t.ID) // absent for an ongoing target with no due date
	}
	s.begin(defDeptInfo)
	for _, d := range plan.Departments {
		g(defDeptInfo, 1, d.ID, d.Name)
	}
	perSeries(defExpected, true, func(e *indicators.Evaluation) float64 { return e.Expected })
	s.begin(defInfo)
	for _, t := range plan.Targets {
		m := meta(plan, t)
		g(defInfo, 1, t.ID, m.task, t.Section, t.Name, t.Unit, m.lead, m.leadIDs, m.leadNames, string(t.Kind), string(t.Period), m.deadline)
	}
	s.begin(defMargin)
	g(defMargin, plan.LagMargin)
	perSeries(defLastReport, true, func(e *indicators.Evaluation) float64 { return ts(e.LastReport) })
	perSeries(defPlanned, false, func(e *indicators.Evaluation) float64 { return e.Planned })
	perSeries(defProgress, true, func(e *indicators.Evaluation) float64 { return e.Progress })
	perSeries(defProjReach, false, func(e *indicators.Evaluation) float64 { return ts(e.ProjectedReach) })
	perSeries(defProjProgress, false, func(e *indicators.Evaluation) float64 { return e.ProjectedProgress })
	perSeries(defProjected, false, func(e *indicators.Evaluation) float64 { return e.Projected })
	s.begin(defRegionInfo)
	for _, r := range plan.Regions {
		g(defRegionInfo, 1, r.ID, r.Name)
	}
	// The province row of an each_city target counts cities; its values
	// would mix units, so it has only ratios, status and these counts.
	s.begin(defRegionsMet)
	for i := range evals {
		if e := &evals[i]; e.RegionsTotal > 0 {
			g(defRegionsMet, float64(e.RegionsMet), e.Target.ID)
		}
	}
	s.begin(defRegionsScope)
	for i := range evals {
		if e := &evals[i]; e.RegionsTotal > 0 {
			g(defRegionsScope, float64(e.RegionsTotal), e.Target.ID)
		}
	}
	s.begin(defResp)
	for _, t := range plan.Targets {
		for _, d := range t.Lead {
			g(defResp, 1, t.ID, d, "lead")
		}
		for _, d := range t.Participants {
			g(defResp, 1, t.ID, d, "participant")
		}
	}
	s.begin(defStatus)
	for i := range evals {
		e := &evals[i]
		for _, st := range indicators.Statuses {
			v := 0.0
			if st == e.Status {
				v = 1
			}
			g(defStatus, v, e.Target.ID, e.Region, string(st))
		}
	}
	perSeries(defTarget, false, func(e *indicators.Evaluation) float64 { return e.Target.Value })
}
