// Package applehealth imports Apple Health data: the export.xml (or
// export.zip) the Health app writes, and batches of HealthKit or Health
// Connect samples pushed by a mobile app. Apple Health has no cloud API and
// no OAuth, so this package is an importer, not a wearables.Provider.
//
// # Importing an export
//
//	rep, err := applehealth.ImportFile(ctx, "export.zip", store, userID, applehealth.ImportOptions{
//		OnProgress: func(p applehealth.Progress) { … },
//	})
//
// ImportFile reads export.xml straight out of export.zip (no extraction) or
// a plain export.xml; Import takes any io.Reader. The export is streamed:
// decode → normalize → batched upsert through a wearables.RecordWriter, with
// one batch being decoded and at most Writers+1 batches in flight, so memory
// does not depend on the export's size (about 50 MB of peak RSS for the
// whole `wearables import` process on a 2 GB export). The Report counts
// records by type, what the store inserted, updated and left unchanged per
// record kind, records rejected with their reasons, and the types and
// elements that were not imported. Importing the same export twice changes
// nothing the second time. A truncated or corrupt export imports every
// record before the fault and returns a *SyntaxError with the byte offset
// and the reason (also in Report.Fault). Cancelling ctx stops the import.
//
// Decoder is the streaming layer alone: NewDecoder(r, opts).Next(ctx) yields
// batches of normalized records, for callers that write elsewhere.
//
// # What is imported
//
//   - Record elements of every HealthKit quantity type that maps to the
//     series catalog (HKQuantityTypes), values converted from the export's
//     unit strings by normalize's registry ("count/min", "%" as a fraction
//     → percent, "lb", "mmol<180.15588000005408>/L", "degF", "Cal", "kJ",
//     "mi", "ft", "mL/min·kg" …); AppleStandHour (1 stood, 0 idle) and
//     MindfulSession (its duration) categories. Instant samples have
//     start = end; interval samples keep their end.
//   - Sources: the source name (App), the device attribute
//     ("<<HKDevice: …>, name:Apple Watch, …, hardware:Watch6,12, …>") parsed
//     into DeviceModel and DeviceType (watch, phone, ring, scale, strap, app
//     when there is no device), HKWasUserEntered into RecordingManual. The
//     sourceVersion is read but not part of the source, which would
//     otherwise split one device's data at every OS update.
//   - Offsets: each date's own offset ("2024-03-10 01:59:30 -0800"), or,
//     when a record carries HKMetadataKeyTimeZone, that zone's offset at
//     the record's start. The older 12-hour form ("2021-12-24 8:02:43 PM
//     -0500") is read too.
//   - Workout elements with the activity type map for every
//     HKWorkoutActivityType (HKWorkoutActivityTypes; HKIndoorWorkout and
//     HKSwimmingLocationType refine running, cycling, rowing and swimming;
//     an unknown type is WorkoutOther with its raw name kept), totals from
//     the attributes of older exports or from WorkoutStatistics (iOS 16+:
//     energy, distance, heart rate avg/min/max, steps, power, speed,
//     cadence), the duration attribute as moving time, Lap (else Segment)
//     events as laps, HKElevationAscended/Descended. Route files
//     (WorkoutRoute) are counted as skipped.
//   - Sleep from HKCategoryTypeIdentifierSleepAnalysis assembled into
//     sessions per source (see the sleep section of sleep.go: one-hour
//     session gap, normalize's stage overlap rules, normalize.IsNap for
//     naps); overlapping iPhone and Watch sessions are both kept and
//     resolved by normalize.MergeSleep in derived views.
//   - ActivitySummary as a daily summary (active energy, move and exercise
//     time, stand hours) of the source {applehealth, App "Activity"}.
//   - Correlation (blood pressure, food): its component records.
//
// The DTD is skipped, never validated (some iOS versions wrote a malformed
// one); entities and character references in attribute values are decoded.
// Elements and types the importer does not know are counted in Stats and
// reported, never fatal.
//
// # Speed
//
// The tokenizer is built for export.xml's flat, attribute-heavy shape: it
// reads tags straight out of one reused buffer, allocating nothing per
// token. encoding/xml is kept as the reference: the differential test
// decodes hand-written and generated exports with both and requires
// identical records; FuzzTokenizer and FuzzParseDate compare them on
// arbitrary input.
//
// Measured on the 2-vCPU development machine (AMD EPYC, shared with other
// work, so figures vary by ±30 % between runs), on exports written by
// package exportgen:
//
//	parse a 1 GiB export (2.6 M records):   ~580 MB/s, ~1.4 M records/s, ~13× encoding/xml
//	import 2 GiB (5.18 M records) into SQLite:        ~200,000–250,000 records/s
//	import 2 GiB (5.18 M records) into PostgreSQL 15: ~200,000–290,000 records/s
//	peak RSS of `wearables import` on the 2 GiB export: ~52 MB (SQLite), ~47 MB (PostgreSQL)
//
// The benchmarks generate (and cache under os.TempDir()) an export whose
// size in MiB is WEARABLES_BENCH_EXPORT_MB, 16 MiB for parsing and 4 MiB
// for imports by default, so that `go test -bench .` stays quick:
//
//	WEARABLES_BENCH_EXPORT_MB=1024 go test ./providers/applehealth -run '^$' -bench 'BenchmarkParse$|Tokenize' -benchtime 2x
//	WEARABLES_BENCH_EXPORT_MB=2048 WEARABLES_TEST_POSTGRES_URL=postgres://… go test ./providers/applehealth -run '^$' -bench Import -benchtime 1x
//	go run ./providers/applehealth/exportgen/genexport -size 2048 -o /tmp/gen2g.xml
//	go build -o /tmp/wearables ./server/cmd/wearables
//	/usr/bin/time -v /tmp/wearables import apple-health /tmp/gen2g.xml --create-user --user bench --sqlite-path /tmp/bench.db
//
// BenchmarkParse reports x_encoding_xml, its speed over the encoding/xml
// path timed in the same run; BenchmarkImport* report records/s and
// x_reference, the rate over the reference platform's 2,100 records/s.
// Parsing leaves out normalize's plausibility validation, which Import runs
// in its writer goroutines concurrently with decoding
// (BenchmarkParseValidated measures both in one goroutine).
//
// # The push format
//
// ParsePush reads the JSON batch format a mobile app uses to push HealthKit
// or Health Connect samples, workouts and sleep sessions (documented in
// push.go and by the PushBatch types), and normalizes it through the same
// path: the same type maps, unit registry, sleep assembly, sources and
// validation. HealthKit records pushed by an app and the same records in a
// later export are one record in the store.
//
// # Concurrency
//
// Import, ImportFile, OpenExport and ParsePush are safe for concurrent use;
// a Decoder is not.
package applehealth
