package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// base is the morning most fixtures happen on.
var base = time.Date(2026, time.March, 14, 6, 0, 0, 0, time.UTC)

// Zones the fixtures stamp records with: odd offsets are the point.
var (
	kathmandu  = time.FixedZone("+05:45", 5*3600+45*60)
	marquesas  = time.FixedZone("-09:30", -(9*3600 + 30*60))
	warsawDST  = time.FixedZone("+02:00", 2*3600)
	offsetNPT  = wearables.Offset(5*3600 + 45*60)
	offsetMART = wearables.Offset(-(9*3600 + 30*60))
	offsetCEST = wearables.Offset(2 * 3600)
)

// Sources of the fixtures: an Apple Watch and the iPhone it syncs through
// (as an Apple Health export names them), an Oura ring written with its
// defaults left empty, and two Garmin devices.
func appleWatch() wearables.Source {
	return wearables.Source{
		Provider:        wearables.ProviderAppleHealth,
		DeviceModel:     "Watch7,5",
		DeviceType:      wearables.DeviceWatch,
		App:             "com.apple.health.8F2C1B7A-4D4E-4E0B-9A3C-2B7E5F1D9C11",
		RecordingMethod: wearables.RecordingAutomatic,
	}
}

func iPhone() wearables.Source {
	return wearables.Source{
		Provider:        wearables.ProviderAppleHealth,
		DeviceModel:     "iPhone16,2",
		DeviceType:      wearables.DevicePhone,
		App:             "com.apple.health.8F2C1B7A-4D4E-4E0B-9A3C-2B7E5F1D9C11",
		RecordingMethod: wearables.RecordingAutomatic,
	}
}

// ouraRing leaves RecordingMethod empty: stores key on the normalized form.
func ouraRing() wearables.Source {
	return wearables.Source{
		Provider:    wearables.ProviderOura,
		DeviceModel: "Oura Ring Gen3",
		DeviceType:  wearables.DeviceRing,
	}
}

func garminForerunner() wearables.Source {
	return wearables.Source{
		Provider:    wearables.ProviderGarmin,
		DeviceModel: "Forerunner 965",
		DeviceType:  wearables.DeviceWatch,
	}
}

// garminEdge is a bike computer: no device type of its own, left empty.
func garminEdge() wearables.Source {
	return wearables.Source{
		Provider:    wearables.ProviderGarmin,
		DeviceModel: "Edge 1040",
	}
}

func whoopStrap() wearables.Source {
	return wearables.Source{
		Provider:    wearables.ProviderWhoop,
		DeviceModel: "WHOOP 4.0",
		DeviceType:  wearables.DeviceStrap,
	}
}

func ptr[T any](v T) *T { return &v }

// heartRate is an instant heart-rate sample.
func heartRate(src wearables.Source, at time.Time, bpm float64) wearables.Sample {
	return wearables.Sample{Source: src, Type: wearables.SeriesHeartRate, Start: at, Offset: wearables.OffsetOf(at), Value: bpm}
}

// steps is an interval step-count sample of one minute.
func steps(src wearables.Source, start time.Time, n float64) wearables.Sample {
	return wearables.Sample{Source: src, Type: wearables.SeriesSteps, Start: start, End: start.Add(time.Minute), Offset: wearables.OffsetOf(start), Value: n}
}

