package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// hostile is text a plan could carry in names: quotes, backslashes, line
// breaks, carriage returns, tabs, HTML and a formula, which must reach Prometheus as the exact
// label value, never break the exposition, and never become markup.
const hostile = "引号\"反斜杠\\换行\n回车\r制表\t<script>alert(1)</script>&amp;=cmd|' /C calc'!A0"

// hostilePlan puts hostile text in every free-text field that becomes a
// label value: plan, department, region and indicator names, section, unit.
func hostilePlan() string {
	q := func(s string) string { return strconv.Quote(s) } // valid TOML basic strings for this text
	return `[plan]
name = ` + q("计划"+hostile) + `
start = 2021-01-01
coordinator = "ndrc"

[[department]]
id = "ndrc"
name = ` + q("发改委"+hostile) + `

[[region]]
id = "shandong"
name = ` + q("山东"+hostile) + `
level = "province"

[[region]]
id = "jinan"
name = ` + q("济南"+hostile) + `
level = "city"

[[indicator]]
id = "evil"
task = 1
section = ` + q("=章节"+hostile) + `
name = ` + q("指标"+hostile) + `
unit = ` + q("-单位"+hostile) + `
target = 10
deadline = 2030-12-31
lead = ["ndrc"]
`
}

// TestHostileNamesAreEscapedInMetrics serves a plan whose names carry
// quotes, backslashes, line feeds and HTML: the exposition (text and
// OpenMetrics) parses, every label value reads back exactly as written in
// the plan, and promtool finds nothing to complain about.
func TestHostileNamesAreEscapedInMetrics(t *testing.T) {
	s := newSite(t, hostilePlan())
	d := launch(t, procOptions{}, s.args()...)
	code, body := d.get("/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	m := parseMetrics(t, body)
	for _, want := range [][]string{
		{"indicator_info", "indicator", "evil", "name", "指标" + hostile},
		{"indicator_info", "indicator", "evil", "section", "=章节" + hostile},
		{"indicator_info", "indicator", "evil", "unit", "-单位" + hostile},
		{"indicator_department_info", "department", "ndrc", "name", "发改委" + hostile},
		{"indicator_region_info", "region", "jinan", "name", "济南" + hostile},
	} {
		if _, ok := m.get(want[0], want[1:]...); !ok {
			t.Errorf("%s with %s=%q not found: the label value did not survive the exposition", want[0], want[3], want[4])
		}
	}
	// No raw line break or quote ends a label value early: every line of
	// the body is a comment or one whole sample.
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		if !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "indicator_") && !strings.HasPrefix(l, "go_") &&
			!strings.HasPrefix(l, "process_") && !strings.HasPrefix(l, "promhttp_") {
			t.Errorf("a line of the exposition is not a sample: %q", l)
		}
	}
	promtoolCheckMetrics(t, body)

	// The same through OpenMetrics, as a Prometheus that asks for it.
	req, _ := http.NewRequest(http.MethodGet, d.base+"/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0")
	resp, err := d.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text") {
		t.Fatalf("Content-Type %q, want OpenMetrics", ct)
	}
	// Decoded with the strict OpenMetrics 1.0 grammar: every indicator
	// family parses and the label values read back exactly. (Only the
	// indicator families: client_golang's Go collector exposes
	// go_memstats_alloc_bytes both as a gauge and, as the family of
	// go_memstats_alloc_bytes_total, as a counter, which the strict
	// decoder refuses; Prometheus accepts it.)
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var own strings.Builder
	for _, l := range strings.SplitAfter(string(raw), "\n") {
		if strings.HasPrefix(l, "indicator_") || strings.HasPrefix(l, "# HELP indicator_") || strings.HasPrefix(l, "# TYPE indicator_") {
			own.WriteString(l)
		}
	}
	own.WriteString("# EOF\n")
	dec := expfmt.NewDecoder(strings.NewReader(own.String()), expfmt.ResponseFormat(resp.Header))
	om := metrics{}
	for {
		var mf dto.MetricFamily
		if err := dec.Decode(&mf); err != nil {
			if err != io.EOF {
				t.Fatalf("the OpenMetrics body does not parse: %v", err)
			}
			break
		}
		om[mf.GetName()] = &mf
	}
	if _, ok := om.get("indicator_info", "indicator", "evil", "name", "指标"+hostile); !ok {
		t.Errorf("indicator_info name did not survive OpenMetrics: %v", om["indicator_info"])
	}
}

