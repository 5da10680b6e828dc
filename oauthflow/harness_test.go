package oauthflow_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	_ "github.com/lib/pq"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/store/memstore"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

// storeKind is one store implementation the tests run against.
type storeKind struct {
	name string
	// open returns n handles on one fresh database and where it lives (see
	// openLocation). The SQL stores open each handle separately, with its
	// own connection pool, as separate processes would; memstore can only
	// share one value and has no location.
	open func(t *testing.T, n int) (stores []wearables.Store, location string)
}

var storeKinds = []storeKind{
	{
		name: "memstore",
		open: func(t *testing.T, n int) ([]wearables.Store, string) {
			s := memstore.New()
			out := make([]wearables.Store, n)
			for i := range out {
				out[i] = s
			}
			return out, ""
		},
	},
	{
		name: "sqlitestore",
		open: func(t *testing.T, n int) ([]wearables.Store, string) {
			loc := "sqlite:" + filepath.Join(t.TempDir(), "wearables.db")
			return openN(t, n, loc), loc
		},
	},
	{
		name: "pgstore",
		open: func(t *testing.T, n int) ([]wearables.Store, string) {
			loc := "pg:" + testenv.PostgresSchema(t)
			return openN(t, n, loc), loc
		},
	},
}

// openLocation opens a SQL store: "sqlite:PATH" or "pg:DSN".
func openLocation(ctx context.Context, loc string) (wearables.Store, error) {
	if path, ok := strings.CutPrefix(loc, "sqlite:"); ok {
		return sqlitestore.Open(ctx, path, sqlitestore.WithAutoMigrate(), sqlitestore.WithBusyTimeout(30*time.Second))
	}
	if dsn, ok := strings.CutPrefix(loc, "pg:"); ok {
		// A small pool: the race test opens four handles while other
		// packages test against the same server (max_connections 100).
		return pgstore.Open(ctx, dsn, pgstore.WithAutoMigrate(), pgstore.WithMaxConns(8))
	}
	return nil, fmt.Errorf("unknown store location %q", loc)
}

// openN opens n handles on loc, closed when the test ends.
func openN(t *testing.T, n int, loc string) []wearables.Store {
	t.Helper()
	out := make([]wearables.Store, n)
	for i := range out {
		s, err := openLocation(context.Background(), loc)
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		out[i] = s
	}
	return out
}

// openStore opens one fresh store of kind k.
func openStore(t *testing.T, k storeKind) wearables.Store {
	stores, _ := k.open(t, 1)
	return stores[0]
}

// forEachStore runs fn as a subtest per store kind.
func forEachStore(t *testing.T, fn func(t *testing.T, k storeKind)) {
	for _, k := range storeKinds {
		t.Run(k.name, func(t *testing.T) { fn(t, k) })
	}
}

// testClock is a settable clock shared by flows and brokers.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testKeySecret returns a random base64 key secret.
func testKeySecret() string { return base64.StdEncoding.EncodeToString(randomKey()) }

func randomKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b
}

func mustKey(t testing.TB, id string) oauthflow.Key {
	t.Helper()
	k, err := oauthflow.NewKey(id, randomKey())
	require.NoError(t, err)
	return k
}

func mustKeyring(t testing.TB, primary oauthflow.Key, older ...oauthflow.Key) *oauthflow.Keyring {
	t.Helper()
	kr, err := oauthflow.NewKeyring(primary, older...)
	require.NoError(t, err)
	return kr
}

const (
	testRedirect = "https://app.example.com/oauth/callback"
	provA        = wearables.ProviderID("fakefit")
	provB        = wearables.ProviderID("otherfit")
)

// env is one test's world: a strict fake vendor (two providers on it), a
// store, a keyring, a clock, captured logs and a Flow.
type env struct {
	t       *testing.T
	vendor  *fakeVendor
	store   wearables.Store
	keyring *oauthflow.Keyring
	clock   *testClock
	logs    *syncBuffer
	cfg     oauthflow.Config
	flow    *oauthflow.Flow
	// errs collects errors returned during the test for the leak check.
	errs []error
}

type envOption func(*env)

func withStates(s wearables.AuthStateStore) envOption {
	return func(e *env) { e.cfg.States = s }
}

func withKeyring(kr *oauthflow.Keyring) envOption {
	return func(e *env) { e.cfg.Keyring, e.keyring = kr, kr }
}

func withVendor(f func(v *fakeVendor)) envOption { return func(e *env) { f(e.vendor) } }

