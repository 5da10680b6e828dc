package pgstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/store/pgstore"
)

// schemaSnapshot describes every table, column, index and constraint of a
// schema, one line each, in a stable order.
func schemaSnapshot(t *testing.T, db *sql.DB, schema string) []string {
	t.Helper()
	queries := []string{
		`SELECT format('column %s.%s %s %s null=%s default=%s collation=%s identity=%s/%s',
			table_name, column_name, data_type, udt_name, is_nullable, coalesce(column_default, '-'),
			coalesce(collation_name, '-'), is_identity, coalesce(identity_generation, '-'))
		FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
		`SELECT format('index %s %s', indexname, indexdef) FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
		`SELECT format('constraint %s %s %s', conrelid::regclass::text, conname, pg_get_constraintdef(oid))
		FROM pg_constraint WHERE connamespace = $1::regnamespace ORDER BY conrelid::regclass::text, conname`,
		`SELECT format('relation %s %s', relname, relkind) FROM pg_class WHERE relnamespace = $1::regnamespace ORDER BY relname`,
	}
	var out []string
	for _, q := range queries {
		rows, err := db.Query(q, schema)
		require.NoError(t, err)
		for rows.Next() {
			var line string
			require.NoError(t, rows.Scan(&line))
			out = append(out, line)
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
	return out
}

func TestMigrateUpDownUp(t *testing.T) {
	ctx := context.Background()
	schema, dsn := newSchema(t)
	s, err := pgstore.Open(ctx, dsn)
	require.NoError(t, err)
	defer s.Close()

	st, err := s.MigrationStatus(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, st)
	for _, m := range st {
		assert.False(t, m.Applied, "migration %d applied before Migrate", m.Version)
	}

	applied, err := s.Migrate(ctx)
	require.NoError(t, err)
	assert.Len(t, applied, len(st))
	again, err := s.Migrate(ctx)
	require.NoError(t, err)
	assert.Empty(t, again, "second Migrate must be a no-op")
	first := schemaSnapshot(t, s.DB(), schema)
	require.NotEmpty(t, first)

	st, err = s.MigrationStatus(ctx)
	require.NoError(t, err)
	for _, m := range st {
		assert.True(t, m.Applied, "migration %d not applied", m.Version)
		assert.False(t, m.AppliedAt.IsZero())
	}

	// Roll everything back: only the bookkeeping table stays.
	for range st {
		v, err := s.MigrateDown(ctx)
		require.NoError(t, err)
		assert.NotZero(t, v)
	}
	v, err := s.MigrateDown(ctx)
	require.NoError(t, err)
	assert.Zero(t, v, "nothing left to roll back")
	var tables []string
	rows, err := s.DB().Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, schema)
	require.NoError(t, err)
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	rows.Close()
	assert.Equal(t, []string{"schema_migrations"}, tables)

	_, err = s.Migrate(ctx)
	require.NoError(t, err)
	assert.Equal(t, first, schemaSnapshot(t, s.DB(), schema), "schema after up → down → up differs")
}

// TestMigrateConcurrently runs several migrators on a fresh schema at once,
// several times: the advisory lock makes every migration run exactly once,
// and racing to create the bookkeeping table is not an error.
func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	for round := range 5 {
		_, dsn := newSchema(t)
		const n = 4
		results := make(chan []int, n)
		errs := make(chan error, n)
		for range n {
			go func() {
				s, err := pgstore.Open(ctx, dsn)
				if err != nil {
					errs <- err
					return
				}
				defer s.Close()
				v, err := s.Migrate(ctx)
				if err != nil {
					errs <- fmt.Errorf("round %d: %w", round, err)
					return
				}
				results <- v
			}()
		}
		total := 0
		for range n { // every migrator ends before the schema is dropped
			select {
			case err := <-errs:
				t.Error(err)
			case v := <-results:
				total += len(v)
			}
		}
		s, err := pgstore.Open(ctx, dsn)
		require.NoError(t, err)
		st, err := s.MigrationStatus(ctx)
		s.Close()
		require.NoError(t, err)
		assert.Equal(t, len(st), total, "round %d: each migration applied exactly once", round)
	}
}
