package normalize

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// Instant is a parsed vendor time: the UTC instant and the UTC offset the
// device stamped it with (wearables.NoOffset when the vendor gave none).
// Every parser of this package returns one, so the original offset is never
// lost on the way to a record.
type Instant struct {
	Time   time.Time        // UTC
	Offset wearables.Offset // original offset, or wearables.NoOffset
}

// IsZero reports whether i.Time is the zero time.
func (i Instant) IsZero() bool { return i.Time.IsZero() }

// Local returns the instant in a fixed zone of its original offset, or in
// UTC when the offset is unknown.
func (i Instant) Local() time.Time {
	if !i.Offset.Known() {
		return i.Time
	}
	return i.Time.In(i.Offset.Location())
}

// Date returns the local calendar day of the instant: in its own offset when
// known, else in loc (UTC when loc is nil).
func (i Instant) Date(loc *time.Location) wearables.Date { return LocalDate(i.Time, i.Offset, loc) }

// String formats the instant in RFC 3339 with its original offset
// ("2024-03-10T01:59:30-08:00"), or in UTC with a "Z" when it has none.
func (i Instant) String() string { return i.Local().Format(time.RFC3339Nano) }

func newInstant(t time.Time) (Instant, error) {
	off := wearables.OffsetOf(t)
	if !off.Valid() {
		return Instant{}, parseErr("offset", t.Format("-07:00"), "beyond ±18 h")
	}
	return Instant{Time: t.UTC(), Offset: off}, nil
}

func offsetFrom(n, unit int64, what string) (wearables.Offset, error) {
	if n > int64(wearables.MaxOffset)/unit || n < -int64(wearables.MaxOffset)/unit {
		return wearables.NoOffset, parseErr("offset", strconv.FormatInt(n, 10)+" "+what, "beyond ±18 h")
	}
	return wearables.Offset(n * unit), nil
}

// OffsetFromSeconds returns an offset given in seconds east of UTC (Garmin
// *OffsetInSeconds, Strava utc_offset). Beyond ±18 h is a *ParseError.
func OffsetFromSeconds(n int64) (wearables.Offset, error) { return offsetFrom(n, 1, "s") }

// OffsetFromMinutes returns an offset given in minutes east of UTC (Polar
// start_time_utc_offset, Suunto timeOffsetInMinutes).
func OffsetFromMinutes(n int64) (wearables.Offset, error) { return offsetFrom(n, 60, "min") }

// OffsetFromQuarterHours returns an offset given in 15-minute units east of
// UTC (COROS startTimezone: 32 is +08:00, 23 is +05:45).
func OffsetFromQuarterHours(n int64) (wearables.Offset, error) { return offsetFrom(n, 900, "×15 min") }

// ParseOffset parses a UTC offset: "+05:45", "-0800", "+05", "Z", "UTC",
// "GMT", "UTC+13:00" or "(GMT-08:00)" (Strava's timezone prefix). Offsets
// beyond ±18 h and malformed input are *ParseError values.
func ParseOffset(s string) (wearables.Offset, error) {
	fail := func(reason string) (wearables.Offset, error) {
		return wearables.NoOffset, parseErr("offset", s, reason)
	}
	v := strings.TrimSpace(s)
	v = strings.TrimPrefix(v, "(")
	v = strings.TrimSuffix(v, ")")
	for _, p := range []string{"UTC", "GMT"} {
		if strings.HasPrefix(v, p) {
			v = v[len(p):]
			if v == "" {
				return 0, nil
			}
		}
	}
	if v == "Z" || v == "z" {
		return 0, nil
	}
	sign := int64(1)
	switch {
	case strings.HasPrefix(v, "\u2212"): // a typographic minus sign
		sign, v = -1, v[len("\u2212"):]
	case strings.HasPrefix(v, "-"):
		sign, v = -1, v[1:]
	case strings.HasPrefix(v, "+"):
		v = v[1:]
	default:
		return fail("want ±hh:mm")
	}
	var h, m, sec string
	switch {
	case len(v) == 2 || len(v) == 1:
		h = v
	case len(v) == 4:
		h, m = v[:2], v[2:]
	case len(v) == 5 && v[2] == ':':
		h, m = v[:2], v[3:]
	case len(v) == 8 && v[2] == ':' && v[5] == ':':
		h, m, sec = v[:2], v[3:5], v[6:]
	default:
		return fail("want ±hh:mm")
	}
	hh, ok1 := atoiDigits(h)
	mm, ok2 := atoiDigits(m)
	ss, ok3 := atoiDigits(sec)
	if !ok1 || !ok2 || !ok3 || mm > 59 || ss > 59 {
		return fail("want ±hh:mm")
	}
	n := sign * (hh*3600 + mm*60 + ss)
	if n > int64(wearables.MaxOffset) || n < -int64(wearables.MaxOffset) {
		return fail("beyond ±18 h")
	}
	return wearables.Offset(n), nil
}

