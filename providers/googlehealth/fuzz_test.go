package googlehealth

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// fuzzWindow is the window every fuzzed page is normalized for: wide, so
// the exercise feed's window filter keeps what it can.
var fuzzWindow = [2]time.Time{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}

// decodeAndNormalize runs Fetch's pipeline on one response body for every
// feed, as Fetch does after reading it: decode into the raw page, then
// normalize. A body that does not decode is skipped: Fetch turns it into a
// *wearables.ProviderError.
func decodeAndNormalize(body []byte) map[wearables.DataType]wearables.FetchResult {
	out := map[wearables.DataType]wearables.FetchResult{}
	for _, f := range feeds {
		var pg rawListPage
		if json.Unmarshal(body, &pg) == nil {
			out[f.dataType] = normalizePage(f, &pg, fuzzWindow[0], fuzzWindow[1])
		}
	}
	var roll rawRollupPage
	if json.Unmarshal(body, &roll) == nil {
		out[wearables.DataDailySummaries] = normalizeRollups(roll.RollupDataPoints, roll.RollupDataPoints, roll.RollupDataPoints)
	}
	return out
}

var fuzzPages = []string{"steps_1.json", "steps_2.json", "distance.json", "heart_rate_1.json", "heart_rate_2.json",
	"heart_rate_variability.json", "oxygen_saturation.json", "weight.json", "sleep_1.json", "sleep_2.json",
	"exercise_1.json", "exercise_2.json", "rollup_steps.json", "rollup_distance.json", "rollup_total_calories.json"}

// FuzzDecode feeds arbitrary page bodies to every feed's decoder and
// normalization: decoding may fail, but nothing panics, and whatever is
// normalized — records kept and rejections alike — is structurally valid.
// Seeds: the recorded pages plus testdata/fuzz/FuzzDecode.
//
//	go test ./providers/googlehealth -run '^$' -fuzz FuzzDecode -fuzztime 1m
func FuzzDecode(f *testing.F) {
	for _, name := range fuzzPages {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for dt, res := range decodeAndNormalize(body) {
			b := res.Records
			b.UserID = "fuzz"
			if err := b.Validate(); err != nil {
				t.Fatalf("%s: normalized records do not validate: %v", dt, err)
			}
			for _, r := range res.Rejected {
				if r.Reason == "" || r.Kind == "" {
					t.Fatalf("%s: rejection without kind or reason: %+v", dt, r)
				}
			}
			for _, w := range res.Records.Workouts {
				if w.Start.Before(fuzzWindow[0]) || !w.Start.Before(fuzzWindow[1]) {
					t.Fatalf("%s: workout outside the window kept: %v", dt, w.Start)
				}
			}
		}
	})
}

// FuzzWebhook feeds arbitrary bodies and Authorization headers to
// VerifyWebhook and ParseWebhook: nothing panics, only the configured
// header verifies, errors match wearables.ErrInvalid, and every event has
// a dedupe key, a user and a feed of this provider, and a window that does
// not end before it starts. Seeds: the recorded notifications plus
// testdata/fuzz/FuzzWebhook.
//
//	go test ./providers/googlehealth -run '^$' -fuzz FuzzWebhook -fuzztime 1m
func FuzzWebhook(f *testing.F) {
	for _, name := range []string{"webhook_steps_upsert.json", "webhook_batch.json", "webhook_exercise_delete.json",
		"webhook_unknown_operation.json", "webhook_malformed.json", "webhook_verification.json"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, "Bearer s3cret")
		f.Add(body, "Bearer s3creT")
	}
	const secret = "Bearer s3cret"
	p := New(Config{WebhookAuthorization: secret})
	feeds := map[wearables.DataType]bool{}
	for _, dt := range p.DataTypes() {
		feeds[dt] = true
	}
	f.Fuzz(func(t *testing.T, body []byte, auth string) {
		r := httptest.NewRequest("POST", "/webhook", nil)
		r.Header.Set("Authorization", auth)
		err := p.VerifyWebhook(r, body)
		switch {
		case err == nil && r.Header.Get("Authorization") != secret:
			t.Fatalf("Authorization %q verified", auth)
		case err != nil && !errors.Is(err, wearables.ErrUnauthorized):
			t.Fatalf("verification error does not match ErrUnauthorized: %v", err)
		}
		events, err := p.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, wearables.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid: %v", err)
			}
			return
		}
		for _, e := range events {
			if e.DedupeKey == "" || e.ProviderUserID == "" || !feeds[e.DataType] || e.Records != nil {
				t.Fatalf("event without dedupe key, user or known feed, or with records: %+v", e)
			}
			if e.End.Before(e.Start) || (!e.Start.IsZero() && !e.End.After(e.Start)) {
				t.Fatalf("event window [%v, %v) is empty", e.Start, e.End)
			}
		}
	})
}
