package submission

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
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

// TestDatesAcross: a table with the dates across (指标,2021年,2022年, a
// yearbook's 2021,2022, 2023年1-9月) reads one value a filled cell, as of
// its column's date, in the unit its column names. A column that is no
// date, two columns of one day, or a date not yet over are refused at the
// header; so is an indicator judged on its total since the start unless
// the columns say they are totals (a yearbook's years are each year's
// own figure).
func TestDatesAcross(t *testing.T) {
	type want struct {
		ind   string
		asOf  time.Time
		value float64
	}
	for name, tc := range map[string]struct {
		dept, data string
		rows       []want
		errs       []string
	}{
		"years": {
			dept: "fgw", data: "指标,2021年,2022年\nurban_rate,64.5,65.5\n",
			rows: []want{{"urban_rate", day(2021, 12, 31), 64.5}, {"urban_rate", day(2022, 12, 31), 65.5}},
		},
		"a yearbook's bare years, a unit column and an empty cell": {
			dept: "fgw", data: "指标名称,计量单位,2021,2022\n常住人口城镇化率,%,,65.5\n完成投资,万元,1100000,1200000\n",
			rows: []want{{"urban_rate", day(2022, 12, 31), 65.5}, {"investment", day(2021, 12, 31), 110}, {"investment", day(2022, 12, 31), 120}},
		},
		"periods and a unit in a column's header": {
			dept: "fgw", data: "指标,地区,2025年,2026年1-6月（万元）\ninvestment,全省,130,1400000\n",
			rows: []want{{"investment", day(2025, 12, 31), 130}, {"investment", day(2026, 6, 30), 140}},
		},
		"a target beside the dates is a reference": {
			dept: "fgw", data: "指标,目标值,2022年\nurban_rate,66,65.5\n",
			rows: []want{{"urban_rate", day(2022, 12, 31), 65.5}},
		},
		"running totals said so": {
			dept: "zjt", data: "指标,地区,截至2022年底累计,截至2023年6月底累计\nrenovated,济南市,1200,1500\n",
			rows: []want{{"renovated", day(2022, 12, 31), 1200}, {"renovated", day(2023, 6, 30), 1500}},
		},
		"the year so far, in the year the indicator starts": {
			dept: "zjt", data: "指标,地区,2021年1-6月,2021年\nrenovated,济南市,600,1200\n",
			rows: []want{{"renovated", day(2021, 6, 30), 600}, {"renovated", day(2021, 12, 31), 1200}},
		},
		"running totals at moments": {
			dept: "zjt", data: "指标,地区,2022年底,2023年6月底\nrenovated,济南市,1200,1500\n",
			rows: []want{{"renovated", day(2022, 12, 31), 1200}, {"renovated", day(2023, 6, 30), 1500}},
		},
		"each year's own figure of a running total": {
			dept: "zjt", data: "指标,地区,2022年,2023年\nrenovated,济南市,1200,300\n",
			errs: []string{`2:3 value: this column holds the year's figure (since January), but indicator renovated (改造老旧小区（户）) is judged on its running total since 2021-01-01`},
		},
		"comparisons, plans and rates beside the dates are passed over": {
			dept: "fgw", data: "指标名称,2023年计划,2022年,同比增长,上年同期,完成率\nurban_rate,66,65.5,1.2%,64.3,99%\n",
			rows: []want{{"urban_rate", day(2022, 12, 31), 65.5}},
		},
		"a column that is no date": {
			dept: "fgw", data: "指标,2022年,9月底\nurban_rate,65.5,65.8\n",
			errs: []string{`1:3 as_of: unknown column "9月底": in a table with the dates across`},
		},
		"two columns of one day": {
			dept: "fgw", data: "指标,2022年,2022年底\nurban_rate,65.5,65.5\n",
			errs: []string{`1:3 as_of: column "2022年底" is the same day as column 2 "2022年" (2022-12-31)`},
		},
		"a period not yet over": {
			dept: "fgw", data: "指标,2025年,2026年\nurban_rate,65.5,66\n",
			errs: []string{`1:3 as_of: the date of column "2026年" cannot serve as an as_of date: date "2026年" (2026-12-31) is after today`},
		},
	} {
		t.Run(name, func(t *testing.T) {
			data := []byte(crlf(tc.data))
			if tc.errs != nil {
				checkProblems(t, mustReject(t, data, tc.dept, DefaultLimits()).Problems, tc.errs)
				return
			}
			f := mustParse(t, crlf(tc.data), tc.dept)
			var streamed []Row
			if _, err := Stream("t.csv", bytes.NewReader(data), int64(len(data)), true, testPlan(), tc.dept, testNow, DefaultLimits(),
				func(_ Kind, rows []Row) error { streamed = append(streamed, rows...); return nil }); err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if f.Kind != Values || len(f.Rows) != len(tc.rows) || len(streamed) != len(tc.rows) {
				t.Fatalf("%v file, %d rows parsed, %d streamed; want values, %d", f.Kind, len(f.Rows), len(streamed), len(tc.rows))
			}
			for i, w := range tc.rows {
				for _, r := range []Row{f.Rows[i], streamed[i]} {
					if r.Indicator != w.ind || !r.AsOf.Equal(w.asOf) || r.Value != w.value {
						t.Errorf("row %d = %s %s %v, want %s %s %v", i, r.Indicator, r.AsOf.Format(time.DateOnly), r.Value,
							w.ind, w.asOf.Format(time.DateOnly), w.value)
					}
				}
			}
		})
	}
}

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

