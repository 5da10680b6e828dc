package withings

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// series is a series type and the unit Withings reports it in, with the
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

// canonical converts v to the series' canonical unit.
func (s series) canonical(v float64) (float64, error) {
	if s.err != nil {
		return 0, s.err
	}
	return s.conv.Convert(v), nil
}

// measureTypes maps the getmeas measure types this provider syncs to
// series, in the SI unit Withings states for each (value × 10^unit is in
// that unit). Types without a series in the catalog — height is kept, but
// AFib classifications (130, 139), ECG intervals (135–138), vascular and
// metabolic age (155, 227), nerve health and skin conductance (167, 196,
// 229), extra/intracellular water (168, 169) and segmental body
// composition (173–175) — are not requested. Read-only after init.
var measureTypes = map[int]series{
	1:   newSeries(wearables.SeriesWeight, "kg"),
	4:   newSeries(wearables.SeriesHeight, "m"),
	5:   newSeries(wearables.SeriesLeanBodyMass, "kg"),
	6:   newSeries(wearables.SeriesBodyFatPercentage, "%"),
	8:   newSeries(wearables.SeriesFatMass, "kg"),
	9:   newSeries(wearables.SeriesBloodPressureDiastolic, "mmHg"),
	10:  newSeries(wearables.SeriesBloodPressureSystolic, "mmHg"),
	11:  newSeries(wearables.SeriesHeartRate, "bpm"),
	12:  newSeries(wearables.SeriesBodyTemperature, "degC"),
	54:  newSeries(wearables.SeriesOxygenSaturation, "%"),
	71:  newSeries(wearables.SeriesBodyTemperature, "degC"),
	73:  newSeries(wearables.SeriesSkinTemperature, "degC"),
	76:  newSeries(wearables.SeriesMuscleMass, "kg"),
	77:  newSeries(wearables.SeriesBodyWaterMass, "kg"),
	88:  newSeries(wearables.SeriesBoneMass, "kg"),
	91:  newSeries(wearables.SeriesPulseWaveVelocity, "m/s"),
	123: newSeries(wearables.SeriesVO2Max, "mL/min/kg"),
	170: newSeries(wearables.SeriesVisceralFatRating, "score"),
	226: newSeries(wearables.SeriesBasalMetabolicRate, "kcal"),
}

// measTypeList is the meastypes parameter: the keys of measureTypes.
const measTypeList = "1,4,5,6,8,9,10,11,12,54,71,73,76,77,88,91,123,170,226"

// maxExponent bounds a measure's unit: Withings uses small powers of ten;
// anything beyond is garbage (and 10^400 would overflow).
const maxExponent = 30

// The series of the other services, in Withings' units.
var (
	seriesSteps         = newSeries(wearables.SeriesSteps, "count")
	seriesDistance      = newSeries(wearables.SeriesDistance, "m")
	seriesFloors        = newSeries(wearables.SeriesFlightsClimbed, "floors")
	seriesLowTime       = newSeries(wearables.SeriesLowIntensityTime, "s")
	seriesModerateTime  = newSeries(wearables.SeriesModerateIntensityTime, "s")
	seriesVigorousTime  = newSeries(wearables.SeriesVigorousIntensityTime, "s")
	seriesActiveTime    = newSeries(wearables.SeriesActiveTime, "s")
	seriesActiveEnergy  = newSeries(wearables.SeriesActiveEnergy, "kcal")
	seriesTotalEnergy   = newSeries(wearables.SeriesTotalEnergy, "kcal")
	seriesHeartRate     = newSeries(wearables.SeriesHeartRate, "bpm")
	seriesMinHeartRate  = newSeries(wearables.SeriesMinHeartRate, "bpm")
	seriesMaxHeartRate  = newSeries(wearables.SeriesMaxHeartRate, "bpm")
	seriesStrokes       = newSeries(wearables.SeriesSwimmingStrokes, "strokes")
	seriesLaps          = newSeries(wearables.SeriesSwimmingLaps, "laps")
	seriesSpO2          = newSeries(wearables.SeriesOxygenSaturation, "%")
	seriesRMSSD         = newSeries(wearables.SeriesHRVRMSSD, "ms")
	seriesSDNN          = newSeries(wearables.SeriesHRVSDNN, "ms")
	seriesRespiration   = newSeries(wearables.SeriesRespiratoryRate, "breaths/min")
	seriesBodyTemp      = newSeries(wearables.SeriesBodyTemperature, "degC")
	seriesApneaHypopnea = newSeries(wearables.SeriesApneaHypopneaIndex, "count/h")
	seriesSnoring       = newSeries(wearables.SeriesSnoringDuration, "s")
)

