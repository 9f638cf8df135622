package indicators_test

import (
	"math"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// midSpan is 913 days after 2021-01-01: expected progress on the straight
// 1826-day line is exactly 0.5.
var midSpan = daysAfter(start2021, 913) // 2023-07-03 00:00

func levelTarget(dir indicators.Direction, base, value float64) *indicators.Target {
	return target(func(t *indicators.Target) {
		t.Direction, t.Value, t.Baseline, t.HasBaseline, t.BaselineDate = dir, value, base, true, start2021
	})
}

func sustainedTarget(dir indicators.Direction, value, tol float64) *indicators.Target {
	return target(func(t *indicators.Target) {
		t.Period, t.Direction, t.Value, t.Tolerance = indicators.Sustained, dir, value, tol
	})
}

func TestEvaluateSeriesProgress(t *testing.T) {
	noBase := target(func(t *indicators.Target) { t.Value = 80 })
	cases := map[string]struct {
		t            *indicators.Target
		obs          []indicators.Observation
		wantCurrent  float64
		wantBaseline float64
		wantProgress float64
		wantStatus   indicators.Status
	}{
		"at_least progress is the share of the distance covered": {
			levelTarget(indicators.AtLeast, 60, 80), []indicators.Observation{ob(2023, 6, 30, 70)}, 70, 60, 0.5, indicators.OnTrack},
		"an at_most income ratio 2.5 → 2.25 at 2.4 is 0.4 of the way": {
			levelTarget(indicators.AtMost, 2.5, 2.25), []indicators.Observation{ob(2023, 6, 30, 2.4)}, 2.4, 2.5, 0.4, indicators.OnTrack},
		"an at_most target reached exactly gives progress 1": {
			levelTarget(indicators.AtMost, 2.5, 2.25), []indicators.Observation{ob(2023, 6, 30, 2.25)}, 2.25, 2.5, 1, indicators.Achieved},
		"an at_most value 1e-10 above the target counts as reached": {
			levelTarget(indicators.AtMost, 2.5, 2.25), []indicators.Observation{ob(2023, 6, 30, 2.2500000001)}, 2.2500000001, 2.5, 0.9999999996, indicators.Achieved},
		"an at_least target overshot gives progress above 1": {
			levelTarget(indicators.AtLeast, 60, 80), []indicators.Observation{ob(2023, 6, 30, 90)}, 90, 60, 1.5, indicators.Achieved},
		"an at_least value below the baseline gives negative progress": {
			levelTarget(indicators.AtLeast, 60, 80), []indicators.Observation{ob(2023, 6, 30, 50)}, 50, 60, -0.5, indicators.Lagging},
		"an at_most target overshot (value below it) gives progress above 1": {
			levelTarget(indicators.AtMost, 2.5, 2.25), []indicators.Observation{ob(2023, 6, 30, 2.0)}, 2.0, 2.5, 2, indicators.Achieved},
		"an at_most value risen above the baseline gives negative progress": {
			levelTarget(indicators.AtMost, 2.5, 2.25), []indicators.Observation{ob(2023, 6, 30, 2.6)}, 2.6, 2.5, -0.4, indicators.Lagging},
		"without a plan baseline the first report is the baseline": {
			noBase, []indicators.Observation{ob(2021, 6, 30, 64), ob(2022, 6, 30, 68), ob(2023, 6, 30, 72)}, 72, 64, 0.5, indicators.OnTrack},
		"a plan baseline wins over the first report": {
			levelTarget(indicators.AtLeast, 60, 80), []indicators.Observation{ob(2021, 6, 30, 64), ob(2023, 6, 30, 72)}, 72, 60, 0.6, indicators.OnTrack},
		// The path starts at the baseline's date too: three days on,
		// next to nothing is expected yet.
		"a single report without a plan baseline is the baseline: progress 0": {
			noBase, []indicators.Observation{ob(2023, 6, 30, 72)}, 72, 72, 0, indicators.OnTrack},
		"an increment measure counts from 0": {
			increment(5000), []indicators.Observation{ob(2023, 6, 30, 2600)}, 2600, 0, 0.52, indicators.OnTrack},
		"an at_least target equal to its baseline and met counts 1": {
			levelTarget(indicators.AtLeast, 100, 100), []indicators.Observation{ob(2023, 6, 30, 100)}, 100, 100, 1, indicators.Achieved},
		"an at_least target equal to its baseline and missed counts 0": {
			levelTarget(indicators.AtLeast, 100, 100), []indicators.Observation{ob(2023, 6, 30, 99)}, 99, 100, 0, indicators.Lagging},
		"an at_most target equal to its baseline and met counts 1": {
			levelTarget(indicators.AtMost, 35, 35), []indicators.Observation{ob(2023, 6, 30, 34)}, 34, 35, 1, indicators.Achieved},
		"an at_most target equal to its baseline and missed counts 0": {
			levelTarget(indicators.AtMost, 35, 35), []indicators.Observation{ob(2023, 6, 30, 36)}, 36, 35, 0, indicators.Lagging},
		"large values keep their precision: 2.375e8 of 2e8 → 2.5e8 is 0.75": {
			levelTarget(indicators.AtLeast, 200000000, 250000000), []indicators.Observation{ob(2023, 6, 30, 237500000)}, 237500000, 200000000, 0.75, indicators.OnTrack},
		"a large target missed by one unit is not achieved": {
			levelTarget(indicators.AtLeast, 200000000, 250000000), []indicators.Observation{ob(2023, 6, 30, 249999999)}, 249999999, 200000000, 0.99999998, indicators.OnTrack},
		"a 左右 target within its tolerance is achieved, progress 1 (not 0.84)": {
			target(func(t *indicators.Target) { t.Value, t.Tolerance, t.Baseline, t.HasBaseline = 3.5, 0.1, 3, true }),
			[]indicators.Observation{ob(2023, 6, 30, 3.42)}, 3.42, 3, 1, indicators.Achieved},
		"a 左右 target just outside its tolerance keeps its share": {
			target(func(t *indicators.Target) { t.Value, t.Tolerance, t.Baseline, t.HasBaseline = 3.5, 0.1, 3, true }),
			[]indicators.Observation{ob(2023, 6, 30, 3.35)}, 3.35, 3, 0.7, indicators.OnTrack},
		"an at_most 左右 target within its tolerance is achieved, progress 1": {
			target(func(t *indicators.Target) {
				t.Direction, t.Value, t.Tolerance, t.Baseline, t.HasBaseline = indicators.AtMost, 5, 0.5, 7, true
			}),
			[]indicators.Observation{ob(2023, 6, 30, 5.4)}, 5.4, 7, 1, indicators.Achieved},
		"an at_most 左右 target just outside its tolerance is not achieved": {
			target(func(t *indicators.Target) {
				t.Direction, t.Value, t.Tolerance, t.Baseline, t.HasBaseline = indicators.AtMost, 5, 0.5, 7, true
			}),
			[]indicators.Observation{ob(2023, 6, 30, 5.6)}, 5.6, 7, 0.7, indicators.OnTrack},
		"a milestone reported done has progress 1": {
			milestone(deadline25), []indicators.Observation{ob(2023, 6, 30, 1)}, 1, 0, 1, indicators.Achieved},
		"a milestone reported above 1 is done": {
			milestone(deadline25), []indicators.Observation{ob(2023, 6, 30, 2)}, 2, 0, 1, indicators.Achieved},
		"a milestone reported not done has progress 0": {
			milestone(deadline25), []indicators.Observation{ob(2023, 6, 30, 0)}, 0, 0, 0, indicators.OnTrack},
		"a milestone reported nearly done has progress 0": {
			milestone(deadline25), []indicators.Observation{ob(2023, 6, 30, 0.99)}, 0.99, 0, 0, indicators.OnTrack},
		"a sustained at_least level that holds has progress 1": {
			sustainedTarget(indicators.AtLeast, 95, 0), []indicators.Observation{ob(2023, 6, 30, 96)}, 96, 96, 1, indicators.Achieved},
		"a sustained at_least level breached has progress current/target": {
			sustainedTarget(indicators.AtLeast, 95, 0), []indicators.Observation{ob(2023, 6, 30, 90)}, 90, 90, 90.0 / 95, indicators.Lagging},
		"a sustained at_most level that holds has progress 1": {
			sustainedTarget(indicators.AtMost, 5, 0), []indicators.Observation{ob(2023, 6, 30, 4)}, 4, 4, 1, indicators.Achieved},
		"a sustained at_most level breached has progress target/current": {
			sustainedTarget(indicators.AtMost, 5, 0), []indicators.Observation{ob(2023, 6, 30, 6)}, 6, 6, 5.0 / 6, indicators.Lagging},
		"a sustained level within its tolerance holds": {
			sustainedTarget(indicators.AtLeast, 95, 0.5), []indicators.Observation{ob(2023, 6, 30, 94.6)}, 94.6, 94.6, 1, indicators.Achieved},
		"a sustained level judges the latest report, not the best": {
			sustainedTarget(indicators.AtLeast, 95, 0), []indicators.Observation{ob(2022, 6, 30, 99), ob(2023, 6, 30, 76)}, 76, 99, 0.8, indicators.Lagging},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := indicators.EvaluateSeries(c.t, "shandong", c.obs, midSpan, 0.1)
			checkFloat(t, "Current", e.Current, c.wantCurrent)
			checkFloat(t, "Baseline", e.Baseline, c.wantBaseline)
			checkFloat(t, "Progress", e.Progress, c.wantProgress)
			if e.Status != c.wantStatus {
				t.Errorf("Status = %s, want %s", e.Status, c.wantStatus)
			}
			if e.Region != "shandong" || e.Target != c.t {
				t.Errorf("Region, Target = %q, %p; want shandong, %p", e.Region, e.Target, c.t)
			}
		})
	}
}

