package syncer

import (
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/wearables-go/wearables"
)

// Job kinds, as stored in River's river_job.kind column.
const (
	KindSync               = "wearables_sync"
	KindPull               = "wearables_pull"
	KindBackfill           = "wearables_backfill"
	KindWebhook            = "wearables_webhook"
	KindPeriodicSync       = "wearables_periodic_sync"
	KindRenewSubscriptions = "wearables_renew_subscriptions"
	KindRewrapTokens       = "wearables_rewrap_tokens"
)

// activeStates are the job states a unique job is checked against: a job
// that completed does not block a new one (the new one may carry news the
// finished one could not have seen).
var activeStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// SyncArgs is the sync-connection job: SyncConnection for one connection
// and one data type (empty: all). Jobs are unique per connection, data type
// and debounce period (QueueConfig.Debounce), so a burst of triggers runs
// one sync per period.
type SyncArgs struct {
	ConnectionID string                `json:"connection_id" river:"unique"`
	DataType     wearables.DataType    `json:"data_type,omitempty" river:"unique"`
	Trigger      wearables.SyncTrigger `json:"trigger"`
}

// Kind implements river.JobArgs.
func (SyncArgs) Kind() string { return KindSync }

// PullArgs is the job that fetches a window a notification announced with
// a pull token (Syncer.PullAnnounced). It is unique per connection, data
// type, window and token, so a notification delivered twice is pulled
// once. The token is stored in River's job row like the notification body
// is in the inbox: it is short-lived and only good for its window.
type PullArgs struct {
	ConnectionID string             `json:"connection_id" river:"unique"`
	DataType     wearables.DataType `json:"data_type" river:"unique"`
	Start        time.Time          `json:"start" river:"unique"`
	End          time.Time          `json:"end" river:"unique"`
	PageToken    string             `json:"page_token" river:"unique"`
}

// Kind implements river.JobArgs.
func (PullArgs) Kind() string { return KindPull }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (a PullArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Priority: 2, Tags: []string{connectionTag(a.ConnectionID)}, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// BackfillArgs is the backfill job of one connection and data type; each
// run pulls one chunk (newest first) and snoozes itself for the next.
type BackfillArgs struct {
	ConnectionID string             `json:"connection_id" river:"unique"`
	DataType     wearables.DataType `json:"data_type" river:"unique"`
}

// Kind implements river.JobArgs.
func (BackfillArgs) Kind() string { return KindBackfill }

// InsertOpts implements river.JobArgsWithInsertOpts: one backfill per
// connection and data type.
func (a BackfillArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueBackfill, Tags: []string{connectionTag(a.ConnectionID)}, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// WebhookArgs is the process-webhook job of one inbox delivery.
type WebhookArgs struct {
	DeliveryID string `json:"delivery_id" river:"unique"`
}

// Kind implements river.JobArgs.
func (WebhookArgs) Kind() string { return KindWebhook }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (WebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// PeriodicSyncArgs is the periodic job that enqueues a sync for every
// active pull-mode connection whose provider's SyncInterval has passed.
type PeriodicSyncArgs struct{}

// Kind implements river.JobArgs.
func (PeriodicSyncArgs) Kind() string { return KindPeriodicSync }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (PeriodicSyncArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: activeStates}}
}

// RenewSubscriptionsArgs is the job that creates or renews vendor webhook
// subscriptions (Oura, Polar) of providers implementing
// wearables.SubscriptionManager.
type RenewSubscriptionsArgs struct {
	Provider wearables.ProviderID `json:"provider" river:"unique"`
}

// Kind implements river.JobArgs.
func (RenewSubscriptionsArgs) Kind() string { return KindRenewSubscriptions }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RenewSubscriptionsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: activeStates}}
}

// RewrapTokensArgs is the job that re-wraps stored tokens with the current
// key after a key rotation (QueueConfig.RewrapTokens).
type RewrapTokensArgs struct{}

// Kind implements river.JobArgs.
func (RewrapTokensArgs) Kind() string { return KindRewrapTokens }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RewrapTokensArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByState: activeStates}}
}

// Queue names.
const (
	// QueueDefault runs syncs, webhooks and maintenance jobs.
	QueueDefault = river.QueueDefault
	// QueueBackfill runs backfills, so history never starves fresh syncs.
	QueueBackfill = "wearables_backfill"
)

// ceilTo rounds t up to a multiple of d (t itself when already one).
func ceilTo(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	r := t.Truncate(d)
	if r.Before(t) {
		r = r.Add(d)
	}
	return r
}
