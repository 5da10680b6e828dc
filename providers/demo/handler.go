package demo

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of HandlerConfig.
const (
	DefaultAccessTokenTTL = time.Hour
	DefaultHistory        = 365 * 24 * time.Hour
	// MaxWindow is the longest [start, end) window one API request may ask for.
	MaxWindow = 31 * 24 * time.Hour
	codeTTL   = 10 * time.Minute
)

// Scopes the demo vendor knows. The provider asks for all of them.
const (
	ScopeActivity = "activity" // workouts, steps
	ScopeSleep    = "sleep"    // sleep, HRV, SpO2
	ScopeHeart    = "heartrate"
	ScopeBody     = "body" // weight and body fat
)

var allScopes = []string{ScopeActivity, ScopeSleep, ScopeHeart, ScopeBody}

var scopeOf = map[string]string{
	"/api/v1/workouts":  ScopeActivity,
	"/api/v1/steps":     ScopeActivity,
	"/api/v1/sleep":     ScopeSleep,
	"/api/v1/hrv":       ScopeSleep,
	"/api/v1/spo2":      ScopeSleep,
	"/api/v1/heartrate": ScopeHeart,
	"/api/v1/weight":    ScopeBody,
}

// HandlerConfig configures the demo vendor.
type HandlerConfig struct {
	// ClientID and ClientSecret are the OAuth client credentials the token
	// endpoint accepts (HTTP Basic or form body). Required.
	ClientID, ClientSecret string
	// Seed selects the synthetic population: the same seed and account id
	// always give the same data.
	Seed uint64
	// AutoApprove makes the authorize page approve at once and redirect
	// back, for tests and scripted demos. By default it shows a page with
	// an Approve button.
	AutoApprove bool
	// RedirectURIs, when set, is the exact-match allowlist of redirect URIs.
	// Empty allows any http(s) URI (it is a demo).
	RedirectURIs []string
	// AccessTokenTTL is the lifetime of access tokens. Defaults to
	// DefaultAccessTokenTTL.
	AccessTokenTTL time.Duration
	// History is how far back data exists. Defaults to DefaultHistory.
	History time.Duration
	// SigningKey signs codes and tokens. Defaults to a key derived from
	// ClientSecret, so tokens survive a restart.
	SigningKey []byte
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
}

// Handler is the demo vendor: an OAuth 2.0 authorization server
// (authorize page, token endpoint with PKCE and refresh-token rotation,
// revocation) and a data API serving the synthetic data of each account,
// all under one http.Handler. Mount it under a prefix with
// http.StripPrefix and give the provider that URL as Config.BaseURL:
//
//	mux.Handle("/demo/", http.StripPrefix("/demo", h))
//	p := demo.New(demo.Config{BaseURL: "http://localhost:8080/demo"})
//
// Routes: GET/POST /oauth/authorize, POST /oauth/token, POST /oauth/revoke,
// GET /api/v1/me, and GET /api/v1/{workouts,sleep,heartrate,steps,hrv,spo2,weight}
// with start and end (RFC 3339), limit and page_token.
//
// Codes and tokens are signed, self-contained values, so they survive a
// restart; used codes, rotated refresh tokens and revocations are
// remembered in memory only. A Handler is safe for concurrent use.
type Handler struct {
	cfg HandlerConfig
	key []byte
	mux *http.ServeMux

	mu      sync.Mutex
	used    map[string]time.Time // nonces of used codes and rotated refresh tokens → when they expire
	revoked map[string]bool      // revoked grant ids
}

