package submission

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shandong/indicator_exporter/indicators"
)

// rowParser resolves the data rows of one file against the plan.
type rowParser struct {
	*parser
	cols    columns
	dates   dateRule
	seen    *seenKeys
	regions map[string]planRegion // by id
	// Most cells repeat one above them. An indicator or region cell is
	// kept, by what was written, if that is exactly a name or id in the
	// plan (or an empty region), so that these maps stay as small as the
	// plan whatever the file holds; a date cell is kept until the next
	// one differs.
	indicatorCells map[string]indicatorCell
	regionCells    map[string]regionCell
	lastAsOf       asOfCell
	unitBases      map[string]bool                      // the plan's units without magnitude (unit.go)
	unitCells      map[string]unitCellOf                // 单位 cells read (unitCell)
	targetsSeen    []*indicators.Target                 // the indicators of the rows read, by indicatorCell.num; nil: none (footnoteUnit)
	cellUnitsSeen  map[string]bool                      // the units 单位 cells declared (footnoteUnit)
	lastUnit       string                               // the last 单位 cell that was no ditto mark
	fields         int                                  // cells the row being read has in the file
	fromAlt        bool                                 // the indicator cell was taken from the second indicator column
	forcedRegion   string                               // the region of the value column being read, with the regions across
	forcedAsOf     time.Time                            // the date of the value column being read, with the dates across
	near           map[string]*indicators.Target        // nearIndicator's guess for each unknown indicator cell
	province       struct{ id, short, lastCity string } // the plan's province: its id, its name's stem (山东), the last cell found no province (provinceRowOfCities)
	canonNames     map[string]*indicators.Target        // by canonName, built at the first miss
	unitMemo       struct {                             // numericUnit of the last row's indicator's unit
		t       *indicators.Target
		numeric bool
	}
	// The last indicator and region cell resolved: files list a series'
	// rows together, and the row checks ask for the indicator twice.
	lastInd struct {
		cell string
		ind  indicatorCell
		ok   bool
	}
	lastReg struct {
		cell string
		reg  regionCell
		ok   bool
	}
}

// indicatorCell is what an indicator cell resolved to.
type indicatorCell struct {
	target   *indicators.Target // nil if none
	blank    bool
	num      int  // the number of target's id in seen
	eachCity bool // target is set for each city (its Scope, compared once, not on every row)
}

// asOfCell is an as_of cell and the date it gives.
type asOfCell struct {
	cell string
	date time.Time // zero until a cell is read
}

// planRegion is what rows need of a region of the plan.
type planRegion struct {
	level indicators.RegionLevel
	index int // in plan.Regions: the region's number in seen
}

// regionCell is what a region cell resolved to.
type regionCell struct {
	id string
	planRegion
}

