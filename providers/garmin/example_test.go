package garmin_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/wearables-go/wearables/providers/garmin"
)

// A provider needs only the app's OAuth credentials; everything else
// defaults to Garmin's production endpoints.
func ExampleNew() {
	p := garmin.New(garmin.Config{ClientID: "my-consumer-key", ClientSecret: "my-consumer-secret"})
	spec := p.OAuth()
	fmt.Println(spec.Endpoint.AuthURL)
	fmt.Println(spec.Endpoint.TokenURL)
	fmt.Println("PKCE:", spec.PKCE)
	fmt.Println(p.DataTypes())
	// Output:
	// https://connect.garmin.com/oauth2Confirm
	// https://diauth.garmin.com/di-oauth2-service/oauth/token
	// PKCE: true
	// [dailies epochs sleep body_comps stress_details user_metrics pulse_ox respiration hrv blood_pressures skin_temp workouts activity_details manually_updated_activities]
}

// A PUSH carries the summaries themselves: one event per summary type and
// account, with the normalized records. The caller applies an event only
// if it has a connection for its ProviderUserID — Garmin signs nothing.
func ExampleProvider_ParseWebhook() {
	p := garmin.New(garmin.Config{ClientID: "my-consumer-key"})
	body := []byte(`{"bodyComps":[{"userId":"4aacafe82427c251df9c9592d0c06768","summaryId":"x4aacafe-65edb26c",
		"measurementTimeInSeconds":1710076500,"measurementTimeOffsetInSeconds":-18000,"weightInGrams":76450}]}`)
	r := httptest.NewRequest("POST", "/webhooks/garmin", nil)
	r.Header.Set(garmin.ClientIDHeader, "my-consumer-key")
	if err := p.VerifyWebhook(r, body); err != nil {
		fmt.Println(err)
		return
	}
	events, err := p.ParseWebhook(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		s := e.Records.Samples[0]
		fmt.Println(e.ProviderUserID, e.DataType, s.Type, s.Value, s.Start.Format("2006-01-02 15:04 UTC"), s.Offset)
	}
	// Output:
	// 4aacafe82427c251df9c9592d0c06768 body_comps weight 76.45 2024-03-10 13:15 UTC -05:00
}

// Every Garmin activity type maps to a workout type; one without a mapping
// is "other", and the provider keeps Garmin's name in Workout.RawType.
func ExampleWorkoutType() {
	for _, t := range []string{"TRAIL_RUNNING", "LAP_SWIMMING", "KAYAKING_V2", "PADDELBALL", "HANG_GLIDING"} {
		fmt.Printf("%s → %s\n", t, garmin.WorkoutType(t))
	}
	// Output:
	// TRAIL_RUNNING → trail_running
	// LAP_SWIMMING → swimming_pool
	// KAYAKING_V2 → kayaking
	// PADDELBALL → padel
	// HANG_GLIDING → other
}
