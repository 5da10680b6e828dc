package providertest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Timing of the checks.
const (
	checkTimeout    = 30 * time.Second
	latencyDeadline = 100 * time.Millisecond
	// injectedLatency is far beyond the deadline so that "returned at the
	// deadline" and "waited for the vendor" stay distinguishable on a loaded
	// CI machine; the fault stops early once the client goes away.
	injectedLatency = 30 * time.Second
	rateLimitDelay  = 37 * time.Second
	staleAge        = time.Hour
	redirectURL     = "https://app.example/oauth/callback"
)

// kit holds the state shared by the checks of one run.
type kit struct {
	s      Suite
	srv    *Server
	env    Env
	p      wearables.Provider
	update bool
}

func (s Suite) run(t tester) {
	t.Helper()
	require.NotNil(t, s.NewProvider, "Suite.NewProvider is required")
	srv, err := NewServer(s.Vendor, s.Fixtures)
	require.NoError(t, err)
	defer srv.Close()
	env := srv.Env()
	p, err := s.NewProvider(env)
	require.NoError(t, err, "NewProvider")
	require.NotNil(t, p, "NewProvider returned nil")
	k := &kit{s: s, srv: srv, env: env, p: p, update: s.Update || *update}

	t.run("DataTypes", k.checkDataTypes)
	t.run("OAuth", k.checkOAuth)
	t.run("Fetch", func(t tester) {
		for _, c := range s.Fixtures.Cases {
			t.run(c.name(), func(t tester) { k.checkFetch(t, c) })
		}
	})
	t.run("Idempotent", func(t tester) {
		for _, c := range s.Fixtures.Cases {
			t.run(c.name(), func(t tester) { k.checkIdempotent(t, c) })
		}
	})
	t.run("Faults", func(t tester) {
		for _, c := range s.Fixtures.Cases {
			t.run(c.name(), func(t tester) { k.checkFaults(t, c) })
		}
	})
	if _, ok := p.(wearables.Revoker); ok {
		t.run("Revoke", k.checkRevoke)
	}
	if _, ok := p.(wearables.WebhookHandler); ok || len(s.Fixtures.Webhooks) > 0 {
		t.run("Webhooks", k.checkWebhooks)
		t.run("Push", k.checkPush)
	}
	if _, ok := p.(wearables.BackfillRequester); ok || len(s.Backfills) > 0 {
		t.run("Backfill", k.checkBackfill)
	}
}

// reset clears faults and the request log between checks.
func (k *kit) reset() {
	k.srv.ClearFaults()
	k.srv.ResetLog()
}

// client returns an authorized client with a fresh token, as the syncer
// would build it from the connection's token.
func (k *kit) client() (*http.Client, *providerhttp.LocalTokens) {
	cfg := &oauth2.Config{ClientID: k.env.ClientID, ClientSecret: k.env.ClientSecret, Endpoint: k.p.OAuth().Endpoint}
	tokens := providerhttp.NewLocalTokens(cfg, k.srv.IssueToken(), k.srv.Client())
	return providerhttp.NewClient(tokens, k.srv.Client()), tokens
}

