package submission

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shandong/indicator_exporter/indicators"
)

// titleDate is a date a title line above the header names, for a sheet
// without a date column: 2023年1-9月全省…完成情况, …进展表（截至2023年9月底）.
// Offices date a whole sheet so far more often than they give it a
// column.
type titleDate struct {
	text string // the expression, folded: 2023年1-9月
	line int
	col  int // 1-based column of a header cell that names it (2023年1-9月完成); 0: a title
}

// where says where the date was found, in Chinese and English.
func (td titleDate) where() (zh, en string) {
	if td.col > 0 {
		return fmt.Sprintf("第 %d 行第 %d 列表头", td.line, td.col), fmt.Sprintf("the header on line %d, column %d", td.line, td.col)
	}
	return fmt.Sprintf("第 %d 行标题", td.line), fmt.Sprintf("the title on line %d", td.line)
}

// titleYearRE finds where a date may start in a title: a year with 年, or
// a numeric date (2023-09-30, 2023/9/30).
var titleYearRE = regexp.MustCompile(`\d{4}\s*年|\d{4}[-/]\d`)

// notAsOfRE is what comes before a date in a title that is not the data's
// date: the day the sheet was filled in, sent or printed.
var notAsOfRE = regexp.MustCompile(`(?:填报|填表|报送|上报|制表|打印|报出)(?:日期|时间)?\s*[:：]?\s*$`)

// maxDateBytes bounds the expressions tried from a year on (2023年1月-9月
// 累计 is 20 bytes; 2023年9月30日（星期六）31).
const maxDateBytes = 40

// titleDates adds the dates the cells of one title line name to ds. Of
// the text from each year on, the longest expression that reads as a date
// is taken (2023年1-9月 of 2023年1-9月全省…). A year alone (2023年全省…)
// says nothing of the date within it and is passed over, as is a date
// that goes on in a way it does not read (continues) or is preceded by
// 填报日期 and the like.
func titleDates(ds []titleDate, rec []string, line int) []titleDate {
	for _, cell := range rec {
		s := fold(cell)
		for _, loc := range titleYearRE.FindAllStringIndex(s, -1) {
			if notAsOfRE.MatchString(s[:loc[0]]) {
				continue
			}
			rest := s[loc[0]:]
			for end := min(len(rest), maxDateBytes); end > loc[1]-loc[0]; end-- {
				if end < len(rest) && !utf8.RuneStart(rest[end]) {
					continue
				}
				cand := strings.TrimSpace(rest[:end])
				if !isDateExpression(cand) {
					continue
				}
				if !yearOnly(cand) && !continues(rest[end:]) {
					ds = append(ds, titleDate{text: cand, line: line})
				}
				break
			}
		}
	}
	return ds
}

// continues reports whether what follows a date in a title goes on with
// it in a way the date does not read: 前 (2023年底前完成: a deadline), or a
// finer period (2023年度第三季度 is not the year's end). Such a title dates
// nothing rather than the wrong day.
func continues(after string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(after, " _"))
	return strings.ContainsRune("前第一二三四上下季月0123456789-~至到—", r)
}

// isDateExpression reports whether s has the shape of a date cell:
// readable, or refused for what it says (4-6月, 下半年), not for being no
// date at all.
func isDateExpression(s string) bool {
	_, _, _, _, err := splitDate(periodWords(s))
	if err == nil {
		return true
	}
	var f *fault
	return errors.As(err, &f) && !strings.HasPrefix(f.zh, "无法识别的日期")
}

// bareYearRE is a year without a period: the end of that year as a cell,
// but in a title (2023年全省…) the year the sheet is about. 2023年度 is
// the whole year.
var bareYearRE = regexp.MustCompile(`^\d{4}\s*年$`)

func yearOnly(s string) bool { return bareYearRE.MatchString(s) }

