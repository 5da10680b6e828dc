package googlehealth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// ProviderUserID returns the Google Health user id of the account client
// is authorized for: users/me/identity's healthUserId, the id webhook
// notifications carry. (Its legacyUserId, the old Fitbit user id, is only
// for mapping accounts migrated from the Fitbit Web API.) Errors are those
// of Fetch, and an error matching wearables.ErrInvalid when the answer has
// no id.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	var id rawIdentity
	if _, err := p.api.GetJSON(ctx, client, "get identity", "/v4/users/me/identity", nil, &id); err != nil {
		return "", err
	}
	if id.HealthUserID == "" {
		return "", fmt.Errorf("googlehealth: get identity: no healthUserId: %w", wearables.ErrInvalid)
	}
	return id.HealthUserID, nil
}

// LegacyFitbitUserID returns the legacy Fitbit user id of the account
// client is authorized for (identity's legacyUserId), so that a user who
// connected through the retired Fitbit Web API can be matched to the new
// connection. It is empty for accounts that never had a Fitbit id. Errors
// are those of ProviderUserID.
func (p *Provider) LegacyFitbitUserID(ctx context.Context, client *http.Client) (string, error) {
	var id rawIdentity
	if _, err := p.api.GetJSON(ctx, client, "get identity", "/v4/users/me/identity", nil, &id); err != nil {
		return "", err
	}
	return id.LegacyUserID, nil
}

// Revoke revokes the grant behind tok at Google (POST to
// Config.RevokeURL with token=…): it sends the access token, which
// revokes its refresh token too, and falls back to the refresh token when
// Google refuses the access token (an expired one). client needs no token
// of its own. Errors are *wearables.ProviderError values for vendor
// responses, transport errors wrapped; tokens never appear in them.
func (p *Provider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	if tok == nil || (tok.AccessToken == "" && tok.RefreshToken == "") {
		return fmt.Errorf("googlehealth: revoke: no token: %w", wearables.ErrInvalid)
	}
	if client == nil {
		client = http.DefaultClient
	}
	var err error
	for _, t := range []string{tok.AccessToken, tok.RefreshToken} {
		if t == "" {
			continue
		}
		if err = p.revoke(ctx, client, t); err == nil {
			return nil
		}
		var pe *wearables.ProviderError
		if !errors.As(err, &pe) || pe.StatusCode != http.StatusBadRequest {
			return err
		}
	}
	return err
}

func (p *Provider) revoke(ctx context.Context, client *http.Client, token string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.RevokeURL, strings.NewReader(url.Values{"token": {token}}.Encode()))
	if err != nil {
		return fmt.Errorf("googlehealth: revoke: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("googlehealth: revoke: %w", err)
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
