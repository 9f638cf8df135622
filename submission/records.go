package submission

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
)

// recordReader reads CSV records exactly as encoding/csv's Reader does
// with FieldsPerRecord -1 and ReuseRecord (the records, their lines, the
// errors), but splits a line without a double quote itself. Such lines
// are nearly every line of a large drop, and encoding/csv spent a third of
// the parse on them. A line with a quote, and the lines a quoted cell
// spans, go to an encoding/csv Reader that is fed one line at a time, so
// that it never reads ahead of the record it parses and reading can go on
// line by line after it. FuzzRecordReader holds the two to the same
// results.
type recordReader struct {
	src   *bufio.Reader
	comma byte // ',' or '\t'
	trim  bool // csv.Reader.TrimLeadingSpace
	// fast is false where trimming would eat the delimiter (a tab), which
	// split would not: every line goes to csv.Reader then.
	fast bool

	csv  *csv.Reader // for records with quotes, reading from feed
	feed lineFeed

	lines int      // physical lines read so far
	buf   []byte   // a line longer than src's buffer
	rec   []string // the last record split here
	// The lines read from src's buffer are made strings a block at a
	// time: the line being split and every whole line buffered after it
	// become one string, and the next lines are cut from it. A string a
	// line was two fifths of the allocations of reading a large file.
	// block[blockAt:] is what src has not handed out yet; the last line
	// rawLine read starts at lineAt if inBlock.
	block           string
	blockAt, lineAt int
	inBlock         bool
	fromBuf         bool // the last line is in buf, not src's buffer
	// The last record's line, and for one that went through csv (a
	// quoted cell may span lines) the number to add to csv's lines.
	line      int
	viaCSV    bool
	csvOffset int
}

func newRecordReader(src io.Reader, comma rune, trim bool) *recordReader {
	r := &recordReader{src: bufio.NewReaderSize(src, 64<<10), comma: byte(comma), trim: trim,
		fast: comma < 0x80 && !(trim && unicode.IsSpace(comma))}
	r.feed.r = r
	r.csv = csv.NewReader(&r.feed)
	r.csv.Comma = comma
	r.csv.FieldsPerRecord = -1 // counted by the caller, to name the line in both languages
	r.csv.ReuseRecord = true
	r.csv.TrimLeadingSpace = trim
	return r
}

// rawLine is the next line of src with its line feed, if it has one.
func (r *recordReader) rawLine() ([]byte, error) {
	line, err := r.src.ReadSlice('\n')
	r.fromBuf = err == bufio.ErrBufferFull
	if r.fromBuf {
		r.buf = append(r.buf[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.src.ReadSlice('\n')
			r.buf = append(r.buf, line...)
		}
		line = r.buf
	}
	// Every line src hands out comes through here, in order, so the
	// block's next bytes are this line if the block still has them.
	if !r.fromBuf && len(r.block)-r.blockAt >= len(line) {
		r.lineAt, r.inBlock = r.blockAt, true
		r.blockAt += len(line)
	} else {
		r.block, r.blockAt, r.inBlock = "", 0, false
	}
	return line, err
}

// lineString is line, the start of the last line rawLine returned (raw),
// as a string: cut from the block, or from a new block of raw and the
// whole lines buffered after it.
func (r *recordReader) lineString(raw, line []byte) string {
	if r.fromBuf {
		return string(line)
	}
	if !r.inBlock {
		// raw is src's buffer, and what src has buffered follows it
		// there: Peek of no more than Buffered reads nothing.
		after, _ := r.src.Peek(r.src.Buffered())
		n := len(raw) + bytes.LastIndexByte(after, '\n') + 1
		r.block, r.blockAt, r.lineAt, r.inBlock = string(raw[:n]), len(raw), 0, true
	}
	return r.block[r.lineAt : r.lineAt+len(line)]
}

// Read returns the next record, as csv.Reader.Read does; the slice is
// reused by the next call.
func (r *recordReader) Read() ([]string, error) {
	for {
		raw, err := r.rawLine()
		if len(raw) == 0 {
			return nil, err // io.EOF, or the line checker stopped the reading
		}
		if !r.fast || bytes.IndexByte(raw, '"') >= 0 {
			return r.readCSV(raw, err)
		}
		r.lines++
		if err != nil && err != io.EOF {
			return nil, err
		}
		// As csv.Reader: a final \r goes at the end of the file, \r\n
		// ends a line as \n does, and empty lines are skipped.
		line := raw
		if n := len(line); err == io.EOF && line[n-1] == '\r' {
			line = line[:n-1]
		} else if n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
			line = line[:n-2]
		} else if line[n-1] == '\n' {
			line = line[:n-1]
		}
		if len(line) == 0 {
			continue
		}
		r.line, r.viaCSV = r.lines, false
		r.split(r.lineString(raw, line))
		return r.rec, nil
	}
}

// split cuts a line without quotes into r.rec, the fields slices of it.
func (r *recordReader) split(s string) {
	r.rec = r.rec[:0]
	for {
		i := strings.IndexByte(s, r.comma)
		field := s
		if i >= 0 {
			field = s[:i]
		}
		if r.trim {
			field = trimLeftSpace(field)
		}
		r.rec = append(r.rec, field)
		if i < 0 {
			return
		}
		s = s[i+1:]
	}
}

// readCSV has csv.Reader parse the record that starts with raw (read
// with err), and numbers its lines as the file's.
func (r *recordReader) readCSV(raw []byte, err error) ([]string, error) {
	r.feed.pending, r.feed.err = raw, err
	before := r.feed.lines
	rec, cerr := r.csv.Read()
	r.csvOffset = r.lines - before
	r.lines += r.feed.lines - before
	r.viaCSV = true
	var pe *csv.ParseError
	if errors.As(cerr, &pe) {
		c := *pe
		c.StartLine += r.csvOffset
		c.Line += r.csvOffset
		cerr = &c
	}
	return rec, cerr
}

// Line is the line the field i of the last record starts on (a quoted
// cell may span lines).
func (r *recordReader) Line(i int) int {
	if !r.viaCSV {
		return r.line
	}
	l, _ := r.csv.FieldPos(i)
	return l + r.csvOffset
}

// lineFeed hands csv.Reader the line recordReader read, then the lines
// after it one at a time, counting them as csv.Reader does.
type lineFeed struct {
	r       *recordReader
	pending []byte
	err     error // that came with pending
	lines   int   // lines handed out whole
}

func (f *lineFeed) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(f.pending) == 0 {
		if f.err != nil {
			err := f.err
			f.err = nil
			return 0, err
		}
		f.pending, f.err = f.r.rawLine()
		if len(f.pending) == 0 {
			err := f.err
			f.err = nil
			return 0, err
		}
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	if len(f.pending) == 0 && (p[n-1] == '\n' || f.err == io.EOF) {
		f.lines++
	}
	return n, nil
}

// trimLeftSpace drops leading white space as csv.Reader's
// TrimLeadingSpace does (unicode.IsSpace), without a call per byte for
// the common field that starts with none.
func trimLeftSpace(s string) string {
	if s == "" || s[0] < 0x80 && !asciiSpace[s[0]] {
		return s
	}
	return trimLeftSpaceSlow(s)
}

//go:noinline
func trimLeftSpaceSlow(s string) string { // kept apart so that trimLeftSpace inlines
	for i, c := range s {
		if !unicode.IsSpace(c) {
			return s[i:]
		}
	}
	return ""
}

var asciiSpace = [128]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
