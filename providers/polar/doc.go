// Package polar is the wearables.Provider for Polar AccessLink API v3
// (https://www.polaraccesslink.com): Polar watches, the H10/H9 chest
// straps and the Verity Sense, pulled over OAuth 2.0 and kept current by
// the client's webhook.
//
// # What syncs
//
// Each data type is its own feed with its own cursor:
//
//	DataType                 AccessLink route                      normalized into
//	wearables.DataWorkouts   GET /v3/exercises?samples&zones&route Workout (every Polar Flow sport mapped, unknown →
//	                                                               other with the name in RawType; heart-rate zones;
//	                                                               GPS route; min HR, speed, power and cadence from
//	                                                               the streams) and the streams as samples: heart
//	                                                               rate, speed, cycling and running cadence,
//	                                                               elevation, power, temperature, RR intervals
//	wearables.DataSleep      GET /v3/users/sleep                   Sleep (hypnogram stages, Polar's stage totals,
//	                                                               naps by normalize.IsNap, avg/min HR) and a sleep
//	                                                               Score (1–100, continuity and group scores)
//	DataNightlyRecharge      GET /v3/users/nightly-recharge        Score nightly_recharge (status 1–6; ANS charge
//	                                                               −10…+10, its status and the night's averages as
//	                                                               contributors), HRV (RMSSD) and breathing samples
//	wearables.DataDailySummaries GET /v3/users/activities          DailySummary activity (steps, total and active
//	                                                               energy, active time, distance from steps, time
//	                                                               per activity zone) and 1-minute step samples
//	DataContinuousHeartRate  GET /v3/users/continuous-heart-rate   5-minute heart-rate samples
//	wearables.DataBody       GET /v3/users/physical-info           weight, height, VO2max and resting heart rate
//	                                                               samples
//
// Everything goes through package normalize: ISO 8601 durations, local
// times with their offsets, the hypnogram, unit conversion (km/h, cm) and
// the plausibility checks that turn implausible records into
// wearables.Rejection values. Not synced: cardio load, SleepWise, the
// Elixir biosensing routes, the FIT/TCX/GPX files, the user's maximum heart
// rate and thresholds (settings, not measurements), exercise streams
// without a series (pedaling index, left-right balance, air pressure,
// cumulative distance), and weights Polar marks as its default or an
// estimate.
//
// # How: pull
//
// The provider uses AccessLink's non-transactional routes, as the
// reference and the OpenAPI document recommend: they take the user's
// bearer token, can be read again (idempotent re-syncs) and are not
// deprecated. The transactional flow (pull notifications, then POST/GET/PUT
// of an exercise-, activity- or physical-information-transaction) is
// deprecated, hands each record out once and loses it when a commit fails
// halfway, which defeats the syncer's overlapping windows; it is not used.
//
// The non-transactional routes differ in how they select data:
//
//   - /v3/exercises takes no dates: it lists what was uploaded in the last
//     30 days (and after registration). Fetch filters it: an exercise is in
//     a window when it started or was uploaded in it, so an exercise synced
//     days after it took place is not missed. Its start is local wall time
//     with start_time_utc_offset in minutes: UTC = local − offset.
//   - /v3/users/sleep and /v3/users/nightly-recharge list the last 28 days;
//     a night belongs to a window when its date (the local day it ends on)
//     is one of the window's UTC calendar dates. Sleep has no id: it is
//     keyed by that date (normalize.RecordID), so a revised night replaces
//     the stored one.
//   - /v3/users/activities and /v3/users/continuous-heart-rate take from/to
//     dates, at most MaxRangeDays per request: Fetch walks longer windows in
//     chunks, the page token being the next chunk's first date. Activities
//     older than ActivityHistoryDays are not asked for.
//   - /v3/users/physical-info is the current snapshot, returned whatever the
//     window, stamped with its modification time.
//
// Polar sends continuous heart rate, activity samples and Nightly Recharge
// samples in device-local wall time without an offset. Config.Location
// supplies the user's zone to place them; without it they are read as UTC
// and stamped wearables.NoOffset. With the zone, a DST night's hypnogram
// is placed exactly too (see the TODO on the hypnogram helper).
//
// # Connecting: registration and revocation
//
// AccessLink issues long-lived access tokens without refresh tokens and
// names the user in the token response's x_user_id. A user's data is
// visible only after the client registers the user (POST /v3/users).
// Provider implements wearables.ProviderUserIDReader so that reading the
// user id after the code exchange also registers the user — idempotently,
// Polar's 409 "already registered" counting as success — which is what the
// OAuth completion step calls; Register is the same call on its own.
//
// Revoke (wearables.Revoker) de-registers the user (DELETE
// /v3/users/{user-id}), which revokes the token. Polar needs the user id,
// which Revoke takes from the connection's ProviderUserID (recorded at
// completion), falling back to the token's x_user_id.
//
// # How: webhooks
//
// A client has one webhook, managed with the client's own credentials
// (HTTP Basic): CreateWebhook, Webhooks, UpdateWebhook, DeleteWebhook,
// ActivateWebhook, DeactivateWebhook, and EnsureSubscriptions
// (wearables.SubscriptionManager). Polar returns the webhook's
// signature_secret_key once, in the answer to the creation. CreateWebhook
// returns it to the caller, who must store it encrypted and configure it
// as Config.WebhookSecret. EnsureSubscriptions stores it itself in
// Config.Secrets, a wearables.SecretKeeper — in a deployment,
// oauthflow.AppSecrets over the shared database, which seals it with the
// token keyring (so key rotation re-wraps it with the tokens) — under the
// name SecretWebhookSignature, and hands the webhook to
// Config.OnWebhookCreated; it refuses to create a webhook when neither is
// set, and deletes the webhook again when storing the secret fails. Polar
// deactivates a webhook after seven days of failed deliveries;
// EnsureSubscriptions re-activates it.
//
// VerifyWebhook (wearables.WebhookHandler) checks Polar-Webhook-Signature,
// the hex HMAC-SHA256 of the raw body under that secret, in constant time,
// and accepts the unsigned PING Polar sends when the webhook is created
// (before the secret exists) or moved. The secret is Config.WebhookSecret
// when set, else the one in Config.Secrets: read there on the first signed
// notification and cached, and read again — at most once every 10 seconds
// — when a signature does not match or none was stored, so every process
// of a deployment picks up a webhook that another process created, and
// forged notifications cannot hammer the store. ParseWebhook turns a notification
// into hint events — Polar's notifications carry no data, the syncer
// fetches it with the user's token — and yields no events for PING, for
// the SleepWise events and for event types it does not know, so that they
// are acknowledged. A SLEEP notification also announces that night's
// Nightly Recharge, which has no event of its own.
//
// # Not verified against the live API
//
// These come from the OpenAPI document, Polar's public documentation and
// other integrations, not from a live account: the shape of the
// continuous heart rate range answer ({"heart_rates": [...]}, while the
// OpenAPI document gives the single-day object; both are accepted);
// whether the activity summary's start_time/end_time and step and zone
// timestamps are local wall time (treated so) or UTC as one line of the
// OpenAPI document says; whether a hypnogram after a DST change uses the
// new wall-clock time (treated so); the exercise sample-type codes (0
// heart rate … 11 RR intervals) and units (speed km/h); whether 429s carry
// Retry-After and the exact format of RateLimit-Reset; how long access
// tokens live; whether PING is ever signed (it is accepted either way);
// the completeness of the sport table (Polar does not publish its list of
// detailed_sport_info values); that repeated step samples left out of the
// step list repeat the previous count, as the OpenAPI document says; the
// one-per-date uniqueness of nights the sleep id relies on. Polar reports
// no deletions, so deleted records are never removed.
package polar
