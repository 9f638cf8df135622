package submission

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shandong/indicator_exporter/indicators"
)

// A file may say which unit its values are in: a remark on the value
// column's header (完成值（万人）, 数值(单位:亿元)) or a 单位 column. The
// plan decides the unit an indicator is stored in, but a value given in
// another unit must not be stored as if it were in the plan's: 110 under
// 完成值（万人） is 1,100,000 people, not 110.

// unitMagnitudes are the magnitude prefixes a declared unit may carry,
// longest first, as powers of ten. 千 and 百 count here (千人, 百万元),
// though not in a cell, where 千米 is a unit of its own.
var unitMagnitudes = []struct {
	prefix string
	exp    int
}{{"万亿", 12}, {"千万", 7}, {"百万", 6}, {"亿", 8}, {"万", 4}, {"千", 3}, {"百", 2}}

// commonUnits are units offices write that a plan may not use, so that a
// remark naming one (（元）, （人次）) is taken for a unit, not for words.
var commonUnits = map[string]bool{
	"元": true, "人": true, "人次": true, "户": true, "个": true, "家": true, "座": true, "处": true, "所": true,
	"辆": true, "台": true, "套": true, "间": true, "张": true, "项": true, "次": true, "件": true, "条": true,
	"公里": true, "千米": true, "米": true, "平方米": true, "平方公里": true, "亩": true, "公顷": true, "吨": true,
	"倍": true, "%": true, "百分点": true, "元/亩": true, "万元/亩": true, "床": true, "张床": true,
}

// declaredUnit is a unit as a file writes it: folded, without white space
// (万 人), without a leading 单位: and without what follows a comma or
// semicolon (单位：万人，累计 -> 万人), in canonical spelling (canonUnit).
func declaredUnit(s string) string {
	s = strings.Join(strings.Fields(fold(s)), "")
	for _, p := range []string{"单位:", "单位", "unit:"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			s = rest
			break
		}
	}
	if i := strings.IndexAny(s, ",;、"); i >= 0 {
		s = s[:i]
	}
	return canonUnit(s)
}

// unitSpellings are the other ways offices write a unit (traditional
// characters from a Hong Kong or Taiwan input method, symbols, pinyin
// abbreviations), as the plan's spelling. Longest first where one holds
// another.
var unitSpellings = strings.NewReplacer(
	"平方公里", "平方公里", "平方千米", "平方公里", "km²", "平方公里", "km2", "平方公里", "公里", "千米", "km", "千米",
	"㎡", "平方米", "m²", "平方米", "m2", "平方米", "平米", "平方米",
	"萬", "万", "億", "亿", "戶", "户", "個", "个", "噸", "吨", "畝", "亩", "處", "处", "張", "张",
	"輛", "辆", "臺", "台", "間", "间", "項", "项", "條", "条", "頃", "顷", "張床", "张床",
	"百分比", "%", "个百分点", "百分点",
	// Rates: 人/每千人口, 人每千人, 名/千人 are 人/千人; 吨/天 is 吨/日;
	// 元/人·月 and 元/户/月 are 元/月.
	"每千人口", "/千人", "千人口", "千人", "名/", "人/", "/每", "/", "每", "/", "/天", "/日",
	"/人·月", "/月", "/户·月", "/月", "/人/月", "/月", "/户/月", "/月", "·月", "/月",
)

// canonUnit is a unit in one spelling: 万㎡ is 万平方米, 萬戶 is 万户, and
// 公里 and km are 千米, so that 米 converts to them.
func canonUnit(u string) string {
	if w, ok := wholeUnitSpellings[u]; ok {
		return w
	}
	for i := 0; i < len(u); i++ {
		if u[i] >= utf8.RuneSelf || u[i] == 'm' || u[i] == 'k' {
			return strings.ReplaceAll(unitSpellings.Replace(u), "//", "/")
		}
	}
	return u
}

// wholeUnitSpellings are spellings that are a unit only as the whole cell:
// m is 米 alone, not inside km or m².
var wholeUnitSpellings = map[string]string{
	"m": "米", "10⁴m²": "万平方米", "10^4m2": "万平方米", "10⁴m2": "万平方米", "万平": "万平方米", "万m": "万米",
}

// unitQualifiers are words a remark puts around its unit that do not
// change it: 数值（累计万户）, 数值（万户数）.
var unitQualifiers = []string{"累计", "本期", "本年", "合计", "总计", "当年", "新增"}

// unitsIn are the units a header remark or a title names, in order: the
// whole remark if it is one (万元/亩), else each part of it between
// separators and brackets (累计，万户; 万户/累计; 万户（累计）), with the
// qualifiers around a unit left out (累计万户, 万户数). A part that names no
// unit is left out too; see unitLike.
func unitsIn(text string, planBases map[string]bool) []string {
	whole := strings.Trim(strings.Join(strings.Fields(fold(text)), ""), "()[]【】")
	if !strings.ContainsAny(whole, ",;、") {
		if u := declaredUnit(whole); looksLikeUnit(u, planBases) {
			return []string{u}
		}
	}
	var out []string
	add := func(u string) bool {
		for _, q := range unitQualifiers {
			u = strings.TrimPrefix(u, q)
		}
		if !looksLikeUnit(u, planBases) {
			if v, ok := strings.CutSuffix(u, "数"); ok && looksLikeUnit(v, planBases) {
				u = v
			}
		}
		if !looksLikeUnit(u, planBases) {
			return false
		}
		if !slices.Contains(out, u) {
			out = append(out, u)
		}
		return true
	}
	for _, part := range strings.FieldsFunc(fold(text), func(r rune) bool { return strings.ContainsRune(",;、()[]【】", r) }) {
		// A rate (人/千人, 万元/亩) whole; else what comes before a
		// slash (万户/年, 万户/累计), never what comes after it: the 千
		// of 名/千人 scales nothing.
		u := declaredUnit(part)
		if !add(u) {
			if num, _, ok := strings.Cut(u, "/"); ok {
				add(num)
			}
		}
	}
	return out
}

