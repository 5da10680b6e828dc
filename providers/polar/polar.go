package polar

import (
	"context"
	"encoding/json"
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

// Default endpoints of Polar AccessLink. The API, the consent page and the
// token endpoint live on three different hosts.
const (
	DefaultBaseURL      = "https://www.polaraccesslink.com"
	DefaultAuthorizeURL = "https://flow.polar.com/oauth2/authorization"
	DefaultTokenURL     = "https://polarremote.com/v2/oauth2/token"
)

// Scope is AccessLink's only OAuth scope: read access to everything.
const Scope = "accesslink.read_all"

// Data types of the Polar provider beyond the generic wearables.DataWorkouts,
// wearables.DataSleep, wearables.DataDailySummaries and wearables.DataBody.
const (
	// DataContinuousHeartRate is 5-minute heart rate outside exercises.
	DataContinuousHeartRate wearables.DataType = "continuous_heart_rate"
	// DataNightlyRecharge is Nightly Recharge: the recovery status, the ANS
	// charge and overnight HRV (RMSSD) and breathing rate.
	DataNightlyRecharge wearables.DataType = "nightly_recharge"
)

// Limits of the AccessLink routes Fetch respects.
const (
	// MaxRangeDays is the most days one request of the date-ranged routes
	// (activities, continuous heart rate) covers, both ends included;
	// Fetch pages through longer windows in chunks of this size.
	MaxRangeDays = 28
	// ActivityHistoryDays is how far back /v3/users/activities answers;
	// Fetch does not ask for older days (Polar answers them with 400).
	ActivityHistoryDays = 365
)

// RateLimit returns how AccessLink reports its rate limits: RateLimit-Limit
// and RateLimit-Reset (seconds until the window resets; with one value per
// window, "900, 86400", the first, the 15-minute window, counts). Polar's
// third header, RateLimit-Usage, counts requests used and has no field in
// providerhttp.RateLimitHeaders. Whether 429s carry Retry-After is not
// documented; providerhttp parses it whenever it is there.
func RateLimit() providerhttp.RateLimitHeaders {
	return providerhttp.RateLimitHeaders{Limit: "RateLimit-Limit", Reset: "RateLimit-Reset"}
}

// Config configures the Polar provider. ClientID and ClientSecret are
// required for the webhook management calls (AccessLink authenticates them
// with HTTP Basic); everything else has a documented default.
type Config struct {
	// ClientID and ClientSecret are the AccessLink client's credentials.
	ClientID, ClientSecret string
	// BaseURL is the API root. Defaults to DefaultBaseURL.
	BaseURL string
	// AuthorizeURL is the consent page. Defaults to DefaultAuthorizeURL.
	AuthorizeURL string
	// TokenURL is the token endpoint. Defaults to DefaultTokenURL.
	TokenURL string
	// HTTPClient sends the calls made with the client's own credentials
	// (webhook management). Defaults to http.DefaultClient. Calls made for
	// a user use the client passed in with the request.
	HTTPClient *http.Client
	// WebhookSecret is the webhook's signature_secret_key, which Polar
	// returns once, when the webhook is created (see CreateWebhook). Store
	// it encrypted. When set, VerifyWebhook uses it and not Secrets; while
	// neither gives a secret, VerifyWebhook refuses every signed
	// notification.
	WebhookSecret string
	// Secrets, when set, keeps the webhook's signature secret under the
	// name SecretWebhookSignature for every process sharing it — use
	// oauthflow.AppSecrets over the deployment's store, which seals it with
	// the token keyring. EnsureSubscriptions stores the secret of a webhook
	// it creates there before returning, and VerifyWebhook (when
	// WebhookSecret is empty) reads it from there: once, then again when a
	// signature does not match or no secret was stored, at most once every
	// 10 seconds, so that a webhook created by another process is picked
	// up without letting forged notifications hammer the store.
	Secrets wearables.SecretKeeper
	// MemberID returns the member-id ProviderUserID registers a Polar user
	// with: the partner's own identifier for the user, which Polar stores
	// and shows back. Defaults to the Polar user id itself, so nothing about
	// the embedding application's users reaches Polar.
	MemberID func(polarUserID string) string
	// OnWebhookCreated receives a webhook EnsureSubscriptions created,
	// with its one-time signature_secret_key, after Secrets (when set) has
	// stored the secret: to keep it elsewhere, or to hand it to the
	// provider's WebhookSecret when Secrets is nil. When it fails,
	// EnsureSubscriptions deletes the webhook again, since its secret may be
	// lost. With both OnWebhookCreated and Secrets nil, EnsureSubscriptions
	// refuses to create a webhook.
	OnWebhookCreated func(ctx context.Context, w Webhook) error
	// Location returns the time zone of a connection's user. Polar sends
	// continuous heart rate, daily activity and Nightly Recharge samples in
	// device-local wall time without an offset; Fetch places them in this
	// zone, and a DST night's hypnogram with it. Nil (or a nil zone) falls
	// back to FetchRequest.Location (the syncer passes the user's
	// TimeZone); with neither, they are read as UTC and stamped
	// wearables.NoOffset, which shifts their instants by the user's UTC
	// offset. It is called once per Fetch of
	// those feeds (sleep, Nightly Recharge, daily summaries, continuous
	// heart rate), so it should be cheap (cache loaded zones).
	Location func(ctx context.Context, conn wearables.Connection) (*time.Location, error)
	// Now is the clock for the activity history limit and for how often
	// VerifyWebhook re-reads the stored secret. Defaults to time.Now.
	Now func() time.Time
}

// Provider is the Polar AccessLink wearables.Provider. Build it with New;
// it is safe for concurrent use.
type Provider struct {
	cfg  Config
	api  *providerhttp.API
	hook *storedSecret // the webhook secret read through cfg.Secrets
}

// New returns the Polar provider configured by cfg, with defaults filled in.
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
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.MemberID == nil {
		cfg.MemberID = func(id string) string { return id }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Provider{
		cfg:  cfg,
		api:  &providerhttp.API{Provider: wearables.ProviderPolar, BaseURL: cfg.BaseURL, RateLimit: RateLimit()},
		hook: &storedSecret{sem: make(chan struct{}, 1)},
	}
}

// ID returns wearables.ProviderPolar.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderPolar }

// OAuth describes Polar's OAuth 2.0: client credentials in an HTTP Basic
// header at the token endpoint, no PKCE, the single scope
// accesslink.read_all. The token response carries x_user_id, the Polar
// user id, and no refresh token: access tokens are long-lived.
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.cfg.AuthorizeURL,
			TokenURL:  p.cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInHeader,
		},
		Scopes: []string{Scope},
	}
}

