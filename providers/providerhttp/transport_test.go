package providerhttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// vendor is a tiny OAuth vendor: a token endpoint with rotating refresh
// tokens and one API route that accepts only the current access token.
type vendor struct {
	mu        sync.Mutex
	access    string
	refresh   string
	refreshes int
	requests  int
	reject    int // answer 401 to this many more API requests regardless
	bodies    []string
	srv       *httptest.Server
}

func newVendor(t *testing.T) *vendor {
	v := &vendor{access: "at-0", refresh: "rt-0"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		defer v.mu.Unlock()
		v.refreshes++
		if r.FormValue("grant_type") != "refresh_token" || r.FormValue("refresh_token") != v.refresh {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"invalid_grant"}`)
			return
		}
		v.access = "at-" + string(rune('0'+v.refreshes))
		v.refresh = "rt-" + string(rune('0'+v.refreshes))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": v.access, "refresh_token": v.refresh, "expires_in": 3600, "token_type": "bearer"})
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		defer v.mu.Unlock()
		v.requests++
		b, _ := io.ReadAll(r.Body)
		v.bodies = append(v.bodies, string(b))
		if v.reject > 0 || r.Header.Get("Authorization") != "Bearer "+v.access {
			if v.reject > 0 {
				v.reject--
			}
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)
	return v
}

func (v *vendor) config() *oauth2.Config {
	return &oauth2.Config{ClientID: "c", ClientSecret: "s", Endpoint: oauth2.Endpoint{TokenURL: v.srv.URL + "/token", AuthStyle: oauth2.AuthStyleInParams}}
}

func (v *vendor) stats() (refreshes, requests int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.refreshes, v.requests
}

func valid(access, refresh string) *oauth2.Token {
	return &oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(time.Hour)}
}

func TestTransportRefreshesOnceOn401(t *testing.T) {
	tests := []struct {
		name          string
		start         *oauth2.Token
		reject        int
		method        string
		body          string
		wantStatus    int
		wantRefreshes int
		wantRequests  int
		wantErr       error
	}{
		{name: "valid token", start: valid("at-0", "rt-0"), wantStatus: 200, wantRequests: 1},
		{name: "stale token is refreshed and retried", start: valid("at-stale", "rt-0"), wantStatus: 200, wantRefreshes: 1, wantRequests: 2},
		{name: "expired token refreshed before sending", start: &oauth2.Token{AccessToken: "at-old", RefreshToken: "rt-0", Expiry: time.Now().Add(-time.Minute)}, wantStatus: 200, wantRefreshes: 1, wantRequests: 1},
		{name: "persistent 401 refreshes once, retries once", start: valid("at-0", "rt-0"), reject: 5, wantStatus: 401, wantRefreshes: 1, wantRequests: 2},
		{name: "POST body replayed", start: valid("at-stale", "rt-0"), method: http.MethodPost, body: `{"x":1}`, wantStatus: 200, wantRefreshes: 1, wantRequests: 2},
		{name: "revoked refresh token", start: valid("at-stale", "rt-gone"), wantRefreshes: 1, wantRequests: 1, wantErr: wearables.ErrUnauthorized},
		{name: "no refresh token", start: valid("at-stale", ""), wantRequests: 1, wantErr: wearables.ErrUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVendor(t)
			v.reject = tt.reject
			tokens := providerhttp.NewLocalTokens(v.config(), tt.start, v.srv.Client())
			client := providerhttp.NewClient(tokens, v.srv.Client())
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(method, v.srv.URL+"/api/x", body)
			require.NoError(t, err)
			resp, err := client.Do(req)
			refreshes, requests := v.stats()
			assert.Equal(t, tt.wantRefreshes, refreshes, "refreshes")
			assert.Equal(t, tt.wantRequests, requests, "API requests")
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			if tt.body != "" {
				for _, b := range v.bodies {
					assert.Equal(t, tt.body, b, "every attempt carries the whole body")
				}
			}
		})
	}
}

// TestTransportConcurrent401 sends many requests with the same stale token
// at once: LocalTokens serializes their forced refreshes and, after the
// first, hands out the new token without calling the vendor again.
func TestTransportConcurrent401(t *testing.T) {
	v := newVendor(t)
	tokens := providerhttp.NewLocalTokens(v.config(), valid("at-stale", "rt-0"), v.srv.Client())
	client := providerhttp.NewClient(tokens, v.srv.Client())
	var wg sync.WaitGroup
	var ok atomic.Int32
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get(v.srv.URL + "/api/x")
			if assert.NoError(t, err) {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					ok.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	refreshes, _ := v.stats()
	assert.Equal(t, 1, refreshes, "one refresh for one stale token")
	assert.Equal(t, int32(20), ok.Load())
	assert.Equal(t, 1, tokens.Refreshes())
}

// fakeBroker records calls the way oauthflow's broker is called.
type fakeBroker struct {
	conn      string
	refreshed []string
}

func (f *fakeBroker) Token(ctx context.Context, id string) (*oauth2.Token, error) {
	f.conn = id
	return valid("at-stale", "rt"), nil
}

func (f *fakeBroker) Refresh(ctx context.Context, id string, rejected *oauth2.Token) (*oauth2.Token, error) {
	f.refreshed = append(f.refreshed, id+":"+rejected.AccessToken)
	return nil, errors.New("vendor says invalid_grant")
}

func TestForConnection(t *testing.T) {
	var _ providerhttp.ConnectionTokens = (*oauthflow.TokenBroker)(nil) // the broker plugs in as is

	v := newVendor(t)
	b := &fakeBroker{}
	client := providerhttp.NewClient(providerhttp.ForConnection(b, "conn-1"), v.srv.Client())
	_, err := client.Get(v.srv.URL + "/api/x")
	assert.ErrorIs(t, err, wearables.ErrUnauthorized, "a failed refresh after a 401 matches ErrUnauthorized")
	assert.Equal(t, "conn-1", b.conn)
	assert.Equal(t, []string{"conn-1:at-stale"}, b.refreshed)
}
