package strava

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// The fuzz targets decode and normalize arbitrary bodies the way Fetch and
// ParseWebhook do. They check that nothing panics, that errors are typed,
// and that whatever survives normalize.ValidateBatch is a structurally valid
// batch. Seed corpora are committed under testdata/fuzz; the recorded
// fixtures are added as seeds too.
//
//	go test ./providers/strava -run '^$' -fuzz FuzzActivities -fuzztime 30s

// addFixtures adds recorded fixture files as seeds.
func addFixtures(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkBatch validates what normalization produced and survived
// plausibility checks.
func checkBatch(t *testing.T, b *wearables.Batch) {
	b.UserID = "fuzz"
	normalize.ValidateBatch(b)
	if err := b.Validate(); err != nil {
		t.Fatalf("records that passed ValidateBatch do not validate: %v", err)
	}
}

// FuzzActivities fuzzes an activity list page (or a single detailed
// activity) through decoding and normalizeActivity.
func FuzzActivities(f *testing.F) {
	addFixtures(f, "activities_1.json", "activities_2.json", "activities_empty.json", "activity_11029583461.json", "activity_11043999870.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		var list []rawActivity
		if err := json.Unmarshal(body, &list); err != nil {
			var one rawActivity
			if json.Unmarshal(body, &one) != nil {
				return // Fetch turns this into a ProviderError with ErrMalformedBody
			}
			list = []rawActivity{one}
		}
		var b wearables.Batch
		for i := range list {
			w, rej := normalizeActivity(&list[i])
			if rej != nil {
				if rej.Reason == "" || rej.Kind != wearables.KindWorkout {
					t.Fatalf("rejection without a reason or kind: %+v", rej)
				}
				continue
			}
			b.Workouts = append(b.Workouts, w)
		}
		checkBatch(t, &b)
	})
}

// FuzzStreams fuzzes a streams body through decoding and normalizeStreams.
func FuzzStreams(f *testing.F) {
	addFixtures(f, "streams_11091234567.json", "streams_11095678901.json")
	f.Add([]byte(`[{"type":"time","data":[0,1]},{"type":"watts","data":[null,1e308]},{"type":"latlng","data":[[91,181],null]}]`))
	acts := []rawActivity{
		{ID: "1", SportType: "VirtualRide", StartDate: "2024-04-06T17:30:04Z", UTCOffset: ptr(7200)},
		{ID: "2", SportType: "Run", StartDate: "2024-04-07T07:02:10Z", UTCOffset: ptr(3600)},
		{ID: "3", SportType: "Swim", StartDateLocal: "2024-04-07T08:02:10Z", UTCOffset: ptr(-36000)},
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var set rawStreamSet
		if json.Unmarshal(body, &set) != nil {
			return
		}
		for i := range acts {
			var b wearables.Batch
			var rej *wearables.Rejection
			b.Samples, rej = normalizeStreams(&acts[i], &set, nil)
			if rej != nil {
				t.Fatalf("the activities' starts are valid, yet: %+v", rej)
			}
			checkBatch(t, &b)
		}
	})
}

// FuzzWebhook fuzzes ParseWebhook and VerifyWebhook: errors match
// wearables.ErrInvalid (parse) and wearables.ErrUnauthorized (verify), and
// events carry a dedupe key.
func FuzzWebhook(f *testing.F) {
	addFixtures(f, "webhook_activity_create.json", "webhook_activity_update.json", "webhook_activity_delete.json",
		"webhook_athlete_deauthorize.json", "webhook_foreign_subscription.json")
	p := New(Config{SubscriptionID: 120475, Streams: true})
	f.Fuzz(func(t *testing.T, body []byte) {
		if err := p.VerifyWebhook(nil, body); err != nil && !errors.Is(err, wearables.ErrUnauthorized) {
			t.Fatalf("VerifyWebhook error does not match ErrUnauthorized: %v", err)
		}
		events, err := p.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, wearables.ErrInvalid) {
				t.Fatalf("ParseWebhook error does not match ErrInvalid: %v", err)
			}
			return
		}
		for _, e := range events {
			if e.DedupeKey == "" || e.ProviderUserID == "" || e.Records != nil {
				t.Fatalf("malformed event %+v", e)
			}
		}
	})
}
