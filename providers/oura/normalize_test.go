package oura

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// decodeOne normalizes a one-document page of dt the way Fetch does.
func decodeOne(t *testing.T, dt wearables.DataType, doc string) wearables.FetchResult {
	t.Helper()
	e, ok := endpointFor(dt)
	require.True(t, ok)
	res, _, err := e.decode.decode([]byte(`{"data":[` + doc + `],"next_token":null}`))
	require.NoError(t, err)
	return finish(res, window{})
}

func TestSleepStages(t *testing.T) {
	const start = "2024-03-30T23:00:00+01:00"
	for _, tc := range []struct {
		name       string
		fields     string
		wantStages int
		wantFirst  wearables.StageInterval
		wantReject string // the rejected field, if any
	}{
		{
			name:       "30-second phases win over 5-minute ones",
			fields:     `"sleep_phase_5_min":"4222","sleep_phase_30_sec":"4422222222222222222222222222222222222222"`,
			wantStages: 2,
			wantFirst:  wearables.StageInterval{Stage: wearables.StageAwake, Start: at("2024-03-30T22:00:00Z"), End: at("2024-03-30T22:01:00Z")},
		},
		{
			name:       "5-minute phases when there are no 30-second ones",
			fields:     `"sleep_phase_5_min":"4123","sleep_phase_30_sec":null`,
			wantStages: 4,
			wantFirst:  wearables.StageInterval{Stage: wearables.StageAwake, Start: at("2024-03-30T22:00:00Z"), End: at("2024-03-30T22:05:00Z")},
		},
		{
			name:       "the last epoch is cut at bedtime_end",
			fields:     `"sleep_phase_5_min":"22222"`, // 25 min of phases in a 20-minute period
			wantStages: 1,
			wantFirst:  wearables.StageInterval{Stage: wearables.StageLight, Start: at("2024-03-30T22:00:00Z"), End: at("2024-03-30T22:20:00Z")},
		},
		{
			name:       "an unknown phase character rejects the period",
			fields:     `"sleep_phase_5_min":"42x2"`,
			wantReject: "sleep_phase_5_min",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := decodeOne(t, wearables.DataSleep, `{"id":"s1","bedtime_start":"`+start+`","bedtime_end":"2024-03-30T23:20:00+01:00","day":"2024-03-31","time_in_bed":1200,"type":"long_sleep",`+tc.fields+`}`)
			if tc.wantReject != "" {
				assert.Empty(t, res.Records.Sleep)
				require.Len(t, res.Rejected, 1)
				assert.Equal(t, tc.wantReject, res.Rejected[0].Field)
				assert.Equal(t, "s1", res.Rejected[0].ProviderRecordID)
				return
			}
			require.Len(t, res.Records.Sleep, 1)
			s := res.Records.Sleep[0]
			require.Len(t, s.Stages, tc.wantStages)
			assert.Equal(t, tc.wantFirst, s.Stages[0])
			assert.Equal(t, s.End, s.Stages[len(s.Stages)-1].End)
			assert.NotZero(t, s.Totals, "totals come from the stages when Oura sent none")
		})
	}
}

// TestPhaseRunsMatchOuraPhases pins phaseRuns to normalize.OuraPhases.
func TestPhaseRunsMatchOuraPhases(t *testing.T) {
	start := at("2024-03-30T22:12:41Z")
	for _, phases := range []string{"4", "44112233", "4422222224", "1234123412341234", "2222222222222222222222222222222222222"} {
		want, err := normalize.OuraPhases(start, phases, 30*time.Second)
		require.NoError(t, err)
		got, err := normalize.ExpandSpans(normalize.SchemeOura, phaseRuns(phases, start, 30*time.Second))
		require.NoError(t, err)
		assert.Equal(t, want, got, phases)
	}
}

func TestSleepNapAndDST(t *testing.T) {
	t.Run("spring-forward night lasts 7 h 32 min 30 s", func(t *testing.T) {
		res := decodeOne(t, wearables.DataSleep, `{"id":"n","bedtime_start":"2024-03-30T23:12:41+01:00","bedtime_end":"2024-03-31T07:45:11+02:00","day":"2024-03-31","time_in_bed":27150,"type":"long_sleep"}`)
		require.Len(t, res.Records.Sleep, 1)
		s := res.Records.Sleep[0]
		assert.Equal(t, 7*time.Hour+32*time.Minute+30*time.Second, s.End.Sub(s.Start))
		assert.Equal(t, wearables.Offset(3600), s.Offset, "the offset at bedtime")
		assert.False(t, s.IsNap)
	})
	for _, tc := range []struct {
		name, typ, start, end string
		want                  bool
	}{
		{"type sleep is a nap", `"sleep"`, "2024-03-31T14:05:12+02:00", "2024-03-31T14:52:42+02:00", true},
		{"late_nap is a nap", `"late_nap"`, "2024-03-31T19:05:12+02:00", "2024-03-31T19:52:42+02:00", true},
		{"long_sleep is not", `"long_sleep"`, "2024-03-31T13:00:00+02:00", "2024-03-31T16:30:00+02:00", false},
		{"no type: short and in the afternoon", `null`, "2024-03-31T14:05:12+02:00", "2024-03-31T14:52:42+02:00", true},
		{"no type: short at night", `null`, "2024-03-31T02:05:12+02:00", "2024-03-31T03:52:42+02:00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := decodeOne(t, wearables.DataSleep, `{"id":"n","bedtime_start":"`+tc.start+`","bedtime_end":"`+tc.end+`","day":"2024-03-31","time_in_bed":0,"type":`+tc.typ+`}`)
			require.Len(t, res.Records.Sleep, 1)
			assert.Equal(t, tc.want, res.Records.Sleep[0].IsNap)
		})
	}
}

