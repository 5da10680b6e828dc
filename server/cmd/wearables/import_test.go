package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables/providers/applehealth"
)

func execute(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	err = root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

const kinds = "../../../providers/applehealth/testdata/export_kinds.xml"

func TestImportAppleHealth(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	db := filepath.Join(t.TempDir(), "w.db")

	_, _, err := execute(t, "import", "apple-health", kinds, "--sqlite-path", db, "--user", "nobody")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not exist")

	out, errOut, err := execute(t, "import", "apple-health", kinds, "--sqlite-path", db, "--user", "u1", "--create-user", "--no-progress")
	require.NoError(t, err, errOut)
	assert.Contains(t, errOut, "created user u1")
	assert.Contains(t, out, "Imported")
	assert.Contains(t, out, "HKQuantityTypeIdentifierHeartRate")
	assert.Contains(t, out, "Rejected: 4")
	assert.Contains(t, out, "VisionPrescription")

	// The second import of the same file changes nothing; with a progress bar.
	out, errOut, err = execute(t, "import", "apple-health", kinds, "--sqlite-path", db, "--user", "u1", "--json")
	require.NoError(t, err, errOut)
	var rep jsonReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, "u1", rep.User)
	total := rep.Report.Written.Total()
	assert.Zero(t, total.Inserted)
	assert.Zero(t, total.Updated)
	assert.Positive(t, total.Unchanged)
	assert.NotEmpty(t, errOut, "progress bar on stderr")
}

func TestImportAppleHealthDamaged(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	data := mustRead(t, kinds)
	bad := filepath.Join(dir, "bad.xml")
	writeFile(t, bad, data[:len(data)/2])
	out, _, err := execute(t, "import", "apple-health", bad, "--sqlite-path", filepath.Join(dir, "w.db"), "--create-user", "--no-progress")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "damaged at byte")
	assert.Contains(t, out, "Fault: byte")
}

func TestImportAppleHealthFlags(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	_, _, err := execute(t, "import", "apple-health", kinds, "--sqlite-path", filepath.Join(t.TempDir(), "w.db"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--user is required")
	_, _, err = execute(t, "import", "apple-health", kinds, "--database-url", "mysql://x", "--user", "u")
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "postgres://"))
	_ = applehealth.DefaultBatchSize
}
