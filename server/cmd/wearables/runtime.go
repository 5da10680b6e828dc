package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/redis/go-redis/v9"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/oauthflow/redisstate"
	"github.com/wearables-go/wearables/providers/coros"
	"github.com/wearables-go/wearables/providers/demo"
	"github.com/wearables-go/wearables/providers/garmin"
	"github.com/wearables-go/wearables/providers/googlehealth"
	"github.com/wearables-go/wearables/providers/oura"
	"github.com/wearables-go/wearables/providers/polar"
	"github.com/wearables-go/wearables/providers/strava"
	"github.com/wearables-go/wearables/providers/suunto"
	"github.com/wearables-go/wearables/providers/ultrahuman"
	"github.com/wearables-go/wearables/providers/whoop"
	"github.com/wearables-go/wearables/providers/withings"
	"github.com/wearables-go/wearables/server"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
	"github.com/wearables-go/wearables/syncer"
)

// fullStore is a store with the server's tenant tables.
type fullStore interface {
	wearables.Store
	wearables.TenantStore
}

// runtime is everything serve, worker, demo and sync run on.
type runtime struct {
	set       *settings
	log       *slog.Logger
	store     fullStore
	kind      string // "sqlite" or "postgres"
	db        *sql.DB
	dbKind    syncer.Database
	keyring   *oauthflow.Keyring
	providers []wearables.Provider
	pcfgs     []oauthflow.ProviderConfig
	demo      http.Handler
	flow      *oauthflow.Flow
	syncer    *syncer.Syncer
	queue     *syncer.Queue
	rdb       *redis.Client
	demoSrv   *http.Server // the in-process demo vendor of commands that do not serve HTTP
}

// runtimeOpts tune newRuntime.
type runtimeOpts struct {
	publicURL   string // overrides the configured public URL (the demo command's own port)
	workers     int    // job workers; < 0 makes an insert-only queue
	autoApprove bool   // the demo vendor approves without a consent page
	localDemo   bool   // serve the demo vendor on a private loopback port (commands without an HTTP server)
}

// openFull opens the configured store with migrations applied (the
// store's and River's) and checks that it has the tenant tables.
func openFull(ctx context.Context, g *globalFlags) (fullStore, string, *sql.DB, syncer.Database, error) {
	st, kind, err := openStore(ctx, g)
	if err != nil {
		return nil, "", nil, 0, err
	}
	fs, ok := st.(fullStore)
	if !ok {
		st.Close()
		return nil, "", nil, 0, fmt.Errorf("store %T lacks the tenant tables", st)
	}
	var db *sql.DB
	var dk syncer.Database
	switch s := st.(type) {
	case *sqlitestore.Store:
		db, dk = s.WriterDB(), syncer.SQLite
	case *pgstore.Store:
		db, dk = s.DB(), syncer.Postgres
	}
	if err := syncer.Migrate(ctx, dk, db); err != nil {
		st.Close()
		return nil, "", nil, 0, fmt.Errorf("migrate job queue: %w", err)
	}
	return fs, kind, db, dk, nil
}

