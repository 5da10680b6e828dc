package storetest

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func testConnections(t *testing.T, newStore Factory) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		before := time.Now().Add(-time.Second)
		c := wearables.Connection{
			UserID:         u.ID,
			Provider:       wearables.ProviderOura,
			ProviderUserID: "3RSPXB",
			Status:         wearables.ConnectionActive,
			Scopes:         []string{"daily", "heartrate", "personal", "session", "workout"},
		}
		require.NoError(t, s.CreateConnection(ctx, &c))
		assert.NotEmpty(t, c.ID)
		assert.True(t, c.ConnectedAt.After(before), "ConnectedAt is set when zero")
		assert.True(t, c.UpdatedAt.After(before), "UpdatedAt is set")

		got, err := s.GetConnection(ctx, c.ID)
		require.NoError(t, err)
		assertConnectionEqual(t, c, got)

		// A given ConnectedAt is kept, at microsecond precision, in UTC.
		connected := time.Date(2025, 11, 2, 1, 30, 15, 987654321, marquesas)
		g := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderGarmin, Status: wearables.ConnectionPaused, ConnectedAt: connected}
		require.NoError(t, s.CreateConnection(ctx, &g))
		got, err = s.GetConnection(ctx, g.ID)
		require.NoError(t, err)
		assert.Equal(t, wt(connected), ct(got.ConnectedAt))
		assertUTC(t, got.ConnectedAt, "Connection.ConnectedAt")
		assert.Equal(t, wearables.ConnectionPaused, got.Status)
		assert.Empty(t, got.Scopes)
		assert.True(t, got.LastSyncedAt.IsZero(), "LastSyncedAt is zero until the first sync")

		_, err = s.GetConnection(ctx, wearables.NewID())
		assert.ErrorIs(t, err, wearables.ErrNotFound)
	})

	t.Run("MissingUser", func(t *testing.T) {
		s := newStore(t)
		c := wearables.Connection{UserID: wearables.NewID(), Provider: wearables.ProviderOura, Status: wearables.ConnectionActive}
		assert.ErrorIs(t, s.CreateConnection(t.Context(), &c), wearables.ErrNotFound)
	})

	t.Run("Invalid", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		for name, c := range map[string]wearables.Connection{
			"no provider":    {UserID: u.ID, Status: wearables.ConnectionActive},
			"unknown status": {UserID: u.ID, Provider: wearables.ProviderOura, Status: "sleepy"},
			"no status":      {UserID: u.ID, Provider: wearables.ProviderOura},
		} {
			assert.ErrorIs(t, s.CreateConnection(t.Context(), &c), wearables.ErrInvalid, name)
		}
	})

	t.Run("OnePerProvider", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		first := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderWhoop, ProviderUserID: "10129", Status: wearables.ConnectionActive}
		require.NoError(t, s.CreateConnection(ctx, &first))
		dup := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderWhoop, ProviderUserID: "77", Status: wearables.ConnectionActive}
		assert.ErrorIs(t, s.CreateConnection(ctx, &dup), wearables.ErrConflict)

		other := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderPolar, Status: wearables.ConnectionActive}
		assert.NoError(t, s.CreateConnection(ctx, &other), "another provider")
		shared := wearables.Connection{UserID: v.ID, Provider: wearables.ProviderWhoop, ProviderUserID: "10129", Status: wearables.ConnectionActive}
		assert.NoError(t, s.CreateConnection(ctx, &shared), "one vendor account linked to two users")
	})

	t.Run("Update", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderStrava)
		synced := time.Date(2026, 3, 14, 9, 15, 0, 1500, kathmandu)
		upd := c
		upd.ProviderUserID = "athlete-991"
		upd.Status = wearables.ConnectionNeedsReauth
		upd.StatusReason = "invalid_grant on refresh"
		upd.Scopes = []string{"activity:read_all"}
		upd.LastSyncedAt = synced
		require.NoError(t, s.UpdateConnection(ctx, upd))

		got, err := s.GetConnection(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, "athlete-991", got.ProviderUserID)
		assert.Equal(t, wearables.ConnectionNeedsReauth, got.Status)
		assert.Equal(t, "invalid_grant on refresh", got.StatusReason)
		assert.Equal(t, []string{"activity:read_all"}, got.Scopes)
		assert.Equal(t, wt(synced), ct(got.LastSyncedAt))
		assert.Equal(t, u.ID, got.UserID)
		assert.Equal(t, wearables.ProviderStrava, got.Provider)
		assert.True(t, got.ConnectedAt.Equal(c.ConnectedAt), "ConnectedAt is kept")
		assert.False(t, got.UpdatedAt.Before(c.UpdatedAt), "UpdatedAt moves forward")

		missing := upd
		missing.ID = wearables.NewID()
		assert.ErrorIs(t, s.UpdateConnection(ctx, missing), wearables.ErrNotFound)
	})

	t.Run("UpdateTx", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderPolar)
		upd := c
		upd.Status, upd.StatusReason = wearables.ConnectionRevoked, "test"

		// then fails: nothing changes, and its error is returned.
		boom := errors.New("then failed")
		err := s.UpdateConnectionTx(ctx, upd, func(context.Context, *sql.Tx) error { return boom })
		require.ErrorIs(t, err, boom)
		got, err := s.GetConnection(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.Status, got.Status, "a failing then rolls the update back")

		// then succeeds: it runs once, and the update is kept.
		ran := 0
		require.NoError(t, s.UpdateConnectionTx(ctx, upd, func(context.Context, *sql.Tx) error { ran++; return nil }))
		assert.Equal(t, 1, ran)
		got, err = s.GetConnection(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionRevoked, got.Status)

		// A missing connection: ErrNotFound, and then does not run.
		missing := upd
		missing.ID = wearables.NewID()
		assert.ErrorIs(t, s.UpdateConnectionTx(ctx, missing, func(context.Context, *sql.Tx) error { ran++; return nil }), wearables.ErrNotFound)
		assert.Equal(t, 1, ran)
	})

	t.Run("SetStatus", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderWithings)
		require.NoError(t, s.SetConnectionStatus(ctx, c.ID, wearables.ConnectionRevoked, "user revoked access at the vendor"))
		got, err := s.GetConnection(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionRevoked, got.Status)
		assert.Equal(t, "user revoked access at the vendor", got.StatusReason)
		assert.Equal(t, c.Scopes, got.Scopes, "only the status changes")
		assert.Equal(t, c.ProviderUserID, got.ProviderUserID, "only the status changes")

		assert.ErrorIs(t, s.SetConnectionStatus(ctx, wearables.NewID(), wearables.ConnectionPaused, ""), wearables.ErrNotFound)
	})

	t.Run("List", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		var all []wearables.Connection
		users := []wearables.User{newUser(t, s), newUser(t, s), newUser(t, s)}
		for i, u := range users {
			for _, p := range []wearables.ProviderID{wearables.ProviderOura, wearables.ProviderGarmin} {
				c := wearables.Connection{UserID: u.ID, Provider: p, ProviderUserID: "shared-" + strconv.Itoa(i%2), Status: wearables.ConnectionActive}
				if i == 2 && p == wearables.ProviderGarmin {
					c.Status = wearables.ConnectionNeedsReauth
				}
				require.NoError(t, s.CreateConnection(ctx, &c))
				all = append(all, c)
			}
		}
		ids := func(pred func(wearables.Connection) bool) []string {
			var out []string
			for _, c := range all {
				if pred(c) {
					out = append(out, c.ID)
				}
			}
			slices.Sort(out)
			return out
		}
		cases := []struct {
			name string
			q    wearables.ConnectionQuery
			want []string
		}{
			{"everything", wearables.ConnectionQuery{}, ids(func(wearables.Connection) bool { return true })},
			{"by user", wearables.ConnectionQuery{UserID: users[1].ID}, ids(func(c wearables.Connection) bool { return c.UserID == users[1].ID })},
			{"by provider", wearables.ConnectionQuery{Provider: wearables.ProviderGarmin}, ids(func(c wearables.Connection) bool { return c.Provider == wearables.ProviderGarmin })},
			{"by vendor account", wearables.ConnectionQuery{Provider: wearables.ProviderOura, ProviderUserID: "shared-0"}, ids(func(c wearables.Connection) bool {
				return c.Provider == wearables.ProviderOura && c.ProviderUserID == "shared-0"
			})},
			{"by status", wearables.ConnectionQuery{Status: wearables.ConnectionNeedsReauth}, ids(func(c wearables.Connection) bool { return c.Status == wearables.ConnectionNeedsReauth })},
			{"no match", wearables.ConnectionQuery{Provider: wearables.ProviderCoros}, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				for _, limit := range []int{1, 4, 0} {
					got := collect(t, cmpLimit(limit), func(cursor string) (wearables.Page[wearables.Connection], error) {
						q := tc.q
						q.Cursor, q.Limit = cursor, limit
						return s.ListConnections(ctx, q)
					})
					var gotIDs []string
					for _, c := range got {
						gotIDs = append(gotIDs, c.ID)
					}
					assert.Equal(t, tc.want, gotIDs, "limit %d", limit)
				}
			})
		}
		_, err := s.ListConnections(ctx, wearables.ConnectionQuery{Cursor: "%%%"})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
		_, err = s.ListConnections(ctx, wearables.ConnectionQuery{Limit: -5})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})

	t.Run("Delete", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderOura)
		keep := newConnection(t, s, u.ID, wearables.ProviderGarmin)
		for _, conn := range []wearables.Connection{c, keep} {
			require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: conn.ID, KeyID: "k1", Ciphertext: []byte{1, 2, 3}}))
			require.NoError(t, s.PutCursor(ctx, wearables.Cursor{ConnectionID: conn.ID, DataType: wearables.DataSleep, Value: "2026-03-14"}))
		}
		b := fullBatch(u.ID)
		b.Cursor = &wearables.Cursor{ConnectionID: c.ID, DataType: wearables.DataScores, Value: "next-page"}
		write(t, s, b)
		before := readAll(t, s, u.ID)

		require.NoError(t, s.DeleteConnection(ctx, c.ID))
		_, err := s.GetConnection(ctx, c.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = s.GetToken(ctx, c.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound, "the token goes with the connection")
		for _, dt := range []wearables.DataType{wearables.DataSleep, wearables.DataScores} {
			_, err = s.GetCursor(ctx, c.ID, dt)
			assert.ErrorIs(t, err, wearables.ErrNotFound, "the cursors go with the connection")
		}
		assert.Equal(t, before, readAll(t, s, u.ID), "records stay: they belong to the user")

		_, err = s.GetToken(ctx, keep.ID)
		assert.NoError(t, err, "other connections keep their token")
		_, err = s.GetCursor(ctx, keep.ID, wearables.DataSleep)
		assert.NoError(t, err, "other connections keep their cursors")

		assert.ErrorIs(t, s.DeleteConnection(ctx, c.ID), wearables.ErrNotFound, "deleting twice")
		again := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderOura, Status: wearables.ConnectionActive}
		assert.NoError(t, s.CreateConnection(ctx, &again), "the provider can be connected again")
	})
}

