package syncer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/wearables-go/wearables"
)

// Database says which database River's tables live in.
type Database int

// Databases.
const (
	// Postgres: riverdatabasesql over a lib/pq pool (pgstore.Store.DB()).
	Postgres Database = iota + 1
	// SQLite: riversqlite over the store's single-connection writer pool
	// (sqlitestore.Store.WriterDB()).
	SQLite
)

// QueueConfig configures a Queue.
type QueueConfig struct {
	// Syncer does the work. Required.
	Syncer *Syncer
	// Database and DB are where River's tables live: the same database as
	// the store, so jobs commit in the store's transactions. Required.
	Database Database
	DB       *sql.DB
	// Workers is how many jobs of the default queue run at once in this
	// process; 0 means 10. A negative value makes an insert-only queue (a web
	// process that enqueues but does not work).
	Workers int
	// BackfillWorkers is how many backfill jobs run at once; 0 means 2.
	BackfillWorkers int
	// Debounce groups sync triggers: sync jobs are unique per connection,
	// data type and Debounce period and start at the end of their period, so
	// a storm of webhooks for one connection runs one sync per period.
	// Whole seconds, at least 1 s. Defaults to 2 s.
	Debounce time.Duration
	// PeriodicSync enables the periodic job that enqueues syncs of pull-mode
	// connections every SyncInterval (Settings). Only River's elected leader
	// schedules it, so any number of processes run one schedule.
	PeriodicSync bool
	// WebhookBaseURL is the public URL the webhook handler is mounted at
	// (e.g. "https://api.example.com/webhooks"); with it, the daily
	// renew-subscriptions job keeps vendor subscriptions pointing at
	// WebhookBaseURL + "/" + provider.
	WebhookBaseURL string
	// RewrapTokens, when set, is what the re-wrap-tokens job runs after a
	// key rotation, e.g. a closure over oauthflow.RewrapTokens (which re-wraps
	// the store's app secrets too, such as Polar's webhook secret).
	RewrapTokens func(ctx context.Context) error
	// JobTimeout bounds one job run. Defaults to 10 minutes.
	JobTimeout time.Duration
	// RescueStuckJobsAfter is how long a job may stay running before River
	// assumes its worker died (kill -9, lost machine) and retries it. Must
	// exceed JobTimeout. Defaults to JobTimeout + 1 minute.
	RescueStuckJobsAfter time.Duration
	// FetchCooldown and FetchPollInterval tune River's job fetching (see
	// reference/river.md). Default to 5 ms and 200 ms: the PostgreSQL
	// driver is poll-only.
	FetchCooldown     time.Duration
	FetchPollInterval time.Duration
	// ID names this process in River's tables. Defaults to River's.
	ID string
	// Logger receives River's logs. Defaults to the Syncer's.
	Logger *slog.Logger
}

// Queue runs the syncer's jobs on River: sync connection, backfill,
// process webhook, periodic sync, renew subscriptions and re-wrap tokens.
// Any number of processes on any number of machines may run a Queue on one
// PostgreSQL database; they share its jobs. A Queue is safe for concurrent
// use.
type Queue struct {
	s        *Syncer
	client   *river.Client[*sql.Tx]
	debounce time.Duration
	webhooks string
	rewrap   func(ctx context.Context) error
	log      *slog.Logger
}

func driverFor(db Database, pool *sql.DB) (riverdriver.Driver[*sql.Tx], error) {
	switch {
	case pool == nil:
	case db == Postgres:
		return riverdatabasesql.New(pool), nil
	case db == SQLite:
		return riversqlite.New(pool), nil
	}
	return nil, &wearables.ValidationError{Index: -1, Field: "Database", Reason: "need Postgres or SQLite and a *sql.DB"}
}