// at returns the instant sec seconds after the epoch with the offset loc
// has at that instant (offsets are computed per record and instant, so a
// night across a DST change starts in one offset and ends in another), or
// wearables.NoOffset when the record named no known zone.
func at(sec int64, loc *time.Location) normalize.Instant {
	if loc == nil {
		return normalize.Unix(sec, wearables.NoOffset)
	}
	return normalize.UnixIn(sec, loc)
}

// dayOffset returns the offset loc has when local day d starts, or
// wearables.NoOffset without a zone.
func dayOffset(d wearables.Date, loc *time.Location) wearables.Offset {
	if loc == nil {
		return wearables.NoOffset
	}
	return wearables.OffsetOf(d.In(loc))
}

// version turns Withings' modified (epoch seconds) into a record version in
// Unix milliseconds; 0 when absent.
func version(modified int64) int64 {
	if modified <= 0 || modified > 1<<40 {
		return 0
	}
	return modified * 1000
}

func reject(kind wearables.RecordKind, id, field, reason string) wearables.Rejection {
	return wearables.Rejection{Kind: kind, ProviderRecordID: id, Field: field, Reason: reason}
}

// seconds converts a duration in seconds; nil stays nil.
func seconds(v *float64) (*time.Duration, error) {
	if v == nil {
		return nil, nil
	}
	d, err := normalize.DurationOf(*v, "s")
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// positive returns v when it is a positive number, else nil: Withings
// writes 0 for a heart rate it did not measure.
func positive(v *float64) *float64 {
	if v == nil || !(*v > 0) {
		return nil
	}
	c := *v
	return &c
}

// normalizeMeasures maps a getmeas page: one instant sample per measure of
// a synced type, at the group's date, in the group's (else the page's)
// zone. Groups entered by hand (attrib 2 and 4) come from a manual source.
func normalizeMeasures(page *measurePage, z *zones) wearables.FetchResult {
	var res wearables.FetchResult
	n := 0
	for i := range page.MeasureGrps {
		n += len(page.MeasureGrps[i].Measures)
	}
	res.Records.Samples = make([]wearables.Sample, 0, n)
	pageLoc := z.load(page.Timezone)
	for i := range page.MeasureGrps {
		g := &page.MeasureGrps[i]
		loc := pageLoc
		if g.Timezone != "" {
			loc = z.load(g.Timezone)
		}
		when := at(g.Date, loc)
		src := source(g.ModelID, g.Model, manualAttrib(g.Attrib))
		for _, m := range g.Measures {
			s, ok := measureTypes[m.Type]
			if !ok {
				continue // a type this provider does not sync
			}
			if m.Unit > maxExponent || m.Unit < -maxExponent {
				res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, ProviderRecordID: string(g.GrpID),
					Type: s.typ, Time: when.Time, Field: "unit", Reason: "unit 10^" + strconv.Itoa(m.Unit) + " is out of range"})
				continue
			}
			v, err := s.canonical(normalize.Pow10(m.Value, m.Unit))
			if err != nil {
				res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, ProviderRecordID: string(g.GrpID),
					Type: s.typ, Time: when.Time, Field: "value", Reason: err.Error()})
				continue
			}
			res.Records.Samples = append(res.Records.Samples, wearables.Sample{
				Source: src, Type: s.typ, Start: when.Time, Offset: when.Offset, Value: v,
			})
		}
	}
	return res
}

