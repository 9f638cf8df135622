package web

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

// API types. Numbers that do not exist (no report yet, no deadline, no
// trend) are null; dates are "2006-01-02" in the plan's zone; instants are
// RFC 3339.

type apiDept struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// apiState is the state of one target in one region.
type apiState struct {
	Region            string   `json:"region"`
	RegionName        string   `json:"region_name"`
	Status            string   `json:"status"`
	StatusText        string   `json:"status_text"`
	Current           *float64 `json:"current"`
	Baseline          *float64 `json:"baseline"`
	Progress          *float64 `json:"progress"`
	Expected          *float64 `json:"expected_progress"`
	Planned           *float64 `json:"planned"`
	LastReport        *string  `json:"last_report"`
	LastArrival       *string  `json:"last_arrival"`
	Projected         *float64 `json:"projected"`
	ProjectedProgress *float64 `json:"projected_progress"`
	ProjectedReach    *string  `json:"projected_reach"`
	RegionsMet        *int     `json:"regions_met,omitempty"`
	RegionsTotal      *int     `json:"regions_total,omitempty"`
}

type apiIndicator struct {
	ID           string    `json:"id"`
	Task         int       `json:"task"`
	Section      string    `json:"section"`
	Name         string    `json:"name"`
	Unit         string    `json:"unit"`
	Kind         string    `json:"kind"`
	Direction    string    `json:"direction"`
	Measure      string    `json:"measure"`
	Period       string    `json:"period"`
	Scope        string    `json:"scope"`
	Target       float64   `json:"target"`
	Tolerance    float64   `json:"tolerance"`
	TargetText   string    `json:"target_text"`
	Deadline     *string   `json:"deadline"`
	Lead         []apiDept `json:"lead"`
	Participants []apiDept `json:"participants"`
	URL          string    `json:"url"`
	apiState
	Cities []apiState `json:"cities,omitempty"`
}

type apiCheckpoint struct {
	Date  string  `json:"date"`
	Value float64 `json:"value"`
}

type apiReport struct {
	AsOf       string  `json:"as_of"`
	Region     string  `json:"region"`
	Value      float64 `json:"value"`
	Raw        string  `json:"raw"`
	Department string  `json:"department"`
	Source     string  `json:"source"`
	Line       int     `json:"line"`
	ReceivedAt string  `json:"received_at"`
	Note       string  `json:"note"`
	Superseded bool    `json:"superseded"`
}

type apiDetail struct {
	apiIndicator
	Description string          `json:"description"`
	Checkpoints []apiCheckpoint `json:"checkpoints"`
	History     []apiReport     `json:"history"`
}

type apiSubmission struct {
	ID             int64    `json:"id"`
	Department     string   `json:"department"`
	DepartmentName string   `json:"department_name"`
	File           string   `json:"file"`
	Result         string   `json:"result"`
	Rows           int      `json:"rows"`
	At             string   `json:"at"`
	Report         []string `json:"report"`
}

