package providertest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Test credentials the fake server accepts; Env carries them to the
// provider under test.
const (
	testClientID      = "providertest-client"
	testClientSecret  = "providertest-secret"
	testWebhookSecret = "providertest-webhook-secret"
)

// Server is a fake vendor: an httptest server that answers the vendor's
// real paths from recorded fixtures, implements its authorize and token
// endpoints (client auth style, PKCE, refresh-token rotation), its
// pagination, its rate-limit headers and quota, and injects faults on
// demand. Data routes require a bearer token the server issued and has not
// expired or revoked. Requests matching no fixture get 404 with a
// Providertest-Miss header naming the request.
//
// Server is safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, e.g. "http://127.0.0.1:53412"
	// (no trailing slash). Providers under test use it as their API, auth
	// and token base URL.
	URL string

	vendor Vendor
	fx     Fixtures
	files  map[string][]byte
	ts     *httptest.Server
	faults *FaultHandler

	mu        sync.Mutex
	codes     map[string]authCode
	access    map[string]accessToken
	refresh   map[string]bool
	refreshes int
	exchanges int
	log       []Request
	logSeq    []uint64
	seq       uint64
	quotaAt   time.Time
	quotaUsed int
}

type authCode struct {
	redirectURI string
	challenge   string
	scope       string
}

type accessToken struct {
	expiry  time.Time
	refresh string
	revoked bool
}

// Request is one request the server received, as logged by Requests.
type Request struct {
	Method string
	Path   string
	// Query holds the query and form parameters.
	Query url.Values
	// Case names the fixture case the request matched; empty if none.
	Case string
	// Page is the index of the page served for Case, len(Pages) for a page
	// past the end (Pagination.Numbered), -1 otherwise.
	Page int
	// Static is true when the request matched a Static fixture.
	Static bool
	// OAuth is true for requests to the authorize, token or revoke endpoints.
	OAuth bool
	// Status is the status sent; 0 when the connection was dropped or the
	// response is still being written.
	Status int
	// Fault describes the injected fault, if any.
	Fault string
	// Miss explains why a data request matched no fixture.
	Miss string
}

// NewServer starts a fake vendor serving fx the way v behaves. It returns
// an error when the fixtures are inconsistent (missing files, duplicate
// names, pages without tokens). Close it when done.
func NewServer(v Vendor, fx Fixtures) (*Server, error) {
	if err := fx.validate(v); err != nil {
		return nil, err
	}
	s := &Server{
		vendor:  v,
		fx:      fx,
		files:   map[string][]byte{},
		codes:   map[string]authCode{},
		access:  map[string]accessToken{},
		refresh: map[string]bool{},
	}
	load := func(name string) error {
		if name == "" || s.files[name] != nil {
			return nil
		}
		b, err := fx.readFile(name)
		if err != nil {
			return err
		}
		s.files[name] = b
		return nil
	}
	for _, c := range fx.Cases {
		for _, p := range c.Pages {
			if err := load(p.File); err != nil {
				return nil, err
			}
		}
	}
	for _, st := range fx.Static {
		if err := load(st.File); err != nil {
			return nil, err
		}
	}
	s.faults = &FaultHandler{vendor: v, exempt: s.isOAuth}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL
	return s, nil
}

// Close shuts the server down.
func (s *Server) Close() { s.ts.Close() }

// Client returns a plain client for the server (no token).
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Env returns what a provider under test needs to talk to the server.
func (s *Server) Env() Env {
	return Env{
		URL:           s.URL,
		ClientID:      testClientID,
		ClientSecret:  testClientSecret,
		WebhookSecret: testWebhookSecret,
		HTTPClient:    s.ts.Client(),
	}
}

// OAuthConfig returns an oauth2.Config for the server's endpoints and test
// client, with the vendor's auth style.
func (s *Server) OAuthConfig(redirectURL string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		RedirectURL:  redirectURL,
		Endpoint: oauth2.Endpoint{
			AuthURL:   s.URL + s.vendor.authorizePath(),
			TokenURL:  s.URL + s.vendor.tokenPath(),
			AuthStyle: s.vendor.AuthStyle,
		},
	}
}

// IssueToken returns a fresh token pair, as after a completed
// authorization (no refresh token when Vendor.NoRefreshToken).
func (s *Server) IssueToken() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked("")
}

func (s *Server) issueLocked(refresh string) *oauth2.Token {
	ttl := s.vendor.accessTTL()
	tok := &oauth2.Token{
		AccessToken: "at-" + randomHex(12),
		TokenType:   "Bearer",
		Expiry:      time.Now().Add(ttl),
		ExpiresIn:   int64(ttl / time.Second),
	}
	if !s.vendor.NoRefreshToken {
		if refresh == "" || s.vendor.RotateRefreshTokens {
			refresh = "rt-" + randomHex(12)
		}
		s.refresh[refresh] = true
		tok.RefreshToken = refresh
	}
	s.access[tok.AccessToken] = accessToken{expiry: tok.Expiry, refresh: tok.RefreshToken}
	return tok
}

