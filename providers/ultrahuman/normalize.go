package ultrahuman

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// source is where every record comes from: the user's Ultrahuman Ring,
// whose model the API does not name.
var source = wearables.Source{Provider: wearables.ProviderUltrahuman, DeviceType: wearables.DeviceRing}

// cgmSource is where glucose readings come from: Ultrahuman M1, a
// continuous glucose monitor read through the Ultrahuman app.
var cgmSource = wearables.Source{Provider: wearables.ProviderUltrahuman, DeviceModel: "Ultrahuman M1", DeviceType: wearables.DeviceUnknown}

// Scale of Ultrahuman's indices (recovery, movement).
const scoreMin, scoreMax = 0, 100

// series is a series type and the unit Ultrahuman reports it in, with
// the converter to the type's canonical unit, built once by normalize.
type series struct {
	typ  wearables.SeriesType
	src  wearables.Source
	conv normalize.Converter
	err  error // why the converter could not be built; never expected
}

func newSeries(t wearables.SeriesType, unit string, src wearables.Source) series {
	c, err := normalize.CanonicalConverter(t, unit)
	return series{typ: t, src: src, conv: c, err: err}
}

// timeSeries maps the metric types that carry a values array. Read-only
// after init.
var timeSeries = map[string]series{
	"hr":      newSeries(wearables.SeriesHeartRate, "bpm", source),
	"hrv":     newSeries(wearables.SeriesHRVSDNN, "ms", source),
	"temp":    newSeries(wearables.SeriesSkinTemperature, "degC", source),
	"steps":   newSeries(wearables.SeriesSteps, "count", source),
	"glucose": newSeries(wearables.SeriesBloodGlucose, "mg/dL", cgmSource),
}

// dailyValues maps the metric types that carry one value for the day,
// kept as a sample at the day's start. Read-only after init.
var dailyValues = map[string]series{
	"vo2_max":   newSeries(wearables.SeriesVO2Max, "mL/(kg·min)", source),
	"night_rhr": newSeries(wearables.SeriesRestingHeartRate, "bpm", source),
}

// activeMinutes is the day's active time, kept in the activity summary.
var activeMinutes = newSeries(wearables.SeriesActiveTime, "min", source)

// scoreKinds maps Ultrahuman's indices to score kinds. The metabolic
// score has no kind in the catalog and is not kept.
var scoreKinds = map[string]wearables.ScoreKind{
	"recovery_index": wearables.ScoreRecovery,
	"movement_index": wearables.ScoreActivity,
}

// errVendor is in the chain of an error Ultrahuman reports inside a
// response's envelope.
var errVendor = errors.New("error in response envelope")

// normalizeResponse maps one day's metrics document. day is the date it
// was asked for. An error in the envelope is an error; a document without
// data is an empty day.
func normalizeResponse(doc *rawResponse, day wearables.Date) (wearables.FetchResult, error) {
	if e := bytes.TrimSpace(doc.Error); len(e) > 0 && !bytes.Equal(e, []byte("null")) && !bytes.Equal(e, []byte(`""`)) {
		return wearables.FetchResult{}, fmt.Errorf("%w: %s", errVendor, truncate(string(e), 200))
	}
	var res wearables.FetchResult
	if doc.Data == nil {
		return res, nil
	}
	n := len(dailyValues) // the day's single values
	for _, m := range doc.Data.MetricData {
		if m.Object != nil {
			n += len(m.Object.Values)
		}
	}
	res.Records.Samples = make([]wearables.Sample, 0, n)
	d := dayOf{date: day, loc: zone(doc.Data.LatestTimeZone)}
	var summary map[wearables.SeriesType]float64
	for i := range doc.Data.MetricData {
		m := &doc.Data.MetricData[i]
		o := m.Object
		if o == nil {
			continue
		}
		if s, ok := timeSeries[m.Type]; ok {
			d.appendValues(&res, s, o.Values)
			if m.Type == "steps" && o.Total != nil && *o.Total >= 0 {
				summary = put(summary, wearables.SeriesSteps, *o.Total)
			}
			continue
		}
		if s, ok := dailyValues[m.Type]; ok {
			d.appendDaily(&res, s, o)
			continue
		}
		if k, ok := scoreKinds[m.Type]; ok {
			d.appendScore(&res, k, m.Type, o)
			continue
		}
		switch m.Type {
		case "Sleep":
			d.appendSleep(&res, o)
		case "active_minutes":
			if o.Value != nil && *o.Value >= 0 && activeMinutes.err == nil {
				summary = put(summary, activeMinutes.typ, activeMinutes.conv.Convert(*o.Value))
			}
		}
		// Other types (motion, metabolic_score, glucose statistics …) are
		// not kept.
	}
	if len(summary) > 0 {
		start := d.start(nil)
		res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
			Source: source,
			Kind:   wearables.SummaryActivity,
			Date:   day,
			Offset: start.Offset,
			Values: summary,
		})
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res, nil
}

