package polar

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err)
	return d
}

func helsinkiLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Helsinki")
	require.NoError(t, err)
	return loc
}

func TestWorkoutType(t *testing.T) {
	tests := []struct {
		sport, detailed string
		want            wearables.WorkoutType
		raw             string
	}{
		{"RUNNING", "RUNNING_TRAIL", wearables.WorkoutTrailRunning, "RUNNING_TRAIL"},
		{"OTHER", "WATERSPORTS_WATERSKI", wearables.WorkoutWaterSkiing, "WATERSPORTS_WATERSKI"},
		{"OTHER", "NORDIC_WALKING", wearables.WorkoutNordicWalking, "NORDIC_WALKING"},
		{"CYCLING", "", wearables.WorkoutCycling, "CYCLING"},
		{"CYCLING", "CYCLING_UNICYCLE", wearables.WorkoutCycling, "CYCLING_UNICYCLE"}, // unknown detail: the coarse sport
		{"OTHER", "SEPAK_TAKRAW", wearables.WorkoutOther, "SEPAK_TAKRAW"},
		{"", "", wearables.WorkoutOther, ""},
		{" running ", "", wearables.WorkoutRunning, "RUNNING"},
		{"OTHER", "FOOTBALL", wearables.WorkoutSoccer, "FOOTBALL"},
	}
	for _, tt := range tests {
		t.Run(tt.sport+"/"+tt.detailed, func(t *testing.T) {
			got, raw := workoutType(tt.sport, tt.detailed)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.raw, raw)
		})
	}
}

func TestSportTableIsValid(t *testing.T) {
	for name, typ := range sportTypes {
		assert.True(t, typ.Valid(), "%s maps to an unknown workout type %d", name, typ)
		assert.Equal(t, strings.ToUpper(name), name, "table keys are upper case")
	}
}

func TestStreamValues(t *testing.T) {
	null := math.NaN()
	tests := []struct {
		name    string
		data    string // the JSON value of "data"
		want    []float64
		wantErr string // "" when the stream parses
	}{
		{"empty", `""`, nil, ""},
		{"JSON null", `null`, nil, ""},
		{"blank", `"  "`, nil, ""},
		{"values and nulls", `"0,100,null,97.5"`, []float64{0, 100, null, 97.5}, ""},
		{"spaces and empty fields", `" 1 ,,2"`, []float64{1, null, 2}, ""},
		{"trailing comma", `"1,"`, []float64{1, null}, ""},
		{"escapes are unquoted first", `"\u0031\u0032,\t3"`, []float64{12, 3}, ""},
		{"garbage keeps the values before it", `"1,x,3"`, []float64{1}, `value 2 "x" is not a number`},
		{"NaN", `"NaN"`, []float64{}, `value 1 "NaN" is not a number`},
		{"infinity", `"1,Inf"`, []float64{1}, `value 2 "Inf" is not a number`},
		{"out of float range", `"1e400"`, []float64{}, `value 1 "1e400" is not a number`},
		{"invalid UTF-8 as the decoder reads it", "\"1,\xff\"", []float64{1}, "value 2 \"\uFFFD\" is not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got sample
			require.NoError(t, json.Unmarshal([]byte(`{"data":`+tt.data+`}`), &got))
			assertValues(t, tt.want, got.Data.vals)
			if tt.wantErr == "" {
				assert.NoError(t, got.Data.err)
			} else {
				assert.EqualError(t, got.Data.err, tt.wantErr)
			}
		})
	}

	t.Run("not a string is the decoder's type error", func(t *testing.T) {
		var got sample
		err := json.Unmarshal([]byte(`{"data":[1,2]}`), &got)
		var te *json.UnmarshalTypeError
		assert.ErrorAs(t, err, &te)
	})
	t.Run("more than a week of values", func(t *testing.T) {
		sv := parseStream(strings.Repeat("1,", maxStreamValues) + "1")
		assert.Len(t, sv.vals, maxStreamValues)
		assert.EqualError(t, sv.err, "more than 604800 values")
		sv = parseStream(strings.Repeat("1,", maxStreamValues-1) + "1")
		assert.Len(t, sv.vals, maxStreamValues)
		assert.NoError(t, sv.err)
	})
}

