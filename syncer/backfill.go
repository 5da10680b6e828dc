package syncer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// BackfillPlan returns the pending backfill statuses of a new connection:
// for each data type of its provider, the last BackfillDays days up to now.
// Errors: wearables.ErrUnsupported for a provider that is not configured.
func (s *Syncer) BackfillPlan(conn wearables.Connection) ([]wearables.BackfillStatus, error) {
	p, ok := s.providers[conn.Provider]
	if !ok {
		return nil, fmt.Errorf("syncer: backfill plan: provider %q: %w", conn.Provider, wearables.ErrUnsupported)
	}
	st := s.Settings(p.ID())
	end := s.now().UTC().Truncate(time.Second)
	start := end.AddDate(0, 0, -st.BackfillDays)
	var out []wearables.BackfillStatus
	for _, dt := range p.DataTypes() {
		out = append(out, wearables.BackfillStatus{ConnectionID: conn.ID, DataType: dt, State: wearables.BackfillPending, Start: start, End: end})
	}
	return out, nil
}

// BackfillChunk advances the backfill of one data type of a connection by
// one chunk of at most MaxWindow, newest first, committing every page, and
// records how far it reached. It reports done when nothing is left to pull
// here: the range is covered, the backfill was not found, finished or
// failed, or — for a wearables.BackfillRequester (Garmin) — the vendor was
// asked for the whole range and its data will arrive by push (state
// "requested" until then; see requestBackfill). Errors are those of SyncConnection; the status
// keeps its position, so a retry continues where the last chunk ended.
func (s *Syncer) BackfillChunk(ctx context.Context, connectionID string, dt wearables.DataType) (done bool, err error) {
	conn, err := s.store.GetConnection(ctx, connectionID)
	if err != nil {
		return false, fmt.Errorf("syncer: backfill %s: %w", connectionID, err)
	}
	if conn.Status != wearables.ConnectionActive {
		return false, fmt.Errorf("syncer: backfill %s: %w (%s)", connectionID, ErrInactive, conn.Status)
	}
	p, ok := s.providers[conn.Provider]
	if !ok {
		return false, fmt.Errorf("syncer: backfill %s: provider %q: %w", connectionID, conn.Provider, wearables.ErrUnsupported)
	}
	sts, err := s.store.ListBackfills(ctx, connectionID)
	if err != nil {
		return false, fmt.Errorf("syncer: backfill %s: %w", connectionID, err)
	}
	var b *wearables.BackfillStatus
	for i := range sts {
		if sts[i].DataType == dt {
			b = &sts[i]
		}
	}
	if b == nil || b.State == wearables.BackfillDone || b.State == wearables.BackfillFailed || b.State == wearables.BackfillRequested {
		return true, nil
	}
	st := s.Settings(p.ID())
	client := providerhttp.NewClient(providerhttp.ForConnection(s.tokens, conn.ID), s.http)
	if req, ok := p.(wearables.BackfillRequester); ok {
		return s.requestBackfill(ctx, req, client, conn, b)
	}
	if st.NotificationOnly {
		// Nothing can be pulled unannounced, and the vendor takes no
		// backfill requests: there is no way to get this history.
		b.State, b.Error = wearables.BackfillFailed, fmt.Sprintf("%s allows only announced pulls and takes no backfill requests", conn.Provider)
		return true, s.putBackfill(ctx, *b)
	}
	linked, err := s.linkedConnections(ctx, conn)
	if err != nil {
		return false, fmt.Errorf("syncer: backfill %s: linked accounts: %w", connectionID, err)
	}
	ce := b.End
	if !b.Reached.IsZero() {
		ce = b.Reached
	}
	cs := maxTime(b.Start, ce.Add(-st.MaxWindow))
	if !ce.After(cs) {
		b.State = wearables.BackfillDone
		return true, s.putBackfill(ctx, *b)
	}
	res := Result{ConnectionID: conn.ID, Types: map[wearables.DataType]wearables.SyncCounts{}}
	var state cursorState
	loc, err := s.userLocation(ctx, conn)
	if err != nil {
		return false, fmt.Errorf("syncer: backfill %s: %w", connectionID, err)
	}
	tg := target{p: p, client: client, conn: conn, linked: linked, loc: loc}
	if err := s.pullWindow(ctx, tg, dt, cs, ce, "", &state, &res, false); err != nil {
		if errors.Is(err, wearables.ErrUnsupported) {
			b.State = wearables.BackfillDone
			return true, s.putBackfill(ctx, *b)
		}
		if errors.Is(err, wearables.ErrUnauthorized) {
			s.markNeedsReauth(ctx, conn.ID, err)
		}
		return false, fmt.Errorf("syncer: backfill %s %s: %w", connectionID, dt, err)
	}
	b.Reached, b.State, b.Error = cs, wearables.BackfillRunning, ""
	if !cs.After(b.Start) {
		b.State = wearables.BackfillDone
	}
	return b.State == wearables.BackfillDone, s.putBackfill(ctx, *b)
}

