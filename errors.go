package wearables

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Sentinel errors. Every error this module returns that belongs to one of
// these classes matches it with errors.Is, whatever concrete type carries it.
// The HTTP layer maps them to status codes in one place.
var (
	// ErrNotFound: the object does not exist (or belongs to another tenant).
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: credentials are missing, expired or revoked.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrRateLimited: a rate limit was hit; a *ProviderError or *RateLimitError
	// in the chain says when to retry.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnsupported: the provider or store does not offer the operation.
	ErrUnsupported = errors.New("unsupported")
	// ErrConflict: the write conflicts with existing state (a duplicate
	// external id, a state token already used).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the input is malformed or implausible. A *ValidationError in
	// the chain names the field and the reason.
	ErrInvalid = errors.New("invalid input")
)

// ValidationError reports why a value was rejected. It matches ErrInvalid.
type ValidationError struct {
	Kind   RecordKind // the kind of record, if the error is about one
	Index  int        // position of the record in its batch slice; -1 if not applicable
	Field  string     // the offending field, e.g. "Value" or "End"
	Reason string     // a human-readable reason, safe to store and show
}

func (e *ValidationError) Error() string {
	msg := "invalid"
	if e.Kind != "" {
		msg += " " + string(e.Kind)
		if e.Index >= 0 {
			msg += "[" + strconv.Itoa(e.Index) + "]"
		}
	}
	if e.Field != "" {
		msg += " " + e.Field
	}
	return msg + ": " + e.Reason
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// invalid builds a *ValidationError.
func invalid(kind RecordKind, index int, field, format string, args ...any) error {
	return &ValidationError{Kind: kind, Index: index, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// MaxErrorBody is how many bytes of a vendor response body a ProviderError keeps.
const MaxErrorBody = 2048

// ProviderError is an unsuccessful response from a vendor API. It matches
// ErrUnauthorized for 401, ErrRateLimited for 429 (and for vendors that signal
// rate limits inside a 200 body, when RateLimited is set), ErrNotFound for 404
// and ErrInvalid for 400/422. Body is truncated to MaxErrorBody bytes and must
// never contain tokens: provider packages pass response bodies only, never
// request headers.
type ProviderError struct {
	Provider    ProviderID
	Op          string // what was attempted, e.g. "list sleep"
	StatusCode  int    // HTTP status, or the vendor's own status code for vendors that always answer 200
	Body        []byte // the start of the response body
	RetryAfter  time.Duration
	ResetAt     time.Time // when the vendor's rate window resets, if it said
	RateLimited bool      // set when the vendor signals a rate limit other than by HTTP 429
	Err         error     // underlying cause, if any
}

func (e *ProviderError) Error() string {
	msg := string(e.Provider) + ": " + e.Op + ": status " + strconv.Itoa(e.StatusCode)
	if e.RetryAfter > 0 {
		msg += " (retry after " + e.RetryAfter.String() + ")"
	}
	if len(e.Body) > 0 {
		b := e.Body
		if len(b) > 200 {
			b = b[:200]
		}
		msg += ": " + strconv.Quote(string(b))
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *ProviderError) Unwrap() error { return e.Err }

// Is maps the status to the sentinel errors.
func (e *ProviderError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == 401
	case ErrRateLimited:
		return e.StatusCode == 429 || e.RateLimited
	case ErrNotFound:
		return e.StatusCode == 404
	case ErrInvalid:
		return e.StatusCode == 400 || e.StatusCode == 422
	}
	return false
}

// Temporary reports whether retrying the same request later may succeed:
// 5xx responses, 408, rate limits, and bodies cut short in transfer.
func (e *ProviderError) Temporary() bool {
	return e.StatusCode >= 500 || e.StatusCode == 408 || e.Is(ErrRateLimited) || errors.Is(e.Err, io.ErrUnexpectedEOF)
}

// NewProviderError builds a *ProviderError, keeping at most MaxErrorBody
// bytes of body.
func NewProviderError(provider ProviderID, op string, status int, body []byte) *ProviderError {
	if len(body) > MaxErrorBody {
		body = body[:MaxErrorBody]
	}
	return &ProviderError{Provider: provider, Op: op, StatusCode: status, Body: append([]byte(nil), body...)}
}
