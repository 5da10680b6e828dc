package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/wearables-go/wearables"
)

var (
	devSecurity  = []map[string][]string{{schemeDeveloper: {}}}
	keySecurity  = []map[string][]string{{schemeAPIKey: {}}}
	pushSecurity = []map[string][]string{{schemePush: {}}}
)

// TokenResponse is a developer's login session.
type TokenResponse struct {
	AccessToken  string    `json:"access_token" doc:"Short-lived JWT for the Authorization header"`
	TokenType    string    `json:"token_type" enum:"Bearer"`
	ExpiresAt    time.Time `json:"expires_at"`
	RefreshToken string    `json:"refresh_token" doc:"Single use: exchange it at /api/v1/auth/refresh for a new pair"`
}

type loginInput struct {
	Body struct {
		Email    string `json:"email" format:"email" maxLength:"254"`
		Password string `json:"password" minLength:"1" maxLength:"72"`
	}
}

type refreshInput struct {
	Body struct {
		RefreshToken string `json:"refresh_token" minLength:"1" maxLength:"200"`
	}
}

type tokenOutput struct{ Body TokenResponse }

type createDeveloperInput struct {
	Body struct {
		Email    string `json:"email" format:"email" maxLength:"254"`
		Password string `json:"password" minLength:"10" maxLength:"72"`
		Admin    bool   `json:"admin,omitempty"`
	}
}

type developerOutput struct{ Body wearables.Developer }

// AppBody is an application as the API shows it.
type AppBody struct {
	Name         string   `json:"name" minLength:"1" maxLength:"200"`
	RedirectURIs []string `json:"redirect_uris,omitempty" maxItems:"50" doc:"Where the OAuth callback may send end users back to (exact match)"`
}

type createAppInput struct{ Body AppBody }
type appOutput struct{ Body wearables.App }
type appIDInput struct {
	AppID string `path:"app_id" maxLength:"64"`
}
type updateAppInput struct {
	AppID string `path:"app_id" maxLength:"64"`
	Body  AppBody
}

// ListParams are the paging parameters of every list.
type ListParams struct {
	Cursor string `query:"cursor" maxLength:"512" doc:"Opaque cursor from the previous page's next"`
	Limit  int    `query:"limit" minimum:"0" maximum:"10000" doc:"Page size; 0 means the default"`
}
type appsOutput struct {
	Body wearables.Page[wearables.App]
}

// NewKey is an API key as returned once at creation.
type NewKey struct {
	Key    string           `json:"key" doc:"The API key. It is shown only this once."`
	APIKey wearables.APIKey `json:"api_key"`
}

type createKeyInput struct {
	AppID string `path:"app_id" maxLength:"64"`
	Body  struct {
		Name string `json:"name,omitempty" maxLength:"200"`
	}
}
type keyIDInput struct {
	AppID string `path:"app_id" maxLength:"64"`
	KeyID string `path:"key_id" maxLength:"64"`
}
type keysInput struct {
	AppID string `path:"app_id" maxLength:"64"`
	ListParams
}
type newKeyOutput struct{ Body NewKey }
type keysOutput struct {
	Body wearables.Page[wearables.APIKey]
}
type keyOutput struct{ Body wearables.APIKey }

func validRedirects(uris []string) error {
	for _, u := range uris {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" || p.Fragment != "" {
			return &wearables.ValidationError{Index: -1, Field: "redirect_uris", Reason: "not an absolute http(s) URL without fragment: " + u}
		}
	}
	return nil
}