// requestBackfill asks the vendor for b's range in windows of at most
// MaxBackfillWindow, newest first, recording in Reached how far the
// requests got, so a retry after a rate limit or an outage asks only for
// what is left. A window the vendor says it already accepted (409,
// wearables.ErrConflict: an earlier attempt got through but its answer was
// lost, or the user reconnected) counts as requested; a refusal that
// retrying cannot fix (403 no historical permission, matching
// wearables.ErrUnsupported; wearables.ErrInvalid) fails the backfill with
// the vendor's reason. Once every window is requested the state is
// "requested" until pushes cover the range (webhookWorker.pushArrived).
func (s *Syncer) requestBackfill(ctx context.Context, req wearables.BackfillRequester, client *http.Client, conn wearables.Connection, b *wearables.BackfillStatus) (bool, error) {
	st := s.Settings(conn.Provider)
	ce := b.End
	if b.State == wearables.BackfillRunning && !b.Reached.IsZero() {
		ce = b.Reached
	}
	for ce.After(b.Start) {
		cs := maxTime(b.Start, ce.Add(-st.MaxBackfillWindow))
		if err := s.wait(ctx, conn.Provider); err != nil {
			return false, err
		}
		err := req.RequestBackfill(ctx, client, b.DataType, cs, ce)
		if err != nil && !errors.Is(err, wearables.ErrConflict) {
			if errors.Is(err, wearables.ErrUnauthorized) {
				s.markNeedsReauth(ctx, conn.ID, err)
			}
			return false, s.backfillFailed(ctx, *b, fmt.Errorf("syncer: backfill %s %s: request [%s, %s): %w", conn.ID, b.DataType,
				cs.UTC().Format(time.RFC3339), ce.UTC().Format(time.RFC3339), err))
		}
		ce = cs
		b.State, b.Reached, b.Error = wearables.BackfillRunning, ce, ""
		if err := s.putBackfill(ctx, *b); err != nil {
			return false, err
		}
	}
	// Reached now tracks the pushes that answer the requests.
	b.State, b.Reached = wearables.BackfillRequested, time.Time{}
	return true, s.putBackfill(ctx, *b)
}

// backfillArrived tracks a requested (Garmin-style) backfill of one data
// type of a connection: data measured from earliest on arrived — pushed,
// or pulled from an announced window — so the backfill's Reached mark
// moves back to it, and the backfill is done once arrivals cover its
// range.
func (s *Syncer) backfillArrived(ctx context.Context, connectionID string, dt wearables.DataType, earliest time.Time) error {
	if earliest.IsZero() {
		return nil
	}
	if err := s.store.BackfillArrived(ctx, connectionID, dt, earliest); err != nil {
		return fmt.Errorf("syncer: backfill status: %w", err)
	}
	return nil
}

// earliestStart returns the earliest start of the records of b (a daily
// record's day starting at its offset), zero when b has none.
func earliestStart(b *wearables.Batch) time.Time {
	var first time.Time
	see := func(t time.Time) {
		if !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	day := func(d wearables.Date, o wearables.Offset) time.Time {
		loc := time.UTC
		if o.Known() {
			loc = o.Location()
		}
		return d.In(loc)
	}
	for _, x := range b.Samples {
		see(x.Start)
	}
	for _, x := range b.Workouts {
		see(x.Start)
	}
	for _, x := range b.Sleep {
		see(x.Start)
	}
	for _, x := range b.Summaries {
		see(day(x.Date, x.Offset))
	}
	for _, x := range b.Scores {
		see(day(x.Date, x.Offset))
	}
	return first
}

func (s *Syncer) putBackfill(ctx context.Context, b wearables.BackfillStatus) error {
	if err := s.store.PutBackfills(ctx, []wearables.BackfillStatus{b}, nil); err != nil {
		return fmt.Errorf("syncer: backfill status: %w", err)
	}
	return nil
}

// backfillFailed records a failure that retrying will not fix and returns
// err; temporary errors are returned without changing the status.
func (s *Syncer) backfillFailed(ctx context.Context, b wearables.BackfillStatus, err error) error {
	if errors.Is(err, wearables.ErrRateLimited) || !errors.Is(err, wearables.ErrInvalid) && !errors.Is(err, wearables.ErrUnsupported) {
		return err
	}
	b.State, b.Error = wearables.BackfillFailed, err.Error()
	_ = s.putBackfill(ctx, b)
	return err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
