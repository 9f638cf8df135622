package submission

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

var update = flag.Bool("update", false, "rewrite the encoded files in testdata/")

// encode encodes UTF-8 text as enc does, failing the test on error.
func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

var (
	gb18030 = simplifiedchinese.GB18030
	utf16LE = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM) // writes FF FE
	utf16BE = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)    // writes FE FF
)

func TestDecode(t *testing.T) {
	// 𠀀 (U+20000) needs GB18030's four-byte form; GBK cannot encode it.
	const text = "指标,数值\r\n城镇化率（％）𠀀,６６．５\r\n"
	tests := map[string]struct {
		data    []byte
		wantEnc string
	}{
		"UTF-8 without BOM is UTF-8":            {[]byte(text), EncodingUTF8},
		"A UTF-8 BOM is stripped":               {append([]byte("\xEF\xBB\xBF"), text...), EncodingUTF8BOM},
		"FF FE is UTF-16LE and its BOM dropped": {encode(t, utf16LE, text), EncodingUTF16LE},
		"FE FF is UTF-16BE and its BOM dropped": {encode(t, utf16BE, text), EncodingUTF16BE},
		"Anything else is GB18030":              {encode(t, gb18030, text), EncodingGB18030},
		"A GB18030 BOM is stripped":             {encode(t, gb18030, "\ufeff"+text), EncodingGB18030},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, enc, err := decode(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if enc != tc.wantEnc || got != text {
				t.Fatalf("decode = %q, %q; want %q, %q", got, enc, text, tc.wantEnc)
			}
		})
	}
}

func TestDecodeOfPlainASCIIIsUTF8(t *testing.T) {
	if _, enc, _ := decode([]byte("indicator,value,as_of\n")); enc != EncodingUTF8 {
		t.Fatalf("encoding = %q, want UTF-8", enc)
	}
}

// The same drop in every encoding Excel writes gives the same rows.
func TestParseReadsEachEncoding(t *testing.T) {
	const comma = "指标,地区,数值,截至日期,备注\r\n常住人口城镇化率,山东省,66.5%,2023/6/30,上半年（初步）\r\n"
	const tab = "指标\t地区\t数值\t截至日期\t备注\r\n常住人口城镇化率\t山东省\t66.5%\t2023/6/30\t上半年（初步）\r\n"
	want := []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5%|上半年（初步）"}
	tests := map[string]struct {
		data    []byte
		wantEnc string
	}{
		"CSV UTF-8 (with BOM)":          {append([]byte("\xEF\xBB\xBF"), comma...), EncodingUTF8BOM},
		"UTF-8 without BOM":             {[]byte(comma), EncodingUTF8},
		"CSV (逗号分隔) in GBK":             {encode(t, simplifiedchinese.GBK, comma), EncodingGB18030},
		"CSV in GB18030":                {encode(t, gb18030, comma), EncodingGB18030},
		"Unicode 文本: UTF-16LE and tabs": {encode(t, utf16LE, tab), EncodingUTF16LE},
		"UTF-16BE and tabs":             {encode(t, utf16BE, tab), EncodingUTF16BE},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, err := Parse("t.csv", tc.data, testPlan(), "fgw", testNow, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tc.wantEnc {
				t.Errorf("Encoding = %q, want %q", f.Encoding, tc.wantEnc)
			}
			checkRows(t, f.Rows, want)
		})
	}
}

