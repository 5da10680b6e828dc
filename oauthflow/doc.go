// Package oauthflow connects users to vendor accounts with OAuth 2.0 and
// keeps their tokens: the authorization code flow with state and PKCE, token
// encryption at rest with key rotation, a token broker that refreshes
// without ever losing a rotated refresh token, and disconnection.
// golang.org/x/oauth2 speaks the wire protocol; this package adds what it
// lacks.
//
// # Authorization
//
// Flow.Begin returns the vendor's authorize URL for a user, provider and
// redirect URI. The redirect URI must be in Config.RedirectURIs (exact
// match). The state parameter is 256 bits from crypto/rand, single use, and
// expires after Config.StateTTL (10 minutes); it is bound to the user,
// provider and redirect URI, and carries the PKCE S256 verifier when the
// vendor accepts PKCE. Pending authorizations live in a
// wearables.AuthStateStore — the database (every wearables.Store), a
// MemoryStateStore, or Redis (package oauthflow/redisstate) — under a hash
// of the state, encrypted with a key derived from the state: whoever reads
// the store learns neither the verifier nor whose authorization it is.
//
// Flow.Complete takes the state (unknown, replayed, expired and
// cross-provider callbacks fail with ErrStateUnknown, ErrStateReplayed,
// ErrStateExpired, ErrStateMismatch before any request is sent to the
// vendor), exchanges the code (HTTP Basic or body client authentication, as
// the provider says), reads the vendor's user id
// (wearables.ProviderUserIDReader), creates or updates the connection and
// stores the token encrypted.
//
// # Tokens at rest
//
// A Keyring holds key-encryption keys that come from configuration
// (ParseKeyring: "id:base64,…", at least 32 bytes each; the package never
// generates or persists a key). Each token is encrypted with AES-256-GCM
// under a fresh data key, which the keyring's primary key wraps; the
// self-describing envelope names its version and key id, and its associated
// data binds it to its connection, so a ciphertext copied to another row
// fails to decrypt. Rotation: make the new key primary (keeping the old one
// as decrypt-only), deploy, run RewrapTokens — resumable, safe beside live
// traffic — then retire the old key. CheckKeys at start-up refuses a
// keyring that lacks a key stored rows reference, and says how many rows.
//
// # Refresh
//
// TokenBroker hands out valid access tokens and refreshes them: one refresh
// per connection at a time across all processes (singleflight in-process,
// the store's token lock across processes, the stored token re-read once the
// lock is held), the rotated refresh token committed before the new access
// token is used, invalid_grant turned into needs_reauth with a *ReauthError,
// network errors and 5xx retried with back-off. See TokenBroker for the
// details and for what a crash in the middle of a refresh leaves behind.
//
// # Secrets
//
// Tokens, codes, verifiers, state parameters and client secrets never
// appear in logs, errors or String output: vendor error descriptions are
// kept with those values redacted (TokenError), and Key, Keyring and Secret
// print no secret material.
package oauthflow
