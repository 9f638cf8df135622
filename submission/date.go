package submission

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// 2023-06-30, 2023/6/30, 2023.6.30, optionally with Excel's 0:00.
	dayRE = regexp.MustCompile(`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)
	// 2023年6月30日 (or 30号, as it is said) and 2023年6月 (6月份, 6月末,
	// 6月底: the month's end).
	cjkRE = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]|份|末|底)?$`)
	// 20230630.
	compactRE = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	// 2024年1-6月, 2024年1—6月, 2024年1～6月, 2024年1至6月: the running
	// total from January, as statistics name it, up to its last month.
	rangeRE = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*(?:-|~|〜|–|—{1,2}|―|−|至|到)\s*(\d{1,2})\s*月份?$`)
	// 2023-06 and 2023/6.
	monthRE = regexp.MustCompile(`^(\d{4})[-/](\d{1,2})$`)
	// 2023.6: a month Excel may have stored as a number.
	dotMonthRE = regexp.MustCompile(`^\d{4}\.\d{1,2}$`)
	// 45107: a date cell formatted as a number.
	serialRE = regexp.MustCompile(`^\d{5}(?:\.\d+)?$`)
	// Report periods as offices name them, meaning the period's last day:
	// 2023年底, 2023年末, 2023年, 2023年上半年, 2023年第二季度, 2023年二季度,
	// 2023Q2, 2023年Q2, 2023年前三季度 (the running total to September),
	// 2023年度.
	periodRE = regexp.MustCompile(`^(\d{4})\s*年?\s*(底|末|年底|年末|年度|上半年|下半年|全年|前([两二三23])个?季度|第?([一二三四1-4])季度|[Qq]([1-4]))?$`)
)

// quarters maps a quarter's numeral to its last month.
var quarters = map[string]int{"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}

// periodEnd reads the report-period forms of periodRE; a bare year needs
// 年 (2023年), so that a plain number is never taken for a date.
func periodEnd(s string) (y, m int, ok bool) {
	g := periodRE.FindStringSubmatch(s)
	if g == nil || (g[2] == "" && !strings.HasSuffix(s, "年")) {
		return 0, 0, false
	}
	y, _ = strconv.Atoi(g[1])
	switch {
	case g[3] == "两": // 前两季度, the first half
		return y, 6, true
	case g[3] != "":
		return y, quarters[g[3]], true
	case g[4] != "":
		return y, quarters[g[4]], true
	case g[5] != "":
		return y, quarters[g[5]], true
	case g[2] == "上半年":
		return y, 6, true
	}
	return y, 12, true
}

// earliestYear is the first year accepted in as_of; earlier dates are
// typos (the plan's monitoring starts long after).
const earliestYear = 2000

// latestYear bounds checkpoint dates: a yearly plan for the years ahead is
// expected, a year like 2203 is a typo.
const latestYear = 2100

// dateRule reads the as_of cells of one file into 00:00 of their date in
// loc. A month without a day means its last day. An as_of date must lie
// between 2000-01-01 and the day after today (a day of slack for clocks
// and time zones). The date of a target revision is a checkpoint, which
// usually lies in the future (分年度制定…计划), so only its year is
// bounded. Today is worked out once for the file, not for every row.
type dateRule struct {
	loc    *time.Location
	today  time.Time // 00:00 of today in loc
	latest time.Time // the latest as_of date accepted
	future bool      // checkpoint dates
}

func newDateRule(now time.Time, loc *time.Location, future bool) dateRule {
	if loc == nil {
		loc = time.UTC
	}
	n := now.In(loc)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	return dateRule{loc: loc, today: today, latest: today.AddDate(0, 0, 1), future: future}
}

// parse reads a date cell.
func (r dateRule) parse(cell string) (time.Time, error) {
	if t, ok := r.isoDate(cell); ok {
		return t, nil
	}
	return r.parseAny(cell)
}

// isoDate reads the form most cells take, 2023-06-30, as parseAny would,
// but without its folding and regular expressions. ok is false for every
// other cell, and for a date parseAny refuses: it says why.
func (r dateRule) isoDate(s string) (t time.Time, ok bool) {
	if len(s) != len(time.DateOnly) || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	y, yok := decimal(s[:4])
	m, mok := decimal(s[5:7])
	d, dok := decimal(s[8:])
	if !yok || !mok || !dok || m < 1 || m > 12 || d < 1 || d > lastDay(y, m) || y < earliestYear {
		return time.Time{}, false
	}
	t = time.Date(y, time.Month(m), d, 0, 0, 0, 0, r.loc)
	if r.future {
		return t, y <= latestYear
	}
	return t, !t.After(r.latest)
}

// decimal reads a string of ASCII digits.
func decimal(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// lastDay is the number of days in month m of year y.
func lastDay(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseAny reads a date cell in every form parse accepts.
func (r dateRule) parseAny(cell string) (time.Time, error) {
	s := fold(cell)
	if missingMarks[s] {
		return time.Time{}, faultf("缺少截至日期：请填写数据截至的日期，如 2023-06-30",
			"missing as_of date: write the date the value is as of, such as 2023-06-30")
	}
	y, m, d, monthOnly, err := splitDate(periodWords(s))
	if err != nil {
		return time.Time{}, err
	}
	if m < 1 || m > 12 {
		return time.Time{}, faultf("日期 %q 无效：没有 %d 月", "invalid date %q: there is no month %d", s, m)
	}
	last := lastDay(y, m)
	if monthOnly {
		d = last
	}
	if d < 1 || d > last {
		return time.Time{}, faultf("日期 %q 无效：%d 年 %d 月没有 %d 日", "invalid date %q: %d-%02d has no day %d", s, y, m, d)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, r.loc)
	if y < earliestYear {
		return time.Time{}, faultf("日期 %q 早于 2000-01-01，请检查年份", "date %q is before 2000-01-01; check the year", s)
	}
	if r.future {
		if y > latestYear {
			return time.Time{}, faultf("日期 %q 晚于 %d 年，请检查年份", "date %q is after %d; check the year", s, latestYear)
		}
		return t, nil
	}
	if t.After(r.latest) {
		f := faultf("日期 %q（%s）晚于今天 %s：不能上报未来日期的数据",
			"date %q (%s) is after today, %s: values cannot be reported for future dates",
			s, t.Format(time.DateOnly), r.today.Format(time.DateOnly))
		if monthOnly {
			f.zh += "；只写年月表示该月最后一天，月中上报请写具体日期"
			f.en += "; a month without a day means its last day, so write the exact date"
		}
		return time.Time{}, f
	}
	return t, nil
}

// periodWords rewrites the words offices put around a period into the
// forms splitDate reads: 截至2024年6月底 is 2024年6月底, 2024年1月-6月
// and 2024年1月至6月 are 2024年1-6月, 三季度末 is 三季度 and 上半年末 上半年
// (a period means its last day).
func periodWords(s string) string {
	for _, p := range []string{"截至到", "截止到", "截至", "截止", "至"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s = strings.TrimSpace(rest)
			break
		}
	}
	// 2024年6月30日（星期日）: the weekday Excel's long date adds; 1-6月累计.
	s = weekdayRE.ReplaceAllString(s, "")
	s = strings.TrimSuffix(s, "累计")
	if strings.HasSuffix(s, "季") && !strings.HasSuffix(s, "季度") {
		s += "度" // 二季
	}
	if g := dayNoMarkRE.FindStringSubmatch(s); g != nil {
		s += "日" // 2024年6月30
	}
	s = monthSpanRE.ReplaceAllString(s, "${1}-${2}月")
	if g := quarterSpanRE.FindStringSubmatch(s); g != nil {
		// 2023年1-3季度 is 前三季度 (1-4季度 the year); 2-3季度 is no
		// running total and stays unread.
		if g[2] == "4" {
			s = g[1] + "年"
		} else {
			s = g[1] + "年前" + g[2] + "季度"
		}
	}
	for _, end := range []string{"末", "底"} {
		if base, ok := strings.CutSuffix(s, end); ok && (strings.HasSuffix(base, "季度") || strings.HasSuffix(base, "半年")) {
			return base
		}
	}
	return s
}

// weekdayRE is a weekday in brackets after a date: (星期日), (周一).
var weekdayRE = regexp.MustCompile(`\s*\((?:星期|周)[一二三四五六日天]\)$`)

// dayNoMarkRE is a Chinese date whose day lacks 日: 2024年6月30.
var dayNoMarkRE = regexp.MustCompile(`^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}$`)

// quarterSpanRE is a span of quarters from the first: 2023年1-3季度,
// 2023年第1至3季度.
var quarterSpanRE = regexp.MustCompile(`^(\d{4})\s*年\s*第?\s*1\s*(?:-|~|〜|–|—{1,2}|―|−|至|到)\s*([234])\s*季度$`)

// monthSpanRE is a span of months with 月 on both ends: 1月-6月, 1月至6月.
var monthSpanRE = regexp.MustCompile(`(\d{1,2})\s*月\s*(?:-|~|〜|–|—{1,2}|―|−|至|到)\s*(\d{1,2})\s*月`)

// splitDate recognises the accepted forms of a folded date cell.
func splitDate(s string) (y, m, d int, monthOnly bool, err error) {
	atoi := func(a string) int { n, _ := strconv.Atoi(a); return n } // the regexps admit digits only
	if g := dayRE.FindStringSubmatch(s); g != nil {
		if g[2] != g[4] {
			return 0, 0, 0, false, unknownDate(s)
		}
		if g[6] != "" && (atoi(g[6]) != 0 || atoi(g[7]) != 0 || atoi(g[8]) != 0) {
			return 0, 0, 0, false, faultf("日期 %q 带有时间：只接受 0:00，请只写日期",
				"date %q has a time of day: only 0:00 is accepted, write the date alone", s)
		}
		return atoi(g[1]), atoi(g[3]), atoi(g[5]), false, nil
	}
	if g := cjkRE.FindStringSubmatch(s); g != nil {
		if g[3] == "" {
			return atoi(g[1]), atoi(g[2]), 0, true, nil
		}
		return atoi(g[1]), atoi(g[2]), atoi(g[3]), false, nil
	}
	if g := compactRE.FindStringSubmatch(s); g != nil {
		return atoi(g[1]), atoi(g[2]), atoi(g[3]), false, nil
	}
	if g := monthRE.FindStringSubmatch(s); g != nil {
		return atoi(g[1]), atoi(g[2]), 0, true, nil
	}
	if g := rangeRE.FindStringSubmatch(s); g != nil {
		y, from, to := atoi(g[1]), atoi(g[2]), atoi(g[3])
		if from != 1 {
			// 4-6月 is the quarter's own figure: neither the running
			// total nor the level an indicator is judged on.
			return 0, 0, 0, false, faultf("日期 %q 是 %d 月至 %d 月这一段时间：请填写自 1 月起的累计数（或期末数），日期写成 %d年1-%d月 或该月最后一天",
				"date %q is the span from month %d to month %d: report the running total from January (or the level at the end), dated %d年1-%d月 or the month's last day",
				s, from, to, y, to)
		}
		return y, to, 0, true, nil
	}
	if y, m, ok := periodEnd(s); ok {
		if strings.Contains(s, "下半年") {
			// July to December, as 4-6月 is April to June: the half's
			// own figure, which an annual total would take for the year's.
			return 0, 0, 0, false, faultf("日期 %q 是 7 月至 12 月这一段时间：请填写自 1 月起的累计数（或期末数），日期写成 %d年底 或 %d-12-31",
				"date %q is the span from July to December: report the running total from January (or the level at the end), dated %d年底 or %d-12-31",
				s, y, y)
		}
		return y, m, 0, true, nil
	}
	if dotMonthRE.MatchString(s) {
		return 0, 0, 0, false, faultf("无法识别的日期 %q：“年.月”会被 Excel 当作小数（2023.10 变成 2023.1），请写成 2023-06 或 2023年6月",
			"cannot parse date %q: Excel takes year.month for a number (2023.10 becomes 2023.1); write 2023-06 or 2023年6月", s)
	}
	if serialRE.MatchString(s) {
		return 0, 0, 0, false, faultf("日期 %q 看起来是 Excel 的日期序号：请把该列设置为日期格式（yyyy-mm-dd）后重新保存",
			"date %q looks like an Excel date serial number: format the column as a date (yyyy-mm-dd) and save again", s)
	}
	return 0, 0, 0, false, unknownDate(s)
}

func unknownDate(s string) error {
	return faultf("无法识别的日期 %q：请写成 2023-06-30、2023/6/30、2023年6月30日、2023-06（月末）、2023年第二季度 或 2023年底",
		"cannot parse date %q: write it like 2023-06-30, 2023/6/30, 2023年6月30日, 2023-06 (month end), 2023年第二季度 (quarter end) or 2023年底 (year end)", s)
}

// Fields of the columns that give part of the as_of date (see dateParts).
const (
	fieldYear    = "year"
	fieldMonth   = "month"
	fieldQuarter = "quarter"
)

// dateParts are the columns beside the as_of column that give part of its
// date. A 月份 (月) or 季度 column completes a year alone in the as_of
// column (a column of years: 年份 2024 and 月份 6 are 2024-06-30, the end
// of that month; 季度 二季度, of that quarter). Beside a fuller date it
// must agree with it, and the date is read. A column of years beside a
// full date column (年份,截至日期) must agree with the date too, and gives
// it (with the month or quarter) where the date cell is empty.
type dateParts struct {
	year, month, quarter int // column indexes; -1: none
}

// datePartsOf finds the columns of a header (at: each field's column;
// yearAlt: a column of years beside the as_of column, or -1) that give
// part of the as_of date, nil if there are none. A month or quarter with
// no year or date column to complete is a problem.
func datePartsOf(at map[string]int, yearAlt int, rec []string, line int) (*dateParts, []Problem) {
	p := dateParts{year: yearAlt, month: -1, quarter: -1}
	if i, ok := at[fieldMonth]; ok {
		p.month = i
	}
	if i, ok := at[fieldQuarter]; ok {
		p.quarter = i
	}
	if p.year < 0 && p.month < 0 && p.quarter < 0 {
		return nil, nil
	}
	if _, ok := at[fieldAsOf]; ok {
		return &p, nil
	}
	var errs []Problem
	for _, i := range []int{p.month, p.quarter} {
		if i < 0 {
			continue
		}
		field, what, whatEn := fieldMonth, "月份", "the month"
		if i == p.quarter {
			field, what, whatEn = fieldQuarter, "季度", "the quarter"
		}
		errs = append(errs, Problem{Line: line, Column: i + 1, Field: field,
			Zh: fmt.Sprintf("列 %q 只给出%s，没有年份：请增加“年份”列（如 2024），或删去该列，在“截至日期”列填写完整日期（如 2024-06-30）", strings.TrimSpace(rec[i]), what),
			En: fmt.Sprintf("column %q gives %s but not the year: add a 年份 (year) column (such as 2024), or drop it and write the full date in a 截至日期 (as_of) column (such as 2024-06-30)", strings.TrimSpace(rec[i]), whatEn)})
	}
	return nil, errs
}

// yearOnlyRE is a year and nothing finer: 2024年, 2024年度.
var yearOnlyRE = regexp.MustCompile(`^(\d{4})\s*年度?$`)

// yearAlone is the year of an as_of cell that gives a year and nothing
// finer (2024 in a column of years, 2024年, 2024年度).
func yearAlone(cell string, yearsCol bool) (int, bool) {
	s := fold(cell)
	if g := yearOnlyRE.FindStringSubmatch(s); g != nil {
		s = g[1]
	} else if !yearsCol || !isYear(s) {
		return 0, false
	}
	y, _ := decimal(s)
	return y, true
}

// asOfByParts reads the as_of date of a row whose header has dateParts. A
// year alone is completed by the month or quarter cell (the month if both
// are filled): the end of that month or quarter of that year, with the
// checks of any date (a month not yet over is in the future). A fuller
// date is read as it is, and a filled month or quarter cell must agree
// with it. A year alone whose month and quarter cells are empty is
// refused: a clerk who leaves the month of a sheet with a month column
// empty may mean the whole year or may have forgotten it (or merged the
// cell, which Excel saves as empty), and a January–June total taken for
// the year's would be judged as a year's shortfall. 12 or 全年 says the
// whole year. A column of years beside a full date column must agree with
// the date's year, and gives the date where the date cell is empty. A
// zero time means a problem, reported through fail.
func (rp *rowParser) asOfByParts(rec []string, fail func(error, int, string)) time.Time {
	c := rp.cols
	col, years, field := c.asOf, c.asOfYears, fieldAsOf
	if yc := c.parts.year; yc >= 0 && emptyCell(rec[col]) && !emptyCell(rec[yc]) {
		col, years, field = yc, true, fieldYear // the date left empty: the year gives it
	}
	cell := rec[col]
	if years && isYear(fold(cell)) {
		cell = fold(cell) + "年" // a column of years: 2023 is the year 2023
	}
	y, alone := yearAlone(cell, false)
	if c.parts.month < 0 && c.parts.quarter < 0 {
		alone = false // nothing to complete it: a year means its last day
	}
	var d time.Time
	if !alone {
		var err error
		if d, err = rp.asOf(cell); err != nil {
			fail(err, col, field)
			return time.Time{}
		}
		y = d.Year()
	}
	ok := true
	if yc := c.parts.year; yc >= 0 && yc != col && !emptyCell(rec[yc]) {
		switch yy, isYear := yearAlone(rec[yc], true); {
		case !isYear:
			fail(faultf("无法识别的年份 %q：请填写四位年份，如 2024", "cannot read the year %q: write four digits, such as 2024", fold(rec[yc])), yc, fieldYear)
			ok = false
		case yy != y:
			fail(faultf("年份 %q 与截至日期 %q 不一致：请核对后改正其中一个",
				"the year %q does not agree with the as_of date %q: correct whichever is wrong", fold(rec[yc]), fold(rec[col])), yc, fieldYear)
			ok = false
		}
	}
	for _, pt := range [...]struct {
		col     int
		quarter bool
		field   string
	}{{c.parts.month, false, fieldMonth}, {c.parts.quarter, true, fieldQuarter}} {
		if pt.col < 0 || emptyCell(rec[pt.col]) {
			continue
		}
		phrase, m, err := partPhrase(y, rec[pt.col], pt.quarter)
		switch {
		case err != nil:
			fail(err, pt.col, pt.field)
			ok = false
		case alone:
			if d, err = rp.dates.parseAny(phrase); err != nil {
				fail(err, pt.col, pt.field)
				ok = false
				continue
			}
			alone = false // a quarter beside the month is checked against it
		case pt.quarter && (m-1)/3 != (int(d.Month())-1)/3:
			fail(faultf("季度 %q 与截至日期 %s 不一致：请核对后改正其中一个",
				"the quarter %q does not agree with the as_of date %s: correct whichever is wrong", fold(rec[pt.col]), d.Format(time.DateOnly)), pt.col, pt.field)
			ok = false
		case !pt.quarter && m != int(d.Month()):
			fail(faultf("月份 %q 与截至日期 %s 不一致：请核对后改正其中一个",
				"the month %q does not agree with the as_of date %s: correct whichever is wrong", fold(rec[pt.col]), d.Format(time.DateOnly)), pt.col, pt.field)
			ok = false
		}
	}
	switch {
	case !ok:
		return time.Time{}
	case alone && c.parts.month >= 0:
		fail(faultf("月份为空，而 %d 只是年份：请填写数据截至的月份（如 6）；全年的数据填 12 或“全年”",
			"the month is empty and %d is only a year: write the month the value is as of (such as 6); for the whole year write 12 or 全年", y), c.parts.month, fieldMonth)
		return time.Time{}
	case alone:
		fail(faultf("季度为空，而 %d 只是年份：请填写数据截至的季度（如 二季度）；全年的数据填 四季度 或“全年”",
			"the quarter is empty and %d is only a year: write the quarter the value is as of (such as 二季度); for the whole year write 四季度 or 全年", y), c.parts.quarter, fieldQuarter)
		return time.Time{}
	}
	return d
}

// cnNumerals are the numbers a month or quarter is written with in
// Chinese: 六月, 十二月, 二季度.
var cnNumerals = map[string]string{"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
	"七": "7", "八": "8", "九": "9", "十": "10", "十一": "11", "十二": "12"}

// partPhrase reads a 月份 or 季度 cell as a date of year y in a form
// parseAny reads: 6, 06 or 六月 in a month column is 2024年6月, 2 or 二 in
// a quarter column 2024年2季度; a period (6月, 1-6月, 二季度, Q2, 上半年,
// 全年) is taken as written. m is the month the date ends in.
func partPhrase(y int, cell string, quarter bool) (phrase string, m int, err error) {
	s, unit := squash(cell), "月"
	if quarter {
		unit = "季度"
	}
	if n, ok := cnNumerals[strings.TrimSuffix(s, unit)]; ok {
		s = n + unit
	} else if _, digits := decimal(s); digits && len(s) <= 2 {
		s += unit
	}
	phrase = strconv.Itoa(y) + "年" + s
	if _, m, _, _, err = splitDate(phrase); err == nil && m >= 1 && m <= 12 {
		return phrase, m, nil
	}
	if quarter {
		return "", 0, faultf("无法识别的季度 %q：请填写 1–4、二季度、第二季度 或 Q2；前三个季度的累计写“前三季度”，全年写“四季度”或“全年”",
			"cannot read the quarter %q: write 1-4, 二季度, 第二季度 or Q2; the first three quarters as 前三季度, the whole year as 四季度 or 全年", fold(cell))
	}
	return "", 0, faultf("无法识别的月份 %q：请填写数据截至的月份 1–12（如 6 或 6月）；自 1 月起的累计写 1-6月，全年写 12 或“全年”",
		"cannot read the month %q: write the month the value is as of, 1-12 (such as 6 or 6月); a running total from January as 1-6月, the whole year as 12 or 全年", fold(cell))
}
