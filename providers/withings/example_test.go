package withings_test

import (
	"fmt"

	"github.com/wearables-go/wearables/providers/withings"
)

// A provider needs only the partner application's credentials; everything
// else defaults to Withings' production endpoints. The scopes travel as one
// comma-separated value, as Withings wants them.
func ExampleNew() {
	p := withings.New(withings.Config{ClientID: "my-client-id", ClientSecret: "my-client-secret"})
	spec := p.OAuth()
	fmt.Println(spec.Endpoint.AuthURL)
	fmt.Println(spec.Endpoint.TokenURL)
	fmt.Println(spec.Scopes)
	fmt.Println(p.DataTypes())
	// Output:
	// https://account.withings.com/oauth2_user/authorize2
	// https://wbsapi.withings.net/v2/oauth2
	// [user.info,user.metrics,user.activity,user.sleepevents]
	// [measures activity intraday workouts sleep]
}

// Every Withings workout category maps to a workout type; one added after
// the mapping is "other", and the workout keeps the number in RawType.
func ExampleWorkoutType() {
	for _, category := range []int{2, 308, 530, 566, 999} {
		fmt.Printf("%d → %s\n", category, withings.WorkoutType(category))
	}
	// Output:
	// 2 → running
	// 308 → indoor_cycling
	// 530 → cross_country_skiing
	// 566 → nordic_walking
	// 999 → other
}

// A notification is a form-encoded hint: it names the user, the category
// and the time range to fetch again with the user's token.
func ExampleProvider_ParseWebhook() {
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret"})
	events, err := p.ParseWebhook([]byte("userid=12345678&appli=44&startdate=1711834860&enddate=1711860720"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.ProviderUserID, e.DataType, e.Kind, e.Start.Format("2006-01-02T15:04Z"), e.End.Format("2006-01-02T15:04:05Z"))
	}
	// Output:
	// 12345678 sleep updated 2024-03-30T21:41Z 2024-03-31T04:52:01Z
}
