package strava

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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

// Default endpoints of the Strava API.
const (
	// DefaultBaseURL is the API root.
	DefaultBaseURL = "https://www.strava.com/api/v3"
	// DefaultAuthURL is the root of Strava's OAuth pages and endpoints
	// (/oauth/authorize, /oauth/token, /oauth/deauthorize).
	DefaultAuthURL = "https://www.strava.com"
)

// Defaults of Config.
const (
	// DefaultPageSize is how many activities a workouts page asks for
	// (Strava's own default). With details, a page costs 1 + DefaultPageSize
	// read requests: under a third of the default 15-minute read limit.
	DefaultPageSize = 30
	// DefaultStreamsPageSize is how many activities a DataStreams page asks
	// for; each costs one more request, and its streams hold a sample per
	// second or so of the activity.
	DefaultStreamsPageSize = 10
	// MaxPageSize is the largest per_page Strava accepts.
	MaxPageSize = 200
)

// DefaultScopes are the OAuth scopes requested by default: the athlete's
// profile and all their activities, including those visible only to them.
var DefaultScopes = []string{"read", "activity:read_all"}

// DataStreams is the data type of activity streams: per-second heart rate,
// power, cadence, speed, elevation, temperature and position, as samples.
// It costs one request per activity and stores thousands of samples per
// hour of exercise, so it is opt-in (Config.Streams).
const DataStreams wearables.DataType = "activity_streams"

// streamKeys are the streams asked for. Strava adds distance (and sometimes
// time) whatever the keys; distance is cumulative and not kept.
const streamKeys = "time,heartrate,watts,cadence,velocity_smooth,altitude,temp,latlng"

// Config configures the Strava provider. Every field is optional.
type Config struct {
	// BaseURL is the API root, including its /api/v3 prefix. Defaults to
	// DefaultBaseURL.
	BaseURL string
	// AuthURL is the root of the OAuth endpoints: the authorize page at
	// AuthURL + "/oauth/authorize", the token endpoint at "/oauth/token"
	// and revocation at "/oauth/deauthorize". Defaults to DefaultAuthURL.
	AuthURL string
	// Scopes requested at authorization. Defaults to DefaultScopes. Users
	// may untick scopes on Strava's consent page.
	Scopes []string
	// PageSize is how many activities a workouts page asks for, at most
	// MaxPageSize. Defaults to DefaultPageSize.
	PageSize int
	// StreamsPageSize is how many activities a DataStreams page asks for,
	// at most MaxPageSize. Defaults to DefaultStreamsPageSize.
	StreamsPageSize int
	// SkipDetails makes workouts pages use the activity list alone instead
	// of fetching each activity's detailed representation. It saves one
	// read request per activity, at a cost: no calories (energy then comes
	// only from a power meter's work) and no laps.
	SkipDetails bool
	// Streams enables DataStreams: DataTypes lists it, Fetch serves it and
	// ParseWebhook announces new activities for it.
	Streams bool
	// SubscriptionID is the id of the application's webhook subscription.
	// Strava does not sign webhooks; VerifyWebhook accepts only events that
	// name this subscription, and refuses everything while it is zero.
	SubscriptionID int64
	// VerifyToken is the hub.verify_token given when the subscription was
	// created; ChallengeHandler answers only validation requests carrying
	// it, and refuses everything while it is empty.
	VerifyToken string
	// Now is the clock used to compute when a rate window resets. Defaults
	// to time.Now.
	Now func() time.Time
}

// Provider is the Strava wearables.Provider. Build it with New; it is safe
// for concurrent use.
type Provider struct {
	cfg      Config
	authURL  string
	api      *providerhttp.API // the data API under BaseURL
	oauthAPI *providerhttp.API // the OAuth endpoints under AuthURL
}

