package normalize

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the DST tests must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/wearables-go/wearables"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func off(s string) wearables.Offset {
	o, err := ParseOffset(s)
	if err != nil {
		panic(err)
	}
	return o
}

func TestParseISODuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"PT2H44M", 2*time.Hour + 44*time.Minute},
		{"PT1H0.5S", time.Hour + 500*time.Millisecond},
		{"PT210.026S", 210*time.Second + 26*time.Millisecond},
		{"PT4S", 4 * time.Second},
		{"PT8H", 8 * time.Hour},
		{"PT1H2M3.5S", time.Hour + 2*time.Minute + 3500*time.Millisecond},
		{"PT0S", 0},
		{"P0D", 0},
		{"P1DT2H", 26 * time.Hour},
		{"P2W", 14 * 24 * time.Hour},
		{"PT0,5S", 500 * time.Millisecond},
		{"PT1.5H", 90 * time.Minute},
		{"-PT5M", -5 * time.Minute},
		{"PT0.000000001S", time.Nanosecond},
		{"PT36H", 36 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseISODuration(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	for _, bad := range []string{"", "P", "PT", "2H", "PT2H44", "P1Y", "P1M", "PT1M1H", "PT1H1H", "PTxS", "PT.S", "P1H", "PT9999999999999999H", "PT1S junk", "PT-1S", "P1DT"} {
		t.Run("bad "+bad, func(t *testing.T) {
			_, err := ParseISODuration(bad)
			require.Error(t, err)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
			var pe *ParseError
			assert.ErrorAs(t, err, &pe)
		})
	}
}

func TestFormatISODurationRoundTrip(t *testing.T) {
	assert.Equal(t, "PT2H44M", FormatISODuration(2*time.Hour+44*time.Minute))
	assert.Equal(t, "PT1H0.5S", FormatISODuration(time.Hour+500*time.Millisecond))
	assert.Equal(t, "-PT5M", FormatISODuration(-5*time.Minute))
	rapid.Check(t, func(t *rapid.T) {
		d := time.Duration(rapid.Int64().Draw(t, "d"))
		got, err := ParseISODuration(FormatISODuration(d))
		if err != nil || got != d {
			t.Fatalf("%d → %q → %d, %v", d, FormatISODuration(d), got, err)
		}
	})
}

func TestParseOffset(t *testing.T) {
	tests := []struct {
		in   string
		want wearables.Offset
	}{
		{"+05:45", 5*3600 + 45*60},
		{"+13:00", 13 * 3600},
		{"-08:00", -8 * 3600},
		{"-0800", -8 * 3600},
		{"+05", 5 * 3600},
		{"Z", 0},
		{"UTC", 0},
		{"GMT", 0},
		{"UTC+13:00", 13 * 3600},
		{"(GMT-08:00)", -8 * 3600},
		{"−03:30", -(3*3600 + 30*60)},
		{"+00:00", 0},
		{"+18:00", 18 * 3600},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseOffset(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	for _, bad := range []string{"", "+", "+19:00", "05:00", "+5:0", "+05:60", "+ab:cd", "EST"} {
		t.Run("bad "+bad, func(t *testing.T) {
			_, err := ParseOffset(bad)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
		})
	}
}

func TestOffsetUnits(t *testing.T) {
	o, err := OffsetFromSeconds(-28800)
	require.NoError(t, err)
	assert.Equal(t, "-08:00", o.String())
	o, err = OffsetFromMinutes(345)
	require.NoError(t, err)
	assert.Equal(t, "+05:45", o.String())
	o, err = OffsetFromQuarterHours(32) // COROS: 32 is UTC+8
	require.NoError(t, err)
	assert.Equal(t, "+08:00", o.String())
	o, err = OffsetFromQuarterHours(23)
	require.NoError(t, err)
	assert.Equal(t, "+05:45", o.String())
	o, err = OffsetFromQuarterHours(52)
	require.NoError(t, err)
	assert.Equal(t, "+13:00", o.String())
	_, err = OffsetFromSeconds(20 * 3600) // Garmin lets users set anything within ±24 h
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = OffsetFromMinutes(1 << 62)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestVendorTimes(t *testing.T) {
	tests := []struct {
		name     string
		parse    func() (Instant, error)
		wantUTC  string
		wantOff  string
		wantDate string // local day, in the record's offset
	}{
		{"Garmin epoch s + offset seconds", func() (Instant, error) {
			o, err := OffsetFromSeconds(-18000)
			return Unix(1710054000, o), err
		}, "2024-03-10T07:00:00Z", "-05:00", "2024-03-10"},
		{"Suunto epoch ms + offset minutes", func() (Instant, error) {
			o, err := OffsetFromMinutes(120)
			return UnixMilli(1717710000123, o), err
		}, "2024-06-06T21:40:00.123Z", "+02:00", "2024-06-06"},
		{"COROS epoch s + 15-minute units (+05:45)", func() (Instant, error) {
			o, err := OffsetFromQuarterHours(23)
			return Unix(1700000000, o), err
		}, "2023-11-14T22:13:20Z", "+05:45", "2023-11-15"},
		{"Withings epoch + IANA timezone", func() (Instant, error) {
			return UnixIn(1711846800, mustLoad(t, "Europe/Berlin")), nil
		}, "2024-03-31T01:00:00Z", "+02:00", "2024-03-31"},
		{"Withings epoch string", func() (Instant, error) { return ParseUnix("1700000000", off("+01:00")) }, "2023-11-14T22:13:20Z", "+01:00", "2023-11-14"},
		{"epoch string with fraction", func() (Instant, error) { return ParseUnix("1700000000.25", wearables.NoOffset) }, "2023-11-14T22:13:20.25Z", "", "2023-11-14"},
		{"epoch ms string", func() (Instant, error) { return ParseUnixMilli("1700000000250", off("+13:00")) }, "2023-11-14T22:13:20.25Z", "+13:00", "2023-11-15"},
		{"Polar exercise naive + offset minutes: UTC = local − offset", func() (Instant, error) {
			o, err := OffsetFromMinutes(180)
			if err != nil {
				return Instant{}, err
			}
			return ParseNaive("2008-10-13T10:40:02", o)
		}, "2008-10-13T07:40:02Z", "+03:00", "2008-10-13"},
		{"Polar naive with fraction, negative offset", func() (Instant, error) { return ParseNaive("2024-01-01T23:30:00.500", off("-05:00")) }, "2024-01-02T04:30:00.5Z", "-05:00", "2024-01-01"},
		{"Polar sleep ISO with offset", func() (Instant, error) { return ParseRFC3339("2020-01-01T00:39:07+03:00") }, "2019-12-31T21:39:07Z", "+03:00", "2020-01-01"},
		{"Oura local offset", func() (Instant, error) { return ParseRFC3339("2025-01-15T07:00:00+02:00") }, "2025-01-15T05:00:00Z", "+02:00", "2025-01-15"},
		{"Oura heart rate UTC", func() (Instant, error) { return ParseRFC3339("2025-01-15T05:00:00+00:00") }, "2025-01-15T05:00:00Z", "+00:00", "2025-01-15"},
		{"WHOOP UTC ms + timezone_offset", func() (Instant, error) { return ParseWithOffset("2024-03-09T23:15:00.123Z", "-05:00") }, "2024-03-09T23:15:00.123Z", "-05:00", "2024-03-09"},
		{"WHOOP timezone_offset Z", func() (Instant, error) { return ParseWithOffset("2024-03-09T23:15:00.000Z", "Z") }, "2024-03-09T23:15:00Z", "+00:00", "2024-03-09"},
		{"Fitbit activity local with offset", func() (Instant, error) { return ParseRFC3339("2024-01-15T07:30:00.000+01:00") }, "2024-01-15T06:30:00Z", "+01:00", "2024-01-15"},
		{"offset without colon", func() (Instant, error) { return ParseRFC3339("2024-01-15T07:30:00+0545") }, "2024-01-15T01:45:00Z", "+05:45", "2024-01-15"},
		{"Google RFC 3339 UTC", func() (Instant, error) { return ParseRFC3339("2026-02-01T10:00:00Z") }, "2026-02-01T10:00:00Z", "+00:00", "2026-02-01"},
		{"Strava start_date_local mislabeled Z", func() (Instant, error) { return ParseStravaLocal("2018-02-16T06:52:54Z", -28800) }, "2018-02-16T14:52:54Z", "-08:00", "2018-02-16"},
		{"Apple export date", func() (Instant, error) { return ParseApple("2024-03-10 01:59:30 -0800") }, "2024-03-10T09:59:30Z", "-08:00", "2024-03-10"},
		{"Apple 12-hour export date", func() (Instant, error) { return ParseApple("2021-12-24 8:02:43 PM -0500") }, "2021-12-25T01:02:43Z", "-05:00", "2021-12-24"},
		{"Apple via ParseTime", func() (Instant, error) { return ParseTime("2024-11-03 01:30:00 -0400") }, "2024-11-03T05:30:00Z", "-04:00", "2024-11-03"},
		{"Tonga +13:00", func() (Instant, error) { return ParseTime("2024-06-01T00:30:00+13:00") }, "2024-05-31T11:30:00Z", "+13:00", "2024-06-01"},
		{"Kathmandu +05:45", func() (Instant, error) { return ParseTime("2024-06-01T00:30:00+05:45") }, "2024-05-31T18:45:00Z", "+05:45", "2024-06-01"},
		{"naive in IANA zone (Fitbit sleep)", func() (Instant, error) {
			return ParseNaiveIn("2024-03-31T03:30:00", mustLoad(t, "Europe/Warsaw"))
		}, "2024-03-31T01:30:00Z", "+02:00", "2024-03-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := tt.parse()
			require.NoError(t, err)
			assert.Equal(t, utc(tt.wantUTC), in.Time)
			assert.Equal(t, time.UTC, in.Time.Location())
			assert.Equal(t, tt.wantOff, in.Offset.String())
			assert.Equal(t, tt.wantDate, in.Date(nil).String())
		})
	}
}

func TestParseTimeErrors(t *testing.T) {
	for _, bad := range []string{"", "2024-01-15T07:30:00", "2024-13-01T00:00:00Z", "yesterday", "2024-01-15T07:30:00+25:00", "2024-03-10 01:59:30"} {
		t.Run(bad, func(t *testing.T) {
			_, err := ParseTime(bad)
			require.Error(t, err)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
		})
	}
	_, err := ParseNaive("2024-01-15T07:30:00", wearables.NoOffset)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = ParseNaive("2024-01-15T07:30:00Z", 0)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = ParseUnix("17e8", 0)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = ParseUnix("99999999999999999", 0)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = ParseStravaLocal("2018-02-16T06:52:54Z", 90000)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestClockSeriesCrossesMidnight(t *testing.T) {
	// Polar continuous heart rate: "HH:mm:ss" device-local samples.
	cs := NewClockSeries(wearables.Date{Year: 2024, Month: 3, Day: 30}, mustLoad(t, "Europe/Warsaw"))
	var got []string
	for _, c := range []string{"23:50:00", "23:55:00", "00:00:00", "00:05:00", "03:05:00"} {
		in, err := cs.Next(c)
		require.NoError(t, err)
		got = append(got, in.String())
	}
	// The night of 30→31 March is the spring-forward night in Warsaw:
	// 03:05 local is already CEST.
	assert.Equal(t, []string{
		"2024-03-30T23:50:00+01:00", "2024-03-30T23:55:00+01:00",
		"2024-03-31T00:00:00+01:00", "2024-03-31T00:05:00+01:00", "2024-03-31T03:05:00+02:00",
	}, got)
	_, err := cs.Next("24:00:00")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestClockAfter(t *testing.T) {
	start, err := ParseRFC3339("2020-01-01T22:41:07+03:00")
	require.NoError(t, err)
	for clock, want := range map[string]string{
		"22:41": "2020-01-01T22:41:00+03:00",
		"22:00": "2020-01-01T22:00:00+03:00", // within the look-back
		"23:59": "2020-01-01T23:59:00+03:00",
		"00:10": "2020-01-02T00:10:00+03:00",
		"07:05": "2020-01-02T07:05:00+03:00",
		"21:30": "2020-01-02T21:30:00+03:00", // before the look-back: the next day
	} {
		in, err := ClockAfter(start.Local(), clock)
		require.NoError(t, err)
		assert.Equal(t, want, in.String(), clock)
	}
}

func TestDayBoundsDST(t *testing.T) {
	tests := []struct {
		zone     string
		date     wearables.Date
		wantHour float64
	}{
		{"America/New_York", wearables.Date{Year: 2024, Month: 3, Day: 10}, 23},
		{"America/New_York", wearables.Date{Year: 2024, Month: 11, Day: 3}, 25},
		{"America/New_York", wearables.Date{Year: 2024, Month: 6, Day: 1}, 24},
		{"Europe/Warsaw", wearables.Date{Year: 2024, Month: 3, Day: 31}, 23},
		{"Europe/Warsaw", wearables.Date{Year: 2024, Month: 10, Day: 27}, 25},
		{"Australia/Sydney", wearables.Date{Year: 2024, Month: 10, Day: 6}, 23},
		{"Australia/Sydney", wearables.Date{Year: 2024, Month: 4, Day: 7}, 25},
		{"Asia/Kathmandu", wearables.Date{Year: 2024, Month: 4, Day: 7}, 24},
		{"Pacific/Tongatapu", wearables.Date{Year: 2024, Month: 4, Day: 7}, 24},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.date.String(), func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			start, end := DayBounds(tt.date, loc)
			assert.Equal(t, tt.wantHour, end.Sub(start).Hours())
			assert.Equal(t, tt.date, LocalDate(start, wearables.NoOffset, loc))
			assert.Equal(t, tt.date, LocalDate(end.Add(-time.Nanosecond), wearables.NoOffset, loc))
			assert.Equal(t, tt.date.AddDays(1), LocalDate(end, wearables.NoOffset, loc))
		})
	}
}

func TestNightBoundsDST(t *testing.T) {
	tests := []struct {
		zone string
		date wearables.Date // the evening
		want time.Duration
	}{
		{"America/New_York", wearables.Date{Year: 2024, Month: 3, Day: 9}, 7 * time.Hour},
		{"America/New_York", wearables.Date{Year: 2024, Month: 11, Day: 2}, 9 * time.Hour},
		{"Europe/Warsaw", wearables.Date{Year: 2024, Month: 3, Day: 30}, 7 * time.Hour},
		{"Europe/Warsaw", wearables.Date{Year: 2024, Month: 10, Day: 26}, 9 * time.Hour},
		{"Australia/Sydney", wearables.Date{Year: 2024, Month: 10, Day: 5}, 7 * time.Hour},
		{"Australia/Sydney", wearables.Date{Year: 2024, Month: 4, Day: 6}, 9 * time.Hour},
		{"Europe/Warsaw", wearables.Date{Year: 2024, Month: 7, Day: 1}, 8 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.date.String(), func(t *testing.T) {
			start, end := NightBounds(tt.date, mustLoad(t, tt.zone), 23*time.Hour, 7*time.Hour)
			assert.Equal(t, tt.want, end.Sub(start))
		})
	}
}

func TestLocalDate(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	ts := utc("2024-03-10T03:30:00Z")
	// Own offset wins over the zone.
	assert.Equal(t, "2024-03-10", LocalDate(ts, off("+05:45"), ny).String())
	assert.Equal(t, "2024-03-10", LocalDate(ts, off("+13:00"), ny).String())
	assert.Equal(t, "2024-03-09", LocalDate(ts, off("-08:00"), ny).String())
	// No offset: the user's zone.
	assert.Equal(t, "2024-03-09", LocalDate(ts, wearables.NoOffset, ny).String())
	assert.Equal(t, "2024-03-10", LocalDate(ts, wearables.NoOffset, nil).String())
	// Oura's day starting at 4 a.m.
	assert.Equal(t, "2024-03-09", LocalDateAt(utc("2024-03-10T02:30:00Z"), off("+00:00"), nil, 4*time.Hour).String())
	assert.Equal(t, "2024-03-10", LocalDateAt(utc("2024-03-10T04:30:00Z"), off("+00:00"), nil, 4*time.Hour).String())
	assert.Equal(t, "2024-03-09", LocalDateAt(utc("2024-03-10T07:30:00Z"), wearables.NoOffset, ny, 4*time.Hour).String())
	s, e := DayBoundsAt(wearables.Date{Year: 2024, Month: 3, Day: 10}, ny, 4*time.Hour)
	assert.Equal(t, utc("2024-03-10T08:00:00Z"), s)
	assert.Equal(t, utc("2024-03-11T08:00:00Z"), e)
	// A sleep belongs to the day it ends on.
	sl := wearables.Sleep{Start: utc("2024-03-09T22:00:00Z"), End: utc("2024-03-10T06:00:00Z"), Offset: 0}
	assert.Equal(t, "2024-03-10", SleepDate(sl, nil).String())
}

// clockAfterReference is ClockAfter as first written, one time.Date per
// clock time: the reference for ClockAnchor's zone-period shortcut.
func clockAfterReference(anchor time.Time, clock string) (Instant, error) {
	sec, err := parseClock(clock)
	if err != nil {
		return Instant{}, err
	}
	from := anchor.Add(-ClockLookback)
	t := wallClock(wearables.DateOf(from), sec, anchor.Location())
	if t.Before(from) {
		t = wallClock(wearables.DateOf(from).AddDays(1), sec, anchor.Location())
	}
	return newInstant(t)
}

// ClockAnchor places every clock time exactly where one time.Date per clock
// time does, around DST changes (anchors drawn near them) and in zones of
// every kind.
func TestClockAnchorMatchesReferenceProperty(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"UTC", "Europe/Helsinki", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
		"Pacific/Chatham", "America/St_Johns", "Europe/Dublin", "Pacific/Apia", "America/Santiago"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		zones = append(zones, loc)
	}
	zones = append(zones, time.FixedZone("", -9*3600-1800), time.FixedZone("", 19*3600))
	// DST changes of 2024 in the zones above, to draw anchors near.
	changes := []time.Time{
		time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), time.Date(2024, 10, 27, 1, 0, 0, 0, time.UTC),
		time.Date(2024, 3, 10, 7, 0, 0, 0, time.UTC), time.Date(2024, 11, 3, 6, 0, 0, 0, time.UTC),
		time.Date(2024, 4, 6, 15, 0, 0, 0, time.UTC), time.Date(2024, 10, 5, 15, 30, 0, 0, time.UTC),
		time.Date(2024, 4, 6, 14, 0, 0, 0, time.UTC), time.Date(2024, 9, 28, 14, 0, 0, 0, time.UTC),
		time.Date(2024, 4, 7, 3, 0, 0, 0, time.UTC), time.Date(2024, 9, 8, 4, 0, 0, 0, time.UTC),
	}
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		base := rapid.SampledFrom(changes).Draw(t, "near")
		anchor := base.Add(time.Duration(rapid.Int64Range(-50*3600, 50*3600).Draw(t, "seconds from it")) * time.Second)
		anchor = anchor.Add(time.Duration(rapid.IntRange(0, 2).Draw(t, "ns")) * time.Nanosecond).In(loc)
		if rapid.Bool().Draw(t, "any year") {
			anchor = time.Unix(rapid.Int64Range(-5e10, 5e10).Draw(t, "unix"), 0).In(loc)
		}
		a := NewClockAnchor(anchor)
		for range 5 {
			clock := fmt.Sprintf("%02d:%02d", rapid.IntRange(0, 24).Draw(t, "h"), rapid.IntRange(0, 60).Draw(t, "m"))
			if rapid.Bool().Draw(t, "with seconds") {
				clock += fmt.Sprintf(":%02d", rapid.IntRange(0, 60).Draw(t, "s"))
			}
			got, gotErr := a.After(clock)
			want, wantErr := clockAfterReference(anchor, clock)
			if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
				t.Fatalf("%s after %s: error %v, want %v", clock, anchor, gotErr, wantErr)
			}
			if got.Time != want.Time || got.Offset != want.Offset {
				t.Fatalf("%s after %s: %s (%v), want %s (%v)", clock, anchor, got, got.Time, want, want.Time)
			}
		}
	})
}

