package oura_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/oura"
)

var now = time.Date(2024, 4, 1, 9, 14, 10, 0, time.UTC)

func testProvider() *oura.Provider {
	return oura.New(oura.Config{
		ClientID:          "client",
		ClientSecret:      "secret",
		VerificationToken: "verify-me",
		Now:               func() time.Time { return now },
	})
}

func TestVerificationHandler(t *testing.T) {
	for _, tc := range []struct {
		name       string
		method     string
		query      string
		token      string // Config.VerificationToken
		wantStatus int
		wantBody   string
	}{
		{"answers the challenge", http.MethodGet, "verification_token=verify-me&challenge=c-123", "verify-me", http.StatusOK, `{"challenge":"c-123"}`},
		{"wrong token", http.MethodGet, "verification_token=guess&challenge=c-123", "verify-me", http.StatusUnauthorized, ""},
		{"no token sent", http.MethodGet, "challenge=c-123", "verify-me", http.StatusUnauthorized, ""},
		{"no token configured", http.MethodGet, "verification_token=&challenge=c-123", "", http.StatusUnauthorized, ""},
		{"no challenge", http.MethodGet, "verification_token=verify-me", "verify-me", http.StatusBadRequest, ""},
		{"not a GET", http.MethodPost, "verification_token=verify-me&challenge=c-123", "verify-me", http.StatusMethodNotAllowed, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := oura.New(oura.Config{ClientID: "client", ClientSecret: "secret", VerificationToken: tc.token})
			rec := httptest.NewRecorder()
			p.VerificationHandler().ServeHTTP(rec, httptest.NewRequest(tc.method, "/webhooks/oura?"+tc.query, nil))
			assert.Equal(t, tc.wantStatus, rec.Code)
			if tc.wantBody != "" {
				assert.JSONEq(t, tc.wantBody, rec.Body.String())
				assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte(`{"event_type":"update","data_type":"sleep","object_id":"a3f9","event_time":"2024-04-01T09:14:05.208+00:00","user_id":"u1"}`)
	secs := strconv.FormatInt(now.Unix(), 10)
	for _, tc := range []struct {
		name      string
		stamp     string
		signature string
		wantErr   bool
	}{
		{"upper-case hex, Unix seconds", secs, oura.Sign("secret", secs, body), false},
		{"lower-case hex", secs, strings.ToLower(oura.Sign("secret", secs, body)), false},
		{"Unix milliseconds", "1711962850000", oura.Sign("secret", "1711962850000", body), false},
		{"RFC 3339", "2024-04-01T09:14:00Z", oura.Sign("secret", "2024-04-01T09:14:00Z", body), false},
		{"an hour in the future", strconv.FormatInt(now.Add(time.Hour).Unix(), 10), oura.Sign("secret", strconv.FormatInt(now.Add(time.Hour).Unix(), 10), body), true},
		{"signed with another timestamp", secs, oura.Sign("secret", "1711962800", body), true},
		{"not hex", secs, "zz" + oura.Sign("secret", secs, body)[2:], true},
		{"malformed timestamp", "yesterday", oura.Sign("secret", "yesterday", body), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/webhooks/oura", nil)
			r.Header.Set("x-oura-timestamp", tc.stamp)
			r.Header.Set("x-oura-signature", tc.signature)
			err := testProvider().VerifyWebhook(r, body)
			if tc.wantErr {
				assert.ErrorIs(t, err, wearables.ErrUnauthorized)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestParseWebhook(t *testing.T) {
	const user = "8f9a5221-639e-4a85-81cb-4065ef23f979"
	note := func(eventType, dataType, id string) []byte {
		b, _ := json.Marshal(map[string]string{"event_type": eventType, "data_type": dataType, "object_id": id, "event_time": "2024-04-01T09:14:05+00:00", "user_id": user})
		return b
	}
	del := func(k wearables.RecordKind, id string) wearables.Delete {
		return wearables.Delete{Kind: k, Provider: wearables.ProviderOura, ProviderRecordID: id}
	}
	for _, tc := range []struct {
		name     string
		body     []byte
		wantType wearables.DataType
		wantDels []wearables.Delete
		noEvents bool
		wantErr  error
	}{
		{"update is a hint", note("update", "daily_sleep", "d1"), oura.DataDailySleep, nil, false, nil},
		{"vo2_max is spelled in lower case in webhooks", note("create", "vo2_max", "v1"), oura.DataVO2Max, nil, false, nil},
		{"deleted sleep", note("delete", "sleep", "s1"), wearables.DataSleep, []wearables.Delete{del(wearables.KindSleep, "s1")}, false, nil},
		{"deleted session: workout or nap", note("delete", "session", "m1"), oura.DataSessions,
			[]wearables.Delete{del(wearables.KindWorkout, "m1"), del(wearables.KindSleep, "m1")}, false, nil},
		{"deleted daily score", note("delete", "daily_readiness", "r1"), oura.DataDailyReadiness, []wearables.Delete{del(wearables.KindScore, "r1")}, false, nil},
		{"deleted SpO2 day carries nothing inline", note("delete", "daily_spo2", "o1"), oura.DataDailySpO2, nil, false, nil},
		{"a data type not synced", note("create", "tag", "t1"), "", nil, true, nil},
		{"unknown event type", note("archive", "sleep", "s1"), "", nil, false, wearables.ErrInvalid},
		{"no object id", note("update", "sleep", ""), "", nil, false, wearables.ErrInvalid},
		{"not JSON", []byte("event_type=update"), "", nil, false, wearables.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			events, err := testProvider().ParseWebhook(tc.body)
			if tc.wantErr != nil {
				assert.ErrorIs(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			if tc.noEvents {
				assert.Empty(t, events)
				return
			}
			require.Len(t, events, 1)
			e := events[0]
			assert.Equal(t, tc.wantType, e.DataType)
			assert.Equal(t, user, e.ProviderUserID)
			assert.NotEmpty(t, e.DedupeKey)
			if tc.wantDels == nil {
				assert.Nil(t, e.Records)
			} else if assert.NotNil(t, e.Records) {
				assert.Equal(t, tc.wantDels, e.Records.Deletes)
			}
		})
	}
}
