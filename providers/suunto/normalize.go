package suunto

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// dataSource is where 24/7 data comes from: the user's Suunto watch, whose
// model the 24/7 API does not name.
var dataSource = wearables.Source{Provider: wearables.ProviderSuunto, DeviceType: wearables.DeviceWatch}

// Scale of Suunto's sleep quality score.
const sleepScoreMin, sleepScoreMax = 0, 100

// series is a series type and the unit Suunto reports it in, with the
// converter to the type's canonical unit, built once by normalize.
type series struct {
	typ  wearables.SeriesType
	conv normalize.Converter
	err  error // why the converter could not be built; never expected
}

func newSeries(t wearables.SeriesType, unit string) series {
	c, err := normalize.CanonicalConverter(t, unit)
	return series{typ: t, conv: c, err: err}
}

// The series Suunto reports, in Suunto's units. Read-only after init.
var (
	seriesHeartRate    = newSeries(wearables.SeriesHeartRate, "bpm")
	seriesSteps        = newSeries(wearables.SeriesSteps, "count")
	seriesSpO2Fraction = newSeries(wearables.SeriesOxygenSaturation, "fraction")
	seriesSpO2Percent  = newSeries(wearables.SeriesOxygenSaturation, "%")
	seriesEnergy       = newSeries(wearables.SeriesTotalEnergy, "J")
	seriesHRV          = newSeries(wearables.SeriesHRVRMSSD, "ms")
	seriesBodyBattery  = newBodyBattery()
)

// newBodyBattery converts Suunto's body resources, a fraction 0–1, to the
// 0–100 scale of wearables.SeriesBodyBattery, through the registry's
// fraction → percent conversion (the score is the percentage).
func newBodyBattery() series {
	s := series{typ: wearables.SeriesBodyBattery}
	from, err := normalize.LookupUnit("fraction")
	if err != nil {
		s.err = err
		return s
	}
	to, err := normalize.LookupUnit("%")
	if err != nil {
		s.err = err
		return s
	}
	s.conv, s.err = normalize.NewConverter(from, to, 0)
	return s
}

// appendSample appends an instant sample of v (in Suunto's unit) at at.
func (s series) appendSample(res *wearables.FetchResult, at normalize.Instant, v float64) {
	if s.err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: s.typ, Time: at.Time, Reason: s.err.Error()})
		return
	}
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{
		Source: dataSource,
		Type:   s.typ,
		Start:  at.Time,
		Offset: at.Offset,
		Value:  s.conv.Convert(v),
	})
}

// finish moves implausible records to Rejected; every page and webhook
// ends with it.
func finish(res *wearables.FetchResult) {
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
}

// normalizeWorkouts maps a page of workouts.
func normalizeWorkouts(pg *workoutPage) wearables.FetchResult {
	var res wearables.FetchResult
	res.Records.Workouts = make([]wearables.Workout, 0, len(pg.Payload))
	for i := range pg.Payload {
		normalizeWorkout(&pg.Payload[i], nil, &res)
	}
	finish(&res)
	return res
}

