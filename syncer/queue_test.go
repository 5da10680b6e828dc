package syncer_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
	"github.com/wearables-go/wearables/syncer"
)

// queueBackend is a store plus the database River shares with it.
type queueBackend struct {
	store wearables.Store
	db    syncer.Database
	pool  *sql.DB
}

func sqliteBackend(t testing.TB) queueBackend {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), t.TempDir()+"/w.db", sqlitestore.WithAutoMigrate())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, syncer.Migrate(context.Background(), syncer.SQLite, s.WriterDB()))
	return queueBackend{store: s, db: syncer.SQLite, pool: s.WriterDB()}
}

func pgBackend(t testing.TB, dsn string) queueBackend {
	t.Helper()
	s, err := pgstore.Open(context.Background(), dsn, pgstore.WithAutoMigrate())
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, syncer.Migrate(context.Background(), syncer.Postgres, s.DB()))
	return queueBackend{store: s, db: syncer.Postgres, pool: s.DB()}
}

// unfinished counts jobs that are not completed, cancelled or discarded.
func unfinished(t testing.TB, c *river.Client[*sql.Tx]) (total int, running int) {
	t.Helper()
	res, err := c.JobList(context.Background(), river.NewJobListParams().States(
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled).First(10000))
	require.NoError(t, err)
	for _, j := range res.Jobs {
		if j.State == rivertype.JobStateRunning {
			running++
		}
	}
	return len(res.Jobs), running
}

func countJobs(t testing.TB, c *river.Client[*sql.Tx], kind string, states ...rivertype.JobState) int {
	t.Helper()
	p := river.NewJobListParams().Kinds(kind).First(10000)
	if len(states) > 0 {
		p = p.States(states...)
	}
	res, err := c.JobList(context.Background(), p)
	require.NoError(t, err)
	return len(res.Jobs)
}

func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func postWebhook(t testing.TB, h http.Handler, n labNotification, sign bool) int {
	t.Helper()
	body, _ := json.Marshal(n)
	r := httptest.NewRequest(http.MethodPost, "/lab", bytes.NewReader(body))
	if sign {
		r.Header.Set("X-Lab-Signature", signLab(body))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func testQueue(t *testing.T, b queueBackend) {
	ctx := t.Context()
	h := newHarness(t, b.store, 10, nil)
	h.vendor.addAccount("acct-1", 50)
	q, err := syncer.NewQueue(syncer.QueueConfig{Syncer: h.syncer, Database: b.db, DB: b.pool, Workers: 4, Debounce: time.Second, FetchPollInterval: 50 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, q.Start(ctx))
	defer func() { require.NoError(t, q.Stop(context.Background())) }()

	// A new connection: backfill statuses, backfill jobs and a first sync.
	c := h.connect(t, "acct-1")
	require.NoError(t, q.ConnectionCreated(ctx, c))
	waitFor(t, 30*time.Second, "backfill and first sync", func() bool {
		n, _ := unfinished(t, q.Client())
		return n == 0
	})
	bfs, err := b.store.ListBackfills(ctx, c.ID)
	require.NoError(t, err)
	require.Len(t, bfs, 1)
	assert.Equal(t, wearables.BackfillDone, bfs[0].State)
	assert.True(t, bfs[0].Reached.Equal(bfs[0].Start))
	assert.Len(t, workouts(t, b.store, c.UserID), 50)
	runs, err := b.store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID})
	require.NoError(t, err)
	require.NotEmpty(t, runs.Items)
	assert.Equal(t, wearables.TriggerBackfill, runs.Items[0].Trigger)

	// A webhook: stored once, acknowledged, processed into a sync.
	h.vendor.mu.Lock()
	h.vendor.accounts["acct-1"][5].Version, h.vendor.accounts["acct-1"][5].Value = 7, 77
	h.vendor.mu.Unlock()
	wh := q.WebhookHandler()
	n := labNotification{EventID: "evt-1", Account: "acct-1", Type: string(wearables.DataWorkouts), Kind: "updated"}
	assert.Equal(t, http.StatusOK, postWebhook(t, wh, n, true))
	assert.Equal(t, http.StatusOK, postWebhook(t, wh, n, true), "a vendor retry is acknowledged")
	assert.Equal(t, http.StatusUnauthorized, postWebhook(t, wh, labNotification{EventID: "evt-2", Account: "acct-1"}, false))
	waitFor(t, 30*time.Second, "the webhook's sync", func() bool {
		w := workouts(t, b.store, c.UserID)["acct-1-005"]
		return w.Version == 7
	})
	assert.Equal(t, 1, countJobs(t, q.Client(), syncer.KindWebhook), "one delivery, one job")

	// An unknown account's notification is recorded and dropped.
	assert.Equal(t, http.StatusOK, postWebhook(t, wh, labNotification{EventID: "evt-3", Account: "stranger", Type: "workouts"}, true))
	waitFor(t, 30*time.Second, "jobs to drain", func() bool {
		n, _ := unfinished(t, q.Client())
		return n == 0
	})
	assert.Equal(t, 2, countJobs(t, q.Client(), syncer.KindWebhook, rivertype.JobStateCompleted))

	// A deauthorization revokes the connection, and its jobs cancel.
	assert.Equal(t, http.StatusOK, postWebhook(t, wh, labNotification{EventID: "evt-4", Account: "acct-1", Kind: string(wearables.WebhookDeauthorize)}, true))
	waitFor(t, 30*time.Second, "revocation", func() bool {
		c, err := b.store.GetConnection(ctx, c.ID)
		return err == nil && c.Status == wearables.ConnectionRevoked
	})
	require.NoError(t, q.EnqueueSync(ctx, nil, c.ID, "", wearables.TriggerManual))
	waitFor(t, 30*time.Second, "the sync to cancel", func() bool {
		return countJobs(t, q.Client(), syncer.KindSync, rivertype.JobStateCancelled) == 1
	})
}

func TestQueueSQLite(t *testing.T) { testQueue(t, sqliteBackend(t)) }

func TestQueuePostgres(t *testing.T) { testQueue(t, pgBackend(t, testenv.PostgresSchema(t))) }