// atoiDigits parses a string of ASCII digits; "" is 0.
func atoiDigits(s string) (int64, bool) {
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || n > 1e15 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// Unix returns the instant sec seconds after the Unix epoch, stamped with
// off (Garmin startTimeInSeconds + startTimeOffsetInSeconds, Withings
// epochs, COROS).
func Unix(sec int64, off wearables.Offset) Instant {
	return Instant{Time: time.Unix(sec, 0).UTC(), Offset: off}
}

// UnixIn returns the instant sec seconds after the Unix epoch, stamped with
// the offset loc had at that instant (Withings epochs with an IANA
// timezone). A nil loc is UTC.
func UnixIn(sec int64, loc *time.Location) Instant {
	if loc == nil {
		loc = time.UTC
	}
	t := time.Unix(sec, 0)
	return Instant{Time: t.UTC(), Offset: wearables.OffsetOf(t.In(loc))}
}

// UnixMilli returns the instant ms milliseconds after the Unix epoch,
// stamped with off (Suunto startTime + timeOffsetInMinutes, Oura
// timestamp_unix).
func UnixMilli(ms int64, off wearables.Offset) Instant {
	return Instant{Time: time.UnixMilli(ms).UTC(), Offset: off}
}

// ParseUnix parses epoch seconds written as a string, as Withings keys its
// intraday and sleep series ("1700000000", "1700000000.250"), stamped with
// off.
func ParseUnix(s string, off wearables.Offset) (Instant, error) {
	whole, frac, ok := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || whole == "" || whole[0] == '+' {
		return Instant{}, parseErr("time", s, "want epoch seconds")
	}
	var ns int64
	if ok {
		if len(frac) == 0 || len(frac) > 9 {
			return Instant{}, parseErr("time", s, "want epoch seconds")
		}
		n, ok := atoiDigits(frac)
		if !ok {
			return Instant{}, parseErr("time", s, "want epoch seconds")
		}
		ns = n * pow10i(int64(9-len(frac)))
		if sec < 0 {
			ns = -ns
		}
	}
	if sec > maxUnixSec || sec < -maxUnixSec {
		return Instant{}, parseErr("time", s, "out of range")
	}
	return Instant{Time: time.Unix(sec, ns).UTC(), Offset: off}, nil
}

// maxUnixSec bounds epoch seconds the parsers accept (year ±292277).
const maxUnixSec = 1 << 53

// ParseUnixMilli parses epoch milliseconds written as a string, stamped with off.
func ParseUnixMilli(s string, off wearables.Offset) (Instant, error) {
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || s == "" || s[0] == '+' {
		return Instant{}, parseErr("time", s, "want epoch milliseconds")
	}
	return UnixMilli(ms, off), nil
}

// Layouts of RFC 3339 times and their common variants.
var rfcLayouts = []string{
	time.RFC3339,                // 2024-01-15T07:30:00.000+00:00, …Z; fractions are accepted
	"2006-01-02T15:04:05Z0700",  // +0000 without a colon
	"2006-01-02 15:04:05Z07:00", // space instead of T
	"2006-01-02T15:04Z07:00",    // no seconds
}

// Layouts of Apple Health export dates.
var appleLayouts = []string{
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 3:04:05 PM -0700", // 12-hour clock of older exports
}

func parseLayouts(s string, layouts []string) (Instant, bool, error) {
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			in, err := newInstant(t)
			return in, true, err
		}
	}
	return Instant{}, false, nil
}

