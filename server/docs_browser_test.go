package server_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// browserEnv names the variable that makes a missing Chromium a failure
// instead of a skip; .ci/run sets it (and installs Chromium).
const browserEnv = "WEARABLES_TEST_BROWSER"

// chromium returns the headless browser to use, skipping the test on a
// machine without one unless browserEnv demands it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(browserEnv) != "" {
		t.Fatalf("%s is set but no Chromium is installed (apt-get install chromium)", browserEnv)
	}
	t.Skip("no Chromium on this machine; skipping the browser test")
	return ""
}

// TestDocsPageRendersInChromium loads /docs in headless Chromium and checks
// that the API reference rendered from the served OpenAPI document: the
// title, tags and schema names appear in the page's DOM, which only happens
// after the embedded Stoplight Elements bundle fetched /api/v1/openapi.yaml
// and built the page (no network beyond the test server is reachable).
func TestDocsPageRendersInChromium(t *testing.T) {
	bin := chromium(t)
	e := newEnv(t, envOpts{})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=20000", "--dump-dom", e.url+"/docs")
	out, err := cmd.Output()
	require.NoError(t, err, "chromium: %s", out)
	dom := string(out)
	assert.Contains(t, dom, "sl-elements-api", "Stoplight Elements mounted")
	assert.Contains(t, dom, ">wearables API</h4>", "the document's title is rendered")
	// The sidebar lists the document's tags and schemas, which exist only
	// in the served OpenAPI document.
	for _, item := range []string{`title="Users"`, `title="Data"`, `title="Sync"`, `href="#/schemas/APIKey"`} {
		assert.Contains(t, dom, item, "%s is rendered from the served OpenAPI", item)
	}
	assert.False(t, strings.Contains(dom, "unpkg.com"), "nothing is loaded from a CDN")
}
