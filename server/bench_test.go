package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// benchUser writes a week of 1-minute heart rate for a user of a new
// tenant and returns the tenant, the user and the week's end.
func benchUser(b *testing.B, e *env) (tenant, string, time.Time) {
	ctx := context.Background()
	tn := e.newTenant("bench-" + wearables.NewID() + "@example.com")
	r := e.do("POST", "/api/v1/users", tn.key, map[string]any{"external_id": "bench"})
	require.Equal(b, 201, r.status)
	var u wearables.User
	r.json(b, &u)
	end := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	src := wearables.Source{Provider: wearables.ProviderDemo, DeviceType: wearables.DeviceWatch}
	for day := range 7 {
		batch := &wearables.Batch{UserID: u.ID}
		start := end.Add(-time.Duration(7-day) * 24 * time.Hour)
		for m := range 1440 {
			batch.Samples = append(batch.Samples, wearables.Sample{Source: src, Type: wearables.SeriesHeartRate,
				Start: start.Add(time.Duration(m) * time.Minute), Offset: 0, Value: float64(55 + m%40)})
		}
		_, err := e.store.WriteBatch(ctx, batch)
		require.NoError(b, err)
	}
	return tn, u.ID, end
}

// BenchmarkAPI measures the two requests of issue 9's benchmark through
// the whole HTTP handler (auth, rate limit bypassed, validation, JSON), each
// next to the bare store/normalize call it wraps, so the ratio is the
// server's overhead:
//
//	go test ./server -run '^$' -bench API -benchtime 200x
func BenchmarkAPI(b *testing.B) {
	e := newEnv(b, envOpts{rateLimit: -1})
	tn, userID, end := benchUser(b, e)
	ctx := context.Background()
	day := "start=" + url.QueryEscape(end.Add(-24*time.Hour).Format(time.RFC3339)) + "&end=" + url.QueryEscape(end.Format(time.RFC3339))
	week := "start=" + url.QueryEscape(end.Add(-7*24*time.Hour).Format(time.RFC3339)) + "&end=" + url.QueryEscape(end.Format(time.RFC3339))
	h := e.srv
	get := func(b *testing.B, path string) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+tn.key)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	b.Run("day-1min/http", func(b *testing.B) {
		for b.Loop() {
			get(b, "/api/v1/users/"+userID+"/samples?types=heart_rate&limit=1440&"+day)
		}
	})
	b.Run("day-1min/store", func(b *testing.B) {
		for b.Loop() {
			p, err := e.store.QuerySamples(ctx, wearables.SampleQuery{UserID: userID, Types: []wearables.SeriesType{wearables.SeriesHeartRate},
				Start: end.Add(-24 * time.Hour), End: end, Limit: 1440})
			if err != nil || len(p.Items) != 1440 {
				b.Fatal(err, len(p.Items))
			}
		}
	})
	b.Run("week-1h/http", func(b *testing.B) {
		for b.Loop() {
			get(b, "/api/v1/users/"+userID+"/series?types=heart_rate&resolution=1h&"+week)
		}
	})
	b.Run("week-1h/store", func(b *testing.B) {
		for b.Loop() {
			_, err := normalize.QuerySeries(ctx, e.store, normalize.SeriesQuery{UserID: userID, Type: wearables.SeriesHeartRate,
				Start: end.Add(-7 * 24 * time.Hour), End: end, Resolution: normalize.Resolution(time.Hour)})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
