package polar

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// parsers are the page parsers the fuzz target drives, by index.
var parsers = []struct {
	name  string
	parse pageParser
	seed  string // fixture seeding the corpus
}{
	{"exercises", parseExercises, "exercises.json"},
	{"sleep", parseNights, "sleep.json"},
	{"nightly_recharge", parseRecharges, "nightly_recharge.json"},
	{"activities", parseActivities, "activities_2.json"},
	{"continuous_heart_rate", parseHeartRates, "continuous_hr.json"},
	{"physical_info", parsePhysicalInfo, "physical_info.json"},
}

// FuzzParse decodes and normalizes arbitrary bodies as every page type and
// as a webhook: no panic, errors only of the JSON decoder's types (Fetch
// wraps them in *wearables.ProviderError), every record structurally valid,
// every rejection with a reason, every webhook error matching
// wearables.ErrInvalid.
func FuzzParse(f *testing.F) {
	for i, p := range parsers {
		if b, err := os.ReadFile("testdata/" + p.seed); err == nil {
			f.Add(b, uint8(i))
		}
	}
	for _, name := range []string{"webhook_exercise.json", "webhook_sleep.json", "webhook_ping.json"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(b, uint8(len(parsers)))
		}
	}
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		f.Fatal(err)
	}
	start := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	windows := []window{newWindow(start, start.AddDate(0, 3, 0), nil), newWindow(start, start.AddDate(0, 3, 0), loc)}
	prov := New(Config{WebhookSecret: "s"})

	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		if int(which) >= len(parsers) {
			events, err := prov.ParseWebhook(body)
			if err != nil && !errors.Is(err, wearables.ErrInvalid) {
				t.Fatalf("ParseWebhook error %v does not match ErrInvalid", err)
			}
			for _, e := range events {
				if e.DedupeKey == "" || e.ProviderUserID == "" {
					t.Fatalf("event without dedupe key or user: %+v", e)
				}
			}
			return
		}
		p := parsers[which]
		for _, w := range windows {
			res, err := p.parse(body, w)
			if err != nil {
				var se *json.SyntaxError
				var te *json.UnmarshalTypeError
				if !errors.As(err, &se) && !errors.As(err, &te) {
					t.Fatalf("%s: error of type %T: %v", p.name, err, err)
				}
				if res.Records.Len() != 0 {
					t.Fatalf("%s: records with an error", p.name)
				}
				continue
			}
			b := res.Records
			b.UserID = "fuzz"
			if err := b.Validate(); err != nil {
				t.Fatalf("%s: normalized records do not validate: %v", p.name, err)
			}
			for _, r := range res.Rejected {
				if r.Reason == "" {
					t.Fatalf("%s: rejection without a reason: %+v", p.name, r)
				}
			}
		}
	})
}

// FuzzStreamValues checks the sample-string decoding against a plain
// reference (split on commas, trim, "null" or nothing is missing, anything
// else must be a finite number): the same values in the same order, the
// error exactly where the reference meets its first bad value, and a JSON
// string decoded through the decoder's own unquoting giving the same result.
func FuzzStreamValues(f *testing.F) {
	for _, s := range []string{"", " ", "0,100,null,97.5", " 1 ,,2", "1,", "1,x,3", "NaN", "1e400", "-0,+1,0x1p-2,1_0", "\u00a01\u2003,null "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		got := parseStream(data)
		var want []float64
		bad := -1 // index of the first value that is not a number
		if strings.TrimSpace(data) != "" {
			for i, tok := range strings.Split(data, ",") {
				tok = strings.TrimSpace(tok)
				if tok == "" || tok == "null" {
					want = append(want, math.NaN())
					continue
				}
				v, err := strconv.ParseFloat(tok, 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					bad = i
					break
				}
				want = append(want, v)
			}
		}
		if len(got.vals) != len(want) {
			t.Fatalf("%q: %d values, want %d", data, len(got.vals), len(want))
		}
		for i := range want {
			if math.Float64bits(got.vals[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got.vals[i]) && math.IsNaN(want[i])) {
				t.Fatalf("%q: value %d is %v, want %v", data, i, got.vals[i], want[i])
			}
		}
		if (got.err != nil) != (bad >= 0) {
			t.Fatalf("%q: error %v, reference's first bad value at %d", data, got.err, bad)
		}

		// Through encoding/json: the field decodes from any JSON string
		// and agrees with parsing the unquoted text.
		body, err := json.Marshal(map[string]string{"data": data})
		if err != nil {
			t.Fatal(err)
		}
		var s sample
		if err := json.Unmarshal(body, &s); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		var unquoted struct{ Data string }
		if err := json.Unmarshal(body, &unquoted); err != nil {
			t.Fatal(err)
		}
		ref := parseStream(unquoted.Data)
		if len(s.Data.vals) != len(ref.vals) || (s.Data.err == nil) != (ref.err == nil) ||
			s.Data.err != nil && s.Data.err.Error() != ref.err.Error() {
			t.Fatalf("%s: decoded %v / %v, parsed %v / %v", body, s.Data.vals, s.Data.err, ref.vals, ref.err)
		}
	})
}
