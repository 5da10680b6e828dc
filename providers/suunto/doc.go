// Package suunto is the wearables.Provider for the Suunto Cloud API
// (https://cloudapi.suunto.com, behind Azure API Management): Suunto
// watches' workouts and 24/7 data, pulled over OAuth 2.0 and pushed inline
// by webhooks.
//
// # What syncs
//
// Each data type is its own feed with its own cursor:
//
//	DataType                  Suunto route                     normalized into
//	wearables.DataWorkouts    GET /v2/workouts                 Workout (every activityId of Activities.pdf
//	                                                           mapped; unknown → other, the id in RawType)
//	wearables.DataSleep       GET /247samples/sleep            Sleep with stage totals (deep, light, REM,
//	                                                           awake), naps as Suunto flags them, and a
//	                                                           sleep Score (SleepQualityScore, 0–100)
//	DataActivitySamples       GET /247samples/activity         heart-rate, steps, SpO2, total-energy and
//	                                                           HRV (RMSSD) samples
//	DataRecovery              GET /247samples/recovery         body-battery samples (body resources)
//	DataDailyStatistics       GET /247/daily-activity-statistics  DailySummary activity (steps, total energy)
//
// Units go through package normalize's registry: 24/7 SpO2 arrives as a
// fraction (0.97 → 97 %; a value above 1 is taken as percent already),
// energy in joules (→ kcal), body resources as a fraction (→ the 0–100
// body-battery scale). Workout times are epoch milliseconds stamped with
// timeOffsetInMinutes (normalize.UnixMilli, OffsetFromMinutes); a workout
// pushed before Suunto computed its stopTime ends totalTime after its
// start. The workout's maximum heart rate is hrdata.workoutMaxHR (else
// hrmax): hrdata.max and hrdata.userMaxHR are the user's configured
// maximum, never used as the workout's. 24/7 times are ISO 8601 with the
// watch's offset, which every record keeps. A heart rate, SpO2, HRV, power
// or cadence of 0 is taken as "not measured". Implausible records come
// back as wearables.Rejection values.
//
// # How
//
// Every data request carries Config.SubscriptionKey in the
// Ocp-Apim-Subscription-Key header next to the user's bearer token; the
// key never appears in errors, and Config's String method redacts it.
// OAuth is the authorization code flow without PKCE, client credentials
// as HTTP Basic at the token endpoint. The provider user id is the Suunto
// username (ProviderUserID reads the token response's "user" field, else
// the access token's "user" claim), which webhooks carry as "username".
//
// Pull: workouts take since/until in epoch ms and page by offset (limit
// Config.PageSize, at most 100; a full page announces the next offset, an
// empty or short page ends the window). The 24/7 routes take from/to in
// epoch ms and daily statistics take startdate/enddate as UTC ISO 8601,
// each at most 28 days (MaxWindow): Fetch walks a longer window in 28-day
// chunks, the page token naming the chunk. Records are kept as Suunto
// returns them, without trimming to the chunk, so one returned at a
// boundary twice is written twice — an idempotent upsert. Daily statistics
// are bucketed by Suunto in UTC from the startdate's time of day, so the
// window is widened to whole UTC days and each summary is a UTC day
// (offset 0); when two sources report the same day the larger value is
// kept, never the sum.
//
// Push: Suunto posts notifications to the URLs in the app profile with the
// data inline (the workout and its gear, or the 24/7 sample arrays).
// Provider implements wearables.WebhookHandler: VerifyWebhook checks
// X-HMAC-SHA256-Signature (hex HMAC-SHA256 of the raw body keyed with
// Config.NotificationSecret, constant time; Suunto signs no timestamp);
// ParseWebhook returns one event per notification with its normalized
// records in WebhookEvent.Records. Suunto expects an answer within about
// two seconds: acknowledge after storing, normalize in the job.
//
// # Cost
//
// BenchmarkNormalize times decode + normalize + plausibility checks
// against json.Unmarshal into the raw types alone, in the same run, on
// pages grown to realistic sizes (a 100-workout page, 28 nights, 1000
// activity or recovery entries, 28 days of statistics). On a loaded
// 2-core machine the medians of eight runs were 1.0–1.2× decode for
// workouts, sleep, activity and recovery and about 1.4× for daily
// statistics (whose records are a few bytes each, so the per-day map and
// plausibility check weigh most):
//
//	go test ./providers/suunto -run '^$' -bench Normalize -benchmem -count 8 -cpu 1
//
// # Not verified against the live API
//
// Built from Suunto's API Zone pages (how-to-start, the token operation,
// the workout JSON representation, daily activity statistics, webhooks)
// and other integrations, not from a live account. Unverified: the list
// route and its parameters (/v2/workouts with since/until in ms, limit
// and offset per Suunto's docs; other clients call /v3/workouts, so
// Config.WorkoutsPath can switch) and whether since/until filter on start
// or on modification time; whether from/to bounds are inclusive; the
// shape of the 24/7 lists (a bare JSON array of {timestamp, entryData}) and
// of the 24/7 webhook bodies ({type, username, samples}), known only from
// other integrations; the wake and latency fields of sleep entries;
// whether hrdata.min is the workout's minimum; the product types of gear
// other than SPORT_WATCH (mapped to an unknown device type); whether
// energy figures are total or active energy (they are stored as total
// energy); the token response's "user" field (the JWT claim is the
// fallback); JWT "exp" versus expires_in (without expires_in a token is
// refreshed on its first 401); rate limits, which Suunto does not
// publish (a 429 with Retry-After is assumed). Suunto documents no
// deletion of workouts or sleep, so nothing is ever deleted; a nap later
// revised into a night keeps its SleepId and is overwritten. The legacy
// form-encoded workout notification is not supported (refused as
// wearables.ErrInvalid). StressState (a category) and a night's MaxSpo2 (a
// maximum, not an average) have no series in the catalog and are not
// kept.
package suunto
