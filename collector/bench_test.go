package collector

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/shandong/indicator_exporter/indicators"
)

// bigSource is a synthetic plan of n each-city indicators over a province
// and 16 cities, each city with 8 quarterly reports: the shape of a
// province-wide plan at scale.
func bigSource(n int) (fixed, time.Time) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	p := &indicators.Plan{Name: "bench", Start: time.Date(2021, 1, 1, 0, 0, 0, 0, loc), Location: loc, LagMargin: 0.1,
		Departments: []indicators.Department{{ID: "ndrc", Name: "省发展改革委"}, {ID: "housing", Name: "省住房城乡建设厅"}},
		Regions:     []indicators.Region{{ID: "shandong", Name: "山东省", Level: indicators.ProvinceLevel}}}
	for c := 0; c < 16; c++ {
		p.Regions = append(p.Regions, indicators.Region{ID: fmt.Sprintf("city%02d", c), Name: fmt.Sprintf("城市%02d", c), Level: indicators.CityLevel})
	}
	data := indicators.Data{Series: map[indicators.SeriesKey][]indicators.Observation{}}
	for i := 0; i < n; i++ {
		t := &indicators.Target{ID: fmt.Sprintf("indicator_%05d", i), Task: i%102 + 1, Section: "三、深入实施城镇建设绿色化行动",
			Name: fmt.Sprintf("指标%05d", i), Unit: "个", Kind: indicators.Quantitative, Direction: indicators.AtLeast,
			Measure: indicators.Increment, Period: indicators.ByDeadline, Scope: indicators.EachCity, Value: 1000,
			HasBaseline: true, Start: p.Start, Deadline: time.Date(2027, 1, 1, 0, 0, 0, 0, loc),
			Lead: []string{"housing"}, Participants: []string{"ndrc"}}
		p.Targets = append(p.Targets, t)
		for c := 1; c < len(p.Regions); c++ {
			var obs []indicators.Observation
			for q := 0; q < 8; q++ {
				at := time.Date(2023, time.Month(3*q+3), 30, 0, 0, 0, 0, loc)
				obs = append(obs, indicators.Observation{AsOf: at.Unix(), Value: float64(100*q + i%50 + c), Received: at.UnixMilli()})
			}
			data.Series[indicators.SeriesKey{Indicator: t.ID, Region: p.Regions[c].ID}] = obs
		}
	}
	p.Index()
	// Digested, as the store keeps a state.
	return fixed{p, indicators.Digested(p, data)}, time.Date(2025, 7, 1, 0, 0, 0, 0, loc)
}

// sizes: indicators per benchmark size, giving about 10k and 100k series.
var sizes = []struct {
	name string
	n    int
}{{"10k", 35}, {"100k", 350}}

// countingWriter is a ResponseWriter that keeps only the byte count, so
// the benchmark measures the handler, not a recorder's buffer growth.
type countingWriter struct {
	h http.Header
	n int
}

func (w *countingWriter) Header() http.Header         { return w.h }
func (w *countingWriter) WriteHeader(int)             {}
func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func benchScrape(b *testing.B, h http.Handler, req *http.Request) {
	b.ReportAllocs()
	var n int
	for b.Loop() {
		w := &countingWriter{h: http.Header{}}
		h.ServeHTTP(w, req)
		n = w.n
	}
	b.ReportMetric(float64(n), "bytes/scrape")
}

// BenchmarkScrape compares serving the cached rendering with the plain
// client_golang collector on the same data, gzip and plain.
func BenchmarkScrape(b *testing.B) {
	for _, sz := range sizes {
		src, now := bigSource(sz.n)
		clock := func() time.Time { return now }
		var buf bytes.Buffer
		Render(src.plan, src.data, now, &buf)
		series := bytes.Count(buf.Bytes(), []byte("\n")) - 2*bytes.Count(buf.Bytes(), []byte("# TYPE"))
		cache := NewCache(src, clock, time.Hour, quiet())
		cache.render() // as Run does at start; scrapes never render
		cached := cache.Handler(prometheus.NewRegistry(), quiet())
		reg := prometheus.NewRegistry()
		reg.MustRegister(New(src, clock))
		plain := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
		for _, enc := range []string{"plain", "gzip"} {
			req := httptest.NewRequest("GET", "/metrics", nil)
			if enc == "gzip" {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			b.Run(fmt.Sprintf("cached/%s/%s", sz.name, enc), func(b *testing.B) {
				b.ReportMetric(float64(series), "series")
				benchScrape(b, cached, req)
			})
			b.Run(fmt.Sprintf("client_golang/%s/%s", sz.name, enc), func(b *testing.B) {
				benchScrape(b, plain, req)
			})
		}
	}
}

// BenchmarkRender is the cost of one rendering (evaluate every series,
// write the text, gzip it), paid once per change or refresh interval:
// from scratch (the first rendering, or after a change to every series),
// and at the refresh interval, where the clock moved and the data did not.
func BenchmarkRender(b *testing.B) {
	for _, sz := range sizes {
		src, now := bigSource(sz.n)
		at := now
		c := NewCache(src, func() time.Time { return at }, time.Hour, quiet())
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.cur.Store(nil)
				c.render()
			}
		})
		b.Run(sz.name+"-refresh", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				at = at.Add(15 * time.Second)
				c.render()
			}
		})
	}
}
