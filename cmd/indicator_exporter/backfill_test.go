package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/store"
)

func TestBackfillCommand(t *testing.T) {
	plan, err := config.LoadFile(shippedPlan)
	if err != nil {
		t.Fatal(err)
	}
	storage := t.TempDir()
	st, err := store.Open(storage, plan)
	if err != nil {
		t.Fatal(err)
	}
	first := plan.Targets[0]
	region := plan.TargetRegions(first)[0]
	recv := time.Date(2022, 7, 3, 9, 0, 0, 0, plan.Location)
	asOf := time.Date(2022, 6, 30, 0, 0, 0, 0, plan.Location)
	late := time.Date(2026, 6, 30, 0, 0, 0, 0, plan.Location)
	obs := []store.Observation{
		{Indicator: first.ID, Region: region, AsOf: asOf, Value: 1.5, Raw: "1.5", ReceivedAt: recv, Department: first.Lead[0], Source: "a.csv", Line: 2},
		{Indicator: first.ID, Region: region, AsOf: late, Value: 2, Raw: "2", ReceivedAt: recv, Department: first.Lead[0], Source: "a.csv", Line: 3},
	}
	if err := st.Commit(context.Background(), store.Batch{SHA256: "bf", Department: first.Lead[0], Source: "a.csv",
		ReceivedAt: recv, Observations: obs}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	sample := fmt.Sprintf(`indicator_reported_value{indicator="%s",region="%s"} 1.5 %d`, first.ID, region, asOf.Unix())
	lateSample := fmt.Sprintf(`indicator_reported_value{indicator="%s",region="%s"} 2 %d`, first.ID, region, late.Unix())

	tests := map[string]struct {
		args     []string
		code     int
		inFile   []string // lines the output file must hold
		notFile  []string
		inStdout []string
		inStderr string
	}{
		"writes every report to the file and says what to do next": {
			args: []string{"--storage.path=" + storage, "backfill", "--out", "OUT"}, code: 0,
			inFile: []string{sample, lateSample, "# EOF"}, inStdout: []string{"wrote ", "promtool tsdb create-blocks-from openmetrics"},
		},
		"leaves out reports at or after --end": {
			args: []string{"--storage.path=" + storage, "backfill", "--out", "OUT", "--end", "2026-06-30"}, code: 0,
			inFile: []string{sample}, notFile: []string{lateSample}, inStdout: []string{"1 reports at or after 2026-06-30"},
		},
		"writes to standard output with --out=-": {
			args: []string{"--storage.path=" + storage, "backfill", "--out=-"}, code: 0,
			inStdout: []string{sample, "# EOF"},
		},
		"refuses a storage path without a database instead of creating one": {
			args: []string{"--storage.path=" + filepath.Join(storage, "nothing"), "backfill", "--out", "OUT"}, code: 1,
			inStderr: "no history database",
		},
		"rejects an --end it cannot read": {
			args: []string{"--storage.path=" + storage, "backfill", "--out", "OUT", "--end", "last week"}, code: 1,
			inStderr: "--end",
		},
		"says how to write to standard output when given --out -": {
			args: []string{"--storage.path=" + storage, "backfill", "--out", "-"}, code: 1, inStderr: "--out=-",
		},
		"needs --out": {
			args: []string{"--storage.path=" + storage, "backfill"}, code: 2, inStderr: "out",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "history.om")
			args := []string{"--config=" + shippedPlan}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "OUT", out))
			}
			cmd := exec.Command(binary, args...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, s := range tc.inStdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			if !strings.Contains(stderr.String(), tc.inStderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.inStderr, stderr.String())
			}
			if len(tc.inFile)+len(tc.notFile) == 0 {
				if _, err := os.Stat(out); err == nil {
					t.Errorf("%s written", out)
				}
				return
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.inFile {
				if !strings.Contains(string(b), s+"\n") {
					t.Errorf("file lacks %q:\n%s", s, b)
				}
			}
			for _, s := range tc.notFile {
				if strings.Contains(string(b), s) {
					t.Errorf("file has %q:\n%s", s, b)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(storage, "nothing")); err == nil {
		t.Error("backfill created a storage directory")
	}
}
