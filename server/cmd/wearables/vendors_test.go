package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

// Every vendor package is configurable from the environment, and only the
// vendors whose client id and secret are both set are configured.
func TestVendorsFromEnv(t *testing.T) {
	for _, name := range vendorNames {
		pre := "WEARABLES_" + strings.ToUpper(name) + "_"
		t.Setenv(pre+"CLIENT_ID", name+"-id")
		t.Setenv(pre+"CLIENT_SECRET", name+"-secret")
		t.Setenv(pre+"WEBHOOK_SECRET", name+"-hook")
	}
	t.Setenv("WEARABLES_COROS_CLIENT_SECRET", "") // half-configured: skipped
	got := vendorsFromEnv("https://health.example.com")
	var ids []wearables.ProviderID
	for _, v := range got {
		ids = append(ids, v.Provider.ID())
		assert.NotEmpty(t, v.Provider.OAuth().Endpoint.AuthURL, "%s has an authorize URL", v.Provider.ID())
		assert.NotContains(t, v.ClientSecret.String(), "secret", "secrets never print")
	}
	require.Len(t, got, len(vendorNames)-1)
	assert.Equal(t, []wearables.ProviderID{
		wearables.ProviderOura, wearables.ProviderWhoop, wearables.ProviderPolar, wearables.ProviderStrava,
		wearables.ProviderGarmin, wearables.ProviderSuunto, wearables.ProviderWithings, wearables.ProviderGoogleHealth,
		wearables.ProviderUltrahuman,
	}, ids)
}
