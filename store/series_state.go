package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// A series blob is its effective observations in date order, 20 bytes
// each, little-endian: the date as days since 1970-01-01 (int32), the
// value (float64 bits) and the arrival time in Unix milliseconds (int64).
const obsSize = 20

// metaSeriesState marks a database whose series_state is complete
// ("complete"), or complete with the runs in series_run merged in
// ("runs": a file's transaction sets it, the merge after it sets
// "complete"). Any other value, or none, has the state rebuilt from the
// history at open (migrate.go); so does an earlier version, which knows
// only "complete" and would otherwise read the blobs without the runs.
const metaSeriesState = "series_state"

// The values of metaSeriesState this version reads as complete.
const (
	stateComplete = "complete"
	stateRuns     = "runs"
)

// appendSeries appends the blob of obs to b.
func appendSeries(b []byte, obs []indicators.Observation, dc *dayCache) []byte {
	for _, o := range obs {
		b = binary.LittleEndian.AppendUint32(b, uint32(dc.dayOf(o.AsOf)))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(o.Value))
		b = binary.LittleEndian.AppendUint64(b, uint64(o.Received))
	}
	return b
}

// dayCache turns day numbers into 00:00 of that date in the store's zone
// and back; a state has millions of observations but only thousands of
// dates.
type dayCache struct {
	loc   *time.Location
	days  map[int32]time.Time
	numbs map[int64]int32 // day numbers by Unix seconds
	// recent holds dayOf's latest answers by day, before the map: a
	// file's fold asks for every observation's day.
	recent [1024]struct {
		unix int64
		day  int32
	}
	// unixes are unix's answers for the days from 1970 to 2100 that were
	// asked for (0: not yet; 00:00 of 1970-01-01 is before any plan): a
	// start-up decodes ten million observations, and an index is a third
	// of the time a map lookup took.
	unixes []int64
}

// unixDays is how many days unix answers from its slice: to 2100.
const unixDays = 47482

func newDayCache(loc *time.Location) *dayCache {
	return &dayCache{loc: loc, days: map[int32]time.Time{}, numbs: map[int64]int32{}}
}

func (c *dayCache) at(days int32) time.Time {
	if t, ok := c.days[days]; ok {
		return t
	}
	u := time.Unix(int64(days)*86400, 0).UTC()
	t := time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, c.loc)
	c.days[days] = t
	return t
}

// unix is the observation date (indicators.Observation.AsOf) of a day number.
func (c *dayCache) unix(days int32) int64 {
	if days <= 0 || days >= unixDays {
		return c.at(days).Unix()
	}
	if c.unixes == nil {
		c.unixes = make([]int64, unixDays)
	}
	u := c.unixes[days]
	if u == 0 {
		u = c.at(days).Unix()
		c.unixes[days] = u
	}
	return u
}

// dayOf is the day number of an observation date.
func (c *dayCache) dayOf(unix int64) int32 {
	slot := &c.recent[uint64(unix/86400)%uint64(len(c.recent))]
	if slot.unix == unix && unix != 0 {
		return slot.day
	}
	if d, ok := c.numbs[unix]; ok {
		slot.unix, slot.day = unix, d
		return d
	}
	d := dayNumber(time.Unix(unix, 0).In(c.loc))
	c.numbs[unix] = d
	return d
}

// decodeSeriesInto appends the observations of a blob to buf.
func decodeSeriesInto(buf []indicators.Observation, b []byte, dc *dayCache) ([]indicators.Observation, error) {
	if len(b)%obsSize != 0 {
		return buf, fmt.Errorf("series blob of %d bytes is not a whole number of observations", len(b))
	}
	out := slices.Grow(buf, len(b)/obsSize)
	for i := 0; i < len(b); i += obsSize {
		p := b[i:]
		out = append(out, indicators.Observation{
			AsOf:     dc.unix(int32(binary.LittleEndian.Uint32(p))),
			Value:    math.Float64frombits(binary.LittleEndian.Uint64(p[4:])),
			Received: int64(binary.LittleEndian.Uint64(p[12:])),
		})
	}
	return out, nil
}

// execer is a transaction or the database.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// preparer is a transaction or the database.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// seriesWriter stores series' blobs with one prepared statement (a
// statement prepared anew for each of thousands of series took much of a
// merge; one INSERT of many rows, 16 times as long as this), encoding
// each blob into the same buffer.
type seriesWriter struct {
	st  *sql.Stmt
	dc  *dayCache
	buf []byte
}

