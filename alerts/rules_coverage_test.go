package alerts

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The checks below read the YAML files as text, in the layout they are
// written in; promtool checks their meaning.

var (
	alertLine  = regexp.MustCompile(`(?m)^      - alert: (\S+)$`)
	recordLine = regexp.MustCompile(`(?m)^      - record: (\S+)$`)
	// An alert_rule_test entry: alertname, then its exp_alerts.
	alertTest = regexp.MustCompile(`(?m)^\s+alertname: (\S+)\n\s+exp_alerts:( \[\])?$`)
	exprTest  = regexp.MustCompile(`(?m)^\s+- expr: (\S+)$`)
)

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func testFiles(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("*_test.yml")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, f := range files {
		all.WriteString(readFile(t, f))
	}
	return all.String()
}

// alertBlocks splits rules.yml into one text block per alerting rule.
func alertBlocks(rules string) map[string][]string {
	blocks := map[string][]string{}
	locs := alertLine.FindAllStringSubmatchIndex(rules, -1)
	for i, loc := range locs {
		end := len(rules)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		block := rules[loc[0]:end]
		if j := strings.Index(block, "\n  - name: "); j >= 0 {
			block = block[:j]
		}
		name := rules[loc[2]:loc[3]]
		blocks[name] = append(blocks[name], block)
	}
	return blocks
}

func TestEveryAlertHasSeverityAndAnnotations(t *testing.T) {
	blocks := alertBlocks(readFile(t, "rules.yml"))
	want := []string{
		"IndicatorBehindSchedule", "IndicatorProjectedToMiss", "IndicatorOverdue",
		"IndicatorReportOverdue", "SustainedTargetBreached", "InboxFileRejected",
		"ExporterConfigReloadFailed", "ExporterInboxFailing", "ExporterDown",
	}
	if len(blocks) != len(want) {
		t.Errorf("rules.yml has %d alerts, want %d", len(blocks), len(want))
	}
	for _, name := range want {
		if len(blocks[name]) == 0 {
			t.Errorf("rules.yml has no alert %s", name)
		}
		for _, b := range blocks[name] {
			for _, key := range []string{"\n        labels:\n          severity: ", "\n          summary: ", "\n          description: ", "\n          dashboard: 'http://grafana:3000/d/", "\n          runbook: "} {
				if !strings.Contains(b, key) {
					t.Errorf("alert %s: missing %q", name, strings.TrimSpace(key))
				}
			}
		}
	}
}

func TestEveryRuleIsTested(t *testing.T) {
	rules := readFile(t, "rules.yml")
	tests := testFiles(t)
	firing, quiet := map[string]bool{}, map[string]bool{}
	for _, m := range alertTest.FindAllStringSubmatch(tests, -1) {
		if m[2] == "" {
			firing[m[1]] = true
		} else {
			quiet[m[1]] = true
		}
	}
	for name := range alertBlocks(rules) {
		if !firing[name] {
			t.Errorf("alert %s has no test where it fires", name)
		}
		if !quiet[name] {
			t.Errorf("alert %s has no test where it does not fire", name)
		}
	}
	tested := map[string]bool{}
	for _, m := range exprTest.FindAllStringSubmatch(tests, -1) {
		tested[m[1]] = true
	}
	for _, m := range recordLine.FindAllStringSubmatch(rules, -1) {
		if !tested[m[1]] {
			t.Errorf("recording rule %s has no promql_expr_test", m[1])
		}
	}
}

func TestReadmeListsEveryRule(t *testing.T) {
	rules := readFile(t, "rules.yml")
	readme := readFile(t, "../README.md")
	for name := range alertBlocks(rules) {
		if !strings.Contains(readme, "| "+name+" |") {
			t.Errorf("README.md: no table row for alert %s", name)
		}
	}
	for _, m := range recordLine.FindAllStringSubmatch(rules, -1) {
		if !strings.Contains(readme, "| `"+m[1]+"` |") {
			t.Errorf("README.md: no table row for recording rule %s", m[1])
		}
	}
}
