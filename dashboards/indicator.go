package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// indicatorDetail is 指标详情: one indicator in one region, its whole
// trajectory against the plan.
func indicatorDetail(o Options) (Dashboard, error) {
	b := newDashboard(IndicatorUID, "指标详情", "一项指标的当前值、目标、计划路径、预测和各地区情况。变量“指标”和“地区”可在告警和其他看板中通过链接直接带入。", "now-6y")
	b.d.WithVariable(provinceVar(o)).
		WithVariable(queryVar("indicator", "指标",
			`query_result(max by (indicator, label) (label_join(indicator_info, "label", " ", "task", "name")))`,
			`/indicator="(?<value>[^"]+)",label="(?<text>[^"]+)"/`).
			Sort(dashboard.VariableSortNaturalAsc).
			Description("按任务编号排列：任务编号 指标名称。")).
		WithVariable(queryVar("region", "地区",
			`query_result(max by (region, region_name) (indicator_status{indicator="$indicator"} * on (region) group_left (region_name) `+regionNames+`))`,
			`/region="(?<value>[^"]+)",region_name="(?<text>[^"]+)"/`).
			Description("全省统一考核的指标只有全省；各市分别考核的指标有各市和全省汇总（汇总只有进度和状态）。")).
		WithVariable(queryVar("unit", "单位", `label_values(indicator_info{indicator="$indicator"}, unit)`, "").
			Hide(dashboard.VariableHideHideVariable))
	sel := `indicator="$indicator", region="$region"`
	one := `indicator="$indicator"`

	// Row 1: where it stands.
	statPanel := func(x, w uint32, title, desc, expr, unit string, th *dashboard.ThresholdsConfigBuilder) *stat.PanelBuilder {
		return stat.NewPanelBuilder().Id(b.next).Title(title).Description(desc).Datasource(ds).
			GridPos(dashboard.GridPos{X: x, Y: 0, W: w, H: 4}).
			WithTarget(instant("A", expr, title)).
			Unit(unit).Thresholds(th).ReduceOptions(last()).
			ColorMode(common.BigValueColorModeValue).GraphMode(common.BigValueGraphModeNone).
			TextMode(common.BigValueTextModeValue).Orientation(common.VizOrientationAuto)
	}
	add := func(need Need, p panelBuilder) { b.panel(b.id(), need, p) }
	add(Always, statPanel(0, 4, "当前值（${unit}）", "最近一次报送的数值（年度目标为当年累计）。",
		"max(indicator_current_value{"+sel+"})", unitValue, neutral()).NoValue("暂无数据"))
	add(Always, statPanel(4, 4, "目标值（${unit}）", "现行目标（含牵头协调部门报送的目标修订）。",
		"max(indicator_target_value{"+sel+"})", unitValue, neutral()))
	add(Always, statPanel(8, 4, "完成进度", "（当前值 − 基线）/（目标 − 基线）；100% 为达到目标。",
		"max(indicator_progress_ratio{"+sel+"})", unitRatio, progressThresholds()).NoValue("暂无数据"))
	add(Always, statPanel(12, 4, "按计划应达进度", "计划进度：从起始到截止日期（经各检查点）此时应达到的进度。",
		"max(indicator_expected_progress_ratio{"+sel+"})", unitRatio, neutral()).NoValue("无计划进度"))
	add(Always, statPanel(16, 4, "状态", "已完成、已逾期、无数据、未按时报送、滞后、持续推进或正常推进。",
		statusCode(sel, "indicator"), unitNone, neutral()).
		Mappings(statusMappings()).ColorMode(common.BigValueColorModeBackground))
	add(Always, statPanel(20, 4, "数据截至", "最近一次报送数据的截至日期（as_of）。",
		"max(indicator_last_report_timestamp_seconds{"+sel+"}) * 1000", unitDate, neutral()).NoValue("尚未报送"))

	// Row 2: deadline, forecast, cities.
	row2 := func(p *stat.PanelBuilder, x, w uint32) *stat.PanelBuilder {
		return p.GridPos(dashboard.GridPos{X: x, Y: 4, W: w, H: 4})
	}
	add(Deadline, row2(statPanel(0, 5, "截止日期", "完成时限（含当日）。",
		"max(indicator_deadline_timestamp_seconds{"+one+"}) * 1000 - 1000", unitDate, neutral()).NoValue("持续推进（无截止日期）"), 0, 5))
	add(Forecast, row2(statPanel(0, 5, "截止日预测值（${unit}）", "按报送数据的最小二乘趋势外推到截止日期（年度目标为年底）的数值。",
		"max(indicator_projected_value{"+sel+"})", unitValue, neutral()).NoValue("无预测（已过截止日期或报送不足两次）"), 5, 5))
	add(Forecast, row2(statPanel(0, 5, "截止日预测完成进度", "按趋势到截止日期能达到的完成进度；低于 100% 表示预计不能按期完成。",
		"max(indicator_projected_progress_ratio{"+sel+"})", unitRatio, thresholds("red", 0.9, "orange", 1.0, "green")).
		NoValue("无预测"), 10, 5))
	add(Forecast, row2(statPanel(0, 5, "预计达标日期", "按趋势达到目标的日期。",
		"max(indicator_projected_achievement_timestamp_seconds{"+sel+"}) * 1000", unitDate, neutral()).NoValue("按趋势不会达到"), 15, 5))
	id := b.id()
	b.panel(id, EachCity, stat.NewPanelBuilder().Id(id).Title("达标城市").Datasource(ds).
		Description("各市分别考核的指标：已达到目标的城市数和应考核的城市数。").
		GridPos(dashboard.GridPos{X: 20, Y: 4, W: 4, H: 4}).
		WithTarget(instant("A", "max(indicator_regions_meeting_target{"+one+"})", "达标")).
		WithTarget(instant("B", "max(indicator_regions_in_scope{"+one+"})", "应考核")).
		Unit(unitFiles).Thresholds(neutral()).ReduceOptions(last()).
		ColorMode(common.BigValueColorModeValue).GraphMode(common.BigValueGraphModeNone).
		TextMode(common.BigValueTextModeValueAndName).
		NoValue("全省统一考核"))

	// The trajectory: live gauges where Prometheus scraped them, the
	// backfilled reports before that (see backfill), and the target as it
	// stands at the end of the range.
	dash := func(c string) []dashboard.DynamicConfigValue {
		return []dashboard.DynamicConfigValue{fixedColor(c), prop("custom.lineStyle", map[string]any{"fill": "dash", "dash": []int{10, 10}})}
	}
	id = b.id()
	b.panel(id, Always, timeseries.NewPanelBuilder().Id(id).
		Title("实际值、计划路径与目标（${unit}）").
		Description("实际值：每次报送的数值（exporter 运行前的历史来自 backfill 导入，以直线连接各次报送）；计划路径：按计划（基线 → 各检查点 → 目标）此时应达到的值；目标值：现行目标。").
		Datasource(ds).
		GridPos(dashboard.GridPos{X: 0, Y: 8, W: 24, H: 11}).
		WithTarget(series("A", liveOrHistory("indicator_current_value", "indicator_reported_value", sel), "实际值")).
		WithTarget(series("B", liveOrHistory("indicator_planned_value", "indicator_reported_planned_value", sel), "计划路径")).
		WithTarget(series("C", "max by (indicator, region) (indicator_target_value{"+sel+"} @ end())", "目标值")).
		Overrides([]cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
			byRef("A", fixedColor("blue"), prop("custom.showPoints", "always"), prop("custom.lineWidth", 2)),
			byRef("B", dash("#8e8e8e")...),
			byRef("C", dash("green")...),
		}).
		Unit(unitValue).
		Thresholds(neutral()).
		SpanNulls(common.BoolOrFloat64{Bool: cog.ToPtr(true)}).
		LineInterpolation(common.LineInterpolationLinear).
		ShowPoints(common.VisibilityModeAuto).
		Legend(common.NewVizLegendOptionsBuilder().DisplayMode(common.LegendDisplayModeList).Placement(common.LegendPlacementBottom).ShowLegend(true)).
		Tooltip(common.NewVizTooltipOptionsBuilder().Mode(common.TooltipDisplayModeMulti).Sort(common.SortOrderNone)))

	id = b.id()
	b.panel(id, Always, timeseries.NewPanelBuilder().Id(id).
		Title("完成进度与计划进度").
		Description("完成进度与按计划应达进度随时间的变化（exporter 运行以来）。").
		Datasource(ds).
		GridPos(dashboard.GridPos{X: 0, Y: 19, W: 12, H: 9}).
		WithTarget(series("A", "max by (indicator, region) (indicator_progress_ratio{"+sel+"})", "完成进度")).
		WithTarget(series("B", "max by (indicator, region) (indicator_expected_progress_ratio{"+sel+"})", "按计划应达")).
		Overrides([]cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
			byRef("A", fixedColor("blue")),
			byRef("B", dash("#8e8e8e")...),
		}).
		Unit(unitRatio).
		Thresholds(neutral()).
		Legend(common.NewVizLegendOptionsBuilder().DisplayMode(common.LegendDisplayModeList).Placement(common.LegendPlacementBottom).ShowLegend(true)))

	id = b.id()
	b.panel(id, Always, bargauge.NewPanelBuilder().Id(id).
		Title("各地区完成进度").
		Description("各市分别考核的指标：各市的完成进度和全省平均；全省统一考核的指标只有全省。点击切换地区。").
		Datasource(ds).
		GridPos(dashboard.GridPos{X: 12, Y: 19, W: 12, H: 9}).
		WithTarget(instant("A", "max by (indicator, region, region_name) (indicator_progress_ratio{"+one+"} * on (region) group_left (region_name) "+regionNames+")", "{{region_name}}")).
		Unit(unitRatio).Min(0).Max(1).
		Thresholds(progressThresholds()).
		ReduceOptions(last()).
		Orientation(common.VizOrientationHorizontal).
		DisplayMode(common.BarGaugeDisplayModeGradient).
		ShowUnfilled(true).
		DataLinks([]cog.Builder[dashboard.DashboardLink]{
			fieldLink("切换到该地区", "/d/"+IndicatorUID+"/?var-indicator=${__field.labels.indicator}&var-region=${__field.labels.region}&${datasource:queryparam}"),
		}))

	// Every region of the indicator.
	rows := fmt.Sprintf("max by (region, region_name) (indicator_status{%s} * on (region) group_left (region_name) %s)", one, regionNames)
	col := func(ref, expr string) cog.Builder[variants.Dataquery] {
		return tableQuery(ref, withLabels(expr, "region", rows, "region_name"))
	}
	id = b.id()
	b.panel(id, Always, table.NewPanelBuilder().Id(id).
		Title("各地区情况（${unit}）").
		Description("指标在各地区的状态、数值和进度，状态最差的在前；点击地区切换。").
		Datasource(ds).
		GridPos(dashboard.GridPos{X: 0, Y: 28, W: 24, H: 12}).
		Targets([]cog.Builder[variants.Dataquery]{
			col("A", statusCode(one, "region")),
			col("B", "indicator_current_value{"+one+"}"),
			col("C", "indicator_target_value{"+one+"}"),
			col("D", "indicator_progress_ratio{"+one+"}"),
			col("E", "indicator_expected_progress_ratio{"+one+"}"),
			col("F", "indicator_expected_progress_ratio{"+one+"} - indicator_progress_ratio{"+one+"}"),
			col("G", "indicator_last_report_timestamp_seconds{"+one+"} * 1000"),
		}).
		WithTransformation(merge()).
		WithTransformation(sortBy("Value #A", true)).
		WithTransformation(organize([][2]string{
			{"region_name", "地区"}, {"Value #A", "状态"}, {"Value #B", "当前值"}, {"Value #C", "目标值"}, {"Value #D", "完成进度"},
			{"Value #E", "按计划应达"}, {"Value #F", "落后计划"}, {"Value #G", "数据截至"}, {"region", ""},
		})).
		Unit(unitValue).
		Thresholds(neutral()).
		Overrides(append(progressColumns("完成进度", "按计划应达", "落后计划"),
			override("状态", prop("mappings", statusMappings()), cell("color-background")),
			override("数据截至", prop("unit", unitDate)),
			override("地区", link("切换到该地区", "/d/"+IndicatorUID+"/?var-indicator=${indicator}&var-region=${__data.fields.region}&${datasource:queryparam}")),
			override("region", prop("custom.hidden", true)),
		)))
	return b.build("indicator.json")
}

// byRef overrides the fields of one query.
func byRef(ref string, props ...dashboard.DynamicConfigValue) *dashboard.DashboardFieldConfigSourceOverridesBuilder {
	return dashboard.NewDashboardFieldConfigSourceOverridesBuilder().
		Matcher(dashboard.MatcherConfig{Id: "byFrameRefID", Options: ref}).Properties(props)
}
