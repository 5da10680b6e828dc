package polar_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Helsinki for the DST fixtures on any machine

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/polar"
	"github.com/wearables-go/wearables/providers/providertest"
)

// Fixed facts of the recorded account.
const (
	polarUserID = "2278512"
	// fixtureNow is the clock of the conformance run: the fixtures were
	// recorded in early April 2024, within Polar's history limits.
	fixtureNowRFC3339 = "2024-04-10T12:00:00Z"
)

func fixtureNow() time.Time {
	t, _ := time.Parse(time.RFC3339, fixtureNowRFC3339)
	return t
}

// helsinki is the recorded user's zone (a DST change on 2024-03-31).
func helsinki(context.Context, wearables.Connection) (*time.Location, error) {
	return time.LoadLocation("Europe/Helsinki")
}

// vendor is how AccessLink behaves, for the fake server.
func vendor() providertest.Vendor {
	return providertest.Vendor{
		AuthorizePath:  "/oauth2/authorization",
		TokenPath:      "/v2/oauth2/token",
		AuthStyle:      oauth2.AuthStyleInHeader,
		NoRefreshToken: true,
		AccessTokenTTL: 365 * 24 * time.Hour,
		TokenExtra:     map[string]any{"x_user_id": 2278512},
		// Only the from/to routes page: the page token is the next chunk's
		// "from" date, so the first page of those cases carries its own.
		Pagination: providertest.Pagination{Param: "from"},
		RateLimit:  polar.RateLimit(),
		ErrorBody: func(status int) string {
			return fmt.Sprintf(`{"timestamp":"2024-04-10T12:00:00.000+0000","status":%d,"errorType":%q,"message":%q,"corrId":"5d2fd7e8-3b1c-4c0e-9a3e-8b3f0b5c2a11"}`,
				status, http.StatusText(status), http.StatusText(status))
		},
		RewriteURLs: []string{polar.DefaultBaseURL},
		// De-registration revokes the token; the kit's connection names the
		// recorded account (Fixtures.ProviderUserID).
		Revoke: providertest.Revoke{Method: http.MethodDelete, Path: userPath(), Status: http.StatusNoContent},
		Webhook: providertest.Webhook{
			Sign: func(secret string, _ time.Time, body []byte) http.Header {
				h := http.Header{}
				h.Set(polar.SignatureHeader, polar.Sign(secret, body))
				return h
			},
		},
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixtures are the recorded payloads.
func fixtures() providertest.Fixtures {
	return providertest.Fixtures{
		Dir:            "testdata",
		ProviderUserID: polarUserID,
		Cases: []providertest.Case{
			{
				// Exercises: string and int ids, +02:00, −05:00 and +05:45
				// offsets, an unknown sport, an upload inside the window of an
				// exercise started before it, one outside, a malformed
				// duration, a chest strap, streams with nulls and zeros.
				Name:     "exercises",
				DataType: wearables.DataWorkouts,
				Start:    day("2024-03-25"), End: day("2024-04-08"),
				Path:  "/v3/exercises",
				Query: map[string]string{"samples": "true", "zones": "true", "route": "true"},
				Pages: []providertest.Page{{File: "exercises.json"}},
			},
			{
				// Sleep: a night crossing midnight, a DST night (+02:00 →
				// +03:00, 7 h 07 min), a nap, a night outside the window, a
				// start without an offset, an unknown hypnogram code.
				Name:     "sleep",
				DataType: wearables.DataSleep,
				Start:    day("2024-03-29"), End: day("2024-04-08"),
				Path:  "/v3/users/sleep",
				Pages: []providertest.Page{{File: "sleep.json"}},
			},
			{
				// Nightly Recharge: samples crossing midnight, nulls, an empty
				// sample map, a night outside the window.
				Name:     "nightly_recharge",
				DataType: polar.DataNightlyRecharge,
				Start:    day("2024-03-29"), End: day("2024-04-08"),
				Path:  "/v3/users/nightly-recharge",
				Pages: []providertest.Page{{File: "nightly_recharge.json"}},
			},
			{
				// Daily activity over 45 days: two chunks (the second is the
				// last page), a day without samples, filtered step repeats, the
				// DST day.
				Name:     "activities",
				DataType: wearables.DataDailySummaries,
				Start:    day("2024-02-20"), End: day("2024-04-05"),
				Path:  "/v3/users/activities",
				Query: map[string]string{"steps": "true", "activity_zones": "true"},
				Pages: []providertest.Page{
					{File: "activities_1.json", Token: "2024-02-20"},
					{File: "activities_2.json", Token: "2024-03-19"},
				},
			},
			{
				Name:     "activities_empty",
				DataType: wearables.DataDailySummaries,
				Start:    day("2024-04-08"), End: day("2024-04-09"),
				Path:  "/v3/users/activities",
				Query: map[string]string{"to": "2024-04-08"},
				Pages: []providertest.Page{{File: "activities_empty.json", Token: "2024-04-08"}},
			},
			{
				// Continuous heart rate: two days, a null reading, a malformed
				// clock time.
				Name:     "continuous_heart_rate",
				DataType: polar.DataContinuousHeartRate,
				Start:    day("2024-04-01"), End: day("2024-04-03"),
				Path:  "/v3/users/continuous-heart-rate",
				Query: map[string]string{"to": "2024-04-02"},
				Pages: []providertest.Page{{File: "continuous_hr.json", Token: "2024-04-01"}},
			},
			{
				Name:     "continuous_heart_rate_empty",
				DataType: polar.DataContinuousHeartRate,
				Start:    day("2024-04-06"), End: day("2024-04-07"),
				Path:  "/v3/users/continuous-heart-rate",
				Query: map[string]string{"to": "2024-04-06"},
				Pages: []providertest.Page{{File: "continuous_hr_empty.json", Token: "2024-04-06"}},
			},
			{
				Name:     "physical_info",
				DataType: wearables.DataBody,
				Start:    day("2024-03-01"), End: day("2024-04-08"),
				Path:  "/v3/users/physical-info",
				Pages: []providertest.Page{{File: "physical_info.json"}},
			},
		},
		Static: []providertest.Static{
			{Method: http.MethodPost, Path: "/v3/users", File: "user.json"},
		},
		Webhooks: []providertest.WebhookVector{
			{File: "webhook_exercise.json"},
			{File: "webhook_sleep.json"},
			{File: "webhook_continuous_hr.json"},
			{File: "webhook_activity.json"},
			{File: "webhook_physical_info.json"},
			{File: "webhook_missing_user.json", Reject: true},
		},
	}
}

// newProvider builds the provider against the fake server.
func newProvider(env providertest.Env) *polar.Provider {
	return polar.New(polar.Config{
		ClientID:      env.ClientID,
		ClientSecret:  env.ClientSecret,
		BaseURL:       env.URL,
		AuthorizeURL:  env.URL + "/oauth2/authorization",
		TokenURL:      env.URL + "/v2/oauth2/token",
		HTTPClient:    env.HTTPClient,
		WebhookSecret: env.WebhookSecret,
		Location:      helsinki,
		Now:           fixtureNow,
	})
}

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Suite{
		NewProvider: func(env providertest.Env) (wearables.Provider, error) {
			return newProvider(env), nil
		},
		Vendor:   vendor(),
		Fixtures: fixtures(),
	})
}

// server starts the fake AccessLink with the recorded fixtures plus extra
// static routes.
func server(t *testing.T, v providertest.Vendor, extra ...providertest.Static) *providertest.Server {
	t.Helper()
	fx := fixtures()
	fx.Static = append(fx.Static, extra...)
	srv, err := providertest.NewServer(v, fx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func userPath() string { return "/v3/users/" + strconv.Itoa(2278512) }
