package normalize

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/wearables-go/wearables"
)

func ptr[T any](v T) *T { return &v }

var (
	srcWatch = wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch, App: "com.apple.health"}
	srcPhone = wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "iPhone15,2", DeviceType: wearables.DevicePhone, App: "com.apple.health"}
	srcOura  = wearables.Source{Provider: wearables.ProviderOura, DeviceModel: "Oura Ring Gen3", DeviceType: wearables.DeviceRing}
)

func hr(at string, v float64) wearables.Sample {
	return wearables.Sample{Source: srcWatch, Type: wearables.SeriesHeartRate, Start: utc(at), Offset: 0, Value: v}
}

func TestValidateBatch(t *testing.T) {
	night := func(id string, d time.Duration) wearables.Sleep {
		return wearables.Sleep{Source: srcOura, ProviderRecordID: id, Start: utc("2024-03-09T22:00:00Z"), End: utc("2024-03-09T22:00:00Z").Add(d), Offset: 0}
	}
	run := func(id string, mutate func(*wearables.Workout)) wearables.Workout {
		w := wearables.Workout{Source: srcWatch, ProviderRecordID: id, Type: wearables.WorkoutTypes()[0].ID,
			Start: utc("2024-03-09T07:00:00Z"), End: utc("2024-03-09T08:00:00Z"), MovingTime: 55 * time.Minute,
			Distance: ptr(10000.0), AvgHR: ptr(150.0), MaxHR: ptr(175.0), MinHR: ptr(90.0)}
		if mutate != nil {
			mutate(&w)
		}
		return w
	}
	b := &wearables.Batch{
		UserID: "u1",
		Samples: []wearables.Sample{
			hr("2024-03-09T10:00:00Z", 62),
			hr("2024-03-09T10:00:01Z", 0),   // HR 0
			hr("2024-03-09T10:00:02Z", 400), // HR 400
			hr("2024-03-09T10:00:03Z", math.NaN()),
			{Source: srcWatch, Type: wearables.SeriesDistanceWalkingRunning, Start: utc("2024-03-09T10:00:00Z"), End: utc("2024-03-09T10:01:00Z"), Value: -5},
			{Source: srcWatch, Type: wearables.SeriesSteps, Start: utc("2024-03-09T10:01:00Z"), End: utc("2024-03-09T10:00:00Z"), Value: 50},
			{Source: srcWatch, Type: wearables.SeriesSteps, Start: time.Unix(1710000000000, 0), Value: 50}, // ms read as s
			{Source: srcWatch, Type: wearables.SeriesType(9999), Start: utc("2024-03-09T10:00:00Z"), Value: 1},
			{Source: srcWatch, Type: wearables.SeriesHeartRate, Start: utc("2024-03-09T10:00:00Z"), Value: 70, Offset: 19 * 3600},
			{Source: wearables.Source{}, Type: wearables.SeriesHeartRate, Start: utc("2024-03-09T10:00:00Z"), Value: 70},
			{UserID: "u2", Source: srcWatch, Type: wearables.SeriesHeartRate, Start: utc("2024-03-09T10:00:00Z"), Value: 70},
			hr("2024-03-09T10:00:04Z", 64),
		},
		Sleep: []wearables.Sleep{
			night("ok", 8*time.Hour),
			night("long", 30*time.Hour),
			night("inverted", -time.Hour),
			func() wearables.Sleep { s := night("eff", 8*time.Hour); s.Efficiency = ptr(120.0); return s }(),
			func() wearables.Sleep { s := night("hr", 8*time.Hour); s.AvgHR = ptr(10.0); return s }(),
			night("", 8*time.Hour),
		},
		Workouts: []wearables.Workout{
			run("ok", nil),
			run("negdist", func(w *wearables.Workout) { w.Distance = ptr(-1.0) }),
			run("hrorder", func(w *wearables.Workout) { w.MinHR = ptr(180.0) }),
			run("moving", func(w *wearables.Workout) { w.MovingTime = 3 * time.Hour }),
			run("type", func(w *wearables.Workout) { w.Type = 0 }),
		},
		Summaries: []wearables.DailySummary{
			{Source: srcWatch, Kind: wearables.SummaryActivity, Date: wearables.Date{Year: 2024, Month: 3, Day: 9}, Values: map[wearables.SeriesType]float64{wearables.SeriesSteps: 12000}},
			{Source: srcWatch, Kind: wearables.SummaryActivity, Date: wearables.Date{Year: 2024, Month: 3, Day: 10}, Values: map[wearables.SeriesType]float64{wearables.SeriesSteps: -3, wearables.SeriesActiveEnergy: 300}},
		},
		Scores: []wearables.Score{
			{Source: srcOura, Kind: wearables.ScoreReadiness, ProviderRecordID: "r1", Date: wearables.Date{Year: 2024, Month: 3, Day: 9}, Value: 80, Min: 0, Max: 100},
			{Source: srcOura, Kind: wearables.ScoreReadiness, ProviderRecordID: "r2", Date: wearables.Date{Year: 2024, Month: 3, Day: 9}, Value: 180, Min: 0, Max: 100},
		},
	}
	rej := ValidateBatch(b)

	require.Len(t, b.Samples, 2)
	assert.Equal(t, 62.0, b.Samples[0].Value)
	assert.Equal(t, 64.0, b.Samples[1].Value)
	require.Len(t, b.Sleep, 1)
	assert.Equal(t, "ok", b.Sleep[0].ProviderRecordID)
	require.Len(t, b.Workouts, 1)
	assert.Equal(t, "ok", b.Workouts[0].ProviderRecordID)
	require.Len(t, b.Summaries, 1)
	require.Len(t, b.Scores, 1)
	require.NoError(t, b.Validate(), "what survives passes the store's structural check")

	reasons := make([]string, len(rej))
	for i, r := range rej {
		reasons[i] = string(r.Kind) + " " + r.Field + ": " + r.Reason
		assert.NotEmpty(t, r.Reason)
	}
	assert.Equal(t, []string{
		"sample Value: heart_rate 0 bpm is outside the plausible range 20–300 bpm",
		"sample Value: heart_rate 400 bpm is outside the plausible range 20–300 bpm",
		"sample Value: heart_rate value is NaN",
		"sample Value: distance_walking_running -5 m is outside the plausible range 0–1000000 m",
		"sample End: end 2024-03-09T10:00:00Z is before start 2024-03-09T10:01:00Z",
		"sample Start: start 56157-09-28T16:00:00Z is outside 1980–2200",
		"sample Value: unknown series type 9999",
		"sample Offset: offset 68400 s is beyond ±18 h",
		"sample Source.Provider: provider is empty",
		`sample UserID: record of user "u2" in a batch of user "u1"`,
		"workout Distance: distance -1 m is outside the plausible range 0–1000000 m",
		"workout MinHR: minimum heart rate 180 is above the maximum 175",
		"workout MovingTime: moving time 3h0m0s is outside 0–1h0m0s",
		"workout Type: unknown workout type 0",
		"sleep End: a sleep of 30h0m0s is longer than 24h0m0s",
		"sleep End: end 2024-03-09T21:00:00Z is not after start 2024-03-09T22:00:00Z",
		"sleep Efficiency: Efficiency 120 % is outside the plausible range 0–100 %",
		"sleep AvgHR: heart_rate 10 bpm is outside the plausible range 20–300 bpm",
		"sleep ProviderRecordID: provider record id is empty",
		"daily_summary Values[steps]: steps -3 is outside the plausible range 0–100000",
		"score Value: value 180 is outside the scale 0..100",
	}, reasons)
	assert.Equal(t, wearables.SeriesHeartRate, rej[0].Type)
	assert.Equal(t, utc("2024-03-09T10:00:01Z"), rej[0].Time)
	assert.Equal(t, "long", rej[14].ProviderRecordID)
}

