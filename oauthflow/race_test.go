package oauthflow_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/oauthflow"
)

// TestRefreshRace: several broker instances sharing one store, each asked
// by 50 goroutines at once for the token of one expired connection, round
// after round, against a vendor that answers after 300 ms, rotates refresh
// tokens and revokes the whole family when a rotated one is reused.
// Exactly one refresh per round may reach the vendor, with no invalid_grant
// and no family revocation, and every goroutine of a round must get the same
// (valid) access token.
// (100 rounds on sqlitestore and pgstore, 30 on memstore.)
//
// The brokers are separate TokenBroker values in this process, each on its
// own store handle: for sqlitestore and pgstore that is a separately opened
// Store with its own connection pool on the same database, so the only
// thing that serializes them is the database lock (SQLite's write
// transaction, PostgreSQL's row lock) — exactly as for separate processes.
// memstore cannot be shared between handles, so its four brokers share one
// Store (and its mutex). The crash test (TestCrashWindow) uses real child
// processes.
func TestRefreshRace(t *testing.T) {
	const (
		goroutines = 50
		latency    = 300 * time.Millisecond
	)
	// memstore's brokers share one mutex, so fewer rounds prove as much and
	// keep the package's run time down.
	roundsOf := map[string]int{"memstore": 30, "sqlitestore": 100, "pgstore": 100}
	forEachStore(t, func(t *testing.T, k storeKind) {
		t.Parallel()
		const n = 4 // brokers
		rounds := roundsOf[k.name]
		stores, _ := k.open(t, n)
		e := newEnv(t, stores[0])
		e.vendor.Latency.Store(int64(latency))
		conn, _ := e.seed(e.clock.Now().Add(-time.Minute))
		ctx := context.Background()

		bs := make([]*oauthflow.TokenBroker, n)
		for i := range bs {
			bs[i] = e.brokerOn(stores[i])
		}
		prev := ""
		for round := range rounds {
			e.clock.Advance(2 * time.Hour) // every token is now expired
			start := make(chan struct{})
			var (
				wg   sync.WaitGroup
				mu   sync.Mutex
				got  = map[string]int{}
				errs []error
			)
			for i := range n * goroutines {
				wg.Go(func() {
					<-start
					tok, err := bs[i%n].Token(ctx, conn.ID)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						errs = append(errs, err)
						return
					}
					got[tok.AccessToken]++
				})
			}
			close(start)
			wg.Wait()
			require.Empty(t, errs, "round %d", round)
			require.Len(t, got, 1, "round %d: every goroutine gets the same token", round)
			for at := range got {
				require.NotEqual(t, prev, at, "round %d: a new token", round)
				require.True(t, e.vendor.AccessValid(at), "round %d", round)
				prev = at
			}
			require.Equal(t, int64(round+1), e.vendor.RefreshRequests.Load(), "round %d: one refresh per round", round)
		}
		assert.Equal(t, int64(rounds), e.vendor.RefreshRequests.Load(), "refresh requests")
		assert.Zero(t, e.vendor.InvalidGrants.Load(), "invalid_grant responses")
		assert.Zero(t, e.vendor.FamilyRevocations.Load(), "family revocations")
		t.Logf("%s: %d brokers × %d goroutines × %d rounds → %d refresh requests, %d invalid_grant, %d family revocations",
			k.name, n, goroutines, rounds, e.vendor.RefreshRequests.Load(), e.vendor.InvalidGrants.Load(), e.vendor.FamilyRevocations.Load())
	})
}
