package web

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

func TestStatusCodesAndContentTypes(t *testing.T) {
	e := newEnv(t)
	e.seed()
	const html, js, csvType = "text/html; charset=utf-8", "application/json; charset=utf-8", "text/csv; charset=utf-8"
	tests := map[string]struct {
		method, path string
		code         int
		ctype        string
	}{
		"the overview is served at /":                     {"GET", "/", 200, html},
		"an indicator page is served by id":               {"GET", "/indicators/renovated_households", 200, html},
		"an indicator page is served by its Chinese name": {"GET", "/indicators/%E5%9F%8E%E4%B9%A1%E5%B1%85%E6%B0%91%E6%94%B6%E5%85%A5%E6%AF%94", 200, html},
		"an each_city indicator page picks a city":        {"GET", "/indicators/medical_waste_sites?region=qingdao", 200, html},
		"an unknown indicator is a 404 page":              {"GET", "/indicators/no_such_thing", 404, html},
		"the inbox page lists every department":           {"GET", "/inbox", 200, html},
		"a department's inbox page":                       {"GET", "/inbox/housing", 200, html},
		"the stray files' inbox page":                     {"GET", "/inbox/unknown", 200, html},
		"an unknown department is a 404 page":             {"GET", "/inbox/police", 404, html},
		"a department's template":                         {"GET", "/inbox/housing/template.csv", 200, csvType},
		"an unknown department has no template":           {"GET", "/inbox/police/template.csv", 404, html},
		"the ledger":                                      {"GET", "/ledger.csv", 200, csvType},
		"the stylesheet":                                  {"GET", "/static/style.css", 200, "text/css; charset=utf-8"},
		"an unknown page is a 404 page":                   {"GET", "/no/such/page", 404, html},
		"pages cannot be posted to":                       {"POST", "/", 405, html},
		"HEAD works like GET":                             {"HEAD", "/", 200, html},
		"the indicator list":                              {"GET", "/api/v1/indicators", 200, js},
		"the indicator list with a filter":                {"GET", "/api/v1/indicators?status=lagging&dept=ndrc", 200, js},
		"an unknown status filter is a 400":               {"GET", "/api/v1/indicators?status=late", 400, js},
		"an unknown department filter is a 400":           {"GET", "/api/v1/indicators?dept=police", 400, js},
		"one indicator":                                   {"GET", "/api/v1/indicators/renovated_households", 200, js},
		"an unknown indicator is a JSON 404":              {"GET", "/api/v1/indicators/no_such_thing", 404, js},
		"the submissions":                                 {"GET", "/api/v1/submissions?department=housing&limit=10", 200, js},
		"a bad limit is a 400":                            {"GET", "/api/v1/submissions?limit=many", 400, js},
		"a limit out of range is a 400":                   {"GET", "/api/v1/submissions?limit=100000", 400, js},
		"submissions of an unknown department are a 404":  {"GET", "/api/v1/submissions?department=police", 404, js},
		"an unknown API endpoint is a JSON 404":           {"GET", "/api/v1/targets", 404, js},
		"the API is read-only":                            {"POST", "/api/v1/indicators", 405, js},
		"an unknown API version is a JSON 404":            {"GET", "/api/v2/indicators", 404, js},
		"a path under an indicator is not an indicator":   {"GET", "/indicators/renovated_households/x", 404, html},
		"nothing else is served from /static/":            {"GET", "/static/", 404, html},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			res, body := e.do(tc.method, tc.path)
			if res.StatusCode != tc.code {
				t.Errorf("%s %s = %d, want %d\n%s", tc.method, tc.path, res.StatusCode, tc.code, body)
			}
			if got := res.Header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tc.ctype)
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			if tc.method == "HEAD" && body != "" {
				t.Errorf("HEAD returned a body of %d bytes", len(body))
			}
			if tc.ctype == js && tc.code != 200 {
				var msg struct {
					Error string `json:"error"`
				}
				if err := json.Unmarshal([]byte(body), &msg); err != nil || msg.Error == "" {
					t.Errorf("error body is not {\"error\": \"...\"}: %q (%v)", body, err)
				}
			}
		})
	}
}

