package whoop_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/whoop"
)

// A webhook is verified against the raw body, then parsed: *.updated
// events are hints to fetch the feed again, *.deleted events carry their
// deletes.
func ExampleProvider_ParseWebhook() {
	p := whoop.New(whoop.Config{ClientSecret: "client-secret"})
	body := []byte(`{"user_id":10129,"id":"b7e3f1a9-2c4d-4b6e-9f8a-1d3c5e7f9a2b","type":"sleep.deleted","trace_id":"e369c784-5100-49e8-8098-75d35c47b31b"}`)

	// What WHOOP sends; a server reads the body and calls VerifyWebhook.
	r := httptest.NewRequest(http.MethodPost, "/webhooks/whoop", bytes.NewReader(body))
	for k, v := range whoop.SignWebhook("client-secret", time.Now(), body) {
		r.Header[k] = v
	}
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
		fmt.Println(e.Kind, e.DataType, "user", e.ProviderUserID)
		for _, d := range e.Records.Deletes {
			fmt.Println("  delete", d.Kind, d.ProviderRecordID)
		}
	}
	// Output:
	// deleted sleep user 10129
	//   delete sleep b7e3f1a9-2c4d-4b6e-9f8a-1d3c5e7f9a2b
	//   delete score b7e3f1a9-2c4d-4b6e-9f8a-1d3c5e7f9a2b
}

// Fetch reads one page of a feed; here from a stand-in for WHOOP's API.
// In production the client comes from the token broker and carries the
// user's token.
func ExampleProvider_Fetch() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.URL.Path, r.URL.Query().Get("start"), r.URL.Query().Get("limit"))
		fmt.Fprint(w, `{"records":[{"id":"ecfc6a15-4661-442f-a9a4-f160dd7afae8","user_id":10129,`+
			`"created_at":"2024-06-07T01:30:02.644Z","updated_at":"2024-06-07T01:34:18.210Z",`+
			`"start":"2024-06-07T00:35:12.774Z","end":"2024-06-07T01:28:40.120Z","timezone_offset":"+05:45",`+
			`"sport_name":"hiking-rucking","score_state":"SCORED","score":{"strain":12.6,"average_heart_rate":131,`+
			`"max_heart_rate":160,"kilojoule":2811.75,"percent_recorded":100.0,"distance_meter":9815.3}}]}`)
	}))
	defer api.Close()

	p := whoop.New(whoop.Config{BaseURL: api.URL + "/developer"})
	res, err := p.Fetch(context.Background(), wearables.FetchRequest{
		Client:   api.Client(),
		DataType: wearables.DataWorkouts,
		Start:    time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
		End:      time.Date(2024, 6, 8, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range res.Records.Workouts {
		fmt.Printf("%s (%s) from %s, %.0f kcal, %.0f m\n", w.Type, w.RawType,
			w.Start.In(w.Offset.Location()).Format("2006-01-02 15:04 -07:00"), *w.Energy, *w.Distance)
	}
	fmt.Printf("last page: %v\n", res.NextPageToken == "")
	// Output:
	// /developer/v2/activity/workout 2024-06-01T00:00:00.000Z 25
	// hiking (hiking-rucking) from 2024-06-07 06:20 +05:45, 672 kcal, 9815 m
	// last page: true
}
