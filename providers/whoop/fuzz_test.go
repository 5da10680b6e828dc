package whoop

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// decodeAndNormalize runs Fetch's pipeline on one response body of each
// feed, as Fetch does after reading it: decode into the raw page, then
// normalize (a cycles page gets the same body as its recoveries). A body
// that does not decode is skipped: Fetch turns it into a
// *wearables.ProviderError.
func decodeAndNormalize(body []byte) map[wearables.DataType]wearables.FetchResult {
	out := map[wearables.DataType]wearables.FetchResult{}
	var cycles page[rawCycle]
	var recoveries page[rawRecovery]
	if json.Unmarshal(body, &cycles) == nil {
		if json.Unmarshal(body, &recoveries) != nil {
			recoveries.Records = nil
		}
		out[DataCycles] = normalizeCycles(cycles.Records, recoveries.Records)
	}
	var sleeps page[rawSleep]
	if json.Unmarshal(body, &sleeps) == nil {
		out[wearables.DataSleep] = normalizeSleeps(sleeps.Records)
	}
	var workouts page[rawWorkout]
	if json.Unmarshal(body, &workouts) == nil {
		out[wearables.DataWorkouts] = normalizeWorkouts(workouts.Records)
	}
	return out
}

// FuzzDecode feeds arbitrary page bodies to every feed's decoder and
// normalization: decoding may fail, but nothing panics, and whatever is
// normalized — records kept and rejections alike — is structurally valid.
// Seeds: the recorded pages plus testdata/fuzz/FuzzDecode.
//
//	go test ./providers/whoop -run '^$' -fuzz FuzzDecode -fuzztime 1m
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"cycles_1.json", "cycles_2.json", "recovery_1.json", "recovery_2.json",
		"sleep_1.json", "sleep_2.json", "sleep_empty.json", "workouts_1.json", "workouts_2.json"} {
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
		}
	})
}

// FuzzWebhook feeds arbitrary bodies and signature headers to
// VerifyWebhook and ParseWebhook: nothing panics, a forged signature never
// verifies, errors match wearables.ErrInvalid or wearables.ErrUnsupported,
// and every event has a dedupe key, a record id and a feed of this
// provider. Seeds: the recorded notifications plus testdata/fuzz/FuzzWebhook.
//
//	go test ./providers/whoop -run '^$' -fuzz FuzzWebhook -fuzztime 1m
func FuzzWebhook(f *testing.F) {
	for _, name := range []string{"webhook_workout_updated.json", "webhook_sleep_deleted.json", "webhook_recovery_updated.json",
		"webhook_recovery_deleted.json", "webhook_workout_deleted_v1.json", "webhook_unknown_type.json", "webhook_malformed.json"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, "kG9x0n0z3mFZ0bbfX2b0rYyJb9W2s3Lw0cQ2Xh1mC2s=", "1748241241000")
	}
	now := time.UnixMilli(1748241241000)
	p := New(Config{ClientSecret: "s", Now: func() time.Time { return now }})
	feeds := map[wearables.DataType]bool{}
	for _, dt := range p.DataTypes() {
		feeds[dt] = true
	}
	f.Fuzz(func(t *testing.T, body []byte, sig, stamp string) {
		r := httptest.NewRequest("POST", "/webhook", nil)
		r.Header.Set(HeaderSignature, sig)
		r.Header.Set(HeaderSignatureTimestamp, stamp)
		if err := p.VerifyWebhook(r, body); err == nil {
			got, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
			if !bytes.Equal(got, signature("s", strings.TrimSpace(stamp), body)) {
				t.Fatalf("forged signature %q for timestamp %q verified", sig, stamp)
			}
		} else if !errors.Is(err, wearables.ErrUnauthorized) {
			t.Fatalf("verification error does not match ErrUnauthorized: %v", err)
		}
		events, err := p.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, wearables.ErrInvalid) && !errors.Is(err, wearables.ErrUnsupported) {
				t.Fatalf("error matches neither ErrInvalid nor ErrUnsupported: %v", err)
			}
			return
		}
		for _, e := range events {
			if e.DedupeKey == "" || e.ProviderRecordID == "" || !feeds[e.DataType] {
				t.Fatalf("event without dedupe key, record id or known feed: %+v", e)
			}
			if e.Records != nil {
				b := *e.Records
				b.UserID = "fuzz"
				if err := b.Validate(); err != nil {
					t.Fatalf("inline deletes do not validate: %v", err)
				}
			}
		}
	})
}
