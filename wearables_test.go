package wearables_test

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func TestOffset(t *testing.T) {
	tests := []struct {
		off   wearables.Offset
		str   string
		known bool
		valid bool
	}{
		{0, "+00:00", true, true},
		{-8 * 3600, "-08:00", true, true},
		{5*3600 + 45*60, "+05:45", true, true},
		{13 * 3600, "+13:00", true, true},
		{-(9*3600 + 30*60), "-09:30", true, true},
		{3600 + 7, "+01:00:07", true, true},
		{wearables.NoOffset, "", false, true},
		{19 * 3600, "+19:00", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			assert.Equal(t, tt.str, tt.off.String())
			assert.Equal(t, tt.known, tt.off.Known())
			assert.Equal(t, tt.valid, tt.off.Valid())
			if tt.known {
				at := time.Date(2024, 3, 10, 12, 0, 0, 0, tt.off.Location())
				assert.Equal(t, tt.off, wearables.OffsetOf(at))
			} else {
				assert.Nil(t, tt.off.Location())
			}
		})
	}
}

func TestSourceKeyIgnoresIDAndSpelledOutDefaults(t *testing.T) {
	a := wearables.Source{ID: "1", Provider: wearables.ProviderOura, DeviceModel: "Gen3"}
	b := wearables.Source{ID: "2", Provider: wearables.ProviderOura, DeviceModel: "Gen3", DeviceType: wearables.DeviceUnknown, RecordingMethod: wearables.RecordingAutomatic}
	assert.Equal(t, a.Key(), b.Key())
	c := b
	c.RecordingMethod = wearables.RecordingManual
	assert.NotEqual(t, a.Key(), c.Key())
	assert.Equal(t, b.Normalized(), a.Normalized())
	assert.Empty(t, a.Normalized().ID)
}

func src() wearables.Source {
	return wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch}
}

func validBatch() wearables.Batch {
	t0 := time.Date(2024, 3, 10, 6, 0, 0, 0, time.UTC)
	return wearables.Batch{
		UserID:  "u1",
		Samples: []wearables.Sample{{Source: src(), Type: wearables.SeriesHeartRate, Start: t0, Offset: -8 * 3600, Value: 61}},
		Workouts: []wearables.Workout{{Source: src(), ProviderRecordID: "w1", Type: wearables.WorkoutRunning,
			Start: t0, End: t0.Add(time.Hour), Offset: wearables.NoOffset}},
		Sleep: []wearables.Sleep{{Source: src(), ProviderRecordID: "s1", Start: t0.Add(-8 * time.Hour), End: t0,
			Stages: []wearables.StageInterval{{Stage: wearables.StageDeep, Start: t0.Add(-7 * time.Hour), End: t0.Add(-6 * time.Hour)}}}},
		Summaries: []wearables.DailySummary{{Source: src(), Kind: wearables.SummaryActivity, Date: wearables.Date{Year: 2024, Month: 3, Day: 10},
			Values: map[wearables.SeriesType]float64{wearables.SeriesSteps: 9000}}},
		Scores: []wearables.Score{{Source: src(), Kind: wearables.ScoreReadiness, ProviderRecordID: "2024-03-10",
			Date: wearables.Date{Year: 2024, Month: 3, Day: 10}, Value: 80, Min: 0, Max: 100}},
		Deletes: []wearables.Delete{{Kind: wearables.KindWorkout, Provider: wearables.ProviderAppleHealth, ProviderRecordID: "old"}},
		Cursor:  &wearables.Cursor{ConnectionID: "c1", DataType: wearables.DataSamples, Value: "x"},
	}
}

