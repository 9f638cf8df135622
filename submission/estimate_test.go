package submission

import (
	"strings"
	"testing"
)

// TestEstimatesAreNotStoredAsDone: a value or date column marked as an
// estimate (预计, 预测) is refused, not read with the mark taken for a
// remark; a 预计完成时间 column, which is no value, is only unknown.
func TestEstimatesAreNotStoredAsDone(t *testing.T) {
	for _, data := range []string{
		"指标名称,计量单位,2021年,2022年,2023年（预计）\nurban_rate,%,64.11,64.54,65.2\n",
		"指标名称,计量单位,2021年,2022年（预计数）\nurban_rate,%,64.11,64.54\n",
		"指标名称,计量单位,完成值（预计）,截至日期\nurban_rate,%,65.8,2023年\n",
		"指标名称,2023年1-9月（预计）\nurban_rate,65.8\n",
		"指标名称,预计完成值,截至日期\nurban_rate,65.8,2023-12-31\n",
		"指标,数值（预计）,截至日期\nurban_rate,67.9,2025年\n",
		"指标,数值（预计数）,截至日期\nurban_rate,67.9,2025年\n",
		"指标,实现值（预计）,截至日期\nurban_rate,67.9,2025年\n",
	} {
		e := mustReject(t, []byte(data), "fgw", DefaultLimits())
		found := false
		for _, p := range e.Problems {
			found = found || strings.Contains(p.En, "holds estimates")
		}
		if !found {
			t.Errorf("%q: problems %v, want one saying the column holds estimates", data, e.Problems)
		}
	}
	f := mustParse(t, "指标名称,数值,截至日期,预计完成时间\nurban_rate,65.5,2023-09-30,2023年底\n", "fgw")
	if len(f.Rows) != 1 || f.Rows[0].Value != 65.5 {
		t.Fatalf("rows = %+v", f.Rows)
	}
	// Beside the value column an estimate is passed over, and said so.
	f = mustParse(t, "指标名称,数值,2023年预计,截至日期\nurban_rate,65.5,65.8,2023-09-30\n", "fgw")
	if len(f.Rows) != 1 || f.Rows[0].Value != 65.5 || len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0].En, "holds estimates") {
		t.Fatalf("rows = %+v, warnings %v", f.Rows, f.Warnings)
	}
}
