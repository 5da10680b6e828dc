package normalize

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/wearables-go/wearables"
)

func TestSourceRanker(t *testing.T) {
	garminWatch := wearables.Source{Provider: wearables.ProviderGarmin, DeviceModel: "FR965", DeviceType: wearables.DeviceWatch}
	manualApp := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceType: wearables.DeviceApp, RecordingMethod: wearables.RecordingManual}
	all := []wearables.Source{srcPhone, manualApp, srcOura, srcWatch, garminWatch}

	t.Run("defaults: device order, then automatic before manual", func(t *testing.T) {
		r := NewSourceRanker(nil, "steps")
		assert.Equal(t, []wearables.Source{srcWatch, garminWatch, srcOura, srcPhone, manualApp}, r.Rank(all))
	})
	t.Run("providers first", func(t *testing.T) {
		r := NewSourceRanker([]wearables.SourcePriority{
			{DataType: "*", Providers: []wearables.ProviderID{wearables.ProviderGarmin}},
			{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderOura, wearables.ProviderAppleHealth}, DeviceTypes: []wearables.DeviceType{wearables.DevicePhone}},
		}, "steps")
		assert.Equal(t, []wearables.Source{srcOura, srcPhone, srcWatch, manualApp, garminWatch}, r.Rank(all))
	})
	t.Run("star applies to types without their own entry", func(t *testing.T) {
		r := NewSourceRanker([]wearables.SourcePriority{
			{DataType: "*", Providers: []wearables.ProviderID{wearables.ProviderOura}},
			{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderGarmin}},
		}, "heart_rate")
		assert.Equal(t, srcOura, r.Rank(all)[0])
	})
	t.Run("ties by key, deterministic", func(t *testing.T) {
		a := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "A", DeviceType: wearables.DeviceWatch}
		b := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "B", DeviceType: wearables.DeviceWatch}
		r := NewSourceRanker(nil, "steps")
		assert.Negative(t, r.Compare(a, b))
		assert.Positive(t, r.Compare(b, a))
		assert.Zero(t, r.Compare(a, a))
	})
}

func TestMergeFillsGapsNeverSums(t *testing.T) {
	// The watch counts steps 10:00–12:00 except 11:00–11:30 (off the wrist);
	// the phone counts a little less, all the time.
	var ss []wearables.Sample
	for m := 0; m < 120; m++ {
		ts := utc("2024-03-09T10:00:00Z").Add(time.Duration(m) * time.Minute)
		if m < 60 || m >= 90 {
			ss = append(ss, wearables.Sample{Source: srcWatch, Type: wearables.SeriesSteps, Start: ts, End: ts.Add(time.Minute), Offset: 0, Value: 100})
		}
		ss = append(ss, wearables.Sample{Source: srcPhone, Type: wearables.SeriesSteps, Start: ts, End: ts.Add(time.Minute), Offset: 0, Value: 80})
	}
	s, err := Merge(ss, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Hour}})
	require.NoError(t, err)
	require.Equal(t, []wearables.Source{srcWatch, srcPhone}, s.Sources)
	require.Len(t, s.Buckets, 2)
	assert.Equal(t, 6000.0, s.Buckets[0].Value)
	assert.Equal(t, []int{0}, s.Buckets[0].Sources)
	assert.Equal(t, 30*80.0+30*100.0, s.Buckets[1].Value, "the phone fills the half hour the watch was off")
	assert.Equal(t, []int{0, 1}, s.Buckets[1].Sources)

	// The user prefers the phone: it wins everywhere.
	s, err = Merge(ss, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Day},
		Priorities: []wearables.SourcePriority{{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderAppleHealth}, DeviceTypes: []wearables.DeviceType{wearables.DevicePhone}}}})
	require.NoError(t, err)
	require.Len(t, s.Buckets, 1)
	assert.Equal(t, 120*80.0, s.Buckets[0].Value)
	assert.Equal(t, srcPhone, s.Sources[s.Buckets[0].Sources[0]])

	// Granularity equal to the resolution: one source per hour.
	s, err = Merge(ss, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Hour}, Granularity: Hour})
	require.NoError(t, err)
	assert.Equal(t, 30*100.0, s.Buckets[1].Value)
	assert.Equal(t, []int{0}, s.Buckets[1].Sources)
}