// ExpireAccessTokens makes every access token issued so far stop working
// (the vendor answers 401), as when tokens expire early or the vendor
// rotates its keys. Refresh tokens stay valid.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, a := range s.access {
		a.revoked = true
		s.access[k] = a
	}
}

// TokenValid reports whether an access token would be accepted now.
func (s *Server) TokenValid(access string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.validLocked(access)
}

func (s *Server) validLocked(access string) bool {
	a, ok := s.access[access]
	return ok && !a.revoked && time.Now().Before(a.expiry)
}

// Refreshes returns how many refresh_token grants the token endpoint
// received (successful or not).
func (s *Server) Refreshes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes
}

// Exchanges returns how many authorization_code grants succeeded.
func (s *Server) Exchanges() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exchanges
}

// Inject queues faults; see Fault. Faults without a Path skip the OAuth
// endpoints.
func (s *Server) Inject(faults ...Fault) { s.faults.Inject(faults...) }

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetLog empties the request log.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log, s.logSeq = nil, nil
}

// Misses returns the logged data requests that matched no fixture, as
// "GET /path?query: reason" lines.
func (s *Server) Misses() []string {
	var out []string
	for _, r := range s.Requests() {
		if r.Miss != "" {
			out = append(out, r.Method+" "+r.Path+"?"+r.Query.Encode()+": "+r.Miss)
		}
	}
	return out
}

func (s *Server) isOAuth(r *http.Request) bool {
	p := r.URL.Path
	return p == s.vendor.authorizePath() || p == s.vendor.tokenPath() || (s.vendor.Revoke.Path != "" && p == s.vendor.Revoke.Path)
}

// record appends req to the log and returns its sequence number.
func (s *Server) record(req Request) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.log = append(s.log, req)
	s.logSeq = append(s.logSeq, s.seq)
	return s.seq
}

// setStatus fills in the status of a logged request, if still logged.
func (s *Server) setStatus(seq uint64, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.logSeq) - 1; i >= 0; i-- {
		if s.logSeq[i] == seq {
			s.log[i].Status = status
			return
		}
	}
}

// serveHTTP logs the request, applies any fault and routes it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	entry := Request{Method: r.Method, Path: r.URL.Path, Query: cloneValues(r.Form), Page: -1}
	var route http.HandlerFunc
	switch {
	case r.URL.Path == s.vendor.authorizePath():
		entry.OAuth, route = true, s.authorize
	case r.URL.Path == s.vendor.tokenPath():
		entry.OAuth, route = true, s.token
	case s.vendor.Revoke.Path != "" && r.URL.Path == s.vendor.Revoke.Path:
		entry.OAuth, route = true, s.revoke
	default:
		route = s.data(r, &entry)
	}
	f, faulted := s.faults.take(r)
	if faulted {
		entry.Fault = f.String()
	}
	// Log before answering: a client may act on the response (and read the
	// log) before this handler returns.
	seq := s.record(entry)
	status := 0
	if faulted {
		status = applyFault(w, r, f, s.vendor, route)
	} else {
		rec := &statusRecorder{ResponseWriter: w}
		route(rec, r)
		status = rec.status()
	}
	s.setStatus(seq, status)
}

// data matches r against the fixtures and returns the handler answering it.
func (s *Server) data(r *http.Request, entry *Request) http.HandlerFunc {
	c, page, miss := s.matchCase(r)
	if c != nil {
		entry.Case, entry.Page = c.name(), page
		if page == len(c.Pages) {
			return s.authorized(func(w http.ResponseWriter, r *http.Request) {
				s.writeBody(w, http.StatusOK, nil, []byte(s.vendor.Pagination.EmptyPage))
			})
		}
		p := c.Pages[page]
		return s.authorized(func(w http.ResponseWriter, r *http.Request) {
			s.writeBody(w, p.Status, p.Header, s.files[p.File])
		})
	}
	if st := s.matchStatic(r); st != nil {
		entry.Static = true
		h := func(w http.ResponseWriter, r *http.Request) { s.writeBody(w, st.Status, st.Header, s.files[st.File]) }
		if st.Public {
			return h
		}
		return s.authorized(h)
	}
	if miss == "" {
		miss = "no case or static fixture for this method and path"
	}
	entry.Miss = miss
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Providertest-Miss", r.Method+" "+r.URL.Path+": "+miss)
		writeError(w, s.vendor, http.StatusNotFound, "", nil, 0)
	}
}

