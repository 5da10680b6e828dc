package coros

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

// Default endpoints of the COROS partner API.
const (
	DefaultBaseURL = "https://open.coros.com"
	// DefaultAuthorizeURL is the consent page.
	DefaultAuthorizeURL = DefaultBaseURL + "/oauth2/authorize"
	// DefaultTokenURL is the code exchange endpoint.
	DefaultTokenURL = DefaultBaseURL + "/oauth2/accesstoken"
)

// Routes under Config.BaseURL.
const (
	pathWorkouts    = "/v2/coros/sport/list"
	pathDeauthorize = "/oauth2/deauthorize"
)

// dateLayout is how COROS writes dates in requests: YYYYMMDD.
const dateLayout = "20060102"

// Limits of the provider.
const (
	// WindowDays is how many dates one workout-list request covers; Fetch
	// walks a longer window in chunks of WindowDays, the page token naming
	// the chunk. COROS's own limit is not public; 30 days is assumed.
	WindowDays = 30
	// maxChunks bounds a window (about 21 years of chunks).
	maxChunks = 256
)

// Webhook headers: COROS is assumed to send the partner's client id and
// secret with each workout push (see the package documentation).
const (
	ClientHeader = "client"
	SecretHeader = "secret"
)

// RateLimit is how COROS reports rate limits: it publishes none, so a 429
// with Retry-After is assumed.
var RateLimit = providerhttp.RateLimitHeaders{RetryAfter: true}

// Config configures the COROS provider. ClientID and ClientSecret are
// required; every other field has a documented default. String redacts
// the secret.
type Config struct {
	// ClientID and ClientSecret are the partner application's credentials
	// (the token endpoint takes them in the form body; webhooks carry
	// them).
	ClientID, ClientSecret string
	// BaseURL is the API root. Defaults to DefaultBaseURL.
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
	return fmt.Sprintf("coros.Config{ClientID:%q ClientSecret:%s BaseURL:%q}", c.ClientID, secret, c.BaseURL)
}

// GoString describes c without its secret.
func (c Config) GoString() string { return c.String() }

// Provider is the COROS wearables.Provider. Build it with New; it is safe
// for concurrent use.
type Provider struct {
	cfg Config
	api *providerhttp.API
}

// New returns the COROS provider configured by cfg, with defaults filled
// in.
func New(cfg Config) *Provider {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.AuthorizeURL == "" {
		cfg.AuthorizeURL = cfg.BaseURL + "/oauth2/authorize"
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = cfg.BaseURL + "/oauth2/accesstoken"
	}
	return &Provider{cfg: cfg, api: &providerhttp.API{Provider: wearables.ProviderCoros, BaseURL: cfg.BaseURL, RateLimit: RateLimit}}
}

// ID returns wearables.ProviderCoros.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderCoros }

// OAuth describes COROS's OAuth 2.0 endpoints: authorization code without
// PKCE, client credentials in the form body, no scopes.
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.cfg.AuthorizeURL,
			TokenURL:  p.cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// DataTypes lists the one COROS feed: workouts.
func (p *Provider) DataTypes() []wearables.DataType {
	return []wearables.DataType{wearables.DataWorkouts}
}

// errBadToken is in the chain of errors about a page token this provider
// did not issue.
var errBadToken = errors.New("malformed page token")

