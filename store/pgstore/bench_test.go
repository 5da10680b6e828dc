package pgstore_test

// Benchmarks, each against a baseline measured in the same run and reported
// as a ratio:
//
//	WEARABLES_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//		go test -run '^$' -bench . -benchtime 1x ./store/pgstore/
//
//   - BenchmarkIngest: 1,000,000 new samples through WriteBatch vs raw COPY
//     (ratio-vs-copy; target ≥ 0.4 and ≥ 150,000 samples/s).
//   - BenchmarkReingest: the same samples again, all unchanged, vs their
//     first ingest (speedup-vs-first; target ≥ 1).
//   - BenchmarkQuerySamples: one day of 1 Hz heart rate out of 10,000,000
//     samples through QuerySamples vs the same SQL through database/sql
//     (ratio-vs-raw; target ≤ 1.5).
//   - BenchmarkIngestBatchSize and BenchmarkSmallBatch: why 50,000 samples
//     per batch, and why small batches need no path of their own.
//
// The ingest benchmarks work in a fresh schema each; BenchmarkQuerySamples
// loads its table once into the schema wt_bench_query10m and reuses it in
// later runs (drop the schema to reload).

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/store/pgstore"
)

const (
	ingestSamples = 1_000_000
	// ingestBatch is the number of samples per WriteBatch in the ingest
	// benchmarks; BenchmarkIngestBatchSize compares others.
	ingestBatch = 50_000
)

var (
	benchBase  = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	benchWatch = wearables.Source{Provider: wearables.ProviderGarmin, DeviceModel: "Forerunner 965", DeviceType: wearables.DeviceWatch}
	benchPhone = wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "iPhone15,2", DeviceType: wearables.DevicePhone, App: "com.apple.Health"}
)

// heartRateBatches returns n samples of 1 Hz heart rate of one user from
// benchBase on, in batches of size.
func heartRateBatches(userID string, n, size int) []*wearables.Batch {
	var out []*wearables.Batch
	for i := 0; i < n; i += size {
		b := &wearables.Batch{UserID: userID, Samples: make([]wearables.Sample, 0, min(size, n-i))}
		for j := i; j < min(i+size, n); j++ {
			b.Samples = append(b.Samples, wearables.Sample{
				Source: benchWatch,
				Type:   wearables.SeriesHeartRate,
				Start:  benchBase.Add(time.Duration(j) * time.Second),
				Offset: 3600,
				Value:  float64(55 + j%70),
			})
		}
		out = append(out, b)
	}
	return out
}

// benchStore opens a migrated store in a fresh schema.
func benchStore(b *testing.B) (*pgstore.Store, string) {
	b.Helper()
	schema, dsn := newSchema(b)
	s, err := pgstore.Open(context.Background(), dsn, pgstore.WithAutoMigrate())
	require.NoError(b, err)
	b.Cleanup(func() { s.Close() })
	return s, schema
}

func newBenchUser(b *testing.B, s *pgstore.Store) wearables.User {
	b.Helper()
	u := wearables.User{}
	require.NoError(b, s.CreateUser(context.Background(), &u))
	return u
}

// writeAll writes batches and returns the summed sample counts.
func writeAll(b *testing.B, s *pgstore.Store, batches []*wearables.Batch) wearables.Counts {
	b.Helper()
	var c wearables.Counts
	for _, batch := range batches {
		res, err := s.WriteBatch(context.Background(), batch)
		require.NoError(b, err)
		c = c.Add(res.Samples)
	}
	return c
}

