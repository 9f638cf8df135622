package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// Writer stores one file whose rows arrive while it is being read, in one
// transaction: all of them or none. Memory stays bounded by the batches
// passed to Add, whatever the file's size. Between Begin and Commit or
// Rollback the store's other writers wait.
type Writer struct {
	s        *Store
	ctx      context.Context
	tx       *sql.Tx
	meta     Batch
	batchID  int64
	obs, rev *inserter
	done     bool
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
		obs: &inserter{tx: tx, hist: "observation", dateCol: "as_of", batchID: id},
		rev: &inserter{tx: tx, hist: "target_revision", dateCol: "date", batchID: id}}, nil
}

// Add stores observations (revisions, if revisions is true).
func (w *Writer) Add(rows []Observation, revisions bool) error {
	if len(rows) == 0 {
		return nil
	}
	if revisions {
		return w.rev.add(w.ctx, rows)
	}
	return w.obs.add(w.ctx, rows)
}

// Repeat is a key the file names more than once, with the lines.
type Repeat struct {
	Indicator, Region, Date string
	Lines                   []int
}

// Repeats lists keys (indicator, region, date) the rows added so far name
// more than once — at most limit of them. SQLite groups them, so no map of
// every key is held in memory.
func (w *Writer) Repeats(limit int) ([]Repeat, error) {
	var out []Repeat
	for _, part := range []struct {
		ins  *inserter
		hist string
		col  string
	}{{w.obs, "observation", "as_of"}, {w.rev, "target_revision", "date"}} {
		if part.ins.n == 0 {
			continue
		}
		rows, err := w.tx.QueryContext(w.ctx, `SELECT indicator, region, `+part.col+`, group_concat(line) FROM `+part.hist+`
			WHERE id BETWEEN ? AND ? GROUP BY indicator, region, `+part.col+` HAVING count(*) > 1 LIMIT ?`,
			part.ins.first, part.ins.last, limit)
		if err != nil {
			return nil, fmt.Errorf("cannot check repeated rows: %w", err)
		}
		for rows.Next() {
			var r Repeat
			var lines string
			if err := rows.Scan(&r.Indicator, &r.Region, &r.Date, &lines); err != nil {
				rows.Close()
				return nil, err
			}
			for _, l := range strings.Split(lines, ",") {
				n, _ := strconv.Atoi(l)
				r.Lines = append(r.Lines, n)
			}
			sort.Ints(r.Lines)
			out = append(out, r)
		}
		rows.Close()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Lines[1] < out[j].Lines[1] })
	return out, nil
}

// Rows is how many rows were added.
func (w *Writer) Rows() int { return w.obs.n + w.rev.n }

// Rollback discards everything added. It is safe after Commit.
func (w *Writer) Rollback() {
	if w.done {
		return
	}
	w.done = true
	w.obs.close()
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
	kind := "values"
	if w.rev.n > 0 {
		kind = "targets"
	}
	if _, err := w.tx.ExecContext(w.ctx, `INSERT INTO batch(id, sha256, department, source, received_at, kind, rows) VALUES(?, ?, ?, ?, ?, ?, ?)`,
		w.batchID, w.meta.SHA256, w.meta.Department, w.meta.Source, w.meta.ReceivedAt.UnixMilli(), kind, w.Rows()); err != nil {
		return fmt.Errorf("cannot record file: %w", err)
	}
	if w.obs.n > 0 {
		if err := upsertCurrent(w.ctx, w.tx, "current", w.obs.first, w.obs.last, w.meta.Source); err != nil {
			return err
		}
	}
	if w.rev.n > 0 {
		if err := upsertCurrent(w.ctx, w.tx, "current_target", w.rev.first, w.rev.last, w.meta.Source); err != nil {
			return err
		}
	}
	// The next state, read back from the rows just written (in this
	// transaction), and its series blobs, written in it too.
	next, keys, err := w.s.nextStored(w.ctx, w.tx, w)
	if err != nil {
		return err
	}
	if err := writeSeries(w.ctx, w.tx, &next, keys); err != nil {
		return err
	}
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("cannot commit: %w", err)
	}
	w.obs.close()
	w.rev.close()
	w.done = true
	defer w.s.mu.Unlock()
	w.s.snap.Store(&next)
	for _, fn := range w.s.onChange {
		fn()
	}
	return nil
}

// nextStored is the snapshot with the rows a Writer added merged in, and
// the series they touched; the rows are read back from the transaction so
// nothing of the file had to stay in memory while it was read.
func (s *Store) nextStored(ctx context.Context, q queryer, w *Writer) (indicators.Data, []indicators.SeriesKey, error) {
	d := cloneData(s.snap.Load())
	var keys []indicators.SeriesKey
	if w.obs.n > 0 {
		added := map[indicators.SeriesKey][]indicators.Observation{}
		err := s.scanRange(ctx, q, "observation", "as_of", w.obs.first, w.obs.last, func(k indicators.SeriesKey, day time.Time, v float64, recv time.Time) {
			added[k] = append(added[k], indicators.Observation{AsOf: day, Value: v, ReceivedAt: recv})
		})
		if err != nil {
			return d, nil, err
		}
		for k, obs := range added {
			d.Series[k] = mergeObs(d.Series[k], obs)
			keys = append(keys, k)
		}
	}
	if w.rev.n > 0 {
		err := s.scanRange(ctx, q, "target_revision", "date", w.rev.first, w.rev.last, func(k indicators.SeriesKey, day time.Time, v float64, _ time.Time) {
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

// mergeObs returns old with add merged in by date, a new value replacing
// an old one on the same date; old is not modified.
func mergeObs(old, add []indicators.Observation) []indicators.Observation {
	sort.SliceStable(add, func(i, j int) bool { return add[i].AsOf.Before(add[j].AsOf) })
	out := make([]indicators.Observation, 0, len(old)+len(add))
	i, j := 0, 0
	for i < len(old) || j < len(add) {
		switch {
		case j == len(add) || (i < len(old) && old[i].AsOf.Before(add[j].AsOf)):
			out = append(out, old[i])
			i++
		case i < len(old) && old[i].AsOf.Equal(add[j].AsOf):
			i++ // superseded by add[j]
		default:
			// Within add, the last of equal dates wins.
			if n := len(out); n > 0 && out[n-1].AsOf.Equal(add[j].AsOf) && j > 0 && add[j-1].AsOf.Equal(add[j].AsOf) {
				out[n-1] = add[j]
			} else {
				out = append(out, add[j])
			}
			j++
		}
	}
	return out
}
