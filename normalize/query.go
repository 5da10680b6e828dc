package normalize

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wearables-go/wearables"
)

// Reader is what the query functions need from a store: raw records, the
// user's source priorities and the user's time zone. Every wearables.Store
// is one. A store returns raw rows; this package does the math.
type Reader interface {
	wearables.RecordReader
	wearables.PriorityStore
	wearables.UserStore
}

// IntervalLookback is how far before a query's start QuerySeries reads
// interval samples of sum types, so that an interval that began earlier
// (a daily total, a Garmin epoch) contributes its share to the first bucket.
const IntervalLookback = 24 * time.Hour

// SeriesQuery asks for a resampled series of one user and one type.
type SeriesQuery struct {
	UserID string
	Type   wearables.SeriesType
	// Start and End bound the buckets, [Start, End). Required.
	Start, End time.Time
	// Resolution is the bucket width (1m, 5m, 15m, 1h, 1d …). Required.
	Resolution Resolution
	// Zone aligns buckets and local days. Nil uses the user's TimeZone.
	Zone *time.Location
	// Merged resolves overlapping sources by the user's priorities into one
	// series (Merge). Otherwise QuerySeries returns one series per source,
	// in priority order, and never adds sources together.
	Merged bool
	// SourceIDs restricts the query to these sources (optional).
	SourceIDs []string
	// Aggregation overrides the catalog's aggregation (optional).
	Aggregation wearables.Aggregation
	// Days is the day rule for Resolution Day. Defaults to
	// DaysByRecordOffset.
	Days DayRule
	// Granularity is Merge's source-selection width (optional).
	Granularity Resolution
	// IncludeEmpty returns buckets without data too.
	IncludeEmpty bool
}

// QuerySeries reads the samples of q from r, page by page, and resamples
// them: merged into one series by the user's source priorities when
// q.Merged, else one series per source, ordered by those priorities.
// Errors from the store are returned wrapped (ErrNotFound for an unknown
// user); an invalid query matches wearables.ErrInvalid. QuerySeries is safe
// for concurrent use when r is.
func QuerySeries(ctx context.Context, r Reader, q SeriesQuery) ([]Series, error) {
	info, ok := q.Type.Info()
	switch {
	case !ok:
		return nil, fmt.Errorf("normalize: query series: %w", &wearables.ValidationError{Index: -1, Field: "Type", Reason: "unknown series type"})
	case q.UserID == "":
		return nil, fmt.Errorf("normalize: query series: %w", &wearables.ValidationError{Index: -1, Field: "UserID", Reason: "user id is empty"})
	case q.Start.IsZero() || q.End.IsZero() || !q.End.After(q.Start):
		return nil, fmt.Errorf("normalize: query series: %w", &wearables.ValidationError{Index: -1, Field: "End", Reason: "want Start before End"})
	case !q.Resolution.Valid():
		return nil, fmt.Errorf("normalize: query series: %w", resolutionErr(q.Resolution))
	}
	loc, err := userZone(ctx, r, q.UserID, q.Zone)
	if err != nil {
		return nil, err
	}
	prios, err := r.GetSourcePriorities(ctx, q.UserID)
	if err != nil {
		return nil, fmt.Errorf("normalize: query series: source priorities: %w", err)
	}

	// Read a little wider than asked: intervals that began earlier, and
	// records whose own offset puts them on a local day of the range.
	from, to := q.Start, q.End
	agg := q.Aggregation
	if agg == 0 {
		agg = info.Aggregation
	}
	if agg == wearables.AggSum {
		from = from.Add(-IntervalLookback)
	}
	if q.Resolution == Day && q.Days == DaysByRecordOffset {
		from = from.Add(-time.Duration(wearables.MaxOffset) * time.Second)
		to = to.Add(time.Duration(wearables.MaxOffset) * time.Second)
	}
	samples, err := readSamples(ctx, r, wearables.SampleQuery{
		UserID: q.UserID, Types: []wearables.SeriesType{q.Type}, Start: from, End: to, SourceIDs: q.SourceIDs,
	})
	if err != nil {
		return nil, err
	}

	ro := ResampleOptions{Type: q.Type, Resolution: q.Resolution, Zone: loc, Start: q.Start, End: q.End,
		Aggregation: q.Aggregation, Days: q.Days, IncludeEmpty: q.IncludeEmpty}
	if q.Merged {
		s, err := Merge(samples, MergeOptions{ResampleOptions: ro, Priorities: prios, Granularity: q.Granularity})
		if err != nil {
			return nil, fmt.Errorf("normalize: query series: %w", err)
		}
		return []Series{s}, nil
	}

	// One series per source, in priority order.
	var tab sourceTable
	bySource := map[int][]wearables.Sample{}
	for i := range samples {
		k := tab.index(&samples[i].Source)
		bySource[k] = append(bySource[k], samples[i])
	}
	ranker := NewSourceRanker(prios, info.Code)
	order := make([]int, len(tab.sources))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return ranker.Compare(tab.sources[a], tab.sources[b]) })
	out := make([]Series, 0, len(order))
	for _, k := range order {
		s, err := Resample(bySource[k], ro)
		if err != nil {
			return nil, fmt.Errorf("normalize: query series: %w", err)
		}
		out = append(out, s)
	}
	return out, nil
}

