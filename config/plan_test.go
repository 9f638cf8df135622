package config_test

// These tests prove that the shipped plan (plan.toml) encodes the seed plan
// (附件 1《深入推进新型城镇化重点任务分工》) faithfully. They are written from
// the seed, not from the plan: the seed file is parsed here, every number in
// every task text is extracted, and each must be either the target of an
// indicator of that task or listed below, with a reason, as a number that is
// not a target. Nothing of the seed can be dropped or altered silently.

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
)

const (
	planFile = "plan.toml"
	// seedFile is a byte-exact copy of the seed 000_469444dcf5859137.txt;
	// seedSHA256 guards it against being edited to fit the plan.
	seedFile   = "testdata/seed/000_469444dcf5859137.txt"
	seedSHA256 = "4f6a41d958350cd5d11a24862f547ba1223d619d539aa10f6c6090cb41061af0"
	seedTasks  = 102
)

// wordTargets are targets a task states in a word, not in digits: 全部
// and 全面 are 100 % of what follows. Each entry must be used.
var wordTargets = []struct {
	task       int
	id, phrase string
	value      float64
	// 全部采用 under 持续推进: for everything new, at all times; 全面执行
	// and 实现全覆盖 with a date (2023 年底前): a level reached by then.
	period indicators.Period
}{
	{35, "new_buses_new_energy_share", "新增城市公共汽（电）车全部采用新能源汽车", 100, indicators.Sustained},
	{42, "new_civil_buildings_green_share", "城镇新建民用建筑全面执行绿色建筑标准", 100, indicators.ByDeadline},
	{69, "street_elderly_care_centers", "街道综合养老服务中心实现全覆盖", 100, indicators.ByDeadline},
}

// nonTargets lists every number in the seed's task texts that is not a
// target, keyed by task and by the number as written (spaces removed, with
// its 万/亿 and %). Each entry must be used.
var nonTargets = []struct {
	task int
	raw  string
	why  string
}{
	{1, "2023", "year of the target (到 2023 年), the same as the deadline"},
	{4, "5", "“5G” names the technology"},
	{11, "5", "“5G” names the technology"},
	{19, "2.0", "“教育信息化 2.0” names the programme"},
	{26, "1000亿", "工业总产值过1000亿元 is the threshold for a zone to count"},
	{28, "2005", "2005年以前建成 is the year that qualifies the estates"},
	{28, "3", "3年 is the length of the programme (2021–2023)"},
	{32, "2023", "year of the target (到 2023 年), the same as the deadline"},
	{35, "2023", "year of the target (到 2023 年), encoded as a checkpoint"},
	{48, "1", "“1小时交通圈” names the circle"},
	{56, "3", "3 年行动 is the length of the programme"},
	{66, "3", "3年行动 is the length of the programme"},
	{70, "3", "3岁以下 defines the age group"},
	{77, "9", "9 类 counts the groups covered by the standards"},
	{95, "10万", "镇区人口过10万 is the threshold for a new small city"},
	{95, "10亿", "地方财政收入过10亿元 is the threshold for a new small city"},
}

// chineseNonTargets lists every Chinese numeral followed by a measure word
// (三级, 第二轮, 一批…) in the task texts; none of them is a target.
var chineseNonTargets = []struct {
	task   int
	phrase string
	why    string
}{
	{3, "三级", "rating grade of a smart city (三级以上)"},
	{11, "第五代", "第五代超高速光纤网络 names the technology"},
	{11, "双千", "“双千兆” names the project"},
	{11, "一批", "打造一批 is not a count"},
	{22, "十强", "“十强”产业 names the industries"},
	{28, "一区", "“一区一策” is a working method"},
	{28, "一策", "“一区一策” is a working method"},
	{31, "两网", "“两网融合” names the merger of two networks"},
	{49, "四桥", "“四桥四隧” names the crossings"},
	{49, "四隧", "“四桥四隧” names the crossings"},
	{63, "第四期", "第四期学前教育行动计划 names the programme"},
	{65, "一轮", "新一轮…“攀登计划” names the programme round"},
	{67, "二级", "二级以上综合医院 is the hospital grade"},
	{87, "第二轮", "第二轮土地承包 names the contract round"},
	{87, "一轮", "新一轮农村宅基地制度改革试点 names the reform round"},
}

