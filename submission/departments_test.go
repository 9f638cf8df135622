package submission

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/config"
)

// departmentsDir holds the golden corpus: files as the departments of the
// shipped plan (config/plan.toml) drop them, each beside the outcome it
// must keep (<file>.golden). The files are written by gen/main.go
// (cd testdata/departments && go run gen/main.go); the golden files by
// go test -run TestDepartmentFilesGolden -update, after checking every one
// by hand.
const departmentsDir = "testdata/departments"

// departmentsNow is when the corpus is read: a date in December 2026, so
// that 2026's first eleven months are over and the year itself is not.
func departmentsNow(loc *time.Location) time.Time {
	return time.Date(2026, 12, 5, 10, 0, 0, 0, loc)
}

// TestDepartmentFilesGolden holds Parse, on realistic department files
// read against the shipped plan, to what it stored (or why it refused)
// when the corpus was last checked: a change of the parser that changes
// what such a file stores fails here, file by file.
func TestDepartmentFilesGolden(t *testing.T) {
	plan, err := config.LoadFile("../config/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	if plan.Location == nil || plan.Location.String() != "Asia/Shanghai" {
		t.Fatalf("plan location = %v, want Asia/Shanghai", plan.Location)
	}
	now := departmentsNow(plan.Location)
	entries, err := os.ReadDir(departmentsDir)
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]bool{}
	var goldens []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
		case strings.HasSuffix(name, ".golden"):
			goldens = append(goldens, name)
		case strings.HasSuffix(name, ".csv"), strings.HasSuffix(name, ".txt"):
			inputs[name] = true
		default:
			t.Errorf("%s: neither an input (.csv, .txt) nor a .golden file", name)
		}
	}
	if len(inputs) == 0 {
		t.Fatalf("no department files in %s", departmentsDir)
	}
	for _, g := range goldens {
		if !inputs[strings.TrimSuffix(g, ".golden")] && !*update {
			t.Errorf("%s has no input file %s: remove it", g, strings.TrimSuffix(g, ".golden"))
		}
	}
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dept, _, ok := strings.Cut(name, "__")
			if !ok || dept == "" {
				t.Fatalf("%s: the name must start with the department id and __", name)
			}
			if _, known := plan.Department(dept); !known {
				t.Fatalf("%s: %q is no department of the plan", name, dept)
			}
			data, err := os.ReadFile(filepath.Join(departmentsDir, name))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(name, data, plan, dept, now, DefaultLimits())
			got := renderOutcome(name, dept, f, err, plan.Location)
			golden := filepath.Join(departmentsDir, name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no golden file (%v): check the outcome below by hand, then run go test -run TestDepartmentFilesGolden -update\n%s", err, got)
			}
			if got != string(want) {
				t.Errorf("outcome of %s changed:\n%s", name, lineDiff(string(want), got))
			}
		})
	}
}

// renderOutcome writes what Parse made of a file, one fact a line, so
// that a golden file reads as a statistician checks it.
func renderOutcome(name, dept string, f *File, err error, loc *time.Location) string {
	var b strings.Builder
	fmt.Fprintf(&b, "file: %s\ndepartment: %s\n", name, dept)
	var pe *Error
	switch {
	case err != nil && errors.As(err, &pe):
		fmt.Fprintf(&b, "result: refused\nencoding: %s\nproblems: %d\n", pe.Encoding, pe.Total())
		for _, p := range pe.Problems {
			fmt.Fprintf(&b, "problem %s\n", describeProblem(p))
		}
		if pe.Omitted > 0 {
			fmt.Fprintf(&b, "omitted: %d\n", pe.Omitted)
		}
	case err != nil:
		fmt.Fprintf(&b, "result: error\nerror: %v\n", err)
	case f == nil:
		b.WriteString("result: nothing\n")
	default:
		fmt.Fprintf(&b, "result: accepted\nkind: %s\nencoding: %s\nrows: %d\n", f.Kind, f.Encoding, len(f.Rows))
		for _, r := range f.Rows {
			fmt.Fprintf(&b, "row %d %s %s %s %s %q", r.Line, r.Indicator, r.Region, renderDay(r.AsOf, loc),
				strconv.FormatFloat(r.Value, 'g', -1, 64), r.Raw)
			if r.Note != "" {
				fmt.Fprintf(&b, " note=%q", r.Note)
			}
			b.WriteByte('\n')
		}
		for _, w := range f.Warnings {
			fmt.Fprintf(&b, "warning %s\n", describeProblem(w))
		}
	}
	return b.String()
}

// describeProblem is "line:column field: English text".
func describeProblem(p Problem) string {
	return fmt.Sprintf("%d:%d %s: %s", p.Line, p.Column, p.Field, p.En)
}

// renderDay writes a row's date as a day, or in full if it is not 00:00
// in the plan's location (which a row's date must be).
func renderDay(t time.Time, loc *time.Location) string {
	l := t.In(loc)
	if l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 || t.Location() != loc {
		return t.Format(time.RFC3339Nano) + "(not-midnight-in-plan-zone)"
	}
	return l.Format(time.DateOnly)
}

// lineDiff lists the lines of want and got that differ, for a readable
// failure.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}
