package oura

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Sources. Oura reports no device model per record; every measurement
// comes from the user's ring, and manually entered workouts from the app.
var (
	ringSource   = wearables.Source{Provider: wearables.ProviderOura, DeviceType: wearables.DeviceRing}
	manualSource = wearables.Source{Provider: wearables.ProviderOura, DeviceType: wearables.DeviceApp, RecordingMethod: wearables.RecordingManual}
)

// Epochs of Oura's sleep phase strings: one character per epoch from
// bedtime_start.
const (
	phaseEpoch5Min  = 5 * time.Minute
	phaseEpoch30Sec = 30 * time.Second
)

// Scales of Oura's scores.
const (
	scoreMin, scoreMax = 0, 100 // daily sleep, readiness, activity: [1, 100]
	dayMax             = 86400  // seconds in a day: the stress score's scale
)

// decoder decodes and normalizes one page of one collection.
type decoder interface {
	// read decodes resp's body with api (size limit, typed errors) and
	// normalizes it; it returns Oura's next_token, "" on the last page.
	read(api *providerhttp.API, op string, resp *http.Response) (wearables.FetchResult, string, error)
	// decode does the same for a body already read.
	decode(body []byte) (wearables.FetchResult, string, error)
}

// collection is the decoder of a collection of T, normalizing each
// document with the function.
type collectionOf[T any] func(doc *T, res *wearables.FetchResult)

func collection[T any](normalize func(doc *T, res *wearables.FetchResult)) decoder {
	return collectionOf[T](normalize)
}

func (c collectionOf[T]) read(api *providerhttp.API, op string, resp *http.Response) (wearables.FetchResult, string, error) {
	var pg page[T]
	if err := api.DecodeJSON(op, resp, &pg); err != nil {
		return wearables.FetchResult{}, "", err
	}
	res, next := c.normalize(&pg)
	return res, next, nil
}

func (c collectionOf[T]) decode(body []byte) (wearables.FetchResult, string, error) {
	var pg page[T]
	if err := json.Unmarshal(body, &pg); err != nil {
		return wearables.FetchResult{}, "", err
	}
	res, next := c.normalize(&pg)
	return res, next, nil
}

func (c collectionOf[T]) normalize(pg *page[T]) (wearables.FetchResult, string) {
	var res wearables.FetchResult
	n := 0
	for i := range pg.Data {
		if d, ok := any(&pg.Data[i]).(sampleCounter); ok {
			n += d.sampleItems()
		}
	}
	res.Records.Samples = make([]wearables.Sample, 0, n) // one allocation per page
	for i := range pg.Data {
		c(&pg.Data[i], &res)
	}
	next := ""
	if pg.NextToken != nil {
		next = *pg.NextToken
	}
	return res, next
}

