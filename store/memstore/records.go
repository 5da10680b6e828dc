package memstore

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/batchprep"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

func newUserRecords() *userRecords {
	return &userRecords{
		sources:     map[string]wearables.Source{},
		sourcesByID: map[string]wearables.Source{},
		samples:     map[sampleKey]wearables.Sample{},
		workouts:    map[eventKey]storedEvent{},
		sleep:       map[eventKey]storedEvent{},
		summaries:   map[summaryKey]storedSummary{},
		scores:      map[scoreKey]storedScore{},
	}
}

// docs are the canonical documents of a prepared batch, encoded before the
// store is locked.
type docs struct {
	workouts, sleep, summaries, scores [][]byte
}

func encodeDocs(p *wearables.Batch) (docs, error) {
	d := docs{
		workouts:  make([][]byte, len(p.Workouts)),
		sleep:     make([][]byte, len(p.Sleep)),
		summaries: make([][]byte, len(p.Summaries)),
		scores:    make([][]byte, len(p.Scores)),
	}
	var err error
	for i := range p.Workouts {
		if d.workouts[i], err = batchprep.EncodeWorkout(&p.Workouts[i]); err != nil {
			return docs{}, err
		}
	}
	for i := range p.Sleep {
		if d.sleep[i], err = batchprep.EncodeSleep(&p.Sleep[i]); err != nil {
			return docs{}, err
		}
	}
	for i := range p.Summaries {
		if d.summaries[i], err = batchprep.EncodeSummaryValues(p.Summaries[i].Values); err != nil {
			return docs{}, err
		}
	}
	for i := range p.Scores {
		if d.scores[i], err = batchprep.EncodeScore(&p.Scores[i]); err != nil {
			return docs{}, err
		}
	}
	return d, nil
}

