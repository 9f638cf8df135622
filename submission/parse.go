// Package submission reads the CSV files department clerks drop into their
// inbox and turns one file into validated rows, or into a bilingual list of
// every problem found in it.
//
// It is pure: no file system, no clock (now is passed in), no logging. A
// file is all or nothing: if any row has a problem, Parse returns *Error and
// no row of the file may be stored, so a half-corrected file never leaves a
// half-updated series behind.
package submission

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shandong/indicator_exporter/indicators"
)

// Limits bound the work one file can cause. Zero fields take the default.
type Limits struct {
	// MaxBytes is the largest file accepted, checked before parsing.
	MaxBytes int64
	// MaxRows is the most data rows (not counting the header and blank
	// lines) accepted.
	MaxRows int
}

// Default limits: far above a province's yearly reporting, far below what
// would strain the 2-core host.
const (
	DefaultMaxBytes = 32 << 20
	DefaultMaxRows  = 200_000
)

// DefaultLimits returns the default limits.
func DefaultLimits() Limits { return Limits{MaxBytes: DefaultMaxBytes, MaxRows: DefaultMaxRows} }

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	return l
}

// File is an accepted drop file.
type File struct {
	Kind     Kind
	Encoding string
	Rows     []Row
	// Warnings are things that were ignored, such as unknown columns.
	Warnings []Problem
}

// Row is one validated row. In a Targets file Value is the revised target.
type Row struct {
	// Line is the 1-based physical line the row starts on.
	Line int
	// Indicator is the resolved indicator id.
	Indicator string
	// Region is the resolved region id; the province when left empty.
	Region string
	// AsOf is 00:00 of the row's date in the plan's location.
	AsOf time.Time
	// Value is in the indicator's unit: "66.5%" of a % indicator is
	// 66.5, "18万" of one in 万人 is 18. Milestones are 1 (done) or 0.
	Value float64
	// Raw is the value cell as written.
	Raw  string
	Note string
}

// Parse reads one drop file of department dept; name is only used in
// messages. Any problem with the file is reported as *Error, listing every
// problem found; File and error are never both non-nil. Other errors mean
// a caller mistake (a nil plan).
func Parse(name string, data []byte, plan *indicators.Plan, dept string, now time.Time, lim Limits) (*File, error) {
	if plan == nil {
		return nil, errors.New("submission: nil plan")
	}
	lim = lim.withDefaults()
	p := &parser{plan: plan, dept: dept, now: now, loc: plan.Location, lim: lim}
	if p.loc == nil {
		p.loc = time.UTC
	}
	f := p.parse(data)
	if !p.ps.empty() {
		return nil, &Error{File: name, Department: dept, Encoding: p.encoding, Problems: p.ps.list, Omitted: p.ps.omitted}
	}
	return f, nil
}

// parser holds the state of one Parse call.
type parser struct {
	plan     *indicators.Plan
	dept     string
	now      time.Time
	loc      *time.Location
	lim      Limits
	encoding string
	ps       problems
	emitErr  error // the sink failed (not a problem of the file)
	kind     Kind  // of the file being read, once its header is
	keys     Keys  // finds the keys named twice; nil: the parser's own seenKeys
}

func (p *parser) fileProblem(err error) { p.ps.add(at(err, 0, 0, "")) }

func (p *parser) parse(data []byte) *File {
	if int64(len(data)) > p.lim.MaxBytes {
		p.fileProblem(faultf("文件大小 %d 字节，超过上限 %d 字节：请拆分成几个文件分别投递",
			"the file is %d bytes, more than the limit of %d: split it into several files", len(data), p.lim.MaxBytes))
		return nil
	}
	if _, ok := p.plan.Department(p.dept); !ok {
		p.fileProblem(faultf("未知部门 %q：收件箱文件夹名不是规划中的部门编号，请联系管理员",
			"unknown department %q: the inbox folder is not a department id of the plan; contact the administrator", p.dept))
		return nil
	}
	if err := sniffBinary(data); err != nil {
		p.fileProblem(err)
		return nil
	}
	text, enc, err := decode(data)
	p.encoding = enc
	if err != nil {
		p.fileProblem(err)
		return nil
	}
	if strings.TrimSpace(text) == "" {
		p.fileProblem(faultf("文件是空的：第一行应为表头，例如：指标,数值,截至日期",
			"the file is empty: the first line must be a header such as: indicator,value,as_of"))
		return nil
	}
	delim := delimiter(text)
	if checkText(text, enc, delim, &p.ps); !p.ps.empty() {
		return nil
	}
	var rows []Row
	f := p.records(strings.NewReader(text), delim, enc, func(r Row) error { rows = append(rows, r); return nil })
	if f != nil {
		f.Rows = rows
	}
	return f
}

