package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/batchprep"
)

// WriteBatch upserts every record of b on its natural key and applies its
// deletes and cursor, all in one transaction: a batch that fails writes
// nothing. A record whose stored twin is identical, or has a higher Version,
// is counted Unchanged and not rewritten. Errors: an invalid batch, a batch
// of a user that does not exist, or a cursor of a connection that does not
// belong to the batch's user match ErrInvalid, and so does text the
// database cannot store (a NUL byte, invalid UTF-8); database errors are
// wrapped.
//
// Samples are written with COPY, straight into the table when they are all
// new, through a staging table otherwise (see the package documentation);
// workouts, sleep, summaries and scores are upserted from arrays in one
// statement per kind. WriteBatch is safe for concurrent use; concurrent
// writers of the same data end with one copy of each row.
func (s *Store) WriteBatch(ctx context.Context, b *wearables.Batch) (wearables.WriteResult, error) {
	pb, err := batchprep.Prepare(b)
	if err != nil {
		return wearables.WriteResult{}, fmt.Errorf("pgstore: write batch: %w", err)
	}
	// Encode documents before the transaction, so it holds its locks only
	// while talking to the database.
	docs, err := encodeDocs(pb)
	if err != nil {
		return wearables.WriteResult{}, fmt.Errorf("pgstore: write batch: %w", err)
	}
	var res wearables.WriteResult
	// The transaction runs on a connection of its own, so that COPY can
	// reach the driver connection under it (see copyLines).
	conn, err := s.db.Connx(ctx)
	if err != nil {
		return wearables.WriteResult{}, fmt.Errorf("pgstore: write batch: %w", err)
	}
	defer conn.Close()
	err = inConnTx(ctx, conn, func(tx *sqlx.Tx) error {
		// The user row is locked FOR KEY SHARE: concurrent batches of the
		// user proceed, DeleteUser waits for them (and they for it).
		var userPK int64
		err := tx.QueryRowContext(ctx, `SELECT pk FROM users WHERE id = $1 FOR KEY SHARE`, pb.UserID).Scan(&userPK)
		if errors.Is(err, sql.ErrNoRows) {
			return invalid("UserID", "user %q does not exist", pb.UserID)
		} else if err != nil {
			return err
		}
		if c := pb.Cursor; c != nil {
			r, err := tx.ExecContext(ctx, `INSERT INTO cursors (connection_id, data_type, value, updated_at)
				SELECT id, $2, $3, $4 FROM connections WHERE id = $1 AND user_id = $5
				ON CONFLICT (connection_id, data_type) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				c.ConnectionID, string(c.DataType), c.Value, s.nowUTC(), pb.UserID)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return invalid("Cursor", "connection %q does not exist or is not of user %q", c.ConnectionID, pb.UserID)
			}
		}
		srcIDs, err := upsertSources(ctx, tx, userPK, batchprep.Sources(pb))
		if err != nil {
			return err
		}
		if res.Samples, err = writeSamples(ctx, conn.Conn, tx, userPK, pb.Samples, srcIDs); err != nil {
			return err
		}
		if res.Workouts, err = writeEvents(ctx, tx, "workouts", userPK, pb.Workouts, srcIDs, docs.workouts, func(w *wearables.Workout) eventKey {
			return eventKey{w.Source, w.ProviderRecordID, w.Start, w.End, w.Version}
		}); err != nil {
			return err
		}
		if res.Sleep, err = writeEvents(ctx, tx, "sleep", userPK, pb.Sleep, srcIDs, docs.sleep, func(s *wearables.Sleep) eventKey {
			return eventKey{s.Source, s.ProviderRecordID, s.Start, s.End, s.Version}
		}); err != nil {
			return err
		}
		if res.Summaries, err = writeSummaries(ctx, tx, userPK, pb.Summaries, srcIDs, docs.summaries); err != nil {
			return err
		}
		if res.Scores, err = writeScores(ctx, tx, userPK, pb.Scores, srcIDs, docs.scores); err != nil {
			return err
		}
		res.Deleted, err = applyDeletes(ctx, tx, userPK, pb.Deletes)
		return err
	})
	if pqCode(err) == pqerror.CharacterNotInRepertoire {
		err = &wearables.ValidationError{Index: -1, Field: "text", Reason: "a text field contains a NUL byte or invalid UTF-8"}
	}
	if err != nil {
		return wearables.WriteResult{}, fmt.Errorf("pgstore: write batch: %w", err)
	}
	return res, nil
}

type batchDocs struct {
	workouts, sleep, summaries, scores []string
}

func encodeDocs(b *wearables.Batch) (batchDocs, error) {
	var d batchDocs
	for i := range b.Workouts {
		doc, err := batchprep.EncodeWorkout(&b.Workouts[i])
		if err != nil {
			return d, err
		}
		d.workouts = append(d.workouts, string(doc))
	}
	for i := range b.Sleep {
		doc, err := batchprep.EncodeSleep(&b.Sleep[i])
		if err != nil {
			return d, err
		}
		d.sleep = append(d.sleep, string(doc))
	}
	for i := range b.Summaries {
		doc, err := batchprep.EncodeSummaryValues(b.Summaries[i].Values)
		if err != nil {
			return d, err
		}
		d.summaries = append(d.summaries, string(doc))
	}
	for i := range b.Scores {
		doc, err := batchprep.EncodeScore(&b.Scores[i])
		if err != nil {
			return d, err
		}
		d.scores = append(d.scores, string(doc))
	}
	return d, nil
}

// upsertSources makes sure every source of srcs (normalized, in Key order)
// has a row of the user and returns the ids of all the user's sources.
func upsertSources(ctx context.Context, tx *sqlx.Tx, userPK int64, srcs []wearables.Source) (map[wearables.Source]int64, error) {
	if len(srcs) == 0 {
		return nil, nil
	}
	ids, err := loadSourceIDs(ctx, tx, userPK)
	if err != nil {
		return nil, err
	}
	var cols [5][]string
	for _, src := range srcs {
		if _, ok := ids[src]; !ok {
			cols[0] = append(cols[0], string(src.Provider))
			cols[1] = append(cols[1], src.DeviceModel)
			cols[2] = append(cols[2], string(src.DeviceType))
			cols[3] = append(cols[3], src.App)
			cols[4] = append(cols[4], string(src.RecordingMethod))
		}
	}
	if len(cols[0]) == 0 {
		return ids, nil
	}
	// In Key order, so concurrent writers of the same new sources wait for
	// each other rather than deadlock. A source inserted concurrently by
	// another transaction is skipped here and read below, once committed.
	if _, err := tx.ExecContext(ctx, `INSERT INTO sources (user_pk, provider, device_model, device_type, app, recording_method)
		SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
		ON CONFLICT DO NOTHING`,
		userPK, pq.StringArray(cols[0]), pq.StringArray(cols[1]), pq.StringArray(cols[2]), pq.StringArray(cols[3]), pq.StringArray(cols[4])); err != nil {
		return nil, err
	}
	if ids, err = loadSourceIDs(ctx, tx, userPK); err != nil {
		return nil, err
	}
	for _, src := range srcs {
		if _, ok := ids[src]; !ok {
			return nil, fmt.Errorf("source %s of user %d vanished while writing", src.Key(), userPK)
		}
	}
	return ids, nil
}

func loadSourceIDs(ctx context.Context, q sqlx.QueryerContext, userPK int64) (map[wearables.Source]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, provider, device_model, device_type, app, recording_method FROM sources WHERE user_pk = $1`, userPK)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[wearables.Source]int64{}
	for rows.Next() {
		var (
			id  int64
			src wearables.Source
		)
		if err := rows.Scan(&id, &src.Provider, &src.DeviceModel, &src.DeviceType, &src.App, &src.RecordingMethod); err != nil {
			return nil, err
		}
		ids[src] = id
	}
	return ids, rows.Err()
}

// Samples take one of two paths, both exact about what they count:
//
//   - New data (the common case for a sync): when no stored sample of the
//     user lies within the batch's start range of any (series type, source)
//     it contains, every sample is new, and they are copied (COPY) straight
//     into the samples table under a savepoint — as fast as a raw COPY. A
//     concurrent writer that inserted some of the same keys first makes the
//     COPY fail with a unique violation; then the savepoint is rolled back
//     and the batch takes the general path.
//   - General: COPY into a temporary staging table of the session, then one
//     INSERT … SELECT … ON CONFLICT … DO UPDATE … WHERE the values differ.
//     The SELECT first drops staged rows whose stored twin is identical
//     (an anti-join), so re-writing unchanged data locks and writes nothing
//     (ON CONFLICT alone would lock, and so write, every existing row).

// probeSamplesSQL reports whether any stored sample of the user lies within
// one of the (series type, source, first start, last start) ranges.
const probeSamplesSQL = `SELECT EXISTS (
	SELECT 1 FROM unnest($2::smallint[], $3::bigint[], $4::timestamptz[], $5::timestamptz[]) AS r (series_type, source_id, lo, hi)
	WHERE EXISTS (SELECT 1 FROM samples t
		WHERE t.user_pk = $1 AND t.series_type = r.series_type AND t.start_time BETWEEN r.lo AND r.hi AND t.source_id = r.source_id))`

// stageSamplesSQL gives the transaction room to sort and hash a batch in
// memory (the default 4 MB spills 50,000 rows to disk) and creates the
// session's staging table on first use. ON COMMIT DELETE ROWS empties it at
// the end of every transaction that used it (a rolled-back one leaves
// nothing either). Both statements go in one round trip.
const stageSamplesSQL = `SET LOCAL work_mem = '64MB';
CREATE TEMP TABLE IF NOT EXISTS wt_stage_samples (
	series_type smallint NOT NULL,
	start_time  timestamptz NOT NULL,
	source_id   bigint NOT NULL,
	end_time    timestamptz,
	utc_offset  integer,
	value       double precision NOT NULL
) ON COMMIT DELETE ROWS`

// upsertSamplesSQL moves the staged samples into place. First an anti-join
// drops staged rows whose stored twin is identical: $2 and $3 bound the
// batch's starts and %s restricts the series type (to "= $4" for one type,
// "= ANY($4)" for several), so it reads only the batch's window of the
// primary key, and with the transaction's work_mem it is an in-memory hash
// anti-join that keeps the staging table's order (batchprep's): concurrent
// writers of one batch lock its rows in the same order. Of the rows left,
// ON CONFLICT … WHERE leaves those that became identical meanwhile alone,
// so RETURNING yields exactly the inserted (xmax = 0: no earlier version)
// and the updated rows; every other sample of the batch is unchanged.
const upsertSamplesSQL = `WITH w AS (
	INSERT INTO samples AS t (user_pk, series_type, start_time, source_id, end_time, utc_offset, value)
	SELECT $1, s.series_type, s.start_time, s.source_id, s.end_time, s.utc_offset, s.value
	FROM pg_temp.wt_stage_samples s
	WHERE NOT EXISTS (SELECT 1 FROM samples x
		WHERE x.user_pk = $1 AND x.series_type %s AND x.start_time BETWEEN $2 AND $3
			AND x.series_type = s.series_type AND x.start_time = s.start_time AND x.source_id = s.source_id
			AND (x.end_time, x.utc_offset, x.value) IS NOT DISTINCT FROM (s.end_time, s.utc_offset, s.value))
	ON CONFLICT (user_pk, series_type, start_time, source_id) DO UPDATE
		SET end_time = excluded.end_time, utc_offset = excluded.utc_offset, value = excluded.value
		WHERE (t.end_time, t.utc_offset, t.value) IS DISTINCT FROM (excluded.end_time, excluded.utc_offset, excluded.value)
	RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w`

var (
	upsertSamplesOneTypeSQL   = fmt.Sprintf(upsertSamplesSQL, "= $4")
	upsertSamplesManyTypesSQL = fmt.Sprintf(upsertSamplesSQL, "= ANY($4)")
)

func writeSamples(ctx context.Context, conn *sql.Conn, tx *sqlx.Tx, userPK int64, samples []wearables.Sample, srcIDs map[wearables.Source]int64) (wearables.Counts, error) {
	if len(samples) == 0 {
		return wearables.Counts{}, nil
	}
	// The (type, source) ranges of the batch: samples are sorted by source,
	// type and start, so each range is a run.
	var (
		rTypes, rSrcs pq.Int64Array
		rLo, rHi      pq.StringArray
		lo, hi        = samples[0].Start, samples[0].Start
	)
	for i := range samples {
		sm := &samples[i]
		if i == 0 || sm.Source != samples[i-1].Source || sm.Type != samples[i-1].Type {
			rTypes = append(rTypes, int64(sm.Type))
			rSrcs = append(rSrcs, srcIDs[sm.Source])
			rLo = append(rLo, tsText(sm.Start))
			rHi = append(rHi, "")
		}
		rHi[len(rHi)-1] = tsText(sm.Start)
		if sm.Start.Before(lo) {
			lo = sm.Start
		}
		if sm.Start.After(hi) {
			hi = sm.Start
		}
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, probeSamplesSQL, userPK, rTypes, rSrcs, rLo, rHi).Scan(&exists); err != nil {
		return wearables.Counts{}, fmt.Errorf("probe samples: %w", err)
	}
	if !exists {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT wt_copy_samples`); err != nil {
			return wearables.Counts{}, fmt.Errorf("copy samples: %w", err)
		}
		err := copySamples(ctx, conn, `COPY samples (series_type, start_time, source_id, end_time, utc_offset, value, user_pk) FROM STDIN`, samples, srcIDs, userPK)
		switch {
		case err == nil:
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT wt_copy_samples`); err != nil {
				return wearables.Counts{}, fmt.Errorf("copy samples: %w", err)
			}
			return wearables.Counts{Inserted: len(samples)}, nil
		case isUnique(err):
			// Another writer got there first: take the general path.
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT wt_copy_samples`); err != nil {
				return wearables.Counts{}, fmt.Errorf("copy samples: %w", err)
			}
		default:
			return wearables.Counts{}, fmt.Errorf("copy samples: %w", err)
		}
	}

	if _, err := tx.ExecContext(ctx, stageSamplesSQL); err != nil {
		return wearables.Counts{}, fmt.Errorf("stage samples: %w", err)
	}
	if err := copySamples(ctx, conn, `COPY pg_temp.wt_stage_samples (series_type, start_time, source_id, end_time, utc_offset, value) FROM STDIN`, samples, srcIDs, -1); err != nil {
		return wearables.Counts{}, fmt.Errorf("stage samples: %w", err)
	}
	var (
		c     wearables.Counts
		query     = upsertSamplesManyTypesSQL
		types any = rTypes
	)
	if slices.Min(rTypes) == slices.Max(rTypes) {
		query, types = upsertSamplesOneTypeSQL, rTypes[0]
	}
	if err := tx.QueryRowContext(ctx, query, userPK, lo, hi, types).Scan(&c.Inserted, &c.Updated); err != nil {
		return wearables.Counts{}, fmt.Errorf("upsert samples: %w", err)
	}
	c.Unchanged = len(samples) - c.Inserted - c.Updated
	return c, nil
}

// copySamples streams samples with the COPY statement query, whose columns
// are series_type, start_time, source_id, end_time, utc_offset, value and,
// when userPK ≥ 0, user_pk.
func copySamples(ctx context.Context, conn *sql.Conn, query string, samples []wearables.Sample, srcIDs map[wearables.Source]int64, userPK int64) error {
	var (
		lastSrc wearables.Source
		srcID   int64 = -1
	)
	return copyLines(ctx, conn, query, len(samples), func(b []byte, i int) []byte {
		sm := &samples[i]
		if srcID < 0 || sm.Source != lastSrc {
			lastSrc, srcID = sm.Source, srcIDs[sm.Source]
		}
		return appendSampleRow(b, sm, srcID, userPK)
	})
}

// eventKey is what the workouts and sleep tables keep outside the document.
type eventKey struct {
	src        wearables.Source
	recordID   string
	start, end time.Time
	version    int64
}

// writeEvents upserts workouts or sleep (table) from arrays. A row is
// rewritten only when the stored version is not higher and the document
// differs.
func writeEvents[R any](ctx context.Context, tx *sqlx.Tx, table string, userPK int64, recs []R, srcIDs map[wearables.Source]int64, docs []string, key func(*R) eventKey) (wearables.Counts, error) {
	if len(recs) == 0 {
		return wearables.Counts{}, nil
	}
	var (
		srcs     = make(pq.Int64Array, len(recs))
		recIDs   = make(pq.StringArray, len(recs))
		starts   = make(pq.StringArray, len(recs))
		ends     = make(pq.StringArray, len(recs))
		versions = make(pq.Int64Array, len(recs))
	)
	for i := range recs {
		k := key(&recs[i])
		srcs[i], recIDs[i], versions[i] = srcIDs[k.src], k.recordID, k.version
		starts[i], ends[i] = tsText(k.start), tsText(k.end)
	}
	q := `WITH w AS (
	INSERT INTO ` + table + ` AS t (source_id, provider_record_id, user_pk, start_time, end_time, version, doc)
	SELECT source_id, provider_record_id, $1, start_time, end_time, version, doc
	FROM unnest($2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[], $7::text[])
		AS x (source_id, provider_record_id, start_time, end_time, version, doc)
	ON CONFLICT (source_id, provider_record_id) DO UPDATE
		SET start_time = excluded.start_time, end_time = excluded.end_time, version = excluded.version, doc = excluded.doc
		WHERE t.version <= excluded.version AND t.doc <> excluded.doc
	RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w`
	var c wearables.Counts
	if err := tx.QueryRowContext(ctx, q, userPK, srcs, recIDs, starts, ends, versions, pq.StringArray(docs)).Scan(&c.Inserted, &c.Updated); err != nil {
		return wearables.Counts{}, fmt.Errorf("upsert %s: %w", table, err)
	}
	c.Unchanged = len(recs) - c.Inserted - c.Updated
	return c, nil
}

func writeSummaries(ctx context.Context, tx *sqlx.Tx, userPK int64, recs []wearables.DailySummary, srcIDs map[wearables.Source]int64, docs []string) (wearables.Counts, error) {
	if len(recs) == 0 {
		return wearables.Counts{}, nil
	}
	var (
		srcs     = make(pq.Int64Array, len(recs))
		kinds    = make(pq.StringArray, len(recs))
		days     = make(pq.StringArray, len(recs))
		offsets  = make([]wearables.Offset, len(recs))
		versions = make(pq.Int64Array, len(recs))
	)
	for i := range recs {
		r := &recs[i]
		srcs[i], kinds[i], days[i], offsets[i], versions[i] = srcIDs[r.Source], string(r.Kind), r.Date.String(), r.Offset, r.Version
	}
	const q = `WITH w AS (
	INSERT INTO daily_summaries AS t (source_id, kind, day, user_pk, utc_offset, version, doc)
	SELECT source_id, kind, day, $1, utc_offset, version, doc
	FROM unnest($2::bigint[], $3::text[], $4::date[], $5::integer[], $6::bigint[], $7::text[])
		AS x (source_id, kind, day, utc_offset, version, doc)
	ON CONFLICT (source_id, kind, day) DO UPDATE
		SET utc_offset = excluded.utc_offset, version = excluded.version, doc = excluded.doc
		WHERE t.version <= excluded.version
			AND (t.utc_offset, t.version, t.doc) IS DISTINCT FROM (excluded.utc_offset, excluded.version, excluded.doc)
	RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w`
	var c wearables.Counts
	if err := tx.QueryRowContext(ctx, q, userPK, srcs, kinds, days, offsetArray(offsets), versions, pq.StringArray(docs)).Scan(&c.Inserted, &c.Updated); err != nil {
		return wearables.Counts{}, fmt.Errorf("upsert daily summaries: %w", err)
	}
	c.Unchanged = len(recs) - c.Inserted - c.Updated
	return c, nil
}

func writeScores(ctx context.Context, tx *sqlx.Tx, userPK int64, recs []wearables.Score, srcIDs map[wearables.Source]int64, docs []string) (wearables.Counts, error) {
	if len(recs) == 0 {
		return wearables.Counts{}, nil
	}
	var (
		srcs     = make(pq.Int64Array, len(recs))
		recIDs   = make(pq.StringArray, len(recs))
		kinds    = make(pq.StringArray, len(recs))
		days     = make(pq.StringArray, len(recs))
		versions = make(pq.Int64Array, len(recs))
	)
	for i := range recs {
		r := &recs[i]
		srcs[i], recIDs[i], kinds[i], days[i], versions[i] = srcIDs[r.Source], r.ProviderRecordID, string(r.Kind), r.Date.String(), r.Version
	}
	const q = `WITH w AS (
	INSERT INTO scores AS t (source_id, provider_record_id, kind, user_pk, day, version, doc)
	SELECT source_id, provider_record_id, kind, $1, day, version, doc
	FROM unnest($2::bigint[], $3::text[], $4::text[], $5::date[], $6::bigint[], $7::text[])
		AS x (source_id, provider_record_id, kind, day, version, doc)
	ON CONFLICT (source_id, provider_record_id, kind) DO UPDATE
		SET day = excluded.day, version = excluded.version, doc = excluded.doc
		WHERE t.version <= excluded.version AND t.doc <> excluded.doc
	RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM w`
	var c wearables.Counts
	if err := tx.QueryRowContext(ctx, q, userPK, srcs, recIDs, kinds, days, versions, pq.StringArray(docs)).Scan(&c.Inserted, &c.Updated); err != nil {
		return wearables.Counts{}, fmt.Errorf("upsert scores: %w", err)
	}
	c.Unchanged = len(recs) - c.Inserted - c.Updated
	return c, nil
}

// applyDeletes removes the user's workouts, sleep and scores named by dels,
// across every source of each delete's provider, and returns how many rows
// went.
func applyDeletes(ctx context.Context, tx *sqlx.Tx, userPK int64, dels []wearables.Delete) (int, error) {
	if len(dels) == 0 {
		return 0, nil
	}
	byTable := map[string][2]pq.StringArray{}
	tables := []string{}
	for _, d := range dels {
		var table string
		switch d.Kind {
		case wearables.KindWorkout:
			table = "workouts"
		case wearables.KindSleep:
			table = "sleep"
		case wearables.KindScore:
			table = "scores"
		default:
			continue // batchprep rejects other kinds
		}
		cols, ok := byTable[table]
		if !ok {
			tables = append(tables, table)
		}
		cols[0] = append(cols[0], string(d.Provider))
		cols[1] = append(cols[1], d.ProviderRecordID)
		byTable[table] = cols
	}
	n := 0
	for _, table := range tables {
		cols := byTable[table]
		r, err := tx.ExecContext(ctx, `DELETE FROM `+table+` t
			USING sources s, unnest($2::text[], $3::text[]) AS d (provider, provider_record_id)
			WHERE s.user_pk = $1 AND s.provider = d.provider AND t.source_id = s.id AND t.provider_record_id = d.provider_record_id`,
			userPK, cols[0], cols[1])
		if err != nil {
			return 0, fmt.Errorf("delete %s: %w", table, err)
		}
		m, _ := r.RowsAffected()
		n += int(m)
	}
	return n, nil
}

// tsText formats an instant for a timestamptz[] array literal.
func tsText(t time.Time) string { return ts(t).Format("2006-01-02T15:04:05.999999Z07:00") }

// offsetArray formats offsets as an integer[] literal, NULL for NoOffset.
type offsetArray []wearables.Offset

func (a offsetArray) Value() (any, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, o := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		if o.Known() {
			b.WriteString(strconv.Itoa(int(o)))
		} else {
			b.WriteString("NULL")
		}
	}
	b.WriteByte('}')
	return b.String(), nil
}
