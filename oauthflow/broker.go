package oauthflow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v4"
	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"

	"github.com/wearables-go/wearables"
)

// TokenBroker hands out valid access tokens for connections, refreshing and
// persisting them so that — across every goroutine and every process that
// shares the store — one refresh happens at a time per connection and no
// rotated refresh token is ever lost:
//
//   - in-process, concurrent requests for the same connection share one
//     refresh (singleflight);
//   - across processes, the refresh runs inside TokenStore.UpdateToken,
//     which holds the connection's token lock (a row lock in PostgreSQL, a
//     write transaction in SQLite) and hands the callback the token as
//     stored now; if another process refreshed meanwhile, that token is
//     used and the vendor is not called;
//   - the new token (with the rotated refresh token, or the old one when
//     the vendor sends none) is committed before it is returned, so no
//     caller ever uses an access token whose refresh token is not saved;
//   - invalid_grant on the freshly re-read refresh token means the grant
//     is gone: the token is deleted, the connection marked needs_reauth and
//     a *ReauthError returned; later calls fail fast with the same error
//     without calling the vendor;
//   - network errors, 5xx and 429 are retried with back-off
//     (Config.NewBackOff) while the lock is held.
//
// If a process dies after the vendor rotated the refresh token but before
// the commit, the stored refresh token is the old one. The next refresh
// sends it; a vendor with a reuse grace period answers normally, a strict
// one answers invalid_grant and the connection is marked needs_reauth. In
// both cases the connection is never left active with a token that fails
// silently.
//
// The lock is held while the vendor is called, retries included. With
// sqlitestore that lock is the database's write lock, so every other write
// waits for the refresh: keep Config.NewBackOff short there.
//
// A TokenBroker is safe for concurrent use.
type TokenBroker struct {
	s     *settings
	group singleflight.Group

	// afterVendorResponse, when set (tests only), is called after the
	// vendor answered a refresh and before the new token is committed.
	afterVendorResponse func()
}

// NewTokenBroker returns a broker for workers that need tokens but do not
// run authorizations. It ignores Config.States and Config.RedirectURIs.
// Errors match wearables.ErrInvalid.
func NewTokenBroker(cfg Config) (*TokenBroker, error) {
	s, err := cfg.resolve(false)
	if err != nil {
		return nil, err
	}
	return newTokenBroker(s), nil
}

func newTokenBroker(s *settings) *TokenBroker { return &TokenBroker{s: s} }

// String names the configured providers; it never prints configuration
// values such as client secrets.
func (b *TokenBroker) String() string {
	return "oauthflow.TokenBroker{providers=" + b.s.providerList() + "}"
}

// GoString is String.
func (b *TokenBroker) GoString() string { return b.String() }

// Format writes String whatever the verb.
func (b *TokenBroker) Format(st fmt.State, _ rune) { _, _ = io.WriteString(st, b.String()) }

// Token returns a valid access token for the connection, refreshing it when
// it expires within Config.ExpiryLeeway. Errors: *ReauthError (matching
// ErrNeedsReauth) when the user must connect again; ErrNoToken;
// *TokenError when the vendor failed after retries; ErrDecrypt when the
// stored token does not decrypt; store errors. The returned token is the
// caller's to keep.
func (b *TokenBroker) Token(ctx context.Context, connectionID string) (*oauth2.Token, error) {
	et, err := b.s.Tokens.GetToken(ctx, connectionID)
	if errors.Is(err, wearables.ErrNotFound) {
		return nil, b.noToken(ctx, connectionID)
	}
	if err != nil {
		return nil, fmt.Errorf("oauthflow: token of connection %s: %w", connectionID, err)
	}
	tok, err := b.s.Keyring.Open(et)
	if err != nil {
		return nil, err
	}
	if b.fresh(tok) {
		return tok, nil
	}
	return b.refresh(ctx, connectionID, "")
}

// Refresh refreshes the connection's token because the vendor rejected
// the access token of rejected (say, an API call answered 401) — unless the
// stored access token is already another one, which is then returned. Use
// it when a token that looked valid was refused. Errors as for Token.
func (b *TokenBroker) Refresh(ctx context.Context, connectionID string, rejected *oauth2.Token) (*oauth2.Token, error) {
	if rejected == nil || rejected.AccessToken == "" {
		return b.Token(ctx, connectionID)
	}
	return b.refresh(ctx, connectionID, rejected.AccessToken)
}

