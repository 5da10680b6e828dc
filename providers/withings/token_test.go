package withings_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/withings"
)

// tokenEndpoint is a Withings-style token endpoint answering body to every
// request, recording the forms it got.
func tokenEndpoint(t *testing.T, body string) (*httptest.Server, *[]url.Values) {
	t.Helper()
	var (
		mu    sync.Mutex
		forms []url.Values
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		mu.Lock()
		forms = append(forms, r.PostForm)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &forms
}

func oauthConfig(p *withings.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: "id", ClientSecret: "secret", Endpoint: p.OAuth().Endpoint, RedirectURL: "https://app.example/cb"}
}

// TestTokenExchange: x/oauth2 exchanges a code through TokenClient against
// Withings' wrapped answer, and ProviderUserID reads the userid it kept,
// whether Withings spells it as a number or a string.
func TestTokenExchange(t *testing.T) {
	for _, c := range []struct{ file, access string }{
		{"oauth2_requesttoken.json", "a075f8c14fb8df40b08ebc8508533dc332a6910a"}, // userid as a number
		{"oauth2_refreshtoken.json", "9d2a3c5e7f1b4d6a8c0e2f4a6b8d0c2e4f6a8b0d"}, // userid as a string
	} {
		t.Run(c.file, func(t *testing.T) {
			srv, forms := tokenEndpoint(t, string(readFixture(t, c.file)))
			p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: srv.URL})
			ctx := context.WithValue(context.Background(), oauth2.HTTPClient, p.TokenClient(srv.Client()))
			tok, err := oauthConfig(p).Exchange(ctx, "mtwsikawoqleuroqcluggflrqilrnqbgqvqeuhhh")
			require.NoError(t, err)
			assert.Equal(t, c.access, tok.AccessToken)
			assert.NotEmpty(t, tok.RefreshToken)
			assert.WithinDuration(t, time.Now().Add(3*time.Hour), tok.Expiry, time.Minute, "expires_in 10800")
			assert.Equal(t, "user.info,user.metrics,user.activity,user.sleepevents", tok.Extra("scope"))
			require.Len(t, *forms, 1)
			f := (*forms)[0]
			assert.Equal(t, "requesttoken", f.Get("action"), "TokenTransport adds the action")
			assert.Equal(t, "authorization_code", f.Get("grant_type"))
			assert.Equal(t, "secret", f.Get("client_secret"), "client credentials in the form")
			assert.Equal(t, "https://app.example/cb", f.Get("redirect_uri"))

			id, err := p.ProviderUserID(context.Background(), srv.Client(), tok)
			require.NoError(t, err)
			assert.Equal(t, userID, id)
		})
	}
}

// TestTokenErrors: Withings' non-zero statuses at the token endpoint become
// RFC 6749 errors that oauthflow's broker understands (invalid_grant means
// the user must connect again).
func TestTokenErrors(t *testing.T) {
	for _, c := range []struct {
		name, body string
		code       string
		status     int
	}{
		{"invalid refresh token", "oauth2_invalid_grant.json", "invalid_grant", http.StatusBadRequest},
		{"authentication failed", `{"status":100,"body":{},"error":"Authentication failed"}`, "invalid_client", http.StatusUnauthorized},
		{"rate limited", `{"status":601,"body":[],"error":"Too many requests"}`, "rate_limited", http.StatusTooManyRequests},
		{"timeout", `{"status":522,"body":{},"error":"Timeout"}`, "temporarily_unavailable", http.StatusServiceUnavailable},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := c.body
			if strings.HasSuffix(body, ".json") {
				body = string(readFixture(t, body))
			}
			srv, _ := tokenEndpoint(t, body)
			p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: srv.URL})
			ctx := context.WithValue(context.Background(), oauth2.HTTPClient, p.TokenClient(srv.Client()))
			_, err := oauthConfig(p).TokenSource(ctx, &oauth2.Token{RefreshToken: "rt"}).Token()
			var re *oauth2.RetrieveError
			require.True(t, errors.As(err, &re), "an *oauth2.RetrieveError: %v", err)
			assert.Equal(t, c.code, re.ErrorCode)
			assert.Equal(t, c.status, re.Response.StatusCode)
			assert.Contains(t, re.ErrorDescription, "withings status")
		})
	}
}