// newRuntime wires store, keyring, providers, OAuth flow, syncer and queue.
func newRuntime(ctx context.Context, g *globalFlags, set *settings, log *slog.Logger, o runtimeOpts) (*runtime, error) {
	publicURL, workers, autoApprove := o.publicURL, o.workers, o.autoApprove
	rt := &runtime{set: set, log: log}
	var err error
	rt.store, rt.kind, rt.db, rt.dbKind, err = openFull(ctx, g)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			rt.close()
		}
	}()
	if rt.keyring, err = oauthflow.ParseKeyring(set.keyring); err != nil {
		return nil, fmt.Errorf("%s: %w", envEncryptionKeys, err)
	}
	if err := oauthflow.CheckKeys(ctx, rt.store, rt.keyring); err != nil {
		return nil, fmt.Errorf("refusing to start: %w", err)
	}
	if publicURL == "" {
		publicURL = set.publicURL
	}
	if set.demo {
		clientSecret := set.derive("demo-client-secret")
		h, err := demo.NewHandler(demo.HandlerConfig{ClientID: "wearables-demo", ClientSecret: clientSecret, Seed: 1, AutoApprove: autoApprove})
		if err != nil {
			return nil, err
		}
		rt.demo = http.StripPrefix("/demo", h)
		demoBase := publicURL + "/demo"
		if o.localDemo {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return nil, err
			}
			mux := http.NewServeMux()
			mux.Handle("/demo/", rt.demo)
			rt.demoSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
			go func() { _ = rt.demoSrv.Serve(ln) }()
			demoBase = "http://" + ln.Addr().String() + "/demo"
		}
		p := demo.New(demo.Config{BaseURL: demoBase, WebhookSecret: set.derive("demo-webhook-secret")})
		rt.providers = append(rt.providers, p)
		rt.pcfgs = append(rt.pcfgs, oauthflow.ProviderConfig{Provider: p, ClientID: "wearables-demo", ClientSecret: oauthflow.Secret(clientSecret)})
	}
	// App-wide vendor secrets (Polar's one-time webhook secret) are sealed
	// with the token keyring into the shared store, where every process
	// finds them.
	secrets := oauthflow.AppSecrets{Store: rt.store, Keyring: rt.keyring}
	for _, v := range vendorsFromEnv(publicURL, secrets) {
		rt.providers = append(rt.providers, v.Provider)
		rt.pcfgs = append(rt.pcfgs, v)
	}
	if len(rt.pcfgs) == 0 {
		return nil, errors.New("no provider is configured: enable the demo (WEARABLES_DEMO=true) or set a vendor's client id and secret")
	}
	var states wearables.AuthStateStore = rt.store
	var limiter syncer.Limiter
	if set.redisURL != "" {
		opt, err := redis.ParseURL(set.redisURL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", envRedisURL, err)
		}
		rt.rdb = redis.NewClient(opt)
		if err := rt.rdb.Ping(ctx).Err(); err != nil {
			return nil, fmt.Errorf("redis: %w", err)
		}
		states = redisstate.New(rt.rdb, redisstate.DefaultPrefix)
		limiter = syncer.NewRedisLimiter(rt.rdb, "wearables:ratelimit:")
	}
	redirects := make([]string, 0, len(rt.providers))
	for _, p := range rt.providers {
		redirects = append(redirects, publicURL+"/api/v1/oauth/"+string(p.ID())+"/callback")
	}
	fc := oauthflow.Config{
		Providers: rt.pcfgs, RedirectURIs: redirects, States: states,
		Connections: rt.store, Tokens: rt.store, Keyring: rt.keyring, Logger: log,
	}
	for _, v := range rt.pcfgs {
		if w, ok := v.Provider.(*withings.Provider); ok {
			// Withings wraps its token endpoint's answers in {status, body};
			// its token client unwraps them for x/oauth2 and passes every
			// other request through unchanged.
			fc.HTTPClient = w.TokenClient(nil)
		}
	}
	if rt.kind == "sqlite" {
		// A refresh holds SQLite's write lock during the vendor call: keep
		// its retries short.
		fc.NewBackOff = func() backoff.BackOff {
			b := backoff.NewExponentialBackOff()
			b.InitialInterval, b.MaxInterval, b.MaxElapsedTime = 100*time.Millisecond, time.Second, 3*time.Second
			return b
		}
	}
	if rt.flow, err = oauthflow.New(fc); err != nil {
		return nil, err
	}
	sc := syncer.Config{Store: rt.store, Providers: rt.providers, Tokens: rt.flow.Broker(), Limiter: limiter, Logger: log}
	if set.demoHistory > 0 {
		sc.Settings = map[wearables.ProviderID]syncer.Settings{wearables.ProviderDemo: {InitialWindow: set.demoHistory}}
	}
	if rt.syncer, err = syncer.New(sc); err != nil {
		return nil, err
	}
	qc := syncer.QueueConfig{
		Syncer: rt.syncer, Database: rt.dbKind, DB: rt.db, Workers: workers,
		PeriodicSync: workers >= 0, WebhookBaseURL: publicURL + "/webhooks", Logger: log,
		RewrapTokens: func(ctx context.Context) error {
			_, err := oauthflow.RewrapTokens(ctx, rt.store, rt.keyring, oauthflow.RewrapOptions{})
			return err
		},
	}
	if rt.queue, err = syncer.NewQueue(qc); err != nil {
		return nil, err
	}
	ok = true
	return rt, nil
}

