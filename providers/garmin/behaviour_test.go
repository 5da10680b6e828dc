package garmin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/garmin"
	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/providertest"
	"github.com/wearables-go/wearables/store/memstore"
)

// setup starts the kit's fake Garmin with the suite's fixtures plus extra
// static routes, and returns the provider and an authorized client.
func setup(t *testing.T, extra ...providertest.Static) (*garmin.Provider, *providertest.Server, *http.Client) {
	t.Helper()
	s := suite()
	s.Fixtures.Static = append(s.Fixtures.Static, extra...)
	srv, err := providertest.NewServer(s.Vendor, s.Fixtures)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	p, err := newProvider(srv.Env())
	require.NoError(t, err)
	tokens := providerhttp.NewLocalTokens(srv.OAuthConfig(""), srv.IssueToken(), srv.Client())
	return p, srv, providerhttp.NewClient(tokens, srv.Client())
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

func webhookRequest(clientID string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhooks/garmin", nil)
	if clientID != "" {
		r.Header.Set(garmin.ClientIDHeader, clientID)
	}
	return r
}

func TestVerifyWebhook(t *testing.T) {
	p := garmin.New(garmin.Config{ClientID: "my-consumer-key"})
	tests := []struct {
		name    string
		p       *garmin.Provider
		header  string
		wantErr bool
	}{
		{"our client id", p, "my-consumer-key", false},
		{"another app", p, "their-consumer-key", true},
		{"a prefix of ours", p, "my-consumer", true},
		{"no header", p, "", true},
		{"no configured client id", garmin.New(garmin.Config{}), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.VerifyWebhook(webhookRequest(tt.header), []byte(`{"deregistrations":[]}`))
			if !tt.wantErr {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, wearables.ErrUnauthorized)
		})
	}
	assert.ErrorIs(t, p.VerifyWebhook(nil, nil), wearables.ErrUnauthorized)
}

func TestParseWebhookRejectsNonNotifications(t *testing.T) {
	p := garmin.New(garmin.Config{ClientID: "c"})
	for _, body := range []string{``, `null`, `[]`, `"dailies"`, `{"dailies":{"userId":"x"}}`, `{"deregistrations":"x"}`, `{"sleeps":[{"startTimeInSeconds":"soon"}]}`} {
		t.Run(body, func(t *testing.T) {
			_, err := p.ParseWebhook([]byte(body))
			assert.ErrorIs(t, err, wearables.ErrInvalid)
		})
	}
	// Summary types this provider does not sync are not errors: Garmin
	// would retry the notification for a week.
	events, err := p.ParseWebhook([]byte(`{"mct":[{"userId":"x"}],"moveIQActivities":[]}`))
	require.NoError(t, err)
	assert.Empty(t, events)
}

// A PUSH of a summary with an offset beyond ±18 h (a device set to a
// display time far from UTC) drops that summary and keeps the others.
func TestPushRejectsOffsetBeyond18h(t *testing.T) {
	p := garmin.New(garmin.Config{ClientID: "c"})
	body := `{"bodyComps":[
		{"userId":"u1","summaryId":"a","measurementTimeInSeconds":1710076500,"measurementTimeOffsetInSeconds":82800,"weightInGrams":76450},
		{"userId":"u1","summaryId":"b","measurementTimeInSeconds":1710076600,"measurementTimeOffsetInSeconds":-18000,"weightInGrams":76400}]}`
	events, err := p.ParseWebhook([]byte(body))
	require.NoError(t, err)
	require.Len(t, events, 1)
	require.NotNil(t, events[0].Records)
	require.Len(t, events[0].Records.Samples, 1)
	assert.Equal(t, wearables.Offset(-18000), events[0].Records.Samples[0].Offset)
	assert.InDelta(t, 76.4, events[0].Records.Samples[0].Value, 1e-9)
	// The dropped summary is reported, not lost without a trace.
	require.Len(t, events[0].Rejected, 1)
	assert.Equal(t, "a", events[0].Rejected[0].ProviderRecordID)
	assert.Contains(t, events[0].Rejected[0].Reason, "18")
}

