package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/shandong/indicator_exporter/indicators"
)

// row is one indicator as the overview and the ledger show it.
type row struct {
	ID, Name, Section, Text string
	Task                    int
	Lead, Participants      string // Chinese names joined with 、
	Status                  indicators.Status
	Current, Target         string
	Deadline, LastReport    string
	Progress, Expected      string // percentages or —
	Bar                     bar
	Eval                    *indicators.Evaluation

	order int
	gap   float64 // expected − progress; NaN if unknown
}

// bar is a progress bar: Fill and Mark are 0..100 along the bar.
type bar struct {
	Fill    string
	Mark    string
	HasMark bool
	Title   string
}

func newBar(progress, expected float64) bar {
	clamp := func(v float64) string { return decimal(math.Max(0, math.Min(1, v))*100, 1) }
	b := bar{Fill: "0"}
	if !math.IsNaN(progress) {
		b.Fill = clamp(progress)
	}
	b.Title = "进度 " + percent(progress)
	if !math.IsNaN(expected) {
		b.Mark, b.HasMark = clamp(expected), true
		b.Title += "，按计划应达 " + percent(expected)
	}
	return b
}

func (s *snapshot) names(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = s.deptName(id)
	}
	return strings.Join(out, "、")
}

func (s *snapshot) row(e *indicators.Evaluation, order int) row {
	t := e.Target
	loc := s.plan.Location
	r := row{ID: t.ID, Name: t.Name, Section: t.Section, Text: t.Description, Task: t.Task,
		Lead: s.names(t.Lead), Participants: s.names(t.Participants), Status: e.Status,
		Current: currentText(e), Target: targetText(t), Deadline: deadline(t, loc), LastReport: day(e.LastReport, loc),
		Progress: percent(e.Progress), Expected: percent(e.Expected), Bar: newBar(e.Progress, e.Expected), Eval: e,
		order: order, gap: e.Expected - e.Progress}
	return r
}

// severity orders statuses from the most to the least in need of
// attention: the overview's default order.
var severity = map[indicators.Status]int{
	indicators.Overdue: 0, indicators.Lagging: 1, indicators.Stale: 2, indicators.NoData: 3,
	indicators.OnTrack: 4, indicators.Ongoing: 5, indicators.Achieved: 6,
}

// sortByLag puts the most lagging first: by status severity, then by how
// far progress trails the plan, then in plan order.
func sortByLag(rows []row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if sa, sb := severity[a.Status], severity[b.Status]; sa != sb {
			return sa < sb
		}
		ga, gb := a.gap, b.gap
		switch {
		case math.IsNaN(ga) && !math.IsNaN(gb):
			return false
		case !math.IsNaN(ga) && math.IsNaN(gb):
			return true
		case !math.IsNaN(ga) && ga != gb:
			return ga > gb
		}
		return a.order < b.order
	})
}

// filter is the overview's query: ?status=lagging&section=…&dept=housing&sort=task.
type filter struct {
	Status  map[indicators.Status]bool
	Section string
	Dept    string
	ByTask  bool
}

// parseFilter reads the query; unknown values are errors, which the API
// reports and the pages ignore.
func parseFilter(q url.Values, p *indicators.Plan) (filter, error) {
	f := filter{Status: map[indicators.Status]bool{}}
	var err error
	for _, v := range q["status"] {
		for _, s := range strings.Split(v, ",") {
			if s == "" {
				continue
			}
			if _, ok := severity[indicators.Status(s)]; !ok {
				err = fmt.Errorf("unknown status %q (one of achieved, overdue, no_data, stale, lagging, ongoing, on_track)", s)
				continue
			}
			f.Status[indicators.Status(s)] = true
		}
	}
	if s := q.Get("section"); s != "" {
		found := false
		for _, t := range p.Targets {
			found = found || t.Section == s
		}
		if found {
			f.Section = s
		} else {
			err = fmt.Errorf("unknown section %q", s)
		}
	}
	if d := q.Get("dept"); d != "" {
		if _, ok := p.Department(d); ok {
			f.Dept = d
		} else {
			err = fmt.Errorf("unknown department %q", d)
		}
	}
	switch q.Get("sort") {
	case "", "lag":
	case "task":
		f.ByTask = true
	default:
		err = fmt.Errorf("unknown sort %q (lag or task)", q.Get("sort"))
	}
	return f, err
}

