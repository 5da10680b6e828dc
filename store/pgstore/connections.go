package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/keycount"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

type connectionRow struct {
	ID             string         `db:"id"`
	UserID         string         `db:"user_id"`
	Provider       string         `db:"provider"`
	ProviderUserID string         `db:"provider_user_id"`
	Status         string         `db:"status"`
	StatusReason   string         `db:"status_reason"`
	Scopes         pq.StringArray `db:"scopes"`
	ConnectedAt    time.Time      `db:"connected_at"`
	LastSyncedAt   sql.NullTime   `db:"last_synced_at"`
	UpdatedAt      time.Time      `db:"updated_at"`
}

func (r connectionRow) connection() wearables.Connection {
	return wearables.Connection{
		ID:             r.ID,
		UserID:         r.UserID,
		Provider:       wearables.ProviderID(r.Provider),
		ProviderUserID: r.ProviderUserID,
		Status:         wearables.ConnectionStatus(r.Status),
		StatusReason:   r.StatusReason,
		Scopes:         []string(r.Scopes),
		ConnectedAt:    r.ConnectedAt.UTC(),
		LastSyncedAt:   fromNullTime(r.LastSyncedAt),
		UpdatedAt:      r.UpdatedAt.UTC(),
	}
}

const connectionCols = `id, user_id, provider, provider_user_id, status, status_reason, scopes, connected_at, last_synced_at, updated_at`

// scopes encodes a nil slice as NULL, so nil and empty round-trip.
func scopes(v []string) any {
	if v == nil {
		return nil
	}
	return pq.StringArray(v)
}

// CreateConnection stores c, setting ID (a new wearables.NewID when empty),
// ConnectedAt (when zero) and UpdatedAt. Errors: ErrInvalid (see
// wearables.Connection.Validate), ErrNotFound when the user does not exist,
// ErrConflict when the user already has a connection to c.Provider or the ID
// is taken.
func (s *Store) CreateConnection(ctx context.Context, c *wearables.Connection) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("pgstore: create connection: %w", err)
	}
	id := c.ID
	if id == "" {
		id = wearables.NewID()
	}
	now := s.nowUTC()
	connected := now
	if !c.ConnectedAt.IsZero() {
		connected = ts(c.ConnectedAt)
	}
	lastSynced := c.LastSyncedAt
	if !lastSynced.IsZero() {
		lastSynced = ts(lastSynced)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO connections (`+connectionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		id, c.UserID, string(c.Provider), c.ProviderUserID, string(c.Status), c.StatusReason, scopes(c.Scopes), connected, nullTime(lastSynced), now)
	switch {
	case isForeignKey(err):
		return fmt.Errorf("pgstore: create connection: %w", notFound("user", c.UserID))
	case isUnique(err):
		return fmt.Errorf("pgstore: create connection: user %q already has a connection to %s, or id %q is taken: %w", c.UserID, c.Provider, id, wearables.ErrConflict)
	case err != nil:
		return fmt.Errorf("pgstore: create connection: %w", err)
	}
	c.ID, c.ConnectedAt, c.LastSyncedAt, c.UpdatedAt = id, connected, lastSynced, now
	return nil
}

// GetConnection returns the connection with the given id, or ErrNotFound.
func (s *Store) GetConnection(ctx context.Context, id string) (wearables.Connection, error) {
	var r connectionRow
	err := s.db.GetContext(ctx, &r, `SELECT `+connectionCols+` FROM connections WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return wearables.Connection{}, fmt.Errorf("pgstore: get connection: %w", notFound("connection", id))
	} else if err != nil {
		return wearables.Connection{}, fmt.Errorf("pgstore: get connection: %w", err)
	}
	return r.connection(), nil
}

// UpdateConnection replaces ProviderUserID, Status, StatusReason, Scopes and
// LastSyncedAt of the stored connection c.ID with c's, and sets UpdatedAt.
// Errors: ErrInvalid for an unknown status, ErrNotFound.
func (s *Store) UpdateConnection(ctx context.Context, c wearables.Connection) error {
	return s.UpdateConnectionTx(ctx, c, nil)
}

