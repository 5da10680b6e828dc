package applehealth_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/providers/applehealth"
	"github.com/wearables-go/wearables/store/memstore"
)

const tinyExport = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>]>
<HealthData locale="en_US">
 <ExportDate value="2024-05-10 10:00:00 +0200"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Kevin’s Apple Watch" sourceVersion="10.1" device="&lt;&lt;HKDevice: 0x283e0c8c0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,12, software:10.1&gt;" unit="count/min" creationDate="2024-03-10 01:59:31 -0800" startDate="2024-03-10 01:59:30 -0800" endDate="2024-03-10 01:59:30 -0800" value="72"/>
 <Record type="HKQuantityTypeIdentifierOxygenSaturation" sourceName="Kevin’s Apple Watch" sourceVersion="10.1" unit="%" creationDate="2024-03-10 04:00:00 -0700" startDate="2024-03-10 04:00:00 -0700" endDate="2024-03-10 04:00:00 -0700" value="0.97"/>
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Withings" sourceVersion="6.3.1" unit="lb" creationDate="2024-03-11 07:00:00 -0700" startDate="2024-03-11 07:00:00 -0700" endDate="2024-03-11 07:00:00 -0700" value="165.5"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Kevin’s Apple Watch" sourceVersion="10.1" unit="count/min" creationDate="2024-03-12 09:00:00 -0700" startDate="2024-03-12 09:00:00 -0700" endDate="2024-03-12 09:00:00 -0700" value="400"/>
</HealthData>`

// Import an export into a store, twice: the second import changes nothing.
func ExampleImport() {
	ctx := context.Background()
	store := memstore.New()
	user := wearables.User{ExternalID: "kevin"}
	if err := store.CreateUser(ctx, &user); err != nil {
		panic(err)
	}
	for range 2 {
		rep, err := applehealth.Import(ctx, strings.NewReader(tinyExport), store, user.ID, applehealth.ImportOptions{})
		if err != nil {
			panic(err)
		}
		c := rep.Written.Samples
		fmt.Printf("samples: %d inserted, %d updated, %d unchanged; %d rejected\n", c.Inserted, c.Updated, c.Unchanged, rep.Stats.RejectedTotal())
	}
	// Output:
	// samples: 3 inserted, 0 updated, 0 unchanged; 1 rejected
	// samples: 0 inserted, 0 updated, 3 unchanged; 1 rejected
}

// Decode an export without a store: batches of normalized records.
func ExampleDecoder() {
	d := applehealth.NewDecoder(strings.NewReader(tinyExport), applehealth.DecodeOptions{})
	b, err := d.Next(context.Background())
	if err != nil {
		panic(err)
	}
	for _, s := range b.Samples {
		fmt.Printf("%s %s %.2f %s (offset %s, %s)\n", s.Start.Format("2006-01-02T15:04:05Z"), s.Type, s.Value, s.Type.Unit(), s.Offset, s.Source.DeviceType)
	}
	// Output:
	// 2024-03-10T09:59:30Z heart_rate 72.00 bpm (offset -08:00, watch)
	// 2024-03-10T11:00:00Z oxygen_saturation 97.00 % (offset -07:00, watch)
	// 2024-03-11T14:00:00Z weight 75.07 kg (offset -07:00, app)
}

// Parse a batch pushed by a mobile app.
func ExampleParsePush() {
	res, err := applehealth.ParsePush([]byte(`{"platform": "healthconnect", "samples": [
		{"type": "Steps", "value": 1200, "unit": "count", "start": "2024-03-10T09:00:00+05:45", "end": "2024-03-10T09:15:00+05:45",
		 "client_record_id": "steps-1", "source": {"bundle_id": "com.google.android.apps.fitness", "device": {"type": "WATCH"}}}]}`))
	if err != nil {
		panic(err)
	}
	s := res.Records.Samples[0]
	fmt.Println(s.Type, s.Value, s.Start.Format("15:04Z"), s.End.Format("15:04Z"), s.Offset, s.Source.Provider, s.Source.App)
	// Output:
	// steps 1200 03:15Z 03:30Z +05:45 healthconnect com.google.android.apps.fitness
}
