package collector

import (
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// textSink writes the Prometheus text exposition format directly. For
// these gauge families it is also valid OpenMetrics (without the closing
// "# EOF", which the handler adds after the live metrics): the sample
// syntax is the same, and no HELP text here needs OpenMetrics' extra
// escaping of quotes.
//
// Lines are appended to a small block that is handed to w whenever it
// fills, so w sees a few large writes rather than many small ones.
type textSink struct {
	w       io.Writer
	b       []byte
	pending *def // family whose header is not written yet
	// cut, if set, is called where a segment starts (each family, and
	// every segSamples samples in one), after what precedes is written.
	cut func(d *def)
	n   int // samples since the last cut
}

// sinkBlock is how much textSink gathers before writing to w.
const sinkBlock = 32 << 10

func newTextSink(w io.Writer) *textSink { return &textSink{w: w, b: make([]byte, 0, sinkBlock)} }

func (s *textSink) begin(d *def) {
	s.pending = d
	if s.cut != nil {
		s.flush()
		s.cut(d)
		s.n = 0
	}
}

func (s *textSink) sample(d *def, v float64, lv []string) {
	if s.cut != nil {
		if s.n == segSamples {
			s.flush()
			s.cut(d)
			s.n = 0
		}
		s.n++
	}
	b := s.b
	if s.pending == d {
		// Headers are written with the first sample, so an empty family
		// leaves no trace (as client_golang does).
		b = append(b, "# HELP "...)
		b = append(b, d.name...)
		b = append(b, ' ')
		b = append(b, d.help...)
		b = append(b, "\n# TYPE "...)
		b = append(b, d.name...)
		b = append(b, " gauge\n"...)
		s.pending = nil
	}
	b = append(b, d.name...)
	if len(lv) > 0 {
		b = append(b, '{')
		for i, v := range lv {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, d.labels[i]...)
			b = append(b, `="`...)
			b = appendEscaped(b, v)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	b = append(b, ' ')
	b = appendFloat(b, v)
	b = append(b, '\n')
	s.b = b
	if len(b) >= sinkBlock-512 {
		s.flush()
	}
}

func (s *textSink) flush() {
	if len(s.b) > 0 {
		s.w.Write(s.b)
		s.b = s.b[:0]
	}
}

// appendEscaped escapes a label value as both formats require: backslash,
// double quote and line feed.
func appendEscaped(b []byte, s string) []byte {
	if !strings.ContainsAny(s, "\\\"\n") {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '"':
			b = append(b, `\"`...)
		case '\n':
			b = append(b, `\n`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

func appendFloat(dst []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(dst, "+Inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-Inf"...)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.AppendInt(dst, int64(v), 10)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// Render writes the indicator families of the plan at now in the text
// format to w, in blocks of a few tens of kilobytes. Write errors are not
// reported: w is meant to be memory (a bytes.Buffer, a rendering).
func Render(plan *indicators.Plan, data indicators.Data, now time.Time, w io.Writer) {
	if plan == nil {
		return
	}
	s := newTextSink(w)
	walk(plan, data, now, s)
	s.flush()
}
