package garmin_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/garmin"
	"github.com/wearables-go/wearables/providers/providertest"
)

// userID is the recorded account's Garmin API user id (user_id.json).
const userID = "4aacafe82427c251df9c9592d0c06768"

// kitClientID is the OAuth client id of the kit's fake server
// (providertest.Env.ClientID): Garmin names the app in the garmin-client-id
// header, so the recorded notifications carry it. newProvider checks it.
const kitClientID = "providertest-client"

// newProvider builds the provider against the kit's fake Garmin.
func newProvider(env providertest.Env) (*garmin.Provider, error) {
	if env.ClientID != kitClientID {
		return nil, fmt.Errorf("the kit's client id is %q; the webhook vectors name %q", env.ClientID, kitClientID)
	}
	return garmin.New(garmin.Config{
		ClientID:     env.ClientID,
		ClientSecret: env.ClientSecret,
		BaseURL:      env.URL,
		AuthorizeURL: env.URL + "/oauth2Confirm",
		TokenURL:     env.URL + "/di-oauth2-service/oauth/token",
	}), nil
}

// vendor is how Garmin behaves, for the fake server.
var vendor = providertest.Vendor{
	AuthorizePath:       "/oauth2Confirm",
	TokenPath:           "/di-oauth2-service/oauth/token",
	AuthStyle:           oauth2.AuthStyleInParams,
	PKCE:                true,
	RotateRefreshTokens: true,
	AccessTokenTTL:      24 * time.Hour,
	TokenExtra:          map[string]any{"refresh_token_expires_in": 7775998},
	Revoke:              providertest.Revoke{Method: http.MethodDelete, Path: "/wellness-api/rest/user/registration", Status: http.StatusNoContent},
	RateLimit:           garmin.RateLimit,
	ErrorBody: func(status int) string { // Appendix E of the Health API
		return fmt.Sprintf(`{"errorMessage":%q}`, http.StatusText(status))
	},
	RewriteURLs: []string{garmin.DefaultBaseURL},
	// Garmin signs nothing: notifications carry the app's client id.
	Webhook: providertest.Webhook{Path: "/webhooks/garmin"},
}

// The recorded upload window: 24 hours from 2024-03-10T13:00Z, the day US
// clocks went forward (the sleep fixture's night has 6 h 55 min between
// 23:10 CST and 07:05 CDT).
var (
	windowStart = time.Date(2024, 3, 10, 13, 0, 0, 0, time.UTC)
	windowEnd   = windowStart.Add(24 * time.Hour)
	// pingStart and pingEnd are the upload window webhook_ping.json
	// announces.
	pingStart = time.Unix(1710075731, 0).UTC()
	pingEnd   = time.Unix(1710075735, 0).UTC()
)

// summaryCase is a recorded upload window of one summary type.
func summaryCase(name string, dt wearables.DataType, route, file string) providertest.Case {
	return windowCase(name, dt, route, file, windowStart, windowEnd)
}

func windowCase(name string, dt wearables.DataType, route, file string, start, end time.Time) providertest.Case {
	return providertest.Case{
		Name:     name,
		DataType: dt,
		Start:    start,
		End:      end,
		Path:     "/wellness-api/rest/" + route,
		Query: map[string]string{
			"uploadStartTimeInSeconds": fmt.Sprint(start.Unix()),
			"uploadEndTimeInSeconds":   fmt.Sprint(end.Unix()),
		},
		Pages: []providertest.Page{{File: file}},
	}
}

// clientHeader is what Garmin sends with every notification.
var clientHeader = map[string]string{garmin.ClientIDHeader: kitClientID}

// Backfill windows: 30 days up to 2024-03-11, by measurement time.
var (
	backfillStart = time.Date(2024, 2, 10, 0, 0, 0, 0, time.UTC)
	backfillEnd   = time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)
	backfillQuery = map[string]string{"summaryStartTimeInSeconds": "1707523200", "summaryEndTimeInSeconds": "1710115200"}
)

