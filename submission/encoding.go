package submission

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings a file may be read as (File.Encoding).
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8 BOM"
	EncodingGB18030 = "GB18030"
	EncodingUTF16LE = "UTF-16LE"
	EncodingUTF16BE = "UTF-16BE"
)

// Limits on a single line, against hostile or broken input: the CSV reader
// would otherwise build one record (and one slice of fields) as large as
// the file.
const (
	maxLineBytes = 1 << 20
	maxColumns   = 1000
)

// binaryMagic recognises files clerks drop by mistake instead of a CSV.
var binaryMagic = []struct {
	magic  string
	zh, en string
}{
	{"PK\x03\x04", "Excel 工作簿（.xlsx）", "an Excel workbook (.xlsx)"},
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "旧版 Excel 工作簿（.xls）", "an old Excel workbook (.xls)"},
	{"%PDF", "PDF 文件", "a PDF file"},
}

// sniffBinary rejects well-known binary formats with advice, before they
// are taken for GB18030 text and produce a page of nonsense.
func sniffBinary(data []byte) error {
	for _, b := range binaryMagic {
		if bytes.HasPrefix(data, []byte(b.magic)) {
			return &fault{
				zh: "这是" + b.zh + "，不是 CSV 文件：请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”后再投递",
				en: "this is " + b.en + ", not a CSV file: in Excel use Save As → \"CSV UTF-8 (Comma delimited)\" and drop that file"}
		}
	}
	return nil
}

// decode turns a file into UTF-8 text and names the encoding it was read
// as, in the order Excel on Chinese Windows makes likely: a UTF-8 BOM ("CSV
// UTF-8"), a UTF-16 BOM ("Unicode 文本"), valid UTF-8, else GB18030 ("CSV
// (逗号分隔)" is GBK, which GB18030 contains). Invalid sequences become
// U+FFFD, which checkText reports by line.
func decode(data []byte) (string, string, error) {
	var (
		dec encoding.Encoding
		enc string
	)
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		// Left in, the BOM would make the first header "\ufeff指标".
		// A file saved twice may carry more than one.
		return strings.TrimLeft(strings.ToValidUTF8(string(data[3:]), "\uFFFD"), "\ufeff"), EncodingUTF8BOM, nil
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		dec, enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), EncodingUTF16LE
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		dec, enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), EncodingUTF16BE
	case utf8.Valid(data) && !gbkLike(data):
		return string(data), EncodingUTF8, nil
	default:
		dec, enc = simplifiedchinese.GB18030, EncodingGB18030
	}
	out, _, err := transform.Bytes(dec.NewDecoder(), data)
	if err != nil {
		// The decoders replace what they cannot read, so this is not
		// expected; say so rather than guess.
		return "", enc, faultf("无法按 %s 解码文件：%v", "cannot decode the file as %s: %v", enc, err)
	}
	// A GB18030 byte order mark (84 31 95 33) decodes to U+FEFF.
	return strings.TrimLeft(string(out), "\ufeff"), enc, nil
}

// checkText finds lines that cannot be CSV: undecodable bytes, NUL bytes,
// lines too long or too wide. delim is the field separator.
func checkText(text, enc string, delim rune, ps *problems) {
	enc = strings.TrimSuffix(enc, " BOM")
	sawNUL := false
	for n := 1; text != ""; n++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		kind := 0
		switch {
		case len(line) > maxLineBytes:
			kind = long
		case strings.IndexByte(line, 0) >= 0:
			// One problem for the file: a NUL usually means every
			// line has them.
			if sawNUL {
				continue
			}
			sawNUL, kind = true, nul
		case strings.ContainsRune(line, utf8.RuneError):
			kind = garbled
		case strings.Count(line, string(delim)) >= maxColumns:
			kind = wide
		default:
			continue
		}
		if ps.full() {
			// Only counted from here on: a message formatted for every
			// line of a garbage file cost 40 times its size in memory.
			ps.omitted++
			continue
		}
		ps.add(lineProblem(kind, n, enc))
	}
}

// Kinds of line that cannot be CSV, in the order they are judged.
const (
	long = iota + 1
	nul
	garbled
	wide
)

// lineProblem says what is wrong with line n; Parse and Stream report the
// same words. enc is the encoding the file was read as, without " BOM".
func lineProblem(kind, n int, enc string) Problem {
	switch kind {
	case long:
		return Problem{Line: n,
			Zh: fmt.Sprintf("这一行超过上限 %d 字节：请检查文件是否损坏", maxLineBytes),
			En: fmt.Sprintf("the line is longer than the limit of %d bytes: check that the file is not damaged", maxLineBytes)}
	case nul:
		return Problem{Line: n,
			Zh: "文件含有 NUL 字节（从这一行起），不是文本文件：请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”",
			En: "the file contains NUL bytes (from this line on), so it is not a text file: in Excel use Save As → \"CSV UTF-8 (Comma delimited)\""}
	case garbled:
		return Problem{Line: n,
			Zh: fmt.Sprintf("这一行含有无法按 %s 解码的字节（乱码）：请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”后重新投递", enc),
			En: fmt.Sprintf("the line has bytes that are not valid %s (garbled text): in Excel use Save As → \"CSV UTF-8 (Comma delimited)\" and drop it again", enc)}
	default:
		return Problem{Line: n,
			Zh: fmt.Sprintf("这一行超过 %d 列：请检查文件是否损坏", maxColumns),
			En: fmt.Sprintf("the line has more than %d columns: check that the file is not damaged", maxColumns)}
	}
}
