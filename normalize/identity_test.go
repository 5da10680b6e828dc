package normalize

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"

	"github.com/wearables-go/wearables"
)

func TestRecordIDStable(t *testing.T) {
	// Pinned values: these ids are stored as natural keys, so they must never
	// change across releases, runs or platforms.
	start := utc("2024-03-09T22:00:00Z")
	end := utc("2024-03-10T06:00:00Z")
	assert.Equal(t, "nid1-b0ef2587412b081e71348024fb988628", SleepID(srcWatch, start, end))
	assert.Equal(t, "nid1-ac8fc152ea9b20de5e48d73a5064874b", RecordID(wearables.KindSample, "HKQuantityTypeIdentifierStepCount", "Watch", start, end, "42"))
	d := wearables.Date{Year: 2024, Month: 3, Day: 9}
	assert.Equal(t, "nid1-ff6509bd9236c40086ef248a1b27c8dd", ScoreID(wearables.ProviderPolar, wearables.ScoreNightlyRecharge, d))
	assert.Equal(t, "nid1-e0408543241ed22994bcceba2172a313", ScoreID(wearables.ProviderOura, wearables.ScoreReadiness, wearables.Date{Year: 312, Month: 12, Day: 31}))
	assert.Equal(t, "nid1-f156fb6126625b5c5d7550f256cae894", RecordID(wearables.KindSleep, wearables.ProviderPolar, d))
	assert.Equal(t, "nid1-3efb500bf477adb8db2effe316517322", RecordID(wearables.KindSample, wearables.Date{Year: -5, Month: 1, Day: 2}, wearables.Date{Year: 12345, Month: 1, Day: 2}))
	assert.Equal(t, "nid1-6c9cbbbb801eb47bba5791f55a1453ed", RecordID(wearables.KindSample, "s", 42, uint8(7), 1.5, true, time.Second, []byte("b"), nil, srcWatch))
}

// ScoreID and the date encoding skip boxing and fmt; they must encode
// exactly as RecordID's general path and Date.String do.
func TestScoreIDMatchesRecordIDProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := wearables.Date{Year: rapid.IntRange(-20000, 20000).Draw(t, "year"), Month: time.Month(rapid.IntRange(-2, 120).Draw(t, "month")), Day: rapid.IntRange(-2, 120).Draw(t, "day")}
		if rapid.Bool().Draw(t, "plausible") {
			d = wearables.Date{Year: rapid.IntRange(0, 9999).Draw(t, "y"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "m")), Day: rapid.IntRange(1, 31).Draw(t, "d")}
		}
		provider := wearables.ProviderID(rapid.String().Draw(t, "provider"))
		kind := wearables.ScoreKind(rapid.String().Draw(t, "kind"))
		want := idOf(appendField(appendField(appendField(appendField(nil, tagString, []byte(wearables.KindScore)),
			tagString, []byte(provider)), tagString, []byte(kind)), tagDate, []byte(d.String())))
		if got := ScoreID(provider, kind, d); got != want {
			t.Fatalf("ScoreID(%q, %q, %v) = %s, want %s", provider, kind, d, got, want)
		}
		if got := RecordID(wearables.KindScore, provider, kind, d); got != want {
			t.Fatalf("RecordID(score, %q, %q, %v) = %s, want %s", provider, kind, d, got, want)
		}
	})
}

func TestRecordIDProperties(t *testing.T) {
	start := utc("2024-03-09T22:00:00Z")
	id := RecordID(wearables.KindSleep, "a", 1, start)
	assert.True(t, strings.HasPrefix(id, RecordIDPrefix))
	assert.Len(t, id, len(RecordIDPrefix)+32)

	// Same instant in another zone, or with sub-microsecond noise: same id.
	assert.Equal(t, id, RecordID(wearables.KindSleep, "a", 1, start.In(time.FixedZone("x", 3600))))
	assert.Equal(t, id, RecordID(wearables.KindSleep, "a", 1, start.Add(300*time.Nanosecond)))
	// Different kind, order, types or values: different ids.
	for _, other := range []string{
		RecordID(wearables.KindWorkout, "a", 1, start),
		RecordID(wearables.KindSleep, 1, "a", start),
		RecordID(wearables.KindSleep, "a", "1", start),
		RecordID(wearables.KindSleep, "a", uint(1), start),
		RecordID(wearables.KindSleep, "a", 2, start),
		RecordID(wearables.KindSleep, "a", 1, start.Add(time.Second)),
		RecordID(wearables.KindSleep, "ab", 1, start),
		RecordID(wearables.KindSleep, "a", 1, start, ""),
	} {
		assert.NotEqual(t, id, other)
	}
	// No ambiguity from concatenation.
	assert.NotEqual(t, RecordID(wearables.KindSample, "ab", "c"), RecordID(wearables.KindSample, "a", "bc"))
	// Named types encode like their underlying kind.
	assert.Equal(t, RecordID(wearables.KindScore, "oura"), RecordID(wearables.KindScore, wearables.ProviderOura))
	assert.Equal(t, RecordID(wearables.KindSample, uint16(47)), RecordID(wearables.KindSample, wearables.SeriesSteps))
	// Floats: −0 is 0, NaN is NaN.
	assert.Equal(t, RecordID(wearables.KindSample, 0.0), RecordID(wearables.KindSample, math.Copysign(0, -1)))
	assert.Equal(t, RecordID(wearables.KindSample, math.NaN()), RecordID(wearables.KindSample, -math.NaN()))
	// Dates, sources, bytes, bools, durations, nil and other values work.
	d := wearables.Date{Year: 2024, Month: 3, Day: 9}
	assert.Equal(t, ScoreID(wearables.ProviderPolar, wearables.ScoreSleep, d), ScoreID(wearables.ProviderPolar, wearables.ScoreSleep, d))
	assert.NotEqual(t, WorkoutID(srcWatch, "HKWorkoutActivityTypeRunning", start), WorkoutID(srcPhone, "HKWorkoutActivityTypeRunning", start))
	assert.NotEmpty(t, RecordID(wearables.KindSample, srcWatch, []byte("x"), true, time.Second, nil, struct{ A int }{1}))
}
