// Package server is the reference HTTP server of the wearables module: a
// REST API under /api/v1 built with huma v2 on net/http, with its OpenAPI
// 3.1 document generated from the Go types at /api/v1/openapi.json and a
// docs page at /docs.
//
// # Tenancy and authentication
//
// Developers log in (POST /api/v1/auth/login, bcrypt password hashes) and
// get a short-lived HS256 JWT plus a rotating, single-use refresh token;
// with it they manage their applications and API keys. Applications call
// the data API with an API key ("wk_…", checksummed, stored as a SHA-256
// hash, shown once, revocable, rotatable). Every user belongs to one
// application (wearables.User.AppID), and every id in a path is checked
// against the caller's application: another tenant's id answers 404, as a
// missing one does. A phone pushing HealthKit or Health Connect data holds
// only a short-lived push token that the application's backend mints for
// one user (POST /api/v1/users/{user_id}/push-tokens); it opens the push
// endpoints of that user and nothing else.
//
// # Errors
//
// Every error is an RFC 9457 problem+json document (Problem) whose type is
// ProblemTypeBase plus a stable suffix per error kind; validation errors
// list the offending fields. One function maps the wearables sentinel
// errors to statuses.
//
// # Operations
//
// Vendor webhooks arrive at /webhooks/{provider}: POSTs go to
// Config.Webhooks (the syncer's inbox), GETs answer the vendor's
// subscription handshake. Config.Mounts serves extra handlers such as the
// demo vendor under /demo/.
//
// /healthz answers while the process runs, /readyz when the store answers,
// /metrics serves Prometheus metrics (HTTP, sync, import). Logs are slog
// records with a request id per request; no token, secret, code or password
// is ever logged. Requests over the per-key rate limit get 429 with
// Retry-After.
//
// A server is safe for concurrent use. Config is read once by New.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/syncer"
)

// Version is the API version reported in the OpenAPI document.
const Version = "1.0.0"

// Syncer is what the server needs from *syncer.Syncer: one synchronous
// sync of one connection.
type Syncer interface {
	SyncConnection(ctx context.Context, connectionID string, opts syncer.Options) (syncer.Result, error)
}

// Jobs is what the server needs from *syncer.Queue: background syncs and
// a new connection's backfill — inserted in the transaction that activates
// a connection completed by OAuth (ActivateConnection, handed to
// oauthflow.CompleteRequest.Activate), or on demand (ConnectionCreated).
type Jobs interface {
	EnqueueSyncs(ctx context.Context, connectionIDs []string, trigger wearables.SyncTrigger) error
	ConnectionCreated(ctx context.Context, conn wearables.Connection) error
	ActivateConnection(ctx context.Context, conn wearables.Connection) (wearables.TxFunc, error)
}