func put(m map[wearables.SeriesType]float64, t wearables.SeriesType, v float64) map[wearables.SeriesType]float64 {
	if m == nil {
		m = make(map[wearables.SeriesType]float64, 2)
	}
	m[t] = v
	return m
}

// dayOf is the day a document describes and the user's zone, which
// stamps every instant with its offset (nil: offsets unknown).
type dayOf struct {
	date wearables.Date
	loc  *time.Location
}

// at is the instant sec stamped with the user's offset at that instant.
func (d dayOf) at(sec int64) normalize.Instant {
	if d.loc == nil {
		return normalize.Unix(sec, wearables.NoOffset)
	}
	return normalize.UnixIn(sec, d.loc)
}

// start is the day's start: day_start_timestamp when given, else local
// midnight of the date in the user's zone (UTC when unknown).
func (d dayOf) start(ts *int64) normalize.Instant {
	if ts != nil {
		return d.at(*ts)
	}
	if d.loc == nil {
		return normalize.Instant{Time: d.date.In(time.UTC), Offset: wearables.NoOffset}
	}
	t := d.date.In(d.loc)
	return normalize.Instant{Time: t.UTC(), Offset: wearables.OffsetOf(t)}
}

// appendValues appends one sample per point that has both a time and a
// value. A heart rate, HRV or temperature of 0 is "not measured" and
// skipped; steps of 0 are kept.
func (d dayOf) appendValues(res *wearables.FetchResult, s series, values []rawValue) {
	for _, v := range values {
		if v.Timestamp == nil || v.Value == nil {
			continue
		}
		at := d.at(*v.Timestamp)
		if s.err != nil {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: s.typ, Time: at.Time, Reason: s.err.Error()})
			continue
		}
		if *v.Value == 0 && s.typ != wearables.SeriesSteps {
			continue
		}
		res.Records.Samples = append(res.Records.Samples, wearables.Sample{
			Source: s.src,
			Type:   s.typ,
			Start:  at.Time,
			Offset: at.Offset,
			Value:  s.conv.Convert(*v.Value),
		})
	}
}

// appendDaily appends a day's single value as a sample at the day's
// start.
func (d dayOf) appendDaily(res *wearables.FetchResult, s series, o *rawObject) {
	if o.Value == nil || *o.Value == 0 {
		return
	}
	at := d.start(o.DayStartTimestamp)
	if s.err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: s.typ, Time: at.Time, Reason: s.err.Error()})
		return
	}
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{
		Source: s.src,
		Type:   s.typ,
		Start:  at.Time,
		Offset: at.Offset,
		Value:  s.conv.Convert(*o.Value),
	})
}

// appendScore appends an index (0–100) of the day. Its record id is the
// date: Ultrahuman computes one per day.
func (d dayOf) appendScore(res *wearables.FetchResult, k wearables.ScoreKind, raw string, o *rawObject) {
	if o.Value == nil {
		return
	}
	at := d.start(o.DayStartTimestamp)
	if *o.Value < scoreMin || *o.Value > scoreMax {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindScore, ProviderRecordID: d.date.String(), Field: raw,
			Reason: fmt.Sprintf("%s %v is outside %d–%d", raw, *o.Value, scoreMin, scoreMax)})
		return
	}
	res.Records.Scores = append(res.Records.Scores, wearables.Score{
		Source:           source,
		Kind:             k,
		ProviderRecordID: d.date.String(),
		Date:             d.date,
		Offset:           at.Offset,
		Value:            *o.Value,
		Min:              scoreMin,
		Max:              scoreMax,
	})
}