// normalizeWorkout maps one workout. gear is the device pushed beside the
// workout in a webhook, used when the workout carries none. Times are epoch
// milliseconds stamped with timeOffsetInMinutes; a workout without stopTime
// (Suunto computes it after the first push) ends totalTime after its
// start. The heart-rate maximum is workoutMaxHR (or hrmax): hrdata.max and
// userMaxHR are the user's configured maximum, not the workout's.
func normalizeWorkout(w *rawWorkout, gear *rawGear, res *wearables.FetchResult) {
	id := string(w.WorkoutKey)
	if id == "" {
		id = string(w.WorkoutID)
	}
	if id == "" {
		reject(res, wearables.KindWorkout, "", "workoutKey", "the workout has neither workoutKey nor workoutId")
		return
	}
	if w.StartTime == nil {
		reject(res, wearables.KindWorkout, id, "startTime", "the workout has no startTime")
		return
	}
	off := wearables.NoOffset
	if w.TimeOffsetInMinutes != nil {
		o, err := normalize.OffsetFromMinutes(*w.TimeOffsetInMinutes)
		if err != nil {
			reject(res, wearables.KindWorkout, id, "timeOffsetInMinutes", err.Error())
			return
		}
		off = o
	}
	start := normalize.UnixMilli(*w.StartTime, off)
	var end time.Time
	switch {
	case w.StopTime != nil:
		end = normalize.UnixMilli(*w.StopTime, off).Time
	case w.TotalTime != nil:
		d, err := normalize.DurationOf(*w.TotalTime, "s")
		if err != nil {
			reject(res, wearables.KindWorkout, id, "totalTime", err.Error())
			return
		}
		end = start.Time.Add(d)
	default:
		reject(res, wearables.KindWorkout, id, "stopTime", "the workout has neither stopTime nor totalTime")
		return
	}
	typ, raw := wearables.WorkoutOther, ""
	if w.ActivityID != nil {
		typ, raw = WorkoutType(*w.ActivityID), rawType(*w.ActivityID)
	}
	g := w.Gear
	if g == nil {
		g = gear
	}
	out := wearables.Workout{
		Source:           sourceOf(g),
		ProviderRecordID: id,
		Type:             typ,
		RawType:          raw,
		Name:             deref(w.Name),
		Start:            start.Time,
		End:              end,
		Offset:           start.Offset,
		Distance:         w.TotalDistance,
		Energy:           w.EnergyConsumption,
		Steps:            w.StepCount,
		ElevationGain:    w.TotalAscent,
		ElevationLoss:    w.TotalDescent,
		AvgSpeed:         w.AvgSpeed,
		MaxSpeed:         w.MaxSpeed,
		AvgPower:         positive(w.AvgPower),
		MaxPower:         positive(w.MaxPower),
		AvgCadence:       positive(first(w.AvgCadence, w.Cadence)),
	}
	if hr := w.HRData; hr != nil {
		out.AvgHR = positive(first(hr.WorkoutAvgHR, hr.Avg))
		out.MaxHR = positive(first(hr.WorkoutMaxHR, hr.HRMax)) // never hr.Max or hr.UserMaxHR
		out.MinHR = positive(hr.Min)
	}
	res.Records.Workouts = append(res.Records.Workouts, out)
}

// sourceOf is the source of a workout recorded with gear: its model
// (displayName, else name) and, for a SPORT_WATCH, the watch device type.
// A workout without gear has an unknown device.
func sourceOf(g *rawGear) wearables.Source {
	src := wearables.Source{Provider: wearables.ProviderSuunto}
	if g == nil {
		return src
	}
	src.DeviceModel = strings.TrimSpace(g.DisplayName)
	if src.DeviceModel == "" {
		src.DeviceModel = strings.TrimSpace(g.Name)
	}
	switch g.ProductType {
	case "SPORT_WATCH":
		src.DeviceType = wearables.DeviceWatch
	default:
		src.DeviceType = wearables.DeviceUnknown
	}
	return src
}

// normalizeEntries maps a list of 24/7 entries with norm.
func normalizeEntries[T any](entries []rawEntry[T], norm func(*rawEntry[T], *wearables.FetchResult)) wearables.FetchResult {
	var res wearables.FetchResult
	switch any(entries).(type) { // pre-size for what each entry yields at most
	case []rawEntry[rawActivity]:
		res.Records.Samples = make([]wearables.Sample, 0, 5*len(entries))
	case []rawEntry[rawRecovery]:
		res.Records.Samples = make([]wearables.Sample, 0, len(entries))
	case []rawEntry[rawSleep]:
		res.Records.Sleep = make([]wearables.Sleep, 0, len(entries))
		res.Records.Scores = make([]wearables.Score, 0, len(entries))
	}
	for i := range entries {
		norm(&entries[i], &res)
	}
	finish(&res)
	return res
}

