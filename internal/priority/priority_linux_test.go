package priority

import (
	"syscall"
	"testing"
)

// niceness is the nice value of the calling thread (the raw syscall
// returns 20 − nice).
func niceness(t *testing.T) int {
	t.Helper()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

// Work runs on a thread the kernel puts behind the ones answering
// scrapes; no other thread of the process is lowered with it.
func TestBackgroundWorkRunsAtLowPriority(t *testing.T) {
	before := niceness(t)
	var during int
	Background(func() { during = niceness(t) })
	if during != max(before, Nice) {
		t.Errorf("nice while working = %d, want %d (the caller's is %d)", during, Nice, before)
	}
	if after := niceness(t); after != before {
		t.Errorf("the caller's thread went from nice %d to %d", before, after)
	}
	// The next work gets a thread of its own, lowered again.
	var again int
	Background(func() { again = niceness(t) })
	if again != during {
		t.Errorf("nice of the next work's thread = %d, want %d", again, during)
	}
}
