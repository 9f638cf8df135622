// Package dashboards generates the Grafana dashboards of indicator_exporter
// as code, with the Grafana Foundation SDK. The JSON it writes is committed
// in deploy/grafana/dashboards/, where the docker-compose stack provisions
// it from; `go test ./dashboards` fails when the committed files differ
// from what the generator writes, and `go test ./dashboards -update` (or
// `go generate ./dashboards`) rewrites them.
//
// Every dashboard queries a Prometheus datasource chosen by the variable
// `datasource` (default: the provisioned uid "prometheus"), so the JSON
// also imports into any Grafana. Titles and panel names are Chinese; the
// label values in queries are the plan's ASCII ids, and Chinese names come
// from the info metrics at query time.
package dashboards

//go:generate go test -run ^TestCommittedDashboardsAreUpToDate$ -update .

import (
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
)

// Dashboard uids. Alerts and links refer to them; keep them stable.
const (
	OverviewUID   = "indicator-overview"
	IndicatorUID  = "indicator-detail"
	DepartmentUID = "indicator-department"
	HealthUID     = "indicator-exporter-health"
)

// DatasourceUID is the uid of the provisioned Prometheus datasource
// (deploy/grafana/provisioning/datasources/) and the default of every
// dashboard's `datasource` variable.
const DatasourceUID = "prometheus"

// Tag marks the dashboards of this project; the link bar of each
// dashboard lists every dashboard with it.
const Tag = "indicator_exporter"

// Options are the plan facts the dashboards need.
type Options struct {
	// Province is the region id of the province-level rows: one per
	// indicator, the roll-up for each_city indicators.
	Province string
}

// Need says for which indicators a panel of 指标详情 has data; Grafana
// cannot hide a panel, so the others show the panel's "no value" text.
type Need string

const (
	Always   Need = ""
	Forecast Need = "forecast"  // a forecast exists: quantitative, deadline (or annual year end) ahead, two or more reports
	EachCity Need = "each_city" // the target applies to each city separately
	Deadline Need = "deadline"  // the target has a deadline (not 持续推进)
)

// Dashboard is one generated dashboard.
type Dashboard struct {
	File  string // file name in deploy/grafana/dashboards/
	Model dashboard.Dashboard
	// Needs lists the panels (by id) that have data only for some
	// variable values; the query test checks them on matching values.
	Needs map[uint32]Need
}

// JSON is the dashboard as committed: indented, with a final newline.
func (d Dashboard) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(d.Model, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cannot encode dashboard %s: %w", d.File, err)
	}
	return append(b, '\n'), nil
}

