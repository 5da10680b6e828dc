package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/sqlitestore"
	"github.com/wearables-go/wearables/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) wearables.Store {
		s, err := sqlitestore.Open(t.Context(), filepath.Join(t.TempDir(), "w.db"), sqlitestore.WithAutoMigrate())
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	})
}
