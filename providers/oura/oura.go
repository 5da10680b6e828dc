package oura

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Default endpoints of the Oura API.
const (
	DefaultBaseURL      = "https://api.ouraring.com"
	DefaultAuthorizeURL = "https://cloud.ouraring.com/oauth/authorize"
)

// Defaults of Config.
const (
	// DefaultWebhookTolerance is how far a webhook's x-oura-timestamp may
	// be from now.
	DefaultWebhookTolerance = 5 * time.Minute
	// DefaultRenewBefore is how long before its expiration_time a webhook
	// subscription is renewed by EnsureSubscriptions.
	DefaultRenewBefore = 7 * 24 * time.Hour
)

// DefaultScopes returns the OAuth scopes requested by default: everything
// the provider syncs. Users may untick any of them on Oura's consent page.
func DefaultScopes() []string {
	return []string{"personal", "daily", "heartrate", "workout", "session", "spo2Daily"}
}

// Data types of the Oura provider beyond the generic wearables.DataSleep
// and wearables.DataWorkouts. Each is one Oura collection with its own
// cursor.
const (
	DataDailySleep      wearables.DataType = "daily_sleep"
	DataDailyReadiness  wearables.DataType = "daily_readiness"
	DataDailyActivity   wearables.DataType = "daily_activity"
	DataDailySpO2       wearables.DataType = "daily_spo2"
	DataDailyStress     wearables.DataType = "daily_stress"
	DataDailyResilience wearables.DataType = "daily_resilience"
	DataHeartRate       wearables.DataType = "heartrate"
	DataSessions        wearables.DataType = "session"
	DataVO2Max          wearables.DataType = "vo2_max"
)

// seriesChunk is the longest range Oura's time-series routes answer;
// maxChunks bounds a window (about 336 years) so chunk arithmetic cannot
// overflow.
const (
	seriesChunk = 30 * 24 * time.Hour
	maxChunks   = 1 << 12
)

// endpoint is one Oura collection as a feed.
type endpoint struct {
	dataType wearables.DataType
	// path is the collection's route ("vO2_max" is spelled in mixed case).
	path string
	// webhook is Oura's data_type in webhooks and subscriptions; empty
	// when Oura sends no webhooks for it.
	webhook string
	// series marks a time series: start_datetime/end_datetime, inclusive
	// bounds, at most seriesChunk per request.
	series bool
	// decode decodes and normalizes one page of the collection.
	decode decoder
}

// endpoints lists every feed, in the order DataTypes reports them.
var endpoints = []endpoint{
	{wearables.DataSleep, "/v2/usercollection/sleep", "sleep", false, collection(normalizeSleep)},
	{DataDailySleep, "/v2/usercollection/daily_sleep", "daily_sleep", false, collection(normalizeDailySleep)},
	{DataDailyReadiness, "/v2/usercollection/daily_readiness", "daily_readiness", false, collection(normalizeDailyReadiness)},
	{DataDailyActivity, "/v2/usercollection/daily_activity", "daily_activity", false, collection(normalizeDailyActivity)},
	{DataDailySpO2, "/v2/usercollection/daily_spo2", "daily_spo2", false, collection(normalizeDailySpO2)},
	{DataDailyStress, "/v2/usercollection/daily_stress", "daily_stress", false, collection(normalizeDailyStress)},
	{DataDailyResilience, "/v2/usercollection/daily_resilience", "daily_resilience", false, collection(normalizeDailyResilience)},
	{DataHeartRate, "/v2/usercollection/heartrate", "", true, collection(normalizeHeartRate)},
	{wearables.DataWorkouts, "/v2/usercollection/workout", "workout", false, collection(normalizeWorkout)},
	{DataSessions, "/v2/usercollection/session", "session", false, collection(normalizeSession)},
	{DataVO2Max, "/v2/usercollection/vO2_max", "vo2_max", false, collection(normalizeVO2Max)},
}

func endpointFor(dt wearables.DataType) (endpoint, bool) {
	for _, e := range endpoints {
		if e.dataType == dt {
			return e, true
		}
	}
	return endpoint{}, false
}

