package sqlitestore

import (
	"cmp"
	"container/heap"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/batchprep"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

// ListSources returns the user's sources, with IDs, ordered by id (creation
// order). None, or no such user, is an empty slice.
func (s *Store) ListSources(ctx context.Context, userID string) ([]wearables.Source, error) {
	out := []wearables.Source{}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		pk, ok, err := userPK(ctx, tx, userID)
		if err != nil || !ok {
			return err
		}
		srcs, err := loadSources(ctx, tx, pk)
		if err != nil {
			return err
		}
		for _, src := range srcs {
			out = append(out, src)
		}
		slices.SortFunc(out, func(a, b wearables.Source) int { return cmpID(a.ID, b.ID) })
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: list sources: %w", err)
	}
	return out, nil
}

func cmpID(a, b string) int {
	x, _ := strconv.ParseInt(a, 10, 64)
	y, _ := strconv.ParseInt(b, 10, 64)
	return cmp.Compare(x, y)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// userPK returns the internal key of a user, and false when there is no such user.
func userPK(ctx context.Context, q querier, userID string) (int64, bool, error) {
	var pk int64
	err := q.QueryRowContext(ctx, `SELECT pk FROM users WHERE id = ?`, userID).Scan(&pk)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return pk, err == nil, err
}

// loadSources returns the user's sources by id.
func loadSources(ctx context.Context, q querier, pk int64) (map[int64]wearables.Source, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, provider, device_model, device_type, app, recording_method FROM sources WHERE user_pk = ?`, pk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]wearables.Source{}
	for rows.Next() {
		var (
			id  int64
			src wearables.Source
		)
		if err := rows.Scan(&id, &src.Provider, &src.DeviceModel, &src.DeviceType, &src.App, &src.RecordingMethod); err != nil {
			return nil, err
		}
		src.ID = strconv.FormatInt(id, 10)
		out[id] = src
	}
	return out, rows.Err()
}

// parseIDs decodes source ids; ids that are not ours cannot match and are dropped.
func parseIDs(ids []string) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func checkRange(start, end time.Time) error {
	if end.Before(start) {
		return invalid("End", "end %s is before start %s", end.UTC().Format(time.RFC3339Nano), start.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// QuerySamples returns a page of the user's samples of q.Types whose Start is
// in [q.Start, q.End), ordered by (Start, Type, source id), each with its
// Source (and ID) filled. No such user is an empty page. ErrInvalid when no
// type is given, End is before Start, or for a malformed cursor or limit.
//
// Each type is read by its own query in primary-key order and the queries
// are merged, so a page costs O(limit · log(types)) whatever the range holds.
func (s *Store) QuerySamples(ctx context.Context, q wearables.SampleQuery) (wearables.Page[wearables.Sample], error) {
	page := wearables.Page[wearables.Sample]{Items: []wearables.Sample{}}
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: query samples: %w", err)
	}
	if len(q.Types) == 0 {
		return page, fmt.Errorf("sqlitestore: query samples: %w", invalid("Types", "at least one series type is required"))
	}
	types := slices.Clone(q.Types)
	slices.Sort(types)
	types = slices.Compact(types)
	if err := checkRange(q.Start, q.End); err != nil {
		return page, fmt.Errorf("sqlitestore: query samples: %w", err)
	}
	startUS, endUS := ceilMicros(q.Start), ceilMicros(q.End)
	// Cursor: the (start, type, source) of the last row returned.
	var cur *sampleRow
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 3)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: query samples: %w", err)
		}
		var c sampleRow
		var e1, e2, e3 error
		c.start, e1 = strconv.ParseInt(parts[0], 10, 64)
		c.typ, e2 = strconv.ParseInt(parts[1], 10, 64)
		c.src, e3 = strconv.ParseInt(parts[2], 10, 64)
		if e1 != nil || e2 != nil || e3 != nil {
			return page, fmt.Errorf("sqlitestore: query samples: %w", invalid("Cursor", "malformed page cursor"))
		}
		cur = &c
	}
	var srcFilter []int64
	if q.SourceIDs != nil {
		srcFilter = parseIDs(q.SourceIDs)
		if len(srcFilter) == 0 {
			return page, nil
		}
	}
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		pk, ok, err := userPK(ctx, tx, q.UserID)
		if err != nil || !ok {
			return err
		}
		m := &sampleMerge{}
		defer m.close()
		for _, t := range types {
			lo := startUS
			extra := ""
			var extraArgs []any
			if cur != nil {
				switch {
				case int64(t) < cur.typ:
					lo = max(lo, cur.start+1)
				case int64(t) == cur.typ:
					lo = max(lo, cur.start)
					extra = ` AND (start_us > ? OR source_id > ?)`
					extraArgs = []any{cur.start, cur.src}
				default:
					lo = max(lo, cur.start)
				}
			}
			query := `SELECT start_us, source_id, end_us, utc_offset, value FROM samples
				WHERE user_pk = ? AND series_type = ? AND start_us >= ? AND start_us < ?` + extra
			args := append([]any{pk, int64(t), lo, endUS}, extraArgs...)
			if srcFilter != nil {
				query += ` AND source_id IN (` + placeholders(len(srcFilter)) + `)`
				for _, id := range srcFilter {
					args = append(args, id)
				}
			}
			query += ` ORDER BY start_us, source_id LIMIT ?`
			args = append(args, limit+1)
			rows, err := tx.QueryContext(ctx, query, args...)
			if err != nil {
				return err
			}
			if err := m.add(rows, int64(t)); err != nil {
				return err
			}
		}
		var got []sampleRow
		for len(got) <= limit && m.Len() > 0 {
			r, err := m.next()
			if err != nil {
				return err
			}
			got = append(got, r)
		}
		if len(got) > limit {
			got = got[:limit]
			last := got[limit-1]
			page.Next = pagecursor.Encode(strconv.FormatInt(last.start, 10), strconv.FormatInt(last.typ, 10), strconv.FormatInt(last.src, 10))
		}
		if len(got) == 0 {
			return nil
		}
		srcs, err := loadSources(ctx, tx, pk)
		if err != nil {
			return err
		}
		page.Items = make([]wearables.Sample, len(got))
		for i, r := range got {
			smp := wearables.Sample{
				UserID: q.UserID, Source: srcs[r.src], Type: wearables.SeriesType(r.typ),
				Start: fromMicros(r.start), End: fromNullMicros(r.end), Offset: fromNullOffset(r.offset), Value: r.value,
			}
			page.Items[i] = smp
		}
		return nil
	})
	if err != nil {
		return wearables.Page[wearables.Sample]{}, fmt.Errorf("sqlitestore: query samples: %w", err)
	}
	return page, nil
}

// ceilMicros is t in unix microseconds, rounded up, so that a bound with
// sub-microsecond digits excludes and includes exactly the stored instants
// the time.Time comparison would.
func ceilMicros(t time.Time) int64 {
	us := t.UnixMicro()
	if t.Nanosecond()%1000 != 0 {
		us++
	}
	return us
}

// sampleMerge merges per-type row streams, each ordered by (start, source),
// into (start, type, source) order.
type sampleMerge struct {
	heads []sampleHead
}

type sampleHead struct {
	row  sampleRow
	rows *sql.Rows
}

func (m *sampleMerge) Len() int { return len(m.heads) }
func (m *sampleMerge) Less(i, j int) bool {
	a, b := &m.heads[i].row, &m.heads[j].row
	if a.start != b.start {
		return a.start < b.start
	}
	if a.typ != b.typ {
		return a.typ < b.typ
	}
	return a.src < b.src
}
func (m *sampleMerge) Swap(i, j int) { m.heads[i], m.heads[j] = m.heads[j], m.heads[i] }
func (m *sampleMerge) Push(x any)    { m.heads = append(m.heads, x.(sampleHead)) }
func (m *sampleMerge) Pop() any {
	h := m.heads[len(m.heads)-1]
	m.heads = m.heads[:len(m.heads)-1]
	return h
}

// read advances rows; it reports false (rows closed) at the end.
func readSample(rows *sql.Rows, typ int64, r *sampleRow) (bool, error) {
	if !rows.Next() {
		err := rows.Err()
		rows.Close()
		return false, err
	}
	r.typ = typ
	return true, rows.Scan(&r.start, &r.src, &r.end, &r.offset, &r.value)
}

func (m *sampleMerge) add(rows *sql.Rows, typ int64) error {
	h := sampleHead{rows: rows}
	ok, err := readSample(rows, typ, &h.row)
	if err != nil || !ok {
		rows.Close()
		return err
	}
	heap.Push(m, h)
	return nil
}

func (m *sampleMerge) next() (sampleRow, error) {
	h := &m.heads[0]
	r := h.row
	ok, err := readSample(h.rows, r.typ, &h.row)
	if err != nil {
		return r, err
	}
	if ok {
		heap.Fix(m, 0)
	} else {
		heap.Pop(m)
	}
	return r, nil
}

func (m *sampleMerge) close() {
	for _, h := range m.heads {
		h.rows.Close()
	}
}

// QueryWorkouts returns a page of the user's workouts whose Start is in
// [q.Start, q.End), ordered by (Start, source id, provider record id). No
// such user is an empty page. ErrInvalid when End is before Start, or for a
// malformed cursor or limit.
func (s *Store) QueryWorkouts(ctx context.Context, q wearables.EventQuery) (wearables.Page[wearables.Workout], error) {
	page, err := queryEvents(ctx, s, "workouts", q, func(doc []byte, userID string, src wearables.Source) (wearables.Workout, error) {
		var w wearables.Workout
		err := batchprep.DecodeWorkout(doc, &w)
		w.UserID, w.Source = userID, src
		return w, err
	})
	if err != nil {
		return page, fmt.Errorf("sqlitestore: query workouts: %w", err)
	}
	return page, nil
}

// QuerySleep returns a page of the user's sleep sessions whose Start is in
// [q.Start, q.End), ordered by (Start, source id, provider record id). No
// such user is an empty page. ErrInvalid when End is before Start, or for a
// malformed cursor or limit.
func (s *Store) QuerySleep(ctx context.Context, q wearables.EventQuery) (wearables.Page[wearables.Sleep], error) {
	page, err := queryEvents(ctx, s, "sleep", q, func(doc []byte, userID string, src wearables.Source) (wearables.Sleep, error) {
		var sl wearables.Sleep
		err := batchprep.DecodeSleep(doc, &sl)
		sl.UserID, sl.Source = userID, src
		return sl, err
	})
	if err != nil {
		return page, fmt.Errorf("sqlitestore: query sleep: %w", err)
	}
	return page, nil
}

func queryEvents[T any](ctx context.Context, s *Store, table string, q wearables.EventQuery,
	decode func(doc []byte, userID string, src wearables.Source) (T, error)) (wearables.Page[T], error) {
	page := wearables.Page[T]{Items: []T{}}
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return page, err
	}
	if err := checkRange(q.Start, q.End); err != nil {
		return page, err
	}
	query := `SELECT start_us, source_id, provider_record_id, doc FROM ` + table + `
		WHERE user_pk = ? AND start_us >= ? AND start_us < ?`
	var after []any
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 3)
		if err != nil {
			return page, err
		}
		st, e1 := strconv.ParseInt(parts[0], 10, 64)
		src, e2 := strconv.ParseInt(parts[1], 10, 64)
		if e1 != nil || e2 != nil {
			return page, invalid("Cursor", "malformed page cursor")
		}
		query += ` AND (start_us, source_id, provider_record_id) > (?, ?, ?)`
		after = []any{st, src, parts[2]}
	}
	query += ` ORDER BY start_us, source_id, provider_record_id LIMIT ?`
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		pk, ok, err := userPK(ctx, tx, q.UserID)
		if err != nil || !ok {
			return err
		}
		args := append([]any{pk, ceilMicros(q.Start), ceilMicros(q.End)}, after...)
		rows, err := tx.QueryContext(ctx, query, append(args, limit+1)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		type raw struct {
			start, src int64
			rec        string
			doc        []byte
		}
		var got []raw
		for rows.Next() {
			var r raw
			if err := rows.Scan(&r.start, &r.src, &r.rec, &r.doc); err != nil {
				return err
			}
			got = append(got, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(got) > limit {
			got = got[:limit]
			l := got[limit-1]
			page.Next = pagecursor.Encode(strconv.FormatInt(l.start, 10), strconv.FormatInt(l.src, 10), l.rec)
		}
		if len(got) == 0 {
			return nil
		}
		srcs, err := loadSources(ctx, tx, pk)
		if err != nil {
			return err
		}
		page.Items = make([]T, len(got))
		for i, r := range got {
			if page.Items[i], err = decode(r.doc, q.UserID, srcs[r.src]); err != nil {
				return err
			}
		}
		return nil
	})
	return page, err
}

// QuerySummaries returns a page of the user's daily summaries whose Date is
// in [q.From, q.To], optionally only of q.Kinds, ordered by (Date, Kind,
// source id). No such user is an empty page. ErrInvalid when To is before
// From, or for a malformed cursor or limit.
func (s *Store) QuerySummaries(ctx context.Context, q wearables.DayQuery) (wearables.Page[wearables.DailySummary], error) {
	page, err := queryDays(ctx, s, q, `SELECT day, kind, source_id, '', utc_offset, version, doc FROM daily_summaries`,
		[]string{"day", "kind", "source_id"},
		func(r dayRow, userID string, src wearables.Source) (wearables.DailySummary, error) {
			d, err := wearables.ParseDate(r.day)
			if err != nil {
				return wearables.DailySummary{}, err
			}
			vals, err := batchprep.DecodeSummaryValues(r.doc)
			return wearables.DailySummary{
				UserID: userID, Source: src, Kind: wearables.SummaryKind(r.kind), Date: d,
				Offset: fromNullOffset(r.offset), Version: r.version, Values: vals,
			}, err
		})
	if err != nil {
		return page, fmt.Errorf("sqlitestore: query summaries: %w", err)
	}
	return page, nil
}

// QueryScores returns a page of the user's scores whose Date is in [q.From,
// q.To], optionally only of q.Kinds, ordered by (Date, Kind, source id,
// provider record id). No such user is an empty page. ErrInvalid when To is
// before From, or for a malformed cursor or limit.
func (s *Store) QueryScores(ctx context.Context, q wearables.DayQuery) (wearables.Page[wearables.Score], error) {
	page, err := queryDays(ctx, s, q, `SELECT day, kind, source_id, provider_record_id, NULL, version, doc FROM scores`,
		[]string{"day", "kind", "source_id", "provider_record_id"},
		func(r dayRow, userID string, src wearables.Source) (wearables.Score, error) {
			var sc wearables.Score
			err := batchprep.DecodeScore(r.doc, &sc)
			sc.UserID, sc.Source = userID, src
			return sc, err
		})
	if err != nil {
		return page, fmt.Errorf("sqlitestore: query scores: %w", err)
	}
	return page, nil
}

type dayRow struct {
	day, kind string
	src       int64
	rec       string
	offset    sql.NullInt64
	version   int64
	doc       []byte
}

func queryDays[T any](ctx context.Context, s *Store, q wearables.DayQuery, sel string, order []string,
	decode func(r dayRow, userID string, src wearables.Source) (T, error)) (wearables.Page[T], error) {
	page := wearables.Page[T]{Items: []T{}}
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return page, err
	}
	if q.To.Before(q.From) {
		return page, invalid("To", "date range %s..%s is reversed", q.From, q.To)
	}
	query := sel + ` WHERE user_pk = ? AND day >= ? AND day <= ?`
	args := []any{nil, q.From.String(), q.To.String()}
	if len(q.Kinds) > 0 {
		query += ` AND kind IN (` + placeholders(len(q.Kinds)) + `)`
		for _, k := range q.Kinds {
			args = append(args, k)
		}
	}
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, len(order))
		if err != nil {
			return page, err
		}
		src, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return page, invalid("Cursor", "malformed page cursor")
		}
		query += ` AND (` + strings.Join(order, ", ") + `) > (` + placeholders(len(order)) + `)`
		args = append(args, parts[0], parts[1], src)
		if len(order) > 3 {
			args = append(args, parts[3])
		}
	}
	query += ` ORDER BY ` + strings.Join(order, ", ") + ` LIMIT ?`
	args = append(args, limit+1)
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		pk, ok, err := userPK(ctx, tx, q.UserID)
		if err != nil || !ok {
			return err
		}
		args[0] = pk
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var got []dayRow
		for rows.Next() {
			var r dayRow
			if err := rows.Scan(&r.day, &r.kind, &r.src, &r.rec, &r.offset, &r.version, &r.doc); err != nil {
				return err
			}
			got = append(got, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(got) > limit {
			got = got[:limit]
			l := got[limit-1]
			parts := []string{l.day, l.kind, strconv.FormatInt(l.src, 10)}
			if len(order) > 3 {
				parts = append(parts, l.rec)
			}
			page.Next = pagecursor.Encode(parts...)
		}
		if len(got) == 0 {
			return nil
		}
		srcs, err := loadSources(ctx, tx, pk)
		if err != nil {
			return err
		}
		page.Items = make([]T, len(got))
		for i, r := range got {
			if page.Items[i], err = decode(r, q.UserID, srcs[r.src]); err != nil {
				return err
			}
		}
		return nil
	})
	return page, err
}
