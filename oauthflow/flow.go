package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// Flow runs the authorization code flow (Begin, Complete) and Disconnect,
// and hands out tokens through its TokenBroker. It is safe for concurrent
// use.
type Flow struct {
	s         *settings
	redirects map[string]bool
	broker    *TokenBroker
}

// New validates cfg and returns a Flow. Errors match wearables.ErrInvalid.
func New(cfg Config) (*Flow, error) {
	s, err := cfg.resolve(true)
	if err != nil {
		return nil, err
	}
	f := &Flow{s: s, redirects: make(map[string]bool, len(cfg.RedirectURIs)), broker: newTokenBroker(s)}
	for _, u := range cfg.RedirectURIs {
		if u == "" {
			return nil, fmt.Errorf("oauthflow: config: empty redirect uri: %w", wearables.ErrInvalid)
		}
		f.redirects[u] = true
	}
	return f, nil
}

// String names the configured providers; it never prints configuration
// values such as client secrets.
func (f *Flow) String() string { return "oauthflow.Flow{providers=" + f.s.providerList() + "}" }

// GoString is String.
func (f *Flow) GoString() string { return f.String() }

// Format writes String whatever the verb, so no fmt form reaches the
// configuration inside.
func (f *Flow) Format(st fmt.State, _ rune) { _, _ = io.WriteString(st, f.String()) }

// Broker returns the flow's token broker.
func (f *Flow) Broker() *TokenBroker { return f.broker }

// BeginRequest starts an authorization.
type BeginRequest struct {
	UserID      string
	Provider    wearables.ProviderID
	RedirectURI string // must be in Config.RedirectURIs
	// Scopes overrides the configured scopes when non-nil.
	Scopes []string
}

// BeginResult is where to send the user.
type BeginResult struct {
	// URL is the vendor's authorize URL with client id, redirect, scopes,
	// state, the PKCE challenge (when the vendor accepts PKCE) and the
	// provider's extra parameters.
	URL string
	// State is the state parameter inside URL: 256 random bits, single use.
	// Callers may also bind it to the browser (a cookie) for extra safety.
	State string
	// ExpiresAt is when the state stops being accepted.
	ExpiresAt time.Time
}

