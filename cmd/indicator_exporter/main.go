// Command indicator_exporter turns a plan of quantitative targets into
// Prometheus metrics: it loads the plan from TOML, keeps every reported
// value in an embedded database, and serves progress against the targets.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"
)

func main() {
	fillVersion(debug.ReadBuildInfo())
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args and runs the chosen command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	app := kingpin.New("indicator_exporter", "Prometheus exporter for the progress of a plan's quantitative targets.")
	app.Version(version.Print("indicator_exporter"))
	app.HelpFlag.Short('h')
	app.UsageWriter(stdout)
	app.ErrorWriter(stderr)

	var opts serveOptions
	opts.web = kingpinflag.AddFlags(app, ":9877")
	app.Flag("config", "Plan file (TOML).").Default("config/plan.toml").StringVar(&opts.configFile)
	// --config.file, as Prometheus and blackbox_exporter spell it.
	app.Flag("config.file", "Plan file (TOML); the same as --config.").PlaceHolder("config/plan.toml").StringVar(&opts.configFile)
	app.Flag("storage.path", "Directory of the history database.").Default("./data").StringVar(&opts.storagePath)
	app.Flag("web.telemetry-path", "Path under which to expose metrics.").Default("/metrics").StringVar(&opts.metricsPath)
	app.Flag("metrics.refresh-interval", "How often time-dependent values (expected progress, status) are recomputed; data changes are served at once.").Default("15s").DurationVar(&opts.refresh)
	app.Flag("inbox.dir", "Inbox folder: one subfolder per department id, where clerks drop CSV files.").Default("./inbox").StringVar(&opts.inbox.Dir)
	app.Flag("inbox.archive-dir", "Where accepted and duplicate files go, in <department>/<date>/ with a report.").Default("./archive").StringVar(&opts.inbox.ArchiveDir)
	app.Flag("inbox.rejected-dir", "Where rejected files go, in <department>/<date>/ with a report.").Default("./rejected").StringVar(&opts.inbox.RejectedDir)
	app.Flag("inbox.settle-period", "How long a file's size and modification time must hold before it is read.").Default("2s").DurationVar(&opts.inbox.Settle)
	app.Flag("inbox.rescan", "Cron schedule of the full inbox rescan that finds files file events miss (network shares).").Default("@every 1m").StringVar(&opts.inbox.Rescan)
	app.Flag("inbox.watch", "Use file system events for prompt pickup (disable on shares that never send them).").Default("true").BoolVar(&opts.inboxWatch)
	app.Flag("inbox.max-file-size", "Largest file accepted, in bytes.").Default("33554432").Int64Var(&opts.inbox.Limits.MaxBytes)
	app.Flag("inbox.max-rows", "Most data rows accepted in one file.").Default("200000").IntVar(&opts.inbox.Limits.MaxRows)
	opts.log = &promslog.Config{}
	promslogflag.AddFlags(app, opts.log)

	serve := app.Command("serve", "Run the exporter (the default).").Default()
	check := app.Command("check", "Validate a plan file and exit: 0 if valid, 1 if not (like promtool check config).")
	checkFiles := check.Arg("file", "Plan files to check (default: --config).").Strings()
	backfillCmd, runBackfill := addBackfillCommand(app, &opts, stdout, stderr)

	cmd, err := app.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "indicator_exporter: %v (try --help)\n", err)
		return 2
	}
	switch cmd {
	case check.FullCommand():
		files := *checkFiles
		if len(files) == 0 {
			files = []string{opts.configFile}
		}
		return checkPlans(files, stdout, stderr)
	case backfillCmd.FullCommand():
		return runBackfill()
	case serve.FullCommand():
		logger := promslog.New(opts.log)
		if applyGCDefault() {
			logger.Debug("GOGC not set: using the exporter's default", "gogc", defaultGCPercent)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
		if err := serveExporter(ctx, opts, logger, hup); err != nil {
			logger.Error("exporter stopped", "err", err)
			return 1
		}
		return 0
	}
	return 2
}
