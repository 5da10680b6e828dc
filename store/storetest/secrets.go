package storetest

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

const hookSecret = "webhook_signature_secret_key"

func testAppSecrets(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		_, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		assert.ErrorIs(t, err, wearables.ErrNotFound, "nothing stored yet")

		in := wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "kek-2026-03", Ciphertext: opaqueBytes()}
		before := time.Now().Add(-time.Second)
		require.NoError(t, s.PutAppSecret(ctx, in))
		in.Ciphertext[0], in.Ciphertext[len(in.Ciphertext)-1] = 'X', 'X' // the store must have kept its own copy

		got, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		assert.Equal(t, wearables.ProviderPolar, got.Provider)
		assert.Equal(t, hookSecret, got.Name)
		assert.Equal(t, "kek-2026-03", got.KeyID)
		assert.True(t, bytes.Equal(opaqueBytes(), got.Ciphertext), "ciphertext bytes round-trip exactly")
		assert.True(t, got.UpdatedAt.After(before), "UpdatedAt is set")
		assertUTC(t, got.UpdatedAt, "AppSecret.UpdatedAt")

		got.Ciphertext[3] ^= 0xFF // nor may a reader's copy alias it
		again, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(opaqueBytes(), again.Ciphertext), "mutating a read secret changed the store")

		_, err = s.GetAppSecret(ctx, wearables.ProviderPolar, "other_name")
		assert.ErrorIs(t, err, wearables.ErrNotFound, "another name of the same provider")
		_, err = s.GetAppSecret(ctx, wearables.ProviderOura, hookSecret)
		assert.ErrorIs(t, err, wearables.ErrNotFound, "the same name of another provider")
	})

	t.Run("PutReplaces", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		require.NoError(t, s.PutAppSecret(ctx, wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k1", Ciphertext: []byte("first")}))
		first, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		time.Sleep(2 * time.Millisecond)
		require.NoError(t, s.PutAppSecret(ctx, wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k2", Ciphertext: []byte{0xFF, 0x00}}))
		got, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		assert.Equal(t, "k2", got.KeyID)
		assert.Equal(t, []byte{0xFF, 0x00}, got.Ciphertext)
		assert.True(t, got.UpdatedAt.After(first.UpdatedAt), "UpdatedAt moves on replace")
		all, err := s.ListAppSecrets(ctx)
		require.NoError(t, err)
		assert.Len(t, all, 1, "one row per (provider, name)")
	})

	t.Run("Invalid", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		for name, sec := range map[string]wearables.AppSecret{
			"no provider": {Name: hookSecret, KeyID: "k", Ciphertext: []byte{1}},
			"no name":     {Provider: wearables.ProviderPolar, KeyID: "k", Ciphertext: []byte{1}},
			"no key id":   {Provider: wearables.ProviderPolar, Name: hookSecret, Ciphertext: []byte{1}},
		} {
			assert.ErrorIs(t, s.PutAppSecret(ctx, sec), wearables.ErrInvalid, name)
		}
		all, err := s.ListAppSecrets(ctx)
		require.NoError(t, err)
		assert.Empty(t, all, "nothing stored")
	})

	t.Run("Delete", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		require.NoError(t, s.PutAppSecret(ctx, wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k", Ciphertext: []byte("a")}))
		require.NoError(t, s.PutAppSecret(ctx, wearables.AppSecret{Provider: wearables.ProviderPolar, Name: "other", KeyID: "k", Ciphertext: []byte("b")}))
		require.NoError(t, s.DeleteAppSecret(ctx, wearables.ProviderPolar, hookSecret))
		_, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = s.GetAppSecret(ctx, wearables.ProviderPolar, "other")
		assert.NoError(t, err, "other secrets stay")
		assert.NoError(t, s.DeleteAppSecret(ctx, wearables.ProviderPolar, hookSecret), "deleting an absent secret is not an error")
	})

	t.Run("ListAndCountByKey", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		all, err := s.ListAppSecrets(ctx)
		require.NoError(t, err)
		assert.Empty(t, all)
		counts, err := s.CountAppSecretsByKey(ctx)
		require.NoError(t, err)
		assert.Empty(t, counts)

		// Written out of order; listed by (provider, name), bytewise.
		for _, sec := range []wearables.AppSecret{
			{Provider: wearables.ProviderWhoop, Name: "a", KeyID: "k2", Ciphertext: []byte("w")},
			{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k1", Ciphertext: []byte("p2")},
			{Provider: wearables.ProviderPolar, Name: "Webhook", KeyID: "k1", Ciphertext: []byte("p1")},
			{Provider: wearables.ProviderOura, Name: "z", KeyID: "k1", Ciphertext: []byte("o")},
		} {
			require.NoError(t, s.PutAppSecret(ctx, sec))
		}
		all, err = s.ListAppSecrets(ctx)
		require.NoError(t, err)
		var keys []string
		for _, sec := range all {
			keys = append(keys, string(sec.Provider)+"/"+sec.Name+"="+string(sec.Ciphertext))
			assertUTC(t, sec.UpdatedAt, "AppSecret.UpdatedAt")
		}
		assert.Equal(t, []string{"oura/z=o", "polar/Webhook=p1", "polar/" + hookSecret + "=p2", "whoop/a=w"}, keys)

		counts, err = s.CountAppSecretsByKey(ctx)
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"k1": 3, "k2": 1}, counts)

		require.NoError(t, s.PutAppSecret(ctx, wearables.AppSecret{Provider: wearables.ProviderWhoop, Name: "a", KeyID: "k1", Ciphertext: []byte("w2")}))
		require.NoError(t, s.DeleteAppSecret(ctx, wearables.ProviderOura, "z"))
		counts, err = s.CountAppSecretsByKey(ctx)
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"k1": 3}, counts, "counts follow replaces and deletes")
	})

	t.Run("Replace", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		prev := wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k1", Ciphertext: []byte{0x00, 'o', 'l', 'd'}}
		next := wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k2", Ciphertext: []byte{0xFF, 'n', 'e', 'w'}}
		assert.ErrorIs(t, s.ReplaceAppSecret(ctx, prev, next), wearables.ErrNotFound, "nothing stored")

		require.NoError(t, s.PutAppSecret(ctx, prev))
		stored, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		require.NoError(t, s.ReplaceAppSecret(ctx, stored, next))
		got, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		assert.Equal(t, "k2", got.KeyID)
		assert.Equal(t, next.Ciphertext, got.Ciphertext)

		// prev is no longer stored: a second replace from it is a conflict
		// and changes nothing.
		late := wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k3", Ciphertext: []byte("late")}
		assert.ErrorIs(t, s.ReplaceAppSecret(ctx, prev, late), wearables.ErrConflict)
		// Same key id, other bytes: a conflict too.
		sameKey := next
		sameKey.Ciphertext = []byte{0xFF, 'n', 'e', 'W'}
		assert.ErrorIs(t, s.ReplaceAppSecret(ctx, sameKey, late), wearables.ErrConflict)
		// Same bytes, other key id: a conflict too.
		otherKey := next
		otherKey.KeyID = "k1"
		assert.ErrorIs(t, s.ReplaceAppSecret(ctx, otherKey, late), wearables.ErrConflict)
		got, err = s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		assert.Equal(t, "k2", got.KeyID, "conflicts write nothing")
		assert.Equal(t, next.Ciphertext, got.Ciphertext, "conflicts write nothing")

		moved := late
		moved.Name = "other"
		assert.ErrorIs(t, s.ReplaceAppSecret(ctx, next, moved), wearables.ErrInvalid, "next must name the same secret")
		noKey := late
		noKey.KeyID = ""
		assert.ErrorIs(t, s.ReplaceAppSecret(ctx, next, noKey), wearables.ErrInvalid)
		got, err = s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		assert.Equal(t, "k2", got.KeyID, "invalid replaces write nothing")
	})

	t.Run("ReplaceIsAtomic", func(t *testing.T) {
		// Many writers replace the same stored value at once, each with its
		// own next value: exactly one wins, the others see ErrConflict, and
		// the stored value is the winner's.
		s, ctx := newStore(t), t.Context()
		prev := wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k1", Ciphertext: []byte("prev")}
		require.NoError(t, s.PutAppSecret(ctx, prev))
		const n = 8
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			won  []int
			errs []error
		)
		for i := range n {
			wg.Go(func() {
				next := wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k2", Ciphertext: []byte{byte('a' + i)}}
				err := s.ReplaceAppSecret(ctx, prev, next)
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					won = append(won, i)
				} else {
					errs = append(errs, err)
				}
			})
		}
		wg.Wait()
		require.Len(t, won, 1, "exactly one replace wins")
		for _, err := range errs {
			assert.ErrorIs(t, err, wearables.ErrConflict)
		}
		got, err := s.GetAppSecret(ctx, wearables.ProviderPolar, hookSecret)
		require.NoError(t, err)
		assert.Equal(t, []byte{byte('a' + won[0])}, got.Ciphertext)
	})

	t.Run("StringHidesCiphertext", func(t *testing.T) {
		sec := wearables.AppSecret{Provider: wearables.ProviderPolar, Name: hookSecret, KeyID: "k", Ciphertext: []byte("sealed-bytes")}
		for _, s := range []string{sec.String(), sec.GoString()} {
			assert.NotContains(t, s, "sealed-bytes")
			assert.Contains(t, s, hookSecret)
		}
	})
}
