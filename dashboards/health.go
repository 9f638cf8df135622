package dashboards

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

type prometheusQuery = prometheus.DataqueryBuilder

// health is 运行状态: whether the exporter runs, loads its plan and takes
// in files, for operators.
func health(o Options) (Dashboard, error) {
	b := newDashboard(HealthUID, "运行状态 · indicator_exporter", "exporter 是否正常运行：抓取、计划文件加载、收件箱、抓取耗时和资源占用。", "now-24h")
	b.d.WithVariable(queryVar("job", "抓取任务", `label_values(indicator_exporter_build_info, job)`, "")).
		WithVariable(queryVar("instance", "实例", `label_values(indicator_exporter_build_info{job="$job"}, instance)`, ""))
	sel := `job="$job", instance="$instance"`
	add := func(p panelBuilder) { b.panel(b.id(), Always, p) }

	statPanel := func(x, y uint32, title, desc, expr, unit string) *stat.PanelBuilder {
		return stat.NewPanelBuilder().Id(b.next).Title(title).Description(desc).Datasource(ds).
			GridPos(dashboard.GridPos{X: x, Y: y, W: 4, H: 4}).
			WithTarget(instant("A", expr, title)).
			Unit(unit).Thresholds(neutral()).ReduceOptions(last()).
			ColorMode(common.BigValueColorModeValue).GraphMode(common.BigValueGraphModeNone).
			TextMode(common.BigValueTextModeValue).Orientation(common.VizOrientationAuto)
	}
	errs := thresholds("green", 1.0, "red")
	add(statPanel(0, 0, "抓取状态", "Prometheus 能否抓取 exporter（up）。", "up{"+sel+"}", unitNone).
		Mappings(textMappingsColored("1", "正常", "green", "0", "中断", "red")).ColorMode(common.BigValueColorModeBackground))
	add(statPanel(4, 0, "计划文件加载", "最近一次加载计划文件是否成功；失败时仍使用上一次成功加载的计划。",
		"indicator_config_last_reload_successful{"+sel+"}", unitNone).
		Mappings(textMappingsColored("1", "成功", "green", "0", "失败（沿用旧计划）", "red")).ColorMode(common.BigValueColorModeBackground))
	add(statPanel(8, 0, "上次成功加载计划", "最近一次成功加载计划文件的时间。",
		"indicator_config_last_reload_success_timestamp_seconds{"+sel+"} * 1000", unitSince))
	add(statPanel(12, 0, "运行时长", "exporter 进程已运行的时间。", "time() - process_start_time_seconds{"+sel+"}", unitSeconds))
	add(stat.NewPanelBuilder().Id(b.next).Title("版本").Description("exporter 的版本和构建所用的 Go 版本。").Datasource(ds).
		GridPos(dashboard.GridPos{X: 16, Y: 0, W: 4, H: 4}).
		WithTarget(instant("A", "indicator_exporter_build_info{"+sel+"}", "{{version}} {{goversion}}")).
		Unit(unitNone).Thresholds(neutral()).ReduceOptions(last()).
		ColorMode(common.BigValueColorModeNone).GraphMode(common.BigValueGraphModeNone).
		TextMode(common.BigValueTextModeName))
	add(statPanel(20, 0, "待处理文件", "收件箱中等待文件写完（稳定）或等待重试的文件数。", "indicator_inbox_pending_files{"+sel+"}", unitFiles))

	add(statPanel(0, 4, "存储错误", "通过校验但未能写入历史数据库的文件次数（磁盘满、数据库不可写）；这些文件留在收件箱中重试。",
		"sum(indicator_inbox_store_errors_total{"+sel+"}) or vector(0)", "suffix:次").Thresholds(errs))
	add(statPanel(4, 4, "收件箱扫描错误", "扫描收件箱失败的次数（目录缺失或不可读）。", "indicator_inbox_scan_errors_total{"+sel+"}", "suffix:次").Thresholds(errs))
	add(statPanel(8, 4, "上次扫描收件箱", "最近一次成功扫描收件箱的时间。", "indicator_inbox_last_scan_timestamp_seconds{"+sel+"} * 1000", unitSince))
	files := func(result string) string {
		return fmt.Sprintf(`sum(indicator_inbox_files_total{%s, result="%s"})`, sel, result)
	}
	add(statPanel(12, 4, "已接收文件", "本次运行以来通过校验入库的文件数。", files("accepted"), unitFiles))
	add(statPanel(16, 4, "被拒收文件", "本次运行以来未通过校验的文件数。", files("rejected"), unitFiles).Thresholds(thresholds("green", 1.0, "orange")))
	add(statPanel(20, 4, "入库数据行", "本次运行以来入库文件中的数据行数。",
		`sum(indicator_inbox_rows_total{`+sel+`, result="accepted"})`, unitRows))

	results := func(metric string) []cog.Builder[variants.Dataquery] {
		var out []cog.Builder[variants.Dataquery]
		for i, r := range [][2]string{{"accepted", "接收"}, {"rejected", "拒收"}, {"duplicate", "重复"}} {
			out = append(out, series(string(rune('A'+i)), fmt.Sprintf(`sum(increase(%s{%s, result="%s"}[$__rate_interval]))`, metric, sel, r[0]), r[1]))
		}
		return out
	}
	resultColors := []cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
		byRef("A", fixedColor("green")), byRef("B", fixedColor("red")), byRef("C", fixedColor("#8e8e8e")),
	}
	ts := func(x, y, w uint32, title, desc, unit string) *timeseries.PanelBuilder {
		return timeseries.NewPanelBuilder().Id(b.next).Title(title).Description(desc).Datasource(ds).
			GridPos(dashboard.GridPos{X: x, Y: y, W: w, H: 8}).
			Unit(unit).Thresholds(neutral()).
			Legend(common.NewVizLegendOptionsBuilder().DisplayMode(common.LegendDisplayModeList).Placement(common.LegendPlacementBottom).ShowLegend(true))
	}
	add(ts(0, 8, 12, "收件箱文件（个）", "每个时段各部门合计接收、拒收和重复的文件数。", unitFiles).
		Targets(results("indicator_inbox_files_total")).Overrides(resultColors).
		DrawStyle(common.GraphDrawStyleBars).FillOpacity(80))
	add(ts(12, 8, 12, "收件箱数据行（行）", "每个时段接收、拒收和重复文件中的数据行数。", unitRows).
		Targets(results("indicator_inbox_rows_total")).Overrides(resultColors).
		DrawStyle(common.GraphDrawStyleBars).FillOpacity(80))
	add(ts(0, 16, 8, "抓取耗时", "Prometheus 每次抓取 exporter 所用的时间（scrape_duration_seconds）。", unitSeconds).
		WithTarget(series("A", "scrape_duration_seconds{"+sel+"}", "抓取耗时")))
	add(ts(8, 16, 8, "每次抓取的序列数", "每次抓取得到的序列数（scrape_samples_scraped），随指标和地区数增长。", unitFiles).
		WithTarget(series("A", "scrape_samples_scraped{"+sel+"}", "序列数")))
	add(ts(16, 16, 8, "CPU 使用率", "exporter 进程占用的 CPU（100% 为一个核）。", unitRatio).
		WithTarget(series("A", "rate(process_cpu_seconds_total{"+sel+"}[$__rate_interval])", "CPU")))
	add(ts(0, 24, 12, "内存", "exporter 进程的常驻内存和 Go 堆内存。", unitBytes).
		WithTarget(series("A", "process_resident_memory_bytes{"+sel+"}", "常驻内存")).
		WithTarget(series("B", "go_memstats_heap_inuse_bytes{"+sel+"}", "Go 堆内存")))
	add(ts(12, 24, 12, "协程与文件句柄", "Go 协程数和打开的文件句柄数；持续增长说明有泄漏。", unitFiles).
		WithTarget(series("A", "go_goroutines{"+sel+"}", "协程")).
		WithTarget(series("B", "process_open_fds{"+sel+"}", "文件句柄")))
	return b.build("health.json")
}

// textMappingsColored map values to coloured words: value, text, colour, ...
func textMappingsColored(triples ...string) []dashboard.ValueMapping {
	opts := map[string]dashboard.ValueMappingResult{}
	for i := 0; i+2 < len(triples); i += 3 {
		opts[triples[i]] = dashboard.ValueMappingResult{Text: cog.ToPtr(triples[i+1]), Color: cog.ToPtr(triples[i+2]), Index: cog.ToPtr(int32(i / 3))}
	}
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{Type: dashboard.MappingTypeValueToText, Options: opts}}}
}
