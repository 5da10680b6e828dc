package oauthflow_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// fakeVendor is an httptest OAuth 2.0 server that behaves like a strict
// vendor: it accepts exactly one client authentication style, requires PKCE
// S256 when configured, issues single-use codes, rotates refresh tokens on
// every refresh, and treats the reuse of a rotated refresh token as theft —
// the whole token family is revoked. Token responses can be delayed
// (Latency) and failed (FailNext). Its endpoints live under a path prefix so
// that a client that builds absolute URLs by itself fails.
//
// It remembers every secret it issued or received (codes, verifiers,
// access and refresh tokens) so tests can check that none leaks.
type fakeVendor struct {
	srv *httptest.Server

	ClientID     string
	ClientSecret string
	Style        oauth2.AuthStyle // the only accepted client authentication
	RequirePKCE  bool
	Rotate       bool          // issue a new refresh token on every refresh
	AccessTTL    time.Duration // expires_in of access tokens
	Latency      atomic.Int64  // nanoseconds added before every token response
	FailNext     atomic.Int64  // answer the next N token requests with 503
	FailStatus   atomic.Int64  // status of those failures (default 503)
	VendorUser   atomic.Value  // string: the account that "logs in" at /authorize
	FailAuth     atomic.Bool   // reject every client authentication
	EchoSecrets  bool          // put the offending code / refresh token / client secret in error descriptions, like sloppy vendors do
	RevokeStatus atomic.Int64  // when non-zero, /revoke answers with this status

	// BeforeRefresh, when set, runs at the start of every refresh request
	// (after latency); when it returns false the request is dropped
	// without being processed.
	BeforeRefresh atomic.Pointer[func(r *http.Request) bool]

	mu       sync.Mutex
	codes    map[string]*fakeCode
	refresh  map[string]*fakeRefresh
	access   map[string]*fakeFamily
	families []*fakeFamily
	secrets  []string

	TokenRequests     atomic.Int64
	ExchangeRequests  atomic.Int64
	RefreshRequests   atomic.Int64
	InvalidGrants     atomic.Int64
	FamilyRevocations atomic.Int64 // families revoked because a rotated refresh token was reused
	Revocations       atomic.Int64 // successful calls of /revoke
	AuthorizeRequests atomic.Int64
}

type fakeCode struct {
	challenge, redirect, user, scope string
	used                             bool
}

type fakeFamily struct {
	user    string
	scope   string
	revoked bool
	current string // the one valid refresh token
}

type fakeRefresh struct {
	family *fakeFamily
}

const vendorPrefix = "/vendor/v1"

// cleanupper is the part of testing.TB newFakeVendor needs.
type cleanupper interface{ Cleanup(func()) }

func newFakeVendor(t cleanupper) *fakeVendor {
	v := &fakeVendor{
		ClientID:     "client-" + randString(6),
		ClientSecret: "csecret-" + randString(16),
		Style:        oauth2.AuthStyleInHeader,
		RequirePKCE:  true,
		Rotate:       true,
		AccessTTL:    time.Hour,
		codes:        map[string]*fakeCode{},
		refresh:      map[string]*fakeRefresh{},
		access:       map[string]*fakeFamily{},
	}
	v.VendorUser.Store("athlete-1")
	v.remember(v.ClientSecret)
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+vendorPrefix+"/authorize", v.authorize)
	mux.HandleFunc("POST "+vendorPrefix+"/token", v.token)
	mux.HandleFunc("GET "+vendorPrefix+"/me", v.me)
	mux.HandleFunc("POST "+vendorPrefix+"/revoke", v.revoke)
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)
	return v
}

func (v *fakeVendor) URL(path string) string { return v.srv.URL + vendorPrefix + path }

func randString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (v *fakeVendor) remember(s ...string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, x := range s {
		if x != "" {
			v.secrets = append(v.secrets, x)
		}
	}
}

// Secrets returns every secret the vendor issued or received.
func (v *fakeVendor) Secrets() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.secrets...)
}

// Mint creates a token family for a vendor account without the authorize
// dance, as if the user had connected earlier.
func (v *fakeVendor) Mint(user string) *oauth2.Token {
	v.mu.Lock()
	defer v.mu.Unlock()
	f := &fakeFamily{user: user, scope: "activity sleep"}
	v.families = append(v.families, f)
	at, rt := v.issueLocked(f)
	tok := &oauth2.Token{AccessToken: at, RefreshToken: rt, TokenType: "Bearer", Expiry: time.Now().Add(v.AccessTTL)}
	return tok.WithExtra(map[string]any{"scope": f.scope})
}