// TestDatesAcrossOfAnAnnualTotal: an increment judged each year on its
// total since January reads whole years, spans from January and columns
// that say they are totals, but not months or quarters across, which hold
// each period's own figure (stored as totals, the year would look far
// short, and falling).
func TestDatesAcrossOfAnAnnualTotal(t *testing.T) {
	plan := testPlan()
	jobs, _ := plan.Target("new_jobs")
	jobs.Measure, jobs.Period = indicators.Increment, indicators.Annual
	for hdr, ok := range map[string]bool{
		"指标,2024年,2025年":           true,
		"指标,2025年1-3月,2025年1-6月":   true,
		"指标,2025年一季度累计,2025年二季度累计": true,
		"指标,截至2025年3月底,截至2025年6月底": true,
		"指标,2025年3月,2025年6月":       false,
		"指标,2025年一季度,2025年二季度":     false,
		"指标,2025-03,2025-06":       false,
		"指标,2025年第一季度,2025年1-6月":   true, // the first quarter\'s own figure is the year so far
		"指标,2025年1月,2025年1-6月":     true,
		"指标,2025年第二季度,2025年1-9月":   false,
	} {
		data := []byte(hdr + "\nnew_jobs,30.2,62.3\n")
		f, err := Parse("t.csv", data, plan, "rst", testNow, DefaultLimits())
		switch {
		case ok && err != nil:
			t.Errorf("%s: %v", hdr, err)
		case ok && len(f.Rows) != 2:
			t.Errorf("%s: %d rows, want 2", hdr, len(f.Rows))
		case !ok && err == nil:
			t.Errorf("%s: read %+v, want each period's own figure refused", hdr, f.Rows)
		case !ok && !strings.Contains(err.Error(), "since 1 January of each year"):
			t.Errorf("%s: %v, want the reason", hdr, err)
		}
	}
}

