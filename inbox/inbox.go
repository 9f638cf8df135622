// Package inbox takes the CSV files departments drop into their folders:
// it waits until a file has settled, parses it, commits it to the store in
// one transaction, and moves it to the archive or the rejected folder with
// a report a clerk can act on.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/internal/priority"
	"github.com/shandong/indicator_exporter/store"
	"github.com/shandong/indicator_exporter/submission"
)

// Options configure an Inbox. Zero values take the defaults.
type Options struct {
	Dir         string        // default ./inbox
	ArchiveDir  string        // default ./archive
	RejectedDir string        // default ./rejected
	Settle      time.Duration // default 2s: size and mtime must hold this long
	// Rescan is a cron spec (robfig/cron, optional seconds) for the
	// periodic full scan that finds what file events miss (SMB/NFS
	// shares, files left from before a restart); default every minute.
	Rescan string
	// NoWatch disables fsnotify, leaving only the rescan (for network
	// shares where events never come, and for tests of that path).
	NoWatch bool
	Limits  submission.Limits
}

func (o *Options) defaults() {
	if o.Dir == "" {
		o.Dir = "./inbox"
	}
	if o.ArchiveDir == "" {
		o.ArchiveDir = "./archive"
	}
	if o.RejectedDir == "" {
		o.RejectedDir = "./rejected"
	}
	if o.Settle <= 0 {
		o.Settle = 2 * time.Second
	}
	if o.Rescan == "" {
		o.Rescan = "@every 1m"
	}
}

// Store is what the inbox needs of the history store.
type Store interface {
	Begin(ctx context.Context, meta store.Batch) (*store.Writer, error)
	LookupBatch(ctx context.Context, sha string) (store.BatchInfo, bool, error)
	RecordOutcome(ctx context.Context, o store.FileOutcome) error
	OutcomeOf(ctx context.Context, b store.BatchInfo) (store.FileOutcome, bool, error)
}

// Inbox watches the inbox folder. Run drives it; Scan does one pass.
type Inbox struct {
	opts   Options
	plan   func() *indicators.Plan
	store  Store
	logger *slog.Logger
	now    func() time.Time
	m      *metrics
	sched  cron.Schedule

	mu      sync.Mutex
	pending map[string]seen // path → last size/mtime and since when it held
	// rewatch is set when folders were missing or re-created: their file
	// watches are gone and Run must add them again.
	rewatch bool

	afterRead   func(path string)    // tests: write to a file between reading and storing it
	beforeBatch func(*fileHash)      // tests: called before each batch of rows is stored
	bulkFrom    int64                // files this large are read with priority.BulkGC (bulkGCFrom; tests lower it)
	scanFault   string               // the scan error last logged; "" while scans succeed (Scan runs on one goroutine)
	gone        map[string]time.Time // folders found missing → when first found so (Scan's goroutine only)
}

type seen struct {
	size  int64
	mtime time.Time
	since time.Time
}

// New returns an inbox. plan gives the plan in force at each file.
func New(o Options, plan func() *indicators.Plan, st Store, logger *slog.Logger, reg prometheus.Registerer) (*Inbox, error) {
	o.defaults()
	p := cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	sched, err := p.Parse(o.Rescan)
	if err != nil {
		return nil, fmt.Errorf("invalid --inbox.rescan schedule %q: %w", o.Rescan, err)
	}
	in := &Inbox{opts: o, plan: plan, store: st, logger: logger, now: time.Now, m: newMetrics(reg), sched: sched,
		pending: map[string]seen{}, gone: map[string]time.Time{}, bulkFrom: bulkGCFrom}
	return in, nil
}

// bulkGCFrom is the size from which a file is read with the collector's
// target raised (priority.BulkGC). A smaller file is read in a few dozen
// milliseconds, in which the collector runs a few times at most; raising
// the target for it only raised the server's peak (8 MiB at 100k series,
// when bench/run.sh fills the store by drops of a few MB).
const bulkGCFrom = 16 << 20

