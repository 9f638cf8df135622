package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // minimal images lack zoneinfo; the plan's dates are Beijing time

	"github.com/BurntSushi/toml"
	"github.com/robfig/cron/v3"

	"github.com/shandong/indicator_exporter/indicators"
)

// Problem is one thing wrong with a plan file, located by line and key.
type Problem struct {
	File string
	Line int
	Key  string // e.g. indicator[12].deadline
	Msg  string // Chinese / English
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Key, p.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, p.Key, p.Msg)
}

// Error lists every problem found in a plan file, so a planner fixes them
// in one pass instead of one per reload.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "计划文件有 %d 处错误 / plan file has %d problem(s):", len(e.Problems), len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Brief is one problem for a page banner, in Chinese: the file's own
// name, the line, the key and the Chinese half of the message, preferring
// an unknown key (a typo such as targt is what makes "target missing"),
// and how many there are in all.
func (e *Error) Brief() string {
	if len(e.Problems) == 0 {
		return ""
	}
	p := e.Problems[0]
	for _, q := range e.Problems {
		if strings.HasPrefix(q.Msg, "未知的键") {
			p = q
			break
		}
	}
	zh, _, _ := strings.Cut(p.Msg, " / ")
	s := fmt.Sprintf("%s 第 %d 行 %s：%s", filepath.Base(p.File), p.Line, p.Key, zh)
	if n := len(e.Problems); n > 1 {
		s += fmt.Sprintf("（共 %d 处问题，计划管理员可用 indicator_exporter check 查看全部）", n)
	}
	return s
}

// LoadFile reads and validates the plan at path.
func LoadFile(path string) (*indicators.Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("无法读取计划文件（路径是否正确、是否有读取权限？）/ cannot read plan file: %w", err)
	}
	return Load(path, data)
}

// Load decodes data strictly (unknown keys are errors), applies defaults
// and validates. name is used in error messages.
func Load(name string, data []byte) (*indicators.Plan, error) {
	var f File
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Problems: []Problem{decodeProblem(name, data, pe.Position.Line, pe.LastKey, pe.Message)}}
		}
		// Type mismatches come as "toml: line 31 (last key "x"): ...".
		if m := typeErrRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, &Error{Problems: []Problem{decodeProblem(name, data, line, m[2], m[3])}}
		}
		return nil, &Error{Problems: []Problem{{File: name, Key: "-", Msg: "TOML 解析失败 / cannot decode TOML: " + err.Error()}}}
	}
	v := &validator{file: name, lines: newLineIndex(data), ids: map[string][]string{}}
	for _, d := range f.Departments {
		v.ids["department"] = append(v.ids["department"], d.ID)
	}
	for _, r := range f.Regions {
		v.ids["region"] = append(v.ids["region"], r.ID)
	}
	for _, in := range f.Indicators {
		v.ids["indicator"] = append(v.ids["indicator"], in.ID)
	}
	v.undecoded(md)
	p := v.plan(&f)
	if len(v.problems) > 0 {
		sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
		return nil, &Error{Problems: v.problems}
	}
	return p, nil
}

type validator struct {
	file     string
	lines    *lineIndex
	problems []Problem
	ids      map[string][]string // the id of each element of a [[table]], as written
}

func (v *validator) add(table string, elem int, key, zh, en string, args ...any) {
	k := table
	if elem >= 0 && table != "plan" {
		k = fmt.Sprintf("%s[%d]", table, elem+1)
	}
	if key != "" {
		k += "." + key
	}
	// indicator[39] alone sends a planner counting tables; the id finds it.
	if ids := v.ids[table]; elem >= 0 && elem < len(ids) && ids[elem] != "" {
		k += " (" + ids[elem] + ")"
	}
	v.problems = append(v.problems, Problem{File: v.file, Line: v.lines.line(table, elem, key), Key: k,
		Msg: fmt.Sprintf(zh, args...) + " / " + fmt.Sprintf(en, args...)})
}

