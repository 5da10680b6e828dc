package memstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/memstore"
	"github.com/wearables-go/wearables/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) wearables.Store {
		s := memstore.New()
		t.Cleanup(func() { assert.NoError(t, s.Close()) })
		return s
	})
}

// setupToken returns a store with a user, two connections and their tokens.
func setupToken(t *testing.T) (*memstore.Store, wearables.Connection, wearables.Connection) {
	t.Helper()
	ctx := t.Context()
	s := memstore.New()
	u := wearables.User{}
	require.NoError(t, s.CreateUser(ctx, &u))
	var conns []wearables.Connection
	for _, p := range []wearables.ProviderID{wearables.ProviderWhoop, wearables.ProviderOura} {
		c := wearables.Connection{UserID: u.ID, Provider: p, Status: wearables.ConnectionActive}
		require.NoError(t, s.CreateConnection(ctx, &c))
		require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k", Ciphertext: []byte("sealed")}))
		conns = append(conns, c)
	}
	return s, conns[0], conns[1]
}

// A callback that blocks (a slow vendor token endpoint) must not block the
// rest of the store, nor UpdateToken of other connections.
func TestUpdateTokenCallbackDoesNotBlockStore(t *testing.T) {
	s, c, other := setupToken(t)
	ctx := t.Context()
	entered, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.UpdateToken(ctx, c.ID, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
			close(entered)
			<-release
			return wearables.TokenUpdate{Token: &wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k", Ciphertext: []byte("refreshed")}}, nil
		})
	}()
	<-entered

	// While the callback runs: reads, writes and another connection's update.
	_, err := s.GetConnection(ctx, c.ID)
	require.NoError(t, err)
	require.NoError(t, s.SetConnectionStatus(ctx, other.ID, wearables.ConnectionPaused, "test"))
	require.NoError(t, s.UpdateToken(ctx, other.ID, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
		return wearables.TokenUpdate{Delete: true}, nil
	}))
	_, err = s.WriteBatch(ctx, &wearables.Batch{UserID: c.UserID, Samples: []wearables.Sample{{
		Source: wearables.Source{Provider: wearables.ProviderWhoop}, Type: wearables.SeriesHeartRate, Start: time.Now(), Value: 60,
	}}})
	require.NoError(t, err)

	// A second update of the same connection waits for the first.
	second := make(chan error, 1)
	go func() {
		second <- s.UpdateToken(ctx, c.ID, func(_ context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
			if string(cur.Ciphertext) != "refreshed" {
				return wearables.TokenUpdate{}, errors.New("second update saw the token from before the first update")
			}
			return wearables.TokenUpdate{}, nil
		})
	}()
	select {
	case err := <-second:
		t.Fatalf("second UpdateToken of the same connection did not wait: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	require.NoError(t, <-done)
	require.NoError(t, <-second)
}

func TestUpdateTokenContextWhileWaiting(t *testing.T) {
	s, c, _ := setupToken(t)
	entered, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.UpdateToken(t.Context(), c.ID, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
			close(entered)
			<-release
			return wearables.TokenUpdate{}, nil
		})
	}()
	<-entered
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	err := s.UpdateToken(ctx, c.ID, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
		t.Error("callback ran without the lock")
		return wearables.TokenUpdate{}, nil
	})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	close(release)
	require.NoError(t, <-done)
}

func TestUpdateTokenRejectsUnknownStatus(t *testing.T) {
	s, c, _ := setupToken(t)
	err := s.UpdateToken(t.Context(), c.ID, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
		return wearables.TokenUpdate{Delete: true, Status: "asleep"}, nil
	})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = s.GetToken(t.Context(), c.ID)
	assert.NoError(t, err, "nothing of a rejected update is applied")
}

func TestWriteBatchCanceledContext(t *testing.T) {
	s := memstore.New()
	u := wearables.User{}
	require.NoError(t, s.CreateUser(t.Context(), &u))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.WriteBatch(ctx, &wearables.Batch{UserID: u.ID})
	assert.ErrorIs(t, err, context.Canceled)
}
