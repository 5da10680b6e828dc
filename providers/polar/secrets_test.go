package polar_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/providers/polar"
	"github.com/wearables-go/wearables/store/memstore"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

// sharedStore opens two handles on one fresh database, as two processes of
// a deployment would have (memstore can only share one value).
type sharedStore struct {
	name string
	open func(t *testing.T) (a, b wearables.Store)
}

var sharedStores = []sharedStore{
	{"memstore", func(t *testing.T) (wearables.Store, wearables.Store) {
		s := memstore.New()
		return s, s
	}},
	{"sqlitestore", func(t *testing.T) (wearables.Store, wearables.Store) {
		path := filepath.Join(t.TempDir(), "wearables.db")
		a, err := sqlitestore.Open(t.Context(), path, sqlitestore.WithAutoMigrate())
		require.NoError(t, err)
		t.Cleanup(func() { a.Close() })
		b, err := sqlitestore.Open(t.Context(), path, sqlitestore.WithBusyTimeout(30*time.Second))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		return a, b
	}},
	{"pgstore", func(t *testing.T) (wearables.Store, wearables.Store) {
		dsn := testenv.PostgresSchema(t)
		a, err := pgstore.Open(t.Context(), dsn, pgstore.WithAutoMigrate(), pgstore.WithMaxConns(2))
		require.NoError(t, err)
		t.Cleanup(func() { a.Close() })
		b, err := pgstore.Open(t.Context(), dsn, pgstore.WithMaxConns(2))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		return a, b
	}},
}

// testKeyring is a keyring of one random key with id "k1".
func testKeyring(t *testing.T) *oauthflow.Keyring { return testKeyringID(t, "k1") }

// testKeyringID is a keyring of one random key with the given id.
func testKeyringID(t *testing.T, id string) *oauthflow.Keyring {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	k, err := oauthflow.NewKey(id, secret)
	require.NoError(t, err)
	kr, err := oauthflow.NewKeyring(k)
	require.NoError(t, err)
	return kr
}

// notification is a POST of body to the webhook intake, signed with
// signature (none when empty).
func notification(body []byte, signature string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhooks/polar", bytes.NewReader(body))
	if signature != "" {
		r.Header.Set(polar.SignatureHeader, signature)
	}
	return r
}

// TestEnsureSubscriptionsKeepsSecret: the one-time secret of a webhook
// EnsureSubscriptions creates is stored sealed in the shared store, and a
// second provider, sharing nothing but the database, verifies
// notifications with it.
func TestEnsureSubscriptionsKeepsSecret(t *testing.T) {
	const callback = "https://app.example/webhooks/polar"
	for _, ss := range sharedStores {
		t.Run(ss.name, func(t *testing.T) {
			ctx := t.Context()
			storeA, storeB := ss.open(t)
			kr := testKeyring(t)
			var handedOver polar.Webhook
			p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret",
				Secrets:          oauthflow.AppSecrets{Store: storeA, Keyring: kr},
				OnWebhookCreated: func(_ context.Context, w polar.Webhook) error { handedOver = w; return nil }})
			api := &webhookAPI{}
			api.register(t, mux)

			require.NoError(t, p.EnsureSubscriptions(ctx, callback))
			assert.Equal(t, []string{"GET /v3/webhooks", "POST /v3/webhooks"}, api.log())
			assert.Equal(t, testSecret, handedOver.SignatureSecretKey, "OnWebhookCreated still gets the webhook")

			// Stored sealed: the store holds no plaintext.
			stored, err := storeB.GetAppSecret(ctx, wearables.ProviderPolar, polar.SecretWebhookSignature)
			require.NoError(t, err)
			assert.Equal(t, "k1", stored.KeyID)
			assert.False(t, bytes.Contains(stored.Ciphertext, []byte(testSecret)), "plaintext secret in the store")
			assert.NotContains(t, hex.EncodeToString(stored.Ciphertext), hex.EncodeToString([]byte(testSecret)))

			exercise := testdata(t, "webhook_exercise.json")
			tampered := bytes.Replace(exercise, []byte(`"EXERCISE"`), []byte(`"SLEEP"   `), 1)
			require.NotEqual(t, exercise, tampered)
			sig := polar.Sign(testSecret, exercise)

			// A second process: its own provider, the same database and keyring.
			q := polar.New(polar.Config{Secrets: oauthflow.AppSecrets{Store: storeB, Keyring: kr}})
			for name, prov := range map[string]*polar.Provider{"creating process": p, "other process": q} {
				assert.NoError(t, prov.VerifyWebhook(notification(exercise, sig), exercise), name)
				assert.ErrorIs(t, prov.VerifyWebhook(notification(tampered, sig), tampered), wearables.ErrUnauthorized, "%s: tampered body", name)
				assert.ErrorIs(t, prov.VerifyWebhook(notification(exercise, polar.Sign("forged", exercise)), exercise), wearables.ErrUnauthorized, "%s: other secret", name)
				assert.ErrorIs(t, prov.VerifyWebhook(notification(exercise, ""), exercise), wearables.ErrUnauthorized, "%s: unsigned", name)
			}

			// Concurrent notifications share one cache (run with -race).
			r := polar.New(polar.Config{Secrets: oauthflow.AppSecrets{Store: storeB, Keyring: kr}})
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					body, s := exercise, sig
					if i%2 == 1 {
						body = tampered
					}
					err := r.VerifyWebhook(notification(body, s), body)
					if i%2 == 0 {
						assert.NoError(t, err)
					} else {
						assert.ErrorIs(t, err, wearables.ErrUnauthorized)
					}
				})
			}
			wg.Wait()

			// A webhook that exists already is left alone, secret and all.
			require.NoError(t, p.EnsureSubscriptions(ctx, callback))
			assert.Len(t, api.log(), 3)
			again, err := storeB.GetAppSecret(ctx, wearables.ProviderPolar, polar.SecretWebhookSignature)
			require.NoError(t, err)
			assert.Equal(t, stored.Ciphertext, again.Ciphertext)
		})
	}
}

