package whoop

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

func TestSportType(t *testing.T) {
	id := func(n int64) *int64 { return &n }
	for _, tc := range []struct {
		name    string
		sportID *int64
		want    wearables.WorkoutType
		raw     string
	}{
		{"running", nil, wearables.WorkoutRunning, "running"},
		{"hiking-rucking", nil, wearables.WorkoutHiking, "hiking-rucking"},
		{"Hiking/Rucking", nil, wearables.WorkoutHiking, "Hiking/Rucking"},
		{"mountain biking", nil, wearables.WorkoutMountainBiking, "mountain biking"},
		{"Track & Field", nil, wearables.WorkoutTrackAndField, "Track & Field"},
		{"track-and-field", nil, wearables.WorkoutTrackAndField, "track-and-field"},
		{"Barry's", nil, wearables.WorkoutCircuitTraining, "Barry's"},
		{"spin", nil, wearables.WorkoutIndoorCycling, "spin"},
		{"ice-bath", nil, wearables.WorkoutIceBath, "ice-bath"},
		{"  Sauna ", nil, wearables.WorkoutSauna, "  Sauna "},
		{"activity", id(-1), wearables.WorkoutOther, "activity"},
		{"underwater-hockey", nil, wearables.WorkoutOther, "underwater-hockey"},
		{"underwater-hockey", id(33), wearables.WorkoutSwimming, "underwater-hockey"}, // v1 sport_id as fallback
		{"", id(52), wearables.WorkoutHiking, "sport_id:52"},
		{"", id(9999), wearables.WorkoutOther, "sport_id:9999"},
		{"", nil, wearables.WorkoutOther, ""},
	} {
		t.Run(tc.name+"/"+tc.raw, func(t *testing.T) {
			typ, raw := sportType(tc.name, tc.sportID)
			assert.Equal(t, tc.want, typ)
			assert.Equal(t, tc.raw, raw)
		})
	}
}

func TestSportTable(t *testing.T) {
	names := map[string]bool{}
	ids := map[int64]bool{}
	for _, s := range sports {
		assert.False(t, names[s.name], "sport %q listed twice", s.name)
		assert.False(t, ids[s.id], "sport id %d listed twice", s.id)
		names[s.name], ids[s.id] = true, true
		assert.True(t, s.typ.Valid(), "sport %q maps to an unknown workout type", s.name)
		assert.Equal(t, s.name, sportSlug(s.name), "sport %q is not in slug form", s.name)
	}
	for alias, name := range sportAliases {
		assert.True(t, names[name], "alias %q points at unknown sport %q", alias, name)
	}
}

func TestFlexID(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      bool
	}{
		{`"ecfc6a15-4661-442f-a9a4-f160dd7afae8"`, "ecfc6a15-4661-442f-a9a4-f160dd7afae8", false},
		{`93845`, "93845", false},
		{`9223372036854775807`, "9223372036854775807", false},
		{`null`, "", false},
		{`true`, "", true},
		{`{}`, "", true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			var id flexID
			err := json.Unmarshal([]byte(tc.in), &id)
			if tc.err {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(id))
		})
	}
}

