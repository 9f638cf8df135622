package submission

import (
	"strings"
	"testing"
)

func TestProblemString(t *testing.T) {
	tests := map[string]struct {
		p    Problem
		want string
	}{
		"A cell names line, column and field in both languages": {
			Problem{Line: 12, Column: 3, Field: fieldValue, Zh: `无法识别的数值 "abc"`, En: `cannot parse number "abc"`},
			`第 12 行 第 3 列 (数值): 无法识别的数值 "abc" / line 12, column 3 (value): cannot parse number "abc"`,
		},
		"A whole line names only the line": {
			Problem{Line: 4, Zh: "重复", En: "duplicate"},
			`第 4 行: 重复 / line 4: duplicate`,
		},
		"A missing column names the header line and the field": {
			Problem{Line: 1, Field: fieldAsOf, Zh: "缺少", En: "missing"},
			`第 1 行 (截至日期): 缺少 / line 1 (as_of): missing`,
		},
		"A file problem has no position": {
			Problem{Zh: "文件是空的", En: "the file is empty"},
			`文件是空的 / the file is empty`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tc.p.String(); got != tc.want {
				t.Fatalf("String() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestErrorReport(t *testing.T) {
	e := mustReject(t, []byte("指标,数值,截至日期\nurban_rate,abc,2023-06-30\ngdp,1,2023-06-30\n"), "fgw", Limits{})
	want := "\ufeff" + strings.Join([]string{
		"文件 / file: t.csv",
		"部门 / department: fgw",
		"编码 / encoding: UTF-8",
		"结果 / result: 已拒收，发现 2 个问题，本文件的数据均未入库；请修改后重新投递整个文件。 / rejected: 2 problem(s) found, no row of this file was stored; fix them and drop the whole file again.",
		"",
		`第 2 行 第 2 列 (数值): 无法识别的数值 "abc"：请填写数字，如 180000、180,000、18万 或 66.5% / line 2, column 2 (value): cannot parse number "abc": write a number such as 180000, 180,000, 18万 or 66.5%`,
		`第 3 行 第 1 列 (指标): 未知指标 "gdp"：请填写指标编号或规划中的完整指标名称 / line 3, column 1 (indicator): unknown indicator "gdp": write the indicator id or its exact name in the plan`,
		"",
	}, "\r\n")
	if got := e.Report(); got != want {
		t.Fatalf("Report() =\n%s\nwant\n%s", got, want)
	}
}

func TestErrorString(t *testing.T) {
	tests := map[string]struct {
		e    *Error
		want string
	}{
		"One problem is spelled out in English": {
			&Error{File: "a.csv", Problems: []Problem{{Line: 2, Column: 1, Field: fieldIndicator, Zh: "未知", En: "unknown"}}},
			`submission "a.csv" rejected with 1 problem(s): line 2, column 1 (indicator): unknown`,
		},
		"Only the first three are spelled out, the rest counted": {
			&Error{File: "a.csv", Omitted: 10, Problems: []Problem{
				{Line: 2, En: "a"}, {Line: 3, En: "b"}, {Line: 4, En: "c"}, {Line: 5, En: "d"},
			}},
			`submission "a.csv" rejected with 14 problem(s): line 2: a; line 3: b; line 4: c; and 11 more`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tc.e.Error(); got != tc.want {
				t.Fatalf("Error() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestReportListsOmittedProblems(t *testing.T) {
	e := &Error{File: "a.csv", Department: "fgw", Omitted: 7, Problems: []Problem{{Line: 2, Zh: "甲", En: "a"}}}
	r := e.Report()
	for _, want := range []string{"发现 8 个问题", "8 problem(s) found", "另有 7 个问题未列出。 / and 7 more problem(s) not listed.\r\n"} {
		if !strings.Contains(r, want) {
			t.Errorf("report lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r, "编码") {
		t.Errorf("report names an encoding though none is known:\n%s", r)
	}
}
