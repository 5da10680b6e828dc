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

// SecretWebhookSignature is the name under which EnsureSubscriptions keeps
// the webhook's signature_secret_key in Config.Secrets, and VerifyWebhook
// reads it.
const SecretWebhookSignature = "webhook_signature_secret_key"

// secretRereadInterval is the least time between two reads of the stored
// webhook secret after the first (see Config.Secrets).
const secretRereadInterval = 10 * time.Second

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
	// (Config.Secrets does, for the webhooks EnsureSubscriptions creates)
	// and configure it as Config.WebhookSecret or keep it in
	// Config.Secrets. It is lost otherwise; the only remedy is to delete
	// and create the webhook again.
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
// that matches the webhook secret, compared in constant time; the hex may
// be in either case. The secret is Config.WebhookSecret when set, else the
// one stored in Config.Secrets (read with r's context and cached; see
// Config.Secrets for when it is read again). Polar's signature covers no
// timestamp, so there is no staleness check: a replayed notification only
// makes the syncer fetch again. Failures match wearables.ErrUnauthorized;
// an error reading Config.Secrets (other than none being stored) is
// returned wrapped, without it. Safe for concurrent use.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	if isPing(body) {
		return nil
	}
	sig := strings.TrimSpace(r.Header.Get(SignatureHeader))
	if sig == "" {
		return fmt.Errorf("polar: webhook: no %s header: %w", SignatureHeader, wearables.ErrUnauthorized)
	}
	if p.cfg.WebhookSecret == "" && p.cfg.Secrets == nil {
		return fmt.Errorf("polar: webhook: no webhook secret configured: %w", wearables.ErrUnauthorized)
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return fmt.Errorf("polar: webhook: signature is not hex: %w", wearables.ErrUnauthorized)
	}
	if p.cfg.WebhookSecret != "" {
		if !signedWith(p.cfg.WebhookSecret, body, got) {
			return fmt.Errorf("polar: webhook: bad signature: %w", wearables.ErrUnauthorized)
		}
		return nil
	}
	secret, fresh, err := p.storedWebhookSecret(r.Context(), false)
	if err != nil {
		return err
	}
	if secret != "" && signedWith(secret, body, got) {
		return nil
	}
	if !fresh {
		// Another process may have created the webhook anew since the
		// cached read.
		again, reread, err := p.storedWebhookSecret(r.Context(), true)
		if err != nil {
			return err
		}
		if reread && again != "" && again != secret && signedWith(again, body, got) {
			return nil
		}
		secret = again
	}
	if secret == "" {
		return fmt.Errorf("polar: webhook: no webhook secret stored: %w", wearables.ErrUnauthorized)
	}
	return fmt.Errorf("polar: webhook: bad signature: %w", wearables.ErrUnauthorized)
}

// signedWith reports whether sig is the HMAC-SHA256 of body under secret,
// in constant time.
func signedWith(secret string, body, sig []byte) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(sig, mac.Sum(nil))
}

// storedSecret caches the webhook secret read through Config.Secrets.
type storedSecret struct {
	sem    chan struct{} // one slot, held to read or update the fields below
	value  string        // "" when none was stored at the last read
	readAt time.Time     // zero before the first read
}

// storedWebhookSecret returns the webhook secret kept in Config.Secrets and
// whether this call read it from there. It reads on the first call and
// then — when reread is set (a signature did not match) or no secret was
// stored — at most once per secretRereadInterval; otherwise it returns the
// cached value. Failed reads count as reads for that interval, and leave
// the cached value as it was. Concurrent callers wait for one read.
func (p *Provider) storedWebhookSecret(ctx context.Context, reread bool) (string, bool, error) {
	c := p.hook
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return "", false, fmt.Errorf("polar: webhook: read the stored secret: %w", ctx.Err())
	}
	defer func() { <-c.sem }()
	now := p.cfg.Now()
	due := c.readAt.IsZero() || (reread || c.value == "") && now.Sub(c.readAt) >= secretRereadInterval
	if !due {
		return c.value, false, nil
	}
	c.readAt = now
	v, err := p.cfg.Secrets.Secret(ctx, wearables.ProviderPolar, SecretWebhookSignature)
	if errors.Is(err, wearables.ErrNotFound) {
		v, err = "", nil
	}
	if err != nil {
		return c.value, false, fmt.Errorf("polar: webhook: read the stored secret: %w", err)
	}
	c.value = v
	return v, true, nil
}

