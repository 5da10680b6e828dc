package whoop

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
// 1.5). Pages are the recorded ones (3 records) and full 25-record pages
// built from them:
//
//	go test ./providers/whoop -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	for _, c := range []struct {
		name      string
		files     []string // the page; for cycles, the cycles page and its recoveries
		records   int      // records per page; 0 keeps the recorded page
		baseline  func(bodies [][]byte) error
		normalize func(bodies [][]byte) (wearables.FetchResult, error)
	}{
		{"cycles", []string{"cycles_1.json", "recovery_1.json"}, 0, decodeCycles, normalizeCyclesPage},
		{"cycles_25", []string{"cycles_1.json", "recovery_1.json"}, MaxPageSize, decodeCycles, normalizeCyclesPage},
		{"sleep", []string{"sleep_1.json"}, 0, decodeOnly[rawSleep], normalizeWith(normalizeSleeps)},
		{"sleep_25", []string{"sleep_1.json"}, MaxPageSize, decodeOnly[rawSleep], normalizeWith(normalizeSleeps)},
		{"workouts", []string{"workouts_1.json"}, 0, decodeOnly[rawWorkout], normalizeWith(normalizeWorkouts)},
		{"workouts_25", []string{"workouts_1.json"}, MaxPageSize, decodeOnly[rawWorkout], normalizeWith(normalizeWorkouts)},
	} {
		bodies := make([][]byte, len(c.files))
		size := 0
		for i, f := range c.files {
			body, err := os.ReadFile("testdata/" + f)
			if err != nil {
				b.Fatal(err)
			}
			if c.records > 0 {
				body = grow(b, body, c.records)
			}
			bodies[i] = body
			size += len(body)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			var decode, full time.Duration
			for b.Loop() {
				t0 := time.Now()
				if err := c.baseline(bodies); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				res, err := c.normalize(bodies)
				if err != nil {
					b.Fatal(err)
				}
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

func decodeOnly[T any](bodies [][]byte) error {
	var pg page[T]
	return json.Unmarshal(bodies[0], &pg)
}

func normalizeWith[T any](normalize func([]T) wearables.FetchResult) func([][]byte) (wearables.FetchResult, error) {
	return func(bodies [][]byte) (wearables.FetchResult, error) {
		var pg page[T]
		if err := json.Unmarshal(bodies[0], &pg); err != nil {
			return wearables.FetchResult{}, err
		}
		return normalize(pg.Records), nil
	}
}

func decodeCycles(bodies [][]byte) error {
	var cycles page[rawCycle]
	var recs page[rawRecovery]
	if err := json.Unmarshal(bodies[0], &cycles); err != nil {
		return err
	}
	return json.Unmarshal(bodies[1], &recs)
}

func normalizeCyclesPage(bodies [][]byte) (wearables.FetchResult, error) {
	var cycles page[rawCycle]
	var recs page[rawRecovery]
	if err := json.Unmarshal(bodies[0], &cycles); err != nil {
		return wearables.FetchResult{}, err
	}
	if err := json.Unmarshal(bodies[1], &recs); err != nil {
		return wearables.FetchResult{}, err
	}
	return normalizeCycles(cycles.Records, recs.Records), nil
}

// grow returns a page of n records made by repeating the recorded page's
// records, byte for byte (ids repeat, which normalization does not mind).
func grow(b *testing.B, body []byte, n int) []byte {
	var pg struct {
		Records []json.RawMessage `json:"records"`
	}
	if err := json.Unmarshal(body, &pg); err != nil || len(pg.Records) == 0 {
		b.Fatalf("grow: %v", err)
	}
	var out bytes.Buffer
	out.WriteString(`{"records":[`)
	for i := range n {
		if i > 0 {
			out.WriteByte(',')
		}
		out.Write(pg.Records[i%len(pg.Records)])
	}
	out.WriteString(`]}`)
	return out.Bytes()
}
