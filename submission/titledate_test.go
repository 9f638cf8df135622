package submission

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestATitleDatesASheetWithoutADateColumn: offices date a whole sheet in
// its title (2023年1-9月…完成情况, …（截至2023年9月底）) more often than they
// give it a date column. One date there dates every row, said in a
// warning; a title that names no period (a year alone, a deadline, the
// day the sheet was filled in) or several leaves the file refused, saying
// how to date it. Parse and Stream agree.
func TestATitleDatesASheetWithoutADateColumn(t *testing.T) {
	const body = "指标名称,完成值\nurban_rate,65.5\ninvestment,120\n"
	for name, tc := range map[string]struct {
		data string
		want time.Time // zero: refused
		warn string    // a warning's English text, accepted files
		errs []string  // refused files
	}{
		"a running total to a month": {
			data: "2023年1-9月全省新型城镇化重点指标完成情况\n" + body,
			want: day(2023, 9, 30), warn: `every row is as of 2023-09-30, from "2023年1-9月" in the title on line 1`,
		},
		"as of a month's end, in brackets": {
			data: "山东省新型城镇化重点指标进展（截至2023年9月底）\n" + body,
			want: day(2023, 9, 30),
		},
		"a quarter": {
			data: "2023年第三季度重点指标报送表\n填报单位：省发展改革委,\n" + body,
			want: day(2023, 9, 30),
		},
		"the first half": {
			data: "２０２３年上半年重点指标\n" + body,
			want: day(2023, 6, 30),
		},
		"a year's end": {
			data: "重点指标完成情况（截至2025年底）\n" + body,
			want: day(2025, 12, 31),
		},
		"a year named 年度 says the year, not the date": {
			data: "2023年度城市建设工作推进情况（第三季度）\n" + body,
			errs: []string{`2:0 as_of: missing required column "as_of"`},
		},
		"a day": {
			data: "重点指标完成情况（数据截至2026年6月30日）\n" + body,
			want: day(2026, 6, 30),
		},
		"a numeric date, labelled": {
			data: "重点指标完成情况 统计时间：2026/6/30\n" + body,
			want: day(2026, 6, 30),
		},
		"an unlabelled day is the sheet's, not the data's": {
			data: "全省城市建设指标完成情况（2023年10月8日）\n" + body,
			errs: []string{`2:0 as_of: missing required column "as_of"`},
		},
		"a revision's header lacking its date is the one told": {
			data: "2023年三季度目标调整\n指标,目标值\nurban_rate,67\n",
			errs: []string{`2:0 as_of: missing required column "as_of"`},
		},
		"the day the sheet was filled in is not the data's": {
			data: "2023年1-9月重点指标完成情况\n填报单位：省发展改革委,填报日期：2023年10月8日\n" + body,
			want: day(2023, 9, 30),
		},
		"a date column wins over the title": {
			data: "2023年1-9月重点指标完成情况\n指标名称,完成值,截至日期\nurban_rate,65.5,2023-06-30\ninvestment,120,2023-06-30\n",
			want: day(2023, 6, 30),
		},
		"a year alone says nothing of the date": {
			data: "2023年重点指标完成情况\n" + body,
			errs: []string{`2:0 as_of: missing required column "as_of"`},
		},
		"a deadline is not the data's date": {
			data: "2023年底前完成的重点指标进展\n" + body,
			errs: []string{`2:0 as_of: missing required column "as_of"`},
		},
		"a year followed by a finer period it does not read": {
			data: "2023年度第三季度重点指标报表\n" + body,
			errs: []string{`2:0 as_of: missing required column "as_of"`},
		},
		"the day of filling in alone is not the data's date": {
			data: "重点指标完成情况\n填报日期：2023年10月8日,\n" + body,
			errs: []string{`3:0 as_of: missing required column "as_of"`},
		},
		"two dates leave it unknown": {
			data: "2023年1-9月重点指标完成情况（截至2023年6月底）\n" + body,
			errs: []string{`1:0 as_of: the sheet has no as_of column and its title names several dates (2023年1-9月, 2023年6月底)`},
		},
		"a quarter's own span is no running total": {
			data: "2023年4-6月重点指标完成情况\n" + body,
			errs: []string{`1:0 as_of: the sheet has no as_of column and the date "2023年4-6月" in the title on line 1 cannot serve as one: date "2023年4-6月" is the span from month 4 to month 6`},
		},
		"a future date": {
			data: "2026年1-9月重点指标完成情况\n" + body,
			errs: []string{`1:0 as_of: the sheet has no as_of column and the date "2026年1-9月" in the title on line 1 cannot serve as one: date "2026年1-9月" (2026-09-30) is after today`},
		},
		"a value column named by its dated period (a table of dates across, of one column)": {
			data: "指标名称,2023年1-9月累计完成\nurban_rate,65.5\ninvestment,120\n",
			want: day(2023, 9, 30),
		},
		"a value column named by its period, a title giving the year": {
			data: "2023年1-9月重点指标\n序号,指标名称,2023年目标,1-9月完成,完成率\n1,urban_rate,66,65.5,99%\n2,investment,130,120,92%\n",
			want: day(2023, 9, 30),
		},
		"a value column named by a period without its year needs a date": {
			data: "序号,指标名称,2023年目标,1-9月完成,完成率\n1,urban_rate,66,65.5,99%\n",
			errs: []string{`1:0 as_of: missing required column "as_of"`},
		},
		"a header on the first line has no title to date it": {
			data: body,
			errs: []string{`1:0 as_of: missing required column "as_of" (or "截至日期")`},
		},
	} {
		t.Run(name, func(t *testing.T) {
			data := []byte(crlf(tc.data))
			if tc.want.IsZero() {
				checkProblems(t, mustReject(t, data, "fgw", DefaultLimits()).Problems, tc.errs)
				var e *Error
				if _, err := Stream("t.csv", bytes.NewReader(data), int64(len(data)), true, testPlan(), "fgw", testNow, DefaultLimits(),
					func(Kind, []Row) error { return nil }); !errors.As(err, &e) || len(e.Problems) != len(tc.errs) {
					t.Errorf("Stream: %v, want the same %d problems", err, len(tc.errs))
				}
				return
			}
			f := mustParse(t, crlf(tc.data), "fgw")
			var streamed []Row
			if _, err := Stream("t.csv", bytes.NewReader(data), int64(len(data)), true, testPlan(), "fgw", testNow, DefaultLimits(),
				func(_ Kind, rows []Row) error { streamed = append(streamed, rows...); return nil }); err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if len(f.Rows) != 2 || len(streamed) != 2 {
				t.Fatalf("%d rows parsed, %d streamed, want 2", len(f.Rows), len(streamed))
			}
			for i, r := range f.Rows {
				if !r.AsOf.Equal(tc.want) || !streamed[i].AsOf.Equal(tc.want) {
					t.Errorf("row %d as of %v (streamed %v), want %v", i, r.AsOf, streamed[i].AsOf, tc.want)
				}
			}
			if tc.warn != "" {
				var ws []string
				for _, w := range f.Warnings {
					ws = append(ws, w.En)
				}
				if !strings.Contains(strings.Join(ws, "\n"), tc.warn) {
					t.Errorf("warnings:\n%s\nwant one saying %q", strings.Join(ws, "\n"), tc.warn)
				}
			}
		})
	}
}

