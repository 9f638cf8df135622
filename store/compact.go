package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shandong/indicator_exporter/indicators"
)

// A file's values reach series_state in two steps. In the file's
// transaction each fold writes a sorted run per series it holds rows of
// (series_run): appended, never rewritten, so a file of any size is
// written once however often it folds. After the commit the runs are
// merged into their series' blobs, in the background; until then, and
// if a crash comes first, readers merge them as they read (readOne),
// and the next open merges what is left.

// runsPerInsert is how many runs one INSERT statement carries.
const runsPerInsert = 100

// runWriter appends runs of one file in multi-row statements.
type runWriter struct {
	tx   *sql.Tx
	full *sql.Stmt // the statement for runsPerInsert runs, prepared once
	args []any
	n    int
}

func (r *runWriter) add(ctx context.Context, batch int64, fold int, k indicators.SeriesKey, blob []byte) error {
	r.args = append(r.args, batch, fold, k.Indicator, k.Region, blob)
	if r.n++; r.n == runsPerInsert {
		return r.flush(ctx)
	}
	return nil
}

func (r *runWriter) flush(ctx context.Context) error {
	if r.n == 0 {
		return nil
	}
	query := `INSERT INTO series_run(batch, fold, indicator, region, data) VALUES ` + strings.Repeat("(?, ?, ?, ?, ?),", r.n-1) + "(?, ?, ?, ?, ?)"
	var err error
	switch {
	case r.n < runsPerInsert:
		_, err = r.tx.ExecContext(ctx, query, r.args...)
	case r.full == nil:
		if r.full, err = r.tx.PrepareContext(ctx, query); err != nil {
			break
		}
		fallthrough
	default:
		_, err = r.full.ExecContext(ctx, r.args...)
	}
	clear(r.args)
	r.args, r.n = r.args[:0], 0
	return err
}

func (r *runWriter) close() {
	if r.full != nil {
		r.full.Close()
	}
}

// mergeRuns merges every run into its series' blob, in one transaction.
func (s *Store) mergeRuns(ctx context.Context, noBlob func(indicators.SeriesKey) bool) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.beforeMerge != nil {
		if err := s.beforeMerge(); err != nil {
			return err
		}
	}
	dc := newDayCache(s.loc)
	sw, err := newSeriesWriter(ctx, tx, dc)
	if err != nil {
		return err
	}
	defer sw.close()
	err = eachMerged(ctx, tx, dc, 0, noBlob, func(k indicators.SeriesKey, obs []indicators.Observation, _ int) error {
		return sw.write(ctx, k, obs)
	})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM series_run`); err != nil {
		return fmt.Errorf("cannot merge the series state: %w", err)
	}
	if err := markSeriesState(ctx, tx, stateComplete); err != nil {
		return err
	}
	return tx.Commit()
}

// mergeInBackground merges the runs of a committed file. The caller
// holds s.mu, which is released when the merge is done: the next writer
// waits for it, and Close too. If it fails the runs stay, read as they
// are, and the next open merges them.
//
// noBlob tells the series that had no blob before the file (Store.noBlob
// as the commit began): the merge writes their first, and looks up none
// (a statement a series, its garbage enough to raise the peak memory of
// a start on an empty store by a fifth).
//
// Then, with s.mu released, the WAL is copied into the database
// (checkpoint).
func (s *Store) mergeInBackground(noBlob func(indicators.SeriesKey) bool) {
	s.merging.Add(1)
	go func() {
		defer s.merging.Done()
		err := s.mergeRuns(context.Background(), noBlob)
		s.mu.Unlock()
		if err != nil {
			s.logger.Load().Warn("cannot merge a file's values into the series state; they are read from where the file put them, and merged at the next start",
				"err", err)
		}
		s.checkpoint(context.Background())
	}()
}

// checkpoint copies what the WAL holds into the database, so the WAL
// starts over. Writers do not wait for it (PASSIVE), and what it cannot
// copy now, the next checkpoint does; SQLite also checkpoints as the
// database closes.
func (s *Store) checkpoint(ctx context.Context) {
	if s.reader {
		return
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		s.logger.Load().Debug("cannot checkpoint the database's WAL; the next checkpoint will", "err", err)
	}
}

// mergeLeftRuns merges, at open, the runs a crash or a failed merge left.
// A reader may not write: it keeps the whole state in memory instead.
func (s *Store) mergeLeftRuns(ctx context.Context) error {
	var left bool
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM series_run)`).Scan(&left); err != nil {
		return fmt.Errorf("cannot read the series state: %w", err)
	}
	if !left {
		return nil
	}
	marker, err := s.seriesStateMarker(ctx)
	if err != nil {
		return fmt.Errorf("cannot read the database's metadata: %w", err)
	}
	if marker != stateRuns {
		// Runs under a complete state: an earlier version rebuilt the
		// state from the history, these runs' files included, and knew
		// nothing of them. Merged again they would put an older file's
		// values over a later one's.
		if s.reader {
			return nil // a reader never writes; the server, at its start, drops them
		}
		if _, err := s.db.ExecContext(ctx, `DELETE FROM series_run`); err != nil {
			return fmt.Errorf("cannot drop the runs an earlier version left: %w", err)
		}
		return nil
	}
	if s.reader {
		tx, err := s.readTx(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		s.mem, err = s.readAll(ctx, tx)
		return err
	}
	if err := s.mergeRuns(ctx, nil); err != nil {
		return fmt.Errorf("cannot merge the values of the last files into the series state: %w", err)
	}
	return nil
}

