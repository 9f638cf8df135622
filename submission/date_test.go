package submission

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := map[string]struct {
		cell    string
		want    time.Time
		wantErr string // substring of the English message; "" means success
	}{
		"An ISO date is read":                              {cell: "2023-06-30", want: day(2023, 6, 30)},
		"A slashed date without zero padding is read":      {cell: "2023/6/30", want: day(2023, 6, 30)},
		"A dotted date is read":                            {cell: "2023.6.30", want: day(2023, 6, 30)},
		"A Chinese date is read":                           {cell: "2023年6月30日", want: day(2023, 6, 30)},
		"A Chinese date with spaces is read":               {cell: "2023 年 6 月 30 日", want: day(2023, 6, 30)},
		"A compact date is read":                           {cell: "20230630", want: day(2023, 6, 30)},
		"A full-width date is folded":                      {cell: "２０２３／６／３０", want: day(2023, 6, 30)},
		"Surrounding spaces are trimmed":                   {cell: "\u30002023-06-30 ", want: day(2023, 6, 30)},
		"Excel's midnight time is accepted":                {cell: "2023/6/30 0:00", want: day(2023, 6, 30)},
		"A midnight time with seconds is accepted":         {cell: "2023-06-30 00:00:00", want: day(2023, 6, 30)},
		"An ISO midnight is accepted":                      {cell: "2023-06-30T00:00", want: day(2023, 6, 30)},
		"A month means its last day":                       {cell: "2023-06", want: day(2023, 6, 30)},
		"A slashed month means its last day":               {cell: "2023/6", want: day(2023, 6, 30)},
		"A Chinese month means its last day":               {cell: "2023年6月", want: day(2023, 6, 30)},
		"February of a leap year ends on the 29th":         {cell: "2024-02", want: day(2024, 2, 29)},
		"December ends on the 31st":                        {cell: "2023/12", want: day(2023, 12, 31)},
		"29 February of a leap year is valid":              {cell: "2024-02-29", want: day(2024, 2, 29)},
		"Tomorrow is accepted as clock slack":              {cell: "2026-07-16", want: day(2026, 7, 16)},
		"The first of 2000 is accepted":                    {cell: "2000-01-01", want: day(2000, 1, 1)},
		"30 February is not a date":                        {cell: "2023-02-30", wantErr: "has no day 30"},
		"29 February of a common year is not a date":       {cell: "2023-02-29", wantErr: "has no day 29"},
		"Month 13 is not a date":                           {cell: "2023-13-01", wantErr: "no month 13"},
		"Day 0 is not a date":                              {cell: "20230600", wantErr: "has no day 0"},
		"Month 0 is not a month":                           {cell: "2023年0月", wantErr: "no month 0"},
		"The day after tomorrow is in the future":          {cell: "2026-07-17", wantErr: "is after today, 2026-07-15"},
		"The current month means its end, in the future":   {cell: "2026-07", wantErr: "a month without a day means its last day"},
		"A date before 2000 is refused":                    {cell: "1999-12-31", wantErr: "before 2000-01-01"},
		"A time other than midnight is refused":            {cell: "2023/6/30 9:30", wantErr: "only 0:00 is accepted"},
		"Mixed separators are refused":                     {cell: "2023-6/30", wantErr: "cannot parse date"},
		"A two-digit year is refused":                      {cell: "23/6/30", wantErr: "cannot parse date"},
		"A US date is refused":                             {cell: "6/30/2023", wantErr: "cannot parse date"},
		"A year and dotted month is refused with a reason": {cell: "2023.6", wantErr: "Excel takes year.month for a number"},
		"An Excel serial number is refused with a reason":  {cell: "45107", wantErr: "Excel date serial number"},
		"An empty date is missing":                         {cell: "", wantErr: "missing as_of date"},
		"A dash date is missing":                           {cell: "-", wantErr: "missing as_of date"},
		"Text is not a date":                               {cell: "上半年", wantErr: "cannot parse date"},
		"A Chinese date with day but no 日 is read":         {cell: "2023年6月30", want: day(2023, 6, 30)},
		"An absurd year is refused, not overflowed":        {cell: "9999-12-31", wantErr: "is after today"},
		"Year zero is refused as before 2000":              {cell: "0000-01-01", wantErr: "before 2000-01-01"},
		"A month-only form does not take a time of day":    {cell: "2023-06 0:00", wantErr: "cannot parse date"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseDate(tc.cell, testNow, cst)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("parseDate(%q) = %v, want an error containing %q", tc.cell, got, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseDate(%q) error = %q, want it to contain %q", tc.cell, err, tc.wantErr)
				}
				if f, ok := err.(*fault); !ok || f.zh == "" {
					t.Fatalf("parseDate(%q) error %#v has no Chinese message", tc.cell, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseDate(%q): %v", tc.cell, err)
			}
			if !got.Equal(tc.want) || got.Location() != cst {
				t.Fatalf("parseDate(%q) = %v, want %v", tc.cell, got, tc.want)
			}
		})
	}
}

