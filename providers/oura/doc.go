// Package oura is the wearables.Provider for the Oura API v2
// (https://api.ouraring.com): Oura rings, pulled over OAuth 2.0 and kept
// current by webhook subscriptions.
//
// # What syncs
//
// Each data type is its own feed with its own cursor:
//
//	DataType               Oura collection          normalized into
//	wearables.DataSleep    sleep                    Sleep (stages from sleep_phase_30_sec, else
//	                                                sleep_phase_5_min; naps from type), heart-rate
//	                                                and HRV samples, Deletes for type deleted/rest
//	DataDailySleep         daily_sleep              Score sleep (0–100, contributors)
//	DataDailyReadiness     daily_readiness          Score readiness, temperature-deviation sample
//	DataDailyActivity      daily_activity           Score activity, DailySummary activity (steps,
//	                                                energy, intensity times), 1-minute MET samples
//	DataDailySpO2          daily_spo2               DailySummary sleep (SpO2 average, breathing
//	                                                disturbance index)
//	DataDailyStress        daily_stress             Score stress (seconds of high stress)
//	DataDailyResilience    daily_resilience         Score resilience (level 1–5)
//	DataHeartRate          heartrate                heart-rate samples
//	wearables.DataWorkouts workout                  Workout (every Oura activity mapped; unknown → other)
//	DataSessions           session                  Workout (breathing, meditation …) or nap Sleep,
//	                                                heart-rate and HRV samples, mindful time
//	DataVO2Max             vO2_max                  VO2max sample
//
// All values are in the canonical units already (Oura sends seconds, meters,
// kcal, bpm, ms, percent and °C) and go through package normalize for time
// parsing, sleep stages, durations and plausibility checks; implausible
// records come back as wearables.Rejection values.
//
// # How
//
// Pull: collections take start_date/end_date and page with next_token.
// Oura keys them by local day and treats a date-only end_date as the start
// of that day, so a window [Start, End) asks for one extra day at each end;
// the overlap re-fetches records idempotently. The heartrate time series
// takes start_datetime/end_datetime, whose bounds are inclusive and whose
// range is limited to 30 days: Fetch walks a longer window in 30-day chunks
// (the page token carries the chunk) and keeps only samples inside each
// chunk's [start, end), so a sample on a boundary is returned once.
//
// Sample series inside a document (a sleep's 5-minute heart rate and HRV,
// a day's 1-minute MET) become instant samples every interval from the
// series' timestamp, in that timestamp's offset — also after a DST change
// during the night, as Oura gives no zone. Heart rate while asleep thus
// arrives twice under the same source: on the sleep's own 5-minute grid and
// as the heartrate feed's source=sleep rows at their own instants; both are
// kept (heart rate averages, it never sums).
//
// Push: Oura notifies app-level webhook subscriptions. Provider implements
// wearables.WebhookHandler (x-oura-signature: HMAC-SHA256 of
// x-oura-timestamp followed by the raw body, keyed with the client secret,
// hex in either case; timestamps older than Config.WebhookTolerance are
// refused), wearables.SubscriptionManager (create, list, renew and delete
// subscriptions with the app's x-client-id/x-client-secret) and serves the
// subscription handshake — a GET with verification_token and challenge —
// through VerificationHandler. Notifications only name the record: the
// syncer fetches it again with the user's token, except deletes, which
// carry the Delete inline because the record is gone.
//
// It also implements wearables.ProviderUserIDReader (personal_info's id,
// which webhooks carry as user_id) and wearables.Revoker.
//
// # Not verified against the live API
//
// These behaviours come from the OpenAPI document, Oura's public docs and
// other integrations, not from a live account: the signature's timestamp
// format (Unix seconds is assumed; milliseconds and RFC 3339 are accepted
// too) and whether Oura signs the raw body byte for byte; the subscription
// lifetime (subscriptions are renewed when they expire within
// Config.RenewBefore); the full list of workout activity names (an unknown
// one maps to wearables.WorkoutOther with its name in RawType); whether
// daily documents keep their id when Oura revises them; the exclusive
// end_date quirk; and that daily_sleep/daily_readiness timestamps carry
// the user's offset (Oura has been seen sending +00:00). Heart-rate rows
// are stamped in UTC, so their samples carry wearables.NoOffset and local
// days fall back to the user's zone. Oura sends every id as a string; the
// decoder accepts a number too.
package oura