// Notes, file names and reports come from clerks' files: whatever they
// hold must reach the page as text, never as markup.
func TestHostileTextFromFilesIsEscaped(t *testing.T) {
	e := newEnv(t)
	e.seed()
	raw := []string{"<script", "<img", "onerror=alert(2)>"}
	for _, path := range []string{"/", "/indicators/renovated_households", "/inbox", "/inbox/housing",
		"/api/v1/indicators/renovated_households", "/api/v1/submissions"} {
		t.Run(path, func(t *testing.T) {
			body := e.get(path)
			for _, r := range raw {
				if strings.Contains(body, r) {
					i := strings.Index(body, r)
					t.Errorf("raw %q in %s: …%s…", r, path, body[max(0, i-80):min(len(body), i+80)])
				}
			}
		})
	}
	page := e.get("/indicators/renovated_households")
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;",       // the note
		"&#34;&gt;&lt;img src=x onerror=alert(2)&gt;", // the note breaking out of an attribute
		"&lt;img src=x onerror=alert(3)&gt;.csv",      // the file name
	} {
		if !strings.Contains(page, want) {
			t.Errorf("indicator page lacks the escaped text %q", want)
		}
	}
	inbox := e.get("/inbox/housing")
	for _, want := range []string{"&lt;img src=x onerror=alert(3)&gt;.csv", "cannot parse number &lt;script&gt;alert(1)&lt;/script&gt;"} {
		if !strings.Contains(inbox, want) {
			t.Errorf("inbox page lacks the escaped text %q", want)
		}
	}
	// JSON escapes < and > too, so a client pasting it into HTML is safe.
	api := e.get("/api/v1/indicators/renovated_households")
	if !strings.Contains(api, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Errorf("API note not escaped as expected:\n%s", api)
	}
}

// Chinese is sent as UTF-8 text, not as entities or mojibake.
func TestErrorPagesAreTitledInChinese(t *testing.T) {
	e := newEnv(t)
	res, page := e.do(http.MethodGet, "/no/such/page")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(page, "404 · 页面不存在") || strings.Contains(page, "Not Found") {
		t.Errorf("404 page (%d):\n%s", res.StatusCode, page)
	}
}

