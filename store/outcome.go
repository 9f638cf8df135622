package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// FileOutcome is what happened to one dropped file: accepted, rejected or
// duplicate, with the report written beside it. Kept so the web page can
// show a clerk why a file was rejected, also after a restart.
type FileOutcome struct {
	ID         int64
	Department string
	Source     string // the file's name as dropped
	Path       string // where it was moved
	Result     string
	Rows       int
	At         time.Time
	Report     string
}

// RecordOutcome appends a file outcome.
func (s *Store) RecordOutcome(ctx context.Context, o FileOutcome) error {
	// After a commit its runs are merged in the background under s.mu
	// (mergeInBackground). Waiting for s.mu wakes as soon as that is
	// done; SQLite's busy handler, which would wait otherwise, sleeps in
	// steps of up to 100 ms (BenchmarkIngest in inbox spent a quarter of
	// its time there).
	s.mu.Lock()
	defer s.mu.Unlock()
	return insertOutcome(ctx, s.db, o)
}

func insertOutcome(ctx context.Context, db execer, o FileOutcome) error {
	_, err := db.ExecContext(ctx, `INSERT INTO file_outcome(department, source, path, result, rows, at, report)
		VALUES(?, ?, ?, ?, ?, ?, ?)`, o.Department, o.Source, o.Path, o.Result, o.Rows, o.At.UnixMilli(), o.Report)
	if err != nil {
		return fmt.Errorf("cannot record outcome of %s: %w", o.Source, err)
	}
	return nil
}

// OutcomeOf returns the outcome committed with a stored file
// (Writer.SetOutcome): the one of its department and name recorded at the
// time it was received. ok is false for a file stored without one (by an
// older version, or by Store.Commit).
func (s *Store) OutcomeOf(ctx context.Context, b BatchInfo) (o FileOutcome, ok bool, err error) {
	var at int64
	err = s.db.QueryRowContext(ctx, `SELECT id, department, source, path, result, rows, at, report FROM file_outcome
		WHERE department = ? AND source = ? AND at = ? ORDER BY id LIMIT 1`, b.Department, b.Source, b.ReceivedAt.UnixMilli()).
		Scan(&o.ID, &o.Department, &o.Source, &o.Path, &o.Result, &o.Rows, &at, &o.Report)
	if err == sql.ErrNoRows {
		return FileOutcome{}, false, nil
	}
	if err != nil {
		return FileOutcome{}, false, fmt.Errorf("cannot read the outcome of %s: %w", b.Source, err)
	}
	o.At = time.UnixMilli(at)
	return o, true, nil
}

// Outcomes returns the latest file outcomes, newest first; department ""
// means all departments.
func (s *Store) Outcomes(ctx context.Context, department string, limit int) ([]FileOutcome, error) {
	q := `SELECT id, department, source, path, result, rows, at, report FROM file_outcome`
	args := []any{}
	if department != "" {
		q += ` WHERE department = ?`
		args = append(args, department)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("cannot read file outcomes: %w", err)
	}
	defer rows.Close()
	var out []FileOutcome
	for rows.Next() {
		var o FileOutcome
		var at int64
		if err := rows.Scan(&o.ID, &o.Department, &o.Source, &o.Path, &o.Result, &o.Rows, &at, &o.Report); err != nil {
			return nil, fmt.Errorf("cannot read file outcomes: %w", err)
		}
		o.At = time.UnixMilli(at)
		out = append(out, o)
	}
	return out, rows.Err()
}
