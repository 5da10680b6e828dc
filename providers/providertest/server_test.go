package providertest_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/providertest"
)

var window = [2]time.Time{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)}

// files is an in-memory fixture directory.
var files = fstest.MapFS{
	"p1.json": {Data: []byte(`{"items":[1],"next":"https://api.vendor.test/v1/items?page=2"}`)},
	"p2.json": {Data: []byte(`{"items":[2]}`)},
	"me.json": {Data: []byte(`{"id":7}`)},
}

func newServer(t *testing.T, v providertest.Vendor) *providertest.Server {
	t.Helper()
	if v.Pagination.Param == "" {
		v.Pagination.Param = "page"
	}
	srv, err := providertest.NewServer(v, providertest.Fixtures{
		FS: files,
		Cases: []providertest.Case{{
			DataType: "items", Start: window[0], End: window[1], Path: "/v1/items",
			Query: map[string]string{"day": "2024-01-01"},
			Pages: []providertest.Page{
				{File: "p1.json", Header: map[string]string{"Link": `<https://api.vendor.test/v1/items?day=2024-01-01&page=2>; rel="next"`}},
				{File: "p2.json", Token: "2"},
			},
		}},
		Static: []providertest.Static{{Path: "/v1/me", File: "me.json", Public: true}},
	})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *providertest.Server, path, token string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServerPagesAndRewrites(t *testing.T) {
	srv := newServer(t, providertest.Vendor{Pagination: providertest.Pagination{Param: "page", Numbered: true, EmptyPage: "[]"}, RewriteURLs: []string{"https://api.vendor.test"}})
	tok := srv.IssueToken().AccessToken
	tests := []struct {
		path, body string
		status     int
	}{
		{"/v1/items?day=2024-01-01", `{"items":[1],"next":"` + srv.URL + `/v1/items?page=2"}`, 200},
		{"/v1/items?day=2024-01-01&page=1", `{"items":[1],"next":"` + srv.URL + `/v1/items?page=2"}`, 200},
		{"/v1/items?day=2024-01-01&page=2", `{"items":[2]}`, 200},
		{"/v1/items?day=2024-01-01&page=3", `[]`, 200},
		{"/v1/items?day=2024-01-02", "", 404},
		{"/v1/other", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, srv, tt.path, tok)
			assert.Equal(t, tt.status, resp.StatusCode)
			if tt.status == 200 {
				assert.Equal(t, tt.body, body)
			} else {
				assert.NotEmpty(t, resp.Header.Get("Providertest-Miss"))
			}
		})
	}
	resp, _ := get(t, srv, "/v1/items?day=2024-01-01", tok)
	assert.Equal(t, "<"+srv.URL+`/v1/items?day=2024-01-01&page=2>; rel="next"`, resp.Header.Get("Link"), "recorded headers are rewritten too")
	assert.Len(t, srv.Misses(), 2)
	assert.Contains(t, srv.Misses()[0], `parameter day="2024-01-02", want "2024-01-01"`)

	resp, _ = get(t, srv, "/v1/items?day=2024-01-01", "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "data routes need a token")
	resp, _ = get(t, srv, "/v1/me", "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "public static routes do not")
	srv.ExpireAccessTokens()
	resp, _ = get(t, srv, "/v1/items?day=2024-01-01", tok)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestServerTokenEndpoint(t *testing.T) {
	ctxFor := func(srv *providertest.Server) context.Context {
		return context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	}
	refresh := func(srv *providertest.Server, style oauth2.AuthStyle, rt string) (*oauth2.Token, error) {
		cfg := srv.OAuthConfig("")
		cfg.Endpoint.AuthStyle = style
		return cfg.TokenSource(ctxFor(srv), &oauth2.Token{RefreshToken: rt}).Token()
	}
	t.Run("auth style enforced", func(t *testing.T) {
		for _, tt := range []struct {
			vendor, client oauth2.AuthStyle
			ok             bool
		}{
			{oauth2.AuthStyleInHeader, oauth2.AuthStyleInHeader, true},
			{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams, false},
			{oauth2.AuthStyleInParams, oauth2.AuthStyleInParams, true},
			{oauth2.AuthStyleInParams, oauth2.AuthStyleInHeader, false},
			{oauth2.AuthStyleAutoDetect, oauth2.AuthStyleInHeader, true},
			{oauth2.AuthStyleAutoDetect, oauth2.AuthStyleInParams, true},
		} {
			srv := newServer(t, providertest.Vendor{AuthStyle: tt.vendor})
			_, err := refresh(srv, tt.client, srv.IssueToken().RefreshToken)
			assert.Equal(t, tt.ok, err == nil, "vendor %v, client %v: %v", tt.vendor, tt.client, err)
		}
	})
	t.Run("rotation", func(t *testing.T) {
		srv := newServer(t, providertest.Vendor{RotateRefreshTokens: true})
		rt := srv.IssueToken().RefreshToken
		tok, err := refresh(srv, oauth2.AuthStyleInParams, rt)
		require.NoError(t, err)
		assert.NotEqual(t, rt, tok.RefreshToken)
		_, err = refresh(srv, oauth2.AuthStyleInParams, rt)
		assert.ErrorContains(t, err, "invalid_grant", "a rotated refresh token is single-use")
		assert.Equal(t, 2, srv.Refreshes())
	})
	t.Run("no rotation", func(t *testing.T) {
		srv := newServer(t, providertest.Vendor{})
		rt := srv.IssueToken().RefreshToken
		for range 2 {
			tok, err := refresh(srv, oauth2.AuthStyleInParams, rt)
			require.NoError(t, err)
			assert.Equal(t, rt, tok.RefreshToken)
		}
	})
	t.Run("no refresh tokens", func(t *testing.T) {
		srv := newServer(t, providertest.Vendor{NoRefreshToken: true, TokenExtra: map[string]any{"x_user_id": 475}})
		tok := srv.IssueToken()
		assert.Empty(t, tok.RefreshToken)
		_, err := refresh(srv, oauth2.AuthStyleInParams, "anything")
		assert.Error(t, err)
	})
	t.Run("pkce", func(t *testing.T) {
		srv := newServer(t, providertest.Vendor{PKCE: true, TokenExtra: map[string]any{"x_user_id": 475}})
		cfg := srv.OAuthConfig("https://app.test/cb")
		cfg.Endpoint.AuthStyle = oauth2.AuthStyleInParams // auto-detection would retry a failed exchange
		noRedirect := *srv.Client()
		noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := noRedirect.Get(cfg.AuthCodeURL("st"))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "PKCE is required")

		verifier := oauth2.GenerateVerifier()
		resp, err = noRedirect.Get(cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)))
		require.NoError(t, err)
		resp.Body.Close()
		loc, _ := url.Parse(resp.Header.Get("Location"))
		code := loc.Query().Get("code")
		_, err = cfg.Exchange(ctxFor(srv), code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		assert.ErrorContains(t, err, "code_verifier", "a wrong verifier is refused")
		resp, _ = noRedirect.Get(cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)))
		resp.Body.Close()
		loc, _ = url.Parse(resp.Header.Get("Location"))
		tok, err := cfg.Exchange(ctxFor(srv), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
		require.NoError(t, err)
		assert.EqualValues(t, 475, tok.Extra("x_user_id"))
		assert.Equal(t, 1, srv.Exchanges())
	})
}

