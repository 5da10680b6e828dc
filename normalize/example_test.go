package normalize_test

import (
	"context"
	"fmt"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/store/memstore"
)

func ExampleToCanonical() {
	glucose, _ := normalize.ToCanonical(wearables.SeriesBloodGlucose, 5.5, "mmol/L")
	energy, _ := normalize.ToCanonical(wearables.SeriesActiveEnergy, 1046, "kJ") // WHOOP kilojoule
	spo2, _ := normalize.AppleToCanonical(wearables.SeriesOxygenSaturation, 0.97, "%")
	weight, _ := normalize.AppleToCanonical(wearables.SeriesWeight, 154, "lb")
	_, err := normalize.ToCanonical(wearables.SeriesWeight, 1, "furlong")
	fmt.Printf("%.2f mg/dL\n%.1f kcal\n%.0f %%\n%.2f kg\n%v\n", glucose, energy, spo2, weight, err)
	// Output:
	// 99.09 mg/dL
	// 250.0 kcal
	// 97 %
	// 69.85 kg
	// normalize: unit "furlong": unknown unit
}

func ExampleParseNaive() {
	// Polar: start_time is naive local time, start_time_utc_offset minutes.
	off, _ := normalize.OffsetFromMinutes(180)
	in, _ := normalize.ParseNaive("2008-10-13T10:40:02", off)
	fmt.Println(in.Time, in.Offset)
	// Output: 2008-10-13 07:40:02 +0000 UTC +03:00
}

func ExampleClockAnchor() {
	// Polar Nightly Recharge: HRV samples keyed by local clock time of the
	// night before the date, anchored at noon the day before.
	helsinki, _ := time.LoadLocation("Europe/Helsinki")
	anchor := normalize.NewClockAnchor(time.Date(2024, 3, 30, 12, 0, 0, 0, helsinki))
	for _, clock := range []string{"23:48", "02:30", "04:10"} { // the clocks go forward at 03:00
		in, _ := anchor.After(clock)
		fmt.Println(in)
	}
	// Output:
	// 2024-03-30T23:48:00+02:00
	// 2024-03-31T02:30:00+02:00
	// 2024-03-31T04:10:00+03:00
}

func ExampleDurationConverter() {
	// RR intervals in ms, one unit lookup for the whole stream.
	ms, _ := normalize.NewDurationConverter("ms")
	for _, rr := range []float64{812, 804.5} {
		d, _ := ms.Duration(rr)
		fmt.Println(d)
	}
	// Output:
	// 812ms
	// 804.5ms
}

func ExampleParseStravaLocal() {
	// start_date_local is local wall time mislabeled with a "Z".
	in, _ := normalize.ParseStravaLocal("2018-02-16T06:52:54Z", -28800)
	fmt.Println(in)
	// Output: 2018-02-16T06:52:54-08:00
}

func ExampleParseISODuration() {
	d, _ := normalize.ParseISODuration("PT2H44M")
	e, _ := normalize.ParseISODuration("PT1H0.5S")
	fmt.Println(d, e)
	// Output: 2h44m0s 1h0m0.5s
}

func ExampleNightBounds() {
	ny, _ := time.LoadLocation("America/New_York")
	for _, d := range []wearables.Date{{Year: 2024, Month: 3, Day: 9}, {Year: 2024, Month: 6, Day: 1}, {Year: 2024, Month: 11, Day: 2}} {
		start, end := normalize.NightBounds(d, ny, 23*time.Hour, 7*time.Hour)
		fmt.Println(d, end.Sub(start))
	}
	// Output:
	// 2024-03-09 7h0m0s
	// 2024-06-01 8h0m0s
	// 2024-11-02 9h0m0s
}

func ExampleOuraPhases() {
	start := time.Date(2025, 1, 14, 22, 0, 0, 0, time.UTC)
	stages, _ := normalize.OuraPhases(start, "442221113", 5*time.Minute)
	for _, s := range stages {
		fmt.Println(s.Stage, s.Start.Format("15:04"), s.End.Format("15:04"))
	}
	t := normalize.Totals(stages)
	eff, _ := normalize.Efficiency(t, 45*time.Minute)
	fmt.Printf("asleep %s, efficiency %.0f%%\n", t.TimeAsleep(), eff)
	// Output:
	// awake 22:00 22:10
	// light 22:10 22:25
	// deep 22:25 22:40
	// rem 22:40 22:45
	// asleep 35m0s, efficiency 78%
}

func ExampleValidateBatch() {
	watch := wearables.Source{Provider: wearables.ProviderGarmin, DeviceType: wearables.DeviceWatch}
	at := time.Date(2024, 3, 9, 10, 0, 0, 0, time.UTC)
	b := &wearables.Batch{UserID: "u1", Samples: []wearables.Sample{
		{Source: watch, Type: wearables.SeriesHeartRate, Start: at, Value: 62},
		{Source: watch, Type: wearables.SeriesHeartRate, Start: at.Add(time.Second), Value: 400},
	}}
	for _, r := range normalize.ValidateBatch(b) {
		fmt.Println("rejected:", r.Reason)
	}
	fmt.Println("kept:", len(b.Samples))
	// Output:
	// rejected: heart_rate 400 bpm is outside the plausible range 20–300 bpm
	// kept: 1
}