// TestEvaluateSeriesStatus reaches every status through EvaluateSeries and
// checks the precedence between the ones that compete.
func TestEvaluateSeriesStatus(t *testing.T) {
	inc := func(edit func(*indicators.Target)) *indicators.Target {
		t := increment(100)
		if edit != nil {
			edit(t)
		}
		return t
	}
	scheduled := inc(func(t *indicators.Target) { t.ReportDue = monthlyDue })
	ongoing := inc(func(t *indicators.Target) { t.Deadline = time.Time{} })
	ongoingScheduled := inc(func(t *indicators.Target) { t.Deadline, t.ReportDue = time.Time{}, monthlyDue })
	// 到 2023 年达到 100 under 持续推进: due at the end of 2023.
	ongoingDue := inc(func(t *indicators.Target) {
		t.Deadline, t.Checkpoints = time.Time{}, []indicators.Checkpoint{{Date: endOf(2023, 12, 31), Value: 100}}
	})
	ongoingDueLevel := target(func(t *indicators.Target) {
		t.Deadline, t.Checkpoints = time.Time{}, []indicators.Checkpoint{{Date: endOf(2023, 12, 31), Value: 100}}
	})
	ongoingStepLevel := target(func(t *indicators.Target) {
		t.Deadline, t.Checkpoints = time.Time{}, []indicators.Checkpoint{{Date: endOf(2023, 12, 31), Value: 80}}
	})
	sustained := sustainedTarget(indicators.AtLeast, 95, 0)
	sustainedOngoing := target(func(t *indicators.Target) {
		t.Period, t.Value, t.Deadline = indicators.Sustained, 95, time.Time{}
	})
	ms := milestone(deadline25)
	msOngoing := milestone(time.Time{})
	annual := inc(func(t *indicators.Target) { t.Period = indicators.Annual })
	// A report received on 2023-01-05: the next one is due 2023-02-10.
	janReport := []indicators.Observation{obRecv(day(2022, 12, 31), 50, at(2023, 1, 5, 9, 0, 0))}
	janDue := day(2023, 2, 10)

	cases := map[string]struct {
		t      *indicators.Target
		obs    []indicators.Observation
		now    time.Time
		margin float64
		want   indicators.Status
	}{
		// achieved
		"a target met before its deadline is achieved": {
			inc(nil), []indicators.Observation{ob(2023, 6, 30, 100)}, midSpan, 0.1, indicators.Achieved},
		"a target met and past its deadline is achieved, not overdue": {
			inc(nil), []indicators.Observation{ob(2025, 12, 31, 105)}, day(2026, 3, 1), 0.1, indicators.Achieved},
		"a target met late, after its deadline, is achieved": {
			inc(nil), []indicators.Observation{ob(2026, 2, 28, 100)}, day(2026, 3, 10), 0.1, indicators.Achieved},
		"a met target whose next report is late is achieved, not stale": {
			inc(func(t *indicators.Target) { t.ReportDue = monthlyDue }), []indicators.Observation{obRecv(day(2022, 12, 31), 100, at(2023, 1, 5, 9, 0, 0))}, midSpan, 0.1, indicators.Achieved},
		"a sustained level that holds is achieved": {
			sustained, []indicators.Observation{ob(2023, 6, 30, 95)}, midSpan, 0.1, indicators.Achieved},
		"a done milestone is achieved": {
			ms, []indicators.Observation{ob(2023, 6, 30, 1)}, midSpan, 0.1, indicators.Achieved},
		"a done milestone without deadline is achieved, not ongoing": {
			msOngoing, []indicators.Observation{ob(2023, 6, 30, 1)}, midSpan, 0.1, indicators.Achieved},

		// overdue
		"a target not met when its deadline passes is overdue": {
			inc(nil), []indicators.Observation{ob(2025, 12, 31, 90)}, deadline25, 0.1, indicators.Overdue},
		"a target with no report at all after its deadline is overdue, not no_data": {
			inc(nil), nil, deadline25, 0.1, indicators.Overdue},
		"an unmet target whose report is late after the deadline is overdue, not stale": {
			scheduled, janReport, day(2026, 1, 1), 0.1, indicators.Overdue},
		"a milestone not done after its deadline is overdue": {
			ms, []indicators.Observation{ob(2025, 6, 30, 0)}, day(2026, 1, 5), 0.1, indicators.Overdue},
		"a sustained level breached after its deadline is overdue, not lagging": {
			sustained, []indicators.Observation{ob(2025, 12, 31, 90)}, day(2026, 1, 5), 0.1, indicators.Overdue},

		// no_data
		"a target with nothing reported is no_data": {
			inc(nil), nil, midSpan, 0.1, indicators.NoData},
		"a target whose first report was due and never came is stale, not no_data": {
			scheduled, nil, midSpan, 0.1, indicators.Stale},
		"a scheduled target with nothing reported before its first due date is no_data": {
			scheduled, nil, day(2021, 1, 5), 0.1, indicators.NoData},
		"an ongoing target with nothing reported is no_data, not ongoing": {
			ongoing, nil, midSpan, 0.1, indicators.NoData},
		"a sustained level with nothing reported is no_data, not lagging": {
			sustained, nil, midSpan, 0.1, indicators.NoData},
		"a target with nothing reported before its start is no_data": {
			inc(nil), nil, day(2020, 6, 1), 0.1, indicators.NoData},
		"an empty (non-nil) series is no_data": {
			inc(nil), []indicators.Observation{}, midSpan, 0.1, indicators.NoData},

		// stale
		"a target whose next report is due is stale from the due instant": {
			scheduled, janReport, janDue, 0.1, indicators.Stale},
		"a target whose report was due months ago is stale": {
			scheduled, janReport, midSpan, 0.1, indicators.Stale},
		"a report one second before it is due keeps the target fresh": {
			scheduled, []indicators.Observation{obRecv(day(2022, 12, 31), 40, at(2023, 1, 5, 9, 0, 0))}, janDue.Add(-time.Second), 0.1, indicators.OnTrack},
		"a stale target that also lags is stale, not lagging": {
			scheduled, []indicators.Observation{obRecv(day(2022, 12, 31), 1, at(2023, 1, 5, 9, 0, 0))}, midSpan, 0.1, indicators.Stale},
		"an ongoing target whose report is late is stale, not ongoing": {
			ongoingScheduled, janReport, midSpan, 0.1, indicators.Stale},
		"a schedule that names no due time never makes a target stale": {
			inc(func(t *indicators.Target) { t.ReportDue = func(time.Time) time.Time { return time.Time{} } }),
			[]indicators.Observation{obRecv(day(2022, 12, 31), 60, at(2023, 1, 5, 9, 0, 0))}, midSpan, 0.1, indicators.OnTrack},

		// lagging
		"progress trailing the expected by more than the margin is lagging": {
			inc(nil), []indicators.Observation{ob(2023, 6, 30, 39)}, midSpan, 0.1, indicators.Lagging},
		"a regression below the baseline is lagging": {
			levelTarget(indicators.AtLeast, 60, 80), []indicators.Observation{ob(2023, 6, 30, 59)}, midSpan, 0.1, indicators.Lagging},
		"a sustained level breached by a hair is lagging, whatever the margin": {
			sustained, []indicators.Observation{ob(2023, 6, 30, 94.9)}, midSpan, 0.5, indicators.Lagging},
		"a sustained level without deadline breached is lagging, not ongoing": {
			sustainedOngoing, []indicators.Observation{ob(2023, 6, 30, 90)}, midSpan, 0.1, indicators.Lagging},
		"an annual target behind this year's pace is lagging": {
			annual, []indicators.Observation{ob(2024, 6, 30, 30)}, day(2024, 7, 2), 0.1, indicators.Lagging},

		// ongoing, with a checkpoint: judged on its pace, due at it
		"an ongoing target past its due checkpoint and short is overdue": {
			ongoingDue, []indicators.Observation{ob(2024, 6, 30, 90)}, day(2024, 7, 10), 0.1, indicators.Overdue},
		"an ongoing target is overdue from the instant its checkpoint passes": {
			ongoingDue, []indicators.Observation{ob(2023, 12, 31, 90)}, endOf(2023, 12, 31), 0.1, indicators.Overdue},
		"an ongoing target met after its due checkpoint is achieved": {
			ongoingDue, []indicators.Observation{ob(2024, 6, 30, 100)}, day(2024, 7, 10), 0.1, indicators.Achieved},
		"an ongoing target behind the pace to its checkpoint is lagging": {
			ongoingDue, []indicators.Observation{ob(2023, 6, 30, 30)}, day(2023, 7, 2), 0.1, indicators.Lagging},
		"an ongoing target on the pace to its checkpoint is on_track": {
			ongoingDue, []indicators.Observation{ob(2023, 6, 30, 80)}, day(2023, 7, 2), 0.1, indicators.OnTrack},
		"an ongoing level, no baseline, first report short, is overdue after its checkpoint": {
			ongoingDueLevel, []indicators.Observation{ob(2022, 6, 30, 50), ob(2024, 6, 30, 55)}, day(2024, 7, 10), 0.1, indicators.Overdue},
		"an ongoing level short of an intermediate checkpoint passed is lagging, not overdue": {
			ongoingStepLevel, []indicators.Observation{ob(2022, 6, 30, 50), ob(2024, 6, 30, 55)}, day(2024, 7, 10), 0.1, indicators.Lagging},
		"an ongoing level past an intermediate checkpoint is on_track": {
			ongoingStepLevel, []indicators.Observation{ob(2022, 6, 30, 50), ob(2024, 6, 30, 85)}, day(2024, 7, 10), 0.1, indicators.OnTrack},

		// ongoing
		"an ongoing target short of its value is ongoing": {
			ongoing, []indicators.Observation{ob(2023, 6, 30, 5)}, midSpan, 0.1, indicators.Ongoing},
		"an ongoing milestone not yet done is ongoing": {
			msOngoing, []indicators.Observation{ob(2023, 6, 30, 0)}, midSpan, 0.1, indicators.Ongoing},

		// on_track
		"progress trailing within the margin is on_track": {
			inc(nil), []indicators.Observation{ob(2023, 6, 30, 41)}, midSpan, 0.1, indicators.OnTrack},
		"progress exactly at expected minus margin is on_track": {
			inc(nil), []indicators.Observation{ob(2023, 6, 30, 25)}, midSpan, 0.25, indicators.OnTrack},
		"progress ahead of the expected is on_track": {
			inc(nil), []indicators.Observation{ob(2023, 6, 30, 80)}, midSpan, 0.1, indicators.OnTrack},
		"a zero margin lags at any shortfall": {
			inc(nil), []indicators.Observation{ob(2023, 6, 30, 49.9)}, midSpan, 0, indicators.Lagging},
		"a milestone not yet done before its deadline is on_track": {
			ms, []indicators.Observation{ob(2023, 6, 30, 0)}, midSpan, 0.1, indicators.OnTrack},
		"before its start a target with a report is on_track": {
			inc(nil), []indicators.Observation{ob(2020, 11, 30, 10)}, day(2020, 12, 1), 0.1, indicators.OnTrack},
		"at the very start a target with a baseline-level report is on_track": {
			inc(nil), []indicators.Observation{ob(2021, 1, 1, 0)}, start2021, 0.1, indicators.OnTrack},
		"an annual target at this year's pace is on_track": {
			annual, []indicators.Observation{ob(2024, 6, 30, 45)}, day(2024, 7, 2), 0.1, indicators.OnTrack},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := indicators.EvaluateSeries(c.t, "shandong", c.obs, c.now, c.margin)
			if e.Status != c.want {
				t.Errorf("Status = %s, want %s (current %v, progress %v, expected %v)", e.Status, c.want, e.Current, e.Progress, e.Expected)
			}
			if e.Met() != (c.want == indicators.Achieved) {
				t.Errorf("Met() = %v with status %s", e.Met(), e.Status)
			}
		})
	}

	t.Run("every status is covered by a case above", func(t *testing.T) {
		seen := map[indicators.Status]bool{}
		for _, c := range cases {
			seen[c.want] = true
		}
		for _, s := range indicators.Statuses {
			if !seen[s] {
				t.Errorf("no case reaches %s", s)
			}
		}
	})
}

