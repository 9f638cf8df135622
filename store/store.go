// Package store keeps every accepted observation and target revision in an
// embedded SQLite database (WAL, synchronous=FULL) and serves the current
// state from memory. The history is append-only; a later report for the
// same (indicator, region, as_of) supersedes the earlier one in the
// current state while both stay in the history. The current state's
// reports are kept on disk too, a blob per series (series_state), and in
// memory only their digests for the plan's targets (indicators.Digest):
// memory grows with the series, not with the reports.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite: no cgo, one static binary

	"github.com/shandong/indicator_exporter/indicators"
)

// DBFile is the database's name inside the storage directory.
const DBFile = "indicator.db"

const dateLayout = "2006-01-02"

// Observation is one reported value as stored.
type Observation struct {
	Indicator  string
	Region     string
	AsOf       time.Time // the reported date, 00:00 in the store's zone
	Value      float64
	Raw        string // the cell as written
	ReceivedAt time.Time
	Department string
	Source     string // file name
	Line       int
	Note       string
}

// Revision is one target revision as stored; Date is the checkpoint day.
type Revision = Observation

// Batch is one accepted file: everything in it is committed together or
// not at all.
type Batch struct {
	SHA256       string
	Department   string
	Source       string
	ReceivedAt   time.Time
	Observations []Observation
	Revisions    []Revision
}

// ErrDuplicate is returned by Commit for a batch whose SHA-256 is already
// stored: the same file dropped twice is applied once.
var ErrDuplicate = errors.New("file content already stored (same SHA-256)")

// Store is the history database plus the in-memory current state. It is
// safe for concurrent use: commits are serialised, and readers get an
// immutable snapshot that a commit replaces, never mutates.
type Store struct {
	db   *sql.DB
	path string // the database file
	loc  *time.Location

	mu       sync.Mutex // serialises commits, plan changes and snapshot replacement
	snap     atomic.Pointer[indicators.Data]
	onChange []func()

	// mem holds the state's reports when the database's are not to be
	// trusted and may not be rewritten: OpenReader on a state the server
	// has not finished writing. Nil otherwise.
	mem         map[indicators.SeriesKey][]indicators.Observation
	merging     sync.WaitGroup // the merge of a file's runs after its commit (compact.go)
	beforeFold  func() error   // tests: fail a file's state write
	beforeMerge func() error   // tests: fail the merge after a commit
	foldRows    int            // foldRows; tests fold sooner
	lineLookups int            // FirstLineLookups; tests look up more
	reader      bool           // OpenReader: never writes
	logger      atomic.Pointer[slog.Logger]
}

// SetLogger sets where the store reports what it cannot do in the
// background; the default discards.
func (s *Store) SetLogger(l *slog.Logger) { s.logger.Store(l) }

// OnChange registers fn to be called after every commit that changed the
// current state (the metrics cache re-renders then). Register before the
// first commit; fn must not block.
func (s *Store) OnChange(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onChange = append(s.onChange, fn)
}

// Open opens (creating if needed) the database in dir and loads the
// current state, digested for the targets of plan p. Dates are read in
// the plan's zone.
func Open(dir string, p *indicators.Plan) (*Store, error) { return openStore(dir, p, false) }

// OpenReader opens the database to read its history and state alongside
// a serving exporter (backfill): it never writes. A state the server has
// not finished writing (marked pending, or runs not yet merged) is held
// in memory whole; rewriting it here could overwrite what the server
// commits meanwhile.
func OpenReader(dir string, p *indicators.Plan) (*Store, error) { return openStore(dir, p, true) }

