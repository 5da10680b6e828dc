package oura

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// BenchmarkNormalize measures what normalization costs on top of decoding,
// per recorded page. Each iteration runs the baseline — json.Unmarshal
// into the raw types alone — and then Fetch's pipeline on the same body —
// decode, normalize, plausibility checks — timing each, so both are
// measured in the same run under the same load. It reports decode-ns/op,
// normalize-ns/op and their ratio (the target is ≤ 1.5):
//
//	go test ./providers/oura -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	for _, c := range []struct {
		name, file string
		baseline   func([]byte) error
		dataType   wearables.DataType
		w          window
	}{
		{"sleep", "sleep_1.json", unmarshal[rawSleep], wearables.DataSleep, window{}},
		{"daily_activity", "daily_activity.json", unmarshal[rawDailyActivity], DataDailyActivity, window{}},
		{"heartrate", "heartrate_3.json", unmarshal[rawHeartRate], DataHeartRate,
			window{time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 15, 0, 0, 0, 0, time.UTC)}},
		{"workouts", "workouts_1.json", unmarshal[rawWorkout], wearables.DataWorkouts, window{}},
		{"session", "session.json", unmarshal[rawSession], DataSessions, window{}},
	} {
		body, err := os.ReadFile("testdata/" + c.file)
		if err != nil {
			b.Fatal(err)
		}
		e, _ := endpointFor(c.dataType)
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
				res, _, err := e.decode.decode(body)
				if err != nil {
					b.Fatal(err)
				}
				finish(res, c.w)
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
	var pg page[T]
	return json.Unmarshal(body, &pg)
}
