package withings

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Withings answers HTTP 200 to nearly everything and puts the outcome in
// the body's status. These are the statuses the package treats specially;
// the families of the others follow the "Response Status" table of the
// OpenAPI document.
const (
	// StatusOK is success.
	StatusOK = 0
	// StatusInvalidToken is an expired or revoked access token (inside an
	// HTTP 200).
	StatusInvalidToken = 401
	// StatusTooManyRequests is the 120 requests/minute limit.
	StatusTooManyRequests = 601
	// StatusTimeout is a Withings-side timeout; retry.
	StatusTimeout = 522
)

// DefaultRateLimitDelay is the RetryAfter given to a status 601: Withings
// says neither when its window resets nor how long to wait, and its limit
// is per minute.
const DefaultRateLimitDelay = time.Minute

// statusClass is the family of a Withings status.
type statusClass uint8

const (
	classOK statusClass = iota
	classAuthFailed
	classInvalidParams
	classUnauthorized // "Unauthorized": not allowed to call the service (scope, plan)
	classNotImplemented
	classTimeout
	classRateLimited
	classError // "An error occurred", "Bad state" and anything unlisted
)

// invalidParamRanges are the statuses of the "Invalid params" family.
var invalidParamRanges = [...][2]int{
	{201, 213}, {216, 218}, {220, 221}, {223, 223}, {225, 225}, {227, 230}, {234, 236}, {238, 238},
	{240, 252}, {254, 254}, {260, 267}, {271, 272}, {275, 276}, {283, 288}, {290, 290}, {293, 295},
	{297, 297}, {300, 304}, {321, 321}, {323, 353}, {380, 382}, {400, 400}, {501, 511}, {523, 523},
	{532, 532}, {3017, 3019},
}

// classify returns the family of a Withings status.
func classify(status int) statusClass {
	switch {
	case status == StatusOK:
		return classOK
	case status >= 100 && status <= 102, status == 200, status == StatusInvalidToken:
		return classAuthFailed
	case status == 214, status == 277, status == 2553, status == 2555:
		return classUnauthorized
	case status == 2554:
		return classNotImplemented
	case status == StatusTimeout:
		return classTimeout
	case status == StatusTooManyRequests:
		return classRateLimited
	}
	for _, r := range invalidParamRanges {
		if status >= r[0] && status <= r[1] {
			return classInvalidParams
		}
	}
	return classError
}

// statusError turns a non-zero Withings status into a
// *wearables.ProviderError whose StatusCode is the Withings status and
// whose chain matches the sentinel of its family: wearables.ErrUnauthorized
// for "Authentication failed" (100–102, 200, 401) and "Unauthorized",
// wearables.ErrRateLimited for 601 (RateLimited set, RetryAfter
// DefaultRateLimitDelay), wearables.ErrInvalid for "Invalid params",
// wearables.ErrUnsupported for "Not implemented". Body holds the status
// and Withings' message, never request data.
func statusError(op string, status int, message string) *wearables.ProviderError {
	body := []byte(`{"status":` + strconv.Itoa(status) + `,"error":` + strconv.Quote(message) + `}`)
	pe := wearables.NewProviderError(wearables.ProviderWithings, op, status, body)
	switch classify(status) {
	case classAuthFailed, classUnauthorized:
		if status != 401 {
			pe.Err = wearables.ErrUnauthorized
		}
	case classRateLimited:
		pe.RateLimited = true
		pe.RetryAfter = DefaultRateLimitDelay
	case classInvalidParams:
		pe.Err = wearables.ErrInvalid
	case classNotImplemented:
		pe.Err = wearables.ErrUnsupported
	}
	return pe
}

// fromHTTPError re-reads a *wearables.ProviderError for an HTTP 401 whose
// body is a Withings envelope (statusTransport turns an in-body
// "Authentication failed" into an HTTP 401 so that the shared transport
// refreshes; when the retry fails too, this restores Withings' status).
// Other errors are returned unchanged.
func fromHTTPError(err error) error {
	var pe *wearables.ProviderError
	if !errors.As(err, &pe) || pe.StatusCode != http.StatusUnauthorized {
		return err
	}
	status, ok := leadingStatus(pe.Body)
	if !ok || status == StatusOK || status == http.StatusUnauthorized {
		return err
	}
	var env envelope[struct{}]
	_ = json.Unmarshal(pe.Body, &env) // best effort: the message only
	return statusError(pe.Op, status, env.Error)
}

// statusPeek is how many bytes statusTransport reads ahead to find the
// status: `{"status":401,` and some whitespace.
const statusPeek = 64

// statusTransport sits under providerhttp.Transport and shows it Withings'
// in-body authentication failures as what they are: it peeks at the start
// of each HTTP 200 body and, when the leading "status" is in the
// "Authentication failed" family (100–102, 200, 401), answers HTTP 401
// with the same body, so the shared transport forces one token refresh and
// retries once. Everything else passes through untouched. Withings puts
// status first in every documented body; a body where it comes later is
// still mapped to the right error by the decoder, just without the
// refresh.
type statusTransport struct {
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t statusTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK || resp.Body == nil {
		return resp, err
	}
	br := bufio.NewReaderSize(resp.Body, statusPeek)
	head, _ := br.Peek(statusPeek) // a shorter body (or an error) yields what there is
	resp.Body = readCloser{Reader: br, Closer: resp.Body}
	if status, ok := leadingStatus(head); ok && classify(status) == classAuthFailed {
		resp.StatusCode = http.StatusUnauthorized
		resp.Status = "401 Unauthorized"
	}
	return resp, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// leadingStatus reads the status of a body that starts `{"status":N`
// (whitespace allowed), as every Withings response does.
func leadingStatus(b []byte) (int, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, false
	}
	i = skipSpace(b, i+1)
	const key = `"status"`
	if len(b)-i < len(key) || string(b[i:i+len(key)]) != key {
		return 0, false
	}
	i = skipSpace(b, i+len(key))
	if i >= len(b) || b[i] != ':' {
		return 0, false
	}
	i = skipSpace(b, i+1)
	n, digits := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9' && digits < 9; i++ {
		n = n*10 + int(b[i]-'0')
		digits++
	}
	if digits == 0 || i >= len(b) || (b[i] != ',' && b[i] != '}' && b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') {
		return 0, false
	}
	return n, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// withStatus returns client with statusTransport slipped under the shared
// providerhttp.Transport, so an in-body 401 costs one refresh and one
// retry like an HTTP 401 does for every other vendor.
//
// TODO(providerhttp): this reaches into the transport the caller built.
// providerhttp should let a vendor declare how it recognizes an
// authentication failure (for instance an API field
// `Unauthorized func(*http.Response) bool` carried to Transport through
// the request context); see the package documentation.
func withStatus(client *http.Client) *http.Client {
	if client == nil {
		return nil
	}
	t, ok := client.Transport.(*providerhttp.Transport)
	if !ok {
		return client
	}
	c := *client
	c.Transport = &providerhttp.Transport{Tokens: t.Tokens, Base: statusTransport{base: t.Base}}
	return &c
}

// describeStatus names a status for messages.
func describeStatus(status int) string {
	switch classify(status) {
	case classAuthFailed:
		return "authentication failed"
	case classInvalidParams:
		return "invalid params"
	case classUnauthorized:
		return "unauthorized"
	case classNotImplemented:
		return "not implemented"
	case classTimeout:
		return "timeout"
	case classRateLimited:
		return "too many requests"
	}
	return fmt.Sprintf("status %d", status)
}