func openStore(dir string, p *indicators.Plan, reader bool) (*Store, error) {
	if p == nil || p.Location == nil {
		return nil, fmt.Errorf("store: a plan with a time zone is required")
	}
	loc := p.Location
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("cannot create storage directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFile)
	// FULL: a commit survives power loss; _txlock=immediate: writers take
	// the lock at BEGIN, so two writers never deadlock upgrading it (read
	// transactions, ReadOnly, begin deferred). The page cache is small
	// (8 MiB): the history is appended and the runs of a file are read
	// back in the order they were written (eachMerged), so cached pages
	// would only hold memory.
	if err := createWithPageSize(path, reader); err != nil {
		return nil, err
	}
	// wal_autocheckpoint(0): a commit is durable once the WAL is synced;
	// copying the WAL into the database is left to checkpoint, after the
	// merge, rather than done inside the commit that made it large (a
	// 100 MB file's commit spent 0.2–0.4 s there).
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=cache_size(-8192)&_pragma=temp_store(2)&_pragma=wal_autocheckpoint(0)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", path, err)
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot initialise database %s (is it writable and not a network share?): %w", path, err)
	}
	s := &Store{db: db, path: path, loc: loc, reader: reader, foldRows: foldRows, lineLookups: FirstLineLookups}
	s.logger.Store(slog.New(slog.DiscardHandler))
	if err := s.load(context.Background(), p); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// walPath is the database's write-ahead log.
func (s *Store) walPath() string { return s.path + "-wal" }

// pageSize is a new database's page size: the largest SQLite allows.
// The history is appended in chunks of a few MiB (chunk.go), and a commit
// writes each page it touched as one WAL frame: with 4 KiB pages a
// 100 MB file took some 50,000 writes, and write calls, not bytes, were
// most of the time the store took (BenchmarkIngest in inbox: 37 MB/s
// with 4 KiB, 52 MB/s with 64 KiB). Small files write a few pages more.
const pageSize = 65536

// createWithPageSize creates a database that does not exist yet with
// pageSize pages. It must come before WAL mode, which fixes the page size
// of a new database at the default; an existing database keeps the page
// size it has.
func createWithPageSize(path string, reader bool) error {
	if _, err := os.Stat(path); reader || !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", fmt.Sprintf("file:%s?_pragma=page_size(%d)", path, pageSize))
	if err != nil {
		return fmt.Errorf("cannot create database %s: %w", path, err)
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return fmt.Errorf("cannot create database %s (is it writable and not a network share?): %w", path, err)
	}
	return db.Close()
}

// Close waits for the merge after the last commit and closes the
// database; a writer in progress must be finished first.
func (s *Store) Close() error {
	s.merging.Wait()
	return s.db.Close()
}

// Data returns the current state. The snapshot is immutable: callers may
// keep it as long as they like.
func (s *Store) Data() indicators.Data { return *s.snap.Load() }

func (s *Store) load(ctx context.Context, p *indicators.Plan) error {
	rebuilt, err := s.migrate(ctx)
	if err != nil {
		return err
	}
	if rebuilt != nil {
		if s.reader {
			s.mem = rebuilt
		} else if err := s.writeAllSeries(ctx, rebuilt); err != nil {
			return fmt.Errorf("cannot store the current state rebuilt from the history: %w", err)
		}
	} else if err := s.mergeLeftRuns(ctx); err != nil {
		return err
	}
	rebuilt = nil // the digests are what stays
	d := indicators.Data{Plan: p, Revisions: map[indicators.SeriesKey][]indicators.Revision{}}
	if d.Digests, err = s.loadDigests(ctx, p); err != nil {
		return err
	}
	if err := s.loadRevisions(ctx, &d); err != nil {
		return err
	}
	s.snap.Store(&d)
	return nil
}

// SetPlan digests the state for the targets of p (a reloaded plan) and
// makes it the snapshot's plan. Only the series whose target changed
// shape (start, deadline, period, kind) or is new are read again.
func (s *Store) SetPlan(ctx context.Context, p *indicators.Plan) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.snap.Load()
	d := indicators.Data{Plan: p, Digests: make(map[indicators.SeriesKey]*indicators.Digest, len(old.Digests)), Revisions: old.Revisions}
	keys, err := s.seriesKeys(ctx)
	if err != nil {
		return err
	}
	if s.mem == nil && !s.reader {
		// Runs a failed merge left: merged first, so that reading a
		// series is not a scan of the runs. If that fails again, they
		// are read as they are: the plan must not wait for the disk.
		if err := s.mergeLeftRuns(ctx); err != nil {
			s.logger.Load().Warn("cannot merge the values of the last files into the series state; they are read from where the files put them", "err", err)
		}
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	dc := newDayCache(s.loc)
	var buf []indicators.Observation
	for _, k := range keys {
		t, ok := p.TargetID(k.Indicator)
		if !ok {
			continue
		}
		if g, ok := old.Digests[k]; ok && g.Shape == indicators.ShapeOf(t) {
			d.Digests[k] = g
			continue
		}
		if s.mem != nil {
			buf = s.mem[k]
		} else if buf, err = readOne(ctx, tx, k, dc); err != nil {
			return err
		}
		if g, ok := digestOf(p, k, buf); ok {
			d.Digests[k] = g
		}
	}
	s.snap.Store(&d)
	for _, fn := range s.onChange {
		fn()
	}
	return nil
}

// seriesKeys lists the stored series.
func (s *Store) seriesKeys(ctx context.Context) ([]indicators.SeriesKey, error) {
	if s.mem != nil {
		return slices.Collect(maps.Keys(s.mem)), nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT indicator, region FROM series_state UNION SELECT indicator, region FROM series_run`)
	if err != nil {
		return nil, fmt.Errorf("cannot read the series state: %w", err)
	}
	defer rows.Close()
	var out []indicators.SeriesKey
	for rows.Next() {
		var k indicators.SeriesKey
		if err := rows.Scan(&k.Indicator, &k.Region); err != nil {
			return nil, fmt.Errorf("cannot read the series state: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func (s *Store) loadRevisions(ctx context.Context, d *indicators.Data) error {
	rows, err := s.db.QueryContext(ctx, `SELECT indicator, region, date, value FROM current_target ORDER BY indicator, region, date`)
	if err != nil {
		return fmt.Errorf("cannot read target revisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k indicators.SeriesKey
		var date string
		var r indicators.Revision
		if err := rows.Scan(&k.Indicator, &k.Region, &date, &r.Value); err != nil {
			return fmt.Errorf("cannot read target revisions: %w", err)
		}
		day, err := time.ParseInLocation(dateLayout, date, s.loc)
		if err != nil {
			return fmt.Errorf("bad date %q in target revisions: %w", date, err)
		}
		r.Date = day.AddDate(0, 0, 1) // checkpoints mean the end of the day
		d.Revisions[k] = append(d.Revisions[k], r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cannot read target revisions: %w", err)
	}
	return nil
}

// Commit stores a batch whose rows are all at hand in one transaction:
// the batch record, every observation and revision, and the current
// state. If anything fails, nothing is stored and the in-memory state is
// unchanged. A batch whose SHA-256 is already stored returns ErrDuplicate
// and changes nothing. It is a Writer given every row at once.
func (s *Store) Commit(ctx context.Context, b Batch) error {
	w, err := s.Begin(ctx, b)
	if err != nil {
		return err
	}
	if err := w.Add(b.Observations, false); err != nil {
		w.Rollback()
		return err
	}
	if err := w.Add(b.Revisions, true); err != nil {
		w.Rollback()
		return err
	}
	return w.Commit()
}

// insertChunk is how many rows one INSERT statement carries: fewer round
// trips between Go and SQLite, within SQLite's limit of 32766 parameters.
const insertChunk = 200

// inserter appends target revisions (few, from the coordinator) to their
// history table in multi-row statements and
// remembers the range of ids it wrote (consecutive: the transaction holds
// the write lock).
type inserter struct {
	tx          *sql.Tx
	hist        string
	dateCol     string
	batchID     int64
	full        *sql.Stmt
	first, last int64
	n           int
	args        []any
}

func (ins *inserter) close() {
	if ins.full != nil {
		ins.full.Close()
	}
}

func (ins *inserter) add(ctx context.Context, rows []Observation) error {
	cols := `(batch, indicator, region, ` + ins.dateCol + `, value, raw, received_at, department, source, line, note)`
	const ph = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	for start := 0; start < len(rows); start += insertChunk {
		chunk := rows[start:min(start+insertChunk, len(rows))]
		ins.args = ins.args[:0]
		for _, o := range chunk {
			ins.args = append(ins.args, ins.batchID, o.Indicator, o.Region, o.AsOf.Format(dateLayout), o.Value, o.Raw,
				o.ReceivedAt.UnixMilli(), o.Department, o.Source, o.Line, o.Note)
		}
		stmt := ins.full
		if len(chunk) != insertChunk || stmt == nil {
			var err error
			stmt, err = ins.tx.PrepareContext(ctx, `INSERT INTO `+ins.hist+cols+` VALUES `+strings.Repeat(ph+",", len(chunk)-1)+ph)
			if err != nil {
				return fmt.Errorf("cannot prepare insert: %w", err)
			}
			if len(chunk) == insertChunk {
				ins.full = stmt
			} else {
				defer stmt.Close()
			}
		}
		res, err := stmt.ExecContext(ctx, ins.args...)
		if err != nil {
			return fmt.Errorf("cannot store %s (rows from line %d): %w", chunk[0].Source, chunk[0].Line, err)
		}
		last, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("cannot store %s: %w", chunk[0].Source, err)
		}
		if ins.n == 0 {
			ins.first = last - int64(len(chunk)) + 1
		}
		ins.last = last
		ins.n += len(chunk)
	}
	return nil
}

// upsertCurrentTarget makes the revisions first..last the current targets.
func upsertCurrentTarget(ctx context.Context, tx *sql.Tx, first, last int64, source string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO current_target(indicator, region, date, value, received_at)
			SELECT indicator, region, date, value, received_at FROM target_revision WHERE id BETWEEN ? AND ? ORDER BY id
			ON CONFLICT(indicator, region, date) DO UPDATE
			SET value = excluded.value, received_at = excluded.received_at`, first, last); err != nil {
		return fmt.Errorf("cannot update the current targets from %s: %w", source, err)
	}
	return nil
}

// cloneData copies the maps of a snapshot (not the digests, which are
// replaced, never changed) so a commit can build the next one.
func cloneData(old *indicators.Data) indicators.Data {
	d := indicators.Data{
		Plan:      old.Plan,
		Digests:   make(map[indicators.SeriesKey]*indicators.Digest, len(old.Digests)+1),
		Revisions: make(map[indicators.SeriesKey][]indicators.Revision, len(old.Revisions)),
	}
	for k, v := range old.Digests {
		d.Digests[k] = v
	}
	for k, v := range old.Revisions {
		d.Revisions[k] = v
	}
	return d
}

func upsertRev(s []indicators.Revision, r indicators.Revision) []indicators.Revision {
	i := sort.Search(len(s), func(i int) bool { return !s[i].Date.Before(r.Date) })
	if i < len(s) && s[i].Date.Equal(r.Date) {
		s[i] = r
		return s
	}
	s = append(s, indicators.Revision{})
	copy(s[i+1:], s[i:])
	s[i] = r
	return s
}