func TestValidatorSingle(t *testing.T) {
	v := NewValidator()
	assert.NoError(t, v.Sample(hr("2024-03-09T10:00:00Z", 60)))
	err := v.Sample(hr("2024-03-09T10:00:00Z", 401))
	require.Error(t, err)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	var ve *wearables.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Value", ve.Field)
	assert.Equal(t, wearables.KindSample, ve.Kind)
	assert.ErrorIs(t, v.Sleep(wearables.Sleep{}), wearables.ErrInvalid)
	assert.ErrorIs(t, v.Workout(wearables.Workout{}), wearables.ErrInvalid)
	assert.ErrorIs(t, v.Summary(wearables.DailySummary{}), wearables.ErrInvalid)
	assert.ErrorIs(t, v.Score(wearables.Score{}), wearables.ErrInvalid)
}

// Whatever the sample, validation never panics, and a kept sample passes
// the store's structural validation.
func TestValidateNeverPanicsProperty(t *testing.T) {
	types := wearables.SeriesTypes()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 20).Draw(t, "n")
		b := &wearables.Batch{UserID: "u"}
		for i := 0; i < n; i++ {
			// Mostly plausible samples, with every field sometimes just
			// outside its rule, so both verdicts are common.
			start := time.Unix(rapid.Int64Range(-1e12, 1e12).Draw(t, "start"), 0)
			if rapid.IntRange(0, 3).Draw(t, "near the bounds") > 0 {
				bound := rapid.SampledFrom([]time.Time{earliestTime, latestTime, benchStart}).Draw(t, "bound")
				start = bound.Add(time.Duration(rapid.Int64Range(-2e9, 2e9).Draw(t, "from bound")))
			}
			typ := wearables.SeriesType(rapid.IntRange(0, len(types)+2).Draw(t, "type"))
			v := rapid.Float64().Draw(t, "v")
			if info, ok := typ.Info(); ok && rapid.Bool().Draw(t, "in range") {
				v = info.Min + (info.Max-info.Min)*rapid.Float64Range(-0.01, 1.01).Draw(t, "fraction")
			}
			off := wearables.Offset(rapid.Int32().Draw(t, "off"))
			if rapid.Bool().Draw(t, "small offset") {
				off = wearables.Offset(rapid.Int32Range(-65000, 65000).Draw(t, "off"))
			}
			s := wearables.Sample{
				UserID: rapid.SampledFrom([]string{"", "", "u", "v"}).Draw(t, "user"),
				Source: rapid.SampledFrom([]wearables.Source{srcWatch, srcOura, {Provider: "x"}, {}, {Provider: "x", DeviceType: "toaster"},
					{Provider: "x", RecordingMethod: wearables.RecordingManual}, {Provider: "x", RecordingMethod: "guessed"}}).Draw(t, "source"),
				Type:   typ,
				Start:  start,
				Value:  v,
				Offset: off,
			}
			if rapid.Bool().Draw(t, "interval") {
				s.End = start.Add(time.Duration(rapid.Int64Range(-1e15, 1e15).Draw(t, "span")))
				if rapid.Bool().Draw(t, "short interval") {
					s.End = start.Add(MaxSampleSpan + time.Duration(rapid.Int64Range(-1e9, 1e9).Draw(t, "around the longest")))
				}
			}
			b.Samples = append(b.Samples, s)
		}
		// The batch fast path and validator's struct-level rule agree, and
		// the kept samples are the valid ones in their original order.
		v := NewValidator()
		wantRejected := 0
		var wantKept []wearables.Sample
		for _, s := range b.Samples {
			if (s.UserID != "" && s.UserID != b.UserID) || v.Sample(s) != nil {
				wantRejected++
			} else {
				wantKept = append(wantKept, s)
			}
		}
		rej := ValidateBatch(b)
		if len(rej) != wantRejected {
			t.Fatalf("batch rejected %d, validator %d", len(rej), wantRejected)
		}
		for i := range wantKept {
			if !sameSample(b.Samples[i], wantKept[i]) {
				t.Fatalf("kept sample %d is %+v, want %+v", i, b.Samples[i], wantKept[i])
			}
		}
		if len(rej)+len(b.Samples) != n {
			t.Fatalf("%d rejected + %d kept != %d", len(rej), len(b.Samples), n)
		}
		if err := b.Validate(); err != nil {
			t.Fatalf("kept an invalid sample: %v", err)
		}
		for _, r := range rej {
			if r.Reason == "" || strings.Contains(r.Reason, "%!") {
				t.Fatalf("bad reason %q", r.Reason)
			}
		}
	})
}