// TestATableOfTargetsIsNotReadAsValues: a sheet whose title says it holds
// targets or plans (分年度目标任务, 年度计划安排) is refused as values —
// its last year would equal the target and be marked achieved; a title
// of results that names the targets (目标任务完成情况) is read.
func TestATableOfTargetsIsNotReadAsValues(t *testing.T) {
	for data, ok := range map[string]bool{
		"2021—2025年分年度目标任务\n指标名称,2021年,2022年,2023年\nurban_rate,64.5,65.2,66\n": false,
		"重点项目年度计划安排\n指标名称,数值,截至日期\nurban_rate,66,2023-12-31\n":                 false,
		"2023年目标任务\n指标名称,数值,截至日期\nurban_rate,66,2023-12-31\n":                  false,
		"2023年目标任务完成情况\n指标名称,数值,截至日期\nurban_rate,65.5,2023-09-30\n":            true,
		"重点指标推进计划执行情况\n指标名称,数值,截至日期\nurban_rate,65.5,2023-09-30\n":             true,
	} {
		refusal := ""
		if !ok {
			refusal = "table of targets, plans or estimates"
		}
		readOrRefused(t, testPlan(), "fgw", data, refusal)
	}
}

// TestATitleDatesButDoesNotQualifyTheValues: a title names the period a
// sheet is as of (2023年1-9月, 2023年第三季度), as a 截至日期 cell does; what
// the values add up is their column's to say: a plain name is the total
// to that date, as the template asks, and 本年累计 under the same title is
// the year so far, refused for an increment counted since 2021.
func TestATitleDatesButDoesNotQualifyTheValues(t *testing.T) {
	for data, ok := range map[string]bool{
		"2023年1-9月重点指标完成情况\n指标,地区,完成值\nrenovated,济南市,1200\n":  true,
		"2023年第三季度重点指标报送表\n指标,地区,累计值\nrenovated,济南市,1200\n":   true,
		"2023年第三季度重点指标报送表\n指标,地区,完成值\nrenovated,济南市,1200\n":   true,
		"2023年1-9月重点指标完成情况\n指标,地区,本年累计\nrenovated,济南市,1200\n": false,
	} {
		refusal := ""
		if !ok {
			refusal = "the year's figure"
		}
		f := readOrRefused(t, testPlan(), "zjt", data, refusal)
		if f != nil && (len(f.Rows) != 1 || !f.Rows[0].AsOf.Equal(day(2023, 9, 30)) || f.Rows[0].Value != 1200) {
			t.Errorf("%q: rows %+v, want 1200 as of 2023-09-30", data, f.Rows)
		}
	}
}
