package strava_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/wearables-go/wearables/providers/strava"
)

// Strava validates a new webhook subscription by calling the callback URL
// with a GET that must echo hub.challenge; events then arrive as POSTs on
// the same URL, for VerifyWebhook and ParseWebhook.
func ExampleProvider_ChallengeHandler() {
	p := strava.New(strava.Config{SubscriptionID: 120475, VerifyToken: "STRAVA"})

	mux := http.NewServeMux()
	mux.Handle("GET /webhooks/strava", p.ChallengeHandler())

	req := httptest.NewRequest(http.MethodGet, "/webhooks/strava?hub.verify_token=STRAVA&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.mode=subscribe", nil)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())

	events, _ := p.ParseWebhook([]byte(`{"aspect_type":"update","event_time":1516126040,"object_id":1360128428,"object_type":"activity","owner_id":134815,"subscription_id":120475,"updates":{"title":"Messy"}}`))
	for _, e := range events {
		fmt.Println(e.Kind, e.DataType, e.ProviderRecordID, "of athlete", e.ProviderUserID)
	}
	// Output:
	// 200 {"hub.challenge":"15f7d1a91c1f40f8a748fd134752feb3"}
	// updated workouts 1360128428 of athlete 134815
}
