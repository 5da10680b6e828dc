package googlehealth

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// AuthorizationHeader is the header Google repeats the subscriber's
// endpointAuthorization secret in, with every notification.
const AuthorizationHeader = "Authorization"

// rawNotification is one webhook notification: {"data": {…}}, or the
// subscriber handshake {"type": "verification"}.
type rawNotification struct {
	Type string         `json:"type"`
	Data *rawNotifyData `json:"data"`
}

type rawNotifyData struct {
	Version                        string           `json:"version"`
	ClientProvidedSubscriptionName string           `json:"clientProvidedSubscriptionName"`
	HealthUserID                   string           `json:"healthUserId"`
	Operation                      string           `json:"operation"` // UPSERT or DELETE
	DataType                       string           `json:"dataType"`  // kebab-case
	Intervals                      []rawNotifyRange `json:"intervals"`
}

type rawNotifyRange struct {
	PhysicalTimeInterval *struct {
		StartTime string `json:"startTime"`
		EndTime   string `json:"endTime"`
	} `json:"physicalTimeInterval"`
}

// VerifyWebhook checks that the request carries the Authorization header
// value configured in Config.WebhookAuthorization, comparing in constant
// time. Google sends the same value with the subscriber handshake and with
// every notification; it does not sign the body with it, so this proves
// the sender knows the secret, not that the body is intact (Google's
// X-HEALTHAPI-SIGNATURE, an ECDSA signature of the body, is not checked:
// see the package documentation). Every failure, including an empty
// Config.WebhookAuthorization, is an error matching
// wearables.ErrUnauthorized. It is safe for concurrent use.
func (p *Provider) VerifyWebhook(r *http.Request, _ []byte) error {
	want := p.cfg.WebhookAuthorization
	if want == "" {
		return fmt.Errorf("googlehealth: webhook: no webhook authorization configured: %w", wearables.ErrUnauthorized)
	}
	got := r.Header.Get(AuthorizationHeader)
	if got == "" {
		return fmt.Errorf("googlehealth: webhook: %s missing: %w", AuthorizationHeader, wearables.ErrUnauthorized)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return fmt.Errorf("googlehealth: webhook: %s does not match: %w", AuthorizationHeader, wearables.ErrUnauthorized)
	}
	return nil
}

// webhookOps maps a notification's operation to an event kind.
var webhookOps = map[string]wearables.WebhookEventKind{
	"UPSERT": wearables.WebhookUpdated,
	"DELETE": wearables.WebhookDeleted,
}

// ParseWebhook decodes a verified body — one notification, or a JSON array
// of them — into events, one per notification of a data type this
// provider syncs (others, such as floors or altitude, yield nothing).
// Google's notifications only name a user, a data type and the time
// intervals that changed: each event is a hint to fetch its window
// [Start, End) again, and carries no records. A DELETE names no record
// ids either, so nothing can be deleted by id; its event has kind
// wearables.WebhookDeleted and the window. The subscriber handshake body
// {"type":"verification"} yields no events and no error. A body that is
// not a notification is an error matching wearables.ErrInvalid.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var list []rawNotification
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, fmt.Errorf("googlehealth: parse webhook: %w: %w", wearables.ErrInvalid, err)
		}
	} else {
		var one rawNotification
		if err := json.Unmarshal(body, &one); err != nil {
			return nil, fmt.Errorf("googlehealth: parse webhook: %w: %w", wearables.ErrInvalid, err)
		}
		list = []rawNotification{one}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("googlehealth: parse webhook: empty notification list: %w", wearables.ErrInvalid)
	}
	var events []wearables.WebhookEvent
	for i, n := range list {
		if n.Data == nil {
			if n.Type == "verification" {
				continue
			}
			return nil, fmt.Errorf("googlehealth: parse webhook: notification %d has no data: %w", i, wearables.ErrInvalid)
		}
		ev, ok, err := event(n.Data)
		if err != nil {
			return nil, fmt.Errorf("googlehealth: parse webhook: notification %d: %w", i, err)
		}
		if ok {
			events = append(events, ev)
		}
	}
	return events, nil
}

