package whoop_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/providertest"
	"github.com/wearables-go/wearables/providers/whoop"
)

// fixturePageSize is the limit the fixtures were requested with: small, so
// each recorded window spans several pages.
const fixturePageSize = 3

// vendor is how WHOOP behaves, for the fake server.
var vendor = providertest.Vendor{
	AuthorizePath:       "/oauth/oauth2/auth",
	TokenPath:           "/oauth/oauth2/token",
	AuthStyle:           oauth2.AuthStyleInParams,
	RotateRefreshTokens: true,
	Revoke:              providertest.Revoke{Method: http.MethodDelete, Path: "/developer/v2/user/access", Status: http.StatusNoContent},
	Pagination:          providertest.Pagination{Param: "nextToken"},
	RateLimit:           whoop.RateLimit,
	Webhook: providertest.Webhook{
		Sign:             whoop.SignWebhook,
		Timestamped:      true,
		UsesClientSecret: true,
	},
}

// newProvider builds the provider against the fake server.
func newProvider(env providertest.Env) (wearables.Provider, error) {
	return whoop.New(whoop.Config{
		ClientSecret: env.ClientSecret,
		BaseURL:      env.URL + "/developer",
		AuthURL:      env.URL + "/oauth/oauth2/auth",
		TokenURL:     env.URL + "/oauth/oauth2/token",
		PageSize:     fixturePageSize,
	}), nil
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// window is the query of a collection request for [start, end).
func window(start, end string) map[string]string {
	return map[string]string{"start": start, "end": end, "limit": strconv.Itoa(fixturePageSize)}
}

// fixtures are the recorded windows:
//
//   - cycles: the week of the 2024 US spring-forward (America/New_York,
//     -05:00 → -04:00 on 10 March), two pages, an ongoing cycle, an
//     UNSCORABLE one, and the recoveries each page fetches (one WHOOP 3.0
//     recovery without SpO2 or skin temperature, one while calibrating,
//     one UNSCORABLE);
//   - sleep: the 2023 US fall-back night (a 9 h 21 min sleep starting at
//     -04:00), a nap, a PENDING_SCORE and a corrupt UNSCORABLE sleep (end
//     before start, rejected), a v1_id, a null percentage; two pages;
//   - workouts: a traveller at +05:45, a sport WHOOP added after this
//     package (mapped to other), a v1 record with v1_id and sport_id, a
//     PENDING_SCORE sauna; two pages.
var fixtures = providertest.Fixtures{
	Dir:            "testdata",
	ProviderUserID: "10129",
	Cases: []providertest.Case{
		{
			DataType: whoop.DataCycles,
			Start:    at("2024-03-08T00:00:00Z"),
			End:      at("2024-03-12T12:00:00Z"),
			Path:     "/developer/v2/cycle",
			Query:    window("2024-03-08T00:00:00.000Z", "2024-03-12T12:00:00.000Z"),
			Pages: []providertest.Page{
				{File: "cycles_1.json"},
				{File: "cycles_2.json", Token: "MTIzOjEyMzEyMw"},
			},
		},
		{
			DataType: wearables.DataSleep,
			Start:    at("2023-11-03T00:00:00Z"),
			End:      at("2023-11-07T00:00:00Z"),
			Path:     "/developer/v2/activity/sleep",
			Query:    window("2023-11-03T00:00:00.000Z", "2023-11-07T00:00:00.000Z"),
			Pages: []providertest.Page{
				{File: "sleep_1.json"},
				{File: "sleep_2.json", Token: "MTIzOjk4NzY1NA"},
			},
		},
		{
			DataType: wearables.DataWorkouts,
			Start:    at("2024-06-01T00:00:00Z"),
			End:      at("2024-06-08T00:00:00Z"),
			Path:     "/developer/v2/activity/workout",
			Query:    window("2024-06-01T00:00:00.000Z", "2024-06-08T00:00:00.000Z"),
			Pages: []providertest.Page{
				{File: "workouts_1.json"},
				{File: "workouts_2.json", Token: "MTIzOjEyMzEyNA"},
			},
		},
	},
	Static: []providertest.Static{
		{Path: "/developer/v2/user/profile/basic", File: "profile.json"},
		// The recoveries of each cycles page: the span from its earliest
		// cycle start to its latest end (the window end for the ongoing
		// cycle).
		{Path: "/developer/v2/recovery", Query: window("2024-03-10T04:15:02.000Z", "2024-03-12T12:00:00.000Z"), File: "recovery_1.json"},
		{Path: "/developer/v2/recovery", Query: window("2024-03-08T04:02:44.900Z", "2024-03-10T04:15:02.000Z"), File: "recovery_2.json"},
	},
	Webhooks: []providertest.WebhookVector{
		{File: "webhook_workout_updated.json"},
		{File: "webhook_sleep_deleted.json"},
		{File: "webhook_recovery_updated.json"},
		{File: "webhook_recovery_deleted.json"},
		{File: "webhook_workout_deleted_v1.json"},
		{File: "webhook_unknown_type.json", Reject: true},
		{File: "webhook_malformed.json", Reject: true},
	},
}

func TestConformance(t *testing.T) {
	providertest.Run(t, providertest.Suite{
		NewProvider: newProvider,
		Vendor:      vendor,
		Fixtures:    fixtures,
	})
}

// emptyCase is a window without sleep: WHOOP answers {"records":[]}. It
// is not among the kit's cases, whose 401 check needs a first page with
// records; TestEmptyWindow checks it.
var emptyCase = providertest.Case{
	Name:     "sleep_empty",
	DataType: wearables.DataSleep,
	Start:    at("2023-11-10T00:00:00Z"),
	End:      at("2023-11-12T00:00:00Z"),
	Path:     "/developer/v2/activity/sleep",
	Query:    window("2023-11-10T00:00:00.000Z", "2023-11-12T00:00:00.000Z"),
	Pages:    []providertest.Page{{File: "sleep_empty.json"}},
}

func TestEmptyWindow(t *testing.T) {
	fx := fixtures
	fx.Cases = []providertest.Case{emptyCase}
	srv, err := providertest.NewServer(vendor, fx)
	require.NoError(t, err)
	defer srv.Close()
	p, err := newProvider(srv.Env())
	require.NoError(t, err)
	tokens := providerhttp.NewLocalTokens(srv.OAuthConfig(""), srv.IssueToken(), srv.Client())

	res, err := p.Fetch(context.Background(), wearables.FetchRequest{
		Client:   providerhttp.NewClient(tokens, srv.Client()),
		DataType: emptyCase.DataType,
		Start:    emptyCase.Start,
		End:      emptyCase.End,
	})
	require.NoError(t, err)
	assert.Zero(t, res.Records.Len(), "records")
	assert.Empty(t, res.Rejected, "rejections")
	assert.Empty(t, res.NextPageToken, "an empty page is the last page")
	assert.Empty(t, srv.Misses())
}