// authorized wraps h with the bearer-token check and the quota.
func (s *Server) authorized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearer(r)
		if !ok || !s.TokenValid(tok) {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeError(w, s.vendor, http.StatusUnauthorized, "", nil, 0)
			return
		}
		if h429, limited := s.quota(w); limited {
			writeError(w, s.vendor, http.StatusTooManyRequests, "", h429, 0)
			return
		}
		h(w, r)
	}
}

// quota counts a data request against Vendor.Quota, sets the vendor's
// rate-limit headers on w, and reports whether the request is over quota
// (with the headers of the 429).
func (s *Server) quota(w http.ResponseWriter) (http.Header, bool) {
	q := s.vendor.Quota
	if q.Requests <= 0 {
		return nil, false
	}
	window := q.Window
	if window <= 0 {
		window = time.Minute
	}
	s.mu.Lock()
	now := time.Now()
	if s.quotaAt.IsZero() || now.Sub(s.quotaAt) >= window {
		s.quotaAt, s.quotaUsed = now, 0
	}
	s.quotaUsed++
	used, reset := s.quotaUsed, s.quotaAt.Add(window)
	s.mu.Unlock()
	h := s.vendor.RateLimit.Headers(q.Requests, q.Requests-used, reset, now)
	if used > q.Requests {
		if s.vendor.RateLimit.RetryAfter {
			h.Set("Retry-After", strconv.Itoa(int((reset.Sub(now)+time.Second-1)/time.Second)))
		}
		return h, true
	}
	for k, vs := range h {
		w.Header()[k] = vs
	}
	return nil, false
}

// matchCase finds the case and page answering r. page is len(Pages) for a
// numbered page past the end. miss says why a near match failed.
func (s *Server) matchCase(r *http.Request) (c *Case, page int, miss string) {
	cands := make([]*Case, 0, 4)
	for i := range s.fx.Cases {
		c := &s.fx.Cases[i]
		if c.Path == r.URL.Path && c.method() == r.Method {
			cands = append(cands, c)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return len(cands[i].Query) > len(cands[j].Query) })
	param := s.vendor.Pagination.Param
	token := ""
	if param != "" {
		token = r.Form.Get(param)
	}
	for _, c := range cands {
		if why := queryMismatch(c.Query, r.Form); why != "" {
			miss = fmt.Sprintf("case %q: %s", c.name(), why)
			continue
		}
		for i, p := range c.Pages {
			if p.Token == token || (s.vendor.Pagination.Numbered && i == 0 && token == "1") {
				return c, i, ""
			}
		}
		if s.vendor.Pagination.Numbered {
			if n, err := strconv.Atoi(token); err == nil && n > len(c.Pages) {
				return c, len(c.Pages), ""
			}
		}
		miss = fmt.Sprintf("case %q: no page has %s=%q", c.name(), param, token)
	}
	return nil, -1, miss
}

func (s *Server) matchStatic(r *http.Request) *Static {
	var best *Static
	for i := range s.fx.Static {
		st := &s.fx.Static[i]
		if st.Path != r.URL.Path || st.method() != r.Method || queryMismatch(st.Query, r.Form) != "" {
			continue
		}
		if best == nil || len(st.Query) > len(best.Query) {
			best = st
		}
	}
	return best
}

// queryMismatch returns "" when every want parameter has its value in got.
func queryMismatch(want map[string]string, got url.Values) string {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if vs, ok := got[k]; !ok {
			return fmt.Sprintf("parameter %s missing (want %q)", k, want[k])
		} else if len(vs) != 1 || vs[0] != want[k] {
			return fmt.Sprintf("parameter %s=%q, want %q", k, strings.Join(vs, ","), want[k])
		}
	}
	return ""
}

