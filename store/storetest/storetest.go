// Package storetest is the conformance suite every wearables.Store passes.
//
// A store package runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) wearables.Store {
//			s := memstore.New()
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// The suite pins down what the store interfaces of package wearables leave
// to words: which errors each method returns, idempotent upserts on natural
// keys with exact inserted/updated/unchanged counts, latest-version-wins,
// all-or-nothing batches, time precision and offsets, keyset pagination in a
// stable order, per-connection token locking, single-use auth states,
// compare-and-swap of sealed app secrets, and that deleting a user leaves
// nothing of it behind. Stores that pass it are interchangeable.
package storetest

import (
	"testing"

	"github.com/wearables-go/wearables"
)

// Factory returns a new, empty store for one subtest. Stores returned by
// separate calls must not share data. The factory registers the store's
// Close with t.Cleanup.
type Factory = func(t *testing.T) wearables.Store

// Run runs the whole suite against the stores newStore returns, as subtests
// grouped by concern: Users, Connections, Cursors, Tokens, AuthStates,
// Records, Queries, Priorities, Concurrency, BadInput, DeleteUser, Apps
// (wearables.TenantStore, which every store of this module implements),
// Sync and AppSecrets. newStore is called once per subtest.
func Run(t *testing.T, newStore func(t *testing.T) wearables.Store) {
	t.Helper()
	t.Run("Users", func(t *testing.T) { testUsers(t, newStore) })
	t.Run("Connections", func(t *testing.T) { testConnections(t, newStore) })
	t.Run("Cursors", func(t *testing.T) { testCursors(t, newStore) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, newStore) })
	t.Run("AuthStates", func(t *testing.T) { testAuthStates(t, newStore) })
	t.Run("Records", func(t *testing.T) { testRecords(t, newStore) })
	t.Run("Queries", func(t *testing.T) { testQueries(t, newStore) })
	t.Run("Priorities", func(t *testing.T) { testPriorities(t, newStore) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, newStore) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, newStore) })
	t.Run("DeleteUser", func(t *testing.T) { testDeleteUser(t, newStore) })
	t.Run("Apps", func(t *testing.T) { testApps(t, newStore) })
	t.Run("Sync", func(t *testing.T) { testSync(t, newStore) })
	t.Run("AppSecrets", func(t *testing.T) { testAppSecrets(t, newStore) })
}
