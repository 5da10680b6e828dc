package wearables

import (
	"context"
	"time"
)

// Page sizes for every paginated query.
const (
	// DefaultPageSize is used when a query's Limit is 0.
	DefaultPageSize = 1000
	// MaxPageSize is the largest Limit a store accepts; larger is ErrInvalid.
	MaxPageSize = 100_000
)

// Page is one page of a paginated query. Next is an opaque cursor for the
// following page, empty on the last page. Pages follow a stable order, so
// paging to the end visits every matching row exactly once even while rows
// with other keys are being written.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// UserQuery selects users, ordered by id (creation order).
type UserQuery struct {
	AppID  string // only users of this application; "" = users without an application
	Cursor string
	Limit  int
}

// ConnectionQuery selects connections, ordered by id. Empty fields do not filter.
type ConnectionQuery struct {
	UserID         string
	Provider       ProviderID
	ProviderUserID string
	Status         ConnectionStatus
	Cursor         string
	Limit          int
}

// SampleQuery selects samples of one user whose Start is in [Start, End),
// ordered by (Start, Type, source id), source ids ordered shorter first, then
// bytewise (numeric order for decimal ids).
type SampleQuery struct {
	UserID    string
	Types     []SeriesType // at least one
	Start     time.Time
	End       time.Time
	SourceIDs []string // optional: only these sources
	Cursor    string
	Limit     int
}

// EventQuery selects workouts or sleep sessions of one user whose Start is in
// [Start, End), ordered by (Start, source id, provider record id).
type EventQuery struct {
	UserID string
	Start  time.Time
	End    time.Time
	Cursor string
	Limit  int
}

// DayQuery selects daily summaries or scores of one user whose Date is in
// [From, To] (inclusive), ordered by (Date, kind, source id, record id).
type DayQuery struct {
	UserID string
	From   Date
	To     Date
	Kinds  []string // optional: SummaryKind or ScoreKind values
	Cursor string
	Limit  int
}

// TokenQuery selects stored tokens, ordered by connection id; used to
// re-wrap tokens after a key rotation.
type TokenQuery struct {
	NotKeyID string // only tokens wrapped by another key than this one
	Cursor   string
	Limit    int
}

// TokenUpdate is what a TokenStore.UpdateToken callback decides.
type TokenUpdate struct {
	Token  *EncryptedToken  // when set, replaces the stored token
	Delete bool             // delete the stored token
	Status ConnectionStatus // when set, the connection's new status …
	Reason string           // … and why
}

// SourcePriority orders a user's sources for one data type, for derived views
// (merged series, daily totals): sources of providers listed earlier win;
// among sources of the same provider (or of providers not listed), device
// types listed earlier win.
type SourcePriority struct {
	// DataType is a series type code ("steps"), "sleep", "workouts", or "*"
	// for every data type without an entry of its own.
	DataType    string       `json:"data_type"`
	Providers   []ProviderID `json:"providers"`
	DeviceTypes []DeviceType `json:"device_types,omitempty"`
}

// UserStore keeps users.
type UserStore interface {
	// CreateUser stores u, setting u.ID (when empty) and u.CreatedAt. It
	// returns ErrConflict when AppID+ExternalID or ID is taken, ErrInvalid for
	// an unknown TimeZone.
	CreateUser(ctx context.Context, u *User) error
	// GetUser returns ErrNotFound when there is no such user.
	GetUser(ctx context.Context, id string) (User, error)
	// GetUserByExternalID returns ErrNotFound when there is no such user.
	GetUserByExternalID(ctx context.Context, appID, externalID string) (User, error)
	// UpdateUser changes ExternalID and TimeZone.
	UpdateUser(ctx context.Context, u User) error
	ListUsers(ctx context.Context, q UserQuery) (Page[User], error)
	// DeleteUser removes the user and every row that belongs to it:
	// connections, tokens, cursors, sources, records, priorities. ErrNotFound
	// when there is no such user.
	DeleteUser(ctx context.Context, id string) error
}

// ConnectionStore keeps connections.
type ConnectionStore interface {
	// CreateConnection stores c, setting ID (when empty), ConnectedAt (when
	// zero) and UpdatedAt. ErrNotFound when the user does not exist;
	// ErrConflict when the user already has a connection to c.Provider.
	CreateConnection(ctx context.Context, c *Connection) error
	GetConnection(ctx context.Context, id string) (Connection, error)
	// UpdateConnection replaces ProviderUserID, Status, StatusReason, Scopes
	// and LastSyncedAt of the stored connection with c's, and sets UpdatedAt.
	UpdateConnection(ctx context.Context, c Connection) error
	// UpdateConnectionTx is UpdateConnection whose change commits together
	// with then (see TxFunc): a queue's first jobs for a connection that
	// becomes active are inserted in the transaction that activates it. An
	// error from then rolls the update back and is returned.
	UpdateConnectionTx(ctx context.Context, c Connection, then TxFunc) error
	// SetConnectionStatus changes only the status and its reason.
	SetConnectionStatus(ctx context.Context, id string, status ConnectionStatus, reason string) error
	ListConnections(ctx context.Context, q ConnectionQuery) (Page[Connection], error)
	// DeleteConnection removes the connection, its token and its cursors.
	// Records stay: they belong to the user.
	DeleteConnection(ctx context.Context, id string) error
}

