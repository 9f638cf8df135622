package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

// Files shown per department: on /inbox the latest few, on a
// department's own page more.
const (
	filesPerDeptOverview = 5
	filesPerDeptPage     = 50
)

type fileView struct {
	Source, Result, ResultWord, At string
	Rows                           int
	Head, Report                   []string // the report's summary lines and its numbered problems
	Rejected                       bool
}

type deptView struct {
	ID, Name    string
	URL         string
	TemplateURL string
	TargetsURL  string // the target-revision template, for who may revise targets
	Indicators  int    // how many indicators it may report
	Files       []fileView
}

type inboxData struct {
	Depts   []deptView
	Idle    []deptView // departments without any file yet (on /inbox)
	One     bool       // a single department's page
	Limit   int
	Rejects int
}

func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	ids := []string{}
	one := r.PathValue("department")
	if one != "" {
		if _, ok := s.plan.Department(one); !ok && one != unknownDept {
			h.errorPage(w, r, s, http.StatusNotFound, "找不到部门 “"+one+"”。部门编号即收件箱中的文件夹名。")
			return
		}
		ids = append(ids, one)
	} else {
		for _, d := range s.plan.Departments {
			ids = append(ids, d.ID)
		}
		ids = append(ids, unknownDept)
	}
	limit := filesPerDeptOverview
	if one != "" {
		limit = filesPerDeptPage
	}
	d := inboxData{One: one != "", Limit: limit}
	for _, id := range ids {
		outs, err := h.o.Store.Outcomes(r.Context(), id, limit)
		if err != nil {
			h.internalError(w, r, err)
			return
		}
		dv := s.deptView(id)
		fixed := false // a file was accepted after it (outcomes come newest first)
		for _, o := range outs {
			fv := fileOf(o, s)
			if fv.Rejected && !fixed {
				d.Rejects++ // still to be dealt with; older ones are listed, not counted
			}
			if o.Result == "accepted" {
				fixed = true
			}
			dv.Files = append(dv.Files, fv)
		}
		switch {
		case len(dv.Files) > 0 || one != "":
			d.Depts = append(d.Depts, dv)
		case id != unknownDept:
			d.Idle = append(d.Idle, dv)
		}
	}
	title := "报送情况"
	if one != "" {
		title = s.deptName(one) + " 报送情况"
	}
	h.render(w, r, http.StatusOK, "inbox", s, page{Title: title, Nav: "inbox", Data: d})
}

func (s *snapshot) deptView(id string) deptView {
	dv := deptView{ID: id, Name: s.deptName(id), URL: "/inbox/" + url.PathEscape(id)}
	if id == unknownDept {
		return dv
	}
	dv.TemplateURL = dv.URL + "/template.csv"
	if s.plan.MayReviseTargets(id) {
		dv.TargetsURL = dv.URL + "/targets.csv"
	}
	for _, t := range s.plan.Targets {
		if t.MayReport(id) {
			dv.Indicators++
		}
	}
	return dv
}

func fileOf(o store.FileOutcome, s *snapshot) fileView {
	head, body := splitReport(o.Report)
	return fileView{Source: o.Source, Result: o.Result, ResultWord: resultWord(o.Result),
		At: o.At.In(s.plan.Location).Format(timeLayout), Rows: o.Rows, Head: head, Report: body,
		Rejected: o.Result == "rejected"}
}

// template serves the ready-to-fill CSV of one department: one row per
// indicator it may report (one per city for each_city targets), value and
// date left empty.
func (h *Handler) template(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	dep, ok := h.department(w, r, s)
	if !ok {
		return
	}
	recs := templateRows(s.plan, dep.ID)
	writeCSV(w, r, dep.ID+"_template.csv", dep.Name+"_报送模板.csv", recs)
}

// department is the department the path names, or a 404 page saying
// what the id is.
func (h *Handler) department(w http.ResponseWriter, r *http.Request, s *snapshot) (*indicators.Department, bool) {
	id := r.PathValue("department")
	dep, ok := s.plan.Department(id)
	if !ok {
		h.errorPage(w, r, s, http.StatusNotFound, "找不到部门 “"+id+"”。部门编号即收件箱中的文件夹名。")
	}
	return dep, ok
}

// templateHeader is the template's header. 名称 and 单位 are reminders for
// the clerk: the inbox ignores unknown columns (with a warning) and the
// unit column, so a filled template is accepted as it is.
var templateHeader = []string{"指标", "名称", "单位", "地区", "数值", "截至日期", "备注"}

func templateRows(p *indicators.Plan, dept string) [][]string {
	recs := [][]string{templateHeader}
	names := regionNames(p)
	for _, t := range p.Targets {
		if !t.MayReport(dept) {
			continue
		}
		unit := t.Unit
		if t.Kind == indicators.Milestone {
			unit = "填“完成”或“未完成”"
		}
		for _, reg := range p.TargetRegions(t) {
			recs = append(recs, []string{t.ID, t.Name, unit, names[reg], "", "", ""})
		}
	}
	return recs
}

// targetsTemplate serves the coordinator's ready-to-fill CSV for revising
// targets (分年度目标, 调整后的目标): one row per quantitative indicator and
// region, with the plan's final target and deadline as reminders, the
// new target and its checkpoint date left empty. Rows left empty are not
// revisions; the inbox skips them.
func (h *Handler) targetsTemplate(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	dep, ok := h.department(w, r, s)
	if !ok {
		return
	}
	if !s.plan.MayReviseTargets(dep.ID) {
		h.errorPage(w, r, s, http.StatusNotFound, "部门 “"+dep.Name+"” 不能修改目标值：只有统筹协调部门（"+s.deptName(s.plan.Coordinator)+"）可以通过投递文件修改目标值。")
		return
	}
	writeCSV(w, r, dep.ID+"_targets.csv", dep.Name+"_目标调整模板.csv", targetTemplateRows(s.plan))
}

// targetTemplateHeader: 现行目标 and 期限 are reminders, ignored by the
// inbox with a warning like 名称 and 单位; 目标值 and 截至日期 make a row a
// revision.
var targetTemplateHeader = []string{"指标", "名称", "单位", "地区", "现行目标", "期限", "目标值", "截至日期", "备注"}

func targetTemplateRows(p *indicators.Plan) [][]string {
	recs := [][]string{targetTemplateHeader}
	names := regionNames(p)
	for _, t := range p.Targets {
		if t.Kind == indicators.Milestone {
			continue
		}
		due := deadline(t, p.Location) // as the pages give it
		for _, reg := range p.TargetRegions(t) {
			recs = append(recs, []string{t.ID, t.Name, t.Unit, names[reg],
				strconv.FormatFloat(t.Value, 'f', -1, 64), due, "", "", ""})
		}
	}
	return recs
}

// regionNames maps the plan's region ids to their names, for templates.
func regionNames(p *indicators.Plan) map[string]string {
	names := make(map[string]string, len(p.Regions))
	for _, rg := range p.Regions {
		names[rg.ID] = rg.Name
	}
	return names
}
