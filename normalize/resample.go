package normalize

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// Resolution is the width of a resampling bucket. Sub-day resolutions must
// divide a day into whole seconds; Day is a local calendar day, 23 to 25
// hours long across DST.
type Resolution time.Duration

// Common resolutions.
const (
	Minute         = Resolution(time.Minute)
	FiveMinutes    = Resolution(5 * time.Minute)
	FifteenMinutes = Resolution(15 * time.Minute)
	Hour           = Resolution(time.Hour)
	Day            = Resolution(24 * time.Hour)
)

// Valid reports whether r is Day or a whole number of seconds dividing a day.
func (r Resolution) Valid() bool {
	d := time.Duration(r)
	return d > 0 && d%time.Second == 0 && (24*time.Hour)%d == 0
}

// String formats r as "1m", "5m", "15m", "1h", "1d", or a Go duration.
func (r Resolution) String() string {
	d := time.Duration(r)
	switch {
	case r == Day:
		return "1d"
	case d > 0 && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d > 0 && d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	}
	return d.String()
}

// ParseResolution parses a bucket width: "1m", "1min", "5m", "15min", "1h",
// "60m", "1d", "day", "hour", "minute", or any Go duration ("30s", "2h")
// that divides a day. Anything else is a *ParseError.
func ParseResolution(s string) (Resolution, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	switch v {
	case "1d", "d", "day", "daily", "24h":
		return Day, nil
	case "hour", "hourly":
		return Hour, nil
	case "minute":
		return Minute, nil
	}
	if n, ok := strings.CutSuffix(v, "min"); ok {
		v = n + "m"
	}
	d, err := time.ParseDuration(v)
	if err != nil || !Resolution(d).Valid() {
		return 0, parseErr("resolution", s, "want a width dividing a day (1m, 5m, 15m, 1h) or 1d")
	}
	return Resolution(d), nil
}

// DayRule says which local day a sample belongs to when resampling to Day.
type DayRule uint8

// Day rules.
const (
	// DaysByRecordOffset places each sample on the local day of its own UTC
	// offset, and samples without one in the zone (DESIGN: local-day
	// questions are answered in the record's own offset, or the user's zone
	// when there is none). A traveller's steps land on the days they were
	// walked. This is the default.
	DaysByRecordOffset DayRule = iota
	// DaysByZone places every sample on the local day of the zone.
	DaysByZone
)

// ResampleOptions configures Resample.
type ResampleOptions struct {
	// Type is the series type; samples of other types are an error. Zero
	// takes the type of the first sample.
	Type wearables.SeriesType
	// Resolution is the bucket width; required.
	Resolution Resolution
	// Zone aligns buckets to its local clock (hours of a +05:45 zone start
	// at :45 UTC; days start at local midnight). Nil means UTC.
	Zone *time.Location
	// Start and End bound the buckets: the first bucket contains Start and
	// the last one contains the instant before End. Zero values take the
	// extent of the samples.
	Start, End time.Time
	// Aggregation overrides the catalog's aggregation of Type (ask for
	// AggMin or AggMax of heart rate). Zero uses the catalog's.
	Aggregation wearables.Aggregation
	// Days applies to Resolution Day only. Defaults to DaysByRecordOffset.
	Days DayRule
	// IncludeEmpty returns buckets without data too, with Count 0.
	IncludeEmpty bool
}

// Series is a resampled or merged series.
type Series struct {
	Type        wearables.SeriesType  `json:"type"`
	Unit        wearables.Unit        `json:"unit"`
	Aggregation wearables.Aggregation `json:"aggregation"`
	Resolution  Resolution            `json:"resolution"`
	Zone        string                `json:"zone"`
	// Sources lists the sources Bucket.Sources refers to: for a merged
	// series in priority order (index 0 is the highest), otherwise in order
	// of first appearance.
	Sources []wearables.Source `json:"sources"`
	Buckets []Bucket           `json:"buckets"`
}

// Bucket is one time bucket of a Series.
type Bucket struct {
	Start time.Time      `json:"start"`         // UTC, inclusive
	End   time.Time      `json:"end"`           // UTC, exclusive
	Date  wearables.Date `json:"date,omitzero"` // the local day of a Day bucket
	Value float64        `json:"value"`         // in the series' canonical unit
	Count int            `json:"count"`         // samples that contributed; one spanning several buckets counts in each
	// Sources are indices into Series.Sources of the sources the value
	// came from; one for a merged series at its merge granularity.
	Sources []int `json:"sources,omitempty"`
}

