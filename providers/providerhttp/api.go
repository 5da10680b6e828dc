// Package providerhttp is the HTTP plumbing every vendor package shares, so
// that no vendor writes it again:
//
//   - API sends requests to one vendor's base URL, decodes JSON bodies with a
//     size limit, and turns every unsuccessful or unreadable response into a
//     *wearables.ProviderError (with Retry-After and the vendor's rate-window
//     reset parsed), so callers match wearables.ErrUnauthorized,
//     wearables.ErrRateLimited … with errors.Is;
//   - Transport (and NewClient) adds a connection's access token to each
//     request and, when the vendor answers 401, forces exactly one token
//     refresh and retries the request exactly once;
//   - LocalTokens is an in-memory TokenRefresher for tests, examples and
//     single-process tools; servers use oauthflow's broker instead.
//
// A vendor package keeps one API value built from its config (base URL
// overridable, so tests point it at an httptest server) and passes the
// *http.Client it receives in wearables.FetchRequest to every call.
package providerhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// DefaultMaxBody is the default cap on a successful response body: 32 MiB,
// above the largest page any supported vendor sends (a Garmin activity
// details push is the outlier; it does not go through this path).
const DefaultMaxBody = 32 << 20

// ErrMalformedBody is in the chain of the *wearables.ProviderError returned
// when a successful response's body cannot be read to its end or decoded:
// the connection dropped mid-body, a proxy cut it, it exceeds the size limit,
// or it is not the JSON the vendor documents. When the body was cut short the
// chain also holds io.ErrUnexpectedEOF, which callers may treat as temporary.
var ErrMalformedBody = errors.New("malformed or truncated response body")

// ErrForeignURL is returned (wrapped) when a request would go to a URL
// outside the API's BaseURL — for instance a URL taken from a webhook body
// or a Link header pointing at another host. Sending a user's bearer token
// there would leak it, so API refuses.
var ErrForeignURL = errors.New("url outside the vendor base url")

// API is one vendor HTTP API as its provider package sees it. Build it once
// from the provider's config; its methods are safe for concurrent use as
// long as the fields are not changed afterwards. The zero value is not
// usable: Provider and BaseURL are required.
type API struct {
	// Provider names the vendor in errors.
	Provider wearables.ProviderID
	// BaseURL is the API root including any path prefix, e.g.
	// "https://api.prod.whoop.com/developer". Request paths are appended to
	// it, so a test server URL with a prefix catches absolute-path mistakes.
	BaseURL string
	// RateLimit says which headers carry the vendor's rate-window reset.
	// Retry-After is always parsed.
	RateLimit RateLimitHeaders
	// Header is added to every request (an API version, Accept-Language …).
	Header http.Header
	// MaxBody caps a successful response body. Defaults to DefaultMaxBody.
	MaxBody int64
	// Now is the clock used to turn reset headers into instants. Defaults
	// to time.Now.
	Now func() time.Time
}

func (a *API) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *API) maxBody() int64 {
	if a.MaxBody > 0 {
		return a.MaxBody
	}
	return DefaultMaxBody
}

// URL returns the absolute URL of path with query. A path starting with "/"
// is appended to BaseURL (keeping BaseURL's own path prefix). An absolute
// URL (a Link header's next page, a webhook's resource URL) is accepted
// only if it lies under BaseURL; otherwise URL returns an error matching
// ErrForeignURL. query is merged into the URL's existing query.
func (a *API) URL(path string, query url.Values) (string, error) {
	base := strings.TrimRight(a.BaseURL, "/")
	var raw string
	switch {
	case strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://"):
		if base == "" || (path != base && !strings.HasPrefix(path, base+"/") && !strings.HasPrefix(path, base+"?")) {
			return "", fmt.Errorf("%s: %w: %q", a.Provider, ErrForeignURL, redactQuery(path))
		}
		raw = path
	case strings.HasPrefix(path, "/"):
		raw = base + path
	default:
		raw = base + "/" + path
	}
	if len(query) == 0 {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%s: parse url: %w", a.Provider, err)
	}
	q := u.Query()
	for k, vs := range query {
		q[k] = append([]string(nil), vs...)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// redactQuery drops the query of a URL for an error message: queries may
// carry tokens (Garmin pull tokens, Oura revoke).
func redactQuery(raw string) string {
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		return raw[:i] + "?…"
	}
	return raw
}

// NewRequest builds a request for path (see URL) with ctx, adding API.Header.
func (a *API) NewRequest(ctx context.Context, method, path string, query url.Values, body io.Reader) (*http.Request, error) {
	u, err := a.URL(path, query)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s: new request: %w", a.Provider, err)
	}
	for k, vs := range a.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return req, nil
}

