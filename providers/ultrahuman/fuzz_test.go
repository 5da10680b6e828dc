package ultrahuman

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/wearables-go/wearables"
)

// decode is what Fetch does with a response body: decode it into the raw
// document, then normalize it.
func decode(body []byte) (wearables.FetchResult, error) {
	var doc rawResponse
	if err := json.Unmarshal(body, &doc); err != nil {
		return wearables.FetchResult{}, err
	}
	return normalizeResponse(&doc, wearables.Date{Year: 2024, Month: 3, Day: 30})
}

// FuzzDecode feeds arbitrary bodies to the decoder Fetch applies:
// decoding may fail, but it never panics, and whatever it normalizes —
// records kept and rejections alike — is structurally valid. Seeds: the
// recorded days plus testdata/fuzz/FuzzDecode.
//
//	go test ./providers/ultrahuman -run '^$' -fuzz FuzzDecode -fuzztime 1m
func FuzzDecode(f *testing.F) {
	files, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range files {
		if e.IsDir() {
			continue
		}
		body, err := os.ReadFile("testdata/" + e.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := decode(body)
		if err != nil {
			return
		}
		b := res.Records
		b.UserID = "fuzz"
		if err := b.Validate(); err != nil {
			t.Fatalf("normalized records do not validate: %v", err)
		}
		for _, r := range res.Rejected {
			if r.Reason == "" || r.Kind == "" {
				t.Fatalf("rejection without kind or reason: %+v", r)
			}
		}
	})
}

// FuzzUserInfo feeds arbitrary profiles to the user id reader's decoder.
func FuzzUserInfo(f *testing.F) {
	for _, s := range []string{`{"data":{"user_id":1189030}}`, `{"user_id":"uh_1"}`, `{"id":1.5}`, `{"user_id":null}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var info rawUserInfo
		if json.Unmarshal(body, &info) == nil {
			_ = info.id()
		}
	})
}