// WriteBatch upserts every record of b on its natural key, applies its
// deletes (after the upserts) and advances its cursor, all at once: either
// everything is applied or, on error, nothing. A record whose stored twin is
// identical, or has a higher Version, counts as unchanged and is left alone.
// Errors match wearables.ErrInvalid for an invalid batch (see
// wearables.Batch.Validate), a user that does not exist, or a cursor whose
// connection is not the user's.
func (s *Store) WriteBatch(ctx context.Context, b *wearables.Batch) (wearables.WriteResult, error) {
	if err := ctx.Err(); err != nil {
		return wearables.WriteResult{}, fmt.Errorf("memstore: write batch: %w", err)
	}
	p, err := batchprep.Prepare(b)
	if err != nil {
		return wearables.WriteResult{}, fmt.Errorf("memstore: write batch: %w", err)
	}
	d, err := encodeDocs(p)
	if err != nil {
		return wearables.WriteResult{}, fmt.Errorf("memstore: write batch: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[p.UserID]; !ok {
		return wearables.WriteResult{}, invalid("write batch", "UserID", "user %q does not exist", p.UserID)
	}
	if c := p.Cursor; c != nil {
		if conn, ok := s.connections[c.ConnectionID]; !ok || conn.UserID != p.UserID {
			return wearables.WriteResult{}, invalid("write batch", "Cursor", "connection %q is not a connection of user %q", c.ConnectionID, p.UserID)
		}
	}
	// Nothing below can fail: the batch is applied whole.
	recs := s.records[p.UserID]
	if recs == nil {
		recs = newUserRecords()
		s.records[p.UserID] = recs
	}
	srcIDs := make(map[string]string)
	for _, src := range batchprep.Sources(p) {
		key := src.Key()
		stored, ok := recs.sources[key]
		if !ok {
			stored = src
			stored.ID = wearables.NewID()
			recs.sources[key] = stored
			recs.sourcesByID[stored.ID] = stored
		}
		srcIDs[key] = stored.ID
	}
	// Consecutive records nearly always share a source; skip re-keying it.
	var lastSrc wearables.Source
	var lastID string
	sourceID := func(src wearables.Source) string {
		if lastID == "" || src != lastSrc {
			lastSrc, lastID = src, srcIDs[src.Key()]
		}
		return lastID
	}

	var res wearables.WriteResult
	for _, smp := range p.Samples {
		smp.Source = recs.sourcesByID[sourceID(smp.Source)]
		k := sampleKey{smp.Source.ID, smp.Type, smp.Start.UnixMicro()}
		old, ok := recs.samples[k]
		switch {
		case !ok:
			res.Samples.Inserted++
		case old.End.Equal(smp.End) && old.Offset == smp.Offset && old.Value == smp.Value:
			res.Samples.Unchanged++
			continue
		default:
			res.Samples.Updated++
		}
		recs.samples[k] = smp
	}
	for i, w := range p.Workouts {
		k := eventKey{sourceID(w.Source), w.ProviderRecordID}
		upsert(recs.workouts, k, storedEvent{start: w.Start, version: w.Version, doc: d.workouts[i]}, &res.Workouts,
			func(old, new storedEvent) bool { return old.version > new.version || bytes.Equal(old.doc, new.doc) })
	}
	for i, sl := range p.Sleep {
		k := eventKey{sourceID(sl.Source), sl.ProviderRecordID}
		upsert(recs.sleep, k, storedEvent{start: sl.Start, version: sl.Version, doc: d.sleep[i]}, &res.Sleep,
			func(old, new storedEvent) bool { return old.version > new.version || bytes.Equal(old.doc, new.doc) })
	}
	for i, sm := range p.Summaries {
		k := summaryKey{sourceID(sm.Source), sm.Kind, sm.Date}
		upsert(recs.summaries, k, storedSummary{offset: sm.Offset, version: sm.Version, values: d.summaries[i]}, &res.Summaries,
			func(old, new storedSummary) bool {
				return old.version > new.version ||
					old.version == new.version && old.offset == new.offset && bytes.Equal(old.values, new.values)
			})
	}
	for i, sc := range p.Scores {
		k := scoreKey{sourceID(sc.Source), sc.Kind, sc.ProviderRecordID}
		upsert(recs.scores, k, storedScore{date: sc.Date, version: sc.Version, doc: d.scores[i]}, &res.Scores,
			func(old, new storedScore) bool { return old.version > new.version || bytes.Equal(old.doc, new.doc) })
	}
	for _, del := range p.Deletes {
		res.Deleted += recs.delete(del)
	}
	if p.Cursor != nil {
		s.putCursorLocked(*p.Cursor)
	}
	return res, nil
}

// upsert writes v under k unless the stored value makes it unchanged, and
// counts what it did.
func upsert[K comparable, V any](m map[K]V, k K, v V, c *wearables.Counts, unchanged func(old, new V) bool) {
	old, ok := m[k]
	switch {
	case !ok:
		c.Inserted++
	case unchanged(old, v):
		c.Unchanged++
		return
	default:
		c.Updated++
	}
	m[k] = v
}

// delete removes the records a Delete names, in every source of its
// provider, and returns how many it removed.
func (r *userRecords) delete(d wearables.Delete) int {
	ofProvider := func(sourceID string) bool { return r.sourcesByID[sourceID].Provider == d.Provider }
	n := 0
	switch d.Kind {
	case wearables.KindWorkout:
		for k := range r.workouts {
			if k.id == d.ProviderRecordID && ofProvider(k.source) {
				delete(r.workouts, k)
				n++
			}
		}
	case wearables.KindSleep:
		for k := range r.sleep {
			if k.id == d.ProviderRecordID && ofProvider(k.source) {
				delete(r.sleep, k)
				n++
			}
		}
	case wearables.KindScore:
		for k := range r.scores {
			if k.id == d.ProviderRecordID && ofProvider(k.source) {
				delete(r.scores, k)
				n++
			}
		}
	}
	return n
}

// ---------------------------------------------------------------------------
// Queries

// QuerySamples returns a page of a user's samples of q.Types whose Start is
// in [q.Start, q.End), ordered by (Start, Type, source id), each with its
// Source (and Source.ID) filled in. An empty Types, End before Start, a bad
// cursor or a bad limit is an error matching wearables.ErrInvalid.
func (s *Store) QuerySamples(ctx context.Context, q wearables.SampleQuery) (wearables.Page[wearables.Sample], error) {
	const op = "query samples"
	var none wearables.Page[wearables.Sample]
	if err := ctx.Err(); err != nil {
		return none, fmt.Errorf("memstore: %s: %w", op, err)
	}
	if len(q.Types) == 0 {
		return none, invalid(op, "Types", "no series types")
	}
	if err := checkRange(op, q.Start, q.End); err != nil {
		return none, err
	}
	limit, parts, err := pageArgs(op, q.Limit, q.Cursor, 3)
	if err != nil {
		return none, err
	}
	var after *sampleKey
	if parts != nil {
		start, err1 := parseInt(op, parts[0])
		typ, err2 := parseInt(op, parts[1])
		if err := cmp.Or(err1, err2); err != nil {
			return none, err
		}
		after = &sampleKey{start: start, typ: wearables.SeriesType(typ), source: parts[2]}
	}
	types := make(map[wearables.SeriesType]bool, len(q.Types))
	for _, t := range q.Types {
		types[t] = true
	}
	var sources map[string]bool
	if len(q.SourceIDs) > 0 {
		sources = make(map[string]bool, len(q.SourceIDs))
		for _, id := range q.SourceIDs {
			sources[id] = true
		}
	}
	s.mu.RLock()
	var rows []wearables.Sample
	if recs := s.records[q.UserID]; recs != nil {
		for k, smp := range recs.samples {
			if smp.Start.Before(q.Start) || !smp.Start.Before(q.End) || !types[k.typ] || sources != nil && !sources[k.source] {
				continue
			}
			if after != nil && compareSampleKeys(k, *after) <= 0 {
				continue
			}
			rows = append(rows, smp)
		}
	}
	s.mu.RUnlock()
	keyOf := func(smp wearables.Sample) sampleKey {
		return sampleKey{source: smp.Source.ID, typ: smp.Type, start: smp.Start.UnixMicro()}
	}
	slices.SortFunc(rows, func(a, b wearables.Sample) int { return compareSampleKeys(keyOf(a), keyOf(b)) })
	return cut(rows, limit, func(last wearables.Sample) string {
		k := keyOf(last)
		return pagecursor.Encode(strconv.FormatInt(k.start, 10), strconv.Itoa(int(k.typ)), k.source)
	}), nil
}

// compareSampleKeys orders samples by (Start, Type, source id).
func compareSampleKeys(a, b sampleKey) int {
	return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.typ, b.typ), strings.Compare(a.source, b.source))
}

