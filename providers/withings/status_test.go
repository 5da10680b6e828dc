package withings_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/withings"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

// fakeWithings answers like Withings does: HTTP 200 for everything, the
// outcome in the body's status. The data route answers body (a recorded
// page) to the fresh access token and stale (an error envelope) to any
// other; the token endpoint answers a recorded token response.
type fakeWithings struct {
	t     *testing.T
	srv   *httptest.Server
	fresh string // the access token the data route accepts
	page  []byte // the data route's answer to it
	stale []byte // its answer to any other token
	token []byte // the token endpoint's answer

	mu        sync.Mutex
	data      int
	refreshes int
	forms     []map[string]string
}

func newFakeWithings(t *testing.T, page, stale, token []byte, fresh string) *fakeWithings {
	f := &fakeWithings{t: t, page: page, stale: stale, token: token, fresh: fresh}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWithings) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	form := map[string]string{}
	for k := range r.PostForm {
		form[k] = r.PostForm.Get(k)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/v2/oauth2":
		f.refreshes++
		f.forms = append(f.forms, form)
		_, _ = w.Write(f.token)
	case "/measure":
		f.data++
		if r.Header.Get("Authorization") == "Bearer "+f.fresh {
			_, _ = w.Write(f.page)
			return
		}
		_, _ = w.Write(f.stale)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeWithings) counts() (data, refreshes int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.data, f.refreshes
}

// measuresRequest asks for the recorded measures window.
func measuresRequest(client *http.Client) wearables.FetchRequest {
	return wearables.FetchRequest{
		Client:     client,
		Connection: wearables.Connection{ID: "c", UserID: "u", Provider: wearables.ProviderWithings, ProviderUserID: userID},
		DataType:   withings.DataMeasures,
		Start:      time.Date(2024, 3, 29, 0, 0, 0, 0, time.UTC),
		End:        time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
	}
}

// client builds what the syncer builds: the shared refresh-once transport
// over LocalTokens, whose x/oauth2 calls go through the provider's
// TokenClient.
func (f *fakeWithings) client(p *withings.Provider, stale string) (*http.Client, *providerhttp.LocalTokens) {
	cfg := &oauth2.Config{ClientID: "id", ClientSecret: "secret", Endpoint: p.OAuth().Endpoint}
	tok := &oauth2.Token{AccessToken: stale, RefreshToken: "rt-old", TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
	tokens := providerhttp.NewLocalTokens(cfg, tok, p.TokenClient(f.srv.Client()))
	return providerhttp.NewClient(tokens, f.srv.Client()), tokens
}

// TestInBody401RefreshesOnce is the path the kit cannot inject: Withings
// says "token expired" with HTTP 200 and status 401 in the body. The shared
// transport must see it, refresh exactly once through Withings' wrapped
// token endpoint, and retry exactly once.
func TestInBody401RefreshesOnce(t *testing.T) {
	const fresh = "9d2a3c5e7f1b4d6a8c0e2f4a6b8d0c2e4f6a8b0d" // oauth2_refreshtoken.json
	f := newFakeWithings(t, readFixture(t, "measures_2.json"), readFixture(t, "status_401.json"), readFixture(t, "oauth2_refreshtoken.json"), fresh)
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: f.srv.URL})
	client, tokens := f.client(p, "expired-token")

	res, err := p.Fetch(context.Background(), measuresRequest(client))
	require.NoError(t, err)
	assert.NotEmpty(t, res.Records.Samples, "the retried page carries its records")
	data, refreshes := f.counts()
	assert.Equal(t, 2, data, "the in-body 401 and one retry")
	assert.Equal(t, 1, refreshes, "exactly one refresh")
	assert.Equal(t, fresh, tokens.Current().AccessToken)
	assert.Equal(t, "4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f", tokens.Current().RefreshToken, "the rotated refresh token is kept")
	require.Len(t, f.forms, 1)
	assert.Equal(t, map[string]string{"action": "requesttoken", "grant_type": "refresh_token", "refresh_token": "rt-old",
		"client_id": "id", "client_secret": "secret"}, f.forms[0], "Withings' token request")
}

