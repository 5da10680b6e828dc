package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/server"
)

// withTenants opens the store (migrated) for an admin command.
func withTenants(ctx context.Context, g *globalFlags, fn func(st fullStore) error) error {
	st, _, _, _, err := openFull(ctx, g)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

func newDevelopersCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "developers", Short: "Manage developers"}
	var email string
	var admin bool
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a developer; the password is read from WEARABLES_NEW_PASSWORD or standard input",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw := os.Getenv("WEARABLES_NEW_PASSWORD")
			if pw == "" {
				fmt.Fprint(cmd.ErrOrStderr(), "password: ")
				var line string
				if _, err := fmt.Fscanln(cmd.InOrStdin(), &line); err != nil {
					return fmt.Errorf("read password: %w", err)
				}
				pw = line
			}
			h, err := server.HashPassword(pw)
			if err != nil {
				return err
			}
			return withTenants(cmd.Context(), g, func(st fullStore) error {
				d := wearables.Developer{Email: strings.ToLower(strings.TrimSpace(email)), PasswordHash: h, Admin: admin}
				if err := st.CreateDeveloper(cmd.Context(), &d); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "developer %s (%s) created\n", d.ID, d.Email)
				return nil
			})
		},
	}
	create.Flags().StringVar(&email, "email", "", "email address (required)")
	create.Flags().BoolVar(&admin, "admin", false, "may create other developers")
	_ = create.MarkFlagRequired("email")
	cmd.AddCommand(create)
	return cmd
}

func newAppsCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "apps", Short: "Manage applications"}
	var developer, name string
	var redirects []string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an application and its first API key (printed once)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withTenants(cmd.Context(), g, func(st fullStore) error {
				ctx := cmd.Context()
				d, err := st.GetDeveloperByEmail(ctx, strings.ToLower(developer))
				if err != nil {
					return fmt.Errorf("developer %s: %w", developer, err)
				}
				a := wearables.App{DeveloperID: d.ID, Name: name, RedirectURIs: redirects}
				if a.RedirectURIs == nil {
					a.RedirectURIs = []string{}
				}
				if err := st.CreateApp(ctx, &a); err != nil {
					return err
				}
				key, _, err := server.CreateAPIKey(ctx, st, a.ID, "cli")
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "application %s created\nAPI key (shown once): %s\n", a.ID, key)
				return nil
			})
		},
	}
	create.Flags().StringVar(&developer, "developer", "", "owner's email (required)")
	create.Flags().StringVar(&name, "name", "", "application name (required)")
	create.Flags().StringSliceVar(&redirects, "redirect-uri", nil, "allowed OAuth success/error redirect URI (repeatable)")
	_ = create.MarkFlagRequired("developer")
	_ = create.MarkFlagRequired("name")
	cmd.AddCommand(create)
	return cmd
}

func newKeysCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage API keys"}
	var app, name string
	create := &cobra.Command{
		Use: "create", Short: "Create an API key for an application (printed once)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withTenants(cmd.Context(), g, func(st fullStore) error {
				if _, err := st.GetApp(cmd.Context(), app); err != nil {
					return fmt.Errorf("application %s: %w", app, err)
				}
				key, rec, err := server.CreateAPIKey(cmd.Context(), st, app, name)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "key %s created\nAPI key (shown once): %s\n", rec.ID, key)
				return nil
			})
		},
	}
	create.Flags().StringVar(&app, "app", "", "application id (required)")
	create.Flags().StringVar(&name, "name", "", "a label for the key")
	_ = create.MarkFlagRequired("app")

	var listApp string
	list := &cobra.Command{
		Use: "list", Short: "List an application's API keys (prefixes only)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withTenants(cmd.Context(), g, func(st fullStore) error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tPREFIX\tNAME\tCREATED\tREVOKED")
				q := wearables.ListQuery{OwnerID: listApp}
				for {
					p, err := st.ListAPIKeys(cmd.Context(), q)
					if err != nil {
						return err
					}
					for _, k := range p.Items {
						rev := ""
						if k.Revoked() {
							rev = k.RevokedAt.Format(time.RFC3339)
						}
						fmt.Fprintf(tw, "%s\t%s…\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Name, k.CreatedAt.Format(time.RFC3339), rev)
					}
					if p.Next == "" {
						break
					}
					q.Cursor = p.Next
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().StringVar(&listApp, "app", "", "application id (required)")
	_ = list.MarkFlagRequired("app")

	revoke := &cobra.Command{
		Use: "revoke KEY_ID", Short: "Revoke an API key", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withTenants(cmd.Context(), g, func(st fullStore) error {
				if err := st.RevokeAPIKey(cmd.Context(), args[0], time.Now()); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "key %s revoked\n", args[0])
				return nil
			})
		},
	}
	rotate := &cobra.Command{
		Use: "rotate KEY_ID", Short: "Create a replacement key (printed once) and revoke the old one", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withTenants(cmd.Context(), g, func(st fullStore) error {
				old, err := st.GetAPIKey(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				key, rec, err := server.RotateAPIKey(cmd.Context(), st, old, time.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "key %s revoked; new key %s\nAPI key (shown once): %s\n", old.ID, rec.ID, key)
				return nil
			})
		},
	}
	cmd.AddCommand(create, list, revoke, rotate)
	return cmd
}

func newUsersCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "Inspect users"}
	var app string
	list := &cobra.Command{
		Use: "list", Short: "List an application's users", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withTenants(cmd.Context(), g, func(st fullStore) error {
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tEXTERNAL ID\tTIME ZONE\tCREATED")
				q := wearables.UserQuery{AppID: app}
				for {
					p, err := st.ListUsers(cmd.Context(), q)
					if err != nil {
						return err
					}
					for _, u := range p.Items {
						fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.ID, u.ExternalID, u.TimeZone, u.CreatedAt.Format(time.RFC3339))
					}
					if p.Next == "" {
						break
					}
					q.Cursor = p.Next
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().StringVar(&app, "app", "", "application id (empty: users without an application, e.g. from imports)")
	cmd.AddCommand(list)
	return cmd
}
