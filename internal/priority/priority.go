// Package priority runs bulk work, reading and storing a dropped file,
// on threads the kernel puts behind the ones answering scrapes.
package priority

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

// Nice is the nice value of the threads Background runs work on.
const Nice = 10

// SpareProc raises GOMAXPROCS by one until the function it returns is
// called, for as long as any caller holds it. Go's scheduler knows
// nothing of thread priorities: background work on as many goroutines as
// there are Ps leaves a scrape's goroutine queued for a P until one is
// preempted (10 ms), however quickly the kernel would run its thread.
// With one P more it runs at once, and the kernel puts its thread ahead
// of the lowered ones.
func SpareProc() (release func()) { return spare.hold() }

var spare = setting{
	raise: func() (restore func()) {
		before := runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(before + 1)
		return func() {
			if os.Getenv("GOMAXPROCS") == "" {
				// Back to the runtime's default, which follows the CPU
				// limit again (setting GOMAXPROCS stops that).
				runtime.SetDefaultGOMAXPROCS()
			} else {
				runtime.GOMAXPROCS(before)
			}
		}
	},
}

// bulkGCPercent is the collector's target while bulk work runs. The
// exporter serves with a lower one (35: the rendered exposition is most
// of its heap, and its peak is what an operator sees); reading a file
// allocates several times the file's size in rows that die at once, and
// at 50 the collector ran every 10 MB, 40 times for a 100 MB file, its
// marking slowing the reading (bench/run.sh with GOGC set for the whole
// exporter, three rounds: 60–64 MB/s at 50, 67–70 MB/s at 100).
const bulkGCPercent = 100

// BulkGC raises the garbage collector's target to bulkGCPercent until
// the function it returns is called, for as long as any caller holds it.
// A target already as high, or collection turned off (GOGC=off), is left
// as it is.
func BulkGC() (release func()) { return bulkGC.hold() }

var bulkGC = setting{
	raise: func() (restore func()) {
		before := debug.SetGCPercent(bulkGCPercent)
		if before < 0 || before >= bulkGCPercent {
			debug.SetGCPercent(before)
			return func() {}
		}
		return func() { debug.SetGCPercent(before) }
	},
}

// setting is a process-wide runtime setting that bulk work changes while
// any of it runs: raised for the first holder, restored after the last.
type setting struct {
	raise   func() (restore func())
	mu      sync.Mutex
	holders int
	restore func()
}

func (s *setting) hold() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.holders == 0 {
		s.restore = s.raise()
	}
	s.holders++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.holders--; s.holders == 0 {
				s.restore()
			}
		})
	}
}
