// Package withings is the wearables.Provider for the Withings Public Health
// Data API (https://wbsapi.withings.net): Withings scales, blood-pressure
// monitors, thermometers, watches and sleep mats, pulled over OAuth 2.0 and
// kept current by per-user notifications.
//
// # What syncs
//
// Each data type is one Withings service with its own cursor:
//
//	DataType               Withings service                  normalized into
//	DataMeasures           /measure getmeas                  instant samples: weight, height, fat-free mass, fat ratio,
//	                                                         fat mass, muscle, hydration (body water mass), bone,
//	                                                         visceral fat, BMR, systolic/diastolic BP, heart pulse,
//	                                                         SpO2, body and skin temperature, pulse wave velocity,
//	                                                         VO2max (value × 10^unit through normalize.Pow10)
//	DataActivity           /v2/measure getactivity           DailySummary activity (steps, distance, floors, soft/
//	                                                         moderate/intense and active time, active and total
//	                                                         energy, average/min/max heart rate)
//	DataIntraday           /v2/measure getintradayactivity   samples: steps, floors, active energy, distance, swim
//	                                                         strokes and laps over each entry's duration; heart
//	                                                         rate, SpO2, RMSSD, SDNN, respiratory rate, core body
//	                                                         temperature at their instant
//	wearables.DataWorkouts /v2/measure getworkouts           Workout (every category mapped, unknown → other with the
//	                                                         number in RawType; zones, pauses, manual entries)
//	wearables.DataSleep    /v2/sleep getsummary + get        Sleep with its stages (states 0–5 and 15 out of bed via
//	                                                         normalize.SchemeWithings), totals, efficiency, latency,
//	                                                         heart and breathing rates; sleep Score; AHI and snoring
//	                                                         interval samples; per-minute HR, RR, RMSSD, SDNN
//
// Withings stamps records with an IANA zone name ("Europe/Paris", per
// record for activity, workouts and sleep, per response for measures);
// each record's offset is that zone's offset at the record's own instant,
// so a night across a DST change starts at +01:00 and its later samples
// are at +02:00, and a day's summary has the offset of its local
// midnight. Intraday entries carry no zone: they have wearables.NoOffset.
// Implausible values come back as wearables.Rejection values
// (normalize.ValidateBatch).
//
// # How
//
// Pull: every call is a form-encoded POST with an action. Day-keyed
// services (activity, workouts, sleep summaries) take startdateymd/
// enddateymd, one day wider than the window on each side, and page with
// more/offset (the page token is Withings' offset), as does getmeas with
// epoch startdate/enddate. Intraday activity and sleep stages answer at
// most 24 hours: DataIntraday walks its window in 24-hour steps (the page
// token is the step), keeping entries in [step start, step end) since
// Withings' bounds are inclusive; DataSleep fetches each session's stages
// over the session's bounds, one call per session (a page of n sessions
// costs n+1 of the app's 120 requests a minute; a failed stage call fails
// the page).
//
// Errors: Withings answers HTTP 200 with a status in the body. A non-zero
// status is a *wearables.ProviderError whose StatusCode is Withings'
// status and whose chain matches the sentinel of its family (statusError):
// 401 and the other "Authentication failed" statuses match
// wearables.ErrUnauthorized, 601 is RateLimited (matching
// wearables.ErrRateLimited, RetryAfter one minute, since Withings gives no
// reset), "Invalid params" matches wearables.ErrInvalid. The shared
// providerhttp.Transport refreshes on HTTP 401 only; Fetch and the
// subscription calls slip a small transport under it that shows an
// in-body authentication failure as HTTP 401, so a 401 inside a 200 costs
// exactly one refresh and one retry like everywhere else.
//
// Push: Withings notifications are per user and per category ("appli"):
// EnsureUserSubscriptions (run by ProviderUserID at connect time when
// Config.NotifyCallbackURL is set) subscribes the user with the user's own
// token, Subscribe, Unsubscribe and ListSubscriptions manage single
// categories, and VerificationHandler answers the HEAD Withings sends to a
// callback URL before it accepts it. Notifications are form-encoded POSTs
// (userid, appli, startdate/enddate or date, deviceid, action); Withings
// signs nothing, so VerifyWebhook only checks the method and, when
// Config.WebhookToken is set, a ?token= that the deployment put in its
// callback URL; ParseWebhook turns a notification into hints to re-fetch
// the window it names with our own token (appli 1, 2, 4 → measures; 16 →
// activity, intraday, workouts; 44 → sleep; 46 unlink/delete →
// deauthorize). A forged notification therefore costs a fetch, never bad
// data. The provider does not implement wearables.SubscriptionManager,
// whose EnsureSubscriptions has no user to subscribe.
//
// # OAuth
//
// Authorization code without PKCE, client credentials in the form, scopes
// comma-separated (OAuth returns them as one value so x/oauth2 does not
// join them with spaces). The token endpoint is not RFC 6749: it is POST
// /v2/oauth2 with action=requesttoken and answers {"status":0,"body":{
// access_token, refresh_token, expires_in, scope, userid …}}, which
// x/oauth2 cannot parse. TokenTransport adapts both directions (and maps
// statuses to RFC 6749 errors: invalid params → invalid_grant); wire it
// with TokenClient wherever x/oauth2 talks to Withings — as
// oauthflow.Config.HTTPClient (it passes every other request through
// untouched) or as the client of providerhttp.NewLocalTokens.
// ProviderUserID reads the token's userid. RevokeUser revokes a user with
// a signed, nonce-protected app call (Sign); it needs the user id, which
// is why the provider does not implement wearables.Revoker.
//
// Access tokens last 3 hours. Refresh tokens last a year and rotate on
// every refresh, but the previous refresh token stays valid for 8 hours
// after the rotation, or until the new access token is first used. For a
// token broker this means: a refresh whose result was lost (a crash or a
// failed commit after Withings answered) can be repeated with the old
// refresh token, provided the new access token was never used — so the
// rotated pair must be persisted before its access token is handed out
// (oauthflow's broker does), and an invalid_grant after re-reading the
// stored token is final, not a race.
//
// # Cost
//
// BenchmarkNormalize times decoding alone (json.Unmarshal into the raw
// types) and decoding plus normalization and plausibility checks on the
// same page in the same run. Medians of 8 runs on a shared, loaded 2-core
// machine: measures 1.4×, activity 1.2×, a full intraday day (1,440
// entries) 1.2×, workouts 1.2×, sleep summaries with a night's stages
// 1.3× (target ≤ 1.5):
//
//	go test ./providers/withings -run '^$' -bench Normalize -benchmem -count 8
//
// # Not verified against the live API
//
// From the OpenAPI document and Withings' public documentation, not a live
// account: that status comes first in every body (the in-body 401 is
// turned into a refresh only then; otherwise it is still
// wearables.ErrUnauthorized, without the refresh); the token endpoint's
// status for a used or unknown refresh token (503 "invalid params" is
// assumed, mapped to invalid_grant) and the 8-hour overlap; per-group
// timezones in getmeas (used when present); the epoch of intraday entries
// being their start; the meaning of appli 46's actions (unlink and delete
// are read as deauthorization) and of 58 and 62 (ignored); that Withings
// calls a callback URL with its query string (for Config.WebhookToken);
// the signature protocol of RevokeUser (values of action, client_id and
// nonce in name order, comma-joined, HMAC-SHA256 with the client secret),
// checked against several public clients. Ids are numbers in the
// documentation; the decoder also accepts strings (the sleep fixture has
// one on purpose), and empty series spelled [] by Withings' PHP. Deleted
// measures and workouts are not reported by any service, so records
// deleted at Withings stay here.
package withings
