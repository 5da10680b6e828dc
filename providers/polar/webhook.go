package polar

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// SignatureHeader is the header carrying a notification's signature: the
// hex HMAC-SHA256 of the raw body, keyed with the webhook's
// signature_secret_key.
const SignatureHeader = "Polar-Webhook-Signature"

// Webhook event types of AccessLink.
const (
	EventExercise            = "EXERCISE"
	EventSleep               = "SLEEP"
	EventContinuousHeartRate = "CONTINUOUS_HEART_RATE"
	EventActivitySummary     = "ACTIVITY_SUMMARY"
	EventPhysicalInformation = "PHYSICAL_INFORMATION"
	EventSleepWiseBedtime    = "SLEEP_WISE_CIRCADIAN_BEDTIME"
	EventSleepWiseAlertness  = "SLEEP_WISE_ALERTNESS"
	// EventPing is the unsigned message Polar posts to a webhook URL when
	// the webhook is created, activated or moved; it must be answered 200.
	EventPing = "PING"
)

// WebhookEvents returns the events EnsureSubscriptions subscribes to: those
// of the data types the provider syncs.
func WebhookEvents() []string {
	return []string{EventExercise, EventSleep, EventContinuousHeartRate, EventActivitySummary, EventPhysicalInformation}
}

// Webhook is the client's AccessLink webhook. A client has at most one.
type Webhook struct {
	ID     string
	Events []string
	URL    string
	// Active is false when Polar deactivated the webhook (after seven days
	// of failed deliveries) or it was deactivated by hand.
	Active bool
	// SignatureSecretKey signs the notifications. Polar returns it only
	// when the webhook is created (CreateWebhook): store it encrypted
	// (oauthflow's keyring, a secret manager) and configure it as
	// Config.WebhookSecret. It is lost otherwise; the only remedy is to
	// delete and create the webhook again.
	SignatureSecretKey string
}

// String describes w without its secret.
func (w Webhook) String() string {
	secret := ""
	if w.SignatureSecretKey != "" {
		secret = " secret=<redacted>"
	}
	return fmt.Sprintf("polar.Webhook{id=%s url=%s events=%v active=%t%s}", w.ID, w.URL, w.Events, w.Active, secret)
}

// GoString describes w without its secret.
func (w Webhook) GoString() string { return w.String() }

// Sign returns the Polar-Webhook-Signature of body under secret: hex
// HMAC-SHA256 of the raw body.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook implements wearables.WebhookHandler. A PING is accepted
// unsigned, as Polar sends it: it arrives before the create call has
// returned the secret, and it carries no data (ParseWebhook yields no
// events for it). Every other body must carry a Polar-Webhook-Signature
// that matches Config.WebhookSecret, compared in constant time; the hex
// may be in either case. Polar's signature covers no timestamp, so there
// is no staleness check: a replayed notification only makes the syncer
// fetch again. Failures match wearables.ErrUnauthorized.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	if isPing(body) {
		return nil
	}
	sig := strings.TrimSpace(r.Header.Get(SignatureHeader))
	if sig == "" {
		return fmt.Errorf("polar: webhook: no %s header: %w", SignatureHeader, wearables.ErrUnauthorized)
	}
	if p.cfg.WebhookSecret == "" {
		return fmt.Errorf("polar: webhook: no webhook secret configured: %w", wearables.ErrUnauthorized)
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return fmt.Errorf("polar: webhook: signature is not hex: %w", wearables.ErrUnauthorized)
	}
	mac := hmac.New(sha256.New, []byte(p.cfg.WebhookSecret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return fmt.Errorf("polar: webhook: bad signature: %w", wearables.ErrUnauthorized)
	}
	return nil
}

// isPing reports whether body is a PING message.
func isPing(body []byte) bool {
	var n struct {
		Event string `json:"event"`
	}
	return json.Unmarshal(body, &n) == nil && n.Event == EventPing
}

