// Package syncer pulls vendor data into a store: incremental sync,
// backfill and webhooks, with jobs on River.
//
// # Sync
//
// SyncConnection is synchronous and does one connection; everything else
// (schedules, webhooks, backfill, retries, concurrency) is layered on it.
// For each data type it fetches pages from the connection's cursor minus a
// per-provider overlap window (vendors revise recent data), normalizes
// them (the provider's job) and commits each page in one transaction
// together with the cursor advance (wearables.Batch.Cursor), so the cursor
// never points past uncommitted data. A run killed anywhere resumes at the
// last committed page: the cursor records a half-done window and its page
// token. Deleted-at-vendor records reach the store as Batch.Deletes. A
// vendor account linked to several users is fetched once and written for
// each. Every run is recorded (wearables.SyncRun).
//
// Vendor calls go through providerhttp.NewClient(providerhttp.ForConnection(tokens,
// conn.ID), httpClient), the module's single "refresh once on 401"
// transport, and through the outbound Limiter: a token bucket per vendor
// app built from the vendor's published limits (Settings.Limits), in
// process (LocalLimiter) or shared through Redis (RedisLimiter).
package syncer
