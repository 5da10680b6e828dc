package applehealth

import (
	"math"
	"slices"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// Sleep assembly.
//
// HealthKit stores sleep as one HKCategoryTypeIdentifierSleepAnalysis sample
// per interval (in bed, asleep, core, deep, REM, awake). The importer builds
// sessions per source, streaming: intervals of one source belong to the same
// session while the gap between the session so far and the next interval is
// at most the session gap (normalize.SessionGap, one hour, unless
// DecodeOptions.SleepSessionGap says otherwise). A session is closed when an
// interval of its source starts later than that, or at the end of the
// export, so only one night per source is held in memory.
//
// A closed session's intervals go through normalize: stage codes by
// normalize.SchemeApple, overlaps resolved by normalize.NormalizeStages (a
// specific stage wins over unspecified asleep, which wins over in bed, so
// the Watch's InBed around its stages never counts twice), totals and
// efficiency by normalize.Totals and normalize.Efficiency over the session's
// span (in-bed time included), naps by normalize.IsNap: shorter than 3 h and
// centred between 09:00 and 21:00 in the session's own offset.
//
// Sources are kept apart: the iPhone's in-bed session and the Watch's staged
// session of the same night are two sessions of two sources, as every record
// of every source is kept; derived views resolve the overlap with
// normalize.MergeSleep by the user's source priority, never by summing.
//
// The session id (ProviderRecordID) is normalize.RecordID of the source and
// the session's start — not its end, so that an export taken mid-night and a
// later one holding the whole night update the same session.

// DefaultSleepSessionGap is the longest gap between two sleep intervals of
// one source that still belong to the same session.
const DefaultSleepSessionGap = normalize.SessionGap

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

// build turns a session's intervals into a wearables.Sleep.
func (s *sleepSession) build() wearables.Sleep {
	ivs := make([]wearables.StageInterval, len(s.intervals))
	off := s.intervals[0].offset
	for i, iv := range s.intervals {
		ivs[i] = wearables.StageInterval{Stage: iv.stage, Start: iv.start, End: iv.end}
		if iv.start.Equal(s.start) {
			off = iv.offset
		}
	}
	stages := normalize.NormalizeStages(ivs)
	totals := normalize.Totals(stages)
	out := wearables.Sleep{
		Source:           s.source,
		ProviderRecordID: normalize.RecordID(wearables.KindSleep, s.source, s.start),
		Start:            s.start,
		End:              s.end,
		Offset:           off,
		Stages:           stages,
		Totals:           totals,
		IsNap:            normalize.IsNap(s.start, s.end, off, nil),
	}
	if eff, ok := normalize.Efficiency(totals, s.end.Sub(s.start)); ok && totals.TimeAsleep() > 0 {
		eff = math.Round(eff*100) / 100
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
	return out
}
