package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
		return fmt.Errorf("sqlitestore: create sync run: %w", err)
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO sync_runs (id, connection_id, trigger_kind, started_us, finished_us, types, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		run.ID, run.ConnectionID, string(run.Trigger), micros(run.StartedAt), nullMicros(run.FinishedAt), string(types), run.Error)
	switch {
	case isForeignKey(err):
		return fmt.Errorf("sqlitestore: create sync run: %w", notFound("connection", run.ConnectionID))
	case isUnique(err):
		return fmt.Errorf("sqlitestore: create sync run: %w", wearables.ErrConflict)
	case err != nil:
		return fmt.Errorf("sqlitestore: create sync run: %w", err)
	}
	r.ID, r.StartedAt = run.ID, fromMicros(micros(run.StartedAt))
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
		return fmt.Errorf("sqlitestore: finish sync run: %w", err)
	}
	res, err := s.w.ExecContext(ctx, `UPDATE sync_runs SET finished_us = ?, types = ?, error = ? WHERE id = ?`,
		micros(r.FinishedAt), string(types), r.Error, r.ID)
	if err != nil {
		return fmt.Errorf("sqlitestore: finish sync run: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: finish sync run: %w", notFound("sync run", r.ID))
	}
	return nil
}

// ListSyncRuns implements wearables.SyncRunStore: newest first.
func (s *Store) ListSyncRuns(ctx context.Context, q wearables.SyncRunQuery) (wearables.Page[wearables.SyncRun], error) {
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("sqlitestore: list sync runs: %w", err)
	}
	query := `SELECT id, connection_id, trigger_kind, started_us, finished_us, types, error FROM sync_runs WHERE connection_id = ?`
	args := []any{q.ConnectionID}
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("sqlitestore: list sync runs: %w", err)
		}
		query += ` AND id < ?`
		args = append(args, parts[0])
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("sqlitestore: list sync runs: %w", err)
	}
	defer rows.Close()
	out := wearables.Page[wearables.SyncRun]{Items: []wearables.SyncRun{}}
	for rows.Next() {
		var (
			r        wearables.SyncRun
			started  int64
			finished sql.NullInt64
			types    string
		)
		if err := rows.Scan(&r.ID, &r.ConnectionID, &r.Trigger, &started, &finished, &types, &r.Error); err != nil {
			return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("sqlitestore: list sync runs: %w", err)
		}
		r.StartedAt, r.FinishedAt = fromMicros(started), fromNullMicros(finished)
		if err := json.Unmarshal([]byte(types), &r.Types); err != nil {
			return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("sqlitestore: list sync runs: %w", err)
		}
		if len(r.Types) == 0 {
			r.Types = nil
		}
		out.Items = append(out.Items, r)
	}
	if err := rows.Err(); err != nil {
		return wearables.Page[wearables.SyncRun]{}, fmt.Errorf("sqlitestore: list sync runs: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.Next = pagecursor.Encode(out.Items[limit-1].ID)
	}
	return out, nil
}