// normalizeActivity maps one 24/7 activity entry to instant samples: heart
// rate, steps, SpO2 (a fraction, converted to percent; a value above 1 is
// taken as already in percent), energy (joules, converted to kcal) and
// HRV. A heart rate, SpO2 or HRV of 0 means no reading and is skipped.
func normalizeActivity(e *rawEntry[rawActivity], res *wearables.FetchResult) {
	at, err := normalize.ParseRFC3339(e.Timestamp)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Field: "timestamp", Reason: err.Error()})
		return
	}
	d := &e.EntryData
	if v := positive(d.HR); v != nil {
		seriesHeartRate.appendSample(res, at, *v)
	}
	if d.StepCount != nil {
		seriesSteps.appendSample(res, at, *d.StepCount)
	}
	if v := positive(d.SpO2); v != nil {
		if *v <= 1 {
			seriesSpO2Fraction.appendSample(res, at, *v)
		} else {
			seriesSpO2Percent.appendSample(res, at, *v)
		}
	}
	if d.EnergyConsumption != nil {
		seriesEnergy.appendSample(res, at, *d.EnergyConsumption)
	}
	if v := positive(d.HRV); v != nil {
		seriesHRV.appendSample(res, at, *v)
	}
}

// normalizeRecovery maps one 24/7 recovery entry: body resources (Balance,
// 0–1) become a body-battery sample on a 0–100 scale. StressState, a
// category (relaxing, active, passive, stressful), has no series in the
// catalog and is not kept.
func normalizeRecovery(e *rawEntry[rawRecovery], res *wearables.FetchResult) {
	at, err := normalize.ParseRFC3339(e.Timestamp)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: wearables.SeriesBodyBattery, Field: "timestamp", Reason: err.Error()})
		return
	}
	if b := e.EntryData.Balance; b != nil {
		seriesBodyBattery.appendSample(res, at, *b)
	}
}

// normalizeSleep maps one 24/7 sleep entry to a Sleep with stage totals
// (Suunto reports no hypnogram) and, when Suunto scored it, a sleep Score
// on the wake-up day. The session is BedtimeStart–BedtimeEnd; devices that
// omit them are placed by the entry's timestamp and Duration. Awake time
// is Suunto's WakeAfterSleepOnset + WakeBeforeOffBed when reported, else
// Duration − (deep + light + REM).
func normalizeSleep(e *rawEntry[rawSleep], res *wearables.FetchResult) {
	d := &e.EntryData
	id := string(d.SleepID)
	dur, ok := sleepDuration(res, id, "Duration", d.Duration)
	if !ok {
		return
	}
	start, end, ok := sleepBounds(res, id, e.Timestamp, d.BedtimeStart, d.BedtimeEnd, dur)
	if !ok {
		return
	}
	if id == "" {
		id = normalize.SleepID(dataSource, start.Time, end.Time)
	}
	s := wearables.Sleep{
		Source:           dataSource,
		ProviderRecordID: id,
		Start:            start.Time,
		End:              end.Time,
		Offset:           start.Offset,
		AvgHR:            positive(d.HRAvg),
		MinHR:            positive(d.HRMin),
		AvgHRV:           positive(d.AvgHRV),
	}
	if d.IsNap != nil {
		s.IsNap = *d.IsNap
	} else {
		s.IsNap = normalize.IsNap(start.Time, end.Time, start.Offset, nil)
	}
	var staged time.Duration
	for _, st := range []struct {
		stage wearables.SleepStage
		field string
		secs  *float64
	}{
		{wearables.StageDeep, "DeepSleepDuration", d.DeepSleepDuration},
		{wearables.StageLight, "LightSleepDuration", d.LightSleepDuration},
		{wearables.StageREM, "REMSleepDuration", d.REMSleepDuration},
	} {
		v, ok := sleepDuration(res, id, st.field, st.secs)
		if !ok {
			return
		}
		s.Totals.Add(st.stage, v)
		staged += v
	}
	if d.WakeAfterSleepOnsetDuration != nil || d.WakeBeforeOffBedDuration != nil {
		for _, w := range []struct {
			field string
			secs  *float64
		}{{"WakeAfterSleepOnsetDuration", d.WakeAfterSleepOnsetDuration}, {"WakeBeforeOffBedDuration", d.WakeBeforeOffBedDuration}} {
			v, ok := sleepDuration(res, id, w.field, w.secs)
			if !ok {
				return
			}
			s.Totals.Awake += v
		}
	} else if dur > staged && staged > 0 {
		s.Totals.Awake = dur - staged
	}
	if d.SleepOnsetLatencyDuration != nil {
		v, ok := sleepDuration(res, id, "SleepOnsetLatencyDuration", d.SleepOnsetLatencyDuration)
		if !ok {
			return
		}
		s.Latency = &v
	}
	normalize.FillSleep(&s)
	res.Records.Sleep = append(res.Records.Sleep, s)
	if d.SleepQualityScore != nil {
		res.Records.Scores = append(res.Records.Scores, wearables.Score{
			Source:           dataSource,
			Kind:             wearables.ScoreSleep,
			ProviderRecordID: id,
			Date:             end.Date(nil),
			Time:             end.Time,
			Offset:           end.Offset,
			Value:            *d.SleepQualityScore,
			Min:              sleepScoreMin,
			Max:              sleepScoreMax,
		})
	}
}

