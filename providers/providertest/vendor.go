package providertest

import (
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Vendor describes how a vendor's API behaves, so the fake server can
// impersonate it: its OAuth endpoints and client authentication, its
// pagination, its rate-limit headers, its error bodies, its webhook
// signatures. A vendor package declares one Vendor value in its tests; the
// zero value is a vendor with body-auth token endpoint at /oauth/token, no
// pagination and no webhooks.
type Vendor struct {
	// AuthorizePath is the path of the vendor's authorize page. Defaults
	// to "/oauth/authorize".
	AuthorizePath string
	// TokenPath is the path of the vendor's token endpoint. Defaults to
	// "/oauth/token".
	TokenPath string
	// AuthStyle is how the token endpoint wants the client credentials:
	// oauth2.AuthStyleInHeader (HTTP Basic: Polar, Fitbit) or
	// oauth2.AuthStyleInParams (form body: Oura, WHOOP, Strava). The fake
	// server rejects the other style with 401 invalid_client, so a provider
	// declaring the wrong style in its OAuthSpec fails the kit.
	// oauth2.AuthStyleAutoDetect accepts either. Defaults to AutoDetect.
	AuthStyle oauth2.AuthStyle
	// PKCE is true when the vendor requires PKCE (S256); the fake server
	// then rejects authorize requests without a code_challenge and code
	// exchanges without the matching code_verifier.
	PKCE bool
	// RotateRefreshTokens is true when every refresh returns a new refresh
	// token and invalidates the old one (WHOOP, Oura, Strava, Garmin).
	RotateRefreshTokens bool
	// NoRefreshToken is true for vendors whose access tokens are long-lived
	// and come without a refresh token (Polar). A 401 then must surface as
	// wearables.ErrUnauthorized without any refresh.
	NoRefreshToken bool
	// AccessTokenTTL is the expires_in of issued access tokens. Defaults to
	// one hour.
	AccessTokenTTL time.Duration
	// TokenExtra holds extra fields of the vendor's token response
	// (Polar's x_user_id, Strava's athlete), sent verbatim.
	TokenExtra map[string]any
	// Revoke, when its Path is set, is the vendor's revocation endpoint:
	// the fake server revokes the access token given as a bearer header or
	// as a token / access_token parameter, and answers Revoke.Status.
	Revoke Revoke

	// Pagination says how a page token reaches the vendor.
	Pagination Pagination
	// RateLimit names the vendor's rate-limit headers; the fake server sends
	// them on data responses and 429s, and the provider parses them with
	// the same value (see providerhttp.API.RateLimit).
	RateLimit providerhttp.RateLimitHeaders
	// Quota, when Requests > 0, makes the fake server enforce a fixed-window
	// limit on data requests and answer 429 beyond it, as the vendor would.
	// Zero disables the limit (faults can still inject 429s).
	Quota Quota
	// ErrorBody returns the body the vendor sends with an error status (401,
	// 404, 429 and injected faults alike), in
	// the vendor's own format (Oura's RFC 7807, Polar's {status, errorType,
	// message}). Defaults to {"error": "<status text>"}.
	ErrorBody func(status int) string
	// RewriteURLs lists vendor base URLs ("https://www.polaraccesslink.com")
	// that recorded bodies and headers contain (webhook resource URLs, Link
	// headers). The fake server replaces them with its own URL when serving,
	// so the recorded files stay byte-for-byte what the vendor sent.
	RewriteURLs []string

	// Webhook describes the vendor's webhook signature.
	Webhook Webhook
}

// Revoke describes a vendor's token revocation endpoint.
type Revoke struct {
	// Method is the HTTP method. Defaults to POST.
	Method string
	// Path is the endpoint's path; empty means the vendor has none.
	Path string
	// Status is the success status. Defaults to 200.
	Status int
}

// Pagination says how a vendor names the page token in its requests. The
// recorded pages of a Case declare the token that requests each of them;
// the fake server picks the page by the value of Param.
type Pagination struct {
	// Param is the query parameter carrying the page token: "next_token"
	// (Oura), "nextToken" (WHOOP), "page" (Strava), "pageToken" (Google),
	// or the token parameter inside the URLs of a vendor's Link headers.
	// Empty means the vendor does not paginate.
	Param string
	// Numbered is true for page-number pagination (Strava): the first page
	// is page "1" (sent or not), and a request past the last recorded page
	// is answered with EmptyPage, which is how such vendors say "no more".
	Numbered bool
	// EmptyPage is the body of a page past the end, e.g. "[]". Used only
	// when Numbered.
	EmptyPage string
}

// Quota is a fixed-window request limit.
type Quota struct {
	// Requests allowed per Window.
	Requests int
	// Window length. Defaults to one minute.
	Window time.Duration
}

// Webhook describes how a vendor signs its webhook requests. The kit signs
// each recorded webhook body with Sign and checks that the provider's
// VerifyWebhook accepts it, and rejects a tampered body, a wrong secret, a
// stale timestamp and each missing header.
type Webhook struct {
	// Path is where the vendor posts webhooks (only used to build requests).
	// Defaults to "/webhook".
	Path string
	// Sign returns the headers the vendor sends with body at ts, signed with
	// secret (for instance x-oura-signature and x-oura-timestamp) — only
	// the headers verification needs: the kit removes each in turn and
	// expects the webhook to be rejected. Nil for
	// vendors that do not sign (Strava, Garmin): the kit then only checks
	// parsing and the vectors marked Reject.
	Sign func(secret string, ts time.Time, body []byte) http.Header
	// Timestamped is true when the signature covers a timestamp the provider
	// must check for staleness; the kit then also sends a vector signed an
	// hour ago, which must be rejected.
	Timestamped bool
	// UsesClientSecret is true when the vendor signs with the OAuth client
	// secret (Oura, WHOOP); otherwise with a separate webhook secret (Polar's
	// signature_secret_key). The kit signs with Env.ClientSecret or
	// Env.WebhookSecret accordingly.
	UsesClientSecret bool
}

func (v Vendor) authorizePath() string {
	if v.AuthorizePath != "" {
		return v.AuthorizePath
	}
	return "/oauth/authorize"
}

func (v Vendor) tokenPath() string {
	if v.TokenPath != "" {
		return v.TokenPath
	}
	return "/oauth/token"
}

func (v Vendor) accessTTL() time.Duration {
	if v.AccessTokenTTL > 0 {
		return v.AccessTokenTTL
	}
	return time.Hour
}

func (v Vendor) webhookPath() string {
	if v.Webhook.Path != "" {
		return v.Webhook.Path
	}
	return "/webhook"
}
