package syncer

import (
	"errors"
	"fmt"
	"time"

	"github.com/wearables-go/wearables"
)

// MaxBackfillDays bounds Settings.BackfillDays.
const MaxBackfillDays = 365

// Settings are the per-provider knobs of the syncer. DefaultSettings gives
// each provider's defaults; Config.Settings overrides them field by field.
type Settings struct {
	// Overlap is how far before the cursor each incremental sync starts,
	// because vendors revise recent data (late uploads, re-scored sleep).
	// Defaults to 3 days.
	Overlap time.Duration
	// InitialWindow is how far back the first incremental sync of a data
	// type reaches (history before it is the backfill's job). Defaults to
	// 2 days.
	InitialWindow time.Duration
	// MaxWindow is the longest [Start, End) one Fetch may ask for; longer
	// spans are split. Defaults to 30 days, or the provider's
	// SyncProfile.MaxWindow when shorter.
	MaxWindow time.Duration
	// MaxBackfillWindow is the longest window one RequestBackfill call asks
	// for (wearables.BackfillRequester vendors); longer backfills are sent as
	// several requests, newest first. Defaults to the provider's
	// SyncProfile.MaxBackfillWindow, else MaxWindow.
	MaxBackfillWindow time.Duration
	// NotificationOnly: the vendor allows no pulls it did not announce
	// (SyncProfile.NotificationOnly: Garmin). Its connections get no
	// scheduled, first or manual syncs (SyncConnection returns
	// ErrNotificationOnly); data comes from webhooks — pushed inline or
	// fetched with the notification's pull token (PullAnnounced) — and
	// history from backfill requests. Defaults to the provider's profile.
	NotificationOnly bool
	// BackfillDays is how much history a new connection backfills, newest
	// first, in chunks of MaxWindow; at most MaxBackfillDays. Defaults to 30.
	BackfillDays int
	// MaxWebhookBody caps a webhook request body. Defaults to 1 MiB, or the
	// provider's SyncProfile.MaxWebhookBody when larger (Garmin: 100 MB,
	// the size of Activity Details pushes Garmin requires partners to take).
	MaxWebhookBody int64
	// Limits are the vendor's published request limits for one vendor app,
	// enforced before every call. Defaults per vendor (none for unknown
	// providers).
	Limits []Limit
	// MaxLimiterWait is the longest a worker sleeps for the outbound limiter;
	// a longer wait snoozes the job instead. Defaults to 2 s.
	MaxLimiterWait time.Duration
	// SyncInterval is how often pull-mode connections are synced by the
	// periodic job. Defaults to 1 hour.
	SyncInterval time.Duration
}

// Limit is one published vendor limit: Requests per Per, for the whole
// vendor app (all users).
type Limit struct {
	Requests int
	Per      time.Duration
}

// DefaultSettings returns the defaults for a provider, with the vendor's
// published app-wide limits where known. A configured provider's
// SyncProfile adjusts them (see ProviderSettings).
func DefaultSettings(id wearables.ProviderID) Settings {
	s := Settings{
		Overlap:        3 * 24 * time.Hour,
		InitialWindow:  2 * 24 * time.Hour,
		MaxWindow:      30 * 24 * time.Hour,
		BackfillDays:   30,
		MaxWebhookBody: 1 << 20,
		MaxLimiterWait: 2 * time.Second,
		SyncInterval:   time.Hour,
	}
	switch id {
	case wearables.ProviderOura:
		s.Limits = []Limit{{Requests: 5000, Per: 5 * time.Minute}}
	case wearables.ProviderWhoop:
		s.Limits = []Limit{{Requests: 100, Per: time.Minute}, {Requests: 10_000, Per: 24 * time.Hour}}
	case wearables.ProviderStrava:
		s.Limits = []Limit{{Requests: 200, Per: 15 * time.Minute}, {Requests: 2000, Per: 24 * time.Hour}}
	case wearables.ProviderPolar:
		s.Limits = []Limit{{Requests: 500, Per: 15 * time.Minute}, {Requests: 5000, Per: 24 * time.Hour}}
	}
	return s
}

// ProviderSettings returns the defaults for p: DefaultSettings adjusted by
// p's SyncProfile, when it has one.
func ProviderSettings(p wearables.Provider) Settings {
	s := DefaultSettings(p.ID())
	sp, ok := p.(wearables.SyncProfiler)
	if !ok {
		return s
	}
	prof := sp.SyncProfile()
	if prof.MaxWindow > 0 && prof.MaxWindow < s.MaxWindow {
		s.MaxWindow = prof.MaxWindow
	}
	if prof.MaxBackfillWindow > 0 {
		s.MaxBackfillWindow = prof.MaxBackfillWindow
	}
	if prof.MaxWebhookBody > s.MaxWebhookBody {
		s.MaxWebhookBody = prof.MaxWebhookBody
	}
	s.NotificationOnly = prof.NotificationOnly
	return s
}

func (s Settings) merge(o Settings) Settings {
	if o.Overlap > 0 {
		s.Overlap = o.Overlap
	}
	if o.InitialWindow > 0 {
		s.InitialWindow = o.InitialWindow
	}
	if o.MaxWindow > 0 {
		s.MaxWindow = o.MaxWindow
	}
	if o.MaxBackfillWindow > 0 {
		s.MaxBackfillWindow = o.MaxBackfillWindow
	}
	if o.NotificationOnly {
		s.NotificationOnly = true
	}
	if o.BackfillDays > 0 {
		s.BackfillDays = o.BackfillDays
	}
	if o.MaxWebhookBody > 0 {
		s.MaxWebhookBody = o.MaxWebhookBody
	}
	if o.Limits != nil {
		s.Limits = o.Limits
	}
	if o.MaxLimiterWait > 0 {
		s.MaxLimiterWait = o.MaxLimiterWait
	}
	if o.SyncInterval > 0 {
		s.SyncInterval = o.SyncInterval
	}
	return s
}

// RateLimitError says a vendor call must wait: the vendor answered 429 (or
// its own rate-limit signal) or the outbound limiter has no budget left. It
// matches wearables.ErrRateLimited.
type RateLimitError struct {
	Provider   wearables.ProviderID
	RetryAfter time.Duration
	Local      bool // true when our own limiter, not the vendor, said wait
}

func (e *RateLimitError) Error() string {
	who := "vendor"
	if e.Local {
		who = "outbound limiter"
	}
	return fmt.Sprintf("syncer: %s: %s rate limit: retry after %s", e.Provider, who, e.RetryAfter)
}

// Is reports whether target is wearables.ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == wearables.ErrRateLimited }

// DefaultRetryAfter is the wait after a rate limit that names no reset.
const DefaultRetryAfter = time.Minute

// RetryAfter reports how long to wait after err when it is a rate limit
// (a *RateLimitError, or a *wearables.ProviderError with Retry-After or the
// vendor's reset header; DefaultRetryAfter when neither says), relative to
// now.
func RetryAfter(err error, now time.Time) (time.Duration, bool) {
	if !errors.Is(err, wearables.ErrRateLimited) {
		return 0, false
	}
	var rl *RateLimitError
	if errors.As(err, &rl) && rl.RetryAfter > 0 {
		return rl.RetryAfter, true
	}
	var pe *wearables.ProviderError
	if errors.As(err, &pe) {
		if !pe.ResetAt.IsZero() && pe.ResetAt.After(now) {
			return pe.ResetAt.Sub(now), true
		}
		if pe.RetryAfter > 0 {
			return pe.RetryAfter, true
		}
	}
	return DefaultRetryAfter, true
}
