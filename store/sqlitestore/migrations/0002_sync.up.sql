-- What the syncer persists: sync runs, the webhook inbox and backfill
-- status. River's own tables come from River's migrator, not from here.

CREATE TABLE sync_runs (
	id            TEXT    PRIMARY KEY,
	connection_id TEXT    NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	trigger_kind  TEXT    NOT NULL,
	started_us    INTEGER NOT NULL,
	finished_us   INTEGER,            -- NULL while running
	types         TEXT    NOT NULL,   -- JSON object: data type → wearables.SyncCounts
	error         TEXT    NOT NULL
);
CREATE INDEX sync_runs_connection ON sync_runs (connection_id, id);

CREATE TABLE webhook_inbox (
	id           TEXT    PRIMARY KEY,
	provider     TEXT    NOT NULL,
	dedupe_key   TEXT    NOT NULL,
	body         BLOB    NOT NULL,
	received_us  INTEGER NOT NULL,
	status       TEXT    NOT NULL,
	reason       TEXT    NOT NULL,
	processed_us INTEGER,
	UNIQUE (provider, dedupe_key)
);

CREATE TABLE backfills (
	connection_id TEXT    NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	data_type     TEXT    NOT NULL,
	state         TEXT    NOT NULL,
	start_us      INTEGER NOT NULL,
	end_us        INTEGER NOT NULL,
	reached_us    INTEGER,            -- NULL before the first chunk
	error         TEXT    NOT NULL,
	updated_us    INTEGER NOT NULL,
	PRIMARY KEY (connection_id, data_type)
) WITHOUT ROWID;
