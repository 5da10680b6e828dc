package oura_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/wearables-go/wearables/providers/oura"
)

// A provider needs only the API application's credentials; everything else
// defaults to Oura's production endpoints.
func ExampleNew() {
	p := oura.New(oura.Config{ClientID: "my-client-id", ClientSecret: "my-client-secret"})
	spec := p.OAuth()
	fmt.Println(spec.Endpoint.AuthURL)
	fmt.Println(spec.Endpoint.TokenURL)
	fmt.Println(spec.Scopes)
	fmt.Println(p.DataTypes())
	// Output:
	// https://cloud.ouraring.com/oauth/authorize
	// https://api.ouraring.com/oauth/token
	// [personal daily heartrate workout session spo2Daily]
	// [sleep daily_sleep daily_readiness daily_activity daily_spo2 daily_stress daily_resilience heartrate workouts session vo2_max]
}

// Every Oura activity maps to a workout type; one without a mapping is
// "other", and the provider keeps Oura's name in Workout.RawType.
func ExampleWorkoutType() {
	for _, activity := range []string{"running", "strength_training", "cross_country_skiing", "unicycling"} {
		fmt.Printf("%s → %s\n", activity, oura.WorkoutType(activity))
	}
	// Output:
	// running → running
	// strength_training → strength_training
	// cross_country_skiing → cross_country_skiing
	// unicycling → other
}

// Oura checks a new subscription's callback URL with a GET carrying the
// verification token and a challenge to echo.
func ExampleProvider_VerificationHandler() {
	p := oura.New(oura.Config{ClientID: "id", ClientSecret: "secret", VerificationToken: "s3cret-token"})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/webhooks/oura?verification_token=s3cret-token&challenge=abc123", nil)
	p.VerificationHandler().ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 200 {"challenge":"abc123"}
}
