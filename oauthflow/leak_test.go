package oauthflow_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/oauthflow"
)

// TestNoSecretsInLogsOrErrors drives every path that logs or fails —
// authorization, rejected exchange, refresh, retries, invalid_client,
// invalid_grant, disconnect with a failing vendor — against a vendor that
// echoes the offending code, verifier, refresh token and client secret in
// its error descriptions, with debug logging on. Then it greps the captured
// logs and every returned error (in all fmt forms), and the String forms of
// the configuration, for every secret the vendor issued or received and
// for the state parameters. (Every other test's env runs the same grep at
// cleanup.)
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, openStore(t, storeKinds[0]), withVendor(func(v *fakeVendor) { v.EchoSecrets = true }))
	var states []string
	user := e.newUser()

	// A successful authorization.
	res, err := e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: user, Provider: provA, RedirectURI: testRedirect})
	require.NoError(t, err)
	states = append(states, res.State)
	code, state := e.authorize(res.URL)
	conn, err := e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: provA, State: state, Code: code})
	require.NoError(t, e.keep(err))
	// Replayed.
	_, err = e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: provA, State: state, Code: code})
	require.Error(t, e.keep(err))

	// A code the vendor rejects, echoing code and verifier back.
	res, err = e.flow.Begin(ctx, oauthflow.BeginRequest{UserID: user, Provider: provB, RedirectURI: testRedirect})
	require.NoError(t, err)
	states = append(states, res.State)
	code, state = e.authorize(res.URL)
	_, err = e.flow.Complete(ctx, oauthflow.CompleteRequest{Provider: provB, State: state, Code: code + "-wrong"})
	require.Error(t, e.keep(err))
	e.vendor.remember(code + "-wrong")

	b := e.flow.Broker()
	// Refresh with retries.
	e.clock.Advance(2 * time.Hour)
	e.vendor.FailNext.Store(2)
	_, err = b.Token(ctx, conn.ID)
	require.NoError(t, e.keep(err))
	// invalid_client, echoing client secret and refresh token.
	e.clock.Advance(2 * time.Hour)
	e.vendor.FailAuth.Store(true)
	_, err = b.Token(ctx, conn.ID)
	require.Error(t, e.keep(err))
	e.vendor.FailAuth.Store(false)
	// Disconnect with a failing revocation endpoint.
	e.vendor.RevokeStatus.Store(500)
	require.Error(t, e.keep(e.flow.Disconnect(ctx, conn.ID)))
	// invalid_grant, echoing the refresh token.
	c2, _ := e.seed(e.clock.Now().Add(-time.Minute))
	et, err := e.store.GetToken(ctx, c2.ID)
	require.NoError(t, err)
	tok, err := e.keyring.Open(et)
	require.NoError(t, err)
	tok.RefreshToken = "rt-forged-" + randString(12)
	e.vendor.remember(tok.RefreshToken)
	et, err = e.keyring.Seal(c2.ID, tok)
	require.NoError(t, err)
	require.NoError(t, e.store.PutToken(ctx, et))
	_, err = b.Token(ctx, c2.ID)
	require.Error(t, e.keep(err))

	logs := e.logs.String()
	for _, want := range []string{"connection authorized", "token refreshed", "retrying", "refresh failed", "needs re-authorization", "revocation failed", "callback rejected"} {
		assert.Contains(t, logs, want, "the grep must have something to search")
	}
	assert.Contains(t, fmt.Sprint(e.errs), "[REDACTED]", "vendor descriptions are kept, redacted")

	hay := logs + fmtAll(e.cfg) + fmtAll(&e.cfg) + fmtAll(e.flow) + fmtAll(e.flow.Broker()) + fmtAll(e.keyring)
	for _, err := range e.errs {
		hay += fmtAll(err)
	}
	for _, s := range append(e.vendor.Secrets(), states...) {
		if !assert.False(t, strings.Contains(hay, s), "secret %.8s… leaked", s) {
			for name, part := range map[string]string{"logs": logs, "cfg": fmtAll(e.cfg), "&cfg": fmtAll(&e.cfg), "flow": fmtAll(e.flow), "keyring": fmtAll(e.keyring), "errs": fmtAll(e.errs)} {
				if i := strings.Index(part, s); i >= 0 {
					t.Logf("in %s: %s", name, part[max(0, i-300):i])
				}
			}
		}
	}
}