func TestRejections(t *testing.T) {
	for _, tc := range []struct {
		name      string
		dt        wearables.DataType
		doc       string
		wantField string
	}{
		{"sleep without bedtime", wearables.DataSleep, `{"id":"s","bedtime_start":"","bedtime_end":"2024-03-31T07:00:00+02:00","day":"2024-03-31"}`, "bedtime_start"},
		{"sleep without id", wearables.DataSleep, `{"bedtime_start":"2024-03-31T00:00:00+02:00","bedtime_end":"2024-03-31T07:00:00+02:00"}`, "id"},
		{"workout with a naive time", wearables.DataWorkouts, `{"id":"w","activity":"running","start_datetime":"2024-03-30T09:12:00","end_datetime":"2024-03-30T10:00:00+01:00"}`, "start_datetime"},
		{"score with a malformed day", DataDailySleep, `{"id":"d","contributors":{},"day":"31/03/2024","score":80,"timestamp":"2024-03-31T00:00:00+00:00"}`, "day"},
		{"unknown resilience level", DataDailyResilience, `{"id":"r","day":"2024-03-31","contributors":{},"level":"heroic"}`, "level"},
		{"heart rate without a time", DataHeartRate, `{"bpm":60,"source":"awake","timestamp":"soon"}`, "timestamp"},
		{"implausible heart rate", DataHeartRate, `{"bpm":400,"source":"awake","timestamp":"2024-03-31T00:00:00+00:00"}`, "Value"},
		{"sample series with a zero interval", DataDailyActivity, `{"id":"a","contributors":{},"day":"2024-03-30","met":{"interval":0,"items":[1.2],"timestamp":"2024-03-30T04:00:00+01:00"},"timestamp":"2024-03-30T04:00:00+01:00"}`, "met.interval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := decodeOne(t, tc.dt, tc.doc)
			require.Len(t, res.Rejected, 1, "%+v", res.Rejected)
			assert.Equal(t, tc.wantField, res.Rejected[0].Field)
			assert.NotEmpty(t, res.Rejected[0].Reason)
		})
	}
}

func TestHeartRateTime(t *testing.T) {
	// timestamp_unix wins; without it, timestamp is parsed. Either way the
	// offset is unknown: Oura stamps heart rate in UTC.
	for _, doc := range []string{
		`{"timestamp":"2024-03-31T00:00:13+00:00","timestamp_unix":1711843213000,"bpm":62,"source":"awake"}`,
		`{"bpm":62,"source":"awake","timestamp":"2024-03-31T00:00:13+00:00"}`,
	} {
		res := decodeOne(t, DataHeartRate, doc)
		require.Len(t, res.Records.Samples, 1)
		s := res.Records.Samples[0]
		assert.Equal(t, at("2024-03-31T00:00:13Z"), s.Start)
		assert.Equal(t, wearables.NoOffset, s.Offset)
		assert.Equal(t, 62.0, s.Value)
	}
}

func TestDocIDAcceptsNumbers(t *testing.T) {
	for in, want := range map[string]docID{`"a-1"`: "a-1", `12345`: "12345", `null`: ""} {
		var id docID
		require.NoError(t, json.Unmarshal([]byte(in), &id))
		assert.Equal(t, want, id)
	}
	var id docID
	assert.Error(t, json.Unmarshal([]byte(`{}`), &id))
}

func TestWorkoutType(t *testing.T) {
	for in, want := range map[string]wearables.WorkoutType{
		"running":              wearables.WorkoutRunning,
		"Strength Training":    wearables.WorkoutStrengthTraining,
		"cross-country_skiing": wearables.WorkoutCrossCountrySkiing,
		"unicycling":           wearables.WorkoutOther,
		"":                     wearables.WorkoutOther,
	} {
		assert.Equal(t, want, WorkoutType(in), in)
	}
	for name, typ := range activities {
		assert.True(t, typ.Valid(), "activity %q maps to an unknown type", name)
	}
}

func TestFetchErrors(t *testing.T) {
	p := New(Config{ClientID: "c", ClientSecret: "s", BaseURL: "http://127.0.0.1:1"})
	ctx := context.Background()
	req := wearables.FetchRequest{DataType: DataHeartRate, Start: at("2024-03-31T00:00:00Z"), End: at("2024-04-01T00:00:00Z")}
	for _, tc := range []struct {
		name string
		edit func(*wearables.FetchRequest)
		want error
	}{
		{"unknown data type", func(r *wearables.FetchRequest) { r.DataType = "tag" }, wearables.ErrUnsupported},
		{"empty window", func(r *wearables.FetchRequest) { r.End = r.Start }, wearables.ErrInvalid},
		{"foreign page token", func(r *wearables.FetchRequest) { r.PageToken = "eyJvIjo0fQ==" }, wearables.ErrInvalid},
		{"negative chunk", func(r *wearables.FetchRequest) { r.PageToken = "-1.x" }, wearables.ErrInvalid},
		{"chunk past the window", func(r *wearables.FetchRequest) { r.PageToken = "3." }, wearables.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := req
			tc.edit(&r)
			res, err := p.Fetch(ctx, r)
			assert.ErrorIs(t, err, tc.want)
			assert.Zero(t, res.Records.Len())
		})
	}
}

func TestSeriesToken(t *testing.T) {
	for _, tok := range []seriesToken{{0, ""}, {1, "eyJvIjo0fQ=="}, {12, "a.b.c"}} {
		got, err := parseSeriesToken(tok.String())
		require.NoError(t, err)
		assert.Equal(t, tok, got)
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