// errNoResolution is returned for a missing or invalid resolution.
func resolutionErr(r Resolution) error {
	return fmt.Errorf("normalize: resolution %s: %w", r, &ParseError{What: "resolution", Input: r.String(), Reason: "want a width dividing a day (1m, 5m, 15m, 1h) or 1d"})
}

// micros converts a time to Unix microseconds, the stores' precision.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

const microsPerDay = int64(24 * time.Hour / time.Microsecond)

// grid is a sequence of adjacent buckets in Unix microseconds. A uniform
// grid computes bucket i as [origin + i·width, origin + (i+1)·width); other
// grids (DST zones) keep their bounds. A shifted grid (DaysByRecordOffset)
// is in local time: sample times are shifted by their offset before
// locating, and bucket i is the local day epochDay+i.
type grid struct {
	n       int
	uniform bool
	origin  int64
	width   int64
	bounds  []int64 // n+1 bounds when !uniform
	shifted bool
	loc     *time.Location
	day     bool // Day resolution: buckets carry a Date
}

func (g *grid) start(i int) int64 {
	if g.uniform {
		return g.origin + int64(i)*g.width
	}
	return g.bounds[i]
}

func (g *grid) end(i int) int64 {
	if g.uniform {
		return g.origin + int64(i+1)*g.width
	}
	return g.bounds[i+1]
}

// locate returns the bucket containing t, or -1. hint is a guess (the
// previous answer) that makes sorted input O(1) on non-uniform grids.
func (g *grid) locate(t int64, hint int) int {
	if g.uniform {
		if t < g.origin {
			return -1
		}
		i := (t - g.origin) / g.width
		if i >= int64(g.n) {
			return -1
		}
		return int(i)
	}
	b := g.bounds
	if hint >= 0 && hint < g.n && b[hint] <= t {
		if t < b[hint+1] {
			return hint
		}
		if hint+1 < g.n && t < b[hint+2] {
			return hint + 1
		}
	}
	if t < b[0] || t >= b[g.n] {
		return -1
	}
	i, found := slices.BinarySearch(b, t)
	if !found {
		i--
	}
	return i
}

// floorDiv divides rounding toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// fixedOffset reports the constant offset (seconds) of loc over [from, to],
// or false when loc changes offset in between.
func fixedOffset(loc *time.Location, from, to int64) (int64, bool) {
	t := fromMicros(from).In(loc)
	_, off := t.Zone()
	_, end := t.ZoneBounds()
	if end.IsZero() || micros(end) > to {
		return int64(off), true
	}
	return 0, false
}

