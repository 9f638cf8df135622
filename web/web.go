// Package web serves the daemon's own pages and JSON API: an overview of
// every indicator, one page per indicator with its chart and report
// history, the inbox outcomes a clerk needs to fix a rejected file, the
// task ledger (台账) and ready-to-fill CSV templates.
//
// Pages are in Chinese, rendered on the server with html/template, and
// need nothing from outside the daemon: the stylesheet is embedded, charts
// are inline SVG and there is no JavaScript, so they work on a closed
// intranet and under a strict Content-Security-Policy.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

//go:embed templates/*.html static/style.css
var assets embed.FS

// Plans knows the plan in force. *config.Coordinator implements it.
type Plans interface {
	Plan() *indicators.Plan
}

// Store knows the reported data. *store.Store implements it. Data must
// return an immutable snapshot; History and Outcomes are read per request.
type Store interface {
	Data() indicators.Data
	Series(ctx context.Context, k indicators.SeriesKey) ([]indicators.Observation, error)
	History(ctx context.Context, indicator string) ([]store.HistoryRow, error)
	Outcomes(ctx context.Context, department string, limit int) ([]store.FileOutcome, error)
}

// Options configure the pages. Plans, Store and Now are required.
type Options struct {
	Plans Plans
	Store Store
	// Now is the clock every status and "today" is judged by.
	Now func() time.Time
	// MetricsPath is linked from the pages; default /metrics.
	MetricsPath string
	// Version is shown in the footer.
	Version string
	Logger  *slog.Logger
}

// Handler serves the pages and the API. Mount it at "/".
type Handler struct {
	o        Options
	mux      *http.ServeMux
	pages    map[string]*template.Template
	css      string // the stylesheet's URL, versioned by its hash
	cssBytes []byte
}

// unknownDept is the department the inbox files stray drops under (files
// in the inbox root or in a folder that is not a department id).
const unknownDept = "unknown"

// New parses the embedded templates and returns the handler.
func New(o Options) (*Handler, error) {
	if o.Plans == nil || o.Store == nil || o.Now == nil {
		return nil, fmt.Errorf("web: Plans, Store and Now are required")
	}
	if o.MetricsPath == "" {
		o.MetricsPath = "/metrics"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	css, err := assets.ReadFile("static/style.css")
	if err != nil {
		return nil, fmt.Errorf("web: cannot read stylesheet: %w", err)
	}
	sum := sha256.Sum256(css)
	h := &Handler{o: o, mux: http.NewServeMux(), pages: map[string]*template.Template{},
		css: "/static/style.css?v=" + hex.EncodeToString(sum[:6]), cssBytes: css}
	for _, name := range []string{"overview", "indicator", "inbox", "error"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: cannot parse template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	m := h.mux
	m.HandleFunc("GET /{$}", h.overview)
	m.HandleFunc("GET /indicators/{id}", h.indicator)
	m.HandleFunc("GET /inbox", h.inbox)
	m.HandleFunc("GET /inbox/{department}", h.inbox)
	m.HandleFunc("GET /inbox/{department}/template.csv", h.template)
	m.HandleFunc("GET /inbox/{department}/targets.csv", h.targetsTemplate)
	m.HandleFunc("GET /ledger.csv", h.ledger)
	m.HandleFunc("GET /static/style.css", h.stylesheet)
	m.HandleFunc("GET /api/v1/indicators", h.apiIndicators)
	m.HandleFunc("GET /api/v1/indicators/{id}", h.apiIndicator)
	m.HandleFunc("GET /api/v1/submissions", h.apiSubmissions)
	m.HandleFunc("/api/", h.apiUnknown)
	m.HandleFunc("/", h.notFound)
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// Nothing is loaded from elsewhere and nothing runs: say so, so an
	// injected tag could do nothing even if escaping ever failed.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	h.mux.ServeHTTP(w, r)
}

// stylesheet serves the embedded CSS. Its URL carries its hash, so it may
// be cached for a day: a new build links a new URL.
func (h *Handler) stylesheet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "style.css", time.Time{}, bytes.NewReader(h.cssBytes))
}

// snapshot is one consistent view for a request: the plan, its
// evaluation at now, and lookups.
type snapshot struct {
	plan  *indicators.Plan
	data  indicators.Data
	now   time.Time
	evals []indicators.Evaluation
}