// Migrate creates or upgrades River's own tables with River's migrator.
// The store's tables are the store's own migrations' business.
func Migrate(ctx context.Context, db Database, pool *sql.DB) error {
	d, err := driverFor(db, pool)
	if err != nil {
		return fmt.Errorf("syncer: migrate: %w", err)
	}
	m, err := rivermigrate.New(d, nil)
	if err != nil {
		return fmt.Errorf("syncer: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("syncer: migrate: %w", err)
	}
	return nil
}

// NewQueue builds a Queue; call Migrate first and Start to work jobs.
// Errors match wearables.ErrInvalid for a bad config.
func NewQueue(cfg QueueConfig) (*Queue, error) {
	if cfg.Syncer == nil {
		return nil, fmt.Errorf("syncer: new queue: %w", &wearables.ValidationError{Index: -1, Field: "Syncer", Reason: "required"})
	}
	d, err := driverFor(cfg.Database, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("syncer: new queue: %w", err)
	}
	q := &Queue{s: cfg.Syncer, debounce: cfg.Debounce, webhooks: cfg.WebhookBaseURL, rewrap: cfg.RewrapTokens, log: cfg.Logger}
	if q.debounce <= 0 {
		q.debounce = 2 * time.Second
	}
	q.debounce = max(q.debounce, time.Second).Truncate(time.Second) // River's unique periods are whole seconds
	if q.log == nil {
		q.log = cfg.Syncer.log
	}
	timeout := cfg.JobTimeout
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	rescue := cfg.RescueStuckJobsAfter
	if rescue <= 0 {
		rescue = timeout + time.Minute
	}
	rc := &river.Config{
		ID:                   cfg.ID,
		Logger:               q.log,
		JobTimeout:           timeout,
		RescueStuckJobsAfter: rescue,
		FetchCooldown:        cfg.FetchCooldown,
		FetchPollInterval:    cfg.FetchPollInterval,
		RetryPolicy:          retryPolicy{},
		MaxAttempts:          25,
	}
	if rc.FetchCooldown <= 0 {
		rc.FetchCooldown = 5 * time.Millisecond
	}
	if rc.FetchPollInterval <= 0 {
		rc.FetchPollInterval = 200 * time.Millisecond
	}
	if cfg.Workers >= 0 {
		workers := river.NewWorkers()
		river.AddWorker(workers, &syncWorker{q: q})
		river.AddWorker(workers, &pullWorker{q: q})
		river.AddWorker(workers, &backfillWorker{q: q})
		river.AddWorker(workers, &webhookWorker{q: q})
		river.AddWorker(workers, &periodicWorker{q: q})
		river.AddWorker(workers, &renewWorker{q: q})
		river.AddWorker(workers, &rewrapWorker{q: q})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{
			QueueDefault:  {MaxWorkers: cmpOr(cfg.Workers, 10)},
			QueueBackfill: {MaxWorkers: cmpOr(cfg.BackfillWorkers, 2)},
		}
		if cfg.PeriodicSync {
			every := time.Hour
			for id := range cfg.Syncer.providers {
				every = min(every, cfg.Syncer.Settings(id).SyncInterval)
			}
			rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(every),
				func() (river.JobArgs, *river.InsertOpts) { return PeriodicSyncArgs{}, nil }, &river.PeriodicJobOpts{ID: KindPeriodicSync}))
		}
		if cfg.WebhookBaseURL != "" {
			for id, p := range cfg.Syncer.providers {
				if _, ok := p.(wearables.SubscriptionManager); ok {
					rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
						func() (river.JobArgs, *river.InsertOpts) { return RenewSubscriptionsArgs{Provider: id}, nil },
						&river.PeriodicJobOpts{ID: KindRenewSubscriptions + "_" + string(id), RunOnStart: true}))
				}
			}
		}
	}
	client, err := river.NewClient(d, rc)
	if err != nil {
		return nil, fmt.Errorf("syncer: new queue: %w", err)
	}
	q.client = client
	return q, nil
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// Client returns the underlying River client (to list jobs, subscribe to
// events, insert jobs of the application's own kinds).
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// Start starts working jobs until Stop. It returns at once.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("syncer: start queue: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish, or for ctx
// to end (running jobs are then cancelled; River retries them later).
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = q.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	if err != nil {
		return fmt.Errorf("syncer: stop queue: %w", err)
	}
	return nil
}

