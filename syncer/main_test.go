package syncer_test

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/syncer"
)

// Environment of a worker process: the test binary re-executed with
// workerEnv set runs workerMain instead of the tests.
const (
	workerEnv       = "SYNCER_TEST_WORKER"
	workerDSNEnv    = "SYNCER_TEST_DSN"
	workerVendorEnv = "SYNCER_TEST_VENDOR"
	workerRedisEnv  = "SYNCER_TEST_REDIS"
	workerLimitEnv  = "SYNCER_TEST_LIMIT" // "requests/duration", e.g. "100/15s"
	workersEnv      = "SYNCER_TEST_WORKERS"
)

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) != "" {
		if err := workerMain(); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

// workerMain is one worker process: a pgstore, a syncer for the lab vendor
// and a Queue working jobs until SIGTERM (or SIGKILL, which is the point).
func workerMain() error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	st, err := pgstore.Open(ctx, os.Getenv(workerDSNEnv), pgstore.WithMaxConns(16))
	if err != nil {
		return err
	}
	defer st.Close()
	settings := labSettings
	if l := os.Getenv(workerLimitEnv); l != "" {
		n, per, ok := strings.Cut(l, "/")
		var reqs int
		d, err := time.ParseDuration(per)
		if _, err2 := fmt.Sscan(n, &reqs); !ok || err != nil || err2 != nil {
			return fmt.Errorf("bad %s %q", workerLimitEnv, l)
		}
		settings.Limits = []syncer.Limit{{Requests: reqs, Per: d}}
	}
	cfg := syncer.Config{
		Store:     st,
		Providers: []wearables.Provider{newLabProvider(os.Getenv(workerVendorEnv))},
		Tokens:    newLabTokens(st),
		Settings:  map[wearables.ProviderID]syncer.Settings{labProviderID: settings},
		Now:       func() time.Time { return labNow },
	}
	if u := os.Getenv(workerRedisEnv); u != "" {
		opt, err := redis.ParseURL(u)
		if err != nil {
			return err
		}
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		cfg.Limiter = syncer.NewRedisLimiter(rdb, "syncer-test:"+os.Getenv(workerDSNEnv)+":")
	}
	s, err := syncer.New(cfg)
	if err != nil {
		return err
	}
	q, err := syncer.NewQueue(syncer.QueueConfig{
		Syncer: s, Database: syncer.Postgres, DB: st.DB(), Workers: envInt(workersEnv, 10),
		JobTimeout: 5 * time.Second, RescueStuckJobsAfter: 6 * time.Second,
		FetchPollInterval: 50 * time.Millisecond, Debounce: time.Second,
	})
	if err != nil {
		return err
	}
	if err := q.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return q.Stop(sctx)
}
