package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// Writer stores one file whose rows arrive while it is being read, in one
// transaction: all of them or none. The file's rows go to the history in
// chunks as they arrive, written on a second goroutine (pipe.go). Each
// row's observation, 24 bytes, stays in memory until foldRows of them
// are held; then they are written out in
// the same transaction as a sorted run per series (compact.go), and at
// the commit the rest: storing a file of any size takes a bounded amount
// of memory, and the digests of the series it touched are all the state
// gains. Between Begin and Commit or Rollback, and while the runs are
// merged into the series' blobs after a commit, the store's other
// writers wait.
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

	pipe       *pipe         // writes the chunks and runs (pipe.go)
	chunk      *chunkEncoder // the pipe's
	seq        int           // chunks written; the pipe's
	chunkDates dateMemo      // the pipe's; dates is the Writer's
	nObs       int
	added      map[indicators.SeriesKey]int // index into series
	series     []addedSeries
	numbered   []int // index in series by Record's series number; -1: none yet
	last       int   // index in series of Add's last row; -1: none
	recorded   bool  // Record keeps the state; Add leaves it alone
	dates      dateMemo
	rev        *inserter
	replaced   int // values that superseded stored ones (digest)

	held    int                                    // observations held in series, not yet folded
	lookups int                                    // firstLine's so far
	lines   map[indicators.SeriesKey]map[int32]int // firstLine's: the lines of a series' folded rows by day
	folds   int                                    // folds that wrote runs
	noBlob  func(indicators.SeriesKey) bool        // the series without a blob before the file (digest)
	wal     *os.File                               // the WAL, for writeback; the pipe's while it runs
	runs    runWriter
	digests map[indicators.SeriesKey]*indicators.Digest
	outcome func(w *Writer) FileOutcome // SetOutcome's
}

// foldRows is how many of a file's observations a Writer holds before it
// writes them out as runs: 6 MiB of observations. A fold appends, so
// folding more often costs statements, not bytes: a run per series and
// fold (the benchmark's 2.5-million-row file over 5,600 series folds 10
// times).
const foldRows = 1 << 18

// addedSeries is what a file reports for one series and the Writer holds,
// in file order until a fold sorts it by date. Until then an
// observation's Received holds its line (the arrival time, the same for
// every row, is set by the fold).
type addedSeries struct {
	key    indicators.SeriesKey
	rows   []indicators.Observation
	lo, hi int64 // the earliest and latest dates so far
	// The index in rows of each date, once a date came between lo and hi:
	// rows in date order, or in reverse, never need it.
	at map[int64]int32
	// folded are the day numbers of the file's rows already written out
	// in runs. A value, not a pointer: most rows fall outside its span,
	// and that is told from the fields here, without a cache miss.
	folded daySet
}

// dateMemo turns row dates into observation dates (Unix seconds of 00:00
// in the store's zone), remembering the last: rows come in runs of one date.
type dateMemo struct {
	dc      *dayCache
	in, out int64
	ok      bool
	day     int32
}

// unix is the observation date of t and its day number.
func (m *dateMemo) unix(t time.Time) (int64, int32) {
	u := t.Unix()
	if !m.ok || u != m.in {
		m.day = dayNumber(t)
		m.in, m.out, m.ok = u, m.dc.unix(m.day), true
	}
	return m.out, m.day
}

// Begin starts storing a file described by meta (its rows are ignored).
// It returns ErrDuplicate when a file with the same SHA-256 is stored.
// A file whose SHA-256 is not known yet (it is being hashed while it is
// read) begins with none; SetSHA256 gives it before Commit, which checks
// it again in any case and returns ErrDuplicate then.
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
	if meta.SHA256 != "" {
		if err := checkNew(ctx, tx, meta.SHA256); err != nil {
			return fail(err)
		}
	}
	// The batch row is written at Commit, when its row count is known;
	// its id is taken now (the transaction holds the write lock) and the
	// foreign keys of the rows are checked at commit.
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'batch'), 0) + 1`).Scan(&id); err != nil {
		return fail(fmt.Errorf("cannot allocate a file id: %w", err))
	}
	return &Writer{s: s, ctx: ctx, tx: tx, meta: meta, batchID: id, digests: map[indicators.SeriesKey]*indicators.Digest{}, runs: runWriter{tx: tx},
		pipe: startPipe(), chunk: newChunkEncoder(), added: map[indicators.SeriesKey]int{}, dates: dateMemo{dc: newDayCache(s.loc)},
		chunkDates: dateMemo{dc: newDayCache(s.loc)}, last: -1,
		rev: &inserter{tx: tx, hist: "target_revision", dateCol: "date", batchID: id}}, nil
}

// checkNew returns ErrDuplicate if a file with this SHA-256 is stored.
func checkNew(ctx context.Context, tx *sql.Tx, sha string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM batch WHERE sha256 = ?`, sha).Scan(&n); err != nil {
		return fmt.Errorf("cannot look up file: %w", err)
	}
	if n > 0 {
		return ErrDuplicate
	}
	return nil
}

