package memstore

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

// appsState holds developers, refresh tokens, applications and API keys
// behind its own lock. Its zero value is ready to use.
type appsState struct {
	mu         sync.Mutex
	developers map[string]wearables.Developer
	emails     map[string]string // email → developer id
	refresh    map[string]wearables.RefreshToken
	apps       map[string]wearables.App
	keys       map[string]wearables.APIKey
	keyHashes  map[string]string // hash → key id
}

// init creates the maps; callers hold mu.
func (a *appsState) init() {
	if a.developers != nil {
		return
	}
	a.developers = map[string]wearables.Developer{}
	a.emails = map[string]string{}
	a.refresh = map[string]wearables.RefreshToken{}
	a.apps = map[string]wearables.App{}
	a.keys = map[string]wearables.APIKey{}
	a.keyHashes = map[string]string{}
}

// CreateDeveloper stores d, setting ID (when empty) and CreatedAt.
// ErrConflict when the email or id is taken, ErrInvalid for an empty email
// or password hash.
func (s *Store) CreateDeveloper(_ context.Context, d *wearables.Developer) error {
	const op = "create developer"
	if d.Email == "" {
		return invalid(op, "Email", "email is empty")
	}
	if d.PasswordHash == "" {
		return invalid(op, "PasswordHash", "password hash is empty")
	}
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	nd := *d
	if nd.ID == "" {
		nd.ID = wearables.NewID()
	}
	if _, ok := a.developers[nd.ID]; ok {
		return conflict(op, "id %q taken", nd.ID)
	}
	if _, ok := a.emails[nd.Email]; ok {
		return conflict(op, "email taken")
	}
	nd.CreatedAt = now()
	a.developers[nd.ID] = nd
	a.emails[nd.Email] = nd.ID
	*d = nd
	return nil
}

// GetDeveloper returns ErrNotFound when there is no such developer.
func (s *Store) GetDeveloper(_ context.Context, id string) (wearables.Developer, error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	d, ok := a.developers[id]
	if !ok {
		return d, notFound("get developer", "developer", id)
	}
	return d, nil
}

// GetDeveloperByEmail returns ErrNotFound when there is no such developer.
func (s *Store) GetDeveloperByEmail(_ context.Context, email string) (wearables.Developer, error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	id, ok := a.emails[email]
	if !ok {
		return wearables.Developer{}, notFound("get developer by email", "developer with email", "…")
	}
	return a.developers[id], nil
}

// ListDevelopers pages through developers by id.
func (s *Store) ListDevelopers(_ context.Context, q wearables.ListQuery) (wearables.Page[wearables.Developer], error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	return pageAppsByID("list developers", a.developers, q, func(wearables.Developer) bool { return true }, func(d wearables.Developer) string { return d.ID })
}

// PutRefreshToken stores t. ErrConflict when the hash exists, ErrNotFound
// when the developer does not exist.
func (s *Store) PutRefreshToken(_ context.Context, t wearables.RefreshToken) error {
	const op = "put refresh token"
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	if _, ok := a.developers[t.DeveloperID]; !ok {
		return notFound(op, "developer", t.DeveloperID)
	}
	if _, ok := a.refresh[t.Hash]; ok {
		return conflict(op, "hash taken")
	}
	t.ExpiresAt = t.ExpiresAt.UTC().Truncate(wearables.TimePrecision)
	a.refresh[t.Hash] = t
	return nil
}

// TakeRefreshToken removes and returns the token atomically. ErrNotFound
// when it is absent or expired.
func (s *Store) TakeRefreshToken(_ context.Context, hash string) (wearables.RefreshToken, error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	t, ok := a.refresh[hash]
	if !ok {
		return t, notFound("take refresh token", "refresh token", "…")
	}
	delete(a.refresh, hash)
	if !time.Now().Before(t.ExpiresAt) {
		return wearables.RefreshToken{}, notFound("take refresh token", "refresh token", "…")
	}
	return t, nil
}

// CreateApp stores app, setting ID (when empty) and CreatedAt. ErrNotFound
// when the developer does not exist, ErrInvalid for an empty name.
func (s *Store) CreateApp(_ context.Context, app *wearables.App) error {
	const op = "create app"
	if app.Name == "" {
		return invalid(op, "Name", "name is empty")
	}
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	if _, ok := a.developers[app.DeveloperID]; !ok {
		return notFound(op, "developer", app.DeveloperID)
	}
	na := *app
	if na.ID == "" {
		na.ID = wearables.NewID()
	}
	if _, ok := a.apps[na.ID]; ok {
		return conflict(op, "id %q taken", na.ID)
	}
	na.RedirectURIs = cloneURIs(na.RedirectURIs)
	na.CreatedAt = now()
	a.apps[na.ID] = na
	*app = na
	app.RedirectURIs = cloneURIs(na.RedirectURIs)
	return nil
}

// GetApp returns ErrNotFound when there is no such application.
func (s *Store) GetApp(_ context.Context, id string) (wearables.App, error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	app, ok := a.apps[id]
	if !ok {
		return app, notFound("get app", "app", id)
	}
	app.RedirectURIs = cloneURIs(app.RedirectURIs)
	return app, nil
}

