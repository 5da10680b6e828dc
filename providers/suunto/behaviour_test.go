package suunto_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/suunto"
)

// fakeAPI is a minimal Suunto answering every route with body (status),
// recording each request's path, query and subscription key.
type fakeAPI struct {
	mu       sync.Mutex
	requests []*http.Request
	status   int
	body     string
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Clone(context.Background()))
	status, body := f.status, f.body
	f.mu.Unlock()
	if status == 0 {
		status = http.StatusOK
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// setup starts a fake Suunto under a path prefix (so absolute-path
// mistakes fail) and a provider pointed at it.
func setup(t *testing.T, cfg suunto.Config, f *fakeAPI) *suunto.Provider {
	t.Helper()
	srv := httptest.NewServer(http.StripPrefix("/prefix", f))
	t.Cleanup(srv.Close)
	cfg.BaseURL = srv.URL + "/prefix"
	return suunto.New(cfg)
}

func fetch(p *suunto.Provider, dt wearables.DataType, start, end time.Time, token string) (wearables.FetchResult, error) {
	return p.Fetch(context.Background(), wearables.FetchRequest{
		Client: http.DefaultClient, DataType: dt, Start: start, End: end, PageToken: token,
	})
}

var (
	march1 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	april1 = time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
)

func TestSubscriptionKeyOnEveryCall(t *testing.T) {
	f := &fakeAPI{body: "[]"}
	p := setup(t, suunto.Config{SubscriptionKey: "sub-key-123"}, f)
	for _, dt := range p.DataTypes() {
		t.Run(string(dt), func(t *testing.T) {
			f.mu.Lock()
			f.requests, f.body = nil, "[]"
			if dt == wearables.DataWorkouts {
				f.body = `{"error":null,"payload":[]}`
			}
			f.mu.Unlock()
			_, err := fetch(p, dt, march1, march1.Add(24*time.Hour), "")
			require.NoError(t, err)
			require.Len(t, f.requests, 1)
			assert.Equal(t, "sub-key-123", f.requests[0].Header.Get(suunto.SubscriptionKeyHeader))
		})
	}
}

func TestSubscriptionKeyNeverInErrors(t *testing.T) {
	f := &fakeAPI{status: http.StatusInternalServerError, body: `{ "statusCode": 500, "message": "Internal server error" }`}
	p := setup(t, suunto.Config{SubscriptionKey: "sub-key-secret-456", ClientSecret: "client-secret"}, f)
	_, err := fetch(p, wearables.DataSleep, march1, april1, "")
	require.Error(t, err)
	var pe *wearables.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, http.StatusInternalServerError, pe.StatusCode)
	assert.NotContains(t, err.Error(), "sub-key-secret-456")
	assert.NotContains(t, string(pe.Body), "sub-key-secret-456")

	cfg := suunto.Config{ClientID: "id", ClientSecret: "client-secret", SubscriptionKey: "sub-key-secret-456", NotificationSecret: "notify-secret"}
	prov := suunto.New(cfg)
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), cfg.String(),
		fmt.Sprint(prov), fmt.Sprintf("%+v", prov), fmt.Sprintf("%#v", prov)} {
		assert.NotContains(t, s, "client-secret")
		assert.NotContains(t, s, "sub-key-secret-456")
		assert.NotContains(t, s, "notify-secret")
		assert.Contains(t, s, `"id"`)
	}
}

func TestFetchRefusals(t *testing.T) {
	f := &fakeAPI{body: "[]"}
	p := setup(t, suunto.Config{SubscriptionKey: "k"}, f)
	noKey := setup(t, suunto.Config{}, f)
	for _, c := range []struct {
		name  string
		p     *suunto.Provider
		dt    wearables.DataType
		start time.Time
		end   time.Time
		token string
		want  error
	}{
		{"unknown data type", p, "hypnotoad", march1, april1, "", wearables.ErrUnsupported},
		{"empty window", p, wearables.DataSleep, april1, march1, "", wearables.ErrInvalid},
		{"no subscription key", noKey, wearables.DataSleep, march1, april1, "", wearables.ErrInvalid},
		{"garbage chunk token", p, wearables.DataSleep, march1, april1, "x", wearables.ErrInvalid},
		{"chunk past the window", p, wearables.DataSleep, march1, april1, "2", wearables.ErrInvalid},
		{"negative offset", p, wearables.DataWorkouts, march1, april1, "-3", wearables.ErrInvalid},
		{"signed offset", p, wearables.DataWorkouts, march1, april1, "+3", wearables.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.mu.Lock()
			f.requests = nil
			f.mu.Unlock()
			res, err := fetch(c.p, c.dt, c.start, c.end, c.token)
			assert.ErrorIs(t, err, c.want)
			assert.Zero(t, res.Records.Len())
			assert.Empty(t, f.requests, "a refused fetch sends no request")
		})
	}
}

