package indicators_test

import (
	"reflect"
	"testing"

	"github.com/shandong/indicator_exporter/indicators"
)

// testPlan is a small Shandong plan: the province and three cities, a
// province target and an each-city target.
func testPlan() *indicators.Plan {
	jobs := increment(1100000)
	jobs.ID, jobs.Name = "jobs", "城镇新增就业"
	jobs.Lead = []string{"hrss"}
	parks := increment(10)
	parks.ID, parks.Name, parks.Scope = "parks", "各市新建口袋公园", indicators.EachCity
	parks.Lead, parks.Participants = []string{"housing"}, []string{"ndrc"}
	p := &indicators.Plan{
		Name:          "测试计划",
		Start:         start2021,
		Location:      sh,
		LagMargin:     0.1,
		Coordinator:   "office",
		TargetEditors: []string{"stats"},
		Departments: []indicators.Department{
			{ID: "office", Name: "领导小组办公室"},
			{ID: "stats", Name: "省统计局"},
			{ID: "housing", Name: "省住房城乡建设厅"},
			{ID: "ndrc", Name: "省发展改革委"},
			{ID: "hrss", Name: "省人力资源社会保障厅"},
		},
		Regions: []indicators.Region{
			{ID: "shandong", Name: "山东省", Level: indicators.ProvinceLevel},
			{ID: "jinan", Name: "济南市", Level: indicators.CityLevel},
			{ID: "qingdao", Name: "青岛市", Level: indicators.CityLevel},
			{ID: "zibo", Name: "淄博市", Level: indicators.CityLevel},
		},
		Targets: []*indicators.Target{jobs, parks},
	}
	p.Index()
	return p
}

func TestPlanRegion(t *testing.T) {
	p := testPlan()
	cases := map[string]struct {
		key    string
		want   string
		wantOK bool
	}{
		"a city id resolves to itself":                     {"jinan", "jinan", true},
		"a city's full Chinese name resolves to its id":    {"济南市", "jinan", true},
		"a city's name without 市 resolves to its id":       {"济南", "jinan", true},
		"another city's short name resolves to its id":     {"青岛", "qingdao", true},
		"the province id resolves to itself":               {"shandong", "shandong", true},
		"the province's full name resolves to its id":      {"山东省", "shandong", true},
		"the province's name without 省 resolves to its id": {"山东", "shandong", true},
		"a region outside the plan does not resolve":       {"北京市", "", false},
		"a short name outside the plan does not resolve":   {"北京", "", false},
		"an empty key does not resolve":                    {"", "", false},
		"a bare 市 does not resolve":                        {"市", "", false},
		"ids are matched exactly, not by case":             {"Jinan", "", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := p.Region(c.key)
			if got != c.want || ok != c.wantOK {
				t.Errorf("Region(%q) = %q, %v; want %q, %v", c.key, got, ok, c.want, c.wantOK)
			}
		})
	}
}

func TestPlanTargetLookup(t *testing.T) {
	p := testPlan()
	cases := map[string]struct {
		key    string
		wantID string
	}{
		"a target is found by its id":                 {"parks", "parks"},
		"a target is found by its exact Chinese name": {"各市新建口袋公园", "parks"},
		"another target is found by its id":           {"jobs", "jobs"},
		"an unknown key finds nothing":                {"roads", ""},
		"a partial Chinese name finds nothing":        {"口袋公园", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, ok := p.Target(c.key)
			if c.wantID == "" {
				if ok {
					t.Errorf("Target(%q) found %q, want nothing", c.key, got.ID)
				}
				return
			}
			if !ok || got.ID != c.wantID {
				t.Errorf("Target(%q) = %v, %v; want %q", c.key, got, ok, c.wantID)
			}
		})
	}
}

func TestPlanDepartment(t *testing.T) {
	p := testPlan()
	cases := map[string]struct {
		id       string
		wantName string
	}{
		"a department is found by its id":             {"housing", "省住房城乡建设厅"},
		"the coordinator is a department like others": {"office", "领导小组办公室"},
		"an unknown id finds nothing":                 {"transport", ""},
		"a department is not found by its name":       {"省统计局", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			d, ok := p.Department(c.id)
			if c.wantName == "" {
				if ok {
					t.Errorf("Department(%q) = %+v, want nothing", c.id, d)
				}
				return
			}
			if !ok || d.Name != c.wantName || d.ID != c.id {
				t.Errorf("Department(%q) = %+v, %v; want %q", c.id, d, ok, c.wantName)
			}
		})
	}
}

