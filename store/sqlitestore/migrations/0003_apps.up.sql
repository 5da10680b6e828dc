-- Developers, their refresh tokens, applications and API keys of the
-- reference server. Secrets are stored only as hashes. Instants are Unix
-- microseconds, as in 0001.

CREATE TABLE developers (
	id            TEXT    PRIMARY KEY,
	email         TEXT    NOT NULL UNIQUE,
	password_hash TEXT    NOT NULL,
	admin         INTEGER NOT NULL,
	created_us    INTEGER NOT NULL
);

CREATE TABLE developer_refresh_tokens (
	hash         TEXT    PRIMARY KEY,
	developer_id TEXT    NOT NULL REFERENCES developers (id) ON DELETE CASCADE,
	expires_us   INTEGER NOT NULL
);
CREATE INDEX developer_refresh_tokens_developer ON developer_refresh_tokens (developer_id);

CREATE TABLE apps (
	id            TEXT    PRIMARY KEY,
	developer_id  TEXT    NOT NULL REFERENCES developers (id),
	name          TEXT    NOT NULL,
	redirect_uris TEXT    NOT NULL, -- JSON array of strings
	created_us    INTEGER NOT NULL
);
CREATE INDEX apps_developer ON apps (developer_id, id);

CREATE TABLE api_keys (
	id         TEXT    PRIMARY KEY,
	app_id     TEXT    NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	prefix     TEXT    NOT NULL,
	hash       TEXT    NOT NULL UNIQUE,
	created_us INTEGER NOT NULL,
	revoked_us INTEGER            -- NULL while valid
);
CREATE INDEX api_keys_app ON api_keys (app_id, id);