// morningRun is a Forerunner-style run with every optional metric, zones,
// laps and a short route; MinHR and ElevationLoss are left nil.
func morningRun(src wearables.Source, id string, start time.Time) wearables.Workout {
	return wearables.Workout{
		Source:           src,
		ProviderRecordID: id,
		Version:          1,
		Type:             wearables.WorkoutRunning,
		RawType:          "running",
		Name:             "Morning Run",
		Start:            start,
		End:              start.Add(47*time.Minute + 12*time.Second + 345678*time.Nanosecond),
		Offset:           wearables.OffsetOf(start),
		MovingTime:       46*time.Minute + 3*time.Second,
		Distance:         ptr(8214.37),
		Energy:           ptr(612.0),
		AvgHR:            ptr(151.6),
		MaxHR:            ptr(178.0),
		Steps:            ptr(7921.0),
		ElevationGain:    ptr(84.5),
		AvgSpeed:         ptr(2.9),
		MaxSpeed:         ptr(4.81),
		AvgPower:         ptr(287.0),
		MaxPower:         ptr(512.0),
		AvgCadence:       ptr(172.5),
		Zones: []wearables.HRZone{
			{Zone: 1, MinBPM: 98, MaxBPM: 118, Duration: 3 * time.Minute},
			{Zone: 2, MinBPM: 118, MaxBPM: 138, Duration: 9 * time.Minute},
			{Zone: 3, MinBPM: 138, MaxBPM: 158, Duration: 21 * time.Minute},
			{Zone: 4, MinBPM: 158, MaxBPM: 178, Duration: 13*time.Minute + 30*time.Second},
			{Zone: 5, MinBPM: 178, Duration: 42 * time.Second},
		},
		Laps: []wearables.Lap{
			{Start: start, Duration: 24*time.Minute + 999*time.Nanosecond, Distance: ptr(4100.0), AvgHR: ptr(146.0), AvgSpeed: ptr(2.85)},
			{Start: start.Add(24*time.Minute + 123456789*time.Nanosecond), Duration: 23 * time.Minute, Distance: ptr(4114.37), AvgHR: ptr(157.0), AvgPower: ptr(0.0)},
		},
		Route: []wearables.RoutePoint{
			{Time: start, Lat: 52.229676, Lon: 21.012229, Elevation: ptr(101.5)},
			{Time: start.Add(time.Second + 500*time.Nanosecond), Lat: 52.229701, Lon: 21.012301},
			{Time: start.Add(2 * time.Second), Lat: -33.868820, Lon: 151.209296, Elevation: ptr(0.0)},
		},
	}
}

// night is an Oura-style night with stages, totals and vitals.
func night(src wearables.Source, id string, start time.Time) wearables.Sleep {
	stages := []wearables.StageInterval{
		{Stage: wearables.StageAwake, Start: start, End: start.Add(9 * time.Minute)},
		{Stage: wearables.StageLight, Start: start.Add(9 * time.Minute), End: start.Add(80 * time.Minute)},
		{Stage: wearables.StageDeep, Start: start.Add(80 * time.Minute), End: start.Add(150*time.Minute + 7*time.Nanosecond)},
		{Stage: wearables.StageREM, Start: start.Add(150*time.Minute + 7*time.Nanosecond), End: start.Add(240 * time.Minute)},
		{Stage: wearables.StageLight, Start: start.Add(240 * time.Minute), End: start.Add(440 * time.Minute)},
		{Stage: wearables.StageAwake, Start: start.Add(440 * time.Minute), End: start.Add(452 * time.Minute)},
	}
	var totals wearables.StageTotals
	for _, st := range stages {
		totals.Add(st.Stage, st.End.Sub(st.Start))
	}
	return wearables.Sleep{
		Source:           src,
		ProviderRecordID: id,
		Version:          1,
		Start:            start,
		End:              start.Add(452 * time.Minute),
		Offset:           wearables.OffsetOf(start),
		Stages:           stages,
		Totals:           totals,
		Efficiency:       ptr(91.0),
		Latency:          ptr(12 * time.Minute),
		AvgHR:            ptr(54.25),
		MinHR:            ptr(47.0),
		AvgHRV:           ptr(62.0),
		RespiratoryRate:  ptr(14.125),
	}
}

// activityDay is a vendor's daily activity summary.
func activityDay(src wearables.Source, d wearables.Date) wearables.DailySummary {
	return wearables.DailySummary{
		Source:  src,
		Kind:    wearables.SummaryActivity,
		Date:    d,
		Offset:  offsetCEST,
		Version: 1,
		Values: map[wearables.SeriesType]float64{
			wearables.SeriesSteps:          10234,
			wearables.SeriesActiveEnergy:   512.5,
			wearables.SeriesTotalEnergy:    2311.25,
			wearables.SeriesDistance:       7850.4,
			wearables.SeriesFlightsClimbed: 0,
		},
	}
}

// readiness is an Oura-style readiness score with contributors.
func readiness(src wearables.Source, id string, d wearables.Date) wearables.Score {
	return wearables.Score{
		Source:           src,
		Kind:             wearables.ScoreReadiness,
		ProviderRecordID: id,
		Version:          1,
		Date:             d,
		Time:             d.In(warsawDST).Add(7*time.Hour + 12*time.Minute + 5*time.Nanosecond),
		Offset:           offsetCEST,
		Value:            82,
		Min:              0,
		Max:              100,
		Contributors: map[string]float64{
			"activity_balance":      76,
			"body_temperature":      100,
			"hrv_balance":           78,
			"previous_night":        0,
			"resting_heart_rate":    91,
			"sleep_balance":         85.5,
			"recovery_index":        64,
			"previous_day_activity": 70,
		},
	}
}

