package providertest_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/providers/providertest"
)

// TestAcmeConformance runs the kit on the in-test acme vendor: it must pass.
func TestAcmeConformance(t *testing.T) {
	providertest.Run(t, acmeSuite(acmeConfig{}))
}

// TestCheckCatchesBugs plants one bug at a time in acme and checks that
// the kit fails exactly where it should.
func TestCheckCatchesBugs(t *testing.T) {
	tests := []struct {
		name string
		bugs acmeConfig
		// failing lists check-name fragments that must fail.
		failing []string
	}{
		{"ignores pagination", acmeConfig{ignorePagination: true}, []string{"Conformance/Fetch/workouts"}},
		{"swallows vendor errors", acmeConfig{swallowErrors: true}, []string{
			"Faults/workouts/401_persistent", "Faults/workouts/429_rate_limited", "Faults/workouts/500",
			"Faults/workouts/truncated_body", "Faults/workouts/cut_body", "Faults/workouts/connection_reset",
		}},
		{"retries 401 itself", acmeConfig{ownRetry: true}, []string{"Faults/workouts/401_persistent"}},
		{"random record ids", acmeConfig{randomIDs: true}, []string{"Idempotent/workouts", "Fetch/workouts"}},
		{"wrong auth style", acmeConfig{wrongAuthStyle: true}, []string{"Conformance/OAuth", "Faults/workouts/401_refresh_once"}},
		{"accepts any webhook", acmeConfig{acceptAnyHook: true}, []string{
			"Webhooks/webhook_workout_created/tampered_body", "Webhooks/webhook_workout_created/wrong_secret",
			"Webhooks/webhook_workout_created/stale_timestamp", "Webhooks/webhook_workout_created/missing_x-acme-signature",
		}},
		{"ignores the context", acmeConfig{ignoreContext: true}, []string{"Faults/workouts/latency_deadline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := providertest.Check(acmeSuite(tt.bugs))
			require.True(t, rep.Failed(), "the kit passed a provider with a planted bug")
			var failed []string
			for _, r := range rep.Failures() {
				failed = append(failed, r.Name)
			}
			for _, want := range tt.failing {
				assert.True(t, containsFragment(failed, want), "check %q should fail; failed: %v", want, failed)
			}
		})
	}
}

func containsFragment(names []string, frag string) bool {
	for _, n := range names {
		if strings.HasSuffix(n, frag) {
			return true
		}
	}
	return false
}

func TestCheckPassesAndReports(t *testing.T) {
	rep := providertest.Check(acmeSuite(acmeConfig{}))
	var buf bytes.Buffer
	_, err := rep.WriteTo(&buf)
	require.NoError(t, err)
	require.False(t, rep.Failed(), "%s", buf.String())
	assert.Contains(t, buf.String(), "--- PASS: Conformance/Fetch/workouts")
	assert.True(t, strings.HasSuffix(buf.String(), "PASS\n"))
}
