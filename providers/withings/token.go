package withings

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// maxTokenBody caps a token endpoint response read by TokenTransport.
const maxTokenBody = 1 << 20

// TokenTransport adapts Withings' token endpoint to RFC 6749, so that
// golang.org/x/oauth2 (and everything built on it: oauthflow's Flow and
// TokenBroker, providerhttp.LocalTokens) can exchange codes and refresh
// tokens with it. For POST requests to TokenURL it
//
//   - adds action=requesttoken to the form, which Withings requires and
//     x/oauth2 does not send;
//   - unwraps the answer: {"status":0,"body":{…}} becomes HTTP 200 with the
//     body object as it was (access_token, refresh_token, expires_in,
//     scope, token_type and Withings' userid, which x/oauth2 keeps as
//     Token.Extra("userid"));
//   - turns a non-zero status into an RFC 6749 error response: "Invalid
//     params" (an unknown, used or expired code or refresh token, a wrong
//     redirect_uri) is HTTP 400 invalid_grant, "Authentication failed" is
//     HTTP 401 invalid_client, 601 is HTTP 429, anything else HTTP 503
//     temporarily_unavailable; error_description names the status and
//     Withings' message.
//
// A response without Withings' envelope (an already standard answer) and
// every other request pass through unchanged. TokenTransport is safe for
// concurrent use.
type TokenTransport struct {
	// TokenURL is the token endpoint whose requests are adapted, compared
	// without its query. Required.
	TokenURL string
	// Base sends the requests. Defaults to http.DefaultTransport.
	Base http.RoundTripper
}

// TokenClient returns a copy of base (nil means http.DefaultClient) whose
// transport is a TokenTransport for this provider's token URL in front of
// base's transport. Use it wherever x/oauth2 talks to Withings: as
// oauthflow.Config.HTTPClient, or as the client of
// providerhttp.NewLocalTokens. Other requests it sends are not changed.
func (p *Provider) TokenClient(base *http.Client) *http.Client {
	c := http.Client{}
	if base != nil {
		c = *base
	}
	c.Transport = &TokenTransport{TokenURL: p.cfg.TokenURL, Base: c.Transport}
	return &c
}

func (t *TokenTransport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// RoundTrip implements http.RoundTripper.
func (t *TokenTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || !sameEndpoint(req.URL, t.TokenURL) {
		return t.base().RoundTrip(req)
	}
	var form []byte
	if req.Body != nil {
		b, err := io.ReadAll(io.LimitReader(req.Body, maxTokenBody))
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("withings: token request: %w", err)
		}
		form = b
	}
	values, err := url.ParseQuery(string(form))
	if err != nil {
		return nil, fmt.Errorf("withings: token request: %w", err)
	}
	if values.Get("action") == "" {
		values.Set("action", "requesttoken")
		form = []byte(values.Encode())
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(form))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(form)), nil }
	r.ContentLength = int64(len(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := t.base().RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("withings: token response: %w", err)
	}
	status, payload, message, ok := unwrapToken(body)
	switch {
	case !ok || resp.StatusCode != http.StatusOK:
		return rebuild(resp, resp.StatusCode, body), nil
	case status == StatusOK:
		return rebuild(resp, http.StatusOK, payload), nil
	}
	code, httpStatus := tokenErrorCode(status)
	desc := "withings status " + strconv.Itoa(status) + " (" + describeStatus(status) + ")"
	if message != "" {
		desc += ": " + message
	}
	out, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
	return rebuild(resp, httpStatus, out), nil
}