// row resolves one record, reporting each of its problems. r gives the
// line each cell starts on (a quoted note may span lines).
func (rp *rowParser) row(rec []string, r *recordReader) (Row, bool) {
	c := &rp.cols // not a copy: it is read for every row
	pos := func(i int) int {
		// A cell fitWidth added has no position of its own.
		return r.Line(min(i, rp.fields-1))
	}
	var errs []Problem
	fail := func(err error, i int, field string) {
		errs = append(errs, at(err, pos(i), i+1, field))
	}
	row := Row{Line: pos(0)}

	ind := rp.indicator(rec[c.indicator])
	t := ind.target
	ic := c.indicator
	if rp.fromAlt {
		ic = c.indicatorAlt // the cell read came from the second indicator column
	}
	switch {
	case ind.blank:
		fail(faultf("缺少指标：请填写指标编号或规划中的完整指标名称；如果是合并单元格，请在 Excel 中取消合并，并把指标名称填到每一行",
			"missing indicator: write the indicator id or its exact name in the plan; if the cell was merged, unmerge it in Excel and fill the name into every row"), ic, fieldIndicator)
	case t == nil:
		f := faultf("未知指标 %q：请填写指标编号或规划中的完整指标名称",
			"unknown indicator %q: write the indicator id or its exact name in the plan", fold(rec[c.indicator]))
		near, seen := rp.near[rec[c.indicator]]
		if !seen { // one guess per cell: a file may name an unknown indicator on every row
			if rp.near == nil {
				rp.near = map[string]*indicators.Target{}
			}
			near = nearIndicator(rp.plan, rec[c.indicator])
			rp.near[strings.Clone(rec[c.indicator])] = near
		}
		if near != nil {
			f.zh += fmt.Sprintf("。是否指“%s”（%s）？", DisplayName(near.Name), near.ID)
			f.en += fmt.Sprintf(". Did you mean %q (%s)?", DisplayName(near.Name), near.ID)
		}
		fail(f, ic, fieldIndicator)
	case c.kind == Values && !t.MayReport(rp.dept):
		var leads []string
		for _, id := range t.Lead {
			leads = append(leads, rp.deptName(id))
		}
		fail(&fault{
			zh: fmt.Sprintf("无权上报：%s不是指标 %s（%s）的牵头或参与部门，请由牵头部门（%s）上报", rp.deptName(rp.dept), t.ID, DisplayName(t.Name), strings.Join(leads, "、")),
			en: fmt.Sprintf("not authorised: department %s is not lead or participant of indicator %s (%s); its lead department (%s) reports it", rp.dept, t.ID, DisplayName(t.Name), strings.Join(t.Lead, ", "))},
			ic, fieldIndicator)
	}
	if a := c.indicatorAlt; t != nil && !rp.fromAlt && a >= 0 && a < len(rec) && !emptyCell(rec[a]) {
		// 指标 and 名称 both filled (the web template): a sheet sorted on
		// one column only pairs an id with another indicator's name, and
		// which of the two the value belongs to cannot be told. A name
		// that is no indicator's, or a shortening of the id's own name
		// that happens to be another's (常住人口城镇化率 for its 年度提高
		// 幅度), is a reminder and passed over.
		if other := rp.indicator(rec[a]).target; other != nil && other != t && !strings.Contains(squash(t.Name), squash(rec[a])) {
			fail(&fault{
				zh: fmt.Sprintf("指标编号与名称不符：%s 是“%s”，而名称列写的是“%s”（%s）：请核对这一行（表格是否只对一列排序了？）",
					t.ID, DisplayName(t.Name), DisplayName(other.Name), other.ID),
				en: fmt.Sprintf("the indicator id and name disagree: %s is %s, but the name column says %s (%s): check the row (was the sheet sorted on one column only?)",
					t.ID, DisplayName(t.Name), DisplayName(other.Name), other.ID)}, a, fieldIndicator)
		}
	}
	if t != nil {
		row.Indicator = t.ID
	}

	reg, err := rp.region(rec, t)
	if err != nil {
		i := c.region
		switch {
		case rp.forcedRegion != "":
			i = c.value // the region's own column, with the regions across
		case i < 0:
			i = c.indicator // no region column: the indicator is what decides
		}
		fail(err, i, fieldRegion)
	}
	row.Region = reg.id

	switch {
	case !rp.forcedAsOf.IsZero():
		row.AsOf = rp.forcedAsOf // the date of the column read, with the dates across
	case c.asOf < 0:
		row.AsOf = c.sheetAsOf // no date column: the title's date (titledate.go)
	case c.parts != nil:
		row.AsOf = rp.asOfByParts(rec, fail) // a 月份 or 季度 column (date.go)
	default:
		if asOf, err := rp.asOf(rec[c.asOf]); err != nil {
			fail(err, c.asOf, fieldAsOf)
		} else {
			row.AsOf = asOf
		}
	}

	// The value column, or where it is empty the one it outranked (a rate
	// under 本期值 beside an empty 累计值; never a period's figure for an
	// increment).
	vc := c.value
	if a := c.valueAlt; a >= 0 && emptyCell(rec[vc]) && !emptyCell(rec[a]) &&
		!(c.valueAltPeriod && t != nil && t.Measure == indicators.Increment) {
		vc = a
	}
	if a := c.valueAlt; a >= 0 && vc == c.value && emptyCell(rec[vc]) && !emptyCell(rec[a]) && c.valueAltPeriod {
		vc = a // refused below for an increment, with the reason, rather than as a missing value
	}
	row.Raw = rec[vc]
	month, sp := c.valueMonth, c.valueSpan
	if vc == c.valueAlt {
		month, sp = c.altMonth, c.altSpan
	}
	if month != 0 {
		checkMonth(vc, month, row.AsOf, c.valueField, fail)
	}
	if sp == spanYear { // a period's own figure: 本期值's check below
		if f := wrongSpan(t, sp, row.AsOf); f != nil {
			fail(f, vc, c.valueField)
		}
	}
	cell, unitOK, exp := rec[vc], true, 0
	if t != nil && t.Kind != indicators.Milestone {
		units, titled := c.units, c.titled
		if vc == c.valueAlt && c.valueAlt >= 0 {
			units, titled = c.altUnits, c.altTitled
		}
		// By number, not a map write a row, which was a tenth of the
		// row's own work.
		if ind.num >= len(rp.targetsSeen) || rp.targetsSeen[ind.num] == nil {
			for len(rp.targetsSeen) <= ind.num {
				rp.targetsSeen = append(rp.targetsSeen, nil)
			}
			rp.targetsSeen[ind.num] = t
		}
		exp, unitOK = rp.inFileUnit(rec, t, units, titled, fail)
		if unitOK && exp == 0 && c.note >= 0 && strings.Contains(rec[c.note], "单位") {
			// 备注 单位：万户: the value would be stored 10⁴ too small.
			for _, tu := range titleUnits(nil, rec[c.note:c.note+1], 0) {
				for _, u := range unitsIn(tu.text, rp.unitBases) {
					if e, ok := unitScale(u, t.Unit); ok && e != 0 {
						unitOK = false
						fail(faultf("备注写明单位是 %q，但数值按指标的单位 %q 读取：请把单位写进“单位”列或数值列的表头（如“数值（%s）”）",
							"the note says the unit is %q, but the value is read in the indicator's unit %q: put the unit in a 单位 column or the value column's header (as in 数值（%s）)", u, t.Unit, u), c.note, fieldNote)
					}
				}
			}
		}
	}
	if t != nil && (c.valuePeriod && vc == c.value || c.valueAltPeriod && vc == c.valueAlt) && t.Measure == indicators.Increment {
		unitOK = false
		head := c.valueHead
		if vc == c.valueAlt {
			head = c.altHead
		}
		fail(faultf("列 %q 是本期（本月、本季度等）自身的数，而指标 %s（%s）按累计值考核（新增数自开始以来累计，年度指标自 1 月 1 日起累计）：请填写累计值，列名用“累计值”或“数值”",
			"column %q holds the period's (a month's, a quarter's) own figure, but indicator %s (%s) is judged on its running total (increments since the start, annual ones since 1 January): write the total in a column named 累计值 or 数值",
			head, t.ID, DisplayName(t.Name)), vc, c.valueField)
	}
	if t != nil && unitOK {
		if rp.unitMemo.t != t {
			rp.unitMemo.t, rp.unitMemo.numeric = t, numericUnit(t.Unit)
		}
		v, err := parseValueOf(cell, t.Unit, rp.unitMemo.numeric, t.Kind)
		if err != nil && t.Kind == indicators.Milestone && doneAsNamed(cell, t.Name) {
			v, err = 1, nil // 已印发 for 印发…方案: the milestone's own verb, done
		}
		if err == nil && exp != 0 && bareNumber(cell) {
			v = scale(v, exp) // a cell that spells its unit (110万) keeps it
		}
		if err != nil {
			fail(err, vc, c.valueField)
		} else if err := percentAsFraction(cell, v, t); err != nil {
			fail(err, vc, c.valueField)
		} else {
			row.Value = v
		}
	}
	if c.kind == Targets && t != nil && !row.AsOf.IsZero() {
		if err := revisable(t, row.AsOf); err != nil {
			fail(err, c.asOf, fieldAsOf)
		}
	}
	if c.note >= 0 {
		row.Note = strings.TrimSpace(rec[c.note])
	}
	if len(errs) > 0 {
		// Left to right, as the clerk reads the row.
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Column < errs[j].Column })
		for _, p := range errs {
			rp.ps.add(p)
		}
		return Row{}, false
	}

	var first int
	var dup bool
	if rp.keys != nil && rp.cols.kind == Values {
		first, dup = rp.keys.Add(ind.num*rp.seen.regions+reg.index, row)
	} else {
		first, dup = rp.seen.add(ind.num, reg.index, row.AsOf.Unix(), row.Line)
	}
	if dup {
		rp.ps.add(Problem{Line: row.Line,
			Zh: fmt.Sprintf("与第 %d 行重复：同一指标、地区和截至日期在一个文件中只能出现一次", first),
			En: fmt.Sprintf("duplicates line %d: the same indicator, region and as_of date may appear only once in a file", first)})
		return Row{}, false
	}
	return row, true
}