// ParseRFC3339 parses an ISO 8601 / RFC 3339 time that carries its offset
// ("2025-01-15T07:00:00+02:00", "2024-01-15T07:30:00.000Z",
// "2024-01-15T07:30:00+0000"). The result keeps that offset. A time without
// an offset is a *ParseError: use ParseNaive or ParseNaiveIn.
func ParseRFC3339(s string) (Instant, error) {
	if in, ok, err := parseLayouts(s, rfcLayouts); ok {
		return in, err
	}
	return Instant{}, parseErr("time", s, "want an RFC 3339 time with an offset")
}

// ParseApple parses an Apple Health export date, local time with its offset:
// "2024-03-10 01:59:30 -0800", and the 12-hour form some older exports use,
// "2021-12-24 8:02:43 PM -0500".
func ParseApple(s string) (Instant, error) {
	if in, ok, err := parseLayouts(s, appleLayouts); ok {
		return in, err
	}
	return Instant{}, parseErr("time", s, "want YYYY-MM-DD HH:MM:SS ±HHMM")
}

// ParseTime parses any vendor time form that carries its own offset: RFC
// 3339 variants and Apple's export dates. Times without an offset, epochs
// and clock times need the form-specific parsers.
func ParseTime(s string) (Instant, error) {
	if in, ok, err := parseLayouts(s, rfcLayouts); ok {
		return in, err
	}
	if in, ok, err := parseLayouts(s, appleLayouts); ok {
		return in, err
	}
	return Instant{}, parseErr("time", s, "want a time with a UTC offset")
}

// ParseWithOffset parses an RFC 3339 instant (usually UTC, "…Z") whose
// original offset the vendor sends separately, as WHOOP does with
// timezone_offset ("+02:00", "-05:00", "Z").
func ParseWithOffset(ts, offset string) (Instant, error) {
	in, err := ParseRFC3339(ts)
	if err != nil {
		return Instant{}, err
	}
	off, err := ParseOffset(offset)
	if err != nil {
		return Instant{}, err
	}
	in.Offset = off
	return in, nil
}

// Layouts of naive local times.
var naiveLayouts = []string{
	"2006-01-02T15:04:05", // fractions are accepted
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
}

// parseNaive parses s with the one naive layout that can match it. The
// date part is fixed-width, so the byte after it picks 'T' or ' ', and the
// time part has two colons with seconds and one without: at most one layout
// can succeed, and trying the others in turn cost a *time.ParseError each.
func parseNaive(s string, loc *time.Location) (time.Time, error) {
	if t, ok := parseNaiveDigits(s, loc); ok {
		return t, nil
	}
	if len(s) > len(time.DateOnly) {
		i := -1 // into naiveLayouts
		switch s[len(time.DateOnly)] {
		case 'T':
			i = 0
		case ' ':
			i = 1
		}
		if i >= 0 {
			if strings.Count(s[len(time.DateOnly)+1:], ":") < 2 {
				i += 2 // no seconds
			}
			if t, err := time.ParseInLocation(naiveLayouts[i], s, loc); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, parseErr("time", s, "want a local time YYYY-MM-DDTHH:MM:SS")
}

// parseNaiveDigits parses the common shapes "2006-01-02T15:04:05" and
// "2006-01-02T15:04", all digits where digits go, with the range checks
// time.Parse makes (month, day of that month, hour, minute, second), and
// places them as time.Parse does, with time.Date. Any other string (a space
// separator, a one-digit hour, fractions, a value out of range) is not ok
// and goes to time.ParseInLocation, which accepts or rejects it.
func parseNaiveDigits(s string, loc *time.Location) (time.Time, bool) {
	if (len(s) != 16 && len(s) != 19) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' {
		return time.Time{}, false
	}
	y := digit(s[0])*1000 + digit(s[1])*100 + digit(s[2])*10 + digit(s[3])
	mo, d := digit(s[5])*10+digit(s[6]), digit(s[8])*10+digit(s[9])
	h, mi, sec := digit(s[11])*10+digit(s[12]), digit(s[14])*10+digit(s[15]), 0
	if len(s) == 19 {
		if s[16] != ':' {
			return time.Time{}, false
		}
		sec = digit(s[17])*10 + digit(s[18])
	}
	// digit is negative for a non-digit, which every check below rejects.
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(time.Month(mo), y) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc), true
}

