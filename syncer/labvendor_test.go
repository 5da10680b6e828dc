package syncer_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// The lab vendor: a synthetic vendor whose data the test changes while the
// syncer runs (new records, revisions, deletions), with a provider for it.
// It lists workouts by start time, deleted ones as tombstones (as Oura
// lists "deleted" records), in pages of pageSize.

const labProviderID wearables.ProviderID = "lab"

// labEpoch anchors every record time: tests run with a clock at labNow.
var (
	labEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	labNow   = labEpoch.Add(10 * 24 * time.Hour)
)

type labRecord struct {
	ID      string    `json:"id"`
	Start   time.Time `json:"start"`
	Version int64     `json:"version"`
	Value   float64   `json:"value"`
	Deleted bool      `json:"deleted,omitempty"`
}

type labVendor struct {
	mu       sync.Mutex
	accounts map[string][]*labRecord // account → records ordered by start
	pageSize int

	// Chaos: the probability that a request is answered after latency or
	// has its connection reset.
	latency    time.Duration
	resetProb  float64
	requests   atomic.Int64
	reqTimes   []time.Time // when data requests arrived (for quota checks)
	logTimes   bool
	storms     atomic.Int64 // data requests counted per account, see countFor
	perAccount map[string]int
}

func newLabVendor(pageSize int) *labVendor {
	return &labVendor{accounts: map[string][]*labRecord{}, pageSize: pageSize, perAccount: map[string]int{}}
}

// addAccount creates n records for account, one every 4 hours from labEpoch.
func (v *labVendor) addAccount(account string, n int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	recs := make([]*labRecord, n)
	for i := range recs {
		recs[i] = &labRecord{ID: fmt.Sprintf("%s-%03d", account, i), Start: labEpoch.Add(time.Duration(i) * 4 * time.Hour), Version: 1, Value: float64(i)}
	}
	v.accounts[account] = recs
}

// mutate revises a fraction revise and deletes a fraction del of every
// account's live records, chosen at random, and returns the accounts it
// changed.
func (v *labVendor) mutate(rng *rand.Rand, revise, del float64) (revised, deleted int, changed []string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for account, recs := range v.accounts {
		before := revised + deleted
		for _, r := range recs {
			if r.Deleted {
				continue
			}
			switch x := rng.Float64(); {
			case x < del:
				r.Deleted = true
				r.Version++
				deleted++
			case x < del+revise:
				r.Version++
				r.Value += 1000
				revised++
			}
		}
		if revised+deleted > before {
			changed = append(changed, account)
		}
	}
	return revised, deleted, changed
}

// snapshot returns a copy of every account's records.
func (v *labVendor) snapshot() map[string][]labRecord {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[string][]labRecord, len(v.accounts))
	for a, recs := range v.accounts {
		for _, r := range recs {
			out[a] = append(out[a], *r)
		}
	}
	return out
}

// maxStart is the latest record start of all accounts.
func (v *labVendor) maxStart() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	var m time.Time
	for _, recs := range v.accounts {
		for _, r := range recs {
			if r.Start.After(m) {
				m = r.Start
			}
		}
	}
	return m
}

func (v *labVendor) countFor(account string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.perAccount[account]
}

func (v *labVendor) requestTimes() []time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Clone(v.reqTimes)
}

