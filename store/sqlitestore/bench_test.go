package sqlitestore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
)

// benchBatch is the size of one WriteBatch in the benchmarks.
const benchBatch = 10_000

var benchSources = []wearables.Source{
	{Provider: wearables.ProviderAppleHealth, DeviceModel: "Watch7,5", DeviceType: wearables.DeviceWatch, App: "com.apple.health"},
	{Provider: wearables.ProviderGarmin, DeviceModel: "Forerunner 965", DeviceType: wearables.DeviceWatch},
}

var benchStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// benchSamples returns batch i: 2 sources × 2 series × 2,500 one-second
// starts, each batch the next 2,500 seconds.
func benchSamples(i int) []wearables.Sample {
	out := make([]wearables.Sample, 0, benchBatch)
	per := benchBatch / 4
	off := wearables.Offset(3600)
	for _, src := range benchSources {
		for _, typ := range []wearables.SeriesType{wearables.SeriesHeartRate, wearables.SeriesSteps} {
			for j := range per {
				at := benchStart.Add(time.Duration(i*per+j) * time.Second)
				s := wearables.Sample{Source: src, Type: typ, Start: at, Offset: off, Value: float64(60 + j%50)}
				if typ == wearables.SeriesSteps {
					s.End = at.Add(time.Second)
				}
				out = append(out, s)
			}
		}
	}
	return out
}

func benchStore(b *testing.B) (*Store, string) {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), WithAutoMigrate())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	u := wearables.User{}
	if err := s.CreateUser(context.Background(), &u); err != nil {
		b.Fatal(err)
	}
	return s, u.ID
}

