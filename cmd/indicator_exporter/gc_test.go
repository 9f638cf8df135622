package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestGCDefaultOnlyWhenGOGCIsUnset(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"unset", nil, true},
		{"only GOMEMLIMIT", map[string]string{"GOMEMLIMIT": "200MiB"}, true},
		{"empty", map[string]string{"GOGC": ""}, true},
		{"set", map[string]string{"GOGC": "200"}, false},
		{"set to Go's default", map[string]string{"GOGC": "100"}, false},
		{"off", map[string]string{"GOGC": "off"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			got := -1
			set := func(p int) int { got = p; return 100 }
			if applied := setGCDefault(lookup, set); applied != tc.want {
				t.Fatalf("applied = %v, want %v", applied, tc.want)
			}
			switch {
			case tc.want && got != defaultGCPercent:
				t.Fatalf("GC percent set to %d, want %d", got, defaultGCPercent)
			case !tc.want && got != -1:
				t.Fatalf("GC percent set to %d although GOGC=%q", got, tc.env["GOGC"])
			}
		})
	}
}

// The serving daemon runs with the default when GOGC is unset and with the
// operator's value when it is set, as the Go collector reports.
func TestDaemonGCPercent(t *testing.T) {
	if defaultGCPercent == 100 {
		t.Fatal("the default is Go's own: this test cannot tell them apart")
	}
	for _, tc := range []struct{ gogc, want string }{
		{"", strconv.Itoa(defaultGCPercent)}, // "" is unset
		{"200", "200"},
	} {
		t.Run("GOGC="+tc.gogc, func(t *testing.T) {
			var env []string
			for _, kv := range os.Environ() {
				if !strings.HasPrefix(kv, "GOGC=") {
					env = append(env, kv)
				}
			}
			if tc.gogc != "" {
				env = append(env, "GOGC="+tc.gogc)
			}
			if got := daemonGCPercent(t, env); got != tc.want {
				t.Fatalf("go_gc_gogc_percent %s, want %s", got, tc.want)
			}
		})
	}
}

// daemonGCPercent starts the daemon with env and returns the value of
// go_gc_gogc_percent on its first scrape.
func daemonGCPercent(t *testing.T, env []string) string {
	t.Helper()
	dir := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(binary, "--web.listen-address="+addr, "--config=../../collector/testdata/plan.toml",
		"--storage.path="+filepath.Join(dir, "data"), "--inbox.dir="+filepath.Join(dir, "inbox"),
		"--inbox.archive-dir="+filepath.Join(dir, "archive"), "--inbox.rejected-dir="+filepath.Join(dir, "rejected"))
	cmd.Env = env
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	re := regexp.MustCompile(`(?m)^go_gc_gogc_percent (\S+)$`)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if m := re.FindSubmatch(b); resp.StatusCode == 200 && m != nil {
				return string(m[1])
			}
			if resp.StatusCode == 200 {
				t.Fatalf("no go_gc_gogc_percent in the exposition:\n%s", b)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("exporter not serving after 20s:\n%s", logs.String())
	return ""
}
