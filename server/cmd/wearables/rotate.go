package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wearables-go/wearables/oauthflow"
)

func newRotateKeyCmd(g *globalFlags) *cobra.Command {
	var noProgress bool
	cmd := &cobra.Command{
		Use:   "rotate-encryption-key",
		Short: "Re-wrap every stored vendor token and app secret with the primary encryption key",
		Long: `Re-wrap every stored vendor token and app-wide vendor secret (Polar's
webhook secret) with the primary (first) key of WEARABLES_ENCRYPTION_KEYS.
Rotate by putting a new key first and keeping the old one after it
("new:base64,old:base64"), deploying, running this command, then removing
the old key. It is resumable and safe beside live traffic.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			set, err := loadSettings(newLogger(cmd.ErrOrStderr(), 0), true)
			if err != nil {
				return err
			}
			kr, err := oauthflow.ParseKeyring(set.keyring)
			if err != nil {
				return err
			}
			st, _, _, _, err := openFull(ctx, g)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := oauthflow.CheckKeys(ctx, st, kr); err != nil {
				return err
			}
			counts, err := st.CountTokensByKey(ctx)
			if err != nil {
				return err
			}
			total := 0
			for _, n := range counts {
				total += n
			}
			bar := newBar(cmd.ErrOrStderr(), int64(total))
			if noProgress {
				bar = nil
			}
			res, err := oauthflow.RewrapTokens(ctx, st, kr, oauthflow.RewrapOptions{Progress: func(r oauthflow.RewrapResult) {
				if bar != nil {
					_ = bar.Set(r.Rewrapped + r.Skipped)
				}
			}})
			if bar != nil {
				_ = bar.Finish()
				fmt.Fprintln(cmd.ErrOrStderr())
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "re-wrapped %d tokens (%d already on the primary key or gone) and %d app secrets (%d changed meanwhile)\n",
				res.Rewrapped, res.Skipped, res.SecretsRewrapped, res.SecretsSkipped)
			return nil
		},
	}
	cmd.Flags().BoolVar(&noProgress, "no-progress", false, "do not draw a progress bar")
	return cmd
}
