package pgstore

import (
	"context"
	"database/sql"

	"github.com/wearables-go/wearables"
)

// CopyRawSamples copies samples, all of source srcID and user userPK, into
// table with the store's own COPY encoding, in the transaction open on conn:
// the benchmarks' raw-COPY baseline.
func CopyRawSamples(ctx context.Context, conn *sql.Conn, table string, samples []wearables.Sample, srcID, userPK int64) error {
	return copyLines(ctx, conn, `COPY `+table+` (series_type, start_time, source_id, end_time, utc_offset, value, user_pk) FROM STDIN`, len(samples),
		func(b []byte, i int) []byte { return appendSampleRow(b, &samples[i], srcID, userPK) })
}