func TestMergeHeartRateAndWeight(t *testing.T) {
	ring := func(at string, v float64) wearables.Sample {
		return wearables.Sample{Source: srcOura, Type: wearables.SeriesHeartRate, Start: utc(at), Value: v}
	}
	ss := []wearables.Sample{hr("2024-03-09T10:00:10Z", 60), hr("2024-03-09T10:00:20Z", 70), ring("2024-03-09T10:00:30Z", 100), ring("2024-03-09T10:01:30Z", 90)}
	s, err := Merge(ss, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Minute}})
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"2024-03-09T10:00:00Z": 65, "2024-03-09T10:01:00Z": 90}, values(s))
	assert.Equal(t, 2, s.Buckets[0].Count)

	// Weight: the day's last value from the preferred scale, not the last overall.
	scale := wearables.Source{Provider: wearables.ProviderWithings, DeviceType: wearables.DeviceScale, DeviceModel: "Body+"}
	manual := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceType: wearables.DeviceApp, RecordingMethod: wearables.RecordingManual}
	ws := []wearables.Sample{
		{Source: scale, Type: wearables.SeriesWeight, Start: utc("2024-03-09T07:00:00Z"), Value: 80.4},
		{Source: manual, Type: wearables.SeriesWeight, Start: utc("2024-03-09T20:00:00Z"), Value: 79},
	}
	s, err = Merge(ws, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Day}})
	require.NoError(t, err)
	require.Len(t, s.Buckets, 1)
	assert.Equal(t, 80.4, s.Buckets[0].Value)
	assert.Equal(t, scale, s.Sources[s.Buckets[0].Sources[0]])
}

func TestDailyTotals(t *testing.T) {
	warsaw := mustLoad(t, "Europe/Warsaw")
	ss := []wearables.Sample{
		// 23:30 on the 30th Warsaw time, with its offset.
		{Source: srcWatch, Type: wearables.SeriesSteps, Start: utc("2024-03-30T22:30:00Z"), End: utc("2024-03-30T22:40:00Z"), Offset: off("+01:00"), Value: 500},
		{Source: srcPhone, Type: wearables.SeriesSteps, Start: utc("2024-03-30T22:30:00Z"), End: utc("2024-03-30T22:40:00Z"), Offset: off("+01:00"), Value: 450},
		// The spring-forward day.
		{Source: srcPhone, Type: wearables.SeriesSteps, Start: utc("2024-03-31T10:00:00Z"), End: utc("2024-03-31T10:30:00Z"), Offset: off("+02:00"), Value: 3000},
	}
	s, err := DailyTotals(ss, nil, wearables.Date{Year: 2024, Month: 3, Day: 30}, wearables.Date{Year: 2024, Month: 3, Day: 31}, warsaw)
	require.NoError(t, err)
	require.Len(t, s.Buckets, 2)
	assert.Equal(t, "2024-03-30", s.Buckets[0].Date.String())
	assert.InDelta(t, 500, s.Buckets[0].Value, 1e-9)
	assert.Equal(t, "2024-03-31", s.Buckets[1].Date.String())
	assert.InDelta(t, 3000, s.Buckets[1].Value, 1e-9)
	assert.Equal(t, 23*time.Hour, s.Buckets[1].End.Sub(s.Buckets[1].Start))
}

func TestMergeErrors(t *testing.T) {
	_, err := Merge([]wearables.Sample{hr("2024-03-09T10:00:00Z", 60)}, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Hour}, Granularity: Resolution(7 * time.Minute)})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = Merge([]wearables.Sample{hr("2024-03-09T10:00:00Z", 60)}, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Minute}, Granularity: Hour})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	s, err := Merge(nil, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Minute}})
	require.NoError(t, err)
	assert.Empty(t, s.Buckets)
}

