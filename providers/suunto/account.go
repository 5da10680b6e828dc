package suunto

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// ProviderUserID implements wearables.ProviderUserIDReader: the Suunto
// username, which webhooks carry as "username". It is read from the token
// response's "user" field, else from the "user" claim of the access token
// (a JWT, decoded without verifying its signature: the token came straight
// from Suunto's token endpoint, and the claim only names the account). It
// makes no request. A token naming no user is an error matching
// wearables.ErrInvalid.
func (p *Provider) ProviderUserID(_ context.Context, _ *http.Client, tok *oauth2.Token) (string, error) {
	if tok == nil {
		return "", fmt.Errorf("suunto: provider user id: no token: %w", wearables.ErrInvalid)
	}
	if u, ok := tok.Extra("user").(string); ok && u != "" {
		return u, nil
	}
	if u := jwtUser(tok.AccessToken); u != "" {
		return u, nil
	}
	return "", fmt.Errorf("suunto: provider user id: the token names no user: %w", wearables.ErrInvalid)
}

// jwtUser returns the "user" claim of a JWT's payload, or "" when the
// token is not a JWT or has none.
func jwtUser(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		User string `json:"user"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return claims.User
}

var _ wearables.ProviderUserIDReader = (*Provider)(nil)
