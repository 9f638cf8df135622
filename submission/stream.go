package submission

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/shandong/indicator_exporter/indicators"
)

// errStop ends reading early: the line checker found a line that must not
// be buffered (too long), and has reported it.
var errStop = errors.New("submission: stop reading")

// UTF8Validator is an io.Writer that tells whether everything written to
// it is valid UTF-8, in constant memory. The inbox feeds it in the same
// pass that hashes a file, so Stream can choose between UTF-8 and GB18030
// as Parse does, without holding the file.
type UTF8Validator struct {
	carry   []byte
	invalid bool
	// Whether a character of three or four bytes (CJK, in UTF-8) came,
	// and one of two bytes (Latin accents, Greek, Cyrillic): see gbkLike.
	wide, narrow bool
}

// Write implements io.Writer.
func (v *UTF8Validator) Write(p []byte) (int, error) {
	n := len(p)
	if v.invalid {
		return n, nil
	}
	if len(v.carry) > 0 {
		p = append(v.carry, p...)
		v.carry = nil
	}
	// Hold back an incomplete sequence at the end for the next write.
	cut := len(p)
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(p[:cut]) {
		v.invalid = true
		return n, nil
	}
	if !v.wide {
		w, nw := widths(p[:cut])
		v.wide, v.narrow = w, v.narrow || nw
	}
	v.carry = append([]byte(nil), p[cut:]...)
	return n, nil
}

// Valid reports whether all input was valid UTF-8 and reads as UTF-8
// rather than as GBK that happens to be valid UTF-8 (gbkLike).
func (v *UTF8Validator) Valid() bool {
	return !v.invalid && len(v.carry) == 0 && !(v.narrow && !v.wide)
}

// widths says whether valid UTF-8 holds a character of three or more
// bytes, and one of two beyond Latin-1 (U+0100 on: lead byte C4 or more).
// The Latin-1 signs and letters (× ± · ° é ü), which a UTF-8 file without
// Chinese may well hold, do not count.
func widths(p []byte) (wide, narrow bool) {
	for len(p) > 0 {
		// Eight ASCII bytes at a time: most of a file is ASCII.
		if len(p) >= 8 && binary.LittleEndian.Uint64(p)&0x8080808080808080 == 0 {
			p = p[8:]
			continue
		}
		switch b := p[0]; {
		case b >= 0xE0:
			return true, narrow
		case b >= 0xC4:
			narrow = true
		}
		p = p[1:]
	}
	return false, narrow
}

// gbkLike reports whether valid UTF-8 text is more likely GBK: it has no
// character of three bytes and some of two beyond Latin-1. Two GBK bytes
// with the high bit set (全省 is C8 AB CA A1) can form a valid two-byte
// UTF-8 sequence (ȫʡ), so a short GBK file may be valid UTF-8; but Chinese
// in UTF-8 takes three bytes, and a file from a Chinese office without a
// single Chinese character but with Latin Extended, IPA, Greek or Cyrillic
// letters is not what departments send. × ± · é stay UTF-8.
func gbkLike(p []byte) bool {
	wide, narrow := widths(p)
	return narrow && !wide
}

// Stream reads a drop file from r without holding it or its rows in
// memory, and passes valid rows to emit in batches. It applies the same
// rules as Parse, duplicate (indicator, region, as_of) keys included: it
// keeps 16 bytes a row for that, never the rows themselves. size is
// the file's size (checked against the limit first);
// utf8Valid says whether the whole file is valid UTF-8 (see UTF8Validator).
//
// The file is all or nothing: if Stream returns an error, every row emit
// received must be discarded. A *Error lists the file's problems; any
// other error is emit's own.
func Stream(name string, r io.Reader, size int64, utf8Valid bool, plan *indicators.Plan, dept string, now time.Time,
	lim Limits, emit func(Kind, []Row) error) (*File, error) {
	return StreamKeys(name, r, size, utf8Valid, plan, dept, now, lim, nil, emit)
}

// Keys finds the keys (indicator, region, as_of) a file of values names
// twice.
type Keys interface {
	// Add records the key of a valid row and returns the line that named
	// it first, if one did (the row is then not passed on). series
	// numbers the row's (indicator, region) within the file: from 0 up,
	// less than the plan's indicators × regions, the same number for the
	// same pair, so that Add need not hash strings.
	Add(series int, r Row) (first int, dup bool)
}

