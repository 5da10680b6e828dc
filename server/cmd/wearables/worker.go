package main

import (
	"github.com/spf13/cobra"
)

func newWorkerCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run job workers only (syncs, backfills, webhooks), for scale-out next to `serve --no-worker`",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log0 := newLogger(cmd.ErrOrStderr(), 0)
			set, err := loadSettings(log0, true)
			if err != nil {
				return err
			}
			log := newLogger(cmd.ErrOrStderr(), set.logLevel)
			rt, err := newRuntime(ctx, g, set, log, runtimeOpts{workers: max(1, set.workers), localDemo: true})
			if err != nil {
				return err
			}
			defer rt.close()
			if err := rt.queue.Start(ctx); err != nil {
				return err
			}
			log.Info("worker running", "store", rt.kind, "workers", max(1, set.workers))
			<-ctx.Done()
			log.Info("worker stopping: finishing running jobs (others go back to the queue)")
			sctx, cancel := shutdownContext()
			defer cancel()
			return rt.queue.Stop(sctx)
		},
	}
}
