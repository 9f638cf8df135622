package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Scaling out: a Prometheus next to the exporter forwards its series by
// remote write to a central store (here a second Prometheus with the
// remote-write receiver, standing for Thanos, Mimir or VictoriaMetrics),
// with external labels that keep several provinces apart in one store.
func TestRemoteWriteCarriesSeriesWithExternalLabels(t *testing.T) {
	promBin := needTool(t, "prometheus", "prometheus")
	dir := t.TempDir()
	exp := startDaemon(t, "--config=../../collector/testdata/plan.toml", "--storage.path="+filepath.Join(dir, "data"),
		"--inbox.dir="+filepath.Join(dir, "inbox"), "--inbox.archive-dir="+filepath.Join(dir, "archive"),
		"--inbox.rejected-dir="+filepath.Join(dir, "rejected"))

	central := freeAddr(t)
	startProcess(t, promBin, "http://"+central+"/-/ready", "--config.file="+writeFile(t, dir, "central.yml", "global: {}\n"),
		"--storage.tsdb.path="+filepath.Join(dir, "central"), "--web.listen-address="+central, "--web.enable-remote-write-receiver")

	edge := freeAddr(t)
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  external_labels: {province: shandong, plan: urbanization-2021-2023}
scrape_configs: [{job_name: indicator_exporter, static_configs: [{targets: ['%s']}]}]
remote_write:
  - url: http://%s/api/v1/write
    queue_config: {batch_send_deadline: 1s}
`, exp.addr, central)
	startProcess(t, promBin, "http://"+edge+"/-/ready", "--config.file="+writeFile(t, dir, "edge.yml", cfg),
		"--storage.tsdb.path="+filepath.Join(dir, "edge"), "--web.listen-address="+edge)

	// The status of every indicator must reach the central store, labelled
	// with the province and plan it came from.
	query := `count(indicator_status{province="shandong",plan="urbanization-2021-2023",job="indicator_exporter"} == 1)`
	deadline := time.Now().Add(60 * time.Second)
	for {
		if v, ok := instant(t, central, query); ok && v == 7 {
			break // 3 province targets, 2 cities and a roll-up, 1 milestone
		} else if time.Now().After(deadline) {
			t.Fatalf("central store: %s = %v (found %v); want 7", query, v, ok)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if v, ok := instant(t, central, `indicator_target_value{indicator="income_ratio",province="shandong"}`); !ok || v != 2.25 {
		t.Fatalf("target value in the central store = %v, %v", v, ok)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// instant runs an instant query and returns the first sample's value.
func instant(t *testing.T, addr, q string) (float64, bool) {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Data struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || len(r.Data.Result) == 0 {
		return 0, false
	}
	s, _ := r.Data.Result[0].Value[1].(string)
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		return 0, false
	}
	return v, true
}