// Config configures the server. Store, Tenants, Flow and JWTSecret are
// required.
type Config struct {
	// Store keeps users, connections and records.
	Store wearables.Store
	// Tenants keeps developers, applications and API keys; usually the same
	// store as Store.
	Tenants wearables.TenantStore
	// Flow runs the OAuth authorization code flow and disconnects.
	Flow *oauthflow.Flow
	// Providers are the providers users may connect, for GET
	// /api/v1/providers and webhook intake.
	Providers []wearables.Provider
	// Syncer runs manual syncs with wait=true; without Jobs, background
	// syncs too (in a goroutine of this process). Nil with nil Jobs
	// disables the sync routes (501).
	Syncer Syncer
	// Jobs, when set, queues background syncs, and a new connection's
	// backfill and first sync right after its OAuth callback.
	Jobs Jobs
	// JWTSecret signs developer access tokens and push tokens (HS256). At
	// least 32 bytes.
	JWTSecret []byte
	// PublicURL is where clients reach the server, e.g.
	// "https://wearables.example.com"; the OAuth callback URL is PublicURL +
	// "/api/v1/oauth/{provider}/callback". Required.
	PublicURL string
	// Webhooks receives vendor webhooks POSTed to /webhooks/{provider}
	// (usually (*syncer.Queue).WebhookHandler(), which expects the path
	// /{provider}). GET requests to the same URL answer the vendor's
	// subscription handshake (Oura, Strava) without it. Nil answers 404 to
	// POSTs.
	Webhooks http.Handler
	// Mounts are extra handlers served under their path prefix (e.g. the
	// demo vendor under "/demo/"), outside the API and its middleware.
	Mounts map[string]http.Handler
	// Logger receives one JSON line per request and errors. Defaults to
	// discarding.
	Logger *slog.Logger
	// Registerer receives the server's Prometheus metrics and Gatherer
	// serves /metrics. Default to a fresh registry with the Go and process
	// collectors.
	Registerer prometheus.Registerer
	Gatherer   prometheus.Gatherer
	// RateLimit is the sustained requests per second allowed per API key,
	// RateBurst the bucket size. Default to 50 and 100; a negative
	// RateLimit disables limiting.
	RateLimit float64
	RateBurst int
	// AccessTokenTTL is the lifetime of developer JWTs. Defaults to 15
	// minutes. RefreshTokenTTL of refresh tokens: 30 days. PushTokenTTL of
	// push tokens: 1 hour.
	AccessTokenTTL, RefreshTokenTTL, PushTokenTTL time.Duration
	// MaxPushBytes bounds a push batch body. Defaults to 16 MiB. Apple
	// Health uploads are streamed and bounded by MaxUploadBytes, default 4 GiB.
	MaxPushBytes, MaxUploadBytes int64
	// CORSOrigins lists origins allowed to call the API from a browser;
	// "*" allows any. Empty sends no CORS headers.
	CORSOrigins []string
	// Ready reports whether the server can take traffic (/readyz); the
	// store is always pinged by listing one user. Optional.
	Ready func(ctx context.Context) error
	// Now is the clock. Defaults to time.Now.
	Now func() time.Time
}

// srv is the running server.
type srv struct {
	cfg       Config
	api       huma.API
	mux       *http.ServeMux
	jwt       signer
	limiter   *keyLimiter
	metrics   *metrics
	log       *slog.Logger
	providers map[wearables.ProviderID]wearables.Provider
	callback  func(p wearables.ProviderID) string
	bg        sync.WaitGroup // background syncs
	bgCtx     context.Context
	// ops lists every operation registered, for Operations.
	ops []*huma.Operation
}

// Server is the http.Handler New returns, with a Shutdown that waits for
// background work.
type Server struct {
	s       *srv
	handler http.Handler
}

// ServeHTTP serves the API.
func (h *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.handler.ServeHTTP(w, r) }

// OpenAPI returns the generated OpenAPI document.
func (h *Server) OpenAPI() *huma.OpenAPI { return h.s.api.OpenAPI() }

// Shutdown waits until background syncs started by the API end or ctx is
// done.
func (h *Server) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() { h.s.bg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("server: shutdown: %w", ctx.Err())
	}
}