// issueLocked issues a new access and refresh token in family f.
func (v *fakeVendor) issueLocked(f *fakeFamily) (at, rt string) {
	at = "at-" + randString(18)
	rt = "rt-" + randString(18)
	v.access[at] = f
	v.refresh[rt] = &fakeRefresh{family: f}
	f.current = rt
	v.secrets = append(v.secrets, at, rt)
	return at, rt
}

// AccessValid reports whether an access token was issued and its family
// is not revoked.
func (v *fakeVendor) AccessValid(at string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	f, ok := v.access[at]
	return ok && !f.revoked
}

func (v *fakeVendor) authorize(w http.ResponseWriter, r *http.Request) {
	v.AuthorizeRequests.Add(1)
	q := r.URL.Query()
	if q.Get("client_id") != v.ClientID || q.Get("response_type") != "code" || q.Get("state") == "" || q.Get("redirect_uri") == "" {
		http.Error(w, "bad authorize request", http.StatusBadRequest)
		return
	}
	challenge := q.Get("code_challenge")
	if v.RequirePKCE && (challenge == "" || q.Get("code_challenge_method") != "S256") {
		http.Error(w, "pkce required", http.StatusBadRequest)
		return
	}
	code := "code-" + randString(18)
	v.mu.Lock()
	v.codes[code] = &fakeCode{challenge: challenge, redirect: q.Get("redirect_uri"), user: v.VendorUser.Load().(string), scope: q.Get("scope")}
	v.secrets = append(v.secrets, code)
	v.mu.Unlock()
	u, _ := url.Parse(q.Get("redirect_uri"))
	rq := u.Query()
	rq.Set("code", code)
	rq.Set("state", q.Get("state"))
	u.RawQuery = rq.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// clientAuth checks the client authentication strictly: the configured
// style only.
func (v *fakeVendor) clientAuth(r *http.Request) bool {
	if v.FailAuth.Load() {
		return false
	}
	id, secret, basic := r.BasicAuth()
	bodyID, bodySecret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if v.Style == oauth2.AuthStyleInHeader {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
		return basic && id == v.ClientID && secret == v.ClientSecret && bodySecret == ""
	}
	return !basic && bodyID == v.ClientID && bodySecret == v.ClientSecret
}

func (v *fakeVendor) token(w http.ResponseWriter, r *http.Request) {
	v.TokenRequests.Add(1)
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, "invalid_request", "bad form")
		return
	}
	if d := time.Duration(v.Latency.Load()); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
	}
	if v.FailNext.Add(-1) >= 0 {
		status := int(v.FailStatus.Load())
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		oauthError(w, status, "temporarily_unavailable", "try later")
		return
	} else {
		v.FailNext.Store(0)
	}
	if !v.clientAuth(r) {
		desc := "client authentication failed"
		if v.EchoSecrets {
			desc += " for secret " + r.PostForm.Get("client_secret") + " and refresh token " + r.PostForm.Get("refresh_token")
		}
		oauthError(w, 401, "invalid_client", desc)
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		v.ExchangeRequests.Add(1)
		v.exchange(w, r)
	case "refresh_token":
		v.RefreshRequests.Add(1)
		if hook := v.BeforeRefresh.Load(); hook != nil && !(*hook)(r) {
			return
		}
		v.refreshGrant(w, r)
	default:
		oauthError(w, 400, "unsupported_grant_type", "")
	}
}