// rawCopy copies the samples of batches with one COPY, in one transaction,
// into table (same shape and indexes as samples), encoded as the store
// encodes them, and returns how long that took.
func rawCopy(b *testing.B, db *sql.DB, table string, userPK, sourceID int64, batches []*wearables.Batch) time.Duration {
	b.Helper()
	ctx := context.Background()
	var all []wearables.Sample
	for _, batch := range batches {
		all = append(all, batch.Samples...)
	}
	start := time.Now()
	conn, err := db.Conn(ctx)
	require.NoError(b, err)
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	require.NoError(b, err)
	defer tx.Rollback()
	require.NoError(b, pgstore.CopyRawSamples(ctx, conn, table, all, sourceID, userPK))
	require.NoError(b, tx.Commit())
	return time.Since(start)
}

// copyTable creates an empty table shaped and indexed like samples.
func copyTable(b *testing.B, db *sql.DB, name string) string {
	b.Helper()
	_, err := db.Exec(`CREATE TABLE ` + name + ` (LIKE samples INCLUDING ALL)`)
	require.NoError(b, err)
	return name
}

func userPK(b *testing.B, db *sql.DB, userID string) int64 {
	b.Helper()
	var pk int64
	require.NoError(b, db.QueryRow(`SELECT pk FROM users WHERE id = $1`, userID).Scan(&pk))
	return pk
}

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

// benchRounds is how many times the ingest benchmarks repeat their
// measurement, interleaved with the baseline, within one iteration: on a
// shared machine single runs of a few seconds are noisy.
const benchRounds = 3

// BenchmarkIngest upserts 1,000,000 new samples (1 Hz heart rate of one
// user) through WriteBatch in batches of 50,000 and compares with a raw COPY
// of the same rows, encoded the same way, into a table of the same shape
// and indexes, in one transaction. Rounds alternate between the two, each
// with a new user; the figures are totals over the rounds.
func BenchmarkIngest(b *testing.B) {
	testenv.PostgresURL(b)
	for range b.N {
		s, _ := benchStore(b)
		table := copyTable(b, s.DB(), "raw_samples")
		var store, raw time.Duration
		for range benchRounds {
			u := newBenchUser(b, s)
			batches := heartRateBatches(u.ID, ingestSamples, ingestBatch)
			start := time.Now()
			c := writeAll(b, s, batches)
			store += time.Since(start)
			require.Equal(b, wearables.Counts{Inserted: ingestSamples}, c)

			srcs, err := s.ListSources(context.Background(), u.ID)
			require.NoError(b, err)
			srcID, _ := strconv.ParseInt(srcs[0].ID, 10, 64)
			raw += rawCopy(b, s.DB(), table, userPK(b, s.DB(), u.ID), srcID, batches)
		}
		n := benchRounds * ingestSamples
		b.ReportMetric(rate(n, store), "samples/s")
		b.ReportMetric(rate(n, raw), "copy-samples/s")
		b.ReportMetric(raw.Seconds()/store.Seconds(), "ratio-vs-copy")
	}
}

// BenchmarkReingest writes the same 1,000,000 samples twice; the second time
// every sample is unchanged. Baseline: the first ingest. Rounds of (first,
// second) use a new user each; the figures are totals over the rounds.
func BenchmarkReingest(b *testing.B) {
	testenv.PostgresURL(b)
	for range b.N {
		s, _ := benchStore(b)
		var first, again time.Duration
		for range benchRounds {
			u := newBenchUser(b, s)
			batches := heartRateBatches(u.ID, ingestSamples, ingestBatch)
			start := time.Now()
			c := writeAll(b, s, batches)
			first += time.Since(start)
			require.Equal(b, wearables.Counts{Inserted: ingestSamples}, c)

			start = time.Now()
			c = writeAll(b, s, batches)
			again += time.Since(start)
			require.Equal(b, wearables.Counts{Unchanged: ingestSamples}, c)
		}
		n := benchRounds * ingestSamples
		b.ReportMetric(rate(n, again), "samples/s")
		b.ReportMetric(rate(n, first), "first-samples/s")
		b.ReportMetric(first.Seconds()/again.Seconds(), "speedup-vs-first")
	}
}

