package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// migrate brings an older database up to date, once, at open:
//   - a database that kept observations a row each (tables observation
//     and current) gets them rewritten as chunks, file by file in their
//     original order, and the old tables dropped, in one transaction;
//   - when series_state is not marked complete (a new database, one just
//     converted, or one an older version left between a commit and its
//     state write), the state is replayed from the history and returned;
//     load writes its blobs before it serves it.
func (s *Store) migrate(ctx context.Context) (map[indicators.SeriesKey][]indicators.Observation, error) {
	var legacy int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'observation'`).Scan(&legacy); err != nil {
		return nil, fmt.Errorf("cannot read the database's schema: %w", err)
	}
	if legacy > 0 && s.reader {
		return nil, fmt.Errorf("the database still has the old row-per-observation history: start the exporter once to convert it, then run this again")
	}
	if legacy > 0 {
		if err := s.convertRowHistory(ctx); err != nil {
			return nil, fmt.Errorf("cannot convert the observation history to chunks (the database is unchanged): %w", err)
		}
	}
	complete, err := s.seriesStateComplete(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot read the database's metadata: %w", err)
	}
	if complete {
		return nil, nil
	}
	series, err := s.replay(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("cannot rebuild the current state from the history: %w", err)
	}
	return series, nil
}

// convertRowHistory rewrites the row-per-observation history as chunks.
func (s *Store) convertRowHistory(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	enc := newChunkEncoder()
	var batch int64 = -1
	seq := 0
	flush := func() error {
		if enc.rows == 0 {
			return nil
		}
		if err := writeChunk(ctx, tx, batch, seq, enc); err != nil {
			return err
		}
		seq++
		enc.reset()
		return nil
	}
	// Page by id so the old table is never held in memory.
	var after int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, batch, indicator, region, as_of, value, raw, line, note
			FROM observation WHERE id > ? ORDER BY id LIMIT ?`, after, chunkRows)
		if err != nil {
			return err
		}
		var page []legacyRow
		for rows.Next() {
			var p legacyRow
			if err := rows.Scan(&after, &p.batch, &p.ind, &p.reg, &p.asOf, &p.value, &p.raw, &p.line, &p.note); err != nil {
				rows.Close()
				return err
			}
			page = append(page, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			if p.batch != batch || enc.full() {
				if err := flush(); err != nil {
					return err
				}
				if p.batch != batch {
					batch, seq = p.batch, 0
				}
			}
			day, err := time.Parse(dateLayout, p.asOf)
			if err != nil {
				return fmt.Errorf("bad date %q in the history: %w", p.asOf, err)
			}
			enc.add(p.ind, p.reg, dayNumber(day), p.value, p.line, p.raw, p.note)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE current; DROP TABLE observation; DELETE FROM meta WHERE key = ?`, metaSeriesState); err != nil {
		return err
	}
	return tx.Commit()
}

// legacyRow is a row of the old observation table.
type legacyRow struct {
	batch          int64
	ind, reg, asOf string
	value          float64
	raw, note      string
	line           int
}

// replayObs is one history row while the state is rebuilt.
type replayObs struct {
	day   int32
	value float64
	recv  int64
}

// replay computes the current state from the history alone: for every
// (indicator, region, date) the report of the latest file.
func (s *Store) replay(ctx context.Context, q queryer) (map[indicators.SeriesKey][]indicators.Observation, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.batch, c.data, b.received_at FROM observation_chunk c JOIN batch b ON b.id = c.batch
		ORDER BY c.batch, c.seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type series struct {
		key  indicators.SeriesKey
		rows []replayObs
	}
	var all []series
	index := map[indicators.SeriesKey]int{}
	for rows.Next() {
		var batch, recv int64
		var data []byte
		if err := rows.Scan(&batch, &data, &recv); err != nil {
			return nil, err
		}
		r, err := newChunkReader(data)
		if err != nil {
			return nil, fmt.Errorf("file %d: %w", batch, err)
		}
		r.noText = true
		// A chunk numbers its indicators and regions: the series of a
		// (indicator, region) pair is looked up once per chunk.
		slot := make([]int, len(r.inds)*len(r.regs))
		var c chunkRow
		for {
			ok, err := r.next(&c, "")
			if err != nil {
				return nil, fmt.Errorf("file %d: %w", batch, err)
			}
			if !ok {
				break
			}
			sl := &slot[c.IndIndex*len(r.regs)+c.RegIndex]
			if *sl == 0 {
				k := indicators.SeriesKey{Indicator: c.Indicator, Region: c.Region}
				i, ok := index[k]
				if !ok {
					i = len(all)
					index[k] = i
					all = append(all, series{key: k})
				}
				*sl = i + 1
			}
			a := &all[*sl-1]
			a.rows = append(a.rows, replayObs{day: c.Day, value: c.Value, recv: recv})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	dc := newDayCache(s.loc)
	out := make(map[indicators.SeriesKey][]indicators.Observation, len(all))
	for _, a := range all {
		k, rs := a.key, a.rows
		// Stable: among equal dates the arrival order stays, and the
		// last, the latest file's, wins.
		slices.SortStableFunc(rs, func(x, y replayObs) int { return cmp.Compare(x.day, y.day) })
		obs := make([]indicators.Observation, 0, len(rs))
		for i, r := range rs {
			if i+1 < len(rs) && rs[i+1].day == r.day {
				continue
			}
			obs = append(obs, indicators.Observation{AsOf: dc.unix(r.day), Value: r.value, Received: r.recv})
		}
		out[k] = obs
	}
	return out, nil
}
