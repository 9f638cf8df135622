package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// History returns every stored report of an indicator, revisions
// included, oldest first by as_of then by arrival. Superseded reports are
// marked by Superseded.
func (s *Store) History(ctx context.Context, indicator string) ([]HistoryRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.indicator, o.region, o.as_of, o.value, o.raw, o.received_at,
			o.department, o.source, o.line, o.note, c.observation IS NULL
		FROM observation o LEFT JOIN current c
			ON c.indicator = o.indicator AND c.region = o.region AND c.as_of = o.as_of AND c.observation = o.id
		WHERE o.indicator = ? ORDER BY o.as_of, o.region, o.id`, indicator)
	if err != nil {
		return nil, fmt.Errorf("cannot read history of %s: %w", indicator, err)
	}
	defer rows.Close()
	var out []HistoryRow
	for rows.Next() {
		var h HistoryRow
		var asOf string
		var recv int64
		if err := rows.Scan(&h.ID, &h.Indicator, &h.Region, &asOf, &h.Value, &h.Raw, &recv,
			&h.Department, &h.Source, &h.Line, &h.Note, &h.Superseded); err != nil {
			return nil, fmt.Errorf("cannot read history of %s: %w", indicator, err)
		}
		h.AsOf, _ = time.ParseInLocation(dateLayout, asOf, s.loc)
		h.ReceivedAt = time.UnixMilli(recv)
		out = append(out, h)
	}
	return out, rows.Err()
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
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM observation), (SELECT count(*) FROM target_revision)`).
		Scan(&observations, &revisions)
	return observations, revisions, err
}
