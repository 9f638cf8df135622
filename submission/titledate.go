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
				if !yearOnly(cand) && !continues(rest[end:]) && (!dayDate(cand) || asOfLabelRE.MatchString(s[:loc[0]])) {
					ds = append(ds, titleDate{text: cand, line: line})
				}
				break
			}
		}
	}
	return ds
}

// asOfLabelRE is what says a day in a title is the data's: 截至, 数据,
// 统计时间：… . An unlabelled day (…完成情况（2023年10月8日）) is more
// often the day the sheet was made, and dates nothing.
var asOfLabelRE = regexp.MustCompile(`(?:截至|截止|至|数据|统计|时点)(?:日期|时间|到)?\s*[:：]?\s*$`)

// dayDate reports a date with its day (2023年10月8日, 2023-10-08).
func dayDate(s string) bool { return dayRE.MatchString(s) || dayDateRE.MatchString(s) }

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
// but in a title (2023年全省…, 2023年度城市建设工作推进情况（第三季度）) the
// year the sheet is about, within which it may give a finer period
// elsewhere. 2023年底 names a moment.
var bareYearRE = regexp.MustCompile(`^\d{4}\s*年度?$`)

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
			return time.Time{}, td, true, &Problem{Line: td.line, Field: fieldAsOf,
				Zh: fmt.Sprintf("表中没有“截至日期”列，第 %d 行标题中的日期 %q 不能作为截至日期：%s", td.line, td.text, zh),
				En: fmt.Sprintf("the sheet has no as_of column and the date %q in the title on line %d cannot serve as one: %s", td.text, td.line, en)}
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
		Zh: fmt.Sprintf("表中没有“截至日期”列，标题中有多个日期（%s），无法确定数据截至哪一天：请增加“截至日期”列，或在标题中只写一个日期", strings.Join(texts, "、")),
		En: fmt.Sprintf("the sheet has no as_of column and its title names several dates (%s): add an as_of column, or name one date in the title", strings.Join(texts, ", "))}
}

// onlyDateMissing reports whether a header's problems are only its missing
// as_of column: a sheet a title may date.
func onlyDateMissing(c columns, errs []Problem) bool {
	return len(errs) == 1 && errs[0].Field == fieldAsOf && errs[0].Column == 0 && c.asOf < 0 && c.parts == nil &&
		c.indicator >= 0 && c.value >= 0 && c.kind == Values
}

// lacksOnlyDate reports a header whose one problem is its missing as_of
// column, of values or of targets: the line to tell as the header when
// none under a title is one (onlyDateMissing's, for values, may be dated
// by the title).
func lacksOnlyDate(c columns, errs []Problem) bool {
	return len(errs) == 1 && errs[0].Field == fieldAsOf && errs[0].Column == 0 && c.asOf < 0 && c.parts == nil &&
		c.indicator >= 0 && c.value >= 0
}

