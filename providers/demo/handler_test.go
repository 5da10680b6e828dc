package demo

import (
	"context"
	"encoding/json"
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
	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/providertest"
)

const redirect = "https://app.example/callback"

// clock is a settable clock for the vendor.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is a demo vendor mounted under /demo on an httptest server, as the
// reference server mounts it, and a provider pointed at it.
type env struct {
	srv    *httptest.Server
	h      *Handler
	faults *providertest.FaultHandler
	p      *Provider
	clock  *clock
	cfg    *oauth2.Config
}

func setup(t *testing.T, mutate func(*HandlerConfig)) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	hc := HandlerConfig{ClientID: "wearables", ClientSecret: "s3cret", Seed: 7, Now: c.Now}
	if mutate != nil {
		mutate(&hc)
	}
	h, err := NewHandler(hc)
	require.NoError(t, err)
	faults := providertest.NewFaultHandler(demoVendor, h)
	mux := http.NewServeMux()
	mux.Handle("/demo/", http.StripPrefix("/demo", faults))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	p := New(Config{BaseURL: srv.URL + "/demo", WebhookSecret: "whsec", Now: c.Now})
	spec := p.OAuth()
	cfg := &oauth2.Config{ClientID: "wearables", ClientSecret: "s3cret", Endpoint: spec.Endpoint, Scopes: spec.Scopes, RedirectURL: redirect}
	return &env{srv: srv, h: h, faults: faults, p: p, clock: c, cfg: cfg}
}

func (e *env) ctx() context.Context {
	return context.WithValue(context.Background(), oauth2.HTTPClient, e.srv.Client())
}

