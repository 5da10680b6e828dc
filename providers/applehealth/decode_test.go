package applehealth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/applehealth/exportgen"
)

// decodeAll decodes a whole export with the fast tokenizer or the
// encoding/xml reference, merging every batch.
func decodeAll(t testing.TB, data []byte, stdlib bool, batchSize int) (wearables.Batch, Stats, error) {
	t.Helper()
	d := NewDecoder(bytes.NewReader(data), DecodeOptions{stdlib: stdlib, BatchSize: batchSize})
	var all wearables.Batch
	for {
		b, err := d.Next(context.Background())
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return all, d.Stats(), err
		}
		all.Samples = append(all.Samples, b.Samples...)
		all.Workouts = append(all.Workouts, b.Workouts...)
		all.Sleep = append(all.Sleep, b.Sleep...)
		all.Summaries = append(all.Summaries, b.Summaries...)
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

func generate(t testing.TB, cfg exportgen.Config) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := exportgen.Write(&buf, cfg)
	require.NoError(t, err)
	return buf.Bytes()
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v.UTC()
}

func findSample(b wearables.Batch, st wearables.SeriesType, start time.Time) (wearables.Sample, bool) {
	for _, s := range b.Samples {
		if s.Type == st && s.Start.Equal(start) {
			return s, true
		}
	}
	return wearables.Sample{}, false
}

