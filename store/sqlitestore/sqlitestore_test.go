package sqlitestore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

// open opens a migrated store on a new file in t's temp dir.
func open(t *testing.T, opts ...sqlitestore.Option) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "w.db"), append([]sqlitestore.Option{sqlitestore.WithAutoMigrate()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// schema dumps the sql text of every schema object, in name order.
func schema(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestMigrations(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := sqlitestore.Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()

	assert.Empty(t, schema(t, s.WriterDB()), "Open without WithAutoMigrate leaves the schema alone")
	st, err := s.MigrationStatus(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, st)
	for _, m := range st {
		assert.False(t, m.Applied, "migration %d", m.Version)
	}
	empty := schema(t, s.WriterDB()) // schema_migrations only

	applied, err := s.Migrate(ctx)
	require.NoError(t, err)
	require.Len(t, applied, len(st))
	first := schema(t, s.WriterDB())
	assert.Greater(t, len(first), len(empty))

	again, err := s.Migrate(ctx)
	require.NoError(t, err)
	assert.Empty(t, again, "up twice is a no-op")
	assert.Equal(t, first, schema(t, s.WriterDB()))

	st, err = s.MigrationStatus(ctx)
	require.NoError(t, err)
	for _, m := range st {
		assert.True(t, m.Applied, "migration %d", m.Version)
		assert.False(t, m.AppliedAt.IsZero())
	}

	// Down all the way, then up again: the same schema.
	for i := len(applied) - 1; i >= 0; i-- {
		v, err := s.MigrateDown(ctx)
		require.NoError(t, err)
		assert.Equal(t, applied[i], v)
	}
	v, err := s.MigrateDown(ctx)
	require.NoError(t, err)
	assert.Zero(t, v, "nothing left to roll back")
	assert.Equal(t, empty, schema(t, s.WriterDB()), "down removes everything up created")

	_, err = s.Migrate(ctx)
	require.NoError(t, err)
	assert.Equal(t, first, schema(t, s.WriterDB()), "up → down → up gives the same schema")

	// A store opened later on the same file sees the schema.
	s2, err := sqlitestore.Open(ctx, path, sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	defer s2.Close()
	u := wearables.User{}
	require.NoError(t, s2.CreateUser(ctx, &u))
	_, err = s.GetUser(ctx, u.ID)
	assert.NoError(t, err, "two stores on one file share data")
}

func TestPragmas(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	pragma := func(db interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}, name string) string {
		var v string
		require.NoError(t, db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v))
		return v
	}
	w := s.WriterDB()
	assert.Equal(t, "wal", pragma(w, "journal_mode"))
	assert.Equal(t, "1", pragma(w, "foreign_keys"))
	assert.Equal(t, "1", pragma(w, "synchronous"), "NORMAL")
	assert.Equal(t, "5000", pragma(w, "busy_timeout"))
	assert.Equal(t, 1, w.Stats().MaxOpenConnections, "one writer connection")

	// The writer pool's transactions take the write lock at BEGIN: a second
	// store on the same file cannot begin one while the first is open.
	tx, err := w.BeginTx(ctx, nil)
	require.NoError(t, err)
	other, err := sqlitestore.Open(ctx, filepath.Join(filepath.Dir(dbPath(t, s)), "w.db"), sqlitestore.WithBusyTimeout(50*time.Millisecond))
	require.NoError(t, err)
	defer other.Close()
	_, err = other.WriterDB().BeginTx(ctx, nil)
	assert.Error(t, err, "BEGIN IMMEDIATE must fail while another writer holds the lock")
	require.NoError(t, tx.Rollback())
}

func dbPath(t *testing.T, s *sqlitestore.Store) string {
	t.Helper()
	return s.Path()
}

func TestMemory(t *testing.T) {
	ctx := t.Context()
	s, err := sqlitestore.Open(ctx, sqlitestore.MemoryPath, sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	defer s.Close()
	u := wearables.User{ExternalID: "x"}
	require.NoError(t, s.CreateUser(ctx, &u))
	got, err := s.GetUser(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, u, got)

	// Two in-memory stores are separate databases.
	s2, err := sqlitestore.Open(ctx, sqlitestore.MemoryPath, sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	defer s2.Close()
	_, err = s2.GetUser(ctx, u.ID)
	assert.ErrorIs(t, err, wearables.ErrNotFound)
}

func TestOpenErrors(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		path string
		opts []sqlitestore.Option
	}{
		{"empty path", "", nil},
		{"question mark", filepath.Join(t.TempDir(), "a?b.db"), nil},
		{"no read connections", filepath.Join(t.TempDir(), "w.db"), []sqlitestore.Option{sqlitestore.WithMaxReadConns(0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sqlitestore.Open(ctx, tc.path, tc.opts...)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
		})
	}
	_, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "missing-dir", "w.db"))
	assert.Error(t, err)
}

var (
	watch = wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch}
	ring  = wearables.Source{Provider: wearables.ProviderOura, DeviceType: wearables.DeviceRing}
	t0    = time.Date(2025, 3, 30, 6, 0, 0, 123456789, time.FixedZone("+05:45", 5*3600+45*60))
)

func hr(src wearables.Source, at time.Time, v float64) wearables.Sample {
	return wearables.Sample{Source: src, Type: wearables.SeriesHeartRate, Start: at, Offset: wearables.OffsetOf(at), Value: v}
}

// TestSampleUpsertCounts covers the sample write path: runs split into
// start clusters, stored rows of other sources in the same range, and exact
// inserted/updated/unchanged counts.
func TestSampleUpsertCounts(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	u := wearables.User{}
	require.NoError(t, s.CreateUser(ctx, &u))

	var dense, sparse []wearables.Sample
	for i := range 300 {
		dense = append(dense, hr(watch, t0.Add(time.Duration(i)*time.Second), 60+float64(i%40)))
		sparse = append(sparse, hr(watch, t0.Add(time.Duration(i)*25*time.Hour), 70))
	}
	write := func(ss ...wearables.Sample) wearables.Counts {
		t.Helper()
		res, err := s.WriteBatch(ctx, &wearables.Batch{UserID: u.ID, Samples: ss})
		require.NoError(t, err)
		return res.Samples
	}
	assert.Equal(t, wearables.Counts{Inserted: 300}, write(dense...))
	assert.Equal(t, wearables.Counts{Inserted: 299, Updated: 1}, write(sparse...), "sparse[0] has dense[0]'s key, another value")
	assert.Equal(t, wearables.Counts{Unchanged: 599}, write(append(dense, sparse...)...), "sparse[0] wins over dense[0] in one batch")

	// The ring's samples at the same instants are other keys.
	var ringSamples []wearables.Sample
	for _, smp := range dense[:100] {
		smp.Source = ring
		ringSamples = append(ringSamples, smp)
	}
	assert.Equal(t, wearables.Counts{Inserted: 100}, write(ringSamples...))

	// Mixed: 10 changed values, 5 new offsets, 1 new end, 50 new, rest same.
	mixed := append([]wearables.Sample(nil), dense...)
	for i := range 10 {
		mixed[i].Value++
	}
	for i := 10; i < 15; i++ {
		mixed[i].Offset = wearables.NoOffset
	}
	mixed[15].End = mixed[15].Start.Add(time.Second)
	for i := range 50 {
		mixed = append(mixed, hr(watch, t0.Add(-time.Duration(i+1)*time.Second), 50))
	}
	assert.Equal(t, wearables.Counts{Inserted: 50, Updated: 16, Unchanged: 284}, write(mixed...))
	assert.Equal(t, wearables.Counts{Unchanged: 350}, write(mixed...))

	page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate},
		Start: t0.Add(-time.Hour), End: t0.Add(400 * 24 * time.Hour), Limit: wearables.MaxPageSize})
	require.NoError(t, err)
	assert.Len(t, page.Items, 350+299+100)
	byKey := map[string]wearables.Sample{}
	for _, smp := range page.Items {
		byKey[smp.Source.Key()+smp.Start.String()] = smp
	}
	got := byKey[watch.Key()+dense[0].Start.UTC().Truncate(time.Microsecond).String()]
	assert.Equal(t, mixed[0].Value, got.Value)
	assert.Equal(t, time.UTC, got.Start.Location())
	assert.Equal(t, wearables.Offset(5*3600+45*60), got.Offset)
	assert.Equal(t, wearables.NoOffset, byKey[watch.Key()+dense[10].Start.UTC().Truncate(time.Microsecond).String()].Offset)
}