// New returns a Strava provider configured by cfg.
func New(cfg Config) *Provider {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.AuthURL == "" {
		cfg.AuthURL = DefaultAuthURL
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	cfg.Scopes = append([]string(nil), cfg.Scopes...)
	cfg.PageSize = pageSize(cfg.PageSize, DefaultPageSize)
	cfg.StreamsPageSize = pageSize(cfg.StreamsPageSize, DefaultStreamsPageSize)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	authURL := strings.TrimRight(cfg.AuthURL, "/")
	return &Provider{
		cfg:      cfg,
		authURL:  authURL,
		api:      &providerhttp.API{Provider: wearables.ProviderStrava, BaseURL: strings.TrimRight(cfg.BaseURL, "/"), RateLimit: RateLimit, Now: cfg.Now},
		oauthAPI: &providerhttp.API{Provider: wearables.ProviderStrava, BaseURL: authURL, Now: cfg.Now},
	}
}

func pageSize(n, def int) int {
	switch {
	case n <= 0:
		return def
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}

// RateLimit names the one rate-limit header providerhttp's RateLimitHeaders
// can describe for Strava. Strava sends no reset header and no
// Retry-After: its windows reset on the clock (every quarter hour, and at
// midnight UTC for the daily one), and its limit and usage headers hold two
// values each. The provider computes the reset itself from
// X-RateLimit-Usage and X-ReadRateLimit-Usage (see Fetch).
var RateLimit = providerhttp.RateLimitHeaders{Limit: headerLimit}

// ID returns wearables.ProviderStrava.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderStrava }

// OAuth describes Strava's OAuth 2.0 endpoints: client credentials in the
// form body, no PKCE, refresh tokens that rotate. Strava wants its scopes
// comma-separated, so Scopes holds one element joining them with commas,
// which oauth2 sends unchanged ("read,activity:read_all").
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.authURL + "/oauth/authorize",
			TokenURL:  p.authURL + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes: []string{strings.Join(p.cfg.Scopes, ",")},
	}
}

// DataTypes returns wearables.DataWorkouts, and DataStreams when
// Config.Streams is set.
func (p *Provider) DataTypes() []wearables.DataType {
	if p.cfg.Streams {
		return []wearables.DataType{wearables.DataWorkouts, DataStreams}
	}
	return []wearables.DataType{wearables.DataWorkouts}
}

