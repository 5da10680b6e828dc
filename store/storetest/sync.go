package storetest

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// testSync checks what the syncer persists: sync runs, the webhook inbox
// with its dedupe key and transaction hook, and backfill status.
func testSync(t *testing.T, newStore Factory) {
	t.Run("SyncRuns", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderOura)

		err := s.CreateSyncRun(ctx, &wearables.SyncRun{ConnectionID: "missing", Trigger: wearables.TriggerManual})
		assert.ErrorIs(t, err, wearables.ErrNotFound)

		var ids []string
		for i := range 3 {
			r := wearables.SyncRun{ConnectionID: c.ID, Trigger: wearables.TriggerSchedule}
			require.NoError(t, s.CreateSyncRun(ctx, &r))
			require.NotEmpty(t, r.ID)
			require.False(t, r.StartedAt.IsZero())
			ids = append(ids, r.ID)
			if i == 1 {
				r.Types = map[wearables.DataType]wearables.SyncCounts{
					wearables.DataSleep: {Counts: wearables.Counts{Inserted: 3, Updated: 1}, Deleted: 1, Rejected: 2, Pages: 4},
				}
				r.Error = "boom"
				require.NoError(t, s.FinishSyncRun(ctx, r))
			}
		}
		assert.ErrorIs(t, s.FinishSyncRun(ctx, wearables.SyncRun{ID: "missing"}), wearables.ErrNotFound)

		runs := collect(t, 2, func(cursor string) (wearables.Page[wearables.SyncRun], error) {
			return s.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID, Cursor: cursor, Limit: 2})
		})
		require.Len(t, runs, 3)
		assert.Equal(t, []string{ids[2], ids[1], ids[0]}, []string{runs[0].ID, runs[1].ID, runs[2].ID}, "newest first")
		assert.True(t, runs[0].FinishedAt.IsZero(), "unfinished run")
		assert.False(t, runs[1].FinishedAt.IsZero())
		assert.Equal(t, "boom", runs[1].Error)
		assert.Equal(t, 3, runs[1].Types[wearables.DataSleep].Inserted)
		assert.Equal(t, 4, runs[1].Total().Pages)
		assert.Equal(t, wearables.TriggerSchedule, runs[2].Trigger)

		_, err = s.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID, Cursor: "garbage!"})
		assert.ErrorIs(t, err, wearables.ErrInvalid)

		require.NoError(t, s.DeleteConnection(ctx, c.ID))
		p, err := s.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID})
		require.NoError(t, err)
		assert.Empty(t, p.Items, "runs go with their connection")
	})

	t.Run("WebhookInbox", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		d := wearables.WebhookDelivery{Provider: wearables.ProviderWhoop, DedupeKey: "evt-1", Body: []byte(`{"id":1}`)}
		var calls int
		ok, err := s.PutWebhook(ctx, &d, func(ctx context.Context, tx *sql.Tx) error { calls++; return nil })
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, 1, calls)
		require.NotEmpty(t, d.ID)
		assert.Equal(t, wearables.WebhookPending, d.Status)

		dup := wearables.WebhookDelivery{Provider: wearables.ProviderWhoop, DedupeKey: "evt-1", Body: []byte(`{"id":1}`)}
		ok, err = s.PutWebhook(ctx, &dup, func(ctx context.Context, tx *sql.Tx) error { calls++; return nil })
		require.NoError(t, err)
		assert.False(t, ok, "duplicate dedupe key")
		assert.Equal(t, 1, calls, "then is not called for a duplicate")

		other := wearables.WebhookDelivery{Provider: wearables.ProviderOura, DedupeKey: "evt-1"}
		ok, err = s.PutWebhook(ctx, &other, nil)
		require.NoError(t, err)
		assert.True(t, ok, "dedupe keys are per provider")

		boom := errors.New("boom")
		failed := wearables.WebhookDelivery{Provider: wearables.ProviderWhoop, DedupeKey: "evt-2"}
		_, err = s.PutWebhook(ctx, &failed, func(ctx context.Context, tx *sql.Tx) error { return boom })
		assert.ErrorIs(t, err, boom)
		retry := wearables.WebhookDelivery{Provider: wearables.ProviderWhoop, DedupeKey: "evt-2"}
		ok, err = s.PutWebhook(ctx, &retry, nil)
		require.NoError(t, err)
		assert.True(t, ok, "a failed hook rolled the insert back")

		_, err = s.PutWebhook(ctx, &wearables.WebhookDelivery{Provider: wearables.ProviderWhoop}, nil)
		assert.ErrorIs(t, err, wearables.ErrInvalid)

		got, err := s.GetWebhook(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, `{"id":1}`, string(got.Body))
		assert.Equal(t, "evt-1", got.DedupeKey)
		assert.Equal(t, wearables.WebhookPending, got.Status)
		assert.True(t, got.ProcessedAt.IsZero())

		require.NoError(t, s.SetWebhookStatus(ctx, d.ID, wearables.WebhookDropped, "unknown connection"))
		got, err = s.GetWebhook(ctx, d.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.WebhookDropped, got.Status)
		assert.Equal(t, "unknown connection", got.Reason)
		assert.False(t, got.ProcessedAt.IsZero())

		_, err = s.GetWebhook(ctx, "missing")
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		assert.ErrorIs(t, s.SetWebhookStatus(ctx, "missing", wearables.WebhookProcessed, ""), wearables.ErrNotFound)
	})

	t.Run("Backfills", func(t *testing.T) {
		s, ctx := newStore(t), t.Context()
		u := newUser(t, s)
		c := newConnection(t, s, u.ID, wearables.ProviderGarmin)
		end := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		start := end.AddDate(0, 0, -30)
		sts := []wearables.BackfillStatus{
			{ConnectionID: c.ID, DataType: wearables.DataWorkouts, State: wearables.BackfillPending, Start: start, End: end},
			{ConnectionID: c.ID, DataType: wearables.DataSleep, State: wearables.BackfillRequested, Start: start, End: end, Reached: end.AddDate(0, 0, -5)},
		}
		var calls int
		require.NoError(t, s.PutBackfills(ctx, sts, func(ctx context.Context, tx *sql.Tx) error { calls++; return nil }))
		assert.Equal(t, 1, calls)

		got, err := s.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, wearables.DataSleep, got[0].DataType, "ordered by data type")
		assert.Equal(t, wearables.BackfillRequested, got[0].State)
		assert.True(t, got[0].Reached.Equal(end.AddDate(0, 0, -5)))
		assert.True(t, got[1].Reached.IsZero())
		assert.True(t, got[1].Start.Equal(start) && got[1].End.Equal(end))
		assert.False(t, got[1].UpdatedAt.IsZero())

		sts[0].State, sts[0].Reached, sts[0].Error = wearables.BackfillFailed, end.AddDate(0, 0, -10), "vendor said no"
		boom := errors.New("boom")
		err = s.PutBackfills(ctx, sts[:1], func(ctx context.Context, tx *sql.Tx) error { return boom })
		assert.ErrorIs(t, err, boom)
		got, err = s.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.BackfillPending, got[1].State, "a failed hook rolled the update back")

		require.NoError(t, s.PutBackfills(ctx, sts[:1], nil))
		got, err = s.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.BackfillFailed, got[1].State)
		assert.Equal(t, "vendor said no", got[1].Error)

		err = s.PutBackfills(ctx, []wearables.BackfillStatus{{ConnectionID: "missing", DataType: wearables.DataSleep, State: wearables.BackfillPending, Start: start, End: end}}, nil)
		assert.ErrorIs(t, err, wearables.ErrNotFound)

		// Arrivals for the requested sleep backfill, concurrently: Reached
		// ends at the earliest of them, never later.
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				assert.NoError(t, s.BackfillArrived(ctx, c.ID, wearables.DataSleep, end.AddDate(0, 0, -6-i)))
			})
		}
		wg.Wait()
		got, err = s.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		assert.True(t, got[0].Reached.Equal(end.AddDate(0, 0, -13)), "reached %s", got[0].Reached)
		assert.Equal(t, wearables.BackfillRequested, got[0].State)
		require.NoError(t, s.BackfillArrived(ctx, c.ID, wearables.DataSleep, end.AddDate(0, 0, -7)))
		got, err = s.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		assert.True(t, got[0].Reached.Equal(end.AddDate(0, 0, -13)), "a later arrival does not move Reached forward")
		// Data reaching the start finishes it; a failed backfill is left alone.
		require.NoError(t, s.BackfillArrived(ctx, c.ID, wearables.DataSleep, start.Add(-time.Hour)))
		require.NoError(t, s.BackfillArrived(ctx, c.ID, wearables.DataWorkouts, start.Add(-time.Hour)))
		require.NoError(t, s.BackfillArrived(ctx, c.ID, wearables.DataDailySummaries, start), "no status: nothing to do")
		got, err = s.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.BackfillDone, got[0].State)
		assert.Equal(t, wearables.BackfillFailed, got[1].State)
		assert.True(t, got[1].Reached.Equal(end.AddDate(0, 0, -10)))

		require.NoError(t, s.DeleteConnection(ctx, c.ID))
		got, err = s.ListBackfills(ctx, c.ID)
		require.NoError(t, err)
		assert.Empty(t, got, "statuses go with their connection")
	})
}