// The batch path runs the event rules without validator's reflection; it
// must reach exactly validator's verdict, field and reason.
func TestEventFastPathMatchesValidatorProperty(t *testing.T) {
	v := NewValidator()
	maybe := func(t *rapid.T, name string, lo, hi float64) *float64 {
		if rapid.Bool().Draw(t, name+"?") {
			return nil
		}
		x := rapid.Float64Range(lo, hi).Draw(t, name)
		return &x
	}
	same := func(t *rapid.T, slow, quick error) {
		if (slow == nil) != (quick == nil) {
			t.Fatalf("validator %v, fast path %v", slow, quick)
		}
		if slow != nil && slow.Error() != quick.Error() {
			t.Fatalf("validator %q, fast path %q", slow, quick)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		start := time.Unix(rapid.Int64Range(0, 8e9).Draw(t, "start"), 0).UTC()
		end := start.Add(time.Duration(rapid.Int64Range(-2, 40).Draw(t, "hours")) * time.Hour)
		w := wearables.Workout{Source: srcWatch, ProviderRecordID: rapid.SampledFrom([]string{"", "w"}).Draw(t, "id"),
			Type:  wearables.WorkoutType(rapid.IntRange(0, 200).Draw(t, "type")),
			Start: start, End: end, Offset: wearables.Offset(rapid.Int32Range(-90000, 90000).Draw(t, "off")),
			MovingTime: time.Duration(rapid.Int64Range(-1, 50).Draw(t, "moving")) * time.Hour,
			Distance:   maybe(t, "dist", -10, 1e6), AvgHR: maybe(t, "avg", -1, 400), MaxHR: maybe(t, "max", -1, 400), MinHR: maybe(t, "min", -1, 400),
			ElevationGain: maybe(t, "gain", -1, 1e5), AvgSpeed: maybe(t, "speed", -1, 500)}
		same(t, v.Workout(w), fast(wearables.KindWorkout, "", "", &w, workoutRules))

		s := wearables.Sleep{Source: srcOura, ProviderRecordID: rapid.SampledFrom([]string{"", "s"}).Draw(t, "sid"),
			Start: start, End: end, Offset: w.Offset, Efficiency: maybe(t, "eff", -5, 120), AvgHR: maybe(t, "shr", -1, 400)}
		s.Totals.Deep = time.Duration(rapid.Int64Range(0, 40).Draw(t, "deep")) * time.Hour
		same(t, v.Sleep(s), fast(wearables.KindSleep, "", "", &s, sleepRules))

		sc := wearables.Score{Source: srcOura, Kind: rapid.SampledFrom([]wearables.ScoreKind{"", wearables.ScoreReadiness}).Draw(t, "kind"),
			ProviderRecordID: "r", Date: wearables.DateOf(start), Value: rapid.Float64Range(-10, 110).Draw(t, "value"), Max: 100}
		same(t, v.Score(sc), fast(wearables.KindScore, "", "", &sc, scoreRules))

		d := wearables.DailySummary{Source: srcOura, Kind: wearables.SummaryActivity, Date: wearables.DateOf(start),
			Values: map[wearables.SeriesType]float64{wearables.SeriesSteps: rapid.Float64Range(-10, 2e5).Draw(t, "steps")}}
		same(t, v.Summary(d), fast(wearables.KindDailySummary, "", "", &d, summaryRules))
	})
}

