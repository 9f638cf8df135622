package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// Writer stores one file whose rows arrive while it is being read, in one
// transaction: all of them or none. The file's rows go to the database in
// chunks as they arrive; what stays in memory is 16 bytes a row, for the
// state the commit merges them into. The caller checks that no key comes
// twice (submission.Stream does); if one does, the file's last row for it
// wins. Between Begin and Commit or Rollback, and while the state is
// written after a commit, the store's other writers wait.
type Writer struct {
	s       *Store
	ctx     context.Context
	tx      *sql.Tx
	meta    Batch
	batchID int64
	done    bool

	chunk  *chunkEncoder
	seq    int // chunks written
	nObs   int
	added  map[indicators.SeriesKey]int // index into series
	series []addedSeries
	rev    *inserter
}

// addedSeries is what a file reports for one series, in file order until
// the commit sorts it by date.
type addedSeries struct {
	key  indicators.SeriesKey
	rows []addedObs
}

type addedObs struct {
	day   int32
	value float64
}

// Begin starts storing a file described by meta (its rows are ignored).
// It returns ErrDuplicate when a file with the same SHA-256 is stored.
func (s *Store) Begin(ctx context.Context, meta Batch) (*Writer, error) {
	s.mu.Lock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("cannot start transaction: %w", err)
	}
	fail := func(err error) (*Writer, error) {
		tx.Rollback()
		s.mu.Unlock()
		return nil, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM batch WHERE sha256 = ?`, meta.SHA256).Scan(&n); err != nil {
		return fail(fmt.Errorf("cannot look up file: %w", err))
	}
	if n > 0 {
		return fail(ErrDuplicate)
	}
	// The batch row is written at Commit, when its row count is known;
	// its id is taken now (the transaction holds the write lock) and the
	// foreign keys of the rows are checked at commit.
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'batch'), 0) + 1`).Scan(&id); err != nil {
		return fail(fmt.Errorf("cannot allocate a file id: %w", err))
	}
	return &Writer{s: s, ctx: ctx, tx: tx, meta: meta, batchID: id,
		chunk: newChunkEncoder(), added: map[indicators.SeriesKey]int{},
		rev: &inserter{tx: tx, hist: "target_revision", dateCol: "date", batchID: id}}, nil
}

