package applehealth

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wearables-go/wearables"
)

// ImportOptions configures Import and ImportFile. The zero value is ready to use.
type ImportOptions struct {
	// Decode configures the decoder (batch size, sleep session gap).
	Decode DecodeOptions
	// Writers is how many batches are written concurrently. Defaults to 1;
	// PostgreSQL gains from 2. The decoder runs in its own goroutine either
	// way, so parsing and writing overlap.
	Writers int
	// OnProgress, when set, is called from one goroutine at a time at most
	// every ProgressInterval while importing and once at the end.
	OnProgress func(Progress)
	// ProgressInterval defaults to 200 ms.
	ProgressInterval time.Duration
	// TotalBytes is the size of the XML stream, when known, for Progress.
	// ImportFile sets it.
	TotalBytes int64
}

// Progress is a snapshot of a running import.
type Progress struct {
	BytesRead  int64         // bytes of XML read
	TotalBytes int64         // size of the XML stream, 0 when unknown
	Records    int64         // records written (inserted, updated or unchanged)
	Rejected   int64         // records refused by normalization (while running: by plausibility checks only)
	Elapsed    time.Duration // since the import started
}

// RecordsPerSecond is the write rate so far.
func (p Progress) RecordsPerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Records) / p.Elapsed.Seconds()
}

// BytesPerSecond is the read rate so far.
func (p Progress) BytesPerSecond() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.BytesRead) / p.Elapsed.Seconds()
}

// Report is the outcome of an import.
type Report struct {
	// Stats is what the decoder read: records by type, unknown types and
	// elements, rejections with reasons.
	Stats Stats `json:"stats"`
	// Written is what the store did, per record kind: inserted, updated,
	// unchanged.
	Written wearables.WriteResult `json:"written"`
	// Batches is the number of batches written.
	Batches int           `json:"batches"`
	Elapsed time.Duration `json:"elapsed"`
	// Fault, when the export was malformed or truncated, says where and
	// why; everything before it was imported.
	Fault *SyntaxError `json:"fault,omitempty"`
}

// Import reads an export.xml stream, normalizes it and writes it through w
// as the records of userID, in batches, with bounded memory: one batch being
// decoded, at most Writers+1 waiting or being written.
//
// The report is filled in every case. A malformed or truncated export
// imports every record completed before the fault and returns an error
// wrapping the *SyntaxError that is also in Report.Fault. A store error
// stops the import and is returned wrapped. A cancelled ctx stops it and
// returns ctx.Err() wrapped. Importing the same export twice leaves the
// store unchanged the second time (every record counts as Unchanged).
func Import(ctx context.Context, r io.Reader, w wearables.RecordWriter, userID string, opts ImportOptions) (Report, error) {
	if userID == "" {
		return Report{}, fmt.Errorf("applehealth: import: user id is empty: %w", wearables.ErrInvalid)
	}
	if opts.Writers <= 0 {
		opts.Writers = 1
	}
	if opts.ProgressInterval <= 0 {
		opts.ProgressInterval = 200 * time.Millisecond
	}
	started := time.Now()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	maxRej := opts.Decode.MaxRejections
	if maxRej <= 0 {
		maxRej = 100
	}
	opts.Decode.SkipValidation = true
	dec := NewDecoder(r, opts.Decode)
	batches := make(chan *wearables.Batch, opts.Writers)
	var (
		bytesRead atomic.Int64
		decErr    error
		stats     Stats
	)
	go func() {
		defer close(batches)
		for {
			b, err := dec.Next(ctx)
			bytesRead.Store(dec.BytesRead())
			if err != nil {
				if err != io.EOF {
					decErr = err
				}
				stats = dec.Stats()
				return
			}
			b.UserID = userID
			select {
			case batches <- b:
			case <-ctx.Done():
				stats = dec.Stats()
				decErr = context.Cause(ctx)
				return
			}
		}
	}()

	var (
		mu       sync.Mutex
		written  wearables.WriteResult
		nBatches int
		writeErr error
		lastProg time.Time
		valStats Stats // rejections found by the writers' validation
	)
	progress := func(final bool) {
		// Called with mu held.
		if opts.OnProgress == nil {
			return
		}
		now := time.Now()
		if !final && now.Sub(lastProg) < opts.ProgressInterval {
			return
		}
		lastProg = now
		opts.OnProgress(Progress{
			BytesRead:  bytesRead.Load(),
			TotalBytes: opts.TotalBytes,
			Records:    int64(written.Total().Total()),
			Rejected:   valStats.RejectedTotal(),
			Elapsed:    now.Sub(started),
		})
	}
	var wg sync.WaitGroup
	for range opts.Writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				mu.Lock()
				failed := writeErr != nil
				mu.Unlock()
				if failed {
					continue // drain, so the decoder can stop
				}
				var vs Stats
				vs.Validate(b, maxRej)
				if len(vs.Rejected) > 0 {
					mu.Lock()
					valStats.merge(&vs, maxRej)
					mu.Unlock()
				}
				if b.Len() == 0 {
					continue
				}
				res, err := w.WriteBatch(ctx, b)
				mu.Lock()
				if err != nil {
					if writeErr == nil {
						writeErr = err
						cancel(err)
					}
					mu.Unlock()
					continue
				}
				written = written.Add(res)
				nBatches++
				progress(false)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	rep := Report{Stats: stats, Written: written, Batches: nBatches, Elapsed: time.Since(started)}
	rep.Stats.merge(&valStats, maxRej)
	mu.Lock()
	if opts.OnProgress != nil {
		opts.OnProgress(Progress{
			BytesRead:  rep.Stats.BytesRead,
			TotalBytes: opts.TotalBytes,
			Records:    int64(written.Total().Total()),
			Rejected:   rep.Stats.RejectedTotal(),
			Elapsed:    rep.Elapsed,
		})
	}
	mu.Unlock()
	var se *SyntaxError
	if errors.As(decErr, &se) {
		rep.Fault = se
	}
	switch {
	case writeErr != nil:
		return rep, fmt.Errorf("applehealth: import: write batch: %w", writeErr)
	case decErr != nil && rep.Fault != nil:
		return rep, decErr
	case decErr != nil:
		return rep, fmt.Errorf("applehealth: import: %w", decErr)
	}
	return rep, nil
}

