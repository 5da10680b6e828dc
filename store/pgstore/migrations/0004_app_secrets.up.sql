-- Application-wide vendor secrets (Polar's one-time webhook signature
-- secret), sealed by package oauthflow like tokens: the store keeps the
-- envelope and the id of the key that wrapped it, never plaintext.

CREATE TABLE app_secrets (
	provider   text COLLATE "C" NOT NULL,
	name       text COLLATE "C" NOT NULL,
	key_id     text COLLATE "C" NOT NULL,
	ciphertext bytea NOT NULL,
	updated_at timestamptz NOT NULL,
	PRIMARY KEY (provider, name)
);
CREATE INDEX app_secrets_key_id_idx ON app_secrets (key_id);
