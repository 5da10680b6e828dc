package normalize

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// The fuzz targets check that the parsers of vendor input never panic and
// fail only with typed errors matching wearables.ErrInvalid. Seed corpora
// are committed under testdata/fuzz/<FuzzName>/ and run with go test ./...;
// fuzz with e.g.
//
//	go test ./normalize -run '^$' -fuzz '^FuzzParseTime$' -fuzztime 60s

func requireParseError(t *testing.T, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, wearables.ErrInvalid) {
		t.Fatalf("error %v (%T) is not a *ParseError matching ErrInvalid", err, err)
	}
}

func checkInstant(t *testing.T, in Instant) {
	t.Helper()
	if in.Time.Location() != time.UTC {
		t.Fatalf("instant %v is not in UTC", in.Time)
	}
	if !in.Offset.Valid() {
		t.Fatalf("offset %d is invalid", in.Offset)
	}
	_ = in.String()
	_ = in.Date(nil)
}

func FuzzParseTime(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		parsers := []func(string) (Instant, error){
			ParseTime, ParseRFC3339, ParseApple,
			func(s string) (Instant, error) { return ParseNaive(s, 5*3600+45*60) },
			func(s string) (Instant, error) { return ParseNaiveIn(s, time.UTC) },
			func(s string) (Instant, error) { return ParseUnix(s, 0) },
			func(s string) (Instant, error) { return ParseUnixMilli(s, wearables.NoOffset) },
			func(s string) (Instant, error) { return ParseStravaLocal(s, -28800) },
			func(s string) (Instant, error) { return ParseWithOffset(s, "+13:00") },
			func(s string) (Instant, error) { return ClockAfter(time.Date(2024, 3, 10, 1, 0, 0, 0, time.UTC), s) },
			func(s string) (Instant, error) {
				return NewClockSeries(wearables.Date{Year: 2024, Month: 3, Day: 9}, time.UTC).Next(s)
			},
		}
		for _, p := range parsers {
			in, err := p(s)
			if err != nil {
				requireParseError(t, err)
				continue
			}
			checkInstant(t, in)
		}
		if o, err := ParseOffset(s); err != nil {
			requireParseError(t, err)
		} else if !o.Known() || !o.Valid() {
			t.Fatalf("ParseOffset(%q) = %d", s, o)
		}
	})
}

func FuzzParseISODuration(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseISODuration(s)
		if err != nil {
			requireParseError(t, err)
			return
		}
		back, err := ParseISODuration(FormatISODuration(d))
		if err != nil || back != d {
			t.Fatalf("%q → %v → %q → %v, %v", s, d, FormatISODuration(d), back, err)
		}
	})
}

func FuzzUnit(f *testing.F) {
	f.Fuzz(func(t *testing.T, unit string, v float64) {
		for _, lookup := range []func(string) (UnitSpec, error){LookupUnit, LookupAppleUnit} {
			spec, err := lookup(unit)
			if err != nil {
				var ue *UnitError
				if !errors.As(err, &ue) || !errors.Is(err, wearables.ErrInvalid) || ue.Unit != unit {
					t.Fatalf("error %v (%T) is not a *UnitError naming %q", err, err, unit)
				}
				continue
			}
			if spec.Dimension == 0 || !(spec.Scale > 0) {
				t.Fatalf("%q: bad spec %+v", unit, spec)
			}
		}
		got, err := Convert(v, unit, unit)
		if err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) < 1e300 && math.Abs(got-v) > 1e-9*math.Max(1, math.Abs(v)) {
			t.Fatalf("%v %s to itself is %v", v, unit, got)
		}
		for _, typ := range []wearables.SeriesType{wearables.SeriesBloodGlucose, wearables.SeriesWeight, wearables.SeriesOxygenSaturation} {
			if _, err := AppleToCanonical(typ, v, unit); err != nil && !errors.Is(err, wearables.ErrInvalid) {
				t.Fatalf("untyped error %v", err)
			}
		}
		if _, err := DurationOf(v, unit); err != nil && !errors.Is(err, wearables.ErrInvalid) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func FuzzSleepStages(f *testing.F) {
	f.Fuzz(func(t *testing.T, phases string, clock string, code int) {
		start := time.Date(2024, 3, 9, 22, 0, 0, 0, time.UTC)
		st, err := OuraPhases(start, phases, 30*time.Second)
		if err != nil {
			requireParseError(t, err)
		} else {
			checkStages(t, st)
		}
		in := Instant{Time: start, Offset: 0}
		out := Instant{Time: start.Add(9 * time.Hour), Offset: 0}
		st, err = PolarHypnogram(in, out, map[string]int{clock: code, "23:00": 2})
		if err != nil {
			requireParseError(t, err)
		} else {
			checkStages(t, st)
		}
		for s := SchemeOura; s <= SchemeFitbit; s++ {
			if _, err := s.Stage(phases); err != nil {
				requireParseError(t, err)
			}
		}
	})
}

func checkStages(t *testing.T, st []wearables.StageInterval) {
	t.Helper()
	for i, s := range st {
		if !s.End.After(s.Start) {
			t.Fatalf("stage %d is empty", i)
		}
		if i > 0 && s.Start.Before(st[i-1].End) {
			t.Fatalf("stage %d overlaps", i)
		}
		if i > 0 && s.Stage == st[i-1].Stage && s.Start.Equal(st[i-1].End) {
			t.Fatalf("stage %d not merged", i)
		}
	}
}

func FuzzParseResolution(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseResolution(s)
		if err != nil {
			requireParseError(t, err)
			return
		}
		if !r.Valid() {
			t.Fatalf("ParseResolution(%q) = invalid %v", s, r)
		}
	})
}