// CursorStore keeps per-connection, per-data-type sync positions.
type CursorStore interface {
	// GetCursor returns ErrNotFound when no cursor was stored yet.
	GetCursor(ctx context.Context, connectionID string, dataType DataType) (Cursor, error)
	ListCursors(ctx context.Context, connectionID string) ([]Cursor, error)
	// PutCursor stores c, setting UpdatedAt. ErrNotFound when the connection
	// does not exist.
	PutCursor(ctx context.Context, c Cursor) error
}

// TokenStore keeps encrypted OAuth tokens. It never sees plaintext.
type TokenStore interface {
	// PutToken stores t for its connection, replacing any earlier token, and
	// sets UpdatedAt. ErrNotFound when the connection does not exist.
	PutToken(ctx context.Context, t EncryptedToken) error
	// GetToken returns ErrNotFound when the connection has no token.
	GetToken(ctx context.Context, connectionID string) (EncryptedToken, error)
	DeleteToken(ctx context.Context, connectionID string) error
	// UpdateToken calls fn with the stored token while holding a lock that
	// excludes every other UpdateToken of the same connection — in this
	// process and in every other process sharing the database — and applies
	// the update fn returns before releasing it. When fn returns an error,
	// nothing is written and the error is returned. ErrNotFound (fn not
	// called) when the connection has no token.
	UpdateToken(ctx context.Context, connectionID string, fn func(ctx context.Context, current EncryptedToken) (TokenUpdate, error)) error
	ListTokens(ctx context.Context, q TokenQuery) (Page[EncryptedToken], error)
	// CountTokensByKey returns how many stored tokens each key id wraps.
	CountTokensByKey(ctx context.Context) (map[string]int, error)
}

// RecordWriter writes records.
type RecordWriter interface {
	// WriteBatch upserts every record of b on its natural key and applies
	// its deletes and cursor, all in one transaction. A record whose stored
	// twin is identical, or has a higher Version, is left unchanged. An
	// invalid batch (see Batch.Validate) or a batch of a user that does not
	// exist returns an error matching ErrInvalid and writes nothing.
	WriteBatch(ctx context.Context, b *Batch) (WriteResult, error)
}

// RecordReader queries records.
type RecordReader interface {
	QuerySamples(ctx context.Context, q SampleQuery) (Page[Sample], error)
	QueryWorkouts(ctx context.Context, q EventQuery) (Page[Workout], error)
	QuerySleep(ctx context.Context, q EventQuery) (Page[Sleep], error)
	QuerySummaries(ctx context.Context, q DayQuery) (Page[DailySummary], error)
	QueryScores(ctx context.Context, q DayQuery) (Page[Score], error)
	// ListSources returns the data sources of a user (with IDs), ordered by id.
	ListSources(ctx context.Context, userID string) ([]Source, error)
}

// PriorityStore keeps per-user source priorities.
type PriorityStore interface {
	// GetSourcePriorities returns the user's priorities (none is not an error).
	GetSourcePriorities(ctx context.Context, userID string) ([]SourcePriority, error)
	// SetSourcePriorities replaces all of the user's priorities. ErrNotFound
	// when the user does not exist; ErrInvalid for a duplicate DataType or an
	// unknown series code or device type.
	SetSourcePriorities(ctx context.Context, userID string, p []SourcePriority) error
}

// AuthState is a pending OAuth authorization as stored: an opaque,
// already-protected payload (package oauthflow encrypts it) under a lookup key
// derived from the state parameter.
type AuthState struct {
	Key       string    // lookup key (a hash of the state parameter, never the state itself)
	Data      []byte    // opaque payload
	ExpiresAt time.Time // after this instant the state is as good as absent
}

// AuthStateStore keeps pending OAuth authorizations, each usable once.
type AuthStateStore interface {
	// PutAuthState stores s. ErrConflict when the key exists.
	PutAuthState(ctx context.Context, s AuthState) error
	// TakeAuthState atomically removes and returns the state: of two
	// concurrent calls with the same key at most one succeeds. ErrNotFound
	// when the key is absent or expired (an expired state is deleted too).
	TakeAuthState(ctx context.Context, key string) (AuthState, error)
}

// Store is everything the module keeps. Consumers should accept the
// narrowest role interface they use. Implementations (memstore,
// sqlitestore, pgstore) are safe for concurrent use and pass the
// store/storetest suite.
type Store interface {
	UserStore
	ConnectionStore
	CursorStore
	TokenStore
	RecordWriter
	RecordReader
	PriorityStore
	AuthStateStore
	SyncRunStore
	WebhookInboxStore
	BackfillStore
	AppSecretStore
	Close() error
}

// ValidatePriorities checks a user's priority list: known DataType ("*",
// "sleep", "workouts" or a series code), no duplicate DataType, non-empty
// providers and known device types. Stores call it in SetSourcePriorities.
func ValidatePriorities(ps []SourcePriority) error {
	seen := make(map[string]bool, len(ps))
	for i, p := range ps {
		switch p.DataType {
		case "*", "sleep", "workouts":
		default:
			if _, err := ParseSeriesType(p.DataType); err != nil {
				return &ValidationError{Index: i, Field: "DataType", Reason: "unknown data type " + p.DataType}
			}
		}
		if seen[p.DataType] {
			return &ValidationError{Index: i, Field: "DataType", Reason: "duplicate data type " + p.DataType}
		}
		seen[p.DataType] = true
		for _, pr := range p.Providers {
			if pr == "" {
				return &ValidationError{Index: i, Field: "Providers", Reason: "empty provider"}
			}
		}
		for _, d := range p.DeviceTypes {
			if d == "" || !d.Valid() {
				return &ValidationError{Index: i, Field: "DeviceTypes", Reason: "unknown device type " + string(d)}
			}
		}
	}
	return nil
}