// Late in the evening UTC it is already the next day in Jinan; "today" must
// be Jinan's.
func TestParseDateUsesThePlanZoneForToday(t *testing.T) {
	now := time.Date(2026, 7, 15, 20, 0, 0, 0, time.UTC) // 16 July 04:00 in Jinan
	if _, err := parseDate("2026-07-17", now, cst); err != nil {
		t.Fatalf("the day after the 16th in Jinan was refused: %v", err)
	}
	if _, err := parseDate("2026-07-18", now, cst); err == nil {
		t.Fatal("two days after the 16th in Jinan was accepted")
	}
}

// A target revision sets a checkpoint, usually ahead of today (a yearly
// plan for the coming years); only an absurd year is refused.
func TestCheckpointDatesMayLieAhead(t *testing.T) {
	if got, err := parseCheckpointDate("2027-12-31", testNow, cst); err != nil || got.Year() != 2027 {
		t.Fatalf("future checkpoint refused: %v %v", got, err)
	}
	if _, err := parseCheckpointDate("2203-12-31", testNow, cst); err == nil {
		t.Fatal("year 2203 accepted as a checkpoint")
	}
	if _, err := parseCheckpointDate("1999-12-31", testNow, cst); err == nil {
		t.Fatal("year 1999 accepted as a checkpoint")
	}
}

// sameDate asserts that a rule reads cell, fast path and all, as its
// general parseAny does: the same instant in the same zone, or the same
// problem.
func sameDate(t *testing.T, r dateRule, cell string) {
	t.Helper()
	got, gotErr := r.parse(cell)
	want, wantErr := r.parseAny(cell)
	if !got.Equal(want) || got.Location() != want.Location() || !reflect.DeepEqual(gotErr, wantErr) {
		t.Fatalf("parse(%q, future %v) = %v, %#v; parseAny says %v, %#v", cell, r.future, got, gotErr, want, wantErr)
	}
}

func TestISODatesReadAsEveryDate(t *testing.T) {
	tests := []struct {
		cell       string
		fast       bool // isoDate reads it as an as_of date
		checkpoint bool // isoDate reads it as a checkpoint date
	}{
		{"2023-06-30", true, true},
		{"2024-02-29", true, true},   // leap day
		{"2023-02-29", false, false}, // not a leap year
		{"2000-02-29", true, true},   // divisible by 400
		{"2100-02-29", false, false}, // divisible by 100
		{"2023-04-31", false, false},
		{"2023-12-31", true, true},
		{"2023-13-01", false, false},
		{"2023-00-10", false, false},
		{"2023-01-00", false, false},
		{"0000-01-01", false, false},
		{"1999-12-31", false, false},
		{"2000-01-01", true, true},
		{"2026-07-15", true, true},  // today
		{"2026-07-16", true, true},  // tomorrow, the slack
		{"2026-07-17", false, true}, // the future
		{"2100-12-31", false, true},
		{"2101-01-01", false, false},
		{"9999-12-31", false, false},
		{"2023-6-30", false, false},
		{"2023/06/30", false, false},
		{"2023-06-30 0:00", false, false},
		{" 2023-06-30", false, false},
		{"２０２３-06-30", false, false},
		{"+023-06-30", false, false},
		{"2023-06-3x", false, false},
		{"20230630", false, false},
		{"", false, false},
	}
	for _, zone := range []*time.Location{cst, time.UTC, time.FixedZone("west", -11*3600)} {
		for _, future := range []bool{false, true} {
			r := newDateRule(testNow, zone, future)
			for _, tc := range tests {
				if _, ok := r.isoDate(tc.cell); zone == cst && ok != (tc.fast && !future || tc.checkpoint && future) {
					t.Errorf("isoDate(%q, future %v) ok = %v", tc.cell, future, ok)
				}
				sameDate(t, r, tc.cell)
			}
		}
	}
}

