package submission

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shandong/indicator_exporter/indicators"
)

// missingMarks are what clerks write in a cell that has no number.
var missingMarks = map[string]bool{"": true, "-": true, "--": true, "—": true, "——": true, "–": true,
	"/": true, "无": true, "暂无": true, "n/a": true, "N/A": true}

// multipliers are the Chinese magnitude suffixes, longest first, as powers
// of ten.
var multipliers = []struct {
	suffix string
	exp    int
}{{"万亿", 12}, {"亿", 8}, {"万", 4}}

// numberRE is a plain decimal number: digits with optional thousands
// commas, a fraction and an exponent (Excel writes 1.8E+05 for wide
// numbers). strconv.ParseFloat alone would also take "inf", "0x1p3" and
// "1_000".
var numberRE = regexp.MustCompile(`^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?$|^\.\d+(?:[eE][+-]?\d+)?$`)

// parseValue reads a value (or target) cell of an indicator with the given
// unit and kind. The result is in the indicator's unit and finite.
func parseValue(cell, unit string, kind indicators.Kind) (float64, error) {
	return parseValueOf(cell, unit, numericUnit(unit), kind)
}

// parseValueOf is parseValue with numericUnit(unit) known.
func parseValueOf(cell, unit string, numeric bool, kind indicators.Kind) (float64, error) {
	if kind != indicators.Milestone && !numeric {
		if v, ok := plainDecimal(cell); ok {
			return v, nil
		}
	}
	return parseAnyValue(cell, unit, kind)
}

// plainDecimal reads the form most cells take, an ASCII decimal such as
// 12345, -3.5 or .25, as parseNumber would, but without its folding and
// regular expressions. ok is false for every other cell, and for a number
// out of range: parseAnyValue reads or explains those.
func plainDecimal(s string) (v float64, ok bool) {
	i := 0
	if s != "" && (s[0] == '+' || s[0] == '-') {
		i++
	}
	digits, dot, frac := 0, false, 0
	var mant uint64
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
			if mant < 1<<52 {
				mant = mant*10 + uint64(c-'0')
			}
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	if mant < 1<<52 && frac < len(exactPow10) {
		// Both exact in a float64, so one division rounds once, as
		// strconv's own exact path does (Clinger): the same bits as
		// ParseFloat without its general scan. FuzzValueFastPath holds
		// the two to the same results.
		v = float64(mant) / exactPow10[frac]
		if s[0] == '-' && v != 0 {
			v = -v // no -0, as parseNumber
		}
		return v, true
	}
	v, err := strconv.ParseFloat(s, 64) // the same digits parseNumber passes it
	if err != nil {
		return 0, false
	}
	if v == 0 {
		v = 0 // no -0, as parseNumber
	}
	return v, true
}

// exactPow10 are the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// numericUnit reports whether the unit, folded, holds a digit or a point:
// only such a unit could end a plain decimal, and parseNumber would strip
// it. It stays clear of fold, which allocates for every Chinese unit: the
// full-width digits and point are all that fold to a digit or a point.
func numericUnit(unit string) bool {
	for _, r := range unit {
		if '0' <= r && r <= '9' || r == '.' || '０' <= r && r <= '９' || r == '．' {
			return true
		}
	}
	return false
}

// parseAnyValue reads a value cell in every form parseValue accepts.
func parseAnyValue(cell, unit string, kind indicators.Kind) (float64, error) {
	if t := strings.TrimSpace(cell); strings.HasPrefix(t, "（") && strings.HasSuffix(t, "）") {
		// (1200) is an accountant's -1200, but full-width brackets hold
		// a remark in Chinese sheets: which one is meant, the clerk says.
		return 0, faultf("数值 %q 写在中文括号里：负数请写成 -1200；如果括号里是说明，请把说明写进备注列，这里只填数字",
			"the value %q is in Chinese brackets: write a negative number as -1200; if the brackets hold a remark, put it in the note column and write the number alone", t)
	}
	s := fold(cell)
	if missingMarks[s] {
		return 0, faultf("缺少数值：每一行都必须填写数值，没有数据的行请删除",
			"missing value: every row must carry a value; delete rows that have no data")
	}
	if strings.Trim(s, "#") == "" {
		// Excel fills a cell too narrow for its number with #.
		return 0, faultf("单元格显示为 %q：列宽不够，Excel 存成了 # 号而不是数字。请在 Excel 中加宽该列（或把单元格格式设为“常规”）后重新另存为 CSV",
			"the cell reads %q: the column was too narrow and Excel saved # signs instead of the number; widen the column (or format the cells as General) in Excel and save as CSV again", s)
	}
	if strings.HasPrefix(s, "#") {
		return 0, faultf("单元格是 Excel 错误值 %q：请修正公式，或直接填写数字",
			"the cell holds the Excel error %q: fix the formula or type the number", s)
	}
	if kind == indicators.Milestone {
		return parseMilestone(s)
	}
	return parseNumber(s, unit)
}

