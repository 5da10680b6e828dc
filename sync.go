package wearables

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// TxFunc runs inside a store's write transaction, so that work outside the
// store — typically inserting a job into a queue that shares the database,
// such as River's InsertTx — commits or rolls back together with the store's
// write. tx is the store's open *sql.Tx on SQL stores and nil on stores
// without SQL transactions (memstore). An error rolls the whole
// transaction back and is returned by the store method.
type TxFunc func(ctx context.Context, tx *sql.Tx) error

// SyncTrigger says what started a sync run.
type SyncTrigger string

// Sync triggers.
const (
	TriggerManual   SyncTrigger = "manual"   // an API call or a program
	TriggerSchedule SyncTrigger = "schedule" // the periodic sync
	TriggerWebhook  SyncTrigger = "webhook"  // a vendor notification
	TriggerBackfill SyncTrigger = "backfill" // history after a new connection
)

// MaxRunRejections bounds the rejections a SyncCounts keeps with their
// reasons; Rejected counts all of them.
const MaxRunRejections = 50

// SyncCounts is what one sync run did for one data type.
type SyncCounts struct {
	Counts
	Deleted  int `json:"deleted"`  // records removed because the vendor deleted them
	Rejected int `json:"rejected"` // vendor records normalization refused
	Pages    int `json:"pages"`    // pages fetched and committed
	// Rejections are the first MaxRunRejections records normalization
	// refused, with the reasons, so a refused record can be traced to its
	// vendor record and the rule it broke.
	Rejections []Rejection `json:"rejections,omitempty"`
}

// Add returns c + d, keeping at most MaxRunRejections rejections.
func (c SyncCounts) Add(d SyncCounts) SyncCounts {
	return SyncCounts{Counts: c.Counts.Add(d.Counts), Deleted: c.Deleted + d.Deleted, Rejected: c.Rejected + d.Rejected, Pages: c.Pages + d.Pages,
		Rejections: AppendRejections(c.Rejections, d.Rejections...)}
}

// AppendRejections returns to followed by rs, up to MaxRunRejections in
// all. It never writes into to's spare capacity, so counts that share a
// slice stay apart.
func AppendRejections(to []Rejection, rs ...Rejection) []Rejection {
	n := min(len(rs), MaxRunRejections-len(to))
	if n <= 0 {
		return to
	}
	return append(slices.Clip(to), rs[:n]...)
}

// SyncRun records one sync of one connection, for the API and for
// debugging.
type SyncRun struct {
	ID           string      `json:"id"`
	ConnectionID string      `json:"connection_id"`
	Trigger      SyncTrigger `json:"trigger"`
	StartedAt    time.Time   `json:"started_at"`
	FinishedAt   time.Time   `json:"finished_at,omitzero"` // zero while running (or when the process died)
	// Types holds the counts per data type synced so far.
	Types map[DataType]SyncCounts `json:"types,omitempty"`
	Error string                  `json:"error,omitempty"` // why the run failed; never contains secrets
}

// Total sums the counts of every data type.
func (r SyncRun) Total() SyncCounts {
	var t SyncCounts
	for _, c := range r.Types {
		t = t.Add(c)
	}
	return t
}

// SyncRunQuery selects sync runs of one connection, newest first.
type SyncRunQuery struct {
	ConnectionID string
	Cursor       string
	Limit        int
}

// SyncRunStore keeps sync runs. Runs are deleted with their connection.
type SyncRunStore interface {
	// CreateSyncRun stores r, setting r.ID (when empty) and r.StartedAt
	// (when zero). ErrNotFound when the connection does not exist.
	CreateSyncRun(ctx context.Context, r *SyncRun) error
	// FinishSyncRun replaces FinishedAt, Types and Error of the stored run
	// with r's (FinishedAt set to now when zero). ErrNotFound when there is
	// no such run.
	FinishSyncRun(ctx context.Context, r SyncRun) error
	// ListSyncRuns returns a connection's runs, newest first.
	ListSyncRuns(ctx context.Context, q SyncRunQuery) (Page[SyncRun], error)
}

