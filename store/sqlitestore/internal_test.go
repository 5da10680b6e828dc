package sqlitestore

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadPool checks the read pool's connections: same pragmas as the
// writer, and read-only.
func TestReadPool(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "w.db"), WithAutoMigrate(), WithMaxReadConns(3))
	require.NoError(t, err)
	defer s.Close()
	require.NotSame(t, s.w, s.r)
	assert.Equal(t, 3, s.r.Stats().MaxOpenConnections)
	for pragma, want := range map[string]string{
		"journal_mode": "wal", "foreign_keys": "1", "synchronous": "1", "busy_timeout": "5000", "query_only": "1",
	} {
		var got string
		require.NoError(t, s.r.QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got))
		assert.Equal(t, want, got, pragma)
	}
	_, err = s.r.ExecContext(t.Context(), `INSERT INTO auth_states (key, data, expires_us) VALUES ('k', x'00', 0)`)
	assert.Error(t, err, "the read pool refuses writes")
}
