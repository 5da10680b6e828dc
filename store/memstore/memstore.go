// Package memstore is an in-memory wearables.Store, for tests, examples and
// short-lived tools. It keeps everything in maps behind one sync.RWMutex and
// forgets it all when the process ends.
//
// It implements the same semantics as the durable stores (sqlitestore,
// pgstore) and passes the same store/storetest suite: batches are prepared by
// the shared batchprep package (validation, microsecond UTC instants,
// normalized sources, later-wins collapsing), records are upserted on their
// natural keys with the same unchanged detection (batchprep's canonical
// documents), and pages use the same opaque cursors. Every value handed in is
// copied on write and every value handed out is a fresh copy, so callers may
// mutate both freely.
//
// A Store is safe for concurrent use. UpdateToken excludes other UpdateToken
// calls of the same connection with a per-connection lock and runs its
// callback without holding the store-wide lock, so a slow token refresh
// blocks nothing else. Being in-memory, that exclusion spans one process only.
package memstore

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/batchprep"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

// Store is an in-memory wearables.Store. The zero value is not usable; call
// New. A Store is safe for concurrent use.
type Store struct {
	mu          sync.RWMutex
	users       map[string]wearables.User
	externalIDs map[appExternalID]string // (AppID, ExternalID) → user id
	connections map[string]wearables.Connection
	tokens      map[string]wearables.EncryptedToken
	cursors     map[string]map[wearables.DataType]wearables.Cursor // connection id → data type → cursor
	authStates  map[string]wearables.AuthState
	priorities  map[string][]wearables.SourcePriority
	records     map[string]*userRecords // user id → records

	lockMu     sync.Mutex
	tokenLocks map[string]chan struct{} // connection id → a one-slot semaphore

	sync    syncState    // sync runs, webhook inbox, backfills (sync.go)
	apps    appsState    // developers, applications, API keys (apps.go)
	secrets secretsState // application-wide vendor secrets (secrets.go)
}

type appExternalID struct{ app, external string }

// userRecords holds one user's sources and records. Samples are kept as
// values (they hold no references); events, summaries and scores are kept
// as batchprep documents, which serve both unchanged detection and copying
// on read.
type userRecords struct {
	sources     map[string]wearables.Source // Source.Key() → source with ID
	sourcesByID map[string]wearables.Source
	samples     map[sampleKey]wearables.Sample
	workouts    map[eventKey]storedEvent
	sleep       map[eventKey]storedEvent
	summaries   map[summaryKey]storedSummary
	scores      map[scoreKey]storedScore
}

type (
	sampleKey struct {
		source string // source id
		typ    wearables.SeriesType
		start  int64 // unix microseconds
	}
	eventKey struct {
		source string
		id     string // provider record id
	}
	summaryKey struct {
		source string
		kind   wearables.SummaryKind
		date   wearables.Date
	}
	scoreKey struct {
		source string
		kind   wearables.ScoreKind
		id     string
	}
	storedEvent struct {
		start   time.Time
		version int64
		doc     []byte
	}
	storedSummary struct {
		offset  wearables.Offset
		version int64
		values  []byte
	}
	storedScore struct {
		date    wearables.Date
		version int64
		doc     []byte
	}
)

// New returns an empty store.
func New() *Store {
	return &Store{
		users:       map[string]wearables.User{},
		externalIDs: map[appExternalID]string{},
		connections: map[string]wearables.Connection{},
		tokens:      map[string]wearables.EncryptedToken{},
		cursors:     map[string]map[wearables.DataType]wearables.Cursor{},
		authStates:  map[string]wearables.AuthState{},
		priorities:  map[string][]wearables.SourcePriority{},
		records:     map[string]*userRecords{},
		tokenLocks:  map[string]chan struct{}{},
	}
}

// Close does nothing and returns nil; the store stays usable. It exists to
// satisfy wearables.Store.
func (s *Store) Close() error { return nil }

// now is the store's clock: UTC at the stores' precision.
func now() time.Time { return time.Now().UTC().Truncate(wearables.TimePrecision) }

func notFound(op, what, id string) error {
	return fmt.Errorf("memstore: %s: %s %q: %w", op, what, id, wearables.ErrNotFound)
}

