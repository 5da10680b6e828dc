package withings_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/withings"
)

// TestFetchArguments: requests Fetch refuses before calling Withings.
func TestFetchArguments(t *testing.T) {
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: "http://127.0.0.1:1"})
	start := time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name     string
		dt       wearables.DataType
		end      time.Time
		token    string
		sentinel error
	}{
		{"unknown data type", "heartrate", start.Add(time.Hour), "", wearables.ErrUnsupported},
		{"empty window", withings.DataMeasures, start, "", wearables.ErrInvalid},
		{"foreign page token", wearables.DataWorkouts, start.Add(time.Hour), "eyJvZmZzZXQiOjR9", wearables.ErrInvalid},
		{"negative offset", withings.DataMeasures, start.Add(time.Hour), "-4", wearables.ErrInvalid},
		{"intraday step past the window", withings.DataIntraday, start.Add(48 * time.Hour), "2", wearables.ErrInvalid},
		{"intraday step absurd", withings.DataIntraday, start.Add(48 * time.Hour), "99999999", wearables.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := p.Fetch(context.Background(), wearables.FetchRequest{
				Client: http.DefaultClient, DataType: c.dt, Start: start, End: c.end, PageToken: c.token})
			assert.ErrorIs(t, err, c.sentinel)
			assert.Zero(t, res.Records.Len())
		})
	}
}
