package sqlitestore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

func Example() {
	ctx := context.Background()
	// A file path in a real program; ":memory:" keeps the example self-contained.
	s, err := sqlitestore.Open(ctx, sqlitestore.MemoryPath, sqlitestore.WithAutoMigrate())
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	u := wearables.User{ExternalID: "alice"}
	if err := s.CreateUser(ctx, &u); err != nil {
		log.Fatal(err)
	}
	ring := wearables.Source{Provider: wearables.ProviderOura, DeviceModel: "Oura Ring Gen3", DeviceType: wearables.DeviceRing}
	kathmandu := time.FixedZone("", 5*3600+45*60)
	at := time.Date(2025, 3, 30, 6, 0, 0, 0, kathmandu)
	b := &wearables.Batch{UserID: u.ID, Samples: []wearables.Sample{
		{Source: ring, Type: wearables.SeriesHeartRate, Start: at, Offset: wearables.OffsetOf(at), Value: 52},
		{Source: ring, Type: wearables.SeriesHeartRate, Start: at.Add(time.Minute), Offset: wearables.OffsetOf(at), Value: 54},
	}}
	for range 2 {
		res, err := s.WriteBatch(ctx, b)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%+v\n", res.Samples)
	}

	page, err := s.QuerySamples(ctx, wearables.SampleQuery{
		UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate},
		Start: at.Add(-time.Hour), End: at.Add(time.Hour),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, smp := range page.Items {
		fmt.Println(smp.Start.Format(time.RFC3339), smp.Offset, smp.Type, smp.Value, smp.Source.DeviceModel)
	}
	// Output:
	// {Inserted:2 Updated:0 Unchanged:0}
	// {Inserted:0 Updated:0 Unchanged:2}
	// 2025-03-30T00:15:00Z +05:45 heart_rate 52 Oura Ring Gen3
	// 2025-03-30T00:16:00Z +05:45 heart_rate 54 Oura Ring Gen3
}

func ExampleStore_Migrate() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "wearables")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Open leaves the schema alone; Migrate applies what is pending.
	s, err := sqlitestore.Open(ctx, filepath.Join(dir, "wearables.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	for range 2 {
		applied, err := s.Migrate(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("applied:", applied)
	}
	status, err := s.MigrationStatus(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range status {
		fmt.Println(m.Version, m.Name, m.Applied)
	}
	// Output:
	// applied: [1 2 3 4]
	// applied: []
	// 1 init true
	// 2 sync true
	// 3 apps true
	// 4 app_secrets true
}