func TestDecodeKinds(t *testing.T) {
	got, st, err := decodeAll(t, readTestdata(t, "export_kinds.xml"), false, 0)
	require.NoError(t, err)

	watch := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch6,12", DeviceType: wearables.DeviceWatch, App: "Kevin’s Apple Watch", RecordingMethod: wearables.RecordingAutomatic}
	phone := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "iPhone14,2", DeviceType: wearables.DevicePhone, App: "Kevin’s iPhone", RecordingMethod: wearables.RecordingAutomatic}

	samples := []struct {
		name   string
		typ    wearables.SeriesType
		start  string
		value  float64
		offset wearables.Offset
		end    string
		source *wearables.Source
	}{
		{"heart rate count/min, entities in the source name", wearables.SeriesHeartRate, "2024-03-10T09:59:30Z", 72, -8 * 3600, "", &watch},
		{"after the DST change", wearables.SeriesHeartRate, "2024-03-10T10:00:00Z", 68, -7 * 3600, "", &watch},
		{"SpO2 % is a fraction", wearables.SeriesOxygenSaturation, "2024-03-10T11:00:00Z", 97, -7 * 3600, "", &watch},
		{"weight in lb", wearables.SeriesWeight, "2024-03-11T14:00:00Z", 165.5 * 0.45359237, -7 * 3600, "", nil},
		{"glucose in mmol<…>/L", wearables.SeriesBloodGlucose, "2024-03-11T15:00:00Z", 5.5 * 18.01558800000541, -7 * 3600, "", nil},
		{"temperature in degF", wearables.SeriesBodyTemperature, "2024-03-11T15:05:00Z", 37, -7 * 3600, "", nil},
		{"energy in Cal", wearables.SeriesActiveEnergy, "2024-03-11T16:00:00Z", 1.5, -7 * 3600, "2024-03-11T16:01:00Z", &watch},
		{"energy in kJ", wearables.SeriesBasalEnergy, "2024-03-11T16:00:00Z", 1, -7 * 3600, "2024-03-11T16:01:00Z", &watch},
		{"distance in mi", wearables.SeriesDistanceWalkingRunning, "2024-03-11T16:00:00Z", 0.5 * 1609.344, -7 * 3600, "2024-03-11T16:10:00Z", &phone},
		{"distance in km", wearables.SeriesDistanceCycling, "2024-03-11T17:00:00Z", 3200, -7 * 3600, "2024-03-11T17:10:00Z", &phone},
		{"steps", wearables.SeriesSteps, "2024-03-11T16:00:00Z", 1024, -7 * 3600, "2024-03-11T16:10:00Z", &phone},
		{"height in ft", wearables.SeriesHeight, "2024-01-01T20:00:00Z", 5.75 * 0.3048, -8 * 3600, "", nil},
		{"VO2 max", wearables.SeriesVO2Max, "2024-03-12T01:00:00Z", 42.5, -7 * 3600, "", nil},
		{"HRV SDNN with its beat list", wearables.SeriesHRVSDNN, "2024-03-12T06:00:00Z", 45.3, -7 * 3600, "2024-03-12T06:01:00Z", &watch},
		{"exercise time in min", wearables.SeriesExerciseTime, "2024-03-11T16:00:00Z", 60, -7 * 3600, "2024-03-11T16:01:00Z", nil},
		{"HKMetadataKeyTimeZone sets the offset", wearables.SeriesRestingHeartRate, "2024-06-01T17:00:00Z", 55, 2 * 3600, "", nil},
		{"HKTimeZone (the key's raw value) too", wearables.SeriesRestingHeartRate, "2024-06-02T17:00:00Z", 56, 5*3600 + 45*60, "", nil},
		{"stand hour stood", wearables.SeriesStandHours, "2024-03-11T16:00:00Z", 1, -7 * 3600, "2024-03-11T17:00:00Z", nil},
		{"stand hour idle", wearables.SeriesStandHours, "2024-03-11T17:00:00Z", 0, -7 * 3600, "2024-03-11T18:00:00Z", nil},
		{"mindful session is its duration", wearables.SeriesMindfulTime, "2024-03-11T19:00:00Z", 300, -7 * 3600, "2024-03-11T19:05:00Z", nil},
		{"blood pressure from the correlation", wearables.SeriesBloodPressureSystolic, "2024-03-11T14:05:00Z", 121, -7 * 3600, "", nil},
		{"diastolic only in the correlation", wearables.SeriesBloodPressureDiastolic, "2024-03-11T14:05:00Z", 79, -7 * 3600, "", nil},
	}
	for _, tc := range samples {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := findSample(got, tc.typ, mustTime(t, tc.start))
			require.True(t, ok, "no %s sample at %s", tc.typ, tc.start)
			assert.InDelta(t, tc.value, s.Value, 1e-6)
			assert.Equal(t, tc.offset, s.Offset)
			if tc.end == "" {
				assert.True(t, s.End.IsZero())
			} else {
				assert.Equal(t, mustTime(t, tc.end), s.End)
			}
			if tc.source != nil {
				assert.Equal(t, *tc.source, s.Source)
			}
		})
	}

	t.Run("manual entries", func(t *testing.T) {
		s, ok := findSample(got, wearables.SeriesBloodGlucose, mustTime(t, "2024-03-11T15:00:00Z"))
		require.True(t, ok)
		assert.Equal(t, wearables.RecordingManual, s.Source.RecordingMethod)
		assert.Equal(t, "Health", s.Source.App)
		assert.Equal(t, wearables.DeviceApp, s.Source.DeviceType)
	})
	t.Run("scale", func(t *testing.T) {
		s, ok := findSample(got, wearables.SeriesWeight, mustTime(t, "2024-03-11T14:00:00Z"))
		require.True(t, ok)
		assert.Equal(t, wearables.DeviceScale, s.Source.DeviceType)
		assert.Equal(t, "WBS05", s.Source.DeviceModel)
	})

	t.Run("rejections and unknowns", func(t *testing.T) {
		assert.Equal(t, int64(4), st.RejectedTotal(), "%v", st.Rejected)
		assert.Len(t, st.Rejections, 4)
		var reasons []string
		for k := range st.Rejected {
			reasons = append(reasons, k)
		}
		joined := strings.Join(reasons, "\n")
		assert.Contains(t, joined, "plausible range")
		assert.Contains(t, joined, "startDate: malformed date")
		assert.Contains(t, joined, "unit")
		assert.Contains(t, joined, "unknown sleep value")
		assert.Equal(t, map[string]int64{"HKQuantityTypeIdentifierDietaryVitaminC": 1, "HKCategoryTypeIdentifierHighHeartRateEvent": 1}, st.UnknownTypes)
		assert.Equal(t, int64(1), st.UnknownElements["VisionPrescription"])
		assert.Equal(t, int64(1), st.UnknownElements["workoutActivityType=HKWorkoutActivityTypeQuidditch"])
		assert.Equal(t, map[string]int64{"WorkoutRoute": 1, "ClinicalRecord": 1, "Audiogram": 1}, st.Skipped)
		assert.Equal(t, int64(1), st.Correlations)
		assert.Equal(t, int64(5), st.Workouts)
		assert.Equal(t, int64(2), st.Summaries)
	})

	t.Run("workouts", func(t *testing.T) {
		require.Len(t, got.Workouts, 5)
		byType := map[wearables.WorkoutType]wearables.Workout{}
		for _, w := range got.Workouts {
			byType[w.Type] = w
			assert.NotEmpty(t, w.ProviderRecordID)
		}
		run, ok := byType[wearables.WorkoutRunning]
		require.True(t, ok)
		assert.Equal(t, "HKWorkoutActivityTypeRunning", run.RawType)
		assert.Equal(t, mustTime(t, "2022-10-01T15:00:00Z"), run.Start)
		assert.Equal(t, wearables.Offset(-7*3600), run.Offset)
		assert.Equal(t, 30*time.Minute+30*time.Second, run.MovingTime)
		require.NotNil(t, run.Distance)
		assert.InDelta(t, 3.1*1609.344, *run.Distance, 1e-6)
		require.NotNil(t, run.Energy)
		assert.InDelta(t, 320, *run.Energy, 1e-9)
		require.NotNil(t, run.ElevationGain)
		assert.InDelta(t, 45.2, *run.ElevationGain, 1e-9)
		require.Len(t, run.Laps, 2)
		assert.Equal(t, 15*time.Minute+30*time.Second, run.Laps[1].Duration)

		ride, ok := byType[wearables.WorkoutIndoorCycling]
		require.True(t, ok, "HKIndoorWorkout makes cycling indoor")
		require.NotNil(t, ride.Energy)
		assert.InDelta(t, 550.5, *ride.Energy, 1e-9)
		require.NotNil(t, ride.Distance)
		assert.InDelta(t, 25400, *ride.Distance, 1e-6)
		require.NotNil(t, ride.AvgHR)
		assert.Equal(t, 142.0, *ride.AvgHR)
		assert.Equal(t, 95.0, *ride.MinHR)
		assert.Equal(t, 171.0, *ride.MaxHR)
		assert.Equal(t, 180.0, *ride.AvgPower)
		assert.Equal(t, 420.0, *ride.MaxPower)
		assert.Equal(t, 88.0, *ride.AvgCadence)
		assert.Equal(t, 7.05, *ride.AvgSpeed)
		assert.Len(t, ride.Laps, 2, "segments become laps when there are no laps")

		_, ok = byType[wearables.WorkoutTriathlon]
		assert.True(t, ok)
		swim, ok := byType[wearables.WorkoutSwimmingPool]
		require.True(t, ok)
		assert.InDelta(t, 1500*0.9144, *swim.Distance, 1e-6)
		other, ok := byType[wearables.WorkoutOther]
		require.True(t, ok)
		assert.Equal(t, "HKWorkoutActivityTypeQuidditch", other.RawType)
	})

	t.Run("sleep", func(t *testing.T) {
		require.Len(t, got.Sleep, 3)
		var night, inBed, nap *wearables.Sleep
		for i := range got.Sleep {
			s := &got.Sleep[i]
			switch {
			case s.Source.DeviceType == wearables.DevicePhone:
				inBed = s
			case s.IsNap:
				nap = s
			default:
				night = s
			}
		}
		require.NotNil(t, night)
		require.NotNil(t, inBed)
		require.NotNil(t, nap)
		assert.Equal(t, mustTime(t, "2024-03-12T06:00:00Z"), night.Start)
		assert.Equal(t, mustTime(t, "2024-03-12T13:30:00Z"), night.End)
		assert.Equal(t, wearables.Offset(-7*3600), night.Offset)
		assert.Equal(t, 10*time.Minute, night.Totals.InBed)
		assert.Equal(t, 110*time.Minute, night.Totals.Light)
		assert.Equal(t, time.Hour, night.Totals.Deep)
		assert.Equal(t, 50*time.Minute, night.Totals.REM)
		assert.Equal(t, 10*time.Minute, night.Totals.Awake)
		assert.Equal(t, 210*time.Minute, night.Totals.Asleep)
		require.NotNil(t, night.Latency)
		assert.Equal(t, 10*time.Minute, *night.Latency)
		require.Len(t, night.Stages, 6)
		assert.Equal(t, wearables.StageInBed, night.Stages[0].Stage)
		assert.Equal(t, 470*time.Minute, inBed.Totals.InBed)
		assert.False(t, inBed.IsNap)
		assert.Equal(t, 40*time.Minute, nap.Totals.Asleep)
	})

	t.Run("activity summaries", func(t *testing.T) {
		require.Len(t, got.Summaries, 2)
		s := got.Summaries[0]
		assert.Equal(t, wearables.Date{Year: 2024, Month: 3, Day: 11}, s.Date)
		assert.Equal(t, wearables.SummaryActivity, s.Kind)
		assert.InDelta(t, 620.25, s.Values[wearables.SeriesActiveEnergy], 1e-9)
		assert.InDelta(t, 42*60, s.Values[wearables.SeriesExerciseTime], 1e-9)
		assert.InDelta(t, 11, s.Values[wearables.SeriesStandHours], 1e-9)
		assert.InDelta(t, 500, got.Summaries[1].Values[wearables.SeriesActiveEnergy], 1e-9, "kJ")
		assert.InDelta(t, 35*60, got.Summaries[1].Values[wearables.SeriesMoveTime], 1e-9)
	})

	t.Run("every batch is valid", func(t *testing.T) {
		got.UserID = "u"
		assert.NoError(t, got.Validate())
	})
}

