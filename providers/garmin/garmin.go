package garmin

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

// Default endpoints of the Garmin Connect Developer Program.
const (
	DefaultBaseURL      = "https://apis.garmin.com"
	DefaultAuthorizeURL = "https://connect.garmin.com/oauth2Confirm"
	DefaultTokenURL     = "https://diauth.garmin.com/di-oauth2-service/oauth/token"
)

// ClientIDHeader is the header Garmin sends with every PING and PUSH
// notification: the consumer key (OAuth client id) of the app it is for.
const ClientIDHeader = "Garmin-Client-Id"

// MaxWindow is the longest upload-time window one summary request may ask
// for: Garmin answers at most 24 hours per call (and 400 beyond).
const MaxWindow = 24 * time.Hour

// MaxPushBody is the body size Garmin requires partners to accept: 100 MB
// for Activity Details pushes (10 MB for the other summary types). Give the
// webhook intake at least this much for Garmin.
const MaxPushBody = 100 << 20

// Data types of the Garmin provider: one per summary type, each its own
// feed with its own cursor and its own backfill. Sleeps and activities use
// the generic wearables.DataSleep and wearables.DataWorkouts.
const (
	DataDailies                   wearables.DataType = "dailies"
	DataEpochs                    wearables.DataType = "epochs"
	DataBodyComps                 wearables.DataType = "body_comps"
	DataStressDetails             wearables.DataType = "stress_details"
	DataUserMetrics               wearables.DataType = "user_metrics"
	DataPulseOx                   wearables.DataType = "pulse_ox"
	DataRespiration               wearables.DataType = "respiration"
	DataHRV                       wearables.DataType = "hrv"
	DataBloodPressures            wearables.DataType = "blood_pressures"
	DataSkinTemp                  wearables.DataType = "skin_temp"
	DataActivityDetails           wearables.DataType = "activity_details"
	DataManuallyUpdatedActivities wearables.DataType = "manually_updated_activities"
)

// DataPermissions is the data type of the events a userPermissionsChange
// notification yields while the user still shares some data. It is not a
// feed: Fetch does not know it (wearables.ErrUnsupported), so a syncer that
// re-fetches on such a hint does nothing. See ParseWebhook.
const DataPermissions wearables.DataType = "user_permissions"

// summaryType is one Garmin summary type as a feed.
type summaryType struct {
	dataType wearables.DataType
	// key is the summary type's list key in PING and PUSH bodies.
	key string
	// path is the pull route, under BaseURL.
	path string
	// backfill is the backfill route; empty when Garmin offers none.
	backfill string
	// maxBackfill is the longest window one backfill request may ask for.
	maxBackfill time.Duration
	// decode decodes and normalizes a list of summaries.
	decode decoder
}

// Backfill range limits of the Health API (90 days) and the Activity API
// (30 days) per request.
const (
	healthBackfillMax   = 90 * 24 * time.Hour
	activityBackfillMax = 30 * 24 * time.Hour
)