func (v *labVendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/workouts" {
		http.NotFound(w, r)
		return
	}
	account, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer tok-")
	v.requests.Add(1)
	v.mu.Lock()
	v.perAccount[account]++
	if v.logTimes {
		v.reqTimes = append(v.reqTimes, time.Now())
	}
	recs, known := v.accounts[account]
	v.mu.Unlock()
	if !ok || !known {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid token"}`))
		return
	}
	if v.latency > 0 {
		time.Sleep(time.Duration(rand.Int64N(int64(v.latency)) + int64(v.latency)/2))
	}
	if v.resetProb > 0 && rand.Float64() < v.resetProb {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
	}
	q := r.URL.Query()
	start, err1 := time.Parse(time.RFC3339Nano, q.Get("start"))
	end, err2 := time.Parse(time.RFC3339Nano, q.Get("end"))
	off := 0
	if t := q.Get("page_token"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			http.Error(w, `{"error":"bad page token"}`, http.StatusBadRequest)
			return
		}
		off = n
	}
	if err1 != nil || err2 != nil {
		http.Error(w, `{"error":"bad window"}`, http.StatusBadRequest)
		return
	}
	v.mu.Lock()
	var in []labRecord
	for _, rec := range recs {
		if !rec.Start.Before(start) && rec.Start.Before(end) {
			in = append(in, *rec)
		}
	}
	v.mu.Unlock()
	page := struct {
		Data []labRecord `json:"data"`
		Next string      `json:"next_page_token,omitempty"`
	}{Data: []labRecord{}}
	if off < len(in) {
		hi := min(off+v.pageSize, len(in))
		page.Data = in[off:hi]
		if hi < len(in) {
			page.Next = strconv.Itoa(hi)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(page)
}

// labProvider is the wearables.Provider of the lab vendor.
type labProvider struct {
	api *providerhttp.API
}

func newLabProvider(baseURL string) *labProvider {
	return &labProvider{api: &providerhttp.API{Provider: labProviderID, BaseURL: baseURL, RateLimit: providerhttp.RateLimitHeaders{RetryAfter: true, Reset: "X-RateLimit-Reset"}}}
}

func (p *labProvider) ID() wearables.ProviderID { return labProviderID }

func (p *labProvider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{Endpoint: oauth2.Endpoint{AuthURL: p.api.BaseURL + "/oauth/authorize", TokenURL: p.api.BaseURL + "/oauth/token"}}
}

func (p *labProvider) DataTypes() []wearables.DataType {
	return []wearables.DataType{wearables.DataWorkouts}
}

func (p *labProvider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if req.DataType != wearables.DataWorkouts {
		return wearables.FetchResult{}, fmt.Errorf("lab: %w", wearables.ErrUnsupported)
	}
	q := url.Values{"start": {req.Start.UTC().Format(time.RFC3339Nano)}, "end": {req.End.UTC().Format(time.RFC3339Nano)}}
	if req.PageToken != "" {
		q.Set("page_token", req.PageToken)
	}
	var page struct {
		Data []labRecord `json:"data"`
		Next string      `json:"next_page_token"`
	}
	if _, err := p.api.GetJSON(ctx, req.Client, "list workouts", "/v1/workouts", q, &page); err != nil {
		return wearables.FetchResult{}, err
	}
	var res wearables.FetchResult
	for _, r := range page.Data {
		if r.Deleted {
			res.Records.Deletes = append(res.Records.Deletes, wearables.Delete{Kind: wearables.KindWorkout, Provider: labProviderID, ProviderRecordID: r.ID})
			continue
		}
		if r.Value < 0 {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: r.ID, Reason: "negative"})
			continue
		}
		v := r.Value
		res.Records.Workouts = append(res.Records.Workouts, wearables.Workout{
			Source:           wearables.Source{Provider: labProviderID, DeviceType: wearables.DeviceWatch},
			ProviderRecordID: r.ID,
			Version:          r.Version,
			Type:             wearables.WorkoutRunning,
			Start:            r.Start,
			End:              r.Start.Add(30 * time.Minute),
			Offset:           wearables.NoOffset,
			Distance:         &v,
		})
	}
	res.NextPageToken = page.Next
	return res, nil
}

// labTokens hands out the lab vendor's bearer token of each connection:
// "tok-" + the account (the connection's provider user id, read from the
// store once).
type labTokens struct {
	store wearables.ConnectionStore
	mu    sync.Mutex
	cache map[string]string // connection id → account
}

