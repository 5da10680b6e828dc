package normalize

import (
	"math"
	"time"
)

// ParseISODuration parses an ISO 8601 duration as vendors send them:
// "PT2H44M", "PT1H0.5S", "PT210.026S", "P1DT2H", "P2W", "-PT5M". Any
// component may carry a fraction, with '.' or ','. A day is 24 hours and a
// week 7 days; years and months have no fixed length and are refused.
// Malformed input and durations that overflow time.Duration are
// *ParseError values (matching wearables.ErrInvalid).
func ParseISODuration(s string) (time.Duration, error) {
	fail := func(reason string) (time.Duration, error) { return 0, parseErr("duration", s, reason) }
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	if i >= len(s) || s[i] != 'P' {
		return fail("want an ISO 8601 duration such as PT1H30M")
	}
	i++
	var total uint64 // magnitude
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // -2^63 is a valid Duration
	}
	inTime := false
	last := 0 // rank of the last designator seen, to enforce order
	components := 0
	for i < len(s) {
		if s[i] == 'T' {
			if inTime {
				return fail("second T")
			}
			inTime = true
			i++
			if i == len(s) {
				return fail("no time component after T")
			}
			continue
		}
		// Number: digits, optionally a fraction.
		start := i
		var whole int64
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if whole > (math.MaxInt64-9)/10 {
				return fail("number too large")
			}
			whole = whole*10 + int64(s[i]-'0')
			i++
		}
		digits := i - start
		var frac, fracDigits int64 // the fraction's first 18 digits, as an integer
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			i++
			fs := i
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				if fracDigits < 18 {
					frac = frac*10 + int64(s[i]-'0')
					fracDigits++
				}
				i++
			}
			if i == fs {
				return fail("fraction without digits")
			}
			digits += i - fs
		}
		if digits == 0 || i >= len(s) {
			return fail("want a number followed by a designator")
		}
		var unit time.Duration
		var rank int
		switch d := s[i]; {
		case !inTime && (d == 'Y' || d == 'M'):
			return fail("years and months have no fixed length")
		case !inTime && d == 'W':
			unit, rank = 7*24*time.Hour, 1
		case !inTime && d == 'D':
			unit, rank = 24*time.Hour, 2
		case inTime && d == 'H':
			unit, rank = time.Hour, 3
		case inTime && d == 'M':
			unit, rank = time.Minute, 4
		case inTime && d == 'S':
			unit, rank = time.Second, 5
		default:
			return fail("unexpected " + quote(string(d)))
		}
		if rank <= last {
			return fail("components out of order")
		}
		last = rank
		i++
		components++
		var fracPart int64
		if frac > 0 {
			p := pow10i(fracDigits)
			if int64(unit)%p == 0 {
				fracPart = frac * (int64(unit) / p) // exact: frac < p
			} else {
				fracPart = int64(math.Round(float64(frac) / float64(p) * float64(unit)))
			}
		}
		if uint64(whole) > (limit-uint64(fracPart))/uint64(unit) {
			return fail("duration overflows")
		}
		part := uint64(whole)*uint64(unit) + uint64(fracPart)
		if total > limit-part {
			return fail("duration overflows")
		}
		total += part
	}
	if components == 0 {
		return fail("no components")
	}
	if neg {
		return time.Duration(-total), nil
	}
	return time.Duration(total), nil
}

// FormatISODuration formats d as an ISO 8601 duration with hours, minutes
// and (fractional) seconds: 2h44m is "PT2H44M", 0 is "PT0S". ParseISODuration
// reads it back exactly.
func FormatISODuration(d time.Duration) string {
	if d == 0 {
		return "PT0S"
	}
	b := make([]byte, 0, 24)
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u
	}
	b = append(b, 'P', 'T')
	h := u / uint64(time.Hour)
	u -= h * uint64(time.Hour)
	m := u / uint64(time.Minute)
	u -= m * uint64(time.Minute)
	if h > 0 {
		b = appendUint(b, h)
		b = append(b, 'H')
	}
	if m > 0 {
		b = appendUint(b, m)
		b = append(b, 'M')
	}
	if u > 0 {
		sec := u / uint64(time.Second)
		ns := u % uint64(time.Second)
		b = appendUint(b, sec)
		if ns > 0 {
			var frac [10]byte
			frac[0] = '.'
			for k := 9; k >= 1; k-- {
				frac[k] = byte('0' + ns%10)
				ns /= 10
			}
			end := 10
			for frac[end-1] == '0' {
				end--
			}
			b = append(b, frac[:end]...)
		}
		b = append(b, 'S')
	}
	return string(b)
}

func appendUint(b []byte, v uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}

func pow10i(n int64) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}
