package submission

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// render makes a row comparable at a glance:
// "line indicator region as_of value raw|note".
func render(r Row) string {
	return fmt.Sprintf("%d %s %s %s %v %s|%s", r.Line, r.Indicator, r.Region, r.AsOf.Format(time.RFC3339), r.Value, r.Raw, r.Note)
}

func checkRows(t *testing.T, got []Row, want []string) {
	t.Helper()
	var g []string
	for _, r := range got {
		g = append(g, render(r))
	}
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseAccepts(t *testing.T) {
	tests := map[string]struct {
		dept      string
		text      string
		wantKind  Kind
		want      []string
		wantWarns []string
	}{
		"A file as the web template writes it is read": {
			dept: "fgw",
			text: crlf("指标,地区,数值,单位,截至日期,备注\n" +
				"常住人口城镇化率,,66.5%,%,2023/6/30,上半年\n" +
				"urban_rate,山东省,67.1,%,2023-12,全年\n" +
				"investment,shandong,\"1,234.5\",亿元,2023年6月30日,\n"),
			wantKind: Values,
			want: []string{
				"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5%|上半年",
				"3 urban_rate shandong 2023-12-31T00:00:00+08:00 67.1 67.1|全年",
				"4 investment shandong 2023-06-30T00:00:00+08:00 1234.5 1,234.5|",
			},
		},
		"A unit in the value header or the 单位 column scales bare numbers": {
			dept: "zjt",
			text: "指标,地区,完成值（万户）,截至日期\nrenovated,济南市,1.2,2023-06-30\nrenovated,青岛市,3000户,2023-06-30\n",
			want: []string{
				"2 renovated jinan 2023-06-30T00:00:00+08:00 12000 1.2|",
				"3 renovated qingdao 2023-06-30T00:00:00+08:00 3000 3000户|",
			},
		},
		"Every form of a bare number takes the declared unit; a bare magnitude or 千 counts": {
			dept: "rst",
			text: "指标,数值（单位：万，累计）,单位,截至日期\nnew_jobs,1.1E+02,,2023-01\nnew_jobs,(3),,2023-02\nnew_jobs,−2,,2023-03\nnew_jobs,1 100,万人,2023-04\n",
			want: []string{
				"2 new_jobs shandong 2023-01-31T00:00:00+08:00 110 1.1E+02|",
				"3 new_jobs shandong 2023-02-28T00:00:00+08:00 -3 (3)|",
				"4 new_jobs shandong 2023-03-31T00:00:00+08:00 -2 −2|",
				"5 new_jobs shandong 2023-04-30T00:00:00+08:00 1100 1 100|",
			},
		},
		"A 千 in the 单位 column counts": {
			dept: "rst",
			text: "指标,数值,单位,截至日期\nnew_jobs,1 100,千人,2023-04\n",
			want: []string{"2 new_jobs shandong 2023-04-30T00:00:00+08:00 110 1 100|"},
		},
		"A 目标 reference column leaves the value header's unit in force": {
			dept:      "zjt",
			text:      "指标,地区,目标,完成值（万户）,截至日期\nrenovated,济南,5,1.2,2023-06-30\n",
			want:      []string{"2 renovated jinan 2023-06-30T00:00:00+08:00 12000 1.2|"},
			wantWarns: []string{`1:3 : column "目标" ignored as a reference`},
		},
		"The unit in a remark may follow other words": {
			dept: "zjt",
			text: "指标,地区,完成值（累计，万户）,截至日期\nrenovated,济南,1.2,2023-06-30\n",
			want: []string{"2 renovated jinan 2023-06-30T00:00:00+08:00 12000 1.2|"},
		},
		"A rate beside an empty 累计值 is read from 本期值": {
			dept:      "fgw",
			text:      "指标,本期值,累计值,截至日期\nurban_rate,66.5,,2023-06-30\n",
			want:      []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
			wantWarns: []string{`1:2 : column "本期值" ignored`},
		},
		"A 单位 column naming the office is no unit": {
			dept: "fgw",
			text: "指标,单位,数值,截至日期\nurban_rate,省发展改革委,66.5,2023-06-30\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"Large and small numbers scale without float noise": {
			dept: "fgw",
			text: "指标,完成值（元）,截至日期\ninvestment,123456789012,2023-06-30\n",
			want: []string{"2 investment shandong 2023-06-30T00:00:00+08:00 1234.56789012 123456789012|"},
		},
		"A table with the cities across gives one row a filled city; the total and empty cells are skipped": {
			dept: "zjt",
			text: crlf("指标,济南市,青岛,全省,截至日期,备注\n改造老旧小区（户）,\"12,000\",,13000,2023-06-30,上半年\nrenovated,1.3万,900,,2023-12-31,\n"),
			want: []string{
				"2 renovated jinan 2023-06-30T00:00:00+08:00 12000 12,000|上半年",
				"3 renovated jinan 2023-12-31T00:00:00+08:00 13000 1.3万|",
				"3 renovated qingdao 2023-12-31T00:00:00+08:00 900 900|",
			},
			wantWarns: []string{`1:4 : column "全省" is the total over the cities`},
		},
		"Each city column carries its own unit; a 目标 column is a reference": {
			dept: "zjt",
			text: "指标,目标,济南市（万户）,青岛市,截至日期\nrenovated,5,1.5,2,2023-06-30\n",
			want: []string{
				"2 renovated jinan 2023-06-30T00:00:00+08:00 15000 1.5|",
				"2 renovated qingdao 2023-06-30T00:00:00+08:00 2 2|",
			},
			wantWarns: []string{`1:2 : column "目标" ignored as a reference`},
		},
		"The total of an each-city indicator across is skipped with a word": {
			dept:      "zjt",
			text:      "指标,济南市,全省,截至日期\nrenovated,3,5,2023-06-30\n",
			want:      []string{"2 renovated jinan 2023-06-30T00:00:00+08:00 3 3|"},
			wantWarns: []string{`1:3 : column "全省" is the total over the cities`},
		},
		"The 全省 column may carry a unit too": {
			dept: "fgw",
			text: "指标,济南市,全省（亿元）,截至日期\ninvestment,,0.12,2023-06-30\n",
			want: []string{"2 investment shandong 2023-06-30T00:00:00+08:00 0.12 0.12|"},
		},
		"A province-wide indicator in a table of regions across takes its 全省 column": {
			dept: "fgw",
			text: "指标,全省,截至日期\nurban_rate,66.5,2023-06-30\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"The 单位 column may differ row by row": {
			dept: "rst",
			text: "指标,数值,单位,截至日期\nnew_jobs,\"11,000\",千人,2023-12\nnew_jobs,65,万人,2024-06\nnew_jobs,66,,2024-07\n",
			want: []string{
				"2 new_jobs shandong 2023-12-31T00:00:00+08:00 1100 11,000|",
				"3 new_jobs shandong 2024-06-30T00:00:00+08:00 65 65|",
				"4 new_jobs shandong 2024-07-31T00:00:00+08:00 66 66|",
			},
		},
		"A unit a title line above the header names is the values' unit": {
			dept:      "zjt",
			text:      "山东省城镇老旧小区改造进度表,,,\n填报单位：省住房城乡建设厅,,,单位：万户\n指标,地区,数值,截至日期\nrenovated,济南,131.5,2023-03-31\n",
			want:      []string{"4 renovated jinan 2023-03-31T00:00:00+08:00 1.315e+06 131.5|"},
			wantWarns: []string{"1:0 : the header is on line 3", "2:0 : values are converted from the unit line 2 names: 万户"},
		},
		"A unit in the title's bracket counts as well": {
			dept:      "zjt",
			text:      "山东省城镇老旧小区改造进度表（单位：万户）\n指标,地区,数值,截至日期\nrenovated,济南,131.5,2023-03-31\n",
			want:      []string{"3 renovated jinan 2023-03-31T00:00:00+08:00 1.315e+06 131.5|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names: 万户"},
		},
		"A unit written in brackets, with a qualifier, with 数 or in traditional characters is read": {
			dept: "zjt",
			text: "指标,地区,数值,单位,截至日期\nrenovated,济南,1.5,（万户）,2023-01-31\nrenovated,济南,2.5,[万户],2023-02-28\n" +
				"renovated,济南,3.5,万户（累计）,2023-03-31\nrenovated,济南,4.5,万户数,2023-04-30\nrenovated,济南,5.5,万户/年,2023-05-31\n" +
				"renovated,济南,6.5,萬戶,2023-06-30\nrenovated,济南,7.5,省住建厅,2023-07-31\n",
			want: []string{"2 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|", "3 renovated jinan 2023-02-28T00:00:00+08:00 25000 2.5|",
				"4 renovated jinan 2023-03-31T00:00:00+08:00 35000 3.5|", "5 renovated jinan 2023-04-30T00:00:00+08:00 45000 4.5|",
				"6 renovated jinan 2023-05-31T00:00:00+08:00 55000 5.5|", "7 renovated jinan 2023-06-30T00:00:00+08:00 65000 6.5|",
				"8 renovated jinan 2023-07-31T00:00:00+08:00 7.5 7.5|"},
		},
		"A header unit with a qualifier or 数 is read": {
			dept: "zjt",
			text: "指标,地区,数值（万户/累计）,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want: []string{"2 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
		},
		"A header unit after 累计 is read": {
			dept: "zjt",
			text: "指标,地区,数值（累计万户）,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want: []string{"2 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
		},
		"Each row takes the header unit that fits its indicator": {
			dept: "fgw",
			text: "指标,数值（亿元、%）,截至日期\ninvestment,12,2023-01-31\nurban_rate,66.5,2023-01-31\n",
			want: []string{"2 investment shandong 2023-01-31T00:00:00+08:00 12 12|", "3 urban_rate shandong 2023-01-31T00:00:00+08:00 66.5 66.5|"},
		},
		"Template rows with the date filled down but no value are skipped, and said so": {
			dept:      "fgw",
			text:      "指标,名称,单位,地区,数值,截至日期,备注\nurban_rate,常住人口城镇化率,%,山东省,66.5,2023-06-30,\ninvestment,完成投资,亿元,山东省,,2023-06-30,\ninvestment,完成投资,亿元,山东省,—,2023-05-31,暂缺\n",
			want:      []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
			wantWarns: []string{"3:0 : line 3, 4 has a date but no value and was skipped"},
		},
		"A 目标 column beside a value column named as offices do is a reference": {
			dept:      "fgw",
			text:      "指标,目标,实际完成数,截至日期\nurban_rate,66,65,2023-06-30\n",
			want:      []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 65 65|"},
			wantWarns: []string{`1:2 : column "目标" ignored as a reference`},
		},
		"A unit in a column without a header is the row's unit; anything else there is passed over": {
			dept: "zjt",
			text: "指标,地区,数值,,截至日期\nrenovated,济南,131.5,万户,2023-06-30\nrenovated,青岛,1315000,户,2023-06-30\nrenovated,济南,13,万达片区,2023-07-31\nrenovated,青岛,14,约5万,2023-07-31\n",
			want: []string{"2 renovated jinan 2023-06-30T00:00:00+08:00 1.315e+06 131.5|", "3 renovated qingdao 2023-06-30T00:00:00+08:00 1.315e+06 1315000|",
				"4 renovated jinan 2023-07-31T00:00:00+08:00 13 13|", "5 renovated qingdao 2023-07-31T00:00:00+08:00 14 14|"},
		},
		"计量单位 in a title, 单 位 with spaces and a title run into 单位 give the unit; 单位负责人 does not": {
			dept:      "zjt",
			text:      "进度表单位：万户,,单位负责人：万建国,填表人：李四\n计 量 单 位：万户\n指标,地区,数值,截至日期\nrenovated,济南,1.5,2023-03-31\n",
			want:      []string{"4 renovated jinan 2023-03-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{"1:0 : the header is on line 3", "1:0 : values are converted from the unit line 1 names: 万户"},
		},
		"A title that names several units serves each row with its own": {
			dept:      "fgw",
			text:      "表一（单位：亿元、%）\n指标,数值,截至日期\ninvestment,12,2023-01-31\nurban_rate,66.5,2023-01-31\n",
			want:      []string{"3 investment shandong 2023-01-31T00:00:00+08:00 12 12|", "4 urban_rate shandong 2023-01-31T00:00:00+08:00 66.5 66.5|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names: 亿元, %"},
		},
		"An office in the 单位 column is no unit, with 千 in its name too": {
			dept: "zjt",
			text: "指标,地区,单位,数值,截至日期\nrenovated,济南,千佛山街道办事处,131,2023-06-30\n",
			want: []string{"2 renovated jinan 2023-06-30T00:00:00+08:00 131 131|"},
		},
		"Square and lenticular brackets, and two remarks, hold the unit too": {
			dept: "zjt",
			text: "指标,地区,数值【万户】（累计）,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want: []string{"2 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
		},
		"A shortening of the id's own name in 名称 is no other indicator": {
			dept: "fgw",
			text: "指标,名称,数值,截至日期\nurban_rate_rise,常住人口城镇化率,0.9,2023-06-30\n",
			want: []string{"2 urban_rate_rise shandong 2023-06-30T00:00:00+08:00 0.9 0.9|"},
		},
		"A header cell that is no column but names the unit gives it": {
			dept:      "zjt",
			text:      "指标,地区,数值,截至日期,单位：万户\nrenovated,济南,1.5,2023-01-31,\n",
			want:      []string{"2 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{"1:0 : values are converted from the unit line 1 names: 万户"},
		},
		"计量单位 beside 单位 is the unit, 单位 the reporting office": {
			dept:      "zjt",
			text:      "单位,指标,地区,计量单位,数值,截至日期\n省住房城乡建设厅,renovated,济南,万户,1.5,2023-01-31\n",
			want:      []string{"2 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{`1:1 : column "单位" ignored as the reporting office`},
		},
		"Each value column keeps its own unit": {
			dept:      "fgw",
			text:      "指标,本期值（万元）,累计值（亿元）,截至日期\ninvestment,420,,2023-01-31\ninvestment,100,1.5,2023-02-28\n",
			want:      []string{"2 investment shandong 2023-01-31T00:00:00+08:00 0.042 420|", "3 investment shandong 2023-02-28T00:00:00+08:00 1.5 1.5|"},
			wantWarns: []string{`1:2 : column "本期值（万元）" ignored`},
		},
		"Another column's unit in its header is that column's": {
			dept:      "zjt",
			text:      "指标,地区,年度目标（单位：万户）,数值,截至日期\nrenovated,济南,150,1315000,2024-06-30\n",
			want:      []string{"2 renovated jinan 2024-06-30T00:00:00+08:00 1.315e+06 1315000|"},
			wantWarns: []string{`1:3 : column "年度目标（单位：万户）" ignored as a reference`},
		},
		"以万户为单位 in a title gives the unit": {
			dept:      "zjt",
			text:      "进度表（以万户为单位）\n指标,地区,数值,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want:      []string{"3 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names"},
		},
		"单位：万户 with a full stop gives the unit": {
			dept:      "zjt",
			text:      "单位：万户。\n指标,地区,数值,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want:      []string{"3 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names"},
		},
		"单位（万户） gives the unit": {
			dept:      "zjt",
			text:      "单位（万户）\n指标,地区,数值,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want:      []string{"3 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names"},
		},
		"单位 万户 with a space gives the unit": {
			dept:      "zjt",
			text:      "单位 万户\n指标,地区,数值,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want:      []string{"3 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names"},
		},
		"A unit cell followed by another label gives the unit": {
			dept:      "zjt",
			text:      "单位：万户　　　填报日期：2024年7月10日\n指标,地区,数值,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want:      []string{"3 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names"},
		},
		"A title's unit no row's indicator is in leaves the rows in the plan's unit": {
			dept:      "zjt",
			text:      "金额单位：万元\n指标,地区,数值,截至日期\nrenovated,济南,1315000,2023-01-31\n",
			want:      []string{"3 renovated jinan 2023-01-31T00:00:00+08:00 1.315e+06 1315000|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names"},
		},
		"A note below the table repeating the 单位 column's unit, or naming a unit no row is in, is only a note": {
			dept:      "zjt",
			text:      "指标,地区,数值,单位,截至日期\nrenovated,济南,1.5,万户,2023-01-31\n注：单位：万户\n注：金额单位：万元\n",
			want:      []string{"2 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|"},
			wantWarns: []string{"3:0 : totals, notes and signature lines are not indicator data and were ignored"},
		},
		"同上 and 〃 in the 单位 column repeat the unit above": {
			dept: "zjt",
			text: "指标,地区,数值,单位,截至日期\nrenovated,济南,1.5,万户,2023-01-31\nrenovated,青岛,2.5,同上,2023-01-31\nrenovated,济南,3.5,〃,2023-02-28\n",
			want: []string{"2 renovated jinan 2023-01-31T00:00:00+08:00 15000 1.5|", "3 renovated qingdao 2023-01-31T00:00:00+08:00 25000 2.5|",
				"4 renovated jinan 2023-02-28T00:00:00+08:00 35000 3.5|"},
		},
		"Every unit the title names serves the rows it fits": {
			dept:      "fgw",
			text:      "金额单位：亿元；比例单位：%\n指标,数值,截至日期\ninvestment,2,2024-06-30\nurban_rate,66.5,2024-06-30\n",
			want:      []string{"3 investment shandong 2024-06-30T00:00:00+08:00 2 2|", "4 urban_rate shandong 2024-06-30T00:00:00+08:00 66.5 66.5|"},
			wantWarns: []string{"1:0 : the header is on line 2", "1:0 : values are converted from the unit line 1 names"},
		},
		"同上 repeats the 单位 cell of the line above, also of a row skipped": {
			dept:      "zjt",
			text:      "指标,地区,数值,单位,截至日期\nrenovated,济南,5,户,2024-03-31\nrenovated,青岛,,万户,2024-03-31\nrenovated,青岛,2,同上,2024-03-31\n",
			want:      []string{"2 renovated jinan 2024-03-31T00:00:00+08:00 5 5|", "4 renovated qingdao 2024-03-31T00:00:00+08:00 20000 2|"},
			wantWarns: []string{"3:0 : line 3 has a date but no value"},
		},
		"An office after 单位： in a title is no unit": {
			dept:      "zjt",
			text:      "单位：济南市千佛山街道办事处\n指标,地区,数值,截至日期\nrenovated,济南,5,2024-03-31\n",
			want:      []string{"3 renovated jinan 2024-03-31T00:00:00+08:00 5 5|"},
			wantWarns: []string{"1:0 : the header is on line 2"},
		},
		"A header remark that is not a unit is only a remark": {
			dept: "fgw",
			text: "指标,数值（截至年底）,截至日期\nurban_rate,66.5,2023-12-31\n",
			want: []string{"2 urban_rate shandong 2023-12-31T00:00:00+08:00 66.5 66.5|"},
		},
		"Where a sheet has 本期值 and 累计值, the total is read": {
			dept:      "zjt",
			text:      crlf("序号,指标名称,地区,本期值,累计值,截至日期\n1,改造老旧小区（户）,济南市,\"50,000\",\"1,520,000\",2023年第四季度\n"),
			want:      []string{"2 renovated jinan 2023-12-31T00:00:00+08:00 1.52e+06 1,520,000|"},
			wantWarns: []string{`1:4 : column "本期值" ignored: the cumulative value of column 5 "累计值" is read`},
		},
		"Value headers typed with spaces or line breaks rank as written together: 累计值 over 本期值": {
			dept:      "zjt",
			text:      "指标,地区,\"本期\n值\",\"累 计\n值\",截至日期\nrenovated,济南市,50,1520000,2023-12-31\n",
			want:      []string{"4 renovated jinan 2023-12-31T00:00:00+08:00 1.52e+06 1520000|"}, // the header takes lines 1-3
			wantWarns: []string{`1:3 : column "本期\n值" ignored: the cumulative value of column 4`},
		},
		"The plain name 数值 wins over 本期值 in either order": {
			dept:      "zjt",
			text:      "指标,地区,本期值,数值,截至日期\nrenovated,济南市,50,1520000,2023-12-31\n",
			want:      []string{"2 renovated jinan 2023-12-31T00:00:00+08:00 1.52e+06 1520000|"},
			wantWarns: []string{`1:3 : column "本期值" ignored: column 4 "数值" is read`},
		},
		"A 年 份 column, typed with a space, reads a bare year": {
			dept: "fgw",
			text: "指标,数值,年 份\nurban_rate,66.5,2021\n",
			want: []string{"2 urban_rate shandong 2021-12-31T00:00:00+08:00 66.5 66.5|"},
		},
		"A level may be reported as 本期值": {
			dept: "fgw",
			text: "指标,本期值,截至日期\nurban_rate,66.5,2023-06-30\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"A row may leave off an empty last cell": {
			dept: "fgw",
			text: "指标,数值,截至日期,备注\nurban_rate,25,2021-12-31\n",
			want: []string{"2 urban_rate shandong 2021-12-31T00:00:00+08:00 25 25|"},
		},
		"Names typed with half-width brackets, plain quotes or a lowercase letter are found": {
			dept: "zjt",
			text: "指标,地区,数值,截至日期\n改造老旧小区(户),济南市,5,2023-06-30\n改造老旧小区 （户）,青岛市,6,2023-06-30\n",
			want: []string{
				"2 renovated jinan 2023-06-30T00:00:00+08:00 5 5|",
				"3 renovated qingdao 2023-06-30T00:00:00+08:00 6 6|",
			},
		},
		"Columns may come in any order with English names and LF line ends": {
			dept: "fgw",
			text: "as_of,value,indicator\n2023-06-30,66.5,urban_rate\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"Each-city indicators take cities by name or id, and names may have full-width brackets": {
			dept: "zjt",
			text: "指标,地区,数值,截至日期\n改造老旧小区（户）,济南市,\"12,000\",2023/6/30\nrenovated,qingdao,1.2万,2023-06-30\n",
			want: []string{
				"2 renovated jinan 2023-06-30T00:00:00+08:00 12000 12,000|",
				"3 renovated qingdao 2023-06-30T00:00:00+08:00 12000 1.2万|",
			},
		},
		"Indicator ids and regions match in full width and any case": {
			dept: "fgw",
			text: "指标,地区,数值,截至日期\nＵＲＢＡＮ_ＲＡＴＥ,ＳＨＡＮＤＯＮＧ,６６．５％,２０２３－０６－３０\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 ６６．５％|"},
		},
		"A participant may report as well as the lead": {
			dept: "tjj",
			text: "指标,数值,截至日期\nurban_rate,66.5,2023-06-30\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"Values in 万人 are kept in 万人": {
			dept: "rst",
			text: "指标,数值,截至日期\n城镇新增就业,65.3,2023-06\nnew_jobs,\"1,200,000\",2023-12\nnew_jobs,130万,2024-06\n",
			want: []string{
				"2 new_jobs shandong 2023-06-30T00:00:00+08:00 65.3 65.3|",
				"3 new_jobs shandong 2023-12-31T00:00:00+08:00 1.2e+06 1,200,000|",
				"4 new_jobs shandong 2024-06-30T00:00:00+08:00 130 130万|",
			},
		},
		"A milestone reads 完成 and 未完成": {
			dept: "sfj",
			text: "指标,数值,截至日期\n出台物业管理条例,未完成,2023-06-30\nregulation,完成,2023-12-31\n",
			want: []string{
				"2 regulation shandong 2023-06-30T00:00:00+08:00 0 未完成|",
				"3 regulation shandong 2023-12-31T00:00:00+08:00 1 完成|",
			},
		},
		"Blank lines and Excel's empty rows are skipped and line numbers stay physical": {
			dept: "fgw",
			text: crlf("指标,数值,截至日期\n\n,,\n \u3000, ,\nurban_rate,66.5,2023-06-30\n,,\n"),
			want: []string{"5 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"A quoted note spanning lines keeps the next row's line number physical": {
			dept: "fgw",
			text: crlf("指标,数值,截至日期,备注\nurban_rate,66.5,2023-06-30,\"第一行\n第二行, 有逗号\"\nurban_rate,67,2023-12-31,\n"),
			want: []string{
				"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|第一行\n第二行, 有逗号",
				"4 urban_rate shandong 2023-12-31T00:00:00+08:00 67 67|",
			},
		},
		"A tab-separated UTF-8 file is read": {
			dept: "fgw",
			text: "指标\t数值\t截至日期\t备注\nurban_rate\t66.5\t2023-06-30\t\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"An empty cell between tabs stays a cell": {
			dept: "fgw",
			text: "指标\t地区\t数值\t截至日期\nurban_rate\t\t66.5\t2023-06-30\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"Spaces after commas are allowed before a quoted cell": {
			dept: "fgw",
			text: "指标, 数值, 截至日期\nurban_rate, \"66.5\", 2023-06-30\n",
			want: []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
		},
		"Unknown columns are ignored with a warning": {
			dept:      "fgw",
			text:      "指标,数值,截至日期,填报人\nurban_rate,66.5,2023-06-30,张三\n",
			want:      []string{"2 urban_rate shandong 2023-06-30T00:00:00+08:00 66.5 66.5|"},
			wantWarns: []string{`1:4 : unknown column "填报人" ignored`},
		},
		"The coordinator may revise targets of any indicator": {
			dept:     "ldxz",
			text:     "指标,地区,目标值,截至日期\nrenovated,济南市,50000,2024-01-01\ninvestment,,3000亿,2024-01-01\n",
			wantKind: Targets,
			want: []string{
				"2 renovated jinan 2024-01-01T00:00:00+08:00 50000 50000|",
				"3 investment shandong 2024-01-01T00:00:00+08:00 3000 3000亿|",
			},
		},
		"A target revision may give its reasons in a column": {
			dept:     "ldxz",
			text:     "指标,目标,截至日期,调整依据\ninvestment,3000亿,2024-01-01,省政府常务会议纪要\n",
			wantKind: Targets,
			want:     []string{"2 investment shandong 2024-01-01T00:00:00+08:00 3000 3000亿|省政府常务会议纪要"},
		},
		"A target editor may revise targets": {
			dept:     "tjj",
			text:     "指标,target,截至日期\nurban_rate,70%,2024-01-01\n",
			wantKind: Targets,
			want:     []string{"2 urban_rate shandong 2024-01-01T00:00:00+08:00 70 70%|"},
		},
		"The same indicator on different dates or regions is no duplicate": {
			dept: "zjt",
			text: "指标,地区,数值,截至日期\nrenovated,济南市,1,2023-06-30\nrenovated,青岛市,1,2023-06-30\nrenovated,济南市,2,2023-07-31\n",
			want: []string{
				"2 renovated jinan 2023-06-30T00:00:00+08:00 1 1|",
				"3 renovated qingdao 2023-06-30T00:00:00+08:00 1 1|",
				"4 renovated jinan 2023-07-31T00:00:00+08:00 2 2|",
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := mustParse(t, tc.text, tc.dept)
			checkRows(t, f.Rows, tc.want)
			checkProblems(t, f.Warnings, tc.wantWarns)
			want := tc.wantKind
			if want == 0 {
				want = Values
			}
			if f.Kind != want {
				t.Errorf("Kind = %v, want %v", f.Kind, want)
			}
			if f.Encoding != EncodingUTF8 {
				t.Errorf("Encoding = %q, want %q", f.Encoding, EncodingUTF8)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := map[string]struct {
		dept string
		data string
		lim  Limits
		want []string // prefixes of describe(problem), in order
	}{
		"A value in another unit than the indicator's is refused, not stored as if in it": {
			dept: "fgw",
			data: "指标,数值（万元）,截至日期\nurban_rate,66.5,2023-06-30\n",
			want: []string{`2:2 value: unit mismatch: the header says "万元", but indicator urban_rate (常住人口城镇化率) is in "%"`},
		},
		"A header unit offices use but the plan does not is still a unit, and refused if it does not fit": {
			dept: "rst",
			data: "指标,数值(单位:亿元),截至日期\nnew_jobs,110,2023-06-30\n",
			want: []string{`2:2 value: unit mismatch: the header says "亿元", but indicator new_jobs`},
		},
		"An indicator id and a name of another indicator on one row are refused": {
			dept: "fgw",
			data: "指标,名称,数值,截至日期\nurban_rate,完成投资,66.5,2023-06-30\ninvestment,完成投资,12,2023-06-30\n",
			want: []string{`2:2 indicator: the indicator id and name disagree: urban_rate is 常住人口城镇化率, but the name column says 完成投资 (investment)`},
		},
		"A 目标 column beside an unknown column is no target revision": {
			dept: "ldxz",
			data: "指标,目标,实际完成数目,截至日期\nurban_rate,66,65,2023-06-30\n",
			want: []string{`1:3 value: no value column: the header has a 目标 column and the unknown column "实际完成数目"`},
		},
		"A 单位 cell and a header unit that disagree are refused, not one of them guessed": {
			dept: "rst",
			data: "指标,单位,数值（万人）,截至日期\nnew_jobs,人,98.5,2024-09-30\n",
			want: []string{`2:2 unit: units disagree: the unit column says "人", the header "万人"`},
		},
		"A 单位 cell with a magnitude not understood is refused": {
			dept: "zjt",
			data: "指标,地区,数值,单位,截至日期\nrenovated,济南,1.5,万间房,2023-01-31\n",
			want: []string{`2:4 unit: cannot read the unit "万间房"`},
		},
		"A header unit with a magnitude not understood is refused": {
			dept: "zjt",
			data: "指标,地区,数值（万间房）,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want: []string{`1:3 value: cannot read the unit "万间房"`},
		},
		"A title's unit with a magnitude not understood is refused": {
			dept: "zjt",
			data: "进度表（单位：万间房）\n指标,地区,数值,截至日期\nrenovated,济南,1.5,2023-01-31\n",
			want: []string{`1:0 : cannot read the unit "万间房"`},
		},
		"Dates without a single value say where the values should go": {
			dept: "fgw",
			data: "指标,数值,截至日期,备注\nurban_rate,,2023-06-30,66.5\ninvestment,,2023-06-30,12\n",
			want: []string{`2:2 value: line 2, 3 has a date but the value column is empty`},
		},
		"Two magnitudes of the indicator's unit in the header are refused as ambiguous": {
			dept: "rst",
			data: "指标,数值（万人、人）,截至日期\nnew_jobs,12000,2024-06-30\n",
			want: []string{`2:2 value: ambiguous unit: the header names "万人" and "人"`},
		},
		"A note above the data naming another unit is refused too": {
			dept: "zjt",
			data: "指标,地区,数值,截至日期\n说明：单位为万户,,,\nrenovated,济南,5,2024-06-30\n",
			want: []string{`2:0 : a note in the table says the unit is "万户"`},
		},
		"A note naming a unit without a magnitude other than the plan's is refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\ninvestment,20000,2024-06-30\n注：单位为元,,\n",
			want: []string{`3:0 : a note in the table says the unit is "元"`},
		},
		"A unit with a magnitude named only in the 备注 column is refused": {
			dept: "zjt",
			data: "指标,地区,数值,截至日期,备注\nrenovated,济南,131.5,2023-06-30,单位：万户\n",
			want: []string{`2:5 note: the note says the unit is "万户", but the value is read in the indicator's unit "户"`},
		},
		"A unit with a magnitude named only in a note below the table is refused": {
			dept: "zjt",
			data: "指标,地区,数值,截至日期\nrenovated,济南,131.5,2023-06-30\n注：单位为万户\n",
			want: []string{`3:0 : a note in the table says the unit is "万户", but the header does not`},
		},
		"A city value of a province-wide indicator in a table of cities across is refused at its cell": {
			dept: "fgw",
			data: "指标,济南市,截至日期\nurban_rate,66.5,2023-06-30\n",
			want: []string{`2:2 region: indicator urban_rate (常住人口城镇化率) is a province-wide target with no city values: put the province's value in a shandong (全省) column`},
		},
		"A column that is no city of the plan in a table of cities across is refused, not passed over": {
			dept: "zjt",
			data: "指标,济南市,青島市,莱芜市,截至日期\nrenovated,1,2,3,2023-06-30\n",
			want: []string{`1:3 region: unknown column "青島市"`, `1:4 region: unknown column "莱芜市"`},
		},
		"A city given two columns is refused": {
			dept: "zjt",
			data: "指标,济南市,青岛市,济南,截至日期\nrenovated,1,2,3,2023-06-30\n",
			want: []string{`1:4 : column "济南" is the same region as column 2`},
		},
		"A bad value in a table of cities across names its city's column": {
			dept: "zjt",
			data: "指标,济南市,青岛市,截至日期\nrenovated,12000,一千,2023-06-30\n",
			want: []string{`2:3 value: cannot parse number "一千"`},
		},
		"A table filling only the total of an each-city indicator is refused": {
			dept: "zjt",
			data: "指标,济南市,全省,截至日期\nrenovated,,5,2023-06-30\n",
			want: []string{`1:0 : the file fills in only the total over the cities`},
		},
		"A bare 万 for a percentage is refused, not 665000 %": {
			dept: "fgw",
			data: "指标,完成值（万）,截至日期\nurban_rate,66.5,2023-06-30\n",
			want: []string{`2:2 value: unit mismatch: the header says "万", but indicator urban_rate`},
		},
		"An unknown name in the second indicator column is reported at that column": {
			dept: "fgw",
			data: "指标,名称,数值,截至日期\n,没有这个指标,1,2023-06-30\n",
			want: []string{`2:2 indicator: unknown indicator "没有这个指标"`},
		},
		"A 单位 cell that does not fit the indicator is refused": {
			dept: "zjt",
			data: "指标,地区,数值,单位,截至日期\nrenovated,济南市,5,个,2023-06-30\n",
			want: []string{`2:4 unit: unit mismatch: the unit column says "个", but indicator renovated`},
		},
		"An increment reported as 本 期 值 alone is refused, spaces or not": {
			dept: "zjt",
			data: "指标,地区,本 期 值,截至日期\nrenovated,济南市,50000,2023-12-31\n",
			want: []string{`2:3 value: column "本 期 值" holds the period's (a month's, a quarter's) own figure, but indicator renovated`},
		},
		"An increment with only its 本期值 filled beside an empty 累计值 is told why": {
			dept: "zjt",
			data: "指标,地区,本期值,累计值,截至日期\nrenovated,济南市,500,,2023-06-30\n",
			want: []string{`2:3 value: column "本期值" holds the period's (a month's, a quarter's) own figure, but indicator renovated`},
		},
		"An increment reported as 本期值 alone is refused": {
			dept: "zjt",
			data: "指标,地区,本期值,截至日期\nrenovated,济南市,50000,2023-12-31\n",
			want: []string{`2:3 value: column "本期值" holds the period's (a month's, a quarter's) own figure, but indicator renovated`},
		},
		"An unknown indicator is refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\ngdp,5,2023-06-30\n",
			want: []string{`2:1 indicator: unknown indicator "gdp"`},
		},
		"An empty indicator cell is refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\n,5,2023-06-30\n",
			want: []string{`2:1 indicator: missing indicator`},
		},
		"A department that neither leads nor participates may not report": {
			dept: "jyt",
			data: "指标,数值,截至日期\nurban_rate,66.5,2023-06-30\n",
			want: []string{`2:1 indicator: not authorised: department jyt is not lead or participant of indicator urban_rate (常住人口城镇化率)`},
		},
		"An unknown region is refused with the choices": {
			dept: "zjt",
			data: "指标,地区,数值,截至日期\nrenovated,烟台市,5,2023-06-30\n",
			want: []string{`2:2 region: unknown region "烟台市": write shandong, jinan, qingdao`},
		},
		"An each-city indicator's province row alone is a total, not data": {
			dept: "zjt",
			data: "指标,地区,数值,截至日期\nrenovated,山东省,5,2023-06-30\n",
			want: []string{`2:0 : the file holds only totals, notes or signature lines (line 2), no indicator data: totals over the cities are computed, so fill in each city`},
		},
		"An each-city indicator refuses an empty region": {
			dept: "zjt",
			data: "指标,地区,数值,截至日期\nrenovated,,5,2023-06-30\n",
			want: []string{`2:2 region: indicator renovated (改造老旧小区（户）) is set for each city, so the region must be a city (it is shandong)`},
		},
		"An each-city indicator in a file without region column says the column is missing": {
			dept: "zjt",
			data: "指标,数值,截至日期\nrenovated,5,2023-06-30\n",
			want: []string{`2:1 region: indicator renovated (改造老旧小区（户）) is set for each city, so the region must be a city (the file has no region column)`},
		},
		"A province indicator refuses a city": {
			dept: "fgw",
			data: "指标,地区,数值,截至日期\nurban_rate,济南市,66.5,2023-06-30\n",
			want: []string{`2:2 region: indicator urban_rate (常住人口城镇化率) is a province-wide target: leave the region empty or write shandong, not jinan`},
		},
		"A department without the right may not revise targets, with one reason for the file": {
			dept: "fgw",
			data: "指标,目标值,截至日期\nurban_rate,70,2024-01-01\ninvestment,3000,2024-01-01\n",
			want: []string{`1:2 target: not authorised to revise targets: only the coordinating department (ldxz) may revise targets through drops, department fgw may not`},
		},
		"A target must parse like a value": {
			dept: "ldxz",
			data: "指标,目标值,截至日期\nurban_rate,七十,2024-01-01\n",
			want: []string{`2:2 target: cannot parse number "七十"`},
		},
		"The same indicator, region and date twice names both lines": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,66.5,2023-06-30\n常住人口城镇化率,67,2023/6/30\n",
			want: []string{`3:0 : duplicates line 2: the same indicator, region and as_of date may appear only once in a file`},
		},
		"A region by name and by id is the same region for duplicates": {
			dept: "zjt",
			data: "指标,地区,数值,截至日期\nrenovated,济南市,1,2023-06\nrenovated,jinan,2,2023-06-30\n",
			want: []string{`3:0 : duplicates line 2`},
		},
		"A repeat is found after a date out of order": {
			dept: "zjt",
			data: "指标,地区,数值,截至日期\nrenovated,jinan,1,2023-06-30\nrenovated,jinan,2,2023-05-31\nrenovated,qingdao,3,2023-06-30\nrenovated,济南,4,2023-06-30\nrenovated,jinan,5,2023-05\n",
			want: []string{`5:0 : duplicates line 2`, `6:0 : duplicates line 3`},
		},
		"A repeat is found among dates in order": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,1,2023-05-31\ninvestment,2,2023-05-31\nurban_rate,3,2023-06-30\ninvestment,4,2023-05-31\n",
			want: []string{`5:0 : duplicates line 3`},
		},
		"A row with too many fields names the line and the unquoted comma": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,180,000,2023-06-30\n",
			want: []string{`2:0 : the line has 4 fields but the header has 3: quote cells that contain a comma`},
		},
		"A row without its last cells misses what they would give": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,66.5\n",
			want: []string{`2:3 as_of: missing`},
		},
		"An unquoted thousands comma before an empty note is refused, not read as a smaller number": {
			dept: "rst",
			data: "指标,截至日期,数值,备注\nnew_jobs,2023-06-30,1,100,\n",
			want: []string{`2:0 : the line has 5 fields but the header has 4: quote cells that contain a comma`},
		},
		"A row with a filled cell beyond the header is still refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,66.5,2023-06-30,x\n",
			want: []string{`2:0 : the line has 4 fields but the header has 3`},
		},
		"A bare quote names the line": {
			dept: "fgw",
			data: "指标,数值,截至日期,备注\nurban_rate,66.5,2023-06-30,他说\"好\"\n",
			want: []string{`2:0 : a double quote appears in an unquoted cell`},
		},
		"An unclosed quote names where the cell starts": {
			dept: "fgw",
			data: "指标,数值,截至日期,备注\nurban_rate,66.5,2023-06-30,\"未闭合\nurban_rate,67,2023-12-31,\n",
			want: []string{`3:0 : unbalanced double quote (in the cell starting on line 2)`},
		},
		"A percentage of an indicator in 万人 names the unit": {
			dept: "rst",
			data: "指标,数值,截至日期\nnew_jobs,5%,2023-06-30\n",
			want: []string{`2:2 value: this indicator's unit is "万人", not %`},
		},
		"A milestone refuses other words and lists the accepted ones": {
			dept: "sfj",
			data: "指标,数值,截至日期\nregulation,差不多,2023-06-30\n",
			want: []string{`2:2 value: a milestone indicator accepts only 1 (完成, 已完成, 是, √, done) or 0 (未完成, 进行中, 否, ×, not done); got "差不多"`},
		},
		"A future date is refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,66.5,2026-12-31\n",
			want: []string{`2:3 as_of: date "2026-12-31" (2026-12-31) is after today, 2026-07-15`},
		},
		"An invalid calendar date is refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,66.5,2023-02-30\n",
			want: []string{`2:3 as_of: invalid date "2023-02-30"`},
		},
		"Every problem of a row and of every row is listed, not only the first": {
			dept: "fgw",
			data: "指标,地区,数值,截至日期\nurban_rate,济南市,abc,2023-13-01\ngdp,,1,2023-06-30\nurban_rate,,66.5,2023-06-30\ninvestment,,,2023-06-30\nnew_jobs,,5,\n",
			want: []string{
				`2:2 region: indicator urban_rate`,
				`2:3 value: cannot parse number "abc"`,
				`2:4 as_of: invalid date "2023-13-01"`,
				`3:1 indicator: unknown indicator "gdp"`,
				`6:1 indicator: not authorised`,
				`6:4 as_of: missing as_of date`,
			},
		},
		"A problem in a quoted multi-line row names the line of its cell": {
			dept: "fgw",
			data: "指标,备注,数值,截至日期\nurban_rate,\"两行\n备注\",abc,2023-06-30\n",
			want: []string{`3:3 value: cannot parse number "abc"`},
		},
		"A header without data rows is refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\n\n,,\n",
			want: []string{`1:0 : the file has a header but no data rows`},
		},
		"A missing column stops the file before its rows": {
			dept: "fgw",
			data: "指标,数值\nurban_rate,abc\n",
			want: []string{`1:0 as_of: missing required column "as_of" (or "截至日期")`},
		},
		"An empty file is refused": {
			dept: "fgw",
			data: "",
			want: []string{`0:0 : the file is empty`},
		},
		"A file of blank lines is refused as empty": {
			dept: "fgw",
			data: "\xEF\xBB\xBF\r\n \r\n",
			want: []string{`0:0 : the file is empty`},
		},
		"An unknown department is refused before reading": {
			dept: "nobody",
			data: "指标,数值,截至日期\nurban_rate,66.5,2023-06-30\n",
			want: []string{`0:0 : unknown department "nobody"`},
		},
		"An Excel workbook is recognised": {
			dept: "fgw",
			data: "PK\x03\x04\x14\x00\x06\x00",
			want: []string{`0:0 : this is an Excel workbook (.xlsx), not a CSV file`},
		},
		"An old Excel workbook is recognised": {
			dept: "fgw",
			data: "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00",
			want: []string{`0:0 : this is an old Excel workbook (.xls), not a CSV file`},
		},
		"NUL bytes are one clear problem, not one per line": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate\x00,66.5,2023-06-30\nurban_rate\x00,67,2023-12-31\n",
			want: []string{`2:0 : the file contains NUL bytes (from this line on), so it is not a text file`},
		},
		"A file larger than MaxBytes is refused before parsing": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,66.5,2023-06-30\n",
			lim:  Limits{MaxBytes: 10},
			want: []string{`0:0 : the file is 54 bytes, more than the limit of 10: split it`},
		},
		"More data rows than MaxRows are refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\n\nurban_rate,1,2023-01-31\nurban_rate,2,2023-02-28\nurban_rate,3,2023-03-31\n",
			lim:  Limits{MaxRows: 2},
			want: []string{`5:0 : more than 2 data rows: split the file`},
		},
		"A line longer than 1 MiB is refused": {
			dept: "fgw",
			data: "指标,数值,截至日期,备注\nurban_rate,1,2023-01-31," + strings.Repeat("长", 1<<20/3+1) + "\n",
			want: []string{`2:0 : the line is longer than the limit of 1048576 bytes`},
		},
		"A line with more than 1000 columns is refused": {
			dept: "fgw",
			data: "指标,数值,截至日期\nurban_rate,1,2023-01-31" + strings.Repeat(",", 1000) + "\n",
			want: []string{`2:0 : the line has more than 1000 columns`},
		},
		"A header with more than 1000 columns is refused": {
			dept: "fgw",
			data: strings.Repeat("\t", 1000) + "指标\t数值\t截至日期\n",
			want: []string{`1:0 : the line has more than 1000 columns`},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := mustReject(t, []byte(tc.data), tc.dept, tc.lim)
			checkProblems(t, e.Problems, tc.want)
			if e.File != "t.csv" || e.Department != tc.dept {
				t.Errorf("Error names file %q, department %q", e.File, e.Department)
			}
		})
	}
}

