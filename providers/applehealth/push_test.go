package applehealth

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/memstore"
)

func TestParsePushHealthKit(t *testing.T) {
	res, err := ParsePush(readTestdata(t, "push_healthkit.json"))
	require.NoError(t, err)
	b := res.Records
	watch := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch6,12", DeviceType: wearables.DeviceWatch,
		App: "Kevin’s Apple Watch", RecordingMethod: wearables.RecordingAutomatic}

	hr, ok := findSample(b, wearables.SeriesHeartRate, mustTime(t, "2024-03-10T09:59:30Z"))
	require.True(t, ok)
	assert.Equal(t, 72.0, hr.Value)
	assert.Equal(t, watch, hr.Source, "the same Source an export gives")
	assert.Equal(t, wearables.Offset(-8*3600), hr.Offset)

	spo2, ok := findSample(b, wearables.SeriesOxygenSaturation, mustTime(t, "2024-03-10T11:00:00Z"))
	require.True(t, ok)
	assert.InDelta(t, 97, spo2.Value, 1e-9)
	assert.Equal(t, wearables.Offset(3600), spo2.Offset, "time_zone wins over the offset")

	w, ok := findSample(b, wearables.SeriesWeight, mustTime(t, "2024-03-11T14:00:00Z"))
	require.True(t, ok)
	assert.InDelta(t, 75.07, w.Value, 0.01)
	assert.Equal(t, wearables.RecordingManual, w.Source.RecordingMethod)

	require.Len(t, b.Sleep, 1)
	assert.Equal(t, 110*time.Minute, b.Sleep[0].Totals.Light)
	assert.Equal(t, time.Hour, b.Sleep[0].Totals.Deep)

	require.Len(t, b.Workouts, 1)
	wk := b.Workouts[0]
	assert.Equal(t, "W1", wk.ProviderRecordID)
	assert.Equal(t, int64(2), wk.Version)
	assert.Equal(t, wearables.WorkoutRunning, wk.Type)
	assert.InDelta(t, 3.1*1609.344, *wk.Distance, 1e-6)
	assert.Equal(t, 150.0, *wk.AvgHR)
	assert.Equal(t, 1830*time.Second, wk.MovingTime)
	assert.Len(t, wk.Laps, 1)

	assert.Equal(t, int64(2), res.Stats.RejectedTotal(), "%v", res.Stats.Rejected)
	assert.Equal(t, map[string]int64{"HKQuantityTypeIdentifierDietaryVitaminC": 1}, res.Stats.UnknownTypes)
}

func TestParsePushHealthConnect(t *testing.T) {
	res, err := ParsePush(readTestdata(t, "push_healthconnect.json"))
	require.NoError(t, err)
	b := res.Records
	steps, ok := findSample(b, wearables.SeriesSteps, mustTime(t, "2024-03-10T03:15:00Z"))
	require.True(t, ok)
	assert.Equal(t, 1200.0, steps.Value)
	assert.Equal(t, wearables.Offset(5*3600+45*60), steps.Offset)
	assert.Equal(t, wearables.Source{Provider: wearables.ProviderHealthConnect, DeviceModel: "Pixel Watch 2", DeviceType: wearables.DeviceWatch,
		App: "com.google.android.apps.fitness", RecordingMethod: wearables.RecordingAutomatic}, steps.Source)
	spo2, ok := findSample(b, wearables.SeriesOxygenSaturation, mustTime(t, "2024-03-09T21:15:00Z"))
	require.True(t, ok)
	assert.Equal(t, 97.0, spo2.Value, "Health Connect percentages are percent")
	wt, ok := findSample(b, wearables.SeriesWeight, mustTime(t, "2024-03-10T01:15:00Z"))
	require.True(t, ok)
	assert.Equal(t, wearables.DeviceScale, wt.Source.DeviceType)
	assert.Equal(t, wearables.RecordingManual, wt.Source.RecordingMethod)

	require.Len(t, b.Workouts, 1)
	assert.Equal(t, wearables.WorkoutIndoorCycling, b.Workouts[0].Type)
	assert.Equal(t, "Spin", b.Workouts[0].Name)
	assert.InDelta(t, 18500, *b.Workouts[0].Distance, 1e-6)

	require.Len(t, b.Sleep, 1)
	s := b.Sleep[0]
	assert.Equal(t, "hc-s1", s.ProviderRecordID)
	assert.Equal(t, int64(5), s.Version)
	assert.Equal(t, 15*time.Minute, s.Totals.Awake, "awake in bed is awake")
	assert.Equal(t, 165*time.Minute, s.Totals.Light)
	assert.Equal(t, 150*time.Minute, s.Totals.Asleep)
	assert.Equal(t, map[string]int64{"NutritionRecord": 1}, res.Stats.UnknownTypes)
}

func TestParsePushErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":         `{`,
		"unknown platform": `{"platform": "fitbit"}`,
		"unknown field":    `{"platform": "healthkit", "sample": []}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePush([]byte(doc))
			assert.ErrorIs(t, err, wearables.ErrInvalid)
		})
	}
}

// TestPushThenExport: a sample pushed by the app and the same sample in a
// later export are one record.
func TestPushThenExport(t *testing.T) {
	s := memstore.New()
	user := newUser(t, s)
	ctx := context.Background()
	res, err := ParsePush([]byte(`{"platform":"healthkit","samples":[{"type":"HKQuantityTypeIdentifierHeartRate","value":72,"unit":"count/min",
		"start":"2024-03-10T01:59:30-08:00","source":{"name":"Kevin’s Apple Watch","device":{"name":"Apple Watch","manufacturer":"Apple Inc.","model":"Watch","hardware":"Watch6,12","software":"10.1"}}}]}`))
	require.NoError(t, err)
	res.Records.UserID = user
	wr, err := s.WriteBatch(ctx, &res.Records)
	require.NoError(t, err)
	assert.Equal(t, 1, wr.Samples.Inserted)

	export := readTestdata(t, "export_kinds.xml")
	i := bytes.Index(export, []byte(" <Record type=\"HKQuantityTypeIdentifierHeartRate\""))
	j := bytes.Index(export[i:], []byte("</Record>"))
	doc := "<HealthData>" + string(export[i:i+j]) + "</Record></HealthData>"
	doc = strings.Replace(doc, "Kevin&#8217;s Apple&#x20;Watch", "Kevin’s Apple Watch", 1)
	rep, err := Import(ctx, strings.NewReader(doc), s, user, ImportOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Written.Samples.Unchanged)
}
