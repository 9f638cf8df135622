package dashboards

import (
	"context"
	"debug/elf"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/backfill"
	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

// The proof without Grafana: every query of every panel of every
// committed dashboard, run against a real Prometheus scraping the real
// exporter on the demo data, parses and returns data; the metrics the
// panels name exist; then the backfilled history is queryable at its dates
// and the history panels show one line per series, not two.
func TestDashboardsAgainstRealPrometheus(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the exporter and Prometheus")
	}
	began := time.Now()
	s := startStack(t)
	t.Logf("exporter and Prometheus up, demo ingested, 3 scrapes: %v", time.Since(began).Round(time.Millisecond))
	dashboards := committedDashboards(t)
	generated := map[string]Dashboard{}
	for _, d := range generate(t) {
		generated[*d.Model.Uid] = d
	}

	t.Run("the exporter is built static, as in the image", func(t *testing.T) {
		f, err := elf.Open(s.exporterBin)
		if err != nil {
			t.Skipf("not an ELF binary: %v", err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Error("the exporter built with CGO_ENABLED=0 needs a dynamic loader; distroless/static cannot run it")
			}
		}
	})

	now := time.Now()
	for _, uid := range sortedKeys(dashboards) {
		d := dashboards[uid]
		t.Run(uid, func(t *testing.T) {
			cases := variableCases(t, s.api, uid)
			covered := map[Need]bool{Always: true}
			for _, c := range cases {
				for n := range c.needs {
					covered[n] = true
				}
			}
			for id, n := range generated[uid].Needs {
				if !covered[n] {
					t.Errorf("panel %d needs %q, which no test case provides", id, n)
				}
			}
			for _, c := range cases {
				vars := resolveVariables(t, s.api, d, c)
				t.Logf("%s: variables %v", c.name, vars)
				for _, p := range d.Panels {
					need := generated[uid].Needs[uint32(p.ID)]
					for _, q := range p.Targets {
						where := fmt.Sprintf("%s panel %d %q query %s", c.name, p.ID, p.Title, q.RefID)
						r, expr, err := runTarget(s.api, q, vars, now)
						if err != nil {
							t.Errorf("%s: %v\n%s", where, err, expr)
							continue
						}
						if r.empty() && (need == Always || c.needs[need]) {
							t.Errorf("%s returns nothing:\n%s", where, expr)
						}
					}
				}
			}
		})
	}

	t.Run("every metric a panel names is exposed", func(t *testing.T) {
		exposed := exposedNames(s.exporterMetrics)
		// Series Prometheus makes itself, and the backfilled history.
		for _, n := range []string{"up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS", backfill.ReportedMetric, backfill.PlannedMetric} {
			exposed[n] = true
		}
		for uid, d := range dashboards {
			for _, p := range d.Panels {
				for _, q := range p.Targets {
					for _, n := range metricNames(q.Expr) {
						if !exposed[n] {
							t.Errorf("%s panel %d %q names %s, which the exporter does not expose", uid, p.ID, p.Title, n)
						}
					}
				}
			}
			for _, v := range d.Templating.List {
				var q string
				if json.Unmarshal(v.Query, &q) != nil || v.Type != "query" {
					continue
				}
				for _, n := range metricNames(variableExpr(q)) {
					if !exposed[n] {
						t.Errorf("%s variable %s names %s, which the exporter does not expose", uid, v.Name, n)
					}
				}
			}
		}
	})

	if t.Failed() {
		return
	}
	t.Run("backfilled history is queryable at its dates and not doubled", func(t *testing.T) {
		testBackfill(t, s, dashboards[IndicatorUID])
	})
	t.Logf("whole test: %v", time.Since(began).Round(time.Millisecond))
}

// testCase is one set of variable values and the needs it satisfies.
type testCase struct {
	name  string
	vars  map[string]string
	needs map[Need]bool
}