// eventPos is the sort key of an event: (Start, source id, provider record id).
type eventPos struct {
	start  int64
	source string
	id     string
}

func compareEventPos(a, b eventPos) int {
	return cmp.Or(cmp.Compare(a.start, b.start), strings.Compare(a.source, b.source), strings.Compare(a.id, b.id))
}

// queryEvents selects and pages workouts or sleep sessions.
func queryEvents[T any](s *Store, ctx context.Context, op string, q wearables.EventQuery,
	table func(*userRecords) map[eventKey]storedEvent, decode func(recs *userRecords, k eventKey, e storedEvent) (T, error),
) (wearables.Page[T], error) {
	var none wearables.Page[T]
	if err := ctx.Err(); err != nil {
		return none, fmt.Errorf("memstore: %s: %w", op, err)
	}
	if err := checkRange(op, q.Start, q.End); err != nil {
		return none, err
	}
	limit, parts, err := pageArgs(op, q.Limit, q.Cursor, 3)
	if err != nil {
		return none, err
	}
	var after *eventPos
	if parts != nil {
		start, err := parseInt(op, parts[0])
		if err != nil {
			return none, err
		}
		after = &eventPos{start, parts[1], parts[2]}
	}
	type row struct {
		pos eventPos
		key eventKey
		ev  storedEvent
	}
	var rows []row
	s.mu.RLock()
	recs := s.records[q.UserID]
	if recs != nil {
		for k, e := range table(recs) {
			if e.start.Before(q.Start) || !e.start.Before(q.End) {
				continue
			}
			pos := eventPos{e.start.UnixMicro(), k.source, k.id}
			if after != nil && compareEventPos(pos, *after) <= 0 {
				continue
			}
			rows = append(rows, row{pos, k, e})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return compareEventPos(a.pos, b.pos) })
	var next string
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1].pos
		next = pagecursor.Encode(strconv.FormatInt(last.start, 10), last.source, last.id)
	}
	items := make([]T, 0, len(rows))
	for _, r := range rows {
		item, err := decode(recs, r.key, r.ev)
		if err != nil {
			s.mu.RUnlock()
			return none, fmt.Errorf("memstore: %s: %w", op, err)
		}
		items = append(items, item)
	}
	s.mu.RUnlock()
	return wearables.Page[T]{Items: items, Next: next}, nil
}

