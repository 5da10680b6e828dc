package coros_test

import (
	"fmt"

	"github.com/wearables-go/wearables/providers/coros"
)

// A provider needs only the partner application's credentials;
// everything else defaults to COROS's production endpoints.
func ExampleNew() {
	p := coros.New(coros.Config{ClientID: "my-client-id", ClientSecret: "my-client-secret"})
	spec := p.OAuth()
	fmt.Println(spec.Endpoint.AuthURL)
	fmt.Println(spec.Endpoint.TokenURL)
	fmt.Println(p.DataTypes())
	// Output:
	// https://open.coros.com/oauth2/authorize
	// https://open.coros.com/oauth2/accesstoken
	// [workouts]
}

// COROS names a sport by mode and sub-mode; an unknown pair is "other".
func ExampleWorkoutType() {
	for _, s := range [][2]int64{{8, 1}, {9, 2}, {10, 2}, {99, 9}} {
		fmt.Printf("%d:%d → %s\n", s[0], s[1], coros.WorkoutType(s[0], s[1]))
	}
	// Output:
	// 8:1 → running
	// 9:2 → indoor_cycling
	// 10:2 → swimming_pool
	// 99:9 → other
}