func (k *kit) connection() wearables.Connection {
	return wearables.Connection{
		ID:             "providertest-connection",
		UserID:         "providertest-user",
		Provider:       k.p.ID(),
		ProviderUserID: k.s.Fixtures.ProviderUserID,
		Status:         wearables.ConnectionActive,
		ConnectedAt:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		UpdatedAt:      time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

func (k *kit) request(c Case, client *http.Client, token string) wearables.FetchRequest {
	return wearables.FetchRequest{
		Client:     client,
		Connection: k.connection(),
		DataType:   c.DataType,
		Start:      c.Start,
		End:        c.End,
		PageToken:  token,
	}
}

// fetchAll follows c's page chain; it fails t if the chain does not stop.
func (k *kit) fetchAll(ctx context.Context, t tester, c Case, client *http.Client) []wearables.FetchResult {
	t.Helper()
	var pages []wearables.FetchResult
	token := ""
	limit := len(c.Pages) + 2
	for range limit {
		res, err := k.p.Fetch(ctx, k.request(c, client, token))
		if err != nil {
			t.Errorf("Fetch(%s, page token %q): %v%s", c.DataType, token, err, k.missHint())
			t.FailNow()
		}
		pages = append(pages, res)
		if res.NextPageToken == "" {
			return pages
		}
		if res.NextPageToken == token {
			t.Errorf("Fetch returned its own page token %q as the next one: pagination would loop", token)
			t.FailNow()
		}
		token = res.NextPageToken
	}
	t.Errorf("pagination does not stop: still a next page token (%q) after %d pages, but the case records %d", token, limit, len(c.Pages))
	t.FailNow()
	return nil
}

// missHint lists the requests that matched no fixture, to explain failures.
func (k *kit) missHint() string {
	m := k.srv.Misses()
	if len(m) == 0 {
		return ""
	}
	return "\nrequests that matched no fixture:\n  " + strings.Join(m, "\n  ")
}

func (k *kit) checkDataTypes(t tester) {
	id := k.p.ID()
	assert.Regexp(t, regexp.MustCompile(`^[a-z][a-z0-9_]*$`), string(id), "ID must be lower-case ASCII")
	types := k.p.DataTypes()
	require.NotEmpty(t, types, "DataTypes is empty")
	seen := map[wearables.DataType]bool{}
	for _, dt := range types {
		assert.False(t, seen[dt], "DataTypes lists %q twice", dt)
		seen[dt] = true
	}
	covered := map[wearables.DataType]bool{}
	for _, c := range k.s.Fixtures.Cases {
		assert.True(t, seen[c.DataType], "case %q fetches %q, which DataTypes does not list", c.name(), c.DataType)
		covered[c.DataType] = true
	}
	for _, dt := range types {
		assert.True(t, covered[dt], "data type %q has no fixture case: record a window of it", dt)
	}
}

func (k *kit) checkOAuth(t tester) {
	k.reset()
	spec := k.p.OAuth()
	v := k.s.Vendor
	assert.Equal(t, k.env.URL+v.authorizePath(), spec.Endpoint.AuthURL, "OAuth().Endpoint.AuthURL must be built from the configured base URL")
	assert.Equal(t, k.env.URL+v.tokenPath(), spec.Endpoint.TokenURL, "OAuth().Endpoint.TokenURL must be built from the configured base URL")
	if v.AuthStyle != oauth2.AuthStyleAutoDetect {
		assert.Equal(t, v.AuthStyle, spec.Endpoint.AuthStyle, "OAuth().Endpoint.AuthStyle must be the vendor's (1 = params/body, 2 = header/Basic)")
	}
	if v.PKCE {
		assert.True(t, spec.PKCE, "the vendor requires PKCE but OAuth().PKCE is false")
	}

	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	cfg := &oauth2.Config{ClientID: k.env.ClientID, ClientSecret: k.env.ClientSecret, Endpoint: spec.Endpoint, Scopes: spec.Scopes, RedirectURL: redirectURL}
	state := "providertest-state-0123456789"
	verifier := oauth2.GenerateVerifier()
	opts := make([]oauth2.AuthCodeOption, 0, len(spec.AuthParams)+1)
	for _, key := range sortedKeys(spec.AuthParams) {
		opts = append(opts, oauth2.SetAuthURLParam(key, spec.AuthParams[key]))
	}
	if spec.PKCE {
		opts = append(opts, oauth2.S256ChallengeOption(verifier))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.AuthCodeURL(state, opts...), nil)
	require.NoError(t, err)
	hc := *k.srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	require.NoError(t, err, "authorize request")
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode, "authorize did not redirect back")
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	assert.Equal(t, state, loc.Query().Get("state"))

	ectx := context.WithValue(ctx, oauth2.HTTPClient, k.srv.Client())
	var xopts []oauth2.AuthCodeOption
	if spec.PKCE {
		xopts = append(xopts, oauth2.VerifierOption(verifier))
	}
	tok, err := cfg.Exchange(ectx, loc.Query().Get("code"), xopts...)
	require.NoError(t, err, "code exchange at the token endpoint (check OAuth().Endpoint.AuthStyle and PKCE)")
	assert.NotEmpty(t, tok.AccessToken)
	if !v.NoRefreshToken {
		assert.NotEmpty(t, tok.RefreshToken, "no refresh token after the exchange")
		fresh, err := cfg.TokenSource(ectx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		require.NoError(t, err, "refresh at the token endpoint")
		assert.NotEqual(t, tok.AccessToken, fresh.AccessToken)
	}

	if r, ok := k.p.(wearables.ProviderUserIDReader); ok {
		tokens := providerhttp.NewLocalTokens(cfg, tok, k.srv.Client())
		id, err := r.ProviderUserID(ctx, providerhttp.NewClient(tokens, k.srv.Client()), tok)
		require.NoError(t, err, "ProviderUserID%s", k.missHint())
		assert.Equal(t, k.s.Fixtures.ProviderUserID, id, "ProviderUserID must return Fixtures.ProviderUserID")
	}
}

func (k *kit) checkFetch(t tester, c Case) {
	k.reset()
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	client, tokens := k.client()
	pages := k.fetchAll(ctx, t, c, client)

	// Every recorded page was requested once, in order, and nothing more
	// (a Numbered vendor may be asked for one empty page past the end).
	var served []int
	for _, r := range k.srv.Requests() {
		if r.Case == c.name() {
			served = append(served, r.Page)
		}
	}
	want := make([]int, len(c.Pages))
	for i := range want {
		want[i] = i
	}
	if k.s.Vendor.Pagination.Numbered && len(served) == len(want)+1 && served[len(served)-1] == len(c.Pages) {
		served = served[:len(want)]
	}
	assert.Equal(t, want, served, "pages served, in order (index into Case.Pages)%s", k.missHint())
	assert.Empty(t, k.srv.Misses(), "the provider sent requests no fixture answers (record them as Static fixtures, or stop sending them)")
	assert.Zero(t, tokens.Refreshes(), "no 401 happened, yet the token was refreshed")

	for i, res := range pages {
		assert.Empty(t, res.Records.UserID, "page %d: Records.UserID must be left empty for the caller", i)
		assert.Nil(t, res.Records.Cursor, "page %d: Records.Cursor must be left nil; the syncer advances cursors", i)
	}
	g := goldenFetch(pages)
	checkRecords(t, k.p.ID(), g.Records)
	compareGolden(t, k.s.Fixtures, c.golden(), g, k.update)
}

// checkRecords checks what does not need a golden: structural validity and
// the provider id on every record.
func checkRecords(t tester, id wearables.ProviderID, g GoldenBatch) {
	t.Helper()
	b := wearables.Batch{UserID: "providertest-user", Samples: g.Samples, Workouts: g.Workouts, Sleep: g.Sleep, Summaries: g.Summaries, Scores: g.Scores, Deletes: g.Deletes}
	assert.NoError(t, b.Validate(), "normalized records must validate")
	bad := 0
	check := func(s wearables.Source) {
		if s.Provider != id {
			bad++
		}
	}
	for _, r := range g.Samples {
		check(r.Source)
	}
	for _, r := range g.Workouts {
		check(r.Source)
	}
	for _, r := range g.Sleep {
		check(r.Source)
	}
	for _, r := range g.Summaries {
		check(r.Source)
	}
	for _, r := range g.Scores {
		check(r.Source)
	}
	for _, d := range g.Deletes {
		if d.Provider != id {
			bad++
		}
	}
	assert.Zero(t, bad, "records whose Source.Provider (or Delete.Provider) is not %q", id)
}

func (k *kit) checkIdempotent(t tester, c Case) {
	k.reset()
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	first, _ := k.client()
	a, err := json.Marshal(goldenFetch(k.fetchAll(ctx, t, c, first)))
	require.NoError(t, err)
	second, _ := k.client()
	b, err := json.Marshal(goldenFetch(k.fetchAll(ctx, t, c, second)))
	require.NoError(t, err)
	if !bytes.Equal(a, b) {
		as, _ := SemanticJSON(a)
		bs, _ := SemanticJSON(b)
		assert.Equal(t, as, bs, "fetching the same window twice must give identical records (deterministic ids, order and values)")
	}
}

// checkFaults injects each fault into the first page of c.
func (k *kit) checkFaults(t tester, c Case) {
	v := k.s.Vendor
	first := func(t tester, ctx context.Context, client *http.Client) (wearables.FetchResult, error) {
		t.Helper()
		return k.p.Fetch(ctx, k.request(c, client, ""))
	}
	dataRequests := func() int {
		n := 0
		for _, r := range k.srv.Requests() {
			if r.Case == c.name() {
				n++
			}
		}
		return n
	}
	noRecords := func(t tester, res wearables.FetchResult) {
		t.Helper()
		assert.Zero(t, res.Records.Len(), "a failed fetch must return no records")
		assert.Empty(t, res.Rejected, "a failed fetch must return no rejections")
		assert.Empty(t, res.NextPageToken, "a failed fetch must return no page token")
	}
	ctxT := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), checkTimeout)
	}

	t.run("401_refresh_once", func(t tester) {
		k.reset()
		ctx, cancel := ctxT()
		defer cancel()
		client, _ := k.client()
		k.srv.ExpireAccessTokens()
		before := k.srv.Refreshes()
		res, err := first(t, ctx, client)
		refreshes := k.srv.Refreshes() - before
		if v.NoRefreshToken {
			assert.ErrorIs(t, err, wearables.ErrUnauthorized, "without refresh tokens a 401 must surface as ErrUnauthorized")
			assert.Zero(t, refreshes, "the vendor has no refresh tokens, yet a refresh was attempted")
			noRecords(t, res)
			return
		}
		require.NoError(t, err, "a 401 must be answered by one refresh and one retry")
		assert.Equal(t, 1, refreshes, "token refreshes after one 401")
		assert.Equal(t, 2, dataRequests(), "requests for the first page: the 401 and one retry")
		assert.Positive(t, res.Records.Len()+len(res.Rejected), "the retried page must carry the page's records")
	})
	t.run("401_persistent", func(t tester) {
		k.reset()
		ctx, cancel := ctxT()
		defer cancel()
		client, _ := k.client()
		k.srv.Inject(Fault{Path: c.Path, Status: http.StatusUnauthorized, Times: 10})
		before := k.srv.Refreshes()
		res, err := first(t, ctx, client)
		k.srv.ClearFaults()
		wantRefresh, wantReq := 1, 2
		if v.NoRefreshToken {
			wantRefresh, wantReq = 0, 1
		}
		assert.Equal(t, wantRefresh, k.srv.Refreshes()-before, "token refreshes when the vendor keeps answering 401: exactly one, never a loop")
		assert.Equal(t, wantReq, dataRequests(), "requests when the vendor keeps answering 401: the first try and exactly one retry (the shared transport retries; providers must not)")
		assert.ErrorIs(t, err, wearables.ErrUnauthorized, "a persistent 401 must surface as ErrUnauthorized")
		noRecords(t, res)
	})
	t.run("429_rate_limited", func(t tester) {
		k.reset()
		ctx, cancel := ctxT()
		defer cancel()
		client, _ := k.client()
		k.srv.Inject(Fault{Path: c.Path, Status: http.StatusTooManyRequests, RetryAfter: rateLimitDelay})
		now := time.Now()
		res, err := first(t, ctx, client)
		require.Error(t, err)
		assert.ErrorIs(t, err, wearables.ErrRateLimited)
		var pe *wearables.ProviderError
		if assert.ErrorAs(t, err, &pe, "rate limits must surface as *wearables.ProviderError") {
			if v.RateLimit.RetryAfter {
				assert.Equal(t, rateLimitDelay, pe.RetryAfter, "ProviderError.RetryAfter from the Retry-After header")
			}
			if v.RateLimit.Reset != "" {
				assert.WithinDuration(t, now.Add(rateLimitDelay), pe.ResetAt, 3*time.Second, "ProviderError.ResetAt from the %s header", v.RateLimit.Reset)
			}
		}
		noRecords(t, res)
	})
	for _, status := range []int{http.StatusInternalServerError, http.StatusServiceUnavailable} {
		t.run(strconv.Itoa(status), func(t tester) {
			k.reset()
			ctx, cancel := ctxT()
			defer cancel()
			client, _ := k.client()
			k.srv.Inject(Fault{Path: c.Path, Status: status})
			res, err := first(t, ctx, client)
			require.Error(t, err)
			var pe *wearables.ProviderError
			if assert.ErrorAs(t, err, &pe, "vendor errors must surface as *wearables.ProviderError") {
				assert.Equal(t, status, pe.StatusCode)
				assert.True(t, pe.Temporary(), "a %d is temporary", status)
			}
			noRecords(t, res)
		})
	}
	for _, f := range []struct {
		name  string
		fault Fault
	}{
		{"truncated_body", Fault{Path: c.Path, Truncate: true}},
		{"cut_body", Fault{Path: c.Path, CutBody: true}},
	} {
		t.run(f.name, func(t tester) {
			k.reset()
			ctx, cancel := ctxT()
			defer cancel()
			client, _ := k.client()
			k.srv.Inject(f.fault)
			res, err := first(t, ctx, client)
			require.Error(t, err, "a body cut short must be an error, not a short page")
			var pe *wearables.ProviderError
			assert.ErrorAs(t, err, &pe, "an unreadable vendor response must surface as *wearables.ProviderError (providerhttp.API.DecodeJSON does this)")
			noRecords(t, res)
		})
	}
	t.run("connection_reset", func(t tester) {
		k.reset()
		ctx, cancel := ctxT()
		defer cancel()
		client, _ := k.client()
		// Go's transport replays an idempotent request once when a reused
		// connection dies; reset every attempt.
		k.srv.Inject(Fault{Path: c.Path, Reset: true, Times: 3})
		res, err := first(t, ctx, client)
		k.srv.ClearFaults()
		require.Error(t, err)
		noRecords(t, res)
	})
	t.run("latency_deadline", func(t tester) {
		k.reset()
		ctx, cancel := context.WithTimeout(context.Background(), latencyDeadline)
		defer cancel()
		client, _ := k.client()
		k.srv.Inject(Fault{Path: c.Path, Latency: injectedLatency})
		start := time.Now()
		res, err := first(t, ctx, client)
		k.srv.ClearFaults()
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "a slow vendor must give up at the context deadline")
		assert.Less(t, time.Since(start), injectedLatency/2, "Fetch must return at the context deadline, not after the vendor answers")
		noRecords(t, res)
	})
}