// DataTypes lists the feeds: workouts (exercises), sleep, Nightly
// Recharge, daily summaries (daily activity), continuous heart rate and
// body (physical info).
func (p *Provider) DataTypes() []wearables.DataType {
	return []wearables.DataType{
		wearables.DataWorkouts,
		wearables.DataSleep,
		DataNightlyRecharge,
		wearables.DataDailySummaries,
		DataContinuousHeartRate,
		wearables.DataBody,
	}
}

// window is a fetch window as the normalizers see it: the instants, the
// calendar days they cover (their UTC dates, both ends included) and the
// user's zone for device-local times (nil when unknown).
type window struct {
	start, end time.Time
	from, to   wearables.Date
	loc        *time.Location
}

// newWindow returns the window [start, end).
func newWindow(start, end time.Time, loc *time.Location) window {
	return window{
		start: start, end: end,
		from: wearables.DateOf(start.UTC()),
		to:   wearables.DateOf(end.UTC().Add(-time.Nanosecond)),
		loc:  loc,
	}
}

// hasDate reports whether day d is one of the window's days.
func (w window) hasDate(d wearables.Date) bool { return !d.Before(w.from) && !w.to.Before(d) }

// hasTime reports whether t is in [start, end).
func (w window) hasTime(t time.Time) bool { return !t.Before(w.start) && t.Before(w.end) }

// Fetch returns one page of one data type for [req.Start, req.End).
//
// Exercises, sleep and Nightly Recharge come from AccessLink's
// non-transactional list routes, which take no dates (the last 30, 28 and
// 28 days): one request per window, filtered here. An exercise belongs to
// a window when it started or was uploaded in it, so a late upload is not
// missed; sleep and Nightly Recharge when their date (the local day the
// night ends on) is one of the window's UTC dates. Daily activity and
// continuous heart rate take from/to dates and are paged in chunks of
// MaxRangeDays; the page token is the next chunk's first date. Physical
// info is the current snapshot, returned whatever the window.
//
// Errors: *wearables.ProviderError for vendor responses (matching
// wearables.ErrUnauthorized, ErrRateLimited …) and for bodies that are not
// the documented shape; an error matching wearables.ErrUnsupported for an
// unknown data type and wearables.ErrInvalid for an empty window or a bad
// page token; transport and Config.Location errors wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if !req.End.After(req.Start) {
		return wearables.FetchResult{}, fmt.Errorf("polar: fetch %s: window [%s, %s) is empty: %w",
			req.DataType, req.Start.Format(time.RFC3339), req.End.Format(time.RFC3339), wearables.ErrInvalid)
	}
	// Exercises carry their own offsets and physical info has none to
	// place: only the other feeds need the user's zone — Config.Location's
	// answer, else the request's (the user's TimeZone, which the syncer
	// passes).
	loc := req.Location
	needsZone := req.DataType != wearables.DataWorkouts && req.DataType != wearables.DataBody
	if p.cfg.Location != nil && needsZone {
		l, err := p.cfg.Location(ctx, req.Connection)
		if err != nil {
			return wearables.FetchResult{}, fmt.Errorf("polar: fetch %s: user time zone: %w", req.DataType, err)
		}
		if l != nil {
			loc = l
		}
	}
	w := newWindow(req.Start, req.End, loc)
	switch req.DataType {
	case wearables.DataWorkouts:
		q := url.Values{"samples": {"true"}, "zones": {"true"}, "route": {"true"}}
		return p.list(ctx, req, "list exercises", "/v3/exercises", q, w, parseExercises)
	case wearables.DataSleep:
		return p.list(ctx, req, "list sleep", "/v3/users/sleep", nil, w, parseNights)
	case DataNightlyRecharge:
		return p.list(ctx, req, "list nightly recharge", "/v3/users/nightly-recharge", nil, w, parseRecharges)
	case wearables.DataDailySummaries:
		return p.ranged(ctx, req, "list activities", "/v3/users/activities",
			url.Values{"steps": {"true"}, "activity_zones": {"true"}}, w, true, parseActivities)
	case DataContinuousHeartRate:
		return p.ranged(ctx, req, "list continuous heart rate", "/v3/users/continuous-heart-rate", nil, w, false, parseHeartRates)
	case wearables.DataBody:
		return p.list(ctx, req, "get physical info", "/v3/users/physical-info", nil, w, parsePhysicalInfo)
	}
	return wearables.FetchResult{}, fmt.Errorf("polar: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
}

