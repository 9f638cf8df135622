package inbox

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// eventGap is the least time between two scans that file events ask for:
// a file being copied in makes an event per write.
const eventGap = 100 * time.Millisecond

// Run scans at start, after file events (fsnotify gives the prompt path)
// and on the rescan schedule (which finds what events miss), until ctx is
// cancelled. Events are hints only: every decision comes from a scan.
func (in *Inbox) Run(ctx context.Context) error {
	if err := in.Prepare(); err != nil {
		// Not fatal: the scan retries and re-creates the folder.
		in.logger.Error("inbox not ready; will retry", "err", err)
		in.mu.Lock()
		in.rewatch = true
		in.mu.Unlock()
	}
	var events <-chan fsnotify.Event
	var errs <-chan error
	var w *fsnotify.Watcher
	if !in.opts.NoWatch {
		var err error
		w, err = fsnotify.NewWatcher()
		if err != nil {
			in.logger.Warn("file events unavailable; relying on the periodic rescan", "err", err)
		} else {
			defer w.Close()
			in.watchAll(w)
			events, errs = w.Events, w.Errors
		}
	}

	timer := time.NewTimer(0) // the first scan runs at once
	defer timer.Stop()
	nextRescan := in.sched.Next(time.Now())
	rescan := time.NewTimer(time.Until(nextRescan))
	defer rescan.Stop()

	due := time.Now() // when the timer fires; zero once it has
	soon := func(d time.Duration) {
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(d)
		due = time.Now().Add(d)
	}
	var lastScan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if ev.Op == fsnotify.Chmod {
				continue
			}
			if ev.Op&fsnotify.Create != 0 && filepath.Dir(ev.Name) == filepath.Clean(in.opts.Dir) {
				_ = w.Add(ev.Name) // a new department folder; an error just means it is a file
			}
			// The first event of a burst scans at once, so that a file's
			// settle period starts when it lands; the events of a burst
			// of writes after it make one scan eventGap after the last.
			d := max(0, eventGap-time.Since(lastScan))
			if due.IsZero() || time.Now().Add(d).Before(due) {
				soon(d)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				in.logger.Warn("file event queue overflowed; rescanning", "err", err)
			} else {
				in.logger.Warn("file watch error; rescanning", "err", err)
			}
			soon(0)
		case <-rescan.C:
			nextRescan = in.sched.Next(time.Now())
			rescan.Reset(time.Until(nextRescan))
			if w != nil {
				in.watchAll(w) // folders re-created since the last scan
			}
			soon(0)
		case <-timer.C:
			due, lastScan = time.Time{}, time.Now()
			wait := in.Scan(ctx)
			// Watches die with their folder: a re-created inbox or
			// department folder is watched again, and scanned once
			// more for what was dropped before the watch was back.
			if w != nil && in.takeRewatch() {
				if !in.watchAll(w) {
					in.mu.Lock()
					in.rewatch = true // still missing; the failed scan retries
					in.mu.Unlock()
				} else if wait == 0 || wait > 100*time.Millisecond {
					wait = 100 * time.Millisecond
				}
			}
			if wait > 0 {
				soon(wait)
			}
		}
	}
}

// watchAll watches the inbox and each folder in it (fsnotify does not
// recurse) and reports whether the inbox itself is watched. Adding a
// watched path again is harmless.
func (in *Inbox) watchAll(w *fsnotify.Watcher) bool {
	if err := w.Add(in.opts.Dir); err != nil {
		in.logger.Debug("cannot watch inbox", "dir", in.opts.Dir, "err", err)
		return false
	}
	for _, d := range in.plan().Departments {
		_ = w.Add(filepath.Join(in.opts.Dir, d.ID))
	}
	return true
}