func TestEvaluateSeriesDeadlineEdges(t *testing.T) {
	tg := increment(100)
	obs := []indicators.Observation{ob(2025, 12, 1, 90)}
	cases := map[string]struct {
		now          time.Time
		wantStatus   indicators.Status
		wantExpected float64
	}{
		"a second before the end of the deadline day the target is not yet overdue": {deadline25.Add(-time.Second), indicators.OnTrack, 1 - 1/(spanDays*86400)},
		"at noon on the deadline day the target is not yet overdue":                 {at(2025, 12, 31, 12, 0, 0), indicators.OnTrack, (spanDays - 0.5) / spanDays},
		"exactly at the end of the deadline day the target is overdue":              {deadline25, indicators.Overdue, 1},
		"far in the future the target is still overdue":                             {day(2100, 1, 1), indicators.Overdue, 1},
		"far in the future, written in UTC, the target is still overdue":            {time.Date(2099, 12, 31, 16, 0, 0, 0, time.UTC), indicators.Overdue, 1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := indicators.EvaluateSeries(tg, "shandong", obs, c.now, 0.1)
			if e.Status != c.wantStatus {
				t.Errorf("Status = %s, want %s", e.Status, c.wantStatus)
			}
			checkFloat(t, "Expected", e.Expected, c.wantExpected)
			checkFloat(t, "Progress", e.Progress, 0.9)
		})
	}
}