// undecoded reports keys the schema does not know: usually typos such as
// "deadlne", which would otherwise silently drop a field.
func (v *validator) undecoded(md toml.MetaData) {
	und := map[string]bool{}
	for _, k := range md.Undecoded() {
		und[k.String()] = true
	}
	if len(und) == 0 {
		return
	}
	// Keys come in document order and each [[table]] element contributes
	// its own one-part key, which gives the element index.
	seen := map[string]int{}
	for _, k := range md.Keys() {
		if len(k) == 1 {
			seen[k[0]]++
		}
		if !und[k.String()] {
			continue
		}
		table, elem := k[0], seen[k[0]]-1
		if len(k) == 1 {
			elem = -1
		}
		v.add(table, elem, lastPart(k), "未知的键 %q（拼写错误？）", "unknown key %q (typo?)", strings.Join(k[1:], "."))
	}
}

func lastPart(k toml.Key) string {
	if len(k) < 2 {
		return ""
	}
	return k[len(k)-1]
}

var (
	idRE      = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	typeErrRE = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)
)

func (v *validator) plan(f *File) *indicators.Plan {
	p := &indicators.Plan{
		Name:          f.Plan.Name,
		Source:        f.Plan.Source,
		LagMargin:     0.1,
		Coordinator:   f.Plan.Coordinator,
		TargetEditors: f.Plan.TargetEditors,
	}
	tz := f.Plan.Timezone
	if tz == "" {
		tz = "Asia/Shanghai"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		v.add("plan", 0, "timezone", "未知时区 %q", "unknown time zone %q", tz)
		loc = time.UTC
	}
	p.Location = loc
	if f.Plan.LagMargin != nil {
		p.LagMargin = *f.Plan.LagMargin
		if !(p.LagMargin >= 0 && p.LagMargin < 1) { // also refuses nan
			v.add("plan", 0, "lag_margin", "应在 0 到 1 之间（进度比例），实为 %v", "must be a progress ratio in [0, 1), got %v", p.LagMargin)
		}
	}
	if !f.Plan.Start.Set || f.Plan.Start.Ongoing {
		v.add("plan", 0, "start", "缺少计划开始日期", "plan start date is required")
	} else {
		p.Start = f.Plan.Start.startOf(loc)
	}
	if f.Plan.Name == "" {
		v.add("plan", 0, "name", "缺少计划名称", "plan name is required")
	}

	depts := map[string]bool{}
	deptNames := map[string]bool{}
	for i, d := range f.Departments {
		if d.Name != "" && deptNames[d.Name] {
			v.add("department", i, "name", "部门名称 %q 重复", "duplicate department name %q", d.Name)
		}
		deptNames[d.Name] = true
		switch {
		case !idRE.MatchString(d.ID):
			v.add("department", i, "id", "部门 id %q 须为小写 ASCII（用作收件夹名）", "department id %q must be lower-case ASCII [a-z0-9_] (it names the inbox folder)", d.ID)
		case depts[d.ID]:
			v.add("department", i, "id", "部门 id %q 重复", "duplicate department id %q", d.ID)
		}
		if d.Name == "" {
			v.add("department", i, "name", "缺少部门名称", "department name is required")
		}
		depts[d.ID] = true
		p.Departments = append(p.Departments, indicators.Department{ID: d.ID, Name: d.Name})
	}
	checkDept := func(table string, elem int, key, id string) {
		if !depts[id] {
			v.add(table, elem, key, "未知部门 %q（请先在 [[department]] 中定义）", "unknown department %q (define it in a [[department]] table)", id)
		}
	}
	if p.Coordinator != "" {
		checkDept("plan", 0, "coordinator", p.Coordinator)
	}
	for _, d := range p.TargetEditors {
		checkDept("plan", 0, "target_editors", d)
	}

	regions := map[string]bool{}
	provinces := 0
	for i, r := range f.Regions {
		switch {
		case !idRE.MatchString(r.ID):
			v.add("region", i, "id", "地区 id %q 须为小写 ASCII", "region id %q must be lower-case ASCII [a-z0-9_]", r.ID)
		case regions[r.ID] || regions[r.Name]:
			v.add("region", i, "id", "地区 %q 重复", "duplicate region %q", r.ID)
		}
		lvl := indicators.RegionLevel(r.Level)
		switch lvl {
		case indicators.ProvinceLevel:
			provinces++
			if provinces > 1 {
				v.add("region", i, "level", "只能有一个 level = \"province\" 的地区（其余应为 city）", "only one region may have level = \"province\" (the others are cities)")
			}
		case indicators.CityLevel:
		default:
			v.add("region", i, "level", "地区级别应为 province 或 city，实为 %q", "level must be province or city, got %q", r.Level)
		}
		regions[r.ID], regions[r.Name] = true, true
		p.Regions = append(p.Regions, indicators.Region{ID: r.ID, Name: r.Name, Level: lvl})
	}
	if provinces == 0 {
		v.add("region", 0, "level", "须有一个 level = \"province\" 的地区", "one region must have level = \"province\"")
	}

	parser := cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	defSchedule := f.Plan.ReportSchedule
	if defSchedule != "" {
		if _, err := parser.Parse(defSchedule); err != nil {
			v.add("plan", 0, "report_schedule", "无效的 cron 表达式 %q: %v", "invalid cron expression %q: %v", defSchedule, err)
			defSchedule = "" // reported once here, not again for every indicator inheriting it
		}
	}

	ids := map[string]int{}
	names := map[string]int{}
	for i := range f.Indicators {
		t := v.indicator(i, &f.Indicators[i], p, defSchedule, parser, checkDept)
		if t == nil {
			continue
		}
		if prev, dup := ids[t.ID]; dup {
			v.add("indicator", i, "id", "指标 id %q 重复（第 %d 个指标已使用）", "duplicate indicator id %q (already used by indicator[%d])", t.ID, prev+1)
		}
		// Clerks may name an indicator by its Chinese name, so it must
		// be unique too.
		if prev, dup := names[t.Name]; dup && t.Name != "" {
			v.add("indicator", i, "name", "指标名称 %q 重复（第 %d 个指标已使用）", "duplicate indicator name %q (already used by indicator[%d])", t.Name, prev+1)
		}
		ids[t.ID] = i
		names[t.Name] = i
		p.Targets = append(p.Targets, t)
	}
	p.Index()
	return p
}