// syncOpts are the insert options of a sync job triggered at t: it starts
// at the end of t's debounce period and is unique within it.
func (q *Queue) syncOpts(t time.Time, connectionID string) *river.InsertOpts {
	return &river.InsertOpts{
		Priority:    2, // after webhook jobs, which may still add to this sync's period
		Tags:        []string{connectionTag(connectionID)},
		ScheduledAt: ceilTo(t, q.debounce),
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByPeriod: q.debounce, ByState: activeStates},
	}
}

// EnqueueSync inserts a sync job of a connection (one data type, or all
// when dt is empty). A job already queued for the same connection, data
// type and debounce period absorbs it. tx, when non-nil, is a transaction
// on the queue's database: the job commits with it.
func (q *Queue) EnqueueSync(ctx context.Context, tx *sql.Tx, connectionID string, dt wearables.DataType, trigger wearables.SyncTrigger) error {
	return q.enqueueSyncAt(ctx, tx, connectionID, dt, trigger, time.Now())
}

func (q *Queue) enqueueSyncAt(ctx context.Context, tx *sql.Tx, connectionID string, dt wearables.DataType, trigger wearables.SyncTrigger, at time.Time) error {
	args := SyncArgs{ConnectionID: connectionID, DataType: dt, Trigger: trigger}
	var err error
	if tx != nil {
		_, err = q.client.InsertTx(ctx, tx, args, q.syncOpts(at, connectionID))
	} else {
		_, err = q.client.Insert(ctx, args, q.syncOpts(at, connectionID))
	}
	if err != nil {
		return fmt.Errorf("syncer: enqueue sync %s: %w", connectionID, err)
	}
	return nil
}

// EnqueueSyncs inserts sync jobs of many connections in one statement.
func (q *Queue) EnqueueSyncs(ctx context.Context, connectionIDs []string, trigger wearables.SyncTrigger) error {
	now := time.Now()
	for len(connectionIDs) > 0 {
		n := min(len(connectionIDs), 500)
		params := make([]river.InsertManyParams, n)
		for i, id := range connectionIDs[:n] {
			params[i] = river.InsertManyParams{Args: SyncArgs{ConnectionID: id, Trigger: trigger}, InsertOpts: q.syncOpts(now, id)}
		}
		if _, err := q.client.InsertMany(ctx, params); err != nil {
			return fmt.Errorf("syncer: enqueue syncs: %w", err)
		}
		connectionIDs = connectionIDs[n:]
	}
	return nil
}

// ConnectionCreated starts a new connection's history: it records a
// pending backfill status per data type and inserts the backfill jobs and
// a first sync (none for NotificationOnly vendors, whose data arrives by
// webhook) in the same transaction, so the jobs exist exactly when the
// statuses do. Call it right after an active connection is stored by other
// means than oauthflow; oauthflow.Complete takes ActivateConnection instead.
func (q *Queue) ConnectionCreated(ctx context.Context, conn wearables.Connection) error {
	plan, err := q.s.BackfillPlan(conn)
	if err != nil {
		return err
	}
	if err := q.s.store.PutBackfills(ctx, plan, q.firstJobs(conn, plan)); err != nil {
		return fmt.Errorf("syncer: connection created %s: %w", conn.ID, err)
	}
	return nil
}

// ActivateConnection is oauthflow.CompleteRequest's Activate hook: it
// records the connection's pending backfill statuses and returns the
// TxFunc that inserts its first jobs (those of ConnectionCreated) in the
// transaction that activates it, so the jobs exist exactly when the
// connection is active. Statuses of a connection whose activation then
// fails stay pending and harmless: nothing syncs an inactive connection.
func (q *Queue) ActivateConnection(ctx context.Context, conn wearables.Connection) (wearables.TxFunc, error) {
	plan, err := q.s.BackfillPlan(conn)
	if err != nil {
		return nil, err
	}
	if err := q.s.store.PutBackfills(ctx, plan, nil); err != nil {
		return nil, fmt.Errorf("syncer: activate connection %s: %w", conn.ID, err)
	}
	return q.firstJobs(conn, plan), nil
}

