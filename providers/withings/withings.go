package withings

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Default endpoints of the Withings Public Health Data API.
const (
	DefaultBaseURL      = "https://wbsapi.withings.net"
	DefaultAuthorizeURL = "https://account.withings.com/oauth2_user/authorize2"
)

// Data types of the Withings provider beyond the generic
// wearables.DataWorkouts and wearables.DataSleep. Each is one Withings
// service with its own cursor.
const (
	// DataMeasures is /measure getmeas: weight and body composition, blood
	// pressure, pulse, SpO2, temperatures, pulse wave velocity, VO2max.
	DataMeasures wearables.DataType = "measures"
	// DataActivity is /v2/measure getactivity: daily aggregates.
	DataActivity wearables.DataType = "activity"
	// DataIntraday is /v2/measure getintradayactivity: high-frequency
	// samples, read in 24-hour windows.
	DataIntraday wearables.DataType = "intraday"
)

// Routes of the services this package calls.
const (
	pathMeasure   = "/measure"
	pathMeasureV2 = "/v2/measure"
	pathSleep     = "/v2/sleep"
	pathNotify    = "/notify"
	pathSignature = "/v2/signature"
	pathOAuth2    = "/v2/oauth2"
)

// intradayWindow is the longest range getintradayactivity and sleep get
// answer; maxChunks bounds a window (about 11 years) so chunk arithmetic
// cannot overflow.
const (
	intradayWindow = 24 * time.Hour
	maxChunks      = 1 << 12
)

// Data fields requested from each service (Withings returns only what is
// asked for).
const (
	activityFields = "steps,distance,elevation,soft,moderate,intense,active,calories,totalcalories,hr_average,hr_min,hr_max"
	intradayFields = "steps,elevation,calories,distance,stroke,pool_lap,duration,heart_rate,spo2_auto,rmssd,sdnn1,rr,core_body_temperature"
	workoutFields  = "calories,manual_distance,manual_calories,hr_average,hr_min,hr_max,hr_zone_0,hr_zone_1,hr_zone_2,hr_zone_3," +
		"pause_duration,algo_pause_duration,steps,distance"
	sleepSummaryFields = "total_timeinbed,total_sleep_time,asleepduration,lightsleepduration,remsleepduration,deepsleepduration," +
		"wakeupduration,sleep_efficiency,sleep_latency,hr_average,hr_min,rr_average,apnea_hypopnea_index,snoring,sleep_score"
	sleepSeriesFields = "hr,rr,snoring,sdnn_1,rmssd"
)

// DefaultScopes returns the OAuth scopes requested by default: everything
// the provider syncs.
func DefaultScopes() []string {
	return []string{"user.info", "user.metrics", "user.activity", "user.sleepevents"}
}

// RateLimitHeaders returns how Withings reports rate limits over HTTP: it
// does not (a limit is status 601 inside an HTTP 200); a Retry-After on an
// HTTP error from its front end is honoured.
func RateLimitHeaders() providerhttp.RateLimitHeaders {
	return providerhttp.RateLimitHeaders{RetryAfter: true}
}

// Config configures the Withings provider. Only ClientID and ClientSecret
// are required; every other field has a documented default.
type Config struct {
	// ClientID and ClientSecret are the partner application's credentials.
	// The secret also signs the app-level calls (RevokeUser).
	ClientID, ClientSecret string
	// Scopes requested at authorization. Defaults to DefaultScopes(). They
	// are sent comma-separated, as Withings wants.
	Scopes []string
	// BaseURL is the API root, where data, token, notify and signature
	// routes live. Defaults to DefaultBaseURL.
	BaseURL string
	// AuthorizeURL is the consent page. Defaults to DefaultAuthorizeURL.
	AuthorizeURL string
	// TokenURL is the token endpoint. Defaults to BaseURL + "/v2/oauth2".
	TokenURL string
	// HTTPClient sends the calls made with the app's own credentials
	// (RevokeUser). Defaults to http.DefaultClient. Calls made for a user
	// use the client passed in with the request.
	HTTPClient *http.Client
	// NotifyCallbackURL, when set, is the URL ProviderUserID subscribes the
	// newly connected user's notifications to (see EnsureUserSubscriptions).
	// Empty means no subscription at connect time.
	NotifyCallbackURL string
	// NotifyApplis are the notification categories subscribed. Defaults to
	// DefaultApplis().
	NotifyApplis []int
	// WebhookToken, when set, must appear as the "token" query parameter
	// of every notification request (put it in the callback URL you
	// subscribe): Withings signs nothing, and this keeps strangers from
	// making us re-fetch. Empty accepts every well-formed notification.
	WebhookToken string
	// Now is the clock for request signatures. Defaults to time.Now.
	Now func() time.Time
}

