package providertest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/providertest"
)

// asyncAcme is the acme vendor with the asynchronous side of a
// Garmin-like vendor: its webhook also pushes the workout inline and
// announces the window it was uploaded in, and it requests backfills
// (GET /api/v1/backfill: 202, or 409 for a window already requested).
type asyncAcme struct {
	*acme
	bugs asyncBugs
}

// asyncBugs plants bugs in asyncAcme.
type asyncBugs struct {
	foreignRecords bool // pushed records claim another provider
	implausible    bool // pushed records are not filtered for plausibility
	unfetchable    bool // the announced window has no fixture
	swallow409     bool // a refused backfill is reported as accepted
}

var errDuplicate = errors.New("acme: backfill already requested")

// asyncWindow is the window of the recorded workouts case.
var asyncWindow = [2]time.Time{time.Date(2024, 3, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC)}

func (a *asyncAcme) ParseWebhook(body []byte) ([]wearables.WebhookEvent, error) {
	events, err := a.acme.ParseWebhook(body)
	if err != nil {
		return nil, err
	}
	hr := 150.0
	if a.bugs.implausible {
		hr = 400
	}
	src := wearables.Source{Provider: "acme", DeviceType: wearables.DeviceWatch}
	if a.bugs.foreignRecords {
		src.Provider = "someone-else"
	}
	push := events[0]
	push.DedupeKey += ":push"
	push.Start = time.Date(2024, 3, 31, 6, 0, 0, 0, time.UTC)
	push.End = push.Start.Add(30 * time.Minute)
	push.Records = &wearables.Batch{Workouts: []wearables.Workout{{
		Source: src, ProviderRecordID: push.ProviderRecordID, Type: wearables.WorkoutRunning,
		Start: push.Start, End: push.End, Offset: wearables.NoOffset, AvgHR: &hr,
	}}}
	announce := events[0]
	announce.DedupeKey += ":window"
	announce.Start, announce.End = asyncWindow[0], asyncWindow[1]
	if a.bugs.unfetchable {
		announce.End = asyncWindow[1].Add(24 * time.Hour)
	}
	return []wearables.WebhookEvent{push, announce}, nil
}

func (a *asyncAcme) RequestBackfill(ctx context.Context, client *http.Client, dt wearables.DataType, start, end time.Time) error {
	q := url.Values{"start": {strconv.FormatInt(start.Unix(), 10)}, "end": {strconv.FormatInt(end.Unix(), 10)}}
	req, err := a.api.NewRequest(ctx, http.MethodGet, "/v1/backfill", q, nil)
	if err != nil {
		return err
	}
	resp, err := a.api.Do(client, "backfill", req)
	if err != nil {
		var pe *wearables.ProviderError
		if errors.As(err, &pe) && pe.StatusCode == http.StatusConflict {
			if a.bugs.swallow409 {
				return nil
			}
			return fmt.Errorf("%w: %w", errDuplicate, err)
		}
		return err
	}
	return resp.Body.Close()
}

var _ wearables.BackfillRequester = (*asyncAcme)(nil)

func asyncSuite(bugs asyncBugs) providertest.Suite {
	s := acmeSuite(acmeConfig{})
	base := s.NewProvider
	s.NewProvider = func(env providertest.Env) (wearables.Provider, error) {
		p, err := base(env)
		if err != nil {
			return nil, err
		}
		return &asyncAcme{acme: p.(*acme), bugs: bugs}, nil
	}
	s.Fixtures.Webhooks = []providertest.WebhookVector{{File: "webhook_workout_created.json", Golden: "async_webhook.events.golden.json"}}
	q := func(from, to time.Time) map[string]string {
		return map[string]string{"start": strconv.FormatInt(from.Unix(), 10), "end": strconv.FormatInt(to.Unix(), 10)}
	}
	jan, feb, mar := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	s.Fixtures.Static = append(s.Fixtures.Static,
		providertest.Static{Path: "/api/v1/backfill", Query: q(feb, mar), Status: http.StatusAccepted},
		providertest.Static{Path: "/api/v1/backfill", Query: q(jan, feb), Status: http.StatusConflict, File: "me.json"},
	)
	s.Backfills = []providertest.BackfillCase{
		{Name: "accepted", DataType: wearables.DataWorkouts, Start: feb, End: mar, Path: "/api/v1/backfill"},
		{Name: "duplicate", DataType: wearables.DataWorkouts, Start: jan, End: feb, Path: "/api/v1/backfill", Want: errDuplicate},
	}
	s.FollowWebhookWindows = true
	return s
}

// TestAsyncConformance runs the Push and Backfill checks on a provider
// that gets them right.
func TestAsyncConformance(t *testing.T) {
	providertest.Run(t, asyncSuite(asyncBugs{}))
}

// TestAsyncChecksCatchBugs plants one bug at a time and checks that the
// Push and Backfill checks fail where they should.
func TestAsyncChecksCatchBugs(t *testing.T) {
	tests := []struct {
		name    string
		bugs    asyncBugs
		failing string
	}{
		{"pushed records of another provider", asyncBugs{foreignRecords: true}, "Push/webhook_workout_created"},
		{"implausible pushed records", asyncBugs{implausible: true}, "Push/webhook_workout_created"},
		{"announced window without fixture", asyncBugs{unfetchable: true}, "Push/webhook_workout_created"},
		{"duplicate backfill reported as accepted", asyncBugs{swallow409: true}, "Backfill/duplicate"},
	}
	if providertest.Updating() {
		t.Skip("-update would write the buggy providers' output into the goldens")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := providertest.Check(asyncSuite(tt.bugs))
			require.True(t, rep.Failed(), "the kit passed a provider with a planted bug")
			var failed []string
			for _, r := range rep.Failures() {
				failed = append(failed, r.Name)
			}
			assert.True(t, containsFragment(failed, tt.failing), "check %q should fail; failed: %v", tt.failing, failed)
		})
	}
}
