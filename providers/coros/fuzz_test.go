package coros

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/wearables-go/wearables"
)

// decodeList is what Fetch does with a workout-list body: decode the
// envelope, check its result, normalize.
func decodeList(body []byte) (wearables.FetchResult, error) {
	var env rawEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return wearables.FetchResult{}, err
	}
	if err := (&Provider{}).resultError("list workouts", &env); err != nil {
		return wearables.FetchResult{}, err
	}
	return normalizeWorkouts(env.Data, ""), nil
}

func checkBatch(t *testing.T, what string, b wearables.Batch, rejected []wearables.Rejection) {
	t.Helper()
	b.UserID = "fuzz"
	if err := b.Validate(); err != nil {
		t.Fatalf("%s: normalized records do not validate: %v", what, err)
	}
	for _, r := range rejected {
		if r.Reason == "" || r.Kind == "" {
			t.Fatalf("%s: rejection without kind or reason: %+v", what, r)
		}
	}
}

func seeds(f *testing.F, prefix string) {
	files, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range files {
		if e.IsDir() || !strings.HasPrefix(e.Name(), prefix) || strings.HasSuffix(e.Name(), ".golden.json") {
			continue
		}
		body, err := os.ReadFile("testdata/" + e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
}

// FuzzDecode feeds arbitrary bodies to the workout-list decoder: it may
// fail, never panics, and whatever it normalizes is structurally valid.
// Seeds: the recorded lists plus testdata/fuzz/FuzzDecode.
//
//	go test ./providers/coros -run '^$' -fuzz FuzzDecode -fuzztime 1m
func FuzzDecode(f *testing.F) {
	seeds(f, "workouts_")
	seeds(f, "error_")
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := decodeList(body)
		if err != nil {
			var pe *wearables.ProviderError
			if strings.HasPrefix(strings.TrimSpace(string(body)), "{") && json.Valid(body) && !errors.As(err, &pe) {
				var env rawEnvelope
				if json.Unmarshal(body, &env) == nil {
					t.Fatalf("a decoded envelope failed without a *wearables.ProviderError: %v", err)
				}
			}
			return
		}
		checkBatch(t, "list", res.Records, res.Rejected)
	})
}

// FuzzWebhook feeds arbitrary bodies to ParseWebhook: it may refuse them
// (always with wearables.ErrInvalid), never panics, and every event it
// returns names a user and a workout and carries valid records.
//
//	go test ./providers/coros -run '^$' -fuzz FuzzWebhook -fuzztime 1m
func FuzzWebhook(f *testing.F) {
	seeds(f, "webhook_")
	p := New(Config{ClientID: "id", ClientSecret: "secret"})
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := p.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, wearables.ErrInvalid) {
				t.Fatalf("refusal does not match ErrInvalid: %v", err)
			}
			return
		}
		for _, ev := range events {
			if ev.ProviderUserID == "" || ev.ProviderRecordID == "" || ev.DedupeKey == "" || ev.Records == nil {
				t.Fatalf("incomplete event: %+v", ev)
			}
			checkBatch(t, "webhook", *ev.Records, nil)
		}
	})
}
