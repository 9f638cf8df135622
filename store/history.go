package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// History returns every stored report of an indicator, oldest first by
// as_of, then by region and arrival. A report is Superseded when a later
// file reported the same (indicator, region, as_of). Revisions of targets
// are not included.
func (s *Store) History(ctx context.Context, indicator string) ([]HistoryRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.batch, c.data, b.received_at, b.department, b.source
		FROM chunk_indicator ci JOIN observation_chunk c ON c.id = ci.chunk JOIN batch b ON b.id = c.batch
		WHERE ci.indicator = ? ORDER BY c.batch, c.seq`, indicator)
	if err != nil {
		return nil, fmt.Errorf("cannot read history of %s: %w", indicator, err)
	}
	defer rows.Close()
	type key struct {
		region string
		day    int32
	}
	latest := map[key]int64{} // the batch whose report is current
	var out []HistoryRow
	var batches []int64
	dc := newDayCache(s.loc)
	for rows.Next() {
		var batch, recv int64
		var data []byte
		var dept, source string
		if err := rows.Scan(&batch, &data, &recv, &dept, &source); err != nil {
			return nil, fmt.Errorf("cannot read history of %s: %w", indicator, err)
		}
		r, err := newChunkReader(data)
		if err != nil {
			return nil, fmt.Errorf("history of %s, file %d: %w", indicator, batch, err)
		}
		var c chunkRow
		for {
			ok, err := r.next(&c, indicator)
			if err != nil {
				return nil, fmt.Errorf("history of %s, file %d: %w", indicator, batch, err)
			}
			if !ok {
				break
			}
			latest[key{c.Region, c.Day}] = batch
			out = append(out, HistoryRow{Observation: Observation{Indicator: c.Indicator, Region: c.Region,
				AsOf: dc.at(c.Day), Value: c.Value, Raw: c.Raw, ReceivedAt: time.UnixMilli(recv),
				Department: dept, Source: source, Line: c.Line, Note: c.Note}})
			batches = append(batches, batch)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cannot read history of %s: %w", indicator, err)
	}
	for i := range out {
		out[i].Superseded = latest[key{out[i].Region, dayNumber(out[i].AsOf)}] != batches[i]
	}
	// Rows were read in arrival order; a stable sort keeps it within a key.
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].AsOf.Equal(out[j].AsOf) {
			return out[i].AsOf.Before(out[j].AsOf)
		}
		return out[i].Region < out[j].Region
	})
	return out, nil
}

// HistoryRow is a stored observation and whether a later report for the
// same (indicator, region, as_of) superseded it.
type HistoryRow struct {
	Observation
	Superseded bool
}

// BatchInfo describes one stored file.
type BatchInfo struct {
	ID         int64
	SHA256     string
	Department string
	Source     string
	ReceivedAt time.Time
	Kind       string
	Rows       int
}

// LookupBatch finds a stored file by its SHA-256; ok is false if none.
func (s *Store) LookupBatch(ctx context.Context, sha string) (BatchInfo, bool, error) {
	var b BatchInfo
	var recv int64
	err := s.db.QueryRowContext(ctx, `SELECT id, sha256, department, source, received_at, kind, rows FROM batch WHERE sha256 = ?`, sha).
		Scan(&b.ID, &b.SHA256, &b.Department, &b.Source, &recv, &b.Kind, &b.Rows)
	if err == sql.ErrNoRows {
		return BatchInfo{}, false, nil
	}
	if err != nil {
		return BatchInfo{}, false, fmt.Errorf("cannot look up file %s: %w", sha, err)
	}
	b.ReceivedAt = time.UnixMilli(recv)
	return b, true, nil
}

// Counts returns the number of stored observations and revisions, for
// logs and tests.
func (s *Store) Counts(ctx context.Context) (observations, revisions int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT COALESCE(sum(rows), 0) FROM observation_chunk), (SELECT count(*) FROM target_revision)`).
		Scan(&observations, &revisions)
	return observations, revisions, err
}
