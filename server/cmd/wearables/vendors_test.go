package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/providers/polar"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

// Every vendor package is configurable from the environment, and only the
// vendors whose client id and secret are both set are configured.
func TestVendorsFromEnv(t *testing.T) {
	for _, name := range vendorNames {
		pre := "WEARABLES_" + strings.ToUpper(name) + "_"
		t.Setenv(pre+"CLIENT_ID", name+"-id")
		t.Setenv(pre+"CLIENT_SECRET", name+"-secret")
		t.Setenv(pre+"WEBHOOK_SECRET", name+"-hook")
	}
	t.Setenv("WEARABLES_COROS_CLIENT_SECRET", "") // half-configured: skipped
	got := vendorsFromEnv("https://health.example.com", nil)
	var ids []wearables.ProviderID
	for _, v := range got {
		ids = append(ids, v.Provider.ID())
		assert.NotEmpty(t, v.Provider.OAuth().Endpoint.AuthURL, "%s has an authorize URL", v.Provider.ID())
		assert.NotContains(t, v.ClientSecret.String(), "secret", "secrets never print")
	}
	require.Len(t, got, len(vendorNames)-1)
	assert.Equal(t, []wearables.ProviderID{
		wearables.ProviderOura, wearables.ProviderWhoop, wearables.ProviderPolar, wearables.ProviderStrava,
		wearables.ProviderGarmin, wearables.ProviderSuunto, wearables.ProviderWithings, wearables.ProviderGoogleHealth,
		wearables.ProviderUltrahuman,
	}, ids)
}

// TestPolarVerifiesWithStoredSecret: the binary hands Polar the sealed
// secret store over its database and keyring, so the webhook secret that
// another process stored (the worker whose renew job created the webhook)
// verifies Polar's notifications at this process's webhook intake.
func TestPolarVerifiesWithStoredSecret(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	t.Setenv("WEARABLES_KEY_FILE", filepath.Join(dir, "keys"))
	t.Setenv("WEARABLES_DEMO", "false")
	t.Setenv("WEARABLES_POLAR_CLIENT_ID", "polar-id")
	t.Setenv("WEARABLES_POLAR_CLIENT_SECRET", "polar-secret")
	t.Setenv("WEARABLES_POLAR_WEBHOOK_SECRET", "")
	ctx := t.Context()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	set, err := loadSettings(log, true)
	require.NoError(t, err)
	path := filepath.Join(dir, "w.db")
	rt, err := newRuntime(ctx, &globalFlags{sqlitePath: path}, set, log, runtimeOpts{workers: -1})
	require.NoError(t, err)
	t.Cleanup(rt.close)
	intake := rt.queue.WebhookHandler()
	post := func(body []byte, signature string) int {
		r := httptest.NewRequest(http.MethodPost, "/polar", bytes.NewReader(body))
		r.Header.Set(polar.SignatureHeader, signature)
		w := httptest.NewRecorder()
		intake.ServeHTTP(w, r)
		return w.Code
	}
	body := mustRead(t, "../../../providers/polar/testdata/webhook_exercise.json")
	const hookSecret = "polar-hook-secret-7c1e9a"
	assert.Equal(t, http.StatusUnauthorized, post(body, polar.Sign(hookSecret, body)), "no secret stored yet")

	// Another process, with its own store handle and the same keyring.
	other, err := sqlitestore.Open(ctx, path, sqlitestore.WithBusyTimeout(30*time.Second))
	require.NoError(t, err)
	t.Cleanup(func() { other.Close() })
	kr, err := oauthflow.ParseKeyring(set.keyring)
	require.NoError(t, err)
	require.NoError(t, oauthflow.AppSecrets{Store: other, Keyring: kr}.PutSecret(ctx, wearables.ProviderPolar, polar.SecretWebhookSignature, hookSecret))
	stored, err := other.GetAppSecret(ctx, wearables.ProviderPolar, polar.SecretWebhookSignature)
	require.NoError(t, err)
	assert.NotContains(t, string(stored.Ciphertext), hookSecret, "stored sealed")

	// The first read happened just now: the provider reads again once the
	// re-read interval (10 s) has passed; a fresh process reads at once.
	rt2, err := newRuntime(ctx, &globalFlags{sqlitePath: path}, set, log, runtimeOpts{workers: -1})
	require.NoError(t, err)
	t.Cleanup(rt2.close)
	intake = rt2.queue.WebhookHandler()
	assert.Equal(t, http.StatusOK, post(body, polar.Sign(hookSecret, body)), "signed with the stored secret")
	tampered := bytes.Replace(body, []byte(`"EXERCISE"`), []byte(`"SLEEP"   `), 1)
	assert.Equal(t, http.StatusUnauthorized, post(tampered, polar.Sign(hookSecret, body)), "tampered")
	assert.Equal(t, http.StatusUnauthorized, post(body, polar.Sign("forged", body)), "other secret")
}