// summaryTypes lists every feed, in the order DataTypes reports them.
var summaryTypes = []summaryType{
	{DataDailies, "dailies", "/wellness-api/rest/dailies", "/wellness-api/rest/backfill/dailies", healthBackfillMax, list(normalizeDailies)},
	{DataEpochs, "epochs", "/wellness-api/rest/epochs", "/wellness-api/rest/backfill/epochs", healthBackfillMax, list(normalizeEpochs)},
	{wearables.DataSleep, "sleeps", "/wellness-api/rest/sleeps", "/wellness-api/rest/backfill/sleeps", healthBackfillMax, list(normalizeSleeps)},
	{DataBodyComps, "bodyComps", "/wellness-api/rest/bodyComps", "/wellness-api/rest/backfill/bodyComps", healthBackfillMax, list(normalizeBodyComps)},
	{DataStressDetails, "stressDetails", "/wellness-api/rest/stressDetails", "/wellness-api/rest/backfill/stressDetails", healthBackfillMax, list(normalizeStressDetails)},
	{DataUserMetrics, "userMetrics", "/wellness-api/rest/userMetrics", "/wellness-api/rest/backfill/userMetrics", healthBackfillMax, list(normalizeUserMetrics)},
	{DataPulseOx, "pulseox", "/wellness-api/rest/pulseOx", "/wellness-api/rest/backfill/pulseOx", healthBackfillMax, list(normalizePulseOx)},
	{DataRespiration, "allDayRespiration", "/wellness-api/rest/respiration", "/wellness-api/rest/backfill/respiration", healthBackfillMax, list(normalizeRespiration)},
	{DataHRV, "hrv", "/wellness-api/rest/hrv", "/wellness-api/rest/backfill/hrv", healthBackfillMax, list(normalizeHRV)},
	{DataBloodPressures, "bloodPressures", "/wellness-api/rest/bloodPressures", "/wellness-api/rest/backfill/bloodPressures", healthBackfillMax, list(normalizeBloodPressures)},
	{DataSkinTemp, "skinTemp", "/wellness-api/rest/skinTemp", "/wellness-api/rest/backfill/skinTemp", healthBackfillMax, list(normalizeSkinTemps)},
	{wearables.DataWorkouts, "activities", "/wellness-api/rest/activities", "/wellness-api/rest/backfill/activities", activityBackfillMax, list(normalizeActivities)},
	{DataActivityDetails, "activityDetails", "/wellness-api/rest/activityDetails", "/wellness-api/rest/backfill/activityDetails", activityBackfillMax, list(normalizeActivityDetails)},
	{DataManuallyUpdatedActivities, "manuallyUpdatedActivities", "/wellness-api/rest/manuallyUpdatedActivities", "", 0, list(normalizeManualActivities)},
}

func summaryFor(dt wearables.DataType) (summaryType, bool) {
	for _, s := range summaryTypes {
		if s.dataType == dt {
			return s, true
		}
	}
	return summaryType{}, false
}

// Config configures the Garmin provider. Only ClientID and ClientSecret are
// required; every other field has a documented default.
type Config struct {
	// ClientID and ClientSecret are the app's OAuth 2.0 credentials (the
	// consumer key and secret). Garmin names the app in the
	// garmin-client-id header of every notification; VerifyWebhook
	// compares it with ClientID.
	ClientID, ClientSecret string
	// BaseURL is the API root of the summary, backfill and user routes.
	// Defaults to DefaultBaseURL.
	BaseURL string
	// AuthorizeURL is the consent page. Defaults to DefaultAuthorizeURL.
	AuthorizeURL string
	// TokenURL is the token endpoint. Defaults to DefaultTokenURL.
	TokenURL string
}

// Provider is the Garmin wearables.Provider. Build it with New; it is safe
// for concurrent use.
type Provider struct {
	cfg Config
	api *providerhttp.API
}

// New returns the Garmin provider configured by cfg, with defaults filled
// in.
func New(cfg Config) *Provider {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.AuthorizeURL == "" {
		cfg.AuthorizeURL = DefaultAuthorizeURL
	}
	if cfg.TokenURL == "" {
		cfg.TokenURL = DefaultTokenURL
	}
	return &Provider{
		cfg: cfg,
		api: &providerhttp.API{Provider: wearables.ProviderGarmin, BaseURL: cfg.BaseURL, RateLimit: RateLimit},
	}
}

// RateLimit is how Garmin reports rate limits: a 429, with no documented
// rate-window headers (a Retry-After is parsed when sent).
var RateLimit = providerhttp.RateLimitHeaders{}

// ID returns wearables.ProviderGarmin.
func (p *Provider) ID() wearables.ProviderID { return wearables.ProviderGarmin }

