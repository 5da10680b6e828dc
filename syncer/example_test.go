package syncer_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/memstore"
	"github.com/wearables-go/wearables/syncer"
)

// One connection synced twice: the second run re-reads the overlap window
// and finds the vendor's revision and deletion. (The lab vendor and its
// provider are this package's test doubles; a real program passes vendor
// providers and an *oauthflow.TokenBroker.)
func ExampleSyncer_SyncConnection() {
	vendor := newLabVendor(25)
	vendor.addAccount("runner-1", 40)
	srv := httptest.NewServer(vendor)
	defer srv.Close()

	ctx := context.Background()
	store := memstore.New()
	u := wearables.User{}
	_ = store.CreateUser(ctx, &u)
	conn := wearables.Connection{UserID: u.ID, Provider: labProviderID, ProviderUserID: "runner-1", Status: wearables.ConnectionActive}
	_ = store.CreateConnection(ctx, &conn)

	s, err := syncer.New(syncer.Config{
		Store:     store,
		Providers: []wearables.Provider{newLabProvider(srv.URL)},
		Tokens:    newLabTokens(store), // in a server: an *oauthflow.TokenBroker
		Settings: map[wearables.ProviderID]syncer.Settings{labProviderID: {
			InitialWindow: 11 * 24 * time.Hour, Overlap: 11 * 24 * time.Hour, MaxWindow: 4 * 24 * time.Hour,
		}},
		Now: func() time.Time { return labNow },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, _ := s.SyncConnection(ctx, conn.ID, syncer.Options{})
	t := res.Total()
	fmt.Printf("first:  %d inserted in %d pages\n", t.Inserted, t.Pages)

	vendor.mu.Lock()
	vendor.accounts["runner-1"][3].Version, vendor.accounts["runner-1"][3].Value = 2, 42
	vendor.accounts["runner-1"][7].Deleted = true
	vendor.mu.Unlock()

	res, _ = s.SyncConnection(ctx, conn.ID, syncer.Options{Trigger: wearables.TriggerWebhook})
	t = res.Total()
	fmt.Printf("second: %d updated, %d deleted, %d unchanged\n", t.Updated, t.Deleted, t.Unchanged)
	// Output:
	// first:  40 inserted in 3 pages
	// second: 1 updated, 1 deleted, 38 unchanged
}