// unitLike reports whether text names a magnitude (万, 亿, 千, 百) that was
// not understood: a value under it would be off by that much if the text
// were passed over, so it is refused rather than ignored.
func unitLike(text string) bool {
	num, _, _ := strings.Cut(canonUnit(fold(text)), "/") // the 千 of 人/千人 is no magnitude of the value
	return strings.ContainsAny(num, "万亿千百") && !strings.Contains(text, "百分")
}

// splitMagnitude splits a declared unit into its magnitude and the unit
// it scales (万人 -> 4, 人; 万 -> 4, "").
func splitMagnitude(u string) (int, string) {
	for _, m := range unitMagnitudes {
		if rest, ok := strings.CutPrefix(u, m.prefix); ok {
			return m.exp, rest
		}
	}
	return 0, u
}

// samePercent reads 百分点 as %: a rise of a rate in points under a (%)
// header is the same number.
func samePercent(u string) string {
	if u == "百分点" {
		return "%"
	}
	return u
}

// unitScale is the power of ten that turns a number in the declared unit
// into one in the plan's unit (万人 for 人: 4; 元 for 万元: -4; 万 for 人:
// 4), and whether the two units are the same but for magnitude.
func unitScale(declared, planUnit string) (int, bool) {
	u := canonUnit(fold(planUnit))
	if declared == u || strings.HasPrefix(declared, "/") && strings.HasSuffix(u, declared) {
		return 0, true // 每千人口 of a plan in 人/千人 names its denominator only
	}
	pe, pb := splitMagnitude(u)
	// A plan unit that only looks like it has a magnitude (百分点) is
	// taken whole.
	if !commonUnits[pb] && commonUnits[u] {
		pe, pb = 0, u
	}
	de, db := splitMagnitude(declared)
	if !commonUnits[db] && commonUnits[declared] {
		de, db = 0, declared // 百分点 is not 百 × 分点
	}
	if db == "千米" && de != 0 {
		de, db = de+3, "米" // 万公里 is 万 × 千 × 米, as 公里 is 千 × 米 here
	}
	if db == "" && de != 0 { // （万）: a magnitude of the plan's own unit, as the plan writes it
		if !countable(pb) {
			return 0, false // 万 of a %, a ratio or a per-something is no quantity
		}
		// 万 of 公里 is 10⁴ 公里, though 公里 is spelt 千米 here so that
		// 米 converts: the plan's own magnitude is the written one's.
		we, _ := splitMagnitude(fold(planUnit))
		return de - we, true
	}
	if samePercent(db) != samePercent(pb) {
		return 0, false
	}
	return de - pe, true
}

// countable reports whether a unit counts or sums things (人, 户, 万元), so
// that a bare magnitude (万) may scale it: not %, 百分点, 倍 or a rate.
func countable(base string) bool {
	switch samePercent(base) {
	case "%", "倍", "":
		return false
	}
	return !strings.Contains(base, "/")
}

// looksLikeUnit reports whether a header remark names a unit (of the plan,
// or one offices use, in any magnitude, or a bare magnitude) rather than
// saying something else (完成值（截至年底）).
func looksLikeUnit(remark string, planBases map[string]bool) bool {
	if remark == "" {
		return false
	}
	if commonUnits[remark] || planBases[samePercent(remark)] {
		return true
	}
	e, b := splitMagnitude(remark)
	if b == "" {
		return e != 0
	}
	return planBases[samePercent(b)] || commonUnits[b] || commonUnits[remark] || planBases[samePercent(remark)]
}

// bareNumber reports whether a value cell is a number with no unit or
// magnitude of its own: digits, signs, separators, brackets, an exponent.
func bareNumber(cell string) bool {
	s := fold(cell)
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '.', r == ',', r == '+', r == '-', r == '−', r == '(', r == ')', r == 'e', r == 'E', unicode.IsSpace(r):
		default:
			return false
		}
	}
	return true
}

// scale multiplies v by 10^exp through its decimal form: 1.1 in 万 is
// 11000, not 11000.000000000002.
func scale(v float64, exp int) float64 {
	if exp == 0 {
		return v
	}
	// 'f', not 'g': "1.23456789012e+11" with "e-4" appended would not parse.
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', -1, 64)+"e"+strconv.Itoa(exp), 64)
	if err != nil || math.IsInf(r, 0) {
		return v * math.Pow10(exp)
	}
	return r
}

// planUnitBases are the units of the plan's indicators without magnitude,
// and %.
func planUnitBases(p *indicators.Plan) map[string]bool {
	m := map[string]bool{"%": true}
	for _, t := range p.Targets {
		u := canonUnit(fold(t.Unit))
		if u == "" {
			continue
		}
		m[samePercent(u)] = true
		if _, b := splitMagnitude(u); b != "" {
			m[samePercent(b)] = true
		}
	}
	return m
}
