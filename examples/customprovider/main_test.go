package main

import (
	"bytes"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/providers/providertest"
)

// TestConformance runs the kit the usual way, as subtests.
func TestConformance(t *testing.T) {
	providertest.Run(t, suite())
}

// TestRun runs the program's logic: the kit outside go test.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	code := run(&out, true)
	assert.Equal(t, 0, code, out.String())
	assert.Contains(t, out.String(), "--- PASS: Conformance/Fetch/hikes")
	assert.Contains(t, out.String(), "trailhub: all")
}

// TestGoRun builds and runs the program as a user would.
func TestGoRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	cmd := exec.Command("go", "run", ".")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "trailhub: all")
}
