package withings_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
	_ "time/tzdata" // the fixtures name IANA zones; do not depend on the test machine's database

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providertest"
	"github.com/wearables-go/wearables/providers/withings"
)

// userID is the recorded account's Withings user id (the token response's
// userid).
const userID = "12345678"

// webhookToken is the token the kit's notifications carry in their URL.
const webhookToken = "providertest-webhook-secret"

// newProvider builds the provider against the kit's fake Withings.
func newProvider(env providertest.Env) *withings.Provider {
	return withings.New(withings.Config{
		ClientID:     env.ClientID,
		ClientSecret: env.ClientSecret,
		BaseURL:      env.URL,
		AuthorizeURL: env.URL + "/oauth2_user/authorize2",
		HTTPClient:   env.HTTPClient,
		WebhookToken: webhookToken,
	})
}

// errorBody is Withings' envelope, as its front end would wrap an HTTP
// error (Withings itself answers HTTP 200 with the status inside: see
// status_test.go for that path, which the kit cannot inject).
func errorBody(status int) string {
	return fmt.Sprintf(`{"status":%d,"body":{},"error":%q}`, status, http.StatusText(status))
}

// vendor is how Withings behaves, for the fake server. The kit's token
// endpoint speaks plain RFC 6749; Withings' wrapped one is exercised
// through TokenTransport in token_test.go.
var vendor = providertest.Vendor{
	AuthorizePath:       "/oauth2_user/authorize2",
	TokenPath:           "/v2/oauth2",
	AuthStyle:           oauth2.AuthStyleInParams,
	RotateRefreshTokens: true,
	AccessTokenTTL:      3 * time.Hour,
	TokenExtra:          map[string]any{"userid": 12345678},
	Pagination:          providertest.Pagination{Param: "offset"},
	RateLimit:           withings.RateLimitHeaders(),
	ErrorBody:           errorBody,
	Webhook:             providertest.Webhook{Path: "/webhooks/withings?token=" + webhookToken},
}

func utc(m time.Month, d int) time.Time { return time.Date(2024, m, d, 0, 0, 0, 0, time.UTC) }

// dateCase is a window of a service keyed by local day: [Mar 29, Apr 1)
// asks for 2024-03-28 to 2024-04-02.
func dateCase(name string, dt wearables.DataType, path, action string, pages ...providertest.Page) providertest.Case {
	return providertest.Case{
		Name:     name,
		DataType: dt,
		Start:    utc(time.March, 29),
		End:      utc(time.April, 1),
		Method:   http.MethodPost,
		Path:     path,
		Query:    map[string]string{"action": action, "startdateymd": "2024-03-28", "enddateymd": "2024-04-02"},
		Pages:    pages,
	}
}

// intradayCase is the 24-hour window starting at from, as the first page
// of a window [from, Apr 2).
func intradayCase(name string, from time.Time, file string) providertest.Case {
	return providertest.Case{
		Name:     name,
		DataType: withings.DataIntraday,
		Start:    from,
		End:      utc(time.April, 2),
		Method:   http.MethodPost,
		Path:     "/v2/measure",
		Query: map[string]string{"action": "getintradayactivity",
			"startdate": fmt.Sprint(from.Unix()), "enddate": fmt.Sprint(from.Add(24 * time.Hour).Unix())},
		Pages: []providertest.Page{{File: file}},
	}
}

// sleepStages is the stage series answered for one session's bounds.
func sleepStages(start, end int64, file string) providertest.Static {
	return providertest.Static{
		Method: http.MethodPost,
		Path:   "/v2/sleep",
		Query:  map[string]string{"action": "get", "startdate": fmt.Sprint(start), "enddate": fmt.Sprint(end)},
		File:   file,
	}
}

