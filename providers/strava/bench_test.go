package strava

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// BenchmarkNormalize measures what normalization costs on top of decoding.
// Each iteration runs the baseline — json.Unmarshal of the body into the
// raw types alone — and then Fetch's pipeline on the same body — decode,
// normalize, normalize.ValidateBatch — timing each, so both are measured in
// the same run under the same load. It reports decode-ns/op, full-ns/op
// and their ratio (the target is ≤ 1.5):
//
//	go test ./providers/strava -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	page, err := os.ReadFile("testdata/activities_1.json")
	if err != nil {
		b.Fatal(err)
	}
	detail, err := os.ReadFile("testdata/activity_11029583461.json")
	if err != nil {
		b.Fatal(err)
	}
	ride := rawActivity{ID: "1", SportType: "Ride", StartDate: "2024-04-06T17:30:04Z", UTCOffset: ptr(7200)}
	for _, c := range []struct {
		name     string
		body     []byte
		records  int
		baseline func([]byte) error
		full     func([]byte) (wearables.Batch, error)
	}{
		{"list_page_3", page, 3, unmarshal[[]rawActivity], workoutsOf(false)},
		{"list_page_200", repeatPage(page, 67), 201, unmarshal[[]rawActivity], workoutsOf(false)},
		{"detail", detail, 1, unmarshal[rawActivity], workoutsOf(true)},
		{"streams_1h", syntheticStreams(3600), 3600 * 8, unmarshal[rawStreamSet], func(body []byte) (wearables.Batch, error) {
			var set rawStreamSet
			if err := json.Unmarshal(body, &set); err != nil {
				return wearables.Batch{}, err
			}
			var bt wearables.Batch
			bt.Samples, _ = normalizeStreams(&ride, &set, nil)
			normalize.ValidateBatch(&bt)
			return bt, nil
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			var decode, full time.Duration
			n := 0
			for b.Loop() {
				t0 := time.Now()
				if err := c.baseline(c.body); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				bt, err := c.full(c.body)
				if err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				decode += t1.Sub(t0)
				full += t2.Sub(t1)
				n = len(bt.Workouts) + len(bt.Samples)
			}
			if n == 0 {
				b.Fatal("nothing normalized")
			}
			b.ReportMetric(float64(decode.Nanoseconds())/float64(b.N), "decode-ns/op")
			b.ReportMetric(float64(full.Nanoseconds())/float64(b.N), "full-ns/op")
			b.ReportMetric(float64(full)/float64(decode), "ratio")
			b.ReportMetric(float64(c.records)*float64(b.N)/full.Seconds(), "records/s")
		})
	}
}

func unmarshal[T any](body []byte) error {
	var v T
	return json.Unmarshal(body, &v)
}

// workoutsOf is Fetch's workout pipeline over a list page (or one detailed
// activity).
func workoutsOf(one bool) func([]byte) (wearables.Batch, error) {
	return func(body []byte) (wearables.Batch, error) {
		var list []rawActivity
		if one {
			list = make([]rawActivity, 1)
			if err := json.Unmarshal(body, &list[0]); err != nil {
				return wearables.Batch{}, err
			}
		} else if err := json.Unmarshal(body, &list); err != nil {
			return wearables.Batch{}, err
		}
		var bt wearables.Batch
		for i := range list {
			if w, rej := normalizeActivity(&list[i]); rej == nil {
				bt.Workouts = append(bt.Workouts, w)
			}
		}
		normalize.ValidateBatch(&bt)
		return bt, nil
	}
}

// repeatPage builds a page of n times the activities of a recorded page,
// as a full 200-activity page would be.
func repeatPage(page []byte, n int) []byte {
	inner := bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSpace(page), []byte("[")), []byte("]"))
	var out bytes.Buffer
	out.WriteByte('[')
	for i := range n {
		if i > 0 {
			out.WriteByte(',')
		}
		out.Write(inner)
	}
	out.WriteByte(']')
	return out.Bytes()
}

// syntheticStreams is a streams body of an hour-long ride recorded every
// second, in Strava's key_by_type shape, with a power dropout.
func syntheticStreams(n int) []byte {
	var buf bytes.Buffer
	stream := func(name string, v func(i int) string) {
		fmt.Fprintf(&buf, "%q:{\"data\":[", name)
		for i := range n {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(v(i))
		}
		fmt.Fprintf(&buf, "],\"series_type\":\"distance\",\"original_size\":%d,\"resolution\":\"high\"}", n)
	}
	buf.WriteByte('{')
	stream("latlng", func(i int) string {
		return fmt.Sprintf("[%.6f,%.6f]", 52.5+0.0001*math.Sin(float64(i)/300), 13.4+0.0001*float64(i%600))
	})
	buf.WriteByte(',')
	stream("velocity_smooth", func(i int) string { return fmt.Sprintf("%.1f", 7+math.Sin(float64(i)/60)) })
	buf.WriteByte(',')
	stream("heartrate", func(i int) string { return fmt.Sprint(120 + i%40) })
	buf.WriteByte(',')
	stream("cadence", func(i int) string { return fmt.Sprint(80 + i%15) })
	buf.WriteByte(',')
	stream("watts", func(i int) string {
		if i%900 < 5 {
			return "null"
		}
		return fmt.Sprint(150 + i%120)
	})
	buf.WriteByte(',')
	stream("altitude", func(i int) string { return fmt.Sprintf("%.1f", 40+10*math.Sin(float64(i)/500)) })
	buf.WriteByte(',')
	stream("distance", func(i int) string { return fmt.Sprintf("%.1f", 7.2*float64(i)) })
	buf.WriteByte(',')
	stream("time", func(i int) string { return fmt.Sprint(i) })
	buf.WriteByte('}')
	return buf.Bytes()
}
