package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/server"
	"github.com/wearables-go/wearables/syncer"
)

func newDemoCmd(g *globalFlags) *cobra.Command {
	var appID, external string
	var days int
	var noProgress bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Create a demo user connected to the demo provider, with data",
		Long: `Create a user, connect it to the built-in demo provider through the real
OAuth flow (on a private port of this process), and sync --days of its
synthetic data: 1-minute heart rate, steps, sleep with stages, workouts,
HRV, SpO2 and weight. Then query it through the API of ` + "`wearables serve`" + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, g, appID, external, days, noProgress)
		},
	}
	cmd.Flags().StringVar(&appID, "app", "", "application of the user (default: the first application; created on first run)")
	cmd.Flags().StringVar(&external, "external-id", "demo", "external id of the demo user (reused when it exists)")
	cmd.Flags().IntVar(&days, "days", 7, "days of history to sync (1–31)")
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "do not draw a progress bar")
	return cmd
}

func runDemo(cmd *cobra.Command, g *globalFlags, appID, external string, days int, noProgress bool) error {
	ctx := cmd.Context()
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if days < 1 || days > 31 {
		return fmt.Errorf("--days must be 1 to 31: %w", wearables.ErrInvalid)
	}
	set, err := loadSettings(newLogger(stderr, 0), true)
	if err != nil {
		return err
	}
	set.demo, set.demoHistory = true, time.Duration(days)*24*time.Hour
	log := newLogger(io.Discard, set.logLevel)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	rt, err := newRuntime(ctx, g, set, log, runtimeOpts{publicURL: base, workers: -1, autoApprove: true})
	if err != nil {
		return err
	}
	defer rt.close()

	if appID == "" {
		first, err := needsBootstrap(ctx, rt.store)
		if err != nil {
			return err
		}
		if first {
			if err := bootstrap(ctx, rt, stdout); err != nil {
				return err
			}
		}
		p, err := rt.store.ListApps(ctx, wearables.ListQuery{Limit: 1})
		if err != nil {
			return err
		}
		if len(p.Items) == 0 {
			return errors.New("no application exists: create one with `wearables apps create`")
		}
		appID = p.Items[0].ID
	}
	key, rec, err := server.CreateAPIKey(ctx, rt.store, appID, "demo command (revoked when it ends)")
	if err != nil {
		return fmt.Errorf("application %s: %w", appID, err)
	}
	defer func() { _ = rt.store.RevokeAPIKey(context.WithoutCancel(ctx), rec.ID, time.Now()) }()

	h, err := rt.handler(base)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	api := &apiClient{base: base, key: key, c: &http.Client{Timeout: time.Minute}}

	var u wearables.User
	status, err := api.call(ctx, "POST", "/api/v1/users", map[string]string{"external_id": external, "time_zone": "Asia/Kathmandu"}, &u)
	if status == http.StatusConflict {
		var page wearables.Page[wearables.User]
		if _, err = api.call(ctx, "GET", "/api/v1/users?external_id="+external, nil, &page); err == nil && len(page.Items) == 1 {
			u = page.Items[0]
		}
	}
	if err != nil || u.ID == "" {
		return fmt.Errorf("create demo user: %w", err)
	}
	var az server.Authorization
	if _, err := api.call(ctx, "POST", "/api/v1/oauth/demo/authorize", map[string]string{"user_id": u.ID}, &az); err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	// The demo vendor approves at once and redirects to the callback,
	// which answers JSON (no application redirect was asked for).
	res, err := api.c.Get(az.URL)
	if err != nil {
		return fmt.Errorf("consent: %w", err)
	}
	var cb server.CallbackResult
	err = json.NewDecoder(res.Body).Decode(&cb)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		return fmt.Errorf("callback answered %d", res.StatusCode)
	}
	fmt.Fprintf(stderr, "connected user %s to the demo provider (connection %s); syncing %d days …\n", u.ID, cb.ConnectionID, days)

	types := []wearables.DataType{}
	for _, p := range rt.providers {
		if p.ID() == wearables.ProviderDemo {
			types = p.DataTypes()
		}
	}
	var bar interface {
		Describe(string)
		Add(int) error
		Finish() error
	}
	if !noProgress {
		bar = newBar(stderr, int64(len(types)))
	}
	var total wearables.SyncCounts
	for _, dt := range types {
		if bar != nil {
			bar.Describe("syncing " + string(dt))
		}
		r, err := rt.syncer.SyncConnection(ctx, cb.ConnectionID, syncer.Options{DataTypes: []wearables.DataType{dt}, Trigger: wearables.TriggerManual})
		if err != nil {
			return fmt.Errorf("sync %s: %w", dt, err)
		}
		total = total.Add(r.Total())
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(stderr)
	}
	fmt.Fprintf(stdout, "Demo user %s (external id %q) is connected to the demo provider (connection %s):\n  %s records written (%s unchanged).\n",
		u.ID, u.ExternalID, cb.ConnectionID, count(int64(total.Inserted+total.Updated)), count(int64(total.Unchanged)))
	pub := set.publicURL
	fmt.Fprintf(stdout, "Query it with `wearables serve` running and your API key:\n"+
		"  curl -H \"Authorization: Bearer $KEY\" '%s/api/v1/users/%s/series?types=heart_rate,steps&resolution=1h'\n"+
		"  curl -H \"Authorization: Bearer $KEY\" '%s/api/v1/users/%s/sleep'\n"+
		"  curl -H \"Authorization: Bearer $KEY\" '%s/api/v1/users/%s/workouts'\n", pub, u.ID, pub, u.ID, pub, u.ID)
	return nil
}

// apiClient calls the API with an API key.
type apiClient struct {
	base, key string
	c         *http.Client
}

func (a *apiClient) call(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+a.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode >= 300 {
		var p server.Problem
		_ = json.Unmarshal(b, &p)
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, p.Detail)
	}
	if out != nil {
		return res.StatusCode, json.Unmarshal(b, out)
	}
	return res.StatusCode, nil
}
