package normalize

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// StageScheme is a vendor's encoding of sleep stages.
type StageScheme uint8

// Stage schemes, with their mapping onto wearables.SleepStage.
const (
	// SchemeOura: sleep_phase_5_min / sleep_phase_30_sec characters
	// '1' deep, '2' light, '3' REM, '4' awake.
	SchemeOura StageScheme = iota + 1
	// SchemePolar: hypnogram codes 0 wake, 1 REM, 2 lighter non-REM (N1) and
	// 3 light non-REM (N2) → light, 4 deep non-REM (N3), 5 unknown.
	SchemePolar
	// SchemeGarmin: sleepLevelsMap keys deep, light, rem, awake;
	// unmeasurable → unknown.
	SchemeGarmin
	// SchemeWithings: sleep states 0 awake, 1 light, 2 deep, 3 REM,
	// 4 manual → asleep, 5 unspecified → unknown, 15 out of bed → awake.
	SchemeWithings
	// SchemeApple: HKCategoryValueSleepAnalysis* values (with or without
	// the prefix) or their raw numbers: InBed (0) → in_bed, AsleepUnspecified
	// and the pre-iOS 16 Asleep (1) → asleep, Awake (2), AsleepCore (3) →
	// light, AsleepDeep (4) → deep, AsleepREM (5) → rem.
	SchemeApple
	// SchemeGoogle: Google Health stage types AWAKE, LIGHT, DEEP, REM,
	// ASLEEP, RESTLESS → awake, OUT_OF_BED → awake, anything unspecified →
	// unknown.
	SchemeGoogle
	// SchemeFitbit: Fitbit levels: stages wake, light, deep, rem; classic
	// asleep, restless → awake, awake.
	SchemeFitbit
	// SchemeHealthConnect: Android Health Connect SleepSessionRecord stage
	// types by name (with or without the STAGE_TYPE_ prefix) or number:
	// UNKNOWN (0), AWAKE (1), SLEEPING (2) → asleep, OUT_OF_BED (3) → awake,
	// LIGHT (4), DEEP (5), REM (6), AWAKE_IN_BED (7) → awake.
	SchemeHealthConnect
)

var schemeNames = [...]string{"", "oura", "polar", "garmin", "withings", "apple", "google", "fitbit", "healthconnect"}

// String names the scheme ("oura", "polar" …).
func (s StageScheme) String() string {
	if int(s) < len(schemeNames) && s != 0 {
		return schemeNames[s]
	}
	return "scheme(" + strconv.Itoa(int(s)) + ")"
}

var stageCodeMaps = [...]map[string]wearables.SleepStage{
	SchemeOura: {"1": wearables.StageDeep, "2": wearables.StageLight, "3": wearables.StageREM, "4": wearables.StageAwake},
	SchemePolar: {"0": wearables.StageAwake, "1": wearables.StageREM, "2": wearables.StageLight, "3": wearables.StageLight,
		"4": wearables.StageDeep, "5": wearables.StageUnknown},
	SchemeGarmin: {"deep": wearables.StageDeep, "light": wearables.StageLight, "rem": wearables.StageREM,
		"awake": wearables.StageAwake, "unmeasurable": wearables.StageUnknown},
	SchemeWithings: {"0": wearables.StageAwake, "1": wearables.StageLight, "2": wearables.StageDeep, "3": wearables.StageREM,
		"4": wearables.StageAsleep, "5": wearables.StageUnknown, "15": wearables.StageAwake},
	SchemeApple: {"inbed": wearables.StageInBed, "asleepunspecified": wearables.StageAsleep, "asleep": wearables.StageAsleep,
		"awake": wearables.StageAwake, "asleepcore": wearables.StageLight, "asleepdeep": wearables.StageDeep, "asleeprem": wearables.StageREM,
		"0": wearables.StageInBed, "1": wearables.StageAsleep, "2": wearables.StageAwake, "3": wearables.StageLight,
		"4": wearables.StageDeep, "5": wearables.StageREM},
	SchemeGoogle: {"awake": wearables.StageAwake, "light": wearables.StageLight, "deep": wearables.StageDeep, "rem": wearables.StageREM,
		"asleep": wearables.StageAsleep, "restless": wearables.StageAwake, "out_of_bed": wearables.StageAwake,
		"sleep_stage_type_unspecified": wearables.StageUnknown, "unspecified": wearables.StageUnknown, "unknown": wearables.StageUnknown},
	SchemeFitbit: {"wake": wearables.StageAwake, "awake": wearables.StageAwake, "light": wearables.StageLight, "deep": wearables.StageDeep,
		"rem": wearables.StageREM, "asleep": wearables.StageAsleep, "restless": wearables.StageAwake, "unknown": wearables.StageUnknown},
	SchemeHealthConnect: {"unknown": wearables.StageUnknown, "awake": wearables.StageAwake, "sleeping": wearables.StageAsleep,
		"out_of_bed": wearables.StageAwake, "light": wearables.StageLight, "deep": wearables.StageDeep, "rem": wearables.StageREM,
		"awake_in_bed": wearables.StageAwake, "0": wearables.StageUnknown, "1": wearables.StageAwake, "2": wearables.StageAsleep,
		"3": wearables.StageAwake, "4": wearables.StageLight, "5": wearables.StageDeep, "6": wearables.StageREM, "7": wearables.StageAwake},
}

