package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/server"
)

func newServeCmd(g *globalFlags) *cobra.Command {
	var addr string
	var noWorker bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the REST API (and run the job worker in the same process)",
		Long: `Serve the REST API, the demo vendor (in development) and webhook intake, and
run the job worker (syncs, backfills, webhooks) in the same process.

With nothing configured it runs on the embedded default: a SQLite file
(./wearables.db), jobs in the same file, no Redis, the demo provider. On
first run it creates an admin developer, an application and an API key and
prints them once. WEARABLES_ENV=production requires real keys, an admin
password and no wildcard CORS.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if addr == "" {
				addr = envOr(envAddr, ":8080")
			}
			return runServe(cmd.Context(), g, cmd.OutOrStdout(), cmd.ErrOrStderr(), addr, !noWorker)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address (env WEARABLES_ADDR, default :8080)")
	cmd.Flags().BoolVar(&noWorker, "no-worker", false, "only enqueue jobs; leave them to `wearables worker` processes")
	return cmd
}

func runServe(ctx context.Context, g *globalFlags, stdout, stderr io.Writer, addr string, worker bool) error {
	log0 := newLogger(stderr, 0)
	set, err := loadSettings(log0, true)
	if err != nil {
		return err
	}
	if err := set.checkProduction(false); err != nil {
		return err
	}
	log := newLogger(stderr, set.logLevel)
	workers := set.workers
	if !worker {
		workers = -1
	}
	rt, err := newRuntime(ctx, g, set, log, runtimeOpts{workers: workers})
	if err != nil {
		return err
	}
	defer rt.close()
	first, err := needsBootstrap(ctx, rt.store)
	if err != nil {
		return err
	}
	if err := set.checkProduction(first); err != nil {
		return err
	}
	h, err := rt.handler(set.publicURL)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if first {
		if err := bootstrap(ctx, rt, stdout); err != nil {
			ln.Close()
			return err
		}
	}
	if err := rt.queue.Start(ctx); err != nil {
		ln.Close()
		return fmt.Errorf("start job queue: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "public_url", set.publicURL, "store", rt.kind, "worker", worker,
		"demo", set.demo, "production", set.production)
	fmt.Fprintf(stdout, "wearables is listening on %s (public URL %s)\n  API docs:  %s/docs\n  OpenAPI:   %s/api/v1/openapi.json\n  health:    %s/healthz\n",
		ln.Addr(), set.publicURL, set.publicURL, set.publicURL, set.publicURL)

	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	log.Info("shutting down: finishing in-flight requests and jobs")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	herr := srv.Shutdown(sctx)
	_ = h.Shutdown(sctx)
	qerr := rt.queue.Stop(sctx)
	return errors.Join(herr, qerr)
}

// needsBootstrap reports whether no developer exists yet.
func needsBootstrap(ctx context.Context, st wearables.TenantStore) (bool, error) {
	p, err := st.ListDevelopers(ctx, wearables.ListQuery{Limit: 1})
	if err != nil {
		return false, err
	}
	return len(p.Items) == 0, nil
}

// bootstrap creates the admin developer, a default application and an API
// key, and prints them once. Only hashes are stored.
func bootstrap(ctx context.Context, rt *runtime, w io.Writer) error {
	pw := rt.set.adminPassword
	generated := pw == ""
	if generated {
		var b [18]byte
		_, _ = rand.Read(b[:])
		pw = base64.RawURLEncoding.EncodeToString(b[:])
	}
	hash, err := server.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("%s: %w", envAdminPassword, err)
	}
	d := wearables.Developer{Email: rt.set.adminEmail, PasswordHash: hash, Admin: true}
	if err := rt.store.CreateDeveloper(ctx, &d); err != nil {
		return fmt.Errorf("create admin: %w", err)
	}
	app := wearables.App{DeveloperID: d.ID, Name: "Default application", RedirectURIs: []string{}}
	if err := rt.store.CreateApp(ctx, &app); err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	key, _, err := server.CreateAPIKey(ctx, rt.store, app.ID, "bootstrap")
	if err != nil {
		return fmt.Errorf("create API key: %w", err)
	}
	rt.log.Warn("first run: created the admin developer, a default application and an API key; they are printed once on stdout", "email", d.Email, "app_id", app.ID)
	fmt.Fprintf(w, "\nFirst run — save these now, they are not shown again:\n")
	fmt.Fprintf(w, "  admin email:     %s\n", d.Email)
	if generated {
		fmt.Fprintf(w, "  admin password:  %s\n", pw)
	} else {
		fmt.Fprintf(w, "  admin password:  (from %s)\n", envAdminPassword)
	}
	fmt.Fprintf(w, "  application id:  %s\n", app.ID)
	fmt.Fprintf(w, "  API key:         %s\n\n", key)
	u := rt.set.publicURL
	fmt.Fprintf(w, "Try it:\n  curl -H 'Authorization: Bearer %s' %s/api/v1/providers\n", key, u)
	fmt.Fprintf(w, "  curl -H 'Authorization: Bearer %s' -d '{\"external_id\":\"me\"}' -H 'Content-Type: application/json' %s/api/v1/users\n", key, u)
	fmt.Fprintf(w, "  or run `wearables demo` for a demo user with data.\n\n")
	return nil
}
