package storetest

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func testBadInput(t *testing.T, newStore Factory) {
	// Each case spoils a realistic batch (every kind of record, a delete of
	// a stored workout, a cursor) with one bad record placed last: the write
	// must fail with ErrInvalid and leave no trace.
	cases := []struct {
		name  string
		spoil func(b *wearables.Batch, other wearables.User)
	}{
		{"unknown series type", func(b *wearables.Batch, _ wearables.User) {
			b.Samples = append(b.Samples, wearables.Sample{Source: appleWatch(), Type: wearables.SeriesType(60000), Start: base, Value: 1})
		}},
		{"zero series type", func(b *wearables.Batch, _ wearables.User) {
			b.Samples = append(b.Samples, wearables.Sample{Source: appleWatch(), Start: base.Add(time.Hour), Value: 1})
		}},
		{"NaN value", func(b *wearables.Batch, _ wearables.User) {
			b.Samples = append(b.Samples, heartRate(appleWatch(), base.Add(time.Hour), math.NaN()))
		}},
		{"+Inf value", func(b *wearables.Batch, _ wearables.User) {
			b.Samples = append(b.Samples, heartRate(appleWatch(), base.Add(time.Hour), math.Inf(1)))
		}},
		{"-Inf value", func(b *wearables.Batch, _ wearables.User) {
			b.Samples = append(b.Samples, steps(iPhone(), base.Add(time.Hour), math.Inf(-1)))
		}},
		{"sample end before start", func(b *wearables.Batch, _ wearables.User) {
			smp := steps(iPhone(), base.Add(time.Hour), 12)
			smp.End = smp.Start.Add(-time.Second)
			b.Samples = append(b.Samples, smp)
		}},
		{"zero sample start", func(b *wearables.Batch, _ wearables.User) {
			b.Samples = append(b.Samples, wearables.Sample{Source: appleWatch(), Type: wearables.SeriesHeartRate, Value: 60})
		}},
		{"offset beyond 18 hours", func(b *wearables.Batch, _ wearables.User) {
			smp := heartRate(appleWatch(), base.Add(time.Hour), 60)
			smp.Offset = wearables.MaxOffset + 1
			b.Samples = append(b.Samples, smp)
		}},
		{"source without provider", func(b *wearables.Batch, _ wearables.User) {
			b.Samples = append(b.Samples, heartRate(wearables.Source{DeviceModel: "mystery"}, base.Add(time.Hour), 60))
		}},
		{"record of another user", func(b *wearables.Batch, other wearables.User) {
			smp := heartRate(appleWatch(), base.Add(time.Hour), 60)
			smp.UserID = other.ID
			b.Samples = append(b.Samples, smp)
		}},
		{"workout end before start", func(b *wearables.Batch, _ wearables.User) {
			w := morningRun(garminForerunner(), "w-bad", base)
			w.End = base.Add(-time.Minute)
			b.Workouts = append(b.Workouts, w)
		}},
		{"empty workout provider record id", func(b *wearables.Batch, _ wearables.User) {
			b.Workouts = append(b.Workouts, morningRun(garminForerunner(), "", base))
		}},
		{"unknown workout type", func(b *wearables.Batch, _ wearables.User) {
			w := morningRun(garminForerunner(), "w-bad", base)
			w.Type = wearables.WorkoutType(65000)
			b.Workouts = append(b.Workouts, w)
		}},
		{"NaN workout metric", func(b *wearables.Batch, _ wearables.User) {
			w := morningRun(garminForerunner(), "w-bad", base)
			w.AvgHR = ptr(math.NaN())
			b.Workouts = append(b.Workouts, w)
		}},
		{"sleep end before start", func(b *wearables.Batch, _ wearables.User) {
			s := night(ouraRing(), "s-bad", base)
			s.End = s.Start.Add(-time.Hour)
			b.Sleep = append(b.Sleep, s)
		}},
		{"empty sleep provider record id", func(b *wearables.Batch, _ wearables.User) {
			b.Sleep = append(b.Sleep, night(ouraRing(), "", base))
		}},
		{"unknown sleep stage", func(b *wearables.Batch, _ wearables.User) {
			s := night(ouraRing(), "s-bad", base)
			s.Stages[2].Stage = wearables.SleepStage(42)
			b.Sleep = append(b.Sleep, s)
		}},
		{"NaN summary value", func(b *wearables.Batch, _ wearables.User) {
			m := activityDay(whoopStrap(), day(3))
			m.Values[wearables.SeriesSteps] = math.NaN()
			b.Summaries = append(b.Summaries, m)
		}},
		{"unknown series type in a summary", func(b *wearables.Batch, _ wearables.User) {
			m := activityDay(whoopStrap(), day(3))
			m.Values[wearables.SeriesType(60000)] = 1
			b.Summaries = append(b.Summaries, m)
		}},
		{"empty score provider record id", func(b *wearables.Batch, _ wearables.User) {
			b.Scores = append(b.Scores, readiness(ouraRing(), "", day(3)))
		}},
		{"score outside its scale", func(b *wearables.Batch, _ wearables.User) {
			sc := readiness(ouraRing(), "r-bad", day(3))
			sc.Value = 101
			b.Scores = append(b.Scores, sc)
		}},
		{"delete of an unsupported kind", func(b *wearables.Batch, _ wearables.User) {
			b.Deletes = append(b.Deletes, wearables.Delete{Kind: wearables.KindSample, Provider: wearables.ProviderGarmin, ProviderRecordID: "x"})
		}},
		{"cursor without a data type", func(b *wearables.Batch, _ wearables.User) {
			b.Cursor.DataType = ""
		}},
		{"cursor of another user's connection", func(b *wearables.Batch, other wearables.User) {
			b.Cursor.ConnectionID = other.ID // replaced below by other's connection id
		}},
		{"missing user", func(b *wearables.Batch, _ wearables.User) {
			b.UserID, b.Cursor = wearables.NewID(), nil
		}},
		{"missing user with a cursor", func(b *wearables.Batch, _ wearables.User) {
			b.UserID = wearables.NewID()
		}},
		{"empty user id", func(b *wearables.Batch, _ wearables.User) {
			b.UserID = ""
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, ctx := newStore(t), t.Context()
			u, other := newUser(t, s), newUser(t, s)
			c := newConnection(t, s, u.ID, wearables.ProviderGarmin)
			otherConn := newConnection(t, s, other.ID, wearables.ProviderGarmin)
			keep := morningRun(garminForerunner(), "keep", base.Add(-24*time.Hour))
			pre := &wearables.Batch{UserID: u.ID, Workouts: []wearables.Workout{keep}, Cursor: &wearables.Cursor{ConnectionID: c.ID, DataType: wearables.DataWorkouts, Value: "old"}}
			write(t, s, pre)
			srcsBefore, err := s.ListSources(ctx, u.ID)
			require.NoError(t, err)

			b := fullBatch(u.ID)
			b.Deletes = []wearables.Delete{{Kind: wearables.KindWorkout, Provider: wearables.ProviderGarmin, ProviderRecordID: "keep"}}
			b.Cursor = &wearables.Cursor{ConnectionID: c.ID, DataType: wearables.DataWorkouts, Value: "new"}
			tc.spoil(b, other)
			if b.Cursor != nil && b.Cursor.ConnectionID == other.ID {
				b.Cursor.ConnectionID = otherConn.ID
			}
			res, err := s.WriteBatch(ctx, b)
			require.Error(t, err)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
			assert.Equal(t, wearables.WriteResult{}, res, "a failed write reports nothing written")

			assertData(t, s, u.ID, wantData(u.ID, pre), "nothing of the batch is written, nothing deleted")
			srcs, err := s.ListSources(ctx, u.ID)
			require.NoError(t, err)
			assert.Equal(t, srcsBefore, srcs, "no source is created")
			cur, err := s.GetCursor(ctx, c.ID, wearables.DataWorkouts)
			require.NoError(t, err)
			assert.Equal(t, "old", cur.Value, "the cursor does not advance")
			_, err = s.GetCursor(ctx, otherConn.ID, wearables.DataWorkouts)
			assert.ErrorIs(t, err, wearables.ErrNotFound, "no cursor is written")
			assertNoData(t, s, other.ID, "nothing lands on another user")
			if b.UserID != u.ID && b.UserID != "" {
				assertNoData(t, s, b.UserID, "nothing lands on a user that does not exist")
			}
		})
	}
}
