package suunto

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
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Default endpoints of the Suunto Cloud API.
const (
	DefaultBaseURL      = "https://cloudapi.suunto.com"
	DefaultAuthorizeURL = "https://cloudapi-oauth.suunto.com/oauth/authorize"
	DefaultTokenURL     = "https://cloudapi-oauth.suunto.com/oauth/token"
	// DefaultWorkoutsPath is the workout list route.
	DefaultWorkoutsPath = "/v2/workouts"
)

// SubscriptionKeyHeader is the Azure API Management header that carries
// Config.SubscriptionKey on every data request.
const SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key"

// Limits of the API.
const (
	// MaxWindow is the longest range one 24/7 or daily-statistics request
	// may cover; Fetch splits longer windows into chunks of MaxWindow.
	MaxWindow = 28 * 24 * time.Hour
	// MaxPageSize is the largest workout page (the limit parameter).
	MaxPageSize = 100
	// DefaultPageSize is the workout page size Fetch asks for.
	DefaultPageSize = MaxPageSize
	// maxChunks bounds a window (about 21 years of 28-day chunks), so chunk
	// arithmetic cannot overflow.
	maxChunks = 1 << 8
)

// Data types of the Suunto provider beyond wearables.DataWorkouts and
// wearables.DataSleep. Each is one Suunto route with its own cursor.
const (
	// DataActivitySamples is the 24/7 activity feed: heart rate, steps,
	// SpO2, energy and HRV samples.
	DataActivitySamples wearables.DataType = "activity_samples"
	// DataRecovery is the 24/7 recovery feed: body resources.
	DataRecovery wearables.DataType = "recovery"
	// DataDailyStatistics is Suunto's aggregated daily steps and energy.
	DataDailyStatistics wearables.DataType = "daily_statistics"
)

// RateLimit is how Suunto's API gateway (Azure API Management) reports
// rate limits: a 429 with a Retry-After header; no rate-window headers.
var RateLimit = providerhttp.RateLimitHeaders{RetryAfter: true}

// Config configures the Suunto provider. ClientID, ClientSecret and
// SubscriptionKey are required to sync; NotificationSecret to receive
// webhooks. Every other field has a documented default. Config's String
// and GoString methods redact the secrets, so a logged Config leaks none.
type Config struct {
	// ClientID and ClientSecret are the OAuth application's credentials
	// (the token endpoint takes them as HTTP Basic).
	ClientID, ClientSecret string
	// SubscriptionKey is the API Management subscription key (primary or
	// secondary) sent as Ocp-Apim-Subscription-Key on every data request.
	// It never appears in errors or logs.
	SubscriptionKey string
	// NotificationSecret is the secret configured with the webhook URLs in
	// the app profile; it keys the X-HMAC-SHA256-Signature of webhooks.
	NotificationSecret string
	// Scopes requested at authorization. Defaults to none: Suunto grants
	// access by subscription, not by scope.
	Scopes []string
	// BaseURL is the data API root. Defaults to DefaultBaseURL.
	BaseURL string
	// AuthorizeURL is the consent page. Defaults to DefaultAuthorizeURL.
	AuthorizeURL string
	// TokenURL is the token endpoint. Defaults to DefaultTokenURL.
	TokenURL string
	// WorkoutsPath is the workout list route under BaseURL. Defaults to
	// DefaultWorkoutsPath; "/v3/workouts" is the newer route.
	WorkoutsPath string
	// PageSize is the number of workouts asked for per page, 1 to
	// MaxPageSize. Defaults to DefaultPageSize.
	PageSize int
}

// String describes c without its secrets.
func (c Config) String() string {
	redact := func(s string) string {
		if s == "" {
			return `""`
		}
		return "<redacted>"
	}
	return fmt.Sprintf("suunto.Config{ClientID:%q ClientSecret:%s SubscriptionKey:%s NotificationSecret:%s BaseURL:%q}",
		c.ClientID, redact(c.ClientSecret), redact(c.SubscriptionKey), redact(c.NotificationSecret), c.BaseURL)
}

// GoString describes c without its secrets.
func (c Config) GoString() string { return c.String() }

// Provider is the Suunto wearables.Provider. Build it with New; it is safe
// for concurrent use.
type Provider struct {
	cfg Config
	api *providerhttp.API
}