// Begin creates a pending authorization for a user and provider and
// returns the authorize URL. The state is stored encrypted, under a hash,
// bound to the user, provider and redirect URI, together with the PKCE
// verifier. Errors: ErrUnknownProvider, ErrRedirectNotAllowed,
// wearables.ErrInvalid for an empty user id, or a store error.
func (f *Flow) Begin(ctx context.Context, req BeginRequest) (BeginResult, error) {
	p, err := f.s.provider(req.Provider)
	if err != nil {
		return BeginResult{}, fmt.Errorf("oauthflow: begin: %w", err)
	}
	if req.UserID == "" {
		return BeginResult{}, fmt.Errorf("oauthflow: begin: empty user id: %w", wearables.ErrInvalid)
	}
	if !f.redirects[req.RedirectURI] {
		return BeginResult{}, fmt.Errorf("oauthflow: begin: %w", ErrRedirectNotAllowed)
	}
	scopes := p.scopes
	if req.Scopes != nil {
		scopes = req.Scopes
	}
	now := f.s.Now()
	payload := statePayload{
		UserID:      req.UserID,
		Provider:    p.id,
		RedirectURI: req.RedirectURI,
		Scopes:      scopes,
		IssuedAt:    now.UTC(),
		ExpiresAt:   now.Add(f.s.StateTTL).UTC(),
	}
	opts := make([]oauth2.AuthCodeOption, 0, len(p.spec.AuthParams)+1)
	for _, k := range sortedKeys(p.spec.AuthParams) {
		opts = append(opts, oauth2.SetAuthURLParam(k, p.spec.AuthParams[k]))
	}
	if p.spec.PKCE {
		payload.Verifier = oauth2.GenerateVerifier()
		opts = append(opts, oauth2.S256ChallengeOption(payload.Verifier))
	}
	state := newStateParam()
	keys, err := deriveStateKeys(state)
	if err != nil {
		return BeginResult{}, fmt.Errorf("oauthflow: begin: %w", err)
	}
	data, err := keys.seal(payload)
	if err != nil {
		return BeginResult{}, fmt.Errorf("oauthflow: begin: %w", err)
	}
	err = f.s.States.PutAuthState(ctx, wearables.AuthState{
		Key:       keys.lookup,
		Data:      data,
		ExpiresAt: payload.ExpiresAt.Add(stateRetention).Truncate(wearables.TimePrecision),
	})
	if err != nil {
		return BeginResult{}, fmt.Errorf("oauthflow: begin: store state: %w", err)
	}
	u := p.oauthConfig(req.RedirectURI, scopes).AuthCodeURL(state, opts...)
	f.s.Logger.DebugContext(ctx, "oauthflow: authorization started",
		slog.String("provider", string(p.id)), slog.String("user_id", req.UserID), slog.Bool("pkce", p.spec.PKCE))
	return BeginResult{URL: u, State: state, ExpiresAt: payload.ExpiresAt}, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// CompleteRequest finishes an authorization with the callback's parameters.
type CompleteRequest struct {
	// Provider is the provider the callback arrived for (its route).
	Provider wearables.ProviderID
	State    string // the callback's state parameter
	Code     string // the callback's code parameter
	// RedirectURI, when set, must equal the redirect URI the state was
	// issued for; the stored one is used for the exchange either way.
	RedirectURI string
	// Activate, when set, is called with the connection (ID set, status
	// active) right before Complete stores it as active; the TxFunc it
	// returns runs in the transaction that activates it, so what that writes
	// — a syncer's first jobs (syncer.Queue.ActivateConnection) — commits
	// exactly when the connection becomes active. An error from either is
	// returned and the connection keeps its earlier status (needs_reauth
	// for a new one), with the new token stored.
	Activate func(ctx context.Context, conn wearables.Connection) (wearables.TxFunc, error)
}

// Complete validates the state, exchanges the code, reads the vendor's user
// id, creates or updates the user's connection to the provider and stores
// its token encrypted. It returns the connection, active.
//
// The state is consumed by the first callback that presents it, whatever
// the outcome. State errors — ErrStateUnknown, ErrStateReplayed,
// ErrStateExpired, ErrStateMismatch — are returned before any request is
// sent to the vendor. A rejected exchange is a *TokenError. When the user
// already had a connection to this provider it is updated in place, unless
// the vendor account differs: then the old connection (with its token and
// cursors, not its records) is replaced by a new one.
func (f *Flow) Complete(ctx context.Context, req CompleteRequest) (wearables.Connection, error) {
	p, err := f.s.provider(req.Provider)
	if err != nil {
		return wearables.Connection{}, fmt.Errorf("oauthflow: complete: %w", err)
	}
	st, err := f.takeState(ctx, req)
	if err != nil {
		f.s.Logger.WarnContext(ctx, "oauthflow: callback rejected",
			slog.String("provider", string(p.id)), slog.String("error", err.Error()))
		return wearables.Connection{}, fmt.Errorf("oauthflow: complete: %w", err)
	}
	if req.Code == "" {
		return wearables.Connection{}, fmt.Errorf("oauthflow: complete: empty code: %w", wearables.ErrInvalid)
	}

	hctx := f.s.httpContext(ctx)
	var opts []oauth2.AuthCodeOption
	if st.Verifier != "" {
		opts = append(opts, oauth2.VerifierOption(st.Verifier))
	}
	tok, err := p.oauthConfig(st.RedirectURI, st.Scopes).Exchange(hctx, req.Code, opts...)
	if err != nil {
		return wearables.Connection{}, fmt.Errorf("oauthflow: complete: %w",
			newTokenError(p.id, "exchange code", err, req.Code, st.Verifier, string(p.secret)))
	}
	if tok.ExpiresIn > 0 {
		tok.Expiry = f.s.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	secrets := []string{req.Code, st.Verifier, string(p.secret), tok.AccessToken, tok.RefreshToken}

	var providerUserID string
	if r, ok := p.p.(wearables.ProviderUserIDReader); ok {
		client := oauth2.NewClient(hctx, oauth2.StaticTokenSource(tok))
		providerUserID, err = r.ProviderUserID(ctx, client, tok)
		if err != nil {
			return wearables.Connection{}, fmt.Errorf("oauthflow: complete: read %s user id: %w", p.id,
				&redactedError{msg: redact(err.Error(), secrets), err: err})
		}
	}
	scopes := grantedScopes(tok, st.Scopes)

	conn, err := f.saveConnection(ctx, st.UserID, p.id, providerUserID, scopes, tok, req.Activate)
	if err != nil {
		return wearables.Connection{}, fmt.Errorf("oauthflow: complete: %w", err)
	}
	f.s.Logger.InfoContext(ctx, "oauthflow: connection authorized",
		slog.String("provider", string(p.id)), slog.String("user_id", st.UserID), slog.String("connection_id", conn.ID))
	return conn, nil
}

// takeState consumes the state and checks it against the callback.
func (f *Flow) takeState(ctx context.Context, req CompleteRequest) (statePayload, error) {
	keys, err := deriveStateKeys(req.State)
	if err != nil {
		return statePayload{}, err
	}
	as, err := f.s.States.TakeAuthState(ctx, keys.lookup)
	if errors.Is(err, wearables.ErrNotFound) {
		// Either never issued, expired beyond retention, or used: the used
		// marker tells the last apart. Put it back for later replays.
		m, merr := f.s.States.TakeAuthState(ctx, keys.used)
		if merr != nil {
			return statePayload{}, ErrStateUnknown
		}
		_ = f.s.States.PutAuthState(ctx, m) // best effort; losing it only downgrades a later replay to "unknown"
		return statePayload{}, ErrStateReplayed
	}
	if err != nil {
		return statePayload{}, fmt.Errorf("take state: %w", err)
	}
	st, err := keys.open(as.Data)
	if err != nil {
		return statePayload{}, err
	}
	// Leave a marker so a second use is reported as a replay. Best effort:
	// the state itself is already gone, which is what makes it single-use.
	_ = f.s.States.PutAuthState(ctx, wearables.AuthState{Key: keys.used, Data: usedMarker, ExpiresAt: as.ExpiresAt})

	switch {
	case !f.s.Now().Before(st.ExpiresAt):
		return statePayload{}, ErrStateExpired
	case st.Provider != req.Provider:
		return statePayload{}, ErrStateMismatch
	case req.RedirectURI != "" && req.RedirectURI != st.RedirectURI:
		return statePayload{}, ErrStateMismatch
	case !f.redirects[st.RedirectURI]:
		// The allowlist changed since Begin.
		return statePayload{}, ErrRedirectNotAllowed
	}
	return st, nil
}

// grantedScopes returns the scopes the vendor says it granted (space or
// comma separated "scope" in the token response), else the requested ones.
func grantedScopes(tok *oauth2.Token, requested []string) []string {
	s := scopeOf(tok)
	if s == "" {
		return slices.Clone(requested)
	}
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
}

// inProgressReason marks a connection created by Complete until its token
// is stored, so a crash in between leaves it needs_reauth, not active
// without a token.
const inProgressReason = "authorization in progress"

// saveConnection creates or updates the user's connection to the provider
// and stores its token.
func (f *Flow) saveConnection(ctx context.Context, userID string, pid wearables.ProviderID, providerUserID string, scopes []string, tok *oauth2.Token,
	activate func(context.Context, wearables.Connection) (wearables.TxFunc, error)) (wearables.Connection, error) {
	conn, found, err := f.findConnection(ctx, userID, pid)
	if err != nil {
		return wearables.Connection{}, err
	}
	if found && conn.ProviderUserID != "" && providerUserID != "" && conn.ProviderUserID != providerUserID {
		// Another vendor account: its cursors and token mean nothing for
		// the new one. Records stay with the user.
		if err := f.s.Connections.DeleteConnection(ctx, conn.ID); err != nil && !errors.Is(err, wearables.ErrNotFound) {
			return wearables.Connection{}, fmt.Errorf("replace connection %s: %w", conn.ID, err)
		}
		found = false
	}
	if !found {
		conn = wearables.Connection{
			UserID:         userID,
			Provider:       pid,
			ProviderUserID: providerUserID,
			Status:         wearables.ConnectionNeedsReauth,
			StatusReason:   inProgressReason,
			Scopes:         scopes,
		}
		err := f.s.Connections.CreateConnection(ctx, &conn)
		if errors.Is(err, wearables.ErrConflict) {
			// A concurrent Complete for the same user and provider won.
			conn, found, err = f.findConnection(ctx, userID, pid)
			if err == nil && !found {
				err = fmt.Errorf("connection vanished: %w", wearables.ErrConflict)
			}
		}
		if err != nil {
			return wearables.Connection{}, fmt.Errorf("create connection: %w", err)
		}
	}
	et, err := f.s.Keyring.Seal(conn.ID, tok)
	if err != nil {
		return wearables.Connection{}, err
	}
	if err := f.s.Tokens.PutToken(ctx, et); err != nil {
		return wearables.Connection{}, fmt.Errorf("store token of connection %s: %w", conn.ID, err)
	}
	conn.ProviderUserID = providerUserID
	conn.Status = wearables.ConnectionActive
	conn.StatusReason = ""
	conn.Scopes = scopes
	var then wearables.TxFunc
	if activate != nil {
		if then, err = activate(ctx, conn); err != nil {
			return wearables.Connection{}, fmt.Errorf("activate connection %s: %w", conn.ID, err)
		}
	}
	if err := f.s.Connections.UpdateConnectionTx(ctx, conn, then); err != nil {
		return wearables.Connection{}, fmt.Errorf("activate connection %s: %w", conn.ID, err)
	}
	conn, err = f.s.Connections.GetConnection(ctx, conn.ID)
	if err != nil {
		return wearables.Connection{}, fmt.Errorf("read connection back: %w", err)
	}
	return conn, nil
}

func (f *Flow) findConnection(ctx context.Context, userID string, pid wearables.ProviderID) (wearables.Connection, bool, error) {
	page, err := f.s.Connections.ListConnections(ctx, wearables.ConnectionQuery{UserID: userID, Provider: pid, Limit: 1})
	if err != nil {
		return wearables.Connection{}, false, fmt.Errorf("find connection: %w", err)
	}
	if len(page.Items) == 0 {
		return wearables.Connection{}, false, nil
	}
	return page.Items[0], true, nil
}

// disconnectedReason is the status reason Disconnect records.
const disconnectedReason = "disconnected by user"

// Disconnect ends a connection: it revokes the token at the vendor when the
// provider implements wearables.Revoker, deletes the token and marks the
// connection revoked. Revocation happens under the token lock, so a refresh
// running at the same time cannot leave a fresh, unrevoked token behind.
//
// When the vendor call fails the connection is revoked locally all the same
// and the error matches ErrRevokeFailed. A missing connection is
// wearables.ErrNotFound. Disconnecting twice is not an error.
func (f *Flow) Disconnect(ctx context.Context, connectionID string) error {
	conn, err := f.s.Connections.GetConnection(ctx, connectionID)
	if err != nil {
		return fmt.Errorf("oauthflow: disconnect %s: %w", connectionID, err)
	}
	p := f.s.providers[conn.Provider] // nil when no longer configured: revoke locally only
	var revokeErr error
	err = f.s.Tokens.UpdateToken(ctx, connectionID, func(ctx context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
		revokeErr = f.revoke(ctx, p, conn, cur)
		return wearables.TokenUpdate{Delete: true, Status: wearables.ConnectionRevoked, Reason: disconnectedReason}, nil
	})
	if errors.Is(err, wearables.ErrNotFound) {
		err = f.s.Connections.SetConnectionStatus(ctx, connectionID, wearables.ConnectionRevoked, disconnectedReason)
	}
	if err != nil {
		return fmt.Errorf("oauthflow: disconnect %s: %w", connectionID, err)
	}
	if revokeErr != nil {
		f.s.Logger.WarnContext(ctx, "oauthflow: vendor revocation failed; connection revoked locally",
			slog.String("provider", string(conn.Provider)), slog.String("connection_id", connectionID), slog.String("error", revokeErr.Error()))
		return fmt.Errorf("oauthflow: disconnect %s: %w: %w", connectionID, ErrRevokeFailed, revokeErr)
	}
	f.s.Logger.InfoContext(ctx, "oauthflow: connection disconnected",
		slog.String("provider", string(conn.Provider)), slog.String("connection_id", connectionID))
	return nil
}

// revoke revokes a stored token at the vendor, if the provider can.
func (f *Flow) revoke(ctx context.Context, p *provider, conn wearables.Connection, et wearables.EncryptedToken) error {
	if p == nil {
		return nil
	}
	r, ok := p.p.(wearables.Revoker)
	if !ok {
		return nil
	}
	tok, err := f.s.Keyring.Open(et)
	if err != nil {
		return err
	}
	if err := r.Revoke(f.s.httpContext(ctx), f.s.HTTPClient, conn, tok); err != nil {
		return &redactedError{msg: redact(err.Error(), []string{tok.AccessToken, tok.RefreshToken, string(p.secret)}), err: err}
	}
	return nil
}