// TestEnsureSubscriptionsReplacesWebhookOfUnknownSecret: a webhook that
// exists while the store holds no secret for it (created by hand, or
// before Config.Secrets was set) can never be verified: it is deleted and
// created anew, and the new secret kept. With a static WebhookSecret it is
// left alone.
func TestEnsureSubscriptionsReplacesWebhookOfUnknownSecret(t *testing.T) {
	const callback = "https://app.example/webhooks/polar"
	ctx := t.Context()
	st := memstore.New()
	kr := testKeyring(t)
	existing := map[string]any{"id": "old-1", "events": polar.WebhookEvents(), "url": callback, "active": true}

	p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret", WebhookSecret: "configured",
		Secrets: oauthflow.AppSecrets{Store: st, Keyring: kr}})
	api := &webhookAPI{hooks: []map[string]any{existing}}
	api.register(t, mux)
	require.NoError(t, p.EnsureSubscriptions(ctx, callback))
	assert.Equal(t, []string{"GET /v3/webhooks"}, api.log(), "a configured secret verifies it: left alone")

	p, mux, _ = setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret", Secrets: oauthflow.AppSecrets{Store: st, Keyring: kr}})
	api = &webhookAPI{hooks: []map[string]any{existing}}
	api.register(t, mux)
	require.NoError(t, p.EnsureSubscriptions(ctx, callback))
	assert.Equal(t, []string{"GET /v3/webhooks", "DELETE /v3/webhooks/old-1", "POST /v3/webhooks"}, api.log())
	got, err := (oauthflow.AppSecrets{Store: st, Keyring: kr}).Secret(ctx, wearables.ProviderPolar, polar.SecretWebhookSignature)
	require.NoError(t, err)
	assert.Equal(t, testSecret, got)

	// Now the secret is kept: the next renewal leaves the webhook alone.
	require.NoError(t, p.EnsureSubscriptions(ctx, callback))
	assert.Len(t, api.log(), 4)
}

