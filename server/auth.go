package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"

	"github.com/wearables-go/wearables"
)

// API key format: "wk_" + 32 base32 characters (160 random bits) + "_" +
// 6 base32 characters of the CRC-32 of what precedes them. The checksum lets
// the server (and secret scanners) reject a mistyped or made-up key without
// a database lookup. Only the SHA-256 of the key is stored.
const (
	apiKeyPrefix    = "wk_"
	apiKeyBodyLen   = 32
	apiKeyCheckLen  = 7
	apiKeyShownLen  = len(apiKeyPrefix) + 8 // prefix stored and shown in lists
	bcryptCost      = 12
	minPasswordLen  = 10
	jwtAudienceDev  = "wearables:developer"
	jwtAudiencePush = "wearables:push"
	jwtIssuer       = "wearables"
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func checksum(s string) string {
	var b [4]byte
	c := crc32.ChecksumIEEE([]byte(s))
	b[0], b[1], b[2], b[3] = byte(c>>24), byte(c>>16), byte(c>>8), byte(c)
	return strings.ToLower(b32.EncodeToString(b[:]))
}

// NewAPIKey returns a new API key for the application: the key to show
// once and the record to store (hash and shown prefix, no secret).
func NewAPIKey(appID, name string) (key string, rec wearables.APIKey) {
	var raw [20]byte
	_, _ = rand.Read(raw[:]) // crypto/rand never fails (Go 1.24+)
	body := apiKeyPrefix + strings.ToLower(b32.EncodeToString(raw[:]))
	key = body + "_" + checksum(body)
	return key, wearables.APIKey{AppID: appID, Name: name, Prefix: key[:apiKeyShownLen], Hash: HashSecret(key)}
}

// ValidAPIKeyFormat reports whether key has the API key shape and a correct
// checksum.
func ValidAPIKeyFormat(key string) bool {
	if len(key) != len(apiKeyPrefix)+apiKeyBodyLen+1+apiKeyCheckLen || !strings.HasPrefix(key, apiKeyPrefix) {
		return false
	}
	body, sum, ok := strings.Cut(key[len(apiKeyPrefix):], "_")
	if !ok {
		return false
	}
	return sum == checksum(apiKeyPrefix+body)
}

// HashSecret is how API keys and refresh tokens are stored: hex SHA-256.
// They carry 160+ random bits, so a fast hash is enough.
func HashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// HashPassword hashes a developer password with bcrypt. ErrInvalid when it
// is shorter than 10 or longer than 72 bytes (bcrypt's limit).
func HashPassword(password string) (string, error) {
	if len(password) < minPasswordLen || len(password) > 72 {
		return "", &wearables.ValidationError{Index: -1, Field: "password", Reason: "must be 10 to 72 bytes long"}
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("server: hash password: %w", err)
	}
	return string(h), nil
}

// dummyHash is compared against when the email is unknown, so a login
// takes as long whether or not the account exists.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("not-a-real-password"), bcryptCost)
	return h
})

// CheckPassword reports whether password matches the stored hash.
func CheckPassword(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}

func randomToken(prefix string) string {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	return prefix + strings.ToLower(b32.EncodeToString(raw[:]))
}

// tokenClaims are the claims of developer access tokens and push tokens.
type tokenClaims struct {
	jwt.RegisteredClaims
	Admin bool   `json:"adm,omitempty"`
	AppID string `json:"app,omitempty"`
}

// signer issues and verifies HS256 JWTs with the configured secret; the
// algorithm is pinned on verification.
type signer struct {
	secret []byte
	now    func() time.Time
}

func (s signer) sign(audience, subject string, ttl time.Duration, admin bool, appID string) (string, time.Time, error) {
	now := s.now()
	exp := now.Add(ttl)
	c := tokenClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: jwtIssuer, Subject: subject, Audience: jwt.ClaimStrings{audience},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)), ExpiresAt: jwt.NewNumericDate(exp),
			ID: randomToken(""),
		},
		Admin: admin, AppID: appID,
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("server: sign token: %w", err)
	}
	return tok, exp, nil
}

func (s signer) verify(token, audience string) (*tokenClaims, error) {
	var c tokenClaims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithAudience(audience), jwt.WithIssuer(jwtIssuer), jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(s.now), jwt.WithLeeway(5*time.Second))
	if err != nil || c.Subject == "" {
		return nil, fmt.Errorf("server: verify token: %w", wearables.ErrUnauthorized)
	}
	return &c, nil
}

