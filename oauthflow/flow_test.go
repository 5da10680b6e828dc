package oauthflow_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/oauthflow/redisstate"
)

// stateStoreKind is one wearables.AuthStateStore implementation.
type stateStoreKind struct {
	name string
	// open returns the state store to use beside store s.
	open func(t *testing.T, s wearables.Store) wearables.AuthStateStore
}

var stateStoreKinds = []stateStoreKind{
	{"store", func(_ *testing.T, s wearables.Store) wearables.AuthStateStore { return s }},
	{"memory", func(*testing.T, wearables.Store) wearables.AuthStateStore { return oauthflow.NewMemoryStateStore() }},
	{"redis", func(t *testing.T, _ wearables.Store) wearables.AuthStateStore { return newRedisStates(t) }},
}

// newRedisStates returns a redisstate.Store under a prefix of its own; it
// skips without WEARABLES_TEST_REDIS_URL.
func newRedisStates(t *testing.T) *redisstate.Store {
	t.Helper()
	opt, err := redis.ParseURL(testenv.RedisURL(t))
	require.NoError(t, err)
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	prefix := "oauthflow-test:" + randString(6) + ":"
	t.Cleanup(func() {
		keys, _ := c.Keys(context.Background(), prefix+"*").Result()
		if len(keys) > 0 {
			c.Del(context.Background(), keys...)
		}
	})
	return redisstate.New(c, prefix)
}

// TestBegin issues 1,000 authorizations and checks that states and PKCE
// verifiers are all distinct, and that replayed, expired, cross-provider,
// wrong-redirect, unknown and tampered callbacks are rejected with their
// typed errors before any request reaches the token endpoint — for the
// store-backed, in-memory and Redis state stores on every store.
func TestBegin(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		for _, sk := range stateStoreKinds {
			t.Run(sk.name, func(t *testing.T) {
				s := openStore(t, k)
				e := newEnv(t, s, withStates(sk.open(t, s)))
				testBegin(t, e)
			})
		}
	})
}

func testBegin(t *testing.T, e *env) {
	ctx := context.Background()
	user := e.newUser()
	const n = 1000
	states := make(map[string]bool, n)
	challenges := make(map[string]bool, n)
	var first oauthflow.BeginResult
	for i := range n {
		res, err := e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: user, Provider: provA, RedirectURI: testRedirect})
		require.NoError(t, err)
		if i == 0 {
			first = res
		}
		u, err := url.Parse(res.URL)
		require.NoError(t, err)
		q := u.Query()
		require.Equal(t, res.State, q.Get("state"))
		require.GreaterOrEqual(t, len(res.State), 22, "≥ 128 bits of base64url")
		states[res.State] = true
		challenges[q.Get("code_challenge")] = true
		if i == 0 {
			assert.Equal(t, e.vendor.URL("/authorize"), u.Scheme+"://"+u.Host+u.Path)
			assert.Equal(t, e.vendor.ClientID, q.Get("client_id"))
			assert.Equal(t, "code", q.Get("response_type"))
			assert.Equal(t, testRedirect, q.Get("redirect_uri"))
			assert.Equal(t, "activity sleep", q.Get("scope"))
			assert.Equal(t, "S256", q.Get("code_challenge_method"))
			assert.Len(t, q.Get("code_challenge"), 43)
			assert.Equal(t, "force", q.Get("approval_prompt"), "provider's extra parameter")
			assert.WithinDuration(t, e.clock.Now().Add(10*time.Minute), res.ExpiresAt, time.Second)
		}
	}
	assert.Len(t, states, n, "distinct states")
	assert.Len(t, challenges, n, "distinct PKCE verifiers (their S256 challenges)")

	complete := func(p wearables.ProviderID, state, code, redirect string) error {
		_, err := e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: p, State: state, Code: code, RedirectURI: redirect})
		return e.keep(err)
	}

	// A legitimate callback works once …
	code, state := e.authorize(first.URL)
	require.NoError(t, complete(provA, state, code, testRedirect))
	requests := e.vendor.TokenRequests.Load()
	require.Equal(t, int64(1), requests)

	// … and every bad callback below fails before a token request is sent.
	other := func() string {
		res, err := e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: user, Provider: provA, RedirectURI: testRedirect})
		require.NoError(t, err)
		return res.State
	}
	tampered := []byte(other())
	tampered[5] ^= 0x01
	expiredState := other()
	crossState := other()
	redirectState := other()
	tests := []struct {
		name     string
		provider wearables.ProviderID
		state    string
		redirect string
		before   func()
		want     error
	}{
		{name: "replayed", provider: provA, state: state, redirect: testRedirect, want: oauthflow.ErrStateReplayed},
		{name: "replayed again", provider: provA, state: state, want: oauthflow.ErrStateReplayed},
		{name: "unknown", provider: provA, state: otherFirstChar(state), want: oauthflow.ErrStateUnknown},
		{name: "malformed", provider: provA, state: "not-a-state", want: oauthflow.ErrStateUnknown},
		{name: "empty", provider: provA, state: "", want: oauthflow.ErrStateUnknown},
		{name: "tampered", provider: provA, state: string(tampered), want: oauthflow.ErrStateUnknown},
		{name: "cross provider", provider: provB, state: crossState, want: oauthflow.ErrStateMismatch},
		{name: "cross provider consumed it", provider: provA, state: crossState, want: oauthflow.ErrStateReplayed},
		{name: "other redirect", provider: provA, state: redirectState, redirect: "https://evil.example.com/cb", want: oauthflow.ErrStateMismatch},
		{name: "unconfigured provider", provider: "nope", state: other(), want: oauthflow.ErrUnknownProvider},
		{name: "expired", provider: provA, state: expiredState, before: func() { e.clock.Advance(10*time.Minute + time.Second) }, want: oauthflow.ErrStateExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			err := complete(tt.provider, tt.state, code, tt.redirect)
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
			assert.Equal(t, requests, e.vendor.TokenRequests.Load(), "no token request may be sent")
		})
	}
}

