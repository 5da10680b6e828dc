package providertest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"sort"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wearables-go/wearables"
)

// GoldenFetch is the document a Case's golden file holds: the normalized
// output of its whole page chain, pages concatenated in order. Instants are
// written in RFC 3339; comparisons treat them as instants, so a golden
// written with offsets still matches.
type GoldenFetch struct {
	// Pages is how many pages the provider fetched.
	Pages    int                   `json:"pages"`
	Records  GoldenBatch           `json:"records"`
	Rejected []wearables.Rejection `json:"rejected,omitempty"`
}

// GoldenBatch is a wearables.Batch as golden files spell it.
type GoldenBatch struct {
	Samples   []wearables.Sample       `json:"samples,omitempty"`
	Workouts  []wearables.Workout      `json:"workouts,omitempty"`
	Sleep     []wearables.Sleep        `json:"sleep,omitempty"`
	Summaries []wearables.DailySummary `json:"summaries,omitempty"`
	Scores    []wearables.Score        `json:"scores,omitempty"`
	Deletes   []wearables.Delete       `json:"deletes,omitempty"`
}

// GoldenEvent is a wearables.WebhookEvent as golden files spell it.
type GoldenEvent struct {
	ProviderUserID   string                     `json:"provider_user_id,omitempty"`
	DataType         wearables.DataType         `json:"data_type,omitempty"`
	Kind             wearables.WebhookEventKind `json:"kind,omitempty"`
	ProviderRecordID string                     `json:"provider_record_id,omitempty"`
	Start            time.Time                  `json:"start,omitzero"`
	End              time.Time                  `json:"end,omitzero"`
	Records          *GoldenBatch               `json:"records,omitempty"`
	Rejected         []wearables.Rejection      `json:"rejected,omitempty"`
	PageToken        string                     `json:"page_token,omitempty"`
	DedupeKey        string                     `json:"dedupe_key"`
}

func goldenBatch(b wearables.Batch) GoldenBatch {
	return GoldenBatch{
		Samples:   b.Samples,
		Workouts:  b.Workouts,
		Sleep:     b.Sleep,
		Summaries: b.Summaries,
		Scores:    b.Scores,
		Deletes:   b.Deletes,
	}
}

func goldenFetch(pages []wearables.FetchResult) GoldenFetch {
	var all wearables.Batch
	var rej []wearables.Rejection
	for _, p := range pages {
		all.Samples = append(all.Samples, p.Records.Samples...)
		all.Workouts = append(all.Workouts, p.Records.Workouts...)
		all.Sleep = append(all.Sleep, p.Records.Sleep...)
		all.Summaries = append(all.Summaries, p.Records.Summaries...)
		all.Scores = append(all.Scores, p.Records.Scores...)
		all.Deletes = append(all.Deletes, p.Records.Deletes...)
		rej = append(rej, p.Rejected...)
	}
	return GoldenFetch{Pages: len(pages), Records: goldenBatch(all), Rejected: rej}
}

func goldenEvents(events []wearables.WebhookEvent) []GoldenEvent {
	out := make([]GoldenEvent, 0, len(events))
	for _, e := range events {
		g := GoldenEvent{
			ProviderUserID:   e.ProviderUserID,
			DataType:         e.DataType,
			Kind:             e.Kind,
			ProviderRecordID: e.ProviderRecordID,
			Start:            e.Start,
			End:              e.End,
			Rejected:         e.Rejected,
			PageToken:        e.PageToken,
			DedupeKey:        e.DedupeKey,
		}
		if e.Records != nil {
			b := goldenBatch(*e.Records)
			g.Records = &b
		}
		out = append(out, g)
	}
	return out
}

// marshalGolden encodes v as an indented golden document.
func marshalGolden(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SemanticJSON re-encodes a JSON document canonically for comparison:
// object keys sorted, numbers as float64, and every string that is an RFC
// 3339 instant rewritten in UTC with nanoseconds, so two documents that
// differ only in key order, number spelling or the offset an instant is
// written in compare equal.
func SemanticJSON(doc []byte) (string, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return "", err
	}
	v = canonical(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func canonical(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = canonical(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = canonical(e)
		}
		return x
	case string:
		if len(x) >= 20 && len(x) <= 40 && x[4] == '-' && x[10] == 'T' {
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return t.UTC().Format(time.RFC3339Nano)
			}
		}
		return x
	}
	return v
}

// compareGolden compares got (encoded as a golden document) with the golden
// file name, or rewrites the file when update is set.
func compareGolden(t tester, fx Fixtures, name string, got any, update bool) {
	t.Helper()
	doc, err := marshalGolden(got)
	if err != nil {
		t.Errorf("encode %s: %v", name, err)
		return
	}
	if update {
		if err := fx.writeFile(name, doc); err != nil {
			t.Errorf("%v", err)
			return
		}
		t.Logf("updated %s", name)
		return
	}
	want, err := fx.readFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("golden file %s is missing: run the test with -update to write it, then review it", name)
		return
	}
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	w, err := SemanticJSON(want)
	if err != nil {
		t.Errorf("golden file %s is not JSON: %v", name, err)
		return
	}
	g, _ := SemanticJSON(doc)
	if w != g {
		assert.Equal(t, w, g, "output differs from %s (run with -update to accept the new output after reviewing the diff)", name)
	}
}

// sortedKeys returns m's keys sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
