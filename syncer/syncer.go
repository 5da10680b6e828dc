package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Store is what the syncer reads and writes. Every wearables.Store
// (memstore, sqlitestore, pgstore) implements it.
type Store interface {
	wearables.UserStore
	wearables.ConnectionStore
	wearables.CursorStore
	wearables.RecordWriter
	wearables.SyncRunStore
	wearables.WebhookInboxStore
	wearables.BackfillStore
}

// Errors returned by the syncer besides the store's and the providers'.
var (
	// ErrInactive: the connection is not active (needs_reauth, revoked,
	// paused), so it is not synced.
	ErrInactive = errors.New("syncer: connection is not active")
	// ErrNotificationOnly: the connection's vendor allows no pulls it did
	// not announce (Settings.NotificationOnly), so SyncConnection cannot
	// run; its data arrives by webhook. It matches wearables.ErrUnsupported.
	ErrNotificationOnly = fmt.Errorf("syncer: the vendor allows pulls only of windows its notifications announce: %w", wearables.ErrUnsupported)
)

// Config configures a Syncer.
type Config struct {
	// Store keeps connections, cursors, records, runs, the webhook inbox and
	// backfill status. Required.
	Store Store
	// Providers are the providers connections may use. Required.
	Providers []wearables.Provider
	// Tokens hands out each connection's access token and refreshes it
	// (*oauthflow.TokenBroker). Required.
	Tokens providerhttp.ConnectionTokens
	// HTTPClient is the base client vendor requests go through (its
	// Transport and Timeout are used). Defaults to a client with a 60 s
	// timeout over http.DefaultTransport.
	HTTPClient *http.Client
	// Settings overrides DefaultSettings per provider. A zero field of an
	// entry takes the default.
	Settings map[wearables.ProviderID]Settings
	// Limiter enforces outbound rate limits before every vendor call.
	// Defaults to a LocalLimiter (in-process); use NewRedisLimiter when
	// several processes share one vendor app.
	Limiter Limiter
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
	// Logger receives one line per sync run and job. Defaults to a logger
	// that discards.
	Logger *slog.Logger
}

// Syncer pulls vendor data into the store. Create it with New. A Syncer is
// safe for concurrent use.
type Syncer struct {
	store     Store
	providers map[wearables.ProviderID]wearables.Provider
	tokens    providerhttp.ConnectionTokens
	http      *http.Client
	settings  map[wearables.ProviderID]Settings
	limiter   Limiter
	now       func() time.Time
	log       *slog.Logger
}

