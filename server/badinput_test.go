package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/server"
)

// TestBadInput: malformed JSON, wrong types, huge bodies, unknown enum
// values, bad cursors and bad time ranges get a 4xx problem+json with a
// stable type, never a 500, and write nothing.
func TestBadInput(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.contract = newContract(t, e)
	w := newWorld(t, e)
	u := "/api/v1/users/" + w.userB.ID
	huge := `{"external_id":"` + strings.Repeat("x", 2<<20) + `"}`
	cases := []struct {
		name, method, path string
		body               any
		status             int
		problem            string
	}{
		{"malformed JSON", "POST", "/api/v1/users", `{"external_id":`, 400, server.ProblemInvalid},
		{"not an object", "POST", "/api/v1/users", `[1,2]`, 422, server.ProblemInvalid},
		{"wrong type", "POST", "/api/v1/users", `{"external_id":5}`, 422, server.ProblemInvalid},
		{"unknown field", "POST", "/api/v1/users", `{"externalid":"x"}`, 422, server.ProblemInvalid},
		{"unknown time zone", "POST", "/api/v1/users", `{"time_zone":"Mars/Olympus"}`, 422, server.ProblemInvalid},
		{"too long", "POST", "/api/v1/users", `{"external_id":"` + strings.Repeat("x", 300) + `"}`, 422, server.ProblemInvalid},
		{"huge body", "POST", "/api/v1/users", huge, 413, server.ProblemTooLarge},
		{"duplicate external id", "POST", "/api/v1/users", `{"external_id":"same-external-id"}`, 409, server.ProblemConflict},
		{"unknown device type", "PUT", u + "/priorities", `{"items":[{"data_type":"steps","providers":["demo"],"device_types":["toaster"]}]}`, 422, server.ProblemInvalid},
		{"unknown data type", "PUT", u + "/priorities", `{"items":[{"data_type":"nonsense","providers":["demo"]}]}`, 422, server.ProblemInvalid},
		{"duplicate data type", "PUT", u + "/priorities", `{"items":[{"data_type":"steps","providers":["demo"]},{"data_type":"steps","providers":["oura"]}]}`, 422, server.ProblemInvalid},
		{"unknown series type", "GET", u + "/samples?types=toast", nil, 422, server.ProblemInvalid},
		{"no series type", "GET", u + "/samples?types=", nil, 422, server.ProblemInvalid},
		{"bad resolution", "GET", u + "/series?types=heart_rate&resolution=7q", nil, 422, server.ProblemInvalid},
		{"too many buckets", "GET", u + "/series?types=heart_rate&resolution=1m&start=2020-01-01T00:00:00Z&end=2022-01-01T00:00:00Z", nil, 422, server.ProblemInvalid},
		{"bad cursor", "GET", u + "/samples?types=heart_rate&cursor=garbage!!", nil, 422, server.ProblemInvalid},
		{"bad user cursor", "GET", "/api/v1/users?cursor=%00%01", nil, 422, server.ProblemInvalid},
		{"negative limit", "GET", "/api/v1/users?limit=-1", nil, 422, server.ProblemInvalid},
		{"limit not a number", "GET", "/api/v1/users?limit=ten", nil, 422, server.ProblemInvalid},
		{"end before start", "GET", u + "/samples?types=heart_rate&start=2026-01-02T00:00:00Z&end=2026-01-01T00:00:00Z", nil, 422, server.ProblemInvalid},
		{"not a time", "GET", u + "/workouts?start=yesterday", nil, 422, server.ProblemInvalid},
		{"range too long", "GET", u + "/samples?types=heart_rate&start=0&end=1700000000", nil, 422, server.ProblemInvalid},
		{"bad date", "GET", u + "/summaries?from=2026-13-01", nil, 422, server.ProblemInvalid},
		{"to before from", "GET", u + "/scores?from=2026-02-01&to=2026-01-01", nil, 422, server.ProblemInvalid},
		{"unknown query parameter", "GET", "/api/v1/users?pwn=1", nil, 422, server.ProblemInvalid},
		{"bad zone", "GET", u + "/series?types=heart_rate&zone=Nowhere/Land", nil, 422, server.ProblemInvalid},
		{"unknown provider", "POST", "/api/v1/oauth/nosuch/authorize", `{"user_id":"` + w.userB.ID + `"}`, 404, server.ProblemNotFound},
		{"redirect not allowed", "POST", "/api/v1/oauth/demo/authorize", `{"user_id":"` + w.userB.ID + `","redirect_uri":"https://evil.example/"}`, 422, server.ProblemInvalid},
		{"callback without state", "GET", "/api/v1/oauth/demo/callback?code=x", nil, 400, server.ProblemInvalid},
		{"callback with forged state", "GET", "/api/v1/oauth/demo/callback?code=x&state=forged", nil, 400, server.ProblemInvalid},
		{"sync without syncable connection", "POST", u + "/connections/nope/sync", nil, 404, server.ProblemNotFound},
		{"unknown route", "GET", "/api/v1/nothing", nil, 404, server.ProblemNotFound},
	}
	before := snapshot(t, e, w)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(c.method, c.path, w.b.key, c.body)
			assert.Equal(t, c.status, r.status, string(r.body))
			assert.Equal(t, "application/problem+json", r.header.Get("Content-Type"))
			var p server.Problem
			r.json(t, &p)
			assert.Equal(t, server.ProblemTypeBase+c.problem, p.Type)
			assert.Equal(t, c.status, p.Status)
		})
	}
	assert.Equal(t, before, snapshot(t, e, w), "bad input wrote nothing")

	t.Run("validation errors list the fields", func(t *testing.T) {
		r := e.do("POST", "/api/v1/users", w.b.key, `{"external_id":5}`)
		var p server.Problem
		r.json(t, &p)
		require.NotEmpty(t, p.Errors)
		assert.Equal(t, "body.external_id", p.Errors[0].Location)
	})
	t.Run("huge push batch", func(t *testing.T) {
		r := e.do("POST", "/api/v1/users/"+w.userB.ID+"/push-tokens", w.b.key, nil)
		require.Equal(t, 201, r.status)
		var pt server.PushToken
		r.json(t, &pt)
		big := `{"platform":"healthkit","samples":[` + strings.Repeat(`{"type":"x"},`, 2<<20) + `{"type":"x"}]}`
		r = e.do("POST", "/api/v1/push", pt.Token, big)
		assert.Equal(t, 413, r.status)
		r = e.do("POST", "/api/v1/push", pt.Token, `{"platform":"windows-phone"}`)
		assert.Equal(t, 422, r.status, string(r.body))
	})
	assert.Equal(t, before, snapshot(t, e, w), "bad input wrote nothing")
	users, err := e.store.ListUsers(context.Background(), wearables.UserQuery{AppID: w.b.appID})
	require.NoError(t, err)
	assert.Len(t, users.Items, 1)
}

