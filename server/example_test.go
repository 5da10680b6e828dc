package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
	"github.com/wearables-go/wearables/providers/demo"
	"github.com/wearables-go/wearables/server"
	"github.com/wearables-go/wearables/store/memstore"
)

// Example wires a server on an in-memory store with the demo provider,
// creates an application key the way `wearables serve` does on first run,
// and creates a user through the API.
func Example() {
	ctx := context.Background()
	st := memstore.New()
	prov := demo.New(demo.Config{BaseURL: "http://localhost:8080/demo"})
	key, _ := oauthflow.NewKey("k1", bytes.Repeat([]byte{1}, 32))
	kr, _ := oauthflow.NewKeyring(key)
	flow, err := oauthflow.New(oauthflow.Config{
		Providers:    []oauthflow.ProviderConfig{{Provider: prov, ClientID: "id", ClientSecret: "secret"}},
		RedirectURIs: []string{"http://localhost:8080/api/v1/oauth/demo/callback"},
		States:       st, Connections: st, Tokens: st, Keyring: kr,
	})
	if err != nil {
		panic(err)
	}
	h, err := server.New(server.Config{
		Store: st, Tenants: st, Flow: flow, Providers: []wearables.Provider{prov},
		JWTSecret: bytes.Repeat([]byte("j"), 32), PublicURL: "http://localhost:8080",
	})
	if err != nil {
		panic(err)
	}

	hash, _ := server.HashPassword("a long password")
	dev := wearables.Developer{Email: "admin@example.com", PasswordHash: hash, Admin: true}
	_ = st.CreateDeveloper(ctx, &dev)
	app := wearables.App{DeveloperID: dev.ID, Name: "My app"}
	_ = st.CreateApp(ctx, &app)
	apiKey, _, _ := server.CreateAPIKey(ctx, st, app.ID, "example")

	req := httptest.NewRequest("POST", "/api/v1/users", strings.NewReader(`{"external_id":"alice","time_zone":"Europe/Warsaw"}`))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Code, strings.Contains(w.Body.String(), `"external_id":"alice"`))

	req = httptest.NewRequest("GET", "/api/v1/users/nobody", nil)
	req.Header.Set("Authorization", "Bearer "+apiKey)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Println(http.StatusText(w.Code))
	// Output:
	// 201 true
	// 404 application/problem+json
	// Not Found
}
