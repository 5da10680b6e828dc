package pgstore_test

import (
	"context"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/lib/pq"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/store/pgstore"
)

// withParam adds a parameter to a URL or key=value DSN.
func withParam(t testing.TB, dsn, key, value string) string {
	t.Helper()
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		require.NoError(t, err)
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}

// newSchema creates an empty schema dropped at the end of the test and
// returns its name and a DSN whose search_path is that schema.
func newSchema(t testing.TB) (name, dsn string) {
	t.Helper()
	dsn = testenv.PostgresSchema(t)
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	return u.Query().Get("search_path"), dsn
}

// newStore opens a migrated store in a schema of its own.
func newStore(t testing.TB, opts ...pgstore.Option) *pgstore.Store {
	t.Helper()
	_, dsn := newSchema(t)
	s, err := pgstore.Open(context.Background(), dsn, append([]pgstore.Option{pgstore.WithAutoMigrate()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// TestExample runs Example against the test database and checks what it
// prints.
func TestExample(t *testing.T) {
	_, dsn := newSchema(t)
	t.Setenv("DATABASE_URL", dsn)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	Example()
	os.Stdout = stdout
	require.NoError(t, w.Close())
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "inserted: 60\nunchanged: 60\nread: 60 first: 60 bpm at 08:00:00 from Forerunner 965\n", string(out))
}
