package oauthflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

// oidcProvider is a provider package for github.com/oauth2-proxy/mockoidc:
// client secret in the request body, PKCE S256, the user id from the
// userinfo endpoint's "sub".
type oidcProvider struct{ m *mockoidc.MockOIDC }

func (p oidcProvider) ID() wearables.ProviderID { return "mockoidc" }

func (p oidcProvider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{AuthURL: p.m.AuthorizationEndpoint(), TokenURL: p.m.TokenEndpoint(), AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   []string{"openid", "email", "profile"},
		PKCE:     true,
	}
}

func (p oidcProvider) DataTypes() []wearables.DataType { return nil }

func (p oidcProvider) Fetch(context.Context, wearables.FetchRequest) (wearables.FetchResult, error) {
	return wearables.FetchResult{}, wearables.ErrUnsupported
}

func (p oidcProvider) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	return oidcSubject(ctx, client, p.m.UserinfoEndpoint())
}

func oidcSubject(ctx context.Context, client *http.Client, userinfo string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, userinfo, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", wearables.NewProviderError("mockoidc", "userinfo", resp.StatusCode, nil)
	}
	var body struct {
		Sub string `json:"sub"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", err
	}
	if body.Sub == "" {
		return "", errors.New("mockoidc: no sub")
	}
	return body.Sub, nil
}

// TestMockOIDCInterop runs the whole flow — begin, the provider's own
// authorize endpoint, complete with PKCE and body client authentication,
// broker tokens, a forced refresh, an invalid_grant, disconnect — against
// a third-party OAuth 2.0 / OIDC server implementation, on every store.
func TestMockOIDCInterop(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		ctx := context.Background()
		m, err := mockoidc.Run()
		require.NoError(t, err)
		t.Cleanup(func() { _ = m.Shutdown() })
		m.QueueUser(&mockoidc.MockUser{Subject: "oidc-user-42", Email: "jane@example.com"})

		s := openStore(t, k)
		logs := &syncBuffer{}
		flow, err := oauthflow.New(oauthflow.Config{
			Providers:    []oauthflow.ProviderConfig{{Provider: oidcProvider{m}, ClientID: m.ClientID, ClientSecret: oauthflow.Secret(m.ClientSecret)}},
			RedirectURIs: []string{testRedirect},
			States:       s, Connections: s, Tokens: s,
			Keyring:    mustKeyring(t, mustKey(t, "k1")),
			Logger:     slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			NewBackOff: fastBackOff,
		})
		require.NoError(t, err)
		u := wearables.User{}
		require.NoError(t, s.CreateUser(ctx, &u))

		res, err := flow.Begin(ctx, oauthflow.BeginRequest{UserID: u.ID, Provider: "mockoidc", RedirectURI: testRedirect})
		require.NoError(t, err)
		e := &env{t: t}
		code, state := e.authorize(res.URL)
		require.Equal(t, res.State, state)

		// Wrong state first: rejected before mockoidc sees the code.
		_, err = flow.Complete(ctx, oauthflow.CompleteRequest{Provider: "mockoidc", State: otherFirstChar(state), Code: code})
		require.ErrorIs(t, err, oauthflow.ErrStateUnknown)

		conn, err := flow.Complete(ctx, oauthflow.CompleteRequest{Provider: "mockoidc", State: state, Code: code})
		require.NoError(t, err)
		assert.Equal(t, "oidc-user-42", conn.ProviderUserID)
		assert.Equal(t, wearables.ConnectionActive, conn.Status)

		b := flow.Broker()
		tok, err := b.Token(ctx, conn.ID)
		require.NoError(t, err)
		sub, err := oidcSubject(ctx, b.Client(ctx, conn.ID), m.UserinfoEndpoint())
		require.NoError(t, err)
		assert.Equal(t, "oidc-user-42", sub)

		// The API rejected the access token: refresh. mockoidc does not
		// rotate refresh tokens, so the old one is kept.
		time.Sleep(1100 * time.Millisecond) // mockoidc's tokens carry whole-second iat: make the new one differ
		fresh, err := b.Refresh(ctx, conn.ID, tok)
		require.NoError(t, err)
		assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
		assert.Equal(t, tok.RefreshToken, fresh.RefreshToken)
		sub, err = oidcSubject(ctx, b.Client(ctx, conn.ID), m.UserinfoEndpoint())
		require.NoError(t, err)
		assert.Equal(t, "oidc-user-42", sub)

		// The server answers invalid_grant: needs_reauth.
		m.QueueError(&mockoidc.ServerError{Code: http.StatusBadRequest, Error: mockoidc.InvalidGrant, Description: "session expired"})
		_, err = b.Refresh(ctx, conn.ID, fresh)
		require.ErrorIs(t, err, oauthflow.ErrNeedsReauth)
		got, err := s.GetConnection(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionNeedsReauth, got.Status)

		// mockoidc has no revocation endpoint: disconnect is local.
		require.NoError(t, flow.Disconnect(ctx, conn.ID))
		got, err = s.GetConnection(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionRevoked, got.Status)

		for _, secret := range []string{code, tok.AccessToken, tok.RefreshToken, fresh.AccessToken, m.ClientSecret, state} {
			assert.NotContains(t, logs.String(), secret)
		}
	})
}
