package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"sync/atomic"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
	"github.com/shandong/indicator_exporter/submission"
)

// processStream handles every file without holding it: one pass hashes
// it (and tells valid UTF-8 apart), a second parses it and stores its rows
// batch by batch in one open transaction, which is committed only if the
// whole file is valid and names no key twice. The file is never held in
// memory (the writer keeps 16 bytes a row for the state it becomes), and
// small and large files take one path.
func (in *Inbox) processStream(ctx context.Context, plan *indicators.Plan, c candidate, now time.Time, lim submission.Limits) bool {
	f, err := openNoFollowFile(c.path)
	if err != nil {
		in.logger.Warn("cannot read dropped file; will retry", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	defer f.Close()
	h := sha256.New()
	valid := &submission.UTF8Validator{}
	size, err := io.Copy(io.MultiWriter(h, valid), io.LimitReader(f, lim.MaxBytes+1))
	if err != nil {
		in.logger.Warn("cannot read dropped file; will retry", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	sha := hex.EncodeToString(h.Sum(nil))
	if done, handled := in.duplicate(ctx, c, sha, now); handled {
		return done
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		in.logger.Warn("cannot re-read dropped file; will retry", "department", c.dept, "file", c.name, "err", err)
		return false
	}

	w, err := in.store.Begin(ctx, store.Batch{SHA256: sha, Department: c.dept, Source: c.name, ReceivedAt: now})
	if errors.Is(err, store.ErrDuplicate) {
		info, _, _ := in.store.LookupBatch(ctx, sha)
		in.finish(c, Duplicate, info.Rows, "", now, duplicateReport(c, info))
		return true
	}
	if err != nil {
		in.m.storeErrors.WithLabelValues(c.dept).Inc()
		in.logger.Error("cannot store a valid file; it stays in the inbox and will be retried", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	defer w.Rollback() // unless committed
	a := newAdder(w)
	file, err := submission.Stream(c.name, io.LimitReader(f, size), size, valid.Valid(), plan, c.dept, now, lim,
		func(kind submission.Kind, rows []submission.Row) error {
			obs := a.buffer()
			for _, r := range rows {
				obs = append(obs, store.Observation{Indicator: r.Indicator, Region: r.Region, AsOf: r.AsOf, Value: r.Value, Raw: r.Raw,
					ReceivedAt: now, Department: c.dept, Source: c.name, Line: r.Line, Note: r.Note})
			}
			return a.send(obs, kind == submission.Targets)
		})
	if addErr := a.wait(); err == nil {
		err = addErr
	}
	var se *submission.Error
	switch {
	case errors.As(err, &se):
		w.Rollback()
		se.Department = c.dept
		in.finish(c, Rejected, 0, se.Error(), now, se.Report())
		return true
	case err != nil:
		w.Rollback()
		in.m.storeErrors.WithLabelValues(c.dept).Inc()
		in.logger.Error("cannot store a valid file; it stays in the inbox and will be retried", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	rows := w.Rows()
	if err := w.Commit(); err != nil {
		in.m.storeErrors.WithLabelValues(c.dept).Inc()
		in.logger.Error("cannot store a valid file; it stays in the inbox and will be retried", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	in.finish(c, Accepted, rows, "", now, acceptReport(c, file, rows))
	in.m.lastAccepted.WithLabelValues(c.dept).Set(float64(now.Unix()))
	return true
}

// adder stores the rows the parser emits from a second goroutine, so that
// storing one batch overlaps parsing the next (the parser is the slower).
// Three buffers circulate: one filling, one queued, one being stored.
type adder struct {
	w    *store.Writer
	jobs chan addJob
	free chan []store.Observation
	done chan error
	err  atomic.Pointer[error]
}

type addJob struct {
	rows      []store.Observation
	revisions bool
}

func newAdder(w *store.Writer) *adder {
	a := &adder{w: w, jobs: make(chan addJob, 1), free: make(chan []store.Observation, 3), done: make(chan error, 1)}
	for range 3 {
		a.free <- make([]store.Observation, 0, 1024)
	}
	go func() {
		var err error
		for j := range a.jobs {
			if err == nil {
				if err = w.Add(j.rows, j.revisions); err != nil {
					a.err.Store(&err)
				}
			}
			clear(j.rows) // drop the strings it holds
			a.free <- j.rows[:0]
		}
		a.done <- err
	}()
	return a
}

// buffer returns an empty slice to fill, once one is free.
func (a *adder) buffer() []store.Observation { return <-a.free }

// send queues rows to be stored; it returns the error of an earlier batch,
// which stops the parser.
func (a *adder) send(rows []store.Observation, revisions bool) error {
	if err := a.err.Load(); err != nil {
		a.free <- rows[:0]
		return *err
	}
	a.jobs <- addJob{rows, revisions}
	return nil
}

// wait returns once every queued batch is stored, with the first error.
// The Writer is the caller's again after it.
func (a *adder) wait() error {
	close(a.jobs)
	return <-a.done
}