// Prepare creates the inbox and one folder per department, so clerks find
// their folder ready. Missing folders are created again at every scan
// (a deleted inbox as well as a deleted department folder).
func (in *Inbox) Prepare() error {
	if err := os.MkdirAll(in.opts.Dir, 0o750); err != nil {
		return fmt.Errorf("cannot create inbox %s: %w", in.opts.Dir, err)
	}
	for _, d := range in.plan().Departments {
		in.m.department(d.ID)
		if err := os.MkdirAll(filepath.Join(in.opts.Dir, d.ID), 0o750); err != nil {
			return fmt.Errorf("cannot create department folder: %w", err)
		}
	}
	return nil
}

// ignored reports names that are not drops: hidden files, Excel lock
// files and the temporary names uploaders write before renaming.
func ignored(name string) bool {
	l := strings.ToLower(name)
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") ||
		strings.HasSuffix(l, ".tmp") || strings.HasSuffix(l, ".part") || strings.HasSuffix(l, ".crdownload")
}

// candidate is a file the scan found.
type candidate struct {
	path, dept, name string
	info             fs.FileInfo
	reject           string // set for files that must be rejected unread
}

// Scan looks at the inbox once, processes every file that has settled,
// and returns how long until the next pending file may settle (0 if none).
func (in *Inbox) Scan(ctx context.Context) time.Duration {
	plan := in.plan()
	cands, err := in.list(plan)
	if err != nil {
		in.m.scanErrors.Inc()
		// Every settle period while the fault lasts: said once at error
		// (the counter and ExporterInboxFailing tell it goes on), again
		// only if it changes.
		if msg := err.Error(); msg != in.scanFault {
			in.logger.Error("cannot scan inbox; will retry", "dir", in.opts.Dir, "err", err)
			in.scanFault = msg
		} else {
			in.logger.Debug("cannot scan inbox; will retry", "dir", in.opts.Dir, "err", err)
		}
		in.mu.Lock()
		in.rewatch = true
		in.mu.Unlock()
		// A deleted inbox is created again, so clerks can keep dropping,
		// once it has stayed gone for the settle period.
		wait := in.opts.Settle
		if errors.Is(err, os.ErrNotExist) {
			if left := in.goneFor(in.opts.Dir); left > 0 {
				wait = left
			} else if perr := in.Prepare(); perr == nil {
				in.logger.Info("inbox folder re-created", "dir", in.opts.Dir)
				clear(in.gone)
			}
		}
		return wait
	}
	if in.scanFault != "" {
		in.logger.Info("inbox readable again", "dir", in.opts.Dir)
		in.scanFault = ""
	}
	in.m.lastScan.Set(float64(in.now().Unix()))
	delete(in.gone, in.opts.Dir)
	wait := in.recreateDepartments(plan)

	now := time.Now()
	in.mu.Lock()
	live := map[string]bool{}
	var ready []candidate
	for _, c := range cands {
		live[c.path] = true
		s, ok := in.pending[c.path]
		if !ok || s.size != c.info.Size() || !s.mtime.Equal(c.info.ModTime()) {
			in.pending[c.path] = seen{size: c.info.Size(), mtime: c.info.ModTime(), since: now}
			if wait == 0 || in.opts.Settle < wait {
				wait = in.opts.Settle
			}
			continue
		}
		if left := in.opts.Settle - now.Sub(s.since); left > 0 {
			if wait == 0 || left < wait {
				wait = left
			}
			continue
		}
		ready = append(ready, c)
	}
	for p := range in.pending {
		if !live[p] {
			delete(in.pending, p)
		}
	}
	in.mu.Unlock()

	// Oldest first, so a later correction supersedes an earlier report.
	sort.SliceStable(ready, func(i, j int) bool { return ready[i].info.ModTime().Before(ready[j].info.ModTime()) })
	for _, c := range ready {
		if ctx.Err() != nil {
			break
		}
		if in.process(ctx, plan, c) {
			in.mu.Lock()
			delete(in.pending, c.path)
			in.mu.Unlock()
		} else if wait == 0 || in.opts.Settle < wait {
			wait = in.opts.Settle
		}
	}
	in.mu.Lock()
	in.m.pending.Set(float64(len(in.pending)))
	in.mu.Unlock()
	return wait
}

