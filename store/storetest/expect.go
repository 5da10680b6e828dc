package storetest

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wearables-go/wearables"
)

// Natural keys of records, as strings, for set comparisons.
func workoutKey(w wearables.Workout) string { return w.Source.Key() + "|" + w.ProviderRecordID }
func sleepKey(s wearables.Sleep) string     { return s.Source.Key() + "|" + s.ProviderRecordID }
func summaryKey(s wearables.DailySummary) string {
	return s.Source.Key() + "|" + string(s.Kind) + "|" + s.Date.String()
}
func scoreKey(s wearables.Score) string {
	return s.Source.Key() + "|" + string(s.Kind) + "|" + s.ProviderRecordID
}

func sortByKey[T any](s []T, key func(T) string) []T {
	slices.SortStableFunc(s, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	return s
}

// overlay appends records to a keyed set, later records replacing earlier
// ones with the same key.
func overlay[T any](m map[string]T, key func(T) string, recs []T) {
	for _, r := range recs {
		m[key(r)] = r
	}
}

func values[T any](m map[string]T, key func(T) string) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return sortByKey(out, key)
}

// wantData is what a user's records must read back as after writing bs in
// order (every later record replacing the stored one with its key): in
// canonical form, sorted by natural key. Sources are not part of it.
func wantData(userID string, bs ...*wearables.Batch) userData {
	var (
		samples   = map[string]wearables.Sample{}
		workouts  = map[string]wearables.Workout{}
		sleep     = map[string]wearables.Sleep{}
		summaries = map[string]wearables.DailySummary{}
		scores    = map[string]wearables.Score{}
	)
	for _, b := range bs {
		overlay(samples, sampleKey, wantSamples(userID, b.Samples))
		overlay(workouts, workoutKey, wantWorkouts(userID, b.Workouts...))
		overlay(sleep, sleepKey, wantSleep(userID, b.Sleep...))
		overlay(summaries, summaryKey, wantSummaries(userID, b.Summaries...))
		overlay(scores, scoreKey, wantScores(userID, b.Scores...))
	}
	return userData{
		Samples:   nilIfEmpty(values(samples, sampleKey)),
		Workouts:  nilIfEmpty(values(workouts, workoutKey)),
		Sleep:     nilIfEmpty(values(sleep, sleepKey)),
		Summaries: nilIfEmpty(values(summaries, summaryKey)),
		Scores:    nilIfEmpty(values(scores, scoreKey)),
	}
}

// canonData turns records read from a store into canonical form, sorted by
// natural key, so they compare with wantData. Sources are dropped.
func canonData(t *testing.T, d userData) userData {
	t.Helper()
	return userData{
		Samples:   nilIfEmpty(sortByKey(gotSamples(t, d.Samples), sampleKey)),
		Workouts:  nilIfEmpty(sortByKey(gotWorkouts(t, d.Workouts), workoutKey)),
		Sleep:     nilIfEmpty(sortByKey(gotSleep(t, d.Sleep), sleepKey)),
		Summaries: nilIfEmpty(sortByKey(gotSummaries(t, d.Summaries), summaryKey)),
		Scores:    nilIfEmpty(sortByKey(gotScores(t, d.Scores), scoreKey)),
	}
}

// assertData checks that a user's stored records are exactly want.
func assertData(t *testing.T, s wearables.Store, userID string, want userData, msgAndArgs ...any) {
	t.Helper()
	got := canonData(t, readAll(t, s, userID))
	assert.Equal(t, want.Samples, got.Samples, msgAndArgs...)
	assert.Equal(t, want.Workouts, got.Workouts, msgAndArgs...)
	assert.Equal(t, want.Sleep, got.Sleep, msgAndArgs...)
	assert.Equal(t, want.Summaries, got.Summaries, msgAndArgs...)
	assert.Equal(t, want.Scores, got.Scores, msgAndArgs...)
}

// assertNoData checks that a user has no records and no sources.
func assertNoData(t *testing.T, s wearables.Store, userID string, msgAndArgs ...any) {
	t.Helper()
	d := readAll(t, s, userID)
	assert.Zero(t, d.records(), msgAndArgs...)
	assert.Empty(t, d.Samples, msgAndArgs...)
	assert.Empty(t, d.Workouts, msgAndArgs...)
	assert.Empty(t, d.Sleep, msgAndArgs...)
	assert.Empty(t, d.Summaries, msgAndArgs...)
	assert.Empty(t, d.Scores, msgAndArgs...)
	assert.Empty(t, d.Sources, msgAndArgs...)
}

// sampleOrder is the order QuerySamples returns: (Start, Type, source id).
// Source ids compare shorter-first, then bytewise, which is numeric order
// for the SQL stores' decimal ids and plain order for equal-length UUIDs.
func sampleOrder(ids map[string]string) func(a, b wearables.Sample) int {
	return func(a, b wearables.Sample) int {
		ia, ib := ids[a.Source.Key()], ids[b.Source.Key()]
		return cmp.Or(
			a.Start.Compare(b.Start),
			cmp.Compare(a.Type, b.Type),
			cmp.Compare(len(ia), len(ib)),
			strings.Compare(ia, ib),
		)
	}
}
