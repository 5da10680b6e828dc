package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

const userCols = `id, app_id, external_id, time_zone, created_us`

func scanUser(sc interface{ Scan(...any) error }) (wearables.User, error) {
	var (
		u   wearables.User
		ext sql.NullString
		cr  int64
	)
	if err := sc.Scan(&u.ID, &u.AppID, &ext, &u.TimeZone, &cr); err != nil {
		return u, err
	}
	u.ExternalID = ext.String
	u.CreatedAt = fromMicros(cr)
	return u, nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreateUser stores u, setting u.ID (a new wearables.NewID when empty) and
// u.CreatedAt. ErrConflict when the ID or AppID+ExternalID is taken;
// ErrInvalid for an unknown TimeZone or an over-long ExternalID.
func (s *Store) CreateUser(ctx context.Context, u *wearables.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("sqlitestore: create user: %w", err)
	}
	nu := *u
	if nu.ID == "" {
		nu.ID = wearables.NewID()
	}
	nu.CreatedAt = s.nowUTC()
	_, err := s.w.ExecContext(ctx, `INSERT INTO users (id, app_id, external_id, time_zone, created_us) VALUES (?, ?, ?, ?, ?)`,
		nu.ID, nu.AppID, nullString(nu.ExternalID), nu.TimeZone, micros(nu.CreatedAt))
	if isUnique(err) {
		return fmt.Errorf("sqlitestore: create user: id or external id taken: %w", wearables.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlitestore: create user: %w", err)
	}
	*u = nu
	return nil
}

// GetUser returns the user. ErrNotFound when there is no such user.
func (s *Store) GetUser(ctx context.Context, id string) (wearables.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("sqlitestore: get user: %w", notFound("user", id))
	}
	if err != nil {
		return u, fmt.Errorf("sqlitestore: get user: %w", err)
	}
	return u, nil
}

// GetUserByExternalID returns the user of the application with that external
// id. ErrNotFound when there is no such user.
func (s *Store) GetUserByExternalID(ctx context.Context, appID, externalID string) (wearables.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE app_id = ? AND external_id = ?`, appID, externalID))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("sqlitestore: get user by external id: %w", notFound("user with external id", externalID))
	}
	if err != nil {
		return u, fmt.Errorf("sqlitestore: get user by external id: %w", err)
	}
	return u, nil
}

// UpdateUser changes ExternalID and TimeZone of the stored user.
// ErrNotFound when there is no such user, ErrConflict when the external id
// is taken, ErrInvalid for an unknown TimeZone.
func (s *Store) UpdateUser(ctx context.Context, u wearables.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("sqlitestore: update user: %w", err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE users SET external_id = ?, time_zone = ? WHERE id = ?`,
		nullString(u.ExternalID), u.TimeZone, u.ID)
	if isUnique(err) {
		return fmt.Errorf("sqlitestore: update user: external id taken: %w", wearables.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlitestore: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: update user: %w", notFound("user", u.ID))
	}
	return nil
}

// ListUsers returns a page of the users of q.AppID ordered by id. ErrInvalid
// for a malformed cursor or limit.
func (s *Store) ListUsers(ctx context.Context, q wearables.UserQuery) (wearables.Page[wearables.User], error) {
	var page wearables.Page[wearables.User]
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: list users: %w", err)
	}
	after := ""
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: list users: %w", err)
		}
		after = parts[0]
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE app_id = ? AND id > ? ORDER BY id LIMIT ?`, q.AppID, after, limit+1)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: list users: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: list users: %w", err)
		}
		page.Items = append(page.Items, u)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("sqlitestore: list users: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = pagecursor.Encode(page.Items[limit-1].ID)
	}
	return page, nil
}

// DeleteUser removes the user and, by cascade, every row that belongs to it:
// connections, tokens, cursors, sources, records and priorities. ErrNotFound
// when there is no such user.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlitestore: delete user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: delete user: %w", notFound("user", id))
	}
	return nil
}