// Config configures the Oura provider. Only ClientID and ClientSecret are
// required; every other field has a documented default.
type Config struct {
	// ClientID and ClientSecret are the API application's OAuth
	// credentials. The secret also verifies webhook signatures and
	// authenticates subscription management.
	ClientID, ClientSecret string
	// Scopes requested at authorization. Defaults to DefaultScopes().
	Scopes []string
	// BaseURL is the API root, where data, token, revoke and webhook
	// subscription routes live. Defaults to DefaultBaseURL.
	BaseURL string
	// AuthorizeURL is the consent page. Defaults to DefaultAuthorizeURL.
	AuthorizeURL string
	// TokenURL is the token endpoint. Defaults to BaseURL + "/oauth/token".
	TokenURL string
	// HTTPClient sends the calls made with the app's own credentials
	// (webhook subscriptions). Defaults to http.DefaultClient. Calls made
	// for a user use the client passed in with the request.
	HTTPClient *http.Client
	// VerificationToken is the secret Oura echoes when it checks a new
	// webhook subscription's callback URL (see VerificationHandler).
	// Required for EnsureSubscriptions and VerificationHandler.
	VerificationToken string
	// WebhookTolerance bounds how far a webhook's timestamp may be from
	// now. Defaults to DefaultWebhookTolerance.
	WebhookTolerance time.Duration
	// RenewBefore is how long before expiry EnsureSubscriptions renews a
	// subscription. Defaults to DefaultRenewBefore.
	RenewBefore time.Duration
	// Now is the clock for webhook timestamps and subscription expiry.
	// Defaults to time.Now.
	Now func() time.Time
}

// Provider is the Oura wearables.Provider. Build it with New; it is safe
// for concurrent use.
type Provider struct {
	cfg Config
	api *providerhttp.API
}

// New returns the Oura provider configured by cfg, with defaults filled in.
func New(cfg Config) *Provider {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.AuthorizeURL == "" {
		cfg.AuthorizeURL = DefaultAuthorizeURL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = cfg.BaseURL + "/oauth/token"
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes()
	} else {
		cfg.Scopes = append([]string(nil), cfg.Scopes...)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.WebhookTolerance <= 0 {
		cfg.WebhookTolerance = DefaultWebhookTolerance
	}
	if cfg.RenewBefore <= 0 {
		cfg.RenewBefore = DefaultRenewBefore
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Provider{
		cfg: cfg,
		api: &providerhttp.API{Provider: wearables.ProviderOura, BaseURL: cfg.BaseURL, RateLimit: RateLimitHeaders()},
	}
}

// RateLimitHeaders says how Oura reports rate limits: a 429, possibly with
// a Retry-After header; Oura documents no rate-window headers. The same
// value configures the fake vendor in this package's conformance test.
func RateLimitHeaders() providerhttp.RateLimitHeaders {
	return providerhttp.RateLimitHeaders{RetryAfter: true}
}

// ID returns wearables.ProviderOura.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderOura }

// OAuth describes Oura's OAuth 2.0 endpoints: authorization code without
// PKCE, client credentials in the token request body, single-use
// (rotating) refresh tokens.
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.cfg.AuthorizeURL,
			TokenURL:  p.cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes: append([]string(nil), p.cfg.Scopes...),
	}
}

// DataTypes lists the Oura feeds, one per collection (see the package
// documentation).
func (p *Provider) DataTypes() []wearables.DataType {
	out := make([]wearables.DataType, len(endpoints))
	for i, e := range endpoints {
		out[i] = e.dataType
	}
	return out
}

// Fetch returns one page of one data type for [req.Start, req.End).
// Errors: a *wearables.ProviderError for a vendor response (matching
// wearables.ErrUnauthorized, wearables.ErrRateLimited …) or an unreadable
// body; an error matching wearables.ErrUnsupported for an unknown data
// type, and wearables.ErrInvalid for an empty window or a page token this
// provider did not issue; transport errors wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	e, ok := endpointFor(req.DataType)
	if !ok {
		return wearables.FetchResult{}, fmt.Errorf("oura: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	if !req.End.After(req.Start) {
		return wearables.FetchResult{}, fmt.Errorf("oura: fetch %s: window [%s, %s) is empty: %w",
			req.DataType, req.Start.Format(time.RFC3339), req.End.Format(time.RFC3339), wearables.ErrInvalid)
	}
	if e.series {
		return p.fetchSeries(ctx, e, req)
	}
	q := url.Values{
		"start_date": {wearables.DateOf(req.Start.UTC()).AddDays(-1).String()},
		"end_date":   {wearables.DateOf(req.End.UTC()).AddDays(1).String()},
	}
	if req.PageToken != "" {
		q.Set("next_token", req.PageToken)
	}
	res, next, err := p.page(ctx, e, req.Client, q, window{})
	if err != nil {
		return wearables.FetchResult{}, err
	}
	res.NextPageToken = next
	return res, nil
}

