package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

// UserBody is the writable part of a user.
type UserBody struct {
	ExternalID string `json:"external_id,omitempty" maxLength:"255" doc:"Your own id for the user; unique within the application"`
	TimeZone   string `json:"time_zone,omitempty" maxLength:"64" doc:"IANA zone, e.g. Europe/Warsaw; empty means UTC" example:"Europe/Warsaw"`
}

type createUserInput struct{ Body UserBody }
type userOutput struct{ Body wearables.User }
type userIDInput struct {
	UserID string `path:"user_id" maxLength:"64"`
}
type updateUserInput struct {
	UserID string `path:"user_id" maxLength:"64"`
	Body   UserBody
}
type listUsersInput struct {
	ExternalID string `query:"external_id" maxLength:"255" doc:"Find the user with this external id"`
	ListParams
}
type usersOutput struct {
	Body wearables.Page[wearables.User]
}
type connectionsInput struct {
	UserID string `path:"user_id" maxLength:"64"`
	ListParams
}
type connectionsOutput struct {
	Body wearables.Page[wearables.Connection]
}
type connectionIDInput struct {
	UserID       string `path:"user_id" maxLength:"64"`
	ConnectionID string `path:"connection_id" maxLength:"64"`
}
type connectionOutput struct{ Body wearables.Connection }

// PushToken is a short-lived token a phone uses to push one user's
// HealthKit or Health Connect data.
type PushToken struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}
type pushTokenOutput struct{ Body PushToken }

// DeleteResult says what a purge removed.
type DeleteResult struct {
	UserID         string   `json:"user_id"`
	Disconnected   []string `json:"disconnected" doc:"Connections revoked at their vendor before the purge"`
	RevokeFailures []string `json:"revoke_failures,omitempty" doc:"Connections whose vendor revocation failed; their tokens were deleted all the same"`
}
type deleteOutput struct{ Body DeleteResult }