// sleepDuration converts optional seconds; nil is 0. A value no duration
// holds, or a negative one, rejects the session.
func sleepDuration(res *wearables.FetchResult, id, field string, secs *float64) (time.Duration, bool) {
	if secs == nil {
		return 0, true
	}
	v, err := normalize.DurationOf(*secs, "s")
	if err == nil && v < 0 {
		err = &normalize.ParseError{What: "duration", Input: strconv.FormatFloat(*secs, 'g', -1, 64) + " s", Reason: "negative"}
	}
	if err != nil {
		reject(res, wearables.KindSleep, id, field, err.Error())
		return 0, false
	}
	return v, true
}

// sleepBounds returns a session's start and end: BedtimeStart and
// BedtimeEnd when present, else derived from the one present (or the
// entry's timestamp) and the duration.
func sleepBounds(res *wearables.FetchResult, id, timestamp string, bedStart, bedEnd *string, dur time.Duration) (start, end normalize.Instant, ok bool) {
	parse := func(field, s string) (normalize.Instant, bool) {
		in, err := normalize.ParseRFC3339(s)
		if err != nil {
			reject(res, wearables.KindSleep, id, field, err.Error())
			return in, false
		}
		return in, true
	}
	if bedStart != nil {
		if start, ok = parse("BedtimeStart", *bedStart); !ok {
			return start, end, false
		}
	}
	if bedEnd != nil {
		if end, ok = parse("BedtimeEnd", *bedEnd); !ok {
			return start, end, false
		}
	}
	switch {
	case bedStart != nil && bedEnd != nil:
	case bedEnd != nil:
		start = normalize.Instant{Time: end.Time.Add(-dur), Offset: end.Offset}
	default:
		if bedStart == nil {
			if start, ok = parse("timestamp", timestamp); !ok {
				return start, end, false
			}
		}
		end = normalize.Instant{Time: start.Time.Add(dur), Offset: start.Offset}
	}
	if !end.Time.After(start.Time) {
		reject(res, wearables.KindSleep, id, "BedtimeEnd", "the session does not end after it starts")
		return start, end, false
	}
	return start, end, true
}

// statistic is a daily statistic this package maps: its series and unit.
var statistics = map[string]series{
	"stepcount":         seriesSteps,
	"energyconsumption": seriesEnergy,
}