// recreateDepartments creates department folders that went missing (a
// clerk deleted theirs, a script cleaned the share) and asks Run to watch
// them again. It returns how long until a folder found missing may be
// created (0 if none waits).
func (in *Inbox) recreateDepartments(plan *indicators.Plan) time.Duration {
	var wait time.Duration
	for _, d := range plan.Departments {
		p := filepath.Join(in.opts.Dir, d.ID)
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			delete(in.gone, p)
			continue
		}
		if left := in.goneFor(p); left > 0 {
			if wait == 0 || left < wait {
				wait = left
			}
			continue
		}
		delete(in.gone, p)
		if err := os.MkdirAll(p, 0o750); err != nil {
			in.logger.Error("cannot re-create department folder", "dir", p, "err", err)
			continue
		}
		in.logger.Info("department folder re-created", "dir", p)
		in.mu.Lock()
		in.rewatch = true
		in.mu.Unlock()
	}
	return wait
}

// goneFor notes that the folder at p is missing and returns how long it
// must stay missing before it is created again (0: now). A folder must
// stay gone for the settle period, as a file must stay unchanged: the
// first scan sees it while "rm -rf inbox" is still at work, and a folder
// made then would fail that removal with "directory not empty".
func (in *Inbox) goneFor(p string) time.Duration {
	now := time.Now()
	since, ok := in.gone[p]
	if !ok {
		in.gone[p] = now
		return in.opts.Settle
	}
	return max(0, in.opts.Settle-now.Sub(since))
}

// takeRewatch reports and clears the need to add the file watches again.
func (in *Inbox) takeRewatch() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := in.rewatch
	in.rewatch = false
	return r
}