// otherFirstChar returns s with its first character changed.
func otherFirstChar(s string) string {
	if s[0] == 'x' {
		return "y" + s[1:]
	}
	return "x" + s[1:]
}

func TestRedirectAllowlist(t *testing.T) {
	e := newEnv(t, openStore(t, storeKinds[0]))
	user := e.newUser()
	for _, redirect := range []string{
		"",
		"https://app.example.com/oauth/callback/",
		"https://app.example.com/oauth/callback?x=1",
		"http://app.example.com/oauth/callback",
		"https://APP.example.com/oauth/callback",
		"https://app.example.com.evil.com/oauth/callback",
		"https://app.example.com/oauth/callback#",
	} {
		t.Run(redirect, func(t *testing.T) {
			_, err := e.flow.Begin(context.Background(), oauthflow.BeginRequest{UserID: user, Provider: provA, RedirectURI: redirect})
			assert.ErrorIs(t, err, oauthflow.ErrRedirectNotAllowed)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
		})
	}
	assert.Zero(t, e.vendor.AuthorizeRequests.Load())
}

// TestComplete runs begin → authorize → complete → token against every
// store, for a PKCE + HTTP Basic vendor and a no-PKCE + body-auth vendor.
func TestComplete(t *testing.T) {
	vendors := []struct {
		name  string
		pkce  bool
		style oauth2.AuthStyle
	}{
		{"pkce basic", true, oauth2.AuthStyleInHeader},
		{"no pkce body", false, oauth2.AuthStyleInParams},
	}
	forEachStore(t, func(t *testing.T, k storeKind) {
		for _, vt := range vendors {
			t.Run(vt.name, func(t *testing.T) {
				e := newEnv(t, openStore(t, k), withVendor(func(v *fakeVendor) { v.RequirePKCE, v.Style = vt.pkce, vt.style }))
				testComplete(t, e, vt.pkce)
			})
		}
	})
}

