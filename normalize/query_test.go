package normalize_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/store/memstore"
)

// smallPages forces tiny pages so the query functions must page.
type smallPages struct{ *memstore.Store }

func (s smallPages) QuerySamples(ctx context.Context, q wearables.SampleQuery) (wearables.Page[wearables.Sample], error) {
	q.Limit = min(q.Limit, 7)
	return s.Store.QuerySamples(ctx, q)
}

func (s smallPages) QuerySleep(ctx context.Context, q wearables.EventQuery) (wearables.Page[wearables.Sleep], error) {
	q.Limit = min(q.Limit, 1)
	return s.Store.QuerySleep(ctx, q)
}

var (
	watch = wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch}
	phone = wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "iPhone15,2", DeviceType: wearables.DevicePhone}
	ring  = wearables.Source{Provider: wearables.ProviderOura, DeviceModel: "Oura Ring Gen3", DeviceType: wearables.DeviceRing}
)

func setup(t *testing.T) (context.Context, smallPages, wearables.User) {
	t.Helper()
	ctx := context.Background()
	st := memstore.New()
	t.Cleanup(func() { st.Close() })
	u := wearables.User{ExternalID: "u", TimeZone: "Europe/Warsaw"}
	require.NoError(t, st.CreateUser(ctx, &u))

	cest := time.FixedZone("CEST", 2*3600)
	b := &wearables.Batch{UserID: u.ID}
	// 2024-06-01, 10:00–12:00 local: the watch counts 100 steps a minute
	// except 11:00–11:30; the phone 80 a minute throughout.
	start := time.Date(2024, 6, 1, 10, 0, 0, 0, cest)
	for m := range 120 {
		at := start.Add(time.Duration(m) * time.Minute)
		if m < 60 || m >= 90 {
			b.Samples = append(b.Samples, wearables.Sample{Source: watch, Type: wearables.SeriesSteps, Start: at, End: at.Add(time.Minute), Offset: wearables.OffsetOf(at), Value: 100})
		}
		b.Samples = append(b.Samples, wearables.Sample{Source: phone, Type: wearables.SeriesSteps, Start: at, End: at.Add(time.Minute), Offset: wearables.OffsetOf(at), Value: 80})
	}
	// 23:50 local on June 1st is June 1st by the record's offset, though
	// 21:50Z.
	late := time.Date(2024, 6, 1, 23, 50, 0, 0, cest)
	b.Samples = append(b.Samples, wearables.Sample{Source: phone, Type: wearables.SeriesSteps, Start: late, End: late.Add(5 * time.Minute), Offset: wearables.OffsetOf(late), Value: 500})
	b.Sleep = []wearables.Sleep{
		{Source: ring, ProviderRecordID: "r1", Start: time.Date(2024, 6, 1, 23, 0, 0, 0, cest), End: time.Date(2024, 6, 2, 7, 0, 0, 0, cest), Offset: 7200},
		{Source: watch, ProviderRecordID: "w1", Start: time.Date(2024, 6, 1, 23, 10, 0, 0, cest), End: time.Date(2024, 6, 2, 6, 50, 0, 0, cest), Offset: 7200},
	}
	_, err := st.WriteBatch(ctx, b)
	require.NoError(t, err)
	return ctx, smallPages{st}, u
}

func TestQuerySeriesMerged(t *testing.T) {
	ctx, st, u := setup(t)
	day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	ss, err := normalize.QuerySeries(ctx, st, normalize.SeriesQuery{
		UserID: u.ID, Type: wearables.SeriesSteps, Start: day, End: day.Add(24 * time.Hour),
		Resolution: normalize.Hour, Merged: true,
	})
	require.NoError(t, err)
	require.Len(t, ss, 1)
	s := ss[0]
	assert.Equal(t, "Europe/Warsaw", s.Zone, "the user's zone")
	require.Len(t, s.Sources, 2)
	assert.Equal(t, "Watch7,5", s.Sources[0].DeviceModel)
	assert.NotEmpty(t, s.Sources[0].ID, "sources carry their store ids")
	got := map[string]float64{}
	for _, b := range s.Buckets {
		got[b.Start.Format(time.RFC3339)] = b.Value
	}
	assert.Equal(t, map[string]float64{
		"2024-06-01T08:00:00Z": 6000,
		"2024-06-01T09:00:00Z": 30*80 + 30*100,
		"2024-06-01T21:00:00Z": 500,
	}, got)
}