// sameSample compares samples field by field, NaN equal to NaN.
func sameSample(a, b wearables.Sample) bool {
	return a.UserID == b.UserID && a.Source == b.Source && a.Type == b.Type && a.Start.Equal(b.Start) &&
		a.End.Equal(b.End) && a.Offset == b.Offset &&
		(a.Value == b.Value || math.IsNaN(a.Value) && math.IsNaN(b.Value))
}

// The per-sample range check reads a table built from the catalog; it must
// give the catalog entry's verdict and reason for every type and value.
func TestRangeTableMatchesCatalogProperty(t *testing.T) {
	types := wearables.SeriesTypes()
	rapid.Check(t, func(t *rapid.T) {
		typ := wearables.SeriesType(rapid.IntRange(0, len(types)+2).Draw(t, "type"))
		v := rapid.OneOf(rapid.Float64(), rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, -0.5})).Draw(t, "v")
		if info, ok := typ.Info(); ok && rapid.Bool().Draw(t, "at a bound") {
			v = rapid.SampledFrom([]float64{info.Min, info.Max, math.Nextafter(info.Min, math.Inf(-1)), math.Nextafter(info.Max, math.Inf(1))}).Draw(t, "bound")
		}
		gotReason, gotOK := rangeReason(typ, v)
		wantReason, wantOK := rangeProblem(typ, v)
		if gotOK != wantOK || gotReason != wantReason {
			t.Fatalf("%s %v: table (%q, %v), catalog (%q, %v)", typ, v, gotReason, gotOK, wantReason, wantOK)
		}
	})
}
