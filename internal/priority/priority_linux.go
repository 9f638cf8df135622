package priority

import (
	"runtime"
	"syscall"
)

// Background runs f on an OS thread of its own at nice Nice and returns
// when f does. Reading and storing a large file keeps a core busy for
// seconds; at a lower priority the kernel hands the cores to the threads
// answering scrapes first when cores are short. (On an otherwise idle
// two-core machine it made no difference one way or the other: scrapes
// during the 105 MB ingest of bench/run.sh took 1.0–1.2 times as long as
// idle ones at the same pace, with it and without it. An earlier figure
// of twice idle compared them with idle scrapes back to back, which find
// the caches warm.) The thread is discarded with the goroutine: an
// unprivileged process may lower a thread's priority but not raise it
// back.
func Background(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		// Best effort: a refusal (a seccomp profile) leaves the priority as it was.
		_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), Nice)
		f()
	}()
	<-done
}
