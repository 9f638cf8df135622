-- The schema before observations were stored in chunks (one row each),
-- kept to test the conversion of such a database.
CREATE TABLE IF NOT EXISTS batch (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	sha256      TEXT NOT NULL UNIQUE,
	department  TEXT NOT NULL,
	source      TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	rows        INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS observation (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	batch       INTEGER NOT NULL REFERENCES batch(id) DEFERRABLE INITIALLY DEFERRED,
	indicator   TEXT NOT NULL,
	region      TEXT NOT NULL,
	as_of       TEXT NOT NULL,
	value       REAL NOT NULL,
	raw         TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	department  TEXT NOT NULL,
	source      TEXT NOT NULL,
	line        INTEGER NOT NULL,
	note        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS observation_key ON observation(indicator, region, as_of);
CREATE TABLE IF NOT EXISTS current (
	indicator   TEXT NOT NULL,
	region      TEXT NOT NULL,
	as_of       TEXT NOT NULL,
	value       REAL NOT NULL,
	received_at INTEGER NOT NULL,
	observation INTEGER NOT NULL,
	PRIMARY KEY (indicator, region, as_of)
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
CREATE TRIGGER IF NOT EXISTS observation_no_update BEFORE UPDATE ON observation
	BEGIN SELECT RAISE(ABORT, 'observation history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS observation_no_delete BEFORE DELETE ON observation
	BEGIN SELECT RAISE(ABORT, 'observation history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS target_revision_no_update BEFORE UPDATE ON target_revision
	BEGIN SELECT RAISE(ABORT, 'target history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS target_revision_no_delete BEFORE DELETE ON target_revision
	BEGIN SELECT RAISE(ABORT, 'target history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS batch_no_update BEFORE UPDATE ON batch
	BEGIN SELECT RAISE(ABORT, 'batch history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS batch_no_delete BEFORE DELETE ON batch
	BEGIN SELECT RAISE(ABORT, 'batch history is append-only'); END;