func (rt *runtime) close() {
	if rt.demoSrv != nil {
		rt.demoSrv.Close()
	}
	if rt.rdb != nil {
		rt.rdb.Close()
	}
	if rt.store != nil {
		rt.store.Close()
	}
}

// handler builds the HTTP API with the demo vendor and webhook intake mounted.
func (rt *runtime) handler(publicURL string) (*server.Server, error) {
	mounts := map[string]http.Handler{}
	if rt.demo != nil {
		mounts["/demo/"] = rt.demo
	}
	cfg := server.Config{
		Store: rt.store, Tenants: rt.store, Flow: rt.flow, Providers: rt.providers,
		Syncer: rt.syncer, Jobs: rt.queue, JWTSecret: rt.set.jwtSecret, PublicURL: publicURL,
		Webhooks: rt.queue.WebhookHandler(), Mounts: mounts, Logger: rt.log, CORSOrigins: rt.set.cors, RateLimit: rt.set.rateLimit,
	}
	reg := newRegistry(rt.db)
	cfg.Registerer, cfg.Gatherer = reg, reg
	if rt.rdb != nil {
		cfg.Ready = func(ctx context.Context) error { return rt.rdb.Ping(ctx).Err() }
	}
	return server.New(cfg)
}

// vendorsFromEnv configures every vendor whose client id and secret are in
// the environment: WEARABLES_<VENDOR>_CLIENT_ID, _CLIENT_SECRET and
// _WEBHOOK_SECRET (Oura: the verification token; Strava: the verify token;
// Suunto: the notification secret; Google Health: the expected
// Authorization header of its notifications), plus
// WEARABLES_SUUNTO_SUBSCRIPTION_KEY. publicURL is where Withings sends its
// notifications. secrets keeps the signature secret of the webhook Polar
// creates (its WEBHOOK_SECRET, when set, is used instead to verify).
// Vendors are listed in vendorNames.
func vendorsFromEnv(publicURL string, secrets wearables.SecretKeeper) []oauthflow.ProviderConfig {
	var out []oauthflow.ProviderConfig
	for _, name := range vendorNames {
		pre := "WEARABLES_" + strings.ToUpper(name) + "_"
		id, secret, hook := os.Getenv(pre+"CLIENT_ID"), os.Getenv(pre+"CLIENT_SECRET"), os.Getenv(pre+"WEBHOOK_SECRET")
		if id == "" || secret == "" {
			continue
		}
		var p wearables.Provider
		switch name {
		case "oura":
			p = oura.New(oura.Config{ClientID: id, ClientSecret: secret, VerificationToken: hook})
		case "whoop":
			p = whoop.New(whoop.Config{ClientSecret: secret})
		case "polar":
			p = polar.New(polar.Config{ClientID: id, ClientSecret: secret, WebhookSecret: hook, Secrets: secrets})
		case "strava":
			p = strava.New(strava.Config{VerifyToken: hook})
		case "garmin":
			p = garmin.New(garmin.Config{ClientID: id, ClientSecret: secret})
		case "suunto":
			p = suunto.New(suunto.Config{ClientID: id, ClientSecret: secret, SubscriptionKey: os.Getenv(pre + "SUBSCRIPTION_KEY"), NotificationSecret: hook})
		case "withings":
			p = withings.New(withings.Config{ClientID: id, ClientSecret: secret, NotifyCallbackURL: publicURL + "/webhooks/withings"})
		case "googlehealth":
			p = googlehealth.New(googlehealth.Config{WebhookAuthorization: hook})
		case "ultrahuman":
			p = ultrahuman.New(ultrahuman.Config{ClientID: id, ClientSecret: secret})
		case "coros":
			p = coros.New(coros.Config{ClientID: id, ClientSecret: secret})
		}
		out = append(out, oauthflow.ProviderConfig{Provider: p, ClientID: id, ClientSecret: oauthflow.Secret(secret)})
	}
	return out
}

// vendorNames are the vendors vendorsFromEnv knows, in the order they are
// configured.
var vendorNames = []string{"oura", "whoop", "polar", "strava", "garmin", "suunto", "withings", "googlehealth", "ultrahuman", "coros"}

// shutdownContext bounds graceful shutdown.
func shutdownContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}