// fetchSeries fetches one page of a time series. Oura answers at most
// seriesChunk per request, so the window is read in chunks; the page
// token names the chunk and Oura's next_token within it.
func (p *Provider) fetchSeries(ctx context.Context, e endpoint, req wearables.FetchRequest) (wearables.FetchResult, error) {
	var tok seriesToken
	if req.PageToken != "" {
		var err error
		if tok, err = parseSeriesToken(req.PageToken); err != nil {
			return wearables.FetchResult{}, fmt.Errorf("oura: fetch %s: %w", req.DataType, err)
		}
	}
	w := window{start: req.Start.Add(time.Duration(tok.chunk) * seriesChunk)}
	if !w.start.Before(req.End) {
		return wearables.FetchResult{}, fmt.Errorf("oura: fetch %s: page token %q is past the window: %w", req.DataType, req.PageToken, wearables.ErrInvalid)
	}
	w.end = w.start.Add(seriesChunk)
	if req.End.Before(w.end) {
		w.end = req.End
	}
	q := url.Values{
		"start_datetime": {w.start.UTC().Format(time.RFC3339Nano)},
		"end_datetime":   {w.end.UTC().Format(time.RFC3339Nano)},
	}
	if tok.next != "" {
		q.Set("next_token", tok.next)
	}
	res, next, err := p.page(ctx, e, req.Client, q, w)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	switch {
	case next != "":
		res.NextPageToken = seriesToken{chunk: tok.chunk, next: next}.String()
	case w.end.Before(req.End):
		res.NextPageToken = seriesToken{chunk: tok.chunk + 1}.String()
	}
	return res, nil
}

// page requests one page of e and normalizes it, keeping only samples in w
// when w is set. It returns Oura's next_token ("" on the last page).
func (p *Provider) page(ctx context.Context, e endpoint, client *http.Client, q url.Values, w window) (wearables.FetchResult, string, error) {
	op := "list " + string(e.dataType)
	req, err := p.api.NewRequest(ctx, http.MethodGet, e.path, q, nil)
	if err != nil {
		return wearables.FetchResult{}, "", err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := p.api.Do(client, op, req)
	if err != nil {
		return wearables.FetchResult{}, "", err
	}
	res, next, err := e.decode.read(p.api, op, resp)
	if err != nil {
		return wearables.FetchResult{}, "", err
	}
	return finish(res, w), next, nil
}

// finish applies what every page needs after normalization: samples
// outside w dropped (when w is set) and implausible records moved to
// Rejected.
func finish(res wearables.FetchResult, w window) wearables.FetchResult {
	if !w.start.IsZero() {
		res.Records.Samples = w.keep(res.Records.Samples)
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

// window is a half-open range [start, end) of instants.
type window struct{ start, end time.Time }

// keep returns the samples starting in w, in place. Oura's time-series
// bounds are inclusive; this is what makes a chunk boundary yield a sample
// once.
func (w window) keep(samples []wearables.Sample) []wearables.Sample {
	kept := samples[:0]
	for _, s := range samples {
		if !s.Start.Before(w.start) && s.Start.Before(w.end) {
			kept = append(kept, s)
		}
	}
	clear(samples[len(kept):])
	return kept
}

// seriesToken continues a time-series window: the chunk being read (0 for
// the first seriesChunk of the window) and Oura's next_token within it,
// empty at the start of a chunk. It is written "<chunk>.<next_token>".
type seriesToken struct {
	chunk int
	next  string
}

func (t seriesToken) String() string { return strconv.Itoa(t.chunk) + "." + t.next }

var errBadToken = errors.New("malformed page token")

func parseSeriesToken(s string) (seriesToken, error) {
	n, next, ok := strings.Cut(s, ".")
	chunk, err := strconv.Atoi(n)
	if !ok || err != nil || chunk < 0 || chunk > maxChunks || n[0] == '+' {
		return seriesToken{}, fmt.Errorf("%w %q: %w", errBadToken, s, wearables.ErrInvalid)
	}
	return seriesToken{chunk: chunk, next: next}, nil
}

var _ wearables.Provider = (*Provider)(nil)
