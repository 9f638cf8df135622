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
// chunks as they arrive; what stays in memory is each row's observation,
// 24 bytes, which becomes the state at the commit (a new series takes
// the rows as they are, unless appends left more than an eighth spare),
// so that storing a file needs little more memory than the state it
// adds. Between Begin and Commit or Rollback, and while the state is
// written after a commit, the store's other writers wait.
//
// A key (indicator, region, date) named twice: Record finds it, with the
// line that named it first, before the row is added; without Record, the
// file's last row for a key wins.
type Writer struct {
	s       *Store
	ctx     context.Context
	tx      *sql.Tx
	meta    Batch
	batchID int64
	done    bool

	chunk    *chunkEncoder
	seq      int // chunks written
	nObs     int
	added    map[indicators.SeriesKey]int // index into series
	series   []addedSeries
	numbered []int // index in series by Record's series number; -1: none yet
	last     int   // index in series of Add's last row; -1: none
	recorded bool  // Record keeps the state; Add leaves it alone
	dates    dateMemo
	rev      *inserter
	replaced int // values that superseded stored ones (next)
}

// addedSeries is what a file reports for one series, in file order until
// the commit sorts it by date. Until then an observation's Received holds
// its line (the arrival time, the same for every row, is set at the
// commit).
type addedSeries struct {
	key    indicators.SeriesKey
	rows   []indicators.Observation
	lo, hi int64 // the earliest and latest dates so far
	// The index in rows of each date, once a date came between lo and hi:
	// rows in date order, or in reverse, never need it.
	at map[int64]int32
}

// dateMemo turns row dates into observation dates (Unix seconds of 00:00
// in the store's zone), remembering the last: rows come in runs of one date.
type dateMemo struct {
	dc      *dayCache
	in, out int64
	ok      bool
}

func (m *dateMemo) unix(t time.Time) int64 {
	u := t.Unix()
	if !m.ok || u != m.in {
		m.in, m.out, m.ok = u, m.dc.unix(dayNumber(t)), true
	}
	return m.out
}

// Begin starts storing a file described by meta (its rows are ignored).
// It returns ErrDuplicate when a file with the same SHA-256 is stored.
func (s *Store) Begin(ctx context.Context, meta Batch) (*Writer, error) {
	if s.reader {
		return nil, fmt.Errorf("store: opened with OpenReader, which never writes")
	}
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
		chunk: newChunkEncoder(), added: map[indicators.SeriesKey]int{}, dates: dateMemo{dc: newDayCache(s.loc)}, last: -1,
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
	for _, o := range rows {
		w.chunk.add(o.Indicator, o.Region, dayNumber(o.AsOf), o.Value, o.Line, o.Raw, o.Note)
		if !w.recorded {
			// Files list a series' rows together more often than not.
			if w.last < 0 || w.series[w.last].key != (indicators.SeriesKey{Indicator: o.Indicator, Region: o.Region}) {
				w.last = w.seriesIndex(o.Indicator, o.Region)
			}
			w.record(&w.series[w.last], o.AsOf, o.Value, o.Line, true)
		}
		w.nObs++
		if w.chunk.full() {
			if err := w.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Record notes an observation row (indicator, region, date, value, line)
// of the file before Add stores it, and returns the line that named its
// key first if one did; such a row must not be added. series numbers the
// (indicator, region) pairs of the file densely from 0 (see
// submission.Keys). Once Record is used, Add takes the state from it:
// every row added must have been recorded.
func (w *Writer) Record(series int, indicator, region string, asOf time.Time, value float64, line int) (first int, dup bool) {
	w.recorded = true
	for series >= len(w.numbered) {
		w.numbered = append(w.numbered, -1)
	}
	i := w.numbered[series]
	if i < 0 {
		i = w.seriesIndex(indicator, region)
		w.numbered[series] = i
	}
	return w.record(&w.series[i], asOf, value, line, false)
}

// seriesIndex is the index in w.series of a series, added if new.
func (w *Writer) seriesIndex(indicator, region string) int {
	k := indicators.SeriesKey{Indicator: indicator, Region: region}
	i, ok := w.added[k]
	if !ok {
		i = len(w.series)
		w.added[k] = i
		w.series = append(w.series, addedSeries{key: k})
	}
	return i
}

// record notes a row in its series' state. A key named before returns the
// line that named it; with lastWins, the row also takes its place.
func (w *Writer) record(a *addedSeries, asOf time.Time, value float64, line int, lastWins bool) (int, bool) {
	u := w.dates.unix(asOf)
	switch {
	case len(a.rows) == 0:
		a.lo, a.hi = u, u
	case u > a.hi:
		a.hi = u
	case u < a.lo:
		a.lo = u
	default:
		if a.at == nil {
			a.at = make(map[int64]int32, len(a.rows))
			for i, o := range a.rows {
				a.at[o.AsOf] = int32(i)
			}
		}
		if i, ok := a.at[u]; ok {
			first := int(a.rows[i].Received)
			if lastWins {
				a.rows[i] = indicators.Observation{AsOf: u, Value: value, Received: int64(line)}
			}
			return first, true
		}
	}
	if a.at != nil {
		a.at[u] = int32(len(a.rows))
	}
	a.rows = append(a.rows, indicators.Observation{AsOf: u, Value: value, Received: int64(line)})
	return 0, false
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

// Replaced is how many of the file's values took the place of a stored
// one for the same indicator, region and date (known after Commit): a
// clerk is told, since re-sending an old sheet undoes later corrections.
func (w *Writer) Replaced() int { return w.replaced }

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
	recv := w.meta.ReceivedAt.UnixMilli() // as stored
	byDate := func(x, y indicators.Observation) int { return cmp.Compare(x.AsOf, y.AsOf) }
	for i := range w.series {
		a := &w.series[i]
		if !slices.IsSortedFunc(a.rows, byDate) {
			slices.SortFunc(a.rows, byDate) // one row a date: record saw to it
		}
		for j := range a.rows {
			a.rows[j].Received = recv // was the line
		}
		if old := d.Series[a.key]; len(old) > 0 {
			var n int
			d.Series[a.key], n = mergeAdded(old, a.rows)
			w.replaced += n
		} else if spare := cap(a.rows) - len(a.rows); spare > len(a.rows)/8 {
			d.Series[a.key] = slices.Clone(a.rows) // not the room append left
		} else {
			d.Series[a.key] = a.rows // a new series: the rows are its state
		}
		a.rows, a.at = nil, nil // the file's rows need not outlive their series' state
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
// date, one a date) merged in: a new value replaces an old one on the
// same date, and replaced counts those whose value changed. old is not
// modified.
func mergeAdded(old, add []indicators.Observation) ([]indicators.Observation, int) {
	out := make([]indicators.Observation, 0, len(old)+len(add))
	i, replaced := 0, 0
	for _, a := range add {
		for i < len(old) && old[i].AsOf < a.AsOf {
			out = append(out, old[i])
			i++
		}
		if i < len(old) && old[i].AsOf == a.AsOf {
			// Superseded; a replacement only if the value changed (the
			// receipt warns of changes, not of the same figure re-sent).
			if old[i].Value != a.Value {
				replaced++
			}
			i++
		}
		out = append(out, a)
	}
	return append(out, old[i:]...), replaced
}
