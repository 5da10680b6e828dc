package providerhttp_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// A vendor client built on API: JSON decoding with a size limit, and vendor
// errors as *wearables.ProviderError with the rate-limit reset parsed.
func ExampleAPI_GetJSON() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("next_token") == "" {
			_, _ = io.WriteString(w, `{"data":[{"id":1},{"id":"2"}],"next_token":"abc"}`)
			return
		}
		w.Header().Set("X-RateLimit-Reset", "42")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	api := &providerhttp.API{
		Provider:  "acme",
		BaseURL:   srv.URL + "/v2",
		RateLimit: providerhttp.RateLimitHeaders{Reset: "X-RateLimit-Reset"},
		Now:       func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) },
	}
	var page struct {
		Data      []map[string]any `json:"data"`
		NextToken string           `json:"next_token"`
	}
	_, err := api.GetJSON(context.Background(), srv.Client(), "list sleep", "/sleep", nil, &page)
	fmt.Println(len(page.Data), page.NextToken, err)

	_, err = api.GetJSON(context.Background(), srv.Client(), "list sleep", "/sleep", map[string][]string{"next_token": {page.NextToken}}, &page)
	var pe *wearables.ProviderError
	if errors.As(err, &pe) {
		fmt.Println(errors.Is(err, wearables.ErrRateLimited), pe.ResetAt.Format(time.TimeOnly))
	}
	// Output:
	// 2 abc <nil>
	// true 00:00:42
}

// NewClient gives a provider a client that adds the connection's token and,
// on a 401, refreshes once and retries once.
func ExampleNewClient() {
	var refreshes int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/token":
			refreshes++
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"fresh","refresh_token":"rt-2","expires_in":3600}`)
		case r.Header.Get("Authorization") == "Bearer fresh":
			_, _ = io.WriteString(w, "ok")
		default:
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	cfg := &oauth2.Config{ClientID: "id", ClientSecret: "secret", Endpoint: oauth2.Endpoint{TokenURL: srv.URL + "/token", AuthStyle: oauth2.AuthStyleInParams}}
	stale := &oauth2.Token{AccessToken: "stale", RefreshToken: "rt-1", Expiry: time.Now().Add(time.Hour)}
	tokens := providerhttp.NewLocalTokens(cfg, stale, srv.Client())
	client := providerhttp.NewClient(tokens, srv.Client())

	resp, err := client.Get(srv.URL + "/data")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(body), refreshes, tokens.Current().RefreshToken)
	// Output:
	// 200 ok 1 rt-2
}

func ExampleNextLink() {
	h := http.Header{"Link": {`<https://api.vendor.test/v1/items?page=3>; rel="next", <https://api.vendor.test/v1/items?page=9>; rel="last"`}}
	fmt.Println(providerhttp.NextLink(h))
	// Output:
	// https://api.vendor.test/v1/items?page=3
}
