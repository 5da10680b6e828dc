-- Developers, their refresh tokens, applications and API keys of the
-- reference server. Secrets are stored only as hashes.

CREATE TABLE developers (
	id            text COLLATE "C" PRIMARY KEY,
	email         text NOT NULL UNIQUE,
	password_hash text NOT NULL,
	admin         boolean NOT NULL,
	created_at    timestamptz NOT NULL
);

CREATE TABLE developer_refresh_tokens (
	hash         text PRIMARY KEY,
	developer_id text COLLATE "C" NOT NULL REFERENCES developers (id) ON DELETE CASCADE,
	expires_at   timestamptz NOT NULL
);
CREATE INDEX developer_refresh_tokens_developer_idx ON developer_refresh_tokens (developer_id);

CREATE TABLE apps (
	id            text COLLATE "C" PRIMARY KEY,
	developer_id  text COLLATE "C" NOT NULL REFERENCES developers (id),
	name          text NOT NULL,
	redirect_uris text[] NOT NULL,
	created_at    timestamptz NOT NULL
);
CREATE INDEX apps_developer_idx ON apps (developer_id, id);

CREATE TABLE api_keys (
	id         text COLLATE "C" PRIMARY KEY,
	app_id     text COLLATE "C" NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
	name       text NOT NULL,
	prefix     text NOT NULL,
	hash       text NOT NULL UNIQUE,
	created_at timestamptz NOT NULL,
	revoked_at timestamptz  -- NULL while valid
);
CREATE INDEX api_keys_app_idx ON api_keys (app_id, id);
