// Command wearables is the reference binary: it serves the REST API
// (serve), runs job workers (worker), migrates the database, manages
// developers, applications and API keys, syncs and backfills connections,
// imports Apple Health exports, rotates the token encryption key and sets
// up a demo user. Each command lives in its own file; main only wires the
// root command to the process. Only this package reads flags and the
// environment.
//
// Configuration comes from flags and the environment: DATABASE_URL
// (postgres://…) selects PostgreSQL; otherwise the SQLite file named by
// --sqlite-path or WEARABLES_SQLITE_PATH (default ./wearables.db) is used.
// The WEARABLES_* variables of config.go configure the server (see the
// README's table).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		return 1
	}
	return 0
}
