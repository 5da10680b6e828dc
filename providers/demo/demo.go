// Package demo is a synthetic provider for trying the platform without any
// vendor account. It has two halves that talk HTTP to each other exactly
// like a real vendor and its provider package:
//
//   - Handler is the demo vendor: an OAuth 2.0 server (a consent page,
//     a token endpoint with PKCE and rotating refresh tokens, revocation)
//     and a data API that serves a plausible, deterministic year of one
//     synthetic person per account — workouts with heart-rate zones, sleep
//     with 30-second stages and naps, 1-minute heart rate (1,440 readings a
//     day, with the odd sensor dropout), 15-minute steps, HRV and SpO2
//     during sleep, and morning weigh-ins — in the account's own UTC offset
//     (one of them is +05:45). The reference server mounts it under
//     /demo/, so connect → sync → query runs on a fresh machine.
//   - Provider is the wearables.Provider that pulls from that API: it pages
//     with next_page_token, normalizes with package normalize (stage totals,
//     plausibility: a 0 bpm dropout becomes a wearables.Rejection) and
//     implements ProviderUserIDReader, Revoker and WebhookHandler.
//
// The same seed and account id always give the same data, so re-syncing
// changes nothing and tests can pin outputs.
package demo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// DefaultWebhookMaxAge is how old a webhook's timestamp may be.
const DefaultWebhookMaxAge = 5 * time.Minute

// Config configures the demo provider.
type Config struct {
	// BaseURL is where the demo vendor's Handler is mounted, e.g.
	// "http://localhost:8080/demo". Required.
	BaseURL string
	// Scopes requested at authorization. Defaults to every scope.
	Scopes []string
	// PageSize caps the records asked for per page. Defaults to (and is
	// capped at) the API's maximum for each data type: 25 workouts or
	// sleeps, 100 weigh-ins, 1,000 samples.
	PageSize int
	// WebhookSecret verifies webhook signatures (see SignWebhook).
	WebhookSecret string
	// WebhookMaxAge bounds a webhook's timestamp age. Defaults to
	// DefaultWebhookMaxAge.
	WebhookMaxAge time.Duration
	// Now is the clock for webhook timestamps. Defaults to time.Now.
	Now func() time.Time
}

// Provider is the demo wearables.Provider. It is safe for concurrent use.
type Provider struct {
	cfg  Config
	base string
	api  *providerhttp.API
}

// New returns the demo provider for the vendor mounted at cfg.BaseURL.
func New(cfg Config) *Provider {
	base := strings.TrimRight(cfg.BaseURL, "/")
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = append([]string(nil), allScopes...)
	}
	if cfg.WebhookMaxAge <= 0 {
		cfg.WebhookMaxAge = DefaultWebhookMaxAge
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Provider{
		cfg:  cfg,
		base: base,
		api:  &providerhttp.API{Provider: wearables.ProviderDemo, BaseURL: base, RateLimit: providerhttp.RateLimitHeaders{RetryAfter: true}},
	}
}

// ID returns wearables.ProviderDemo.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderDemo }

// OAuth describes the demo vendor's OAuth endpoints: client credentials in
// an HTTP Basic header, PKCE S256.
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.base + "/oauth/authorize",
			TokenURL:  p.base + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
		Scopes: append([]string(nil), p.cfg.Scopes...),
		PKCE:   true,
	}
}

// DataTypes lists the demo feeds: workouts, sleep, heartrate, steps, hrv,
// spo2 and body.
func (p *Provider) DataTypes() []wearables.DataType {
	out := make([]wearables.DataType, 0, len(endpoints))
	for _, e := range endpoints {
		out = append(out, e.dataType)
	}
	return out
}