func TestBatchValidate(t *testing.T) {
	b := validBatch()
	require.NoError(t, b.Validate())
	assert.Equal(t, 6, b.Len())

	tests := []struct {
		name   string
		mutate func(b *wearables.Batch)
		kind   wearables.RecordKind
		field  string
	}{
		{"no user", func(b *wearables.Batch) { b.UserID = "" }, "", "UserID"},
		{"record of another user", func(b *wearables.Batch) { b.Samples[0].UserID = "u2" }, wearables.KindSample, "UserID"},
		{"unknown series type", func(b *wearables.Batch) { b.Samples[0].Type = 60000 }, wearables.KindSample, "Type"},
		{"zero series type", func(b *wearables.Batch) { b.Samples[0].Type = 0 }, wearables.KindSample, "Type"},
		{"NaN", func(b *wearables.Batch) { b.Samples[0].Value = math.NaN() }, wearables.KindSample, "Value"},
		{"Inf", func(b *wearables.Batch) { b.Samples[0].Value = math.Inf(-1) }, wearables.KindSample, "Value"},
		{"sample end before start", func(b *wearables.Batch) { b.Samples[0].End = b.Samples[0].Start.Add(-time.Second) }, wearables.KindSample, "End"},
		{"sample without provider", func(b *wearables.Batch) { b.Samples[0].Source.Provider = "" }, wearables.KindSample, "Source.Provider"},
		{"bad device type", func(b *wearables.Batch) { b.Samples[0].Source.DeviceType = "toaster" }, wearables.KindSample, "Source.DeviceType"},
		{"offset beyond 18h", func(b *wearables.Batch) { b.Samples[0].Offset = 20 * 3600 }, wearables.KindSample, "Offset"},
		{"workout without id", func(b *wearables.Batch) { b.Workouts[0].ProviderRecordID = "" }, wearables.KindWorkout, "ProviderRecordID"},
		{"workout end before start", func(b *wearables.Batch) { b.Workouts[0].End = b.Workouts[0].Start.Add(-time.Minute) }, wearables.KindWorkout, "End"},
		{"workout NaN metric", func(b *wearables.Batch) { v := math.NaN(); b.Workouts[0].Distance = &v }, wearables.KindWorkout, "metrics"},
		{"workout unknown type", func(b *wearables.Batch) { b.Workouts[0].Type = 0 }, wearables.KindWorkout, "Type"},
		{"route off the globe", func(b *wearables.Batch) {
			b.Workouts[0].Route = []wearables.RoutePoint{{Time: b.Workouts[0].Start, Lat: 91}}
		}, wearables.KindWorkout, "Route"},
		{"sleep of 30 h", func(b *wearables.Batch) { b.Sleep[0].End = b.Sleep[0].Start.Add(30 * time.Hour) }, wearables.KindSleep, "End"},
		{"sleep stage reversed", func(b *wearables.Batch) { b.Sleep[0].Stages[0].End = b.Sleep[0].Stages[0].Start }, wearables.KindSleep, "Stages[0].End"},
		{"sleep efficiency 120", func(b *wearables.Batch) { e := 120.0; b.Sleep[0].Efficiency = &e }, wearables.KindSleep, "Efficiency"},
		{"summary bad date", func(b *wearables.Batch) { b.Summaries[0].Date = wearables.Date{Year: 2024, Month: 2, Day: 30} }, wearables.KindDailySummary, "Date"},
		{"summary unknown type", func(b *wearables.Batch) { b.Summaries[0].Values[9999] = 1 }, wearables.KindDailySummary, "Values"},
		{"score outside its scale", func(b *wearables.Batch) { b.Scores[0].Value = 101 }, wearables.KindScore, "Value"},
		{"score without id", func(b *wearables.Batch) { b.Scores[0].ProviderRecordID = "" }, wearables.KindScore, "ProviderRecordID"},
		{"delete of a sample", func(b *wearables.Batch) { b.Deletes[0].Kind = wearables.KindSample }, wearables.KindSample, "Deletes.Kind"},
		{"cursor without data type", func(b *wearables.Batch) { b.Cursor.DataType = "" }, "", "Cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBatch()
			tt.mutate(&b)
			err := b.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
			var ve *wearables.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.kind, ve.Kind)
			assert.Equal(t, tt.field, ve.Field)
			assert.NotEmpty(t, ve.Reason)
		})
	}
}

