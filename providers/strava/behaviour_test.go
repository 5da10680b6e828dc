package strava_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/providertest"
	"github.com/wearables-go/wearables/providers/strava"
)

// env is a fake Strava serving the recorded fixtures, and a client
// authorized against it.
type env struct {
	srv    *providertest.Server
	client *http.Client
}

func setup(t *testing.T, fx providertest.Fixtures) env {
	t.Helper()
	srv, err := providertest.NewServer(vendor, fx)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	cfg := &oauth2.Config{ClientID: srv.Env().ClientID, ClientSecret: srv.Env().ClientSecret, Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
	tokens := providerhttp.NewLocalTokens(cfg, srv.IssueToken(), srv.Client())
	return env{srv: srv, client: providerhttp.NewClient(tokens, srv.Client())}
}

func (e env) provider(mod func(*strava.Config)) *strava.Provider {
	cfg := strava.Config{
		BaseURL:         e.srv.URL + "/api/v3",
		AuthURL:         e.srv.URL,
		PageSize:        testPageSize,
		StreamsPageSize: testStreamsPageSize,
		Streams:         true,
		SubscriptionID:  subscriptionID,
		VerifyToken:     verifyToken,
	}
	if mod != nil {
		mod(&cfg)
	}
	return strava.New(cfg)
}

var workoutsCase = fixtures.Cases[0]

func fetchReq(e env, c providertest.Case, token string) wearables.FetchRequest {
	return wearables.FetchRequest{Client: e.client, DataType: c.DataType, Start: c.Start, End: c.End, PageToken: token}
}

func TestRateLimitResetFromUsageHeaders(t *testing.T) {
	now := time.Date(2024, 4, 2, 21, 7, 30, 0, time.UTC)
	for _, c := range []struct {
		name   string
		header http.Header
		want   time.Time
	}{
		{"15-minute read limit", http.Header{
			"X-Ratelimit-Limit": {"200,2000"}, "X-Ratelimit-Usage": {"101,733"},
			"X-Readratelimit-Limit": {"100,1000"}, "X-Readratelimit-Usage": {"101,733"},
		}, time.Date(2024, 4, 2, 21, 15, 0, 0, time.UTC)},
		{"daily read limit", http.Header{
			"X-Ratelimit-Limit": {"200,2000"}, "X-Ratelimit-Usage": {"12,1004"},
			"X-Readratelimit-Limit": {"100,1000"}, "X-Readratelimit-Usage": {"12,1004"},
		}, time.Date(2024, 4, 3, 0, 0, 0, 0, time.UTC)},
		{"no usage headers", nil, time.Date(2024, 4, 2, 21, 15, 0, 0, time.UTC)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := setup(t, fixtures)
			p := e.provider(func(cfg *strava.Config) { cfg.Now = func() time.Time { return now } })
			e.srv.Inject(providertest.Fault{Path: workoutsCase.Path, Status: http.StatusTooManyRequests, Header: c.header})
			res, err := p.Fetch(context.Background(), fetchReq(e, workoutsCase, ""))
			require.ErrorIs(t, err, wearables.ErrRateLimited)
			var pe *wearables.ProviderError
			require.ErrorAs(t, err, &pe)
			assert.True(t, c.want.Equal(pe.ResetAt), "ResetAt %s, want %s", pe.ResetAt, c.want)
			assert.Contains(t, string(pe.Body), "Rate Limit Exceeded")
			assert.Zero(t, res.Records.Len())
		})
	}
}

func TestRateLimitedDetailFailsThePage(t *testing.T) {
	e := setup(t, fixtures)
	p := e.provider(nil)
	e.srv.Inject(providertest.Fault{Path: "/api/v3/activities/11035117023", Status: http.StatusTooManyRequests})
	res, err := p.Fetch(context.Background(), fetchReq(e, workoutsCase, ""))
	require.ErrorIs(t, err, wearables.ErrRateLimited)
	assert.Zero(t, res.Records.Len(), "a page fails as a whole")
	assert.Empty(t, res.NextPageToken)
	assert.Empty(t, res.Rejected)
}

