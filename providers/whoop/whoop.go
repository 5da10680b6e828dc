package whoop

import (
	"context"
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

// Default endpoints of the WHOOP API.
const (
	// DefaultBaseURL is the API root; every data path starts with /v2.
	DefaultBaseURL = "https://api.prod.whoop.com/developer"
	// DefaultAuthURL is the consent page.
	DefaultAuthURL = "https://api.prod.whoop.com/oauth/oauth2/auth"
	// DefaultTokenURL is the token endpoint.
	DefaultTokenURL = "https://api.prod.whoop.com/oauth/oauth2/token"
)

// Defaults of Config.
const (
	// MaxPageSize is the largest limit WHOOP's collections accept, and the
	// default Config.PageSize.
	MaxPageSize = 25
	// DefaultWebhookTolerance is how far a webhook's
	// X-WHOOP-Signature-Timestamp may be from now.
	DefaultWebhookTolerance = 5 * time.Minute
)

// DataCycles is the feed of physiological cycles and their recoveries. The
// generic wearables.DataSleep and wearables.DataWorkouts are the other two.
const DataCycles wearables.DataType = "cycles"

// DefaultScopes are the OAuth scopes requested by default: every read
// scope the provider uses, and offline, without which WHOOP issues no
// refresh token and the user would have to reconnect every hour.
func DefaultScopes() []string {
	return []string{"offline", "read:cycles", "read:recovery", "read:sleep", "read:workout", "read:profile", "read:body_measurement"}
}

// RateLimit is how WHOOP reports its rate limits (100 requests a minute and
// 10,000 a day per app): X-RateLimit-Limit, X-RateLimit-Remaining, and
// X-RateLimit-Reset in seconds until the window resets. A 429's
// Retry-After, if WHOOP sends one, is parsed too.
var RateLimit = providerhttp.RateLimitHeaders{
	Limit:     "X-RateLimit-Limit",
	Remaining: "X-RateLimit-Remaining",
	Reset:     "X-RateLimit-Reset",
}

// Config configures the WHOOP provider. Only ClientSecret is needed, and
// only to verify webhooks; every other field has a documented default.
type Config struct {
	// ClientSecret is the app's OAuth client secret. WHOOP signs webhooks
	// with it.
	ClientSecret string
	// Scopes requested at authorization. Defaults to DefaultScopes().
	Scopes []string
	// BaseURL is the API root including its /developer prefix. Defaults
	// to DefaultBaseURL.
	BaseURL string
	// AuthURL is the consent page. Defaults to DefaultAuthURL.
	AuthURL string
	// TokenURL is the token endpoint. Defaults to DefaultTokenURL.
	TokenURL string
	// HTTPClient is used by calls given a nil *http.Client. Defaults to
	// http.DefaultClient. Calls made for a user use the client passed in
	// with the request, which carries the user's token.
	HTTPClient *http.Client
	// PageSize is the limit sent with every collection request, 1 to
	// MaxPageSize. Defaults to MaxPageSize.
	PageSize int
	// WebhookTolerance bounds how far a webhook's timestamp may be from
	// now, either way. Defaults to DefaultWebhookTolerance.
	WebhookTolerance time.Duration
	// Now is the clock webhook timestamps are checked against. Defaults to
	// time.Now.
	Now func() time.Time
}

// Provider is the WHOOP wearables.Provider. Build it with New; it is safe
// for concurrent use.
type Provider struct {
	cfg Config
	api *providerhttp.API
}

// New returns the WHOOP provider configured by cfg, with defaults filled in.
func New(cfg Config) *Provider {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.AuthURL == "" {
		cfg.AuthURL = DefaultAuthURL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = DefaultTokenURL
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes()
	}
	cfg.Scopes = append([]string(nil), cfg.Scopes...)
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.PageSize <= 0 || cfg.PageSize > MaxPageSize {
		cfg.PageSize = MaxPageSize
	}
	if cfg.WebhookTolerance <= 0 {
		cfg.WebhookTolerance = DefaultWebhookTolerance
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Provider{
		cfg: cfg,
		api: &providerhttp.API{Provider: wearables.ProviderWhoop, BaseURL: cfg.BaseURL, RateLimit: RateLimit},
	}
}

// ID returns wearables.ProviderWhoop.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderWhoop }

// OAuth describes WHOOP's OAuth 2.0 endpoints: authorization code with
// PKCE (S256) offered, client credentials in the token request body, and
// refresh tokens that rotate on every use (issued only with the offline
// scope). WHOOP requires a state of at least 8 characters.
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.cfg.AuthURL,
			TokenURL:  p.cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes: append([]string(nil), p.cfg.Scopes...),
		PKCE:   true,
	}
}