// normalizeSleep maps one sleep period. Deleted periods, and "rest"
// periods the user rejected as falsely detected sleep, become Deletes.
func normalizeSleep(d *rawSleep, res *wearables.FetchResult) {
	id := string(d.ID)
	if id == "" {
		reject(res, wearables.KindSleep, "", "id", "the sleep period has no id")
		return
	}
	if typ := deref(d.Type); typ == "deleted" || typ == "rest" {
		res.Records.Deletes = append(res.Records.Deletes, wearables.Delete{Kind: wearables.KindSleep, Provider: wearables.ProviderOura, ProviderRecordID: id})
		return
	}
	start, err := normalize.ParseRFC3339(d.BedtimeStart)
	if err != nil {
		reject(res, wearables.KindSleep, id, "bedtime_start", err.Error())
		return
	}
	end, err := normalize.ParseRFC3339(d.BedtimeEnd)
	if err != nil {
		reject(res, wearables.KindSleep, id, "bedtime_end", err.Error())
		return
	}
	s := wearables.Sleep{
		Source:           ringSource,
		ProviderRecordID: id,
		Version:          version(d.Meta),
		Start:            start.Time,
		End:              end.Time,
		Offset:           start.Offset,
		IsNap:            isNap(d.Type, start, end),
		Efficiency:       d.Efficiency,
		Latency:          duration(d.Latency),
		AvgHR:            d.AverageHeartRate,
		MinHR:            d.LowestHeartRate,
		AvgHRV:           d.AverageHRV,
		RespiratoryRate:  d.AverageBreath,
	}
	field, phases, epoch := "sleep_phase_5_min", d.SleepPhase5Min, phaseEpoch5Min
	if d.SleepPhase30Sec != nil && *d.SleepPhase30Sec != "" {
		field, phases, epoch = "sleep_phase_30_sec", d.SleepPhase30Sec, phaseEpoch30Sec
	}
	if phases != nil && *phases != "" {
		stages, err := normalize.ExpandSpans(normalize.SchemeOura, phaseRuns(*phases, start.Time, epoch))
		if err != nil {
			reject(res, wearables.KindSleep, id, field, err.Error())
			return
		}
		s.Stages = clipStages(stages, start.Time, end.Time)
	}
	// Oura's own totals win over sums of the phase string, which rounds
	// to whole epochs; FillSleep sums the stages only when Oura sent none
	// (and computes efficiency when Oura sent none).
	for _, t := range []struct {
		stage wearables.SleepStage
		secs  *int64
	}{
		{wearables.StageAwake, d.AwakeTime},
		{wearables.StageLight, d.LightSleepDuration},
		{wearables.StageDeep, d.DeepSleepDuration},
		{wearables.StageREM, d.RemSleepDuration},
	} {
		if v := duration(t.secs); v != nil {
			s.Totals.Add(t.stage, *v)
		}
	}
	if s.Totals == (wearables.StageTotals{}) || s.Efficiency == nil {
		normalize.FillSleep(&s) // Oura's own figures, when present, are kept
	}
	res.Records.Sleep = append(res.Records.Sleep, s)
	series(res, wearables.SeriesHeartRate, d.HeartRate, id, "heart_rate")
	series(res, wearables.SeriesHRVRMSSD, d.HRV, id, "hrv")
}

// phaseRuns cuts an Oura phase string (one character per epoch from
// start) into runs of one character, for normalize.ExpandSpans to map with
// SchemeOura. It gives the stages normalize.OuraPhases gives, but maps each
// run rather than each of a night's ~900 30-second epochs, which is what
// keeps normalization within 1.5× of decoding (see BenchmarkDecode).
//
// TODO(normalize): OuraPhases could look characters up in a fixed table
// instead of calling StageScheme.Stage per epoch; this helper goes then.
func phaseRuns(phases string, start time.Time, epoch time.Duration) []normalize.CodedSpan {
	var runs []normalize.CodedSpan
	for i := 0; i < len(phases); {
		j := i + 1
		for j < len(phases) && phases[j] == phases[i] {
			j++
		}
		runs = append(runs, normalize.CodedSpan{
			Code:  phases[i:j][:1],
			Start: start.Add(time.Duration(i) * epoch),
			End:   start.Add(time.Duration(j) * epoch),
		})
		i = j
	}
	return runs
}

// isNap follows Oura's sleep type: "sleep" (a confirmed sleep of 15 min to
// 3 h) and "late_nap" are naps, "long_sleep" is not. Without a type, the
// nap rule of package normalize decides.
func isNap(typ *string, start, end normalize.Instant) bool {
	switch deref(typ) {
	case "sleep", "late_nap":
		return true
	case "long_sleep":
		return false
	}
	return normalize.IsNap(start.Time, end.Time, start.Offset, nil)
}