// Fetch returns one page of activities started in [req.Start, req.End),
// oldest first, from GET /athlete/activities (page-number pagination: the
// next page token is the next page number, and an empty page ends the
// window):
//
//   - wearables.DataWorkouts: one workout per activity. Unless
//     Config.SkipDetails, each activity's detailed representation (GET
//     /activities/{id}) replaces its summary, for calories and laps; an
//     activity whose detail answers 404 (deleted meanwhile) keeps its
//     summary.
//   - DataStreams: the samples of each activity's streams (GET
//     /activities/{id}/streams); manual activities have none and cost no
//     request.
//
// A page therefore costs one request plus one per activity, and fails as a
// whole: a rate limit hit on its tenth detail returns the error, no records.
// Errors: *wearables.ProviderError for vendor responses (matching
// wearables.ErrUnauthorized, ErrRateLimited — with ResetAt at the next
// quarter hour, or midnight UTC when a daily limit is used up — and so on),
// an error matching wearables.ErrUnsupported for an unknown data type (or
// DataStreams without Config.Streams), one matching wearables.ErrInvalid for
// a malformed page token, and transport errors wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	var size int
	switch req.DataType {
	case wearables.DataWorkouts:
		size = p.cfg.PageSize
	case DataStreams:
		if !p.cfg.Streams {
			return wearables.FetchResult{}, fmt.Errorf("strava: fetch %q: Config.Streams is off: %w", req.DataType, wearables.ErrUnsupported)
		}
		size = p.cfg.StreamsPageSize
	default:
		return wearables.FetchResult{}, fmt.Errorf("strava: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	page := 1
	if req.PageToken != "" {
		n, err := strconv.Atoi(req.PageToken)
		if err != nil || n < 1 {
			return wearables.FetchResult{}, fmt.Errorf("strava: fetch: page token %q is not a page number: %w", req.PageToken, wearables.ErrInvalid)
		}
		page = n
	}
	list, err := p.listActivities(ctx, req.Client, req.Start, req.End, page, size)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	var res wearables.FetchResult
	for i := range list {
		a := &list[i]
		if !inWindow(a, req.Start, req.End) {
			continue
		}
		switch req.DataType {
		case wearables.DataWorkouts:
			err = p.addWorkout(ctx, req.Client, a, !p.cfg.SkipDetails, &res)
		case DataStreams:
			err = p.addStreams(ctx, req.Client, a, &res)
		}
		if err != nil {
			return wearables.FetchResult{}, err
		}
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	if len(list) > 0 {
		res.NextPageToken = strconv.Itoa(page + 1)
	}
	return res, nil
}

// listActivities fetches one page of the athlete's activities in the
// window. Strava's after and before are epoch seconds; after is sent one
// second early so an activity starting exactly at the window's start is
// listed whether Strava compares strictly or not, and inWindow drops what
// lies outside. With after set, Strava lists oldest first.
func (p *Provider) listActivities(ctx context.Context, client *http.Client, start, end time.Time, page, size int) ([]rawActivity, error) {
	before := end.Unix()
	if end.Nanosecond() > 0 {
		before++
	}
	q := url.Values{
		"after":    {strconv.FormatInt(start.Unix()-1, 10)},
		"before":   {strconv.FormatInt(before, 10)},
		"page":     {strconv.Itoa(page)},
		"per_page": {strconv.Itoa(size)},
	}
	var list []rawActivity
	if err := p.getJSON(ctx, client, "list activities", "/athlete/activities", q, &list); err != nil {
		return nil, err
	}
	return list, nil
}

// inWindow reports whether a started in [start, end). Activities whose
// start cannot be read are kept, for normalization to reject with a reason.
func inWindow(a *rawActivity, start, end time.Time) bool {
	in, _, err := activityStart(a)
	if err != nil {
		return true
	}
	return !in.Time.Before(start) && in.Time.Before(end)
}

// addWorkout normalizes a into res, after replacing it with its detailed
// representation when detail is set.
func (p *Provider) addWorkout(ctx context.Context, client *http.Client, a *rawActivity, detail bool, res *wearables.FetchResult) error {
	if detail && a.ID != "" {
		var d rawActivity
		err := p.getJSON(ctx, client, "get activity", "/activities/"+string(a.ID), nil, &d)
		switch {
		case err == nil && d.ID == a.ID:
			a = &d
		case errors.Is(err, wearables.ErrNotFound):
			// Deleted (or made private to a read-only token) since it was
			// listed: keep the summary; a webhook or the next sync settles it.
		case err != nil:
			return err
		}
	}
	w, rej := normalizeActivity(a)
	if rej != nil {
		res.Rejected = append(res.Rejected, *rej)
		return nil
	}
	res.Records.Workouts = append(res.Records.Workouts, w)
	return nil
}

// addStreams fetches a's streams and normalizes them into res.
func (p *Provider) addStreams(ctx context.Context, client *http.Client, a *rawActivity, res *wearables.FetchResult) error {
	if a.Manual || a.ID == "" {
		return nil
	}
	var set rawStreamSet
	q := url.Values{"keys": {streamKeys}, "key_by_type": {"true"}}
	err := p.getJSON(ctx, client, "get activity streams", "/activities/"+string(a.ID)+"/streams", q, &set)
	if errors.Is(err, wearables.ErrNotFound) {
		return nil // deleted meanwhile, or no streams
	}
	if err != nil {
		return err
	}
	var rej *wearables.Rejection
	res.Records.Samples, rej = normalizeStreams(a, &set, res.Records.Samples)
	if rej != nil {
		res.Rejected = append(res.Rejected, *rej)
	}
	return nil
}

// FetchActivity fetches one activity by id, as a webhook event names it,
// for one data type:
//
//   - wearables.DataWorkouts: the detailed activity as a workout. When
//     Strava answers 404 — the activity was deleted, or made private while
//     the token only has activity:read — the result holds a wearables.Delete
//     of the workout instead, so a delete event (or an update that hid the
//     activity) is confirmed with the user's own token before anything is
//     removed;
//   - DataStreams: the activity's samples (two requests: the activity, then
//     its streams); 404 gives an empty result, since samples cannot be
//     deleted by record id.
//
// Records are validated like Fetch's. Errors are Fetch's.
func (p *Provider) FetchActivity(ctx context.Context, client *http.Client, dataType wearables.DataType, id string) (wearables.FetchResult, error) {
	if !isDecimalID([]byte(id)) {
		return wearables.FetchResult{}, fmt.Errorf("strava: fetch activity %q: not an activity id: %w", id, wearables.ErrInvalid)
	}
	if dataType != wearables.DataWorkouts && (dataType != DataStreams || !p.cfg.Streams) {
		return wearables.FetchResult{}, fmt.Errorf("strava: fetch activity %q: %w", dataType, wearables.ErrUnsupported)
	}
	var a rawActivity
	err := p.getJSON(ctx, client, "get activity", "/activities/"+id, nil, &a)
	var res wearables.FetchResult
	switch {
	case errors.Is(err, wearables.ErrNotFound):
		if dataType == wearables.DataWorkouts {
			res.Records.Deletes = []wearables.Delete{{Kind: wearables.KindWorkout, Provider: wearables.ProviderStrava, ProviderRecordID: id}}
		}
		return res, nil
	case err != nil:
		return wearables.FetchResult{}, err
	}
	if dataType == wearables.DataWorkouts {
		err = p.addWorkout(ctx, client, &a, false, &res)
	} else {
		err = p.addStreams(ctx, client, &a, &res)
	}
	if err != nil {
		return wearables.FetchResult{}, err
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res, nil
}

// getJSON is providerhttp.API.GetJSON with Strava's rate-window reset: on
// an error response it sets ProviderError.ResetAt from the usage headers
// (see rateLimitReset), which API cannot parse.
func (p *Provider) getJSON(ctx context.Context, client *http.Client, op, path string, q url.Values, out any) error {
	req, err := p.api.NewRequest(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("strava: %s: %w", op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		pe := p.api.Error(op, resp)
		if pe.Is(wearables.ErrRateLimited) && pe.ResetAt.IsZero() {
			pe.ResetAt = rateLimitReset(resp.Header, p.cfg.Now())
		}
		return pe
	}
	return p.api.DecodeJSON(op, resp, out)
}

// ProviderUserID returns the id of the athlete who authorized: Strava puts
// the athlete in the token response of the code exchange ({"athlete":
// {"id": 134815, …}}), read from tok.Extra("athlete"). Tokens without it
// (those from a refresh) fall back to GET /athlete with client. Errors are
// those of that request, or one matching wearables.ErrInvalid when the
// athlete has no id.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, tok *oauth2.Token) (string, error) {
	if tok != nil {
		if id, ok := athleteID(tok.Extra("athlete")); ok {
			return id, nil
		}
	}
	var me rawAthlete
	if err := p.getJSON(ctx, client, "get athlete", "/athlete", nil, &me); err != nil {
		return "", err
	}
	if me.ID == "" {
		return "", fmt.Errorf("strava: get athlete: no id: %w", wearables.ErrInvalid)
	}
	return string(me.ID), nil
}

// athleteID reads the id of the athlete object of a token response, as
// oauth2 decoded it (JSON numbers become float64).
func athleteID(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	switch id := m["id"].(type) {
	case float64:
		if id >= 1 && id < 1<<53 && id == math.Trunc(id) {
			return strconv.FormatInt(int64(id), 10), true
		}
	case json.Number:
		if isDecimalID([]byte(id)) {
			return id.String(), true
		}
	case string:
		if isDecimalID([]byte(id)) {
			return id, true
		}
	}
	return "", false
}

// Revoke deauthorizes the application for the token's athlete: POST
// /oauth/deauthorize with the access token, sent with client. Strava then
// invalidates every token of the athlete for this application and sends an
// athlete deauthorization webhook. tok must hold a valid access token: an
// expired one gets a *wearables.ProviderError matching
// wearables.ErrUnauthorized (refresh first). Other errors are vendor
// responses as *wearables.ProviderError and transport errors wrapped.
func (p *Provider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return fmt.Errorf("strava: deauthorize: no access token: %w", wearables.ErrInvalid)
	}
	form := url.Values{"access_token": {tok.AccessToken}}.Encode()
	req, err := p.oauthAPI.NewRequest(ctx, http.MethodPost, "/oauth/deauthorize", nil, strings.NewReader(form))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.oauthAPI.Do(client, "deauthorize", req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.Body.Close()
}

var (
	_ wearables.Provider             = (*Provider)(nil)
	_ wearables.ProviderUserIDReader = (*Provider)(nil)
	_ wearables.Revoker              = (*Provider)(nil)
	_ wearables.WebhookHandler       = (*Provider)(nil)
)
