package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

// CreateSyncRun implements wearables.SyncRunStore.
func (s *Store) CreateSyncRun(ctx context.Context, r *wearables.SyncRun) error {
	run := *r
	if run.ID == "" {
		run.ID = wearables.NewID()
	}
	if run.StartedAt.IsZero() {
		run.StartedAt = s.nowUTC()
	}
	types, err := json.Marshal(nonNilTypes(run.Types))
	if err != nil {
		return fmt.Errorf("pgstore: create sync run: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO sync_runs (id, connection_id, trigger_kind, started_at, finished_at, types, error) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		run.ID, run.ConnectionID, string(run.Trigger), ts(run.StartedAt), nullTime(run.FinishedAt), string(types), run.Error)
	switch {
	case isForeignKey(err):
		return fmt.Errorf("pgstore: create sync run: %w", notFound("connection", run.ConnectionID))
	case isUnique(err):
		return fmt.Errorf("pgstore: create sync run: %w", wearables.ErrConflict)
	case err != nil:
		return fmt.Errorf("pgstore: create sync run: %w", err)
	}
	r.ID, r.StartedAt = run.ID, ts(run.StartedAt)
	return nil
}

func nonNilTypes(m map[wearables.DataType]wearables.SyncCounts) map[wearables.DataType]wearables.SyncCounts {
	if m == nil {
		return map[wearables.DataType]wearables.SyncCounts{}
	}
	return m
}

// FinishSyncRun implements wearables.SyncRunStore.
func (s *Store) FinishSyncRun(ctx context.Context, r wearables.SyncRun) error {
	if r.FinishedAt.IsZero() {
		r.FinishedAt = s.nowUTC()
	}
	types, err := json.Marshal(nonNilTypes(r.Types))
	if err != nil {
		return fmt.Errorf("pgstore: finish sync run: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE sync_runs SET finished_at = $1, types = $2, error = $3 WHERE id = $4`,
		ts(r.FinishedAt), string(types), r.Error, r.ID)
	if err != nil {
		return fmt.Errorf("pgstore: finish sync run: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("pgstore: finish sync run: %w", notFound("sync run", r.ID))
	}
	return nil
}

// ListSyncRuns implements wearables.SyncRunStore: newest first.
func (s *Store) ListSyncRuns(ctx context.Context, q wearables.SyncRunQuery) (wearables.Page[wearables.SyncRun], error) {
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("pgstore: list sync runs: %w", err)
	}
	query := `SELECT id, connection_id, trigger_kind, started_at, finished_at, types, error FROM sync_runs WHERE connection_id = $1`
	args := []any{q.ConnectionID}
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("pgstore: list sync runs: %w", err)
		}
		query += ` AND id < $2`
		args = append(args, parts[0])
	}
	query += fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args)+1)
	args = append(args, limit+1)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("pgstore: list sync runs: %w", err)
	}
	defer rows.Close()
	out := wearables.Page[wearables.SyncRun]{Items: []wearables.SyncRun{}}
	for rows.Next() {
		var (
			r        wearables.SyncRun
			started  time.Time
			finished sql.NullTime
			types    string
		)
		if err := rows.Scan(&r.ID, &r.ConnectionID, &r.Trigger, &started, &finished, &types, &r.Error); err != nil {
			return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("pgstore: list sync runs: %w", err)
		}
		r.StartedAt, r.FinishedAt = started.UTC(), fromNullTime(finished)
		if err := json.Unmarshal([]byte(types), &r.Types); err != nil {
			return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("pgstore: list sync runs: %w", err)
		}
		if len(r.Types) == 0 {
			r.Types = nil
		}
		out.Items = append(out.Items, r)
	}
	if err := rows.Err(); err != nil {
		return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("pgstore: list sync runs: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.Next = pagecursor.Encode(out.Items[limit-1].ID)
	}
	return out, nil
}

