-- The wearables schema for PostgreSQL.
--
-- Instants are timestamptz (microsecond precision, as wearables.TimePrecision);
-- UTC offsets are integer seconds, NULL when unknown (wearables.NoOffset);
-- days are date. Identifiers handed out to callers (users, connections) are
-- text compared byte-wise (COLLATE "C"), so pages ordered by id agree with
-- Go's string order whatever the database's collation. Record tables refer
-- to users by a compact bigint (users.pk). Every per-user row goes away with
-- its user: by ON DELETE CASCADE (record tables through sources), except
-- samples (see below).

CREATE TABLE users (
	id          text COLLATE "C" PRIMARY KEY,
	pk          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	app_id      text COLLATE "C" NOT NULL,
	external_id text COLLATE "C",  -- NULL when empty
	time_zone   text NOT NULL,
	created_at  timestamptz NOT NULL,
	UNIQUE (app_id, external_id)
);
CREATE INDEX users_app_id_idx ON users (app_id, id);

CREATE TABLE connections (
	id               text COLLATE "C" PRIMARY KEY,
	user_id          text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	provider         text COLLATE "C" NOT NULL,
	provider_user_id text COLLATE "C" NOT NULL,
	status           text NOT NULL,
	status_reason    text NOT NULL,
	scopes           text[],  -- NULL for a nil slice
	connected_at     timestamptz NOT NULL,
	last_synced_at   timestamptz,  -- NULL until the first sync
	updated_at       timestamptz NOT NULL,
	UNIQUE (user_id, provider)
);
CREATE INDEX connections_provider_user_idx ON connections (provider, provider_user_id);

CREATE TABLE tokens (
	connection_id text COLLATE "C" PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
	key_id        text COLLATE "C" NOT NULL,
	ciphertext    bytea NOT NULL,
	expires_at    timestamptz,  -- NULL when unknown
	updated_at    timestamptz NOT NULL
);
CREATE INDEX tokens_key_id_idx ON tokens (key_id);

CREATE TABLE cursors (
	connection_id text COLLATE "C" NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	data_type     text COLLATE "C" NOT NULL,
	value         text NOT NULL,
	updated_at    timestamptz NOT NULL,
	PRIMARY KEY (connection_id, data_type)
);

CREATE TABLE sources (
	id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- wearables.Source.ID in decimal
	user_pk          bigint NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	provider         text COLLATE "C" NOT NULL,
	device_model     text COLLATE "C" NOT NULL,
	device_type      text COLLATE "C" NOT NULL,
	app              text COLLATE "C" NOT NULL,
	recording_method text COLLATE "C" NOT NULL,
	UNIQUE (user_pk, provider, device_model, device_type, app, recording_method)
);

-- The primary key is both the upsert key (the source determines the user)
-- and the index of the query "one user, some types, a range of starts",
-- which it returns in (start, type, source) order for a single type. It is
-- the only index. Measured with 4,000,000 rows of 4 users (PostgreSQL 15),
-- inserting them and the table + index size:
--   this key                                                 12.4 s  596 MB
--   key (source, type, start) + index (user, type, start)    13.9 s  788 MB
--   identity key + unique (user, type, start, source)        18.5 s  712 MB
-- while reading one user's day of 1 Hz heart rate took the same 27 ms.
--
-- Samples have no foreign keys: a per-row foreign-key check more than
-- doubles the cost of inserting them (measured: 1,000,000 rows in 2.3 s
-- without, 5.2 s with a key to users). Instead WriteBatch locks the user row
-- (FOR KEY SHARE) and resolves sources in the same transaction, and
-- DeleteUser deletes the user's samples before the user.
CREATE TABLE samples (
	user_pk     bigint NOT NULL,
	series_type smallint NOT NULL,
	start_time  timestamptz NOT NULL,
	source_id   bigint NOT NULL,
	end_time    timestamptz,  -- NULL for an instant sample
	utc_offset  integer,
	value       double precision NOT NULL,
	PRIMARY KEY (user_pk, series_type, start_time, source_id)
);

-- Event tables keep their key and query columns next to the canonical
-- document of the record (batchprep.Encode*), which is also what "unchanged"
-- compares. The document is text, not jsonb: jsonb is slower to write and
-- read, larger, and rejects \u0000, which encoding/json emits for a NUL in a
-- string.
CREATE TABLE workouts (
	source_id          bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	provider_record_id text COLLATE "C" NOT NULL,
	user_pk            bigint NOT NULL,  -- the source's user
	start_time         timestamptz NOT NULL,
	end_time           timestamptz NOT NULL,
	version            bigint NOT NULL,
	doc                text NOT NULL,
	PRIMARY KEY (source_id, provider_record_id)
);
CREATE INDEX workouts_user_start_idx ON workouts (user_pk, start_time, source_id, provider_record_id);

CREATE TABLE sleep (
	source_id          bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	provider_record_id text COLLATE "C" NOT NULL,
	user_pk            bigint NOT NULL,  -- the source's user
	start_time         timestamptz NOT NULL,
	end_time           timestamptz NOT NULL,
	version            bigint NOT NULL,
	doc                text NOT NULL,
	PRIMARY KEY (source_id, provider_record_id)
);
CREATE INDEX sleep_user_start_idx ON sleep (user_pk, start_time, source_id, provider_record_id);

CREATE TABLE daily_summaries (
	source_id  bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	kind       text COLLATE "C" NOT NULL,
	day        date NOT NULL,
	user_pk    bigint NOT NULL,  -- the source's user
	utc_offset integer,
	version    bigint NOT NULL,
	doc        text NOT NULL,  -- the values: batchprep.EncodeSummaryValues
	PRIMARY KEY (source_id, kind, day)
);
CREATE INDEX daily_summaries_user_day_idx ON daily_summaries (user_pk, day, kind, source_id);

-- The natural key is (source, kind, provider record id); the primary key
-- puts the record id before the kind so deletes by record id use it.
CREATE TABLE scores (
	source_id          bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	provider_record_id text COLLATE "C" NOT NULL,
	kind               text COLLATE "C" NOT NULL,
	user_pk            bigint NOT NULL,  -- the source's user
	day                date NOT NULL,
	version            bigint NOT NULL,
	doc                text NOT NULL,
	PRIMARY KEY (source_id, provider_record_id, kind)
);
CREATE INDEX scores_user_day_idx ON scores (user_pk, day, kind, source_id, provider_record_id);

CREATE TABLE source_priorities (
	user_pk      bigint NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
	position     integer NOT NULL,
	data_type    text COLLATE "C" NOT NULL,
	providers    text[] NOT NULL,
	device_types text[] NOT NULL,
	PRIMARY KEY (user_pk, position),
	UNIQUE (user_pk, data_type)
);

CREATE TABLE auth_states (
	key        text COLLATE "C" PRIMARY KEY,
	data       bytea NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX auth_states_expires_at_idx ON auth_states (expires_at);