func TestDecodeTwelveHour(t *testing.T) {
	got, st, err := decodeAll(t, readTestdata(t, "export_12h.xml"), false, 0)
	require.NoError(t, err)
	assert.Zero(t, st.RejectedTotal())
	for _, tc := range []struct{ start, end string }{
		{"2021-12-25T01:02:43Z", "2021-12-25T01:04:43Z"}, // 8:02:43 PM -0500
		{"2021-12-24T05:00:00Z", "2021-12-24T05:01:00Z"}, // 12:00:00 AM
		{"2021-12-24T17:30:00Z", "2021-12-24T17:31:00Z"}, // 12:30:00 PM
	} {
		s, ok := findSample(got, wearables.SeriesSteps, mustTime(t, tc.start))
		if assert.True(t, ok, tc.start) {
			assert.Equal(t, mustTime(t, tc.end), s.End)
			assert.Equal(t, wearables.Offset(-5*3600), s.Offset)
		}
	}
	require.Len(t, got.Workouts, 1)
	assert.Equal(t, wearables.WorkoutWalking, got.Workouts[0].Type)
	assert.InDelta(t, 1900, *got.Workouts[0].Distance, 1e-9)
}

// TestDifferential requires the fast tokenizer and the encoding/xml
// reference to produce identical output on hand-written and generated
// exports, for several batch sizes.
func TestDifferential(t *testing.T) {
	inputs := map[string][]byte{
		"kinds":        readTestdata(t, "export_kinds.xml"),
		"12h":          readTestdata(t, "export_12h.xml"),
		"generated":    generate(t, exportgen.Config{Days: 20, Seed: 7}),
		"generated12h": generate(t, exportgen.Config{Days: 5, Seed: 3, TwelveHour: true}),
		"dst": generate(t, exportgen.Config{Days: 4, Seed: 5,
			Start: time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC)}),
		"crlf": bytes.ReplaceAll(readTestdata(t, "export_kinds.xml"), []byte("\n"), []byte("\r\n")),
	}
	for name, data := range inputs {
		for _, bs := range []int{1, 7, 0} {
			t.Run(name+"/batch"+string(rune('0'+bs%10)), func(t *testing.T) {
				fast, fs, ferr := decodeAll(t, data, false, bs)
				std, ss, serr := decodeAll(t, data, true, bs)
				require.NoError(t, ferr)
				require.NoError(t, serr)
				assert.NotEmpty(t, fast.Samples)
				assert.Equal(t, std, fast)
				assert.Equal(t, ss, fs)
			})
		}
	}
}