func TestServerQuotaAndRevoke(t *testing.T) {
	rl := providerhttp.RateLimitHeaders{RetryAfter: true, Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining", Reset: "X-RateLimit-Reset"}
	srv := newServer(t, providertest.Vendor{RateLimit: rl, Quota: providertest.Quota{Requests: 2, Window: time.Hour}, Revoke: providertest.Revoke{Path: "/oauth/revoke"}})
	tok := srv.IssueToken().AccessToken
	resp, _ := get(t, srv, "/v1/items?day=2024-01-01", tok)
	assert.Equal(t, "2", resp.Header.Get("X-RateLimit-Limit"))
	assert.Equal(t, "1", resp.Header.Get("X-RateLimit-Remaining"))
	_, _ = get(t, srv, "/v1/items?day=2024-01-01", tok)
	resp, _ = get(t, srv, "/v1/items?day=2024-01-01", tok)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	at, ok := rl.ResetAt(resp.Header, time.Now())
	require.True(t, ok)
	assert.WithinDuration(t, time.Now().Add(time.Hour), at, 5*time.Second)

	resp2, err := srv.Client().PostForm(srv.URL+"/oauth/revoke", url.Values{"token": {tok}})
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, http.StatusOK, resp2.StatusCode)
	assert.False(t, srv.TokenValid(tok))
}

