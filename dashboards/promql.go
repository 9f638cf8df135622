package dashboards

import (
	"fmt"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/shandong/indicator_exporter/indicators"
)

// status is how a dashboard shows one indicators.Status: a number (so a
// stat or table cell can carry it), its Chinese word and a colour. Codes
// grow with severity, so sorting by code puts the worst first.
type status struct {
	id    indicators.Status
	code  int
	color string
}

// The colours are the built-in pages' (web/static, TestStatusColoursMatchThePages):
// a leader who reads both must not see blue mean two statuses.
var statuses = []status{
	{indicators.Achieved, 1, "#1a7f37"},
	{indicators.OnTrack, 2, "#0969da"},
	{indicators.Ongoing, 3, "#0e7c86"},
	{indicators.NoData, 4, "#8c959f"},
	{indicators.Stale, 5, "#8c959f"},
	{indicators.Lagging, 6, "#d97706"},
	{indicators.Overdue, 7, "#cf222e"},
}

// statusCode is the code of the current status of each (indicator,
// region) matching sel: indicator_status is 1 for the current status and 0
// for the others, so the maximum of value × code is the current code.
func statusCode(sel string, by ...string) string {
	parts := make([]string, len(statuses))
	for i, s := range statuses {
		parts[i] = fmt.Sprintf("indicator_status{%s} * %d", join(sel, `status="`+string(s.id)+`"`), s.code)
	}
	if len(by) == 0 {
		by = []string{"indicator", "region"}
	}
	return fmt.Sprintf("max by (%s) (\n  %s\n)", strings.Join(by, ", "), strings.Join(parts, "\nor "))
}

// statusMappings turn status codes into coloured Chinese words.
func statusMappings() []dashboard.ValueMapping {
	opts := map[string]dashboard.ValueMappingResult{}
	for i, s := range statuses {
		opts[fmt.Sprint(s.code)] = dashboard.ValueMappingResult{Text: cog.ToPtr(s.id.Chinese()), Color: cog.ToPtr(s.color), Index: cog.ToPtr(int32(i))}
	}
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{Type: dashboard.MappingTypeValueToText, Options: opts}}}
}

// textMappings map label values (ids) to Chinese words.
func textMappings(pairs ...string) []dashboard.ValueMapping {
	opts := map[string]dashboard.ValueMappingResult{}
	for i := 0; i+1 < len(pairs); i += 2 {
		opts[pairs[i]] = dashboard.ValueMappingResult{Text: cog.ToPtr(pairs[i+1]), Index: cog.ToPtr(int32(i / 2))}
	}
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{Type: dashboard.MappingTypeValueToText, Options: opts}}}
}

// statusCounts are one query per status counting the indicators matching
// sel in it (0 when none, so every status shows), legend in Chinese.
// extra narrows the indicators, e.g. `and on (indicator) ...`.
func statusCounts(sel, extra string) []cog.Builder[variants.Dataquery] {
	var out []cog.Builder[variants.Dataquery]
	for i, s := range statuses {
		e := fmt.Sprintf("count((indicator_status{%s} == 1)%s) or vector(0)", join(sel, `status="`+string(s.id)+`"`), extra)
		out = append(out, instant(string(rune('A'+i)), e, s.id.Chinese()))
	}
	return out
}

// statusColors give each status query of statusCounts its colour.
func statusColors() []cog.Builder[dashboard.DashboardFieldConfigSourceOverrides] {
	var out []cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]
	for i, s := range statuses {
		out = append(out, dashboard.NewDashboardFieldConfigSourceOverridesBuilder().
			Matcher(dashboard.MatcherConfig{Id: "byFrameRefID", Options: string(rune('A' + i))}).
			Properties([]dashboard.DynamicConfigValue{fixedColor(s.color)}))
	}
	return out
}

// join joins label matchers, skipping empty ones.
func join(matchers ...string) string {
	var ms []string
	for _, m := range matchers {
		if m != "" {
			ms = append(ms, m)
		}
	}
	return strings.Join(ms, ", ")
}

// Label joins. The right-hand sides are aggregated to one series per key,
// so a join never fails on duplicate series.

// infoLabels joins indicator metadata onto expr (which must have the
// label indicator): `* on (indicator) group_left (labels) indicator_info`.
func infoLabels(expr, sel string, labels ...string) string {
	return fmt.Sprintf("%s\n* on (indicator) group_left (%s)\nmax by (indicator, %s) (indicator_info{%s})",
		expr, strings.Join(labels, ", "), strings.Join(labels, ", "), sel)
}

// leadInfo is indicator_info{sel} with the Chinese names of every lead
// department (省发展改革委、省能源局) in the label lead and the first
// lead's id in department; one series per indicator with the labels
// listed.
func leadInfo(sel string, labels ...string) string {
	return fmt.Sprintf(`max by (indicator, %s) (
  label_replace(
    label_replace(indicator_info{%s}, "department", "$1", "lead_department", "(.*)"),
    "lead", "$1", "leads", "(.*)"
  )
)`, strings.Join(labels, ", "), sel)
}

// regionNames is the region's Chinese name in the label region_name.
const regionNames = `max by (region, region_name) (label_replace(indicator_region_info, "region_name", "$1", "name", "(.*)"))`

// withLabels gives expr (aggregated to by) the labels of rows, a query
// with one series per by-key: every query of a table gets the same label
// set, so merge puts them in one row.
func withLabels(expr, by, rows string, labels ...string) string {
	return fmt.Sprintf("max by (%s) (%s)\n* on (%s) group_left (%s)\n%s", by, expr, by, strings.Join(labels, ", "), rows)
}

// live or history: the live gauge where Prometheus scraped it, else the
// backfilled history (see backfill). Both sides are aggregated to the same
// labels, so for each series and time there is one value, never two.
func liveOrHistory(live, history, sel string) string {
	return fmt.Sprintf("max by (indicator, region) (%s{%s})\nor\nmax by (indicator, region) (last_over_time(%s{%s}[$__interval]))",
		live, sel, history, sel)
}