// New returns the Suunto provider configured by cfg, with defaults filled
// in. A PageSize beyond MaxPageSize is lowered to it.
func New(cfg Config) *Provider {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.AuthorizeURL == "" {
		cfg.AuthorizeURL = DefaultAuthorizeURL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = DefaultTokenURL
	}
	if cfg.WorkoutsPath == "" {
		cfg.WorkoutsPath = DefaultWorkoutsPath
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	cfg.PageSize = min(cfg.PageSize, MaxPageSize)
	cfg.Scopes = append([]string(nil), cfg.Scopes...)
	api := &providerhttp.API{Provider: wearables.ProviderSuunto, BaseURL: cfg.BaseURL, RateLimit: RateLimit, Header: http.Header{}}
	if cfg.SubscriptionKey != "" {
		api.Header.Set(SubscriptionKeyHeader, cfg.SubscriptionKey)
	}
	return &Provider{cfg: cfg, api: api}
}

// String describes p without its secrets (Config.String), so a logged
// provider leaks none.
func (p *Provider) String() string { return "suunto.Provider{" + p.cfg.String() + "}" }

// GoString describes p without its secrets.
func (p *Provider) GoString() string { return p.String() }

// ID returns wearables.ProviderSuunto.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderSuunto }

// OAuth describes Suunto's OAuth 2.0 endpoints: authorization code without
// PKCE, client credentials as HTTP Basic at the token endpoint.
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.cfg.AuthorizeURL,
			TokenURL:  p.cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInHeader,
		},
		Scopes: append([]string(nil), p.cfg.Scopes...),
	}
}

// DataTypes lists the Suunto feeds: workouts, sleep, activity samples,
// recovery and daily statistics.
func (p *Provider) DataTypes() []wearables.DataType {
	return []wearables.DataType{wearables.DataWorkouts, wearables.DataSleep, DataActivitySamples, DataRecovery, DataDailyStatistics}
}

// Routes of the 24/7 API.
const (
	pathActivity   = "/247samples/activity"
	pathSleep      = "/247samples/sleep"
	pathRecovery   = "/247samples/recovery"
	pathStatistics = "/247/daily-activity-statistics"
)

// errBadToken is in the chain of errors about a page token this provider
// did not issue.
var errBadToken = errors.New("malformed page token")

// Fetch returns one page of one data type for [req.Start, req.End).
// Errors: a *wearables.ProviderError for a vendor response (matching
// wearables.ErrUnauthorized, wearables.ErrRateLimited …) or an unreadable
// body; an error matching wearables.ErrUnsupported for an unknown data
// type; wearables.ErrInvalid for an empty window, a page token this
// provider did not issue, or a Config without SubscriptionKey (Suunto
// refuses every call without it); transport errors wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	op := "fetch " + string(req.DataType)
	switch req.DataType {
	case wearables.DataWorkouts, wearables.DataSleep, DataActivitySamples, DataRecovery, DataDailyStatistics:
	default:
		return wearables.FetchResult{}, fmt.Errorf("suunto: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	if !req.End.After(req.Start) {
		return wearables.FetchResult{}, fmt.Errorf("suunto: %s: window [%s, %s) is empty: %w",
			op, req.Start.Format(time.RFC3339), req.End.Format(time.RFC3339), wearables.ErrInvalid)
	}
	if p.cfg.SubscriptionKey == "" {
		return wearables.FetchResult{}, fmt.Errorf("suunto: %s: Config.SubscriptionKey is required: %w", op, wearables.ErrInvalid)
	}
	switch req.DataType {
	case wearables.DataWorkouts:
		return p.fetchWorkouts(ctx, req)
	case wearables.DataSleep:
		return fetchEntries(ctx, p, req, pathSleep, normalizeSleep)
	case DataActivitySamples:
		return fetchEntries(ctx, p, req, pathActivity, normalizeActivity)
	case DataRecovery:
		return fetchEntries(ctx, p, req, pathRecovery, normalizeRecovery)
	default:
		return p.fetchStatistics(ctx, req)
	}
}