// BenchmarkIngestBatchSize is BenchmarkIngest at several batch sizes (in a
// quarter of the samples), to choose the size.
func BenchmarkIngestBatchSize(b *testing.B) {
	testenv.PostgresURL(b)
	const n = ingestSamples / 4
	for _, size := range []int{1_000, 10_000, 50_000, 250_000} {
		b.Run("batch="+strconv.Itoa(size), func(b *testing.B) {
			for range b.N {
				s, _ := benchStore(b)
				u := newBenchUser(b, s)
				batches := heartRateBatches(u.ID, n, size)
				start := time.Now()
				writeAll(b, s, batches)
				b.ReportMetric(rate(n, time.Since(start)), "samples/s")
			}
		})
	}
}

// BenchmarkSmallBatch writes 200 batches of 100 new samples (a typical
// sync page) through WriteBatch, and the same rows in transactions with one
// multi-row INSERT … ON CONFLICT DO UPDATE … RETURNING each into a table of
// the same shape: the cheapest alternative path for small batches.
func BenchmarkSmallBatch(b *testing.B) {
	testenv.PostgresURL(b)
	const size, n = 100, 200
	ctx := context.Background()
	for range b.N {
		s, _ := benchStore(b)
		u := newBenchUser(b, s)
		db := s.DB()
		table := copyTable(b, db, "raw_samples")
		batches := heartRateBatches(u.ID, size*(n+1), size)
		_, err := s.WriteBatch(ctx, batches[n]) // create the source
		require.NoError(b, err)
		srcs, err := s.ListSources(ctx, u.ID)
		require.NoError(b, err)
		srcID, _ := strconv.ParseInt(srcs[0].ID, 10, 64)
		pk := userPK(b, db, u.ID)

		var insertSQL strings.Builder
		insertSQL.WriteString(`WITH w AS (INSERT INTO ` + table + ` AS t (user_pk, series_type, start_time, source_id, end_time, utc_offset, value) VALUES `)
		for i := range size {
			if i > 0 {
				insertSQL.WriteString(", ")
			}
			fmt.Fprintf(&insertSQL, "($%d, $%d, $%d, $%d, $%d, $%d, $%d)", 7*i+1, 7*i+2, 7*i+3, 7*i+4, 7*i+5, 7*i+6, 7*i+7)
		}
		insertSQL.WriteString(` ON CONFLICT (user_pk, series_type, start_time, source_id) DO UPDATE SET end_time = excluded.end_time, utc_offset = excluded.utc_offset, value = excluded.value
			WHERE (t.end_time, t.utc_offset, t.value) IS DISTINCT FROM (excluded.end_time, excluded.utc_offset, excluded.value)
			RETURNING xmax = 0 AS inserted) SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w`)
		raw := func(batch *wearables.Batch) {
			args := make([]any, 0, 7*size)
			for _, sm := range batch.Samples {
				args = append(args, pk, int64(sm.Type), sm.Start, srcID, nil, int64(sm.Offset), sm.Value)
			}
			tx, err := db.BeginTx(ctx, nil)
			require.NoError(b, err)
			var ins, upd int
			require.NoError(b, tx.QueryRowContext(ctx, insertSQL.String(), args...).Scan(&ins, &upd))
			require.NoError(b, tx.Commit())
			require.Equal(b, size, ins)
		}

		var store, baseline time.Duration
		for i := range n {
			start := time.Now()
			res, err := s.WriteBatch(ctx, batches[i])
			store += time.Since(start)
			require.NoError(b, err)
			require.Equal(b, size, res.Samples.Inserted)
			start = time.Now()
			raw(batches[i])
			baseline += time.Since(start)
		}
		b.ReportMetric(float64(store.Microseconds())/n, "µs/batch")
		b.ReportMetric(float64(baseline.Microseconds())/n, "insert-µs/batch")
		b.ReportMetric(store.Seconds()/baseline.Seconds(), "ratio-vs-insert")
	}
}

