package providertest_test

// acme is a small in-test vendor: an Oura-like JSON API with workouts and
// heart rate, next_token pagination, body-auth OAuth with rotating refresh
// tokens, Retry-After plus an X-RateLimit-Reset header, and HMAC-signed,
// timestamped webhooks. It is the worked example of providers/README.md
// and the kit's own test subject; its knobs plant bugs so the kit's tests
// can check that each check catches them.

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
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
	"github.com/wearables-go/wearables/providers/providertest"
)

const acmeID wearables.ProviderID = "acme"

// acmeRateLimit is declared once and used by both the client and the fake
// server.
var acmeRateLimit = providerhttp.RateLimitHeaders{RetryAfter: true, Reset: "X-RateLimit-Reset"}

// acmeConfig configures the acme provider.
type acmeConfig struct {
	BaseURL       string // API and OAuth root
	ClientSecret  string // signs webhooks
	WebhookMaxAge time.Duration

	// Planted bugs.
	ignorePagination bool // never returns a next page token
	swallowErrors    bool // returns an empty page on vendor errors
	ownRetry         bool // retries 401s itself (on top of the shared transport)
	randomIDs        bool // workout ids change on every fetch
	wrongAuthStyle   bool // declares Basic auth while acme wants the body
	acceptAnyHook    bool // VerifyWebhook accepts everything
	ignoreContext    bool // sends requests without the caller's context
}

type acme struct {
	cfg acmeConfig
	api *providerhttp.API
}

func newAcme(cfg acmeConfig) *acme {
	if cfg.WebhookMaxAge == 0 {
		cfg.WebhookMaxAge = 5 * time.Minute
	}
	return &acme{cfg: cfg, api: &providerhttp.API{Provider: acmeID, BaseURL: cfg.BaseURL + "/api", RateLimit: acmeRateLimit}}
}

func (a *acme) ID() wearables.ProviderID { return acmeID }

func (a *acme) OAuth() wearables.OAuthSpec {
	style := oauth2.AuthStyleInParams
	if a.cfg.wrongAuthStyle {
		style = oauth2.AuthStyleInHeader
	}
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{AuthURL: a.cfg.BaseURL + "/oauth/authorize", TokenURL: a.cfg.BaseURL + "/oauth/token", AuthStyle: style},
		Scopes:   []string{"workouts", "heartrate"},
	}
}

func (a *acme) DataTypes() []wearables.DataType {
	return []wearables.DataType{wearables.DataWorkouts, "heartrate"}
}

// acmeID is an id the vendor sends as a number or a string.
type acmeRecordID string

func (id *acmeRecordID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*id = acmeRecordID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("acme: id %s: %w", b, err)
	}
	*id = acmeRecordID(n.String())
	return nil
}

type acmeWorkout struct {
	ID        acmeRecordID `json:"id"`
	Sport     string       `json:"sport"`
	Start     string       `json:"start"`
	End       string       `json:"end"`
	DistanceM *float64     `json:"distance_m"`
	Kcal      *float64     `json:"kcal"`
	Device    string       `json:"device"`
}

type acmeHR struct {
	BPM float64 `json:"bpm"`
	TS  string  `json:"ts"`
}

type acmePage[T any] struct {
	Data      []T     `json:"data"`
	NextToken *string `json:"next_token"`
}

var acmeSports = map[string]wearables.WorkoutType{
	"running": wearables.WorkoutRunning,
	"cycling": wearables.WorkoutCycling,
	"yoga":    wearables.WorkoutYoga,
}

func (a *acme) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if a.cfg.ignoreContext {
		ctx = context.Background()
	}
	q := url.Values{}
	if req.PageToken != "" {
		q.Set("next_token", req.PageToken)
	}
	var res wearables.FetchResult
	var next *string
	var err error
	switch req.DataType {
	case wearables.DataWorkouts:
		q.Set("start_date", req.Start.UTC().Format(time.DateOnly))
		q.Set("end_date", req.End.UTC().Format(time.DateOnly))
		var page acmePage[acmeWorkout]
		if err = a.get(ctx, req.Client, "list workouts", "/v1/workouts", q, &page); err == nil {
			next = page.NextToken
			for _, w := range page.Data {
				a.workout(w, &res)
			}
		}
	case "heartrate":
		q.Set("start", req.Start.UTC().Format(time.RFC3339))
		q.Set("end", req.End.UTC().Format(time.RFC3339))
		var page acmePage[acmeHR]
		if err = a.get(ctx, req.Client, "list heart rate", "/v1/heartrate", q, &page); err == nil {
			next = page.NextToken
			for _, s := range page.Data {
				a.heartRate(s, &res)
			}
		}
	default:
		return wearables.FetchResult{}, fmt.Errorf("acme: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	if err != nil {
		if a.cfg.swallowErrors {
			return wearables.FetchResult{}, nil
		}
		return wearables.FetchResult{}, err
	}
	if next != nil && !a.cfg.ignorePagination {
		res.NextPageToken = *next
	}
	return res, nil
}