// DataTypes lists the WHOOP feeds: DataCycles, wearables.DataSleep and
// wearables.DataWorkouts.
func (p *Provider) DataTypes() []wearables.DataType {
	return []wearables.DataType{DataCycles, wearables.DataSleep, wearables.DataWorkouts}
}

// Paths of the WHOOP collections, relative to BaseURL.
const (
	pathCycles   = "/v2/cycle"
	pathRecovery = "/v2/recovery"
	pathSleep    = "/v2/activity/sleep"
	pathWorkouts = "/v2/activity/workout"
	pathProfile  = "/v2/user/profile/basic"
	pathAccess   = "/v2/user/access"
)

// maxRecoveryPages bounds the recovery requests of one cycles page. The
// recoveries of at most PageSize cycles fit on one page; a second is only
// ever needed at a window edge.
const maxRecoveryPages = 3

// Fetch returns one page of one data type for [req.Start, req.End). A
// cycles page also carries the recoveries of its cycles (one more
// request). Errors: a *wearables.ProviderError for a vendor response
// (matching wearables.ErrUnauthorized, wearables.ErrRateLimited …) or an
// unreadable body; an error matching wearables.ErrUnsupported for an
// unknown data type and wearables.ErrInvalid for an empty window;
// transport errors wrapped. A failed fetch returns no records.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if req.DataType != DataCycles && req.DataType != wearables.DataSleep && req.DataType != wearables.DataWorkouts {
		return wearables.FetchResult{}, fmt.Errorf("whoop: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	if !req.End.After(req.Start) {
		return wearables.FetchResult{}, fmt.Errorf("whoop: fetch %s: window [%s, %s) is empty: %w",
			req.DataType, req.Start.Format(time.RFC3339), req.End.Format(time.RFC3339), wearables.ErrInvalid)
	}
	client := p.client(req.Client)
	q := p.window(req.Start, req.End)
	if req.PageToken != "" {
		q.Set("nextToken", req.PageToken)
	}
	var (
		res  wearables.FetchResult
		next string
	)
	switch req.DataType {
	case DataCycles:
		var cycles page[rawCycle]
		if err := p.get(ctx, client, "list cycles", pathCycles, q, &cycles); err != nil {
			return wearables.FetchResult{}, err
		}
		recoveries, err := p.recoveriesFor(ctx, client, cycles.Records, req.End)
		if err != nil {
			return wearables.FetchResult{}, err
		}
		res, next = normalizeCycles(cycles.Records, recoveries), cycles.next()
	case wearables.DataSleep:
		var sleeps page[rawSleep]
		if err := p.get(ctx, client, "list sleep", pathSleep, q, &sleeps); err != nil {
			return wearables.FetchResult{}, err
		}
		res, next = normalizeSleeps(sleeps.Records), sleeps.next()
	case wearables.DataWorkouts:
		var workouts page[rawWorkout]
		if err := p.get(ctx, client, "list workouts", pathWorkouts, q, &workouts); err != nil {
			return wearables.FetchResult{}, err
		}
		res, next = normalizeWorkouts(workouts.Records), workouts.next()
	}
	res.NextPageToken = next
	return res, nil
}

