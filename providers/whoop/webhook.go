package whoop

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// Webhook signature headers.
const (
	// HeaderSignature carries base64(HMAC-SHA256(client secret,
	// timestamp + raw body)).
	HeaderSignature = "X-WHOOP-Signature"
	// HeaderSignatureTimestamp carries the signing time in Unix
	// milliseconds, as decimal text.
	HeaderSignatureTimestamp = "X-WHOOP-Signature-Timestamp"
)

// SignWebhook returns the headers WHOOP sends with body at ts, signed with
// secret (the app's client secret). It is how WHOOP signs; tests and tools
// use it to build requests VerifyWebhook accepts.
func SignWebhook(secret string, ts time.Time, body []byte) http.Header {
	stamp := strconv.FormatInt(ts.UnixMilli(), 10)
	h := http.Header{}
	h.Set(HeaderSignature, base64.StdEncoding.EncodeToString(signature(secret, stamp, body)))
	h.Set(HeaderSignatureTimestamp, stamp)
	return h
}

func signature(secret, stamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stamp))
	mac.Write(body)
	return mac.Sum(nil)
}

// VerifyWebhook implements wearables.WebhookHandler: body must carry a
// valid X-WHOOP-Signature for its X-WHOOP-Signature-Timestamp, keyed with
// Config.ClientSecret and compared in constant time, and the timestamp
// must be within Config.WebhookTolerance of now. Every failure — a missing
// or malformed header, a stale timestamp, a wrong signature, no client
// secret configured — matches wearables.ErrUnauthorized.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	fail := func(reason string) error {
		return fmt.Errorf("whoop: webhook: %s: %w", reason, wearables.ErrUnauthorized)
	}
	if p.cfg.ClientSecret == "" {
		return fail("no client secret configured")
	}
	sig := strings.TrimSpace(r.Header.Get(HeaderSignature))
	stamp := strings.TrimSpace(r.Header.Get(HeaderSignatureTimestamp))
	if sig == "" || stamp == "" {
		return fail("signature or timestamp header missing")
	}
	ms, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return fail("malformed timestamp")
	}
	age := p.cfg.Now().Sub(time.UnixMilli(ms))
	if age > p.cfg.WebhookTolerance || age < -p.cfg.WebhookTolerance {
		return fail("timestamp outside the tolerance of " + p.cfg.WebhookTolerance.String())
	}
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return fail("malformed signature")
	}
	if !hmac.Equal(got, signature(p.cfg.ClientSecret, stamp, body)) {
		return fail("signature mismatch")
	}
	return nil
}

// webhookTypes maps a WHOOP webhook type's object to the feed that holds
// it and the kind of record a delete removes. recovery.* events name the
// recovery by its sleep's UUID, which is the recovery Score's id.
var webhookTypes = map[string]struct {
	dataType wearables.DataType
	kinds    []wearables.RecordKind
}{
	"workout":  {wearables.DataWorkouts, []wearables.RecordKind{wearables.KindWorkout}},
	"sleep":    {wearables.DataSleep, []wearables.RecordKind{wearables.KindSleep, wearables.KindScore}},
	"recovery": {DataCycles, []wearables.RecordKind{wearables.KindScore}},
}

// ParseWebhook implements wearables.WebhookHandler. A WHOOP webhook names
// one object: "<object>.updated" is a hint to fetch the object's feed again
// (WHOOP sends no data); "<object>.deleted" carries the deletes inline
// (Records.Deletes), because the record is gone: workout.deleted removes
// the workout; sleep.deleted the sleep and the scores keyed by its UUID
// (its sleep performance, and its recovery, which WHOOP deletes with it);
// recovery.deleted the scores keyed by the sleep UUID it names. A v1-model
// webhook names objects by integer ids, which match no v2 record: its
// deletes are left as hints. The dedupe key is WHOOP's trace_id.
//
// A body that is not a WHOOP webhook matches wearables.ErrInvalid; an
// event type this package does not know matches wearables.ErrUnsupported.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var n rawWebhook
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, fmt.Errorf("whoop: parse webhook: %w: %w", wearables.ErrInvalid, err)
	}
	if n.Type == "" || n.ID == "" || n.UserID == "" {
		return nil, fmt.Errorf("whoop: parse webhook: type, id or user_id missing: %w", wearables.ErrInvalid)
	}
	object, action, _ := strings.Cut(n.Type, ".")
	t, known := webhookTypes[object]
	var kind wearables.WebhookEventKind
	switch action {
	case "updated":
		kind = wearables.WebhookUpdated
	case "deleted":
		kind = wearables.WebhookDeleted
	}
	if !known || kind == "" {
		return nil, fmt.Errorf("whoop: parse webhook: event type %q: %w", n.Type, wearables.ErrUnsupported)
	}
	e := wearables.WebhookEvent{
		ProviderUserID:   string(n.UserID),
		DataType:         t.dataType,
		Kind:             kind,
		ProviderRecordID: string(n.ID),
		DedupeKey:        dedupeKey(n),
	}
	if kind == wearables.WebhookDeleted && !isV1ID(n.ID) {
		b := &wearables.Batch{}
		for _, k := range t.kinds {
			b.Deletes = append(b.Deletes, wearables.Delete{Kind: k, Provider: wearables.ProviderWhoop, ProviderRecordID: string(n.ID)})
		}
		e.Records = b
	}
	return []wearables.WebhookEvent{e}, nil
}

// dedupeKey identifies a notification: WHOOP's trace_id, or a hash of the
// event's fields when a body has none.
func dedupeKey(n rawWebhook) string {
	if n.TraceID != "" {
		return "whoop:" + n.TraceID
	}
	return "whoop:" + normalize.RecordID("webhook", string(n.UserID), n.Type, string(n.ID))
}

// isV1ID reports whether id is a v1 integer id rather than a v2 UUID.
func isV1ID(id flexID) bool {
	_, err := strconv.ParseInt(string(id), 10, 64)
	return err == nil
}
