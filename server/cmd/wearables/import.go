package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/applehealth"
)

// newImportCmd is "wearables import", the parent of one subcommand per
// import format.
func newImportCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import data from files",
	}
	cmd.AddCommand(newImportAppleHealthCmd(g))
	return cmd
}

type appleHealthFlags struct {
	user       string
	createUser bool
	externalID string
	batchSize  int
	writers    int
	noProgress bool
	jsonReport bool
}

func newImportAppleHealthCmd(g *globalFlags) *cobra.Command {
	f := &appleHealthFlags{}
	cmd := &cobra.Command{
		Use:   "apple-health FILE",
		Short: "Import an Apple Health export (export.xml or export.zip)",
		Long: `Import an Apple Health export into the configured store as the records of one user.

FILE is the export.zip the Health app writes (read in place, not extracted)
or the export.xml inside it. The import streams: memory stays constant
whatever the file's size. Importing the same file again changes nothing.
A truncated or corrupt file imports everything before the fault, and the
report says at which byte and why (the exit status is then 1).

The user must exist; --create-user creates it (with the id given by --user,
or a new id that is printed).`,
		Example: `  wearables import apple-health ~/Downloads/export.zip --user 0190a1b2-…
  wearables import apple-health export.xml --create-user --external-id alice
  DATABASE_URL=postgres://localhost/wearables wearables import apple-health export.zip --user …`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImportAppleHealth(cmd, g, f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.user, "user", "", "id of the user the records belong to")
	fl.BoolVar(&f.createUser, "create-user", false, "create the user when it does not exist (a new id when --user is empty)")
	fl.StringVar(&f.externalID, "external-id", "", "with --create-user: the new user's external id")
	fl.IntVar(&f.batchSize, "batch-size", applehealth.DefaultBatchSize, "records per write transaction")
	fl.IntVar(&f.writers, "writers", 0, "concurrent batch writers (default 1 for SQLite, 2 for PostgreSQL)")
	fl.BoolVar(&f.noProgress, "no-progress", false, "do not draw a progress bar")
	fl.BoolVar(&f.jsonReport, "json", false, "print the final report as JSON")
	return cmd
}

func runImportAppleHealth(cmd *cobra.Command, g *globalFlags, f *appleHealthFlags, path string) error {
	ctx := cmd.Context()
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if f.user == "" && !f.createUser {
		return fmt.Errorf("--user is required (or --create-user to make one)")
	}
	store, kind, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer store.Close()

	userID, err := ensureUser(cmd, store, f)
	if err != nil {
		return err
	}
	writers := f.writers
	if writers <= 0 {
		writers = 1
		if kind == "postgres" {
			writers = 2
		}
	}
	opts := applehealth.ImportOptions{
		Decode:  applehealth.DecodeOptions{BatchSize: f.batchSize},
		Writers: writers,
	}
	var bar *progressbar.ProgressBar
	if !f.noProgress {
		opts.OnProgress = func(p applehealth.Progress) {
			if bar == nil {
				bar = newBar(stderr, p.TotalBytes)
			}
			bar.Describe(fmt.Sprintf("importing  %s records  %s records/s", count(p.Records), count(int64(p.RecordsPerSecond()))))
			_ = bar.Set64(p.BytesRead)
		}
	}
	rep, err := applehealth.ImportFile(ctx, path, store, userID, opts)
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(stderr)
	}
	if rep.Batches > 0 || rep.Stats.BytesRead > 0 || rep.Fault != nil {
		if f.jsonReport {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if jerr := enc.Encode(jsonReport{User: userID, File: path, Report: rep}); jerr != nil {
				return jerr
			}
		} else {
			printReport(stdout, path, userID, rep)
		}
	}
	if err != nil {
		var se *applehealth.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("the export is damaged at byte %d (%s); everything before it was imported", se.Offset, se.Reason)
		}
		return err
	}
	return nil
}

type jsonReport struct {
	User   string             `json:"user_id"`
	File   string             `json:"file"`
	Report applehealth.Report `json:"report"`
}

// ensureUser returns the id of the user to import into, creating it when asked.
func ensureUser(cmd *cobra.Command, store wearables.Store, f *appleHealthFlags) (string, error) {
	ctx := cmd.Context()
	if f.user != "" {
		_, err := store.GetUser(ctx, f.user)
		switch {
		case err == nil:
			return f.user, nil
		case !errors.Is(err, wearables.ErrNotFound):
			return "", fmt.Errorf("look up user %s: %w", f.user, err)
		case !f.createUser:
			return "", fmt.Errorf("user %s does not exist (add --create-user to create it)", f.user)
		}
	}
	u := wearables.User{ID: f.user, ExternalID: f.externalID}
	if err := store.CreateUser(ctx, &u); err != nil {
		return "", fmt.Errorf("create user: %w", err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "created user %s\n", u.ID)
	return u.ID, nil
}

func newBar(w io.Writer, total int64) *progressbar.ProgressBar {
	if total <= 0 {
		total = -1 // unknown: a spinner
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionFullWidth(),
	)
}

// count formats n with thousands separators.
func count(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// printReport writes the human-readable final report.
func printReport(w io.Writer, path, userID string, rep applehealth.Report) {
	total := rep.Written.Total()
	rate := 0.0
	if rep.Elapsed > 0 {
		rate = float64(total.Total()) / rep.Elapsed.Seconds()
	}
	fmt.Fprintf(w, "Imported %s for user %s: %s bytes read in %s, %s records written (%s records/s)\n",
		path, userID, count(rep.Stats.BytesRead), rep.Elapsed.Round(time.Millisecond), count(int64(total.Total())), count(int64(rate)))
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tinserted\tupdated\tunchanged\t")
	row := func(name string, c wearables.Counts) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", name, count(int64(c.Inserted)), count(int64(c.Updated)), count(int64(c.Unchanged)))
	}
	row("samples", rep.Written.Samples)
	row("workouts", rep.Written.Workouts)
	row("sleep sessions", rep.Written.Sleep)
	row("activity summaries", rep.Written.Summaries)
	row("total", total)
	tw.Flush()

	section := func(title string, m map[string]int64) {
		if len(m) == 0 {
			return
		}
		var sum int64
		keys := make([]string, 0, len(m))
		for k, v := range m {
			keys = append(keys, k)
			sum += v
		}
		slices.SortFunc(keys, func(a, b string) int {
			if m[a] != m[b] {
				return int(m[b] - m[a])
			}
			return strings.Compare(a, b)
		})
		fmt.Fprintf(w, "%s: %s\n", title, count(sum))
		for _, k := range keys {
			fmt.Fprintf(w, "  %10s  %s\n", count(m[k]), k)
		}
	}
	fmt.Fprintln(w, "Records read by type:")
	keys := make([]string, 0, len(rep.Stats.ByType))
	for k := range rep.Stats.ByType {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %10s  %s\n", count(rep.Stats.ByType[k]), k)
	}
	fmt.Fprintf(w, "Workouts read: %s, correlations: %s, activity summaries: %s\n",
		count(rep.Stats.Workouts), count(rep.Stats.Correlations), count(rep.Stats.Summaries))
	section("Rejected", rep.Stats.Rejected)
	section("Types not imported (not in the catalog)", rep.Stats.UnknownTypes)
	section("Unknown elements and values", rep.Stats.UnknownElements)
	section("Skipped (known, not imported)", rep.Stats.Skipped)
	if rep.Fault != nil {
		fmt.Fprintf(w, "Fault: byte %d: %s\n", rep.Fault.Offset, rep.Fault.Reason)
	}
}
