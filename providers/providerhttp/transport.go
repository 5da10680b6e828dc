package providerhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// TokenRefresher is what Transport needs from whatever owns a connection's
// token. Package oauthflow's broker implements it for servers (persisting
// rotated tokens and serializing refreshes across processes); LocalTokens
// implements it in memory. Implementations must be safe for concurrent use.
type TokenRefresher interface {
	// Token returns the connection's current access token, refreshing it
	// first when it has expired.
	Token(ctx context.Context) (*oauth2.Token, error)
	// ForceRefresh is called after the vendor rejected stale with a 401. It
	// refreshes the token even though its expiry has not passed and returns
	// the new one. Implementations serialize refreshes per connection and,
	// when the current token already differs from stale (another request
	// refreshed meanwhile), return the current one without refreshing again.
	// An error that means the user must connect again (invalid_grant, no
	// refresh token) should match wearables.ErrUnauthorized.
	ForceRefresh(ctx context.Context, stale *oauth2.Token) (*oauth2.Token, error)
}

// ConnectionTokens is a token broker serving many connections, such as
// *oauthflow.TokenBroker: Token returns a valid access token of a
// connection, Refresh refreshes it after the vendor rejected the given one
// (returning the stored token instead when it already differs).
type ConnectionTokens interface {
	Token(ctx context.Context, connectionID string) (*oauth2.Token, error)
	Refresh(ctx context.Context, connectionID string, rejected *oauth2.Token) (*oauth2.Token, error)
}

// ForConnection returns the TokenRefresher of one connection of b, for
// NewClient:
//
//	client := providerhttp.NewClient(providerhttp.ForConnection(broker, conn.ID), httpClient)
func ForConnection(b ConnectionTokens, connectionID string) TokenRefresher {
	return connectionTokens{b: b, id: connectionID}
}

type connectionTokens struct {
	b  ConnectionTokens
	id string
}

func (c connectionTokens) Token(ctx context.Context) (*oauth2.Token, error) {
	return c.b.Token(ctx, c.id)
}

func (c connectionTokens) ForceRefresh(ctx context.Context, stale *oauth2.Token) (*oauth2.Token, error) {
	return c.b.Refresh(ctx, c.id, stale)
}

// Transport is an http.RoundTripper that authorizes requests with a
// connection's access token and, when the vendor answers 401, forces one
// refresh through Tokens and retries the request once. A second 401 is
// returned to the caller as is (the vendor's provider package turns it into
// an error matching wearables.ErrUnauthorized); it never loops. A request
// whose body cannot be replayed (no GetBody) is not retried.
//
// This is the one place the module implements "on 401, refresh once and
// retry once"; vendor packages never refresh tokens themselves.
// Transport is safe for concurrent use.
type Transport struct {
	// Tokens supplies and refreshes the access token. Required.
	Tokens TokenRefresher
	// Base sends the requests. Defaults to http.DefaultTransport.
	Base http.RoundTripper
}

// NewClient returns an *http.Client whose Transport authorizes with tokens
// and refreshes once on 401. The underlying transport and timeout are
// base's (nil means http.DefaultClient's).
func NewClient(tokens TokenRefresher, base *http.Client) *http.Client {
	var rt http.RoundTripper
	c := &http.Client{}
	if base != nil {
		rt = base.Transport
		c.Timeout = base.Timeout
		c.Jar = base.Jar
	}
	c.Transport = &Transport{Tokens: tokens, Base: rt}
	return c
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	tok, err := t.Tokens.Token(ctx)
	if err != nil {
		closeBody(req)
		return nil, fmt.Errorf("providerhttp: token: %w", err)
	}
	retryable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	resp, err := t.base().RoundTrip(authorized(req, tok, req.Body))
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !retryable {
		return resp, err
	}
	// The vendor rejected the token: drop this response, refresh once, retry once.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	fresh, err := t.Tokens.ForceRefresh(ctx, tok)
	if err != nil {
		return nil, fmt.Errorf("providerhttp: refresh after 401: %w", unauthorized(err))
	}
	body := req.Body
	if req.GetBody != nil {
		if body, err = req.GetBody(); err != nil {
			return nil, fmt.Errorf("providerhttp: replay body: %w", err)
		}
	}
	return t.base().RoundTrip(authorized(req, fresh, body))
}

// authorized clones req with tok's Authorization header and body.
func authorized(req *http.Request, tok *oauth2.Token, body io.ReadCloser) *http.Request {
	r := req.Clone(req.Context())
	r.Body = body
	tok.SetAuthHeader(r)
	return r
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// unauthorized makes err match wearables.ErrUnauthorized: after a 401 a
// failed refresh means the connection cannot be used until it is fixed.
func unauthorized(err error) error {
	if errors.Is(err, wearables.ErrUnauthorized) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: %w", wearables.ErrUnauthorized, err)
}

// LocalTokens is an in-memory TokenRefresher for one connection: it keeps
// the token in memory and refreshes it at Config's token endpoint,
// remembering rotated refresh tokens. Refreshes are serialized. It is for
// tests, examples and single-process tools; a server uses oauthflow's
// broker, which persists tokens encrypted and locks across processes.
// LocalTokens is safe for concurrent use.
type LocalTokens struct {
	cfg    *oauth2.Config
	client *http.Client

	mu        sync.Mutex
	tok       *oauth2.Token
	refreshes int
}

// NewLocalTokens returns a LocalTokens starting from tok. Token requests
// are sent with client (nil means http.DefaultClient).
func NewLocalTokens(cfg *oauth2.Config, tok *oauth2.Token, client *http.Client) *LocalTokens {
	return &LocalTokens{cfg: cfg, client: client, tok: cloneToken(tok)}
}

// Token returns the current token, refreshing it first if it has expired.
func (l *LocalTokens) Token(ctx context.Context) (*oauth2.Token, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tok != nil && l.tok.Valid() {
		return cloneToken(l.tok), nil
	}
	return l.refreshLocked(ctx)
}

// ForceRefresh refreshes unless the current token already differs from
// stale. Without a refresh token it returns an error matching
// wearables.ErrUnauthorized and does not call the token endpoint.
func (l *LocalTokens) ForceRefresh(ctx context.Context, stale *oauth2.Token) (*oauth2.Token, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tok != nil && stale != nil && l.tok.AccessToken != stale.AccessToken && l.tok.Valid() {
		return cloneToken(l.tok), nil
	}
	return l.refreshLocked(ctx)
}

func (l *LocalTokens) refreshLocked(ctx context.Context) (*oauth2.Token, error) {
	if l.tok == nil || l.tok.RefreshToken == "" {
		return nil, fmt.Errorf("providerhttp: refresh: no refresh token: %w", wearables.ErrUnauthorized)
	}
	if l.client != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, l.client)
	}
	l.refreshes++
	tok, err := l.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: l.tok.RefreshToken}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			return nil, fmt.Errorf("providerhttp: refresh: %w: %w", wearables.ErrUnauthorized, err)
		}
		return nil, fmt.Errorf("providerhttp: refresh: %w", err)
	}
	l.tok = cloneToken(tok)
	return cloneToken(tok), nil
}

// Current returns a copy of the current token (nil if none).
func (l *LocalTokens) Current() *oauth2.Token {
	l.mu.Lock()
	defer l.mu.Unlock()
	return cloneToken(l.tok)
}

// Refreshes returns how many refreshes were attempted.
func (l *LocalTokens) Refreshes() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.refreshes
}

func cloneToken(t *oauth2.Token) *oauth2.Token {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}