func opt(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func optDay(t time.Time, loc *time.Location) *string {
	if t.IsZero() {
		return nil
	}
	s := t.In(loc).Format(dateLayout)
	return &s
}

func optInstant(t time.Time, loc *time.Location) *string {
	if t.IsZero() {
		return nil
	}
	s := t.In(loc).Format(time.RFC3339)
	return &s
}

func (s *snapshot) apiState(e *indicators.Evaluation) apiState {
	loc := s.plan.Location
	a := apiState{Region: e.Region, RegionName: s.regionName(e.Region), Status: string(e.Status), StatusText: e.Status.Chinese(),
		Current: opt(e.Current), Baseline: opt(e.Baseline), Progress: opt(e.Progress), Expected: opt(e.Expected),
		Planned: opt(e.Planned), LastReport: optDay(e.LastReport, loc), LastArrival: optInstant(e.LastArrival, loc),
		Projected: opt(e.Projected), ProjectedProgress: opt(e.ProjectedProgress), ProjectedReach: optDay(e.ProjectedReach, loc)}
	if e.RegionsTotal > 0 {
		// The province row of an each-city target has no value of its
		// own: "current": 2 next to a target of 50 % would read as 2 %.
		met, total := e.RegionsMet, e.RegionsTotal
		a.RegionsMet, a.RegionsTotal, a.Current = &met, &total, nil
	}
	return a
}

func (s *snapshot) depts(ids []string) []apiDept {
	out := make([]apiDept, 0, len(ids))
	for _, id := range ids {
		out = append(out, apiDept{ID: id, Name: s.deptName(id)})
	}
	return out
}

func (s *snapshot) apiIndicator(e *indicators.Evaluation) apiIndicator {
	t := e.Target
	a := apiIndicator{ID: t.ID, Task: t.Task, Section: t.Section, Name: t.Name, Unit: t.Unit, Kind: string(t.Kind),
		Direction: string(t.Direction), Measure: string(t.Measure), Period: string(t.Period), Scope: string(t.Scope),
		Target: t.Value, Tolerance: t.Tolerance, TargetText: targetText(t),
		Lead: s.depts(t.Lead), Participants: s.depts(t.Participants), URL: "/indicators/" + url.PathEscape(t.ID),
		apiState: s.apiState(e)}
	if due := indicators.DueDate(t); !due.IsZero() {
		// The last day included; for an ongoing target due at a
		// checkpoint, that checkpoint's day (as the metrics give it).
		d := due.Add(-time.Nanosecond).In(s.plan.Location).Format(dateLayout)
		a.Deadline = &d
	}
	if t.Scope == indicators.EachCity {
		a.Cities = []apiState{}
		for _, c := range s.of(t.ID) {
			if c.Region != e.Region {
				a.Cities = append(a.Cities, s.apiState(c))
			}
		}
	}
	return a
}

// apiIndicators lists every indicator with its current state; the
// overview's filters (status, section, dept, sort) apply.
func (h *Handler) apiIndicators(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	f, err := parseFilter(r.URL.Query(), s.plan)
	if err != nil {
		apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	rows, _, _ := s.rows(f)
	out := struct {
		Plan        string         `json:"plan"`
		GeneratedAt string         `json:"generated_at"`
		Indicators  []apiIndicator `json:"indicators"`
	}{Plan: s.plan.Name, GeneratedAt: s.now.In(s.plan.Location).Format(time.RFC3339), Indicators: []apiIndicator{}}
	for _, rw := range rows {
		out.Indicators = append(out.Indicators, s.apiIndicator(rw.Eval))
	}
	writeJSON(w, r, http.StatusOK, out)
}

// apiIndicator is one indicator with its checkpoints and every stored
// report, oldest first.
func (h *Handler) apiIndicator(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	t, ok := s.plan.Target(r.PathValue("id"))
	if !ok {
		apiError(w, http.StatusNotFound, "unknown indicator "+strconv.Quote(r.PathValue("id")))
		return
	}
	hist, err := h.o.Store.History(r.Context(), t.ID)
	if err != nil {
		h.o.Logger.Error("cannot read history", "indicator", t.ID, "err", err)
		apiError(w, http.StatusInternalServerError, "cannot read the history of "+t.ID)
		return
	}
	var main *indicators.Evaluation
	for _, e := range s.of(t.ID) {
		if e.Region == s.plan.ProvinceID() {
			main = e
		}
	}
	if main == nil {
		apiError(w, http.StatusInternalServerError, errNoProvinceRow.Error())
		return
	}
	loc := s.plan.Location
	d := apiDetail{apiIndicator: s.apiIndicator(main), Description: t.Description,
		Checkpoints: []apiCheckpoint{}, History: []apiReport{}}
	for _, c := range main.Target.Checkpoints {
		d.Checkpoints = append(d.Checkpoints, apiCheckpoint{Date: day(c.Date.Add(-time.Nanosecond), loc), Value: c.Value})
	}
	for _, o := range hist {
		d.History = append(d.History, apiReport{AsOf: day(o.AsOf, loc), Region: o.Region, Value: o.Value, Raw: o.Raw,
			Department: o.Department, Source: o.Source, Line: o.Line, ReceivedAt: o.ReceivedAt.In(loc).Format(time.RFC3339),
			Note: o.Note, Superseded: o.Superseded})
	}
	writeJSON(w, r, http.StatusOK, d)
}

// apiSubmissions lists the latest inbox outcomes, newest first:
// ?department=housing&limit=50 (at most 500).
func (h *Handler) apiSubmissions(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	q := r.URL.Query()
	dept := q.Get("department")
	if _, ok := s.plan.Department(dept); dept != "" && !ok && dept != unknownDept {
		apiError(w, http.StatusNotFound, "unknown department "+strconv.Quote(dept))
		return
	}
	limit := 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			apiError(w, http.StatusBadRequest, "limit must be a number from 1 to 500")
			return
		}
		limit = n
	}
	outs, err := h.o.Store.Outcomes(r.Context(), dept, limit)
	if err != nil {
		h.o.Logger.Error("cannot read file outcomes", "err", err)
		apiError(w, http.StatusInternalServerError, "cannot read file outcomes")
		return
	}
	res := struct {
		Submissions []apiSubmission `json:"submissions"`
	}{Submissions: []apiSubmission{}}
	for _, o := range outs {
		res.Submissions = append(res.Submissions, submissionOf(o, s))
	}
	writeJSON(w, r, http.StatusOK, res)
}

func submissionOf(o store.FileOutcome, s *snapshot) apiSubmission {
	rep := reportLines(o.Report)
	if rep == nil {
		rep = []string{}
	}
	return apiSubmission{ID: o.ID, Department: o.Department, DepartmentName: s.deptName(o.Department), File: o.Source,
		Result: o.Result, Rows: o.Rows, At: o.At.In(s.plan.Location).Format(time.RFC3339), Report: rep}
}

// apiUnknown answers every other /api/ request in JSON.
func (h *Handler) apiUnknown(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		apiError(w, http.StatusMethodNotAllowed, "the API is read-only: use GET")
		return
	}
	apiError(w, http.StatusNotFound, "unknown API endpoint "+strconv.Quote(r.URL.Path))
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		apiError(w, http.StatusInternalServerError, "cannot encode the response")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	if r == nil || r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// apiError answers {"error": msg}.
func apiError(w http.ResponseWriter, status int, msg string) {
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