// digit is the value of an ASCII digit, or -1000 for any other byte (so
// that any sum with it stays negative).
func digit(c byte) int {
	if c < '0' || c > '9' {
		return -1000
	}
	return int(c - '0')
}

// daysIn is the number of days of month m of year y.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// ParseNaive parses a local wall time without an offset
// ("2008-10-13T10:40:02", Polar exercise start_time) that the vendor pairs
// with an offset: UTC = local − offset. So 10:40:02 with +03:00 is
// 07:40:02Z — not 13:40:02Z, the mistake the reference platform made.
func ParseNaive(s string, off wearables.Offset) (Instant, error) {
	if !off.Known() || !off.Valid() {
		return Instant{}, parseErr("offset", strconv.Itoa(int(off)), "a naive time needs a known offset")
	}
	t, err := parseNaive(s, time.UTC)
	if err != nil {
		return Instant{}, err
	}
	return Instant{Time: t.Add(-time.Duration(off) * time.Second), Offset: off}, nil
}

// ParseNaiveIn parses a local wall time without an offset in a zone (the
// user's configured zone for Fitbit sleep times, a Withings record's IANA
// timezone). The offset is the zone's offset at that time; a wall time
// skipped or repeated by a DST change resolves as time.Date does.
func ParseNaiveIn(s string, loc *time.Location) (Instant, error) {
	if loc == nil {
		loc = time.UTC
	}
	t, err := parseNaive(s, loc)
	if err != nil {
		return Instant{}, err
	}
	return newInstant(t)
}

// ParseStravaLocal parses Strava's start_date_local, a local wall time
// mislabeled with a "Z" ("2018-02-16T06:52:54Z"), with the activity's
// utc_offset in seconds: the "Z" is dropped and the offset attached.
func ParseStravaLocal(startDateLocal string, utcOffsetSeconds int64) (Instant, error) {
	off, err := OffsetFromSeconds(utcOffsetSeconds)
	if err != nil {
		return Instant{}, err
	}
	return ParseNaive(strings.TrimSuffix(startDateLocal, "Z"), off)
}

// parseClock parses "HH:mm", "HH:mm:ss" or "H:mm[:ss]" into seconds of the day.
func parseClock(s string) (int, error) {
	fail := func() (int, error) { return 0, parseErr("clock time", s, "want HH:mm or HH:mm:ss") }
	hs, rest, ok := strings.Cut(s, ":")
	if !ok || len(hs) == 0 || len(hs) > 2 {
		return fail()
	}
	ms, ss, hasSec := strings.Cut(rest, ":")
	if len(ms) != 2 || (hasSec && len(ss) != 2) {
		return fail()
	}
	h, ok1 := atoiDigits(hs)
	m, ok2 := atoiDigits(ms)
	sec, ok3 := atoiDigits(ss)
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 59 {
		return fail()
	}
	return int(h*3600 + m*60 + sec), nil
}

func wallClock(d wearables.Date, secOfDay int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, secOfDay/3600, secOfDay/60%60, secOfDay%60, 0, loc)
}