// firstJobs inserts a new connection's backfill jobs and, unless its
// vendor is NotificationOnly, a first sync.
func (q *Queue) firstJobs(conn wearables.Connection, plan []wearables.BackfillStatus) wearables.TxFunc {
	return func(ctx context.Context, tx *sql.Tx) error {
		var params []river.InsertManyParams
		if !q.s.Settings(conn.Provider).NotificationOnly {
			params = append(params, river.InsertManyParams{Args: SyncArgs{ConnectionID: conn.ID, Trigger: wearables.TriggerBackfill}, InsertOpts: q.syncOpts(time.Now(), conn.ID)})
		}
		for _, b := range plan {
			params = append(params, river.InsertManyParams{Args: BackfillArgs{ConnectionID: conn.ID, DataType: b.DataType}})
		}
		if len(params) == 0 {
			return nil
		}
		var err error
		if tx != nil {
			_, err = q.client.InsertManyTx(ctx, tx, params)
		} else {
			_, err = q.client.InsertMany(ctx, params)
		}
		if err != nil {
			return fmt.Errorf("syncer: insert first jobs of %s: %w", conn.ID, err)
		}
		return nil
	}
}

// EnqueuePull inserts the job that fetches a window a notification
// announced with a pull token (see PullArgs). tx, when non-nil, is a
// transaction on the queue's database.
func (q *Queue) EnqueuePull(ctx context.Context, tx *sql.Tx, args PullArgs) error {
	var err error
	if tx != nil {
		_, err = q.client.InsertTx(ctx, tx, args, nil)
	} else {
		_, err = q.client.Insert(ctx, args, nil)
	}
	if err != nil {
		return fmt.Errorf("syncer: enqueue pull %s %s: %w", args.ConnectionID, args.DataType, err)
	}
	return nil
}

// EnqueueRewrapTokens inserts the re-wrap-tokens job (run it after adding
// a new primary key to the keyring). It does nothing useful unless
// QueueConfig.RewrapTokens is set.
func (q *Queue) EnqueueRewrapTokens(ctx context.Context) error {
	if _, err := q.client.Insert(ctx, RewrapTokensArgs{}, nil); err != nil {
		return fmt.Errorf("syncer: enqueue rewrap tokens: %w", err)
	}
	return nil
}

// retryPolicy retries failed jobs with exponential backoff and full jitter
// (cenkalti/backoff): about 1 s, 2 s, 4 s … capped at 10 minutes.
type retryPolicy struct{}

func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	b := &backoff.ExponentialBackOff{
		InitialInterval:     time.Second,
		RandomizationFactor: 0.5,
		Multiplier:          2,
		MaxInterval:         10 * time.Minute,
		MaxElapsedTime:      0,
		Stop:                backoff.Stop,
		Clock:               backoff.SystemClock,
	}
	b.Reset()
	var d time.Duration
	for range max(job.Attempt, 1) {
		d = b.NextBackOff()
	}
	return time.Now().Add(d)
}

// jobError turns a syncer error into River's verdict: snooze until the
// vendor's reset on rate limits (no worker sleeps), cancel when the
// connection cannot sync (needs_reauth, revoked, deleted), retry with
// backoff otherwise.
func (q *Queue) jobError(err error) error {
	if err == nil {
		return nil
	}
	if d, ok := RetryAfter(err, time.Now()); ok {
		// Spread the snoozed jobs over a tenth of the wait so they do not
		// all come back in the same instant.
		return river.JobSnooze(d + time.Duration(rand.Int64N(int64(d/10)+1)))
	}
	if errors.Is(err, ErrInactive) || errors.Is(err, wearables.ErrUnauthorized) || errors.Is(err, wearables.ErrNotFound) || errors.Is(err, wearables.ErrUnsupported) {
		return river.JobCancel(err)
	}
	return err
}

