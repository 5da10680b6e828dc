package syncer_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/syncer"
)

func testLimiter(t *testing.T, l syncer.Limiter, key string) {
	ctx := context.Background()
	// 100 per 15 s: a burst of 10, then one every 15 s / 90.
	limits := []syncer.Limit{{Requests: 100, Per: 15 * time.Second}}
	for i := range 10 {
		d, err := l.Take(ctx, key, limits)
		require.NoError(t, err)
		require.Zero(t, d, "burst request %d", i)
	}
	d, err := l.Take(ctx, key, limits)
	require.NoError(t, err)
	assert.InDelta(t, (15 * time.Second / 90).Seconds(), d.Seconds(), 0.05, "the 11th waits for one refill")
	time.Sleep(d + 10*time.Millisecond)
	d, err = l.Take(ctx, key, limits)
	require.NoError(t, err)
	assert.Zero(t, d)

	// Several limits: the strictest decides, and a refused Take takes
	// nothing from the others.
	multi := []syncer.Limit{{Requests: 1000, Per: time.Minute}, {Requests: 2, Per: time.Hour}}
	d, err = l.Take(ctx, key+"-multi", multi)
	require.NoError(t, err)
	assert.Zero(t, d)
	d, err = l.Take(ctx, key+"-multi", multi)
	require.NoError(t, err)
	assert.Greater(t, d, 30*time.Minute)
}

func TestLocalLimiter(t *testing.T) { testLimiter(t, syncer.NewLocalLimiter(), "app") }

func TestRedisLimiter(t *testing.T) {
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	require.NoError(t, err)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	prefix := fmt.Sprintf("syncer-test-%d:", time.Now().UnixNano())
	testLimiter(t, syncer.NewRedisLimiter(rdb, prefix), "app")
	keys, err := rdb.Keys(context.Background(), prefix+"*").Result()
	require.NoError(t, err)
	if len(keys) > 0 {
		rdb.Del(context.Background(), keys...)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		err  error
		want time.Duration
		ok   bool
	}{
		{"not a rate limit", &wearables.ProviderError{StatusCode: 500}, 0, false},
		{"reset header wins", fmt.Errorf("x: %w", &wearables.ProviderError{StatusCode: 429, RetryAfter: time.Second, ResetAt: now.Add(time.Minute)}), time.Minute, true},
		{"retry-after", &wearables.ProviderError{StatusCode: 429, RetryAfter: 7 * time.Second}, 7 * time.Second, true},
		{"rate limited in a 200", &wearables.ProviderError{StatusCode: 200, RateLimited: true}, syncer.DefaultRetryAfter, true},
		{"outbound limiter", &syncer.RateLimitError{RetryAfter: 3 * time.Second, Local: true}, 3 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := syncer.RetryAfter(tt.err, now)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, d)
		})
	}
}
