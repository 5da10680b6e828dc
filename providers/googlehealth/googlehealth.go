package googlehealth

import (
	"bytes"
	"context"
	"encoding/json"
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

// Default endpoints of the Google Health API and Google OAuth 2.0.
const (
	DefaultBaseURL      = "https://health.googleapis.com"
	DefaultAuthorizeURL = "https://accounts.google.com/o/oauth2/v2/auth"
	DefaultTokenURL     = "https://oauth2.googleapis.com/token"
	DefaultRevokeURL    = "https://oauth2.googleapis.com/revoke"
)

// Scopes of the Google Health API: read-only access per data family.
const (
	ScopeActivity = "https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly"
	ScopeMetrics  = "https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly"
	ScopeSleep    = "https://www.googleapis.com/auth/googlehealth.sleep.readonly"
)

// DefaultScopes are the scopes requested by default: everything the
// provider syncs (activity: steps, distance, exercise, rollups; health
// metrics: heart rate, HRV, SpO2, weight; sleep). Users may refuse any of
// them on Google's consent page; the feeds they cover then answer 403.
var DefaultScopes = []string{ScopeActivity, ScopeMetrics, ScopeSleep}

// Data types of the Google Health provider beyond the generic ones
// (wearables.DataSleep, wearables.DataWorkouts, wearables.DataBody for
// weight, wearables.DataDailySummaries for daily rollups). Each is one
// Google data type with its own cursor.
const (
	DataSteps                wearables.DataType = "steps"
	DataDistance             wearables.DataType = "distance"
	DataHeartRate            wearables.DataType = "heart_rate"
	DataHeartRateVariability wearables.DataType = "heart_rate_variability"
	DataOxygenSaturation     wearables.DataType = "oxygen_saturation"
)

// RateLimit is how Google reports rate limits: 429 (RESOURCE_EXHAUSTED),
// with a Retry-After header when it sends one; no rate-window headers.
var RateLimit = providerhttp.RateLimitHeaders{RetryAfter: true}

// MaxSessionPageSize is the largest page Google serves for sleep and
// exercise.
const MaxSessionPageSize = 25

// Rollup ranges: a dailyRollUp request covers at most 90 days, and at most
// 14 for total-calories, which the daily summaries feed asks for.
const rollupChunkDays = 14

// filterKind says how a list request bounds its window.
type filterKind uint8

const (
	// filterInterval: {type}.interval.start_time in [start, end).
	filterInterval filterKind = iota
	// filterSample: {type}.sample_time.physical_time in [start, end).
	filterSample
	// filterSleepEnd: sleep.interval.end_time in [start, end) — the only
	// physical-time filter Google offers for sleep.
	filterSleepEnd
	// filterCivilStart: {type}.interval.civil_start_time over the civil
	// days around the window, then kept by physical start — the only
	// filter Google offers for exercise.
	filterCivilStart
)

// feed is one Google data type as a wearables feed.
type feed struct {
	dataType wearables.DataType
	// kebab is Google's data type in paths and webhooks ("heart-rate").
	kebab string
	// snake is its name in list filters ("heart_rate").
	snake  string
	filter filterKind
	// session marks sleep and exercise (page size at most 25).
	session bool
	// normalize maps one page of data points.
	normalize func(points []rawDataPoint, res *wearables.FetchResult)
}

// feeds lists every list-based feed, in the order DataTypes reports them;
// the daily-summaries rollup feed follows them.
var feeds = []feed{
	{DataSteps, "steps", "steps", filterInterval, false, normalizeSteps},
	{DataDistance, "distance", "distance", filterInterval, false, normalizeDistance},
	{DataHeartRate, "heart-rate", "heart_rate", filterSample, false, normalizeHeartRate},
	{DataHeartRateVariability, "heart-rate-variability", "heart_rate_variability", filterSample, false, normalizeHRV},
	{DataOxygenSaturation, "oxygen-saturation", "oxygen_saturation", filterSample, false, normalizeSpO2},
	{wearables.DataBody, "weight", "weight", filterSample, false, normalizeWeight},
	{wearables.DataSleep, "sleep", "sleep", filterSleepEnd, true, normalizeSleep},
	{wearables.DataWorkouts, "exercise", "exercise", filterCivilStart, true, normalizeExercise},
}

// rollupTypes are the Google data types the daily-summaries feed rolls up,
// one dailyRollUp request each, in this order.
var rollupTypes = []string{"steps", "distance", "total-calories"}

func feedFor(dt wearables.DataType) (feed, bool) {
	for _, f := range feeds {
		if f.dataType == dt {
			return f, true
		}
	}
	return feed{}, false
}

// Config configures the Google Health provider. Every field has a
// documented default; WebhookAuthorization is needed to accept webhooks.
type Config struct {
	// Scopes requested at authorization. Defaults to DefaultScopes.
	Scopes []string
	// BaseURL is the API root. Defaults to DefaultBaseURL.
	BaseURL string
	// AuthorizeURL is Google's consent page. Defaults to
	// DefaultAuthorizeURL.
	AuthorizeURL string
	// TokenURL is Google's token endpoint. Defaults to DefaultTokenURL.
	TokenURL string
	// RevokeURL is Google's revocation endpoint. Defaults to
	// DefaultRevokeURL.
	RevokeURL string
	// PageSize, when positive, is sent as pageSize on list requests
	// (capped at MaxSessionPageSize for sleep and exercise). Zero leaves
	// Google's defaults: 1440 points, 25 sessions.
	PageSize int
	// WebhookAuthorization is the exact Authorization header value Google
	// sends with every notification: the endpointAuthorization.secret
	// registered with the subscriber, scheme included ("Bearer …").
	// Empty rejects every webhook.
	WebhookAuthorization string
}

// Provider is the Google Health wearables.Provider. Build it with New; it
// is safe for concurrent use.
type Provider struct {
	cfg Config
	api *providerhttp.API
}

// New returns the Google Health provider configured by cfg, with defaults
// filled in.
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
	if cfg.RevokeURL == "" {
		cfg.RevokeURL = DefaultRevokeURL
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	cfg.Scopes = append([]string(nil), cfg.Scopes...)
	return &Provider{
		cfg: cfg,
		api: &providerhttp.API{Provider: wearables.ProviderGoogleHealth, BaseURL: cfg.BaseURL, RateLimit: RateLimit},
	}
}

// ID returns wearables.ProviderGoogleHealth.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderGoogleHealth }

// OAuth describes Google's OAuth 2.0: authorization code with PKCE,
// client credentials in the token request body, and access_type=offline
// with prompt=consent so that Google issues a refresh token (and issues a
// new one when a user reconnects). Refresh tokens do not rotate.
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.cfg.AuthorizeURL,
			TokenURL:  p.cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes:     append([]string(nil), p.cfg.Scopes...),
		PKCE:       true,
		AuthParams: map[string]string{"access_type": "offline", "prompt": "consent"},
	}
}

