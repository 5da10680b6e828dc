package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// testApps checks wearables.TenantStore: developers, refresh tokens,
// applications and API keys. Every store of this module implements it.
func testApps(t *testing.T, newStore Factory) {
	tenants := func(t *testing.T) wearables.TenantStore {
		s := newStore(t)
		ts, ok := s.(wearables.TenantStore)
		require.True(t, ok, "%T does not implement wearables.TenantStore", s)
		return ts
	}
	newDev := func(t *testing.T, s wearables.TenantStore, email string) wearables.Developer {
		d := wearables.Developer{Email: email, PasswordHash: "$2a$10$hash"}
		require.NoError(t, s.CreateDeveloper(t.Context(), &d))
		return d
	}

	t.Run("Developers", func(t *testing.T) {
		s, ctx := tenants(t), t.Context()
		d := wearables.Developer{Email: "ada@example.com", PasswordHash: "$2a$10$x", Admin: true}
		require.NoError(t, s.CreateDeveloper(ctx, &d))
		assert.NotEmpty(t, d.ID)
		assert.False(t, d.CreatedAt.IsZero())

		got, err := s.GetDeveloper(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, d.Email, got.Email)
		assert.Equal(t, d.PasswordHash, got.PasswordHash)
		assert.True(t, got.Admin)
		assert.True(t, d.CreatedAt.Equal(got.CreatedAt))

		got, err = s.GetDeveloperByEmail(ctx, "ada@example.com")
		require.NoError(t, err)
		assert.Equal(t, d.ID, got.ID)

		assert.ErrorIs(t, s.CreateDeveloper(ctx, &wearables.Developer{Email: "ada@example.com", PasswordHash: "h"}), wearables.ErrConflict)
		assert.ErrorIs(t, s.CreateDeveloper(ctx, &wearables.Developer{Email: "", PasswordHash: "h"}), wearables.ErrInvalid)
		assert.ErrorIs(t, s.CreateDeveloper(ctx, &wearables.Developer{Email: "b@example.com"}), wearables.ErrInvalid)
		_, err = s.GetDeveloper(ctx, "missing")
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = s.GetDeveloperByEmail(ctx, "missing@example.com")
		assert.ErrorIs(t, err, wearables.ErrNotFound)

		for _, e := range []string{"b@example.com", "c@example.com"} {
			newDev(t, s, e)
		}
		var all []wearables.Developer
		q := wearables.ListQuery{Limit: 2}
		for {
			p, err := s.ListDevelopers(ctx, q)
			require.NoError(t, err)
			all = append(all, p.Items...)
			if p.Next == "" {
				break
			}
			q.Cursor = p.Next
		}
		assert.Len(t, all, 3)
		_, err = s.ListDevelopers(ctx, wearables.ListQuery{Cursor: "garbage!"})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})

	t.Run("RefreshTokens", func(t *testing.T) {
		s, ctx := tenants(t), t.Context()
		d := newDev(t, s, "ada@example.com")
		rt := wearables.RefreshToken{Hash: "h1", DeveloperID: d.ID, ExpiresAt: time.Now().Add(time.Hour)}
		require.NoError(t, s.PutRefreshToken(ctx, rt))
		assert.ErrorIs(t, s.PutRefreshToken(ctx, rt), wearables.ErrConflict)
		assert.ErrorIs(t, s.PutRefreshToken(ctx, wearables.RefreshToken{Hash: "h2", DeveloperID: "missing", ExpiresAt: time.Now().Add(time.Hour)}), wearables.ErrNotFound)

		got, err := s.TakeRefreshToken(ctx, "h1")
		require.NoError(t, err)
		assert.Equal(t, d.ID, got.DeveloperID)
		_, err = s.TakeRefreshToken(ctx, "h1")
		assert.ErrorIs(t, err, wearables.ErrNotFound, "single use")

		require.NoError(t, s.PutRefreshToken(ctx, wearables.RefreshToken{Hash: "old", DeveloperID: d.ID, ExpiresAt: time.Now().Add(-time.Minute)}))
		_, err = s.TakeRefreshToken(ctx, "old")
		assert.ErrorIs(t, err, wearables.ErrNotFound, "expired")

		require.NoError(t, s.PutRefreshToken(ctx, wearables.RefreshToken{Hash: "race", DeveloperID: d.ID, ExpiresAt: time.Now().Add(time.Hour)}))
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
		)
		for range 8 {
			wg.Go(func() {
				if _, err := s.TakeRefreshToken(ctx, "race"); err == nil {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 1, wins, "concurrent takes: exactly one wins")
	})

	t.Run("Apps", func(t *testing.T) {
		s, ctx := tenants(t), t.Context()
		d1, d2 := newDev(t, s, "a@example.com"), newDev(t, s, "b@example.com")
		a := wearables.App{DeveloperID: d1.ID, Name: "Acme", RedirectURIs: []string{"https://acme.example/done"}}
		require.NoError(t, s.CreateApp(ctx, &a))
		assert.NotEmpty(t, a.ID)
		got, err := s.GetApp(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, a.Name, got.Name)
		assert.Equal(t, a.RedirectURIs, got.RedirectURIs)
		assert.Equal(t, d1.ID, got.DeveloperID)

		got.Name, got.RedirectURIs = "Acme 2", []string{"https://a/1", "https://a/2"}
		require.NoError(t, s.UpdateApp(ctx, got))
		got2, err := s.GetApp(ctx, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "Acme 2", got2.Name)
		assert.Equal(t, []string{"https://a/1", "https://a/2"}, got2.RedirectURIs)

		noURIs := wearables.App{DeveloperID: d2.ID, Name: "Globex"}
		require.NoError(t, s.CreateApp(ctx, &noURIs))
		got, err = s.GetApp(ctx, noURIs.ID)
		require.NoError(t, err)
		assert.Empty(t, got.RedirectURIs)

		assert.ErrorIs(t, s.CreateApp(ctx, &wearables.App{DeveloperID: "missing", Name: "x"}), wearables.ErrNotFound)
		assert.ErrorIs(t, s.CreateApp(ctx, &wearables.App{DeveloperID: d1.ID}), wearables.ErrInvalid)
		assert.ErrorIs(t, s.UpdateApp(ctx, wearables.App{ID: "missing", Name: "x"}), wearables.ErrNotFound)
		_, err = s.GetApp(ctx, "missing")
		assert.ErrorIs(t, err, wearables.ErrNotFound)

		p, err := s.ListApps(ctx, wearables.ListQuery{OwnerID: d1.ID})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, a.ID, p.Items[0].ID)
		p, err = s.ListApps(ctx, wearables.ListQuery{})
		require.NoError(t, err)
		assert.Len(t, p.Items, 2)
	})

	t.Run("APIKeys", func(t *testing.T) {
		s, ctx := tenants(t), t.Context()
		d := newDev(t, s, "a@example.com")
		a1 := wearables.App{DeveloperID: d.ID, Name: "one"}
		a2 := wearables.App{DeveloperID: d.ID, Name: "two"}
		require.NoError(t, s.CreateApp(ctx, &a1))
		require.NoError(t, s.CreateApp(ctx, &a2))

		k := wearables.APIKey{AppID: a1.ID, Name: "ci", Prefix: "wk_abc", Hash: "hash-1"}
		require.NoError(t, s.CreateAPIKey(ctx, &k))
		assert.NotEmpty(t, k.ID)
		assert.False(t, k.Revoked())

		got, err := s.GetAPIKeyByHash(ctx, "hash-1")
		require.NoError(t, err)
		assert.Equal(t, k.ID, got.ID)
		assert.Equal(t, a1.ID, got.AppID)
		assert.Equal(t, "wk_abc", got.Prefix)
		assert.Equal(t, "ci", got.Name)
		got, err = s.GetAPIKey(ctx, k.ID)
		require.NoError(t, err)
		assert.Equal(t, "hash-1", got.Hash)

		assert.ErrorIs(t, s.CreateAPIKey(ctx, &wearables.APIKey{AppID: a2.ID, Prefix: "p", Hash: "hash-1"}), wearables.ErrConflict)
		assert.ErrorIs(t, s.CreateAPIKey(ctx, &wearables.APIKey{AppID: "missing", Prefix: "p", Hash: "hash-9"}), wearables.ErrNotFound)
		assert.ErrorIs(t, s.CreateAPIKey(ctx, &wearables.APIKey{AppID: a1.ID, Prefix: "p"}), wearables.ErrInvalid)
		_, err = s.GetAPIKeyByHash(ctx, "nope")
		assert.ErrorIs(t, err, wearables.ErrNotFound)

		k2 := wearables.APIKey{AppID: a2.ID, Prefix: "wk_def", Hash: "hash-2"}
		require.NoError(t, s.CreateAPIKey(ctx, &k2))
		p, err := s.ListAPIKeys(ctx, wearables.ListQuery{OwnerID: a1.ID})
		require.NoError(t, err)
		require.Len(t, p.Items, 1)
		assert.Equal(t, k.ID, p.Items[0].ID)

		at := time.Date(2026, 1, 2, 3, 4, 5, 6789, time.UTC)
		require.NoError(t, s.RevokeAPIKey(ctx, k.ID, at))
		require.NoError(t, s.RevokeAPIKey(ctx, k.ID, at.Add(time.Hour)), "revoking twice is fine")
		got, err = s.GetAPIKeyByHash(ctx, "hash-1")
		require.NoError(t, err)
		assert.True(t, got.Revoked())
		assert.True(t, at.Truncate(wearables.TimePrecision).Equal(got.RevokedAt), "the first revocation stands: %v", got.RevokedAt)
		assert.ErrorIs(t, s.RevokeAPIKey(ctx, "missing", at), wearables.ErrNotFound)
		other, err := s.GetAPIKey(ctx, k2.ID)
		require.NoError(t, err)
		assert.False(t, other.Revoked())
	})
}
