package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

type fact struct{ Label, Value string }

type cityRow struct {
	row
	RegionID, Region, URL string
	Selected              bool
}

type historyRow struct {
	AsOf, Region, Value, Raw, Dept string
	Source                         string
	Line                           int
	Received, Note                 string
	Superseded                     bool
}

type indicatorData struct {
	Row         row
	Facts       []fact
	Forecast    string
	Charts      []*chart // wide and narrow; nil for milestones
	ChartRegion string
	Cities      []cityRow
	History     []historyRow
	AllHistory  string // link back from a one-city view; "" if none
	EachCity    bool
	Milestone   bool // no chart: done or not
	APIURL      string
}

func (h *Handler) indicator(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	t, ok := s.plan.Target(r.PathValue("id"))
	if !ok {
		h.errorPage(w, r, s, http.StatusNotFound, "找不到指标 “"+r.PathValue("id")+"”。请从总览页选择指标。")
		return
	}
	hist, err := h.o.Store.History(r.Context(), t.ID)
	if err != nil {
		h.internalError(w, r, err)
		return
	}
	evals := s.of(t.ID)
	prov := s.plan.ProvinceID()
	var main *indicators.Evaluation
	for _, e := range evals {
		if e.Region == prov {
			main = e
		}
	}
	if main == nil { // cannot happen: Evaluate always gives a province row
		h.internalError(w, r, errNoProvinceRow)
		return
	}
	loc := s.plan.Location
	d := indicatorData{Row: s.row(main, 0), EachCity: t.Scope == indicators.EachCity, Milestone: t.Kind == indicators.Milestone,
		APIURL: "/api/v1/indicators/" + url.PathEscape(t.ID)}
	d.Facts = s.facts(main, evals)
	if t.Scope != indicators.EachCity {
		obs, err := h.o.Store.Series(r.Context(), indicators.SeriesKey{Indicator: t.ID, Region: prov})
		if err != nil {
			h.internalError(w, r, err)
			return
		}
		if late := metLate(main, obs, loc); late != "" {
			d.Facts = append(d.Facts, fact{"完成情况", late})
		}
	}

	// The chart shows the province, or one city of an each_city target:
	// ?region=jinan, else the city with data most in need of attention
	// (an overdue province row must not open on a city that is done).
	chartEval, region, oneCity := main, prov, false
	if d.EachCity {
		want := r.URL.Query().Get("region")
		var picked, firstWithData *indicators.Evaluation
		for _, e := range evals {
			switch {
			case e.Region == prov:
			case e.Region == want:
				picked = e
			case e.LastReport.IsZero():
			case firstWithData == nil || severity[e.Status] < severity[firstWithData.Status]:
				firstWithData = e
			}
		}
		oneCity = picked != nil
		if picked == nil {
			picked = firstWithData
		}
		chartEval = picked
		if chartEval != nil {
			region = chartEval.Region
		}
		for i, e := range evals {
			if e.Region == prov {
				continue
			}
			q := url.Values{"region": {e.Region}}
			d.Cities = append(d.Cities, cityRow{row: s.row(e, i), RegionID: e.Region, Region: s.regionName(e.Region),
				URL: "/indicators/" + url.PathEscape(t.ID) + "?" + q.Encode() + "#chart", Selected: chartEval == e})
		}
	}
	if chartEval != nil {
		obs, err := h.o.Store.Series(r.Context(), indicators.SeriesKey{Indicator: t.ID, Region: region})
		if err != nil {
			h.internalError(w, r, err)
			return
		}
		if c := newChart(chartEval, obs, s.now, loc, wide); c != nil {
			d.Charts = []*chart{c, newChart(chartEval, obs, s.now, loc, narrow)}
		}
		d.ChartRegion = s.regionName(region)
		d.Forecast = forecastText(chartEval, obs, s.now, loc)
	}

	for i := len(hist) - 1; i >= 0; i-- { // newest first
		o := hist[i]
		if oneCity && o.Region != region {
			continue
		}
		d.History = append(d.History, s.historyRow(t, o))
	}
	if oneCity {
		d.AllHistory = "/indicators/" + url.PathEscape(t.ID)
	}
	h.render(w, r, http.StatusOK, "indicator", s, page{Title: t.Name, Nav: "overview", Data: d})
}

type constError string

