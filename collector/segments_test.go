package collector

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// plainOf and unzip read a rendering back.
func plainOf(r *rendering) []byte {
	var b bytes.Buffer
	r.writePlain(&b)
	return b.Bytes()
}

// unzip decompresses exactly one gzip member, the whole of gz.
func unzip(t *testing.T, gz []byte) []byte {
	t.Helper()
	br := bytes.NewReader(gz)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip form unreadable: %v", err)
	}
	if br.Len() != 0 {
		t.Fatalf("%d bytes after the gzip member", br.Len())
	}
	return b
}

// mutable is a Source whose plan, data and clock a test changes between
// renderings.
type mutable struct {
	plan *indicators.Plan
	data indicators.Data
	now  time.Time
}

func (m *mutable) Snapshot() (*indicators.Plan, indicators.Data) { return m.plan, m.data }

// Through a series of changes, each rendering is Render's text at that
// moment, its gzip form one member of the same text, and it shares with
// the previous rendering exactly the segments that did not change.
func TestRenderingsReuseUnchangedSegments(t *testing.T) {
	src, now := bigSource(50) // 850 rows: indicator_status has two segments
	m := &mutable{plan: src.plan, data: src.data, now: now}
	c := NewCache(m, func() time.Time { return m.now }, time.Hour, quiet())
	var prev *rendering
	check := func(step string) (reused, made int) {
		t.Helper()
		r := c.render()
		var want bytes.Buffer
		Render(m.plan, m.data, m.now, &want)
		if got := plainOf(r); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%s: the cached text differs from Render's (%d vs %d bytes)", step, len(got), want.Len())
		}
		if r.plainLen != want.Len() {
			t.Fatalf("%s: plainLen %d, text %d bytes", step, r.plainLen, want.Len())
		}
		if !bytes.Equal(unzip(t, r.gz), want.Bytes()) {
			t.Fatalf("%s: the gzip form does not decompress to the text", step)
		}
		old := map[*byte]bool{}
		if prev != nil {
			for _, s := range prev.segs {
				old[&s.plain[0]] = true
			}
		}
		for _, s := range r.segs {
			if len(s.plain) == 0 {
				t.Fatalf("%s: an empty segment", step)
			}
			if cap(s.plain) != len(s.plain) {
				t.Fatalf("%s: a segment of %d bytes holds %d", step, len(s.plain), cap(s.plain))
			}
			if old[&s.plain[0]] {
				reused++
			} else {
				made++
			}
		}
		prev = r
		t.Logf("%s: %d segments reused, %d made anew", step, reused, made)
		return reused, made
	}
	check("first")
	if last := prev.segs[len(prev.segs)-1]; last.key.d != defTarget {
		t.Fatalf("last segment of %s", last.key.d.name)
	}
	split := false
	for _, s := range prev.segs {
		split = split || (s.key.d == defStatus && s.key.n > 0)
	}
	if !split {
		t.Fatal("indicator_status is not split into segments")
	}
	if _, made := check("same again"); made != 0 {
		t.Fatalf("nothing changed, yet %d segments were made anew", made)
	}
	m.now = m.now.Add(15 * time.Second)
	reused, made := check("refresh")
	if made == 0 || made > 6 || reused < 3*made {
		t.Fatalf("refresh: %d segments made anew, %d reused; want only the time-dependent ones", made, reused)
	}
	// One more report for one series.
	data := indicators.Data{Series: map[indicators.SeriesKey][]indicators.Observation{}}
	for k, v := range m.data.Series {
		data.Series[k] = v
	}
	k := indicators.SeriesKey{Indicator: "indicator_00049", Region: "city15"}
	data.Series[k] = append(append([]indicators.Observation{}, data.Series[k]...),
		indicators.Observation{AsOf: m.now.Add(-time.Hour).Unix(), Value: 1234.5, Received: m.now.UnixMilli()})
	m.data = data
	if reused, made := check("one more report"); made == 0 || reused < made {
		t.Fatalf("one more report: %d segments made anew, %d reused", made, reused)
	}
	// Fewer targets: segments end early, some families shrink by a segment.
	p := *m.plan
	p.Targets = p.Targets[:len(p.Targets)-3]
	p.Index()
	m.plan = &p
	check("fewer targets")
	p2 := *m.plan
	p2.Targets = src.plan.Targets
	p2.Index()
	m.plan = &p2
	check("the targets back")
	m.plan = nil
	if check("no plan"); prev.plainLen != 0 {
		t.Fatal("text without a plan")
	}
	m.plan = src.plan
	check("a plan again")
}

// Rendering allocates nothing per sample beyond what Evaluate does: the
// label values and the text go straight into reused buffers.
func TestRenderAllocatesLittleBeyondEvaluate(t *testing.T) {
	src, now := bigSource(20) // 20 indicators × 17 rows, about 6000 samples
	eval := testing.AllocsPerRun(5, func() { indicators.Evaluate(src.plan, src.data, now) })
	render := testing.AllocsPerRun(5, func() { Render(src.plan, src.data, now, io.Discard) })
	t.Logf("Evaluate %.0f allocations, Render %.0f", eval, render)
	// meta's strings for each target's info line, and a few buffers.
	if extra := render - eval; extra > float64(3*len(src.plan.Targets)+20) {
		t.Fatalf("Render allocates %.0f times beyond Evaluate's %.0f", extra, eval)
	}
}

// Lines longer than the sink's block still come out whole.
func TestRenderLongLabelValues(t *testing.T) {
	src, now := testSource(t)
	p := *src.plan
	t0 := *p.Targets[0]
	t0.Name = strings.Repeat("长", sinkBlock)
	p.Targets = append([]*indicators.Target{&t0}, p.Targets[1:]...)
	var buf bytes.Buffer
	Render(&p, src.data, now, &buf)
	found := false
	for _, m := range parseText(t, buf.Bytes())["indicator_info"].GetMetric() {
		for _, l := range m.GetLabel() {
			found = found || (l.GetName() == "name" && l.GetValue() == t0.Name)
		}
	}
	if !found {
		t.Fatal("a label value longer than the block did not round-trip")
	}
}

// The fixed bytes of the gzip member are what the standard library
// writes.
func TestGzipFraming(t *testing.T) {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	zw.Close()
	if got := b.Bytes()[:len(gzipHeader)]; !bytes.Equal(got, gzipHeader) {
		t.Errorf("gzip header % x, want % x", got, gzipHeader)
	}
	b.Reset()
	fw, _ := flate.NewWriter(&b, flate.DefaultCompression)
	fw.Close()
	if !bytes.Equal(b.Bytes(), deflateEnd) {
		t.Errorf("end of a deflate stream % x, want % x", b.Bytes(), deflateEnd)
	}
}
