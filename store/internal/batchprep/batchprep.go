// Package batchprep turns a wearables.Batch into the canonical form every
// store writes, so that memstore, sqlitestore and pgstore agree exactly on
// what a write means: validation, time precision, source identity, which of
// two records with the same key wins, row order, and the payload documents
// used to detect unchanged records.
package batchprep

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// T returns t in UTC truncated to wearables.TimePrecision; the zero time
// stays zero.
func T(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(wearables.TimePrecision)
}

// Prepare validates b (errors match wearables.ErrInvalid) and returns a copy
// in canonical form: instants in UTC truncated to wearables.TimePrecision,
// sources normalized, UserID set on every record, records that share a
// natural key collapsed so that the later one wins, and each slice sorted by
// natural key (source key first), so concurrent writers touch rows in the
// same order. b is not modified.
func Prepare(b *wearables.Batch) (*wearables.Batch, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	out := &wearables.Batch{UserID: b.UserID, Deletes: slices.Clone(b.Deletes)}
	if b.Cursor != nil {
		c := *b.Cursor
		out.Cursor = &c
	}
	out.Samples = prepareSamples(b.UserID, b.Samples)

	out.Workouts = make([]wearables.Workout, len(b.Workouts))
	for i, w := range b.Workouts {
		w.UserID, w.Source = b.UserID, w.Source.Normalized()
		w.Start, w.End = T(w.Start), T(w.End)
		w.Zones = slices.Clone(w.Zones)
		w.Laps = slices.Clone(w.Laps)
		for j := range w.Laps {
			w.Laps[j].Start = T(w.Laps[j].Start)
		}
		w.Route = slices.Clone(w.Route)
		for j := range w.Route {
			w.Route[j].Time = T(w.Route[j].Time)
		}
		out.Workouts[i] = w
	}
	out.Workouts = dedupe(out.Workouts, func(w *wearables.Workout) string {
		return w.Source.Key() + "\x1e" + w.ProviderRecordID
	})

	out.Sleep = make([]wearables.Sleep, len(b.Sleep))
	for i, s := range b.Sleep {
		s.UserID, s.Source = b.UserID, s.Source.Normalized()
		s.Start, s.End = T(s.Start), T(s.End)
		s.Stages = slices.Clone(s.Stages)
		for j := range s.Stages {
			s.Stages[j].Start, s.Stages[j].End = T(s.Stages[j].Start), T(s.Stages[j].End)
		}
		out.Sleep[i] = s
	}
	out.Sleep = dedupe(out.Sleep, func(s *wearables.Sleep) string {
		return s.Source.Key() + "\x1e" + s.ProviderRecordID
	})

	out.Summaries = make([]wearables.DailySummary, len(b.Summaries))
	for i, s := range b.Summaries {
		s.UserID, s.Source = b.UserID, s.Source.Normalized()
		out.Summaries[i] = s
	}
	out.Summaries = dedupe(out.Summaries, func(s *wearables.DailySummary) string {
		return s.Source.Key() + "\x1e" + string(s.Kind) + "\x1e" + s.Date.String()
	})

	out.Scores = make([]wearables.Score, len(b.Scores))
	for i, s := range b.Scores {
		s.UserID, s.Source = b.UserID, s.Source.Normalized()
		s.Time = T(s.Time)
		out.Scores[i] = s
	}
	out.Scores = dedupe(out.Scores, func(s *wearables.Score) string {
		return s.Source.Key() + "\x1e" + string(s.Kind) + "\x1e" + s.ProviderRecordID
	})
	return out, nil
}

// dedupe sorts recs by key and keeps, for each key, the last record in the
// input order.
func dedupe[R any](recs []R, key func(*R) string) []R {
	if len(recs) == 0 {
		return recs
	}
	type keyed struct {
		key string
		pos int
	}
	ks := make([]keyed, len(recs))
	for i := range recs {
		ks[i] = keyed{key(&recs[i]), i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.pos, b.pos)
	})
	out := make([]R, 0, len(recs))
	for i, k := range ks {
		if i+1 < len(ks) && ks[i+1].key == k.key {
			continue // a later record has the same key
		}
		out = append(out, recs[k.pos])
	}
	return out
}

// sampleKey orders samples: source (by Source.Key), series type, start, then
// input position so the later duplicate can be found.
type sampleKey struct {
	src   int32
	typ   wearables.SeriesType
	start int64 // unix microseconds
	pos   int32
}

func prepareSamples(userID string, in []wearables.Sample) []wearables.Sample {
	if len(in) == 0 {
		return nil
	}
	// Intern sources: consecutive samples nearly always share one.
	var (
		srcs    []wearables.Source
		srcIdx  = map[wearables.Source]int32{}
		lastRaw wearables.Source
		last    int32 = -1
	)
	keys := make([]sampleKey, len(in))
	sorted := true
	for i := range in {
		s := &in[i]
		if last < 0 || s.Source != lastRaw {
			n := s.Source.Normalized()
			idx, ok := srcIdx[n]
			if !ok {
				idx = int32(len(srcs))
				srcs = append(srcs, n)
				srcIdx[n] = idx
			}
			lastRaw, last = s.Source, idx
		}
		keys[i] = sampleKey{src: last, typ: s.Type, start: T(s.Start).UnixMicro(), pos: int32(i)}
		if i > 0 && sorted && compareSampleKey(keys[i-1], keys[i]) >= 0 {
			sorted = false
		}
	}
	// Rank sources by Key so the order does not depend on input order.
	if len(srcs) > 1 {
		order := make([]int32, len(srcs))
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, func(a, b int32) int { return strings.Compare(srcs[a].Key(), srcs[b].Key()) })
		rank := make([]int32, len(srcs))
		for r, i := range order {
			rank[i] = int32(r)
		}
		newSrcs := make([]wearables.Source, len(srcs))
		for i, r := range rank {
			newSrcs[r] = srcs[i]
		}
		srcs = newSrcs
		for i := range keys {
			keys[i].src = rank[keys[i].src]
		}
		sorted = false
	}
	if !sorted {
		slices.SortFunc(keys, compareSampleKey)
	}
	out := make([]wearables.Sample, 0, len(in))
	for i, k := range keys {
		if i+1 < len(keys) && keys[i+1].src == k.src && keys[i+1].typ == k.typ && keys[i+1].start == k.start {
			continue // a later sample has the same key
		}
		s := in[k.pos]
		s.UserID = userID
		s.Source = srcs[k.src]
		s.Start = time.UnixMicro(k.start).UTC()
		s.End = T(s.End)
		out = append(out, s)
	}
	return out
}

