package web

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

// Hostile text a clerk could put in a note or a file name.
const (
	scriptNote = `<script>alert(1)</script>`
	imgNote    = `"><img src=x onerror=alert(2)>`
	evilFile   = `<img src=x onerror=alert(3)>.csv`
)

type fixedPlan struct{ p *indicators.Plan }

func (f fixedPlan) Plan() *indicators.Plan { return f.p }

// env is a handler over a real store in a temporary directory, at a fixed
// clock: 2022-07-01 00:00 Beijing time.
type env struct {
	t    *testing.T
	plan *indicators.Plan
	st   *store.Store
	h    *Handler
	now  time.Time
}

func loadPlan(t *testing.T, path string) *indicators.Plan {
	t.Helper()
	p, err := config.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWith(t, loadPlan(t, "testdata/plan.toml"))
}

func newEnvWith(t *testing.T, plan *indicators.Plan) *env {
	t.Helper()
	st, err := store.Open(t.TempDir(), plan)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, plan: plan, st: st, now: time.Date(2022, 7, 1, 0, 0, 0, 0, plan.Location)}
	e.h, err = New(Options{Plans: fixedPlan{plan}, Store: st, Now: func() time.Time { return e.now }, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) day(s string) time.Time {
	d, err := time.ParseInLocation(dateLayout, s, e.plan.Location)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

type obsSpec struct {
	indicator, region, asOf string
	value                   float64
	note                    string
}

// commit stores one file's worth of observations through store.Commit,
// as the inbox does.
func (e *env) commit(sha, dept, source string, recv time.Time, rows ...obsSpec) {
	e.t.Helper()
	b := store.Batch{SHA256: sha, Department: dept, Source: source, ReceivedAt: recv}
	for i, r := range rows {
		region := r.region
		if region == "" {
			region = e.plan.ProvinceID()
		}
		b.Observations = append(b.Observations, store.Observation{Indicator: r.indicator, Region: region,
			AsOf: e.day(r.asOf), Value: r.value, Raw: plain(r.value), ReceivedAt: recv,
			Department: dept, Source: source, Line: i + 2, Note: r.note})
	}
	if err := e.st.Commit(context.Background(), b); err != nil {
		e.t.Fatal(err)
	}
}

// seed stores the data the tests' statuses rely on, including hostile
// notes and a correction that supersedes an earlier report.
func (e *env) seed() {
	e.t.Helper()
	first := time.Date(2022, 1, 10, 9, 0, 0, 0, e.plan.Location)
	second := time.Date(2022, 6, 30, 16, 0, 0, 0, e.plan.Location)
	e.commit("a", "housing", "住建厅_2022年报送.csv", first,
		obsSpec{indicator: "renovated_households", asOf: "2021-12-31", value: 500000, note: "示例数据"},
		obsSpec{indicator: "renovated_households", asOf: "2022-06-30", value: 850000, note: scriptNote},
	)
	e.commit("b", "housing", evilFile, second,
		obsSpec{indicator: "renovated_households", asOf: "2022-06-30", value: 900000, note: imgNote},
		obsSpec{indicator: "medical_waste_sites", region: "jinan", asOf: "2022-03-31", value: 1, note: "济南已建成"},
	)
	e.commit("c", "ndrc", "发改委.csv", second,
		obsSpec{indicator: "income_ratio", asOf: "2021-12-31", value: 2.5},
		obsSpec{indicator: "income_ratio", asOf: "2022-06-30", value: 2.48}, // 8 % of the way, a quarter of the time from the first report: lagging
		obsSpec{indicator: "urbanization_rate", asOf: "2021-12-31", value: 64},
		obsSpec{indicator: "urbanization_rate", asOf: "2022-06-30", value: 66.3},
	)
	for _, o := range []store.FileOutcome{
		{Department: "housing", Source: "住建厅_2022年报送.csv", Result: "accepted", Rows: 2, At: first,
			Report: "\ufeff文件 / file: 住建厅_2022年报送.csv\r\n部门 / department: housing\r\n结果 / result: 已接收 2 行（数值 / values）。\r\n"},
		{Department: "housing", Source: evilFile, Result: "rejected", At: second,
			Report: "\ufeff文件 / file: " + evilFile + "\r\n部门 / department: housing\r\n结果 / result: 已拒收\r\n\r\n" +
				"第 2 行 第 2 列 (数值): 无法识别的数值 \"一百万\" / line 2, column 2 (value): cannot parse number " + scriptNote + "\r\n"},
		{Department: "unknown", Source: "stray.csv", Result: "rejected", At: second,
			Report: "\ufeff文件 / file: stray.csv\r\n\r\n文件必须放在本部门的文件夹中\r\n"},
	} {
		if err := e.st.RecordOutcome(context.Background(), o); err != nil {
			e.t.Fatal(err)
		}
	}
}

// do serves one request and returns the response and its body.
func (e *env) do(method, path string) (*http.Response, string) {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (e *env) get(path string) string {
	e.t.Helper()
	res, body := e.do(http.MethodGet, path)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, body)
	}
	return body
}

// readCSV decodes a CSV download: the BOM is checked and removed.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("CSV does not start with a UTF-8 BOM: %q", body[:min(len(body), 20)])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