// parseMilestone reads done / not done.
func parseMilestone(s string) (float64, error) {
	switch strings.Join(strings.Fields(strings.ToLower(s)), " ") {
	// Office sheets also tick boxes and answer yes or no; "in progress" is
	// not done yet.
	case "1", "完成", "已完成", "done", "是", "√", "✓", "✔", "yes", "y", "true":
		return 1, nil
	case "0", "未完成", "not done", "否", "×", "✗", "✘", "no", "n", "false", "进行中", "推进中", "正在推进", "in progress",
		"持续推进", "实施中", "正在实施", "尚未完成":
		return 0, nil
	}
	return 0, faultf("里程碑指标只接受 1（完成、已完成、是、√）或 0（未完成、进行中、否、×），收到的是 %q",
		"a milestone indicator accepts only 1 (完成, 已完成, 是, √, done) or 0 (未完成, 进行中, 否, ×, not done); got %q", s)
}

// parseNumber reads a folded, non-empty quantitative cell.
func parseNumber(s, unit string) (float64, error) {
	orig := s
	switch strings.ToLower(strings.TrimLeft(s, "+-−")) {
	case "nan", "inf", "infinity", "∞":
		return 0, faultf("数值必须是有限的数字，不能是 %q", "the value must be a finite number, not %q", orig)
	}
	bad := func() error {
		return faultf("无法识别的数值 %q：请填写数字，如 180000、180,000、18万 或 66.5%%",
			"cannot parse number %q: write a number such as 180000, 180,000, 18万 or 66.5%%", orig)
	}
	// Spaces inside a number ("180 000", "66.5 %") carry no meaning.
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)

	// Accounting negatives: (300) is -300.
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg, s = true, s[1:len(s)-1]
	}
	switch {
	case strings.HasPrefix(s, "+"):
		if neg {
			return 0, bad()
		}
		s = s[1:]
	case strings.HasPrefix(s, "-"), strings.HasPrefix(s, "−"): // U+2212 too
		if neg {
			return 0, bad()
		}
		neg = true
		_, n := utf8.DecodeRuneInString(s)
		s = s[n:]
	}

	// 28,650万㎡: a cell spells its unit as headers do (㎡ for 平方米).
	if strings.ContainsAny(s, "㎡²") {
		s = cellUnitSpellings.Replace(s)
	}

	// 2.26:1, as a ratio (城乡居民收入比) is written: the ratio in 倍.
	if r, ok := strings.CutSuffix(s, ":1"); ok && fold(unit) == "倍" {
		s = r
	}

	// The unit: "66.5%" for a % indicator, "1.5亿元" for one in 万元. Only
	// the base unit is stripped so that the magnitude suffix that may
	// precede it still counts.
	unitExp, base := splitUnit(fold(unit))
	explicit := false // the cell spells out its magnitude
	switch {
	case base != "" && strings.HasSuffix(s, base):
		s, explicit = strings.TrimSuffix(s, base), true
		if base == "百分点" {
			s = strings.TrimSuffix(s, "个") // 1.2个百分点, as it is said
		}
	case base == "百分点" && strings.HasSuffix(s, "%"):
		// A rise of a rate in points written as 1.2%: the same number,
		// as under a (%) header (samePercent).
		s, explicit = strings.TrimSuffix(s, "%"), true
	case strings.HasSuffix(s, "%"):
		if unit == "" {
			return 0, faultf("本指标没有单位，不能写 %%：请直接填写数字（%q）",
				"this indicator has no unit, so %% does not apply: write a plain number (%q)", orig)
		}
		return 0, faultf("本指标的单位是 %q，不是 %%：请按该单位填写数字（%q）",
			"this indicator's unit is %q, not %%: write the number in that unit (%q)", unit, orig)
	}

	// A bare number is in the indicator's unit. A number with 万, 亿 or
	// the base unit spells out its magnitude, which is then made relative
	// to the unit's own: "18万" of an indicator in 万人 is 18, "5000元" of
	// one in 万元 is 0.5.
	exp := 0
	for _, m := range multipliers {
		if strings.HasSuffix(s, m.suffix) {
			s, exp, explicit = strings.TrimSuffix(s, m.suffix), m.exp, true
			break
		}
	}
	if explicit {
		exp -= unitExp
	}
	if !numberRE.MatchString(s) {
		if strings.Contains(s, ",") {
			return 0, faultf("无法识别的数值 %q：逗号只能用作千位分隔符（如 180,000），小数点请用“.”",
				"cannot parse number %q: a comma may only separate thousands (180,000); use \".\" for decimals", orig)
		}
		return 0, bad()
	}
	s = strings.ReplaceAll(s, ",", "")

	// Scale by editing the exponent, not by multiplying: 1.1*1e4 is
	// 11000.000000000002, "1.1e4" parses to 11000.
	mant, e := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		var err error
		mant = s[:i]
		if e, err = strconv.Atoi(s[i+1:]); err != nil {
			return 0, outOfRange(orig)
		}
		// Beyond ±100000 every mantissa over- or underflows alike;
		// clamping keeps the sum below from overflowing int.
		e = max(-100000, min(e, 100000))
	}
	e += exp
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e), 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, outOfRange(orig)
		}
		return 0, bad()
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, outOfRange(orig)
	}
	if neg {
		v = -v
	}
	if v == 0 {
		v = 0 // no -0
	}
	return v, nil
}