// clipStages cuts stage intervals to [start, end]: a phase string covers
// whole epochs, so its last epoch may run past bedtime_end.
//
// TODO(normalize): a ClipStages(stages, start, end) helper would serve
// every vendor whose epochs overrun the session.
func clipStages(st []wearables.StageInterval, start, end time.Time) []wearables.StageInterval {
	out := st[:0]
	for _, s := range st {
		s.Start = later(s.Start, start)
		if s.End.After(end) {
			s.End = end
		}
		if s.End.After(s.Start) {
			out = append(out, s)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// normalizeDailySleep maps a daily sleep score.
func normalizeDailySleep(d *rawDailySleep, res *wearables.FetchResult) {
	c := d.Contributors
	score(res, wearables.ScoreSleep, d.ID, d.Meta, d.Day, d.Timestamp, d.Score, scoreMin, scoreMax, contributors(
		named{"deep_sleep", c.DeepSleep},
		named{"efficiency", c.Efficiency},
		named{"latency", c.Latency},
		named{"rem_sleep", c.RemSleep},
		named{"restfulness", c.Restfulness},
		named{"timing", c.Timing},
		named{"total_sleep", c.TotalSleep},
	))
}

// normalizeDailyReadiness maps a readiness score and the night's body
// temperature deviation.
func normalizeDailyReadiness(d *rawDailyReadiness, res *wearables.FetchResult) {
	c := d.Contributors
	if !score(res, wearables.ScoreReadiness, d.ID, d.Meta, d.Day, d.Timestamp, d.Score, scoreMin, scoreMax, contributors(
		named{"activity_balance", c.ActivityBalance},
		named{"body_temperature", c.BodyTemperature},
		named{"hrv_balance", c.HRVBalance},
		named{"previous_day_activity", c.PreviousDayActivity},
		named{"previous_night", c.PreviousNight},
		named{"recovery_index", c.RecoveryIndex},
		named{"resting_heart_rate", c.RestingHeartRate},
		named{"sleep_balance", c.SleepBalance},
		named{"sleep_regularity", c.SleepRegularity},
	)) {
		return
	}
	if d.TemperatureDeviation != nil {
		sample(res, wearables.SeriesBodyTemperatureDeviation, d.Timestamp, *d.TemperatureDeviation, string(d.ID), "timestamp")
	}
}

// normalizeDailyActivity maps a daily activity document: its score, the
// day's totals as Oura computed them, and the minute-by-minute MET series.
// Oura's activity day runs from 4 a.m. local time.
func normalizeDailyActivity(d *rawDailyActivity, res *wearables.FetchResult) {
	c := d.Contributors
	if !score(res, wearables.ScoreActivity, d.ID, d.Meta, d.Day, d.Timestamp, d.Score, scoreMin, scoreMax, contributors(
		named{"meet_daily_targets", c.MeetDailyTargets},
		named{"move_every_hour", c.MoveEveryHour},
		named{"recovery_time", c.RecoveryTime},
		named{"stay_active", c.StayActive},
		named{"training_frequency", c.TrainingFrequency},
		named{"training_volume", c.TrainingVolume},
	)) {
		return
	}
	day, _ := wearables.ParseDate(d.Day) // checked by score
	off := wearables.NoOffset
	if ts, err := normalize.ParseRFC3339(d.Timestamp); err == nil {
		off = ts.Offset
	}
	values := map[wearables.SeriesType]float64{}
	for _, v := range []struct {
		typ wearables.SeriesType
		v   *float64
	}{
		{wearables.SeriesSteps, d.Steps},
		{wearables.SeriesActiveEnergy, d.ActiveCalories},
		{wearables.SeriesTotalEnergy, d.TotalCalories},
		{wearables.SeriesSedentaryTime, seconds(d.SedentaryTime)},
		{wearables.SeriesLowIntensityTime, seconds(d.LowActivityTime)},
		{wearables.SeriesModerateIntensityTime, seconds(d.MediumActivityTime)},
		{wearables.SeriesVigorousIntensityTime, seconds(d.HighActivityTime)},
	} {
		if v.v != nil {
			values[v.typ] = *v.v
		}
	}
	if len(values) > 0 {
		res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
			Source:  ringSource,
			Kind:    wearables.SummaryActivity,
			Date:    day,
			Offset:  off,
			Version: version(d.Meta),
			Values:  values,
		})
	}
	series(res, wearables.SeriesMET, d.Met, string(d.ID), "met")
}

// normalizeDailySpO2 maps the night's SpO2 average and breathing
// disturbance index. The document has a day but no time, so it is a daily
// summary (of the sleep kind: both are measured asleep) without an offset.
func normalizeDailySpO2(d *rawDailySpO2, res *wearables.FetchResult) {
	day, err := wearables.ParseDate(d.Day)
	if err != nil {
		reject(res, wearables.KindDailySummary, string(d.ID), "day", err.Error())
		return
	}
	values := map[wearables.SeriesType]float64{}
	if d.SpO2Percentage != nil && d.SpO2Percentage.Average != nil {
		values[wearables.SeriesOxygenSaturation] = *d.SpO2Percentage.Average
	}
	if d.BreathingDisturbanceIndex != nil {
		values[wearables.SeriesBreathingDisturbances] = *d.BreathingDisturbanceIndex
	}
	if len(values) == 0 {
		return // a night without SpO2 readings
	}
	res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
		Source:  ringSource,
		Kind:    wearables.SummarySleep,
		Date:    day,
		Offset:  wearables.NoOffset,
		Version: version(d.Meta),
		Values:  values,
	})
}