// New checks cfg and returns a Syncer. Errors match wearables.ErrInvalid.
func New(cfg Config) (*Syncer, error) {
	if cfg.Store == nil || cfg.Tokens == nil || len(cfg.Providers) == 0 {
		return nil, fmt.Errorf("syncer: new: %w", &wearables.ValidationError{Index: -1, Field: "Config", Reason: "Store, Tokens and Providers are required"})
	}
	s := &Syncer{
		store:     cfg.Store,
		providers: map[wearables.ProviderID]wearables.Provider{},
		tokens:    cfg.Tokens,
		http:      cfg.HTTPClient,
		settings:  map[wearables.ProviderID]Settings{},
		limiter:   cfg.Limiter,
		now:       cfg.Now,
		log:       cfg.Logger,
	}
	for _, p := range cfg.Providers {
		if p == nil {
			return nil, fmt.Errorf("syncer: new: %w", &wearables.ValidationError{Index: -1, Field: "Providers", Reason: "nil provider"})
		}
		if _, dup := s.providers[p.ID()]; dup {
			return nil, fmt.Errorf("syncer: new: %w", &wearables.ValidationError{Index: -1, Field: "Providers", Reason: fmt.Sprintf("provider %q given twice", p.ID())})
		}
		s.providers[p.ID()] = p
		st := ProviderSettings(p).merge(cfg.Settings[p.ID()])
		if st.MaxBackfillWindow <= 0 {
			st.MaxBackfillWindow = st.MaxWindow
		}
		if st.BackfillDays > MaxBackfillDays {
			return nil, fmt.Errorf("syncer: new: %w", &wearables.ValidationError{Index: -1, Field: "Settings.BackfillDays", Reason: fmt.Sprintf("%d days is more than %d", st.BackfillDays, MaxBackfillDays)})
		}
		s.settings[p.ID()] = st
	}
	if s.http == nil {
		s.http = &http.Client{Timeout: 60 * time.Second}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.limiter == nil {
		s.limiter = NewLocalLimiter()
	}
	return s, nil
}

// Provider returns the configured provider with id.
func (s *Syncer) Provider(id wearables.ProviderID) (wearables.Provider, bool) {
	p, ok := s.providers[id]
	return p, ok
}

// Settings returns the effective settings of a provider.
func (s *Syncer) Settings(id wearables.ProviderID) Settings {
	if st, ok := s.settings[id]; ok {
		return st
	}
	return DefaultSettings(id)
}

// Options tunes one SyncConnection call.
type Options struct {
	// DataTypes limits the sync to these data types; empty means every data
	// type the provider offers.
	DataTypes []wearables.DataType
	// Trigger is recorded with the run. Defaults to wearables.TriggerManual.
	Trigger wearables.SyncTrigger
}

// Result is what one SyncConnection call did.
type Result struct {
	RunID        string
	ConnectionID string
	// Types holds the counts per data type (records of the connection's own
	// user; linked users' writes are not double-counted).
	Types map[wearables.DataType]wearables.SyncCounts
	// Linked lists the other connections of the same vendor account that
	// received the same records.
	Linked   []string
	Duration time.Duration
	// Network is the time spent waiting on the vendor (Fetch calls),
	// Store the time spent committing pages; the rest of Duration is ours.
	Network, Store time.Duration

	earliest time.Time // the earliest record start committed
}

// Total sums the counts of every data type.
func (r Result) Total() wearables.SyncCounts {
	var t wearables.SyncCounts
	for _, c := range r.Types {
		t = t.Add(c)
	}
	return t
}

// cursorState is the syncer's cursor value: data up to Through is committed;
// when Page is set, the window [WindowStart, WindowEnd) is half done and
// continues at that page token.
type cursorState struct {
	Through     time.Time `json:"through,omitzero"`
	WindowStart time.Time `json:"window_start,omitzero"`
	WindowEnd   time.Time `json:"window_end,omitzero"`
	Page        string    `json:"page,omitempty"`
}

func decodeCursor(v string) cursorState {
	var c cursorState
	if v == "" || json.Unmarshal([]byte(v), &c) != nil {
		return cursorState{} // unknown format: start over (safe: upserts are idempotent)
	}
	return c
}

func (c cursorState) encode() string {
	b, _ := json.Marshal(c) // cannot fail: times and strings
	return string(b)
}

// Through returns the instant up to which a stored cursor value says data
// is committed (zero for an empty or foreign value).
func Through(cursorValue string) time.Time { return decodeCursor(cursorValue).Through }

// SyncConnection synchronously syncs one connection: for each data type it
// fetches pages from the cursor (minus the provider's Overlap window, since
// vendors revise recent data) up to now, in windows of at most MaxWindow,
// and commits each page in one transaction together with the cursor
// advance, so the cursor never points past uncommitted data. Records the
// vendor deleted (listed as deletes by the provider) are removed. Records
// of a vendor account linked to several users are fetched once and written
// for each active connection of that account. The run is recorded with
// its counts and error.
//
// Errors: ErrInactive for a connection that is not active;
// ErrNotificationOnly for a vendor that allows only announced pulls
// (nothing is recorded then); wearables.ErrNotFound
// for a missing connection; wearables.ErrUnsupported for a provider that is
// not configured; an error matching wearables.ErrUnauthorized when the
// vendor rejects the connection's tokens (the connection is then marked
// needs_reauth); an error matching wearables.ErrRateLimited, from which
// RetryAfter reads the delay, when a vendor or the outbound limiter says
// wait; vendor and store errors otherwise. Pages committed before an error
// stay committed, and their counts are in the result.
func (s *Syncer) SyncConnection(ctx context.Context, connectionID string, opts Options) (Result, error) {
	trigger := opts.Trigger
	if trigger == "" {
		trigger = wearables.TriggerManual
	}
	r, err := s.begin(ctx, connectionID, trigger, true)
	if err != nil || r.p == nil {
		return r.res, err
	}
	types := opts.DataTypes
	if len(types) == 0 {
		types = r.p.DataTypes()
	}
	for _, dt := range types {
		err := s.syncType(ctx, r.target, dt, &r.res)
		if errors.Is(err, wearables.ErrUnsupported) {
			continue
		}
		if err != nil {
			return s.fail(ctx, &r, fmt.Errorf("syncer: sync %s %s: %w", connectionID, dt, err))
		}
	}
	return s.succeed(ctx, &r)
}

// PullAnnounced fetches the window [start, end) of one data type that a
// notification announced with a pull token (wearables.WebhookEvent's
// PageToken, sent as the first page's FetchRequest.PageToken) — the only
// pull a NotificationOnly vendor (Garmin) allows — and commits it for the
// connection and its linked connections, recorded as a webhook-triggered
// run. Cursors are left alone: they track scheduled pulls. Errors are
// those of SyncConnection, without ErrNotificationOnly.
func (s *Syncer) PullAnnounced(ctx context.Context, connectionID string, dt wearables.DataType, start, end time.Time, pageToken string) (Result, error) {
	r, err := s.begin(ctx, connectionID, wearables.TriggerWebhook, false)
	if err != nil || r.p == nil {
		return r.res, err
	}
	if !end.After(start) {
		return s.fail(ctx, &r, fmt.Errorf("syncer: pull %s %s: window [%s, %s) is empty: %w", connectionID, dt,
			start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), wearables.ErrInvalid))
	}
	var state cursorState
	if err := s.pullWindow(ctx, r.target, dt, start, end, pageToken, &state, &r.res, false); err != nil {
		return s.fail(ctx, &r, fmt.Errorf("syncer: pull %s %s: %w", connectionID, dt, err))
	}
	// Announced data may answer a backfill request (Garmin delivers
	// backfills like new data: pushed, or pinged and pulled).
	for _, c := range append([]wearables.Connection{r.conn}, r.linked...) {
		if err := s.backfillArrived(ctx, c.ID, dt, r.res.earliest); err != nil {
			return s.fail(ctx, &r, fmt.Errorf("syncer: pull %s %s: backfill status: %w", connectionID, dt, err))
		}
	}
	return s.succeed(ctx, &r)
}