// records reads the header and the data rows from src (decoded text),
// passing each valid row to emit while the file has no problem so far. It
// returns the file without its rows, or nil when there are problems (or
// emit failed: see p.emitErr).
func (p *parser) records(src io.Reader, delim rune, enc string, emit func(Row) error) *File {
	// TrimLeadingSpace would eat empty fields of a tab-separated file.
	r := newRecordReader(src, delim, delim == ',')

	hdr, err := r.Read()
	if err != nil {
		if err == io.EOF {
			p.fileProblem(faultf("文件是空的：第一行应为表头，例如：指标,数值,截至日期",
				"the file is empty: the first line must be a header such as: indicator,value,as_of"))
		} else if !errors.Is(err, errStop) {
			p.csvProblem(err)
		}
		return nil
	}
	hdrLine := r.Line(0)
	cols, errs, warns := parseHeaderFor(hdr, hdrLine, p.headerRegion)
	// Units the lines above the header name (单位：万户), or a cell of the
	// header line itself that is no column (指标,数值,截至日期,单位：万户).
	var titles []titleUnit
	var dates []titleDate // the dates title lines name, for a sheet without a date column
	var texts []titleDate // the title lines, whole
	if len(errs) > 0 {
		titles = titleUnits(titles, hdr, hdrLine) // a title line: all of it
		if !onlyDateMissing(cols, errs) {
			dates = titleDates(dates, hdr, hdrLine)
			texts = append(texts, titleDate{text: strings.Join(hdr, " "), line: hdrLine})
		}
	} else {
		titles = titleUnits(titles, notColumns(hdr), hdrLine)
	}
	if len(errs) > 0 {
		wide := p.wideHeader(hdr, cols, hdrLine) // before hdr is read over
		cols, errs, warns, hdrLine = findHeader(r, slices.Clone(hdr), cols, errs, warns, hdrLine, p.headerRegion,
			func(rec []string, line int, header bool) {
				titles = titleUnits(titles, rec, line)
				if !header {
					dates = titleDates(dates, rec, line)
					texts = append(texts, titleDate{text: strings.Join(rec, " "), line: line})
				}
			},
			func(c columns, e []Problem) bool { return onlyDateMissing(c, e) && len(dates) > 0 })
		if len(errs) > 0 && wide != nil {
			errs = []Problem{*wide}
		}
	}
	for _, e := range errs {
		p.ps.add(e)
	}
	if !p.ps.empty() {
		return nil
	}
	if cols.kind == Values {
		if td, ok := planTitle(texts); ok {
			p.ps.add(Problem{Line: td.line,
				Zh: fmt.Sprintf("第 %d 行标题“%s”表明这是目标、计划或预计（预测）的表，不是实际完成情况：上报进度请投递实际完成情况表；调整目标值由统筹协调部门用含“目标值”列的文件投递", td.line, strings.TrimSpace(td.text)),
				En: fmt.Sprintf("the title on line %d (%q) says this is a table of targets, plans or estimates, not of what was done: report progress in a sheet of actual results; targets are revised by the coordinating department in a file with a 目标值 column", td.line, strings.TrimSpace(td.text))})
			return nil
		}
	}
	dateRule := newDateRule(p.now, p.loc, cols.kind == Targets)
	if cols.asOf < 0 && cols.parts == nil && len(cols.datesAcross) == 0 {
		// No date column, and a title above dates the sheet.
		d, from, ok, prob := p.sheetDate(dates, dateRule)
		switch {
		case prob != nil:
			p.ps.add(*prob)
			return nil
		case !ok: // findHeader accepts no such header without a date
			p.fileProblem(faultf("表中没有“截至日期”列", "the sheet has no as_of column"))
			return nil
		}
		cols.sheetAsOf = d

		warns = append(warns, Problem{Line: from.line, Field: fieldAsOf,
			Zh: fmt.Sprintf("表中没有“截至日期”列：各行的截至日期取自第 %d 行标题中的“%s”，即 %s", from.line, from.text, d.Format(time.DateOnly)),
			En: fmt.Sprintf("the sheet has no as_of column: every row is as of %s, from %q in the title on line %d", d.Format(time.DateOnly), from.text, from.line)})
	}
	if cols.kind == Targets && !p.plan.MayReviseTargets(p.dept) {
		// One reason for the whole file rather than one per row.
		p.ps.add(Problem{Line: hdrLine, Column: cols.value + 1, Field: fieldTarget,
			Zh: fmt.Sprintf("无权修改目标值：只有统筹协调部门（%s）可以通过投递文件修改目标值，部门 %s 不能；上报进度请用“数值”列", p.plan.Coordinator, p.dept),
			En: fmt.Sprintf("not authorised to revise targets: only the coordinating department (%s) may revise targets through drops, department %s may not; report progress with a value column", p.plan.Coordinator, p.dept)})
		return nil
	}

	// The unit the header declares, read once for the file (and for each
	// region column across) now that the plan's units are at hand; where
	// the header names none, the one a title above it names (单位：万户).
	bases := planUnitBases(p.plan)
	// Every unit the title lines name (金额单位：万元；面积单位：万平方米):
	// each row takes the one its indicator is in (inFileUnit).
	var titled []string
	titleLine := 0
	for _, tu := range titles {
		for _, u := range p.declaredUnits(tu.text, bases, tu.line, 0, "") {
			if !slices.Contains(titled, u) {
				titled = append(titled, u)
			}
			if titleLine == 0 {
				titleLine = tu.line
			}
		}
	}
	usedTitle := false
	cols.units = p.declaredUnits(cols.unitRemark, bases, hdrLine, cols.value+1, cols.valueField)
	if len(cols.units) == 0 {
		cols.units, usedTitle = titled, len(titled) > 0
		cols.titled = usedTitle
	}
	if cols.valueAlt >= 0 {
		if cols.altUnits = p.declaredUnits(cols.altRemark, bases, hdrLine, cols.valueAlt+1, cols.valueField); len(cols.altUnits) == 0 {
			cols.altUnits, cols.altTitled = titled, len(titled) > 0
		}
	}
	for i, rc := range cols.across {
		if cols.across[i].units = p.declaredUnits(rc.remark, bases, hdrLine, rc.col+1, fieldValue); len(cols.across[i].units) == 0 {
			cols.across[i].units, cols.across[i].titled = titled, len(titled) > 0
		}
	}
	p.readDatesAcross(cols.datesAcross, dateRule, bases, titled, hdrLine)
	if !p.ps.empty() {
		return nil
	}
	if usedTitle {
		// Said, since the clerk may not know the line counts.
		warns = append(warns, Problem{Line: titleLine,
			Zh: fmt.Sprintf("数值按第 %d 行写明的单位 %s 换算", titleLine, strings.Join(titled, "、")),
			En: fmt.Sprintf("values are converted from the unit line %d names: %s", titleLine, strings.Join(titled, ", "))})
	}
	rp := rowParser{parser: p, cols: cols, dates: dateRule, unitBases: bases,
		seen: newSeenKeys(len(p.plan.Regions)), regions: map[string]planRegion{},
		indicatorCells: map[string]indicatorCell{}, regionCells: map[string]regionCell{}, unitCells: map[string]unitCellOf{},
		cellUnitsSeen: map[string]bool{}}
	for i, reg := range p.plan.Regions {
		rp.regions[reg.ID] = planRegion{reg.Level, i}
		if reg.Level == indicators.ProvinceLevel {
			rp.province.id = reg.ID
			rp.province.short = strings.TrimSuffix(strings.TrimSuffix(reg.Name, "省"), "市") // 山东
		}
	}
	p.kind = cols.kind
	f := &File{Kind: cols.kind, Encoding: enc, Warnings: warns}
	count := 0
	var notDataLines []int
	var datedOnly []int         // rows with a date and no value: skipped, and said so
	var notes []titleUnit       // units the note lines (注：单位为万户) name
	totalCols := map[int]bool{} // across: total columns of each-city indicators, skipped
	var bd breakdowns           // city figures of province-wide indicators, skipped
	emitted := 0                // across: rows read from the cells
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, errStop) {
				break // the line checker already said why
			}
			p.csvProblem(err)
			continue
		}
		rp.fields = len(rec)
		rec = fitWidth(rec, cols.width)
		rp.fromAlt = false
		if a := cols.indicatorAlt; a >= 0 && len(rec) == cols.width && emptyCell(rec[cols.indicator]) && !emptyCell(rec[a]) {
			rec[cols.indicator], rp.fromAlt = rec[a], true
		}
		if blank(rec) {
			continue
		}
		line := r.Line(0)
		if c := cols.unit; c >= 0 && c < len(rec) && !emptyCell(rec[c]) && !dittoMarks[squash(rec[c])] {
			rp.lastUnit = rec[c] // also of rows skipped below: 同上 means the line above
		}
		var ind indicatorCell // the row's indicator, looked up once for the checks before the row's own reading
		if len(rec) == cols.width {
			ind = rp.indicator(rec[cols.indicator])
		}
		t := ind.target
		if len(rec) == cols.width && (notData(rec, ind, cols.region) ||
			cols.region >= 0 && ind.eachCity && rec[cols.region] != rp.province.lastCity && rp.provinceRowOfCities(rec[cols.region])) {
			notDataLines = append(notDataLines, line)
			notes = titleUnits(notes, rec, line) // checked once every row is read
			continue
		}
		if skip, dated := unfilled(rec, &cols); skip {
			if dated {
				datedOnly = append(datedOnly, line)
			}
			continue
		}
		if count++; count > p.lim.MaxRows {
			p.ps.add(Problem{Line: line,
				Zh: fmt.Sprintf("数据超过 %d 行：请拆分成几个文件分别投递", p.lim.MaxRows),
				En: fmt.Sprintf("more than %d data rows: split the file into several files", p.lim.MaxRows)})
			break
		}
		if len(rec) != cols.width {
			p.ps.add(Problem{Line: line,
				Zh: fmt.Sprintf("这一行有 %d 列，表头有 %d 列：含逗号的内容（如 180,000）要用双引号括起来，或去掉逗号", len(rec), cols.width),
				En: fmt.Sprintf("the line has %d fields but the header has %d: quote cells that contain a comma (such as 180,000) or drop the comma", len(rec), cols.width)})
			continue
		}
		if len(cols.across) > 0 {
			// Regions across: one row a filled region cell, read as the
			// value column with that region.
			for _, rc := range cols.across {
				if noFigure(rec[rc.col]) {
					continue // a region without data
				}
				if t := rp.indicator(rec[cols.indicator]).target; t != nil && t.Scope == indicators.EachCity && rp.regions[rc.region].level != indicators.CityLevel {
					// The cities' total: computed here, as a total row is,
					// and said so once for the column.
					totalCols[rc.col] = true
					continue
				} else if t != nil && t.Scope != indicators.EachCity && rp.regions[rc.region].level == indicators.CityLevel &&
					provinceCell(rec, cols.across, rp.regions) {
					bd.add(t, line) // a province-wide indicator's city figure beside its province's
					continue
				}
				rp.cols.value, rp.cols.units, rp.cols.titled, rp.forcedRegion = rc.col, rc.units, rc.titled, rc.region
				row, ok := rp.row(rec, r)
				rp.cols.value, rp.cols.units, rp.cols.titled, rp.forcedRegion = cols.value, cols.units, cols.titled, ""
				if ok && p.ps.empty() {
					emitted++
					if err := emit(row); err != nil {
						p.emitErr = err
						return nil
					}
				}
			}
			continue
		}
		if len(cols.datesAcross) > 0 {
			// Dates across: one row a filled date cell, read as the value
			// column with that date.
			if t := rp.indicator(rec[cols.indicator]).target; t != nil {
				// Each column must add up what the indicator is judged on
				// (a yearbook's years, months or quarters are each
				// period's own figure): said once for the row.
				refused := false
				for _, dc := range cols.datesAcross {
					if noFigure(rec[dc.col]) {
						continue
					}
					if f := wrongSpan(t, dc.span, dc.at); f != nil {
						p.ps.add(Problem{Line: line, Column: dc.col + 1, Field: fieldValue, Zh: f.zh, En: f.en})
						refused = true
						break
					}
				}
				if refused {
					continue
				}
			}
			for _, dc := range cols.datesAcross {
				if noFigure(rec[dc.col]) {
					continue // a date without data
				}
				rp.cols.value, rp.cols.units, rp.cols.titled, rp.forcedAsOf = dc.col, dc.units, dc.titled, dc.at
				row, ok := rp.row(rec, r)
				rp.cols.value, rp.cols.units, rp.cols.titled, rp.forcedAsOf = cols.value, cols.units, cols.titled, time.Time{}
				if ok && p.ps.empty() {
					if err := emit(row); err != nil {
						p.emitErr = err
						return nil
					}
				}
			}
			continue
		}
		if cols.region >= 0 && t != nil && !ind.eachCity {
			if reg, err := rp.regionOf(rec[cols.region]); err == nil && bd.skip(t, reg.level, line) {
				continue // a province-wide indicator's city figure, under its province's
			}
		}
		if row, ok := rp.row(rec, r); ok && p.ps.empty() {
			if err := emit(row); err != nil {
				p.emitErr = err
				return nil
			}
		}
	}
	rp.footnoteUnits(notes)
	bd.report(f)
	if len(datedOnly) > 0 {
		f.Warnings = append(f.Warnings, Problem{Line: datedOnly[0],
			Zh: fmt.Sprintf("第 %s 行只填了截至日期，没有数值，已跳过；如有数据漏填，请补上数值后重新投递", lineList(datedOnly)),
			En: fmt.Sprintf("line %s has a date but no value and was skipped; if a value was left out, fill it in and drop the file again", lineList(datedOnly))})
	}
	if len(notDataLines) > 0 {
		f.Warnings = append(f.Warnings, Problem{Line: notDataLines[0],
			Zh: fmt.Sprintf("合计、注释和签字栏不是指标数据，已忽略（第 %s 行；各市的合计由系统计算）", lineList(notDataLines)),
			En: fmt.Sprintf("totals, notes and signature lines are not indicator data and were ignored (line %s; totals over the cities are computed)", lineList(notDataLines))})
	}
	for _, rc := range cols.across {
		if totalCols[rc.col] {
			f.Warnings = append(f.Warnings, Problem{Line: hdrLine, Column: rc.col + 1,
				Zh: fmt.Sprintf("列 %q 是各市的合计，由系统计算，其中各市分别考核的指标的数值已忽略", rc.name),
				En: fmt.Sprintf("column %q is the total over the cities, which is computed: its values of each-city indicators were ignored", rc.name)})
		}
	}
	if p.ps.empty() && len(cols.across) > 0 && count > 0 && emitted == 0 && len(totalCols) > 0 {
		p.ps.add(Problem{Line: hdrLine,
			Zh: "文件中只填了各市的合计，没有各市的数值：合计由系统计算，请逐市填写",
			En: "the file fills in only the total over the cities: the total is computed, so fill in each city"})
	}
	if p.ps.empty() && count == 0 && len(notDataLines) > 0 {
		// A form whose only filled line is its total: the warning above
		// would be lost in the rejection.
		p.ps.add(Problem{Line: notDataLines[0],
			Zh: fmt.Sprintf("文件中只有合计、注释或签字栏（第 %s 行），没有可读取的指标数据：各市的合计由系统计算，请逐市填写（全省指标的地区可留空）", lineList(notDataLines)),
			En: fmt.Sprintf("the file holds only totals, notes or signature lines (line %s), no indicator data: totals over the cities are computed, so fill in each city (leave the region empty for a province-wide indicator)", lineList(notDataLines))})
	}
	if p.ps.empty() && count == 0 && len(datedOnly) > 0 {
		p.ps.add(Problem{Line: datedOnly[0], Column: cols.value + 1, Field: cols.valueField,
			Zh: fmt.Sprintf("第 %s 行填了截至日期，但“%s”列是空的：请把数值填在这一列后重新投递", lineList(datedOnly), fieldZh[cols.valueField]),
			En: fmt.Sprintf("line %s has a date but the %s column is empty: put the values in that column and drop the file again", lineList(datedOnly), cols.valueField)})
	}
	if p.ps.empty() && count == 0 {
		// Most likely the web page's template dropped unfilled.
		p.ps.add(Problem{Line: hdrLine,
			Zh: "文件只有表头，没有数据行：请在表头下填写数据后重新投递",
			En: "the file has a header but no data rows: fill in rows below the header and drop it again"})
	}
	if !p.ps.empty() {
		return nil
	}
	return f
}

