package normalize

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wearables-go/wearables"
)

func TestRecordIDStable(t *testing.T) {
	// Pinned values: these ids are stored as natural keys, so they must never
	// change across releases, runs or platforms.
	start := utc("2024-03-09T22:00:00Z")
	end := utc("2024-03-10T06:00:00Z")
	assert.Equal(t, "nid1-b0ef2587412b081e71348024fb988628", SleepID(srcWatch, start, end))
	assert.Equal(t, "nid1-ac8fc152ea9b20de5e48d73a5064874b", RecordID(wearables.KindSample, "HKQuantityTypeIdentifierStepCount", "Watch", start, end, "42"))
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