// TestTwoStoresOneFile runs two stores — as two processes would — writing
// the same batches to one file at once: busy_timeout and BEGIN IMMEDIATE
// make them take turns, and every row ends up once.
func TestTwoStoresOneFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "w.db")
	a, err := sqlitestore.Open(ctx, path, sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	defer a.Close()
	b, err := sqlitestore.Open(ctx, path, sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	defer b.Close()
	u := wearables.User{}
	require.NoError(t, a.CreateUser(ctx, &u))

	const writers, batches, per = 4, 10, 500
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		total  wearables.Counts
		errs   []error
		stores = []*sqlitestore.Store{a, b}
	)
	for w := range writers {
		wg.Go(func() {
			s := stores[w%2]
			for i := range batches {
				var ss []wearables.Sample
				for j := range per {
					ss = append(ss, hr(watch, t0.Add(time.Duration(i*per+j)*time.Second), float64(j%100+40)))
				}
				res, err := s.WriteBatch(ctx, &wearables.Batch{UserID: u.ID, Samples: ss})
				mu.Lock()
				total = total.Add(res.Samples)
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Empty(t, errs)
	assert.Equal(t, wearables.Counts{Inserted: batches * per, Unchanged: (writers - 1) * batches * per}, total)
	var n int
	require.NoError(t, a.WriterDB().QueryRowContext(ctx, `SELECT count(*) FROM samples`).Scan(&n))
	assert.Equal(t, batches*per, n)
}

func TestDeleteUserCascades(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	u := wearables.User{}
	require.NoError(t, s.CreateUser(ctx, &u))
	c := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderOura, Status: wearables.ConnectionActive}
	require.NoError(t, s.CreateConnection(ctx, &c))
	require.NoError(t, s.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k1", Ciphertext: []byte("x")}))
	_, err := s.WriteBatch(ctx, &wearables.Batch{UserID: u.ID, Samples: []wearables.Sample{hr(ring, t0, 50)},
		Cursor: &wearables.Cursor{ConnectionID: c.ID, DataType: wearables.DataSamples, Value: "v"}})
	require.NoError(t, err)
	require.NoError(t, s.SetSourcePriorities(ctx, u.ID, []wearables.SourcePriority{{DataType: "*", Providers: []wearables.ProviderID{wearables.ProviderOura}}}))
	require.NoError(t, s.DeleteUser(ctx, u.ID))

	rows, err := s.WriterDB().QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', 'auth_states')`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var name string
		require.NoError(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	require.NoError(t, rows.Close())
	for _, tbl := range tables {
		var n int
		require.NoError(t, s.WriterDB().QueryRowContext(ctx, `SELECT count(*) FROM `+tbl).Scan(&n))
		assert.Zero(t, n, "table %s", tbl)
	}
	assert.True(t, strings.Contains(strings.Join(tables, ","), "samples"))
}

// TestUpdateTokenAcrossStores increments a counter kept in a token from
// goroutines of two stores on one file (as two processes would): the write
// transaction around the callback makes every read-modify-write exclusive.
func TestUpdateTokenAcrossStores(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "w.db")
	a, err := sqlitestore.Open(ctx, path, sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	defer a.Close()
	b, err := sqlitestore.Open(ctx, path, sqlitestore.WithBusyTimeout(30*time.Second))
	require.NoError(t, err)
	defer b.Close()
	u := wearables.User{}
	require.NoError(t, a.CreateUser(ctx, &u))
	c := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderWhoop, Status: wearables.ConnectionActive}
	require.NoError(t, a.CreateConnection(ctx, &c))
	require.NoError(t, a.PutToken(ctx, wearables.EncryptedToken{ConnectionID: c.ID, KeyID: "k", Ciphertext: []byte{0}}))

	const goroutines, rounds = 6, 10
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds)
	for g := range goroutines {
		s := []*sqlitestore.Store{a, b}[g%2]
		wg.Go(func() {
			for range rounds {
				errs <- s.UpdateToken(ctx, c.ID, func(_ context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
					n := cur.Ciphertext[0]
					time.Sleep(time.Millisecond) // widen the race window
					return wearables.TokenUpdate{Token: &wearables.EncryptedToken{KeyID: "k", Ciphertext: []byte{n + 1}}}, nil
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	tok, err := b.GetToken(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, []byte{goroutines * rounds}, tok.Ciphertext)
}

// TestWriterDBShared shows the contract River relies on: a transaction open
// on WriterDB holds the one writer connection, store writes queue behind it
// and proceed once it commits, and reads are not blocked meanwhile.
func TestWriterDBShared(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	u := wearables.User{}
	require.NoError(t, s.CreateUser(ctx, &u))

	tx, err := s.WriterDB().BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, `CREATE TABLE jobs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL)`)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, `INSERT INTO jobs (kind) VALUES ('sync')`)
	require.NoError(t, err)

	done := make(chan error, 1)
	go func() {
		_, err := s.WriteBatch(ctx, &wearables.Batch{UserID: u.ID, Samples: []wearables.Sample{hr(watch, t0, 60)}})
		done <- err
	}()
	_, err = s.GetUser(ctx, u.ID)
	require.NoError(t, err, "reads go through the read pool")
	select {
	case err := <-done:
		t.Fatalf("WriteBatch finished while another transaction held the writer: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	require.NoError(t, tx.Commit())
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("WriteBatch did not proceed after the commit")
	}
	var n int
	require.NoError(t, s.WriterDB().QueryRowContext(ctx, `SELECT count(*) FROM jobs`).Scan(&n))
	assert.Equal(t, 1, n)
}
