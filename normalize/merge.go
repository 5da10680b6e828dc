package normalize

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/wearables-go/wearables"
)

// defaultDeviceOrder ranks device types after a user's own priorities: a
// device worn on the body measures more than a phone in a pocket, which
// measures more than an app that computes or is typed into.
var defaultDeviceOrder = []wearables.DeviceType{
	wearables.DeviceWatch, wearables.DeviceStrap, wearables.DeviceRing, wearables.DeviceScale,
	wearables.DevicePhone, wearables.DeviceUnknown, wearables.DeviceApp,
}

// DefaultDeviceOrder returns the order SourceRanker applies to device types
// after a user's own priorities: watch, strap, ring, scale, phone, unknown,
// app — a device worn on the body measures more than a phone in a pocket,
// which measures more than an app that computes or is typed into.
func DefaultDeviceOrder() []wearables.DeviceType { return slices.Clone(defaultDeviceOrder) }

// SourceRanker orders sources for one data type by a user's priorities.
// Sources compare by, in order:
//
//  1. the position of their provider in the priority's Providers (sources
//     of unlisted providers rank after every listed one);
//  2. the position of their device type in the priority's DeviceTypes
//     (unlisted types after listed ones);
//  3. the position of their device type in DefaultDeviceOrder;
//  4. automatic recordings before manual ones;
//  5. Source.Key, so the order is total and deterministic.
//
// The priority used is the one whose DataType is the data type's code
// ("steps", "sleep"), else the "*" one, else none (rules 3–5 only). A
// SourceRanker is immutable and safe for concurrent use.
type SourceRanker struct {
	providers []wearables.ProviderID
	devices   []wearables.DeviceType
}

// NewSourceRanker returns the ranker for dataType ("steps", "sleep",
// "workouts" …) under priorities.
func NewSourceRanker(priorities []wearables.SourcePriority, dataType string) SourceRanker {
	var chosen *wearables.SourcePriority
	for i := range priorities {
		switch priorities[i].DataType {
		case dataType:
			chosen = &priorities[i]
		case "*":
			if chosen == nil {
				chosen = &priorities[i]
			}
		}
		if chosen != nil && chosen.DataType == dataType {
			break
		}
	}
	if chosen == nil {
		return SourceRanker{}
	}
	return SourceRanker{providers: chosen.Providers, devices: chosen.DeviceTypes}
}

func indexOr[T comparable](xs []T, x T) int {
	if i := slices.Index(xs, x); i >= 0 {
		return i
	}
	return len(xs)
}

