package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/memstore"
)

// Create a user, write a batch of heart-rate samples from an Apple Watch
// twice (the second write changes nothing), and query them back.
func Example() {
	ctx := context.Background()
	s := memstore.New()
	defer s.Close()

	u := wearables.User{ExternalID: "patient-42", TimeZone: "Europe/Warsaw"}
	if err := s.CreateUser(ctx, &u); err != nil {
		fmt.Println(err)
		return
	}

	watch := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch}
	warsaw := time.FixedZone("CET", 3600)
	start := time.Date(2026, 3, 14, 7, 0, 0, 0, warsaw)
	b := &wearables.Batch{UserID: u.ID}
	for i, bpm := range []float64{61, 64, 72} {
		at := start.Add(time.Duration(i) * time.Minute)
		b.Samples = append(b.Samples, wearables.Sample{
			Source: watch, Type: wearables.SeriesHeartRate, Start: at, Offset: wearables.OffsetOf(at), Value: bpm,
		})
	}
	for range 2 {
		res, err := s.WriteBatch(ctx, b)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("inserted %d, unchanged %d\n", res.Samples.Inserted, res.Samples.Unchanged)
	}

	page, err := s.QuerySamples(ctx, wearables.SampleQuery{
		UserID: u.ID,
		Types:  []wearables.SeriesType{wearables.SeriesHeartRate},
		Start:  start,
		End:    start.Add(time.Hour),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, smp := range page.Items {
		fmt.Printf("%s %s %v %s (%s)\n", smp.Start.Format(time.RFC3339), smp.Offset, smp.Value, smp.Type.Unit(), smp.Source.DeviceModel)
	}
	// Output:
	// inserted 3, unchanged 0
	// inserted 0, unchanged 3
	// 2026-03-14T06:00:00Z +01:00 61 bpm (Watch7,5)
	// 2026-03-14T06:01:00Z +01:00 64 bpm (Watch7,5)
	// 2026-03-14T06:02:00Z +01:00 72 bpm (Watch7,5)
}
