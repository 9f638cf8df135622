package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// The observation history is kept in chunks: up to chunkRows rows of one
// file, in file order, encoded into one blob. A row per SQLite record
// with a key index cost about 7 µs a row, and a 2-million-row file took
// most of a minute; a chunk costs one record, so a file is stored at
// close to the speed it is read, and stays append-only (triggers refuse
// updates and deletes of chunks as of every other history table).
//
// A blob is, little-endian and varint-coded (encoding/binary):
//
//	version byte (1)
//	uvarint n, then n indicator ids (uvarint length + bytes)
//	uvarint m, then m region ids (likewise)
//	uvarint rows, then per row:
//	  uvarint indicator index, uvarint region index,
//	  varint date (days since 1970-01-01),
//	  8 bytes value (float64 bits), uvarint line,
//	  uvarint length + raw cell, uvarint length + note
//
// The arrival time, department and source are the file's (table batch).
const (
	chunkVersion = 1
	chunkRows    = 1 << 16
	chunkBytes   = 4 << 20 // notes can be long; a chunk stays a few MiB
)

// chunkRow is one decoded history row.
type chunkRow struct {
	Indicator, Region string
	Day               int32
	Value             float64
	Line              int
	Raw, Note         string
	// IndIndex and RegIndex number Indicator and Region in the chunk's
	// dictionaries, for readers that group rows by series.
	IndIndex, RegIndex int
}

// chunkEncoder builds one chunk; reset starts the next.
type chunkEncoder struct {
	inds, regs       map[string]uint64
	indList, regList []string
	body             []byte
	rows             int
	out              []byte // blob's result, valid until the next call
}

func newChunkEncoder() *chunkEncoder {
	return &chunkEncoder{inds: map[string]uint64{}, regs: map[string]uint64{}}
}

func (e *chunkEncoder) full() bool { return e.rows >= chunkRows || len(e.body) >= chunkBytes }

func (e *chunkEncoder) add(ind, reg string, day int32, value float64, line int, raw, note string) {
	e.body = binary.AppendUvarint(e.body, dictIndex(e.inds, &e.indList, ind))
	e.body = binary.AppendUvarint(e.body, dictIndex(e.regs, &e.regList, reg))
	e.body = binary.AppendVarint(e.body, int64(day))
	e.body = binary.LittleEndian.AppendUint64(e.body, math.Float64bits(value))
	e.body = binary.AppendUvarint(e.body, uint64(line))
	e.body = appendString(e.body, raw)
	e.body = appendString(e.body, note)
	e.rows++
}

