package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

const connCols = `id, user_id, provider, provider_user_id, status, status_reason, scopes, connected_us, last_synced_us, updated_us`

func scanConnection(sc interface{ Scan(...any) error }) (wearables.Connection, error) {
	var (
		c                  wearables.Connection
		scopes             string
		connected, updated int64
		synced             sql.NullInt64
	)
	if err := sc.Scan(&c.ID, &c.UserID, &c.Provider, &c.ProviderUserID, &c.Status, &c.StatusReason, &scopes, &connected, &synced, &updated); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(scopes), &c.Scopes); err != nil {
		return c, fmt.Errorf("decode scopes of connection %s: %w", c.ID, err)
	}
	c.ConnectedAt, c.LastSyncedAt, c.UpdatedAt = fromMicros(connected), fromNullMicros(synced), fromMicros(updated)
	return c, nil
}

// CreateConnection stores c, setting ID (a new wearables.NewID when empty),
// ConnectedAt (when zero) and UpdatedAt. ErrNotFound when the user does not
// exist; ErrConflict when the user already has a connection to c.Provider or
// the ID is taken; ErrInvalid when c fails Connection.Validate.
func (s *Store) CreateConnection(ctx context.Context, c *wearables.Connection) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("sqlitestore: create connection: %w", err)
	}
	nc := *c
	if nc.ID == "" {
		nc.ID = wearables.NewID()
	}
	now := s.nowUTC()
	if nc.ConnectedAt.IsZero() {
		nc.ConnectedAt = now
	}
	nc.ConnectedAt = nc.ConnectedAt.UTC().Truncate(wearables.TimePrecision)
	nc.LastSyncedAt = truncate(nc.LastSyncedAt)
	nc.UpdatedAt = now
	scopes, err := json.Marshal(nc.Scopes)
	if err != nil {
		return fmt.Errorf("sqlitestore: create connection: %w", err)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO connections (`+connCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nc.ID, nc.UserID, nc.Provider, nc.ProviderUserID, nc.Status, nc.StatusReason, string(scopes),
		micros(nc.ConnectedAt), nullMicros(nc.LastSyncedAt), micros(nc.UpdatedAt))
	switch {
	case isForeignKey(err):
		return fmt.Errorf("sqlitestore: create connection: %w", notFound("user", nc.UserID))
	case isUnique(err):
		return fmt.Errorf("sqlitestore: create connection: user %s already has a %s connection: %w", nc.UserID, nc.Provider, wearables.ErrConflict)
	case err != nil:
		return fmt.Errorf("sqlitestore: create connection: %w", err)
	}
	*c = nc
	return nil
}

// truncate brings t to UTC at the stored precision; zero stays zero.
func truncate(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(wearables.TimePrecision)
}

// GetConnection returns the connection. ErrNotFound when there is none.
func (s *Store) GetConnection(ctx context.Context, id string) (wearables.Connection, error) {
	c, err := scanConnection(s.r.QueryRowContext(ctx, `SELECT `+connCols+` FROM connections WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("sqlitestore: get connection: %w", notFound("connection", id))
	}
	if err != nil {
		return c, fmt.Errorf("sqlitestore: get connection: %w", err)
	}
	return c, nil
}

// UpdateConnection replaces ProviderUserID, Status, StatusReason, Scopes and
// LastSyncedAt of the stored connection with c's and sets UpdatedAt.
// ErrNotFound when there is no such connection, ErrInvalid for an unknown
// status.
func (s *Store) UpdateConnection(ctx context.Context, c wearables.Connection) error {
	return s.UpdateConnectionTx(ctx, c, nil)
}

