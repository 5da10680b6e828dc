package demo

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
	"github.com/wearables-go/wearables/providers/providertest"
)

// The fixtures under testdata/ are the demo vendor's own responses for a
// fixed seed, account and clock, recorded by TestFixturesAreCurrent (run
// with -update to re-record them after changing the generator, then review
// the goldens the conformance run rewrites).
const (
	fixtureSeed    = 1
	fixtureAccount = "demo-eva" // lives at +05:45
	// fixturePageSize keeps the recorded pages (and goldens) small while
	// still spanning several pages.
	fixturePageSize = 250
)

var fixtureNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func day(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }

// demoVendor is how the demo vendor behaves, for the fake server.
var demoVendor = providertest.Vendor{
	AuthStyle:           oauth2.AuthStyleInHeader,
	PKCE:                true,
	RotateRefreshTokens: true,
	Revoke:              providertest.Revoke{Path: "/oauth/revoke"},
	Pagination:          providertest.Pagination{Param: "page_token"},
	RateLimit:           providerhttp.RateLimitHeaders{RetryAfter: true},
	ErrorBody: func(status int) string {
		return fmt.Sprintf(`{"status":%d,"error":%q,"message":"injected"}`, status, strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_"))
	},
	Webhook: providertest.Webhook{Sign: SignWebhook, Timestamped: true},
}

// demoCase declares a recorded window: its pages are named
// <name>_<n>.json and requested with page tokens for offsets of limit.
func demoCase(name string, dt wearables.DataType, start, end time.Time, pages int) providertest.Case {
	e, _ := endpointFor(dt)
	limit := min(e.limit, fixturePageSize)
	c := providertest.Case{
		Name:     name,
		DataType: dt,
		Start:    start,
		End:      end,
		Path:     e.path,
		Query: map[string]string{
			"start": start.Format(time.RFC3339),
			"end":   end.Format(time.RFC3339),
			"limit": fmt.Sprint(limit),
		},
	}
	for i := range pages {
		p := providertest.Page{File: fmt.Sprintf("%s_%d.json", name, i+1)}
		if i > 0 {
			p.Token = pageToken(i * limit)
		}
		c.Pages = append(c.Pages, p)
	}
	return c
}

var demoFixtures = providertest.Fixtures{
	Dir:            "testdata",
	ProviderUserID: fixtureAccount,
	Cases: []providertest.Case{
		demoCase("workouts", wearables.DataWorkouts, day(1), day(8), 1),
		demoCase("sleep", wearables.DataSleep, day(1), day(8), 1),
		demoCase("heartrate", DataHeartRate, day(2).Add(7*time.Hour), day(2).Add(12*time.Hour), 2),
		demoCase("steps", DataSteps, day(2), day(4), 1),
		demoCase("hrv", DataHRV, day(2), day(3), 1),
		demoCase("spo2", DataSpO2, day(2), day(3), 1),
		demoCase("body", wearables.DataBody, day(1), day(8), 1),
	},
	Static: []providertest.Static{{Path: "/api/v1/me", File: "me.json"}},
	Webhooks: []providertest.WebhookVector{
		{File: "webhook_sleep_created.json"},
		{File: "webhook_unknown_event.json", Reject: true},
	},
}

func demoSuite() providertest.Suite {
	return providertest.Suite{
		NewProvider: func(env providertest.Env) (wearables.Provider, error) {
			return New(Config{BaseURL: env.URL, WebhookSecret: env.WebhookSecret, PageSize: fixturePageSize}), nil
		},
		Vendor:   demoVendor,
		Fixtures: demoFixtures,
	}
}

// TestFixturesAreCurrent checks that the recorded fixtures are exactly what
// the demo vendor serves for them today (or re-records them with -update).
func TestFixturesAreCurrent(t *testing.T) {
	h := fixtureHandler(t)
	tok := h.sign(claims{Kind: "at", Account: fixtureAccount, Grant: "fixtures", Nonce: "fixtures", Scope: strings.Join(allScopes, " ")})
	record := func(t *testing.T, file, path string, query url.Values) {
		req := httptest.NewRequest(http.MethodGet, path+"?"+query.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		name := filepath.Join("testdata", file)
		if providertest.Updating() {
			require.NoError(t, os.WriteFile(name, rec.Body.Bytes(), 0o644))
			return
		}
		want, err := os.ReadFile(name)
		require.NoError(t, err, "run go test -update to record the fixtures")
		assert.Equal(t, string(want), rec.Body.String(), "the demo vendor now serves something else for %s: run go test -update and review the golden diff", file)
	}
	for _, c := range demoFixtures.Cases {
		t.Run(c.Name, func(t *testing.T) {
			for _, p := range c.Pages {
				q := url.Values{}
				for k, v := range c.Query {
					q.Set(k, v)
				}
				if p.Token != "" {
					q.Set("page_token", p.Token)
				}
				record(t, p.File, c.Path, q)
			}
		})
	}
	record(t, "me.json", "/api/v1/me", nil)
}

// TestConformance runs the provider kit on the recorded fixtures.
func TestConformance(t *testing.T) {
	providertest.Run(t, demoSuite())
}

func fixtureHandler(t *testing.T) *Handler {
	t.Helper()
	h, err := NewHandler(HandlerConfig{ClientID: "id", ClientSecret: "secret", Seed: fixtureSeed, Now: func() time.Time { return fixtureNow }})
	require.NoError(t, err)
	return h
}