func TestDecodeTruncated(t *testing.T) {
	data := readTestdata(t, "export_kinds.xml")
	full, _, err := decodeAll(t, data, false, 0)
	require.NoError(t, err)
	prev := -1
	for cut := 0; cut < len(data); cut += 97 {
		got, _, err := decodeAll(t, data[:cut], false, 5)
		var se *SyntaxError
		require.True(t, errors.As(err, &se), "cut at %d: %v", cut, err)
		assert.LessOrEqual(t, se.Offset, int64(cut))
		assert.NotEmpty(t, se.Reason)
		assert.LessOrEqual(t, len(got.Samples), len(full.Samples))
		assert.GreaterOrEqual(t, len(got.Samples), prev, "more input never yields fewer records")
		prev = len(got.Samples)
	}
	t.Run("corrupt in the middle", func(t *testing.T) {
		bad := bytes.Replace(data, []byte(`<Record type="HKQuantityTypeIdentifierBodyMass"`), []byte(`<Record type="HKQuantityTypeIdentifierBodyMass" <<`), 1)
		got, _, err := decodeAll(t, bad, false, 0)
		var se *SyntaxError
		require.True(t, errors.As(err, &se))
		assert.Equal(t, int64(bytes.Index(bad, []byte("<<"))), se.Offset)
		assert.Len(t, got.Samples, 3, "the three records before the fault")
		assert.Contains(t, err.Error(), "byte ")
	})
}

