package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExampleRunsTwiceIdempotently(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	var first, second bytes.Buffer
	require.NoError(t, run(context.Background(), db, "", &first))
	require.NoError(t, run(context.Background(), db, "", &second))
	assert.Contains(t, first.String(), "0 unchanged")
	assert.Contains(t, second.String(), " 0 inserted, 0 updated")
	assert.Contains(t, first.String(), "night ")
	assert.Contains(t, first.String(), "resting heart rate")
}

func TestExampleImportsAFile(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), filepath.Join(t.TempDir(), "h.db"), "../../providers/applehealth/testdata/export_kinds.xml", &out))
	assert.Contains(t, out.String(), "4 rejected")
}
