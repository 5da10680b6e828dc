package garmin

import (
	"errors"
	"os"
	"testing"

	"github.com/wearables-go/wearables"
)

// FuzzDecode feeds arbitrary bodies to every summary type's decoder, as
// Fetch does after reading a response and ParseWebhook does with a PUSH
// list: decoding may fail (Fetch then returns a *wearables.ProviderError),
// but it never panics, and whatever it normalizes — records kept and
// rejections alike — is structurally valid. Seeds: the recorded lists plus
// testdata/fuzz/FuzzDecode.
//
//	go test ./providers/garmin -run '^$' -fuzz FuzzDecode -fuzztime 1m
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"dailies.json", "epochs.json", "sleeps.json", "body_comps.json", "stress_details.json",
		"user_metrics.json", "pulse_ox.json", "respiration.json", "hrv.json", "blood_pressures.json", "skin_temp.json",
		"activities.json", "activity_details.json", "manually_updated_activities.json", "empty.json"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, st := range summaryTypes {
			res, err := st.decode.decode(body)
			if err == nil {
				checkResult(t, st.dataType, finish(res))
			}
			accounts, err := st.decode.push(body)
			if err != nil {
				continue
			}
			for _, a := range accounts {
				if a.user == "" {
					t.Fatalf("%s: pushed records of no account", st.dataType)
				}
				checkResult(t, st.dataType, a.res)
			}
		}
	})
}

func checkResult(t *testing.T, dt wearables.DataType, res wearables.FetchResult) {
	t.Helper()
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

// FuzzWebhook feeds arbitrary bodies to ParseWebhook and ParsePings: they
// never panic, refuse with an error matching wearables.ErrInvalid, and
// every event names an account, has a dedupe key and carries only valid
// records. Seeds: the recorded notifications plus testdata/fuzz/FuzzWebhook.
func FuzzWebhook(f *testing.F) {
	for _, name := range []string{"webhook_push_mixed.json", "webhook_push_activity.json", "webhook_ping.json",
		"webhook_deregistration.json", "webhook_permissions_change.json", "webhook_permissions_withdrawn.json", "webhook_malformed.json"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	p := New(Config{ClientID: "c"})
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := ParsePings(body); err != nil && !errors.Is(err, wearables.ErrInvalid) {
			t.Fatalf("ParsePings error does not match ErrInvalid: %v", err)
		}
		events, err := p.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, wearables.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid: %v", err)
			}
			return
		}
		for _, e := range events {
			if e.DedupeKey == "" || e.ProviderUserID == "" {
				t.Fatalf("event without dedupe key or account: %+v", e)
			}
			if !e.Start.IsZero() && !e.End.IsZero() && e.End.Before(e.Start) {
				t.Fatalf("event window ends before it starts: %+v", e)
			}
			if e.Records != nil {
				b := *e.Records
				b.UserID = "fuzz"
				if err := b.Validate(); err != nil {
					t.Fatalf("pushed records do not validate: %v", err)
				}
			}
		}
	})
}