// UpdateApp replaces Name and RedirectURIs. ErrNotFound when absent,
// ErrInvalid for an empty name.
func (s *Store) UpdateApp(_ context.Context, app wearables.App) error {
	const op = "update app"
	if app.Name == "" {
		return invalid(op, "Name", "name is empty")
	}
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	cur, ok := a.apps[app.ID]
	if !ok {
		return notFound(op, "app", app.ID)
	}
	cur.Name = app.Name
	cur.RedirectURIs = cloneURIs(app.RedirectURIs)
	a.apps[app.ID] = cur
	return nil
}

// ListApps pages through applications by id, only q.OwnerID's when set.
func (s *Store) ListApps(_ context.Context, q wearables.ListQuery) (wearables.Page[wearables.App], error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	p, err := pageAppsByID("list apps", a.apps, q, func(app wearables.App) bool { return q.OwnerID == "" || app.DeveloperID == q.OwnerID }, func(app wearables.App) string { return app.ID })
	for i := range p.Items {
		p.Items[i].RedirectURIs = cloneURIs(p.Items[i].RedirectURIs)
	}
	return p, err
}

// CreateAPIKey stores k, setting ID (when empty) and CreatedAt. ErrNotFound
// when the application does not exist, ErrConflict when the hash or id is
// taken, ErrInvalid for an empty hash or prefix.
func (s *Store) CreateAPIKey(_ context.Context, k *wearables.APIKey) error {
	const op = "create api key"
	if k.Hash == "" || k.Prefix == "" {
		return invalid(op, "Hash", "hash or prefix is empty")
	}
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	if _, ok := a.apps[k.AppID]; !ok {
		return notFound(op, "app", k.AppID)
	}
	nk := *k
	if nk.ID == "" {
		nk.ID = wearables.NewID()
	}
	if _, ok := a.keys[nk.ID]; ok {
		return conflict(op, "id %q taken", nk.ID)
	}
	if _, ok := a.keyHashes[nk.Hash]; ok {
		return conflict(op, "hash taken")
	}
	nk.CreatedAt = now()
	nk.RevokedAt = truncOrZero(nk.RevokedAt)
	a.keys[nk.ID] = nk
	a.keyHashes[nk.Hash] = nk.ID
	*k = nk
	return nil
}

// GetAPIKey returns ErrNotFound when there is no such key.
func (s *Store) GetAPIKey(_ context.Context, id string) (wearables.APIKey, error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	k, ok := a.keys[id]
	if !ok {
		return k, notFound("get api key", "api key", id)
	}
	return k, nil
}

// GetAPIKeyByHash returns the key with that hash, revoked or not.
// ErrNotFound when there is none.
func (s *Store) GetAPIKeyByHash(_ context.Context, hash string) (wearables.APIKey, error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	id, ok := a.keyHashes[hash]
	if !ok {
		return wearables.APIKey{}, notFound("get api key by hash", "api key", "…")
	}
	return a.keys[id], nil
}

// ListAPIKeys pages through keys by id, only q.OwnerID's when set.
func (s *Store) ListAPIKeys(_ context.Context, q wearables.ListQuery) (wearables.Page[wearables.APIKey], error) {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	return pageAppsByID("list api keys", a.keys, q, func(k wearables.APIKey) bool { return q.OwnerID == "" || k.AppID == q.OwnerID }, func(k wearables.APIKey) string { return k.ID })
}

// RevokeAPIKey sets RevokedAt unless already revoked. ErrNotFound when
// there is no such key.
func (s *Store) RevokeAPIKey(_ context.Context, id string, at time.Time) error {
	a := &s.apps
	a.mu.Lock()
	defer a.mu.Unlock()
	a.init()
	k, ok := a.keys[id]
	if !ok {
		return notFound("revoke api key", "api key", id)
	}
	if k.RevokedAt.IsZero() {
		k.RevokedAt = at.UTC().Truncate(wearables.TimePrecision)
		a.keys[id] = k
	}
	return nil
}

// cloneURIs copies uris; nil becomes empty, as the SQL stores read it back.
func cloneURIs(uris []string) []string {
	if uris == nil {
		return []string{}
	}
	return slices.Clone(uris)
}

func truncOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(wearables.TimePrecision)
}

// pageAppsByID returns one page of the values of m that keep accepts, ordered by id.
func pageAppsByID[T any](op string, m map[string]T, q wearables.ListQuery, keep func(T) bool, id func(T) string) (wearables.Page[T], error) {
	var page wearables.Page[T]
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return page, fmt.Errorf("memstore: %s: %w", op, err)
	}
	after := ""
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return page, fmt.Errorf("memstore: %s: %w", op, err)
		}
		after = parts[0]
	}
	var items []T
	for _, v := range m {
		if keep(v) && id(v) > after {
			items = append(items, v)
		}
	}
	slices.SortFunc(items, func(a, b T) int {
		switch ia, ib := id(a), id(b); {
		case ia < ib:
			return -1
		case ia > ib:
			return 1
		}
		return 0
	})
	if len(items) > limit {
		items = items[:limit]
		page.Next = pagecursor.Encode(id(items[limit-1]))
	}
	page.Items = items
	return page, nil
}

var _ wearables.TenantStore = (*Store)(nil)
