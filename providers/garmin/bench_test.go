package garmin

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// BenchmarkNormalize measures what normalization costs on top of decoding,
// per list of summaries. Each iteration runs the baseline — json.Unmarshal
// into the raw types alone — and then Fetch's pipeline on the same body —
// decode, normalize, plausibility checks — timing each, so both are
// measured in the same run under the same load. It reports decode-ns/op,
// normalize-ns/op and their ratio (the target is ≤ 1.5). Besides the
// recorded lists, it runs a full day of 15-second heart rate (5,760
// samples) and an hour of 1 Hz activity details, the two large payloads
// Garmin sends:
//
//	go test ./providers/garmin -run '^$' -bench Normalize -benchmem
func BenchmarkNormalize(b *testing.B) {
	for _, c := range []struct {
		name     string
		body     []byte
		baseline func([]byte) error
		dataType wearables.DataType
	}{
		{"dailies", file(b, "dailies.json"), unmarshal[rawDaily], DataDailies},
		{"dailies_full_day", fullDay(b), unmarshal[rawDaily], DataDailies},
		{"epochs", file(b, "epochs.json"), unmarshal[rawEpoch], DataEpochs},
		{"sleeps", file(b, "sleeps.json"), unmarshal[rawSleep], wearables.DataSleep},
		{"stress_details", file(b, "stress_details.json"), unmarshal[rawStressDetails], DataStressDetails},
		{"activities", file(b, "activities.json"), unmarshal[rawActivity], wearables.DataWorkouts},
		{"activity_details_1h", detailsHour(b), unmarshal[rawActivityDetails], DataActivityDetails},
	} {
		st, _ := summaryFor(c.dataType)
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
				res, err := st.decode.decode(c.body)
				if err != nil {
					b.Fatal(err)
				}
				finish(res)
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
	var items []T
	return json.Unmarshal(body, &items)
}

func file(b *testing.B, name string) []byte {
	b.Helper()
	body, err := os.ReadFile("testdata/" + name)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// fullDay is the recorded complete day with a heart rate every 15 s.
func fullDay(b *testing.B) []byte {
	var days []map[string]any
	if err := json.Unmarshal(file(b, "dailies.json"), &days); err != nil {
		b.Fatal(err)
	}
	hr := map[string]any{}
	for off := 0; off < 86400; off += 15 {
		hr[strconv.Itoa(off)] = 50 + off%70
	}
	days[0]["timeOffsetHeartRateSamples"] = hr
	out, err := json.Marshal(days[:1])
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// detailsHour is the recorded run's details stretched to an hour of 1 Hz
// samples, each with position, heart rate, speed, power, cadence,
// elevation and temperature.
func detailsHour(b *testing.B) []byte {
	var details []map[string]any
	if err := json.Unmarshal(file(b, "activity_details.json"), &details); err != nil {
		b.Fatal(err)
	}
	first := details[0]["samples"].([]any)[0].(map[string]any)
	start := first["startTimeInSeconds"].(float64)
	samples := make([]any, 3600)
	for i := range samples {
		s := map[string]any{}
		for k, v := range first {
			s[k] = v
		}
		s["startTimeInSeconds"] = start + float64(i)
		s["heartRate"] = 120 + i%50
		s["latitudeInDegree"] = 41.8837 + float64(i)*0.00002
		s["timerDurationInSeconds"], s["clockDurationInSeconds"], s["movingDurationInSeconds"] = i, i, i
		samples[i] = s
	}
	details[0]["samples"] = samples
	out, err := json.Marshal(details)
	if err != nil {
		b.Fatal(err)
	}
	return out
}
