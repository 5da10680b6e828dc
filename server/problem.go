package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

// ProblemTypeBase prefixes every problem type URI. The suffix names the
// error kind and is stable: clients may switch on it.
const ProblemTypeBase = "https://wearables-go.github.io/problems/"

// Problem type suffixes, one per error kind.
const (
	ProblemInvalid       = "invalid"        // 400, 422: malformed or implausible input
	ProblemUnauthorized  = "unauthorized"   // 401: missing, expired or revoked credentials
	ProblemForbidden     = "forbidden"      // 403: valid credentials without the right
	ProblemNotFound      = "not-found"      // 404: no such object for this caller
	ProblemConflict      = "conflict"       // 409: duplicate external id, used state
	ProblemTooLarge      = "too-large"      // 413: body over the limit
	ProblemRateLimited   = "rate-limited"   // 429: slow down; see Retry-After
	ProblemUnsupported   = "unsupported"    // 501: the provider or store cannot do it
	ProblemUpstream      = "upstream"       // 502: the vendor failed
	ProblemUnavailable   = "unavailable"    // 503: not ready
	ProblemInternal      = "internal"       // 500: a bug; details are in the log
	ProblemMethod        = "method"         // 405
	ProblemNotAcceptable = "not-acceptable" // 406, 415
)

// Problem is an RFC 9457 problem details document, the body of every error
// response (Content-Type application/problem+json). Type is
// ProblemTypeBase plus one of the Problem* suffixes.
type Problem struct {
	Type     string              `json:"type" doc:"Stable URI naming the error kind"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []*huma.ErrorDetail `json:"errors,omitempty" doc:"The offending fields of a validation error"`
}

// Error returns the detail.
func (p *Problem) Error() string { return p.Detail }

// GetStatus returns the HTTP status.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType returns application/problem+json for JSON.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// problemType maps a status to its stable type suffix.
func problemType(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return ProblemInvalid
	case http.StatusUnauthorized:
		return ProblemUnauthorized
	case http.StatusForbidden:
		return ProblemForbidden
	case http.StatusNotFound:
		return ProblemNotFound
	case http.StatusMethodNotAllowed:
		return ProblemMethod
	case http.StatusNotAcceptable, http.StatusUnsupportedMediaType:
		return ProblemNotAcceptable
	case http.StatusConflict:
		return ProblemConflict
	case http.StatusRequestEntityTooLarge:
		return ProblemTooLarge
	case http.StatusTooManyRequests:
		return ProblemRateLimited
	case http.StatusNotImplemented:
		return ProblemUnsupported
	case http.StatusBadGateway:
		return ProblemUpstream
	case http.StatusServiceUnavailable:
		return ProblemUnavailable
	}
	return ProblemInternal
}

func newProblem(status int, msg string, errs ...error) *Problem {
	p := &Problem{Type: ProblemTypeBase + problemType(status), Title: http.StatusText(status), Status: status, Detail: msg}
	for _, e := range errs {
		if e == nil {
			continue
		}
		var d huma.ErrorDetailer
		if errors.As(e, &d) {
			p.Errors = append(p.Errors, d.ErrorDetail())
			continue
		}
		var ve *wearables.ValidationError
		if errors.As(e, &ve) {
			p.Errors = append(p.Errors, &huma.ErrorDetail{Location: ve.Field, Message: ve.Reason})
			continue
		}
		p.Errors = append(p.Errors, &huma.ErrorDetail{Message: e.Error()})
	}
	return p
}

var installProblems sync.Once

// useProblems makes huma build every error, its own validation errors
// included, as a *Problem. huma offers only this package-level hook; the
// function installed is the same for every server, so installing it once
// is safe.
func useProblems() {
	installProblems.Do(func() {
		huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
			return newProblem(status, msg, errs...)
		}
	})
}

// errorStatus is the one place that maps errors to HTTP statuses: the
// wearables sentinels (and the oauthflow errors that match them) to 4xx,
// vendor failures to 502, anything else to 500.
func errorStatus(err error) int {
	var pe *wearables.ProviderError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	case errors.Is(err, wearables.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, wearables.ErrInvalid):
		return http.StatusUnprocessableEntity
	case errors.Is(err, wearables.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, wearables.ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, wearables.ErrRateLimited):
		return http.StatusTooManyRequests
	case errors.Is(err, wearables.ErrUnsupported):
		return http.StatusNotImplemented
	case errors.As(err, &pe), errors.Is(err, oauthflow.ErrRevokeFailed):
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}

// toProblem turns an error of the domain into a *Problem whose detail is
// safe to show: the messages of this module's errors never carry secrets,
// and a 500 says nothing beyond "internal error".
func toProblem(err error) error {
	if err == nil {
		return nil
	}
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	status := errorStatus(err)
	msg := err.Error()
	if status == http.StatusInternalServerError {
		msg = "internal error"
	}
	if status == http.StatusUnprocessableEntity {
		return newProblem(status, firstLine(msg), err)
	}
	return newProblem(status, firstLine(msg))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// notFound is the answer for an id that does not exist or belongs to
// another application: the two are indistinguishable on purpose.
func notFound(what string) error {
	return newProblem(http.StatusNotFound, what+" not found")
}
