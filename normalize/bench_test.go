package normalize

import (
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// Benchmarks report samples/s; the targets are ≥ 10,000,000/s for
// resampling 1,000,000 samples to 1 min and ≥ 5,000,000/s for merging two
// overlapping 1 Hz sources over 24 h. BenchmarkResampleBaselineMap is the
// naive map-and-time.Time approach, measured in the same run for a ratio.
//
//	go test ./normalize -run '^$' -bench . -benchtime 20x

func hrSeries(src wearables.Source, start time.Time, n int, step time.Duration) []wearables.Sample {
	ss := make([]wearables.Sample, n)
	for i := range ss {
		ss[i] = wearables.Sample{Source: src, Type: wearables.SeriesHeartRate, Start: start.Add(time.Duration(i) * step),
			Offset: 3600, Value: 60 + float64(i%60)}
	}
	return ss
}

func stepSeries(src wearables.Source, start time.Time, n int, step time.Duration) []wearables.Sample {
	ss := make([]wearables.Sample, n)
	for i := range ss {
		at := start.Add(time.Duration(i) * step)
		ss[i] = wearables.Sample{Source: src, Type: wearables.SeriesSteps, Start: at, End: at.Add(step), Offset: 3600, Value: float64(i % 3)}
	}
	return ss
}

func reportRate(b *testing.B, perOp int) {
	b.ReportMetric(float64(perOp)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

var benchStart = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

func benchResample(b *testing.B, ss []wearables.Sample, opts ResampleOptions) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Resample(ss, opts); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, len(ss))
}

// 1,000,000 heart-rate samples at 1 Hz (11.6 days) to 1-minute averages.
func BenchmarkResample1MHeartRate1Min(b *testing.B) {
	benchResample(b, hrSeries(srcWatch, benchStart, 1_000_000, time.Second), ResampleOptions{Resolution: Minute})
}

// The same in a DST zone across the March change (non-uniform grid).
func BenchmarkResample1MHeartRate1MinWarsaw(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		b.Fatal(err)
	}
	benchResample(b, hrSeries(srcWatch, time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC), 1_000_000, time.Second), ResampleOptions{Resolution: Minute, Zone: loc})
}

// 1,000,000 interval step samples of 1 s to 1-minute sums (split by overlap).
func BenchmarkResample1MSteps1Min(b *testing.B) {
	benchResample(b, stepSeries(srcWatch, benchStart, 1_000_000, time.Second), ResampleOptions{Resolution: Minute})
}

// Baseline: the naive approach, a map keyed by truncated time.Time.
func BenchmarkResampleBaselineMap(b *testing.B) {
	ss := hrSeries(srcWatch, benchStart, 1_000_000, time.Second)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		type agg struct {
			sum float64
			n   int
		}
		m := map[time.Time]*agg{}
		for _, s := range ss {
			k := s.Start.Truncate(time.Minute)
			a := m[k]
			if a == nil {
				a = &agg{}
				m[k] = a
			}
			a.sum += s.Value
			a.n++
		}
	}
	reportRate(b, len(ss))
}

func benchMerge(b *testing.B, ss []wearables.Sample, opts MergeOptions) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Merge(ss, opts); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, len(ss))
}

// Two overlapping 1 Hz heart-rate sources over 24 h, merged per minute.
func BenchmarkMergeTwo1HzSources24hHeartRate(b *testing.B) {
	ss := append(hrSeries(srcWatch, benchStart, 86400, time.Second), hrSeries(srcOura, benchStart.Add(500*time.Millisecond), 86400, time.Second)...)
	benchMerge(b, ss, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Minute}})
}

// Two overlapping 1 Hz step sources over 24 h, merged per minute into
// hourly sums.
func BenchmarkMergeTwo1HzSources24hSteps(b *testing.B) {
	ss := append(stepSeries(srcWatch, benchStart, 86400, time.Second), stepSeries(srcPhone, benchStart, 86400, time.Second)...)
	benchMerge(b, ss, MergeOptions{ResampleOptions: ResampleOptions{Resolution: Hour}})
}

// Validation of a 100,000-sample batch (go-playground/validator struct-level
// rules plus catalog ranges).
func BenchmarkValidateBatch100k(b *testing.B) {
	ss := hrSeries(srcWatch, benchStart, 100_000, time.Second)
	batch := &wearables.Batch{UserID: "u"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		batch.Samples = append(batch.Samples[:0], ss...)
		if rej := ValidateBatch(batch); len(rej) != 0 {
			b.Fatal(rej)
		}
	}
	reportRate(b, len(ss))
}