// stressSummaries numbers Oura's day_summary verdicts for the stress
// score's "day_summary" contributor.
var stressSummaries = map[string]float64{"restored": 1, "normal": 2, "stressful": 3}

// normalizeDailyStress maps a daily stress document to a stress score
// whose value is the time spent in high stress, in seconds (0–86400), with
// the time in high recovery and Oura's verdict (1 restored, 2 normal,
// 3 stressful) as contributors.
func normalizeDailyStress(d *rawDailyStress, res *wearables.FetchResult) {
	cs := contributors(named{"recovery_high", d.RecoveryHigh})
	if v, ok := stressSummaries[deref(d.DaySummary)]; ok {
		if cs == nil {
			cs = map[string]float64{}
		}
		cs["day_summary"] = v
	}
	score(res, wearables.ScoreStress, d.ID, d.Meta, d.Day, "", d.StressHigh, 0, dayMax, cs)
}

// resilienceLevels numbers Oura's long-term resilience levels.
var resilienceLevels = map[string]float64{"limited": 1, "adequate": 2, "solid": 3, "strong": 4, "exceptional": 5}

// normalizeDailyResilience maps a resilience level to a score from 1
// (limited) to 5 (exceptional).
func normalizeDailyResilience(d *rawDailyResilience, res *wearables.FetchResult) {
	level, ok := resilienceLevels[d.Level]
	if !ok {
		reject(res, wearables.KindScore, string(d.ID), "level", "unknown resilience level "+strconv.Quote(d.Level))
		return
	}
	c := d.Contributors
	score(res, wearables.ScoreResilience, d.ID, nil, d.Day, "", &level, 1, 5, contributors(
		named{"sleep_recovery", c.SleepRecovery},
		named{"daytime_recovery", c.DaytimeRecovery},
		named{"stress", c.Stress},
	))
}

// normalizeHeartRate maps one heart-rate row. Rows are stamped in UTC, not
// in the user's offset, so the sample's offset is unknown.
func normalizeHeartRate(d *rawHeartRate, res *wearables.FetchResult) {
	var t time.Time
	if d.TimestampUnix != 0 {
		t = normalize.UnixMilli(d.TimestampUnix, wearables.NoOffset).Time
	} else {
		in, err := normalize.ParseRFC3339(d.Timestamp)
		if err != nil {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: wearables.SeriesHeartRate, Field: "timestamp", Reason: err.Error()})
			return
		}
		t = in.Time
	}
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{
		Source: ringSource,
		Type:   wearables.SeriesHeartRate,
		Start:  t,
		Offset: wearables.NoOffset,
		Value:  d.BPM,
	})
}

// normalizeWorkout maps a workout. The activity name is kept in RawType;
// an activity without a mapping is wearables.WorkoutOther.
func normalizeWorkout(d *rawWorkout, res *wearables.FetchResult) {
	id := string(d.ID)
	start, end, ok := bounds(res, wearables.KindWorkout, id, d.StartDatetime, "start_datetime", d.EndDatetime, "end_datetime")
	if !ok {
		return
	}
	src := ringSource
	if d.Source == "manual" {
		src = manualSource
	}
	res.Records.Workouts = append(res.Records.Workouts, wearables.Workout{
		Source:           src,
		ProviderRecordID: id,
		Version:          version(d.Meta),
		Type:             WorkoutType(d.Activity),
		RawType:          d.Activity,
		Name:             deref(d.Label),
		Start:            start.Time,
		End:              end.Time,
		Offset:           start.Offset,
		Distance:         d.Distance,
		Energy:           d.Calories,
	})
}

// sessionTypes maps Oura session (Moment) types to workout types; "nap"
// sessions become naps instead.
var sessionTypes = map[string]wearables.WorkoutType{
	"breathing":  wearables.WorkoutBreathwork,
	"meditation": wearables.WorkoutMeditation,
	"relaxation": wearables.WorkoutMindAndBody,
	"rest":       wearables.WorkoutRecovery,
}