// FuzzDateFastPath: a rule reads every cell as its parseAny does.
func FuzzDateFastPath(f *testing.F) {
	for _, s := range []string{"2023-06-30", "2024-02-29", "2023-02-29", "2023-13-01", "0000-01-01", "2026-07-17", "2101-01-01", "2023-6-30",
		"2024年1-6月", "2026年1～9月", "2024年4-6月", "2026年前三季度", "2024年6月末", "2026年7月底", "2024年6月31号", "2026年度"} {
		f.Add(s, int64(0), false)
		f.Add(s, int64(-20*3600), true)
	}
	f.Fuzz(func(t *testing.T, cell string, shift int64, future bool) {
		// Now within a few years of testNow, so that today moves across the
		// cells' dates.
		now := testNow.Add(time.Duration(shift%(5*366*24*3600)) * time.Second)
		sameDate(t, newDateRule(now, cst, future), cell)
	})
}

// Statistics name a running total by the months or quarters it covers from
// January (2024年1-6月, 前三季度): it is as of the last day of its last
// month, as 上半年 is. A span not from January is a period's own figure.
func TestRunningTotalsMeanTheirLastDay(t *testing.T) {
	tests := map[string]dateCase{
		"January to June with a hyphen":                 {cell: "2024年1-6月", want: "2024-06-30"},
		"January to June with an em dash":               {cell: "2024年1—6月", want: "2024-06-30"},
		"January to June with the Chinese dash":         {cell: "2024年1——6月", want: "2024-06-30"},
		"January to June with a full-width tilde":       {cell: "2024年1～6月", want: "2024-06-30"},
		"January to June with a full-width hyphen":      {cell: "２０２４年１－６月", want: "2024-06-30"},
		"January to June with 至":                        {cell: "2024年1至6月", want: "2024-06-30"},
		"January to June with spaces":                   {cell: "2024 年 1 - 6 月", want: "2024-06-30"},
		"January to September":                          {cell: "2024年1-9月", want: "2024-09-30"},
		"January and February, a leap year":             {cell: "2024年1-2月", want: "2024-02-29"},
		"January to December is the year":               {cell: "2024年1-12月", want: "2024-12-31"},
		"The first three quarters":                      {cell: "2024年前三季度", want: "2024-09-30"},
		"The first three quarters in digits":            {cell: "2024年前3季度", want: "2024-09-30"},
		"The first two quarters":                        {cell: "2024年前两季度", want: "2024-06-30"},
		"The first two quarters, 个":                     {cell: "2024年前两个季度", want: "2024-06-30"},
		"A running total not yet over is in the future": {cell: "2026年1-9月", wantErr: "is after today"},
		"Three quarters not yet over are in the future": {cell: "2026年前三季度", wantErr: "is after today"},
		"A span not from January is refused":            {cell: "2024年4-6月", wantErr: "report the running total from January"},
		"A span to month 13 is refused":                 {cell: "2024年1-13月", wantErr: "no month 13"},
		"The first quarter alone is not 前一季度":           {cell: "2024年前一季度", wantErr: "cannot parse date"},
		"The first four quarters are not a form":        {cell: "2024年前四季度", wantErr: "cannot parse date"},
	}
	checkDates(t, tests)
}

