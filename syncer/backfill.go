package syncer

import (
	"context"
	"errors"
	"fmt"
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
// "requested" until then). Errors are those of SyncConnection; the status
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
		for ce := b.End; ce.After(b.Start); ce = ce.Add(-st.MaxWindow) {
			cs := maxTime(b.Start, ce.Add(-st.MaxWindow))
			if err := s.wait(ctx, p.ID()); err != nil {
				return false, err
			}
			if err := req.RequestBackfill(ctx, client, dt, cs, ce); err != nil {
				return false, s.backfillFailed(ctx, *b, fmt.Errorf("syncer: backfill %s %s: request: %w", connectionID, dt, err))
			}
		}
		b.State = wearables.BackfillRequested
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
	if err := s.pullWindow(ctx, p, client, conn, linked, dt, cs, ce, "", &state, &res, false); err != nil {
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