// list finds the files in the inbox: department folders one level down,
// anything else is a stray to reject. Symlinks are never followed.
func (in *Inbox) list(plan *indicators.Plan) ([]candidate, error) {
	top, err := os.ReadDir(in.opts.Dir)
	if err != nil {
		return nil, err
	}
	var out []candidate
	for _, e := range top {
		name := e.Name()
		if ignored(name) {
			continue
		}
		p := filepath.Join(in.opts.Dir, name)
		info, err := os.Lstat(p)
		if err != nil {
			continue // gone meanwhile
		}
		if !info.IsDir() {
			out = append(out, candidate{path: p, dept: unknownDept, name: name, info: info,
				reject: "文件必须放在本部门的文件夹中（以部门 id 命名），不能直接放在收件箱根目录。 / " +
					"files must be put in the department's own folder (named by the department id), not in the inbox root."})
			continue
		}
		_, known := plan.Department(name)
		files, err := os.ReadDir(p)
		if err != nil {
			in.logger.Warn("cannot read department folder", "dir", p, "err", err)
			continue
		}
		for _, f := range files {
			fn := f.Name()
			if ignored(fn) {
				continue
			}
			fp := filepath.Join(p, fn)
			fi, err := os.Lstat(fp)
			if err != nil || fi.IsDir() {
				continue // subfolders are not scanned
			}
			c := candidate{path: fp, dept: name, name: fn, info: fi}
			if !known {
				c.dept = unknownDept
			}
			// Nothing that could make the daemon read or move a file
			// outside the inbox is read: links are rejected unread
			// (moving a link moves the link, never its target).
			switch {
			case fi.Mode()&fs.ModeSymlink != 0:
				c.reject = "不接受符号链接，请放入文件本身。 / symbolic links are not accepted; drop the file itself."
			case !fi.Mode().IsRegular():
				continue // pipes, sockets, devices: never opened, left alone
			case linkCount(fi) > 1:
				c.reject = "不接受硬链接（该文件还有其他文件名）：请复制文件本身后投递。 / hard links are not accepted (the file has other names): drop a copy of the file itself."
			case !known:
				c.reject = fmt.Sprintf("文件夹 %q 不是计划中的部门 id；请放入本部门的文件夹。 / folder %q is not a department id of the plan; put the file in your department's folder.", name, name)
			case hasControl(fn):
				c.reject = "文件名含有换行、制表符等控制字符：请重命名后投递。 / the file name contains control characters (line breaks, tabs, escapes): rename the file and drop it again."
			case isWorkbook(fn):
				c.reject = "Excel 工作簿（.xlsx/.xls）不能直接读取：请在 Excel 中“另存为”→“CSV (逗号分隔)”后投递。 / Excel workbooks (.xlsx/.xls) cannot be read: in Excel, Save As \"CSV (Comma delimited)\" and drop that file."
			case !isTable(fn):
				c.reject = "只接受 .csv 文件（Excel 另存为“CSV (逗号分隔)”或“CSV UTF-8”），或 Excel 另存为“Unicode 文本”的 .txt 文件。 / only .csv files are accepted (in Excel: Save As \"CSV\"), or the .txt of Excel's Save As \"Unicode Text\"."
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// process handles one settled file and reports whether it left the inbox.
// A valid file that cannot be stored stays for a retry.
func (in *Inbox) process(ctx context.Context, plan *indicators.Plan, c candidate) bool {
	now := in.now()
	if c.reject != "" {
		in.finish(c, Rejected, 0, "", now, rejectReport(c, c.reject))
		return true
	}
	lim := in.opts.Limits
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = submission.DefaultMaxBytes
	}
	// Refuse by size before reading: a 1 GB file must not be loaded.
	if c.info.Size() > lim.MaxBytes {
		in.finish(c, Rejected, 0, "", now, rejectReport(c, fmt.Sprintf(
			"文件过大（%d 字节，上限 %d 字节）；请拆分后分别投递。 / file too large (%d bytes, limit %d); split it and drop the parts.",
			c.info.Size(), lim.MaxBytes, c.info.Size(), lim.MaxBytes)))
		return true
	}
	var done bool
	if c.info.Size() >= in.bulkFrom {
		defer priority.BulkGC()()
	}
	priority.Background(func() { done = in.processStream(ctx, plan, c, now, lim) })
	return done
}

// duplicate handles a file whose content is already stored — a second
// drop, or a crash after the commit but before the move; either way it
// must not be applied twice. handled is false when the file is new; done
// is whether the file left the inbox. Once it is handled, and before its
// outcome is recorded, release lets go of the store (the file's Writer).
func (in *Inbox) duplicate(ctx context.Context, c candidate, sha string, now time.Time, release func()) (done, handled bool) {
	b, ok, err := in.store.LookupBatch(ctx, sha)
	if err == nil && !ok {
		return false, false
	}
	release()
	if err != nil {
		in.m.storeErrors.WithLabelValues(c.dept).Inc()
		in.logger.Error("cannot check for duplicates; will retry", "department", c.dept, "file", c.name, "err", err)
		return false, true
	}
	if o, ok, err := in.store.OutcomeOf(ctx, b); err != nil {
		in.logger.Warn("cannot read a stored file's outcome; taking the file as a duplicate", "department", c.dept, "file", c.name, "err", err)
	} else if ok && in.interrupted(c, b, o) {
		// Stored, with its outcome, by a run that stopped before the file
		// reached the archive: that outcome is carried out now, not told
		// as a duplicate of itself.
		in.logger.Info("finishing a file stored before a restart", "department", c.dept, "file", c.name, "dest", o.Path)
		moved := in.place(c, o.Path, os.MkdirAll(filepath.Dir(o.Path), 0o750), o.Result, o.Rows, "", o.Report)
		in.m.lastAccepted.WithLabelValues(c.dept).Set(float64(o.At.Unix()))
		return moved, true
	}
	in.finish(c, Duplicate, b.Rows, "", now, duplicateReport(c, b, in.plan().Location))
	return true, true
}

// interrupted reports whether the file c is the very file stored as b,
// whose outcome o was committed with it but not carried out: same
// department and name, unchanged since it was received (a re-drop is
// newer), and nothing yet where o says it goes.
func (in *Inbox) interrupted(c candidate, b store.BatchInfo, o store.FileOutcome) bool {
	if o.Result != Accepted || o.Path == "" || c.dept != b.Department || c.name != b.Source {
		return false
	}
	changed := changeTime(c.info)
	if changed.IsZero() {
		changed = c.info.ModTime()
	}
	if changed.Truncate(time.Millisecond).After(b.ReceivedAt) {
		return false
	}
	_, err := os.Lstat(o.Path)
	return errors.Is(err, os.ErrNotExist)
}

// openNoFollowFile opens a dropped file for reading, refusing one that
// became a symlink, a hard link or something other than a regular file
// after the scan looked at it.
func openNoFollowFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNoFollow|openNonBlock, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() || linkCount(info) > 1 {
		f.Close()
		return nil, fmt.Errorf("%s is no longer a regular file with one link", path)
	}
	return f, nil
}

// hasControl reports whether a name holds control characters: no office
// program writes them, and a line break in a name would forge lines in the
// report beside the file.
func hasControl(name string) bool {
	for _, r := range name {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// finish moves the file out of the inbox with its report, counts it, logs
// it once and records its outcome.
func (in *Inbox) finish(c candidate, result string, rows int, reason string, now time.Time, report string) {
	dest, err := in.destination(c, result, now)
	in.place(c, dest, err, result, rows, reason, report)
	// The log of outcomes is for people (the web page); failing to write
	// it must not undo or repeat the file's processing.
	if err := in.store.RecordOutcome(context.Background(), store.FileOutcome{Department: c.dept, Source: c.name, Path: dest,
		Result: result, Rows: rows, At: now, Report: report}); err != nil {
		in.logger.Warn("cannot record file outcome", "department", c.dept, "file", c.name, "err", err)
	}
}

// destination is where a file with this result goes: a free name in
// the department's folder of the day in the archive, or in rejected.
func (in *Inbox) destination(c candidate, result string, now time.Time) (string, error) {
	root := in.opts.ArchiveDir
	if result == Rejected {
		root = in.opts.RejectedDir
	}
	// The day folder is the plan's date (Beijing), as everything a clerk
	// reads, whatever zone the host runs in.
	return destination(root, c.dept, now.In(in.plan().Location), c.name)
}

// place writes the report at dest (err: dest could not be had) and moves
// the file there, counts it and logs it. The report comes first, so that
// a file in the archive always has its report beside it, whenever the
// daemon stops; a file whose move fails loses its report again, and
// stays in the inbox to be tried again. It reports whether the file left
// the inbox.
func (in *Inbox) place(c candidate, dest string, err error, result string, rows int, reason, report string) bool {
	if err == nil {
		err = writeReport(dest+reportSuffix, report)
		if err == nil {
			if err = moveFile(c.path, dest); err != nil {
				os.Remove(dest + reportSuffix)
			}
		}
	}
	if err != nil {
		in.logger.Error("cannot move processed file out of the inbox", "department", c.dept, "file", c.name, "result", result, "err", err)
	}
	in.m.files.WithLabelValues(c.dept, result).Inc()
	in.m.rows.WithLabelValues(c.dept, result).Add(float64(rows))
	attrs := []any{"department", c.dept, "file", c.name, "result", result, "rows", rows}
	if result == Rejected {
		in.logger.Warn("file rejected", append(attrs, "reason", firstNonEmpty(reason, firstLine(report)))...)
	} else {
		in.logger.Info("file processed", attrs...)
	}
	return err == nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func firstLine(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// isTable reports whether a file name is one the inbox reads: .csv, and
// .txt or .tsv, which is how Excel saves "Unicode 文本" and "文本文件
// (制表符分隔)" (tab-separated; the delimiter is found from the header).
func isTable(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", ".tsv":
		return true
	}
	return false
}

// isWorkbook reports whether a file is an Excel workbook, dropped before
// it was saved as CSV.
func isWorkbook(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xls", ".xlsm", ".et":
		return true
	}
	return false
}