// TestChunks walks a 60-day window of a 24/7 route: three requests of at
// most 28 days, tokens "1" and "2", then the end.
func TestChunks(t *testing.T) {
	f := &fakeAPI{body: "[]"}
	p := setup(t, suunto.Config{SubscriptionKey: "k"}, f)
	start := march1
	end := start.Add(60 * 24 * time.Hour)
	var tokens []string
	token := ""
	for range 5 {
		res, err := fetch(p, suunto.DataRecovery, start, end, token)
		require.NoError(t, err)
		tokens = append(tokens, res.NextPageToken)
		if token = res.NextPageToken; token == "" {
			break
		}
	}
	assert.Equal(t, []string{"1", "2", ""}, tokens)
	require.Len(t, f.requests, 3)
	ms := func(t time.Time) string { return fmt.Sprint(t.UnixMilli()) }
	for i, want := range [][2]time.Time{
		{start, start.Add(suunto.MaxWindow)},
		{start.Add(suunto.MaxWindow), start.Add(2 * suunto.MaxWindow)},
		{start.Add(2 * suunto.MaxWindow), end},
	} {
		q := f.requests[i].URL.Query()
		assert.Equal(t, "/247samples/recovery", f.requests[i].URL.Path)
		assert.Equal(t, ms(want[0]), q.Get("from"), "request %d", i)
		assert.Equal(t, ms(want[1]), q.Get("to"), "request %d", i)
	}
}

// TestStatisticsWindow checks that daily statistics are asked for whole
// UTC days with Suunto's inclusive end.
func TestStatisticsWindow(t *testing.T) {
	f := &fakeAPI{body: "[]"}
	p := setup(t, suunto.Config{SubscriptionKey: "k"}, f)
	_, err := fetch(p, suunto.DataDailyStatistics, time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC), time.Date(2024, 3, 3, 8, 0, 0, 0, time.FixedZone("", 3600)), "")
	require.NoError(t, err)
	require.Len(t, f.requests, 1)
	assert.Equal(t, url.Values{"startdate": {"2024-03-01T00:00:00"}, "enddate": {"2024-03-03T23:59:59"}}, f.requests[0].URL.Query())
}

func TestWorkoutPagination(t *testing.T) {
	f := &fakeAPI{body: `{"error":null,"payload":[
		{"activityId":1,"startTime":1709283600000,"totalTime":600,"timeOffsetInMinutes":60,"workoutKey":"a"},
		{"activityId":1,"startTime":1709287200000,"totalTime":600,"timeOffsetInMinutes":60,"workoutKey":"b"}]}`}
	p := setup(t, suunto.Config{SubscriptionKey: "k", PageSize: 2}, f)
	res, err := fetch(p, wearables.DataWorkouts, march1, april1, "")
	require.NoError(t, err)
	assert.Equal(t, "2", res.NextPageToken, "a full page announces the next offset")
	q := f.requests[0].URL.Query()
	assert.Equal(t, "2", q.Get("limit"))
	assert.False(t, q.Has("offset"), "the first page sends no offset")
	assert.Equal(t, fmt.Sprint(march1.UnixMilli()), q.Get("since"))
	assert.Equal(t, fmt.Sprint(april1.UnixMilli()), q.Get("until"))

	res, err = fetch(p, wearables.DataWorkouts, march1, april1, res.NextPageToken)
	require.NoError(t, err)
	assert.Equal(t, "2", f.requests[1].URL.Query().Get("offset"))
	assert.Equal(t, "4", res.NextPageToken)

	f.body = `{"error":{"code":"403","description":"Forbidden"},"payload":null}`
	_, err = fetch(p, wearables.DataWorkouts, march1, april1, "")
	assert.Error(t, err, "an error in a 200 envelope is an error")
}

// TestWorkoutHeartRate: hrdata.max and userMaxHR are the user's setting,
// never the workout's maximum.
func TestWorkoutHeartRate(t *testing.T) {
	p := suunto.New(suunto.Config{})
	for _, c := range []struct {
		name     string
		hrdata   string
		max, avg any
	}{
		{"workoutMaxHR wins", `{"workoutAvgHR":140,"workoutMaxHR":171,"avg":141,"hrmax":172,"max":199,"userMaxHR":199}`, 171.0, 140.0},
		{"hrmax when no workoutMaxHR", `{"avg":141,"hrmax":172,"max":199,"userMaxHR":199}`, 172.0, 141.0},
		{"only the user's setting", `{"max":199,"userMaxHR":199}`, nil, nil},
		{"zeros are no reading", `{"workoutAvgHR":0,"workoutMaxHR":0,"max":199}`, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := `{"type":"WORKOUT_CREATED","username":"u","workout":{"workoutKey":"k","activityId":1,"startTime":1702729200000,"totalTime":3600,"timeOffsetInMinutes":120,"hrdata":` + c.hrdata + `}}`
			events, err := p.ParseWebhook([]byte(body))
			require.NoError(t, err)
			require.Len(t, events, 1)
			require.NotNil(t, events[0].Records)
			w := events[0].Records.Workouts[0]
			assert.Equal(t, c.max, deref(w.MaxHR))
			assert.Equal(t, c.avg, deref(w.AvgHR))
		})
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte(`{"type":"SUUNTO_247_RECOVERY_CREATED","username":"u","samples":[]}`)
	p := suunto.New(suunto.Config{NotificationSecret: "s3cret"})
	sig := suunto.Sign("s3cret", body)
	for _, c := range []struct {
		name   string
		p      *suunto.Provider
		header string
		ok     bool
	}{
		{"valid", p, sig, true},
		{"upper-case hex", p, strings.ToUpper(sig), true},
		{"missing", p, "", false},
		{"not hex", p, "zz" + sig[2:], false},
		{"other secret", p, suunto.Sign("other", body), false},
		{"truncated", p, sig[:32], false},
		{"no secret configured", suunto.New(suunto.Config{}), suunto.Sign("", body), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/webhooks/suunto", nil)
			if c.header != "" {
				r.Header.Set(suunto.SignatureHeader, c.header)
			}
			err := c.p.VerifyWebhook(r, body)
			if c.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, wearables.ErrUnauthorized)
			}
		})
	}
}