// Offices also write a month's end as 6月末 or 6月底, a day as 30号 and a
// year as 2024年度; each means what 6月, 30日 and 2024年 mean.
func TestMonthEndsDaysAndYearsAsSaid(t *testing.T) {
	tests := map[string]dateCase{
		"The end of June as 末":                           {cell: "2024年6月末", want: "2024-06-30"},
		"The end of June as 底":                           {cell: "2024年6月底", want: "2024-06-30"},
		"June as 6月份":                                    {cell: "2024年6月份", want: "2024-06-30"},
		"January to June as 1-6月份":                       {cell: "2024年1-6月份", want: "2024-06-30"},
		"The end of February in a leap year":             {cell: "2024年2月底", want: "2024-02-29"},
		"A day as 号":                                     {cell: "2024年6月30号", want: "2024-06-30"},
		"A day as 号 with spaces":                         {cell: "2024 年 6 月 15 号", want: "2024-06-15"},
		"A year as 年度":                                   {cell: "2024年度", want: "2024-12-31"},
		"A year as 年度, full-width":                       {cell: "２０２４年度", want: "2024-12-31"},
		"A span of months with 月 on both ends":           {cell: "2024年1月-6月", want: "2024-06-30"},
		"A span of months with 至":                        {cell: "2024年1月至6月", want: "2024-06-30"},
		"A quarter's end as 末":                           {cell: "2024年三季度末", want: "2024-09-30"},
		"A quarter's end as 第…季度末":                       {cell: "2024年第三季度末", want: "2024-09-30"},
		"The first half's end as 末":                      {cell: "2024年上半年末", want: "2024-06-30"},
		"截至 before a date":                               {cell: "截至2024年6月底", want: "2024-06-30"},
		"至 before a date":                                {cell: "至2024年6月底", want: "2024-06-30"},
		"A day without 日":                                {cell: "2024年6月30", want: "2024-06-30"},
		"A weekday after the date":                       {cell: "2024年6月30日（星期日）", want: "2024-06-30"},
		"累计 after a span":                                {cell: "2024年1-6月累计", want: "2024-06-30"},
		"A quarter as 季":                                 {cell: "2024年二季", want: "2024-06-30"},
		"A span of months not from January with 月 twice": {cell: "2024年4月-6月", wantErr: "span from month 4 to month 6"},
		"The current month's end is in the future":       {cell: "2026年7月底", wantErr: "a month without a day means its last day"},
		"The current year is in the future":              {cell: "2026年度", wantErr: "is after today"},
		"31 June as 号 is not a date":                     {cell: "2024年6月31号", wantErr: "has no day 31"},
		"Month 13 with 末 is not a month":                 {cell: "2024年13月末", wantErr: "no month 13"},
		"A year as 度 without 年 is refused":               {cell: "2024度", wantErr: "cannot parse date"},
		"A day with both 日 and 号 is refused":             {cell: "2024年6月30日号", wantErr: "cannot parse date"},
	}
	checkDates(t, tests)
}