func TestChineseIsServedAsUTF8(t *testing.T) {
	e := newEnv(t)
	e.seed()
	page := e.get("/")
	for _, want := range []string{`<html lang="zh-CN">`, `<meta charset="utf-8">`, "老旧小区改造户数", "省住房城乡建设厅",
		"已逾期", "滞后", "已完成", "正常推进", "三、深入实施城镇建设绿色化行动", "150万户", "数据截至 2022-07-01 00:00（北京时间）"} {
		if !strings.Contains(page, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	if regexp.MustCompile(`&#[0-9]{4,};`).MatchString(page) {
		t.Error("overview writes Chinese as numeric entities")
	}
}

func TestIndicatorPage(t *testing.T) {
	e := newEnv(t)
	e.seed()
	page := e.get("/indicators/renovated_households")
	for _, want := range []string{
		"3年改造老旧小区150万户。",                // the seed text
		"≥ 150万户", "2023-12-31", "正常推进", // target, deadline, status
		`class="chart wide"`, `class="chart narrow"`, // the chart, twice
		`<polyline class="planned"`, `<polyline class="actual"`, `class="target"`,
		"预测", "90万户", "已被更正", "第 3 行", // forecast, history, superseded mark, source line
		"住建厅_2022年报送.csv", "省住房城乡建设厅", "省发展改革委",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("indicator page lacks %q", want)
		}
	}
	if n := strings.Count(page, `<tr class="superseded">`); n != 1 {
		t.Errorf("%d superseded rows, want 1 (850000 corrected to 900000)", n)
	}

	city := e.get("/indicators/medical_waste_sites")
	for _, want := range []string{"各市情况", "济南市", "青岛市", "走势 · 济南市", "1/2 市达标", "济南已建成"} {
		if !strings.Contains(city, want) {
			t.Errorf("each_city page lacks %q", want)
		}
	}
	qd := e.get("/indicators/medical_waste_sites?region=qingdao")
	if !strings.Contains(qd, "走势 · 青岛市") || strings.Contains(qd, "济南已建成") {
		t.Error("?region=qingdao should chart Qingdao and list only its reports")
	}

	bad := e.get("/indicators/medical_waste_sites?region=atlantis")
	if !strings.Contains(bad, "走势 · 济南市") || strings.Contains(bad, "显示全部地区的报送记录") {
		t.Error("an unknown ?region= should fall back to the first city with data and list every report")
	}

	ms := e.get("/indicators/new_area_plan")
	if strings.Contains(ms, `class="chart`) {
		t.Error("a milestone has no chart")
	}
	if !strings.Contains(ms, "已逾期") || !strings.Contains(ms, "尚无报送记录") {
		t.Error("milestone page should say overdue and that nothing was reported")
	}
}

// An each-city page opens on the city most in need of attention, and an
// each-city milestone, which has no chart, does not claim that no city
// reported.
func TestEachCityPageOpensOnTheWorstCity(t *testing.T) {
	e := newEnv(t)
	e.seed()
	e.commit("d", "housing", "青岛.csv", time.Date(2022, 6, 30, 17, 0, 0, 0, e.plan.Location),
		obsSpec{indicator: "medical_waste_sites", region: "qingdao", asOf: "2022-06-30", value: 0})
	if page := e.get("/indicators/medical_waste_sites"); !strings.Contains(page, "走势 · 青岛市") {
		t.Error("the page should open on Qingdao (behind), not on Jinan (achieved)")
	}

	plan := loadPlan(t, "testdata/plan.toml")
	ms, _ := plan.Target("new_area_plan")
	ms.Scope = indicators.EachCity
	e = newEnvWith(t, plan)
	e.commit("m", "ndrc", "规划.csv", time.Date(2022, 6, 30, 17, 0, 0, 0, plan.Location),
		obsSpec{indicator: "new_area_plan", region: "jinan", asOf: "2022-06-30", value: 1},
		obsSpec{indicator: "new_area_plan", region: "qingdao", asOf: "2022-06-30", value: 0})
	page := e.get("/indicators/new_area_plan")
	if strings.Contains(page, "各市均未报送数据") {
		t.Error("an each-city milestone whose cities reported says none did")
	}
	if !strings.Contains(page, "各市情况") {
		t.Error("the each-city milestone page lacks its cities")
	}
}

func TestInboxPages(t *testing.T) {
	e := newEnv(t)
	e.seed()
	all := e.get("/inbox")
	for _, want := range []string{"有 2 个文件被拒收", "省住房城乡建设厅", "已拒收", "已接收",
		"第 2 行 第 2 列 (数值): 无法识别的数值", "未识别的文件夹", "stray.csv",
		`href="/inbox/housing/template.csv"`, "尚未投递文件的部门", "省卫生健康委"} {
		if !strings.Contains(all, want) {
			t.Errorf("/inbox lacks %q", want)
		}
	}
	// The rejected file's report is shown, its summary apart from the
	// numbered problems; the accepted file's report is folded away.
	one := e.get("/inbox/housing")
	if !regexp.MustCompile(`(?s)<ol class="report"><li>第 2 行 第 2 列`).MatchString(one) {
		t.Error("the rejected file's first problem is not the first list item")
	}
	if !strings.Contains(one, "<details><summary>查看回执</summary>") {
		t.Error("the accepted file's report should be folded")
	}
	if strings.Contains(one, "stray.csv") {
		t.Error("/inbox/housing shows another department's file")
	}
}

func TestOverviewOrderFiltersAndTotals(t *testing.T) {
	e := newEnv(t)
	e.seed()
	names := regexp.MustCompile(`<td class="name"><a href="/indicators/([a-z_]+)">`)
	order := func(body string) []string {
		var out []string
		for _, m := range names.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	tests := map[string]struct {
		query string
		want  []string // indicator ids in page order (sections in plan order)
	}{
		"by default the most lagging come first in each section": {"/",
			[]string{"income_ratio", "urbanization_rate", "medical_waste_sites", "renovated_households", "new_area_plan"}},
		"sorted by task number": {"/?sort=task",
			[]string{"urbanization_rate", "income_ratio", "renovated_households", "medical_waste_sites", "new_area_plan"}},
		"one status":                        {"/?status=achieved", []string{"urbanization_rate"}},
		"two statuses":                      {"/?status=overdue&status=lagging", []string{"income_ratio", "new_area_plan"}},
		"a department, lead or participant": {"/?dept=housing", []string{"medical_waste_sites", "renovated_households"}},
		"a section":                         {"/?section=" + "%E4%B8%80%E3%80%81%E7%9B%AE%E6%A0%87%E4%BB%BB%E5%8A%A1", []string{"income_ratio", "urbanization_rate"}},
		"an unknown filter value shows everything": {"/?dept=police&status=late",
			[]string{"income_ratio", "urbanization_rate", "medical_waste_sites", "renovated_households", "new_area_plan"}},
		"nothing matches": {"/?status=stale", nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := order(e.get(tc.query))
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
			}
		})
	}

	// Totals count what the section and department filters keep, and
	// each links to that status.
	body := e.get("/?dept=ndrc")
	for _, want := range []string{
		`<a class="total st-achieved" href="/?dept=ndrc&amp;status=achieved"><b>1</b><span>已完成</span></a>`,
		`<a class="total st-overdue" href="/?dept=ndrc&amp;status=overdue"><b>1</b><span>已逾期</span></a>`,
		`<a class="total st-lagging" href="/?dept=ndrc&amp;status=lagging"><b>1</b><span>滞后</span></a>`,
		`<a class="total st-on_track" href="/?dept=ndrc&amp;status=on_track"><b>1</b><span>正常推进</span></a>`,
		"省发展改革委牵头或参与的指标 4 项",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/?dept=ndrc lacks %s", want)
		}
	}
	if !strings.Contains(e.get("/?status=lagging"), `class="total st-lagging active"`) {
		t.Error("the filtered status is not marked active")
	}
}

