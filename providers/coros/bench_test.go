package coros

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"
)

// BenchmarkNormalize measures what normalization costs on top of
// decoding, per page. Each iteration runs the baseline — json.Unmarshal
// into the raw types alone — and then Fetch's pipeline on the same body —
// decode, result check, normalize, plausibility checks — timing each, so
// both are measured in the same run under the same load. It reports
// decode-ns/op, normalize-ns/op (the whole pipeline) and their ratio (the
// target is ≤ 1.5). The recorded March page is grown to a month of a
// busy athlete (100 workouts) and a season (500):
//
//	go test ./providers/coros -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	raw, err := os.ReadFile("testdata/workouts_march.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"recorded", 0}, {"workouts_100", 100}, {"workouts_500", 500}} {
		body := raw
		if c.n > 0 {
			body = grow(b, raw, c.n)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var dec, full time.Duration
			for b.Loop() {
				t0 := time.Now()
				var env rawEnvelope
				if err := json.Unmarshal(body, &env); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := decodeList(body); err != nil {
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

// grow repeats the recorded workouts until the page holds n, each with
// its own labelId.
func grow(b *testing.B, body []byte, n int) []byte {
	b.Helper()
	var page map[string]any
	if err := json.Unmarshal(body, &page); err != nil {
		b.Fatal(err)
	}
	items := page["data"].([]any)
	out := make([]any, 0, n)
	for i := range n {
		w := map[string]any{}
		for k, v := range items[i%len(items)].(map[string]any) {
			w[k] = v
		}
		w["labelId"] = strconv.FormatInt(500000000000000000+int64(i), 10)
		out = append(out, w)
	}
	page["data"] = out
	res, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	return res
}