// variableCases picks, from the data, variable values under which the
// dashboard's panels should have data.
func variableCases(t *testing.T, api promAPI, uid string) []testCase {
	t.Helper()
	pick := func(expr string, labels ...string) map[string]string {
		r, err := api.instant(expr, time.Now())
		if err != nil || r.empty() {
			t.Fatalf("no test values from the demo data for %s (%v)", expr, err)
		}
		sort.Slice(r.Vector, func(i, j int) bool { return fmt.Sprint(r.Vector[i].Metric) < fmt.Sprint(r.Vector[j].Metric) })
		out := map[string]string{}
		for _, l := range labels {
			out[l] = r.Vector[0].Metric[l]
		}
		return out
	}
	switch uid {
	case IndicatorUID:
		return []testCase{
			{name: "indicator with a forecast",
				vars:  pick(`indicator_projected_value and on (indicator, region) indicator_projected_achievement_timestamp_seconds and on (indicator, region) indicator_current_value`, "indicator", "region"),
				needs: map[Need]bool{Forecast: true}},
			{name: "each_city indicator, one city",
				vars:  pick(`indicator_current_value and on (indicator) indicator_regions_in_scope and on (indicator) indicator_deadline_timestamp_seconds`, "indicator", "region"),
				needs: map[Need]bool{EachCity: true, Deadline: true}},
		}
	case DepartmentUID:
		return []testCase{{name: "department with files, lead and participant roles",
			vars: pick(`group by (department) (indicator_inbox_last_accepted_timestamp_seconds)
				and on (department) indicator_responsibility{role="lead"}
				and on (department) indicator_responsibility{role="participant"}`, "department")}}
	}
	return []testCase{{name: "defaults"}}
}

// resolveVariables evaluates the dashboard's variables in order, as
// Grafana does, and checks that each test value is one the variable's own
// query offers (else the first option, as Grafana picks on load).
func resolveVariables(t *testing.T, api promAPI, d dashboardJSON, c testCase) map[string]option {
	t.Helper()
	vars := map[string]option{}
	for _, v := range d.Templating.List {
		var q string
		json.Unmarshal(v.Query, &q)
		switch v.Type {
		case "datasource":
			vars[v.Name] = option{DatasourceUID, DatasourceUID}
			continue
		case "constant":
			vars[v.Name] = option{q, q}
			continue
		case "query":
		default:
			t.Fatalf("variable %s has type %s, which the test cannot evaluate", v.Name, v.Type)
		}
		opts, err := variableOptions(api, expand(q, vars, 0, 0), v.Regex)
		if err != nil {
			t.Fatalf("variable %s: %v", v.Name, err)
		}
		if len(opts) == 0 {
			t.Fatalf("variable %s offers nothing: %s", v.Name, expand(q, vars, 0, 0))
		}
		chosen := opts[0]
		if want, ok := c.vars[v.Name]; ok {
			found := false
			for _, o := range opts {
				if o.value == want {
					chosen, found = o, true
				}
			}
			if !found {
				t.Fatalf("variable %s does not offer %q (offers %v)", v.Name, want, opts)
			}
		}
		if chosen.text == "" {
			t.Errorf("variable %s: option %q has no text", v.Name, chosen.value)
		}
		vars[v.Name] = chosen
	}
	return vars
}

type option struct{ value, text string }

var (
	labelValuesQuery = regexp.MustCompile(`^label_values\((?:(.*),\s*)?(\w+)\)$`)
	queryResultQuery = regexp.MustCompile(`^query_result\((.*)\)$`)
)

// variableExpr is the PromQL in a variable query.
func variableExpr(q string) string {
	if m := queryResultQuery.FindStringSubmatch(q); m != nil {
		return m[1]
	}
	if m := labelValuesQuery.FindStringSubmatch(q); m != nil {
		return m[1]
	}
	return q
}