// target is what a fetch needs: the provider, the connection's authorized
// client, the connection, its linked connections (written too) and its
// user's time zone (nil when the user has none).
type target struct {
	p      wearables.Provider
	client *http.Client
	conn   wearables.Connection
	linked []wearables.Connection
	loc    *time.Location
}

// run is one recorded sync run in progress.
type run struct {
	target
	rec     wearables.SyncRun
	res     Result
	started time.Time
}

// begin loads and checks the connection, records the run and finds the
// linked connections. r.p is nil when the run already ended (its result
// and error are returned).
func (s *Syncer) begin(ctx context.Context, connectionID string, trigger wearables.SyncTrigger, scheduled bool) (run, error) {
	r := run{started: time.Now(), res: Result{ConnectionID: connectionID, Types: map[wearables.DataType]wearables.SyncCounts{}}}
	conn, err := s.store.GetConnection(ctx, connectionID)
	if err != nil {
		return r, fmt.Errorf("syncer: sync %s: %w", connectionID, err)
	}
	if conn.Status != wearables.ConnectionActive {
		return r, fmt.Errorf("syncer: sync %s: %w (%s)", connectionID, ErrInactive, conn.Status)
	}
	p, ok := s.providers[conn.Provider]
	if !ok {
		return r, fmt.Errorf("syncer: sync %s: provider %q: %w", connectionID, conn.Provider, wearables.ErrUnsupported)
	}
	if scheduled && s.Settings(p.ID()).NotificationOnly {
		return r, fmt.Errorf("syncer: sync %s (%s): %w", connectionID, conn.Provider, ErrNotificationOnly)
	}
	r.rec = wearables.SyncRun{ConnectionID: conn.ID, Trigger: trigger}
	if err := s.store.CreateSyncRun(ctx, &r.rec); err != nil {
		return r, fmt.Errorf("syncer: sync %s: %w", connectionID, err)
	}
	r.res.RunID = r.rec.ID
	r.conn = conn
	linked, err := s.linkedConnections(ctx, conn)
	if err != nil {
		res, err := s.finish(ctx, &r.rec, &r.res, r.started, fmt.Errorf("syncer: sync %s: linked accounts: %w", connectionID, err))
		r.res = res
		return r, err
	}
	r.linked = linked
	for _, l := range linked {
		r.res.Linked = append(r.res.Linked, l.ID)
	}
	loc, err := s.userLocation(ctx, conn)
	if err != nil {
		res, err := s.finish(ctx, &r.rec, &r.res, r.started, fmt.Errorf("syncer: sync %s: %w", connectionID, err))
		r.res = res
		return r, err
	}
	r.loc = loc
	r.p = p
	r.client = providerhttp.NewClient(providerhttp.ForConnection(s.tokens, conn.ID), s.http)
	return r, nil
}

