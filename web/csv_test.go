package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/shandong/indicator_exporter/inbox"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/submission"
)

func TestNeutralise(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"a formula":                       {"=1+1", "'=1+1"},
		"a plus":                          {"+86 531", "'+86 531"},
		"a minus, negative numbers too":   {"-12.5", "'-12.5"},
		"an at sign":                      {"@SUM(A1)", "'@SUM(A1)"},
		"a leading tab":                   {"\t=1", "'\t=1"},
		"a leading carriage return":       {"\r=1", "'\r=1"},
		"a full-width equals sign":        {"＝1+1", "'＝1+1"},
		"a full-width plus, minus and at": {"＋1", "'＋1"},
		"Chinese text is left alone":      {"省住房城乡建设厅", "省住房城乡建设厅"},
		"a number is left alone":          {"1500000", "1500000"},
		"a formula later in the cell":     {"a=1+1", "a=1+1"},
		"an empty cell":                   {"", ""},
		"a percentage":                    {"60%", "60%"},
		"a comparison sign":               {"≥ 150万户", "≥ 150万户"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := neutralise(tc.in); got != tc.want {
				t.Errorf("neutralise(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLedger(t *testing.T) {
	e := newEnv(t)
	e.seed()
	res, body := e.do(http.MethodGet, "/ledger.csv")
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="ledger.csv"`) ||
		!strings.Contains(cd, "filename*=UTF-8''%E4%BB%BB%E5%8A%A1%E5%8F%B0%E8%B4%A6_20220701.csv") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if !strings.Contains(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
		t.Error("the ledger must use CRLF line ends")
	}
	recs := readCSV(t, body)
	if !reflect.DeepEqual(recs[0], ledgerHeader) {
		t.Errorf("header %q", recs[0])
	}
	if len(recs) != 1+len(e.plan.Targets) {
		t.Fatalf("%d rows, want one per indicator (%d)", len(recs)-1, len(e.plan.Targets))
	}
	var tasks []string
	for _, r := range recs[1:] {
		tasks = append(tasks, r[0])
	}
	if strings.Join(tasks, ",") != "1,9,28,33,51" {
		t.Errorf("tasks in order %v", tasks)
	}
	want := map[string][]string{
		"renovated_households": {"28", "三、深入实施城镇建设绿色化行动", "3年改造老旧小区150万户。", "renovated_households", "老旧小区改造户数",
			"省住房城乡建设厅", "省发展改革委", "≥ 150万户", "1500000", "户", "900000", "60%", "49.9%", "正常推进", "2023-12-31", "2022-06-30"},
		"medical_waste_sites": {"33", "三、深入实施城镇建设绿色化行动", "各市至少建成1处医疗废物集中处置设施。", "medical_waste_sites", "医疗废物集中处置设施",
			"省卫生健康委", "省住房城乡建设厅", "各市 ≥ 1处", "1", "处", "1/2 市达标", "50%", "49.9%", "正常推进", "2023-12-31", "2022-03-31"},
		"new_area_plan": {"51", "四、深入实施城乡发展均衡化行动", "印发省级新区发展规划。", "new_area_plan", "省级新区发展规划印发",
			"省发展改革委", "", "完成", "完成", "", "", "", "100%", "已逾期", "2021-12-31", ""},
	}
	for _, r := range recs[1:] {
		if w, ok := want[r[3]]; ok && !reflect.DeepEqual(r, w) {
			t.Errorf("row of %s:\n got %q\nwant %q", r[3], r, w)
		}
	}
}

// Plan text reaches the ledger too; a cell that would start a formula is
// neutralised whatever column it is in.
func TestLedgerNeutralisesFormulas(t *testing.T) {
	plan := loadPlan(t, "testdata/plan.toml")
	plan.Targets[0].Name = `=HYPERLINK("http://example.com","点我")`
	plan.Targets[0].Description = "+1 改造"
	plan.Departments[1].Name = "@SUM(1)"
	plan.Targets[1].Section = "\t=1"
	plan.Index()
	e := newEnvWith(t, plan)
	// A negative reported value gives a cell starting with a minus.
	recv := e.day("2022-06-30")
	e.commit("n", "ndrc", "n.csv", recv, obsSpec{indicator: "urbanization_rate", asOf: "2022-06-30", value: -3})
	recs := readCSV(t, e.get("/ledger.csv"))
	cells := map[string]bool{}
	for _, r := range recs {
		for _, c := range r {
			cells[c] = true
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://example.com","点我")`, "'+1 改造", "'@SUM(1)", "'\t=1", "'-3"} {
		if !cells[want] {
			t.Errorf("no neutralised cell %q", want)
		}
	}
	// The template is written the same way.
	for _, r := range readCSV(t, e.get("/inbox/housing/template.csv")) {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("template cell %q starts a formula", c)
			}
		}
	}
}