func outOfRange(s string) error {
	return faultf("数值 %q 超出范围", "the number %q is out of range", s)
}

// splitUnit separates a unit's magnitude prefix from its base: 万人 is 10^4
// 人, 亿元 is 10^8 元, % is %.
func splitUnit(unit string) (int, string) {
	for _, m := range multipliers {
		if strings.HasPrefix(unit, m.suffix) {
			return m.exp, strings.TrimPrefix(unit, m.suffix)
		}
	}
	return 0, unit
}

// percentAsFraction refuses a % indicator's value written as a fraction:
// 0.665 for 66.5 %, which is what a cell formatted as a percentage shows
// once the format is lost (saved as CSV, pasted as a value). Stored, it
// would read as a hundredth of the truth and put the indicator far behind
// its schedule. It applies only where no real value can be that small: a
// level of at least 10 % to reach, a value from -1 to 1 but not 0 (1 is
// what a 100 % cell becomes), written without a % sign (0.5% is taken as
// written).
func percentAsFraction(cell string, v float64, t *indicators.Target) error {
	if v == 0 || v < -1 || v > 1 || t.Kind == indicators.Milestone || t.Measure != indicators.Level || math.Abs(t.Value) < 10 {
		return nil
	}
	if _, base := splitUnit(fold(t.Unit)); base != "%" || strings.HasSuffix(fold(cell), "%") {
		return nil
	}
	pct := strconv.FormatFloat(v*100, 'f', -1, 64)
	if r, err := strconv.ParseFloat(strconv.FormatFloat(v*100, 'g', 12, 64), 64); err == nil {
		pct = strconv.FormatFloat(r, 'f', -1, 64) // 66.5, not 66.50000000000001
	}
	return faultf("数值 %[1]q 像是把百分数写成了小数：本指标的单位是 %%，目标 %[2]s%%，应填写百分数的数字，如 %[3]s；如果确实是 %[1]s%%，请在单元格中写明 %[1]s%%",
		"value %[1]q looks like a percentage written as a fraction: this indicator's unit is %%, its target %[2]s%%, so write the percentage, e.g. %[3]s; if it really is %[1]s%%, write %[1]s%% in the cell",
		strings.TrimSpace(cell), strconv.FormatFloat(t.Value, 'f', -1, 64), pct)
}

// cellUnitSpellings are the symbols a value cell may spell its unit with,
// as the plan spells it.
var cellUnitSpellings = strings.NewReplacer("㎡", "平方米", "m²", "平方米", "km²", "平方公里")
