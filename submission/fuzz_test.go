package submission

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// FuzzParse checks that no input panics and that Parse returns rows or an
// error, never both, and only rows that satisfy the contract.
func FuzzParse(f *testing.F) {
	for name := range testdataFiles {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"\xEF\xBB\xBF",
		"\xFF\xFE",
		"指标,数值,截至日期\nurban_rate,66.5%,2023/6/30\n",
		"指标,地区,数值,截至日期\nurban_rate,,(300),2023年6月\nurban_rate,,１８万,20230531\n",
		"指标,目标值,截至日期\nurban_rate,70,2024-01-01\n",
		"indicator\tvalue\tas_of\nurban_rate\t1\t2023-06\n",
		"指标,数值,截至日期,备注\nurban_rate,1,2023-06-30,\"a\nb\"\"\"\n",
		"指标,数值,截至日期\nurban_rate,1,2023-06-30\nurban_rate,1,2023-06-30\n",
		"指标,数值,截至日期\n\"unclosed,1,2023-06-30\n",
		"PK\x03\x04",
		"指标,年份,月份,数值\nurban_rate,2024,6,65\nurban_rate,2024,,65\n",
		"指标,年度,季度,月份,数值\nurban_rate,2024年度,二季度,5,65\n",
		"指标,截至日期,季度,数值\nurban_rate,2024-06-30,三季度,65\n",
		"指标,月,数值\nurban_rate,6,65\n",
	} {
		f.Add([]byte(s))
	}
	plan := testPlan()
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.csv", data, plan, "fgw", testNow, Limits{})
		if (file == nil) == (err == nil) {
			t.Fatalf("Parse returned file %v and error %v; want exactly one", file, err)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if len(e.Problems) == 0 || len(e.Problems) > MaxProblems {
				t.Fatalf("error lists %d problems", len(e.Problems))
			}
			for _, p := range e.Problems {
				if p.Zh == "" || p.En == "" || p.Line < 0 || p.Column < 0 {
					t.Fatalf("malformed problem %+v", p)
				}
			}
			_ = e.Error()
			checkReport(t, e.Report())
			return
		}
		for _, w := range file.Warnings {
			checkReport(t, w.String())
		}
		if len(file.Rows) == 0 || file.Encoding == "" {
			t.Fatalf("accepted file with %d rows, encoding %q", len(file.Rows), file.Encoding)
		}
		type key struct {
			indicator, region string
			asOf              int64
		}
		seen := map[key]bool{}
		for _, r := range file.Rows {
			checkRow(t, plan, r)
			k := key{r.Indicator, r.Region, r.AsOf.Unix()}
			if seen[k] {
				t.Fatalf("duplicate row accepted: %+v", r)
			}
			seen[k] = true
		}
	})
}

// checkReport asserts that no line of a report starts with anything but
// the parser's own text: a cell echoed in a report is quoted inside a
// sentence, so it can neither forge a line nor pass for a formula (=, +,
// -, @) when the text is opened in a spreadsheet.
func checkReport(t *testing.T, rep string) {
	t.Helper()
	for _, l := range strings.Split(strings.TrimPrefix(rep, "\ufeff"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("a bare line break inside a report line: %q", l)
		}
		if l != "" && strings.ContainsRune("=+-@\t|\"'", rune(l[0])) {
			t.Fatalf("a report line starts with %q: %q", l[0], l)
		}
	}
}

// checkRow asserts what every accepted row guarantees.
func checkRow(t *testing.T, plan *indicators.Plan, r Row) {
	t.Helper()
	tg, ok := plan.Target(r.Indicator)
	if !ok || tg.ID != r.Indicator {
		t.Fatalf("row has unresolved indicator: %+v", r)
	}
	if !tg.MayReport("fgw") {
		t.Fatalf("row of an indicator fgw may not report: %+v", r)
	}
	if id, ok := plan.Region(r.Region); !ok || id != r.Region {
		t.Fatalf("row has unresolved region: %+v", r)
	}
	if r.Line < 2 {
		t.Fatalf("row on line %d, before any header", r.Line)
	}
	if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
		t.Fatalf("row has a non-finite value: %+v", r)
	}
	checkDate(t, r.AsOf, testNow)
}

// checkDate asserts that d is a midnight in the plan's zone between
// 2000-01-01 and tomorrow.
func checkDate(t *testing.T, d, now time.Time) {
	t.Helper()
	if d.Location() != cst || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
		t.Fatalf("date %v is not a midnight in the plan's zone", d)
	}
	if d.Before(day(2000, 1, 1)) || d.After(day(now.Year(), now.Month(), now.Day()+1)) {
		t.Fatalf("date %v is out of range", d)
	}
}

// FuzzValue checks that a parsed value is finite and that every
// finite number, written plainly or as a percentage, reads back exactly.
func FuzzValue(f *testing.F) {
	for _, s := range []string{"180000", "180,000", "18万", "1.5亿", "66.5%", "１８００００", "６６．５％",
		"−3", "(300)", "+1", "-", "—", "NaN", "1e400", "1,2", "完成", "#N/A", "0x10", "1e99999999999999999999"} {
		f.Add(s, "%", false)
		f.Add(s, "万人", false)
		f.Add(s, "", true)
	}
	f.Fuzz(func(t *testing.T, cell, unit string, milestone bool) {
		kind := indicators.Quantitative
		if milestone {
			kind = indicators.Milestone
		}
		v, err := parseValue(cell, unit, kind)
		if err != nil {
			if f, ok := err.(*fault); !ok || f.zh == "" || f.en == "" {
				t.Fatalf("error %#v is not a bilingual fault", err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("parseValue(%q, %q) = %v", cell, unit, v)
		}
		if milestone && v != 0 && v != 1 {
			t.Fatalf("milestone %q = %v, want 0 or 1", cell, v)
		}
		// Round trip: what Go prints of the value reads back as is.
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if back, err := parseValue(s, "", indicators.Quantitative); err != nil || back != v {
			t.Fatalf("%v printed as %q reads back as %v, %v", v, s, back, err)
		}
		if back, err := parseValue(s+"%", "%", indicators.Quantitative); err != nil || back != v {
			t.Fatalf("%v printed as %q%% reads back as %v, %v", v, s, back, err)
		}
	})
}

// FuzzDate checks that a parsed date is a midnight in range and that
// its ISO form reads back to the same day.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"2023-06-30", "2023/6/30", "2023.6.30", "2023年6月30日", "20230630", "2023-06",
		"2023/6", "2023年6月", "2023/6/30 0:00", "2023-02-30", "2026-07-17", "1999-12-31", "45107", "2023.6", "",
		"2024年1-6月", "2024年1——6月", "2024年前两季度", "2024年4-6月", "2024年6月底", "2024年6月30号", "2024年度"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		d, err := parseDate(cell, testNow, cst)
		if err != nil {
			if f, ok := err.(*fault); !ok || f.zh == "" || f.en == "" {
				t.Fatalf("error %#v is not a bilingual fault", err)
			}
			return
		}
		checkDate(t, d, testNow)
		iso := d.Format(time.DateOnly)
		if back, err := parseDate(iso, testNow, cst); err != nil || !back.Equal(d) {
			t.Fatalf("%q read as %v, printed %q, reads back as %v, %v", cell, d, iso, back, err)
		}
	})
}
