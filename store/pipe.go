package store

import (
	"sync/atomic"

	"github.com/shandong/indicator_exporter/internal/priority"
)

// pipe runs a Writer's writes to SQLite, its chunks and runs, on a second
// goroutine in the order they were handed over, while the file is still
// being read on the first: on two cores the reading of a 105 MB file took
// 0.87–0.92 s instead of 1.15–1.32 s (BenchmarkIngest in inbox with
// INGEST_MB=100, timed by hand around the parse). The Writer keeps everything it decides with on
// its own goroutine (the series, the days folded, the counts); the pipe's
// goroutine owns the chunk being built and the statements of the
// transaction while a job runs. The Writer waits for it (wait) before it
// reads what the jobs write or uses the transaction itself.
//
// The goroutine runs at the priority of background work (priority), as
// the reading does, and the runtime gets a P more while it runs: a scrape
// must not wait behind either, for a core or for a P (with GOMAXPROCS
// at two cores' 2, the two would hold both Ps).
type pipe struct {
	jobs   chan job
	exited chan struct{}
	free   chan []Observation // buffers the jobs are done with
	failed atomic.Bool
	err    error // the first job's error: set by the pipe's goroutine, read after wait
	closed bool
	spare  func() // gives back the spare P (priority.SpareProc)
}

// job is a write, or a barrier that wait closes once the writes before it
// are done.
type job struct {
	write   func() error
	barrier chan struct{}
}

// pipeDepth is how many jobs wait for the pipe's goroutine before the
// Writer waits in turn: enough batches of rows (2,000 each, some 320 KB
// with their strings' headers) to cover a chunk's or a fold's write, so
// that the reading goes on meanwhile, without the file's rows piling up
// in memory. At 4 the reading of the 105 MB file of BenchmarkIngest
// waited 95–230 ms on a full pipe, at 16 7–62 ms (go test -trace, the
// reading goroutine's time blocked in a channel send).
const pipeDepth = 16

func startPipe() *pipe {
	p := &pipe{jobs: make(chan job, pipeDepth), exited: make(chan struct{}), free: make(chan []Observation, pipeDepth+2)}
	p.spare = priority.SpareProc()
	go priority.Background(p.run)
	return p
}

func (p *pipe) run() {
	defer close(p.exited)
	for j := range p.jobs {
		switch {
		case j.barrier != nil:
			close(j.barrier)
		case p.err == nil:
			if err := j.write(); err != nil {
				p.err = err
				p.failed.Store(true)
			}
		}
	}
}

// send hands a write to the pipe. After a failure the writes are skipped;
// wait returns the failure.
func (p *pipe) send(write func() error) { p.jobs <- job{write: write} }

// wait returns once every write handed over before is done, with the
// first one's error.
func (p *pipe) wait() error {
	if p.closed {
		return p.err
	}
	b := make(chan struct{})
	p.jobs <- job{barrier: b}
	<-b
	return p.err
}

// stop waits for the writes handed over and ends the goroutine. It may be
// called again.
func (p *pipe) stop() {
	if p.closed {
		return
	}
	p.closed = true
	close(p.jobs)
	<-p.exited
	p.spare()
}

// buffer is an empty slice to fill and hand over.
func (p *pipe) buffer() []Observation {
	select {
	case b := <-p.free:
		return b
	default:
		return make([]Observation, 0, 1024)
	}
}

// recycle gives a buffer back, from a job done with it.
func (p *pipe) recycle(b []Observation) {
	clear(b) // its strings are the file's
	select {
	case p.free <- b[:0]:
	default:
	}
}
