package providerhttp

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimitHeaders describes how a vendor reports its rate limits in
// response headers. The same value configures the parsing in API and the
// emitting in providertest's fake server, so a vendor package declares it
// once. Empty names mean the vendor does not send that header.
type RateLimitHeaders struct {
	// RetryAfter is true when the vendor sends a standard Retry-After header
	// (delay-seconds or an HTTP date) with its 429s. API parses Retry-After
	// whenever it is present; the field tells the fake server to send it.
	RetryAfter bool
	// Limit names the header with the request quota, e.g.
	// "X-RateLimit-Limit" (WHOOP, Strava) or "RateLimit-Limit" (Polar).
	Limit string
	// Remaining names the header with the requests left in the window, e.g.
	// "X-RateLimit-Remaining".
	Remaining string
	// Reset names the header that says when the window resets, e.g.
	// "X-RateLimit-Reset" (WHOOP) or "RateLimit-Reset" (Polar).
	Reset string
	// ResetUnix is true when Reset holds a Unix time in seconds; by default
	// it holds the seconds left until the reset.
	ResetUnix bool
}

// ResetAt reads the reset header from h and returns the instant the window
// resets, relative to now. A header holding several comma-separated values
// (one per window) gives the first. It reports false when the header is not
// configured, absent or unparseable.
func (r RateLimitHeaders) ResetAt(h http.Header, now time.Time) (time.Time, bool) {
	if r.Reset == "" {
		return time.Time{}, false
	}
	v := strings.TrimSpace(h.Get(r.Reset))
	if i := strings.IndexAny(v, ",;"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if v == "" {
		return time.Time{}, false
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs < 0 || secs > 1e11 {
		return time.Time{}, false
	}
	if r.ResetUnix {
		return time.Unix(0, int64(secs*1e9)).UTC(), true
	}
	return now.Add(time.Duration(secs * float64(time.Second))), true
}

// Headers returns the headers the vendor would send when reset is the end
// of the current window and remaining of limit requests are left. Limit and
// Remaining are set only when limit > 0. It is what providertest's fake
// server sends; vendor packages do not need it.
func (r RateLimitHeaders) Headers(limit, remaining int, reset, now time.Time) http.Header {
	h := http.Header{}
	if r.Limit != "" && limit > 0 {
		h.Set(r.Limit, strconv.Itoa(limit))
	}
	if r.Remaining != "" && limit > 0 {
		h.Set(r.Remaining, strconv.Itoa(max(remaining, 0)))
	}
	if r.Reset != "" && !reset.IsZero() {
		if r.ResetUnix {
			h.Set(r.Reset, strconv.FormatInt(reset.Unix(), 10))
		} else {
			h.Set(r.Reset, strconv.FormatInt(int64(max(reset.Sub(now), 0)/time.Second), 10))
		}
	}
	return h
}

// ParseRetryAfter parses a Retry-After value, delay-seconds or an HTTP
// date (RFC 9110 §10.2.3), into a delay from now. A date in the past gives
// 0. It reports false for an empty or unparseable value.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 || secs > 1<<31 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