// inFileUnit is the power of ten that turns a row's value into the
// indicator's unit, from the unit its file declares (unit.go): the 单位
// cell, else the first of the header's units (or a title's) that the
// indicator's can be converted from. A declared unit the indicator's
// cannot be converted from, a 单位 cell with a magnitude not understood,
// and a 单位 cell and header that disagree are faults (ok false).
func (rp *rowParser) inFileUnit(rec []string, t *indicators.Target, units []string, titled bool, fail func(error, int, string)) (exp int, ok bool) {
	c := &rp.cols // not a copy: it is read for every row
	unit := t.Unit
	if unit == "" {
		unit = "无单位"
	}
	ucol := c.unit
	if ucol < 0 || emptyCell(rec[ucol]) {
		// A unit typed in a column without a header (数值 merged over the
		// value and its unit): the row's unit, as a 单位 cell would be.
		ucol = rp.unnamedUnit(rec)
	}
	if ucol >= 0 && !emptyCell(rec[ucol]) {
		raw := rec[ucol]
		if dittoMarks[squash(raw)] {
			// 同上 or 〃: the unit of the row above that gave one.
			if rp.lastUnit == "" {
				fail(faultf("“单位”列写的是 %q，但上面没有写单位的行：请填写单位", "the unit column says %q but no row above gives a unit: write the unit", strings.TrimSpace(raw)), ucol, fieldUnit)
				return 0, false
			}
			raw = rp.lastUnit
		}
		cell, known := rp.unitCell(raw)
		switch {
		case cell != "":
			exp, ok = unitScale(cell, t.Unit)
			if !ok {
				fail(&fault{
					zh: fmt.Sprintf("单位不符：“单位”列写的是 %q，而指标 %s（%s）的单位是 %q：请把数值换算成 %q 填写，并改正单位",
						strings.TrimSpace(raw), t.ID, DisplayName(t.Name), unit, unit),
					en: fmt.Sprintf("unit mismatch: the unit column says %q, but indicator %s (%s) is in %q: convert the value to %q and correct the unit",
						strings.TrimSpace(raw), t.ID, DisplayName(t.Name), unit, unit)}, ucol, fieldUnit)
				return 0, false
			}
			// The web template's 单位 column comes filled in with the
			// plan's unit; a clerk who writes 数值（万人） above it has
			// said two things, and which one the numbers are in is not
			// for the exporter to guess.
			for _, h := range units {
				if he, hok := unitScale(h, t.Unit); hok && he != exp {
					fail(&fault{
						zh: fmt.Sprintf("单位不一致：“单位”列写的是 %q，表头写的是 %q：请删去其中一个，或改为一致（指标 %s 的单位是 %q）", cell, h, t.ID, unit),
						en: fmt.Sprintf("units disagree: the unit column says %q, the header %q: remove one or make them agree (indicator %s is in %q)", cell, h, t.ID, unit)}, ucol, fieldUnit)
					return 0, false
				}
			}
			rp.cellUnitsSeen[strings.Clone(cell)] = true
			return exp, true
		case !known:
			fail(&fault{
				zh: fmt.Sprintf("无法识别单位 %q：请填写指标 %s 的单位 %q，或带数量级的写法（如 万%s）", strings.TrimSpace(raw), t.ID, unit, unit),
				en: fmt.Sprintf("cannot read the unit %q: write indicator %s's unit %q, or it with a magnitude (such as 万%s)", strings.TrimSpace(raw), t.ID, unit, unit)}, ucol, fieldUnit)
			return 0, false
		}
		// A 单位 column may also name the reporting office (单位 is both
		// words): what is not a unit is not read as one.
	}
	if len(units) == 0 {
		return 0, true // the common case: no fold, which allocates for a Chinese unit
	}
	found := ""
	for _, h := range units {
		e, ok := unitScale(h, t.Unit)
		switch {
		case !ok:
		case found == "":
			found, exp = h, e
		case e != exp:
			// 数值（万人、人）: either could be the values' unit.
			fail(&fault{
				zh: fmt.Sprintf("单位不明确：表头写了 %q 和 %q，指标 %s 的数值可以是其中任一个：请只写一个单位", found, h, t.ID),
				en: fmt.Sprintf("ambiguous unit: the header names %q and %q, and indicator %s's values could be in either: name one unit", found, h, t.ID)}, c.value, c.valueField)
			return 0, false
		}
	}
	if found != "" {
		return exp, true
	}
	if titled {
		// 金额单位：万元 above a sheet of households and money: the
		// title's unit is for the rows it fits.
		return 0, true
	}
	fail(&fault{
		zh: fmt.Sprintf("单位不符：表头写的是 %q，而指标 %s（%s）的单位是 %q：请把数值换算成 %q 填写，并改正单位",
			strings.Join(units, "、"), t.ID, DisplayName(t.Name), unit, unit),
		en: fmt.Sprintf("unit mismatch: the header says %q, but indicator %s (%s) is in %q: convert the value to %q and correct the unit",
			strings.Join(units, ", "), t.ID, DisplayName(t.Name), unit, unit)}, c.value, c.valueField)
	return 0, false
}