// Provider is the Withings wearables.Provider. Build it with New; it is
// safe for concurrent use.
type Provider struct {
	cfg   Config
	api   *providerhttp.API
	zones *zones
}

// New returns the Withings provider configured by cfg, with defaults
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
		cfg.TokenURL = cfg.BaseURL + pathOAuth2
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes()
	}
	cfg.Scopes = append([]string(nil), cfg.Scopes...)
	if len(cfg.NotifyApplis) == 0 {
		cfg.NotifyApplis = DefaultApplis()
	}
	cfg.NotifyApplis = append([]int(nil), cfg.NotifyApplis...)
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Provider{
		cfg:   cfg,
		api:   &providerhttp.API{Provider: wearables.ProviderWithings, BaseURL: cfg.BaseURL, RateLimit: RateLimitHeaders()},
		zones: &zones{},
	}
}

// ID returns wearables.ProviderWithings.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderWithings }

// OAuth describes Withings' OAuth 2.0 endpoints: authorization code
// without PKCE, client credentials in the token request body. The scopes
// come as one comma-separated value, because x/oauth2 joins scopes with
// spaces and Withings wants commas.
//
// Withings' token endpoint is not RFC 6749: it wants action=requesttoken
// in the form and wraps its answer in {"status", "body"}. Token requests
// must therefore go through TokenClient (or TokenTransport), which adapts
// both ways; see the package documentation.
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.cfg.AuthorizeURL,
			TokenURL:  p.cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes: []string{strings.Join(p.cfg.Scopes, ",")},
	}
}

// DataTypes lists the Withings feeds: DataMeasures, DataActivity,
// DataIntraday, wearables.DataWorkouts and wearables.DataSleep.
func (p *Provider) DataTypes() []wearables.DataType {
	return []wearables.DataType{DataMeasures, DataActivity, DataIntraday, wearables.DataWorkouts, wearables.DataSleep}
}

// Fetch returns one page of one data type for [req.Start, req.End).
//
// Errors: a *wearables.ProviderError for a Withings status other than 0
// (StatusCode is Withings' status; it matches wearables.ErrUnauthorized
// for authentication failures, wearables.ErrRateLimited for 601,
// wearables.ErrInvalid for invalid parameters), for an HTTP error or for
// an unreadable body; an error matching wearables.ErrUnsupported for an
// unknown data type, and wearables.ErrInvalid for an empty window or a
// page token this provider did not issue; transport errors wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if !req.End.After(req.Start) {
		return wearables.FetchResult{}, fmt.Errorf("withings: fetch %s: window [%s, %s) is empty: %w",
			req.DataType, req.Start.Format(time.RFC3339), req.End.Format(time.RFC3339), wearables.ErrInvalid)
	}
	client := withStatus(req.Client)
	switch req.DataType {
	case DataMeasures:
		return p.fetchMeasures(ctx, client, req)
	case DataActivity:
		return p.fetchActivity(ctx, client, req)
	case DataIntraday:
		return p.fetchIntraday(ctx, client, req)
	case wearables.DataWorkouts:
		return p.fetchWorkouts(ctx, client, req)
	case wearables.DataSleep:
		return p.fetchSleep(ctx, client, req)
	}
	return wearables.FetchResult{}, fmt.Errorf("withings: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
}

// dateWindow returns the startdateymd/enddateymd of [start, end): Withings
// keys these services by local day, so the window reaches one day further
// on each side; re-fetched records are upserts.
func dateWindow(start, end time.Time) (string, string) {
	return wearables.DateOf(start.UTC()).AddDays(-1).String(), wearables.DateOf(end.UTC()).AddDays(1).String()
}