// A run's blob is smaller than a series_state blob, since a file writes
// and reads back every run in its transaction: uvarint count, varint
// arrival (Unix ms, the file's, the same for all), then per observation
// the day as a varint (the first) or uvarint (the rest: the gap to the
// one before), and the value as a decimal when it is one exactly: a byte
// k ≤ 9 and the zigzag varint of value×10^k; else the byte 0xFF and the
// float64 bits. A typical observation takes 5 bytes instead of 20.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

func encodeRun(b []byte, obs []indicators.Observation, dc *dayCache) []byte {
	b = binary.AppendUvarint(b, uint64(len(obs)))
	if len(obs) == 0 {
		return b
	}
	b = binary.AppendVarint(b, obs[0].Received)
	var prev int32
	for i, o := range obs {
		d := dc.dayOf(o.AsOf)
		if i == 0 {
			b = binary.AppendVarint(b, int64(d))
		} else {
			b = binary.AppendUvarint(b, uint64(d-prev))
		}
		prev = d
		b = appendValue(b, o.Value)
	}
	return b
}

func appendValue(b []byte, v float64) []byte {
	for k, p := range pow10 {
		m := v * p
		// Exact when dividing back gives v: decoding does just that.
		if math.Abs(m) < 1<<53 && m == math.Trunc(m) && m/p == v && !(v == 0 && math.Signbit(v)) {
			b = append(b, byte(k))
			return binary.AppendVarint(b, int64(m))
		}
	}
	b = append(b, 0xFF)
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

func decodeRunInto(out []indicators.Observation, b []byte, dc *dayCache) ([]indicators.Observation, error) {
	bad := fmt.Errorf("malformed series run")
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return out, bad
	}
	b = b[k:]
	if n == 0 {
		return out, nil
	}
	recv, k := binary.Varint(b)
	if k <= 0 {
		return out, bad
	}
	b = b[k:]
	out = slices.Grow(out, int(n))
	var day int64
	for i := uint64(0); i < n; i++ {
		if i == 0 {
			day, k = binary.Varint(b)
		} else {
			var gap uint64
			gap, k = binary.Uvarint(b)
			day += int64(gap)
		}
		if k <= 0 || len(b) == k {
			return out, bad
		}
		tag := b[k]
		b = b[k+1:]
		var v float64
		switch {
		case tag == 0xFF:
			if len(b) < 8 {
				return out, bad
			}
			v = math.Float64frombits(binary.LittleEndian.Uint64(b))
			b = b[8:]
		case int(tag) < len(pow10):
			m, k := binary.Varint(b)
			if k <= 0 {
				return out, bad
			}
			v = float64(m) / pow10[tag]
			b = b[k:]
		default:
			return out, bad
		}
		out = append(out, indicators.Observation{AsOf: dc.unix(int32(day)), Value: v, Received: recv})
	}
	if len(b) != 0 {
		return out, bad
	}
	return out, nil
}