// For sum types, every merged granularity bucket is one source's value
// there, so it never exceeds the largest source; and a merged total never
// exceeds the sum of the per-bucket maxima (it never sums sources).
func TestMergeNeverExceedsMaxProperty(t *testing.T) {
	srcs := []wearables.Source{srcWatch, srcPhone, srcOura}
	rapid.Check(t, func(t *rapid.T) {
		ss := genSteps(t, srcs)
		res := rapid.SampledFrom([]Resolution{Minute, FiveMinutes, FifteenMinutes, Hour}).Draw(t, "res")
		start, end := utc("2024-03-07T00:00:00Z"), utc("2024-03-13T00:00:00Z")
		merged, err := Merge(ss, MergeOptions{ResampleOptions: ResampleOptions{Resolution: res, Start: start, End: end}, Granularity: res})
		if err != nil {
			t.Fatal(err)
		}
		maxOf := map[time.Time]float64{}
		for _, src := range srcs {
			var mine []wearables.Sample
			for _, s := range ss {
				if s.Source == src {
					mine = append(mine, s)
				}
			}
			per, err := Resample(mine, ResampleOptions{Type: wearables.SeriesSteps, Resolution: res, Start: start, End: end})
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range per.Buckets {
				maxOf[b.Start] = math.Max(maxOf[b.Start], b.Value)
			}
		}
		for _, b := range merged.Buckets {
			if b.Value > maxOf[b.Start]+1e-9*math.Max(1, b.Value) {
				t.Fatalf("bucket %s: merged %v > max of sources %v", b.Start, b.Value, maxOf[b.Start])
			}
			if len(b.Sources) != 1 {
				t.Fatalf("bucket %s has %d sources at its own granularity", b.Start, len(b.Sources))
			}
		}
		// Coarser output: still at most the sum of the per-bucket maxima.
		daily, err := Merge(ss, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Day, Start: start, End: end, Days: DaysByZone}, Granularity: res})
		if err != nil {
			t.Fatal(err)
		}
		var total, bound float64
		for _, b := range daily.Buckets {
			total += b.Value
		}
		for _, v := range maxOf {
			bound += v
		}
		if total > bound+1e-6*math.Max(1, bound) {
			t.Fatalf("daily total %v exceeds the per-bucket maxima %v", total, bound)
		}
	})
}

func TestMergeSleep(t *testing.T) {
	night := func(src wearables.Source, id, start, end string) wearables.Sleep {
		return wearables.Sleep{Source: src, ProviderRecordID: id, Start: utc(start), End: utc(end)}
	}
	sessions := []wearables.Sleep{
		night(srcOura, "ring-night", "2024-03-09T22:30:00Z", "2024-03-10T06:30:00Z"),
		night(srcWatch, "watch-night", "2024-03-09T22:40:00Z", "2024-03-10T06:20:00Z"),
		night(srcPhone, "phone-inbed", "2024-03-09T22:00:00Z", "2024-03-10T07:00:00Z"),
		night(srcWatch, "watch-nap", "2024-03-10T13:00:00Z", "2024-03-10T13:40:00Z"),
		night(srcOura, "ring-partial", "2024-03-10T23:00:00Z", "2024-03-11T00:00:00Z"),
		night(srcWatch, "watch-night-2", "2024-03-10T22:50:00Z", "2024-03-11T06:00:00Z"),
	}
	ids := func(ss []wearables.Sleep) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.ProviderRecordID)
		}
		return out
	}
	// Defaults: watch before ring before phone.
	assert.Equal(t, []string{"watch-night", "watch-nap", "watch-night-2"}, ids(MergeSleep(sessions, nil)))
	// The user prefers Oura for sleep; the ring's one-hour partial record of
	// the second night does not cover half of it, so the watch keeps it.
	prio := []wearables.SourcePriority{{DataType: "sleep", Providers: []wearables.ProviderID{wearables.ProviderOura}}}
	assert.Equal(t, []string{"ring-night", "watch-nap", "watch-night-2"}, ids(MergeSleep(sessions, prio)))
	assert.Nil(t, MergeSleep(nil, nil))
}
