package submission

import (
	"testing"
	"time"
)

// TestATwoLineHeaderIsReadColumnByColumn: Excel saves a merged group cell
// over its columns as a group line and a column line (2023年 over 目标,
// 完成, 完成率; 各市完成情况 over the cities). The two are read as one
// header, column by column; a line of data under a title is not taken
// for the second line of a header.
func TestATwoLineHeaderIsReadColumnByColumn(t *testing.T) {
	type want struct {
		region string
		asOf   time.Time
		value  float64
	}
	for name, tc := range map[string]struct {
		dept, data string
		rows       []want
	}{
		"a year over its target and result": {
			dept: "fgw", data: "序号,指标名称,2023年,,\n,,目标,完成,完成率\n1,urban_rate,66,65.53,99.3%\n",
			rows: []want{{"shandong", day(2023, 12, 31), 65.53}},
		},
		"the cities under their group": {
			dept: "zjt", data: "序号,指标名称,各市完成情况,,,截至日期\n,,济南市,青岛市,全省,\n1,renovated,1200,1300,,2021-06-30\n",
			rows: []want{{"jinan", day(2021, 6, 30), 1200}, {"qingdao", day(2021, 6, 30), 1300}},
		},
		"a plain header under a title": {
			dept: "fgw", data: "重点指标完成情况表,,\n指标,数值,截至日期\nurban_rate,65.5,2023-09-30\n",
			rows: []want{{"shandong", day(2023, 9, 30), 65.5}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := mustParse(t, crlf(tc.data), tc.dept)
			if len(f.Rows) != len(tc.rows) {
				t.Fatalf("rows = %+v, want %d", f.Rows, len(tc.rows))
			}
			for i, w := range tc.rows {
				if r := f.Rows[i]; r.Region != w.region || !r.AsOf.Equal(w.asOf) || r.Value != w.value {
					t.Errorf("row %d = %s %s %v, want %s %s %v", i, r.Region, r.AsOf.Format(time.DateOnly), r.Value,
						w.region, w.asOf.Format(time.DateOnly), w.value)
				}
			}
		})
	}
}
