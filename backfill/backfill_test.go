package backfill

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
)

func testPlan(t *testing.T) *indicators.Plan {
	t.Helper()
	p, err := config.LoadFile("../collector/testdata/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// history stores reports the way the inbox does, one batch per file, and
// returns the store's current data.
func history(t *testing.T, p *indicators.Plan, files ...[]store.Observation) indicators.Data {
	t.Helper()
	st, err := store.Open(t.TempDir(), p)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i, obs := range files {
		recv := time.Date(2024, 1, 1+i, 9, 0, 0, 0, p.Location)
		for j := range obs {
			obs[j].ReceivedAt, obs[j].Department, obs[j].Source, obs[j].Line = recv, "ndrc", fmt.Sprint("f", i), j+2
			obs[j].Raw = strconv.FormatFloat(obs[j].Value, 'g', -1, 64)
		}
		if err := st.Commit(context.Background(), store.Batch{SHA256: fmt.Sprint(i), Department: "ndrc",
			Source: fmt.Sprint("f", i), ReceivedAt: recv, Observations: obs}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := st.Full(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func day(p *indicators.Plan, y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, p.Location)
}

func TestWriteIsTheEffectiveHistoryWithThePlannedPathAtEachReport(t *testing.T) {
	p := testPlan(t)
	data := history(t, p,
		[]store.Observation{
			{Indicator: "income_ratio", Region: "shandong", AsOf: day(p, 2021, 1, 1), Value: 2.5},
			{Indicator: "income_ratio", Region: "shandong", AsOf: day(p, 2022, 7, 2), Value: 2.45},
			{Indicator: "medical_waste_sites", Region: "qingdao", AsOf: day(p, 2023, 12, 31), Value: 1},
			{Indicator: "renovated_households", Region: "shandong", AsOf: day(p, 2024, 3, 31), Value: 1.6e6},
		},
		// A later file corrects the 2022-07-02 report: only the correction
		// is backfilled.
		[]store.Observation{{Indicator: "income_ratio", Region: "shandong", AsOf: day(p, 2022, 7, 2), Value: 2.4}},
		// An indicator no longer in the plan keeps its reports, with no
		// planned path.
		[]store.Observation{{Indicator: "retired", Region: "shandong", AsOf: day(p, 2021, 6, 30), Value: 7}},
	)
	var out bytes.Buffer
	st, err := Write(&out, p, data, day(p, 2026, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	ts := func(y int, m time.Month, d int) int64 { return day(p, y, m, d).Unix() }
	// income_ratio: baseline = first report 2.5, target 2.25, straight
	// line from 2021-01-01 to the end of 2023-12-31 (1095 days); 2022-07-02
	// is day 547. medical_waste_sites (increment, baseline 0) is at its
	// deadline day, one day short of the end: 1094/1095 of 1.
	// renovated_households is past its deadline: the target.
	want := fmt.Sprintf(`# HELP indicator_reported_value Reported value at its as_of date, in the indicator's unit (backfilled history).
# TYPE indicator_reported_value gauge
indicator_reported_value{indicator="income_ratio",region="shandong"} 2.5 %d
indicator_reported_value{indicator="income_ratio",region="shandong"} 2.4 %d
indicator_reported_value{indicator="medical_waste_sites",region="qingdao"} 1 %d
indicator_reported_value{indicator="renovated_households",region="shandong"} 1.6e+06 %d
indicator_reported_value{indicator="retired",region="shandong"} 7 %d
# HELP indicator_reported_planned_value Value the plan's schedule expected at each report's as_of date, in the indicator's unit (backfilled history).
# TYPE indicator_reported_planned_value gauge
indicator_reported_planned_value{indicator="income_ratio",region="shandong"} 2.5 %d
indicator_reported_planned_value{indicator="income_ratio",region="shandong"} %s %d
indicator_reported_planned_value{indicator="medical_waste_sites",region="qingdao"} %s %d
indicator_reported_planned_value{indicator="renovated_households",region="shandong"} 1.5e+06 %d
# EOF
`, ts(2021, 1, 1), ts(2022, 7, 2), ts(2023, 12, 31), ts(2024, 3, 31), ts(2021, 6, 30),
		ts(2021, 1, 1),
		strconv.FormatFloat(2.5+(2.25-2.5)*547.0/1095, 'g', -1, 64), ts(2022, 7, 2),
		strconv.FormatFloat(1094.0/1095, 'g', -1, 64), ts(2023, 12, 31),
		ts(2024, 3, 31))
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
	if st.Series != 7 || st.Samples != 9 || !st.First.Equal(day(p, 2021, 1, 1)) || !st.Last.Equal(day(p, 2024, 3, 31)) || st.Skipped != 0 {
		t.Errorf("stats = %+v", st)
	}
}

func TestWriteLeavesOutReportsAtOrAfterTheEnd(t *testing.T) {
	p := testPlan(t)
	data := history(t, p, []store.Observation{
		{Indicator: "income_ratio", Region: "shandong", AsOf: day(p, 2022, 6, 30), Value: 2.5},
		{Indicator: "income_ratio", Region: "shandong", AsOf: day(p, 2022, 9, 30), Value: 2.4},
	})
	var out bytes.Buffer
	st, err := Write(&out, p, data, day(p, 2022, 9, 30))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), fmt.Sprint(day(p, 2022, 9, 30).Unix())) {
		t.Errorf("a report dated at the end was written:\n%s", out.String())
	}
	if st.Skipped != 1 || st.Samples != 2 {
		t.Errorf("stats = %+v, want 1 skipped and 2 samples (reported and planned)", st)
	}
}

func TestWriteWithoutHistoryIsValidAndEmpty(t *testing.T) {
	p := testPlan(t)
	var out bytes.Buffer
	st, err := Write(&out, p, indicators.Data{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.Samples != 0 || !strings.HasSuffix(out.String(), "# EOF\n") || strings.Count(out.String(), "\n") != 5 {
		t.Errorf("stats %+v, output:\n%s", st, out.String())
	}
}

func TestWriteSkipsValuesPrometheusCannotStore(t *testing.T) {
	p := testPlan(t)
	k := indicators.SeriesKey{Indicator: "income_ratio", Region: "shandong"}
	data := indicators.Data{Series: map[indicators.SeriesKey][]indicators.Observation{
		k: {{AsOf: day(p, 2021, 6, 30).Unix(), Value: math.NaN()}, {AsOf: day(p, 2021, 9, 30).Unix(), Value: math.Inf(1)}},
	}}
	var out bytes.Buffer
	if _, err := Write(&out, p, data, time.Now()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "NaN") || strings.Contains(out.String(), "Inf") {
		t.Errorf("non-finite value written:\n%s", out.String())
	}
}

// The output is what promtool accepts: blocks are created and hold exactly
// the samples written, at their dates.
func TestPromtoolCreatesBlocksHoldingEverySample(t *testing.T) {
	promtool := requireTool(t, "promtool")
	p := testPlan(t)
	data := history(t, p, []store.Observation{
		{Indicator: "income_ratio", Region: "shandong", AsOf: day(p, 2021, 3, 31), Value: 2.5},
		{Indicator: "income_ratio", Region: "shandong", AsOf: day(p, 2022, 3, 31), Value: 2.45},
		{Indicator: "medical_waste_sites", Region: "jinan", AsOf: day(p, 2023, 12, 31), Value: 1},
	})
	dir := t.TempDir()
	om := filepath.Join(dir, "history.om")
	f, err := os.Create(om)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(f, p, data, time.Now()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	blocks := filepath.Join(dir, "blocks")
	if out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", om, blocks).CombinedOutput(); err != nil {
		t.Fatalf("promtool create-blocks-from openmetrics: %v\n%s", err, out)
	}
	// promtool 2.42's dump opens the folder as a database and wants a WAL.
	if err := os.Mkdir(filepath.Join(blocks, "wal"), 0o755); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	dump := exec.Command(promtool, "tsdb", "dump", blocks)
	dump.Stderr = &stderr
	out, err := dump.Output()
	if err != nil {
		t.Fatalf("promtool tsdb dump: %v\n%s", err, stderr.String())
	}
	got := map[string]bool{}
	line := regexp.MustCompile(`^\{(.*)\} (\S+) (\d+)$`)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			t.Fatalf("unexpected dump line %q", sc.Text())
		}
		got[m[1]+" "+m[2]+" "+m[3]] = true
	}
	ms := func(d time.Time) string { return fmt.Sprint(d.UnixMilli()) }
	for _, w := range []string{
		`__name__="indicator_reported_value", indicator="income_ratio", region="shandong" 2.5 ` + ms(day(p, 2021, 3, 31)),
		`__name__="indicator_reported_value", indicator="income_ratio", region="shandong" 2.45 ` + ms(day(p, 2022, 3, 31)),
		`__name__="indicator_reported_value", indicator="medical_waste_sites", region="jinan" 1 ` + ms(day(p, 2023, 12, 31)),
		// The first report, of 2021-03-31, is the baseline: the planned
		// path starts there, and 2022-03-31 is day 365 of the 1006 from
		// it to the deadline.
		`__name__="indicator_reported_planned_value", indicator="income_ratio", region="shandong" 2.5 ` + ms(day(p, 2021, 3, 31)),
		`__name__="indicator_reported_planned_value", indicator="income_ratio", region="shandong" ` +
			strconv.FormatFloat(2.5+365.0/1006*(2.25-2.5), 'g', -1, 64) + " " + ms(day(p, 2022, 3, 31)),
	} {
		if !got[w] {
			t.Errorf("block lacks sample %s", w)
		}
	}
	if len(got) != 6 {
		t.Errorf("blocks hold %d samples, want 6 (3 reported, 3 planned):\n%s", len(got), out)
	}
}

// requireTool finds a Debian prometheus tool: skipped without it, unless CI
// is set, where a missing tool fails the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: install the Debian package prometheus", name)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}
