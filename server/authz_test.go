package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// world is two applications, each with a user that has a connection and
// data.
type world struct {
	a, b         tenant
	userA, userB wearables.User
	connB        wearables.Connection
}

func newWorld(t *testing.T, e *env) world {
	t.Helper()
	ctx := context.Background()
	w := world{a: e.newTenant("a-" + wearables.NewID() + "@example.com"), b: e.newTenant("b-" + wearables.NewID() + "@example.com")}
	for _, x := range []struct {
		tn tenant
		u  *wearables.User
	}{{w.a, &w.userA}, {w.b, &w.userB}} {
		r := e.do("POST", "/api/v1/users", x.tn.key, map[string]any{"external_id": "same-external-id"})
		require.Equal(t, 201, r.status, string(r.body))
		r.json(t, x.u)
	}
	w.connB = wearables.Connection{UserID: w.userB.ID, Provider: wearables.ProviderDemo, Status: wearables.ConnectionActive}
	require.NoError(t, e.store.CreateConnection(ctx, &w.connB))
	at := time.Now().UTC().Add(-time.Hour).Truncate(time.Minute)
	_, err := e.store.WriteBatch(ctx, &wearables.Batch{UserID: w.userB.ID, Samples: []wearables.Sample{
		{Source: wearables.Source{Provider: wearables.ProviderDemo}, Type: wearables.SeriesHeartRate, Start: at, Offset: wearables.NoOffset, Value: 61},
	}})
	require.NoError(t, err)
	require.NoError(t, e.store.SetSourcePriorities(ctx, w.userB.ID, []wearables.SourcePriority{{DataType: "*", Providers: []wearables.ProviderID{"demo"}}}))
	return w
}

