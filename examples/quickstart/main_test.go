package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuickstartRunsTwiceIdempotently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	var first, second bytes.Buffer
	require.NoError(t, run(context.Background(), path, &first))
	require.NoError(t, run(context.Background(), path, &second))
	t.Log(first.String())
	assert.Contains(t, first.String(), "0 updated, 0 unchanged")
	assert.Contains(t, second.String(), "0 inserted, 0 updated")
	assert.Contains(t, first.String(), "is 23h0m0s long")
	assert.Contains(t, first.String(), "workout: running at 07:05 -04:00")
	assert.Contains(t, first.String(), "from Watch7,5 + iPhone15,2", "the phone fills the hour the watch was charging")
	assert.Contains(t, first.String(), "heart:  07:00–08:00 EDT")
}
