-- What the syncer persists: sync runs, the webhook inbox and backfill
-- status. River's own tables come from River's migrator, not from here.

CREATE TABLE sync_runs (
	id            text COLLATE "C" PRIMARY KEY,
	connection_id text COLLATE "C" NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	trigger_kind  text NOT NULL,
	started_at    timestamptz NOT NULL,
	finished_at   timestamptz,        -- NULL while running
	types         jsonb NOT NULL,     -- data type → wearables.SyncCounts
	error         text NOT NULL
);
CREATE INDEX sync_runs_connection_idx ON sync_runs (connection_id, id);

CREATE TABLE webhook_inbox (
	id           text COLLATE "C" PRIMARY KEY,
	provider     text COLLATE "C" NOT NULL,
	dedupe_key   text COLLATE "C" NOT NULL,
	body         bytea NOT NULL,
	received_at  timestamptz NOT NULL,
	status       text NOT NULL,
	reason       text NOT NULL,
	processed_at timestamptz,
	UNIQUE (provider, dedupe_key)
);

CREATE TABLE backfills (
	connection_id text COLLATE "C" NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
	data_type     text COLLATE "C" NOT NULL,
	state         text NOT NULL,
	start_at      timestamptz NOT NULL,
	end_at        timestamptz NOT NULL,
	reached_at    timestamptz,        -- NULL before the first chunk
	error         text NOT NULL,
	updated_at    timestamptz NOT NULL,
	PRIMARY KEY (connection_id, data_type)
);
