// Package coros is the wearables.Provider for the COROS partner API
// (https://open.coros.com): COROS watches' workouts, pulled over OAuth 2.0
// and pushed by COROS to the partner's endpoint.
//
// COROS documents its API only privately, to approved partners
// (api@coros.com); nothing of it is public. This package is built from
// independent open-source integrations that call open.coros.com, and
// every vendor fact below is unverified against COROS's documentation or
// a live account. The fixtures under testdata are built from the shapes
// those integrations show, not recorded.
//
// # What syncs
//
// One feed, wearables.DataWorkouts:
//
//	GET /v2/coros/sport/list?openId=…&startDate=YYYYMMDD&endDate=YYYYMMDD
//
// answers {"result": "0000", "message": "OK", "data": [workout…]}; each
// workout becomes a wearables.Workout: labelId is its id (a string, or a
// number in older payloads); mode and subMode its sport (see WorkoutType;
// an unknown pair is "other" with "mode:subMode" kept in RawType);
// startTime and endTime epoch seconds stamped with startTimezone, a count
// of 15-minute steps east of UTC (32 = UTC+8; normalize
// OffsetFromQuarterHours) — a workout across a DST switch keeps its start
// zone; without endTime a workout ends duration (else totalTime) seconds
// after its start; distance in meters, calories as energy in kcal, avgHr
// and maxHr in bpm (0 is "not measured"), step, deviceName as the source's
// model. A triathlon or multisport workout is kept whole; its
// triathlonItemList legs and the FIT file at fitUrl are not read.
// Implausible workouts come back as wearables.Rejection values. COROS
// sends no deletions, so nothing is deleted.
//
// # How
//
// OAuth 2.0 authorization code without PKCE at /oauth2/authorize and
// /oauth2/accesstoken, client credentials in the form body, no scopes. The
// token response carries openId, the provider user id (ProviderUserID
// reads it; a request names the user by it). Revoke posts the access token
// to /oauth2/deauthorize. Fetch widens a window to whole UTC dates and
// asks for WindowDays dates at a time (startDate and endDate inclusive),
// the page token naming the next chunk; a result other than "0000" is a
// *wearables.ProviderError with the code as StatusCode.
//
// Push: COROS posts {"sportDataList": [workout with openId…]} to the
// partner's endpoint when a workout syncs. Provider implements
// wearables.WebhookHandler: VerifyWebhook compares the ClientHeader and
// SecretHeader headers with Config.ClientID and ClientSecret (constant
// time); ParseWebhook returns one created event per workout with the
// normalized workout inline. COROS signs nothing: treat pushes as
// untrusted and check each openId against known connections.
//
// # What is assumed, and from where
//
// From several independent clients (among them a production partner
// integration's tests and the wearables reference notes): the hosts and
// routes; the token exchange parameters and openId; the envelope and
// "0000"; the workout fields above and the sportDataList push body; the
// (mode, subMode) taxonomy, taken from one partner integration and
// incomplete. Assumed without any public source: the units of distance
// (m), duration (s) and calories (kcal); that the time zone counts
// quarter hours without bias (the only sample is 32 for UTC+8); that
// startDate/endDate filter on the start date and that 30 dates per request
// are accepted; that the access token is accepted as a bearer header (the
// clients pass it as a token query parameter, which the provider cannot:
// the authorized *http.Client adds the header); that refreshing works at
// the token URL (clients refresh at /oauth2/refresh-token or
// /oauth2/refresh_token, a URL OAuthSpec cannot express); the push's
// client and secret headers; the result codes of errors; rate limits
// (none published; a 429 with Retry-After is assumed). Daily data
// (/v2/coros/daily/list, referenced by some clients) has no known shape
// and is not synced.
package coros