// normalizeActivity maps getactivity days to activity summaries: steps,
// distance, floors, intensity times, active and total energy, and the
// day's average, lowest and highest heart rate. The offset is the zone's
// at the start of the day.
func normalizeActivity(page *activityPage, z *zones) wearables.FetchResult {
	var res wearables.FetchResult
	for i := range page.Activities {
		a := &page.Activities[i]
		day, err := wearables.ParseDate(a.Date)
		if err != nil {
			res.Rejected = append(res.Rejected, reject(wearables.KindDailySummary, "", "date", err.Error()))
			continue
		}
		values := make(map[wearables.SeriesType]float64, 12)
		for _, f := range [...]struct {
			s series
			v *float64
		}{
			{seriesSteps, a.Steps}, {seriesDistance, a.Distance}, {seriesFloors, a.Elevation},
			{seriesLowTime, a.Soft}, {seriesModerateTime, a.Moderate}, {seriesVigorousTime, a.Intense},
			{seriesActiveTime, a.Active}, {seriesActiveEnergy, a.Calories}, {seriesTotalEnergy, a.TotalCalories},
			{seriesHeartRate, positive(a.HRAverage)}, {seriesMinHeartRate, positive(a.HRMin)}, {seriesMaxHeartRate, positive(a.HRMax)},
		} {
			if f.v == nil {
				continue
			}
			v, err := f.s.canonical(*f.v)
			if err != nil {
				continue
			}
			values[f.s.typ] = v
		}
		if len(values) == 0 {
			continue
		}
		res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
			Source:  source(a.ModelID, a.Model, false),
			Kind:    wearables.SummaryActivity,
			Date:    day,
			Offset:  dayOffset(day, z.load(a.Timezone)),
			Version: version(a.Modified),
			Values:  values,
		})
	}
	return res
}

// intradayEntry is one getintradayactivity entry with its parsed start.
type intradayEntry struct {
	sec int64
	e   *rawIntraday
}

// normalizeIntraday maps getintradayactivity entries starting in w to
// samples, in time order: quantities (steps, floors, active energy,
// distance, strokes, pool laps) as interval samples over the entry's
// duration, readings (heart rate, SpO2, RMSSD, SDNN, respiratory rate,
// core body temperature) as instant samples. Withings gives these entries
// no zone, so they carry wearables.NoOffset.
func normalizeIntraday(page *intradayPage, w window) wearables.FetchResult {
	var res wearables.FetchResult
	entries := make([]intradayEntry, 0, len(page.Series))
	var badKeys []string
	n := 0
	for k, e := range page.Series {
		sec, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			badKeys = append(badKeys, k)
			continue
		}
		if e == (rawIntraday{}) {
			continue
		}
		entries = append(entries, intradayEntry{sec, &e})
		n += countSet(e.Steps, e.Elevation, e.Calories, e.Distance, e.Stroke, e.PoolLap,
			e.HeartRate, e.SpO2Auto, e.RMSSD, e.SDNN1, e.RR, e.CoreBodyTemperature)
	}
	slices.Sort(badKeys)
	for _, k := range badKeys {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Field: "series",
			Reason: "key " + strconv.Quote(k) + " is not epoch seconds"})
	}
	slices.SortFunc(entries, func(a, b intradayEntry) int { return cmp.Compare(a.sec, b.sec) })
	samples := make([]wearables.Sample, 0, n)
	var (
		src       wearables.Source
		lastModel = -1
		lastName  string
	)
	for _, ie := range entries {
		e := ie.e
		start := time.Unix(ie.sec, 0).UTC()
		if !w.start.IsZero() && !w.contains(start) {
			continue // Withings' bounds are inclusive: the next window has it
		}
		if name := strOr(e.Model); e.ModelID != lastModel || name != lastName {
			src, lastModel, lastName = source(e.ModelID, e.Model, false), e.ModelID, name
		}
		var end time.Time
		if e.Duration != nil && *e.Duration > 0 {
			if d, err := normalize.DurationOf(*e.Duration, "s"); err == nil {
				end = start.Add(d)
			}
		}
		add := func(s series, v *float64, interval bool) {
			if v == nil {
				return
			}
			val, err := s.canonical(*v)
			if err != nil {
				return
			}
			smp := wearables.Sample{Source: src, Type: s.typ, Start: start, Offset: wearables.NoOffset, Value: val}
			if interval {
				smp.End = end
			}
			samples = append(samples, smp)
		}
		add(seriesSteps, e.Steps, true)
		add(seriesFloors, e.Elevation, true)
		add(seriesActiveEnergy, e.Calories, true)
		add(seriesDistance, e.Distance, true)
		add(seriesStrokes, positive(e.Stroke), true) // 0 outside the pool: noise
		add(seriesLaps, positive(e.PoolLap), true)
		add(seriesHeartRate, e.HeartRate, false)
		add(seriesSpO2, e.SpO2Auto, false)
		add(seriesRMSSD, e.RMSSD, false)
		add(seriesSDNN, e.SDNN1, false)
		add(seriesRespiration, e.RR, false)
		add(seriesBodyTemp, e.CoreBodyTemperature, false)
	}
	res.Records.Samples = samples
	return res
}

