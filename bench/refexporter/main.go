// Command refexporter serves a captured exposition two ways, as the
// references the benchmark compares indicator_exporter with:
//
//	-mode=client_golang  a minimal client_golang exporter: a custom
//	                     collector sending const metrics each scrape,
//	                     served by promhttp (the usual way to write one);
//	-mode=prerendered    the same bytes rendered once and written
//	                     straight (plain and pre-gzipped): the floor.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"log"
	"net/http"
	"os"
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

type series struct {
	labels []string
	value  float64
}

type family struct {
	desc   *prometheus.Desc
	series []series
}

// constCollector re-creates every sample at each scrape, as an exporter
// computing values at scrape time does.
type constCollector struct{ fams []family }

func (c *constCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, f := range c.fams {
		ch <- f.desc
	}
}

func (c *constCollector) Collect(ch chan<- prometheus.Metric) {
	for _, f := range c.fams {
		for _, s := range f.series {
			ch <- prometheus.MustNewConstMetric(f.desc, prometheus.GaugeValue, s.value, s.labels...)
		}
	}
}

func main() {
	addr := flag.String("listen", "127.0.0.1:0", "listen address")
	file := flag.String("file", "", "captured exposition (text format)")
	mode := flag.String("mode", "client_golang", "client_golang or prerendered")
	flag.Parse()
	data, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	switch *mode {
	case "prerendered":
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(data)
		zw.Close()
		http.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
			if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(gz.Bytes())
				return
			}
			w.Write(data)
		})
	case "client_golang":
		p := expfmt.NewTextParser(model.UTF8Validation)
		mfs, err := p.TextToMetricFamilies(bytes.NewReader(data))
		if err != nil {
			log.Fatal(err)
		}
		var names []string
		for n := range mfs {
			names = append(names, n)
		}
		sort.Strings(names)
		c := &constCollector{}
		for _, n := range names {
			mf := mfs[n]
			var labelNames []string
			if len(mf.GetMetric()) > 0 {
				for _, l := range mf.GetMetric()[0].GetLabel() {
					labelNames = append(labelNames, l.GetName())
				}
			}
			f := family{desc: prometheus.NewDesc(n, mf.GetHelp(), labelNames, nil)}
			for _, m := range mf.GetMetric() {
				f.series = append(f.series, series{labels: values(m), value: m.GetGauge().GetValue()})
			}
			c.fams = append(c.fams, f)
		}
		reg := prometheus.NewRegistry()
		reg.MustRegister(c)
		http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	default:
		log.Fatalf("unknown mode %q", *mode)
	}
	log.Fatal(http.ListenAndServe(*addr, nil))
}

func values(m *dto.Metric) []string {
	out := make([]string, len(m.GetLabel()))
	for i, l := range m.GetLabel() {
		out[i] = l.GetValue()
	}
	return out
}