// newGrid builds the buckets of resolution res covering [from, to) in loc.
func newGrid(from, to int64, res Resolution, loc *time.Location, rule DayRule) (*grid, error) {
	if !res.Valid() {
		return nil, resolutionErr(res)
	}
	if loc == nil {
		loc = time.UTC
	}
	if to <= from {
		to = from + 1
	}
	const maxBuckets = 50_000_000
	g := &grid{loc: loc, day: res == Day}
	if res == Day {
		first := wearables.DateOf(fromMicros(from).In(loc))
		last := wearables.DateOf(fromMicros(to - 1).In(loc))
		if rule == DaysByRecordOffset {
			g.shifted, g.uniform, g.width = true, true, microsPerDay
			g.origin = micros(first.In(time.UTC))
			g.n = int((micros(last.In(time.UTC))-g.origin)/microsPerDay) + 1
			return g, nil
		}
		if off, ok := fixedOffset(loc, from-2*microsPerDay, to+2*microsPerDay); ok {
			g.uniform, g.width = true, microsPerDay
			g.origin = micros(first.In(time.UTC)) - off*1e6
			g.n = int((micros(last.In(time.UTC))-micros(first.In(time.UTC)))/microsPerDay) + 1
			return g, nil
		}
		for d := first; !last.Before(d); d = d.AddDays(1) {
			s, _ := DayBounds(d, loc)
			g.bounds = append(g.bounds, micros(s))
			if len(g.bounds) > maxBuckets {
				return nil, fmt.Errorf("normalize: more than %d buckets: %w", maxBuckets, wearables.ErrInvalid)
			}
		}
		_, e := DayBounds(last, loc)
		g.bounds = append(g.bounds, micros(e))
		g.n = len(g.bounds) - 1
		return g, nil
	}
	w := int64(time.Duration(res) / time.Microsecond)
	if (to-from)/w > maxBuckets {
		return nil, fmt.Errorf("normalize: more than %d buckets: %w", maxBuckets, wearables.ErrInvalid)
	}
	if off, ok := fixedOffset(loc, from-w, to+w); ok {
		o := off * 1e6
		g.uniform, g.width = true, w
		g.origin = floorDiv(from+o, w)*w - o
		g.n = int(floorDiv(to-1-g.origin, w)) + 1
		return g, nil
	}
	// A zone with offset changes in range: bounds are multiples of w in
	// local time within each zone period, plus each period's start.
	var bounds []int64
	t := fromMicros(from - w).In(loc)
	limit := to + w
	for {
		segStart, segEnd := t.ZoneBounds()
		_, offSec := t.Zone()
		o := int64(offSec) * 1e6
		s := micros(segStart)
		if segStart.IsZero() || s < from-w {
			s = from - w
		}
		e := limit
		if !segEnd.IsZero() && micros(segEnd) < limit {
			e = micros(segEnd)
		}
		b := floorDiv(s+o+w-1, w)*w - o // first aligned bound ≥ s
		if b != s && (len(bounds) == 0 || bounds[len(bounds)-1] != s) {
			bounds = append(bounds, s)
		}
		for ; b < e; b += w {
			bounds = append(bounds, b)
		}
		if e >= limit {
			break
		}
		t = fromMicros(e).In(loc)
	}
	bounds = append(bounds, limit)
	// Keep the buckets overlapping [from, to).
	i, found := slices.BinarySearch(bounds, from)
	if !found {
		i--
	}
	j, _ := slices.BinarySearch(bounds, to)
	g.bounds = bounds[i : j+1]
	g.n = len(g.bounds) - 1
	return g, nil
}

// acc accumulates one bucket.
type acc struct {
	sum, min, max, last float64
	lastT               int64
	weight              float64
	mask                uint64 // sources 0–63
}

// engine accumulates points into a grid.
type engine struct {
	g     *grid
	agg   wearables.Aggregation
	accs  []acc
	extra map[int][]int // bucket → sources ≥ 64, rare
	hint  int
	// zone offset cache for shifted grids and samples without an offset
	zoneFrom, zoneTo, zoneOff int64
}

func newEngine(g *grid, agg wearables.Aggregation) *engine {
	return &engine{g: g, agg: agg, accs: make([]acc, g.n), zoneTo: math.MinInt64}
}

// zoneOffset returns the offset of the grid's zone at t, in microseconds.
func (e *engine) zoneOffset(t int64) int64 {
	if t >= e.zoneFrom && t < e.zoneTo {
		return e.zoneOff
	}
	lt := fromMicros(t).In(e.g.loc)
	_, off := lt.Zone()
	s, end := lt.ZoneBounds()
	e.zoneFrom, e.zoneTo = math.MinInt64, math.MaxInt64
	if !s.IsZero() {
		e.zoneFrom = micros(s)
	}
	if !end.IsZero() {
		e.zoneTo = micros(end)
	}
	e.zoneOff = int64(off) * 1e6
	return e.zoneOff
}

// add accumulates one point: [s, en) with en == s for an instant, value
// and weight (1 for a raw sample), lastT the time "last" compares, off the
// record's offset and src its source index.
func (e *engine) add(s, en int64, off wearables.Offset, value, weight float64, lastT int64, src int) {
	if e.g.shifted {
		var o int64
		if off.Known() {
			o = int64(off) * 1e6
		} else {
			o = e.zoneOffset(s)
		}
		s, en, lastT = s+o, en+o, lastT+o
	}
	if en > s && e.agg == wearables.AggSum {
		e.split(s, en, value, weight, src)
		return
	}
	i := e.g.locate(s, e.hint)
	if i < 0 {
		return
	}
	e.hint = i
	e.put(i, value, weight, lastT, src)
}

// split spreads an interval's value over the buckets it overlaps, in
// proportion to the overlap; the part outside the grid is dropped.
func (e *engine) split(s, en int64, value, weight float64, src int) {
	span := float64(en - s)
	i := e.g.locate(s, e.hint)
	if i < 0 {
		if s >= e.g.start(0) {
			return // starts after the grid
		}
		i = 0
	}
	e.hint = i
	for ; i < e.g.n; i++ {
		bs, be := e.g.start(i), e.g.end(i)
		if bs >= en {
			break
		}
		lo, hi := max(s, bs), min(en, be)
		if hi <= lo {
			continue
		}
		e.put(i, value*float64(hi-lo)/span, weight, lo, src)
	}
}

