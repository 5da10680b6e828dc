package ultrahuman

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Default endpoints of the Ultrahuman Partner API.
const (
	// DefaultBaseURL is the root of the partner data routes.
	DefaultBaseURL = "https://partner.ultrahuman.com/api/partners/v1"
	// DefaultAuthorizeURL is the consent page (spelled "authorise", as the
	// integrations that work with it call it).
	DefaultAuthorizeURL = "https://auth.ultrahuman.com/authorise"
	// DefaultTokenURL is the token endpoint.
	DefaultTokenURL = "https://partner.ultrahuman.com/api/partners/oauth/token"
)

// Scopes Ultrahuman grants.
const (
	// ScopeRingData reads the ring's metrics (sleep, heart rate, HRV,
	// temperature, steps, VO2 max, indices).
	ScopeRingData = "ring_data"
	// ScopeCGMData reads glucose metrics of an M1 CGM.
	ScopeCGMData = "cgm_data"
	// ScopeProfile reads the user's basic profile (the /user_info route).
	ScopeProfile = "profile"
)

// DataMetrics is the one Ultrahuman feed: the daily metrics document,
// which holds a day's samples, its sleep, its indices and its totals. One
// request per day.
const DataMetrics wearables.DataType = "daily_metrics"

// MaxDays bounds a window: Fetch refuses windows longer than this many
// days (about ten years), so a runaway window cannot loop for long.
const MaxDays = 3660

// RateLimit is how Ultrahuman reports rate limits: it publishes none, so a
// 429 with Retry-After is assumed.
var RateLimit = providerhttp.RateLimitHeaders{RetryAfter: true}

// Routes under Config.BaseURL.
const (
	pathMetrics  = "/user_data/metrics"
	pathUserInfo = "/user_data/user_info"
)

// Config configures the Ultrahuman provider. ClientID and ClientSecret are
// required; every other field has a documented default. String redacts the
// secret.
type Config struct {
	// ClientID and ClientSecret are the partner application's
	// credentials (the token endpoint takes them in the form body).
	ClientID, ClientSecret string
	// Scopes requested at authorization. Defaults to ring_data, cgm_data
	// and profile.
	Scopes []string
	// BaseURL is the data API root. Defaults to DefaultBaseURL.
	BaseURL string
	// AuthorizeURL is the consent page. Defaults to DefaultAuthorizeURL.
	AuthorizeURL string
	// TokenURL is the token endpoint. Defaults to DefaultTokenURL.
	TokenURL string
}

// String describes c without its secret.
func (c Config) String() string {
	secret := `""`
	if c.ClientSecret != "" {
		secret = "<redacted>"
	}
	return fmt.Sprintf("ultrahuman.Config{ClientID:%q ClientSecret:%s BaseURL:%q}", c.ClientID, secret, c.BaseURL)
}

// GoString describes c without its secret.
func (c Config) GoString() string { return c.String() }

// Provider is the Ultrahuman wearables.Provider. Build it with New; it is
// safe for concurrent use.
type Provider struct {
	cfg Config
	api *providerhttp.API
}

// New returns the Ultrahuman provider configured by cfg, with defaults
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
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{ScopeRingData, ScopeCGMData, ScopeProfile}
	} else {
		cfg.Scopes = append([]string(nil), cfg.Scopes...)
	}
	return &Provider{cfg: cfg, api: &providerhttp.API{Provider: wearables.ProviderUltrahuman, BaseURL: cfg.BaseURL, RateLimit: RateLimit}}
}

// ID returns wearables.ProviderUltrahuman.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderUltrahuman }

// OAuth describes Ultrahuman's OAuth 2.0 endpoints: authorization code
// without PKCE, client credentials in the token request's form body.
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

// DataTypes lists the single Ultrahuman feed, DataMetrics.
func (p *Provider) DataTypes() []wearables.DataType { return []wearables.DataType{DataMetrics} }

// errBadToken is in the chain of errors about a page token this provider
// did not issue.
var errBadToken = errors.New("malformed page token")

// Fetch returns one day of daily metrics in [req.Start, req.End): the
// window is widened to whole UTC dates and each page is one date (the
// page token names the next). Errors: a *wearables.ProviderError for a
// vendor response (matching wearables.ErrUnauthorized,
// wearables.ErrRateLimited …) or an unreadable body; an error matching
// wearables.ErrUnsupported for an unknown data type; wearables.ErrInvalid
// for an empty window, one longer than MaxDays, or a page token this
// provider did not issue; transport errors wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if req.DataType != DataMetrics {
		return wearables.FetchResult{}, fmt.Errorf("ultrahuman: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	first, last, err := dates(req.Start, req.End)
	if err != nil {
		return wearables.FetchResult{}, fmt.Errorf("ultrahuman: fetch %s: %w", req.DataType, err)
	}
	day := first
	if req.PageToken != "" {
		d, err := wearables.ParseDate(req.PageToken)
		if err != nil || d.String() != req.PageToken || d.Before(first) || last.Before(d) {
			return wearables.FetchResult{}, fmt.Errorf("ultrahuman: fetch %s: %w %q: %w", req.DataType, errBadToken, req.PageToken, wearables.ErrInvalid)
		}
		day = d
	}
	var doc rawResponse
	q := url.Values{"date": {day.String()}}
	if _, err := p.api.GetJSON(ctx, req.Client, "get daily metrics", pathMetrics, q, &doc); err != nil {
		return wearables.FetchResult{}, err
	}
	res, err := normalizeResponse(&doc, day)
	if err != nil {
		return wearables.FetchResult{}, fmt.Errorf("ultrahuman: get daily metrics %s: %w", day, err)
	}
	if day.Before(last) {
		res.NextPageToken = day.AddDays(1).String()
	}
	return res, nil
}

// dates returns the first and last UTC date of [start, end).
func dates(start, end time.Time) (wearables.Date, wearables.Date, error) {
	if !end.After(start) {
		return wearables.Date{}, wearables.Date{}, fmt.Errorf("window [%s, %s) is empty: %w",
			start.Format(time.RFC3339), end.Format(time.RFC3339), wearables.ErrInvalid)
	}
	if end.Sub(start) > MaxDays*24*time.Hour {
		return wearables.Date{}, wearables.Date{}, fmt.Errorf("window of %s is longer than %d days: %w", end.Sub(start), MaxDays, wearables.ErrInvalid)
	}
	return wearables.DateOf(start.UTC()), wearables.DateOf(end.Add(-time.Nanosecond).UTC()), nil
}

// ProviderUserID implements wearables.ProviderUserIDReader: it reads the
// user's id from GET /user_data/user_info (scope profile). Errors: a
// *wearables.ProviderError for a vendor response, wearables.ErrInvalid
// when the profile names no user.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	var info rawUserInfo
	if _, err := p.api.GetJSON(ctx, client, "get user info", pathUserInfo, nil, &info); err != nil {
		return "", err
	}
	if id := info.id(); id != "" {
		return id, nil
	}
	return "", fmt.Errorf("ultrahuman: get user info: the profile names no user: %w", wearables.ErrInvalid)
}

var (
	_ wearables.Provider             = (*Provider)(nil)
	_ wearables.ProviderUserIDReader = (*Provider)(nil)
)
