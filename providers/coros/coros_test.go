package coros_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/coros"
	"github.com/wearables-go/wearables/providers/providertest"
)

// openID is COROS's id of the recorded account.
const openID = "407419767966679040"

// The partner credentials COROS is assumed to send with each push. The
// provider's Config holds them only to check pushes (the kit's OAuth
// client brings its own), so the recorded push headers can name them.
const (
	partnerClientID     = "f263ed9257c74e808befaf548a27852c"
	partnerClientSecret = "902d20cc-c2a8-4536-89a9-41e0f7626977"
)

// pushHeader is what COROS sends with a push.
var pushHeader = map[string]string{coros.ClientHeader: partnerClientID, coros.SecretHeader: partnerClientSecret}

// newProvider builds the provider against the kit's fake COROS.
func newProvider(env providertest.Env) *coros.Provider {
	return coros.New(coros.Config{
		ClientID:     partnerClientID,
		ClientSecret: partnerClientSecret,
		BaseURL:      env.URL,
	})
}

// vendor is how the COROS partner API behaves, as far as open-source
// integrations show it: credentials in the token request's body, openId
// in the token response, a deauthorize route taking the token as a form
// parameter, result codes in a JSON envelope, pushes carrying the
// partner's credentials.
var vendor = providertest.Vendor{
	AuthorizePath: "/oauth2/authorize",
	TokenPath:     "/oauth2/accesstoken",
	AuthStyle:     oauth2.AuthStyleInParams,
	TokenExtra:    map[string]any{"openId": openID},
	Revoke:        providertest.Revoke{Path: "/oauth2/deauthorize"},
	RateLimit:     coros.RateLimit,
	ErrorBody: func(status int) string {
		return fmt.Sprintf(`{"message":%q,"result":"%d"}`, http.StatusText(status), status)
	},
	// COROS signs nothing: pushes carry the partner's credentials,
	// recorded with each vector.
	Webhook: providertest.Webhook{Path: "/webhooks/coros"},
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixtures are the payloads built from the public shapes (see the package
// documentation: none is recorded from a live account).
func fixtures() providertest.Fixtures {
	return providertest.Fixtures{
		Dir:            "testdata",
		ProviderUserID: openID,
		Cases: []providertest.Case{
			// March and April, 60 dates in two 30-date chunks. March: a
			// run in UTC+8, a ride without heart rate, a triathlon with
			// its legs, an unknown sport in UTC−5 without endTime, a hike
			// across the Berlin DST switch (its start zone +01:00, end
			// zone +02:00), a run with impossible heart rates (rejected).
			{
				Name:     "workouts",
				DataType: wearables.DataWorkouts,
				Start:    utc("2024-03-01T00:00:00Z"),
				End:      utc("2024-04-30T00:00:00Z"),
				Path:     "/v2/coros/sport/list",
				Query:    map[string]string{"openId": openID, "startDate": "20240301", "endDate": "20240330"},
				Pages:    []providertest.Page{{File: "workouts_march.json"}},
			},
			// The second chunk, also a window of its own: a pool swim in
			// +05:45 whose labelId is a number, a walk in UTC−4 with
			// nulls, an indoor row.
			// TODO(providertest): one Case cannot declare a page chain
			// whose requests change their window, so the chunk is a
			// second case on the same path.
			{
				Name:     "workouts_chunk2",
				DataType: wearables.DataWorkouts,
				Start:    utc("2024-03-31T00:00:00Z"),
				End:      utc("2024-04-30T00:00:00Z"),
				Path:     "/v2/coros/sport/list",
				Query:    map[string]string{"openId": openID, "startDate": "20240331", "endDate": "20240429"},
				Pages:    []providertest.Page{{File: "workouts_april.json"}},
			},
			// One date, one indoor run without time zones.
			{
				Name:     "workouts_one_day",
				DataType: wearables.DataWorkouts,
				Start:    utc("2024-06-15T00:00:00Z"),
				End:      utc("2024-06-16T00:00:00Z"),
				Path:     "/v2/coros/sport/list",
				Query:    map[string]string{"openId": openID, "startDate": "20240615", "endDate": "20240615"},
				Pages:    []providertest.Page{{File: "workouts_2024-06-15.json"}},
			},
		},
		Webhooks: []providertest.WebhookVector{
			{File: "webhook_workout.json", Header: pushHeader},
			{File: "webhook_two_users.json", Header: pushHeader},
			{File: "webhook_triathlon.json", Header: pushHeader},
			{File: "webhook_unknown_sport.json", Header: pushHeader},
			// Refused: a malformed list, a workout without openId, another
			// partner's secret, no credentials.
			{File: "webhook_malformed.json", Header: pushHeader, Reject: true},
			{File: "webhook_no_openid.json", Header: pushHeader, Reject: true},
			{Name: "webhook_wrong_secret", File: "webhook_workout.json", Reject: true,
				Header: map[string]string{coros.ClientHeader: partnerClientID, coros.SecretHeader: "another-partner"}},
			{Name: "webhook_no_credentials", File: "webhook_workout.json", Reject: true,
				Header: map[string]string{"Content-Type": "application/json"}},
		},
	}
}

func suite() providertest.Suite {
	return providertest.Suite{
		NewProvider: func(env providertest.Env) (wearables.Provider, error) { return newProvider(env), nil },
		Vendor:      vendor,
		Fixtures:    fixtures(),
	}
}

// TestConformance runs the provider kit on the COROS fixtures.
func TestConformance(t *testing.T) {
	providertest.Run(t, suite())
}
