package config

import (
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
		}
	})
}