// unitCell reads a 单位 cell: the unit it names, or "" with known true
// for a cell that is no unit (the reporting office), or "" with known
// false for one that names a magnitude not understood. Cells repeat down
// the column, so each is read once.
func (rp *rowParser) unitCell(cell string) (unit string, known bool) {
	if u, ok := rp.unitCells[cell]; ok {
		return u.unit, u.known
	}
	u := unitCellOf{known: true}
	if us := unitsIn(cell, rp.unitBases); len(us) > 0 {
		u.unit = us[0]
	} else if unitLike(cell) && utf8.RuneCountInString(squash(cell)) <= 6 && !officeName(cell) {
		u.known = false // 万间房: a magnitude of something not understood
	}
	if len(rp.unitCells) < 64 {
		rp.unitCells[strings.Clone(cell)] = u // not the line's block of the file
	}
	return u.unit, u.known
}

// dittoMarks say "as above" in a cell.
var dittoMarks = map[string]bool{"同上": true, "〃": true, "同上行": true, "''": true}

// officeName reports whether a 单位 cell names an office (千佛山街道办事处),
// as the column also may: 单位 is both words.
func officeName(cell string) bool {
	for _, w := range []string{"办事处", "街道", "政府", "委员会", "管委会", "办公室", "中心", "公司", "局", "厅", "委", "院", "站", "社区", "村"} {
		if strings.Contains(cell, w) {
			return true
		}
	}
	return false
}

