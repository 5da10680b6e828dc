package applehealth

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/providers/applehealth/exportgen"
	"github.com/wearables-go/wearables/store/memstore"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

type storeWithUsers interface {
	wearables.RecordWriter
	wearables.UserStore
	wearables.RecordReader
}

func newUser(t testing.TB, s wearables.UserStore) string {
	t.Helper()
	u := wearables.User{}
	require.NoError(t, s.CreateUser(context.Background(), &u))
	return u.ID
}

func stores(t *testing.T) map[string]storeWithUsers {
	t.Helper()
	ctx := context.Background()
	out := map[string]storeWithUsers{"memstore": memstore.New()}
	sq, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "w.db"), sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	t.Cleanup(func() { sq.Close() })
	out["sqlitestore"] = sq
	if url := os.Getenv("WEARABLES_TEST_POSTGRES_URL"); url != "" {
		pg, err := pgstore.Open(ctx, testenv.PostgresURL(t), pgstore.WithAutoMigrate())
		require.NoError(t, err)
		t.Cleanup(func() { pg.Close() })
		out["pgstore"] = pg
	}
	return out
}

func TestImportIdempotent(t *testing.T) {
	data := generate(t, exportgen.Config{Days: 6, Seed: 11})
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			user := newUser(t, s)
			var calls int
			opts := ImportOptions{Decode: DecodeOptions{BatchSize: 500}, OnProgress: func(Progress) { calls++ }}
			first, err := Import(ctx, bytes.NewReader(data), s, user, opts)
			require.NoError(t, err)
			assert.Nil(t, first.Fault)
			tot := first.Written.Total()
			assert.Positive(t, tot.Inserted)
			// Records sharing a natural key in one batch (a correlation's
			// components and their top-level twins) collapse into one write.
			assert.LessOrEqual(t, int64(tot.Total()), first.Stats.Emitted.Samples+first.Stats.Emitted.Workouts+first.Stats.Emitted.Sleep+first.Stats.Emitted.Summaries)
			assert.Equal(t, first.Written.Workouts.Inserted, int(first.Stats.Emitted.Workouts))
			assert.Positive(t, first.Written.Sleep.Inserted)
			assert.Positive(t, calls)
			assert.Equal(t, int64(len(data)), first.Stats.BytesRead)

			second, err := Import(ctx, bytes.NewReader(data), s, user, opts)
			require.NoError(t, err)
			tot2 := second.Written.Total()
			assert.Zero(t, tot2.Inserted, "second import inserts nothing")
			assert.Zero(t, tot2.Updated, "second import updates nothing")
			assert.Equal(t, tot.Total(), tot2.Unchanged)

			page, err := s.QueryWorkouts(ctx, wearables.EventQuery{UserID: user, Start: mustTime(t, "2000-01-01T00:00:00Z"), End: mustTime(t, "2100-01-01T00:00:00Z")})
			require.NoError(t, err)
			assert.Len(t, page.Items, int(first.Stats.Emitted.Workouts))
		})
	}
}

func TestImportKindsIntoStores(t *testing.T) {
	data := readTestdata(t, "export_kinds.xml")
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			user := newUser(t, s)
			rep, err := Import(ctx, bytes.NewReader(data), s, user, ImportOptions{Writers: 2, Decode: DecodeOptions{BatchSize: 3}})
			require.NoError(t, err)
			assert.Equal(t, int64(4), rep.Stats.RejectedTotal())
			srcs, err := s.ListSources(ctx, user)
			require.NoError(t, err)
			assert.GreaterOrEqual(t, len(srcs), 5)
			page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: user, Types: []wearables.SeriesType{wearables.SeriesOxygenSaturation},
				Start: mustTime(t, "2024-01-01T00:00:00Z"), End: mustTime(t, "2025-01-01T00:00:00Z")})
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			assert.InDelta(t, 97, page.Items[0].Value, 1e-9)
			assert.Equal(t, wearables.Offset(-7*3600), page.Items[0].Offset)
		})
	}
}

