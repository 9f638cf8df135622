package submission

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// span is what a column's figures add up: everything up to a moment (a
// running total since the start, or a level), the year so far (本年累计,
// 1-9月, 前三季度, a year's figure), or a month's, a quarter's or another
// part's own figure (本月, 三季度, 4-6月, 下半年).
type span int

const (
	spanToDate span = iota
	spanYear
	spanOwn
)

// dateColumnSpan tells what the cells under a date header add up:
// 截至…, …底, …末 and full dates are to that moment; a month (2023年7月,
// 2023-07), a quarter (2023年一季度) or 下半年 alone its own figure (unless
// 累计 follows: 2023年7月累计 is January to July); a year, 1-9月, 前三季度
// and 上半年 the year so far.
func dateColumnSpan(cell, date string) span {
	switch {
	case toMoment(cell) || toMoment(date) || dayDate(date):
		return spanToDate
	case ownDateRE.MatchString(date) && !strings.Contains(cell, "累计") && !startsInJanuary(date):
		return spanOwn
	}
	return spanYear
}

var (
	// dayDateRE is a date with its day: 2023年9月30日.
	dayDateRE = regexp.MustCompile(`\d\s*[日号]$`)
	// ownDateRE is a month (2023年7月, 2023-07) or a quarter (2023年一季度,
	// 2023Q1) alone, or 下半年.
	ownDateRE = regexp.MustCompile(`(?:^\d{4}\s*年\s*\d{1,2}\s*月份?$|^\d{4}[-/]\d{1,2}$|(?:^|年)\s*第?[一二三四1-4]\s*季度?$|[Qq][1-4]$|下半年$)`)
)

// wrongSpan says why a figure that adds up sp, as of asOf, is not what
// indicator t is judged on, or returns nil: an increment is judged on its
// running total — since 1 January for an annual one, since its start for
// the others. A period's own figure is never that; the year so far is,
// for an annual increment, and for another one in the year it starts.
func wrongSpan(t *indicators.Target, sp span, asOf time.Time) *fault {
	if t == nil || t.Kind == indicators.Milestone || t.Measure != indicators.Increment || sp == spanToDate ||
		sp == spanYear && (t.Period == indicators.Annual || asOf.IsZero() || t.Start.IsZero() || asOf.Year() <= t.Start.In(asOf.Location()).Year()) {
		return nil
	}
	if t.Period == indicators.Annual {
		return faultf("这一列是一段时间（月、季度或半年）自身的数，而指标 %s（%s）按当年自 1 月起的累计数考核：请填写自 1 月以来的累计数，列名写成如“1-9月累计”“本年累计”",
			"this column holds a period's (a month's, a quarter's, a half's) own figure, but indicator %s (%s) is judged on its running total since 1 January of each year: write the total since January, under a header such as 1-9月累计 or 本年累计",
			t.ID, DisplayName(t.Name))
	}
	from := t.Start.In(asOf.Location()).Format(time.DateOnly)
	what, whatEn := "一段时间（月、季度或半年）自身的数", "a period's (a month's, a quarter's, a half's) own figure"
	if sp == spanYear {
		what, whatEn = "当年（自 1 月起）的数", "the year's figure (since January)"
	}
	return &fault{
		zh: fmt.Sprintf("这一列是%s，而指标 %s（%s）按自 %s 起的累计数考核：请填写自 %s 以来的累计数，列名写成如“累计值”或“截至2023年9月底累计”",
			what, t.ID, DisplayName(t.Name), from, from),
		en: fmt.Sprintf("this column holds %s, but indicator %s (%s) is judged on its running total since %s: write the total since then, under a header such as 累计值 or 截至2023年9月底累计",
			whatEn, t.ID, DisplayName(t.Name), from)}
}

// periodHeaderRE is a value (or target) column's header that starts with
// the period its figures cover: 1-9月完成, 2023年1-9月累计, 前三季度完成值,
// 截至9月底累计完成, 2023年目标 (normHeader's form: - and spaces are _).
// Beside a date column the period, with or without its year, says what
// the figures add up; without one, a dated period is a date column
// (dateHeader).
var periodHeaderRE = regexp.MustCompile(`^(本年度?|今年(?:以来)?|年初至今|当年|年度|本月|当月|本期|本季度?|` +
	`(?:\d{4}_?年度?_?)?(?:(?:截至|截止)_?)?(?:\d{1,2}_?(?:_|~|至|到|—|–|―)_?\d{1,2}_?月份?|\d{1,2}_?月(?:份|末|底)?|前[两二三23]个?季度|第?[一二三四1-4]_?季度末?|[上下]半年|全年)|` +
	`\d{4}_?年度?)_?(.*)$`)

