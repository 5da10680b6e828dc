package storetest

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

var hrAndSteps = []wearables.SeriesType{wearables.SeriesHeartRate, wearables.SeriesSteps}

// sampleGrid is n instants × (Apple Watch, iPhone) × (heart rate, steps):
// 4n samples with ties on Start across types and sources.
func sampleGrid(userID string, n int, every time.Duration) *wearables.Batch {
	b := &wearables.Batch{UserID: userID}
	for i := range n {
		at := base.Add(time.Duration(i) * every).In(warsawDST)
		for j, src := range []wearables.Source{appleWatch(), iPhone()} {
			b.Samples = append(b.Samples,
				heartRate(src, at, 50+float64(i%70)+float64(j)/4),
				steps(src, at, float64(i%120+j)),
			)
		}
	}
	return b
}

func testQueries(t *testing.T, newStore Factory) {
	t.Run("SamplesPaging", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		b := sampleGrid(u.ID, 625, 37*time.Second)
		require.Len(t, b.Samples, 2500)
		// Noise that must not be returned: another type, another user.
		noise := &wearables.Batch{UserID: u.ID}
		for i := range 50 {
			noise.Samples = append(noise.Samples, wearables.Sample{Source: appleWatch(), Type: wearables.SeriesOxygenSaturation, Start: base.Add(time.Duration(i) * time.Minute), Value: 97})
		}
		write(t, s, b)
		write(t, s, noise)
		write(t, s, sampleGrid(v.ID, 625, 37*time.Second))

		ids := sourceIDs(t, s, u.ID)
		require.Len(t, ids, 2)
		want := wantSamples(u.ID, b.Samples)
		slices.SortFunc(want, sampleOrder(ids))
		q := wearables.SampleQuery{UserID: u.ID, Types: hrAndSteps, Start: base, End: base.Add(24 * time.Hour), Limit: 100}
		got := collect(t, 100, func(c string) (wearables.Page[wearables.Sample], error) {
			q.Cursor = c
			return s.QuerySamples(ctx, q)
		})
		require.Len(t, got, 2500, "every sample once")
		for _, smp := range got {
			assert.Equal(t, ids[smp.Source.Key()], smp.Source.ID, "Source.ID is the user's source row")
		}
		assert.Equal(t, want, gotSamples(t, got), "every sample once, ordered by (Start, Type, source id)")

		t.Run("SourceIDs", func(t *testing.T) {
			watch := ids[appleWatch().Key()]
			q := wearables.SampleQuery{UserID: u.ID, Types: hrAndSteps, Start: base, End: base.Add(24 * time.Hour), SourceIDs: []string{watch}, Limit: 333}
			got := collect(t, 333, func(c string) (wearables.Page[wearables.Sample], error) {
				q.Cursor = c
				return s.QuerySamples(ctx, q)
			})
			assert.Len(t, got, 1250)
			for _, smp := range got {
				assert.Equal(t, watch, smp.Source.ID)
			}
			vIDs := sourceIDs(t, s, v.ID)
			page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: hrAndSteps, Start: base, End: base.Add(24 * time.Hour), SourceIDs: []string{vIDs[appleWatch().Key()]}})
			require.NoError(t, err)
			assert.Empty(t, page.Items, "another user's source selects nothing")
		})

		t.Run("Types", func(t *testing.T) {
			page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesSteps}, Start: base, End: base.Add(24 * time.Hour), Limit: 5000})
			require.NoError(t, err)
			assert.Len(t, page.Items, 1250)
			assert.Empty(t, page.Next)
			for _, smp := range page.Items {
				assert.Equal(t, wearables.SeriesSteps, smp.Type)
				assert.Equal(t, u.ID, smp.UserID)
			}
			page, err = s.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesOxygenSaturation, wearables.SeriesSteps}, Start: base, End: base.Add(time.Minute)})
			require.NoError(t, err)
			assert.Len(t, page.Items, 1+4, "one SpO2 sample and four step samples (2 instants × 2 sources) in the first minute")
		})

		t.Run("OtherUser", func(t *testing.T) {
			page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: v.ID, Types: allSeriesTypes(), Start: wideStart, End: wideEnd, Limit: wearables.MaxPageSize})
			require.NoError(t, err)
			assert.Len(t, page.Items, 2500)
			for _, smp := range page.Items {
				assert.Equal(t, v.ID, smp.UserID, "only the queried user's samples")
			}
		})
	})

	t.Run("SamplesStableUnderWrites", func(t *testing.T) {
		// Keyset pagination: rows written between pages neither repeat nor
		// hide the rows of the original result.
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		b := &wearables.Batch{UserID: u.ID}
		for i := range 300 {
			b.Samples = append(b.Samples, heartRate(appleWatch(), base.Add(time.Duration(i)*time.Minute), 60))
		}
		write(t, s, b)
		q := wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate}, Start: base, End: base.Add(24 * time.Hour), Limit: 100}
		first, err := s.QuerySamples(ctx, q)
		require.NoError(t, err)
		require.Len(t, first.Items, 100)
		require.NotEmpty(t, first.Next)

		// Interleave 300 more samples, half a minute after each original.
		more := &wearables.Batch{UserID: u.ID}
		for i := range 300 {
			more.Samples = append(more.Samples, heartRate(appleWatch(), base.Add(time.Duration(i)*time.Minute+30*time.Second), 61))
		}
		write(t, s, more)

		q.Cursor = first.Next
		rest := collect(t, 100, func(c string) (wearables.Page[wearables.Sample], error) {
			if c != "" {
				q.Cursor = c
			}
			return s.QuerySamples(ctx, q)
		})
		seen := map[int64]int{}
		for _, smp := range slices.Concat(first.Items, rest) {
			seen[smp.Start.UnixMicro()]++
		}
		for i := range 300 {
			assert.Equal(t, 1, seen[base.Add(time.Duration(i)*time.Minute).UnixMicro()], "original sample %d seen once", i)
		}
		for at, n := range seen {
			assert.Equal(t, 1, n, "sample at %v seen %d times", time.UnixMicro(at).UTC(), n)
		}
		last := first.Items[99].Start
		for _, smp := range rest {
			assert.True(t, smp.Start.After(last), "continuation starts after the cursor")
		}
		assert.Len(t, rest, 200+201, "the rest of the originals and the new samples after the cursor")
	})

	t.Run("SamplesRange", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		start, end := base, base.Add(time.Hour)
		b := &wearables.Batch{UserID: u.ID}
		for i, at := range []time.Time{
			start.Add(-time.Microsecond), start, start.Add(time.Microsecond),
			end.Add(-time.Microsecond), end, end.Add(time.Microsecond),
		} {
			b.Samples = append(b.Samples, heartRate(ouraRing(), at, float64(60+i)))
		}
		// An interval sample that starts before the range and ends inside it
		// is selected by its Start: not returned.
		b.Samples = append(b.Samples, wearables.Sample{Source: ouraRing(), Type: wearables.SeriesHeartRate, Start: start.Add(-time.Minute), End: start.Add(time.Minute), Value: 70})
		write(t, s, b)
		for name, q := range map[string]wearables.SampleQuery{
			"UTC":       {UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate}, Start: start, End: end},
			"non-UTC":   {UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate}, Start: start.In(kathmandu), End: end.In(marquesas)},
			"duplicate": {UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate, wearables.SeriesHeartRate}, Start: start, End: end},
		} {
			page, err := s.QuerySamples(ctx, q)
			require.NoError(t, err, name)
			var vals []float64
			for _, smp := range page.Items {
				vals = append(vals, smp.Value)
			}
			assert.Equal(t, []float64{61, 62, 63}, vals, "%s: [Start, End) on Start, in order", name)
		}
		page, err := s.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate}, Start: start, End: start})
		require.NoError(t, err)
		assert.Empty(t, page.Items, "an empty range")
	})

	t.Run("SamplesBadQuery", func(t *testing.T) {
		s := newStore(t)
		u := newUser(t, s)
		write(t, s, sampleGrid(u.ID, 10, time.Minute))
		ok := wearables.SampleQuery{UserID: u.ID, Types: hrAndSteps, Start: base, End: base.Add(time.Hour)}
		cases := map[string]func(q *wearables.SampleQuery){
			"no types":         func(q *wearables.SampleQuery) { q.Types = nil },
			"end before start": func(q *wearables.SampleQuery) { q.Start, q.End = q.End, q.Start },
			"garbage cursor":   func(q *wearables.SampleQuery) { q.Cursor = "definitely-not-a-cursor" },
			"another query's cursor": func(q *wearables.SampleQuery) {
				q.Cursor = usersCursor(t, s)
			},
			"negative limit": func(q *wearables.SampleQuery) { q.Limit = -1 },
			"huge limit":     func(q *wearables.SampleQuery) { q.Limit = wearables.MaxPageSize + 1 },
		}
		for name, mutate := range cases {
			t.Run(name, func(t *testing.T) {
				q := ok
				mutate(&q)
				_, err := s.QuerySamples(t.Context(), q)
				assert.ErrorIs(t, err, wearables.ErrInvalid)
			})
		}
		_, err := s.QuerySamples(t.Context(), ok)
		assert.NoError(t, err, "the unmodified query is fine")
	})

	t.Run("Workouts", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		start, end := base, base.Add(48*time.Hour)
		t1, t2, t3 := start, start.Add(5*time.Hour), start.Add(30*time.Hour)
		in := []wearables.Workout{
			morningRun(garminForerunner(), "b", t1),
			morningRun(garminForerunner(), "a", t1),
			morningRun(garminEdge(), "d", t1),
			morningRun(whoopStrap(), "z", t1),
			morningRun(whoopStrap(), "y", t2),
			morningRun(garminEdge(), "c", t3.In(kathmandu)),
			morningRun(appleWatch(), "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", t3.Add(time.Microsecond)),
		}
		outside := []wearables.Workout{
			morningRun(garminForerunner(), "before", start.Add(-time.Microsecond)), // ends inside, starts before
			morningRun(garminForerunner(), "at-end", end),
		}
		write(t, s, &wearables.Batch{UserID: u.ID, Workouts: slices.Concat(outside, in)})
		write(t, s, &wearables.Batch{UserID: v.ID, Workouts: in})

		ids := sourceIDs(t, s, u.ID)
		want := wantWorkouts(u.ID, in...)
		slices.SortFunc(want, func(a, b wearables.Workout) int {
			return cmp.Or(a.Start.Compare(b.Start), strings.Compare(ids[a.Source.Key()], ids[b.Source.Key()]), strings.Compare(a.ProviderRecordID, b.ProviderRecordID))
		})
		for _, limit := range []int{1, 2, 3, 0} {
			got := collect(t, cmpLimit(limit), func(c string) (wearables.Page[wearables.Workout], error) {
				return s.QueryWorkouts(ctx, wearables.EventQuery{UserID: u.ID, Start: start, End: end, Cursor: c, Limit: limit})
			})
			assert.Equal(t, want, gotWorkouts(t, got), "limit %d: [Start, End) on Start, ordered by (Start, source id, provider record id)", limit)
		}
		assertBadEventQueries(t, func(q wearables.EventQuery) error {
			_, err := s.QueryWorkouts(ctx, q)
			return err
		}, wearables.EventQuery{UserID: u.ID, Start: start, End: end}, usersCursor(t, s))
	})

	t.Run("Sleep", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		start, end := base.Add(-12*time.Hour), base.Add(7*24*time.Hour)
		var in []wearables.Sleep
		for i := range 7 {
			bed := start.Add(time.Duration(i)*24*time.Hour + 10*time.Hour)
			in = append(in, night(ouraRing(), "oura-"+strconv.Itoa(i), bed), night(whoopStrap(), "a-whoop-"+strconv.Itoa(i), bed))
		}
		nap := night(ouraRing(), "nap", start)
		nap.IsNap, nap.End, nap.Stages, nap.Totals = true, start.Add(20*time.Minute), nil, wearables.StageTotals{Light: 20 * time.Minute}
		in = append(in, nap)
		late := night(ouraRing(), "late", end)
		write(t, s, &wearables.Batch{UserID: u.ID, Sleep: append(slices.Clone(in), late)})
		write(t, s, &wearables.Batch{UserID: v.ID, Sleep: in})

		ids := sourceIDs(t, s, u.ID)
		want := wantSleep(u.ID, in...)
		slices.SortFunc(want, func(a, b wearables.Sleep) int {
			return cmp.Or(a.Start.Compare(b.Start), strings.Compare(ids[a.Source.Key()], ids[b.Source.Key()]), strings.Compare(a.ProviderRecordID, b.ProviderRecordID))
		})
		for _, limit := range []int{1, 4, 0} {
			got := collect(t, cmpLimit(limit), func(c string) (wearables.Page[wearables.Sleep], error) {
				return s.QuerySleep(ctx, wearables.EventQuery{UserID: u.ID, Start: start, End: end, Cursor: c, Limit: limit})
			})
			assert.Equal(t, want, gotSleep(t, got), "limit %d", limit)
		}
		assertBadEventQueries(t, func(q wearables.EventQuery) error {
			_, err := s.QuerySleep(ctx, q)
			return err
		}, wearables.EventQuery{UserID: u.ID, Start: start, End: end}, usersCursor(t, s))
	})

	t.Run("Summaries", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		var all []wearables.DailySummary
		for d := range 5 {
			for _, src := range []wearables.Source{ouraRing(), garminForerunner()} {
				for _, kind := range []wearables.SummaryKind{wearables.SummarySleep, wearables.SummaryActivity, wearables.SummaryBody} {
					sm := activityDay(src, day(d))
					sm.Kind = kind
					sm.Values[wearables.SeriesSteps] = float64(1000*d + len(kind))
					all = append(all, sm)
				}
			}
		}
		write(t, s, &wearables.Batch{UserID: u.ID, Summaries: all})
		write(t, s, &wearables.Batch{UserID: v.ID, Summaries: all})
		ids := sourceIDs(t, s, u.ID)
		order := func(a, b wearables.DailySummary) int {
			return cmp.Or(strings.Compare(a.Date.String(), b.Date.String()), strings.Compare(string(a.Kind), string(b.Kind)), strings.Compare(ids[a.Source.Key()], ids[b.Source.Key()]))
		}
		cases := []struct {
			name     string
			from, to wearables.Date
			kinds    []string
		}{
			{"three days, all kinds", day(1), day(3), nil},
			{"one day", day(2), day(2), nil},
			{"one kind", day(0), day(4), []string{string(wearables.SummarySleep)}},
			{"two kinds", day(3), day(9), []string{string(wearables.SummaryBody), string(wearables.SummaryActivity)}},
			{"unknown kind", day(0), day(4), []string{"mood"}},
			{"before everything", day(-9), day(-1), nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var want []wearables.DailySummary
				for _, sm := range wantSummaries(u.ID, all...) {
					if !sm.Date.Before(tc.from) && !tc.to.Before(sm.Date) && (tc.kinds == nil || slices.Contains(tc.kinds, string(sm.Kind))) {
						want = append(want, sm)
					}
				}
				slices.SortFunc(want, order)
				for _, limit := range []int{1, 4, 0} {
					got := collect(t, cmpLimit(limit), func(c string) (wearables.Page[wearables.DailySummary], error) {
						return s.QuerySummaries(ctx, wearables.DayQuery{UserID: u.ID, From: tc.from, To: tc.to, Kinds: tc.kinds, Cursor: c, Limit: limit})
					})
					assert.Equal(t, nilIfEmpty(want), nilIfEmpty(gotSummaries(t, got)), "limit %d: Date in [From, To], ordered by (Date, kind, source id)", limit)
				}
			})
		}
		assertBadDayQueries(t, func(q wearables.DayQuery) error {
			_, err := s.QuerySummaries(ctx, q)
			return err
		}, wearables.DayQuery{UserID: u.ID, From: day(0), To: day(4)}, usersCursor(t, s))
	})

	t.Run("Scores", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u, v := newUser(t, s), newUser(t, s)
		var all []wearables.Score
		for d := range 5 {
			for _, kind := range []wearables.ScoreKind{wearables.ScoreSleep, wearables.ScoreReadiness, wearables.ScoreActivity} {
				for _, id := range []string{"b", "a"} {
					sc := readiness(ouraRing(), string(kind)+"-"+strconv.Itoa(d)+id, day(d))
					sc.Kind, sc.Value = kind, float64(10*d+len(id))
					all = append(all, sc)
				}
			}
			strain := wearables.Score{Source: whoopStrap(), Kind: wearables.ScoreStrain, ProviderRecordID: "cycle-" + strconv.Itoa(d), Date: day(d), Offset: wearables.NoOffset, Value: 14.2, Min: 0, Max: 21}
			all = append(all, strain)
		}
		write(t, s, &wearables.Batch{UserID: u.ID, Scores: all})
		write(t, s, &wearables.Batch{UserID: v.ID, Scores: all})
		ids := sourceIDs(t, s, u.ID)
		order := func(a, b wearables.Score) int {
			return cmp.Or(strings.Compare(a.Date.String(), b.Date.String()), strings.Compare(string(a.Kind), string(b.Kind)),
				strings.Compare(ids[a.Source.Key()], ids[b.Source.Key()]), strings.Compare(a.ProviderRecordID, b.ProviderRecordID))
		}
		cases := []struct {
			name     string
			from, to wearables.Date
			kinds    []string
		}{
			{"all", day(0), day(4), nil},
			{"two days", day(3), day(4), nil},
			{"readiness", day(0), day(4), []string{string(wearables.ScoreReadiness)}},
			{"strain and sleep on one day", day(2), day(2), []string{string(wearables.ScoreStrain), string(wearables.ScoreSleep)}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var want []wearables.Score
				for _, sc := range wantScores(u.ID, all...) {
					if !sc.Date.Before(tc.from) && !tc.to.Before(sc.Date) && (tc.kinds == nil || slices.Contains(tc.kinds, string(sc.Kind))) {
						want = append(want, sc)
					}
				}
				slices.SortFunc(want, order)
				for _, limit := range []int{1, 3, 0} {
					got := collect(t, cmpLimit(limit), func(c string) (wearables.Page[wearables.Score], error) {
						return s.QueryScores(ctx, wearables.DayQuery{UserID: u.ID, From: tc.from, To: tc.to, Kinds: tc.kinds, Cursor: c, Limit: limit})
					})
					assert.Equal(t, want, gotScores(t, got), "limit %d: Date in [From, To], ordered by (Date, kind, source id, record id)", limit)
				}
			})
		}
		assertBadDayQueries(t, func(q wearables.DayQuery) error {
			_, err := s.QueryScores(ctx, q)
			return err
		}, wearables.DayQuery{UserID: u.ID, From: day(0), To: day(4)}, usersCursor(t, s))
	})
}