// mindfulSessions are the session types whose duration counts as mindful
// time.
var mindfulSessions = map[string]bool{"breathing": true, "meditation": true, "relaxation": true}

// normalizeSession maps a session: a nap becomes a Sleep, anything else a
// Workout (body_status and unknown types are wearables.WorkoutOther), with
// the heart-rate and HRV recorded during it, and mindful time for
// breathing, meditation and relaxation.
func normalizeSession(d *rawSession, res *wearables.FetchResult) {
	id := string(d.ID)
	kind := wearables.KindWorkout
	if d.Type == "nap" {
		kind = wearables.KindSleep
	}
	start, end, ok := bounds(res, kind, id, d.StartDatetime, "start_datetime", d.EndDatetime, "end_datetime")
	if !ok {
		return
	}
	if kind == wearables.KindSleep {
		s := wearables.Sleep{Source: ringSource, ProviderRecordID: id, Version: version(d.Meta),
			Start: start.Time, End: end.Time, Offset: start.Offset, IsNap: true}
		normalize.FillSleep(&s)
		res.Records.Sleep = append(res.Records.Sleep, s)
	} else {
		typ, known := sessionTypes[d.Type]
		if !known {
			typ = wearables.WorkoutOther
		}
		res.Records.Workouts = append(res.Records.Workouts, wearables.Workout{
			Source:           ringSource,
			ProviderRecordID: id,
			Version:          version(d.Meta),
			Type:             typ,
			RawType:          d.Type,
			Start:            start.Time,
			End:              end.Time,
			Offset:           start.Offset,
		})
	}
	if mindfulSessions[d.Type] && end.Time.After(start.Time) {
		res.Records.Samples = append(res.Records.Samples, wearables.Sample{
			Source: ringSource,
			Type:   wearables.SeriesMindfulTime,
			Start:  start.Time,
			End:    end.Time,
			Offset: start.Offset,
			Value:  end.Time.Sub(start.Time).Seconds(),
		})
	}
	series(res, wearables.SeriesHeartRate, d.HeartRate, id, "heart_rate")
	series(res, wearables.SeriesHRVRMSSD, d.HeartRateVariability, id, "heart_rate_variability")
}

// normalizeVO2Max maps a VO2max estimate.
func normalizeVO2Max(d *rawVO2Max, res *wearables.FetchResult) {
	if d.VO2Max == nil {
		return
	}
	sample(res, wearables.SeriesVO2Max, d.Timestamp, *d.VO2Max, string(d.ID), "timestamp")
}

// score appends a vendor score for day, with the instant and offset of
// timestamp when there is one. A null value means Oura has no score for
// the day yet: nothing is appended. It reports whether the document was
// usable (a malformed day or timestamp is a rejection).
func score(res *wearables.FetchResult, kind wearables.ScoreKind, id docID, meta *rawMeta, day, timestamp string,
	value *float64, lo, hi float64, cs map[string]float64) bool {
	d, err := wearables.ParseDate(day)
	if err != nil {
		reject(res, wearables.KindScore, string(id), "day", "malformed day "+strconv.Quote(day))
		return false
	}
	at := normalize.Instant{Offset: wearables.NoOffset}
	if timestamp != "" {
		if at, err = normalize.ParseRFC3339(timestamp); err != nil {
			reject(res, wearables.KindScore, string(id), "timestamp", err.Error())
			return false
		}
	}
	if value == nil {
		return true
	}
	res.Records.Scores = append(res.Records.Scores, wearables.Score{
		Source:           ringSource,
		Kind:             kind,
		ProviderRecordID: string(id),
		Version:          version(meta),
		Date:             d,
		Time:             at.Time,
		Offset:           at.Offset,
		Value:            *value,
		Min:              lo,
		Max:              hi,
		Contributors:     cs,
	})
	return true
}

// named is one named, nullable value: a score contributor.
type named struct {
	name  string
	value *float64
}

// contributors builds a score's contributor map, leaving out null values;
// it returns nil when every value is null.
func contributors(cs ...named) map[string]float64 {
	var m map[string]float64
	for _, c := range cs {
		if c.value == nil {
			continue
		}
		if m == nil {
			m = make(map[string]float64, len(cs))
		}
		m[c.name] = *c.value
	}
	return m
}