func TestParseWebhookWithoutEvents(t *testing.T) {
	p := suunto.New(suunto.Config{})
	for _, c := range []struct {
		name string
		body string
		want error
	}{
		{"route created", `{"type":"ROUTE_CREATED","username":"u","route":{"id":"r"}}`, nil},
		{"unknown type", `{"type":"SUUNTO_247_STRESS_CREATED","username":"u","samples":[]}`, nil},
		{"no samples", `{"type":"SUUNTO_247_ACTIVITY_CREATED","username":"u","samples":[]}`, nil},
		{"not json", `type=WORKOUT_CREATED&username=u`, wearables.ErrInvalid},
		{"no type", `{"username":"u"}`, wearables.ErrInvalid},
		{"no username", `{"type":"WORKOUT_CREATED","workout":{"workoutKey":"k"}}`, wearables.ErrInvalid},
		{"no workout", `{"type":"WORKOUT_CREATED","username":"u"}`, wearables.ErrInvalid},
		{"samples missing", `{"type":"SUUNTO_247_SLEEP_CREATED","username":"u"}`, wearables.ErrInvalid},
		{"samples not a list", `{"type":"SUUNTO_247_SLEEP_CREATED","username":"u","samples":{}}`, wearables.ErrInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			events, err := p.ParseWebhook([]byte(c.body))
			if c.want != nil {
				assert.ErrorIs(t, err, c.want)
				return
			}
			assert.NoError(t, err)
			assert.Empty(t, events)
		})
	}
}

func TestProviderUserID(t *testing.T) {
	p := suunto.New(suunto.Config{})
	jwt := func(claims string) string {
		enc := base64.RawURLEncoding.EncodeToString
		return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc([]byte(claims)) + ".c2lnbmF0dXJl"
	}
	for _, c := range []struct {
		name string
		tok  *oauth2.Token
		want string
	}{
		{"token response field", (&oauth2.Token{AccessToken: jwt(`{"user":"other"}`)}).WithExtra(map[string]any{"user": "johndoe123"}), "johndoe123"},
		{"jwt claim", &oauth2.Token{AccessToken: jwt(`{"sub":"42","user":"janedoe","exp":1712016000}`)}, "janedoe"},
		{"opaque token", &oauth2.Token{AccessToken: "at-1234"}, ""},
		{"jwt without user", &oauth2.Token{AccessToken: jwt(`{"sub":"42"}`)}, ""},
		{"no token", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			id, err := p.ProviderUserID(context.Background(), http.DefaultClient, c.tok)
			if c.want == "" {
				assert.ErrorIs(t, err, wearables.ErrInvalid)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, id)
		})
	}
}

func TestNew(t *testing.T) {
	p := suunto.New(suunto.Config{PageSize: 500})
	spec := p.OAuth()
	assert.Equal(t, suunto.DefaultAuthorizeURL, spec.Endpoint.AuthURL)
	assert.Equal(t, suunto.DefaultTokenURL, spec.Endpoint.TokenURL)
	assert.Equal(t, oauth2.AuthStyleInHeader, spec.Endpoint.AuthStyle)
	assert.False(t, spec.PKCE)
	assert.Empty(t, spec.Scopes)
	assert.Equal(t, wearables.ProviderSuunto, p.ID())

	f := &fakeAPI{body: `{"error":null,"payload":[]}`}
	p = setup(t, suunto.Config{SubscriptionKey: "k", PageSize: 500}, f)
	_, err := fetch(p, wearables.DataWorkouts, march1, april1, "")
	require.NoError(t, err)
	assert.Equal(t, "100", f.requests[0].URL.Query().Get("limit"), "PageSize is capped at MaxPageSize")
	assert.Equal(t, "/v2/workouts", f.requests[0].URL.Path)
}
