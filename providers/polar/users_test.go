package polar_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/polar"
)

// apiPrefix is put in front of every path of the test API, so a request
// built from an absolute path instead of the configured base URL misses.
const apiPrefix = "/accesslink"

// setup starts an AccessLink stand-in whose routes are registered on mux
// without the prefix, and a provider configured against it.
func setup(t *testing.T, cfg polar.Config) (*polar.Provider, *http.ServeMux, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	outer := http.NewServeMux()
	outer.Handle(apiPrefix+"/", http.StripPrefix(apiPrefix, mux))
	srv := httptest.NewServer(outer)
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL + apiPrefix
	cfg.HTTPClient = srv.Client()
	return polar.New(cfg), mux, srv
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

// tokenWithUser is a token as Polar's exchange returns it.
func tokenWithUser(access string, userID any) *oauth2.Token {
	tok := &oauth2.Token{AccessToken: access, TokenType: "bearer", Expiry: time.Now().Add(time.Hour)}
	if userID == nil {
		return tok
	}
	return tok.WithExtra(map[string]any{"x_user_id": userID})
}

func bearerClient(srv *httptest.Server, tok *oauth2.Token) *http.Client {
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	return oauth2.NewClient(ctx, oauth2.StaticTokenSource(tok))
}

func TestProviderUserIDRegisters(t *testing.T) {
	tests := []struct {
		name       string
		userID     any // x_user_id in the token response
		status     int
		body       string
		wantID     string
		wantMember string // "" = any
		wantErr    error
	}{
		{"registered now", float64(2278512), 200, string(testdata(t, "user.json")), "2278512", "2278512", nil},
		{"already registered (409)", float64(2278512), 409, `{"status":409,"errorType":"CONFLICT","message":"User already registered"}`, "2278512", "2278512", nil},
		{"id as a string", "2278512", 409, `{}`, "2278512", "2278512", nil},
		{"no x_user_id: the registration names the user", nil, 200, string(testdata(t, "user.json")), "2278512", "", nil},
		{"no x_user_id and 409: unknown user", nil, 409, `{}`, "", "", wearables.ErrConflict},
		{"consents missing (403)", float64(2278512), 403, `{"status":403,"message":"User has not accepted all mandatory consents"}`, "", "", &wearables.ProviderError{}},
		{"token and registration disagree", float64(1), 200, string(testdata(t, "user.json")), "", "", wearables.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, mux, srv := setup(t, polar.Config{})
			var calls int
			var member string
			mux.HandleFunc("POST /v3/users", func(w http.ResponseWriter, r *http.Request) {
				calls++
				assert.Equal(t, "Bearer at-1", r.Header.Get("Authorization"))
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
				var in map[string]string
				assert.NoError(t, json.NewDecoder(r.Body).Decode(&in))
				member = in["member-id"]
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			tok := tokenWithUser("at-1", tt.userID)
			id, err := p.ProviderUserID(context.Background(), bearerClient(srv, tok), tok)
			assert.Equal(t, 1, calls, "exactly one registration")
			if tt.wantErr != nil {
				var pe *wearables.ProviderError
				if errors.As(tt.wantErr, &pe) {
					assert.ErrorAs(t, err, &pe)
				} else {
					assert.ErrorIs(t, err, tt.wantErr)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantID, id)
			if tt.wantMember != "" {
				assert.Equal(t, tt.wantMember, member)
			} else {
				assert.NotEmpty(t, member)
			}
		})
	}
}

func TestMemberID(t *testing.T) {
	p, mux, srv := setup(t, polar.Config{MemberID: func(id string) string { return "app-" + id }})
	var member string
	mux.HandleFunc("POST /v3/users", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		_ = json.NewDecoder(r.Body).Decode(&in)
		member = in["member-id"]
		w.WriteHeader(http.StatusConflict)
	})
	tok := tokenWithUser("at-1", float64(42))
	id, err := p.ProviderUserID(context.Background(), bearerClient(srv, tok), tok)
	require.NoError(t, err)
	assert.Equal(t, "42", id)
	assert.Equal(t, "app-42", member)

	_, err = p.Register(context.Background(), bearerClient(srv, tok), "")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

// Revoke against the fake AccessLink: the connection's ProviderUserID is
// whom Polar is told to de-register, so a stored token (which has lost the
// token response's x_user_id) is revoked on disconnect.
func TestRevoke(t *testing.T) {
	v := vendor()
	srv := server(t, v)
	p := newProvider(srv.Env())
	conn := wearables.Connection{ID: "c1", Provider: wearables.ProviderPolar, ProviderUserID: polarUserID}

	tok := srv.IssueToken() // as stored: no x_user_id
	require.True(t, srv.TokenValid(tok.AccessToken))
	require.NoError(t, p.Revoke(context.Background(), srv.Client(), conn, tok))
	assert.False(t, srv.TokenValid(tok.AccessToken), "the token still works after Revoke")
	// Again: Polar no longer accepts the token (401), which counts as done.
	require.NoError(t, p.Revoke(context.Background(), srv.Client(), conn, tok))

	// Without a ProviderUserID the token's x_user_id names the user.
	tok = srv.IssueToken().WithExtra(map[string]any{"x_user_id": float64(2278512)})
	require.NoError(t, p.Revoke(context.Background(), srv.Client(), wearables.Connection{ID: "c2"}, tok))
	assert.False(t, srv.TokenValid(tok.AccessToken))

	// With neither, nobody can be named: nothing is sent.
	tok = srv.IssueToken()
	err := p.Revoke(context.Background(), srv.Client(), wearables.Connection{ID: "c3"}, tok)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	assert.True(t, srv.TokenValid(tok.AccessToken))

	require.NoError(t, p.Deregister(context.Background(), srv.Client(), srv.IssueToken(), polarUserID))
	assert.ErrorIs(t, p.Deregister(context.Background(), srv.Client(), tok, "../webhooks"), wearables.ErrInvalid)
}

func TestDeregisterErrors(t *testing.T) {
	p, mux, srv := setup(t, polar.Config{})
	var mu sync.Mutex
	status := http.StatusInternalServerError
	mux.HandleFunc("DELETE /v3/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		assert.Equal(t, "7", r.PathValue("id"))
		assert.Equal(t, "Bearer at-7", r.Header.Get("Authorization"))
		w.WriteHeader(status)
	})
	err := p.Deregister(context.Background(), srv.Client(), tokenWithUser("at-7", nil), "7")
	var pe *wearables.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.True(t, pe.Temporary())

	mu.Lock()
	status = http.StatusNotFound
	mu.Unlock()
	assert.NoError(t, p.Deregister(context.Background(), srv.Client(), tokenWithUser("at-7", nil), "7"), "a user Polar no longer knows is de-registered")
}
