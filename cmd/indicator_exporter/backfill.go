package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/shandong/indicator_exporter/backfill"
	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/store"
)

// backfillOptions are the flags of the backfill command; the plan and the
// storage path come from the global --config and --storage.path.
type backfillOptions struct {
	out string
	end string
}

// addBackfillCommand registers `backfill` on app. The returned function
// runs it once app.Parse has filled the flags.
func addBackfillCommand(app *kingpin.Application, opts *serveOptions, stdout, stderr io.Writer) (*kingpin.CmdClause, func() int) {
	var b backfillOptions
	cmd := app.Command("backfill", "Write the stored history as OpenMetrics for `promtool tsdb create-blocks-from openmetrics` "+
		"(series indicator_reported_value and indicator_reported_planned_value, one sample per report at its as_of date).")
	cmd.Flag("out", "OpenMetrics file to write (--out=- for standard output).").Required().StringVar(&b.out)
	cmd.Flag("end", "Leave out reports dated at or after this time (YYYY-MM-DD in the plan's zone, or RFC 3339). "+
		"Default: 3 hours ago, so no sample falls in Prometheus's head block.").StringVar(&b.end)
	return cmd, func() int { return runBackfill(*opts, b, time.Now(), stdout, stderr) }
}

func runBackfill(o serveOptions, b backfillOptions, now time.Time, stdout, stderr io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "indicator_exporter backfill: "+format+"\n", args...)
		return 1
	}
	if b.out == "" { // kingpin reads `--out -` as an empty value
		return fail("--out needs a file name (--out=- for standard output)")
	}
	plan, err := config.LoadFile(o.configFile)
	if err != nil {
		return fail("%v", err)
	}
	end := now.Add(-3 * time.Hour)
	if b.end != "" {
		if end, err = time.ParseInLocation("2006-01-02", b.end, plan.Location); err != nil {
			if end, err = time.Parse(time.RFC3339, b.end); err != nil {
				return fail("--end %q is neither YYYY-MM-DD nor RFC 3339", b.end)
			}
		}
	}
	// Opening creates an empty database where there is none; a backfill
	// pointed at the wrong path must say so instead.
	db := filepath.Join(o.storagePath, store.DBFile)
	if _, err := os.Stat(db); err != nil {
		return fail("no history database at %s (check --storage.path): %v", db, err)
	}
	st, err := store.OpenReader(o.storagePath, plan) // alongside a running server: never writes
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	data, err := st.Full(context.Background()) // every report: the samples are one a report
	if err != nil {
		return fail("%v", err)
	}

	if b.out == "-" {
		if _, err := backfill.Write(stdout, plan, data, end); err != nil {
			return fail("%v", err)
		}
		return 0
	}
	// Written beside the target and renamed, so promtool never reads half
	// a file.
	tmp, err := os.CreateTemp(filepath.Dir(b.out), "."+filepath.Base(b.out)+".*.tmp")
	if err != nil {
		return fail("cannot create output: %v", err)
	}
	defer os.Remove(tmp.Name())
	stats, err := backfill.Write(tmp, plan, data, end)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // promtool may run as another user
	}
	if err == nil {
		err = os.Rename(tmp.Name(), b.out)
	}
	if err != nil {
		return fail("cannot write %s: %v", b.out, err)
	}
	span := "no reports"
	if stats.Samples > 0 {
		span = fmt.Sprintf("%s to %s", stats.First.In(plan.Location).Format("2006-01-02"), stats.Last.In(plan.Location).Format("2006-01-02"))
	}
	fmt.Fprintf(stdout, "wrote %d samples in %d series (%s; %d reports at or after %s left out) to %s\n"+
		"next: promtool tsdb create-blocks-from openmetrics %s <prometheus data directory>, then restart Prometheus\n",
		stats.Samples, stats.Series, span, stats.Skipped, end.In(plan.Location).Format(time.RFC3339), b.out, b.out)
	return 0
}
