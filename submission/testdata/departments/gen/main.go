//go:build ignore

// Command gen writes the department files of the golden corpus
// (submission/testdata/departments): sheets as the departments of the
// shipped plan (config/plan.toml) save them from Excel and WPS on Chinese
// Windows, for the indicators each leads or takes part in; about a third
// of them are refused, for the reasons real files are. Run it from
// anywhere inside the module with
//
//	go run submission/testdata/departments/gen/main.go
//
// (it finds its directory from its own source path; -out overrides it).
// It writes the same bytes every time: the files are listed here in
// order, as cells, and only laid out, encoded and given their line ends
// on the way out. What reading each file gives is kept beside it in
// <file>.golden, checked by hand and held by TestDepartmentFilesGolden
// (submission/departments_test.go); after changing a file here, check
// its new outcome before running that test with -update.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// enc is how Excel (or WPS, or a web system) saved the sheet.
type enc int

const (
	gb18030 enc = iota // Excel's "CSV (逗号分隔)" on Chinese Windows: GBK, CRLF
	utf8BOM            // Excel's "CSV UTF-8 (逗号分隔)": a BOM, CRLF
	utf8               // WPS or LibreOffice "UTF-8", an office system's export: no BOM, CRLF
	utf8LF             // exported by a web system: UTF-8 without BOM, LF
	utf16LE            // Excel's "Unicode 文本": UTF-16LE with BOM, tab-separated, CRLF
)

// file is one drop file: its name (<department>__<description>.csv) and
// its rows. Every row is padded to the widest, as Excel writes a sheet.
type file struct {
	name string
	enc  enc
	rows [][]string
}

// r is a row.
func r(cells ...string) []string { return cells }

// cities are the 16 cities in the order provincial sheets list them.
var cities = []string{"济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市",
	"泰安市", "威海市", "日照市", "临沂市", "德州市", "聊城市", "滨州市", "菏泽市"}

// cityRows is one row per city, in the order of cities, made by row.
func cityRows(row func(i int, city string) []string) [][]string {
	var rows [][]string
	for i, c := range cities {
		rows = append(rows, row(i, c))
	}
	return rows
}

// cat joins groups of rows.
func cat(groups ...[][]string) [][]string {
	var rows [][]string
	for _, g := range groups {
		rows = append(rows, g...)
	}
	return rows
}