// StreamKeys is Stream with the keys a file of values names twice found
// by keys instead of Stream's own record of them (16 bytes a row): a
// caller that keeps the rows anyway, as the store's writer does, finds
// them in what it keeps. Files of targets, a few hundred rows, keep
// Stream's own.
// keys sees every valid row, also those after a problem, so the report
// lists all the duplicates a file has, as Parse's does.
func StreamKeys(name string, r io.Reader, size int64, utf8Valid bool, plan *indicators.Plan, dept string, now time.Time,
	lim Limits, keys Keys, emit func(Kind, []Row) error) (*File, error) {
	if plan == nil {
		return nil, errors.New("submission: nil plan")
	}
	lim = lim.withDefaults()
	p := &parser{plan: plan, dept: dept, now: now, loc: plan.Location, lim: lim, keys: keys}
	if p.loc == nil {
		p.loc = time.UTC
	}
	f := p.stream(r, size, utf8Valid, emit)
	if p.emitErr != nil {
		return nil, p.emitErr
	}
	if !p.ps.empty() {
		return nil, &Error{File: name, Department: dept, Encoding: p.encoding, Problems: p.ps.list, Omitted: p.ps.omitted}
	}
	return f, nil
}

const streamBatch = 2000

func (p *parser) stream(r io.Reader, size int64, utf8Valid bool, emit func(Kind, []Row) error) *File {
	if size > p.lim.MaxBytes {
		p.fileProblem(faultf("文件大小 %d 字节，超过上限 %d 字节：请拆分成几个文件分别投递",
			"the file is %d bytes, more than the limit of %d: split it into several files", size, p.lim.MaxBytes))
		return nil
	}
	if _, ok := p.plan.Department(p.dept); !ok {
		p.fileProblem(faultf("未知部门 %q：收件箱文件夹名不是规划中的部门编号，请联系管理员",
			"unknown department %q: the inbox folder is not a department id of the plan; contact the administrator", p.dept))
		return nil
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(16)
	if err := sniffBinary(head); err != nil {
		p.fileProblem(err)
		return nil
	}
	// The same choice as decode: BOMs first, then valid UTF-8, else GB18030.
	var dec encoding.Encoding
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
		dec, p.encoding = unicode.UTF8, EncodingUTF8BOM // replaces invalid bytes with U+FFFD
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		dec, p.encoding = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), EncodingUTF16LE
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		dec, p.encoding = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), EncodingUTF16BE
	case utf8Valid:
		p.encoding = EncodingUTF8
	default:
		dec, p.encoding = simplifiedchinese.GB18030, EncodingGB18030
	}
	var text io.Reader = br
	if dec != nil {
		text = transform.NewReader(br, dec.NewDecoder())
	}
	tr := bufio.NewReaderSize(text, 64<<10)
	// A GB18030 byte order mark decodes to U+FEFF; a file saved twice
	// may carry more than one: all go, as in decode.
	for {
		if b, _ := tr.Peek(3); !bytes.Equal(b, []byte("\ufeff")) {
			break
		}
		tr.Discard(3)
	}
	delim := ','
	first, perr := tr.Peek(64 << 10)
	if perr != nil && len(bytes.TrimSpace(first)) == 0 { // the whole file, and nothing in it
		p.fileProblem(faultf("文件是空的：第一行应为表头，例如：指标,数值,截至日期",
			"the file is empty: the first line must be a header such as: indicator,value,as_of"))
		return nil
	}
	if len(first) > 0 {
		delim = delimiter(string(first))
	}
	// Text problems (garbled bytes, NUL, overlong or overwide lines) make
	// every other problem noise, so as in Parse they are reported alone.
	var textProblems problems
	lc := &lineChecker{src: tr, enc: p.encoding, delim: byte(delim), ps: &textProblems, line: 1}
	var batch []Row
	f := p.records(lc, delim, p.encoding, func(r Row) error {
		batch = append(batch, r)
		if len(batch) == streamBatch {
			err := emit(p.kind, batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if (f == nil || !p.ps.empty()) && p.emitErr == nil {
		// Rows stopped being read at the first problem; the text checks
		// still see the whole file, as Parse's do.
		io.Copy(io.Discard, lc)
	}
	if !textProblems.empty() {
		p.ps = textProblems
		return nil
	}
	if f == nil || !p.ps.empty() {
		return nil
	}
	if len(batch) > 0 {
		if err := emit(f.Kind, batch); err != nil {
			p.emitErr = err
			return nil
		}
	}
	return f
}

// lineChecker passes text through to the CSV reader and applies
// checkText's rules line by line as it goes: undecodable bytes, NUL bytes,
// too many columns, and lines too long, where it stops reading so that the
// CSV reader never buffers such a line. Its input is decoded text, in
// which every undecodable byte has become U+FFFD.
type lineChecker struct {
	src   io.Reader
	enc   string
	delim byte
	ps    *problems

	line    int    // current line number
	length  int    // bytes of the current line so far
	cols    int    // delimiters in the current line
	garbled bool   // U+FFFD in the current line
	hasNUL  bool   // a NUL byte in the current line
	prev    []byte // the current line's last two bytes, for a U+FFFD split across reads
	sawNUL  bool   // reported once per file
	stopped bool   // an overlong line ended the reading
}

var replacement = []byte("\uFFFD")

func (c *lineChecker) Read(b []byte) (int, error) {
	if c.stopped {
		return 0, errStop
	}
	n, err := c.src.Read(b)
	chunk := b[:n]
	// Most reads hold no NUL byte and no U+FFFD (EF BF BD) at all: then
	// their lines need only their length and delimiters looked at, and
	// a line shorter than maxColumns cannot hold too many delimiters.
	clean := bytes.IndexByte(chunk, 0) < 0 && bytes.IndexByte(chunk, 0xEF) < 0
	for len(chunk) > 0 {
		i := bytes.IndexByte(chunk, '\n')
		seg := chunk
		if i >= 0 {
			seg = chunk[:i]
		}
		if clean && i >= 0 && c.length == 0 && len(seg) < maxColumns && len(c.prev) == 0 {
			c.length = len(seg) // a whole line, clean and short
		} else {
			c.segment(seg)
		}
		if c.length > maxLineBytes {
			c.report(long)
			c.stopped = true
			return 0, errStop
		}
		if i < 0 {
			break
		}
		c.endLine()
		chunk = chunk[i+1:]
	}
	if err == io.EOF && c.length > 0 {
		c.endLine()
	}
	return n, err
}

// segment takes in part of the current line.
func (c *lineChecker) segment(seg []byte) {
	c.length += len(seg)
	c.cols += bytes.Count(seg, []byte{c.delim})
	if bytes.IndexByte(seg, 0) >= 0 {
		c.hasNUL = true
	}
	// A U+FFFD split across reads starts in prev and ends in seg's first
	// two bytes; joining just those spares copying every line.
	var buf [4]byte
	edge := append(append(buf[:0], c.prev...), seg[:min(len(seg), 2)]...)
	if bytes.Contains(edge, replacement) || bytes.Contains(seg, replacement) {
		c.garbled = true
	}
	switch {
	case len(seg) >= 2:
		edge = seg[len(seg)-2:]
	case len(edge) > 2:
		edge = edge[len(edge)-2:]
	}
	c.prev = append(c.prev[:0], edge...)
}

// endLine judges the line that just ended.
func (c *lineChecker) endLine() {
	// One problem per line, in checkText's order; NUL bytes once per file.
	switch {
	case c.hasNUL:
		if !c.sawNUL {
			c.sawNUL = true
			c.report(nul)
		}
	case c.garbled:
		c.report(garbled)
	case c.cols >= maxColumns:
		c.report(wide)
	}
	c.line++
	c.length, c.cols, c.garbled, c.hasNUL, c.prev = 0, 0, false, false, c.prev[:0]
}

func (c *lineChecker) report(kind int) {
	if c.ps.full() {
		c.ps.omitted++
		return
	}
	c.ps.add(lineProblem(kind, c.line, strings.TrimSuffix(c.enc, " BOM")))
}