func testCursors(t *testing.T, newStore Factory) {
	t.Run("PutGetList", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderOura)
		other := newConnection(t, s, u.ID, wearables.ProviderPolar)

		_, err := s.GetCursor(ctx, c.ID, wearables.DataSleep)
		assert.ErrorIs(t, err, wearables.ErrNotFound, "no cursor yet")
		list, err := s.ListCursors(ctx, c.ID)
		require.NoError(t, err)
		assert.Empty(t, list)

		before := time.Now().Add(-time.Second)
		require.NoError(t, s.PutCursor(ctx, wearables.Cursor{ConnectionID: c.ID, DataType: wearables.DataSleep, Value: "2026-03-01"}))
		require.NoError(t, s.PutCursor(ctx, wearables.Cursor{ConnectionID: c.ID, DataType: "daily_readiness", Value: `{"next_token":"abc\u0000=="}`}))
		require.NoError(t, s.PutCursor(ctx, wearables.Cursor{ConnectionID: other.ID, DataType: wearables.DataSleep, Value: "polar"}))
		require.NoError(t, s.PutCursor(ctx, wearables.Cursor{ConnectionID: c.ID, DataType: wearables.DataSleep, Value: "2026-03-14"}), "replace")

		got, err := s.GetCursor(ctx, c.ID, wearables.DataSleep)
		require.NoError(t, err)
		assert.Equal(t, c.ID, got.ConnectionID)
		assert.Equal(t, wearables.DataSleep, got.DataType)
		assert.Equal(t, "2026-03-14", got.Value, "the latest value wins")
		assert.True(t, got.UpdatedAt.After(before), "UpdatedAt is set")

		list, err = s.ListCursors(ctx, c.ID)
		require.NoError(t, err)
		slices.SortFunc(list, func(a, b wearables.Cursor) int { return strings.Compare(string(a.DataType), string(b.DataType)) })
		require.Len(t, list, 2)
		assert.Equal(t, wearables.DataType("daily_readiness"), list[0].DataType)
		assert.Equal(t, `{"next_token":"abc\u0000=="}`, list[0].Value)
		assert.Equal(t, "2026-03-14", list[1].Value)

		got, err = s.GetCursor(ctx, other.ID, wearables.DataSleep)
		require.NoError(t, err)
		assert.Equal(t, "polar", got.Value, "cursors are per connection")
	})

	t.Run("MissingConnection", func(t *testing.T) {
		s := newStore(t)
		err := s.PutCursor(t.Context(), wearables.Cursor{ConnectionID: wearables.NewID(), DataType: wearables.DataSleep, Value: "x"})
		assert.ErrorIs(t, err, wearables.ErrNotFound)
	})
}