func (v *fakeVendor) exchange(w http.ResponseWriter, r *http.Request) {
	code, verifier := r.PostForm.Get("code"), r.PostForm.Get("code_verifier")
	v.remember(verifier)
	v.mu.Lock()
	defer v.mu.Unlock()
	c, ok := v.codes[code]
	fail := func(why string) {
		v.InvalidGrants.Add(1)
		desc := why
		if v.EchoSecrets {
			desc += ": code " + code + " verifier " + verifier
		}
		oauthError(w, 400, "invalid_grant", desc)
	}
	switch {
	case !ok:
		fail("unknown code")
		return
	case c.used:
		fail("code already used")
		return
	case c.redirect != r.PostForm.Get("redirect_uri"):
		fail("redirect_uri mismatch")
		return
	case c.challenge != "" && s256(verifier) != c.challenge:
		fail("pkce verification failed")
		return
	case c.challenge == "" && verifier != "":
		fail("unexpected code_verifier")
		return
	}
	c.used = true
	f := &fakeFamily{user: c.user, scope: c.scope}
	v.families = append(v.families, f)
	at, rt := v.issueLocked(f)
	v.writeToken(w, at, rt, f.scope)
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (v *fakeVendor) refreshGrant(w http.ResponseWriter, r *http.Request) {
	rt := r.PostForm.Get("refresh_token")
	v.mu.Lock()
	defer v.mu.Unlock()
	fail := func(why string) {
		v.InvalidGrants.Add(1)
		desc := why
		if v.EchoSecrets {
			desc += ": " + rt
		}
		oauthError(w, 400, "invalid_grant", desc)
	}
	st, ok := v.refresh[rt]
	switch {
	case !ok:
		fail("unknown refresh token")
		return
	case st.family.revoked:
		fail("token family revoked")
		return
	case st.family.current != rt:
		// A rotated refresh token came back: assume theft, revoke all.
		st.family.revoked = true
		v.FamilyRevocations.Add(1)
		fail("refresh token reused; family revoked")
		return
	}
	if !v.Rotate {
		at := "at-" + randString(18)
		v.access[at] = st.family
		v.secrets = append(v.secrets, at)
		v.writeToken(w, at, "", "")
		return
	}
	at, nrt := v.issueLocked(st.family)
	v.writeToken(w, at, nrt, "")
}

func (v *fakeVendor) writeToken(w http.ResponseWriter, at, rt, scope string) {
	body := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": int(v.AccessTTL / time.Second)}
	if rt != "" {
		body["refresh_token"] = rt
	}
	if scope != "" {
		body["scope"] = scope
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

func (v *fakeVendor) me(w http.ResponseWriter, r *http.Request) {
	at, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	v.mu.Lock()
	f, found := v.access[at]
	v.mu.Unlock()
	if !ok || !found || f.revoked {
		http.Error(w, `{"message":"unauthorized"}`, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"id": f.user})
}

func (v *fakeVendor) revoke(w http.ResponseWriter, r *http.Request) {
	if st := v.RevokeStatus.Load(); st != 0 {
		http.Error(w, "revocation unavailable", int(st))
		return
	}
	_ = r.ParseForm()
	tok := r.PostForm.Get("token")
	v.mu.Lock()
	defer v.mu.Unlock()
	var f *fakeFamily
	if st, ok := v.refresh[tok]; ok {
		f = st.family
	} else if fa, ok := v.access[tok]; ok {
		f = fa
	}
	if f == nil {
		http.Error(w, "unknown token", http.StatusBadRequest)
		return
	}
	// Like Polar, the vendor revokes by account: the caller must name the
	// token's account (the connection's ProviderUserID).
	if r.PostForm.Get("account") != f.user {
		http.Error(w, "token of another account", http.StatusBadRequest)
		return
	}
	f.revoked = true
	v.Revocations.Add(1)
	w.WriteHeader(http.StatusOK)
}

// fakeProvider is the provider package of the fake vendor: endpoints,
// scopes, PKCE, an extra authorize parameter, user id reader and revoker.
type fakeProvider struct {
	id     wearables.ProviderID
	base   string // the vendor's URL with its path prefix
	pkce   bool
	style  oauth2.AuthStyle
	params map[string]string
}

func newFakeProvider(id wearables.ProviderID, v *fakeVendor) *fakeProvider {
	return &fakeProvider{id: id, base: v.URL(""), pkce: v.RequirePKCE, style: v.Style, params: map[string]string{"approval_prompt": "force"}}
}

func (p *fakeProvider) ID() wearables.ProviderID { return p.id }

func (p *fakeProvider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint:   oauth2.Endpoint{AuthURL: p.base + "/authorize", TokenURL: p.base + "/token", AuthStyle: p.style},
		Scopes:     []string{"activity", "sleep"},
		PKCE:       p.pkce,
		AuthParams: p.params,
	}
}

func (p *fakeProvider) DataTypes() []wearables.DataType {
	return []wearables.DataType{wearables.DataWorkouts}
}

func (p *fakeProvider) Fetch(context.Context, wearables.FetchRequest) (wearables.FetchResult, error) {
	return wearables.FetchResult{}, wearables.ErrUnsupported
}

func (p *fakeProvider) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/me", nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", wearables.NewProviderError(p.id, "read user id", resp.StatusCode, nil)
	}
	var body struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", err
	}
	if body.ID == "" {
		return "", errors.New("fake: empty user id")
	}
	return body.ID, nil
}

func (p *fakeProvider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	form := url.Values{"token": {tok.RefreshToken}, "account": {conn.ProviderUserID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+"/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return wearables.NewProviderError(p.id, "revoke", resp.StatusCode, nil)
	}
	return nil
}

var (
	_ wearables.Provider             = (*fakeProvider)(nil)
	_ wearables.ProviderUserIDReader = (*fakeProvider)(nil)
	_ wearables.Revoker              = (*fakeProvider)(nil)
)
