package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// parseTime reads a time parameter: RFC 3339 (with a zone or Z) or Unix
// seconds. Empty gives def.
func parseTime(field, s string, def time.Time) (time.Time, error) {
	if s == "" {
		return def, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > -62135596800 && n < 253402300800 {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, &wearables.ValidationError{Index: -1, Field: field, Reason: "not an RFC 3339 time or Unix seconds: " + truncate(s, 40)}
}

// parseRange reads start and end, defaulting to the last defSpan before
// now, and checks that start < end and the span is at most maxSpan.
func parseRange(startS, endS string, now time.Time, defSpan, maxSpan time.Duration) (time.Time, time.Time, error) {
	end, err := parseTime("end", endS, now)
	if err != nil {
		return end, end, err
	}
	start, err := parseTime("start", startS, end.Add(-defSpan))
	if err != nil {
		return start, end, err
	}
	if !start.Before(end) {
		return start, end, &wearables.ValidationError{Index: -1, Field: "end", Reason: "end must be after start"}
	}
	if end.Sub(start) > maxSpan {
		return start, end, &wearables.ValidationError{Index: -1, Field: "start", Reason: "range longer than " + maxSpan.String()}
	}
	return start, end, nil
}

// parseDates reads from and to (YYYY-MM-DD, inclusive), defaulting to the
// last 30 days, at most 3 years apart.
func parseDates(fromS, toS string, now time.Time) (wearables.Date, wearables.Date, error) {
	to := wearables.DateOf(now.UTC())
	if toS != "" {
		d, err := wearables.ParseDate(toS)
		if err != nil {
			return to, to, &wearables.ValidationError{Index: -1, Field: "to", Reason: "not a YYYY-MM-DD date"}
		}
		to = d
	}
	from := to.AddDays(-29)
	if fromS != "" {
		d, err := wearables.ParseDate(fromS)
		if err != nil {
			return from, to, &wearables.ValidationError{Index: -1, Field: "from", Reason: "not a YYYY-MM-DD date"}
		}
		from = d
	}
	if to.Before(from) {
		return from, to, &wearables.ValidationError{Index: -1, Field: "to", Reason: "to is before from"}
	}
	if from.AddDays(3 * 366).Before(to) {
		return from, to, &wearables.ValidationError{Index: -1, Field: "from", Reason: "range longer than 3 years"}
	}
	return from, to, nil
}

// parseTypes reads a comma-separated list of series codes.
func parseTypes(s string) ([]wearables.SeriesType, error) {
	var out []wearables.SeriesType
	for code := range strings.SplitSeq(s, ",") {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		t, err := wearables.ParseSeriesType(code)
		if err != nil {
			return nil, &wearables.ValidationError{Index: -1, Field: "types", Reason: "unknown series type " + truncate(code, 40)}
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, &wearables.ValidationError{Index: -1, Field: "types", Reason: "at least one series type is required"}
	}
	if len(out) > 20 {
		return nil, &wearables.ValidationError{Index: -1, Field: "types", Reason: "at most 20 series types"}
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