// DataTypes lists the feeds (see the package documentation).
func (p *Provider) DataTypes() []wearables.DataType {
	out := make([]wearables.DataType, 0, len(feeds)+1)
	for _, f := range feeds {
		out = append(out, f.dataType)
	}
	return append(out, wearables.DataDailySummaries)
}

// Fetch returns one page of one data type for [req.Start, req.End).
// Errors: a *wearables.ProviderError for a vendor response (matching
// wearables.ErrUnauthorized, wearables.ErrRateLimited …) or an unreadable
// body; an error matching wearables.ErrUnsupported for an unknown data
// type, and wearables.ErrInvalid for an empty window or a page token this
// provider did not issue; transport errors wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if !req.End.After(req.Start) {
		return wearables.FetchResult{}, fmt.Errorf("googlehealth: fetch %s: window [%s, %s) is empty: %w",
			req.DataType, req.Start.Format(time.RFC3339), req.End.Format(time.RFC3339), wearables.ErrInvalid)
	}
	if req.DataType == wearables.DataDailySummaries {
		return p.fetchRollup(ctx, req)
	}
	f, ok := feedFor(req.DataType)
	if !ok {
		return wearables.FetchResult{}, fmt.Errorf("googlehealth: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	q := url.Values{"filter": {f.filterFor(req.Start, req.End)}}
	if n := p.cfg.PageSize; n > 0 {
		if f.session {
			n = min(n, MaxSessionPageSize)
		}
		q.Set("pageSize", strconv.Itoa(n))
	}
	if req.PageToken != "" {
		q.Set("pageToken", req.PageToken)
	}
	op := "list " + f.kebab
	var pg rawListPage
	if _, err := p.api.GetJSON(ctx, req.Client, op, "/v4/users/me/dataTypes/"+f.kebab+"/dataPoints", q, &pg); err != nil {
		return wearables.FetchResult{}, err
	}
	res := normalizePage(f, &pg, req.Start, req.End)
	if pg.NextPageToken == req.PageToken && pg.NextPageToken != "" {
		return wearables.FetchResult{}, fmt.Errorf("googlehealth: %s: page token %q repeats: %w", op, pg.NextPageToken, wearables.ErrInvalid)
	}
	res.NextPageToken = pg.NextPageToken
	return res, nil
}

// filterFor returns the AIP-160 filter of a list request for [start, end).
func (f feed) filterFor(start, end time.Time) string {
	stamp := func(t time.Time) string { return strconv.Quote(t.UTC().Format(time.RFC3339Nano)) }
	var field, from, to string
	switch f.filter {
	case filterInterval:
		field, from, to = f.snake+".interval.start_time", stamp(start), stamp(end)
	case filterSample:
		field, from, to = f.snake+".sample_time.physical_time", stamp(start), stamp(end)
	case filterSleepEnd:
		field, from, to = "sleep.interval.end_time", stamp(start), stamp(end)
	case filterCivilStart:
		// Civil days are the user's local days, anywhere from UTC−12 to
		// UTC+14: a day either side covers them.
		field = f.snake + ".interval.civil_start_time"
		from = strconv.Quote(wearables.DateOf(start.UTC()).AddDays(-1).String())
		to = strconv.Quote(wearables.DateOf(end.UTC()).AddDays(2).String())
	}
	return field + " >= " + from + " AND " + field + " < " + to
}

// fetchRollup fetches one chunk of daily rollups: up to rollupChunkDays
// civil days, one dailyRollUp request per type in rollupTypes. The page
// token is the index of the next chunk.
func (p *Provider) fetchRollup(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	first, last := rollupDays(req.Start, req.End)
	chunk := 0
	if req.PageToken != "" {
		n, err := strconv.Atoi(req.PageToken)
		if err != nil || n < 1 || req.PageToken[0] == '+' {
			return wearables.FetchResult{}, fmt.Errorf("googlehealth: fetch %s: malformed page token %q: %w", req.DataType, req.PageToken, wearables.ErrInvalid)
		}
		chunk = n
	}
	from := first.AddDays(chunk * rollupChunkDays)
	if !from.Before(last) {
		return wearables.FetchResult{}, fmt.Errorf("googlehealth: fetch %s: page token %q is past the window: %w", req.DataType, req.PageToken, wearables.ErrInvalid)
	}
	to := from.AddDays(rollupChunkDays)
	if last.Before(to) {
		to = last
	}
	pages := make([]rawRollupPage, len(rollupTypes))
	for i, typ := range rollupTypes {
		if err := p.rollup(ctx, req.Client, typ, from, to, &pages[i]); err != nil {
			return wearables.FetchResult{}, err
		}
	}
	res := normalizeRollups(pages[0].RollupDataPoints, pages[1].RollupDataPoints, pages[2].RollupDataPoints)
	if to.Before(last) {
		res.NextPageToken = strconv.Itoa(chunk + 1)
	}
	return res, nil
}

// rollupDays returns the civil days a window touches, [first, last): a day
// either side of its UTC dates, because civil days are the user's.
func rollupDays(start, end time.Time) (first, last wearables.Date) {
	return wearables.DateOf(start.UTC()).AddDays(-1), wearables.DateOf(end.UTC()).AddDays(1)
}

// rollupRequest is DailyRollUpDataPointsRequest.
type rollupRequest struct {
	Range          civilInterval `json:"range"`
	WindowSizeDays int           `json:"windowSizeDays"`
}

type civilInterval struct {
	Start civilDateTime `json:"start"`
	End   civilDateTime `json:"end"`
}

type civilDateTime struct {
	Date rawDate `json:"date"`
}

func civil(d wearables.Date) civilDateTime {
	return civilDateTime{Date: rawDate{Year: d.Year, Month: int(d.Month), Day: d.Day}}
}

// rollup posts one dailyRollUp request for the civil days [from, to).
func (p *Provider) rollup(ctx context.Context, client *http.Client, typ string, from, to wearables.Date, out *rawRollupPage) error {
	op := "daily roll-up " + typ
	body, err := json.Marshal(rollupRequest{Range: civilInterval{Start: civil(from), End: civil(to)}, WindowSizeDays: 1})
	if err != nil {
		return fmt.Errorf("googlehealth: %s: %w", op, err)
	}
	req, err := p.api.NewRequest(ctx, http.MethodPost, "/v4/users/me/dataTypes/"+typ+"/dataPoints:dailyRollUp", nil, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := p.api.Do(client, op, req)
	if err != nil {
		return err
	}
	return p.api.DecodeJSON(op, resp, out)
}

var _ wearables.Provider = (*Provider)(nil)