// csvProblem reports an error of the CSV reader.
func (p *parser) csvProblem(err error) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		p.fileProblem(faultf("无法读取 CSV：%v", "cannot read the CSV: %v", err))
		return
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		p.ps.add(Problem{Line: pe.Line,
			Zh: "未加引号的内容中出现了双引号：含双引号的单元格要整体用双引号括起来，内部的双引号写两遍（\"\"）",
			En: "a double quote appears in an unquoted cell: enclose the whole cell in double quotes and double the quotes inside (\"\")"})
	case errors.Is(pe.Err, csv.ErrQuote):
		p.ps.add(Problem{Line: pe.Line,
			Zh: fmt.Sprintf("双引号不配对（该内容从第 %d 行开始）：请检查引号是否闭合", pe.StartLine),
			En: fmt.Sprintf("unbalanced double quote (in the cell starting on line %d): check that every quote is closed", pe.StartLine)})
	default:
		p.ps.add(Problem{Line: pe.Line,
			Zh: fmt.Sprintf("无法读取 CSV：%v", pe.Err), En: fmt.Sprintf("cannot read the CSV: %v", pe.Err)})
	}
}

// unfilled reports a template row left as it was: the web page's template
// lists every indicator a department may report, and a clerk fills in only
// those with data. A row without a value reports nothing, also when its
// date was filled down the column (dated: the caller lists such rows in a
// warning, in case a value was left out).
func unfilled(rec []string, c *columns) (skip, dated bool) {
	if len(c.across) > 0 || len(c.datesAcross) > 0 {
		// Regions or dates across: a row with none filled reports nothing.
		if len(rec) != c.width {
			return false, false
		}
		for _, rc := range c.across {
			if !noFigure(rec[rc.col]) {
				return false, false
			}
		}
		for _, dc := range c.datesAcross {
			if !noFigure(rec[dc.col]) {
				return false, false
			}
		}
		return true, false
	}
	noValue := func(i int) bool { return i < 0 || !startsWithDigit(rec[i]) && noFigure(rec[i]) }
	if len(rec) != c.width || !noValue(c.value) || !noValue(c.valueAlt) {
		return false, false
	}
	return true, c.asOf >= 0 && !emptyCell(rec[c.asOf])
}

