package googlehealth_test

import (
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/googlehealth"
	"github.com/wearables-go/wearables/providers/providertest"
)

// Paths of Google's OAuth endpoints on the fake server (Google serves them
// from accounts.google.com and oauth2.googleapis.com).
const (
	authorizePath = "/o/oauth2/v2/auth"
	tokenPath     = "/token"
	revokePath    = "/revoke"
)

// vendor is how Google behaves, for the fake server.
var vendor = providertest.Vendor{
	AuthorizePath: authorizePath,
	TokenPath:     tokenPath,
	AuthStyle:     oauth2.AuthStyleInParams,
	PKCE:          true,
	Revoke:        providertest.Revoke{Path: revokePath, Status: http.StatusOK},
	Pagination:    providertest.Pagination{Param: "pageToken"},
	RateLimit:     googlehealth.RateLimit,
	ErrorBody: func(status int) string {
		return `{"error": {"code": ` + itoa(status) + `, "message": "` + http.StatusText(status) + `", "status": "` + grpcStatus(status) + `"}}`
	},
	// Google repeats a shared secret in Authorization and signs nothing the
	// kit can reproduce, so the vectors carry the recorded header and the
	// rejection cases are in TestVerifyWebhook.
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func grpcStatus(status int) string {
	switch status {
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 503:
		return "UNAVAILABLE"
	}
	return "INTERNAL"
}

// webhookAuthorization is the Authorization value the vectors were sent
// with: "Bearer " and the kit's webhook secret.
const webhookAuthorization = "Bearer providertest-webhook-secret"

func newProvider(env providertest.Env) (wearables.Provider, error) {
	return googlehealth.New(googlehealth.Config{
		BaseURL:              env.URL,
		AuthorizeURL:         env.URL + authorizePath,
		TokenURL:             env.URL + tokenPath,
		RevokeURL:            env.URL + revokePath,
		WebhookAuthorization: "Bearer " + env.WebhookSecret,
	}), nil
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// filter is the list filter Fetch sends for [start, end) on field.
func filter(field, start, end string) map[string]string {
	return map[string]string{"filter": field + ` >= "` + start + `" AND ` + field + ` < "` + end + `"`}
}

const dataPoints = "/v4/users/me/dataTypes/"

// fixtures are the windows recorded from the v4 schema (see the package
// documentation on what is assumed):
//
//   - steps, distance: the 2024 US spring-forward (America/New_York,
//     -05:00 → -04:00 at 07:00Z on 10 March), a point whose interval
//     straddles it, a Charge 6 and a phone through Health Connect, a count
//     as a string (Google's int64 encoding) and as a bare number, a
//     negative distance (rejected); steps in two pages;
//   - heart_rate: 412 bpm (rejected), then an empty last page ("{}");
//   - heart_rate_variability: RMSSD only, RMSSD with SDNN, neither
//     (rejected);
//   - oxygen_saturation: a null percentage (rejected);
//   - body (weight): grams from a scale, a manual log at +05:45;
//   - sleep: the 2023 US fall-back night (9 h 17 min, -04:00 → -05:00),
//     a classic-stage nap, a manual sleep ending before it starts
//     (rejected); two pages;
//   - workouts: a run at +09:30 with laps, zones and cadence, "Tennis"
//     under OTHER, an enum value Google may add (ROWING) and an
//     unspecified type, and an exercise of the widened civil day outside
//     the window (dropped); two pages;
//   - daily_summaries: dailyRollUp of steps, distance and total calories,
//     with a zero day ({}) and a day without data.
var fixtures = providertest.Fixtures{
	Dir:            "testdata",
	ProviderUserID: "8dNhB2RsWq9vA1Kc",
	Cases: []providertest.Case{
		{
			DataType: googlehealth.DataSteps,
			Start:    at("2024-03-09T00:00:00Z"), End: at("2024-03-11T00:00:00Z"),
			Path:  dataPoints + "steps/dataPoints",
			Query: filter("steps.interval.start_time", "2024-03-09T00:00:00Z", "2024-03-11T00:00:00Z"),
			Pages: []providertest.Page{
				{File: "steps_1.json"},
				{File: "steps_2.json", Token: "ChoKGDE3MTAwNTM5MDAwMDA6c3RlcHM6Q0hBUkdF"},
			},
		},
		{
			DataType: googlehealth.DataDistance,
			Start:    at("2024-03-09T00:00:00Z"), End: at("2024-03-11T00:00:00Z"),
			Path:  dataPoints + "distance/dataPoints",
			Query: filter("distance.interval.start_time", "2024-03-09T00:00:00Z", "2024-03-11T00:00:00Z"),
			Pages: []providertest.Page{{File: "distance.json"}},
		},
		{
			DataType: googlehealth.DataHeartRate,
			Start:    at("2024-03-10T06:00:00Z"), End: at("2024-03-10T08:00:00Z"),
			Path:  dataPoints + "heart-rate/dataPoints",
			Query: filter("heart_rate.sample_time.physical_time", "2024-03-10T06:00:00Z", "2024-03-10T08:00:00Z"),
			Pages: []providertest.Page{
				{File: "heart_rate_1.json"},
				{File: "heart_rate_2.json", Token: "ChoKGDE3MTAwNTA2MDAwMDA6aGVhcnQtcmF0ZQ"},
			},
		},
		{
			DataType: googlehealth.DataHeartRateVariability,
			Start:    at("2024-11-03T00:00:00Z"), End: at("2024-11-04T00:00:00Z"),
			Path:  dataPoints + "heart-rate-variability/dataPoints",
			Query: filter("heart_rate_variability.sample_time.physical_time", "2024-11-03T00:00:00Z", "2024-11-04T00:00:00Z"),
			Pages: []providertest.Page{{File: "heart_rate_variability.json"}},
		},
		{
			DataType: googlehealth.DataOxygenSaturation,
			Start:    at("2024-11-03T00:00:00Z"), End: at("2024-11-04T00:00:00Z"),
			Path:  dataPoints + "oxygen-saturation/dataPoints",
			Query: filter("oxygen_saturation.sample_time.physical_time", "2024-11-03T00:00:00Z", "2024-11-04T00:00:00Z"),
			Pages: []providertest.Page{{File: "oxygen_saturation.json"}},
		},
		{
			Name:     "weight",
			DataType: wearables.DataBody,
			Start:    at("2024-05-01T00:00:00Z"), End: at("2024-06-01T00:00:00Z"),
			Path:  dataPoints + "weight/dataPoints",
			Query: filter("weight.sample_time.physical_time", "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z"),
			Pages: []providertest.Page{{File: "weight.json"}},
		},
		{
			DataType: wearables.DataSleep,
			Start:    at("2023-11-04T12:00:00Z"), End: at("2023-11-06T12:00:00Z"),
			Path:  dataPoints + "sleep/dataPoints",
			Query: filter("sleep.interval.end_time", "2023-11-04T12:00:00Z", "2023-11-06T12:00:00Z"),
			Pages: []providertest.Page{
				{File: "sleep_1.json"},
				{File: "sleep_2.json", Token: "Ci8KLTE2OTkxODU4MDAwMDA6c2xlZXA6NGYxZDJjN2U"},
			},
		},
		{
			DataType: wearables.DataWorkouts,
			Start:    at("2024-06-01T00:00:00Z"), End: at("2024-06-08T00:00:00Z"),
			Path:  dataPoints + "exercise/dataPoints",
			Query: filter("exercise.interval.civil_start_time", "2024-05-31", "2024-06-10"),
			Pages: []providertest.Page{
				{File: "exercise_1.json"},
				{File: "exercise_2.json", Token: "CjEKLzE3MTcyMjg4MDAwMDA6ZXhlcmNpc2U6MjAyNjQ0MzYwNTA4MDE5MDExMg"},
			},
		},
		{
			DataType: wearables.DataDailySummaries,
			Start:    at("2024-03-09T00:00:00Z"), End: at("2024-03-12T00:00:00Z"),
			Method: http.MethodPost,
			Path:   dataPoints + "steps/dataPoints:dailyRollUp",
			Pages:  []providertest.Page{{File: "rollup_steps.json"}},
		},
	},
	Static: []providertest.Static{
		{Path: "/v4/users/me/identity", File: "identity.json"},
		{Method: http.MethodPost, Path: dataPoints + "distance/dataPoints:dailyRollUp", File: "rollup_distance.json"},
		{Method: http.MethodPost, Path: dataPoints + "total-calories/dataPoints:dailyRollUp", File: "rollup_total_calories.json"},
	},
	Webhooks: []providertest.WebhookVector{
		{File: "webhook_steps_upsert.json", Header: map[string]string{"Authorization": webhookAuthorization}},
		{File: "webhook_batch.json", Header: map[string]string{"Authorization": webhookAuthorization}},
		{File: "webhook_exercise_delete.json", Header: map[string]string{"Authorization": webhookAuthorization}},
		{File: "webhook_unknown_operation.json", Header: map[string]string{"Authorization": webhookAuthorization}, Reject: true},
		{File: "webhook_malformed.json", Header: map[string]string{"Authorization": webhookAuthorization}, Reject: true},
		{Name: "webhook_wrong_secret", File: "webhook_steps_upsert.json", Header: map[string]string{"Authorization": "Bearer not-the-secret"}, Reject: true},
	},
}

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Suite{
		NewProvider: newProvider,
		Vendor:      vendor,
		Fixtures:    fixtures,
	})
}
