package wearables

import (
	"context"
	"time"
)

// Developer is a person who manages applications on the reference server.
// Developers log in with an email address and a password.
type Developer struct {
	ID string `json:"id"`
	// Email is unique (compared after lower-casing; stores keep it as given
	// by the caller, who lower-cases it).
	Email string `json:"email"`
	// PasswordHash is the encoded password hash (bcrypt or argon2id, with
	// its parameters), never the password.
	PasswordHash string    `json:"-"`
	Admin        bool      `json:"admin"`
	CreatedAt    time.Time `json:"created_at"`
}

// RefreshToken is a developer's login session as stored: the hash of an
// opaque, single-use refresh token. Using it deletes it and issues a new one
// (rotation).
type RefreshToken struct {
	Hash        string    // hex SHA-256 of the token, never the token itself
	DeveloperID string    // whose session it is
	ExpiresAt   time.Time // after this instant the token is as good as absent
}

// App is an application (tenant) of the reference server. Its users, their
// connections and data are invisible to every other application.
type App struct {
	ID          string `json:"id"`
	DeveloperID string `json:"developer_id"` // the owner
	Name        string `json:"name"`
	// RedirectURIs are the URLs the OAuth callback may send the end user
	// back to (success and error), compared by exact match.
	RedirectURIs []string  `json:"redirect_uris"`
	CreatedAt    time.Time `json:"created_at"`
}

// APIKey is an application's API key as stored: a hash of the secret and the
// public prefix shown in lists. The key itself is shown once, at creation.
type APIKey struct {
	ID        string    `json:"id"`
	AppID     string    `json:"app_id"`
	Name      string    `json:"name,omitempty"`
	Prefix    string    `json:"prefix"` // the key's first characters, not secret
	Hash      string    `json:"-"`      // hex SHA-256 of the whole key
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"` // zero while the key is valid
}

// Revoked reports whether the key was revoked.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }

// ListQuery pages through developers, applications or API keys, ordered by
// id (creation order). OwnerID filters: the developer of applications, the
// application of API keys; it is ignored for developers.
type ListQuery struct {
	OwnerID string
	Cursor  string
	Limit   int
}

// DeveloperStore keeps developers and their refresh tokens.
type DeveloperStore interface {
	// CreateDeveloper stores d, setting ID (when empty) and CreatedAt.
	// ErrConflict when the email or id is taken; ErrInvalid for an empty
	// email or password hash.
	CreateDeveloper(ctx context.Context, d *Developer) error
	// GetDeveloper returns ErrNotFound when there is no such developer.
	GetDeveloper(ctx context.Context, id string) (Developer, error)
	// GetDeveloperByEmail returns ErrNotFound when there is no such developer.
	GetDeveloperByEmail(ctx context.Context, email string) (Developer, error)
	// ListDevelopers pages through developers by id. Bad cursor or limit → ErrInvalid.
	ListDevelopers(ctx context.Context, q ListQuery) (Page[Developer], error)
	// PutRefreshToken stores t. ErrConflict when the hash exists;
	// ErrNotFound when the developer does not exist.
	PutRefreshToken(ctx context.Context, t RefreshToken) error
	// TakeRefreshToken atomically removes and returns the token: of two
	// concurrent calls with the same hash at most one succeeds. ErrNotFound
	// when it is absent or expired.
	TakeRefreshToken(ctx context.Context, hash string) (RefreshToken, error)
}

// AppStore keeps applications.
type AppStore interface {
	// CreateApp stores a, setting ID (when empty) and CreatedAt. ErrNotFound
	// when the developer does not exist; ErrInvalid for an empty name.
	CreateApp(ctx context.Context, a *App) error
	// GetApp returns ErrNotFound when there is no such application.
	GetApp(ctx context.Context, id string) (App, error)
	// UpdateApp replaces Name and RedirectURIs. ErrNotFound when absent.
	UpdateApp(ctx context.Context, a App) error
	// ListApps pages through applications by id; OwnerID, when set, keeps
	// only that developer's. Bad cursor or limit → ErrInvalid.
	ListApps(ctx context.Context, q ListQuery) (Page[App], error)
}

// APIKeyStore keeps API keys.
type APIKeyStore interface {
	// CreateAPIKey stores k, setting ID (when empty) and CreatedAt.
	// ErrNotFound when the application does not exist; ErrConflict when the
	// hash or id is taken; ErrInvalid for an empty hash or prefix.
	CreateAPIKey(ctx context.Context, k *APIKey) error
	// GetAPIKey returns ErrNotFound when there is no such key.
	GetAPIKey(ctx context.Context, id string) (APIKey, error)
	// GetAPIKeyByHash returns the key with that hash, revoked or not.
	// ErrNotFound when there is none.
	GetAPIKeyByHash(ctx context.Context, hash string) (APIKey, error)
	// ListAPIKeys pages through keys by id, revoked ones included; OwnerID,
	// when set, keeps only that application's. Bad cursor or limit → ErrInvalid.
	ListAPIKeys(ctx context.Context, q ListQuery) (Page[APIKey], error)
	// RevokeAPIKey sets RevokedAt to at unless the key is already revoked
	// (the first revocation stands). ErrNotFound when there is no such key.
	RevokeAPIKey(ctx context.Context, id string, at time.Time) error
}

// TenantStore is what the reference server keeps about its developers,
// applications and API keys. memstore, sqlitestore and pgstore implement it
// next to Store, safe for concurrent use, and pass store/storetest's Apps
// group.
type TenantStore interface {
	DeveloperStore
	AppStore
	APIKeyStore
}
