package applehealth

import (
	"slices"
	"strconv"
	"time"

	"github.com/wearables-go/wearables"
)

// Sleep assembly.
//
// HealthKit stores sleep as one HKCategoryTypeIdentifierSleepAnalysis sample
// per interval (in bed, asleep, core, deep, REM, awake). The importer builds
// sessions per source: intervals of one source belong to the same session
// while the gap between the end of the session so far and the start of the
// next interval is at most the session gap (DefaultSleepSessionGap, 90
// minutes). Within a session, overlapping intervals of one source are
// resolved into one timeline by precedence — a sleep stage (deep, REM,
// core, asleep) over awake, awake over in bed — so stage totals never count
// a minute twice. The session spans from the first to the last interval,
// in-bed time included.
//
// Sources are kept apart: the iPhone's in-bed session and the Watch's staged
// session of the same night are two sessions of two sources, as every record
// of every source is kept; derived views pick one by the user's source
// priority (normalize's merge), they are never summed.
//
// Naps: a session is a nap when it spans less than NapMaxDuration (3 h) and
// starts, in its own local time, between 09:00 and 20:00 (NapWindowStart and
// NapWindowEnd). A short session at night is not a nap.
//
// The session id (ProviderRecordID) is derived from the source and the
// session's start, so importing the same export again, or a later export
// holding the same night, updates the same session.

const (
	// DefaultSleepSessionGap is the longest gap between two sleep intervals
	// of one source that still belong to the same session.
	DefaultSleepSessionGap = 90 * time.Minute
	// NapMaxDuration: shorter sessions that start in the nap window are naps.
	NapMaxDuration = 3 * time.Hour
	// NapWindowStart and NapWindowEnd bound, in local hours, when a nap starts.
	NapWindowStart = 9
	NapWindowEnd   = 20
)

type sleepInterval struct {
	stage      wearables.SleepStage
	start, end time.Time
	offset     wearables.Offset
}

type sleepSession struct {
	source    wearables.Source
	intervals []sleepInterval
	start     time.Time
	end       time.Time
}

// sleepAssembler keeps one open session per source. Its memory is bounded by
// the number of sources times the intervals of one night.
type sleepAssembler struct {
	gap  time.Duration
	open map[wearables.Source]*sleepSession
}

func newSleepAssembler(gap time.Duration) *sleepAssembler {
	return &sleepAssembler{gap: gap, open: map[wearables.Source]*sleepSession{}}
}

// add adds an interval of source src; a session it cannot join is closed and
// handed to emit first.
func (a *sleepAssembler) add(_ *sourceEntry, src wearables.Source, iv sleepInterval, emit func(wearables.Sleep)) {
	s := a.open[src]
	if s != nil && (iv.start.After(s.end.Add(a.gap)) || iv.end.Before(s.start.Add(-a.gap))) {
		emit(s.build())
		s = nil
	}
	if s == nil {
		s = &sleepSession{source: src, start: iv.start, end: iv.end}
		a.open[src] = s
	}
	s.intervals = append(s.intervals, iv)
	if iv.start.Before(s.start) {
		s.start = iv.start
	}
	if iv.end.After(s.end) {
		s.end = iv.end
	}
}

// flushAll closes every open session, in source order for a deterministic output.
func (a *sleepAssembler) flushAll(emit func(wearables.Sleep)) {
	keys := make([]wearables.Source, 0, len(a.open))
	for k := range a.open {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y wearables.Source) int {
		return cmpStr(x.Key(), y.Key())
	})
	for _, k := range keys {
		emit(a.open[k].build())
		delete(a.open, k)
	}
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// stagePrecedence orders stages when intervals overlap: higher wins.
func stagePrecedence(s wearables.SleepStage) int {
	switch s {
	case wearables.StageDeep, wearables.StageREM, wearables.StageLight:
		return 4
	case wearables.StageAsleep:
		return 3
	case wearables.StageAwake:
		return 2
	case wearables.StageInBed:
		return 1
	}
	return 0
}

// build turns a session's intervals into a wearables.Sleep.
func (s *sleepSession) build() wearables.Sleep {
	ivs := s.intervals
	slices.SortStableFunc(ivs, func(a, b sleepInterval) int { return a.start.Compare(b.start) })
	// Sweep over the interval boundaries; each elementary segment takes the
	// stage of highest precedence covering it.
	bounds := make([]time.Time, 0, 2*len(ivs))
	for _, iv := range ivs {
		bounds = append(bounds, iv.start, iv.end)
	}
	slices.SortFunc(bounds, func(a, b time.Time) int { return a.Compare(b) })
	bounds = slices.CompactFunc(bounds, func(a, b time.Time) bool { return a.Equal(b) })
	var stages []wearables.StageInterval
	var totals wearables.StageTotals
	for i := 0; i+1 < len(bounds); i++ {
		segStart, segEnd := bounds[i], bounds[i+1]
		best, found := wearables.StageUnknown, false
		for _, iv := range ivs {
			// Intervals are sorted by start: later ones cannot cover the segment.
			if !iv.start.Before(segEnd) {
				break
			}
			if iv.start.After(segStart) || !iv.end.After(segStart) {
				continue
			}
			if !found || stagePrecedence(iv.stage) > stagePrecedence(best) {
				best, found = iv.stage, true
			}
		}
		if !found {
			continue // a gap inside the session
		}
		totals.Add(best, segEnd.Sub(segStart))
		if n := len(stages); n > 0 && stages[n-1].Stage == best && stages[n-1].End.Equal(segStart) {
			stages[n-1].End = segEnd
		} else {
			stages = append(stages, wearables.StageInterval{Stage: best, Start: segStart, End: segEnd})
		}
	}
	off := ivs[0].offset
	out := wearables.Sleep{
		Source:           s.source,
		ProviderRecordID: sleepID(s.source, s.start),
		Start:            s.start,
		End:              s.end,
		Offset:           off,
		Stages:           stages,
		Totals:           totals,
	}
	span := s.end.Sub(s.start)
	if span > 0 {
		asleep := totals.TimeAsleep()
		eff := float64(asleep) / float64(span) * 100
		eff = float64(int64(eff*100+0.5)) / 100
		out.Efficiency = &eff
		for _, st := range stages {
			if st.Stage.IsAsleep() {
				if lat := st.Start.Sub(s.start); lat > 0 {
					out.Latency = &lat
				}
				break
			}
		}
	}
	out.IsNap = isNap(s.start, span, off)
	return out
}

// isNap applies the documented nap rule.
func isNap(start time.Time, span time.Duration, off wearables.Offset) bool {
	if span >= NapMaxDuration {
		return false
	}
	local := start
	if off.Known() {
		local = start.Add(time.Duration(off) * time.Second)
	}
	h := local.UTC().Hour()
	return h >= NapWindowStart && h < NapWindowEnd
}

// sleepID is the deterministic id of a session.
func sleepID(src wearables.Source, start time.Time) string {
	return recordID("sleep", src.Key(), strconv.FormatInt(start.Unix(), 10))
}
