package pgstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/pgstore"
)

// Example opens a store, applies the migrations, writes a batch of heart
// rate samples and reads them back. It needs a database, so it has no
// checked output; TestExample runs the same steps in the test suite.
func Example() {
	ctx := context.Background()
	dsn := os.Getenv("DATABASE_URL") // e.g. postgres://app@db.example.com/wearables (sslmode=require by default)
	if dsn == "" {
		fmt.Println("set DATABASE_URL to run this example")
		return
	}
	s, err := pgstore.Open(ctx, dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil { // explicit: Open never changes the schema by itself
		log.Fatal(err)
	}

	u := wearables.User{ExternalID: "example-user"}
	if err := s.CreateUser(ctx, &u); err != nil {
		log.Fatal(err)
	}
	defer s.DeleteUser(ctx, u.ID)

	start := time.Date(2025, 3, 1, 7, 0, 0, 0, time.UTC)
	watch := wearables.Source{Provider: wearables.ProviderGarmin, DeviceModel: "Forerunner 965", DeviceType: wearables.DeviceWatch}
	b := &wearables.Batch{UserID: u.ID}
	for i := range 60 {
		b.Samples = append(b.Samples, wearables.Sample{
			Source: watch, Type: wearables.SeriesHeartRate,
			Start: start.Add(time.Duration(i) * time.Second), Offset: 3600, Value: float64(60 + i%10),
		})
	}
	res, err := s.WriteBatch(ctx, b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("inserted:", res.Samples.Inserted)

	res, err = s.WriteBatch(ctx, b) // the same data again changes nothing
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("unchanged:", res.Samples.Unchanged)

	page, err := s.QuerySamples(ctx, wearables.SampleQuery{
		UserID: u.ID, Types: []wearables.SeriesType{wearables.SeriesHeartRate},
		Start: start, End: start.Add(time.Minute),
	})
	if err != nil {
		log.Fatal(err)
	}
	first := page.Items[0]
	fmt.Println("read:", len(page.Items), "first:", first.Value, "bpm at", first.Start.In(first.Offset.Location()).Format(time.TimeOnly), "from", first.Source.DeviceModel)
}
