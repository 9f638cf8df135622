package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

var update = flag.Bool("update", false, "rewrite the golden .err files in testdata/invalid")

// Each file in testdata/invalid holds one mistake a planner could make;
// its .err file is the exact message the planner reads.
func TestInvalidPlansNameFileLineAndKey(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid plans found: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".toml"), func(t *testing.T) {
			_, err := LoadFile(f)
			if err == nil {
				t.Fatal("invalid plan was accepted")
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("want *config.Error, got %T: %v", err, err)
			}
			for _, p := range pe.Problems {
				if p.Line == 0 {
					t.Errorf("problem without a line number: %s", p)
				}
			}
			golden := strings.TrimSuffix(f, ".toml") + ".err"
			if *update {
				if err := os.WriteFile(golden, []byte(err.Error()+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, rerr := os.ReadFile(golden)
			if rerr != nil {
				t.Fatalf("missing golden file (run go test ./config -update): %v", rerr)
			}
			if got := err.Error() + "\n"; got != string(want) {
				t.Errorf("error differs from %s\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

const validPlan = `
[plan]
name = "测试计划"
start = 2021-01-01
coordinator = "ndrc"
target_editors = ["housing"]
lag_margin = 0.15
report_schedule = "0 0 10 1,4,7,10 *"

[[department]]
id = "ndrc"
name = "省发展改革委"

[[department]]
id = "housing"
name = "省住房城乡建设厅"

[[region]]
id = "shandong"
name = "山东省"
level = "province"

[[region]]
id = "jinan"
name = "济南市"
level = "city"

[[indicator]]
id = "renovated_households"
task = 28
section = "三、深入实施城镇建设绿色化行动"
name = "老旧小区改造户数"
unit = "户"
measure = "increment"
target = 1500000
deadline = 2023-12-31
lead = ["housing"]
participants = ["ndrc"]
checkpoints = [
  { date = 2021-12-31, value = 500000 },
  { date = 2022-12-31, value = 1000000 },
]

[[indicator]]
id = "income_ratio"
task = 9
name = "城乡居民收入比"
unit = "倍"
direction = "at_most"
target = 2.25
deadline = "2023-12-31"
lead = ["ndrc"]

[[indicator]]
id = "new_jobs"
task = 2
name = "城镇新增就业"
unit = "人"
measure = "increment"
period = "annual"
target = 1100000
deadline = "ongoing"
lead = ["ndrc"]

[[indicator]]
id = "medical_waste"
task = 33
name = "医疗废物集中处置设施"
unit = "处"
scope = "each_city"
measure = "increment"
target = 1
deadline = 2023-12-31
lead = ["ndrc"]

[[indicator]]
id = "plan_issued"
task = 51
name = "省级新区发展规划印发"
kind = "milestone"
deadline = 2021-12-31
lead = ["ndrc"]
`

func TestValidPlanIsReadWithDefaultsAndDates(t *testing.T) {
	p, err := Load("plan.toml", []byte(validPlan))
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	if p.Location.String() != "Asia/Shanghai" || p.LagMargin != 0.15 || !p.Start.Equal(time.Date(2021, 1, 1, 0, 0, 0, 0, sh)) {
		t.Fatalf("plan settings: %v %v %v", p.Location, p.LagMargin, p.Start)
	}
	r, ok := p.Target("renovated_households")
	if !ok {
		t.Fatal("indicator not found by id")
	}
	if byName, ok := p.Target("老旧小区改造户数"); !ok || byName != r {
		t.Fatal("indicator not found by its Chinese name")
	}
	// 2023年底前 includes the whole of 31 December.
	if want := time.Date(2024, 1, 1, 0, 0, 0, 0, sh); !r.Deadline.Equal(want) {
		t.Errorf("deadline = %v, want end of 2023-12-31 %v", r.Deadline, want)
	}
	if !r.HasBaseline || r.Baseline != 0 {
		t.Errorf("an increment's baseline is 0 by definition, got %v %v", r.HasBaseline, r.Baseline)
	}
	if len(r.Checkpoints) != 2 || r.Checkpoints[1].Value != 1000000 || !r.Checkpoints[0].Date.Equal(time.Date(2022, 1, 1, 0, 0, 0, 0, sh)) {
		t.Errorf("checkpoints = %+v", r.Checkpoints)
	}
	if r.ReportDue == nil {
		t.Fatal("the plan's default report schedule was not applied")
	}
	// Due on the 10th after each quarter, Beijing time, whatever the server's zone.
	due := r.ReportDue(time.Date(2023, 4, 11, 0, 0, 0, 0, sh))
	if want := time.Date(2023, 7, 10, 0, 0, 0, 0, sh); !due.Equal(want) {
		t.Errorf("next report due %v, want %v", due, want)
	}
	inc, _ := p.Target("income_ratio")
	if inc.Direction != indicators.AtMost || inc.HasBaseline || inc.Period != indicators.ByDeadline || inc.Scope != indicators.Province {
		t.Errorf("income ratio: %+v", inc)
	}
	jobs, _ := p.Target("new_jobs")
	if !jobs.Ongoing() || jobs.Period != indicators.Annual {
		t.Errorf("new jobs should be annual and ongoing: %+v", jobs)
	}
	ms, _ := p.Target("plan_issued")
	if ms.Kind != indicators.Milestone || ms.Value != 1 {
		t.Errorf("milestone target should be 1: %+v", ms)
	}
	if got := p.TargetRegions(mustTarget(t, p, "medical_waste")); len(got) != 1 || got[0] != "jinan" {
		t.Errorf("each_city regions = %v", got)
	}
	for key, want := range map[string]string{"jinan": "jinan", "济南市": "jinan", "济南": "jinan", "山东": "shandong"} {
		if got, ok := p.Region(key); !ok || got != want {
			t.Errorf("Region(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
	if !p.MayReviseTargets("ndrc") || !p.MayReviseTargets("housing") {
		t.Error("coordinator and granted editors may revise targets")
	}
	if !r.MayReport("ndrc") || !r.MayReport("housing") || inc.MayReport("housing") {
		t.Error("MayReport must follow lead and participants")
	}
}

func mustTarget(t *testing.T, p *indicators.Plan, id string) *indicators.Target {
	t.Helper()
	x, ok := p.Target(id)
	if !ok {
		t.Fatalf("no indicator %s", id)
	}
	return x
}

// Deadlines as plans word them are dates: 2023年底 is the end of 2023.
func TestDeadlinesAsPlansWordThem(t *testing.T) {
	for written, want := range map[string]string{
		`"2023年底"`: "2023-12-31", `"2023 年末"`: "2023-12-31", `"2023年底前"`: "2023-12-31",
		`"2025-6-30"`: "2025-06-30", `"2025.6.30"`: "2025-06-30", `2025-06-30`: "2025-06-30",
	} {
		plan, err := Load("p.toml", []byte(validPlan+`
[[indicator]]
id = "worded_deadline"
task = 1
section = "一、目标任务"
name = "城镇化率"
unit = "%"
target = 66
deadline = `+written+`
lead = ["ndrc"]
`))
		if err != nil {
			t.Errorf("deadline = %s: %v", written, err)
			continue
		}
		tg, _ := plan.Target("worded_deadline")
		if got := tg.Deadline.Add(-time.Nanosecond).Format("2006-01-02"); got != want {
			t.Errorf("deadline = %s: %s, want %s", written, got, want)
		}
	}
}
