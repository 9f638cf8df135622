package dashboards

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v2"
)

// Checks of the docker-compose stack that need no Docker engine.

type composeService struct {
	Image string
	Build struct {
		Context string
		Args    map[string]string
	}
	Command     []string
	Environment map[string]string
	Volumes     []string
	Ports       []string
	DependsOn   []string `yaml:"depends_on"`
	Restart     string
}

type composeFile struct {
	Services map[string]composeService
	Volumes  map[string]any
}

func readCompose(t *testing.T) composeFile {
	t.Helper()
	b, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.UnmarshalStrict(b, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

// mount is one volume entry of a service.
type mount struct {
	source, target string
	bind, readOnly bool
}

var defaultVar = regexp.MustCompile(`\$\{\w+:-([^}]*)\}`)

// mounts reads a service's short-syntax volumes, with ${VAR:-default}
// taken at its default.
func mounts(t *testing.T, s composeService) []mount {
	t.Helper()
	var out []mount
	for _, v := range s.Volumes {
		v = defaultVar.ReplaceAllString(v, "$1")
		parts := strings.Split(v, ":")
		if len(parts) < 2 || len(parts) > 3 {
			t.Fatalf("volume %q is not source:target[:mode]", v)
		}
		m := mount{source: parts[0], target: parts[1], readOnly: len(parts) == 3 && parts[2] == "ro"}
		m.bind = strings.HasPrefix(m.source, ".") || strings.HasPrefix(m.source, "/")
		out = append(out, m)
	}
	return out
}

func TestComposeConfigIsValid(t *testing.T) {
	dc := requireTool(t, "docker-compose")
	cmd := exec.Command(dc, "config", "-q")
	cmd.Dir = ".."
	// The defaults, not whatever the developer has set.
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "INDICATOR_INBOX=") && !strings.HasPrefix(e, "GRAFANA_ADMIN_PASSWORD=") && !strings.HasPrefix(e, "VERSION=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	if out, err := cmd.CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("docker-compose config -q: %v\n%s", err, out)
	}
}

// docker-compose config does not notice a missing bind-mount source (Docker
// would create an empty folder) or a missing Dockerfile.
func TestComposeMountsAndBuildExistInTheRepo(t *testing.T) {
	c := readCompose(t)
	for name, s := range c.Services {
		for _, m := range mounts(t, s) {
			if !m.bind {
				if _, ok := c.Volumes[m.source]; !ok {
					t.Errorf("%s mounts volume %s, which is not declared", name, m.source)
				}
				continue
			}
			if _, err := os.Stat(filepath.Join("..", m.source)); err != nil {
				t.Errorf("%s mounts %s, which does not exist in the repository", name, m.source)
			}
		}
		if s.Build.Context != "" {
			if _, err := os.Stat(filepath.Join("..", s.Build.Context, "Dockerfile")); err != nil {
				t.Errorf("%s builds from %s, which has no Dockerfile", name, s.Build.Context)
			}
		}
	}
}

// hostPath maps a path inside a service's container to the repository
// file mounted there.
func hostPath(t *testing.T, s composeService, p string) (string, bool) {
	for _, m := range mounts(t, s) {
		if !m.bind {
			continue
		}
		if p == m.target {
			return filepath.Join("..", m.source), true
		}
		if rel, ok := strings.CutPrefix(p, m.target+"/"); ok {
			return filepath.Join("..", m.source, rel), true
		}
	}
	return "", false
}

func TestComposeStackIsTheIssuesStack(t *testing.T) {
	c := readCompose(t)
	for _, name := range []string{"indicator-exporter", "prometheus", "alertmanager", "grafana"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("no service %s", name)
		}
	}
	for name, s := range c.Services {
		if s.Image == "" || !strings.Contains(s.Image, ":") || strings.HasSuffix(s.Image, ":latest") {
			t.Errorf("%s: image %q is not pinned to a tag", name, s.Image)
		}
		if s.Environment["TZ"] != "Asia/Shanghai" {
			t.Errorf("%s: TZ is not Asia/Shanghai", name)
		}
		// Data in named volumes, configuration read-only.
		for _, m := range mounts(t, s) {
			if m.bind && !m.readOnly && !strings.HasSuffix(m.target, "/inbox") {
				t.Errorf("%s: %s is bind-mounted writable", name, m.source)
			}
		}
	}
	if g := c.Services["grafana"]; !regexp.MustCompile(`^grafana/grafana:12\.\d+\.\d+$`).MatchString(g.Image) {
		t.Errorf("grafana image %q; want grafana/grafana:12.x.y (the SDK writes schema 42)", g.Image)
	}

	// Grafana: provisioning, dashboards, and 总览 as the home dashboard.
	g := c.Services["grafana"]
	if p, ok := hostPath(t, g, "/etc/grafana/provisioning/datasources/datasources.yml"); !ok || p != filepath.Join("..", "deploy/grafana/provisioning/datasources/datasources.yml") {
		t.Errorf("grafana does not mount deploy/grafana/provisioning at /etc/grafana/provisioning")
	}
	if p, ok := hostPath(t, g, grafanaDashboards); !ok || p != filepath.Join("..", strings.TrimPrefix(outDir, "../")) {
		t.Errorf("grafana does not mount %s at %s (got %q)", outDir, grafanaDashboards, p)
	}
	home := g.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
	if p, ok := hostPath(t, g, home); !ok || p != filepath.Join(outDir, "overview.json") {
		t.Errorf("home dashboard %q is not the mounted overview.json (%q)", home, p)
	}

	// Prometheus: its config, the project's rules where rule_files looks,
	// years of retention, data in a volume.
	p := c.Services["prometheus"]
	args := map[string]string{}
	for _, a := range p.Command {
		k, v, _ := strings.Cut(a, "=")
		args[k] = v
	}
	cfg, ok := hostPath(t, p, args["--config.file"])
	if !ok || cfg != filepath.Join("..", "deploy/prometheus/prometheus.yml") {
		t.Errorf("prometheus --config.file=%s is not deploy/prometheus/prometheus.yml (%q)", args["--config.file"], cfg)
	}
	if rules, ok := hostPath(t, p, path.Join(path.Dir(args["--config.file"]), "rules/indicator.yml")); !ok || rules != filepath.Join("..", "alerts/rules.yml") {
		t.Errorf("alerts/rules.yml is not mounted where rule_files (rules/*.yml) finds it")
	}
	if years := retentionYears(args["--storage.tsdb.retention.time"]); years < 5 {
		t.Errorf("prometheus retention %q; plans last years and backfill goes back to the plan's start", args["--storage.tsdb.retention.time"])
	}
	dataInVolume := func(svc composeService, dir string) bool {
		for _, m := range mounts(t, svc) {
			if !m.bind && m.target == dir {
				return true
			}
		}
		return false
	}
	if !dataInVolume(p, args["--storage.tsdb.path"]) {
		t.Errorf("prometheus data %s is not in a named volume", args["--storage.tsdb.path"])
	}
	if !dataInVolume(g, "/var/lib/grafana") || !dataInVolume(c.Services["alertmanager"], "/alertmanager") || !dataInVolume(c.Services["indicator-exporter"], "/data") {
		t.Error("grafana, alertmanager or exporter data is not in a named volume")
	}
	am := c.Services["alertmanager"]
	if f, ok := hostPath(t, am, "/etc/alertmanager/alertmanager.yml"); !ok || f != filepath.Join("..", "alerts/alertmanager.yml") {
		t.Error("alertmanager does not load alerts/alertmanager.yml")
	}

	// The exporter: its flags (the image's CMD) point into its mounts.
	e := c.Services["indicator-exporter"]
	flags := dockerfileCmdFlags(t)
	if f, ok := hostPath(t, e, flags["--config"]); !ok || f != filepath.Join("..", "config/plan.toml") {
		t.Errorf("the exporter's --config=%s is not config/plan.toml (%q)", flags["--config"], f)
	}
	inbox := false
	for _, m := range mounts(t, e) {
		if m.bind && m.target == flags["--inbox.dir"] && !m.readOnly {
			inbox = true
		}
	}
	if !inbox {
		t.Errorf("the inbox %s is not bind-mounted writable from the host", flags["--inbox.dir"])
	}
}