func (h *Handler) snapshot() *snapshot {
	d := h.o.Store.Data()
	p := d.Plan // the plan the store's digests are made for
	if p == nil {
		p = h.o.Plans.Plan()
	}
	now := h.o.Now()
	return &snapshot{plan: p, data: d, now: now, evals: indicators.Evaluate(p, d, now)}
}

// main returns the row that stands for each target: the province row, or
// the province roll-up of an each_city target.
func (s *snapshot) main() []*indicators.Evaluation {
	prov := s.plan.ProvinceID()
	out := make([]*indicators.Evaluation, 0, len(s.plan.Targets))
	for i := range s.evals {
		if s.evals[i].Region == prov {
			out = append(out, &s.evals[i])
		}
	}
	return out
}

// of returns the evaluations of one target, cities first then the
// province row.
func (s *snapshot) of(id string) []*indicators.Evaluation {
	var out []*indicators.Evaluation
	for i := range s.evals {
		if s.evals[i].Target.ID == id {
			out = append(out, &s.evals[i])
		}
	}
	return out
}

func (s *snapshot) deptName(id string) string {
	if d, ok := s.plan.Department(id); ok {
		return d.Name
	}
	if id == unknownDept {
		return "未识别的文件夹"
	}
	return id
}

func (s *snapshot) regionName(id string) string {
	for _, r := range s.plan.Regions {
		if r.ID == id {
			return r.Name
		}
	}
	return id
}

// page is what every HTML page gets; Data is the page's own.
type page struct {
	Title    string
	Nav      string // the active navigation entry
	Plan     string
	Now      string
	Zone     string
	CSS      string
	Metrics  string
	Version  string
	Data     any
	Messages []string
	Reload   string // why the last plan reload failed, when it did: the page says the old plan is in force
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, s *snapshot, p page) {
	p.Plan = s.plan.Name
	p.Now = s.now.In(s.plan.Location).Format(timeLayout)
	p.Zone = indicators.ZoneName(s.plan.Location)
	p.CSS = h.css
	p.Metrics = h.o.MetricsPath
	p.Version = h.o.Version
	// Planners reload by SIGHUP, often through someone else: the pages
	// say when the edited plan was refused.
	if rs, ok := h.o.Plans.(interface{ LastReloadError() (error, time.Time) }); ok {
		if err, at := rs.LastReloadError(); err != nil {
			msg, _, _ := strings.Cut(err.Error(), "\n")
			p.Reload = at.In(s.plan.Location).Format(timeLayout) + " 重新加载计划文件失败，仍在使用上一次成功加载的计划。原因：" + reloadReason(err, msg)
		}
	}
	// Rendered to a buffer first: a template error must give a 500, not
	// half a page with status 200.
	var buf bytes.Buffer
	if err := h.pages[name].Execute(&buf, p); err != nil {
		h.o.Logger.Error("cannot render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "页面生成失败 / cannot render page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// errorPage renders a short Chinese error page.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, s *snapshot, status int, msg string) {
	if s == nil {
		s = &snapshot{plan: h.o.Plans.Plan(), now: h.o.Now()}
	}
	h.render(w, r, status, "error", s, page{Title: statusTitle(status), Data: struct {
		Status  int
		Message string
	}{status, msg}})
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.errorPage(w, r, nil, http.StatusMethodNotAllowed, "此页面只能查看，不能提交。")
		return
	}
	h.errorPage(w, r, nil, http.StatusNotFound, "找不到页面 "+r.URL.Path+"。")
}

// internalError logs err and answers 500.
func (h *Handler) internalError(w http.ResponseWriter, r *http.Request, err error) {
	h.o.Logger.Error("cannot serve page", "path", r.URL.Path, "err", err)
	h.errorPage(w, r, nil, http.StatusInternalServerError, "读取数据失败，请稍后再试或联系管理员。")
}

var funcs = template.FuncMap{
	"statusWord": func(s indicators.Status) string { return s.Chinese() },
}

// statusTitle names an error page in Chinese (the title bar shows it).
func statusTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusMethodNotAllowed:
		return "不支持的操作"
	case http.StatusInternalServerError:
		return "服务器内部错误"
	}
	return http.StatusText(status)
}

// reloadReason is the problem of a refused plan a planner should look at
// first, in Chinese (config.Error.Brief).
func reloadReason(err error, first string) string {
	type brief interface{ Brief() string }
	var pe brief
	if errors.As(err, &pe) {
		if b := pe.Brief(); b != "" {
			return b
		}
	}
	zh, _, _ := strings.Cut(first, " / ")
	return zh
}