// A cell resolved once resolves the same way again, whether it is kept
// (written as the plan has it) or not (written another way, or wrong).
func TestRepeatedCellsResolveAlike(t *testing.T) {
	f := mustParse(t, "指标,地区,数值,截至日期\nrenovated,济南,1,2023-03-31\n改造老旧小区（户）, jinan ,2,2023-04-30\n"+
		"renovated,济南,3,2023-05-31\nＲＥＮＯＶＡＴＥＤ,ＪＩＮＡＮ,4,2023-06-30\n改造老旧小区（户）, jinan ,5,2023-07-31\n"+
		"ＲＥＮＯＶＡＴＥＤ,ＪＩＮＡＮ,6,2023-08-31\n", "zjt")
	if len(f.Rows) != 6 {
		t.Fatalf("got %d rows, want 6", len(f.Rows))
	}
	for _, r := range f.Rows {
		if r.Indicator != "renovated" || r.Region != "jinan" {
			t.Errorf("line %d: %s in %s, want renovated in jinan", r.Line, r.Indicator, r.Region)
		}
	}
	e := mustReject(t, []byte("指标,地区,数值,截至日期\ngdp,,1,2023-03-31\nrenovated,烟台,1,2023-03-31\ngdp,,1,2023-04-30\n"+
		"renovated,烟台,1,2023-04-30\nrenovated,,1,2023-04-30\nrenovated,,1,2023-05-31\n"), "zjt", Limits{})
	checkProblems(t, e.Problems, []string{`2:1 indicator: unknown indicator "gdp"`, `3:2 region: unknown region "烟台"`,
		`4:1 indicator: unknown indicator "gdp"`, `5:2 region: unknown region "烟台"`,
		`6:2 region: indicator renovated (改造老旧小区（户）) is set for each city`, `7:2 region: indicator renovated (改造老旧小区（户）) is set for each city`})
}

