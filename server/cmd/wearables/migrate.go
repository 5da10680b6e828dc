package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
	"github.com/wearables-go/wearables/syncer"
)

func newMigrateCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "migrate", Short: "Apply, roll back or list database migrations"}
	cmd.AddCommand(&cobra.Command{
		Use: "up", Short: "Apply every pending migration (the store's and the job queue's)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withRawStore(cmd.Context(), g, func(m migrator) error {
				applied, err := m.up(cmd.Context())
				if err != nil {
					return err
				}
				if len(applied) == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "store: up to date")
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "store: applied %v\n", applied)
				}
				if err := syncer.Migrate(cmd.Context(), m.dbKind, m.db); err != nil {
					return fmt.Errorf("job queue: %w", err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), "job queue: up to date")
				return nil
			})
		},
	}, &cobra.Command{
		Use: "down", Short: "Roll back the last applied store migration", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withRawStore(cmd.Context(), g, func(m migrator) error {
				v, err := m.down(cmd.Context())
				if err != nil {
					return err
				}
				if v == 0 {
					fmt.Fprintln(cmd.OutOrStdout(), "nothing to roll back")
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "rolled back %d\n", v)
				}
				return nil
			})
		},
	}, &cobra.Command{
		Use: "status", Short: "List the store's migrations and whether each is applied", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withRawStore(cmd.Context(), g, func(m migrator) error { return m.status(cmd.Context(), cmd.OutOrStdout()) })
		},
	})
	return cmd
}

// migrator abstracts the two SQL stores' migration methods.
type migrator struct {
	up     func(context.Context) ([]int, error)
	down   func(context.Context) (int, error)
	status func(context.Context, io.Writer) error
	db     *sql.DB
	dbKind syncer.Database
}

// withRawStore opens the configured store without migrating it.
func withRawStore(ctx context.Context, g *globalFlags, fn func(m migrator) error) error {
	type row struct {
		v       int
		name    string
		applied bool
		at      time.Time
	}
	print := func(w io.Writer, rows []row) error {
		tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED\tAT")
		for _, r := range rows {
			at := ""
			if !r.at.IsZero() {
				at = r.at.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%04d\t%s\t%v\t%s\n", r.v, r.name, r.applied, at)
		}
		return tw.Flush()
	}
	switch {
	case isPostgresURL(g.databaseURL):
		s, err := pgstore.Open(ctx, g.databaseURL)
		if err != nil {
			return err
		}
		defer s.Close()
		return fn(migrator{up: s.Migrate, down: s.MigrateDown, db: s.DB(), dbKind: syncer.Postgres, status: func(ctx context.Context, w io.Writer) error {
			st, err := s.MigrationStatus(ctx)
			if err != nil {
				return err
			}
			rows := make([]row, 0, len(st))
			for _, x := range st {
				rows = append(rows, row{x.Version, x.Name, x.Applied, x.AppliedAt})
			}
			return print(w, rows)
		}})
	case g.databaseURL != "":
		return fmt.Errorf("DATABASE_URL must start with postgres://: %w", wearables.ErrInvalid)
	}
	s, err := sqlitestore.Open(ctx, g.sqlitePath)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(migrator{up: s.Migrate, down: s.MigrateDown, db: s.WriterDB(), dbKind: syncer.SQLite, status: func(ctx context.Context, w io.Writer) error {
		st, err := s.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		rows := make([]row, 0, len(st))
		for _, x := range st {
			rows = append(rows, row{x.Version, x.Name, x.Applied, x.AppliedAt})
		}
		return print(w, rows)
	}})
}