func assertConnectionEqual(t *testing.T, want, got wearables.Connection) {
	t.Helper()
	assert.Equal(t, want.ID, got.ID)
	assert.Equal(t, want.UserID, got.UserID)
	assert.Equal(t, want.Provider, got.Provider)
	assert.Equal(t, want.ProviderUserID, got.ProviderUserID)
	assert.Equal(t, want.Status, got.Status)
	assert.Equal(t, want.StatusReason, got.StatusReason)
	assert.Equal(t, nilIfEmpty(want.Scopes), nilIfEmpty(got.Scopes))
	assert.True(t, want.ConnectedAt.Equal(got.ConnectedAt), "ConnectedAt: set %v, read %v", want.ConnectedAt, got.ConnectedAt)
	assert.True(t, want.UpdatedAt.Equal(got.UpdatedAt), "UpdatedAt: set %v, read %v", want.UpdatedAt, got.UpdatedAt)
	assert.True(t, want.LastSyncedAt.Equal(got.LastSyncedAt), "LastSyncedAt: set %v, read %v", want.LastSyncedAt, got.LastSyncedAt)
	assertUTC(t, got.ConnectedAt, "Connection.ConnectedAt")
}

// cmpLimit is the page size a query with limit answers with.
func cmpLimit(limit int) int {
	if limit == 0 {
		return wearables.DefaultPageSize
	}
	return limit
}
