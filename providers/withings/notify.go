package withings

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// Notification categories ("appli") this package knows. Withings
// subscriptions and notifications are per category.
const (
	AppliWeight      = 1  // weight and body composition
	AppliTemperature = 2  // temperature
	AppliCardio      = 4  // blood pressure, heart rate, SpO2
	AppliActivity    = 16 // steps, activity, workouts
	AppliSleep       = 44 // sleep
	AppliUser        = 46 // actions on the user (action=delete, unlink, update)
	AppliBedIn       = 50 // in bed (Sleep Analyzer, real time)
	AppliBedOut      = 51 // out of bed
	AppliInflateDone = 52 // blood-pressure cuff inflation done
	AppliNoAccount   = 53 // device without an associated account
	AppliECG         = 54 // ECG recorded
	AppliECGFailed   = 55 // ECG failed
)

// DefaultApplis returns the categories EnsureUserSubscriptions subscribes
// by default: every category whose data this provider syncs, and user
// actions (to learn about unlinks).
func DefaultApplis() []int {
	return []int{AppliWeight, AppliTemperature, AppliCardio, AppliActivity, AppliSleep, AppliUser}
}

// Subscription is one notification subscription of a user (notify_object).
type Subscription struct {
	Appli       int    `json:"appli"`
	CallbackURL string `json:"callbackurl"`
	Comment     string `json:"comment"`
	// Expires is when Withings says the subscription ends, in epoch
	// seconds; 0 when it does not say (current subscriptions do not
	// expire).
	Expires int64 `json:"expires,omitempty"`
}

// subscriptionComment is the comment subscriptions are created with.
const subscriptionComment = "wearables"

// ListSubscriptions returns the subscriptions of the user whose token
// client sends (notify action=list). Errors are *wearables.ProviderError
// values for Withings statuses, transport errors wrapped. Like the other
// subscription methods it is safe for concurrent use.
func (p *Provider) ListSubscriptions(ctx context.Context, client *http.Client) ([]Subscription, error) {
	l, err := call[notifyList](ctx, p, withStatus(client), "list subscriptions", pathNotify, url.Values{"action": {"list"}})
	if err != nil {
		return nil, err
	}
	return l.Profiles, nil
}

// Subscribe subscribes callbackURL to the user's notifications of
// category appli (notify action=subscribe). Withings first checks the URL
// with a HEAD request and expects a 2xx (see VerificationHandler); its
// failure is a Withings status (293 and neighbours, matching
// wearables.ErrInvalid).
func (p *Provider) Subscribe(ctx context.Context, client *http.Client, callbackURL string, appli int) error {
	form := url.Values{"action": {"subscribe"}, "callbackurl": {callbackURL}, "appli": {strconv.Itoa(appli)}, "comment": {subscriptionComment}}
	_, err := call[json.RawMessage](ctx, p, withStatus(client), "subscribe "+strconv.Itoa(appli), pathNotify, form)
	return err
}

// Unsubscribe removes the subscription of callbackURL to category appli
// (notify action=revoke).
func (p *Provider) Unsubscribe(ctx context.Context, client *http.Client, callbackURL string, appli int) error {
	form := url.Values{"action": {"revoke"}, "callbackurl": {callbackURL}, "appli": {strconv.Itoa(appli)}}
	_, err := call[json.RawMessage](ctx, p, withStatus(client), "unsubscribe "+strconv.Itoa(appli), pathNotify, form)
	return err
}

