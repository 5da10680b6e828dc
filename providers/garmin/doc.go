// Package garmin is the wearables.Provider for the Garmin Connect
// Developer Program: the Health API (all-day wellness summaries) and the
// Activity API (fitness activities) of Garmin watches, bike computers,
// Index scales and BPM cuffs, over OAuth 2.0 with PKCE.
//
// # What syncs
//
// Each summary type is its own data type, with its own cursor and its own
// backfill:
//
//	DataType                        Garmin summary type         normalized into
//	DataDailies                     dailies                     DailySummary activity (versioned by the day's
//	                                                            duration), 15-s heart-rate samples, stress Score
//	DataEpochs                      epochs                      15-minute interval samples: steps, distance, active
//	                                                            energy, active and sedentary time, MET (the records
//	                                                            of one epoch's activity types summed)
//	wearables.DataSleep             sleeps                      Sleep (stages from sleepLevelsMap, Garmin's totals),
//	                                                            nap Sleeps, respiration and SpO2 samples, sleep Score
//	DataBodyComps                   bodyComps                   weight, muscle and bone mass (from grams), body fat,
//	                                                            body water, BMI samples
//	DataStressDetails               stressDetails               stress-level and body battery samples
//	DataUserMetrics                 userMetrics                 VO2 max (running, cycling) samples
//	DataPulseOx                     pulseox                     SpO2 samples (all-day and on-demand)
//	DataRespiration                 allDayRespiration           respiratory-rate samples
//	DataHRV                         hrv                         RMSSD samples, nightly average as DailySummary sleep
//	DataBloodPressures              bloodPressures              systolic, diastolic and pulse samples
//	DataSkinTemp                    skinTemp                    skin temperature deviation (interval sample)
//	wearables.DataWorkouts          activities                  Workout (every Appendix A activity type mapped;
//	                                                            unknown → other, Garmin's name in RawType)
//	DataActivityDetails             activityDetails             the Workout with laps, GPS track and moving time,
//	                                                            1 Hz heart-rate, speed, power, elevation, cadence
//	                                                            and air temperature samples
//	DataManuallyUpdatedActivities   manuallyUpdatedActivities   Workout (the user's edit on Garmin Connect)
//
// Health snapshots, Move IQ events, activity files (FIT/TCX/GPX) and the
// Women's Health API are not synced; notifications of them are skipped.
// Values are canonical already (seconds, meters, kcal, bpm, ms, %, °C)
// except masses, which Garmin sends in grams and package normalize's unit
// registry converts. Times are Unix seconds with a "display time" offset
// that the user may set anywhere within 24 h of UTC: a summary whose offset
// is beyond ±18 h (what an offset can be) is rejected with a
// wearables.Rejection, not stored with a wrong local day.
//
// # Revisions
//
// Garmin re-sends summaries as they grow (an epoch synced after 12 of its
// 15 minutes, a day synced at noon) and as devices merge, under the same
// summaryId and start time; the upserts on natural keys replace them.
// Versions order the revisions that must not be undone by a late delivery:
// a sleep's AUTO_TENTATIVE/ENHANCED_TENTATIVE version (1) never overwrites
// its FINAL, manual or device version (2); a daily summary's version is its
// duration, so a complete day beats a mid-day sync; the three activity
// feeds describe one workout keyed by activityId, and details (2, with laps
// and track) beat the summary (1), a manual update on Garmin Connect (3)
// beats both.
//
// # How: webhooks first
//
// Garmin forbids pulling data no notification announced. It POSTs to the
// app's endpoints, configured per summary type in Garmin's tools, either
// PUSH bodies (the summaries themselves, several types and accounts per
// POST) or PING bodies (a callbackURL per account: the upload-time window
// and a pull token), plus deregistrations and permission changes. Provider
// implements wearables.WebhookHandler: VerifyWebhook compares the
// garmin-client-id header with Config.ClientID (Garmin signs nothing), and
// ParseWebhook turns a PUSH into events whose Records hold the normalized
// summaries, a PING into events naming the upload window (Start, End), a
// deregistration into WebhookDeauthorize, and a permission change into
// WebhookDeauthorize when no export permission is left (else a
// DataPermissions hint). Because nothing is signed, every event carries the
// Garmin account in ProviderUserID, and only events of accounts with a
// connection may be applied (the syncer drops the others); pushed records
// go through the same normalization and plausibility checks as pulled ones.
//
// Pull: Fetch reads one summary type for an upload-time window of at most
// MaxWindow (24 h) — the window a PING announced. Garmin refuses summary
// requests without the PING's pull token, which Fetch sends when it is
// given as FetchRequest.PageToken (Ping.PullToken, from ParsePings);
// FetchCallback fetches a PING's callbackURL exactly as given instead.
// Garmin does not paginate.
//
// Backfill: RequestBackfill (wearables.BackfillRequester) asks for the
// summaries of one type measured in a window; Garmin answers 202 and
// delivers them later through the same PUSH/PING endpoints. A window
// already requested answers 409 (ErrDuplicateBackfill, matching
// wearables.ErrConflict) and a user who did not grant historical data 403
// (ErrNoHistoricalPermission, matching wearables.ErrUnsupported), both as a
// *BackfillError. Manually updated activities cannot be backfilled.
//
// It also implements wearables.ProviderUserIDReader (GET user/id: the id
// notifications name), wearables.Revoker (DELETE user/registration, which
// Garmin requires when a user disconnects outside Garmin Connect) and
// Permissions (GET user/permissions).
//
// # Limits
//
// Garmin's notifications carry nothing to tell one deregistration of an
// account from a later one, so both have the same DedupeKey: an account
// that connects, disconnects, connects again and disconnects again is
// deauthorized once by an inbox that deduplicates on it. PUSH records that
// normalization rejects are dropped without a trace, since
// wearables.WebhookEvent has no place for rejections.
//
// # Cost
//
// BenchmarkNormalize times decoding alone (json.Unmarshal into the raw
// types) against decoding plus normalization and plausibility checks on the
// same bodies in the same run. On the recorded lists normalization costs
// 1.1–1.4× decoding; a full day of 15-second heart rate (5,760 samples) and
// an hour of 1 Hz activity details (3,600 samples, 25,000 records) cost
// about 1.3–1.5×, bounded by building one wearables.Sample per value.
//
// # Not verified against the live API
//
// There is no Garmin developer account behind this package: it follows the
// Health API specification v1.2.2, the Activity API specification v1.2.3
// and the Start Guide v1.1.0 as mirrored publicly, and other integrations'
// code; its fixtures are built from those documents' field tables and
// examples, not recorded. Unverified: the token endpoint's acceptance of
// client credentials in the form body, and refresh-token rotation (one
// integration reports that the previous refresh token keeps working); that
// Garmin answers 429 (with or without Retry-After) when rate limiting and
// sends no rate-limit headers; that pulls without a pull token are refused
// with 400 InvalidPullTokenException (reported by other integrations); the
// 403 backfill body; that summaryIds are stable across revisions of a
// summary (the examples derive them from the start time); that a manual
// update's summaryId is the activityId; that manual activities name the
// device "unknown" (the specification says so for manuallyUpdatedActivities
// only); the userMetrics date (Garmin gives a calendar date only: samples
// are placed at noon UTC of it, with no offset); that only Edge devices are
// not watches; the device types of body compositions without body fat
// (taken as manual entries) and of DEVICE blood pressures (unknown). The
// activities' activeKilocalories is mapped as the workout's active energy
// although the Activity API describes it as including BMR calories.
package garmin
