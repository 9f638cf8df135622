package collector

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"sync"
	"time"
)

// segSamples is the most samples a segment holds: small enough that a
// change to a few series leaves most of a large family's segments as they
// were, large enough that there are only a few dozen at 100k series.
const segSamples = 4096

// segKey names a segment: the family and which of its segments.
type segKey struct {
	d *def
	n int
}

// segment is a run of the text exposition: a family's header and first
// segSamples samples, or its next samples. A segment is never changed once
// made, so consecutive renderings share those that come out identical.
type segment struct {
	key   segKey
	plain []byte
	// deflate is plain compressed on its own as non-final deflate blocks
	// ending byte-aligned (a sync flush), so the segments' deflate data
	// concatenate into one deflate stream; it is a slice of its
	// rendering's gz.
	deflate []byte
}

// A rendering is the cached indicator exposition: the text format (also
// the body of the OpenMetrics form) as segments, and the same text as one
// complete gzip member. It is immutable.
type rendering struct {
	segs     []*segment
	plainLen int
	gz       []byte
	at       time.Time
}

// writePlain writes the text exposition to w.
func (r *rendering) writePlain(w io.Writer) error {
	for _, s := range r.segs {
		if _, err := w.Write(s.plain); err != nil {
			return err
		}
	}
	return nil
}

// segmenter is what a rendering is written to: textSink cuts the text into
// segments, and of each segment, segmenter keeps the previous rendering's
// when the new one comes out byte-identical, so only what changed is
// stored and compressed again: at the refresh interval, the
// time-dependent families (an eighth of the text); after a drop, the
// segments holding the series it reported. A new segment is gathered in a
// scratch buffer and stored in a slice of its exact size: the text is
// never held with room to grow.
type segmenter struct {
	prev    map[segKey]*segment
	done    []pendingSegment
	scratch bytes.Buffer // the segment being written, once it differs from old
	zbuf    bytes.Buffer // its deflate data
	fw      *flate.Writer

	open     bool
	key      segKey
	old      *segment // the previous rendering's segment of that key
	off      int      // while !differs, how much of old the text matched
	differs  bool
	maxPlain int // the largest segment of the previous rendering
}

type pendingSegment struct {
	key            segKey
	plain, deflate []byte
}

func newSegmenter(prev *rendering) *segmenter {
	g := &segmenter{}
	if prev != nil {
		g.prev = make(map[segKey]*segment, len(prev.segs))
		for _, s := range prev.segs {
			g.prev[s.key] = s
			g.maxPlain = max(g.maxPlain, len(s.plain))
		}
		g.done = make([]pendingSegment, 0, len(prev.segs))
	}
	return g
}

// cut ends the segment being written and starts the next, of family d.
func (g *segmenter) cut(d *def) {
	g.finish()
	key := segKey{d: d}
	if g.open && g.key.d == d {
		key.n = g.key.n + 1
	}
	g.open, g.key, g.old, g.off, g.differs = true, key, g.prev[key], 0, false
}

// Write takes the text of the segment being written.
func (g *segmenter) Write(p []byte) (int, error) {
	if !g.differs {
		if g.old != nil && bytes.HasPrefix(g.old.plain[g.off:], p) {
			g.off += len(p)
			return len(p), nil
		}
		g.differs = true
		if g.scratch.Cap() == 0 {
			g.scratch.Grow(max(g.maxPlain+g.maxPlain/16, sinkBlock))
		}
		g.scratch.Reset()
		if g.old != nil {
			g.scratch.Write(g.old.plain[:g.off])
		}
	}
	return g.scratch.Write(p)
}

func (g *segmenter) finish() {
	if !g.open {
		return
	}
	var plain []byte
	switch {
	case g.differs:
		plain = clone(g.scratch.Bytes())
	case g.old != nil && g.off == len(g.old.plain):
		g.done = append(g.done, pendingSegment{key: g.key, plain: g.old.plain, deflate: g.old.deflate})
		return
	case g.off == 0:
		return // an empty family
	default: // the text ended early: a prefix of the old segment's
		plain = clone(g.old.plain[:g.off])
	}
	if g.fw == nil {
		g.fw = flatePool.Get().(*flate.Writer)
	}
	g.zbuf.Reset()
	g.fw.Reset(&g.zbuf)
	g.fw.Write(plain)
	g.fw.Flush()
	g.done = append(g.done, pendingSegment{key: g.key, plain: plain, deflate: clone(g.zbuf.Bytes())})
}

// rendering ends the last segment and assembles the rendering: the
// segments' deflate data in one gzip member.
func (g *segmenter) rendering(at time.Time) *rendering {
	g.finish()
	g.open = false
	if g.fw != nil {
		flatePool.Put(g.fw)
		g.fw = nil
	}
	size := len(gzipHeader) + len(deflateEnd) + 8
	for _, p := range g.done {
		size += len(p.deflate)
	}
	r := &rendering{segs: make([]*segment, len(g.done)), at: at}
	gz := append(make([]byte, 0, size), gzipHeader...)
	var crc uint32
	for i, p := range g.done {
		start := len(gz)
		gz = append(gz, p.deflate...)
		r.segs[i] = &segment{key: p.key, plain: p.plain, deflate: gz[start:len(gz):len(gz)]}
		crc = crc32.Update(crc, crc32.IEEETable, p.plain)
		r.plainLen += len(p.plain)
	}
	gz = append(gz, deflateEnd...)
	gz = binary.LittleEndian.AppendUint32(gz, crc)
	r.gz = binary.LittleEndian.AppendUint32(gz, uint32(r.plainLen))
	return r
}

// clone copies b into a slice of its size (bytes.Clone rounds up).
func clone(b []byte) []byte {
	c := make([]byte, len(b))
	copy(c, b)
	return c
}

// gzipHeader is what gzip.Writer writes at the default level without a
// name or a modification time (RFC 1952: deflate, no flags, OS unknown).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// deflateEnd ends the concatenated segments' blocks: a final, empty
// stored block (RFC 1951 3.2.4), as flate.Writer.Close writes it.
var deflateEnd = []byte{0x01, 0x00, 0x00, 0xff, 0xff}

// flatePool keeps the renderings' compressor between two of them (its
// state is most of a megabyte); unlike one kept in the Cache, it is
// released when renderings are rare and the heap is collected.
var flatePool = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(nil, flate.DefaultCompression)
	return fw
}}