// noRedirect is a client that returns redirects instead of following them.
func (e *env) noRedirect() *http.Client {
	c := *e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// connect runs the whole authorization: consent page, approval, code
// exchange with PKCE. It returns the token.
func (e *env) connect(t *testing.T, account string) *oauth2.Token {
	t.Helper()
	verifier := oauth2.GenerateVerifier()
	authURL := e.cfg.AuthCodeURL("state-123456789", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("login_hint", account))
	resp, err := e.noRedirect().Get(authURL)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(page))
	assert.Contains(t, string(page), `value="`+account+`"`)

	// The consent form posts the same parameters back with the decision.
	form, _ := url.ParseQuery(strings.SplitN(authURL, "?", 2)[1])
	form.Set("account", account)
	form.Set("decision", "approve")
	resp, err = e.noRedirect().PostForm(e.srv.URL+"/demo/oauth/authorize", form)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "state-123456789", loc.Query().Get("state"))
	tok, err := e.cfg.Exchange(e.ctx(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	return tok
}

func (e *env) client(tok *oauth2.Token) (*http.Client, *providerhttp.LocalTokens) {
	tokens := providerhttp.NewLocalTokens(e.cfg, tok, e.srv.Client())
	return providerhttp.NewClient(tokens, e.srv.Client()), tokens
}

// fetchAll follows a window's pages.
func (e *env) fetchAll(t *testing.T, client *http.Client, dt wearables.DataType, start, end time.Time) (wearables.Batch, []wearables.Rejection, int) {
	t.Helper()
	var all wearables.Batch
	var rej []wearables.Rejection
	token, pages := "", 0
	for {
		res, err := e.p.Fetch(context.Background(), wearables.FetchRequest{Client: client, DataType: dt, Start: start, End: end, PageToken: token})
		require.NoError(t, err)
		pages++
		all.Samples = append(all.Samples, res.Records.Samples...)
		all.Workouts = append(all.Workouts, res.Records.Workouts...)
		all.Sleep = append(all.Sleep, res.Records.Sleep...)
		rej = append(rej, res.Rejected...)
		if res.NextPageToken == "" {
			return all, rej, pages
		}
		token = res.NextPageToken
	}
}

// TestConnectSyncFlow is the flow the reference server runs on a fresh
// machine: connect, read the account id, sync a day of every data type,
// re-sync (nothing changes), refresh, disconnect.
func TestConnectSyncFlow(t *testing.T) {
	e := setup(t, nil)
	tok := e.connect(t, "demo-flow")
	assert.NotEmpty(t, tok.RefreshToken)
	client, tokens := e.client(tok)

	id, err := e.p.ProviderUserID(context.Background(), client, tok)
	require.NoError(t, err)
	assert.Equal(t, "demo-flow", id)

	start := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
	end := start.Add(24 * time.Hour)
	hr, rej, pages := e.fetchAll(t, client, DataHeartRate, start, end)
	assert.Equal(t, 2, pages, "1,440 readings at 1,000 a page")
	assert.Equal(t, 24*60, len(hr.Samples)+len(rej), "one heart-rate reading a minute")
	for _, r := range rej {
		assert.Equal(t, "Value", r.Field, "only sensor dropouts are rejected")
	}
	for _, dt := range e.p.DataTypes() {
		b, _, _ := e.fetchAll(t, client, dt, start.Add(-6*24*time.Hour), end)
		b.UserID = "u"
		require.NoError(t, b.Validate(), "%s validates", dt)
		assert.Positive(t, b.Len(), "a week of %s has data", dt)
	}
	again, _, _ := e.fetchAll(t, client, DataHeartRate, start, end)
	assert.Equal(t, hr, again, "re-fetching a window gives identical records")

	// The access token expires after an hour: the client refreshes (and
	// the vendor rotates the refresh token).
	e.clock.Add(61 * time.Minute)
	_, _, _ = e.fetchAll(t, client, wearables.DataSleep, start, end)
	assert.Equal(t, 1, tokens.Refreshes())
	assert.NotEqual(t, tok.RefreshToken, tokens.Current().RefreshToken, "refresh tokens rotate")
	_, err = e.cfg.TokenSource(e.ctx(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	assert.ErrorContains(t, err, "invalid_grant", "a rotated refresh token is refused")

	require.NoError(t, e.p.Revoke(context.Background(), e.srv.Client(), wearables.Connection{}, tokens.Current()))
	_, err = e.p.Fetch(context.Background(), wearables.FetchRequest{Client: client, DataType: DataSteps, Start: start, End: end})
	assert.ErrorIs(t, err, wearables.ErrUnauthorized, "after revocation the grant is gone")
}

func TestAutoApprove(t *testing.T) {
	e := setup(t, func(c *HandlerConfig) { c.AutoApprove = true })
	verifier := oauth2.GenerateVerifier()
	resp, err := e.noRedirect().Get(e.cfg.AuthCodeURL("st-0123456789", oauth2.S256ChallengeOption(verifier)))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, _ := url.Parse(resp.Header.Get("Location"))
	tok, err := e.cfg.Exchange(e.ctx(), loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	require.NoError(t, err)
	assert.Regexp(t, `^demo-[0-9a-f]{8}$`, tok.Extra("account_id"), "a fresh account is created")
}

func TestAuthorizationErrors(t *testing.T) {
	e := setup(t, func(c *HandlerConfig) { c.AutoApprove = true })
	code := func(t *testing.T, challenge string) string {
		q := url.Values{"response_type": {"code"}, "client_id": {"wearables"}, "redirect_uri": {redirect}, "state": {"s"}}
		if challenge != "" {
			q.Set("code_challenge", challenge)
			q.Set("code_challenge_method", "S256")
		}
		resp, err := e.noRedirect().Get(e.srv.URL + "/demo/oauth/authorize?" + q.Encode())
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusFound, resp.StatusCode)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		return loc.Query().Get("code")
	}
	exchange := func(form url.Values, user, pass string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/demo/oauth/token", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(user, pass)
		resp, err := e.srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var body struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body.Error
	}
	verifier := oauth2.GenerateVerifier()
	tests := []struct {
		name       string
		form       func() url.Values
		user, pass string
		status     int
		errCode    string
	}{
		{"wrong secret", func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {code(t, "")}, "redirect_uri": {redirect}}
		}, "wearables", "nope", 401, "invalid_client"},
		{"pkce verifier missing", func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {code(t, oauth2.S256ChallengeFromVerifier(verifier))}, "redirect_uri": {redirect}}
		}, "wearables", "s3cret", 400, "invalid_grant"},
		{"other redirect", func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {code(t, "")}, "redirect_uri": {"https://evil.example/cb"}}
		}, "wearables", "s3cret", 400, "invalid_grant"},
		{"forged code", func() url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {code(t, "") + "x"}, "redirect_uri": {redirect}}
		}, "wearables", "s3cret", 400, "invalid_grant"},
		{"unknown grant", func() url.Values { return url.Values{"grant_type": {"password"}} }, "wearables", "s3cret", 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, errCode := exchange(tt.form(), tt.user, tt.pass)
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.errCode, errCode)
		})
	}
	t.Run("code reuse", func(t *testing.T) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code(t, "")}, "redirect_uri": {redirect}}
		status, _ := exchange(form, "wearables", "s3cret")
		require.Equal(t, 200, status)
		status, errCode := exchange(form, "wearables", "s3cret")
		assert.Equal(t, 400, status)
		assert.Equal(t, "invalid_grant", errCode)
	})
	t.Run("code expires", func(t *testing.T) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code(t, "")}, "redirect_uri": {redirect}}
		e.clock.Add(11 * time.Minute)
		status, _ := exchange(form, "wearables", "s3cret")
		assert.Equal(t, 400, status)
	})
	t.Run("bad authorize requests", func(t *testing.T) {
		for _, q := range []url.Values{
			{"response_type": {"token"}, "client_id": {"wearables"}, "redirect_uri": {redirect}},
			{"response_type": {"code"}, "client_id": {"other"}, "redirect_uri": {redirect}},
			{"response_type": {"code"}, "client_id": {"wearables"}, "redirect_uri": {"javascript:alert(1)"}},
			{"response_type": {"code"}, "client_id": {"wearables"}, "redirect_uri": {redirect}, "scope": {"everything"}},
			{"response_type": {"code"}, "client_id": {"wearables"}, "redirect_uri": {redirect}, "code_challenge": {"x"}, "code_challenge_method": {"plain"}},
		} {
			resp, err := e.noRedirect().Get(e.srv.URL + "/demo/oauth/authorize?" + q.Encode())
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode, q.Encode())
		}
	})
}