// Stage maps one vendor stage code to a stage. Codes are matched
// case-insensitively. An unknown code is a *ParseError.
func (s StageScheme) Stage(code string) (wearables.SleepStage, error) {
	if s == 0 || int(s) >= len(stageCodeMaps) {
		return 0, parseErr("stage", code, "unknown stage scheme "+s.String())
	}
	c := strings.ToLower(strings.TrimSpace(code))
	switch s {
	case SchemeApple:
		c = strings.TrimPrefix(c, "hkcategoryvaluesleepanalysis")
	case SchemeHealthConnect:
		c = strings.TrimPrefix(c, "stage_type_")
	}
	if st, ok := stageCodeMaps[s][c]; ok {
		return st, nil
	}
	return 0, parseErr("stage", code, "not a "+s.String()+" sleep stage")
}

// CodedSpan is one vendor stage interval before mapping: a Withings state,
// an Apple SleepAnalysis record, a Google stage, a Fitbit level.
type CodedSpan struct {
	Code       string
	Start, End time.Time
}

// ExpandSpans maps vendor stage intervals onto stages and normalizes them
// (see NormalizeStages). Spans that end before they start are dropped; an
// unknown code is a *ParseError.
func ExpandSpans(scheme StageScheme, spans []CodedSpan) ([]wearables.StageInterval, error) {
	out := make([]wearables.StageInterval, 0, len(spans))
	for _, sp := range spans {
		st, err := scheme.Stage(sp.Code)
		if err != nil {
			return nil, err
		}
		out = append(out, wearables.StageInterval{Stage: st, Start: sp.Start.UTC(), End: sp.End.UTC()})
	}
	return NormalizeStages(out), nil
}

// OuraPhases expands an Oura phase string (sleep_phase_5_min with a 5 min
// epoch, sleep_phase_30_sec with 30 s): one character per epoch from
// bedtime_start. An unknown character or a non-positive epoch is a
// *ParseError.
func OuraPhases(start time.Time, phases string, epoch time.Duration) ([]wearables.StageInterval, error) {
	if epoch <= 0 {
		return nil, parseErr("stage", phases, "epoch must be positive")
	}
	out := make([]wearables.StageInterval, 0, 16)
	start = start.UTC()
	for i := 0; i < len(phases); i++ {
		st, err := SchemeOura.Stage(phases[i : i+1])
		if err != nil {
			return nil, &ParseError{What: "stage", Input: phases, Reason: "character " + strconv.Itoa(i) + " " + quote(phases[i:i+1]) + " is not an Oura phase"}
		}
		s := start.Add(time.Duration(i) * epoch)
		e := s.Add(epoch)
		if n := len(out); n > 0 && out[n-1].Stage == st {
			out[n-1].End = e
			continue
		}
		out = append(out, wearables.StageInterval{Stage: st, Start: s, End: e})
	}
	return out, nil
}

// PolarHypnogram expands a Polar hypnogram: a map from "HH:mm" change
// points, in the sleep's local time, to stage codes. Each stage lasts until
// the next change point and the last one until end. Clock times are placed
// after start as ClockAfter places them, so a night that crosses midnight resolves
// ("23:10" then "01:20" the next morning); start and end must carry the
// sleep's offset (ParseRFC3339 of sleep_start_time and sleep_end_time).
// Intervals are clipped to [start, end].
func PolarHypnogram(start, end Instant, hypnogram map[string]int) ([]wearables.StageInterval, error) {
	type point struct {
		t  time.Time
		st wearables.SleepStage
	}
	anchor := NewClockAnchor(start.Local())
	pts := make([]point, 0, len(hypnogram))
	for clock, code := range hypnogram {
		in, err := anchor.After(clock)
		if err != nil {
			return nil, err
		}
		st, err := SchemePolar.Stage(strconv.Itoa(code))
		if err != nil {
			return nil, err
		}
		pts = append(pts, point{in.Time, st})
	}
	slices.SortFunc(pts, func(a, b point) int { return a.t.Compare(b.t) })
	out := make([]wearables.StageInterval, 0, len(pts))
	for i, p := range pts {
		e := end.Time
		if i+1 < len(pts) {
			e = pts[i+1].t
		}
		s := p.t
		if s.Before(start.Time) {
			s = start.Time
		}
		if e.After(end.Time) {
			e = end.Time
		}
		if e.After(s) {
			out = append(out, wearables.StageInterval{Stage: p.st, Start: s, End: e})
		}
	}
	return NormalizeStages(out), nil
}

