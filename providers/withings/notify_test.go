package withings_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/withings"
)

const callback = "https://app.example/webhooks/withings"

// notifyServer is Withings' /notify for one user: list answers
// notify_list.json (appli 1 and 44 already on callback), subscribe records
// the category and answers subscribeStatus.
type notifyServer struct {
	srv             *httptest.Server
	subscribeStatus int

	mu         sync.Mutex
	subscribed []int
	comments   []string
}

func newNotifyServer(t *testing.T, subscribeStatus int) *notifyServer {
	n := &notifyServer{subscribeStatus: subscribeStatus}
	list := readFixture(t, "notify_list.json")
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		assert.Equal(t, "/notify", r.URL.Path)
		assert.Equal(t, "Bearer user-token", r.Header.Get("Authorization"), "subscriptions are per user, with the user's token")
		w.Header().Set("Content-Type", "application/json")
		switch r.PostForm.Get("action") {
		case "list":
			_, _ = w.Write(list)
		case "subscribe":
			assert.Equal(t, callback, r.PostForm.Get("callbackurl"))
			a, _ := strconv.Atoi(r.PostForm.Get("appli"))
			n.mu.Lock()
			n.subscribed = append(n.subscribed, a)
			n.comments = append(n.comments, r.PostForm.Get("comment"))
			n.mu.Unlock()
			_, _ = w.Write([]byte(`{"status":` + strconv.Itoa(n.subscribeStatus) + `,"body":{}}`))
		default:
			t.Errorf("unexpected action %q", r.PostForm.Get("action"))
		}
	}))
	t.Cleanup(n.srv.Close)
	return n
}

func userClient(base *http.Client) *http.Client {
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, base)
	return oauth2.NewClient(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "user-token"}))
}

func TestEnsureUserSubscriptions(t *testing.T) {
	n := newNotifyServer(t, 0)
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: n.srv.URL})
	require.NoError(t, p.EnsureUserSubscriptions(context.Background(), userClient(n.srv.Client()), callback))
	assert.Equal(t, []int{withings.AppliTemperature, withings.AppliCardio, withings.AppliActivity, withings.AppliUser}, n.subscribed,
		"only the categories not yet subscribed on this callback URL (1 and 44 are; the legacy URL does not count)")
	assert.Equal(t, []string{"wearables", "wearables", "wearables", "wearables"}, n.comments)
}

func TestEnsureUserSubscriptionsFailure(t *testing.T) {
	n := newNotifyServer(t, 293) // the callback URL did not answer Withings' check
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: n.srv.URL,
		NotifyApplis: []int{withings.AppliWeight, withings.AppliActivity, withings.AppliSleep}})
	err := p.EnsureUserSubscriptions(context.Background(), userClient(n.srv.Client()), callback)
	require.Error(t, err)
	assert.ErrorIs(t, err, wearables.ErrInvalid, "293 is an invalid-params status")
	var pe *wearables.ProviderError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 293, pe.StatusCode)
	assert.Equal(t, []int{withings.AppliActivity}, n.subscribed)
}

// TestProviderUserIDSubscribes: with Config.NotifyCallbackURL the user is
// subscribed when the connection completes.
func TestProviderUserIDSubscribes(t *testing.T) {
	n := newNotifyServer(t, 0)
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", BaseURL: n.srv.URL, NotifyCallbackURL: callback})
	tok := (&oauth2.Token{AccessToken: "user-token"}).WithExtra(map[string]any{"userid": float64(12345678)})
	id, err := p.ProviderUserID(context.Background(), userClient(n.srv.Client()), tok)
	require.NoError(t, err)
	assert.Equal(t, userID, id)
	assert.Len(t, n.subscribed, 4)
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte("userid=12345678&appli=1&startdate=1711692750&enddate=1711692750")
	for _, c := range []struct {
		name, method, target, token string
		ok                          bool
	}{
		{"token configured and sent", http.MethodPost, "/webhooks/withings?token=s3cret", "s3cret", true},
		{"token missing", http.MethodPost, "/webhooks/withings", "s3cret", false},
		{"token wrong", http.MethodPost, "/webhooks/withings?token=guess", "s3cret", false},
		{"no token configured", http.MethodPost, "/webhooks/withings", "", true},
		{"not a POST", http.MethodGet, "/webhooks/withings?token=s3cret", "s3cret", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret", WebhookToken: c.token})
			err := p.VerifyWebhook(httptest.NewRequest(c.method, c.target, nil), body)
			if c.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, wearables.ErrUnauthorized)
			}
		})
	}
}

