package oauthflow_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/oauthflow"
)

// Environment of the helper process TestCrashChild.
const (
	envCrashChild = "OAUTHFLOW_CRASH_CHILD"
	envCrashStore = "OAUTHFLOW_CRASH_STORE"
	envCrashConn  = "OAUTHFLOW_CRASH_CONNECTION"
	envCrashKeys  = "OAUTHFLOW_CRASH_KEYS"
	envCrashBase  = "OAUTHFLOW_CRASH_VENDOR"
	envCrashID    = "OAUTHFLOW_CRASH_CLIENT_ID"
	envCrashSec   = "OAUTHFLOW_CRASH_CLIENT_SECRET"
	envCrashHook  = "OAUTHFLOW_CRASH_HOOK"
	crashPoint    = "CRASH-POINT"
)

// TestCrashWindow kills a real process in the middle of a refresh and checks
// that the connection is left usable or flagged needs_reauth — never active
// with a token that silently fails.
//
// How the crash is simulated: the test re-executes its own binary
// (os.Args[0] -test.run=^TestCrashChild$) with the store's location, the
// keyring, the client credentials and the connection id in its environment.
// The child opens the same SQLite file or PostgreSQL schema and asks a
// TokenBroker for the token of an expired connection; then the parent
// SIGKILLs it at one of two moments:
//
//   - "after the vendor rotated": the child installs a hook that runs after
//     the vendor's response was read and before the commit; the hook prints
//     a marker to stdout and sleeps. The parent waits for the marker — the
//     vendor has rotated the refresh token by then, and the child still
//     holds the token lock inside its open transaction — and kills the
//     child. The database rolls the transaction back (SQLite on the next
//     open of the file, PostgreSQL when the backend sees the connection
//     drop), so the old refresh token stays stored. The next refresh sends
//     it, the strict fake vendor sees a reused refresh token and revokes the
//     family: the broker must answer *ReauthError and the connection must
//     be needs_reauth.
//   - "before the vendor answered": the fake vendor blocks the child's
//     refresh request on arrival; the parent kills the child, then lets the
//     handler go on, which sees the client gone and drops the request
//     unprocessed (as a vendor does with a request that never fully
//     arrived). The stored token is still the current one: the next
//     refresh succeeds and the connection stays usable.
func TestCrashWindow(t *testing.T) {
	for _, k := range storeKinds {
		if k.name == "memstore" {
			continue // one process only
		}
		t.Run(k.name, func(t *testing.T) {
			t.Run("killed after the vendor rotated", func(t *testing.T) { testCrash(t, k, true) })
			t.Run("killed before the vendor answered", func(t *testing.T) { testCrash(t, k, false) })
		})
	}
}