// recoveriesFor fetches the recoveries of a page of cycles: WHOOP files a
// recovery under the sleep that starts its cycle, so the recoveries of
// these cycles are those in the span the cycles cover. The recovery
// payload carries no UTC offset; joined to its cycle by cycle_id it gets
// the cycle's.
func (p *Provider) recoveriesFor(ctx context.Context, client *http.Client, cycles []rawCycle, windowEnd time.Time) ([]rawRecovery, error) {
	lo, hi, ok := cycleSpan(cycles, windowEnd)
	if !ok {
		return nil, nil
	}
	q := p.window(lo, hi)
	var out []rawRecovery
	for range maxRecoveryPages {
		var recs page[rawRecovery]
		if err := p.get(ctx, client, "list recovery", pathRecovery, q, &recs); err != nil {
			return nil, err
		}
		out = append(out, recs.Records...)
		next := recs.next()
		if next == "" || next == q.Get("nextToken") {
			break
		}
		q.Set("nextToken", next)
	}
	return out, nil
}

// cycleSpan returns the span [lo, hi) a page of cycles covers: from the
// earliest start to the latest end, an ongoing cycle counting until
// windowEnd. It reports false when no cycle has a readable start.
func cycleSpan(cycles []rawCycle, windowEnd time.Time) (lo, hi time.Time, ok bool) {
	for _, c := range cycles {
		start, err := normalize.ParseRFC3339(c.Start)
		if err != nil {
			continue
		}
		end := windowEnd
		if c.End != nil {
			if e, err := normalize.ParseRFC3339(*c.End); err == nil {
				end = e.Time
			}
		}
		if !ok || start.Time.Before(lo) {
			lo = start.Time
		}
		if !ok || end.After(hi) {
			hi = end
		}
		ok = true
	}
	if ok && !hi.After(lo) {
		hi = lo.Add(time.Millisecond)
	}
	return lo, hi, ok
}

// window returns the query of a collection request for [start, end).
func (p *Provider) window(start, end time.Time) url.Values {
	return url.Values{
		"start": {formatTime(start)},
		"end":   {formatTime(end)},
		"limit": {strconv.Itoa(p.cfg.PageSize)},
	}
}

// formatTime writes an instant as WHOOP writes them: UTC with milliseconds,
// "2024-03-10T07:00:00.000Z".
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// get sends one GET and decodes the JSON answer.
func (p *Provider) get(ctx context.Context, client *http.Client, op, path string, q url.Values, out any) error {
	_, err := p.api.GetJSON(ctx, client, op, path, q, out)
	return err
}

func (p *Provider) client(c *http.Client) *http.Client {
	if c == nil {
		return p.cfg.HTTPClient
	}
	return c
}

// ProviderUserID implements wearables.ProviderUserIDReader: the user_id of
// /v2/user/profile/basic (needs the read:profile scope), which webhooks
// carry as user_id. client must carry the user's token. Errors are those
// of Fetch; an answer without a user id matches wearables.ErrInvalid.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	var prof rawProfile
	if err := p.get(ctx, p.client(client), "get profile", pathProfile, nil, &prof); err != nil {
		return "", err
	}
	if prof.UserID == "" {
		return "", fmt.Errorf("whoop: get profile: no user_id: %w", wearables.ErrInvalid)
	}
	return string(prof.UserID), nil
}

// Revoke implements wearables.Revoker: DELETE /v2/user/access with tok as
// the bearer token. WHOOP then also stops sending this user's webhooks.
// A nil or empty token matches wearables.ErrInvalid; a vendor error is a
// *wearables.ProviderError.
func (p *Provider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return fmt.Errorf("whoop: revoke: no access token: %w", wearables.ErrInvalid)
	}
	req, err := p.api.NewRequest(ctx, http.MethodDelete, pathAccess, nil, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := p.api.Do(p.client(client), "revoke", req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var (
	_ wearables.Provider             = (*Provider)(nil)
	_ wearables.ProviderUserIDReader = (*Provider)(nil)
	_ wearables.Revoker              = (*Provider)(nil)
	_ wearables.WebhookHandler       = (*Provider)(nil)
)
