package sqlitestore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/batchprep"
)

// Tuning of the sample upsert, chosen by BenchmarkWriteSamples.
var (
	// sampleInsertRows is how many rows one INSERT statement carries.
	sampleInsertRows = 256
	// sampleClusterGap splits a run of samples of one source and type into
	// separately looked-up start ranges wherever two consecutive starts are
	// further apart (µs), so that a sparse batch never scans a dense range.
	sampleClusterGap int64 = 3600e6
)

// WriteBatch upserts every record of b on its natural key, applies its
// deletes and its cursor, all in one write transaction, and reports what
// changed. A record whose stored twin is identical, or has a higher Version,
// is counted unchanged and not rewritten. An invalid batch, a batch of a
// user that does not exist, or a cursor of a connection of another user
// returns an error matching wearables.ErrInvalid and writes nothing.
func (s *Store) WriteBatch(ctx context.Context, b *wearables.Batch) (wearables.WriteResult, error) {
	var res wearables.WriteResult
	if b == nil {
		return res, fmt.Errorf("sqlitestore: write batch: %w", invalid("Batch", "batch is nil"))
	}
	pb, err := batchprep.Prepare(b)
	if err != nil {
		return res, fmt.Errorf("sqlitestore: write batch: %w", err)
	}
	docs, err := encodeDocs(pb)
	if err != nil {
		return res, fmt.Errorf("sqlitestore: write batch: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		w := batchWriter{ctx: ctx, tx: tx}
		res, err = w.write(pb, docs, s.nowUTC())
		return err
	})
	if err != nil {
		return wearables.WriteResult{}, fmt.Errorf("sqlitestore: write batch: %w", err)
	}
	return res, nil
}

// batchDocs are the canonical documents of a prepared batch's records,
// encoded before the write transaction starts.
type batchDocs struct {
	workouts, sleep, summaries, scores [][]byte
}

func encodeDocs(b *wearables.Batch) (batchDocs, error) {
	var (
		d   batchDocs
		err error
	)
	d.workouts = make([][]byte, len(b.Workouts))
	for i := range b.Workouts {
		if d.workouts[i], err = batchprep.EncodeWorkout(&b.Workouts[i]); err != nil {
			return d, err
		}
	}
	d.sleep = make([][]byte, len(b.Sleep))
	for i := range b.Sleep {
		if d.sleep[i], err = batchprep.EncodeSleep(&b.Sleep[i]); err != nil {
			return d, err
		}
	}
	d.summaries = make([][]byte, len(b.Summaries))
	for i := range b.Summaries {
		if d.summaries[i], err = batchprep.EncodeSummaryValues(b.Summaries[i].Values); err != nil {
			return d, err
		}
	}
	d.scores = make([][]byte, len(b.Scores))
	for i := range b.Scores {
		if d.scores[i], err = batchprep.EncodeScore(&b.Scores[i]); err != nil {
			return d, err
		}
	}
	return d, nil
}

// batchWriter writes one prepared batch inside a write transaction.
type batchWriter struct {
	ctx    context.Context
	tx     *sql.Tx
	userPK int64
	srcIDs map[wearables.Source]int64
}

