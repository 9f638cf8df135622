package collector

import (
	"bytes"
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
type textSink struct {
	buf     *bytes.Buffer
	pending *def // family whose header is not written yet
	num     []byte
}

func (s *textSink) begin(d *def) { s.pending = d }

func (s *textSink) sample(d *def, v float64, lv ...string) {
	b := s.buf
	if s.pending == d {
		// Headers are written with the first sample, so an empty family
		// leaves no trace (as client_golang does).
		b.WriteString("# HELP ")
		b.WriteString(d.name)
		b.WriteByte(' ')
		b.WriteString(d.help)
		b.WriteString("\n# TYPE ")
		b.WriteString(d.name)
		b.WriteString(" gauge\n")
		s.pending = nil
	}
	b.WriteString(d.name)
	if len(lv) > 0 {
		b.WriteByte('{')
		for i, v := range lv {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(d.labels[i])
			b.WriteString(`="`)
			writeEscaped(b, v)
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	s.num = appendFloat(s.num[:0], v)
	b.Write(s.num)
	b.WriteByte('\n')
}

// writeEscaped escapes a label value as both formats require: backslash,
// double quote and line feed.
func writeEscaped(b *bytes.Buffer, s string) {
	if !strings.ContainsAny(s, "\\\"\n") {
		b.WriteString(s)
		return
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
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
// format.
func Render(plan *indicators.Plan, data indicators.Data, now time.Time, buf *bytes.Buffer) {
	if plan == nil {
		return
	}
	walk(plan, data, now, &textSink{buf: buf})
}