// TestHostileNamesAndNotesAreEscapedInPages serves the hostile plan with a
// report whose note and rejected cells carry HTML and formulas: every HTML
// page shows them as text (never markup), the CSV downloads neutralise
// every cell a spreadsheet would run, and the JSON API returns them intact.
func TestHostileNamesAndNotesAreEscapedInPages(t *testing.T) {
	s := newSite(t, hostilePlan())
	d := launch(t, procOptions{}, s.args()...)
	note := "<img src=x onerror=alert(2)>" + hostile
	csvq := func(v string) string { return `"` + strings.ReplaceAll(v, `"`, `""`) + `"` }
	s.drop("ndrc", "good.csv", []byte("指标,数值,截至日期,备注\nevil,5,2023-06-30,"+csvq(note)+"\n"))
	s.drop("ndrc", "bad.csv", []byte("指标,数值,截至日期\n"+csvq("<b>"+hostile)+",5,2023-06-30\n"))
	d.await(t, "both files to be taken", func(m metrics) bool {
		a, _ := m.get("indicator_inbox_files_total", "department", "ndrc", "result", "accepted")
		r, _ := m.get("indicator_inbox_files_total", "department", "ndrc", "result", "rejected")
		return a == 1 && r == 1
	})

	for _, path := range []string{"/", "/indicators/evil", "/inbox", "/inbox/ndrc"} {
		code, body := d.get(path)
		if code != 200 {
			t.Errorf("GET %s = %d", path, code)
			continue
		}
		for _, raw := range []string{"<script>alert(1)</script>", "<img src=x", "<b>引号"} {
			if strings.Contains(body, raw) {
				t.Errorf("GET %s: %q appears unescaped", path, raw)
			}
		}
	}
	_, page := d.get("/indicators/evil")
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the indicator page does not show the name as escaped text")
	}
	if !strings.Contains(page, "&lt;img src=x onerror=alert(2)&gt;") {
		t.Error("the indicator page does not show the note as escaped text")
	}

	// CSV downloads: no cell starts with what a spreadsheet would run.
	for _, path := range []string{"/ledger.csv", "/inbox/ndrc/template.csv"} {
		code, body := d.get(path)
		if code != 200 {
			t.Errorf("GET %s = %d", path, code)
			continue
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Errorf("GET %s: not CSV: %v", path, err)
			continue
		}
		found, neutralised := false, false
		for _, rec := range recs {
			for _, c := range rec {
				if c != "" && strings.ContainsRune("=+-@\t\r＝＋－＠", []rune(c)[0]) {
					t.Errorf("GET %s: cell %q would run as a formula", path, c)
				}
				found = found || strings.Contains(c, "<script>alert(1)</script>")
				neutralised = neutralised || strings.HasPrefix(c, "'=章节") || strings.HasPrefix(c, "'-单位")
			}
		}
		if !found {
			t.Errorf("GET %s: the hostile name is missing (want it as text)", path)
		}
		if path == "/ledger.csv" && !neutralised {
			t.Errorf("GET %s: the section or unit starting with = or - is not there as text", path)
		}
	}

	// The JSON API carries the exact text, for programs to escape.
	code, body := d.get("/api/v1/indicators/evil")
	if code != 200 {
		t.Fatalf("GET /api/v1/indicators/evil = %d", code)
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("the API answer is not JSON: %v", err)
	}
	if !strings.Contains(fmt.Sprint(v), note) || !strings.Contains(fmt.Sprint(v), "指标"+hostile) {
		t.Error("the API does not return the note and name exactly")
	}
}
