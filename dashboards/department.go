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

// department is 部门视图: one department's indicators and its reporting.
func department(o Options) (Dashboard, error) {
	b := newDashboard(DepartmentUID, "部门视图", "一个部门牵头和参与的指标及其状态，以及该部门收件箱的报送情况。", "now-30d")
	b.d.WithVariable(provinceVar(o)).
		WithVariable(queryVar("department", "部门",
			`query_result(max by (department, name) (indicator_department_info))`,
			`/department="(?<value>[^"]+)",name="(?<text>[^"]+)"/`))
	p := `region="$province"`
	dept := `department="$department"`
	add := func(need Need, p panelBuilder) { b.panel(b.id(), need, p) }

	statPanel := func(x uint32, title, desc, expr, unit string) *stat.PanelBuilder {
		return stat.NewPanelBuilder().Id(b.next).Title(title).Description(desc).Datasource(ds).
			GridPos(dashboard.GridPos{X: x, Y: 0, W: 4, H: 4}).
			WithTarget(instant("A", expr, title)).
			Unit(unit).Thresholds(neutral()).ReduceOptions(last()).
			ColorMode(common.BigValueColorModeValue).GraphMode(common.BigValueGraphModeNone).
			TextMode(common.BigValueTextModeValue).Orientation(common.VizOrientationAuto)
	}
	files := func(result string) string {
		return fmt.Sprintf(`sum(indicator_inbox_files_total{%s, result="%s"}) or vector(0)`, dept, result)
	}
	since := "exporter 本次运行以来（重启后从 0 计）"
	add(Always, statPanel(0, "牵头指标", "本部门牵头的指标数。",
		`count(indicator_responsibility{`+dept+`, role="lead"}) or vector(0)`, unitItems))
	add(Always, statPanel(4, "参与指标", "本部门参与（非牵头）的指标数。",
		`count(indicator_responsibility{`+dept+`, role="participant"}) or vector(0)`, unitItems))
	add(Always, statPanel(8, "已接收文件", "收件箱中通过校验并入库的文件数，"+since+"。", files("accepted"), unitFiles))
	add(Always, statPanel(12, "被拒收文件", "未通过校验的文件数（原因见 rejected 目录中的报告），"+since+"。", files("rejected"), unitFiles).
		Thresholds(thresholds("green", 1.0, "orange")))
	add(Always, statPanel(16, "重复文件", "与已入库文件内容相同而未再次入库的文件数，"+since+"。", files("duplicate"), unitFiles))
	add(Always, statPanel(20, "最近接收文件", "本部门最近一个文件通过校验入库的时间。",
		`max(indicator_inbox_last_accepted_timestamp_seconds{`+dept+`}) * 1000`, unitDateTime).NoValue("尚未接收文件"))

	id := b.id()
	b.panel(id, Always, bargauge.NewPanelBuilder().Id(id).
		Title("牵头指标状态（项）").
		Description("本部门牵头的指标按全省状态计数。").
		Datasource(ds).
		GridPos(dashboard.GridPos{X: 0, Y: 4, W: 8, H: 9}).
		Targets(statusCounts(p, ` and on (indicator) indicator_responsibility{`+dept+`, role="lead"}`)).
		Overrides(statusColors()).
		Unit(unitItems).
		Thresholds(neutral()).
		ReduceOptions(last()).
		Orientation(common.VizOrientationHorizontal).
		DisplayMode(common.BarGaugeDisplayModeBasic).
		ValueMode(common.BarGaugeValueModeText))

	inbox := func(ref, result, legend string) *prometheusQuery {
		return series(ref, fmt.Sprintf(`sum(increase(indicator_inbox_files_total{%s, result="%s"}[$__rate_interval]))`, dept, result), legend)
	}
	id = b.id()
	b.panel(id, Always, timeseries.NewPanelBuilder().Id(id).
		Title("收件箱报送（个）").
		Description("本部门收件箱每个时段接收、拒收和重复的文件数。").
		Datasource(ds).
		GridPos(dashboard.GridPos{X: 8, Y: 4, W: 16, H: 9}).
		WithTarget(inbox("A", "accepted", "接收")).
		WithTarget(inbox("B", "rejected", "拒收")).
		WithTarget(inbox("C", "duplicate", "重复")).
		Overrides([]cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
			byRef("A", fixedColor("green")), byRef("B", fixedColor("red")), byRef("C", fixedColor("#8e8e8e")),
		}).
		Unit(unitFiles).
		Thresholds(neutral()).
		DrawStyle(common.GraphDrawStyleBars).
		FillOpacity(80).
		Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal)))

	// Its indicators, lead and participant, worst status first.
	rowLabels := []string{"task", "name", "unit", "deadline"}
	rows := fmt.Sprintf("max by (indicator, task, name, unit, deadline) (indicator_info and on (indicator) indicator_responsibility{%s})", dept)
	col := func(ref, expr string) cog.Builder[variants.Dataquery] {
		return tableQuery(ref, withLabels(expr, "indicator", rows, rowLabels...))
	}
	id = b.id()
	b.panel(id, Always, table.NewPanelBuilder().Id(id).
		Title("本部门的指标").
		Description("本部门牵头或参与的指标的全省情况，状态最差的在前；点击指标名查看详情。").
		Datasource(ds).
		GridPos(dashboard.GridPos{X: 0, Y: 13, W: 24, H: 14}).
		Targets([]cog.Builder[variants.Dataquery]{
			col("A", fmt.Sprintf(`min by (indicator) (indicator_responsibility{%s, role="lead"} * 1 or indicator_responsibility{%s, role="participant"} * 2)`, dept, dept)),
			col("B", statusCode(p, "indicator")),
			col("C", "indicator_current_value{"+p+"}"),
			col("D", "indicator_target_value{"+p+"}"),
			col("E", "indicator_progress_ratio{"+p+"}"),
			col("F", "indicator_expected_progress_ratio{"+p+"}"),
			col("G", "indicator_last_report_timestamp_seconds{"+p+"} * 1000"),
		}).
		WithTransformation(merge()).
		WithTransformation(sortBy("Value #B", true)).
		WithTransformation(organize([][2]string{
			{"task", "任务"}, {"name", "指标"}, {"Value #A", "职责"}, {"Value #B", "状态"}, {"Value #C", "当前值"}, {"Value #D", "目标值"},
			{"unit", "单位"}, {"Value #E", "完成进度"}, {"Value #F", "按计划应达"}, {"Value #G", "数据截至"}, {"deadline", "截止日期"},
			{"indicator", ""},
		})).
		Unit(unitValue).
		Thresholds(neutral()).
		Filterable(true).
		Overrides([]cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
			override("职责", prop("mappings", textMappings("1", "牵头", "2", "参与"))),
			override("状态", prop("mappings", statusMappings()), cell("color-background")),
			override("完成进度", prop("unit", unitRatio), prop("min", 0), prop("max", 1), cell("gauge"), prop("thresholds", progressThresholdsConfig())),
			override("按计划应达", prop("unit", unitRatio)),
			override("数据截至", prop("unit", unitDate)),
			override("截止日期", prop("mappings", textMappings("ongoing", "持续推进"))),
			override("任务", prop("custom.width", 60)),
			override("指标", link("查看指标详情", detailURL(false)), prop("custom.minWidth", 240)),
			override("indicator", prop("custom.hidden", true)),
		}))
	return b.build("department.json")
}
