package normalize

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// iv builds a stage interval from RFC 3339 bounds.
func iv(st wearables.SleepStage, start, end string) wearables.StageInterval {
	return wearables.StageInterval{Stage: st, Start: utc(start), End: utc(end)}
}

func TestStageSchemes(t *testing.T) {
	tests := []struct {
		scheme StageScheme
		code   string
		want   wearables.SleepStage
	}{
		{SchemeOura, "1", wearables.StageDeep},
		{SchemeOura, "2", wearables.StageLight},
		{SchemeOura, "3", wearables.StageREM},
		{SchemeOura, "4", wearables.StageAwake},
		{SchemePolar, "0", wearables.StageAwake},
		{SchemePolar, "1", wearables.StageREM},
		{SchemePolar, "2", wearables.StageLight},
		{SchemePolar, "3", wearables.StageLight},
		{SchemePolar, "4", wearables.StageDeep},
		{SchemePolar, "5", wearables.StageUnknown},
		{SchemeGarmin, "deep", wearables.StageDeep},
		{SchemeGarmin, "REM", wearables.StageREM},
		{SchemeGarmin, "unmeasurable", wearables.StageUnknown},
		{SchemeWithings, "0", wearables.StageAwake},
		{SchemeWithings, "3", wearables.StageREM},
		{SchemeWithings, "4", wearables.StageAsleep},
		{SchemeWithings, "5", wearables.StageUnknown},
		{SchemeWithings, "15", wearables.StageAwake},
		{SchemeHealthConnect, "STAGE_TYPE_SLEEPING", wearables.StageAsleep},
		{SchemeHealthConnect, "AWAKE_IN_BED", wearables.StageAwake},
		{SchemeHealthConnect, "STAGE_TYPE_OUT_OF_BED", wearables.StageAwake},
		{SchemeHealthConnect, "4", wearables.StageLight},
		{SchemeHealthConnect, "STAGE_TYPE_DEEP", wearables.StageDeep},
		{SchemeHealthConnect, "6", wearables.StageREM},
		{SchemeHealthConnect, "0", wearables.StageUnknown},
		{SchemeApple, "HKCategoryValueSleepAnalysisInBed", wearables.StageInBed},
		{SchemeApple, "HKCategoryValueSleepAnalysisAsleepUnspecified", wearables.StageAsleep},
		{SchemeApple, "HKCategoryValueSleepAnalysisAsleep", wearables.StageAsleep},
		{SchemeApple, "HKCategoryValueSleepAnalysisAsleepCore", wearables.StageLight},
		{SchemeApple, "HKCategoryValueSleepAnalysisAsleepDeep", wearables.StageDeep},
		{SchemeApple, "HKCategoryValueSleepAnalysisAsleepREM", wearables.StageREM},
		{SchemeApple, "HKCategoryValueSleepAnalysisAwake", wearables.StageAwake},
		{SchemeApple, "3", wearables.StageLight},
		{SchemeGoogle, "AWAKE", wearables.StageAwake},
		{SchemeGoogle, "ASLEEP", wearables.StageAsleep},
		{SchemeGoogle, "RESTLESS", wearables.StageAwake},
		{SchemeGoogle, "SLEEP_STAGE_TYPE_UNSPECIFIED", wearables.StageUnknown},
		{SchemeFitbit, "wake", wearables.StageAwake},
		{SchemeFitbit, "restless", wearables.StageAwake},
		{SchemeFitbit, "asleep", wearables.StageAsleep},
	}
	for _, tt := range tests {
		t.Run(tt.scheme.String()+" "+tt.code, func(t *testing.T) {
			got, err := tt.scheme.Stage(tt.code)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	for _, bad := range []struct {
		s    StageScheme
		code string
	}{{SchemeOura, "5"}, {SchemeOura, "0"}, {SchemePolar, "6"}, {SchemeGarmin, "snoring"}, {SchemeApple, "HKCategoryValueSleepAnalysisNap"}, {0, "1"}} {
		_, err := bad.s.Stage(bad.code)
		assert.ErrorIs(t, err, wearables.ErrInvalid, "%s %q", bad.s, bad.code)
	}
}

func TestOuraPhases(t *testing.T) {
	start := utc("2025-01-14T22:00:00Z")
	got, err := OuraPhases(start, "4422211133", 5*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, []wearables.StageInterval{
		iv(wearables.StageAwake, "2025-01-14T22:00:00Z", "2025-01-14T22:10:00Z"),
		iv(wearables.StageLight, "2025-01-14T22:10:00Z", "2025-01-14T22:25:00Z"),
		iv(wearables.StageDeep, "2025-01-14T22:25:00Z", "2025-01-14T22:40:00Z"),
		iv(wearables.StageREM, "2025-01-14T22:40:00Z", "2025-01-14T22:50:00Z"),
	}, got)

	got, err = OuraPhases(start, "1122", 30*time.Second)
	require.NoError(t, err)
	assert.Equal(t, []wearables.StageInterval{
		iv(wearables.StageDeep, "2025-01-14T22:00:00Z", "2025-01-14T22:01:00Z"),
		iv(wearables.StageLight, "2025-01-14T22:01:00Z", "2025-01-14T22:02:00Z"),
	}, got)

	got, err = OuraPhases(start, "", 5*time.Minute)
	require.NoError(t, err)
	assert.Empty(t, got)

	_, err = OuraPhases(start, "12x4", 5*time.Minute)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = OuraPhases(start, "12", 0)
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestPolarHypnogram(t *testing.T) {
	t.Run("spec example", func(t *testing.T) {
		start, err := ParseRFC3339("2020-01-01T00:39:07+03:00")
		require.NoError(t, err)
		end, err := ParseRFC3339("2020-01-01T01:40:00+03:00")
		require.NoError(t, err)
		got, err := PolarHypnogram(start, end, map[string]int{"00:39": 2, "00:50": 3, "01:23": 5})
		require.NoError(t, err)
		assert.Equal(t, []wearables.StageInterval{
			iv(wearables.StageLight, "2019-12-31T21:39:07Z", "2019-12-31T22:23:00Z"), // 2 and 3 are both light
			iv(wearables.StageUnknown, "2019-12-31T22:23:00Z", "2019-12-31T22:40:00Z"),
		}, got)
	})
	t.Run("midnight rollover", func(t *testing.T) {
		start, err := ParseRFC3339("2024-03-09T22:41:00-05:00")
		require.NoError(t, err)
		end, err := ParseRFC3339("2024-03-10T06:30:00-05:00")
		require.NoError(t, err)
		got, err := PolarHypnogram(start, end, map[string]int{
			"22:41": 0, "23:00": 2, "23:55": 4, "00:40": 1, "01:10": 3, "05:00": 0,
		})
		require.NoError(t, err)
		assert.Equal(t, []wearables.StageInterval{
			iv(wearables.StageAwake, "2024-03-10T03:41:00Z", "2024-03-10T04:00:00Z"),
			iv(wearables.StageLight, "2024-03-10T04:00:00Z", "2024-03-10T04:55:00Z"),
			iv(wearables.StageDeep, "2024-03-10T04:55:00Z", "2024-03-10T05:40:00Z"),
			iv(wearables.StageREM, "2024-03-10T05:40:00Z", "2024-03-10T06:10:00Z"),
			iv(wearables.StageLight, "2024-03-10T06:10:00Z", "2024-03-10T10:00:00Z"),
			iv(wearables.StageAwake, "2024-03-10T10:00:00Z", "2024-03-10T11:30:00Z"),
		}, got)
		tot := Totals(got)
		assert.Equal(t, 7*time.Hour+49*time.Minute, tot.TimeAsleep()+tot.Awake)
	})
	t.Run("bad input", func(t *testing.T) {
		s, e := Instant{Time: utc("2024-01-01T00:00:00Z"), Offset: 0}, Instant{Time: utc("2024-01-01T08:00:00Z"), Offset: 0}
		_, err := PolarHypnogram(s, e, map[string]int{"25:00": 1})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
		_, err = PolarHypnogram(s, e, map[string]int{"01:00": 9})
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})
}

func TestGarminSleepLevels(t *testing.T) {
	base := utc("2024-06-01T22:00:00Z").Unix()
	got, err := GarminSleepLevels(map[string][]EpochSpan{
		"light": {{base, base + 1800}, {base + 3600, base + 5400}},
		"deep":  {{base + 1800, base + 3600}},
		"awake": {{base + 5400, base + 5700}},
		"rem":   {},
	})
	require.NoError(t, err)
	assert.Equal(t, []wearables.StageInterval{
		iv(wearables.StageLight, "2024-06-01T22:00:00Z", "2024-06-01T22:30:00Z"),
		iv(wearables.StageDeep, "2024-06-01T22:30:00Z", "2024-06-01T23:00:00Z"),
		iv(wearables.StageLight, "2024-06-01T23:00:00Z", "2024-06-01T23:30:00Z"),
		iv(wearables.StageAwake, "2024-06-01T23:30:00Z", "2024-06-01T23:35:00Z"),
	}, got)
	_, err = GarminSleepLevels(map[string][]EpochSpan{"nap": {{base, base + 1}}})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestWithingsSleepStates(t *testing.T) {
	base := utc("2024-06-01T22:00:00Z").Unix()
	got, err := WithingsSleepStates([]EpochState{
		{base, base + 600, 0}, {base + 600, base + 1200, 1}, {base + 1200, base + 1800, 1},
		{base + 1800, base + 2400, 2}, {base + 2400, base + 3000, 3}, {base + 3000, base + 3300, 15},
	})
	require.NoError(t, err)
	assert.Equal(t, []wearables.StageInterval{
		iv(wearables.StageAwake, "2024-06-01T22:00:00Z", "2024-06-01T22:10:00Z"),
		iv(wearables.StageLight, "2024-06-01T22:10:00Z", "2024-06-01T22:30:00Z"), // merged
		iv(wearables.StageDeep, "2024-06-01T22:30:00Z", "2024-06-01T22:40:00Z"),
		iv(wearables.StageREM, "2024-06-01T22:40:00Z", "2024-06-01T22:50:00Z"),
		iv(wearables.StageAwake, "2024-06-01T22:50:00Z", "2024-06-01T22:55:00Z"),
	}, got)
}

func TestAppleSleepOverlaps(t *testing.T) {
	// Apple writes InBed around the night and stage records inside it.
	got, err := ExpandSpans(SchemeApple, []CodedSpan{
		{"HKCategoryValueSleepAnalysisInBed", utc("2024-03-09T22:00:00Z"), utc("2024-03-10T06:30:00Z")},
		{"HKCategoryValueSleepAnalysisAsleepCore", utc("2024-03-09T22:20:00Z"), utc("2024-03-09T23:00:00Z")},
		{"HKCategoryValueSleepAnalysisAsleepDeep", utc("2024-03-09T23:00:00Z"), utc("2024-03-09T23:45:00Z")},
		{"HKCategoryValueSleepAnalysisAwake", utc("2024-03-10T02:00:00Z"), utc("2024-03-10T02:05:00Z")},
		{"HKCategoryValueSleepAnalysisAsleepCore", utc("2024-03-09T23:45:00Z"), utc("2024-03-10T06:00:00Z")},
	})
	require.NoError(t, err)
	assert.Equal(t, []wearables.StageInterval{
		iv(wearables.StageInBed, "2024-03-09T22:00:00Z", "2024-03-09T22:20:00Z"),
		iv(wearables.StageLight, "2024-03-09T22:20:00Z", "2024-03-09T23:00:00Z"),
		iv(wearables.StageDeep, "2024-03-09T23:00:00Z", "2024-03-09T23:45:00Z"),
		iv(wearables.StageLight, "2024-03-09T23:45:00Z", "2024-03-10T02:00:00Z"),
		iv(wearables.StageAwake, "2024-03-10T02:00:00Z", "2024-03-10T02:05:00Z"), // the later, equally specific stage wins
		iv(wearables.StageLight, "2024-03-10T02:05:00Z", "2024-03-10T06:00:00Z"),
		iv(wearables.StageInBed, "2024-03-10T06:00:00Z", "2024-03-10T06:30:00Z"),
	}, got)
	tot := Totals(got)
	assert.Equal(t, 50*time.Minute, tot.InBed)
	assert.Equal(t, 7*time.Hour+35*time.Minute, tot.TimeAsleep())
	eff, ok := Efficiency(tot, 8*time.Hour+30*time.Minute)
	require.True(t, ok)
	assert.InDelta(t, 89.2157, eff, 1e-3)
	_, ok = Efficiency(tot, 0)
	assert.False(t, ok)
}

func TestGoogleStages(t *testing.T) {
	got, err := ExpandSpans(SchemeGoogle, []CodedSpan{
		{"LIGHT", utc("2026-01-01T23:00:00Z"), utc("2026-01-01T23:30:00Z")},
		{"LIGHT", utc("2026-01-01T23:30:00Z"), utc("2026-01-01T23:40:00Z")},
		{"REM", utc("2026-01-01T23:40:00Z"), utc("2026-01-02T00:00:00Z")},
		{"AWAKE", utc("2026-01-02T00:00:00Z"), utc("2026-01-01T23:59:00Z")}, // inverted: dropped
	})
	require.NoError(t, err)
	assert.Equal(t, []wearables.StageInterval{
		iv(wearables.StageLight, "2026-01-01T23:00:00Z", "2026-01-01T23:40:00Z"),
		iv(wearables.StageREM, "2026-01-01T23:40:00Z", "2026-01-02T00:00:00Z"),
	}, got)
	_, err = ExpandSpans(SchemeGoogle, []CodedSpan{{"NAP", utc("2026-01-01T23:00:00Z"), utc("2026-01-01T23:30:00Z")}})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestGroupSessions(t *testing.T) {
	sessions := GroupSessions([]wearables.StageInterval{
		iv(wearables.StageLight, "2024-03-09T23:00:00Z", "2024-03-10T03:00:00Z"),
		iv(wearables.StageDeep, "2024-03-10T03:00:00Z", "2024-03-10T04:00:00Z"),
		iv(wearables.StageAwake, "2024-03-10T04:30:00Z", "2024-03-10T04:40:00Z"), // 30 min gap: same session
		iv(wearables.StageLight, "2024-03-10T13:00:00Z", "2024-03-10T13:40:00Z"), // a nap
	}, 0)
	require.Len(t, sessions, 2)
	assert.Len(t, sessions[0], 3)
	assert.Len(t, sessions[1], 1)
	assert.Empty(t, GroupSessions(nil, 0))
}

func TestIsNap(t *testing.T) {
	warsaw := mustLoad(t, "Europe/Warsaw")
	tests := []struct {
		name       string
		start, end string
		off        wearables.Offset
		want       bool
	}{
		{"afternoon nap", "2024-06-01T12:00:00Z", "2024-06-01T12:40:00Z", off("+02:00"), true},
		{"night", "2024-06-01T21:00:00Z", "2024-06-02T05:00:00Z", off("+02:00"), false},
		{"short night", "2024-06-01T22:00:00Z", "2024-06-02T00:00:00Z", off("+02:00"), false},
		{"long afternoon sleep", "2024-06-01T10:00:00Z", "2024-06-01T14:00:00Z", off("+02:00"), false},
		{"nap in user zone", "2024-06-01T12:00:00Z", "2024-06-01T13:00:00Z", wearables.NoOffset, true},
		{"Tonga afternoon is UTC night", "2024-06-01T01:00:00Z", "2024-06-01T02:00:00Z", off("+13:00"), true},
		{"zero length", "2024-06-01T12:00:00Z", "2024-06-01T12:00:00Z", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, IsNap(utc(tt.start), utc(tt.end), tt.off, warsaw))
		})
	}
}

func TestFillSleep(t *testing.T) {
	s := wearables.Sleep{Stages: []wearables.StageInterval{
		iv(wearables.StageLight, "2024-03-09T23:30:00Z", "2024-03-10T01:00:00Z"),
		iv(wearables.StageAwake, "2024-03-09T23:00:00Z", "2024-03-09T23:30:00Z"),
		iv(wearables.StageDeep, "2024-03-10T01:00:00Z", "2024-03-10T03:00:00Z"),
	}}
	FillSleep(&s)
	assert.Equal(t, utc("2024-03-09T23:00:00Z"), s.Start)
	assert.Equal(t, utc("2024-03-10T03:00:00Z"), s.End)
	assert.Equal(t, 30*time.Minute, s.Totals.Awake)
	assert.Equal(t, 3*time.Hour+30*time.Minute, s.Totals.TimeAsleep())
	require.NotNil(t, s.Efficiency)
	assert.InDelta(t, 87.5, *s.Efficiency, 1e-9)

	// Vendor totals and efficiency are kept.
	eff := 91.0
	v := wearables.Sleep{Start: utc("2024-03-09T23:00:00Z"), End: utc("2024-03-10T07:00:00Z"),
		Totals: wearables.StageTotals{Light: time.Hour}, Efficiency: &eff, Stages: s.Stages}
	FillSleep(&v)
	assert.Equal(t, time.Hour, v.Totals.Light)
	assert.Equal(t, 91.0, *v.Efficiency)
}
