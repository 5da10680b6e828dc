package syncer

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// Limiter enforces outbound request budgets. Take takes one request from
// every limit of key (a vendor app) and returns 0, or takes nothing and
// returns how long to wait before trying again. Implementations are safe
// for concurrent use.
type Limiter interface {
	Take(ctx context.Context, key string, limits []Limit) (time.Duration, error)
}

// bucket returns the token bucket enforcing l: a burst of a tenth of the
// budget and a refill rate that keeps any window of length l.Per within
// l.Requests (burst + rate·Per = Requests).
func bucket(l Limit) (burst int, perToken time.Duration) {
	burst = max(1, l.Requests/10)
	refill := l.Requests - burst
	if refill < 1 {
		refill = 1
	}
	return burst, l.Per / time.Duration(refill)
}

// LocalLimiter is an in-process Limiter (golang.org/x/time/rate token
// buckets). It is right when one process uses a vendor app; several
// processes need a RedisLimiter. The zero value is not usable; call
// NewLocalLimiter.
type LocalLimiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewLocalLimiter returns an empty LocalLimiter.
func NewLocalLimiter() *LocalLimiter { return &LocalLimiter{buckets: map[string]*rate.Limiter{}} }

// Take implements Limiter.
func (l *LocalLimiter) Take(ctx context.Context, key string, limits []Limit) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	rs := make([]*rate.Reservation, 0, len(limits))
	var wait time.Duration
	for _, lim := range limits {
		k := key + "/" + strconv.Itoa(lim.Requests) + "/" + lim.Per.String()
		b, ok := l.buckets[k]
		if !ok {
			burst, per := bucket(lim)
			b = rate.NewLimiter(rate.Every(per), burst)
			l.buckets[k] = b
		}
		r := b.ReserveN(now, 1)
		rs = append(rs, r)
		wait = max(wait, r.DelayFrom(now))
	}
	if wait > 0 {
		for _, r := range rs {
			r.CancelAt(now)
		}
	}
	return wait, nil
}

// RedisLimiter is a Limiter shared by every process using the same Redis:
// each limit is a token bucket kept in one Redis hash and updated by a Lua
// script with Redis's own clock, so processes on different machines draw
// from one budget.
type RedisLimiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisLimiter returns a RedisLimiter on rdb whose keys start with
// prefix (e.g. "wearables:ratelimit:"). On Redis Cluster put a hash tag in
// the prefix ("{wearables}:ratelimit:"): a vendor's limits are checked in
// one script, so their keys must share a slot.
func NewRedisLimiter(rdb redis.UniversalClient, prefix string) *RedisLimiter {
	return &RedisLimiter{rdb: rdb, prefix: prefix}
}

// takeScript checks every bucket (KEYS[i] with ARGV burst_i, microseconds
// per token_i) and takes one token from each only when all have one. It
// returns 0 or the microseconds to wait.
var takeScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = 0
local state = {}
for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[2*i-1])
  local per = tonumber(ARGV[2*i])
  local v = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = tonumber(v[1])
  local ts = tonumber(v[2])
  if tokens == nil then tokens = burst; ts = now end
  tokens = math.min(burst, tokens + (now - ts) / per)
  if tokens < 1 then
    wait = math.max(wait, math.ceil((1 - tokens) * per))
  end
  state[i] = tokens
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local per = tonumber(ARGV[2*i])
  local burst = tonumber(ARGV[2*i-1])
  redis.call('HSET', key, 'tokens', state[i] - 1, 'ts', now)
  redis.call('PEXPIRE', key, math.ceil(burst * per / 1000) + 1000)
end
return 0
`)

// Take implements Limiter.
func (l *RedisLimiter) Take(ctx context.Context, key string, limits []Limit) (time.Duration, error) {
	keys := make([]string, 0, len(limits))
	args := make([]any, 0, 2*len(limits))
	for _, lim := range limits {
		burst, per := bucket(lim)
		keys = append(keys, l.prefix+key+":"+strconv.Itoa(lim.Requests)+"/"+lim.Per.String())
		args = append(args, burst, max(per.Microseconds(), 1))
	}
	us, err := takeScript.Run(ctx, l.rdb, keys, args...).Int64()
	if err != nil {
		return 0, fmt.Errorf("syncer: redis limiter: %w", err)
	}
	return time.Duration(us) * time.Microsecond, nil
}

var (
	_ Limiter = (*LocalLimiter)(nil)
	_ Limiter = (*RedisLimiter)(nil)
)
