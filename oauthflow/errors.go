package oauthflow

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// classError is a sentinel that also matches one of the module-wide
// sentinels of package wearables, so the HTTP layer can map it to a status.
type classError struct {
	msg   string
	class error
}

func (e *classError) Error() string { return e.msg }

// Is reports whether target is the wearables sentinel e belongs to.
func (e *classError) Is(target error) bool { return e.class != nil && target == e.class }

// Sentinel errors. Each matches, besides itself, the wearables sentinel named
// in its comment, so callers can use either with errors.Is.
var (
	// ErrUnknownProvider: the provider is not configured. Matches wearables.ErrInvalid.
	ErrUnknownProvider error = &classError{"oauthflow: unknown provider", wearables.ErrInvalid}
	// ErrRedirectNotAllowed: the redirect URI is not in the allowlist
	// (exact match). Matches wearables.ErrInvalid.
	ErrRedirectNotAllowed error = &classError{"oauthflow: redirect uri not allowed", wearables.ErrInvalid}

	// ErrStateUnknown: the state parameter was never issued here, is
	// malformed, or was tampered with. Matches wearables.ErrInvalid.
	ErrStateUnknown error = &classError{"oauthflow: unknown state", wearables.ErrInvalid}
	// ErrStateReplayed: the state was already used by an earlier callback.
	// Matches wearables.ErrInvalid.
	ErrStateReplayed error = &classError{"oauthflow: state already used", wearables.ErrInvalid}
	// ErrStateExpired: the state is older than Config.StateTTL. (States are
	// kept an hour past their expiry to tell this apart; a callback later
	// than that gets ErrStateUnknown.) Matches wearables.ErrInvalid.
	ErrStateExpired error = &classError{"oauthflow: state expired", wearables.ErrInvalid}
	// ErrStateMismatch: the state was issued for another provider or another
	// redirect URI than the callback claims. The state is consumed all the
	// same. Matches wearables.ErrInvalid.
	ErrStateMismatch error = &classError{"oauthflow: state issued for another provider or redirect", wearables.ErrInvalid}

	// ErrNeedsReauth: the connection cannot get a token any more; the user
	// must connect again. A *ReauthError carries the details. Matches
	// wearables.ErrUnauthorized.
	ErrNeedsReauth error = &classError{"oauthflow: connection needs re-authorization", wearables.ErrUnauthorized}
	// ErrNoToken: the connection has no stored token. Matches
	// wearables.ErrNotFound.
	ErrNoToken error = &classError{"oauthflow: no token stored for connection", wearables.ErrNotFound}

	// ErrDecrypt: a stored token (or its envelope) failed authentication or
	// could not be parsed: it was corrupted, tampered with, moved to another
	// connection, or wrapped by a key that is not loaded.
	ErrDecrypt = errors.New("oauthflow: decryption failed")
	// ErrUnknownKey: a stored token references a key id that is not in the
	// keyring. Matches ErrDecrypt.
	ErrUnknownKey error = &classError{"oauthflow: key id not in keyring", ErrDecrypt}

	// ErrRevokeFailed: Disconnect could not revoke the token at the vendor;
	// the connection was revoked locally and its token deleted all the same.
	ErrRevokeFailed = errors.New("oauthflow: vendor revocation failed")
)

// ReauthError says why a connection needs the user to connect again. It
// matches ErrNeedsReauth and wearables.ErrUnauthorized.
type ReauthError struct {
	ConnectionID string
	Provider     wearables.ProviderID
	Status       wearables.ConnectionStatus // needs_reauth or revoked
	Reason       string                     // never contains secrets
}

func (e *ReauthError) Error() string {
	msg := "oauthflow: connection " + e.ConnectionID
	if e.Provider != "" {
		msg += " (" + string(e.Provider) + ")"
	}
	msg += " is " + string(e.Status)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Is reports whether target is ErrNeedsReauth or wearables.ErrUnauthorized.
func (e *ReauthError) Is(target error) bool {
	return target == ErrNeedsReauth || target == wearables.ErrUnauthorized
}

// TokenError is an unsuccessful call to a vendor's token or revocation
// endpoint. It never holds the request's secrets: the vendor's error
// description is kept with every secret we sent (code, verifier, refresh
// token, client secret) replaced by "[REDACTED]", and the response body is
// not kept.
//
// It matches wearables.ErrUnauthorized for invalid_grant, invalid_client,
// unauthorized_client and HTTP 401, and wearables.ErrRateLimited for HTTP
// 429.
type TokenError struct {
	Provider    wearables.ProviderID
	Op          string // "exchange code", "refresh", "revoke"
	StatusCode  int    // HTTP status; 0 when no response was received
	Code        string // RFC 6749 error code, e.g. "invalid_grant"
	Description string // RFC 6749 error_description, redacted and truncated
	Err         error  // the transport error when no response was received
}

func (e *TokenError) Error() string {
	msg := "oauthflow: " + string(e.Provider) + ": " + e.Op
	if e.StatusCode != 0 {
		msg += ": status " + strconv.Itoa(e.StatusCode)
	}
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Description != "" {
		msg += ": " + strconv.Quote(e.Description)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the transport error, if any.
func (e *TokenError) Unwrap() error { return e.Err }

// Is maps the response to the wearables sentinels.
func (e *TokenError) Is(target error) bool {
	switch target {
	case wearables.ErrUnauthorized:
		switch e.Code {
		case "invalid_grant", "invalid_client", "unauthorized_client":
			return true
		}
		return e.StatusCode == 401
	case wearables.ErrRateLimited:
		return e.StatusCode == 429
	}
	return false
}

// InvalidGrant reports whether the vendor rejected the grant (code or
// refresh token) itself.
func (e *TokenError) InvalidGrant() bool { return e.Code == "invalid_grant" }

// Temporary reports whether the same request may succeed later: 5xx, 408 and
// 429 responses and transport errors other than a cancelled context.
func (e *TokenError) Temporary() bool {
	if e.StatusCode != 0 {
		return e.StatusCode >= 500 || e.StatusCode == 408 || e.StatusCode == 429
	}
	if e.Err == nil {
		return false
	}
	return !errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, context.DeadlineExceeded)
}

// maxDescription bounds TokenError.Description.
const maxDescription = 200

// newTokenError converts an error of golang.org/x/oauth2 into a *TokenError
// that holds none of the given secrets.
func newTokenError(provider wearables.ProviderID, op string, err error, secrets ...string) *TokenError {
	te := &TokenError{Provider: provider, Op: op}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil {
			te.StatusCode = re.Response.StatusCode
		}
		te.Code = redact(re.ErrorCode, secrets)
		te.Description = redact(re.ErrorDescription, secrets)
		if len(te.Description) > maxDescription {
			te.Description = te.Description[:maxDescription]
		}
		return te
	}
	te.Err = &redactedError{msg: redact(err.Error(), secrets), err: err}
	return te
}

// redactedError presents an error's message with secrets removed while
// keeping it reachable by errors.Is/As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string    { return e.msg }
func (e *redactedError) Unwrap() error    { return e.err }
func (e *redactedError) GoString() string { return strconv.Quote(e.msg) }

// redactWith is what replaces a secret in messages.
const redactWith = "[REDACTED]"

// redact replaces every occurrence of each secret (and of its URL-encoded
// form) in s.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) < 4 { // too short to be a credential; replacing would garble text
			continue
		}
		s = strings.ReplaceAll(s, sec, redactWith)
		if q := url.QueryEscape(sec); q != sec {
			s = strings.ReplaceAll(s, q, redactWith)
		}
	}
	return s
}
