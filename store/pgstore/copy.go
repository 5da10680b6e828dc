package pgstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strconv"
	"time"

	"github.com/lib/pq"

	"github.com/wearables-go/wearables"
)

// copyChunk is how many bytes of COPY text go to the driver at once; lib/pq
// sends its buffer when it passes 63 KiB.
const copyChunk = 60 << 10

// copyDataStmt is lib/pq's COPY … FROM STDIN statement: CopyData adds text
// to the stream (a newline is appended), Exec(nil) ends it.
type copyDataStmt interface {
	CopyData(ctx context.Context, line string) (driver.Result, error)
}

// copyLines runs the COPY … FROM STDIN statement query on conn, inside the
// transaction open on it, with n rows in COPY's text format: line appends
// row i (without its newline) to b. Rows are encoded here rather than
// passed through database/sql one by one, which costs a driver call, an
// argument conversion and several allocations per row.
func copyLines(ctx context.Context, conn *sql.Conn, query string, n int, line func(b []byte, i int) []byte) error {
	return conn.Raw(func(dc any) (err error) {
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("driver cannot prepare statements")
		}
		st, err := prep.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := st.Close(); err == nil {
				err = cerr
			}
		}()
		cd, ok := st.(copyDataStmt)
		if !ok {
			return errors.New("driver does not stream COPY data")
		}
		buf := make([]byte, 0, copyChunk+512)
		for i := 0; i < n; i++ {
			buf = append(line(buf, i), '\n')
			if len(buf) >= copyChunk || i == n-1 {
				// CopyData appends the last newline itself.
				if _, err := cd.CopyData(ctx, string(buf[:len(buf)-1])); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		//nolint:staticcheck // Exec(nil) is how lib/pq ends a COPY and reports its errors.
		_, err = st.Exec(nil)
		return err
	})
}

// appendSampleRow appends a sample in COPY text format: series_type,
// start_time, source_id, end_time, utc_offset, value and, when userPK ≥ 0,
// user_pk.
func appendSampleRow(b []byte, sm *wearables.Sample, srcID, userPK int64) []byte {
	b = strconv.AppendInt(b, int64(sm.Type), 10)
	b = append(b, '\t')
	b = appendTimestamp(b, sm.Start)
	b = append(b, '\t')
	b = strconv.AppendInt(b, srcID, 10)
	b = append(b, '\t')
	if sm.End.IsZero() {
		b = append(b, `\N`...)
	} else {
		b = appendTimestamp(b, sm.End)
	}
	b = append(b, '\t')
	if sm.Offset.Known() {
		b = strconv.AppendInt(b, int64(sm.Offset), 10)
	} else {
		b = append(b, `\N`...)
	}
	b = append(b, '\t')
	b = strconv.AppendFloat(b, sm.Value, 'g', -1, 64) // shortest text that reads back as the same float64
	if userPK >= 0 {
		b = append(b, '\t')
		b = strconv.AppendInt(b, userPK, 10)
	}
	return b
}

// appendTimestamp appends t, truncated to microseconds, as timestamptz
// input: "2006-01-02 15:04:05.000000+00".
func appendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 1 || y > 9999 {
		return append(b, pq.FormatTimestamp(ts(t))...)
	}
	h, mi, s := t.Clock()
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(mo), 2)
	b = append(b, '-')
	b = appendDigits(b, d, 2)
	b = append(b, ' ')
	b = appendDigits(b, h, 2)
	b = append(b, ':')
	b = appendDigits(b, mi, 2)
	b = append(b, ':')
	b = appendDigits(b, s, 2)
	if us := t.Nanosecond() / 1000; us != 0 {
		b = append(b, '.')
		b = appendDigits(b, us, 6)
	}
	return append(b, "+00"...)
}

// appendDigits appends v (≥ 0) zero-padded to width digits.
func appendDigits(b []byte, v, width int) []byte {
	var tmp [8]byte
	for i := width - 1; i >= 0; i-- {
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[:width]...)
}