// PutWebhook implements wearables.WebhookInboxStore. then receives the
// writer transaction: insert jobs with it (River's InsertTx), never with
// another connection of the single-connection writer pool.
func (s *Store) PutWebhook(ctx context.Context, d *wearables.WebhookDelivery, then wearables.TxFunc) (bool, error) {
	if d.Provider == "" || d.DedupeKey == "" {
		return false, fmt.Errorf("sqlitestore: put webhook: %w", invalid("DedupeKey", "provider and dedupe key are required"))
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
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO webhook_inbox (id, provider, dedupe_key, body, received_us, status, reason) VALUES (?, ?, ?, ?, ?, ?, '')
			ON CONFLICT (provider, dedupe_key) DO NOTHING`,
			id, string(d.Provider), d.DedupeKey, body, micros(received), string(wearables.WebhookPending))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		inserted = true
		if then != nil {
			return then(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("sqlitestore: put webhook: %w", err)
	}
	if inserted {
		d.ID, d.ReceivedAt, d.Status, d.Reason = id, fromMicros(micros(received)), wearables.WebhookPending, ""
	}
	return inserted, nil
}

// GetWebhook implements wearables.WebhookInboxStore.
func (s *Store) GetWebhook(ctx context.Context, id string) (wearables.WebhookDelivery, error) {
	var (
		d         wearables.WebhookDelivery
		received  int64
		processed sql.NullInt64
	)
	err := s.r.QueryRowContext(ctx, `SELECT id, provider, dedupe_key, body, received_us, status, reason, processed_us FROM webhook_inbox WHERE id = ?`, id).
		Scan(&d.ID, &d.Provider, &d.DedupeKey, &d.Body, &received, &d.Status, &d.Reason, &processed)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("sqlitestore: get webhook: %w", notFound("webhook delivery", id))
	}
	if err != nil {
		return d, fmt.Errorf("sqlitestore: get webhook: %w", err)
	}
	d.ReceivedAt, d.ProcessedAt = fromMicros(received), fromNullMicros(processed)
	return d, nil
}

// SetWebhookStatus implements wearables.WebhookInboxStore.
func (s *Store) SetWebhookStatus(ctx context.Context, id string, status wearables.WebhookStatus, reason string) error {
	res, err := s.w.ExecContext(ctx, `UPDATE webhook_inbox SET status = ?, reason = ?, processed_us = ? WHERE id = ?`,
		string(status), reason, micros(s.nowUTC()), id)
	if err != nil {
		return fmt.Errorf("sqlitestore: set webhook status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlitestore: set webhook status: %w", notFound("webhook delivery", id))
	}
	return nil
}

// PutBackfills implements wearables.BackfillStore. then receives the writer
// transaction (see PutWebhook).
func (s *Store) PutBackfills(ctx context.Context, statuses []wearables.BackfillStatus, then wearables.TxFunc) error {
	now := micros(s.nowUTC())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, b := range statuses {
			_, err := tx.ExecContext(ctx, `INSERT INTO backfills (connection_id, data_type, state, start_us, end_us, reached_us, error, updated_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (connection_id, data_type) DO UPDATE SET state = excluded.state, start_us = excluded.start_us, end_us = excluded.end_us,
				reached_us = excluded.reached_us, error = excluded.error, updated_us = excluded.updated_us`,
				b.ConnectionID, string(b.DataType), string(b.State), micros(b.Start), micros(b.End), nullMicros(b.Reached), b.Error, now)
			if isForeignKey(err) {
				return notFound("connection", b.ConnectionID)
			}
			if err != nil {
				return err
			}
		}
		if then != nil {
			return then(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: put backfills: %w", err)
	}
	return nil
}

// ListBackfills implements wearables.BackfillStore.
func (s *Store) ListBackfills(ctx context.Context, connectionID string) ([]wearables.BackfillStatus, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT connection_id, data_type, state, start_us, end_us, reached_us, error, updated_us FROM backfills WHERE connection_id = ? ORDER BY data_type`, connectionID)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: list backfills: %w", err)
	}
	defer rows.Close()
	out := []wearables.BackfillStatus{}
	for rows.Next() {
		var (
			b                   wearables.BackfillStatus
			start, end, updated int64
			reached             sql.NullInt64
		)
		if err := rows.Scan(&b.ConnectionID, &b.DataType, &b.State, &start, &end, &reached, &b.Error, &updated); err != nil {
			return nil, fmt.Errorf("sqlitestore: list backfills: %w", err)
		}
		b.Start, b.End, b.Reached, b.UpdatedAt = fromMicros(start), fromMicros(end), fromNullMicros(reached), fromMicros(updated)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: list backfills: %w", err)
	}
	return out, nil
}

// BackfillArrived implements wearables.BackfillStore in one UPDATE, so
// concurrent arrivals never move Reached forward.
func (s *Store) BackfillArrived(ctx context.Context, connectionID string, dt wearables.DataType, earliest time.Time) error {
	e := micros(earliest)
	_, err := s.w.ExecContext(ctx, `UPDATE backfills SET
		reached_us = min(coalesce(reached_us, ?1), ?1),
		state = CASE WHEN min(coalesce(reached_us, ?1), ?1) <= start_us THEN ?2 ELSE state END,
		updated_us = ?3
		WHERE connection_id = ?4 AND data_type = ?5 AND state = ?6`,
		e, string(wearables.BackfillDone), micros(s.nowUTC()), connectionID, string(dt), string(wearables.BackfillRequested))
	if err != nil {
		return fmt.Errorf("sqlitestore: backfill arrived: %w", err)
	}
	return nil
}

var (
	_ wearables.SyncRunStore      = (*Store)(nil)
	_ wearables.WebhookInboxStore = (*Store)(nil)
	_ wearables.BackfillStore     = (*Store)(nil)
)
