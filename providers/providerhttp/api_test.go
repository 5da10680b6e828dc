package providerhttp_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// setup starts a server under a path prefix, go-github style, so a request
// built from an absolute path instead of BaseURL misses the handler.
func setup(t *testing.T, h http.HandlerFunc) *providerhttp.API {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/api-prefix/", http.StripPrefix("/api-prefix", h))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base URL: %s", r.URL)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &providerhttp.API{
		Provider:  "acme",
		BaseURL:   srv.URL + "/api-prefix",
		RateLimit: providerhttp.RateLimitHeaders{RetryAfter: true, Reset: "X-RateLimit-Reset"},
		Now:       func() time.Time { return fixedNow },
	}
}

func TestURL(t *testing.T) {
	api := &providerhttp.API{Provider: "acme", BaseURL: "https://api.acme.test/v2/"}
	tests := []struct {
		name, path string
		query      url.Values
		want       string
		foreign    bool
	}{
		{"relative with slash", "/sleep", nil, "https://api.acme.test/v2/sleep", false},
		{"relative without slash", "sleep", nil, "https://api.acme.test/v2/sleep", false},
		{"query", "/sleep", url.Values{"start_date": {"2024-01-01"}}, "https://api.acme.test/v2/sleep?start_date=2024-01-01", false},
		{"absolute under base keeps its query", "https://api.acme.test/v2/sleep?next=2", url.Values{"limit": {"25"}}, "https://api.acme.test/v2/sleep?limit=25&next=2", false},
		{"absolute elsewhere", "https://evil.test/v2/sleep", nil, "", true},
		{"absolute sibling path", "https://api.acme.test/v2sleep", nil, "", true},
		{"absolute other scheme", "http://api.acme.test/v2/sleep", nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := api.URL(tt.path, tt.query)
			if tt.foreign {
				assert.ErrorIs(t, err, providerhttp.ErrForeignURL)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestGetJSON(t *testing.T) {
	api := setup(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/v1/things", r.URL.Path)
		assert.Equal(t, "2", r.URL.Query().Get("page"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.Equal(t, "v2", r.Header.Get("Acme-Version"))
		w.Header().Set("Link", `<https://x.test/next>; rel="next"`)
		_, _ = io.WriteString(w, `{"items":[1,2,3]}`)
	})
	api.Header = http.Header{"Acme-Version": {"v2"}}
	var out struct{ Items []int }
	h, err := api.GetJSON(context.Background(), nil, "list things", "/v1/things", url.Values{"page": {"2"}}, &out)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, out.Items)
	assert.Equal(t, "https://x.test/next", providerhttp.NextLink(h))
}

func TestGetJSONErrors(t *testing.T) {
	big := strings.Repeat("x", wearables.MaxErrorBody+500)
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		is         []error
		retryAfter time.Duration
		resetAt    time.Time
		temporary  bool
	}{
		{name: "401", status: 401, body: `{"title":"Unauthorized"}`, is: []error{wearables.ErrUnauthorized}},
		{name: "429 seconds and reset delta", status: 429, header: map[string]string{"Retry-After": "37", "X-RateLimit-Reset": "120"},
			is: []error{wearables.ErrRateLimited}, retryAfter: 37 * time.Second, resetAt: fixedNow.Add(2 * time.Minute), temporary: true},
		{name: "429 http date", status: 429, header: map[string]string{"Retry-After": fixedNow.Add(90 * time.Second).Format(http.TimeFormat)},
			is: []error{wearables.ErrRateLimited}, retryAfter: 90 * time.Second, temporary: true},
		{name: "429 multi-window reset", status: 429, header: map[string]string{"X-RateLimit-Reset": "45, 86400"},
			is: []error{wearables.ErrRateLimited}, resetAt: fixedNow.Add(45 * time.Second), temporary: true},
		{name: "404", status: 404, is: []error{wearables.ErrNotFound}},
		{name: "422", status: 422, is: []error{wearables.ErrInvalid}},
		{name: "503 long body", status: 503, body: big, temporary: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := setup(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			var out any
			_, err := api.GetJSON(context.Background(), nil, "list things", "/v1/things", nil, &out)
			require.Error(t, err)
			var pe *wearables.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.status, pe.StatusCode)
			assert.Equal(t, wearables.ProviderID("acme"), pe.Provider)
			assert.Equal(t, "list things", pe.Op)
			for _, target := range tt.is {
				assert.ErrorIs(t, err, target)
			}
			assert.Equal(t, tt.retryAfter, pe.RetryAfter)
			assert.Equal(t, tt.resetAt, pe.ResetAt)
			assert.Equal(t, tt.temporary, pe.Temporary())
			assert.LessOrEqual(t, len(pe.Body), wearables.MaxErrorBody)
			if len(tt.body) <= wearables.MaxErrorBody {
				assert.Equal(t, tt.body, string(pe.Body))
			}
		})
	}
}

func TestDecodeJSONMalformed(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		maxBody int64
		eof     bool
	}{
		{"connection drops before content-length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			_, _ = io.WriteString(w, `{"items":[1,2`)
		}, 0, true},
		{"json cut short", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"items":[1,2`)
		}, 0, true},
		{"wrong type", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"items":"many"}`)
		}, 0, false},
		{"trailing garbage", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"items":[1]} <html>`)
		}, 0, false},
		{"too large", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"items":[`+strings.Repeat("1,", 100)+`1]}`)
		}, 64, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := setup(t, tt.handler)
			api.MaxBody = tt.maxBody
			var out struct{ Items []int }
			_, err := api.GetJSON(context.Background(), nil, "list things", "/v1/things", nil, &out)
			require.Error(t, err)
			var pe *wearables.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, http.StatusOK, pe.StatusCode)
			assert.ErrorIs(t, err, providerhttp.ErrMalformedBody)
			assert.Equal(t, tt.eof, errors.Is(err, io.ErrUnexpectedEOF), "io.ErrUnexpectedEOF in chain")
			assert.Empty(t, pe.Body, "a malformed body is health data and must not be kept")
		})
	}
}

