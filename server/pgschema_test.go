package server_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"testing"

	_ "github.com/lib/pq" // PostgreSQL driver for the schema helper
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/internal/testenv"
)

// pgSchema creates an empty schema, dropped at the end of the test, and
// returns a DSN whose search_path is that schema.
func pgSchema(t testing.TB) string {
	t.Helper()
	base := testenv.PostgresURL(t)
	db, err := sql.Open("postgres", base)
	require.NoError(t, err)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "srv_" + hex.EncodeToString(b[:])
	_, err = db.Exec(`CREATE SCHEMA ` + name)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, _ = db.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
		db.Close()
	})
	u, err := url.Parse(base)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
