package providertest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// Checks of vendors whose data arrives asynchronously: inline PUSH
// webhooks whose bodies carry records (Garmin push, Suunto), notifications
// that announce a window to fetch (Garmin ping, Withings), and backfills
// requested from the vendor and delivered later by webhook (Garmin).

// BackfillCase is one recorded answer to
// wearables.BackfillRequester.RequestBackfill: the window asked for and what
// the provider must return. The vendor's response is declared as a Static
// fixture (its Path, the window's query parameters, its Status and body),
// so a case for an accepted request (202 Accepted, no body) and one for
// each refusal (409 duplicate, 403 no permission …) differ by window.
type BackfillCase struct {
	// Name names the case in test output; defaults to the data type.
	Name string
	// DataType, Start and End are RequestBackfill's arguments.
	DataType   wearables.DataType
	Start, End time.Time
	// Path is the vendor route the request goes to; the kit checks the
	// request reached it and injects faults there.
	Path string
	// Want is the error RequestBackfill must return, matched with
	// errors.Is (a typed error of the vendor package, or a sentinel such as
	// wearables.ErrConflict); nil for a request the vendor accepts.
	Want error
}

func (c BackfillCase) name() string {
	if c.Name != "" {
		return c.Name
	}
	return string(c.DataType)
}

// checkPush checks, for every webhook vector the provider accepts, what
// the golden comparison does not: records pushed inline are what Fetch
// would return — structurally valid, of this provider, with no user and no
// cursor, and already plausible (normalize.ValidateBatch finds nothing to
// reject: the provider filters pushed records as it filters pages) — and
// event windows do not end before they start. With
// Suite.FollowWebhookWindows, each announced window (an event without
// records that names one of the provider's data types and a start) is
// fetched as the syncer would, and the fixtures must answer it.
func (k *kit) checkPush(t tester) {
	h, ok := k.p.(wearables.WebhookHandler)
	require.True(t, ok, "the provider does not implement wearables.WebhookHandler")
	for _, vec := range k.s.Fixtures.Webhooks {
		if vec.Reject {
			continue
		}
		body, err := k.s.Fixtures.readFile(vec.File)
		require.NoError(t, err)
		t.run(vec.name(), func(t tester) {
			events, err := k.webhookEvents(h, vec, body)
			require.NoError(t, err, "the vector must verify and parse (see Webhooks)")
			for i, e := range events {
				if !e.Start.IsZero() && !e.End.IsZero() && e.End.Before(e.Start) {
					t.Errorf("event %d: window ends (%s) before it starts (%s)", i, e.End, e.Start)
				}
				if e.Records != nil {
					checkPushed(t, k.p.ID(), i, *e.Records)
					continue
				}
				if k.s.FollowWebhookWindows && e.Kind != wearables.WebhookDeauthorize && slices.Contains(k.p.DataTypes(), e.DataType) && !e.Start.IsZero() {
					k.followWindow(t, i, e)
				}
			}
		})
	}
}