func (a *acme) get(ctx context.Context, client *http.Client, op, path string, q url.Values, out any) error {
	_, err := a.api.GetJSON(ctx, client, op, path, q, out)
	if a.cfg.ownRetry && err != nil && strings.Contains(err.Error(), "401") {
		_, err = a.api.GetJSON(ctx, client, op, path, q, out)
	}
	return err
}

func (a *acme) workout(w acmeWorkout, res *wearables.FetchResult) {
	start, err1 := time.Parse(time.RFC3339, w.Start)
	end, err2 := time.Parse(time.RFC3339, w.End)
	if err1 != nil || err2 != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: string(w.ID), Field: "start", Reason: "unparseable start or end"})
		return
	}
	typ, ok := acmeSports[w.Sport]
	if !ok {
		typ = wearables.WorkoutOther
	}
	id := string(w.ID)
	if a.cfg.randomIDs {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	res.Records.Workouts = append(res.Records.Workouts, wearables.Workout{
		Source:           wearables.Source{Provider: acmeID, DeviceModel: w.Device, DeviceType: wearables.DeviceWatch},
		ProviderRecordID: id,
		Type:             typ,
		RawType:          w.Sport,
		Start:            start.UTC(),
		End:              end.UTC(),
		Offset:           wearables.OffsetOf(start),
		Distance:         w.DistanceM,
		Energy:           w.Kcal,
	})
}

func (a *acme) heartRate(s acmeHR, res *wearables.FetchResult) {
	ts, err := time.Parse(time.RFC3339, s.TS)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: wearables.SeriesHeartRate, Field: "ts", Reason: "unparseable timestamp"})
		return
	}
	info, _ := wearables.SeriesHeartRate.Info()
	if s.BPM < info.Min || s.BPM > info.Max {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: wearables.SeriesHeartRate, Time: ts.UTC(), Field: "bpm", Reason: fmt.Sprintf("heart rate %v bpm is implausible", s.BPM)})
		return
	}
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{
		Source: wearables.Source{Provider: acmeID, DeviceType: wearables.DeviceWatch},
		Type:   wearables.SeriesHeartRate,
		Start:  ts.UTC(),
		Offset: wearables.OffsetOf(ts),
		Value:  s.BPM,
	})
}

// ProviderUserID implements wearables.ProviderUserIDReader.
func (a *acme) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	var me struct {
		UserID json.Number `json:"user_id"`
	}
	if _, err := a.api.GetJSON(ctx, client, "get profile", "/v1/me", nil, &me); err != nil {
		return "", err
	}
	return me.UserID.String(), nil
}

// Revoke implements wearables.Revoker.
func (a *acme) Revoke(ctx context.Context, client *http.Client, _ wearables.Connection, tok *oauth2.Token) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.cfg.BaseURL+"/oauth/revoke", strings.NewReader(url.Values{"token": {tok.AccessToken}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := a.api.Do(client, "revoke", req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// acmeSign is the vendor's webhook signature: hex HMAC-SHA256 over
// "<unix seconds>.<body>".
func acmeSign(secret string, ts time.Time, body []byte) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stamp + "."))
	mac.Write(body)
	h := http.Header{}
	h.Set("X-Acme-Signature", hex.EncodeToString(mac.Sum(nil)))
	h.Set("X-Acme-Timestamp", stamp)
	return h
}

