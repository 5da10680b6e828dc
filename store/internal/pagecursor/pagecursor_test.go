package pagecursor_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

func TestRoundTrip(t *testing.T) {
	c := pagecursor.Encode("1710064800000000", "1", "42")
	parts, err := pagecursor.Decode(c, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"1710064800000000", "1", "42"}, parts)
	assert.NotContains(t, c, "/", "URL-safe")
	assert.NotContains(t, c, "+", "URL-safe")
}

func TestDecodeRejects(t *testing.T) {
	for name, c := range map[string]string{
		"not base64":    "%%%",
		"wrong shape":   pagecursor.Encode("a", "b"),
		"other version": "djJfYQ", // "v2_a"
		"empty":         "",
		"very long":     string(make([]byte, 100)),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := pagecursor.Decode(c, 3)
			require.Error(t, err)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
		})
	}
}

func TestLimit(t *testing.T) {
	n, err := pagecursor.Limit(0)
	require.NoError(t, err)
	assert.Equal(t, wearables.DefaultPageSize, n)
	n, err = pagecursor.Limit(wearables.MaxPageSize)
	require.NoError(t, err)
	assert.Equal(t, wearables.MaxPageSize, n)
	for _, bad := range []int{-1, wearables.MaxPageSize + 1} {
		_, err := pagecursor.Limit(bad)
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	}
}