// Fetch returns one chunk of workouts of [req.Start, req.End): the window
// is widened to whole UTC dates and asked for WindowDays dates at a time
// (startDate and endDate inclusive), the page token naming the next chunk.
// The user is req.Connection.ProviderUserID, COROS's openId. Errors: a
// *wearables.ProviderError for a vendor response (matching
// wearables.ErrUnauthorized, wearables.ErrRateLimited …), an unreadable
// body, or a result other than "0000"; wearables.ErrUnsupported for an
// unknown data type; wearables.ErrInvalid for an empty window, a
// connection without openId, or a page token this provider did not issue;
// transport errors wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if req.DataType != wearables.DataWorkouts {
		return wearables.FetchResult{}, fmt.Errorf("coros: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	if !req.End.After(req.Start) {
		return wearables.FetchResult{}, fmt.Errorf("coros: fetch workouts: window [%s, %s) is empty: %w",
			req.Start.Format(time.RFC3339), req.End.Format(time.RFC3339), wearables.ErrInvalid)
	}
	openID := req.Connection.ProviderUserID
	if openID == "" {
		return wearables.FetchResult{}, fmt.Errorf("coros: fetch workouts: the connection has no openId: %w", wearables.ErrInvalid)
	}
	first := wearables.DateOf(req.Start.UTC())
	last := wearables.DateOf(req.End.Add(-time.Nanosecond).UTC())
	n := 0
	if req.PageToken != "" {
		var err error
		n, err = strconv.Atoi(req.PageToken)
		if err != nil || n <= 0 || n > maxChunks || req.PageToken[0] == '+' {
			return wearables.FetchResult{}, fmt.Errorf("coros: fetch workouts: %w %q: %w", errBadToken, req.PageToken, wearables.ErrInvalid)
		}
	}
	from := first.AddDays(n * WindowDays)
	if last.Before(from) {
		return wearables.FetchResult{}, fmt.Errorf("coros: fetch workouts: %w %q: past the window: %w", errBadToken, req.PageToken, wearables.ErrInvalid)
	}
	to := from.AddDays(WindowDays - 1)
	next := ""
	if last.Before(to) {
		to = last
	} else if to.Before(last) {
		next = strconv.Itoa(n + 1)
	}
	q := url.Values{
		"openId":    {openID},
		"startDate": {compact(from)},
		"endDate":   {compact(to)},
	}
	var env rawEnvelope
	_, err := p.api.GetJSON(ctx, req.Client, "list workouts", pathWorkouts, q, &env)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	if err := p.resultError("list workouts", &env); err != nil {
		return wearables.FetchResult{}, err
	}
	res := normalizeWorkouts(env.Data, "")
	res.NextPageToken = next
	return res, nil
}

// compact writes d as YYYYMMDD.
func compact(d wearables.Date) string { return d.In(time.UTC).Format(dateLayout) }

// errVendor is in the chain of an error COROS reports in a 200 response's
// result code.
var errVendor = errors.New("COROS result code")

// resultError turns a result other than "0000" into a
// *wearables.ProviderError carrying the code (as StatusCode when it is a
// number) and message.
func (p *Provider) resultError(op string, env *rawEnvelope) error {
	if env.Result == "0000" {
		return nil
	}
	code, _ := strconv.Atoi(env.Result)
	msg := env.Message
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return &wearables.ProviderError{
		Provider:   wearables.ProviderCoros,
		Op:         op,
		StatusCode: code,
		Body:       []byte(msg),
		Err:        fmt.Errorf("%w %q: %s", errVendor, env.Result, msg),
	}
}

// ProviderUserID implements wearables.ProviderUserIDReader: COROS's
// openId, which the token response carries. It makes no request. A
// token without openId is an error matching wearables.ErrInvalid.
func (p *Provider) ProviderUserID(_ context.Context, _ *http.Client, tok *oauth2.Token) (string, error) {
	if tok == nil {
		return "", fmt.Errorf("coros: provider user id: no token: %w", wearables.ErrInvalid)
	}
	switch v := tok.Extra("openId").(type) {
	case string:
		if v != "" {
			return v, nil
		}
	case float64:
		if v > 0 && v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10), nil
		}
	}
	return "", fmt.Errorf("coros: provider user id: the token response has no openId: %w", wearables.ErrInvalid)
}

// Revoke implements wearables.Revoker: it deauthorizes the access token
// (POST /oauth2/deauthorize, form token=…), ending the partner's access
// to the user. Errors: a *wearables.ProviderError for a vendor response;
// wearables.ErrInvalid without an access token.
func (p *Provider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return fmt.Errorf("coros: revoke: no access token: %w", wearables.ErrInvalid)
	}
	form := url.Values{"token": {tok.AccessToken}}
	req, err := p.api.NewRequest(ctx, http.MethodPost, pathDeauthorize, nil, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.api.Do(client, "revoke", req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

var (
	_ wearables.Provider             = (*Provider)(nil)
	_ wearables.ProviderUserIDReader = (*Provider)(nil)
	_ wearables.Revoker              = (*Provider)(nil)
)
