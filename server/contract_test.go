package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"
)

// contract validates responses against the OpenAPI document the server
// serves, with kin-openapi.
type contract struct {
	doc    *openapi3.T
	router routers.Router
	seen   map[string]int // operation id → responses validated
}

func newContract(t *testing.T, e *env) *contract {
	t.Helper()
	r := e.do("GET", "/api/v1/openapi.json", "", nil)
	require.Equal(t, 200, r.status)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(r.body)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background(), openapi3.DisableExamplesValidation()), "the served OpenAPI document is valid")
	rt, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return &contract{doc: doc, router: rt, seen: map[string]int{}}
}

// check validates one response. The request is re-created from method and
// URL (its body is not needed to validate the response).
func (c *contract) check(t testing.TB, method, url string, status int, header http.Header, body []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return // not an API route (the demo vendor, /healthz …)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  status,
		Header:  header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	err = openapi3filter.ValidateResponse(context.Background(), in)
	require.NoError(t, err, "%s %s → %d does not match the OpenAPI document: %s", method, route.Path, status, truncate(body))
	c.seen[route.Operation.OperationID]++
}

func truncate(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

var _ = io.EOF
var _ = bytes.MinRead