// WebhookStatus is where a webhook delivery is in the inbox.
type WebhookStatus string

// Webhook delivery states.
const (
	WebhookPending   WebhookStatus = "pending"   // stored, its job not finished
	WebhookProcessed WebhookStatus = "processed" // its events were applied or turned into syncs
	WebhookDropped   WebhookStatus = "dropped"   // recorded only: unknown or revoked connection, nothing to do
	WebhookFailed    WebhookStatus = "failed"    // processing gave up
)

// WebhookDelivery is one verified webhook request body kept in the inbox.
type WebhookDelivery struct {
	ID       string     `json:"id"`
	Provider ProviderID `json:"provider"`
	// DedupeKey identifies the notification; (Provider, DedupeKey) is unique,
	// so a vendor's retry of the same notification is stored once.
	DedupeKey   string        `json:"dedupe_key"`
	Body        []byte        `json:"-"`
	ReceivedAt  time.Time     `json:"received_at"`
	Status      WebhookStatus `json:"status"`
	Reason      string        `json:"reason,omitempty"`
	ProcessedAt time.Time     `json:"processed_at,omitzero"`
}

// WebhookInboxStore keeps verified webhook deliveries until a job has
// processed them.
type WebhookInboxStore interface {
	// PutWebhook stores d with status WebhookPending, setting d.ID and
	// d.ReceivedAt (when empty or zero) and d.Status, unless a delivery with the same
	// (Provider, DedupeKey) exists: then it returns false and changes
	// nothing. After a successful insert it calls then (when non-nil) in the
	// same transaction; an error from then rolls the insert back and is
	// returned. ErrInvalid for an empty provider or dedupe key.
	PutWebhook(ctx context.Context, d *WebhookDelivery, then TxFunc) (inserted bool, err error)
	// GetWebhook returns ErrNotFound when there is no such delivery.
	GetWebhook(ctx context.Context, id string) (WebhookDelivery, error)
	// SetWebhookStatus records the outcome of processing and sets
	// ProcessedAt. ErrNotFound when there is no such delivery.
	SetWebhookStatus(ctx context.Context, id string, status WebhookStatus, reason string) error
}

// BackfillState is where the history of one data type of a connection is.
type BackfillState string

// Backfill states.
const (
	BackfillPending   BackfillState = "pending"   // queued
	BackfillRunning   BackfillState = "running"   // pulling, newest first
	BackfillRequested BackfillState = "requested" // asked the vendor (Garmin); its data arrives by push
	BackfillDone      BackfillState = "done"
	BackfillFailed    BackfillState = "failed"
)

// BackfillStatus is the history backfill of one data type of a connection.
// The range [Start, End) is pulled newest first; [Reached, End) is
// committed.
type BackfillStatus struct {
	ConnectionID string        `json:"connection_id"`
	DataType     DataType      `json:"data_type"`
	State        BackfillState `json:"state"`
	Start        time.Time     `json:"start"`
	End          time.Time     `json:"end"`
	Reached      time.Time     `json:"reached,omitzero"` // oldest instant committed so far; zero before the first chunk
	Error        string        `json:"error,omitempty"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// BackfillStore keeps backfill status per connection and data type.
// Statuses are deleted with their connection.
type BackfillStore interface {
	// PutBackfills upserts statuses (on connection and data type, setting
	// UpdatedAt) and then calls then (when non-nil) in the same
	// transaction; an error from then rolls everything back. ErrNotFound
	// when a connection does not exist.
	PutBackfills(ctx context.Context, statuses []BackfillStatus, then TxFunc) error
	// ListBackfills returns a connection's statuses ordered by data type.
	ListBackfills(ctx context.Context, connectionID string) ([]BackfillStatus, error)
	// BackfillArrived atomically records that data measured from earliest
	// on arrived for a requested (asynchronous) backfill: Reached moves back
	// to earliest when that is earlier or Reached is unset, and the state
	// becomes done once Reached is at or before Start. A status that is not
	// requested, or none, is left alone (not an error). Concurrent calls
	// never move Reached forward.
	BackfillArrived(ctx context.Context, connectionID string, dataType DataType, earliest time.Time) error
}