func (e constError) Error() string { return string(e) }

const errNoProvinceRow = constError("evaluation has no province row")

func (s *snapshot) historyRow(t *indicators.Target, o store.HistoryRow) historyRow {
	loc := s.plan.Location
	v := withUnit(o.Value, t.Unit)
	if t.Kind == indicators.Milestone {
		v = "未完成"
		if o.Value >= 1 {
			v = "已完成"
		}
	}
	return historyRow{AsOf: day(o.AsOf, loc), Region: s.regionName(o.Region), Value: v, Raw: o.Raw,
		Dept: s.deptName(o.Department), Source: o.Source, Line: o.Line,
		Received: o.ReceivedAt.In(loc).Format(timeLayout), Note: o.Note, Superseded: o.Superseded}
}

// facts are the indicator's key figures, as label and value.
func (s *snapshot) facts(e *indicators.Evaluation, rows []*indicators.Evaluation) []fact {
	t := e.Target
	loc := s.plan.Location
	var out []fact
	add := func(l, v string) { out = append(out, fact{l, v}) }
	add("目标", targetText(t))
	add("完成时限", deadline(t, loc))
	add("当前", currentText(e))
	if !math.IsNaN(e.Progress) || !math.IsNaN(e.Expected) {
		add("进度", percent(e.Progress)+"（按计划应达 "+percent(e.Expected)+"）")
	}
	if t.Kind == indicators.Quantitative && !math.IsNaN(e.Planned) {
		add("按计划应达", withUnit(e.Planned, t.Unit)+paceNote(e, loc))
	}
	if t.Kind == indicators.Quantitative && !math.IsNaN(e.Baseline) {
		b := withUnit(e.Baseline, t.Unit)
		switch {
		case t.HasBaseline && t.Measure == indicators.Increment:
			b += "（新增量从零起算）"
		case !t.HasBaseline:
			b += "（首次报送值）"
		}
		add("基期值", b)
	}
	if len(t.Checkpoints) > 0 {
		var cps []string
		for _, c := range t.Checkpoints {
			cps = append(cps, day(c.Date.Add(-time.Nanosecond), loc)+"："+withUnit(c.Value, t.Unit))
		}
		add("阶段目标", strings.Join(cps, "；"))
	}
	add("考核方式", method(t))
	add("最近报送", lastReportText(e, loc))
	if due, who := s.reportDue(e, rows); !due.IsZero() && e.Status != indicators.Achieved {
		// A clerk must see what was due and when, not only 未按时报送;
		// a met target needs no more reports.
		when := who + due.In(loc).Format(timeLayout)
		if !s.now.Before(due) {
			add("应报送时间", when+" 前（已逾期，请尽快报送）")
		} else {
			add("下次报送", when+" 前")
		}
	}
	add("牵头部门", s.names(t.Lead))
	if len(t.Participants) > 0 {
		add("参与部门", s.names(t.Participants))
	}
	add("任务序号", strconv.Itoa(t.Task))
	add("指标编号", t.ID)
	return out
}

// reportDue is when the next report of a row is due. A roll-up row (the
// province of a 各市 target) is due when its first city is, and who names
// that city: the province's latest report is its most recent city's,
// which says nothing of the late ones.
func (s *snapshot) reportDue(e *indicators.Evaluation, rows []*indicators.Evaluation) (due time.Time, who string) {
	if e.RegionsTotal == 0 {
		return indicators.NextReportDue(e.Target, e.LastReport), ""
	}
	for _, c := range rows {
		if c == e || c.Met() {
			continue
		}
		if d := indicators.NextReportDue(c.Target, c.LastReport); !d.IsZero() && (due.IsZero() || d.Before(due)) {
			due, who = d, s.regionName(c.Region)+"："
		}
	}
	return due, who
}

// paceNote says the date the planned value is for when it is not today's:
// the latest report's, while the next report is not due yet.
func paceNote(e *indicators.Evaluation, loc *time.Location) string {
	if e.PaceAt.IsZero() {
		return "（今天）"
	}
	return "（截至最新数据日期 " + day(e.PaceAt, loc) + "）"
}

func lastReportText(e *indicators.Evaluation, loc *time.Location) string {
	if e.LastReport.IsZero() {
		return "尚未报送"
	}
	return day(e.LastReport, loc) + " 的数据（" + e.LastArrival.In(loc).Format(timeLayout) + " 收到）"
}