// EpochSpan is an interval in epoch seconds, as in Garmin's sleepLevelsMap.
type EpochSpan struct {
	Start, End int64
}

// GarminSleepLevels expands a Garmin sleepLevelsMap ({"deep": [{start,
// end}], "light": …}) into stages. An unknown key is a *ParseError.
func GarminSleepLevels(levels map[string][]EpochSpan) ([]wearables.StageInterval, error) {
	var out []wearables.StageInterval
	for key, spans := range levels {
		st, err := SchemeGarmin.Stage(key)
		if err != nil {
			return nil, err
		}
		for _, sp := range spans {
			out = append(out, wearables.StageInterval{Stage: st, Start: time.Unix(sp.Start, 0).UTC(), End: time.Unix(sp.End, 0).UTC()})
		}
	}
	return NormalizeStages(out), nil
}

// EpochState is a Withings sleep series entry: epoch-second bounds and a state.
type EpochState struct {
	Start, End int64
	State      int
}

// WithingsSleepStates expands Withings sleep states (action=get series).
func WithingsSleepStates(states []EpochState) ([]wearables.StageInterval, error) {
	spans := make([]CodedSpan, len(states))
	for i, s := range states {
		spans[i] = CodedSpan{Code: strconv.Itoa(s.State), Start: time.Unix(s.Start, 0), End: time.Unix(s.End, 0)}
	}
	return ExpandSpans(SchemeWithings, spans)
}

// specificity ranks stages for overlap resolution: a classified stage
// beats unspecified sleep, which beats unknown, which beats in-bed.
func specificity(s wearables.SleepStage) int {
	switch s {
	case wearables.StageInBed:
		return 0
	case wearables.StageUnknown:
		return 1
	case wearables.StageAsleep:
		return 2
	}
	return 3
}

// NormalizeStages returns the stages sorted by start, without empty
// intervals, with overlaps resolved and adjacent intervals of the same stage
// merged. Where intervals overlap, the more specific stage wins (light,
// deep, REM and awake over unspecified asleep, over unknown, over in bed:
// Apple writes InBed around the stages of a night); between equally specific
// ones the later-starting one wins (Fitbit's short wakes inside longer
// stages). The input is not modified. Times are returned in UTC.
func NormalizeStages(st []wearables.StageInterval) []wearables.StageInterval {
	in := make([]wearables.StageInterval, 0, len(st))
	for _, s := range st {
		if s.End.After(s.Start) {
			in = append(in, wearables.StageInterval{Stage: s.Stage, Start: s.Start.UTC(), End: s.End.UTC()})
		}
	}
	slices.SortStableFunc(in, func(a, b wearables.StageInterval) int { return a.Start.Compare(b.Start) })
	overlaps := false
	for i := 1; i < len(in); i++ {
		if in[i].Start.Before(in[i-1].End) {
			overlaps = true
			break
		}
	}
	if overlaps {
		in = resolveOverlaps(in)
	}
	return MergeAdjacent(in)
}

// resolveOverlaps splits sorted, overlapping intervals at every boundary and
// keeps, per elementary segment, the winning interval.
func resolveOverlaps(in []wearables.StageInterval) []wearables.StageInterval {
	bounds := make([]int64, 0, 2*len(in))
	for _, s := range in {
		bounds = append(bounds, s.Start.UnixNano(), s.End.UnixNano())
	}
	slices.Sort(bounds)
	bounds = slices.Compact(bounds)
	winner := make([]int, len(bounds)-1)
	for i := range winner {
		winner[i] = -1
	}
	for i, s := range in {
		a, _ := slices.BinarySearch(bounds, s.Start.UnixNano())
		b, _ := slices.BinarySearch(bounds, s.End.UnixNano())
		for k := a; k < b; k++ {
			w := winner[k]
			// in is sorted by start, so a later index starts no earlier.
			if w < 0 || specificity(s.Stage) >= specificity(in[w].Stage) {
				winner[k] = i
			}
		}
	}
	out := make([]wearables.StageInterval, 0, len(in))
	for k, w := range winner {
		if w < 0 {
			continue
		}
		s := time.Unix(0, bounds[k]).UTC()
		e := time.Unix(0, bounds[k+1]).UTC()
		if n := len(out); n > 0 && out[n-1].Stage == in[w].Stage && out[n-1].End.Equal(s) {
			out[n-1].End = e
			continue
		}
		out = append(out, wearables.StageInterval{Stage: in[w].Stage, Start: s, End: e})
	}
	return out
}

