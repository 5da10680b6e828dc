package polar_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/polar"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Ranged routes are walked in chunks of MaxRangeDays; activities not past
// the history limit.
func TestFetchChunks(t *testing.T) {
	now := time.Date(2024, 4, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		dataType   wearables.DataType
		path       string
		start, end time.Time
		want       [][2]string // from, to per page
	}{
		{"one day", polar.DataContinuousHeartRate, "/v3/users/continuous-heart-rate",
			day("2024-04-01"), day("2024-04-02"), [][2]string{{"2024-04-01", "2024-04-01"}}},
		{"exactly 28 days", wearables.DataDailySummaries, "/v3/users/activities",
			day("2024-03-01"), day("2024-03-29"), [][2]string{{"2024-03-01", "2024-03-28"}}},
		{"60 days", polar.DataContinuousHeartRate, "/v3/users/continuous-heart-rate",
			day("2024-01-01"), day("2024-03-01"), [][2]string{{"2024-01-01", "2024-01-28"}, {"2024-01-29", "2024-02-25"}, {"2024-02-26", "2024-02-29"}}},
		{"instants, not midnights", polar.DataContinuousHeartRate, "/v3/users/continuous-heart-rate",
			time.Date(2024, 4, 1, 22, 0, 0, 0, time.UTC), time.Date(2024, 4, 2, 0, 30, 0, 0, time.UTC), [][2]string{{"2024-04-01", "2024-04-02"}}},
		{"activity history is 365 days", wearables.DataDailySummaries, "/v3/users/activities",
			day("2023-01-01"), day("2023-04-20"), [][2]string{{"2023-04-12", "2023-04-19"}}},
		{"all older than the history", wearables.DataDailySummaries, "/v3/users/activities",
			day("2022-01-01"), day("2022-02-01"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, mux, srv := setup(t, polar.Config{Now: func() time.Time { return now }})
			var got [][2]string
			mux.HandleFunc("GET "+tt.path, func(w http.ResponseWriter, r *http.Request) {
				got = append(got, [2]string{r.URL.Query().Get("from"), r.URL.Query().Get("to")})
				if tt.dataType == wearables.DataDailySummaries {
					assert.Equal(t, "true", r.URL.Query().Get("steps"))
					_, _ = io.WriteString(w, "[]")
					return
				}
				_, _ = io.WriteString(w, `{"heart_rates":[]}`)
			})
			token := ""
			for range 10 {
				res, err := p.Fetch(context.Background(), wearables.FetchRequest{
					Client: srv.Client(), DataType: tt.dataType, Start: tt.start, End: tt.end, PageToken: token,
				})
				require.NoError(t, err)
				if token = res.NextPageToken; token == "" {
					break
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFetchRefuses(t *testing.T) {
	p, _, srv := setup(t, polar.Config{})
	ctx := context.Background()
	req := func(dt wearables.DataType, start, end time.Time, token string) wearables.FetchRequest {
		return wearables.FetchRequest{Client: srv.Client(), DataType: dt, Start: start, End: end, PageToken: token}
	}
	_, err := p.Fetch(ctx, req("steps", day("2024-04-01"), day("2024-04-02"), ""))
	assert.ErrorIs(t, err, wearables.ErrUnsupported)
	_, err = p.Fetch(ctx, req(wearables.DataSleep, day("2024-04-02"), day("2024-04-02"), ""))
	assert.ErrorIs(t, err, wearables.ErrInvalid, "empty window")
	_, err = p.Fetch(ctx, req(wearables.DataSleep, day("2024-04-01"), day("2024-04-02"), "2024-04-01"))
	assert.ErrorIs(t, err, wearables.ErrInvalid, "a page token for a route without pages")
	for _, tok := range []string{"garbage", "2024-03-01", "2024-05-01"} {
		_, err = p.Fetch(ctx, req(polar.DataContinuousHeartRate, day("2024-04-01"), day("2024-04-10"), tok))
		assert.ErrorIs(t, err, wearables.ErrInvalid, tok)
	}
}

func TestFetchLocationError(t *testing.T) {
	boom := errors.New("user store down")
	p, _, srv := setup(t, polar.Config{Location: func(context.Context, wearables.Connection) (*time.Location, error) { return nil, boom }})
	_, err := p.Fetch(context.Background(), wearables.FetchRequest{Client: srv.Client(), DataType: wearables.DataSleep, Start: day("2024-04-01"), End: day("2024-04-02")})
	assert.ErrorIs(t, err, boom)
}

// A body of the wrong shape is a *wearables.ProviderError holding
// providerhttp.ErrMalformedBody, with no records.
func TestFetchWrongShape(t *testing.T) {
	p, mux, srv := setup(t, polar.Config{})
	mux.HandleFunc("GET /v3/exercises", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"exercises":[]}`)
	})
	res, err := p.Fetch(context.Background(), wearables.FetchRequest{Client: srv.Client(), DataType: wearables.DataWorkouts, Start: day("2024-04-01"), End: day("2024-04-02")})
	var pe *wearables.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, providerhttp.ErrMalformedBody)
	assert.Zero(t, res.Records.Len())
}

// Local wall-time feeds are placed in the user's zone: Config.Location's
// answer, else FetchRequest.Location (what the syncer passes from
// User.TimeZone); with neither they are stamped NoOffset.
func TestFetchPlacesLocalTimesInTheRequestZone(t *testing.T) {
	body := testdata(t, "continuous_hr.json")
	fetch := func(cfg polar.Config, loc *time.Location) []wearables.Sample {
		p, mux, srv := setup(t, cfg)
		mux.HandleFunc("GET /v3/users/continuous-heart-rate", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) })
		res, err := p.Fetch(context.Background(), wearables.FetchRequest{Client: srv.Client(), DataType: polar.DataContinuousHeartRate,
			Start: day("2024-04-01"), End: day("2024-04-02"), Location: loc})
		require.NoError(t, err)
		require.NotEmpty(t, res.Records.Samples)
		return res.Records.Samples
	}
	hel, err := time.LoadLocation("Europe/Helsinki")
	require.NoError(t, err)
	configured := fetch(polar.Config{Location: helsinki}, nil)
	fromRequest := fetch(polar.Config{}, hel)
	assert.Equal(t, configured, fromRequest, "the request's zone places samples as Config.Location does")
	assert.Equal(t, wearables.Offset(3*3600), fromRequest[0].Offset, "Helsinki in April is UTC+3")

	// Config.Location wins over the request's zone.
	utc := fetch(polar.Config{Location: func(context.Context, wearables.Connection) (*time.Location, error) { return time.UTC, nil }}, hel)
	assert.Equal(t, wearables.Offset(0), utc[0].Offset)

	none := fetch(polar.Config{}, nil)
	assert.Equal(t, wearables.NoOffset, none[0].Offset)
	assert.Equal(t, 3*time.Hour, none[0].Start.Sub(fromRequest[0].Start), "read as UTC, the instants shift by the user's offset")
}
