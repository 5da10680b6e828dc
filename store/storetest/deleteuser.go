package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// world is one user with everything a user can own.
type world struct {
	user        wearables.User
	conns       []wearables.Connection
	batch       *wearables.Batch
	priorities  []wearables.SourcePriority
	tokenPrefix []byte
}

func populate(t *testing.T, s wearables.Store, keyID string) world {
	t.Helper()
	ctx := t.Context()
	w := world{user: newUser(t, s), tokenPrefix: []byte(keyID + "\x00\xFF")}
	for _, p := range []wearables.ProviderID{wearables.ProviderOura, wearables.ProviderGarmin, wearables.ProviderAppleHealth} {
		c := newConnection(t, s, w.user.ID, p)
		w.conns = append(w.conns, c)
		require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: keyID, Ciphertext: append(slices.Clone(w.tokenPrefix), c.ID...)}))
		require.NoError(t, s.PutCursor(ctx, wearables.Cursor{ConnectionID: c.ID, DataType: wearables.DataSleep, Value: "2026-03-01"}))
	}
	w.batch = fullBatch(w.user.ID)
	w.batch.Cursor = &wearables.Cursor{ConnectionID: w.conns[0].ID, DataType: wearables.DataScores, Value: "2026-03-14"}
	write(t, s, w.batch)
	w.priorities = []wearables.SourcePriority{{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderGarmin, wearables.ProviderAppleHealth}}}
	require.NoError(t, s.SetSourcePriorities(ctx, w.user.ID, w.priorities))
	return w
}

func testDeleteUser(t *testing.T, newStore Factory) {
	t.Run("RemovesEverything", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		gone := populate(t, s, "k-gone")
		kept := populate(t, s, "k-kept")
		keptData := readAll(t, s, kept.user.ID)
		require.Equal(t, 18, keptData.records())

		require.NoError(t, s.DeleteUser(ctx, gone.user.ID))

		_, err := s.GetUser(ctx, gone.user.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		for _, c := range gone.conns {
			_, err := s.GetConnection(ctx, c.ID)
			assert.ErrorIs(t, err, wearables.ErrNotFound, "connection")
			_, err = s.GetToken(ctx, c.ID)
			assert.ErrorIs(t, err, wearables.ErrNotFound, "token")
			for _, dt := range []wearables.DataType{wearables.DataSleep, wearables.DataScores} {
				_, err = s.GetCursor(ctx, c.ID, dt)
				assert.ErrorIs(t, err, wearables.ErrNotFound, "cursor")
			}
			if cursors, err := s.ListCursors(ctx, c.ID); !isNotFound(err) {
				require.NoError(t, err)
				assert.Empty(t, cursors, "cursors")
			}
			err = s.UpdateToken(ctx, c.ID, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
				t.Error("UpdateToken ran its callback for a deleted user's connection")
				return wearables.TokenUpdate{}, nil
			})
			assert.ErrorIs(t, err, wearables.ErrNotFound, "UpdateToken")
		}
		conns, err := s.ListConnections(ctx, wearables.ConnectionQuery{UserID: gone.user.ID})
		require.NoError(t, err)
		assert.Empty(t, conns.Items, "connections")
		assertNoData(t, s, gone.user.ID, "samples, workouts, sleep, summaries, scores and sources")
		if ps, err := s.GetSourcePriorities(ctx, gone.user.ID); !isNotFound(err) {
			require.NoError(t, err)
			assert.Empty(t, ps, "priorities")
		}

		// Tokens are listed and counted across users: only the kept ones remain.
		toks := collect(t, 2, func(c string) (wearables.Page[wearables.EncryptedToken], error) {
			return s.ListTokens(ctx, wearables.TokenQuery{Cursor: c, Limit: 2})
		})
		assert.Len(t, toks, len(kept.conns))
		for _, tok := range toks {
			assert.True(t, bytes.HasPrefix(tok.Ciphertext, kept.tokenPrefix), "only the kept user's tokens remain")
		}
		counts, err := s.CountTokensByKey(ctx)
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"k-kept": len(kept.conns)}, counts)

		// The other user is intact.
		assert.Equal(t, keptData, readAll(t, s, kept.user.ID), "another user's records stay")
		for _, c := range kept.conns {
			_, err := s.GetConnection(ctx, c.ID)
			assert.NoError(t, err)
			_, err = s.GetToken(ctx, c.ID)
			assert.NoError(t, err)
			_, err = s.GetCursor(ctx, c.ID, wearables.DataSleep)
			assert.NoError(t, err)
		}
		cur, err := s.GetCursor(ctx, kept.conns[0].ID, wearables.DataScores)
		require.NoError(t, err)
		assert.Equal(t, "2026-03-14", cur.Value)
		ps, err := s.GetSourcePriorities(ctx, kept.user.ID)
		require.NoError(t, err)
		assert.Equal(t, canonPriorities(kept.priorities), canonPriorities(ps))

		// The deleted user is gone for writers too.
		_, err = s.WriteBatch(ctx, fullBatch(gone.user.ID))
		assert.ErrorIs(t, err, wearables.ErrInvalid, "a batch of a deleted user")
		assert.ErrorIs(t, s.SetSourcePriorities(ctx, gone.user.ID, gone.priorities), wearables.ErrNotFound)
		err = s.CreateConnection(ctx, &wearables.Connection{UserID: gone.user.ID, Provider: wearables.ProviderOura, Status: wearables.ConnectionActive})
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		assert.ErrorIs(t, s.DeleteUser(ctx, gone.user.ID), wearables.ErrNotFound)

		// Re-creating the same id starts from nothing: rows were deleted,
		// not hidden behind the user row.
		again := wearables.User{ID: gone.user.ID}
		require.NoError(t, s.CreateUser(ctx, &again))
		assertNoData(t, s, gone.user.ID, "a re-created user has no records")
		ps, err = s.GetSourcePriorities(ctx, gone.user.ID)
		require.NoError(t, err)
		assert.Empty(t, ps, "a re-created user has no priorities")
		conns, err = s.ListConnections(ctx, wearables.ConnectionQuery{UserID: gone.user.ID})
		require.NoError(t, err)
		assert.Empty(t, conns.Items, "a re-created user has no connections")
		res := write(t, s, fullBatch(gone.user.ID))
		assert.Equal(t, 18, res.Total().Inserted, "a re-created user's records are new")
	})
}
