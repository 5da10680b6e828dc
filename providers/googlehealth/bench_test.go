package googlehealth

import (
	"bytes"
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
// 1.5). Pages are the recorded ones and full pages built from them (1440
// points, Google's default page; 25 sessions, its maximum):
//
//	go test ./providers/googlehealth -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	window := [2]time.Time{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		name    string
		file    string
		dt      wearables.DataType
		records int // points per page; 0 keeps the recorded page
	}{
		{"steps", "steps_1.json", DataSteps, 0},
		{"steps_1440", "steps_1.json", DataSteps, 1440},
		{"heart_rate_1440", "heart_rate_1.json", DataHeartRate, 1440},
		{"weight", "weight.json", wearables.DataBody, 0},
		{"sleep", "sleep_1.json", wearables.DataSleep, 0},
		{"sleep_25", "sleep_2.json", wearables.DataSleep, 25},
		{"exercise", "exercise_1.json", wearables.DataWorkouts, 0},
		{"exercise_25", "exercise_1.json", wearables.DataWorkouts, 25},
	} {
		body, err := os.ReadFile("testdata/" + c.file)
		if err != nil {
			b.Fatal(err)
		}
		if c.records > 0 {
			body = grow(b, body, c.records)
		}
		f, _ := feedFor(c.dt)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var decode, full time.Duration
			for b.Loop() {
				t0 := time.Now()
				var raw rawListPage
				if err := json.Unmarshal(body, &raw); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				var pg rawListPage
				if err := json.Unmarshal(body, &pg); err != nil {
					b.Fatal(err)
				}
				res := normalizePage(f, &pg, window[0], window[1])
				t2 := time.Now()
				if res.Records.Len() == 0 {
					b.Fatal("no records")
				}
				decode += t1.Sub(t0)
				full += t2.Sub(t1)
			}
			b.ReportMetric(float64(decode.Nanoseconds())/float64(b.N), "decode-ns/op")
			b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "normalize-ns/op")
			b.ReportMetric(float64(full)/float64(decode), "ratio")
		})
	}
}

// grow returns a page of n data points made by repeating the recorded
// page's points, byte for byte.
func grow(b *testing.B, body []byte, n int) []byte {
	var pg struct {
		DataPoints []json.RawMessage `json:"dataPoints"`
	}
	if err := json.Unmarshal(body, &pg); err != nil || len(pg.DataPoints) == 0 {
		b.Fatalf("grow: %v", err)
	}
	var out bytes.Buffer
	out.WriteString(`{"dataPoints":[`)
	for i := range n {
		if i > 0 {
			out.WriteByte(',')
		}
		out.Write(pg.DataPoints[i%len(pg.DataPoints)])
	}
	out.WriteString(`]}`)
	return out.Bytes()
}
