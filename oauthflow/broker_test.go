package oauthflow_test

import (
	"context"
	"net/http"

	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

// TestBroker checks the refresh rules on every store.
func TestBroker(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		t.Parallel()
		testBroker(t, k)
	})
}

func testBroker(t *testing.T, k storeKind) {
	ctx := context.Background()

	t.Run("fresh token is served without refresh", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, minted := e.seed(e.clock.Now().Add(time.Hour))
		tok, err := e.flow.Broker().Token(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, minted.AccessToken, tok.AccessToken)
		assert.Zero(t, e.vendor.TokenRequests.Load())
	})

	t.Run("expired token is refreshed and the rotated refresh token saved before use", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, minted := e.seed(e.clock.Now().Add(-time.Minute))
		tok, err := e.flow.Broker().Token(ctx, conn.ID)
		require.NoError(t, e.keep(err))
		assert.NotEqual(t, minted.AccessToken, tok.AccessToken)
		assert.NotEqual(t, minted.RefreshToken, tok.RefreshToken)
		assert.True(t, e.vendor.AccessValid(tok.AccessToken))
		assert.Equal(t, int64(1), e.vendor.RefreshRequests.Load())
		assert.WithinDuration(t, e.clock.Now().Add(time.Hour), tok.Expiry, time.Second, "expiry from expires_in on the broker's clock")
		st := e.stored(conn.ID)
		assert.Equal(t, tok.AccessToken, st.AccessToken)
		assert.Equal(t, tok.RefreshToken, st.RefreshToken, "the rotated refresh token is what is stored")
		assert.Equal(t, "activity sleep", st.Extra("scope"), "scope survives a refresh that does not repeat it")
		// Served from the store now.
		again, err := e.flow.Broker().Token(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, tok.AccessToken, again.AccessToken)
		assert.Equal(t, int64(1), e.vendor.RefreshRequests.Load())
	})

	t.Run("token inside the expiry leeway is refreshed", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, minted := e.seed(e.clock.Now().Add(30 * time.Second))
		tok, err := e.flow.Broker().Token(ctx, conn.ID)
		require.NoError(t, e.keep(err))
		assert.NotEqual(t, minted.AccessToken, tok.AccessToken)
	})

	t.Run("vendor that does not rotate: the old refresh token is kept", func(t *testing.T) {
		e := newEnv(t, openStore(t, k), withVendor(func(v *fakeVendor) { v.Rotate = false }))
		conn, minted := e.seed(e.clock.Now().Add(-time.Minute))
		tok, err := e.flow.Broker().Token(ctx, conn.ID)
		require.NoError(t, e.keep(err))
		assert.Equal(t, minted.RefreshToken, tok.RefreshToken)
		assert.Equal(t, minted.RefreshToken, e.stored(conn.ID).RefreshToken)
		e.clock.Advance(2 * time.Hour)
		_, err = e.flow.Broker().Token(ctx, conn.ID)
		require.NoError(t, e.keep(err), "the kept refresh token works again")
	})

	t.Run("invalid_grant marks needs_reauth once, without a retry storm", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, _ := e.seed(e.clock.Now().Add(-time.Minute))
		// The user revoked access at the vendor.
		require.NoError(t, newFakeProvider(provA, e.vendor).Revoke(ctx, httpClient(), conn, e.stored(conn.ID)))
		_, err := e.flow.Broker().Token(ctx, conn.ID)
		e.keep(err)
		var re *oauthflow.ReauthError
		require.ErrorAs(t, err, &re)
		assert.ErrorIs(t, err, oauthflow.ErrNeedsReauth)
		assert.ErrorIs(t, err, wearables.ErrUnauthorized)
		assert.Equal(t, wearables.ConnectionNeedsReauth, re.Status)
		got, err := e.store.GetConnection(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionNeedsReauth, got.Status)
		assert.Contains(t, got.StatusReason, "invalid_grant")
		_, err = e.store.GetToken(ctx, conn.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound, "the dead token is deleted")
		requests := e.vendor.TokenRequests.Load()
		assert.Equal(t, int64(1), requests, "invalid_grant is not retried")
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				_, err := e.flow.Broker().Token(ctx, conn.ID)
				assert.ErrorIs(t, err, oauthflow.ErrNeedsReauth)
			})
		}
		wg.Wait()
		assert.Equal(t, requests, e.vendor.TokenRequests.Load(), "later calls fail fast")
	})

	t.Run("5xx is retried with back-off", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, _ := e.seed(e.clock.Now().Add(-time.Minute))
		e.vendor.FailNext.Store(2)
		tok, err := e.flow.Broker().Token(ctx, conn.ID)
		require.NoError(t, e.keep(err))
		assert.True(t, e.vendor.AccessValid(tok.AccessToken))
		assert.Equal(t, int64(3), e.vendor.TokenRequests.Load())
		assert.Contains(t, e.logs.String(), "retrying")
	})

	t.Run("persistent 5xx gives up and changes nothing", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, minted := e.seed(e.clock.Now().Add(-time.Minute))
		e.vendor.FailNext.Store(1 << 30)
		_, err := e.flow.Broker().Token(ctx, conn.ID)
		e.keep(err)
		var te *oauthflow.TokenError
		require.ErrorAs(t, err, &te)
		assert.True(t, te.Temporary())
		assert.Equal(t, 503, te.StatusCode)
		assert.Greater(t, e.vendor.TokenRequests.Load(), int64(2))
		got, err := e.store.GetConnection(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionActive, got.Status)
		assert.Equal(t, minted.RefreshToken, e.stored(conn.ID).RefreshToken)
		e.vendor.FailNext.Store(0)
		_, err = e.flow.Broker().Token(ctx, conn.ID)
		assert.NoError(t, e.keep(err), "works once the vendor recovers")
	})

	t.Run("invalid_client is not retried and does not mark the connection", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, _ := e.seed(e.clock.Now().Add(-time.Minute))
		e.vendor.FailAuth.Store(true)
		_, err := e.flow.Broker().Token(ctx, conn.ID)
		e.keep(err)
		var te *oauthflow.TokenError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "invalid_client", te.Code)
		assert.False(t, te.Temporary())
		assert.Equal(t, int64(1), e.vendor.TokenRequests.Load())
		got, err := e.store.GetConnection(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionActive, got.Status)
	})

	t.Run("refresh after the vendor rejected an access token", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, minted := e.seed(e.clock.Now().Add(time.Hour))
		b := e.flow.Broker()
		tok, err := b.Refresh(ctx, conn.ID, minted)
		require.NoError(t, e.keep(err))
		assert.NotEqual(t, minted.AccessToken, tok.AccessToken)
		// Another worker rejected the same old token: it gets the new one
		// without a second refresh.
		tok2, err := b.Refresh(ctx, conn.ID, minted)
		require.NoError(t, err)
		assert.Equal(t, tok.AccessToken, tok2.AccessToken)
		assert.Equal(t, int64(1), e.vendor.RefreshRequests.Load())
	})

	t.Run("missing token", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, _ := e.seed(e.clock.Now().Add(time.Hour))
		require.NoError(t, e.store.DeleteToken(ctx, conn.ID))
		_, err := e.flow.Broker().Token(ctx, conn.ID)
		assert.ErrorIs(t, err, oauthflow.ErrNoToken)
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		_, err = e.flow.Broker().Token(ctx, "no-such-connection")
		assert.ErrorIs(t, err, wearables.ErrNotFound)
	})

	t.Run("expired token without refresh token", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, _ := e.seed(e.clock.Now().Add(time.Hour))
		et, err := e.keyring.Seal(conn.ID, &oauth2.Token{AccessToken: "at-only", Expiry: e.clock.Now().Add(-time.Minute)})
		require.NoError(t, err)
		require.NoError(t, e.store.PutToken(ctx, et))
		_, err = e.flow.Broker().Token(ctx, conn.ID)
		assert.ErrorIs(t, err, oauthflow.ErrNeedsReauth)
		assert.Zero(t, e.vendor.TokenRequests.Load())
	})

	t.Run("a cancelled caller does not abort the shared refresh", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		e.vendor.Latency.Store(int64(200 * time.Millisecond))
		conn, _ := e.seed(e.clock.Now().Add(-time.Minute))
		short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		_, err := e.flow.Broker().Token(short, conn.ID)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		require.Eventually(t, func() bool {
			et, err := e.store.GetToken(ctx, conn.ID)
			return err == nil && et.ExpiresAt.After(e.clock.Now())
		}, 30*time.Second, 10*time.Millisecond, "the refresh completes and is committed") // generous: CI runs -race on 2 loaded cores
		tok, err := e.flow.Broker().Token(ctx, conn.ID)
		require.NoError(t, e.keep(err))
		assert.True(t, e.vendor.AccessValid(tok.AccessToken))
		assert.Equal(t, int64(1), e.vendor.RefreshRequests.Load())
	})

	t.Run("token source and corrupted row", func(t *testing.T) {
		e := newEnv(t, openStore(t, k))
		conn, minted := e.seed(e.clock.Now().Add(time.Hour))
		tok, err := e.flow.Broker().TokenSource(ctx, conn.ID).Token()
		require.NoError(t, err)
		assert.Equal(t, minted.AccessToken, tok.AccessToken)
		et, err := e.store.GetToken(ctx, conn.ID)
		require.NoError(t, err)
		et.Ciphertext[len(et.Ciphertext)-1] ^= 0x80
		require.NoError(t, e.store.PutToken(ctx, et))
		_, err = e.flow.Broker().Token(ctx, conn.ID)
		assert.ErrorIs(t, err, oauthflow.ErrDecrypt)
	})
}