type syncWorker struct {
	river.WorkerDefaults[SyncArgs]
	q *Queue
}

func (w *syncWorker) Work(ctx context.Context, job *river.Job[SyncArgs]) error {
	// At most one sync of a connection and data type runs at a time, in
	// all processes: the unique key covers one debounce period, so a sync
	// of the next period waits here for a long one of this period.
	busy, err := w.q.otherSyncRunning(ctx, job)
	if err != nil {
		return err
	}
	if busy {
		return river.JobSnooze(time.Second + time.Duration(rand.Int64N(int64(time.Second))))
	}
	var types []wearables.DataType
	if job.Args.DataType != "" {
		types = []wearables.DataType{job.Args.DataType}
	}
	_, err = w.q.s.SyncConnection(ctx, job.Args.ConnectionID, Options{DataTypes: types, Trigger: job.Args.Trigger})
	if errors.Is(err, wearables.ErrUnauthorized) || errors.Is(err, ErrInactive) {
		w.q.cancelConnectionJobs(ctx, job.Args.ConnectionID, job.ID)
	}
	return w.q.jobError(err)
}

type pullWorker struct {
	river.WorkerDefaults[PullArgs]
	q *Queue
}

func (w *pullWorker) Work(ctx context.Context, job *river.Job[PullArgs]) error {
	a := job.Args
	_, err := w.q.s.PullAnnounced(ctx, a.ConnectionID, a.DataType, a.Start, a.End, a.PageToken)
	if errors.Is(err, wearables.ErrUnauthorized) || errors.Is(err, ErrInactive) {
		w.q.cancelConnectionJobs(ctx, a.ConnectionID, job.ID)
	}
	if errors.Is(err, wearables.ErrInvalid) && !errors.Is(err, wearables.ErrRateLimited) {
		// The vendor refused the window or its token (expired, forged):
		// retrying the same request cannot help.
		return river.JobCancel(err)
	}
	return w.q.jobError(err)
}

// cancelConnectionJobs cancels the queued sync and backfill jobs of a
// connection that cannot sync (needs_reauth, revoked): they would only
// cancel themselves. Best effort: a job it misses cancels itself when it
// starts.
func (q *Queue) cancelConnectionJobs(ctx context.Context, connectionID string, except int64) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().Kinds(KindSync, KindPull, KindBackfill).
		States(rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStatePending).
		TagsAny(connectionTag(connectionID)).First(1000))
	if err != nil {
		return
	}
	for _, j := range res.Jobs {
		if j.ID != except {
			_, _ = q.client.JobCancel(ctx, j.ID)
		}
	}
}

// connectionTag tags a connection's sync jobs, so the running ones can be
// found without reading every running job.
func connectionTag(connectionID string) string { return "conn_" + connectionID }

// otherSyncRunning reports whether another sync job of the same connection
// overlapping job's data types is running. Both jobs are marked running
// before their Work starts, so of two that start together at least one sees
// the other (and when both do, both snooze with jitter and try again).
func (q *Queue) otherSyncRunning(ctx context.Context, job *river.Job[SyncArgs]) (bool, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().Kinds(KindSync).States(rivertype.JobStateRunning).
		TagsAny(connectionTag(job.Args.ConnectionID)).First(100))
	if err != nil {
		return false, fmt.Errorf("syncer: list running syncs: %w", err)
	}
	for _, other := range res.Jobs {
		if other.ID == job.ID {
			continue
		}
		var a SyncArgs
		if json.Unmarshal(other.EncodedArgs, &a) != nil || a.ConnectionID != job.Args.ConnectionID {
			continue
		}
		if a.DataType == "" || job.Args.DataType == "" || a.DataType == job.Args.DataType {
			return true, nil
		}
	}
	return false, nil
}

