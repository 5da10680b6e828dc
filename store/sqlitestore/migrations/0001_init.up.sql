-- Instants are INTEGER unix microseconds (UTC); UTC offsets are INTEGER
-- seconds, NULL when unknown (wearables.NoOffset); dates are TEXT YYYY-MM-DD.
-- Every per-user row hangs off users with ON DELETE CASCADE.

CREATE TABLE users (
	pk          INTEGER PRIMARY KEY,      -- compact key for the record tables
	id          TEXT    NOT NULL UNIQUE,  -- wearables.User.ID
	app_id      TEXT    NOT NULL,
	external_id TEXT,                     -- NULL when empty
	time_zone   TEXT    NOT NULL,
	created_us  INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_app_external ON users (app_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX users_app ON users (app_id, id);

CREATE TABLE connections (
	id               TEXT    PRIMARY KEY,
	user_id          TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	provider         TEXT    NOT NULL,
	provider_user_id TEXT    NOT NULL,
	status           TEXT    NOT NULL,
	status_reason    TEXT    NOT NULL,
	scopes           TEXT    NOT NULL,  -- JSON array
	connected_us     INTEGER NOT NULL,
	last_synced_us   INTEGER,           -- NULL until the first sync
	updated_us       INTEGER NOT NULL,
	UNIQUE (user_id, provider)
);
CREATE INDEX connections_provider_user ON connections (provider, provider_user_id);

CREATE TABLE tokens (
	connection_id TEXT    PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
	key_id        TEXT    NOT NULL,
	ciphertext    BLOB    NOT NULL,
	expires_us    INTEGER,  -- NULL when unknown
	updated_us    INTEGER NOT NULL
);
CREATE INDEX tokens_key ON tokens (key_id);

CREATE TABLE cursors (
	connection_id TEXT    NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	data_type     TEXT    NOT NULL,
	value         TEXT    NOT NULL,
	updated_us    INTEGER NOT NULL,
	PRIMARY KEY (connection_id, data_type)
) WITHOUT ROWID;

CREATE TABLE sources (
	id               INTEGER PRIMARY KEY,  -- wearables.Source.ID in decimal
	user_pk          INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	provider         TEXT    NOT NULL,
	device_model     TEXT    NOT NULL,
	device_type      TEXT    NOT NULL,
	app              TEXT    NOT NULL,
	recording_method TEXT    NOT NULL,
	UNIQUE (user_pk, provider, device_model, device_type, app, recording_method)
);

-- The primary key serves both the upsert key (source, type, start: the
-- source determines the user) and the query (user, types, start range).
-- No foreign key to sources: it would need a second index on source_id for
-- the cascade; sources are only ever deleted together with their user.
CREATE TABLE samples (
	user_pk     INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	series_type INTEGER NOT NULL,
	start_us    INTEGER NOT NULL,
	source_id   INTEGER NOT NULL,
	end_us      INTEGER,  -- NULL for an instant sample
	utc_offset  INTEGER,
	value       REAL    NOT NULL,
	PRIMARY KEY (user_pk, series_type, start_us, source_id)
) WITHOUT ROWID;

-- Event tables keep the key and query columns plus the canonical document
-- (batchprep.Encode*) of the record, which is also what "unchanged" compares.
CREATE TABLE workouts (
	id                 INTEGER PRIMARY KEY,
	user_pk            INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	source_id          INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	provider_record_id TEXT    NOT NULL,
	start_us           INTEGER NOT NULL,
	end_us             INTEGER NOT NULL,
	version            INTEGER NOT NULL,
	doc                BLOB    NOT NULL,
	UNIQUE (source_id, provider_record_id)
);
CREATE INDEX workouts_user_start ON workouts (user_pk, start_us, source_id, provider_record_id);

CREATE TABLE sleep (
	id                 INTEGER PRIMARY KEY,
	user_pk            INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	source_id          INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	provider_record_id TEXT    NOT NULL,
	start_us           INTEGER NOT NULL,
	end_us             INTEGER NOT NULL,
	version            INTEGER NOT NULL,
	doc                BLOB    NOT NULL,
	UNIQUE (source_id, provider_record_id)
);
CREATE INDEX sleep_user_start ON sleep (user_pk, start_us, source_id, provider_record_id);

CREATE TABLE daily_summaries (
	id         INTEGER PRIMARY KEY,
	user_pk    INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	kind       TEXT    NOT NULL,
	day        TEXT    NOT NULL,
	utc_offset INTEGER,
	version    INTEGER NOT NULL,
	doc        BLOB    NOT NULL,  -- the values, batchprep.EncodeSummaryValues
	UNIQUE (source_id, kind, day)
);
CREATE INDEX daily_summaries_user_day ON daily_summaries (user_pk, day, kind, source_id);

CREATE TABLE scores (
	id                 INTEGER PRIMARY KEY,
	user_pk            INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	source_id          INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	kind               TEXT    NOT NULL,
	provider_record_id TEXT    NOT NULL,
	day                TEXT    NOT NULL,
	version            INTEGER NOT NULL,
	doc                BLOB    NOT NULL,
	UNIQUE (source_id, kind, provider_record_id)
);
CREATE INDEX scores_user_day ON scores (user_pk, day, kind, source_id, provider_record_id);
CREATE INDEX scores_source_record ON scores (source_id, provider_record_id);  -- Batch.Deletes

CREATE TABLE source_priorities (
	user_pk INTEGER PRIMARY KEY REFERENCES users (pk) ON DELETE CASCADE,
	doc     TEXT    NOT NULL  -- JSON array of wearables.SourcePriority, in order
);

CREATE TABLE auth_states (
	key        TEXT    PRIMARY KEY,
	data       BLOB    NOT NULL,
	expires_us INTEGER NOT NULL
);
CREATE INDEX auth_states_expires ON auth_states (expires_us);