func TestEvaluateSeriesAnnual(t *testing.T) {
	// 每年新增 100: an increment that restarts every 1 January.
	annual := func(edit func(*indicators.Target)) *indicators.Target {
		t := increment(100)
		t.Period = indicators.Annual
		if edit != nil {
			edit(t)
		}
		return t
	}
	// 年均浓度不超过 35 (at_most level, baseline 40).
	pm := target(func(t *indicators.Target) {
		t.Period, t.Direction, t.Value, t.Baseline, t.HasBaseline = indicators.Annual, indicators.AtMost, 35, 40, true
	})
	nan := math.NaN()
	cases := map[string]struct {
		t            *indicators.Target
		obs          []indicators.Observation
		now          time.Time
		wantStatus   indicators.Status
		wantCurrent  float64
		wantProgress float64
		wantExpected float64
	}{
		"this year's report at this year's pace is on_track": {
			annual(nil), []indicators.Observation{ob(2023, 12, 31, 130), ob(2024, 6, 30, 55)}, day(2024, 7, 2),
			indicators.OnTrack, 55, 0.55, 0.5},
		"the latest report inside the year is the current value": {
			annual(nil), []indicators.Observation{ob(2024, 3, 31, 20), ob(2024, 6, 30, 55)}, day(2024, 7, 2),
			indicators.OnTrack, 55, 0.55, 0.5},
		"a report from last year does not count this year": {
			annual(nil), []indicators.Observation{ob(2023, 12, 31, 130)}, day(2024, 3, 1),
			indicators.NoData, nan, nan, 60.0 / 366},
		"on 1 January last year's achievement no longer counts": {
			annual(nil), []indicators.Observation{ob(2023, 12, 31, 130)}, day(2024, 1, 1),
			indicators.NoData, nan, nan, 0},
		"a minute before the new year the year's achievement still counts": {
			annual(nil), []indicators.Observation{ob(2023, 12, 31, 130)}, at(2023, 12, 31, 23, 59, 0),
			indicators.Achieved, 130, 1.3, (364*1440 + 1439) / (365 * 1440.0)},
		"at midnight in Shanghai the new year begins although UTC is still in the old one": {
			annual(nil), []indicators.Observation{ob(2023, 12, 31, 130)}, time.Date(2023, 12, 31, 16, 0, 0, 0, time.UTC),
			indicators.NoData, nan, nan, 0},
		"a report dated 1 January counts for the new year": {
			annual(nil), []indicators.Observation{ob(2023, 12, 31, 130), ob(2024, 1, 1, 0)}, at(2024, 1, 1, 12, 0, 0),
			indicators.OnTrack, 0, 0, 0.5 / 366},
		"this year's value below the pace is lagging although last year's was met": {
			annual(nil), []indicators.Observation{ob(2023, 12, 31, 130), ob(2024, 6, 30, 30)}, day(2024, 7, 2),
			indicators.Lagging, 30, 0.3, 0.5},
		"this year's value met early is achieved": {
			annual(nil), []indicators.Observation{ob(2024, 6, 30, 100)}, day(2024, 7, 2),
			indicators.Achieved, 100, 1, 0.5},
		"after the deadline the deadline year's report is judged": {
			annual(nil), []indicators.Observation{ob(2025, 12, 31, 110), ob(2026, 1, 31, 5)}, day(2026, 3, 1),
			indicators.Achieved, 110, 1.1, 1},
		"after the deadline a short deadline year is overdue, whatever comes later": {
			annual(nil), []indicators.Observation{ob(2025, 12, 31, 90), ob(2026, 2, 28, 500)}, day(2026, 3, 1),
			indicators.Overdue, 90, 0.9, 1},
		"after the deadline a year without reports is overdue": {
			annual(nil), []indicators.Observation{ob(2024, 12, 31, 120)}, day(2026, 3, 1),
			indicators.Overdue, nan, nan, 1},
		"exactly at the deadline the deadline year is judged": {
			annual(nil), []indicators.Observation{ob(2025, 12, 31, 100)}, deadline25,
			indicators.Achieved, 100, 1, 1},
		"after a mid-year deadline the half year up to it is judged": {
			annual(func(t *indicators.Target) { t.Deadline = endOf(2025, 6, 30) }),
			[]indicators.Observation{ob(2025, 6, 30, 80), ob(2025, 9, 30, 150)}, day(2025, 12, 1),
			indicators.Overdue, 80, 0.8, 1},
		"an ongoing annual target judges the current year forever": {
			annual(func(t *indicators.Target) { t.Deadline = time.Time{} }),
			[]indicators.Observation{ob(2027, 12, 31, 150), ob(2028, 6, 30, 60)}, day(2028, 7, 2),
			indicators.OnTrack, 60, 0.6, 0.5},
		"in the first, partial year the pace counts from the start": {
			annual(func(t *indicators.Target) { t.Start = day(2021, 7, 1) }),
			[]indicators.Observation{ob(2021, 9, 30, 45)}, day(2021, 10, 1),
			indicators.OnTrack, 45, 0.45, 0.5},
		"an annual at_most level is judged on this year's value": {
			pm, []indicators.Observation{ob(2023, 12, 31, 33), ob(2024, 6, 30, 37)}, day(2024, 7, 2),
			indicators.OnTrack, 37, 0.6, 0.5},
		"an annual at_most level met this year is achieved": {
			pm, []indicators.Observation{ob(2023, 12, 31, 38), ob(2024, 6, 30, 34)}, day(2024, 7, 2),
			indicators.Achieved, 34, 1.2, 0.5},
		"an annual at_most level last met last year is no_data this year": {
			pm, []indicators.Observation{ob(2023, 12, 31, 33)}, day(2024, 7, 2),
			indicators.NoData, nan, nan, 0.5},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := indicators.EvaluateSeries(c.t, "shandong", c.obs, c.now, 0.1)
			if e.Status != c.wantStatus {
				t.Errorf("Status = %s, want %s", e.Status, c.wantStatus)
			}
			checkFloat(t, "Current", e.Current, c.wantCurrent)
			checkFloat(t, "Progress", e.Progress, c.wantProgress)
			checkFloat(t, "Expected", e.Expected, c.wantExpected)
			if last := c.obs[len(c.obs)-1].Date(time.UTC); !e.LastReport.Equal(last) {
				t.Errorf("LastReport = %v, want %v (the latest report of any year)", fmtTime(e.LastReport), fmtTime(last))
			}
		})
	}
}

