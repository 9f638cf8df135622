package indicators_test

import (
	"math"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// Runtime sums, so the compiler cannot fold 0.1+0.2 into an exact 0.3.
var pointOne, pointTwo = 0.1, 0.2

func TestTargetMet(t *testing.T) {
	cases := map[string]struct {
		dir       indicators.Direction
		value     float64
		tolerance float64
		v         float64
		want      bool
	}{
		"an at_least value above the target meets it":                   {indicators.AtLeast, 80, 0, 81, true},
		"an at_least value equal to the target meets it":                {indicators.AtLeast, 80, 0, 80, true},
		"an at_least value a hundredth below the target does not":       {indicators.AtLeast, 80, 0, 79.99, false},
		"an at_most value below the target meets it":                    {indicators.AtMost, 2.25, 0, 2.2, true},
		"an at_most value equal to the target meets it":                 {indicators.AtMost, 2.25, 0, 2.25, true},
		"an at_most value above the target does not meet it":            {indicators.AtMost, 2.25, 0, 2.3, false},
		"an at_least target of about 3.5 is met at 3.4 (tolerance 0.1)": {indicators.AtLeast, 3.5, 0.1, 3.4, true},
		"an at_least target of about 3.5 is missed at 3.39":             {indicators.AtLeast, 3.5, 0.1, 3.39, false},
		"an at_least target of about 3.5 is met far above it":           {indicators.AtLeast, 3.5, 0.1, 10, true},
		"an at_most target of about 5 is met at 5.5 (tolerance 0.5)":    {indicators.AtMost, 5, 0.5, 5.5, true},
		"an at_most target of about 5 is missed at 5.51":                {indicators.AtMost, 5, 0.5, 5.51, false},
		"an at_most target of about 5 is met far below it":              {indicators.AtMost, 5, 0.5, 0, true},
		"a NaN value never meets an at_least target":                    {indicators.AtLeast, 80, 0, math.NaN(), false},
		"a NaN value never meets an at_most target":                     {indicators.AtMost, 2.25, 0, math.NaN(), false},
		"a NaN value never meets a target with tolerance":               {indicators.AtMost, 5, 0.5, math.NaN(), false},
		"an at_least target of zero is met by zero":                     {indicators.AtLeast, 0, 0, 0, true},
		"an at_least target of zero is missed by a negative value":      {indicators.AtLeast, 0, 0, -0.5, false},
		"a negative at_most target is met below it":                     {indicators.AtMost, -10, 0, -12, true},
		"a negative at_most target is missed above it":                  {indicators.AtMost, -10, 0, -9, false},
		// Float noise: 0.1+0.2 is 0.30000000000000004 and must still
		// meet a target of 0.3 it equals on paper.
		"a sum of 0.1 and 0.2 meets an at_most target of 0.3":  {indicators.AtMost, 0.3, 0, pointOne + pointTwo, true},
		"a sum of 0.1 and 0.2 meets an at_least target of 0.3": {indicators.AtLeast, 0.3, 0, pointOne + pointTwo, true},
		// 2.2500000001 is 1e-10 above 2.25, inside the 1e-9 relative
		// epsilon the code documents (see the report: the spec's literal
		// "v ≤ target" would say not met).
		"a value 1e-10 above an at_most target of 2.25 counts as meeting it":  {indicators.AtMost, 2.25, 0, 2.2500000001, true},
		"a value 1e-10 below an at_least target of 2.25 counts as meeting it": {indicators.AtLeast, 2.25, 0, 2.2499999999, true},
		"a value 1e-7 above an at_most target of 2.25 does not meet it":       {indicators.AtMost, 2.25, 0, 2.2500001, false},
		"a value 1e-7 below an at_least target of 2.25 does not meet it":      {indicators.AtLeast, 2.25, 0, 2.2499999, false},
		"a large at_least target of 250000000 is met exactly":                 {indicators.AtLeast, 250000000, 0, 250000000, true},
		"a large at_least target of 250000000 is missed by one unit":          {indicators.AtLeast, 250000000, 0, 249999999, false},
		"a large at_most target of 250000000 is missed by one unit":           {indicators.AtMost, 250000000, 0, 250000001, false},
		"a large at_least target of 250000000 is met within a tolerance of 1": {indicators.AtLeast, 250000000, 1, 249999999, true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tg := target(func(tg *indicators.Target) { tg.Direction, tg.Value, tg.Tolerance = c.dir, c.value, c.tolerance })
			if got := tg.Met(c.v); got != c.want {
				t.Errorf("Met(%v) with %s %v ± %v = %v, want %v", c.v, c.dir, c.value, c.tolerance, got, c.want)
			}
		})
	}
}

func TestTargetOngoing(t *testing.T) {
	cases := map[string]struct {
		deadline time.Time
		want     bool
	}{
		"a target without a deadline is ongoing":            {time.Time{}, true},
		"a target with a deadline is not ongoing":           {deadline25, false},
		"a target with a deadline long past is not ongoing": {endOf(1999, 12, 31), false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tg := target(func(tg *indicators.Target) { tg.Deadline = c.deadline })
			if got := tg.Ongoing(); got != c.want {
				t.Errorf("Ongoing() = %v, want %v", got, c.want)
			}
		})
	}
}

func TestTargetMayReport(t *testing.T) {
	tg := target(func(tg *indicators.Target) {
		tg.Lead = []string{"housing"}
		tg.Participants = []string{"ndrc", "finance"}
	})
	cases := map[string]struct {
		dept string
		want bool
	}{
		"the lead department may report":                  {"housing", true},
		"a participant department may report":             {"ndrc", true},
		"the last participant department may report":      {"finance", true},
		"an unrelated department may not report":          {"transport", false},
		"an empty department id may not report":           {"", false},
		"department ids are matched exactly, not by case": {"Housing", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := tg.MayReport(c.dept); got != c.want {
				t.Errorf("MayReport(%q) = %v, want %v", c.dept, got, c.want)
			}
		})
	}
	t.Run("a target without lead or participants accepts no one", func(t *testing.T) {
		if target(nil).MayReport("housing") {
			t.Error("MayReport(housing) = true on a target with no departments")
		}
	})
}