func TestDecodeCancel(t *testing.T) {
	data := generate(t, exportgen.Config{Days: 3})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := NewDecoder(bytes.NewReader(data), DecodeOptions{BatchSize: 1 << 30})
	_, err := d.Next(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestParseDevice(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want device
		typ  wearables.DeviceType
	}{
		{"<<HKDevice: 0x283e0c8c0>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,12, software:10.1>",
			device{"Apple Watch", "Apple Inc.", "Watch", "Watch6,12", "10.1"}, wearables.DeviceWatch},
		{"<<HKDevice: 0x1>, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:17.2, creation date:2023-10-01 09:12:44 +0000>",
			device{"iPhone", "Apple Inc.", "iPhone", "iPhone14,2", "17.2"}, wearables.DevicePhone},
		{"<<HKDevice: 0x2>, name:Oura, manufacturer:Oura Health, model:Oura Ring Gen3>",
			device{Name: "Oura", Manufacturer: "Oura Health", Model: "Oura Ring Gen3"}, wearables.DeviceRing},
		{"<<HKDevice: 0x3>, name:Polar H10, manufacturer:Polar>",
			device{Name: "Polar H10", Manufacturer: "Polar"}, wearables.DeviceStrap},
		{"", device{}, wearables.DeviceApp},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d := parseDevice(tc.in)
			assert.Equal(t, tc.want, d)
			assert.Equal(t, tc.typ, deviceType(d, "Some App"))
		})
	}
}

func TestParseFloat(t *testing.T) {
	for _, s := range []string{"0", "72", "0.97", "-1.5", "+2", ".5", "5.", "165.5", "98.6", "0.000001", "123456789012345",
		"1234567890123456789", "1e3", "1.7976931348623157e308", "0.1", "3.14159265358979", "00012.50"} {
		want, err := parseStd(s)
		got, ok := parseFloat([]byte(s))
		require.Equal(t, err == nil, ok, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", ".", "-", "abc", "1..2", "NaN", "Inf", "1e400"} {
		_, ok := parseFloat([]byte(s))
		assert.False(t, ok, s)
	}
}

// TestSourceCacheBounded: the HKDevice address differs between records of
// one device; the source cache must not grow with them.
func TestSourceCacheBounded(t *testing.T) {
	data := generate(t, exportgen.Config{Days: 30})
	d := NewDecoder(bytes.NewReader(data), DecodeOptions{})
	for {
		if _, err := d.Next(context.Background()); err != nil {
			require.ErrorIs(t, err, io.EOF)
			break
		}
	}
	assert.LessOrEqual(t, len(d.srcs.m), 10)
	assert.Greater(t, bytes.Count(data, []byte("HKDevice: 0x")), 1000)
}