// ClockSeries places a sequence of wall-clock times of day that follow one
// another ("HH:mm:ss", as in Polar's continuous heart rate, or "HH:mm") on
// instants, starting on a local date: whenever a time is earlier than the
// one before, the series has crossed midnight and the date advances. A
// ClockSeries is not safe for concurrent use.
type ClockSeries struct {
	date wearables.Date
	loc  *time.Location
	prev int
}

// NewClockSeries starts a series on date d in loc: a fixed zone of a known
// offset (Offset.Location) or the user's IANA zone. A nil loc is UTC.
func NewClockSeries(d wearables.Date, loc *time.Location) *ClockSeries {
	if loc == nil {
		loc = time.UTC
	}
	return &ClockSeries{date: d, loc: loc, prev: -1}
}

// Next returns the instant of the next clock time. A malformed clock time is
// a *ParseError and does not advance the series.
func (c *ClockSeries) Next(clock string) (Instant, error) {
	sec, err := parseClock(clock)
	if err != nil {
		return Instant{}, err
	}
	if sec < c.prev {
		c.date = c.date.AddDays(1)
	}
	c.prev = sec
	return newInstant(wallClock(c.date, sec, c.loc))
}

// ClockLookback is how far before its anchor ClockAfter places a clock time:
// a hypnogram's first change point may be stamped a little before the
// session's start ("00:39" for a sleep starting 00:39:07).
const ClockLookback = time.Hour

// ClockAfter places a wall-clock time of day ("HH:mm" or "HH:mm:ss") of an
// unordered map keyed by clock times (Polar hypnograms and sample maps) on
// the first instant with that wall-clock time at or after
// anchor − ClockLookback, in anchor's location. So with a sleep starting
// 22:41 local, "23:10" is the same evening and "01:20" the next morning.
// For the keys of one map, place them with one NewClockAnchor.
func ClockAfter(anchor time.Time, clock string) (Instant, error) {
	a := NewClockAnchor(anchor)
	return a.After(clock)
}

// ClockAnchor places clock times after one anchor as ClockAfter does, with
// the anchor's local date and UTC offset worked out once. A ClockAnchor is
// immutable and safe for concurrent use.
type ClockAnchor struct {
	from      time.Time      // anchor − ClockLookback
	fromSec   int64          // from as Unix seconds …
	fromNsec  int            // … and nanoseconds
	day       wearables.Date // from's local date
	dayLocal  int64          // day's midnight as local seconds: a Unix time read as wall clock
	loc       *time.Location // anchor's location
	off       int64          // the UTC offset in force at from, in seconds
	zoneStart int64          // the Unix seconds over which off is in force,
	zoneEnd   int64          // [zoneStart, zoneEnd)
}

// NewClockAnchor returns the ClockAnchor of anchor.
func NewClockAnchor(anchor time.Time) ClockAnchor {
	from := anchor.Add(-ClockLookback)
	day := wearables.DateOf(from)
	_, off := from.Zone()
	a := ClockAnchor{
		from: from, fromSec: from.Unix(), fromNsec: from.Nanosecond(),
		day: day, dayLocal: time.Date(day.Year, day.Month, day.Day, 0, 0, 0, 0, time.UTC).Unix(),
		loc: anchor.Location(), off: int64(off), zoneStart: math.MinInt64, zoneEnd: math.MaxInt64,
	}
	start, end := from.ZoneBounds()
	if !start.IsZero() {
		a.zoneStart = start.Unix()
	}
	if !end.IsZero() {
		a.zoneEnd = end.Unix()
	}
	return a
}

// After places one clock time.
func (a *ClockAnchor) After(clock string) (Instant, error) {
	sec, err := parseClock(clock)
	if err != nil {
		return Instant{}, err
	}
	if in, ok := a.inZone(a.dayLocal + int64(sec)); ok {
		if !a.before(in.Time.Unix()) {
			return in, nil
		}
		if in, ok := a.inZone(a.dayLocal + 86400 + int64(sec)); ok {
			return in, nil
		}
		return newInstant(wallClock(a.day.AddDays(1), sec, a.loc))
	}
	t := wallClock(a.day, sec, a.loc)
	if t.Before(a.from) {
		t = wallClock(a.day.AddDays(1), sec, a.loc)
	}
	return newInstant(t)
}