// TestEstimatesAreNotStoredAsDone: a value or date column marked as an
// estimate (预计, 预测) is refused, not read with the mark taken for a
// remark; a 预计完成时间 column, which is no value, is only unknown.
func TestEstimatesAreNotStoredAsDone(t *testing.T) {
	for _, data := range []string{
		"指标名称,计量单位,2021年,2022年,2023年（预计）\nurban_rate,%,64.11,64.54,65.2\n",
		"指标名称,计量单位,2021年,2022年（预计数）\nurban_rate,%,64.11,64.54\n",
		"指标名称,计量单位,完成值（预计）,截至日期\nurban_rate,%,65.8,2023年\n",
		"指标名称,2023年1-9月（预计）\nurban_rate,65.8\n",
		"指标名称,预计完成值,截至日期\nurban_rate,65.8,2023-12-31\n",
		"指标,数值（预计）,截至日期\nurban_rate,67.9,2025年\n",
		"指标,数值（预计数）,截至日期\nurban_rate,67.9,2025年\n",
		"指标,实现值（预计）,截至日期\nurban_rate,67.9,2025年\n",
	} {
		e := mustReject(t, []byte(data), "fgw", DefaultLimits())
		found := false
		for _, p := range e.Problems {
			found = found || strings.Contains(p.En, "holds estimates")
		}
		if !found {
			t.Errorf("%q: problems %v, want one saying the column holds estimates", data, e.Problems)
		}
	}
	f := mustParse(t, "指标名称,数值,截至日期,预计完成时间\nurban_rate,65.5,2023-09-30,2023年底\n", "fgw")
	if len(f.Rows) != 1 || f.Rows[0].Value != 65.5 {
		t.Fatalf("rows = %+v", f.Rows)
	}
	// Beside the value column an estimate is passed over, and said so.
	f = mustParse(t, "指标名称,数值,2023年预计,截至日期\nurban_rate,65.5,65.8,2023-09-30\n", "fgw")
	if len(f.Rows) != 1 || f.Rows[0].Value != 65.5 || len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].En, "holds estimates") {
		t.Fatalf("rows = %+v, warnings %v", f.Rows, f.Warnings)
	}
}

// TestAnUnknownIndicatorGetsAGuess: a name without the plan's bracketed
// qualifier, or with a bracket the plan's lacks, is refused with the
// indicator it nearly names; a blank indicator cell says how to unmerge.
func TestAnUnknownIndicatorGetsAGuess(t *testing.T) {
	for data, want := range map[string]string{
		"指标,地区,数值,截至日期\n改造老旧小区,济南市,1200,2023-09-30\n":                          `Did you mean "改造老旧小区（户）" (renovated)?`,
		"指标,数值,截至日期\n常住人口城镇化率（%）,65.5,2023-09-30\n":                            `Did you mean "常住人口城镇化率" (urban_rate)?`,
		"指标,地区,数值,截至日期\nrenovated,济南市,1200,2023-09-30\n,青岛市,1300,2023-09-30\n": "unmerge it",
		"指标,数值,截至日期\n新增就业,65.5,2023-09-30\n":                                   "", // no guess
	} {
		dept := "zjt"
		if !strings.Contains(data, "济南") {
			dept = "fgw"
		}
		e := mustReject(t, []byte(data), dept, DefaultLimits())
		got := e.Problems[0].En
		if want == "" && strings.Contains(got, "Did you mean") || want != "" && !strings.Contains(got, want) {
			t.Errorf("%q: %s, want %q", data, got, want)
		}
	}
}

