package web

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// keys returns the sorted keys of a JSON object.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, body)
	}
	return m
}

var stateKeys = []string{"baseline", "current", "expected_progress", "last_arrival", "last_report", "planned", "progress",
	"projected", "projected_progress", "projected_reach", "region", "region_name", "status", "status_text"}

var indicatorKeys = append([]string{"deadline", "direction", "id", "kind", "lead", "measure", "name", "participants",
	"period", "scope", "section", "target", "target_text", "task", "tolerance", "unit", "url"}, stateKeys...)

func sorted(s ...[]string) []string {
	var out []string
	for _, x := range s {
		out = append(out, x...)
	}
	sort.Strings(out)
	return out
}

func TestAPIIndicatorsShape(t *testing.T) {
	e := newEnv(t)
	e.seed()
	m := decode(t, e.get("/api/v1/indicators?sort=task"))
	if got := keys(m); !reflect.DeepEqual(got, []string{"generated_at", "indicators", "plan"}) {
		t.Fatalf("top-level keys %v", got)
	}
	if m["plan"] != "测试计划" || m["generated_at"] != "2022-07-01T00:00:00+08:00" {
		t.Errorf("plan %v, generated_at %v", m["plan"], m["generated_at"])
	}
	list := m["indicators"].([]any)
	if len(list) != 5 {
		t.Fatalf("%d indicators, want 5", len(list))
	}
	byID := map[string]map[string]any{}
	for _, x := range list {
		ind := x.(map[string]any)
		byID[ind["id"].(string)] = ind
		want := sorted(indicatorKeys)
		if ind["scope"] == "each_city" {
			want = sorted(indicatorKeys, []string{"cities", "regions_met", "regions_total"})
		}
		if got := keys(ind); !reflect.DeepEqual(got, want) {
			t.Errorf("%s keys:\n got %v\nwant %v", ind["id"], got, want)
		}
	}

	r := byID["renovated_households"]
	checks := map[string]any{
		"status": "on_track", "status_text": "正常推进", "current": 900000.0, "baseline": 0.0, "target": 1500000.0,
		"unit": "户", "deadline": "2023-12-31", "last_report": "2022-06-30", "last_arrival": "2022-06-30T16:00:00+08:00",
		"region": "shandong", "region_name": "山东省", "url": "/indicators/renovated_households", "task": 28.0,
		"target_text": "≥ 150万户",
	}
	for k, want := range checks {
		if !reflect.DeepEqual(r[k], want) {
			t.Errorf("renovated_households.%s = %#v, want %#v", k, r[k], want)
		}
	}
	if p := r["progress"].(float64); p != 0.6 {
		t.Errorf("progress = %v, want 0.6", p)
	}
	if lead := r["lead"].([]any); len(lead) != 1 || !reflect.DeepEqual(lead[0], map[string]any{"id": "housing", "name": "省住房城乡建设厅"}) {
		t.Errorf("lead = %v", lead)
	}

	// Numbers that do not exist are null, not 0 and not missing.
	ms := byID["new_area_plan"]
	for _, k := range []string{"current", "progress", "last_report", "projected"} {
		if v, ok := ms[k]; !ok || v != nil {
			t.Errorf("new_area_plan.%s = %#v, want null", k, v)
		}
	}
	if ms["status"] != "overdue" {
		t.Errorf("new_area_plan status %v", ms["status"])
	}

	city := byID["medical_waste_sites"]
	if city["current"] != nil {
		t.Errorf("the province row of an each-city target has current %v; the count is in regions_met", city["current"])
	}
	if city["regions_met"] != 1.0 || city["regions_total"] != 2.0 {
		t.Errorf("regions met/total = %v/%v", city["regions_met"], city["regions_total"])
	}
	cities := city["cities"].([]any)
	if len(cities) != 2 {
		t.Fatalf("%d cities", len(cities))
	}
	jinan := cities[0].(map[string]any)
	if got := keys(jinan); !reflect.DeepEqual(got, sorted(stateKeys)) {
		t.Errorf("city keys %v", got)
	}
	if jinan["region"] != "jinan" || jinan["status"] != "achieved" || cities[1].(map[string]any)["current"] != nil {
		t.Errorf("cities = %v", cities)
	}

	// The overview's filters apply.
	lag := decode(t, e.get("/api/v1/indicators?status=lagging"))["indicators"].([]any)
	if len(lag) != 1 || lag[0].(map[string]any)["id"] != "income_ratio" {
		t.Errorf("?status=lagging gives %v", lag)
	}
}

