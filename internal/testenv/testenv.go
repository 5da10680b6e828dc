// Package testenv gives tests the URLs of the real PostgreSQL and Redis they
// may use. Without the environment variable a test skips, so `go test ./...`
// passes on a bare machine; with it set but the service unreachable the test
// fails, so CI (which sets both) never silently skips.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/lib/pq" // PostgreSQL driver for the reachability check
)

// Environment variables read by PostgresURL and RedisURL.
const (
	PostgresEnv = "WEARABLES_TEST_POSTGRES_URL"
	RedisEnv    = "WEARABLES_TEST_REDIS_URL"
)

// PostgresURL returns the test PostgreSQL URL, skipping the test when it is
// not configured and failing it when the database does not answer.
func PostgresURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("%s not set; skipping PostgreSQL test", PostgresEnv)
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("%s is set but PostgreSQL is unreachable: %v", PostgresEnv, err)
	}
	return dsn
}

// RedisURL returns the test Redis URL, skipping the test when it is not
// configured and failing it when nothing listens at its address.
func RedisURL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv(RedisEnv)
	if raw == "" {
		t.Skipf("%s not set; skipping Redis test", RedisEnv)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		t.Fatalf("%s=%q is not a redis:// URL", RedisEnv, raw)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "6379")
	}
	conn, err := net.DialTimeout("tcp", host, 5*time.Second)
	if err != nil {
		t.Fatalf("%s is set but Redis is unreachable: %v", RedisEnv, err)
	}
	conn.Close()
	return raw
}

// PostgresSchema creates an empty schema in the test PostgreSQL (skipping
// or failing as PostgresURL does), drops it when the test ends, and returns
// a DSN whose search_path is that schema: each test gets tables of its own
// in the shared database.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	db, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		db.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
