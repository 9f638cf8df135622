package submission

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/width"

	"github.com/shandong/indicator_exporter/indicators"
)

func TestParseValue(t *testing.T) {
	const (
		q = indicators.Quantitative
		m = indicators.Milestone
	)
	tests := map[string]struct {
		cell    string
		unit    string
		kind    indicators.Kind
		want    float64
		wantErr string // substring of the English message; "" means success
	}{
		"A plain integer is read as is":                         {cell: "180000", unit: "人", want: 180000},
		"Thousands commas are dropped":                          {cell: "180,000", unit: "人", want: 180000},
		"Thousands commas work with a fraction":                 {cell: "1,234.5", unit: "", want: 1234.5},
		"Full-width digits, comma and point are folded":         {cell: "１，２３４．５", unit: "", want: 1234.5},
		"Full-width digits alone are folded":                    {cell: "１８００００", unit: "人", want: 180000},
		"万 multiplies by ten thousand":                          {cell: "18万", unit: "人", want: 180000},
		"亿 multiplies by a hundred million":                     {cell: "1.5亿", unit: "元", want: 1.5e8},
		"万亿 multiplies by ten to the twelfth":                   {cell: "2万亿", unit: "元", want: 2e12},
		"万 of an indicator counted in 万人 is one":                {cell: "18万", unit: "万人", want: 18},
		"亿 of an indicator counted in 万元 is ten thousand":       {cell: "1.5亿", unit: "万元", want: 15000},
		"A plain number of an indicator in 万人 is in 万人":         {cell: "65.3", unit: "万人", want: 65.3},
		"The indicator's own unit may follow the number":        {cell: "65.3万人", unit: "万人", want: 65.3},
		"A magnitude and the base unit may follow the number":   {cell: "1.5亿元", unit: "万元", want: 15000},
		"The base unit alone spells out the magnitude":          {cell: "5000元", unit: "万元", want: 0.5},
		"Scaling is exact in decimal":                           {cell: "1.1万", unit: "人", want: 11000},
		"A percentage of a % indicator is in percent":           {cell: "66.5%", unit: "%", want: 66.5},
		"A full-width percentage is folded":                     {cell: "６６．５％", unit: "%", want: 66.5},
		"A bare number of a % indicator is in percent":          {cell: "66.5", unit: "%", want: 66.5},
		"A rise in points may say 个百分点":                         {cell: "1.2个百分点", unit: "百分点", want: 1.2},
		"A rise in points may say 百分点":                          {cell: "1.2百分点", unit: "百分点", want: 1.2},
		"A rise in points may be written as a percentage":       {cell: "1.2%", unit: "百分点", want: 1.2},
		"Surrounding ideographic spaces are trimmed":            {cell: "\u3000 66.5 \u3000", unit: "%", want: 66.5},
		"Inner spaces are ignored":                              {cell: "180 000", unit: "人", want: 180000},
		"A hyphen minus makes a negative":                       {cell: "-3", unit: "%", want: -3},
		"A U+2212 minus makes a negative":                       {cell: "−3", unit: "%", want: -3},
		"A full-width minus makes a negative":                   {cell: "－3", unit: "%", want: -3},
		"Parentheses make an accounting negative":               {cell: "(300)", unit: "元", want: -300},
		"Full-width brackets may hold a remark: refused":        {cell: "（300）", unit: "元", wantErr: "in Chinese brackets"},
		"A cell may spell square metres ㎡":                      {cell: "28,650万㎡", unit: "平方米", want: 286500000},
		"A ratio written X:1 is X 倍":                            {cell: "2.26:1", unit: "倍", want: 2.26},
		"A ratio written X：1 is X 倍":                            {cell: "2.26：1", unit: "倍", want: 2.26},
		"X:1 in another unit is refused":                        {cell: "2.26:1", unit: "%", wantErr: "cannot parse number"},
		"A slash is a missing value":                            {cell: "/", unit: "%", wantErr: "missing value"},
		"无 is a missing value":                                  {cell: "无", unit: "%", wantErr: "missing value"},
		"A leading plus is accepted":                            {cell: "+2.5", unit: "%", want: 2.5},
		"Excel's scientific notation is accepted":               {cell: "1.8E+05", unit: "人", want: 180000},
		"A leading decimal point is accepted":                   {cell: ".5", unit: "%", want: 0.5},
		"Minus zero is zero":                                    {cell: "-0", unit: "", want: 0},
		"An empty cell is a missing value":                      {cell: "", unit: "%", wantErr: "missing value"},
		"A blank cell is a missing value":                       {cell: " \u3000", unit: "%", wantErr: "missing value"},
		"A dash is a missing value":                             {cell: "-", unit: "%", wantErr: "missing value"},
		"An em dash is a missing value":                         {cell: "—", unit: "%", wantErr: "missing value"},
		"A double em dash is a missing value":                   {cell: "——", unit: "%", wantErr: "missing value"},
		"Text is not a number":                                  {cell: "abc", unit: "%", wantErr: `cannot parse number "abc"`},
		"NaN is refused":                                        {cell: "NaN", unit: "%", wantErr: "finite"},
		"Infinity is refused":                                   {cell: "-Inf", unit: "%", wantErr: "finite"},
		"Hexadecimal floats are refused":                        {cell: "0x1p3", unit: "", wantErr: "cannot parse number"},
		"Underscores are refused":                               {cell: "1_000", unit: "", wantErr: "cannot parse number"},
		"A decimal comma is refused rather than read as 665":    {cell: "66,5", unit: "%", wantErr: "a comma may only separate thousands"},
		"Misplaced thousands commas are refused":                {cell: "1,80,000", unit: "人", wantErr: "a comma may only separate thousands"},
		"A percentage of an indicator in 万人 names the unit":     {cell: "66.5%", unit: "万人", wantErr: `unit is "万人", not %`},
		"A percentage of an indicator without unit says so":     {cell: "50%", unit: "", wantErr: "no unit"},
		"Another unit than the indicator's is refused":          {cell: "18个", unit: "万人", wantErr: "cannot parse number"},
		"A sign inside accounting parentheses is refused":       {cell: "(-300)", unit: "元", wantErr: "cannot parse number"},
		"Two signs are refused":                                 {cell: "--3", unit: "%", wantErr: "cannot parse number"},
		"An overflowing number is out of range":                 {cell: "1e400", unit: "", wantErr: "out of range"},
		"A huge exponent is out of range, not a crash":          {cell: "1e99999999999999999999", unit: "", wantErr: "out of range"},
		"A multiplier can push a number out of range":           {cell: "1e301亿", unit: "", wantErr: "out of range"},
		"An Excel error value asks to fix the formula":          {cell: "#DIV/0!", unit: "%", wantErr: "Excel error"},
		"A column too narrow asks to widen it":                  {cell: "########", unit: "户", wantErr: "the column was too narrow"},
		"A milestone reads 1 as done":                           {cell: "1", kind: m, want: 1},
		"A milestone reads 0 as not done":                       {cell: "0", kind: m, want: 0},
		"A milestone reads 完成 as done":                          {cell: "完成", kind: m, want: 1},
		"A milestone reads 已完成 as done":                         {cell: "已完成", kind: m, want: 1},
		"A milestone reads 未完成 as not done":                     {cell: "未完成", kind: m, want: 0},
		"A milestone reads done in any case":                    {cell: "DONE", kind: m, want: 1},
		"A milestone reads not done with extra spaces":          {cell: " Not  Done ", kind: m, want: 0},
		"A milestone reads a full-width 1":                      {cell: "１", kind: m, want: 1},
		"A milestone refuses anything else and lists the forms": {cell: "50%", kind: m, wantErr: "accepts only 1 (完成, 已完成, 是, √, done) or 0 (未完成, 进行中, 否, ×, not done)"},
		"A milestone still needs a value":                       {cell: "", kind: m, wantErr: "missing value"},
		"A quantitative indicator does not read 完成":             {cell: "完成", kind: q, unit: "%", wantErr: "cannot parse number"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			kind := tc.kind
			if kind == "" {
				kind = q
			}
			got, err := parseValue(tc.cell, tc.unit, kind)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("parseValue(%q) = %v, want an error containing %q", tc.cell, got, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseValue(%q) error = %q, want it to contain %q", tc.cell, err, tc.wantErr)
				}
				if f, ok := err.(*fault); !ok || f.zh == "" {
					t.Fatalf("parseValue(%q) error %#v has no Chinese message", tc.cell, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseValue(%q): %v", tc.cell, err)
			}
			if got != tc.want || math.Signbit(got) != math.Signbit(tc.want) {
				t.Fatalf("parseValue(%q) = %v, want %v", tc.cell, got, tc.want)
			}
		})
	}
}