func TestProviderError(t *testing.T) {
	body := []byte(strings.Repeat("x", 5000))
	e := wearables.NewProviderError(wearables.ProviderOura, "list sleep", 429, body)
	assert.Len(t, e.Body, wearables.MaxErrorBody)
	assert.ErrorIs(t, e, wearables.ErrRateLimited)
	assert.NotErrorIs(t, e, wearables.ErrUnauthorized)
	assert.True(t, e.Temporary())

	var wrapped error = errFmt(e)
	var pe *wearables.ProviderError
	require.ErrorAs(t, wrapped, &pe)
	assert.Equal(t, 429, pe.StatusCode)

	assert.ErrorIs(t, &wearables.ProviderError{StatusCode: 401}, wearables.ErrUnauthorized)
	assert.ErrorIs(t, &wearables.ProviderError{StatusCode: 404}, wearables.ErrNotFound)
	assert.ErrorIs(t, &wearables.ProviderError{StatusCode: 200, RateLimited: true}, wearables.ErrRateLimited)
	assert.False(t, (&wearables.ProviderError{StatusCode: 400}).Temporary())
	assert.True(t, (&wearables.ProviderError{StatusCode: 503}).Temporary())
	assert.True(t, (&wearables.ProviderError{StatusCode: 200, Err: fmt.Errorf("read body: %w", io.ErrUnexpectedEOF)}).Temporary(), "a cut body may succeed on retry")
	cause := errors.New("boom")
	assert.ErrorIs(t, &wearables.ProviderError{StatusCode: 500, Err: cause}, cause)
	assert.Less(t, len(e.Error()), 400, "error text keeps only the start of the body")
}

func errFmt(err error) error { return errors.Join(errors.New("sync"), err) }

func TestDate(t *testing.T) {
	d, err := wearables.ParseDate("2024-02-29")
	require.NoError(t, err)
	assert.Equal(t, "2024-03-01", d.AddDays(1).String())
	assert.Equal(t, "2023-12-31", wearables.Date{Year: 2024, Month: 1, Day: 1}.AddDays(-1).String())
	assert.True(t, d.Before(d.AddDays(1)))
	_, err = wearables.ParseDate("2024-13-01")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	// Spring forward: the local day of 2024-03-10 in New York is 23 hours long.
	day := wearables.Date{Year: 2024, Month: 3, Day: 10}
	assert.Equal(t, 23*time.Hour, day.AddDays(1).In(ny).Sub(day.In(ny)))

	b, err := d.MarshalText()
	require.NoError(t, err)
	var back wearables.Date
	require.NoError(t, back.UnmarshalText(b))
	assert.Equal(t, d, back)
}

func TestSleepStages(t *testing.T) {
	for _, s := range wearables.SleepStages() {
		got, err := wearables.ParseSleepStage(s.String())
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	// Stable ids: these numbers are stored; they never change.
	assert.EqualValues(t, 0, wearables.StageUnknown)
	assert.EqualValues(t, 1, wearables.StageAwake)
	assert.EqualValues(t, 2, wearables.StageLight)
	assert.EqualValues(t, 3, wearables.StageDeep)
	assert.EqualValues(t, 4, wearables.StageREM)
	assert.EqualValues(t, 5, wearables.StageAsleep)
	assert.EqualValues(t, 6, wearables.StageInBed)
	_, err := wearables.ParseSleepStage("nap")
	assert.ErrorIs(t, err, wearables.ErrInvalid)

	var tot wearables.StageTotals
	tot.Add(wearables.StageDeep, time.Hour)
	tot.Add(wearables.StageREM, 30*time.Minute)
	tot.Add(wearables.StageAwake, 10*time.Minute)
	tot.Add(wearables.SleepStage(42), time.Minute)
	assert.Equal(t, 90*time.Minute, tot.TimeAsleep())
	assert.Equal(t, time.Minute, tot.Unknown)
}

func TestValidatePriorities(t *testing.T) {
	ok := []wearables.SourcePriority{
		{DataType: "steps", Providers: []wearables.ProviderID{"garmin", "applehealth"}, DeviceTypes: []wearables.DeviceType{"watch", "phone"}},
		{DataType: "*", Providers: []wearables.ProviderID{"oura"}},
		{DataType: "sleep", Providers: []wearables.ProviderID{"oura"}},
	}
	require.NoError(t, wearables.ValidatePriorities(ok))
	for name, bad := range map[string][]wearables.SourcePriority{
		"duplicate":      {ok[0], ok[0]},
		"unknown type":   {{DataType: "stepz"}},
		"bad device":     {{DataType: "steps", DeviceTypes: []wearables.DeviceType{"toaster"}}},
		"empty provider": {{DataType: "steps", Providers: []wearables.ProviderID{""}}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, wearables.ValidatePriorities(bad), wearables.ErrInvalid)
		})
	}
}

