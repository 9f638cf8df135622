package indicators

import (
	"strings"
	"time"
)

// Department is a body named in the plan as lead or participant. ID is ASCII
// and doubles as the department's inbox folder name and label value.
type Department struct {
	ID   string
	Name string
}

// RegionLevel separates the province from its cities.
type RegionLevel string

const (
	ProvinceLevel RegionLevel = "province"
	CityLevel     RegionLevel = "city"
)

// Region is the province or one of its cities.
type Region struct {
	ID    string
	Name  string
	Level RegionLevel
}

// Plan is a validated plan: every reference resolves, every date is in
// Location, and targets keep the order of the plan file.
type Plan struct {
	Name     string
	Source   string
	Start    time.Time
	Location *time.Location
	// LagMargin is how far (as a progress ratio) a target may trail its
	// expected progress before it counts as lagging.
	LagMargin float64
	// Coordinator is the department that may revise targets through
	// drops (the office of the leading group); TargetEditors are granted
	// the same right explicitly.
	Coordinator   string
	TargetEditors []string

	Departments []Department
	Regions     []Region
	Targets     []*Target

	byID     map[string]*Target
	byName   map[string]*Target
	regionBy map[string]string
	deptBy   map[string]*Department
}

// Index builds the lookup tables. Constructors call it once the plan is
// complete; a Plan is read-only afterwards.
func (p *Plan) Index() {
	p.byID = make(map[string]*Target, len(p.Targets))
	p.byName = make(map[string]*Target, len(p.Targets))
	for _, t := range p.Targets {
		p.byID[t.ID] = t
		p.byName[t.Name] = t
	}
	p.regionBy = make(map[string]string, 2*len(p.Regions))
	for _, r := range p.Regions {
		p.regionBy[r.ID] = r.ID
		p.regionBy[r.Name] = r.ID
		// Clerks write 济南 as often as 济南市, and 山东 for 山东省.
		if short := strings.TrimSuffix(strings.TrimSuffix(r.Name, "市"), "省"); short != "" && short != r.Name {
			if _, taken := p.regionBy[short]; !taken {
				p.regionBy[short] = r.ID
			}
		}
	}
	p.deptBy = make(map[string]*Department, len(p.Departments))
	for i := range p.Departments {
		p.deptBy[p.Departments[i].ID] = &p.Departments[i]
	}
}

// Target finds a target by its id or its exact Chinese name.
func (p *Plan) Target(key string) (*Target, bool) {
	if t, ok := p.byID[key]; ok {
		return t, true
	}
	t, ok := p.byName[key]
	return t, ok
}

// TargetID finds a target by its id only: a series' key holds the id, and
// an id that happens to be another target's name must not find that one.
func (p *Plan) TargetID(id string) (*Target, bool) {
	t, ok := p.byID[id]
	return t, ok
}

// Region resolves a region id or Chinese name to its id.
func (p *Plan) Region(key string) (string, bool) {
	id, ok := p.regionBy[key]
	return id, ok
}

// Department finds a department by id.
func (p *Plan) Department(id string) (*Department, bool) {
	d, ok := p.deptBy[id]
	return d, ok
}

// ProvinceID is the id of the province-level region (the first one).
func (p *Plan) ProvinceID() string {
	for _, r := range p.Regions {
		if r.Level == ProvinceLevel {
			return r.ID
		}
	}
	return ""
}

// Cities lists the city-level regions in plan order.
func (p *Plan) Cities() []Region {
	var out []Region
	for _, r := range p.Regions {
		if r.Level == CityLevel {
			out = append(out, r)
		}
	}
	return out
}

// MayReport reports whether a department is lead or participant of t, the
// authority a department needs to report values for it.
func (t *Target) MayReport(dept string) bool {
	for _, d := range t.Lead {
		if d == dept {
			return true
		}
	}
	for _, d := range t.Participants {
		if d == dept {
			return true
		}
	}
	return false
}

// MayReviseTargets reports whether dept may drop target revisions.
func (p *Plan) MayReviseTargets(dept string) bool {
	if dept == "" {
		return false
	}
	if dept == p.Coordinator {
		return true
	}
	for _, d := range p.TargetEditors {
		if d == dept {
			return true
		}
	}
	return false
}

// Regions a target is reported for: the province, or every city.
func (p *Plan) TargetRegions(t *Target) []string {
	if t.Scope == EachCity {
		cs := p.Cities()
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.ID
		}
		return out
	}
	return []string{p.ProvinceID()}
}

// ZoneName names a plan's time zone as people in it say it: 北京时间 for
// China's, else the zone's name.
func ZoneName(loc *time.Location) string {
	switch loc.String() {
	case "Asia/Shanghai", "Asia/Chongqing", "PRC":
		return "北京时间"
	}
	return loc.String()
}