// userZone returns zone, or the user's configured zone when zone is nil.
func userZone(ctx context.Context, r wearables.UserStore, userID string, zone *time.Location) (*time.Location, error) {
	if zone != nil {
		return zone, nil
	}
	u, err := r.GetUser(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("normalize: user %s: %w", userID, err)
	}
	loc, err := u.Location()
	if err != nil {
		return nil, fmt.Errorf("normalize: user %s: %w", userID, err)
	}
	return loc, nil
}

// readSamples pages through QuerySamples to the end.
func readSamples(ctx context.Context, r wearables.RecordReader, q wearables.SampleQuery) ([]wearables.Sample, error) {
	q.Limit = wearables.MaxPageSize
	var out []wearables.Sample
	for {
		page, err := r.QuerySamples(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("normalize: query samples: %w", err)
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}

// DailyQuery asks for merged daily totals of one user and one type.
type DailyQuery struct {
	UserID   string
	Type     wearables.SeriesType
	From, To wearables.Date // inclusive
	// Zone defines the days of records without an offset, and the bucket
	// bounds. Nil uses the user's TimeZone.
	Zone *time.Location
}

// QueryDailyTotals returns the merged daily totals (or averages, or last
// values, by the type's aggregation) of q's local days: each day from the
// user's preferred sources, never summing overlapping ones, records placed
// on days by their own offset. It is QuerySeries with Resolution Day and
// Merged set.
func QueryDailyTotals(ctx context.Context, r Reader, q DailyQuery) (Series, error) {
	if q.To.Before(q.From) {
		return Series{}, fmt.Errorf("normalize: query daily totals: %w", &wearables.ValidationError{Index: -1, Field: "To", Reason: "To is before From"})
	}
	loc, err := userZone(ctx, r, q.UserID, q.Zone)
	if err != nil {
		return Series{}, err
	}
	start, _ := DayBounds(q.From, loc)
	_, end := DayBounds(q.To, loc)
	ss, err := QuerySeries(ctx, r, SeriesQuery{UserID: q.UserID, Type: q.Type, Start: start, End: end, Resolution: Day, Zone: loc, Merged: true})
	if err != nil {
		return Series{}, err
	}
	return ss[0], nil
}

// SleepQuery asks for the sleep sessions of one user.
type SleepQuery struct {
	UserID     string
	Start, End time.Time // sessions starting in [Start, End)
	// Merged resolves overlapping sessions of several sources to one
	// (MergeSleep) by the user's "sleep" priorities.
	Merged bool
}

// QuerySleep reads the sleep sessions of q from r, page by page, and
// merges overlapping sources when q.Merged.
func QuerySleep(ctx context.Context, r Reader, q SleepQuery) ([]wearables.Sleep, error) {
	eq := wearables.EventQuery{UserID: q.UserID, Start: q.Start, End: q.End, Limit: wearables.MaxPageSize}
	var out []wearables.Sleep
	for {
		page, err := r.QuerySleep(ctx, eq)
		if err != nil {
			return nil, fmt.Errorf("normalize: query sleep: %w", err)
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			break
		}
		eq.Cursor = page.Next
	}
	if !q.Merged {
		return out, nil
	}
	prios, err := r.GetSourcePriorities(ctx, q.UserID)
	if err != nil {
		return nil, fmt.Errorf("normalize: query sleep: source priorities: %w", err)
	}
	return MergeSleep(out, prios), nil
}
