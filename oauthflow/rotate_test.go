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

// TestRotation rotates the key-encryption key under live traffic on every
// store: brokers keep reading (and some refreshing) every token while
// RewrapTokens runs, is interrupted, and resumes. Nothing is lost and no
// row is left on the old key.
func TestRotation(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		ctx := context.Background()
		k1, k2 := mustKey(t, "k1"), mustKey(t, "k2")
		e := newEnv(t, openStore(t, k), withKeyring(mustKeyring(t, k1)))
		const n, expired = 60, 10
		conns := make([]wearables.Connection, n)
		minted := map[string]string{} // connection → access token of the fresh ones
		for i := range conns {
			expiry := e.clock.Now().Add(time.Hour)
			if i < expired {
				expiry = e.clock.Now().Add(-time.Minute)
			}
			c, tok := e.seed(expiry)
			conns[i] = c
			if i >= expired {
				minted[c.ID] = tok.AccessToken
			}
		}

		// A keyring without the old key is refused, with the row count.
		onlyNew := mustKeyring(t, k2)
		err := oauthflow.CheckKeys(ctx, e.store, onlyNew)
		var mk *oauthflow.MissingKeysError
		require.ErrorAs(t, err, &mk)
		assert.Equal(t, map[string]int{"k1": n}, mk.Rows)
		assert.ErrorIs(t, err, oauthflow.ErrUnknownKey)
		assert.Contains(t, err.Error(), "60 stored tokens")
		_, err = oauthflow.RewrapTokens(ctx, e.store, onlyNew, oauthflow.RewrapOptions{})
		assert.ErrorIs(t, err, oauthflow.ErrUnknownKey, "rewrap refuses too")

		// Deploy the new keyring (k2 primary, k1 decrypt-only) to the readers.
		rotated := mustKeyring(t, k2, k1)
		require.NoError(t, oauthflow.CheckKeys(ctx, e.store, rotated))
		cfg := e.cfg
		cfg.Keyring = rotated
		broker, err := oauthflow.NewTokenBroker(cfg)
		require.NoError(t, err)

		stop := make(chan struct{})
		var (
			wg     sync.WaitGroup
			reads  atomic.Int64
			failed atomic.Int64
		)
		for r := range 4 {
			wg.Go(func() {
				for i := r; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					c := conns[i%n]
					tok, err := broker.Token(ctx, c.ID)
					reads.Add(1)
					if err != nil {
						failed.Add(1)
						t.Errorf("read %s during rotation: %v", c.ID, err)
						continue
					}
					if want, ok := minted[c.ID]; ok && tok.AccessToken != want {
						failed.Add(1)
						t.Errorf("token of %s changed during rotation", c.ID)
					}
				}
			})
		}

		// First run: interrupted after one page.
		cctx, cancel := context.WithCancel(ctx)
		first, err := oauthflow.RewrapTokens(cctx, e.store, rotated, oauthflow.RewrapOptions{
			BatchSize: 10,
			Progress:  func(oauthflow.RewrapResult) { cancel() },
		})
		assert.ErrorIs(t, err, context.Canceled)
		assert.LessOrEqual(t, first.Rewrapped+first.Skipped, 10)
		// Second run resumes and finishes.
		second, err := oauthflow.RewrapTokens(ctx, e.store, rotated, oauthflow.RewrapOptions{BatchSize: 7})
		require.NoError(t, err)
		for reads.Load() < 4*n { // let the readers make at least one pass after the rotation
			time.Sleep(5 * time.Millisecond)
		}
		close(stop)
		wg.Wait()

		assert.Zero(t, failed.Load())
		counts, err := e.store.CountTokensByKey(ctx)
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"k2": n}, counts, "no row left on the old key")
		refreshedByBroker := e.vendor.RefreshRequests.Load()
		assert.Equal(t, int64(expired), refreshedByBroker)
		assert.LessOrEqual(t, first.Rewrapped+second.Rewrapped, n)
		assert.GreaterOrEqual(t, first.Rewrapped+second.Rewrapped, n-expired)
		t.Logf("rewrapped %d+%d, skipped %d+%d, %d concurrent reads, %d refreshes", first.Rewrapped, second.Rewrapped, first.Skipped, second.Skipped, reads.Load(), refreshedByBroker)

		// The old key can go now: every token opens with k2 alone.
		require.NoError(t, oauthflow.CheckKeys(ctx, e.store, onlyNew))
		cfg.Keyring = onlyNew
		afterBroker, err := oauthflow.NewTokenBroker(cfg)
		require.NoError(t, err)
		for _, c := range conns {
			tok, err := afterBroker.Token(ctx, c.ID)
			require.NoError(t, err)
			assert.True(t, e.vendor.AccessValid(tok.AccessToken))
		}
	})
}
