package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providertest"
	"github.com/wearables-go/wearables/store/memstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
	"github.com/wearables-go/wearables/syncer"
)

// labSettings make every sync re-list the lab vendor's whole history
// (records span labEpoch … labNow) in several windows.
var labSettings = syncer.Settings{Overlap: 11 * 24 * time.Hour, InitialWindow: 11 * 24 * time.Hour, MaxWindow: 4 * 24 * time.Hour, BackfillDays: 5}

type harness struct {
	store  syncer.Store
	full   wearables.Store
	vendor *labVendor
	faults *providertest.FaultHandler
	srv    *httptest.Server
	syncer *syncer.Syncer
}

func newHarness(t testing.TB, st wearables.Store, pageSize int, mod func(*syncer.Config)) *harness {
	t.Helper()
	v := newLabVendor(pageSize)
	fh := providertest.NewFaultHandler(providertest.Vendor{RateLimit: newLabProvider("").api.RateLimit}, v)
	srv := httptest.NewServer(fh)
	t.Cleanup(srv.Close)
	cfg := syncer.Config{
		Store:      st,
		Providers:  []wearables.Provider{newLabProvider(srv.URL)},
		Tokens:     newLabTokens(st),
		HTTPClient: srv.Client(),
		Settings:   map[wearables.ProviderID]syncer.Settings{labProviderID: labSettings},
		Now:        func() time.Time { return labNow },
	}
	if mod != nil {
		mod(&cfg)
	}
	s, err := syncer.New(cfg)
	require.NoError(t, err)
	return &harness{store: st, full: st, vendor: v, faults: fh, srv: srv, syncer: s}
}

// connect creates a user and an active lab connection to account.
func (h *harness) connect(t testing.TB, account string) wearables.Connection {
	t.Helper()
	ctx := context.Background()
	u := wearables.User{}
	require.NoError(t, h.full.CreateUser(ctx, &u))
	c := wearables.Connection{UserID: u.ID, Provider: labProviderID, ProviderUserID: account, Status: wearables.ConnectionActive}
	require.NoError(t, h.full.CreateConnection(ctx, &c))
	return c
}

// workouts returns the stored workouts of a user by provider record id.
func workouts(t testing.TB, st wearables.Store, userID string) map[string]wearables.Workout {
	t.Helper()
	out := map[string]wearables.Workout{}
	q := wearables.EventQuery{UserID: userID, Start: labEpoch.Add(-time.Hour), End: labNow.Add(time.Hour), Limit: 1000}
	for {
		p, err := st.QueryWorkouts(context.Background(), q)
		require.NoError(t, err)
		for _, w := range p.Items {
			_, dup := out[w.ProviderRecordID]
			require.False(t, dup, "duplicate %s", w.ProviderRecordID)
			out[w.ProviderRecordID] = w
		}
		if p.Next == "" {
			return out
		}
		q.Cursor = p.Next
	}
}

// checkMatches compares a user's stored workouts with the vendor's live
// records: returns missing, stale and surviving-deleted counts.
func checkMatches(got map[string]wearables.Workout, want []labRecord) (missing, stale, zombies int) {
	for _, r := range want {
		w, ok := got[r.ID]
		switch {
		case r.Deleted && ok:
			zombies++
		case r.Deleted:
		case !ok:
			missing++
		case w.Version != r.Version || w.Distance == nil || *w.Distance != r.Value:
			stale++
		}
	}
	return
}