// TestCredentials: login, rotating refresh tokens, key revocation and
// rotation, rate limits.
func TestCredentials(t *testing.T) {
	e := newEnv(t, envOpts{rateLimit: 1, rateBurst: 3})
	tn := e.newTenant("cred@example.com")

	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "cred@example.com", "password": "wrong password!"})
	assert.Equal(t, 401, r.status)
	r = e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@example.com", "password": "wrong password!"})
	assert.Equal(t, 401, r.status)
	r = e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "CRED@example.com", "password": "correct horse battery"})
	require.Equal(t, 200, r.status, "emails are case-insensitive")
	var tok server.TokenResponse
	r.json(t, &tok)
	r = e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok.RefreshToken})
	require.Equal(t, 200, r.status)
	var tok2 server.TokenResponse
	r.json(t, &tok2)
	assert.NotEqual(t, tok.RefreshToken, tok2.RefreshToken)
	r = e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": tok.RefreshToken})
	assert.Equal(t, 401, r.status, "a refresh token is single use")

	r = e.do("GET", "/api/v1/apps", tn.key, nil)
	assert.Equal(t, 401, r.status, "an API key is no developer token")
	r = e.do("GET", "/api/v1/users", tok2.AccessToken, nil)
	assert.Equal(t, 401, r.status, "a developer token is no API key")
	r = e.do("POST", "/api/v1/developers", tok2.AccessToken, map[string]any{"email": "x@example.com", "password": "0123456789ab"})
	assert.Equal(t, 403, r.status, "only admins create developers")
	forged := tn.key[:len(tn.key)-1] + "a"
	if forged == tn.key {
		forged = tn.key[:len(tn.key)-1] + "b"
	}
	r = e.do("GET", "/api/v1/users", forged, nil)
	assert.Equal(t, 401, r.status, "a bad checksum")

	// Rotate: the new key works, the old one does not.
	r = e.do("POST", "/api/v1/apps/"+tn.appID+"/keys/"+tn.keyID+"/rotate", tok2.AccessToken, nil)
	require.Equal(t, 201, r.status, string(r.body))
	var nk server.NewKey
	r.json(t, &nk)
	assert.True(t, server.ValidAPIKeyFormat(nk.Key))
	r = e.do("GET", "/api/v1/users", tn.key, nil)
	assert.Equal(t, 401, r.status)
	r = e.do("GET", "/api/v1/apps/"+tn.appID+"/keys", tok2.AccessToken, nil)
	require.Equal(t, 200, r.status)
	assert.NotContains(t, string(r.body), nk.Key, "keys are shown once")
	assert.Contains(t, string(r.body), nk.Key[:11], "… and listed by prefix")

	// Rate limit: a burst of 3 at 1/s, then 429 with Retry-After.
	var limited *resp
	for range 6 {
		r = e.do("GET", "/api/v1/users", nk.Key, nil)
		if r.status == http.StatusTooManyRequests {
			limited = &r
			break
		}
		require.Equal(t, 200, r.status)
	}
	require.NotNil(t, limited, "the burst ran out")
	assert.Equal(t, "1", limited.header.Get("Retry-After"))
	assert.Equal(t, "application/problem+json", limited.header.Get("Content-Type"))

	// Revoke.
	r = e.do("DELETE", "/api/v1/apps/"+tn.appID+"/keys/"+nk.APIKey.ID, tok2.AccessToken, nil)
	require.Equal(t, 200, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users", nk.Key, nil)
	assert.Equal(t, 401, r.status)

	// Operations endpoints.
	r = e.do("GET", "/healthz", "", nil)
	assert.Equal(t, 200, r.status)
	r = e.do("GET", "/readyz", "", nil)
	assert.Equal(t, 200, r.status)
	r = e.do("GET", "/metrics", "", nil)
	assert.Equal(t, 200, r.status)
	assert.Contains(t, string(r.body), "wearables_http_requests_total")
	assert.Contains(t, string(r.body), "wearables_http_rate_limited_total 1")
	r = e.do("GET", "/docs", "", nil)
	assert.Equal(t, 200, r.status)
	assert.Contains(t, string(r.body), "/api/v1/openapi.yaml", "the docs page loads the served document")
	r = e.do("GET", "/api/v1/openapi.yaml", "", nil)
	assert.Equal(t, 200, r.status)
	assert.Contains(t, string(r.body), "openapi: 3.1")
}