func TestServerFaults(t *testing.T) {
	v := providertest.Vendor{RateLimit: providerhttp.RateLimitHeaders{RetryAfter: true}}
	tests := []struct {
		name  string
		fault providertest.Fault
		check func(t *testing.T, resp *http.Response, body string, err error)
	}{
		{"status", providertest.Fault{Status: 503}, func(t *testing.T, resp *http.Response, body string, err error) {
			require.NoError(t, err)
			assert.Equal(t, 503, resp.StatusCode)
			assert.Equal(t, `{"error":"service_unavailable"}`, body)
		}},
		{"429 headers", providertest.Fault{Status: 429, RetryAfter: 90 * time.Second}, func(t *testing.T, resp *http.Response, body string, err error) {
			require.NoError(t, err)
			assert.Equal(t, "90", resp.Header.Get("Retry-After"))
		}},
		{"truncate", providertest.Fault{Truncate: true}, func(t *testing.T, resp *http.Response, body string, err error) {
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}},
		{"cut body", providertest.Fault{CutBody: true}, func(t *testing.T, resp *http.Response, body string, err error) {
			require.NoError(t, err)
			assert.Equal(t, `{"items":[1],"next":"`, body[:min(len(body), 21)])
			assert.False(t, strings.HasSuffix(body, "}"), "the body ends early")
		}},
		{"reset", providertest.Fault{Reset: true, Times: 3}, func(t *testing.T, resp *http.Response, body string, err error) {
			assert.Error(t, err)
		}},
		{"other path untouched", providertest.Fault{Path: "/v1/elsewhere", Status: 500}, func(t *testing.T, resp *http.Response, body string, err error) {
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, v)
			tok := srv.IssueToken().AccessToken
			srv.Inject(tt.fault)
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/items?day=2024-01-01", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := srv.Client().Do(req)
			var body string
			if err == nil {
				b, rerr := io.ReadAll(resp.Body)
				resp.Body.Close()
				body, err = string(b), rerr
			}
			tt.check(t, resp, body, err)
		})
	}
	t.Run("oauth endpoints exempt", func(t *testing.T) {
		srv := newServer(t, v)
		srv.Inject(providertest.Fault{Status: 500})
		_, err := srv.OAuthConfig("").TokenSource(context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client()), &oauth2.Token{RefreshToken: srv.IssueToken().RefreshToken}).Token()
		assert.NoError(t, err)
	})
}

func TestFixturesValidation(t *testing.T) {
	c := providertest.Case{DataType: "x", Start: window[0], End: window[1], Path: "/x", Pages: []providertest.Page{{File: "p1.json"}}}
	tests := []struct {
		name string
		fx   providertest.Fixtures
		want string
	}{
		{"duplicate case", providertest.Fixtures{FS: files, Cases: []providertest.Case{c, c}}, "duplicate name"},
		{"missing file", providertest.Fixtures{FS: files, Cases: []providertest.Case{{DataType: "x", Start: window[0], End: window[1], Path: "/x", Pages: []providertest.Page{{File: "nope.json"}}}}}, "nope.json"},
		{"second page without token", providertest.Fixtures{FS: files, Cases: []providertest.Case{{DataType: "x", Start: window[0], End: window[1], Path: "/x", Pages: []providertest.Page{{File: "p1.json"}, {File: "p2.json"}}}}}, "page 1 has no Token"},
		{"empty window", providertest.Fixtures{FS: files, Cases: []providertest.Case{{DataType: "x", Start: window[1], End: window[0], Path: "/x", Pages: c.Pages}}}, "window"},
		{"relative path", providertest.Fixtures{FS: files, Cases: []providertest.Case{{DataType: "x", Start: window[0], End: window[1], Path: "x", Pages: c.Pages}}}, "must start with /"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := providertest.NewServer(providertest.Vendor{Pagination: providertest.Pagination{Param: "p"}}, tt.fx)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func TestSemanticJSON(t *testing.T) {
	a, err := providertest.SemanticJSON([]byte(`{"b":1.0,"a":"2024-03-31T03:00:00+02:00","c":[{"y":null,"x":"text"}]}`))
	require.NoError(t, err)
	b, err := providertest.SemanticJSON([]byte(`{"a":"2024-03-31T01:00:00Z","c":[{"x":"text","y":null}],"b":1}`))
	require.NoError(t, err)
	assert.Equal(t, a, b)
	c, _ := providertest.SemanticJSON([]byte(`{"a":"2024-03-31T01:00:01Z","b":1,"c":[{"x":"text","y":null}]}`))
	assert.NotEqual(t, a, c, "a different instant differs")
	assert.True(t, strings.Contains(a, `"2024-03-31T01:00:00Z"`))
}
