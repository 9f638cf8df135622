package submission

import (
	"testing"
)

// TestValueColumnsNamedByTheirPeriod: 1-9月完成, 前三季度累计 and 截至9月底
// 累计完成 are value columns of running totals; 9月完成, 4-6月完成 and
// 三季度完成 hold the period's own figure, read as a 本期值 column: passed
// over beside a total, refused for an indicator judged on its total. The
// period must end in the month of the row's date.
func TestValueColumnsNamedByTheirPeriod(t *testing.T) {
	for name, tc := range map[string]struct {
		dept, data string
		value      float64 // the value read; 0: refused
		errs       []string
	}{
		"a running total from January": {
			dept: "zjt", data: "指标,地区,1-9月完成,截至日期\nrenovated,济南市,1200,2021-09-30\n", value: 1200,
		},
		"the first three quarters": {
			dept: "zjt", data: "指标,地区,前三季度累计,截至日期\nrenovated,济南市,1200,2021-09-30\n", value: 1200,
		},
		"as of a month's end": {
			dept: "zjt", data: "指标,地区,截至9月底累计完成,截至日期\nrenovated,济南市,1200,2023-09-30\n", value: 1200,
		},
		"the total is read beside the month's own figure": {
			dept: "zjt", data: "指标,地区,9月完成,1-9月累计,截至日期\nrenovated,济南市,150,1200,2021-09-30\n", value: 1200,
		},
		"a span not from January, of a running total": {
			dept: "zjt", data: "指标,地区,4-6月完成,截至日期\nrenovated,济南市,300,2023-06-30\n",
			errs: []string{`2:3 value: column "4-6月完成" holds the period's (a month's, a quarter's) own figure, but indicator renovated`},
		},
		"a quarter's own figure, of a running total": {
			dept: "zjt", data: "指标,地区,三季度完成,截至日期\nrenovated,济南市,300,2023-09-30\n",
			errs: []string{`2:3 value: column "三季度完成" holds the period's (a month's, a quarter's) own figure, but indicator renovated`},
		},
		"a period that does not end in the date's month": {
			dept: "zjt", data: "指标,地区,1-9月完成,截至日期\nrenovated,济南市,1200,2021-06-30\nrenovated,青岛市,1300,2021-09-30\n",
			errs: []string{`2:3 value: the column's header names a period ending in month 9, but the as_of date is 2021-06-30`},
		},
		"the first half ends in June": {
			dept: "zjt", data: "指标,地区,上半年累计完成,截至日期\nrenovated,济南市,600,2021-06-30\n", value: 600,
		},
		"the year so far, after the year a running total starts": {
			dept: "zjt", data: "指标,地区,本年累计,截至日期\nrenovated,济南市,480,2023-09-30\n",
			errs: []string{`2:3 value: this column holds the year's figure (since January), but indicator renovated (改造老旧小区（户）) is judged on its running total since 2021-01-01`},
		},
		"the year so far in the value header's remark": {
			dept: "zjt", data: "指标,地区,完成值（万户，本年累计）,截至日期\nrenovated,济南市,4.1,2023-09-30\n",
			errs: []string{`2:3 value: this column holds the year's figure (since January), but indicator renovated`},
		},
		"a period in the remark that does not end in the date's month": {
			dept: "zjt", data: "指标,地区,完成值（1-9月）,截至日期\nrenovated,济南市,1200,2021-06-30\n",
			errs: []string{`2:3 value: the column's header names a period ending in month 9, but the as_of date is 2021-06-30`},
		},
		"a month's own figure in the remark": {
			dept: "zjt", data: "指标,地区,数值（当月）,截至日期\nrenovated,济南市,150,2021-09-30\n",
			errs: []string{`2:3 value: column "数值（当月）" holds the period's (a month's, a quarter's) own figure, but indicator renovated`},
		},
		"a period alone beside a date column": {
			dept: "zjt", data: "指标,地区,上半年,截至日期\nrenovated,济南市,600,2021-06-30\n", value: 600,
		},
		"本年新增 is the year so far": {
			dept: "zjt", data: "指标,地区,本年新增,截至日期\nrenovated,济南市,480,2023-09-30\n",
			errs: []string{`2:3 value: this column holds the year's figure (since January), but indicator renovated`},
		},
		"the first quarter's own figure is the year so far": {
			dept: "zjt", data: "指标,地区,一季度完成,截至日期\nrenovated,济南市,300,2021-03-31\n", value: 300,
		},
		"a period then 累计 is from January to that period": {
			dept: "zjt", data: "指标,地区,9月累计,截至日期\nrenovated,济南市,1200,2021-09-30\n", value: 1200,
		},
		"本期累计 is the year so far": {
			dept: "zjt", data: "指标,地区,本期累计,截至日期\nrenovated,济南市,1200,2023-09-30\n",
			errs: []string{`2:3 value: this column holds the year's figure (since January), but indicator renovated`},
		},
		"a quarter of a year named 年度": {
			dept: "zjt", data: "指标,地区,2023年度第三季度完成,截至日期\nrenovated,济南市,300,2023-09-30\n",
			errs: []string{`2:3 value: column "2023年度第三季度完成" holds the period's (a month's, a quarter's) own figure, but indicator renovated`},
		},
		"a month's figure of a level": {
			dept: "fgw", data: "指标,9月完成,截至日期\nurban_rate,65.5,2023-09-30\n", value: 65.5,
		},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.errs != nil {
				checkProblems(t, mustReject(t, []byte(tc.data), tc.dept, DefaultLimits()).Problems, tc.errs)
				return
			}
			f := mustParse(t, tc.data, tc.dept)
			if len(f.Rows) != 1 || f.Rows[0].Value != tc.value {
				t.Fatalf("rows = %+v, want one of %v", f.Rows, tc.value)
			}
		})
	}
}