// sameValue asserts that parseValue, fast path and all, reads cell as the
// general parseAnyValue does: the same value, sign of zero included, or
// the same problem.
func sameValue(t *testing.T, cell, unit string) {
	t.Helper()
	got, gotErr := parseValue(cell, unit, indicators.Quantitative)
	want, wantErr := parseAnyValue(cell, unit, indicators.Quantitative)
	if math.Float64bits(got) != math.Float64bits(want) || !reflect.DeepEqual(gotErr, wantErr) {
		t.Fatalf("parseValue(%q, %q) = %v, %#v; parseAnyValue says %v, %#v", cell, unit, got, gotErr, want, wantErr)
	}
}

func TestPlainDecimalsReadAsEveryValue(t *testing.T) {
	long := strings.Repeat("9", 400)
	tests := []struct {
		cell string
		fast bool // plainDecimal reads it
	}{
		{"12345", true}, {"12345.6", true}, {"-3.5", true}, {"0.25", true}, {"0", true},
		{"-0", true}, {"+0.0", true}, {"+5", true}, {".5", true}, {"-.5", true}, {"5.", true},
		{"00012", true}, {"000.000", true}, {"12345678901234567890123456789", true},
		{"0." + strings.Repeat("0", 400) + "1", true}, // underflows to 0, no error
		{long, false}, {"-" + long + ".5", false}, // out of range
		{"1e5", false}, {"1E+05", false}, {"1e400", false}, {"1,000", false}, {"1_000", false}, {"0x10", false},
		{"", false}, {"-", false}, {"+", false}, {".", false}, {"-.", false}, {"+-1", false}, {"--1", false},
		{"1.2.3", false}, {"1.", true}, {" 3", false}, {"3 ", false}, {"3\t", false}, {"１２", false},
		{"−3", false}, {"(300)", false}, {"18万", false}, {"66.5%", false}, {"inf", false}, {"NaN", false},
		// Around the exact path's bounds (a mantissa below 2⁵², at most
		// 22 decimals) and values whose division rounds.
		{"0.1", true}, {"0.3", true}, {"2.675", true}, {"1.0000000000000002", true}, {"0.30000000000000004", true},
		{"4503599627370495", true}, {"4503599627370496", true}, {"4503599627370497", true},
		{"9007199254740993", true}, {"450359962737049.5", true}, {"4503599627370495.5", true},
		{"0.0000000000000000000001", true}, {"0.00000000000000000000001", true}, {"-0.000", true},
		{"123456789012345678901.5", true}, {"99999999999999999999999", true},
	}
	for _, tc := range tests {
		if _, ok := plainDecimal(tc.cell); ok != tc.fast {
			t.Errorf("plainDecimal(%q) ok = %v, want %v", tc.cell, ok, tc.fast)
		}
		for _, unit := range []string{"", "%", "个", "万人", "亿元", "5", "ｍ２", "m.", "．"} {
			sameValue(t, tc.cell, unit)
		}
	}
}

