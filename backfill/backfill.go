// Package backfill writes the reported history kept in the store as
// OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`, so
// Prometheus can show the years of reports that came before the exporter
// was first scraped.
//
// The backfilled series have their own names (ReportedMetric and
// PlannedMetric), which the live exporter never exposes. A report is a
// value at its as_of date; the live gauge indicator_current_value is the
// latest report known at each scrape. Kept apart, the two never mix in one
// series, a second backfill run only repeats identical samples, and a
// dashboard chooses explicitly: `live or history` (see README.md, "History from before the exporter: backfill").
package backfill

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// Metric names written by Write. The live exporter exposes neither.
const (
	// ReportedMetric is one sample per effective report, at its as_of
	// date (00:00 in the plan's zone), in the indicator's unit.
	ReportedMetric = "indicator_reported_value"
	// PlannedMetric is the value the plan's schedule expected at each
	// report's as_of date, computed as the exporter computes
	// indicator_planned_value; it draws the planned path for the years
	// before the exporter ran.
	PlannedMetric = "indicator_reported_planned_value"
)

// Stats summarises what Write wrote.
type Stats struct {
	Series, Samples int
	First, Last     time.Time // earliest and latest sample; zero if none
	Skipped         int       // reports at or after the end, left out
}

// Write writes one sample per effective report in data (the latest
// arrival for each indicator, region and as_of date; corrections replace
// the value they correct) and, for series of a target in plan, the planned
// value at the same dates. Reports dated at or after end are left out:
// recent samples belong to Prometheus's head block, and the live exporter
// covers them. Series are written sorted, each in time order, as promtool
// requires; the output ends with "# EOF".
func Write(w io.Writer, plan *indicators.Plan, data indicators.Data, end time.Time) (Stats, error) {
	bw := bufio.NewWriter(w)
	keys := make([]indicators.SeriesKey, 0, len(data.Series))
	for k := range data.Series {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Indicator != keys[j].Indicator {
			return keys[i].Indicator < keys[j].Indicator
		}
		return keys[i].Region < keys[j].Region
	})

	var st Stats
	note := func(t time.Time) {
		st.Samples++
		if st.First.IsZero() || t.Before(st.First) {
			st.First = t
		}
		if t.After(st.Last) {
			st.Last = t
		}
	}

	fmt.Fprintf(bw, "# HELP %s Reported value at its as_of date, in the indicator's unit (backfilled history).\n", ReportedMetric)
	fmt.Fprintf(bw, "# TYPE %s gauge\n", ReportedMetric)
	for _, k := range keys {
		wrote := false
		for _, o := range data.Series[k] {
			at := o.Date(plan.Location)
			if !at.Before(end) {
				st.Skipped++
				continue
			}
			if !finite(o.Value) {
				continue
			}
			writeSample(bw, ReportedMetric, k, o.Value, at)
			note(at)
			wrote = true
		}
		if wrote {
			st.Series++
		}
	}

	fmt.Fprintf(bw, "# HELP %s Value the plan's schedule expected at each report's as_of date, in the indicator's unit (backfilled history).\n", PlannedMetric)
	fmt.Fprintf(bw, "# TYPE %s gauge\n", PlannedMetric)
	for _, k := range keys {
		t, ok := plan.TargetID(k.Indicator)
		if !ok || !inScope(plan, t, k.Region) {
			continue // no longer in the plan: its reports stay, it has no schedule
		}
		obs := data.Series[k]
		target := indicators.Revise(t, data.Revisions[k])
		// The baseline as the exporter takes it: the plan's, else the
		// first report.
		base := indicators.BaselineOf(t, obs)
		if !base.Known {
			continue
		}
		wrote := false
		for _, o := range obs {
			at := o.Date(plan.Location)
			if !at.Before(end) {
				continue
			}
			v := indicators.PlannedValue(target, base, at)
			if !finite(v) {
				continue
			}
			writeSample(bw, PlannedMetric, k, v, at)
			note(at)
			wrote = true
		}
		if wrote {
			st.Series++
		}
	}
	bw.WriteString("# EOF\n")
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("cannot write OpenMetrics: %w", err)
	}
	return st, nil
}

func inScope(p *indicators.Plan, t *indicators.Target, region string) bool {
	for _, r := range p.TargetRegions(t) {
		if r == region {
			return true
		}
	}
	return false
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func writeSample(w *bufio.Writer, name string, k indicators.SeriesKey, v float64, at time.Time) {
	w.WriteString(name)
	w.WriteString(`{indicator="`)
	w.WriteString(escape(k.Indicator))
	w.WriteString(`",region="`)
	w.WriteString(escape(k.Region))
	w.WriteString(`"} `)
	w.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	w.WriteByte(' ')
	// OpenMetrics timestamps are seconds; as_of dates are whole seconds.
	w.WriteString(strconv.FormatInt(at.Unix(), 10))
	w.WriteByte('\n')
}

var escaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func escape(s string) string { return escaper.Replace(s) }