// unitless lists target numbers of the seed that are not directly followed
// by the indicator's unit, with the reason.
var unitless = []struct {
	task int
	raw  string
	why  string
}{
	{9, "2.25", "城乡居民收入比 is a ratio without unit (2.25:1)"},
	{57, "5万", "5 万返乡入乡人员: the unit is people, written as a noun"},
	{57, "50万", "50 万农民: the unit is people, written as a noun"},
}

// provinceWideShares lists tasks whose clause names 各市 although its number
// is a share for the province as a whole.
var provinceWideShares = map[int]string{
	3: "各市和 90% 的县（市、区）: 90% is the share of counties; 各市 is the separate per-city milestone",
}

// unitAliases are measure words the seed uses for a unit.
var unitAliases = map[string][]string{
	"百分点": {"个百分点"},
	"人":   {"名"},
}

// --- seed parsing ---

type seedTask struct {
	num      int
	line     int
	section  string
	text     string
	lead     []string
	parts    []string
	deadline string // as written, whitespace removed
}

var (
	taskNumRE    = regexp.MustCompile(`^[0-9]+$`)
	sectionRE    = regexp.MustCompile(`^[一二三四五六七八九十]+、\S`)
	seedDateRE   = regexp.MustCompile(`^([0-9]{4})年底前?$`)
	fullwidthRE  = regexp.MustCompile(`[０-９．]`)
	whitespaceRE = regexp.MustCompile(`[\s\p{Zs}]+`)
)

func noSpace(s string) string { return whitespaceRE.ReplaceAllString(s, "") }

