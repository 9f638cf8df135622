package main

import (
	"os"
	"runtime/debug"
)

// defaultGCPercent is the garbage collector's target while serving when
// the GOGC environment variable is not set. Most of the live heap is the
// rendered exposition, and a re-rendering briefly holds the old one and
// the new parts; Go's default of 100 lets the heap grow to twice the live
// size before collecting. At 100k series, 50 lowered the benchmark's peak
// RSS by about 5 MiB for about a tenth more CPU per rendering (a few
// milliseconds per refresh interval) and nothing measurable per scrape,
// which allocates little; 35 lowers it by about 5 MiB more (53–55 MiB
// against 58–61 at 50: bench/run.sh's 100k scrape, 20 rounds, two runs
// each, 5 December), with the scrape medians unchanged, and keeps it
// clear of half the client_golang exporter's (114–129 MiB), which 50 sat
// on. Prometheus defaults to 75. While a dropped file of 16 MiB or more
// is read the target is 100 (priority.BulkGC).
const defaultGCPercent = 35

// setGCDefault applies defaultGCPercent through set unless lookup finds
// GOGC: an operator's GOGC (any value, "off" too) always wins, and
// GOMEMLIMIT, read by the Go runtime itself, still applies. An empty GOGC
// counts as unset, as it does for the runtime. It reports whether the
// default was applied.
func setGCDefault(lookup func(string) (string, bool), set func(int) int) bool {
	if v, ok := lookup("GOGC"); ok && v != "" {
		return false
	}
	set(defaultGCPercent)
	return true
}

// applyGCDefault is setGCDefault for this process.
func applyGCDefault() bool { return setGCDefault(os.LookupEnv, debug.SetGCPercent) }