func (e *engine) put(i int, value, weight float64, t int64, src int) {
	a := &e.accs[i]
	if a.weight == 0 && a.mask == 0 {
		a.min, a.max, a.last, a.lastT = value, value, value, t
	} else {
		a.min = min(a.min, value)
		a.max = max(a.max, value)
		if t > a.lastT || (t == a.lastT && value > a.last) {
			a.last, a.lastT = value, t
		}
	}
	a.sum += value
	a.weight += weight
	if src < 64 {
		a.mask |= 1 << uint(src)
	} else {
		if e.extra == nil {
			e.extra = make(map[int][]int)
		}
		if !slices.Contains(e.extra[i], src) {
			e.extra[i] = append(e.extra[i], src)
		}
	}
}

// value returns the bucket's aggregate.
func (e *engine) value(a *acc) float64 {
	switch e.agg {
	case wearables.AggSum:
		return a.sum
	case wearables.AggAvg:
		return a.sum / a.weight
	case wearables.AggMin:
		return a.min
	case wearables.AggMax:
		return a.max
	default:
		return a.last
	}
}

// buckets renders the accumulated buckets.
func (e *engine) buckets(includeEmpty bool) []Bucket {
	n := 0
	idxCount := 0
	for i := range e.accs {
		if e.accs[i].weight > 0 || includeEmpty {
			n++
			idxCount += bits.OnesCount64(e.accs[i].mask) + len(e.extra[i])
		}
	}
	out := make([]Bucket, 0, n)
	arena := make([]int, 0, idxCount) // one backing array for every Bucket.Sources
	for i := range e.accs {
		a := &e.accs[i]
		if a.weight == 0 && !includeEmpty {
			continue
		}
		b := Bucket{Count: int(math.Round(a.weight))}
		if a.weight > 0 {
			b.Value = e.value(a)
		}
		if e.g.shifted {
			d := wearables.DateOf(fromMicros(e.g.start(i)))
			s, en := DayBounds(d, e.g.loc)
			b.Start, b.End, b.Date = s, en, d
		} else {
			b.Start, b.End = fromMicros(e.g.start(i)), fromMicros(e.g.end(i))
			if e.g.day {
				b.Date = wearables.DateOf(b.Start.In(e.g.loc))
			}
		}
		from := len(arena)
		for m := a.mask; m != 0; m &= m - 1 {
			arena = append(arena, bits.TrailingZeros64(m))
		}
		arena = append(arena, e.extra[i]...)
		if len(arena) > from {
			b.Sources = arena[from:len(arena):len(arena)]
		}
		out = append(out, b)
	}
	return out
}

// sourceTable assigns small indices to the distinct sources of samples.
type sourceTable struct {
	sources []wearables.Source
	last    int
}

// sameSource compares sources by store id when both have one, else by the
// identifying fields (with defaults normalized).
func sameSource(a, b *wearables.Source) bool {
	if a.ID != "" && b.ID != "" {
		return a.ID == b.ID
	}
	return a.Provider == b.Provider && a.DeviceModel == b.DeviceModel && a.App == b.App &&
		normDevice(a.DeviceType) == normDevice(b.DeviceType) && normMethod(a.RecordingMethod) == normMethod(b.RecordingMethod)
}

func normDevice(d wearables.DeviceType) wearables.DeviceType {
	if d == "" {
		return wearables.DeviceUnknown
	}
	return d
}

func normMethod(m wearables.RecordingMethod) wearables.RecordingMethod {
	if m == "" {
		return wearables.RecordingAutomatic
	}
	return m
}

func (st *sourceTable) index(s *wearables.Source) int {
	if st.last < len(st.sources) && sameSource(&st.sources[st.last], s) {
		return st.last
	}
	for i := range st.sources {
		if sameSource(&st.sources[i], s) {
			st.last = i
			return i
		}
	}
	st.sources = append(st.sources, *s)
	st.last = len(st.sources) - 1
	return st.last
}