// New builds the server. Errors match wearables.ErrInvalid for a missing or
// bad required field.
func New(cfg Config) (*Server, error) {
	switch {
	case cfg.Store == nil, cfg.Tenants == nil, cfg.Flow == nil:
		return nil, fmt.Errorf("server: new: Store, Tenants and Flow are required: %w", wearables.ErrInvalid)
	case len(cfg.JWTSecret) < 32:
		return nil, fmt.Errorf("server: new: JWTSecret must be at least 32 bytes: %w", wearables.ErrInvalid)
	case !strings.HasPrefix(cfg.PublicURL, "http://") && !strings.HasPrefix(cfg.PublicURL, "https://"):
		return nil, fmt.Errorf("server: new: PublicURL must be an http(s) URL: %w", wearables.ErrInvalid)
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Registerer == nil {
		reg := prometheus.NewRegistry()
		reg.MustRegister(prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
		cfg.Registerer, cfg.Gatherer = reg, reg
	}
	if cfg.Gatherer == nil {
		cfg.Gatherer = prometheus.DefaultGatherer
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 50
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst = 100
	}
	if cfg.AccessTokenTTL <= 0 {
		cfg.AccessTokenTTL = 15 * time.Minute
	}
	if cfg.RefreshTokenTTL <= 0 {
		cfg.RefreshTokenTTL = 30 * 24 * time.Hour
	}
	if cfg.PushTokenTTL <= 0 {
		cfg.PushTokenTTL = time.Hour
	}
	if cfg.MaxPushBytes <= 0 {
		cfg.MaxPushBytes = 16 << 20
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 4 << 30
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	s := &srv{
		cfg:       cfg,
		mux:       http.NewServeMux(),
		jwt:       signer{secret: cfg.JWTSecret, now: cfg.Now},
		limiter:   &keyLimiter{rate: rate.Limit(cfg.RateLimit), burst: cfg.RateBurst, buckets: map[string]*rate.Limiter{}, now: cfg.Now},
		metrics:   m,
		log:       cfg.Logger,
		providers: map[wearables.ProviderID]wearables.Provider{},
		bgCtx:     context.WithoutCancel(context.Background()),
	}
	for _, p := range cfg.Providers {
		s.providers[p.ID()] = p
	}
	s.callback = func(p wearables.ProviderID) string {
		return cfg.PublicURL + "/api/v1/oauth/" + string(p) + "/callback"
	}

	useProblems()
	hc := huma.DefaultConfig("wearables API", Version)
	hc.Info.Description = "Health data from wearable vendors and Apple Health, normalized into one schema. " +
		"Errors are RFC 9457 problem+json documents; times are RFC 3339 or Unix seconds; lists are paged with opaque cursors."
	hc.OpenAPIPath = "/api/v1/openapi"
	hc.DocsPath = "" // served by mountDocs with embedded assets, no CDN
	hc.SchemasPath = "/api/v1/schemas"
	hc.CreateHooks = nil // no $schema links in responses
	hc.RejectUnknownQueryParameters = true
	hc.Servers = []*huma.Server{{URL: cfg.PublicURL}}
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		schemeAPIKey:    {Type: "http", Scheme: "bearer", BearerFormat: "wk_…", Description: "An application's API key."},
		schemeDeveloper: {Type: "http", Scheme: "bearer", BearerFormat: "JWT", Description: "A developer access token from /api/v1/auth/login."},
		schemePush:      {Type: "http", Scheme: "bearer", BearerFormat: "JWT", Description: "A per-user push token minted by the application's backend."},
	}
	s.api = humago.New(s.mux, hc)
	s.api.UseMiddleware(s.authenticate)

	s.registerAuth()
	s.registerUsers()
	s.registerOAuth()
	s.registerData()
	s.registerPush()
	s.registerSync()

	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", s.ready)
	mountDocs(s.mux)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Gatherer, promhttp.HandlerOpts{}))
	s.mux.Handle("/webhooks/", s.webhooks(cfg.Webhooks))
	for prefix, h := range cfg.Mounts {
		s.mux.Handle(prefix, h)
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblemHTTP(w, newProblem(http.StatusNotFound, "no route "+r.Method+" "+r.URL.Path))
	})
	return &Server{s: s, handler: s.middleware(s.mux)}, nil
}

// register adds an operation and remembers it for the route listing.
func register[I, O any](s *srv, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	if len(op.Security) > 0 {
		op.Errors = append(op.Errors, http.StatusUnauthorized)
		if _, ok := op.Security[0][schemeAPIKey]; ok {
			op.Errors = append(op.Errors, http.StatusTooManyRequests)
		}
	}
	op.Errors = append(op.Errors, http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusInternalServerError)
	if op.Method == http.MethodPost || op.Method == http.MethodPut {
		op.Errors = append(op.Errors, http.StatusRequestEntityTooLarge)
	}
	slices.Sort(op.Errors)
	op.Errors = slices.Compact(op.Errors)
	huma.Register(s.api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			if p := toProblem(err); p != nil {
				var pr *Problem
				if errors.As(p, &pr) && pr.Status >= 500 {
					s.log.ErrorContext(ctx, "request failed", "op", op.OperationID, "err", err.Error())
				}
				return nil, p
			}
		}
		return out, nil
	})
	o := op
	s.ops = append(s.ops, &o)
}

