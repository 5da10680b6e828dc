package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

type authorizeInput struct {
	Provider string `path:"provider" maxLength:"64"`
	Body     struct {
		UserID           string `json:"user_id" minLength:"1" maxLength:"64"`
		RedirectURI      string `json:"redirect_uri,omitempty" maxLength:"2048" doc:"Where to send the user after success; must be one of the application's redirect URIs"`
		ErrorRedirectURI string `json:"error_redirect_uri,omitempty" maxLength:"2048" doc:"Where to send the user after a failure; defaults to redirect_uri; must be one of the application's redirect URIs"`
	}
}

// Authorization is where to send the end user to connect a provider.
type Authorization struct {
	URL       string    `json:"url" doc:"The vendor's authorize URL"`
	ExpiresAt time.Time `json:"expires_at" doc:"The authorization must complete before this instant"`
}
type authorizeOutput struct{ Body Authorization }

type callbackInput struct {
	Provider         string `path:"provider" maxLength:"64"`
	State            string `query:"state" maxLength:"512"`
	Code             string `query:"code" maxLength:"4096"`
	Error            string `query:"error" maxLength:"256"`
	ErrorDescription string `query:"error_description" maxLength:"1024"`
	Scope            string `query:"scope" maxLength:"1024"`
}

// CallbackResult is the callback's answer when the authorization named no
// redirect URI.
type CallbackResult struct {
	ConnectionID string               `json:"connection_id"`
	UserID       string               `json:"user_id"`
	Provider     wearables.ProviderID `json:"provider"`
}
type callbackOutput struct {
	Status   int
	Location string `header:"Location"`
	Body     *CallbackResult
}

// returnState is what the server remembers about an authorization: the
// application's redirects. It is kept in the AuthStateStore under a hash
// of the state, next to oauthflow's own record.
type returnState struct {
	AppID   string `json:"app"`
	UserID  string `json:"user"`
	Success string `json:"ok,omitempty"`
	Failure string `json:"err,omitempty"`
}

func returnKey(state string) string { return "server-return:" + HashSecret(state) }

