package oauthflow

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// Secret is a string that never prints: String, GoString and every fmt verb
// show "[REDACTED]". Convert it with string(s) where the value is needed.
type Secret string

// String returns "[REDACTED]".
func (Secret) String() string { return redactWith }

// GoString returns "[REDACTED]".
func (Secret) GoString() string { return redactWith }

// Format writes "[REDACTED]" whatever the verb.
func (Secret) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redactWith) }

// ProviderConfig is one provider as this deployment's OAuth client sees it.
type ProviderConfig struct {
	// Provider describes the vendor: endpoints, scopes, PKCE, extra
	// authorize parameters, and optionally how to read the vendor's user id
	// (wearables.ProviderUserIDReader) and revoke (wearables.Revoker).
	Provider     wearables.Provider
	ClientID     string
	ClientSecret Secret
	// Scopes overrides the provider's default scopes when non-nil.
	Scopes []string
	// AuthStyle overrides how the client authenticates at the token
	// endpoint when non-zero. When both this and the provider's
	// Endpoint.AuthStyle are oauth2.AuthStyleAutoDetect, HTTP Basic
	// (oauth2.AuthStyleInHeader, which RFC 6749 §2.3.1 requires every server
	// to support) is used: auto-detection would send a failed refresh twice,
	// and a vendor that rotates refresh tokens punishes the second one.
	AuthStyle oauth2.AuthStyle
}

// Config configures a Flow and a TokenBroker. Fields marked "Flow only" are
// ignored by NewTokenBroker.
type Config struct {
	// Providers lists the providers users may connect. Required.
	Providers []ProviderConfig
	// RedirectURIs is the allowlist of redirect URIs, compared by exact
	// string match. Flow only; required.
	RedirectURIs []string
	// States keeps pending authorizations: any wearables.Store, a
	// MemoryStateStore, or a redisstate.Store. Flow only; required.
	States wearables.AuthStateStore
	// Connections and Tokens are usually the same wearables.Store. Required.
	Connections wearables.ConnectionStore
	Tokens      wearables.TokenStore
	// Keyring encrypts tokens at rest. Required.
	Keyring *Keyring
	// HTTPClient sends token, user-id and revocation requests. Defaults to a
	// client with a 30 second timeout.
	HTTPClient *http.Client
	// StateTTL is how long an authorization may take, from Begin to the
	// callback. Defaults to 10 minutes.
	StateTTL time.Duration
	// ExpiryLeeway: a token expiring sooner than this is refreshed before it
	// is handed out. Defaults to 1 minute.
	ExpiryLeeway time.Duration
	// RefreshTimeout bounds one refresh: waiting for the lock, the vendor
	// calls with their retries, and the commit. Defaults to 1 minute.
	RefreshTimeout time.Duration
	// NewBackOff returns the retry policy for network errors and 5xx/429
	// responses of the token endpoint during a refresh. Defaults to
	// exponential back-off from 200 ms, at most 5 s apart, for at most 20 s.
	NewBackOff func() backoff.BackOff
	// Logger receives structured logs. It never receives tokens, codes,
	// verifiers, state parameters or client secrets. Defaults to discarding.
	Logger *slog.Logger
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
}

// defaultHTTPTimeout is the timeout of the default HTTP client.
const defaultHTTPTimeout = 30 * time.Second

// provider is a configured provider, resolved once.
type provider struct {
	id       wearables.ProviderID
	p        wearables.Provider
	spec     wearables.OAuthSpec
	clientID string
	secret   Secret
	scopes   []string
}

// oauthConfig returns the x/oauth2 configuration for one request.
func (p *provider) oauthConfig(redirectURI string, scopes []string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     p.clientID,
		ClientSecret: string(p.secret),
		Endpoint:     p.spec.Endpoint,
		RedirectURL:  redirectURI,
		Scopes:       scopes,
	}
}

