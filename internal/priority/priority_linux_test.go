package priority

import (
	"runtime"
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

// A spare P is there while any holder holds it, and gone after the last
// gives it back; giving back twice counts once.
func TestSpareProcLastsWhileHeld(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	a := SpareProc()
	if got := runtime.GOMAXPROCS(0); got != before+1 {
		t.Fatalf("GOMAXPROCS = %d with a spare, want %d", got, before+1)
	}
	b := SpareProc()
	if got := runtime.GOMAXPROCS(0); got != before+1 {
		t.Fatalf("GOMAXPROCS = %d with two holders, want %d: one spare P, not one each", got, before+1)
	}
	a()
	a()
	if got := runtime.GOMAXPROCS(0); got != before+1 {
		t.Fatalf("GOMAXPROCS = %d after one of two holders gave it back (twice), want %d", got, before+1)
	}
	b()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Fatalf("GOMAXPROCS = %d after the last holder gave it back, want %d", got, before)
	}
}