// webhookEvents verifies and parses a vector as checkWebhooks sends it.
func (k *kit) webhookEvents(h wearables.WebhookHandler, vec WebhookVector, body []byte) ([]wearables.WebhookEvent, error) {
	r := httptest.NewRequest(http.MethodPost, k.env.URL+k.s.Vendor.webhookPath(), bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	switch wh := k.s.Vendor.Webhook; {
	case len(vec.Header) > 0:
		for name, v := range vec.Header {
			r.Header.Set(name, v)
		}
	case wh.Sign != nil:
		secret := k.env.WebhookSecret
		if wh.UsesClientSecret {
			secret = k.env.ClientSecret
		}
		for name, vs := range wh.Sign(secret, time.Now(), body) {
			r.Header[name] = vs
		}
	}
	if err := h.VerifyWebhook(r, body); err != nil {
		return nil, err
	}
	return h.ParseWebhook(body)
}

// checkPushed checks the records one event carries.
func checkPushed(t tester, id wearables.ProviderID, i int, b wearables.Batch) {
	t.Helper()
	assert.Empty(t, b.UserID, "event %d: pushed records must leave Batch.UserID empty for the caller", i)
	assert.Nil(t, b.Cursor, "event %d: pushed records must not carry a cursor", i)
	checkRecords(t, id, goldenBatch(b))
	cp := wearables.Batch{
		UserID:    "providertest-user",
		Samples:   slices.Clone(b.Samples),
		Workouts:  slices.Clone(b.Workouts),
		Sleep:     slices.Clone(b.Sleep),
		Summaries: slices.Clone(b.Summaries),
		Scores:    slices.Clone(b.Scores),
	}
	if rej := normalize.ValidateBatch(&cp); len(rej) > 0 {
		t.Errorf("event %d: %d pushed records are implausible (first: %s %q: %s): run normalize.ValidateBatch on pushed records as on fetched pages",
			i, len(rej), rej[0].Kind, rej[0].ProviderRecordID, rej[0].Reason)
	}
}

// followWindow fetches the window event i announces, following page
// tokens, and expects the fixtures to answer every request.
func (k *kit) followWindow(t tester, i int, e wearables.WebhookEvent) {
	t.Helper()
	k.reset()
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	client, _ := k.client()
	end := e.End
	if !end.After(e.Start) {
		end = e.Start.Add(time.Second)
	}
	req := wearables.FetchRequest{Client: client, Connection: k.connection(), DataType: e.DataType, Start: e.Start, End: end}
	for range 100 {
		res, err := k.p.Fetch(ctx, req)
		if err != nil {
			t.Errorf("event %d announces %s [%s, %s): Fetch: %v%s", i, e.DataType, e.Start.Format(time.RFC3339), end.Format(time.RFC3339), err, k.missHint())
			return
		}
		if res.NextPageToken == "" || res.NextPageToken == req.PageToken {
			break
		}
		req.PageToken = res.NextPageToken
	}
	assert.Empty(t, k.srv.Misses(), "event %d: fetching the announced window sent requests no fixture answers: record a Case for it", i)
}

// checkBackfill runs each BackfillCase, then injects faults into the first
// accepted one: a 401 costs one refresh and one retry, a 429 surfaces
// wearables.ErrRateLimited, a 500 a temporary *wearables.ProviderError.
func (k *kit) checkBackfill(t tester) {
	req, ok := k.p.(wearables.BackfillRequester)
	require.True(t, ok, "Suite.Backfills are declared but the provider does not implement wearables.BackfillRequester")
	require.NotEmpty(t, k.s.Backfills, "the provider implements wearables.BackfillRequester: declare recorded answers in Suite.Backfills")
	call := func(c BackfillCase, client *http.Client) error {
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		defer cancel()
		return req.RequestBackfill(ctx, client, c.DataType, c.Start, c.End)
	}
	reached := func(c BackfillCase) int {
		n := 0
		for _, r := range k.srv.Requests() {
			if r.Path == c.Path && r.Static {
				n++
			}
		}
		return n
	}
	var accepted *BackfillCase
	for _, c := range k.s.Backfills {
		if c.Want == nil && accepted == nil {
			accepted = &c
		}
		t.run(c.name(), func(t tester) {
			k.reset()
			client, tokens := k.client()
			err := call(c, client)
			if c.Want == nil {
				assert.NoError(t, err, "the vendor accepted the backfill request%s", k.missHint())
			} else {
				assert.ErrorIs(t, err, c.Want, "RequestBackfill's error for the vendor's answer%s", k.missHint())
			}
			assert.Positive(t, reached(c), "no request reached the recorded answer at %s%s", c.Path, k.missHint())
			assert.Empty(t, k.srv.Misses(), "the provider sent requests no fixture answers")
			assert.Zero(t, tokens.Refreshes(), "no 401 happened, yet the token was refreshed")
		})
	}
	if accepted == nil {
		return
	}
	c := *accepted
	t.run(c.name()+"/401_refresh_once", func(t tester) {
		k.reset()
		client, _ := k.client()
		k.srv.ExpireAccessTokens()
		before := k.srv.Refreshes()
		err := call(c, client)
		if k.s.Vendor.NoRefreshToken {
			assert.ErrorIs(t, err, wearables.ErrUnauthorized)
			return
		}
		assert.NoError(t, err, "a 401 must be answered by one refresh and one retry")
		assert.Equal(t, 1, k.srv.Refreshes()-before, "token refreshes after one 401")
	})
	t.run(c.name()+"/429_rate_limited", func(t tester) {
		k.reset()
		client, _ := k.client()
		k.srv.Inject(Fault{Path: c.Path, Status: http.StatusTooManyRequests, RetryAfter: rateLimitDelay})
		err := call(c, client)
		assert.ErrorIs(t, err, wearables.ErrRateLimited)
		var pe *wearables.ProviderError
		assert.True(t, errors.As(err, &pe), "rate limits must surface as *wearables.ProviderError")
	})
	t.run(c.name()+"/500", func(t tester) {
		k.reset()
		client, _ := k.client()
		k.srv.Inject(Fault{Path: c.Path, Status: http.StatusInternalServerError})
		err := call(c, client)
		var pe *wearables.ProviderError
		if assert.True(t, errors.As(err, &pe), "vendor errors must surface as *wearables.ProviderError: %v", err) {
			assert.True(t, pe.Temporary(), "a 500 is temporary")
		}
	})
}