// All builds every dashboard.
func All(o Options) ([]Dashboard, error) {
	if o.Province == "" {
		return nil, fmt.Errorf("no province region id")
	}
	var out []Dashboard
	for _, build := range []func(Options) (Dashboard, error){overview, indicatorDetail, department, health} {
		d, err := build(o)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// ds refers to the dashboard's datasource variable.
var ds = common.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("${datasource}")}

// builder collects panels with ids assigned in order, and the needs of
// each panel.
type builder struct {
	d     *dashboard.DashboardBuilder
	next  uint32
	needs map[uint32]Need
}

// panelBuilder is what every SDK panel builder has in common.
type panelBuilder interface {
	cog.Builder[dashboard.Panel]
}

func newDashboard(uid, title, description, from string) *builder {
	d := dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(description).
		Tags([]string{Tag}).
		Timezone("Asia/Shanghai").
		Time(from, "now").
		Refresh("5m").
		Editable().
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Link(dashboard.NewDashboardLinkBuilder("指标看板").
			Type(dashboard.DashboardLinkTypeDashboards).
			Tags([]string{Tag}).
			AsDropdown(false).
			IncludeVars(false).
			KeepTime(false).
			TargetBlank(false).
			Icon("external link").
			Tooltip("").
			Url("")).
		WithVariable(dashboard.NewDatasourceVariableBuilder("datasource").
			Label("数据源").
			Type("prometheus").
			Current(dashboard.VariableOption{
				Text:  dashboard.StringOrArrayOfString{String: cog.ToPtr("Prometheus")},
				Value: dashboard.StringOrArrayOfString{String: cog.ToPtr(DatasourceUID)},
			}))
	return &builder{d: d, next: 1, needs: map[uint32]Need{}}
}

// id hands out the next panel id.
func (b *builder) id() uint32 {
	b.next++
	return b.next - 1
}

// panel adds a panel built with the id from b.id(); need says when it has
// data.
func (b *builder) panel(id uint32, need Need, p panelBuilder) {
	if need != Always {
		b.needs[id] = need
	}
	b.d.WithPanel(p)
}

func (b *builder) build(file string) (Dashboard, error) {
	m, err := b.d.Build()
	if err != nil {
		return Dashboard{}, fmt.Errorf("cannot build %s: %w", file, err)
	}
	// The SDK puts links in the controls menu; above the panels they are
	// seen. Data links have no placement at all.
	for i := range m.Links {
		m.Links[i].Placement = nil
	}
	for _, p := range m.Panels {
		if p.Panel != nil && p.Panel.FieldConfig != nil {
			for i := range p.Panel.FieldConfig.Defaults.Links {
				p.Panel.FieldConfig.Defaults.Links[i].Placement = nil
			}
		}
	}
	return Dashboard{File: file, Model: m, Needs: b.needs}, nil
}

// provinceVar is a constant variable holding the province region id, so
// the JSON names it once.
func provinceVar(o Options) *dashboard.ConstantVariableBuilder {
	return dashboard.NewConstantVariableBuilder("province").
		Label("全省地区代码").
		Description("Region id of the province-level rows (config/plan.toml).").
		Value(dashboard.StringOrMap{String: cog.ToPtr(o.Province)})
}

// queryVar is a Prometheus query variable refreshed on load; regex may
// name capture groups text and value to show Chinese names for ids.
func queryVar(name, label, query, regex string) *dashboard.QueryVariableBuilder {
	v := dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Datasource(ds).
		Query(dashboard.StringOrMap{String: cog.ToPtr(query)}).
		Definition(query).
		Refresh(dashboard.VariableRefreshOnDashboardLoad).
		Sort(dashboard.VariableSortAlphabeticalAsc)
	if regex != "" {
		v.Regex(regex)
	}
	return v
}

// Queries.

func query(ref, expr, legend string) *prometheus.DataqueryBuilder {
	q := prometheus.NewDataqueryBuilder().Datasource(ds).Expr(expr).RefId(ref)
	if legend != "" {
		q.LegendFormat(legend)
	}
	return q
}

// instant is a query for the latest value (stats, bars).
func instant(ref, expr, legend string) *prometheus.DataqueryBuilder {
	return query(ref, expr, legend).Instant()
}

// series is a range query (time series panels).
func series(ref, expr, legend string) *prometheus.DataqueryBuilder {
	return query(ref, expr, legend).Range()
}

// tableQuery is an instant query returned as a table: one row per series,
// a column per label and the value in "Value #<ref>".
func tableQuery(ref, expr string) *prometheus.DataqueryBuilder {
	return query(ref, expr, "").Instant().Format(prometheus.PromQueryFormatTable)
}

// Field configuration.

func last() *common.ReduceDataOptionsBuilder {
	return common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false)
}

// Units. Values in an indicator's own unit use "locale", the whole number
// with thousands separators (1,100,000): "short" would write 1.10 Mil and
// 260 Mil, English suffixes no Chinese reader uses, and Grafana has no
// 万/亿 unit. The unit itself, from indicator_info, is in the panel title
// or a column. Counts carry a Chinese counter word.
const (
	unitRatio    = "percentunit"
	unitValue    = "locale"
	unitItems    = "suffix:项" // indicators
	unitFiles    = "suffix:个" // files, cities, series
	unitRows     = "suffix:行" // data rows
	unitDate     = "time:YYYY-MM-DD"
	unitDateTime = "dateTimeAsIso"
	unitSince    = "dateTimeFromNow"
	unitSeconds  = "s"
	unitBytes    = "bytes"
	unitNone     = "none" // text stats (version)
)

