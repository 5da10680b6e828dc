package syncer_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/syncer"
)

// BenchmarkSync measures sync throughput against the lab vendor with 20 ms
// latency (mean; uniform in 10–30 ms) and no rate limit, 50 workouts per
// connection in pages of 25 over 3 windows:
//
//   - SyncConnection/<store>: 10 goroutines calling SyncConnection, with the
//     time per page spent waiting on the vendor (net-ms/page), committing
//     (store-ms/page) and in the rest of our code (ours-ms/page);
//   - Queue/<store>: one worker process (a Queue with 10 workers) draining
//     b.N sync jobs: connections synced per minute.
//
// Run with
//
//	WEARABLES_TEST_POSTGRES_URL=… go test -run '^$' -bench BenchmarkSync -benchtime 2000x ./syncer/
func BenchmarkSync(b *testing.B) {
	backends := map[string]func(b *testing.B) queueBackend{
		"sqlite":   func(b *testing.B) queueBackend { return sqliteBackend(b) },
		"postgres": func(b *testing.B) queueBackend { return pgBackend(b, testenv.PostgresSchema(b)) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run("SyncConnection/"+name, func(b *testing.B) {
			be := backends[name](b)
			h, conns := benchSetup(b, be)
			var (
				mu                sync.Mutex
				net, store, total time.Duration
				pages             int
				next              = make(chan wearables.Connection, len(conns))
				wg                sync.WaitGroup
			)
			for _, c := range conns {
				next <- c
			}
			close(next)
			b.ResetTimer()
			start := time.Now()
			for range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for c := range next {
						res, err := h.syncer.SyncConnection(context.Background(), c.ID, syncer.Options{})
						if err != nil {
							b.Error(err)
							return
						}
						mu.Lock()
						net, store, total, pages = net+res.Network, store+res.Store, total+res.Duration, pages+res.Total().Pages
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			p := float64(max(pages, 1))
			b.ReportMetric(float64(len(conns))/elapsed.Minutes(), "conns/min")
			b.ReportMetric(float64(net.Milliseconds())/p, "net-ms/page")
			b.ReportMetric(float64(store.Microseconds())/1000/p, "store-ms/page")
			b.ReportMetric(float64((total-net-store).Microseconds())/1000/p, "ours-ms/page")
		})
		b.Run("Queue/"+name, func(b *testing.B) {
			be := backends[name](b)
			h, conns := benchSetup(b, be)
			q, err := syncer.NewQueue(syncer.QueueConfig{Syncer: h.syncer, Database: be.db, DB: be.pool, Workers: 10, Debounce: time.Second, FetchPollInterval: 20 * time.Millisecond})
			require.NoError(b, err)
			ids := make([]string, len(conns))
			for i, c := range conns {
				ids[i] = c.ID
			}
			b.ResetTimer()
			start := time.Now()
			require.NoError(b, q.EnqueueSyncs(context.Background(), ids, wearables.TriggerManual))
			require.NoError(b, q.Start(context.Background()))
			waitFor(b, 30*time.Minute, "the queue to drain", func() bool {
				n, _ := unfinished(b, q.Client())
				return n == 0
			})
			// The first second is the debounce wait before jobs start.
			elapsed := time.Since(start)
			b.StopTimer()
			require.NoError(b, q.Stop(context.Background()))
			b.ReportMetric(float64(len(conns))/elapsed.Minutes(), "conns/min")
		})
	}
}

func benchSetup(b *testing.B, be queueBackend) (*harness, []wearables.Connection) {
	h := newHarness(b, be.store, 25, nil)
	h.vendor.latency = 20 * time.Millisecond
	conns := createConnections(b, be.store, h.vendor, b.N, 50)
	return h, conns
}
