package submission

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
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
	return lacksOnlyDate(c, errs) && c.kind == Values
}

// lacksOnlyDate reports a header whose one problem is its missing as_of
// column, of values or of targets: the line to tell as the header when
// none under a title is one (onlyDateMissing's, for values, may be dated
// by the title).
func lacksOnlyDate(c columns, errs []Problem) bool {
	return len(errs) == 1 && errs[0].Field == fieldAsOf && errs[0].Column == 0 && c.asOf < 0 && c.parts == nil &&
		c.indicator >= 0 && c.value >= 0
}

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
