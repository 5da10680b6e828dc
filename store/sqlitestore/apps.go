package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

// This file implements wearables.TenantStore (migration 0003_apps).

type scanner interface{ Scan(...any) error }

const developerCols = `id, email, password_hash, admin, created_us`

func scanDeveloper(sc scanner) (wearables.Developer, error) {
	var (
		d  wearables.Developer
		cr int64
	)
	err := sc.Scan(&d.ID, &d.Email, &d.PasswordHash, &d.Admin, &cr)
	d.CreatedAt = fromMicros(cr)
	return d, err
}

// CreateDeveloper stores d, setting ID (when empty) and CreatedAt.
// ErrConflict when the email or id is taken, ErrInvalid for an empty email
// or password hash.
func (s *Store) CreateDeveloper(ctx context.Context, d *wearables.Developer) error {
	if d.Email == "" || d.PasswordHash == "" {
		return fmt.Errorf("sqlitestore: create developer: %w", invalid("Email", "email or password hash is empty"))
	}
	nd := *d
	if nd.ID == "" {
		nd.ID = wearables.NewID()
	}
	nd.CreatedAt = s.nowUTC()
	_, err := s.w.ExecContext(ctx, `INSERT INTO developers (`+developerCols+`) VALUES (?, ?, ?, ?, ?)`,
		nd.ID, nd.Email, nd.PasswordHash, nd.Admin, micros(nd.CreatedAt))
	if isUnique(err) {
		return fmt.Errorf("sqlitestore: create developer: id or email taken: %w", wearables.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlitestore: create developer: %w", err)
	}
	*d = nd
	return nil
}

// GetDeveloper returns ErrNotFound when there is no such developer.
func (s *Store) GetDeveloper(ctx context.Context, id string) (wearables.Developer, error) {
	d, err := scanDeveloper(s.r.QueryRowContext(ctx, `SELECT `+developerCols+` FROM developers WHERE id = ?`, id))
	return d, rowErr("get developer", "developer", id, err)
}

// GetDeveloperByEmail returns ErrNotFound when there is no such developer.
func (s *Store) GetDeveloperByEmail(ctx context.Context, email string) (wearables.Developer, error) {
	d, err := scanDeveloper(s.r.QueryRowContext(ctx, `SELECT `+developerCols+` FROM developers WHERE email = ?`, email))
	return d, rowErr("get developer by email", "developer with email", "…", err)
}

// ListDevelopers pages through developers by id. ErrInvalid for a bad
// cursor or limit.
func (s *Store) ListDevelopers(ctx context.Context, q wearables.ListQuery) (wearables.Page[wearables.Developer], error) {
	return listByID(ctx, s, "list developers", `SELECT `+developerCols+` FROM developers WHERE id > ? AND ? = '' ORDER BY id LIMIT ?`, q.Cursor, "", q.Limit,
		scanDeveloper, func(d wearables.Developer) string { return d.ID })
}

// PutRefreshToken stores t. ErrConflict when the hash exists, ErrNotFound
// when the developer does not exist.
func (s *Store) PutRefreshToken(ctx context.Context, t wearables.RefreshToken) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO developer_refresh_tokens (hash, developer_id, expires_us) VALUES (?, ?, ?)`,
		t.Hash, t.DeveloperID, micros(t.ExpiresAt))
	switch {
	case isUnique(err):
		return fmt.Errorf("sqlitestore: put refresh token: %w", wearables.ErrConflict)
	case isForeignKey(err):
		return fmt.Errorf("sqlitestore: put refresh token: %w", notFound("developer", t.DeveloperID))
	case err != nil:
		return fmt.Errorf("sqlitestore: put refresh token: %w", err)
	}
	return nil
}

// TakeRefreshToken removes and returns the token atomically. ErrNotFound
// when it is absent or expired.
func (s *Store) TakeRefreshToken(ctx context.Context, hash string) (wearables.RefreshToken, error) {
	t := wearables.RefreshToken{Hash: hash}
	var exp int64
	err := s.w.QueryRowContext(ctx, `DELETE FROM developer_refresh_tokens WHERE hash = ? RETURNING developer_id, expires_us`, hash).Scan(&t.DeveloperID, &exp)
	if err == nil && exp <= micros(s.now()) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return wearables.RefreshToken{}, rowErr("take refresh token", "refresh token", "…", err)
	}
	t.ExpiresAt = fromMicros(exp)
	return t, nil
}

const appCols = `id, developer_id, name, redirect_uris, created_us`

func scanApp(sc scanner) (wearables.App, error) {
	var (
		a    wearables.App
		uris string
		cr   int64
	)
	if err := sc.Scan(&a.ID, &a.DeveloperID, &a.Name, &uris, &cr); err != nil {
		return a, err
	}
	a.CreatedAt = fromMicros(cr)
	if err := json.Unmarshal([]byte(uris), &a.RedirectURIs); err != nil {
		return a, fmt.Errorf("decode redirect uris: %w", err)
	}
	return a, nil
}

func encodeURIs(uris []string) string {
	if uris == nil {
		uris = []string{}
	}
	b, _ := json.Marshal(uris) // a []string always marshals
	return string(b)
}

// CreateApp stores a, setting ID (when empty) and CreatedAt. ErrNotFound
// when the developer does not exist, ErrInvalid for an empty name.
func (s *Store) CreateApp(ctx context.Context, a *wearables.App) error {
	if a.Name == "" {
		return fmt.Errorf("sqlitestore: create app: %w", invalid("Name", "name is empty"))
	}
	na := *a
	if na.ID == "" {
		na.ID = wearables.NewID()
	}
	na.CreatedAt = s.nowUTC()
	_, err := s.w.ExecContext(ctx, `INSERT INTO apps (`+appCols+`) VALUES (?, ?, ?, ?, ?)`,
		na.ID, na.DeveloperID, na.Name, encodeURIs(na.RedirectURIs), micros(na.CreatedAt))
	switch {
	case isUnique(err):
		return fmt.Errorf("sqlitestore: create app: id taken: %w", wearables.ErrConflict)
	case isForeignKey(err):
		return fmt.Errorf("sqlitestore: create app: %w", notFound("developer", na.DeveloperID))
	case err != nil:
		return fmt.Errorf("sqlitestore: create app: %w", err)
	}
	*a = na
	return nil
}

// GetApp returns ErrNotFound when there is no such application.
func (s *Store) GetApp(ctx context.Context, id string) (wearables.App, error) {
	a, err := scanApp(s.r.QueryRowContext(ctx, `SELECT `+appCols+` FROM apps WHERE id = ?`, id))
	return a, rowErr("get app", "app", id, err)
}

// UpdateApp replaces Name and RedirectURIs. ErrNotFound when absent,
// ErrInvalid for an empty name.
func (s *Store) UpdateApp(ctx context.Context, a wearables.App) error {
	if a.Name == "" {
		return fmt.Errorf("sqlitestore: update app: %w", invalid("Name", "name is empty"))
	}
	res, err := s.w.ExecContext(ctx, `UPDATE apps SET name = ?, redirect_uris = ? WHERE id = ?`, a.Name, encodeURIs(a.RedirectURIs), a.ID)
	if err != nil {
		return fmt.Errorf("sqlitestore: update app: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: update app: %w", notFound("app", a.ID))
	}
	return nil
}

// ListApps pages through applications by id, only q.OwnerID's when set.
func (s *Store) ListApps(ctx context.Context, q wearables.ListQuery) (wearables.Page[wearables.App], error) {
	return listByID(ctx, s, "list apps", `SELECT `+appCols+` FROM apps WHERE id > ? AND (? = '' OR developer_id = ?) ORDER BY id LIMIT ?`, q.Cursor, q.OwnerID, q.Limit,
		scanApp, func(a wearables.App) string { return a.ID })
}

const apiKeyCols = `id, app_id, name, prefix, hash, created_us, revoked_us`

func scanAPIKey(sc scanner) (wearables.APIKey, error) {
	var (
		k   wearables.APIKey
		cr  int64
		rev sql.NullInt64
	)
	err := sc.Scan(&k.ID, &k.AppID, &k.Name, &k.Prefix, &k.Hash, &cr, &rev)
	k.CreatedAt = fromMicros(cr)
	k.RevokedAt = fromNullMicros(rev)
	return k, err
}

// CreateAPIKey stores k, setting ID (when empty) and CreatedAt. ErrNotFound
// when the application does not exist, ErrConflict when the hash or id is
// taken, ErrInvalid for an empty hash or prefix.
func (s *Store) CreateAPIKey(ctx context.Context, k *wearables.APIKey) error {
	if k.Hash == "" || k.Prefix == "" {
		return fmt.Errorf("sqlitestore: create api key: %w", invalid("Hash", "hash or prefix is empty"))
	}
	nk := *k
	if nk.ID == "" {
		nk.ID = wearables.NewID()
	}
	nk.CreatedAt = s.nowUTC()
	_, err := s.w.ExecContext(ctx, `INSERT INTO api_keys (`+apiKeyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		nk.ID, nk.AppID, nk.Name, nk.Prefix, nk.Hash, micros(nk.CreatedAt), nullMicros(nk.RevokedAt))
	switch {
	case isUnique(err):
		return fmt.Errorf("sqlitestore: create api key: id or hash taken: %w", wearables.ErrConflict)
	case isForeignKey(err):
		return fmt.Errorf("sqlitestore: create api key: %w", notFound("app", nk.AppID))
	case err != nil:
		return fmt.Errorf("sqlitestore: create api key: %w", err)
	}
	nk.RevokedAt = fromNullMicros(nullMicros(nk.RevokedAt))
	*k = nk
	return nil
}

// GetAPIKey returns ErrNotFound when there is no such key.
func (s *Store) GetAPIKey(ctx context.Context, id string) (wearables.APIKey, error) {
	k, err := scanAPIKey(s.r.QueryRowContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE id = ?`, id))
	return k, rowErr("get api key", "api key", id, err)
}

