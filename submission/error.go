package submission

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxProblems caps the problems an Error keeps. A file with a systematic
// mistake (a wrong date column) would otherwise produce one problem per row
// and a report nobody reads; the rest are counted in Error.Omitted.
const MaxProblems = 100

// Problem is one reason a file, or one of its cells, cannot be accepted (or,
// in File.Warnings, something that was ignored).
type Problem struct {
	// Line is the 1-based physical line of the file, 0 for the whole file.
	Line int
	// Column is the 1-based column (field) number, 0 for the whole line.
	Column int
	// Field is the canonical column name ("indicator", "value", "as_of",
	// "region", "note", "target", "unit"), "" when no column is concerned.
	Field string
	// Zh and En say the same thing, including what to do about it.
	Zh, En string
}

// fieldZh names the canonical columns as the clerks' header does.
var fieldZh = map[string]string{
	fieldIndicator: "指标",
	fieldValue:     "数值",
	fieldTarget:    "目标值",
	fieldAsOf:      "截至日期",
	fieldRegion:    "地区",
	fieldNote:      "备注",
	fieldUnit:      "单位",
	fieldYear:      "年份",
	fieldMonth:     "月份",
	fieldQuarter:   "季度",
}

// zhPrefix and enPrefix render the position of a problem.
func (p Problem) zhPrefix() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "第 %d 行", p.Line)
	}
	if p.Column > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "第 %d 列", p.Column)
	}
	if p.Field != "" {
		zh, ok := fieldZh[p.Field]
		if !ok {
			zh = p.Field
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "(%s)", zh)
	}
	if b.Len() == 0 {
		return ""
	}
	return b.String() + ": "
}

func (p Problem) enPrefix() string {
	var parts []string
	if p.Line > 0 {
		parts = append(parts, fmt.Sprintf("line %d", p.Line))
	}
	if p.Column > 0 {
		parts = append(parts, fmt.Sprintf("column %d", p.Column))
	}
	s := strings.Join(parts, ", ")
	if p.Field != "" {
		if s != "" {
			s += " "
		}
		s += "(" + p.Field + ")"
	}
	if s == "" {
		return ""
	}
	return s + ": "
}

// English renders the problem in English only, for logs.
func (p Problem) English() string { return p.enPrefix() + p.En }

// String renders the problem as one report line, Chinese then English.
func (p Problem) String() string {
	return p.zhPrefix() + p.Zh + " / " + p.enPrefix() + p.En
}

// Error rejects a whole file: it lists every problem found (up to
// MaxProblems), not only the first, so a clerk can fix the file in one go.
// No row of a rejected file may be stored.
type Error struct {
	File       string
	Department string
	// Encoding is the encoding the file was read as ("" if it was rejected
	// before decoding). It helps when garbled text is the real problem.
	Encoding string
	Problems []Problem
	// Omitted counts problems found beyond the first MaxProblems.
	Omitted int
}

// Total is the number of problems found, listed or not.
func (e *Error) Total() int { return len(e.Problems) + e.Omitted }

// errorListed is how many problems Error() spells out; the report has them
// all, a log line should stay a line.
const errorListed = 3

// Error renders the file name and the first few problems in English.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "submission %q rejected with %d problem(s)", e.File, e.Total())
	for i, p := range e.Problems {
		if i == errorListed {
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.English())
	}
	if more := e.Total() - min(len(e.Problems), errorListed); more > 0 {
		fmt.Fprintf(&b, "; and %d more", more)
	}
	return b.String()
}

// Report renders the text saved beside a rejected file as
// <name>.report.txt: a short header, then one line per problem.
//
// It starts with a UTF-8 byte order mark and uses CRLF line ends because the
// clerks open it with Notepad on Chinese Windows, which without a BOM may
// guess GBK and show the Chinese as mojibake.
func (e *Error) Report() string {
	var b strings.Builder
	line := func(format string, a ...any) {
		fmt.Fprintf(&b, format, a...)
		b.WriteString("\r\n")
	}
	b.WriteString("\ufeff")
	line("文件 / file: %s", DisplayName(e.File))
	line("部门 / department: %s", e.Department)
	if e.Encoding != "" {
		line("编码 / encoding: %s", e.Encoding)
	}
	line("结果 / result: 已拒收，发现 %d 个问题，本文件的数据均未入库；请修改后重新投递整个文件。"+
		" / rejected: %d problem(s) found, no row of this file was stored; fix them and drop the whole file again.",
		e.Total(), e.Total())
	line("")
	for _, p := range e.Problems {
		line("%s", p.String())
	}
	if e.Omitted > 0 {
		line("另有 %d 个问题未列出。 / and %d more problem(s) not listed.", e.Omitted, e.Omitted)
	}
	return b.String()
}

// DisplayName is a name (of a file, a header cell, an indicator or region
// of the plan) as a report line may show it: as is, or quoted with Go
// escapes if it holds control characters or bytes that are not UTF-8, so
// that no name can break a report line or start a new one.
func DisplayName(name string) string {
	for _, r := range name {
		if unicode.IsControl(r) {
			return strconv.Quote(name)
		}
	}
	if !utf8.ValidString(name) {
		return strconv.Quote(name)
	}
	return name
}

// problems collects the problems of one file, keeping the first
// MaxProblems and counting the rest.
type problems struct {
	list    []Problem
	omitted int
}

func (ps *problems) add(p Problem) {
	for i := len(ps.list) - 1; i >= 0 && ps.list[i].Line == p.Line; i-- {
		if ps.list[i] == p {
			return // the same cell found twice on a line (a date the cities across share)
		}
	}
	if len(ps.list) < MaxProblems {
		ps.list = append(ps.list, p)
		return
	}
	ps.omitted++
}

func (ps *problems) empty() bool { return len(ps.list) == 0 && ps.omitted == 0 }

// full reports whether further problems would only be counted.
func (ps *problems) full() bool { return len(ps.list) >= MaxProblems }

// fault is a problem whose position is not known yet: the cell parsers
// return it and the row parser places it.
type fault struct{ zh, en string }

func (f *fault) Error() string { return f.en }

func faultf(zh, en string, a ...any) *fault {
	// Both formats take the same arguments in the same order.
	return &fault{zh: fmt.Sprintf(zh, a...), en: fmt.Sprintf(en, a...)}
}

// at places a fault.
func at(err error, line, column int, field string) Problem {
	if f, ok := err.(*fault); ok {
		return Problem{Line: line, Column: column, Field: field, Zh: f.zh, En: f.en}
	}
	return Problem{Line: line, Column: column, Field: field, Zh: err.Error(), En: err.Error()}
}