// splitDepts splits a 牵头部门 / 参与部门 cell on 、 and removes whitespace
// inside each name (“国家统计局 山东调查总队”).
func splitDepts(cell string) []string {
	var out []string
	for _, p := range strings.Split(cell, "、") {
		if n := noSpace(p); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func readSeed(t *testing.T) []seedTask {
	t.Helper()
	data, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != seedSHA256 {
		t.Fatalf("%s is not the seed 000_469444dcf5859137.txt (sha256 %x)", seedFile, sum)
	}
	var (
		tasks   []seedTask
		section string
		header  bool
	)
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		first := strings.TrimSpace(f[0])
		rest := strings.TrimSpace(strings.Join(f[1:], ""))
		switch {
		case strings.HasPrefix(noSpace(first), "序号"):
			header = true
		case !header:
			// Title lines above the first table header (附件 1, the title).
			if len(f) > 1 {
				t.Fatalf("seed line %d: table row before the first header: %q", n, line)
			}
		case sectionRE.MatchString(first) && rest == "":
			section = first
		case taskNumRE.MatchString(first):
			if len(f) < 5 {
				t.Fatalf("seed line %d: task row with %d columns, want 5: %q", n, len(f), line)
			}
			for _, extra := range f[5:] {
				if strings.TrimSpace(extra) != "" {
					t.Fatalf("seed line %d: unexpected column %q", n, extra)
				}
			}
			num, _ := strconv.Atoi(first)
			if section == "" {
				t.Fatalf("seed line %d: task %d before any section heading", n, num)
			}
			tasks = append(tasks, seedTask{num: num, line: n, section: section, text: f[1],
				lead: splitDepts(f[2]), parts: splitDepts(f[3]), deadline: noSpace(f[4])})
		default:
			t.Fatalf("seed line %d: cannot classify %q", n, line)
		}
	}
	if len(tasks) != seedTasks {
		t.Fatalf("seed has %d tasks, want %d", len(tasks), seedTasks)
	}
	for i, st := range tasks {
		if st.num != i+1 {
			t.Fatalf("seed line %d: task %d where %d was expected", st.line, st.num, i+1)
		}
		if st.text == "" || len(st.lead) == 0 || st.deadline == "" {
			t.Fatalf("seed line %d: task %d lacks text, lead or deadline", st.line, st.num)
		}
		if fullwidthRE.MatchString(st.text) {
			t.Fatalf("seed line %d: task %d has full-width digits the extractor does not read", st.line, st.num)
		}
	}
	return tasks
}

// seedDeadline is the deadline a seed 完成时限 means: the end of 31 December
// (“2023 年底前”, “2021年底”) in Beijing time, or zero for 持续推进.
func seedDeadline(t *testing.T, st seedTask, loc *time.Location) time.Time {
	t.Helper()
	if st.deadline == "持续推进" {
		return time.Time{}
	}
	m := seedDateRE.FindStringSubmatch(st.deadline)
	if m == nil {
		t.Fatalf("task %d: unknown 完成时限 %q", st.num, st.deadline)
	}
	y, _ := strconv.Atoi(m[1])
	return time.Date(y, 12, 31+1, 0, 0, 0, 0, loc)
}

// --- number extraction ---

// seedNumber is one number in a task text.
type seedNumber struct {
	raw        string  // as written without spaces: "18万", "66%", "2.25"
	value      float64 // with 万 / 亿 multiplied out
	percent    bool
	start, end int // byte offsets of the whole match in the text
}

var numberRE = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)(?:[\s\p{Zs}]*(万|亿))?(?:[\s\p{Zs}]*([%％]))?`)

func extractNumbers(text string) []seedNumber {
	var out []seedNumber
	for _, m := range numberRE.FindAllStringSubmatchIndex(text, -1) {
		digits := text[m[2]:m[3]]
		v, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			panic(err)
		}
		n := seedNumber{raw: digits, value: v, start: m[0], end: m[1]}
		if m[4] >= 0 {
			mult := text[m[4]:m[5]]
			n.raw += mult
			n.value = v * multiplier(mult)
		}
		if m[6] >= 0 {
			n.raw += "%"
			n.percent = true
		}
		out = append(out, n)
	}
	return out
}

func multiplier(s string) float64 {
	switch s {
	case "万":
		return 1e4
	case "亿":
		return 1e8
	}
	return 1
}

// unitScale splits a unit such as "万元/亩" into its multiplier and base unit.
func unitScale(unit string) (float64, string) {
	for _, p := range []string{"万", "亿"} {
		if rest, ok := strings.CutPrefix(unit, p); ok && rest != "" {
			return multiplier(p), rest
		}
	}
	return 1, unit
}

func sameValue(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func isClauseEnd(r rune) bool { return strings.ContainsRune("，。；,;", r) }

// clause returns the byte range of the clause (between ，。；) around n.
func clauseAround(text string, n seedNumber) (int, int) {
	start := strings.LastIndexFunc(text[:n.start], isClauseEnd)
	if start < 0 {
		start = 0
	} else {
		_, size := utf8.DecodeRuneInString(text[start:])
		start += size
	}
	end := strings.IndexFunc(text[n.end:], isClauseEnd)
	if end < 0 {
		end = len(text)
	} else {
		end += n.end
	}
	return start, end
}

func TestPlanNumberExtractor(t *testing.T) {
	cases := []struct {
		text    string
		raw     string
		value   float64
		percent bool
	}{
		{"投运 5G 基站 18 万个以上", "18万", 180000, false},
		{"新增绿色建筑 2.5 亿平方米", "2.5亿", 250000000, false},
		{"到 2023 年达到 66% 以上", "66%", 66, true},
		{"回收利用率达到30%以上", "30%", 30, true},
		{"收入比降至2.25。", "2.25", 2.25, false},
		{"提高1.5个百分点", "1.5", 1.5, false},
		{"覆盖2000万人口", "2000万", 20000000, false},
		{"占比 60 ％", "60%", 60, true},
	}
	for _, c := range cases {
		ns := extractNumbers(c.text)
		found := false
		for _, n := range ns {
			if n.raw == c.raw && n.value == c.value && n.percent == c.percent {
				found = true
			}
		}
		if !found {
			t.Errorf("extractNumbers(%q) = %+v, want %s = %v (percent %v)", c.text, ns, c.raw, c.value, c.percent)
		}
	}
}

// --- the plan against the seed ---

func loadShippedPlan(t *testing.T) *indicators.Plan {
	t.Helper()
	p, err := config.LoadFile(planFile)
	if err != nil {
		t.Fatalf("load %s: %v", planFile, err)
	}
	return p
}

func indicatorsByTask(p *indicators.Plan) map[int][]*indicators.Target {
	m := map[int][]*indicators.Target{}
	for _, tg := range p.Targets {
		m[tg.Task] = append(m[tg.Task], tg)
	}
	return m
}

func TestPlanMatchesSeed(t *testing.T) {
	seed := readSeed(t)
	p := loadShippedPlan(t)
	if p.Location.String() != "Asia/Shanghai" {
		t.Errorf("plan timezone %s, want Asia/Shanghai (the seed's dates are Beijing time)", p.Location)
	}
	tasks := indicatorsByTask(p)

	// The plan starts on 1 January of the first of the “3年” of task 28
	// (3年改造老旧小区150万户, 完成时限 2023年底): 2021-01-01.
	st28 := seed[27]
	m := regexp.MustCompile(`([0-9]+)年改造`).FindStringSubmatch(st28.text)
	if m == nil {
		t.Fatalf("task 28 has no “N年改造”: %q", st28.text)
	}
	years, _ := strconv.Atoi(m[1])
	end := seedDeadline(t, st28, p.Location)
	wantStart := time.Date(end.Year()-years, 1, 1, 0, 0, 0, 0, p.Location)
	if !p.Start.Equal(wantStart) {
		t.Errorf("plan start %s, want %s (task 28: %d年, deadline %s)", p.Start, wantStart, years, st28.deadline)
	}

	names := map[string]string{} // department id -> name
	for _, d := range p.Departments {
		names[d.ID] = d.Name
	}
	deptNames := func(ids []string) []string {
		out := []string{}
		for _, id := range ids {
			out = append(out, names[id])
		}
		return out
	}

	order := 0
	for _, st := range seed {
		ts := tasks[st.num]
		if len(ts) == 0 {
			t.Errorf("task %d (seed line %d) has no indicator", st.num, st.line)
			continue
		}
		want := seedDeadline(t, st, p.Location)
		for _, tg := range ts {
			where := "task " + strconv.Itoa(st.num) + " " + tg.ID
			if tg.Description != st.text {
				t.Errorf("%s: text\n got %q\nwant %q", where, tg.Description, st.text)
			}
			if tg.Section != st.section {
				t.Errorf("%s: section %q, want %q", where, tg.Section, st.section)
			}
			if !tg.Deadline.Equal(want) {
				t.Errorf("%s: deadline %s, want %s (完成时限 %s)", where, tg.Deadline, want, st.deadline)
			}
			if got := deptNames(tg.Lead); !sameStrings(got, st.lead) {
				t.Errorf("%s: lead %v = %v, want %v", where, tg.Lead, got, st.lead)
			}
			if got := deptNames(tg.Participants); !sameStrings(got, st.parts) {
				t.Errorf("%s: participants %v = %v, want %v", where, tg.Participants, got, st.parts)
			}
		}
	}
	// Indicators appear in task order.
	for _, tg := range p.Targets {
		if tg.Task < order {
			t.Errorf("indicator %s (task %d) is out of task order", tg.ID, tg.Task)
		}
		order = tg.Task
		if tg.Task < 1 || tg.Task > seedTasks {
			t.Errorf("indicator %s: task %d is not in the seed", tg.ID, tg.Task)
		}
	}
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestPlanNumbers checks every number of the seed both ways: each target is a
// number of its task's text (value, multiplier, percent, unit, direction,
// 左右, 每年 / 稳定在 read from the text), and each number of the text is a
// target or a listed non-target.
func TestPlanNumbers(t *testing.T) {
	seed := readSeed(t)
	p := loadShippedPlan(t)
	tasks := indicatorsByTask(p)

	type key struct {
		task int
		raw  string
	}
	allowed := map[key]string{}
	for _, e := range nonTargets {
		allowed[key{e.task, e.raw}] = e.why
	}
	noUnit := map[key]bool{}
	for _, e := range unitless {
		noUnit[key{e.task, e.raw}] = true
	}
	usedAllowed := map[key]bool{}
	usedWords := map[int]bool{}
	defer func() {
		for i, e := range wordTargets {
			if !usedWords[i] {
				t.Errorf("word target %s of task %d (%q) is not in the plan", e.id, e.task, e.phrase)
			}
		}
	}()
	usedNoUnit := map[key]bool{}

	for _, st := range seed {
		text := st.text
		nums := extractNumbers(text)
		claimed := make([]bool, len(nums))
		for _, tg := range tasks[st.num] {
			where := "task " + strconv.Itoa(st.num) + " " + tg.ID
			if tg.Scope == indicators.EachCity && !strings.Contains(text, "各市") {
				t.Errorf("%s: scope each_city but the task text does not say 各市", where)
			}
			for _, c := range tg.Checkpoints {
				checkCheckpoint(t, where, text, tg, c, nums, p.Location)
			}
			if tg.Kind != indicators.Quantitative {
				if tg.Tolerance != 0 {
					t.Errorf("%s: a milestone has a tolerance", where)
				}
				continue
			}
			if tg.Measure == indicators.Level && tg.HasBaseline {
				t.Errorf("%s: baseline set, but the seed gives none", where)
			}
			if w := wordTarget(st.num, tg.ID); w >= 0 {
				usedWords[w] = true
				e := wordTargets[w]
				if !strings.Contains(text, e.phrase) || tg.Value != e.value || tg.Unit != "%" || tg.Direction != indicators.AtLeast ||
					tg.Measure != indicators.Level || tg.Period != e.period || tg.Tolerance != 0 {
					t.Errorf("%s: %q in the text is a share of at least %v %% (level, %s, no tolerance); got %v %s %s %s %s ±%v",
						where, e.phrase, e.value, e.period, tg.Value, tg.Unit, tg.Direction, tg.Measure, tg.Period, tg.Tolerance)
				}
				continue
			}
			mult, base := unitScale(tg.Unit)
			percent := tg.Unit == "%"
			var hits []int
			for i, n := range nums {
				if n.percent == percent && sameValue(n.value, tg.Value*mult) {
					hits = append(hits, i)
				}
			}
			if len(hits) != 1 {
				t.Errorf("%s: target %v %s matches %d numbers of the text %q, want exactly 1", where, tg.Value, tg.Unit, len(hits), text)
				continue
			}
			i := hits[0]
			n := nums[i]
			claimed[i] = true
			k := key{st.num, n.raw}

			// Unit: the text after the number starts with it.
			after := strings.TrimLeftFunc(text[n.end:], unicode.IsSpace)
			unitOK := percent
			prefixes := []string{base}
			if before, _, ok := strings.Cut(base, "/"); ok {
				prefixes = append(prefixes, before)
			}
			prefixes = append(prefixes, unitAliases[base]...)
			for _, pre := range prefixes {
				if !percent && strings.HasPrefix(after, pre) {
					unitOK = true
				}
			}
			if noUnit[k] {
				usedNoUnit[k] = true
				if unitOK {
					t.Errorf("%s: %s is listed as unitless but is followed by its unit %q", where, n.raw, tg.Unit)
				}
			} else if !unitOK {
				t.Errorf("%s: unit %q, but the text has %s%s", where, tg.Unit, n.raw, firstRunes(after, 4))
			}

			cs, ce := clauseAround(text, n)
			before := strings.TrimRightFunc(text[cs:n.start], unicode.IsSpace)
			rest := text[n.end:ce]

			// Direction: 降至 / 不超 / 不高于 right before the number.
			atMost := false
			for _, cue := range []string{"降至", "不超", "不超过", "不高于"} {
				if strings.HasSuffix(before, cue) {
					atMost = true
				}
			}
			if atMost != (tg.Direction == indicators.AtMost) {
				t.Errorf("%s: direction %s, but the text says %q", where, tg.Direction, text[cs:ce])
			}
			// 左右 after the number ⇔ a tolerance, and a small one.
			approx := strings.Contains(rest, "左右")
			if approx != (tg.Tolerance > 0) {
				t.Errorf("%s: tolerance %v, but 左右 in the clause is %v: %q", where, tg.Tolerance, approx, text[cs:ce])
			}
			if tg.Tolerance > 0.1*tg.Value*(1+1e-9) {
				t.Errorf("%s: tolerance %v is more than 10%% of the target %v", where, tg.Tolerance, tg.Value)
			}
			// 每年 / 年均 ⇔ annual; 稳定在 ⇔ sustained.
			wantPeriod := indicators.ByDeadline
			switch {
			case strings.Contains(before, "每年") || strings.Contains(before, "年均"):
				wantPeriod = indicators.Annual
			case strings.Contains(before, "稳定在"), strings.HasSuffix(rest, "等标准"), strings.Contains(rest, "等标准"):
				// 稳定在…, and …以上等标准: a level to hold, not to reach once.
				wantPeriod = indicators.Sustained
			}
			if tg.Period != wantPeriod {
				t.Errorf("%s: period %s, but the clause %q means %s", where, tg.Period, text[cs:ce], wantPeriod)
			}
			if tg.Period == indicators.Annual && tg.Measure != indicators.Increment {
				t.Errorf("%s: an annual target is a year-to-date increment", where)
			}
			// Measure: an increment is something added; 新增 / 新建 never describe a level.
			switch tg.Measure {
			case indicators.Increment:
				if !containsAny(before, "新增", "新建", "建设", "建成", "改造", "改扩建", "培育", "吸引", "带动", "扶持", "提高", "实施") {
					t.Errorf("%s: measure increment, but nothing is added in %q", where, text[cs:ce])
				}
				if tg.Baseline != 0 {
					t.Errorf("%s: an increment counts from 0", where)
				}
			case indicators.Level:
				if containsAny(before, "新增", "新建") {
					t.Errorf("%s: measure level, but the clause %q counts new ones", where, text[cs:ce])
				}
			}
			// 各市 in the clause ⇔ each_city, except where the number is a province-wide share.
			_, provinceWide := provinceWideShares[st.num]
			if wantEach := strings.Contains(text[cs:ce], "各市") && !provinceWide; wantEach != (tg.Scope == indicators.EachCity) {
				t.Errorf("%s: scope %s, but the clause is %q", where, tg.Scope, text[cs:ce])
			}
		}

		if strings.Contains(text, "各市") {
			each := false
			for _, tg := range tasks[st.num] {
				each = each || tg.Scope == indicators.EachCity
			}
			if !each {
				t.Errorf("task %d says 各市 but has no each_city indicator", st.num)
			}
		}

		// Converse: every number of the text is a target or a listed non-target.
		for i, n := range nums {
			k := key{st.num, n.raw}
			why, ok := allowed[k]
			if ok {
				usedAllowed[k] = true
			}
			switch {
			case claimed[i] && ok:
				t.Errorf("task %d: %s is a target but listed as a non-target (%s)", st.num, n.raw, why)
			case !claimed[i] && !ok:
				t.Errorf("task %d: number %s of the seed is no indicator's target and not listed in nonTargets: %q", st.num, n.raw, text)
			}
		}

		// Chinese numerals with a measure word are never targets here; each must be listed.
		for _, ph := range chineseCounts(text) {
			found := false
			for _, e := range chineseNonTargets {
				if e.task == st.num && e.phrase == ph {
					found = true
				}
			}
			if !found {
				t.Errorf("task %d: Chinese numeral %q is neither a target nor listed in chineseNonTargets", st.num, ph)
			}
		}
	}
	for _, e := range nonTargets {
		if !usedAllowed[key{e.task, e.raw}] {
			t.Errorf("nonTargets entry {%d, %q} matches no number of the seed", e.task, e.raw)
		}
	}
	for _, e := range unitless {
		if !usedNoUnit[key{e.task, e.raw}] {
			t.Errorf("unitless entry {%d, %q} matches no target", e.task, e.raw)
		}
	}
	for _, e := range chineseNonTargets {
		if !hasString(chineseCounts(seed[e.task-1].text), e.phrase) {
			t.Errorf("chineseNonTargets entry {%d, %q} is not in the task text", e.task, e.phrase)
		}
	}
}

// checkCheckpoint accepts a checkpoint only as “到 YYYY 年 … N”: its value a
// number of the text and its date the end of a year the text names.
func checkCheckpoint(t *testing.T, where, text string, tg *indicators.Target, c indicators.Checkpoint, nums []seedNumber, loc *time.Location) {
	t.Helper()
	mult, _ := unitScale(tg.Unit)
	ok := false
	for _, n := range nums {
		if n.percent == (tg.Unit == "%") && sameValue(n.value, c.Value*mult) {
			ok = true
		}
	}
	if !ok {
		t.Errorf("%s: checkpoint value %v is not a number of the text", where, c.Value)
	}
	y := c.Date.In(loc).Add(-time.Nanosecond).Year()
	if !c.Date.Equal(time.Date(y, 12, 31+1, 0, 0, 0, 0, loc)) || !strings.Contains(noSpace(text), "到"+strconv.Itoa(y)+"年") {
		t.Errorf("%s: checkpoint at %s is not the end of a year the text names as 到 %d 年", where, c.Date.Add(-time.Nanosecond).Format("2006-01-02"), y)
	}
}

var chineseCountRE = regexp.MustCompile(`第?[一二三四五六七八九十两双]+(?:个|级|轮|期|代|类|座|所|家|处|批|名|户|年|项|条|张|台|万|亿|千|百|倍|成|桥|隧|网|区|策|强|号|次|人|公里|小时)`)

// chineseCounts finds Chinese numerals followed by a measure word (三级,
// 第二轮, 一批…), which the Arabic extractor does not see.
func chineseCounts(text string) []string {
	return chineseCountRE.FindAllString(text, -1)
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func hasString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// TestPlanDepartments checks that every body of the seed's 牵头部门 / 参与部门
// columns is a department of the plan with its exact name, and that the plan
// invents none.
// A word target with a date (全面执行…, 实现全覆盖, 2023 年底前) is a level to
// reach by then: 98 % reported for March 2021 leaves it on track, not
// lagging. Only one that must hold at all times (sustained) is behind at
// once.
func TestPlanWordTargetsWithADateHaveUntilThen(t *testing.T) {
	p := loadShippedPlan(t)
	byID := map[string]*indicators.Target{}
	for _, tg := range p.Targets {
		byID[tg.ID] = tg
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, p.Location) }
	// Received on 2 April, judged on 5 April: before the next report is
	// due (10 April), so the series is not stale.
	obs := []indicators.Observation{indicators.At(day(2021, 3, 31), 98, day(2021, 4, 2))}
	now := day(2021, 4, 5)
	for _, w := range wordTargets {
		tg := byID[w.id]
		if tg == nil {
			t.Errorf("word target %s of task %d is not in the plan", w.id, w.task)
			continue
		}
		want := indicators.OnTrack
		if w.period == indicators.Sustained {
			want = indicators.Lagging
		}
		if e := indicators.EvaluateSeries(tg, "shandong", obs, now, p.LagMargin); e.Status != want {
			t.Errorf("task %d %s (period %s): 98 %% as of 2021-03-31 is %s on 2021-04-05, want %s",
				w.task, w.id, tg.Period, e.Status, want)
		}
	}
}

func TestPlanDepartments(t *testing.T) {
	seed := readSeed(t)
	p := loadShippedPlan(t)

	inSeed := map[string]bool{}
	for _, st := range seed {
		for _, n := range append(append([]string{}, st.lead...), st.parts...) {
			inSeed[n] = true
		}
	}
	inPlan := map[string]string{}
	for _, d := range p.Departments {
		if prev, dup := inPlan[d.Name]; dup {
			t.Errorf("department name %q used by both %s and %s", d.Name, prev, d.ID)
		}
		inPlan[d.Name] = d.ID
		if !inSeed[d.Name] {
			t.Errorf("department %s %q is not named in the seed", d.ID, d.Name)
		}
	}
	for n := range inSeed {
		if _, ok := inPlan[n]; !ok {
			t.Errorf("seed body %q has no [[department]]", n)
		}
	}
	if d, ok := p.Department(p.Coordinator); !ok || d.Name != "省发展改革委" {
		t.Errorf("coordinator %q, want 省发展改革委 (office of the leading group)", p.Coordinator)
	}

	// Regions: the province and the 16 cities of “16市政府” (task 102).
	m := regexp.MustCompile(`^([0-9]+)市政府$`).FindStringSubmatch(seed[101].lead[0])
	if m == nil {
		t.Fatalf("task 102 lead %q is not “N市政府”", seed[101].lead[0])
	}
	cities, _ := strconv.Atoi(m[1])
	if got := len(p.Cities()); got != cities {
		t.Errorf("plan has %d cities, the seed names %d市政府", got, cities)
	}
	if _, ok := p.Region("山东省"); !ok || p.ProvinceID() == "" {
		t.Errorf("province 山东省 missing")
	}
	for _, c := range []string{"济南市", "青岛市", "济宁市", "烟台市"} { // named in tasks 14, 25, 48, 73, 91, 93
		if _, ok := p.Region(c); !ok {
			t.Errorf("city %s named in the seed is not a region", c)
		}
	}
}

// TestPlanIndicatorNames checks that names and ids are unique and present.
func TestPlanIndicatorNames(t *testing.T) {
	p := loadShippedPlan(t)
	names := map[string]string{}
	ids := map[string]bool{}
	for _, tg := range p.Targets {
		if tg.Name == "" {
			t.Errorf("%s: no name", tg.ID)
		}
		if prev, dup := names[tg.Name]; dup {
			t.Errorf("name %q used by both %s and %s", tg.Name, prev, tg.ID)
		}
		names[tg.Name] = tg.ID
		if ids[tg.ID] {
			t.Errorf("duplicate id %s", tg.ID)
		}
		ids[tg.ID] = true
	}
}

// wordTarget is the index in wordTargets of an indicator, or -1.
func wordTarget(task int, id string) int {
	for i, e := range wordTargets {
		if e.task == task && e.id == id {
			return i
		}
	}
	return -1
}

// 推进情况每年报送 (task 102) is reported once a year: its schedule asks
// for the year's report on 10 January, not for one every quarter, which
// would leave every city stale from April on.
func TestYearlyReportHasAYearlySchedule(t *testing.T) {
	plan := loadShippedPlan(t)
	tg, ok := plan.Target("city_annual_progress_reports")
	if !ok || tg.ReportDue == nil {
		t.Fatal("city_annual_progress_reports has no report schedule")
	}
	last := time.Date(2025, 12, 31, 0, 0, 0, 0, plan.Location)
	if got, want := indicators.NextReportDue(tg, last), time.Date(2027, 1, 10, 0, 0, 0, 0, plan.Location); !got.Equal(want) {
		t.Errorf("after the 2025 report the next is due %s, want %s", got, want)
	}
}