// series expands a PublicSample into instant samples, one per non-null
// item, every interval seconds from its timestamp (in the timestamp's
// offset). A malformed sample rejects the series, not its record.
func series(res *wearables.FetchResult, typ wearables.SeriesType, s *rawSample, id, field string) {
	if s == nil || len(s.Items) == 0 {
		return
	}
	start, err := normalize.ParseRFC3339(s.Timestamp)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, ProviderRecordID: id, Type: typ, Field: field + ".timestamp", Reason: err.Error()})
		return
	}
	step, err := normalize.DurationOf(s.Interval, "s")
	if err != nil || step <= 0 {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, ProviderRecordID: id, Type: typ, Field: field + ".interval",
			Reason: "interval " + strconv.FormatFloat(s.Interval, 'g', -1, 64) + " s is not a positive duration"})
		return
	}
	for i, v := range s.Items {
		if v == nil {
			continue
		}
		res.Records.Samples = append(res.Records.Samples, wearables.Sample{
			Source: ringSource,
			Type:   typ,
			Start:  start.Time.Add(time.Duration(i) * step),
			Offset: start.Offset,
			Value:  *v,
		})
	}
}

// sampleCounter is a document that carries sample series: it tells how
// many samples it may yield, so a page allocates its samples once.
type sampleCounter interface{ sampleItems() int }

func (d *rawSleep) sampleItems() int          { return items(d.HeartRate) + items(d.HRV) }
func (d *rawSession) sampleItems() int        { return items(d.HeartRate) + items(d.HeartRateVariability) + 1 }
func (d *rawDailyActivity) sampleItems() int  { return items(d.Met) }
func (d *rawHeartRate) sampleItems() int      { return 1 }
func (d *rawDailyReadiness) sampleItems() int { return 1 }
func (d *rawVO2Max) sampleItems() int         { return 1 }

// items is the number of items of a sample, 0 for none.
func items(s *rawSample) int {
	if s == nil {
		return 0
	}
	return len(s.Items)
}

// sample appends one instant sample at timestamp.
func sample(res *wearables.FetchResult, typ wearables.SeriesType, timestamp string, v float64, id, field string) {
	at, err := normalize.ParseRFC3339(timestamp)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, ProviderRecordID: id, Type: typ, Field: field, Reason: err.Error()})
		return
	}
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{Source: ringSource, Type: typ, Start: at.Time, Offset: at.Offset, Value: v})
}

// bounds parses a record's start and end, rejecting it when either is
// malformed.
func bounds(res *wearables.FetchResult, kind wearables.RecordKind, id, start, startField, end, endField string) (s, e normalize.Instant, ok bool) {
	s, err := normalize.ParseRFC3339(start)
	if err != nil {
		reject(res, kind, id, startField, err.Error())
		return s, e, false
	}
	if e, err = normalize.ParseRFC3339(end); err != nil {
		reject(res, kind, id, endField, err.Error())
		return s, e, false
	}
	return s, e, true
}

func reject(res *wearables.FetchResult, kind wearables.RecordKind, id, field, reason string) {
	res.Rejected = append(res.Rejected, wearables.Rejection{Kind: kind, ProviderRecordID: id, Field: field, Reason: reason})
}

// version is a document's revision for "latest wins": meta.updated_at in
// Unix milliseconds, 0 when Oura sent no metadata.
func version(m *rawMeta) int64 {
	if m == nil {
		return 0
	}
	at, err := normalize.ParseRFC3339(m.UpdatedAt)
	if err != nil {
		return 0
	}
	return at.Time.UnixMilli()
}

// duration converts optional seconds to a duration; nil stays nil, and so
// does a value no time.Duration holds.
func duration(secs *int64) *time.Duration {
	if secs == nil {
		return nil
	}
	d, err := normalize.DurationOf(float64(*secs), "s")
	if err != nil {
		return nil
	}
	return &d
}

// seconds turns optional integer seconds into the float a summary holds
// (seconds are the canonical unit of time series).
func seconds(secs *int64) *float64 {
	if secs == nil {
		return nil
	}
	v := float64(*secs)
	return &v
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
