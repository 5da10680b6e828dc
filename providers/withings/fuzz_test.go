package withings

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// decoders decode and normalize one body as each service's page, as Fetch
// does after reading a response. The sleep decoder also reads the body as
// a stage series and feeds it to every session.
var decoders = map[string]func(body []byte, z *zones) (wearables.FetchResult, error){
	"measures": func(b []byte, z *zones) (wearables.FetchResult, error) {
		env, err := jsonDecode[measurePage](b)
		return finish(normalizeMeasures(&env.Body, z)), err
	},
	"activity": func(b []byte, z *zones) (wearables.FetchResult, error) {
		env, err := jsonDecode[activityPage](b)
		return finish(normalizeActivity(&env.Body, z)), err
	},
	"intraday": func(b []byte, _ *zones) (wearables.FetchResult, error) {
		env, err := jsonDecode[intradayPage](b)
		w := window{time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)}
		return finish(normalizeIntraday(&env.Body, w)), err
	},
	"workouts": func(b []byte, z *zones) (wearables.FetchResult, error) {
		env, err := jsonDecode[workoutPage](b)
		return finish(normalizeWorkouts(&env.Body, z)), err
	},
	"sleep": func(b []byte, z *zones) (wearables.FetchResult, error) {
		env, err := jsonDecode[sleepSummaryPage](b)
		st, _ := jsonDecode[sleepSeriesPage](b)
		stages := make([]*sleepSeriesPage, len(env.Body.Series))
		for i := range stages {
			stages[i] = &st.Body
		}
		return finish(normalizeSleep(&env.Body, stages, z)), err
	},
}

// FuzzDecode feeds arbitrary bodies to every service's decoder: decoding
// may fail (Fetch then returns a *wearables.ProviderError), but nothing
// panics, whatever is normalized — records kept and rejections alike — is
// structurally valid, and the status the transport reads ahead agrees
// with the decoded one. Seeds: the recorded pages plus
// testdata/fuzz/FuzzDecode.
//
//	go test ./providers/withings -run '^$' -fuzz FuzzDecode -fuzztime 1m
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"measures_1.json", "measures_2.json", "activity.json", "intraday_1.json", "intraday_2.json",
		"intraday_3.json", "workouts_1.json", "workouts_2.json", "sleep_summary_1.json", "sleep_summary_2.json",
		"sleep_get_night.json", "sleep_get_nap.json", "status_401.json", "status_503.json"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	z := &zones{}
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, decode := range decoders {
			res, err := decode(body, z)
			if err != nil {
				continue
			}
			b := res.Records
			b.UserID = "fuzz"
			if err := b.Validate(); err != nil {
				t.Fatalf("%s: normalized records do not validate: %v", name, err)
			}
			for _, r := range res.Rejected {
				if r.Reason == "" || r.Kind == "" {
					t.Fatalf("%s: rejection without kind or reason: %+v", name, r)
				}
			}
		}
		if status, ok := leadingStatus(body); ok {
			if env, err := jsonDecode[struct{}](body); err == nil && env.Status != status {
				t.Fatalf("status read ahead %d, decoded %d", status, env.Status)
			}
		}
	})
}

// FuzzWebhook feeds arbitrary bodies to ParseWebhook: it never panics,
// refuses with an error matching wearables.ErrInvalid, and every event it
// returns has a dedupe key, a user and a known data type (or is a
// deauthorization). Seeds: the recorded notifications plus
// testdata/fuzz/FuzzWebhook.
func FuzzWebhook(f *testing.F) {
	for _, name := range []string{"notify_weight.txt", "notify_cardio.txt", "notify_activity.txt", "notify_sleep.txt",
		"notify_user_unlink.txt", "notify_malformed.txt"} {
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	p := New(Config{ClientID: "c", ClientSecret: "s"})
	known := map[wearables.DataType]bool{}
	for _, dt := range p.DataTypes() {
		known[dt] = true
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := p.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, wearables.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid: %v", err)
			}
			return
		}
		for _, e := range events {
			if e.DedupeKey == "" || e.ProviderUserID == "" {
				t.Fatalf("event without dedupe key or user: %+v", e)
			}
			if e.Kind == wearables.WebhookDeauthorize {
				continue
			}
			if !known[e.DataType] {
				t.Fatalf("event of unknown data type %q", e.DataType)
			}
			if e.End.Before(e.Start) {
				t.Fatalf("event window ends before it starts: %+v", e)
			}
		}
	})
}
