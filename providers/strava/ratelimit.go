package strava

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Strava's rate-limit headers: each holds two comma-separated integers, the
// 15-minute value then the daily value ("200,2000" and "37,1120"). The
// overall pair counts every request of the application; the read pair
// ("non-upload" endpoints: everything this package calls) has its own,
// lower, limits. Both are per application, shared by all its users.
const (
	headerLimit     = "X-RateLimit-Limit"
	headerUsage     = "X-RateLimit-Usage"
	headerReadLimit = "X-ReadRateLimit-Limit"
	headerReadUsage = "X-ReadRateLimit-Usage"
)

// window is the length of Strava's short rate window. Its windows are
// aligned to the clock (they reset at :00, :15, :30 and :45); the daily
// window resets at midnight UTC.
const window = 15 * time.Minute

// rateLimitReset returns when the rate window that stopped a request
// resets: midnight UTC when the headers show a daily limit used up (the
// overall or the read one), otherwise the next quarter hour — the earliest
// reset possible, also when the headers are missing or unreadable.
// Strava sends no Retry-After and no reset header; this is the computation
// its documentation describes.
func rateLimitReset(h http.Header, now time.Time) time.Time {
	now = now.UTC()
	if dailyExhausted(h.Get(headerLimit), h.Get(headerUsage)) ||
		dailyExhausted(h.Get(headerReadLimit), h.Get(headerReadUsage)) {
		y, m, d := now.Date()
		return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	}
	return now.Truncate(window).Add(window)
}

// dailyExhausted reports whether a limit/usage header pair shows the daily
// limit reached.
func dailyExhausted(limit, usage string) bool {
	_, dayLimit, ok1 := pair(limit)
	_, dayUsage, ok2 := pair(usage)
	return ok1 && ok2 && dayLimit > 0 && dayUsage >= dayLimit
}

// pair parses "15min,daily".
func pair(v string) (short, daily int64, ok bool) {
	a, b, found := strings.Cut(v, ",")
	if !found {
		return 0, 0, false
	}
	short, err1 := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
	daily, err2 := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
	if err1 != nil || err2 != nil || short < 0 || daily < 0 {
		return 0, 0, false
	}
	return short, daily, true
}
