package syncer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/syncer"
)

// workerProc is a child worker process.
type workerProc struct {
	cmd *exec.Cmd
	log *os.File
}

func startWorker(t testing.TB, env []string, logPath string) *workerProc {
	t.Helper()
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{workerEnv + "=1"}, env...)...)
	cmd.Stdout, cmd.Stderr = f, f
	require.NoError(t, cmd.Start())
	return &workerProc{cmd: cmd, log: f}
}

func (w *workerProc) kill() {
	_ = syscall.Kill(w.cmd.Process.Pid, syscall.SIGKILL)
	_ = w.cmd.Wait()
	w.log.Close()
}

// createConnections creates n users, each with a lab connection to account
// acct-<i>, and returns the connections.
func createConnections(t testing.TB, st wearables.Store, v *labVendor, n, records int) []wearables.Connection {
	t.Helper()
	ctx := context.Background()
	conns := make([]wearables.Connection, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 8)
	for i := range conns {
		account := "acct-" + strconv.Itoa(i)
		v.addAccount(account, records)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			u := wearables.User{}
			if err := st.CreateUser(ctx, &u); err != nil {
				errs <- err
				return
			}
			conns[i] = wearables.Connection{UserID: u.ID, Provider: labProviderID, ProviderUserID: account, Status: wearables.ConnectionActive}
			if err := st.CreateConnection(ctx, &conns[i]); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	return conns
}

func ids(conns []wearables.Connection) []string {
	out := make([]string, len(conns))
	for i, c := range conns {
		out[i] = c.ID
	}
	return out
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestKillSoak: 1,000 connections × 50 records on the lab vendor (latency,
// 5 % of connections reset), 2 worker processes sharing one PostgreSQL
// queue, a random worker SIGKILLed every 2–5 s while 5 % of records are
// revised and 1 % deleted. Then: nothing missing, duplicated, stale or
// undeleted, every cursor at the vendor's maximum, no job left running.
//
// CI runs the kill phase for 45 s; the full run is
//
//	WEARABLES_SOAK_DURATION=3m go test -race -run TestKillSoak -timeout 30m ./syncer/
//
// (WEARABLES_SOAK_CONNECTIONS changes the 1,000.)
func TestKillSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	dsn := testenv.PostgresSchema(t)
	b := pgBackend(t, dsn)
	ctx := t.Context()
	v := newLabVendor(25)
	v.latency, v.resetProb = 10*time.Millisecond, 0.05
	srv := httptest.NewServer(v)
	defer srv.Close()

	n := envInt("WEARABLES_SOAK_CONNECTIONS", 1000)
	conns := createConnections(t, b.store, v, n, 50)
	s, err := syncer.New(syncer.Config{Store: b.store, Providers: []wearables.Provider{newLabProvider(srv.URL)}, Tokens: newLabTokens(b.store),
		Settings: map[wearables.ProviderID]syncer.Settings{labProviderID: labSettings}, Now: func() time.Time { return labNow }})
	require.NoError(t, err)
	q, err := syncer.NewQueue(syncer.QueueConfig{Syncer: s, Database: syncer.Postgres, DB: b.pool, Workers: -1, Debounce: time.Second})
	require.NoError(t, err)
	require.NoError(t, q.EnqueueSyncs(ctx, ids(conns), wearables.TriggerManual))

	byAccount := map[string]string{}
	for _, c := range conns {
		byAccount[c.ProviderUserID] = c.ID
	}
	env := []string{workerDSNEnv + "=" + dsn, workerVendorEnv + "=" + srv.URL}
	logPath := t.TempDir() + "/workers.log"
	workers := []*workerProc{startWorker(t, env, logPath), startWorker(t, env, logPath)}
	defer func() {
		for _, w := range workers {
			w.kill()
		}
	}()

	rng := rand.New(rand.NewPCG(1, 2))
	var revised, deleted, kills int
	start := time.Now()
	duration := envDuration("WEARABLES_SOAK_DURATION", 45*time.Second)
	// Mutations spread over the whole kill phase (one round per kill).
	rounds := max(5, int(duration/(3500*time.Millisecond)))
	for round := 0; time.Since(start) < duration; round++ {
		time.Sleep(2*time.Second + time.Duration(rng.Int64N(int64(3*time.Second))))
		i := rng.IntN(len(workers))
		workers[i].kill()
		kills++
		workers[i] = startWorker(t, env, logPath)
		if round < rounds {
			r, d, changed := v.mutate(rng, 0.05/float64(rounds), 0.01/float64(rounds))
			revised, deleted = revised+r, deleted+d
			// What the vendor's webhooks would trigger: a sync of each
			// changed account.
			var due []string
			for _, a := range changed {
				due = append(due, byAccount[a])
			}
			require.NoError(t, q.EnqueueSyncs(ctx, due, wearables.TriggerWebhook))
		}
	}
	killPhase := time.Since(start)
	// Drain: stuck jobs of killed workers are rescued (RescueStuckJobsAfter
	// plus River's 30 s rescuer interval) and retried.
	drainStart := time.Now()
	waitFor(t, 4*time.Minute, "every job to finish", func() bool {
		n, _ := unfinished(t, q.Client())
		return n == 0
	})
	drain := time.Since(drainStart)
	left, running := unfinished(t, q.Client())

	var missing, stale, zombies, dups, badCursors, records int
	snap := v.snapshot()
	max := v.maxStart()
	for i, c := range conns {
		got := workoutsCounting(t, b.store, c.UserID, &dups)
		m, st, z := checkMatches(got, snap["acct-"+strconv.Itoa(i)])
		missing, stale, zombies, records = missing+m, stale+st, zombies+z, records+len(got)
		cur, err := b.store.GetCursor(ctx, c.ID, wearables.DataWorkouts)
		if err != nil || syncer.Through(cur.Value).Before(max) || cur.Value != fmt.Sprintf(`{"through":%q}`, labNow.Format(time.RFC3339Nano)) {
			badCursors++
		}
	}
	discarded := countJobs(t, q.Client(), syncer.KindSync, rivertype.JobStateDiscarded)
	// Jobs that needed more than one attempt: killed mid-run and rescued,
	// or failed on a reset connection and retried.
	done, err := q.Client().JobList(ctx, river.NewJobListParams().Kinds(syncer.KindSync).States(rivertype.JobStateCompleted).First(10000))
	require.NoError(t, err)
	retried := 0
	for _, j := range done.Jobs {
		if j.Attempt > 1 {
			retried++
		}
	}
	summary := fmt.Sprintf("kill soak: %d connections, %d records stored, %d revised, %d deleted at the vendor; %d SIGKILLs in %s, drained in %s; "+
		"missing=%d duplicates=%d stale=%d surviving-deleted=%d bad-cursors=%d jobs-left=%d running=%d discarded=%d; "+
		"%d sync jobs completed, %d of them after more than one attempt; vendor requests=%d",
		n, records, revised, deleted, kills, killPhase.Round(time.Second), drain.Round(time.Second),
		missing, dups, stale, zombies, badCursors, left, running, discarded, len(done.Jobs), retried, v.requests.Load())
	t.Log(summary)
	fmt.Println(summary)
	assert.Zero(t, missing, "missing")
	assert.Zero(t, dups, "duplicates")
	assert.Zero(t, stale, "stale versions")
	assert.Zero(t, zombies, "surviving deleted records")
	assert.Zero(t, badCursors, "cursors not at the vendor's maximum")
	assert.Zero(t, left+running, "jobs left")
	assert.Zero(t, discarded, "jobs given up")
	assert.Positive(t, kills)
}

// workoutsCounting is workouts, counting duplicates instead of failing.
func workoutsCounting(t testing.TB, st wearables.Store, userID string, dups *int) map[string]wearables.Workout {
	t.Helper()
	out := map[string]wearables.Workout{}
	q := wearables.EventQuery{UserID: userID, Start: labEpoch.Add(-time.Hour), End: labNow.Add(time.Hour), Limit: 1000}
	for {
		p, err := st.QueryWorkouts(context.Background(), q)
		require.NoError(t, err)
		for _, w := range p.Items {
			if _, dup := out[w.ProviderRecordID]; dup {
				*dups++
			}
			out[w.ProviderRecordID] = w
		}
		if p.Next == "" {
			return out
		}
		q.Cursor = p.Next
	}
}

// TestWebhookStorm: 1,000 notifications for one connection within a second
// run at most 2 syncs (sync jobs are unique per debounce period, so a burst
// shorter than Debounce spans at most two periods). Under -race on a busy
// CI machine the 1,000 requests may take longer than a second, so the test
// uses a Debounce of 5 s and asserts the bound for any burst up to that.
func TestWebhookStorm(t *testing.T) {
	b := pgBackend(t, testenv.PostgresSchema(t))
	ctx := t.Context()
	h := newHarness(t, b.store, 25, nil)
	h.vendor.addAccount("storm", 50)
	c := h.connect(t, "storm")
	q, err := syncer.NewQueue(syncer.QueueConfig{Syncer: h.syncer, Database: b.db, DB: b.pool, Workers: 8, Debounce: 5 * time.Second, FetchPollInterval: 50 * time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, q.Start(ctx))
	defer func() { require.NoError(t, q.Stop(context.Background())) }()
	srv := httptest.NewServer(q.WebhookHandler())
	defer srv.Close()

	const total = 1000
	var wg sync.WaitGroup
	codes := make(chan int, total)
	start := time.Now()
	next := make(chan int, total)
	for i := range total {
		next <- i
	}
	close(next)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				body, _ := json.Marshal(labNotification{EventID: fmt.Sprintf("evt-%d", i), Account: "storm", Type: "workouts", Kind: "updated"})
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/lab", bytes.NewReader(body))
				req.Header.Set("X-Lab-Signature", signLab(body))
				resp, err := srv.Client().Do(req)
				if err != nil {
					codes <- 0
					continue
				}
				resp.Body.Close()
				codes <- resp.StatusCode
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(codes)
	for code := range codes {
		require.Equal(t, http.StatusOK, code)
	}
	waitFor(t, 60*time.Second, "the storm to drain", func() bool {
		n, _ := unfinished(t, q.Client())
		return n == 0
	})
	syncs := countJobs(t, q.Client(), syncer.KindSync)
	runs, err := b.store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID})
	require.NoError(t, err)
	hooks := countJobs(t, q.Client(), syncer.KindWebhook, rivertype.JobStateCompleted)
	msg := fmt.Sprintf("webhook storm: %d notifications acknowledged in %s, %d webhook jobs, %d sync jobs, %d sync runs", total, elapsed.Round(time.Millisecond), hooks, syncs, len(runs.Items))
	t.Log(msg)
	fmt.Println(msg)
	assert.Equal(t, total, hooks)
	if elapsed < 5*time.Second {
		assert.LessOrEqual(t, syncs, 2)
		assert.LessOrEqual(t, len(runs.Items), 2)
	} else {
		// A machine too loaded to send the burst within one debounce
		// period: one sync per period the burst touched.
		assert.LessOrEqual(t, syncs, int(elapsed/(5*time.Second))+2)
	}
	assert.Positive(t, syncs)
}

// TestRateLimitProcesses: 3 worker processes sharing a Redis token bucket
// against a vendor limit of 100 requests per 15 s never exceed it (the
// vendor counts every request in every sliding 15 s window) and finish the
// work.
func TestRateLimitProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	redisURL := testenv.RedisURL(t)
	dsn := testenv.PostgresSchema(t)
	b := pgBackend(t, dsn)
	ctx := t.Context()
	v := newLabVendor(25)
	v.logTimes = true
	srv := httptest.NewServer(v)
	defer srv.Close()
	// 45 connections × 3 windows: more than one budget.
	conns := createConnections(t, b.store, v, 45, 50)
	s, err := syncer.New(syncer.Config{Store: b.store, Providers: []wearables.Provider{newLabProvider(srv.URL)}, Tokens: newLabTokens(b.store),
		Settings: map[wearables.ProviderID]syncer.Settings{labProviderID: labSettings}, Now: func() time.Time { return labNow }})
	require.NoError(t, err)
	q, err := syncer.NewQueue(syncer.QueueConfig{Syncer: s, Database: syncer.Postgres, DB: b.pool, Workers: -1, Debounce: time.Second})
	require.NoError(t, err)
	require.NoError(t, q.EnqueueSyncs(ctx, ids(conns), wearables.TriggerManual))

	env := []string{workerDSNEnv + "=" + dsn, workerVendorEnv + "=" + srv.URL, workerRedisEnv + "=" + redisURL, workerLimitEnv + "=100/15s", workersEnv + "=2"}
	logPath := t.TempDir() + "/workers.log"
	var workers []*workerProc
	for range 3 {
		workers = append(workers, startWorker(t, env, logPath))
	}
	defer func() {
		for _, w := range workers {
			w.kill()
		}
	}()
	start := time.Now()
	waitFor(t, 2*time.Minute, "the work to finish", func() bool {
		n, _ := unfinished(t, q.Client())
		return n == 0
	})
	took := time.Since(start)
	times := v.requestTimes()
	worst := 0
	for i := range times {
		j := i
		for j < len(times) && times[j].Sub(times[i]) < 15*time.Second {
			j++
		}
		worst = max(worst, j-i)
	}
	var missing int
	snap := v.snapshot()
	for i, c := range conns {
		m, _, _ := checkMatches(workouts(t, b.store, c.UserID), snap["acct-"+strconv.Itoa(i)])
		missing += m
	}
	msg := fmt.Sprintf("rate limits: 3 processes, %d requests in %s, at most %d in any 15 s window (limit 100), %d records missing", len(times), took.Round(time.Second), worst, missing)
	t.Log(msg)
	fmt.Println(msg)
	assert.LessOrEqual(t, worst, 100)
	assert.Greater(t, len(times), 100, "the work needs more than one budget")
	assert.Zero(t, missing)
}
