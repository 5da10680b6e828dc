package memstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

// syncState holds what the syncer persists. It has its own lock, taken
// after s.mu when both are needed. Rows of deleted connections stay in the
// maps but are never returned (connection ids are never reused).
type syncState struct {
	mu        sync.Mutex
	runs      map[string]wearables.SyncRun         // run id → run
	webhooks  map[string]wearables.WebhookDelivery // delivery id → delivery
	dedupe    map[string]string                    // provider \x1f dedupe key → delivery id
	backfills map[string]map[wearables.DataType]wearables.BackfillStatus
}

func (st *syncState) init() {
	if st.runs == nil {
		st.runs = map[string]wearables.SyncRun{}
		st.webhooks = map[string]wearables.WebhookDelivery{}
		st.dedupe = map[string]string{}
		st.backfills = map[string]map[wearables.DataType]wearables.BackfillStatus{}
	}
}

func (s *Store) connectionExists(id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.connections[id]
	return ok
}

func copyRun(r wearables.SyncRun) wearables.SyncRun {
	r.Types = maps.Clone(r.Types)
	return r
}

// CreateSyncRun implements wearables.SyncRunStore.
func (s *Store) CreateSyncRun(ctx context.Context, r *wearables.SyncRun) error {
	if !s.connectionExists(r.ConnectionID) {
		return notFound("create sync run", "connection", r.ConnectionID)
	}
	if r.ID == "" {
		r.ID = wearables.NewID()
	}
	if r.StartedAt.IsZero() {
		r.StartedAt = now()
	}
	r.StartedAt = r.StartedAt.UTC().Truncate(wearables.TimePrecision)
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	s.sync.init()
	if _, ok := s.sync.runs[r.ID]; ok {
		return fmt.Errorf("memstore: create sync run: %w", wearables.ErrConflict)
	}
	s.sync.runs[r.ID] = copyRun(*r)
	return nil
}

// FinishSyncRun implements wearables.SyncRunStore.
func (s *Store) FinishSyncRun(ctx context.Context, r wearables.SyncRun) error {
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	s.sync.init()
	old, ok := s.sync.runs[r.ID]
	if !ok {
		return notFound("finish sync run", "sync run", r.ID)
	}
	if r.FinishedAt.IsZero() {
		r.FinishedAt = now()
	}
	old.FinishedAt = r.FinishedAt.UTC().Truncate(wearables.TimePrecision)
	old.Types = maps.Clone(r.Types)
	old.Error = r.Error
	s.sync.runs[r.ID] = old
	return nil
}

// ListSyncRuns implements wearables.SyncRunStore: newest first.
func (s *Store) ListSyncRuns(ctx context.Context, q wearables.SyncRunQuery) (wearables.Page[wearables.SyncRun], error) {
	limit, after, err := idPage("list sync runs", q.Limit, q.Cursor)
	if err != nil {
		return wearables.Page[wearables.SyncRun]{}, err
	}
	if !s.connectionExists(q.ConnectionID) {
		return wearables.Page[wearables.SyncRun]{Items: []wearables.SyncRun{}}, nil
	}
	s.sync.mu.Lock()
	var rows []wearables.SyncRun
	for _, r := range s.sync.runs {
		if r.ConnectionID == q.ConnectionID && (after == nil || r.ID < *after) {
			rows = append(rows, copyRun(r))
		}
	}
	s.sync.mu.Unlock()
	p := pageByID(rows, len(rows), func(r wearables.SyncRun) string { return r.ID })
	slices.Reverse(p.Items)
	return cut(p.Items, limit, func(last wearables.SyncRun) string { return pagecursor.Encode(last.ID) }), nil
}