func suite() providertest.Suite {
	return providertest.Suite{
		NewProvider: func(env providertest.Env) (wearables.Provider, error) { return newProvider(env), nil },
		Vendor:      vendor,
		Fixtures: providertest.Fixtures{
			Dir:            "testdata",
			ProviderUserID: userID,
			Cases: []providertest.Case{
				// Measures, two pages (more:1, offset:4): a Body Cardio
				// weigh-in with its body composition, a BPM Connect
				// reading, a weight typed in by hand just after the DST
				// change (+02:00), SpO2 and pulse from a ScanWatch; then a
				// Thermo reading, an implausible 0.15 kg weight (rejected)
				// and a VO2max.
				{
					Name:     "measures",
					DataType: withings.DataMeasures,
					Start:    utc(time.March, 29),
					End:      utc(time.April, 1),
					Method:   http.MethodPost,
					Path:     "/measure",
					Query:    map[string]string{"action": "getmeas", "category": "1", "startdate": "1711670400", "enddate": "1711929600"},
					Pages:    []providertest.Page{{File: "measures_1.json"}, {File: "measures_2.json", Token: "4"}},
				},
				// Activity: three days of a ScanWatch in Berlin (the DST
				// day's offset is +01:00, at its midnight) and a phone
				// step tracker's day in Kathmandu (+05:45) without heart
				// rate (zeros).
				dateCase("activity", withings.DataActivity, "/v2/measure", "getactivity", providertest.Page{File: "activity.json"}),
				// Intraday, three 24-hour windows: out-of-order keys, an
				// entry on the inclusive boundary (returned by both
				// windows, kept once), a phone's entries, and an empty day
				// Withings spells as [] (a Static fixture: the kit wants
				// records on a case's first page).
				// TODO(providertest): one Case cannot declare a page chain
				// whose requests change their window, so each window is a
				// case (or a Static) of its own on the same path.
				intradayCase("intraday", utc(time.March, 30), "intraday_1.json"),
				intradayCase("intraday_chunk2", utc(time.March, 31), "intraday_2.json"),
				// Workouts, two pages: a run, a pool swim with detected
				// pauses and no heart rate, a yoga session entered by hand
				// in Kathmandu; then indoor cycling across the DST change,
				// a category Withings added after the map (999 → other)
				// and an inconsistent record (min HR above max: rejected).
				dateCase("workouts", wearables.DataWorkouts, "/v2/measure", "getworkouts",
					providertest.Page{File: "workouts_1.json"}, providertest.Page{File: "workouts_2.json", Token: "3"}),
				// Sleep: the DST night (7 h 11 min in bed, out-of-bed state
				// 15), an afternoon nap, a night from an external source
				// (asleep only, id as a string, no stages); then an empty
				// last page. Each session's stages come from sleep get.
				{
					Name:     "sleep",
					DataType: wearables.DataSleep,
					Start:    utc(time.March, 30),
					End:      utc(time.April, 1),
					Method:   http.MethodPost,
					Path:     "/v2/sleep",
					Query:    map[string]string{"action": "getsummary", "startdateymd": "2024-03-29", "enddateymd": "2024-04-02"},
					Pages:    []providertest.Page{{File: "sleep_summary_1.json"}, {File: "sleep_summary_2.json", Token: "3"}},
				},
			},
			Static: []providertest.Static{
				{
					Method: http.MethodPost,
					Path:   "/v2/measure",
					Query:  map[string]string{"action": "getintradayactivity", "startdate": "1711929600", "enddate": "1712016000"},
					File:   "intraday_3.json",
				},
				sleepStages(1711834860, 1711860720, "sleep_get_night.json"),
				sleepStages(1711887000, 1711889700, "sleep_get_nap.json"),
				sleepStages(1711769400, 1711796400, "sleep_get_external.json"),
			},
			Webhooks: []providertest.WebhookVector{
				{File: "notify_weight.txt"},
				{File: "notify_cardio.txt"},
				{File: "notify_activity.txt"},
				{File: "notify_sleep.txt"},
				{File: "notify_user_unlink.txt"},
				{File: "notify_malformed.txt", Reject: true},
			},
		},
	}
}

// TestConformance runs the provider kit on the Withings fixtures.
func TestConformance(t *testing.T) {
	providertest.Run(t, suite())
}