// scope reports whether a target passes the section and department
// filters; the status filter applies on top.
func (f filter) scope(t *indicators.Target) bool {
	if f.Section != "" && t.Section != f.Section {
		return false
	}
	return f.Dept == "" || t.MayReport(f.Dept)
}

// url is the overview's address for f with the given statuses and order.
func (f filter) url(statuses map[indicators.Status]bool, byTask bool) string {
	q := url.Values{}
	for _, st := range indicators.Statuses {
		if statuses[st] {
			q.Add("status", string(st))
		}
	}
	if f.Section != "" {
		q.Set("section", f.Section)
	}
	if f.Dept != "" {
		q.Set("dept", f.Dept)
	}
	if byTask {
		q.Set("sort", "task")
	}
	if len(q) == 0 {
		return "/"
	}
	return "/?" + q.Encode()
}

// rows returns every indicator passing f, in the requested order, and
// the totals by status of those passing the section and department
// filters.
func (s *snapshot) rows(f filter) ([]row, map[indicators.Status]int, int) {
	var out []row
	totals := map[indicators.Status]int{}
	inScope := 0
	for i, e := range s.main() {
		if !f.scope(e.Target) {
			continue
		}
		inScope++
		totals[e.Status]++
		if len(f.Status) > 0 && !f.Status[e.Status] {
			continue
		}
		out = append(out, s.row(e, i))
	}
	if f.ByTask {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Task < out[j].Task })
	} else {
		sortByLag(out)
	}
	return out, totals, inScope
}

type section struct {
	Name string
	Rows []row
}

type total struct {
	Status indicators.Status
	Count  int
	URL    string
	Active bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type overviewData struct {
	Sections      []section
	Totals        []total
	Shown, Scope  int
	All           int
	Statuses      []option
	SectionOpts   []option
	Depts         []option
	ByTask        bool
	LagURL        string
	TaskURL       string
	Filtered      bool
	ClearURL      string
	DeptName      string
	SectionFilter string
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	f, _ := parseFilter(r.URL.Query(), s.plan) // a stale bookmark shows everything rather than an error
	rows, totals, inScope := s.rows(f)

	d := overviewData{Shown: len(rows), Scope: inScope, All: len(s.plan.Targets), ByTask: f.ByTask,
		LagURL: f.url(f.Status, false), TaskURL: f.url(f.Status, true), ClearURL: "/",
		Filtered: len(f.Status) > 0 || f.Section != "" || f.Dept != "", SectionFilter: f.Section}
	if f.Dept != "" {
		d.DeptName = s.deptName(f.Dept)
	}
	for _, st := range indicators.Statuses {
		d.Totals = append(d.Totals, total{Status: st, Count: totals[st], URL: f.url(map[indicators.Status]bool{st: true}, f.ByTask), Active: f.Status[st]})
		d.Statuses = append(d.Statuses, option{Value: string(st), Label: st.Chinese(), Selected: f.Status[st]})
	}
	// Sections in the order of the plan's text (by their first task),
	// each with its rows in the chosen order.
	idx := map[string]int{}
	for _, name := range sections(s.plan) {
		idx[name] = len(d.Sections)
		d.Sections = append(d.Sections, section{Name: name})
		d.SectionOpts = append(d.SectionOpts, option{Value: name, Label: name, Selected: name == f.Section})
	}
	for _, rw := range rows {
		i := idx[rw.Section]
		d.Sections[i].Rows = append(d.Sections[i].Rows, rw)
	}
	kept := d.Sections[:0]
	for _, sec := range d.Sections {
		if len(sec.Rows) > 0 {
			kept = append(kept, sec)
		}
	}
	d.Sections = kept
	for _, dep := range s.plan.Departments {
		d.Depts = append(d.Depts, option{Value: dep.ID, Label: dep.Name, Selected: dep.ID == f.Dept})
	}
	h.render(w, r, http.StatusOK, "overview", s, page{Title: "总览", Nav: "overview", Data: d})
}

// sections lists the plan's sections ordered by their lowest task number.
func sections(p *indicators.Plan) []string {
	first := map[string]int{}
	var names []string
	for _, t := range p.Targets {
		if n, ok := first[t.Section]; !ok || t.Task < n {
			if !ok {
				names = append(names, t.Section)
			}
			first[t.Section] = t.Task
		}
	}
	sort.SliceStable(names, func(i, j int) bool { return first[names[i]] < first[names[j]] })
	return names
}
