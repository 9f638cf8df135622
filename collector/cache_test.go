package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/shandong/indicator_exporter/indicators"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// samples flattens parsed families into "name{labels} value" lines, sorted,
// so two expositions can be compared whatever their order and float
// spelling.
func samples(t *testing.T, mfs map[string]*dto.MetricFamily) []string {
	t.Helper()
	var out []string
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var ls []string
			for _, l := range m.GetLabel() {
				ls = append(ls, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(ls)
			out = append(out, fmt.Sprintf("%s{%s} %v", name, strings.Join(ls, ","), m.GetGauge().GetValue()))
		}
	}
	sort.Strings(out)
	return out
}

func parseText(t *testing.T, b []byte) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, b)
	}
	return mfs
}

// The rendered bytes say exactly what the client_golang collector says.
func TestRenderEqualsCollector(t *testing.T) {
	src, now := testSource(t)
	var buf bytes.Buffer
	Render(src.plan, src.data, now, &buf)

	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(New(src, func() time.Time { return now }))
	gathered, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*dto.MetricFamily{}
	for _, mf := range gathered {
		want[mf.GetName()] = mf
	}
	got, exp := samples(t, parseText(t, buf.Bytes())), samples(t, want)
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		t.Fatalf("rendered exposition differs from the collector's:\nrendered:\n%s\ncollector:\n%s", strings.Join(got, "\n"), strings.Join(exp, "\n"))
	}
	if len(got) < 50 {
		t.Fatalf("only %d samples rendered", len(got))
	}
}

// Hostile plan text (quotes, backslashes, newlines, HTML) survives the
// exposition intact and cannot break out of a label.
func TestRenderEscapesLabelValues(t *testing.T) {
	src, now := testSource(t)
	p := *src.plan
	t0 := *p.Targets[0]
	t0.Name = "名称 \"引号\" \\反斜杠\\\n第二行 <script>alert(1)</script>"
	p.Targets = append([]*indicators.Target{&t0}, p.Targets[1:]...)
	var buf bytes.Buffer
	Render(&p, src.data, now, &buf)
	mfs := parseText(t, buf.Bytes())
	found := false
	for _, m := range mfs["indicator_info"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "name" && l.GetValue() == t0.Name {
				found = true
			}
		}
	}
	if !found {
		t.Fatalf("name label did not round-trip:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "\n第二行") {
		t.Fatal("a raw newline in a label value reached the exposition")
	}
}

func get(t *testing.T, h http.Handler, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	body := rec.Body.Bytes()
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("gzip body unreadable: %v", err)
		}
	}
	return resp, body
}

func liveRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "indicator_config_last_reload_successful", Help: "x"})
	g.Set(1)
	reg.MustRegister(g)
	return reg
}

func TestHandlerServesCachedAndLiveInEveryFormat(t *testing.T) {
	src, now := testSource(t)
	c := NewCache(src, func() time.Time { return now }, time.Hour, quiet())
	h := c.Handler(liveRegistry(), quiet())

	resp, plain := get(t, h, nil)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("content type %q", ct)
	}
	mfs := parseText(t, plain)
	if mfs["indicator_config_last_reload_successful"] == nil || mfs["indicator_status"] == nil {
		t.Fatal("cached or live part missing from the plain response")
	}

	resp, unzipped := get(t, h, map[string]string{"Accept-Encoding": "gzip"})
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatal("gzip accepted but not served")
	}
	if !bytes.Equal(unzipped, plain) {
		t.Fatal("the gzip body (two members) does not decompress to the plain body")
	}

	resp, om := get(t, h, map[string]string{"Accept": "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5"})
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text") {
		t.Fatalf("OpenMetrics not negotiated: %q", ct)
	}
	if !bytes.HasSuffix(om, []byte("# EOF\n")) || bytes.Count(om, []byte("# EOF")) != 1 {
		t.Fatal("OpenMetrics body must end with exactly one # EOF")
	}
	if !bytes.HasPrefix(om, plain[:bytes.Index(plain, []byte("indicator_config_last_reload_successful"))]) {
		t.Fatal("OpenMetrics body should start with the cached families")
	}
}

// Expected progress and status depend on the clock: they follow it within
// one refresh interval, without any data change.
func TestRefreshFollowsTheClock(t *testing.T) {
	src, now := testSource(t)
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	c := NewCache(src, func() time.Time { return time.Unix(0, clock.Load()) }, 20*time.Millisecond, quiet())
	ctx, cancel := contextWithCancel()
	defer cancel()
	go c.Run(ctx)
	h := c.Handler(prometheus.NewRegistry(), quiet())
	value := func() float64 {
		_, b := get(t, h, nil)
		for _, m := range parseText(t, b)["indicator_status"].GetMetric() {
			l := map[string]string{}
			for _, p := range m.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			if l["indicator"] == "renovated_households" && l["status"] == "overdue" {
				return m.GetGauge().GetValue()
			}
		}
		return math.NaN()
	}
	if v := value(); v != 0 {
		t.Fatalf("overdue before the deadline: %v", v)
	}
	clock.Store(time.Date(2024, 3, 1, 0, 0, 0, 0, now.Location()).UnixNano()) // a clock jump past the deadline
	deadline := time.Now().Add(2 * time.Second)
	for value() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("status did not follow the clock within the refresh interval")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// swapping alternates between two complete data sets.
type swapping struct {
	plan *indicators.Plan
	a, b indicators.Data
	n    atomic.Int64
}

func (s *swapping) Snapshot() (*indicators.Plan, indicators.Data) {
	if s.n.Add(1)%2 == 0 {
		return s.plan, s.a
	}
	return s.plan, s.b
}

// Scrapes racing with re-renders always get one whole snapshot: every
// series has exactly one status, and the value of the series that differs
// between the two data sets is one of the two, never missing.
func TestConcurrentScrapesNeverSeeATornSnapshot(t *testing.T) {
	src, now := testSource(t)
	b := indicators.Data{Series: map[indicators.SeriesKey][]indicators.Observation{}}
	for k, v := range src.data.Series {
		b.Series[k] = v
	}
	k := indicators.SeriesKey{Indicator: "renovated_households", Region: "shandong"}
	b.Series[k] = append(append([]indicators.Observation{}, b.Series[k]...),
		indicators.Observation{AsOf: now.Add(-time.Hour).Unix(), Value: 1200000, Received: now.UnixMilli()})
	sw := &swapping{plan: src.plan, a: src.data, b: b}
	c := NewCache(sw, func() time.Time { return now }, time.Hour, quiet())
	h := c.Handler(prometheus.NewRegistry(), quiet())

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				c.render()
			}
		}
	}()
	for i := 0; i < 200; i++ {
		_, body := get(t, h, map[string]string{"Accept-Encoding": "gzip"})
		mfs := parseText(t, body)
		ones := map[string]float64{}
		for _, m := range mfs["indicator_status"].GetMetric() {
			var key string
			for _, l := range m.GetLabel() {
				if l.GetName() != "status" {
					key += l.GetValue() + "/"
				}
			}
			ones[key] += m.GetGauge().GetValue()
		}
		for key, v := range ones {
			if v != 1 {
				t.Fatalf("scrape %d: %s has %v statuses set", i, key, v)
			}
		}
		var cur float64
		for _, m := range mfs["indicator_current_value"].GetMetric() {
			if m.GetLabel()[0].GetValue() == "renovated_households" {
				cur = m.GetGauge().GetValue()
			}
		}
		if cur != 900000 && cur != 1200000 {
			t.Fatalf("scrape %d: current value %v is from neither snapshot", i, cur)
		}
	}
	close(stop)
	wg.Wait()
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