// stageCode maps an Ultrahuman stage name onto a code of
// normalize.SchemeGarmin, whose deep/light/rem/awake are Ultrahuman's
// names without the "_sleep" suffix.
// TODO(normalize): a SchemeUltrahuman would name these codes directly.
func stageCode(t string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(t)), "_sleep")
}

// appendSleep maps the day's Sleep object: bedtimes in epoch seconds, the
// stage totals of sleep_stages (seconds), efficiency (sleep_efic, percent)
// and time in bed from quick_metrics, the hypnogram of sleep_graph when
// present. Its record id is the date: Ultrahuman reports one sleep per
// day, revised in place. Ultrahuman flags no naps; normalize.IsNap
// decides.
func (d dayOf) appendSleep(res *wearables.FetchResult, o *rawObject) {
	id := d.date.String()
	reject := func(field, reason string) {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSleep, ProviderRecordID: id, Field: field, Reason: reason})
	}
	switch {
	case o.BedtimeStart == nil:
		reject("bedtime_start", "the sleep has no bedtime_start")
		return
	case o.BedtimeEnd == nil:
		reject("bedtime_end", "the sleep has no bedtime_end")
		return
	}
	start, end := d.at(*o.BedtimeStart), d.at(*o.BedtimeEnd)
	if !end.Time.After(start.Time) {
		reject("bedtime_end", "bedtime_end is not after bedtime_start")
		return
	}
	s := wearables.Sleep{
		Source:           source,
		ProviderRecordID: id,
		Start:            start.Time,
		End:              end.Time,
		Offset:           start.Offset,
		Efficiency:       o.SleepEfficiency,
	}
	for _, st := range o.SleepStages {
		if st.StageTime == nil || *st.StageTime < 0 {
			continue
		}
		stage, err := normalize.SchemeGarmin.Stage(stageCode(st.Type))
		if err != nil {
			continue // an unknown stage name adds to no total
		}
		dur, err := normalize.DurationOf(*st.StageTime, "s")
		if err != nil {
			reject("sleep_stages", err.Error())
			return
		}
		s.Totals.Add(stage, dur)
	}
	for _, q := range o.QuickMetrics {
		if q.Type == "sleep_efic" && q.Value != nil {
			v := *q.Value
			s.Efficiency = &v
		}
	}
	if o.SleepGraph != nil && len(o.SleepGraph.Data) > 0 {
		spans := make([]normalize.CodedSpan, 0, len(o.SleepGraph.Data))
		for _, sp := range o.SleepGraph.Data {
			if sp.Start == nil || sp.End == nil {
				continue
			}
			spans = append(spans, normalize.CodedSpan{Code: stageCode(sp.Type), Start: time.Unix(*sp.Start, 0), End: time.Unix(*sp.End, 0)})
		}
		st, err := normalize.ExpandSpans(normalize.SchemeGarmin, spans)
		if err != nil {
			reject("sleep_graph", err.Error())
			return
		}
		s.Stages = st
	}
	s.IsNap = normalize.IsNap(s.Start, s.End, s.Offset, d.loc)
	normalize.FillSleep(&s)
	res.Records.Sleep = append(res.Records.Sleep, s)
}

// zones caches loaded IANA zones by name (a nil value for an unknown
// name): time.LoadLocation reads the zone database on every call.
var zones sync.Map

// maxZones bounds the cache against a vendor sending endless names.
const maxZones = 512

var zoneCount atomic.Int64

// zone loads the user's IANA zone, nil when it is empty or unknown.
func zone(name string) *time.Location {
	if name == "" || len(name) > 64 {
		return nil
	}
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	if zoneCount.Load() < maxZones {
		if _, loaded := zones.LoadOrStore(name, loc); !loaded {
			zoneCount.Add(1)
		}
	}
	return loc
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
