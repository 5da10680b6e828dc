package pgstore

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func TestSSLMode(t *testing.T) {
	for _, k := range []string{"PGSSLMODE", "PGHOST", "PGHOSTADDR"} {
		t.Setenv(k, "") // restored after the test …
		os.Unsetenv(k)  // … and unset during it
	}
	tests := []struct {
		name string
		dsn  string
		want pq.SSLMode
	}{
		{"loopback v4 URL", "postgres://u@127.0.0.1:5432/db", pq.SSLModeDisable},
		{"loopback v4 other address", "postgres://u@127.1.2.3/db", pq.SSLModeDisable},
		{"loopback v6 URL", "postgres://u@[::1]:5432/db", pq.SSLModeDisable},
		{"localhost URL", "postgres://u@localhost/db", pq.SSLModeDisable},
		{"localhost key=value", "host=localhost dbname=db", pq.SSLModeDisable},
		{"no host", "dbname=db", pq.SSLModeDisable},
		{"unix socket", "host=/var/run/postgresql dbname=db", pq.SSLModeDisable},
		{"remote URL", "postgres://u@db.example.com/db", pq.SSLModeRequire},
		{"remote address", "host=10.0.0.5 dbname=db", pq.SSLModeRequire},
		{"loopback hostaddr for a name", "host=db.example.com hostaddr=127.0.0.1 dbname=db", pq.SSLModeDisable},
		{"remote hostaddr", "host=localhost hostaddr=10.0.0.5 dbname=db", pq.SSLModeRequire},
		{"one remote host of several", "host=localhost,db.example.com dbname=db", pq.SSLModeRequire},
		{"explicit mode kept (remote)", "postgres://u@db.example.com/db?sslmode=disable", pq.SSLModeDisable},
		{"explicit mode kept (local)", "postgres://u@127.0.0.1/db?sslmode=verify-full", pq.SSLModeVerifyFull},
		{"explicit key=value mode kept", "host=db.example.com sslmode=prefer", pq.SSLModePrefer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := pq.NewConfig(tt.dsn)
			require.NoError(t, err)
			assert.Equal(t, tt.want, sslMode(cfg))
		})
	}
	t.Run("PGSSLMODE kept", func(t *testing.T) {
		t.Setenv("PGSSLMODE", "verify-ca")
		cfg, err := pq.NewConfig("postgres://u@127.0.0.1/db")
		require.NoError(t, err)
		assert.Equal(t, pq.SSLModeVerifyCA, sslMode(cfg))
	})
}

func TestKeyedMutex(t *testing.T) {
	var (
		km      keyedMutex
		inside  [2]atomic.Int32
		maxSeen [2]atomic.Int32
		wg      sync.WaitGroup
	)
	keys := []string{"a", "b"}
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			require.NoError(t, km.Lock(context.Background(), keys[k]))
			n := inside[k].Add(1)
			if n > maxSeen[k].Load() {
				maxSeen[k].Store(n)
			}
			time.Sleep(100 * time.Microsecond)
			inside[k].Add(-1)
			km.Unlock(keys[k])
		}(i % 2)
	}
	wg.Wait()
	assert.Equal(t, int32(1), maxSeen[0].Load())
	assert.Equal(t, int32(1), maxSeen[1].Load())
	assert.Empty(t, km.locks, "entries are dropped when nobody holds or waits")

	t.Run("context ends the wait", func(t *testing.T) {
		require.NoError(t, km.Lock(context.Background(), "x"))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		assert.ErrorIs(t, km.Lock(ctx, "x"), context.DeadlineExceeded)
		km.Unlock("x")
		assert.Empty(t, km.locks)
	})
}

func TestOpenBadDSN(t *testing.T) {
	tests := []struct {
		name string
		dsn  string
		opts []Option
	}{
		{"bad port in URL", "postgres://u:s3cret-pw@db.example.com:port/db", nil},
		{"unknown sslmode", "host=db.example.com password=s3cret-pw sslmode=sometimes", nil},
		{"bad pool size", "host=localhost", []Option{WithMaxConns(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), tt.dsn, tt.opts...)
			require.Error(t, err)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
			assert.NotContains(t, err.Error(), "s3cret-pw")
		})
	}
}