func TestStatusesFollowTheInjectedClock(t *testing.T) {
	e := newEnv(t)
	e.seed()
	if !strings.Contains(e.get("/indicators/renovated_households"), `<span class="status big st-on_track">正常推进</span>`) {
		t.Fatal("renovated_households should be on track on 2022-07-01")
	}
	e.now = e.day("2024-03-01")
	if !strings.Contains(e.get("/indicators/renovated_households"), `<span class="status big st-overdue">已逾期</span>`) {
		t.Error("renovated_households should be overdue after its deadline")
	}
	if !strings.Contains(e.get("/"), "数据截至 2024-03-01 00:00") {
		t.Error("the footer does not follow the clock")
	}
}

func TestNewRequiresItsSources(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Error("New without a plan, store and clock should fail")
	}
	res, _ := newEnv(t).do(http.MethodGet, "/static/style.css?v=1")
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
		t.Errorf("stylesheet Cache-Control = %q", cc)
	}
}

// A refused plan reload is said on every page, with its first problem.
type refusedReload struct{ fixedPlan }

func (refusedReload) LastReloadError() (error, time.Time) {
	return &config.Error{Problems: []config.Problem{
			{File: "/etc/indicator_exporter/plan.toml", Line: 41, Key: "indicator[2].target (x)", Msg: "定量指标缺少目标值 / a quantitative indicator needs a target"},
			{File: "/etc/indicator_exporter/plan.toml", Line: 42, Key: "indicator[2].targt (x)", Msg: "未知的键 \"targt\"（拼写错误？） / unknown key \"targt\" (typo?)"}}},
		time.Date(2022, 6, 30, 9, 0, 0, 0, time.UTC)
}