func main() {
	_, self, _, _ := runtime.Caller(0)
	out := flag.String("out", filepath.Dir(filepath.Dir(self)), "the directory to write the files into")
	flag.Parse()
	for _, f := range files {
		data, err := encode(f)
		if err != nil {
			log.Fatalf("%s: %v", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(*out, f.name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d files to %s\n", len(files), *out)
}

// encode lays out the rows as the program that saved them does.
func encode(f file) ([]byte, error) {
	sep, eol := ",", "\r\n"
	switch f.enc {
	case utf16LE:
		sep = "\t"
	case utf8LF:
		eol = "\n"
	}
	width := 0
	for _, row := range f.rows {
		width = max(width, len(row))
	}
	var b strings.Builder
	for _, row := range f.rows {
		for i := range width {
			if i > 0 {
				b.WriteString(sep)
			}
			if i < len(row) {
				b.WriteString(quote(row[i], sep))
			}
		}
		b.WriteString(eol)
	}
	text := b.String()
	switch f.enc {
	case gb18030:
		return simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	case utf8BOM:
		return append([]byte("\xEF\xBB\xBF"), text...), nil
	case utf16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	}
	return []byte(text), nil
}

// quote quotes a cell as Excel does: when it holds the separator, a
// double quote or a line break.
func quote(cell, sep string) string {
	if !strings.Contains(cell, sep) && !strings.ContainsAny(cell, "\"\r\n") {
		return cell
	}
	return `"` + strings.ReplaceAll(cell, `"`, `""`) + `"`
}

// files are the corpus, by department.
var files = []file{
	// ---- hrss: 省人力资源社会保障厅 ----
	{"hrss__jobs-students-jan-oct-2026.csv", gb18030, [][]string{
		r("2026年1-10月全省就业创业主要指标完成情况表"),
		r("填报单位：省人力资源社会保障厅（就业促进和失业保险处）", "", "", "", "填报日期：2026年11月12日"),
		r("序号", "指标名称", "计量单位", "本年累计", "截至日期", "备注"),
		r("1", "城镇新增就业人数（年度）", "万人", "105.32", "2026年10月", ""),
		r("2", "扶持大学生创业人数（年度）", "人", "18,562", "2026年10月", "含返乡创业大学生"),
		r("填表人：王晓燕", "", "审核人：李建国", "", "联系电话：0531-86912345"),
	}},
	{"hrss__employment-quarterly-2025.txt", utf16LE, [][]string{
		r("指标", "地区", "数值", "截至日期", "备注"),
		r("城镇新增就业人数（年度）", "全省", "31.2万", "2025年一季度", ""),
		r("城镇新增就业人数（年度）", "全省", "65.8万", "2025年上半年", ""),
		r("城镇新增就业人数（年度）", "全省", "96.4万", "2025年前三季度", ""),
		r("城镇新增就业人数（年度）", "全省", "125.6万", "2025年", "全年"),
		r("返乡入乡创新创业人员", "全省", "6.12万", "2025年12月31日", "2021年以来累计"),
	}},
	{"hrss__graduates-yearbook-own-years.csv", gb18030, [][]string{
		r("高校毕业生留鲁来鲁就业情况"),
		r("指标名称", "计量单位", "2021年", "2022年", "2023年"),
		r("吸引高校毕业生留鲁来鲁就业人数", "万人", "21.3", "23.6", "25.1"),
	}},

	// ---- ndrc: 省发展改革委 (the coordinator) ----
	{"ndrc__urbanization-yearbook-2021-2025.csv", utf8BOM, [][]string{
		r("山东省新型城镇化主要指标（2021—2025年）"),
		r("指标名称", "计量单位", "2021年", "2022年", "2023年", "2024年", "2025年"),
		r("常住人口城镇化率", "%", "63.94", "64.54", "65.53", "66.70", "67.78"),
		r("常住人口城镇化率年度提高幅度", "百分点", "0.89", "0.60", "0.99", "1.17", "1.08"),
		r("城乡居民收入比", "倍", "2.26", "2.22", "2.17", "2.14", "2.11"),
		r("数据来源：省统计局、国家统计局山东调查总队"),
	}},
	{"ndrc__target-revision-charging.csv", gb18030, [][]string{
		r("指标", "截至日期", "目标值", "调整依据"),
		r("新建公共领域充电桩数", "2021-12-31", "20,000", "省新能源汽车充电基础设施建设方案"),
		r("新建公共领域充电桩数", "2022-12-31", "40,000", ""),
		r("新建公共领域充电桩数", "2023-12-31", "60,000", ""),
		r("新建公共领域充换电站数", "2022年底", "1200", "分年度任务"),
	}},
	{"ndrc__urbanization-estimate-2026.csv", utf8, [][]string{
		r("指标名称", "计量单位", "2025年", "2026年（预计）"),
		r("常住人口城镇化率", "%", "67.78", "68.60"),
	}},

	// ---- housing: 省住房城乡建设厅 ----
	{"housing__old-residential-by-city-2023.csv", gb18030, cat([][]string{
		r("全省城镇老旧小区改造进展情况统计表（截至2023年12月底）"),
		r("单位：万户", "", "", "", "填报日期：2024年1月8日"),
		r("序号", "地区", "指标", "累计完成", "备注"),
		r("", "全省", "改造老旧小区户数", "161.24", "2021—2023年累计"),
	}, cityRows(func(i int, c string) []string {
		v := []string{"21.53", "24.87", "9.62", "5.41", "4.36", "12.08", "13.75", "10.94", "7.32", "6.18", "3.96", "14.02", "7.65", "6.83", "5.27", "7.44"}
		return r(fmt.Sprint(i+1), c, "改造老旧小区户数", v[i], "")
	})),
	},
	{"housing__old-residential-total-last.csv", gb18030, cat([][]string{
		r("序号", "地区", "指标", "累计完成（户）", "截至日期"),
	}, cityRows(func(i int, c string) []string {
		v := []string{"98,312", "112,540", "43,207", "24,118", "19,875", "55,096", "61,433", "49,870", "33,012", "27,946", "18,204", "63,517", "34,605", "30,921", "23,788", "33,472"}
		return r(fmt.Sprint(i+1), c, "改造老旧小区户数", v[i], "2022年12月31日")
	}), [][]string{
		r("", "合计", "改造老旧小区户数", "729,916", "2022年12月31日"),
	}),
	},
	{"housing__target-revision-not-coordinator.csv", utf8LF, [][]string{
		r("指标", "截至日期", "目标值", "备注"),
		r("改造老旧小区户数", "2022-12-31", "1,000,000", "按住建部下达计划调整"),
	}},
	{"housing__green-buildings-year-not-over.csv", utf8, [][]string{
		r("指标", "数值", "截至日期"),
		r("新增绿色建筑面积", "3.86亿平方米", "2026年"),
	}},
	{"housing__indicator-names-not-in-plan.csv", utf8, [][]string{
		r("指标", "地区", "数值", "截至日期"),
		r("城镇老旧小区改造户数", "全省", "1612437", "2023-12-31"),
		r("新增城市道路里程（公里）", "全省", "3862", "2023-12-31"),
	}},

	// ---- big_data: 省大数据局 ----
	{"big_data__smart-city-each-city-2023.csv", gb18030, cat([][]string{
		r("各市新型智慧城市建设评估结果（2023年度）"),
		r("序号", "设区市", "指标名称", "完成情况", "截至日期"),
	}, cityRows(func(i int, c string) []string {
		v := "已完成"
		if c == "菏泽市" {
			v = "推进中"
		}
		return r(fmt.Sprint(i+1), c, "各市建成三级以上新型智慧城市", v, "2023年底")
	}), [][]string{
		r("", "合计", "各市建成三级以上新型智慧城市", "15", "2023年底"),
		r("", "全省", "建成三级以上新型智慧城市的县（市、区）占比", "91.2%", "2023年底"),
	}),
	},

	// ---- ecology_env: 省生态环境厅 ----
	{"ecology_env__medical-waste-cities-across.csv", gb18030, [][]string{
		r("全省医疗废物集中处置设施建设情况（单位：处）"),
		append(append([]string{"指标"}, cities...), "合计", "截至日期"),
		r("医疗废物集中处置设施数（各市）", "2", "3", "1", "1", "1", "2", "2", "2", "1", "1", "1", "2", "1", "1", "1", "1", "23", "2023年12月31日"),
		r("医疗废物集中处置设施数（各市）", "2", "3", "2", "1", "1", "2", "2", "2", "1", "1", "1", "2", "1", "1", "1", "2", "25", "2024年12月31日"),
	}},

	// ---- industry_it, comms_admin: 5G ----
	{"industry_it__5g-stations-quarter-ends-2024.csv", gb18030, [][]string{
		r("全省5G基站建设进展"),
		r("指标名称", "计量单位", "2024年3月底", "2024年6月底", "2024年9月底", "2024年12月底"),
		r("投运5G基站数", "万个", "20.9", "21.8", "23.1", "25.2"),
	}},
	{"comms_admin__5g-stations-2025.csv", utf8, [][]string{
		r("指标", "单位", "数值", "截至日期", "备注"),
		r("投运5G基站数", "个", "274,356", "2025-06-30", "通信管理局统计口径"),
		r("投运5G基站数", "个", "296,812", "2025-12-31", ""),
	}},

	// ---- education: 省教育厅 ----
	{"education__schools-places-2021-2023.csv", utf8BOM, [][]string{
		r("2021-2023年中小学建设项目推进情况"),
		r("序号", "指标", "单位", "目标值", "累计完成", "截至日期", "完成率"),
		r("1", "新建、改扩建普通中小学校数", "所", "600", "641", "2023-12-31", "106.8%"),
		r("2", "新增中小学学位", "万个", "60", "63.7", "2023-12-31", "106.2%"),
	}},
	{"education__kindergartens-by-year.csv", gb18030, [][]string{
		r("年份", "月份", "指标名称", "本年累计完成（所）"),
		r("2024", "全年", "新建、改扩建幼儿园数（年度）", "236"),
		r("2025", "全年", "新建、改扩建幼儿园数（年度）", "218"),
		r("2026", "1-9月", "新建、改扩建幼儿园数（年度）", "164"),
	}},

	// ---- health: 省卫生健康委 ----
	{"health__physicians-childcare-2024-2025.csv", utf8, [][]string{
		r("指标", "地区", "数值", "单位", "截至日期"),
		r("每千人口执业（助理）医师数", "山东省", "3.72", "人/每千人口", "2024年底"),
		r("每千人口执业（助理）医师数", "山东省", "3.81", "人/每千人口", "2025年底"),
		r("每千人口3岁以下婴幼儿托位数", "山东省", "3.42", "个/千人", "2024年底"),
		r("每千人口3岁以下婴幼儿托位数", "山东省", "3.96", "个/千人", "2025年底"),
	}},

	// ---- civil_affairs: 省民政厅 ----
	{"civil_affairs__elderly-care-end-2023.csv", gb18030, [][]string{
		r("全省养老服务体系建设主要指标完成情况（截至2023年12月底）"),
		r("指标", "完成值", "备注"),
		r("街道综合养老服务中心覆盖率", "100%", ""),
		r("社区养老服务设施配建达标率", "96.3%", "新建住宅小区"),
		r("养老机构护理型床位占比", "58.6%", ""),
		r("各县（市、区）失能特困照护敬老院数（最少的县）", "1", "每县至少1处"),
		r("9类困难群众救助标准提高幅度", "12.5%", "较2020年"),
	}},
	{"civil_affairs__nursing-beds-percent-lost.csv", utf8, [][]string{
		r("指标", "单位", "数值", "截至日期"),
		r("养老机构护理型床位占比", "%", "0.586", "2023-12-31"),
		r("街道综合养老服务中心覆盖率", "%", "1", "2023-12-31"),
	}},

	// ---- transport: 省交通运输厅 ----
	{"transport__new-energy-buses-2025-web.csv", utf8LF, [][]string{
		r("indicator", "region", "value", "as_of", "note"),
		r("new_energy_bus_share", "shandong", "79.6", "2025-12-31", ""),
		r("new_buses_new_energy_share", "shandong", "100", "2025-12-31", ""),
	}},

	// ---- statistics: 省统计局 ----
	{"statistics__urbanization-rate-2024.csv", utf8, [][]string{
		r("指标", "地区", "数值", "年份"),
		r("常住人口城镇化率", "全省", "66.70", "2024"),
	}},
	// ---- ndrc: charging, parking, towns, projects ----
	{"ndrc__charging-parking-end-2023.csv", gb18030, [][]string{
		r("全省充电基础设施和公共停车设施建设进展（截至2023年12月底）"),
		r("填报单位：省发展改革委（能源局）", "", "", "填报日期：2024年1月9日"),
		r("序号", "指标名称", "计量单位", "累计完成", "备注"),
		r("1", "新建公共领域充电桩数", "个", "68,412", "2021年以来累计"),
		r("2", "新建公共领域充换电站数", "座", "2,136", ""),
		r("3", "新建加氢站数", "座", "56", ""),
		r("4", "新增公共停车位", "万个", "12.3", "含城市道路临时泊位"),
		r("注：数据来源于省充电基础设施监测服务平台。"),
	}},
	{"ndrc__towns-per-mu-2025.csv", utf8BOM, [][]string{
		r("指标", "单位", "数值", "截至日期", "说明"),
		r("特色小镇建设用地亩均投资（最低的小镇）", "万元/亩", "236.5", "2025/12/31", "按省级特色小镇年度评估"),
		r("特色小镇建设用地亩均税收（最低的小镇）", "万元/亩", "12.8", "2025/12/31", ""),
		r("全省特色小镇清单", "", "已完成", "2025/12/31", "动态调整"),
	}},
	{"ndrc__county-projects-by-quarter.csv", gb18030, [][]string{
		r("县城及城镇化地区重点项目推进情况"),
		r("年度", "季度", "指标", "本年累计（个）", "备注"),
		r("2023", "一季度", "县城及城镇化地区重点项目实施数（年度）", "86", ""),
		r("2023", "二季度", "县城及城镇化地区重点项目实施数（年度）", "152", ""),
		r("2023", "三季度", "县城及城镇化地区重点项目实施数（年度）", "197", ""),
		r("2023", "四季度", "县城及城镇化地区重点项目实施数（年度）", "231", "全年"),
		r("2023", "四季度", "国家县城新型城镇化建设示范数", "11", "截至年底"),
	}},
	{"ndrc__appliance-dismantling-2023.csv", utf8LF, [][]string{
		r("指标", "数值（万台）", "截至日期"),
		r("新增废旧家电规范拆解能力", "512.3", "2023年12月"),
	}},
	{"ndrc__quarter-own-figure-as-of.csv", utf8, [][]string{
		r("指标", "数值", "截至日期"),
		r("县城及城镇化地区重点项目实施数（年度）", "66", "2024年4-6月"),
	}},
	{"ndrc__target-revision-annual-checkpoint.csv", utf8, [][]string{
		r("指标", "截至日期", "目标值", "调整原因"),
		r("县城及城镇化地区重点项目实施数（年度）", "2022-12-31", "220", "按省领导小组会议要求"),
		r("新增公共停车位", "2023-12-31", "120,000", "按省领导小组会议要求"),
	}},

	// ---- energy: 省能源局 ----
	{"energy__charging-jan-sep-2023-year-only.csv", gb18030, [][]string{
		r("2023年1-9月全省充换电基础设施建设情况"),
		r("指标名称", "计量单位", "完成值"),
		r("新建公共领域充电桩数", "个", "１８，６２３"),
		r("新建公共领域充换电站数", "座", "５１２"),
	}},
	{"energy__charging-fullwidth-2024.csv", utf8, [][]string{
		r("指标", "数值", "截至日期", "备注"),
		r("新建公共领域充电桩数", "９．２万", "２０２４年６月３０日", "累计"),
		r("新建加氢站数", "６１", "２０２４年６月３０日", "累计"),
	}},

	// ---- housing: rates, milestones, standards, towns ----
	{"housing__parks-greenways-roads-2021.csv", utf8, [][]string{
		r("2021年城市建设主要指标"),
		r("指标名称", "计量单位", "2021年"),
		r("建成城市公园数", "个", "32"),
		r("建成城市绿道里程", "公里", "612.5"),
		r("新增城市道路里程", "公里", "1,236"),
	}},
	{"housing__waste-sewage-rates-2024.csv", utf8BOM, [][]string{
		r("序号", "指标名称", "单位", "完成值", "统计截止日期"),
		r("1", "城市生活垃圾回收利用率", "%", "36.8", "2024.12.31"),
		r("2", "生活垃圾焚烧处理率", "%", "95.2", "2024.12.31"),
		r("3", "完成提标改造的城市污水处理厂占比", "%", "41.5", "2024.12.31"),
		r("4", "建成区市政雨污合流清零的县（市、区）占比", "%", "62.7", "2024.12.31"),
		r("5", "新增生活垃圾焚烧处理能力", "吨/天", "3,850", "2024.12.31"),
	}},
	{"housing__milestones-2023.csv", gb18030, [][]string{
		r("省住房城乡建设厅牵头重点任务推进情况"),
		r("序号", "重点任务", "指标", "完成情况", "截至日期", "备注"),
		r("1", "城市更新", "全省城市更新实施意见", "已完成", "2023年12月", "鲁政办发〔2021〕XX号"),
		r("2", "污水治理", "雨污分流改造", "推进中", "2023年12月", ""),
		r("3", "垃圾分类", "生活垃圾分类投放、收集、运输、处理体系", "已完成", "2023年12月", ""),
		r("4", "绿色发展", "推动城乡建设绿色发展的若干措施", "完成", "2023年12月", ""),
		r("5", "清洁取暖", "清洁取暖改造与清洁能源建筑应用", "√", "2023年12月", ""),
		r("6", "历史文化保护", "历史文化名城、街区保护规划与历史建筑测绘建档", "是", "2023年12月", ""),
	}},
	{"housing__rent-subsidy-towns-2025.csv", utf8, [][]string{
		r("指标", "地区", "数值", "截至日期"),
		r("新就业无房职工住房租赁补贴最低标准", "全省", "300元/月", "2025年6月30日"),
		r("新就业无房职工住房租赁补贴累计发放时限", "全省", "36个月", "2025年6月30日"),
		r("培育新生小城市数", "全省", "3", "2023年12月31日"),
		r("培育大城市卫星镇数", "全省", "21个", "2023年12月31日"),
	}},
	{"housing__rail-transit-quarters-2023.csv", utf8, [][]string{
		r("指标", "数值（km）", "截至日期"),
		r("城市轨道交通运营里程", "338.6", "2023Q1"),
		r("城市轨道交通运营里程", "338.6", "2023Q2"),
		r("城市轨道交通运营里程", "371.9", "2023Q3"),
		r("城市轨道交通运营里程", "412.6", "2023Q4"),
	}},
	{"housing__green-buildings-wan-m2.csv", utf8, [][]string{
		r("全省绿色建筑发展情况"),
		r("指标", "数值（万㎡）", "截至日期", "备注"),
		r("新增绿色建筑面积", "28,650", "2023年底", "2021年以来累计"),
	}},
	{"housing__renovation-duplicate-rows.csv", utf8, [][]string{
		r("指标", "数值", "截至日期"),
		r("改造老旧小区户数", "1,051,300", "2022/12/31"),
		r("改造老旧小区户数", "1,051,800", "2022/12/31"),
	}},

	// ---- transport: 省交通运输厅 ----
	{"transport__one-hour-circles-2025.csv", gb18030, [][]string{
		r("指标", "数值", "截至日期"),
		r(`济南"1小时交通圈"覆盖人口`, "2150万", "2025年末"),
		r(`青岛"1小时交通圈"覆盖人口`, "2,080万", "2025年末"),
	}},
	{"transport__roads-cities-across.csv", gb18030, [][]string{
		r("全省新增城市道路里程（截至2023年底，单位：公里）"),
		append(append([]string{"指标", "全省"}, cities...), "截至日期"),
		r("新增城市道路里程", "3,862", "512", "468", "231", "156", "188", "297", "342", "265", "173", "158", "102", "311", "189", "176", "121", "172", "2023-12-31"),
	}},
	{"transport__parking-not-authorised.csv", utf8, [][]string{
		r("指标", "数值", "截至日期"),
		r("新增公共停车位", "118,600", "2023-12-31"),
	}},

	// ---- public_security: 省公安厅 ----
	{"public_security__hukou-milestones-2022.csv", utf8, [][]string{
		r("指标", "完成情况", "截至日期", "备注"),
		r("城镇落户“零门槛”", "已完成", "2022年12月31日", "全面取消城镇落户限制"),
		r("数字“平安山东”建设", "进行中", "2022年12月31日", ""),
		r("户口、身份证“无纸化”“免填单”与“通迁、通办”", "√", "2022年12月31日", ""),
	}},

	// ---- big_data, industry_it: smart cities and communities ----
	{"big_data__city-brain-cities-across.csv", gb18030, [][]string{
		append(append([]string{"指标"}, cities...), "全省", "截至日期"),
		r("各市“城市大脑”建设与互联互通", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "×", "√", "√", "×", "14", "2023年12月31日"),
		r("各市建成“无证明城市”", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "√", "16", "2023年12月31日"),
	}},
	{"big_data__smart-communities-monthly.csv", utf8, [][]string{
		r("指标", "截至日期", "本月完成数", "累计完成", "备注"),
		r("建设智慧社区（村居）数", "2023-10-31", "86", "2,318", ""),
		r("建设智慧社区（村居）数", "2023-11-30", "104", "2,422", ""),
		r("建设智慧社区（村居）数", "2023-12-31", "131", "2,553", ""),
	}},
	{"industry_it__smart-communities-month-only.csv", utf8, [][]string{
		r("指标", "截至日期", "本月完成数"),
		r("建设智慧社区（村居）数", "2023-12-31", "131"),
	}},

	// ---- housing: a progress sheet with a reference 目标值 ----
	{"housing__progress-vs-targets-sep-2023.csv", gb18030, [][]string{
		r("2023年城镇化重点指标进展情况（截至2023年9月30日）"),
		r("填报单位：省住房城乡建设厅", "", "", "", "", "", "填报日期：2023年10月10日"),
		r("序号", "指标", "计量单位", "目标值", "截至9月底累计", "完成率", "备注"),
		r("1", "改造老旧小区户数", "户", "1,500,000", "1,482,600", "98.8%", "2021年以来"),
		r("2", "新增绿色建筑面积", "万平方米", "25000", "23,816", "95.3%", ""),
		r("3", "新增城市道路里程", "公里", "3600", "3,415.6", "94.9%", ""),
		r("4", "城市轨道交通运营里程", "公里", "400", "371.9", "93.0%", "济南、青岛合计"),
		r("审核人：张伟", "", "填表人：刘洋", "", "联系电话：0531-87081234"),
	}},

	// ---- ecology_env: cities in rows, short names, total rows ----
	{"ecology_env__medical-waste-rows-2025.csv", gb18030, cat([][]string{
		r("序号", "地市", "指标", "数量（处）", "截至日期", "备注"),
		r("", "全省", "医疗废物集中处置设施数（各市）", "27", "2025年12月", "各市合计"),
	}, cityRows(func(i int, c string) []string {
		v := []string{"3", "3", "2", "1", "1", "2", "2", "2", "1", "1", "1", "2", "2", "1", "1", "2"}
		return r(fmt.Sprint(i+1), strings.TrimSuffix(c, "市"), "医疗废物集中处置设施数（各市）", v[i], "2025年12月", "")
	}), [][]string{
		r("", "合计", "医疗废物集中处置设施数（各市）", "27", "2025年12月", ""),
	}),
	},

	// ---- agriculture: 省农业农村厅 ----
	{"agriculture__income-ratio-reforms.csv", utf8, [][]string{
		r("指标", "数值", "截至日期", "备注"),
		r("城乡居民收入比", "2.17:1", "2023年", "以农村居民收入为1"),
		r("城乡居民收入比", "2.14:1", "2024年", ""),
		r("第二轮土地承包延包与宅基地制度改革试点", "推进中", "2024年", ""),
		r("返乡入乡人员创新创业", "是", "2024年", ""),
	}},

	// ---- commerce, science_tech ----
	{"commerce__dev-zones-consumption-2023.csv", utf8BOM, [][]string{
		r("省商务厅重点任务推进情况（截至2023年12月31日）"),
		r("指标", "完成情况", "备注"),
		r("工业总产值过1000亿元的开发区数", "16家", ""),
		r("商业“圈、街、店、节、网”功能与消费设施", "已完成", ""),
		r("济南、青岛国际消费中心城市创建", "推进中", "持续推进"),
		r("县乡村电子商务与快递物流配送体系", "是", ""),
	}},
	{"science_tech__rd-facilities-2024.csv", utf8, [][]string{
		r("指标名称", "截止日期", "完成情况"),
		r("新型研发机构群", "2024/6/30", "已完成"),
		r("争取国家重大科技基础设施和大科学装置布局", "2024/6/30", "推进中"),
		r("工业总产值过1000亿元的开发区数", "2024/6/30", "17"),
	}},

	// ---- healthcare_security, meteorology, emergency, culture_tourism, natural_resources ----
	{"healthcare_security__insurance-milestones.csv", utf8BOM, [][]string{
		r("指标", "数值", "截至日期"),
		r("全民参保计划", "完成", "2021-12-31"),
		r("医保卡跨省通行", "完成", "2023年6月30日"),
		r("居民医保政府补助标准逐步提高", "是", "2025年12月31日"),
	}},
	{"meteorology__warning-system.txt", utf16LE, [][]string{
		r("指标", "数值", "截至日期", "备注"),
		r("突发事件预警信息发布系统", "是", "2024年12月31日", "覆盖全省16市"),
	}},
	{"emergency__safety-milestones.csv", utf8, [][]string{
		r("指标", "完成情况", "时间"),
		r("城市运行安全评估与隐患排查治理", "已完成", "2021年12月"),
		r("天地一体化应急通信网", "推进中", "2023年12月"),
	}},
	{"culture_tourism__milestones-2023.csv", utf8, [][]string{
		r("指标", "数值", "截至日期"),
		r("“好客山东·云游齐鲁”智慧文旅工程", "已完成", "2023-12-31"),
		r("“泉·城文化景观”、青岛老城区申报世界文化遗产", "推进中", "2023-12-31"),
		r("公共文化设施建设水平、覆盖面和利用效率", "完成", "2023-12-31"),
	}},

	// ---- city_governments: 16市政府 ----
	{"city_governments__annual-reports-2025.csv", gb18030, cat([][]string{
		r("各市推进新型城镇化年度报送情况"),
		r("序号", "城市", "指标", "完成情况", "年度"),
	}, cityRows(func(i int, c string) []string {
		return r(fmt.Sprint(i+1), c, "各市推进情况年度报送", "已完成", "2025")
	})),
	},
	{"city_governments__jinan-renovation.csv", utf8, [][]string{
		r("指标", "地区", "数值", "截至日期"),
		r("改造老旧小区户数", "济南市", "215,320", "2023-12-31"),
	}},

	// ---- refusals: another department's data, forms half filled ----
	{"nbs_survey_shandong__income-ratio.csv", utf8, [][]string{
		r("指标", "数值", "截至日期"),
		r("新型城镇化统计制度体系", "推进中", "2024-12-31"),
		r("城乡居民收入比", "2.14", "2024-12-31"),
	}},
	{"education__preschool-month-left-empty.csv", utf8, [][]string{
		r("年份", "月份", "指标", "数值"),
		r("2024", "12", "学前教育普惠率", "91.3%"),
		r("2025", "", "学前教育普惠率", "92.1%"),
	}},
	{"hrss__merged-indicator-cells.csv", utf8, [][]string{
		r("指标", "截至日期", "数值（万人）"),
		r("城镇新增就业人数（年度）", "2024年3月", "30.6"),
		r("", "2024年6月", "63.7"),
		r("", "2024年9月", "95.2"),
	}},
	// ---- ecology_env: cities in rows, years across ----
	{"ecology_env__medical-waste-years-across.csv", utf8, [][]string{
		r("各市医疗废物集中处置设施数量（单位：处）"),
		r("序号", "地市", "指标", "2023年", "2024年", "2025年"),
		r("1", "济南市", "医疗废物集中处置设施数（各市）", "2", "2", "3"),
		r("2", "青岛市", "医疗废物集中处置设施数（各市）", "3", "3", "3"),
		r("3", "淄博市", "医疗废物集中处置设施数（各市）", "1", "2", "2"),
		r("4", "枣庄市", "医疗废物集中处置设施数（各市）", "1", "1", "1"),
		r("", "合计", "医疗废物集中处置设施数（各市）", "7", "8", "9"),
	}},

	// ---- transport: Excel took 2025.10 for a number ----
	{"transport__bus-share-excel-year-month.csv", utf8, [][]string{
		r("统计年月", "指标", "数值"),
		r("2025.9", "新能源城市公共汽（电）车占比", "78.2%"),
		r("2025.1", "新能源城市公共汽（电）车占比", "78.9%"),
	}},
}
