package submission

import (
	"strings"
	"testing"
)

// TestAnUnknownIndicatorGetsAGuess: a name without the plan's bracketed
// qualifier, or with a bracket the plan's lacks, is refused with the
// indicator it nearly names; a blank indicator cell says how to unmerge.
func TestAnUnknownIndicatorGetsAGuess(t *testing.T) {
	for data, want := range map[string]string{
		"指标,地区,数值,截至日期\n改造老旧小区,济南市,1200,2023-09-30\n":                          `Did you mean "改造老旧小区（户）" (renovated)?`,
		"指标,数值,截至日期\n常住人口城镇化率（%）,65.5,2023-09-30\n":                            `Did you mean "常住人口城镇化率" (urban_rate)?`,
		"指标,地区,数值,截至日期\nrenovated,济南市,1200,2023-09-30\n,青岛市,1300,2023-09-30\n": "unmerge it",
		"指标,数值,截至日期\n新增就业,65.5,2023-09-30\n":                                   "", // no guess
	} {
		dept := "zjt"
		if !strings.Contains(data, "济南") {
			dept = "fgw"
		}
		e := mustReject(t, []byte(data), dept, DefaultLimits())
		got := e.Problems[0].En
		if want == "" && strings.Contains(got, "Did you mean") || want != "" && !strings.Contains(got, want) {
			t.Errorf("%q: %s, want %q", data, got, want)
		}
	}
}