func TestAPIIndicatorDetailShape(t *testing.T) {
	e := newEnv(t)
	e.seed()
	m := decode(t, e.get("/api/v1/indicators/renovated_households"))
	if got := keys(m); !reflect.DeepEqual(got, sorted(indicatorKeys, []string{"checkpoints", "description", "history"})) {
		t.Errorf("keys %v", got)
	}
	if m["description"] != "3年改造老旧小区150万户。" {
		t.Errorf("description %v", m["description"])
	}
	if cps, ok := m["checkpoints"].([]any); !ok || len(cps) != 0 {
		t.Errorf("checkpoints = %#v, want []", m["checkpoints"])
	}
	hist := m["history"].([]any)
	if len(hist) != 3 {
		t.Fatalf("%d reports, want 3", len(hist))
	}
	want := []map[string]any{
		{"as_of": "2021-12-31", "value": 500000.0, "superseded": false, "source": "住建厅_2022年报送.csv", "line": 2.0},
		{"as_of": "2022-06-30", "value": 850000.0, "superseded": true, "source": "住建厅_2022年报送.csv", "line": 3.0, "note": scriptNote},
		{"as_of": "2022-06-30", "value": 900000.0, "superseded": false, "source": evilFile, "line": 2.0, "note": imgNote},
	}
	for i, w := range want {
		h := hist[i].(map[string]any)
		if got := keys(h); !reflect.DeepEqual(got, []string{"as_of", "department", "line", "note", "raw", "received_at", "region", "source", "superseded", "value"}) {
			t.Fatalf("report keys %v", got)
		}
		for k, v := range w {
			if h[k] != v {
				t.Errorf("history[%d].%s = %#v, want %#v", i, k, h[k], v)
			}
		}
	}
	// By Chinese name too, the same indicator.
	if byName := decode(t, e.get("/api/v1/indicators/老旧小区改造户数")); byName["id"] != "renovated_households" {
		t.Errorf("lookup by name gives %v", byName["id"])
	}
}

func TestAPISubmissionsShape(t *testing.T) {
	e := newEnv(t)
	e.seed()
	m := decode(t, e.get("/api/v1/submissions"))
	subs := m["submissions"].([]any)
	if len(subs) != 3 {
		t.Fatalf("%d submissions, want 3", len(subs))
	}
	first := subs[0].(map[string]any) // newest first
	if got := keys(first); !reflect.DeepEqual(got, []string{"at", "department", "department_name", "file", "id", "report", "result", "rows"}) {
		t.Errorf("keys %v", got)
	}
	if first["department"] != "unknown" || first["department_name"] != "未识别的文件夹" || first["result"] != "rejected" {
		t.Errorf("newest submission = %v", first)
	}
	housing := decode(t, e.get("/api/v1/submissions?department=housing&limit=1"))["submissions"].([]any)
	if len(housing) != 1 {
		t.Fatalf("limit=1 gave %d", len(housing))
	}
	rep := housing[0].(map[string]any)["report"].([]any)
	if len(rep) != 4 || !strings.HasPrefix(rep[0].(string), "文件 / file: ") || !strings.HasPrefix(rep[3].(string), "第 2 行") {
		t.Errorf("report lines = %q (the BOM and blank lines must go)", rep)
	}
	empty := decode(t, e.get("/api/v1/submissions?department=health"))
	if subs, ok := empty["submissions"].([]any); !ok || len(subs) != 0 {
		t.Errorf("no submissions must be [], got %#v", empty["submissions"])
	}
}

// An ongoing target due at a checkpoint at its value has that day as its
// deadline in the API, as in the metrics.
func TestAPIDeadlineOfAnOngoingTargetDueAtACheckpoint(t *testing.T) {
	plan := loadPlan(t, "testdata/plan.toml")
	tg, _ := plan.Target("renovated_households")
	due := tg.Deadline
	tg.Deadline, tg.Checkpoints = time.Time{}, []indicators.Checkpoint{{Date: due, Value: tg.Value}}
	e := newEnvWith(t, plan)
	m := decode(t, e.get("/api/v1/indicators/renovated_households"))
	if m["deadline"] != due.Add(-time.Nanosecond).In(plan.Location).Format("2006-01-02") {
		t.Errorf("deadline %v, want the checkpoint's day", m["deadline"])
	}
}