func TestNextToken(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"records":[]}`, ""},
		{`{"records":[],"next_token":null}`, ""},
		{`{"records":[],"next_token":""}`, ""},
		{`{"records":[],"next_token":"MTIzOjEyMzEyMw"}`, "MTIzOjEyMzEyMw"},
	} {
		var p page[rawSleep]
		require.NoError(t, json.Unmarshal([]byte(tc.body), &p))
		assert.Equal(t, tc.want, p.next(), tc.body)
	}
}

// TestScoreStates checks that unscored records keep what is known and
// that nothing is invented for them.
func TestScoreStates(t *testing.T) {
	for _, state := range []string{statePendingScore, stateUnscorable, "SOMETHING_NEW"} {
		t.Run(state, func(t *testing.T) {
			// A score object next to a non-SCORED state is ignored.
			sleeps := normalizeSleeps([]rawSleep{{
				ID: "s1", Start: "2024-01-01T23:00:00.000Z", End: "2024-01-02T07:00:00.000Z", TimezoneOffset: "+01:00",
				ScoreState: state, Score: &rawSleepScore{SleepPerformancePercentage: ptr(90)},
			}})
			require.Len(t, sleeps.Records.Sleep, 1)
			s := sleeps.Records.Sleep[0]
			assert.Equal(t, wearables.StageTotals{}, s.Totals)
			assert.Nil(t, s.Efficiency)
			assert.Nil(t, s.RespiratoryRate)
			assert.Empty(t, sleeps.Records.Scores)
			assert.Equal(t, wearables.Offset(3600), s.Offset)

			workouts := normalizeWorkouts([]rawWorkout{{
				ID: "w1", Start: "2024-01-01T10:00:00.000Z", End: "2024-01-01T11:00:00.000Z", TimezoneOffset: "Z",
				SportName: "running", ScoreState: state, Score: &rawWorkoutScore{Kilojoule: ptr(1000)},
			}})
			require.Len(t, workouts.Records.Workouts, 1)
			w := workouts.Records.Workouts[0]
			assert.Equal(t, wearables.WorkoutRunning, w.Type)
			assert.Nil(t, w.Energy)
			assert.Empty(t, w.Zones)

			cycles := normalizeCycles([]rawCycle{{
				ID: "1", Start: "2024-01-01T23:00:00.000Z", End: ptrS("2024-01-02T23:00:00.000Z"), TimezoneOffset: "+01:00",
				ScoreState: state, Score: &rawCycleScore{Strain: ptr(10)},
			}}, []rawRecovery{{
				CycleID: "1", SleepID: "s1", CreatedAt: "2024-01-02T07:05:00.000Z",
				ScoreState: state, Score: &rawRecoveryScore{RecoveryScore: ptr(50)},
			}})
			assert.Zero(t, cycles.Records.Len())
			assert.Empty(t, cycles.Rejected)
		})
	}
}

func TestSleepTotals(t *testing.T) {
	res := normalizeSleeps([]rawSleep{{
		ID: "s1", Start: "2024-01-01T23:00:00.000Z", End: "2024-01-02T07:00:00.000Z", TimezoneOffset: "-05:00",
		ScoreState: stateScored,
		Score: &rawSleepScore{StageSummary: &rawStageSummary{
			TotalInBedTimeMilli:         ptr(8 * 3600e3),
			TotalAwakeTimeMilli:         ptr(1800e3),
			TotalNoDataTimeMilli:        ptr(600e3),
			TotalLightSleepTimeMilli:    ptr(4 * 3600e3),
			TotalSlowWaveSleepTimeMilli: ptr(3600e3),
			TotalREMSleepTimeMilli:      ptr(5400e3),
		}},
	}})
	require.Empty(t, res.Rejected)
	require.Len(t, res.Records.Sleep, 1)
	assert.Equal(t, wearables.StageTotals{
		Awake:   30 * time.Minute,
		Unknown: 10 * time.Minute,
		Light:   4 * time.Hour,
		Deep:    time.Hour,
		REM:     90 * time.Minute,
		InBed:   50 * time.Minute, // 8 h in bed − 7 h 10 min of stages
	}, res.Records.Sleep[0].Totals)
	assert.Empty(t, res.Records.Scores, "no sleep performance, no score")

	neg := normalizeSleeps([]rawSleep{{
		ID: "s2", Start: "2024-01-01T23:00:00.000Z", End: "2024-01-02T07:00:00.000Z", TimezoneOffset: "Z",
		ScoreState: stateScored,
		Score:      &rawSleepScore{StageSummary: &rawStageSummary{TotalREMSleepTimeMilli: ptr(-1)}},
	}})
	assert.Empty(t, neg.Records.Sleep)
	require.Len(t, neg.Rejected, 1)
	assert.Equal(t, "score.stage_summary.total_rem_sleep_time_milli", neg.Rejected[0].Field)
}

func TestRejections(t *testing.T) {
	res := normalizeWorkouts([]rawWorkout{
		{ID: "", Start: "2024-01-01T10:00:00.000Z", End: "2024-01-01T11:00:00.000Z"},
		{ID: "bad-start", Start: "yesterday", End: "2024-01-01T11:00:00.000Z"},
		{ID: "bad-offset", Start: "2024-01-01T10:00:00.000Z", End: "2024-01-01T11:00:00.000Z", TimezoneOffset: "+99:00", SportName: "yoga"},
		{ID: "hot", Start: "2024-01-01T10:00:00.000Z", End: "2024-01-01T11:00:00.000Z", ScoreState: stateScored,
			Score: &rawWorkoutScore{MaxHeartRate: ptr(400)}},
	})
	require.Len(t, res.Records.Workouts, 1, "only the workout with a bad offset is kept, without one")
	assert.Equal(t, "bad-offset", res.Records.Workouts[0].ProviderRecordID)
	assert.Equal(t, wearables.NoOffset, res.Records.Workouts[0].Offset)
	require.Len(t, res.Rejected, 3)
	assert.Equal(t, "id", res.Rejected[0].Field)
	assert.Equal(t, "bad-start", res.Rejected[1].ProviderRecordID)
	assert.Equal(t, "hot", res.Rejected[2].ProviderRecordID)
	assert.Contains(t, res.Rejected[2].Reason, "400")
}

// TestRecoveryJoin checks that a recovery takes its cycle's offset and day,
// and that recoveries of cycles not on the page are left for their page.
func TestRecoveryJoin(t *testing.T) {
	res := normalizeCycles([]rawCycle{{
		ID: "7", Start: "2024-01-01T22:30:00.000Z", End: ptrS("2024-01-02T22:00:00.000Z"), TimezoneOffset: "+05:45",
		UpdatedAt: "2024-01-02T22:01:00.000Z", ScoreState: stateScored,
	}}, []rawRecovery{
		{CycleID: "7", SleepID: "uuid-7", CreatedAt: "2024-01-02T02:00:00.000Z", UpdatedAt: "2024-01-02T02:00:05.000Z",
			ScoreState: stateScored, Score: &rawRecoveryScore{RecoveryScore: ptr(80), RestingHeartRate: ptr(48)}},
		{CycleID: "6", SleepID: "uuid-6", CreatedAt: "2024-01-01T02:00:00.000Z",
			ScoreState: stateScored, Score: &rawRecoveryScore{RecoveryScore: ptr(20)}},
	})
	require.Empty(t, res.Rejected)
	require.Len(t, res.Records.Scores, 1, "the cycle has no score; the other page's recovery is skipped")
	sc := res.Records.Scores[0]
	assert.Equal(t, "uuid-7", sc.ProviderRecordID)
	assert.Equal(t, wearables.Offset(5*3600+45*60), sc.Offset)
	// The cycle starts at 04:15 local on 2 January: 2 January.
	assert.Equal(t, wearables.Date{Year: 2024, Month: time.January, Day: 2}, sc.Date)
	assert.Equal(t, map[string]float64{"user_calibrating": 0}, sc.Contributors)
	require.Len(t, res.Records.Samples, 1)
	assert.Equal(t, wearables.SeriesRestingHeartRate, res.Records.Samples[0].Type)
	assert.Equal(t, sc.Offset, res.Records.Samples[0].Offset)
}

func TestCycleSpan(t *testing.T) {
	end := time.Date(2024, 3, 12, 12, 0, 0, 0, time.UTC)
	_, _, ok := cycleSpan(nil, end)
	assert.False(t, ok)
	lo, hi, ok := cycleSpan([]rawCycle{{Start: "garbage"}, {Start: "2024-03-12T03:05:12.400Z"}}, end)
	require.True(t, ok)
	assert.Equal(t, "2024-03-12T03:05:12.400Z", formatTime(lo))
	assert.Equal(t, end, hi, "an ongoing cycle runs to the window end")
	lo, hi, ok = cycleSpan([]rawCycle{{Start: "2024-03-13T00:00:00.000Z"}}, end)
	require.True(t, ok)
	assert.Equal(t, lo.Add(time.Millisecond), hi, "never an empty span")
}

func TestVerifyWebhook(t *testing.T) {
	now := time.Date(2025, 5, 26, 6, 34, 1, 0, time.UTC)
	body := []byte(`{"user_id":10129,"id":"ecfc6a15-4661-442f-a9a4-f160dd7afae8","type":"sleep.updated","trace_id":"e369c784-5100-49e8-8098-75d35c47b31b"}`)
	p := New(Config{ClientSecret: "secret", Now: func() time.Time { return now }})
	req := func(h map[string]string) error {
		r := httptest.NewRequest("POST", "/webhook", strings.NewReader(string(body)))
		for k, v := range h {
			r.Header.Set(k, v)
		}
		return p.VerifyWebhook(r, body)
	}
	good := SignWebhook("secret", now.Add(-time.Minute), body)
	sig, stamp := good.Get(HeaderSignature), good.Get(HeaderSignatureTimestamp)
	assert.Equal(t, "1748241181000", stamp, "milliseconds")
	for _, tc := range []struct {
		name string
		h    map[string]string
		ok   bool
	}{
		{"valid", map[string]string{HeaderSignature: sig, HeaderSignatureTimestamp: stamp}, true},
		{"lower-case headers", map[string]string{"x-whoop-signature": sig, "x-whoop-signature-timestamp": stamp}, true},
		{"future within tolerance", headers(SignWebhook("secret", now.Add(4*time.Minute), body)), true},
		{"future beyond tolerance", headers(SignWebhook("secret", now.Add(6*time.Minute), body)), false},
		{"stale", headers(SignWebhook("secret", now.Add(-6*time.Minute), body)), false},
		{"seconds, not milliseconds", map[string]string{HeaderSignature: sig, HeaderSignatureTimestamp: stamp[:10]}, false},
		{"timestamp not a number", map[string]string{HeaderSignature: sig, HeaderSignatureTimestamp: "yesterday"}, false},
		{"signature not base64", map[string]string{HeaderSignature: "%%%", HeaderSignatureTimestamp: stamp}, false},
		{"hex instead of base64", map[string]string{HeaderSignature: "deadbeef", HeaderSignatureTimestamp: stamp}, false},
		{"no headers", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := req(tc.h)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, wearables.ErrUnauthorized)
			}
		})
	}
	t.Run("no secret configured", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/webhook", nil)
		for k, v := range SignWebhook("", now, body) {
			r.Header[k] = v
		}
		assert.ErrorIs(t, New(Config{Now: func() time.Time { return now }}).VerifyWebhook(r, body), wearables.ErrUnauthorized)
	})
}

func headers(h map[string][]string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v[0]
	}
	return out
}

func TestParseWebhookErrors(t *testing.T) {
	p := New(Config{})
	for _, tc := range []struct {
		body string
		want error
	}{
		{`not json`, wearables.ErrInvalid},
		{`{"user_id":10129,"type":"sleep.updated"}`, wearables.ErrInvalid},
		{`{"id":"x","type":"sleep.updated"}`, wearables.ErrInvalid},
		{`{"user_id":10129,"id":"x","type":"cycle.updated"}`, wearables.ErrUnsupported},
		{`{"user_id":10129,"id":"x","type":"sleep.created"}`, wearables.ErrUnsupported},
		{`{"user_id":10129,"id":"x","type":"sleep"}`, wearables.ErrUnsupported},
	} {
		_, err := p.ParseWebhook([]byte(tc.body))
		assert.ErrorIs(t, err, tc.want, tc.body)
	}
	// Without a trace_id the dedupe key is still stable.
	a, err := p.ParseWebhook([]byte(`{"user_id":1,"id":"x","type":"workout.updated"}`))
	require.NoError(t, err)
	b, err := p.ParseWebhook([]byte(`{"id":"x","type":"workout.updated","user_id":1}`))
	require.NoError(t, err)
	assert.Equal(t, a[0].DedupeKey, b[0].DedupeKey)
}

func TestFetchErrors(t *testing.T) {
	p := New(Config{})
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := p.Fetch(context.Background(), wearables.FetchRequest{DataType: "heartrate", Start: start, End: start.Add(time.Hour)})
	assert.ErrorIs(t, err, wearables.ErrUnsupported)
	_, err = p.Fetch(context.Background(), wearables.FetchRequest{DataType: DataCycles, Start: start, End: start})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	assert.ErrorIs(t, p.Revoke(context.Background(), nil, wearables.Connection{}, nil), wearables.ErrInvalid)
	assert.ErrorIs(t, p.Revoke(context.Background(), nil, wearables.Connection{}, &oauth2.Token{}), wearables.ErrInvalid)
}

func TestDefaults(t *testing.T) {
	p := New(Config{PageSize: 100})
	assert.Equal(t, MaxPageSize, p.cfg.PageSize)
	spec := p.OAuth()
	assert.Equal(t, DefaultAuthURL, spec.Endpoint.AuthURL)
	assert.Equal(t, DefaultTokenURL, spec.Endpoint.TokenURL)
	assert.Equal(t, oauth2.AuthStyleInParams, spec.Endpoint.AuthStyle)
	assert.Contains(t, spec.Scopes, "offline", "without offline WHOOP issues no refresh token")
	spec.Scopes[0] = "changed"
	assert.Equal(t, "offline", p.OAuth().Scopes[0], "OAuth returns a copy")
}

func ptr(v float64) *float64 { return &v }
func ptrS(s string) *string  { return &s }