// TestCityFiguresBesideAProvinceFigure: a province-wide indicator's
// figures broken down by city, under (or, across, beside) its province
// figure, are passed over with a warning; city figures without a province
// figure before them are refused, as a city of a province-wide indicator.
func TestCityFiguresBesideAProvinceFigure(t *testing.T) {
	for name, tc := range map[string]struct {
		data string
		ok   bool
	}{
		"rows, the province first":   {"指标,地区,数值,截至日期\nurban_rate,全省,65.5,2023-09-30\nurban_rate,济南市,74.1,2023-09-30\nurban_rate,青岛市,77.3,2023-09-30\n", true},
		"across, the province last":  {"指标,济南市,青岛市,全省,截至日期\nurban_rate,74.1,77.3,65.5,2023-09-30\n", true},
		"rows, the cities first":     {"指标,地区,数值,截至日期\nurban_rate,济南市,74.1,2023-09-30\nurban_rate,全省,65.5,2023-09-30\n", false},
		"across, no province figure": {"指标,济南市,青岛市,全省,截至日期\nurban_rate,74.1,77.3,,2023-09-30\n", false},
	} {
		t.Run(name, func(t *testing.T) {
			if !tc.ok {
				e := mustReject(t, []byte(tc.data), "fgw", DefaultLimits())
				if e.Problems[0].Field != fieldRegion || !strings.Contains(e.Problems[0].En, "province-wide") {
					t.Fatalf("problems %v", e.Problems)
				}
				return
			}
			f := mustParse(t, tc.data, "fgw")
			if len(f.Rows) != 1 || f.Rows[0].Region != "shandong" || f.Rows[0].Value != 65.5 {
				t.Fatalf("rows = %+v, want the province's 65.5 alone", f.Rows)
			}
			var ws []string
			for _, w := range f.Warnings {
				ws = append(ws, w.En)
			}
			if !strings.Contains(strings.Join(ws, "\n"), "the cities' figures") {
				t.Errorf("warnings %q do not say the cities' figures were ignored", ws)
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
		_, err := Parse("t.csv", []byte(data), testPlan(), "fgw", testNow, DefaultLimits())
		switch {
		case ok && err != nil:
			t.Errorf("%q: %v", data, err)
		case !ok && (err == nil || !strings.Contains(err.Error(), "table of targets, plans or estimates")):
			t.Errorf("%q: %v, want it refused as a table of targets", data, err)
		}
	}
}

// TestATitlePeriodIsTheYearSoFar: under a title that names a period
// (2023年1-9月…), a plainly named value column holds that period's
// figures, the year so far: an increment that does not restart each year
// refuses them after the year it starts; under 截至2023年9月底 they are
// the totals to that day.
func TestATitlePeriodIsTheYearSoFar(t *testing.T) {
	for data, ok := range map[string]bool{
		"2023年1-9月重点指标完成情况\n指标,地区,完成值\nrenovated,济南市,1200\n":    false,
		"2023年第三季度重点指标报送表\n指标,地区,完成值\nrenovated,济南市,1200\n":     false,
		"2021年1-9月重点指标完成情况\n指标,地区,完成值\nrenovated,济南市,1200\n":    true,
		"2021年二季度重点指标完成情况\n指标,地区,完成值\nrenovated,济南市,1200\n":     false, // that quarter\'s own
		"2021年一季度重点指标完成情况\n指标,地区,完成值\nrenovated,济南市,1200\n":     true,  // also the year so far
		"重点指标完成情况（截至2023年9月底）\n指标,地区,完成值\nrenovated,济南市,1200\n": true,
	} {
		_, err := Parse("t.csv", []byte(data), testPlan(), "zjt", testNow, DefaultLimits())
		switch {
		case ok && err != nil:
			t.Errorf("%q: %v", data, err)
		case !ok && (err == nil || !strings.Contains(err.Error(), "the year's figure") && !strings.Contains(err.Error(), "own figure")):
			t.Errorf("%q: %v, want the year so far (or the quarter's own figure) refused", data, err)
		}
	}
}

// TestTheProvinceRowOfAnEachCityIndicatorIsItsTotal: 山东省 (or the
// province's id) above the cities of an each-city indicator is the cities'
// total, passed over as 全省 and 合计 are.
func TestTheProvinceRowOfAnEachCityIndicatorIsItsTotal(t *testing.T) {
	for _, prov := range []string{"山东省", "shandong", "全省"} {
		f := mustParse(t, "指标,地区,数值,截至日期\nrenovated,"+prov+",2500,2023-06-30\nrenovated,济南市,1200,2023-06-30\nrenovated,青岛市,1300,2023-06-30\n", "zjt")
		if len(f.Rows) != 2 || f.Rows[0].Region != "jinan" || f.Rows[1].Region != "qingdao" {
			t.Errorf("%s: rows %+v, want the two cities", prov, f.Rows)
		}
	}
}
