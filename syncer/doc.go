// Package syncer pulls vendor data into a store — incremental sync,
// backfill and webhooks — with its jobs on River (github.com/riverqueue/river),
// so that nothing is lost and nothing is duplicated when a worker dies
// mid-job.
//
// # Sync
//
// Syncer.SyncConnection is synchronous and does one connection; everything
// else (schedules, webhooks, backfill, retries, concurrency) is layered on
// it. For each data type it fetches pages from the connection's cursor
// minus the provider's Settings.Overlap (vendors revise recent data), in
// windows of at most Settings.MaxWindow, and commits each page in one
// transaction together with the cursor advance (wearables.Batch.Cursor):
// the cursor never points past uncommitted data. The cursor value records
// the instant up to which data is committed and, mid-window, the window and
// the vendor's next page token, so a run killed anywhere resumes at the
// last committed page. Records the vendor deleted (WHOOP *.deleted, Strava
// delete events, Oura "deleted") reach the store as Batch.Deletes and are
// removed. A vendor account linked to several users is fetched once and
// written for each of its active connections. Every run is recorded as a
// wearables.SyncRun (trigger, counts per data type, error).
//
// Vendor calls go through
// providerhttp.NewClient(providerhttp.ForConnection(tokens, conn.ID), httpClient),
// the module's single "refresh once on 401" transport, and through the
// outbound Limiter first.
//
// # Backfill
//
// Queue.ActivateConnection — oauthflow.CompleteRequest's Activate hook —
// records a pending wearables.BackfillStatus per data type
// (Settings.BackfillDays of history, up to MaxBackfillDays) and inserts the
// backfill jobs and a first sync in the transaction that makes the
// connection active, so an active connection always has its jobs
// (Queue.ConnectionCreated does the same for connections stored by other
// means, with the statuses in the jobs' transaction). Each
// backfill job run pulls one chunk of at most MaxWindow, newest first,
// records how far it reached and snoozes itself for the next chunk, so a
// year of history never pins a worker and a killed run repeats one chunk
// at most. Providers implementing wearables.BackfillRequester (Garmin) are
// asked for the range instead, in windows of Settings.MaxBackfillWindow
// newest first, with the progress recorded so a retry asks only for what is
// left; a window the vendor already accepted (409, wearables.ErrConflict)
// counts as requested, a refusal retrying cannot fix (403 no historical
// permission) fails the backfill with the vendor's reason. The status stays
// "requested" until pushed data covering it arrives through the webhook
// inbox.
//
// # Vendors that forbid unannounced pulls
//
// A provider whose wearables.SyncProfile says NotificationOnly (Garmin) gets
// no first, scheduled or manual syncs: SyncConnection returns
// ErrNotificationOnly and the periodic job skips its connections. Its data
// arrives by webhook — pushed inline, or announced with a pull token
// (wearables.WebhookEvent.PageToken), which becomes a pull job
// (PullArgs) that fetches exactly the announced window with that token
// once per vendor account (Syncer.PullAnnounced). The profile also sets
// the provider's MaxWindow, MaxBackfillWindow and MaxWebhookBody defaults.
//
// # Jobs
//
// NewQueue builds a River client over the store's own database —
// riverdatabasesql over the lib/pq pool of pgstore (pgstore.Store.DB()), or
// riversqlite over sqlitestore's single-connection writer pool
// (sqlitestore.Store.WriterDB()) — so jobs commit in the store's
// transactions (wearables.TxFunc). Migrate creates River's own tables with
// River's migrator. Job kinds: sync connection (SyncArgs), pull of an
// announced window (PullArgs), backfill
// (BackfillArgs), process webhook (WebhookArgs), periodic sync
// (PeriodicSyncArgs, every SyncInterval for pull-mode connections, one per
// vendor account, scheduled by River's elected leader only), renew vendor
// subscriptions (RenewSubscriptionsArgs, daily, for
// wearables.SubscriptionManager providers such as Oura) and re-wrap tokens and app secrets
// after a key rotation (RewrapTokensArgs).
//
// Sync jobs are unique per connection, data type and QueueConfig.Debounce
// period and start at the end of their period, so a storm of notifications
// runs one sync per period; a sync that finds another sync of the same
// connection and data type running (in any process) snoozes, so at most
// one runs at a time. Completed jobs do not block new ones: a trigger that
// arrives after a sync started always gets a sync that starts after it.
//
// Errors decide a job's fate: a rate limit (the vendor's 429 with its
// Retry-After or reset header, or our own limiter) snoozes the job until
// the reset — no worker sleeps; a connection that needs re-authorization
// (or was revoked, paused or deleted) cancels the job, and every later job
// of that connection cancels itself when it starts; anything else (5xx,
// network errors) is retried with exponential backoff and jitter
// (cenkalti/backoff: about 1 s, 2 s, 4 s …, at most 10 minutes apart, 25
// attempts).
//
// # Scale-out
//
// Any number of processes on any number of machines run a Queue on one
// PostgreSQL database: they share its jobs (River locks each job for one
// worker), its unique keys, its leader election (one periodic schedule)
// and, with a RedisLimiter, one outbound budget per vendor app. A process
// that dies (kill -9, lost machine) leaves its jobs "running" until River
// rescues them after QueueConfig.RescueStuckJobsAfter; they then run again
// and, since every page commits with its cursor, repeat at most one page.
// A web process that only enqueues uses Workers: -1. The tests run two
// worker processes SIGKILLed at random under load (TestKillSoak) and three
// processes under a shared rate limit (TestRateLimitProcesses). SQLite
// (riversqlite; River calls it experimental) is the embedded, one-process
// default.
//
// # Webhooks
//
// Queue.WebhookHandler receives POST /{provider}: the raw body is capped
// (Settings.MaxWebhookBody; 100 MB for Garmin), verified by the provider
// (wearables.WebhookHandler), stored in the inbox (wearables.WebhookInboxStore)
// under a unique dedupe key together with its process-webhook job in one
// transaction, and acknowledged only after that commit. The job writes
// pushed records, applies delete and deauthorization events, turns
// windows announced with a pull token into pull jobs, and turns hints
// (unsigned vendors' notifications) into syncs that fetch the data again
// with our own token — one fetch per vendor account, written for every
// linked connection. Notifications for unknown or inactive connections are
// recorded as dropped, with the reason.
//
// # Rate limits
//
// Settings.Limits holds a vendor's published app-wide limits; each becomes
// a token bucket with a burst of a tenth of the budget and a refill rate
// that keeps every window of the limit's length within it. LocalLimiter
// keeps the buckets in process; RedisLimiter keeps them in Redis (an atomic
// Lua script on Redis's clock) for processes sharing one vendor app.
//
// Vendor calls never happen inside a store transaction: a page is fetched,
// then committed. That matters on SQLite, where the token broker's refresh
// holds the single write lock while it calls the vendor's token endpoint.
//
// # Reliability tests
//
// They run in CI (.ci/run, with -race) against PostgreSQL and Redis:
//
//   - TestKillSoak: 1,000 connections × 50 records on a vendor that adds
//     latency and resets 5 % of connections; 2 worker processes; a random
//     worker SIGKILLed every 2–5 s while 5 % of records are revised and 1 %
//     deleted. CI runs 45 s of kills; the full 3-minute run is
//     `WEARABLES_SOAK_DURATION=3m go test -race -run TestKillSoak -timeout 30m ./syncer/`
//     and printed: 45 SIGKILLs, 49,585 records, 2,235 revised and 415 deleted
//     at the vendor, 488 of 3,574 sync jobs needing more than one attempt;
//     0 missing, 0 duplicates, 0 stale, 0 surviving deleted, every cursor at
//     the vendor's maximum, 0 jobs left.
//   - TestWebhookStorm: 1,000 notifications for one connection in one burst
//     run 2 sync jobs.
//   - TestRateLimitProcesses: 3 worker processes sharing a RedisLimiter
//     against a vendor limit of 100 requests per 15 s: at most 99 in any
//     sliding 15 s window, and every record synced.
//   - goleak checks every test of the package for leaked goroutines.
//
// # Measured
//
// BenchmarkSync, 2 cores (AMD EPYC), PostgreSQL 15 on the same machine,
// the lab vendor with 20 ms mean latency and no rate limit, 50 workouts per
// connection, 2,000 connections:
//
//	WEARABLES_TEST_POSTGRES_URL=… go test -run '^$' -bench BenchmarkSync -benchtime 2000x ./syncer/
//
//	                         conns/min  network ms/page  commit ms/page  rest ms/page
//	SyncConnection, SQLite        8539            22.1            1.05          0.22
//	SyncConnection, Postgres      3380            24.2           24.0           7.7
//	Queue (1 process), SQLite     3872
//	Queue (1 process), Postgres   2294
//
// SyncConnection rows run 10 goroutines; Queue rows are one worker process
// (10 River workers) draining 2,000 sync jobs, River's fetching and
// completion included. "rest" is everything but the fetch and the page
// commit: the connection, cursor and linked-account lookups and the run
// record. On this machine PostgreSQL shares the 2 cores with the workers,
// so its commit time is mostly CPU contention.
package syncer
