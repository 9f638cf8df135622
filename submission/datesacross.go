package submission

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

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

// besideRE is a word of a column that holds figures beside a table's
// values: a comparison, a plan or target, a rate, a rank.
var besideRE = regexp.MustCompile(`同比|环比|上年|去年|同期|增长|增幅|增速|增减|计划|目标|任务|完成率|进度|比重|占比|排名|位次|差距`)

// besideFigures reports whether a column of a table of dates across holds
// such figures (同比增长, 上年同期, 2023年计划): passed over, where another
// unknown column may be a date not understood, whose values would be lost.
func besideFigures(cell string) bool { return besideRE.MatchString(fold(cell)) }