// Add stores observations (revisions, if revisions is true). The file's
// arrival time, department and source are the Writer's, not the rows'.
func (w *Writer) Add(rows []Observation, revisions bool) error {
	if len(rows) == 0 {
		return nil
	}
	for _, o := range rows {
		if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
			return fmt.Errorf("cannot store %s line %d: the value is not a finite number", w.meta.Source, o.Line)
		}
	}
	if revisions {
		return w.rev.add(w.ctx, rows)
	}
	var last *addedSeries
	for _, o := range rows {
		day := dayNumber(o.AsOf)
		w.chunk.add(o.Indicator, o.Region, day, o.Value, o.Line, o.Raw, o.Note)
		// Files list a series' rows together more often than not.
		if last == nil || last.key.Indicator != o.Indicator || last.key.Region != o.Region {
			k := indicators.SeriesKey{Indicator: o.Indicator, Region: o.Region}
			i, ok := w.added[k]
			if !ok {
				i = len(w.series)
				w.added[k] = i
				w.series = append(w.series, addedSeries{key: k})
			}
			last = &w.series[i]
		}
		last.rows = append(last.rows, addedObs{day: day, value: o.Value})
		w.nObs++
		if w.chunk.full() {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush writes the chunk being built.
func (w *Writer) flush() error {
	if w.chunk.rows == 0 {
		return nil
	}
	if err := writeChunk(w.ctx, w.tx, w.batchID, w.seq, w.chunk); err != nil {
		return fmt.Errorf("cannot store %s: %w", w.meta.Source, err)
	}
	w.seq++
	w.chunk.reset()
	return nil
}

// writeChunk stores an encoded chunk of a file's rows and which
// indicators it holds.
func writeChunk(ctx context.Context, tx *sql.Tx, batch int64, seq int, enc *chunkEncoder) error {
	blob, inds := enc.blob()
	res, err := tx.ExecContext(ctx, `INSERT INTO observation_chunk(batch, seq, rows, data) VALUES(?, ?, ?, ?)`,
		batch, seq, enc.rows, blob)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for start := 0; start < len(inds); start += insertChunk {
		part := inds[start:min(start+insertChunk, len(inds))]
		args := make([]any, 0, 2*len(part))
		for _, ind := range part {
			args = append(args, ind, id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO chunk_indicator(indicator, chunk) VALUES `+
			strings.Repeat("(?, ?),", len(part)-1)+"(?, ?)", args...); err != nil {
			return err
		}
	}
	return nil
}

// Rows is how many rows were added.
func (w *Writer) Rows() int { return w.nObs + w.rev.n }

// Rollback discards everything added. It is safe after Commit.
func (w *Writer) Rollback() {
	if w.done {
		return
	}
	w.done = true
	w.rev.close()
	w.tx.Rollback()
	w.s.mu.Unlock()
}

// Commit records the file, makes its rows the current values and commits;
// then the in-memory state follows. On error nothing is stored.
func (w *Writer) Commit() error {
	if w.done {
		return fmt.Errorf("store: commit of a finished writer")
	}
	defer w.Rollback() // after a failure; a no-op once committed
	if err := w.flush(); err != nil {
		return err
	}
	kind := "values"
	if w.rev.n > 0 {
		kind = "targets"
	}
	if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO batch(id, sha256, department, source, received_at, kind, rows) VALUES(?, ?, ?, ?, ?, ?, ?)`,
		w.batchID, w.meta.SHA256, w.meta.Department, w.meta.Source, w.meta.ReceivedAt.UnixMilli(), kind, w.Rows()); err != nil {
		return fmt.Errorf("cannot record file: %w", err)
	}
	if w.rev.n > 0 {
		if err := upsertCurrentTarget(w.ctx, w.tx, w.rev.first, w.rev.last, w.meta.Source); err != nil {
			return err
		}
	}
	// The next state. Its blobs are written after the commit (see
	// persistInBackground); until they are, series_state is marked pending, so a
	// crash in between makes the next start rebuild it from the history.
	next, keys, err := w.next()
	if err != nil {
		return err
	}
	if len(keys) > 0 {
		if err := markSeriesState(w.ctx, w.tx, "pending"); err != nil {
			return err
		}
	}
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("cannot commit: %w", err)
	}
	w.rev.close()
	w.done = true
	w.s.snap.Store(&next)
	for _, fn := range w.s.onChange {
		fn()
	}
	if len(keys) == 0 {
		w.s.mu.Unlock()
		return nil
	}
	w.s.persistInBackground(&next, keys)
	return nil
}

// next is the snapshot with the file merged in, and the series it touched.
func (w *Writer) next() (indicators.Data, []indicators.SeriesKey, error) {
	d := cloneData(w.s.snap.Load())
	keys := make([]indicators.SeriesKey, 0, len(w.series))
	dc := newDayCache(w.s.loc)
	recv := w.meta.ReceivedAt.UnixMilli() // as stored
	for i := range w.series {
		a := &w.series[i]
		// Stable: among rows of equal dates the file's last wins.
		slices.SortStableFunc(a.rows, func(x, y addedObs) int { return cmp.Compare(x.day, y.day) })
		d.Series[a.key] = mergeAdded(d.Series[a.key], a.rows, dc, recv)
		a.rows = nil // merged: the file's rows need not outlive their series' state
		keys = append(keys, a.key)
	}
	if w.rev.n > 0 {
		err := w.s.scanRange(w.ctx, w.tx, "target_revision", "date", w.rev.first, w.rev.last, func(k indicators.SeriesKey, day time.Time, v float64, _ time.Time) {
			d.Revisions[k] = upsertRev(append([]indicators.Revision(nil), d.Revisions[k]...), indicators.Revision{Date: day.AddDate(0, 0, 1), Value: v})
		})
		if err != nil {
			return d, nil, err
		}
	}
	return d, keys, nil
}

// queryer is a transaction or the database.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func (s *Store) scanRange(ctx context.Context, q queryer, table, col string, first, last int64, fn func(indicators.SeriesKey, time.Time, float64, time.Time)) error {
	rows, err := q.QueryContext(ctx, `SELECT indicator, region, `+col+`, value, received_at FROM `+table+` WHERE id BETWEEN ? AND ? ORDER BY id`, first, last)
	if err != nil {
		return fmt.Errorf("cannot read back stored rows: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k indicators.SeriesKey
		var date string
		var v float64
		var recv int64
		if err := rows.Scan(&k.Indicator, &k.Region, &date, &v, &recv); err != nil {
			return err
		}
		day, err := time.ParseInLocation(dateLayout, date, s.loc)
		if err != nil {
			return fmt.Errorf("bad date %q: %w", date, err)
		}
		fn(k, day, v, time.UnixMilli(recv))
	}
	return rows.Err()
}

// mergeAdded returns old with a file's rows for the series (sorted by
// date) merged in: a new value replaces an old one on the same date, and
// within the file the last of equal dates wins. old is not modified.
func mergeAdded(old []indicators.Observation, add []addedObs, dc *dayCache, recv int64) []indicators.Observation {
	out := make([]indicators.Observation, 0, len(old)+len(add))
	i := 0
	for j := 0; j < len(add); j++ {
		if j+1 < len(add) && add[j+1].day == add[j].day {
			continue // a later row of the file has the same date
		}
		asOf := dc.unix(add[j].day)
		for i < len(old) && old[i].AsOf < asOf {
			out = append(out, old[i])
			i++
		}
		if i < len(old) && old[i].AsOf == asOf {
			i++ // superseded
		}
		out = append(out, indicators.Observation{AsOf: asOf, Value: add[j].value, Received: recv})
	}
	return append(out, old[i:]...)
}