// PutWebhook implements wearables.WebhookInboxStore. then is called with a
// nil transaction while the inbox lock is held; when it fails the delivery
// is not kept.
func (s *Store) PutWebhook(ctx context.Context, d *wearables.WebhookDelivery, then wearables.TxFunc) (bool, error) {
	if d.Provider == "" || d.DedupeKey == "" {
		return false, fmt.Errorf("memstore: put webhook: %w", &wearables.ValidationError{Index: -1, Field: "DedupeKey", Reason: "provider and dedupe key are required"})
	}
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	s.sync.init()
	key := string(d.Provider) + "\x1f" + d.DedupeKey
	if _, ok := s.sync.dedupe[key]; ok {
		return false, nil
	}
	c := *d
	if c.ID == "" {
		c.ID = wearables.NewID()
	}
	if _, ok := s.sync.webhooks[c.ID]; ok {
		return false, fmt.Errorf("memstore: put webhook: %w", wearables.ErrConflict)
	}
	if c.ReceivedAt.IsZero() {
		c.ReceivedAt = now()
	}
	c.ReceivedAt = c.ReceivedAt.UTC().Truncate(wearables.TimePrecision)
	c.Status, c.Reason, c.ProcessedAt = wearables.WebhookPending, "", c.ProcessedAt.UTC()
	c.Body = slices.Clone(d.Body)
	if then != nil {
		if err := then(ctx, nil); err != nil {
			return false, err
		}
	}
	s.sync.webhooks[c.ID] = c
	s.sync.dedupe[key] = c.ID
	d.ID, d.ReceivedAt, d.Status, d.Reason = c.ID, c.ReceivedAt, c.Status, ""
	return true, nil
}

// GetWebhook implements wearables.WebhookInboxStore.
func (s *Store) GetWebhook(ctx context.Context, id string) (wearables.WebhookDelivery, error) {
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	d, ok := s.sync.webhooks[id]
	if !ok {
		return wearables.WebhookDelivery{}, notFound("get webhook", "webhook delivery", id)
	}
	d.Body = slices.Clone(d.Body)
	return d, nil
}

// SetWebhookStatus implements wearables.WebhookInboxStore.
func (s *Store) SetWebhookStatus(ctx context.Context, id string, status wearables.WebhookStatus, reason string) error {
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	d, ok := s.sync.webhooks[id]
	if !ok {
		return notFound("set webhook status", "webhook delivery", id)
	}
	d.Status, d.Reason, d.ProcessedAt = status, reason, now()
	s.sync.webhooks[id] = d
	return nil
}

// PutBackfills implements wearables.BackfillStore. then is called with a
// nil transaction; when it fails nothing is kept.
func (s *Store) PutBackfills(ctx context.Context, statuses []wearables.BackfillStatus, then wearables.TxFunc) error {
	for _, b := range statuses {
		if !s.connectionExists(b.ConnectionID) {
			return notFound("put backfills", "connection", b.ConnectionID)
		}
	}
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	s.sync.init()
	if then != nil {
		if err := then(ctx, nil); err != nil {
			return err
		}
	}
	t := now()
	for _, b := range statuses {
		m := s.sync.backfills[b.ConnectionID]
		if m == nil {
			m = map[wearables.DataType]wearables.BackfillStatus{}
			s.sync.backfills[b.ConnectionID] = m
		}
		b.Start, b.End, b.Reached = b.Start.UTC().Truncate(wearables.TimePrecision), b.End.UTC().Truncate(wearables.TimePrecision), b.Reached.UTC().Truncate(wearables.TimePrecision)
		b.UpdatedAt = t
		m[b.DataType] = b
	}
	return nil
}

// BackfillArrived implements wearables.BackfillStore.
func (s *Store) BackfillArrived(_ context.Context, connectionID string, dt wearables.DataType, earliest time.Time) error {
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	s.sync.init()
	b, ok := s.sync.backfills[connectionID][dt]
	if !ok || b.State != wearables.BackfillRequested {
		return nil
	}
	earliest = earliest.UTC().Truncate(wearables.TimePrecision)
	if b.Reached.IsZero() || earliest.Before(b.Reached) {
		b.Reached = earliest
	}
	if !b.Reached.After(b.Start) {
		b.State = wearables.BackfillDone
	}
	b.UpdatedAt = now()
	s.sync.backfills[connectionID][dt] = b
	return nil
}

// ListBackfills implements wearables.BackfillStore.
func (s *Store) ListBackfills(ctx context.Context, connectionID string) ([]wearables.BackfillStatus, error) {
	if !s.connectionExists(connectionID) {
		return []wearables.BackfillStatus{}, nil
	}
	s.sync.mu.Lock()
	defer s.sync.mu.Unlock()
	out := []wearables.BackfillStatus{}
	for _, b := range s.sync.backfills[connectionID] {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b wearables.BackfillStatus) int {
		return strings.Compare(string(a.DataType), string(b.DataType))
	})
	return out, nil
}

var (
	_ wearables.SyncRunStore      = (*Store)(nil)
	_ wearables.WebhookInboxStore = (*Store)(nil)
	_ wearables.BackfillStore     = (*Store)(nil)
)
