package submission

import (
	"strings"

	"github.com/shandong/indicator_exporter/indicators"
)

// A file may say which unit its values are in: a remark on the value
// column's header (完成值（万人）, 数值(单位:亿元)) or a 单位 column. The
// plan decides the unit an indicator is stored in, but a value given in
// another unit must not be stored as if it were in the plan's: 110 under
// 完成值（万人） is 1,100,000 people, not 110.

// declaredUnit is a unit as a file writes it, folded, without a leading
// 单位: ("单位：万人" -> "万人").
func declaredUnit(s string) string {
	s = fold(s)
	for _, p := range []string{"单位:", "单位", "unit:"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s = strings.TrimSpace(rest)
			break
		}
	}
	return s
}

// unitBase is a unit without its magnitude (万人 -> 人), with 百分点 read
// as %: a rise of a rate in points under a (%) header is the same number.
func unitBase(u string) string {
	_, base := splitUnit(u)
	if base == "百分点" {
		return "%"
	}
	return base
}

// inDeclaredUnit returns the value cell to parse for an indicator in
// planUnit when the file declares the unit declared: the cell itself if
// the units agree, the cell with the declared unit spelled out if only
// the magnitude differs (110 with 万人 for an indicator in 人 becomes
// "110万人", which parseNumber scales), and ok false if the units
// differ.
func inDeclaredUnit(cell, declared, planUnit string) (string, bool) {
	if declared == "" {
		return cell, true // the common case: no fold, which allocates for a Chinese unit
	}
	u := fold(planUnit)
	if declared == u {
		return cell, true
	}
	if unitBase(declared) != unitBase(u) {
		return cell, false
	}
	if _, base := splitUnit(declared); base == "百分点" || base == "%" {
		return cell, true // no magnitude to carry over
	}
	if _, ok := plainDecimal(strings.ReplaceAll(fold(cell), ",", "")); !ok {
		return cell, true // the cell spells out its own unit or is not a number
	}
	return cell + declared, true
}

// isUnit reports whether a header remark names a unit the plan uses (in
// any magnitude) rather than saying something else (完成值（累计）).
func isUnit(remark string, bases map[string]bool) bool {
	return remark != "" && bases[unitBase(remark)]
}

// planUnitBases are the units of the plan's indicators without magnitude,
// and %: what a header remark must name to be taken for a unit.
func planUnitBases(p *indicators.Plan) map[string]bool {
	m := map[string]bool{"%": true}
	for _, t := range p.Targets {
		if u := unitBase(fold(t.Unit)); u != "" {
			m[u] = true
		}
	}
	return m
}
