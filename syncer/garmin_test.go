package syncer_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/garmin"
	"github.com/wearables-go/wearables/store/memstore"
	"github.com/wearables-go/wearables/syncer"
)

// garminAccount is the Garmin user of the recorded PING fixture.
const (
	garminAccount   = "4aacafe82427c251df9c9592d0c06768"
	garminPullToken = "CPT1a2b3c4d5e6f708192a3b4c5d6e7f8"
	garminClientID  = "garmin-consumer-key"
)

// fakeGarmin is the part of the Garmin Health API the syncer meets: summary
// routes that answer only windows a PING announced, with its pull token
// (else 400 InvalidPullTokenException, as Garmin does), replaying recorded
// summaries, and backfill routes answering 202, 409 for a window already
// requested and 403 for a type the user withheld history of.
type fakeGarmin struct {
	t         testing.TB
	announced map[string]string // "path?start&end" → pull token
	forbidden string            // backfill type answered 403

	mu        sync.Mutex
	pulls     []string // summary requests, as path?query
	backfills map[string]int
}

func (g *fakeGarmin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer tok-") {
		http.Error(w, `{"errorMessage":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	q := r.URL.Query()
	g.mu.Lock()
	defer g.mu.Unlock()
	if typ, ok := strings.CutPrefix(r.URL.Path, "/wellness-api/rest/backfill/"); ok {
		key := typ + "?" + q.Get("summaryStartTimeInSeconds") + "&" + q.Get("summaryEndTimeInSeconds")
		g.backfills[key]++
		switch {
		case typ == g.forbidden:
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write(body(g.t, "backfill_forbidden.json"))
		case g.backfills[key] > 1:
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write(body(g.t, "backfill_duplicate.json"))
		default:
			w.WriteHeader(http.StatusAccepted)
		}
		return
	}
	g.pulls = append(g.pulls, r.URL.Path+"?"+r.URL.RawQuery)
	window := r.URL.Path + "?" + q.Get("uploadStartTimeInSeconds") + "&" + q.Get("uploadEndTimeInSeconds")
	if tok, ok := g.announced[window]; !ok || q.Get("token") != tok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"errorMessage":"InvalidPullTokenException failure"}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body(g.t, strings.TrimPrefix(r.URL.Path, "/wellness-api/rest/")+".json"))
}

func (g *fakeGarmin) calls() (pulls []string, backfills map[string]int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	b := map[string]int{}
	for k, v := range g.backfills {
		b[k] = v
	}
	return append([]string(nil), g.pulls...), b
}

// body reads a recorded Garmin payload.
func body(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../providers/garmin/testdata/" + name)
	require.NoError(t, err)
	return b
}

// TestGarminEndToEnd runs a Garmin connection the way Garmin allows: no
// unannounced pulls (no first, scheduled or manual sync), history by
// backfill requests (409 counted as requested, 403 failing with the
// vendor's reason), and a PING's windows pulled once per vendor account
// with the ping's pull token, written for every linked user.
func TestGarminEndToEnd(t *testing.T) {
	ctx := t.Context()
	b := sqliteBackend(t)
	fake := &fakeGarmin{t: t, forbidden: "hrv", backfills: map[string]int{}, announced: map[string]string{
		"/wellness-api/rest/epochs?1710075731&1710075735":     garminPullToken,
		"/wellness-api/rest/activities?1710075731&1710075735": garminPullToken,
	}}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	g := garmin.New(garmin.Config{ClientID: garminClientID, BaseURL: srv.URL})
	s, err := syncer.New(syncer.Config{Store: b.store, Providers: []wearables.Provider{g}, Tokens: newLabTokens(b.store), HTTPClient: srv.Client()})
	require.NoError(t, err)

	st := s.Settings(wearables.ProviderGarmin)
	assert.True(t, st.NotificationOnly, "Garmin's profile: no unannounced pulls")
	assert.Equal(t, garmin.MaxWindow, st.MaxWindow)
	assert.Equal(t, int64(garmin.MaxPushBody), st.MaxWebhookBody, "Garmin requires partners to take 100 MB pushes")

	q, err := syncer.NewQueue(syncer.QueueConfig{Syncer: s, Database: b.db, DB: b.pool, Workers: 4, Debounce: time.Second,
		FetchPollInterval: 50 * time.Millisecond, PeriodicSync: false})
	require.NoError(t, err)
	require.NoError(t, q.Start(ctx))
	defer func() { require.NoError(t, q.Stop(context.Background())) }()
	drain := func() {
		t.Helper()
		waitFor(t, 30*time.Second, "jobs to drain", func() bool { n, _ := unfinished(t, q.Client()); return n == 0 })
	}

	// Two users linked to one Garmin account, activated the way
	// oauthflow.Complete does it: the first jobs commit with the
	// activation, or not at all.
	connect := func() wearables.Connection {
		u := wearables.User{}
		require.NoError(t, b.store.CreateUser(ctx, &u))
		c := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderGarmin, ProviderUserID: garminAccount, Status: wearables.ConnectionNeedsReauth}
		require.NoError(t, b.store.CreateConnection(ctx, &c))
		return c
	}
	activate := func(c wearables.Connection, fail error) error {
		c.Status = wearables.ConnectionActive
		then, err := q.ActivateConnection(ctx, c)
		require.NoError(t, err)
		return b.store.UpdateConnectionTx(ctx, c, func(ctx context.Context, tx *sql.Tx) error {
			if err := then(ctx, tx); err != nil {
				return err
			}
			return fail
		})
	}
	c1 := connect()
	boom := errors.New("crash before commit")
	require.ErrorIs(t, activate(c1, boom), boom)
	n, _ := unfinished(t, q.Client())
	assert.Zero(t, n, "a rolled-back activation leaves no jobs")
	got, err := b.store.GetConnection(ctx, c1.ID)
	require.NoError(t, err)
	assert.Equal(t, wearables.ConnectionNeedsReauth, got.Status)

	require.NoError(t, activate(c1, nil))
	c2 := connect()
	require.NoError(t, activate(c2, nil))
	assert.Zero(t, countJobs(t, q.Client(), syncer.KindSync), "no first sync: Garmin forbids unannounced pulls")
	assert.Equal(t, 2*len(g.DataTypes()), countJobs(t, q.Client(), syncer.KindBackfill), "a backfill per data type and connection")
	drain()

	// Backfills: every type requested once per window (the second
	// connection's requests are Garmin's 409s, counted as requested); HRV
	// history was withheld (403): failed, with Garmin's reason.
	pulls, backfills := fake.calls()
	assert.Empty(t, pulls, "no summary request without a PING")
	for _, c := range []wearables.Connection{c1, c2} {
		bfs, err := b.store.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		require.Len(t, bfs, len(g.DataTypes()))
		for _, bf := range bfs {
			switch bf.DataType {
			case garmin.DataHRV:
				assert.Equal(t, wearables.BackfillFailed, bf.State)
				assert.Contains(t, bf.Error, "403")
			case garmin.DataManuallyUpdatedActivities:
				assert.Equal(t, wearables.BackfillFailed, bf.State, "Garmin has no backfill of manual updates")
			default:
				assert.Equal(t, wearables.BackfillRequested, bf.State, "%s", bf.DataType)
				assert.Empty(t, bf.Error)
			}
		}
	}
	var dup int
	for k, v := range backfills {
		if !strings.HasPrefix(k, "hrv?") {
			assert.Equal(t, 2, v, "%s: one request per connection, the second a 409", k)
			dup++
		}
	}
	assert.Positive(t, dup)

	// A PING (the recorded body, its callback URLs on the fake): each
	// announced window is pulled once, with the pull token, and written for
	// both users; activityFiles (not synced) are skipped.
	wh := q.WebhookHandler()
	ping := strings.ReplaceAll(string(body(t, "webhook_ping.json")), "https://apis.garmin.com", srv.URL)
	post := func(b string, clientID string) int {
		r := httptest.NewRequest(http.MethodPost, "/garmin", strings.NewReader(b))
		r.Header.Set(garmin.ClientIDHeader, clientID)
		w := httptest.NewRecorder()
		wh.ServeHTTP(w, r)
		return w.Code
	}
	assert.Equal(t, http.StatusUnauthorized, post(ping, "another-app"))
	assert.Equal(t, http.StatusOK, post(ping, garminClientID))
	assert.Equal(t, http.StatusOK, post(ping, garminClientID), "Garmin's retry is stored once")
	drain()
	pulls, _ = fake.calls()
	require.Len(t, pulls, 2, "one pull per announced window, not per linked user: %v", pulls)
	for _, p := range pulls {
		assert.Contains(t, p, "token="+garminPullToken)
	}
	types := []wearables.SeriesType{wearables.SeriesActiveEnergy, wearables.SeriesActiveTime, wearables.SeriesDistance,
		wearables.SeriesMET, wearables.SeriesSedentaryTime, wearables.SeriesSteps}
	for _, c := range []wearables.Connection{c1, c2} {
		wos, err := b.store.QueryWorkouts(ctx, wearables.EventQuery{UserID: c.UserID, Start: time.Unix(0, 0), End: time.Now(), Limit: 100})
		require.NoError(t, err)
		assert.Len(t, wos.Items, 4, "the recorded activities, for every linked user")
		samples, err := b.store.QuerySamples(ctx, wearables.SampleQuery{UserID: c.UserID, Types: types, Start: time.Unix(0, 0), End: time.Now(), Limit: 1000})
		require.NoError(t, err)
		assert.Len(t, samples.Items, 11, "the recorded epochs, for every linked user")
	}
	// Garmin answers backfill requests like new data (pushed, or pinged
	// and pulled): the pulled summaries reach back past the requested
	// range, so those backfills are done; the others still wait.
	for _, c := range []wearables.Connection{c1, c2} {
		bfs, err := b.store.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		for _, bf := range bfs {
			switch bf.DataType {
			case wearables.DataWorkouts, garmin.DataEpochs:
				assert.Equal(t, wearables.BackfillDone, bf.State, "%s", bf.DataType)
			case garmin.DataDailies:
				assert.Equal(t, wearables.BackfillRequested, bf.State)
			}
		}
	}
	runs, err := b.store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c1.ID})
	require.NoError(t, err)
	require.Len(t, runs.Items, 2)
	for _, r := range runs.Items {
		assert.Equal(t, wearables.TriggerWebhook, r.Trigger)
		assert.Empty(t, r.Error)
	}

	// A window announced with a token Garmin no longer honours: the pull
	// is cancelled (retrying cannot help) and its run records why.
	stale := strings.ReplaceAll(ping, "uploadEndTimeInSeconds=1710075735", "uploadEndTimeInSeconds=1710075799")
	assert.Equal(t, http.StatusOK, post(stale, garminClientID))
	drain()
	assert.Equal(t, 2, countJobs(t, q.Client(), syncer.KindPull, rivertype.JobStateCancelled))
	pulls, _ = fake.calls()
	assert.Len(t, pulls, 4, "each refused pull is tried once")

	// No unannounced pulls: a manual sync is refused and the periodic sync
	// enqueues nothing for Garmin connections.
	_, err = s.SyncConnection(ctx, c1.ID, syncer.Options{})
	assert.ErrorIs(t, err, syncer.ErrNotificationOnly)
	assert.ErrorIs(t, err, wearables.ErrUnsupported)
	_, err = q.Client().Insert(ctx, syncer.PeriodicSyncArgs{}, nil)
	require.NoError(t, err)
	drain()
	assert.Zero(t, countJobs(t, q.Client(), syncer.KindSync))
	pulls, _ = fake.calls()
	assert.Len(t, pulls, 4)

	// A PUSH with one summary normalization refuses: the other is written
	// for both users, and each user's run records the refused one with its
	// reason.
	push := fmt.Sprintf(`{"bodyComps":[
		{"userId":%[1]q,"summaryId":"bc-bad","measurementTimeInSeconds":1710076500,"measurementTimeOffsetInSeconds":82800,"weightInGrams":76450},
		{"userId":%[1]q,"summaryId":"bc-good","measurementTimeInSeconds":1710076600,"measurementTimeOffsetInSeconds":-18000,"weightInGrams":76400}]}`, garminAccount)
	assert.Equal(t, http.StatusOK, post(push, garminClientID))
	drain()
	for _, c := range []wearables.Connection{c1, c2} {
		w, err := b.store.QuerySamples(ctx, wearables.SampleQuery{UserID: c.UserID, Types: []wearables.SeriesType{wearables.SeriesWeight}, Start: time.Unix(0, 0), End: time.Now(), Limit: 10})
		require.NoError(t, err)
		require.Len(t, w.Items, 1)
		runs, err := b.store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID, Limit: 1})
		require.NoError(t, err)
		require.Len(t, runs.Items, 1)
		counts := runs.Items[0].Types[garmin.DataBodyComps]
		assert.Equal(t, wearables.TriggerWebhook, runs.Items[0].Trigger)
		assert.Equal(t, 1, counts.Inserted)
		assert.Equal(t, 1, counts.Rejected)
		require.Len(t, counts.Rejections, 1, "the refused summary is kept with its reason")
		assert.Equal(t, "bc-bad", counts.Rejections[0].ProviderRecordID)
		assert.NotEmpty(t, counts.Rejections[0].Reason)
	}

	// A body above the generic 1 MiB cap (Garmin pushes up to 100 MB) is
	// taken in; this one announces nothing we sync.
	big := fmt.Sprintf(`{"moveIQActivities":[{"userId":%q,"summaryId":"m1"}],"padding":%q}`, garminAccount, strings.Repeat("x", 17<<20))
	assert.Equal(t, http.StatusOK, post(big, garminClientID))
	drain()
}

// storeDownProvider is the lab provider whose webhook secret cannot be
// read: verification fails without a verdict on the notification.
type storeDownProvider struct{ *labProvider }

func (storeDownProvider) VerifyWebhook(*http.Request, []byte) error {
	return errors.New("lab: read webhook secret: connection refused")
}

// TestWebhookVerifyErrorIsRetryable: a verification that could not be done
// (as opposed to one that failed) answers 500, so the vendor delivers the
// notification again, and nothing is stored.
func TestWebhookVerifyErrorIsRetryable(t *testing.T) {
	b := sqliteBackend(t)
	h := newHarness(t, b.store, 10, func(c *syncer.Config) {
		c.Providers = []wearables.Provider{storeDownProvider{c.Providers[0].(*labProvider)}}
	})
	q, err := syncer.NewQueue(syncer.QueueConfig{Syncer: h.syncer, Database: b.db, DB: b.pool, Workers: -1})
	require.NoError(t, err)
	code := postWebhook(t, q.WebhookHandler(), labNotification{EventID: "e-1", Account: "a", Type: "workouts", Kind: "created"}, true)
	assert.Equal(t, http.StatusInternalServerError, code)
	assert.Zero(t, countJobs(t, q.Client(), syncer.KindWebhook))
}

// zoneProbe is the lab provider recording the zone of every request, by
// vendor account.
type zoneProbe struct {
	*labProvider
	mu    sync.Mutex
	zones map[string][]string
}

func (p *zoneProbe) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	p.mu.Lock()
	name := "<nil>"
	if req.Location != nil {
		name = req.Location.String()
	}
	p.zones[req.Connection.ProviderUserID] = append(p.zones[req.Connection.ProviderUserID], name)
	p.mu.Unlock()
	return p.labProvider.Fetch(ctx, req)
}

// Fetches carry the user's time zone (for vendors that send local wall
// time), nil for a user without one: syncs and backfills alike.
func TestFetchCarriesUserZone(t *testing.T) {
	ctx := t.Context()
	var probe *zoneProbe
	h := newHarness(t, memstore.New(), 10, func(c *syncer.Config) {
		probe = &zoneProbe{labProvider: c.Providers[0].(*labProvider), zones: map[string][]string{}}
		c.Providers = []wearables.Provider{probe}
	})
	h.vendor.addAccount("kathmandu", 3)
	h.vendor.addAccount("nowhere", 3)
	c := h.connect(t, "kathmandu")
	u, err := h.full.GetUser(ctx, c.UserID)
	require.NoError(t, err)
	u.TimeZone = "Asia/Kathmandu"
	require.NoError(t, h.full.UpdateUser(ctx, u))
	_, err = h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
	require.NoError(t, err)
	plan, err := h.syncer.BackfillPlan(c)
	require.NoError(t, err)
	require.NoError(t, h.full.PutBackfills(ctx, plan, nil))
	before := len(probe.zones["kathmandu"])
	_, err = h.syncer.BackfillChunk(ctx, c.ID, wearables.DataWorkouts)
	require.NoError(t, err)
	other := h.connect(t, "nowhere")
	_, err = h.syncer.SyncConnection(ctx, other.ID, syncer.Options{})
	require.NoError(t, err)

	probe.mu.Lock()
	defer probe.mu.Unlock()
	require.Greater(t, len(probe.zones["kathmandu"]), before, "the backfill fetched")
	for _, z := range probe.zones["kathmandu"] {
		assert.Equal(t, "Asia/Kathmandu", z)
	}
	require.NotEmpty(t, probe.zones["nowhere"])
	for _, z := range probe.zones["nowhere"] {
		assert.Equal(t, "<nil>", z, "a user without a zone")
	}
}