// The query benchmark's data set: 10 users × 1,000,000 samples (11 days of
// 1 Hz heart rate from a watch, steps per minute from a phone, SpO2 every
// 28 s from the watch).
const (
	querySchema   = "wt_bench_query10m"
	queryUsers    = 10
	queryPerUser  = 1_000_000
	queryDays     = 11
	queryDayIndex = 5 // the day queried
)

// queryStore opens the store on the query benchmark's schema, loading it
// when it is missing or incomplete, and returns the user to query.
func queryStore(b *testing.B) (*pgstore.Store, wearables.User) {
	b.Helper()
	ctx := context.Background()
	base := testenv.PostgresURL(b)
	admin, err := sql.Open("postgres", base)
	require.NoError(b, err)
	defer admin.Close()
	var ready bool
	err = admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'bench_ready')`, querySchema).Scan(&ready)
	require.NoError(b, err)
	if !ready {
		_, err = admin.Exec(`DROP SCHEMA IF EXISTS ` + querySchema + ` CASCADE; CREATE SCHEMA ` + querySchema)
		require.NoError(b, err)
	}
	s, err := pgstore.Open(ctx, withParam(b, base, "search_path", querySchema), pgstore.WithAutoMigrate())
	require.NoError(b, err)
	b.Cleanup(func() { s.Close() })
	if !ready {
		b.Logf("loading %d samples into schema %s (once)", queryUsers*queryPerUser, querySchema)
		loadQueryData(b, s)
	}
	var id string
	require.NoError(b, s.DB().QueryRow(`SELECT id FROM users ORDER BY pk LIMIT 1 OFFSET 3`).Scan(&id))
	u, err := s.GetUser(ctx, id)
	require.NoError(b, err)
	return s, u
}

func loadQueryData(b *testing.B, s *pgstore.Store) {
	ctx := context.Background()
	db := s.DB()
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(b, err)
	defer tx.Rollback()
	var rows int
	type userSrcs struct{ pk, watch, phone int64 }
	var users []userSrcs
	for range queryUsers {
		u := newBenchUser(b, s)
		// Create the sources through the store: one sample each, long
		// before the data set.
		_, err := s.WriteBatch(ctx, &wearables.Batch{UserID: u.ID, Samples: []wearables.Sample{
			{Source: benchWatch, Type: wearables.SeriesHeartRate, Start: benchBase.AddDate(-1, 0, 0), Value: 60, Offset: wearables.NoOffset},
			{Source: benchPhone, Type: wearables.SeriesSteps, Start: benchBase.AddDate(-1, 0, 0), Value: 1, Offset: wearables.NoOffset},
		}})
		require.NoError(b, err)
		srcs, err := s.ListSources(ctx, u.ID)
		require.NoError(b, err)
		us := userSrcs{pk: userPK(b, db, u.ID)}
		for _, src := range srcs {
			id, _ := strconv.ParseInt(src.ID, 10, 64)
			if src.DeviceType == wearables.DeviceWatch {
				us.watch = id
			} else {
				us.phone = id
			}
		}
		users = append(users, us)
	}
	stmt, err := tx.PrepareContext(ctx, `COPY samples (user_pk, series_type, start_time, source_id, end_time, utc_offset, value) FROM STDIN`)
	require.NoError(b, err)
	put := func(args ...any) {
		_, err := stmt.ExecContext(ctx, args...)
		require.NoError(b, err)
		rows++
	}
	for _, u := range users {
		n := 0
		for i := 0; i < queryDays*86400; i++ {
			put(u.pk, int64(wearables.SeriesHeartRate), benchBase.Add(time.Duration(i)*time.Second), u.watch, nil, int64(3600), float64(50+i%80))
			n++
		}
		for i := 0; i < queryDays*1440; i++ {
			t := benchBase.Add(time.Duration(i) * time.Minute)
			put(u.pk, int64(wearables.SeriesSteps), t, u.phone, t.Add(time.Minute), int64(3600), float64(i%120))
			n++
		}
		for i := 0; n < queryPerUser; i++ {
			put(u.pk, int64(wearables.SeriesOxygenSaturation), benchBase.Add(time.Duration(i)*28*time.Second), u.watch, nil, nil, float64(94+i%6))
			n++
		}
	}
	_, err = stmt.ExecContext(ctx)
	require.NoError(b, err)
	require.NoError(b, stmt.Close())
	_, err = tx.ExecContext(ctx, `CREATE TABLE bench_ready (rows bigint NOT NULL)`)
	require.NoError(b, err)
	_, err = tx.ExecContext(ctx, `INSERT INTO bench_ready VALUES ($1)`, rows)
	require.NoError(b, err)
	require.NoError(b, tx.Commit())
	_, err = db.Exec(`VACUUM ANALYZE samples`)
	require.NoError(b, err)
}

// BenchmarkQuerySamples reads one day of 1 Hz heart rate (86,400 samples) of
// one user out of 10,000,000 through QuerySamples, paging with
// wearables.MaxPageSize, and the same SQL through database/sql scanning into
// the same Go values. Each is repeated and the median taken.
func BenchmarkQuerySamples(b *testing.B) {
	s, u := queryStore(b)
	ctx := context.Background()
	day := benchBase.AddDate(0, 0, queryDayIndex)
	q := wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate}, Start: day, End: day.AddDate(0, 0, 1), Limit: wearables.MaxPageSize}
	pk := userPK(b, s.DB(), u.ID)
	const reps = 15

	viaStore := func() int {
		n := 0
		for q := q; ; {
			page, err := s.QuerySamples(ctx, q)
			require.NoError(b, err)
			n += len(page.Items)
			if page.Next == "" {
				return n
			}
			q.Cursor = page.Next
		}
	}
	// The statement QuerySamples sends for one type and no cursor.
	const rawSQL = `SELECT series_type, start_time, source_id, end_time, utc_offset, value FROM samples WHERE user_pk = $1 AND series_type = 1 AND start_time >= $2 AND start_time < $3 ORDER BY start_time, source_id LIMIT $4`
	viaSQL := func() int {
		rows, err := s.DB().QueryContext(ctx, rawSQL, pk, q.Start, q.End, wearables.MaxPageSize+1)
		require.NoError(b, err)
		defer rows.Close()
		items := make([]wearables.Sample, 0, 4096)
		for rows.Next() {
			var (
				sm     wearables.Sample
				typ    int16
				srcID  int64
				end    sql.NullTime
				offset sql.NullInt32
			)
			require.NoError(b, rows.Scan(&typ, &sm.Start, &srcID, &end, &offset, &sm.Value))
			sm.UserID, sm.Type, sm.Start = u.ID, wearables.SeriesType(typ), sm.Start.UTC()
			sm.Source.ID = "" // filled by QuerySamples, left out here
			if end.Valid {
				sm.End = end.Time.UTC()
			}
			sm.Offset = wearables.NoOffset
			if offset.Valid {
				sm.Offset = wearables.Offset(offset.Int32)
			}
			items = append(items, sm)
		}
		require.NoError(b, rows.Err())
		return len(items)
	}
	require.Equal(b, 86_400, viaStore())
	require.Equal(b, 86_400, viaSQL())

	b.ResetTimer()
	for range b.N {
		var store, raw []time.Duration
		for range reps {
			start := time.Now()
			viaSQL()
			raw = append(raw, time.Since(start))
			start = time.Now()
			viaStore()
			store = append(store, time.Since(start))
		}
		ms, mr := median(store), median(raw)
		b.ReportMetric(rate(86_400, ms), "samples/s")
		b.ReportMetric(rate(86_400, mr), "raw-samples/s")
		b.ReportMetric(ms.Seconds()/mr.Seconds(), "ratio-vs-raw")
	}
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