// normalizeStatistics maps daily activity statistics to one activity
// DailySummary per day with the day's steps and energy. Suunto buckets
// days in UTC (the summary's offset is 0 unless a time carries its own).
// When several sources report the same day, the largest value is kept:
// sources are never summed. Null values are days without data.
func normalizeStatistics(stats []rawStatistic) wearables.FetchResult {
	var res wearables.FetchResult
	n := 0
	for i := range stats {
		for _, src := range stats[i].Sources {
			n = max(n, len(src.Samples))
		}
	}
	res.Records.Summaries = make([]wearables.DailySummary, 0, n)
	// Each series lists the same days: a day's time string is parsed once
	// and names its summary (an index into Summaries) from then on.
	byTime := make(map[string]int, n)
	byDate := make(map[wearables.Date]int, n)
	for i := range stats {
		st := &stats[i]
		s, ok := statistics[strings.ToLower(st.Name)]
		if !ok {
			continue
		}
		if s.err != nil {
			reject(&res, wearables.KindDailySummary, "", st.Name, s.err.Error())
			continue
		}
		for _, src := range st.Sources {
			for _, smp := range src.Samples {
				if smp.Value == nil {
					continue
				}
				k, ok := byTime[smp.TimeISO8601]
				if !ok {
					// Suunto writes UTC without an offset; accept one if present.
					in, err := normalize.ParseNaive(smp.TimeISO8601, 0)
					if err != nil {
						if in, err = normalize.ParseRFC3339(smp.TimeISO8601); err != nil {
							reject(&res, wearables.KindDailySummary, "", st.Name+".TimeISO8601", err.Error())
							continue
						}
					}
					date := in.Date(nil)
					if k, ok = byDate[date]; !ok {
						k = len(res.Records.Summaries)
						byDate[date] = k
						res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
							Source: dataSource,
							Kind:   wearables.SummaryActivity,
							Date:   date,
							Offset: in.Offset,
							Values: make(map[wearables.SeriesType]float64, len(statistics)),
						})
					}
					byTime[smp.TimeISO8601] = k
				}
				values := res.Records.Summaries[k].Values
				v := s.conv.Convert(*smp.Value)
				if old, ok := values[s.typ]; !ok || v > old {
					values[s.typ] = v
				}
			}
		}
	}
	byDay := func(a, b wearables.DailySummary) int {
		switch {
		case a.Date.Before(b.Date):
			return -1
		case b.Date.Before(a.Date):
			return 1
		}
		return 0
	}
	if !slices.IsSortedFunc(res.Records.Summaries, byDay) { // Suunto lists days in order
		slices.SortFunc(res.Records.Summaries, byDay)
	}
	finish(&res)
	return res
}

func reject(res *wearables.FetchResult, kind wearables.RecordKind, id, field, reason string) {
	res.Rejected = append(res.Rejected, wearables.Rejection{Kind: kind, ProviderRecordID: id, Field: field, Reason: reason})
}

// positive returns p, or nil when it is absent or not positive: Suunto
// sends 0 for a heart rate, power or cadence it did not measure.
func positive(p *float64) *float64 {
	if p == nil || !(*p > 0) {
		return nil
	}
	return p
}

// first returns the first non-nil value.
func first(ps ...*float64) *float64 {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// decodeWorkouts decodes a workout page body and normalizes it, as Fetch
// does after reading a response.
func decodeWorkouts(body []byte) (wearables.FetchResult, error) {
	var pg workoutPage
	if err := json.Unmarshal(body, &pg); err != nil {
		return wearables.FetchResult{}, err
	}
	if err := envelopeError(pg.Error); err != nil {
		return wearables.FetchResult{}, err
	}
	return normalizeWorkouts(&pg), nil
}

// decodeList returns a decoder of a 24/7 list body normalizing each entry
// with norm.
func decodeList[T any](norm func(*rawEntry[T], *wearables.FetchResult)) func([]byte) (wearables.FetchResult, error) {
	return func(body []byte) (wearables.FetchResult, error) { return decodeEntries(body, norm) }
}

// decodeStatistics decodes a daily statistics body and normalizes it.
func decodeStatistics(body []byte) (wearables.FetchResult, error) {
	var stats []rawStatistic
	if err := json.Unmarshal(body, &stats); err != nil {
		return wearables.FetchResult{}, err
	}
	return normalizeStatistics(stats), nil
}
