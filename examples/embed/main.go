// Command embed shows the syncer embedded in a plain net/http backend: a
// SQLite file (sqlitestore), River working jobs in-process on the same file,
// and the demo provider with its synthetic vendor mounted on the same server,
// so the whole connect → backfill → sync → webhook → query flow runs on a
// fresh machine with no account anywhere.
//
//	go run ./examples/embed -addr 127.0.0.1:8080 -db embed.db
//
// Then open http://127.0.0.1:8080/connect?user=alice in a browser (the demo
// vendor approves at once), and read
//
//	GET  /users/{user}/workouts       the user's workouts of the last 7 days
//	GET  /users/{user}/connections    connections with backfill status and recent sync runs
//	POST /connections/{id}/sync       enqueue a sync now
//	POST /webhooks/demo               the vendor's webhooks (signed with -webhook-secret)
//
// The token-encryption key is derived from -key-secret; a real deployment
// loads a random key from a secret store (see package oauthflow).
package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/providers/demo"
	"github.com/wearables-go/wearables/store/sqlitestore"
	"github.com/wearables-go/wearables/syncer"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	dbPath := flag.String("db", "embed.db", "SQLite file")
	keySecret := flag.String("key-secret", "embed-example-not-for-production", "secret the token-encryption key is derived from")
	webhookSecret := flag.String("webhook-secret", "embed-webhooks", "demo vendor webhook secret")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
	if err := run(ctx, ln, *dbPath, *keySecret, *webhookSecret, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}

// app is the backend: its own routes around the library's pieces.
type app struct {
	store *sqlitestore.Store
	flow  *oauthflow.Flow
	queue *syncer.Queue
	base  string
}

// run serves on ln until ctx ends, then shuts down gracefully.
func run(ctx context.Context, ln net.Listener, dbPath, keySecret, webhookSecret string, out io.Writer) error {
	base := "http://" + ln.Addr().String()
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelWarn}))

	st, err := sqlitestore.Open(ctx, dbPath, sqlitestore.WithAutoMigrate())
	if err != nil {
		return err
	}
	defer st.Close()
	// River's tables live in the same file and share the store's writer
	// connection, so jobs commit in the store's transactions.
	if err := syncer.Migrate(ctx, syncer.SQLite, st.WriterDB()); err != nil {
		return err
	}

	vendor, err := demo.NewHandler(demo.HandlerConfig{ClientID: "embed", ClientSecret: "embed-secret", Seed: 1, AutoApprove: true})
	if err != nil {
		return err
	}
	provider := demo.New(demo.Config{BaseURL: base + "/demo", WebhookSecret: webhookSecret})

	secret := sha256.Sum256([]byte(keySecret))
	key, err := oauthflow.NewKey("embed-1", secret[:])
	if err != nil {
		return err
	}
	keyring, err := oauthflow.NewKeyring(key)
	if err != nil {
		return err
	}
	flow, err := oauthflow.New(oauthflow.Config{
		Providers:    []oauthflow.ProviderConfig{{Provider: provider, ClientID: "embed", ClientSecret: "embed-secret"}},
		RedirectURIs: []string{base + "/callback/demo"},
		States:       st, Connections: st, Tokens: st, Keyring: keyring,
		Logger: logger,
	})
	if err != nil {
		return err
	}
	sy, err := syncer.New(syncer.Config{
		Store:     st,
		Providers: []wearables.Provider{provider},
		Tokens:    flow.Broker(),
		Settings:  map[wearables.ProviderID]syncer.Settings{wearables.ProviderDemo: {BackfillDays: 7, SyncInterval: 15 * time.Minute}},
		Logger:    logger,
	})
	if err != nil {
		return err
	}
	queue, err := syncer.NewQueue(syncer.QueueConfig{Syncer: sy, Database: syncer.SQLite, DB: st.WriterDB(), Workers: 4, PeriodicSync: true, Logger: logger})
	if err != nil {
		return err
	}
	if err := queue.Start(ctx); err != nil {
		return err
	}
	a := &app{store: st, flow: flow, queue: queue, base: base}

	mux := http.NewServeMux()
	mux.Handle("/demo/", http.StripPrefix("/demo", vendor))
	mux.Handle("/webhooks/", http.StripPrefix("/webhooks", queue.WebhookHandler()))
	mux.HandleFunc("GET /connect", a.connect)
	mux.HandleFunc("GET /callback/demo", a.callback)
	mux.HandleFunc("GET /users/{user}/workouts", a.workouts)
	mux.HandleFunc("GET /users/{user}/connections", a.connections)
	mux.HandleFunc("POST /connections/{id}/sync", a.syncNow)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	fmt.Fprintf(out, "listening on %s\n", base)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := queue.Stop(sctx); err != nil {
		return err
	}
	fmt.Fprintln(out, "stopped")
	return nil
}