// The DST night arrives TENTATIVE by PUSH, then FINAL by a pull, then the
// TENTATIVE again (a late retry): the FINAL version stays.
func TestSleepRevisionsFinalWins(t *testing.T) {
	ctx := context.Background()
	p, _, client := setup(t)
	st := memstore.New()
	u := wearables.User{}
	require.NoError(t, st.CreateUser(ctx, &u))

	events, err := p.ParseWebhook(readFile(t, "webhook_push_mixed.json"))
	require.NoError(t, err)
	var tentative *wearables.Batch
	for _, e := range events {
		if e.DataType == wearables.DataSleep {
			tentative = e.Records
		}
	}
	require.NotNil(t, tentative)
	write := func(b wearables.Batch) wearables.WriteResult {
		b.UserID = u.ID
		res, err := st.WriteBatch(ctx, &b)
		require.NoError(t, err)
		return res
	}
	write(*tentative)

	final, err := p.Fetch(ctx, wearables.FetchRequest{Client: client, DataType: wearables.DataSleep, Start: windowStart, End: windowEnd})
	require.NoError(t, err)
	assert.Equal(t, 1, write(final.Records).Sleep.Updated, "the FINAL version replaces the TENTATIVE one")
	assert.Equal(t, 1, write(*tentative).Sleep.Unchanged, "a late TENTATIVE version never overwrites the FINAL one")

	page, err := st.QuerySleep(ctx, wearables.EventQuery{UserID: u.ID, Start: windowStart.Add(-7 * 24 * time.Hour), End: windowEnd})
	require.NoError(t, err)
	var night *wearables.Sleep
	for i, s := range page.Items {
		if s.ProviderRecordID == "x4aacafe-65ed40a8" {
			night = &page.Items[i]
		}
	}
	require.NotNil(t, night)
	assert.Equal(t, int64(2), night.Version)
	assert.Equal(t, 6*time.Hour+55*time.Minute, night.End.Sub(night.Start), "the DST night is 6 h 55 min")
}

// A PING's pull token reaches Garmin: as Fetch's page token, and in the
// callback URL fetched as given.
func TestPingPullToken(t *testing.T) {
	ctx := context.Background()
	p, srv, client := setup(t)
	pings, err := garmin.ParsePings(readFile(t, "webhook_ping.json"))
	require.NoError(t, err)
	require.Len(t, pings, 2)
	ping := pings[0]
	assert.Equal(t, garmin.DataEpochs, ping.DataType)
	assert.Equal(t, userID, ping.UserID)
	assert.Equal(t, "CPT1a2b3c4d5e6f708192a3b4c5d6e7f8", ping.PullToken)
	assert.Equal(t, pingStart, ping.Start)
	assert.Equal(t, pingEnd, ping.End)

	res, err := p.Fetch(ctx, wearables.FetchRequest{Client: client, DataType: ping.DataType, Start: ping.Start, End: ping.End, PageToken: ping.PullToken})
	require.NoError(t, err)
	assert.NotEmpty(t, res.Records.Samples)
	assert.Empty(t, res.NextPageToken, "Garmin does not paginate")
	reqs := srv.Requests()
	assert.Equal(t, ping.PullToken, reqs[len(reqs)-1].Query.Get("token"))

	callback := strings.Replace(ping.CallbackURL, garmin.DefaultBaseURL, srv.URL, 1)
	dt, res2, err := p.FetchCallback(ctx, client, callback)
	require.NoError(t, err)
	assert.Equal(t, garmin.DataEpochs, dt)
	assert.Equal(t, res.Records.Samples, res2.Records.Samples)
	reqs = srv.Requests()
	assert.Equal(t, ping.PullToken, reqs[len(reqs)-1].Query.Get("token"))

	// A forged callback URL cannot send the user's token elsewhere.
	_, _, err = p.FetchCallback(ctx, client, ping.CallbackURL)
	assert.ErrorIs(t, err, providerhttp.ErrForeignURL)
	_, _, err = p.FetchCallback(ctx, client, srv.URL+"/wellness-api/rest/activityFile?id=1&token=x")
	assert.ErrorIs(t, err, wearables.ErrUnsupported)
}