func testCrash(t *testing.T, k storeKind, afterVendor bool) {
	ctx := context.Background()
	stores, loc := k.open(t, 1)
	spec := "k1:" + testKeySecret()
	kr, err := oauthflow.ParseKeyring(spec)
	require.NoError(t, err)
	e := newEnv(t, stores[0], withKeyring(kr))
	conn, minted := e.seed(time.Now().Add(-time.Minute))

	arrived, release := make(chan struct{}), make(chan struct{})
	if !afterVendor {
		var once sync.Once
		hook := func(r *http.Request) bool {
			first := false
			once.Do(func() { first = true })
			if !first {
				return true // later refreshes (the parent's) go through
			}
			close(arrived)
			<-release
			select {
			case <-r.Context().Done():
				return false // the client died: the request is dropped
			case <-time.After(10 * time.Second):
				return true
			}
		}
		e.vendor.BeforeRefresh.Store(&hook)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		envCrashChild+"=1", envCrashStore+"="+loc, envCrashConn+"="+conn.ID, envCrashKeys+"="+spec,
		envCrashBase+"="+e.vendor.URL(""), envCrashID+"="+e.vendor.ClientID, envCrashSec+"="+e.vendor.ClientSecret,
		envCrashHook+"="+fmt.Sprint(afterVendor))
	var stderr syncBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	exited := false
	t.Cleanup(func() {
		if !exited {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})

	if afterVendor {
		marker := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if strings.Contains(sc.Text(), crashPoint) {
					marker <- true
					return
				}
			}
			marker <- false
		}()
		select {
		case ok := <-marker:
			require.True(t, ok, "child ended before the crash point; stderr: %s", stderr.String())
		case <-time.After(60 * time.Second):
			t.Fatalf("child never reached the crash point; stderr: %s", stderr.String())
		}
		require.Equal(t, int64(1), e.vendor.RefreshRequests.Load(), "the vendor rotated the refresh token")
	} else {
		select {
		case <-arrived:
		case <-time.After(60 * time.Second):
			t.Fatalf("the child's refresh never reached the vendor; stderr: %s", stderr.String())
		}
	}
	require.NoError(t, cmd.Process.Kill()) // SIGKILL: no deferred code, no cleanup
	_ = cmd.Wait()
	exited = true
	close(release)

	// Nothing of the interrupted refresh was committed.
	assert.Equal(t, minted.RefreshToken, e.stored(conn.ID).RefreshToken)

	tok, err := e.flow.Broker().Token(ctx, conn.ID)
	e.keep(err)
	got, gerr := e.store.GetConnection(ctx, conn.ID)
	require.NoError(t, gerr)
	// The invariant, whatever the vendor: usable, or flagged.
	if err == nil {
		assert.True(t, e.vendor.AccessValid(tok.AccessToken), "a token handed out works")
		assert.Equal(t, wearables.ConnectionActive, got.Status)
	} else {
		assert.ErrorIs(t, err, oauthflow.ErrNeedsReauth)
		assert.Equal(t, wearables.ConnectionNeedsReauth, got.Status)
	}
	// And what this strict vendor must produce in each case.
	if afterVendor {
		require.Error(t, err)
		assert.Equal(t, int64(1), e.vendor.FamilyRevocations.Load(), "the old refresh token was a reuse")
		_, err = e.flow.Broker().Token(ctx, conn.ID)
		assert.ErrorIs(t, err, oauthflow.ErrNeedsReauth, "and stays flagged")
		assert.Equal(t, int64(2), e.vendor.RefreshRequests.Load(), "no retry storm")
	} else {
		require.NoError(t, err)
		assert.Zero(t, e.vendor.FamilyRevocations.Load())
		assert.Equal(t, int64(2), e.vendor.RefreshRequests.Load())
	}
}

// TestCrashChild is the process TestCrashWindow kills; it does nothing
// unless started by it.
func TestCrashChild(t *testing.T) {
	if os.Getenv(envCrashChild) != "1" {
		t.Skip("helper process of TestCrashWindow")
	}
	ctx := context.Background()
	s, err := openLocation(ctx, os.Getenv(envCrashStore))
	require.NoError(t, err)
	kr, err := oauthflow.ParseKeyring(os.Getenv(envCrashKeys))
	require.NoError(t, err)
	p := &fakeProvider{id: provA, base: os.Getenv(envCrashBase), pkce: true, style: oauth2.AuthStyleInHeader}
	b, err := oauthflow.NewTokenBroker(oauthflow.Config{
		Providers:   []oauthflow.ProviderConfig{{Provider: p, ClientID: os.Getenv(envCrashID), ClientSecret: oauthflow.Secret(os.Getenv(envCrashSec))}},
		Connections: s,
		Tokens:      s,
		Keyring:     kr,
	})
	require.NoError(t, err)
	if os.Getenv(envCrashHook) == "true" {
		oauthflow.SetAfterVendorResponse(b, func() {
			fmt.Println(crashPoint)
			_ = os.Stdout.Sync()
			time.Sleep(time.Hour) // until SIGKILL
		})
	}
	_, err = b.Token(ctx, os.Getenv(envCrashConn))
	t.Fatalf("the child must be killed before Token returns (err: %v)", err)
}
