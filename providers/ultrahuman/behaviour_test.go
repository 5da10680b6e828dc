package ultrahuman_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/ultrahuman"
)

// serve answers every request with the testdata file named by route.
func serve(t *testing.T, routes map[string]string) (*ultrahuman.Provider, *[]string) {
	t.Helper()
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.URL.RequestURI())
		file, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, err := os.ReadFile("testdata/" + file)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return ultrahuman.New(ultrahuman.Config{ClientID: "id", ClientSecret: "secret", BaseURL: srv.URL + apiPrefix}), &seen
}

func TestFetchRefusals(t *testing.T) {
	p, _ := serve(t, map[string]string{apiPrefix + "/user_data/metrics": "metrics_2024-03-30.json"})
	start := utc("2024-03-30T00:00:00Z")
	for _, c := range []struct {
		name string
		req  wearables.FetchRequest
		want error
	}{
		{"unknown data type", wearables.FetchRequest{DataType: wearables.DataWorkouts, Start: start, End: start.Add(time.Hour)}, wearables.ErrUnsupported},
		{"empty window", wearables.FetchRequest{DataType: ultrahuman.DataMetrics, Start: start, End: start}, wearables.ErrInvalid},
		{"window too long", wearables.FetchRequest{DataType: ultrahuman.DataMetrics, Start: start, End: start.AddDate(20, 0, 0)}, wearables.ErrInvalid},
		{"token not a date", wearables.FetchRequest{DataType: ultrahuman.DataMetrics, Start: start, End: start.AddDate(0, 0, 2), PageToken: "2"}, wearables.ErrInvalid},
		{"token not canonical", wearables.FetchRequest{DataType: ultrahuman.DataMetrics, Start: start, End: start.AddDate(0, 0, 2), PageToken: "2024-3-31"}, wearables.ErrInvalid},
		{"token past the window", wearables.FetchRequest{DataType: ultrahuman.DataMetrics, Start: start, End: start.AddDate(0, 0, 2), PageToken: "2024-04-01"}, wearables.ErrInvalid},
		{"token before the window", wearables.FetchRequest{DataType: ultrahuman.DataMetrics, Start: start, End: start.AddDate(0, 0, 2), PageToken: "2024-03-29"}, wearables.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.req.Client = http.DefaultClient
			_, err := p.Fetch(context.Background(), c.req)
			require.ErrorIs(t, err, c.want)
		})
	}
}

func TestFetchDatesAreUTCDates(t *testing.T) {
	p, seen := serve(t, map[string]string{apiPrefix + "/user_data/metrics": "metrics_2024-04-04.json"})
	// 23:30 UTC to 00:30 UTC the next day: two dates.
	req := wearables.FetchRequest{Client: http.DefaultClient, DataType: ultrahuman.DataMetrics,
		Start: utc("2024-04-03T23:30:00Z"), End: utc("2024-04-04T00:30:00Z")}
	res, err := p.Fetch(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "2024-04-04", res.NextPageToken)
	req.PageToken = res.NextPageToken
	res, err = p.Fetch(context.Background(), req)
	require.NoError(t, err)
	assert.Empty(t, res.NextPageToken)
	assert.Equal(t, []string{apiPrefix + "/user_data/metrics?date=2024-04-03", apiPrefix + "/user_data/metrics?date=2024-04-04"}, *seen)
}

func TestFetchEnvelopeError(t *testing.T) {
	p, _ := serve(t, map[string]string{apiPrefix + "/user_data/metrics": "metrics_error.json"})
	start := utc("2024-03-30T00:00:00Z")
	res, err := p.Fetch(context.Background(), wearables.FetchRequest{Client: http.DefaultClient, DataType: ultrahuman.DataMetrics, Start: start, End: start.Add(time.Hour)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "date is invalid")
	assert.Empty(t, res.Records.Samples)
	assert.Empty(t, res.NextPageToken)
}

func TestProviderUserID(t *testing.T) {
	for file, want := range map[string]string{"user_info.json": "1189030", "user_info_string_id.json": "uh_1189030", "metrics_2024-04-04.json": ""} {
		t.Run(file, func(t *testing.T) {
			p, _ := serve(t, map[string]string{apiPrefix + "/user_data/user_info": file})
			id, err := p.ProviderUserID(context.Background(), http.DefaultClient, nil)
			if want == "" {
				require.ErrorIs(t, err, wearables.ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, want, id)
		})
	}
}

func TestConfigRedactsSecret(t *testing.T) {
	cfg := ultrahuman.Config{ClientID: "id", ClientSecret: "very-secret"}
	for _, s := range []string{cfg.String(), cfg.GoString()} {
		assert.False(t, strings.Contains(s, "very-secret"), s)
	}
}
