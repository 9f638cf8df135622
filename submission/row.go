package submission

import (
	"encoding/csv"
	"fmt"
	"sort"
	"strings"

	"github.com/shandong/indicator_exporter/indicators"
)

// rowKey identifies a series point; a file may name each one once.
type rowKey struct {
	indicator, region string
	asOf              int64
}

// rowParser resolves the data rows of one file against the plan.
type rowParser struct {
	*parser
	cols   columns
	seen   map[rowKey]int // the line each key was first seen on
	levels map[string]indicators.RegionLevel
}

// row resolves one record, reporting each of its problems. r gives the
// line each cell starts on (a quoted note may span lines).
func (rp *rowParser) row(rec []string, r *csv.Reader) (Row, bool) {
	c := rp.cols
	pos := func(i int) int { l, _ := r.FieldPos(i); return l }
	var errs []Problem
	fail := func(err error, i int, field string) {
		errs = append(errs, at(err, pos(i), i+1, field))
	}
	row := Row{Line: pos(0)}

	t := rp.target(rec[c.indicator])
	switch {
	case fold(rec[c.indicator]) == "":
		fail(faultf("缺少指标：请填写指标编号或规划中的完整指标名称",
			"missing indicator: write the indicator id or its exact name in the plan"), c.indicator, fieldIndicator)
	case t == nil:
		fail(faultf("未知指标 %q：请填写指标编号或规划中的完整指标名称",
			"unknown indicator %q: write the indicator id or its exact name in the plan", fold(rec[c.indicator])), c.indicator, fieldIndicator)
	case c.kind == Values && !t.MayReport(rp.dept):
		fail(faultf("无权上报：部门 %s 不是指标 %s（%s）的牵头或参与部门",
			"not authorised: department %s is not lead or participant of indicator %s (%s)", rp.dept, t.ID, DisplayName(t.Name)), c.indicator, fieldIndicator)
	}
	if t != nil {
		row.Indicator = t.ID
	}

	if region, err := rp.region(rec, t); err != nil {
		i := c.region
		if i < 0 {
			i = c.indicator // no region column: the indicator is what decides
		}
		fail(err, i, fieldRegion)
	} else {
		row.Region = region
	}

	parse := parseDate
	if c.kind == Targets {
		parse = parseCheckpointDate
	}
	if asOf, err := parse(rec[c.asOf], rp.now, rp.loc); err != nil {
		fail(err, c.asOf, fieldAsOf)
	} else {
		row.AsOf = asOf
	}

	row.Raw = rec[c.value]
	if t != nil {
		if v, err := parseValue(rec[c.value], t.Unit, t.Kind); err != nil {
			fail(err, c.value, c.valueField)
		} else {
			row.Value = v
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

	k := rowKey{row.Indicator, row.Region, row.AsOf.Unix()}
	if first, dup := rp.seen[k]; dup {
		rp.ps.add(Problem{Line: row.Line,
			Zh: fmt.Sprintf("与第 %d 行重复：同一指标、地区和截至日期在一个文件中只能出现一次", first),
			En: fmt.Sprintf("duplicates line %d: the same indicator, region and as_of date may appear only once in a file", first)})
		return Row{}, false
	}
	rp.seen[k] = row.Line
	return row, true
}

// target finds an indicator by id or Chinese name, as written, then folded
// (full-width letters), then lowercased (ids are lowercase ASCII).
func (rp *rowParser) target(cell string) *indicators.Target {
	for _, k := range lookupKeys(cell) {
		if t, ok := rp.plan.Target(k); ok {
			return t
		}
	}
	return nil
}

// lookupKeys are the spellings a name or id is looked up by. Folding alone
// could spoil a Chinese name written with full-width brackets in the plan,
// hence the unfolded spelling first.
func lookupKeys(cell string) []string {
	raw := strings.TrimSpace(cell)
	f := fold(cell)
	return []string{raw, f, strings.ToLower(f)}
}

// region resolves the region cell (the province when absent or empty) and
// checks it fits the indicator's scope.
func (rp *rowParser) region(rec []string, t *indicators.Target) (string, error) {
	cell := ""
	if rp.cols.region >= 0 {
		cell = rec[rp.cols.region]
	}
	id := rp.plan.ProvinceID()
	if fold(cell) != "" {
		found := false
		for _, k := range lookupKeys(cell) {
			if id, found = rp.plan.Region(k); found {
				break
			}
		}
		if !found {
			zh, en := rp.regionChoices(true)
			return "", &fault{
				zh: fmt.Sprintf("未知地区 %q：请填写 %s", fold(cell), zh),
				en: fmt.Sprintf("unknown region %q: write %s", fold(cell), en)}
		}
	}
	if id == "" {
		return "", faultf("规划中没有省级地区，无法确定默认地区：请联系管理员",
			"the plan has no province to default to: contact the administrator")
	}
	if t == nil {
		return id, nil
	}
	level := rp.levels[id]
	switch {
	case t.Scope == indicators.EachCity && level != indicators.CityLevel:
		why, whyEn := "现在是 "+id, "it is "+id
		if rp.cols.region < 0 {
			why, whyEn = "但文件没有“地区”列", "the file has no region column"
		}
		zh, en := rp.regionChoices(false)
		return "", &fault{
			zh: fmt.Sprintf("指标 %s（%s）按各市分别考核，地区必须填写一个市（%s）：请填写 %s", t.ID, DisplayName(t.Name), why, zh),
			en: fmt.Sprintf("indicator %s (%s) is set for each city, so the region must be a city (%s): write %s", t.ID, DisplayName(t.Name), whyEn, en)}
	case t.Scope != indicators.EachCity && level != indicators.ProvinceLevel:
		return "", faultf("指标 %s（%s）是全省指标，地区请留空或填写 %s，不能是 %s",
			"indicator %s (%s) is a province-wide target: leave the region empty or write %s, not %s",
			t.ID, DisplayName(t.Name), rp.plan.ProvinceID(), id)
	}
	return id, nil
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
