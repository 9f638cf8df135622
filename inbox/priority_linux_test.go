package inbox

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

// A file is read and stored on a thread the kernel puts behind the ones
// answering scrapes; no other thread of the process is lowered with it.
func TestFilesAreProcessedAtLowPriority(t *testing.T) {
	before := niceness(t)
	var during int
	if got := lowPriority(func() bool { during = niceness(t); return true }); !got {
		t.Fatal("lowPriority did not return f's result")
	}
	if during != max(before, 10) {
		t.Errorf("nice while processing = %d, want 10 (the caller's is %d)", during, before)
	}
	if after := niceness(t); after != before {
		t.Errorf("the caller's thread went from nice %d to %d", before, after)
	}
	// The next file gets a thread of its own, lowered again.
	var again int
	lowPriority(func() bool { again = niceness(t); return false })
	if again != during {
		t.Errorf("nice of the next file's thread = %d, want %d", again, during)
	}
}