// eachMerged reads every series that has runs, with its blob, in key
// order, and calls fn with its reports merged (a buffer fn must not keep)
// and the number of values the runs of batch changed on dates an earlier
// file reported (batch 0: none counted). noBlob, if not nil, tells the
// series known to have no blob, which are not looked up (a file of new
// series).
//
// A fold writes its runs in key order (Writer.fold), so each fold's runs
// are read in the order they were written, one statement a fold, and the
// folds are merged here, as an external sort merges its runs: the pages
// are read once, in order. Read in key order through an index, a file's
// runs took a page each from all over the table, which outgrew SQLite's
// page cache, and most of the commit went to reading pages again.
func eachMerged(ctx context.Context, tx *sql.Tx, dc *dayCache, batch int64, noBlob func(indicators.SeriesKey) bool,
	fn func(k indicators.SeriesKey, obs []indicators.Observation, replaced int) error) error {
	folds, err := runFolds(ctx, tx)
	if err != nil {
		return err
	}
	cursors := make([]*runCursor, 0, len(folds))
	defer func() {
		for _, c := range cursors {
			c.rows.Close()
		}
	}()
	for _, f := range folds {
		rows, err := tx.QueryContext(ctx, `SELECT indicator, region, batch, data FROM series_run WHERE batch = ? AND fold = ? ORDER BY id`, f[0], f[1])
		if err != nil {
			return fmt.Errorf("cannot read the series state: %w", err)
		}
		c := &runCursor{rows: rows}
		cursors = append(cursors, c)
		if err := c.next(); err != nil {
			return err
		}
	}
	// Each series' blob by its key: a statement reading the blobs of the
	// runs' series in key order sorted them, whole, in memory.
	base, err := tx.PrepareContext(ctx, `SELECT data FROM series_state WHERE indicator = ? AND region = ?`)
	if err != nil {
		return fmt.Errorf("cannot read the series state: %w", err)
	}
	defer base.Close()
	var blob []byte

	var olderBuf, ownBuf []indicators.Observation
	for {
		// The least key among the folds' next runs.
		var k indicators.SeriesKey
		found := false
		for _, c := range cursors {
			if c.ok && (!found || keyLess(c.key, k)) {
				k, found = c.key, true
			}
		}
		if !found {
			return nil
		}
		older, own := runs{obs: olderBuf[:0]}, runs{obs: ownBuf[:0]}
		if noBlob == nil || !noBlob(k) {
			switch err := base.QueryRowContext(ctx, k.Indicator, k.Region).Scan(&blob); {
			case err == sql.ErrNoRows:
			case err != nil:
				return fmt.Errorf("cannot read the state of %s/%s: %w", k.Indicator, k.Region, err)
			default:
				if err := older.add(decodeSeriesInto, blob, dc); err != nil {
					return fmt.Errorf("series %s/%s: %w", k.Indicator, k.Region, err)
				}
			}
		}
		// The folds in the order they were written: later runs win.
		for _, c := range cursors {
			for c.ok && c.key == k {
				into := &older
				if batch != 0 && c.batch == batch {
					into = &own
				}
				if err := into.add(decodeRunInto, c.data, dc); err != nil {
					return fmt.Errorf("series %s/%s: %w", k.Indicator, k.Region, err)
				}
				if err := c.next(); err != nil {
					return err
				}
			}
		}
		before, mine := older.done(), own.done()
		olderBuf, ownBuf = before, mine
		obs, n := before, 0
		switch {
		case len(before) == 0:
			obs = mine
		case len(mine) > 0:
			obs, n = mergeAdded(before, mine)
		}
		if err := fn(k, obs, n); err != nil {
			return err
		}
	}
}

// runFolds lists the folds that have runs, in the order they were
// written: (batch, fold) pairs.
func runFolds(ctx context.Context, tx *sql.Tx) ([][2]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT batch, fold FROM series_run ORDER BY batch, fold`)
	if err != nil {
		return nil, fmt.Errorf("cannot read the series state: %w", err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var f [2]int64
		if err := rows.Scan(&f[0], &f[1]); err != nil {
			return nil, fmt.Errorf("cannot read the series state: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// runCursor is the next row of one fold's runs, read in key order.
type runCursor struct {
	rows  *sql.Rows
	ok    bool
	key   indicators.SeriesKey
	batch int64
	data  []byte
}

func (c *runCursor) next() error {
	if c.ok = c.rows.Next(); !c.ok {
		if err := c.rows.Err(); err != nil {
			return fmt.Errorf("cannot read the series state: %w", err)
		}
		return nil
	}
	// Scanned into the cursor's own buffer: the other cursors' rows are
	// read before this one is used.
	var raw sql.RawBytes
	if err := c.rows.Scan(&c.key.Indicator, &c.key.Region, &c.batch, &raw); err != nil {
		return fmt.Errorf("cannot read the series state: %w", err)
	}
	c.data = append(c.data[:0], raw...)
	return nil
}

func keyLess(a, b indicators.SeriesKey) bool {
	return a.Indicator < b.Indicator || a.Indicator == b.Indicator && a.Region < b.Region
}

// noBlob tells, under s.mu, the series that have no blob in series_state:
// those of the plan without a digest, which every stored series of the
// plan has. It is used under the lock that keeps the snapshot and the
// database in step.
func (s *Store) noBlob() func(indicators.SeriesKey) bool {
	d := s.snap.Load()
	if d == nil || d.Plan == nil || s.mem != nil {
		return nil // at open, before the digests: every blob is looked up
	}
	return func(k indicators.SeriesKey) bool {
		if _, ok := d.Digests[k]; ok {
			return false
		}
		_, ok := d.Plan.TargetID(k.Indicator)
		return ok
	}
}
