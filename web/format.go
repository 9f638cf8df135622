package web

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

const (
	dateLayout = "2006-01-02"
	timeLayout = "2006-01-02 15:04"
	none       = "—"
)

// number renders a value the way a Chinese report writes it: 万 and 亿
// for large counts ("150万"), at most two decimals, no trailing zeros.
// The unit decides whether 万 may be used: "万元" must not become "万万元".
func number(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return none
	}
	scaled := !strings.HasPrefix(unit, "万") && !strings.HasPrefix(unit, "亿") && unit != "%" && unit != "百分点"
	switch a := math.Abs(v); {
	case scaled && a >= 1e8:
		return decimal(v/1e8, 2) + "亿"
	case scaled && a >= 1e4:
		return decimal(v/1e4, 2) + "万"
	case a != 0 && a < 1:
		return decimal(v, 3)
	}
	return decimal(v, 2)
}

// decimal formats v with at most prec decimals and no trailing zeros.
func decimal(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// plain renders a value for CSV and machine use: no 万, no float noise.
func plain(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return decimal(v, 6)
}

// withUnit joins a number and its unit as Chinese text does: "66.3%",
// "150万户", "2.45倍".
func withUnit(v float64, unit string) string {
	n := number(v, unit)
	if n == none {
		return n
	}
	if unit == "百分点" {
		return n + "个百分点" // 1个百分点, as Chinese writes it
	}
	return n + unit
}

// percent renders a progress ratio as a percentage.
func percent(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return none
	}
	return decimal(r*100, 1) + "%"
}

// day renders a date in loc; the zero time is "—".
func day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return none
	}
	return t.In(loc).Format(dateLayout)
}

// deadline renders a target's deadline: the last day it includes, or
// 持续推进 for targets without one.
func deadline(t *indicators.Target, loc *time.Location) string {
	if t.Ongoing() {
		if due := indicators.DueDate(t); !due.IsZero() {
			// 到 2023 年达到 60% under 持续推进: due then, and kept up after.
			return due.Add(-time.Nanosecond).In(loc).Format(dateLayout) + "（持续推进）"
		}
		return "持续推进"
	}
	// Deadline is the end of the day (00:00 of the next day).
	return t.Deadline.Add(-time.Nanosecond).In(loc).Format(dateLayout)
}

// targetText says what a target asks for: "≥ 66%", "每年 ≥ 18万个",
// "各市 ≥ 1处", "完成".
func targetText(t *indicators.Target) string {
	if t.Kind == indicators.Milestone {
		s := "完成"
		if t.Period == indicators.Annual {
			s = "每年完成" // a yearly report, not a one-off
		}
		if t.Scope == indicators.EachCity {
			s = "各市" + s
		}
		return s
	}
	var b strings.Builder
	if t.Scope == indicators.EachCity {
		b.WriteString("各市 ")
	}
	switch t.Period {
	case indicators.Annual:
		b.WriteString("每年 ")
	case indicators.Sustained:
		b.WriteString("稳定在")
	}
	if t.Tolerance > 0 {
		b.WriteString(withUnit(t.Value, t.Unit))
		b.WriteString("左右（±")
		unit := t.Unit
		if unit == "%" {
			unit = "百分点" // ±0.5 on 66% is 65.5–66.5, not 66 ± 0.5%
		}
		b.WriteString(withUnit(t.Tolerance, unit))
		b.WriteString("）")
		return b.String()
	}
	if t.Period == indicators.Sustained {
		// 稳定在 85% 以上, as plans write it.
		b.WriteString(withUnit(t.Value, t.Unit))
		if t.Direction == indicators.AtMost {
			b.WriteString("以下")
		} else {
			b.WriteString("以上")
		}
		return b.String()
	}
	if t.Direction == indicators.AtMost {
		b.WriteString("≤ ")
	} else {
		b.WriteString("≥ ")
	}
	b.WriteString(withUnit(t.Value, t.Unit))
	return b.String()
}

// currentText renders an evaluation's current value: the reported value,
// 已完成 / 未完成 for milestones, "8/16 市达标" for each_city roll-ups.
func currentText(e *indicators.Evaluation) string {
	switch {
	case e.RegionsTotal > 0:
		return strconv.Itoa(e.RegionsMet) + "/" + strconv.Itoa(e.RegionsTotal) + " 市达标"
	case math.IsNaN(e.Current):
		return none
	case e.Target.Kind == indicators.Milestone:
		if e.Current >= 1 {
			return "已完成"
		}
		return "未完成"
	}
	return withUnit(e.Current, e.Target.Unit)
}

// resultWord is a file outcome in Chinese.
func resultWord(result string) string {
	switch result {
	case "accepted":
		return "已接收"
	case "rejected":
		return "已拒收"
	case "duplicate":
		return "重复文件"
	}
	return result
}

// splitReport separates a stored report into its summary (the lines
// before the first blank line, without the file and department lines the
// page already shows) and the lines after it: one problem or warning each.
func splitReport(report string) (head, body []string) {
	report = strings.ReplaceAll(strings.TrimPrefix(report, "\ufeff"), "\r\n", "\n")
	top, rest, found := strings.Cut(report, "\n\n")
	if !found {
		return nil, reportLines(report)
	}
	for _, l := range reportLines(top) {
		if !strings.HasPrefix(l, "文件 / file:") && !strings.HasPrefix(l, "部门 / department:") {
			head = append(head, l)
		}
	}
	return head, reportLines(rest)
}

// reportLines splits a stored report (BOM, CRLF) into its non-empty lines.
func reportLines(report string) []string {
	report = strings.TrimPrefix(report, "\ufeff")
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(report, "\r\n", "\n"), "\n") {
		if l = strings.TrimRight(l, " \r"); l != "" {
			out = append(out, l)
		}
	}
	return out
}
