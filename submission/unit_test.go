package submission

import "testing"

func TestUnitScale(t *testing.T) {
	for _, c := range []struct {
		declared, plan string
		want           int
		ok             bool
	}{
		{"万人", "人", 4, true},
		{"万", "人", 4, true}, // a bare magnitude of the plan's unit
		{"千人", "人", 3, true},
		{"人", "万人", -4, true},
		{"元", "万元", -4, true},
		{"亿元", "万元", 4, true},
		{"百万元", "万元", 2, true},
		{"元/亩", "万元/亩", -4, true},
		{"亿元/亩", "万元/亩", 4, true},
		{"%", "%", 0, true},
		{"百分点", "%", 0, true},
		{"%", "百分点", 0, true},
		{"百分点", "百分点", 0, true}, // not 百 × 分点
		{"米", "千米", -3, true},
		{"公里", "公里", 0, true},
		{"万", "公里", 4, true}, // 万 of the plan's 公里, though 公里 is spelt 千米
		{"千", "公里", 3, true},
		{"米", "公里", -3, true},
		{"万公里", "公里", 4, true},
		{"万km", "公里", 4, true},
		{"亿元", "人", 0, false},
		{"万元", "%", 0, false},
		{"个", "户", 0, false},
		{"万人次", "人", 0, false},
		{"人", "人/千人", 0, false}, // the numerator alone may be of any denominator (人/万人口)
		{"吨", "吨/日", 0, false},  // 吨/年 is read as 吨
		{"万人", "人/千人", 0, false},
		{"元", "万元/亩", 0, false},
	} {
		got, ok := unitScale(declaredUnit(c.declared), c.plan)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("unitScale(%q, %q) = %d, %v; want %d, %v", c.declared, c.plan, got, ok, c.want, c.ok)
		}
	}
}

// Rates are read whole, whichever way they are written, and the 千 of a
// denominator scales nothing.
func TestRateUnits(t *testing.T) {
	bases := map[string]bool{"%": true, "人/千人": true, "吨/日": true, "元/月": true, "人": true}
	for remark, want := range map[string]string{
		"人/每千人口": "人/千人", "人每千人": "人/千人", "名/千人": "人/千人", "吨/天": "吨/日", "元/人·月": "元/月", "万户/年": "万户",
	} {
		if got := unitsIn(remark, bases); len(got) != 1 || got[0] != want {
			t.Errorf("unitsIn(%q) = %q, want [%s]", remark, got, want)
		}
		if unitLike(remark) != (want == "万户") {
			t.Errorf("unitLike(%q) = %v", remark, unitLike(remark))
		}
	}
	if exp, ok := unitScale(canonUnit("/千人"), "人/千人"); !ok || exp != 0 {
		t.Errorf("每千人口 alone for 人/千人 = %d, %v; want 0, true", exp, ok)
	}
}

func TestDeclaredUnitAndRemarks(t *testing.T) {
	for in, want := range map[string]string{
		"万 人": "万人", "单位：万人，累计": "万人", "单位:亿元": "亿元", "（万人）": "(万人)", "ｋｍ": "千米", "m": "米", "10⁴m²": "万平方米", "万平": "万平方米", "万㎡": "万平方米", "万m²": "万平方米", "萬戶": "万户", "平方公里": "平方公里",
	} {
		if got := declaredUnit(in); got != want {
			t.Errorf("declaredUnit(%q) = %q, want %q", in, got, want)
		}
	}
	bases := map[string]bool{"%": true, "人": true}
	for remark, want := range map[string]bool{
		"万人": true, "万": true, "千人": true, "元": true, "亿元": true, "人次": true, "%": true, "百分点": true,
		"截至年底": false, "累计": false, "初步": false, "": false,
	} {
		if got := looksLikeUnit(remark, bases); got != want {
			t.Errorf("looksLikeUnit(%q) = %v, want %v", remark, got, want)
		}
	}
}
