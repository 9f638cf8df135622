package store

// schema is applied at every open; each statement is idempotent.
//
// observation_chunk (with chunk_indicator, which chunks hold an
// indicator) and target_revision are the history: append-only, enforced
// by triggers, so an audit can trust that nothing reported was changed or
// removed. Observations are stored in chunks of a file's rows (see
// chunk.go); the latest file wins for a key (indicator, region, as_of).
// series_state holds each series' effective values as one compact blob,
// so start-up reads one row per series instead of the history; a file's
// values go to series_run in the file's transaction, a sorted run per
// series and fold, and are merged into series_state after the commit
// (compact.go). current_target holds the effective target revision per
// key.
const schema = `
CREATE TABLE IF NOT EXISTS batch (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	sha256      TEXT NOT NULL UNIQUE,
	department  TEXT NOT NULL,
	source      TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	rows        INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS observation_chunk (
	id          INTEGER PRIMARY KEY,
	batch       INTEGER NOT NULL REFERENCES batch(id) DEFERRABLE INITIALLY DEFERRED,
	seq         INTEGER NOT NULL,
	rows        INTEGER NOT NULL,
	data        BLOB NOT NULL,
	UNIQUE (batch, seq)
);
CREATE TABLE IF NOT EXISTS chunk_indicator (
	indicator   TEXT NOT NULL,
	chunk       INTEGER NOT NULL REFERENCES observation_chunk(id) DEFERRABLE INITIALLY DEFERRED,
	PRIMARY KEY (indicator, chunk)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS target_revision (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	batch       INTEGER NOT NULL REFERENCES batch(id) DEFERRABLE INITIALLY DEFERRED,
	indicator   TEXT NOT NULL,
	region      TEXT NOT NULL,
	date        TEXT NOT NULL,
	value       REAL NOT NULL,
	raw         TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	department  TEXT NOT NULL,
	source      TEXT NOT NULL,
	line        INTEGER NOT NULL,
	note        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS current_target (
	indicator   TEXT NOT NULL,
	region      TEXT NOT NULL,
	date        TEXT NOT NULL,
	value       REAL NOT NULL,
	received_at INTEGER NOT NULL,
	PRIMARY KEY (indicator, region, date)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS series_state (
	indicator   TEXT NOT NULL,
	region      TEXT NOT NULL,
	data        BLOB NOT NULL,
	PRIMARY KEY (indicator, region)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS series_run (
	id          INTEGER PRIMARY KEY,
	batch       INTEGER NOT NULL,
	fold        INTEGER NOT NULL,
	indicator   TEXT NOT NULL,
	region      TEXT NOT NULL,
	data        BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS series_run_fold ON series_run(batch, fold);
CREATE TABLE IF NOT EXISTS meta (
	key         TEXT PRIMARY KEY,
	value       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS file_outcome (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	department  TEXT NOT NULL,
	source      TEXT NOT NULL,
	path        TEXT NOT NULL,
	result      TEXT NOT NULL,
	rows        INTEGER NOT NULL,
	at          INTEGER NOT NULL,
	report      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS file_outcome_dept ON file_outcome(department, id);
CREATE TRIGGER IF NOT EXISTS observation_chunk_no_update BEFORE UPDATE ON observation_chunk
	BEGIN SELECT RAISE(ABORT, 'observation history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS observation_chunk_no_delete BEFORE DELETE ON observation_chunk
	BEGIN SELECT RAISE(ABORT, 'observation history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS chunk_indicator_no_update BEFORE UPDATE ON chunk_indicator
	BEGIN SELECT RAISE(ABORT, 'observation history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS chunk_indicator_no_delete BEFORE DELETE ON chunk_indicator
	BEGIN SELECT RAISE(ABORT, 'observation history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS target_revision_no_update BEFORE UPDATE ON target_revision
	BEGIN SELECT RAISE(ABORT, 'target history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS target_revision_no_delete BEFORE DELETE ON target_revision
	BEGIN SELECT RAISE(ABORT, 'target history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS batch_no_update BEFORE UPDATE ON batch
	BEGIN SELECT RAISE(ABORT, 'batch history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS batch_no_delete BEFORE DELETE ON batch
	BEGIN SELECT RAISE(ABORT, 'batch history is append-only'); END;
`