func TestSkipDetails(t *testing.T) {
	e := setup(t, fixtures)
	p := e.provider(func(cfg *strava.Config) { cfg.SkipDetails = true })
	res, err := p.Fetch(context.Background(), fetchReq(e, workoutsCase, ""))
	require.NoError(t, err)
	assert.Equal(t, "2", res.NextPageToken)
	for _, r := range e.srv.Requests() {
		assert.False(t, r.Static, "no detail request expected, got %s", r.Path)
	}
	require.Len(t, res.Records.Workouts, 3)
	ride, run := res.Records.Workouts[0], res.Records.Workouts[1]
	assert.Equal(t, wearables.WorkoutCycling, ride.Type)
	require.NotNil(t, ride.Energy)
	assert.Equal(t, 1012.1, *ride.Energy, "a power meter's work stands in for calories")
	assert.Nil(t, ride.Laps)
	assert.Nil(t, run.Energy, "no calories in a summary, no power meter")
}

func TestFetchFiltersTheWindow(t *testing.T) {
	// The recorded page holds three activities; only the Kathmandu run
	// started in [Mar 30, Mar 31).
	start, end := day(time.March, 30), day(time.March, 31)
	c := providertest.Case{
		Name: "window", DataType: wearables.DataWorkouts, Start: start, End: end,
		Path: "/api/v3/athlete/activities", Query: listQuery(start, end, testPageSize),
		Pages: []providertest.Page{{File: "activities_1.json"}},
	}
	e := setup(t, providertest.Fixtures{Dir: "testdata", Cases: []providertest.Case{c}})
	p := e.provider(func(cfg *strava.Config) { cfg.SkipDetails = true })
	res, err := p.Fetch(context.Background(), fetchReq(e, c, ""))
	require.NoError(t, err)
	require.Len(t, res.Records.Workouts, 1)
	assert.Equal(t, "11035117023", res.Records.Workouts[0].ProviderRecordID)
	assert.Equal(t, "2", res.NextPageToken, "a non-empty page, even if filtered out, is not the last")
}

func TestFetchErrors(t *testing.T) {
	e := setup(t, fixtures)
	ctx := context.Background()

	_, err := e.provider(nil).Fetch(ctx, fetchReq(e, workoutsCase, "two"))
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = e.provider(nil).Fetch(ctx, fetchReq(e, workoutsCase, "0"))
	assert.ErrorIs(t, err, wearables.ErrInvalid)

	off := e.provider(func(cfg *strava.Config) { cfg.Streams = false })
	assert.Equal(t, []wearables.DataType{wearables.DataWorkouts}, off.DataTypes())
	_, err = off.Fetch(ctx, wearables.FetchRequest{Client: e.client, DataType: strava.DataStreams, Start: workoutsCase.Start, End: workoutsCase.End})
	assert.ErrorIs(t, err, wearables.ErrUnsupported)
	_, err = off.Fetch(ctx, wearables.FetchRequest{Client: e.client, DataType: wearables.DataSleep, Start: workoutsCase.Start, End: workoutsCase.End})
	assert.ErrorIs(t, err, wearables.ErrUnsupported)
	assert.Empty(t, e.srv.Requests(), "refused fetches send nothing")
}

