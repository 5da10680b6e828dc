package server

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// ProviderInfo describes a configured provider.
type ProviderInfo struct {
	ID           wearables.ProviderID `json:"id"`
	DataTypes    []wearables.DataType `json:"data_types"`
	Scopes       []string             `json:"scopes"`
	PKCE         bool                 `json:"pkce"`
	Capabilities []string             `json:"capabilities" doc:"Optional capabilities: webhooks, subscriptions, backfill, revoke, user_id"`
}
type providersOutput struct {
	Body struct {
		Items []ProviderInfo `json:"items"`
	}
}

// RangeParams bound a time range.
type RangeParams struct {
	Start string `query:"start" maxLength:"40" doc:"RFC 3339 time or Unix seconds; inclusive"`
	End   string `query:"end" maxLength:"40" doc:"RFC 3339 time or Unix seconds; exclusive; defaults to now"`
}

type samplesInput struct {
	UserID string `path:"user_id" maxLength:"64"`
	Types  string `query:"types" maxLength:"1024" required:"true" doc:"Comma-separated series codes, e.g. heart_rate,steps"`
	RangeParams
	ListParams
}
type samplesOutput struct {
	Body wearables.Page[wearables.Sample]
}

type seriesInput struct {
	UserID     string `path:"user_id" maxLength:"64"`
	Types      string `query:"types" maxLength:"1024" required:"true" doc:"Comma-separated series codes, e.g. heart_rate,steps"`
	Resolution string `query:"resolution" maxLength:"16" default:"1h" doc:"Bucket width: 1m, 5m, 15m, 1h, 1d …"`
	Merged     bool   `query:"merged" doc:"Merge overlapping sources by the user's source priorities into one series per type; each bucket names its source"`
	Zone       string `query:"zone" maxLength:"64" doc:"IANA zone aligning buckets and days; defaults to the user's"`
	RangeParams
}
type seriesOutput struct {
	Body struct {
		Items []normalize.Series `json:"items"`
	}
}

type eventsInput struct {
	UserID string `path:"user_id" maxLength:"64"`
	RangeParams
	ListParams
}
type workoutsOutput struct {
	Body wearables.Page[wearables.Workout]
}
type sleepInput struct {
	UserID string `path:"user_id" maxLength:"64"`
	Merged bool   `query:"merged" doc:"Resolve overlapping sessions of several sources by the user's sleep priorities (not paged)"`
	RangeParams
	ListParams
}
type sleepOutput struct {
	Body wearables.Page[wearables.Sleep]
}
type daysInput struct {
	UserID string   `path:"user_id" maxLength:"64"`
	From   string   `query:"from" maxLength:"10" doc:"First day, YYYY-MM-DD; defaults to 29 days before to"`
	To     string   `query:"to" maxLength:"10" doc:"Last day (inclusive), YYYY-MM-DD; defaults to today (UTC)"`
	Kinds  []string `query:"kinds,explode" maxItems:"20" doc:"Only these kinds"`
	ListParams
}
type summariesOutput struct {
	Body wearables.Page[wearables.DailySummary]
}
type scoresOutput struct {
	Body wearables.Page[wearables.Score]
}
type totalsInput struct {
	UserID string `path:"user_id" maxLength:"64"`
	Type   string `query:"type" maxLength:"64" required:"true" doc:"A cumulative series code, e.g. steps"`
	From   string `query:"from" maxLength:"10"`
	To     string `query:"to" maxLength:"10"`
}
type totalsOutput struct{ Body normalize.Series }
type sourcesOutput struct {
	Body struct {
		Items []wearables.Source `json:"items"`
	}
}
type prioritiesBody struct {
	Items []wearables.SourcePriority `json:"items" maxItems:"200"`
}
type prioritiesOutput struct{ Body prioritiesBody }
type putPrioritiesInput struct {
	UserID string `path:"user_id" maxLength:"64"`
	Body   prioritiesBody
}

const (
	maxSampleSpan = 92 * 24 * time.Hour
	maxSeriesSpan = 3 * 366 * 24 * time.Hour
	maxBuckets    = 100_000
)