// rawInsert times a plain prepared single-row INSERT of the rows of batches
// 0..n-1, one transaction per batch, into a table shaped like samples but
// without foreign keys, on s's writer pool. It returns rows per second.
func rawInsert(b *testing.B, s *Store, n int) float64 {
	b.Helper()
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE raw_samples (user_pk INTEGER NOT NULL, series_type INTEGER NOT NULL,
		start_us INTEGER NOT NULL, source_id INTEGER NOT NULL, end_us INTEGER, utc_offset INTEGER, value REAL NOT NULL,
		PRIMARY KEY (user_pk, series_type, start_us, source_id)) WITHOUT ROWID`); err != nil {
		b.Fatal(err)
	}
	rows := make([][]sampleRow, n)
	for i := range rows {
		for _, smp := range benchSamples(i) {
			src := int64(1)
			if smp.Source == benchSources[1] {
				src = 2
			}
			rows[i] = append(rows[i], sampleRow{typ: int64(smp.Type), start: smp.Start.UnixMicro(), src: src,
				end: nullMicros(smp.End), offset: nullOffset(smp.Offset), value: smp.Value})
		}
	}
	start := time.Now()
	for _, batch := range rows {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO raw_samples (user_pk, series_type, start_us, source_id, end_us, utc_offset, value) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range batch {
			if _, err := st.ExecContext(ctx, int64(1), r.typ, r.start, r.src, r.end, r.offset, r.value); err != nil {
				b.Fatal(err)
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(n*benchBatch) / time.Since(start).Seconds()
}

// BenchmarkWriteSamples measures WriteBatch of 10,000-sample batches: of new
// samples ("new", each iteration the next time window, so -benchtime 100x
// writes 1,000,000), and of samples already stored ("reingest", all
// unchanged). It reports samples/s and, for "new", the ratio to a raw
// prepared-statement INSERT of the same rows into a same-shaped plain table
// measured in the same run ("x-raw").
//
// The variants vary the tuning: rows per INSERT statement (sampleInsertRows)
// and point lookups instead of range reads of stored rows (gap=0).
func BenchmarkWriteSamples(b *testing.B) {
	ctx := context.Background()
	for _, v := range []struct {
		name string
		rows int
		gap  int64
	}{
		{"default", sampleInsertRowsDefault, sampleClusterGapDefault},
		{"rows=1", 1, sampleClusterGapDefault},
		{"rows=16", 16, sampleClusterGapDefault},
		{"rows=64", 64, sampleClusterGapDefault},
		{"point-lookups", sampleInsertRowsDefault, 0},
	} {
		b.Run("new/"+v.name, func(b *testing.B) {
			defer setTuning(v.rows, v.gap)()
			s, uid := benchStore(b)
			batches := make([][]wearables.Sample, 0, 128)
			i := 0
			for b.Loop() {
				b.StopTimer()
				for len(batches) <= i {
					batches = append(batches, benchSamples(len(batches)))
				}
				b.StartTimer()
				res, err := s.WriteBatch(ctx, &wearables.Batch{UserID: uid, Samples: batches[i]})
				if err != nil {
					b.Fatal(err)
				}
				if res.Samples.Inserted != benchBatch {
					b.Fatalf("inserted %d", res.Samples.Inserted)
				}
				i++
			}
			rate := float64(i*benchBatch) / b.Elapsed().Seconds()
			b.ReportMetric(rate, "samples/s")
			if v.rows == sampleInsertRowsDefault && v.gap == sampleClusterGapDefault {
				raw := rawInsert(b, s, i)
				b.ReportMetric(raw, "raw-samples/s")
				b.ReportMetric(rate/raw, "x-raw")
			}
		})
	}
	for _, v := range []struct {
		name string
		gap  int64
	}{{"range-reads", sampleClusterGapDefault}, {"point-lookups", 0}} {
		b.Run("reingest/"+v.name, func(b *testing.B) {
			defer setTuning(sampleInsertRowsDefault, v.gap)()
			s, uid := benchStore(b)
			const stored = 20
			batches := make([][]wearables.Sample, stored)
			for i := range batches {
				batches[i] = benchSamples(i)
				if _, err := s.WriteBatch(ctx, &wearables.Batch{UserID: uid, Samples: batches[i]}); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			for b.Loop() {
				res, err := s.WriteBatch(ctx, &wearables.Batch{UserID: uid, Samples: batches[i%stored]})
				if err != nil {
					b.Fatal(err)
				}
				if res.Samples.Unchanged != benchBatch {
					b.Fatalf("unchanged %d", res.Samples.Unchanged)
				}
				i++
			}
			b.ReportMetric(float64(i*benchBatch)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// The tuning write.go ships with.
var sampleInsertRowsDefault, sampleClusterGapDefault = sampleInsertRows, sampleClusterGap

func setTuning(rows int, gap int64) (restore func()) {
	r, g := sampleInsertRows, sampleClusterGap
	sampleInsertRows, sampleClusterGap = rows, gap
	return func() { sampleInsertRows, sampleClusterGap = r, g }
}

// BenchmarkQuerySamples pages through 200,000 stored samples of two types,
// 10,000 per page, asking for those two types or for every catalog type.
func BenchmarkQuerySamples(b *testing.B) {
	ctx := context.Background()
	s, uid := benchStore(b)
	const n = 20
	for i := range n {
		if _, err := s.WriteBatch(ctx, &wearables.Batch{UserID: uid, Samples: benchSamples(i)}); err != nil {
			b.Fatal(err)
		}
	}
	var all []wearables.SeriesType
	for _, info := range wearables.SeriesTypes() {
		all = append(all, info.ID)
	}
	for _, v := range []struct {
		name  string
		types []wearables.SeriesType
	}{
		{"two-types", []wearables.SeriesType{wearables.SeriesHeartRate, wearables.SeriesSteps}},
		{"all-types", all},
	} {
		b.Run(v.name, func(b *testing.B) {
			total := 0
			for b.Loop() {
				q := wearables.SampleQuery{UserID: uid, Types: v.types, Start: benchStart, End: benchStart.Add(24 * time.Hour), Limit: 10_000}
				got := 0
				for {
					page, err := s.QuerySamples(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					got += len(page.Items)
					if page.Next == "" {
						break
					}
					q.Cursor = page.Next
				}
				if got != n*benchBatch {
					b.Fatal(fmt.Sprint("read ", got))
				}
				total += got
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}
