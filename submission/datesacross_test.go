package submission

import (
	"bytes"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

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
		"指标,2025年第一季度,2025年1-6月":   true, // the first quarter's own figure is the year so far
		"指标,2025年1月,2025年1-6月":     true,
		"指标,2025年第二季度,2025年1-9月":   false,
	} {
		refusal := ""
		if !ok {
			refusal = "since 1 January of each year" // each period's own figure, with the reason
		}
		if f := readOrRefused(t, plan, "rst", hdr+"\nnew_jobs,30.2,62.3\n", refusal); f != nil && len(f.Rows) != 2 {
			t.Errorf("%s: %d rows, want 2", hdr, len(f.Rows))
		}
	}
}