// userLocation returns the time zone of the connection's user, for vendors
// that send local wall time without an offset (FetchRequest.Location); nil
// when the user has none.
func (s *Syncer) userLocation(ctx context.Context, conn wearables.Connection) (*time.Location, error) {
	u, err := s.store.GetUser(ctx, conn.UserID)
	if err != nil {
		return nil, fmt.Errorf("user of the connection: %w", err)
	}
	if u.TimeZone == "" {
		return nil, nil
	}
	return u.Location()
}

// fail ends a run with err, marking the connection needs_reauth when the
// vendor refused its tokens.
func (s *Syncer) fail(ctx context.Context, r *run, err error) (Result, error) {
	if errors.Is(err, wearables.ErrUnauthorized) {
		s.markNeedsReauth(ctx, r.conn.ID, err)
	}
	return s.finish(ctx, &r.rec, &r.res, r.started, err)
}

// succeed ends a run that worked and records when its connections synced.
func (s *Syncer) succeed(ctx context.Context, r *run) (Result, error) {
	// Best effort: the run record is the source of truth.
	for _, id := range append([]string{r.conn.ID}, r.res.Linked...) {
		if c, err := s.store.GetConnection(ctx, id); err == nil {
			c.LastSyncedAt = s.now()
			_ = s.store.UpdateConnection(ctx, c)
		}
	}
	return s.finish(ctx, &r.rec, &r.res, r.started, nil)
}

func (s *Syncer) finish(ctx context.Context, run *wearables.SyncRun, res *Result, started time.Time, err error) (Result, error) {
	res.Duration = time.Since(started)
	run.Types = res.Types
	if err != nil {
		run.Error = err.Error()
	}
	// Record the outcome even when ctx was cancelled mid-run.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if ferr := s.store.FinishSyncRun(fctx, *run); ferr != nil && err == nil {
		err = fmt.Errorf("syncer: finish run: %w", ferr)
	}
	t := res.Total()
	s.log.LogAttrs(ctx, slog.LevelInfo, "sync run", slog.String("connection", res.ConnectionID), slog.String("run", res.RunID),
		slog.String("trigger", string(run.Trigger)), slog.Int("pages", t.Pages), slog.Int("inserted", t.Inserted),
		slog.Int("updated", t.Updated), slog.Int("deleted", t.Deleted), slog.Duration("duration", res.Duration), slog.Any("error", err))
	return *res, err
}

// markNeedsReauth records that the vendor refused the connection's tokens
// (the token broker may have done it already).
func (s *Syncer) markNeedsReauth(ctx context.Context, id string, cause error) {
	c, err := s.store.GetConnection(ctx, id)
	if err != nil || c.Status != wearables.ConnectionActive {
		return
	}
	_ = s.store.SetConnectionStatus(ctx, id, wearables.ConnectionNeedsReauth, "vendor rejected the tokens during sync")
}