// user returns the user with the application's id ext, creating it.
func (a *app) user(ctx context.Context, ext string) (wearables.User, error) {
	u, err := a.store.GetUserByExternalID(ctx, "", ext)
	if errors.Is(err, wearables.ErrNotFound) {
		u = wearables.User{ExternalID: ext}
		err = a.store.CreateUser(ctx, &u)
		if errors.Is(err, wearables.ErrConflict) {
			return a.store.GetUserByExternalID(ctx, "", ext)
		}
	}
	return u, err
}

// connect sends the user to the demo vendor's consent page.
func (a *app) connect(w http.ResponseWriter, r *http.Request) {
	ext := r.URL.Query().Get("user")
	if ext == "" {
		http.Error(w, "?user= is required", http.StatusBadRequest)
		return
	}
	u, err := a.user(r.Context(), ext)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	res, err := a.flow.Begin(r.Context(), oauthflow.BeginRequest{UserID: u.ID, Provider: wearables.ProviderDemo, RedirectURI: a.base + "/callback/demo"})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, res.URL, http.StatusFound)
}

// callback completes the authorization; the connection's backfill and
// first sync jobs are inserted in the transaction that activates it.
func (a *app) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	conn, err := a.flow.Complete(r.Context(), oauthflow.CompleteRequest{
		Provider: wearables.ProviderDemo, State: q.Get("state"), Code: q.Get("code"),
		Activate: a.queue.ActivateConnection,
	})
	if err != nil {
		http.Error(w, "authorization failed", http.StatusBadRequest)
		return
	}
	writeJSON(w, conn)
}

func (a *app) workouts(w http.ResponseWriter, r *http.Request) {
	u, err := a.store.GetUserByExternalID(r.Context(), "", r.PathValue("user"))
	if err != nil {
		http.Error(w, "no such user", http.StatusNotFound)
		return
	}
	now := time.Now()
	page, err := a.store.QueryWorkouts(r.Context(), wearables.EventQuery{UserID: u.ID, Start: now.AddDate(0, 0, -7), End: now})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, page)
}

type connectionView struct {
	wearables.Connection
	Backfills []wearables.BackfillStatus `json:"backfills"`
	Runs      []wearables.SyncRun        `json:"runs"`
}

func (a *app) connections(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, err := a.store.GetUserByExternalID(ctx, "", r.PathValue("user"))
	if err != nil {
		http.Error(w, "no such user", http.StatusNotFound)
		return
	}
	page, err := a.store.ListConnections(ctx, wearables.ConnectionQuery{UserID: u.ID})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out := []connectionView{}
	for _, c := range page.Items {
		v := connectionView{Connection: c}
		if v.Backfills, err = a.store.ListBackfills(ctx, c.ID); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		runs, err := a.store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: c.ID, Limit: 10})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		v.Runs = runs.Items
		out = append(out, v)
	}
	writeJSON(w, out)
}

func (a *app) syncNow(w http.ResponseWriter, r *http.Request) {
	if _, err := a.store.GetConnection(r.Context(), r.PathValue("id")); err != nil {
		http.Error(w, "no such connection", http.StatusNotFound)
		return
	}
	if err := a.queue.EnqueueSync(r.Context(), nil, r.PathValue("id"), "", wearables.TriggerManual); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
