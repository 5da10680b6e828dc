package ultrahuman_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providertest"
	"github.com/wearables-go/wearables/providers/ultrahuman"
)

// Fixed facts of the recorded account.
const (
	apiPrefix = "/api/partners/v1"
	userID    = "1189030"
)

// newProvider builds the provider against the kit's fake Ultrahuman.
func newProvider(env providertest.Env) *ultrahuman.Provider {
	return ultrahuman.New(ultrahuman.Config{
		ClientID:     env.ClientID,
		ClientSecret: env.ClientSecret,
		BaseURL:      env.URL + apiPrefix,
		AuthorizeURL: env.URL + "/authorise",
		TokenURL:     env.URL + "/api/partners/oauth/token",
	})
}

// vendor is how the Ultrahuman Partner API behaves, as far as it is
// public: credentials in the token request's body, no PKCE, week-long
// access tokens; the error body is assumed to be the same envelope as a
// data response.
var vendor = providertest.Vendor{
	AuthorizePath:  "/authorise",
	TokenPath:      "/api/partners/oauth/token",
	AuthStyle:      oauth2.AuthStyleInParams,
	AccessTokenTTL: 7 * 24 * time.Hour,
	Pagination:     providertest.Pagination{Param: "date"},
	RateLimit:      ultrahuman.RateLimit,
	ErrorBody: func(status int) string {
		return fmt.Sprintf(`{"data":null,"error":%q,"status":%d}`, http.StatusText(status), status)
	},
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// days is a case over consecutive dates from first, one recorded page
// per date: Ultrahuman is asked one date at a time, so the page token is
// the date parameter itself.
func days(name, first string, n int) providertest.Case {
	start := utc(first + "T00:00:00Z")
	c := providertest.Case{
		Name:     name,
		DataType: ultrahuman.DataMetrics,
		Start:    start,
		End:      start.AddDate(0, 0, n),
		Path:     apiPrefix + "/user_data/metrics",
	}
	for i := range n {
		date := start.AddDate(0, 0, i).Format(time.DateOnly)
		c.Pages = append(c.Pages, providertest.Page{File: "metrics_" + date + ".json", Token: date})
	}
	return c
}

// fixtures are the recorded payloads, all of one account in
// Europe/Berlin except the last.
func fixtures() providertest.Fixtures {
	return providertest.Fixtures{
		Dir:            "testdata",
		ProviderUserID: userID,
		Cases: []providertest.Case{
			// Three nights: a full day (every metric type, a night with
			// its hypnogram, zero and null readings, an unknown type), the
			// DST night (+01:00 to +02:00), then a nap.
			days("nights", "2024-03-30", 3),
			// A day without a zone (offsets unknown) with an impossible
			// heart rate and an index out of scale, a day of nulls with a
			// sleep missing its end, and an empty last day.
			days("sparse_days", "2024-04-02", 3),
			// A user in Asia/Kathmandu (+05:45).
			days("kathmandu", "2024-07-15", 1),
		},
		Static: []providertest.Static{
			{Path: apiPrefix + "/user_data/user_info", File: "user_info.json"},
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

// TestConformance runs the provider kit on the Ultrahuman fixtures.
func TestConformance(t *testing.T) {
	providertest.Run(t, suite())
}
