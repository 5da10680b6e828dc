package suunto

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// SignatureHeader carries a webhook's signature: the hex HMAC-SHA256 of
// the raw body, keyed with the notification secret.
const SignatureHeader = "X-HMAC-SHA256-Signature"

// Webhook notification types.
const (
	EventWorkoutCreated  = "WORKOUT_CREATED"
	EventRouteCreated    = "ROUTE_CREATED"
	EventActivityCreated = "SUUNTO_247_ACTIVITY_CREATED"
	EventSleepCreated    = "SUUNTO_247_SLEEP_CREATED"
	EventRecoveryCreated = "SUUNTO_247_RECOVERY_CREATED"
)

// Sign returns the X-HMAC-SHA256-Signature of body under secret: the
// lower-case hex HMAC-SHA256 of the raw body.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook implements wearables.WebhookHandler: the request must carry
// an X-HMAC-SHA256-Signature that equals the HMAC-SHA256 of body under
// Config.NotificationSecret, compared in constant time (hex in either
// case). Suunto signs no timestamp, so there is no staleness check; a
// replayed notification carries records already stored, which upserts
// leave unchanged. Failures — no header, no configured secret, a
// signature that is not hex or does not match — match
// wearables.ErrUnauthorized.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	sig := strings.TrimSpace(r.Header.Get(SignatureHeader))
	if sig == "" {
		return fmt.Errorf("suunto: webhook: no %s header: %w", SignatureHeader, wearables.ErrUnauthorized)
	}
	if p.cfg.NotificationSecret == "" {
		return fmt.Errorf("suunto: webhook: no notification secret configured: %w", wearables.ErrUnauthorized)
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return fmt.Errorf("suunto: webhook: signature is not hex: %w", wearables.ErrUnauthorized)
	}
	mac := hmac.New(sha256.New, []byte(p.cfg.NotificationSecret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return fmt.Errorf("suunto: webhook: bad signature: %w", wearables.ErrUnauthorized)
	}
	return nil
}

// ParseWebhook implements wearables.WebhookHandler. Suunto pushes its data
// inline, so each notification becomes one event whose Records hold the
// normalized records (implausible ones are dropped, as Fetch would move
// them to Rejected):
//
//	WORKOUT_CREATED              workouts: the workout (and its gear), ProviderRecordID its workoutKey
//	SUUNTO_247_SLEEP_CREATED     sleep: the sessions and their sleep scores (ProviderRecordID the
//	                             SleepId when there is one session)
//	SUUNTO_247_ACTIVITY_CREATED  activity_samples: heart rate, steps, SpO2, energy, HRV samples
//	SUUNTO_247_RECOVERY_CREATED  recovery: body-battery samples
//
// Start and End span the records. ROUTE_CREATED (routes are not synced),
// types Suunto may add later and 24/7 notifications with no samples yield
// no events and no error, so Suunto sees them acknowledged. A body that is
// not a JSON notification, or one without username, type, workout or
// samples, is an error matching wearables.ErrInvalid. The dedupe key is the
// type, the username and a hash of the body: a redelivery of the same body
// has the same key.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var n rawNotification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, fmt.Errorf("suunto: parse webhook: %w: %w", wearables.ErrInvalid, err)
	}
	if n.Type == "" {
		return nil, fmt.Errorf("suunto: parse webhook: no type: %w", wearables.ErrInvalid)
	}
	var dt wearables.DataType
	switch n.Type {
	case EventWorkoutCreated:
		dt = wearables.DataWorkouts
	case EventSleepCreated:
		dt = wearables.DataSleep
	case EventActivityCreated:
		dt = DataActivitySamples
	case EventRecoveryCreated:
		dt = DataRecovery
	default:
		return nil, nil // ROUTE_CREATED, or a type this provider does not know yet
	}
	if n.Username == "" {
		return nil, fmt.Errorf("suunto: parse webhook: %s without username: %w", n.Type, wearables.ErrInvalid)
	}
	var res wearables.FetchResult
	recordID := ""
	switch n.Type {
	case EventWorkoutCreated:
		if n.Workout == nil {
			return nil, fmt.Errorf("suunto: parse webhook: %s without workout: %w", n.Type, wearables.ErrInvalid)
		}
		recordID = string(n.Workout.WorkoutKey)
		if recordID == "" {
			recordID = string(n.Workout.WorkoutID)
		}
		normalizeWorkout(n.Workout, n.Gear, &res)
		finish(&res)
	default:
		if len(bytes.TrimSpace(n.Samples)) == 0 || bytes.Equal(bytes.TrimSpace(n.Samples), []byte("null")) {
			return nil, fmt.Errorf("suunto: parse webhook: %s without samples: %w", n.Type, wearables.ErrInvalid)
		}
		var err error
		switch n.Type {
		case EventSleepCreated:
			res, err = decodeEntries(n.Samples, normalizeSleep)
		case EventActivityCreated:
			res, err = decodeEntries(n.Samples, normalizeActivity)
		default:
			res, err = decodeEntries(n.Samples, normalizeRecovery)
		}
		if err != nil {
			return nil, fmt.Errorf("suunto: parse webhook: %s samples: %w: %w", n.Type, wearables.ErrInvalid, err)
		}
		if res.Records.Len() == 0 && len(res.Rejected) == 0 {
			return nil, nil // no samples: nothing to store
		}
		if len(res.Records.Sleep) == 1 {
			recordID = res.Records.Sleep[0].ProviderRecordID
		}
	}
	sum := sha256.Sum256(body)
	e := wearables.WebhookEvent{
		ProviderUserID:   n.Username,
		DataType:         dt,
		Kind:             wearables.WebhookCreated,
		ProviderRecordID: recordID,
		DedupeKey:        "suunto:" + n.Type + ":" + n.Username + ":" + hex.EncodeToString(sum[:16]),
	}
	e.Start, e.End = span(&res.Records)
	if res.Records.Len() > 0 || len(res.Rejected) > 0 {
		// A push, even when every record was refused: fetching it again
		// would only be refused again.
		b := res.Records
		e.Records, e.Rejected = &b, res.Rejected
	}
	return []wearables.WebhookEvent{e}, nil
}

// decodeEntries decodes a samples array of 24/7 entries and normalizes it.
func decodeEntries[T any](raw json.RawMessage, norm func(*rawEntry[T], *wearables.FetchResult)) (wearables.FetchResult, error) {
	var entries []rawEntry[T]
	if err := json.Unmarshal(raw, &entries); err != nil {
		return wearables.FetchResult{}, err
	}
	return normalizeEntries(entries, norm), nil
}

// span returns the earliest start and the latest end (or instant) of the
// records in b; zero times when b is empty.
func span(b *wearables.Batch) (start, end time.Time) {
	add := func(s, e time.Time) {
		if e.IsZero() {
			e = s
		}
		if start.IsZero() || s.Before(start) {
			start = s
		}
		if e.After(end) {
			end = e
		}
	}
	for _, s := range b.Samples {
		add(s.Start, s.End)
	}
	for _, w := range b.Workouts {
		add(w.Start, w.End)
	}
	for _, s := range b.Sleep {
		add(s.Start, s.End)
	}
	return start, end
}

var _ wearables.WebhookHandler = (*Provider)(nil)