// One bad row among a thousand rejects the file: nothing is half-stored.
func TestParseRejectsTheWholeFileForOneBadRow(t *testing.T) {
	var b strings.Builder
	b.WriteString("指标,地区,数值,截至日期\r\n")
	start := day(2023, 1, 1)
	for i := range 999 {
		city := []string{"济南市", "青岛市"}[i%2]
		fmt.Fprintf(&b, "renovated,%s,%d,%s\r\n", city, i, start.AddDate(0, 0, i/2).Format("2006/1/2"))
	}
	good := b.String()
	mustParse(t, good, "zjt") // the 999 rows alone are fine

	bad := good + "renovated,济南市,一千,2023-06-30\r\n"
	e := mustReject(t, []byte(bad), "zjt", Limits{})
	checkProblems(t, e.Problems, []string{`1001:3 value: cannot parse number "一千"`})
}

// MaxRows counts data rows only: the header and blank lines are free.
func TestParseAcceptsExactlyMaxRows(t *testing.T) {
	data := "指标,数值,截至日期\n\n,,\nurban_rate,1,2023-01-31\nurban_rate,2,2023-02-28\n"
	f, err := Parse("t.csv", []byte(data), testPlan(), "fgw", testNow, Limits{MaxRows: 2, MaxBytes: int64(len(data))})
	if err != nil {
		t.Fatalf("a file at both limits was refused: %v", err)
	}
	if len(f.Rows) != 2 {
		t.Fatalf("got %d rows, want 2", len(f.Rows))
	}
}

