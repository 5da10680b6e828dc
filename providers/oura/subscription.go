package oura

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/wearables-go/wearables"
)

// Subscription is an Oura webhook subscription (WebhookSubscriptionModel):
// Oura posts EventType notifications about DataType to CallbackURL until
// ExpirationTime, unless it is renewed.
type Subscription struct {
	ID             string    `json:"id"`
	CallbackURL    string    `json:"callback_url"`
	EventType      string    `json:"event_type"` // "create", "update" or "delete"
	DataType       string    `json:"data_type"`  // Oura's name: "sleep", "daily_readiness", "vo2_max" …
	ExpirationTime time.Time `json:"expiration_time"`
}

// subscriptionPath is the route of webhook subscription management.
const subscriptionPath = "/v2/webhook/subscription"

// eventTypes are the webhook event types EnsureSubscriptions subscribes to.
var eventTypes = []string{"create", "update", "delete"}

// ListSubscriptions returns the app's webhook subscriptions. Errors are
// *wearables.ProviderError values for vendor responses, transport errors
// wrapped. It is safe for concurrent use, as are the other subscription
// methods.
func (p *Provider) ListSubscriptions(ctx context.Context) ([]Subscription, error) {
	var out []Subscription
	if err := p.manage(ctx, http.MethodGet, "list subscriptions", subscriptionPath, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateSubscription subscribes callbackURL to eventType ("create",
// "update" or "delete") notifications about dataType (Oura's name, e.g.
// "sleep"). Oura checks the URL first with the handshake
// VerificationHandler answers, so the handler must already be mounted
// there. It fails with an error matching wearables.ErrInvalid when
// Config.VerificationToken is empty.
func (p *Provider) CreateSubscription(ctx context.Context, callbackURL, eventType, dataType string) (Subscription, error) {
	if p.cfg.VerificationToken == "" {
		return Subscription{}, fmt.Errorf("oura: create subscription: Config.VerificationToken is empty: %w", wearables.ErrInvalid)
	}
	body := map[string]string{
		"callback_url":       callbackURL,
		"verification_token": p.cfg.VerificationToken,
		"event_type":         eventType,
		"data_type":          dataType,
	}
	var out Subscription
	err := p.manage(ctx, http.MethodPost, "create subscription", subscriptionPath, body, &out)
	return out, err
}

// RenewSubscription extends the subscription with the given id and returns
// it with its new expiration time.
func (p *Provider) RenewSubscription(ctx context.Context, id string) (Subscription, error) {
	var out Subscription
	err := p.manage(ctx, http.MethodPut, "renew subscription", subscriptionPath+"/renew/"+url.PathEscape(id), nil, &out)
	return out, err
}

// DeleteSubscription removes the subscription with the given id.
func (p *Provider) DeleteSubscription(ctx context.Context, id string) error {
	return p.manage(ctx, http.MethodDelete, "delete subscription", subscriptionPath+"/"+url.PathEscape(id), nil, nil)
}

// EnsureSubscriptions makes callbackURL receive create, update and delete
// notifications for every data type this provider syncs that Oura sends
// webhooks for (all but heartrate): it lists the app's subscriptions,
// renews those for callbackURL that expire within Config.RenewBefore, and
// creates the missing ones. Run it at start-up and then daily. Failures of
// single subscriptions do not stop the others; they are returned joined.
// It implements wearables.SubscriptionManager.
func (p *Provider) EnsureSubscriptions(ctx context.Context, callbackURL string) error {
	existing, err := p.ListSubscriptions(ctx)
	if err != nil {
		return err
	}
	type key struct{ dataType, eventType string }
	have := map[key]Subscription{}
	for _, s := range existing {
		if s.CallbackURL == callbackURL {
			have[key{s.DataType, s.EventType}] = s
		}
	}
	renewBy := p.cfg.Now().Add(p.cfg.RenewBefore)
	var errs []error
	for _, e := range endpoints {
		if e.webhook == "" {
			continue
		}
		for _, ev := range eventTypes {
			s, ok := have[key{e.webhook, ev}]
			switch {
			case !ok:
				_, err = p.CreateSubscription(ctx, callbackURL, ev, e.webhook)
			case s.ExpirationTime.Before(renewBy):
				_, err = p.RenewSubscription(ctx, s.ID)
			default:
				continue
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// manage sends a subscription management request, authenticated with the
// app's client id and secret (not a user token), and decodes the answer
// into out when out is not nil.
func (p *Provider) manage(ctx context.Context, method, op, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("oura: %s: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := p.api.NewRequest(ctx, method, path, nil, body)
	if err != nil {
		return err
	}
	req.Header.Set("x-client-id", p.cfg.ClientID)
	req.Header.Set("x-client-secret", p.cfg.ClientSecret)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.api.Do(p.cfg.HTTPClient, op, req)
	if err != nil {
		return err
	}
	if out == nil {
		return resp.Body.Close()
	}
	return p.api.DecodeJSON(op, resp, out)
}

var _ wearables.SubscriptionManager = (*Provider)(nil)