func TestFetchWindow(t *testing.T) {
	ctx := context.Background()
	empty := providertest.Static{Path: "/wellness-api/rest/hrv", File: "empty.json",
		Query: map[string]string{"uploadStartTimeInSeconds": "1710000000", "uploadEndTimeInSeconds": "1710000060"}}
	p, _, client := setup(t, empty)
	tests := []struct {
		name       string
		dt         wearables.DataType
		start, end time.Time
		want       error
	}{
		{"longer than 24 h", garmin.DataDailies, windowStart, windowStart.Add(24*time.Hour + time.Second), wearables.ErrInvalid},
		{"empty window", garmin.DataDailies, windowStart, windowStart, wearables.ErrInvalid},
		{"unknown data type", "steps", windowStart, windowEnd, wearables.ErrUnsupported},
		{"permissions are not a feed", garmin.DataPermissions, windowStart, windowEnd, wearables.ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Fetch(ctx, wearables.FetchRequest{Client: client, DataType: tt.dt, Start: tt.start, End: tt.end})
			assert.ErrorIs(t, err, tt.want)
		})
	}
	t.Run("an empty list", func(t *testing.T) {
		res, err := p.Fetch(ctx, wearables.FetchRequest{Client: client, DataType: garmin.DataHRV,
			Start: time.Unix(1710000000, 0), End: time.Unix(1710000059, 500)})
		require.NoError(t, err)
		assert.Zero(t, res.Records.Len())
		assert.Empty(t, res.Rejected)
	})
}

func TestRequestBackfill(t *testing.T) {
	ctx := context.Background()
	// 100 days of dailies are two requests: 90 days, then 10.
	mid := backfillStart.Add(90 * 24 * time.Hour)
	end := backfillStart.Add(100 * 24 * time.Hour)
	q := func(from, to time.Time) map[string]string {
		return map[string]string{"summaryStartTimeInSeconds": strconv.FormatInt(from.Unix(), 10), "summaryEndTimeInSeconds": strconv.FormatInt(to.Unix(), 10)}
	}
	p, srv, client := setup(t,
		providertest.Static{Path: "/wellness-api/rest/backfill/epochs", Query: q(backfillStart, mid), Status: http.StatusAccepted},
		providertest.Static{Path: "/wellness-api/rest/backfill/epochs", Query: q(mid, end), Status: http.StatusAccepted},
	)
	require.NoError(t, p.RequestBackfill(ctx, client, garmin.DataEpochs, backfillStart, end))
	n := 0
	for _, r := range srv.Requests() {
		if r.Static && r.Path == "/wellness-api/rest/backfill/epochs" {
			n++
		}
	}
	assert.Equal(t, 2, n)
	assert.Empty(t, srv.Misses())

	err := p.RequestBackfill(ctx, client, wearables.DataWorkouts, backfillStart, backfillEnd)
	var be *garmin.BackfillError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, wearables.DataWorkouts, be.DataType)
	assert.ErrorIs(t, err, wearables.ErrConflict)
	assert.NotErrorIs(t, err, garmin.ErrNoHistoricalPermission)
	assert.Contains(t, err.Error(), "duplicate backfill")

	err = p.RequestBackfill(ctx, client, wearables.DataSleep, backfillStart, backfillEnd)
	assert.ErrorIs(t, err, garmin.ErrNoHistoricalPermission)
	assert.ErrorIs(t, err, wearables.ErrUnsupported)
	assert.NotErrorIs(t, err, wearables.ErrConflict)

	assert.ErrorIs(t, p.RequestBackfill(ctx, client, garmin.DataManuallyUpdatedActivities, backfillStart, backfillEnd), wearables.ErrUnsupported)
	assert.ErrorIs(t, p.RequestBackfill(ctx, client, garmin.DataDailies, backfillEnd, backfillStart), wearables.ErrInvalid)
}

func TestPermissions(t *testing.T) {
	ctx := context.Background()
	p, _, client := setup(t)
	perms, err := p.Permissions(ctx, client)
	require.NoError(t, err)
	assert.Contains(t, perms, "HISTORICAL_DATA_EXPORT")

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"permissions":["ACTIVITY_EXPORT"]}`))
	}))
	defer srv.Close()
	perms, err = garmin.New(garmin.Config{BaseURL: srv.URL}).Permissions(ctx, srv.Client())
	require.NoError(t, err)
	assert.Equal(t, []string{"ACTIVITY_EXPORT"}, perms)
}

func TestWorkoutType(t *testing.T) {
	tests := map[string]wearables.WorkoutType{
		"RUNNING":                       wearables.WorkoutRunning,
		"lap_swimming":                  wearables.WorkoutSwimmingPool,
		"Stand-Up Paddleboarding_V2":    wearables.WorkoutStandUpPaddling,
		"PADDELBALL":                    wearables.WorkoutPadel,
		"RESORT_SKIING_SNOWBOARDING_WS": wearables.WorkoutAlpineSkiing,
		"HANG_GLIDING":                  wearables.WorkoutOther,
		"":                              wearables.WorkoutOther,
	}
	for in, want := range tests {
		assert.Equal(t, want, garmin.WorkoutType(in), in)
	}
}