func countSet(vs ...*float64) int {
	n := 0
	for _, v := range vs {
		if v != nil {
			n++
		}
	}
	return n
}

func strOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// normalizeWorkouts maps getworkouts entries. Every category maps to a
// workout type (unknown → other) and keeps its number in RawType. Active
// energy and distance fall back to the user's manual entries; a distance,
// step count, energy or heart rate of 0 means none was measured (nil);
// heart-rate zones 0–3 are Withings' light,
// moderate, intense and maximal; moving time is the elapsed time less the
// pauses, when Withings reports pauses.
func normalizeWorkouts(page *workoutPage, z *zones) wearables.FetchResult {
	var res wearables.FetchResult
	res.Records.Workouts = make([]wearables.Workout, 0, len(page.Series))
	for i := range page.Series {
		r := &page.Series[i]
		id := string(r.ID)
		if id == "" {
			res.Rejected = append(res.Rejected, reject(wearables.KindWorkout, "", "id", "workout without an id"))
			continue
		}
		loc := z.load(r.Timezone)
		start, end := at(r.StartDate, loc), at(r.EndDate, loc)
		d := &r.Data
		w := wearables.Workout{
			Source:           source(r.Model, nil, manualAttrib(r.Attrib)),
			ProviderRecordID: id,
			Version:          version(r.Modified),
			Type:             WorkoutType(r.Category),
			RawType:          rawType(r.Category),
			Start:            start.Time,
			End:              end.Time,
			Offset:           start.Offset,
			Distance:         preferred(d.Distance, d.ManualDistance),
			Energy:           preferred(d.Calories, d.ManualCalories),
			AvgHR:            positive(d.HRAverage),
			MinHR:            positive(d.HRMin),
			MaxHR:            positive(d.HRMax),
			Steps:            positive(d.Steps),
		}
		var inZones time.Duration
		for zone, v := range [...]*float64{d.HRZone0, d.HRZone1, d.HRZone2, d.HRZone3} {
			dur, err := seconds(v)
			if err != nil || dur == nil {
				continue
			}
			w.Zones = append(w.Zones, wearables.HRZone{Zone: zone, Duration: *dur})
			inZones += *dur
		}
		if inZones <= 0 {
			w.Zones = nil // no heart rate recorded (a swim): zeros, not zones
		}
		if d.PauseDuration != nil || d.AlgoPauseDuration != nil {
			var pause time.Duration
			for _, v := range [...]*float64{d.PauseDuration, d.AlgoPauseDuration} {
				if p, err := seconds(v); err == nil && p != nil && *p > 0 {
					pause += *p
				}
			}
			if elapsed := w.End.Sub(w.Start); elapsed > 0 {
				w.MovingTime = max(elapsed-pause, 0)
			}
		}
		res.Records.Workouts = append(res.Records.Workouts, w)
	}
	return res
}