// variableOptions evaluates a Grafana Prometheus variable query and its
// regex like Grafana: label_values through the labels API; query_result
// as `name{l="v",...} value timestamp` lines; a regex with groups text and
// value splits each line into the shown text and the value.
func variableOptions(api promAPI, q, regex string) ([]option, error) {
	var lines []string
	switch {
	case labelValuesQuery.MatchString(q):
		m := labelValuesQuery.FindStringSubmatch(q)
		vs, err := api.labelValues(m[2], m[1])
		if err != nil {
			return nil, err
		}
		lines = vs
	case queryResultQuery.MatchString(q):
		r, err := api.instant(queryResultQuery.FindStringSubmatch(q)[1], time.Now())
		if err != nil {
			return nil, err
		}
		for _, s := range r.Vector {
			names := sortedKeys(s.Metric)
			var b strings.Builder
			b.WriteString(s.Metric["__name__"])
			b.WriteString("{")
			first := true
			for _, n := range names {
				if n == "__name__" {
					continue
				}
				if !first {
					b.WriteString(",")
				}
				first = false
				fmt.Fprintf(&b, "%s=%q", n, s.Metric[n])
			}
			fmt.Fprintf(&b, "} %v %d", s.Value[1], int64(sampleTime(s.Value).UnixMilli()))
			lines = append(lines, b.String())
		}
	default:
		return nil, fmt.Errorf("query %q is neither label_values nor query_result", q)
	}
	var out []option
	if regex == "" {
		for _, l := range lines {
			out = append(out, option{l, l})
		}
		return out, nil
	}
	re, err := regexp.Compile(strings.TrimSuffix(strings.TrimPrefix(regex, "/"), "/"))
	if err != nil {
		return nil, fmt.Errorf("regex %s: %v", regex, err)
	}
	for _, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		o := option{}
		if i := re.SubexpIndex("value"); i > 0 {
			o.value = m[i]
		} else if len(m) > 1 {
			o.value = m[1]
		} else {
			o.value = m[0]
		}
		o.text = o.value
		if i := re.SubexpIndex("text"); i > 0 {
			o.text = m[i]
		}
		out = append(out, o)
	}
	return out, nil
}

// Query windows of the test: range queries cover the last two minutes at
// 2 s steps; $__rate_interval is four scrape intervals and a step.
const (
	testRange    = 2 * time.Minute
	testStep     = 2 * time.Second
	testRateIntv = 8 * time.Second
)

var varPattern = regexp.MustCompile(`\$\{(\w+)(?::(\w+))?\}|\$(\w+)`)

// expand substitutes variables as Grafana does before a query is sent.
// interval is $__interval (and the step); rng is $__range.
func expand(expr string, vars map[string]option, interval, rng time.Duration) string {
	dur := func(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) + "s" }
	builtin := map[string]string{
		"__interval": dur(interval), "__rate_interval": dur(testRateIntv), "__range": dur(rng),
		"__interval_ms": strconv.FormatInt(interval.Milliseconds(), 10), "__range_s": strconv.FormatInt(int64(rng/time.Second), 10),
		"__range_ms": strconv.FormatInt(rng.Milliseconds(), 10),
	}
	return varPattern.ReplaceAllStringFunc(expr, func(m string) string {
		sm := varPattern.FindStringSubmatch(m)
		name, format := sm[1]+sm[3], sm[2]
		if v, ok := builtin[name]; ok {
			return v
		}
		o, ok := vars[name]
		if !ok {
			return m
		}
		switch format {
		case "text":
			return o.text
		case "queryparam":
			return "var-" + name + "=" + o.value
		}
		return o.value
	})
}

// runTarget runs one panel query as Grafana would: instant queries at
// now, range queries over the last two minutes.
func runTarget(api promAPI, q targetJSON, vars map[string]option, now time.Time) (promResult, string, error) {
	if q.Instant {
		expr := expand(q.Expr, vars, testStep, testRange)
		r, err := api.instant(expr, now)
		return r, expr, err
	}
	expr := expand(q.Expr, vars, testStep, testRange)
	r, err := api.rangeQuery(expr, now.Add(-testRange), now, testStep)
	return r, expr, err
}