// GetAPIKeyByHash returns the key with that hash, revoked or not.
// ErrNotFound when there is none.
func (s *Store) GetAPIKeyByHash(ctx context.Context, hash string) (wearables.APIKey, error) {
	k, err := scanAPIKey(s.r.QueryRowContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE hash = ?`, hash))
	return k, rowErr("get api key by hash", "api key", "…", err)
}

// ListAPIKeys pages through keys by id, only q.OwnerID's when set.
func (s *Store) ListAPIKeys(ctx context.Context, q wearables.ListQuery) (wearables.Page[wearables.APIKey], error) {
	return listByID(ctx, s, "list api keys", `SELECT `+apiKeyCols+` FROM api_keys WHERE id > ? AND (? = '' OR app_id = ?) ORDER BY id LIMIT ?`, q.Cursor, q.OwnerID, q.Limit,
		scanAPIKey, func(k wearables.APIKey) string { return k.ID })
}

// RevokeAPIKey sets RevokedAt unless already revoked. ErrNotFound when
// there is no such key.
func (s *Store) RevokeAPIKey(ctx context.Context, id string, at time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE api_keys SET revoked_us = COALESCE(revoked_us, ?) WHERE id = ?`, micros(at.UTC().Truncate(wearables.TimePrecision)), id)
	if err != nil {
		return fmt.Errorf("sqlitestore: revoke api key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: revoke api key: %w", notFound("api key", id))
	}
	return nil
}