// ParseWebhook implements wearables.WebhookHandler. Notifications only
// announce data (the syncer fetches it with the user's token); each becomes
// a hint event:
//
//	EXERCISE               workouts, the exercise id; window: the day before the notification
//	SLEEP                  sleep and nightly_recharge (Polar sends no event of its own for
//	                       Nightly Recharge, which comes with the night); window: the date
//	CONTINUOUS_HEART_RATE  continuous_heart_rate; window: the date
//	ACTIVITY_SUMMARY       daily_summaries; window: the date
//	PHYSICAL_INFORMATION   body
//
// A date's window is that UTC calendar day, which Fetch maps back to the
// same date. PING, the SleepWise events (not synced) and event types
// Polar may add later yield no events and no error, so that Polar, which
// deactivates a webhook after seven days of failed deliveries, sees them
// acknowledged. A body that is not a notification, or one without the user
// or the record it announces, is an error matching wearables.ErrInvalid.
// Dedupe keys name the data type, user, record and the notification's
// timestamp.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var n webhookNotification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, fmt.Errorf("polar: parse webhook: %w: %w", wearables.ErrInvalid, err)
	}
	switch n.Event {
	case "":
		return nil, fmt.Errorf("polar: parse webhook: no event: %w", wearables.ErrInvalid)
	case EventPing, EventSleepWiseBedtime, EventSleepWiseAlertness:
		return nil, nil
	}
	var types []wearables.DataType
	switch n.Event {
	case EventExercise:
		types = []wearables.DataType{wearables.DataWorkouts}
	case EventSleep:
		types = []wearables.DataType{wearables.DataSleep, DataNightlyRecharge}
	case EventContinuousHeartRate:
		types = []wearables.DataType{DataContinuousHeartRate}
	case EventActivitySummary:
		types = []wearables.DataType{wearables.DataDailySummaries}
	case EventPhysicalInformation:
		types = []wearables.DataType{wearables.DataBody}
	default:
		return nil, nil // an event type this provider does not know yet
	}
	if n.UserID == "" {
		return nil, fmt.Errorf("polar: parse webhook: %s without user_id: %w", n.Event, wearables.ErrInvalid)
	}
	var start, end time.Time
	subject := ""
	switch n.Event {
	case EventExercise:
		if n.EntityID == "" {
			return nil, fmt.Errorf("polar: parse webhook: %s without entity_id: %w", n.Event, wearables.ErrInvalid)
		}
		subject = string(n.EntityID)
		if ts, err := normalize.ParseRFC3339(n.Timestamp); err == nil {
			// Polar notifies right after the upload, and Fetch matches
			// exercises by upload time as well as by start.
			start, end = ts.Time.Add(-24*time.Hour), ts.Time.Add(time.Hour)
		}
	case EventPhysicalInformation:
	default:
		d, err := wearables.ParseDate(n.Date)
		if err != nil {
			return nil, fmt.Errorf("polar: parse webhook: %s: %w", n.Event, err)
		}
		subject = d.String()
		start, end = d.In(time.UTC), d.AddDays(1).In(time.UTC)
	}
	events := make([]wearables.WebhookEvent, 0, len(types))
	for _, dt := range types {
		e := wearables.WebhookEvent{
			ProviderUserID: string(n.UserID),
			DataType:       dt,
			Kind:           wearables.WebhookCreated,
			Start:          start,
			End:            end,
			DedupeKey:      "polar:" + string(dt) + ":" + string(n.UserID) + ":" + subject + ":" + n.Timestamp,
		}
		if n.Event == EventExercise {
			e.ProviderRecordID = subject
		}
		events = append(events, e)
	}
	return events, nil
}