// TokenSource returns an oauth2.TokenSource for the connection. Every call
// of its Token method is b.Token(ctx, connectionID): it reads the stored
// token (one row and an AES-GCM open), so it never hands out a token
// another process has replaced. Wrap it in oauth2.ReuseTokenSource to cache.
// As with golang.org/x/oauth2's own token sources, ctx is kept and used for
// every call.
func (b *TokenBroker) TokenSource(ctx context.Context, connectionID string) oauth2.TokenSource {
	return &connTokenSource{ctx: ctx, b: b, id: connectionID}
}

// Client returns an HTTP client that authorizes every request with the
// connection's token, built on Config.HTTPClient's transport.
func (b *TokenBroker) Client(ctx context.Context, connectionID string) *http.Client {
	return oauth2.NewClient(b.s.httpContext(ctx), b.TokenSource(ctx, connectionID))
}

type connTokenSource struct {
	ctx context.Context
	b   *TokenBroker
	id  string
}

func (s *connTokenSource) Token() (*oauth2.Token, error) { return s.b.Token(s.ctx, s.id) }

// fresh reports whether tok can be handed out as is.
func (b *TokenBroker) fresh(tok *oauth2.Token) bool {
	return tok.AccessToken != "" && (tok.Expiry.IsZero() || tok.Expiry.After(b.s.Now().Add(b.s.ExpiryLeeway)))
}

// noToken explains a missing token: a connection that needs the user is a
// *ReauthError, anything else ErrNoToken.
func (b *TokenBroker) noToken(ctx context.Context, connectionID string) error {
	conn, err := b.s.Connections.GetConnection(ctx, connectionID)
	if err != nil {
		return fmt.Errorf("oauthflow: token of connection %s: %w", connectionID, err)
	}
	if rerr := reauthError(conn); rerr != nil {
		return rerr
	}
	return fmt.Errorf("%w %s", ErrNoToken, connectionID)
}

func reauthError(conn wearables.Connection) *ReauthError {
	switch conn.Status {
	case wearables.ConnectionNeedsReauth, wearables.ConnectionRevoked:
		return &ReauthError{ConnectionID: conn.ID, Provider: conn.Provider, Status: conn.Status, Reason: conn.StatusReason}
	}
	return nil
}

// result is what one shared refresh yields.
type result struct{ tok *oauth2.Token }

// refresh runs, or joins, the connection's refresh. Each caller waits for
// the shared refresh under its own ctx; the refresh itself runs under
// Config.RefreshTimeout, detached from the cancellation of the caller that
// happened to start it.
func (b *TokenBroker) refresh(ctx context.Context, connectionID, rejected string) (*oauth2.Token, error) {
	key := connectionID
	if rejected != "" {
		sum := sha256.Sum256([]byte(rejected))
		key += "\x00" + hex.EncodeToString(sum[:8])
	}
	ch := b.group.DoChan(key, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.s.RefreshTimeout)
		defer cancel()
		tok, err := b.refreshLocked(rctx, connectionID, rejected)
		return result{tok}, err
	})
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("oauthflow: refresh connection %s: %w", connectionID, ctx.Err())
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		tok := *r.Val.(result).tok // callers must not share one *Token
		return &tok, nil
	}
}

