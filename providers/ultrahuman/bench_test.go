package ultrahuman

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// BenchmarkNormalize measures what normalization costs on top of
// decoding, per page (one day). Each iteration runs the baseline —
// json.Unmarshal into the raw types alone — and then Fetch's pipeline on
// the same body — decode, normalize, plausibility checks — timing each,
// so both are measured in the same run under the same load. It reports
// decode-ns/op, normalize-ns/op (the whole pipeline) and their ratio (the
// target is ≤ 1.5). The recorded full day is grown to a worn day: every
// time series at 5-minute resolution (288 points), glucose every 15
// minutes:
//
//	go test ./providers/ultrahuman -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	raw, err := os.ReadFile("testdata/metrics_2024-03-30.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		body []byte
	}{
		{"recorded_day", raw},
		{"worn_day_5min", grow(b, raw)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			var dec, full time.Duration
			for b.Loop() {
				t0 := time.Now()
				var doc rawResponse
				if err := json.Unmarshal(c.body, &doc); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := decode(c.body); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				dec += t1.Sub(t0)
				full += t2.Sub(t1)
			}
			b.ReportMetric(float64(dec.Nanoseconds())/float64(b.N), "decode-ns/op")
			b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "normalize-ns/op")
			b.ReportMetric(float64(full)/float64(dec), "ratio")
		})
	}
}

// grow fills every values array of a day with points every 5 minutes (15
// for glucose) from the day's start, cycling the recorded values.
func grow(b *testing.B, body []byte) []byte {
	b.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		b.Fatal(err)
	}
	data := doc["data"].(map[string]any)
	for _, m := range data["metric_data"].([]any) {
		obj, _ := m.(map[string]any)["object"].(map[string]any)
		vals, ok := obj["values"].([]any)
		if !ok || len(vals) == 0 {
			continue
		}
		step, n := 300.0, 288
		if m.(map[string]any)["type"] == "glucose" {
			step, n = 900, 96
		}
		start := obj["day_start_timestamp"].(float64)
		out := make([]any, n)
		for i := range out {
			v := vals[i%len(vals)].(map[string]any)["value"]
			if v == nil || v == 0.0 {
				v = 57.0
			}
			out[i] = map[string]any{"value": v, "timestamp": start + float64(i)*step + 17}
		}
		obj["values"] = out
	}
	out, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	return out
}