// seriesHeader resolves the type and aggregation of samples.
func seriesHeader(samples []wearables.Sample, typ wearables.SeriesType, agg wearables.Aggregation) (wearables.SeriesInfo, wearables.Aggregation, error) {
	if typ == 0 && len(samples) > 0 {
		typ = samples[0].Type
	}
	info, ok := typ.Info()
	if !ok && len(samples) > 0 {
		return info, 0, fmt.Errorf("normalize: series type %d: %w", uint16(typ), &wearables.ValidationError{Index: -1, Field: "Type", Reason: "unknown series type"})
	}
	if agg == 0 {
		agg = info.Aggregation
	}
	if agg < wearables.AggSum || agg > wearables.AggLast {
		if len(samples) == 0 {
			agg = wearables.AggSum
		} else {
			return info, 0, fmt.Errorf("normalize: aggregation %d: %w", agg, wearables.ErrInvalid)
		}
	}
	for i := range samples {
		if samples[i].Type != info.ID {
			return info, 0, fmt.Errorf("normalize: sample %d is %s in a %s series: %w", i, samples[i].Type, info.Code, wearables.ErrInvalid)
		}
	}
	return info, agg, nil
}

// extent returns [min start, max end) of samples in microseconds.
func extent(samples []wearables.Sample) (int64, int64) {
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for i := range samples {
		s := micros(samples[i].Start)
		e := s + 1
		if !samples[i].End.IsZero() {
			e = max(micros(samples[i].End), e)
		}
		lo, hi = min(lo, s), max(hi, e)
	}
	return lo, hi
}

func rangeOf(samples []wearables.Sample, start, end time.Time) (int64, int64, error) {
	if !start.IsZero() && !end.IsZero() {
		if !end.After(start) {
			return 0, 0, fmt.Errorf("normalize: range %s–%s is empty: %w", start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), wearables.ErrInvalid)
		}
		return micros(start), micros(end), nil
	}
	lo, hi := extent(samples)
	if !start.IsZero() {
		lo = micros(start)
	}
	if !end.IsZero() {
		hi = micros(end)
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi, nil
}

// plausibleMicros bounds the instants the engine accepts, so that shifting
// by offsets cannot overflow.
const plausibleMicros = int64(1) << 60

var errRange = errors.New("time out of range")

// Resample aggregates samples of one series type into buckets of
// opts.Resolution, in UTC or opts.Zone, with the catalog's aggregation of
// the type (sum for steps and energy, avg for heart rate, last for weight)
// or opts.Aggregation. For AggSum an interval sample spanning several
// buckets is split in proportion to its overlap with each; every other
// aggregation places a sample at its Start. Day buckets follow local
// midnight across DST (23 and 25 hour days).
//
// Resample does not resolve overlapping sources: samples of several sources
// are aggregated together (and Bucket.Sources lists them). Use Merge for
// data from several devices. The input is not modified and need not be
// sorted. Errors match wearables.ErrInvalid: an invalid resolution, samples
// of mixed or unknown types, an empty range.
func Resample(samples []wearables.Sample, opts ResampleOptions) (Series, error) {
	info, agg, err := seriesHeader(samples, opts.Type, opts.Aggregation)
	if err != nil {
		return Series{}, err
	}
	out := Series{Type: info.ID, Unit: info.Unit, Aggregation: agg, Resolution: opts.Resolution, Zone: zoneName(opts.Zone)}
	if !opts.Resolution.Valid() {
		return out, resolutionErr(opts.Resolution)
	}
	if len(samples) == 0 && (opts.Start.IsZero() || opts.End.IsZero()) {
		return out, nil
	}
	from, to, err := rangeOf(samples, opts.Start, opts.End)
	if err != nil {
		return out, err
	}
	if from < -plausibleMicros || to > plausibleMicros {
		return out, fmt.Errorf("normalize: resample: %w: %w", errRange, wearables.ErrInvalid)
	}
	g, err := newGrid(from, to, opts.Resolution, opts.Zone, opts.Days)
	if err != nil {
		return out, err
	}
	e := newEngine(g, agg)
	var srcs sourceTable
	for i := range samples {
		s := &samples[i]
		st := micros(s.Start)
		if st < -plausibleMicros || st > plausibleMicros {
			continue
		}
		en := st
		if !s.End.IsZero() {
			if en = micros(s.End); en < st || en > plausibleMicros {
				en = st
			}
		}
		if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			continue
		}
		e.add(st, en, s.Offset, s.Value, 1, st, srcs.index(&s.Source))
	}
	out.Sources = srcs.sources
	out.Buckets = e.buckets(opts.IncludeEmpty)
	return out, nil
}

func zoneName(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	return loc.String()
}