// MergeAdjacent merges consecutive intervals of the same stage that touch
// (one ends where the next starts) in a sorted, non-overlapping list. It
// returns a new slice.
func MergeAdjacent(st []wearables.StageInterval) []wearables.StageInterval {
	out := make([]wearables.StageInterval, 0, len(st))
	for _, s := range st {
		if n := len(out); n > 0 && out[n-1].Stage == s.Stage && !s.Start.After(out[n-1].End) {
			if s.End.After(out[n-1].End) {
				out[n-1].End = s.End
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// Totals sums the time spent in each stage.
func Totals(st []wearables.StageInterval) wearables.StageTotals {
	var t wearables.StageTotals
	for _, s := range st {
		if s.End.After(s.Start) {
			t.Add(s.Stage, s.End.Sub(s.Start))
		}
	}
	return t
}

// Efficiency returns the percentage of time in bed spent asleep,
// TimeAsleep / inBed · 100, clamped to 0–100. It reports false when inBed
// is not positive.
func Efficiency(t wearables.StageTotals, inBed time.Duration) (float64, bool) {
	if inBed <= 0 {
		return 0, false
	}
	e := float64(t.TimeAsleep()) / float64(inBed) * 100
	return min(max(e, 0), 100), true
}

// SessionGap is the longest gap between stage intervals of one session:
// GroupSessions starts a new session after a longer one.
const SessionGap = time.Hour

// GroupSessions normalizes stage intervals from one source (Apple writes one
// SleepAnalysis record per stage) and splits them into sessions wherever
// nothing is recorded for longer than maxGap (SessionGap when 0).
func GroupSessions(st []wearables.StageInterval, maxGap time.Duration) [][]wearables.StageInterval {
	if maxGap <= 0 {
		maxGap = SessionGap
	}
	norm := NormalizeStages(st)
	var out [][]wearables.StageInterval
	begin := 0
	for i := 1; i <= len(norm); i++ {
		if i == len(norm) || norm[i].Start.Sub(norm[i-1].End) > maxGap {
			out = append(out, norm[begin:i:i])
			begin = i
		}
	}
	return out
}

// Nap rule: a session is a nap when it is shorter than NapMaxDuration and
// its local midpoint lies in [NapWindowStart, NapWindowEnd) local time.
const (
	NapMaxDuration = 3 * time.Hour
	NapWindowStart = 9 * time.Hour
	NapWindowEnd   = 21 * time.Hour
)

// IsNap applies the nap rule to a session from start to end: shorter than
// NapMaxDuration (3 h, Oura's boundary between "sleep" and "long_sleep")
// and centred in the daytime, between 09:00 and 21:00 local time — in the
// record's own offset, else in loc. A short session at night is a short
// night, not a nap. Vendors that flag naps themselves (WHOOP nap, Garmin
// naps, Oura type) keep their flag; this rule is for those that do not
// (Apple, Google, Withings, Polar).
func IsNap(start, end time.Time, off wearables.Offset, loc *time.Location) bool {
	d := end.Sub(start)
	if d <= 0 || d >= NapMaxDuration {
		return false
	}
	mid := start.Add(d / 2)
	var clock time.Duration
	if off.Known() {
		l := time.Unix(mid.Unix()+int64(off), 0).UTC()
		clock = time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute
	} else {
		if loc == nil {
			loc = time.UTC
		}
		l := mid.In(loc)
		clock = time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute
	}
	return clock >= NapWindowStart && clock < NapWindowEnd
}

// FillSleep completes a sleep record from its stages: it normalizes Stages,
// sets Start and End from them when zero, computes Totals when the vendor
// gave none (all zero), and Efficiency when nil, from the time asleep over
// End − Start. IsNap is left alone: use IsNap for vendors without a flag.
func FillSleep(s *wearables.Sleep) {
	if len(s.Stages) > 0 {
		s.Stages = NormalizeStages(s.Stages)
	}
	if n := len(s.Stages); n > 0 {
		if s.Start.IsZero() {
			s.Start = s.Stages[0].Start
		}
		if s.End.IsZero() {
			s.End = slices.MaxFunc(s.Stages, func(a, b wearables.StageInterval) int { return cmp.Compare(a.End.UnixNano(), b.End.UnixNano()) }).End
		}
		if s.Totals == (wearables.StageTotals{}) {
			s.Totals = Totals(s.Stages)
		}
	}
	if s.Efficiency == nil {
		if e, ok := Efficiency(s.Totals, s.End.Sub(s.Start)); ok && s.Totals.TimeAsleep() > 0 {
			s.Efficiency = &e
		}
	}
}
