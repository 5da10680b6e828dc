package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/server"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startServe runs the real command line `wearables serve` until the test
// ends and returns its base URL.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	base := "http://" + addr
	t.Setenv("WEARABLES_PUBLIC_URL", base)
	t.Setenv("WEARABLES_KEY_FILE", filepath.Join(t.TempDir(), "keys"))
	t.Setenv("WEARABLES_ADMIN_PASSWORD", "a long admin password")
	t.Setenv("WEARABLES_LOG_LEVEL", "warn")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve", "--addr", addr}, args...)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			assert.Equal(t, 0, code, "serve exits cleanly on SIGTERM")
		case <-time.After(40 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return base
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d", code)
		default:
		}
		require.True(t, time.Now().Before(deadline), "serve did not become ready")
		time.Sleep(50 * time.Millisecond)
	}
}

type client struct {
	t     *testing.T
	base  string
	token string
	hc    *http.Client
}

func (c *client) do(method, path string, body any, out any) (int, http.Header) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(c.t, err)
		rd = bytes.NewReader(b)
	}
	u := path
	if strings.HasPrefix(path, "/") {
		u = c.base + path
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(c.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(c.t, err)
	if out != nil && res.StatusCode < 300 {
		require.NoError(c.t, json.Unmarshal(b, out), string(b))
	}
	if res.StatusCode >= 500 {
		c.t.Errorf("%s %s → %d: %s", method, path, res.StatusCode, b)
	}
	return res.StatusCode, res.Header
}

func TestServeSQLite(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	db := filepath.Join(t.TempDir(), "w.db")
	userID := serveWalk(t, startServe(t, "--sqlite-path", db))
	// After shutdown: nothing of the user remains in the file.
	st, err := sqlitestore.Open(context.Background(), db)
	require.NoError(t, err)
	defer st.Close()
	assertGone(t, st, userID)
}

func TestServePostgres(t *testing.T) {
	dsn := testenv.PostgresSchema(t)
	t.Setenv("DATABASE_URL", dsn)
	userID := serveWalk(t, startServe(t))
	st, err := pgstore.Open(context.Background(), dsn)
	require.NoError(t, err)
	defer st.Close()
	assertGone(t, st, userID)
}

// TestServeRedis: REDIS_URL moves OAuth states and the outbound rate
// limiter to Redis.
func TestServeRedis(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	t.Setenv("REDIS_URL", testenv.RedisURL(t))
	serveWalk(t, startServe(t, "--sqlite-path", filepath.Join(t.TempDir(), "w.db")))
}

func assertGone(t *testing.T, st wearables.Store, userID string) {
	t.Helper()
	ctx := context.Background()
	_, err := st.GetUser(ctx, userID)
	assert.ErrorIs(t, err, wearables.ErrNotFound)
	src, err := st.ListSources(ctx, userID)
	require.NoError(t, err)
	assert.Empty(t, src)
	cs, err := st.ListConnections(ctx, wearables.ConnectionQuery{UserID: userID})
	require.NoError(t, err)
	assert.Empty(t, cs.Items)
}

// serveWalk: developer login → app + key → user → authorize the demo
// provider → consent → callback → sync → queries → resample and merge →
// disconnect → purge.
func serveWalk(t *testing.T, base string) string {
	hc := &http.Client{Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	dev := &client{t: t, base: base, hc: hc}
	var tok server.TokenResponse
	st, _ := dev.do("POST", "/api/v1/auth/login", map[string]string{"email": "admin@localhost", "password": "a long admin password"}, &tok)
	require.Equal(t, 200, st)
	dev.token = tok.AccessToken
	var app wearables.App
	st, _ = dev.do("POST", "/api/v1/apps", map[string]any{"name": "e2e", "redirect_uris": []string{"https://app.example/done"}}, &app)
	require.Equal(t, 201, st)
	var nk server.NewKey
	st, _ = dev.do("POST", "/api/v1/apps/"+app.ID+"/keys", map[string]any{"name": "e2e"}, &nk)
	require.Equal(t, 201, st)

	c := &client{t: t, base: base, token: nk.Key, hc: hc}
	var u wearables.User
	st, _ = c.do("POST", "/api/v1/users", map[string]any{"external_id": "e2e-user"}, &u)
	require.Equal(t, 201, st)
	var az server.Authorization
	st, _ = c.do("POST", "/api/v1/oauth/demo/authorize", map[string]any{"user_id": u.ID, "redirect_uri": "https://app.example/done"}, &az)
	require.Equal(t, 200, st)
	anon := &client{t: t, base: base, hc: hc}
	st, _ = anon.do("GET", az.URL, nil, nil)
	require.Equal(t, 200, st, "the demo vendor's consent page")
	au, err := url.Parse(az.URL)
	require.NoError(t, err)
	form := au.Query()
	form.Set("decision", "approve")
	res, err := hc.PostForm(base+"/demo/oauth/authorize", form)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, 302, res.StatusCode)
	st, h := anon.do("GET", res.Header.Get("Location"), nil, nil)
	require.Equal(t, 302, st)
	back, err := url.Parse(h.Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "/done", back.Path)
	connID := back.Query().Get("connection_id")
	require.NotEmpty(t, connID)

	var sr server.SyncResult
	st, _ = c.do("POST", "/api/v1/users/"+u.ID+"/connections/"+connID+"/sync?wait=true", nil, &sr)
	require.Equal(t, 200, st)
	require.Equal(t, "finished", sr.Status, sr.Error)
	st, _ = c.do("POST", "/api/v1/users/"+u.ID+"/connections/"+connID+"/sync", nil, &sr)
	require.Equal(t, 202, st)
	assert.Equal(t, "queued", sr.Status, "queued on River")

	var series struct {
		Items []struct {
			Buckets []struct {
				Sources []int `json:"sources"`
			} `json:"buckets"`
		} `json:"items"`
	}
	st, _ = c.do("GET", "/api/v1/users/"+u.ID+"/series?types=heart_rate&resolution=1h&merged=true", nil, &series)
	require.Equal(t, 200, st)
	require.Len(t, series.Items, 1)
	assert.NotEmpty(t, series.Items[0].Buckets)
	var samples wearables.Page[wearables.Sample]
	st, _ = c.do("GET", "/api/v1/users/"+u.ID+"/samples?types=heart_rate&limit=10", nil, &samples)
	require.Equal(t, 200, st)
	assert.Len(t, samples.Items, 10)
	for _, p := range []string{"workouts", "sleep", "summaries", "scores", "sources", "priorities", "sync-runs"} {
		st, _ = c.do("GET", "/api/v1/users/"+u.ID+"/"+p, nil, nil)
		assert.Equal(t, 200, st, p)
	}
	var conn wearables.Connection
	st, _ = c.do("DELETE", "/api/v1/users/"+u.ID+"/connections/"+connID, nil, &conn)
	require.Equal(t, 200, st)
	assert.Equal(t, wearables.ConnectionRevoked, conn.Status)
	st, _ = c.do("DELETE", "/api/v1/users/"+u.ID, nil, nil)
	require.Equal(t, 200, st)
	st, _ = c.do("GET", "/api/v1/users/"+u.ID, nil, nil)
	assert.Equal(t, 404, st)

	res, err = hc.Get(base + "/metrics")
	require.NoError(t, err)
	mb, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	assert.Contains(t, string(mb), `wearables_jobs{kind="wearables_sync"`, "job metrics")
	assert.Contains(t, string(mb), `wearables_sync_runs_total{outcome="ok",provider="demo"}`, "sync metrics")
	assert.Contains(t, string(mb), "wearables_http_requests_total")
	return u.ID
}

func TestProductionRefuses(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	t.Setenv("WEARABLES_ENV", "production")
	t.Setenv("WEARABLES_DEMO", "true")
	t.Setenv("WEARABLES_KEY_FILE", filepath.Join(t.TempDir(), "keys"))
	db := filepath.Join(t.TempDir(), "w.db")
	key := "k1:" + strings.Repeat("A", 43) + "="
	secret := strings.Repeat("B", 43) + "="
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"missing keys", map[string]string{}, "WEARABLES_ENCRYPTION_KEYS and WEARABLES_JWT_SECRET are required"},
		{"default admin password", map[string]string{"WEARABLES_ENCRYPTION_KEYS": key, "WEARABLES_JWT_SECRET": secret, "WEARABLES_PUBLIC_URL": "https://w.example", "WEARABLES_ADMIN_PASSWORD": "admin"}, "WEARABLES_ADMIN_PASSWORD"},
		{"wildcard CORS", map[string]string{"WEARABLES_ENCRYPTION_KEYS": key, "WEARABLES_JWT_SECRET": secret, "WEARABLES_PUBLIC_URL": "https://w.example", "WEARABLES_ADMIN_PASSWORD": "a long admin password", "WEARABLES_CORS_ORIGINS": "*"}, "must not contain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, k := range []string{"WEARABLES_ENCRYPTION_KEYS", "WEARABLES_JWT_SECRET", "WEARABLES_PUBLIC_URL", "WEARABLES_ADMIN_PASSWORD", "WEARABLES_CORS_ORIGINS"} {
				t.Setenv(k, c.env[k])
			}
			_, _, err := execute(t, "serve", "--sqlite-path", db, "--addr", freeAddr(t))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			_, statErr := os.Stat(os.Getenv("WEARABLES_KEY_FILE"))
			assert.ErrorIs(t, statErr, os.ErrNotExist, "production never writes a key file")
		})
	}
}