// exposedNames are the metric names in an exposition.
func exposedNames(body string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(body, "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out[strings.FieldsFunc(l, func(r rune) bool { return r == '{' || r == ' ' })[0]] = true
	}
	return out
}

var (
	stringLit   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	braces      = regexp.MustCompile(`\{[^}]*\}|\[[^\]]*\]`)
	labelList   = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	tokens      = regexp.MustCompile(`[0-9][0-9A-Za-z_.]*|[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?`)
	promqlWords = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true, "by": true,
		"without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true, "inf": true, "nan": true, "Inf": true, "NaN": true}
)

// metricNames lists the metric names a PromQL expression selects: the
// identifiers left once strings, matchers, ranges, label lists, function
// calls and keywords are taken out.
func metricNames(expr string) []string {
	e := stringLit.ReplaceAllString(expr, `""`)
	e = braces.ReplaceAllString(e, " ")
	e = labelList.ReplaceAllString(e, " ")
	seen := map[string]bool{}
	var out []string
	for _, m := range tokens.FindAllStringSubmatch(e, -1) {
		tok := m[0]
		if m[1] != "" || tok[0] >= '0' && tok[0] <= '9' || promqlWords[tok] || seen[tok] {
			continue // a function, a number or duration, a keyword
		}
		seen[tok] = true
		out = append(out, tok)
	}
	return out
}

func TestMetricNamesFindsSelectorsOnly(t *testing.T) {
	for expr, want := range map[string]string{
		`max by (indicator, region) (indicator_current_value{indicator="$indicator", region=~"a|b"})`:                         "indicator_current_value",
		`count((indicator_status{status="x"} == 1) and on (indicator) indicator_responsibility{role="lead"}) or vector(0)`:    "indicator_status indicator_responsibility",
		`sum(increase(indicator_inbox_files_total[$__rate_interval])) * 1000 - 1e3`:                                           "indicator_inbox_files_total",
		`label_replace(indicator_info, "department", "$1", "lead_department", "(.*)") * on (department) group_left (lead) up`: "indicator_info up",
		`max(indicator_target_value @ end()) offset 5m`:                                                                       "indicator_target_value",
		`time() - process_start_time_seconds`:                                                                                 "process_start_time_seconds",
	} {
		if got := strings.Join(metricNames(expr), " "); got != want {
			t.Errorf("metricNames(%s) = %q, want %q", expr, got, want)
		}
	}
}