func TestImportTruncated(t *testing.T) {
	data := generate(t, exportgen.Config{Days: 3, Seed: 2})
	cut := data[:len(data)*2/3]
	s := memstore.New()
	user := newUser(t, s)
	rep, err := Import(context.Background(), bytes.NewReader(cut), s, user, ImportOptions{Decode: DecodeOptions{BatchSize: 100}})
	require.Error(t, err)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	require.NotNil(t, rep.Fault)
	assert.Equal(t, se, rep.Fault)
	assert.LessOrEqual(t, rep.Fault.Offset, int64(len(cut)))
	assert.Positive(t, rep.Written.Samples.Inserted, "records before the fault are imported")

	// The records before the fault are exactly those a full import holds
	// up to there: a full import afterwards only adds.
	full, err := Import(context.Background(), bytes.NewReader(data), s, user, ImportOptions{})
	require.NoError(t, err)
	assert.Zero(t, full.Written.Samples.Updated)
	assert.Equal(t, rep.Written.Samples.Inserted, full.Written.Samples.Unchanged)
}

// failingWriter fails its second batch.
type failingWriter struct {
	mu sync.Mutex
	n  int
}

var errStore = errors.New("disk on fire")

func (f *failingWriter) WriteBatch(ctx context.Context, b *wearables.Batch) (wearables.WriteResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	if f.n == 2 {
		return wearables.WriteResult{}, errStore
	}
	return wearables.WriteResult{Samples: wearables.Counts{Inserted: len(b.Samples)}}, nil
}

func TestImportErrors(t *testing.T) {
	data := generate(t, exportgen.Config{Days: 3})
	t.Run("store error", func(t *testing.T) {
		rep, err := Import(context.Background(), bytes.NewReader(data), &failingWriter{}, "u", ImportOptions{Decode: DecodeOptions{BatchSize: 100}})
		assert.ErrorIs(t, err, errStore)
		assert.Equal(t, 1, rep.Batches)
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Import(ctx, bytes.NewReader(data), memstore.New(), "u", ImportOptions{})
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("no user", func(t *testing.T) {
		_, err := Import(context.Background(), bytes.NewReader(data), memstore.New(), "", ImportOptions{})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})
	t.Run("unknown user", func(t *testing.T) {
		_, err := Import(context.Background(), bytes.NewReader(data), memstore.New(), "nobody", ImportOptions{})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})
}

func TestImportFileZip(t *testing.T) {
	data := readTestdata(t, "export_kinds.xml")
	dir := t.TempDir()
	zpath := filepath.Join(dir, "export.zip")
	f, err := os.Create(zpath)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	cda, err := zw.Create("apple_health_export/export_cda.xml")
	require.NoError(t, err)
	_, _ = cda.Write([]byte("<ClinicalDocument/>"))
	w, err := zw.Create("apple_health_export/export.xml")
	require.NoError(t, err)
	_, err = w.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	xpath := filepath.Join(dir, "export.xml")
	require.NoError(t, os.WriteFile(xpath, data, 0o600))

	var reports []Report
	for _, p := range []string{zpath, xpath} {
		s := memstore.New()
		user := newUser(t, s)
		var last Progress
		rep, err := ImportFile(context.Background(), p, s, user, ImportOptions{OnProgress: func(p Progress) { last = p }})
		require.NoError(t, err, p)
		assert.Equal(t, int64(len(data)), last.TotalBytes)
		assert.Equal(t, int64(len(data)), last.BytesRead)
		rep.Elapsed = 0
		reports = append(reports, rep)
	}
	assert.Equal(t, reports[0], reports[1], "zip and plain give the same report")

	t.Run("zip without export.xml", func(t *testing.T) {
		p := filepath.Join(dir, "other.zip")
		f, err := os.Create(p)
		require.NoError(t, err)
		zw := zip.NewWriter(f)
		_, _ = zw.Create("readme.txt")
		require.NoError(t, zw.Close())
		require.NoError(t, f.Close())
		_, _, err = OpenExport(p)
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})
	t.Run("missing file", func(t *testing.T) {
		_, _, err := OpenExport(filepath.Join(dir, "nope.xml"))
		assert.ErrorIs(t, err, os.ErrNotExist)
	})
}