// principal is who a request acts as.
type principal struct {
	kind        string // "apikey", "developer" or "push"
	appID       string // apikey, push
	keyID       string // apikey
	developerID string // developer
	admin       bool   // developer
	userID      string // push
}

type principalKey struct{}

// Security scheme names in the OpenAPI document.
const (
	schemeAPIKey    = "apiKey"
	schemeDeveloper = "developerToken"
	schemePush      = "pushToken"
)

func bearer(r string) (string, bool) {
	scheme, tok, ok := strings.Cut(r, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// authenticate is the huma middleware that checks the credentials an
// operation's Security requires and stores the principal in the context.
// Operations without Security are public.
func (s *srv) authenticate(ctx huma.Context, next func(huma.Context)) {
	op := ctx.Operation()
	if op == nil || len(op.Security) == 0 {
		next(ctx)
		return
	}
	tok, ok := bearer(ctx.Header("Authorization"))
	if !ok {
		s.writeProblem(ctx, newProblem(http.StatusUnauthorized, "missing bearer credentials"), nil)
		return
	}
	var want string
	for k := range op.Security[0] {
		want = k
	}
	var p principal
	switch want {
	case schemeAPIKey:
		if !ValidAPIKeyFormat(tok) {
			s.writeProblem(ctx, newProblem(http.StatusUnauthorized, "malformed API key"), nil)
			return
		}
		k, err := s.cfg.Tenants.GetAPIKeyByHash(ctx.Context(), HashSecret(tok))
		if err != nil || k.Revoked() {
			if err != nil && !errors.Is(err, wearables.ErrNotFound) {
				s.writeProblem(ctx, newProblem(http.StatusInternalServerError, "internal error"), nil)
				return
			}
			s.writeProblem(ctx, newProblem(http.StatusUnauthorized, "unknown or revoked API key"), nil)
			return
		}
		if wait, ok := s.limiter.allow(k.ID); !ok {
			secs := max(1, int(wait.Round(time.Second)/time.Second))
			s.metrics.rateLimited.Inc()
			s.writeProblem(ctx, newProblem(http.StatusTooManyRequests, "rate limit exceeded"), http.Header{"Retry-After": {strconv.Itoa(secs)}})
			return
		}
		p = principal{kind: "apikey", appID: k.AppID, keyID: k.ID}
	case schemeDeveloper:
		c, err := s.jwt.verify(tok, jwtAudienceDev)
		if err != nil {
			s.writeProblem(ctx, newProblem(http.StatusUnauthorized, "invalid or expired developer token"), nil)
			return
		}
		p = principal{kind: "developer", developerID: c.Subject, admin: c.Admin}
	case schemePush:
		c, err := s.jwt.verify(tok, jwtAudiencePush)
		if err != nil || c.AppID == "" {
			s.writeProblem(ctx, newProblem(http.StatusUnauthorized, "invalid or expired push token"), nil)
			return
		}
		p = principal{kind: "push", appID: c.AppID, userID: c.Subject}
	default:
		s.writeProblem(ctx, newProblem(http.StatusInternalServerError, "internal error"), nil)
		return
	}
	next(huma.WithValue(ctx, principalKey{}, p))
}

func (s *srv) writeProblem(ctx huma.Context, p *Problem, h http.Header) {
	for k, vs := range h {
		for _, v := range vs {
			ctx.AppendHeader(k, v)
		}
	}
	if p.Status == http.StatusUnauthorized {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="wearables"`)
	}
	_ = huma.WriteErr(s.api, ctx, p.Status, p.Detail)
}

// keyLimiter is a token bucket per API key.
type keyLimiter struct {
	mu      sync.Mutex
	rate    rate.Limit
	burst   int
	buckets map[string]*rate.Limiter
	now     func() time.Time
}

// allow takes a token for key, or says how long until one is available.
func (l *keyLimiter) allow(key string) (time.Duration, bool) {
	if l.rate <= 0 {
		return 0, true
	}
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) > 100_000 {
			clear(l.buckets) // bound memory; buckets refill quickly anyway
		}
		b = rate.NewLimiter(l.rate, l.burst)
		l.buckets[key] = b
	}
	l.mu.Unlock()
	now := l.now()
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}