// Compare returns a negative number when a ranks before (wins over) b,
// positive when after, 0 only for the same source.
func (r SourceRanker) Compare(a, b wearables.Source) int {
	da, db := normDevice(a.DeviceType), normDevice(b.DeviceType)
	return cmp.Or(
		cmp.Compare(indexOr(r.providers, a.Provider), indexOr(r.providers, b.Provider)),
		cmp.Compare(indexOr(r.devices, da), indexOr(r.devices, db)),
		cmp.Compare(indexOr(defaultDeviceOrder, da), indexOr(defaultDeviceOrder, db)),
		cmp.Compare(boolInt(normMethod(a.RecordingMethod) == wearables.RecordingManual), boolInt(normMethod(b.RecordingMethod) == wearables.RecordingManual)),
		cmp.Compare(a.Key(), b.Key()),
		cmp.Compare(a.ID, b.ID),
	)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Rank returns sources sorted from the highest priority to the lowest. The
// input is not modified.
func (r SourceRanker) Rank(sources []wearables.Source) []wearables.Source {
	out := slices.Clone(sources)
	slices.SortStableFunc(out, r.Compare)
	return out
}

// MergeOptions configures Merge.
type MergeOptions struct {
	ResampleOptions
	// Priorities are the user's source priorities (PriorityStore).
	Priorities []wearables.SourcePriority
	// Granularity is the width of the buckets in which one source is
	// chosen: within each, the highest-priority source with data supplies
	// the value, so a watch that was off for an hour is filled by the phone
	// for that hour. It must divide Resolution. Zero means one minute
	// (capped at Resolution) for AggSum types, whose gaps matter, and
	// Resolution for the others (a day's last weight comes from the
	// preferred scale, not from whichever source weighed last).
	Granularity Resolution
}

// fine accumulates, in one granularity bucket, the best-ranked source seen
// so far; a better-ranked source replaces it, worse ones are ignored. So
// memory is one cell per bucket, whatever the number of sources.
type fine struct {
	v     float64 // sum, min, max or last, by aggregation
	w     float64 // samples
	t     int64   // time of last
	off   wearables.Offset
	rank1 int32 // rank + 1 of the source; 0 = empty
}

// Merge produces one series from the samples of several sources: per
// granularity bucket it takes the highest-priority source that has data in
// that bucket (see SourceRanker; the priority's DataType is the series
// code), never sums overlapping sources, and aggregates the chosen values to
// opts.Resolution like Resample. Series.Sources lists the ranked sources and
// each Bucket.Sources says which of them supplied it. Merging to Day gives
// daily totals.
//
// For every granularity bucket the merged value equals one source's value,
// so for sum types it never exceeds the largest source's value in that
// bucket. Errors are Resample's.
func Merge(samples []wearables.Sample, opts MergeOptions) (Series, error) {
	info, agg, err := seriesHeader(samples, opts.Type, opts.Aggregation)
	if err != nil {
		return Series{}, err
	}
	out := Series{Type: info.ID, Unit: info.Unit, Aggregation: agg, Resolution: opts.Resolution, Zone: zoneName(opts.Zone)}
	if !opts.Resolution.Valid() {
		return out, resolutionErr(opts.Resolution)
	}
	gran := opts.Granularity
	if gran == 0 {
		gran = opts.Resolution
		if agg == wearables.AggSum && opts.Resolution > Minute {
			gran = Minute
		}
	}
	if !gran.Valid() || gran > opts.Resolution || (opts.Resolution != Day && opts.Resolution%gran != 0) {
		return out, fmt.Errorf("normalize: granularity %s does not divide resolution %s: %w", gran, opts.Resolution, wearables.ErrInvalid)
	}
	if len(samples) == 0 && (opts.Start.IsZero() || opts.End.IsZero()) {
		return out, nil
	}
	from, to, err := rangeOf(samples, opts.Start, opts.End)
	if err != nil {
		return out, err
	}
	if from < -plausibleMicros || to > plausibleMicros {
		return out, fmt.Errorf("normalize: merge: %w: %w", errRange, wearables.ErrInvalid)
	}

	// Sources, ranked.
	var tab sourceTable
	srcOf := make([]int32, len(samples))
	for i := range samples {
		srcOf[i] = int32(tab.index(&samples[i].Source))
	}
	ranker := NewSourceRanker(opts.Priorities, info.Code)
	order := make([]int, len(tab.sources)) // rank position → table index
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return ranker.Compare(tab.sources[a], tab.sources[b]) })
	rankOf := make([]int32, len(order)) // table index → rank position
	for r, i := range order {
		rankOf[i] = int32(r)
		out.Sources = append(out.Sources, tab.sources[i])
	}

	// Accumulate every source on the granularity grid.
	rule := opts.Days
	if gran != Day {
		rule = DaysByZone
	}
	fg, err := newGrid(from, to, gran, opts.Zone, rule)
	if err != nil {
		return out, err
	}
	cells := make([]fine, fg.n)
	fe := newEngine(fg, agg) // for locating, splitting and zone offsets
	for i := range samples {
		s := &samples[i]
		st := micros(s.Start)
		if st < -plausibleMicros || st > plausibleMicros || math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			continue
		}
		en := st
		if !s.End.IsZero() {
			if en = micros(s.End); en < st || en > plausibleMicros {
				en = st
			}
		}
		r := int(rankOf[srcOf[i]])
		if fg.shifted {
			var o int64
			if s.Offset.Known() {
				o = int64(s.Offset) * 1e6
			} else {
				o = fe.zoneOffset(st)
			}
			st, en = st+o, en+o
		}
		if en > st && agg == wearables.AggSum {
			span := float64(en - st)
			b := fg.locate(st, fe.hint)
			if b < 0 {
				if st >= fg.start(0) {
					continue
				}
				b = 0
			}
			fe.hint = b
			for ; b < fg.n; b++ {
				bs, be := fg.start(b), fg.end(b)
				if bs >= en {
					break
				}
				if lo, hi := max(st, bs), min(en, be); hi > lo {
					cells[b].addFine(agg, r, s.Value*float64(hi-lo)/span, lo, s.Offset)
				}
			}
			continue
		}
		b := fg.locate(st, fe.hint)
		if b < 0 {
			continue
		}
		fe.hint = b
		cells[b].addFine(agg, r, s.Value, st, s.Offset)
	}

	// Choose the best source per granularity bucket and aggregate.
	og, err := newGrid(from, to, opts.Resolution, opts.Zone, opts.Days)
	if err != nil {
		return out, err
	}
	e := newEngine(og, agg)
	for b := range cells {
		c := &cells[b]
		if c.rank1 == 0 {
			continue
		}
		r := int(c.rank1) - 1
		bs, be := fg.start(b), fg.end(b)
		if fg.shifted { // back to UTC; the output engine shifts again
			o := int64(c.off) * 1e6
			if !c.off.Known() {
				o = fe.zoneOffset(bs)
			}
			bs, be = bs-o, be-o
			c.t -= o
		}
		switch agg {
		case wearables.AggSum:
			e.add(bs, be, c.off, c.v, c.w, bs, r)
		case wearables.AggLast:
			e.add(c.t, c.t, c.off, c.v, c.w, c.t, r)
		default:
			e.add(bs, bs, c.off, c.v, c.w, bs, r)
		}
	}
	out.Buckets = e.buckets(opts.IncludeEmpty)
	return out, nil
}

