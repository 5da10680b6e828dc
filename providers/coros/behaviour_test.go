package coros_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/coros"
)

// serve answers the workout list with file and records the queries.
func serve(t *testing.T, file string) (*coros.Provider, *[]string) {
	t.Helper()
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RawQuery)
		body, err := os.ReadFile("testdata/" + file)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return coros.New(coros.Config{ClientID: partnerClientID, ClientSecret: partnerClientSecret, BaseURL: srv.URL}), &seen
}

func request(start, end time.Time, token string) wearables.FetchRequest {
	return wearables.FetchRequest{Client: http.DefaultClient, DataType: wearables.DataWorkouts, Start: start, End: end, PageToken: token,
		Connection: wearables.Connection{ProviderUserID: openID}}
}

func TestFetchChunks(t *testing.T) {
	p, seen := serve(t, "workouts_empty.json")
	start, end := utc("2024-01-01T12:00:00Z"), utc("2024-03-01T00:00:01Z") // 61 dates
	var tokens []string
	token := ""
	for {
		res, err := p.Fetch(context.Background(), request(start, end, token))
		require.NoError(t, err)
		assert.Empty(t, res.Records.Workouts)
		if res.NextPageToken == "" {
			break
		}
		token = res.NextPageToken
		tokens = append(tokens, token)
	}
	assert.Equal(t, []string{"1", "2"}, tokens)
	assert.Equal(t, []string{
		"endDate=20240130&openId=" + openID + "&startDate=20240101",
		"endDate=20240229&openId=" + openID + "&startDate=20240131",
		"endDate=20240301&openId=" + openID + "&startDate=20240301",
	}, *seen)
}

func TestFetchRefusals(t *testing.T) {
	p, _ := serve(t, "workouts_march.json")
	start := utc("2024-03-01T00:00:00Z")
	noUser := request(start, start.Add(time.Hour), "")
	noUser.Connection.ProviderUserID = ""
	other := request(start, start.Add(time.Hour), "")
	other.DataType = wearables.DataSleep
	for name, c := range map[string]struct {
		req  wearables.FetchRequest
		want error
	}{
		"unknown data type":     {other, wearables.ErrUnsupported},
		"empty window":          {request(start, start, ""), wearables.ErrInvalid},
		"no openId":             {noUser, wearables.ErrInvalid},
		"token not a number":    {request(start, start.AddDate(0, 2, 0), "x"), wearables.ErrInvalid},
		"token with a sign":     {request(start, start.AddDate(0, 2, 0), "+1"), wearables.ErrInvalid},
		"token past the window": {request(start, start.AddDate(0, 0, 10), "1"), wearables.ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := p.Fetch(context.Background(), c.req)
			require.ErrorIs(t, err, c.want)
		})
	}
}

func TestFetchResultCode(t *testing.T) {
	p, _ := serve(t, "error_token_invalid.json")
	start := utc("2024-03-01T00:00:00Z")
	res, err := p.Fetch(context.Background(), request(start, start.Add(time.Hour), ""))
	var pe *wearables.ProviderError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 5001, pe.StatusCode)
	assert.Contains(t, err.Error(), "access token is invalid")
	assert.Empty(t, res.Records.Workouts)
}

func TestProviderUserID(t *testing.T) {
	p := coros.New(coros.Config{})
	for name, c := range map[string]struct {
		extra map[string]any
		want  string
	}{
		"string":  {map[string]any{"openId": openID}, openID},
		"number":  {map[string]any{"openId": float64(4074197679)}, "4074197679"},
		"missing": {map[string]any{}, ""},
		"float":   {map[string]any{"openId": 1.5}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			tok := (&oauth2.Token{AccessToken: "a"}).WithExtra(c.extra)
			id, err := p.ProviderUserID(context.Background(), nil, tok)
			if c.want == "" {
				require.ErrorIs(t, err, wearables.ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, id)
		})
	}
}

func TestVerifyWebhookNeedsConfiguredCredentials(t *testing.T) {
	p := coros.New(coros.Config{})
	r := httptest.NewRequest(http.MethodPost, "/webhooks/coros", nil)
	r.Header.Set(coros.ClientHeader, "")
	r.Header.Set(coros.SecretHeader, "")
	require.ErrorIs(t, p.VerifyWebhook(r, nil), wearables.ErrUnauthorized)
}

func TestWorkoutType(t *testing.T) {
	assert.Equal(t, wearables.WorkoutRunning, coros.WorkoutType(8, 1))
	assert.Equal(t, wearables.WorkoutTrailRunning, coros.WorkoutType(15, 1))
	assert.Equal(t, wearables.WorkoutOther, coros.WorkoutType(8, 3))
}

func TestConfigRedactsSecret(t *testing.T) {
	cfg := coros.Config{ClientID: "id", ClientSecret: "very-secret"}
	for _, s := range []string{cfg.String(), cfg.GoString()} {
		assert.False(t, strings.Contains(s, "very-secret"), s)
	}
}