// UpdateConnectionTx is UpdateConnection committing together with then.
// Errors: ErrInvalid for an unknown status, ErrNotFound, then's error.
func (s *Store) UpdateConnectionTx(ctx context.Context, c wearables.Connection, then wearables.TxFunc) error {
	if !c.Status.Valid() {
		return fmt.Errorf("pgstore: update connection: %w", invalid("Status", "unknown status %q", c.Status))
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE connections SET provider_user_id = $2, status = $3, status_reason = $4, scopes = $5, last_synced_at = $6, updated_at = $7 WHERE id = $1`,
			c.ID, c.ProviderUserID, string(c.Status), c.StatusReason, scopes(c.Scopes), nullTime(c.LastSyncedAt), s.nowUTC())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("connection", c.ID)
		}
		if then != nil {
			return then(ctx, tx.Tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgstore: update connection: %w", err)
	}
	return nil
}

// SetConnectionStatus changes only the status and its reason (and
// UpdatedAt). Errors: ErrInvalid for an unknown status, ErrNotFound.
func (s *Store) SetConnectionStatus(ctx context.Context, id string, status wearables.ConnectionStatus, reason string) error {
	if err := setStatus(ctx, s.db, id, status, reason, s.nowUTC()); err != nil {
		return fmt.Errorf("pgstore: set connection status: %w", err)
	}
	return nil
}

func setStatus(ctx context.Context, db sqlx.ExecerContext, id string, status wearables.ConnectionStatus, reason string, now time.Time) error {
	if !status.Valid() {
		return invalid("Status", "unknown status %q", status)
	}
	res, err := db.ExecContext(ctx, `UPDATE connections SET status = $2, status_reason = $3, updated_at = $4 WHERE id = $1`, id, string(status), reason, now)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("connection", id)
	}
	return nil
}

// ListConnections returns a page of the connections matching q's non-empty
// filters, ordered by id. Errors: ErrInvalid for a bad cursor or limit.
func (s *Store) ListConnections(ctx context.Context, q wearables.ConnectionQuery) (wearables.Page[wearables.Connection], error) {
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return wearables.Page[wearables.Connection]{}, fmt.Errorf("pgstore: list connections: %w", err)
	}
	var (
		where []string
		args  []any
	)
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return wearables.Page[wearables.Connection]{}, fmt.Errorf("pgstore: list connections: %w", err)
		}
		add("id > ?", parts[0])
	}
	if q.UserID != "" {
		add("user_id = ?", q.UserID)
	}
	if q.Provider != "" {
		add("provider = ?", string(q.Provider))
	}
	if q.ProviderUserID != "" {
		add("provider_user_id = ?", q.ProviderUserID)
	}
	if q.Status != "" {
		add("status = ?", string(q.Status))
	}
	query := `SELECT ` + connectionCols + ` FROM connections`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, limit+1)
	query += ` ORDER BY id LIMIT $` + strconv.Itoa(len(args))
	var rows []connectionRow
	if err := s.db.SelectContext(ctx, &rows, query, args...); err != nil {
		return wearables.Page[wearables.Connection]{}, fmt.Errorf("pgstore: list connections: %w", err)
	}
	var page wearables.Page[wearables.Connection]
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = pagecursor.Encode(rows[limit-1].ID)
	}
	page.Items = make([]wearables.Connection, len(rows))
	for i, r := range rows {
		page.Items[i] = r.connection()
	}
	return page, nil
}

// DeleteConnection removes the connection, its token and its cursors;
// records stay. ErrNotFound when there is no such connection.
func (s *Store) DeleteConnection(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM connections WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("pgstore: delete connection: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("pgstore: delete connection: %w", notFound("connection", id))
	}
	return nil
}

// Cursors.

// GetCursor returns the cursor of a connection's data type, or ErrNotFound.
func (s *Store) GetCursor(ctx context.Context, connectionID string, dataType wearables.DataType) (wearables.Cursor, error) {
	c := wearables.Cursor{ConnectionID: connectionID, DataType: dataType}
	err := s.db.QueryRowContext(ctx, `SELECT value, updated_at FROM cursors WHERE connection_id = $1 AND data_type = $2`,
		connectionID, string(dataType)).Scan(&c.Value, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return wearables.Cursor{}, fmt.Errorf("pgstore: get cursor: %w", notFound("cursor", connectionID+"/"+string(dataType)))
	} else if err != nil {
		return wearables.Cursor{}, fmt.Errorf("pgstore: get cursor: %w", err)
	}
	c.UpdatedAt = c.UpdatedAt.UTC()
	return c, nil
}

// ListCursors returns the cursors of a connection ordered by data type;
// none is an empty slice.
func (s *Store) ListCursors(ctx context.Context, connectionID string) ([]wearables.Cursor, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data_type, value, updated_at FROM cursors WHERE connection_id = $1 ORDER BY data_type`, connectionID)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list cursors: %w", err)
	}
	defer rows.Close()
	out := []wearables.Cursor{}
	for rows.Next() {
		c := wearables.Cursor{ConnectionID: connectionID}
		if err := rows.Scan(&c.DataType, &c.Value, &c.UpdatedAt); err != nil {
			return nil, fmt.Errorf("pgstore: list cursors: %w", err)
		}
		c.UpdatedAt = c.UpdatedAt.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: list cursors: %w", err)
	}
	return out, nil
}