func TestAdminCommands(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	t.Setenv("WEARABLES_KEY_FILE", filepath.Join(dir, "keys"))
	db := filepath.Join(dir, "w.db")
	out, _, err := execute(t, "migrate", "up", "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "applied [1 2 3 4]")
	out, _, err = execute(t, "migrate", "status", "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "apps")

	t.Setenv("WEARABLES_NEW_PASSWORD", "0123456789abc")
	out, _, err = execute(t, "developers", "create", "--email", "Dev@Example.com", "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "dev@example.com")
	out, _, err = execute(t, "apps", "create", "--developer", "dev@example.com", "--name", "cli app", "--sqlite-path", db)
	require.NoError(t, err)
	appID := field(out, "application ")
	require.NotEmpty(t, appID, out)
	assert.Contains(t, out, "API key (shown once): wk_")

	out, _, err = execute(t, "keys", "create", "--app", appID, "--name", "second", "--sqlite-path", db)
	require.NoError(t, err)
	keyID := field(out, "key ")
	out, _, err = execute(t, "keys", "rotate", keyID, "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "revoked; new key")
	out, _, err = execute(t, "keys", "list", "--app", appID, "--sqlite-path", db)
	require.NoError(t, err)
	assert.Equal(t, 4, strings.Count(out, "\n"), "header + 3 keys:\n%s", out)
	assert.NotRegexp(t, `wk_[a-z2-7]{32}_`, out, "no whole key is listed")
	out, _, err = execute(t, "keys", "revoke", keyID, "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "revoked")
	out, _, err = execute(t, "users", "list", "--app", appID, "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "EXTERNAL ID")

	out, _, err = execute(t, "demo", "--days", "1", "--no-progress", "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "is connected to the demo provider")
	_, connID, ok := strings.Cut(out, "(connection ")
	require.True(t, ok, out)
	connID, _, _ = strings.Cut(connID, ")")
	out, _, err = execute(t, "sync", connID, "--data-type", "sleep", "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "sleep")
	assert.Contains(t, out, "unchanged")
	out, _, err = execute(t, "backfill", connID, "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "queued")
	out, _, err = execute(t, "rotate-encryption-key", "--no-progress", "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "re-wrapped 0 tokens", "already on the primary key")

	out, _, err = execute(t, "version")
	require.NoError(t, err)
	assert.Contains(t, out, "wearables ")
	out, _, err = execute(t, "migrate", "down", "--sqlite-path", db)
	require.NoError(t, err)
	assert.Contains(t, out, "rolled back 4")
}

// field returns the word after prefix at the start of a line of out.
func field(out, prefix string) string {
	for line := range strings.SplitSeq(out, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			return strings.Fields(rest)[0]
		}
	}
	return ""
}

// TestWorker: `wearables worker` processes queued jobs and stops cleanly.
func TestWorker(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	t.Setenv("WEARABLES_KEY_FILE", filepath.Join(dir, "keys"))
	db := filepath.Join(dir, "w.db")
	out, _, err := execute(t, "demo", "--days", "1", "--no-progress", "--sqlite-path", db)
	require.NoError(t, err)
	_, connID, _ := strings.Cut(out, "(connection ")
	connID, _, _ = strings.Cut(connID, ")")
	_, _, err = execute(t, "backfill", connID, "--sqlite-path", db)
	require.NoError(t, err)

	st, err := sqlitestore.Open(context.Background(), db)
	require.NoError(t, err)
	defer st.Close()
	runs := func() int {
		p, err := st.ListSyncRuns(context.Background(), wearables.SyncRunQuery{ConnectionID: connID, Limit: 1000})
		require.NoError(t, err)
		return len(p.Items)
	}
	before := runs()

	ctx, cancel := context.WithCancel(context.Background())
	var errb bytes.Buffer
	done := make(chan error, 1)
	go func() {
		root := newRootCmd()
		root.SetArgs([]string{"worker", "--sqlite-path", db})
		root.SetOut(io.Discard)
		root.SetErr(&errb)
		done <- root.ExecuteContext(ctx)
	}()
	require.Eventually(t, func() bool { return runs() > before }, 30*time.Second, 100*time.Millisecond, "the worker runs the queued jobs")
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err, errb.String())
	case <-time.After(40 * time.Second):
		t.Fatal("worker did not stop")
	}
}