// TestInBodyStatuses maps Withings' in-body statuses to the typed errors
// every provider returns; only "Authentication failed" costs a refresh.
func TestInBodyStatuses(t *testing.T) {
	for _, c := range []struct {
		name      string
		body      string
		status    int
		sentinel  error
		refreshes int
		check     func(t *testing.T, pe *wearables.ProviderError)
	}{
		{name: "401 persistent", body: "status_401.json", status: 401, sentinel: wearables.ErrUnauthorized, refreshes: 1},
		{name: "100 authentication failed", body: `{"status":100,"body":{},"error":"Authentication failed"}`, status: 100,
			sentinel: wearables.ErrUnauthorized, refreshes: 1},
		{name: "601 rate limited", body: "status_601.json", status: 601, sentinel: wearables.ErrRateLimited,
			check: func(t *testing.T, pe *wearables.ProviderError) {
				assert.True(t, pe.RateLimited)
				assert.Equal(t, withings.DefaultRateLimitDelay, pe.RetryAfter)
				assert.True(t, pe.Temporary())
			}},
		{name: "503 invalid params, body []", body: "status_503.json", status: 503, sentinel: wearables.ErrInvalid,
			check: func(t *testing.T, pe *wearables.ProviderError) {
				assert.Contains(t, string(pe.Body), "Invalid Params: invalid startdate")
			}},
		{name: "522 timeout", body: `{"status":522,"body":{},"error":"Timeout"}`, status: 522,
			check: func(t *testing.T, pe *wearables.ProviderError) { assert.True(t, pe.Temporary()) }},
		{name: "2554 not implemented", body: `{"status":2554,"body":{},"error":"Not implemented"}`, status: 2554, sentinel: wearables.ErrUnsupported},
		{name: "277 unauthorized", body: `{"status":277,"body":{},"error":"Unauthorized"}`, status: 277, sentinel: wearables.ErrUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := []byte(c.body)
			if strings.HasSuffix(c.body, ".json") {
				body = readFixture(t, c.body)
			}
			// The fresh token never matches, so every answer is the error.
			f := newFakeWithings(t, nil, body, readFixture(t, "oauth2_refreshtoken.json"), "never")
			p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: f.srv.URL})
			client, _ := f.client(p, "a-token")
			res, err := p.Fetch(context.Background(), measuresRequest(client))
			require.Error(t, err)
			assert.Zero(t, res.Records.Len())
			var pe *wearables.ProviderError
			require.True(t, errors.As(err, &pe), "a *wearables.ProviderError: %v", err)
			assert.Equal(t, c.status, pe.StatusCode, "StatusCode is Withings' status")
			assert.Equal(t, wearables.ProviderWithings, pe.Provider)
			if c.sentinel != nil {
				assert.ErrorIs(t, err, c.sentinel)
			}
			for _, other := range []error{wearables.ErrUnauthorized, wearables.ErrRateLimited, wearables.ErrInvalid, wearables.ErrUnsupported} {
				if other != c.sentinel {
					assert.NotErrorIs(t, err, other)
				}
			}
			data, refreshes := f.counts()
			assert.Equal(t, c.refreshes, refreshes, "refreshes")
			assert.Equal(t, 1+c.refreshes, data, "data requests: one, plus one retry after a refresh")
			if c.check != nil {
				c.check(t, pe)
			}
		})
	}
}

// TestStatusWithoutSharedTransport: with a client that is not the shared
// transport (oauthflow's static-token client, a plain client) the in-body
// 401 is still wearables.ErrUnauthorized, just without a refresh.
func TestStatusWithoutSharedTransport(t *testing.T) {
	f := newFakeWithings(t, nil, readFixture(t, "status_401.json"), nil, "never")
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: f.srv.URL})
	_, err := p.Fetch(context.Background(), measuresRequest(f.srv.Client()))
	assert.ErrorIs(t, err, wearables.ErrUnauthorized)
	data, refreshes := f.counts()
	assert.Equal(t, 1, data)
	assert.Zero(t, refreshes)
}
