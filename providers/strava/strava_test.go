package strava_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providertest"
	"github.com/wearables-go/wearables/providers/strava"
)

// Recorded account and application.
const (
	athleteID      = "134815"
	subscriptionID = 120475
	verifyToken    = "STRAVA"
)

// Small pages keep the recorded chains short while still spanning several
// pages; the fixtures' per_page matches.
const (
	testPageSize        = 3
	testStreamsPageSize = 2
)

// stravaError is Strava's error body.
func stravaError(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return `{"message":"Authorization Error","errors":[{"resource":"Athlete","field":"access_token","code":"invalid"}]}`
	case http.StatusNotFound:
		return `{"message":"Record Not Found","errors":[{"resource":"Activity","field":"id","code":"invalid"}]}`
	case http.StatusTooManyRequests:
		return `{"message":"Rate Limit Exceeded","errors":[{"resource":"Application","field":"rate limit","code":"exceeded"}]}`
	}
	return fmt.Sprintf(`{"message":%q,"errors":[]}`, http.StatusText(status))
}

// vendor is how Strava behaves, for the fake server.
var vendor = providertest.Vendor{
	AuthStyle:           oauth2.AuthStyleInParams,
	RotateRefreshTokens: true,
	AccessTokenTTL:      6 * time.Hour,
	TokenExtra: map[string]any{
		"expires_at": 1711713600,
		"athlete": map[string]any{
			"id": 134815, "username": "marianne_t", "resource_state": 2, "firstname": "Marianne", "lastname": "T.",
			"city": "Berlin", "country": "Germany", "sex": "F", "premium": true, "summit": true,
			"created_at": "2017-11-14T02:30:05Z", "updated_at": "2024-03-02T19:32:20Z", "weight": 61.2,
		},
	},
	Revoke:     providertest.Revoke{Path: "/oauth/deauthorize"},
	Pagination: providertest.Pagination{Param: "page", Numbered: true, EmptyPage: "[]"},
	RateLimit:  strava.RateLimit,
	ErrorBody:  stravaError,
	// Strava does not sign webhooks (Sign nil): the kit checks parsing and
	// that the foreign subscription vector is refused.
	Webhook: providertest.Webhook{Path: "/webhooks/strava"},
}

func day(m time.Month, d int) time.Time { return time.Date(2024, m, d, 0, 0, 0, 0, time.UTC) }

// listQuery is the first-page query of GET /athlete/activities for a
// window: after is one second before the start (see listActivities).
func listQuery(start, end time.Time, perPage int) map[string]string {
	return map[string]string{
		"after":    fmt.Sprint(start.Unix() - 1),
		"before":   fmt.Sprint(end.Unix()),
		"per_page": fmt.Sprint(perPage),
	}
}

var streamsQuery = map[string]string{
	"keys":        "time,heartrate,watts,cadence,velocity_smooth,altitude,temp,latlng",
	"key_by_type": "true",
}

var fixtures = providertest.Fixtures{
	Dir:            "testdata",
	ProviderUserID: athleteID,
	Cases: []providertest.Case{
		{
			// Two pages then the empty third: a Berlin ride with a power
			// meter, a Kathmandu run (+05:45), a night run across the
			// spring-forward switch, a manual gym session in Los Angeles
			// (-07:00, utc_offset as an integer), a walk whose GPS glitch
			// gives a max speed of 187 m/s, and a sport_type this package
			// does not know whose detail answers 404.
			Name:     "workouts",
			DataType: wearables.DataWorkouts,
			Start:    day(time.March, 29),
			End:      day(time.April, 2),
			Path:     "/api/v3/athlete/activities",
			Query:    listQuery(day(time.March, 29), day(time.April, 2), testPageSize),
			Pages: []providertest.Page{
				{File: "activities_1.json"},
				{File: "activities_2.json", Token: "2"},
				// Strava ends a list with an empty page. (A window whose
				// first page is empty cannot be a case of its own: the
				// kit's 401_refresh_once check wants records.)
				{File: "activities_empty.json", Token: "3"},
			},
		},
		{
			// A Zwift ride (power with dropouts), a run in Lisbon (a heart
			// rate of 0, strides doubled into steps, temperature), then a
			// manual yoga session that has no streams and costs no request.
			Name:     "activity_streams",
			DataType: strava.DataStreams,
			Start:    day(time.April, 6),
			End:      day(time.April, 8),
			Path:     "/api/v3/athlete/activities",
			Query:    listQuery(day(time.April, 6), day(time.April, 8), testStreamsPageSize),
			Pages: []providertest.Page{
				{File: "streams_activities_1.json"},
				{File: "streams_activities_2.json", Token: "2"},
			},
		},
	},
	Static: []providertest.Static{
		{Path: "/api/v3/athlete", File: "athlete.json"},
		{Path: "/api/v3/activities/11029583461", File: "activity_11029583461.json"},
		{Path: "/api/v3/activities/11035117023", File: "activity_11035117023.json"},
		{Path: "/api/v3/activities/11041203311", File: "activity_11041203311.json"},
		{Path: "/api/v3/activities/11043999870", File: "activity_11043999870.json"},
		{Path: "/api/v3/activities/11048811902", File: "activity_11048811902.json"},
		{Path: "/api/v3/activities/11050144377", File: "error_not_found.json", Status: http.StatusNotFound},
		// Only FetchActivity asks for it (streams of one activity).
		{Path: "/api/v3/activities/11095678901", File: "activity_11095678901.json"},
		{Path: "/api/v3/activities/11091234567/streams", Query: streamsQuery, File: "streams_11091234567.json"},
		{Path: "/api/v3/activities/11095678901/streams", Query: streamsQuery, File: "streams_11095678901.json"},
	},
	Webhooks: []providertest.WebhookVector{
		{File: "webhook_activity_create.json"},
		{File: "webhook_activity_update.json"},
		{File: "webhook_activity_private.json"},
		{File: "webhook_activity_delete.json"},
		{File: "webhook_athlete_deauthorize.json"},
		{File: "webhook_foreign_subscription.json", Reject: true},
	},
}

func newProvider(env providertest.Env) *strava.Provider {
	return strava.New(strava.Config{
		BaseURL:         env.URL + "/api/v3",
		AuthURL:         env.URL,
		PageSize:        testPageSize,
		StreamsPageSize: testStreamsPageSize,
		Streams:         true,
		SubscriptionID:  subscriptionID,
		VerifyToken:     verifyToken,
	})
}

func suite() providertest.Suite {
	return providertest.Suite{
		NewProvider: func(env providertest.Env) (wearables.Provider, error) { return newProvider(env), nil },
		Vendor:      vendor,
		Fixtures:    fixtures,
	}
}

func TestConformance(t *testing.T) {
	providertest.Run(t, suite())
}
