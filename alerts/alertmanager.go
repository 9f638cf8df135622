// Package alerts holds the alerting artefacts of indicator_exporter: the
// Prometheus rule file rules.yml (recording rules and alerts, unit-tested
// with promtool in *_test.yml) and the generator of the Alertmanager
// configuration alertmanager.yml, which routes the alerts to the leaders
// and to each department of the plan.
//
// alertmanager.yml is generated; regenerate it with
//
//	go generate ./alerts   (runs: go test ./alerts -run TestAlertmanagerConfigFile -update)
package alerts

//go:generate go test . -run TestAlertmanagerConfigFile -update

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/prometheus/common/model"
)

// IDPlaceholder is replaced by the department id in Options.DepartmentURL.
const IDPlaceholder = "{{id}}"

// Receiver names in the generated configuration.
const (
	// LeadersReceiver gets every critical indicator alert, in addition to
	// the lead department.
	LeadersReceiver = "leaders"
	// DefaultReceiver gets alerts without a known department: the
	// exporter's own alerts and departments missing from the list.
	DefaultReceiver = "default"
)

// DepartmentReceiver is the receiver name of a department.
func DepartmentReceiver(id string) string { return "dept-" + id }

// Options configure AlertmanagerConfig. Zero durations take the values of
// DefaultOptions; URLs are required.
type Options struct {
	// DepartmentURL is the webhook URL of each department's receiver;
	// every IDPlaceholder ("{{id}}") in it is replaced by the department id.
	DepartmentURL string
	// LeadersURL is the webhook URL of the leaders' receiver.
	LeadersURL string
	// DefaultURL is the webhook URL of the default receiver (the plan
	// office or the operators).
	DefaultURL string

	GroupWait      time.Duration
	GroupInterval  time.Duration
	RepeatInterval time.Duration
}

// DefaultOptions returns placeholder URLs under example.internal and the
// timings used for the committed alertmanager.yml. Replace the URLs for a
// real deployment.
func DefaultOptions() Options {
	return Options{
		DepartmentURL:  "http://dept-hooks.example.internal/" + IDPlaceholder,
		LeadersURL:     "http://leaders-hook.example.internal/",
		DefaultURL:     "http://default-hook.example.internal/",
		GroupWait:      30 * time.Second,
		GroupInterval:  5 * time.Minute,
		RepeatInterval: 24 * time.Hour,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.GroupWait == 0 {
		o.GroupWait = d.GroupWait
	}
	if o.GroupInterval == 0 {
		o.GroupInterval = d.GroupInterval
	}
	if o.RepeatInterval == 0 {
		o.RepeatInterval = d.RepeatInterval
	}
	return o
}

// departmentID is what a department id may look like: it is used
// unquoted in label matchers and receiver names.
var departmentID = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// AlertmanagerConfig returns an Alertmanager configuration (YAML) that
//   - groups alerts by alertname, department and indicator;
//   - sends critical indicator alerts (those with an indicator label) to
//     the leaders and continues;
//   - sends each department's alerts (label department) to its own
//     webhook receiver, DepartmentReceiver(id);
//   - sends everything else to the default receiver;
//   - inhibits schedule and forecast alerts of an overdue indicator, and
//     warnings that a critical alert of the same indicator and region
//     already covers.
//
// depts are department ids as in the department label (ASCII letters,
// digits and '_'), in the order the routes should appear.
func AlertmanagerConfig(depts []string, opts Options) ([]byte, error) {
	opts = opts.withDefaults()
	if !strings.Contains(opts.DepartmentURL, IDPlaceholder) {
		return nil, fmt.Errorf("department URL %q must contain %s", opts.DepartmentURL, IDPlaceholder)
	}
	if opts.GroupWait < 0 || opts.GroupInterval < 0 || opts.RepeatInterval < 0 {
		return nil, errors.New("group wait, group interval and repeat interval must not be negative")
	}
	data := amData{
		GroupWait:      model.Duration(opts.GroupWait).String(),
		GroupInterval:  model.Duration(opts.GroupInterval).String(),
		RepeatInterval: model.Duration(opts.RepeatInterval).String(),
		Leaders:        LeadersReceiver,
		Default:        DefaultReceiver,
	}
	var err error
	if data.LeadersURL, err = webhookURL("leaders URL", opts.LeadersURL); err != nil {
		return nil, err
	}
	if data.DefaultURL, err = webhookURL("default URL", opts.DefaultURL); err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(depts))
	for _, id := range depts {
		if !departmentID.MatchString(id) {
			return nil, fmt.Errorf("invalid department id %q: want ASCII letters, digits and '_'", id)
		}
		if seen[id] {
			return nil, fmt.Errorf("duplicate department id %q", id)
		}
		seen[id] = true
		u, err := webhookURL("department "+id+" URL", strings.ReplaceAll(opts.DepartmentURL, IDPlaceholder, id))
		if err != nil {
			return nil, err
		}
		data.Departments = append(data.Departments, amDepartment{ID: id, Receiver: DepartmentReceiver(id), URL: u})
	}
	data.AnyDepartment = strings.Join(depts, "|") // ids are [A-Za-z0-9_]: nothing to escape
	var buf bytes.Buffer
	if err := amTemplate.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("couldn't render the Alertmanager configuration: %w", err)
	}
	return buf.Bytes(), nil
}

