package redisstate_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/oauthflow/redisstate"
)

// The full contract (concurrent takes, expiry) is exercised with the other
// state stores in package oauthflow's TestStateStores; this checks the
// Redis specifics: the prefix, the TTL Redis keeps, and GETDEL.
func TestStore(t *testing.T) {
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	require.NoError(t, err)
	c := redis.NewClient(opt)
	defer c.Close()
	ctx := context.Background()
	prefix := "redisstate-test:" + time.Now().Format("150405.000000") + ":"
	s := redisstate.New(c, prefix)

	exp := time.Now().Add(time.Minute)
	require.NoError(t, s.PutAuthState(ctx, wearables.AuthState{Key: "k", Data: []byte("v"), ExpiresAt: exp}))
	ttl, err := c.PTTL(ctx, prefix+"k").Result()
	require.NoError(t, err)
	assert.InDelta(t, time.Minute.Seconds(), ttl.Seconds(), 2, "Redis drops the state at its expiry")
	assert.ErrorIs(t, s.PutAuthState(ctx, wearables.AuthState{Key: "k", Data: []byte("w"), ExpiresAt: exp}), wearables.ErrConflict)

	got, err := s.TakeAuthState(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, []byte("v"), got.Data)
	assert.Equal(t, exp.UnixMicro(), got.ExpiresAt.UnixMicro())
	n, err := c.Exists(ctx, prefix+"k").Result()
	require.NoError(t, err)
	assert.Zero(t, n, "taken means deleted")
	_, err = s.TakeAuthState(ctx, "k")
	assert.ErrorIs(t, err, wearables.ErrNotFound)
}