func ExampleMerge() {
	watch := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch}
	phone := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "iPhone15,2", DeviceType: wearables.DevicePhone}
	start := time.Date(2024, 3, 9, 10, 0, 0, 0, time.UTC)
	var samples []wearables.Sample
	for m := range 120 {
		at := start.Add(time.Duration(m) * time.Minute)
		if m < 60 || m >= 90 { // the watch was off 11:00–11:30
			samples = append(samples, wearables.Sample{Source: watch, Type: wearables.SeriesSteps, Start: at, End: at.Add(time.Minute), Value: 100})
		}
		samples = append(samples, wearables.Sample{Source: phone, Type: wearables.SeriesSteps, Start: at, End: at.Add(time.Minute), Value: 80})
	}
	s, _ := normalize.Merge(samples, normalize.MergeOptions{ResampleOptions: normalize.ResampleOptions{Resolution: normalize.Hour}})
	for _, b := range s.Buckets {
		var from []string
		for _, i := range b.Sources {
			from = append(from, s.Sources[i].DeviceModel)
		}
		fmt.Println(b.Start.Format("15:04"), b.Value, from)
	}
	// Output:
	// 10:00 6000 [Watch7,5]
	// 11:00 5400 [Watch7,5 iPhone15,2]
}

func ExampleResample() {
	// A fall-back day in Warsaw has 25 hours.
	warsaw, _ := time.LoadLocation("Europe/Warsaw")
	start, end := normalize.DayBounds(wearables.Date{Year: 2024, Month: 10, Day: 27}, warsaw)
	src := wearables.Source{Provider: wearables.ProviderGarmin, DeviceType: wearables.DeviceWatch}
	var samples []wearables.Sample
	for at := start; at.Before(end); at = at.Add(15 * time.Minute) {
		samples = append(samples, wearables.Sample{Source: src, Type: wearables.SeriesSteps, Start: at, End: at.Add(15 * time.Minute), Offset: wearables.OffsetOf(at.In(warsaw)), Value: 250})
	}
	hourly, _ := normalize.Resample(samples, normalize.ResampleOptions{Resolution: normalize.Hour, Zone: warsaw})
	daily, _ := normalize.Resample(samples, normalize.ResampleOptions{Resolution: normalize.Day, Zone: warsaw})
	fmt.Println(len(hourly.Buckets), "hourly buckets of", hourly.Buckets[0].Value)
	fmt.Println(daily.Buckets[0].Date, daily.Buckets[0].Value, daily.Buckets[0].End.Sub(daily.Buckets[0].Start))
	// Output:
	// 25 hourly buckets of 1000
	// 2024-10-27 25000 25h0m0s
}

func ExampleRecordID() {
	src := wearables.Source{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", App: "com.apple.health"}
	start := time.Date(2024, 3, 9, 22, 0, 0, 0, time.UTC)
	end := start.Add(8 * time.Hour)
	fmt.Println(normalize.SleepID(src, start, end) == normalize.SleepID(src, start, end))
	fmt.Println(normalize.SleepID(src, start, end)[:5])
	// Output:
	// true
	// nid1-
}

func ExampleQuerySeries() {
	ctx := context.Background()
	st := memstore.New()
	defer st.Close()
	u := wearables.User{ExternalID: "patient-42", TimeZone: "Europe/Warsaw"}
	if err := st.CreateUser(ctx, &u); err != nil {
		fmt.Println(err)
		return
	}
	ring := wearables.Source{Provider: wearables.ProviderOura, DeviceType: wearables.DeviceRing}
	watch := wearables.Source{Provider: wearables.ProviderGarmin, DeviceType: wearables.DeviceWatch}
	at := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	b := &wearables.Batch{UserID: u.ID}
	for i := range 4 {
		t := at.Add(time.Duration(i) * 20 * time.Second)
		b.Samples = append(b.Samples,
			wearables.Sample{Source: watch, Type: wearables.SeriesHeartRate, Start: t, Offset: 7200, Value: 60 + float64(i)},
			wearables.Sample{Source: ring, Type: wearables.SeriesHeartRate, Start: t, Offset: 7200, Value: 70})
	}
	if _, err := st.WriteBatch(ctx, b); err != nil {
		fmt.Println(err)
		return
	}
	// The user trusts the ring for heart rate.
	_ = st.SetSourcePriorities(ctx, u.ID, []wearables.SourcePriority{{DataType: "heart_rate", Providers: []wearables.ProviderID{wearables.ProviderOura}}})
	series, err := normalize.QuerySeries(ctx, st, normalize.SeriesQuery{
		UserID: u.ID, Type: wearables.SeriesHeartRate, Start: at, End: at.Add(time.Hour),
		Resolution: normalize.Minute, Merged: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, bk := range series[0].Buckets {
		fmt.Println(bk.Start.In(time.FixedZone("CEST", 7200)).Format("15:04"), bk.Value, bk.Count, series[0].Sources[bk.Sources[0]].Provider)
	}
	// Output:
	// 10:00 70 3 oura
	// 10:01 70 1 oura
}
