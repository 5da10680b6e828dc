// Package strava is the provider for the Strava API v3: the athlete's
// activities as workouts and, opt-in, their recorded streams as samples.
// Strava has no sleep, daily or body data (only the athlete's profile
// weight, which is not synced).
//
// # What syncs, and how
//
// Everything is pulled from GET /athlete/activities, by window (after and
// before in epoch seconds) and page number (page, per_page); an empty page
// ends a window. Two data types:
//
//   - wearables.DataWorkouts: one workout per activity. By default each
//     listed activity's detailed representation is fetched too (GET
//     /activities/{id}), because only it carries calories and laps; a page
//     then costs 1 + Config.PageSize read requests (31 by default).
//     Config.SkipDetails uses the list alone.
//   - DataStreams (opt-in with Config.Streams): heart rate, power, cadence,
//     speed, elevation, temperature and latitude/longitude from GET
//     /activities/{id}/streams, one sample per recorded point — thousands
//     per hour of exercise, one request per activity.
//
// Webhooks (see below) announce new, changed and deleted activities and
// deauthorizations; they are hints, and FetchActivity re-fetches the one
// activity an event names.
//
// # Rate limits
//
// Strava limits each application, across all its users: by default 100
// read requests per 15 minutes and 1,000 per day (200 and 2,000 for all
// requests). The 15-minute windows reset on the clock at :00, :15, :30 and
// :45, the daily one at midnight UTC, and Strava says so in no header: it
// sends X-RateLimit-Limit / X-RateLimit-Usage and X-ReadRateLimit-Limit /
// X-ReadRateLimit-Usage, each "15-minute,daily" ("100,1000"). A 429 is a
// *wearables.ProviderError matching wearables.ErrRateLimited whose ResetAt
// is midnight UTC when the usage headers show a daily limit used up, else
// the next quarter hour. A page fails as a whole: a 429 on its tenth detail
// request returns no records, and the page is fetched again after the
// reset. Budget a backfill accordingly (SkipDetails, smaller pages, fewer
// streams).
//
// # Mapping
//
//   - Sport: sport_type through the full SportType taxonomy onto the
//     workout catalog (Ride with trainer set is indoor cycling, Run with
//     trainer — Strava's "Treadmill" toggle — treadmill running); without
//     sport_type the deprecated type is used, and an unknown sport_type
//     falls back to type only when type is specific (a new kind of "Ride"),
//     not the generic "Workout". Anything else is WorkoutOther with the name
//     in RawType.
//   - Time: Start is start_date (UTC) and Offset utc_offset, sent as 3600.0
//     or -28800. start_date_local is local wall time mislabelled "Z"; it is
//     read (normalize.ParseStravaLocal) only when start_date or utc_offset is
//     missing. The "(GMT+01:00)" prefix of timezone is the zone's standard
//     offset, not the one in force, and is ignored. End is Start plus
//     elapsed_time, so a run across a DST switch lasts what it lasted;
//     MovingTime is moving_time.
//   - Energy: the detailed activity's calories (kcal). Strava sends 0 when it
//     has no estimate; that is no energy, not zero. Without calories, a ride
//     measured with a power meter (device_watts) gets its mechanical work,
//     kilojoules, as kcal one to one — the estimate Strava itself uses (see
//     workToKcal) — never kJ ÷ 4.184, which would be a unit conversion of a
//     different quantity.
//   - Power: only measured power (device_watts); Strava's estimates for rides
//     without a power meter are dropped.
//   - Cadence: foot sports report strides (one foot) per minute; they are
//     doubled into steps per minute. Rides keep rpm, rowing and paddling
//     their stroke rate.
//   - Zeros: Strava sends 0 for what it did not record (the distance of a
//     gym session, the speed of a manual entry): those metrics are left nil.
//     total_elevation_gain 0 counts only when the recording has altitude
//     (elev_high).
//   - Source: provider strava, recording method manual for manual entries,
//     no device — device_name is in the detailed representation only, and
//     the source must not depend on whether details were fetched.
//   - Streams: samples at start_date + time[i] with the activity's offset;
//     speed and power land on cycling or running series by sport, cadence on
//     cycling cadence, step cadence or rowing stroke rate (other sports'
//     cadence is dropped), temperature on water temperature for swims. null
//     readings (a power meter dropping out) are skipped.
//
// Every page ends with normalize.ValidateBatch: implausible records (a GPS
// glitch's 187 m/s max speed, a heart rate of 0) become rejections.
//
// # OAuth
//
// Client credentials go in the form body; no PKCE; access tokens last six
// hours and refresh tokens rotate. Scopes are comma-separated (OAuth
// returns them joined in one element). The athlete's id comes back in the
// code exchange's token response ({"athlete": {"id": …}}), read by
// ProviderUserID (with GET /athlete as fallback). Revoke posts to
// /oauth/deauthorize.
//
// # Webhooks
//
// One push subscription per application. Strava validates its callback
// with a GET carrying hub.mode, hub.verify_token and hub.challenge, to be
// echoed as JSON within two seconds: mount ChallengeHandler on the callback
// URL for GET. Events arrive as POSTs: {object_type, object_id,
// aspect_type, updates, owner_id, subscription_id, event_time}.
//
// Strava does not sign webhooks. VerifyWebhook only checks that the event
// names this application's subscription (Config.SubscriptionID), which is
// not a secret; so events carry no data and are treated as hints: the
// syncer fetches the activity again with the user's token (FetchActivity),
// and only a 404 confirms a deletion. An athlete deauthorization is likewise
// confirmed when the user's token stops working. The conformance kit's
// signature checks do not apply (its Webhook.Sign is nil); a vector with a
// foreign subscription id must be refused instead.
//
// # Cost of normalization
//
// BenchmarkNormalize times Fetch's pipeline against json.Unmarshal of the
// same body alone, in one run (2-CPU AMD EPYC, shared): a 200-activity list
// page normalizes at 1.21× its decoding time (2.0 ms), a detailed activity
// at 1.10×, an hour of streams at 1.6–1.7× (5.5 ms for 25,200 samples). The
// streams' excess is the output itself: allocating and writing 25,200
// wearables.Sample values of 184 bytes costs about 1 ms before any mapping,
// and normalize.ValidateBatch 0.7 ms; the streams are decoded by a
// hand-written number scanner, so the baseline is already fast.
//
// # Unverified
//
// Checked against Strava's public documentation: endpoints, token
// response, scopes, webhook and challenge formats, rate-limit headers and
// their reset rule. The fixtures under testdata/ are built from the API
// reference and public examples of real responses (field order, compact
// JSON, utc_offset spelled 3600.0), not recorded from a live account.
// Not verified against the live API:
//
//   - whether after and before compare strictly (after is sent a second
//     early and the window is filtered here);
//   - that 429s carry no Retry-After and do carry the usage headers (a
//     Retry-After would be honoured);
//   - that calories is 0, not absent, when Strava has no estimate;
//   - that run and walk cadence is strides per minute (third-party reports
//     agree: an Apple Watch's 182 steps/min shows as 91);
//   - the sport types Padel, Basketball, Volleyball, Cricket and Dance
//     (seen in third-party code, not in the reference);
//   - that the detail and streams endpoints answer 404 for an activity
//     deleted meanwhile or hidden from an activity:read token, and that the
//     streams endpoint answers an object when key_by_type=true (the array
//     form decodes too);
//   - webhook updates values as strings ("true", "false"); JSON booleans are
//     accepted too.
package strava
