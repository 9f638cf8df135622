package indicators_test

import (
	"math"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// withCheckpoint is 0 → 100 by 2025-12-31 with 60 planned by the end of
// 2022 (2023-01-01 00:00, 730 days in; 1096 days remain to the deadline).
func withCheckpoint() *indicators.Target {
	t := increment(100)
	t.Checkpoints = []indicators.Checkpoint{{Date: endOf(2022, 12, 31), Value: 60}}
	return t
}

func TestExpectedProgress(t *testing.T) {
	nan := math.NaN()
	atMostCP := target(func(t *indicators.Target) {
		// 城乡收入比 2.5 → 2.25, planned 2.45 by the end of 2022.
		t.Direction, t.Value = indicators.AtMost, 2.25
		t.Checkpoints = []indicators.Checkpoint{{Date: endOf(2022, 12, 31), Value: 2.45}}
	})
	ongoing := target(func(t *indicators.Target) { t.Deadline = time.Time{} })
	ongoingDue := target(func(t *indicators.Target) {
		t.Deadline, t.Checkpoints = time.Time{}, []indicators.Checkpoint{{Date: endOf(2022, 12, 31), Value: t.Value}}
	})
	ongoingStep := target(func(t *indicators.Target) {
		t.Deadline, t.Checkpoints = time.Time{}, []indicators.Checkpoint{{Date: endOf(2022, 12, 31), Value: 0.6 * t.Value}}
	})
	annual := func(edit func(*indicators.Target)) *indicators.Target {
		t := increment(100)
		t.Period = indicators.Annual
		if edit != nil {
			edit(t)
		}
		return t
	}
	sustained := target(func(t *indicators.Target) { t.Period, t.Value = indicators.Sustained, 95 })
	ms := milestone(endOf(2023, 6, 30))
	msOngoing := milestone(time.Time{})

	cases := map[string]struct {
		t        *indicators.Target
		baseline float64
		haveBase bool
		now      time.Time
		want     float64
	}{
		// by_deadline, straight line over 1826 days.
		"a day before the start nothing is expected":             {target(nil), 0, true, day(2020, 12, 31), 0},
		"a second before the start nothing is expected":          {target(nil), 0, true, start2021.Add(-time.Second), 0},
		"a century before the start nothing is expected":         {target(nil), 0, true, day(1921, 1, 1), 0},
		"at the very start nothing is expected yet":              {target(nil), 0, true, start2021, 0},
		"after one year 365 of 1826 days' progress is expected":  {target(nil), 0, true, day(2022, 1, 1), 365 / spanDays},
		"halfway through the span half is expected":              {target(nil), 0, true, daysAfter(start2021, 913), 0.5},
		"at noon on the deadline day half a day is still left":   {target(nil), 0, true, at(2025, 12, 31, 12, 0, 0), (spanDays - 0.5) / spanDays},
		"a second before the deadline nearly all is expected":    {target(nil), 0, true, deadline25.Add(-time.Second), 1 - 1/(spanDays*86400)},
		"exactly at the deadline everything is expected":         {target(nil), 0, true, deadline25, 1},
		"a day after the deadline everything is expected":        {target(nil), 0, true, day(2026, 1, 2), 1},
		"far in the future everything is expected, not more":     {target(nil), 0, true, day(2100, 1, 1), 1},
		"without a baseline the straight line still applies":     {target(nil), math.NaN(), false, daysAfter(start2021, 913), 0.5},
		"the instant is compared, not the zone it is written in": {target(nil), 0, true, time.Date(2021, 12, 31, 16, 0, 0, 0, time.UTC), 365 / spanDays},

		// Ongoing by_deadline: no pace.
		"an ongoing target has no expected progress":          {ongoing, 0, true, day(2023, 1, 1), nan},
		"an ongoing target far in the future has none either": {ongoing, 0, true, day(2100, 1, 1), nan},
		"an ongoing target expects nothing before its start":  {ongoing, 0, true, day(2020, 6, 1), 0},

		// Ongoing by_deadline with checkpoints ("到 2023 年达到 60%" under
		// 持续推进): they set the pace, the last one's ratio holds after it.
		"an ongoing target is due by a checkpoint at its value, baseline or not": {ongoingDue, math.NaN(), false, day(2022, 1, 1), 0.5},
		"an ongoing target's pace reaches 1 at a checkpoint at its value":        {ongoingDue, math.NaN(), false, endOf(2022, 12, 31), 1},
		"an ongoing target's last checkpoint holds long after it":                {ongoingDue, 0, true, day(2040, 1, 1), 1},
		"an ongoing target's intermediate checkpoint needs a baseline":           {ongoingStep, math.NaN(), false, day(2022, 1, 1), nan},
		"an ongoing target's intermediate checkpoint read against its baseline":  {ongoingStep, 0, true, day(2030, 1, 1), 0.6},
		"an ongoing target with a checkpoint expects nothing before its start":   {ongoingDue, 0, true, day(2020, 6, 1), 0},

		// Checkpoints bend the path.
		"halfway to a checkpoint, half its ratio is expected":                 {withCheckpoint(), 0, true, day(2022, 1, 1), 0.3},
		"at a checkpoint its ratio is expected":                               {withCheckpoint(), 0, true, endOf(2022, 12, 31), 0.6},
		"halfway from a checkpoint to the deadline the path is at 0.8":        {withCheckpoint(), 0, true, day(2024, 7, 2), 0.8},
		"a checkpoint path still reaches 1 at the deadline":                   {withCheckpoint(), 0, true, deadline25, 1},
		"without a baseline a checkpoint is ignored":                          {withCheckpoint(), math.NaN(), false, day(2022, 1, 1), 365 / spanDays},
		"a checkpoint is read against the baseline it is given":               {withCheckpoint(), 20, true, endOf(2022, 12, 31), 0.5},
		"an at_most checkpoint converts to a ratio the same way":              {atMostCP, 2.5, true, endOf(2022, 12, 31), 0.2},
		"halfway to an at_most checkpoint half its ratio is expected":         {atMostCP, 2.5, true, day(2022, 1, 1), 0.1},
		"a checkpoint is ignored when the target equals the baseline":         {withCheckpoint(), 100, true, day(2022, 1, 1), 365 / spanDays},
		"a checkpoint the baseline is already past expects nothing, not less": {withCheckpoint(), 70, true, endOf(2022, 12, 31), 0},

		// Annual: the share of the calendar year elapsed.
		"on 1 January an annual target expects nothing yet":                {annual(nil), 0, true, day(2024, 1, 1), 0},
		"on 2 July of a leap year half the year is expected":               {annual(nil), 0, true, day(2024, 7, 2), 0.5},
		"at noon on 31 December 364.5 of 365 days are expected":            {annual(nil), 0, true, at(2023, 12, 31, 12, 0, 0), 364.5 / 365},
		"at midnight into 2024 the new year starts from nothing":           {annual(nil), 0, true, day(2024, 1, 1), 0},
		"the new year begins in Shanghai while it is still 2023 in UTC":    {annual(nil), 0, true, time.Date(2023, 12, 31, 16, 0, 0, 0, time.UTC), 0},
		"in a first, partial year the year counts from the start":          {annual(func(t *indicators.Target) { t.Start = day(2021, 7, 1) }), 0, true, day(2021, 10, 1), 92.0 / 184},
		"in the deadline year the year ends at the deadline":               {annual(func(t *indicators.Target) { t.Deadline = endOf(2025, 6, 30) }), 0, true, day(2025, 4, 1), 90.0 / 181},
		"exactly at the deadline an annual target expects everything":      {annual(nil), 0, true, deadline25, 1},
		"after a mid-year deadline an annual target expects everything":    {annual(func(t *indicators.Target) { t.Deadline = endOf(2025, 6, 30) }), 0, true, day(2025, 9, 1), 1},
		"far past the deadline an annual target expects everything":        {annual(nil), 0, true, day(2040, 7, 2), 1},
		"before the start an annual target expects nothing":                {annual(nil), 0, true, day(2020, 7, 2), 0},
		"an ongoing annual target keeps counting the year in 2028":         {annual(func(t *indicators.Target) { t.Deadline = time.Time{} }), 0, true, day(2028, 7, 2), 0.5},
		"an annual target's year is its own, not the span's (no baseline)": {annual(nil), math.NaN(), false, day(2024, 7, 2), 0.5},

		// Sustained: the level must hold from the start.
		"a sustained level is fully expected from its start":     {sustained, 0, false, start2021, 1},
		"a sustained level is fully expected mid-span":           {sustained, 0, false, day(2023, 7, 3), 1},
		"a sustained level is fully expected after the deadline": {sustained, 0, false, day(2030, 1, 1), 1},
		"a sustained level expects nothing before its start":     {sustained, 0, false, day(2020, 12, 31), 0},

		// Milestones: nothing until the deadline, then all.
		"a milestone expects nothing before its deadline":       {ms, 0, true, day(2023, 6, 30), 0},
		"a milestone expects nothing a second before deadline":  {ms, 0, true, endOf(2023, 6, 30).Add(-time.Second), 0},
		"a milestone is fully expected exactly at its deadline": {ms, 0, true, endOf(2023, 6, 30), 1},
		"a milestone is fully expected after its deadline":      {ms, 0, true, day(2030, 1, 1), 1},
		"a milestone expects nothing before its start":          {ms, 0, true, day(2020, 1, 1), 0},
		"an ongoing milestone has no expected progress":         {msOngoing, 0, true, day(2023, 1, 1), nan},
		"an ongoing milestone expects nothing before its start": {msOngoing, 0, true, day(2020, 1, 1), 0},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := indicators.ExpectedProgress(c.t, indicators.Baseline{Value: c.baseline, Known: c.haveBase}, c.now)
			checkFloat(t, "ExpectedProgress", got, c.want)
		})
	}
}

