package pgstore_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/pgstore"
)

// TestUpdateTokenAcrossStores runs UpdateToken from several Store instances
// (separate pools, as separate processes would have) on one connection: the
// callbacks never overlap and no increment is lost.
func TestUpdateTokenAcrossStores(t *testing.T) {
	ctx := context.Background()
	_, dsn := newSchema(t)
	const (
		instances  = 4
		goroutines = 50
	)
	stores := make([]*pgstore.Store, instances)
	for i := range stores {
		// Small pools: waiting goroutines must not hold connections the
		// callback needs.
		s, err := pgstore.Open(ctx, dsn, pgstore.WithAutoMigrate(), pgstore.WithMaxConns(3))
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	s0 := stores[0]
	u := wearables.User{}
	require.NoError(t, s0.CreateUser(ctx, &u))
	c := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderOura, Status: wearables.ConnectionActive}
	require.NoError(t, s0.CreateConnection(ctx, &c))
	require.NoError(t, s0.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k1", Ciphertext: []byte("0")}))

	var (
		inside, overlaps atomic.Int32
		wg               sync.WaitGroup
		errs             = make(chan error, instances*goroutines)
	)
	for _, s := range stores {
		for range goroutines {
			wg.Go(func() {
				err := s.UpdateToken(ctx, c.ID, func(ctx context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
					if inside.Add(1) > 1 {
						overlaps.Add(1)
					}
					defer inside.Add(-1)
					// The callback may use the store itself.
					if _, err := s.GetConnection(ctx, c.ID); err != nil {
						return wearables.TokenUpdate{}, err
					}
					n, err := strconv.Atoi(string(cur.Ciphertext))
					if err != nil {
						return wearables.TokenUpdate{}, err
					}
					time.Sleep(200 * time.Microsecond)
					next := cur
					next.Ciphertext = []byte(strconv.Itoa(n + 1))
					return wearables.TokenUpdate{Token: &next}, nil
				})
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Zero(t, overlaps.Load(), "callbacks overlapped")
	tok, err := s0.GetToken(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, strconv.Itoa(instances*goroutines), string(tok.Ciphertext))
}

func TestUpdateToken(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	u := wearables.User{}
	require.NoError(t, s.CreateUser(ctx, &u))
	c := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderWhoop, Status: wearables.ConnectionActive}
	require.NoError(t, s.CreateConnection(ctx, &c))
	require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k1", Ciphertext: []byte("a")}))

	tests := []struct {
		name    string
		fn      func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error)
		wantErr error
		check   func(t *testing.T)
	}{
		{
			name: "callback error writes nothing",
			fn: func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
				return wearables.TokenUpdate{Status: wearables.ConnectionRevoked}, errBoom
			},
			wantErr: errBoom,
			check: func(t *testing.T) {
				got, err := s.GetConnection(ctx, c.ID)
				require.NoError(t, err)
				assert.Equal(t, wearables.ConnectionActive, got.Status)
			},
		},
		{
			name: "bad status rolls the token back",
			fn: func(_ context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
				next := cur
				next.Ciphertext = []byte("b")
				return wearables.TokenUpdate{Token: &next, Status: "bogus"}, nil
			},
			wantErr: wearables.ErrInvalid,
			check: func(t *testing.T) {
				tok, err := s.GetToken(ctx, c.ID)
				require.NoError(t, err)
				assert.Equal(t, "a", string(tok.Ciphertext))
			},
		},
		{
			name: "delete and status in one transaction",
			fn: func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
				return wearables.TokenUpdate{Delete: true, Status: wearables.ConnectionNeedsReauth, Reason: "invalid_grant"}, nil
			},
			check: func(t *testing.T) {
				_, err := s.GetToken(ctx, c.ID)
				assert.ErrorIs(t, err, wearables.ErrNotFound)
				got, err := s.GetConnection(ctx, c.ID)
				require.NoError(t, err)
				assert.Equal(t, wearables.ConnectionNeedsReauth, got.Status)
				assert.Equal(t, "invalid_grant", got.StatusReason)
			},
		},
		{
			name: "no token",
			fn: func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
				t.Error("callback called without a token")
				return wearables.TokenUpdate{}, nil
			},
			wantErr: wearables.ErrNotFound,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.UpdateToken(ctx, c.ID, tt.fn)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			} else {
				assert.NoError(t, err)
			}
			if tt.check != nil {
				tt.check(t)
			}
		})
	}
}

var errBoom = errors.New("boom")

// TestUpdateTokenPanic checks that a panicking callback releases both locks:
// the next UpdateToken of the connection proceeds.
func TestUpdateTokenPanic(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	u := wearables.User{}
	require.NoError(t, s.CreateUser(ctx, &u))
	c := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderPolar, Status: wearables.ConnectionActive}
	require.NoError(t, s.CreateConnection(ctx, &c))
	require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k1", Ciphertext: []byte("a")}))

	assert.Panics(t, func() {
		_ = s.UpdateToken(ctx, c.ID, func(context.Context, wearables.EncryptedToken) (wearables.TokenUpdate, error) {
			panic("callback bug")
		})
	})
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := s.UpdateToken(ctx, c.ID, func(_ context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
		next := cur
		next.Ciphertext = []byte("b")
		return wearables.TokenUpdate{Token: &next}, nil
	})
	require.NoError(t, err)
	tok, err := s.GetToken(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "b", string(tok.Ciphertext))
}
