// Command applehealth imports an Apple Health export into the embedded
// SQLite store with the library API alone, then reads a little of it back.
//
//	go run ./examples/applehealth [-db health.db] [export.zip | export.xml]
//
// Without a file it generates a week of synthetic data first (package
// exportgen), so it runs on a fresh checkout. Running it twice shows
// idempotency: the second import writes nothing new.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/applehealth"
	"github.com/wearables-go/wearables/providers/applehealth/exportgen"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

func main() {
	db := flag.String("db", "wearables-applehealth.db", "SQLite file to create or reuse")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *db, flag.Arg(0), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "applehealth:", err)
		os.Exit(1)
	}
}

// externalID is the example user's id in "your" application.
const externalID = "example-user"

func run(ctx context.Context, dbPath, exportPath string, out io.Writer) error {
	if exportPath == "" {
		// No export given: write a synthetic week next to the database.
		exportPath = filepath.Join(filepath.Dir(dbPath), "example-export.xml")
		f, err := os.Create(exportPath)
		if err != nil {
			return err
		}
		_, err = exportgen.Write(f, exportgen.Config{Days: 7, Start: time.Date(2024, 3, 7, 0, 0, 0, 0, time.UTC)})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}

	store, err := sqlitestore.Open(ctx, dbPath, sqlitestore.WithAutoMigrate())
	if err != nil {
		return err
	}
	defer store.Close()

	// Find or create the user the records belong to.
	user, err := store.GetUserByExternalID(ctx, "", externalID)
	if errors.Is(err, wearables.ErrNotFound) {
		user = wearables.User{ExternalID: externalID, TimeZone: "America/Los_Angeles"}
		err = store.CreateUser(ctx, &user)
	}
	if err != nil {
		return err
	}

	// Import: export.zip or export.xml, streamed in constant memory.
	rep, err := applehealth.ImportFile(ctx, exportPath, store, user.ID, applehealth.ImportOptions{
		OnProgress: func(p applehealth.Progress) {
			if p.TotalBytes > 0 {
				fmt.Fprintf(out, "\r%3.0f%%  %d records", 100*float64(p.BytesRead)/float64(p.TotalBytes), p.Records)
			}
		},
	})
	fmt.Fprintln(out)
	if err != nil {
		return err
	}
	t := rep.Written.Total()
	fmt.Fprintf(out, "imported in %s: %d inserted, %d updated, %d unchanged, %d rejected\n",
		rep.Elapsed.Round(time.Millisecond), t.Inserted, t.Updated, t.Unchanged, rep.Stats.RejectedTotal())
	for reason, n := range rep.Stats.Rejected {
		fmt.Fprintf(out, "  rejected %d× %s\n", n, reason)
	}

	// Read back: sleep sessions and resting heart rate of the whole range.
	from, to := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Now().AddDate(50, 0, 0)
	sleep, err := store.QuerySleep(ctx, wearables.EventQuery{UserID: user.ID, Start: from, End: to, Limit: 5})
	if err != nil {
		return err
	}
	for _, s := range sleep.Items {
		kind := "night"
		if s.IsNap {
			kind = "nap"
		}
		local := s.Start.In(s.Offset.Location())
		fmt.Fprintf(out, "%s %s from %s (%s): asleep %s, deep %s, REM %s\n", kind, local.Format("2006-01-02 15:04"),
			s.Source.App, s.Source.DeviceType, s.Totals.TimeAsleep(), s.Totals.Deep, s.Totals.REM)
	}
	rhr, err := store.QuerySamples(ctx, wearables.SampleQuery{UserID: user.ID, Types: []wearables.SeriesType{wearables.SeriesRestingHeartRate},
		Start: from, End: to, Limit: 3})
	if err != nil {
		return err
	}
	for _, s := range rhr.Items {
		fmt.Fprintf(out, "resting heart rate %s: %.0f bpm\n", s.Start.In(s.Offset.Location()).Format("2006-01-02"), s.Value)
	}
	return nil
}