// startsWithDigit reports whether a cell starts with an ASCII digit, as
// most values do: such a cell is neither empty nor a missing mark, told
// without folding it.
func startsWithDigit(s string) bool { return s != "" && '0' <= s[0] && s[0] <= '9' }

// blank reports whether every cell of a record is empty; such lines are
// skipped (Excel writes ",,,," for rows that were only formatted).
func blank(rec []string) bool {
	for _, c := range rec {
		if !emptyCell(c) {
			return false
		}
	}
	return true
}

// maxTitleLines is how far below the first line the header is looked for.
const maxTitleLines = 10

// headerFound is a line findHeader read as a header: its columns,
// problems, warnings and line.
type headerFound struct {
	c    columns
	e, w []Problem
	l    int
}

// findHeader looks for the header in the lines after the first, which did
// not read as one: forms made for printing put a title, the reporting
// office and a date above it (山东省…报送表, 填报单位：…). The lines above
// the header found are ignored with a warning. If none of the next lines
// is a header either, the first line's problems stand (or those of a line
// lacking only its date column, the likelier header). prev is the first
// line, the group line of a header of two lines (twoLineHeaders).
func findHeader(r *recordReader, prev []string, cols columns, errs, warns []Problem, line int, isRegion func(string) (string, bool),
	title func(rec []string, line int, header bool), dated func(columns, []Problem) bool) (columns, []Problem, []Problem, int) {
	first := line
	// The line most like a header, if none is one: a line lacking only
	// its date column is told as the header (2023年全省…进展 over
	// 指标名称,计量单位,完成值), rather than the title for lacking all.
	var best *headerFound
	if lacksOnlyDate(cols, errs) {
		best = &headerFound{cols, errs, warns, line}
	}
	for tries := 0; tries < maxTitleLines; {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if blank(rec) {
			continue
		}
		tries++
		l := r.Line(0)
		c, e, w := parseHeaderFor(rec, l, isRegion)
		if len(e) > 0 && dated(c, e) {
			e = nil // a header without a date column, under a title that dates the sheet
		}
		if len(e) > 0 && prev != nil {
			// A header of two lines, as Excel saves merged cells: the
			// line above names groups (2023年 over 目标,完成; 各市完成情况
			// over the cities), this one their columns.
			for _, merged := range twoLineHeaders(prev, rec) {
				mc, me, mw := parseHeaderFor(merged, l, isRegion)
				if len(me) > 0 && dated(mc, me) {
					me = nil
				}
				if len(me) == 0 {
					c, e, w, rec = mc, nil, append(mw, Problem{Line: l - 1,
						Zh: fmt.Sprintf("表头占第 %d、%d 两行（合并单元格），按列合并读取", l-1, l),
						En: fmt.Sprintf("the header spans lines %d and %d (merged cells) and was read column by column", l-1, l)}), merged
					break
				}
			}
		}
		if len(e) > 0 && best == nil && lacksOnlyDate(c, e) {
			best = &headerFound{c, e, w, l}
		}
		if len(e) > 0 {
			title(rec, l, false)
			prev = slices.Clone(rec)
		} else {
			title(notColumns(rec), l, true) // the header found may name a unit in a cell of its own
		}
		if len(e) == 0 {
			above, aboveEn := fmt.Sprintf("第 %d 行", first), fmt.Sprintf("line %d", first)
			if l-1 > first {
				above, aboveEn = fmt.Sprintf("第 %d–%d 行", first, l-1), fmt.Sprintf("lines %d-%d", first, l-1)
			}
			w = append([]Problem{{Line: first,
				Zh: fmt.Sprintf("表头在第 %d 行，其上的%s（标题、填报单位等）已忽略", l, above),
				En: fmt.Sprintf("the header is on line %d; %s above it (a title, the reporting office and the like) ignored", l, aboveEn)}}, w...)
			return c, nil, w, l
		}
	}
	if best != nil {
		return best.c, best.e, best.w, best.l
	}
	return cols, errs, warns, line
}

