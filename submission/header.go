package submission

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Kind says what a drop file carries.
type Kind int

const (
	// Values files report progress: their header has value/数值.
	Values Kind = iota + 1
	// Targets files revise targets: their header has target/目标值.
	Targets
)

func (k Kind) String() string {
	switch k {
	case Values:
		return "values"
	case Targets:
		return "targets"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Canonical column names. They are also Problem.Field values.
const (
	fieldIndicator = "indicator"
	fieldValue     = "value"
	fieldTarget    = "target"
	fieldAsOf      = "as_of"
	fieldRegion    = "region"
	fieldNote      = "note"
	fieldUnit      = "unit"
)

// headerNames maps a normalised header cell to its canonical column.
var headerNames = map[string]string{
	"indicator": fieldIndicator, "指标": fieldIndicator,
	"value": fieldValue, "数值": fieldValue,
	"target": fieldTarget, "目标值": fieldTarget,
	"as_of": fieldAsOf, "截至日期": fieldAsOf, "日期": fieldAsOf,
	"region": fieldRegion, "地区": fieldRegion,
	"note": fieldNote, "备注": fieldNote,
	// The web page's template carries the unit as a reminder; it is
	// accepted and ignored (the plan decides the unit).
	"unit": fieldUnit, "单位": fieldUnit,
}

// headerAliases are other names offices give the same columns in their
// own sheets. A column named by an alias never clashes: when a column is
// already present, a further alias column for it is ignored with a
// warning (a sheet with both 指标编号 and 指标名称 is read by the first).
var headerAliases = map[string]string{
	"指标名称": fieldIndicator, "名称": fieldIndicator, "指标项": fieldIndicator, "考核指标": fieldIndicator,
	"指标内容": fieldIndicator, "任务指标": fieldIndicator, "主要指标": fieldIndicator, "项目": fieldIndicator, "指标编号": fieldIndicator, "指标代码": fieldIndicator, "指标id": fieldIndicator,
	"indicator_id": fieldIndicator, "indicator_name": fieldIndicator,
	"数据": fieldValue, "完成值": fieldValue, "实际值": fieldValue, "当前值": fieldValue, "完成情况": fieldValue, "val": fieldValue,
	"指标值": fieldValue, "本期值": fieldValue, "本期数": fieldValue, "累计值": fieldValue, "累计完成": fieldValue,
	"累计完成值": fieldValue, "实际完成": fieldValue, "实际完成值": fieldValue, "完成数": fieldValue, "完成量": fieldValue,
	"实际完成数": fieldValue, "实际数": fieldValue, "完成": fieldValue, "监测值": fieldValue, "统计值": fieldValue,
	"数据截止时间": fieldAsOf, "数据截至时间": fieldAsOf, "数据时间": fieldAsOf, "截止年月": fieldAsOf, "截至时点": fieldAsOf,
	"截至目前累计": fieldValue,
	"截至":     fieldAsOf, "截止": fieldAsOf, "数据截至": fieldAsOf, "数据截止": fieldAsOf, "截至年月": fieldAsOf, "统计年月": fieldAsOf,
	"值": fieldValue, "实现值": fieldValue, "实现数": fieldValue, "数量": fieldValue, "新增": fieldValue,
	"截止日期": fieldAsOf, "统计日期": fieldAsOf, "数据日期": fieldAsOf, "截至时间": fieldAsOf, "截止时间": fieldAsOf,
	"统计截止日期": fieldAsOf, "数据截止日期": fieldAsOf, "统计截至日期": fieldAsOf, "数据截至日期": fieldAsOf,
	"报告期": fieldAsOf, "统计期": fieldAsOf, "统计时间": fieldAsOf, "时间": fieldAsOf, "年份": fieldAsOf, "年度": fieldAsOf,
	"date": fieldAsOf, "asof": fieldAsOf, "year": fieldAsOf,
	"年": fieldAsOf, "月份": fieldMonth, "月": fieldMonth, "month": fieldMonth, "季度": fieldQuarter, "quarter": fieldQuarter, // date.go
	"统计月份": fieldMonth, "报告月份": fieldMonth, "截止月份": fieldMonth, "截至月份": fieldMonth, "月度": fieldMonth, "数据月份": fieldMonth,
	"统计季度": fieldQuarter, "报告季度": fieldQuarter, "截至季度": fieldQuarter, "截止季度": fieldQuarter,
	"累计数": fieldValue, "累计": fieldValue, "本年累计": fieldValue, "本年累计完成": fieldValue, "本月完成数": fieldValue, "本期完成": fieldValue,
	"年度目标": fieldTarget, "年度目标值": fieldTarget, "计划目标": fieldTarget,
	"地市": fieldRegion, "城市": fieldRegion, "区域": fieldRegion, "地区名称": fieldRegion, "city": fieldRegion,
	"所在地市": fieldRegion, "所属地市": fieldRegion, "所在地区": fieldRegion, "所属地区": fieldRegion, "市别": fieldRegion,
	"城市名称": fieldRegion, "所在城市": fieldRegion, "所属城市": fieldRegion, "市州": fieldRegion, "各市": fieldRegion,
	"设区市": fieldRegion, "市": fieldRegion, "地市名称": fieldRegion, "行政区划": fieldRegion,
	"说明": fieldNote, "remark": fieldNote, "remarks": fieldNote, "comment": fieldNote,
	"调整依据": fieldNote, "调整原因": fieldNote, "调整说明": fieldNote, "修订说明": fieldNote, "修订原因": fieldNote,
	"修订依据": fieldNote, "依据": fieldNote, "原因": fieldNote, "数据来源": fieldNote, "来源": fieldNote,
	"目标": fieldTarget, "修订目标值": fieldTarget,
	"计量单位": fieldUnit,
}

// periodHeaders name a value column of the period's own figure (this
// month's, this quarter's), cumulativeHeaders one of the total so far. An
// increment is judged on its total since the start (annual: since 1
// January), which a period's figure is not; where a sheet has both, the
// total is read.
var (
	periodHeaders = map[string]bool{"本期值": true, "本期数": true, "本月完成数": true, "本期完成": true}
	// yearHeaders2 name a value column of the year so far: an increment
	// that does not restart each year is judged on its total since its
	// start, which this is only in the year it starts.
	yearHeaders2      = map[string]bool{"本年累计": true, "本年累计完成": true}
	cumulativeHeaders = map[string]bool{"累计值": true, "累计完成": true, "累计完成值": true, "累计": true, "累计数": true}
)

// squashHeader is a normalised header name without the "_" spaces became:
// 本 期 值 and 本期⏎值 are 本期值.
func squashHeader(name string) string { return strings.ReplaceAll(name, "_", "") }

// valueRank orders the names a value column may go by, when a sheet has
// more than one: the plain name (数值, value) first, then a running total
// (累计值), then other aliases (完成值), a period's own figure (本期值) last.
func valueRank(name string, alias bool) int {
	switch n := squashHeader(name); {
	case !alias:
		return 3
	case cumulativeHeaders[n]:
		return 2
	case periodHeaders[n]:
		return 0
	}
	return 1
}

// yearHeaders name an as_of column of years: a bare 2023 there is the
// year 2023 (its last day), while elsewhere a plain number is never taken
// for a date.
var yearHeaders = map[string]bool{"年份": true, "年度": true, "年": true, "year": true}

// withoutRemark is a folded cell without a bracketed remark at its end
// (数值（%） -> 数值), and whether it had one.
func withoutRemark(s string) (string, bool) {
	base, remarks := splitRemarks(s)
	if len(remarks) == 0 || base == "" {
		return s, false
	}
	return strings.TrimRight(base, "_ "), true
}

// remarkOf is the bracketed remarks at the end of a header cell, folded
// and joined by commas (完成值（万人） -> 万人; 数值【万户】（累计） -> 万户,累计),
// or "".
func remarkOf(cell string) string {
	_, remarks := splitRemarks(fold(cell))
	return strings.Join(remarks, ",")
}

// splitRemarks cuts the bracketed groups off the end of a folded header
// cell: (), [] and 【】, as many as there are.
func splitRemarks(s string) (string, []string) {
	var remarks []string
	for {
		t := strings.TrimRight(s, " _")
		var open string
		switch {
		case strings.HasSuffix(t, ")"):
			open = "("
		case strings.HasSuffix(t, "]"):
			open = "["
		case strings.HasSuffix(t, "】"):
			open = "【"
		default:
			return s, remarks
		}
		i := strings.LastIndex(t, open)
		if i <= 0 {
			return s, remarks
		}
		_, closeLen := utf8.DecodeLastRuneInString(t)
		remarks = append([]string{strings.TrimSpace(t[i+len(open) : len(t)-closeLen])}, remarks...)
		s = t[:i]
	}
}

// valueLike is the first of the unknown columns whose name sounds like a
// value reported (实际完成数目, 监测数据), or -1: beside a 目标 column it
// means a progress report whose value column was not understood, not a
// target revision with a column of reasons.
func valueLike(rec []string, unknown []int) int {
	for _, i := range unknown {
		if strings.ContainsAny(squash(rec[i]), "值数量") || strings.Contains(rec[i], "完成") || strings.Contains(rec[i], "实际") ||
			strings.Contains(rec[i], "监测") || strings.Contains(rec[i], "统计") || strings.Contains(rec[i], "实现") ||
			strings.Contains(rec[i], "进展") || strings.Contains(rec[i], "进度") || strings.Contains(rec[i], "情况") {
			return i
		}
	}
	return -1
}

// squash is a cell folded and without any white space, for matching
// words typed with spaces (合 计, 常住人口 城镇化率).
func squash(s string) string { return strings.Join(strings.Fields(fold(s)), "") }

// headerField finds a normalised header name among the names and the
// aliases.
func headerField(name string) (field string, alias, ok bool) {
	if f, ok := headerNames[name]; ok {
		return f, false, true
	}
	if f, ok := headerAliases[name]; ok {
		return f, true, true
	}
	if k, ok := squashedHeaders[strings.ReplaceAll(name, "_", "")]; ok && k != name {
		return headerField(k)
	}
	return "", false, false
}

// fold normalises a cell for matching and parsing: full-width letters,
// digits and punctuation (Ａ, １, ％, ，, ．, U+3000) become their ASCII
// forms, then surrounding white space goes. Fold, not Narrow: Narrow would
// also turn 。 into the half-width ｡.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.TrimSpace(width.Fold.String(s))
		}
	}
	return strings.TrimSpace(s) // ASCII folds to itself; most cells are ASCII
}