// A unit that ends in a digit or point is stripped from a number that
// ends in it, so such units keep plain numbers off the fast path.
func TestNumericUnitsTakeTheGeneralPath(t *testing.T) {
	for _, unit := range []string{"5", "m2", "ｍ２", "m.", "．", "２"} {
		if !numericUnit(unit) {
			t.Errorf("numericUnit(%q) = false", unit)
		}
	}
	for _, unit := range []string{"", "%", "个", "万人", "亿元", "km", "ｋｍ"} {
		if numericUnit(unit) {
			t.Errorf("numericUnit(%q) = true", unit)
		}
	}
	if v, err := parseValue("15", "5", indicators.Quantitative); err != nil || v != 1 {
		t.Fatalf(`parseValue("15", unit "5") = %v, %v; want 1 as parseNumber reads it`, v, err)
	}
}

// numericUnit must catch every rune that folds to a digit or a point.
func TestNumericUnitCoversFolding(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if strings.ContainsAny(width.Fold.String(string(r)), "0123456789.") && !numericUnit(string(r)) {
			t.Errorf("%U folds to %q, but numericUnit misses it", r, width.Fold.String(string(r)))
		}
	}
}

// FuzzValueFastPath: parseValue reads every cell as parseAnyValue does.
func FuzzValueFastPath(f *testing.F) {
	for _, s := range []string{"12345.6", "-0", "+5", ".5", "5.", "00012", "1e5", "-", "+-1", "1,000", strings.Repeat("9", 400), " 3", "１２",
		"0.30000000000000004", "4503599627370497", "0.00000000000000000000001", "2.675"} {
		f.Add(s, "个")
		f.Add(s, "5")
	}
	f.Fuzz(func(t *testing.T, cell, unit string) {
		sameValue(t, cell, unit)
	})
}