func thresholds(base string, steps ...any) *dashboard.ThresholdsConfigBuilder {
	ts := []dashboard.Threshold{{Color: base}}
	for i := 0; i+1 < len(steps); i += 2 {
		ts = append(ts, dashboard.Threshold{Value: cog.ToPtr(steps[i].(float64)), Color: steps[i+1].(string)})
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(ts)
}

// progressThresholds colour a 0–1 progress: red below 60%, orange below
// 80%, green from 80%.
func progressThresholds() *dashboard.ThresholdsConfigBuilder {
	return thresholds("red", 0.6, "orange", 0.8, "green")
}

// lagThresholds colour how far progress trails the plan: green up to the
// default lag margin (10 points), orange up to three margins, red beyond
// (as the alert rules' warning and critical).
func lagThresholds() *dashboard.ThresholdsConfigBuilder {
	return thresholds("green", 0.1, "orange", 0.3, "red")
}

func neutral() *dashboard.ThresholdsConfigBuilder { return thresholds("blue") }

// fixedColor is an override property giving a series one colour.
func fixedColor(c string) dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: "color", Value: map[string]any{"mode": "fixed", "fixedColor": c}}
}

func prop(id string, v any) dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: id, Value: v}
}

func byName(name string) dashboard.MatcherConfig {
	return dashboard.MatcherConfig{Id: "byName", Options: name}
}

func override(name string, props ...dashboard.DynamicConfigValue) *dashboard.DashboardFieldConfigSourceOverridesBuilder {
	return dashboard.NewDashboardFieldConfigSourceOverridesBuilder().Matcher(byName(name)).Properties(props)
}

// cell sets how a table column is drawn.
func cell(mode string) dashboard.DynamicConfigValue {
	return prop("custom.cellOptions", map[string]any{"type": mode})
}

// link is a data link; url may use ${__data.fields.<column>}.
func link(title, url string) dashboard.DynamicConfigValue {
	return prop("links", []map[string]any{{"title": title, "url": url}})
}

// detailURL opens 指标详情 on the indicator (and region) of the clicked row.
func detailURL(withRegion bool) string {
	u := "/d/" + IndicatorUID + "/?var-indicator=${__data.fields.indicator}"
	if withRegion {
		u += "&var-region=${__data.fields.region}"
	}
	return u + "&${datasource:queryparam}"
}

func departmentURL(field string) string {
	return "/d/" + DepartmentUID + "/?var-department=${__data.fields." + field + "}&${datasource:queryparam}"
}

// Transformations.

// merge joins the table queries of a panel into one table: rows with the
// same label values become one row with a column per query.
func merge() dashboard.DataTransformerConfig {
	return dashboard.DataTransformerConfig{Id: "merge", Options: map[string]any{}}
}

func sortBy(field string, desc bool) dashboard.DataTransformerConfig {
	return dashboard.DataTransformerConfig{Id: "sortBy", Options: map[string]any{
		"fields": map[string]any{}, "sort": []map[string]any{{"field": field, "desc": desc}}}}
}

// organize orders, renames and hides columns. columns lists the columns to
// show, in order, as pairs of field name and Chinese title; hide lists
// fields to drop.
func organize(columns [][2]string, hide ...string) dashboard.DataTransformerConfig {
	index := map[string]int{}
	rename := map[string]string{}
	for i, c := range columns {
		index[c[0]] = i
		if c[1] != "" {
			rename[c[0]] = c[1]
		}
	}
	exclude := map[string]bool{"Time": true}
	for _, h := range hide {
		exclude[h] = true
	}
	return dashboard.DataTransformerConfig{Id: "organize", Options: map[string]any{
		"excludeByName": exclude, "indexByName": index, "renameByName": rename}}
}