func TestQuerySeriesPerSource(t *testing.T) {
	ctx, st, u := setup(t)
	day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, st.SetSourcePriorities(ctx, u.ID, []wearables.SourcePriority{
		{DataType: "steps", Providers: []wearables.ProviderID{wearables.ProviderAppleHealth}, DeviceTypes: []wearables.DeviceType{wearables.DevicePhone}},
	}))
	ss, err := normalize.QuerySeries(ctx, st, normalize.SeriesQuery{
		UserID: u.ID, Type: wearables.SeriesSteps, Start: day, End: day.Add(24 * time.Hour), Resolution: normalize.Day,
	})
	require.NoError(t, err)
	require.Len(t, ss, 2)
	assert.Equal(t, "iPhone15,2", ss[0].Sources[0].DeviceModel, "the preferred source first")
	require.Len(t, ss[0].Buckets, 1)
	assert.Equal(t, 120*80.0+500, ss[0].Buckets[0].Value)
	assert.Equal(t, "2024-06-01", ss[0].Buckets[0].Date.String())
	assert.Equal(t, 90*100.0, ss[1].Buckets[0].Value)
}

func TestQueryDailyTotals(t *testing.T) {
	ctx, st, u := setup(t)
	d := wearables.Date{Year: 2024, Month: 6, Day: 1}
	s, err := normalize.QueryDailyTotals(ctx, st, normalize.DailyQuery{UserID: u.ID, Type: wearables.SeriesSteps, From: d, To: d.AddDays(1)})
	require.NoError(t, err)
	require.Len(t, s.Buckets, 1)
	assert.Equal(t, d, s.Buckets[0].Date)
	assert.Equal(t, 6000.0+30*80+30*100+500, s.Buckets[0].Value)
	assert.Equal(t, []int{0, 1}, s.Buckets[0].Sources)

	_, err = normalize.QueryDailyTotals(ctx, st, normalize.DailyQuery{UserID: "nobody", Type: wearables.SeriesSteps, From: d, To: d})
	assert.ErrorIs(t, err, wearables.ErrNotFound)
	_, err = normalize.QueryDailyTotals(ctx, st, normalize.DailyQuery{UserID: u.ID, Type: wearables.SeriesSteps, From: d, To: d.AddDays(-1)})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

func TestQuerySeriesInvalid(t *testing.T) {
	ctx, st, u := setup(t)
	day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for name, q := range map[string]normalize.SeriesQuery{
		"no type":       {UserID: u.ID, Start: day, End: day.Add(time.Hour), Resolution: normalize.Hour},
		"no user":       {Type: wearables.SeriesSteps, Start: day, End: day.Add(time.Hour), Resolution: normalize.Hour},
		"empty range":   {UserID: u.ID, Type: wearables.SeriesSteps, Start: day, End: day, Resolution: normalize.Hour},
		"no resolution": {UserID: u.ID, Type: wearables.SeriesSteps, Start: day, End: day.Add(time.Hour)},
	} {
		_, err := normalize.QuerySeries(ctx, st, q)
		assert.ErrorIs(t, err, wearables.ErrInvalid, name)
	}
}

func TestQuerySleep(t *testing.T) {
	ctx, st, u := setup(t)
	q := normalize.SleepQuery{UserID: u.ID, Start: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)}
	all, err := normalize.QuerySleep(ctx, st, q)
	require.NoError(t, err)
	assert.Len(t, all, 2)
	q.Merged = true
	merged, err := normalize.QuerySleep(ctx, st, q)
	require.NoError(t, err)
	require.Len(t, merged, 1)
	assert.Equal(t, "w1", merged[0].ProviderRecordID)

	require.NoError(t, st.SetSourcePriorities(ctx, u.ID, []wearables.SourcePriority{{DataType: "sleep", Providers: []wearables.ProviderID{wearables.ProviderOura}}}))
	merged, err = normalize.QuerySleep(ctx, st, q)
	require.NoError(t, err)
	require.Len(t, merged, 1)
	assert.Equal(t, "r1", merged[0].ProviderRecordID)
}