// offsetForm returns form with offset set from a page token, validating it.
func offsetForm(form url.Values, dt wearables.DataType, token string) error {
	if token == "" {
		return nil
	}
	if _, err := parseCount(token); err != nil {
		return fmt.Errorf("withings: fetch %s: page token %q: %w", dt, token, wearables.ErrInvalid)
	}
	form.Set("offset", token)
	return nil
}

// parseCount parses a non-negative decimal page token.
func parseCount(s string) (int64, error) {
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseInt(s, 10, 64)
}

// nextToken is the page token after a page that says more and offset.
func nextToken(more flexBool, offset int64) string {
	if !more || offset <= 0 {
		return ""
	}
	return strconv.FormatInt(offset, 10)
}

func (p *Provider) fetchMeasures(ctx context.Context, client *http.Client, req wearables.FetchRequest) (wearables.FetchResult, error) {
	form := url.Values{
		"action":    {"getmeas"},
		"meastypes": {measTypeList},
		"category":  {"1"},
		"startdate": {strconv.FormatInt(req.Start.Unix(), 10)},
		"enddate":   {strconv.FormatInt(req.End.Unix(), 10)},
	}
	if err := offsetForm(form, req.DataType, req.PageToken); err != nil {
		return wearables.FetchResult{}, err
	}
	page, err := call[measurePage](ctx, p, client, "list measures", pathMeasure, form)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	res := finish(normalizeMeasures(&page, p.zones))
	res.NextPageToken = nextToken(page.More, page.Offset)
	return res, nil
}

func (p *Provider) fetchActivity(ctx context.Context, client *http.Client, req wearables.FetchRequest) (wearables.FetchResult, error) {
	from, to := dateWindow(req.Start, req.End)
	form := url.Values{"action": {"getactivity"}, "startdateymd": {from}, "enddateymd": {to}, "data_fields": {activityFields}}
	if err := offsetForm(form, req.DataType, req.PageToken); err != nil {
		return wearables.FetchResult{}, err
	}
	page, err := call[activityPage](ctx, p, client, "list activity", pathMeasureV2, form)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	res := finish(normalizeActivity(&page, p.zones))
	res.NextPageToken = nextToken(page.More, page.Offset)
	return res, nil
}

func (p *Provider) fetchWorkouts(ctx context.Context, client *http.Client, req wearables.FetchRequest) (wearables.FetchResult, error) {
	from, to := dateWindow(req.Start, req.End)
	form := url.Values{"action": {"getworkouts"}, "startdateymd": {from}, "enddateymd": {to}, "data_fields": {workoutFields}}
	if err := offsetForm(form, req.DataType, req.PageToken); err != nil {
		return wearables.FetchResult{}, err
	}
	page, err := call[workoutPage](ctx, p, client, "list workouts", pathMeasureV2, form)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	res := finish(normalizeWorkouts(&page, p.zones))
	res.NextPageToken = nextToken(page.More, page.Offset)
	return res, nil
}

// fetchIntraday reads one 24-hour window of high-frequency activity: the
// page token is the window's index within [req.Start, req.End).
func (p *Provider) fetchIntraday(ctx context.Context, client *http.Client, req wearables.FetchRequest) (wearables.FetchResult, error) {
	chunk := int64(0)
	if req.PageToken != "" {
		n, err := parseCount(req.PageToken)
		if err != nil || n > maxChunks {
			return wearables.FetchResult{}, fmt.Errorf("withings: fetch %s: page token %q: %w", req.DataType, req.PageToken, wearables.ErrInvalid)
		}
		chunk = n
	}
	w := window{start: req.Start.Add(time.Duration(chunk) * intradayWindow)}
	if !w.start.Before(req.End) {
		return wearables.FetchResult{}, fmt.Errorf("withings: fetch %s: page token %q is past the window: %w", req.DataType, req.PageToken, wearables.ErrInvalid)
	}
	w.end = w.start.Add(intradayWindow)
	if req.End.Before(w.end) {
		w.end = req.End
	}
	form := url.Values{
		"action":      {"getintradayactivity"},
		"startdate":   {strconv.FormatInt(w.start.Unix(), 10)},
		"enddate":     {strconv.FormatInt(w.end.Unix(), 10)},
		"data_fields": {intradayFields},
	}
	page, err := call[intradayPage](ctx, p, client, "list intraday activity", pathMeasureV2, form)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	res := finish(normalizeIntraday(&page, w))
	if w.end.Before(req.End) {
		res.NextPageToken = strconv.FormatInt(chunk+1, 10)
	}
	return res, nil
}

