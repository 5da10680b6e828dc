package demo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// Webhook headers of the demo vendor.
const (
	// SignatureHeader carries "v1=" and the hex HMAC-SHA256, keyed with the
	// webhook secret, of the timestamp, a dot and the raw body.
	SignatureHeader = "X-Demo-Signature"
	// TimestampHeader carries the Unix time in seconds the body was signed.
	TimestampHeader = "X-Demo-Timestamp"
)

// Notification is the body the demo vendor posts to a webhook: new or
// changed data of one account and data type, a hint to fetch the window.
type Notification struct {
	EventID   string             `json:"event_id"`
	AccountID string             `json:"account_id"`
	DataType  wearables.DataType `json:"data_type"`
	Event     string             `json:"event"` // "created", "updated" or "deleted"
	RecordID  string             `json:"record_id,omitempty"`
	Start     time.Time          `json:"start,omitzero"`
	End       time.Time          `json:"end,omitzero"`
}

// SignWebhook returns the headers the demo vendor sends with body at ts.
func SignWebhook(secret string, ts time.Time, body []byte) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	h := http.Header{}
	h.Set(SignatureHeader, "v1="+hex.EncodeToString(webhookMAC(secret, stamp, body)))
	h.Set(TimestampHeader, stamp)
	return h
}

func webhookMAC(secret, stamp string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return mac.Sum(nil)
}

// VerifyWebhook checks the signature (constant time) and that the
// timestamp is within Config.WebhookMaxAge of now. Failures match
// wearables.ErrUnauthorized. Without a configured WebhookSecret every
// webhook is refused.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	if p.cfg.WebhookSecret == "" {
		return fmt.Errorf("demo: webhook: no webhook secret configured: %w", wearables.ErrUnauthorized)
	}
	sig, ok := strings.CutPrefix(r.Header.Get(SignatureHeader), "v1=")
	stamp := r.Header.Get(TimestampHeader)
	secs, err := strconv.ParseInt(stamp, 10, 64)
	if !ok || sig == "" || err != nil {
		return fmt.Errorf("demo: webhook: signature or timestamp header missing: %w", wearables.ErrUnauthorized)
	}
	age := p.cfg.Now().Sub(time.Unix(secs, 0))
	if age > p.cfg.WebhookMaxAge || age < -p.cfg.WebhookMaxAge {
		return fmt.Errorf("demo: webhook: timestamp is %s away from now: %w", age.Round(time.Second), wearables.ErrUnauthorized)
	}
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, webhookMAC(p.cfg.WebhookSecret, stamp, body)) {
		return fmt.Errorf("demo: webhook: bad signature: %w", wearables.ErrUnauthorized)
	}
	return nil
}

var webhookKinds = map[string]wearables.WebhookEventKind{
	"created": wearables.WebhookCreated,
	"updated": wearables.WebhookUpdated,
	"deleted": wearables.WebhookDeleted,
}

// ParseWebhook decodes a verified notification into one event. A body that
// is not a notification, or names an unknown data type or event, is an
// error matching wearables.ErrInvalid.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var n Notification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, fmt.Errorf("demo: parse webhook: %w: %v", wearables.ErrInvalid, err)
	}
	kind, ok := webhookKinds[n.Event]
	_, known := endpointFor(n.DataType)
	if !ok || !known || n.EventID == "" || n.AccountID == "" {
		return nil, fmt.Errorf("demo: parse webhook: event %q of %q: %w", n.Event, n.DataType, wearables.ErrInvalid)
	}
	return []wearables.WebhookEvent{{
		ProviderUserID:   n.AccountID,
		DataType:         n.DataType,
		Kind:             kind,
		ProviderRecordID: n.RecordID,
		Start:            n.Start.UTC(),
		End:              n.End.UTC(),
		DedupeKey:        "demo:" + n.EventID,
	}}, nil
}