func TestEvaluateSeriesMilestone(t *testing.T) {
	dl := endOf(2023, 6, 30)
	nan := math.NaN()
	cases := map[string]struct {
		deadline     time.Time
		obs          []indicators.Observation
		now          time.Time
		wantStatus   indicators.Status
		wantProgress float64
		wantExpected float64
	}{
		"a milestone done before its deadline is achieved": {
			dl, []indicators.Observation{ob(2023, 3, 31, 1)}, day(2023, 4, 1), indicators.Achieved, 1, 0},
		"a milestone done and then reported undone is judged on the latest report": {
			dl, []indicators.Observation{ob(2023, 3, 31, 1), ob(2023, 4, 30, 0)}, day(2023, 5, 1), indicators.OnTrack, 0, 0},
		"a milestone not done before its deadline is on_track": {
			dl, []indicators.Observation{ob(2023, 3, 31, 0)}, day(2023, 6, 30), indicators.OnTrack, 0, 0},
		"a milestone not done at the end of its deadline day is overdue": {
			dl, []indicators.Observation{ob(2023, 3, 31, 0)}, dl, indicators.Overdue, 0, 1},
		"a milestone never reported after its deadline is overdue": {
			dl, nil, day(2024, 1, 1), indicators.Overdue, nan, 1},
		"a milestone never reported before its deadline is no_data": {
			dl, nil, day(2023, 1, 1), indicators.NoData, nan, 0},
		"a milestone done after its deadline is achieved": {
			dl, []indicators.Observation{ob(2023, 9, 30, 1)}, day(2023, 10, 1), indicators.Achieved, 1, 1},
		"an ongoing milestone not yet done is ongoing": {
			time.Time{}, []indicators.Observation{ob(2023, 3, 31, 0)}, day(2030, 1, 1), indicators.Ongoing, 0, nan},
		"an ongoing milestone done is achieved": {
			time.Time{}, []indicators.Observation{ob(2023, 3, 31, 1)}, day(2030, 1, 1), indicators.Achieved, 1, nan},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := indicators.EvaluateSeries(milestone(c.deadline), "shandong", c.obs, c.now, 0.1)
			if e.Status != c.wantStatus {
				t.Errorf("Status = %s, want %s", e.Status, c.wantStatus)
			}
			checkFloat(t, "Progress", e.Progress, c.wantProgress)
			checkFloat(t, "Expected", e.Expected, c.wantExpected)
			checkFloat(t, "Projected", e.Projected, nan)
			checkTime(t, "ProjectedReach", e.ProjectedReach, time.Time{}, 0)
		})
	}
}

// known is what the store holds at now: the reports received by then.
func known(obs []indicators.Observation, now time.Time) []indicators.Observation {
	var out []indicators.Observation
	for _, o := range obs {
		if !o.ReceivedAt().After(now) {
			out = append(out, o)
		}
	}
	return out
}