// PutCursor stores c, setting UpdatedAt. Errors: ErrInvalid for an empty
// data type, ErrNotFound when the connection does not exist.
func (s *Store) PutCursor(ctx context.Context, c wearables.Cursor) error {
	if c.DataType == "" {
		return fmt.Errorf("pgstore: put cursor: %w", invalid("DataType", "data type is empty"))
	}
	_, err := s.db.ExecContext(ctx, upsertCursorSQL, c.ConnectionID, string(c.DataType), c.Value, s.nowUTC())
	switch {
	case isForeignKey(err):
		return fmt.Errorf("pgstore: put cursor: %w", notFound("connection", c.ConnectionID))
	case err != nil:
		return fmt.Errorf("pgstore: put cursor: %w", err)
	}
	return nil
}

const upsertCursorSQL = `INSERT INTO cursors (connection_id, data_type, value, updated_at) VALUES ($1, $2, $3, $4)
	ON CONFLICT (connection_id, data_type) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`

// Tokens.

type tokenRow struct {
	ConnectionID string       `db:"connection_id"`
	KeyID        string       `db:"key_id"`
	Ciphertext   []byte       `db:"ciphertext"`
	ExpiresAt    sql.NullTime `db:"expires_at"`
	UpdatedAt    time.Time    `db:"updated_at"`
}

func (r tokenRow) token() wearables.EncryptedToken {
	return wearables.EncryptedToken{
		ConnectionID: r.ConnectionID,
		KeyID:        r.KeyID,
		Ciphertext:   r.Ciphertext,
		ExpiresAt:    fromNullTime(r.ExpiresAt),
		UpdatedAt:    r.UpdatedAt.UTC(),
	}
}

const tokenCols = `connection_id, key_id, ciphertext, expires_at, updated_at`

const upsertTokenSQL = `INSERT INTO tokens (` + tokenCols + `) VALUES ($1, $2, $3, $4, $5)
	ON CONFLICT (connection_id) DO UPDATE SET key_id = excluded.key_id, ciphertext = excluded.ciphertext,
		expires_at = excluded.expires_at, updated_at = excluded.updated_at`

func tokenArgs(t wearables.EncryptedToken, now time.Time) []any {
	ct := t.Ciphertext
	if ct == nil {
		ct = []byte{}
	}
	return []any{t.ConnectionID, t.KeyID, ct, nullTime(t.ExpiresAt), now}
}

// PutToken stores t for its connection, replacing any earlier token, and
// sets UpdatedAt. ErrNotFound when the connection does not exist.
func (s *Store) PutToken(ctx context.Context, t wearables.EncryptedToken) error {
	_, err := s.db.ExecContext(ctx, upsertTokenSQL, tokenArgs(t, s.nowUTC())...)
	switch {
	case isForeignKey(err):
		return fmt.Errorf("pgstore: put token: %w", notFound("connection", t.ConnectionID))
	case err != nil:
		return fmt.Errorf("pgstore: put token: %w", err)
	}
	return nil
}

// GetToken returns the token of a connection, or ErrNotFound.
func (s *Store) GetToken(ctx context.Context, connectionID string) (wearables.EncryptedToken, error) {
	var r tokenRow
	err := s.db.GetContext(ctx, &r, `SELECT `+tokenCols+` FROM tokens WHERE connection_id = $1`, connectionID)
	if errors.Is(err, sql.ErrNoRows) {
		return wearables.EncryptedToken{}, fmt.Errorf("pgstore: get token: %w", notFound("token of connection", connectionID))
	} else if err != nil {
		return wearables.EncryptedToken{}, fmt.Errorf("pgstore: get token: %w", err)
	}
	return r.token(), nil
}

