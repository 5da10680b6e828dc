// Package providertest is the conformance kit every provider must pass, and
// the fake vendor server it runs on.
//
// A vendor package declares, in its tests, how its vendor behaves (a
// Vendor: OAuth endpoints and client auth style, pagination parameter,
// rate-limit headers, webhook signing) and what it recorded (Fixtures: raw
// payloads byte-for-byte as the vendor sent them, which request each page
// answers, and the golden file each window must normalize to), then calls
// Run:
//
//	func TestConformance(t *testing.T) {
//		providertest.Run(t, providertest.Suite{
//			NewProvider: func(env providertest.Env) (wearables.Provider, error) {
//				return acme.New(acme.Config{
//					BaseURL:      env.URL,
//					ClientID:     env.ClientID,
//					ClientSecret: env.ClientSecret,
//				}), nil
//			},
//			Vendor: providertest.Vendor{
//				TokenPath:  "/oauth/token",
//				AuthStyle:  oauth2.AuthStyleInParams,
//				Pagination: providertest.Pagination{Param: "next_token"},
//				RateLimit:  providerhttp.RateLimitHeaders{RetryAfter: true},
//			},
//			Fixtures: providertest.Fixtures{
//				Dir: "testdata",
//				Cases: []providertest.Case{{
//					DataType: wearables.DataSleep,
//					Start:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
//					End:      time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC),
//					Path:     "/v2/sleep",
//					Query:    map[string]string{"start_date": "2024-01-01", "end_date": "2024-01-03"},
//					Pages: []providertest.Page{
//						{File: "sleep_page1.json"},
//						{File: "sleep_page2.json", Token: "tok-2"},
//					},
//				}},
//			},
//		})
//	}
//
// Run starts a Server (an httptest server impersonating the vendor),
// builds the provider against it, and checks, as subtests: declared data
// types are covered by fixtures; the OAuth spec points at the vendor's
// endpoints with its auth style and PKCE, and a full authorize → exchange →
// refresh works; every page chain is followed to its end and stops; the
// normalized output equals the golden file (regenerate with
// `go test -update`, then review the diff); re-fetching a window yields
// identical records; a 401 triggers exactly one refresh and one retry; a
// 429 surfaces wearables.ErrRateLimited with Retry-After and the vendor's
// reset header parsed; 5xx, truncated bodies, cut bodies and connection
// resets give typed errors and no records; a slow vendor honours the
// context deadline; Revoke and webhook verification (valid, tampered body,
// wrong secret, stale timestamp, each missing header) behave.
//
// The kit builds the *http.Client it passes in FetchRequest with
// providerhttp.NewClient, so the "refresh once on 401" behaviour under test
// is the module's single shared implementation, not the vendor's.
//
// # Outside go test
//
// Check runs the same checks without a *testing.T and returns a Report, so
// a program can vet a provider defined anywhere (see
// examples/customprovider).
//
// # The fake server elsewhere
//
// NewServer is usable on its own (like net/http/httptest, this package only
// imports testing for Run): end-to-end tests of the syncer and the
// reference server point a provider at it, issue tokens with
// Server.IssueToken, inject faults with Server.Inject and read the request
// log. FaultHandler adds the same fault injection to any other handler.
//
// The step-by-step guide to adding a vendor is providers/README.md.
package providertest