// VerifyWebhook implements wearables.WebhookHandler.
func (a *acme) VerifyWebhook(r *http.Request, body []byte) error {
	if a.cfg.acceptAnyHook {
		return nil
	}
	sig, stamp := r.Header.Get("X-Acme-Signature"), r.Header.Get("X-Acme-Timestamp")
	secs, err := strconv.ParseInt(stamp, 10, 64)
	if sig == "" || err != nil {
		return fmt.Errorf("acme: webhook: signature or timestamp missing: %w", wearables.ErrUnauthorized)
	}
	if age := time.Since(time.Unix(secs, 0)); age > a.cfg.WebhookMaxAge || age < -a.cfg.WebhookMaxAge {
		return fmt.Errorf("acme: webhook: timestamp %s old: %w", age.Round(time.Second), wearables.ErrUnauthorized)
	}
	want := acmeSign(a.cfg.ClientSecret, time.Unix(secs, 0), body).Get("X-Acme-Signature")
	got, err := hex.DecodeString(strings.ToLower(sig))
	wantB, _ := hex.DecodeString(want)
	if err != nil || !hmac.Equal(got, wantB) {
		return fmt.Errorf("acme: webhook: bad signature: %w", wearables.ErrUnauthorized)
	}
	return nil
}

// ParseWebhook implements wearables.WebhookHandler.
func (a *acme) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var n struct {
		EventID string       `json:"event_id"`
		UserID  json.Number  `json:"user_id"`
		Type    string       `json:"type"`
		Object  acmeRecordID `json:"object_id"`
	}
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, fmt.Errorf("acme: parse webhook: %w", wearables.ErrInvalid)
	}
	kind := map[string]wearables.WebhookEventKind{"workout.created": wearables.WebhookCreated, "workout.updated": wearables.WebhookUpdated, "workout.deleted": wearables.WebhookDeleted}[n.Type]
	if kind == "" || n.EventID == "" {
		return nil, fmt.Errorf("acme: parse webhook: unknown event %q: %w", n.Type, wearables.ErrInvalid)
	}
	return []wearables.WebhookEvent{{
		ProviderUserID:   n.UserID.String(),
		DataType:         wearables.DataWorkouts,
		Kind:             kind,
		ProviderRecordID: string(n.Object),
		DedupeKey:        "acme:" + n.EventID,
	}}, nil
}

var (
	_ wearables.Provider             = (*acme)(nil)
	_ wearables.ProviderUserIDReader = (*acme)(nil)
	_ wearables.Revoker              = (*acme)(nil)
	_ wearables.WebhookHandler       = (*acme)(nil)
)

// acmeSuite is the acme vendor's conformance suite; bugs plants bugs.
func acmeSuite(bugs acmeConfig) providertest.Suite {
	return providertest.Suite{
		NewProvider: func(env providertest.Env) (wearables.Provider, error) {
			cfg := bugs
			cfg.BaseURL, cfg.ClientSecret = env.URL, env.ClientSecret
			return newAcme(cfg), nil
		},
		Vendor: providertest.Vendor{
			AuthStyle:           oauth2.AuthStyleInParams,
			RotateRefreshTokens: true,
			Revoke:              providertest.Revoke{Path: "/oauth/revoke"},
			Pagination:          providertest.Pagination{Param: "next_token"},
			RateLimit:           acmeRateLimit,
			ErrorBody: func(status int) string {
				return fmt.Sprintf(`{"status":%d,"title":%q}`, status, http.StatusText(status))
			},
			Webhook: providertest.Webhook{Sign: acmeSign, Timestamped: true, UsesClientSecret: true},
		},
		Fixtures: providertest.Fixtures{
			Dir:            "testdata/acme",
			ProviderUserID: "4242",
			Cases: []providertest.Case{
				{
					DataType: wearables.DataWorkouts,
					Start:    time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC),
					End:      time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC),
					Path:     "/api/v1/workouts",
					Query:    map[string]string{"start_date": "2024-03-30", "end_date": "2024-04-02"},
					Pages: []providertest.Page{
						{File: "workouts_1.json"},
						{File: "workouts_2.json", Token: "eyJwIjoyfQ"},
					},
				},
				{
					Name:     "heartrate",
					DataType: "heartrate",
					Start:    time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC),
					End:      time.Date(2024, 3, 31, 0, 10, 0, 0, time.UTC),
					Path:     "/api/v1/heartrate",
					Query:    map[string]string{"start": "2024-03-31T00:00:00Z", "end": "2024-03-31T00:10:00Z"},
					Pages:    []providertest.Page{{File: "heartrate_1.json"}},
				},
			},
			Static: []providertest.Static{{Path: "/api/v1/me", File: "me.json"}},
			Webhooks: []providertest.WebhookVector{
				{File: "webhook_workout_created.json"},
				{File: "webhook_unknown_type.json", Reject: true},
			},
		},
	}
}
