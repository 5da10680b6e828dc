package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// TestEmbedBuildsAndRuns builds the program, runs it on a free port with a
// fresh SQLite file, connects a user through the demo vendor, waits for the
// backfill and first sync, reads the workouts back and stops it with
// SIGTERM.
func TestEmbedBuildsAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "embed")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "embed.db"))
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := bufio.NewScanner(stdout)
	require.True(t, lines.Scan(), "first line")
	base, ok := strings.CutPrefix(lines.Text(), "listening on ")
	require.True(t, ok, lines.Text())
	rest := make(chan string, 100)
	go func() {
		for lines.Scan() {
			rest <- lines.Text()
		}
		close(rest)
	}()

	// Connect: /connect → the vendor's auto-approving consent page → /callback/demo.
	resp, err := http.Get(base + "/connect?user=alice")
	require.NoError(t, err)
	var conn wearables.Connection
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&conn))
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, wearables.ConnectionActive, conn.Status)

	type view struct {
		Backfills []wearables.BackfillStatus `json:"backfills"`
		Runs      []wearables.SyncRun        `json:"runs"`
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(base + "/users/alice/connections")
		require.NoError(t, err)
		var vs []view
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&vs))
		resp.Body.Close()
		require.Len(t, vs, 1)
		done := len(vs[0].Backfills) > 0 && len(vs[0].Runs) > 0 && !vs[0].Runs[0].FinishedAt.IsZero()
		for _, b := range vs[0].Backfills {
			done = done && b.State == wearables.BackfillDone
		}
		if done {
			assert.Empty(t, vs[0].Runs[0].Error)
			break
		}
		require.True(t, time.Now().Before(deadline), "backfill and first sync did not finish: %+v", vs)
		time.Sleep(200 * time.Millisecond)
	}
	resp, err = http.Get(base + "/users/alice/workouts")
	require.NoError(t, err)
	var page wearables.Page[wearables.Workout]
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	resp.Body.Close()
	assert.NotEmpty(t, page.Items, "a week of demo workouts")

	resp, err = http.Post(base+"/connections/"+conn.ID+"/sync", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	var out []string
	for l := range rest {
		out = append(out, l)
	}
	require.NoError(t, cmd.Wait())
	assert.Contains(t, out, "stopped")
}