// method says how a target is judged, in a leader's words.
func method(t *indicators.Target) string {
	var parts []string
	switch {
	case t.Kind == indicators.Milestone:
		parts = append(parts, "里程碑：完成即达标")
	case t.Period == indicators.Annual:
		parts = append(parts, "按年考核：每年 1 月 1 日起重新累计")
	case t.Period == indicators.Sustained:
		parts = append(parts, "保持水平：任何时候都须达到")
	case t.Measure == indicators.Increment:
		parts = append(parts, "累计新增量")
	default:
		parts = append(parts, "报送时点的水平值")
	}
	if t.Kind == indicators.Quantitative {
		if t.Direction == indicators.AtMost {
			parts = append(parts, "越低越好")
		} else {
			parts = append(parts, "越高越好")
		}
	}
	if t.Scope == indicators.EachCity {
		parts = append(parts, "各市分别考核，全省按达标城市数汇总")
	}
	return strings.Join(parts, "；")
}

// forecastText is the forecast in one sentence.
func forecastText(e *indicators.Evaluation, obs []indicators.Observation, now time.Time, loc *time.Location) string {
	t := e.Target
	switch {
	case t.Kind == indicators.Milestone || t.Period == indicators.Sustained:
		return ""
	case e.Status == indicators.Achieved:
		return "已达到目标。"
	case e.Status == indicators.Overdue:
		return "完成时限已过，未达到目标。"
	case math.IsNaN(e.Projected) && e.ProjectedReach.IsZero() && distinctDates(obs, t, now, loc) < 2:
		return "至少需要两个不同日期的报送数据才能预测趋势。"
	case math.IsNaN(e.Projected) && e.ProjectedReach.IsZero():
		// A trend, but no day ahead on which it meets the target.
		return "按目前趋势，未来一段时间内达不到目标值（或按趋势本应已达到，但最近报送仍未达到），请关注最新进展。"
	}
	var b strings.Builder
	if !math.IsNaN(e.Projected) {
		when := "到完成时限"
		if t.Period == indicators.Annual {
			when = "到年底"
		}
		b.WriteString("按目前趋势，" + when + "预计达到 " + withUnit(e.Projected, t.Unit))
		if !math.IsNaN(e.ProjectedProgress) {
			b.WriteString("（进度 " + percent(e.ProjectedProgress) + "）")
		}
		if t.Met(e.Projected) {
			b.WriteString("，可以完成目标。")
		} else {
			b.WriteString("，完不成目标。")
		}
	}
	if !e.ProjectedReach.IsZero() {
		b.WriteString("趋势线预计 " + day(e.ProjectedReach, loc) + " 达到目标值。")
	}
	return b.String()
}

// distinctDates counts the report dates a forecast of t can use: those
// since its start (annual: this year's).
func distinctDates(obs []indicators.Observation, t *indicators.Target, now time.Time, loc *time.Location) int {
	n, last, start := 0, int64(0), t.Start.Unix()
	if t.Period == indicators.Annual { // this year's reports only
		y := now.In(loc).Year()
		start = max(start, time.Date(y, 1, 1, 0, 0, 0, 0, loc).Unix())
	}
	for _, o := range obs {
		if o.AsOf >= start && (n == 0 || o.AsOf != last) {
			n++
			last = o.AsOf
		}
	}
	return n
}

// metLate says when a target achieved after it was due was first met: a
// leader's review tells 按期完成 from 逾期完成. Only for targets judged once,
// by a date (not annual or sustained ones).
func metLate(e *indicators.Evaluation, obs []indicators.Observation, loc *time.Location) string {
	t := e.Target
	due := indicators.DueDate(t)
	if e.Status != indicators.Achieved || due.IsZero() || t.Period != indicators.ByDeadline {
		return ""
	}
	for _, o := range obs {
		if !t.Met(o.Value) { // a milestone too: its target is 1, at least
			continue
		}
		if at := o.Date(loc); !at.Before(due) {
			return "逾期完成：" + day(at, loc) + " 的数据首次达到目标，晚于完成时限 " + day(due.Add(-time.Nanosecond), loc)
		}
		return "按期完成：" + day(o.Date(loc), loc) + " 的数据首次达到目标"
	}
	return ""
}