// sheetDate is the date the title lines give a sheet without a date
// column: the one date they name. Several different ones (2023年1-9月 …
// 截至2023年6月底) leave it unknown, a problem at the first title line.
// ok is false when the titles name none.
func (p *parser) sheetDate(ds []titleDate, rule dateRule) (d time.Time, from titleDate, ok bool, prob *Problem) {
	var dates []time.Time
	var texts []string
	for _, td := range ds {
		t, err := rule.parseAny(td.text)
		if err != nil {
			var f *fault
			zh, en := err.Error(), err.Error()
			if errors.As(err, &f) {
				zh, en = f.zh, f.en
			}
			wzh, wen := td.where()
			return time.Time{}, td, true, &Problem{Line: td.line, Column: td.col, Field: fieldAsOf,
				Zh: fmt.Sprintf("表中没有“截至日期”列，%s中的日期 %q 不能作为截至日期：%s", wzh, td.text, zh),
				En: fmt.Sprintf("the sheet has no as_of column and the date %q in %s cannot serve as one: %s", td.text, wen, en)}
		}
		if len(dates) == 0 || !t.Equal(dates[0]) {
			if len(dates) == 0 {
				from = td
			}
			dates = append(dates, t)
			texts = append(texts, td.text)
		}
	}
	switch len(dates) {
	case 0:
		return time.Time{}, titleDate{}, false, nil
	case 1:
		return dates[0], from, true, nil
	}
	return time.Time{}, from, true, &Problem{Line: from.line, Field: fieldAsOf,
		Zh: fmt.Sprintf("表中没有“截至日期”列，标题和表头中有多个日期（%s），无法确定数据截至哪一天：请增加“截至日期”列，或只写一个日期", strings.Join(texts, "、")),
		En: fmt.Sprintf("the sheet has no as_of column and its title and header name several dates (%s): add an as_of column, or name one date", strings.Join(texts, ", "))}
}

// onlyDateMissing reports whether a header's problems are only its missing
// as_of column: a sheet a title may date.
func onlyDateMissing(c columns, errs []Problem) bool {
	return len(errs) == 1 && errs[0].Field == fieldAsOf && errs[0].Column == 0 && c.asOf < 0 && c.parts == nil &&
		c.indicator >= 0 && c.value >= 0 && c.kind == Values
}

// dateColumn is a column of a table laid out with the dates across
// (指标,2022年,2023年1-9月): its cells are the values as of that date.
type dateColumn struct {
	col    int
	name   string    // the header cell, as written
	text   string    // the date, folded, without a remark: 2023年1-9月
	remark string    // the header's remark (万个 in 2023年（万个）), as written
	at     time.Time // the date, once read (records)
	total  bool      // the header says its cells are running totals (截至2022年底累计)
	units  []string
	titled bool
}

// fourDigitRE is a header cell of four digits: a year, in a header (a
// yearbook's 2021,2022,…), where a data cell of four digits is a number.
var fourDigitRE = regexp.MustCompile(`^(\d{4})$`)

// dateHeader reads a header cell that is a date (2022年, 2023年1-9月,
// 2023年9月底, 2023-09-30, 2023年（万个）): the column of a table with the
// dates across. A bare year means its end, as in a column of years.
func dateHeader(col int, cell string) (dateColumn, bool) {
	s := fold(cell)
	base, remarked := withoutRemark(s)
	if !remarked {
		base = s
	}
	if g := fourDigitRE.FindStringSubmatch(base); g != nil {
		if y, _ := decimal(g[1]); y < earliestYear || y > latestYear {
			return dateColumn{}, false
		}
		base += "年"
	}
	if !isDateExpression(base) {
		return dateColumn{}, false
	}
	dc := dateColumn{col: col, text: base, name: strings.TrimSpace(cell), total: strings.Contains(s, "累计")}
	if remarked {
		dc.remark = remarkOf(cell)
	}
	return dc, true
}

// hasDatePart reports whether a header has a 月份 or 季度 column.
func hasDatePart(at map[string]int) bool {
	_, month := at[fieldMonth]
	_, quarter := at[fieldQuarter]
	return month || quarter
}