func TestDenyRedirectsWithError(t *testing.T) {
	e := setup(t, nil)
	form := url.Values{"response_type": {"code"}, "client_id": {"wearables"}, "redirect_uri": {redirect}, "state": {"st"}, "decision": {"deny"}}
	resp, err := e.noRedirect().PostForm(e.srv.URL+"/demo/oauth/authorize", form)
	require.NoError(t, err)
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	assert.Equal(t, "access_denied", loc.Query().Get("error"))
	assert.Equal(t, "st", loc.Query().Get("state"))
}

func TestDataAPIErrors(t *testing.T) {
	e := setup(t, nil)
	client, _ := e.client(e.connect(t, "demo-errors"))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		req   wearables.FetchRequest
		fault *providertest.Fault
		is    error
	}{
		{"window over 31 days", wearables.FetchRequest{DataType: DataSteps, Start: start, End: start.Add(40 * 24 * time.Hour)}, nil, wearables.ErrInvalid},
		{"forged page token", wearables.FetchRequest{DataType: DataSteps, Start: start, End: start.Add(time.Hour), PageToken: "bm9wZQ"}, nil, wearables.ErrInvalid},
		{"unknown data type", wearables.FetchRequest{DataType: "mood", Start: start, End: start.Add(time.Hour)}, nil, wearables.ErrUnsupported},
		{"rate limited", wearables.FetchRequest{DataType: DataSteps, Start: start, End: start.Add(time.Hour)}, &providertest.Fault{Status: 429, RetryAfter: 30 * time.Second}, wearables.ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != nil {
				e.faults.Inject(*tt.fault)
			}
			tt.req.Client = client
			res, err := e.p.Fetch(context.Background(), tt.req)
			assert.ErrorIs(t, err, tt.is)
			assert.Zero(t, res.Records.Len())
		})
	}
	t.Run("missing scope", func(t *testing.T) {
		e.cfg.Scopes = []string{ScopeSleep}
		defer func() { e.cfg.Scopes = e.p.OAuth().Scopes }()
		limited, _ := e.client(e.connect(t, "demo-scoped"))
		_, err := e.p.Fetch(context.Background(), wearables.FetchRequest{Client: limited, DataType: DataHeartRate, Start: start, End: start.Add(time.Hour)})
		var pe *wearables.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, http.StatusForbidden, pe.StatusCode)
	})
}

func TestNotifyWebhook(t *testing.T) {
	e := setup(t, nil)
	var got []wearables.WebhookEvent
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := e.p.VerifyWebhook(r, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		events, err := e.p.ParseWebhook(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got = append(got, events...)
	}))
	defer receiver.Close()
	n := Notification{EventID: "evt-1", AccountID: "demo-x", DataType: wearables.DataSleep, Event: "created", Start: time.Date(2026, 3, 9, 22, 0, 0, 0, time.UTC)}
	require.NoError(t, e.h.Notify(context.Background(), receiver.Client(), receiver.URL, "whsec", n))
	require.Len(t, got, 1)
	assert.Equal(t, "demo:evt-1", got[0].DedupeKey)
	assert.Equal(t, wearables.WebhookCreated, got[0].Kind)
	assert.Error(t, e.h.Notify(context.Background(), receiver.Client(), receiver.URL, "other-secret", n), "a wrong secret is refused")
}