// declaredUnits are the units a header remark or a title names (unitsIn).
// A text that names a magnitude but no unit it can be read as (万户/年
// for 户 aside, 万户数: see unitsIn) is a problem at line and column: the
// values under it would be stored off by that magnitude if it were passed
// over.
func (p *parser) declaredUnits(text string, bases map[string]bool, line, col int, field string) []string {
	if text == "" {
		return nil
	}
	units := unitsIn(text, bases)
	if len(units) == 0 && unitLike(text) {
		p.ps.add(Problem{Line: line, Column: col, Field: field,
			Zh: fmt.Sprintf("无法识别单位 %q：请只写单位，如“数值（万户）”或“单位：万人”，或把数值换算成规划的单位后删去这一说明", strings.TrimSpace(text)),
			En: fmt.Sprintf("cannot read the unit %q: write the unit alone, as in 数值（万户） or 单位：万人, or convert the values to the plan's unit and remove it", strings.TrimSpace(text))})
	}
	return units
}

// titleUnit is what a line above the header says after 单位 (a title
// 山东省…进度表（单位：万户）, or a cell 单位：万户 beside 填报单位：…).
type titleUnit struct {
	text string
	line int
}

// titleUnits adds the units the cells of a title line name to ts: what
// follows 单位：, 单位为, 单位（…）, 单位/ or 单位—, also inside a title
// (…进度表（单位：万户）) and as 计量单位： or 面积单位：, up to a closing
// bracket or a full stop; 单位 万户 with no mark between, when what
// follows is a unit; and 以万户为单位. 填报单位：… (the reporting office)
// and 单位负责人：… are no units. Of 单位：万户 填报日期：… in one cell,
// the unit is 万户.
func titleUnits(ts []titleUnit, rec []string, line int) []titleUnit {
	for _, cell := range rec {
		s := squash(cell)
		for _, m := range byUnitRE.FindAllStringSubmatch(s, -1) {
			if u := unitHead(m[1], true); u != "" {
				ts = append(ts, titleUnit{u, line})
			}
		}
		for off := 0; ; {
			i := strings.Index(s[off:], "单位")
			if i < 0 {
				break
			}
			i += off
			off = i + len("单位")
			if officeUnit(s[:i]) || strings.HasSuffix(s[:i], "为") {
				continue // 填报单位; 以万户为单位, read above
			}
			rest, marked := s[off:], true
			switch {
			case strings.HasPrefix(rest, ":"), strings.HasPrefix(rest, "/"), strings.HasPrefix(rest, "("):
				rest = rest[1:]
			case strings.HasPrefix(rest, "为"), strings.HasPrefix(rest, "是"):
				rest = rest[len("为"):]
			case strings.HasPrefix(rest, "—"), strings.HasPrefix(rest, "-"):
				rest = strings.TrimLeft(rest, "—-")
			default:
				marked = false // 单位负责人, 单位名称; or 单位 万户
			}
			if j := strings.IndexAny(rest, ")]】。"); j >= 0 {
				rest = rest[:j]
			}
			rest = strings.TrimRight(rest, ".")
			// A unit with another label after it (单位：万户 填报日期：…), or
			// after no mark, is cut to the unit; a marked text is kept
			// whole, to be read or refused as it is (单位：万间房).
			if u := unitHead(rest, !marked || strings.Contains(rest, ":")); u != "" {
				rest = u
			} else if !marked {
				continue
			}
			if rest != "" && !officeName(rest) && utf8.RuneCountInString(rest) <= 12 {
				ts = append(ts, titleUnit{rest, line}) // 单位：济南市千佛山街道办事处 is the office
			}
		}
	}
	return ts
}

