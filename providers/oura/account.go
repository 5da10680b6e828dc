package oura

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// ProviderUserID returns the Oura user id of the account client is
// authorized for: personal_info's id, which webhook notifications carry as
// user_id. It needs the "personal" scope. Errors are those of Fetch, and
// an error matching wearables.ErrInvalid when the answer has no id.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	var info rawPersonalInfo
	if _, err := p.api.GetJSON(ctx, client, "get personal info", "/v2/usercollection/personal_info", nil, &info); err != nil {
		return "", err
	}
	if info.ID == "" {
		return "", fmt.Errorf("oura: get personal info: no id: %w", wearables.ErrInvalid)
	}
	return string(info.ID), nil
}

// Revoke revokes tok's access token at Oura (GET /oauth/revoke with the
// token as access_token), which ends the grant. client needs no token of
// its own. Errors are *wearables.ProviderError values for vendor
// responses, transport errors wrapped.
func (p *Provider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return fmt.Errorf("oura: revoke: no access token: %w", wearables.ErrInvalid)
	}
	req, err := p.api.NewRequest(ctx, http.MethodGet, "/oauth/revoke", url.Values{"access_token": {tok.AccessToken}}, nil)
	if err != nil {
		return err
	}
	if client == nil {
		client = http.DefaultClient
	}
	// Not API.Do: a transport error's *url.Error quotes the URL, and this
	// one carries the token.
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = req.URL.Scheme + "://" + req.URL.Host + req.URL.Path + "?access_token=…"
		}
		return fmt.Errorf("oura: revoke: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return p.api.Error("revoke", resp)
	}
	return resp.Body.Close()
}

var (
	_ wearables.ProviderUserIDReader = (*Provider)(nil)
	_ wearables.Revoker              = (*Provider)(nil)
)