func TestDoTransportError(t *testing.T) {
	api := setup(t, func(w http.ResponseWriter, r *http.Request) {})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := api.GetJSON(ctx, nil, "list things", "/v1/things", nil, new(any))
	assert.ErrorIs(t, err, context.Canceled)
}

// A transport error names the URL, whose query may hold a secret (Garmin's
// pull token, a vendor's access_token parameter): its values are redacted,
// the rest of the error is kept.
func TestDoTransportErrorRedactsQuery(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Drop the connection without an answer.
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
	}))
	t.Cleanup(srv.Close)
	api := &providerhttp.API{Provider: "acme", BaseURL: srv.URL}
	q := url.Values{"token": {"CPT-secret-pull-token"}, "start": {"1710075731"}}
	_, err := api.GetJSON(context.Background(), srv.Client(), "list things", "/things", q, new(any))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "CPT-secret-pull-token")
	assert.Contains(t, err.Error(), "/things?start=redacted&token=redacted")
	var ue *url.Error
	require.ErrorAs(t, err, &ue, "still a *url.Error underneath")
	assert.ErrorIs(t, err, io.EOF, "the cause is kept")
}

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{" 120 ", 120 * time.Second, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{fixedNow.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{fixedNow.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			got, ok := providerhttp.ParseRetryAfter(tt.in, fixedNow)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRateLimitHeadersRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		rl   providerhttp.RateLimitHeaders
	}{
		{"delta seconds", providerhttp.RateLimitHeaders{Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining", Reset: "X-RateLimit-Reset"}},
		{"unix time", providerhttp.RateLimitHeaders{Reset: "RateLimit-Reset", ResetUnix: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reset := fixedNow.Add(7 * time.Minute)
			h := tt.rl.Headers(100, 3, reset, fixedNow)
			got, ok := tt.rl.ResetAt(h, fixedNow)
			require.True(t, ok)
			assert.Equal(t, reset, got.UTC())
			if tt.rl.Remaining != "" {
				assert.Equal(t, "3", h.Get(tt.rl.Remaining))
				assert.Equal(t, "100", h.Get(tt.rl.Limit))
			}
		})
	}
	_, ok := providerhttp.RateLimitHeaders{}.ResetAt(http.Header{"X-Ratelimit-Reset": {"5"}}, fixedNow)
	assert.False(t, ok, "no reset header configured")
	_, ok = providerhttp.RateLimitHeaders{Reset: "X-RateLimit-Reset"}.ResetAt(http.Header{"X-Ratelimit-Reset": {"later"}}, fixedNow)
	assert.False(t, ok, "unparseable")
}

func TestNextLink(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   string
	}{
		{"none", nil, ""},
		{"github style", []string{`<https://a.test/x?page=2>; rel="next", <https://a.test/x?page=9>; rel="last"`}, "https://a.test/x?page=2"},
		{"next last", []string{`<https://a.test/x?page=9>; rel="last", <https://a.test/x?page=3>; rel=next`}, "https://a.test/x?page=3"},
		{"several rels", []string{`<https://a.test/x?c=a,b>; rel="prefetch next"`}, "https://a.test/x?c=a,b"},
		{"two headers", []string{`<https://a.test/p>; rel="prev"`, `<https://a.test/n>; rel="next"`}, "https://a.test/n"},
		{"only prev", []string{`<https://a.test/p>; rel="prev"`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, providerhttp.NextLink(http.Header{"Link": tt.values}))
		})
	}
}