// TestTokenTransportPassThrough: other requests, and token answers already
// in RFC 6749 form (the kit's fake endpoint), pass unchanged.
func TestTokenTransportPassThrough(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = r.ParseForm()
		if r.URL.Path == "/v2/oauth2" {
			assert.Equal(t, "requesttoken", r.PostForm.Get("action"))
			_, _ = io.WriteString(w, `{"access_token":"at","token_type":"bearer","expires_in":3600,"refresh_token":"rt","userid":42}`)
			return
		}
		assert.Empty(t, r.PostForm.Get("action"), "only the token endpoint gets an action")
		_, _ = io.WriteString(w, `{"status":0,"body":{"x":1}}`)
	}))
	defer srv.Close()
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: srv.URL})
	hc := p.TokenClient(srv.Client())
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, hc)
	tok, err := oauthConfig(p).Exchange(ctx, "code")
	require.NoError(t, err)
	assert.Equal(t, "at", tok.AccessToken)
	id, err := p.ProviderUserID(ctx, hc, tok)
	require.NoError(t, err)
	assert.Equal(t, "42", id)

	resp, err := hc.Post(srv.URL+"/v2/user", "application/x-www-form-urlencoded", strings.NewReader("a=b"))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, `{"status":0,"body":{"x":1}}`, string(b), "not the token endpoint: untouched")
}

// TestProviderUserIDWithoutUserID: Withings has no route to ask who the
// user is, so a token without userid is an error.
func TestProviderUserIDWithoutUserID(t *testing.T) {
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret"})
	_, err := p.ProviderUserID(context.Background(), http.DefaultClient, &oauth2.Token{AccessToken: "at"})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

// TestRevokeUser: a nonce signed over getnonce, client id and timestamp,
// then the revoke signed over revoke, client id and nonce.
func TestRevokeUser(t *testing.T) {
	now := time.Unix(1711929600, 0)
	var calls []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		f := r.PostForm
		assert.Empty(t, r.Header.Get("Authorization"), "an app call, no user token")
		switch r.URL.Path {
		case "/v2/signature":
			calls = append(calls, "getnonce")
			assert.Equal(t, "getnonce", f.Get("action"))
			assert.Equal(t, "1711929600", f.Get("timestamp"))
			assert.Equal(t, withings.Sign("secret", map[string]string{"action": "getnonce", "client_id": "id", "timestamp": "1711929600"}), f.Get("signature"))
			_, _ = w.Write(readFixture(t, "signature_getnonce.json"))
		case "/v2/oauth2":
			calls = append(calls, "revoke")
			assert.Equal(t, "revoke", f.Get("action"))
			assert.Equal(t, userID, f.Get("userid"))
			assert.Equal(t, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", f.Get("nonce"))
			assert.Equal(t, withings.Sign("secret", map[string]string{"action": "revoke", "client_id": "id", "nonce": f.Get("nonce")}), f.Get("signature"))
			_, _ = w.Write(readFixture(t, "oauth2_revoke.json"))
		}
	}))
	defer srv.Close()
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: srv.URL, HTTPClient: srv.Client(),
		Now: func() time.Time { return now }})
	require.NoError(t, p.RevokeUser(context.Background(), userID))
	assert.Equal(t, []string{"getnonce", "revoke"}, calls)
	assert.ErrorIs(t, p.RevokeUser(context.Background(), ""), wearables.ErrInvalid)
}

// TestSign pins the signature: hex HMAC-SHA256 of the values in key
// order, whatever order the map is built in.
func TestSign(t *testing.T) {
	// echo -n "getnonce,id,1711929600" | openssl dgst -sha256 -hmac secret
	assert.Equal(t, "51d7cb49ba6a868ed3ebf08ca8817fd052bba72d033a87a50540d422099c332c",
		withings.Sign("secret", map[string]string{"timestamp": "1711929600", "client_id": "id", "action": "getnonce"}))
}
