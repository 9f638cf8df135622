package submission

import (
	"regexp"
	"strings"
)

// estimateRE is a word that marks figures as estimated or forecast.
var estimateRE = regexp.MustCompile(`预计|预测|预估|估计|测算`)

// estimated reports a header cell that would be a value or date column
// but for a word that marks its figures as estimates (完成值（预计）,
// 2023年（预计数）, 2023年1-9月预计, 预计完成值). A column such as
// 预计完成时间 of a milestone's sheet, which is no value, is not one.
func estimated(cell string) bool {
	s := fold(cell)
	if !estimateRE.MatchString(s) {
		return false
	}
	rest := estimateRE.ReplaceAllString(s, "")
	rest = strings.NewReplacer("()", "", "[]", "", "【】", "", "(数)", "", "(值)", "").Replace(rest)
	// 数值（预计）is 数值 once the mark goes; 预计数, 预计值 are 数, 值.
	for _, r := range []string{rest, strings.TrimSuffix(rest, "数"), strings.TrimSuffix(rest, "值")} {
		name := normHeader(r)
		if base, had := withoutRemark(name); had {
			name = base
		}
		if f, _, ok := headerField(name); ok && f == fieldValue {
			return true
		}
	}
	name := normHeader(rest)
	if base, had := withoutRemark(name); had {
		name = base
	}
	if _, ok := dateHeader(0, rest); ok {
		return true
	}
	if rest == "" || rest == "完成" {
		return true // 预计数, 预计完成
	}
	_, _, _, _, ok := periodField(name)
	return ok
}