// settings is a validated, defaulted Config.
type settings struct {
	Config
	providers map[wearables.ProviderID]*provider
}

func (c Config) resolve(flow bool) (*settings, error) {
	s := &settings{Config: c, providers: make(map[wearables.ProviderID]*provider, len(c.Providers))}
	switch {
	case len(c.Providers) == 0:
		return nil, fmt.Errorf("oauthflow: config: no providers: %w", wearables.ErrInvalid)
	case c.Connections == nil || c.Tokens == nil:
		return nil, fmt.Errorf("oauthflow: config: Connections and Tokens are required: %w", wearables.ErrInvalid)
	case c.Keyring == nil:
		return nil, fmt.Errorf("oauthflow: config: Keyring is required: %w", wearables.ErrInvalid)
	case flow && c.States == nil:
		return nil, fmt.Errorf("oauthflow: config: States is required: %w", wearables.ErrInvalid)
	case flow && len(c.RedirectURIs) == 0:
		return nil, fmt.Errorf("oauthflow: config: RedirectURIs is required: %w", wearables.ErrInvalid)
	}
	for i, pc := range c.Providers {
		if pc.Provider == nil {
			return nil, fmt.Errorf("oauthflow: config: Providers[%d] has no Provider: %w", i, wearables.ErrInvalid)
		}
		id := pc.Provider.ID()
		if _, dup := s.providers[id]; dup {
			return nil, fmt.Errorf("oauthflow: config: provider %q listed twice: %w", id, wearables.ErrInvalid)
		}
		spec := pc.Provider.OAuth()
		if spec.Endpoint.AuthURL == "" || spec.Endpoint.TokenURL == "" {
			return nil, fmt.Errorf("oauthflow: config: provider %q has no authorize or token URL: %w", id, wearables.ErrInvalid)
		}
		if pc.ClientID == "" {
			return nil, fmt.Errorf("oauthflow: config: provider %q has no client id: %w", id, wearables.ErrInvalid)
		}
		if pc.AuthStyle != oauth2.AuthStyleAutoDetect {
			spec.Endpoint.AuthStyle = pc.AuthStyle
		}
		if spec.Endpoint.AuthStyle == oauth2.AuthStyleAutoDetect {
			spec.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
		}
		scopes := spec.Scopes
		if pc.Scopes != nil {
			scopes = pc.Scopes
		}
		s.providers[id] = &provider{id: id, p: pc.Provider, spec: spec, clientID: pc.ClientID, secret: pc.ClientSecret, scopes: scopes}
	}
	if s.HTTPClient == nil {
		s.HTTPClient = &http.Client{Timeout: defaultHTTPTimeout}
	}
	if s.StateTTL <= 0 {
		s.StateTTL = 10 * time.Minute
	}
	if s.ExpiryLeeway <= 0 {
		s.ExpiryLeeway = time.Minute
	}
	if s.RefreshTimeout <= 0 {
		s.RefreshTimeout = time.Minute
	}
	if s.NewBackOff == nil {
		s.NewBackOff = func() backoff.BackOff {
			return backoff.NewExponentialBackOff(
				backoff.WithInitialInterval(200*time.Millisecond),
				backoff.WithMaxInterval(5*time.Second),
				backoff.WithMaxElapsedTime(20*time.Second),
			)
		}
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	return s, nil
}

// provider returns a configured provider or ErrUnknownProvider.
func (s *settings) provider(id wearables.ProviderID) (*provider, error) {
	p, ok := s.providers[id]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownProvider, id)
	}
	return p, nil
}

// providerList returns the configured provider ids, sorted, comma-separated.
func (s *settings) providerList() string {
	ids := make([]string, 0, len(s.providers))
	for id := range s.providers {
		ids = append(ids, string(id))
	}
	slices.Sort(ids)
	return strings.Join(ids, ",")
}

// httpContext returns ctx carrying the HTTP client for x/oauth2.
func (s *settings) httpContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, s.HTTPClient)
}