func (s *srv) registerOAuth() {
	tags := []string{"Connections"}
	register(s, huma.Operation{OperationID: "authorize", Method: http.MethodPost, Path: "/api/v1/oauth/{provider}/authorize", Tags: tags,
		Summary: "Start connecting a user to a provider: returns the vendor URL to send the user to", Security: keySecurity, Errors: []int{404, 422}},
		func(ctx context.Context, in *authorizeInput) (*authorizeOutput, error) {
			pid := wearables.ProviderID(in.Provider)
			if _, ok := s.providers[pid]; !ok {
				return nil, notFound("provider")
			}
			u, err := s.appUser(ctx, in.Body.UserID)
			if err != nil {
				return nil, err
			}
			app, err := s.cfg.Tenants.GetApp(ctx, u.AppID)
			if err != nil {
				return nil, err
			}
			rs := returnState{AppID: app.ID, UserID: u.ID, Success: in.Body.RedirectURI, Failure: in.Body.ErrorRedirectURI}
			if rs.Failure == "" {
				rs.Failure = rs.Success
			}
			for field, uri := range map[string]string{"redirect_uri": rs.Success, "error_redirect_uri": rs.Failure} {
				if uri != "" && !slices.Contains(app.RedirectURIs, uri) {
					return nil, &wearables.ValidationError{Index: -1, Field: field, Reason: "not one of the application's redirect URIs"}
				}
			}
			res, err := s.cfg.Flow.Begin(ctx, oauthflow.BeginRequest{UserID: u.ID, Provider: pid, RedirectURI: s.callback(pid)})
			if err != nil {
				return nil, err
			}
			data, _ := json.Marshal(rs) // plain strings always marshal
			if err := s.cfg.Store.PutAuthState(ctx, wearables.AuthState{Key: returnKey(res.State), Data: data, ExpiresAt: res.ExpiresAt}); err != nil {
				return nil, err
			}
			return &authorizeOutput{Body: Authorization{URL: res.URL, ExpiresAt: res.ExpiresAt.UTC()}}, nil
		})
	register(s, huma.Operation{OperationID: "oauth-callback", Method: http.MethodGet, Path: "/api/v1/oauth/{provider}/callback", Tags: tags,
		Summary: "The vendor's redirect target: completes the connection and sends the user back to the application",
		Description: "Redirects (302) to the application's redirect URI with connection_id, user_id and provider, or to its error redirect URI with error; " +
			"answers JSON when the authorization named no redirect URI.",
		Errors: []int{400, 404},
		Responses: map[string]*huma.Response{"302": {Description: "Back to the application's redirect URI",
			Headers: map[string]*huma.Param{"Location": {Schema: &huma.Schema{Type: "string", Format: "uri"}}}}}},
		func(ctx context.Context, in *callbackInput) (*callbackOutput, error) {
			pid := wearables.ProviderID(in.Provider)
			if _, ok := s.providers[pid]; !ok {
				return nil, notFound("provider")
			}
			if in.State == "" {
				return nil, newProblem(http.StatusBadRequest, "missing state")
			}
			var rs returnState
			st, err := s.cfg.Store.TakeAuthState(ctx, returnKey(in.State))
			if err == nil {
				_ = json.Unmarshal(st.Data, &rs)
			}
			if in.Error != "" {
				return s.callbackFailure(rs, in.Error)
			}
			if err != nil {
				if errors.Is(err, wearables.ErrNotFound) {
					return nil, newProblem(http.StatusBadRequest, "unknown, used or expired state")
				}
				return nil, err
			}
			if in.Code == "" {
				return s.callbackFailure(rs, "invalid_request")
			}
			req := oauthflow.CompleteRequest{Provider: pid, State: in.State, Code: in.Code, RedirectURI: s.callback(pid)}
			if s.cfg.Jobs != nil {
				// The first sync and backfill jobs commit with the
				// connection's activation: no active connection without them.
				req.Activate = s.cfg.Jobs.ActivateConnection
			}
			conn, err := s.cfg.Flow.Complete(ctx, req)
			if err != nil {
				s.log.WarnContext(ctx, "oauth callback failed", "provider", string(pid), "err", err.Error())
				if rs.Failure != "" {
					kind := "server_error"
					if errors.Is(err, wearables.ErrInvalid) {
						kind = "invalid_request"
					}
					return s.callbackFailure(rs, kind)
				}
				return nil, err
			}
			s.log.InfoContext(ctx, "connected", "provider", string(pid), "user_id", conn.UserID, "connection_id", conn.ID)
			res := CallbackResult{ConnectionID: conn.ID, UserID: conn.UserID, Provider: pid}
			if rs.Success == "" {
				return &callbackOutput{Status: http.StatusOK, Body: &res}, nil
			}
			return &callbackOutput{Status: http.StatusFound, Location: withQuery(rs.Success, url.Values{
				"connection_id": {conn.ID}, "user_id": {conn.UserID}, "provider": {string(pid)}})}, nil
		})
}

// callbackFailure sends the user to the application's error redirect, or
// answers 400 when there is none. code is an OAuth error code, never a
// vendor's free text.
func (s *srv) callbackFailure(rs returnState, code string) (*callbackOutput, error) {
	switch code {
	case "access_denied", "invalid_request", "server_error", "temporarily_unavailable", "invalid_scope":
	default:
		code = "server_error"
	}
	if rs.Failure == "" {
		return nil, newProblem(http.StatusBadRequest, "authorization failed: "+code)
	}
	return &callbackOutput{Status: http.StatusFound, Location: withQuery(rs.Failure, url.Values{"error": {code}})}, nil
}

func withQuery(raw string, add url.Values) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k, vs := range add {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}