func TestCORS(t *testing.T) {
	e := newEnv(t, envOpts{})
	srv, err := server.New(server.Config{Store: e.store, Tenants: e.store, Flow: nil})
	assert.Nil(t, srv)
	assert.ErrorIs(t, err, wearables.ErrInvalid, "required fields")

	req, err := http.NewRequest("OPTIONS", e.url+"/api/v1/users", nil)
	require.NoError(t, err)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	res, err := e.client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Empty(t, res.Header.Get("Access-Control-Allow-Origin"), "no CORS unless configured")

	e = newEnv(t, envOpts{cors: []string{"https://app.example"}})
	for origin, want := range map[string]string{"https://app.example": "https://app.example", "https://evil.example": ""} {
		req, err := http.NewRequest("OPTIONS", e.url+"/api/v1/users", nil)
		require.NoError(t, err)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		res, err := e.client.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, want, res.Header.Get("Access-Control-Allow-Origin"), origin)
		if want != "" {
			assert.Equal(t, http.StatusNoContent, res.StatusCode)
			assert.Contains(t, res.Header.Get("Access-Control-Allow-Headers"), "Authorization")
		}
	}
}

// TestOAuthDenied: a user who refuses consent is sent to the application's
// error redirect with an OAuth error code, and no connection is made.
func TestOAuthDenied(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.contract = newContract(t, e)
	w := newWorld(t, e)
	r := e.do("POST", "/api/v1/oauth/demo/authorize", w.a.key, map[string]any{"user_id": w.userA.ID,
		"redirect_uri": "https://app.example/connected", "error_redirect_uri": "https://app.example/failed"})
	require.Equal(t, 200, r.status, string(r.body))
	var az server.Authorization
	r.json(t, &az)
	au, err := url.Parse(az.URL)
	require.NoError(t, err)
	form := au.Query()
	form.Set("decision", "deny")
	res, err := e.client.PostForm(e.url+"/demo/oauth/authorize", form)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusFound, res.StatusCode)
	r = e.do("GET", res.Header.Get("Location"), "", nil)
	require.Equal(t, http.StatusFound, r.status, string(r.body))
	assert.Equal(t, "https://app.example/failed?error=access_denied", r.header.Get("Location"))
	cs, err := e.store.ListConnections(context.Background(), wearables.ConnectionQuery{UserID: w.userA.ID})
	require.NoError(t, err)
	assert.Empty(t, cs.Items)
}