// QueryWorkouts returns a page of a user's workouts whose Start is in
// [q.Start, q.End), ordered by (Start, source id, provider record id). End
// before Start, a bad cursor or a bad limit is an error matching
// wearables.ErrInvalid.
func (s *Store) QueryWorkouts(ctx context.Context, q wearables.EventQuery) (wearables.Page[wearables.Workout], error) {
	return queryEvents(s, ctx, "query workouts", q,
		func(r *userRecords) map[eventKey]storedEvent { return r.workouts },
		func(r *userRecords, k eventKey, e storedEvent) (wearables.Workout, error) {
			var w wearables.Workout
			err := batchprep.DecodeWorkout(e.doc, &w)
			w.UserID, w.Source = q.UserID, r.sourcesByID[k.source]
			return w, err
		})
}

// QuerySleep returns a page of a user's sleep sessions whose Start is in
// [q.Start, q.End), ordered by (Start, source id, provider record id). End
// before Start, a bad cursor or a bad limit is an error matching
// wearables.ErrInvalid.
func (s *Store) QuerySleep(ctx context.Context, q wearables.EventQuery) (wearables.Page[wearables.Sleep], error) {
	return queryEvents(s, ctx, "query sleep", q,
		func(r *userRecords) map[eventKey]storedEvent { return r.sleep },
		func(r *userRecords, k eventKey, e storedEvent) (wearables.Sleep, error) {
			var sl wearables.Sleep
			err := batchprep.DecodeSleep(e.doc, &sl)
			sl.UserID, sl.Source = q.UserID, r.sourcesByID[k.source]
			return sl, err
		})
}

// dayPos is the sort key of a summary or score: (Date, kind, source id,
// record id); summaries have no record id.
type dayPos struct {
	date   string // YYYY-MM-DD sorts as the date
	kind   string
	source string
	id     string
}

func compareDayPos(a, b dayPos) int {
	return cmp.Or(strings.Compare(a.date, b.date), strings.Compare(a.kind, b.kind), strings.Compare(a.source, b.source), strings.Compare(a.id, b.id))
}

// dayArgs validates a DayQuery and returns its limit, cursor position and
// kind filter (nil: every kind).
func dayArgs(op string, q wearables.DayQuery) (int, *dayPos, map[string]bool, error) {
	if q.To.Before(q.From) {
		return 0, nil, nil, invalid(op, "To", "to %s is before from %s", q.To, q.From)
	}
	limit, parts, err := pageArgs(op, q.Limit, q.Cursor, 4)
	if err != nil {
		return 0, nil, nil, err
	}
	var after *dayPos
	if parts != nil {
		if _, err := wearables.ParseDate(parts[0]); err != nil {
			return 0, nil, nil, invalid(op, "Cursor", "malformed page cursor")
		}
		after = &dayPos{parts[0], parts[1], parts[2], parts[3]}
	}
	var kinds map[string]bool
	if len(q.Kinds) > 0 {
		kinds = make(map[string]bool, len(q.Kinds))
		for _, k := range q.Kinds {
			kinds[k] = true
		}
	}
	return limit, after, kinds, nil
}

func inDays(q wearables.DayQuery, d wearables.Date) bool {
	return !d.Before(q.From) && !q.To.Before(d)
}

