package submission

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// sameAsCSV reads data with recordReader and with encoding/csv set as
// records sets it, and fails at the first record, line or error where
// they part.
func sameAsCSV(t *testing.T, data string, comma rune, trim bool) {
	t.Helper()
	want := csv.NewReader(strings.NewReader(data))
	want.Comma, want.FieldsPerRecord, want.ReuseRecord, want.TrimLeadingSpace = comma, -1, true, trim
	got := newRecordReader(strings.NewReader(data), comma, trim)
	for n := 0; n < 10000; n++ {
		wrec, werr := want.Read()
		grec, gerr := got.Read()
		var wpe, gpe *csv.ParseError
		switch {
		case errors.As(werr, &wpe):
			if !errors.As(gerr, &gpe) || *wpe != *gpe {
				t.Fatalf("record %d of %q (comma %q, trim %v): error %v, encoding/csv %v", n+1, data, comma, trim, gerr, werr)
			}
		case gerr != werr:
			t.Fatalf("record %d of %q (comma %q, trim %v): error %v, encoding/csv %v", n+1, data, comma, trim, gerr, werr)
		}
		if werr == io.EOF {
			return
		}
		if werr != nil {
			continue // the record beside a parse error is not used
		}
		if !reflect.DeepEqual(grec, wrec) {
			t.Fatalf("record %d of %q (comma %q, trim %v): %q, encoding/csv %q", n+1, data, comma, trim, grec, wrec)
		}
		for i := range wrec {
			if wl, _ := want.FieldPos(i); got.Line(i) != wl {
				t.Fatalf("record %d of %q (comma %q, trim %v), field %d: line %d, encoding/csv %d", n+1, data, comma, trim, i, got.Line(i), wl)
			}
		}
	}
}

var recordCases = []string{
	"",
	"a,b\n",
	"a,b",
	"a,b\r\n c , d\r\n",
	"\n\n\r\na\n\n",
	"\r",
	"a\r",
	"a\r\r",
	"a,b\r\r\n",
	"a,\rb\n",
	"a,   \n",
	"\u3000全角,\u00a0x\n",
	"a\tb\t\tc\n",
	"\"x\ny\",z\nq,r\n",
	"p\n\"x\r\ny\",\"z\"\"w\"\nq\n",
	"a\"b,c\nd,e\n",
	"\"a\"b,c\nd,e\n",
	"\"unclosed\nmore\nlines",
	"ok\n\"a\",\"b\"\n\"c\nd\"\n\nlast",
	"  \"a\",b\n",
	"\"\"\n\"\"\"\"\n",
	"x,\"\n",
}

// longCases pass src's 64 KiB buffer, and csv.Reader's; too large to
// seed the fuzzer with.
var longCases = []string{
	strings.Repeat("y", 70000) + ",z\n\"q\nr\"\n" + strings.Repeat("w", 70000) + "\n",
	"\"" + strings.Repeat("v", 70000) + "\n" + strings.Repeat("u", 5000) + "\"\nend\n",
	manyLines(),
}

// manyLines spans several of src's buffers with short lines, the kind cut
// from one string a block at a time, and among them the other kinds a
// block must step over or end at: quoted cells over two lines, CRLF and
// empty lines, a line longer than the buffer, and a last line without a
// line feed.
func manyLines() string {
	var b strings.Builder
	for i := range 7000 {
		switch {
		case i == 3000:
			b.WriteString(strings.Repeat("x", 70000) + ",long\n")
		case i%997 == 0:
			b.WriteString("\"quoted\ncell\",q\n")
		case i%331 == 0:
			b.WriteString("\r\n\n")
		case i%7 == 0:
			b.WriteString(fmt.Sprintf("indicator_%05d, city%02d,%d.5\r\n", i%350, i%16, i))
		default:
			b.WriteString(fmt.Sprintf("indicator_%05d,city%02d,%d.5,2023-06-30\n", i%350, i%16, i))
		}
	}
	b.WriteString("last,line")
	return b.String()
}

func TestRecordReaderReadsAsEncodingCSV(t *testing.T) {
	for _, c := range append(recordCases, longCases...) {
		for _, comma := range []rune{',', '\t'} {
			for _, trim := range []bool{false, true} {
				sameAsCSV(t, c, comma, trim)
			}
		}
	}
}

func FuzzRecordReader(f *testing.F) {
	for _, c := range recordCases {
		f.Add(c, false, true)
	}
	f.Fuzz(func(t *testing.T, data string, tab, trim bool) {
		comma := ','
		if tab {
			comma = '\t'
		}
		sameAsCSV(t, data, comma, trim)
	})
}