// event turns one notification into an event; ok is false for a data type
// this provider does not sync.
func event(d *rawNotifyData) (ev wearables.WebhookEvent, ok bool, err error) {
	kind, known := webhookOps[d.Operation]
	switch {
	case !known:
		return ev, false, fmt.Errorf("unknown operation %q: %w", d.Operation, wearables.ErrInvalid)
	case d.HealthUserID == "" || d.DataType == "":
		return ev, false, fmt.Errorf("healthUserId or dataType missing: %w", wearables.ErrInvalid)
	}
	dt, ok := webhookDataType(d.DataType)
	if !ok {
		return ev, false, nil
	}
	var start, end time.Time
	for j, iv := range d.Intervals {
		pt := iv.PhysicalTimeInterval
		if pt == nil {
			continue
		}
		a, err1 := normalize.ParseRFC3339(pt.StartTime)
		b, err2 := normalize.ParseRFC3339(pt.EndTime)
		if err1 != nil || err2 != nil || b.Time.Before(a.Time) {
			return ev, false, fmt.Errorf("interval %d is unreadable or ends before it starts: %w", j, wearables.ErrInvalid)
		}
		if start.IsZero() || a.Time.Before(start) {
			start = a.Time
		}
		if b.Time.After(end) {
			end = b.Time
		}
	}
	if !start.IsZero() && !end.After(start) {
		// An instant (a weight, a heart-rate sample): widen it so that the
		// window [Start, End) holds it.
		end = start.Add(time.Second)
	}
	ev = wearables.WebhookEvent{
		ProviderUserID: d.HealthUserID,
		DataType:       dt,
		Kind:           kind,
		Start:          start,
		End:            end,
		DedupeKey: strings.Join([]string{"googlehealth", d.HealthUserID, d.DataType, d.Operation,
			stamp(start), stamp(end), d.Version}, ":"),
	}
	return ev, true, nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("20060102T150405.999999999Z")
}

// webhookDataType finds the feed of a notification's data type. Daily
// totals follow the types they roll up.
func webhookDataType(kebab string) (wearables.DataType, bool) {
	for _, f := range feeds {
		if f.kebab == kebab {
			return f.dataType, true
		}
	}
	if kebab == "total-calories" {
		return wearables.DataDailySummaries, true
	}
	return "", false
}

// MaxHandshakeBody is how much of a request VerificationHandler reads to
// recognize the subscriber handshake; larger bodies are notifications and
// pass through unread beyond it.
const MaxHandshakeBody = 64 << 10

// VerificationHandler answers Google's subscriber handshake and passes
// every other request to next (the webhook intake, which calls
// VerifyWebhook and ParseWebhook). When a subscriber is created or its
// endpoint changes, Google POSTs {"type":"verification"} twice: with the
// configured Authorization header, which must be answered 201 Created,
// and without it, which must be answered 401. Mount it in front of the
// intake on the webhook URL. The handler is safe for concurrent use.
func (p *Provider) VerificationHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		head, err := io.ReadAll(io.LimitReader(r.Body, MaxHandshakeBody+1))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		if len(head) <= MaxHandshakeBody && IsHandshake(head) {
			if err := p.VerifyWebhook(r, head); err != nil {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			w.WriteHeader(http.StatusCreated)
			return
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		next.ServeHTTP(w, r)
	})
}

// IsHandshake reports whether body is Google's subscriber handshake,
// {"type":"verification"}, rather than a notification.
func IsHandshake(body []byte) bool {
	var n rawNotification
	return json.Unmarshal(body, &n) == nil && n.Type == "verification" && n.Data == nil
}

var _ wearables.WebhookHandler = (*Provider)(nil)