func retentionYears(s string) float64 {
	m := regexp.MustCompile(`^(\d+)([yd])$`).FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	if m[2] == "d" {
		return n / 365
	}
	return n
}

// dockerfile is the Dockerfile as instructions, continuation lines joined.
func dockerfile(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	cur := ""
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		if strings.HasSuffix(l, "\\") {
			cur += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		if cur += l; strings.TrimSpace(cur) != "" {
			out = append(out, strings.TrimSpace(cur))
		}
		cur = ""
	}
	return out
}

// dockerfileCmdFlags are the --flag=value pairs of the image's CMD.
func dockerfileCmdFlags(t *testing.T) map[string]string {
	t.Helper()
	flags := map[string]string{}
	for _, in := range dockerfile(t) {
		if rest, ok := strings.CutPrefix(in, "CMD "); ok {
			var args []string
			if err := yaml.Unmarshal([]byte(rest), &args); err != nil {
				t.Fatalf("CMD is not an exec-form list: %v", err)
			}
			for _, a := range args {
				k, v, _ := strings.Cut(a, "=")
				flags[k] = v
			}
		}
	}
	return flags
}

func TestDockerfileBuildsAStaticNonRootImage(t *testing.T) {
	ins := dockerfile(t)
	var froms []string
	final := 0
	for i, in := range ins {
		if strings.HasPrefix(in, "FROM ") {
			froms = append(froms, in)
			final = i
		}
	}
	if len(froms) < 2 {
		t.Fatalf("not a multi-stage build: %v", froms)
	}
	joined := strings.Join(ins, "\n")
	if !strings.Contains(joined, "CGO_ENABLED=0 go build") {
		t.Error("the binary is not built with CGO_ENABLED=0 (static)")
	}
	if !strings.Contains(froms[len(froms)-1], "static") && !strings.Contains(froms[len(froms)-1], "scratch") {
		t.Errorf("final stage %q is not a static base", froms[len(froms)-1])
	}
	var user, volume string
	for _, in := range ins[final:] {
		if u, ok := strings.CutPrefix(in, "USER "); ok {
			user = u
		}
		if v, ok := strings.CutPrefix(in, "VOLUME "); ok {
			volume = v
		}
	}
	if name, _, _ := strings.Cut(user, ":"); user == "" || name == "root" || name == "0" {
		t.Errorf("final stage runs as %q, not a non-root user", user)
	}
	flags := dockerfileCmdFlags(t)
	var vols []string
	if err := yaml.Unmarshal([]byte(volume), &vols); err != nil {
		t.Fatalf("VOLUME %q: %v", volume, err)
	}
	under := func(p string) bool {
		for _, v := range vols {
			if strings.HasPrefix(p, v+"/") {
				return true
			}
		}
		return false
	}
	for _, f := range []string{"--config", "--storage.path", "--inbox.dir", "--inbox.archive-dir", "--inbox.rejected-dir"} {
		if flags[f] == "" || !under(flags[f]) {
			t.Errorf("CMD %s=%q is not in a volume %v", f, flags[f], vols)
		}
	}
}