// preferred returns measured when it is positive, else manual when it is
// positive, else nil: Withings writes 0 for what a workout does not
// measure (the distance of a swim, the steps of a ride).
func preferred(measured, manual *float64) *float64 {
	if v := positive(measured); v != nil {
		return v
	}
	return positive(manual)
}

// normalizeSleep maps sleep summaries, each with the stage series fetched
// for it (stages[i] belongs to page.Series[i]; nil when none was fetched),
// to one wearables.Sleep per session: bounds, offset at bedtime, the nap
// rule, Withings' stage totals (light, deep, REM, awake; "asleep" for
// nights from external sources), efficiency, latency, heart and breathing
// rates; stages from the series (states 0–5 and 15, see
// normalize.SchemeWithings; unknown states are skipped). Each session also
// yields its sleep score (0–100), its apnea-hypopnea index and snoring
// time as interval samples over the session, and the series' per-minute
// heart rate, respiratory rate, RMSSD and SDNN as instant samples.
func normalizeSleep(page *sleepSummaryPage, stages []*sleepSeriesPage, z *zones) wearables.FetchResult {
	var res wearables.FetchResult
	for i := range page.Series {
		s := &page.Series[i]
		id := string(s.ID)
		if id == "" {
			res.Rejected = append(res.Rejected, reject(wearables.KindSleep, "", "id", "sleep without an id"))
			continue
		}
		loc := z.load(s.Timezone)
		start, end := at(s.StartDate, loc), at(s.EndDate, loc)
		src := sleepSource(s)
		d := &s.Data
		sl := wearables.Sleep{
			Source:           src,
			ProviderRecordID: id,
			Version:          version(s.Modified),
			Start:            start.Time,
			End:              end.Time,
			Offset:           start.Offset,
			IsNap:            normalize.IsNap(start.Time, end.Time, start.Offset, loc),
			AvgHR:            positive(d.HRAverage),
			MinHR:            positive(d.HRMin),
			RespiratoryRate:  positive(d.RRAverage),
		}
		bad := ""
		for _, t := range [...]struct {
			v   *float64
			dst *time.Duration
		}{
			{d.LightSleepDuration, &sl.Totals.Light}, {d.DeepSleepDuration, &sl.Totals.Deep},
			{d.RemSleepDuration, &sl.Totals.REM}, {d.WakeupDuration, &sl.Totals.Awake}, {d.AsleepDuration, &sl.Totals.Asleep},
		} {
			if dur, err := seconds(t.v); err != nil {
				bad = err.Error()
			} else if dur != nil {
				*t.dst = *dur
			}
		}
		if lat, err := seconds(d.SleepLatency); err != nil {
			bad = err.Error()
		} else {
			sl.Latency = lat
		}
		if bad != "" {
			res.Rejected = append(res.Rejected, reject(wearables.KindSleep, id, "data", bad))
			continue
		}
		if d.SleepEfficiency != nil {
			if e, err := normalize.Convert(*d.SleepEfficiency, "ratio", "%"); err == nil {
				sl.Efficiency = &e
			}
		}
		if i < len(stages) && stages[i] != nil {
			sl.Stages = sleepStages(stages[i], s.StartDate, s.EndDate)
			res.Records.Samples = sleepVitals(res.Records.Samples, stages[i], src, loc)
		}
		normalize.FillSleep(&sl)
		res.Records.Sleep = append(res.Records.Sleep, sl)

		for _, m := range [...]struct {
			s series
			v *float64
		}{{seriesApneaHypopnea, d.ApneaHypopneaIndex}, {seriesSnoring, d.Snoring}} {
			if m.v == nil {
				continue
			}
			if v, err := m.s.canonical(*m.v); err == nil {
				res.Records.Samples = append(res.Records.Samples, wearables.Sample{
					Source: src, Type: m.s.typ, Start: start.Time, End: end.Time, Offset: start.Offset, Value: v})
			}
		}
		if d.SleepScore != nil {
			day, err := wearables.ParseDate(s.Date)
			if err != nil {
				day = normalize.SleepDate(sl, loc)
			}
			res.Records.Scores = append(res.Records.Scores, wearables.Score{
				Source:           src,
				Kind:             wearables.ScoreSleep,
				ProviderRecordID: id,
				Version:          sl.Version,
				Date:             day,
				Time:             end.Time,
				Offset:           end.Offset,
				Value:            *d.SleepScore,
				Min:              0,
				Max:              100,
			})
		}
	}
	return res
}