// UpdateConnectionTx is UpdateConnection committing together with then.
// Errors: ErrInvalid for an unknown status, ErrNotFound, then's error.
func (s *Store) UpdateConnectionTx(ctx context.Context, c wearables.Connection, then wearables.TxFunc) error {
	if !c.Status.Valid() {
		return fmt.Errorf("sqlitestore: update connection: %w", invalid("Status", "unknown status %q", c.Status))
	}
	scopes, err := json.Marshal(c.Scopes)
	if err != nil {
		return fmt.Errorf("sqlitestore: update connection: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE connections SET provider_user_id = ?, status = ?, status_reason = ?, scopes = ?, last_synced_us = ?, updated_us = ? WHERE id = ?`,
			c.ProviderUserID, c.Status, c.StatusReason, string(scopes), nullMicros(c.LastSyncedAt), micros(s.nowUTC()), c.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("connection", c.ID)
		}
		if then != nil {
			return then(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: update connection: %w", err)
	}
	return nil
}

// SetConnectionStatus changes only the status and its reason (and
// UpdatedAt). ErrNotFound when there is no such connection, ErrInvalid for
// an unknown status.
func (s *Store) SetConnectionStatus(ctx context.Context, id string, status wearables.ConnectionStatus, reason string) error {
	if !status.Valid() {
		return fmt.Errorf("sqlitestore: set connection status: %w", invalid("Status", "unknown status %q", status))
	}
	res, err := s.w.ExecContext(ctx, `UPDATE connections SET status = ?, status_reason = ?, updated_us = ? WHERE id = ?`,
		status, reason, micros(s.nowUTC()), id)
	if err != nil {
		return fmt.Errorf("sqlitestore: set connection status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: set connection status: %w", notFound("connection", id))
	}
	return nil
}

// ListConnections returns a page of connections matching q, ordered by id.
// ErrInvalid for a malformed cursor or limit.
func (s *Store) ListConnections(ctx context.Context, q wearables.ConnectionQuery) (wearables.Page[wearables.Connection], error) {
	var page wearables.Page[wearables.Connection]
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: list connections: %w", err)
	}
	var (
		where []string
		args  []any
	)
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: list connections: %w", err)
		}
		add("id > ?", parts[0])
	}
	if q.UserID != "" {
		add("user_id = ?", q.UserID)
	}
	if q.Provider != "" {
		add("provider = ?", q.Provider)
	}
	if q.ProviderUserID != "" {
		add("provider_user_id = ?", q.ProviderUserID)
	}
	if q.Status != "" {
		add("status = ?", q.Status)
	}
	query := `SELECT ` + connCols + ` FROM connections`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY id LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: list connections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: list connections: %w", err)
		}
		page.Items = append(page.Items, c)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("sqlitestore: list connections: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = pagecursor.Encode(page.Items[limit-1].ID)
	}
	return page, nil
}

// DeleteConnection removes the connection and, by cascade, its token and
// cursors. Records stay: they belong to the user. ErrNotFound when there is
// no such connection.
func (s *Store) DeleteConnection(ctx context.Context, id string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM connections WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlitestore: delete connection: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: delete connection: %w", notFound("connection", id))
	}
	return nil
}

// GetCursor returns the connection's cursor for dataType. ErrNotFound when
// none was stored yet.
func (s *Store) GetCursor(ctx context.Context, connectionID string, dataType wearables.DataType) (wearables.Cursor, error) {
	c := wearables.Cursor{ConnectionID: connectionID, DataType: dataType}
	var up int64
	err := s.r.QueryRowContext(ctx, `SELECT value, updated_us FROM cursors WHERE connection_id = ? AND data_type = ?`, connectionID, dataType).Scan(&c.Value, &up)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("sqlitestore: get cursor: %w", notFound("cursor of connection "+connectionID, string(dataType)))
	}
	if err != nil {
		return c, fmt.Errorf("sqlitestore: get cursor: %w", err)
	}
	c.UpdatedAt = fromMicros(up)
	return c, nil
}

// ListCursors returns the connection's cursors ordered by data type (none is
// not an error).
func (s *Store) ListCursors(ctx context.Context, connectionID string) ([]wearables.Cursor, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT data_type, value, updated_us FROM cursors WHERE connection_id = ? ORDER BY data_type`, connectionID)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: list cursors: %w", err)
	}
	defer rows.Close()
	var out []wearables.Cursor
	for rows.Next() {
		c := wearables.Cursor{ConnectionID: connectionID}
		var up int64
		if err := rows.Scan(&c.DataType, &c.Value, &up); err != nil {
			return nil, fmt.Errorf("sqlitestore: list cursors: %w", err)
		}
		c.UpdatedAt = fromMicros(up)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: list cursors: %w", err)
	}
	return out, nil
}

// PutCursor stores c, replacing the connection's cursor of the same data
// type, and sets UpdatedAt. ErrNotFound when the connection does not exist,
// ErrInvalid for an empty connection id or data type.
func (s *Store) PutCursor(ctx context.Context, c wearables.Cursor) error {
	if c.ConnectionID == "" || c.DataType == "" {
		return fmt.Errorf("sqlitestore: put cursor: %w", invalid("Cursor", "cursor needs a connection id and a data type"))
	}
	if err := putCursor(ctx, s.w, c, s.nowUTC()); err != nil {
		if isForeignKey(err) {
			return fmt.Errorf("sqlitestore: put cursor: %w", notFound("connection", c.ConnectionID))
		}
		return fmt.Errorf("sqlitestore: put cursor: %w", err)
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func putCursor(ctx context.Context, db execer, c wearables.Cursor, now time.Time) error {
	_, err := db.ExecContext(ctx, `INSERT INTO cursors (connection_id, data_type, value, updated_us) VALUES (?, ?, ?, ?)
		ON CONFLICT (connection_id, data_type) DO UPDATE SET value = excluded.value, updated_us = excluded.updated_us`,
		c.ConnectionID, c.DataType, c.Value, micros(now))
	return err
}
