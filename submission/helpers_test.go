package submission

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// cst stands for Asia/Shanghai without depending on the host's tzdata.
var cst = time.FixedZone("CST", 8*3600)

// testNow is 2026-07-15 10:00 in Jinan.
var testNow = time.Date(2026, 7, 15, 10, 0, 0, 0, cst)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, cst) }

// testPlan has one target of each shape Parse distinguishes: a % target,
// one in 万人, one in 亿元, an each-city target whose name has full-width
// brackets, and a milestone. ldxz coordinates, tjj may also revise targets.
func testPlan() *indicators.Plan {
	p := &indicators.Plan{
		Name:          "测试规划",
		Location:      cst,
		Coordinator:   "ldxz",
		TargetEditors: []string{"tjj"},
		Departments: []indicators.Department{
			{ID: "fgw", Name: "省发展改革委"}, {ID: "rst", Name: "省人力资源社会保障厅"},
			{ID: "zjt", Name: "省住房城乡建设厅"}, {ID: "tjj", Name: "省统计局"},
			{ID: "sfj", Name: "省司法厅"}, {ID: "ldxz", Name: "领导小组办公室"},
			{ID: "jyt", Name: "省教育厅"},
		},
		Regions: []indicators.Region{
			{ID: "shandong", Name: "山东省", Level: indicators.ProvinceLevel},
			{ID: "jinan", Name: "济南市", Level: indicators.CityLevel},
			{ID: "qingdao", Name: "青岛市", Level: indicators.CityLevel},
		},
		Targets: []*indicators.Target{
			{ID: "urban_rate", Name: "常住人口城镇化率", Unit: "%", Kind: indicators.Quantitative,
				Scope: indicators.Province, Lead: []string{"fgw"}, Participants: []string{"tjj"}},
			{ID: "urban_rate_rise", Name: "常住人口城镇化率年度提高幅度", Unit: "百分点", Kind: indicators.Quantitative,
				Scope: indicators.Province, Lead: []string{"fgw"}},
			{ID: "new_jobs", Name: "城镇新增就业", Unit: "万人", Kind: indicators.Quantitative,
				Scope: indicators.Province, Lead: []string{"rst"}},
			{ID: "investment", Name: "完成投资", Unit: "亿元", Kind: indicators.Quantitative,
				Scope: indicators.Province, Lead: []string{"fgw"}},
			{ID: "renovated", Name: "改造老旧小区（户）", Unit: "户", Kind: indicators.Quantitative,
				Measure: indicators.Increment, Scope: indicators.EachCity, Lead: []string{"zjt"}, Start: day(2021, 1, 1)},
			{ID: "regulation", Name: "出台物业管理条例", Kind: indicators.Milestone,
				Scope: indicators.Province, Lead: []string{"sfj"}},
		},
	}
	p.Index()
	return p
}

// parseDate reads an as_of cell as the rows of a values file do.
func parseDate(cell string, now time.Time, loc *time.Location) (time.Time, error) {
	return newDateRule(now, loc, false).parse(cell)
}

// parseCheckpointDate reads an as_of cell as the rows of a targets file do.
func parseCheckpointDate(cell string, now time.Time, loc *time.Location) (time.Time, error) {
	return newDateRule(now, loc, true).parse(cell)
}

// crlf turns a readable LF literal into what Excel writes.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// mustParse parses text that must be accepted.
func mustParse(t *testing.T, text, dept string) *File {
	t.Helper()
	f, err := Parse("t.csv", []byte(text), testPlan(), dept, testNow, DefaultLimits())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if f == nil {
		t.Fatal("Parse returned neither a file nor an error")
	}
	return f
}

// mustReject parses data that must be rejected.
func mustReject(t *testing.T, data []byte, dept string, lim Limits) *Error {
	t.Helper()
	f, err := Parse("t.csv", data, testPlan(), dept, testNow, lim)
	if f != nil {
		t.Fatalf("Parse accepted the file: %+v", f.Rows)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse error is %T (%v), want *Error", err, err)
	}
	return e
}

// describe renders a problem compactly for comparisons:
// "line:column field: English".
func describe(p Problem) string {
	return fmt.Sprintf("%d:%d %s: %s", p.Line, p.Column, p.Field, p.En)
}

// checkProblems asserts that got are exactly the problems want, in order;
// each want is a prefix of the described problem.
func checkProblems(t *testing.T, got []Problem, want []string) {
	t.Helper()
	if len(got) != len(want) {
		var all []string
		for _, p := range got {
			all = append(all, describe(p))
		}
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(all, "\n"))
	}
	for i, p := range got {
		if d := describe(p); !strings.HasPrefix(d, want[i]) {
			t.Errorf("problem %d:\n got  %s\n want %s…", i, d, want[i])
		}
		if p.Zh == "" || p.En == "" {
			t.Errorf("problem %d lacks a language: %+v", i, p)
		}
	}
}

// readOrRefused parses data and checks its outcome: read when refusal is
// "", else refused with an error that says refusal. It returns the file
// read, nil otherwise.
func readOrRefused(t *testing.T, plan *indicators.Plan, dept, data, refusal string) *File {
	t.Helper()
	f, err := Parse("t.csv", []byte(data), plan, dept, testNow, DefaultLimits())
	switch {
	case refusal == "" && err != nil:
		t.Errorf("%q: %v", data, err)
	case refusal != "" && err == nil:
		t.Errorf("%q: read %+v, want it refused saying %q", data, f.Rows, refusal)
	case refusal != "" && !strings.Contains(err.Error(), refusal):
		t.Errorf("%q: %v, want it refused saying %q", data, err, refusal)
	}
	if refusal != "" || err != nil {
		return nil
	}
	return f
}
