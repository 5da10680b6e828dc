package suunto

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// BenchmarkNormalize measures what normalization costs on top of decoding,
// per page. Each iteration runs the baseline — json.Unmarshal into the raw
// types alone — and then Fetch's pipeline on the same body — decode,
// normalize, plausibility checks — timing each, so both are measured in
// the same run under the same load. It reports decode-ns/op,
// normalize-ns/op (the whole pipeline) and their ratio (the target is ≤
// 1.5). Pages are the recorded ones grown to realistic sizes: a full
// workout page (100), a 28-day chunk of sleep (28 nights), about a week
// of 10-minute activity samples (1000 entries) and of recovery samples:
//
//	go test ./providers/suunto -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	for _, c := range []struct {
		name     string
		file     string
		items    int // items per page; 0 keeps the recorded page
		baseline func([]byte) error
		full     func([]byte) (wearables.FetchResult, error)
	}{
		{"workouts_100", "workouts_1.json", MaxPageSize, unmarshal[workoutPage], decodeWorkouts},
		{"sleep_28", "sleep.json", 28, unmarshal[[]rawEntry[rawSleep]], decodeList(normalizeSleep)},
		{"activity_1000", "activity_1.json", 1000, unmarshal[[]rawEntry[rawActivity]], decodeList(normalizeActivity)},
		{"recovery_1000", "recovery.json", 1000, unmarshal[[]rawEntry[rawRecovery]], decodeList(normalizeRecovery)},
		{"daily_statistics", "statistics.json", 0, unmarshal[[]rawStatistic], decodeStatistics},
		{"daily_statistics_28", "", 28, unmarshal[[]rawStatistic], decodeStatistics},
	} {
		var body []byte
		if c.file == "" {
			body = statisticsDays(b, c.items)
		} else {
			var err error
			if body, err = os.ReadFile("testdata/" + c.file); err != nil {
				b.Fatal(err)
			}
		}
		if c.items > 0 && c.file != "" {
			body = grow(b, body, c.items)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var decode, full time.Duration
			for b.Loop() {
				t0 := time.Now()
				if err := c.baseline(body); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := c.full(body); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				decode += t1.Sub(t0)
				full += t2.Sub(t1)
			}
			b.ReportMetric(float64(decode.Nanoseconds())/float64(b.N), "decode-ns/op")
			b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "normalize-ns/op")
			b.ReportMetric(float64(full)/float64(decode), "ratio")
		})
	}
}

func unmarshal[T any](body []byte) error {
	var v T
	return json.Unmarshal(body, &v)
}

// grow repeats the items of a recorded page (a bare array, or the
// payload of a workout page) until the page holds n.
func grow(b *testing.B, body []byte, n int) []byte {
	b.Helper()
	var page map[string]any
	if json.Unmarshal(body, &page) == nil {
		items := page["payload"].([]any)
		page["payload"] = repeat(items, n)
		out, err := json.Marshal(page)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	var items []any
	if err := json.Unmarshal(body, &items); err != nil {
		b.Fatal(err)
	}
	out, err := json.Marshal(repeat(items, n))
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func repeat(items []any, n int) []any {
	out := make([]any, 0, n)
	for len(out) < n {
		out = append(out, items[len(out)%len(items)])
	}
	return out
}

// statisticsDays builds a daily statistics body of n days of steps and
// energy from one source, as Suunto answers a 28-day request.
func statisticsDays(b *testing.B, n int) []byte {
	b.Helper()
	type sample struct {
		TimeISO8601 string   `json:"TimeISO8601"`
		Value       *float64 `json:"Value"`
	}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	series := func(name string, v float64) map[string]any {
		samples := make([]sample, n)
		for i := range samples {
			x := v + float64(i)
			samples[i] = sample{day.AddDate(0, 0, i).Format("2006-01-02T15:04:05.000"), &x}
		}
		return map[string]any{"Name": name, "Aggregation": "sum",
			"Sources": []any{map[string]any{"Name": "suunto-247-3e0f7c17-2775-477a-a12f-a50ff0170860", "Samples": samples}}}
	}
	body, err := json.Marshal([]any{series("energyconsumption", 9213805.5), series("stepcount", 11482)})
	if err != nil {
		b.Fatal(err)
	}
	return body
}
