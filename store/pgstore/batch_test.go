package pgstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// TestWriteBatchRaces writes the same new samples from several goroutines
// at once, for a user whose sources already exist, so that every writer
// finds no stored sample and copies straight into the table: all but one
// hit the others' keys and fall back to the general path. Each sample is
// inserted exactly once and every writer counts every sample.
func TestWriteBatchRaces(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const writers, n = 4, 3000
	for round := range 5 {
		u := wearables.User{}
		require.NoError(t, s.CreateUser(ctx, &u))
		// Create the sources first, with samples far from the raced ones.
		seed := heartRateBatches(u.ID, 1, 1)[0]
		seed.Samples[0].Start = benchBase.AddDate(-1, 0, 0)
		_, err := s.WriteBatch(ctx, seed)
		require.NoError(t, err)

		var (
			wg    sync.WaitGroup
			res   [writers]wearables.WriteResult
			errs  [writers]error
			start = make(chan struct{})
		)
		for w := range writers {
			b := heartRateBatches(u.ID, n, n)[0]
			wg.Go(func() {
				<-start
				res[w], errs[w] = s.WriteBatch(ctx, b)
			})
		}
		close(start)
		wg.Wait()
		inserted := 0
		for w := range writers {
			require.NoError(t, errs[w], "round %d writer %d", round, w)
			assert.Equal(t, n, res[w].Samples.Total())
			assert.Zero(t, res[w].Samples.Updated)
			inserted += res[w].Samples.Inserted
		}
		assert.Equal(t, n, inserted, "round %d: each sample inserted exactly once", round)
		page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate},
			Start: benchBase, End: benchBase.Add(time.Duration(n) * time.Second), Limit: wearables.MaxPageSize})
		require.NoError(t, err)
		assert.Len(t, page.Items, n)
	}
}

// TestWriteBatchSamplePaths checks the counts of the two sample paths:
// new data, which is copied straight into the table, and data overlapping
// stored samples, which is staged and upserted.
func TestWriteBatchSamplePaths(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	u := wearables.User{}
	require.NoError(t, s.CreateUser(ctx, &u))
	batch := func(from, to int, value float64) *wearables.Batch {
		b := &wearables.Batch{UserID: u.ID}
		for i := from; i < to; i++ {
			b.Samples = append(b.Samples, wearables.Sample{Source: benchWatch, Type: wearables.SeriesHeartRate,
				Start: benchBase.Add(time.Duration(i) * time.Second), Offset: wearables.NoOffset, Value: value})
		}
		return b
	}
	tests := []struct {
		name string
		b    *wearables.Batch
		want wearables.Counts
	}{
		{"new", batch(0, 100, 60), wearables.Counts{Inserted: 100}},
		{"same again", batch(0, 100, 60), wearables.Counts{Unchanged: 100}},
		{"new after the stored ones", batch(100, 150, 60), wearables.Counts{Inserted: 50}},
		{"overlap: half unchanged, half new", batch(125, 175, 60), wearables.Counts{Inserted: 25, Unchanged: 25}},
		{"changed values", batch(0, 10, 61), wearables.Counts{Updated: 10}},
		{"mixed", batch(170, 180, 61), wearables.Counts{Inserted: 5, Updated: 5}},
		{"another type in the same window is new", func() *wearables.Batch {
			b := batch(0, 10, 100)
			for i := range b.Samples {
				b.Samples[i].Type = wearables.SeriesSteps
				b.Samples[i].End = b.Samples[i].Start.Add(time.Second)
			}
			return b
		}(), wearables.Counts{Inserted: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.WriteBatch(ctx, tt.b)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Samples)
		})
	}
	page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate, wearables.SeriesSteps},
		Start: benchBase, End: benchBase.Add(time.Hour), Limit: wearables.MaxPageSize})
	require.NoError(t, err)
	assert.Len(t, page.Items, 190)
}

// TestWriteBatchAtomic checks that a batch the database rejects after its
// samples and first workout were written leaves nothing behind.
func TestWriteBatchAtomic(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	u := wearables.User{}
	require.NoError(t, s.CreateUser(ctx, &u))
	for _, n := range []int{10, 1000} { // both sample paths
		b := heartRateBatches(u.ID, n, n)[0]
		b.Workouts = []wearables.Workout{
			{Source: benchWatch, ProviderRecordID: "w1", Type: 1, Start: benchBase, End: benchBase.Add(time.Hour)},
		}
		// PostgreSQL text cannot hold NUL bytes.
		b.Sleep = []wearables.Sleep{{Source: benchWatch, ProviderRecordID: "s\x00", Start: benchBase, End: benchBase.Add(time.Hour)}}
		_, err := s.WriteBatch(ctx, b)
		require.ErrorIs(t, err, wearables.ErrInvalid)
		srcs, err := s.ListSources(ctx, u.ID)
		require.NoError(t, err)
		assert.Empty(t, srcs)
		var rows int
		require.NoError(t, s.DB().QueryRow(`SELECT (SELECT count(*) FROM samples) + (SELECT count(*) FROM workouts) + (SELECT count(*) FROM sleep)`).Scan(&rows))
		assert.Zero(t, rows)
	}
}