func TestEncryptedTokenNeverPrintsCiphertext(t *testing.T) {
	tok := wearables.EncryptedToken{ConnectionID: "c1", KeyID: "k1", Ciphertext: []byte("SECRET-BYTES")}
	for _, s := range []string{tok.String(), tok.GoString()} {
		assert.NotContains(t, s, "SECRET")
	}
}

func TestWriteResultTotals(t *testing.T) {
	r := wearables.WriteResult{Samples: wearables.Counts{Inserted: 3, Unchanged: 1}, Workouts: wearables.Counts{Updated: 2}, Deleted: 1}
	sum := r.Add(r)
	assert.Equal(t, wearables.Counts{Inserted: 6, Updated: 4, Unchanged: 2}, sum.Total())
	assert.Equal(t, 2, sum.Deleted)
	assert.Equal(t, 12, sum.Total().Total())
}

func TestUserLocation(t *testing.T) {
	loc, err := wearables.User{}.Location()
	require.NoError(t, err)
	assert.Equal(t, time.UTC, loc)
	loc, err = wearables.User{TimeZone: "Asia/Kathmandu"}.Location()
	require.NoError(t, err)
	assert.Equal(t, "Asia/Kathmandu", loc.String())
	assert.ErrorIs(t, wearables.User{TimeZone: "Mars/Olympus"}.Validate(), wearables.ErrInvalid)
}

func TestNewIDIsUniqueAndOrdered(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for range 1000 {
		id := wearables.NewID()
		require.Len(t, id, 36)
		require.False(t, seen[id])
		seen[id] = true
		assert.Greater(t, id, prev, "UUIDv7 ids sort in creation order")
		prev = id
	}
}

func TestSyncCountsAddKeepsBoundedRejections(t *testing.T) {
	rej := func(n int) []wearables.Rejection {
		out := make([]wearables.Rejection, n)
		for i := range out {
			out[i] = wearables.Rejection{Kind: wearables.KindSample, Reason: fmt.Sprint("r", i)}
		}
		return out
	}
	a := wearables.SyncCounts{Rejected: 30, Rejections: rej(30)}
	b := wearables.SyncCounts{Rejected: 40, Rejections: rej(40)}
	sum := a.Add(b)
	if sum.Rejected != 70 {
		t.Fatalf("Rejected = %d, want 70", sum.Rejected)
	}
	if len(sum.Rejections) != wearables.MaxRunRejections {
		t.Fatalf("kept %d rejections, want %d", len(sum.Rejections), wearables.MaxRunRejections)
	}
	if sum.Rejections[30].Reason != "r0" {
		t.Fatalf("the first of b's rejections should follow a's, got %q", sum.Rejections[30].Reason)
	}
	roomy := wearables.SyncCounts{Rejections: append(make([]wearables.Rejection, 0, 40), rej(1)...)}
	x := roomy.Add(wearables.SyncCounts{Rejections: []wearables.Rejection{{Reason: "x"}}})
	y := roomy.Add(wearables.SyncCounts{Rejections: []wearables.Rejection{{Reason: "y"}}})
	if x.Rejections[1].Reason != "x" || y.Rejections[1].Reason != "y" {
		t.Fatalf("two sums of one receiver share a backing array: %q, %q", x.Rejections[1].Reason, y.Rejections[1].Reason)
	}
	full := wearables.AppendRejections(rej(wearables.MaxRunRejections), rej(3)...)
	if len(full) != wearables.MaxRunRejections {
		t.Fatalf("AppendRejections grew a full list to %d", len(full))
	}
}
