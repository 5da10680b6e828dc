package whoop

import (
	"strconv"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// source is where every WHOOP record comes from: the WHOOP band, a strap.
// WHOOP does not say which generation recorded a record.
var source = wearables.Source{Provider: wearables.ProviderWhoop, DeviceType: wearables.DeviceStrap}

// Vendor scales of WHOOP scores.
const (
	strainMax  = 21  // strain is 0–21
	percentMax = 100 // recovery and sleep performance are 0–100 %
)

// cycleDayShift places a cycle on a calendar day: a cycle runs from
// falling asleep to falling asleep again, and belongs to the local day of
// its start plus cycleDayShift — a cycle that starts at 23:00 on Monday is
// Tuesday's, one that starts at 01:00 on Tuesday too.
const cycleDayShift = 12 * time.Hour

// normalizeCycles maps a page of cycles and the recoveries fetched for
// them. A SCORED cycle gives a strain Score and two interval samples over
// the cycle (total energy from its kilojoules, maximum heart rate); an
// ongoing cycle's samples end at its updated_at, the moment its running
// totals were computed. A SCORED recovery whose cycle is on the page gives
// a recovery Score and instant samples (resting heart rate, HRV RMSSD,
// SpO2, skin temperature) at its created_at, in the cycle's UTC offset;
// recoveries of cycles not on the page are left for that page. Unscored
// cycles and recoveries carry no measurement and give nothing.
func normalizeCycles(cycles []rawCycle, recoveries []rawRecovery) wearables.FetchResult {
	var res wearables.FetchResult
	// At most two scores and six samples a cycle.
	res.Records.Scores = make([]wearables.Score, 0, 2*len(cycles))
	res.Records.Samples = make([]wearables.Sample, 0, 6*len(cycles))
	byCycle := make(map[flexID]*rawRecovery, len(recoveries))
	for i := range recoveries {
		byCycle[recoveries[i].CycleID] = &recoveries[i]
	}
	for i := range cycles {
		c := &cycles[i]
		id := string(c.ID)
		if id == "" {
			res.Rejected = append(res.Rejected, reject(wearables.KindScore, "", "id", "cycle without an id"))
			continue
		}
		start, err := instant(c.Start, c.TimezoneOffset)
		if err != nil {
			res.Rejected = append(res.Rejected, reject(wearables.KindScore, id, "start", "cycle start: "+err.Error()))
			continue
		}
		day := normalize.LocalDate(start.Time.Add(cycleDayShift), start.Offset, nil)
		if c.ScoreState == stateScored && c.Score != nil {
			cycleScore(&res, c, id, start, day)
		}
		if r := byCycle[c.ID]; r != nil && c.ID != "" {
			recovery(&res, r, start.Offset, day)
		}
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

// cycleScore adds what a SCORED cycle measured.
func cycleScore(res *wearables.FetchResult, c *rawCycle, id string, start normalize.Instant, day wearables.Date) {
	s := c.Score
	if s.Strain != nil {
		sc := wearables.Score{
			Source:           source,
			Kind:             wearables.ScoreStrain,
			ProviderRecordID: id,
			Version:          version(c.UpdatedAt),
			Date:             day,
			Time:             start.Time,
			Offset:           start.Offset,
			Value:            *s.Strain,
			Min:              0,
			Max:              strainMax,
		}
		sc.Contributors = contributors(
			named{"average_heart_rate", s.AverageHeartRate},
			named{"max_heart_rate", s.MaxHeartRate})
		res.Records.Scores = append(res.Records.Scores, sc)
	}
	// The span the cycle's totals cover: the whole cycle, or until the
	// last update of an ongoing one.
	endText := c.UpdatedAt
	if c.End != nil {
		endText = *c.End
	}
	end, err := normalize.ParseRFC3339(endText)
	if err != nil || !end.Time.After(start.Time) {
		if s.Kilojoule != nil || s.MaxHeartRate != nil {
			res.Rejected = append(res.Rejected, reject(wearables.KindSample, id, "end", "cycle end "+strconv.Quote(endText)+" is unreadable or not after its start"))
		}
		return
	}
	if s.Kilojoule != nil {
		if smp, err := seriesTotalEnergy.sample(*s.Kilojoule, start, end.Time); err == nil {
			res.Records.Samples = append(res.Records.Samples, smp)
		} else {
			res.Rejected = append(res.Rejected, reject(wearables.KindSample, id, "score.kilojoule", err.Error()))
		}
	}
	if s.MaxHeartRate != nil {
		if smp, err := seriesMaxHeartRate.sample(*s.MaxHeartRate, start, end.Time); err == nil {
			res.Records.Samples = append(res.Records.Samples, smp)
		} else {
			res.Rejected = append(res.Rejected, reject(wearables.KindSample, id, "score.max_heart_rate", err.Error()))
		}
	}
}

// recovery adds what a SCORED recovery measured. Its id is its sleep's
// UUID: that is what v2 webhooks name a recovery by. The payload has no
// offset of its own; off is its cycle's.
func recovery(res *wearables.FetchResult, r *rawRecovery, off wearables.Offset, day wearables.Date) {
	if r.ScoreState != stateScored || r.Score == nil || r.Score.RecoveryScore == nil {
		return
	}
	id := string(r.SleepID)
	if id == "" {
		res.Rejected = append(res.Rejected, reject(wearables.KindScore, "", "sleep_id", "recovery of cycle "+string(r.CycleID)+" without a sleep id"))
		return
	}
	created, err := normalize.ParseRFC3339(r.CreatedAt)
	if err != nil {
		res.Rejected = append(res.Rejected, reject(wearables.KindScore, id, "created_at", "recovery created_at: "+err.Error()))
		return
	}
	at := normalize.Instant{Time: created.Time, Offset: off}
	s := r.Score
	calibrating := 0.0
	if s.UserCalibrating != nil && *s.UserCalibrating {
		calibrating = 1
	}
	sc := wearables.Score{
		Source:           source,
		Kind:             wearables.ScoreRecovery,
		ProviderRecordID: id,
		Version:          version(r.UpdatedAt),
		Date:             day,
		Time:             at.Time,
		Offset:           off,
		Value:            *s.RecoveryScore,
		Min:              0,
		Max:              percentMax,
		// Its measurements are samples; the flag that says how far to
		// trust the score stays with it.
		Contributors: contributors(named{"user_calibrating", &calibrating}),
	}
	res.Records.Scores = append(res.Records.Scores, sc)
	for _, m := range [...]struct {
		field  string
		series *series
		v      *float64
	}{
		{"score.resting_heart_rate", &seriesRestingHeartRate, s.RestingHeartRate},
		{"score.hrv_rmssd_milli", &seriesHRVRMSSD, s.HRVRMSSDMilli},
		{"score.spo2_percentage", &seriesSpO2, s.SpO2Percentage},
		{"score.skin_temp_celsius", &seriesSkinTemperature, s.SkinTempCelsius},
	} {
		if m.v == nil {
			continue
		}
		smp, err := m.series.sample(*m.v, at, time.Time{})
		if err != nil {
			res.Rejected = append(res.Rejected, reject(wearables.KindSample, id, m.field, err.Error()))
			continue
		}
		res.Records.Samples = append(res.Records.Samples, smp)
	}
}

// normalizeSleeps maps a page of sleeps. Every sleep with readable bounds
// becomes a wearables.Sleep (a nap when WHOOP flags it); a SCORED one also
// gets its stage totals (light, slow wave → deep, REM, awake, no data →
// unknown, and the rest of the time in bed → in bed), WHOOP's efficiency
// and respiratory rate, and a sleep Score from its sleep performance.
// Unscored sleeps keep their bounds and nothing else.
func normalizeSleeps(sleeps []rawSleep) wearables.FetchResult {
	var res wearables.FetchResult
	for i := range sleeps {
		r := &sleeps[i]
		id := string(r.ID)
		if id == "" {
			res.Rejected = append(res.Rejected, reject(wearables.KindSleep, "", "id", "sleep without an id"))
			continue
		}
		start, err := instant(r.Start, r.TimezoneOffset)
		if err != nil {
			res.Rejected = append(res.Rejected, reject(wearables.KindSleep, id, "start", err.Error()))
			continue
		}
		end, err := normalize.ParseRFC3339(r.End)
		if err != nil {
			res.Rejected = append(res.Rejected, reject(wearables.KindSleep, id, "end", err.Error()))
			continue
		}
		s := wearables.Sleep{
			Source:           source,
			ProviderRecordID: id,
			Version:          version(r.UpdatedAt),
			Start:            start.Time,
			End:              end.Time,
			Offset:           start.Offset,
			IsNap:            r.Nap,
		}
		var sc *wearables.Score
		if r.ScoreState == stateScored && r.Score != nil {
			if field, reason, ok := sleepScore(&s, r.Score); !ok {
				res.Rejected = append(res.Rejected, reject(wearables.KindSleep, id, field, reason))
				continue
			}
			if perf := r.Score.SleepPerformancePercentage; perf != nil {
				sc = &wearables.Score{
					Source:           source,
					Kind:             wearables.ScoreSleep,
					ProviderRecordID: id,
					Version:          s.Version,
					Date:             normalize.SleepDate(s, nil),
					Time:             s.End,
					Offset:           s.Offset,
					Value:            *perf,
					Min:              0,
					Max:              percentMax,
					Contributors: contributors(
						named{"sleep_consistency_percentage", r.Score.SleepConsistencyPercentage},
						named{"sleep_efficiency_percentage", r.Score.SleepEfficiencyPercentage}),
				}
			}
		}
		res.Records.Sleep = append(res.Records.Sleep, s)
		if sc != nil {
			res.Records.Scores = append(res.Records.Scores, *sc)
		}
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

// sleepScore fills s from a SleepScore. It reports the field and reason
// when a stage total is unreadable or negative.
func sleepScore(s *wearables.Sleep, sc *rawSleepScore) (field, reason string, ok bool) {
	s.Efficiency = copyPtr(sc.SleepEfficiencyPercentage)
	s.RespiratoryRate = copyPtr(sc.RespiratoryRate)
	ss := sc.StageSummary
	if ss == nil {
		return "", "", true
	}
	for _, st := range []struct {
		field string
		v     *float64
		dst   *time.Duration
	}{
		{"total_awake_time_milli", ss.TotalAwakeTimeMilli, &s.Totals.Awake},
		{"total_light_sleep_time_milli", ss.TotalLightSleepTimeMilli, &s.Totals.Light},
		{"total_slow_wave_sleep_time_milli", ss.TotalSlowWaveSleepTimeMilli, &s.Totals.Deep},
		{"total_rem_sleep_time_milli", ss.TotalREMSleepTimeMilli, &s.Totals.REM},
		{"total_no_data_time_milli", ss.TotalNoDataTimeMilli, &s.Totals.Unknown},
	} {
		d, err := millis(st.v)
		if err != nil {
			return "score.stage_summary." + st.field, err.Error(), false
		}
		*st.dst = d
	}
	// WHOOP's time in bed is more than its stages: what is left is time in
	// bed neither asleep nor awake.
	inBed, err := millis(ss.TotalInBedTimeMilli)
	if err != nil {
		return "score.stage_summary.total_in_bed_time_milli", err.Error(), false
	}
	t := s.Totals
	if rest := inBed - (t.Awake + t.Light + t.Deep + t.REM + t.Unknown); rest > 0 {
		s.Totals.InBed = rest
	}
	return "", "", true
}

// normalizeWorkouts maps a page of workouts. Every workout with readable
// bounds becomes a wearables.Workout typed from its sport (see sports.go);
// a SCORED one also gets its heart rate, energy (kilojoules → kcal),
// distance, altitude gain and time per heart-rate zone (zone 0 being
// WHOOP's "very light activity" below zone 1). WHOOP's workout strain has
// no place in wearables.Workout and is not kept.
func normalizeWorkouts(workouts []rawWorkout) wearables.FetchResult {
	var res wearables.FetchResult
	for i := range workouts {
		r := &workouts[i]
		id := string(r.ID)
		if id == "" {
			res.Rejected = append(res.Rejected, reject(wearables.KindWorkout, "", "id", "workout without an id"))
			continue
		}
		start, err := instant(r.Start, r.TimezoneOffset)
		if err != nil {
			res.Rejected = append(res.Rejected, reject(wearables.KindWorkout, id, "start", err.Error()))
			continue
		}
		end, err := normalize.ParseRFC3339(r.End)
		if err != nil {
			res.Rejected = append(res.Rejected, reject(wearables.KindWorkout, id, "end", err.Error()))
			continue
		}
		typ, rawType := sportType(r.SportName, r.SportID)
		w := wearables.Workout{
			Source:           source,
			ProviderRecordID: id,
			Version:          version(r.UpdatedAt),
			Type:             typ,
			RawType:          rawType,
			Start:            start.Time,
			End:              end.Time,
			Offset:           start.Offset,
		}
		if r.ScoreState == stateScored && r.Score != nil {
			if field, reason, ok := workoutScore(&w, r.Score); !ok {
				res.Rejected = append(res.Rejected, reject(wearables.KindWorkout, id, field, reason))
				continue
			}
		}
		res.Records.Workouts = append(res.Records.Workouts, w)
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

// workoutScore fills w from a WorkoutScore. Heart rates (bpm), distance
// and altitude (m) are in canonical units already.
func workoutScore(w *wearables.Workout, s *rawWorkoutScore) (field, reason string, ok bool) {
	w.AvgHR = copyPtr(s.AverageHeartRate)
	w.MaxHR = copyPtr(s.MaxHeartRate)
	w.Distance = copyPtr(s.DistanceMeter)
	w.ElevationGain = copyPtr(s.AltitudeGainMeter)
	if s.Kilojoule != nil {
		kcal, err := seriesActiveEnergy.canonical(*s.Kilojoule)
		if err != nil {
			return "score.kilojoule", err.Error(), false
		}
		w.Energy = &kcal
	}
	if z := s.ZoneDurations; z != nil {
		for n, v := range []*float64{z.ZoneZeroMilli, z.ZoneOneMilli, z.ZoneTwoMilli, z.ZoneThreeMilli, z.ZoneFourMilli, z.ZoneFiveMilli} {
			if v == nil {
				continue
			}
			d, err := millis(v)
			if err != nil {
				return "score.zone_durations", err.Error(), false
			}
			w.Zones = append(w.Zones, wearables.HRZone{Zone: n, Duration: d})
		}
	}
	return "", "", true
}

// instant parses a WHOOP time (UTC, "…Z") and pairs it with the record's
// timezone_offset. An unreadable offset leaves the instant without one
// (wearables.NoOffset) rather than losing the record.
func instant(ts, offset string) (normalize.Instant, error) {
	if in, err := normalize.ParseWithOffset(ts, offset); err == nil {
		return in, nil
	}
	in, err := normalize.ParseRFC3339(ts)
	if err != nil {
		return normalize.Instant{}, err
	}
	in.Offset = wearables.NoOffset
	return in, nil
}

// version is a record's revision: its updated_at in Unix milliseconds, 0
// when unreadable.
func version(updatedAt string) int64 {
	in, err := normalize.ParseRFC3339(updatedAt)
	if err != nil {
		return 0
	}
	return in.Time.UnixMilli()
}

// millis converts a WHOOP duration in milliseconds; nil is 0. A negative or
// non-finite duration is an error.
func millis(v *float64) (time.Duration, error) {
	if v == nil {
		return 0, nil
	}
	d, err := normalize.DurationOf(*v, "ms")
	if err != nil {
		return 0, err
	}
	if d < 0 {
		return 0, &normalize.ParseError{What: "duration", Input: strconv.FormatFloat(*v, 'g', -1, 64) + " ms", Reason: "negative"}
	}
	return d, nil
}

// series is a series type and the unit WHOOP reports it in, with the
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

// The series WHOOP reports, in WHOOP's units. Read-only after init.
var (
	seriesTotalEnergy      = newSeries(wearables.SeriesTotalEnergy, "kJ")
	seriesMaxHeartRate     = newSeries(wearables.SeriesMaxHeartRate, "bpm")
	seriesRestingHeartRate = newSeries(wearables.SeriesRestingHeartRate, "bpm")
	seriesHRVRMSSD         = newSeries(wearables.SeriesHRVRMSSD, "ms")
	seriesSpO2             = newSeries(wearables.SeriesOxygenSaturation, "%")
	seriesSkinTemperature  = newSeries(wearables.SeriesSkinTemperature, "degC")
	seriesActiveEnergy     = newSeries(wearables.SeriesActiveEnergy, "kJ")
)

// canonical converts v to the series' canonical unit.
func (s series) canonical(v float64) (float64, error) {
	if s.err != nil {
		return 0, s.err
	}
	return s.conv.Convert(v), nil
}

// sample converts v to s's canonical unit: an instant sample at from, or
// an interval sample to end when end is set.
func (s series) sample(v float64, from normalize.Instant, end time.Time) (wearables.Sample, error) {
	val, err := s.canonical(v)
	if err != nil {
		return wearables.Sample{}, err
	}
	return wearables.Sample{Source: source, Type: s.typ, Start: from.Time, End: end, Offset: from.Offset, Value: val}, nil
}

// named is one named component of a score; nil when not reported.
type named struct {
	name string
	v    *float64
}

// contributors builds a score's named components, leaving out nil values;
// nil when none is set.
func contributors(parts ...named) map[string]float64 {
	n := 0
	for _, p := range parts {
		if p.v != nil {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	m := make(map[string]float64, n)
	for _, p := range parts {
		if p.v != nil {
			m[p.name] = *p.v
		}
	}
	return m
}

// reject describes a record normalization refused.
func reject(kind wearables.RecordKind, id, field, reason string) wearables.Rejection {
	return wearables.Rejection{Kind: kind, ProviderRecordID: id, Field: field, Reason: reason}
}

func copyPtr(v *float64) *float64 {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}