func testComplete(t *testing.T, e *env, pkce bool) {
	ctx := context.Background()
	user := e.newUser()

	res, err := e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: user, Provider: provA, RedirectURI: testRedirect})
	require.NoError(t, err)
	assert.Equal(t, pkce, strings.Contains(res.URL, "code_challenge="))
	code, state := e.authorize(res.URL)
	conn, err := e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: provA, State: state, Code: code})
	require.NoError(t, e.keep(err))
	assert.Equal(t, user, conn.UserID)
	assert.Equal(t, provA, conn.Provider)
	assert.Equal(t, "athlete-1", conn.ProviderUserID)
	assert.Equal(t, wearables.ConnectionActive, conn.Status)
	assert.Empty(t, conn.StatusReason)
	assert.Equal(t, []string{"activity", "sleep"}, conn.Scopes)

	// The stored token is encrypted and bound to the connection.
	et, err := e.store.GetToken(ctx, conn.ID)
	require.NoError(t, err)
	assert.Equal(t, "k1", et.KeyID)
	for _, s := range e.vendor.Secrets() {
		assert.NotContains(t, string(et.Ciphertext), s)
	}
	tok, err := e.flow.Broker().Token(ctx, conn.ID)
	require.NoError(t, e.keep(err))
	assert.True(t, e.vendor.AccessValid(tok.AccessToken))
	assert.Equal(t, int64(1), e.vendor.TokenRequests.Load(), "a fresh token needs no refresh")

	// The client the broker builds authorizes requests.
	id, err := newFakeProvider(provA, e.vendor).ProviderUserID(ctx, e.flow.Broker().Client(ctx, conn.ID), nil)
	require.NoError(t, err)
	assert.Equal(t, "athlete-1", id)

	// Connecting again updates the same connection with a new token.
	again := e.connect(user, provA)
	assert.Equal(t, conn.ID, again.ID)
	tok2, err := e.flow.Broker().Token(ctx, conn.ID)
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, tok2.AccessToken)

	// Connecting another vendor account replaces the connection.
	e.vendor.VendorUser.Store("athlete-2")
	replaced := e.connect(user, provA)
	assert.NotEqual(t, conn.ID, replaced.ID)
	assert.Equal(t, "athlete-2", replaced.ProviderUserID)
	_, err = e.store.GetConnection(ctx, conn.ID)
	assert.ErrorIs(t, err, wearables.ErrNotFound)

	// The same user can connect the second provider too.
	b := e.connect(user, provB)
	assert.NotEqual(t, replaced.ID, b.ID)

	// A user that does not exist cannot complete.
	res, err = e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: "no-such-user", Provider: provA, RedirectURI: testRedirect})
	require.NoError(t, err)
	code, state = e.authorize(res.URL)
	_, err = e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: provA, State: state, Code: code})
	assert.ErrorIs(t, e.keep(err), wearables.ErrNotFound)
}

// TestCompleteVendorErrors: a code the vendor rejects is a *TokenError that
// holds neither the code nor the verifier, even when the vendor echoes them.
func TestCompleteVendorErrors(t *testing.T) {
	e := newEnv(t, openStore(t, storeKinds[0]), withVendor(func(v *fakeVendor) { v.EchoSecrets = true }))
	ctx := context.Background()
	user := e.newUser()
	res, err := e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: user, Provider: provA, RedirectURI: testRedirect})
	require.NoError(t, err)
	code, state := e.authorize(res.URL)
	_, err = e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: provA, State: state, Code: code + "x"})
	require.Error(t, e.keep(err))
	var te *oauthflow.TokenError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "invalid_grant", te.Code)
	assert.Equal(t, 400, te.StatusCode)
	assert.Contains(t, te.Description, "[REDACTED]")
	assert.ErrorIs(t, err, wearables.ErrUnauthorized)
	assert.NotContains(t, err.Error(), code)
}

func TestConfigValidation(t *testing.T) {
	s := openStore(t, storeKinds[0])
	v := newFakeVendor(t)
	kr := mustKeyring(t, mustKey(t, "k1"))
	good := func() oauthflow.Config {
		return oauthflow.Config{
			Providers:    []oauthflow.ProviderConfig{{Provider: newFakeProvider(provA, v), ClientID: "id", ClientSecret: "secret"}},
			RedirectURIs: []string{testRedirect},
			States:       s, Connections: s, Tokens: s, Keyring: kr,
		}
	}
	_, err := oauthflow.New(good())
	require.NoError(t, err)
	tests := []struct {
		name   string
		mutate func(c *oauthflow.Config)
		broker bool // NewTokenBroker accepts it
	}{
		{"no providers", func(c *oauthflow.Config) { c.Providers = nil }, false},
		{"no keyring", func(c *oauthflow.Config) { c.Keyring = nil }, false},
		{"no tokens", func(c *oauthflow.Config) { c.Tokens = nil }, false},
		{"no states", func(c *oauthflow.Config) { c.States = nil }, true},
		{"no redirects", func(c *oauthflow.Config) { c.RedirectURIs = nil }, true},
		{"empty redirect", func(c *oauthflow.Config) { c.RedirectURIs = []string{""} }, true},
		{"no client id", func(c *oauthflow.Config) { c.Providers[0].ClientID = "" }, false},
		{"nil provider", func(c *oauthflow.Config) { c.Providers[0].Provider = nil }, false},
		{"duplicate provider", func(c *oauthflow.Config) { c.Providers = append(c.Providers, c.Providers[0]) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.mutate(&c)
			_, err := oauthflow.New(c)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
			_, err = oauthflow.NewTokenBroker(c)
			if tt.broker {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, wearables.ErrInvalid)
			}
		})
	}
}