func (w *batchWriter) write(b *wearables.Batch, docs batchDocs, now time.Time) (wearables.WriteResult, error) {
	var res wearables.WriteResult
	err := w.tx.QueryRowContext(w.ctx, `SELECT pk FROM users WHERE id = ?`, b.UserID).Scan(&w.userPK)
	if errors.Is(err, sql.ErrNoRows) {
		return res, invalid("UserID", "user %q does not exist", b.UserID)
	}
	if err != nil {
		return res, err
	}
	if c := b.Cursor; c != nil {
		var owner string
		err := w.tx.QueryRowContext(w.ctx, `SELECT user_id FROM connections WHERE id = ?`, c.ConnectionID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != b.UserID) {
			return res, invalid("Cursor", "connection %q is not a connection of user %q", c.ConnectionID, b.UserID)
		}
		if err != nil {
			return res, err
		}
	}
	if err := w.resolveSources(batchprep.Sources(b)); err != nil {
		return res, err
	}
	if res.Samples, err = w.samples(b.Samples); err != nil {
		return res, err
	}
	rows := make([]eventRow, len(b.Workouts))
	for i := range b.Workouts {
		r := &b.Workouts[i]
		rows[i] = eventRow{
			key:     []any{w.srcIDs[r.Source], r.ProviderRecordID},
			vals:    []any{micros(r.Start), micros(r.End), r.Version, docs.workouts[i]},
			version: r.Version, doc: docs.workouts[i],
		}
	}
	if res.Workouts, err = w.events(workoutTable, rows); err != nil {
		return res, err
	}
	rows = make([]eventRow, len(b.Sleep))
	for i := range b.Sleep {
		r := &b.Sleep[i]
		rows[i] = eventRow{
			key:     []any{w.srcIDs[r.Source], r.ProviderRecordID},
			vals:    []any{micros(r.Start), micros(r.End), r.Version, docs.sleep[i]},
			version: r.Version, doc: docs.sleep[i],
		}
	}
	if res.Sleep, err = w.events(sleepTable, rows); err != nil {
		return res, err
	}
	rows = make([]eventRow, len(b.Summaries))
	for i := range b.Summaries {
		r := &b.Summaries[i]
		off := nullOffset(r.Offset)
		rows[i] = eventRow{
			key:     []any{w.srcIDs[r.Source], string(r.Kind), r.Date.String()},
			vals:    []any{off, r.Version, docs.summaries[i]},
			version: r.Version, doc: docs.summaries[i], offset: off,
		}
	}
	if res.Summaries, err = w.events(summaryTable, rows); err != nil {
		return res, err
	}
	rows = make([]eventRow, len(b.Scores))
	for i := range b.Scores {
		r := &b.Scores[i]
		rows[i] = eventRow{
			key:     []any{w.srcIDs[r.Source], string(r.Kind), r.ProviderRecordID},
			vals:    []any{r.Date.String(), r.Version, docs.scores[i]},
			version: r.Version, doc: docs.scores[i],
		}
	}
	if res.Scores, err = w.events(scoreTable, rows); err != nil {
		return res, err
	}
	if res.Deleted, err = w.deletes(b.Deletes); err != nil {
		return res, err
	}
	if b.Cursor != nil {
		if err := putCursor(w.ctx, w.tx, *b.Cursor, now); err != nil {
			return res, err
		}
	}
	return res, nil
}

