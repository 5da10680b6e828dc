package withings

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// fullDay builds a getintradayactivity page of one busy day: an entry per
// minute with steps, floors, energy, distance and heart rate, as a
// ScanWatch syncs them, plus SpO2 and HRV every ten minutes — 1,440
// entries, the size of the largest page DataIntraday reads.
func fullDay() []byte {
	var b strings.Builder
	b.WriteString(`{"status":0,"body":{"series":{`)
	start := time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC).Unix()
	for i := range 1440 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":{"deviceid":"5a1e2f6c3b9d4e8f7a6b5c4d3e2f1a0b9c8d7e6f","model":"ScanWatch 2","model_id":94,`+
			`"steps":%d,"elevation":%d,"calories":%.2f,"distance":%.2f,"duration":60,"stroke":0,"pool_lap":0,"heart_rate":%d`,
			start+int64(i)*60, i%97, i%3/2, float64(i%50)/7, float64(i%97)*0.76, 55+i%60)
		if i%10 == 0 {
			fmt.Fprintf(&b, `,"spo2_auto":%d,"rmssd":%.1f,"sdnn1":%.1f`, 94+i%5, 30+float64(i%40)/2, 40+float64(i%30)/3)
		}
		b.WriteByte('}')
	}
	b.WriteString(`}}}`)
	return []byte(b.String())
}

// BenchmarkNormalize measures what normalization costs on top of decoding,
// per page. Each iteration runs the baseline — json.Unmarshal into the raw
// types alone — and then Fetch's pipeline on the same body — decode,
// normalize, plausibility checks — timing each, so both are measured in
// the same run under the same load. It reports decode-ns/op,
// normalize-ns/op and their ratio (the target is ≤ 1.5):
//
//	go test ./providers/withings -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	read := func(name string) []byte {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			b.Fatal(err)
		}
		return body
	}
	night := read("sleep_get_night.json")
	z := &zones{}
	w := window{time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)}
	for _, c := range []struct {
		name     string
		body     []byte
		baseline func([]byte) error
		full     func([]byte) error
	}{
		{"measures", read("measures_1.json"), decodeOnly[measurePage], func(body []byte) error {
			env, err := jsonDecode[measurePage](body)
			finish(normalizeMeasures(&env.Body, z))
			return err
		}},
		{"activity", read("activity.json"), decodeOnly[activityPage], func(body []byte) error {
			env, err := jsonDecode[activityPage](body)
			finish(normalizeActivity(&env.Body, z))
			return err
		}},
		{"intraday_day", fullDay(), decodeOnly[intradayPage], func(body []byte) error {
			env, err := jsonDecode[intradayPage](body)
			finish(normalizeIntraday(&env.Body, w))
			return err
		}},
		{"workouts", read("workouts_1.json"), decodeOnly[workoutPage], func(body []byte) error {
			env, err := jsonDecode[workoutPage](body)
			finish(normalizeWorkouts(&env.Body, z))
			return err
		}},
		// A page of sleep summaries and the stage series of its night, as
		// fetchSleep reads them.
		{"sleep", read("sleep_summary_1.json"), func(body []byte) error {
			if err := decodeOnly[sleepSummaryPage](body); err != nil {
				return err
			}
			return decodeOnly[sleepSeriesPage](night)
		}, func(body []byte) error {
			env, err := jsonDecode[sleepSummaryPage](body)
			if err != nil {
				return err
			}
			st, err := jsonDecode[sleepSeriesPage](night)
			stages := []*sleepSeriesPage{nil, &st.Body, nil}
			finish(normalizeSleep(&env.Body, stages, z))
			return err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			var decode, full time.Duration
			for b.Loop() {
				t0 := time.Now()
				if err := c.baseline(c.body); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := c.full(c.body); err != nil {
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

func decodeOnly[T any](body []byte) error {
	_, err := jsonDecode[T](body)
	return err
}