// assertValues compares stream values, NaN (a missing value) equal to NaN.
func assertValues(t *testing.T, want, got []float64) {
	t.Helper()
	require.Len(t, got, len(want), "values %v", got)
	for i := range want {
		if math.IsNaN(want[i]) {
			assert.True(t, math.IsNaN(got[i]), "value %d: want null, got %v", i, got[i])
		} else {
			assert.Equal(t, want[i], got[i], "value %d", i)
		}
	}
}

// A stream that does not parse is rejected on its own: the other streams,
// the exercise and the rest of the page are kept.
func TestBadStreamKeepsPage(t *testing.T) {
	body := `[{"id":"a","upload_time":"2024-03-25T11:00:00.000Z","start_time":"2024-03-25T10:00:00","start_time_utc_offset":0,"duration":"PT1M","sport":"RUNNING",` +
		`"samples":[{"recording-rate":1,"sample-type":"0","data":"120,x,122"},{"recording-rate":1,"sample-type":"1","data":"10.8,\u0031\u0031"},` +
		`{"recording-rate":null,"sample-type":"11","data":"500,null,abc"}]},` +
		`{"id":"b","upload_time":"2024-03-25T11:00:00.000Z","start_time":"2024-03-25T10:05:00","start_time_utc_offset":0,"duration":"PT1M","sport":"RUNNING",` +
		`"samples":[{"recording-rate":1,"sample-type":"0","data":"130"}]}]`
	res, err := parseExercises([]byte(body), newWindow(mustDay(t, "2024-03-25"), mustDay(t, "2024-03-26"), nil))
	require.NoError(t, err)
	require.Len(t, res.Records.Workouts, 2)
	require.Len(t, res.Rejected, 1)
	assert.Equal(t, wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: "a", Field: "samples[0]",
		Reason: `stream dropped, workout kept: value 2 "x" is not a number`}, res.Rejected[0])
	count := map[wearables.SeriesType]int{}
	for _, s := range res.Records.Samples {
		count[s.Type]++
	}
	assert.Equal(t, map[wearables.SeriesType]int{
		wearables.SeriesSpeed:             2,
		wearables.SeriesInterbeatInterval: 1, // the stream stops at the null, before the garbage
		wearables.SeriesHeartRate:         1, // exercise b
	}, count)
	assert.InDelta(t, 11/3.6, *res.Records.Workouts[0].MaxSpeed, 1e-12)
}

// An exercise's start is local wall time; UTC = local − offset.
func TestExerciseStartIsLocalMinusOffset(t *testing.T) {
	tests := []struct {
		local   string
		minutes int64
		wantUTC string
	}{
		{"2024-03-30T09:40:02", 120, "2024-03-30T07:40:02Z"},
		{"2024-04-01T18:05:00", -300, "2024-04-01T23:05:00Z"},
		{"2024-03-28T10:15:00", 345, "2024-03-28T04:30:00Z"},
		{"2024-01-01T00:30:00", 600, "2023-12-31T14:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.wantUTC, func(t *testing.T) {
			off := tt.minutes
			e := exercise{ID: "x", StartTime: tt.local, StartTimeUTCOffset: &off, Duration: "PT1M", Sport: "RUNNING"}
			var res wearables.FetchResult
			w := newWindow(mustDay(t, "2023-01-01"), mustDay(t, "2025-01-01"), nil)
			normalizeExercise(&e, w, &res)
			require.Len(t, res.Records.Workouts, 1)
			wo := res.Records.Workouts[0]
			assert.Equal(t, tt.wantUTC, wo.Start.UTC().Format(time.RFC3339))
			assert.Equal(t, wearables.Offset(tt.minutes*60), wo.Offset)
			assert.Equal(t, time.Minute, wo.Duration())
		})
	}
}

