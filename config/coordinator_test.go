package config

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// A refused reload keeps the plan in force and says why until a reload
// succeeds; the reload gauge follows.
func TestCoordinatorKeepsThePlanAndTheReasonOfARefusedReload(t *testing.T) {
	good, err := os.ReadFile("plan.toml") // the shipped plan
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.toml")
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	c, err := NewCoordinator(path, slog.New(slog.NewTextHandler(io.Discard, nil)), reg)
	if err != nil {
		t.Fatal(err)
	}
	before := c.Plan()
	if err, _ := c.LastReloadError(); err != nil {
		t.Fatalf("LastReloadError after a good load: %v", err)
	}
	if err := os.WriteFile(path, append(good, "\n[[indicator]]\nid = \"x\"\ntarget = \"66%\"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if c.Reload() == nil {
		t.Fatal("a broken plan was accepted")
	}
	if c.Plan() != before {
		t.Error("a refused reload changed the plan in force")
	}
	if err, at := c.LastReloadError(); err == nil || at.IsZero() || !strings.Contains(err.Error(), "indicator") {
		t.Errorf("LastReloadError = %v at %v, want the reason and its time", err, at)
	}
	if v := testutil.ToFloat64(c.success); v != 0 {
		t.Errorf("reload gauge %v after a refused reload, want 0", v)
	}
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := c.Reload(); err != nil {
		t.Fatal(err)
	}
	if err, _ := c.LastReloadError(); err != nil || testutil.ToFloat64(c.success) != 1 {
		t.Errorf("after a good reload: LastReloadError %v, gauge %v", err, testutil.ToFloat64(c.success))
	}
}
