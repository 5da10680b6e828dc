package coros

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/wearables-go/wearables"
)

// VerifyWebhook implements wearables.WebhookHandler: a workout push must
// carry the partner's client id and secret in the ClientHeader and
// SecretHeader headers (compared in constant time). COROS signs nothing,
// so a push is untrusted input: ParseWebhook's openIds must be checked
// against known connections. Errors match wearables.ErrUnauthorized.
func (p *Provider) VerifyWebhook(r *http.Request, _ []byte) error {
	if p.cfg.ClientID == "" || p.cfg.ClientSecret == "" {
		return fmt.Errorf("coros: verify webhook: Config.ClientID and ClientSecret are required: %w", wearables.ErrUnauthorized)
	}
	client, secret := r.Header.Get(ClientHeader), r.Header.Get(SecretHeader)
	okClient := subtle.ConstantTimeCompare([]byte(client), []byte(p.cfg.ClientID))
	okSecret := subtle.ConstantTimeCompare([]byte(secret), []byte(p.cfg.ClientSecret))
	if okClient&okSecret != 1 {
		return fmt.Errorf("coros: verify webhook: client credentials do not match: %w", wearables.ErrUnauthorized)
	}
	return nil
}

// ParseWebhook implements wearables.WebhookHandler: one created event per
// pushed workout ({"sportDataList": [...]}, each with its openId), the
// normalized workout inline in WebhookEvent.Records. A body that is not
// such a list, or a workout without openId or labelId, is an error
// matching wearables.ErrInvalid.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var hook rawWebhook
	if err := json.Unmarshal(body, &hook); err != nil {
		return nil, fmt.Errorf("coros: parse webhook: %w: %w", wearables.ErrInvalid, err)
	}
	if hook.SportDataList == nil {
		return nil, fmt.Errorf("coros: parse webhook: no sportDataList: %w", wearables.ErrInvalid)
	}
	events := make([]wearables.WebhookEvent, 0, len(hook.SportDataList))
	for i := range hook.SportDataList {
		w := &hook.SportDataList[i]
		if w.OpenID == "" || w.LabelID == "" {
			return nil, fmt.Errorf("coros: parse webhook: workout %d has no openId or labelId: %w", i, wearables.ErrInvalid)
		}
		res := normalizeWorkouts(hook.SportDataList[i:i+1], "")
		ev := wearables.WebhookEvent{
			ProviderUserID:   string(w.OpenID),
			DataType:         wearables.DataWorkouts,
			Kind:             wearables.WebhookCreated,
			ProviderRecordID: string(w.LabelID),
			Records:          &res.Records,
			Rejected:         res.Rejected,
			DedupeKey:        "coros:" + string(w.OpenID) + ":" + string(w.LabelID),
		}
		if len(res.Records.Workouts) == 1 {
			ev.Start, ev.End = res.Records.Workouts[0].Start, res.Records.Workouts[0].End
		}
		events = append(events, ev)
	}
	return events, nil
}

var _ wearables.WebhookHandler = (*Provider)(nil)