func (v *validator) indicator(i int, in *Indicator, p *indicators.Plan, defSchedule string,
	parser cron.Parser, checkDept func(string, int, string, string)) *indicators.Target {
	const tb = "indicator"
	loc := p.Location
	bad := func(key, zh, en string, args ...any) { v.add(tb, i, key, zh, en, args...) }

	t := &indicators.Target{
		ID: in.ID, Task: in.Task, Section: in.Section, Name: in.Name, Description: in.Text, Unit: in.Unit,
		Kind:      indicators.Kind(orDefault(in.Kind, string(indicators.Quantitative))),
		Direction: indicators.Direction(orDefault(in.Direction, string(indicators.AtLeast))),
		Measure:   indicators.Measure(orDefault(in.Measure, string(indicators.Level))),
		Period:    indicators.Period(orDefault(in.Period, string(indicators.ByDeadline))),
		Scope:     indicators.Scope(orDefault(in.Scope, string(indicators.Province))),
		Tolerance: in.Tolerance, Lead: in.Lead, Participants: in.Participants,
	}
	if !idRE.MatchString(in.ID) {
		bad("id", "指标 id %q 须为小写 ASCII", "indicator id %q must be lower-case ASCII [a-z0-9_]", in.ID)
	}
	if in.Task <= 0 {
		bad("task", "缺少任务序号", "task number (序号) is required")
	}
	if in.Name == "" {
		bad("name", "缺少指标名称", "name is required")
	}
	oneOf := func(key, got string, allowed ...string) {
		for _, a := range allowed {
			if got == a {
				return
			}
		}
		bad(key, "取值应为 %s 之一，实为 %q", "must be one of %s, got %q", strings.Join(allowed, " | "), got)
	}
	oneOf("kind", string(t.Kind), "quantitative", "milestone")
	oneOf("direction", string(t.Direction), "at_least", "at_most")
	oneOf("measure", string(t.Measure), "level", "increment")
	oneOf("period", string(t.Period), "by_deadline", "annual", "sustained")
	oneOf("scope", string(t.Scope), "province", "each_city")

	if t.Kind == indicators.Milestone {
		t.Value, t.Direction = 1, indicators.AtLeast
		t.Baseline, t.HasBaseline = 0, true
		if in.Target != nil && *in.Target != 1 {
			bad("target", "里程碑指标的目标只能是 1（完成）", "a milestone's target is 1 (done); remove target or set it to 1")
		}
	} else {
		if in.Target == nil {
			bad("target", "定量指标缺少目标值", "a quantitative indicator needs a target")
		} else {
			t.Value = *in.Target
		}
		if in.Unit == "" {
			bad("unit", "定量指标缺少单位", "a quantitative indicator needs a unit")
		}
	}
	if in.Tolerance < 0 {
		bad("tolerance", "容差不能为负", "tolerance must not be negative")
	}
	// Settings that would be silently ignored or make any report meet
	// the target.
	if t.Kind == indicators.Milestone && in.Tolerance != 0 {
		bad("tolerance", "里程碑指标只有完成与未完成，不能设容差（左右）：请删除 tolerance", "a milestone is done or not: it takes no tolerance; remove tolerance")
	}
	if t.Kind == indicators.Milestone && t.Period == indicators.Sustained {
		bad("period", "里程碑指标不能是 sustained（稳定在）：完成即达标，请用 by_deadline，每年报送的用 annual", "a milestone cannot be sustained: use by_deadline, or annual for a yearly one")
	}
	if t.Kind == indicators.Quantitative && in.Target != nil && in.Tolerance > 0 && !math.IsInf(in.Tolerance, 0) && in.Tolerance >= math.Abs(*in.Target) {
		bad("tolerance", "容差 %v 不小于目标 %v：“左右”的容差应远小于目标值（如目标 15、容差 1）", "tolerance %v is not smaller than the target %v: a 左右 tolerance is a small part of the target", in.Tolerance, *in.Target)
	}
	// TOML has nan and inf; no target, baseline or tolerance is either,
	// and one would silently take the indicator's progress away.
	finite := func(key string, v *float64) {
		if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
			bad(key, "须为有限的数值，实为 %v", "must be a finite number, got %v", *v)
		}
	}
	finite("target", in.Target)
	finite("baseline", in.Baseline)
	finite("tolerance", &in.Tolerance)
	for j := range in.Checkpoints {
		if v := in.Checkpoints[j].Value; math.IsNaN(v) || math.IsInf(v, 0) {
			bad("checkpoints", "第 %d 个检查点的值须为有限的数值，实为 %v", "checkpoint %d must have a finite value, got %v", j+1, v)
		}
	}

	// Dates.
	t.Start = p.Start
	if in.Start.Set {
		if in.Start.Ongoing {
			bad("start", "开始日期不能是 ongoing", "start must be a date")
		} else {
			t.Start = in.Start.startOf(loc)
		}
	}
	switch {
	case !in.Deadline.Set:
		bad("deadline", "缺少完成时限（日期或 \"ongoing\"）", "deadline is required: a date, or \"ongoing\" for 持续推进")
	case in.Deadline.Ongoing:
	default:
		t.Deadline = in.Deadline.endOf(loc)
		if !t.Start.IsZero() && !t.Deadline.After(t.Start) {
			bad("deadline", "完成时限 %s 早于开始日期 %s", "deadline %s is before the start %s", in.Deadline, t.Start.Format("2006-01-02"))
		}
	}

	// Baseline.
	switch {
	case in.Baseline != nil:
		t.Baseline, t.HasBaseline = *in.Baseline, true
		t.BaselineDate = t.Start
		if in.BaselineAt.Set && !in.BaselineAt.Ongoing {
			t.BaselineDate = in.BaselineAt.startOf(loc)
		}
		if in.BaselineSrc == "" {
			bad("baseline_source", "基期值须注明公开来源（baseline_source）", "a baseline needs a cited public source in baseline_source")
		}
	case t.Measure == indicators.Increment && t.Kind == indicators.Quantitative:
		// 新增…: the reported value is the total added since start.
		t.Baseline, t.HasBaseline, t.BaselineDate = 0, true, t.Start
	}
	if t.Period == indicators.Annual && t.Kind == indicators.Quantitative && t.Measure == indicators.Increment {
		t.Baseline, t.HasBaseline = 0, true
	}
	if in.Target != nil && t.HasBaseline && t.Kind == indicators.Quantitative && t.Period != indicators.Sustained {
		if t.Direction == indicators.AtMost && t.Value > t.Baseline && t.Measure == indicators.Level {
			bad("target", "“降至/不超”目标 %v 高于基期值 %v", "an at_most target %v is above its baseline %v", t.Value, t.Baseline)
		}
		// A level may start above an at_least target only if it must not
		// fall (checked below for levels); an increment counts up from its
		// baseline, so one above the target has nothing left to do.
		if t.Direction == indicators.AtLeast && t.Value < t.Baseline && t.Measure == indicators.Increment && in.Baseline != nil {
			bad("baseline", "新增类指标的基期值 %v 高于目标 %v：基期值是开始时已有的数，请核对", "an increment's baseline %v is above its target %v: the baseline is the count at the start; check it", t.Baseline, t.Value)
		}
		if t.Direction == indicators.AtLeast && t.Value < t.Baseline && t.Measure == indicators.Level {
			bad("target", "“达到”目标 %v 低于基期值 %v", "an at_least target %v is below its baseline %v", t.Value, t.Baseline)
		}
	}

	// Checkpoints must lie between start and deadline, in date order.
	var prev time.Time
	for j, c := range in.Checkpoints {
		if !c.Date.Set || c.Date.Ongoing {
			bad("checkpoints", "第 %d 个检查点缺少日期", "checkpoint %d needs a date", j+1)
			continue
		}
		at := c.Date.endOf(loc)
		if at.Before(t.Start) || (!t.Deadline.IsZero() && at.After(t.Deadline)) {
			bad("checkpoints", "检查点 %s 不在开始日期与完成时限之间", "checkpoint %s is outside start..deadline", c.Date)
		}
		if !prev.IsZero() && !at.After(prev) {
			bad("checkpoints", "检查点须按日期递增", "checkpoints must be in increasing date order")
		}
		prev = at
		t.Checkpoints = append(t.Checkpoints, indicators.Checkpoint{Date: at, Value: c.Value})
	}

	if len(in.Lead) == 0 {
		bad("lead", "缺少牵头部门", "at least one lead department is required")
	}
	for _, d := range in.Lead {
		checkDept(tb, i, "lead", d)
	}
	for _, d := range in.Participants {
		checkDept(tb, i, "participants", d)
	}

	sched := orDefault(in.ReportSchedule, defSchedule)
	if sched != "" {
		s, err := parser.Parse(withZone(sched, loc))
		if err != nil {
			bad("report_schedule", "无效的 cron 表达式 %q: %v", "invalid cron expression %q: %v", sched, err)
		} else {
			t.ReportDue = s.Next
		}
	}
	return t
}

// withZone pins a schedule to the plan's zone: without it a UTC server
// would expect "0 9 * * *" reports at 17:00 Beijing time.
func withZone(spec string, loc *time.Location) string {
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		return spec
	}
	return "CRON_TZ=" + loc.String() + " " + spec
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
