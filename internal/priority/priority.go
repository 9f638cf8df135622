// Package priority runs bulk work, reading and storing a dropped file,
// on threads the kernel puts behind the ones answering scrapes.
package priority

import (
	"os"
	"runtime"
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
func SpareProc() (release func()) {
	spare.Lock()
	defer spare.Unlock()
	if spare.holders == 0 {
		spare.before = runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(spare.before + 1)
	}
	spare.holders++
	var once sync.Once
	return func() {
		once.Do(func() {
			spare.Lock()
			defer spare.Unlock()
			if spare.holders--; spare.holders > 0 {
				return
			}
			if os.Getenv("GOMAXPROCS") == "" {
				// Back to the runtime's default, which follows the
				// CPU limit again (setting GOMAXPROCS stops that).
				runtime.SetDefaultGOMAXPROCS()
			} else {
				runtime.GOMAXPROCS(spare.before)
			}
		})
	}
}

var spare struct {
	sync.Mutex
	holders int
	before  int // GOMAXPROCS as set in the environment
}