// QuerySummaries returns a page of a user's daily summaries whose Date is in
// [q.From, q.To], of q.Kinds when set, ordered by (Date, kind, source id).
// To before From, a bad cursor or a bad limit is an error matching
// wearables.ErrInvalid.
func (s *Store) QuerySummaries(ctx context.Context, q wearables.DayQuery) (wearables.Page[wearables.DailySummary], error) {
	const op = "query summaries"
	var none wearables.Page[wearables.DailySummary]
	if err := ctx.Err(); err != nil {
		return none, fmt.Errorf("memstore: %s: %w", op, err)
	}
	limit, after, kinds, err := dayArgs(op, q)
	if err != nil {
		return none, err
	}
	type row struct {
		pos dayPos
		key summaryKey
		sum storedSummary
	}
	var rows []row
	s.mu.RLock()
	defer s.mu.RUnlock()
	recs := s.records[q.UserID]
	if recs != nil {
		for k, sm := range recs.summaries {
			if !inDays(q, k.date) || kinds != nil && !kinds[string(k.kind)] {
				continue
			}
			pos := dayPos{k.date.String(), string(k.kind), k.source, ""}
			if after != nil && compareDayPos(pos, *after) <= 0 {
				continue
			}
			rows = append(rows, row{pos, k, sm})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return compareDayPos(a.pos, b.pos) })
	var next string
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1].pos
		next = pagecursor.Encode(last.date, last.kind, last.source, last.id)
	}
	items := make([]wearables.DailySummary, 0, len(rows))
	for _, r := range rows {
		values, err := batchprep.DecodeSummaryValues(r.sum.values)
		if err != nil {
			return none, fmt.Errorf("memstore: %s: %w", op, err)
		}
		items = append(items, wearables.DailySummary{
			UserID: q.UserID, Source: recs.sourcesByID[r.key.source], Kind: r.key.kind, Date: r.key.date,
			Offset: r.sum.offset, Version: r.sum.version, Values: values,
		})
	}
	return wearables.Page[wearables.DailySummary]{Items: items, Next: next}, nil
}

// QueryScores returns a page of a user's scores whose Date is in [q.From,
// q.To], of q.Kinds when set, ordered by (Date, kind, source id, provider
// record id). To before From, a bad cursor or a bad limit is an error
// matching wearables.ErrInvalid.
func (s *Store) QueryScores(ctx context.Context, q wearables.DayQuery) (wearables.Page[wearables.Score], error) {
	const op = "query scores"
	var none wearables.Page[wearables.Score]
	if err := ctx.Err(); err != nil {
		return none, fmt.Errorf("memstore: %s: %w", op, err)
	}
	limit, after, kinds, err := dayArgs(op, q)
	if err != nil {
		return none, err
	}
	type row struct {
		pos dayPos
		key scoreKey
		sc  storedScore
	}
	var rows []row
	s.mu.RLock()
	defer s.mu.RUnlock()
	recs := s.records[q.UserID]
	if recs != nil {
		for k, sc := range recs.scores {
			if !inDays(q, sc.date) || kinds != nil && !kinds[string(k.kind)] {
				continue
			}
			pos := dayPos{sc.date.String(), string(k.kind), k.source, k.id}
			if after != nil && compareDayPos(pos, *after) <= 0 {
				continue
			}
			rows = append(rows, row{pos, k, sc})
		}
	}
	slices.SortFunc(rows, func(a, b row) int { return compareDayPos(a.pos, b.pos) })
	var next string
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1].pos
		next = pagecursor.Encode(last.date, last.kind, last.source, last.id)
	}
	items := make([]wearables.Score, 0, len(rows))
	for _, r := range rows {
		var sc wearables.Score
		if err := batchprep.DecodeScore(r.sc.doc, &sc); err != nil {
			return none, fmt.Errorf("memstore: %s: %w", op, err)
		}
		sc.UserID, sc.Source = q.UserID, recs.sourcesByID[r.key.source]
		items = append(items, sc)
	}
	return wearables.Page[wearables.Score]{Items: items, Next: next}, nil
}

// ListSources returns the sources of a user's records, with their IDs,
// ordered by id; an unknown user has none.
func (s *Store) ListSources(_ context.Context, userID string) ([]wearables.Source, error) {
	s.mu.RLock()
	var out []wearables.Source
	if recs := s.records[userID]; recs != nil {
		out = make([]wearables.Source, 0, len(recs.sourcesByID))
		for _, src := range recs.sourcesByID {
			out = append(out, src)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b wearables.Source) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// checkRange rejects a time range that ends before it starts.
func checkRange(op string, start, end time.Time) error {
	if end.Before(start) {
		return invalid(op, "End", "end %s is before start %s", end.UTC().Format(time.RFC3339Nano), start.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// pageArgs resolves a query's limit and decodes its cursor into n parts
// (nil parts: first page).
func pageArgs(op string, limit int, cursor string, n int) (int, []string, error) {
	l, err := pagecursor.Limit(limit)
	if err != nil {
		return 0, nil, fmt.Errorf("memstore: %s: %w", op, err)
	}
	if cursor == "" {
		return l, nil, nil
	}
	parts, err := pagecursor.Decode(cursor, n)
	if err != nil {
		return 0, nil, fmt.Errorf("memstore: %s: %w", op, err)
	}
	return l, parts, nil
}