func (c *fine) addFine(agg wearables.Aggregation, rank int, v float64, t int64, off wearables.Offset) {
	r1 := int32(rank) + 1
	switch {
	case c.rank1 != 0 && r1 > c.rank1:
		return // a better source has data here
	case c.rank1 == 0 || r1 < c.rank1:
		*c = fine{v: v, w: 1, t: t, off: off, rank1: r1}
		return
	}
	c.off = off
	c.w++
	switch agg {
	case wearables.AggSum, wearables.AggAvg:
		c.v += v
	case wearables.AggMin:
		c.v = min(c.v, v)
	case wearables.AggMax:
		c.v = max(c.v, v)
	default:
		if t > c.t || (t == c.t && v > c.v) {
			c.v, c.t = v, t
		}
	}
}

// DailyTotals merges samples of one series type into local days between
// from and to (inclusive) in loc (nil is UTC): the daily totals a summary
// shows, each from the user's preferred sources, never summing overlapping
// ones. Samples are placed on days by their own offset (DaysByRecordOffset).
func DailyTotals(samples []wearables.Sample, priorities []wearables.SourcePriority, from, to wearables.Date, loc *time.Location) (Series, error) {
	s, _ := DayBounds(from, loc)
	_, e := DayBounds(to, loc)
	return Merge(samples, MergeOptions{
		ResampleOptions: ResampleOptions{Resolution: Day, Zone: loc, Start: s, End: e},
		Priorities:      priorities,
	})
}

// SleepCoverage is the share of a cluster of overlapping sleep sessions a
// source must cover to be chosen by MergeSleep over a lower-priority source.
const SleepCoverage = 0.5

// MergeSleep resolves overlapping sleep sessions from several sources to
// one: sessions are grouped into clusters of transitively overlapping
// sessions, and from each cluster the sessions of one source are kept — the
// highest-priority source (SourceRanker with DataType "sleep") among those
// whose sessions cover at least SleepCoverage of the cluster's span, or the
// highest-priority source when none does. So a watch worn for one hour of a
// night does not replace the ring's whole night. The result is sorted by
// start; the input is not modified.
func MergeSleep(sessions []wearables.Sleep, priorities []wearables.SourcePriority) []wearables.Sleep {
	if len(sessions) == 0 {
		return nil
	}
	ranker := NewSourceRanker(priorities, string(wearables.DataSleep))
	sorted := slices.Clone(sessions)
	slices.SortStableFunc(sorted, func(a, b wearables.Sleep) int {
		return cmp.Or(a.Start.Compare(b.Start), b.End.Compare(a.End))
	})
	var out []wearables.Sleep
	for lo := 0; lo < len(sorted); {
		hi, end := lo+1, sorted[lo].End
		for hi < len(sorted) && sorted[hi].Start.Before(end) {
			if sorted[hi].End.After(end) {
				end = sorted[hi].End
			}
			hi++
		}
		out = append(out, pickSleep(sorted[lo:hi], end.Sub(sorted[lo].Start), ranker)...)
		lo = hi
	}
	return out
}

func pickSleep(cluster []wearables.Sleep, span time.Duration, ranker SourceRanker) []wearables.Sleep {
	if len(cluster) == 1 {
		return cluster
	}
	var tab sourceTable
	cover := map[int]time.Duration{}
	for i := range cluster {
		k := tab.index(&cluster[i].Source)
		cover[k] += cluster[i].End.Sub(cluster[i].Start)
	}
	best, bestCovers := -1, false
	for k := range tab.sources {
		covers := float64(cover[k]) >= SleepCoverage*float64(span)
		switch {
		case best < 0,
			covers && !bestCovers,
			covers == bestCovers && ranker.Compare(tab.sources[k], tab.sources[best]) < 0:
			best, bestCovers = k, covers
		}
	}
	var out []wearables.Sleep
	for i := range cluster {
		if sameSource(&cluster[i].Source, &tab.sources[best]) {
			out = append(out, cluster[i])
		}
	}
	return out
}