// before reports whether the whole second unix is before from.
func (a *ClockAnchor) before(unix int64) bool {
	return unix < a.fromSec || unix == a.fromSec && a.fromNsec > 0
}

// inZone places a wall-clock time given as local seconds without a zone
// lookup, when both it and its UTC instant lie in the zone period of from:
// then time.Date finds the offset there and the instant is local − off.
// Near a transition (and for an offset beyond ±18 h) it reports false and
// the caller asks time.Date.
func (a *ClockAnchor) inZone(local int64) (Instant, bool) {
	utc := local - a.off
	if local < a.zoneStart || local >= a.zoneEnd || utc < a.zoneStart || utc >= a.zoneEnd {
		return Instant{}, false
	}
	off := wearables.Offset(a.off)
	if !off.Valid() {
		return Instant{}, false
	}
	return Instant{Time: time.Unix(utc, 0).UTC(), Offset: off}, true
}

// LocalDate returns the local calendar day an instant belongs to: in the
// record's own offset when known, else in loc (UTC when loc is nil). This is
// the rule for every daily question (DESIGN: "answered in the record's own
// offset, or the user's configured zone when there is none").
func LocalDate(t time.Time, off wearables.Offset, loc *time.Location) wearables.Date {
	if off.Known() {
		return wearables.DateOf(time.Unix(t.Unix()+int64(off), 0).UTC())
	}
	if loc == nil {
		loc = time.UTC
	}
	return wearables.DateOf(t.In(loc))
}

// LocalDateAt is LocalDate for days that start at a local clock time other
// than midnight (Oura's activity day starts at 4 a.m.): an instant before
// dayStart belongs to the previous day.
func LocalDateAt(t time.Time, off wearables.Offset, loc *time.Location, dayStart time.Duration) wearables.Date {
	if off.Known() {
		return wearables.DateOf(time.Unix(t.Unix()+int64(off), 0).UTC().Add(-dayStart))
	}
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	d := wearables.DateOf(l)
	if l.Before(wallClock(d, int(dayStart/time.Second), loc)) {
		d = d.AddDays(-1)
	}
	return d
}

// SleepDate returns the day a sleep session belongs to: the local day it
// ends on, as Oura and Garmin attribute nights ("the night of the 9th to
// the 10th" is the 10th).
func SleepDate(s wearables.Sleep, loc *time.Location) wearables.Date {
	end := s.End
	if end.After(s.Start) {
		end = end.Add(-time.Nanosecond)
	}
	return LocalDate(end, s.Offset, loc)
}

// DayBounds returns the instants local day d starts and ends in loc,
// [midnight, next midnight). A DST day is 23 or 25 hours long. A nil loc is
// UTC.
func DayBounds(d wearables.Date, loc *time.Location) (start, end time.Time) {
	return DayBoundsAt(d, loc, 0)
}

// DayBoundsAt returns the bounds of local day d when days start at a local
// clock time dayStart after midnight (4 h for Oura's activity day).
func DayBoundsAt(d wearables.Date, loc *time.Location, dayStart time.Duration) (start, end time.Time) {
	if loc == nil {
		loc = time.UTC
	}
	sec := int(dayStart / time.Second)
	return wallClock(d, sec, loc).UTC(), wallClock(d.AddDays(1), sec, loc).UTC()
}

// NightBounds returns the instants of a night that starts at local clock
// time bedtime on day d and ends at local clock time wake on the next day,
// in loc. A night from 23:00 to 07:00 lasts 8 h, except on a spring-forward
// night (7 h) and a fall-back night (9 h).
func NightBounds(d wearables.Date, loc *time.Location, bedtime, wake time.Duration) (start, end time.Time) {
	if loc == nil {
		loc = time.UTC
	}
	return wallClock(d, int(bedtime/time.Second), loc).UTC(), wallClock(d.AddDays(1), int(wake/time.Second), loc).UTC()
}