// dateColumn is a column of a table laid out with the dates across
// (指标,2022年,2023年1-9月): its cells are the values as of that date.
type dateColumn struct {
	col    int
	name   string    // the header cell, as written
	text   string    // the date, folded, without a remark: 2023年1-9月
	remark string    // the header's remark (万个 in 2023年（万个）), as written
	at     time.Time // the date, once read (records)
	span   span      // what its cells total: to a moment, the year so far, or the period's own
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
	for _, w := range valueWords {
		if b, cut := strings.CutSuffix(base, w); cut && b != "" {
			base = strings.TrimSpace(b) // 2023年1-9月完成: the date of a column of values
			break
		}
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
	dc := dateColumn{col: col, text: base, name: strings.TrimSpace(cell)}
	dc.span = dateColumnSpan(s, base)
	if remarked {
		dc.remark = remarkOf(cell)
	}
	return dc, true
}

// valueWords end a date header that names its values too (2023年1-9月完成,
// 2025年一季度累计), longest first.
var valueWords = []string{"累计完成值", "实际完成值", "累计完成", "实际完成", "累计值", "累计数", "完成值", "完成数", "实现值",
	"数值", "完成", "实际", "累计"}

// hasDateColumn reports whether a header line has a date column (截至日期,
// 年份, 月份…): its other cells that name a date are then no columns of
// dates across.
func hasDateColumn(rec []string) bool {
	for _, cell := range rec {
		name := normHeader(cell)
		if base, had := withoutRemark(name); had {
			name = base
		}
		if f, _, ok := headerField(name); ok && (f == fieldAsOf || f == fieldMonth || f == fieldQuarter) {
			return true
		}
	}
	return false
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
	case strings.Contains(cell, "截至"), strings.Contains(cell, "截止"),
		strings.HasSuffix(date, "底"), strings.HasSuffix(date, "末"), dayRE.MatchString(date), dayDateRE.MatchString(date):
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
	case ownPeriod(g[1]) && !startsInJanuary(pp):
		sp = spanOwn
	case strings.Contains(pp, "截至"), strings.Contains(pp, "截止"), strings.HasSuffix(pp, "底"), strings.HasSuffix(pp, "末"):
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

func isDigits(s string) bool {
	_, ok := decimal(s)
	return ok && s != ""
}

// estimateRE is a word that marks figures as estimated or forecast.
var estimateRE = regexp.MustCompile(`预计|预测|预估|估计|测算`)

// estimated reports a header cell that would be a value or date column
// but for a word that marks its figures as estimates (完成值（预计）,
// 2023年（预计数）, 2023年1-9月预计, 预计完成值). A column such as
// 预计完成时间 of a milestone's sheet, which is no value, is not one.
func estimated(cell string) bool {
	s := fold(cell)
	if !estimateRE.MatchString(s) {
		return false
	}
	rest := estimateRE.ReplaceAllString(s, "")
	rest = strings.NewReplacer("()", "", "[]", "", "【】", "", "(数)", "", "(值)", "").Replace(rest)
	// 数值（预计）is 数值 once the mark goes; 预计数, 预计值 are 数, 值.
	for _, r := range []string{rest, strings.TrimSuffix(rest, "数"), strings.TrimSuffix(rest, "值")} {
		name := normHeader(r)
		if base, had := withoutRemark(name); had {
			name = base
		}
		if f, _, ok := headerField(name); ok && f == fieldValue {
			return true
		}
	}
	name := normHeader(rest)
	if base, had := withoutRemark(name); had {
		name = base
	}
	if _, ok := dateHeader(0, rest); ok {
		return true
	}
	if rest == "" || rest == "完成" {
		return true // 预计数, 预计完成
	}
	_, _, _, _, ok := periodField(name)
	return ok
}

// besideRE is a word of a column that holds figures beside a table's
// values: a comparison, a plan or target, a rate, a rank.
var besideRE = regexp.MustCompile(`同比|环比|上年|去年|同期|增长|增幅|增速|增减|计划|目标|任务|完成率|进度|比重|占比|排名|位次|差距`)

// besideFigures reports whether a column of a table of dates across holds
// such figures (同比增长, 上年同期, 2023年计划): passed over, where another
// unknown column may be a date not understood, whose values would be lost.
func besideFigures(cell string) bool { return besideRE.MatchString(fold(cell)) }

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

// planWordsRE and doneWordsRE tell a title of targets or plans
// (2021—2023年分年度目标任务, 年度计划安排) from one of results
// (目标任务完成情况, 计划推进情况).
var (
	planWordsRE = regexp.MustCompile(`目标|计划|预期|安排|任务分解`)
	doneWordsRE = regexp.MustCompile(`完成|进展|进度|推进|实际|实现|情况|统计|监测|报送|快报|月报|季报|年报|执行`)
)

// planTitle finds a title line that says its sheet holds targets or
// plans and nothing of results: a sheet of values under it would store
// the targets as what was done (the last year's equal to the target, so
// achieved).
func planTitle(texts []titleDate) (titleDate, bool) {
	for _, td := range texts {
		s := squash(td.text)
		if planWordsRE.MatchString(s) && !doneWordsRE.MatchString(s) || estimateRE.MatchString(s) {
			// 预计完成情况, 预测: estimates, whatever else the title says.
			return td, true
		}
	}
	return titleDate{}, false
}

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
