package submission

import (
	"bytes"
	"fmt"
	"testing"
	"time"

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

// benchPlan is a plan the size of a large province's: 350 each-city
// indicators over 16 cities, all led by housing.
func benchPlan() *indicators.Plan {
	p := &indicators.Plan{
		Name:        "基准测试计划",
		Location:    cst,
		Coordinator: "ndrc",
		Departments: []indicators.Department{{ID: "ndrc", Name: "省发展改革委"}, {ID: "housing", Name: "省住房城乡建设厅"}},
		Regions:     []indicators.Region{{ID: "shandong", Name: "山东省", Level: indicators.ProvinceLevel}},
	}
	for c := range 16 {
		p.Regions = append(p.Regions, indicators.Region{ID: fmt.Sprintf("city%02d", c), Name: fmt.Sprintf("城市%02d", c), Level: indicators.CityLevel})
	}
	for i := range 350 {
		p.Targets = append(p.Targets, &indicators.Target{ID: fmt.Sprintf("indicator_%05d", i), Name: fmt.Sprintf("指标%05d", i),
			Unit: "个", Kind: indicators.Quantitative, Scope: indicators.EachCity, Lead: []string{"housing"}, Participants: []string{"ndrc"}})
	}
	p.Index()
	return p
}

// BenchmarkStream reads a 4 MB UTF-8 file of the plainest rows, the
// common case of a large drop: ASCII ids, plain decimals, ISO dates. The
// indicator changes every row, the city every 350 rows, the date every
// 5600, so that no two rows name the same point.
func BenchmarkStream(b *testing.B) {
	var s bytes.Buffer
	s.WriteString("indicator,region,value,as_of\n")
	for i := 0; s.Len() < 4<<20; i++ {
		fmt.Fprintf(&s, "indicator_%05d,city%02d,%d.%d,%s\n", i%350, i/350%16, i%100000, i%10,
			day(2000, 1, 1).AddDate(0, 0, i/(350*16)).Format(time.DateOnly))
	}
	data := s.Bytes()
	plan := benchPlan()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_, err := Stream("b.csv", bytes.NewReader(data), int64(len(data)), true, plan, "housing", testNow, Limits{},
			func(Kind, []Row) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}
