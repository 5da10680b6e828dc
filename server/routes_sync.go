package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/syncer"
)

type syncInput struct {
	UserID       string               `path:"user_id" maxLength:"64"`
	ConnectionID string               `path:"connection_id" maxLength:"64"`
	Wait         bool                 `query:"wait" doc:"Run the sync before answering (200 with the result) instead of in the background (202)"`
	DataTypes    []wearables.DataType `query:"data_types,explode" maxItems:"20" doc:"Only these data types; default every data type of the provider"`
}

// SyncResult is what a sync did, or that it was started.
type SyncResult struct {
	ConnectionID string                                      `json:"connection_id"`
	Status       string                                      `json:"status" enum:"queued,started,finished,failed"`
	RunID        string                                      `json:"run_id,omitempty" doc:"Set when the run finished (wait=true); background runs appear under /runs"`
	Types        map[wearables.DataType]wearables.SyncCounts `json:"types,omitempty"`
	Error        string                                      `json:"error,omitempty"`
	Duration     float64                                     `json:"duration_seconds,omitempty"`
}
type syncOutput struct {
	Status int
	Body   SyncResult
}
type userRunsOutput struct {
	Body struct {
		Items []wearables.SyncRun `json:"items"`
	}
}
type appRunsOutput struct {
	Body struct {
		Items []wearables.SyncRun `json:"items"`
		Next  string              `json:"next,omitempty" doc:"Cursor for the next page of users"`
	}
}
type runsInput struct {
	UserID       string `path:"user_id" maxLength:"64"`
	ConnectionID string `path:"connection_id" maxLength:"64"`
	ListParams
}
type runsOutput struct {
	Body wearables.Page[wearables.SyncRun]
}

// notificationOnly reports whether a provider's vendor forbids pulls it did
// not announce (wearables.SyncProfile.NotificationOnly: Garmin).
func (s *srv) notificationOnly(id wearables.ProviderID) bool {
	sp, ok := s.providers[id].(wearables.SyncProfiler)
	return ok && sp.SyncProfile().NotificationOnly
}

