package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

// This file implements wearables.TenantStore (migration 0003_apps).

type scanner interface{ Scan(...any) error }

const developerCols = `id, email, password_hash, admin, created_at`

func scanDeveloper(sc scanner) (wearables.Developer, error) {
	var d wearables.Developer
	err := sc.Scan(&d.ID, &d.Email, &d.PasswordHash, &d.Admin, &d.CreatedAt)
	d.CreatedAt = d.CreatedAt.UTC()
	return d, err
}

// CreateDeveloper stores d, setting ID (when empty) and CreatedAt.
// ErrConflict when the email or id is taken, ErrInvalid for an empty email
// or password hash.
func (s *Store) CreateDeveloper(ctx context.Context, d *wearables.Developer) error {
	if d.Email == "" || d.PasswordHash == "" {
		return fmt.Errorf("pgstore: create developer: %w", invalid("Email", "email or password hash is empty"))
	}
	nd := *d
	if nd.ID == "" {
		nd.ID = wearables.NewID()
	}
	nd.CreatedAt = s.nowUTC()
	_, err := s.db.ExecContext(ctx, `INSERT INTO developers (`+developerCols+`) VALUES ($1, $2, $3, $4, $5)`,
		nd.ID, nd.Email, nd.PasswordHash, nd.Admin, nd.CreatedAt)
	if isUnique(err) {
		return fmt.Errorf("pgstore: create developer: id or email taken: %w", wearables.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("pgstore: create developer: %w", err)
	}
	*d = nd
	return nil
}

// GetDeveloper returns ErrNotFound when there is no such developer.
func (s *Store) GetDeveloper(ctx context.Context, id string) (wearables.Developer, error) {
	d, err := scanDeveloper(s.db.QueryRowContext(ctx, `SELECT `+developerCols+` FROM developers WHERE id = $1`, id))
	return d, rowErr("get developer", "developer", id, err)
}

// GetDeveloperByEmail returns ErrNotFound when there is no such developer.
func (s *Store) GetDeveloperByEmail(ctx context.Context, email string) (wearables.Developer, error) {
	d, err := scanDeveloper(s.db.QueryRowContext(ctx, `SELECT `+developerCols+` FROM developers WHERE email = $1`, email))
	return d, rowErr("get developer by email", "developer with email", "…", err)
}

// ListDevelopers pages through developers by id. ErrInvalid for a bad
// cursor or limit.
func (s *Store) ListDevelopers(ctx context.Context, q wearables.ListQuery) (wearables.Page[wearables.Developer], error) {
	return listByID(ctx, s, "list developers", `SELECT `+developerCols+` FROM developers WHERE id > $1 AND $2 = '' ORDER BY id LIMIT $3`, q.Cursor, "", q.Limit,
		scanDeveloper, func(d wearables.Developer) string { return d.ID })
}

// PutRefreshToken stores t. ErrConflict when the hash exists, ErrNotFound
// when the developer does not exist.
func (s *Store) PutRefreshToken(ctx context.Context, t wearables.RefreshToken) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO developer_refresh_tokens (hash, developer_id, expires_at) VALUES ($1, $2, $3)`,
		t.Hash, t.DeveloperID, ts(t.ExpiresAt))
	switch {
	case isUnique(err):
		return fmt.Errorf("pgstore: put refresh token: %w", wearables.ErrConflict)
	case isForeignKey(err):
		return fmt.Errorf("pgstore: put refresh token: %w", notFound("developer", t.DeveloperID))
	case err != nil:
		return fmt.Errorf("pgstore: put refresh token: %w", err)
	}
	return nil
}

// TakeRefreshToken removes and returns the token atomically. ErrNotFound
// when it is absent or expired.
func (s *Store) TakeRefreshToken(ctx context.Context, hash string) (wearables.RefreshToken, error) {
	t := wearables.RefreshToken{Hash: hash}
	err := s.db.QueryRowContext(ctx, `DELETE FROM developer_refresh_tokens WHERE hash = $1 RETURNING developer_id, expires_at`, hash).Scan(&t.DeveloperID, &t.ExpiresAt)
	if err == nil && !s.now().Before(t.ExpiresAt) {
		err = sql.ErrNoRows
	}
	if err != nil {
		return wearables.RefreshToken{}, rowErr("take refresh token", "refresh token", "…", err)
	}
	t.ExpiresAt = t.ExpiresAt.UTC()
	return t, nil
}

const appCols = `id, developer_id, name, redirect_uris, created_at`

func scanApp(sc scanner) (wearables.App, error) {
	var (
		a    wearables.App
		uris pq.StringArray
	)
	err := sc.Scan(&a.ID, &a.DeveloperID, &a.Name, &uris, &a.CreatedAt)
	a.CreatedAt = a.CreatedAt.UTC()
	a.RedirectURIs = []string(uris)
	if a.RedirectURIs == nil {
		a.RedirectURIs = []string{}
	}
	return a, err
}

func uriArray(uris []string) pq.StringArray {
	if uris == nil {
		return pq.StringArray{}
	}
	return pq.StringArray(uris)
}

// CreateApp stores a, setting ID (when empty) and CreatedAt. ErrNotFound
// when the developer does not exist, ErrInvalid for an empty name.
func (s *Store) CreateApp(ctx context.Context, a *wearables.App) error {
	if a.Name == "" {
		return fmt.Errorf("pgstore: create app: %w", invalid("Name", "name is empty"))
	}
	na := *a
	if na.ID == "" {
		na.ID = wearables.NewID()
	}
	na.CreatedAt = s.nowUTC()
	_, err := s.db.ExecContext(ctx, `INSERT INTO apps (`+appCols+`) VALUES ($1, $2, $3, $4, $5)`,
		na.ID, na.DeveloperID, na.Name, uriArray(na.RedirectURIs), na.CreatedAt)
	switch {
	case isUnique(err):
		return fmt.Errorf("pgstore: create app: id taken: %w", wearables.ErrConflict)
	case isForeignKey(err):
		return fmt.Errorf("pgstore: create app: %w", notFound("developer", na.DeveloperID))
	case err != nil:
		return fmt.Errorf("pgstore: create app: %w", err)
	}
	*a = na
	return nil
}

// GetApp returns ErrNotFound when there is no such application.
func (s *Store) GetApp(ctx context.Context, id string) (wearables.App, error) {
	a, err := scanApp(s.db.QueryRowContext(ctx, `SELECT `+appCols+` FROM apps WHERE id = $1`, id))
	return a, rowErr("get app", "app", id, err)
}

// UpdateApp replaces Name and RedirectURIs. ErrNotFound when absent,
// ErrInvalid for an empty name.
func (s *Store) UpdateApp(ctx context.Context, a wearables.App) error {
	if a.Name == "" {
		return fmt.Errorf("pgstore: update app: %w", invalid("Name", "name is empty"))
	}
	res, err := s.db.ExecContext(ctx, `UPDATE apps SET name = $1, redirect_uris = $2 WHERE id = $3`, a.Name, uriArray(a.RedirectURIs), a.ID)
	if err != nil {
		return fmt.Errorf("pgstore: update app: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("pgstore: update app: %w", notFound("app", a.ID))
	}
	return nil
}

// ListApps pages through applications by id, only q.OwnerID's when set.
func (s *Store) ListApps(ctx context.Context, q wearables.ListQuery) (wearables.Page[wearables.App], error) {
	return listByID(ctx, s, "list apps", `SELECT `+appCols+` FROM apps WHERE id > $1 AND ($2 = '' OR developer_id = $2) ORDER BY id LIMIT $3`, q.Cursor, q.OwnerID, q.Limit,
		scanApp, func(a wearables.App) string { return a.ID })
}

const apiKeyCols = `id, app_id, name, prefix, hash, created_at, revoked_at`

func scanAPIKey(sc scanner) (wearables.APIKey, error) {
	var (
		k   wearables.APIKey
		rev sql.NullTime
	)
	err := sc.Scan(&k.ID, &k.AppID, &k.Name, &k.Prefix, &k.Hash, &k.CreatedAt, &rev)
	k.CreatedAt = k.CreatedAt.UTC()
	k.RevokedAt = fromNullTime(rev)
	return k, err
}

// CreateAPIKey stores k, setting ID (when empty) and CreatedAt. ErrNotFound
// when the application does not exist, ErrConflict when the hash or id is
// taken, ErrInvalid for an empty hash or prefix.
func (s *Store) CreateAPIKey(ctx context.Context, k *wearables.APIKey) error {
	if k.Hash == "" || k.Prefix == "" {
		return fmt.Errorf("pgstore: create api key: %w", invalid("Hash", "hash or prefix is empty"))
	}
	nk := *k
	if nk.ID == "" {
		nk.ID = wearables.NewID()
	}
	nk.CreatedAt = s.nowUTC()
	_, err := s.db.ExecContext(ctx, `INSERT INTO api_keys (`+apiKeyCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		nk.ID, nk.AppID, nk.Name, nk.Prefix, nk.Hash, nk.CreatedAt, nullTime(nk.RevokedAt))
	switch {
	case isUnique(err):
		return fmt.Errorf("pgstore: create api key: id or hash taken: %w", wearables.ErrConflict)
	case isForeignKey(err):
		return fmt.Errorf("pgstore: create api key: %w", notFound("app", nk.AppID))
	case err != nil:
		return fmt.Errorf("pgstore: create api key: %w", err)
	}
	if !nk.RevokedAt.IsZero() {
		nk.RevokedAt = ts(nk.RevokedAt)
	}
	*k = nk
	return nil
}

// GetAPIKey returns ErrNotFound when there is no such key.
func (s *Store) GetAPIKey(ctx context.Context, id string) (wearables.APIKey, error) {
	k, err := scanAPIKey(s.db.QueryRowContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE id = $1`, id))
	return k, rowErr("get api key", "api key", id, err)
}

