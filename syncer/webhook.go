package syncer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/wearables-go/wearables"
)

// WebhookHandler receives vendor webhooks at POST /{provider} (mount it
// under a prefix with http.StripPrefix). For each request it reads the body
// capped at the provider's MaxWebhookBody (413 beyond), has the provider
// verify it (401 when verification fails; 500 when it could not be done,
// e.g. its secret could not be read) and parse it (400 when it cannot),
// stores it in the inbox under a dedupe key — one transaction with the
// process-webhook job — and answers 200 only after that commit (a vendor
// retry of a stored notification is answered 200 and stored once). Store
// failures answer 500 so the vendor retries. Unknown providers and
// providers without webhooks are 404.
func (q *Queue) WebhookHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{provider}", q.serveWebhook)
	return mux
}

func (q *Queue) serveWebhook(w http.ResponseWriter, r *http.Request) {
	id := wearables.ProviderID(r.PathValue("provider"))
	p, ok := q.s.providers[id]
	wh, isWH := p.(wearables.WebhookHandler)
	if !ok || !isWH {
		http.Error(w, "unknown provider", http.StatusNotFound)
		return
	}
	limit := q.s.Settings(id).MaxWebhookBody
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if err := wh.VerifyWebhook(r, body); err != nil {
		if !errors.Is(err, wearables.ErrUnauthorized) {
			// Not a verdict on the notification (the secret could not be
			// read): 500, so the vendor delivers it again.
			q.log.ErrorContext(r.Context(), "webhook verification", "provider", id, "error", err)
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		http.Error(w, "verification failed", http.StatusUnauthorized)
		return
	}
	events, err := wh.ParseWebhook(body)
	if err != nil {
		http.Error(w, "malformed notification", http.StatusBadRequest)
		return
	}
	d := wearables.WebhookDelivery{ID: wearables.NewID(), Provider: id, DedupeKey: dedupeKey(events, body), Body: body}
	_, err = q.s.store.PutWebhook(r.Context(), &d, func(ctx context.Context, tx *sql.Tx) error {
		if tx != nil {
			_, err := q.client.InsertTx(ctx, tx, WebhookArgs{DeliveryID: d.ID}, nil)
			return err
		}
		_, err := q.client.Insert(ctx, WebhookArgs{DeliveryID: d.ID}, nil)
		return err
	})
	if err != nil {
		q.log.ErrorContext(r.Context(), "webhook inbox", "provider", id, "error", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// dedupeKey is the events' own dedupe keys when every event has one, else
// a hash of the body.
func dedupeKey(events []wearables.WebhookEvent, body []byte) string {
	keys := make([]string, 0, len(events))
	for _, e := range events {
		if e.DedupeKey == "" {
			keys = nil
			break
		}
		keys = append(keys, e.DedupeKey)
	}
	if len(keys) == 1 {
		return keys[0]
	}
	h := sha256.New()
	if len(keys) > 0 {
		slices.Sort(keys)
		h.Write([]byte(strings.Join(keys, "\x1f")))
	} else {
		h.Write(body)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

type webhookWorker struct {
	river.WorkerDefaults[WebhookArgs]
	q *Queue
}

// Work applies one inbox delivery: inline records are written for every
// active connection of the vendor account, deletes are applied, a
// deauthorization revokes the connections, a window announced with a pull
// token (Garmin PING) enqueues a pull of exactly that window, and hints
// enqueue a sync of the named data type (re-fetched with our own token).
// A fetch is enqueued for one active connection of the account: it writes
// the linked ones too. Notifications for unknown or inactive connections,
// and hints for NotificationOnly vendors that carry no pull token, are
// recorded as dropped with the reason.
func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookArgs]) error {
	s := w.q.s
	d, err := s.store.GetWebhook(ctx, job.Args.DeliveryID)
	if errors.Is(err, wearables.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if d.Status != wearables.WebhookPending {
		return nil
	}
	p, ok := s.providers[d.Provider]
	wh, isWH := p.(wearables.WebhookHandler)
	if !ok || !isWH {
		return s.store.SetWebhookStatus(ctx, d.ID, wearables.WebhookDropped, "provider not configured")
	}
	events, err := wh.ParseWebhook(d.Body)
	if err != nil {
		return s.store.SetWebhookStatus(ctx, d.ID, wearables.WebhookFailed, "parse: "+err.Error())
	}
	applied, dropped := 0, []string{}
	for _, ev := range events {
		conns, err := w.connections(ctx, d.Provider, ev.ProviderUserID)
		if err != nil {
			return err
		}
		if len(conns) == 0 {
			dropped = append(dropped, fmt.Sprintf("no connection for account %q", ev.ProviderUserID))
			continue
		}
		fetched := false
		for _, c := range conns {
			if c.Status != wearables.ConnectionActive {
				dropped = append(dropped, fmt.Sprintf("connection %s is %s", c.ID, c.Status))
				continue
			}
			if fetched {
				continue // the fetch writes every linked connection of the account
			}
			drop, err := w.apply(ctx, c, ev, d.ReceivedAt)
			if err != nil {
				return w.q.jobError(err)
			}
			if drop != "" {
				dropped = append(dropped, drop)
				continue
			}
			applied++
			fetched = isFetch(ev)
		}
	}
	status, reason := wearables.WebhookProcessed, ""
	if applied == 0 {
		status = wearables.WebhookDropped
	}
	if len(dropped) > 0 {
		reason = strings.Join(dropped, "; ")
	}
	return s.store.SetWebhookStatus(ctx, d.ID, status, reason)
}

func (w *webhookWorker) connections(ctx context.Context, provider wearables.ProviderID, account string) ([]wearables.Connection, error) {
	if account == "" {
		return nil, nil
	}
	var out []wearables.Connection
	q := wearables.ConnectionQuery{Provider: provider, ProviderUserID: account}
	for {
		page, err := w.q.s.store.ListConnections(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}

// deleteKinds maps the generic data types to the record kind a delete
// event removes.
var deleteKinds = map[wearables.DataType]wearables.RecordKind{
	wearables.DataWorkouts: wearables.KindWorkout,
	wearables.DataSleep:    wearables.KindSleep,
	wearables.DataScores:   wearables.KindScore,
}

// isFetch reports whether applying ev fetches from the vendor (a hint or
// an announced window) rather than writing what the event carries.
func isFetch(ev wearables.WebhookEvent) bool {
	switch {
	case ev.Kind == wearables.WebhookDeauthorize, ev.Records != nil:
		return false
	case ev.Kind == wearables.WebhookDeleted && ev.ProviderRecordID != "" && deleteKinds[ev.DataType] != "":
		return false
	}
	return true
}

// apply applies one event to one active connection. It returns a reason
// when the event cannot be applied and is dropped.
func (w *webhookWorker) apply(ctx context.Context, c wearables.Connection, ev wearables.WebhookEvent, received time.Time) (string, error) {
	s := w.q.s
	switch {
	case ev.Kind == wearables.WebhookDeauthorize:
		return "", s.store.SetConnectionStatus(ctx, c.ID, wearables.ConnectionRevoked, "the user deauthorized the app at the vendor")
	case ev.Records != nil:
		if err := w.writePush(ctx, c, ev); err != nil {
			return "", err
		}
		return "", w.pushArrived(ctx, c, ev)
	case !isFetch(ev):
		b := wearables.Batch{UserID: c.UserID, Deletes: []wearables.Delete{{Kind: deleteKinds[ev.DataType], Provider: c.Provider, ProviderRecordID: ev.ProviderRecordID}}}
		if _, err := s.store.WriteBatch(ctx, &b); err != nil {
			return "", fmt.Errorf("syncer: webhook delete: %w", err)
		}
		return "", nil
	case ev.PageToken != "":
		// An announced window (Garmin PING): fetch exactly it, with the
		// notification's pull token.
		if ev.DataType == "" || ev.Start.IsZero() || !ev.End.After(ev.Start) {
			return fmt.Sprintf("%s notification for connection %s announces no window to pull", ev.DataType, c.ID), nil
		}
		return "", w.q.EnqueuePull(ctx, nil, PullArgs{ConnectionID: c.ID, DataType: ev.DataType, Start: ev.Start.UTC(), End: ev.End.UTC(), PageToken: ev.PageToken})
	case s.Settings(c.Provider).NotificationOnly:
		return fmt.Sprintf("%s %s notification for connection %s carries no data and no pull token, and %s allows no other pulls",
			ev.DataType, ev.Kind, c.ID, c.Provider), nil
	default:
		// A hint: fetch again with our own token. The sync starts after
		// the notification arrived, so it sees what the notification
		// announced.
		return "", w.q.enqueueSyncAt(ctx, nil, c.ID, ev.DataType, wearables.TriggerWebhook, received)
	}
}

// writePush writes pushed records for one connection, recorded as a
// webhook-triggered sync run with its counts and the records normalization
// refused, so pushed data is as traceable as pulled data.
func (w *webhookWorker) writePush(ctx context.Context, c wearables.Connection, ev wearables.WebhookEvent) error {
	s := w.q.s
	run := wearables.SyncRun{ConnectionID: c.ID, Trigger: wearables.TriggerWebhook}
	if err := s.store.CreateSyncRun(ctx, &run); err != nil {
		return fmt.Errorf("syncer: webhook push: %w", err)
	}
	b := *ev.Records
	b.UserID, b.Cursor = c.UserID, nil
	wr, err := s.store.WriteBatch(ctx, &b)
	counts := wearables.SyncCounts{Counts: wr.Total(), Deleted: wr.Deleted, Rejected: len(ev.Rejected),
		Rejections: wearables.AppendRejections(nil, ev.Rejected...)}
	run.Types = map[wearables.DataType]wearables.SyncCounts{ev.DataType: counts}
	if err != nil {
		err = fmt.Errorf("syncer: webhook push: %w", err)
		run.Error = err.Error()
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if ferr := s.store.FinishSyncRun(fctx, run); ferr != nil && err == nil {
		err = fmt.Errorf("syncer: webhook push: finish run: %w", ferr)
	}
	return err
}

// pushArrived tracks an asynchronous (Garmin-style) backfill with pushed
// data (see Syncer.backfillArrived).
func (w *webhookWorker) pushArrived(ctx context.Context, c wearables.Connection, ev wearables.WebhookEvent) error {
	return w.q.s.backfillArrived(ctx, c.ID, ev.DataType, ev.Start)
}