// TestEvaluateSeriesClockJumps moves a fake clock forward over one series
// (as much of it as has arrived) and watches the status change.
func TestEvaluateSeriesClockJumps(t *testing.T) {
	type step struct {
		name         string
		now          time.Time
		wantStatus   indicators.Status
		wantExpected float64
	}
	t.Run("a stalled target goes from on_track to lagging to overdue", func(t *testing.T) {
		// 0 → 100 by 2025-12-31, margin 0.1; 20 reported as of
		// 2021-07-01 and nothing since. It lags once the expected
		// progress passes 0.3, 547.8 days in (2022-07-02 19:12).
		tg := increment(100)
		obs := []indicators.Observation{ob(2021, 7, 1, 20)}
		steps := []step{
			{"just after the report it is on_track", day(2021, 7, 6), indicators.OnTrack, 186 / spanDays},
			{"a year in it is still on_track", day(2022, 1, 1), indicators.OnTrack, 365 / spanDays},
			{"at 19:00 on 2 July 2022 it is on_track by minutes", at(2022, 7, 2, 19, 0, 0), indicators.OnTrack, (547 + 19.0/24) / spanDays},
			{"at 19:30 on 2 July 2022 it is lagging", at(2022, 7, 2, 19, 30, 0), indicators.Lagging, (547 + 19.5/24) / spanDays},
			{"in 2024 it is lagging", day(2024, 7, 2), indicators.Lagging, (365*3 + 183) / spanDays},
			{"a second before the deadline it is lagging", deadline25.Add(-time.Second), indicators.Lagging, 1 - 1/(spanDays*86400)},
			{"at the deadline it is overdue", deadline25, indicators.Overdue, 1},
			{"years later it is overdue", day(2031, 1, 1), indicators.Overdue, 1},
		}
		for _, s := range steps {
			e := indicators.EvaluateSeries(tg, "shandong", known(obs, s.now), s.now, 0.1)
			if e.Status != s.wantStatus {
				t.Errorf("%s: Status = %s, want %s", s.name, e.Status, s.wantStatus)
			}
			checkFloat(t, s.name+": Expected", e.Expected, s.wantExpected)
			checkFloat(t, s.name+": Progress", e.Progress, 0.2)
		}
	})
	t.Run("a report goes stale when the clock reaches its due time", func(t *testing.T) {
		tg := increment(100)
		tg.ReportDue = monthlyDue
		obs := []indicators.Observation{obRecv(day(2023, 2, 28), 45, at(2023, 3, 5, 10, 0, 0))}
		steps := []step{
			// Until it is due, the pace is the report's date's, 28 February.
			{"the day it arrives it is on_track", at(2023, 3, 5, 10, 0, 0), indicators.OnTrack, (365*2 + 58) / spanDays},
			{"a second before 10 April it is on_track", day(2023, 4, 10).Add(-time.Second), indicators.OnTrack, (365*2 + 58) / spanDays},
			{"at 00:00 on 10 April it is stale", day(2023, 4, 10), indicators.Stale, (365*2 + 99) / spanDays},
			{"at the deadline it is overdue, no longer stale", deadline25, indicators.Overdue, 1},
		}
		for _, s := range steps {
			e := indicators.EvaluateSeries(tg, "shandong", known(obs, s.now), s.now, 0.1)
			if e.Status != s.wantStatus {
				t.Errorf("%s: Status = %s, want %s", s.name, e.Status, s.wantStatus)
			}
			checkFloat(t, s.name+": Expected", e.Expected, s.wantExpected)
		}
	})
	t.Run("an annual target achieved last year restarts on 1 January", func(t *testing.T) {
		tg := increment(100)
		tg.Period = indicators.Annual
		obs := []indicators.Observation{ob(2023, 6, 30, 20), obRecv(day(2023, 12, 31), 120, at(2023, 12, 31, 9, 0, 0))}
		steps := []step{
			{"just after the mid-year report it lags", day(2023, 7, 6), indicators.Lagging, 186.0 / 365},
			{"a second before the new year it is achieved", day(2024, 1, 1).Add(-time.Second), indicators.Achieved, 1 - 1/(365*86400.0)},
			{"at the new year it has no data for 2024", day(2024, 1, 1), indicators.NoData, 0},
			{"on 2 July 2024 it still has no data", day(2024, 7, 2), indicators.NoData, 0.5},
			{"after the deadline it is overdue (nothing in 2025)", deadline25, indicators.Overdue, 1},
		}
		for _, s := range steps {
			e := indicators.EvaluateSeries(tg, "shandong", known(obs, s.now), s.now, 0.1)
			if e.Status != s.wantStatus {
				t.Errorf("%s: Status = %s, want %s", s.name, e.Status, s.wantStatus)
			}
			checkFloat(t, s.name+": Expected", e.Expected, s.wantExpected)
		}
	})
}

func TestEvaluateSeriesNaNAndTimes(t *testing.T) {
	nan := math.NaN()
	ongoing := increment(100)
	ongoing.Deadline = time.Time{}
	noBase := target(nil)
	cases := map[string]struct {
		t            *indicators.Target
		obs          []indicators.Observation
		wantCurrent  float64
		wantBaseline float64
		wantProgress float64
		wantExpected float64
		wantPlanned  float64
		wantLast     time.Time
		wantArrival  time.Time
	}{
		"without reports and plan baseline every number but expected is NaN": {
			noBase, nil, nan, nan, nan, 0.5, nan, time.Time{}, time.Time{}},
		"without reports a plan baseline still gives a planned value": {
			increment(100), nil, nan, 0, nan, 0.5, 50, time.Time{}, time.Time{}},
		"an ongoing target has no expected progress and no planned value": {
			ongoing, []indicators.Observation{ob(2023, 6, 30, 30)}, 30, 0, 0.3, nan, nan, day(2023, 6, 30), day(2023, 7, 5)},
		// From 2021-06-30, the first report, to the deadline is 1646
		// days; 733 of them have passed.
		"the first report gives a baseline and so a planned value, on a path from its date": {
			noBase, []indicators.Observation{ob(2021, 6, 30, 20), ob(2023, 6, 30, 40)}, 40, 20, 0.25, 733.0 / 1646, 20 + 733.0/1646*80, day(2023, 6, 30), day(2023, 7, 5)},
		"a correction of an old date arriving late is the last arrival, not the last report": {
			increment(100), []indicators.Observation{
				obRecv(day(2023, 1, 31), 30, at(2023, 6, 1, 9, 0, 0)),
				obRecv(day(2023, 3, 31), 35, at(2023, 4, 5, 9, 0, 0)),
			}, 35, 0, 0.35, 0.5, 50, day(2023, 3, 31), at(2023, 6, 1, 9, 0, 0)},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := indicators.EvaluateSeries(c.t, "shandong", c.obs, midSpan, 0.1)
			checkFloat(t, "Current", e.Current, c.wantCurrent)
			checkFloat(t, "Baseline", e.Baseline, c.wantBaseline)
			checkFloat(t, "Progress", e.Progress, c.wantProgress)
			checkFloat(t, "Expected", e.Expected, c.wantExpected)
			checkFloat(t, "Planned", e.Planned, c.wantPlanned)
			checkTime(t, "LastReport", e.LastReport, c.wantLast, 0)
			checkTime(t, "LastArrival", e.LastArrival, c.wantArrival, 0)
			if len(c.obs) < 2 { // no trend without two dates
				checkFloat(t, "Projected", e.Projected, nan)
				checkFloat(t, "ProjectedProgress", e.ProjectedProgress, nan)
				checkTime(t, "ProjectedReach", e.ProjectedReach, time.Time{}, 0)
			}
			if e.RegionsMet != 0 || e.RegionsTotal != 0 {
				t.Errorf("RegionsMet, RegionsTotal = %d, %d on an ordinary row, want 0, 0", e.RegionsMet, e.RegionsTotal)
			}
		})
	}
	t.Run("a late correction of old figures does not answer a later due time", func(t *testing.T) {
		tg := increment(100)
		tg.ReportDue = monthlyDue
		obs := []indicators.Observation{
			obRecv(day(2023, 1, 31), 30, at(2023, 6, 1, 9, 0, 0)),
			obRecv(day(2023, 3, 31), 35, at(2023, 4, 5, 9, 0, 0)),
		}
		// March's figures answered 10 April; May's report was due 10 May,
		// whatever came on 1 June for January.
		if e := indicators.EvaluateSeries(tg, "shandong", obs, day(2023, 5, 10).Add(-time.Second), 0.1); e.Status == indicators.Stale {
			t.Errorf("Status on 2023-05-09 = %s, want not stale", e.Status)
		}
		if e := indicators.EvaluateSeries(tg, "shandong", obs, day(2023, 7, 9), 0.1); e.Status != indicators.Stale {
			t.Errorf("Status on 2023-07-09 = %s, want stale", e.Status)
		}
	})
}

