package applehealth

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/internal/testenv"
	"github.com/wearables-go/wearables/providers/applehealth/exportgen"
	"github.com/wearables-go/wearables/store/pgstore"
	"github.com/wearables-go/wearables/store/sqlitestore"
)

// Benchmarks read a generated export cached under os.TempDir()
// (wearables-applehealth-bench/). Its size in MiB comes from
// WEARABLES_BENCH_EXPORT_MB; by default 16 MiB for parsing and 4 MiB for the
// end-to-end imports, so that `go test -bench .` stays quick. The figures
// of the package documentation use 1024 (parse) and 2048 (import).

// benchExport returns the path and size of a cached generated export.
func benchExport(b *testing.B, defaultMB int) (string, int64) {
	b.Helper()
	mb := defaultMB
	if v := os.Getenv("WEARABLES_BENCH_EXPORT_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("WEARABLES_BENCH_EXPORT_MB=%q is not a positive number", v)
		}
		mb = n
	}
	dir := filepath.Join(os.TempDir(), "wearables-applehealth-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("export-%dmb-seed1.xml", mb))
	if fi, err := os.Stat(path); err == nil {
		return path, fi.Size()
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	st, err := exportgen.Write(f, exportgen.Config{Seed: 1, Size: int64(mb) << 20})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		b.Fatal(err)
	}
	return path, st.Bytes
}

// parseFile decodes a whole file and returns the number of records emitted.
func parseFile(b *testing.B, path string, stdlib, validate bool) int64 {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	d := NewDecoder(f, DecodeOptions{stdlib: stdlib, SkipValidation: !validate})
	var n int64
	for {
		batch, err := d.Next(context.Background())
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n += int64(batch.Len())
	}
}

// baselines caches one timed encoding/xml pass per file.
var baselines sync.Map // path → time.Duration

func baseline(b *testing.B, path string, parse func() int64) time.Duration {
	if d, ok := baselines.Load(path); ok {
		return d.(time.Duration)
	}
	start := time.Now()
	parse()
	d := time.Since(start)
	baselines.Store(path, d)
	return d
}

// BenchmarkParse decodes a generated export into typed, unit-converted
// records with the fast tokenizer, and reports its speed as a ratio over the
// encoding/xml reference path timed in the same run (x_encoding_xml).
// Plausibility validation, a separate normalize stage that Import runs
// concurrently, is left out here and measured by BenchmarkParseValidated.
func BenchmarkParse(b *testing.B) { benchParse(b, false) }

// BenchmarkParseValidated is BenchmarkParse with normalize's validation of
// every batch in the same goroutine.
func BenchmarkParseValidated(b *testing.B) { benchParse(b, true) }

func benchParse(b *testing.B, validate bool) {
	path, size := benchExport(b, 16)
	b.StopTimer()
	base := baseline(b, "parse:"+strconv.FormatBool(validate)+path, func() int64 { return parseFile(b, path, true, validate) })
	b.SetBytes(size)
	b.ReportAllocs()
	b.StartTimer()
	var recs int64
	for range b.N {
		recs = parseFile(b, path, false, validate)
	}
	b.StopTimer()
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(recs)/perOp.Seconds(), "records/s")
	b.ReportMetric(float64(base)/float64(perOp), "x_encoding_xml")
}

// BenchmarkParseEncodingXML is the reference path alone: the same decoding
// on encoding/xml tokens.
func BenchmarkParseEncodingXML(b *testing.B) {
	path, size := benchExport(b, 16)
	b.SetBytes(size)
	var recs int64
	for range b.N {
		recs = parseFile(b, path, true, false)
	}
	b.ReportMetric(float64(recs)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkTokenize measures the tokenizers alone (no mapping), fast over
// encoding/xml.
func BenchmarkTokenize(b *testing.B) {
	path, size := benchExport(b, 16)
	tokenize := func(std bool) int64 {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		var tr tokenReader
		if std {
			tr = newStdTokenReader(f)
		} else {
			tr = newTokenizer(f)
		}
		var n int64
		for {
			_, err := tr.next()
			if err == io.EOF {
				return n
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.StopTimer()
	base := baseline(b, "tokenize:"+path, func() int64 { return tokenize(true) })
	b.SetBytes(size)
	b.StartTimer()
	for range b.N {
		tokenize(false)
	}
	b.StopTimer()
	b.ReportMetric(float64(base)/float64(b.Elapsed()/time.Duration(b.N)), "x_encoding_xml")
}

// The reference platform imports 2,100 records/s; x_reference reports ours
// over that figure.
const referenceRecordsPerSecond = 2100

type benchStore interface {
	wearables.RecordWriter
	wearables.UserStore
}

func benchImport(b *testing.B, open func(b *testing.B) benchStore, writers int) {
	path, size := benchExport(b, 4)
	b.SetBytes(size)
	var records int64
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		s := open(b)
		user := newUser(b, s)
		b.StartTimer()
		start := time.Now()
		rep, err := ImportFile(context.Background(), path, s, user, ImportOptions{Writers: writers})
		if err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		records += int64(rep.Written.Total().Total())
	}
	rate := float64(records) / elapsed.Seconds()
	b.ReportMetric(rate, "records/s")
	b.ReportMetric(rate/referenceRecordsPerSecond, "x_reference")
}

// BenchmarkImportSQLite imports a generated export end to end into a fresh
// SQLite file.
func BenchmarkImportSQLite(b *testing.B) {
	benchImport(b, func(b *testing.B) benchStore {
		s, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlitestore.WithAutoMigrate())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}, 1)
}

// BenchmarkImportPostgres imports a generated export end to end into
// PostgreSQL (WEARABLES_TEST_POSTGRES_URL; skipped without it), a new user
// per iteration.
func BenchmarkImportPostgres(b *testing.B) {
	for _, writers := range []int{1, 2} {
		b.Run("writers="+strconv.Itoa(writers), func(b *testing.B) {
			benchImport(b, func(b *testing.B) benchStore {
				s, err := pgstore.Open(context.Background(), testenv.PostgresURL(b), pgstore.WithAutoMigrate())
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { s.Close() })
				return s
			}, writers)
		})
	}
}