func TestParseCapsTheProblemList(t *testing.T) {
	var b strings.Builder
	b.WriteString("指标,数值,截至日期\n")
	for range 150 {
		b.WriteString("gdp,1,2023-06-30\n")
	}
	e := mustReject(t, []byte(b.String()), "fgw", Limits{})
	if len(e.Problems) != MaxProblems || e.Omitted != 50 || e.Total() != 150 {
		t.Fatalf("listed %d, omitted %d, total %d; want %d, 50, 150", len(e.Problems), e.Omitted, e.Total(), MaxProblems)
	}
	if last := e.Problems[MaxProblems-1]; last.Line != 101 {
		t.Fatalf("last listed problem is on line %d, want 101 (problems keep file order)", last.Line)
	}
	if !strings.Contains(e.Report(), "and 50 more problem(s) not listed") {
		t.Fatalf("report does not count the omitted problems:\n%s", e.Report())
	}
}

func TestParseNeedsAPlan(t *testing.T) {
	f, err := Parse("t.csv", []byte("指标,数值,截至日期\n"), nil, "fgw", testNow, Limits{})
	if f != nil || err == nil {
		t.Fatalf("Parse with a nil plan = %v, %v; want an error", f, err)
	}
	if _, ok := err.(*Error); ok {
		t.Fatal("a nil plan is the caller's mistake, not a problem of the file")
	}
}

