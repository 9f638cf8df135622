package submission

import (
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// Offices name report periods rather than days; each means the period's
// last day.
func TestReportPeriodsMeanTheirLastDay(t *testing.T) {
	for cell, want := range map[string]string{
		"2023年底": "2023-12-31", "2023年末": "2023-12-31", "2023年": "2023-12-31", "2023年全年": "2023-12-31",
		"2023年上半年":  "2023-06-30",
		"2023年第二季度": "2023-06-30", "2023年一季度": "2023-03-31", "2023年第3季度": "2023-09-30",
		"2023Q4": "2023-12-31", "2023年Q1": "2023-03-31", "２０２３Ｑ２": "2023-06-30",
		"2023年1-3季度": "2023-09-30", "2023年第1至2季度": "2023-06-30", "2023年1-4季度": "2023-12-31",
	} {
		got, err := parseDate(cell, testNow, cst)
		if err != nil || got.Format(time.DateOnly) != want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", cell, got, err, want)
		}
	}
	// 下半年 is July to December, a half's own figure, not a running total.
	for _, cell := range []string{"2023", "2023年第五季度", "2023Q5", "二〇二三年", "2023年下半年", "2023年2-3季度"} {
		if got, err := parseDate(cell, testNow, cst); err == nil {
			t.Errorf("parseDate(%q) = %v, want an error", cell, got)
		}
	}
	// A period not yet over is a future date, as a month is.
	if _, err := parseDate("2026年第四季度", testNow, cst); err == nil {
		t.Error("a quarter ending after today was accepted")
	}
}

// The names offices give columns in their own sheets are understood, and
// a second column for the same thing is ignored with a warning.
func TestHeaderAliases(t *testing.T) {
	data := "指标编号,指标名称,地市,完成值,截止日期,说明\nrenovated,改造老旧小区（户）,济南,1200,2023年第二季度,按季度报送\n"
	f, err := Parse("a.csv", []byte(data), testPlan(), "zjt", testNow, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	r := f.Rows[0]
	if r.Indicator != "renovated" || r.Region != "jinan" || r.Value != 1200 || r.AsOf.Format(time.DateOnly) != "2023-06-30" || r.Note != "按季度报送" {
		t.Fatalf("row = %+v", r)
	}
	if len(f.Warnings) != 0 {
		t.Fatalf("warnings = %+v; 指标名称 beside 指标编号 needs none", f.Warnings)
	}
	// The name serves where the id is empty; a third indicator column is
	// ignored.
	data = "序号,指标编号,指标名称,指标代码,地市,完成值,截止日期\n1,,改造老旧小区（户）,x,济南,1300,2023年第三季度\n"
	f, err = Parse("a.csv", []byte(data), testPlan(), "zjt", testNow, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if r := f.Rows[0]; r.Indicator != "renovated" || r.Value != 1300 {
		t.Fatalf("row = %+v", r)
	}
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].En, "already gives indicator") {
		t.Fatalf("warnings = %+v", f.Warnings)
	}
	// A target shown beside the value for reference is not a revision.
	f, err = Parse("c.csv", []byte("\"指标\n(名称)\",目标,完成值,截至 日期\nurban_rate,66,65.2,2023-06-30\n"), testPlan(), "fgw", testNow, Limits{})
	if err != nil {
		t.Fatalf("a reference 目标 column, a header with a line break or a space: %v", err)
	}
	if r := f.Rows[0]; r.Value != 65.2 || f.Kind != Values || len(f.Warnings) != 1 {
		t.Fatalf("row = %+v, kind %v, warnings %v", r, f.Kind, f.Warnings)
	}
	// The shortest names: 值 for the value, 截至 for its date.
	f, err = Parse("d.csv", []byte("指标,值,截至\nurban_rate,65.2,2023年6月\n"), testPlan(), "fgw", testNow, Limits{})
	if err != nil {
		t.Fatalf("值 and 截至: %v", err)
	}
	if r := f.Rows[0]; r.Value != 65.2 || r.AsOf.Format(time.DateOnly) != "2023-06-30" {
		t.Fatalf("row = %+v", r)
	}
	// Two primary names for one column are still an error.
	if _, err := Parse("b.csv", []byte("指标,indicator,数值,截至日期\n"), testPlan(), "zjt", testNow, Limits{}); err == nil {
		t.Fatal("indicator given twice by its own names was accepted")
	}
}