// webhookURL checks an http(s) URL and returns it as a quoted YAML scalar.
func webhookURL(what, raw string) (string, error) {
	if raw == "" {
		return "", fmt.Errorf("%s is required", what)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("invalid %s: %w", what, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("invalid %s %q: want an absolute http or https URL", what, raw)
	}
	return yamlQuote(raw)
}

// yamlQuote returns s as a double-quoted YAML scalar (JSON strings are
// valid YAML).
func yamlQuote(s string) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return "", err
	}
	out := strings.TrimSuffix(b.String(), "\n")
	if strings.ContainsAny(out, "\n\r") {
		return "", errors.New("unexpected newline in quoted string")
	}
	return out, nil
}

type amData struct {
	GroupWait, GroupInterval, RepeatInterval string
	Leaders, Default                         string
	LeadersURL, DefaultURL                   string
	Departments                              []amDepartment
	AnyDepartment                            string // the ids as a regular expression: a|b|c
}

type amDepartment struct {
	ID, Receiver, URL string
}

var amTemplate = template.Must(template.New("alertmanager.yml").Parse(`# Alertmanager configuration for indicator_exporter alerts.
# Generated by alerts.AlertmanagerConfig (github.com/shandong/indicator_exporter/alerts);
# DO NOT EDIT. Regenerate with: go test ./alerts -update
route:
  receiver: {{ .Default }}
  # One notification per alert, department and indicator (all regions of
  # an indicator together).
  group_by: [alertname, department, indicator]
  group_wait: {{ .GroupWait }}
  group_interval: {{ .GroupInterval }}
  repeat_interval: {{ .RepeatInterval }}
  routes:
    # Critical alerts about an indicator go to the leaders, then on to the
    # lead department. Critical exporter alerts (no indicator label) do not.
    - receiver: {{ .Leaders }}
      matchers:
        - 'severity="critical"'
        - 'indicator=~".+"'
      continue: true
    # Each department gets the alerts it is named in (label departments:
    # every lead department of an indicator, comma-separated, or the inbox
    # department), so co-leads hear of an alert too.
{{- range .Departments }}
    - receiver: {{ .Receiver }}
      matchers:
        - 'departments=~"(.+,)?{{ .ID }}(,.+)?"'
      continue: true
{{- end }}
    # Everything else: exporter alerts and unknown departments.
    - receiver: {{ .Default }}
{{- if .AnyDepartment }}
      matchers:
        - 'departments!~"(.+,)?({{ .AnyDepartment }})(,.+)?"'
{{- end }}

inhibit_rules:
  # An overdue indicator: schedule and forecast alerts add nothing.
  - source_matchers:
      - 'alertname="IndicatorOverdue"'
    target_matchers:
      - 'alertname=~"IndicatorBehindSchedule|IndicatorProjectedToMiss"'
    equal: [indicator, region]
  # Behind schedule already says it (and its description has the
  # forecast): no separate forecast alert.
  - source_matchers:
      - 'alertname="IndicatorBehindSchedule"'
    target_matchers:
      - 'alertname="IndicatorProjectedToMiss"'
    equal: [indicator, region]
  # A critical alert silences the warning of the same alert, indicator and
  # region (IndicatorBehindSchedule, SustainedTargetBreached).
  - source_matchers:
      - 'severity="critical"'
    target_matchers:
      - 'severity="warning"'
    equal: [alertname, indicator, region]

receivers:
  - name: {{ .Default }}
    webhook_configs:
      - url: {{ .DefaultURL }}
        send_resolved: true
  - name: {{ .Leaders }}
    webhook_configs:
      - url: {{ .LeadersURL }}
        send_resolved: true
{{- range .Departments }}
  - name: {{ .Receiver }}
    webhook_configs:
      - url: {{ .URL }}
        send_resolved: true
{{- end }}
`))