func (k *kit) checkRevoke(t tester) {
	k.reset()
	require.NotEmpty(t, k.s.Vendor.Revoke.Path, "the provider implements Revoker: declare the vendor's endpoint in Vendor.Revoke")
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	tok := k.srv.IssueToken()
	err := k.p.(wearables.Revoker).Revoke(ctx, k.srv.Client(), k.connection(), tok)
	require.NoError(t, err, "Revoke%s", k.missHint())
	assert.False(t, k.srv.TokenValid(tok.AccessToken), "the access token still works after Revoke")
}

func (k *kit) checkWebhooks(t tester) {
	h, ok := k.p.(wearables.WebhookHandler)
	require.True(t, ok, "Fixtures.Webhooks are declared but the provider does not implement wearables.WebhookHandler")
	require.NotEmpty(t, k.s.Fixtures.Webhooks, "the provider implements wearables.WebhookHandler: record webhook bodies in Fixtures.Webhooks")
	wh := k.s.Vendor.Webhook
	secret := k.env.WebhookSecret
	if wh.UsesClientSecret {
		secret = k.env.ClientSecret
	}
	for _, vec := range k.s.Fixtures.Webhooks {
		body, err := k.s.Fixtures.readFile(vec.File)
		require.NoError(t, err)
		t.run(vec.name(), func(t tester) {
			send := func(body []byte, header http.Header) ([]wearables.WebhookEvent, error) {
				r := httptest.NewRequest(http.MethodPost, k.env.URL+k.s.Vendor.webhookPath(), bytes.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				for k, vs := range header {
					r.Header[k] = vs
				}
				if err := h.VerifyWebhook(r, body); err != nil {
					return nil, err
				}
				return h.ParseWebhook(body)
			}
			var header http.Header
			switch {
			case len(vec.Header) > 0:
				header = http.Header{}
				for k, v := range vec.Header {
					header.Set(k, v)
				}
			case wh.Sign != nil:
				header = wh.Sign(secret, time.Now(), body)
			}
			if vec.Reject {
				_, err := send(body, header)
				assert.Error(t, err, "vector %s must be rejected", vec.name())
				return
			}
			t.run("valid", func(t tester) {
				events, err := send(body, header)
				require.NoError(t, err, "a validly signed webhook must verify and parse")
				require.NotEmpty(t, events, "a webhook must yield at least one event")
				for i, e := range events {
					assert.NotEmpty(t, e.DedupeKey, "event %d has no DedupeKey", i)
				}
				again, err := h.ParseWebhook(body)
				require.NoError(t, err)
				assert.Equal(t, goldenEvents(events), goldenEvents(again), "parsing the same body twice must give the same events (dedupe keys included)")
				compareGolden(t, k.s.Fixtures, vec.golden(), goldenEvents(events), k.update)
			})
			if wh.Sign == nil || len(vec.Header) > 0 {
				return
			}
			t.run("tampered_body", func(t tester) {
				_, err := send(tamper(body), header)
				assert.ErrorIs(t, err, wearables.ErrUnauthorized, "a body changed after signing must be rejected")
			})
			t.run("wrong_secret", func(t tester) {
				_, err := send(body, wh.Sign(secret+"-wrong", time.Now(), body))
				assert.ErrorIs(t, err, wearables.ErrUnauthorized, "a signature made with another secret must be rejected")
			})
			if wh.Timestamped {
				t.run("stale_timestamp", func(t tester) {
					_, err := send(body, wh.Sign(secret, time.Now().Add(-staleAge), body))
					assert.ErrorIs(t, err, wearables.ErrUnauthorized, "a signature an hour old must be rejected")
				})
			}
			for _, name := range sortedKeys(header) {
				t.run("missing_"+strings.ToLower(name), func(t tester) {
					hdr := header.Clone()
					hdr.Del(name)
					_, err := send(body, hdr)
					assert.ErrorIs(t, err, wearables.ErrUnauthorized, "a webhook without its %s header must be rejected", name)
				})
			}
		})
	}
}

// tamper changes one byte in the middle of body, keeping it printable.
func tamper(body []byte) []byte {
	b := slices.Clone(body)
	if len(b) == 0 {
		return []byte(" ")
	}
	i := len(b) / 2
	switch {
	case b[i] >= '0' && b[i] < '9':
		b[i]++
	case b[i] == '9':
		b[i] = '0'
	case b[i] == 'a':
		b[i] = 'b'
	default:
		b[i] = 'a'
	}
	return b
}