// writeBody writes a recorded response, rewriting vendor URLs.
func (s *Server) writeBody(w http.ResponseWriter, status int, header map[string]string, body []byte) {
	if status == 0 {
		status = http.StatusOK
	}
	body = []byte(s.rewrite(string(body)))
	for k, v := range header {
		w.Header().Set(k, s.rewrite(v))
	}
	if w.Header().Get("Content-Type") == "" && len(body) > 0 {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (s *Server) rewrite(v string) string {
	for _, u := range s.vendor.RewriteURLs {
		v = strings.ReplaceAll(v, strings.TrimRight(u, "/"), s.URL)
	}
	return v
}

// authorize implements the vendor's authorize page: it approves at once and
// redirects back with a code.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.Form
	redirect := q.Get("redirect_uri")
	switch {
	case r.Method != http.MethodGet:
		http.Error(w, "authorize: method not allowed", http.StatusMethodNotAllowed)
		return
	case q.Get("response_type") != "code":
		http.Error(w, "authorize: response_type must be code", http.StatusBadRequest)
		return
	case q.Get("client_id") != testClientID:
		http.Error(w, "authorize: unknown client_id", http.StatusBadRequest)
		return
	case redirect == "":
		http.Error(w, "authorize: redirect_uri missing", http.StatusBadRequest)
		return
	}
	challenge := q.Get("code_challenge")
	if challenge != "" && q.Get("code_challenge_method") != "S256" {
		http.Error(w, "authorize: code_challenge_method must be S256", http.StatusBadRequest)
		return
	}
	if s.vendor.PKCE && challenge == "" {
		http.Error(w, "authorize: PKCE required: code_challenge missing", http.StatusBadRequest)
		return
	}
	u, err := url.Parse(redirect)
	if err != nil {
		http.Error(w, "authorize: bad redirect_uri", http.StatusBadRequest)
		return
	}
	code := "code-" + randomHex(12)
	s.mu.Lock()
	s.codes[code] = authCode{redirectURI: redirect, challenge: challenge, scope: q.Get("scope")}
	s.mu.Unlock()
	back := u.Query()
	back.Set("code", code)
	back.Set("state", q.Get("state"))
	u.RawQuery = back.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// token implements the vendor's token endpoint.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "token endpoint takes POST")
		return
	}
	if why := s.clientAuth(r); why != "" {
		oauthError(w, http.StatusUnauthorized, "invalid_client", why)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var tok *oauth2.Token
	scope := ""
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		ac, ok := s.codes[code]
		if !ok {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown or used code")
			return
		}
		delete(s.codes, code)
		if ru := r.PostForm.Get("redirect_uri"); ru != "" && ru != ac.redirectURI {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorize request")
			return
		}
		if ac.challenge != "" {
			sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
			if base64.RawURLEncoding.EncodeToString(sum[:]) != ac.challenge {
				oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match code_challenge")
				return
			}
		}
		s.exchanges++
		tok, scope = s.issueLocked(""), ac.scope
	case "refresh_token":
		s.refreshes++
		rt := r.PostForm.Get("refresh_token")
		if s.vendor.NoRefreshToken || !s.refresh[rt] {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "refresh token unknown, used or revoked")
			return
		}
		if s.vendor.RotateRefreshTokens {
			delete(s.refresh, rt)
		}
		tok = s.issueLocked(rt)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
		return
	}
	resp := map[string]any{
		"access_token": tok.AccessToken,
		"token_type":   "bearer",
		"expires_in":   tok.ExpiresIn,
	}
	if tok.RefreshToken != "" {
		resp["refresh_token"] = tok.RefreshToken
	}
	if scope != "" {
		resp["scope"] = scope
	}
	for k, v := range s.vendor.TokenExtra {
		resp[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(resp)
}

// clientAuth checks the client credentials in the vendor's style; it
// returns why they are refused, or "".
func (s *Server) clientAuth(r *http.Request) string {
	user, pass, basic := r.BasicAuth()
	if basic {
		// oauth2 URL-encodes Basic credentials (RFC 6749 §2.3.1).
		if u, err := url.QueryUnescape(user); err == nil {
			user = u
		}
		if p, err := url.QueryUnescape(pass); err == nil {
			pass = p
		}
	}
	inBody := r.PostForm.Get("client_secret") != ""
	switch s.vendor.AuthStyle {
	case oauth2.AuthStyleInHeader:
		if !basic {
			return "this vendor wants client credentials in an HTTP Basic header (oauth2.AuthStyleInHeader)"
		}
	case oauth2.AuthStyleInParams:
		if basic || !inBody {
			return "this vendor wants client_id and client_secret in the form body (oauth2.AuthStyleInParams)"
		}
	}
	if !basic {
		user, pass = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if subtle.ConstantTimeCompare([]byte(user), []byte(testClientID)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(testClientSecret)) != 1 {
		return "wrong client credentials"
	}
	return ""
}

// revoke implements the vendor's revocation endpoint.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	m := s.vendor.Revoke.Method
	if m == "" {
		m = http.MethodPost
	}
	if r.Method != m {
		http.Error(w, "revoke: method not allowed", http.StatusMethodNotAllowed)
		return
	}
	tok, ok := bearer(r)
	if !ok {
		tok = r.Form.Get("token")
		if tok == "" {
			tok = r.Form.Get("access_token")
		}
	}
	s.mu.Lock()
	a, known := s.access[tok]
	if known {
		a.revoked = true
		s.access[tok] = a
		delete(s.refresh, a.refresh)
	}
	s.mu.Unlock()
	if !known {
		writeError(w, s.vendor, http.StatusUnauthorized, "", nil, 0)
		return
	}
	status := s.vendor.Revoke.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
