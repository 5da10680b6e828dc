package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// TrailHub is a made-up hiking app with a cloud API, standing in for the
// in-house or niche vendor you integrate in your own repository. Its quirks
// are typical: hikes carry a naive local start time plus an offset in
// minutes, ids are numbers, elevation may be null, pages are linked with
// RFC 8288 Link headers, the token endpoint wants HTTP Basic client auth,
// and the rate-limit reset header holds a Unix time.

// trailhubID is the provider's stable name. Providers outside this module
// pick their own; it is stored with every record's source.
const trailhubID wearables.ProviderID = "trailhub"

// trailhubRateLimit is how TrailHub reports its rate limits; the client and
// the conformance suite share it.
var trailhubRateLimit = providerhttp.RateLimitHeaders{
	Limit:     "X-RateLimit-Limit",
	Remaining: "X-RateLimit-Remaining",
	Reset:     "X-RateLimit-Reset",
	ResetUnix: true,
}

// TrailHubConfig configures the provider. BaseURL is overridable so tests
// point it at the fake vendor.
type TrailHubConfig struct {
	// BaseURL is the API root. Defaults to https://api.trailhub.example.
	BaseURL string
	// PageSize is how many hikes to ask for per page. Defaults to 50.
	PageSize int
}

// TrailHub implements wearables.Provider and ProviderUserIDReader. It is
// safe for concurrent use.
type TrailHub struct {
	base     string
	pageSize int
	api      *providerhttp.API
}

// NewTrailHub returns the provider.
func NewTrailHub(cfg TrailHubConfig) *TrailHub {
	base := strings.TrimRight(cfg.BaseURL, "/")
	if base == "" {
		base = "https://api.trailhub.example"
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 50
	}
	return &TrailHub{
		base:     base,
		pageSize: cfg.PageSize,
		api:      &providerhttp.API{Provider: trailhubID, BaseURL: base, RateLimit: trailhubRateLimit},
	}
}

// ID returns "trailhub".
func (p *TrailHub) ID() wearables.ProviderID { return trailhubID }

// OAuth describes TrailHub's OAuth endpoints: Basic client auth, no PKCE.
func (p *TrailHub) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.base + "/oauth/authorize",
			TokenURL:  p.base + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
		Scopes: []string{"hikes:read", "profile:read"},
	}
}

// DataTypes: TrailHub only has hikes.
func (p *TrailHub) DataTypes() []wearables.DataType {
	return []wearables.DataType{wearables.DataWorkouts}
}

// hike is TrailHub's raw payload.
type hike struct {
	ID               int64    `json:"id"`
	Title            string   `json:"title"`
	Kind             string   `json:"kind"` // "hike", "trail_run", "snowshoe"
	StartLocal       string   `json:"start_local"`
	UTCOffsetMinutes int64    `json:"utc_offset_minutes"`
	DurationS        int64    `json:"duration_s"`
	MovingS          int64    `json:"moving_s"`
	DistanceKM       float64  `json:"distance_km"`
	AscentM          *float64 `json:"ascent_m"`
	DescentM         *float64 `json:"descent_m"`
	AvgHR            *float64 `json:"avg_hr"`
	MaxHR            *float64 `json:"max_hr"`
	Updated          int64    `json:"updated_at"` // Unix seconds: the record's version
}

var trailhubKinds = map[string]wearables.WorkoutType{
	"hike":      wearables.WorkoutHiking,
	"trail_run": wearables.WorkoutTrailRunning,
	"snowshoe":  wearables.WorkoutSnowshoeing,
}

// Fetch returns one page of hikes started in [req.Start, req.End). The page
// token is the path and query of the next page from the Link header,
// relative to the base URL, so a stored cursor survives a base URL change.
func (p *TrailHub) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	if req.DataType != wearables.DataWorkouts {
		return wearables.FetchResult{}, fmt.Errorf("trailhub: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	path, q := "/v3/hikes", url.Values{
		"since":    {strconv.FormatInt(req.Start.Unix(), 10)},
		"until":    {strconv.FormatInt(req.End.Unix(), 10)},
		"per_page": {strconv.Itoa(p.pageSize)},
	}
	if req.PageToken != "" {
		path, q = req.PageToken, nil
	}
	var hikes []hike
	h, err := p.api.GetJSON(ctx, req.Client, "list hikes", path, q, &hikes)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	var res wearables.FetchResult
	for _, raw := range hikes {
		p.normalize(raw, &res)
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	if next := providerhttp.NextLink(h); next != "" {
		res.NextPageToken = strings.TrimPrefix(next, p.base)
	}
	return res, nil
}

func (p *TrailHub) normalize(h hike, res *wearables.FetchResult) {
	id := strconv.FormatInt(h.ID, 10)
	off, err := normalize.OffsetFromMinutes(h.UTCOffsetMinutes)
	if err == nil {
		var start normalize.Instant
		start, err = normalize.ParseNaive(h.StartLocal, off)
		if err == nil {
			typ, ok := trailhubKinds[h.Kind]
			if !ok {
				typ = wearables.WorkoutOther
			}
			dist := h.DistanceKM * 1000
			res.Records.Workouts = append(res.Records.Workouts, wearables.Workout{
				Source:           wearables.Source{Provider: trailhubID, DeviceType: wearables.DevicePhone, App: "TrailHub"},
				ProviderRecordID: id,
				Version:          h.Updated,
				Type:             typ,
				RawType:          h.Kind,
				Name:             h.Title,
				Start:            start.Time,
				End:              start.Time.Add(time.Duration(h.DurationS) * time.Second),
				Offset:           start.Offset,
				MovingTime:       time.Duration(h.MovingS) * time.Second,
				Distance:         &dist,
				ElevationGain:    h.AscentM,
				ElevationLoss:    h.DescentM,
				AvgHR:            h.AvgHR,
				MaxHR:            h.MaxHR,
			})
			return
		}
	}
	res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: id, Field: "start_local", Reason: err.Error()})
}

// ProviderUserID reads the TrailHub member id.
func (p *TrailHub) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	var me struct {
		ID json.Number `json:"id"`
	}
	if _, err := p.api.GetJSON(ctx, client, "get profile", "/v3/me", nil, &me); err != nil {
		return "", err
	}
	return me.ID.String(), nil
}

var (
	_ wearables.Provider             = (*TrailHub)(nil)
	_ wearables.ProviderUserIDReader = (*TrailHub)(nil)
)