// periodField reads a header named by the period its figures cover and a
// value or target name (1-9月累计 is 累计): the field, that name, the
// month the period ends in (periodMonth), and what the figures add
// up (span): the period's own (9月完成, 4-6月完成, 三季度完成, 下半年完成:
// read as a 本期值 column), the year so far (1-9月, 前三季度, 上半年, 本年)
// or everything to a moment (9月底, 截至…).
func periodField(name string) (field, rest string, month int, sp span, ok bool) {
	g := periodHeaderRE.FindStringSubmatch(name)
	if g == nil || g[1] == "" {
		return "", "", 0, 0, false
	}
	f, ok := fieldValue, true // 1-9月, 上半年 alone: the figures of that period
	if g[2] != "" {
		f, _, ok = headerField(g[2])
	}
	if !ok || (f != fieldValue && f != fieldTarget) {
		return "", "", 0, 0, false
	}
	switch pp := strings.TrimRight(g[1], "_"); {
	case ownPeriod(g[1]) && !startsInJanuary(pp) && !strings.Contains(g[2], "累计"):
		sp = spanOwn // 9月累计, 本期累计: from January to that period, the year so far
	case toMoment(pp):
		sp = spanToDate
	default:
		sp = spanYear // 1-9月, 前三季度, 上半年, 本年, a year
	}
	return f, g[2], periodMonth(g[1]), sp, true
}

// periodMonthRE finds the month a header's period ends in.
var (
	spanEndRE    = regexp.MustCompile(`\d{1,2}_?(?:_|~|至|到|—|–|―)_?(\d{1,2})_?月`)
	monthEndRE   = regexp.MustCompile(`(\d{1,2})_?月`)
	firstQuarter = regexp.MustCompile(`前([两二三23])个?季度`)
	quarterRE    = regexp.MustCompile(`第?([一二三四1-4])_?季度`)
)

// periodMonth is the month the period a header names ends in (9 for
// 1-9月, 前三季度, 截至9月底, 三季度; 6 for 上半年), 0 if it names none.
func periodMonth(p string) int {
	atoi := func(a string) int { n, _ := decimal(a); return n }
	switch {
	case spanEndRE.MatchString(p):
		return atoi(spanEndRE.FindStringSubmatch(p)[1])
	case monthEndRE.MatchString(p):
		return atoi(monthEndRE.FindStringSubmatch(p)[1])
	case firstQuarter.MatchString(p):
		if q := firstQuarter.FindStringSubmatch(p)[1]; q == "两" {
			return 6
		} else {
			return quarters[q]
		}
	case quarterRE.MatchString(p):
		return quarters[quarterRE.FindStringSubmatch(p)[1]]
	case strings.Contains(p, "上半年"):
		return 6
	case strings.Contains(p, "下半年"):
		return 12
	}
	return 0 // 全年完成 beside a date in September may be the year so far
}

// ownPeriodRE is a period whose figure is its own: a month (9月), a span
// of months not from January (4-6月), a quarter (三季度), 下半年.
var (
	ownPeriodRE = regexp.MustCompile(`^(?:本月|当月|本期|本季度?)_?$|(?:^|年度?_?)(?:\d{1,2}_?月份?$|第?[一二三四1-4]_?季度$|下半年$)`)
	spanRE      = regexp.MustCompile(`(\d{1,2})_?(?:_|~|至|到|—|–|―)_?\d{1,2}_?月份?$`)
)

func ownPeriod(p string) bool {
	p = strings.TrimRight(p, "_")
	if strings.Contains(p, "截至") || strings.Contains(p, "截止") {
		return false
	}
	if g := spanRE.FindStringSubmatch(p); g != nil {
		return g[1] != "1" && g[1] != "01"
	}
	return ownPeriodRE.MatchString(p)
}

// remarkPeriod reads the period a value header's remark names (完成值
// （1-9月）, 数值（本年累计）, 完成值（万户，本年累计）, 数值（当月）,
// 完成值（2023年）) as if it led the name: what the figures add up, and the
// month the period ends in. ok is false when no part of the remark is a
// period (a unit, 累计).
func remarkPeriod(cell, base string) (month int, sp span, ok bool) {
	_, remarks := splitRemarks(fold(cell))
	for _, r := range remarks {
		for _, part := range remarkPartRE.Split(r, -1) {
			part = normHeader(part)
			if part == "" || part == "累计" {
				continue
			}
			if _, _, m, p, isPeriod := periodField(part + base); isPeriod {
				return m, p, true
			}
		}
	}
	return 0, spanToDate, false
}

// remarkPartRE separates the parts of a remark: 万户，本年累计.
var remarkPartRE = regexp.MustCompile(`[,，、;；/]`)

// startsInJanuary reports a month or quarter of its own that starts the
// year (1月, 一季度, 2026Q1): its own figure is also the year so far.
func startsInJanuary(p string) bool {
	if g := quarterRE.FindStringSubmatch(p); g != nil {
		return quarters[g[1]] == 3
	}
	if g := qRE.FindStringSubmatch(p); g != nil {
		return g[1] == "1"
	}
	if strings.Contains(p, "半年") || spanEndRE.MatchString(p) {
		return false
	}
	if g := monthEndRE.FindStringSubmatch(p); g != nil {
		m, _ := decimal(g[1])
		return m == 1
	}
	if g := dashMonthRE.FindStringSubmatch(p); g != nil { // 2026-01
		m, _ := decimal(g[1])
		return m == 1
	}
	return false
}

var (
	qRE         = regexp.MustCompile(`[Qq]([1-4])$`)
	dashMonthRE = regexp.MustCompile(`^\d{4}[-/](\d{1,2})$`)
)

// toMoment reports a period named as of a moment: 截至…, 截止…, …底, …末.
func toMoment(p string) bool {
	return strings.Contains(p, "截至") || strings.Contains(p, "截止") || strings.HasSuffix(p, "底") || strings.HasSuffix(p, "末")
}