type backfillWorker struct {
	river.WorkerDefaults[BackfillArgs]
	q *Queue
}

func (w *backfillWorker) Work(ctx context.Context, job *river.Job[BackfillArgs]) error {
	done, err := w.q.s.BackfillChunk(ctx, job.Args.ConnectionID, job.Args.DataType)
	if errors.Is(err, wearables.ErrUnauthorized) || errors.Is(err, ErrInactive) {
		w.q.cancelConnectionJobs(ctx, job.Args.ConnectionID, job.ID)
	}
	if err != nil {
		return w.q.jobError(err)
	}
	if !done {
		return river.JobSnooze(0) // the next chunk, without holding this worker
	}
	return nil
}

type periodicWorker struct {
	river.WorkerDefaults[PeriodicSyncArgs]
	q *Queue
}

// Work enqueues a sync of every active connection of a configured provider
// whose last sync is older than the provider's SyncInterval, once per
// vendor account (the sync writes linked users too). A connection never
// synced and without backfill status (its process died between storing it
// and ConnectionCreated) gets ConnectionCreated's jobs instead.
func (w *periodicWorker) Work(ctx context.Context, job *river.Job[PeriodicSyncArgs]) error {
	now := w.q.s.now()
	type account struct {
		first string
		due   bool
	}
	accounts := map[string]*account{}
	var order []string
	q := wearables.ConnectionQuery{Status: wearables.ConnectionActive, Limit: 1000}
	for {
		page, err := w.q.s.store.ListConnections(ctx, q)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			if _, ok := w.q.s.providers[c.Provider]; !ok {
				continue
			}
			k := c.ID
			if c.ProviderUserID != "" {
				k = string(c.Provider) + "\x1f" + c.ProviderUserID
			}
			a, ok := accounts[k]
			if !ok {
				a = &account{first: c.ID}
				accounts[k] = a
				order = append(order, k)
			}
			if c.LastSyncedAt.IsZero() {
				// Never synced: if the process that stored it died before
				// ConnectionCreated, start its history now.
				bfs, err := w.q.s.store.ListBackfills(ctx, c.ID)
				if err != nil {
					return err
				}
				if len(bfs) == 0 {
					if err := w.q.ConnectionCreated(ctx, c); err != nil {
						return err
					}
					continue
				}
			}
			if w.q.s.Settings(c.Provider).NotificationOnly {
				continue // its data arrives by webhook; pulls need a notification's token
			}
			if c.LastSyncedAt.IsZero() || now.Sub(c.LastSyncedAt) >= w.q.s.Settings(c.Provider).SyncInterval {
				a.due = true
			}
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	var due []string
	for _, k := range order {
		if accounts[k].due {
			due = append(due, accounts[k].first)
		}
	}
	return w.q.EnqueueSyncs(ctx, due, wearables.TriggerSchedule)
}

type renewWorker struct {
	river.WorkerDefaults[RenewSubscriptionsArgs]
	q *Queue
}

func (w *renewWorker) Work(ctx context.Context, job *river.Job[RenewSubscriptionsArgs]) error {
	p, ok := w.q.s.providers[job.Args.Provider]
	sm, isSM := p.(wearables.SubscriptionManager)
	if !ok || !isSM || w.q.webhooks == "" {
		return nil
	}
	if err := sm.EnsureSubscriptions(ctx, w.q.webhooks+"/"+string(job.Args.Provider)); err != nil {
		return w.q.jobError(fmt.Errorf("syncer: renew subscriptions %s: %w", job.Args.Provider, err))
	}
	return nil
}

type rewrapWorker struct {
	river.WorkerDefaults[RewrapTokensArgs]
	q *Queue
}

func (w *rewrapWorker) Work(ctx context.Context, job *river.Job[RewrapTokensArgs]) error {
	if w.q.rewrap == nil {
		return nil
	}
	if err := w.q.rewrap(ctx); err != nil {
		return fmt.Errorf("syncer: rewrap tokens: %w", err)
	}
	return nil
}
