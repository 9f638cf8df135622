package submission

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Hostile files at the parser: sizes and shapes meant to exhaust memory or
// time, and cells meant to run in Excel. Each is refused (or accepted) with
// bounded work, and no report line can start with a cell.

// measure runs f and returns how long it took and how many bytes it
// allocated.
func measure(f func()) (time.Duration, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	el := time.Since(start)
	runtime.ReadMemStats(&after)
	return el, after.TotalAlloc - before.TotalAlloc
}

func TestHostileShapesAreRefusedWithBoundedWork(t *testing.T) {
	const mb = 1 << 20
	tests := map[string]struct {
		data     func() []byte
		lim      Limits
		want     string // in the first problem's English
		maxAlloc uint64 // bytes allocated, at most this many times the file's size
	}{
		"A header of a million columns": {
			data: func() []byte {
				return []byte("indicator,value,as_of" + strings.Repeat(",x", 1_000_000) + "\nrenovated,1,2023-06-30\n")
			},
			lim: Limits{MaxBytes: 8 * mb}, want: "the line is", maxAlloc: 6,
		},
		"A data row of a million empty columns": {
			data: func() []byte {
				return []byte("indicator,value,as_of\nrenovated,1,2023-06-30" + strings.Repeat(",", 999_999) + "\n")
			},
			lim: Limits{MaxBytes: 8 * mb}, want: "more than 1000 columns", maxAlloc: 6,
		},
		"A single line of 100 MB within a raised size limit": {
			data: func() []byte { return bytes.Repeat([]byte("a"), 100*mb) },
			lim:  Limits{MaxBytes: 128 * mb}, want: "the line is", maxAlloc: 4,
		},
		"A single line of 100 MB with the default limit is refused by size": {
			data: func() []byte { return bytes.Repeat([]byte("a"), 100*mb) },
			want: "the file is 104857600 bytes, more than the limit", maxAlloc: 1,
		},
		"NUL bytes on every line": {
			data: func() []byte { return bytes.Repeat([]byte("a\x00b,c\n"), 10*mb/8) },
			lim:  Limits{MaxBytes: 16 * mb}, want: "NUL bytes", maxAlloc: 4,
		},
		"Invalid GB18030 on 1.5 million lines, just under the default size limit": {
			data: func() []byte { return bytes.Repeat([]byte("指标,数值\n\x81\x30\xff\xfe,\x80\n"), 30*mb/20) },
			want: "not valid GB18030", maxAlloc: 8,
		},
		"A quote that never closes over 10 MB": {
			data: func() []byte {
				return []byte("indicator,value,as_of\nrenovated,\"1" + strings.Repeat("1\n", 5*mb) + "\n")
			},
			lim: Limits{MaxBytes: 16 * mb}, want: "unbalanced double quote", maxAlloc: 8,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			data := tc.data()
			var err error
			el, alloc := measure(func() { _, err = Parse("t.csv", data, testPlan(), "zjt", testNow, tc.lim) })
			e, ok := err.(*Error)
			if !ok || len(e.Problems) == 0 {
				t.Fatalf("not refused: %v", err)
			}
			if !strings.Contains(e.Problems[0].En, tc.want) {
				t.Errorf("first problem %q, want it to say %q", e.Problems[0].En, tc.want)
			}
			t.Logf("%d MiB in %v, %d MiB allocated", len(data)>>20, el.Round(time.Millisecond), alloc>>20)
			if alloc > tc.maxAlloc*uint64(len(data))+mb {
				t.Errorf("allocated %d MiB for a file of %d MiB (limit %d×)", alloc>>20, len(data)>>20, tc.maxAlloc)
			}
			if el > 10*time.Second {
				t.Errorf("took %v", el)
			}
		})
	}
}

// Cells Excel would run as formulas are echoed in reports only quoted
// inside a sentence; notes holding them are accepted and kept verbatim
// (they are data; whatever shows them must escape them).
func TestFormulaCellsAreOnlyEchoedQuoted(t *testing.T) {
	formulas := []string{`=cmd|' /C calc'!A0`, `+cmd|' /C calc'!A0`, `-cmd|' /C calc'!A0`, `@SUM(1+1)`, "=1+1\r\n=2+2"}
	for _, f := range formulas {
		q := `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		for _, data := range []string{
			"指标,地区,数值,截至日期\n" + q + ",,1,2023-06-30\n",
			"指标,地区,数值,截至日期\nurban_rate," + q + ",1,2023-06-30\n",
			"指标,地区,数值,截至日期\nurban_rate,," + q + ",2023-06-30\n",
			"指标,地区,数值,截至日期\nurban_rate,,1," + q + "\n",
			"指标,数值,截至日期," + q + "\n" + "urban_rate,1,2023-06-30,\n",
			"指标,数值,截至日期,备注\nurban_rate,1,2023-06-30," + q + "\n",
		} {
			file, err := Parse("t.csv", []byte(data), testPlan(), "fgw", testNow, Limits{})
			var rep string
			if err != nil {
				rep = err.(*Error).Report()
			} else {
				for _, w := range file.Warnings {
					rep += w.String() + "\r\n"
				}
				// encoding/csv reads a quoted CRLF as LF.
				if n := file.Rows[0].Note; n != "" && n != strings.ReplaceAll(f, "\r\n", "\n") {
					t.Errorf("note %q not kept verbatim: %q", f, n)
				}
			}
			checkReport(t, rep)
			if i := strings.Index(rep, f); i == 0 || i > 0 && rep[i-1] != '"' {
				t.Errorf("%q shown unquoted:\n%s", f, rep)
			}
		}
	}
}

// Names from the plan and header cells with line breaks are shown escaped
// in report lines, like file names.
func TestNamesWithLineBreaksAreEscapedInReports(t *testing.T) {
	p := testPlan()
	for _, tg := range p.Targets {
		tg.Name = "指标\r\n=cmd|' /C calc'!A0" + tg.ID
	}
	p.Regions[1].Name = "济南\n=1+1"
	p.Index()
	for _, data := range []string{
		"指标,数值,截至日期\nurban_rate,1,2023-06-30\n",      // jyt may not report it: names the indicator
		"指标,地区,数值,截至日期\nrenovated,烟台,1,2023-06-30\n", // lists the regions
		"指标,数值,a\rb\n", // lists unknown header cells
	} {
		_, err := Parse("t\n=1.csv", []byte(data), p, "jyt", testNow, Limits{})
		if err == nil {
			t.Fatalf("accepted %q", data)
		}
		checkReport(t, err.(*Error).Report())
	}
}