// NewHandler returns the demo vendor. Missing client credentials are an
// error.
func NewHandler(cfg HandlerConfig) (*Handler, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("demo: handler needs ClientID and ClientSecret")
	}
	if cfg.AccessTokenTTL <= 0 {
		cfg.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if cfg.History <= 0 {
		cfg.History = DefaultHistory
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{cfg: cfg, key: cfg.SigningKey, used: map[string]time.Time{}, revoked: map[string]bool{}}
	if len(h.key) == 0 {
		sum := sha256.Sum256([]byte("wearables demo signing key\x00" + cfg.ClientSecret))
		h.key = sum[:]
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth/authorize", h.authorizePage)
	mux.HandleFunc("POST /oauth/authorize", h.authorizeDecision)
	mux.HandleFunc("POST /oauth/token", h.token)
	mux.HandleFunc("POST /oauth/revoke", h.revoke)
	mux.HandleFunc("GET /api/v1/me", h.me)
	for _, e := range endpoints {
		mux.HandleFunc("GET "+e.path, h.data(e))
	}
	h.mux = mux
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// claims is the payload of a signed code or token.
type claims struct {
	Kind      string `json:"k"`           // "code", "at", "rt"
	Account   string `json:"a"`           // account id
	Grant     string `json:"g"`           // grant id, shared by a code's tokens and their rotations
	Nonce     string `json:"n"`           // unique per value
	Expiry    int64  `json:"e,omitempty"` // Unix seconds; 0 = none
	Scope     string `json:"s,omitempty"`
	Redirect  string `json:"r,omitempty"` // codes only
	Challenge string `json:"c,omitempty"` // codes only: PKCE S256 challenge
}

var tokenPrefix = map[string]string{"code": "dcode_", "at": "dat_", "rt": "drt_"}

func (h *Handler) sign(c claims) string {
	payload, _ := json.Marshal(c)
	p := base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, h.key)
	mac.Write([]byte(c.Kind + "." + p))
	return tokenPrefix[c.Kind] + p + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// open verifies a signed value of the given kind: signature, expiry and
// grant revocation (not single use; see consume).
func (h *Handler) open(kind, v string) (claims, bool) {
	rest, ok := strings.CutPrefix(v, tokenPrefix[kind])
	if !ok {
		return claims{}, false
	}
	p, sig, ok := strings.Cut(rest, ".")
	if !ok {
		return claims{}, false
	}
	mac := hmac.New(sha256.New, h.key)
	mac.Write([]byte(kind + "." + p))
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return claims{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return claims{}, false
	}
	var c claims
	if json.Unmarshal(payload, &c) != nil || c.Kind != kind {
		return claims{}, false
	}
	if c.Expiry != 0 && h.cfg.Now().Unix() >= c.Expiry {
		return claims{}, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return c, !h.revoked[c.Grant]
}

// consume marks a single-use value's nonce as used; it reports false when
// it already was.
func (h *Handler) consume(c claims) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.cfg.Now()
	for n, exp := range h.used {
		if now.After(exp) {
			delete(h.used, n)
		}
	}
	if _, dup := h.used[c.Nonce]; dup {
		return false
	}
	exp := now.Add(365 * 24 * time.Hour)
	if c.Expiry != 0 {
		exp = time.Unix(c.Expiry, 0)
	}
	h.used[c.Nonce] = exp
	return true
}

func nonce() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// authRequest is a validated authorize request.
type authRequest struct {
	ClientID, RedirectURI, State, Scope, Challenge, Account string
}

var accountRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{2,39}$`)

// parseAuthorize validates the authorize parameters in form.
func (h *Handler) parseAuthorize(form url.Values) (authRequest, error) {
	ar := authRequest{
		ClientID:    form.Get("client_id"),
		RedirectURI: form.Get("redirect_uri"),
		State:       form.Get("state"),
		Scope:       form.Get("scope"),
		Challenge:   form.Get("code_challenge"),
		Account:     form.Get("login_hint"),
	}
	if form.Get("account") != "" {
		ar.Account = form.Get("account")
	}
	switch {
	case form.Get("response_type") != "code":
		return ar, errors.New("response_type must be code")
	case subtle.ConstantTimeCompare([]byte(ar.ClientID), []byte(h.cfg.ClientID)) != 1:
		return ar, errors.New("unknown client_id")
	case ar.Challenge != "" && form.Get("code_challenge_method") != "S256":
		return ar, errors.New("code_challenge_method must be S256")
	}
	u, err := url.Parse(ar.RedirectURI)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
		return ar, errors.New("redirect_uri must be an absolute http(s) URI")
	}
	if len(h.cfg.RedirectURIs) > 0 && !slices.Contains(h.cfg.RedirectURIs, ar.RedirectURI) {
		return ar, errors.New("redirect_uri is not registered")
	}
	if ar.Account != "" && !accountRE.MatchString(ar.Account) {
		return ar, errors.New("account must be 3-40 lower-case letters, digits or dashes")
	}
	if ar.Scope == "" {
		ar.Scope = strings.Join(allScopes, " ")
	}
	for _, s := range strings.Fields(ar.Scope) {
		if !slices.Contains(allScopes, s) {
			return ar, fmt.Errorf("unknown scope %q", s)
		}
	}
	return ar, nil
}

func newAccountID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "demo-" + hex.EncodeToString(b)
}

var authorizeTmpl = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo Wearables — authorize</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}input{font-size:1rem;padding:.3rem}</style></head>
<body><h1>Demo Wearables</h1>
<p>An application wants to read your synthetic health data: {{.Scope}}.</p>
<p>Nothing here is real: the demo vendor generates a year of plausible workouts, sleep,
heart rate, steps, HRV, SpO2 and weight for the account below.</p>
<form method="post">
<input type="hidden" name="response_type" value="code">
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="scope" value="{{.Scope}}">
<input type="hidden" name="code_challenge" value="{{.Challenge}}">
<input type="hidden" name="code_challenge_method" value="S256">
<p><label>Demo account <input name="account" value="{{.Account}}" pattern="[a-z0-9][a-z0-9\-]{2,39}"></label></p>
<button name="decision" value="approve" type="submit">Approve</button>
<button name="decision" value="deny" type="submit">Deny</button>
</form></body></html>
`))

// authorizePage shows the consent page, or approves at once.
func (h *Handler) authorizePage(w http.ResponseWriter, r *http.Request) {
	ar, err := h.parseAuthorize(r.URL.Query())
	if err != nil {
		http.Error(w, "demo: authorize: "+err.Error(), http.StatusBadRequest)
		return
	}
	if ar.Account == "" {
		ar.Account = newAccountID()
	}
	if h.cfg.AutoApprove {
		h.redirectWithCode(w, r, ar)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	_ = authorizeTmpl.Execute(w, ar)
}

// authorizeDecision handles the consent form.
func (h *Handler) authorizeDecision(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "demo: authorize: bad form", http.StatusBadRequest)
		return
	}
	ar, err := h.parseAuthorize(r.PostForm)
	if err != nil {
		http.Error(w, "demo: authorize: "+err.Error(), http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("decision") != "approve" {
		redirectBack(w, r, ar.RedirectURI, url.Values{"error": {"access_denied"}, "state": {ar.State}})
		return
	}
	if ar.Account == "" {
		ar.Account = newAccountID()
	}
	h.redirectWithCode(w, r, ar)
}

func (h *Handler) redirectWithCode(w http.ResponseWriter, r *http.Request, ar authRequest) {
	code := h.sign(claims{
		Kind: "code", Account: ar.Account, Grant: nonce(), Nonce: nonce(),
		Expiry: h.cfg.Now().Add(codeTTL).Unix(), Scope: ar.Scope, Redirect: ar.RedirectURI, Challenge: ar.Challenge,
	})
	redirectBack(w, r, ar.RedirectURI, url.Values{"code": {code}, "state": {ar.State}})
}

func redirectBack(w http.ResponseWriter, r *http.Request, redirect string, params url.Values) {
	u, _ := url.Parse(redirect)
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// token is the token endpoint: authorization_code (with PKCE when the
// authorize request had a challenge) and refresh_token with rotation.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "bad form body")
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if subtle.ConstantTimeCompare([]byte(id), []byte(h.cfg.ClientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(secret), []byte(h.cfg.ClientSecret)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="demo"`)
		oauthError(w, http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	var grant claims
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		c, ok := h.open("code", r.PostForm.Get("code"))
		switch {
		case !ok:
			oauthError(w, http.StatusBadRequest, "invalid_grant", "code is invalid or expired")
			return
		case r.PostForm.Get("redirect_uri") != c.Redirect:
			oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorize request")
			return
		case c.Challenge != "" && !pkceMatches(c.Challenge, r.PostForm.Get("code_verifier")):
			oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match")
			return
		case !h.consume(c):
			oauthError(w, http.StatusBadRequest, "invalid_grant", "code was already used")
			return
		}
		grant = c
	case "refresh_token":
		c, ok := h.open("rt", r.PostForm.Get("refresh_token"))
		if !ok || !h.consume(c) {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "refresh token is invalid, revoked or already used")
			return
		}
		grant = c
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "use authorization_code or refresh_token")
		return
	}
	now := h.cfg.Now()
	at := h.sign(claims{Kind: "at", Account: grant.Account, Grant: grant.Grant, Nonce: nonce(), Expiry: now.Add(h.cfg.AccessTokenTTL).Unix(), Scope: grant.Scope})
	rt := h.sign(claims{Kind: "rt", Account: grant.Account, Grant: grant.Grant, Nonce: nonce(), Scope: grant.Scope})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token":  at,
		"token_type":    "Bearer",
		"expires_in":    int64(h.cfg.AccessTokenTTL / time.Second),
		"refresh_token": rt,
		"scope":         grant.Scope,
		"account_id":    grant.Account,
	})
}

func pkceMatches(challenge, verifier string) bool {
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) == 1
}

// revoke revokes the grant of an access or refresh token (RFC 7009 style:
// it answers 200 whether or not the token was valid).
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "bad form body")
		return
	}
	tok := r.PostForm.Get("token")
	for _, kind := range []string{"at", "rt"} {
		if c, ok := h.open(kind, tok); ok {
			h.mu.Lock()
			h.revoked[c.Grant] = true
			h.mu.Unlock()
		}
	}
	w.WriteHeader(http.StatusOK)
}

// bearer authenticates an API request and returns its claims.
func (h *Handler) bearer(w http.ResponseWriter, r *http.Request) (claims, bool) {
	auth := r.Header.Get("Authorization")
	if len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
		if c, ok := h.open("at", strings.TrimSpace(auth[7:])); ok {
			return c, true
		}
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="demo", error="invalid_token"`)
	apiError(w, http.StatusUnauthorized, "invalid_token", "the access token is missing, expired or revoked")
	return claims{}, false
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) {
	c, ok := h.bearer(w, r)
	if !ok {
		return
	}
	a := newAccount(h.cfg.Seed, c.Account)
	writeJSON(w, wireMe{AccountID: c.Account, DisplayName: "Demo " + strings.TrimPrefix(c.Account, "demo-"), UTCOffset: offsetString(a)})
}

func offsetString(a account) string {
	if a.offset == 0 {
		return "+00:00"
	}
	return a.offset.String()
}

// data serves one data route.
func (h *Handler) data(e endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := h.bearer(w, r)
		if !ok {
			return
		}
		if !slices.Contains(strings.Fields(c.Scope), scopeOf[e.path]) {
			apiError(w, http.StatusForbidden, "insufficient_scope", "the token lacks scope "+scopeOf[e.path])
			return
		}
		q := r.URL.Query()
		start, err1 := time.Parse(time.RFC3339, q.Get("start"))
		end, err2 := time.Parse(time.RFC3339, q.Get("end"))
		if err1 != nil || err2 != nil {
			apiError(w, http.StatusBadRequest, "invalid_request", "start and end must be RFC 3339 times")
			return
		}
		if !end.After(start) || end.Sub(start) > MaxWindow {
			apiError(w, http.StatusBadRequest, "invalid_request", "the window must be positive and at most 31 days")
			return
		}
		limit := e.limit
		if s := q.Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > e.limit {
				apiError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("limit must be 1-%d", e.limit))
				return
			}
			limit = n
		}
		offset := 0
		if tok := q.Get("page_token"); tok != "" {
			n, ok := parsePageToken(tok)
			if !ok {
				apiError(w, http.StatusBadRequest, "invalid_request", "page_token is not valid")
				return
			}
			offset = n
		}
		now := h.cfg.Now()
		if earliest := now.Add(-h.cfg.History); start.Before(earliest) {
			start = earliest
		}
		items := newAccount(h.cfg.Seed, c.Account).items(e.dataType, start, end, now)
		page := wirePage[any]{Data: []any{}}
		if offset < len(items) {
			page.Data = items[offset:min(offset+limit, len(items))]
		}
		if offset+limit < len(items) {
			tok := pageToken(offset + limit)
			page.NextPageToken = &tok
		}
		writeJSON(w, page)
	}
}

// pageToken encodes a page offset opaquely.
func pageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func parsePageToken(tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	s, ok := strings.CutPrefix(string(b), "offset:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && n < 1<<24
}

func writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		apiError(w, http.StatusInternalServerError, "internal", "encoding failed")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// apiError writes the demo vendor's error body.
func apiError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "error": code, "message": msg})
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// Notify posts n to a webhook URL, signed with secret the way the demo
// vendor signs (see SignWebhook), and returns an error unless the receiver
// answered 2xx. It lets a demo or an end-to-end test push a notification
// the way a real vendor would.
func (h *Handler) Notify(ctx context.Context, client *http.Client, webhookURL, secret string, n Notification) error {
	body, err := json.Marshal(n)
	if err != nil {
		return fmt.Errorf("demo: notify: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhookURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("demo: notify: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range SignWebhook(secret, h.cfg.Now(), body) {
		req.Header[k] = vs
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("demo: notify: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("demo: notify: receiver answered %d", resp.StatusCode)
	}
	return nil
}
