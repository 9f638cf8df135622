package submission

import (
	"strings"
	"testing"
)

// TestCityFiguresBesideAProvinceFigure: a province-wide indicator's
// figures broken down by city, under (or, across, beside) its province
// figure, are passed over with a warning; city figures without a province
// figure before them are refused, as a city of a province-wide indicator.
func TestCityFiguresBesideAProvinceFigure(t *testing.T) {
	for name, tc := range map[string]struct {
		data string
		ok   bool
	}{
		"rows, the province first":   {"指标,地区,数值,截至日期\nurban_rate,全省,65.5,2023-09-30\nurban_rate,济南市,74.1,2023-09-30\nurban_rate,青岛市,77.3,2023-09-30\n", true},
		"across, the province last":  {"指标,济南市,青岛市,全省,截至日期\nurban_rate,74.1,77.3,65.5,2023-09-30\n", true},
		"rows, the cities first":     {"指标,地区,数值,截至日期\nurban_rate,济南市,74.1,2023-09-30\nurban_rate,全省,65.5,2023-09-30\n", false},
		"across, no province figure": {"指标,济南市,青岛市,全省,截至日期\nurban_rate,74.1,77.3,,2023-09-30\n", false},
	} {
		t.Run(name, func(t *testing.T) {
			if !tc.ok {
				e := mustReject(t, []byte(tc.data), "fgw", DefaultLimits())
				if e.Problems[0].Field != fieldRegion || !strings.Contains(e.Problems[0].En, "province-wide") {
					t.Fatalf("problems %v", e.Problems)
				}
				return
			}
			f := mustParse(t, tc.data, "fgw")
			if len(f.Rows) != 1 || f.Rows[0].Region != "shandong" || f.Rows[0].Value != 65.5 {
				t.Fatalf("rows = %+v, want the province's 65.5 alone", f.Rows)
			}
			var ws []string
			for _, w := range f.Warnings {
				ws = append(ws, w.En)
			}
			if !strings.Contains(strings.Join(ws, "\n"), "the cities' figures") {
				t.Errorf("warnings %q do not say the cities' figures were ignored", ws)
			}
		})
	}
}

// TestTheProvinceRowOfAnEachCityIndicatorIsItsTotal: 山东省 (or the
// province's id) above the cities of an each-city indicator is the cities'
// total, passed over as 全省 and 合计 are.
func TestTheProvinceRowOfAnEachCityIndicatorIsItsTotal(t *testing.T) {
	for _, prov := range []string{"山东省", "shandong", "全省"} {
		f := mustParse(t, "指标,地区,数值,截至日期\nrenovated,"+prov+",2500,2023-06-30\nrenovated,济南市,1200,2023-06-30\nrenovated,青岛市,1300,2023-06-30\n", "zjt")
		if len(f.Rows) != 2 || f.Rows[0].Region != "jinan" || f.Rows[1].Region != "qingdao" {
			t.Errorf("%s: rows %+v, want the two cities", prov, f.Rows)
		}
	}
}