// newEnv builds an env on store s. At cleanup it checks that no secret the
// vendor saw appears in the logs or in any collected error.
func newEnv(t *testing.T, s wearables.Store, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, vendor: newFakeVendor(t), store: s, clock: newTestClock(), logs: &syncBuffer{}}
	e.keyring = mustKeyring(t, mustKey(t, "k1"))
	e.cfg = oauthflow.Config{
		RedirectURIs: []string{testRedirect},
		States:       s,
		Connections:  s,
		Tokens:       s,
		Keyring:      e.keyring,
		Logger:       slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:          e.clock.Now,
		NewBackOff:   fastBackOff,
	}
	for _, o := range opts {
		o(e)
	}
	e.cfg.Providers = []oauthflow.ProviderConfig{
		{Provider: newFakeProvider(provA, e.vendor), ClientID: e.vendor.ClientID, ClientSecret: oauthflow.Secret(e.vendor.ClientSecret)},
		{Provider: newFakeProvider(provB, e.vendor), ClientID: e.vendor.ClientID, ClientSecret: oauthflow.Secret(e.vendor.ClientSecret)},
	}
	var err error
	e.flow, err = oauthflow.New(e.cfg)
	require.NoError(t, err)
	t.Cleanup(func() { e.checkNoLeaks() })
	return e
}

// fastBackOff retries quickly so failure tests stay fast.
func fastBackOff() backoff.BackOff {
	return backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(5*time.Millisecond),
		backoff.WithMaxInterval(20*time.Millisecond),
		backoff.WithMaxElapsedTime(2*time.Second),
	)
}

// keep records an error for the leak check and returns it.
func (e *env) keep(err error) error {
	if err != nil {
		e.errs = append(e.errs, err)
	}
	return err
}

// checkNoLeaks greps the captured logs and every collected error (in all
// fmt forms) for every secret the vendor issued or received.
func (e *env) checkNoLeaks() {
	e.t.Helper()
	var hay strings.Builder
	hay.WriteString(e.logs.String())
	for _, err := range e.errs {
		hay.WriteString(err.Error())
		hay.WriteString(fmtAll(err))
	}
	text := hay.String()
	for _, s := range e.vendor.Secrets() {
		if strings.Contains(text, s) {
			e.t.Errorf("secret %.6s… leaked into logs or errors", s)
		}
	}
}

func fmtAll(v any) string {
	var b strings.Builder
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		b.WriteString(fmt.Sprintf(f, v))
	}
	return b.String()
}

// newUser creates a user in the store.
func (e *env) newUser() string {
	e.t.Helper()
	u := wearables.User{ExternalID: "ext-" + randString(6)}
	require.NoError(e.t, e.store.CreateUser(context.Background(), &u))
	return u.ID
}

// noRedirect is an HTTP client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// authorize plays the user's browser: it opens the authorize URL and returns
// the callback's code and state.
func (e *env) authorize(authURL string) (code, state string) {
	e.t.Helper()
	resp, err := noRedirect.Get(authURL)
	require.NoError(e.t, err)
	resp.Body.Close()
	require.Equal(e.t, http.StatusFound, resp.StatusCode, "authorize")
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(e.t, err)
	return loc.Query().Get("code"), loc.Query().Get("state")
}

// connect runs the whole flow for a user and returns the connection.
func (e *env) connect(userID string, p wearables.ProviderID) wearables.Connection {
	e.t.Helper()
	ctx := context.Background()
	res, err := e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: userID, Provider: p, RedirectURI: testRedirect})
	require.NoError(e.t, err)
	code, state := e.authorize(res.URL)
	conn, err := e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: p, State: state, Code: code, RedirectURI: testRedirect})
	require.NoError(e.t, e.keep(err))
	return conn
}

// seedConnection creates a user and an active connection whose stored token
// is a fresh family minted at the vendor, bypassing the authorize dance.
func seedConnection(t *testing.T, s wearables.Store, kr *oauthflow.Keyring, v *fakeVendor, p wearables.ProviderID, expiry time.Time) (wearables.Connection, *oauth2.Token) {
	t.Helper()
	ctx := context.Background()
	u := wearables.User{ExternalID: "ext-" + randString(6)}
	require.NoError(t, s.CreateUser(ctx, &u))
	c := wearables.Connection{UserID: u.ID, Provider: p, ProviderUserID: "athlete-" + randString(4), Status: wearables.ConnectionActive}
	require.NoError(t, s.CreateConnection(ctx, &c))
	tok := v.Mint(c.ProviderUserID)
	tok.Expiry = expiry
	et, err := kr.Seal(c.ID, tok)
	require.NoError(t, err)
	require.NoError(t, s.PutToken(ctx, et))
	return c, tok
}

// seed creates a connection on provider A whose token expires at expiry.
func (e *env) seed(expiry time.Time) (wearables.Connection, *oauth2.Token) {
	e.t.Helper()
	return seedConnection(e.t, e.store, e.keyring, e.vendor, provA, expiry)
}

// brokerOn returns a broker with e's configuration on another store handle.
func (e *env) brokerOn(s wearables.Store) *oauthflow.TokenBroker {
	e.t.Helper()
	cfg := e.cfg
	cfg.Connections, cfg.Tokens = s, s
	b, err := oauthflow.NewTokenBroker(cfg)
	require.NoError(e.t, err)
	return b
}

// stored opens the connection's stored token.
func (e *env) stored(connID string) *oauth2.Token {
	e.t.Helper()
	et, err := e.store.GetToken(context.Background(), connID)
	require.NoError(e.t, err)
	tok, err := e.keyring.Open(et)
	require.NoError(e.t, err)
	return tok
}