// sleepSource is the source of a sleep session: its model id, else the
// kind of device its "model" names (16 a tracker, 32 a sleep monitor).
func sleepSource(s *rawSleepSummary) wearables.Source {
	src := source(s.ModelID, nil, false)
	if _, known := devices[s.ModelID]; !known && s.Model == sleepModelTracker {
		src.DeviceType = wearables.DeviceWatch
	}
	return src
}

// sleepStages expands a session's states, clipped to the session's
// bounds. States this package does not know are skipped.
func sleepStages(page *sleepSeriesPage, from, to int64) []wearables.StageInterval {
	states := make([]normalize.EpochState, 0, len(page.Series))
	for _, st := range page.Series {
		if _, err := normalize.SchemeWithings.Stage(strconv.Itoa(st.State)); err != nil {
			continue
		}
		a, b := max(st.StartDate, from), min(st.EndDate, to)
		if b <= a {
			continue
		}
		states = append(states, normalize.EpochState{Start: a, End: b, State: st.State})
	}
	stages, err := normalize.WithingsSleepStates(states)
	if err != nil {
		return nil // unreachable: every state was checked
	}
	return stages
}

// sleepVitals appends the per-minute heart rate, respiratory rate, RMSSD
// and SDNN of a session's states to samples, each series in time order.
// Per-minute snoring is left out: the session's total is kept instead, and
// both would be summed.
func sleepVitals(samples []wearables.Sample, page *sleepSeriesPage, src wearables.Source, loc *time.Location) []wearables.Sample {
	var buf []point // reused across the maps
	for _, st := range page.Series {
		for _, m := range [...]struct {
			s series
			v phpMap[*float64]
		}{{seriesHeartRate, st.HR}, {seriesRespiration, st.RR}, {seriesRMSSD, st.RMSSD}, {seriesSDNN, st.SDNN1}} {
			samples, buf = appendSeries(samples, buf, m.s, m.v, src, loc)
		}
	}
	return samples
}

// point is one value of an epoch-keyed series.
type point struct {
	sec int64
	v   float64
}

// appendSeries appends one sample per key of an epoch-keyed map, in time
// order, using buf as scratch space (returned for reuse). Keys that are
// not epoch seconds and null values are skipped.
func appendSeries(samples []wearables.Sample, buf []point, s series, m phpMap[*float64], src wearables.Source, loc *time.Location) ([]wearables.Sample, []point) {
	if len(m) == 0 {
		return samples, buf
	}
	pts := buf[:0]
	for k, v := range m {
		sec, err := strconv.ParseInt(k, 10, 64)
		if err != nil || v == nil {
			continue
		}
		pts = append(pts, point{sec, *v})
	}
	slices.SortFunc(pts, func(a, b point) int { return cmp.Compare(a.sec, b.sec) })
	samples = slices.Grow(samples, len(pts))
	for _, p := range pts {
		v, err := s.canonical(p.v)
		if err != nil {
			continue
		}
		when := at(p.sec, loc)
		samples = append(samples, wearables.Sample{Source: src, Type: s.typ, Start: when.Time, Offset: when.Offset, Value: v})
	}
	return samples, pts
}
