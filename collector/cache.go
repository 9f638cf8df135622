package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// Cache renders the indicator families once and serves the same bytes,
// plain and gzip-compressed, to every scrape. The data changes only when a
// file is ingested or the plan reloads; time-dependent values (expected
// progress, status) are refreshed every refresh interval. A rendering is
// immutable and swapped in whole, so a scrape never sees a torn or mixed
// snapshot. Consecutive renderings share the parts of the text that came
// out the same, stored and compressed once (segments.go).
type Cache struct {
	src     Source
	now     func() time.Time
	refresh time.Duration
	logger  *slog.Logger

	cur  atomic.Pointer[rendering]
	kick chan struct{}
	once sync.Mutex // serialises renders

	renders  prometheus.Counter
	duration prometheus.Gauge
	age      prometheus.GaugeFunc
	bytes    prometheus.Gauge
}

// NewCache returns a cache that refreshes at least every refresh interval.
// Register it (for its own metrics) and start Run.
func NewCache(src Source, now func() time.Time, refresh time.Duration, logger *slog.Logger) *Cache {
	c := &Cache{src: src, now: now, refresh: refresh, logger: logger, kick: make(chan struct{}, 1)}
	c.renders = prometheus.NewCounter(prometheus.CounterOpts{Name: "indicator_exporter_renders_total",
		Help: "Renderings of the indicator metrics (after a change or at the refresh interval)."})
	c.duration = prometheus.NewGauge(prometheus.GaugeOpts{Name: "indicator_exporter_render_duration_seconds",
		Help: "How long the last rendering of the indicator metrics took."})
	c.bytes = prometheus.NewGauge(prometheus.GaugeOpts{Name: "indicator_exporter_render_bytes",
		Help: "Size of the last rendering of the indicator metrics, uncompressed."})
	c.age = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "indicator_exporter_render_age_seconds",
		Help: "Age of the indicator metrics being served: time-dependent values lag the clock by this much."},
		func() float64 {
			if r := c.cur.Load(); r != nil {
				return time.Since(r.at).Seconds()
			}
			return 0
		})
	return c
}

// Describe implements prometheus.Collector for the cache's own metrics.
func (c *Cache) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range []prometheus.Collector{c.renders, c.duration, c.bytes, c.age} {
		m.Describe(ch)
	}
}

// Collect implements prometheus.Collector for the cache's own metrics.
func (c *Cache) Collect(ch chan<- prometheus.Metric) {
	for _, m := range []prometheus.Collector{c.renders, c.duration, c.bytes, c.age} {
		m.Collect(ch)
	}
}

// Invalidate asks for a new rendering now: the data or the plan changed.
// It never blocks.
func (c *Cache) Invalidate() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Refresh renders now and returns when the new rendering is served: for
// callers that must see their change on the next scrape (a reload request).
func (c *Cache) Refresh() { c.render() }

// Run re-renders on Invalidate and at the refresh interval until ctx ends.
func (c *Cache) Run(ctx context.Context) {
	c.render()
	t := time.NewTicker(c.refresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.kick:
		case <-t.C:
		}
		c.render()
	}
}

func (c *Cache) render() *rendering {
	c.once.Lock()
	defer c.once.Unlock()
	start := time.Now()
	plan, data := c.src.Snapshot()
	g := newSegmenter(c.cur.Load())
	if plan != nil {
		s := newTextSink(g)
		s.cut = g.cut
		walk(plan, data, c.now(), s)
		s.flush()
	}
	r := g.rendering(time.Now())
	c.cur.Store(r)
	c.renders.Inc()
	c.duration.Set(time.Since(start).Seconds())
	c.bytes.Set(float64(r.plainLen))
	c.logger.Debug("rendered indicator metrics", "bytes", r.plainLen, "gzip_bytes", len(r.gz), "took", time.Since(start))
	return r
}

func (c *Cache) current() *rendering {
	if r := c.cur.Load(); r != nil {
		return r
	}
	return c.render()
}

// Handler serves the cached indicator families followed by the live
// metrics of g (Go runtime, process, inbox, reload state), which are
// small and gathered per scrape. Text and OpenMetrics are negotiated as
// promhttp does; gzip is served when accepted, as two concatenated gzip
// members (RFC 1952 allows several; Go's and so Prometheus's reader reads
// them as one stream), so the big part is compressed once per rendering.
func (c *Cache) Handler(g prometheus.Gatherer, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format := expfmt.NegotiateIncludingOpenMetrics(r.Header)
		open := format.FormatType() == expfmt.TypeOpenMetrics
		if format.FormatType() != expfmt.TypeTextPlain && !open {
			// Protobuf is not offered: every Prometheus takes text.
			format = expfmt.NewFormat(expfmt.TypeTextPlain)
		}
		mfs, err := g.Gather()
		if err != nil {
			logger.Error("gathering live metrics", "err", err)
		}
		var live bytes.Buffer
		enc := expfmt.NewEncoder(&live, format)
		for _, mf := range mfs {
			if err := enc.Encode(mf); err != nil {
				logger.Error("encoding live metrics", "err", err)
			}
		}
		if cl, ok := enc.(expfmt.Closer); ok {
			cl.Close() // OpenMetrics' "# EOF"
		}
		cached := c.current()
		h := w.Header()
		h.Set("Content-Type", string(format))
		if gzipAccepted(r.Header.Get("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			h.Set("Vary", "Accept-Encoding")
			var tail bytes.Buffer
			zw := gzipPool.Get().(*gzip.Writer)
			zw.Reset(&tail)
			zw.Write(live.Bytes())
			zw.Close()
			gzipPool.Put(zw)
			h.Set("Content-Length", strconv.Itoa(len(cached.gz)+tail.Len()))
			w.Write(cached.gz)
			w.Write(tail.Bytes())
			return
		}
		h.Set("Content-Length", strconv.Itoa(cached.plainLen+live.Len()))
		if cached.writePlain(w) == nil {
			w.Write(live.Bytes())
		}
	})
}

// gzipPool reuses compressors: a new one allocates about a megabyte.
var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

func gzipAccepted(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}