// ImportFile imports the export at path: an export.xml, or an export.zip
// whose export.xml is read straight out of the archive without extracting
// it. See Import.
func ImportFile(ctx context.Context, path string, w wearables.RecordWriter, userID string, opts ImportOptions) (Report, error) {
	rc, size, err := OpenExport(path)
	if err != nil {
		return Report{}, err
	}
	defer rc.Close()
	if opts.TotalBytes == 0 {
		opts.TotalBytes = size
	}
	return Import(ctx, rc, w, userID, opts)
}

// OpenExport opens an export for reading: a plain export.xml, or the
// export.xml inside an export.zip (apple_health_export/export.xml, or any
// entry named export.xml), decompressed as it is read. size is the size of
// the XML stream. Errors: the file cannot be opened (wrapping the os
// error), or a zip without export.xml (matching wearables.ErrInvalid).
func OpenExport(name string) (rc io.ReadCloser, size int64, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, fmt.Errorf("applehealth: open export: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("applehealth: open export: %w", err)
	}
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	if n == 4 && bytes.Equal(magic[:], []byte("PK\x03\x04")) {
		zr, err := zip.NewReader(f, fi.Size())
		if err != nil {
			f.Close()
			return nil, 0, fmt.Errorf("applehealth: open export: read zip: %v: %w", err, wearables.ErrInvalid)
		}
		var entry *zip.File
		for _, zf := range zr.File {
			if path.Base(zf.Name) != "export.xml" || strings.HasPrefix(path.Base(path.Dir(zf.Name)), "__MACOSX") {
				continue
			}
			if entry == nil || zf.Name == "apple_health_export/export.xml" {
				entry = zf
			}
		}
		if entry == nil {
			f.Close()
			return nil, 0, fmt.Errorf("applehealth: open export: %s holds no export.xml: %w", name, wearables.ErrInvalid)
		}
		er, err := entry.Open()
		if err != nil {
			f.Close()
			return nil, 0, fmt.Errorf("applehealth: open export: %s: %w", entry.Name, err)
		}
		return &zipEntryReader{ReadCloser: er, f: f}, int64(entry.UncompressedSize64), nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("applehealth: open export: %w", err)
	}
	return f, fi.Size(), nil
}

type zipEntryReader struct {
	io.ReadCloser
	f *os.File
}

func (z *zipEntryReader) Close() error {
	err := z.ReadCloser.Close()
	if ferr := z.f.Close(); err == nil {
		err = ferr
	}
	return err
}