func TestFetchActivity(t *testing.T) {
	e := setup(t, fixtures)
	p := e.provider(nil)
	ctx := context.Background()

	res, err := p.FetchActivity(ctx, e.client, wearables.DataWorkouts, "11029583461")
	require.NoError(t, err)
	require.Len(t, res.Records.Workouts, 1)
	w := res.Records.Workouts[0]
	assert.Equal(t, "11029583461", w.ProviderRecordID)
	assert.Equal(t, 1088.5, *w.Energy)
	assert.Len(t, w.Laps, 2)

	res, err = p.FetchActivity(ctx, e.client, wearables.DataWorkouts, "11050144377")
	require.NoError(t, err, "a 404 confirms the deletion")
	assert.Equal(t, []wearables.Delete{{Kind: wearables.KindWorkout, Provider: wearables.ProviderStrava, ProviderRecordID: "11050144377"}}, res.Records.Deletes)
	assert.Empty(t, res.Records.Workouts)

	res, err = p.FetchActivity(ctx, e.client, strava.DataStreams, "11095678901")
	require.NoError(t, err)
	assert.Len(t, res.Records.Samples, 41, "42 readings less the 0 bpm one")
	assert.Len(t, res.Rejected, 1)

	res, err = p.FetchActivity(ctx, e.client, strava.DataStreams, "11050144377")
	require.NoError(t, err)
	assert.Zero(t, res.Records.Len(), "samples of a deleted activity cannot be deleted by id")

	_, err = p.FetchActivity(ctx, e.client, wearables.DataWorkouts, "../athlete")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = p.FetchActivity(ctx, e.client, wearables.DataSleep, "1")
	assert.ErrorIs(t, err, wearables.ErrUnsupported)
}

func TestProviderUserIDFallsBackToTheAthlete(t *testing.T) {
	e := setup(t, fixtures)
	// A token from a refresh carries no athlete.
	id, err := e.provider(nil).ProviderUserID(context.Background(), e.client, &oauth2.Token{AccessToken: "x"})
	require.NoError(t, err)
	assert.Equal(t, athleteID, id)
}

func TestRevokeNeedsAToken(t *testing.T) {
	e := setup(t, fixtures)
	assert.ErrorIs(t, e.provider(nil).Revoke(context.Background(), e.srv.Client(), wearables.Connection{}, nil), wearables.ErrInvalid)
	assert.ErrorIs(t, e.provider(nil).Revoke(context.Background(), e.srv.Client(), wearables.Connection{}, &oauth2.Token{AccessToken: "unknown"}), wearables.ErrUnauthorized)
}

