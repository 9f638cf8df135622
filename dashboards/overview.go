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
)

// overview is 总览: where the plan stands, for leaders.
func overview(o Options) (Dashboard, error) {
	b := newDashboard(OverviewUID, "总览 · 新型城镇化重点任务", "全省各项指标的完成情况：状态统计、各部分达标率与进度、最落后的指标、告警和全部定量指标。", "now-7d")
	b.d.WithVariable(provinceVar(o))
	p := `region="$province"`

	// Counts by status, one per indicator (the province row; for each_city
	// indicators, the roll-up of the cities).
	id := b.id()
	b.panel(id, Always, stat.NewPanelBuilder().Id(id).
		Title("指标状态（项）").
		Description("每项指标按全省状态计一次；各市分别考核的指标按全省汇总状态计。状态的先后顺序：已完成、已逾期、无数据、未按时报送、滞后、持续推进、正常推进。").
		GridPos(dashboard.GridPos{X: 0, Y: 0, W: 20, H: 5}).
		Targets(statusCounts(p, "")).
		Overrides(statusColors()).
		Unit(unitItems).
		Thresholds(neutral()).
		ReduceOptions(last()).
		ColorMode(common.BigValueColorModeBackground).
		TextMode(common.BigValueTextModeValueAndName).
		GraphMode(common.BigValueGraphModeNone).Orientation(common.VizOrientationAuto))
	id = b.id()
	b.panel(id, Always, stat.NewPanelBuilder().Id(id).
		Title("指标总数").
		Description("计划中的指标数（indicator_info）。").
		GridPos(dashboard.GridPos{X: 20, Y: 0, W: 4, H: 5}).
		WithTarget(instant("A", "count(indicator_info)", "指标总数")).
		Unit(unitItems).
		Thresholds(neutral()).
		ReduceOptions(last()).
		ColorMode(common.BigValueColorModeValue).
		GraphMode(common.BigValueGraphModeNone).Orientation(common.VizOrientationAuto))

	// Share on track per section: on_track or achieved, out of every
	// indicator that has a schedule to judge (ongoing ones do not).
	perSection := func(filter string) string {
		return fmt.Sprintf("count by (section) ((indicator_status{%s} == 1) * on (indicator) group_left (section) max by (indicator, section) (indicator_info))", join(p, filter))
	}
	onTrack := fmt.Sprintf("(\n  %s\n  or\n  0 * %s\n)\n/\n%s", perSection(`status=~"achieved|on_track"`), perSection(""), perSection(`status!="ongoing"`))
	id = b.id()
	b.panel(id, Always, bargauge.NewPanelBuilder().Id(id).
		Title("各部分达标率").
		Description("各部分（计划的章节，如“一、目标任务”）中状态为“已完成”或“正常推进”的指标占比；“持续推进”的指标没有进度可比，不计入。").
		GridPos(dashboard.GridPos{X: 0, Y: 5, W: 12, H: 9}).
		WithTarget(instant("A", onTrack, "{{section}}")).
		Unit(unitRatio).Min(0).Max(1).
		Thresholds(progressThresholds()).
		ReduceOptions(last()).
		Orientation(common.VizOrientationHorizontal).
		DisplayMode(common.BarGaugeDisplayModeGradient).
		ShowUnfilled(true))

	id = b.id()
	b.panel(id, Always, bargauge.NewPanelBuilder().Id(id).
		Title("各部分平均完成进度（定量指标）").
		Description("各部分定量指标完成进度的平均值（每项封顶 100%），旁边是按计划此时应达到的平均进度。").
		GridPos(dashboard.GridPos{X: 12, Y: 5, W: 12, H: 9}).
		WithTarget(instant("A", fmt.Sprintf("avg by (section) (\n  clamp(max by (indicator) (indicator_progress_ratio{%s}), 0, 1)\n  * on (indicator) group_left (section) max by (indicator, section) (indicator_info{kind=\"quantitative\"})\n)", p), "{{section}}")).
		WithTarget(instant("B", fmt.Sprintf("avg by (section) (\n  max by (indicator) (indicator_expected_progress_ratio{%s})\n  * on (indicator) group_left (section) max by (indicator, section) (indicator_info{kind=\"quantitative\"})\n)", p), "{{section}}（按计划应达）")).
		Overrides([]cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
			dashboard.NewDashboardFieldConfigSourceOverridesBuilder().
				Matcher(dashboard.MatcherConfig{Id: "byFrameRefID", Options: "B"}).
				Properties([]dashboard.DynamicConfigValue{fixedColor("#8e8e8e")}),
		}).
		Unit(unitRatio).Min(0).Max(1).
		Thresholds(progressThresholds()).
		ReduceOptions(last()).
		Orientation(common.VizOrientationHorizontal).
		DisplayMode(common.BarGaugeDisplayModeGradient).
		ShowUnfilled(true))

	// The ten quantitative indicators furthest behind their schedule.
	lag := fmt.Sprintf("sort_desc(topk(10,\n  (\n    max by (indicator, region) (indicator_expected_progress_ratio{%s})\n    - max by (indicator, region) (indicator_progress_ratio{%s})\n    > 0\n  )\n  * on (indicator) group_left (name) max by (indicator, name) (indicator_info{kind=\"quantitative\"})\n))", p, p)
	id = b.id()
	b.panel(id, Always, bargauge.NewPanelBuilder().Id(id).
		Title("进度最落后的 10 项指标").
		Description("按计划应达进度减去实际完成进度（百分点），只列落后的定量指标；点击查看指标详情。绿：在允许偏差（10 个百分点）内；橙：超过；红：超过 3 倍。").
		GridPos(dashboard.GridPos{X: 0, Y: 14, W: 12, H: 10}).
		WithTarget(instant("A", lag, "{{name}}")).
		Unit(unitRatio).Min(0).Max(1).
		Thresholds(lagThresholds()).
		ReduceOptions(last()).
		Orientation(common.VizOrientationHorizontal).
		DisplayMode(common.BarGaugeDisplayModeBasic).
		ShowUnfilled(true).
		NoValue("没有落后的指标").
		DataLinks([]cog.Builder[dashboard.DashboardLink]{
			fieldLink("查看指标详情", "/d/"+IndicatorUID+"/?var-indicator=${__field.labels.indicator}&var-region=${__field.labels.region}&${datasource:queryparam}"),
		}))

	// Firing alerts, as Prometheus evaluates the rules of alerts/rules.yml
	// (Alertmanager routes them; silences are not reflected here).
	alerts := `ALERTS{alertstate="firing"}`
	firing := fmt.Sprintf("%s * on (region) group_left (region_name) %s\nor on (alertname, indicator, region, department, severity)\n%s", alerts, regionNames, alerts)
	id = b.id()
	b.panel(id, Always, table.NewPanelBuilder().Id(id).
		Title("正在触发的告警").
		Description("Prometheus 按 alerts/rules.yml 计算的正在触发的告警（ALERTS 序列）；通知由 Alertmanager 按部门发送，Alertmanager 中的静默不影响本表。").
		GridPos(dashboard.GridPos{X: 12, Y: 14, W: 12, H: 10}).
		WithTarget(tableQuery("A", firing)).
		WithTransformation(keepFields("alertname", "severity", "name", "region_name", "region", "leads", "department", "indicator")).
		WithTransformation(organize([][2]string{{"severity", "级别"}, {"alertname", "告警"}, {"name", "指标"}, {"region_name", "地区"}, {"leads", "部门"}, {"region", ""}, {"department", ""}, {"indicator", ""}})).
		Unit(unitNone).
		NoValue("没有正在触发的告警").
		Overrides([]cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
			override("级别", prop("mappings", textMappings("critical", "严重", "warning", "警告", "info", "提示")), cell("color-text"),
				prop("color", map[string]any{"mode": "thresholds"})),
			// The alert names of alerts/rules.yml, as their summaries word them.
			override("告警", prop("mappings", textMappings(
				"IndicatorBehindSchedule", "进度落后", "IndicatorProjectedToMiss", "预计无法按期完成",
				"IndicatorOverdue", "逾期未完成", "IndicatorReportOverdue", "数据逾期未报",
				"SustainedTargetBreached", "未保持目标水平", "InboxFileRejected", "报送文件被拒收",
				"ExporterConfigReloadFailed", "配置加载失败", "ExporterDown", "监测中断"))),
			override("指标", link("查看指标详情", detailURL(true))),
			override("部门", link("查看部门视图", departmentURL("department"))),
			override("region", prop("custom.hidden", true)),
			override("department", prop("custom.hidden", true)),
			override("indicator", prop("custom.hidden", true)),
		}).
		SortBy([]cog.Builder[common.TableSortByFieldState]{common.NewTableSortByFieldStateBuilder().DisplayName("级别")}))

	// Every quantitative indicator, worst lag first.
	rowLabels := []string{"indicator", "task", "name", "unit", "lead", "department", "deadline"}
	rows := leadInfo(`kind="quantitative"`, rowLabels[1:]...)
	col := func(ref, expr string) cog.Builder[variants.Dataquery] {
		return tableQuery(ref, withLabels(expr, "indicator", rows, rowLabels[1:]...))
	}
	id = b.id()
	b.panel(id, Always, table.NewPanelBuilder().Id(id).
		Title("定量指标一览（按落后程度排序）").
		Description("全部定量指标的全省情况，落后计划最多的在前。各市分别考核的指标只有进度（各市平均）和状态；点击指标名查看详情，点击牵头部门查看部门视图。").
		GridPos(dashboard.GridPos{X: 0, Y: 24, W: 24, H: 16}).
		Targets([]cog.Builder[variants.Dataquery]{
			col("A", "indicator_current_value{"+p+"}"),
			col("B", "indicator_target_value{"+p+"}"),
			col("C", "indicator_progress_ratio{"+p+"}"),
			col("D", "indicator_expected_progress_ratio{"+p+"}"),
			col("E", "indicator_expected_progress_ratio{"+p+"} - indicator_progress_ratio{"+p+"}"),
			col("F", statusCode(p, "indicator")),
		}).
		WithTransformation(merge()).
		WithTransformation(sortBy("Value #E", true)).
		WithTransformation(organize([][2]string{
			{"task", "任务"}, {"name", "指标"}, {"lead", "牵头部门"}, {"Value #A", "当前值"}, {"Value #B", "目标值"}, {"unit", "单位"},
			{"Value #C", "完成进度"}, {"Value #D", "按计划应达"}, {"Value #E", "落后计划"}, {"Value #F", "状态"}, {"deadline", "截止日期"},
			{"indicator", ""}, {"department", ""},
		})).
		Unit(unitValue).
		Thresholds(neutral()).
		Filterable(true).
		Overrides(append(progressColumns("完成进度", "按计划应达", "落后计划"),
			override("状态", prop("mappings", statusMappings()), cell("color-background")),
			override("截止日期", prop("mappings", textMappings("ongoing", "持续推进"))),
			override("任务", prop("custom.width", 60)),
			override("指标", link("查看指标详情", detailURL(false)), prop("custom.minWidth", 240)),
			override("牵头部门", link("查看部门视图", departmentURL("department"))),
			override("indicator", prop("custom.hidden", true)),
			override("department", prop("custom.hidden", true)),
		)))
	// What someone must act on, milestones included: the quantitative
	// table above leaves milestones out, and the alert table needs the
	// alerting stack. One row per indicator and region.
	attn := fmt.Sprintf("(%s > 0)\n* on (indicator) group_left (task, name, kind, lead, department, deadline)\n%s\n* on (region) group_left (region_name)\n%s",
		statusCode(`status=~"overdue|stale"`), leadInfo("", "task", "name", "kind", "lead", "department", "deadline"), regionNames)
	id = b.id()
	b.panel(id, Always, table.NewPanelBuilder().Id(id).
		Title("需要处理的事项（已逾期、未按时报送）").
		Description("已逾期（截止日期已过，目标未完成）和未按时报送（按报送周期应报未报）的指标和地区，里程碑任务也在内；点击指标名查看详情，点击牵头部门查看部门视图。").
		GridPos(dashboard.GridPos{X: 0, Y: 40, W: 24, H: 12}).
		WithTarget(tableQuery("A", attn)).
		WithTransformation(keepFields("task", "name", "region_name", "kind", "lead", "deadline", "Value", "indicator", "region", "department")).
		WithTransformation(sortBy("Value", true)).
		WithTransformation(organize([][2]string{
			{"task", "任务"}, {"name", "指标"}, {"region_name", "地区"}, {"kind", "类型"}, {"lead", "牵头部门"}, {"deadline", "截止日期"},
			{"Value", "状态"}, {"indicator", ""}, {"region", ""}, {"department", ""},
		})).
		Unit(unitNone).
		NoValue("没有已逾期或未按时报送的事项").
		Filterable(true).
		Overrides([]cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
			override("状态", prop("mappings", statusMappings()), cell("color-background")),
			override("类型", prop("mappings", textMappings("quantitative", "定量指标", "milestone", "里程碑任务"))),
			override("截止日期", prop("mappings", textMappings("ongoing", "持续推进"))),
			override("任务", prop("custom.width", 60)),
			override("指标", link("查看指标详情", detailURL(true)), prop("custom.minWidth", 240)),
			override("牵头部门", link("查看部门视图", departmentURL("department"))),
			override("indicator", prop("custom.hidden", true)),
			override("region", prop("custom.hidden", true)),
			override("department", prop("custom.hidden", true)),
		}))
	return b.build("overview.json")
}

