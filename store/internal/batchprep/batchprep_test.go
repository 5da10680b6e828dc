package batchprep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/batchprep"
)

var (
	watch = wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch}
	phone = wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "iPhone15,2", DeviceType: wearables.DevicePhone}
	t0    = time.Date(2024, 3, 10, 9, 0, 0, 123456789, time.FixedZone("PST", -8*3600))
)

func TestPrepareSamples(t *testing.T) {
	in := &wearables.Batch{UserID: "u", Samples: []wearables.Sample{
		{Source: watch, Type: wearables.SeriesSteps, Start: t0.Add(time.Minute), Value: 1},
		{Source: phone, Type: wearables.SeriesSteps, Start: t0, Value: 2},
		{Source: watch, Type: wearables.SeriesSteps, Start: t0, Value: 3},
		{Source: watch, Type: wearables.SeriesSteps, Start: t0.Add(time.Minute), Value: 4}, // same key as [0]: wins
		{Source: watch, Type: wearables.SeriesHeartRate, Start: t0, End: t0.Add(time.Second), Value: 60},
	}}
	keep := *in
	keep.Samples = append([]wearables.Sample(nil), in.Samples...)

	out, err := batchprep.Prepare(in)
	require.NoError(t, err)
	assert.Equal(t, keep.Samples, in.Samples, "the input is not modified")
	require.Len(t, out.Samples, 4)
	var vals []float64
	for _, s := range out.Samples {
		vals = append(vals, s.Value)
		assert.Equal(t, "u", s.UserID)
		assert.Equal(t, time.UTC, s.Start.Location())
		assert.Zero(t, s.Start.Nanosecond()%1000, "truncated to microseconds")
		assert.Equal(t, wearables.RecordingAutomatic, s.Source.RecordingMethod)
	}
	// Sources sort by key: "iPhone…" < "Watch…" is false in byte order
	// ("W" 0x57 < "i" 0x69), so the watch comes first; then type, then start.
	assert.Equal(t, []float64{60, 3, 4, 2}, vals)
	if out.Samples[0].IsInterval() {
		assert.Equal(t, t0.Add(time.Second).UTC().Truncate(time.Microsecond), out.Samples[0].End)
	}
	assert.Len(t, batchprep.Sources(out), 2)

	// Input order does not change the result.
	k := keep.Samples
	rev := &wearables.Batch{UserID: "u", Samples: []wearables.Sample{k[4], k[1], k[0], k[2], k[3]}} // k[3] still after k[0]
	out2, err := batchprep.Prepare(rev)
	require.NoError(t, err)
	assert.Equal(t, out.Samples, out2.Samples)
}

func TestPrepareRejectsInvalid(t *testing.T) {
	_, err := batchprep.Prepare(&wearables.Batch{UserID: "u", Samples: []wearables.Sample{{Source: watch, Type: 0, Start: t0}}})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestPrepareEventsLaterWins(t *testing.T) {
	dist := 5000.0
	in := &wearables.Batch{UserID: "u",
		Workouts: []wearables.Workout{
			{Source: watch, ProviderRecordID: "w", Type: wearables.WorkoutRunning, Start: t0, End: t0.Add(time.Hour), Name: "first"},
			{Source: watch, ProviderRecordID: "w", Type: wearables.WorkoutRunning, Start: t0, End: t0.Add(time.Hour), Name: "second", Distance: &dist,
				Laps: []wearables.Lap{{Start: t0, Duration: time.Minute}}},
		},
		Sleep: []wearables.Sleep{{Source: watch, ProviderRecordID: "s", Start: t0, End: t0.Add(time.Hour),
			Stages: []wearables.StageInterval{{Stage: wearables.StageDeep, Start: t0, End: t0.Add(time.Hour)}}}},
	}
	out, err := batchprep.Prepare(in)
	require.NoError(t, err)
	require.Len(t, out.Workouts, 1)
	assert.Equal(t, "second", out.Workouts[0].Name)
	assert.Equal(t, time.UTC, out.Workouts[0].Laps[0].Start.Location())
	assert.NotSame(t, &in.Workouts[1].Laps[0], &out.Workouts[0].Laps[0], "nested slices are copied")
	assert.Equal(t, "PST", in.Sleep[0].Stages[0].Start.Location().String(), "input stages untouched")
}

func TestDocumentsAreDeterministicAndRoundTrip(t *testing.T) {
	hr, zero := 142.0, 0.0
	w := wearables.Workout{UserID: "u", Source: watch, ProviderRecordID: "w", Version: 7, Type: wearables.WorkoutTrailRunning,
		RawType: "TRAIL_RUN", Start: t0.UTC().Truncate(time.Microsecond), End: t0.Add(time.Hour).UTC().Truncate(time.Microsecond),
		Offset: -8 * 3600, AvgHR: &hr, Steps: &zero, Zones: []wearables.HRZone{{Zone: 2, MinBPM: 120, MaxBPM: 140, Duration: time.Minute}}}
	a, err := batchprep.EncodeWorkout(&w)
	require.NoError(t, err)
	b, err := batchprep.EncodeWorkout(&w)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.NotContains(t, string(a), "Watch7,5", "the source is kept outside the document")
	assert.NotContains(t, string(a), `"user_id"`)

	var back wearables.Workout
	require.NoError(t, batchprep.DecodeWorkout(a, &back))
	back.UserID, back.Source = w.UserID, w.Source
	assert.Equal(t, w, back)
	require.NotNil(t, back.Steps, "zero stays distinct from absent")
	assert.Nil(t, back.Distance)

	v := map[wearables.SeriesType]float64{wearables.SeriesSteps: 9000, wearables.SeriesActiveEnergy: 412.5}
	d1, err := batchprep.EncodeSummaryValues(v)
	require.NoError(t, err)
	assert.Equal(t, `{"active_energy":412.5,"steps":9000}`, string(d1))
	got, err := batchprep.DecodeSummaryValues(d1)
	require.NoError(t, err)
	assert.Equal(t, v, got)

	s := wearables.Score{Kind: wearables.ScoreReadiness, ProviderRecordID: "r", Value: 80, Max: 100, Contributors: map[string]float64{"hrv": 70, "activity": 90}}
	sd, err := batchprep.EncodeScore(&s)
	require.NoError(t, err)
	var sb wearables.Score
	require.NoError(t, batchprep.DecodeScore(sd, &sb))
	assert.Equal(t, s, sb)
}

func BenchmarkPrepareSamples(b *testing.B) {
	const n = 1_000_000
	in := &wearables.Batch{UserID: "u", Samples: make([]wearables.Sample, n)}
	for i := range in.Samples {
		in.Samples[i] = wearables.Sample{Source: watch, Type: wearables.SeriesHeartRate, Start: t0.Add(time.Duration(i) * time.Second), Value: 60}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := batchprep.Prepare(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "samples/s")
}
