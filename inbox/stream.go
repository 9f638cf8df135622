package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/internal/priority"
	"github.com/shandong/indicator_exporter/store"
	"github.com/shandong/indicator_exporter/submission"
)

// processStream handles every file without holding it: one pass tells
// valid UTF-8 apart, a second parses it and stores its rows batch by
// batch in one open transaction, which is committed only if the whole
// file is valid and names no key twice; another goroutine hashes it
// meanwhile. The file is never held in
// memory: the writer keeps each row's observation (24 bytes), which
// becomes the state, and finds the keys named twice in it; and small and
// large files take one path.
func (in *Inbox) processStream(ctx context.Context, plan *indicators.Plan, c candidate, now time.Time, lim submission.Limits) bool {
	f, err := openNoFollowFile(c.path)
	if err != nil {
		in.logger.Warn("cannot read dropped file; will retry", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	defer f.Close()
	// The file's SHA-256, which only the duplicate check needs, before
	// the commit, is computed on a second goroutine while this one parses
	// the file; the pass before the parse only tells valid UTF-8 apart,
	// to choose the encoding, at several times the hash's speed. Hashing
	// in that pass took 0.1 s of the 1.7 s a 105 MB file took.
	//
	// The hash is done long before the parse (several times its speed):
	// a file stored before is then found while it is still being read,
	// and its reading stops there, so that a second drop of a large
	// file is told as a duplicate in the time the hash takes.
	hash := hashFile(f, lim.MaxBytes+1, func(sha string) bool {
		_, ok, err := in.store.LookupBatch(ctx, sha)
		return err == nil && ok
	})
	defer hash.wait() // it reads f, closed after
	valid := &submission.UTF8Validator{}
	size, err := io.Copy(valid, io.LimitReader(f, lim.MaxBytes+1))
	if err != nil {
		in.logger.Warn("cannot read dropped file; will retry", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		in.logger.Warn("cannot re-read dropped file; will retry", "department", c.dept, "file", c.name, "err", err)
		return false
	}

	w, err := in.store.Begin(ctx, store.Batch{Department: c.dept, Source: c.name, ReceivedAt: now})
	if err != nil {
		in.m.storeErrors.WithLabelValues(c.dept).Inc()
		in.logger.Error("cannot store a valid file; it stays in the inbox and will be retried", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	defer w.Rollback() // unless committed
	// Rows are stored on this goroutine: parsing in one and storing in
	// another was measured 6 % faster on two cores, and took the core a
	// scrape needs during the ingest.
	obs := make([]store.Observation, 0, 1024)
	lines := 0 // the last line passed to the store
	file, err := submission.StreamKeys(c.name, io.LimitReader(f, size), size, valid.Valid(), plan, c.dept, now, lim, writerKeys{w},
		func(kind submission.Kind, rows []submission.Row) error {
			if in.beforeBatch != nil {
				in.beforeBatch(hash)
			}
			if hash.storedBefore.Load() {
				return errStoredBefore
			}
			if len(rows) > 0 {
				lines = rows[len(rows)-1].Line
			}
			obs = obs[:0]
			for _, r := range rows {
				obs = append(obs, store.Observation{Indicator: r.Indicator, Region: r.Region, AsOf: r.AsOf, Value: r.Value, Raw: r.Raw,
					ReceivedAt: now, Department: c.dept, Source: c.name, Line: r.Line, Note: r.Note})
			}
			return w.Add(obs, kind == submission.Targets)
		})
	if in.afterRead != nil {
		in.afterRead(c.path)
	}
	sha, hashed, herr := hash.wait()
	if herr != nil {
		w.Rollback()
		in.logger.Warn("cannot read dropped file; will retry", "department", c.dept, "file", c.name, "err", herr)
		return false
	}
	if changedSince(f, c, size) || hashed != size {
		// Still being written after all (a copy that stalled longer than
		// the settle period): what was read is not the file. It is read
		// again once it has settled anew.
		w.Rollback()
		in.logger.Info("dropped file changed while it was read; it is read again once it settles", "department", c.dept, "file", c.name)
		return false
	}
	// A file stored before is a duplicate whatever its rows say now, as
	// when it was looked up before the parse.
	if done, handled := in.duplicate(ctx, c, sha, now, w.Rollback); handled {
		if errors.Is(err, errStoredBefore) {
			in.logger.Debug("dropped file stored before; its reading stopped early", "department", c.dept, "file", c.name, "after_line", lines)
		}
		return done
	}
	w.SetSHA256(sha)
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
	// The outcome is committed with the rows, where the file goes and its
	// report: a restart after the commit carries it out (duplicate) if
	// the file had not got there.
	var report string
	dest, derr := in.destination(c, Accepted, now)
	if derr == nil {
		w.SetOutcome(func(w *store.Writer) store.FileOutcome {
			report = acceptReport(c, file, w.Rows(), w.Replaced())
			return store.FileOutcome{Department: c.dept, Source: c.name, Path: dest, Result: Accepted, Rows: w.Rows(), At: now, Report: report}
		})
	}
	rows := w.Rows()
	if err := w.Commit(); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			// Stored since the lookup above (it cannot be while this
			// Writer holds the store, but the store says so last).
			if done, handled := in.duplicate(ctx, c, sha, now, w.Rollback); handled {
				return done
			}
		}
		in.m.storeErrors.WithLabelValues(c.dept).Inc()
		in.logger.Error("cannot store a valid file; it stays in the inbox and will be retried", "department", c.dept, "file", c.name, "err", err)
		return false
	}
	if derr != nil {
		// No archive folder to name: stored all the same, the file stays
		// in the inbox (taken as a duplicate at the next scan) and the
		// error is logged.
		in.finish(c, Accepted, rows, "", now, acceptReport(c, file, rows, w.Replaced()))
	} else {
		in.place(c, dest, nil, Accepted, rows, "", report)
	}
	in.m.lastAccepted.WithLabelValues(c.dept).Set(float64(now.Unix()))
	return true
}

// errStoredBefore stops the parse of a file whose hash was found stored.
var errStoredBefore = errors.New("the file was stored before")

// fileHash is a file's SHA-256, computed on a goroutine of its own.
type fileHash struct {
	done chan struct{}
	sha  string
	size int64 // bytes hashed
	err  error
	// storedBefore is set, once the hash is known, if stored says a
	// file with that hash was stored before.
	storedBefore atomic.Bool
}

// hashFile hashes the first limit bytes of f at background priority,
// through ReadAt, so that it does not move the offset the caller reads
// f by; then asks stored whether that hash was stored before.
func hashFile(f *os.File, limit int64, stored func(sha string) bool) *fileHash {
	fh := &fileHash{done: make(chan struct{})}
	go priority.Background(func() {
		defer close(fh.done)
		h := sha256.New()
		fh.size, fh.err = io.Copy(h, io.NewSectionReader(f, 0, limit))
		fh.sha = hex.EncodeToString(h.Sum(nil))
		if fh.err == nil && stored(fh.sha) {
			fh.storedBefore.Store(true)
		}
	})
	return fh
}

// wait returns the hash once it is done; it may be called again.
func (fh *fileHash) wait() (sha string, size int64, err error) {
	<-fh.done
	return fh.sha, fh.size, fh.err
}

// writerKeys finds the keys a file of values names twice in the rows the
// writer keeps anyway.
type writerKeys struct{ w *store.Writer }

func (k writerKeys) Add(series int, r submission.Row) (int, bool) {
	return k.w.Record(series, r.Indicator, r.Region, r.AsOf, r.Value, r.Line)
}

// changedSince reports whether the file being read (f, at c.path) is no
// longer the one that settled: its size, modification or change time
// moved, read bytes the size it settled at, or another file took its
// name.
func changedSince(f *os.File, c candidate, read int64) bool {
	st, err := f.Stat()
	if err != nil || read != c.info.Size() || st.Size() != c.info.Size() || !st.ModTime().Equal(c.info.ModTime()) ||
		!changeTime(st).Equal(changeTime(c.info)) {
		return true
	}
	now, err := os.Lstat(c.path)
	return err != nil || !os.SameFile(st, now)
}
