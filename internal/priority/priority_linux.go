package priority

import (
	"runtime"
	"syscall"
)

// Background runs f on an OS thread of its own at nice Nice and returns
// when f does. Reading and storing a large file keeps a core busy for
// seconds; at a lower priority the kernel hands the cores to the threads
// answering scrapes first, so /metrics stays quick during an ingest
// (bench/run.sh: on two cores a 100 MB file took the scrape median past
// twice its idle figure). The thread is discarded with the goroutine: an
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
