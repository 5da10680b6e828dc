package migrate_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/wearables-go/wearables/store/internal/migrate"
)

var files = fstest.MapFS{
	"m/0001_users.up.sql":     {Data: []byte("CREATE TABLE users (id TEXT PRIMARY KEY);")},
	"m/0001_users.down.sql":   {Data: []byte("DROP TABLE users;")},
	"m/0002_samples.up.sql":   {Data: []byte("CREATE TABLE samples (id INTEGER); CREATE INDEX samples_id ON samples (id);")},
	"m/0002_samples.down.sql": {Data: []byte("DROP TABLE samples;")},
	"m/README.md":             {Data: []byte("ignored")},
}

func open(t *testing.T) *sql.DB {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "m.db"))
	require.NoError(t, err)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func sqlite(db *sql.DB, migs []migrate.Migration) *migrate.Migrator {
	return &migrate.Migrator{DB: db, Dialect: migrate.Dialect{Placeholder: func(int) string { return "?" }}, Migrations: migs}
}

func tables(t *testing.T, db *sql.DB) []string {
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type IN ('table','index') ORDER BY name")
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		out = append(out, n)
	}
	return out
}

func TestUpDownStatus(t *testing.T) {
	ctx := context.Background()
	migs, err := migrate.Load(files, "m")
	require.NoError(t, err)
	require.Len(t, migs, 2)
	db := open(t)
	m := sqlite(db, migs)

	applied, err := m.Up(ctx)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, applied)
	applied, err = m.Up(ctx)
	require.NoError(t, err)
	assert.Empty(t, applied, "up twice is a no-op")
	after := tables(t, db)

	st, err := m.Status(ctx)
	require.NoError(t, err)
	require.Len(t, st, 2)
	assert.True(t, st[0].Applied && st[1].Applied)
	assert.Equal(t, "samples", st[1].Name)
	assert.False(t, st[1].AppliedAt.IsZero())

	v, err := m.Down(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, v)
	assert.NotContains(t, tables(t, db), "samples")
	st, err = m.Status(ctx)
	require.NoError(t, err)
	assert.False(t, st[1].Applied)

	_, err = m.Up(ctx)
	require.NoError(t, err)
	assert.Equal(t, after, tables(t, db), "up → down → up gives the same schema")

	for _, want := range []int{2, 1, 0} {
		v, err := m.Down(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, v)
	}
}

func TestFailedMigrationLeavesNothing(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	m := sqlite(db, []migrate.Migration{
		{Version: 1, Name: "ok", Up: "CREATE TABLE a (x INTEGER);", Down: "DROP TABLE a;"},
		{Version: 2, Name: "broken", Up: "CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER);", Down: "DROP TABLE b;"},
	})
	applied, err := m.Up(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "0002_broken up")
	assert.Equal(t, []int{1}, applied)
	assert.NotContains(t, tables(t, db), "b", "the failed migration rolled back whole")
	st, err := m.Status(ctx)
	require.NoError(t, err)
	assert.False(t, st[1].Applied)
}

func TestStatusReportsUnknownVersions(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	migs, err := migrate.Load(files, "m")
	require.NoError(t, err)
	_, err = sqlite(db, migs).Up(ctx)
	require.NoError(t, err)
	older := sqlite(db, migs[:1]) // a binary that knows only 0001
	st, err := older.Status(ctx)
	require.NoError(t, err)
	require.Len(t, st, 2)
	assert.Contains(t, st[1].Name, "unknown")
	_, err = older.Down(ctx)
	assert.ErrorContains(t, err, "not known to this binary")
}

func TestLoadRejects(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"missing down": {"m/0001_a.up.sql": {Data: []byte("x")}},
		"two names":    {"m/0001_a.up.sql": {Data: []byte("x")}, "m/0001_b.down.sql": {Data: []byte("x")}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := migrate.Load(fsys, "m")
			assert.Error(t, err)
		})
	}
	_, err := migrate.Load(files, "nope")
	assert.Error(t, err)
}
