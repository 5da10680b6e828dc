package main

import (
	"github.com/spf13/cobra"
)

// globalFlags are the flags every command shares.
type globalFlags struct {
	databaseURL string
	sqlitePath  string
}

// newRootCmd builds the command tree. Commands add themselves here, one
// file each.
func newRootCmd() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "wearables",
		Short:         "Health data from wearable vendors and Apple Health, in a database you own",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	root.PersistentFlags().StringVar(&g.databaseURL, "database-url", envOr("DATABASE_URL", ""),
		"PostgreSQL URL (postgres://…); when empty the SQLite file is used (env DATABASE_URL)")
	root.PersistentFlags().StringVar(&g.sqlitePath, "sqlite-path", envOr("WEARABLES_SQLITE_PATH", "./wearables.db"),
		"SQLite database file, used when no PostgreSQL URL is set (env WEARABLES_SQLITE_PATH)")
	root.AddCommand(newImportCmd(g), newServeCmd(g), newWorkerCmd(g), newMigrateCmd(g), newDevelopersCmd(g), newAppsCmd(g),
		newKeysCmd(g), newUsersCmd(g), newRotateKeyCmd(g), newSyncCmd(g), newBackfillCmd(g), newDemoCmd(g), newVersionCmd())
	return root
}
