package strava

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/wearables-go/wearables"
)

// VerifyWebhook implements wearables.WebhookHandler. Strava does not sign
// its webhooks: all there is to check is that the request is a POST whose
// subscription_id is this application's (Config.SubscriptionID). That id is
// not a secret, so a verified event is still only a hint: ParseWebhook
// carries no data, and the syncer fetches the activity again with the
// user's own token (FetchActivity), which is what makes a forged event
// harmless — including a forged deletion, confirmed only by a 404, and a
// forged deauthorization, confirmed only when the token stops working.
// Errors match wearables.ErrUnauthorized.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	if p.cfg.SubscriptionID <= 0 {
		return fmt.Errorf("strava: webhook: Config.SubscriptionID is not set: %w", wearables.ErrUnauthorized)
	}
	if r != nil && r.Method != http.MethodPost {
		return fmt.Errorf("strava: webhook: method %s: %w", r.Method, wearables.ErrUnauthorized)
	}
	var e struct {
		SubscriptionID stravaID `json:"subscription_id"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return fmt.Errorf("strava: webhook: malformed body: %w", wearables.ErrUnauthorized)
	}
	if string(e.SubscriptionID) != strconv.FormatInt(p.cfg.SubscriptionID, 10) {
		return fmt.Errorf("strava: webhook: subscription %q is not ours: %w", string(e.SubscriptionID), wearables.ErrUnauthorized)
	}
	return nil
}

// ParseWebhook implements wearables.WebhookHandler. It maps one Strava event
// to notifications that carry no records (hints to re-fetch):
//
//   - activity create: WebhookCreated for wearables.DataWorkouts, and for
//     DataStreams when Config.Streams is set;
//   - activity update (title, type or privacy changed): WebhookUpdated for
//     DataWorkouts, and for DataStreams when the type changed (streams land
//     on series chosen by sport);
//   - activity delete: WebhookDeleted for DataWorkouts (samples cannot be
//     deleted by record id);
//   - athlete update with updates.authorized "false": WebhookDeauthorize.
//
// ProviderUserID is owner_id and ProviderRecordID the activity id; Start and
// End are zero, since event_time is when the event happened, not when the
// activity did. Other athlete events yield no events and no error. Each
// event's DedupeKey is built from the subscription, object, aspect,
// event_time, updates and data type, so Strava's retries of one event (up
// to three attempts) share it. A body that is not a Strava event is an
// error matching wearables.ErrInvalid.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var e rawEvent
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("strava: parse webhook: %w: %w", wearables.ErrInvalid, err)
	}
	if e.ObjectID == "" || e.OwnerID == "" {
		return nil, fmt.Errorf("strava: parse webhook: object_id or owner_id missing: %w", wearables.ErrInvalid)
	}
	var kind wearables.WebhookEventKind
	switch e.AspectType {
	case "create":
		kind = wearables.WebhookCreated
	case "update":
		kind = wearables.WebhookUpdated
	case "delete":
		kind = wearables.WebhookDeleted
	default:
		return nil, fmt.Errorf("strava: parse webhook: aspect_type %q: %w", e.AspectType, wearables.ErrInvalid)
	}
	event := func(dt wearables.DataType, kind wearables.WebhookEventKind, record string) wearables.WebhookEvent {
		return wearables.WebhookEvent{
			ProviderUserID:   string(e.OwnerID),
			DataType:         dt,
			Kind:             kind,
			ProviderRecordID: record,
			DedupeKey:        dedupeKey(&e, dt),
		}
	}
	switch e.ObjectType {
	case "athlete":
		if kind == wearables.WebhookUpdated && isFalse(e.Updates["authorized"]) {
			return []wearables.WebhookEvent{event("", wearables.WebhookDeauthorize, "")}, nil
		}
		return nil, nil
	case "activity":
		id := string(e.ObjectID)
		events := []wearables.WebhookEvent{event(wearables.DataWorkouts, kind, id)}
		_, typeChanged := e.Updates["type"]
		if p.cfg.Streams && (kind == wearables.WebhookCreated || (kind == wearables.WebhookUpdated && typeChanged)) {
			events = append(events, event(DataStreams, kind, id))
		}
		return events, nil
	}
	return nil, fmt.Errorf("strava: parse webhook: object_type %q: %w", e.ObjectType, wearables.ErrInvalid)
}

// isFalse reports whether an updates value says false: Strava sends the
// string "false"; a JSON false is accepted too.
func isFalse(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.EqualFold(x, "false")
	case bool:
		return !x
	}
	return false
}

// dedupeKey identifies one notification: Strava events have no id, so the
// key is every field of the event (updates in key order, hashed) plus the
// data type it announces.
func dedupeKey(e *rawEvent, dt wearables.DataType) string {
	key := "strava:" + string(e.SubscriptionID) + ":" + e.ObjectType + ":" + string(e.ObjectID) + ":" +
		e.AspectType + ":" + strconv.FormatInt(e.EventTime, 10)
	if len(e.Updates) > 0 {
		keys := make([]string, 0, len(e.Updates))
		for k := range e.Updates {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		h := sha256.New()
		for _, k := range keys {
			fmt.Fprintf(h, "%q=%v;", k, e.Updates[k])
		}
		key += ":" + hex.EncodeToString(h.Sum(nil)[:8])
	}
	if dt != "" {
		key += ":" + string(dt)
	}
	return key
}

// Errors of AnswerChallenge.
var (
	// ErrChallengeToken: hub.verify_token is not Config.VerifyToken (or
	// none is configured). It matches wearables.ErrUnauthorized.
	ErrChallengeToken = fmt.Errorf("strava: subscription challenge: wrong hub.verify_token: %w", wearables.ErrUnauthorized)
	// ErrChallengeMalformed: hub.mode is not "subscribe" or hub.challenge
	// is missing. It matches wearables.ErrInvalid.
	ErrChallengeMalformed = fmt.Errorf("strava: subscription challenge: malformed request: %w", wearables.ErrInvalid)
)

// AnswerChallenge answers Strava's validation of a subscription's callback
// URL: a GET with hub.mode=subscribe, hub.verify_token and hub.challenge,
// to which the callback replies {"hub.challenge": "<challenge>"} within two
// seconds. It returns that JSON body, or ErrChallengeToken when the token is
// not Config.VerifyToken (compared in constant time), or
// ErrChallengeMalformed.
func (p *Provider) AnswerChallenge(q url.Values) ([]byte, error) {
	want := p.cfg.VerifyToken
	got := q.Get("hub.verify_token")
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return nil, ErrChallengeToken
	}
	challenge := q.Get("hub.challenge")
	if q.Get("hub.mode") != "subscribe" || challenge == "" {
		return nil, ErrChallengeMalformed
	}
	return json.Marshal(map[string]string{"hub.challenge": challenge})
}

// ChallengeHandler returns the handler to mount on the webhook callback URL
// for GET requests: it answers Strava's subscription validation with
// AnswerChallenge — 200 and the JSON body, 403 for a wrong verify token, 400
// for a malformed request, 405 for other methods. Events arrive as POSTs on
// the same URL and go through VerifyWebhook and ParseWebhook instead.
func (p *Provider) ChallengeHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := p.AnswerChallenge(r.URL.Query())
		switch {
		case errors.Is(err, wearables.ErrUnauthorized):
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		case err != nil:
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}
