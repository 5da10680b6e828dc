package polar_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/polar"
)

const testSecret = "abe1f3ae-fd33-11e8-8eb2-f2801f1b9fd1"

func TestVerifyWebhook(t *testing.T) {
	p := polar.New(polar.Config{WebhookSecret: testSecret})
	exercise := testdata(t, "webhook_exercise.json")
	ping := testdata(t, "webhook_ping.json")
	sig := polar.Sign(testSecret, exercise)
	tests := []struct {
		name   string
		p      *polar.Provider
		body   []byte
		header string
		ok     bool
	}{
		{"signed", p, exercise, sig, true},
		{"hex in upper case", p, exercise, strings.ToUpper(sig), true},
		{"PING unsigned", p, ping, "", true},
		{"PING with a stray signature", p, ping, "00", true},
		{"PING before any secret is configured", polar.New(polar.Config{}), ping, "", true},
		{"unsigned", p, exercise, "", false},
		{"wrong secret", p, exercise, polar.Sign("other", exercise), false},
		{"not hex", p, exercise, "zz" + sig[2:], false},
		{"truncated signature", p, exercise, sig[:32], false},
		{"no secret configured", polar.New(polar.Config{}), exercise, sig, false},
		{"PING only in another field", p, []byte(`{"event":"EXERCISE","note":"PING","user_id":1,"entity_id":"x"}`), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/webhooks/polar", strings.NewReader(string(tt.body)))
			if tt.header != "" {
				r.Header.Set(polar.SignatureHeader, tt.header)
			}
			err := tt.p.VerifyWebhook(r, tt.body)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, wearables.ErrUnauthorized)
			}
		})
	}
}

func TestParseWebhookWithoutEvents(t *testing.T) {
	p := polar.New(polar.Config{})
	for _, body := range []string{
		string(testdata(t, "webhook_ping.json")),
		string(testdata(t, "webhook_sleepwise.json")),
		`{"event":"SLEEP_WISE_CIRCADIAN_BEDTIME","user_id":475,"from":"2022-09-30","to":"2022-10-02","timestamp":"2022-10-02T14:22:24Z"}`,
		`{"event":"CARDIO_LOAD","user_id":475,"date":"2024-01-01","timestamp":"2024-01-01T10:00:00Z"}`,
	} {
		events, err := p.ParseWebhook([]byte(body))
		assert.NoError(t, err, body)
		assert.Empty(t, events, body)
	}
}

func TestParseWebhookRejects(t *testing.T) {
	p := polar.New(polar.Config{})
	for _, body := range []string{
		``,
		`[]`,
		`{}`,
		`{"event":"SLEEP","user_id":475,"timestamp":"2018-05-15T14:22:24Z"}`,
		`{"event":"SLEEP","user_id":475,"date":"yesterday"}`,
		`{"event":"EXERCISE","user_id":475}`,
		`{"event":"EXERCISE","user_id":{"id":1},"entity_id":"x"}`,
	} {
		_, err := p.ParseWebhook([]byte(body))
		assert.ErrorIs(t, err, wearables.ErrInvalid, body)
	}
}

func TestWebhookStringRedactsSecret(t *testing.T) {
	w := polar.Webhook{ID: "abdf33", URL: "https://x.example/h", SignatureSecretKey: testSecret}
	assert.NotContains(t, w.String(), testSecret)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", w, w, w), testSecret)
}

// webhookAPI is a stand-in for AccessLink's webhook routes.
type webhookAPI struct {
	mu       sync.Mutex
	hooks    []map[string]any
	calls    []string
	bodies   []map[string]any
	conflict bool
}

func (a *webhookAPI) register(t *testing.T, mux *http.ServeMux) {
	auth := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			user, pass, ok := r.BasicAuth()
			if !ok || user != "cid" || pass != "csecret" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			a.mu.Lock()
			defer a.mu.Unlock()
			a.calls = append(a.calls, r.Method+" "+r.URL.Path)
			var body map[string]any
			if b, _ := io.ReadAll(r.Body); len(b) > 0 {
				assert.NoError(t, json.Unmarshal(b, &body))
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			}
			a.bodies = append(a.bodies, body)
			w.Header().Set("Content-Type", "application/json")
			h(w, r)
		}
	}
	mux.HandleFunc("POST /v3/webhooks", auth(func(w http.ResponseWriter, r *http.Request) {
		if a.conflict || len(a.hooks) > 0 {
			w.WriteHeader(http.StatusConflict)
			_, _ = io.WriteString(w, `{"status":409,"errorType":"CONFLICT","message":"Webhook already exists"}`)
			return
		}
		body := a.bodies[len(a.bodies)-1]
		a.hooks = append(a.hooks, map[string]any{"id": "abdf33", "events": body["events"], "url": body["url"], "active": true})
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{
			"id": "abdf33", "events": body["events"], "url": body["url"], "signature_secret_key": testSecret,
		}})
	}))
	mux.HandleFunc("GET /v3/webhooks", auth(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"data": a.hooks})
	}))
	mux.HandleFunc("PATCH /v3/webhooks/{id}", auth(func(w http.ResponseWriter, r *http.Request) {
		if len(a.hooks) == 0 || r.PathValue("id") != a.hooks[0]["id"] {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		for k, v := range a.bodies[len(a.bodies)-1] {
			a.hooks[0][k] = v
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"data": a.hooks})
	}))
	mux.HandleFunc("DELETE /v3/webhooks/{id}", auth(func(w http.ResponseWriter, r *http.Request) {
		if len(a.hooks) == 0 || r.PathValue("id") != a.hooks[0]["id"] {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		a.hooks = nil
		w.WriteHeader(http.StatusNoContent)
	}))
	for _, path := range []string{"/v3/webhooks/activate", "/v3/webhooks/deactivate"} {
		mux.HandleFunc("POST "+path, auth(func(w http.ResponseWriter, r *http.Request) {
			if len(a.hooks) == 0 {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			a.hooks[0]["active"] = strings.HasSuffix(r.URL.Path, "/activate")
			w.WriteHeader(http.StatusOK)
		}))
	}
}

func (a *webhookAPI) log() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.calls...)
}