func TestParseWebhook(t *testing.T) {
	p := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret"})
	day := func(d int) time.Time { return time.Date(2024, 3, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name      string
		body      string
		types     []wearables.DataType
		kind      wearables.WebhookEventKind
		start     time.Time
		end       time.Time
		invalid   bool
		noneValid bool
	}{
		{name: "temperature", body: "userid=1&appli=2&startdate=1711785600&enddate=1711789200", types: []wearables.DataType{withings.DataMeasures},
			kind: wearables.WebhookUpdated, start: time.Unix(1711785600, 0), end: time.Unix(1711789201, 0)},
		{name: "activity by date", body: "userid=1&appli=16&date=2024-03-31",
			types: []wearables.DataType{withings.DataActivity, withings.DataIntraday, wearables.DataWorkouts},
			kind:  wearables.WebhookUpdated, start: day(30), end: day(33)},
		{name: "date in epoch seconds", body: "userid=1&appli=44&date=1711843200", types: []wearables.DataType{wearables.DataSleep},
			kind: wearables.WebhookUpdated, start: time.Unix(1711843200, 0), end: time.Unix(1711843201, 0)},
		{name: "user deleted", body: "userid=1&appli=46&action=delete", types: []wearables.DataType{""}, kind: wearables.WebhookDeauthorize},
		{name: "user updated", body: "userid=1&appli=46&action=update", noneValid: true},
		{name: "in bed", body: "userid=1&appli=50&date=1711843200&deviceid=abc", noneValid: true},
		{name: "ECG", body: "userid=1&appli=54&startdate=1711843200&enddate=1711843230", noneValid: true},
		{name: "no user", body: "appli=1&startdate=1&enddate=2", invalid: true},
		{name: "user not a number", body: "userid=bob&appli=1", invalid: true},
		{name: "no appli", body: "userid=1", invalid: true},
		{name: "bad startdate", body: "userid=1&appli=1&startdate=yesterday&enddate=1711843200", invalid: true},
		{name: "end before start", body: "userid=1&appli=1&startdate=1711843200&enddate=1711800000", invalid: true},
		{name: "not a form", body: "userid=%zz", invalid: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			events, err := p.ParseWebhook([]byte(c.body))
			if c.invalid {
				assert.ErrorIs(t, err, wearables.ErrInvalid)
				return
			}
			require.NoError(t, err)
			if c.noneValid {
				assert.Empty(t, events)
				return
			}
			require.Len(t, events, len(c.types))
			keys := map[string]bool{}
			for i, e := range events {
				assert.Equal(t, c.types[i], e.DataType)
				assert.Equal(t, c.kind, e.Kind)
				assert.Equal(t, "1", e.ProviderUserID)
				assert.True(t, c.start.Equal(e.Start), "start %v, want %v", e.Start, c.start)
				assert.True(t, c.end.Equal(e.End), "end %v, want %v", e.End, c.end)
				assert.Nil(t, e.Records, "notifications are hints; nothing inline")
				keys[e.DedupeKey] = true
			}
			assert.Len(t, keys, len(events), "one dedupe key per event")
		})
	}
}

func TestVerificationHandler(t *testing.T) {
	h := withings.New(withings.Config{ClientID: "id", ClientSecret: "secret"}).VerificationHandler()
	for method, want := range map[string]int{http.MethodHead: 200, http.MethodGet: 200, http.MethodPost: 405, http.MethodPut: 405} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, "/webhooks/withings", nil))
		assert.Equal(t, want, rec.Code, method)
	}
}