func dictIndex(m map[string]uint64, list *[]string, s string) uint64 {
	if i, ok := m[s]; ok {
		return i
	}
	i := uint64(len(*list))
	m[s] = i
	*list = append(*list, s)
	return i
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// blob returns the encoded chunk and the indicators it holds.
func (e *chunkEncoder) blob() ([]byte, []string) {
	n := 1 + 3*binary.MaxVarintLen64 + len(e.body)
	for _, s := range e.indList {
		n += binary.MaxVarintLen64 + len(s)
	}
	for _, s := range e.regList {
		n += binary.MaxVarintLen64 + len(s)
	}
	// The last chunk's buffer, once SQLite is done with it: binding a
	// blob copies it (modernc.org/sqlite), and a new one for each chunk
	// was a sixth of the bytes a large file allocates.
	b := slices.Grow(e.out[:0], n)
	b = append(b, chunkVersion)
	for _, list := range [][]string{e.indList, e.regList} {
		b = binary.AppendUvarint(b, uint64(len(list)))
		for _, s := range list {
			b = appendString(b, s)
		}
	}
	b = binary.AppendUvarint(b, uint64(e.rows))
	e.out = append(b, e.body...)
	return e.out, e.indList
}

func (e *chunkEncoder) reset() {
	clear(e.inds)
	clear(e.regs)
	e.indList, e.regList = nil, nil
	e.body = e.body[:0]
	e.rows = 0
}

var errChunk = errors.New("malformed history chunk")

// chunkReader reads a blob written by chunkEncoder.
type chunkReader struct {
	b          []byte
	inds, regs []string
	rows, read int
	noText     bool // skip every row's raw cell and note (a state replay)
}

func newChunkReader(b []byte) (*chunkReader, error) {
	if len(b) == 0 || b[0] != chunkVersion {
		return nil, fmt.Errorf("%w: unknown version", errChunk)
	}
	r := &chunkReader{b: b[1:]}
	var err error
	if r.inds, err = r.dict(); err != nil {
		return nil, err
	}
	if r.regs, err = r.dict(); err != nil {
		return nil, err
	}
	n, err := r.uvarint()
	if err != nil || n > uint64(len(r.b)) {
		return nil, fmt.Errorf("%w: bad row count", errChunk)
	}
	r.rows = int(n)
	return r, nil
}

func (r *chunkReader) dict() ([]string, error) {
	n, err := r.uvarint()
	if err != nil || n > uint64(len(r.b)) {
		return nil, fmt.Errorf("%w: bad dictionary", errChunk)
	}
	out := make([]string, n)
	for i := range out {
		if out[i], err = r.string(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *chunkReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		return 0, errChunk
	}
	r.b = r.b[n:]
	return v, nil
}

func (r *chunkReader) string() (string, error) {
	n, err := r.uvarint()
	if err != nil || n > uint64(len(r.b)) {
		return "", fmt.Errorf("%w: bad string", errChunk)
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s, nil
}

// next decodes the next row into row; ok is false after the last. When
// only is not "", rows of other indicators are skipped without decoding
// their text: a page showing one indicator reads chunks of many.
func (r *chunkReader) next(row *chunkRow, only string) (bool, error) {
	for {
		ok, err := r.row(row, only)
		if !ok || err != nil || only == "" || row.Indicator == only {
			return ok, err
		}
	}
}

func (r *chunkReader) row(row *chunkRow, only string) (bool, error) {
	if r.read == r.rows {
		if len(r.b) != 0 {
			return false, fmt.Errorf("%w: %d bytes after the last row", errChunk, len(r.b))
		}
		return false, nil
	}
	r.read++
	ind, err := r.uvarint()
	if err != nil || ind >= uint64(len(r.inds)) {
		return false, fmt.Errorf("%w: bad indicator", errChunk)
	}
	reg, err := r.uvarint()
	if err != nil || reg >= uint64(len(r.regs)) {
		return false, fmt.Errorf("%w: bad region", errChunk)
	}
	day, n := binary.Varint(r.b)
	if n <= 0 || day < math.MinInt32 || day > math.MaxInt32 || len(r.b) < n+8 {
		return false, fmt.Errorf("%w: bad date or value", errChunk)
	}
	value := math.Float64frombits(binary.LittleEndian.Uint64(r.b[n:]))
	r.b = r.b[n+8:]
	line, err := r.uvarint()
	if err != nil {
		return false, fmt.Errorf("%w: bad line", errChunk)
	}
	*row = chunkRow{Indicator: r.inds[ind], Region: r.regs[reg], Day: int32(day), Value: value, Line: int(line),
		IndIndex: int(ind), RegIndex: int(reg)}
	if r.noText || (only != "" && row.Indicator != only) {
		for range 2 { // raw and note
			n, err := r.uvarint()
			if err != nil || n > uint64(len(r.b)) {
				return false, fmt.Errorf("%w: bad string", errChunk)
			}
			r.b = r.b[n:]
		}
		return true, nil
	}
	if row.Raw, err = r.string(); err != nil {
		return false, err
	}
	if row.Note, err = r.string(); err != nil {
		return false, err
	}
	return true, nil
}

// dayNumber is the date of t (in its own zone) as days since 1970-01-01.
func dayNumber(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
