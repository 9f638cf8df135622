package submission

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// streamOf runs Stream over data read in pieces of every size, as a slow
// share delivers it, and returns its rows and problems.
func streamOf(t testing.TB, data []byte, dept string, oneByte bool) ([]Row, *Error, error) {
	v := &UTF8Validator{}
	for i := 0; i < len(data); i += 7 { // writes split anywhere, even inside a character
		v.Write(data[i:min(i+7, len(data))])
	}
	var r io.Reader = bytes.NewReader(data)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	var rows []Row
	_, err := Stream("f.csv", r, int64(len(data)), v.Valid(), testPlan(), dept, testNow, Limits{},
		func(_ Kind, b []Row) error { rows = append(rows, b...); return nil })
	var pe *Error
	if errors.As(err, &pe) {
		return nil, pe, nil
	}
	return rows, nil, err
}

func problemsOf(e *Error) string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "%s\n", p)
	}
	fmt.Fprintf(&b, "omitted %d\n", e.Omitted)
	return b.String()
}

// sameAsParse asserts that Stream and Parse agree on data: the same rows,
// or the same problems, duplicate keys included.
func sameAsParse(t testing.TB, data []byte, dept string, oneByte bool) {
	f, perr := Parse("f.csv", data, testPlan(), dept, testNow, Limits{})
	var want *Error
	if perr != nil {
		if !errors.As(perr, &want) {
			t.Fatal(perr)
		}
	}
	rows, got, err := streamOf(t, data, dept, oneByte)
	if err != nil {
		t.Fatalf("Stream failed outside the file's problems: %v", err)
	}
	if problemsOf(got) != problemsOf(want) {
		t.Fatalf("problems differ for %q\nStream:\n%s\nParse:\n%s", data, problemsOf(got), problemsOf(want))
	}
	if want == nil && fmt.Sprint(rows) != fmt.Sprint(f.Rows) {
		t.Fatalf("rows differ for %q\nStream: %v\nParse:  %v", data, rows, f.Rows)
	}
}

func TestStreamAgreesWithParse(t *testing.T) {
	gbk := func(s string) []byte { b, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s)); return b }
	u16 := func(s string) []byte {
		b, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		return b
	}
	good := "指标,地区,数值,截至日期,备注\r\nurban_rate,,66.5%,2023-06-30,半年\r\nrenovated,济南,\"18万\",2023年6月30日,\"两行\n备注\"\r\n"
	cases := map[string][]byte{
		"a GBK file as Excel saves it":                      gbk(good),
		"a UTF-8 file with a BOM":                           append([]byte("\xEF\xBB\xBF"), good...),
		"a UTF-16LE tab-separated file":                     u16(strings.ReplaceAll(good, ",", "\t")),
		"a plain UTF-8 file":                                []byte(good),
		"a file with bad rows":                              []byte("indicator,value,as_of\nurban_rate,abc,2023-13-01\ngdp,1,2023-06-30\n"),
		"invalid GB18030 bytes on one line":                 append(gbk("指标,数值,截至日期\nurban_rate,1,2023-06-30\n"), []byte("urban_rate,\x81\x20,2023-06-30\n")...),
		"a UTF-8 BOM file with an invalid byte":             []byte("\xEF\xBB\xBFindicator,value,as_of\nurban_rate,1\xff,2023-06-30\n"),
		"NUL bytes":                                         []byte("indicator,value,as_of\nurban_rate,1\x00,2023-06-30\n"),
		"too many columns":                                  []byte("indicator,value,as_of\nurban_rate,1,2023-06-30" + strings.Repeat(",", 1200) + "\n"),
		"an empty file":                                     []byte(""),
		"only blank lines":                                  []byte("\n\n  \n"),
		"a header without rows":                             []byte("indicator,value,as_of\n"),
		"an Excel workbook":                                 []byte("PK\x03\x04junk"),
		"a target file from a department without the right": []byte("指标,目标值,截至日期\nurban_rate,70,2023-12-31\n"),
		"a row with a future date":                          []byte("indicator,value,as_of\nurban_rate,1,2099-01-01\n"),
	}
	files, _ := filepath.Glob("testdata/*.csv")
	more, _ := filepath.Glob("testdata/*.txt")
	for _, f := range append(files, more...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases["testdata/"+filepath.Base(f)] = b
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			for _, dept := range []string{"fgw", "zjt"} {
				sameAsParse(t, data, dept, false)
				sameAsParse(t, data, dept, true)
			}
		})
	}
}

