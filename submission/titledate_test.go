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
		"a whole year": {
			data: "2025年度重点指标完成情况\n" + body,
			want: day(2025, 12, 31),
		},
		"a day": {
			data: "重点指标完成情况（数据截至2026年6月30日）\n" + body,
			want: day(2026, 6, 30),
		},
		"a numeric date": {
			data: "重点指标完成情况 2026/6/30\n" + body,
			want: day(2026, 6, 30),
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
			errs: []string{`1:0 indicator: missing required column`, `1:0 value: missing required column`, `1:0 as_of: missing required column`},
		},
		"a deadline is not the data's date": {
			data: "2023年底前完成的重点指标进展\n" + body,
			errs: []string{`1:0 indicator: missing required column`, `1:0 value: missing required column`, `1:0 as_of: missing required column`},
		},
		"the day of filling in alone is not the data's date": {
			data: "重点指标完成情况\n填报日期：2023年10月8日,\n" + body,
			errs: []string{`1:0 indicator: missing required column`, `1:0 value: missing required column`, `1:0 as_of: missing required column`},
		},
		"two dates leave it unknown": {
			data: "2023年1-9月重点指标完成情况（截至2023年6月底）\n" + body,
			errs: []string{`1:0 as_of: the sheet has no as_of column and its title names several dates (2023年1-9月, 2023年6月底)`},
		},
		"a quarter's own span is no running total": {
			data: "2023年4-6月重点指标完成情况\n" + body,
			errs: []string{`1:0 as_of: the sheet has no as_of column and the date "2023年4-6月" in its title cannot serve as one: date "2023年4-6月" is the span from month 4 to month 6`},
		},
		"a future date": {
			data: "2026年1-9月重点指标完成情况\n" + body,
			errs: []string{`1:0 as_of: the sheet has no as_of column and the date "2026年1-9月" in its title cannot serve as one: date "2026年1-9月" (2026-09-30) is after today`},
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
