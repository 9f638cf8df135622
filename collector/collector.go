// Package collector exposes the plan's state as Prometheus metrics. Values
// are computed from one snapshot of the plan and the store, so a scrape
// never mixes two plans or half a file.
//
// Two ways to serve them share one definition (walk.go): Collector, a
// plain prometheus.Collector, and Cache, which renders the exposition once
// per change or refresh interval and serves the same bytes to every
// scrape.
package collector

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shandong/indicator_exporter/indicators"
)

// Source gives one consistent view: the plan in force and the data it is
// judged on.
type Source interface {
	Snapshot() (*indicators.Plan, indicators.Data)
}

// Collector implements prometheus.Collector for the plan's indicators,
// evaluating at every scrape.
type Collector struct {
	src   Source
	now   func() time.Time
	descs map[*def]*prometheus.Desc
}

// New returns a collector reading from src; now is the clock (time.Now in
// the daemon, a fake in tests).
func New(src Source, now func() time.Time) *Collector {
	c := &Collector{src: src, now: now, descs: make(map[*def]*prometheus.Desc, len(defs))}
	for _, d := range defs {
		c.descs[d] = prometheus.NewDesc(d.name, d.help, d.labels, nil)
	}
	return c
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range defs {
		ch <- c.descs[d]
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	plan, data := c.src.Snapshot()
	if plan == nil {
		return
	}
	walk(plan, data, c.now(), constSink{c.descs, ch})
}

type constSink struct {
	descs map[*def]*prometheus.Desc
	ch    chan<- prometheus.Metric
}

func (constSink) begin(*def) {}

func (s constSink) sample(d *def, v float64, lv []string) {
	s.ch <- prometheus.MustNewConstMetric(s.descs[d], prometheus.GaugeValue, v, lv...)
}
