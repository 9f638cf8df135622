package collector

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/procfs"
)

// ProcessCollector exposes the standard process_* metrics that operators
// expect (CPU, memory, file descriptors, start time), read from
// /proc/self/stat and the fd table at each scrape.
//
// client_golang's process collector also parses /proc/self/net/netstat and
// /proc/self/limits at every scrape, which costs more than serving the
// whole cached exposition; network bytes are node_exporter's business, and
// the limits are read once at start.
type ProcessCollector struct {
	proc                         procfs.Proc
	maxFDs, maxVsize             float64
	cpu, openFDs, maxFDsD, vsize *prometheus.Desc
	maxVsizeD, rss, start        *prometheus.Desc
}

// NewProcessCollector returns a collector for the current process, or an
// error where /proc is not available.
func NewProcessCollector() (*ProcessCollector, error) {
	p, err := procfs.Self()
	if err != nil {
		return nil, err
	}
	c := &ProcessCollector{proc: p,
		cpu:       prometheus.NewDesc("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", nil, nil),
		openFDs:   prometheus.NewDesc("process_open_fds", "Number of open file descriptors.", nil, nil),
		maxFDsD:   prometheus.NewDesc("process_max_fds", "Maximum number of open file descriptors.", nil, nil),
		vsize:     prometheus.NewDesc("process_virtual_memory_bytes", "Virtual memory size in bytes.", nil, nil),
		maxVsizeD: prometheus.NewDesc("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", nil, nil),
		rss:       prometheus.NewDesc("process_resident_memory_bytes", "Resident memory size in bytes.", nil, nil),
		start:     prometheus.NewDesc("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", nil, nil),
	}
	if l, err := p.Limits(); err == nil {
		c.maxFDs, c.maxVsize = float64(l.OpenFiles), float64(l.AddressSpace)
	}
	return c, nil
}

// Describe implements prometheus.Collector.
func (c *ProcessCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.cpu, c.openFDs, c.maxFDsD, c.vsize, c.maxVsizeD, c.rss, c.start} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *ProcessCollector) Collect(ch chan<- prometheus.Metric) {
	if st, err := c.proc.Stat(); err == nil {
		ch <- prometheus.MustNewConstMetric(c.cpu, prometheus.CounterValue, st.CPUTime())
		ch <- prometheus.MustNewConstMetric(c.vsize, prometheus.GaugeValue, float64(st.VirtualMemory()))
		ch <- prometheus.MustNewConstMetric(c.rss, prometheus.GaugeValue, float64(st.ResidentMemory()))
		if t, err := st.StartTime(); err == nil {
			ch <- prometheus.MustNewConstMetric(c.start, prometheus.GaugeValue, t)
		}
	}
	if n, err := c.proc.FileDescriptorsLen(); err == nil {
		ch <- prometheus.MustNewConstMetric(c.openFDs, prometheus.GaugeValue, float64(n))
	}
	if c.maxFDs > 0 {
		ch <- prometheus.MustNewConstMetric(c.maxFDsD, prometheus.GaugeValue, c.maxFDs)
	}
	if c.maxVsize > 0 {
		ch <- prometheus.MustNewConstMetric(c.maxVsizeD, prometheus.GaugeValue, c.maxVsize)
	}
}