// Milestones are also reported with ticks, yes/no and "in progress".
func TestMilestoneAnswersOfficesWrite(t *testing.T) {
	for cell, want := range map[string]float64{"是": 1, "√": 1, "✓": 1, "Yes": 1, "否": 0, "×": 0, "进行中": 0, "推进中": 0, "No": 0} {
		if v, err := parseValue(cell, "", indicators.Milestone); err != nil || v != want {
			t.Errorf("milestone %q = %v, %v; want %v", cell, v, err, want)
		}
	}
	if _, err := parseValue("差不多", "", indicators.Milestone); err == nil {
		t.Error("an unknown answer was accepted")
	}
}

// TestAProgressSheetIsNeverReadAsARevision: a coordinator's progress sheet
// with its target for reference and a value column named in a way not
// understood (实现值 was not known; 进展情况, 完成率 are no values) must
// not be read as a revision: the targets would move to the reference
// figures and the values would be lost.
func TestAProgressSheetIsNeverReadAsARevision(t *testing.T) {
	for _, hdr := range []string{"指标名称,计量单位,目标值,进展情况,截至日期", "指标名称,计量单位,目标值,完成率,截至日期",
		"指标名称,计量单位,目标,实际完成数?,截至日期"} {
		e := mustReject(t, []byte(hdr+"\nurban_rate,%,66,99.3%,2023-09-30\n"), "ldxz", DefaultLimits())
		if len(e.Problems) != 1 || e.Problems[0].Field != fieldValue || !strings.Contains(e.Problems[0].En, "no value column") {
			t.Errorf("%s: problems %+v, want one saying there is no value column", hdr, e.Problems)
		}
	}
	// 实现值 is a value: the target beside it a reference.
	f, err := Parse("a.csv", []byte("指标名称,计量单位,目标值,实现值,截至日期\nurban_rate,%,66,65.53,2022年12月31日\n"), testPlan(), "fgw", testNow, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind != Values || len(f.Rows) != 1 || f.Rows[0].Value != 65.53 {
		t.Fatalf("%v file, rows %+v; want the value 65.53", f.Kind, f.Rows)
	}
	// A revision as the coordinator writes it is still one.
	f, err = Parse("b.csv", []byte("指标,目标值,截至日期,备注\nurban_rate,67,2025-12-31,省政府同意调整\n"), testPlan(), "ldxz", testNow, Limits{})
	if err != nil || f.Kind != Targets {
		t.Fatalf("a revision: %v, %v", f, err)
	}
}

// TestMoreNamesOfficesUse: region, indicator and date columns under other
// names departments give them — a region column not understood would put
// a city's figure on the province — and milestones answered with their
// own verb.
func TestMoreNamesOfficesUse(t *testing.T) {
	f := mustParse(t, "所在地市,考核指标,数值,数据截止时间\n济南市,renovated,1200,2023-09-30\n", "zjt")
	if len(f.Rows) != 1 || f.Rows[0].Region != "jinan" || f.Rows[0].Value != 1200 {
		t.Fatalf("rows = %+v", f.Rows)
	}
	e := mustReject(t, []byte("所属地区,指标名称,数值,截至日期\n济南市,urban_rate,74.1,2023-09-30\n"), "fgw", DefaultLimits())
	if !strings.Contains(e.Problems[0].En, "province-wide") {
		t.Fatalf("a city's figure for a province-wide indicator: %v", e.Problems)
	}
	plan := testPlan()
	reg, _ := plan.Target("regulation") // 出台物业管理条例
	for cell, want := range map[string]float64{"已出台": 1, "持续推进": 0} {
		f, err := Parse("m.csv", []byte("指标,数值,截至日期\nregulation,"+cell+",2023-09-30\n"), plan, "sfj", testNow, Limits{})
		if err != nil || len(f.Rows) != 1 || f.Rows[0].Value != want {
			t.Errorf("%s for %s: %v, %v; want %v", cell, reg.Name, f, err, want)
		}
	}
	if _, err := Parse("m.csv", []byte("指标,数值,截至日期\nregulation,已启动,2023-09-30\n"), plan, "sfj", testNow, Limits{}); err == nil {
		t.Error("已启动 (started) read as the milestone done")
	}
}
