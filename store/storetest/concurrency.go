package storetest

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func testConcurrency(t *testing.T, newStore Factory) {
	t.Run("SameBatch", func(t *testing.T) {
		// Two syncs of the same window race: both succeed, one copy of
		// each row remains, and between them every row is inserted once.
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		mk := func() *wearables.Batch {
			b := sampleGrid(u.ID, 1250, 10*time.Second)
			for i := range 50 {
				b.Workouts = append(b.Workouts, morningRun(garminForerunner(), "w-"+strconv.Itoa(i), base.Add(time.Duration(i)*time.Hour)))
			}
			return b
		}
		batches := [2]*wearables.Batch{mk(), mk()}
		require.Len(t, batches[0].Samples, 5000)
		var (
			res   [2]wearables.WriteResult
			errs  [2]error
			wg    sync.WaitGroup
			start = make(chan struct{})
		)
		for i := range 2 {
			wg.Go(func() {
				<-start
				res[i], errs[i] = s.WriteBatch(ctx, batches[i])
			})
		}
		close(start)
		wg.Wait()
		require.NoError(t, errs[0])
		require.NoError(t, errs[1])
		for i := range 2 {
			assert.Equal(t, 5000, res[i].Samples.Total(), "write %d counts every sample", i)
			assert.Equal(t, 50, res[i].Workouts.Total(), "write %d counts every workout", i)
		}
		assert.Equal(t, 5000, res[0].Samples.Inserted+res[1].Samples.Inserted, "each sample inserted by exactly one writer")
		assert.Equal(t, 50, res[0].Workouts.Inserted+res[1].Workouts.Inserted, "each workout inserted by exactly one writer")
		assert.Zero(t, res[0].Samples.Updated+res[1].Samples.Updated, "identical rows are never updated")
		assert.Zero(t, res[0].Workouts.Updated+res[1].Workouts.Updated, "identical rows are never updated")

		d := readAll(t, s, u.ID)
		assert.Len(t, d.Samples, 5000, "one copy of each sample")
		assert.Len(t, d.Workouts, 50, "one copy of each workout")
		assert.Len(t, d.Sources, 3, "one row per source")
		assertData(t, s, u.ID, wantData(u.ID, mk()))
	})

	t.Run("ManyWriters", func(t *testing.T) {
		// Four writers of overlapping batches, several rounds.
		s, ctx := newStore(t), t.Context()
		for round := range 3 {
			u := newUser(t, s)
			var (
				wg   sync.WaitGroup
				mu   sync.Mutex
				ins  int
				errs []error
			)
			start := make(chan struct{})
			for w := range 4 {
				wg.Go(func() {
					b := sampleGrid(u.ID, 100+25*w, time.Minute) // prefixes of one grid
					b.Sleep = []wearables.Sleep{night(ouraRing(), "s-"+strconv.Itoa(round), base)}
					<-start
					res, err := s.WriteBatch(ctx, b)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						errs = append(errs, err)
						return
					}
					ins += res.Samples.Inserted
				})
			}
			close(start)
			wg.Wait()
			require.Empty(t, errs)
			assert.Equal(t, 4*175, ins, "round %d: every sample inserted exactly once", round)
			d := readAll(t, s, u.ID)
			assert.Len(t, d.Samples, 4*175, "round %d", round)
			assert.Len(t, d.Sleep, 1, "round %d", round)
		}
	})

	t.Run("WritersAndReaders", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		users := []wearables.User{newUser(t, s), newUser(t, s), newUser(t, s)}
		var (
			writers, readers sync.WaitGroup
			mu               sync.Mutex
			errs             []error
		)
		fail := func(err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
		done := make(chan struct{})
		for _, u := range users {
			writers.Go(func() {
				for i := range 10 {
					b := &wearables.Batch{UserID: u.ID}
					for j := range 100 {
						b.Samples = append(b.Samples, heartRate(appleWatch(), base.Add(time.Duration(100*i+j)*time.Second), 60))
					}
					b.Workouts = []wearables.Workout{morningRun(garminForerunner(), "w-"+strconv.Itoa(i), base.Add(time.Duration(i)*time.Hour))}
					if _, err := s.WriteBatch(ctx, b); err != nil {
						fail(err)
					}
				}
			})
		}
		for _, u := range users {
			readers.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: hrAndSteps, Start: base, End: base.Add(time.Hour), Limit: 250})
					if err != nil {
						fail(err)
						return
					}
					for _, smp := range page.Items {
						if smp.UserID != u.ID || smp.Source.ID == "" {
							fail(errors.New("storetest: a concurrent read returned a foreign or sourceless sample"))
							return
						}
					}
					if _, err := s.QueryWorkouts(ctx, wearables.EventQuery{UserID: u.ID, Start: base, End: base.Add(24 * time.Hour)}); err != nil {
						fail(err)
						return
					}
					if _, err := s.ListSources(ctx, u.ID); err != nil {
						fail(err)
						return
					}
				}
			})
		}
		writers.Wait()
		close(done)
		readers.Wait()
		require.Empty(t, errs)
		for _, u := range users {
			d := readAll(t, s, u.ID)
			assert.Len(t, d.Samples, 1000)
			assert.Len(t, d.Workouts, 10)
		}
	})

	t.Run("CreateUserRace", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		const n = 8
		results := make(chan error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				results <- s.CreateUser(ctx, &wearables.User{AppID: "acme", ExternalID: "same-person"})
			})
		}
		close(start)
		wg.Wait()
		close(results)
		assertOneWinner(t, results, wearables.ErrConflict)
	})

	t.Run("CreateConnectionRace", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		const n = 8
		results := make(chan error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				results <- s.CreateConnection(ctx, &wearables.Connection{UserID: u.ID, Provider: wearables.ProviderPolar, Status: wearables.ConnectionActive})
			})
		}
		close(start)
		wg.Wait()
		close(results)
		assertOneWinner(t, results, wearables.ErrConflict)
		page, err := s.ListConnections(ctx, wearables.ConnectionQuery{UserID: u.ID})
		require.NoError(t, err)
		assert.Len(t, page.Items, 1)
	})
}

// assertOneWinner checks that exactly one result is nil and the others match loser.
func assertOneWinner(t *testing.T, results <-chan error, loser error) {
	t.Helper()
	wins := 0
	for err := range results {
		if err == nil {
			wins++
			continue
		}
		assert.ErrorIs(t, err, loser)
	}
	assert.Equal(t, 1, wins, "exactly one concurrent create wins")
}