// refreshLocked refreshes under the store's token lock.
func (b *TokenBroker) refreshLocked(ctx context.Context, connectionID, rejected string) (*oauth2.Token, error) {
	conn, err := b.s.Connections.GetConnection(ctx, connectionID)
	if err != nil {
		return nil, fmt.Errorf("oauthflow: refresh connection %s: %w", connectionID, err)
	}
	if rerr := reauthError(conn); rerr != nil {
		return nil, rerr
	}
	p, err := b.s.provider(conn.Provider)
	if err != nil {
		return nil, fmt.Errorf("oauthflow: refresh connection %s: %w", connectionID, err)
	}

	var (
		out      *oauth2.Token
		reauth   *ReauthError
		vendored bool
		started  = time.Now()
	)
	err = b.s.Tokens.UpdateToken(ctx, connectionID, func(ctx context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
		out, reauth, vendored = nil, nil, false // the store may retry the callback
		tok, err := b.s.Keyring.Open(cur)
		if err != nil {
			return wearables.TokenUpdate{}, err
		}
		if b.fresh(tok) && tok.AccessToken != rejected {
			out = tok // refreshed by someone else while we waited for the lock
			return wearables.TokenUpdate{}, nil
		}
		if tok.RefreshToken == "" {
			reauth = &ReauthError{ConnectionID: connectionID, Provider: p.id, Status: wearables.ConnectionNeedsReauth,
				Reason: "access token expired and the vendor issued no refresh token"}
			return wearables.TokenUpdate{Delete: true, Status: reauth.Status, Reason: reauth.Reason}, nil
		}
		vendored = true
		nt, err := b.callRefresh(ctx, p, connectionID, tok.RefreshToken)
		var te *TokenError
		if errors.As(err, &te) && te.InvalidGrant() {
			reauth = &ReauthError{ConnectionID: connectionID, Provider: p.id, Status: wearables.ConnectionNeedsReauth,
				Reason: "the vendor rejected the refresh token (invalid_grant)"}
			return wearables.TokenUpdate{Delete: true, Status: reauth.Status, Reason: reauth.Reason}, nil
		}
		if err != nil {
			return wearables.TokenUpdate{}, err
		}
		if nt.RefreshToken == "" {
			nt.RefreshToken = tok.RefreshToken // the vendor does not rotate: keep ours
		}
		if scopeOf(nt) == "" && scopeOf(tok) != "" {
			nt = nt.WithExtra(map[string]any{"scope": scopeOf(tok)})
		}
		if hook := b.afterVendorResponse; hook != nil {
			hook()
		}
		sealed, err := b.s.Keyring.Seal(connectionID, nt)
		if err != nil {
			return wearables.TokenUpdate{}, err
		}
		out = nt
		return wearables.TokenUpdate{Token: &sealed}, nil
	})
	log := b.s.Logger.With(slog.String("provider", string(p.id)), slog.String("connection_id", connectionID))
	switch {
	case errors.Is(err, wearables.ErrNotFound):
		return nil, b.noToken(ctx, connectionID)
	case err != nil:
		log.WarnContext(ctx, "oauthflow: refresh failed", slog.String("error", err.Error()), slog.Bool("vendor_called", vendored))
		return nil, fmt.Errorf("oauthflow: refresh connection %s: %w", connectionID, err)
	case reauth != nil:
		log.WarnContext(ctx, "oauthflow: connection needs re-authorization", slog.String("reason", reauth.Reason))
		return nil, reauth
	}
	if vendored {
		log.InfoContext(ctx, "oauthflow: token refreshed", slog.Duration("took", time.Since(started)), slog.Time("expires_at", out.Expiry))
	}
	return out, nil
}

// callRefresh sends the refresh request, retrying network errors, 5xx and
// 429 with back-off. An invalid_grant is returned at once.
func (b *TokenBroker) callRefresh(ctx context.Context, p *provider, connectionID, refreshToken string) (*oauth2.Token, error) {
	hctx := b.s.httpContext(ctx)
	conf := p.oauthConfig("", nil)
	attempt := func() (*oauth2.Token, error) {
		tok, err := conf.TokenSource(hctx, &oauth2.Token{RefreshToken: refreshToken}).Token()
		if err != nil {
			te := newTokenError(p.id, "refresh", err, refreshToken, string(p.secret))
			if te.Temporary() {
				return nil, te
			}
			return nil, backoff.Permanent(te)
		}
		return tok, nil
	}
	notify := func(err error, wait time.Duration) {
		b.s.Logger.WarnContext(ctx, "oauthflow: refresh failed, retrying",
			slog.String("provider", string(p.id)), slog.String("connection_id", connectionID),
			slog.String("error", err.Error()), slog.Duration("retry_in", wait))
	}
	tok, err := backoff.RetryNotifyWithData(attempt, backoff.WithContext(b.s.NewBackOff(), ctx), notify)
	if err != nil {
		return nil, err
	}
	if tok.ExpiresIn > 0 {
		tok.Expiry = b.s.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	return tok, nil
}
