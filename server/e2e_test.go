package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/providers/demo"
	"github.com/wearables-go/wearables/server"
	"github.com/wearables-go/wearables/syncer"
)

func TestEndToEndSQLite(t *testing.T) { walk(t, newEnv(t, envOpts{})) }

func TestEndToEndPostgres(t *testing.T) { walk(t, newEnv(t, envOpts{postgres: true})) }

// walk is the newcomer's path: app + key → user → authorize the demo
// provider → consent → callback → sync → queries → resample and merge →
// disconnect → purge, every response checked against the OpenAPI document.
func walk(t *testing.T, e *env) {
	ctx := context.Background()
	e.contract = newContract(t, e)
	tn := e.newTenant("walker-" + wearables.NewID() + "@example.com")

	r := e.do("POST", "/api/v1/users", tn.key, map[string]any{"external_id": "alice", "time_zone": "Asia/Kathmandu"})
	require.Equal(t, 201, r.status, string(r.body))
	var u wearables.User
	r.json(t, &u)
	assert.Equal(t, tn.appID, u.AppID)

	r = e.do("GET", "/api/v1/users?external_id=alice", tn.key, nil)
	require.Equal(t, 200, r.status)
	var users wearables.Page[wearables.User]
	r.json(t, &users)
	require.Len(t, users.Items, 1)
	assert.Equal(t, u.ID, users.Items[0].ID)

	r = e.do("GET", "/api/v1/providers", tn.key, nil)
	require.Equal(t, 200, r.status)
	assert.Contains(t, string(r.body), `"demo"`)

	// Authorize → the demo vendor's consent page → approve → our callback.
	r = e.do("POST", "/api/v1/oauth/demo/authorize", tn.key, map[string]any{"user_id": u.ID, "redirect_uri": "https://app.example/connected", "error_redirect_uri": "https://app.example/failed"})
	require.Equal(t, 200, r.status, string(r.body))
	var az server.Authorization
	r.json(t, &az)
	require.True(t, strings.HasPrefix(az.URL, e.url+"/demo/oauth/authorize?"), az.URL)
	r = e.do("GET", az.URL, "", nil)
	require.Equal(t, 200, r.status, "consent page")
	au, err := url.Parse(az.URL)
	require.NoError(t, err)
	form := au.Query()
	form.Set("decision", "approve")
	res, err := e.client.PostForm(e.url+"/demo/oauth/authorize", form)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	cb := res.Header.Get("Location")
	require.True(t, strings.HasPrefix(cb, e.url+"/api/v1/oauth/demo/callback?"), cb)
	r = e.do("GET", cb, "", nil)
	require.Equal(t, http.StatusFound, r.status, string(r.body))
	back, err := url.Parse(r.header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, "app.example", back.Host)
	assert.Equal(t, "/connected", back.Path)
	connID := back.Query().Get("connection_id")
	require.NotEmpty(t, connID)
	assert.Equal(t, u.ID, back.Query().Get("user_id"))

	r = e.do("GET", cb, "", nil)
	assert.Equal(t, 400, r.status, "a replayed callback is refused")

	// The connection's history and first sync were queued with its
	// activation: a pending backfill per data type, and their jobs.
	bfs, err := e.store.ListBackfills(t.Context(), connID)
	require.NoError(t, err)
	assert.NotEmpty(t, bfs)
	jobs, err := e.queue.Client().JobList(t.Context(), river.NewJobListParams().Kinds(syncer.KindSync, syncer.KindBackfill).First(100))
	require.NoError(t, err)
	assert.Len(t, jobs.Jobs, len(bfs)+1, "a backfill job per data type and a first sync")

	r = e.do("GET", "/api/v1/users/"+u.ID+"/connections", tn.key, nil)
	require.Equal(t, 200, r.status)
	var conns wearables.Page[wearables.Connection]
	r.json(t, &conns)
	require.Len(t, conns.Items, 1)
	assert.Equal(t, wearables.ConnectionActive, conns.Items[0].Status)

	// Sync (waiting for it), then query.
	r = e.do("POST", "/api/v1/users/"+u.ID+"/connections/"+connID+"/sync?wait=true", tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	var sr server.SyncResult
	r.json(t, &sr)
	require.Equal(t, "finished", sr.Status, sr.Error)
	require.NotEmpty(t, sr.RunID)
	r = e.do("GET", "/api/v1/users/"+u.ID+"/connections/"+connID+"/runs", tn.key, nil)
	require.Equal(t, 200, r.status)
	assert.Contains(t, string(r.body), sr.RunID)
	r = e.do("GET", "/api/v1/sync-runs", tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Contains(t, string(r.body), sr.RunID, "global runs of the application")
	r = e.do("GET", "/api/v1/users/"+u.ID+"/sync-runs", tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Contains(t, string(r.body), sr.RunID, "runs of the user")

	now := time.Now().UTC()
	dayAgo := now.Add(-24 * time.Hour)
	q := "start=" + url.QueryEscape(dayAgo.Format(time.RFC3339)) + "&end=" + url.QueryEscape(now.Format(time.RFC3339))
	var samples wearables.Page[wearables.Sample]
	r = e.do("GET", "/api/v1/users/"+u.ID+"/samples?types=heart_rate&limit=100&"+q, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	r.json(t, &samples)
	require.Len(t, samples.Items, 100, "a day of 1-minute heart rate, first page")
	require.NotEmpty(t, samples.Next)
	r = e.do("GET", "/api/v1/users/"+u.ID+"/samples?types=heart_rate&limit=100&cursor="+url.QueryEscape(samples.Next)+"&"+q, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	var page2 wearables.Page[wearables.Sample]
	r.json(t, &page2)
	require.NotEmpty(t, page2.Items)
	assert.True(t, page2.Items[0].Start.After(samples.Items[99].Start) || page2.Items[0].Start.Equal(samples.Items[99].Start))

	// Unix seconds work as well as RFC 3339.
	qUnix := "start=" + itoa(dayAgo.Unix()) + "&end=" + itoa(now.Unix())
	var series struct{ Items []normalize.Series }
	r = e.do("GET", "/api/v1/users/"+u.ID+"/series?types=heart_rate,steps&resolution=1h&"+qUnix, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	r.json(t, &series)
	require.NotEmpty(t, series.Items)
	for _, s := range series.Items {
		for _, b := range s.Buckets {
			assert.Equal(t, time.Hour, b.End.Sub(b.Start), "1 h buckets")
		}
	}
	hr := series.Items[0]
	require.Equal(t, wearables.SeriesHeartRate, hr.Type)
	assert.InDelta(t, 24, len(hr.Buckets), 1, "a day in hourly buckets")

	r = e.do("GET", "/api/v1/users/"+u.ID+"/series?types=heart_rate&resolution=1h&merged=true&"+q, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	series.Items = nil
	r.json(t, &series)
	require.Len(t, series.Items, 1, "merged: one series")
	require.NotEmpty(t, series.Items[0].Buckets)
	assert.NotEmpty(t, series.Items[0].Buckets[0].Sources, "each merged bucket names its source")

	week := "start=" + url.QueryEscape(now.Add(-7*24*time.Hour).Format(time.RFC3339)) + "&end=" + url.QueryEscape(now.Format(time.RFC3339))
	r = e.do("GET", "/api/v1/users/"+u.ID+"/workouts?"+week, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	var wos wearables.Page[wearables.Workout]
	r.json(t, &wos)
	r = e.do("GET", "/api/v1/users/"+u.ID+"/sleep?"+week, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	var sleeps wearables.Page[wearables.Sleep]
	r.json(t, &sleeps)
	assert.NotEmpty(t, sleeps.Items, "two days of demo data hold a night")
	r = e.do("GET", "/api/v1/users/"+u.ID+"/sleep?merged=true&"+week, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users/"+u.ID+"/summaries", tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users/"+u.ID+"/scores", tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users/"+u.ID+"/daily-totals?type=steps", tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users/"+u.ID+"/sources", tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Contains(t, string(r.body), `"demo"`)

	r = e.do("PUT", "/api/v1/users/"+u.ID+"/priorities", tn.key, map[string]any{"items": []map[string]any{{"data_type": "heart_rate", "providers": []string{"demo", "applehealth"}}}})
	require.Equal(t, 200, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users/"+u.ID+"/priorities", tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Contains(t, string(r.body), `"applehealth"`)

	// A push token pushes one user's HealthKit batch; it is no API key.
	r = e.do("POST", "/api/v1/users/"+u.ID+"/push-tokens", tn.key, nil)
	require.Equal(t, 201, r.status, string(r.body))
	var pt server.PushToken
	r.json(t, &pt)
	r = e.do("GET", "/api/v1/users/"+u.ID, pt.Token, nil)
	assert.Equal(t, 401, r.status, "a push token opens nothing but /push")
	r = e.do("POST", "/api/v1/push", tn.key, map[string]any{"platform": "healthkit"})
	assert.Equal(t, 401, r.status, "an API key cannot push")
	push, err := os.ReadFile("../providers/applehealth/testdata/push_healthkit.json")
	require.NoError(t, err)
	r = e.do("POST", "/api/v1/push", pt.Token, push)
	require.Equal(t, 200, r.status, string(r.body))
	var pr server.PushReport
	r.json(t, &pr)
	assert.Positive(t, pr.Written.Total().Inserted, "the push batch was written")
	r = e.do("POST", "/api/v1/push", pt.Token, push)
	require.Equal(t, 200, r.status, string(r.body))
	r.json(t, &pr)
	assert.Zero(t, pr.Written.Total().Inserted, "pushing the same batch again changes nothing")

	// The Apple Health export upload streams into the importer.
	export, err := os.Open("../providers/applehealth/testdata/export_kinds.xml")
	require.NoError(t, err)
	req, err := http.NewRequest("POST", e.url+"/api/v1/users/"+u.ID+"/imports/apple-health", export)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tn.key)
	req.Header.Set("Content-Type", "application/xml")
	res, err = e.client.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	export.Close()
	require.NoError(t, err)
	require.Equal(t, 200, res.StatusCode, string(body))
	e.contract.check(t, "POST", req.URL.String(), res.StatusCode, res.Header, body)
	var ir server.ImportReport
	require.NoError(t, json.Unmarshal(body, &ir))
	assert.Positive(t, ir.Written.Total().Inserted)
	assert.Positive(t, ir.Stats.Records)

	// Vendor webhooks: signed ones are stored, others refused; GET is the
	// subscription handshake, which the demo vendor does not have.
	nb, err := json.Marshal(demo.Notification{EventID: "ev-1", AccountID: conns.Items[0].ProviderUserID, DataType: wearables.DataSleep, Event: "created"})
	require.NoError(t, err)
	for _, c := range []struct {
		secret string
		want   int
	}{{"whsec-demo", 200}, {"whsec-demo", 200}, {"wrong", 401}} {
		req, err := http.NewRequest("POST", e.url+"/webhooks/demo", bytes.NewReader(nb))
		require.NoError(t, err)
		for k, v := range demo.SignWebhook(c.secret, time.Now(), nb) {
			req.Header[k] = v
		}
		res, err := e.client.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, c.want, res.StatusCode, "webhook signed with %q", c.secret)
	}
	r = e.do("GET", "/webhooks/demo", "", nil)
	assert.Equal(t, 405, r.status)
	r = e.do("POST", "/webhooks/nosuch", "", "{}")
	assert.Equal(t, 404, r.status)

	// Disconnect revokes at the vendor; records stay until the purge.
	r = e.do("DELETE", "/api/v1/users/"+u.ID+"/connections/"+connID, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	var c wearables.Connection
	r.json(t, &c)
	assert.Equal(t, wearables.ConnectionRevoked, c.Status)
	_, err = e.store.GetToken(ctx, connID)
	assert.ErrorIs(t, err, wearables.ErrNotFound, "token deleted")

	r = e.do("DELETE", "/api/v1/users/"+u.ID, tn.key, nil)
	require.Equal(t, 200, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users/"+u.ID, tn.key, nil)
	assert.Equal(t, 404, r.status)
	src, err := e.store.ListSources(ctx, u.ID)
	require.NoError(t, err)
	assert.Empty(t, src, "nothing of the user remains")
	ps, err := e.store.QuerySamples(ctx, wearables.SampleQuery{UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate}, Start: now.Add(-30 * 24 * time.Hour), End: now.Add(time.Hour)})
	require.NoError(t, err)
	assert.Empty(t, ps.Items)
	cs, err := e.store.ListConnections(ctx, wearables.ConnectionQuery{UserID: u.ID})
	require.NoError(t, err)
	assert.Empty(t, cs.Items)
	_, err = e.store.GetConnection(ctx, connID)
	assert.ErrorIs(t, err, wearables.ErrNotFound)

	assert.GreaterOrEqual(t, len(e.contract.seen), 20, "operations validated: %v", e.contract.seen)

	// No credential, code or state ever reaches a log line.
	logs := e.logs.String()
	require.NotEmpty(t, logs)
	for name, secret := range map[string]string{
		"API key": tn.key, "developer token": tn.devToken, "push token": pt.Token,
		"OAuth code": au.Query().Get("code") + back.Query().Get("code"), "state": au.Query().Get("state"),
		"password": "correct horse battery",
	} {
		if secret == "" {
			continue
		}
		assert.NotContains(t, logs, secret, "the %s appears in the logs", name)
	}
	cbURL, err := url.Parse(cb)
	require.NoError(t, err)
	assert.NotContains(t, logs, cbURL.Query().Get("code"), "the callback's code appears in the logs")
	assert.NotContains(t, logs, cbURL.Query().Get("state"), "the callback's state appears in the logs")
	assert.Contains(t, logs, `"request_id"`)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestNotificationOnlySync: a Garmin connection cannot be synced on demand
// (Garmin allows only the pulls its notifications announce): 409 with the
// reason, nothing queued, nothing sent.
func TestNotificationOnlySync(t *testing.T) {
	e := newEnv(t, envOpts{garmin: true})
	tn := e.newTenant("garmin-" + wearables.NewID() + "@example.com")
	r := e.do("POST", "/api/v1/users", tn.key, map[string]any{"external_id": "gary"})
	require.Equal(t, 201, r.status, string(r.body))
	var u wearables.User
	r.json(t, &u)
	c := wearables.Connection{UserID: u.ID, Provider: wearables.ProviderGarmin, ProviderUserID: "4aacafe82427c251df9c9592d0c06768", Status: wearables.ConnectionActive}
	require.NoError(t, e.store.CreateConnection(t.Context(), &c))

	for _, q := range []string{"", "?wait=true"} {
		r = e.do("POST", "/api/v1/users/"+u.ID+"/connections/"+c.ID+"/sync"+q, tn.key, nil)
		require.Equal(t, http.StatusConflict, r.status, string(r.body))
		assert.Contains(t, string(r.body), "arrives by webhook")
	}
	jobs, err := e.queue.Client().JobList(t.Context(), river.NewJobListParams().Kinds(syncer.KindSync).First(10))
	require.NoError(t, err)
	assert.Empty(t, jobs.Jobs)
	runs, err := e.store.ListSyncRuns(t.Context(), wearables.SyncRunQuery{ConnectionID: c.ID})
	require.NoError(t, err)
	assert.Empty(t, runs.Items)
}
