// Package googlehealth is the Fitbit path: the wearables.Provider for the
// Google Health API v4 (https://health.googleapis.com), which syncs Fitbit
// trackers and watches, Pixel Watches and whatever else writes to a user's
// Google Health record (Health Connect apps, Fitbit-paired scales).
//
// The legacy Fitbit Web API (api.fitbit.com) was switched off in November
// 2026; the Google Health API is its successor, and this package replaces
// a Fitbit provider. Fitbit tokens cannot be migrated: users connect again
// through Google's consent page. To match a user who connected through the
// old Fitbit Web API, Provider.LegacyFitbitUserID returns their old Fitbit
// user id.
//
// # What syncs
//
// Each data type is its own feed with its own cursor:
//
//	DataType                      Google data type          normalized into
//	DataSteps                     steps                     interval step samples
//	DataDistance                  distance (mm)             interval distance samples, in m
//	DataHeartRate                 heart-rate                heart-rate samples
//	DataHeartRateVariability      heart-rate-variability    HRV RMSSD samples (SDNN too when a
//	                                                        source reports it)
//	DataOxygenSaturation          oxygen-saturation         SpO2 samples, %
//	wearables.DataBody            weight (g)                weight samples, in kg
//	wearables.DataSleep           sleep                     Sleep: stages (normalize.SchemeGoogle;
//	                                                        a classic sleep's RESTLESS is awake),
//	                                                        Google's stage totals and latency,
//	                                                        naps from metadata.nap
//	wearables.DataWorkouts        exercise                  Workout: distance, elevation and speed
//	                                                        from mm, calories, steps, average HR
//	                                                        and cadence, Google's four HR zones as
//	                                                        zones 1–4, splits as laps
//	wearables.DataDailySummaries  steps, distance and       DailySummary activity per civil day
//	                              total-calories rollups    (steps, distance, total energy)
//
// Unit conversions (millimeters, grams, mm/s) go through package
// normalize's registry; times keep the UTC offset Google sends beside each
// instant ("startUtcOffset": "-18000s"), so DST nights come out 7 h or 9 h
// long. Every exerciseType maps to a wearables.WorkoutType; the coarse
// WORKOUT, OTHER and unspecified types take the sport named in displayName
// when it is a known Fitbit activity ("Tennis"), and a type Google adds
// later maps by displayName or to wearables.WorkoutOther, with the type in
// RawType. A device's form factor gives the device type (a Fitbit band is
// worn like a watch, so it is a wearables.DeviceWatch); a manual entry
// without device is a wearables.DeviceApp record with
// wearables.RecordingManual. Implausible records come back as
// wearables.Rejection values. Normalizing a page costs 0.9–1.3 times
// decoding it (BenchmarkNormalize: 1440 steps or heart-rate points, 25
// sleeps or exercises).
//
// # How
//
// Pull: data points are listed per data type (GET
// /v4/users/me/dataTypes/{type}/dataPoints), paged with
// pageToken/nextPageToken and bounded by an AIP-160 filter: interval types
// (steps, distance) on interval.start_time, sample types on
// sample_time.physical_time, sleep on interval.end_time (the only physical
// filter Google offers for sleep, so a window holds the nights that end in
// it), and exercise on interval.civil_start_time (the only one it offers
// for exercise) over the civil days around the window, keeping the
// sessions that start inside it. Daily summaries come from dailyRollUp
// (POST …/dataPoints:dailyRollUp, one request per type), which Google
// answers unpaged for at most 14 days of total-calories: a longer window
// is read in 14-day chunks, the page token naming the chunk.
//
// Push: Provider implements wearables.WebhookHandler. Google posts
// notify-only notifications to a subscriber registered per Google Cloud
// project (projects.subscribers, with a service account — outside this
// package), repeating the subscriber's endpointAuthorization secret in the
// Authorization header: VerifyWebhook compares it with
// Config.WebhookAuthorization in constant time. ParseWebhook turns each
// notification into an event naming a user (healthUserId), a feed and the
// window that changed, for the syncer to fetch again. VerificationHandler
// answers the subscriber handshake (201 with the secret, 401 without).
//
// OAuth: Google OAuth 2.0 with PKCE, access_type=offline and
// prompt=consent (without them Google issues no refresh token), client
// credentials in the token request body; access tokens last about an hour
// and refresh tokens do not rotate. Provider also implements
// wearables.ProviderUserIDReader (identity's healthUserId, the id webhooks
// carry) and wearables.Revoker.
//
// # Not verified against the live API
//
// The request and response shapes follow Google's v4 discovery document
// (revision 20260527) and developers.google.com/health; the fixtures in
// testdata are built from that schema, not recorded from a live account.
// Assumed, not verified: that the list filter names a data type in
// snake_case (heart_rate.sample_time.physical_time; Google documents the
// form with weight and daily_heart_rate_variability only); the exact
// notification body ({"data": {healthUserId, operation, dataType,
// intervals: [{physicalTimeInterval}]}}, as other integrations parse it),
// and whether Google batches several in a JSON array (both are accepted);
// that Google accepts 201 from VerificationHandler only (the generic
// intake answers 200); the Fitbit activity names displayName carries; that
// a rollup member without its sum means zero (proto3 JSON omits zero
// values). Google also signs notification bodies with ECDSA P-256
// (X-HEALTHAPI-SIGNATURE, a Tink signature checked against a published
// keyset); this package does not check it, so the bearer secret is the
// only proof of origin, and a notification is only a hint: data is always
// fetched again with the user's token. Notifications of deletions name no
// record ids, so deleted sleep or exercise records are not removed by id.
package googlehealth
