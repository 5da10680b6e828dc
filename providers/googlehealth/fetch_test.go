package googlehealth_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/googlehealth"
	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/providertest"
)

// kitClient returns a provider and an authorized client against the fake
// server serving fixtures.
func kitClient(t *testing.T, fx providertest.Fixtures) (*googlehealth.Provider, *http.Client, *providertest.Server) {
	t.Helper()
	srv, err := providertest.NewServer(vendor, fx)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	p, err := newProvider(srv.Env())
	require.NoError(t, err)
	tokens := providerhttp.NewLocalTokens(srv.OAuthConfig(""), srv.IssueToken(), srv.Client())
	return p.(*googlehealth.Provider), providerhttp.NewClient(tokens, srv.Client()), srv
}

func TestFetchRejectsBadRequests(t *testing.T) {
	p := googlehealth.New(googlehealth.Config{})
	start := at("2024-03-09T00:00:00Z")
	for _, c := range []struct {
		name string
		req  wearables.FetchRequest
		want error
	}{
		{"unknown data type", wearables.FetchRequest{DataType: "floors", Start: start, End: start.Add(time.Hour)}, wearables.ErrUnsupported},
		{"empty window", wearables.FetchRequest{DataType: googlehealth.DataSteps, Start: start, End: start}, wearables.ErrInvalid},
		{"window ends before it starts", wearables.FetchRequest{DataType: wearables.DataSleep, Start: start, End: start.Add(-time.Hour)}, wearables.ErrInvalid},
		{"rollup token not a number", wearables.FetchRequest{DataType: wearables.DataDailySummaries, Start: start, End: start.Add(24 * time.Hour), PageToken: "x"}, wearables.ErrInvalid},
		{"rollup token zero", wearables.FetchRequest{DataType: wearables.DataDailySummaries, Start: start, End: start.Add(24 * time.Hour), PageToken: "0"}, wearables.ErrInvalid},
		{"rollup token signed", wearables.FetchRequest{DataType: wearables.DataDailySummaries, Start: start, End: start.Add(24 * time.Hour), PageToken: "+1"}, wearables.ErrInvalid},
		{"rollup token past the window", wearables.FetchRequest{DataType: wearables.DataDailySummaries, Start: start, End: start.Add(24 * time.Hour), PageToken: "1"}, wearables.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := p.Fetch(context.Background(), c.req)
			assert.ErrorIs(t, err, c.want)
			assert.Zero(t, res.Records.Len())
		})
	}
}