// TestDisconnect revokes at the vendor, deletes the token and marks the
// connection revoked, on every store.
func TestDisconnect(t *testing.T) {
	forEachStore(t, func(t *testing.T, k storeKind) {
		ctx := context.Background()
		e := newEnv(t, openStore(t, k))
		user := e.newUser()
		conn := e.connect(user, provA)
		tok := e.stored(conn.ID)

		require.NoError(t, e.keep(e.flow.Disconnect(ctx, conn.ID)))
		assert.Equal(t, int64(1), e.vendor.Revocations.Load())
		assert.False(t, e.vendor.AccessValid(tok.AccessToken), "revoked at the vendor")
		_, err := e.store.GetToken(ctx, conn.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound)
		got, err := e.store.GetConnection(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionRevoked, got.Status)
		_, err = e.flow.Broker().Token(ctx, conn.ID)
		var re *oauthflow.ReauthError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, wearables.ConnectionRevoked, re.Status)

		assert.NoError(t, e.flow.Disconnect(ctx, conn.ID), "twice is fine")
		assert.ErrorIs(t, e.flow.Disconnect(ctx, "no-such-connection"), wearables.ErrNotFound)

		// The vendor's revocation endpoint fails: revoked locally anyway.
		conn = e.connect(e.newUser(), provA)
		e.vendor.RevokeStatus.Store(503)
		err = e.flow.Disconnect(ctx, conn.ID)
		e.keep(err)
		assert.ErrorIs(t, err, oauthflow.ErrRevokeFailed)
		got, err = e.store.GetConnection(ctx, conn.ID)
		require.NoError(t, err)
		assert.Equal(t, wearables.ConnectionRevoked, got.Status)
		_, err = e.store.GetToken(ctx, conn.ID)
		assert.ErrorIs(t, err, wearables.ErrNotFound)

		// Reconnecting after a disconnect activates the connection again.
		e.vendor.RevokeStatus.Store(0)
		again := e.connect(got.UserID, provA)
		assert.Equal(t, conn.ID, again.ID)
		assert.Equal(t, wearables.ConnectionActive, again.Status)
		_, err = e.flow.Broker().Token(ctx, again.ID)
		assert.NoError(t, err)
	})
}

func httpClient() *http.Client { return &http.Client{Timeout: 10 * time.Second} }