func (s *srv) registerAuth() {
	register(s, huma.Operation{OperationID: "login", Method: http.MethodPost, Path: "/api/v1/auth/login", Tags: []string{"Developers"},
		Summary: "Log in as a developer", Errors: []int{401}},
		func(ctx context.Context, in *loginInput) (*tokenOutput, error) {
			email := strings.ToLower(strings.TrimSpace(in.Body.Email))
			d, err := s.cfg.Tenants.GetDeveloperByEmail(ctx, email)
			if errors.Is(err, wearables.ErrNotFound) {
				CheckPassword(string(dummyHash()), in.Body.Password)
				return nil, newProblem(http.StatusUnauthorized, "wrong email or password")
			}
			if err != nil {
				return nil, err
			}
			if !CheckPassword(d.PasswordHash, in.Body.Password) {
				return nil, newProblem(http.StatusUnauthorized, "wrong email or password")
			}
			return s.issue(ctx, d)
		})
	register(s, huma.Operation{OperationID: "refresh-token", Method: http.MethodPost, Path: "/api/v1/auth/refresh", Tags: []string{"Developers"},
		Summary: "Exchange a refresh token for a new access and refresh token", Errors: []int{401}},
		func(ctx context.Context, in *refreshInput) (*tokenOutput, error) {
			rt, err := s.cfg.Tenants.TakeRefreshToken(ctx, HashSecret(in.Body.RefreshToken))
			if errors.Is(err, wearables.ErrNotFound) {
				return nil, newProblem(http.StatusUnauthorized, "unknown, used or expired refresh token")
			}
			if err != nil {
				return nil, err
			}
			d, err := s.cfg.Tenants.GetDeveloper(ctx, rt.DeveloperID)
			if err != nil {
				return nil, newProblem(http.StatusUnauthorized, "unknown developer")
			}
			return s.issue(ctx, d)
		})
	register(s, huma.Operation{OperationID: "create-developer", Method: http.MethodPost, Path: "/api/v1/developers", Tags: []string{"Developers"},
		Summary: "Create a developer (admins only)", Security: devSecurity, DefaultStatus: 201, Errors: []int{403, 409}},
		func(ctx context.Context, in *createDeveloperInput) (*developerOutput, error) {
			if !caller(ctx).admin {
				return nil, newProblem(http.StatusForbidden, "only admins create developers")
			}
			h, err := HashPassword(in.Body.Password)
			if err != nil {
				return nil, err
			}
			d := wearables.Developer{Email: strings.ToLower(strings.TrimSpace(in.Body.Email)), PasswordHash: h, Admin: in.Body.Admin}
			if err := s.cfg.Tenants.CreateDeveloper(ctx, &d); err != nil {
				return nil, err
			}
			return &developerOutput{Body: d}, nil
		})

	register(s, huma.Operation{OperationID: "list-apps", Method: http.MethodGet, Path: "/api/v1/apps", Tags: []string{"Applications"},
		Summary: "List your applications", Security: devSecurity},
		func(ctx context.Context, in *ListParams) (*appsOutput, error) {
			p, err := s.cfg.Tenants.ListApps(ctx, wearables.ListQuery{OwnerID: caller(ctx).developerID, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return &appsOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "create-app", Method: http.MethodPost, Path: "/api/v1/apps", Tags: []string{"Applications"},
		Summary: "Create an application", Security: devSecurity, DefaultStatus: 201},
		func(ctx context.Context, in *createAppInput) (*appOutput, error) {
			if err := validRedirects(in.Body.RedirectURIs); err != nil {
				return nil, err
			}
			a := wearables.App{DeveloperID: caller(ctx).developerID, Name: in.Body.Name, RedirectURIs: in.Body.RedirectURIs}
			if err := s.cfg.Tenants.CreateApp(ctx, &a); err != nil {
				return nil, err
			}
			return &appOutput{Body: a}, nil
		})
	register(s, huma.Operation{OperationID: "get-app", Method: http.MethodGet, Path: "/api/v1/apps/{app_id}", Tags: []string{"Applications"},
		Summary: "Get an application", Security: devSecurity, Errors: []int{404}},
		func(ctx context.Context, in *appIDInput) (*appOutput, error) {
			a, err := s.ownApp(ctx, in.AppID)
			if err != nil {
				return nil, err
			}
			return &appOutput{Body: a}, nil
		})
	register(s, huma.Operation{OperationID: "update-app", Method: http.MethodPut, Path: "/api/v1/apps/{app_id}", Tags: []string{"Applications"},
		Summary: "Rename an application or replace its redirect URIs", Security: devSecurity, Errors: []int{404}},
		func(ctx context.Context, in *updateAppInput) (*appOutput, error) {
			a, err := s.ownApp(ctx, in.AppID)
			if err != nil {
				return nil, err
			}
			if err := validRedirects(in.Body.RedirectURIs); err != nil {
				return nil, err
			}
			a.Name, a.RedirectURIs = in.Body.Name, in.Body.RedirectURIs
			if a.RedirectURIs == nil {
				a.RedirectURIs = []string{}
			}
			if err := s.cfg.Tenants.UpdateApp(ctx, a); err != nil {
				return nil, err
			}
			return &appOutput{Body: a}, nil
		})
	register(s, huma.Operation{OperationID: "list-keys", Method: http.MethodGet, Path: "/api/v1/apps/{app_id}/keys", Tags: []string{"Applications"},
		Summary: "List an application's API keys (revoked ones included)", Security: devSecurity, Errors: []int{404}},
		func(ctx context.Context, in *keysInput) (*keysOutput, error) {
			if _, err := s.ownApp(ctx, in.AppID); err != nil {
				return nil, err
			}
			p, err := s.cfg.Tenants.ListAPIKeys(ctx, wearables.ListQuery{OwnerID: in.AppID, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return &keysOutput{Body: p}, nil
		})
	register(s, huma.Operation{OperationID: "create-key", Method: http.MethodPost, Path: "/api/v1/apps/{app_id}/keys", Tags: []string{"Applications"},
		Summary: "Create an API key; the key is shown only in this response", Security: devSecurity, DefaultStatus: 201, Errors: []int{404}},
		func(ctx context.Context, in *createKeyInput) (*newKeyOutput, error) {
			if _, err := s.ownApp(ctx, in.AppID); err != nil {
				return nil, err
			}
			key, rec, err := CreateAPIKey(ctx, s.cfg.Tenants, in.AppID, in.Body.Name)
			if err != nil {
				return nil, err
			}
			return &newKeyOutput{Body: NewKey{Key: key, APIKey: rec}}, nil
		})
	register(s, huma.Operation{OperationID: "revoke-key", Method: http.MethodDelete, Path: "/api/v1/apps/{app_id}/keys/{key_id}", Tags: []string{"Applications"},
		Summary: "Revoke an API key", Security: devSecurity, Errors: []int{404}},
		func(ctx context.Context, in *keyIDInput) (*keyOutput, error) {
			k, err := s.ownKey(ctx, in.AppID, in.KeyID)
			if err != nil {
				return nil, err
			}
			if err := s.cfg.Tenants.RevokeAPIKey(ctx, k.ID, s.cfg.Now()); err != nil {
				return nil, err
			}
			k, err = s.cfg.Tenants.GetAPIKey(ctx, k.ID)
			if err != nil {
				return nil, err
			}
			return &keyOutput{Body: k}, nil
		})
	register(s, huma.Operation{OperationID: "rotate-key", Method: http.MethodPost, Path: "/api/v1/apps/{app_id}/keys/{key_id}/rotate", Tags: []string{"Applications"},
		Summary: "Replace an API key by a new one and revoke the old one", Security: devSecurity, DefaultStatus: 201, Errors: []int{404}},
		func(ctx context.Context, in *keyIDInput) (*newKeyOutput, error) {
			k, err := s.ownKey(ctx, in.AppID, in.KeyID)
			if err != nil {
				return nil, err
			}
			key, rec, err := RotateAPIKey(ctx, s.cfg.Tenants, k, s.cfg.Now())
			if err != nil {
				return nil, err
			}
			return &newKeyOutput{Body: NewKey{Key: key, APIKey: rec}}, nil
		})
}

// CreateAPIKey makes and stores a new key of an application and returns
// the key (to show once) with its record.
func CreateAPIKey(ctx context.Context, ts wearables.APIKeyStore, appID, name string) (string, wearables.APIKey, error) {
	key, rec := NewAPIKey(appID, name)
	if err := ts.CreateAPIKey(ctx, &rec); err != nil {
		return "", rec, err
	}
	return key, rec, nil
}

// RotateAPIKey creates a key with old's application and name, then revokes
// old.
func RotateAPIKey(ctx context.Context, ts wearables.APIKeyStore, old wearables.APIKey, now time.Time) (string, wearables.APIKey, error) {
	if old.Revoked() {
		return "", old, &wearables.ValidationError{Index: -1, Field: "key_id", Reason: "the key is revoked"}
	}
	key, rec, err := CreateAPIKey(ctx, ts, old.AppID, old.Name)
	if err != nil {
		return "", rec, err
	}
	if err := ts.RevokeAPIKey(ctx, old.ID, now); err != nil {
		return "", rec, err
	}
	return key, rec, nil
}

// issue returns a new access token and refresh token for d.
func (s *srv) issue(ctx context.Context, d wearables.Developer) (*tokenOutput, error) {
	at, exp, err := s.jwt.sign(jwtAudienceDev, d.ID, s.cfg.AccessTokenTTL, d.Admin, "")
	if err != nil {
		return nil, err
	}
	rt := randomToken("wr_")
	if err := s.cfg.Tenants.PutRefreshToken(ctx, wearables.RefreshToken{Hash: HashSecret(rt), DeveloperID: d.ID, ExpiresAt: s.cfg.Now().Add(s.cfg.RefreshTokenTTL)}); err != nil {
		return nil, err
	}
	return &tokenOutput{Body: TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresAt: exp.UTC().Truncate(time.Second), RefreshToken: rt}}, nil
}

// ownApp returns the application if the calling developer owns it;
// otherwise 404 (admins too: an admin manages developers, not their apps).
func (s *srv) ownApp(ctx context.Context, id string) (wearables.App, error) {
	a, err := s.cfg.Tenants.GetApp(ctx, id)
	if errors.Is(err, wearables.ErrNotFound) {
		return a, notFound("application")
	}
	if err != nil {
		return a, err
	}
	if a.DeveloperID != caller(ctx).developerID {
		return wearables.App{}, notFound("application")
	}
	return a, nil
}

func (s *srv) ownKey(ctx context.Context, appID, keyID string) (wearables.APIKey, error) {
	if _, err := s.ownApp(ctx, appID); err != nil {
		return wearables.APIKey{}, err
	}
	k, err := s.cfg.Tenants.GetAPIKey(ctx, keyID)
	if errors.Is(err, wearables.ErrNotFound) || (err == nil && k.AppID != appID) {
		return wearables.APIKey{}, notFound("API key")
	}
	return k, err
}