// TestEnsureSubscriptionsSecretStoreFails: when the secret cannot be
// stored, the webhook is deleted again, since its secret would be lost.
func TestEnsureSubscriptionsSecretStoreFails(t *testing.T) {
	ctx := t.Context()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "w.db"), sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	require.NoError(t, st.Close()) // the database is gone
	p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret",
		Secrets: oauthflow.AppSecrets{Store: st, Keyring: testKeyring(t)}})
	api := &webhookAPI{}
	api.register(t, mux)

	err = p.EnsureSubscriptions(ctx, "https://app.example/webhooks/polar")
	require.Error(t, err)
	assert.ErrorContains(t, err, "store the webhook secret")
	assert.NotContains(t, err.Error(), testSecret)
	assert.Equal(t, []string{"GET /v3/webhooks", "POST /v3/webhooks", "DELETE /v3/webhooks/abdf33"}, api.log())
	hooks, err := p.Webhooks(ctx)
	require.NoError(t, err)
	assert.Empty(t, hooks, "no webhook left whose secret is unknown")
}

// testClock is a settable clock for Config.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

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

// TestVerifyWebhookRereadsStoredSecret: the stored secret is re-read when a
// signature does not match or none was stored, but at most once per 10 s, so
// a secret another process stored is picked up and forged notifications do
// not turn into a read each.
func TestVerifyWebhookRereadsStoredSecret(t *testing.T) {
	ctx := t.Context()
	st := memstore.New()
	kr := testKeyring(t)
	other := oauthflow.AppSecrets{Store: st, Keyring: kr} // another process
	clock := &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	p := polar.New(polar.Config{Secrets: oauthflow.AppSecrets{Store: st, Keyring: kr}, Now: clock.Now})

	body := testdata(t, "webhook_exercise.json")
	const first, second = "secret-one-9f8e7d6c", "secret-two-1a2b3c4d"
	verify := func(secret string) error {
		return p.VerifyWebhook(notification(body, polar.Sign(secret, body)), body)
	}

	// Nothing stored yet: refused.
	err := verify(first)
	assert.ErrorIs(t, err, wearables.ErrUnauthorized)
	assert.ErrorContains(t, err, "no webhook secret stored")
	assert.NoError(t, p.VerifyWebhook(notification(testdata(t, "webhook_ping.json"), ""), testdata(t, "webhook_ping.json")), "PING needs no secret")

	// Another process creates the webhook and stores its secret. Within 10 s
	// of the last read, nothing is read again: even the right signature is
	// refused, however many forged notifications arrive.
	require.NoError(t, other.PutSecret(ctx, wearables.ProviderPolar, polar.SecretWebhookSignature, first))
	for range 20 {
		assert.ErrorIs(t, verify("forged"), wearables.ErrUnauthorized)
	}
	clock.Advance(9 * time.Second)
	assert.ErrorIs(t, verify(first), wearables.ErrUnauthorized, "read 9 s ago")
	clock.Advance(time.Second)
	assert.NoError(t, verify(first), "read again after 10 s")

	// The webhook is created anew elsewhere with another secret: the cached
	// one keeps working until the next read; a mismatch reads again, at
	// most every 10 s.
	require.NoError(t, other.PutSecret(ctx, wearables.ProviderPolar, polar.SecretWebhookSignature, second))
	clock.Advance(5 * time.Second)
	assert.NoError(t, verify(first), "cached")
	assert.ErrorIs(t, verify(second), wearables.ErrUnauthorized, "last read 5 s ago")
	clock.Advance(5 * time.Second)
	assert.NoError(t, verify(second), "mismatch after 10 s: read again")
	assert.ErrorIs(t, verify(first), wearables.ErrUnauthorized, "the old secret is gone")

	// Config.WebhookSecret takes precedence over the stored secret.
	static := polar.New(polar.Config{WebhookSecret: "static-secret-55aa", Secrets: other, Now: clock.Now})
	assert.NoError(t, static.VerifyWebhook(notification(body, polar.Sign("static-secret-55aa", body)), body))
	assert.ErrorIs(t, static.VerifyWebhook(notification(body, polar.Sign(second, body)), body), wearables.ErrUnauthorized)

	// A stored secret that does not open (the keyring lacks its key) is an
	// error, not an accepted notification, and does not leak the secret.
	wrongKeyring := polar.New(polar.Config{Secrets: oauthflow.AppSecrets{Store: st, Keyring: testKeyringID(t, "k2")}, Now: clock.Now})
	err = wrongKeyring.VerifyWebhook(notification(body, polar.Sign(second, body)), body)
	assert.ErrorIs(t, err, oauthflow.ErrUnknownKey)
	assert.NotContains(t, err.Error(), second)
}