// Operations lists the API operations (method, path, security), for
// documentation and the authorization-matrix test.
func (h *Server) Operations() []huma.Operation {
	out := make([]huma.Operation, 0, len(h.s.ops))
	for _, o := range h.s.ops {
		out = append(out, *o)
	}
	return out
}

func (s *srv) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	err := func() error {
		if _, err := s.cfg.Store.ListUsers(ctx, wearables.UserQuery{Limit: 1}); err != nil {
			return err
		}
		if s.cfg.Ready != nil {
			return s.cfg.Ready(ctx)
		}
		return nil
	}()
	if err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err.Error())
		writeProblemHTTP(w, newProblem(http.StatusServiceUnavailable, "not ready"))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ready\n"))
}

func writeProblemHTTP(w http.ResponseWriter, p *Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_, _ = fmt.Fprintf(w, `{"type":%q,"title":%q,"status":%d,"detail":%q}`, p.Type, p.Title, p.Status, p.Detail)
}

type requestIDKey struct{}

// RequestID returns the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware adds the request id, CORS, panic recovery, the access log
// line and HTTP metrics. The log line has the path without the query
// string: queries may carry OAuth codes and states.
func (s *srv) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 || strings.ContainsFunc(id, func(c rune) bool { return c < '!' || c > '~' }) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
		if s.cors(w, r) {
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "request_id", id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if sw.status == 0 {
					writeProblemHTTP(sw, newProblem(http.StatusInternalServerError, "internal error"))
				}
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(r.Method, route, strconv.Itoa(sw.status)).Inc()
			s.metrics.duration.WithLabelValues(r.Method, route).Observe(d.Seconds())
			lvl := slog.LevelInfo
			if sw.status >= 500 {
				lvl = slog.LevelError
			}
			s.log.LogAttrs(r.Context(), lvl, "request",
				slog.String("request_id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Duration("duration", d))
		}()
		next.ServeHTTP(sw, r)
	})
}

// cors writes CORS headers for allowed origins and answers preflights; it
// reports whether the request was answered.
func (s *srv) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || len(s.cfg.CORSOrigins) == 0 {
		return false
	}
	allowed := false
	for _, o := range s.cfg.CORSOrigins {
		if o == "*" || o == origin {
			allowed = true
		}
	}
	if !allowed {
		return false
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Add("Vary", "Origin")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
		w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

type metrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	rateLimited prometheus.Counter
	syncs       *prometheus.CounterVec
	syncRecords *prometheus.CounterVec
	imports     *prometheus.CounterVec
	importRecs  prometheus.Counter
	pushes      *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wearables_http_requests_total", Help: "HTTP requests by method, route and status."},
			[]string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "wearables_http_request_duration_seconds", Help: "HTTP request duration by method and route.", Buckets: prometheus.DefBuckets},
			[]string{"method", "route"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{Name: "wearables_http_rate_limited_total", Help: "Requests refused by the per-key rate limit."}),
		syncs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wearables_sync_runs_total", Help: "Syncs started through the API by provider and outcome."},
			[]string{"provider", "outcome"}),
		syncRecords: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wearables_sync_records_total", Help: "Records written by API-started syncs by provider and outcome (inserted, updated, unchanged)."},
			[]string{"provider", "outcome"}),
		imports:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wearables_imports_total", Help: "Apple Health export uploads by outcome."}, []string{"outcome"}),
		importRecs: prometheus.NewCounter(prometheus.CounterOpts{Name: "wearables_import_records_total", Help: "Records written by Apple Health export uploads."}),
		pushes:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wearables_push_batches_total", Help: "HealthKit / Health Connect push batches by outcome."}, []string{"outcome"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.rateLimited, m.syncs, m.syncRecords, m.imports, m.importRecs, m.pushes} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("server: register metrics: %w", err)
		}
	}
	return m, nil
}

// caller returns the principal of the request.
func caller(ctx context.Context) principal {
	p, _ := ctx.Value(principalKey{}).(principal)
	return p
}

var _ http.Handler = (*Server)(nil)