// day is base's calendar day moved by n days.
func day(n int) wearables.Date { return wearables.DateOf(base).AddDays(n) }

// fullBatch is a realistic batch with every kind of record: 10 samples of two
// Apple sources, 2 workouts, 2 nights, 2 summaries and 2 scores.
func fullBatch(userID string) *wearables.Batch {
	b := &wearables.Batch{UserID: userID}
	for i := range 5 {
		at := base.Add(time.Duration(i) * time.Minute).In(warsawDST)
		b.Samples = append(b.Samples, heartRate(appleWatch(), at.Add(123456789*time.Nanosecond), 60+float64(i)))
		b.Samples = append(b.Samples, steps(iPhone(), at, float64(40*i)))
	}
	b.Workouts = []wearables.Workout{
		morningRun(garminForerunner(), "w-1001", base.Add(time.Hour)),
		morningRun(garminEdge(), "w-1002", base.Add(26*time.Hour)),
	}
	b.Sleep = []wearables.Sleep{
		night(ouraRing(), "s-1", base.Add(-8*time.Hour)),
		night(ouraRing(), "s-2", base.Add(16*time.Hour)),
	}
	b.Summaries = []wearables.DailySummary{
		activityDay(ouraRing(), day(0)),
		activityDay(garminForerunner(), day(0)),
	}
	b.Scores = []wearables.Score{
		readiness(ouraRing(), "r-1", day(0)),
		readiness(ouraRing(), "r-2", day(1)),
	}
	return b
}

// newUser creates a user in s.
func newUser(t *testing.T, s wearables.Store) wearables.User {
	t.Helper()
	u := wearables.User{}
	require.NoError(t, s.CreateUser(t.Context(), &u))
	require.NotEmpty(t, u.ID)
	return u
}

// newConnection creates an active connection of userID to provider.
func newConnection(t *testing.T, s wearables.Store, userID string, provider wearables.ProviderID) wearables.Connection {
	t.Helper()
	c := wearables.Connection{
		UserID:         userID,
		Provider:       provider,
		ProviderUserID: string(provider) + "-" + userID[:8],
		Status:         wearables.ConnectionActive,
		Scopes:         []string{"daily", "heartrate", "workout"},
	}
	require.NoError(t, s.CreateConnection(t.Context(), &c))
	require.NotEmpty(t, c.ID)
	return c
}

// write writes b and fails the test on error.
func write(t *testing.T, s wearables.Store, b *wearables.Batch) wearables.WriteResult {
	t.Helper()
	res, err := s.WriteBatch(t.Context(), b)
	require.NoError(t, err)
	return res
}

// collect pages through a query to its end and returns every item. Every
// page but the last must be full (limit items), and Next is empty exactly on
// the last page: a Next cursor never leads to an empty page.
func collect[T any](t *testing.T, limit int, fetch func(cursor string) (wearables.Page[T], error)) []T {
	t.Helper()
	var (
		all    []T
		cursor string
	)
	for pages := 0; ; pages++ {
		require.Less(t, pages, 100_000, "pagination does not end")
		page, err := fetch(cursor)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Items), limit, "page larger than its limit")
		if cursor != "" {
			require.NotEmpty(t, page.Items, "a Next cursor led to an empty page: Next must be empty on the last page")
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all
		}
		require.Len(t, page.Items, limit, "a page followed by another page must be full")
		require.NotEqual(t, cursor, page.Next, "cursor did not advance")
		cursor = page.Next
	}
}

// --- canonical forms ------------------------------------------------------

// ct is the canonical form of an instant for comparisons: UTC, no monotonic
// reading, zero stays zero.
func ct(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Round(0).UTC()
}

// wt is what a store must give back for an instant written as t.
func wt(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return ct(t.Truncate(wearables.TimePrecision))
}

