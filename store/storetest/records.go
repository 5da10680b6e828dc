package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func testRecords(t *testing.T, newStore Factory) {
	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		b := fullBatch(u.ID)
		write(t, s, b)
		assertData(t, s, u.ID, wantData(u.ID, b))
	})

	t.Run("Counts", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		first := write(t, s, fullBatch(u.ID))
		assert.Equal(t, wearables.WriteResult{
			Samples:   wearables.Counts{Inserted: 10},
			Workouts:  wearables.Counts{Inserted: 2},
			Sleep:     wearables.Counts{Inserted: 2},
			Summaries: wearables.Counts{Inserted: 2},
			Scores:    wearables.Counts{Inserted: 2},
		}, first, "a first write inserts everything")

		again := write(t, s, fullBatch(u.ID))
		assert.Equal(t, wearables.WriteResult{
			Samples:   wearables.Counts{Unchanged: 10},
			Workouts:  wearables.Counts{Unchanged: 2},
			Sleep:     wearables.Counts{Unchanged: 2},
			Summaries: wearables.Counts{Unchanged: 2},
			Scores:    wearables.Counts{Unchanged: 2},
		}, again, "writing the same records again changes nothing")

		b := fullBatch(u.ID)
		b.Samples[0].Value = 72                                   // heart rate value
		b.Samples[1].End = b.Samples[1].End.Add(time.Second)      // steps interval end
		b.Samples[6].Offset = wearables.NoOffset                  // offset forgotten
		*b.Workouts[0].Laps[1].Distance += 1                      // deep inside a workout
		b.Sleep[1].Efficiency = nil                               // a metric withdrawn
		b.Summaries[1].Values[wearables.SeriesFlightsClimbed] = 3 // one value of a summary
		b.Scores[0].Contributors["hrv_balance"] = 80              // one contributor of a score
		b.Samples = append(b.Samples, heartRate(appleWatch(), base.Add(time.Hour), 99))
		b.Scores = append(b.Scores, readiness(ouraRing(), "r-3", day(2)))
		changed := write(t, s, b)
		assert.Equal(t, wearables.WriteResult{
			Samples:   wearables.Counts{Inserted: 1, Updated: 3, Unchanged: 7},
			Workouts:  wearables.Counts{Updated: 1, Unchanged: 1},
			Sleep:     wearables.Counts{Updated: 1, Unchanged: 1},
			Summaries: wearables.Counts{Updated: 1, Unchanged: 1},
			Scores:    wearables.Counts{Inserted: 1, Updated: 1, Unchanged: 1},
		}, changed, "changed records are updated, the rest unchanged")
		assertData(t, s, u.ID, wantData(u.ID, b), "the latest write wins")

		// A changed offset alone is a change, in every kind of record.
		b.Samples[2].Offset = offsetMART
		b.Workouts[1].Offset = offsetNPT
		b.Sleep[0].Offset = wearables.NoOffset
		b.Summaries[0].Offset = offsetNPT
		b.Scores[1].Offset = wearables.NoOffset
		res := write(t, s, b)
		assert.Equal(t, wearables.WriteResult{
			Samples:   wearables.Counts{Updated: 1, Unchanged: 10},
			Workouts:  wearables.Counts{Updated: 1, Unchanged: 1},
			Sleep:     wearables.Counts{Updated: 1, Unchanged: 1},
			Summaries: wearables.Counts{Updated: 1, Unchanged: 1},
			Scores:    wearables.Counts{Updated: 1, Unchanged: 2},
		}, res, "offset changes are updates")
		assertData(t, s, u.ID, wantData(u.ID, b))

		// A batch counts records after collapsing duplicates.
		dup := fullBatch(u.ID)
		dup.Samples = append(dup.Samples, dup.Samples...)
		res = write(t, s, dup)
		assert.Equal(t, 10, res.Samples.Total(), "duplicates inside a batch count once")
	})

	t.Run("Instants", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		cases := []struct {
			name   string
			start  time.Time
			end    time.Time
			offset wearables.Offset
		}{
			{"UTC", base, time.Time{}, 0},
			{"NoOffset", base.Add(time.Minute), time.Time{}, wearables.NoOffset},
			{"Kathmandu +05:45", time.Date(2026, 3, 14, 11, 47, 0, 0, kathmandu), time.Time{}, offsetNPT},
			{"Marquesas -09:30", time.Date(2026, 3, 13, 20, 33, 0, 0, marquesas), time.Time{}, offsetMART},
			{"Kiritimati +14:00", time.Date(2026, 3, 14, 20, 4, 0, 0, time.FixedZone("", 14*3600)), time.Time{}, 14 * 3600},
			{"+18:00 limit", base.Add(5 * time.Minute), time.Time{}, wearables.MaxOffset},
			{"-18:00 limit", base.Add(6 * time.Minute), time.Time{}, -wearables.MaxOffset},
			{"nanoseconds truncate, never round", base.Add(7*time.Minute + 999_999_999), time.Time{}, 0},
			{"sub-microsecond truncates", base.Add(8*time.Minute + 1_500), time.Time{}, 0},
			{"interval", base.Add(9*time.Minute + 250*time.Microsecond), base.Add(10*time.Minute + 750_999), offsetCEST},
			{"zero-length interval", base.Add(11 * time.Minute), base.Add(11 * time.Minute), offsetCEST},
			{"interval across midnight in its zone", time.Date(2026, 3, 14, 23, 59, 30, 0, marquesas), time.Date(2026, 3, 15, 0, 0, 30, 0, marquesas), offsetMART},
			{"long ago", time.Date(1999, 12, 31, 23, 59, 59, 999_999_000, time.UTC), time.Time{}, 3600},
			{"far ahead", time.Date(2099, 1, 1, 0, 0, 0, 1_000, time.UTC), time.Time{}, 0},
		}
		b := &wearables.Batch{UserID: u.ID}
		for i, tc := range cases {
			b.Samples = append(b.Samples, wearables.Sample{
				Source: appleWatch(), Type: wearables.SeriesRespiratoryRate,
				Start: tc.start, End: tc.end, Offset: tc.offset, Value: 12 + float64(i)/8,
			})
		}
		write(t, s, b)
		page, err := s.QuerySamples(t.Context(), wearables.SampleQuery{
			UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesRespiratoryRate},
			Start: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		})
		require.NoError(t, err)
		got := map[float64]wearables.Sample{}
		for _, smp := range page.Items {
			got[smp.Value] = smp
		}
		require.Len(t, got, len(cases))
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				smp, ok := got[12+float64(i)/8]
				require.True(t, ok)
				assert.Equal(t, wt(tc.start), ct(smp.Start), "Start")
				assert.Equal(t, wt(tc.end), ct(smp.End), "End")
				assert.Equal(t, tc.offset, smp.Offset, "Offset")
				assertUTC(t, smp.Start, "Start")
				assertUTC(t, smp.End, "End")
			})
		}

		// Events and scores keep their offsets and instants too.
		w := morningRun(garminForerunner(), "w-npt", time.Date(2026, 3, 14, 6, 30, 0, 123_456_789, kathmandu))
		w.Offset = offsetNPT
		sl := night(ouraRing(), "s-mart", time.Date(2026, 3, 13, 22, 45, 10, 555_555_555, marquesas))
		sl.Offset = offsetMART
		sc := readiness(ouraRing(), "r-none", day(0))
		sc.Offset, sc.Time = wearables.NoOffset, time.Time{}
		sum := activityDay(ouraRing(), day(0))
		sum.Offset = wearables.NoOffset
		ev := &wearables.Batch{UserID: u.ID, Workouts: []wearables.Workout{w}, Sleep: []wearables.Sleep{sl}, Scores: []wearables.Score{sc}, Summaries: []wearables.DailySummary{sum}}
		write(t, s, ev)
		d := canonData(t, readAll(t, s, u.ID))
		assert.Equal(t, wantWorkouts(u.ID, w), d.Workouts)
		assert.Equal(t, wantSleep(u.ID, sl), d.Sleep)
		assert.Equal(t, wantScores(u.ID, sc), d.Scores)
		assert.Equal(t, wantSummaries(u.ID, sum), d.Summaries)
	})

	t.Run("OptionalFields", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		bare := wearables.Workout{
			Source: garminForerunner(), ProviderRecordID: "bare", Type: wearables.WorkoutYoga,
			Start: base, End: base.Add(time.Hour), Offset: wearables.NoOffset,
		}
		zeros := wearables.Workout{
			Source: garminForerunner(), ProviderRecordID: "zeros", Type: wearables.WorkoutStrengthTraining,
			Start: base.Add(2 * time.Hour), End: base.Add(3 * time.Hour),
			Distance: ptr(0.0), Energy: ptr(0.0), Steps: ptr(0.0), ElevationLoss: ptr(0.0),
			Zones: []wearables.HRZone{}, Laps: []wearables.Lap{{Start: base.Add(2 * time.Hour), Duration: time.Hour}},
		}
		bareNight := wearables.Sleep{
			Source: whoopStrap(), ProviderRecordID: "nap", IsNap: true,
			Start: base.Add(6 * time.Hour), End: base.Add(6*time.Hour + 25*time.Minute), Offset: 0,
		}
		zeroNight := bareNight
		zeroNight.ProviderRecordID, zeroNight.IsNap = "zero", false
		zeroNight.Efficiency, zeroNight.Latency, zeroNight.AvgHRV = ptr(0.0), ptr(time.Duration(0)), ptr(0.0)
		emptySummary := wearables.DailySummary{Source: whoopStrap(), Kind: wearables.SummaryBody, Date: day(0), Offset: wearables.NoOffset}
		bareScore := wearables.Score{Source: whoopStrap(), Kind: wearables.ScoreStrain, ProviderRecordID: "cycle-93845", Date: day(0), Value: 0, Min: 0, Max: 21}
		b := &wearables.Batch{
			UserID:    u.ID,
			Workouts:  []wearables.Workout{bare, zeros},
			Sleep:     []wearables.Sleep{bareNight, zeroNight},
			Summaries: []wearables.DailySummary{emptySummary},
			Scores:    []wearables.Score{bareScore},
		}
		write(t, s, b)
		d := canonData(t, readAll(t, s, u.ID))
		require.Len(t, d.Workouts, 2)
		require.Len(t, d.Sleep, 2)
		assert.Equal(t, wantData(u.ID, b), d, "nil stays nil, zero stays zero")
		for _, w := range d.Workouts {
			if w.ProviderRecordID == "bare" {
				assert.Nil(t, w.Distance, "nil metric")
				assert.Nil(t, w.AvgHR, "nil metric")
			} else {
				require.NotNil(t, w.Distance, "zero metric is not nil")
				assert.Zero(t, *w.Distance)
				assert.Nil(t, w.AvgHR)
			}
		}
		// An unchanged write of optional-free records stays unchanged.
		res := write(t, s, b)
		assert.Equal(t, wearables.Counts{Unchanged: 2}, res.Workouts)
		assert.Equal(t, wearables.Counts{Unchanged: 2}, res.Sleep)
		assert.Equal(t, wearables.Counts{Unchanged: 1}, res.Summaries)
		assert.Equal(t, wearables.Counts{Unchanged: 1}, res.Scores)
	})

	t.Run("Versions", func(t *testing.T) {
		type kind struct {
			name   string
			batch  func(userID string, version int64, v float64) *wearables.Batch
			read   func(t *testing.T, d userData) (int64, float64)
			counts func(wearables.WriteResult) wearables.Counts
		}
		kinds := []kind{
			{
				name: "workout",
				batch: func(userID string, version int64, v float64) *wearables.Batch {
					w := morningRun(garminForerunner(), "w-1", base)
					w.Version, w.Distance = version, &v
					return &wearables.Batch{UserID: userID, Workouts: []wearables.Workout{w}}
				},
				read: func(t *testing.T, d userData) (int64, float64) {
					require.Len(t, d.Workouts, 1)
					return d.Workouts[0].Version, *d.Workouts[0].Distance
				},
				counts: func(r wearables.WriteResult) wearables.Counts { return r.Workouts },
			},
			{
				name: "sleep",
				batch: func(userID string, version int64, v float64) *wearables.Batch {
					s := night(ouraRing(), "s-1", base)
					s.Version, s.Efficiency = version, &v
					return &wearables.Batch{UserID: userID, Sleep: []wearables.Sleep{s}}
				},
				read: func(t *testing.T, d userData) (int64, float64) {
					require.Len(t, d.Sleep, 1)
					return d.Sleep[0].Version, *d.Sleep[0].Efficiency
				},
				counts: func(r wearables.WriteResult) wearables.Counts { return r.Sleep },
			},
			{
				name: "summary",
				batch: func(userID string, version int64, v float64) *wearables.Batch {
					s := activityDay(garminForerunner(), day(0))
					s.Version, s.Values[wearables.SeriesSteps] = version, v
					return &wearables.Batch{UserID: userID, Summaries: []wearables.DailySummary{s}}
				},
				read: func(t *testing.T, d userData) (int64, float64) {
					require.Len(t, d.Summaries, 1)
					return d.Summaries[0].Version, d.Summaries[0].Values[wearables.SeriesSteps]
				},
				counts: func(r wearables.WriteResult) wearables.Counts { return r.Summaries },
			},
			{
				name: "score",
				batch: func(userID string, version int64, v float64) *wearables.Batch {
					s := readiness(ouraRing(), "r-1", day(0))
					s.Version, s.Value = version, v
					return &wearables.Batch{UserID: userID, Scores: []wearables.Score{s}}
				},
				read: func(t *testing.T, d userData) (int64, float64) {
					require.Len(t, d.Scores, 1)
					return d.Scores[0].Version, d.Scores[0].Value
				},
				counts: func(r wearables.WriteResult) wearables.Counts { return r.Scores },
			},
		}
		steps := []struct {
			name        string
			version     int64
			value       float64
			want        wearables.Counts
			wantVersion int64
			wantValue   float64
		}{
			{"first write", 5, 50, wearables.Counts{Inserted: 1}, 5, 50},
			{"older version is ignored", 4, 40, wearables.Counts{Unchanged: 1}, 5, 50},
			{"much older version is ignored", 1, 10, wearables.Counts{Unchanged: 1}, 5, 50},
			{"same version, new content: latest write wins", 5, 55, wearables.Counts{Updated: 1}, 5, 55},
			{"same version, same content", 5, 55, wearables.Counts{Unchanged: 1}, 5, 55},
			{"newer version", 9, 90, wearables.Counts{Updated: 1}, 9, 90},
			{"newer version, same content", 10, 90, wearables.Counts{Updated: 1}, 10, 90},
			{"older than the newest", 9, 99, wearables.Counts{Unchanged: 1}, 10, 90},
		}
		for _, k := range kinds {
			t.Run(k.name, func(t *testing.T) {
				s := newStore(t)
				u := newUser(t, s)
				for _, st := range steps {
					res := write(t, s, k.batch(u.ID, st.version, st.value))
					assert.Equal(t, st.want, k.counts(res), st.name)
					version, value := k.read(t, readAll(t, s, u.ID))
					assert.Equal(t, st.wantVersion, version, st.name)
					assert.Equal(t, st.wantValue, value, st.name)
				}
			})
		}
	})

	t.Run("DuplicatesInBatch", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		spelled := ouraRing()
		spelled.RecordingMethod = wearables.RecordingAutomatic
		implicit := garminEdge()
		explicit := garminEdge()
		explicit.DeviceType = wearables.DeviceUnknown

		first := heartRate(ouraRing(), base.Add(100), 58)
		second := heartRate(spelled, base.Add(900), 61) // same source, same microsecond
		w1 := morningRun(implicit, "w-1", base)
		w2 := morningRun(explicit, "w-1", base)
		w2.Name = "Renamed Ride"
		s1, s2 := night(ouraRing(), "s-1", base), night(spelled, "s-1", base)
		s2.IsNap = true
		m1, m2 := activityDay(ouraRing(), day(0)), activityDay(spelled, day(0))
		m2.Values = map[wearables.SeriesType]float64{wearables.SeriesSteps: 1}
		r1, r2 := readiness(ouraRing(), "r-1", day(0)), readiness(spelled, "r-1", day(0))
		r2.Value = 33
		b := &wearables.Batch{
			UserID:    u.ID,
			Samples:   []wearables.Sample{first, second},
			Workouts:  []wearables.Workout{w1, w2},
			Sleep:     []wearables.Sleep{s1, s2},
			Summaries: []wearables.DailySummary{m1, m2},
			Scores:    []wearables.Score{r1, r2},
		}
		res := write(t, s, b)
		one := wearables.Counts{Inserted: 1}
		assert.Equal(t, wearables.WriteResult{Samples: one, Workouts: one, Sleep: one, Summaries: one, Scores: one}, res)

		second.Start = first.Start // the key both share
		assertData(t, s, u.ID, wantData(u.ID, &wearables.Batch{
			Samples: []wearables.Sample{second}, Workouts: []wearables.Workout{w2}, Sleep: []wearables.Sleep{s2},
			Summaries: []wearables.DailySummary{m2}, Scores: []wearables.Score{r2},
		}), "the later record wins")

		srcs, err := s.ListSources(t.Context(), u.ID)
		require.NoError(t, err)
		assert.Len(t, srcs, 2, "sources that differ only by spelled-out defaults are one source")
	})

	t.Run("Sources", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		write(t, s, fullBatch(u.ID))
		srcs, err := s.ListSources(ctx, u.ID)
		require.NoError(t, err)
		want := []wearables.Source{appleWatch(), iPhone(), garminForerunner(), garminEdge(), ouraRing()}
		var wantNorm, gotNorm []wearables.Source
		for _, src := range want {
			wantNorm = append(wantNorm, src.Normalized())
		}
		ids := map[string]bool{}
		for _, src := range srcs {
			assert.NotEmpty(t, src.ID)
			ids[src.ID] = true
			gotNorm = append(gotNorm, gotSource(t, src))
		}
		assert.Len(t, ids, len(srcs), "source ids are unique")
		assert.ElementsMatch(t, wantNorm, gotNorm, "one normalized source per distinct tuple")
		assert.True(t, slices.IsSortedFunc(srcs, func(a, b wearables.Source) int { return strings.Compare(a.ID, b.ID) }), "ordered by id")

		// Every record names its source by the listed id.
		byKey := sourceIDs(t, s, u.ID)
		d := readAll(t, s, u.ID)
		for _, smp := range d.Samples {
			assert.Equal(t, byKey[smp.Source.Key()], smp.Source.ID)
		}
		for _, w := range d.Workouts {
			assert.Equal(t, byKey[w.Source.Key()], w.Source.ID)
		}
		for _, sl := range d.Sleep {
			assert.Equal(t, byKey[sl.Source.Key()], sl.Source.ID)
		}
		for _, sm := range d.Summaries {
			assert.Equal(t, byKey[sm.Source.Key()], sm.Source.ID)
		}
		for _, sc := range d.Scores {
			assert.Equal(t, byKey[sc.Source.Key()], sc.Source.ID)
		}

		// Writing again, or with the IDs the store handed out, keeps the rows.
		b := fullBatch(u.ID)
		for i := range b.Samples {
			b.Samples[i].Source.ID = wearables.NewID() // ignored on write
		}
		write(t, s, b)
		assert.Equal(t, byKey, sourceIDs(t, s, u.ID), "sources are upserted, not duplicated")

		// Sources are per user.
		write(t, s, fullBatch(v.ID))
		vKeys := sourceIDs(t, s, v.ID)
		require.Len(t, vKeys, len(byKey))
		for k, id := range vKeys {
			assert.NotEqual(t, byKey[k], id, "another user's source is another row")
		}
		assert.Equal(t, byKey, sourceIDs(t, s, u.ID))

		none, err := s.ListSources(ctx, newUser(t, s).ID)
		require.NoError(t, err)
		assert.Empty(t, none)
	})

	t.Run("Deletes", func(t *testing.T) {
		s := newStore(t)
		u, v := newUser(t, s), newUser(t, s)
		keepWhoop := morningRun(whoopStrap(), "w-1", base.Add(3*time.Hour))
		keepGarmin := morningRun(garminForerunner(), "w-2", base.Add(4*time.Hour))
		keepSleep := night(whoopStrap(), "s-1", base)
		keepScore := readiness(ouraRing(), "r-2", day(1))
		b := &wearables.Batch{
			UserID: u.ID,
			Workouts: []wearables.Workout{
				morningRun(garminForerunner(), "w-1", base.Add(time.Hour)),
				morningRun(garminEdge(), "w-1", base.Add(2*time.Hour)),
				keepWhoop, keepGarmin,
			},
			Sleep:  []wearables.Sleep{night(ouraRing(), "s-1", base), keepSleep},
			Scores: []wearables.Score{readiness(ouraRing(), "r-1", day(0)), keepScore},
		}
		write(t, s, b)
		vb := &wearables.Batch{UserID: v.ID, Workouts: []wearables.Workout{morningRun(garminForerunner(), "w-1", base)}}
		write(t, s, vb)

		res := write(t, s, &wearables.Batch{UserID: u.ID, Deletes: []wearables.Delete{
			{Kind: wearables.KindWorkout, Provider: wearables.ProviderGarmin, ProviderRecordID: "w-1"},
			{Kind: wearables.KindSleep, Provider: wearables.ProviderOura, ProviderRecordID: "s-1"},
			{Kind: wearables.KindScore, Provider: wearables.ProviderOura, ProviderRecordID: "r-1"},
			{Kind: wearables.KindWorkout, Provider: wearables.ProviderGarmin, ProviderRecordID: "never-existed"},
			{Kind: wearables.KindSleep, Provider: wearables.ProviderGarmin, ProviderRecordID: "w-2"}, // wrong kind
		}})
		assert.Equal(t, 4, res.Deleted, "both garmin w-1 workouts, the oura night and the score")
		assert.Equal(t, wearables.Counts{}, res.Total())

		assertData(t, s, u.ID, wantData(u.ID, &wearables.Batch{
			Workouts: []wearables.Workout{keepWhoop, keepGarmin},
			Sleep:    []wearables.Sleep{keepSleep},
			Scores:   []wearables.Score{keepScore},
		}), "only matching records of the provider are deleted")
		assertData(t, s, v.ID, wantData(v.ID, vb), "another user's records stay")

		again := write(t, s, b)
		assert.Equal(t, wearables.Counts{Inserted: 2, Unchanged: 2}, again.Workouts, "deleted records are gone, not hidden")
	})

	t.Run("Cursor", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderOura)
		vc := newConnection(t, s, v.ID, wearables.ProviderOura)

		b := fullBatch(u.ID)
		b.Cursor = &wearables.Cursor{ConnectionID: c.ID, DataType: "daily_readiness", Value: "2026-03-14T06:00:00Z"}
		before := time.Now().Add(-time.Second)
		write(t, s, b)
		cur, err := s.GetCursor(ctx, c.ID, "daily_readiness")
		require.NoError(t, err)
		assert.Equal(t, "2026-03-14T06:00:00Z", cur.Value, "the cursor is committed with the batch")
		assert.True(t, cur.UpdatedAt.After(before), "UpdatedAt is set")

		res := write(t, s, &wearables.Batch{UserID: u.ID, Cursor: &wearables.Cursor{ConnectionID: c.ID, DataType: "daily_readiness", Value: "page-2"}})
		assert.Equal(t, wearables.WriteResult{}, res, "a batch with only a cursor")
		cur, err = s.GetCursor(ctx, c.ID, "daily_readiness")
		require.NoError(t, err)
		assert.Equal(t, "page-2", cur.Value)

		for name, connID := range map[string]string{"another user's connection": vc.ID, "no such connection": wearables.NewID()} {
			t.Run(name, func(t *testing.T) {
				other := newUser(t, s)
				b := fullBatch(other.ID)
				b.Cursor = &wearables.Cursor{ConnectionID: connID, DataType: wearables.DataSleep, Value: "hijack"}
				_, err := s.WriteBatch(ctx, b)
				assert.ErrorIs(t, err, wearables.ErrInvalid)
				assertNoData(t, s, other.ID, "nothing of the batch is written")
				_, err = s.GetCursor(ctx, connID, wearables.DataSleep)
				assert.ErrorIs(t, err, wearables.ErrNotFound, "the cursor is not written")
			})
		}
	})

	t.Run("Isolation", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		b := fullBatch(u.ID)
		write(t, s, b)
		want := wantData(u.ID, fullBatch(u.ID))

		// The caller keeps using its batch: the store must have copied it.
		*b.Workouts[0].Laps[0].Distance = -1
		b.Workouts[0].Zones[0].Duration = 0
		b.Workouts[0].Route[0].Lat = 0
		*b.Workouts[0].Route[0].Elevation = -1
		*b.Workouts[0].AvgHR = 1
		b.Sleep[0].Stages[0].Stage = wearables.StageDeep
		*b.Sleep[0].Latency = 0
		b.Summaries[0].Values[wearables.SeriesSteps] = -1
		b.Scores[0].Contributors["hrv_balance"] = -1
		assertData(t, s, u.ID, want, "mutating a written batch changed the store")

		// Readers mutate what they get.
		d := readAll(t, s, u.ID)
		for i := range d.Samples {
			d.Samples[i].Value = -1
			d.Samples[i].Source.DeviceModel = "mutated"
		}
		w := &d.Workouts[0]
		w.Laps[0].Start = time.Time{}
		*w.Laps[0].Distance = -1
		w.Zones[0].Zone = 99
		*w.Route[0].Elevation = -1
		*w.AvgHR = -1
		d.Sleep[0].Stages[0].Stage = wearables.StageDeep
		*d.Sleep[0].Efficiency = -1
		d.Summaries[0].Values[wearables.SeriesSteps] = -1
		d.Scores[0].Contributors["hrv_balance"] = -1
		d.Sources[0].DeviceModel = "mutated"
		assertData(t, s, u.ID, want, "mutating read records changed the store")
		for _, src := range readAll(t, s, u.ID).Sources {
			assert.NotEqual(t, "mutated", src.DeviceModel)
		}
	})

	t.Run("EmptyBatch", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		res := write(t, s, &wearables.Batch{UserID: u.ID})
		assert.Equal(t, wearables.WriteResult{}, res)
		assertNoData(t, s, u.ID)
	})
}