// rowErr maps sql.ErrNoRows to ErrNotFound and wraps the rest.
func rowErr(op, what, id string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlitestore: %s: %w", op, notFound(what, id))
	}
	return fmt.Errorf("sqlitestore: %s: %w", op, err)
}

// listByID runs query (placeholders: after id, owner, owner again when the
// query names it twice, limit) and returns one page ordered by id.
func listByID[T any](ctx context.Context, s *Store, op, query, cursor, owner string, limit int, scan func(scanner) (T, error), id func(T) string) (wearables.Page[T], error) {
	var page wearables.Page[T]
	n, err := pagecursor.Limit(limit)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: %s: %w", op, err)
	}
	after := ""
	if cursor != "" {
		parts, err := pagecursor.Decode(cursor, 1)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: %s: %w", op, err)
		}
		after = parts[0]
	}
	args := []any{after, owner}
	if countQ(query) == 4 {
		args = append(args, owner)
	}
	args = append(args, n+1)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: %s: %w", op, err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: %s: %w", op, err)
		}
		page.Items = append(page.Items, v)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("sqlitestore: %s: %w", op, err)
	}
	if len(page.Items) > n {
		page.Items = page.Items[:n]
		page.Next = pagecursor.Encode(id(page.Items[n-1]))
	}
	return page, nil
}

func countQ(q string) int {
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
		}
	}
	return n
}

var _ wearables.TenantStore = (*Store)(nil)