// .dockerignore must not drop what the build needs: the module files, the
// plan and every package the exporter imports.
func TestDockerignoreKeepsTheSources(t *testing.T) {
	b, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, strings.Trim(l, "/"))
		}
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.Dir}}{{end}}", "../cmd/indicator_exporter").Output()
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs("..")
	need := []string{"go.mod", "go.sum", "config/plan.toml", "Dockerfile"}
	for _, d := range strings.Fields(string(out)) {
		if rel, err := filepath.Rel(root, d); err == nil && !strings.HasPrefix(rel, "..") {
			need = append(need, rel)
		}
	}
	for _, n := range need {
		for _, p := range patterns {
			prefix := strings.Split(n, "/")
			for i := range prefix {
				if ok, _ := filepath.Match(p, strings.Join(prefix[:i+1], "/")); ok {
					t.Errorf(".dockerignore pattern %q drops %s, which the build needs", p, n)
				}
			}
		}
	}
}

// promtool check config, on the file as shipped and as the container sees
// it (with alerts/rules.yml where compose mounts it).
func TestPrometheusConfigPassesPromtool(t *testing.T) {
	promtool := requireTool(t, "promtool")
	if out, err := exec.Command(promtool, "check", "config", "../deploy/prometheus/prometheus.yml").CombinedOutput(); err != nil {
		t.Errorf("promtool check config deploy/prometheus/prometheus.yml: %v\n%s", err, out)
	}
	c := readCompose(t)
	dir := t.TempDir()
	for _, m := range mounts(t, c.Services["prometheus"]) {
		if !m.bind {
			continue
		}
		b, err := os.ReadFile(filepath.Join("..", m.source))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, m.target)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command(promtool, "check", "config", filepath.Join(dir, "etc/prometheus/prometheus.yml")).CombinedOutput()
	if err != nil {
		t.Errorf("promtool check config as mounted in the container: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`SUCCESS: [1-9]\d* rule files found`).Match(out) || !regexp.MustCompile(`SUCCESS: [1-9]\d* rules found`).Match(out) {
		t.Errorf("promtool found no rules where compose mounts them:\n%s", out)
	}
}

// Prometheus (with --web.enable-lifecycle) and Alertmanager have no
// authentication: the stack publishes them on the host's loopback only.
func TestComposePublishesUnauthenticatedServicesOnLoopbackOnly(t *testing.T) {
	c := readCompose(t)
	for _, name := range []string{"prometheus", "alertmanager"} {
		s, ok := c.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		for _, p := range s.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("%s publishes %q on every interface", name, p)
			}
		}
	}
}