// A % indicator's value written as a fraction (0.665 for 66.5 %, what a
// percentage-formatted cell becomes once its format is lost) is refused
// with the number to write instead, where no real value can be that
// small; 0.665% written out is taken as written.
func TestPercentWrittenAsAFractionIsRefused(t *testing.T) {
	plan := func(value float64, measure indicators.Measure) *indicators.Plan {
		p := testPlan()
		u, _ := p.Target("urban_rate")
		u.Value, u.Measure = value, measure
		return p
	}
	for name, c := range map[string]struct {
		plan    *indicators.Plan
		cell    string
		want    float64
		wantErr []string
	}{
		"A fraction of a 66 % target":        {plan: plan(66, indicators.Level), cell: "0.665", wantErr: []string{`"0.665"`, "66.5", "0.665%", "目标 66%"}},
		"A negative fraction":                {plan: plan(66, indicators.Level), cell: "-0.5", wantErr: []string{"-50"}},
		"A fraction with full-width digits":  {plan: plan(66, indicators.Level), cell: "０．６６５", wantErr: []string{"66.5"}},
		"The percentage":                     {plan: plan(66, indicators.Level), cell: "66.5", want: 66.5},
		"The percentage with its sign":       {plan: plan(66, indicators.Level), cell: "66.5%", want: 66.5},
		"A small value spelled with %":       {plan: plan(66, indicators.Level), cell: "0.665%", want: 0.665},
		"A small value spelled with ％":       {plan: plan(66, indicators.Level), cell: "0.665％", want: 0.665},
		"Zero":                               {plan: plan(66, indicators.Level), cell: "0", want: 0},
		"One, 100 % once its format is lost": {plan: plan(100, indicators.Level), cell: "1", wantErr: []string{"100", `1%`}},
		"One spelled with %":                 {plan: plan(100, indicators.Level), cell: "1%", want: 1},
		"Just over one":                      {plan: plan(66, indicators.Level), cell: "1.5", want: 1.5},
		"A target below 10 %":                {plan: plan(5, indicators.Level), cell: "0.665", want: 0.665},
		"An increment in points":             {plan: plan(66, indicators.Increment), cell: "0.665", want: 0.665},
	} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse("r.csv", []byte("指标,数值,截至日期\nurban_rate,"+c.cell+",2026-06-30\n"), c.plan, "fgw", testNow, Limits{})
			if c.wantErr != nil {
				var e *Error
				if !errors.As(err, &e) || len(e.Problems) != 1 {
					t.Fatalf("want one problem, got %v", err)
				}
				msg := e.Problems[0].Zh + " | " + e.Problems[0].En
				for _, w := range c.wantErr {
					if !strings.Contains(msg, w) {
						t.Errorf("problem %q does not say %q", msg, w)
					}
				}
				if e.Problems[0].Line != 2 || e.Problems[0].Column != 2 {
					t.Errorf("problem at line %d column %d, want 2, 2", e.Problems[0].Line, e.Problems[0].Column)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Rows) != 1 || f.Rows[0].Value != c.want {
				t.Fatalf("rows %+v, want the value %v", f.Rows, c.want)
			}
		})
	}
}