func TestLimitsDefaults(t *testing.T) {
	if got := (Limits{}).withDefaults(); got != DefaultLimits() {
		t.Fatalf("zero Limits = %+v, want %+v", got, DefaultLimits())
	}
	if got := (Limits{MaxRows: 5}).withDefaults(); got.MaxRows != 5 || got.MaxBytes != 32<<20 {
		t.Fatalf("Limits{MaxRows: 5} = %+v", got)
	}
	if DefaultLimits().MaxRows != 200000 {
		t.Fatalf("DefaultLimits = %+v", DefaultLimits())
	}
}

// BenchmarkParse reads a 10,000-row GBK file as Excel writes it.
func BenchmarkParse(b *testing.B) {
	var s strings.Builder
	s.WriteString("指标,地区,数值,截至日期,备注\r\n")
	for i := range 10_000 {
		city := []string{"济南市", "青岛市"}[i%2]
		fmt.Fprintf(&s, "改造老旧小区（户）,%s,\"%d,%03d\",%s,第%d行\r\n", city, i/1000+1, i%1000,
			day(2001, 1, 1).AddDate(0, 0, i/2).Format("2006/1/2"), i)
	}
	data := encode(b, gb18030, s.String())
	plan := testPlan()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("b.csv", data, plan, "zjt", testNow, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A template from the web page lists every indicator a department may
// report; rows left without value and date are not reports and are
// skipped, while a row with only one of them is still an error.
func TestUnfilledTemplateRowsAreSkipped(t *testing.T) {
	p := testPlan()
	// Unfilled: both empty, a dash for no data, or the trailing empty
	// cells left off.
	data := "指标,名称,单位,地区,数值,截至日期\nurban_rate,常住人口城镇化率,%,,,\nurban_rate,常住人口城镇化率,%,,—,\n" +
		"urban_rate,常住人口城镇化率,%,,-,\nurban_rate,常住人口城镇化率,%\nurban_rate,常住人口城镇化率,%,,66.5,2023-06-30\n"
	f, err := Parse("t.csv", []byte(data), p, "fgw", testNow, Limits{})
	if err != nil {
		t.Fatalf("a partly filled template was rejected: %v", err)
	}
	if len(f.Rows) != 1 || f.Rows[0].Value != 66.5 {
		t.Fatalf("rows = %+v", f.Rows)
	}
	if _, err := Parse("t.csv", []byte("指标,数值,截至日期\nurban_rate,—,2023-06-30\n"), p, "fgw", testNow, Limits{}); err == nil {
		t.Fatal("a row with a date and a dash for its value was accepted")
	}
	if _, err := Parse("t.csv", []byte("指标,数值,截至日期\nurban_rate,,2023-06-30\n"), p, "fgw", testNow, Limits{}); err == nil {
		t.Fatal("a row with a date but no value was accepted")
	}
}

// Forms made for printing carry lines besides the data: a title and the
// reporting office above the header, totals and notes below. They are
// ignored with a warning, and Stream reads them as Parse does.
func TestFormLinesAroundTheData(t *testing.T) {
	p := testPlan()
	for name, c := range map[string]struct {
		dept, data string
		want       string // the rows, as indicator/region=value
		warnings   []string
		problem    string
	}{
		"A title above the header": {dept: "fgw",
			data: "山东省新型城镇化指标报送表\n指标,数值,截至日期\nurban_rate,65.5,2026-06-30\n",
			want: "urban_rate/shandong=65.5", warnings: []string{"表头在第 2 行，其上的第 1 行"}},
		"A title, a blank line and the office": {dept: "fgw",
			data: "山东省新型城镇化指标报送表,,\n\n填报单位：省发展改革委,,填报日期：2026年7月5日\n指标,数值,截至日期\nurban_rate,65.5,2026-06-30\n",
			want: "urban_rate/shandong=65.5", warnings: []string{"表头在第 4 行，其上的第 1–3 行", "lines 1-3"}},
		"No header within the first lines": {dept: "fgw",
			data:    "报送表\n" + strings.Repeat("urban_rate,65.5,2026-06-30\n", 12),
			problem: "missing required column"},
		"A total and a note below the data": {dept: "zjt",
			data: "指标,地区,数值,截至日期\nrenovated,济南市,100,2026-06-30\nrenovated,青岛市,200,2026-06-30\n合 计,,300,2026-06-30\n注：数据来源于各市住建局,,,2026-06-30\n",
			want: "renovated/jinan=100 renovated/qingdao=200", warnings: []string{"第 4, 5 行"}},
		"The cities' total of an each-city indicator": {dept: "zjt",
			data: "指标,地区,数值,截至日期\nrenovated,济南市,100,2026-06-30\nrenovated,合计,100,2026-06-30\n",
			want: "renovated/jinan=100", warnings: []string{"第 3 行"}},
		"全省 and 合计 name the province of a province-wide indicator": {dept: "fgw",
			data: "指标,地区,数值,截至日期\nurban_rate,全省,65.5,2026-06-30\ninvestment,合计,50,2026-06-30\n",
			want: "urban_rate/shandong=65.5 investment/shandong=50"},
		"An unknown indicator is still refused": {dept: "fgw",
			data:    "指标,数值,截至日期\n注册人口,5,2026-06-30\n",
			problem: "unknown indicator"},
	} {
		t.Run(name, func(t *testing.T) {
			sameAsParse(t, []byte(c.data), c.dept, false)
			f, err := Parse("f.csv", []byte(c.data), p, c.dept, testNow, Limits{})
			if c.problem != "" {
				if err == nil || !strings.Contains(err.Error(), c.problem) {
					t.Fatalf("want a problem %q, got %v", c.problem, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range f.Rows {
				got = append(got, fmt.Sprintf("%s/%s=%v", r.Indicator, r.Region, r.Value))
			}
			if strings.Join(got, " ") != c.want {
				t.Fatalf("rows %q, want %q", strings.Join(got, " "), c.want)
			}
			var ws []string
			for _, w := range f.Warnings {
				ws = append(ws, w.Zh+" | "+w.En)
			}
			for _, w := range c.warnings {
				if !strings.Contains(strings.Join(ws, "\n"), w) {
					t.Errorf("warnings %q do not say %q", ws, w)
				}
			}
			if len(c.warnings) == 0 && len(ws) > 0 {
				t.Errorf("unexpected warnings %q", ws)
			}
		})
	}
}

// Offices write remarks into header cells (数值（%）), name columns their
// own way (统计截止日期, 报告期, 年份) and type spaces into names.
func TestOfficeHeadersAndNames(t *testing.T) {
	p := testPlan()
	for name, c := range map[string]struct {
		data, want string // want: indicator/region=value@as_of
		warn       string
	}{
		"A unit in brackets after the column name": {
			data: "指标名称,数值（%）,截至日期（年月日）\n常住人口城镇化率,65.5,2026-06-30\n", want: "urban_rate/shandong=65.5@2026-06-30"},
		"Half-width brackets and office names": {
			data: "指标名称,完成值(%),统计截止日期\n常住人口城镇化率,65.5,2026-06-30\n", want: "urban_rate/shandong=65.5@2026-06-30"},
		"A report period column": {
			data: "指标,数值,报告期\nurban_rate,65.5,2026年一季度\n", want: "urban_rate/shandong=65.5@2026-03-31"},
		"A column of years": {
			data: "指标,数值,年份\nurban_rate,65.5,2025\n", want: "urban_rate/shandong=65.5@2025-12-31"},
		"A column of years with a remark": {
			data: "指标,数值,年度（年）\nurban_rate,65.5,２０２５\n", want: "urban_rate/shandong=65.5@2025-12-31"},
		"A column of years written as 年度": {
			data: "指标,数值,年度\nurban_rate,65.5,2025年度\n", want: "urban_rate/shandong=65.5@2025-12-31"},
		"A space typed into a name": {
			data: "指标,数值,截至日期\n常住人口 城镇化率,65.5,2026-06-30\n", want: "urban_rate/shandong=65.5@2026-06-30"},
		"A space typed into a region": {
			data: "指标,地区,数值,截至日期\nurban_rate,山 东 省,65.5,2026-06-30\n", want: "urban_rate/shandong=65.5@2026-06-30"},
		"Two date columns: the first is read": {
			data: "指标,数值,截至日期,时间\nurban_rate,65.5,2026-06-30,上午\n", want: "urban_rate/shandong=65.5@2026-06-30", warn: "时间"},
	} {
		t.Run(name, func(t *testing.T) {
			sameAsParse(t, []byte(c.data), "fgw", false)
			f, err := Parse("f.csv", []byte(c.data), p, "fgw", testNow, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range f.Rows {
				got = append(got, fmt.Sprintf("%s/%s=%v@%s", r.Indicator, r.Region, r.Value, r.AsOf.Format(time.DateOnly)))
			}
			if strings.Join(got, " ") != c.want {
				t.Fatalf("rows %q, want %q", got, c.want)
			}
			if (c.warn == "") != (len(f.Warnings) == 0) || (c.warn != "" && !strings.Contains(f.Warnings[0].Zh, c.warn)) {
				t.Fatalf("warnings %v, want one about %q", f.Warnings, c.warn)
			}
		})
	}
	// Outside a column of years a plain number is still not a date.
	if _, err := Parse("f.csv", []byte("指标,数值,截至日期\nurban_rate,65.5,2025\n"), p, "fgw", testNow, Limits{}); err == nil ||
		!strings.Contains(err.Error(), "cannot parse date") {
		t.Fatalf("2025 in 截至日期: %v", err)
	}
}

// A table with one column per indicator is refused with what to do
// instead, not with a missing value column.
func TestIndicatorsAsColumnsAreExplained(t *testing.T) {
	data := "地区,常住人口城镇化率（%）,城镇新增就业,截至日期\n全省,65.5,50,2026-06-30\n"
	_, err := Parse("wide.csv", []byte(data), testPlan(), "fgw", testNow, Limits{})
	var e *Error
	if !errors.As(err, &e) || len(e.Problems) != 1 {
		t.Fatalf("want one problem, got %v", err)
	}
	pr := e.Problems[0]
	for _, w := range []string{"常住人口城镇化率、城镇新增就业", "每个指标一行", "指标,地区,数值,截至日期"} {
		if !strings.Contains(pr.Zh, w) {
			t.Errorf("problem %q does not say %q", pr.Zh, w)
		}
	}
	if pr.Line != 1 || !strings.Contains(pr.En, "one row per indicator") {
		t.Errorf("problem %+v", pr)
	}
	sameAsParse(t, []byte(data), "fgw", false)

	// A plan name with brackets of its own is recognised as written.
	_, err = Parse("wide.csv", []byte("地区,改造老旧小区（户）,截至日期\n济南市,100,2026-06-30\n"), testPlan(), "zjt", testNow, Limits{})
	if !errors.As(err, &e) || len(e.Problems) != 1 || !strings.Contains(e.Problems[0].Zh, "改造老旧小区") {
		t.Fatalf("want the indicator column named, got %v", err)
	}
}

// A clerk reads the Chinese half: departments and regions by name there,
// not by the ids the English half keeps.
func TestChineseMessagesNameDepartmentsAndRegions(t *testing.T) {
	for name, tc := range map[string]struct {
		dept, data string
		want       []string
	}{
		"not authorised": {"jyt", "指标,数值,截至日期\nurban_rate,66.5,2023-06-30\n",
			[]string{"省教育厅（jyt）不是指标 urban_rate", "请由牵头部门（省发展改革委（fgw））上报"}},
		"a city for a province-wide target": {"fgw", "指标,地区,数值,截至日期\nurban_rate,济南,66.5,2023-06-30\n",
			[]string{"地区请留空或填写 山东省，不能是 济南市"}},
		"the province for an each-city target": {"zjt", "指标,地区,数值,截至日期\nrenovated,shandong,5,2023-06-30\n",
			[]string{"只有合计、注释或签字栏（第 2 行）", "请逐市填写"}}, // the province's row is the cities' total
		"only a total row": {"zjt", "指标,地区,数值,截至日期\nrenovated,合计,5,2023-06-30\n",
			[]string{"只有合计、注释或签字栏（第 2 行）", "请逐市填写"}},
	} {
		t.Run(name, func(t *testing.T) {
			e := mustReject(t, []byte(tc.data), tc.dept, Limits{})
			if len(e.Problems) != 1 {
				t.Fatalf("want one problem, got %v", e.Problems)
			}
			for _, w := range tc.want {
				if !strings.Contains(e.Problems[0].Zh, w) {
					t.Errorf("%q lacks %q", e.Problems[0].Zh, w)
				}
			}
		})
	}
}

// A target revision that could change nothing is refused with the reason,
// rather than taken with a receipt.
func TestTargetRevisionsThatChangeNothingAreRefused(t *testing.T) {
	p := testPlan()
	start, deadline := day(2021, 1, 1), day(2024, 1, 1) // deadline: the end of 2023-12-31
	for _, tg := range p.Targets {
		tg.Start, tg.Deadline = start, deadline
	}
	annual, _ := p.Target("new_jobs")
	annual.Period = indicators.Annual
	for name, c := range map[string]struct {
		row  string
		want string // "" accepted
	}{
		"a checkpoint inside the span":      {"urban_rate,68,2022-12-31", ""},
		"the final target, on the deadline": {"urban_rate,70,2023-12-31", ""},
		"before the start":                  {"urban_rate,68,2020-06-30", "is before indicator urban_rate starts"},
		"after the deadline":                {"urban_rate,70,2024-06-30", "is after indicator urban_rate's deadline 2023-12-31"},
		"a milestone":                       {"regulation,1,2022-12-31", "is a milestone"},
		"an annual target on another date":  {"new_jobs,120,2022-12-31", "date a revision on its deadline, 2023-12-31"},
		"an annual target on its deadline":  {"new_jobs,120,2023-12-31", ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("t.csv", []byte("指标,目标值,截至日期\n"+c.row+"\n"), p, "ldxz", testNow, Limits{})
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("got %v, want a refusal saying %q", err, c.want)
			}
		})
	}
}

// A problem of a cell the cities across share (the date) is said once.
func TestSharedCellProblemIsSaidOnce(t *testing.T) {
	e := mustReject(t, []byte("指标,济南市,青岛市,截至日期\nrenovated,1,2,下半年\n"), "zjt", Limits{})
	if len(e.Problems) != 1 {
		t.Fatalf("problems %v, want the date once", e.Problems)
	}
}