// A 月份 or 季度 column beside a column of years dates a row at the end of
// that month or quarter, not of the year: a January–June total is not the
// year's. Beside a full date it must agree with the date.
func TestMonthAndQuarterColumns(t *testing.T) {
	tests := map[string]struct {
		data     string
		dept     string   // default fgw
		want     string   // indicator=value@as_of of each row, space separated
		problems []string // prefixes of "line:column field: English"; none means accepted
	}{
		"A month beside a year is that month's end": {
			data: "指标,年份,月份,数值\nurban_rate,2024,6,65\n", want: "urban_rate=65@2024-06-30"},
		"A month named 月 beside a year named 年": {
			data: "指标,年,月,数值\nurban_rate,2024,6,65\n", want: "urban_rate=65@2024-06-30"},
		"A month with a leading zero, 月 or 月份": {
			data: "指标,年份,月份,数值\nurban_rate,2023,02,65\nurban_rate,2023,3月,65\nurban_rate,2023,4月份,65\n",
			want: "urban_rate=65@2023-02-28 urban_rate=65@2023-03-31 urban_rate=65@2023-04-30"},
		"A month in Chinese numerals": {
			data: "指标,年份,月份,数值\nurban_rate,2024,六月,65\nurban_rate,2024,十二月,66\n", want: "urban_rate=65@2024-06-30 urban_rate=66@2024-12-31"},
		"A running total from January in the month column": {
			data: "指标,年份,月份,数值\nurban_rate,2024,1-6月,65\n", want: "urban_rate=65@2024-06-30"},
		"December and 全年 in the month column are the year": {
			data: "指标,年份,月份,数值\nurban_rate,2023,12,65\nurban_rate,2024,全年,66\n", want: "urban_rate=65@2023-12-31 urban_rate=66@2024-12-31"},
		"A year written 2024年 or 2024年度": {
			data: "指标,年度,月份,数值\nurban_rate,2024年,6,65\nurban_rate,2023年度,6,64\n", want: "urban_rate=65@2024-06-30 urban_rate=64@2023-06-30"},
		"Months of one year are different dates": {
			data: "指标,年份,月份,数值\nurban_rate,2024,3,64\nurban_rate,2024,6,65\n", want: "urban_rate=64@2024-03-31 urban_rate=65@2024-06-30"},
		"A quarter beside a year is that quarter's end": {
			data: "指标,年度,季度,数值\nurban_rate,2024,二季度,65\nurban_rate,2023,2,64\nurban_rate,2022,第二季度,63\nurban_rate,2021,Q2,62\nurban_rate,2020,二,61\n",
			want: "urban_rate=65@2024-06-30 urban_rate=64@2023-06-30 urban_rate=63@2022-06-30 urban_rate=62@2021-06-30 urban_rate=61@2020-06-30"},
		"The first three quarters in the quarter column": {
			data: "指标,年度,季度,数值\nurban_rate,2024,前三季度,65\n", want: "urban_rate=65@2024-09-30"},
		"A month and the quarter it lies in": {
			data: "指标,年份,季度,月份,数值\nurban_rate,2024,二季度,5,65\n", want: "urban_rate=65@2024-05-31"},
		"A month outside the quarter beside it": {
			data:     "指标,年份,季度,月份,数值\nurban_rate,2024,三季度,5,65\n",
			problems: []string{`2:3 quarter: the quarter "三季度" does not agree with the as_of date 2024-05-31`}},
		"A date column with the month it lies in": {
			data: "指标,截至日期,月份,数值\nurban_rate,2024-06-15,6,65\nurban_rate,2024-09-30,,66\n", want: "urban_rate=65@2024-06-15 urban_rate=66@2024-09-30"},
		"A date column with another month": {
			data:     "指标,截至日期,月份,数值\nurban_rate,2024-06-30,5,65\n",
			problems: []string{`2:3 month: the month "5" does not agree with the as_of date 2024-06-30`}},
		"A year-end in the date column with a month of June": {
			data:     "指标,报告期,月份,数值\nurban_rate,2024年底,6,65\n",
			problems: []string{`2:3 month: the month "6" does not agree with the as_of date 2024-12-31`}},
		"A date column with another quarter": {
			data:     "指标,截至日期,季度,数值\nurban_rate,2024-06-30,三季度,65\n",
			problems: []string{`2:3 quarter: the quarter "三季度" does not agree with the as_of date 2024-06-30`}},
		"A year alone with the month left empty": {
			data:     "指标,年份,月份,数值\nurban_rate,2024,,65\n",
			problems: []string{"2:3 month: the month is empty and 2024 is only a year"}},
		"A year alone with the quarter left empty": {
			data:     "指标,年度,季度,数值\nurban_rate,2024,,65\n",
			problems: []string{"2:3 quarter: the quarter is empty and 2024 is only a year"}},
		"Month 13": {
			data:     "指标,年份,月份,数值\nurban_rate,2024,13,65\n",
			problems: []string{`2:3 month: cannot read the month "13"`}},
		"Month 0": {
			data:     "指标,年份,月份,数值\nurban_rate,2024,0,65\n",
			problems: []string{`2:3 month: cannot read the month "0"`}},
		"A month that is not one": {
			data:     "指标,年份,月份,数值\nurban_rate,2024,六月中旬,65\n",
			problems: []string{`2:3 month: cannot read the month "六月中旬"`}},
		"A span of months not from January": {
			data:     "指标,年份,月份,数值\nurban_rate,2024,4-6月,65\n",
			problems: []string{`2:3 month: cannot read the month "4-6月"`}},
		"Quarter 5": {
			data:     "指标,年度,季度,数值\nurban_rate,2024,5,65\n",
			problems: []string{`2:3 quarter: cannot read the quarter "5"`}},
		"A month not yet over is in the future": {
			data:     "指标,年份,月份,数值\nurban_rate,2026,6,65\nurban_rate,2026,7,66\n",
			problems: []string{`3:3 month: date "2026年7月" (2026-07-31) is after today`}},
		"A year before 2000 with a month": {
			data:     "指标,年份,月份,数值\nurban_rate,1999,6,65\n",
			problems: []string{`2:3 month: date "1999年6月" is before 2000-01-01`}},
		"A year that is not one beside a month": {
			data:     "指标,年份,月份,数值\nurban_rate,24,6,65\n",
			problems: []string{`2:2 as_of: cannot parse date "24"`}},
		"A checkpoint may lie ahead, by month": {
			data: "指标,目标值,年份,月份\nurban_rate,70,2027,6\n", dept: "ldxz", want: "urban_rate=70@2027-06-30"},
		"A year beside a full date: the date is read": {
			data: "指标,年份,截至日期,数值\nurban_rate,2024,2024-06-30,65\n", want: "urban_rate=65@2024-06-30"},
		"A full date beside a year: the date is read": {
			data: "指标,截至日期,年度,数值\nurban_rate,2024-06-30,2024年度,65\n", want: "urban_rate=65@2024-06-30"},
		"A year, a month and a date that agree": {
			data: "指标,年份,月份,截至日期,数值\nurban_rate,2024,6,2024-06-15,65\n", want: "urban_rate=65@2024-06-15"},
		"A year beside an empty date gives it": {
			data: "指标,年份,截至日期,数值\nurban_rate,2024,,65\nurban_rate,2023,2023-06-30,64\n", want: "urban_rate=65@2024-12-31 urban_rate=64@2023-06-30"},
		"A year and month beside an empty date give it": {
			data: "指标,年份,月份,截至日期,数值\nurban_rate,2024,6,,65\n", want: "urban_rate=65@2024-06-30"},
		"A year beside the date of another year": {
			data:     "指标,年份,截至日期,数值\nurban_rate,2023,2024-06-30,65\n",
			problems: []string{`2:2 year: the year "2023" does not agree with the as_of date "2024-06-30"`}},
		"A year that is not one beside a date": {
			data:     "指标,截至日期,年份,数值\nurban_rate,2024-06-30,24,65\n",
			problems: []string{`2:3 year: cannot read the year "24"`}},
		"A year and month beside the date of another month": {
			data:     "指标,年份,月份,截至日期,数值\nurban_rate,2024,5,2024-06-30,65\n",
			problems: []string{`2:3 month: the month "5" does not agree with the as_of date 2024-06-30`}},
		"A year beside an empty date, not yet over": {
			data:     "指标,年份,截至日期,数值\nurban_rate,2026,,65\n",
			problems: []string{`2:2 year: date "2026年" (2026-12-31) is after today`}},
		"A month without a year or date column": {
			data: "指标,月份,数值\nurban_rate,6,65\n",
			problems: []string{`1:0 as_of: missing required column "as_of"`,
				`1:2 month: column "月份" gives the month but not the year`}},
		"A quarter without a year or date column": {
			data: "指标,数值,季度\nurban_rate,65,二季度\n",
			problems: []string{`1:0 as_of: missing required column "as_of"`,
				`1:3 quarter: column "季度" gives the quarter but not the year`}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dept := tc.dept
			if dept == "" {
				dept = "fgw"
			}
			sameAsParse(t, []byte(tc.data), dept, false)
			f, err := Parse("m.csv", []byte(tc.data), testPlan(), dept, testNow, Limits{})
			if len(tc.problems) > 0 {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Parse accepted the file or failed otherwise: %v", err)
				}
				checkProblems(t, e.Problems, tc.problems)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range f.Rows {
				got = append(got, fmt.Sprintf("%s=%v@%s", r.Indicator, r.Value, r.AsOf.Format(time.DateOnly)))
			}
			if strings.Join(got, " ") != tc.want {
				t.Fatalf("rows %q, want %q", strings.Join(got, " "), tc.want)
			}
			if len(f.Warnings) > 0 {
				t.Fatalf("warnings %v; a month or quarter column is read, not ignored", f.Warnings)
			}
		})
	}
}

// dateCase is a cell, the date it reads as (yyyy-mm-dd) or a substring of
// the English message refusing it.
type dateCase struct {
	cell    string
	want    string
	wantErr string
}

// checkDates reads each case's cell as the rows of a values file do; a
// refusal must also be said in Chinese.
func checkDates(t *testing.T, tests map[string]dateCase) {
	t.Helper()
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseDate(tc.cell, testNow, cst)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseDate(%q) = %v, %v; want an error containing %q", tc.cell, got, err, tc.wantErr)
				}
				if f, ok := err.(*fault); !ok || f.zh == "" {
					t.Fatalf("parseDate(%q) error %#v has no Chinese message", tc.cell, err)
				}
				return
			}
			if err != nil || got.Format(time.DateOnly) != tc.want || got.Location() != cst {
				t.Fatalf("parseDate(%q) = %v, %v; want %s", tc.cell, got, err, tc.want)
			}
		})
	}
}