// fetchSleep reads one page of sleep summaries and, for each session, its
// stage series (sleep get over the session's bounds), so each night is one
// wearables.Sleep with its stages.
func (p *Provider) fetchSleep(ctx context.Context, client *http.Client, req wearables.FetchRequest) (wearables.FetchResult, error) {
	from, to := dateWindow(req.Start, req.End)
	form := url.Values{"action": {"getsummary"}, "startdateymd": {from}, "enddateymd": {to}, "data_fields": {sleepSummaryFields}}
	if err := offsetForm(form, req.DataType, req.PageToken); err != nil {
		return wearables.FetchResult{}, err
	}
	page, err := call[sleepSummaryPage](ctx, p, client, "list sleep summaries", pathSleep, form)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	series := make([]*sleepSeriesPage, len(page.Series))
	for i := range page.Series {
		s := &page.Series[i]
		if s.EndDate <= s.StartDate || time.Duration(s.EndDate-s.StartDate)*time.Second > intradayWindow {
			continue // rejected by normalization; sleep get answers 24 h at most
		}
		form := url.Values{
			"action":      {"get"},
			"startdate":   {strconv.FormatInt(s.StartDate, 10)},
			"enddate":     {strconv.FormatInt(s.EndDate, 10)},
			"data_fields": {sleepSeriesFields},
		}
		st, err := call[sleepSeriesPage](ctx, p, client, "get sleep stages", pathSleep, form)
		if err != nil {
			return wearables.FetchResult{}, err
		}
		series[i] = &st
	}
	res := finish(normalizeSleep(&page, series, p.zones))
	res.NextPageToken = nextToken(page.More, page.Offset)
	return res, nil
}

// call POSTs form to path and decodes the body of Withings' envelope. A
// non-zero status is a *wearables.ProviderError (see statusError).
func call[T any](ctx context.Context, p *Provider, client *http.Client, op, path string, form url.Values) (T, error) {
	var zero T
	req, err := p.api.NewRequest(ctx, http.MethodPost, path, nil, strings.NewReader(form.Encode()))
	if err != nil {
		return zero, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := p.api.Do(client, op, req)
	if err != nil {
		return zero, fromHTTPError(err)
	}
	var env envelope[T]
	err = p.api.DecodeJSON(op, resp, &env)
	if env.Status != StatusOK {
		return zero, statusError(op, env.Status, env.Error)
	}
	if err != nil {
		return zero, err
	}
	return env.Body, nil
}

// finish moves implausible records to Rejected, as every page needs.
func finish(res wearables.FetchResult) wearables.FetchResult {
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

// window is a half-open range [start, end) of instants.
type window struct{ start, end time.Time }

func (w window) contains(t time.Time) bool { return !t.Before(w.start) && t.Before(w.end) }

// zones caches the IANA zones Withings names per record, so a page does not
// read the zone database once per record. It holds at most maxZones
// entries (there are fewer than 600 zones; the bound only matters for
// garbage names, which never load anyway). Safe for concurrent use.
type zones struct {
	m sync.Map // name → *time.Location
	n atomic.Int32
}

const maxZones = 1024

// load returns the zone named name, or nil when name is empty or unknown.
func (z *zones) load(name string) *time.Location {
	if name == "" || name == "Local" { // "Local" would be this machine's zone
		return nil
	}
	if z != nil {
		if loc, ok := z.m.Load(name); ok {
			return loc.(*time.Location)
		}
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	if z != nil && z.n.Load() < maxZones {
		if _, loaded := z.m.LoadOrStore(name, loc); !loaded {
			z.n.Add(1)
		}
	}
	return loc
}

// jsonDecode is json.Unmarshal into an envelope, for the benchmark and the
// fuzz target (Fetch decodes through providerhttp.API.DecodeJSON).
func jsonDecode[T any](body []byte) (envelope[T], error) {
	var env envelope[T]
	err := json.Unmarshal(body, &env)
	return env, err
}

var _ wearables.Provider = (*Provider)(nil)