func (s *srv) registerSync() {
	tags := []string{"Sync"}
	register(s, huma.Operation{OperationID: "sync-connection", Method: http.MethodPost, Path: "/api/v1/users/{user_id}/connections/{connection_id}/sync", Tags: tags,
		Summary: "Sync a connection now (202, in the background; 200 with wait=true)", Security: keySecurity, Errors: []int{404, 409, 501}},
		func(ctx context.Context, in *syncInput) (*syncOutput, error) {
			c, err := s.appConnection(ctx, in.UserID, in.ConnectionID)
			if err != nil {
				return nil, err
			}
			if c.Status != wearables.ConnectionActive {
				return nil, newProblem(http.StatusConflict, "connection is "+string(c.Status))
			}
			if s.notificationOnly(c.Provider) {
				return nil, newProblem(http.StatusConflict, string(c.Provider)+" allows no pulls its notifications did not announce: its data arrives by webhook")
			}
			opts := syncer.Options{DataTypes: in.DataTypes, Trigger: wearables.TriggerManual}
			if !in.Wait && s.cfg.Jobs != nil {
				if err := s.cfg.Jobs.EnqueueSyncs(ctx, []string{c.ID}, wearables.TriggerManual); err != nil {
					return nil, err
				}
				s.metrics.syncs.WithLabelValues(string(c.Provider), "queued").Inc()
				return &syncOutput{Status: http.StatusAccepted, Body: SyncResult{ConnectionID: c.ID, Status: "queued"}}, nil
			}
			if s.cfg.Syncer == nil {
				return nil, newProblem(http.StatusNotImplemented, "this server runs no syncer")
			}
			if !in.Wait {
				s.bg.Add(1)
				go func() {
					defer s.bg.Done()
					bctx, cancel := context.WithTimeout(s.bgCtx, time.Hour)
					defer cancel()
					s.runSync(bctx, c, opts)
				}()
				return &syncOutput{Status: http.StatusAccepted, Body: SyncResult{ConnectionID: c.ID, Status: "started"}}, nil
			}
			res, err := s.runSync(ctx, c, opts)
			out := SyncResult{ConnectionID: c.ID, Status: "finished", RunID: res.RunID, Types: res.Types, Duration: res.Duration.Seconds()}
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return nil, err
				}
				out.Status, out.Error = "failed", firstLine(err.Error())
			}
			return &syncOutput{Status: http.StatusOK, Body: out}, nil
		})
	register(s, huma.Operation{OperationID: "backfill-connection", Method: http.MethodPost, Path: "/api/v1/users/{user_id}/connections/{connection_id}/backfill", Tags: tags,
		Summary: "Queue the history backfill of a connection (and a sync); 202", Security: keySecurity, Errors: []int{404, 409, 501}},
		func(ctx context.Context, in *connectionIDInput) (*syncOutput, error) {
			c, err := s.appConnection(ctx, in.UserID, in.ConnectionID)
			if err != nil {
				return nil, err
			}
			if s.cfg.Jobs == nil {
				return nil, newProblem(http.StatusNotImplemented, "this server runs no job queue")
			}
			if c.Status != wearables.ConnectionActive {
				return nil, newProblem(http.StatusConflict, "connection is "+string(c.Status))
			}
			if err := s.cfg.Jobs.ConnectionCreated(ctx, c); err != nil {
				return nil, err
			}
			return &syncOutput{Status: http.StatusAccepted, Body: SyncResult{ConnectionID: c.ID, Status: "queued"}}, nil
		})
	register(s, huma.Operation{OperationID: "list-user-sync-runs", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/sync-runs", Tags: tags,
		Summary: "The latest sync runs of all of a user's connections, newest first (at most 20 per connection)", Security: keySecurity, Errors: []int{404}},
		func(ctx context.Context, in *userIDInput) (*userRunsOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			out := &userRunsOutput{}
			out.Body.Items = []wearables.SyncRun{}
			q := wearables.ConnectionQuery{UserID: in.UserID}
			for {
				p, err := s.cfg.Store.ListConnections(ctx, q)
				if err != nil {
					return nil, err
				}
				for _, c := range p.Items {
					runs, err := s.cfg.Store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID, Limit: 20})
					if err != nil {
						return nil, err
					}
					out.Body.Items = append(out.Body.Items, runs.Items...)
				}
				if p.Next == "" {
					break
				}
				q.Cursor = p.Next
			}
			slices.SortStableFunc(out.Body.Items, func(a, b wearables.SyncRun) int { return b.StartedAt.Compare(a.StartedAt) })
			return out, nil
		})
	register(s, huma.Operation{OperationID: "list-app-sync-runs", Method: http.MethodGet, Path: "/api/v1/sync-runs", Tags: tags,
		Summary: "The latest sync runs across the application, a page of users at a time (at most 5 runs per connection), newest first within the page", Security: keySecurity},
		func(ctx context.Context, in *ListParams) (*appRunsOutput, error) {
			limit := in.Limit
			if limit == 0 || limit > 100 {
				limit = 100
			}
			users, err := s.cfg.Store.ListUsers(ctx, wearables.UserQuery{AppID: caller(ctx).appID, Cursor: in.Cursor, Limit: limit})
			if err != nil {
				return nil, err
			}
			out := &appRunsOutput{}
			out.Body.Items = []wearables.SyncRun{}
			out.Body.Next = users.Next
			for _, u := range users.Items {
				conns, err := s.cfg.Store.ListConnections(ctx, wearables.ConnectionQuery{UserID: u.ID})
				if err != nil {
					return nil, err
				}
				for _, c := range conns.Items {
					runs, err := s.cfg.Store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID, Limit: 5})
					if err != nil {
						return nil, err
					}
					out.Body.Items = append(out.Body.Items, runs.Items...)
				}
			}
			slices.SortStableFunc(out.Body.Items, func(a, b wearables.SyncRun) int { return b.StartedAt.Compare(a.StartedAt) })
			return out, nil
		})
	register(s, huma.Operation{OperationID: "list-sync-runs", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/connections/{connection_id}/runs", Tags: tags,
		Summary: "A connection's sync runs, newest first", Security: keySecurity, Errors: []int{404}},
		func(ctx context.Context, in *runsInput) (*runsOutput, error) {
			if _, err := s.appConnection(ctx, in.UserID, in.ConnectionID); err != nil {
				return nil, err
			}
			p, err := s.cfg.Store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: in.ConnectionID, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			if p.Items == nil {
				p.Items = []wearables.SyncRun{}
			}
			return &runsOutput{Body: p}, nil
		})
}

func (s *srv) runSync(ctx context.Context, c wearables.Connection, opts syncer.Options) (syncer.Result, error) {
	res, err := s.cfg.Syncer.SyncConnection(ctx, c.ID, opts)
	outcome := "ok"
	if err != nil {
		outcome = "failed"
		s.log.WarnContext(ctx, "sync failed", "connection_id", c.ID, "provider", string(c.Provider), "err", err.Error())
	}
	s.metrics.syncs.WithLabelValues(string(c.Provider), outcome).Inc()
	t := res.Total()
	s.metrics.syncRecords.WithLabelValues(string(c.Provider), "inserted").Add(float64(t.Inserted))
	s.metrics.syncRecords.WithLabelValues(string(c.Provider), "updated").Add(float64(t.Updated))
	s.metrics.syncRecords.WithLabelValues(string(c.Provider), "unchanged").Add(float64(t.Unchanged))
	return res, err
}
