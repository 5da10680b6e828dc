package oura_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/oura"
)

// fakeSubscriptions is Oura's webhook subscription API in memory. It
// checks the app credentials on every call and records what was done.
type fakeSubscriptions struct {
	mu      sync.Mutex
	subs    map[string]oura.Subscription
	created []string // "data_type/event_type"
	renewed []string // ids
	failOn  string   // a data_type whose creation fails with 422
}

func (f *fakeSubscriptions) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("x-client-id") != "client" || r.Header.Get("x-client-secret") != "secret" {
		http.Error(w, `{"detail":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	if r.Header.Get("Authorization") != "" {
		http.Error(w, "management calls carry no user token", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/prefix")
	switch {
	case r.Method == http.MethodGet && path == "/v2/webhook/subscription":
		list := make([]oura.Subscription, 0, len(f.subs))
		for _, s := range f.subs {
			list = append(list, s)
		}
		_ = json.NewEncoder(w).Encode(list)
	case r.Method == http.MethodPost && path == "/v2/webhook/subscription":
		var req map[string]string
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req["verification_token"] != "verify-me" {
			http.Error(w, `{"detail":"bad request"}`, http.StatusUnprocessableEntity)
			return
		}
		if req["data_type"] == f.failOn {
			http.Error(w, `{"detail":"callback verification failed"}`, http.StatusUnprocessableEntity)
			return
		}
		s := oura.Subscription{
			ID:             fmt.Sprintf("sub-%d", len(f.subs)+1),
			CallbackURL:    req["callback_url"],
			EventType:      req["event_type"],
			DataType:       req["data_type"],
			ExpirationTime: now.Add(90 * 24 * time.Hour),
		}
		f.subs[s.ID] = s
		f.created = append(f.created, s.DataType+"/"+s.EventType)
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(s)
	case r.Method == http.MethodPut && strings.HasPrefix(path, "/v2/webhook/subscription/renew/"):
		id := strings.TrimPrefix(path, "/v2/webhook/subscription/renew/")
		s, ok := f.subs[id]
		if !ok {
			http.Error(w, `{"detail":"not found"}`, http.StatusForbidden)
			return
		}
		s.ExpirationTime = now.Add(90 * 24 * time.Hour)
		f.subs[id] = s
		f.renewed = append(f.renewed, id)
		_ = json.NewEncoder(w).Encode(s)
	case r.Method == http.MethodDelete && strings.HasPrefix(path, "/v2/webhook/subscription/"):
		delete(f.subs, strings.TrimPrefix(path, "/v2/webhook/subscription/"))
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// setupSubscriptions serves fake under a path prefix, so an absolute path
// in the client shows up as a 404.
func setupSubscriptions(t *testing.T, fake *fakeSubscriptions, token string) *oura.Provider {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/prefix/", fake)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return oura.New(oura.Config{
		ClientID:          "client",
		ClientSecret:      "secret",
		BaseURL:           srv.URL + "/prefix",
		HTTPClient:        srv.Client(),
		VerificationToken: token,
		Now:               func() time.Time { return now },
	})
}

const callback = "https://wearables.example/webhooks/oura"

func TestEnsureSubscriptions(t *testing.T) {
	fake := &fakeSubscriptions{subs: map[string]oura.Subscription{
		// Fresh: left alone.
		"keep": {ID: "keep", CallbackURL: callback, EventType: "create", DataType: "sleep", ExpirationTime: now.Add(60 * 24 * time.Hour)},
		// Expires in two days: renewed.
		"old": {ID: "old", CallbackURL: callback, EventType: "update", DataType: "sleep", ExpirationTime: now.Add(48 * time.Hour)},
		// Another app's callback: ignored, so sleep/delete is created.
		"other": {ID: "other", CallbackURL: "https://elsewhere.example/hook", EventType: "delete", DataType: "sleep", ExpirationTime: now},
	}}
	p := setupSubscriptions(t, fake, "verify-me")
	ctx := t.Context()

	require.NoError(t, p.EnsureSubscriptions(ctx, callback))
	assert.Equal(t, []string{"old"}, fake.renewed)
	assert.Len(t, fake.created, 10*3-2, "ten webhook data types × three event types, less the two already there")
	assert.Contains(t, fake.created, "sleep/delete")
	assert.Contains(t, fake.created, "vo2_max/create")
	assert.NotContains(t, fake.created, "sleep/create")
	for _, c := range fake.created {
		assert.False(t, strings.HasPrefix(c, "heartrate/"), "Oura sends no heartrate webhooks")
	}

	// A second run has nothing to do.
	fake.created, fake.renewed = nil, nil
	require.NoError(t, p.EnsureSubscriptions(ctx, callback))
	assert.Empty(t, fake.created)
	assert.Empty(t, fake.renewed)

	subs, err := p.ListSubscriptions(ctx)
	require.NoError(t, err)
	assert.Len(t, subs, 31)
	require.NoError(t, p.DeleteSubscription(ctx, "other"))
	subs, err = p.ListSubscriptions(ctx)
	require.NoError(t, err)
	assert.Len(t, subs, 30)
}

func TestEnsureSubscriptionsReportsEachFailure(t *testing.T) {
	fake := &fakeSubscriptions{subs: map[string]oura.Subscription{}, failOn: "daily_stress"}
	p := setupSubscriptions(t, fake, "verify-me")

	err := p.EnsureSubscriptions(t.Context(), callback)
	require.Error(t, err)
	var pe *wearables.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.StatusUnprocessableEntity, pe.StatusCode)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	assert.Len(t, fake.created, 27, "the other subscriptions are still created")
}

func TestSubscriptionErrors(t *testing.T) {
	t.Run("no verification token", func(t *testing.T) {
		p := setupSubscriptions(t, &fakeSubscriptions{subs: map[string]oura.Subscription{}}, "")
		_, err := p.CreateSubscription(t.Context(), callback, "create", "sleep")
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})
	t.Run("wrong app credentials", func(t *testing.T) {
		fake := &fakeSubscriptions{subs: map[string]oura.Subscription{}}
		mux := http.NewServeMux()
		mux.Handle("/", fake)
		srv := httptest.NewServer(mux)
		defer srv.Close()
		p := oura.New(oura.Config{ClientID: "client", ClientSecret: "wrong", BaseURL: srv.URL, HTTPClient: srv.Client()})
		_, err := p.ListSubscriptions(t.Context())
		assert.ErrorIs(t, err, wearables.ErrUnauthorized)
	})
	t.Run("renew unknown id", func(t *testing.T) {
		p := setupSubscriptions(t, &fakeSubscriptions{subs: map[string]oura.Subscription{}}, "verify-me")
		_, err := p.RenewSubscription(t.Context(), "nope")
		var pe *wearables.ProviderError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, http.StatusForbidden, pe.StatusCode)
	})
}