// A short GBK file can be valid UTF-8 (全省 in GBK, C8 AB CA A1, reads as
// ȫʡ): without a single three-byte character it is read as GBK, by Parse
// and by the validator Stream relies on alike.
func TestGBKThatIsValidUTF8IsReadAsGBK(t *testing.T) {
	data := append([]byte("indicator,region,value,as_of\r\nurban_rate,"), encode(t, simplifiedchinese.GBK, "全省,66.5,2023-06-30\r\n")...)
	if !utf8.Valid(data) {
		t.Fatal("the sample should be valid UTF-8")
	}
	f, err := Parse("t.csv", data, testPlan(), "fgw", testNow, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Encoding != EncodingGB18030 {
		t.Errorf("Encoding = %q, want GB18030", f.Encoding)
	}
	checkRows(t, f.Rows, []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"})
	var v UTF8Validator
	v.Write(data[:40])
	v.Write(data[40:])
	if v.Valid() {
		t.Error("the validator takes the GBK file for UTF-8")
	}
	// Latin-1 signs and letters (× for not done, ± and é in a note) keep a
	// file without Chinese UTF-8.
	var l UTF8Validator
	l.Write([]byte("indicator,value,as_of,note\nurban_rate,×,2023-06-30,±5% Café Müller\n"))
	if !l.Valid() {
		t.Error("a UTF-8 file with × and accents but no Chinese is taken for GBK")
	}
	if _, enc, _ := decode([]byte("indicator,value,as_of\nurban_rate,×,2023-06-30\n")); enc != EncodingUTF8 {
		t.Errorf("× alone: encoding %q, want UTF-8", enc)
	}
	// Chinese in UTF-8 takes three bytes: a UTF-8 file with one Chinese
	// character stays UTF-8, accents and all.
	var u UTF8Validator
	u.Write([]byte("indicator,value,as_of,note\nurban_rate,66.5,2023-06-30,Café 上半年\n"))
	if !u.Valid() {
		t.Error("a UTF-8 file with Chinese is not UTF-8 to the validator")
	}
}

func TestParseReportsUndecodableLines(t *testing.T) {
	header := "指标,数值,截至日期\r\n"
	row := "urban_rate,66.5,2023-06-30\r\n"
	tests := map[string]struct {
		data    []byte
		wantEnc string
		want    []string
	}{
		"An invalid GB18030 sequence names its line": {
			data:    append(encode(t, gb18030, header+row), "urban_rate,\xFF67,2023-12-31\r\n"...),
			wantEnc: EncodingGB18030,
			want:    []string{`3:0 : the line has bytes that are not valid GB18030`},
		},
		"A GB18030 lead byte before a comma does not swallow the comma": {
			data:    append(encode(t, gb18030, header), "urban_rate\x81,67,2023-12-31\r\n"...),
			wantEnc: EncodingGB18030,
			want:    []string{`2:0 : the line has bytes that are not valid GB18030`},
		},
		"Each bad line is named": {
			data:    append(encode(t, gb18030, header), "\xFF\r\n\xFF\r\n"...),
			wantEnc: EncodingGB18030,
			want:    []string{`2:0 : the line has bytes`, `3:0 : the line has bytes`},
		},
		"Invalid UTF-8 after a UTF-8 BOM names its line": {
			data:    []byte("\xEF\xBB\xBF" + header + row + "urban_rate,\xC3\x28,2023-12-31\r\n"),
			wantEnc: EncodingUTF8BOM,
			want:    []string{`3:0 : the line has bytes that are not valid UTF-8`},
		},
		"A lone UTF-16 surrogate names its line": {
			data:    append(encode(t, utf16LE, "指标\t数值\t截至日期\r\n"), 0x00, 0xD8, '\r', 0, '\n', 0),
			wantEnc: EncodingUTF16LE,
			want:    []string{`2:0 : the line has bytes that are not valid UTF-16LE`},
		},
		"An odd trailing byte of UTF-16 names its line": {
			data:    append(encode(t, utf16LE, "指标\t数值\t截至日期\r\n"), 'x'),
			wantEnc: EncodingUTF16LE,
			want:    []string{`2:0 : the line has bytes that are not valid UTF-16LE`},
		},
		"UTF-16 without a BOM shows as NUL bytes": {
			data:    encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), header+row),
			wantEnc: EncodingGB18030,
			want:    []string{`1:0 : the file contains NUL bytes`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := mustReject(t, tc.data, "fgw", Limits{})
			checkProblems(t, e.Problems, tc.want)
			if e.Encoding != tc.wantEnc {
				t.Errorf("Encoding = %q, want %q", e.Encoding, tc.wantEnc)
			}
		})
	}
}