func TestTemplateRows(t *testing.T) {
	e := newEnv(t)
	res, _ := e.do(http.MethodGet, "/inbox/ndrc/template.csv")
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="ndrc_template.csv"`) ||
		!strings.Contains(cd, "filename*=UTF-8''%E7%9C%81") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	tests := map[string]struct {
		dept string
		want [][]string
	}{
		"a lead and participant of province targets, with a milestone": {"ndrc", [][]string{
			{"指标", "名称", "单位", "地区", "数值", "截至日期", "备注"},
			{"renovated_households", "老旧小区改造户数", "户", "山东省", "", "", ""},
			{"income_ratio", "城乡居民收入比", "倍", "山东省", "", "", ""},
			{"new_area_plan", "省级新区发展规划印发", "填“完成”或“未完成”", "山东省", "", "", ""},
			{"urbanization_rate", "常住人口城镇化率", "%", "山东省", "", "", ""},
		}},
		"an each_city target gives one row per city": {"health", [][]string{
			{"指标", "名称", "单位", "地区", "数值", "截至日期", "备注"},
			{"medical_waste_sites", "医疗废物集中处置设施", "处", "济南市", "", "", ""},
			{"medical_waste_sites", "医疗废物集中处置设施", "处", "青岛市", "", "", ""},
		}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := readCSV(t, e.get("/inbox/"+tc.dept+"/template.csv")); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("template of %s:\n got %q\nwant %q", tc.dept, got, tc.want)
			}
		})
	}
}

// fill writes a value and a date into every row of a template, as a clerk
// does in Excel, and returns the file as UTF-8 with BOM.
func fill(t *testing.T, plan *indicators.Plan, template string, asOf string) ([]byte, int) {
	t.Helper()
	recs := readCSV(t, template)
	for _, r := range recs[1:] {
		tg, ok := plan.Target(r[0])
		if !ok {
			t.Fatalf("template names unknown indicator %q", r[0])
		}
		r[4], r[5] = "12.5", asOf
		if tg.Kind == indicators.Milestone {
			r[4] = "完成"
		}
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	w.WriteAll(recs)
	return buf.Bytes(), len(recs) - 1
}

// Every department's template of the shipped plan, filled in, is accepted
// by the parser the inbox uses; the 名称 column is only a warning.
func TestEveryFilledTemplateOfTheShippedPlanParses(t *testing.T) {
	plan := loadPlan(t, "../config/plan.toml")
	e := newEnvWith(t, plan)
	e.now = time.Date(2026, 7, 10, 9, 0, 0, 0, plan.Location)
	reported := map[string]bool{}
	for _, d := range plan.Departments {
		data, n := fill(t, plan, e.get("/inbox/"+d.ID+"/template.csv"), "2026-06-30")
		if n == 0 {
			// Every department of the shipped plan leads or takes part
			// in some indicator.
			t.Errorf("%s: empty template", d.ID)
			continue
		}
		f, err := submission.Parse(d.ID+".csv", data, plan, d.ID, e.now, submission.DefaultLimits())
		if err != nil {
			t.Errorf("%s: filled template rejected: %v", d.ID, err)
			continue
		}
		if len(f.Rows) != n {
			t.Errorf("%s: %d rows accepted, want %d", d.ID, len(f.Rows), n)
		}
		if len(f.Warnings) != 0 {
			t.Errorf("%s: warnings %v; a filled template should read without any", d.ID, f.Warnings)
		}
		for _, r := range f.Rows {
			reported[r.Indicator] = true
		}
	}
	if len(reported) != len(plan.Targets) {
		t.Errorf("templates cover %d of %d indicators", len(reported), len(plan.Targets))
	}
}

// A template dropped back into a real inbox, as Excel saves it (UTF-8 with
// BOM, or GBK from "CSV (逗号分隔)"), is accepted and stored.
func TestFilledTemplateDroppedInTheInboxIsAccepted(t *testing.T) {
	plan := loadPlan(t, "../config/plan.toml")
	e := newEnvWith(t, plan)
	root := t.TempDir()
	in, err := inbox.New(inbox.Options{Dir: filepath.Join(root, "inbox"), ArchiveDir: filepath.Join(root, "archive"),
		RejectedDir: filepath.Join(root, "rejected"), Settle: time.Millisecond, NoWatch: true},
		func() *indicators.Plan { return plan }, e.st, slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Prepare(); err != nil {
		t.Fatal(err)
	}
	// The inbox reads its own clock: report as of yesterday.
	asOf := time.Now().In(plan.Location).AddDate(0, 0, -1).Format(dateLayout)
	// big_data reports an each_city target, ndrc milestones and levels.
	utf8File, n1 := fill(t, plan, e.get("/inbox/big_data/template.csv"), asOf)
	ndrc, n2 := fill(t, plan, e.get("/inbox/ndrc/template.csv"), asOf)
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.TrimPrefix(ndrc, []byte("\ufeff")))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		dept, name string
		data       []byte
	}{{"big_data", "大数据局_模板.csv", utf8File}, {"ndrc", "发改委_模板.csv", gbk}} {
		if err := os.WriteFile(filepath.Join(root, "inbox", f.dept, f.name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ { // seen, settled, processed
		in.Scan(context.Background())
		time.Sleep(5 * time.Millisecond)
	}

	want := map[string]int{"big_data": n1, "ndrc": n2}
	for dept, n := range want {
		outs, err := e.st.Outcomes(context.Background(), dept, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(outs) != 1 || outs[0].Result != inbox.Accepted || outs[0].Rows != n {
			t.Fatalf("%s: outcomes %+v; want one accepted file of %d rows", dept, outs, n)
		}
	}
	// The values are in the store, and the pages show the files accepted.
	got, err := e.st.Series(context.Background(), indicators.SeriesKey{Indicator: "smart_city_each_city", Region: "jinan"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Errorf("jinan smart city series has %d values", len(got))
	}
	page := e.get("/inbox/ndrc")
	if !strings.Contains(page, "发改委_模板.csv") || !strings.Contains(page, "已接收") || strings.Contains(page, "已拒收") {
		t.Error("/inbox/ndrc does not show the template file accepted")
	}
}

// The coordinator has a template for revising targets: every quantitative
// indicator and region of the shipped plan with its target and deadline,
// the new target and date left empty. Filled in for one row, it parses
// as a target revision of that row only; other departments get none.
func TestTargetsTemplateOfTheCoordinator(t *testing.T) {
	plan := loadPlan(t, "../config/plan.toml")
	e := newEnvWith(t, plan)
	e.now = time.Date(2026, 7, 10, 9, 0, 0, 0, plan.Location)
	recs := readCSV(t, e.get("/inbox/"+plan.Coordinator+"/targets.csv"))
	want := 0
	for _, tg := range plan.Targets {
		if tg.Kind != indicators.Milestone {
			want += len(plan.TargetRegions(tg))
		}
	}
	if len(recs)-1 != want || strings.Join(recs[0], ",") != "指标,名称,单位,地区,现行目标,期限,目标值,截至日期,备注" {
		t.Fatalf("template has %d rows (want %d), header %q", len(recs)-1, want, recs[0])
	}
	var row []string
	for _, r := range recs[1:] {
		if r[0] == "urbanization_rate" {
			row = r
		}
	}
	if row == nil || row[4] != "66" || row[5] != "2023-12-31" || row[6] != "" || row[7] != "" {
		t.Fatalf("urbanization_rate row %q: want its target 66 by 2023-12-31 and the new target empty", row)
	}
	row[6], row[7] = "65.5", "2023-06-30"
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(recs)
	f, err := submission.Parse("t.csv", buf.Bytes(), plan, plan.Coordinator, e.now, submission.DefaultLimits())
	if err != nil {
		t.Fatalf("filled targets template rejected: %v", err)
	}
	if f.Kind != submission.Targets || len(f.Rows) != 1 || f.Rows[0].Indicator != "urbanization_rate" || f.Rows[0].Value != 65.5 {
		t.Fatalf("parsed %s %+v; want one revision of urbanization_rate", f.Kind, f.Rows)
	}
	for _, d := range plan.Departments {
		if plan.MayReviseTargets(d.ID) {
			continue
		}
		if resp, _ := e.do("GET", "/inbox/"+d.ID+"/targets.csv"); resp.StatusCode != 404 {
			t.Errorf("%s may not revise targets but got its template: %d", d.ID, resp.StatusCode)
		}
		if strings.Contains(e.get("/inbox/"+d.ID), "targets.csv") {
			t.Errorf("the page of %s links a targets template", d.ID)
		}
	}
	if !strings.Contains(e.get("/inbox/"+plan.Coordinator), "/inbox/"+plan.Coordinator+"/targets.csv") {
		t.Error("the coordinator's page does not link its targets template")
	}
}
