package withings_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/providers/withings"
	"github.com/wearables-go/wearables/store/memstore"
)

// TestOAuthFlowWithTokenClient runs oauthflow — Begin, Complete, the
// broker's refresh — against a Withings-style token endpoint (action=
// requesttoken, answers wrapped in {status, body}), with nothing but
// TokenClient as oauthflow's HTTP client: what a deployment does today.
func TestOAuthFlowWithTokenClient(t *testing.T) {
	const firstRefresh = "f631236f02b991810feb774765b6ae8e6c6839ca" // oauth2_requesttoken.json
	var (
		mu      sync.Mutex
		actions []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		require.Equal(t, "/v2/oauth2", r.URL.Path)
		f := r.PostForm
		mu.Lock()
		actions = append(actions, f.Get("action")+" "+f.Get("grant_type"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case f.Get("grant_type") == "authorization_code" && f.Get("code") == "the-code":
			_, _ = w.Write(readFixture(t, "oauth2_requesttoken.json"))
		case f.Get("grant_type") == "refresh_token" && f.Get("refresh_token") == firstRefresh:
			_, _ = w.Write(readFixture(t, "oauth2_refreshtoken.json"))
		default: // a used or unknown refresh token
			_, _ = w.Write(readFixture(t, "oauth2_invalid_grant.json"))
		}
	}))
	defer srv.Close()

	ctx := context.Background()
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: srv.URL})
	keyring, err := oauthflow.ParseKeyring("k1:" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")))
	require.NoError(t, err)
	store := memstore.New()
	flow, err := oauthflow.New(oauthflow.Config{
		Providers:    []oauthflow.ProviderConfig{{Provider: p, ClientID: "id", ClientSecret: "secret"}},
		RedirectURIs: []string{"https://app.example/cb"},
		States:       store,
		Connections:  store,
		Tokens:       store,
		Keyring:      keyring,
		HTTPClient:   p.TokenClient(srv.Client()),
	})
	require.NoError(t, err)
	user := wearables.User{ExternalID: "alice"}
	require.NoError(t, store.CreateUser(ctx, &user))

	begin, err := flow.Begin(ctx, oauthflow.BeginRequest{UserID: user.ID, Provider: wearables.ProviderWithings, RedirectURI: "https://app.example/cb"})
	require.NoError(t, err)
	u, err := url.Parse(begin.URL)
	require.NoError(t, err)
	assert.Equal(t, "user.info,user.metrics,user.activity,user.sleepevents", u.Query().Get("scope"), "comma-separated scopes")
	assert.Empty(t, u.Query().Get("code_challenge"), "Withings takes no PKCE")

	conn, err := flow.Complete(ctx, oauthflow.CompleteRequest{Provider: wearables.ProviderWithings, State: u.Query().Get("state"), Code: "the-code"})
	require.NoError(t, err)
	assert.Equal(t, userID, conn.ProviderUserID, "userid from the token response")
	assert.Equal(t, wearables.ConnectionActive, conn.Status)
	assert.Equal(t, []string{"user.info", "user.metrics", "user.activity", "user.sleepevents"}, conn.Scopes)

	stale, err := flow.Broker().Token(ctx, conn.ID)
	require.NoError(t, err)
	fresh, err := flow.Broker().Refresh(ctx, conn.ID, stale)
	require.NoError(t, err)
	assert.Equal(t, "9d2a3c5e7f1b4d6a8c0e2f4a6b8d0c2e4f6a8b0d", fresh.AccessToken)
	assert.Equal(t, "4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f", fresh.RefreshToken, "the rotated refresh token is persisted")

	// Withings refuses the next refresh token: the connection needs the
	// user again (invalid_grant), it is not retried forever.
	_, err = flow.Broker().Refresh(ctx, conn.ID, fresh)
	var reauth *oauthflow.ReauthError
	require.True(t, errors.As(err, &reauth), "a *oauthflow.ReauthError: %v", err)
	assert.Equal(t, wearables.ConnectionNeedsReauth, reauth.Status)
	assert.Equal(t, []string{"requesttoken authorization_code", "requesttoken refresh_token", "requesttoken refresh_token"}, actions)
}