// DeleteToken removes the token of a connection; deleting a token that does
// not exist is not an error.
func (s *Store) DeleteToken(ctx context.Context, connectionID string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM tokens WHERE connection_id = $1`, connectionID); err != nil {
		return fmt.Errorf("pgstore: delete token: %w", err)
	}
	return nil
}

// UpdateToken calls fn with the stored token of a connection while holding
// a lock that excludes every other UpdateToken of the same connection, in
// this process (a mutex) and in every other process (SELECT … FOR UPDATE on
// the token row, in a transaction), and applies the TokenUpdate fn returns
// in the same transaction: replace or delete the token, set the
// connection's status. When fn returns an error nothing is written and the
// error is returned as is. ErrNotFound (fn not called) when the connection
// has no token; ErrInvalid for an unknown status in the update; ctx's error
// when it ends while waiting for the lock.
func (s *Store) UpdateToken(ctx context.Context, connectionID string, fn func(ctx context.Context, current wearables.EncryptedToken) (wearables.TokenUpdate, error)) error {
	if err := s.tokenLocks.Lock(ctx, connectionID); err != nil {
		return fmt.Errorf("pgstore: update token: %w", err)
	}
	defer s.tokenLocks.Unlock(connectionID)

	var fnErr error
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var r tokenRow
		err := tx.GetContext(ctx, &r, `SELECT `+tokenCols+` FROM tokens WHERE connection_id = $1 FOR UPDATE`, connectionID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("token of connection", connectionID)
		} else if err != nil {
			return err
		}
		up, err := fn(ctx, r.token())
		if err != nil {
			fnErr = err
			return err
		}
		now := s.nowUTC()
		switch {
		case up.Delete:
			if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE connection_id = $1`, connectionID); err != nil {
				return err
			}
		case up.Token != nil:
			t := *up.Token
			t.ConnectionID = connectionID
			if _, err := tx.ExecContext(ctx, upsertTokenSQL, tokenArgs(t, now)...); err != nil {
				return err
			}
		}
		if up.Status != "" {
			return setStatus(ctx, tx, connectionID, up.Status, up.Reason, now)
		}
		return nil
	})
	switch {
	case fnErr != nil:
		return fnErr
	case err != nil:
		return fmt.Errorf("pgstore: update token: %w", err)
	}
	return nil
}

// ListTokens returns a page of stored tokens ordered by connection id, only
// those wrapped by another key than q.NotKeyID when it is set. Errors:
// ErrInvalid for a bad cursor or limit.
func (s *Store) ListTokens(ctx context.Context, q wearables.TokenQuery) (wearables.Page[wearables.EncryptedToken], error) {
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return wearables.Page[wearables.EncryptedToken]{}, fmt.Errorf("pgstore: list tokens: %w", err)
	}
	after := ""
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return wearables.Page[wearables.EncryptedToken]{}, fmt.Errorf("pgstore: list tokens: %w", err)
		}
		after = parts[0]
	}
	var rows []tokenRow
	err = s.db.SelectContext(ctx, &rows, `SELECT `+tokenCols+` FROM tokens
		WHERE connection_id > $1 AND ($2 = '' OR key_id <> $2) ORDER BY connection_id LIMIT $3`, after, q.NotKeyID, limit+1)
	if err != nil {
		return wearables.Page[wearables.EncryptedToken]{}, fmt.Errorf("pgstore: list tokens: %w", err)
	}
	var page wearables.Page[wearables.EncryptedToken]
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = pagecursor.Encode(rows[limit-1].ConnectionID)
	}
	page.Items = make([]wearables.EncryptedToken, len(rows))
	for i, r := range rows {
		page.Items[i] = r.token()
	}
	return page, nil
}

// CountTokensByKey returns how many stored tokens each key id wraps.
func (s *Store) CountTokensByKey(ctx context.Context) (map[string]int, error) {
	out, err := keycount.Count(ctx, s.db, "tokens")
	if err != nil {
		return nil, fmt.Errorf("pgstore: count tokens: %w", err)
	}
	return out, nil
}

// Auth states.

// PutAuthState stores st. Errors: ErrInvalid for an empty key, ErrConflict
// when the key exists.
func (s *Store) PutAuthState(ctx context.Context, st wearables.AuthState) error {
	if st.Key == "" {
		return fmt.Errorf("pgstore: put auth state: %w", invalid("Key", "key is empty"))
	}
	data := st.Data
	if data == nil {
		data = []byte{}
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO auth_states (key, data, expires_at) VALUES ($1, $2, $3)`, st.Key, data, ts(st.ExpiresAt))
	switch {
	case isUnique(err):
		return fmt.Errorf("pgstore: put auth state: key exists: %w", wearables.ErrConflict)
	case err != nil:
		return fmt.Errorf("pgstore: put auth state: %w", err)
	}
	return nil
}

// TakeAuthState atomically deletes and returns the state under key: of
// concurrent calls at most one gets it. ErrNotFound when the key is absent
// or expired (an expired state is deleted too).
func (s *Store) TakeAuthState(ctx context.Context, key string) (wearables.AuthState, error) {
	st := wearables.AuthState{Key: key}
	err := s.db.QueryRowContext(ctx, `DELETE FROM auth_states WHERE key = $1 RETURNING data, expires_at`, key).Scan(&st.Data, &st.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return wearables.AuthState{}, fmt.Errorf("pgstore: take auth state: %w", notFound("auth state", "…"))
	} else if err != nil {
		return wearables.AuthState{}, fmt.Errorf("pgstore: take auth state: %w", err)
	}
	st.ExpiresAt = st.ExpiresAt.UTC()
	if !s.now().Before(st.ExpiresAt) {
		return wearables.AuthState{}, fmt.Errorf("pgstore: take auth state: expired: %w", wearables.ErrNotFound)
	}
	return st, nil
}