func stores(t *testing.T) map[string]func(t *testing.T) wearables.Store {
	return map[string]func(t *testing.T) wearables.Store{
		"memstore": func(t *testing.T) wearables.Store { return memstore.New() },
		"sqlitestore": func(t *testing.T) wearables.Store {
			s, err := sqlitestore.Open(t.Context(), t.TempDir()+"/w.db", sqlitestore.WithAutoMigrate())
			require.NoError(t, err)
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
}

func TestSyncConnection(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			h := newHarness(t, open(t), 7, nil)
			h.vendor.addAccount("acct-1", 50)
			c := h.connect(t, "acct-1")

			res, err := h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
			require.NoError(t, err)
			tot := res.Total()
			assert.Equal(t, 50, tot.Inserted)
			assert.Zero(t, tot.Updated)
			// 11 days in 4-day windows: 3 windows, 50 records in pages of 7.
			assert.GreaterOrEqual(t, tot.Pages, 8)
			got := workouts(t, h.full, c.UserID)
			assert.Len(t, got, 50)

			cur, err := h.full.GetCursor(ctx, c.ID, wearables.DataWorkouts)
			require.NoError(t, err)
			assert.True(t, syncer.Through(cur.Value).Equal(labNow), "cursor at now: %s", cur.Value)

			// Revisions and deletions at the vendor are picked up by the overlap.
			for _, r := range h.vendor.accounts["acct-1"][:3] {
				r.Version++
				r.Value = 999
			}
			h.vendor.accounts["acct-1"][10].Deleted = true
			res, err = h.syncer.SyncConnection(ctx, c.ID, syncer.Options{Trigger: wearables.TriggerWebhook})
			require.NoError(t, err)
			tot = res.Total()
			assert.Equal(t, 3, tot.Updated)
			assert.Equal(t, 1, tot.Deleted)
			assert.Equal(t, 46, tot.Unchanged)
			missing, stale, zombies := checkMatches(workouts(t, h.full, c.UserID), h.vendor.snapshot()["acct-1"])
			assert.Zero(t, missing+stale+zombies)

			runs, err := h.full.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID})
			require.NoError(t, err)
			require.Len(t, runs.Items, 2)
			assert.Equal(t, wearables.TriggerWebhook, runs.Items[0].Trigger)
			assert.Equal(t, 3, runs.Items[0].Types[wearables.DataWorkouts].Updated)
			assert.False(t, runs.Items[0].FinishedAt.IsZero())
			assert.Empty(t, runs.Items[0].Error)

			conn, err := h.full.GetConnection(ctx, c.ID)
			require.NoError(t, err)
			assert.False(t, conn.LastSyncedAt.IsZero())

			// A record normalization refuses: the rest of its page is
			// written, and the run keeps the refused one with its reason.
			bad := h.vendor.accounts["acct-1"][20]
			bad.Version++
			bad.Value = -1
			res, err = h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
			require.NoError(t, err)
			assert.Equal(t, 1, res.Total().Rejected)
			runs, err = h.full.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID, Limit: 1})
			require.NoError(t, err)
			rej := runs.Items[0].Types[wearables.DataWorkouts].Rejections
			require.Len(t, rej, 1, "stored with the run")
			assert.Equal(t, bad.ID, rej[0].ProviderRecordID)
			assert.Equal(t, "negative", rej[0].Reason)
		})
	}
}

// A failure mid-window leaves the cursor at the last committed page, and
// the next run continues from its page token.
func TestSyncConnectionResumesMidWindow(t *testing.T) {
	ctx := t.Context()
	h := newHarness(t, memstore.New(), 5, nil)
	h.vendor.addAccount("acct-1", 50)
	c := h.connect(t, "acct-1")
	// Let two pages through, then fail hard (no retry inside a sync).
	h.faults.Inject(providertest.Fault{Path: "/nothing", Times: 1})
	var calls int
	h.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 3 {
			http.Error(w, `{"error":"boom"}`, http.StatusBadGateway)
			return
		}
		h.faults.ServeHTTP(w, r)
	})
	res, err := h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
	require.Error(t, err)
	var pe *wearables.ProviderError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 2, res.Total().Pages)
	assert.Equal(t, 10, res.Total().Inserted)
	cur, err := h.full.GetCursor(ctx, c.ID, wearables.DataWorkouts)
	require.NoError(t, err)
	assert.Contains(t, cur.Value, `"page":"10"`)
	assert.True(t, syncer.Through(cur.Value).IsZero(), "no window finished yet")

	runs, err := h.full.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID})
	require.NoError(t, err)
	assert.Contains(t, runs.Items[0].Error, "502")

	before := h.vendor.requests.Load()
	t.Logf("requests after first run: %d", before)
	res, err = h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
	require.NoError(t, err)
	assert.Equal(t, 40, res.Total().Inserted, "continues at page 3")
	assert.Len(t, workouts(t, h.full, c.UserID), 50)
	assert.Greater(t, h.vendor.requests.Load(), before)
	t.Logf("requests after second run: %d", h.vendor.requests.Load())
}