// readDatesAcross reads the dates of a table with the dates across, and
// the unit each column's remark (or else the title) names. Problems are
// said at the header's column.
func (p *parser) readDatesAcross(cols []dateColumn, rule dateRule, bases map[string]bool, titled []string, line int) {
	for i, dc := range cols {
		d, err := rule.parseAny(dc.text)
		if err != nil {
			zh, en := err.Error(), err.Error()
			var f *fault
			if errors.As(err, &f) {
				zh, en = f.zh, f.en
			}
			p.ps.add(Problem{Line: line, Column: dc.col + 1, Field: fieldAsOf,
				Zh: fmt.Sprintf("列 %q 的时间不能作为截至日期：%s", dc.name, zh),
				En: fmt.Sprintf("the date of column %q cannot serve as an as_of date: %s", dc.name, en)})
			continue
		}
		for _, o := range cols[:i] {
			if o.at.Equal(d) {
				p.ps.add(Problem{Line: line, Column: dc.col + 1, Field: fieldAsOf,
					Zh: fmt.Sprintf("列 %q 与第 %d 列 %q 是同一天（%s）：每个日期只能有一列", dc.name, o.col+1, o.name, d.Format(time.DateOnly)),
					En: fmt.Sprintf("column %q is the same day as column %d %q (%s): give each date one column", dc.name, o.col+1, o.name, d.Format(time.DateOnly))})
			}
		}
		cols[i].at = d
		if cols[i].units = p.declaredUnits(dc.remark, bases, line, dc.col+1, fieldValue); len(cols[i].units) == 0 {
			cols[i].units, cols[i].titled = titled, len(titled) > 0
		}
	}
}

// spansFromStart is the problem of an indicator judged on its running
// total (an increment since the plan's start, not restarting each year)
// in a table of dates across whose columns do not say they are totals: a
// yearbook's columns (2021年,2022年) hold each year's own figure, which
// would be read as the total so far.
func spansFromStart(t *indicators.Target, cols []dateColumn) bool {
	if t == nil || t.Kind == indicators.Milestone || t.Measure != indicators.Increment || t.Period == indicators.Annual {
		return false
	}
	for _, dc := range cols {
		if !dc.total {
			return true
		}
	}
	return false
}

// periodHeaderRE is a value (or target) column's header that starts with
// the period its figures cover: 1-9月完成, 2023年1-9月累计, 前三季度完成值,
// 截至9月底累计完成, 2023年目标 (normHeader's form: - and spaces are _).
// The period goes with the year (which dates a sheet without a date
// column) or without it (which says nothing the date column does not).
var periodHeaderRE = regexp.MustCompile(`^((?:\d{4}_?年度?_?)?(?:(?:截至|截止)_?)?(?:\d{1,2}_?(?:_|~|至|到|—|–|―)_?\d{1,2}_?月份?|\d{1,2}_?月(?:份|末|底)?|前[两二三23]个?季度|第?[一二三四1-4]_?季度末?|[上下]半年|全年)?|本年度?|今年|年初至今)_?(.+)$`)

// periodField reads a header named by the period its figures cover and a
// value or target name (1-9月累计 is 累计): the field, that name, the
// period when it has a year (2023年1-9月 of 2023年1-9月完成; "" otherwise),
// the month the period ends in (periodMonth), and whether the figures are the period's own (9月完成, 4-6月完成,
// 三季度完成, 下半年完成: read as a 本期值 column) rather than a running
// total or a level at its end (1-9月, 前三季度, 上半年, 9月底, 截至…).
func periodField(name string) (field, rest, period string, month int, own, ok bool) {
	g := periodHeaderRE.FindStringSubmatch(name)
	if g == nil || g[1] == "" {
		return "", "", "", 0, false, false
	}
	f, _, ok := headerField(g[2])
	if !ok || (f != fieldValue && f != fieldTarget) {
		return "", "", "", 0, false, false
	}
	p := strings.ReplaceAll(strings.Trim(g[1], "_"), "_", "-")
	if len(p) >= 4 && isDigits(p[:4]) && !yearOnly(p) && isDateExpression(p) {
		period = p
	}
	return f, g[2], period, periodMonth(g[1]), ownPeriod(g[1]), true
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
	ownPeriodRE = regexp.MustCompile(`(?:^|年度?_?)(?:\d{1,2}_?月份?$|第?[一二三四1-4]_?季度$|下半年$)`)
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

func isDigits(s string) bool {
	_, ok := decimal(s)
	return ok && s != ""
}