type unitCellOf struct {
	unit  string
	known bool
}

// unnamedUnit is the first column without a header whose cell in rec is
// a unit (指标,数值,,截至日期 with 131.5,万户), or -1. Anything else there
// is passed over, as an unnamed column is.
func (rp *rowParser) unnamedUnit(rec []string) int {
	for _, i := range rp.cols.unnamed {
		if i < len(rec) && !emptyCell(rec[i]) && looksLikeUnit(declaredUnit(rec[i]), rp.unitBases) {
			return i
		}
	}
	return -1
}

// indicator resolves an indicator cell.
func (rp *rowParser) indicator(cell string) indicatorCell {
	if l := &rp.lastInd; l.ok && l.cell == cell {
		return l.ind
	}
	if ind, ok := rp.indicatorCells[cell]; ok {
		rp.lastInd.cell, rp.lastInd.ind, rp.lastInd.ok = cell, ind, true
		return ind
	}
	ind := indicatorCell{target: rp.target(cell), blank: emptyCell(cell)}
	if t := ind.target; t != nil {
		ind.num = rp.seen.indicator(t.ID)
		ind.eachCity = t.Scope == indicators.EachCity
		if cell == t.ID || cell == t.Name {
			rp.indicatorCells[cell] = ind
		}
	}
	return ind
}

