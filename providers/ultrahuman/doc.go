// Package ultrahuman is the wearables.Provider for the Ultrahuman Partner
// API (https://partner.ultrahuman.com): the Ultrahuman Ring's daily
// metrics — heart rate, HRV, skin temperature, steps, sleep, VO2 max,
// resting heart rate, recovery and movement indices — and M1 glucose,
// pulled over OAuth 2.0. Ultrahuman has no webhooks and no workouts in
// its partner API: everything is pulled, one day at a time.
//
// # What syncs
//
// One feed, DataMetrics, one request per date:
//
//	GET /api/partners/v1/user_data/metrics?date=YYYY-MM-DD
//
// The day's document lists metric objects by type, normalized into:
//
//	hr               heart-rate samples (bpm)
//	hrv              HRV samples, kept as SDNN (ms)
//	temp             skin-temperature samples (°C)
//	steps            step-count samples; its "total" → DailySummary activity steps
//	glucose          blood-glucose samples (mg/dL), source "Ultrahuman M1"
//	night_rhr        a resting-heart-rate sample at the day's start
//	vo2_max          a VO2 max sample at the day's start
//	active_minutes   DailySummary activity active time
//	recovery_index   Score recovery (0–100)
//	movement_index   Score activity (0–100)
//	Sleep            Sleep: bedtimes, stage totals (sleep_stages), efficiency
//	                 (quick_metrics sleep_efic), the hypnogram (sleep_graph)
//	                 when present; naps decided by normalize.IsNap
//
// Other types (motion, metabolic_score, the glucose statistics …) and
// unknown ones are skipped, never an error. Units go through package
// normalize's registry. Epoch seconds are stamped with the offset of the
// document's latest_time_zone (an IANA name) at each instant, so a DST
// night keeps the offset at its bedtime; without a zone offsets are
// unknown (wearables.NoOffset). A heart rate, HRV or temperature of 0 is
// "not measured" and skipped; a step count of 0 is kept. Implausible
// values come back as wearables.Rejection values. Sleep and scores are
// keyed by the date (Ultrahuman reports one sleep and one index of each
// kind per day and revises them in place), so a re-fetch overwrites.
// Ultrahuman deletes nothing through the API, so nothing is ever
// deleted.
//
// # How
//
// OAuth 2.0 authorization code without PKCE; the token endpoint takes the
// client credentials in the form body; scopes ring_data, cgm_data and
// profile (Config.Scopes). Access tokens last about a week and are
// refreshed with the refresh token. The provider user id is the user_id
// of GET /user_data/user_info (scope profile). Fetch widens a window to
// whole UTC dates and asks for one date per page, the page token naming
// the next date; a window is at most MaxDays long.
//
// # What is verified, and from where
//
// Ultrahuman's partner documentation is public only in part. Verified:
//
//   - the OAuth flow, its token endpoint /api/partners/oauth/token on
//     partner.ultrahuman.com, its parameters (client_id and client_secret
//     in the body, grant types authorization_code and refresh_token) —
//     vision.ultrahuman.com/developer-docs?type=oauth;
//   - the scopes profile, ring_data and cgm_data, the /user_info route
//     needing profile, and week-long access tokens — Ultrahuman's
//     "Third-party app partners API documentation" (Notion) and its blog
//     post "Accessing the Ultrahuman Partnership API";
//   - the bearer token on data calls, the base host and date-based
//     (YYYY-MM-DD) requests — the same blog post;
//   - the shape of a day's metric objects (type + object;
//     day_start_timestamp; values of {value, timestamp} in epoch seconds;
//     last_reading, avg, unit; the motion object's sleep_graph of
//     {start, end, type}) — the sample response of the legacy
//     Partnership API (partner.ultrahuman.com/api/v1/metrics), as
//     published by Ultrahuman and quoted by open-source clients.
//
// Assumed, from open-source integrations (the-momentum/open-wearables'
// Ultrahuman provider and several independent clients) and not from a
// live account: the authorize URL https://auth.ultrahuman.com/authorise
// (Ultrahuman's page says only "/authorize"; Config.AuthorizeURL can
// change it); the data base /api/partners/v1 and the routes
// /user_data/metrics and /user_data/user_info; the envelope
// {data: {metric_data, latest_time_zone}, error, status}; the Sleep
// object's fields (bedtime_start, bedtime_end, quick_metrics with
// time_in_bed and sleep_efic, sleep_stages with deep_sleep, light_sleep,
// rem_sleep and awake in seconds; a sleep_graph on the Sleep object);
// the names night_rhr, active_minutes (minutes), glucose and the "total"
// of steps; HRV being SDNN (as open-wearables stores it; it may be
// RMSSD); where user_info puts user_id (top level or under data, a
// string or a number); the error body; rate limits, which Ultrahuman does
// not publish (a 429 with Retry-After is assumed); whether the date is
// the user's local day (the documents are taken as such, the request
// dates are UTC dates); and whether refresh tokens rotate (the oauth2
// package keeps whichever comes back). The fixtures under testdata are
// built from these shapes, not recorded from a live account; the
// metabolic score has no kind in the catalog and is not kept.
package ultrahuman
