package applehealth

import (
	"time"

	"github.com/wearables-go/wearables"
)

// Apple's two date layouts, in time.Parse form. The 24-hour one is what
// every current export writes; some older exports from 12-hour locales wrote
// the second.
const (
	dateLayout24 = "2006-01-02 15:04:05 -0700"
	dateLayout12 = "2006-01-02 3:04:05 PM -0700"
)

// parseDate parses an export date, "2024-03-10 01:59:30 -0800" or
// "2021-12-24 8:02:43 PM -0500", into its UTC instant and its UTC offset.
// It allocates nothing: export.xml holds three dates per record and this is
// on the hot path (time.Parse would need a string per call). It accepts a
// subset of what time.Parse accepts with the same layouts and agrees with it
// on everything it accepts (FuzzParseDate checks both).
func parseDate(b []byte) (time.Time, wearables.Offset, bool) {
	// YYYY-MM-DD␠
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || b[10] != ' ' {
		return time.Time{}, 0, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	if !(ok1 && ok2 && ok3) || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, 0, false
	}
	rest := b[11:]
	// H:MM:SS or HH:MM:SS
	var hour int
	switch {
	case len(rest) > 2 && rest[1] == ':':
		h, ok := digits(rest[:1])
		if !ok {
			return time.Time{}, 0, false
		}
		hour, rest = h, rest[2:]
	case len(rest) > 3 && rest[2] == ':':
		h, ok := digits(rest[:2])
		if !ok {
			return time.Time{}, 0, false
		}
		hour, rest = h, rest[3:]
	default:
		return time.Time{}, 0, false
	}
	if len(rest) < 6 || rest[2] != ':' || rest[5] != ' ' {
		return time.Time{}, 0, false
	}
	minute, ok1 := digits(rest[0:2])
	sec, ok2 := digits(rest[3:5])
	if !ok1 || !ok2 || minute > 59 || sec > 59 {
		return time.Time{}, 0, false
	}
	rest = rest[6:]
	// Optional AM/PM.
	if len(rest) >= 3 && (rest[0] == 'A' || rest[0] == 'P') && rest[1] == 'M' && rest[2] == ' ' {
		if hour < 1 || hour > 12 {
			return time.Time{}, 0, false
		}
		if hour == 12 {
			hour = 0
		}
		if rest[0] == 'P' {
			hour += 12
		}
		rest = rest[3:]
	} else if hour > 23 || b[12] == ':' {
		// The 24-hour form has two hour digits.
		return time.Time{}, 0, false
	}
	// ±HHMM
	if len(rest) != 5 || (rest[0] != '+' && rest[0] != '-') {
		return time.Time{}, 0, false
	}
	oh, ok1 := digits(rest[1:3])
	om, ok2 := digits(rest[3:5])
	if !ok1 || !ok2 || oh > 18 || om > 59 {
		return time.Time{}, 0, false
	}
	off := oh*3600 + om*60
	if rest[0] == '-' {
		off = -off
	}
	if wearables.Offset(off) < -wearables.MaxOffset || wearables.Offset(off) > wearables.MaxOffset {
		return time.Time{}, 0, false
	}
	secs := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec) - int64(off)
	return time.Unix(secs, 0).UTC(), wearables.Offset(off), true
}

// digits parses a run of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(month, year int) int {
	switch month {
	case 2:
		if isLeap(year) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// proleptic Gregorian date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