// testdataFiles are real drop files as Excel on Chinese Windows saves them.
// They are generated from this readable text (go test -run TestTestdata
// -update) and committed, so a reader can open them in Excel.
var testdataFiles = map[string]struct {
	enc     encoding.Encoding // nil: UTF-8 with BOM
	prefix  []byte            // the bytes the file must start with
	text    string
	dept    string
	wantEnc string
	want    []string
}{
	// "CSV (逗号分隔)": GBK, CRLF, cells with commas quoted.
	"excel_gbk.csv": {
		enc:    simplifiedchinese.GBK,
		prefix: []byte{0xD6, 0xB8, 0xB1, 0xEA}, // 指标 in GBK
		text: crlf("指标,地区,数值,截至日期,备注\n" +
			"常住人口城镇化率,山东省,66.5%,2023/6/30,上半年\n" +
			"完成投资,,\"1,234.5\",2023/6/30,\n" +
			",,,,\n"),
		dept:    "fgw",
		wantEnc: EncodingGB18030,
		want: []string{
			"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5%|上半年",
			"3 investment shandong 2023-06-30T00:00:00+08:00 1234.5 1,234.5|",
		},
	},
	// "CSV UTF-8 (逗号分隔)": a BOM, then UTF-8; the web template's unit
	// column included.
	"excel_utf8_bom.csv": {
		prefix: []byte{0xEF, 0xBB, 0xBF},
		text: crlf("指标,地区,数值,单位,截至日期\n" +
			"改造老旧小区（户）,济南市,\"12,000\",户,2023/6/30 0:00\n" +
			"renovated,青岛市,１．２万,户,2023年6月30日\n"),
		dept:    "zjt",
		wantEnc: EncodingUTF8BOM,
		want: []string{
			"2 renovated jinan 2023-06-30T00:00:00+08:00 12000 12,000|",
			"3 renovated qingdao 2023-06-30T00:00:00+08:00 12000 １．２万|",
		},
	},
	// "Unicode 文本": UTF-16LE with BOM, tab separated.
	"excel_unicode.txt": {
		enc:    utf16LE,
		prefix: []byte{0xFF, 0xFE},
		text: crlf("指标\t数值\t截至日期\t备注\n" +
			"城镇新增就业\t65.3\t2023年6月\t\"含\t制表符\"\n"),
		dept:    "rst",
		wantEnc: EncodingUTF16LE,
		want:    []string{"2 new_jobs shandong 2023-06-30T00:00:00+08:00 65.3 65.3|含\t制表符"},
	},
}

func TestTestdataFiles(t *testing.T) {
	for name, tc := range testdataFiles {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			if *update {
				data := append([]byte("\xEF\xBB\xBF"), tc.text...)
				if tc.enc != nil {
					data = encode(t, tc.enc, tc.text)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// Guard against the file being re-saved in another
			// encoding by an editor.
			if !bytes.HasPrefix(data, tc.prefix) {
				t.Fatalf("%s starts with % x, want % x", path, data[:min(len(data), 8)], tc.prefix)
			}
			f, err := Parse(name, data, testPlan(), tc.dept, testNow, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tc.wantEnc {
				t.Errorf("Encoding = %q, want %q", f.Encoding, tc.wantEnc)
			}
			checkRows(t, f.Rows, tc.want)
		})
	}
}

func TestWidths(t *testing.T) {
	for in, want := range map[string][2]bool{
		"": {false, false},
		"plain ascii text, long enough for words":      {false, false},
		"ascii then 全 at byte 40 of the text....":      {true, false},
		"×±é Latin-1 only, in and out of words.....":   {false, false},
		"ȫ at the start, then ascii for a while......": {false, true},
		"ascii for a while, then ȫ and then 全":         {true, true},
		"ascii for a while, and ʡ at the very end":     {false, true},
	} {
		w, n := widths([]byte(in))
		if w != want[0] || n != want[1] {
			t.Errorf("widths(%q) = %v, %v; want %v, %v", in, w, n, want[0], want[1])
		}
	}
}