func TestOAuthScopes(t *testing.T) {
	spec := strava.New(strava.Config{}).OAuth()
	assert.Equal(t, []string{"read,activity:read_all"}, spec.Scopes, "Strava wants commas")
	assert.Equal(t, "https://www.strava.com/oauth/authorize", spec.Endpoint.AuthURL)
	assert.Equal(t, "https://www.strava.com/oauth/token", spec.Endpoint.TokenURL)
	assert.False(t, spec.PKCE)
	u, err := url.Parse((&oauth2.Config{ClientID: "1", Endpoint: spec.Endpoint, Scopes: spec.Scopes}).AuthCodeURL("state"))
	require.NoError(t, err)
	assert.Equal(t, "read,activity:read_all", u.Query().Get("scope"))

	spec = strava.New(strava.Config{Scopes: []string{"activity:read"}}).OAuth()
	assert.Equal(t, []string{"activity:read"}, spec.Scopes)
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte(`{"aspect_type":"create","event_time":1712424611,"object_id":11091234567,"object_type":"activity","owner_id":134815,"subscription_id":120475,"updates":{}}`)
	post := httptest.NewRequest(http.MethodPost, "/webhooks/strava", nil)
	p := strava.New(strava.Config{SubscriptionID: subscriptionID})
	assert.NoError(t, p.VerifyWebhook(post, body))
	for _, c := range []struct {
		name string
		p    *strava.Provider
		r    *http.Request
		body string
	}{
		{"no subscription configured", strava.New(strava.Config{}), post, string(body)},
		{"GET", p, httptest.NewRequest(http.MethodGet, "/webhooks/strava", nil), string(body)},
		{"foreign subscription", p, post, strings.Replace(string(body), "120475", "120476", 1)},
		{"subscription as a string", p, post, strings.Replace(string(body), "120475", `"120475x"`, 1)},
		{"not JSON", p, post, "hub.challenge=1"},
		{"no subscription", p, post, `{"object_id":1}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorIs(t, c.p.VerifyWebhook(c.r, []byte(c.body)), wearables.ErrUnauthorized)
		})
	}
}

func TestParseWebhook(t *testing.T) {
	p := strava.New(strava.Config{SubscriptionID: subscriptionID, Streams: true})
	noStreams := strava.New(strava.Config{SubscriptionID: subscriptionID})

	events, err := noStreams.ParseWebhook([]byte(`{"aspect_type":"create","event_time":1,"object_id":5,"object_type":"activity","owner_id":7,"subscription_id":120475,"updates":{}}`))
	require.NoError(t, err)
	require.Len(t, events, 1, "no streams event when streams are off")
	assert.Equal(t, wearables.DataWorkouts, events[0].DataType)

	events, err = p.ParseWebhook([]byte(`{"aspect_type":"update","event_time":1,"object_id":5,"object_type":"activity","owner_id":7,"subscription_id":120475,"updates":{"title":"x"}}`))
	require.NoError(t, err)
	assert.Len(t, events, 1, "a title change does not touch streams")

	events, err = p.ParseWebhook([]byte(`{"aspect_type":"update","event_time":1,"object_id":7,"object_type":"athlete","owner_id":7,"subscription_id":120475,"updates":{"authorized":false}}`))
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, wearables.WebhookDeauthorize, events[0].Kind)

	events, err = p.ParseWebhook([]byte(`{"aspect_type":"update","event_time":1,"object_id":7,"object_type":"athlete","owner_id":7,"subscription_id":120475,"updates":{"authorized":"true"}}`))
	require.NoError(t, err)
	assert.Empty(t, events, "other athlete events need nothing")

	for _, body := range []string{
		`not json`,
		`{"aspect_type":"rename","event_time":1,"object_id":5,"object_type":"activity","owner_id":7,"subscription_id":120475}`,
		`{"aspect_type":"create","event_time":1,"object_id":5,"object_type":"segment","owner_id":7,"subscription_id":120475}`,
		`{"aspect_type":"create","event_time":1,"object_type":"activity","owner_id":7,"subscription_id":120475}`,
		`{"aspect_type":"create","event_time":1,"object_id":5.5,"object_type":"activity","owner_id":7,"subscription_id":120475}`,
	} {
		_, err := p.ParseWebhook([]byte(body))
		assert.ErrorIs(t, err, wearables.ErrInvalid, body)
	}
}

func TestChallengeHandler(t *testing.T) {
	h := strava.New(strava.Config{VerifyToken: verifyToken}).ChallengeHandler()
	for _, c := range []struct {
		name   string
		method string
		query  string
		status int
		body   string
	}{
		{"valid", http.MethodGet, "hub.mode=subscribe&hub.verify_token=STRAVA&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3", http.StatusOK, `{"hub.challenge":"15f7d1a91c1f40f8a748fd134752feb3"}`},
		{"wrong token", http.MethodGet, "hub.mode=subscribe&hub.verify_token=strava&hub.challenge=x", http.StatusForbidden, ""},
		{"no token", http.MethodGet, "hub.mode=subscribe&hub.challenge=x", http.StatusForbidden, ""},
		{"no challenge", http.MethodGet, "hub.mode=subscribe&hub.verify_token=STRAVA", http.StatusBadRequest, ""},
		{"wrong mode", http.MethodGet, "hub.mode=unsubscribe&hub.verify_token=STRAVA&hub.challenge=x", http.StatusBadRequest, ""},
		{"POST", http.MethodPost, "hub.mode=subscribe&hub.verify_token=STRAVA&hub.challenge=x", http.StatusMethodNotAllowed, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(c.method, "/webhooks/strava?"+c.query, nil))
			assert.Equal(t, c.status, rec.Code)
			if c.body != "" {
				assert.JSONEq(t, c.body, rec.Body.String())
				assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			}
		})
	}
	// Without a configured token nothing is answered.
	rec := httptest.NewRecorder()
	strava.New(strava.Config{}).ChallengeHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?hub.mode=subscribe&hub.verify_token=&hub.challenge=x", nil))
	assert.Equal(t, http.StatusForbidden, rec.Code)
}
