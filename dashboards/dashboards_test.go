package dashboards

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	yaml "go.yaml.in/yaml/v2"

	"github.com/shandong/indicator_exporter/config"
)

var update = flag.Bool("update", false, "rewrite the committed dashboards in "+outDir)

// outDir is where the stack provisions the dashboards from.
const outDir = "../deploy/grafana/dashboards"

func generate(t *testing.T) []Dashboard {
	t.Helper()
	plan, err := config.LoadFile("../config/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := All(Options{Province: plan.ProvinceID()})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// The committed JSON is what the generator writes; -update rewrites it.
func TestCommittedDashboardsAreUpToDate(t *testing.T) {
	want := map[string][]byte{}
	for _, d := range generate(t) {
		b, err := d.JSON()
		if err != nil {
			t.Fatal(err)
		}
		want[d.File] = b
	}
	if *update {
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(outDir, "*.json"))
		for _, f := range old {
			if _, ok := want[filepath.Base(f)]; !ok {
				os.Remove(f)
			}
		}
		for f, b := range want {
			if err := os.WriteFile(filepath.Join(outDir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	committed, _ := filepath.Glob(filepath.Join(outDir, "*.json"))
	for _, f := range committed {
		if _, ok := want[filepath.Base(f)]; !ok {
			t.Errorf("%s is not generated; delete it or run go test ./dashboards -update", f)
		}
	}
	for f, b := range want {
		got, err := os.ReadFile(filepath.Join(outDir, f))
		if err != nil {
			t.Errorf("%v; run go test ./dashboards -update", err)
			continue
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s/%s differs from the generator's output; run go test ./dashboards -update", outDir, f)
		}
	}
}

// panelJSON is the part of a panel the checks read.
type panelJSON struct {
	ID          int                      `json:"id"`
	Type        string                   `json:"type"`
	Title       string                   `json:"title"`
	Description string                   `json:"description"`
	GridPos     struct{ X, Y, W, H int } `json:"gridPos"`
	Datasource  json.RawMessage          `json:"datasource"`
	Targets     []targetJSON             `json:"targets"`
	FieldConfig struct {
		Defaults struct {
			Unit string `json:"unit"`
		} `json:"defaults"`
	} `json:"fieldConfig"`
}

type targetJSON struct {
	RefID        string          `json:"refId"`
	Expr         string          `json:"expr"`
	Instant      bool            `json:"instant"`
	Range        bool            `json:"range"`
	Format       string          `json:"format"`
	LegendFormat string          `json:"legendFormat"`
	Datasource   json.RawMessage `json:"datasource"`
}

type variableJSON struct {
	Type       string          `json:"type"`
	Name       string          `json:"name"`
	Query      json.RawMessage `json:"query"`
	Regex      string          `json:"regex"`
	Datasource json.RawMessage `json:"datasource"`
	Current    struct {
		Value string `json:"value"`
	} `json:"current"`
}

type dashboardJSON struct {
	UID        string      `json:"uid"`
	ID         *int        `json:"id"`
	Title      string      `json:"title"`
	Tags       []string    `json:"tags"`
	Panels     []panelJSON `json:"panels"`
	Templating struct {
		List []variableJSON `json:"list"`
	} `json:"templating"`
}

// committedDashboards reads the committed JSON files, as Grafana will.
func committedDashboards(t *testing.T) map[string]dashboardJSON {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(outDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards in %s: %v", outDir, err)
	}
	out := map[string]dashboardJSON{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboardJSON
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[d.UID] = d
	}
	return out
}

func TestDashboardsRoundTripThroughTheSDK(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(outDir, "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// UnmarshalJSONStrict rejects the SDK's own table output, so
		// decode leniently and validate.
		var d dashboard.Dashboard
		if err := json.Unmarshal(b, &d); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestDashboardsAreTheFourOfTheIssue(t *testing.T) {
	ds := committedDashboards(t)
	want := map[string]struct {
		title string
		vars  []string
	}{
		OverviewUID:   {"总览", nil},
		IndicatorUID:  {"指标详情", []string{"indicator", "region"}},
		DepartmentUID: {"部门视图", []string{"department"}},
		HealthUID:     {"运行状态", nil},
	}
	if len(ds) != len(want) {
		t.Errorf("%d dashboards, want %d", len(ds), len(want))
	}
	for uid, w := range want {
		d, ok := ds[uid]
		if !ok {
			t.Errorf("no dashboard with uid %s", uid)
			continue
		}
		if !strings.HasPrefix(d.Title, w.title) {
			t.Errorf("%s: title %q, want it to start with %q", uid, d.Title, w.title)
		}
		if d.ID != nil {
			t.Errorf("%s has a numeric id; provisioning needs only the uid", uid)
		}
		vars := map[string]variableJSON{}
		for _, v := range d.Templating.List {
			vars[v.Name] = v
		}
		for _, v := range append([]string{"datasource"}, w.vars...) {
			if _, ok := vars[v]; !ok {
				t.Errorf("%s lacks variable %s", uid, v)
			}
		}
		if v := vars["datasource"]; v.Type != "datasource" || string(v.Query) != `"prometheus"` || v.Current.Value != DatasourceUID {
			t.Errorf("%s: datasource variable %+v; want a prometheus datasource variable defaulting to uid %s", uid, v, DatasourceUID)
		}
		if !contains(d.Tags, Tag) {
			t.Errorf("%s lacks tag %s, so the link bar does not list it", uid, Tag)
		}
	}
}

// Panels: unique ids, on the 24-column grid without overlapping, a unit,
// a title, queries, all through the datasource variable.
func TestPanelsAreWellFormed(t *testing.T) {
	for uid, d := range committedDashboards(t) {
		ids := map[int]bool{}
		cells := map[[2]int]string{}
		for _, p := range d.Panels {
			where := fmt.Sprintf("%s panel %d %q", uid, p.ID, p.Title)
			if p.ID == 0 || ids[p.ID] {
				t.Errorf("%s: missing or duplicate id", where)
			}
			ids[p.ID] = true
			g := p.GridPos
			if g.W <= 0 || g.H <= 0 || g.X < 0 || g.X+g.W > 24 {
				t.Errorf("%s: grid position %+v outside the 24 columns", where, g)
			}
			for x := g.X; x < g.X+g.W; x++ {
				for y := g.Y; y < g.Y+g.H; y++ {
					if other, taken := cells[[2]int{x, y}]; taken {
						t.Errorf("%s overlaps %s", where, other)
						x, y = g.X+g.W, g.Y+g.H
					}
					cells[[2]int{x, y}] = where
				}
			}
			if strings.TrimSpace(p.Title) == "" || strings.TrimSpace(p.Description) == "" {
				t.Errorf("%s: needs a title and a description", where)
			}
			if !hasHan(p.Title) {
				t.Errorf("%s: title is not Chinese", where)
			}
			if p.FieldConfig.Defaults.Unit == "" {
				t.Errorf("%s: no unit", where)
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: no queries", where)
			}
			refs := map[string]bool{}
			for _, q := range p.Targets {
				if strings.TrimSpace(q.Expr) == "" || q.RefID == "" || refs[q.RefID] {
					t.Errorf("%s: query %q has no expression or a missing or duplicate refId", where, q.RefID)
				}
				refs[q.RefID] = true
				if q.Instant == q.Range {
					t.Errorf("%s: query %s must be either instant or range", where, q.RefID)
				}
				if !isDatasourceVar(q.Datasource) {
					t.Errorf("%s: query %s datasource %s is not ${datasource}", where, q.RefID, q.Datasource)
				}
			}
			if p.Datasource != nil && !isDatasourceVar(p.Datasource) {
				t.Errorf("%s: datasource %s is not ${datasource}", where, p.Datasource)
			}
		}
	}
}

func isDatasourceVar(raw json.RawMessage) bool {
	var ref struct{ Type, UID string }
	return json.Unmarshal(raw, &ref) == nil && ref.Type == "prometheus" && ref.UID == "${datasource}"
}

// builtins are Grafana's own variables.
var builtins = map[string]bool{"__interval": true, "__interval_ms": true, "__rate_interval": true, "__range": true,
	"__range_s": true, "__range_ms": true, "__data": true, "__field": true, "__series": true, "__value": true,
	"__from": true, "__to": true, "__url_time_range": true, "__dashboard": true}

var varRef = regexp.MustCompile(`\$(?:\{([A-Za-z_]\w*)(?:[.:][^}]*)?\}|([A-Za-z_]\w*))`)

// Every $variable a dashboard uses is one it defines or a Grafana builtin,
// and every link to a dashboard names an existing uid and variables that
// dashboard has.
func TestVariableAndLinkReferencesResolve(t *testing.T) {
	ds := committedDashboards(t)
	link := regexp.MustCompile(`/d/([\w-]+)/?\?([^"]*)`)
	for uid, d := range ds {
		defined := map[string]bool{}
		for _, v := range d.Templating.List {
			defined[v.Name] = true
		}
		b, err := os.ReadFile(filepath.Join(outDir, fileOf(t, uid)))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range varRef.FindAllStringSubmatch(string(b), -1) {
			name := m[1] + m[2]
			if !defined[name] && !builtins[name] {
				t.Errorf("%s uses $%s, which it does not define", uid, name)
			}
		}
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			target, ok := ds[m[1]]
			if !ok {
				t.Errorf("%s links to unknown dashboard %s", uid, m[1])
				continue
			}
			tv := map[string]bool{}
			for _, v := range target.Templating.List {
				tv[v.Name] = true
			}
			for _, kv := range strings.Split(m[2], "&") {
				if name, ok := strings.CutPrefix(kv, "var-"); ok {
					name, _, _ = strings.Cut(name, "=")
					if !tv[name] {
						t.Errorf("%s links to %s with var-%s, which %s lacks", uid, m[1], name, m[1])
					}
				}
			}
		}
	}
}

// The alert rules' dashboard links (alerts/rules.yml) open dashboards
// that exist, with variables they have.
func TestAlertRuleLinksOpenTheseDashboards(t *testing.T) {
	b, err := os.ReadFile("../alerts/rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	ds := committedDashboards(t)
	links := regexp.MustCompile(`/d/([\w-]+)(?:\?([^'"\s]*))?`).FindAllStringSubmatch(string(b), -1)
	if len(links) == 0 {
		t.Fatal("alerts/rules.yml links to no dashboard")
	}
	for _, m := range links {
		d, ok := ds[m[1]]
		if !ok {
			t.Errorf("alerts/rules.yml links to dashboard %s, which does not exist (uids: %v)", m[1], sortedKeys(ds))
			continue
		}
		vars := map[string]bool{}
		for _, v := range d.Templating.List {
			vars[v.Name] = true
		}
		for _, kv := range strings.Split(m[2], "&") {
			if name, ok := strings.CutPrefix(kv, "var-"); ok {
				if name, _, _ = strings.Cut(name, "="); !vars[name] {
					t.Errorf("alerts/rules.yml links to %s with var-%s, which it lacks", m[1], name)
				}
			}
		}
	}
}

func fileOf(t *testing.T, uid string) string {
	t.Helper()
	for _, d := range generate(t) {
		if d.Model.Uid != nil && *d.Model.Uid == uid {
			return d.File
		}
	}
	t.Fatalf("no dashboard %s", uid)
	return ""
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// The provisioned datasource has the uid the dashboards default to, and
// the dashboard provider reads the folder compose mounts them in.
func TestProvisioningMatchesTheDashboards(t *testing.T) {
	var dsf struct {
		Datasources []struct {
			Name, Type, UID, URL string
			IsDefault            bool `yaml:"isDefault"`
		}
	}
	readYAML(t, "../deploy/grafana/provisioning/datasources/datasources.yml", &dsf)
	found := false
	for _, d := range dsf.Datasources {
		if d.Type == "prometheus" && d.UID == DatasourceUID && d.IsDefault {
			found = true
		}
	}
	if !found {
		t.Errorf("no default prometheus datasource with uid %s: %+v", DatasourceUID, dsf.Datasources)
	}
	var prov struct {
		Providers []struct {
			Name, Folder, Type string
			Options            struct{ Path string }
		}
	}
	readYAML(t, "../deploy/grafana/provisioning/dashboards/indicator.yml", &prov)
	if len(prov.Providers) != 1 || prov.Providers[0].Type != "file" || prov.Providers[0].Options.Path != grafanaDashboards {
		t.Errorf("dashboard provider %+v; want one file provider reading %s", prov.Providers, grafanaDashboards)
	}
}

// grafanaDashboards is where compose mounts deploy/grafana/dashboards.
const grafanaDashboards = "/var/lib/grafana/dashboards"

// readYAML decodes the keys v models; other keys of the file are fine.
func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Grafana's "short" unit writes 1100000 as "1.10 Mil": English suffixes a
// Chinese reader does not use. No dashboard uses it.
func TestNoEnglishNumberSuffixes(t *testing.T) {
	for _, d := range generate(t) {
		b, err := d.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `"unit": "short"`) || strings.Contains(string(b), `"unit":"short"`) {
			t.Errorf("%s uses the unit short", d.File)
		}
	}
}

// A status has one colour on the built-in pages and in Grafana.
func TestStatusColoursMatchThePages(t *testing.T) {
	css, err := os.ReadFile("../web/static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	// --on_track: #0969da; and .st-on_track { --c: var(--on_track); ...}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z_]+): (#[0-9a-f]{6});`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	for _, s := range statuses {
		m := regexp.MustCompile(`\.st-` + string(s.id) + `\b[^{]*\{ --c: var\(--([a-z_]+)\)`).FindStringSubmatch(string(css))
		if m == nil {
			t.Errorf("the pages give status %s no colour", s.id)
			continue
		}
		if want := vars[m[1]]; s.color != want {
			t.Errorf("status %s is %s in Grafana, %s on the pages", s.id, s.color, want)
		}
	}
}
