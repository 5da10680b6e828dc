package main

import (
	"embed"
	"io/fs"
	"strconv"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providertest"
)

// testdata holds TrailHub's recorded responses and the goldens. It is
// embedded so the program runs the kit from any directory.
//
//go:embed testdata
var testdata embed.FS

// suite declares TrailHub for the conformance kit: how the vendor behaves
// and what was recorded. The same value serves `go test` (main_test.go)
// and the program (main.go).
func suite() providertest.Suite {
	files, err := fs.Sub(testdata, "testdata")
	if err != nil {
		panic(err) // the embedded directory is always there
	}
	since, until := "1777593600", "1778803200" // 2026-05-01 and 2026-05-15, 00:00 UTC
	return providertest.Suite{
		NewProvider: func(env providertest.Env) (wearables.Provider, error) {
			return NewTrailHub(TrailHubConfig{BaseURL: env.URL, PageSize: 2}), nil
		},
		Vendor: providertest.Vendor{
			AuthStyle:  oauth2.AuthStyleInHeader,
			Pagination: providertest.Pagination{Param: "page"},
			RateLimit:  trailhubRateLimit,
			Quota:      providertest.Quota{Requests: 600, Window: 15 * time.Minute},
			// The recorded Link headers name the real host; the fake server
			// rewrites it to its own.
			RewriteURLs: []string{"https://api.trailhub.example"},
			ErrorBody:   func(status int) string { return `{"message":"error","code":` + strconv.Itoa(status) + `}` },
		},
		Fixtures: providertest.Fixtures{
			Dir:            "testdata", // for -update, run from this directory
			FS:             files,
			ProviderUserID: "88123",
			Cases: []providertest.Case{{
				Name:     "hikes",
				DataType: wearables.DataWorkouts,
				Start:    time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
				End:      time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC),
				Path:     "/v3/hikes",
				Query:    map[string]string{"since": since, "until": until, "per_page": "2"},
				Pages: []providertest.Page{
					{File: "hikes_page1.json", Header: map[string]string{
						"Link": `<https://api.trailhub.example/v3/hikes?since=` + since + `&until=` + until + `&per_page=2&page=2>; rel="next"`,
					}},
					{File: "hikes_page2.json", Token: "2"},
				},
			}},
			Static: []providertest.Static{{Path: "/v3/me", File: "me.json"}},
		},
	}
}
