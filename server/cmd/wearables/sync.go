package main

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/syncer"
)

func newSyncCmd(g *globalFlags) *cobra.Command {
	var types []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sync CONNECTION_ID",
		Short: "Sync one connection now, in this process, and print what it did",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			set, err := loadSettings(newLogger(cmd.ErrOrStderr(), 0), true)
			if err != nil {
				return err
			}
			rt, err := newRuntime(ctx, g, set, newLogger(cmd.ErrOrStderr(), set.logLevel), runtimeOpts{workers: -1, localDemo: true})
			if err != nil {
				return err
			}
			defer rt.close()
			opts := syncer.Options{Trigger: wearables.TriggerManual}
			for _, t := range types {
				opts.DataTypes = append(opts.DataTypes, wearables.DataType(t))
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "syncing %s …\n", args[0])
			res, err := rt.syncer.SyncConnection(ctx, args[0], opts)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if jerr := enc.Encode(res); jerr != nil {
					return jerr
				}
			} else {
				printSync(cmd, res)
			}
			return err
		},
	}
	cmd.Flags().StringSliceVar(&types, "data-type", nil, "only these data types (repeatable)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func printSync(cmd *cobra.Command, res syncer.Result) {
	w := cmd.OutOrStdout()
	t := res.Total()
	fmt.Fprintf(w, "run %s: %s inserted, %s updated, %s unchanged, %d deleted, %d rejected in %s\n", res.RunID,
		count(int64(t.Inserted)), count(int64(t.Updated)), count(int64(t.Unchanged)), t.Deleted, t.Rejected, res.Duration.Round(1e6))
	keys := make([]string, 0, len(res.Types))
	for k := range res.Types {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := res.Types[wearables.DataType(k)]
		fmt.Fprintf(w, "  %-16s %8s inserted %8s updated %8s unchanged  %d pages\n", k, count(int64(c.Inserted)), count(int64(c.Updated)), count(int64(c.Unchanged)), c.Pages)
	}
}

func newBackfillCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "backfill CONNECTION_ID",
		Short: "Queue the history backfill of a connection; `serve` or `worker` processes run it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			set, err := loadSettings(newLogger(cmd.ErrOrStderr(), 0), true)
			if err != nil {
				return err
			}
			rt, err := newRuntime(ctx, g, set, newLogger(cmd.ErrOrStderr(), set.logLevel), runtimeOpts{workers: -1, localDemo: true})
			if err != nil {
				return err
			}
			defer rt.close()
			c, err := rt.store.GetConnection(ctx, args[0])
			if err != nil {
				return err
			}
			if err := rt.queue.ConnectionCreated(ctx, c); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backfill of %s (%s) queued; a running `wearables serve` or `wearables worker` processes it\n", c.ID, c.Provider)
			return nil
		},
	}
}