// testBackfill backfills the exporter's history into the stopped
// Prometheus, restarts it and checks: every stored report is in
// Prometheus, at its date, with its value; a query at a report's date
// returns it; and the 指标详情 history panel gives one line per series
// over years, joining the backfilled reports with the live gauge.
func testBackfill(t *testing.T, s *stack, detail dashboardJSON) {
	om := s.backfill(t)
	plan, err := config.LoadFile(s.plan)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenReader(s.storage, plan) // the exporter has it open too (WAL)
	if err != nil {
		t.Fatal(err)
	}
	data, err := st.Full(context.Background())
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(om); !strings.Contains(string(b), "# TYPE "+backfill.ReportedMetric+" gauge") {
		t.Fatalf("%s does not declare %s", om, backfill.ReportedMetric)
	}

	// Every report, exactly, and nothing else.
	now := time.Now().Truncate(time.Second)
	r, err := s.api.instant(backfill.ReportedMetric+"[20y]", now)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, sr := range r.Vector {
		for _, v := range sr.Values {
			got[fmt.Sprintf("%s/%s@%d", sr.Metric["indicator"], sr.Metric["region"], sampleTime(v).Unix())] = sampleValue(v)
		}
	}
	want := map[string]float64{}
	for k, obs := range data.Series {
		for _, o := range obs {
			want[fmt.Sprintf("%s/%s@%d", k.Indicator, k.Region, o.AsOf)] = o.Value
		}
	}
	if len(want) == 0 {
		t.Fatal("the demo stored no reports")
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("Prometheus has %s = %v (present: %v), the store %v", k, g, ok, v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("Prometheus has %d backfilled reports, the store %d", len(got), len(want))
	}

	// A past report, queried at its date as a dashboard would, and not
	// before it.
	var key indicators.SeriesKey
	for k := range data.Series {
		if key.Indicator == "" || k.Indicator < key.Indicator {
			key = k
		}
	}
	o := data.Series[key][0]
	at := o.Date(plan.Location)
	sel := fmt.Sprintf(`%s{indicator=%q, region=%q}`, backfill.ReportedMetric, key.Indicator, key.Region)
	if r, err := s.api.instant(sel, at); err != nil || r.empty() || sampleValue(r.Vector[0].Value) != o.Value {
		t.Errorf("%s at %s: %+v %v; want %v", sel, at.Format(time.DateOnly), r, err, o.Value)
	}
	if r, err := s.api.instant(sel, at.Add(-time.Hour)); err != nil || !r.empty() {
		t.Errorf("%s an hour before its date: %+v %v; want nothing", sel, r, err)
	}

	// The history panel over the years: per series one line, with each
	// report at the step after its date, and the live value at the end.
	var history panelJSON
	for _, p := range detail.Panels {
		if strings.Contains(p.Title, "计划路径") {
			history = p
		}
	}
	if len(history.Targets) == 0 {
		t.Fatal("指标详情 has no history panel (title with 计划路径)")
	}
	for _, c := range variableCases(t, s.api, IndicatorUID) {
		vars := resolveVariables(t, s.api, detail, c)
		k := indicators.SeriesKey{Indicator: vars["indicator"].value, Region: vars["region"].value}
		reports := data.Series[k]
		if len(reports) == 0 {
			t.Fatalf("%s: no reports for %v", c.name, k)
		}
		// Daily steps ending now: each report (00:00 on its date) lies in
		// the window ($__interval = step) of the step on its date, and the
		// last step is now, where the live gauge is.
		y, m, dd := now.In(plan.Location).Date()
		offset := now.Sub(time.Date(y, m, dd, 0, 0, 0, 0, plan.Location))
		from := reports[0].Date(plan.Location).Add(offset)
		for _, q := range history.Targets {
			expr := expand(q.Expr, vars, 24*time.Hour, now.Sub(from))
			r, err := s.api.rangeQuery(expr, from, now, 24*time.Hour)
			if err != nil {
				t.Errorf("%s query %s over the years: %v\n%s", c.name, q.RefID, err, expr)
				continue
			}
			if len(r.Vector) != 1 {
				t.Errorf("%s query %s over the years gives %d series, want 1 (live and history must not double):\n%s", c.name, q.RefID, len(r.Vector), expr)
				continue
			}
			points := map[int64]float64{}
			for _, v := range r.Vector[0].Values {
				points[sampleTime(v).Unix()] = sampleValue(v)
			}
			if q.RefID != "A" {
				if len(points) == 0 {
					t.Errorf("%s query %s: no points", c.name, q.RefID)
				}
				continue
			}
			for _, o := range reports {
				at := o.Date(plan.Location)
				step := at.Add(offset).Unix()
				if v, ok := points[step]; !ok || math.Abs(v-o.Value) > 1e-9 {
					t.Errorf("%s: the history line at %s is %v (present %v), the report %v", c.name, at.Format(time.DateOnly), v, ok, o.Value)
				}
			}
			last := r.Vector[0].Values[len(r.Vector[0].Values)-1]
			if sampleTime(last).Unix() != now.Unix() || sampleValue(last) != reports[len(reports)-1].Value {
				t.Errorf("%s: the line ends at %v with %v, want now (%v) with the live value %v", c.name, sampleTime(last), sampleValue(last), now, reports[len(reports)-1].Value)
			}
		}
	}
	if t.Failed() {
		files, _ := filepath.Glob(filepath.Join(s.promDir, "*"))
		t.Logf("Prometheus data folder: %v", files)
	}
}
