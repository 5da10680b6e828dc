package ultrahuman_test

import (
	"fmt"

	"github.com/wearables-go/wearables/providers/ultrahuman"
)

// A provider needs only the partner application's credentials;
// everything else defaults to Ultrahuman's production endpoints.
func ExampleNew() {
	p := ultrahuman.New(ultrahuman.Config{ClientID: "my-client-id", ClientSecret: "my-client-secret"})
	spec := p.OAuth()
	fmt.Println(spec.Endpoint.AuthURL)
	fmt.Println(spec.Endpoint.TokenURL)
	fmt.Println(spec.Scopes)
	fmt.Println(p.DataTypes())
	// Output:
	// https://auth.ultrahuman.com/authorise
	// https://partner.ultrahuman.com/api/partners/oauth/token
	// [ring_data cgm_data profile]
	// [daily_metrics]
}