func TestExerciseWindow(t *testing.T) {
	off := int64(120)
	mk := func(start, upload string) exercise {
		return exercise{ID: "x", StartTime: start, StartTimeUTCOffset: &off, UploadTime: upload, Duration: "PT10M", Sport: "RUNNING"}
	}
	w := newWindow(mustDay(t, "2024-03-25"), mustDay(t, "2024-03-26"), nil)
	tests := []struct {
		name string
		e    exercise
		want int
	}{
		{"started in the window", mk("2024-03-25T12:00:00", "2024-03-27T00:00:00Z"), 1},
		{"uploaded in the window", mk("2024-03-20T12:00:00", "2024-03-25T06:00:00Z"), 1},
		{"neither", mk("2024-03-20T12:00:00", "2024-03-21T06:00:00Z"), 0},
		{"start local, window UTC", mk("2024-03-26T01:30:00", ""), 1}, // 23:30Z on the 25th
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var res wearables.FetchResult
			normalizeExercise(&tt.e, w, &res)
			assert.Len(t, res.Records.Workouts, tt.want)
		})
	}
}

func TestExerciseStreams(t *testing.T) {
	off := int64(0)
	rate := int64(1)
	e := exercise{
		ID: "s", StartTime: "2024-03-25T12:00:00", StartTimeUTCOffset: &off, Duration: "PT1M", Sport: "RUNNING",
		Samples: []sample{
			{RecordingRate: &rate, SampleType: "0", Data: parseStream("0,120,null,0,130")},
			{RecordingRate: nil, SampleType: "11", Data: parseStream("500,510,null,520")},
			{RecordingRate: nil, SampleType: "1", Data: parseStream("10,11")},
			{RecordingRate: &rate, SampleType: "4", Data: parseStream("100,abc,300")},
			{RecordingRate: &rate, SampleType: "7", Data: parseStream("1013,1012")},
		},
	}
	var res wearables.FetchResult
	normalizeExercise(&e, newWindow(mustDay(t, "2024-03-25"), mustDay(t, "2024-03-26"), nil), &res)
	require.Len(t, res.Records.Workouts, 1)

	start := time.Date(2024, 3, 25, 12, 0, 0, 0, time.UTC)
	var hr, rr []wearables.Sample
	for _, s := range res.Records.Samples {
		switch s.Type {
		case wearables.SeriesHeartRate:
			hr = append(hr, s)
		case wearables.SeriesInterbeatInterval:
			rr = append(rr, s)
		default:
			t.Errorf("unexpected %s sample", s.Type)
		}
	}
	// Zeros and nulls are missing readings; time advances over them.
	require.Len(t, hr, 2)
	assert.Equal(t, start.Add(time.Second), hr[0].Start)
	assert.Equal(t, start.Add(4*time.Second), hr[1].Start)
	// RR intervals accumulate; a null leaves the rest untimed.
	require.Len(t, rr, 2)
	assert.Equal(t, start.Add(500*time.Millisecond), rr[0].Start)
	assert.Equal(t, start.Add(1010*time.Millisecond), rr[1].Start)
	assert.Equal(t, 510.0, rr[1].Value)

	wo := res.Records.Workouts[0]
	assert.Equal(t, 120.0, *wo.MinHR)
	assert.Nil(t, wo.AvgPower, "the power stream was malformed and dropped as a whole")

	fields := map[string]bool{}
	for _, r := range res.Rejected {
		fields[r.Field] = true
		assert.Equal(t, "s", r.ProviderRecordID)
	}
	assert.True(t, fields["samples[2]"], "speed without recording-rate: %v", res.Rejected)
	assert.True(t, fields["samples[3]"], "garbage power value: %v", res.Rejected)
}

// A page with one record of the wrong shape keeps the others.
func TestMalformedRecordKeepsPage(t *testing.T) {
	body := `[{"id":"a","start_time":"2024-03-25T10:00:00","start_time_utc_offset":"120","duration":"PT1M","sport":"RUNNING"},` +
		`{"id":"b","upload_time":"2024-03-25T11:00:00.000Z","start_time":"2024-03-25T10:00:00","start_time_utc_offset":120,"duration":"PT1M","sport":"RUNNING"}]`
	res, err := parseExercises([]byte(body), newWindow(mustDay(t, "2024-03-25"), mustDay(t, "2024-03-26"), nil))
	require.NoError(t, err)
	require.Len(t, res.Records.Workouts, 1)
	assert.Equal(t, "b", res.Records.Workouts[0].ProviderRecordID)
	require.Len(t, res.Rejected, 1)
	assert.Equal(t, "a", res.Rejected[0].ProviderRecordID)
	assert.Contains(t, res.Rejected[0].Reason, "malformed record")

	_, err = parseExercises([]byte(`{"not":"a list"}`), newWindow(mustDay(t, "2024-03-25"), mustDay(t, "2024-03-26"), nil))
	assert.Error(t, err)
}