// fetchWorkouts fetches one page of workouts: since/until in epoch ms,
// offset pagination. A full page announces the next offset.
func (p *Provider) fetchWorkouts(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	offset := 0
	if req.PageToken != "" {
		n, err := strconv.Atoi(req.PageToken)
		if err != nil || n <= 0 || req.PageToken[0] == '+' {
			return wearables.FetchResult{}, fmt.Errorf("suunto: fetch workouts: %w %q: %w", errBadToken, req.PageToken, wearables.ErrInvalid)
		}
		offset = n
	}
	q := url.Values{
		"since": {strconv.FormatInt(req.Start.UnixMilli(), 10)},
		"until": {strconv.FormatInt(req.End.UnixMilli(), 10)},
		"limit": {strconv.Itoa(p.cfg.PageSize)},
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	var pg workoutPage
	if _, err := p.api.GetJSON(ctx, req.Client, "list workouts", p.cfg.WorkoutsPath, q, &pg); err != nil {
		return wearables.FetchResult{}, err
	}
	if err := envelopeError(pg.Error); err != nil {
		return wearables.FetchResult{}, fmt.Errorf("suunto: list workouts: %w", err)
	}
	res := normalizeWorkouts(&pg)
	if len(pg.Payload) >= p.cfg.PageSize {
		res.NextPageToken = strconv.Itoa(offset + len(pg.Payload))
	}
	return res, nil
}

// errVendor is in the chain of an error Suunto reports inside a 200
// response's envelope.
var errVendor = errors.New("error in response envelope")

// envelopeError turns a non-empty envelope error into an error.
func envelopeError(e *rawError) error {
	if e == nil || (e.Code == "" && e.Description == "") {
		return nil
	}
	return fmt.Errorf("%w: %s: %s", errVendor, e.Code, e.Description)
}

// chunk is the part of a window one 24/7 request covers: chunk n of a
// window starting at start is [start + n·MaxWindow, +MaxWindow), cut at the
// window's end.
type chunk struct {
	n        int
	from, to time.Time
}

// chunkOf returns the chunk a page token names in [start, end); the empty
// token is chunk 0.
func chunkOf(token string, start, end time.Time) (chunk, error) {
	n := 0
	if token != "" {
		var err error
		n, err = strconv.Atoi(token)
		if err != nil || n <= 0 || n > maxChunks || token[0] == '+' {
			return chunk{}, fmt.Errorf("%w %q: %w", errBadToken, token, wearables.ErrInvalid)
		}
	}
	from := start.Add(time.Duration(n) * MaxWindow)
	if !from.Before(end) {
		return chunk{}, fmt.Errorf("%w %q: past the window: %w", errBadToken, token, wearables.ErrInvalid)
	}
	return chunk{n: n, from: from, to: earlier(from.Add(MaxWindow), end)}, nil
}

// next is the page token of the chunk after c, "" when c ends the window.
func (c chunk) next(end time.Time) string {
	if c.to.Before(end) {
		return strconv.Itoa(c.n + 1)
	}
	return ""
}

// earlier returns the earlier of two instants.
func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// fetchEntries fetches one chunk of a 24/7 route (from/to in epoch ms, at
// most MaxWindow apart) and normalizes each entry with norm.
func fetchEntries[T any](ctx context.Context, p *Provider, req wearables.FetchRequest, path string,
	norm func(*rawEntry[T], *wearables.FetchResult)) (wearables.FetchResult, error) {
	c, err := chunkOf(req.PageToken, req.Start, req.End)
	if err != nil {
		return wearables.FetchResult{}, fmt.Errorf("suunto: fetch %s: %w", req.DataType, err)
	}
	q := url.Values{
		"from": {strconv.FormatInt(c.from.UnixMilli(), 10)},
		"to":   {strconv.FormatInt(c.to.UnixMilli(), 10)},
	}
	var entries []rawEntry[T]
	if _, err := p.api.GetJSON(ctx, req.Client, "list "+string(req.DataType), path, q, &entries); err != nil {
		return wearables.FetchResult{}, err
	}
	res := normalizeEntries(entries, norm)
	res.NextPageToken = c.next(req.End)
	return res, nil
}

// statisticsLayout is the form of the startdate/enddate parameters: UTC
// without an offset.
const statisticsLayout = "2006-01-02T15:04:05"

// fetchStatistics fetches one chunk of daily statistics. Suunto buckets
// days from the startdate's time of day, in UTC, so the window is widened
// to whole UTC days: a bucket is then a UTC calendar day.
func (p *Provider) fetchStatistics(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	start, end := utcDays(req.Start, req.End)
	c, err := chunkOf(req.PageToken, start, end)
	if err != nil {
		return wearables.FetchResult{}, fmt.Errorf("suunto: fetch %s: %w", req.DataType, err)
	}
	q := url.Values{
		"startdate": {c.from.UTC().Format(statisticsLayout)},
		"enddate":   {c.to.Add(-time.Second).UTC().Format(statisticsLayout)}, // inclusive, as Suunto's example
	}
	var stats []rawStatistic
	if _, err := p.api.GetJSON(ctx, req.Client, "list daily statistics", pathStatistics, q, &stats); err != nil {
		return wearables.FetchResult{}, err
	}
	res := normalizeStatistics(stats)
	res.NextPageToken = c.next(end)
	return res, nil
}

// utcDays widens [start, end) to whole UTC days.
func utcDays(start, end time.Time) (time.Time, time.Time) {
	const day = 24 * time.Hour
	s := start.UTC().Truncate(day)
	e := end.UTC().Truncate(day)
	if e.Before(end) {
		e = e.Add(day)
	}
	return s, e
}

var _ wearables.Provider = (*Provider)(nil)