func newSeriesWriter(ctx context.Context, tx preparer, dc *dayCache) (*seriesWriter, error) {
	st, err := tx.PrepareContext(ctx, `INSERT INTO series_state(indicator, region, data) VALUES(?, ?, ?)
		ON CONFLICT(indicator, region) DO UPDATE SET data = excluded.data`)
	if err != nil {
		return nil, fmt.Errorf("cannot store the series state: %w", err)
	}
	return &seriesWriter{st: st, dc: dc}, nil
}

func (w *seriesWriter) close() { w.st.Close() }

// write stores one series' reports as its blob.
func (w *seriesWriter) write(ctx context.Context, k indicators.SeriesKey, obs []indicators.Observation) error {
	w.buf = appendSeries(w.buf[:0], obs, w.dc)
	if _, err := w.st.ExecContext(ctx, k.Indicator, k.Region, w.buf); err != nil {
		return fmt.Errorf("cannot store the state of %s/%s: %w", k.Indicator, k.Region, err)
	}
	return nil
}

// writeAllSeries replaces the stored state with series (a replay of the
// history) and marks it complete.
func (s *Store) writeAllSeries(ctx context.Context, series map[indicators.SeriesKey][]indicators.Observation) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM series_state; DELETE FROM series_run`); err != nil {
		return err
	}
	sw, err := newSeriesWriter(ctx, tx, newDayCache(s.loc))
	if err != nil {
		return err
	}
	defer sw.close()
	for k, obs := range series {
		if err := sw.write(ctx, k, obs); err != nil {
			return err
		}
	}
	if err := markSeriesState(ctx, tx, stateComplete); err != nil {
		return err
	}
	return tx.Commit()
}

// markSeriesState sets whether series_state is complete or pending.
func markSeriesState(ctx context.Context, tx execer, v string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaSeriesState, v); err != nil {
		return fmt.Errorf("cannot mark the series state %s: %w", v, err)
	}
	return nil
}

// digestOf is the digest of a series for the target its indicator has in
// p; ok is false for an indicator p does not have (nothing evaluates it)
// and for a series without reports.
func digestOf(p *indicators.Plan, k indicators.SeriesKey, obs []indicators.Observation) (*indicators.Digest, bool) {
	if p == nil || len(obs) == 0 {
		return nil, false
	}
	t, ok := p.TargetID(k.Indicator)
	if !ok {
		return nil, false
	}
	g := indicators.Summarize(t, obs)
	return &g, true
}

// loadDigests digests every stored series for the plan, one blob at a
// time: the reports are read and let go, only the digests stay.
func (s *Store) loadDigests(ctx context.Context, p *indicators.Plan) (map[indicators.SeriesKey]*indicators.Digest, error) {
	out := map[indicators.SeriesKey]*indicators.Digest{}
	if s.mem != nil {
		for k, obs := range s.mem {
			if g, ok := digestOf(p, k, obs); ok {
				out[k] = g
			}
		}
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT indicator, region, data FROM series_state`)
	if err != nil {
		return nil, fmt.Errorf("cannot read the series state: %w", err)
	}
	defer rows.Close()
	dc := newDayCache(s.loc)
	var buf []indicators.Observation
	for rows.Next() {
		var k indicators.SeriesKey
		var b sql.RawBytes // decoded before the next row: no copy of ten million observations' bytes
		if err := rows.Scan(&k.Indicator, &k.Region, &b); err != nil {
			return nil, fmt.Errorf("cannot read the series state: %w", err)
		}
		if _, ok := p.TargetID(k.Indicator); !ok {
			continue // not in the plan: read when a plan that has it comes
		}
		buf, err = decodeSeriesInto(buf[:0], b, dc)
		if err != nil {
			return nil, fmt.Errorf("series %s/%s: %w", k.Indicator, k.Region, err)
		}
		if g, ok := digestOf(p, k, buf); ok {
			out[k] = g
		}
	}
	return out, rows.Err()
}

// readOne reads one series' reports: its blob in series_state with the
// runs of files not yet merged into it (series_run), later runs winning
// on their dates; none if it has neither. q must be a transaction (the
// two statements must see one state) or the store's lock must be held.
func readOne(ctx context.Context, q queryer, k indicators.SeriesKey, dc *dayCache) ([]indicators.Observation, error) {
	fail := func(err error) ([]indicators.Observation, error) {
		return nil, fmt.Errorf("cannot read the state of %s/%s: %w", k.Indicator, k.Region, err)
	}
	var acc runs
	rows, err := q.QueryContext(ctx, `SELECT data FROM series_state WHERE indicator = ? AND region = ?`, k.Indicator, k.Region)
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var b sql.RawBytes
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return fail(err)
		}
		if err := acc.add(decodeSeriesInto, b, dc); err != nil {
			rows.Close()
			return fail(err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	// series_run is empty but between a commit and its merge: a scan.
	if rows, err = q.QueryContext(ctx, `SELECT data FROM series_run WHERE indicator = ? AND region = ? ORDER BY id`, k.Indicator, k.Region); err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b sql.RawBytes
		if err := rows.Scan(&b); err != nil {
			return fail(err)
		}
		if err := acc.add(decodeRunInto, b, dc); err != nil {
			return fail(err)
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return acc.done(), nil
}

// readTx is a read transaction: one state for several statements, while
// a writer goes on (WAL).
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("cannot read the series state: %w", err)
	}
	return tx, nil
}