// Without the user's zone, device-local times are read as UTC and carry no
// offset.
func TestDeviceLocalTimesWithoutZone(t *testing.T) {
	w := newWindow(mustDay(t, "2024-04-01"), mustDay(t, "2024-04-02"), nil)
	body := `{"heart_rates":[{"date":"2024-04-01","heart_rate_samples":[{"heart_rate":60,"sample_time":"23:55:00"},{"heart_rate":61,"sample_time":"00:00:00"}]}]}`
	res, err := parseHeartRates([]byte(body), w)
	require.NoError(t, err)
	require.Len(t, res.Records.Samples, 2)
	assert.Equal(t, time.Date(2024, 4, 1, 23, 55, 0, 0, time.UTC), res.Records.Samples[0].Start)
	assert.Equal(t, time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC), res.Records.Samples[1].Start, "midnight rollover")
	assert.Equal(t, wearables.NoOffset, res.Records.Samples[0].Offset)

	w.loc = helsinkiLoc(t)
	res, err = parseHeartRates([]byte(body), w)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 4, 1, 20, 55, 0, 0, time.UTC), res.Records.Samples[0].Start.UTC())
	assert.Equal(t, wearables.Offset(3*3600), res.Records.Samples[0].Offset)

	// The single-day shape of the OpenAPI document decodes too.
	single := `{"polar_user":"https://polaraccesslink.com/v3/users/627139","date":"2024-04-01","heart_rate_samples":[{"heart_rate":63,"sample_time":"00:02:08"}]}`
	res, err = parseHeartRates([]byte(single), w)
	require.NoError(t, err)
	assert.Len(t, res.Records.Samples, 1)

	act := `[{"start_time":"2024-04-01T00:00:00","end_time":"2024-04-01T23:59:59","steps":10,"samples":{"date":"2024-04-01","steps":{"interval_ms":60000,"samples":[{"steps":10,"timestamp":"2024-04-01T08:00"}]}}}]`
	w.loc = nil
	res, err = parseActivities([]byte(act), w)
	require.NoError(t, err)
	require.Len(t, res.Records.Summaries, 1)
	assert.Equal(t, wearables.NoOffset, res.Records.Summaries[0].Offset)
	require.Len(t, res.Records.Samples, 1)
	assert.Equal(t, wearables.NoOffset, res.Records.Samples[0].Offset)
	assert.Equal(t, time.Date(2024, 4, 1, 8, 0, 0, 0, time.UTC), res.Records.Samples[0].Start)
}

func TestHypnogramDSTNight(t *testing.T) {
	start, err := normalize.ParseRFC3339("2024-03-30T23:41:09+02:00")
	require.NoError(t, err)
	end, err := normalize.ParseRFC3339("2024-03-31T07:48:30+03:00")
	require.NoError(t, err)
	hyp := map[string]int{"23:41": 0, "02:31": 1, "04:12": 4, "07:40": 0}

	// With the zone, "04:12" is after the change: 04:12+03:00.
	st, err := hypnogram(start, end, hyp, helsinkiLoc(t))
	require.NoError(t, err)
	require.Len(t, st, 4)
	assert.Equal(t, time.Date(2024, 3, 31, 1, 12, 0, 0, time.UTC), st[2].Start)
	assert.Equal(t, wearables.StageDeep, st[2].Stage)
	assert.Equal(t, time.Date(2024, 3, 31, 4, 40, 0, 0, time.UTC), st[3].Start)

	// Without it, the start's offset is used for every point (normalize's
	// PolarHypnogram), and the night's last stage falls past its end.
	st, err = hypnogram(start, end, hyp, nil)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 3, 31, 2, 12, 0, 0, time.UTC), st[2].Start)
	assert.Len(t, st, 3)

	// A zone that disagrees with the night's offsets is not trusted.
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	st, err = hypnogram(start, end, hyp, tokyo)
	require.NoError(t, err)
	assert.Len(t, st, 3)
}

