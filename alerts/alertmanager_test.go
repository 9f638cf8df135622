package alerts

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/config"
)

var update = flag.Bool("update", false, "rewrite alertmanager.yml from planDepartments")

// planDepartments are the department ids of the shipped plan, in plan
// order: alertmanager.yml has a receiver for each.
var planDepartments = func() []string {
	p, err := config.LoadFile("../config/plan.toml")
	if err != nil {
		panic(err)
	}
	ids := make([]string, len(p.Departments))
	for i, d := range p.Departments {
		ids[i] = d.ID
	}
	return ids
}()

const amFile = "alertmanager.yml"

// TestAlertmanagerConfigFile keeps the committed alertmanager.yml equal to
// what AlertmanagerConfig generates; -update rewrites it.
func TestAlertmanagerConfigFile(t *testing.T) {
	got, err := AlertmanagerConfig(planDepartments, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(amFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(amFile)
	if err != nil {
		t.Fatalf("%v (run: go test ./alerts -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date; regenerate it with: go test ./alerts -update", amFile)
	}
}

func TestAlertmanagerConfigContent(t *testing.T) {
	got, err := AlertmanagerConfig(planDepartments, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	for _, id := range planDepartments {
		for _, want := range []string{
			"- receiver: dept-" + id + "\n      matchers:\n        - 'departments=~\"(.+,)?" + id + "(,.+)?\"'\n      continue: true\n",
			"- name: dept-" + id + "\n    webhook_configs:\n      - url: \"http://dept-hooks.example.internal/" + id + "\"\n",
		} {
			if strings.Count(s, want) != 1 {
				t.Errorf("want exactly one %q", want)
			}
		}
	}
	if n := strings.Count(s, "  - name: "); n != len(planDepartments)+2 {
		t.Errorf("got %d receivers, want %d departments + leaders + default", n, len(planDepartments))
	}
	for _, want := range []string{
		"group_by: [alertname, department, indicator]\n",
		"group_wait: 30s\n",
		"group_interval: 5m\n",
		"repeat_interval: 1d\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
}

func TestAlertmanagerConfigOptions(t *testing.T) {
	got, err := AlertmanagerConfig([]string{"ndrc"}, Options{
		DepartmentURL: "https://hooks.example.org/notify?dept={{id}}&to={{id}}",
		LeadersURL:    "https://hooks.example.org/leaders",
		DefaultURL:    "https://hooks.example.org/ops",
		GroupWait:     time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	for _, want := range []string{
		`- url: "https://hooks.example.org/notify?dept=ndrc&to=ndrc"`,
		`- url: "https://hooks.example.org/leaders"`,
		`- url: "https://hooks.example.org/ops"`,
		"group_wait: 1s\n",
		// Zero durations take the defaults.
		"group_interval: 5m\n",
		"repeat_interval: 1d\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in\n%s", want, s)
		}
	}
}

func TestAlertmanagerConfigErrors(t *testing.T) {
	opts := DefaultOptions()
	with := func(f func(*Options)) Options {
		o := opts
		f(&o)
		return o
	}
	for name, tc := range map[string]struct {
		depts   []string
		opts    Options
		wantErr string
	}{
		"A department listed twice is rejected.": {
			depts:   []string{"ndrc", "hrss", "ndrc"},
			opts:    opts,
			wantErr: `duplicate department id "ndrc"`,
		},
		"An empty department id is rejected.": {
			depts:   []string{""},
			opts:    opts,
			wantErr: `invalid department id "": want ASCII letters, digits and '_'`,
		},
		"A department id that would break a matcher is rejected.": {
			depts:   []string{`ndrc"`},
			opts:    opts,
			wantErr: `invalid department id "ndrc\"": want ASCII letters, digits and '_'`,
		},
		"A Chinese department name is not an id.": {
			depts:   []string{"发展改革委"},
			opts:    opts,
			wantErr: `invalid department id "发展改革委": want ASCII letters, digits and '_'`,
		},
		"A department URL without the id placeholder is rejected.": {
			depts:   []string{"ndrc"},
			opts:    with(func(o *Options) { o.DepartmentURL = "http://hooks/" }),
			wantErr: `department URL "http://hooks/" must contain {{id}}`,
		},
		"A missing leaders URL is rejected.": {
			depts:   []string{"ndrc"},
			opts:    with(func(o *Options) { o.LeadersURL = "" }),
			wantErr: "leaders URL is required",
		},
		"A relative default URL is rejected.": {
			depts:   []string{"ndrc"},
			opts:    with(func(o *Options) { o.DefaultURL = "/hook" }),
			wantErr: `invalid default URL "/hook": want an absolute http or https URL`,
		},
		"A department URL with another scheme is rejected.": {
			depts:   []string{"ndrc"},
			opts:    with(func(o *Options) { o.DepartmentURL = "ftp://hooks/{{id}}" }),
			wantErr: `invalid department ndrc URL "ftp://hooks/ndrc": want an absolute http or https URL`,
		},
		"A negative duration is rejected.": {
			depts:   []string{"ndrc"},
			opts:    with(func(o *Options) { o.RepeatInterval = -time.Hour }),
			wantErr: "group wait, group interval and repeat interval must not be negative",
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := AlertmanagerConfig(tc.depts, tc.opts)
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("got error %v, want %q", err, tc.wantErr)
			}
		})
	}
}