// target finds an indicator by id or Chinese name, the name also as input
// methods type it: half-width brackets and quotes for the plan's
// full-width ones, 5g for ５Ｇ, spaces anywhere.
func (rp *rowParser) target(cell string) *indicators.Target {
	if t, ok := lookup(cell, rp.plan.Target); ok {
		return t
	}
	if rp.canonNames == nil {
		rp.canonNames = map[string]*indicators.Target{}
		ambiguous := map[string]bool{}
		for _, t := range rp.plan.Targets {
			k := canonName(t.Name)
			if o, dup := rp.canonNames[k]; dup && o != t {
				ambiguous[k] = true
			}
			rp.canonNames[k] = t
		}
		for k := range ambiguous {
			delete(rp.canonNames, k) // two names alike: only the exact spelling decides
		}
	}
	return rp.canonNames[canonName(cell)]
}

// quotes are the quotation marks a name may be typed with, as ASCII.
var quotes = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`, "‘", "'", "’", "'", "「", `"`, "」", `"`)

// canonName is a name as the loosest match compares it: folded, without
// spaces, lowercase, with plain quotation marks.
func canonName(s string) string {
	return strings.ToLower(squash(quotes.Replace(s)))
}

// lookup finds a name or id by the spellings it may be written in: as
// written, then folded (full-width letters), then lowercased (ids are
// lowercase ASCII), then without white space inside. Folding alone could spoil a Chinese name written with
// full-width brackets in the plan, hence the unfolded spelling first. A
// spelling is only made if the one before it was not found.
func lookup[V any](cell string, find func(string) (V, bool)) (V, bool) {
	if v, ok := find(strings.TrimSpace(cell)); ok {
		return v, true
	}
	f := fold(cell)
	if v, ok := find(f); ok {
		return v, true
	}
	if v, ok := find(strings.ToLower(f)); ok {
		return v, true
	}
	// 常住人口 城镇化率, 济 南: a space typed or wrapped into the name.
	if nospace := squash(f); nospace != f {
		return find(nospace)
	}
	var zero V
	return zero, false
}

// region resolves the region cell (the province when absent or empty) and
// checks it fits the indicator's scope.
func (rp *rowParser) region(rec []string, t *indicators.Target) (regionCell, error) {
	cell := ""
	switch {
	case rp.forcedRegion != "":
		cell = rp.forcedRegion // the region column of a table with the regions across
	case rp.cols.region >= 0:
		cell = rec[rp.cols.region]
	}
	reg, err := rp.regionOf(cell)
	if err != nil || t == nil {
		return reg, err
	}
	switch {
	case t.Scope == indicators.EachCity && reg.level != indicators.CityLevel:
		why, whyEn := "现在是 "+rp.regionName(reg.id), "it is "+reg.id
		if rp.cols.region < 0 {
			why, whyEn = "但文件没有“地区”列", "the file has no region column"
		}
		zh, en := rp.regionChoices(false)
		return regionCell{}, &fault{
			zh: fmt.Sprintf("指标 %s（%s）按各市分别考核，地区必须填写一个市（%s）：请填写 %s", t.ID, DisplayName(t.Name), why, zh),
			en: fmt.Sprintf("indicator %s (%s) is set for each city, so the region must be a city (%s): write %s", t.ID, DisplayName(t.Name), whyEn, en)}
	case t.Scope != indicators.EachCity && reg.level != indicators.ProvinceLevel && rp.forcedRegion != "":
		// A table of cities across has no region cell to clear.
		return regionCell{}, &fault{
			zh: fmt.Sprintf("指标 %s（%s）是全省指标，没有各市的数值：请把全省的数值填在“%s”或“全省”列，这一行 %s 列的数值请删去",
				t.ID, DisplayName(t.Name), rp.regionName(rp.plan.ProvinceID()), rp.regionName(reg.id)),
			en: fmt.Sprintf("indicator %s (%s) is a province-wide target with no city values: put the province's value in a %s (全省) column and delete this row's value in the %s column",
				t.ID, DisplayName(t.Name), rp.plan.ProvinceID(), reg.id)}
	case t.Scope != indicators.EachCity && reg.level != indicators.ProvinceLevel:
		return regionCell{}, &fault{
			zh: fmt.Sprintf("指标 %s（%s）是全省指标，地区请留空或填写 %s，不能是 %s；表中如有全省（合计）行，请把它放在各市的行之前，各市的分项数就会被忽略",
				t.ID, DisplayName(t.Name), rp.regionName(rp.plan.ProvinceID()), rp.regionName(reg.id)),
			en: fmt.Sprintf("indicator %s (%s) is a province-wide target: leave the region empty or write %s, not %s; if the sheet has a province (合计) row, put it before the cities' rows, and the cities' figures are ignored",
				t.ID, DisplayName(t.Name), rp.plan.ProvinceID(), reg.id)}
	}
	return reg, nil
}

// regionOf resolves a region cell; an empty one means the province.
func (rp *rowParser) regionOf(cell string) (regionCell, error) {
	if l := &rp.lastReg; l.ok && l.cell == cell {
		return l.reg, nil
	}
	if reg, ok := rp.regionCells[cell]; ok {
		rp.lastReg.cell, rp.lastReg.reg, rp.lastReg.ok = cell, reg, true
		return reg, nil
	}
	id := rp.plan.ProvinceID()
	if !emptyCell(cell) && !totalRegion(cell) { // 全省, 合计: the province
		found := false
		if id, found = lookup(cell, rp.plan.Region); !found {
			zh, en := rp.regionChoices(true)
			return regionCell{}, &fault{
				zh: fmt.Sprintf("未知地区 %q：请填写 %s", fold(cell), zh),
				en: fmt.Sprintf("unknown region %q: write %s", fold(cell), en)}
		}
	}
	if id == "" {
		return regionCell{}, faultf("规划中没有省级地区，无法确定默认地区：请联系管理员",
			"the plan has no province to default to: contact the administrator")
	}
	reg := regionCell{id: id, planRegion: rp.regions[id]}
	if _, exact := rp.plan.Region(cell); exact || cell == "" {
		rp.regionCells[cell] = reg
	}
	return reg, nil
}

// regionName is a region's Chinese name, or its id if it has none.
func (rp *rowParser) regionName(id string) string {
	for _, r := range rp.plan.Regions {
		if r.ID == id && r.Name != "" {
			return r.Name
		}
	}
	return id
}

// deptName is a department's Chinese name with its id (省住房城乡建设厅（housing）),
// or the id alone if the plan does not name it.
func (rp *rowParser) deptName(id string) string {
	if d, ok := rp.plan.Department(id); ok && d.Name != "" {
		return d.Name + "（" + id + "）"
	}
	return "部门 " + id
}

// regionChoices lists the regions a clerk may write, in both languages.
func (rp *rowParser) regionChoices(withProvince bool) (string, string) {
	var zh, en []string
	for _, r := range rp.plan.Regions {
		if r.Level == indicators.CityLevel || withProvince {
			zh = append(zh, DisplayName(r.Name))
			en = append(en, r.ID)
		}
	}
	return strings.Join(zh, "、"), strings.Join(en, ", ")
}

// asOf reads an as_of cell.
func (rp *rowParser) asOf(cell string) (time.Time, error) {
	if last := rp.lastAsOf; !last.date.IsZero() && last.cell == cell {
		return last.date, nil
	}
	in := cell
	if rp.cols.asOfYears && isYear(fold(cell)) {
		in = fold(cell) + "年" // a 年份 column: 2023 is the year 2023
	}
	d, err := rp.dates.parse(in)
	if err == nil {
		rp.lastAsOf = asOfCell{cell: cell, date: d}
	}
	return d, err
}

// isYear reports whether s is four ASCII digits.
func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	_, ok := decimal(s)
	return ok
}

// revisable says why a target revision dated asOf would change nothing,
// so that the coordinator is told instead of a receipt saying it was
// taken: a milestone's target is "done"; a checkpoint must lie after the
// start and by the deadline; annual and sustained targets use no
// checkpoints, so only a revision on the deadline (the target value for
// every year, or the level to hold) counts. A revision is the end of its
// day, as checkpoints are.
func revisable(t *indicators.Target, asOf time.Time) *fault {
	at := asOf.AddDate(0, 0, 1)
	day := func(x time.Time) string { return x.Add(-time.Nanosecond).In(asOf.Location()).Format(time.DateOnly) }
	switch {
	case t.Kind == indicators.Milestone:
		return faultf("指标 %s（%s）是里程碑，目标就是“完成”，不能修订目标值",
			"indicator %s (%s) is a milestone: its target is done, there is no value to revise", t.ID, DisplayName(t.Name))
	case !t.Start.IsZero() && !at.After(t.Start):
		return faultf("修订日期 %s 在指标 %s 开始（%s）之前：请填写开始之后的日期",
			"the revision date %s is before indicator %s starts (%s): use a later date", asOf.Format(time.DateOnly), t.ID, t.Start.In(asOf.Location()).Format(time.DateOnly))
	case !t.Ongoing() && at.After(t.Deadline):
		return faultf("修订日期 %s 晚于指标 %s 的完成时限 %s：修订最终目标请填写完成时限当日",
			"the revision date %s is after indicator %s's deadline %s: to revise the final target, date it on the deadline", asOf.Format(time.DateOnly), t.ID, day(t.Deadline))
	case (t.Period == indicators.Annual || t.Period == indicators.Sustained) && t.Ongoing():
		return faultf("指标 %s（%s）按年或持续考核且没有完成时限，目标值只能在计划文件中修改",
			"indicator %s (%s) is judged each year or at all times and has no deadline: change its target in the plan file", t.ID, DisplayName(t.Name))
	case (t.Period == indicators.Annual || t.Period == indicators.Sustained) && !at.Equal(t.Deadline):
		return faultf("指标 %s（%s）按年或持续考核，不设阶段目标：修订目标值请填写完成时限 %s 当日",
			"indicator %s (%s) is judged each year or at all times, without checkpoints: date a revision on its deadline, %s", t.ID, DisplayName(t.Name), day(t.Deadline))
	}
	return nil
}

// checkMonth refuses a value whose column header names a period that does
// not end in the month of the row's date (1-9月完成 beside 2023-06-30): a
// sheet reused from another period, its header or its dates not updated.
func checkMonth(col, month int, asOf time.Time, field string, fail func(error, int, string)) {
	if month == 0 || asOf.IsZero() || int(asOf.Month()) == month {
		return
	}
	fail(faultf("这一列的表头写明时段到 %d 月为止，而截至日期是 %s：请核对后改正表头或日期",
		"the column's header names a period ending in month %d, but the as_of date is %s: correct the header or the date",
		month, asOf.Format(time.DateOnly)), col, field)
}

// nearIndicator is the one indicator of the plan whose name the cell
// nearly is: the name without its bracketed qualifier (城镇新增就业人数 for
// 城镇新增就业人数（年度）), or the cell with a bracket the name lacks
// (改造老旧小区户数（万户）). Only a hint: the row is refused all the same,
// since two indicators may differ by just that qualifier.
func nearIndicator(plan *indicators.Plan, cell string) *indicators.Target {
	s := squash(cell)
	if s == "" {
		return nil
	}
	bare := func(n string) string {
		base, _ := splitRemarks(squash(n))
		return strings.TrimRight(base, "_ ")
	}
	var found *indicators.Target
	for _, t := range plan.Targets {
		n := squash(t.Name)
		if bare(n) == bare(s) || strings.HasPrefix(n, s) && len(s) >= len(n)/2 {
			if found != nil && found != t {
				return nil // more than one: no guess
			}
			found = t
		}
	}
	return found
}

// doneAsNamed reports a milestone answered with 已 and its own verb (已印发
// for 印发…实施方案, 已报送 for …年度报送, 已建成 for 建成…): done, as
// 已完成 is. The verb must be in the milestone's name: 已启动 for a plan
// to issue is not its completion.
func doneAsNamed(cell, name string) bool {
	verb, ok := strings.CutPrefix(squash(cell), "已")
	return ok && utf8.RuneCountInString(verb) >= 2 && !strings.ContainsAny(verb, "未不") && strings.Contains(squash(name), verb)
}