// Fetch returns one page of one data type for [req.Start, req.End), at
// most 31 days. Errors: *wearables.ProviderError for vendor responses
// (matching wearables.ErrUnauthorized, ErrRateLimited …), an error matching
// wearables.ErrUnsupported for an unknown data type, transport errors
// wrapped.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	e, ok := endpointFor(req.DataType)
	if !ok {
		return wearables.FetchResult{}, fmt.Errorf("demo: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	q := url.Values{
		"start": {req.Start.UTC().Format(time.RFC3339)},
		"end":   {req.End.UTC().Format(time.RFC3339)},
		"limit": {fmt.Sprint(p.limit(e))},
	}
	if req.PageToken != "" {
		q.Set("page_token", req.PageToken)
	}
	op := "list " + string(req.DataType)
	var (
		res  wearables.FetchResult
		next *string
		err  error
	)
	switch req.DataType {
	case wearables.DataWorkouts:
		next, err = get(ctx, p, req.Client, op, e.path, q, func(w wireWorkout) { p.workout(w, &res) })
	case wearables.DataSleep:
		next, err = get(ctx, p, req.Client, op, e.path, q, func(s wireSleep) { p.sleep(s, &res) })
	case DataHeartRate:
		next, err = get(ctx, p, req.Client, op, e.path, q, func(s wireHeartRate) {
			p.sample(&res, wearables.SeriesHeartRate, s.Time, float64(s.BPM), 0, watchSource)
		})
	case DataSteps:
		next, err = get(ctx, p, req.Client, op, e.path, q, func(s wireSteps) {
			p.sample(&res, wearables.SeriesSteps, s.Start, float64(s.Steps), time.Duration(s.Minutes)*time.Minute, watchSource)
		})
	case DataHRV:
		next, err = get(ctx, p, req.Client, op, e.path, q, func(s wireHRV) {
			p.sample(&res, wearables.SeriesHRVRMSSD, s.Time, s.RMSSD, 0, watchSource)
		})
	case DataSpO2:
		next, err = get(ctx, p, req.Client, op, e.path, q, func(s wireSpO2) {
			p.sample(&res, wearables.SeriesOxygenSaturation, s.Time, s.Percent, 0, watchSource)
		})
	case wearables.DataBody:
		next, err = get(ctx, p, req.Client, op, e.path, q, func(s wireWeight) {
			src := wearables.Source{Provider: wearables.ProviderDemo, DeviceModel: s.Device, DeviceType: wearables.DeviceScale}
			p.sample(&res, wearables.SeriesWeight, s.Time, s.WeightKg, 0, src)
			if s.BodyFatPct != nil {
				p.sample(&res, wearables.SeriesBodyFatPercentage, s.Time, *s.BodyFatPct, 0, src)
			}
		})
	}
	if err != nil {
		return wearables.FetchResult{}, err
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	if next != nil {
		res.NextPageToken = *next
	}
	return res, nil
}

func (p *Provider) limit(e endpoint) int {
	if p.cfg.PageSize > 0 && p.cfg.PageSize < e.limit {
		return p.cfg.PageSize
	}
	return e.limit
}

// get fetches one page of T and hands each record to each.
func get[T any](ctx context.Context, p *Provider, client *http.Client, op, path string, q url.Values, each func(T)) (*string, error) {
	var page wirePage[T]
	if _, err := p.api.GetJSON(ctx, client, op, path, q, &page); err != nil {
		return nil, err
	}
	for _, r := range page.Data {
		each(r)
	}
	return page.NextPageToken, nil
}

var watchSource = wearables.Source{Provider: wearables.ProviderDemo, DeviceModel: watchModel, DeviceType: wearables.DeviceWatch}

// parseTime parses a demo timestamp (RFC 3339 with the account's offset).
func parseTime(s string) (time.Time, wearables.Offset, error) {
	in, err := normalize.ParseRFC3339(s)
	if err != nil {
		return time.Time{}, wearables.NoOffset, err
	}
	return in.Time, in.Offset, nil
}

func (p *Provider) sample(res *wearables.FetchResult, typ wearables.SeriesType, ts string, v float64, span time.Duration, src wearables.Source) {
	t, off, err := parseTime(ts)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: typ, Field: "t", Reason: err.Error()})
		return
	}
	s := wearables.Sample{Source: src, Type: typ, Start: t, Offset: off, Value: v}
	if span > 0 {
		s.End = t.Add(span)
	}
	res.Records.Samples = append(res.Records.Samples, s)
}

var activities = map[string]wearables.WorkoutType{
	"running":           wearables.WorkoutRunning,
	"cycling":           wearables.WorkoutCycling,
	"walking":           wearables.WorkoutWalking,
	"strength_training": wearables.WorkoutStrengthTraining,
	"yoga":              wearables.WorkoutYoga,
	"hiit":              wearables.WorkoutHIIT,
}

