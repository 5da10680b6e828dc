package polar

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// User is a Polar user registered with the client.
type User struct {
	// PolarUserID is Polar's id of the user (polar-user-id, the token
	// response's x_user_id), the connection's provider user id.
	PolarUserID string
	// MemberID is the partner's identifier the user was registered with.
	MemberID string
	// RegistrationDate is when the user accepted the registration; zero
	// when Polar did not say.
	RegistrationDate time.Time
}

// ProviderUserID implements wearables.ProviderUserIDReader, and registers
// the user: AccessLink shows a user's data only to a client that
// registered the user (POST /v3/users) after the token exchange. The id is
// the token response's x_user_id; the registration uses the member-id
// Config.MemberID gives for it. Registering is idempotent: Polar's 409 for
// a user already registered to the client counts as success, so the OAuth
// completion can run again for the same account.
//
// When the token carries no x_user_id the id comes from the registration's
// answer; a 409 then leaves it unknown, which is an error.
//
// Errors: *wearables.ProviderError for Polar's answers (403 when the user
// has not accepted Polar's mandatory consents); transport errors wrapped.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, tok *oauth2.Token) (string, error) {
	id := tokenUserID(tok)
	member := ""
	if id != "" {
		member = p.cfg.MemberID(id)
	}
	if member == "" {
		// Polar's own example registers users under a random member-id.
		member = "wearables-" + rand.Text()
	}
	u, err := p.Register(ctx, client, member)
	switch {
	case errors.Is(err, wearables.ErrConflict) && id != "":
		return id, nil
	case err != nil:
		return "", fmt.Errorf("polar: read user id: %w", err)
	case id == "":
		if u.PolarUserID == "" {
			return "", fmt.Errorf("polar: read user id: neither the token nor the registration names the user: %w", wearables.ErrInvalid)
		}
		return u.PolarUserID, nil
	case u.PolarUserID != "" && u.PolarUserID != id:
		return "", fmt.Errorf("polar: read user id: token names user %s but Polar registered %s: %w", id, u.PolarUserID, wearables.ErrConflict)
	}
	return id, nil
}

// Register registers the user whose token client sends with the client,
// under memberID, and returns the registered user. An empty memberID is an
// error matching wearables.ErrInvalid. A user already
// registered (Polar's 409) is an error matching wearables.ErrConflict
// that also holds the *wearables.ProviderError. Other errors:
// *wearables.ProviderError for Polar's answers, transport errors wrapped.
func (p *Provider) Register(ctx context.Context, client *http.Client, memberID string) (User, error) {
	if memberID == "" {
		return User{}, fmt.Errorf("polar: register user: empty member-id: %w", wearables.ErrInvalid)
	}
	body, err := json.Marshal(map[string]string{"member-id": memberID})
	if err != nil {
		return User{}, fmt.Errorf("polar: register user: %w", err)
	}
	req, err := p.api.NewRequest(ctx, http.MethodPost, "/v3/users", nil, bytes.NewReader(body))
	if err != nil {
		return User{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := p.api.Do(client, "register user", req)
	var pe *wearables.ProviderError
	if errors.As(err, &pe) && pe.StatusCode == http.StatusConflict {
		return User{}, fmt.Errorf("polar: register user: already registered: %w: %w", wearables.ErrConflict, err)
	}
	if err != nil {
		return User{}, err
	}
	if resp.StatusCode == http.StatusNoContent {
		resp.Body.Close()
		return User{}, fmt.Errorf("polar: register user: Polar answered 204, user not found: %w",
			wearables.NewProviderError(wearables.ProviderPolar, "register user", http.StatusNotFound, nil))
	}
	var raw user
	if err := p.api.DecodeJSON("register user", resp, &raw); err != nil {
		return User{}, err
	}
	u := User{PolarUserID: string(raw.PolarUserID), MemberID: raw.MemberID}
	if in, err := normalize.ParseRFC3339(raw.RegistrationDate); err == nil {
		u.RegistrationDate = in.Time
	}
	return u, nil
}

// Revoke implements wearables.Revoker: it de-registers the user (DELETE
// /v3/users/{user-id}), which revokes the token. Polar needs the user id:
// the connection's ProviderUserID, else the token's x_user_id (a stored
// token keeps the token response's extra fields only in memory, so the
// connection is what a disconnect has). With neither, the error matches
// wearables.ErrInvalid. A token Polar no longer accepts (401) or a user it
// no longer knows (404) is already revoked: nil.
func (p *Provider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	id := conn.ProviderUserID
	if id == "" {
		id = tokenUserID(tok)
	}
	if id == "" {
		return fmt.Errorf("polar: revoke: neither the connection nor the token names the Polar user, and Polar de-registers by user id: %w", wearables.ErrInvalid)
	}
	return p.Deregister(ctx, client, tok, id)
}

// Deregister de-registers Polar user polarUserID from the client with the
// user's token, which revokes the token. client may be a plain client: the
// token is sent explicitly. 401 and 404 count as already done. Errors:
// *wearables.ProviderError for other answers, transport errors wrapped, an
// error matching wearables.ErrInvalid for an id that is not a number.
func (p *Provider) Deregister(ctx context.Context, client *http.Client, tok *oauth2.Token, polarUserID string) error {
	if _, err := strconv.ParseUint(polarUserID, 10, 64); err != nil {
		return fmt.Errorf("polar: de-register user %q: not a Polar user id: %w", polarUserID, wearables.ErrInvalid)
	}
	req, err := p.api.NewRequest(ctx, http.MethodDelete, "/v3/users/"+url.PathEscape(polarUserID), nil, nil)
	if err != nil {
		return err
	}
	if tok != nil && tok.AccessToken != "" {
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	}
	resp, err := p.api.Do(client, "de-register user", req)
	var pe *wearables.ProviderError
	if errors.As(err, &pe) && (pe.StatusCode == http.StatusUnauthorized || pe.StatusCode == http.StatusNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// tokenUserID reads x_user_id from a token response: a JSON number (as
// Polar sends it) or a string.
func tokenUserID(tok *oauth2.Token) string {
	if tok == nil {
		return ""
	}
	switch v := tok.Extra("x_user_id").(type) {
	case string:
		return v
	case float64:
		if v > 0 && v < 1<<53 && v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10)
		}
	case json.Number:
		return v.String()
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	}
	return ""
}