func TestPhysicalInfo(t *testing.T) {
	tests := []struct {
		name string
		body string
		want map[wearables.SeriesType]float64
	}{
		{"measured", `{"weight":80.5,"height":181,"modified":"2024-06-10T12:00:00Z","vo2_max":50,"resting_heart_rate":60,"maximum_heart_rate":190,"weight_source":"SOURCE_MEASURED"}`,
			map[wearables.SeriesType]float64{wearables.SeriesWeight: 80.5, wearables.SeriesHeight: 1.81, wearables.SeriesVO2Max: 50, wearables.SeriesRestingHeartRate: 60}},
		{"default weight is not a weighing", `{"weight":70,"height":170,"created":"2024-06-01T12:00:00Z","weight_source":"SOURCE_DEFAULT","vo2_max":0}`,
			map[wearables.SeriesType]float64{wearables.SeriesHeight: 1.70}},
		{"no timestamp", `{"weight":70}`, map[wearables.SeriesType]float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := parsePhysicalInfo([]byte(tt.body), window{})
			require.NoError(t, err)
			got := map[wearables.SeriesType]float64{}
			for _, s := range res.Records.Samples {
				got[s.Type] = s.Value
				assert.Equal(t, wearables.NoOffset, s.Offset)
			}
			assert.InDeltaMapValues(t, tt.want, got, 1e-9)
		})
	}
}

func TestStepSamplesAreBounded(t *testing.T) {
	// Two samples a year apart would expand to half a million minutes.
	body := `[{"start_time":"2024-04-01T00:00:00","end_time":"2024-04-01T23:59:59","samples":{"date":"2024-04-01","steps":{"interval_ms":60000,` +
		`"samples":[{"steps":5,"timestamp":"2024-04-01T00:00"},{"steps":0,"timestamp":"2025-04-01T00:00"}]}}}]`
	res, err := parseActivities([]byte(body), newWindow(mustDay(t, "2024-04-01"), mustDay(t, "2024-04-02"), nil))
	require.NoError(t, err)
	assert.LessOrEqual(t, len(res.Records.Samples), 2*1440)
	require.NotEmpty(t, res.Rejected)
	assert.Equal(t, "steps.samples", res.Rejected[len(res.Rejected)-1].Field)

	body = strings.Replace(body, `"interval_ms":60000`, `"interval_ms":1`, 1)
	res, err = parseActivities([]byte(body), newWindow(mustDay(t, "2024-04-01"), mustDay(t, "2024-04-02"), nil))
	require.NoError(t, err)
	assert.Empty(t, res.Records.Samples)
	assert.Equal(t, "steps.interval_ms", res.Rejected[0].Field)
}

// A webhook's date window maps back to exactly that date.
func TestWebhookWindowRoundTrip(t *testing.T) {
	p := New(Config{})
	for _, f := range []string{"webhook_sleep.json", "webhook_activity.json", "webhook_continuous_hr.json"} {
		t.Run(f, func(t *testing.T) {
			body, err := os.ReadFile("testdata/" + f)
			require.NoError(t, err)
			events, err := p.ParseWebhook(body)
			require.NoError(t, err)
			require.NotEmpty(t, events)
			w := newWindow(events[0].Start, events[0].End, nil)
			assert.Equal(t, w.from, w.to, "one day")
			assert.Contains(t, string(body), `"date":"`+w.from.String()+`"`)
		})
	}
}

func TestWindowDates(t *testing.T) {
	w := newWindow(time.Date(2024, 3, 29, 22, 0, 0, 0, time.FixedZone("", -3600)), mustDay(t, "2024-04-01"), nil)
	assert.Equal(t, wearables.Date{Year: 2024, Month: 3, Day: 29}, w.from)
	assert.Equal(t, wearables.Date{Year: 2024, Month: 3, Day: 31}, w.to, "End is exclusive")
	assert.True(t, w.hasDate(wearables.Date{Year: 2024, Month: 3, Day: 30}))
	assert.False(t, w.hasDate(wearables.Date{Year: 2024, Month: 4, Day: 1}))
}