// resolveSources finds or creates the row of every source of the batch.
func (w *batchWriter) resolveSources(srcs []wearables.Source) error {
	w.srcIDs = make(map[wearables.Source]int64, len(srcs))
	for _, src := range srcs {
		args := []any{w.userPK, src.Provider, src.DeviceModel, src.DeviceType, src.App, src.RecordingMethod}
		var id int64
		err := w.tx.QueryRowContext(w.ctx, `SELECT id FROM sources WHERE user_pk = ? AND provider = ? AND device_model = ?
			AND device_type = ? AND app = ? AND recording_method = ?`, args...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = w.tx.QueryRowContext(w.ctx, `INSERT INTO sources (user_pk, provider, device_model, device_type, app, recording_method)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, args...).Scan(&id)
		}
		if err != nil {
			return fmt.Errorf("source %s: %w", src.Provider, err)
		}
		w.srcIDs[src] = id
	}
	return nil
}

// sampleRow is a sample as stored.
type sampleRow struct {
	typ    int64
	start  int64
	src    int64
	end    sql.NullInt64
	offset sql.NullInt64
	value  float64
}

func (a *sampleRow) sameValues(b *sampleRow) bool {
	return a.end == b.end && a.offset == b.offset && a.value == b.value
}

// samples upserts prepared samples (sorted by source, type, start). For each
// run of one source and type it reads the stored rows of the run's start
// range in one query, compares in memory, then inserts the new rows with
// multi-row INSERTs and updates the changed ones.
func (w *batchWriter) samples(ss []wearables.Sample) (wearables.Counts, error) {
	var c wearables.Counts
	if len(ss) == 0 {
		return c, nil
	}
	sel, err := w.tx.PrepareContext(w.ctx, `SELECT start_us, end_us, utc_offset, value FROM samples
		WHERE user_pk = ? AND series_type = ? AND start_us BETWEEN ? AND ? AND source_id = ? ORDER BY start_us`)
	if err != nil {
		return c, err
	}
	defer sel.Close()
	rows := make([]sampleRow, len(ss))
	for i := range ss {
		s := &ss[i]
		rows[i] = sampleRow{
			typ: int64(s.Type), start: micros(s.Start), src: w.srcIDs[s.Source],
			end: nullMicros(s.End), offset: nullOffset(s.Offset), value: s.Value,
		}
	}
	var inserts, updates []*sampleRow
	var stored []sampleRow
	for lo := 0; lo < len(rows); {
		// One cluster: same source and type, no gap above sampleClusterGap.
		hi := lo + 1
		for hi < len(rows) && rows[hi].src == rows[lo].src && rows[hi].typ == rows[lo].typ &&
			rows[hi].start-rows[hi-1].start <= sampleClusterGap {
			hi++
		}
		cl := rows[lo:hi]
		stored, err = w.storedSamples(sel, &cl[0], cl[len(cl)-1].start, stored[:0])
		if err != nil {
			return c, err
		}
		// Merge: both cl and stored are ordered by start.
		j := 0
		for i := range cl {
			for j < len(stored) && stored[j].start < cl[i].start {
				j++
			}
			switch {
			case j == len(stored) || stored[j].start != cl[i].start:
				inserts = append(inserts, &cl[i])
			case stored[j].sameValues(&cl[i]):
				c.Unchanged++
			default:
				updates = append(updates, &cl[i])
			}
		}
		lo = hi
	}
	if err := w.insertSamples(inserts); err != nil {
		return c, err
	}
	c.Inserted = len(inserts)
	if len(updates) > 0 {
		upd, err := w.tx.PrepareContext(w.ctx, `UPDATE samples SET end_us = ?, utc_offset = ?, value = ?
			WHERE user_pk = ? AND series_type = ? AND start_us = ? AND source_id = ?`)
		if err != nil {
			return c, err
		}
		defer upd.Close()
		for _, r := range updates {
			if _, err := upd.ExecContext(w.ctx, r.end, r.offset, r.value, w.userPK, r.typ, r.start, r.src); err != nil {
				return c, err
			}
		}
		c.Updated = len(updates)
	}
	return c, nil
}

func (w *batchWriter) storedSamples(sel *sql.Stmt, first *sampleRow, last int64, out []sampleRow) ([]sampleRow, error) {
	rs, err := sel.QueryContext(w.ctx, w.userPK, first.typ, first.start, last, first.src)
	if err != nil {
		return out, err
	}
	defer rs.Close()
	for rs.Next() {
		r := sampleRow{typ: first.typ, src: first.src}
		if err := rs.Scan(&r.start, &r.end, &r.offset, &r.value); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

const sampleInsertHead = `INSERT INTO samples (user_pk, series_type, start_us, source_id, end_us, utc_offset, value) VALUES `

func sampleInsertSQL(n int) string {
	var sb strings.Builder
	sb.WriteString(sampleInsertHead)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, ?)")
	}
	return sb.String()
}

// insertSamples inserts rows known to be absent, sampleInsertRows per
// statement.
func (w *batchWriter) insertSamples(rows []*sampleRow) error {
	if len(rows) == 0 {
		return nil
	}
	n := min(sampleInsertRows, len(rows))
	full, err := w.tx.PrepareContext(w.ctx, sampleInsertSQL(n))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, 7*n)
	exec := func(st *sql.Stmt, rows []*sampleRow) error {
		args = args[:0]
		for _, r := range rows {
			args = append(args, w.userPK, r.typ, r.start, r.src, r.end, r.offset, r.value)
		}
		_, err := st.ExecContext(w.ctx, args...)
		return err
	}
	for len(rows) >= n {
		if err := exec(full, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	if len(rows) > 0 {
		rest, err := w.tx.PrepareContext(w.ctx, sampleInsertSQL(len(rows)))
		if err != nil {
			return err
		}
		defer rest.Close()
		return exec(rest, rows)
	}
	return nil
}

// eventTable holds the statements of one event table. sel selects
// (version, doc, offset-or-NULL) by key; ins inserts (user_pk, key…,
// vals…); upd sets vals… by key.
type eventTable struct{ name, sel, ins, upd string }

var (
	workoutTable = eventTable{
		name: "workouts",
		sel:  `SELECT version, doc, NULL FROM workouts WHERE source_id = ? AND provider_record_id = ?`,
		ins:  `INSERT INTO workouts (user_pk, source_id, provider_record_id, start_us, end_us, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		upd:  `UPDATE workouts SET start_us = ?, end_us = ?, version = ?, doc = ? WHERE source_id = ? AND provider_record_id = ?`,
	}
	sleepTable = eventTable{
		name: "sleep",
		sel:  `SELECT version, doc, NULL FROM sleep WHERE source_id = ? AND provider_record_id = ?`,
		ins:  `INSERT INTO sleep (user_pk, source_id, provider_record_id, start_us, end_us, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		upd:  `UPDATE sleep SET start_us = ?, end_us = ?, version = ?, doc = ? WHERE source_id = ? AND provider_record_id = ?`,
	}
	summaryTable = eventTable{
		name: "daily summaries",
		sel:  `SELECT version, doc, utc_offset FROM daily_summaries WHERE source_id = ? AND kind = ? AND day = ?`,
		ins:  `INSERT INTO daily_summaries (user_pk, source_id, kind, day, utc_offset, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		upd:  `UPDATE daily_summaries SET utc_offset = ?, version = ?, doc = ? WHERE source_id = ? AND kind = ? AND day = ?`,
	}
	scoreTable = eventTable{
		name: "scores",
		sel:  `SELECT version, doc, NULL FROM scores WHERE source_id = ? AND kind = ? AND provider_record_id = ?`,
		ins:  `INSERT INTO scores (user_pk, source_id, kind, provider_record_id, day, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		upd:  `UPDATE scores SET day = ?, version = ?, doc = ? WHERE source_id = ? AND kind = ? AND provider_record_id = ?`,
	}
)

// eventRow is one record to upsert into an event table.
type eventRow struct {
	key, vals []any
	version   int64
	doc       []byte
	offset    sql.NullInt64 // compared too; only daily summaries keep it outside doc
}

// events upserts rows one by one: read the stored twin, then insert, skip
// (identical, or the stored version is higher) or update.
func (w *batchWriter) events(t eventTable, rows []eventRow) (wearables.Counts, error) {
	var c wearables.Counts
	if len(rows) == 0 {
		return c, nil
	}
	sel, err := w.tx.PrepareContext(w.ctx, t.sel)
	if err != nil {
		return c, fmt.Errorf("%s: %w", t.name, err)
	}
	defer sel.Close()
	var ins, upd *sql.Stmt
	for _, r := range rows {
		var (
			version int64
			doc     []byte
			offset  sql.NullInt64
		)
		err := sel.QueryRowContext(w.ctx, r.key...).Scan(&version, &doc, &offset)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if ins == nil {
				if ins, err = w.tx.PrepareContext(w.ctx, t.ins); err != nil {
					return c, fmt.Errorf("%s: %w", t.name, err)
				}
				defer ins.Close()
			}
			args := append(append([]any{w.userPK}, r.key...), r.vals...)
			if _, err := ins.ExecContext(w.ctx, args...); err != nil {
				return c, fmt.Errorf("%s: %w", t.name, err)
			}
			c.Inserted++
		case err != nil:
			return c, fmt.Errorf("%s: %w", t.name, err)
		case version > r.version || (version == r.version && offset == r.offset && bytes.Equal(doc, r.doc)):
			c.Unchanged++
		default:
			if upd == nil {
				if upd, err = w.tx.PrepareContext(w.ctx, t.upd); err != nil {
					return c, fmt.Errorf("%s: %w", t.name, err)
				}
				defer upd.Close()
			}
			args := append(append([]any{}, r.vals...), r.key...)
			if _, err := upd.ExecContext(w.ctx, args...); err != nil {
				return c, fmt.Errorf("%s: %w", t.name, err)
			}
			c.Updated++
		}
	}
	return c, nil
}

// deletes removes the named event records of the user across every source
// of their provider and returns how many rows went.
func (w *batchWriter) deletes(ds []wearables.Delete) (int, error) {
	n := 0
	for _, d := range ds {
		var table string
		switch d.Kind {
		case wearables.KindWorkout:
			table = "workouts"
		case wearables.KindSleep:
			table = "sleep"
		case wearables.KindScore:
			table = "scores"
		default:
			return n, invalid("Deletes.Kind", "cannot delete %s records by id", d.Kind)
		}
		// One key lookup per source of the provider: (source_id,
		// provider_record_id) leads a unique index of each table.
		res, err := w.tx.ExecContext(w.ctx, `DELETE FROM `+table+` WHERE id IN (
			SELECT t.id FROM sources s JOIN `+table+` t ON t.source_id = s.id AND t.provider_record_id = ?
			WHERE s.user_pk = ? AND s.provider = ?)`,
			d.ProviderRecordID, w.userPK, d.Provider)
		if err != nil {
			return n, fmt.Errorf("delete %s: %w", table, err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}
