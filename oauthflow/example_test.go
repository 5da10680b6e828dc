package oauthflow_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"net/url"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/store/memstore"
)

// Example runs the full flow: Begin sends the user to the vendor, the
// vendor redirects back with a code, Complete stores the connection and its
// encrypted token, and the broker hands out access tokens (refreshing them
// when they expire) and authorized HTTP clients.
func Example() {
	ctx := context.Background()
	vendor := newExampleVendor() // an httptest OAuth 2.0 server standing in for a vendor
	defer vendor.Close()

	// Keys come from configuration, e.g. WEARABLES_TOKEN_KEYS="2026-11:base64…".
	keyring, err := oauthflow.ParseKeyring("2026-11:" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")))
	if err != nil {
		log.Fatal(err)
	}
	store := memstore.New()
	flow, err := oauthflow.New(oauthflow.Config{
		Providers: []oauthflow.ProviderConfig{{
			Provider:     vendor.provider,
			ClientID:     vendor.ClientID,
			ClientSecret: oauthflow.Secret(vendor.ClientSecret),
		}},
		RedirectURIs: []string{"https://app.example.com/oauth/callback"},
		States:       store, // or oauthflow.NewMemoryStateStore(), or redisstate.New(…)
		Connections:  store,
		Tokens:       store,
		Keyring:      keyring,
	})
	if err != nil {
		log.Fatal(err)
	}
	// At start-up: refuse to run if stored tokens need a key we lack.
	if err := oauthflow.CheckKeys(ctx, store, keyring); err != nil {
		log.Fatal(err)
	}

	user := wearables.User{ExternalID: "alice"}
	if err := store.CreateUser(ctx, &user); err != nil {
		log.Fatal(err)
	}

	// 1. Send the user to the vendor.
	begin, err := flow.Begin(ctx, oauthflow.BeginRequest{
		UserID:      user.ID,
		Provider:    vendor.provider.ID(),
		RedirectURI: "https://app.example.com/oauth/callback",
	})
	if err != nil {
		log.Fatal(err)
	}

	// 2. The vendor redirects back to the callback with code and state
	//    (here we play the browser).
	callback := vendor.approve(begin.URL)

	// 3. The callback handler completes the authorization.
	conn, err := flow.Complete(ctx, oauthflow.CompleteRequest{
		Provider: vendor.provider.ID(),
		State:    callback.Get("state"),
		Code:     callback.Get("code"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("connection:", conn.Provider, conn.ProviderUserID, conn.Status)

	// 4. Workers get tokens (refreshed and persisted as needed) or clients.
	tok, err := flow.Broker().Token(ctx, conn.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token valid:", tok.Valid())
	resp, err := flow.Broker().Client(ctx, conn.ID).Get(vendor.URL("/me"))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println("API call:", resp.Status)

	// 5. Disconnect revokes at the vendor and deletes the token.
	if err := flow.Disconnect(ctx, conn.ID); err != nil {
		log.Fatal(err)
	}
	_, err = flow.Broker().Token(ctx, conn.ID)
	var reauth *oauthflow.ReauthError
	if errors.As(err, &reauth) {
		fmt.Println("after disconnect:", reauth.Status, "-", reauth.Reason)
	}
	// Output:
	// connection: examplefit athlete-1 active
	// token valid: true
	// API call: 200 OK
	// after disconnect: revoked - disconnected by user
}

// exampleVendor wraps the test package's strict fake vendor.
type exampleVendor struct {
	*fakeVendor
	provider *fakeProvider
}

func newExampleVendor() *exampleVendor {
	v := newFakeVendor(noCleanup{})
	return &exampleVendor{fakeVendor: v, provider: newFakeProvider("examplefit", v)}
}

func (v *exampleVendor) Close() { v.srv.Close() }

// approve opens the authorize URL like a browser whose user clicks "Allow"
// and returns the query of the redirect back to the application.
func (v *exampleVendor) approve(authURL string) url.Values {
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		log.Fatal(err)
	}
	return loc.Query()
}

// noCleanup: the example closes the vendor itself.
type noCleanup struct{}

func (noCleanup) Cleanup(func()) {}