// GetAPIKeyByHash returns the key with that hash, revoked or not.
// ErrNotFound when there is none.
func (s *Store) GetAPIKeyByHash(ctx context.Context, hash string) (wearables.APIKey, error) {
	k, err := scanAPIKey(s.db.QueryRowContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE hash = $1`, hash))
	return k, rowErr("get api key by hash", "api key", "…", err)
}

// ListAPIKeys pages through keys by id, only q.OwnerID's when set.
func (s *Store) ListAPIKeys(ctx context.Context, q wearables.ListQuery) (wearables.Page[wearables.APIKey], error) {
	return listByID(ctx, s, "list api keys", `SELECT `+apiKeyCols+` FROM api_keys WHERE id > $1 AND ($2 = '' OR app_id = $2) ORDER BY id LIMIT $3`, q.Cursor, q.OwnerID, q.Limit,
		scanAPIKey, func(k wearables.APIKey) string { return k.ID })
}

// RevokeAPIKey sets RevokedAt unless already revoked. ErrNotFound when
// there is no such key.
func (s *Store) RevokeAPIKey(ctx context.Context, id string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, ts(at), id)
	if err != nil {
		return fmt.Errorf("pgstore: revoke api key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("pgstore: revoke api key: %w", notFound("api key", id))
	}
	return nil
}

// rowErr maps sql.ErrNoRows to ErrNotFound and wraps the rest.
func rowErr(op, what, id string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("pgstore: %s: %w", op, notFound(what, id))
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// listByID runs query ($1 after id, $2 owner, $3 limit) and returns one
// page ordered by id.
func listByID[T any](ctx context.Context, s *Store, op, query, cursor, owner string, limit int, scan func(scanner) (T, error), id func(T) string) (wearables.Page[T], error) {
	var page wearables.Page[T]
	n, err := pagecursor.Limit(limit)
	if err != nil {
		return page, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	after := ""
	if cursor != "" {
		parts, err := pagecursor.Decode(cursor, 1)
		if err != nil {
			return page, fmt.Errorf("pgstore: %s: %w", op, err)
		}
		after = parts[0]
	}
	rows, err := s.db.QueryContext(ctx, query, after, owner, n+1)
	if err != nil {
		return page, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return page, fmt.Errorf("pgstore: %s: %w", op, err)
		}
		page.Items = append(page.Items, v)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("pgstore: %s: %w", op, err)
	}
	if len(page.Items) > n {
		page.Items = page.Items[:n]
		page.Next = pagecursor.Encode(id(page.Items[n-1]))
	}
	return page, nil
}

var _ wearables.TenantStore = (*Store)(nil)
