package config

import (
	"math"
	"os"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the plan loader: it must return a plan
// or an *Error, never panic, and never both.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"plan.toml", "testdata/invalid/unknown_key.toml", "testdata/invalid/syntax_error.toml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(validPlan))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load("fuzz.toml", data)
		if (p == nil) == (err == nil) {
			t.Fatalf("want exactly one of plan and error, got %v and %v", p != nil, err)
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T, want *config.Error: %v", err, err)
			}
			return
		}
		// An accepted plan has only finite numbers to compute with.
		finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
		if !(p.LagMargin >= 0 && p.LagMargin < 1) {
			t.Fatalf("accepted lag margin %v", p.LagMargin)
		}
		for _, tg := range p.Targets {
			if !finite(tg.Value) || !finite(tg.Baseline) || !finite(tg.Tolerance) {
				t.Fatalf("accepted non-finite numbers in %s: %+v", tg.ID, tg)
			}
			for _, c := range tg.Checkpoints {
				if !finite(c.Value) {
					t.Fatalf("accepted a non-finite checkpoint in %s", tg.ID)
				}
			}
		}
	})
}