// snapshot is everything of tenant B the matrix could change.
func snapshot(t *testing.T, e *env, w world) string {
	t.Helper()
	ctx := context.Background()
	u, err := e.store.GetUser(ctx, w.userB.ID)
	require.NoError(t, err)
	c, err := e.store.GetConnection(ctx, w.connB.ID)
	require.NoError(t, err)
	src, err := e.store.ListSources(ctx, w.userB.ID)
	require.NoError(t, err)
	pr, err := e.store.GetSourcePriorities(ctx, w.userB.ID)
	require.NoError(t, err)
	sm, err := e.store.QuerySamples(ctx, wearables.SampleQuery{UserID: w.userB.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate}, Start: time.Now().Add(-48 * time.Hour), End: time.Now()})
	require.NoError(t, err)
	app, err := e.store.GetApp(ctx, w.b.appID)
	require.NoError(t, err)
	keys, err := e.store.ListAPIKeys(ctx, wearables.ListQuery{OwnerID: w.b.appID})
	require.NoError(t, err)
	users, err := e.store.ListUsers(ctx, wearables.UserQuery{AppID: w.b.appID})
	require.NoError(t, err)
	runs, err := e.store.ListSyncRuns(ctx, wearables.SyncRunQuery{ConnectionID: w.connB.ID})
	require.NoError(t, err)
	b, err := json.Marshal([]any{u, c, src, pr, sm, app, keys, users, runs})
	require.NoError(t, err)
	return string(b)
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// TestAuthorizationMatrix calls every operation whose path takes an id with
// application A's credentials and application B's ids: every one must
// answer 404 (or 403) and change nothing. The operations come from the
// router, so a new route with an id the matrix cannot fill fails here.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, envOpts{})
	w := newWorld(t, e)
	ids := map[string]string{
		"user_id":       w.userB.ID,
		"connection_id": w.connB.ID,
		"app_id":        w.b.appID,
		"key_id":        w.b.keyID,
	}
	notIDs := map[string]string{"provider": "demo"} // names, not tenant objects
	bodies := map[string]any{
		"update-user":    map[string]any{"external_id": "hijacked"},
		"put-priorities": map[string]any{"items": []any{}},
		"update-app":     map[string]any{"name": "hijacked"},
		"create-key":     map[string]any{"name": "hijacked"},
	}
	queries := map[string]string{
		"list-samples":    "?types=heart_rate",
		"get-series":      "?types=heart_rate",
		"daily-totals":    "?type=steps",
		"sync-connection": "?wait=true",
	}
	before := snapshot(t, e, w)
	covered := 0
	for _, op := range e.srv.Operations() {
		params := pathParam.FindAllStringSubmatch(op.Path, -1)
		hasID := false
		path := op.Path
		for _, m := range params {
			if v, ok := ids[m[1]]; ok {
				hasID = true
				path = strings.ReplaceAll(path, m[0], v)
				continue
			}
			if v, ok := notIDs[m[1]]; ok {
				path = strings.ReplaceAll(path, m[0], v)
				continue
			}
			t.Errorf("%s %s: the matrix has no value for path parameter {%s}", op.Method, op.Path, m[1])
		}
		if !hasID {
			continue
		}
		require.NotEmpty(t, op.Security, "%s %s takes an id but needs no credentials", op.Method, op.Path)
		var own, other string
		switch {
		case op.Security[0]["apiKey"] != nil:
			own, other = w.b.key, w.a.key
		case op.Security[0]["developerToken"] != nil:
			own, other = w.b.devToken, w.a.devToken
		default:
			t.Errorf("%s %s: unknown security %v", op.Method, op.Path, op.Security)
			continue
		}
		t.Run(op.OperationID, func(t *testing.T) {
			r := e.do(op.Method, path+queries[op.OperationID], other, bodies[op.OperationID])
			assert.Contains(t, []int{http.StatusNotFound, http.StatusForbidden}, r.status, "%s %s with another tenant's credentials: %s", op.Method, path, r.body)
			assert.Equal(t, "application/problem+json", r.header.Get("Content-Type"))
			if op.Method == http.MethodGet {
				r = e.do(op.Method, path+queries[op.OperationID], own, nil)
				assert.Equal(t, http.StatusOK, r.status, "the owner reaches %s: %s", path, r.body)
			}
		})
		covered++
	}
	assert.GreaterOrEqual(t, covered, 25)
	assert.Equal(t, before, snapshot(t, e, w), "another tenant's calls changed nothing")

	// Every method on every path with an id, registered or not, with both
	// kinds of the other tenant's credentials: never a success, never a 500.
	paths := map[string]bool{}
	for _, op := range e.srv.Operations() {
		path := op.Path
		for name, v := range ids {
			path = strings.ReplaceAll(path, "{"+name+"}", v)
		}
		for name, v := range notIDs {
			path = strings.ReplaceAll(path, "{"+name+"}", v)
		}
		if path != op.Path {
			paths[path] = true
		}
	}
	for path := range paths {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			for _, cred := range []string{w.a.key, w.a.devToken} {
				r := e.do(m, path, cred, "{}")
				assert.True(t, r.status >= 400 && r.status < 500, "%s %s with another tenant's credentials: %d %s", m, path, r.status, r.body)
			}
		}
	}
	assert.Equal(t, before, snapshot(t, e, w), "another tenant's calls changed nothing")

	// Ids in bodies and queries are checked as well.
	r := e.do("POST", "/api/v1/oauth/demo/authorize", w.a.key, map[string]any{"user_id": w.userB.ID})
	assert.Equal(t, 404, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users?external_id=same-external-id", w.a.key, nil)
	require.Equal(t, 200, r.status)
	var p wearables.Page[wearables.User]
	r.json(t, &p)
	require.Len(t, p.Items, 1)
	assert.Equal(t, w.userA.ID, p.Items[0].ID, "search by external id stays in the caller's application")
	r = e.do("GET", "/api/v1/users", w.a.key, nil)
	assert.NotContains(t, string(r.body), w.userB.ID)
	assert.Equal(t, before, snapshot(t, e, w))
}