// assertUTC checks that a store returned t in UTC.
func assertUTC(t *testing.T, ts time.Time, what string) {
	t.Helper()
	if !ts.IsZero() {
		assert.Equal(t, time.UTC, ts.Location(), "%s must be returned in UTC", what)
	}
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nilIfEmptyMap[M ~map[K]V, K comparable, V any](m M) M {
	if len(m) == 0 {
		return nil
	}
	return m
}

// gotSource checks that a read record's source carries an id and returns it
// with the id cleared, for comparison with an expected normalized source.
func gotSource(t *testing.T, s wearables.Source) wearables.Source {
	t.Helper()
	assert.NotEmpty(t, s.ID, "a read record's Source.ID must be set")
	s.ID = ""
	return s
}

func wantSample(userID string, s wearables.Sample) wearables.Sample {
	s.UserID, s.Source = userID, s.Source.Normalized()
	s.Start, s.End = wt(s.Start), wt(s.End)
	return s
}

func gotSample(t *testing.T, s wearables.Sample) wearables.Sample {
	t.Helper()
	assertUTC(t, s.Start, "Sample.Start")
	assertUTC(t, s.End, "Sample.End")
	s.Source = gotSource(t, s.Source)
	s.Start, s.End = ct(s.Start), ct(s.End)
	return s
}

func wantSamples(userID string, in []wearables.Sample) []wearables.Sample {
	out := make([]wearables.Sample, len(in))
	for i, s := range in {
		out[i] = wantSample(userID, s)
	}
	return out
}

func gotSamples(t *testing.T, in []wearables.Sample) []wearables.Sample {
	t.Helper()
	out := make([]wearables.Sample, len(in))
	for i, s := range in {
		out[i] = gotSample(t, s)
	}
	return out
}

func canonWorkout(w wearables.Workout, times func(time.Time) time.Time) wearables.Workout {
	w.Start, w.End = times(w.Start), times(w.End)
	w.Zones = nilIfEmpty(slices.Clone(w.Zones))
	w.Laps = nilIfEmpty(slices.Clone(w.Laps))
	for i := range w.Laps {
		w.Laps[i].Start = times(w.Laps[i].Start)
	}
	w.Route = nilIfEmpty(slices.Clone(w.Route))
	for i := range w.Route {
		w.Route[i].Time = times(w.Route[i].Time)
	}
	return w
}

func wantWorkout(userID string, w wearables.Workout) wearables.Workout {
	w.UserID, w.Source = userID, w.Source.Normalized()
	return canonWorkout(w, wt)
}

func gotWorkout(t *testing.T, w wearables.Workout) wearables.Workout {
	t.Helper()
	assertUTC(t, w.Start, "Workout.Start")
	assertUTC(t, w.End, "Workout.End")
	w.Source = gotSource(t, w.Source)
	return canonWorkout(w, ct)
}

func wantWorkouts(userID string, in ...wearables.Workout) []wearables.Workout {
	out := make([]wearables.Workout, len(in))
	for i, w := range in {
		out[i] = wantWorkout(userID, w)
	}
	return out
}

func gotWorkouts(t *testing.T, in []wearables.Workout) []wearables.Workout {
	t.Helper()
	out := make([]wearables.Workout, len(in))
	for i, w := range in {
		out[i] = gotWorkout(t, w)
	}
	return out
}

func canonSleep(s wearables.Sleep, times func(time.Time) time.Time) wearables.Sleep {
	s.Start, s.End = times(s.Start), times(s.End)
	s.Stages = nilIfEmpty(slices.Clone(s.Stages))
	for i := range s.Stages {
		s.Stages[i].Start, s.Stages[i].End = times(s.Stages[i].Start), times(s.Stages[i].End)
	}
	return s
}

func wantSleep(userID string, in ...wearables.Sleep) []wearables.Sleep {
	out := make([]wearables.Sleep, len(in))
	for i, s := range in {
		s.UserID, s.Source = userID, s.Source.Normalized()
		out[i] = canonSleep(s, wt)
	}
	return out
}

func gotSleep(t *testing.T, in []wearables.Sleep) []wearables.Sleep {
	t.Helper()
	out := make([]wearables.Sleep, len(in))
	for i, s := range in {
		assertUTC(t, s.Start, "Sleep.Start")
		assertUTC(t, s.End, "Sleep.End")
		s.Source = gotSource(t, s.Source)
		out[i] = canonSleep(s, ct)
	}
	return out
}

func wantSummaries(userID string, in ...wearables.DailySummary) []wearables.DailySummary {
	out := make([]wearables.DailySummary, len(in))
	for i, s := range in {
		s.UserID, s.Source = userID, s.Source.Normalized()
		s.Values = nilIfEmptyMap(s.Values)
		out[i] = s
	}
	return out
}

func gotSummaries(t *testing.T, in []wearables.DailySummary) []wearables.DailySummary {
	t.Helper()
	out := make([]wearables.DailySummary, len(in))
	for i, s := range in {
		s.Source = gotSource(t, s.Source)
		s.Values = nilIfEmptyMap(s.Values)
		out[i] = s
	}
	return out
}

func wantScores(userID string, in ...wearables.Score) []wearables.Score {
	out := make([]wearables.Score, len(in))
	for i, s := range in {
		s.UserID, s.Source = userID, s.Source.Normalized()
		s.Time = wt(s.Time)
		s.Contributors = nilIfEmptyMap(s.Contributors)
		out[i] = s
	}
	return out
}

func gotScores(t *testing.T, in []wearables.Score) []wearables.Score {
	t.Helper()
	out := make([]wearables.Score, len(in))
	for i, s := range in {
		assertUTC(t, s.Time, "Score.Time")
		s.Source = gotSource(t, s.Source)
		s.Time = ct(s.Time)
		s.Contributors = nilIfEmptyMap(s.Contributors)
		out[i] = s
	}
	return out
}

// --- whole-user reads -----------------------------------------------------

// wide is a time range that holds every fixture.
var (
	wideStart = base.AddDate(-5, 0, 0)
	wideEnd   = base.AddDate(5, 0, 0)
)

// allSeriesTypes lists every catalog type, for queries that want everything.
func allSeriesTypes() []wearables.SeriesType {
	var out []wearables.SeriesType
	for _, info := range wearables.SeriesTypes() {
		out = append(out, info.ID)
	}
	return out
}

// userData is everything of one user the record readers return.
type userData struct {
	Samples   []wearables.Sample
	Workouts  []wearables.Workout
	Sleep     []wearables.Sleep
	Summaries []wearables.DailySummary
	Scores    []wearables.Score
	Sources   []wearables.Source
}

func (d userData) records() int {
	return len(d.Samples) + len(d.Workouts) + len(d.Sleep) + len(d.Summaries) + len(d.Scores)
}

// readAll reads every record of a user through the query methods, in the
// stores' own order. A query of an unknown user may answer ErrNotFound
// instead of an empty page; that reads as nothing.
func readAll(t *testing.T, s wearables.Store, userID string) userData {
	t.Helper()
	ctx := t.Context()
	var d userData
	const limit = 1000
	d.Samples = collectOrNone(t, limit, func(c string) (wearables.Page[wearables.Sample], error) {
		return s.QuerySamples(ctx, wearables.SampleQuery{UserID: userID, Types: allSeriesTypes(), Start: wideStart, End: wideEnd, Cursor: c, Limit: limit})
	})
	d.Workouts = collectOrNone(t, limit, func(c string) (wearables.Page[wearables.Workout], error) {
		return s.QueryWorkouts(ctx, wearables.EventQuery{UserID: userID, Start: wideStart, End: wideEnd, Cursor: c, Limit: limit})
	})
	d.Sleep = collectOrNone(t, limit, func(c string) (wearables.Page[wearables.Sleep], error) {
		return s.QuerySleep(ctx, wearables.EventQuery{UserID: userID, Start: wideStart, End: wideEnd, Cursor: c, Limit: limit})
	})
	from, to := wearables.DateOf(wideStart), wearables.DateOf(wideEnd)
	d.Summaries = collectOrNone(t, limit, func(c string) (wearables.Page[wearables.DailySummary], error) {
		return s.QuerySummaries(ctx, wearables.DayQuery{UserID: userID, From: from, To: to, Cursor: c, Limit: limit})
	})
	d.Scores = collectOrNone(t, limit, func(c string) (wearables.Page[wearables.Score], error) {
		return s.QueryScores(ctx, wearables.DayQuery{UserID: userID, From: from, To: to, Cursor: c, Limit: limit})
	})
	srcs, err := s.ListSources(ctx, userID)
	if !isNotFound(err) {
		require.NoError(t, err)
		d.Sources = srcs
	}
	return d
}

func collectOrNone[T any](t *testing.T, limit int, fetch func(cursor string) (wearables.Page[T], error)) []T {
	t.Helper()
	if _, err := fetch(""); isNotFound(err) {
		return nil
	}
	return collect(t, limit, fetch)
}

func isNotFound(err error) bool { return err != nil && errors.Is(err, wearables.ErrNotFound) }

// sourceIDs maps each source key of a user to its id.
func sourceIDs(t *testing.T, s wearables.Store, userID string) map[string]string {
	t.Helper()
	srcs, err := s.ListSources(t.Context(), userID)
	require.NoError(t, err)
	m := make(map[string]string, len(srcs))
	for _, src := range srcs {
		require.NotEmpty(t, src.ID)
		m[src.Key()] = src.ID
	}
	return m
}

// sampleKey is a sample's natural key, as a string, for set comparisons.
func sampleKey(s wearables.Sample) string {
	return fmt.Sprintf("%s|%d|%d", s.Source.Key(), s.Type, s.Start.UnixMicro())
}
