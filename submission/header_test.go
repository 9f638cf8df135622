package submission

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestParseHeader(t *testing.T) {
	tests := map[string]struct {
		header    string // comma separated
		want      columns
		wantErrs  []string
		wantWarns []string
	}{
		"English names are found": {
			header: "indicator,value,as_of,region,note",
			want:   columns{kind: Values, width: 5, indicator: 0, value: 1, valueField: "value", asOf: 2, region: 3, note: 4, unit: -1, indicatorAlt: -1, valueAlt: -1},
		},
		"Chinese names are found in any order": {
			header: "备注,截至日期,地区,数值,指标",
			want:   columns{kind: Values, width: 5, indicator: 4, value: 3, valueField: "value", asOf: 1, region: 2, note: 0, unit: -1, indicatorAlt: -1, valueAlt: -1},
		},
		"日期 is accepted for as_of and optional columns may be absent": {
			header: "指标,数值,日期",
			want:   columns{kind: Values, width: 3, indicator: 0, value: 1, valueField: "value", asOf: 2, region: -1, note: -1, unit: -1, indicatorAlt: -1, valueAlt: -1},
		},
		"Names match case-insensitively after trimming and width folding": {
			header: " INDICATOR ,Ｖａｌｕｅ,As Of\u3000",
			want:   columns{kind: Values, width: 3, indicator: 0, value: 1, valueField: "value", asOf: 2, region: -1, note: -1, unit: -1, indicatorAlt: -1, valueAlt: -1},
		},
		"A target column makes a Targets file": {
			header: "指标,目标值,截至日期",
			want:   columns{kind: Targets, width: 3, indicator: 0, value: 1, valueField: "target", asOf: 2, region: -1, note: -1, unit: -1, indicatorAlt: -1, valueAlt: -1},
		},
		"The unit hint column is accepted silently": {
			header: "指标,数值,单位,截至日期",
			want:   columns{kind: Values, width: 4, indicator: 0, value: 1, valueField: "value", asOf: 3, region: -1, note: -1, unit: 2, indicatorAlt: -1, valueAlt: -1},
		},
		"The value header's remark is kept whole for the row parser to read its unit": {
			header: "指标,完成值（单位：万人）,截至日期",
			want:   columns{kind: Values, width: 3, indicator: 0, value: 1, valueField: "value", asOf: 2, region: -1, note: -1, unit: -1, unitRemark: "单位:万人", indicatorAlt: -1, valueAlt: -1},
		},
		"Empty header cells Excel leaves behind are ignored silently": {
			header: "指标,数值,截至日期,,",
			want:   columns{kind: Values, width: 5, indicator: 0, value: 1, valueField: "value", asOf: 2, region: -1, note: -1, unit: -1, indicatorAlt: -1, valueAlt: -1, unnamed: []int{3, 4}},
		},
		"Unknown columns are warnings, not errors": {
			header:    "指标,数值,截至日期,填报人",
			want:      columns{kind: Values, width: 4, indicator: 0, value: 1, valueField: "value", asOf: 2, region: -1, note: -1, unit: -1, indicatorAlt: -1, valueAlt: -1},
			wantWarns: []string{`1:4 : unknown column "填报人" ignored`},
		},
		"A missing indicator column is named in both languages": {
			header:   "数值,截至日期",
			wantErrs: []string{`1:0 indicator: missing required column "indicator" (or "指标")`},
		},
		"A missing value column mentions the target alternative": {
			header:   "指标,截至日期",
			wantErrs: []string{`1:0 value: missing required column "value" (or "数值"); the header (the first line, or the line under a title) must have it, such as: indicator,value,as_of; a file revising targets has "target" instead`},
		},
		"A missing as_of column is named": {
			header:   "指标,数值",
			wantErrs: []string{`1:0 as_of: missing required column "as_of" (or "截至日期")`},
		},
		"A missing column lists the unrecognised ones as likely typos": {
			header:    "指标,valeu,截至日期",
			wantErrs:  []string{`1:0 value: missing required column "value" (or "数值"); the header (the first line, or the line under a title) must have it, such as: indicator,value,as_of; a file revising targets has "target" instead. Unrecognised columns in the header: valeu`},
			wantWarns: []string{`1:2 : unknown column "valeu"`},
		},
		"A data row in place of the header misses every column": {
			header: "urban_rate,66.5,2023-06-30",
			wantErrs: []string{
				`1:0 indicator: missing required column`,
				`1:0 value: missing required column`,
				`1:0 as_of: missing required column`,
			},
			wantWarns: []string{`1:1 : unknown`, `1:2 : unknown`, `1:3 : unknown`},
		},
		"A column given twice in two languages is refused": {
			header:   "指标,数值,截至日期,value",
			wantErrs: []string{`1:4 value: column "value" appears twice (columns 2 and 4)`},
		},
		"A target beside a value is a reference in a file of values": {
			header:    "指标,目标值,完成值,截至日期",
			want:      columns{kind: Values, width: 4, indicator: 0, value: 2, valueField: "value", asOf: 1 + 2, region: -1, note: -1, unit: -1, indicatorAlt: -1, valueAlt: -1},
			wantWarns: []string{`1:2 : column "目标值" ignored as a reference: this file reports values (column "完成值")`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, errs, warns := parseHeader(strings.Split(tc.header, ","), 1)
			got.valueHead, got.altHead = "", "" // the headers as written, for messages
			checkProblems(t, errs, tc.wantErrs)
			checkProblems(t, warns, tc.wantWarns)
			if len(tc.wantErrs) == 0 && !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("columns = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDelimiter(t *testing.T) {
	tests := map[string]struct {
		text string
		want rune
	}{
		"A comma header is comma separated":                           {"指标,数值,截至日期\n", ','},
		"A tab header without commas is tab separated":                {"指标\t数值\t截至日期\r\n", '\t'},
		"A header with both tabs and commas is comma separated":       {"指标,数值\t备注,截至日期\n", ','},
		"Leading blank lines do not decide":                           {"\n \r\n指标\t数值\t截至日期\n", '\t'},
		"A single-column header is comma separated":                   {"指标\n", ','},
		"Tabs in data rows do not matter when the header has commas":  {"指标,数值\nurban_rate\t1\n", ','},
		"An empty text is comma separated (the header check reports)": {"", ','},
		"A title line above the header does not decide":               {"山东省城镇化指标报送表\r\n指标\t数值\t截至日期\r\n", '\t'},
		"A title with a comma and more tabs is tab separated":         {"填报单位：省人社厅, 填报日期: 2023-03-05\t\t\r\n指标\t数值\t截至日期\r\n", '\t'},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := delimiter(tc.text); got != tc.want {
				t.Fatalf("delimiter = %q, want %q", got, tc.want)
			}
		})
	}
}

// emptyCell tells blank cells without folding them, which holds because
// folding turns white space into white space and nothing else into it.
func TestFoldKeepsWhiteSpace(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if s := string(r); emptyCell(s) != (fold(s) == "") {
			t.Errorf("%U: emptyCell = %v, fold = %q", r, emptyCell(s), fold(s))
		}
	}
	for _, s := range []string{"", " \t\r\n", "\u3000", "\u3000a", "\xff", " \xe3\x80", "ａ ", "\u00a0\u2003"} {
		if emptyCell(s) != (fold(s) == "") {
			t.Errorf("%q: emptyCell = %v, fold = %q", s, emptyCell(s), fold(s))
		}
	}
}
