package oura

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// Webhook headers Oura signs its notifications with.
const (
	SignatureHeader = "X-Oura-Signature"
	TimestampHeader = "X-Oura-Timestamp"
)

// Sign returns the signature Oura sends in x-oura-signature for body sent
// at timestamp (the x-oura-timestamp value, as sent): HMAC-SHA256 over
// timestamp followed by the raw body, keyed with the client secret, in
// upper-case hex. It is exported for tests and tools that replay
// notifications.
func Sign(clientSecret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(timestamp))
	mac.Write(body)
	return strings.ToUpper(hex.EncodeToString(mac.Sum(nil)))
}

// VerifyWebhook checks a notification's x-oura-signature against its raw
// body and x-oura-timestamp, in constant time and ignoring the hex digits'
// case, and refuses a timestamp further than Config.WebhookTolerance from
// now. Every failure is an error matching wearables.ErrUnauthorized. It is
// safe for concurrent use.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	sig, stamp := r.Header.Get(SignatureHeader), r.Header.Get(TimestampHeader)
	if sig == "" || stamp == "" {
		return fmt.Errorf("oura: webhook: %s or %s missing: %w", SignatureHeader, TimestampHeader, wearables.ErrUnauthorized)
	}
	at, ok := parseStamp(stamp)
	if !ok {
		return fmt.Errorf("oura: webhook: malformed %s %q: %w", TimestampHeader, stamp, wearables.ErrUnauthorized)
	}
	if age := p.cfg.Now().Sub(at); age > p.cfg.WebhookTolerance || age < -p.cfg.WebhookTolerance {
		return fmt.Errorf("oura: webhook: timestamp is %s away from now: %w", age.Round(time.Second), wearables.ErrUnauthorized)
	}
	got, err := hex.DecodeString(sig)
	want, _ := hex.DecodeString(Sign(p.cfg.ClientSecret, stamp, body))
	if err != nil || !hmac.Equal(got, want) {
		return fmt.Errorf("oura: webhook: signature does not match: %w", wearables.ErrUnauthorized)
	}
	return nil
}

// parseStamp reads x-oura-timestamp: Unix seconds (as observed), Unix
// milliseconds, or an RFC 3339 time.
func parseStamp(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e12 || n < -1e12 {
			return normalize.UnixMilli(n, wearables.NoOffset).Time, true
		}
		return normalize.Unix(n, wearables.NoOffset).Time, true
	}
	in, err := normalize.ParseRFC3339(s)
	return in.Time, err == nil
}

// webhookKinds maps Oura's event_type to event kinds.
var webhookKinds = map[string]wearables.WebhookEventKind{
	"create": wearables.WebhookCreated,
	"update": wearables.WebhookUpdated,
	"delete": wearables.WebhookDeleted,
}

// ParseWebhook decodes a verified notification body into one event. Oura
// notifications name the record without its data, so the event is a hint
// to fetch it — except a delete, which carries the Delete of the record
// (the sleep, workout, session or score with that id) inline. A
// notification for a data type this provider does not sync (tag,
// ring_configuration …) yields no events and no error. A body that is not
// an Oura notification is an error matching wearables.ErrInvalid.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var n rawNotification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, fmt.Errorf("oura: parse webhook: %w: %w", wearables.ErrInvalid, err)
	}
	kind, ok := webhookKinds[n.EventType]
	switch {
	case !ok:
		return nil, fmt.Errorf("oura: parse webhook: unknown event_type %q: %w", n.EventType, wearables.ErrInvalid)
	case n.DataType == "" || n.ObjectID == "" || n.UserID == "":
		return nil, fmt.Errorf("oura: parse webhook: data_type, object_id or user_id missing: %w", wearables.ErrInvalid)
	}
	e, ok := webhookEndpoint(n.DataType)
	if !ok {
		return nil, nil
	}
	ev := wearables.WebhookEvent{
		ProviderUserID:   string(n.UserID),
		DataType:         e.dataType,
		Kind:             kind,
		ProviderRecordID: string(n.ObjectID),
		DedupeKey:        strings.Join([]string{"oura", string(n.UserID), n.DataType, string(n.ObjectID), n.EventType, n.EventTime}, ":"),
	}
	if kind == wearables.WebhookDeleted {
		if dels := deletesFor(e.dataType, string(n.ObjectID)); len(dels) > 0 {
			ev.Records = &wearables.Batch{Deletes: dels}
		}
	}
	return []wearables.WebhookEvent{ev}, nil
}

// deletesFor lists what a deleted document of dt removes. A session is a
// workout or a nap, so both are named; deleting what is absent is a no-op.
func deletesFor(dt wearables.DataType, id string) []wearables.Delete {
	del := func(k wearables.RecordKind) wearables.Delete {
		return wearables.Delete{Kind: k, Provider: wearables.ProviderOura, ProviderRecordID: id}
	}
	switch dt {
	case wearables.DataSleep:
		return []wearables.Delete{del(wearables.KindSleep)}
	case wearables.DataWorkouts:
		return []wearables.Delete{del(wearables.KindWorkout)}
	case DataSessions:
		return []wearables.Delete{del(wearables.KindWorkout), del(wearables.KindSleep)}
	case DataHeartRate, DataVO2Max, DataDailySpO2:
		return nil // samples and summaries are not deleted by id
	}
	return []wearables.Delete{del(wearables.KindScore)}
}

// webhookEndpoint finds the feed of an Oura webhook data_type.
func webhookEndpoint(dataType string) (endpoint, bool) {
	for _, e := range endpoints {
		if e.webhook != "" && e.webhook == dataType {
			return e, true
		}
	}
	return endpoint{}, false
}

// VerificationHandler answers Oura's subscription handshake: when a
// subscription is created, Oura sends GET callback_url?verification_token=
// …&challenge=… and expects 200 with {"challenge": "<challenge>"} if the
// token is Config.VerificationToken. A wrong token gets 401, a request
// without a challenge 400, and any method but GET 405. Mount it on the
// webhook callback URL for GET requests (notifications are POSTs to the
// same URL). The handler is safe for concurrent use.
func (p *Provider) VerificationHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		q := r.URL.Query()
		challenge, token := q.Get("challenge"), q.Get("verification_token")
		if challenge == "" {
			http.Error(w, "challenge missing", http.StatusBadRequest)
			return
		}
		if p.cfg.VerificationToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(p.cfg.VerificationToken)) != 1 {
			http.Error(w, "verification token does not match", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"challenge": challenge})
	})
}

var _ wearables.WebhookHandler = (*Provider)(nil)
