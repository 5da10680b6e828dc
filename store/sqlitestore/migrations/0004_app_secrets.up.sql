-- Application-wide vendor secrets (Polar's one-time webhook signature
-- secret), sealed by package oauthflow like tokens: the store keeps the
-- envelope and the id of the key that wrapped it, never plaintext. Instants
-- are Unix microseconds, as in 0001.

CREATE TABLE app_secrets (
	provider   TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	key_id     TEXT    NOT NULL,
	ciphertext BLOB    NOT NULL,
	updated_us INTEGER NOT NULL,
	PRIMARY KEY (provider, name)
);
CREATE INDEX app_secrets_key ON app_secrets (key_id);