func (p *Provider) workout(w wireWorkout, res *wearables.FetchResult) {
	start, off, err1 := parseTime(w.Start)
	end, _, err2 := parseTime(w.End)
	if err := firstErr(err1, err2); err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: w.ID, Field: "start_time", Reason: err.Error()})
		return
	}
	typ, ok := activities[w.Activity]
	if !ok {
		typ = wearables.WorkoutOther
	}
	out := wearables.Workout{
		Source:           wearables.Source{Provider: wearables.ProviderDemo, DeviceModel: w.Device, DeviceType: wearables.DeviceWatch},
		ProviderRecordID: w.ID,
		Type:             typ,
		RawType:          w.Activity,
		Start:            start,
		End:              end,
		Offset:           off,
		Distance:         w.DistanceM,
		ElevationGain:    w.ClimbM,
		Energy:           ptr(w.ActiveKcal),
		AvgHR:            ptr(w.AvgHR),
		MaxHR:            ptr(w.MaxHR),
	}
	if w.Steps != nil {
		out.Steps = ptr(float64(*w.Steps))
	}
	if w.DistanceM != nil && end.After(start) {
		out.AvgSpeed = ptr(round3(*w.DistanceM / end.Sub(start).Seconds()))
	}
	for _, z := range w.Zones {
		out.Zones = append(out.Zones, wearables.HRZone{Zone: z.Zone, MinBPM: z.MinBPM, MaxBPM: z.MaxBPM, Duration: time.Duration(z.Seconds) * time.Second})
	}
	res.Records.Workouts = append(res.Records.Workouts, out)
}

var stageByName = map[string]wearables.SleepStage{
	"awake": wearables.StageAwake,
	"light": wearables.StageLight,
	"deep":  wearables.StageDeep,
	"rem":   wearables.StageREM,
}

func (p *Provider) sleep(s wireSleep, res *wearables.FetchResult) {
	start, off, err1 := parseTime(s.Start)
	end, _, err2 := parseTime(s.End)
	if err := firstErr(err1, err2); err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSleep, ProviderRecordID: s.ID, Field: "bedtime_start", Reason: err.Error()})
		return
	}
	out := wearables.Sleep{
		Source:           wearables.Source{Provider: wearables.ProviderDemo, DeviceModel: s.Device, DeviceType: wearables.DeviceWatch},
		ProviderRecordID: s.ID,
		Start:            start,
		End:              end,
		Offset:           off,
		IsNap:            s.Nap,
		AvgHR:            ptr(s.AvgHR),
		MinHR:            ptr(s.MinHR),
		AvgHRV:           ptr(s.AvgHRV),
		RespiratoryRate:  ptr(s.Respiratory),
	}
	latency := time.Duration(s.LatencyS) * time.Second
	out.Latency = &latency
	for _, st := range s.Stages {
		t, _, err := parseTime(st.Start)
		stage, known := stageByName[st.Stage]
		if err != nil || st.Seconds <= 0 {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSleep, ProviderRecordID: s.ID, Field: "stages", Reason: "malformed stage"})
			return
		}
		if !known {
			stage = wearables.StageUnknown
		}
		out.Stages = append(out.Stages, wearables.StageInterval{Stage: stage, Start: t, End: t.Add(time.Duration(st.Seconds) * time.Second)})
	}
	normalize.FillSleep(&out)
	res.Records.Sleep = append(res.Records.Sleep, out)
}

// ProviderUserID reads the demo account id.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	var me wireMe
	if _, err := p.api.GetJSON(ctx, client, "get account", "/api/v1/me", nil, &me); err != nil {
		return "", err
	}
	if me.AccountID == "" {
		return "", fmt.Errorf("demo: get account: empty account id: %w", wearables.ErrInvalid)
	}
	return me.AccountID, nil
}

// Revoke revokes tok's grant at the demo vendor (both its access and
// refresh tokens stop working).
func (p *Provider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	form := url.Values{"token": {tok.AccessToken}}
	if tok.AccessToken == "" {
		form.Set("token", tok.RefreshToken)
	}
	req, err := p.api.NewRequest(ctx, http.MethodPost, "/oauth/revoke", nil, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.api.Do(client, "revoke", req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func ptr[T any](v T) *T { return &v }

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

var (
	_ wearables.Provider             = (*Provider)(nil)
	_ wearables.ProviderUserIDReader = (*Provider)(nil)
	_ wearables.Revoker              = (*Provider)(nil)
	_ wearables.WebhookHandler       = (*Provider)(nil)
)