// TestRollupChunks fetches daily summaries over 40 days: 42 civil days
// with the day either side, read in 14-day chunks, each chunk one
// dailyRollUp request per type with the chunk's civil range.
func TestRollupChunks(t *testing.T) {
	type civil struct {
		Date struct{ Year, Month, Day int } `json:"date"`
	}
	var (
		mu     sync.Mutex
		ranges = map[string][]string{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Range struct {
				Start civil `json:"start"`
				End   civil `json:"end"`
			} `json:"range"`
			WindowSizeDays int `json:"windowSizeDays"`
		}
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || json.Unmarshal(body, &req) != nil || req.WindowSizeDays != 1 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		d := func(c civil) string {
			return time.Date(c.Date.Year, time.Month(c.Date.Month), c.Date.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
		mu.Lock()
		ranges[r.URL.Path] = append(ranges[r.URL.Path], d(req.Range.Start)+"/"+d(req.Range.End))
		mu.Unlock()
		// One day of steps at the start of the range.
		s := req.Range.Start.Date
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v4/users/me/dataTypes/steps/dataPoints:dailyRollUp" {
			_, _ = io.WriteString(w, `{"rollupDataPoints": [{"civilStartTime": {"date": {"year": `+strconv.Itoa(s.Year)+`, "month": `+strconv.Itoa(s.Month)+`, "day": `+strconv.Itoa(s.Day)+`}}, "steps": {"countSum": "1000"}}]}`)
			return
		}
		_, _ = io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	p := googlehealth.New(googlehealth.Config{BaseURL: srv.URL})
	req := wearables.FetchRequest{DataType: wearables.DataDailySummaries, Start: at("2024-01-01T00:00:00Z"), End: at("2024-02-10T00:00:00Z"), Client: srv.Client()}
	var days []string
	for range 10 {
		res, err := p.Fetch(context.Background(), req)
		require.NoError(t, err)
		for _, s := range res.Records.Summaries {
			days = append(days, s.Date.String())
			assert.Equal(t, 1000.0, s.Values[wearables.SeriesSteps])
		}
		if res.NextPageToken == "" {
			break
		}
		req.PageToken = res.NextPageToken
	}
	want := []string{"2023-12-31/2024-01-14", "2024-01-14/2024-01-28", "2024-01-28/2024-02-11"}
	for _, typ := range []string{"steps", "distance", "total-calories"} {
		assert.Equal(t, want, ranges["/v4/users/me/dataTypes/"+typ+"/dataPoints:dailyRollUp"], typ)
	}
	assert.Equal(t, []string{"2023-12-31", "2024-01-14", "2024-01-28"}, days)
}

// TestPageSize checks that Config.PageSize is sent, capped at 25 for
// sessions.
func TestPageSize(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.Query().Get("pageSize"))
		_, _ = io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	p := googlehealth.New(googlehealth.Config{BaseURL: srv.URL, PageSize: 500})
	for _, dt := range []wearables.DataType{googlehealth.DataHeartRate, wearables.DataSleep, wearables.DataWorkouts} {
		res, err := p.Fetch(context.Background(), wearables.FetchRequest{DataType: dt, Start: at("2024-01-01T00:00:00Z"), End: at("2024-01-02T00:00:00Z"), Client: srv.Client()})
		require.NoError(t, err)
		assert.Zero(t, res.Records.Len())
		assert.Empty(t, res.NextPageToken, "an empty page ({}) is the last")
	}
	assert.Equal(t, []string{"500", "25", "25"}, got)
}

// TestRepeatedPageToken stops a vendor that hands back the token it was
// asked with, which would loop forever.
func TestRepeatedPageToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"nextPageToken": "`+r.URL.Query().Get("pageToken")+`"}`)
	}))
	defer srv.Close()
	p := googlehealth.New(googlehealth.Config{BaseURL: srv.URL})
	_, err := p.Fetch(context.Background(), wearables.FetchRequest{DataType: googlehealth.DataSteps, Start: at("2024-01-01T00:00:00Z"),
		End: at("2024-01-02T00:00:00Z"), PageToken: "abc", Client: srv.Client()})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestOAuthSpec(t *testing.T) {
	spec := googlehealth.New(googlehealth.Config{}).OAuth()
	assert.Equal(t, googlehealth.DefaultAuthorizeURL, spec.Endpoint.AuthURL)
	assert.Equal(t, googlehealth.DefaultTokenURL, spec.Endpoint.TokenURL)
	assert.Equal(t, oauth2.AuthStyleInParams, spec.Endpoint.AuthStyle)
	assert.True(t, spec.PKCE)
	assert.Equal(t, map[string]string{"access_type": "offline", "prompt": "consent"}, spec.AuthParams)
	assert.Equal(t, googlehealth.DefaultScopes, spec.Scopes)
	spec.Scopes[0] = "changed"
	assert.Equal(t, googlehealth.ScopeActivity, googlehealth.New(googlehealth.Config{}).OAuth().Scopes[0], "OAuth returns a copy")
}

func TestIdentity(t *testing.T) {
	p, client, _ := kitClient(t, fixtures)
	legacy, err := p.LegacyFitbitUserID(context.Background(), client)
	require.NoError(t, err)
	assert.Equal(t, "B4F7QX", legacy)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"name": "users/me/identity"}`)
	}))
	defer srv.Close()
	_, err = googlehealth.New(googlehealth.Config{BaseURL: srv.URL}).ProviderUserID(context.Background(), srv.Client(), nil)
	assert.ErrorIs(t, err, wearables.ErrInvalid, "an identity without healthUserId")
}

// TestRevokeFallsBackToRefreshToken: Google refuses an expired access
// token with 400; the refresh token revokes the grant then.
func TestRevokeFallsBackToRefreshToken(t *testing.T) {
	var sent []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.NoError(t, r.ParseForm())
		tok := r.PostForm.Get("token")
		sent = append(sent, tok)
		if tok == "rt" {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error": "invalid_token", "error_description": "Token expired or revoked"}`)
	}))
	defer srv.Close()
	p := googlehealth.New(googlehealth.Config{RevokeURL: srv.URL + "/revoke"})
	require.NoError(t, p.Revoke(context.Background(), srv.Client(), wearables.Connection{}, &oauth2.Token{AccessToken: "at", RefreshToken: "rt"}))
	assert.Equal(t, []string{"at", "rt"}, sent)

	sent = nil
	err := p.Revoke(context.Background(), srv.Client(), wearables.Connection{}, &oauth2.Token{AccessToken: "at"})
	var pe *wearables.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.StatusBadRequest, pe.StatusCode)
	assert.NotContains(t, err.Error(), "at\"", "the token is not in the error")

	assert.ErrorIs(t, p.Revoke(context.Background(), srv.Client(), wearables.Connection{}, &oauth2.Token{}), wearables.ErrInvalid)
}
