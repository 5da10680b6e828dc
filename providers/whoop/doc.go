// Package whoop is the wearables.Provider for the WHOOP Developer API v2
// (https://api.prod.whoop.com/developer): WHOOP bands, pulled over OAuth
// 2.0 and kept current by webhooks.
//
// # What syncs
//
// Three feeds, each with its own cursor:
//
//	DataType               WHOOP collections             normalized into
//	DataCycles             /v2/cycle + /v2/recovery      per SCORED cycle: Score strain (0–21, average and
//	                                                     max heart rate as contributors), interval samples
//	                                                     of total energy (kilojoules → kcal) and maximum
//	                                                     heart rate over the cycle; per SCORED recovery:
//	                                                     Score recovery (0–100 %), samples of resting heart
//	                                                     rate, HRV RMSSD (ms), SpO2 (%) and skin temperature
//	                                                     (°C) at the recovery's created_at
//	wearables.DataSleep    /v2/activity/sleep            Sleep (nap flag from WHOOP; stage totals from ms:
//	                                                     light, slow wave → deep, REM, awake, no data →
//	                                                     unknown, the rest of time in bed → in bed;
//	                                                     efficiency, respiratory rate) and Score sleep from
//	                                                     sleep performance (0–100 %)
//	wearables.DataWorkouts /v2/activity/workout          Workout (sport_name → workout type over WHOOP's
//	                                                     whole sport list, v1 sport_id as fallback, unknown
//	                                                     → other with the name in RawType; heart rate,
//	                                                     kilojoules → kcal, distance, altitude gain, time
//	                                                     in zones 0–5)
//
// WHOOP has no hypnogram and no intraday heart rate or steps in its public
// API, so there are no stage intervals and no dense series.
//
// Score states: only a SCORED record carries measurements. A PENDING_SCORE
// or UNSCORABLE sleep or workout keeps what is known — its bounds, offset,
// nap flag or sport — with no totals, metrics or score; an unscored cycle
// or recovery gives nothing, since all it knows is its bounds. When WHOOP
// scores it later (and says so with a *.updated webhook), the next fetch
// replaces the record: every record carries its updated_at (Unix ms) as
// Version.
//
// Ids: sleeps and workouts are keyed by their v2 UUID, cycles (strain) by
// their int64 id, recoveries by the UUID of their sleep — the id v2
// webhooks name a recovery by. v1 ids (v1_id, sport_id) are decoded when a
// payload still carries them; sport_id is used only to type a workout
// whose sport_name is unknown.
//
// Time: WHOOP sends UTC instants and the user's timezone_offset; records
// keep both. A cycle is placed on the local day of its start plus 12 hours
// (the night that starts it belongs to the next day), and its recovery on
// the same day. The recovery payload has no offset of its own; each cycles
// page therefore fetches the recoveries in the span its cycles cover (one
// request for up to 25 cycles) and gives each recovery its cycle's offset
// (the one at the cycle's start, so a recovery the morning after a DST
// change keeps the evening's offset).
//
// # How
//
// Pull: collections take start, end and limit (at most 25), answer newest
// first, and page with a nextToken query parameter announced as next_token
// in the body. Fetch returns one page; its NextPageToken is WHOOP's token.
//
// Push: WHOOP posts a webhook to one URL per app. Provider implements
// wearables.WebhookHandler: X-WHOOP-Signature is base64(HMAC-SHA256(client
// secret, X-WHOOP-Signature-Timestamp + raw body)), the timestamp in Unix
// milliseconds must be within Config.WebhookTolerance (5 minutes) of now.
// *.updated events are hints to fetch the feed again; *.deleted events
// carry their deletes inline (see ParseWebhook).
//
// OAuth: client credentials in the token request body; the offline scope
// is needed for a refresh token, and refresh tokens rotate on every use
// (the token broker persists each new one). It also implements
// wearables.ProviderUserIDReader (/v2/user/profile/basic) and
// wearables.Revoker (DELETE /v2/user/access, which also stops webhooks).
//
// # Not verified against the live API
//
// These come from WHOOP's OpenAPI document, its developer pages and other
// integrations, not from a live account: that PKCE is accepted (WHOOP does
// not require it; its OAuth server supports it) and that a refresh without
// scope=offline keeps the offline grant; whether 429s carry Retry-After
// (X-RateLimit-Reset is parsed either way); that the recovery collection's
// window selects recoveries by the start of their sleep, which is where
// their cycle starts (a cycles page asks for the whole span of its cycles,
// so either reading finds them); whether sport_name is a slug
// ("hiking-rucking") or a display name ("Hiking/Rucking") — both are
// matched; that the last page omits next_token (null and "" are read the
// same way); and the day a cycle is attributed to, which WHOOP's API does
// not state.
package whoop