func TestPlannedValue(t *testing.T) {
	atMost := target(func(t *indicators.Target) { t.Direction, t.Value = indicators.AtMost, 2.25 })
	cases := map[string]struct {
		t        *indicators.Target
		baseline float64
		haveBase bool
		now      time.Time
		want     float64
	}{
		"halfway along 0 → 100 the plan is at 50":            {increment(100), 0, true, daysAfter(start2021, 913), 50},
		"halfway along 2.5 → 2.25 the plan is at 2.375":      {atMost, 2.5, true, daysAfter(start2021, 913), 2.375},
		"at the start the plan is at the baseline":           {atMost, 2.5, true, start2021, 2.5},
		"at the deadline the plan is at the target":          {atMost, 2.5, true, deadline25, 2.25},
		"at a checkpoint the plan is at the checkpoint":      {withCheckpoint(), 0, true, endOf(2022, 12, 31), 60},
		"without a baseline there is no planned value":       {increment(100), math.NaN(), false, day(2023, 1, 1), math.NaN()},
		"an ongoing target has no planned value":             {target(func(t *indicators.Target) { t.Deadline = time.Time{} }), 0, true, day(2023, 1, 1), math.NaN()},
		"a large target is planned without losing precision": {target(func(t *indicators.Target) { t.Value = 250000000 }), 200000000, true, daysAfter(start2021, 913), 225000000},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			checkFloat(t, "PlannedValue", indicators.PlannedValue(c.t, indicators.Baseline{Value: c.baseline, Known: c.haveBase}, c.now), c.want)
		})
	}
}