// usersCursor returns a valid cursor of another query (ListUsers), which no
// record query may accept.
func usersCursor(t *testing.T, s wearables.Store) string {
	t.Helper()
	for range 2 {
		newUser(t, s)
	}
	page, err := s.ListUsers(t.Context(), wearables.UserQuery{Limit: 1})
	require.NoError(t, err)
	require.NotEmpty(t, page.Next)
	return page.Next
}

func assertBadEventQueries(t *testing.T, query func(wearables.EventQuery) error, ok wearables.EventQuery, foreignCursor string) {
	t.Helper()
	require.NoError(t, query(ok), "the unmodified query is fine")
	cases := map[string]func(q *wearables.EventQuery){
		"end before start":       func(q *wearables.EventQuery) { q.Start, q.End = q.End, q.Start },
		"garbage cursor":         func(q *wearables.EventQuery) { q.Cursor = "!!" },
		"another query's cursor": func(q *wearables.EventQuery) { q.Cursor = foreignCursor },
		"negative limit":         func(q *wearables.EventQuery) { q.Limit = -3 },
		"huge limit":             func(q *wearables.EventQuery) { q.Limit = wearables.MaxPageSize + 1 },
	}
	for name, mutate := range cases {
		q := ok
		mutate(&q)
		assert.ErrorIs(t, query(q), wearables.ErrInvalid, name)
	}
}

func assertBadDayQueries(t *testing.T, query func(wearables.DayQuery) error, ok wearables.DayQuery, foreignCursor string) {
	t.Helper()
	require.NoError(t, query(ok), "the unmodified query is fine")
	cases := map[string]func(q *wearables.DayQuery){
		"to before from":         func(q *wearables.DayQuery) { q.From, q.To = q.To, q.From },
		"garbage cursor":         func(q *wearables.DayQuery) { q.Cursor = "!!" },
		"another query's cursor": func(q *wearables.DayQuery) { q.Cursor = foreignCursor },
		"negative limit":         func(q *wearables.DayQuery) { q.Limit = -3 },
		"huge limit":             func(q *wearables.DayQuery) { q.Limit = wearables.MaxPageSize + 1 },
	}
	for name, mutate := range cases {
		q := ok
		mutate(&q)
		assert.ErrorIs(t, query(q), wearables.ErrInvalid, name)
	}
}