// byUnitRE is 以万户为单位 (squashed).
var byUnitRE = regexp.MustCompile(`以([^以为]{1,8})为单位`)

// unitHead is text if it names units (of those offices use; the plan's
// own are read later), else, if cut, its longest start that is one (万户
// of 万户填报日期:2024年7月10日), else "".
func unitHead(text string, cut bool) string {
	if len(unitsIn(text, nil)) > 0 {
		return text
	}
	if !cut {
		return ""
	}
	rs := []rune(text)
	for n := min(len(rs), 8); n > 0; n-- {
		if looksLikeUnit(declaredUnit(string(rs[:n])), nil) {
			return string(rs[:n])
		}
	}
	return ""
}

// footnoteUnits refuses a file whose note lines (注：单位为万户, above or
// below the data) name a unit other than the plan's for an indicator of
// its rows, which the header, a title or a 单位 cell did not declare:
// those rows were read in the plan's unit, off by the difference. A note
// repeating a declared unit, or naming one none of the rows' indicators
// is in (注：金额单位：万元 on a sheet of households), is only a note.
func (rp *rowParser) footnoteUnits(notes []titleUnit) {
	for _, tu := range notes {
		for _, u := range unitsIn(tu.text, rp.unitBases) {
			if slices.Contains(rp.cols.units, u) || rp.cellUnitsSeen[u] {
				continue
			}
			for _, t := range rp.targetsSeen {
				if t == nil {
					continue
				}
				if exp, ok := unitScale(u, t.Unit); ok && exp != 0 {
					rp.ps.add(Problem{Line: tu.line,
						Zh: fmt.Sprintf("表格中的说明写明单位是 %q，但表头没有写：请把单位写进数值列的表头（如“数值（%s）”）或“单位”列，数值才能按它换算", u, u),
						En: fmt.Sprintf("a note in the table says the unit is %q, but the header does not: put the unit in the value column's header (as in 数值（%s）) or a 单位 column, so that the values are converted", u, u)})
					return
				}
			}
		}
	}
}