// pageParser decodes and normalizes one response body.
type pageParser func(body []byte, w window) (wearables.FetchResult, error)

// list fetches a route that answers in one response.
func (p *Provider) list(ctx context.Context, req wearables.FetchRequest, op, path string, q url.Values, w window, parse pageParser) (wearables.FetchResult, error) {
	if req.PageToken != "" {
		return wearables.FetchResult{}, fmt.Errorf("polar: %s: page token %q for a route without pages: %w", op, req.PageToken, wearables.ErrInvalid)
	}
	return p.get(ctx, req.Client, op, path, q, w, parse)
}

// ranged fetches one chunk of a from/to route. limited applies the
// activity history limit.
func (p *Provider) ranged(ctx context.Context, req wearables.FetchRequest, op, path string, q url.Values, w window, limited bool, parse pageParser) (wearables.FetchResult, error) {
	from := w.from
	if req.PageToken != "" {
		d, err := wearables.ParseDate(req.PageToken)
		if err != nil || d.Before(w.from) || w.to.Before(d) {
			return wearables.FetchResult{}, fmt.Errorf("polar: %s: page token %q is not a date of the window: %w", op, req.PageToken, wearables.ErrInvalid)
		}
		from = d
	}
	if limited {
		if oldest := wearables.DateOf(p.cfg.Now().UTC()).AddDays(-(ActivityHistoryDays - 1)); from.Before(oldest) {
			from = oldest
		}
	}
	if w.to.Before(from) {
		return wearables.FetchResult{}, nil // the whole window is older than Polar keeps
	}
	to := from.AddDays(MaxRangeDays - 1)
	if w.to.Before(to) {
		to = w.to
	}
	query := url.Values{"from": {from.String()}, "to": {to.String()}}
	for k, v := range q {
		query[k] = v
	}
	res, err := p.get(ctx, req.Client, op, path, query, w, parse)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	if to.Before(w.to) {
		res.NextPageToken = to.AddDays(1).String()
	}
	return res, nil
}

// get sends one request and parses its body.
func (p *Provider) get(ctx context.Context, client *http.Client, op, path string, q url.Values, w window, parse pageParser) (wearables.FetchResult, error) {
	var body json.RawMessage
	if _, err := p.api.GetJSON(ctx, client, op, path, q, &body); err != nil {
		return wearables.FetchResult{}, err
	}
	res, err := parse(body, w)
	if err != nil {
		return wearables.FetchResult{}, &wearables.ProviderError{
			Provider:   wearables.ProviderPolar,
			Op:         op,
			StatusCode: http.StatusOK,
			Err:        fmt.Errorf("%w: %w", providerhttp.ErrMalformedBody, err),
		}
	}
	return res, nil
}

// decodeItems decodes a page's records one by one, after the page as a
// whole failed to decode: a record that does not decode becomes a
// rejection and the rest of the page proceeds.
func decodeItems[T any](raws []json.RawMessage, kind wearables.RecordKind) ([]T, []wearables.Rejection) {
	items := make([]T, 0, len(raws))
	var rej []wearables.Rejection
	for _, r := range raws {
		var v T
		if err := json.Unmarshal(r, &v); err != nil {
			var id struct {
				ID   json.RawMessage `json:"id"`
				Date string          `json:"date"`
			}
			_ = json.Unmarshal(r, &id)
			pid := strings.Trim(string(id.ID), `"`)
			if pid == "" {
				pid = id.Date
			}
			rej = append(rej, wearables.Rejection{Kind: kind, ProviderRecordID: pid, Reason: "malformed record: " + err.Error()})
			continue
		}
		items = append(items, v)
	}
	return items, rej
}

// isSyntax reports whether err is a JSON syntax error (a body that is not
// JSON at all), as opposed to a record of an unexpected shape.
func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

var (
	_ wearables.Provider             = (*Provider)(nil)
	_ wearables.ProviderUserIDReader = (*Provider)(nil)
	_ wearables.Revoker              = (*Provider)(nil)
	_ wearables.WebhookHandler       = (*Provider)(nil)
	_ wearables.SubscriptionManager  = (*Provider)(nil)
)