// readAll reads every stored series (tx: a read transaction).
func (s *Store) readAll(ctx context.Context, tx *sql.Tx) (map[indicators.SeriesKey][]indicators.Observation, error) {
	out := map[indicators.SeriesKey][]indicators.Observation{}
	rows, err := tx.QueryContext(ctx, `SELECT indicator, region, data FROM series_state`)
	if err != nil {
		return nil, fmt.Errorf("cannot read the series state: %w", err)
	}
	defer rows.Close()
	dc := newDayCache(s.loc)
	for rows.Next() {
		var k indicators.SeriesKey
		var b sql.RawBytes
		if err := rows.Scan(&k.Indicator, &k.Region, &b); err != nil {
			return nil, fmt.Errorf("cannot read the series state: %w", err)
		}
		obs, err := decodeSeriesInto(nil, b, dc)
		if err != nil {
			return nil, fmt.Errorf("series %s/%s: %w", k.Indicator, k.Region, err)
		}
		out[k] = obs
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read the series state: %w", err)
	}
	// The series with runs, merged with their blobs, take their place.
	err = eachMerged(ctx, tx, dc, 0, nil, func(k indicators.SeriesKey, obs []indicators.Observation, _ int) error {
		out[k] = slices.Clone(obs)
		return nil
	})
	return out, err
}

// runs gathers the runs of a series in the order they were written.
type runs struct {
	obs   []indicators.Observation
	messy bool // a run does not follow the ones before in date order
}

func (a *runs) add(decode func([]indicators.Observation, []byte, *dayCache) ([]indicators.Observation, error), b []byte, dc *dayCache) error {
	n := len(a.obs)
	var err error
	a.obs, err = decode(a.obs, b, dc)
	if n > 0 && len(a.obs) > n && a.obs[n].AsOf <= a.obs[n-1].AsOf {
		a.messy = true
	}
	return err
}

// done is the runs merged: by date, a later run's value winning.
func (a *runs) done() []indicators.Observation {
	if !a.messy {
		return a.obs
	}
	slices.SortStableFunc(a.obs, func(x, y indicators.Observation) int { return cmp.Compare(x.AsOf, y.AsOf) })
	out := a.obs[:0]
	for i, o := range a.obs {
		if i+1 < len(a.obs) && a.obs[i+1].AsOf == o.AsOf {
			continue // a later run has this date
		}
		out = append(out, o)
	}
	return out
}

// Series returns the effective reports of one series, oldest first (the
// state keeps only their digest in memory).
func (s *Store) Series(ctx context.Context, k indicators.SeriesKey) ([]indicators.Observation, error) {
	if s.mem != nil {
		return slices.Clone(s.mem[k]), nil
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readOne(ctx, tx, k, newDayCache(s.loc))
}

// Full returns the current state with every series' reports (Data.Series)
// instead of digests, for tools that read it whole (backfill) and tests.
// It holds every effective observation in memory.
func (s *Store) Full(ctx context.Context) (indicators.Data, error) {
	d := s.Data()
	full := indicators.Data{Plan: d.Plan, Series: map[indicators.SeriesKey][]indicators.Observation{}, Revisions: d.Revisions}
	if s.mem != nil {
		maps.Copy(full.Series, s.mem)
		return full, nil
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return full, err
	}
	defer tx.Rollback()
	all, err := s.readAll(ctx, tx)
	if err != nil {
		return full, err
	}
	for k, obs := range all {
		if len(obs) > 0 {
			full.Series[k] = obs
		}
	}
	return full, nil
}

// seriesStateMarker is metaSeriesState's value, "" if none.
func (s *Store) seriesStateMarker(ctx context.Context) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaSeriesState).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

// seriesStateComplete reports whether series_state, with the runs the
// marker says are left, holds the state.
func (s *Store) seriesStateComplete(ctx context.Context) (bool, error) {
	v, err := s.seriesStateMarker(ctx)
	return v == stateComplete || v == stateRuns, err
}