func conflict(op, format string, args ...any) error {
	return fmt.Errorf("memstore: %s: %s: %w", op, fmt.Sprintf(format, args...), wearables.ErrConflict)
}

func invalid(op, field, format string, args ...any) error {
	return fmt.Errorf("memstore: %s: %w", op, &wearables.ValidationError{Index: -1, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// ---------------------------------------------------------------------------
// Users

// CreateUser stores u, setting u.ID (a new wearables.NewID when empty) and
// u.CreatedAt. It returns an error matching wearables.ErrConflict when the ID
// or the (AppID, ExternalID) pair is taken, and wearables.ErrInvalid for an
// invalid user (see wearables.User.Validate).
func (s *Store) CreateUser(_ context.Context, u *wearables.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("memstore: create user: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ID != "" {
		if _, ok := s.users[u.ID]; ok {
			return conflict("create user", "id %q is taken", u.ID)
		}
	}
	ext := appExternalID{u.AppID, u.ExternalID}
	if u.ExternalID != "" {
		if _, ok := s.externalIDs[ext]; ok {
			return conflict("create user", "external id %q of app %q is taken", u.ExternalID, u.AppID)
		}
	}
	if u.ID == "" {
		u.ID = wearables.NewID()
	}
	u.CreatedAt = now()
	s.users[u.ID] = *u
	if u.ExternalID != "" {
		s.externalIDs[ext] = u.ID
	}
	return nil
}

// GetUser returns the user with the given id, or an error matching
// wearables.ErrNotFound.
func (s *Store) GetUser(_ context.Context, id string) (wearables.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users[id]
	if !ok {
		return wearables.User{}, notFound("get user", "user", id)
	}
	return u, nil
}

// GetUserByExternalID returns the user of appID with the given external id,
// or an error matching wearables.ErrNotFound.
func (s *Store) GetUserByExternalID(_ context.Context, appID, externalID string) (wearables.User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok := s.externalIDs[appExternalID{appID, externalID}]
	if !ok || externalID == "" {
		return wearables.User{}, notFound("get user", "external id", externalID)
	}
	return s.users[id], nil
}

// UpdateUser changes the ExternalID and TimeZone of the stored user u.ID.
// Errors match wearables.ErrNotFound (no such user), wearables.ErrConflict
// (the external id is taken in the user's app) or wearables.ErrInvalid.
func (s *Store) UpdateUser(_ context.Context, u wearables.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("memstore: update user: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.users[u.ID]
	if !ok {
		return notFound("update user", "user", u.ID)
	}
	oldExt := appExternalID{cur.AppID, cur.ExternalID}
	newExt := appExternalID{cur.AppID, u.ExternalID}
	if u.ExternalID != "" {
		if owner, ok := s.externalIDs[newExt]; ok && owner != u.ID {
			return conflict("update user", "external id %q of app %q is taken", u.ExternalID, cur.AppID)
		}
	}
	if cur.ExternalID != "" {
		delete(s.externalIDs, oldExt)
	}
	if u.ExternalID != "" {
		s.externalIDs[newExt] = u.ID
	}
	cur.ExternalID, cur.TimeZone = u.ExternalID, u.TimeZone
	s.users[u.ID] = cur
	return nil
}

// ListUsers returns a page of the users of q.AppID, ordered by id. A bad
// cursor or limit is an error matching wearables.ErrInvalid.
func (s *Store) ListUsers(_ context.Context, q wearables.UserQuery) (wearables.Page[wearables.User], error) {
	limit, after, err := idPage("list users", q.Limit, q.Cursor)
	if err != nil {
		return wearables.Page[wearables.User]{}, err
	}
	s.mu.RLock()
	var rows []wearables.User
	for _, u := range s.users {
		if u.AppID == q.AppID && (after == nil || u.ID > *after) {
			rows = append(rows, u)
		}
	}
	s.mu.RUnlock()
	return pageByID(rows, limit, func(u wearables.User) string { return u.ID }), nil
}

// DeleteUser removes the user and everything that belongs to it:
// connections with their tokens and cursors, sources, records and
// priorities. It returns an error matching wearables.ErrNotFound when there
// is no such user.
func (s *Store) DeleteUser(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return notFound("delete user", "user", id)
	}
	if u.ExternalID != "" {
		delete(s.externalIDs, appExternalID{u.AppID, u.ExternalID})
	}
	for cid, c := range s.connections {
		if c.UserID == id {
			s.deleteConnectionLocked(cid)
		}
	}
	delete(s.users, id)
	delete(s.records, id)
	delete(s.priorities, id)
	return nil
}

// ---------------------------------------------------------------------------
// Connections and cursors

// CreateConnection stores c, setting c.ID (when empty), c.ConnectedAt (when
// zero) and c.UpdatedAt. Errors match wearables.ErrInvalid (see
// wearables.Connection.Validate), wearables.ErrNotFound (no such user) or
// wearables.ErrConflict (the user already has a connection to c.Provider, or
// the ID is taken).
func (s *Store) CreateConnection(_ context.Context, c *wearables.Connection) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("memstore: create connection: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[c.UserID]; !ok {
		return notFound("create connection", "user", c.UserID)
	}
	if c.ID != "" {
		if _, ok := s.connections[c.ID]; ok {
			return conflict("create connection", "id %q is taken", c.ID)
		}
	}
	for _, other := range s.connections {
		if other.UserID == c.UserID && other.Provider == c.Provider {
			return conflict("create connection", "user %q is already connected to %s", c.UserID, c.Provider)
		}
	}
	if c.ID == "" {
		c.ID = wearables.NewID()
	}
	t := now()
	if c.ConnectedAt.IsZero() {
		c.ConnectedAt = t
	}
	c.ConnectedAt, c.LastSyncedAt, c.UpdatedAt = batchprep.T(c.ConnectedAt), batchprep.T(c.LastSyncedAt), t
	stored := *c
	stored.Scopes = slices.Clone(c.Scopes)
	s.connections[c.ID] = stored
	return nil
}

// GetConnection returns the connection with the given id, or an error
// matching wearables.ErrNotFound.
func (s *Store) GetConnection(_ context.Context, id string) (wearables.Connection, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.connections[id]
	if !ok {
		return wearables.Connection{}, notFound("get connection", "connection", id)
	}
	return copyConnection(c), nil
}

// UpdateConnection replaces ProviderUserID, Status, StatusReason, Scopes and
// LastSyncedAt of the stored connection c.ID and sets its UpdatedAt. Errors
// match wearables.ErrNotFound or wearables.ErrInvalid (unknown status).
func (s *Store) UpdateConnection(ctx context.Context, c wearables.Connection) error {
	return s.UpdateConnectionTx(ctx, c, nil)
}

// UpdateConnectionTx is UpdateConnection that first runs then (with a nil
// tx) under the store's lock; an error from then leaves the connection
// unchanged.
func (s *Store) UpdateConnectionTx(ctx context.Context, c wearables.Connection, then wearables.TxFunc) error {
	if !c.Status.Valid() {
		return invalid("update connection", "Status", "unknown status %q", c.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.connections[c.ID]
	if !ok {
		return notFound("update connection", "connection", c.ID)
	}
	if then != nil {
		if err := then(ctx, nil); err != nil {
			return err
		}
	}
	cur.ProviderUserID, cur.Status, cur.StatusReason = c.ProviderUserID, c.Status, c.StatusReason
	cur.Scopes = slices.Clone(c.Scopes)
	cur.LastSyncedAt = batchprep.T(c.LastSyncedAt)
	cur.UpdatedAt = now()
	s.connections[c.ID] = cur
	return nil
}

// SetConnectionStatus changes the status and status reason of a connection.
// Errors match wearables.ErrNotFound or wearables.ErrInvalid (unknown status).
func (s *Store) SetConnectionStatus(_ context.Context, id string, status wearables.ConnectionStatus, reason string) error {
	if !status.Valid() {
		return invalid("set connection status", "Status", "unknown status %q", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.connections[id]
	if !ok {
		return notFound("set connection status", "connection", id)
	}
	c.Status, c.StatusReason, c.UpdatedAt = status, reason, now()
	s.connections[id] = c
	return nil
}

// ListConnections returns a page of the connections matching q, ordered by
// id. A bad cursor or limit is an error matching wearables.ErrInvalid.
func (s *Store) ListConnections(_ context.Context, q wearables.ConnectionQuery) (wearables.Page[wearables.Connection], error) {
	limit, after, err := idPage("list connections", q.Limit, q.Cursor)
	if err != nil {
		return wearables.Page[wearables.Connection]{}, err
	}
	s.mu.RLock()
	var rows []wearables.Connection
	for _, c := range s.connections {
		switch {
		case q.UserID != "" && c.UserID != q.UserID,
			q.Provider != "" && c.Provider != q.Provider,
			q.ProviderUserID != "" && c.ProviderUserID != q.ProviderUserID,
			q.Status != "" && c.Status != q.Status,
			after != nil && c.ID <= *after:
			continue
		}
		rows = append(rows, copyConnection(c))
	}
	s.mu.RUnlock()
	return pageByID(rows, limit, func(c wearables.Connection) string { return c.ID }), nil
}

// DeleteConnection removes a connection with its token and cursors; the
// user's records stay. It returns an error matching wearables.ErrNotFound
// when there is no such connection.
func (s *Store) DeleteConnection(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.connections[id]; !ok {
		return notFound("delete connection", "connection", id)
	}
	s.deleteConnectionLocked(id)
	return nil
}

func (s *Store) deleteConnectionLocked(id string) {
	delete(s.connections, id)
	delete(s.tokens, id)
	delete(s.cursors, id)
}

// GetCursor returns a connection's cursor for one data type, or an error
// matching wearables.ErrNotFound when none was stored.
func (s *Store) GetCursor(_ context.Context, connectionID string, dataType wearables.DataType) (wearables.Cursor, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cursors[connectionID][dataType]
	if !ok {
		return wearables.Cursor{}, notFound("get cursor", "cursor", connectionID+"/"+string(dataType))
	}
	return c, nil
}

// ListCursors returns the cursors of a connection, ordered by data type.
func (s *Store) ListCursors(_ context.Context, connectionID string) ([]wearables.Cursor, error) {
	s.mu.RLock()
	out := make([]wearables.Cursor, 0, len(s.cursors[connectionID]))
	for _, c := range s.cursors[connectionID] {
		out = append(out, c)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b wearables.Cursor) int { return strings.Compare(string(a.DataType), string(b.DataType)) })
	return out, nil
}

// PutCursor stores c, replacing the connection's earlier cursor of the same
// data type, and sets its UpdatedAt. Errors match wearables.ErrNotFound (no
// such connection) or wearables.ErrInvalid (no data type).
func (s *Store) PutCursor(_ context.Context, c wearables.Cursor) error {
	if c.DataType == "" {
		return invalid("put cursor", "DataType", "data type is empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.connections[c.ConnectionID]; !ok {
		return notFound("put cursor", "connection", c.ConnectionID)
	}
	s.putCursorLocked(c)
	return nil
}

func (s *Store) putCursorLocked(c wearables.Cursor) {
	c.UpdatedAt = now()
	m := s.cursors[c.ConnectionID]
	if m == nil {
		m = map[wearables.DataType]wearables.Cursor{}
		s.cursors[c.ConnectionID] = m
	}
	m[c.DataType] = c
}

// ---------------------------------------------------------------------------
// Tokens

// PutToken stores t for its connection, replacing any earlier token, and
// sets its UpdatedAt. It returns an error matching wearables.ErrNotFound when
// the connection does not exist.
func (s *Store) PutToken(_ context.Context, t wearables.EncryptedToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.connections[t.ConnectionID]; !ok {
		return notFound("put token", "connection", t.ConnectionID)
	}
	s.putTokenLocked(t)
	return nil
}

func (s *Store) putTokenLocked(t wearables.EncryptedToken) {
	t.Ciphertext = bytes.Clone(t.Ciphertext)
	t.ExpiresAt = batchprep.T(t.ExpiresAt)
	t.UpdatedAt = now()
	s.tokens[t.ConnectionID] = t
}

// GetToken returns a connection's token, or an error matching
// wearables.ErrNotFound when it has none.
func (s *Store) GetToken(_ context.Context, connectionID string) (wearables.EncryptedToken, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, ok := s.tokens[connectionID]
	if !ok {
		return wearables.EncryptedToken{}, notFound("get token", "token of connection", connectionID)
	}
	return copyToken(t), nil
}

// DeleteToken removes a connection's token; deleting an absent token is not
// an error.
func (s *Store) DeleteToken(_ context.Context, connectionID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, connectionID)
	return nil
}

// UpdateToken calls fn with a copy of the connection's stored token while
// holding the connection's token lock, which excludes every other
// UpdateToken of the same connection in this process (an in-memory store has
// no other processes), and applies the update fn returns before releasing
// it. The store-wide lock is not held while fn runs, so fn may do network
// I/O. When fn returns an error nothing is written and the error is returned
// wrapped. It returns an error matching wearables.ErrNotFound (fn not
// called) when the connection has no token, wearables.ErrInvalid when fn
// asks for an unknown status, and ctx's error when ctx ends while waiting
// for the lock.
func (s *Store) UpdateToken(ctx context.Context, connectionID string, fn func(ctx context.Context, current wearables.EncryptedToken) (wearables.TokenUpdate, error)) error {
	lock := s.tokenLock(connectionID)
	select {
	case lock <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("memstore: update token: %w", ctx.Err())
	}
	defer func() { <-lock }()

	s.mu.RLock()
	cur, ok := s.tokens[connectionID]
	s.mu.RUnlock()
	if !ok {
		return notFound("update token", "token of connection", connectionID)
	}
	upd, err := fn(ctx, copyToken(cur))
	if err != nil {
		return fmt.Errorf("memstore: update token: %w", err)
	}
	if upd.Status != "" && !upd.Status.Valid() {
		return invalid("update token", "Status", "unknown status %q", upd.Status)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	conn, ok := s.connections[connectionID]
	if !ok {
		return notFound("update token", "connection", connectionID)
	}
	if upd.Status != "" {
		conn.Status, conn.StatusReason, conn.UpdatedAt = upd.Status, upd.Reason, now()
		s.connections[connectionID] = conn
	}
	switch {
	case upd.Delete:
		delete(s.tokens, connectionID)
	case upd.Token != nil:
		t := *upd.Token
		t.ConnectionID = connectionID
		s.putTokenLocked(t)
	}
	return nil
}

// tokenLock returns the one-slot semaphore of a connection's token. Locks
// are kept for the life of the store: a few bytes per connection ever seen.
func (s *Store) tokenLock(connectionID string) chan struct{} {
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	l, ok := s.tokenLocks[connectionID]
	if !ok {
		l = make(chan struct{}, 1)
		s.tokenLocks[connectionID] = l
	}
	return l
}

// ListTokens returns a page of stored tokens, ordered by connection id,
// leaving out those wrapped by q.NotKeyID when it is set. A bad cursor or
// limit is an error matching wearables.ErrInvalid.
func (s *Store) ListTokens(_ context.Context, q wearables.TokenQuery) (wearables.Page[wearables.EncryptedToken], error) {
	limit, after, err := idPage("list tokens", q.Limit, q.Cursor)
	if err != nil {
		return wearables.Page[wearables.EncryptedToken]{}, err
	}
	s.mu.RLock()
	var rows []wearables.EncryptedToken
	for id, t := range s.tokens {
		if (q.NotKeyID == "" || t.KeyID != q.NotKeyID) && (after == nil || id > *after) {
			rows = append(rows, t)
		}
	}
	s.mu.RUnlock()
	page := pageByID(rows, limit, func(t wearables.EncryptedToken) string { return t.ConnectionID })
	for i := range page.Items {
		page.Items[i] = copyToken(page.Items[i])
	}
	return page, nil
}

// CountTokensByKey returns how many stored tokens each key id wraps.
func (s *Store) CountTokensByKey(_ context.Context) (map[string]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	counts := map[string]int{}
	for _, t := range s.tokens {
		counts[t.KeyID]++
	}
	return counts, nil
}

// ---------------------------------------------------------------------------
// Auth states

// PutAuthState stores a pending authorization. It returns an error matching
// wearables.ErrConflict when the key exists (expired or not).
func (s *Store) PutAuthState(_ context.Context, st wearables.AuthState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.authStates[st.Key]; ok {
		return conflict("put auth state", "key exists")
	}
	st.Data = bytes.Clone(st.Data)
	st.ExpiresAt = batchprep.T(st.ExpiresAt)
	s.authStates[st.Key] = st
	return nil
}

// TakeAuthState removes and returns a pending authorization; of concurrent
// calls with the same key at most one succeeds. It returns an error matching
// wearables.ErrNotFound when the key is absent or expired (an expired state
// is removed as well).
func (s *Store) TakeAuthState(_ context.Context, key string) (wearables.AuthState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.authStates[key]
	delete(s.authStates, key)
	if !ok || !time.Now().Before(st.ExpiresAt) {
		return wearables.AuthState{}, fmt.Errorf("memstore: take auth state: %w", wearables.ErrNotFound)
	}
	return st, nil // st.Data is no longer referenced by the store
}

// ---------------------------------------------------------------------------
// Source priorities

// GetSourcePriorities returns the user's source priorities in the order they
// were set; none (or an unknown user) is an empty list, not an error.
func (s *Store) GetSourcePriorities(_ context.Context, userID string) ([]wearables.SourcePriority, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return copyPriorities(s.priorities[userID]), nil
}

// SetSourcePriorities replaces all of the user's source priorities. Errors
// match wearables.ErrInvalid (see wearables.ValidatePriorities) or
// wearables.ErrNotFound (no such user).
func (s *Store) SetSourcePriorities(_ context.Context, userID string, ps []wearables.SourcePriority) error {
	if err := wearables.ValidatePriorities(ps); err != nil {
		return fmt.Errorf("memstore: set source priorities: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		return notFound("set source priorities", "user", userID)
	}
	if len(ps) == 0 {
		delete(s.priorities, userID)
		return nil
	}
	s.priorities[userID] = copyPriorities(ps)
	return nil
}

// ---------------------------------------------------------------------------
// Copies

func copyConnection(c wearables.Connection) wearables.Connection {
	c.Scopes = slices.Clone(c.Scopes)
	return c
}

func copyToken(t wearables.EncryptedToken) wearables.EncryptedToken {
	t.Ciphertext = bytes.Clone(t.Ciphertext)
	return t
}

func copyPriorities(ps []wearables.SourcePriority) []wearables.SourcePriority {
	if len(ps) == 0 {
		return nil
	}
	out := make([]wearables.SourcePriority, len(ps))
	for i, p := range ps {
		p.Providers = slices.Clone(p.Providers)
		p.DeviceTypes = slices.Clone(p.DeviceTypes)
		out[i] = p
	}
	return out
}

// ---------------------------------------------------------------------------
// Paging

// idPage resolves the limit and cursor of a query ordered by one id.
func idPage(op string, limit int, cursor string) (int, *string, error) {
	n, err := pagecursor.Limit(limit)
	if err != nil {
		return 0, nil, fmt.Errorf("memstore: %s: %w", op, err)
	}
	if cursor == "" {
		return n, nil, nil
	}
	parts, err := pagecursor.Decode(cursor, 1)
	if err != nil {
		return 0, nil, fmt.Errorf("memstore: %s: %w", op, err)
	}
	return n, &parts[0], nil
}

// pageByID sorts rows (already past the cursor) by id and cuts one page.
func pageByID[T any](rows []T, limit int, id func(T) string) wearables.Page[T] {
	slices.SortFunc(rows, func(a, b T) int { return strings.Compare(id(a), id(b)) })
	return cut(rows, limit, func(last T) string { return pagecursor.Encode(id(last)) })
}

// cut returns the first limit rows of sorted rows as a page, with a cursor
// after the last one when more rows follow.
func cut[T any](rows []T, limit int, cursor func(last T) string) wearables.Page[T] {
	if len(rows) <= limit {
		return wearables.Page[T]{Items: nonNil(rows)}
	}
	rows = rows[:limit:limit]
	return wearables.Page[T]{Items: rows, Next: cursor(rows[len(rows)-1])}
}

// nonNil returns s, or an empty slice for nil, so pages encode as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// parseInt parses one numeric cursor part.
func parseInt(op, part string) (int64, error) {
	v, err := strconv.ParseInt(part, 10, 64)
	if err != nil {
		return 0, invalid(op, "Cursor", "malformed page cursor")
	}
	return v, nil
}

var _ wearables.Store = (*Store)(nil)