func newLabTokens(store wearables.ConnectionStore) *labTokens {
	return &labTokens{store: store, cache: map[string]string{}}
}

func (t *labTokens) Token(ctx context.Context, connectionID string) (*oauth2.Token, error) {
	t.mu.Lock()
	a, ok := t.cache[connectionID]
	t.mu.Unlock()
	if !ok {
		c, err := t.store.GetConnection(ctx, connectionID)
		if err != nil {
			return nil, err
		}
		a = c.ProviderUserID
		t.mu.Lock()
		t.cache[connectionID] = a
		t.mu.Unlock()
	}
	return &oauth2.Token{AccessToken: "tok-" + a, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}, nil
}

func (t *labTokens) Refresh(ctx context.Context, connectionID string, rejected *oauth2.Token) (*oauth2.Token, error) {
	return nil, fmt.Errorf("lab tokens: refresh %s: %w", connectionID, wearables.ErrUnauthorized)
}

// The lab vendor's webhooks: a JSON notification signed with an HMAC of
// the body in X-Lab-Signature.
const labWebhookSecret = "lab-secret"

type labNotification struct {
	EventID string `json:"event_id"`
	Account string `json:"account"`
	Type    string `json:"type"`
	Kind    string `json:"kind"`
	ID      string `json:"id,omitempty"`
	// Push carries records inline (Garmin-style push).
	Push []labRecord `json:"push,omitempty"`
}

func signLab(body []byte) string {
	m := hmac.New(sha256.New, []byte(labWebhookSecret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func (p *labProvider) VerifyWebhook(r *http.Request, body []byte) error {
	got, err := hex.DecodeString(r.Header.Get("X-Lab-Signature"))
	if err != nil || !hmac.Equal(got, []byte(mustHex(signLab(body)))) {
		return fmt.Errorf("lab: webhook signature: %w", wearables.ErrUnauthorized)
	}
	return nil
}

func mustHex(s string) []byte {
	b, _ := hex.DecodeString(s)
	return b
}

func (p *labProvider) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	var n labNotification
	if err := json.Unmarshal(body, &n); err != nil {
		return nil, fmt.Errorf("lab: parse webhook: %w", wearables.ErrInvalid)
	}
	ev := wearables.WebhookEvent{ProviderUserID: n.Account, DataType: wearables.DataType(n.Type), Kind: wearables.WebhookEventKind(n.Kind), ProviderRecordID: n.ID, DedupeKey: n.EventID}
	if len(n.Push) > 0 {
		ev.Records = &wearables.Batch{}
		ev.Start = n.Push[0].Start
		for _, r := range n.Push {
			v := r.Value
			ev.Records.Workouts = append(ev.Records.Workouts, wearables.Workout{
				Source: wearables.Source{Provider: labProviderID, DeviceType: wearables.DeviceWatch}, ProviderRecordID: r.ID, Version: r.Version,
				Type: wearables.WorkoutRunning, Start: r.Start, End: r.Start.Add(30 * time.Minute), Offset: wearables.NoOffset, Distance: &v,
			})
			if r.Start.Before(ev.Start) {
				ev.Start = r.Start
			}
		}
	}
	return []wearables.WebhookEvent{ev}, nil
}

// labAsync is the lab provider as a Garmin-style vendor: history is
// requested and arrives by push; webhook subscriptions are renewed.
type labAsync struct {
	*labProvider
	mu         sync.Mutex
	requested  [][2]time.Time
	subscribed []string
}

func (p *labAsync) RequestBackfill(ctx context.Context, client *http.Client, dt wearables.DataType, start, end time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requested = append(p.requested, [2]time.Time{start, end})
	return nil
}

func (p *labAsync) EnsureSubscriptions(ctx context.Context, callbackURL string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.subscribed = append(p.subscribed, callbackURL)
	return nil
}

func (p *labAsync) calls() (requested [][2]time.Time, subscribed []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requested), slices.Clone(p.subscribed)
}
