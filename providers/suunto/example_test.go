package suunto_test

import (
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/wearables-go/wearables/providers/suunto"
)

// A provider needs the OAuth application's credentials and the API
// Management subscription key; everything else defaults to Suunto's
// production endpoints.
func ExampleNew() {
	p := suunto.New(suunto.Config{
		ClientID:           "my-client-id",
		ClientSecret:       "my-client-secret",
		SubscriptionKey:    "my-subscription-key",
		NotificationSecret: "my-notification-secret",
	})
	spec := p.OAuth()
	fmt.Println(spec.Endpoint.AuthURL)
	fmt.Println(spec.Endpoint.TokenURL)
	fmt.Println(p.DataTypes())
	// Output:
	// https://cloudapi-oauth.suunto.com/oauth/authorize
	// https://cloudapi-oauth.suunto.com/oauth/token
	// [workouts sleep activity_samples recovery daily_statistics]
}

// Every Suunto activityId maps to a workout type; an id without a mapping
// is "other", and the provider keeps the id in Workout.RawType.
func ExampleWorkoutType() {
	for _, id := range []int{22, 53, 99, 121, 500} {
		fmt.Printf("%d %q → %s\n", id, suunto.ActivityName(id), suunto.WorkoutType(id))
	}
	// Output:
	// 22 "Trail running" → trail_running
	// 53 "Treadmill" → treadmill_running
	// 99 "Gravel cycling" → gravel_cycling
	// 121 "Yoga" → yoga
	// 500 "" → other
}

// Suunto pushes the data inline: a verified notification parses into an
// event that already carries the normalized records.
func ExampleProvider_ParseWebhook() {
	p := suunto.New(suunto.Config{NotificationSecret: "s3cret"})
	body := []byte(`{"type":"SUUNTO_247_ACTIVITY_CREATED","username":"johndoe123","samples":[` +
		`{"timestamp":"2024-03-31T04:00:00.000+03:00","entryData":{"EnergyConsumption":16108.0,"HR":54,"SpO2":0.95,"StepCount":0}}]}`)
	r := httptest.NewRequest("POST", "/webhooks/suunto", strings.NewReader(string(body)))
	r.Header.Set(suunto.SignatureHeader, suunto.Sign("s3cret", body))
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
		fmt.Println(e.ProviderUserID, e.DataType, e.Kind)
		for _, s := range e.Records.Samples {
			fmt.Printf("  %s %s %.1f\n", s.Start.In(s.Offset.Location()).Format("15:04 -07:00"), s.Type, s.Value)
		}
	}
	// Output:
	// johndoe123 activity_samples created
	//   04:00 +03:00 heart_rate 54.0
	//   04:00 +03:00 steps 0.0
	//   04:00 +03:00 oxygen_saturation 95.0
	//   04:00 +03:00 total_energy 3.8
}
