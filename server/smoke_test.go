package server_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	e := newEnv(t, envOpts{})
	r := e.do("GET", "/api/v1/openapi.json", "", nil)
	require.Equal(t, 200, r.status)
	tn := e.newTenant("ada@example.com")
	r = e.do("POST", "/api/v1/users", tn.key, map[string]any{"external_id": "alice"})
	assert.Equal(t, 201, r.status, string(r.body))
	r = e.do("GET", "/api/v1/users/nope", tn.key, nil)
	assert.Equal(t, 404, r.status, string(r.body))
	t.Log(string(r.body), r.header)
}
