package providertest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/providertest"
)

// Check runs the kit outside go test and returns a report. Here it vets the
// in-test acme vendor; examples/customprovider does the same from a program.
func ExampleCheck() {
	rep := providertest.Check(acmeSuite(acmeConfig{}))
	fmt.Println("failed:", rep.Failed())

	// A planted bug — the provider ignores the caller's context — fails the
	// check that guards against it.
	rep = providertest.Check(acmeSuite(acmeConfig{ignoreContext: true}))
	for _, r := range rep.Failures() {
		if r.Name == "Conformance/Faults/workouts/latency_deadline" {
			fmt.Println("caught:", r.Name)
		}
	}
	// Output:
	// failed: false
	// caught: Conformance/Faults/workouts/latency_deadline
}

// The fake server on its own, as end-to-end tests use it: a provider
// pointed at it, an authorized client, an injected rate limit, the log.
func ExampleNewServer() {
	suite := acmeSuite(acmeConfig{})
	srv, err := providertest.NewServer(suite.Vendor, suite.Fixtures)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	p := newAcme(acmeConfig{BaseURL: srv.URL})
	tokens := providerhttp.NewLocalTokens(srv.OAuthConfig(""), srv.IssueToken(), srv.Client())
	req := wearables.FetchRequest{
		Client:   providerhttp.NewClient(tokens, srv.Client()),
		DataType: wearables.DataWorkouts,
		Start:    time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC),
		End:      time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC),
	}

	srv.Inject(providertest.Fault{Status: 429, RetryAfter: 30 * time.Second})
	_, err = p.Fetch(context.Background(), req)
	var pe *wearables.ProviderError
	if errors.As(err, &pe) {
		fmt.Println(errors.Is(err, wearables.ErrRateLimited), pe.RetryAfter)
	}
	res, err := p.Fetch(context.Background(), req)
	fmt.Println(len(res.Records.Workouts), res.NextPageToken, err)
	fmt.Println(len(srv.Requests()), "requests")
	// Output:
	// true 30s
	// 2 eyJwIjoyfQ <nil>
	// 2 requests
}