// CreateWebhook creates the client's webhook (POST /v3/webhooks) for
// events (WebhookEvents when empty) posting to callbackURL. Polar first
// pings callbackURL and creates the webhook only if the ping is answered
// 200, so the receiving server must be up, answering PINGs (VerifyWebhook
// accepts them unsigned).
//
// The result carries the webhook's SignatureSecretKey, which Polar returns
// this once: the caller must store it (encrypted) and configure it as
// Config.WebhookSecret; this package keeps no copy. Errors: an error
// matching wearables.ErrConflict when the client already has a webhook
// (Polar's 409; one per client), *wearables.ProviderError for other
// answers, wearables.ErrInvalid without client credentials.
func (p *Provider) CreateWebhook(ctx context.Context, callbackURL string, events []string) (Webhook, error) {
	if len(events) == 0 {
		events = WebhookEvents()
	}
	var out createdWebhook
	err := p.appCall(ctx, http.MethodPost, "/v3/webhooks", "create webhook", map[string]any{"events": events, "url": callbackURL}, &out)
	var pe *wearables.ProviderError
	if errors.As(err, &pe) && pe.StatusCode == http.StatusConflict {
		return Webhook{}, fmt.Errorf("polar: create webhook: the client already has one: %w: %w", wearables.ErrConflict, err)
	}
	if err != nil {
		return Webhook{}, err
	}
	w := webhookOf(out.Data)
	w.Active = true // created webhooks start active
	if w.ID == "" || w.SignatureSecretKey == "" {
		return w, fmt.Errorf("polar: create webhook: answer without id or signature_secret_key: %w", wearables.ErrInvalid)
	}
	return w, nil
}

// Webhooks returns the client's webhooks (GET /v3/webhooks): none or one.
// Errors as for CreateWebhook.
func (p *Provider) Webhooks(ctx context.Context) ([]Webhook, error) {
	var out webhookInfo
	if err := p.appCall(ctx, http.MethodGet, "/v3/webhooks", "get webhook", nil, &out); err != nil {
		return nil, err
	}
	hooks := make([]Webhook, 0, len(out.Data))
	for _, d := range out.Data {
		hooks = append(hooks, webhookOf(d))
	}
	return hooks, nil
}

// UpdateWebhook changes the webhook's URL and events (PATCH
// /v3/webhooks/{id}); empty values are left unchanged. Polar pings a new
// URL first. The signature secret stays the same. Errors: an error
// matching wearables.ErrNotFound for an unknown id, others as for
// CreateWebhook.
func (p *Provider) UpdateWebhook(ctx context.Context, id, callbackURL string, events []string) (Webhook, error) {
	patch := map[string]any{}
	if callbackURL != "" {
		patch["url"] = callbackURL
	}
	if len(events) > 0 {
		patch["events"] = events
	}
	var out webhookInfo
	if err := p.appCall(ctx, http.MethodPatch, "/v3/webhooks/"+url.PathEscape(id), "update webhook", patch, &out); err != nil {
		return Webhook{}, err
	}
	for _, d := range out.Data {
		if string(d.ID) == id || len(out.Data) == 1 {
			return webhookOf(d), nil
		}
	}
	return Webhook{ID: id, URL: callbackURL, Events: events, Active: true}, nil
}

// DeleteWebhook deletes the webhook (DELETE /v3/webhooks/{id}). Errors as
// for UpdateWebhook.
func (p *Provider) DeleteWebhook(ctx context.Context, id string) error {
	return p.appCall(ctx, http.MethodDelete, "/v3/webhooks/"+url.PathEscape(id), "delete webhook", nil, nil)
}

// ActivateWebhook re-activates a deactivated webhook (POST
// /v3/webhooks/activate); Polar pings its URL first. Errors: an error
// matching wearables.ErrNotFound when the client has no webhook, others as
// for CreateWebhook.
func (p *Provider) ActivateWebhook(ctx context.Context) error {
	return p.switchWebhook(ctx, "/v3/webhooks/activate", "activate webhook")
}

// DeactivateWebhook stops notifications without deleting the webhook
// (POST /v3/webhooks/deactivate). Errors as for ActivateWebhook.
func (p *Provider) DeactivateWebhook(ctx context.Context) error {
	return p.switchWebhook(ctx, "/v3/webhooks/deactivate", "deactivate webhook")
}