// A vendor account linked to several users is fetched once and written for
// each.
func TestSyncConnectionLinkedAccounts(t *testing.T) {
	ctx := t.Context()
	h := newHarness(t, memstore.New(), 25, nil)
	h.vendor.addAccount("shared", 30)
	a := h.connect(t, "shared")
	b := h.connect(t, "shared")
	res, err := h.syncer.SyncConnection(ctx, a.ID, syncer.Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{b.ID}, res.Linked)
	assert.Len(t, workouts(t, h.full, a.UserID), 30)
	assert.Len(t, workouts(t, h.full, b.UserID), 30)
	ca, err := h.full.GetCursor(ctx, a.ID, wearables.DataWorkouts)
	require.NoError(t, err)
	cb, err := h.full.GetCursor(ctx, b.ID, wearables.DataWorkouts)
	require.NoError(t, err)
	assert.Equal(t, ca.Value, cb.Value)
	assert.Equal(t, res.Total().Pages, h.countFor("shared"), "one fetch per page, not per user")
}

func (h *harness) countFor(account string) int { return h.vendor.countFor(account) }

func TestSyncConnectionErrors(t *testing.T) {
	ctx := t.Context()
	t.Run("RateLimited", func(t *testing.T) {
		h := newHarness(t, memstore.New(), 25, nil)
		h.vendor.addAccount("acct", 5)
		c := h.connect(t, "acct")
		h.faults.Inject(providertest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 42 * time.Second})
		_, err := h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
		require.ErrorIs(t, err, wearables.ErrRateLimited)
		d, ok := syncer.RetryAfter(err, time.Now())
		require.True(t, ok)
		assert.InDelta(t, 42, d.Seconds(), 2)
	})
	t.Run("Unauthorized", func(t *testing.T) {
		h := newHarness(t, memstore.New(), 25, nil)
		c := h.connect(t, "nobody") // the vendor does not know the account: 401
		_, err := h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
		require.ErrorIs(t, err, wearables.ErrUnauthorized)
		conn, err := h.full.GetConnection(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionNeedsReauth, conn.Status)
		_, err = h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
		assert.ErrorIs(t, err, syncer.ErrInactive)
	})
	t.Run("NotFound", func(t *testing.T) {
		h := newHarness(t, memstore.New(), 25, nil)
		_, err := h.syncer.SyncConnection(ctx, "missing", syncer.Options{})
		assert.ErrorIs(t, err, wearables.ErrNotFound)
	})
	t.Run("OutboundLimiter", func(t *testing.T) {
		h := newHarness(t, memstore.New(), 1, func(c *syncer.Config) {
			st := labSettings
			st.Limits = []syncer.Limit{{Requests: 10, Per: time.Hour}}
			c.Settings = map[wearables.ProviderID]syncer.Settings{labProviderID: st}
		})
		h.vendor.addAccount("acct", 20)
		c := h.connect(t, "acct")
		_, err := h.syncer.SyncConnection(ctx, c.ID, syncer.Options{})
		var rl *syncer.RateLimitError
		require.True(t, errors.As(err, &rl), "%v", err)
		assert.True(t, rl.Local)
		assert.Equal(t, int64(1), h.vendor.requests.Load(), "burst of 1, then the wait is far longer than MaxLimiterWait")
	})
}

func TestNewValidates(t *testing.T) {
	_, err := syncer.New(syncer.Config{})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = syncer.New(syncer.Config{Store: memstore.New(), Tokens: newLabTokens(memstore.New()), Providers: []wearables.Provider{newLabProvider("x")},
		Settings: map[wearables.ProviderID]syncer.Settings{labProviderID: {BackfillDays: 400}}})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_ = fmt.Sprint
}
