package googlehealth_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/googlehealth"
)

func TestVerifyWebhook(t *testing.T) {
	body, err := os.ReadFile("testdata/webhook_steps_upsert.json")
	require.NoError(t, err)
	for _, c := range []struct {
		name       string
		configured string
		header     []string // nil: no Authorization header
		ok         bool
	}{
		{"valid", "Bearer s3cret", []string{"Bearer s3cret"}, true},
		{"wrong secret", "Bearer s3cret", []string{"Bearer s3creT"}, false},
		{"prefix of the secret", "Bearer s3cret", []string{"Bearer s3cre"}, false},
		{"secret without its scheme", "Bearer s3cret", []string{"s3cret"}, false},
		{"missing header", "Bearer s3cret", nil, false},
		{"empty header", "Bearer s3cret", []string{""}, false},
		{"nothing configured", "", []string{""}, false},
		{"nothing configured, header sent", "", []string{"Bearer s3cret"}, false},
		{"basic scheme", "Basic dXNlcjpwYXNz", []string{"Basic dXNlcjpwYXNz"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := googlehealth.New(googlehealth.Config{WebhookAuthorization: c.configured})
			r := httptest.NewRequest(http.MethodPost, "/webhooks/googlehealth", strings.NewReader(string(body)))
			if c.header != nil {
				r.Header["Authorization"] = c.header
			}
			err := p.VerifyWebhook(r, body)
			if c.ok {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, wearables.ErrUnauthorized)
		})
	}
}

func TestParseWebhook(t *testing.T) {
	p := googlehealth.New(googlehealth.Config{})
	for _, c := range []struct {
		name    string
		body    string
		events  int
		invalid bool
	}{
		{"handshake", `{"type": "verification"}`, 0, false},
		{"handshake in an array", `[{"type": "verification"}]`, 0, false},
		{"type not synced", `{"data": {"healthUserId": "u1", "operation": "UPSERT", "dataType": "altitude"}}`, 0, false},
		{"no intervals", `{"data": {"healthUserId": "u1", "operation": "UPSERT", "dataType": "sleep"}}`, 1, false},
		{"total calories", `{"data": {"healthUserId": "u1", "operation": "UPSERT", "dataType": "total-calories"}}`, 1, false},
		{"empty array", `[]`, 0, true},
		{"no data", `{"kind": "something else"}`, 0, true},
		{"no user", `{"data": {"operation": "UPSERT", "dataType": "steps"}}`, 0, true},
		{"interval ends before it starts", `{"data": {"healthUserId": "u1", "operation": "UPSERT", "dataType": "steps",
			"intervals": [{"physicalTimeInterval": {"startTime": "2024-03-10T07:00:00Z", "endTime": "2024-03-10T06:00:00Z"}}]}}`, 0, true},
		{"unreadable interval", `{"data": {"healthUserId": "u1", "operation": "UPSERT", "dataType": "steps",
			"intervals": [{"physicalTimeInterval": {"startTime": "yesterday", "endTime": "2024-03-10T06:00:00Z"}}]}}`, 0, true},
		{"not JSON", `<html>`, 0, true},
		{"a string", `"UPSERT"`, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			events, err := p.ParseWebhook([]byte(c.body))
			if c.invalid {
				assert.ErrorIs(t, err, wearables.ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.Len(t, events, c.events)
		})
	}
}

func TestParseWebhookInstantWindow(t *testing.T) {
	p := googlehealth.New(googlehealth.Config{})
	events, err := p.ParseWebhook([]byte(`{"data": {"healthUserId": "u1", "operation": "UPSERT", "dataType": "weight",
		"intervals": [{"physicalTimeInterval": {"startTime": "2024-05-20T02:15:00Z", "endTime": "2024-05-20T02:15:00Z"}}]}}`))
	require.NoError(t, err)
	require.Len(t, events, 1)
	e := events[0]
	assert.Equal(t, wearables.DataBody, e.DataType)
	assert.True(t, e.End.After(e.Start), "an instant is widened so that [Start, End) holds it")
}

func TestVerificationHandler(t *testing.T) {
	p := googlehealth.New(googlehealth.Config{WebhookAuthorization: "Bearer s3cret"})
	var passed []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		passed = append(passed, string(b))
		w.WriteHeader(http.StatusOK)
	})
	h := p.VerificationHandler(next)
	notification, err := os.ReadFile("testdata/webhook_steps_upsert.json")
	require.NoError(t, err)
	large := `{"data": {"healthUserId": "u1", "operation": "UPSERT", "dataType": "steps", "pad": "` + strings.Repeat("x", googlehealth.MaxHandshakeBody) + `"}}`
	for _, c := range []struct {
		name   string
		method string
		body   string
		auth   string
		status int
		passed bool
	}{
		{"handshake with the secret", http.MethodPost, `{"type": "verification"}`, "Bearer s3cret", http.StatusCreated, false},
		{"handshake without the secret", http.MethodPost, `{"type": "verification"}`, "", http.StatusUnauthorized, false},
		{"handshake with a wrong secret", http.MethodPost, `{"type":"verification"}`, "Bearer nope", http.StatusUnauthorized, false},
		{"notification passes through whole", http.MethodPost, string(notification), "Bearer s3cret", http.StatusOK, true},
		{"large notification passes through whole", http.MethodPost, large, "Bearer s3cret", http.StatusOK, true},
		{"GET passes through", http.MethodGet, "", "", http.StatusOK, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			passed = nil
			r := httptest.NewRequest(c.method, "/webhooks/googlehealth", strings.NewReader(c.body))
			if c.auth != "" {
				r.Header.Set("Authorization", c.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, c.status, w.Code)
			if c.passed {
				require.Len(t, passed, 1)
				assert.Equal(t, c.body, passed[0], "the next handler reads the body unchanged")
			} else {
				assert.Empty(t, passed)
			}
		})
	}
}