// unwrapToken reads Withings' envelope; ok is false when body is not one.
func unwrapToken(body []byte) (status int, payload json.RawMessage, message string, ok bool) {
	var env struct {
		Status *int            `json:"status"`
		Body   json.RawMessage `json:"body"`
		Error  string          `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Status == nil {
		return 0, nil, "", false
	}
	if *env.Status == StatusOK && (len(env.Body) == 0 || env.Body[0] != '{') {
		return 0, nil, "", false
	}
	return *env.Status, env.Body, env.Error, true
}

// tokenErrorCode maps a token endpoint status to an RFC 6749 error code
// and HTTP status.
func tokenErrorCode(status int) (string, int) {
	switch classify(status) {
	case classInvalidParams:
		return "invalid_grant", http.StatusBadRequest
	case classAuthFailed, classUnauthorized:
		return "invalid_client", http.StatusUnauthorized
	case classRateLimited:
		return "rate_limited", http.StatusTooManyRequests
	}
	return "temporarily_unavailable", http.StatusServiceUnavailable
}

// rebuild returns resp with a new status and body.
func rebuild(resp *http.Response, status int, body []byte) *http.Response {
	out := *resp
	out.StatusCode = status
	out.Status = strconv.Itoa(status) + " " + http.StatusText(status)
	out.Header = resp.Header.Clone()
	out.Header.Set("Content-Type", "application/json")
	out.Header.Del("Content-Encoding")
	out.Header.Set("Content-Length", strconv.Itoa(len(body)))
	out.ContentLength = int64(len(body))
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.Uncompressed = false
	return &out
}

// sameEndpoint reports whether u is target, ignoring queries and a
// trailing slash.
func sameEndpoint(u *url.URL, target string) bool {
	t, err := url.Parse(target)
	if err != nil || u == nil {
		return false
	}
	return strings.EqualFold(u.Scheme, t.Scheme) && strings.EqualFold(u.Host, t.Host) &&
		strings.TrimRight(u.Path, "/") == strings.TrimRight(t.Path, "/")
}

// ProviderUserID implements wearables.ProviderUserIDReader: Withings names
// the account in the token response's userid (a number; some answers
// spell it as a string), which x/oauth2 keeps as tok.Extra("userid") when
// the exchange went through TokenTransport. Withings has no "who am I"
// route to ask instead, so a token without it is an error matching
// wearables.ErrInvalid.
//
// When Config.NotifyCallbackURL is set it also subscribes the user's
// notifications there (EnsureUserSubscriptions with client), because Withings
// subscriptions are per user and need the user's token; a failure is
// returned (as a *wearables.ProviderError) so the connection is not left
// half set up.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, tok *oauth2.Token) (string, error) {
	id := tokenUserID(tok)
	if id == "" {
		return "", fmt.Errorf("withings: read user id: the token response has no userid (was it exchanged through TokenTransport?): %w", wearables.ErrInvalid)
	}
	if p.cfg.NotifyCallbackURL != "" {
		if err := p.EnsureUserSubscriptions(ctx, client, p.cfg.NotifyCallbackURL); err != nil {
			return "", fmt.Errorf("withings: read user id: subscribe notifications: %w", err)
		}
	}
	return id, nil
}

// tokenUserID reads userid from a token's extra fields.
func tokenUserID(tok *oauth2.Token) string {
	if tok == nil {
		return ""
	}
	switch v := tok.Extra("userid").(type) {
	case string:
		return v
	case float64:
		if v >= 0 && v < 1<<53 && v == math.Trunc(v) {
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

// Sign returns Withings' request signature: the hex HMAC-SHA256, keyed
// with the client secret, of the values of the signed parameters in the
// order of their names, joined with commas ("getnonce,<client_id>,<ts>"
// for a nonce; "<action>,<client_id>,<nonce>" for signed services). It is
// exported for tests and tools that replay signed calls.
func Sign(clientSecret string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = params[k]
	}
	mac := hmac.New(sha256.New, []byte(clientSecret))
	mac.Write([]byte(strings.Join(vals, ",")))
	return hex.EncodeToString(mac.Sum(nil))
}

// nonce asks Withings for a single-use nonce (valid 30 minutes) for a
// signed call.
func (p *Provider) nonce(ctx context.Context) (string, error) {
	ts := strconv.FormatInt(p.cfg.Now().Unix(), 10)
	form := url.Values{
		"action":    {"getnonce"},
		"client_id": {p.cfg.ClientID},
		"timestamp": {ts},
		"signature": {Sign(p.cfg.ClientSecret, map[string]string{"action": "getnonce", "client_id": p.cfg.ClientID, "timestamp": ts})},
	}
	b, err := call[nonceBody](ctx, p, p.cfg.HTTPClient, "get nonce", pathSignature, form)
	if err != nil {
		return "", err
	}
	if b.Nonce == "" {
		return "", fmt.Errorf("withings: get nonce: empty nonce: %w", wearables.ErrInvalid)
	}
	return b.Nonce, nil
}

// RevokeUser revokes the partner application's access to a Withings user
// (POST /v2/oauth2 action=revoke, signed with a fresh nonce and the client
// secret): the user's tokens stop working and Withings drops the user's
// notification subscriptions. userID is the connection's provider user id.
// It uses Config.HTTPClient and no user token, which is why the provider
// does not implement wearables.Revoker (whose Revoke gets only a token);
// see the package documentation.
//
// Errors: an empty userID matches wearables.ErrInvalid; Withings statuses
// are *wearables.ProviderError values; transport errors wrapped.
func (p *Provider) RevokeUser(ctx context.Context, userID string) error {
	if userID == "" {
		return fmt.Errorf("withings: revoke: empty user id: %w", wearables.ErrInvalid)
	}
	n, err := p.nonce(ctx)
	if err != nil {
		return fmt.Errorf("withings: revoke: %w", err)
	}
	form := url.Values{
		"action":    {"revoke"},
		"client_id": {p.cfg.ClientID},
		"nonce":     {n},
		"userid":    {userID},
		"signature": {Sign(p.cfg.ClientSecret, map[string]string{"action": "revoke", "client_id": p.cfg.ClientID, "nonce": n})},
	}
	if _, err := call[json.RawMessage](ctx, p, p.cfg.HTTPClient, "revoke", pathOAuth2, form); err != nil {
		return fmt.Errorf("withings: revoke: %w", err)
	}
	return nil
}

var _ wearables.ProviderUserIDReader = (*Provider)(nil)