func (p *Provider) switchWebhook(ctx context.Context, path, op string) error {
	status := 0
	if err := p.appCallStatus(ctx, http.MethodPost, path, op, nil, nil, &status); err != nil {
		return err
	}
	if status == http.StatusNoContent {
		return fmt.Errorf("polar: %s: the client has no webhook: %w", op, wearables.ErrNotFound)
	}
	return nil
}

// EnsureSubscriptions implements wearables.SubscriptionManager: it makes
// the client's webhook post WebhookEvents to callbackURL and be active.
// An existing webhook is moved (PATCH) when its URL or events differ and
// re-activated when Polar deactivated it; its secret stays the same. When
// there is none, it is created and handed, with its one-time secret, to
// Config.OnWebhookCreated; if that fails the webhook is deleted again (its
// secret would be lost) and the error returned. Without OnWebhookCreated
// the missing webhook is not created and the error matches
// wearables.ErrUnsupported: call CreateWebhook and store the secret
// yourself.
func (p *Provider) EnsureSubscriptions(ctx context.Context, callbackURL string) error {
	hooks, err := p.Webhooks(ctx)
	if err != nil {
		return fmt.Errorf("polar: ensure subscriptions: %w", err)
	}
	want := WebhookEvents()
	if len(hooks) > 0 {
		h := hooks[0]
		if h.URL != callbackURL || !sameEvents(h.Events, want) {
			if h, err = p.UpdateWebhook(ctx, h.ID, callbackURL, want); err != nil {
				return fmt.Errorf("polar: ensure subscriptions: %w", err)
			}
		}
		if !h.Active {
			if err := p.ActivateWebhook(ctx); err != nil {
				return fmt.Errorf("polar: ensure subscriptions: %w", err)
			}
		}
		return nil
	}
	if p.cfg.OnWebhookCreated == nil {
		return fmt.Errorf("polar: ensure subscriptions: no webhook exists and Config.OnWebhookCreated is nil, so its one-time secret could not be kept (use CreateWebhook): %w", wearables.ErrUnsupported)
	}
	w, err := p.CreateWebhook(ctx, callbackURL, want)
	if err != nil {
		return fmt.Errorf("polar: ensure subscriptions: %w", err)
	}
	if err := p.cfg.OnWebhookCreated(ctx, w); err != nil {
		if derr := p.DeleteWebhook(ctx, w.ID); derr != nil {
			return fmt.Errorf("polar: ensure subscriptions: store the webhook secret: %w (and deleting the webhook failed: %w)", err, derr)
		}
		return fmt.Errorf("polar: ensure subscriptions: store the webhook secret: %w", err)
	}
	return nil
}

func sameEvents(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func webhookOf(d webhookData) Webhook {
	w := Webhook{ID: string(d.ID), Events: d.Events, URL: d.URL, SignatureSecretKey: d.SignatureSecretKey}
	if d.Active != nil {
		w.Active = *d.Active
	}
	return w
}

// appCall sends a request authenticated with the client's own credentials
// (HTTP Basic) with Config.HTTPClient, with in as JSON body, and decodes a
// JSON answer into out (if not nil).
func (p *Provider) appCall(ctx context.Context, method, path, op string, in, out any) error {
	return p.appCallStatus(ctx, method, path, op, in, out, nil)
}

func (p *Provider) appCallStatus(ctx context.Context, method, path, op string, in, out any, status *int) error {
	if p.cfg.ClientID == "" || p.cfg.ClientSecret == "" {
		return fmt.Errorf("polar: %s: Config.ClientID and ClientSecret are required: %w", op, wearables.ErrInvalid)
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("polar: %s: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := p.api.NewRequest(ctx, method, path, nil, body)
	if err != nil {
		return err
	}
	req.SetBasicAuth(p.cfg.ClientID, p.cfg.ClientSecret)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.api.Do(p.cfg.HTTPClient, op, req)
	if err != nil {
		return err
	}
	if status != nil {
		*status = resp.StatusCode
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return resp.Body.Close()
	}
	return p.api.DecodeJSON(op, resp, out)
}
