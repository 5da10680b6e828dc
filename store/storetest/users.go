package storetest

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func testUsers(t *testing.T, newStore Factory) {
	t.Run("CreateAndGet", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		before := time.Now().Add(-time.Second)
		u := wearables.User{AppID: "acme", ExternalID: "patient-0042", TimeZone: "Asia/Kathmandu"}
		require.NoError(t, s.CreateUser(ctx, &u))
		assert.NotEmpty(t, u.ID, "CreateUser sets the ID")
		assert.True(t, u.CreatedAt.After(before) && u.CreatedAt.Before(time.Now().Add(time.Second)), "CreatedAt %v is not now", u.CreatedAt)

		got, err := s.GetUser(ctx, u.ID)
		require.NoError(t, err)
		assertUserEqual(t, u, got)

		got, err = s.GetUserByExternalID(ctx, "acme", "patient-0042")
		require.NoError(t, err)
		assertUserEqual(t, u, got)
	})

	t.Run("ExplicitID", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		id := wearables.NewID()
		u := wearables.User{ID: id}
		require.NoError(t, s.CreateUser(ctx, &u))
		assert.Equal(t, id, u.ID, "a given ID is kept")
		got, err := s.GetUser(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, id, got.ID)

		err = s.CreateUser(ctx, &wearables.User{ID: id, ExternalID: "other"})
		assert.ErrorIs(t, err, wearables.ErrConflict, "a taken ID")
	})

	t.Run("ExternalIDUniquePerApp", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		require.NoError(t, s.CreateUser(ctx, &wearables.User{AppID: "acme", ExternalID: "e-1"}))
		err := s.CreateUser(ctx, &wearables.User{AppID: "acme", ExternalID: "e-1"})
		assert.ErrorIs(t, err, wearables.ErrConflict, "same app, same external id")

		assert.NoError(t, s.CreateUser(ctx, &wearables.User{AppID: "globex", ExternalID: "e-1"}), "same external id in another app")
		assert.NoError(t, s.CreateUser(ctx, &wearables.User{ExternalID: "e-1"}), "same external id without an app")
		assert.NoError(t, s.CreateUser(ctx, &wearables.User{AppID: "acme"}), "empty external ids do not collide")
		assert.NoError(t, s.CreateUser(ctx, &wearables.User{AppID: "acme"}), "empty external ids do not collide")

		a, err := s.GetUserByExternalID(ctx, "acme", "e-1")
		require.NoError(t, err)
		g, err := s.GetUserByExternalID(ctx, "globex", "e-1")
		require.NoError(t, err)
		assert.NotEqual(t, a.ID, g.ID)
	})

	t.Run("InvalidTimeZone", func(t *testing.T) {
		s := newStore(t)
		err := s.CreateUser(t.Context(), &wearables.User{TimeZone: "Mars/Olympus_Mons"})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})

	t.Run("NotFound", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := wearables.User{AppID: "acme", ExternalID: "e-1"}
		require.NoError(t, s.CreateUser(ctx, &u))

		_, err := s.GetUser(ctx, wearables.NewID())
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = s.GetUserByExternalID(ctx, "acme", "e-2")
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = s.GetUserByExternalID(ctx, "globex", "e-1")
		assert.ErrorIs(t, err, wearables.ErrNotFound, "another app's user")
		_, err = s.GetUserByExternalID(ctx, "", "e-1")
		assert.ErrorIs(t, err, wearables.ErrNotFound, "another app's user")
	})

	t.Run("Update", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := wearables.User{AppID: "acme", ExternalID: "e-1"}
		require.NoError(t, s.CreateUser(ctx, &u))
		require.NoError(t, s.CreateUser(ctx, &wearables.User{AppID: "acme", ExternalID: "taken"}))

		upd := u
		upd.ExternalID, upd.TimeZone = "e-1b", "America/St_Johns"
		upd.AppID = "globex" // not changeable
		upd.CreatedAt = time.Now().Add(time.Hour)
		require.NoError(t, s.UpdateUser(ctx, upd))

		got, err := s.GetUser(ctx, u.ID)
		require.NoError(t, err)
		assert.Equal(t, "e-1b", got.ExternalID)
		assert.Equal(t, "America/St_Johns", got.TimeZone)
		assert.Equal(t, "acme", got.AppID, "UpdateUser changes only ExternalID and TimeZone")
		assert.True(t, got.CreatedAt.Equal(u.CreatedAt), "CreatedAt changed to %v", got.CreatedAt)

		_, err = s.GetUserByExternalID(ctx, "acme", "e-1")
		assert.ErrorIs(t, err, wearables.ErrNotFound, "the old external id is free")
		_, err = s.GetUserByExternalID(ctx, "acme", "e-1b")
		assert.NoError(t, err)
		assert.NoError(t, s.CreateUser(ctx, &wearables.User{AppID: "acme", ExternalID: "e-1"}), "the old external id is reusable")

		upd.ExternalID = "taken"
		assert.ErrorIs(t, s.UpdateUser(ctx, upd), wearables.ErrConflict)
		upd.ExternalID, upd.TimeZone = "e-1b", "Nowhere/Atlantis"
		assert.ErrorIs(t, s.UpdateUser(ctx, upd), wearables.ErrInvalid)
		assert.ErrorIs(t, s.UpdateUser(ctx, wearables.User{ID: wearables.NewID()}), wearables.ErrNotFound)

		got, err = s.GetUser(ctx, u.ID)
		require.NoError(t, err)
		assert.Equal(t, "e-1b", got.ExternalID, "failed updates change nothing")
		assert.Equal(t, "America/St_Johns", got.TimeZone, "failed updates change nothing")
	})

	t.Run("ListPaging", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		var acme, none []string
		for i := range 7 {
			u := wearables.User{AppID: "acme", ExternalID: "a-" + strconv.Itoa(i)}
			require.NoError(t, s.CreateUser(ctx, &u))
			acme = append(acme, u.ID)
		}
		for i := range 3 {
			require.NoError(t, s.CreateUser(ctx, &wearables.User{AppID: "globex", ExternalID: "g-" + strconv.Itoa(i)}))
		}
		for range 2 {
			u := wearables.User{}
			require.NoError(t, s.CreateUser(ctx, &u))
			none = append(none, u.ID)
		}
		slices.Sort(acme)
		slices.Sort(none)

		for _, limit := range []int{1, 3, 7, 100} {
			t.Run("Limit"+strconv.Itoa(limit), func(t *testing.T) {
				users := collect(t, limit, func(c string) (wearables.Page[wearables.User], error) {
					return s.ListUsers(ctx, wearables.UserQuery{AppID: "acme", Cursor: c, Limit: limit})
				})
				assert.Equal(t, acme, userIDs(users), "every user once, in id order")
				for _, u := range users {
					assert.Equal(t, "acme", u.AppID)
					assert.False(t, u.CreatedAt.IsZero())
				}
			})
		}
		page, err := s.ListUsers(ctx, wearables.UserQuery{AppID: "acme"})
		require.NoError(t, err)
		assert.Equal(t, acme, userIDs(page.Items), "Limit 0 is the default page size")
		assert.Empty(t, page.Next)

		page, err = s.ListUsers(ctx, wearables.UserQuery{})
		require.NoError(t, err)
		assert.Equal(t, none, userIDs(page.Items), "AppID \"\" lists users without an application")

		page, err = s.ListUsers(ctx, wearables.UserQuery{AppID: "initech"})
		require.NoError(t, err)
		assert.Empty(t, page.Items)
		assert.Empty(t, page.Next)
	})

	t.Run("ListBadQuery", func(t *testing.T) {
		s := newStore(t)
		for name, q := range map[string]wearables.UserQuery{
			"garbage cursor": {Cursor: "not a cursor!"},
			"negative limit": {Limit: -1},
			"huge limit":     {Limit: wearables.MaxPageSize + 1},
		} {
			_, err := s.ListUsers(t.Context(), q)
			assert.ErrorIs(t, err, wearables.ErrInvalid, name)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := wearables.User{AppID: "acme", ExternalID: "e-1"}
		require.NoError(t, s.CreateUser(ctx, &u))
		other := newUser(t, s)

		require.NoError(t, s.DeleteUser(ctx, u.ID))
		_, err := s.GetUser(ctx, u.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = s.GetUserByExternalID(ctx, "acme", "e-1")
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		assert.ErrorIs(t, s.DeleteUser(ctx, u.ID), wearables.ErrNotFound, "deleting twice")
		assert.ErrorIs(t, s.DeleteUser(ctx, wearables.NewID()), wearables.ErrNotFound)

		_, err = s.GetUser(ctx, other.ID)
		assert.NoError(t, err, "other users stay")
		assert.NoError(t, s.CreateUser(ctx, &wearables.User{AppID: "acme", ExternalID: "e-1"}), "the external id is free again")
	})
}

func assertUserEqual(t *testing.T, want, got wearables.User) {
	t.Helper()
	assert.Equal(t, want.ID, got.ID)
	assert.Equal(t, want.AppID, got.AppID)
	assert.Equal(t, want.ExternalID, got.ExternalID)
	assert.Equal(t, want.TimeZone, got.TimeZone)
	assert.True(t, want.CreatedAt.Equal(got.CreatedAt), "CreatedAt: CreateUser set %v, read back %v", want.CreatedAt, got.CreatedAt)
	assertUTC(t, got.CreatedAt, "User.CreatedAt")
}

func userIDs(us []wearables.User) []string {
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return ids
}