func TestCreateWebhookReturnsSecret(t *testing.T) {
	p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret"})
	api := &webhookAPI{}
	api.register(t, mux)
	ctx := context.Background()

	w, err := p.CreateWebhook(ctx, "https://app.example/webhooks/polar", nil)
	require.NoError(t, err)
	assert.Equal(t, testSecret, w.SignatureSecretKey, "the one-time secret reaches the caller")
	assert.Equal(t, "abdf33", w.ID)
	assert.True(t, w.Active)
	assert.Equal(t, polar.WebhookEvents(), w.Events)
	assert.Equal(t, "https://app.example/webhooks/polar", api.bodies[0]["url"])

	_, err = p.CreateWebhook(ctx, "https://app.example/other", nil)
	assert.ErrorIs(t, err, wearables.ErrConflict, "one webhook per client")

	hooks, err := p.Webhooks(ctx)
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	assert.Empty(t, hooks[0].SignatureSecretKey, "Polar never returns the secret again")

	require.NoError(t, p.DeactivateWebhook(ctx))
	require.NoError(t, p.ActivateWebhook(ctx))
	require.NoError(t, p.DeleteWebhook(ctx, "abdf33"))
	assert.ErrorIs(t, p.ActivateWebhook(ctx), wearables.ErrNotFound)
	assert.ErrorIs(t, p.DeleteWebhook(ctx, "abdf33"), wearables.ErrNotFound)

	noCreds := polar.New(polar.Config{BaseURL: "http://127.0.0.1:1"})
	_, err = noCreds.CreateWebhook(ctx, "https://app.example/h", nil)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestWebhooksDecodesRecordedAnswer(t *testing.T) {
	p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret"})
	mux.HandleFunc("GET /v3/webhooks", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(testdata(t, "webhook_info.json"))
	})
	hooks, err := p.Webhooks(context.Background())
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	assert.Equal(t, polar.Webhook{ID: "abdf33", Events: []string{"EXERCISE", "SLEEP"}, URL: "https://old.example/acl_webhook"}, hooks[0])
}

func TestEnsureSubscriptions(t *testing.T) {
	const callback = "https://app.example/webhooks/polar"
	ctx := context.Background()

	t.Run("none and no place for the secret", func(t *testing.T) {
		p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret"})
		api := &webhookAPI{}
		api.register(t, mux)
		err := p.EnsureSubscriptions(ctx, callback)
		assert.ErrorIs(t, err, wearables.ErrUnsupported)
		assert.Equal(t, []string{"GET /v3/webhooks"}, api.log(), "nothing created whose secret would be lost")
	})
	t.Run("none: created and the secret handed over", func(t *testing.T) {
		var got polar.Webhook
		p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret",
			OnWebhookCreated: func(_ context.Context, w polar.Webhook) error { got = w; return nil }})
		api := &webhookAPI{}
		api.register(t, mux)
		require.NoError(t, p.EnsureSubscriptions(ctx, callback))
		assert.Equal(t, testSecret, got.SignatureSecretKey)
		assert.Equal(t, []string{"GET /v3/webhooks", "POST /v3/webhooks"}, api.log())
		// Again: nothing to do.
		require.NoError(t, p.EnsureSubscriptions(ctx, callback))
		assert.Len(t, api.log(), 3)
	})
	t.Run("storing the secret fails: the webhook is deleted", func(t *testing.T) {
		p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret",
			OnWebhookCreated: func(context.Context, polar.Webhook) error { return errors.New("vault down") }})
		api := &webhookAPI{}
		api.register(t, mux)
		err := p.EnsureSubscriptions(ctx, callback)
		assert.ErrorContains(t, err, "vault down")
		assert.Equal(t, []string{"GET /v3/webhooks", "POST /v3/webhooks", "DELETE /v3/webhooks/abdf33"}, api.log())
	})
	t.Run("deactivated at another URL: moved and re-activated", func(t *testing.T) {
		p, mux, _ := setup(t, polar.Config{ClientID: "cid", ClientSecret: "csecret"})
		api := &webhookAPI{hooks: []map[string]any{{"id": "abdf33", "events": []any{"EXERCISE"}, "url": "https://old.example/h", "active": false}}}
		api.register(t, mux)
		require.NoError(t, p.EnsureSubscriptions(ctx, callback))
		assert.Equal(t, []string{"GET /v3/webhooks", "PATCH /v3/webhooks/abdf33", "POST /v3/webhooks/activate"}, api.log())
		assert.Equal(t, callback, api.hooks[0]["url"])
		assert.Equal(t, true, api.hooks[0]["active"])
	})
}
