package wearables

import (
	"context"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// OAuthSpec is what a provider tells the OAuth flow about its vendor.
type OAuthSpec struct {
	// Endpoint holds the authorize and token URLs and the client auth style
	// (oauth2.AuthStyleInHeader for HTTP Basic, AuthStyleInParams for body).
	Endpoint oauth2.Endpoint
	// Scopes requested by default.
	Scopes []string
	// PKCE is true when the vendor accepts PKCE (S256).
	PKCE bool
	// AuthParams are extra query parameters for the authorize URL
	// (e.g. access_type=offline).
	AuthParams map[string]string
}

// FetchRequest asks a provider for one page of one data type.
type FetchRequest struct {
	// Client sends authorized requests: it adds the access token and
	// refreshes it when needed.
	Client     *http.Client
	Connection Connection
	DataType   DataType
	// Start and End bound the window to fetch, [Start, End).
	Start, End time.Time
	// PageToken continues a window; empty for its first page.
	PageToken string
	// Location is the time zone of the connection's user (User.TimeZone),
	// for vendors that send local wall time without an offset (Polar's
	// daily and continuous feeds); nil when the user has none.
	Location *time.Location
}

// Rejection records a vendor record that normalization refused (an
// implausible value, a malformed field), with a reason that can be stored and
// shown. The rest of its page proceeds.
type Rejection struct {
	Kind             RecordKind `json:"kind"`
	ProviderRecordID string     `json:"provider_record_id,omitempty"`
	Type             SeriesType `json:"type,omitempty"` // for samples
	Time             time.Time  `json:"time,omitzero"`
	Field            string     `json:"field,omitempty"`
	Reason           string     `json:"reason"`
}

// FetchResult is one page of normalized records.
type FetchResult struct {
	// Records holds the normalized records; its UserID is left empty for the
	// caller to fill.
	Records Batch
	// Rejected lists vendor records refused by normalization.
	Rejected []Rejection
	// NextPageToken is empty when the window is exhausted.
	NextPageToken string
}

// Provider is the strategy a vendor package implements: how to connect to
// the vendor and how to fetch and normalize its data. Implementations are
// safe for concurrent use. Optional capabilities (webhooks, subscriptions,
// backfill, revocation) are the separate interfaces below, checked by type
// assertion.
type Provider interface {
	// ID is the provider's stable name.
	ID() ProviderID
	// OAuth describes the vendor's OAuth 2.0 endpoints and options.
	OAuth() OAuthSpec
	// DataTypes lists the feeds the provider syncs, each with its own cursor.
	DataTypes() []DataType
	// Fetch returns one page of one data type. Errors from the vendor are
	// *ProviderError values (matching ErrUnauthorized, ErrRateLimited …).
	Fetch(ctx context.Context, req FetchRequest) (FetchResult, error)
}

// ProviderUserIDReader reads the vendor's id of the account that just
// authorized, after the code exchange.
type ProviderUserIDReader interface {
	ProviderUserID(ctx context.Context, client *http.Client, tok *oauth2.Token) (string, error)
}

// Revoker revokes a token at the vendor when a user disconnects. conn is
// the connection being ended (its ProviderUserID names the vendor account,
// which some vendors de-register by id: Polar); client is a plain client,
// not authorized with tok.
type Revoker interface {
	Revoke(ctx context.Context, client *http.Client, conn Connection, tok *oauth2.Token) error
}

// WebhookEventKind says what a webhook notification announces.
type WebhookEventKind string

// Webhook event kinds.
const (
	WebhookCreated     WebhookEventKind = "created"
	WebhookUpdated     WebhookEventKind = "updated"
	WebhookDeleted     WebhookEventKind = "deleted"
	WebhookDeauthorize WebhookEventKind = "deauthorized"
)

// WebhookEvent is one notification parsed from a vendor webhook body.
type WebhookEvent struct {
	ProviderUserID   string
	DataType         DataType
	Kind             WebhookEventKind
	ProviderRecordID string
	Start, End       time.Time // the window the event concerns, when known
	// Records holds data pushed inline (Garmin push, Suunto); nil for
	// notifications that are only hints to re-fetch.
	Records *Batch
	// Rejected lists pushed records normalization refused, with the
	// reasons; the rest of the push is in Records.
	Rejected []Rejection
	// PageToken, when set, is the token the vendor requires to fetch the
	// window the notification announces (Garmin PING: the pull token of its
	// callback URL): pass it as FetchRequest.PageToken with Start and End.
	// Vendors that allow no unannounced pulls (SyncProfile.NotificationOnly)
	// can be fetched only this way.
	PageToken string
	// DedupeKey identifies the notification for the inbox's unique index.
	DedupeKey string
}

// WebhookHandler is implemented by providers that receive webhooks.
type WebhookHandler interface {
	// VerifyWebhook checks the signature (constant time, timestamp
	// tolerance) of a request whose body has already been read. It returns
	// an error matching ErrUnauthorized when verification fails.
	VerifyWebhook(r *http.Request, body []byte) error
	// ParseWebhook decodes a verified body into events.
	ParseWebhook(body []byte) ([]WebhookEvent, error)
}

// SubscriptionManager is implemented by providers whose webhooks need a
// subscription created or renewed at the vendor (Oura, Polar, Withings).
type SubscriptionManager interface {
	EnsureSubscriptions(ctx context.Context, callbackURL string) error
}

// SyncProfile is how a vendor allows itself to be synced, where that
// departs from a syncer's defaults. Providers declare it by implementing
// SyncProfiler; zero fields leave the defaults.
type SyncProfile struct {
	// NotificationOnly: the vendor forbids pulls it did not announce
	// (Garmin). There are no scheduled, first or manual syncs: data arrives
	// by webhook, pushed inline (WebhookEvent.Records) or announced with a
	// pull token (WebhookEvent.PageToken), and history through a
	// BackfillRequester.
	NotificationOnly bool
	// MaxWindow is the longest [Start, End) one Fetch accepts.
	MaxWindow time.Duration
	// MaxBackfillWindow is the longest window one RequestBackfill call
	// should cover.
	MaxBackfillWindow time.Duration
	// MaxWebhookBody is the largest notification body the vendor may send.
	MaxWebhookBody int64
}

// SyncProfiler is implemented by providers with a SyncProfile.
type SyncProfiler interface {
	SyncProfile() SyncProfile
}

// BackfillRequester is implemented by providers whose history arrives
// asynchronously after a request (Garmin).
type BackfillRequester interface {
	RequestBackfill(ctx context.Context, client *http.Client, dataType DataType, start, end time.Time) error
}