// notColumns are the cells of a header that are a unit line of their own
// (单位：万户 beside 指标,数值,截至日期), not a column: a column's remark,
// 年度目标（单位：万户）, is that column's, never the values'.
func notColumns(rec []string) []string {
	var out []string
	for _, cell := range rec {
		s := squash(cell)
		if i := strings.Index(s, "单位"); i >= 0 && utf8.RuneCountInString(s[:i]) <= 2 && !strings.ContainsAny(s[:i], "(（[【") {
			out = append(out, cell)
		}
	}
	return out
}

// officeUnit reports whether the 单位 after before is the reporting
// office (填报单位, 报送单位), not a unit of measure.
func officeUnit(before string) bool {
	for _, w := range []string{"填报", "报送", "填表", "制表", "上报", "主管", "责任", "牵头", "实施", "统计", "调查"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// notData reports whether a record is a line forms carry besides the
// data: a total (合计, 总计, 小计), a note (注：, 说明：) or the signature
// lines (填表人, 审核人, 联系电话…), as the first non-empty cell of a line
// naming no indicator says; or the total over the cities of an each-city
// indicator (region 合计), which the exporter computes itself. A total of
// a province-wide indicator is its province value (see regionOf).
func notData(rec []string, ind indicatorCell, regionCol int) bool {
	if ind.target != nil {
		return ind.eachCity && regionCol >= 0 && totalRegion(rec[regionCol])
	}
	for _, c := range rec {
		if emptyCell(c) {
			continue
		}
		s := squash(c)
		if slices.Contains(totalWords, s) {
			return true
		}
		for _, pre := range footerPrefixes {
			if strings.HasPrefix(s, pre) {
				return true
			}
		}
		return false
	}
	return false
}

// totalRegion reports whether a region cell names the whole province as a
// total or as 全省.
func totalRegion(cell string) bool {
	if isASCII(cell) || !strings.Contains(cell, "计") && !strings.Contains(cell, "省") {
		return false // most cells: a city, read on every row
	}
	s := squash(cell)
	return s == "全省" || slices.Contains(totalWords, s)
}

// isASCII reports whether s is all ASCII, as most ids and numbers are.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

var (
	totalWords     = []string{"合计", "总计", "小计", "全省合计", "总合计"}
	footerPrefixes = []string{"注:", "注：", "说明:", "说明：", "备注:", "备注：", "填表人", "填报人", "制表人", "审核人", "审核:", "审核：",
		"负责人", "单位负责人", "联系人", "联系电话", "填表日期", "填报日期", "报送日期",
		"填报单位", "报送单位", "分管领导", "统计负责人", "制表:", "制表：", "数据来源", "审批人", "签发人"}
)

// lineList writes line numbers for a message, at most ten of them.
func lineList(lines []int) string {
	var b strings.Builder
	for i, l := range lines {
		if i == 10 {
			fmt.Fprintf(&b, "…（共 %d 行 / %d lines in all）", len(lines), len(lines))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, l)
	}
	return b.String()
}

// wideHeader explains a header without a value column whose cells name
// indicators (地区,城镇化率,新增就业,…): a table laid out for reading, one
// column per indicator, which the inbox does not take. nil if it is not.
func (p *parser) wideHeader(hdr []string, cols columns, line int) *Problem {
	if cols.value >= 0 {
		return nil
	}
	var names []string
	for _, cell := range hdr {
		t, ok := lookup(cell, p.plan.Target)
		if base, had := withoutRemark(fold(cell)); !ok && had {
			t, ok = lookup(base, p.plan.Target)
		}
		if ok {
			names = append(names, DisplayName(t.Name))
		}
	}
	if len(names) == 0 {
		return nil
	}
	if len(names) > 3 {
		names = names[:3]
	}
	return &Problem{Line: line, Field: fieldValue,
		Zh: fmt.Sprintf("表头把指标排成了列（%s）：请改为每个指标一行，列为“指标,地区,数值,截至日期”；本部门的报送模板可在网页“报送情况”中下载", strings.Join(names, "、")),
		En: fmt.Sprintf("the header has indicators as columns (%s): write one row per indicator, with the columns indicator,region,value,as_of; the department's template can be downloaded from the inbox page", strings.Join(names, ", "))}
}

// fitWidth lets a row that lacks trailing cells (an empty 备注 left off
// by a hand edit or another program) count them as empty. A row longer
// than the header is left as it is, even if its extra cells are empty:
// "1,100," under 数值,备注 is an unquoted 1,100 with an empty note, not 1
// with a note of 100 (Excel writes every row as wide as the header).
func fitWidth(rec []string, width int) []string {
	for len(rec) < width {
		rec = append(rec, "")
	}
	return rec
}

// headerRegion is the region a header cell names (济南市, 济南, jinan;
// 全省 and 合计 the province), for tables with the regions across.
func (p *parser) headerRegion(cell string) (string, bool) {
	if base, had := withoutRemark(fold(cell)); had { // 济南市（万户）, 全省（万个）
		cell = base
	}
	if totalRegion(cell) {
		id := p.plan.ProvinceID()
		return id, id != ""
	}
	return lookup(cell, p.plan.Region)
}

// provinceRowOfCities reports a row of an each-city indicator whose region
// names the province itself (山东省, shandong), as 全省 and 合计 do: the
// cities' total, computed here, not a city.
func (rp *rowParser) provinceRowOfCities(cell string) bool {
	// Most rows name the city the row before named (the caller skips
	// those). Others are told apart without resolving the cell, by the
	// province's id or a name that holds its short name (山东).
	if cell != rp.province.id && (rp.province.short == "" || !strings.Contains(cell, rp.province.short)) {
		rp.province.lastCity = cell
		return false
	}
	reg, err := rp.regionOf(cell)
	return err == nil && reg.level == indicators.ProvinceLevel
}

// noFigure reports a cell with no figure in it: empty, or a mark for none
// (—, /, 无).
func noFigure(cell string) bool { return emptyCell(cell) || missingMarks[fold(cell)] }

// twoLineHeaders are the headers a group line (2023年,, or 各市完成情况,,,)
// and the column line under it may make: each group cell spreads right
// over the empty cells beside it, as Excel saves a merged cell. First the
// columns alone where they have a name (济南市, 青岛市 under 各市完成情况),
// then group and column together (2023年目标, 2023年完成 under 2023年).
func twoLineHeaders(upper, lower []string) [][]string {
	n := max(len(upper), len(lower))
	group := make([]string, n)
	last := ""
	for i := range n {
		if i < len(upper) && !emptyCell(upper[i]) {
			last = strings.TrimSpace(upper[i])
		} else if i >= len(lower) || emptyCell(lower[i]) {
			last = "" // a merged cell spans only columns that are named below
		}
		group[i] = last
	}
	alone, joined := make([]string, n), make([]string, n)
	filled := false
	for i := range n {
		col := ""
		if i < len(lower) {
			col = strings.TrimSpace(lower[i])
		}
		switch {
		case col == "":
			alone[i], joined[i] = group[i], group[i]
		default:
			filled = filled || group[i] != ""
			alone[i], joined[i] = col, group[i]+col
		}
	}
	if !filled {
		return nil // no group over a named column: not a two-line header
	}
	return [][]string{alone, joined}
}