// TestNextReportDueOnTheShippedSchedule: each due time of the shipped
// "0 0 10 1,4,7,10 *" asks for the figures up to the end of the month
// before it, however early or late the report came.
func TestNextReportDueOnTheShippedSchedule(t *testing.T) {
	cases := map[string]struct {
		obs       []indicators.Observation
		want      time.Time
		freshTill time.Time // the status is not stale before want, from this instant on
	}{
		"a first quarter's report sent two days early is next due in July": {
			[]indicators.Observation{obRecv(day(2021, 12, 31), 600, at(2022, 1, 8, 9, 0, 0)), obRecv(day(2022, 3, 31), 700, at(2022, 4, 8, 9, 0, 0))},
			day(2022, 7, 10), day(2022, 4, 10)},
		"a first quarter's report sent late is next due in July too": {
			[]indicators.Observation{obRecv(day(2022, 3, 31), 700, at(2022, 5, 20, 9, 0, 0))},
			day(2022, 7, 10), day(2022, 5, 20)},
		"a report dated on a due day answers that due time": {
			[]indicators.Observation{obRecv(day(2022, 4, 10), 700, at(2022, 4, 10, 9, 0, 0))},
			day(2022, 7, 10), day(2022, 4, 10)},
		"October's figures answer October's due time, not January's, which asks for the year's": {
			[]indicators.Observation{obRecv(day(2022, 10, 31), 800, at(2022, 11, 3, 9, 0, 0))},
			day(2023, 1, 10), day(2022, 11, 3)},
		"figures dated after a due day, as some write the day they report, answer the next one": {
			[]indicators.Observation{obRecv(day(2022, 4, 12), 700, at(2022, 4, 12, 9, 0, 0))},
			day(2022, 7, 10), day(2022, 4, 12)},
		"figures of 30 March do not answer April's due time, which asks for 31 March's": {
			[]indicators.Observation{obRecv(day(2022, 3, 30), 700, at(2022, 4, 1, 9, 0, 0))},
			day(2022, 4, 10), day(2022, 4, 1)},
		"a year-end report answers January's due time": {
			[]indicators.Observation{obRecv(day(2022, 12, 31), 900, at(2023, 1, 6, 9, 0, 0))},
			day(2023, 4, 10), day(2023, 1, 6)},
		// 10 January asks for the figures of before the plan began.
		"before any report the first is due in April of the start year": {
			nil, day(2021, 4, 10), day(2021, 1, 1)},
		"a report from a year before the start asks for no earlier report than none does": {
			[]indicators.Observation{obRecv(day(2019, 12, 31), 500, at(2021, 1, 20, 9, 0, 0))},
			day(2021, 4, 10), day(2021, 1, 20)},
		"a baseline report dated before the start counts as none": {
			[]indicators.Observation{obRecv(day(2020, 12, 31), 500, at(2021, 1, 20, 9, 0, 0))},
			day(2021, 4, 10), day(2021, 1, 20)},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tg := increment(1000)
			tg.ReportDue = quarterlyDue
			var last time.Time
			if len(c.obs) > 0 {
				last = c.obs[len(c.obs)-1].Date(sh)
			}
			checkTime(t, "NextReportDue", indicators.NextReportDue(tg, last), c.want, 0)
			for _, now := range []time.Time{c.freshTill, c.want.Add(-time.Second)} {
				if e := indicators.EvaluateSeries(tg, "shandong", c.obs, now, 0.1); e.Status == indicators.Stale {
					t.Errorf("at %s: stale, want not before %s", now, c.want)
				}
			}
			if e := indicators.EvaluateSeries(tg, "shandong", c.obs, c.want, 0.1); e.Status != indicators.Stale {
				t.Errorf("at %s: %s, want stale", c.want, e.Status)
			}
		})
	}
}

// A baseline already past the target (taken from a first report that met
// it) must not turn a later decline into "progress".
func TestBaselineAlreadyPastTargetIsJudgedByMetOnly(t *testing.T) {
	cases := []struct {
		name      string
		dir       indicators.Direction
		target    float64
		first     float64
		latest    float64
		wantProg  float64
		wantState indicators.Status
	}{
		{"an at_least target whose first report exceeded it, now fallen below, has progress 0 and lags", indicators.AtLeast, 80, 85, 75, 0, indicators.Lagging},
		{"an at_least target whose first report exceeded it and still does is achieved", indicators.AtLeast, 80, 85, 82, 1, indicators.Achieved},
		{"an at_most target whose first report was already below it, now above, has progress 0 and lags", indicators.AtMost, 2.25, 2.2, 2.4, 0, indicators.Lagging},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg := &indicators.Target{ID: "x", Kind: indicators.Quantitative, Direction: c.dir, Measure: indicators.Level,
				Period: indicators.ByDeadline, Scope: indicators.Province, Value: c.target, Start: start2021, Deadline: deadline25}
			e := indicators.EvaluateSeries(tg, "shandong", []indicators.Observation{ob(2021, 6, 30, c.first), ob(2023, 6, 30, c.latest)}, day(2023, 7, 1), 0.1)
			if e.Progress != c.wantProg || e.Status != c.wantState {
				t.Fatalf("progress %v status %s, want %v %s", e.Progress, e.Status, c.wantProg, c.wantState)
			}
		})
	}
}

