package syncer_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/syncer"
)

// Garmin-style backfill (requested, tracked until pushed), inline pushes,
// delete events, the body cap, subscriptions, re-wrapping and the periodic
// sync, on SQLite.
func TestQueueFeatures(t *testing.T) {
	ctx := t.Context()
	b := sqliteBackend(t)
	var async *labAsync
	var rewraps atomic.Int32
	h := newHarness(t, b.store, 25, func(c *syncer.Config) {
		async = &labAsync{labProvider: c.Providers[0].(*labProvider)}
		c.Providers = []wearables.Provider{async}
		st := labSettings
		st.MaxWebhookBody = 1024
		st.SyncInterval = time.Minute
		c.Settings = map[wearables.ProviderID]syncer.Settings{labProviderID: st}
	})
	h.vendor.addAccount("garmin-like", 10)
	q, err := syncer.NewQueue(syncer.QueueConfig{
		Syncer: h.syncer, Database: b.db, DB: b.pool, Workers: 4, Debounce: time.Second, FetchPollInterval: 50 * time.Millisecond,
		WebhookBaseURL: "https://api.example/webhooks",
		RewrapTokens:   func(ctx context.Context) error { rewraps.Add(1); return nil },
	})
	require.NoError(t, err)
	require.NoError(t, q.Start(ctx))
	defer func() { require.NoError(t, q.Stop(context.Background())) }()
	drain := func() {
		waitFor(t, 30*time.Second, "jobs to drain", func() bool { n, _ := unfinished(t, q.Client()); return n == 0 })
	}

	c := h.connect(t, "garmin-like")
	linked := h.connect(t, "garmin-like")
	require.NoError(t, q.ConnectionCreated(ctx, c))
	drain()
	// Periodic jobs start after River's leader election.
	waitFor(t, 20*time.Second, "the subscription renewal", func() bool { _, s := async.calls(); return len(s) > 0 })
	requested, subscribed := async.calls()
	// labSettings: 5 days of history in 4-day chunks.
	require.Len(t, requested, 2)
	assert.True(t, requested[0][1].Equal(labNow), "newest first")
	assert.Equal(t, []string{"https://api.example/webhooks/lab"}, subscribed, "renewed on start")
	bfs, err := b.store.ListBackfills(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, bfs, 1)
	assert.Equal(t, wearables.BackfillRequested, bfs[0].State)

	// The vendor pushes the history: written for both linked users, and the
	// backfill is done once the pushes reach its start.
	wh := q.WebhookHandler()
	old := labNow.AddDate(0, 0, -6)
	push := labNotification{EventID: "push-1", Account: "garmin-like", Type: "workouts", Kind: "created",
		Push: []labRecord{{ID: "p-1", Start: old, Version: 1, Value: 5}, {ID: "p-2", Start: old.Add(time.Hour), Version: 1, Value: 6}}}
	assert.Equal(t, http.StatusOK, postWebhook(t, wh, push, true))
	drain()
	bfs, err = b.store.ListBackfills(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, wearables.BackfillDone, bfs[0].State)
	assert.Contains(t, workouts(t, b.store, c.UserID), "p-1")
	assert.Contains(t, workouts(t, b.store, linked.UserID), "p-2")

	// A delete event removes the record for every linked user.
	assert.Equal(t, http.StatusOK, postWebhook(t, wh, labNotification{EventID: "del-1", Account: "garmin-like", Type: "workouts", Kind: "deleted", ID: "p-1"}, true))
	drain()
	assert.NotContains(t, workouts(t, b.store, c.UserID), "p-1")
	assert.NotContains(t, workouts(t, b.store, linked.UserID), "p-1")

	// Bodies beyond the provider's cap, unknown providers, bad JSON.
	big := labNotification{EventID: strings.Repeat("x", 2048), Account: "garmin-like"}
	assert.Equal(t, http.StatusRequestEntityTooLarge, postWebhook(t, wh, big, true))
	r := httptest.NewRequest(http.MethodPost, "/nope", strings.NewReader("{}"))
	w := httptest.NewRecorder()
	wh.ServeHTTP(w, r)
	assert.Equal(t, http.StatusNotFound, w.Code)
	body := []byte("not json")
	r = httptest.NewRequest(http.MethodPost, "/lab", bytes.NewReader(body))
	r.Header.Set("X-Lab-Signature", signLab(body))
	w = httptest.NewRecorder()
	wh.ServeHTTP(w, r)
	assert.Equal(t, http.StatusBadRequest, w.Code)

	// Re-wrap after a key rotation.
	require.NoError(t, q.EnqueueRewrapTokens(ctx))
	drain()
	assert.Equal(t, int32(1), rewraps.Load())

	// The periodic sync enqueues one sync per vendor account that is due:
	// not the synced pair (the linked connection was written by its twin's
	// sync), but a connection never synced.
	h.vendor.addAccount("fresh", 3)
	h.connect(t, "fresh")
	before := countJobs(t, q.Client(), syncer.KindSync)
	_, err = q.Client().Insert(ctx, syncer.PeriodicSyncArgs{}, nil)
	require.NoError(t, err)
	drain()
	assert.Equal(t, before+1, countJobs(t, q.Client(), syncer.KindSync))
	fresh, err := b.store.ListConnections(ctx, wearables.ConnectionQuery{ProviderUserID: "fresh"})
	require.NoError(t, err)
	bfs, err = b.store.ListBackfills(ctx, fresh.Items[0].ID)
	require.NoError(t, err)
	assert.Len(t, bfs, 1, "a connection whose ConnectionCreated was lost gets its backfill")
	assert.Zero(t, countJobs(t, q.Client(), syncer.KindSync, rivertype.JobStateDiscarded, rivertype.JobStateCancelled))
}