// PutWebhook implements wearables.WebhookInboxStore. then receives the
// transaction: insert jobs with it (River's InsertTx) so they commit
// with the delivery.
func (s *Store) PutWebhook(ctx context.Context, d *wearables.WebhookDelivery, then wearables.TxFunc) (bool, error) {
	if d.Provider == "" || d.DedupeKey == "" {
		return false, fmt.Errorf("pgstore: put webhook: %w", invalid("DedupeKey", "provider and dedupe key are required"))
	}
	id := d.ID
	if id == "" {
		id = wearables.NewID()
	}
	received := d.ReceivedAt
	if received.IsZero() {
		received = s.nowUTC()
	}
	body := d.Body
	if body == nil {
		body = []byte{}
	}
	inserted := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO webhook_inbox (id, provider, dedupe_key, body, received_at, status, reason) VALUES ($1, $2, $3, $4, $5, $6, '')
			ON CONFLICT (provider, dedupe_key) DO NOTHING`,
			id, string(d.Provider), d.DedupeKey, body, ts(received), string(wearables.WebhookPending))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		inserted = true
		if then != nil {
			return then(ctx, tx.Tx)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("pgstore: put webhook: %w", err)
	}
	if inserted {
		d.ID, d.ReceivedAt, d.Status, d.Reason = id, ts(received), wearables.WebhookPending, ""
	}
	return inserted, nil
}

// GetWebhook implements wearables.WebhookInboxStore.
func (s *Store) GetWebhook(ctx context.Context, id string) (wearables.WebhookDelivery, error) {
	var (
		d         wearables.WebhookDelivery
		received  time.Time
		processed sql.NullTime
	)
	err := s.db.QueryRowContext(ctx, `SELECT id, provider, dedupe_key, body, received_at, status, reason, processed_at FROM webhook_inbox WHERE id = $1`, id).
		Scan(&d.ID, &d.Provider, &d.DedupeKey, &d.Body, &received, &d.Status, &d.Reason, &processed)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("pgstore: get webhook: %w", notFound("webhook delivery", id))
	}
	if err != nil {
		return d, fmt.Errorf("pgstore: get webhook: %w", err)
	}
	d.ReceivedAt, d.ProcessedAt = received.UTC(), fromNullTime(processed)
	return d, nil
}

// SetWebhookStatus implements wearables.WebhookInboxStore.
func (s *Store) SetWebhookStatus(ctx context.Context, id string, status wearables.WebhookStatus, reason string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE webhook_inbox SET status = $1, reason = $2, processed_at = $3 WHERE id = $4`,
		string(status), reason, s.nowUTC(), id)
	if err != nil {
		return fmt.Errorf("pgstore: set webhook status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("pgstore: set webhook status: %w", notFound("webhook delivery", id))
	}
	return nil
}

// PutBackfills implements wearables.BackfillStore. then receives the
// transaction (see PutWebhook).
func (s *Store) PutBackfills(ctx context.Context, statuses []wearables.BackfillStatus, then wearables.TxFunc) error {
	now := s.nowUTC()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, b := range statuses {
			_, err := tx.ExecContext(ctx, `INSERT INTO backfills (connection_id, data_type, state, start_at, end_at, reached_at, error, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (connection_id, data_type) DO UPDATE SET state = excluded.state, start_at = excluded.start_at, end_at = excluded.end_at,
				reached_at = excluded.reached_at, error = excluded.error, updated_at = excluded.updated_at`,
				b.ConnectionID, string(b.DataType), string(b.State), ts(b.Start), ts(b.End), nullTime(b.Reached), b.Error, now)
			if isForeignKey(err) {
				return notFound("connection", b.ConnectionID)
			}
			if err != nil {
				return err
			}
		}
		if then != nil {
			return then(ctx, tx.Tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgstore: put backfills: %w", err)
	}
	return nil
}

// BackfillArrived implements wearables.BackfillStore in one UPDATE, so
// concurrent arrivals never move Reached forward.
func (s *Store) BackfillArrived(ctx context.Context, connectionID string, dt wearables.DataType, earliest time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE backfills SET
		reached_at = LEAST(COALESCE(reached_at, $1), $1),
		state = CASE WHEN LEAST(COALESCE(reached_at, $1), $1) <= start_at THEN $2 ELSE state END,
		updated_at = $3
		WHERE connection_id = $4 AND data_type = $5 AND state = $6`,
		ts(earliest), string(wearables.BackfillDone), s.nowUTC(), connectionID, string(dt), string(wearables.BackfillRequested))
	if err != nil {
		return fmt.Errorf("pgstore: backfill arrived: %w", err)
	}
	return nil
}

// ListBackfills implements wearables.BackfillStore.
func (s *Store) ListBackfills(ctx context.Context, connectionID string) ([]wearables.BackfillStatus, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT connection_id, data_type, state, start_at, end_at, reached_at, error, updated_at FROM backfills WHERE connection_id = $1 ORDER BY data_type`, connectionID)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list backfills: %w", err)
	}
	defer rows.Close()
	out := []wearables.BackfillStatus{}
	for rows.Next() {
		var (
			b                   wearables.BackfillStatus
			start, end, updated time.Time
			reached             sql.NullTime
		)
		if err := rows.Scan(&b.ConnectionID, &b.DataType, &b.State, &start, &end, &reached, &b.Error, &updated); err != nil {
			return nil, fmt.Errorf("pgstore: list backfills: %w", err)
		}
		b.Start, b.End, b.Reached, b.UpdatedAt = start.UTC(), end.UTC(), fromNullTime(reached), updated.UTC()
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: list backfills: %w", err)
	}
	return out, nil
}

var (
	_ wearables.SyncRunStore      = (*Store)(nil)
	_ wearables.WebhookInboxStore = (*Store)(nil)
	_ wearables.BackfillStore     = (*Store)(nil)
)
