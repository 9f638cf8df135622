package submission

import (
	"testing"

	"github.com/shandong/indicator_exporter/indicators"
)

// BenchmarkParseValue covers the value forms clerks write.
func BenchmarkParseValue(b *testing.B) {
	cells := []string{"180000", "180,000", "18万", "66.5%", "１８００００", "(300)", "1.5亿", "2.25"}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cells {
			if _, err := parseValue(c, "个", indicators.Quantitative); err != nil && c != "66.5%" {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseDate covers the date forms clerks write.
func BenchmarkParseDate(b *testing.B) {
	cells := []string{"2023-06-30", "2023/6/30", "2023.6.30", "2023年6月30日", "20230630", "2023-06", "2023年6月"}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cells {
			if _, err := parseDate(c, testNow, cst); err != nil {
				b.Fatal(err)
			}
		}
	}
}
