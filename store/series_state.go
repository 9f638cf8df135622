package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// A series blob is its effective observations in date order, 20 bytes
// each, little-endian: the date as days since 1970-01-01 (int32), the
// value (float64 bits) and the arrival time in Unix milliseconds (int64).
const obsSize = 20

// metaSeriesState marks a database whose series_state is complete; when
// it is not, the state is rebuilt from the history at open (migrate.go).
const metaSeriesState = "series_state"

func encodeSeries(obs []indicators.Observation, dc *dayCache) []byte {
	b := make([]byte, len(obs)*obsSize)
	for i, o := range obs {
		p := b[i*obsSize:]
		binary.LittleEndian.PutUint32(p, uint32(dc.dayOf(o.AsOf)))
		binary.LittleEndian.PutUint64(p[4:], math.Float64bits(o.Value))
		binary.LittleEndian.PutUint64(p[12:], uint64(o.Received))
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
	if d, ok := c.numbs[unix]; ok {
		return d
	}
	d := dayNumber(time.Unix(unix, 0).In(c.loc))
	c.numbs[unix] = d
	return d
}

func decodeSeries(b []byte, dc *dayCache) ([]indicators.Observation, error) {
	if len(b)%obsSize != 0 {
		return nil, fmt.Errorf("series blob of %d bytes is not a whole number of observations", len(b))
	}
	out := make([]indicators.Observation, len(b)/obsSize)
	for i := range out {
		p := b[i*obsSize:]
		out[i] = indicators.Observation{
			AsOf:     dc.unix(int32(binary.LittleEndian.Uint32(p))),
			Value:    math.Float64frombits(binary.LittleEndian.Uint64(p[4:])),
			Received: int64(binary.LittleEndian.Uint64(p[12:])),
		}
	}
	return out, nil
}

// execer is a transaction or the database.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeSeries stores the given series of d as blobs.
func writeSeries(ctx context.Context, tx execer, d *indicators.Data, keys []indicators.SeriesKey, loc *time.Location) error {
	dc := newDayCache(loc)
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `INSERT INTO series_state(indicator, region, data) VALUES(?, ?, ?)
			ON CONFLICT(indicator, region) DO UPDATE SET data = excluded.data`, k.Indicator, k.Region, encodeSeries(d.Series[k], dc)); err != nil {
			return fmt.Errorf("cannot store the state of %s/%s: %w", k.Indicator, k.Region, err)
		}
	}
	return nil
}

// markSeriesState sets whether series_state is complete or pending.
func markSeriesState(ctx context.Context, tx execer, v string) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, metaSeriesState, v); err != nil {
		return fmt.Errorf("cannot mark the series state %s: %w", v, err)
	}
	return nil
}

// persistInBackground writes the series blobs of d after a commit (keys,
// the series it changed) or after a replay at open (keys nil: all of
// them, replacing the table), and marks series_state complete. A file's
// rows are durable once its history is; the blobs are derived state, so
// the caller need not wait for them. The caller holds s.mu, which is
// released when the write is done: the next writer waits for it, and
// Close too. If the write fails the state stays pending and the next
// start replays the history.
func (s *Store) persistInBackground(d *indicators.Data, keys []indicators.SeriesKey) {
	s.persisting.Add(1)
	go func() {
		defer s.persisting.Done()
		defer s.mu.Unlock()
		if s.seriesStale {
			return // an earlier write failed; only a replay at start helps
		}
		if err := s.persistSeries(d, keys); err != nil {
			s.seriesStale = true
			s.logger.Load().Warn("cannot store the current state; it is served from memory and will be rebuilt from the history at the next start",
				"err", err)
		}
	}()
}

func (s *Store) persistSeries(d *indicators.Data, keys []indicators.SeriesKey) error {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.beforePersist != nil {
		if err := s.beforePersist(); err != nil {
			return err
		}
	}
	if keys == nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM series_state`); err != nil {
			return err
		}
		keys = make([]indicators.SeriesKey, 0, len(d.Series))
		for k := range d.Series {
			keys = append(keys, k)
		}
	}
	if err := writeSeries(ctx, tx, d, keys, s.loc); err != nil {
		return err
	}
	if err := markSeriesState(ctx, tx, "complete"); err != nil {
		return err
	}
	return tx.Commit()
}

// loadSeries reads every series from its blob.
func (s *Store) loadSeries(ctx context.Context, d *indicators.Data) error {
	rows, err := s.db.QueryContext(ctx, `SELECT indicator, region, data FROM series_state`)
	if err != nil {
		return fmt.Errorf("cannot read the series state: %w", err)
	}
	defer rows.Close()
	dc := newDayCache(s.loc)
	for rows.Next() {
		var k indicators.SeriesKey
		var b sql.RawBytes // decoded before the next row: no copy of ten million observations' bytes
		if err := rows.Scan(&k.Indicator, &k.Region, &b); err != nil {
			return fmt.Errorf("cannot read the series state: %w", err)
		}
		obs, err := decodeSeries(b, dc)
		if err != nil {
			return fmt.Errorf("series %s/%s: %w", k.Indicator, k.Region, err)
		}
		if len(obs) > 0 {
			d.Series[k] = obs
		}
	}
	return rows.Err()
}

// seriesStateComplete reports whether series_state holds the state.
func (s *Store) seriesStateComplete(ctx context.Context) (bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaSeriesState).Scan(&v)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return v == "complete", err
}