// Without a plan baseline, progress is counted from the first report, and
// so is the time to cover: reports exactly on the straight line from 63 at
// the start to 66 at the deadline are on track, not lagging (as they were
// when the path ran from the start while progress ran from the first
// report).
func TestFirstReportBaselineStartsThePathAtItsDate(t *testing.T) {
	tg := target(func(t *indicators.Target) {
		t.Value, t.Deadline = 66, endOf(2023, 12, 31)
		t.Checkpoints = []indicators.Checkpoint{{Date: endOf(2021, 12, 31), Value: 64}}
	})
	// 63 + 3 × days/1095 on 2022-06-30 (day 545) and 2023-06-30 (day 910).
	first, second := 63+3*545.0/1095, 63+3*910.0/1095
	obs := []indicators.Observation{ob(2022, 6, 30, first), ob(2023, 6, 30, second)}
	for _, c := range []struct {
		now          time.Time
		known        int
		wantExpected float64
	}{
		{day(2022, 7, 1), 1, 1.0 / (1095 - 545)},
		{day(2023, 7, 1), 2, 366.0 / (1095 - 545)},
	} {
		e := indicators.EvaluateSeries(tg, "shandong", obs[:c.known], c.now, 0.1)
		if e.Status != indicators.OnTrack {
			t.Errorf("%s: %s (progress %.3f, expected %.3f), want on_track", c.now.Format(time.DateOnly), e.Status, e.Progress, e.Expected)
		}
		// The 2021 checkpoint lies before the first report: passed over.
		checkFloat(t, c.now.Format(time.DateOnly)+" Expected", e.Expected, c.wantExpected)
		checkFloat(t, c.now.Format(time.DateOnly)+" Planned", e.Planned, first+c.wantExpected*(66-first))
		checkTime(t, "BaselineAt", e.BaselineAt, day(2022, 6, 30), 0)
	}
	// A plan baseline stays at the start.
	tg.Baseline, tg.HasBaseline, tg.BaselineDate = 63, true, start2021
	if e := indicators.EvaluateSeries(tg, "shandong", obs, day(2023, 7, 1), 0.1); !near(e.Expected, 911.0/1095) {
		t.Errorf("with a plan baseline, Expected = %v, want %v (from the start)", e.Expected, 911.0/1095)
	}
}

// An ongoing target due at its checkpoint at the target value (到 2023 年
// 达到 60% under 持续推进) expects all of it after that date, also when
// its first report (its baseline) came later.
func TestOngoingTargetPastItsDueCheckpointExpectsAll(t *testing.T) {
	tg := target(func(t *indicators.Target) {
		t.Value, t.Deadline = 60, time.Time{}
		t.Checkpoints = []indicators.Checkpoint{{Date: endOf(2023, 12, 31), Value: 60}}
	})
	obs := []indicators.Observation{ob(2024, 12, 31, 55), ob(2026, 9, 30, 58)}
	e := indicators.EvaluateSeries(tg, "shandong", obs, day(2026, 10, 5), 0.1)
	checkFloat(t, "Expected", e.Expected, 1)
	checkFloat(t, "Planned", e.Planned, 60)
	if e.Status != indicators.Overdue {
		t.Errorf("Status = %s, want overdue", e.Status)
	}
}

// Between reports progress stands still while today's expectation moves
// on: a series is held to what the plan expected by the date of its
// latest report until the next report is due (then it is stale). A
// province exactly on its path (63 → 66 from 2021 to 2023, no plan
// baseline, quarterly reports) is on track all quarter.
func TestASeriesIsJudgedAtTheDateOfItsLatestReport(t *testing.T) {
	onLine := func(y, m, d int) indicators.Observation {
		days := day(y, m, d).Sub(start2021).Hours() / 24
		return ob(y, m, d, 63+3*days/1095)
	}
	tg := target(func(t *indicators.Target) { t.Value, t.Deadline, t.ReportDue = 66, endOf(2023, 12, 31), quarterlyDue })
	obs := []indicators.Observation{onLine(2022, 6, 30), onLine(2022, 9, 30)}
	for _, now := range []time.Time{day(2022, 10, 8), day(2022, 11, 25), day(2022, 12, 20), day(2023, 1, 10).Add(-time.Second)} {
		if e := indicators.EvaluateSeries(tg, "shandong", obs, now, 0.1); e.Status != indicators.OnTrack {
			t.Errorf("%s: %s (progress %.3f, expected today %.3f), want on_track", now, e.Status, e.Progress, e.Expected)
		}
	}
	// The expected progress shown is the one judged: 30 September's
	// (from the first report, 30 June: day 92 of the 550 to the deadline).
	e := indicators.EvaluateSeries(tg, "shandong", obs, day(2022, 12, 20), 0.1)
	checkFloat(t, "Expected between reports", e.Expected, 92.0/550)
	checkTime(t, "PaceAt", e.PaceAt, day(2022, 9, 30), 0)
	if e := indicators.EvaluateSeries(tg, "shandong", obs, day(2023, 1, 10), 0.1); e.Status != indicators.Stale || !e.PaceAt.IsZero() {
		t.Errorf("when the next report is due: %s at %v, want stale, judged today", e.Status, e.PaceAt)
	}
	// Behind its path at its own date, it lags at once.
	behind := []indicators.Observation{onLine(2022, 6, 30), ob(2022, 9, 30, 64.5)}
	if e := indicators.EvaluateSeries(tg, "shandong", behind, day(2022, 10, 8), 0.1); e.Status != indicators.Lagging {
		t.Errorf("a report behind the path at its date: %s, want lagging", e.Status)
	}
	// Without a schedule nothing says a report is late: today's pace.
	tg.ReportDue = nil
	if e := indicators.EvaluateSeries(tg, "shandong", obs, day(2022, 12, 20), 0.1); e.Status != indicators.Lagging {
		t.Errorf("without a schedule on 2022-12-20: %s, want lagging", e.Status)
	}
}

// The province row of a 各市 target is judged as its cities are: against
// their paces at their latest reports' dates, not today's expectation.
func TestRollUpIsJudgedAtTheCitiesPaces(t *testing.T) {
	onLine := func(y, m, d int) indicators.Observation {
		days := day(y, m, d).Sub(start2021).Hours() / 24
		return ob(y, m, d, 63+3*days/1095)
	}
	tg := target(func(t *indicators.Target) {
		t.Value, t.Deadline, t.ReportDue, t.Scope = 66, endOf(2023, 12, 31), quarterlyDue, indicators.EachCity
	})
	now := day(2022, 12, 20)
	var cities []indicators.Evaluation
	for _, c := range []string{"jinan", "qingdao"} {
		e := indicators.EvaluateSeries(tg, c, []indicators.Observation{onLine(2022, 6, 30), onLine(2022, 9, 30)}, now, 0.1)
		if e.Status != indicators.OnTrack {
			t.Fatalf("%s: %s, want on_track", c, e.Status)
		}
		cities = append(cities, e)
	}
	if e := indicators.RollUp(tg, "shandong", cities, now, 0.1); e.Status != indicators.OnTrack {
		t.Errorf("province: %s (progress %.3f, expected %.3f), want on_track", e.Status, e.Progress, e.Expected)
	}
}
