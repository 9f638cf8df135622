package alerts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tool returns the path of a Prometheus tool. A missing tool fails the test
// when CI is set and skips it otherwise.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := name + " not found: install prometheus / prometheus-alertmanager (apt-get install -y --no-install-recommends prometheus prometheus-alertmanager)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPromtoolCheckRules(t *testing.T) {
	run(t, "promtool", "check", "rules", "rules.yml")
}

func TestPromtoolTestRules(t *testing.T) {
	files, err := filepath.Glob("*_test.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no *_test.yml files")
	}
	run(t, "promtool", append([]string{"test", "rules"}, files...)...)
}

func TestAmtoolCheckConfig(t *testing.T) {
	run(t, "amtool", "check-config", amFile)
}

// TestAlertRouting asks amtool where sample alerts of each kind go.
func TestAlertRouting(t *testing.T) {
	type routeCase struct {
		labels []string
		want   string
	}
	cases := map[string]routeCase{
		"A critical indicator alert goes to the leaders and the lead department.": {
			labels: []string{"alertname=IndicatorOverdue", "severity=critical", "department=ndrc", "departments=ndrc", "indicator=gdp_growth", "region=shandong"},
			want:   "leaders,dept-ndrc",
		},
		"A critical behind-schedule alert goes to the leaders and the lead department.": {
			labels: []string{"alertname=IndicatorBehindSchedule", "severity=critical", "department=comms_admin", "departments=comms_admin", "indicator=base_stations_5g", "region=jinan"},
			want:   "leaders,dept-comms_admin",
		},
		"A breached sustained level past its deadline goes to the leaders and the lead department.": {
			labels: []string{"alertname=SustainedTargetBreached", "severity=critical", "department=ecology_env", "departments=ecology_env", "indicator=water_quality", "region=shandong"},
			want:   "leaders,dept-ecology_env",
		},
		"A behind-schedule warning goes to the lead department only.": {
			labels: []string{"alertname=IndicatorBehindSchedule", "severity=warning", "department=comms_admin", "departments=comms_admin", "indicator=gigabit_users", "region=shandong"},
			want:   "dept-comms_admin",
		},
		"A forecast warning goes to the lead department only.": {
			labels: []string{"alertname=IndicatorProjectedToMiss", "severity=warning", "department=big_data", "departments=big_data", "indicator=digital_economy_share", "region=shandong"},
			want:   "dept-big_data",
		},
		"An overdue report goes to the lead department only.": {
			labels: []string{"alertname=IndicatorReportOverdue", "severity=warning", "department=hrss", "departments=hrss", "indicator=new_urban_jobs", "region=shandong"},
			want:   "dept-hrss",
		},
		"A rejected inbox file goes to the inbox department.": {
			labels: []string{"alertname=InboxFileRejected", "severity=info", "department=statistics", "departments=statistics"},
			want:   "dept-statistics",
		},
		"A critical alert of an indicator with two lead departments goes to the leaders and both.": {
			labels: []string{"alertname=IndicatorOverdue", "severity=critical", "department=comms_admin", "departments=comms_admin,big_data", "indicator=gigabit_users", "region=shandong"},
			want:   "leaders,dept-big_data,dept-comms_admin", // in the order of the routes
		},
		"A warning of an indicator with three lead departments goes to each of them.": {
			labels: []string{"alertname=IndicatorBehindSchedule", "severity=warning", "department=ndrc", "departments=ndrc,energy,transport", "indicator=x", "region=shandong"},
			want:   "dept-ndrc,dept-transport,dept-energy",
		},
		"A department id inside another's does not match it.": {
			labels: []string{"alertname=IndicatorBehindSchedule", "severity=warning", "department=big_data_x", "departments=big_data_x", "indicator=x", "region=shandong"},
			want:   "default",
		},
		"A known lead beside an unknown one gets the alert; the default receiver does not.": {
			labels: []string{"alertname=IndicatorBehindSchedule", "severity=warning", "department=unknown_dept", "departments=unknown_dept,hrss", "indicator=x", "region=shandong"},
			want:   "dept-hrss",
		},
		"A warning for a department not in the plan goes to the default receiver.": {
			labels: []string{"alertname=IndicatorBehindSchedule", "severity=warning", "department=unknown_dept", "departments=unknown_dept", "indicator=x", "region=shandong"},
			want:   "default",
		},
		"A critical alert for a department not in the plan goes to the leaders and the default receiver.": {
			labels: []string{"alertname=IndicatorOverdue", "severity=critical", "department=unknown_dept", "departments=unknown_dept", "indicator=x", "region=shandong"},
			want:   "leaders,default",
		},
		"A rejected file in an unknown inbox goes to the default receiver.": {
			labels: []string{"alertname=InboxFileRejected", "severity=info", "department=old_dept", "departments=old_dept"},
			want:   "default",
		},
		"The exporter being down goes to the default receiver, not to the leaders.": {
			labels: []string{"alertname=ExporterDown", "severity=critical", "job=indicator_exporter", "instance=exporter:9877"},
			want:   "default",
		},
		"A failed config reload goes to the default receiver.": {
			labels: []string{"alertname=ExporterConfigReloadFailed", "severity=warning", "job=indicator_exporter", "instance=exporter:9877"},
			want:   "default",
		},
	}
	// Every department of the plan has its own route.
	for _, id := range planDepartments {
		cases["A warning of "+id+" goes to its own receiver."] = routeCase{
			labels: []string{"alertname=IndicatorReportOverdue", "severity=warning", "department=" + id, "departments=" + id, "indicator=x", "region=shandong"},
			want:   DepartmentReceiver(id),
		}
	}
	amtool := tool(t, "amtool")
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"config", "routes", "test", "--config.file=" + amFile, "--verify.receivers=" + tc.want}, tc.labels...)
			out, err := exec.Command(amtool, args...).Output()
			if err != nil {
				t.Fatalf("amtool %s: %v: routed to %q, want %q", strings.Join(args, " "), err, strings.TrimSpace(string(out)), tc.want)
			}
			if got := strings.TrimSpace(string(out)); got != tc.want {
				t.Fatalf("routed to %q, want %q", got, tc.want)
			}
		})
	}
}