// Do sends req with client (nil means http.DefaultClient). A 2xx response
// is returned open for the caller to read and close. Any other status is
// returned as a *wearables.ProviderError (body read up to
// wearables.MaxErrorBody and closed) with RetryAfter and ResetAt parsed.
// Transport failures (connection refused or reset, context cancelled, a
// failed token refresh) are returned wrapped, with their cause in the chain.
func (a *API) Do(client *http.Client, op string, req *http.Request) (*http.Response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", a.Provider, op, redactURLError(err))
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil
	}
	return nil, a.Error(op, resp)
}

// GetJSON sends GET path?query (see URL) with client and decodes the JSON
// body of a 2xx response into out. It returns the response headers (for
// Link or rate-limit headers). Errors are those of Do and DecodeJSON.
func (a *API) GetJSON(ctx context.Context, client *http.Client, op, path string, query url.Values, out any) (http.Header, error) {
	req, err := a.NewRequest(ctx, http.MethodGet, path, query, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := a.Do(client, op, req)
	if err != nil {
		return nil, err
	}
	return resp.Header, a.DecodeJSON(op, resp, out)
}

// DecodeJSON reads resp's body (at most MaxBody bytes), closes it and
// decodes it into out. A body that cannot be read to its end, is larger than
// MaxBody, or is not valid JSON for out gives a *wearables.ProviderError
// whose chain holds ErrMalformedBody (and io.ErrUnexpectedEOF when the body
// was cut short). The body of a malformed response is not kept in the
// error: it is health data.
func (a *API) DecodeJSON(op string, resp *http.Response, out any) error {
	defer resp.Body.Close()
	limit := a.maxBody()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return a.malformed(op, resp, err)
	}
	if int64(len(body)) > limit {
		return a.malformed(op, resp, fmt.Errorf("body exceeds %d bytes", limit))
	}
	if err := json.Unmarshal(body, out); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) && syn.Offset >= int64(len(bytes.TrimRight(body, " \t\r\n"))) {
			// The document ends before its value does: cut short.
			err = fmt.Errorf("%w (%w)", io.ErrUnexpectedEOF, err)
		}
		return a.malformed(op, resp, err)
	}
	return nil
}

func (a *API) malformed(op string, resp *http.Response, err error) *wearables.ProviderError {
	return &wearables.ProviderError{
		Provider:   a.Provider,
		Op:         op,
		StatusCode: resp.StatusCode,
		Err:        fmt.Errorf("%w: %w", ErrMalformedBody, err),
	}
}

// Error turns an unsuccessful response into a *wearables.ProviderError: the
// status, the start of the body (at most wearables.MaxErrorBody bytes),
// RetryAfter from a Retry-After header and ResetAt from the vendor's reset
// header (see RateLimitHeaders). It reads and closes the body.
func (a *API) Error(op string, resp *http.Response) *wearables.ProviderError {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, wearables.MaxErrorBody))
	// Drain a little more so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	pe := wearables.NewProviderError(a.Provider, op, resp.StatusCode, body)
	now := a.now()
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		pe.RetryAfter = d
	}
	if at, ok := a.RateLimit.ResetAt(resp.Header, now); ok {
		pe.ResetAt = at
	}
	return pe
}

// redactURLError replaces the query values of the URL a transport error
// names: vendors put secrets there (Garmin's pull tokens, some vendors'
// access tokens), and errors end up in logs and stored sync runs.
func redactURLError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return &url.Error{Op: ue.Op, URL: "<unparsable URL>", Err: ue.Err}
	}
	if u.RawQuery == "" && u.User == nil {
		return err
	}
	q := u.Query()
	for k := range q {
		q[k] = []string{"redacted"}
	}
	u.RawQuery, u.User = q.Encode(), nil
	return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
}
