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

	"github.com/lib/pq"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/batchprep"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

// userSources resolves a user id to its pk and its sources by id. ok is
// false when the user does not exist.
func (s *Store) userSources(ctx context.Context, userID string) (pk int64, srcs map[int64]wearables.Source, ok bool, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.pk, s.id, s.provider, s.device_model, s.device_type, s.app, s.recording_method
		FROM users u LEFT JOIN sources s ON s.user_pk = u.pk WHERE u.id = $1`, userID)
	if err != nil {
		return 0, nil, false, err
	}
	defer rows.Close()
	srcs = map[int64]wearables.Source{}
	for rows.Next() {
		ok = true
		var (
			id                               sql.NullInt64
			provider, model, typ, app, recMe sql.NullString
		)
		if err := rows.Scan(&pk, &id, &provider, &model, &typ, &app, &recMe); err != nil {
			return 0, nil, false, err
		}
		if id.Valid {
			srcs[id.Int64] = wearables.Source{
				ID:              strconv.FormatInt(id.Int64, 10),
				Provider:        wearables.ProviderID(provider.String),
				DeviceModel:     model.String,
				DeviceType:      wearables.DeviceType(typ.String),
				App:             app.String,
				RecordingMethod: wearables.RecordingMethod(recMe.String),
			}
		}
	}
	return pk, srcs, ok, rows.Err()
}

// sourceOf returns the source with the given id, reloading the user's
// sources once when a row refers to one created after they were loaded.
func (s *Store) sourceOf(ctx context.Context, userID string, srcs map[int64]wearables.Source, id int64) (wearables.Source, error) {
	if src, ok := srcs[id]; ok {
		return src, nil
	}
	_, fresh, _, err := s.userSources(ctx, userID)
	if err != nil {
		return wearables.Source{}, err
	}
	for k, v := range fresh {
		srcs[k] = v
	}
	if src, ok := srcs[id]; ok {
		return src, nil
	}
	return wearables.Source{}, fmt.Errorf("source %d of user %q is missing", id, userID)
}

// ceilMicro rounds t up to a whole microsecond: stored instants are whole
// microseconds, so start >= t ⇔ start >= ceilMicro(t), and the same for <.
func ceilMicro(t time.Time) time.Time {
	c := t.Truncate(time.Microsecond)
	if c.Before(t) {
		c = c.Add(time.Microsecond)
	}
	return c.UTC()
}

func checkRange(start, end time.Time) error {
	if end.Before(start) {
		return invalid("End", "end %s is before start %s", end.UTC().Format(time.RFC3339Nano), start.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// parseIDs parses decimal source ids; ids that are not decimal numbers name
// no source of this store and are dropped.
func parseIDs(ids []string) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// sqlArgs collects positional arguments.
type sqlArgs []any

// add appends v and returns its placeholder.
func (a *sqlArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// QuerySamples returns a page of the user's samples of q.Types (and of
// q.SourceIDs, when not empty) whose Start is in [q.Start, q.End), ordered
// by (Start, Type, source id), each with its Source (and Source.ID) filled
// in. An unknown user has no samples. Errors:
// ErrInvalid for no or unknown types, End before Start, a bad cursor or
// limit.
//
// Each series type is read from the primary key in start order; several
// types are merged by the database.
func (s *Store) QuerySamples(ctx context.Context, q wearables.SampleQuery) (wearables.Page[wearables.Sample], error) {
	var page wearables.Page[wearables.Sample]
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return page, fmt.Errorf("pgstore: query samples: %w", err)
	}
	if len(q.Types) == 0 {
		return page, fmt.Errorf("pgstore: query samples: %w", invalid("Types", "at least one series type is required"))
	}
	types := slices.Clone(q.Types)
	slices.Sort(types)
	types = slices.Compact(types)
	for _, t := range types {
		if !t.Valid() {
			return page, fmt.Errorf("pgstore: query samples: %w", invalid("Types", "unknown series type %d", uint16(t)))
		}
	}
	if err := checkRange(q.Start, q.End); err != nil {
		return page, fmt.Errorf("pgstore: query samples: %w", err)
	}
	var (
		hasCursor bool
		cStart    time.Time
		cType     int64
		cSrc      int64
	)
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 3)
		if err != nil {
			return page, fmt.Errorf("pgstore: query samples: %w", err)
		}
		us, err1 := strconv.ParseInt(parts[0], 10, 64)
		typ, err2 := strconv.ParseInt(parts[1], 10, 64)
		src, err3 := strconv.ParseInt(parts[2], 10, 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return page, fmt.Errorf("pgstore: query samples: %w", invalid("Cursor", "malformed page cursor"))
		}
		hasCursor, cStart, cType, cSrc = true, time.UnixMicro(us).UTC(), typ, src
	}
	page.Items = []wearables.Sample{}
	userPK, srcs, ok, err := s.userSources(ctx, q.UserID)
	if err != nil {
		return wearables.Page[wearables.Sample]{}, fmt.Errorf("pgstore: query samples: %w", err)
	}
	if !ok || !q.Start.Before(q.End) {
		return page, nil
	}
	var srcFilter []int64 // nil: every source
	if len(q.SourceIDs) > 0 {
		if srcFilter = parseIDs(q.SourceIDs); len(srcFilter) == 0 {
			return page, nil // none of them is a source of this store
		}
	}

	// One branch per type, each in primary-key order (start, source) and
	// cut at the page size; the keyset condition on the cursor row
	// (start, type, source) becomes, for a branch of type T: start > c
	// when T < cursor type, start >= c when T > it, (start, source) >
	// (c, source) when equal.
	var args sqlArgs
	pkArg := args.add(userPK)
	startArg, endArg := args.add(ceilMicro(q.Start)), args.add(ceilMicro(q.End))
	limitArg := args.add(limit + 1)
	var srcCond string
	if srcFilter != nil {
		srcCond = " AND source_id = ANY(" + args.add(pq.Int64Array(srcFilter)) + ")"
	}
	var curArg, curSrcArg string
	if hasCursor {
		curArg, curSrcArg = args.add(cStart), args.add(cSrc)
	}
	branch := func(t wearables.SeriesType) string {
		var b strings.Builder
		b.WriteString(`SELECT series_type, start_time, source_id, end_time, utc_offset, value FROM samples WHERE user_pk = `)
		b.WriteString(pkArg)
		b.WriteString(` AND series_type = `)
		b.WriteString(strconv.Itoa(int(t)))
		b.WriteString(` AND start_time >= ` + startArg + ` AND start_time < ` + endArg + srcCond)
		if hasCursor {
			switch {
			case int64(t) < cType:
				b.WriteString(` AND start_time > ` + curArg)
			case int64(t) > cType:
				b.WriteString(` AND start_time >= ` + curArg)
			default:
				b.WriteString(` AND (start_time, source_id) > (` + curArg + `, ` + curSrcArg + `)`)
			}
		}
		b.WriteString(` ORDER BY start_time, source_id LIMIT ` + limitArg)
		return b.String()
	}
	var query string
	if len(types) == 1 {
		query = branch(types[0])
	} else {
		parts := make([]string, len(types))
		for i, t := range types {
			parts[i] = "(" + branch(t) + ")"
		}
		query = `SELECT * FROM (` + strings.Join(parts, " UNION ALL ") + `) x ORDER BY start_time, series_type, source_id LIMIT ` + limitArg
	}

	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return wearables.Page[wearables.Sample]{}, fmt.Errorf("pgstore: query samples: %w", err)
	}
	defer rows.Close()
	items := make([]wearables.Sample, 0, min(limit+1, 4096))
	var (
		lastID  int64 = -1
		lastSrc wearables.Source
	)
	for rows.Next() {
		var (
			sm     wearables.Sample
			typ    int16
			srcID  int64
			end    sql.NullTime
			offset sql.NullInt32
		)
		if err := rows.Scan(&typ, &sm.Start, &srcID, &end, &offset, &sm.Value); err != nil {
			return wearables.Page[wearables.Sample]{}, fmt.Errorf("pgstore: query samples: %w", err)
		}
		if srcID != lastID {
			src, err := s.sourceOf(ctx, q.UserID, srcs, srcID)
			if err != nil {
				return wearables.Page[wearables.Sample]{}, fmt.Errorf("pgstore: query samples: %w", err)
			}
			lastID, lastSrc = srcID, src
		}
		sm.UserID, sm.Source, sm.Type = q.UserID, lastSrc, wearables.SeriesType(typ)
		sm.Start = sm.Start.UTC()
		if end.Valid {
			sm.End = end.Time.UTC()
		}
		sm.Offset = fromNullOffset(offset)
		items = append(items, sm)
	}
	if err := rows.Err(); err != nil {
		return wearables.Page[wearables.Sample]{}, fmt.Errorf("pgstore: query samples: %w", err)
	}
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = pagecursor.Encode(strconv.FormatInt(last.Start.UnixMicro(), 10), strconv.Itoa(int(last.Type)), last.Source.ID)
	}
	page.Items = items
	return page, nil
}

// eventQuery is the shared part of QueryWorkouts and QuerySleep: it returns
// the source and document of each row of the page and the cursor of the
// next page.
func (s *Store) eventQuery(ctx context.Context, table string, q wearables.EventQuery) (srcs []wearables.Source, docs [][]byte, next string, err error) {
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return nil, nil, "", err
	}
	if err := checkRange(q.Start, q.End); err != nil {
		return nil, nil, "", err
	}
	var args sqlArgs
	cond := ""
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 3)
		if err != nil {
			return nil, nil, "", err
		}
		us, err1 := strconv.ParseInt(parts[0], 10, 64)
		src, err2 := strconv.ParseInt(parts[1], 10, 64)
		if errors.Join(err1, err2) != nil {
			return nil, nil, "", invalid("Cursor", "malformed page cursor")
		}
		cond = ` AND (start_time, source_id, provider_record_id) > (` + args.add(time.UnixMicro(us).UTC()) + `, ` + args.add(src) + `, ` + args.add(parts[2]) + `)`
	}
	userPK, sources, ok, err := s.userSources(ctx, q.UserID)
	if err != nil || !ok || !q.Start.Before(q.End) {
		return nil, nil, "", err
	}
	query := `SELECT source_id, provider_record_id, start_time, doc FROM ` + table + ` WHERE user_pk = ` + args.add(userPK) +
		` AND start_time >= ` + args.add(ceilMicro(q.Start)) + ` AND start_time < ` + args.add(ceilMicro(q.End)) + cond +
		` ORDER BY start_time, source_id, provider_record_id LIMIT ` + args.add(limit+1)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, "", err
	}
	defer rows.Close()
	var (
		lastStart time.Time
		lastSrc   int64
		lastRec   string
	)
	for rows.Next() {
		var (
			srcID int64
			rec   string
			start time.Time
			doc   []byte
		)
		if err := rows.Scan(&srcID, &rec, &start, &doc); err != nil {
			return nil, nil, "", err
		}
		if len(docs) == limit {
			next = pagecursor.Encode(strconv.FormatInt(lastStart.UnixMicro(), 10), strconv.FormatInt(lastSrc, 10), lastRec)
			break
		}
		src, err := s.sourceOf(ctx, q.UserID, sources, srcID)
		if err != nil {
			return nil, nil, "", err
		}
		srcs, docs = append(srcs, src), append(docs, doc)
		lastStart, lastSrc, lastRec = start, srcID, rec
	}
	return srcs, docs, next, rows.Err()
}

// QueryWorkouts returns a page of the user's workouts whose Start is in
// [q.Start, q.End), ordered by (Start, source id, provider record id). An
// unknown user has none. Errors: ErrInvalid for End before Start, a bad
// cursor or limit.
func (s *Store) QueryWorkouts(ctx context.Context, q wearables.EventQuery) (wearables.Page[wearables.Workout], error) {
	srcs, docs, next, err := s.eventQuery(ctx, "workouts", q)
	if err != nil {
		return wearables.Page[wearables.Workout]{}, fmt.Errorf("pgstore: query workouts: %w", err)
	}
	page := wearables.Page[wearables.Workout]{Items: make([]wearables.Workout, len(docs)), Next: next}
	for i, doc := range docs {
		w := &page.Items[i]
		if err := batchprep.DecodeWorkout(doc, w); err != nil {
			return wearables.Page[wearables.Workout]{}, fmt.Errorf("pgstore: query workouts: %w", err)
		}
		w.UserID, w.Source = q.UserID, srcs[i]
	}
	return page, nil
}

// QuerySleep returns a page of the user's sleep sessions whose Start is in
// [q.Start, q.End), ordered by (Start, source id, provider record id). An
// unknown user has none. Errors: ErrInvalid for End before Start, a bad
// cursor or limit.
func (s *Store) QuerySleep(ctx context.Context, q wearables.EventQuery) (wearables.Page[wearables.Sleep], error) {
	srcs, docs, next, err := s.eventQuery(ctx, "sleep", q)
	if err != nil {
		return wearables.Page[wearables.Sleep]{}, fmt.Errorf("pgstore: query sleep: %w", err)
	}
	page := wearables.Page[wearables.Sleep]{Items: make([]wearables.Sleep, len(docs)), Next: next}
	for i, doc := range docs {
		sl := &page.Items[i]
		if err := batchprep.DecodeSleep(doc, sl); err != nil {
			return wearables.Page[wearables.Sleep]{}, fmt.Errorf("pgstore: query sleep: %w", err)
		}
		sl.UserID, sl.Source = q.UserID, srcs[i]
	}
	return page, nil
}

// dayRows is one row of a day query: the columns every day table has.
type dayRow struct {
	src     wearables.Source
	srcID   int64
	kind    string
	day     string
	recID   string
	offset  sql.NullInt32
	version int64
	doc     []byte
}

// dayQuery is the shared part of QuerySummaries and QueryScores. recIDCol
// is "" for summaries (unique per source, kind and day).
func (s *Store) dayQuery(ctx context.Context, table, recIDCol string, q wearables.DayQuery) ([]dayRow, string, error) {
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return nil, "", err
	}
	if q.To.Before(q.From) {
		return nil, "", invalid("To", "to %s is before from %s", q.To, q.From)
	}
	from, err := wearables.ParseDate(q.From.String())
	if err != nil || from != q.From {
		return nil, "", invalid("From", "invalid date %s", q.From)
	}
	to, err := wearables.ParseDate(q.To.String())
	if err != nil || to != q.To {
		return nil, "", invalid("To", "invalid date %s", q.To)
	}
	nparts := 3
	keyCols := "day, kind, source_id"
	recSel := "''"
	offSel := "NULL::integer"
	if recIDCol != "" {
		nparts, keyCols, recSel = 4, keyCols+", "+recIDCol, recIDCol
	} else {
		offSel = "utc_offset"
	}
	var args sqlArgs
	cond := ""
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, nparts)
		if err != nil {
			return nil, "", err
		}
		d, err1 := wearables.ParseDate(parts[0])
		src, err2 := strconv.ParseInt(parts[2], 10, 64)
		if errors.Join(err1, err2) != nil {
			return nil, "", invalid("Cursor", "malformed page cursor")
		}
		vals := []string{args.add(d.String()) + "::date", args.add(parts[1]), args.add(src)}
		if nparts == 4 {
			vals = append(vals, args.add(parts[3]))
		}
		cond = ` AND (` + keyCols + `) > (` + strings.Join(vals, ", ") + `)`
	}
	userPK, sources, ok, err := s.userSources(ctx, q.UserID)
	if err != nil || !ok {
		return nil, "", err
	}
	if len(q.Kinds) > 0 {
		cond += ` AND kind = ANY(` + args.add(pq.StringArray(q.Kinds)) + `)`
	}
	query := `SELECT source_id, kind, day::text, ` + recSel + `, ` + offSel + `, version, doc FROM ` + table +
		` WHERE user_pk = ` + args.add(userPK) + ` AND day BETWEEN ` + args.add(q.From.String()) + `::date AND ` + args.add(q.To.String()) + `::date` + cond +
		` ORDER BY ` + keyCols + ` LIMIT ` + args.add(limit+1)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var (
		out  []dayRow
		next string
	)
	for rows.Next() {
		var r dayRow
		if err := rows.Scan(&r.srcID, &r.kind, &r.day, &r.recID, &r.offset, &r.version, &r.doc); err != nil {
			return nil, "", err
		}
		if len(out) == limit {
			last := out[limit-1]
			parts := []string{last.day, last.kind, strconv.FormatInt(last.srcID, 10)}
			if nparts == 4 {
				parts = append(parts, last.recID)
			}
			next = pagecursor.Encode(parts...)
			break
		}
		if r.src, err = s.sourceOf(ctx, q.UserID, sources, r.srcID); err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	return out, next, rows.Err()
}

// QuerySummaries returns a page of the user's daily summaries whose Date is
// in [q.From, q.To], of q.Kinds when set, ordered by (Date, Kind, source
// id). An unknown user has none. Errors: ErrInvalid for To before From, an
// invalid date, a bad cursor or limit.
func (s *Store) QuerySummaries(ctx context.Context, q wearables.DayQuery) (wearables.Page[wearables.DailySummary], error) {
	rows, next, err := s.dayQuery(ctx, "daily_summaries", "", q)
	if err != nil {
		return wearables.Page[wearables.DailySummary]{}, fmt.Errorf("pgstore: query summaries: %w", err)
	}
	page := wearables.Page[wearables.DailySummary]{Items: make([]wearables.DailySummary, len(rows)), Next: next}
	for i, r := range rows {
		d, err := wearables.ParseDate(r.day)
		if err != nil {
			return wearables.Page[wearables.DailySummary]{}, fmt.Errorf("pgstore: query summaries: %w", err)
		}
		vals, err := batchprep.DecodeSummaryValues(r.doc)
		if err != nil {
			return wearables.Page[wearables.DailySummary]{}, fmt.Errorf("pgstore: query summaries: %w", err)
		}
		page.Items[i] = wearables.DailySummary{
			UserID:  q.UserID,
			Source:  r.src,
			Kind:    wearables.SummaryKind(r.kind),
			Date:    d,
			Offset:  fromNullOffset(r.offset),
			Version: r.version,
			Values:  vals,
		}
	}
	return page, nil
}

// QueryScores returns a page of the user's scores whose Date is in
// [q.From, q.To], of q.Kinds when set, ordered by (Date, Kind, source id,
// provider record id). An unknown user has none. Errors: ErrInvalid for To
// before From, an invalid date, a bad cursor or limit.
func (s *Store) QueryScores(ctx context.Context, q wearables.DayQuery) (wearables.Page[wearables.Score], error) {
	rows, next, err := s.dayQuery(ctx, "scores", "provider_record_id", q)
	if err != nil {
		return wearables.Page[wearables.Score]{}, fmt.Errorf("pgstore: query scores: %w", err)
	}
	page := wearables.Page[wearables.Score]{Items: make([]wearables.Score, len(rows)), Next: next}
	for i, r := range rows {
		sc := &page.Items[i]
		if err := batchprep.DecodeScore(r.doc, sc); err != nil {
			return wearables.Page[wearables.Score]{}, fmt.Errorf("pgstore: query scores: %w", err)
		}
		sc.UserID, sc.Source = q.UserID, r.src
	}
	return page, nil
}

// ListSources returns the user's sources (with IDs), ordered by id; an
// unknown user has none.
func (s *Store) ListSources(ctx context.Context, userID string) ([]wearables.Source, error) {
	_, srcs, _, err := s.userSources(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list sources: %w", err)
	}
	ids := make([]int64, 0, len(srcs))
	for id := range srcs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]wearables.Source, len(ids))
	for i, id := range ids {
		out[i] = srcs[id]
	}
	return out, nil
}