// A line longer than the limit stops the reading: the CSV reader must
// never buffer it.
func TestStreamStopsAtAnOverlongLine(t *testing.T) {
	data := "indicator,value,as_of\nurban_rate,1,2023-06-30,\"" + strings.Repeat("x", 3<<20) + "\"\n"
	_, pe, err := streamOf(t, []byte(data), "fgw", false)
	if err != nil || pe == nil || !strings.Contains(problemsOf(pe), "line 2") || !strings.Contains(problemsOf(pe), "longer than the limit") {
		t.Fatalf("overlong line: %v %v", problemsOf(pe), err)
	}
}

// emit's own failure (a database error) is returned as is, not as a
// problem of the file.
func TestStreamReturnsTheSinksError(t *testing.T) {
	boom := errors.New("disk full")
	_, err := Stream("f.csv", strings.NewReader("indicator,value,as_of\nurban_rate,1,2023-06-30\n"), 40, true, testPlan(), "fgw",
		testNow, Limits{}, func(Kind, []Row) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the sink's error", err)
	}
}

func TestUTF8ValidatorAcrossWrites(t *testing.T) {
	for _, tc := range []struct {
		data  string
		valid bool
	}{{"指标,数值", true}, {"abc\xff", false}, {"指标\xe6", false}, {"", true}} {
		for step := 1; step <= 4; step++ {
			v := &UTF8Validator{}
			for i := 0; i < len(tc.data); i += step {
				v.Write([]byte(tc.data[i:min(i+step, len(tc.data))]))
			}
			if v.Valid() != tc.valid {
				t.Errorf("%q in writes of %d: Valid() = %v", tc.data, step, v.Valid())
			}
		}
	}
}

// FuzzStreamMatchesParse: for any input, Stream says what Parse says.
func FuzzStreamMatchesParse(f *testing.F) {
	f.Add([]byte("指标,地区,数值,截至日期\nurban_rate,,66.5%,2023-06-30\n"))
	f.Add([]byte("指标,济南市,青岛,全省,截至日期\nrenovated,\"12,000\",,13000,2023-06-30\nurban_rate,,,66.5,2023-06-30\n")) // regions across
	f.Add([]byte("\xEF\xBB\xBFindicator,value,as_of\r\nrenovated,济南,1,2023-06\r\n"))
	f.Add([]byte("indicator\tvalue\tas_of\nurban_rate\t1\t2023/6/30\n"))
	f.Add([]byte("2023年1-9月重点指标（截至2023年9月底）\n指标名称,完成值\nurban_rate,65.5\n")) // dated by its title
	f.Add([]byte("指标,计量单位,2021,2022年（万元）\ninvestment,亿元,110,1200000\n"))    // dates across
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsParse(t, data, "fgw", false)
	})
}

// chunkReader reads n bytes at a time, as a share may deliver a file.
type chunkReader struct {
	data []byte
	n    int
}

func (r *chunkReader) Read(b []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	k := copy(b[:min(len(b), r.n)], r.data)
	r.data = r.data[k:]
	return k, nil
}

// The line checker finds on each line what checkText finds, U+FFFD (what
// undecodable bytes become) included, wherever the reads split the text.
func TestLineCheckerAcrossReads(t *testing.T) {
	text := "indicator,value,as_of\nurban_rate,1\uFFFD,2023-06-30\n\uFFFD\nurban_rate,1,2023-06-29\nx\uFFFD\n\uFFFD\uFFFDx\n" +
		"ok\n\uFFFD\n\x00\n\uFFFD\x00\nok," + strings.Repeat(",", maxColumns) + "\n\uFFFD"
	var want problems
	checkText(text, EncodingUTF8, ',', &want)
	for n := 1; n <= 8; n++ {
		var got problems
		lc := &lineChecker{src: &chunkReader{[]byte(text), n}, enc: EncodingUTF8, delim: ',', ps: &got, line: 1}
		if _, err := io.Copy(io.Discard, lc); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("reads of %d bytes: the line checker found\n%v\ncheckText found\n%v", n, got, want)
		}
	}
}
