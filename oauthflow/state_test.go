package oauthflow_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

// TestStateStores checks the AuthStateStore contract on the two state
// stores of this package (the SQL stores are checked by store/storetest).
func TestStateStores(t *testing.T) {
	kinds := []struct {
		name string
		open func(t *testing.T) wearables.AuthStateStore
	}{
		{"memory", func(*testing.T) wearables.AuthStateStore { return oauthflow.NewMemoryStateStore() }},
		{"redis", func(t *testing.T) wearables.AuthStateStore { return newRedisStates(t) }},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			ctx := context.Background()
			s := k.open(t)
			exp := time.Now().Add(time.Minute).UTC().Truncate(time.Microsecond)

			t.Run("put take take", func(t *testing.T) {
				require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: "a", Data: []byte("payload"), ExpiresAt: exp}))
				got, err := s.TakeAuthState(ctx, "a")
				require.NoError(t, err)
				assert.Equal(t, "a", got.Key)
				assert.Equal(t, []byte("payload"), got.Data)
				assert.True(t, exp.Equal(got.ExpiresAt))
				_, err = s.TakeAuthState(ctx, "a")
				assert.ErrorIs(t, err, wearables.ErrNotFound)
			})
			t.Run("duplicate key", func(t *testing.T) {
				require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: "b", Data: []byte("1"), ExpiresAt: exp}))
				err := s.PutAuthState(ctx, wearables.AuthState{Key: "b", Data: []byte("2"), ExpiresAt: exp})
				assert.ErrorIs(t, err, wearables.ErrConflict)
				got, err := s.TakeAuthState(ctx, "b")
				require.NoError(t, err)
				assert.Equal(t, []byte("1"), got.Data)
			})
			t.Run("absent", func(t *testing.T) {
				_, err := s.TakeAuthState(ctx, "never")
				assert.ErrorIs(t, err, wearables.ErrNotFound)
			})
			t.Run("expired", func(t *testing.T) {
				require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: "c", Data: []byte("x"), ExpiresAt: time.Now().Add(50 * time.Millisecond)}))
				time.Sleep(100 * time.Millisecond)
				_, err := s.TakeAuthState(ctx, "c")
				assert.ErrorIs(t, err, wearables.ErrNotFound)
				require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: "d", Data: []byte("x"), ExpiresAt: time.Now().Add(-time.Second)}))
				_, err = s.TakeAuthState(ctx, "d")
				assert.ErrorIs(t, err, wearables.ErrNotFound)
			})
			t.Run("concurrent takes: one wins", func(t *testing.T) {
				for round := range 20 {
					key := "race-" + randString(4)
					require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: key, Data: []byte("x"), ExpiresAt: exp}))
					var wins atomic.Int64
					var wg sync.WaitGroup
					for range 16 {
						wg.Go(func() {
							if _, err := s.TakeAuthState(ctx, key); err == nil {
								wins.Add(1)
							} else {
								assert.ErrorIs(t, err, wearables.ErrNotFound)
							}
						})
					}
					wg.Wait()
					require.Equal(t, int64(1), wins.Load(), "round %d", round)
				}
			})
		})
	}
}