func (s *srv) registerUsers() {
	tags := []string{"Users"}
	register(s, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/api/v1/users", Tags: tags,
		Summary: "Create a user", Security: keySecurity, DefaultStatus: 201, Errors: []int{409, 422}},
		func(ctx context.Context, in *createUserInput) (*userOutput, error) {
			u := wearables.User{AppID: caller(ctx).appID, ExternalID: in.Body.ExternalID, TimeZone: in.Body.TimeZone}
			if err := s.cfg.Store.CreateUser(ctx, &u); err != nil {
				return nil, err
			}
			return &userOutput{Body: u}, nil
		})
	register(s, huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/api/v1/users", Tags: tags,
		Summary: "List users, or find one by external id", Security: keySecurity},
		func(ctx context.Context, in *listUsersInput) (*usersOutput, error) {
			app := caller(ctx).appID
			if in.ExternalID != "" {
				u, err := s.cfg.Store.GetUserByExternalID(ctx, app, in.ExternalID)
				if errors.Is(err, wearables.ErrNotFound) {
					return &usersOutput{Body: wearables.Page[wearables.User]{Items: []wearables.User{}}}, nil
				}
				if err != nil {
					return nil, err
				}
				return &usersOutput{Body: wearables.Page[wearables.User]{Items: []wearables.User{u}}}, nil
			}
			p, err := s.cfg.Store.ListUsers(ctx, wearables.UserQuery{AppID: app, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			if p.Items == nil {
				p.Items = []wearables.User{}
			}
			return &usersOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "get-user", Method: http.MethodGet, Path: "/api/v1/users/{user_id}", Tags: tags,
		Summary: "Get a user", Security: keySecurity, Errors: []int{404}},
		func(ctx context.Context, in *userIDInput) (*userOutput, error) {
			u, err := s.appUser(ctx, in.UserID)
			if err != nil {
				return nil, err
			}
			return &userOutput{Body: u}, nil
		})
	register(s, huma.Operation{OperationID: "update-user", Method: http.MethodPut, Path: "/api/v1/users/{user_id}", Tags: tags,
		Summary: "Replace a user's external id and time zone", Security: keySecurity, Errors: []int{404, 409, 422}},
		func(ctx context.Context, in *updateUserInput) (*userOutput, error) {
			u, err := s.appUser(ctx, in.UserID)
			if err != nil {
				return nil, err
			}
			u.ExternalID, u.TimeZone = in.Body.ExternalID, in.Body.TimeZone
			if err := s.cfg.Store.UpdateUser(ctx, u); err != nil {
				return nil, err
			}
			return &userOutput{Body: u}, nil
		})
	register(s, huma.Operation{OperationID: "delete-user", Method: http.MethodDelete, Path: "/api/v1/users/{user_id}", Tags: tags,
		Summary: "Purge a user: revoke every connection at its vendor, then delete the user and all of its data", Security: keySecurity, Errors: []int{404}},
		func(ctx context.Context, in *userIDInput) (*deleteOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			res := DeleteResult{UserID: in.UserID, Disconnected: []string{}}
			q := wearables.ConnectionQuery{UserID: in.UserID}
			for {
				p, err := s.cfg.Store.ListConnections(ctx, q)
				if err != nil {
					return nil, err
				}
				for _, c := range p.Items {
					if c.Status == wearables.ConnectionRevoked {
						continue
					}
					err := s.cfg.Flow.Disconnect(ctx, c.ID)
					switch {
					case errors.Is(err, oauthflow.ErrRevokeFailed):
						res.RevokeFailures = append(res.RevokeFailures, c.ID)
					case err != nil && !errors.Is(err, wearables.ErrNotFound):
						return nil, err
					}
					res.Disconnected = append(res.Disconnected, c.ID)
				}
				if p.Next == "" {
					break
				}
				q.Cursor = p.Next
			}
			if err := s.cfg.Store.DeleteUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			s.log.InfoContext(ctx, "user purged", "user_id", in.UserID, "connections", len(res.Disconnected))
			return &deleteOutput{Body: res}, nil
		})
	register(s, huma.Operation{OperationID: "list-connections", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/connections", Tags: tags,
		Summary: "List a user's connections", Security: keySecurity, Errors: []int{404}},
		func(ctx context.Context, in *connectionsInput) (*connectionsOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			p, err := s.cfg.Store.ListConnections(ctx, wearables.ConnectionQuery{UserID: in.UserID, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			if p.Items == nil {
				p.Items = []wearables.Connection{}
			}
			return &connectionsOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "get-connection", Method: http.MethodGet, Path: "/api/v1/users/{user_id}/connections/{connection_id}", Tags: tags,
		Summary: "Get a connection", Security: keySecurity, Errors: []int{404}},
		func(ctx context.Context, in *connectionIDInput) (*connectionOutput, error) {
			c, err := s.appConnection(ctx, in.UserID, in.ConnectionID)
			if err != nil {
				return nil, err
			}
			return &connectionOutput{Body: c}, nil
		})
	register(s, huma.Operation{OperationID: "disconnect", Method: http.MethodDelete, Path: "/api/v1/users/{user_id}/connections/{connection_id}", Tags: tags,
		Summary: "Disconnect: revoke the token at the vendor and delete it; records stay", Security: keySecurity, Errors: []int{404, 502}},
		func(ctx context.Context, in *connectionIDInput) (*connectionOutput, error) {
			if _, err := s.appConnection(ctx, in.UserID, in.ConnectionID); err != nil {
				return nil, err
			}
			err := s.cfg.Flow.Disconnect(ctx, in.ConnectionID)
			if err != nil && !errors.Is(err, oauthflow.ErrRevokeFailed) && !errors.Is(err, wearables.ErrNotFound) {
				return nil, err
			}
			if err != nil {
				s.log.WarnContext(ctx, "disconnect: vendor revocation failed; token deleted locally", "connection_id", in.ConnectionID)
			}
			c, gerr := s.cfg.Store.GetConnection(ctx, in.ConnectionID)
			if gerr != nil {
				return nil, gerr
			}
			return &connectionOutput{Body: c}, nil
		})
	register(s, huma.Operation{OperationID: "create-push-token", Method: http.MethodPost, Path: "/api/v1/users/{user_id}/push-tokens", Tags: []string{"Push"},
		Summary: "Mint a short-lived token that lets a phone push this user's HealthKit / Health Connect data", Security: keySecurity, DefaultStatus: 201, Errors: []int{404}},
		func(ctx context.Context, in *userIDInput) (*pushTokenOutput, error) {
			if _, err := s.appUser(ctx, in.UserID); err != nil {
				return nil, err
			}
			tok, exp, err := s.jwt.sign(jwtAudiencePush, in.UserID, s.cfg.PushTokenTTL, false, caller(ctx).appID)
			if err != nil {
				return nil, err
			}
			return &pushTokenOutput{Body: PushToken{Token: tok, ExpiresAt: exp.UTC().Truncate(time.Second)}}, nil
		})
}

// appUser returns the user if it belongs to the caller's application;
// otherwise 404.
func (s *srv) appUser(ctx context.Context, id string) (wearables.User, error) {
	u, err := s.cfg.Store.GetUser(ctx, id)
	if errors.Is(err, wearables.ErrNotFound) || (err == nil && (u.AppID == "" || u.AppID != caller(ctx).appID)) {
		return wearables.User{}, notFound("user")
	}
	return u, err
}

// appConnection returns the connection if it belongs to the user and the
// user to the caller's application; otherwise 404.
func (s *srv) appConnection(ctx context.Context, userID, connID string) (wearables.Connection, error) {
	if _, err := s.appUser(ctx, userID); err != nil {
		return wearables.Connection{}, err
	}
	c, err := s.cfg.Store.GetConnection(ctx, connID)
	if errors.Is(err, wearables.ErrNotFound) || (err == nil && c.UserID != userID) {
		return wearables.Connection{}, notFound("connection")
	}
	return c, err
}