func compareSampleKey(a, b sampleKey) int {
	if c := cmp.Compare(a.src, b.src); c != 0 {
		return c
	}
	if c := cmp.Compare(a.typ, b.typ); c != 0 {
		return c
	}
	if c := cmp.Compare(a.start, b.start); c != 0 {
		return c
	}
	return cmp.Compare(a.pos, b.pos)
}

// Sources returns the distinct sources of a prepared batch, ordered by Key.
func Sources(b *wearables.Batch) []wearables.Source {
	seen := map[wearables.Source]bool{}
	var out []wearables.Source
	add := func(s wearables.Source) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var last wearables.Source
	for i := range b.Samples {
		if i == 0 || b.Samples[i].Source != last {
			last = b.Samples[i].Source
			add(last)
		}
	}
	for i := range b.Workouts {
		add(b.Workouts[i].Source)
	}
	for i := range b.Sleep {
		add(b.Sleep[i].Source)
	}
	for i := range b.Summaries {
		add(b.Summaries[i].Source)
	}
	for i := range b.Scores {
		add(b.Scores[i].Source)
	}
	slices.SortFunc(out, func(a, b wearables.Source) int { return strings.Compare(a.Key(), b.Key()) })
	return out
}

// The document types shadow the fields a store keeps outside the document
// (the user and the source) with always-nil fields of the same JSON name,
// which dominate the embedded ones and are omitted.
type (
	workoutDoc struct {
		*wearables.Workout
		NoUser   *struct{} `json:"user_id,omitempty"`
		NoSource *struct{} `json:"source,omitempty"`
	}
	sleepDoc struct {
		*wearables.Sleep
		NoUser   *struct{} `json:"user_id,omitempty"`
		NoSource *struct{} `json:"source,omitempty"`
	}
	scoreDoc struct {
		*wearables.Score
		NoUser   *struct{} `json:"user_id,omitempty"`
		NoSource *struct{} `json:"source,omitempty"`
	}
)

// EncodeWorkout returns the canonical document of w: every field but UserID
// and Source, as JSON. Identical workouts give identical bytes.
func EncodeWorkout(w *wearables.Workout) ([]byte, error) {
	b, err := json.Marshal(workoutDoc{Workout: w})
	if err != nil {
		return nil, fmt.Errorf("batchprep: encode workout %s: %w", w.ProviderRecordID, err)
	}
	return b, nil
}

// DecodeWorkout fills every field of w but UserID and Source from doc.
func DecodeWorkout(doc []byte, w *wearables.Workout) error {
	if err := json.Unmarshal(doc, &workoutDoc{Workout: w}); err != nil {
		return fmt.Errorf("batchprep: decode workout: %w", err)
	}
	return nil
}

// EncodeSleep returns the canonical document of s: every field but UserID
// and Source, as JSON.
func EncodeSleep(s *wearables.Sleep) ([]byte, error) {
	b, err := json.Marshal(sleepDoc{Sleep: s})
	if err != nil {
		return nil, fmt.Errorf("batchprep: encode sleep %s: %w", s.ProviderRecordID, err)
	}
	return b, nil
}

// DecodeSleep fills every field of s but UserID and Source from doc.
func DecodeSleep(doc []byte, s *wearables.Sleep) error {
	if err := json.Unmarshal(doc, &sleepDoc{Sleep: s}); err != nil {
		return fmt.Errorf("batchprep: decode sleep: %w", err)
	}
	return nil
}

// EncodeScore returns the canonical document of s: every field but UserID
// and Source, as JSON.
func EncodeScore(s *wearables.Score) ([]byte, error) {
	b, err := json.Marshal(scoreDoc{Score: s})
	if err != nil {
		return nil, fmt.Errorf("batchprep: encode score %s: %w", s.ProviderRecordID, err)
	}
	return b, nil
}

// DecodeScore fills every field of s but UserID and Source from doc.
func DecodeScore(doc []byte, s *wearables.Score) error {
	if err := json.Unmarshal(doc, &scoreDoc{Score: s}); err != nil {
		return fmt.Errorf("batchprep: decode score: %w", err)
	}
	return nil
}

// EncodeSummaryValues returns the canonical document of a daily summary's
// values: a JSON object keyed by series code, keys sorted.
func EncodeSummaryValues(v map[wearables.SeriesType]float64) ([]byte, error) {
	if v == nil {
		v = map[wearables.SeriesType]float64{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("batchprep: encode summary values: %w", err)
	}
	return b, nil
}

// DecodeSummaryValues decodes a document made by EncodeSummaryValues.
func DecodeSummaryValues(doc []byte) (map[wearables.SeriesType]float64, error) {
	v := map[wearables.SeriesType]float64{}
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, fmt.Errorf("batchprep: decode summary values: %w", err)
	}
	return v, nil
}