// A series' key holds the target's id: TargetID finds by id only, not by
// a Chinese name that Target accepts from a clerk's file.
func TestPlanTargetID(t *testing.T) {
	p := testPlan()
	if got, ok := p.TargetID("parks"); !ok || got.ID != "parks" {
		t.Errorf("TargetID(parks) = %v, %v", got, ok)
	}
	if got, ok := p.TargetID("各市新建口袋公园"); ok {
		t.Errorf("TargetID found %q by its name", got.ID)
	}
}

func TestPlanRegionsOfTargets(t *testing.T) {
	p := testPlan()
	jobs, _ := p.Target("jobs")
	parks, _ := p.Target("parks")
	cases := map[string]struct {
		got, want any
	}{
		"the province is the province-level region":        {p.ProvinceID(), "shandong"},
		"cities are listed in plan order":                  {cityIDs(p.Cities()), []string{"jinan", "qingdao", "zibo"}},
		"a province target is reported for the province":   {p.TargetRegions(jobs), []string{"shandong"}},
		"an each-city target is reported for every city":   {p.TargetRegions(parks), []string{"jinan", "qingdao", "zibo"}},
		"a plan without a province has no province id":     {(&indicators.Plan{Regions: p.Regions[1:]}).ProvinceID(), ""},
		"a plan without cities lists none":                 {len((&indicators.Plan{Regions: p.Regions[:1]}).Cities()), 0},
		"the province need not be the first region listed": {(&indicators.Plan{Regions: []indicators.Region{p.Regions[2], p.Regions[0]}}).ProvinceID(), "shandong"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("got %v, want %v", c.got, c.want)
			}
		})
	}
}

func cityIDs(rs []indicators.Region) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestPlanMayReviseTargets(t *testing.T) {
	withCoord := testPlan()
	noCoord := testPlan()
	noCoord.Coordinator = ""
	cases := map[string]struct {
		plan *indicators.Plan
		dept string
		want bool
	}{
		"the coordinating office may revise targets":                  {withCoord, "office", true},
		"a department granted as target editor may revise targets":    {withCoord, "stats", true},
		"a lead department may not revise targets":                    {withCoord, "housing", false},
		"an unknown department may not revise targets":                {withCoord, "transport", false},
		"an empty department id may not revise targets":               {withCoord, "", false},
		"without a coordinator, the editors may still revise targets": {noCoord, "stats", true},
		"without a coordinator, other departments may not revise":     {noCoord, "office", false},
		// BUG (plan.go, MayReviseTargets): with no coordinator configured,
		// dept "" equals Coordinator "" and is granted the right.
		"without a coordinator, an empty department id may not revise targets": {noCoord, "", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := c.plan.MayReviseTargets(c.dept); got != c.want {
				t.Errorf("MayReviseTargets(%q) with coordinator %q = %v, want %v", c.dept, c.plan.Coordinator, got, c.want)
			}
		})
	}
}

func TestStatusWords(t *testing.T) {
	cases := map[string]struct {
		s    indicators.Status
		want string
	}{
		"achieved reads 已完成":                {indicators.Achieved, "已完成"},
		"overdue reads 已逾期":                 {indicators.Overdue, "已逾期"},
		"no_data reads 无数据":                 {indicators.NoData, "无数据"},
		"stale reads 未按时报送":                 {indicators.Stale, "未按时报送"},
		"lagging reads 滞后":                  {indicators.Lagging, "滞后"},
		"ongoing reads 持续推进":                {indicators.Ongoing, "持续推进"},
		"on_track reads 正常推进":               {indicators.OnTrack, "正常推进"},
		"an unknown status reads as itself": {indicators.Status("paused"), "paused"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := c.s.Chinese(); got != c.want {
				t.Errorf("%s.Chinese() = %q, want %q", c.s, got, c.want)
			}
		})
	}
	t.Run("statuses are listed in precedence order", func(t *testing.T) {
		want := []indicators.Status{"achieved", "overdue", "stale", "no_data", "lagging", "ongoing", "on_track"}
		if !reflect.DeepEqual(indicators.Statuses, want) {
			t.Errorf("Statuses = %v, want %v", indicators.Statuses, want)
		}
	})
}