func (s *srv) registerData() {
	tags := []string{"Data"}
	register(s, huma.Operation{OperationID: "list-providers", Method: http.MethodGet, Path: "/api/v1/providers", Tags: []string{"Connections"},
		Summary: "List the providers users can connect, with capabilities and data types", Security: keySecurity},
		func(ctx context.Context, _ *struct{}) (*providersOutput, error) {
			out := &providersOutput{}
			out.Body.Items = []ProviderInfo{}
			for _, p := range s.cfg.Providers {
				spec := p.OAuth()
				info := ProviderInfo{ID: p.ID(), DataTypes: p.DataTypes(), Scopes: spec.Scopes, PKCE: spec.PKCE, Capabilities: []string{}}
				if info.Scopes == nil {
					info.Scopes = []string{}
				}
				if _, ok := p.(wearables.WebhookHandler); ok {
					info.Capabilities = append(info.Capabilities, "webhooks")
				}
				if _, ok := p.(wearables.SubscriptionManager); ok {
					info.Capabilities = append(info.Capabilities, "subscriptions")
				}
				if _, ok := p.(wearables.BackfillRequester); ok {
					info.Capabilities = append(info.Capabilities, "backfill")
				}
				if _, ok := p.(wearables.Revoker); ok {
					info.Capabilities = append(info.Capabilities, "revoke")
				}
				if _, ok := p.(wearables.ProviderUserIDReader); ok {
					info.Capabilities = append(info.Capabilities, "user_id")
				}
				out.Body.Items = append(out.Body.Items, info)
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "list-samples", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/samples", Tags: tags,
		Summary: "Raw samples of some series types in a time range (at most 92 days), paged", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *samplesInput) (*samplesOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			types, err := parseTypes(in.Types)
			if err != nil {
				return nil, err
			}
			start, end, err := parseRange(in.Start, in.End, s.cfg.Now(), 24*time.Hour, maxSampleSpan)
			if err != nil {
				return nil, err
			}
			p, err := s.cfg.Store.QuerySamples(ctx, wearables.SampleQuery{UserID: in.UserID, Types: types, Start: start, End: end, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			if p.Items == nil {
				p.Items = []wearables.Sample{}
			}
			return &samplesOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "get-series", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/series", Tags: tags,
		Summary: "Time series resampled to a resolution, per source or merged by source priority", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *seriesInput) (*seriesOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			types, err := parseTypes(in.Types)
			if err != nil {
				return nil, err
			}
			res, err := normalize.ParseResolution(in.Resolution)
			if err != nil {
				return nil, &wearables.ValidationError{Index: -1, Field: "resolution", Reason: "not a bucket width like 1m, 15m, 1h or 1d"}
			}
			start, end, err := parseRange(in.Start, in.End, s.cfg.Now(), 24*time.Hour, maxSeriesSpan)
			if err != nil {
				return nil, err
			}
			if end.Sub(start)/time.Duration(res) > maxBuckets {
				return nil, &wearables.ValidationError{Index: -1, Field: "resolution", Reason: "too many buckets; use a coarser resolution or a shorter range"}
			}
			var zone *time.Location
			if in.Zone != "" {
				if zone, err = time.LoadLocation(in.Zone); err != nil {
					return nil, &wearables.ValidationError{Index: -1, Field: "zone", Reason: "unknown time zone"}
				}
			}
			out := &seriesOutput{}
			out.Body.Items = []normalize.Series{}
			for _, t := range types {
				ss, err := normalize.QuerySeries(ctx, s.cfg.Store, normalize.SeriesQuery{UserID: in.UserID, Type: t, Start: start, End: end, Resolution: res, Zone: zone, Merged: in.Merged})
				if err != nil {
					return nil, err
				}
				out.Body.Items = append(out.Body.Items, ss...)
			}
			for i := range out.Body.Items {
				fillSeries(&out.Body.Items[i])
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "daily-totals", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/daily-totals", Tags: tags,
		Summary: "Daily totals of a cumulative series, merged by source priority", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *totalsInput) (*totalsOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			types, err := parseTypes(in.Type)
			if err != nil || len(types) != 1 {
				return nil, &wearables.ValidationError{Index: -1, Field: "type", Reason: "one series code is required"}
			}
			from, to, err := parseDates(in.From, in.To, s.cfg.Now())
			if err != nil {
				return nil, err
			}
			ser, err := normalize.QueryDailyTotals(ctx, s.cfg.Store, normalize.DailyQuery{UserID: in.UserID, Type: types[0], From: from, To: to})
			if err != nil {
				return nil, err
			}
			fillSeries(&ser)
			return &totalsOutput{Body: ser}, nil
		})
	register(s, huma.Operation{OperationID: "list-workouts", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/workouts", Tags: tags,
		Summary: "Workouts starting in a time range (default: the last 30 days), paged", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *eventsInput) (*workoutsOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			start, end, err := parseRange(in.Start, in.End, s.cfg.Now(), 30*24*time.Hour, maxSeriesSpan)
			if err != nil {
				return nil, err
			}
			p, err := s.cfg.Store.QueryWorkouts(ctx, wearables.EventQuery{UserID: in.UserID, Start: start, End: end, Cursor: in.Cursor, Limit: min(in.Limit, 1000)})
			if err != nil {
				return nil, err
			}
			if p.Items == nil {
				p.Items = []wearables.Workout{}
			}
			return &workoutsOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "list-sleep", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/sleep", Tags: tags,
		Summary: "Sleep sessions starting in a time range (default: the last 30 days), paged unless merged", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *sleepInput) (*sleepOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			start, end, err := parseRange(in.Start, in.End, s.cfg.Now(), 30*24*time.Hour, maxSeriesSpan)
			if err != nil {
				return nil, err
			}
			if in.Merged {
				if end.Sub(start) > maxSampleSpan {
					return nil, &wearables.ValidationError{Index: -1, Field: "start", Reason: "merged sleep covers at most 92 days"}
				}
				ss, err := normalize.QuerySleep(ctx, s.cfg.Store, normalize.SleepQuery{UserID: in.UserID, Start: start, End: end, Merged: true})
				if err != nil {
					return nil, err
				}
				if ss == nil {
					ss = []wearables.Sleep{}
				}
				return &sleepOutput{Body: wearables.Page[wearables.Sleep]{Items: ss}}, nil
			}
			p, err := s.cfg.Store.QuerySleep(ctx, wearables.EventQuery{UserID: in.UserID, Start: start, End: end, Cursor: in.Cursor, Limit: min(in.Limit, 1000)})
			if err != nil {
				return nil, err
			}
			if p.Items == nil {
				p.Items = []wearables.Sleep{}
			}
			return &sleepOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "list-summaries", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/summaries", Tags: tags,
		Summary: "Daily summaries (activity, sleep, body) of a range of days, paged", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *daysInput) (*summariesOutput, error) {
			q, err := s.dayQuery(ctx, in)
			if err != nil {
				return nil, err
			}
			p, err := s.cfg.Store.QuerySummaries(ctx, q)
			if err != nil {
				return nil, err
			}
			if p.Items == nil {
				p.Items = []wearables.DailySummary{}
			}
			return &summariesOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "list-scores", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/scores", Tags: tags,
		Summary: "Vendor scores (readiness, recovery, sleep score …) of a range of days, paged", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *daysInput) (*scoresOutput, error) {
			q, err := s.dayQuery(ctx, in)
			if err != nil {
				return nil, err
			}
			p, err := s.cfg.Store.QueryScores(ctx, q)
			if err != nil {
				return nil, err
			}
			if p.Items == nil {
				p.Items = []wearables.Score{}
			}
			return &scoresOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "list-sources", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/sources", Tags: tags,
		Summary: "The data sources (provider, device, app) a user's records came from", Security: keySecurity, Errors: []int{404}},
		func(ctx context.Context, in *userIDInput) (*sourcesOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			src, err := s.cfg.Store.ListSources(ctx, in.UserID)
			if err != nil {
				return nil, err
			}
			out := &sourcesOutput{}
			out.Body.Items = append([]wearables.Source{}, src...)
			return out, nil
		})
	register(s, huma.Operation{OperationID: "get-priorities", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/priorities", Tags: tags,
		Summary: "A user's source priorities", Security: keySecurity, Errors: []int{404}},
		func(ctx context.Context, in *userIDInput) (*prioritiesOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			ps, err := s.cfg.Store.GetSourcePriorities(ctx, in.UserID)
			if err != nil {
				return nil, err
			}
			return &prioritiesOutput{Body: prioritiesBody{Items: fillPriorities(ps)}}, nil
		})
	register(s, huma.Operation{OperationID: "put-priorities", Method: http.MethodPut, Path: "/api/v1/users/{user_id}/priorities", Tags: tags,
		Summary: "Replace a user's source priorities", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *putPrioritiesInput) (*prioritiesOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			if err := wearables.ValidatePriorities(in.Body.Items); err != nil {
				return nil, err
			}
			if err := s.cfg.Store.SetSourcePriorities(ctx, in.UserID, in.Body.Items); err != nil {
				return nil, err
			}
			return &prioritiesOutput{Body: prioritiesBody{Items: fillPriorities(in.Body.Items)}}, nil
		})
}

func (s *srv) dayQuery(ctx context.Context, in *daysInput) (wearables.DayQuery, error) {
	if _, err := s.appUser(ctx, in.UserID); err != nil {
		return wearables.DayQuery{}, err
	}
	from, to, err := parseDates(in.From, in.To, s.cfg.Now())
	if err != nil {
		return wearables.DayQuery{}, err
	}
	return wearables.DayQuery{UserID: in.UserID, From: from, To: to, Kinds: in.Kinds, Cursor: in.Cursor, Limit: min(in.Limit, 1000)}, nil
}

// fillSeries replaces nil slices by empty ones, so the JSON has arrays.
func fillSeries(s *normalize.Series) {
	if s.Sources == nil {
		s.Sources = []wearables.Source{}
	}
	if s.Buckets == nil {
		s.Buckets = []normalize.Bucket{}
	}
}

func fillPriorities(ps []wearables.SourcePriority) []wearables.SourcePriority {
	out := slices.Clone(ps)
	if out == nil {
		out = []wearables.SourcePriority{}
	}
	for i := range out {
		if out[i].Providers == nil {
			out[i].Providers = []wearables.ProviderID{}
		}
	}
	return out
}
