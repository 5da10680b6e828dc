package wearables_test

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/wearables-go/wearables"
)

// A Batch is what a provider produces and a store writes in one transaction.
// Validate catches structural mistakes before anything is written.
func ExampleBatch_Validate() {
	watch := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch}
	start := time.Date(2024, 3, 10, 9, 59, 30, 0, time.UTC)
	b := wearables.Batch{
		UserID: "user-1",
		Samples: []wearables.Sample{
			{Source: watch, Type: wearables.SeriesHeartRate, Start: start, Offset: -8 * 3600, Value: 62},
			{Source: watch, Type: wearables.SeriesHeartRate, Start: start.Add(time.Minute), Offset: -8 * 3600, Value: math.NaN()},
		},
	}
	err := b.Validate()
	var ve *wearables.ValidationError
	fmt.Println(errors.Is(err, wearables.ErrInvalid), errors.As(err, &ve), ve.Index, ve.Field)
	fmt.Println(err)
	// Output:
	// true true 1 Value
	// invalid sample[1] Value: value is NaN
}

// Every series type has a stable id, a code, a canonical unit and an
// aggregation.
func ExampleSeriesType() {
	for _, t := range []wearables.SeriesType{wearables.SeriesHeartRate, wearables.SeriesSteps, wearables.SeriesWeight} {
		info, _ := t.Info()
		fmt.Printf("%d %s %s %s\n", info.ID, info.Code, info.Unit, info.Aggregation)
	}
	t, err := wearables.ParseSeriesType("oxygen_saturation")
	fmt.Println(t.Unit(), err)
	// Output:
	// 1 heart_rate bpm avg
	// 47 steps count sum
	// 29 weight kg last
	// % <nil>
}

// Records keep the offset their device stamped them with, so the local time
// of the reading is never lost.
func ExampleOffset() {
	kathmandu := wearables.Offset(5*3600 + 45*60)
	at := time.Date(2024, 3, 10, 1, 0, 0, 0, time.UTC)
	fmt.Println(kathmandu, at.In(kathmandu.Location()).Format("2006-01-02 15:04"))
	fmt.Println(wearables.NoOffset.Known())
	// Output:
	// +05:45 2024-03-10 06:45
	// false
}