// SetSHA256 gives the SHA-256 of a file begun without one; Commit checks
// it is new.
func (w *Writer) SetSHA256(sha string) { w.meta.SHA256 = sha }

// SetOutcome has Commit record the file's outcome in the transaction that
// stores it, so that a file is never stored without the record of where
// it goes and what its report says (OutcomeOf finds it after a crash
// before the file got there). outcome is called once Rows and Replaced
// are final.
func (w *Writer) SetOutcome(outcome func(w *Writer) FileOutcome) { w.outcome = outcome }

// Add stores observations (revisions, if revisions is true). The file's
// arrival time, department and source are the Writer's, not the rows'.
func (w *Writer) Add(rows []Observation, revisions bool) error {
	if w.done {
		return fmt.Errorf("store: add to a finished writer") // its pipe is gone
	}
	if len(rows) == 0 {
		return nil
	}
	for _, o := range rows {
		if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) {
			return fmt.Errorf("cannot store %s line %d: the value is not a finite number", w.meta.Source, o.Line)
		}
	}
	if w.pipe.failed.Load() {
		return w.pipe.wait()
	}
	if revisions {
		if err := w.pipe.wait(); err != nil {
			return err
		}
		return w.rev.add(w.ctx, rows)
	}
	if !w.recorded {
		for _, o := range rows {
			// Files list a series' rows together more often than not.
			if w.last < 0 || w.series[w.last].key != (indicators.SeriesKey{Indicator: o.Indicator, Region: o.Region}) {
				w.last = w.seriesIndex(o.Indicator, o.Region)
			}
			w.record(&w.series[w.last], o.AsOf, o.Value, o.Line, true)
		}
	}
	w.nObs += len(rows)
	items := append(w.pipe.buffer(), rows...) // the caller may reuse rows
	w.pipe.send(func() error {
		defer w.pipe.recycle(items)
		for _, o := range items {
			_, day := w.chunkDates.unix(o.AsOf) // rows come in runs of one date
			w.chunk.add(o.Indicator, o.Region, day, o.Value, o.Line, o.Raw, o.Note)
			if w.chunk.full() {
				if err := w.flush(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	// Every row recorded so far is handed to the pipe before the fold's
	// runs, so a key folded away can still be found in the chunks
	// (firstLine).
	if w.held >= w.s.foldRows {
		return w.fold()
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
	u, day := w.dates.unix(asOf)
	if !lastWins && a.folded.has(day) {
		// Named before a fold: its line is in the chunks.
		return w.firstLine(a.key, day), true
	}
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
	w.held++
	return 0, false
}

// flush writes the chunk being built: on the pipe's goroutine, or once
// it is done (wait).
func (w *Writer) flush() error {
	if w.chunk.rows == 0 {
		return nil
	}
	if err := writeChunk(w.ctx, w.tx, w.batchID, w.seq, w.chunk); err != nil {
		return fmt.Errorf("cannot store %s: %w", w.meta.Source, err)
	}
	w.seq++
	w.chunk.reset()
	w.writeback()
	return nil
}

// writeback has the kernel start writing the WAL's pages now, while the
// file is still being read: otherwise they stay dirty until the commit's
// sync, which then writes the whole file's frames (100 MB and more for a
// large file) while everything waits for it.
func (w *Writer) writeback() {
	if w.wal == nil {
		f, err := os.Open(w.s.walPath())
		if err != nil {
			return // the next chunk tries again; the sync writes it all anyway
		}
		w.wal = f
	}
	startWriteback(w.wal)
}

// closeWAL closes the file writeback opened, once the pipe is done.
func (w *Writer) closeWAL() {
	if w.wal != nil {
		w.wal.Close()
		w.wal = nil
	}
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
	w.pipe.stop()
	w.closeWAL()
	w.rev.close()
	w.runs.close()
	w.tx.Rollback()
	w.release()
	w.s.mu.Unlock()
}

// release lets go of what the Writer held for the file: its caller may
// keep the Writer a while (the inbox, until the file's outcome is
// recorded, which waits for the merge after the commit), and a fold's
// worth of rows and a chunk's buffer would stay with it.
func (w *Writer) release() {
	w.series, w.added, w.numbered, w.lines, w.digests = nil, nil, nil, nil, nil
	w.chunk = newChunkEncoder()
	w.dates = dateMemo{}
	w.runs.args = nil
}

// Commit records the file, makes its rows the current values and commits;
// then the in-memory state follows. On error nothing is stored.
func (w *Writer) Commit() error {
	if w.done {
		return fmt.Errorf("store: commit of a finished writer")
	}
	defer w.Rollback() // after a failure; a no-op once committed
	if w.meta.SHA256 == "" {
		return fmt.Errorf("store: commit of a file without its SHA-256 (Begin or SetSHA256 gives it)")
	}
	if err := checkNew(w.ctx, w.tx, w.meta.SHA256); err != nil {
		return err // one indexed lookup; Begin's, if it had the hash, saw the same
	}
	if err := w.pipe.wait(); err != nil {
		return err
	}
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
	if err := w.fold(); err != nil {
		return err
	}
	w.pipe.stop()
	if w.pipe.err != nil {
		return w.pipe.err
	}
	w.writeback() // the last chunk's and the runs' pages, while the digest reads
	defer w.closeWAL()
	touched, err := w.digest()
	if err != nil {
		return err
	}
	if w.outcome != nil {
		if err := insertOutcome(w.ctx, w.tx, w.outcome(w)); err != nil {
			return err
		}
	}
	next, err := w.next()
	if err != nil {
		return err
	}
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("cannot commit: %w", err)
	}
	w.rev.close()
	w.runs.close()
	w.done = true
	w.release()
	w.s.snap.Store(&next)
	for _, fn := range w.s.onChange {
		fn()
	}
	if !touched {
		w.s.mu.Unlock()
		w.s.merging.Go(func() { w.s.checkpoint(context.Background()) })
		return nil
	}
	w.s.mergeInBackground(w.noBlob)
	return nil
}

// fold writes the observations held as a sorted run per series
// (series_run); the commit reads them back with the series' blob.
func (w *Writer) fold() error {
	if w.s.beforeFold != nil {
		if err := w.s.beforeFold(); err != nil {
			return err
		}
	}
	recv := w.meta.ReceivedAt.UnixMilli() // as stored
	byDate := func(x, y indicators.Observation) int { return cmp.Compare(x.AsOf, y.AsOf) }
	// In key order, which the commit reads them in (eachMerged).
	order := make([]int, 0, len(w.series))
	for i := range w.series {
		if len(w.series[i].rows) > 0 {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := w.series[i].key, w.series[j].key
		return cmp.Or(strings.Compare(a.Indicator, b.Indicator), strings.Compare(a.Region, b.Region))
	})
	if len(order) == 0 {
		return nil
	}
	w.folds++
	first, fold := w.folds == 1, w.folds
	type run struct {
		key  indicators.SeriesKey
		data []byte
	}
	runs := make([]run, 0, len(order))
	// One buffer for the fold's runs, not one grown for each series: at
	// 5 bytes a value it is about a tenth of the rows held.
	buf := make([]byte, 0, 6*w.held+binary.MaxVarintLen64*2*len(order))
	for _, i := range order {
		a := &w.series[i]
		if !slices.IsSortedFunc(a.rows, byDate) {
			slices.SortFunc(a.rows, byDate) // one row a date: record saw to it
		}
		for j := range a.rows {
			a.rows[j].Received = recv // was the line
		}
		from := len(buf)
		buf = encodeRun(buf, a.rows, w.dates.dc)
		runs = append(runs, run{a.key, buf[from:len(buf):len(buf)]})
		for _, o := range a.rows {
			a.folded.add(w.dates.dc.dayOf(o.AsOf))
		}
		a.rows, a.at = a.rows[:0], nil
	}
	// The series keep room for their next rows (files that interleave
	// their series fold each again and again), but no more than a fold's
	// worth in all, with the room append leaves (up to as much again): a
	// file that lists each series' rows together would otherwise keep a
	// long series' room for every series (BenchmarkWriterMemory), and
	// with a fold's worth exactly, a file of 5,600 interleaved series
	// grew a quarter of them anew in every fold (a seventh of the bytes
	// it allocated).
	kept := 0
	for i := range w.series {
		a := &w.series[i]
		if kept+cap(a.rows) > 2*foldRows {
			a.rows = nil
			continue
		}
		kept += cap(a.rows)
	}
	w.held = 0
	w.pipe.send(func() error {
		if first {
			// The state is the blobs with runs until the merge after
			// the commit; an earlier version, which would read only the
			// blobs, rebuilds it instead.
			if err := markSeriesState(w.ctx, w.tx, stateRuns); err != nil {
				return fmt.Errorf("cannot store %s: %w", w.meta.Source, err)
			}
		}
		for _, r := range runs {
			if err := w.runs.add(w.ctx, w.batchID, fold, r.key, r.data); err != nil {
				return fmt.Errorf("cannot store %s: %w", w.meta.Source, err)
			}
		}
		if err := w.runs.flush(w.ctx); err != nil {
			return fmt.Errorf("cannot store %s: %w", w.meta.Source, err)
		}
		return nil
	})
	return nil
}

// digest reads back every series the file touched, its blob with the
// runs, counts the values that replaced other files' and digests it.
func (w *Writer) digest() (bool, error) {
	plan := w.s.snap.Load().Plan
	touched := false
	w.noBlob = w.s.noBlob()
	err := eachMerged(w.ctx, w.tx, w.dates.dc, w.batchID, w.noBlob, func(k indicators.SeriesKey, obs []indicators.Observation, replaced int) error {
		touched = true
		w.replaced += replaced
		if g, ok := digestOf(plan, k, obs); ok {
			w.digests[k] = g
		}
		return nil
	})
	return touched, err
}

// next is the snapshot with the file's series digested anew.
func (w *Writer) next() (indicators.Data, error) {
	d := cloneData(w.s.snap.Load())
	maps.Copy(d.Digests, w.digests)
	if w.rev.n > 0 {
		err := w.s.scanRange(w.ctx, w.tx, "target_revision", "date", w.rev.first, w.rev.last, func(k indicators.SeriesKey, day time.Time, v float64, _ time.Time) {
			d.Revisions[k] = upsertRev(append([]indicators.Revision(nil), d.Revisions[k]...), indicators.Revision{Date: day.AddDate(0, 0, 1), Value: v})
		})
		if err != nil {
			return d, err
		}
	}
	return d, nil
}

// FirstLineLookups is how many keys named again after their first row
// was folded away a Writer finds the first line of: a report lists the
// first 100 problems (submission.MaxProblems) and counts the rest, so a
// later repeat's first line is never shown. Past it Record says only
// that the key repeats (line 0), at no cost.
const FirstLineLookups = 100

// firstLine is the line of the file's row for series k on day that was
// folded away: the first of its chunks, written or being built, that has
// it. The lines of a series' folded rows are read from the chunks once
// and kept (w.lines) until a later fold adds days they lack: a file
// pasted twice into itself would otherwise be read again for every
// repeat. 0 if none has it (cannot be: every row recorded is added before
// a fold) or past FirstLineLookups.
func (w *Writer) firstLine(k indicators.SeriesKey, day int32) int {
	if w.lookups++; w.lookups > w.s.lineLookups {
		return 0
	}
	if line, ok := w.lines[k][day]; ok {
		return line
	}
	if w.pipe.wait() != nil {
		return 0 // the failure ends the file: Add and Commit return it
	}
	lines := map[int32]int{}
	note := func(blob []byte) {
		r, err := newChunkReader(blob)
		if err != nil {
			return
		}
		var c chunkRow
		for {
			ok, err := r.next(&c, k.Indicator)
			if err != nil || !ok {
				return
			}
			if _, seen := lines[c.Day]; c.Region == k.Region && !seen {
				lines[c.Day] = c.Line
			}
		}
	}
	rows, err := w.tx.QueryContext(w.ctx, `SELECT data FROM observation_chunk WHERE batch = ? ORDER BY seq`, w.batchID)
	if err == nil {
		defer rows.Close()
		for rows.Next() {
			var b []byte
			if rows.Scan(&b) != nil {
				break
			}
			note(b)
		}
	}
	if w.chunk.rows > 0 {
		b, _ := w.chunk.blob()
		note(b)
	}
	if w.lines == nil {
		w.lines = map[indicators.SeriesKey]map[int32]int{}
	}
	w.lines[k] = lines
	return lines[day]
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
// modified. (A file's own rows written out in several folds are merged
// among themselves first, eachMerged, so a row that replaces the file's
// own earlier one is not counted.)
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
