package demo_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/demo"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// The demo vendor mounted under /demo, a connection authorized against it,
// and one day of 1-minute heart rate pulled through the provider.
func Example() {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	h, err := demo.NewHandler(demo.HandlerConfig{ClientID: "wearables", ClientSecret: "secret", Seed: 1, AutoApprove: true, Now: func() time.Time { return now }})
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/demo/", http.StripPrefix("/demo", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	p := demo.New(demo.Config{BaseURL: srv.URL + "/demo"})
	spec := p.OAuth()
	cfg := &oauth2.Config{ClientID: "wearables", ClientSecret: "secret", Endpoint: spec.Endpoint, Scopes: spec.Scopes, RedirectURL: "https://app.example/callback"}

	// Authorize (auto-approved) and exchange the code, with PKCE.
	verifier := oauth2.GenerateVerifier()
	noRedirect := *srv.Client()
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Get(cfg.AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("login_hint", "demo-eva")))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client())
	tok, err := cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := providerhttp.NewClient(providerhttp.NewLocalTokens(cfg, tok, srv.Client()), srv.Client())
	id, _ := p.ProviderUserID(ctx, client, tok)
	fmt.Println("account:", id)

	// Sync one day of heart rate, page by page.
	req := wearables.FetchRequest{Client: client, DataType: demo.DataHeartRate, Start: time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)}
	req.End = req.Start.Add(24 * time.Hour)
	samples, rejected, pages := 0, 0, 0
	for {
		res, err := p.Fetch(ctx, req)
		if err != nil {
			fmt.Println(err)
			return
		}
		pages++
		samples += len(res.Records.Samples)
		rejected += len(res.Rejected)
		if req.PageToken = res.NextPageToken; req.PageToken == "" {
			break
		}
	}
	fmt.Printf("heart rate: %d readings (%d sensor dropouts rejected) in %d pages\n", samples+rejected, rejected, pages)
	// Output:
	// account: demo-eva
	// heart rate: 1440 readings (0 sensor dropouts rejected) in 2 pages
}
