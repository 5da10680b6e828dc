package server_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/providers/demo"
	"github.com/wearables-go/wearables/providers/garmin"
	"github.com/wearables-go/wearables/server"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
	"github.com/wearables-go/wearables/syncer"
)

type fullStore interface {
	wearables.Store
	wearables.TenantStore
}

// env is a running server on a real store with the demo vendor mounted.
type env struct {
	t      testing.TB
	url    string
	srv    *server.Server
	store  fullStore
	client *http.Client // does not follow redirects
	logs   *lockedBuffer
	queue  *syncer.Queue // insert-only: its jobs stay queued for inspection
	// contract, when set, validates every API response against the served
	// OpenAPI document.
	contract *contract
}

type envOpts struct {
	postgres  bool
	rateLimit float64
	rateBurst int
	cors      []string
	garmin    bool // also configure Garmin (a NotificationOnly vendor)
}

func newEnv(t testing.TB, o envOpts) *env {
	t.Helper()
	ctx := context.Background()
	var st fullStore
	if o.postgres {
		dsn := testenv.PostgresSchema(t)
		pg, err := pgstore.Open(ctx, dsn, pgstore.WithAutoMigrate())
		require.NoError(t, err)
		st = pg
	} else {
		sq, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "w.db"), sqlitestore.WithAutoMigrate())
		require.NoError(t, err)
		st = sq
	}
	t.Cleanup(func() { st.Close() })

	// The handler needs the server's URL, so the URL comes from the
	// listener and the server starts only once its handler is set (setting
	// it after Start races with the first request).
	ts := httptest.NewUnstartedServer(nil)
	t.Cleanup(ts.Close)
	tsURL := "http://" + ts.Listener.Addr().String()

	vendor, err := demo.NewHandler(demo.HandlerConfig{ClientID: "demo-client", ClientSecret: "demo-secret-0123456789", Seed: 7})
	require.NoError(t, err)
	prov := demo.New(demo.Config{BaseURL: tsURL + "/demo", WebhookSecret: "whsec-demo"})
	key, err := oauthflow.NewKey("k1", bytes.Repeat([]byte{7}, 32))
	require.NoError(t, err)
	kr, err := oauthflow.NewKeyring(key)
	require.NoError(t, err)
	flow, err := oauthflow.New(oauthflow.Config{
		Providers:    []oauthflow.ProviderConfig{{Provider: prov, ClientID: "demo-client", ClientSecret: "demo-secret-0123456789"}},
		RedirectURIs: []string{tsURL + "/api/v1/oauth/demo/callback"},
		States:       st, Connections: st, Tokens: st, Keyring: kr,
	})
	require.NoError(t, err)
	provs := []wearables.Provider{prov}
	if o.garmin {
		provs = append(provs, garmin.New(garmin.Config{ClientID: "garmin-app", BaseURL: tsURL + "/no-garmin"}))
	}
	sy, err := syncer.New(syncer.Config{Store: st, Providers: provs, Tokens: flow.Broker()})
	require.NoError(t, err)
	var (
		db *sql.DB
		dk syncer.Database
	)
	switch x := st.(type) {
	case *sqlitestore.Store:
		db, dk = x.WriterDB(), syncer.SQLite
	case *pgstore.Store:
		db, dk = x.DB(), syncer.Postgres
	}
	require.NoError(t, syncer.Migrate(ctx, dk, db))
	queue, err := syncer.NewQueue(syncer.QueueConfig{Syncer: sy, Database: dk, DB: db, Workers: -1})
	require.NoError(t, err)
	logs := &lockedBuffer{}
	h, err := server.New(server.Config{
		Store: st, Tenants: st, Flow: flow, Providers: provs, Syncer: sy,
		JWTSecret: bytes.Repeat([]byte("s"), 32), PublicURL: tsURL,
		Mounts:    map[string]http.Handler{"/demo/": http.StripPrefix("/demo", vendor)},
		RateLimit: o.rateLimit, RateBurst: o.rateBurst,
		Jobs: queue, Webhooks: queue.WebhookHandler(), CORSOrigins: o.cors,
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	require.NoError(t, err)
	ts.Config.Handler = h
	ts.Start()
	return &env{t: t, url: ts.URL, srv: h, store: st, logs: logs, queue: queue, client: &http.Client{
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// lockedBuffer is a bytes.Buffer safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), string(r.body))
}

// do sends a request with an optional bearer token and JSON body.
func (e *env) do(method, path, token string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd, ct = bytes.NewReader(j), "application/json"
	}
	u := path
	if strings.HasPrefix(path, "/") {
		u = e.url + path
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(e.t, err)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.client.Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	if e.contract != nil {
		e.contract.check(e.t, method, u, res.StatusCode, res.Header, b)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// tenant is a developer with one application and an API key.
type tenant struct {
	devToken string
	appID    string
	key      string
	keyID    string
}

// newTenant creates a developer directly in the store, logs in, and creates
// an application and a key through the API.
func (e *env) newTenant(email string) tenant {
	e.t.Helper()
	h, err := server.HashPassword("correct horse battery")
	require.NoError(e.t, err)
	require.NoError(e.t, e.store.CreateDeveloper(context.Background(), &wearables.Developer{Email: email, PasswordHash: h}))
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": "correct horse battery"})
	require.Equal(e.t, 200, r.status, string(r.body))
	var tok server.TokenResponse
	r.json(e.t, &tok)
	r = e.do("POST", "/api/v1/apps", tok.AccessToken, map[string]any{"name": "app of " + email, "redirect_uris": []string{"https://app.example/connected", "https://app.example/failed"}})
	require.Equal(e.t, 201, r.status, string(r.body))
	var app wearables.App
	r.json(e.t, &app)
	r = e.do("POST", "/api/v1/apps/"+app.ID+"/keys", tok.AccessToken, map[string]any{"name": "test"})
	require.Equal(e.t, 201, r.status, string(r.body))
	var nk server.NewKey
	r.json(e.t, &nk)
	return tenant{devToken: tok.AccessToken, appID: app.ID, key: nk.Key, keyID: nk.APIKey.ID}
}