// OAuth describes Garmin's OAuth 2.0 endpoints: authorization code with
// PKCE (S256, required), client credentials in the token request body,
// rotating refresh tokens. Garmin has no scopes in the authorize URL: the
// app's summary types are chosen in Garmin's configuration tool and the
// user grants them on the consent page (see Permissions).
func (p *Provider) OAuth() wearables.OAuthSpec {
	return wearables.OAuthSpec{
		Endpoint: oauth2.Endpoint{
			AuthURL:   p.cfg.AuthorizeURL,
			TokenURL:  p.cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
		PKCE: true,
	}
}

// DataTypes lists the Garmin feeds, one per summary type (see the package
// documentation).
func (p *Provider) DataTypes() []wearables.DataType {
	out := make([]wearables.DataType, len(summaryTypes))
	for i, s := range summaryTypes {
		out[i] = s.dataType
	}
	return out
}

// SyncProfile implements wearables.SyncProfiler: Garmin allows no pulls
// its notifications did not announce (NotificationOnly), answers at most
// MaxWindow per summary request, takes backfill requests of at most 30
// days (activities; 90 for health summaries) and pushes bodies of up to
// MaxPushBody.
func (p *Provider) SyncProfile() wearables.SyncProfile {
	return wearables.SyncProfile{
		NotificationOnly:  true,
		MaxWindow:         MaxWindow,
		MaxBackfillWindow: activityBackfillMax,
		MaxWebhookBody:    MaxPushBody,
	}
}

// Fetch returns the summaries of one type that were uploaded to Garmin
// during [req.Start, req.End) — upload time, not measurement time — as one
// page. The window is at most MaxWindow. req.PageToken is the pull token
// of the PING that announced the window (the token parameter of its
// callbackURL; see Ping.PullToken), sent as given: Garmin answers summary
// requests only for windows its notifications announced, and refuses
// requests without a pull token (400, InvalidPullTokenException). Garmin
// does not paginate, so the result never has a next page token.
//
// Errors: a *wearables.ProviderError for a vendor response (matching
// wearables.ErrUnauthorized, wearables.ErrRateLimited …) or an unreadable
// body; an error matching wearables.ErrUnsupported for an unknown data
// type, and wearables.ErrInvalid for an empty window or one longer than
// MaxWindow; transport errors wrapped. It is safe for concurrent use.
func (p *Provider) Fetch(ctx context.Context, req wearables.FetchRequest) (wearables.FetchResult, error) {
	st, ok := summaryFor(req.DataType)
	if !ok {
		return wearables.FetchResult{}, fmt.Errorf("garmin: fetch %q: %w", req.DataType, wearables.ErrUnsupported)
	}
	if !req.End.After(req.Start) || req.End.Sub(req.Start) > MaxWindow {
		return wearables.FetchResult{}, fmt.Errorf("garmin: fetch %s: window [%s, %s) is empty or longer than %s: %w",
			req.DataType, req.Start.UTC().Format(time.RFC3339), req.End.UTC().Format(time.RFC3339), MaxWindow, wearables.ErrInvalid)
	}
	q := url.Values{
		"uploadStartTimeInSeconds": {strconv.FormatInt(floorUnix(req.Start), 10)},
		"uploadEndTimeInSeconds":   {strconv.FormatInt(ceilUnix(req.End), 10)},
	}
	if req.PageToken != "" {
		q.Set("token", req.PageToken)
	}
	return p.pull(ctx, req.Client, st, st.path, q)
}

// FetchCallback fetches a PING's callbackURL exactly as Garmin gave it
// (window and pull token included) with the user's client and normalizes
// the summaries it returns. The URL must lie under Config.BaseURL (a
// forged notification cannot make it send the user's token elsewhere:
// providerhttp.ErrForeignURL) and name a summary route this provider
// knows (else an error matching wearables.ErrUnsupported). Other errors are
// those of Fetch. It is safe for concurrent use.
func (p *Provider) FetchCallback(ctx context.Context, client *http.Client, callbackURL string) (wearables.DataType, wearables.FetchResult, error) {
	u, err := url.Parse(callbackURL)
	if err != nil {
		return "", wearables.FetchResult{}, fmt.Errorf("garmin: fetch callback: %w: %w", wearables.ErrInvalid, err)
	}
	if _, err := p.api.URL(callbackURL, nil); err != nil {
		return "", wearables.FetchResult{}, fmt.Errorf("garmin: fetch callback: %w", err)
	}
	base, _ := url.Parse(p.cfg.BaseURL)
	route := strings.TrimPrefix(u.Path, strings.TrimRight(base.Path, "/"))
	for _, st := range summaryTypes {
		if st.path == route {
			res, err := p.pull(ctx, client, st, callbackURL, nil)
			return st.dataType, res, err
		}
	}
	return "", wearables.FetchResult{}, fmt.Errorf("garmin: fetch callback: route %q: %w", route, wearables.ErrUnsupported)
}

// pull requests one list of summaries of st and normalizes it.
func (p *Provider) pull(ctx context.Context, client *http.Client, st summaryType, path string, q url.Values) (wearables.FetchResult, error) {
	op := "list " + st.key
	req, err := p.api.NewRequest(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := p.api.Do(client, op, req)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	res, err := st.decode.read(p.api, op, resp)
	if err != nil {
		return wearables.FetchResult{}, err
	}
	return finish(res), nil
}

// finish moves implausible records of a page to Rejected.
func finish(res wearables.FetchResult) wearables.FetchResult {
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

// User routes.
const (
	userIDPath       = "/wellness-api/rest/user/id"
	permissionsPath  = "/wellness-api/rest/user/permissions"
	registrationPath = "/wellness-api/rest/user/registration"
)

// ProviderUserID reads the Garmin API user id of the account client is
// authorized for ({"userId": "…"}): stable across tokens and apps, and the
// userId every notification names. Errors are *wearables.ProviderError
// values, or an error matching wearables.ErrInvalid when the answer has no
// id. It is safe for concurrent use.
func (p *Provider) ProviderUserID(ctx context.Context, client *http.Client, _ *oauth2.Token) (string, error) {
	var v struct {
		UserID rawID `json:"userId"`
	}
	if _, err := p.api.GetJSON(ctx, client, "read user id", userIDPath, nil, &v); err != nil {
		return "", err
	}
	if v.UserID == "" {
		return "", fmt.Errorf("garmin: read user id: empty userId: %w", wearables.ErrInvalid)
	}
	return string(v.UserID), nil
}

// Permissions returns the permissions the user granted the app
// ("ACTIVITY_EXPORT", "HEALTH_EXPORT", "HISTORICAL_DATA_EXPORT" …). Garmin
// answers a bare JSON list; an object {"permissions": […]} is accepted too.
// Errors are *wearables.ProviderError values. It is safe for concurrent use.
func (p *Provider) Permissions(ctx context.Context, client *http.Client) ([]string, error) {
	var raw json.RawMessage
	if _, err := p.api.GetJSON(ctx, client, "read permissions", permissionsPath, nil, &raw); err != nil {
		return nil, err
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var obj struct {
		Permissions []string `json:"permissions"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, &wearables.ProviderError{Provider: wearables.ProviderGarmin, Op: "read permissions", StatusCode: http.StatusOK,
			Err: fmt.Errorf("%w: %w", providerhttp.ErrMalformedBody, err)}
	}
	return obj.Permissions, nil
}

// Revoke deletes the user's registration with the app (DELETE
// /wellness-api/rest/user/registration with tok as the bearer token), as
// Garmin requires when a user disconnects outside Garmin Connect. Garmin
// then sends a final deregistration notification and rejects the token.
// Errors are *wearables.ProviderError values (401 when the token is
// already invalid). It is safe for concurrent use.
func (p *Provider) Revoke(ctx context.Context, client *http.Client, conn wearables.Connection, tok *oauth2.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return fmt.Errorf("garmin: revoke: no access token: %w", wearables.ErrInvalid)
	}
	req, err := p.api.NewRequest(ctx, http.MethodDelete, registrationPath, nil, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := p.api.Do(client, "delete registration", req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// floorUnix and ceilUnix are the Unix seconds at or before, and at or
// after, t: Garmin takes whole seconds and rejects milliseconds.
func floorUnix(t time.Time) int64 { return t.Unix() }

func ceilUnix(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

var (
	_ wearables.Provider             = (*Provider)(nil)
	_ wearables.ProviderUserIDReader = (*Provider)(nil)
	_ wearables.Revoker              = (*Provider)(nil)
	_ wearables.SyncProfiler         = (*Provider)(nil)
)