// EnsureUserSubscriptions makes callbackURL receive the user's
// notifications of every category in Config.NotifyApplis: it lists the
// user's subscriptions and subscribes the missing ones. Withings
// subscriptions are per user, so this runs with the user's client — at
// connect time (ProviderUserID does it when Config.NotifyCallbackURL is
// set) and whenever the callback URL changes. Failures of single
// categories do not stop the others; they are returned joined.
func (p *Provider) EnsureUserSubscriptions(ctx context.Context, client *http.Client, callbackURL string) error {
	existing, err := p.ListSubscriptions(ctx, client)
	if err != nil {
		return err
	}
	have := map[int]bool{}
	for _, s := range existing {
		if s.CallbackURL == callbackURL {
			have[s.Appli] = true
		}
	}
	var errs []error
	for _, a := range p.cfg.NotifyApplis {
		if have[a] {
			continue
		}
		if err := p.Subscribe(ctx, client, callbackURL, a); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// WebhookTokenParam is the query parameter VerifyWebhook reads
// Config.WebhookToken from.
const WebhookTokenParam = "token"

// VerifyWebhook implements wearables.WebhookHandler. Withings does not sign
// its notifications; all there is to check is that the request is a POST
// and, when Config.WebhookToken is set, that the callback URL Withings
// called carries it as ?token= (compared in constant time). Withings also
// publishes the addresses it calls from (TXT records of
// ipblock-notify.withings.net), which a deployment can allow-list in front
// of the server. Either way a notification is only a hint: ParseWebhook
// carries no data, and the syncer fetches the window again with the
// user's own token, which is what makes a forged notification harmless.
// Errors match wearables.ErrUnauthorized.
func (p *Provider) VerifyWebhook(r *http.Request, body []byte) error {
	if r != nil && r.Method != http.MethodPost {
		return fmt.Errorf("withings: webhook: method %s: %w", r.Method, wearables.ErrUnauthorized)
	}
	if p.cfg.WebhookToken == "" {
		return nil
	}
	got := ""
	if r != nil && r.URL != nil {
		got = r.URL.Query().Get(WebhookTokenParam)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(p.cfg.WebhookToken)) != 1 {
		return fmt.Errorf("withings: webhook: %s parameter missing or wrong: %w", WebhookTokenParam, wearables.ErrUnauthorized)
	}
	return nil
}

// ParseWebhook implements wearables.WebhookHandler. A Withings notification
// is a form-encoded POST (userid, appli, and startdate/enddate in epoch
// seconds or a date; deviceid and action for some categories). It yields
// hints to re-fetch, with the window Withings names:
//
//   - appli 1, 2, 4 (body, temperature, cardio): DataMeasures;
//   - appli 16 (activity): DataActivity, DataIntraday and
//     wearables.DataWorkouts;
//   - appli 44 (sleep): wearables.DataSleep;
//   - appli 46 with action=delete or unlink: wearables.WebhookDeauthorize.
//
// Other categories (bed in/out, ECG, cuff inflation, user updates) yield
// no events and no error. A date without a time (YYYY-MM-DD) becomes the
// window from the day before to the day after, in UTC, since the
// notification does not say the user's zone. Each event's DedupeKey is
// built from every field of the notification and the data type, so
// Withings' retries of one notification share it. A body that is not a
// Withings notification is an error matching wearables.ErrInvalid.
func (p *Provider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("withings: parse webhook: %w: %w", wearables.ErrInvalid, err)
	}
	user, appliS := v.Get("userid"), v.Get("appli")
	if user == "" || !digits(user) {
		return nil, fmt.Errorf("withings: parse webhook: userid %q: %w", user, wearables.ErrInvalid)
	}
	appli, err := strconv.Atoi(appliS)
	if err != nil || appli < 0 {
		return nil, fmt.Errorf("withings: parse webhook: appli %q: %w", appliS, wearables.ErrInvalid)
	}
	start, end, err := notificationWindow(v)
	if err != nil {
		return nil, fmt.Errorf("withings: parse webhook: %w", err)
	}
	key := strings.Join([]string{"withings", user, appliS, v.Get("startdate"), v.Get("enddate"), v.Get("date"),
		v.Get("action"), v.Get("deviceid")}, ":")
	event := func(dt wearables.DataType, kind wearables.WebhookEventKind) wearables.WebhookEvent {
		return wearables.WebhookEvent{ProviderUserID: user, DataType: dt, Kind: kind, Start: start, End: end,
			DedupeKey: key + ":" + string(dt)}
	}
	switch appli {
	case AppliWeight, AppliTemperature, AppliCardio:
		return []wearables.WebhookEvent{event(DataMeasures, wearables.WebhookUpdated)}, nil
	case AppliActivity:
		return []wearables.WebhookEvent{
			event(DataActivity, wearables.WebhookUpdated),
			event(DataIntraday, wearables.WebhookUpdated),
			event(wearables.DataWorkouts, wearables.WebhookUpdated),
		}, nil
	case AppliSleep:
		return []wearables.WebhookEvent{event(wearables.DataSleep, wearables.WebhookUpdated)}, nil
	case AppliUser:
		switch v.Get("action") {
		case "delete", "unlink":
			e := event("", wearables.WebhookDeauthorize)
			e.Start, e.End = time.Time{}, time.Time{}
			return []wearables.WebhookEvent{e}, nil
		}
	}
	return nil, nil
}

// notificationWindow reads a notification's startdate/enddate (epoch
// seconds) or date (YYYY-MM-DD or epoch seconds). Neither is not an error
// (user actions carry none); a malformed one is.
func notificationWindow(v url.Values) (time.Time, time.Time, error) {
	epoch := func(name string) (time.Time, error) {
		n, err := strconv.ParseInt(v.Get(name), 10, 64)
		if err != nil || n < 0 || n > 1<<40 {
			return time.Time{}, fmt.Errorf("%s %q is not epoch seconds: %w", name, v.Get(name), wearables.ErrInvalid)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	switch {
	case v.Get("startdate") != "" || v.Get("enddate") != "":
		s, err := epoch("startdate")
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		e, err := epoch("enddate")
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		if e.Before(s) {
			return time.Time{}, time.Time{}, fmt.Errorf("enddate before startdate: %w", wearables.ErrInvalid)
		}
		// Withings' bounds are inclusive; windows are half-open.
		return s, e.Add(time.Second), nil
	case v.Get("date") != "":
		if d, err := wearables.ParseDate(v.Get("date")); err == nil {
			return d.AddDays(-1).In(time.UTC), d.AddDays(2).In(time.UTC), nil
		}
		t, err := epoch("date")
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		return t, t.Add(time.Second), nil
	}
	return time.Time{}, time.Time{}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0 && len(s) <= 20
}

// VerificationHandler answers the check Withings makes of a callback URL
// when a subscription is created: a HEAD (or GET) that must get a 2xx.
// Mount it on the notification callback URL for HEAD and GET
// (notifications themselves are POSTs to the same URL); any other method
// gets 405. The handler is safe for concurrent use.
func (p *Provider) VerificationHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead && r.Method != http.MethodGet {
			w.Header().Set("Allow", "HEAD, GET")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

var _ wearables.WebhookHandler = (*Provider)(nil)