func TestPagesSayARefusedReload(t *testing.T) {
	plan := loadPlan(t, "testdata/plan.toml")
	e := newEnvWith(t, plan)
	if page := e.get("/"); strings.Contains(page, "reload-failed") {
		t.Fatal("a banner without a failed reload")
	}
	h, err := New(Options{Plans: refusedReload{fixedPlan{plan}}, Store: e.st, Now: func() time.Time { return e.now }, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	for _, path := range []string{"/", "/inbox"} {
		page := e.get(path)
		if !strings.Contains(page, "重新加载计划文件失败，仍在使用上一次成功加载的计划") ||
			!strings.Contains(page, "plan.toml 第 42 行 indicator[2].targt (x)：未知的键") || strings.Contains(page, "/etc/") || strings.Contains(page, "typo") {
			t.Errorf("%s does not say the reload was refused, typo first, in Chinese:\n%s", path, page)
		}
	}
}

// A page says when the report schedule wants the next report, and that
// it is overdue when it is.
func TestIndicatorPageSaysWhenTheReportIsDue(t *testing.T) {
	plan := loadPlan(t, "testdata/plan.toml")
	// Due on the 10th of every month, for the month before.
	monthly := func(from time.Time) time.Time {
		d := from.In(plan.Location)
		due := time.Date(d.Year(), d.Month(), 10, 0, 0, 0, 0, plan.Location)
		if !due.After(d) {
			due = due.AddDate(0, 1, 0)
		}
		return due
	}
	for _, id := range []string{"renovated_households", "medical_waste_sites", "urbanization_rate"} {
		tg, _ := plan.Target(id)
		tg.ReportDue = monthly
	}
	e := newEnvWith(t, plan)
	e.seed() // the clock reads 2022-07-01 00:00
	// The last report, of 30 June, answered 10 July's due time.
	if page := e.get("/indicators/renovated_households"); !strings.Contains(page, "下次报送") || !strings.Contains(page, "2022-08-10 00:00 前") {
		t.Errorf("the next report's time is missing")
	}
	// The province row of a 各市 target is due when its first city is:
	// Qingdao never reported (due 10 February 2021, after the start);
	// Jinan met the target and needs no more reports.
	page := e.get("/indicators/medical_waste_sites")
	if !strings.Contains(page, "应报送时间") || !strings.Contains(page, "青岛市：2021-02-10 00:00 前（已逾期") {
		t.Errorf("a stale 各市 indicator's page does not say which city was due when:\n%s", page)
	}
	// An achieved target needs no more reports.
	if page := e.get("/indicators/urbanization_rate"); strings.Contains(page, "下次报送") || strings.Contains(page, "应报送时间") {
		t.Errorf("an achieved indicator's page asks for a report")
	}
}

// Progress is the distance covered from the baseline, which officials do
// not read as 完成率 unless told: both pages say it.
func TestPagesExplainProgress(t *testing.T) {
	e := newEnv(t)
	e.seed()
	for _, path := range []string{"/", "/indicators/renovated_households"} {
		if page := e.get(path); strings.Count(page, "进度指从基期值到目标值已走完的比例") != 1 {
			t.Errorf("%s does not explain progress once", path)
		}
	}
}

// A rejection a later accepted file has dealt with is listed but no longer
// flagged as open.
func TestInboxFlagsOnlyRejectionsNotYetFollowedByAnAcceptedFile(t *testing.T) {
	e := newEnv(t)
	e.seed() // housing: accepted, then rejected
	if page := e.get("/inbox/housing"); !strings.Contains(page, "有 1 个文件被拒收且之后尚未成功报送") {
		t.Fatal("the open rejection is not flagged")
	}
	if err := e.st.RecordOutcome(context.Background(), store.FileOutcome{Department: "housing", Source: "更正.csv", Result: "accepted", Rows: 1,
		At: time.Date(2022, 6, 30, 18, 0, 0, 0, e.plan.Location), Report: "\ufeff文件 / file: 更正.csv\r\n"}); err != nil {
		t.Fatal(err)
	}
	page := e.get("/inbox/housing")
	if strings.Contains(page, "尚未成功报送") || !strings.Contains(page, "更正.csv") {
		t.Errorf("a rejection followed by an accepted file is still flagged")
	}
}

// An achieved target says whether it was met by its deadline or late.
func TestIndicatorPageSaysMetOnTimeOrLate(t *testing.T) {
	e := newEnv(t)
	e.now = time.Date(2024, 6, 1, 0, 0, 0, 0, e.plan.Location)
	e.commit("late", "housing", "晚.csv", e.now, obsSpec{indicator: "renovated_households", asOf: "2024-03-31", value: 1500000})
	if page := e.get("/indicators/renovated_households"); !strings.Contains(page, "逾期完成：2024-03-31 的数据首次达到目标，晚于完成时限 2023-12-31") {
		t.Errorf("a target met after its deadline does not say so")
	}
	e.commit("early", "housing", "早.csv", e.now, obsSpec{indicator: "renovated_households", asOf: "2023-06-30", value: 1500000})
	if page := e.get("/indicators/renovated_households"); !strings.Contains(page, "按期完成：2023-06-30") {
		t.Errorf("a target met by its deadline does not say so")
	}
}