// keepFields keeps only the named fields of a table query's frame.
func keepFields(names ...string) dashboard.DataTransformerConfig {
	return dashboard.DataTransformerConfig{Id: "filterFieldsByName", Options: map[string]any{"include": map[string]any{"names": names}}}
}

// progressColumns format table columns of progress ratios as gauges and
// a lag column coloured by the lag thresholds.
func progressColumns(progress, expected, lag string) []cog.Builder[dashboard.DashboardFieldConfigSourceOverrides] {
	return []cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
		override(progress, prop("unit", unitRatio), prop("min", 0), prop("max", 1), cell("gauge"),
			prop("thresholds", progressThresholdsConfig())),
		override(expected, prop("unit", unitRatio)),
		override(lag, prop("unit", unitRatio), cell("color-text"), prop("thresholds", lagThresholdsConfig())),
	}
}

func progressThresholdsConfig() dashboard.ThresholdsConfig {
	c, _ := progressThresholds().Build()
	return c
}

func lagThresholdsConfig() dashboard.ThresholdsConfig {
	c, _ := lagThresholds().Build()
	return c
}

// fieldLink is a data link on a panel's values.
func fieldLink(title, url string) *dashboard.DashboardLinkBuilder {
	return dashboard.NewDashboardLinkBuilder(title).Url(url).Type(dashboard.DashboardLinkTypeLink).
		Icon("").Tooltip("").Tags([]string{}).AsDropdown(false).TargetBlank(false).IncludeVars(false).KeepTime(false)
}