// rememberWebhookSecret caches a secret this process has just stored.
func (p *Provider) rememberWebhookSecret(ctx context.Context, v string) {
	c := p.hook
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return // the next mismatch reads it from the store
	}
	c.value, c.readAt = v, p.cfg.Now()
	<-c.sem
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
// there is none, it is created, its one-time secret is stored in
// Config.Secrets (as SecretWebhookSignature, which VerifyWebhook then
// uses) and the webhook handed to Config.OnWebhookCreated, each when set;
// if either fails the webhook is deleted again (its secret would be lost)
// and the error returned. With neither set the missing webhook is not
// created and the error matches wearables.ErrUnsupported: call
// CreateWebhook and store the secret yourself. An existing webhook whose
// secret is known nowhere — no Config.WebhookSecret, and Config.Secrets
// holds none — can never be verified, so it is deleted and created anew.
func (p *Provider) EnsureSubscriptions(ctx context.Context, callbackURL string) error {
	hooks, err := p.Webhooks(ctx)
	if err != nil {
		return fmt.Errorf("polar: ensure subscriptions: %w", err)
	}
	want := WebhookEvents()
	if len(hooks) > 0 && p.secretLost(ctx) {
		// The webhook exists but its one-time secret was never kept (made
		// by hand, or before Config.Secrets was set): no notification can
		// be verified. Polar's only remedy is a new webhook.
		if err := p.DeleteWebhook(ctx, hooks[0].ID); err != nil {
			return fmt.Errorf("polar: ensure subscriptions: replace a webhook whose secret is unknown: %w", err)
		}
		hooks = nil
	}
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
	if p.cfg.OnWebhookCreated == nil && p.cfg.Secrets == nil {
		return fmt.Errorf("polar: ensure subscriptions: no webhook exists and Config.Secrets and OnWebhookCreated are nil, so its one-time secret could not be kept (use CreateWebhook): %w", wearables.ErrUnsupported)
	}
	w, err := p.CreateWebhook(ctx, callbackURL, want)
	if err != nil {
		return fmt.Errorf("polar: ensure subscriptions: %w", err)
	}
	if err := p.keepWebhookSecret(ctx, w); err != nil {
		if derr := p.DeleteWebhook(ctx, w.ID); derr != nil {
			return fmt.Errorf("polar: ensure subscriptions: store the webhook secret: %w (and deleting the webhook failed: %w)", err, derr)
		}
		return fmt.Errorf("polar: ensure subscriptions: store the webhook secret: %w", err)
	}
	return nil
}

// secretLost reports whether notifications of an existing webhook cannot
// be verified because its secret is nowhere: no Config.WebhookSecret, and
// Config.Secrets says it holds none (a store error is not taken as
// "none": the webhook is then left alone).
func (p *Provider) secretLost(ctx context.Context) bool {
	if p.cfg.WebhookSecret != "" || p.cfg.Secrets == nil {
		return false
	}
	_, err := p.cfg.Secrets.Secret(ctx, wearables.ProviderPolar, SecretWebhookSignature)
	return errors.Is(err, wearables.ErrNotFound)
}

// keepWebhookSecret stores a created webhook's secret in Config.Secrets
// and hands the webhook to Config.OnWebhookCreated, each when set.
func (p *Provider) keepWebhookSecret(ctx context.Context, w Webhook) error {
	if p.cfg.Secrets != nil {
		if err := p.cfg.Secrets.PutSecret(ctx, wearables.ProviderPolar, SecretWebhookSignature, w.SignatureSecretKey); err != nil {
			return err
		}
		p.rememberWebhookSecret(ctx, w.SignatureSecretKey)
	}
	if p.cfg.OnWebhookCreated != nil {
		return p.cfg.OnWebhookCreated(ctx, w)
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