// parseNaive tries only the layout a string's shape allows; it must accept
// and reject exactly what trying every layout in turn does.
func TestParseNaiveLayoutChoiceProperty(t *testing.T) {
	reference := func(s string, loc *time.Location) (time.Time, bool) {
		for _, layout := range naiveLayouts {
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				return t, true
			}
		}
		return time.Time{}, false
	}
	helsinki := mustLoad(t, "Europe/Helsinki")
	rapid.Check(t, func(t *rapid.T) {
		// Mostly well-formed pieces, each sometimes off.
		date := rapid.SampledFrom([]string{"2024-03-31", "2024-3-31", "2024-03-31x", "24-03-31", ""}).Draw(t, "date")
		if rapid.Bool().Draw(t, "any digits") {
			date = fmt.Sprintf("%04d-%02d-%02d", rapid.IntRange(0, 9999).Draw(t, "y"), rapid.IntRange(0, 13).Draw(t, "m"), rapid.IntRange(0, 32).Draw(t, "d"))
			if rapid.Bool().Draw(t, "near February's end") {
				date = fmt.Sprintf("%04d-02-%02d", rapid.SampledFrom([]int{1900, 2000, 2023, 2024, 2100, 0, 4}).Draw(t, "leap?"), rapid.IntRange(28, 30).Draw(t, "day"))
			}
		}
		s := date
		if rapid.Bool().Draw(t, "digit clock") {
			s += fmt.Sprintf("T%02d:%02d", rapid.IntRange(0, 25).Draw(t, "hh"), rapid.IntRange(0, 61).Draw(t, "mm"))
			if rapid.Bool().Draw(t, "with seconds") {
				s += fmt.Sprintf(":%02d", rapid.IntRange(0, 61).Draw(t, "ss"))
			}
		} else {
			s += rapid.SampledFrom([]string{"T", " ", "t", "", "  "}).Draw(t, "separator") +
				rapid.SampledFrom([]string{"03", "3", "23", "24", "", "003", "0x", "-1", "+1"}).Draw(t, "hour") +
				rapid.SampledFrom([]string{":04", ":4", "04", ":60", "", ":59", ":-1", ":+1"}).Draw(t, "minute") +
				rapid.SampledFrom([]string{"", ":05", ":5", ":05.123", ":05:06", ":60", ".", ":59", ":-0", ":/0"}).Draw(t, "second") +
				rapid.SampledFrom([]string{"", "", "Z", "+02:00", " ", ":"}).Draw(t, "suffix")
		}
		loc := rapid.SampledFrom([]*time.Location{time.UTC, helsinki}).Draw(t, "zone")
		got, err := parseNaive(s, loc)
		want, ok := reference(s, loc)
		if (err == nil) != ok || got != want {
			t.Fatalf("%q: (%v, %v), every layout in turn: (%v, %v)", s, got, err, want, ok)
		}
	})
}
