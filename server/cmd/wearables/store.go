package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

// envOr returns the environment variable name, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// isPostgresURL reports whether u selects PostgreSQL.
func isPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// openStore opens the configured store and applies pending migrations.
// kind is "postgres" or "sqlite", for messages and defaults.
func openStore(ctx context.Context, g *globalFlags) (s wearables.Store, kind string, err error) {
	switch {
	case isPostgresURL(g.databaseURL):
		pg, err := pgstore.Open(ctx, g.databaseURL, pgstore.WithAutoMigrate())
		if err != nil {
			return nil, "", fmt.Errorf("open postgres: %w", err)
		}
		return pg, "postgres", nil
	case g.databaseURL != "":
		return nil, "", fmt.Errorf("DATABASE_URL must start with postgres:// (leave it empty to use SQLite): %w", wearables.ErrInvalid)
	}
	sq, err := sqlitestore.Open(ctx, g.sqlitePath, sqlitestore.WithAutoMigrate())
	if err != nil {
		return nil, "", fmt.Errorf("open sqlite %s: %w", g.sqlitePath, err)
	}
	return sq, "sqlite", nil
}
