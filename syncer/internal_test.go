package syncer

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"

	"github.com/wearables-go/wearables"
)

func TestRetryPolicyBacksOffWithJitter(t *testing.T) {
	prev := time.Duration(0)
	for _, attempt := range []int{1, 3, 6, 9} {
		d := time.Until(retryPolicy{}.NextRetry(&rivertype.JobRow{Attempt: attempt}))
		base := time.Second << (attempt - 1)
		assert.GreaterOrEqual(t, d, base/2-time.Second/10, "attempt %d", attempt)
		assert.LessOrEqual(t, d, base*3/2+time.Second/10, "attempt %d", attempt)
		assert.Greater(t, d, prev/2)
		prev = d
	}
	d := time.Until(retryPolicy{}.NextRetry(&rivertype.JobRow{Attempt: 30}))
	assert.LessOrEqual(t, d, 15*time.Minute+time.Second, "capped")
}

func TestCeilTo(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 10, 0, time.UTC)
	assert.Equal(t, base, ceilTo(base, 2*time.Second))
	assert.Equal(t, base.Add(2*time.Second), ceilTo(base.Add(time.Nanosecond), 2*time.Second))
	assert.Equal(t, base.Add(time.Second), ceilTo(base.Add(time.Second), 0))
}

func TestDedupeKey(t *testing.T) {
	one := []wearables.WebhookEvent{{DedupeKey: "a"}}
	two := []wearables.WebhookEvent{{DedupeKey: "b"}, {DedupeKey: "a"}}
	twoSwapped := []wearables.WebhookEvent{{DedupeKey: "a"}, {DedupeKey: "b"}}
	none := []wearables.WebhookEvent{{}}
	assert.Equal(t, "a", dedupeKey(one, []byte("x")))
	assert.Equal(t, dedupeKey(two, nil), dedupeKey(twoSwapped, []byte("other body")), "order-independent")
	assert.NotEqual(t, dedupeKey(none, []byte("x")), dedupeKey(none, []byte("y")), "body hash without keys")
}

func TestCursorState(t *testing.T) {
	c := cursorState{Through: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Page: "p2",
		WindowStart: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), WindowEnd: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}
	assert.Equal(t, c, decodeCursor(c.encode()))
	assert.Equal(t, cursorState{}, decodeCursor("2024-01-01"), "a foreign value starts over")
	assert.True(t, Through("").IsZero())
}