// linkedConnections returns the other active connections of the same
// vendor account.
func (s *Syncer) linkedConnections(ctx context.Context, conn wearables.Connection) ([]wearables.Connection, error) {
	if conn.ProviderUserID == "" {
		return nil, nil
	}
	var out []wearables.Connection
	q := wearables.ConnectionQuery{Provider: conn.Provider, ProviderUserID: conn.ProviderUserID, Status: wearables.ConnectionActive}
	for {
		page, err := s.store.ListConnections(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			if c.ID != conn.ID {
				out = append(out, c)
			}
		}
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}

// syncType syncs one data type from its cursor to now.
func (s *Syncer) syncType(ctx context.Context, tg target, dt wearables.DataType, res *Result) error {
	st := s.Settings(tg.p.ID())
	var state cursorState
	cur, err := s.store.GetCursor(ctx, tg.conn.ID, dt)
	switch {
	case err == nil:
		state = decodeCursor(cur.Value)
	case !errors.Is(err, wearables.ErrNotFound):
		return err
	}
	now := s.now().UTC()
	from := now.Add(-st.InitialWindow)
	if !state.Through.IsZero() {
		from = state.Through.Add(-st.Overlap)
	}
	// A half-done window continues at its page token first; the windows
	// after it follow.
	if ws0, we0 := state.WindowStart, state.WindowEnd; state.Page != "" && !ws0.IsZero() && we0.After(ws0) {
		err := s.pullWindow(ctx, tg, dt, ws0, we0, state.Page, &state, res, true)
		if err != nil && !errors.Is(err, wearables.ErrInvalid) && !errors.Is(err, wearables.ErrNotFound) {
			return err
		}
		if err != nil { // the vendor no longer knows the page token: redo the window
			if err := s.pullWindow(ctx, tg, dt, ws0, we0, "", &state, res, true); err != nil {
				return err
			}
		}
		if !from.Before(ws0) && from.Before(we0) {
			from = we0
		}
	}
	for ws := from; ws.Before(now); {
		we := ws.Add(st.MaxWindow)
		if we.After(now) {
			we = now
		}
		if err := s.pullWindow(ctx, tg, dt, ws, we, "", &state, res, true); err != nil {
			return err
		}
		ws = we
	}
	return nil
}

// pullWindow fetches every page of [ws, we) starting at token and commits
// each, with the cursor it reaches when withCursor (backfills leave the
// incremental cursor alone).
func (s *Syncer) pullWindow(ctx context.Context, tg target, dt wearables.DataType, ws, we time.Time, token string, state *cursorState, res *Result, withCursor bool) error {
	for {
		if err := s.wait(ctx, tg.p.ID()); err != nil {
			return err
		}
		t0 := time.Now()
		page, err := tg.p.Fetch(ctx, wearables.FetchRequest{Client: tg.client, Connection: tg.conn, DataType: dt, Start: ws, End: we, PageToken: token, Location: tg.loc})
		res.Network += time.Since(t0)
		if err != nil {
			return err
		}
		next := cursorState{Through: state.Through}
		if page.NextPageToken == "" {
			if we.After(next.Through) {
				next.Through = we
			}
		} else {
			next.WindowStart, next.WindowEnd, next.Page = ws, we, page.NextPageToken
		}
		counts, err := s.commit(ctx, tg.conn, tg.linked, dt, &page.Records, next, res, withCursor)
		if err != nil {
			return err
		}
		if e := earliestStart(&page.Records); !e.IsZero() && (res.earliest.IsZero() || e.Before(res.earliest)) {
			res.earliest = e
		}
		counts.Rejected = len(page.Rejected)
		counts.Rejections = wearables.AppendRejections(nil, page.Rejected...)
		counts.Pages = 1
		res.Types[dt] = res.Types[dt].Add(counts)
		*state = next
		if page.NextPageToken == "" {
			return nil
		}
		token = page.NextPageToken
	}
}

// commit writes one page for the connection's user and each linked user,
// each in one transaction with that connection's cursor.
func (s *Syncer) commit(ctx context.Context, conn wearables.Connection, linked []wearables.Connection, dt wearables.DataType, recs *wearables.Batch, next cursorState, res *Result, withCursor bool) (wearables.SyncCounts, error) {
	t0 := time.Now()
	defer func() { res.Store += time.Since(t0) }()
	value := next.encode()
	var own wearables.SyncCounts
	for i, c := range append([]wearables.Connection{conn}, linked...) {
		b := *recs
		b.UserID = c.UserID
		if withCursor {
			b.Cursor = &wearables.Cursor{ConnectionID: c.ID, DataType: dt, Value: value}
		}
		wr, err := s.store.WriteBatch(ctx, &b)
		if err != nil {
			if i > 0 && errors.Is(err, wearables.ErrInvalid) {
				continue // a linked connection deleted meanwhile: its user is gone
			}
			return own, fmt.Errorf("commit page: %w", err)
		}
		if i == 0 {
			own = wearables.SyncCounts{Counts: wr.Total(), Deleted: wr.Deleted}
		}
	}
	return own, nil
}

// wait takes one request from the provider's outbound budget. A short wait
// is slept; a long one is returned as a *RateLimitError so the job is
// snoozed instead of holding a worker.
func (s *Syncer) wait(ctx context.Context, id wearables.ProviderID) error {
	st := s.Settings(id)
	if len(st.Limits) == 0 {
		return nil
	}
	for {
		d, err := s.limiter.Take(ctx, string(id), st.Limits)
		if err != nil {
			return err
		}
		if d <= 0 {
			return nil
		}
		if d > st.MaxLimiterWait {
			return &RateLimitError{Provider: id, RetryAfter: d, Local: true}
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