func suite() providertest.Suite {
	return providertest.Suite{
		NewProvider: func(env providertest.Env) (wearables.Provider, error) { return newProvider(env) },
		Vendor:      vendor,
		Fixtures: providertest.Fixtures{
			Dir:            "testdata",
			ProviderUserID: userID,
			Cases: []providertest.Case{
				// A complete day, and the DST day synced mid-day: no
				// resting heart rate yet (null), not enough stress data (-1).
				summaryCase("dailies", garmin.DataDailies, "dailies", "dailies.json"),
				// Two records of one epoch (sedentary and walking) and a
				// running epoch synced after 12 of its 15 minutes.
				summaryCase("epochs", garmin.DataEpochs, "epochs", "epochs.json"),
				// The DST night (final, with stages, REM, respiration, SpO2,
				// a score and an afternoon nap), an off-wrist night without
				// calendarDate, and a night stamped +20:00 by a device set
				// to a far-off time: rejected.
				summaryCase("sleeps", wearables.DataSleep, "sleeps", "sleeps.json"),
				summaryCase("body_comps", garmin.DataBodyComps, "bodyComps", "body_comps.json"),
				summaryCase("stress_details", garmin.DataStressDetails, "stressDetails", "stress_details.json"),
				summaryCase("user_metrics", garmin.DataUserMetrics, "userMetrics", "user_metrics.json"),
				summaryCase("pulse_ox", garmin.DataPulseOx, "pulseOx", "pulse_ox.json"),
				summaryCase("respiration", garmin.DataRespiration, "respiration", "respiration.json"),
				summaryCase("hrv", garmin.DataHRV, "hrv", "hrv.json"),
				summaryCase("blood_pressures", garmin.DataBloodPressures, "bloodPressures", "blood_pressures.json"),
				summaryCase("skin_temp", garmin.DataSkinTemp, "skinTemp", "skin_temp.json"),
				// A run (activityId as a number), a trail run in Nepal
				// (+05:45, activityId as a string), an unknown sport, a
				// manual entry with a null heart rate, and an elliptical
				// session with a glitched maximum heart rate: rejected.
				summaryCase("activities", wearables.DataWorkouts, "activities", "activities.json"),
				summaryCase("activity_details", garmin.DataActivityDetails, "activityDetails", "activity_details.json"),
				summaryCase("manually_updated_activities", garmin.DataManuallyUpdatedActivities, "manuallyUpdatedActivities", "manually_updated_activities.json"),
				// The windows webhook_ping.json announces: a few seconds of
				// upload time, one new epoch and the run (uploaded again).
				windowCase("epochs_ping", garmin.DataEpochs, "epochs", "epochs_ping.json", pingStart, pingEnd),
				windowCase("activities_ping", wearables.DataWorkouts, "activities", "activities_ping.json", pingStart, pingEnd),
			},
			Static: []providertest.Static{
				{Path: "/wellness-api/rest/user/id", File: "user_id.json"},
				{Path: "/wellness-api/rest/user/permissions", File: "user_permissions.json"},
				{Path: "/wellness-api/rest/backfill/dailies", Query: backfillQuery, Status: http.StatusAccepted},
				{Path: "/wellness-api/rest/backfill/activities", Query: backfillQuery, Status: http.StatusConflict, File: "backfill_duplicate.json"},
				{Path: "/wellness-api/rest/backfill/sleeps", Query: backfillQuery, Status: http.StatusForbidden, File: "backfill_forbidden.json"},
			},
			Webhooks: []providertest.WebhookVector{
				// PUSH: dailies of two accounts, the DST night's TENTATIVE
				// sleep, and a health snapshot (not synced: skipped).
				{File: "webhook_push_mixed.json", Header: clientHeader},
				// PUSH: an activity and its details.
				{File: "webhook_push_activity.json", Header: clientHeader},
				// PING: epochs and activities of one account, and an
				// activity file of another (not synced: skipped).
				{File: "webhook_ping.json", Header: clientHeader},
				{File: "webhook_deregistration.json", Header: clientHeader},
				{File: "webhook_permissions_change.json", Header: clientHeader},
				{File: "webhook_permissions_withdrawn.json", Header: clientHeader},
				// Refused: another app's client id, no client id, not a
				// notification.
				{File: "webhook_foreign_app.json", Header: map[string]string{garmin.ClientIDHeader: "another-app"}, Reject: true},
				{Name: "webhook_no_client_id", File: "webhook_deregistration.json", Reject: true},
				{File: "webhook_malformed.json", Header: clientHeader, Reject: true},
			},
		},
		Backfills: []providertest.BackfillCase{
			{Name: "dailies_accepted", DataType: garmin.DataDailies, Start: backfillStart, End: backfillEnd, Path: "/wellness-api/rest/backfill/dailies"},
			{Name: "activities_duplicate", DataType: wearables.DataWorkouts, Start: backfillStart, End: backfillEnd, Path: "/wellness-api/rest/backfill/activities", Want: garmin.ErrDuplicateBackfill},
			{Name: "sleeps_forbidden", DataType: wearables.DataSleep, Start: backfillStart, End: backfillEnd, Path: "/wellness-api/rest/backfill/sleeps", Want: garmin.ErrNoHistoricalPermission},
		},
		FollowWebhookWindows: true,
	}
}

// TestConformance runs the provider kit on the Garmin fixtures.
func TestConformance(t *testing.T) {
	providertest.Run(t, suite())
}