// emptyCell reports whether fold(s) == "" without folding, which
// allocates for every Chinese cell: folding turns white space into white
// space and nothing else into it (TestFoldKeepsWhiteSpace).
func emptyCell(s string) bool {
	// Most cells start with a printable ASCII byte: not empty, and no
	// need to trim.
	if s != "" && s[0] > ' ' && s[0] < 0x7F {
		return false
	}
	return blankText(s)
}

//go:noinline
func blankText(s string) bool { return strings.TrimSpace(s) == "" } // apart, so that emptyCell inlines

// normHeader folds a header cell, lowercases it and lets "as of" and
// "as-of" mean as_of.
func normHeader(s string) string {
	// An Alt+Enter line break in a header cell (指标\n(名称)) is a space.
	s = strings.ToLower(strings.Join(strings.Fields(fold(s)), " "))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

// squashedHeaders are the header names and aliases without "_": 指 标 and
// 截至 日期, typed with spaces, are 指标 and 截至日期.
var squashedHeaders = func() map[string]string {
	m := map[string]string{}
	for _, names := range []map[string]string{headerAliases, headerNames} { // names win
		for k := range names {
			m[strings.ReplaceAll(k, "_", "")] = k
		}
	}
	return m
}()

// columns is where each column of a file is, as 0-based indexes; -1 means
// absent.
type columns struct {
	kind           Kind
	width          int
	indicator      int
	value          int    // the value column, or the target column in a Targets file
	valueField     string // fieldValue or fieldTarget
	asOf           int
	asOfYears      bool // the as_of column is named 年份, 年度 or year: 2023 means that year
	region         int
	note           int
	unit           int      // the 单位 column
	unitRemark     string   // the value column header's remark (万人 in 完成值（万人）), as written
	units          []string // the units unitRemark (or a title above the header) names: records resolves them
	titled         bool     // units came from a title: they serve the rows they fit, the others keep the plan's unit
	altTitled      bool
	altRemark      string         // valueAlt's header remark, as written
	altUnits       []string       // the units altRemark names (or the title's)
	unnamed        []int          // columns with an empty header
	valuePeriod    bool           // the value column holds the period's figure (本期值), not the total
	indicatorAlt   int            // a second indicator column (指标名称 beside 指标编号), read where the first is empty; -1: none
	valueAlt       int            // a value column outranked by another (本期值 beside 累计值), read where that is empty; -1: none
	valueAltPeriod bool           // valueAlt holds the period's figure: not for increments
	across         []regionColumn // regions across (指标,济南市,青岛市,…): value columns, one a region
	parts          *dateParts     // 月份 and 季度 columns beside the as_of column (date.go); nil: none
	sheetAsOf      time.Time      // the date of every row of a sheet without an as_of column, from its title (titledate.go)
	datesAcross    []dateColumn   // dates across (指标,2022年,2023年1-9月): value columns, one a date (datesacross.go)
	valueMonth     int            // the month the value column's header period ends in (1-9月完成: 9); 0: none
	altMonth       int            // valueAlt's
	valueSpan      span           // what the value column's figures add up, by its header (本年累计: the year so far)
	valueHead      string         // the value column's header cell, as written, for messages
	altHead        string         // valueAlt's
	altSpan        span           // valueAlt's
}

// parseHeader reads the header record found on line. Problems make the file
// unreadable; warnings (unknown columns) do not.
func parseHeader(rec []string, line int) (columns, []Problem, []Problem) {
	return parseHeaderFor(rec, line, nil)
}

// regionColumn is a column of a table laid out with the regions across
// (指标,济南市,青岛市,…,截至日期): its cells are the values of that region.
type regionColumn struct {
	col    int
	region string // the region's id
	remark string // the column header's remark (万户 in 济南市（万户）), as written
	name   string // the header cell, as written
	units  []string
	titled bool
}

// parseHeaderFor is parseHeader knowing the plan's regions (isRegion gives
// a header cell's region id): a header with region columns and no value or
// region column is a table of regions across, read one value per cell.
func parseHeaderFor(rec []string, line int, isRegion func(string) (string, bool)) (columns, []Problem, []Problem) {
	var errs, warns []Problem
	var across []regionColumn
	var datesAcross []dateColumn
	dated := hasDateColumn(rec)
	var estimates []int      // columns of estimates (预计)
	monthOf := map[int]int{} // the month a column's header period ends in (1-9月完成: 9)
	spanOf := map[int]span{} // what a value column's figures add up, by its header's period (spanToDate: none named)
	var unknownCols []int
	at := map[string]int{}
	aliased := map[string]bool{} // the column was named by an alias
	var unknown []string
	var unnamed []int
	yearCol := false
	names := map[int]string{} // the matched name of each column read
	indicatorAlt, valueAlt, yearAlt := -1, -1, -1
	for i, cell := range rec {
		name := normHeader(cell)
		if name == "" {
			// Excel writes empty header cells for formatted but
			// unused columns; there is nothing to warn about, unless a
			// unit turns up in one (rowParser.unnamedUnit).
			unnamed = append(unnamed, i)
			continue
		}
		if name == "序号" {
			continue // the row numbers forms start with: nothing to read or warn about
		}
		if estimated(cell) {
			// 完成值（预计）, 2023年（预计）: the remark would be passed over
			// as a unit's, and an estimate stored as what was done (said
			// below, once the value column is known).
			estimates = append(estimates, i)
			continue
		}
		f, alias, ok := headerField(name)
		if !ok {
			// 数值（%）, 完成值(万人), 截至日期（年月日）: the bracket is a
			// remark for the reader; the plan decides the unit.
			if base, had := withoutRemark(name); had {
				if f, alias, ok = headerField(base); ok {
					name = base
					if month, sp, isPeriod := remarkPeriod(cell, base); isPeriod && f == fieldValue {
						// 完成值（1-9月）, 数值（当月）: the period in the
						// remark is the figures', as when it leads.
						monthOf[i], spanOf[i] = month, sp
						if sp == spanOwn {
							name = "本期值"
						}
					}
				}
			}
		}
		if !ok && !dated {
			// 2023年1-9月完成, 2025年一季度累计 in a header without a date
			// column: the date of its column (a table of dates across,
			// maybe of one column), before it is taken for a value
			// column named by its period.
			if dc, isDate := dateHeader(i, cell); isDate {
				datesAcross = append(datesAcross, dc)
				continue
			}
		}
		if !ok {
			// 1-9月完成, 2023年1-9月累计（万个）: a value column named by its
			// period (the remark, a unit, is the header's all the same).
			base, _ := withoutRemark(name)
			// A period alone (1-9月, 上半年) names the value column only
			// beside a date column; without one it may be a date across
			// without its year (9月底), told as such.
			if pf, rest, month, sp, isPeriod := periodField(base); isPeriod && (rest != "" || dated) {
				if rest == "" {
					rest = "数值"
				}
				f, alias, ok, name = pf, true, true, rest
				if month > 0 {
					monthOf[i] = month
				}
				spanOf[i] = sp
				if sp == spanOwn && pf == fieldValue {
					name = "本期值" // the period's own figure: ranked and judged as 本期值
				}
			}
		}
		if !ok && isRegion != nil {
			if id, isReg := isRegion(cell); isReg {
				for _, rc := range across {
					if rc.region == id {
						errs = append(errs, Problem{Line: line, Column: i + 1,
							Zh: fmt.Sprintf("列 %q 与第 %d 列是同一个地区：每个地区只能有一列", strings.TrimSpace(cell), rc.col+1),
							En: fmt.Sprintf("column %q is the same region as column %d: give each region one column", strings.TrimSpace(cell), rc.col+1)})
					}
				}
				across = append(across, regionColumn{col: i, region: id, remark: remarkOf(cell), name: strings.TrimSpace(cell)})
				continue
			}
		}
		if !ok {
			if dc, isDate := dateHeader(i, cell); isDate {
				datesAcross = append(datesAcross, dc)
				continue
			}
		}
		if !ok && len(titleUnits(nil, []string{cell}, line)) > 0 {
			continue // 单位：万户 in a cell of its own: the values' unit (records), not a column
		}
		if !ok {
			unknownCols = append(unknownCols, i)
			unknown = append(unknown, DisplayName(strings.TrimSpace(cell)))
			warns = append(warns, Problem{Line: line, Column: i + 1,
				Zh: fmt.Sprintf("未识别的列 %q，已忽略；可用的列：%s", strings.TrimSpace(cell), knownZh),
				En: fmt.Sprintf("unknown column %q ignored; known columns: %s", strings.TrimSpace(cell), knownEn)})
			continue
		}
		if j, dup := at[f]; dup && f == fieldValue && valueRank(name, alias) > valueRank(names[j], aliased[f]) {
			what, whatEn := "", ""
			if cumulativeHeaders[squashHeader(name)] {
				what, whatEn = "的累计值", "the cumulative value of "
			}
			warns = append(warns, Problem{Line: line, Column: j + 1,
				Zh: fmt.Sprintf("列 %q 已忽略：读取第 %d 列 %q%s", strings.TrimSpace(rec[j]), i+1, strings.TrimSpace(cell), what),
				En: fmt.Sprintf("column %q ignored: %scolumn %d %q is read", strings.TrimSpace(rec[j]), whatEn, i+1, strings.TrimSpace(cell))})
			at[f], names[i], aliased[f] = i, name, alias
			valueAlt = j // read where the chosen one is empty (a rate beside an empty 累计值)
			continue
		}
		if j, dup := at[f]; dup && f == fieldAsOf && yearAlt < 0 && yearCol != yearHeaders[squashHeader(name)] {
			// A column of years beside a full date (年份,截至日期): the
			// date is read, the year checked against it (date.go).
			yearAlt = i
			if yearCol { // the year came first: the date takes its place
				yearAlt, at[f], names[i], aliased[f], yearCol = j, i, name, alias, false
			}
			continue
		}
		if j, dup := at[f]; dup && f == fieldUnit && name == "计量单位" && names[j] == "单位" {
			// 单位 beside 计量单位 names the reporting office (单位 is
			// both words); the unit is 计量单位's.
			warns = append(warns, Problem{Line: line, Column: j + 1,
				Zh: fmt.Sprintf("列 %q 作为填报单位已忽略：单位（计量）读第 %d 列 %q", strings.TrimSpace(rec[j]), i+1, strings.TrimSpace(cell)),
				En: fmt.Sprintf("column %q ignored as the reporting office: the unit is read from column %d %q", strings.TrimSpace(rec[j]), i+1, strings.TrimSpace(cell))})
			at[f], names[i], aliased[f] = i, name, alias
			continue
		}
		if j, dup := at[f]; dup && (alias || aliased[f]) {
			if f == fieldIndicator && indicatorAlt < 0 {
				// 指标编号 and 指标名称, or the web template's 指标 and
				// 名称: the second serves where the first is empty. Nothing
				// to warn about: both name the same indicator.
				indicatorAlt = i
				continue
			}
			warns = append(warns, Problem{Line: line, Column: i + 1,
				Zh: fmt.Sprintf("列 %q 与第 %d 列同为“%s”，已忽略", strings.TrimSpace(cell), j+1, fieldZh[f]),
				En: fmt.Sprintf("column %q ignored: column %d already gives %s", strings.TrimSpace(cell), j+1, f)})
			continue
		}
		if j, dup := at[f]; dup {
			errs = append(errs, Problem{Line: line, Column: i + 1, Field: f,
				Zh: fmt.Sprintf("列 %q 出现了两次（第 %d 列和第 %d 列），请只保留一列", fieldZh[f], j+1, i+1),
				En: fmt.Sprintf("column %q appears twice (columns %d and %d); keep only one", f, j+1, i+1)})
			continue
		}
		at[f] = i
		names[i] = name
		aliased[f] = alias
		if f == fieldAsOf {
			yearCol = yearHeaders[squashHeader(name)]
		}
	}
	col := func(f string) int {
		if i, ok := at[f]; ok {
			return i
		}
		return -1
	}
	c := columns{
		width:        len(rec),
		indicator:    col(fieldIndicator),
		asOf:         col(fieldAsOf),
		asOfYears:    yearCol,
		region:       col(fieldRegion),
		note:         col(fieldNote),
		unit:         col(fieldUnit),
		indicatorAlt: indicatorAlt,
		valueAlt:     valueAlt,
		unnamed:      unnamed,
	}
	v, t := col(fieldValue), col(fieldTarget)
	if v < 0 && (t < 0 || aliased[fieldTarget]) && c.region < 0 && len(across) > 0 {
		// Regions across: each region column is a value column (a 目标
		// column beside them is a reference, below). A column that is
		// neither a region nor a known one would lose its values: a city
		// misspelt (青島市) or gone (莱芜市) must not be passed over.
		v, c.across = across[0].col, across
		for _, i := range unknownCols {
			errs = append(errs, Problem{Line: line, Column: i + 1, Field: fieldRegion,
				Zh: fmt.Sprintf("未识别的列 %q：各市横排的表中，每列应是规划中的一个市（或全省、合计），或指标、截至日期、单位、备注等列；请改正列名", strings.TrimSpace(rec[i])),
				En: fmt.Sprintf("unknown column %q: in a table with the cities across, each column is a city of the plan (or the province total), or indicator, as_of, unit, note; correct the column name", strings.TrimSpace(rec[i]))})
		}
	} else if v < 0 && c.asOf < 0 && c.indicator >= 0 && !hasDatePart(at) && len(across) == 0 && len(datesAcross) > 0 {
		// Dates across: each date column is a value column (a 目标值
		// column beside them is a reference, below). As with the
		// regions across, a column that is neither a date nor a known one
		// would lose its values (9月底 without its year).
		v, c.datesAcross = datesAcross[0].col, datesAcross
		if t >= 0 {
			aliased[fieldTarget] = true // a reference, not a revision
		}
		for _, dc := range datesAcross {
			if i := dc.col + 1; i < len(rec) && emptyCell(rec[i]) && slices.Contains(unnamed, i) {
				// 2023年,, over 目标,完成: a merged cell, the group of the
				// columns the next line names (findHeader reads both).
				errs = append(errs, Problem{Line: line, Column: i + 1, Field: fieldValue,
					Zh: fmt.Sprintf("时间列 %q 右边的表头是空的，像是合并单元格：请把它下面一行的列名（如 目标、完成）并入表头，或取消合并后每列写上时间", strings.TrimSpace(rec[dc.col])),
					En: fmt.Sprintf("the header right of the date column %q is empty, as a merged cell leaves it: put the names under it (such as 目标, 完成) in the header, or unmerge it and head each column with its date", strings.TrimSpace(rec[dc.col]))})
				break
			}
		}
		for _, i := range unknownCols {
			if besideFigures(rec[i]) {
				// 同比增长, 上年同期, 2023年计划, 完成率: figures beside the
				// values, not values of a date.
				warns = append(warns, Problem{Line: line, Column: i + 1,
					Zh: fmt.Sprintf("列 %q 不是某一时间的数值，已忽略", strings.TrimSpace(rec[i])),
					En: fmt.Sprintf("column %q is no date's value and was ignored", strings.TrimSpace(rec[i]))})
				continue
			}
			errs = append(errs, Problem{Line: line, Column: i + 1, Field: fieldAsOf,
				Zh: fmt.Sprintf("未识别的列 %q：按时间横排的表中，每列应是一个时间（如 2023年、2023年1-9月、2023年9月底、2023-09-30），或指标、地区、单位、备注等列；如果这一列不是数值，请删去；如果是，请把列名改成它的时间", strings.TrimSpace(rec[i])),
				En: fmt.Sprintf("unknown column %q: in a table with the dates across, each column is a date (such as 2023年, 2023年1-9月, 2023年9月底, 2023-09-30), or indicator, region, unit, note; if the column holds no values, remove it; if it does, head it with its date", strings.TrimSpace(rec[i]))})
		}
	} else {
		for _, dc := range datesAcross { // not a table of dates across: they are other columns
			warns = append(warns, Problem{Line: line, Column: dc.col + 1,
				Zh: fmt.Sprintf("未识别的列 %q，已忽略；可用的列：%s", strings.TrimSpace(rec[dc.col]), knownZh),
				En: fmt.Sprintf("unknown column %q ignored; known columns: %s", strings.TrimSpace(rec[dc.col]), knownEn)})
		}
		for _, rc := range across { // a value column is there: they are other columns
			warns = append(warns, Problem{Line: line, Column: rc.col + 1,
				Zh: fmt.Sprintf("未识别的列 %q，已忽略；可用的列：%s", strings.TrimSpace(rec[rc.col]), knownZh),
				En: fmt.Sprintf("unknown column %q ignored; known columns: %s", strings.TrimSpace(rec[rc.col]), knownEn)})
		}
	}
	for _, i := range estimates {
		p := Problem{Line: line, Column: i + 1, Field: fieldValue,
			Zh: fmt.Sprintf("列 %q 是预计（预测）数，不是实际完成的数：请只报送实际数，删去这一列或把预计数写进备注", strings.TrimSpace(rec[i])),
			En: fmt.Sprintf("column %q holds estimates, not what was done: report actual figures only; remove the column or put the estimate in the note", strings.TrimSpace(rec[i]))}
		if v >= 0 && len(c.datesAcross) == 0 && len(c.across) == 0 {
			// Beside the value column: passed over, as any other.
			p.Zh, p.En, p.Field = p.Zh+"（已忽略）", p.En+" (ignored)", ""
			warns = append(warns, p)
		} else {
			errs = append(errs, p)
		}
	}
	if v >= 0 {
		c.valueHead = strings.TrimSpace(rec[v])
	}
	if valueAlt >= 0 {
		c.altHead = strings.TrimSpace(rec[valueAlt])
	}
	c.valuePeriod = v >= 0 && periodHeaders[squashHeader(names[v])]
	if v >= 0 {
		c.valueMonth, c.valueSpan = monthOf[v], spanOf[v]
		if yearHeaders2[squashHeader(names[v])] {
			c.valueSpan = spanYear
		}
	}
	if valueAlt >= 0 {
		c.altMonth, c.altSpan = monthOf[valueAlt], spanOf[valueAlt]
		if yearHeaders2[squashHeader(names[valueAlt])] {
			c.altSpan = spanYear
		}
	}
	c.valueAltPeriod = valueAlt >= 0 && periodHeaders[squashHeader(names[valueAlt])]
	switch {
	case v >= 0 && t >= 0 && aliased[fieldTarget]:
		// 指标,目标,完成值,截至日期: the target shown for reference beside
		// the value reported, not a revision.
		warns = append(warns, Problem{Line: line, Column: t + 1,
			Zh: fmt.Sprintf("列 %q 作为参考已忽略（修改目标值须由统筹协调部门单独投递含“目标值”列的文件）", strings.TrimSpace(rec[t])),
			En: fmt.Sprintf("column %q ignored as a reference (targets are revised by the coordinating department in a separate file with a 目标值 column)", strings.TrimSpace(rec[t]))})
		c.kind, c.value, c.valueField = Values, v, fieldValue
	case v >= 0 && t >= 0:
		// 指标名称,单位,目标值,完成值,完成率: the commonest progress sheet,
		// its 目标值 a reminder. A revision is a file of targets alone.
		warns = append(warns, Problem{Line: line, Column: t + 1,
			Zh: fmt.Sprintf("列 %q 作为参考已忽略：这是上报进度的文件（有“%s”列）；修改目标值须由统筹协调部门单独投递只含“目标值”列的文件", strings.TrimSpace(rec[t]), strings.TrimSpace(rec[v])),
			En: fmt.Sprintf("column %q ignored as a reference: this file reports values (column %q); targets are revised by the coordinating department in a separate file with a 目标值 column and no value", strings.TrimSpace(rec[t]), strings.TrimSpace(rec[v]))})
		c.kind, c.value, c.valueField = Values, v, fieldValue
	case t >= 0 && valueLike(rec, unknownCols) >= 0:
		// 指标,目标值,实现值?,截至日期 (or 进展情况?, 完成率?): a progress
		// report whose value column is named in a way not understood,
		// beside the target for reference. Read as a revision, the
		// coordinator's report would move the targets and lose the values.
		u := valueLike(rec, unknownCols)
		errs = append(errs, Problem{Line: line, Column: u + 1, Field: fieldValue,
			Zh: fmt.Sprintf("找不到数值列：表头有“%s”列和未识别的列 %q。上报进度请把数值列的表头改为“数值”；修改目标值请只保留“目标值”列，并删去未识别的列", strings.TrimSpace(rec[t]), strings.TrimSpace(rec[u])),
			En: fmt.Sprintf("no value column: the header has a %s column and the unknown column %q. To report progress, head the value column 数值; to revise targets, keep the 目标值 column and remove the unknown one", strings.TrimSpace(rec[t]), strings.TrimSpace(rec[u]))})
	case t >= 0:
		c.kind, c.value, c.valueField = Targets, t, fieldTarget
	default:
		c.kind, c.value, c.valueField = Values, v, fieldValue
	}
	if c.value >= 0 && len(c.across) == 0 && len(c.datesAcross) == 0 {
		// The whole remark: which part names the unit (累计，万户) the row
		// parser decides, knowing the plan's units. Regions across carry
		// one each.
		c.unitRemark = remarkOf(rec[c.value])
		if c.valueAlt >= 0 {
			c.altRemark = remarkOf(rec[c.valueAlt]) // 本期值（个） beside 累计值（万个）: each its own
		}
	}
	missing := func(f string, alt string) {
		zh := fmt.Sprintf("缺少必需的列 %q（或 %q）；表头（第一行，或标题下的一行）须含这一列，例如：指标,数值,截至日期", fieldZh[f], f)
		en := fmt.Sprintf("missing required column %q (or %q); the header (the first line, or the line under a title) must have it, such as: indicator,value,as_of", f, fieldZh[f])
		if alt != "" {
			zh += fmt.Sprintf("；修改目标值的文件用 %q", fieldZh[alt])
			en += fmt.Sprintf("; a file revising targets has %q instead", alt)
		}
		if len(unknown) > 0 {
			zh += "。表头中未识别的列：" + strings.Join(unknown, "、")
			en += ". Unrecognised columns in the header: " + strings.Join(unknown, ", ")
		}
		errs = append(errs, Problem{Line: line, Field: f, Zh: zh, En: en})
	}
	if c.indicator < 0 {
		missing(fieldIndicator, "")
	}
	if v < 0 && t < 0 {
		missing(fieldValue, fieldTarget)
	}
	if c.asOf < 0 && len(c.datesAcross) == 0 {
		missing(fieldAsOf, "")
		e := &errs[len(errs)-1]
		for _, u := range unknown {
			if notAsOfRE.MatchString(u) {
				// 填报日期 is the day the sheet was filled in: a value of
				// 30 September sent on 8 October is not as of 8 October.
				e.Zh += fmt.Sprintf("。“%s”是填表的日期，不是数据截至的日期", u)
				e.En += fmt.Sprintf(". %q is the day the sheet was filled in, not the date the values are as of", u)
			}
		}
		e.Zh += "。也可以不加这一列，在表头上方的标题中写明数据截至的时间（如“2023年1-9月”或“截至2023年9月底”）"
		e.En += ". Or, without that column, name the period in a title above the header (such as 2023年1-9月 or 截至2023年9月底)"
	}
	parts, partErrs := datePartsOf(at, yearAlt, rec, line)
	c.parts, errs = parts, append(errs, partErrs...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Column < errs[j].Column })
	return c, errs, warns
}

const (
	knownZh = "指标、数值（或目标值）、截至日期、地区、备注、单位"
	knownEn = "indicator, value (or target), as_of, region, note, unit"
)

// delimiter picks the field separator from the header line: Excel's
// "Unicode 文本" is tab separated, everything else comma separated.
func delimiter(text string) rune {
	for text != "" {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		// A title may hold a comma and a header tabs (填报单位：省人社厅,
		// 填报日期…⇥⇥): the more frequent one decides.
		tabs, commas := strings.Count(line, "\t"), strings.Count(line, ",")
		switch {
		case tabs > commas:
			return '\t'
		case commas > 0:
			return ','
		}
		// Blank, or a title above the header (山东省…报送表): neither
		// tells, the next line may.
	}
	return ','
}
