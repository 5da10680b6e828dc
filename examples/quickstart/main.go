// Command quickstart runs the main job of the library on the embedded
// default store, with no PostgreSQL, no Redis and no vendor account: it opens
// (and migrates) a SQLite file, creates a user, writes a synthetic day of
// data from an Apple Watch and an iPhone that overlap, and reads it back.
//
//	go run ./examples/quickstart [-db wearables-quickstart.db]
//
// Running it twice shows idempotency: the second run inserts nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

func main() {
	db := flag.String("db", "wearables-quickstart.db", "SQLite file to create or reuse")
	flag.Parse()
	if err := run(context.Background(), *db, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// day is the synthetic day written: 10 March 2024 in New York, the night
// clocks sprang forward.
var day = wearables.Date{Year: 2024, Month: time.March, Day: 10}

func run(ctx context.Context, path string, out io.Writer) error {
	st, err := sqlitestore.Open(ctx, path, sqlitestore.WithAutoMigrate())
	if err != nil {
		return err
	}
	defer st.Close()

	user, err := st.GetUserByExternalID(ctx, "", "quickstart")
	if errors.Is(err, wearables.ErrNotFound) {
		user = wearables.User{ExternalID: "quickstart", TimeZone: "America/New_York"}
		err = st.CreateUser(ctx, &user)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "store:  %s (SQLite, WAL)\nuser:   %s (external id %q, zone %s)\n", path, user.ID, user.ExternalID, user.TimeZone)

	batch, err := syntheticDay(user)
	if err != nil {
		return err
	}
	res, err := st.WriteBatch(ctx, batch)
	if err != nil {
		return err
	}
	c := res.Total()
	fmt.Fprintf(out, "write:  %d records — %d inserted, %d updated, %d unchanged\n", c.Total(), c.Inserted, c.Updated, c.Unchanged)

	loc, err := user.Location()
	if err != nil {
		return err
	}
	start, end := day.In(loc), day.AddDays(1).In(loc)
	fmt.Fprintf(out, "day:    %s in %s is %s long (DST)\n", day, loc, end.Sub(start))

	hr, err := collect(ctx, st, wearables.SampleQuery{UserID: user.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate}, Start: start, End: end})
	if err != nil {
		return err
	}
	var sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range hr {
		sum += s.Value
		lo, hi = min(lo, s.Value), max(hi, s.Value)
	}
	if len(hr) > 0 {
		fmt.Fprintf(out, "heart:  %d samples, avg %.0f bpm, range %.0f–%.0f\n", len(hr), sum/float64(len(hr)), lo, hi)
	}

	steps, err := collect(ctx, st, wearables.SampleQuery{UserID: user.ID, Types: []wearables.SeriesType{wearables.SeriesSteps}, Start: start, End: end})
	if err != nil {
		return err
	}
	bySource := map[string]float64{}
	for _, s := range steps {
		bySource[s.Source.DeviceModel] += s.Value
	}
	fmt.Fprintf(out, "steps:  raw watch %.0f, raw phone %.0f — both kept, never added up\n", bySource["Watch7,5"], bySource["iPhone15,2"])
	// Derived view: per minute, the highest-priority source with data (the
	// watch by default; the phone fills the hour the watch was charging).
	daily, err := normalize.QueryDailyTotals(ctx, st, normalize.DailyQuery{UserID: user.ID, Type: wearables.SeriesSteps, From: day, To: day})
	if err != nil {
		return err
	}
	for _, b := range daily.Buckets {
		var from []string
		for _, i := range b.Sources {
			from = append(from, daily.Sources[i].DeviceModel)
		}
		fmt.Fprintf(out, "steps:  merged %s total %.0f, from %s\n", b.Date, b.Value, strings.Join(from, " + "))
	}
	hourly, err := normalize.QuerySeries(ctx, st, normalize.SeriesQuery{UserID: user.ID, Type: wearables.SeriesHeartRate,
		Start: time.Date(2024, 3, 10, 7, 0, 0, 0, loc), End: time.Date(2024, 3, 10, 9, 0, 0, 0, loc), Resolution: normalize.Hour, Merged: true})
	if err != nil {
		return err
	}
	for _, b := range hourly[0].Buckets {
		fmt.Fprintf(out, "heart:  %s–%s avg %.0f bpm (%d samples)\n", b.Start.In(loc).Format("15:04"), b.End.In(loc).Format("15:04 MST"), b.Value, b.Count)
	}

	sleeps, err := st.QuerySleep(ctx, wearables.EventQuery{UserID: user.ID, Start: start.Add(-12 * time.Hour), End: end})
	if err != nil {
		return err
	}
	for _, s := range sleeps.Items {
		fmt.Fprintf(out, "sleep:  %s → %s local, %s asleep (deep %s, rem %s), %d stage intervals\n",
			s.Start.In(loc).Format("Jan 2 15:04 MST"), s.End.In(loc).Format("15:04 MST"), s.Totals.TimeAsleep(), s.Totals.Deep, s.Totals.REM, len(s.Stages))
	}
	workouts, err := st.QueryWorkouts(ctx, wearables.EventQuery{UserID: user.ID, Start: start, End: end})
	if err != nil {
		return err
	}
	for _, w := range workouts.Items {
		fmt.Fprintf(out, "workout: %s at %s, %s, %.1f km\n", w.Type, w.Start.In(w.Offset.Location()).Format("15:04 -07:00"), w.Duration(), *w.Distance/1000)
	}
	sources, err := st.ListSources(ctx, user.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "sources: %d\n", len(sources))
	return nil
}

// collect pages through a sample query.
func collect(ctx context.Context, r wearables.RecordReader, q wearables.SampleQuery) ([]wearables.Sample, error) {
	var all []wearables.Sample
	for {
		p, err := r.QuerySamples(ctx, q)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.Next == "" {
			return all, nil
		}
		q.Cursor = p.Next
	}
}

// syntheticDay builds a deterministic day: 1-minute heart rate from the
// watch, 1-minute steps from both the watch (off 13:00–14:00 while charging)
// and the phone, last night's sleep and a morning run.
func syntheticDay(u wearables.User) (*wearables.Batch, error) {
	loc, err := u.Location()
	if err != nil {
		return nil, err
	}
	watch := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch, App: "com.apple.health"}
	phone := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "iPhone15,2", DeviceType: wearables.DevicePhone, App: "com.apple.health"}
	rng := rand.New(rand.NewPCG(2024, 3))
	b := &wearables.Batch{UserID: u.ID}
	start, end := day.In(loc), day.AddDays(1).In(loc)
	for t := start; t.Before(end); t = t.Add(time.Minute) {
		off := wearables.OffsetOf(t)
		h := t.In(loc).Hour()
		active := h >= 7 && h < 22
		hr := 55 + rng.Float64()*8
		if active {
			hr += 15 + rng.Float64()*20
		}
		if h == 7 {
			hr += 60 // the run
		}
		charging := h == 13
		if !charging {
			b.Samples = append(b.Samples, wearables.Sample{Source: watch, Type: wearables.SeriesHeartRate, Start: t, Offset: off, Value: math.Round(hr)})
		}
		if active {
			n := math.Round(rng.Float64() * 60)
			if h == 7 {
				n += 100
			}
			if !charging {
				b.Samples = append(b.Samples, wearables.Sample{Source: watch, Type: wearables.SeriesSteps, Start: t, End: t.Add(time.Minute), Offset: off, Value: n})
			}
			b.Samples = append(b.Samples, wearables.Sample{Source: phone, Type: wearables.SeriesSteps, Start: t, End: t.Add(time.Minute), Offset: off, Value: math.Round(n * 0.8)})
		}
	}
	// Last night: 23:10 → 07:00 local, across the 02:00 → 03:00 jump.
	sleepStart := time.Date(2024, 3, 9, 23, 10, 0, 0, loc)
	sleepEnd := time.Date(2024, 3, 10, 7, 0, 0, 0, loc)
	s := wearables.Sleep{Source: watch, ProviderRecordID: "quickstart-night-" + day.String(), Start: sleepStart, End: sleepEnd, Offset: wearables.OffsetOf(sleepEnd)}
	cycle := []wearables.SleepStage{wearables.StageLight, wearables.StageDeep, wearables.StageLight, wearables.StageREM}
	for t, i := sleepStart.Add(12*time.Minute), 0; t.Before(sleepEnd); i++ {
		next := t.Add(time.Duration(15+rng.IntN(20)) * time.Minute)
		if next.After(sleepEnd) {
			next = sleepEnd
		}
		s.Stages = append(s.Stages, wearables.StageInterval{Stage: cycle[i%len(cycle)], Start: t, End: next})
		s.Totals.Add(cycle[i%len(cycle)], next.Sub(t))
		t = next
	}
	s.Totals.Awake = 12 * time.Minute
	b.Sleep = append(b.Sleep, s)

	runStart := time.Date(2024, 3, 10, 7, 5, 0, 0, loc)
	dist, kcal := 8200.0, 590.0
	b.Workouts = append(b.Workouts, wearables.Workout{Source: watch, ProviderRecordID: "quickstart-run-" + day.String(),
		Type: wearables.WorkoutRunning, RawType: "HKWorkoutActivityTypeRunning", Start: runStart, End: runStart.Add(48 * time.Minute),
		Offset: wearables.OffsetOf(runStart), MovingTime: 46 * time.Minute, Distance: &dist, Energy: &kcal})
	return b, nil
}
