package googlehealth

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// Unit converters from Google's units to the canonical ones, built once
// from normalize's registry.
var (
	convDistance = mustConverter(wearables.SeriesDistance, "mm") // distance millimeters → m
	convWeight   = mustConverter(wearables.SeriesWeight, "g")    // weightGrams → kg
	// convSpeed converts mm/s to m/s. The registry has no "mm/s"; a speed
	// in mm/s scales exactly as a length in mm does.
	// TODO(normalize): add "mm/s" to the unit registry.
	convSpeed = mustConverter(wearables.SeriesDistance, "mm")
)

// mustConverter returns the converter of a unit the registry is known to
// hold; it is only called with constants, at package initialization.
func mustConverter(t wearables.SeriesType, unit string) normalize.Converter {
	c, err := normalize.CanonicalConverter(t, unit)
	if err != nil {
		panic(fmt.Sprintf("googlehealth: unit registry lacks %s for %s: %v", unit, t.Code(), err))
	}
	return c
}

// normalizePage maps one list page of f and drops what lies outside
// [start, end) where Google's filter is coarser than the window (exercise,
// filtered by civil day), then moves implausible records to Rejected.
func normalizePage(f feed, pg *rawListPage, start, end time.Time) wearables.FetchResult {
	var res wearables.FetchResult
	f.normalize(pg.DataPoints, &res)
	if f.filter == filterCivilStart {
		kept := res.Records.Workouts[:0]
		for _, w := range res.Records.Workouts {
			if !w.Start.Before(start) && w.Start.Before(end) {
				kept = append(kept, w)
			}
		}
		clear(res.Records.Workouts[len(kept):])
		res.Records.Workouts = kept
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

// sourceOf maps a data point's DataSource. Form factors become device
// types (a Fitbit band is worn like a watch); a point without a device is
// the app's: typed in (MANUAL) or computed (DERIVED). The device's display
// name is the model; Android and iOS apps are named by package.
func sourceOf(ds *rawDataSource) wearables.Source {
	src := wearables.Source{Provider: wearables.ProviderGoogleHealth}
	if ds == nil {
		return src
	}
	if ds.RecordingMethod == "MANUAL" {
		src.RecordingMethod = wearables.RecordingManual
	}
	if ds.Application != nil {
		src.App = ds.Application.PackageName
	}
	if d := ds.Device; d != nil {
		src.DeviceModel = strings.TrimSpace(d.DisplayName)
		src.DeviceType = formFactors[d.FormFactor]
		if src.DeviceType == "" && src.DeviceModel != "" {
			src.DeviceType = wearables.DeviceUnknown
		}
		return src
	}
	if ds.RecordingMethod == "MANUAL" || ds.RecordingMethod == "DERIVED" {
		src.DeviceType = wearables.DeviceApp
	}
	return src
}

// formFactors maps Device.FormFactor to device types.
var formFactors = map[string]wearables.DeviceType{
	"FITNESS_BAND":  wearables.DeviceWatch,
	"WATCH":         wearables.DeviceWatch,
	"PHONE":         wearables.DevicePhone,
	"RING":          wearables.DeviceRing,
	"CHEST_STRAP":   wearables.DeviceStrap,
	"SCALE":         wearables.DeviceScale,
	"TABLET":        wearables.DevicePhone,
	"HEAD_MOUNTED":  wearables.DeviceUnknown,
	"SMART_DISPLAY": wearables.DeviceUnknown,
}

// parseOffset reads a google-duration UTC offset ("-18000s", "19800s");
// empty means the offset is unknown.
//
// TODO(normalize): a ParseDurationOffset for protobuf Duration strings
// would serve every Google-format vendor; this helper goes then.
func parseOffset(s string) (wearables.Offset, error) {
	if s == "" {
		return wearables.NoOffset, nil
	}
	d, err := parseDuration(s)
	if err != nil {
		return wearables.NoOffset, err
	}
	if d%time.Second != 0 {
		return wearables.NoOffset, fmt.Errorf("offset %q is not whole seconds", s)
	}
	return normalize.OffsetFromSeconds(int64(d / time.Second))
}

// parseDuration reads a google-duration ("2700s", "3.5s", "-18000s").
//
// TODO(normalize): see parseOffset.
func parseDuration(s string) (time.Duration, error) {
	num, ok := strings.CutSuffix(s, "s")
	if !ok || num == "" {
		return 0, fmt.Errorf("duration %q: want seconds ending in \"s\"", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, fmt.Errorf("duration %q: want seconds ending in \"s\"", s)
	}
	return normalize.DurationOf(v, "s")
}

// instant parses a physical time with the offset Google sends beside it.
func instant(ts, offset string) (normalize.Instant, error) {
	in, err := normalize.ParseRFC3339(ts)
	if err != nil {
		return normalize.Instant{}, err
	}
	if in.Offset, err = parseOffset(offset); err != nil {
		return normalize.Instant{}, err
	}
	return in, nil
}

// span parses an interval: its start with the start offset, its end.
func span(iv *rawInterval) (start normalize.Instant, end time.Time, field string, err error) {
	if start, err = instant(iv.StartTime, iv.StartUTCOffset); err != nil {
		return start, end, "interval.startTime", err
	}
	e, err := normalize.ParseRFC3339(iv.EndTime)
	if err != nil {
		return start, end, "interval.endTime", err
	}
	return start, e.Time, "", nil
}

// version is a record's update time in Unix milliseconds, 0 when unknown.
func version(updateTime string) int64 {
	if updateTime == "" {
		return 0
	}
	in, err := normalize.ParseRFC3339(updateTime)
	if err != nil {
		return 0
	}
	return in.Time.UnixMilli()
}

// pointID is the id of an identifiable data point: the last segment of its
// name ("users/…/dataTypes/sleep/dataPoints/{id}").
func pointID(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}

func reject(res *wearables.FetchResult, kind wearables.RecordKind, id, field, reason string) {
	res.Rejected = append(res.Rejected, wearables.Rejection{Kind: kind, ProviderRecordID: id, Field: field, Reason: reason})
}

func rejectSample(res *wearables.FetchResult, t wearables.SeriesType, at, field, reason string) {
	r := wearables.Rejection{Kind: wearables.KindSample, Type: t, Field: field, Reason: reason}
	if in, err := normalize.ParseRFC3339(at); err == nil {
		r.Time = in.Time
	}
	res.Rejected = append(res.Rejected, r)
}

// intervalSample appends an interval sample (steps, distance).
func intervalSample(res *wearables.FetchResult, src wearables.Source, t wearables.SeriesType, iv *rawInterval, v float64) {
	start, end, field, err := span(iv)
	if err != nil {
		rejectSample(res, t, iv.StartTime, field, err.Error())
		return
	}
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{
		Source: src, Type: t, Start: start.Time, End: end, Offset: start.Offset, Value: v,
	})
}

// instantSample appends an instant sample (heart rate, SpO2, weight …).
func instantSample(res *wearables.FetchResult, src wearables.Source, t wearables.SeriesType, st *rawSampleTime, v float64) {
	at, err := instant(st.PhysicalTime, st.UTCOffset)
	if err != nil {
		rejectSample(res, t, st.PhysicalTime, "sampleTime", err.Error())
		return
	}
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{
		Source: src, Type: t, Start: at.Time, Offset: at.Offset, Value: v,
	})
}

// missing records a data point that lacks the member its feed reads.
func missing(res *wearables.FetchResult, t wearables.SeriesType, member string) {
	res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: t, Field: member, Reason: "data point without " + member})
}

func normalizeSteps(points []rawDataPoint, res *wearables.FetchResult) {
	res.Records.Samples = make([]wearables.Sample, 0, len(points))
	for i := range points {
		d := points[i].Steps
		if d == nil {
			missing(res, wearables.SeriesSteps, "steps")
			continue
		}
		intervalSample(res, sourceOf(points[i].DataSource), wearables.SeriesSteps, &d.Interval, float64(d.Count))
	}
}

func normalizeDistance(points []rawDataPoint, res *wearables.FetchResult) {
	res.Records.Samples = make([]wearables.Sample, 0, len(points))
	for i := range points {
		d := points[i].Distance
		if d == nil {
			missing(res, wearables.SeriesDistance, "distance")
			continue
		}
		intervalSample(res, sourceOf(points[i].DataSource), wearables.SeriesDistance, &d.Interval, convDistance.Convert(float64(d.Millimeters)))
	}
}

func normalizeHeartRate(points []rawDataPoint, res *wearables.FetchResult) {
	res.Records.Samples = make([]wearables.Sample, 0, len(points))
	for i := range points {
		d := points[i].HeartRate
		if d == nil {
			missing(res, wearables.SeriesHeartRate, "heartRate")
			continue
		}
		instantSample(res, sourceOf(points[i].DataSource), wearables.SeriesHeartRate, &d.SampleTime, float64(d.BeatsPerMinute))
	}
}

// normalizeHRV maps HRV points: RMSSD (what Fitbit devices measure) and,
// when a source reports it, SDNN, each its own series.
func normalizeHRV(points []rawDataPoint, res *wearables.FetchResult) {
	res.Records.Samples = make([]wearables.Sample, 0, len(points))
	for i := range points {
		d := points[i].HeartRateVariability
		if d == nil {
			missing(res, wearables.SeriesHRVRMSSD, "heartRateVariability")
			continue
		}
		if d.RMSSD == nil && d.SDNN == nil {
			rejectSample(res, wearables.SeriesHRVRMSSD, d.SampleTime.PhysicalTime, "heartRateVariability", "neither RMSSD nor SDNN is set")
			continue
		}
		src := sourceOf(points[i].DataSource)
		if d.RMSSD != nil {
			instantSample(res, src, wearables.SeriesHRVRMSSD, &d.SampleTime, *d.RMSSD)
		}
		if d.SDNN != nil {
			instantSample(res, src, wearables.SeriesHRVSDNN, &d.SampleTime, *d.SDNN)
		}
	}
}

func normalizeSpO2(points []rawDataPoint, res *wearables.FetchResult) {
	res.Records.Samples = make([]wearables.Sample, 0, len(points))
	for i := range points {
		d := points[i].OxygenSaturation
		switch {
		case d == nil:
			missing(res, wearables.SeriesOxygenSaturation, "oxygenSaturation")
		case d.Percentage == nil:
			rejectSample(res, wearables.SeriesOxygenSaturation, d.SampleTime.PhysicalTime, "oxygenSaturation.percentage", "percentage is null")
		default:
			instantSample(res, sourceOf(points[i].DataSource), wearables.SeriesOxygenSaturation, &d.SampleTime, *d.Percentage)
		}
	}
}

func normalizeWeight(points []rawDataPoint, res *wearables.FetchResult) {
	res.Records.Samples = make([]wearables.Sample, 0, len(points))
	for i := range points {
		d := points[i].Weight
		switch {
		case d == nil:
			missing(res, wearables.SeriesWeight, "weight")
		case d.WeightGrams == nil:
			rejectSample(res, wearables.SeriesWeight, d.SampleTime.PhysicalTime, "weight.weightGrams", "weightGrams is null")
		default:
			instantSample(res, sourceOf(points[i].DataSource), wearables.SeriesWeight, &d.SampleTime, convWeight.Convert(*d.WeightGrams))
		}
	}
}

// normalizeSleep maps sleep sessions. Stages use normalize.SchemeGoogle
// (classic sleeps have AWAKE, RESTLESS → awake, and ASLEEP); Google's
// stagesSummary, when present, gives the totals, else they are summed
// from the stages. A nap is what Google flags as one (metadata.nap), else
// what normalize's nap rule says.
func normalizeSleep(points []rawDataPoint, res *wearables.FetchResult) {
	res.Records.Sleep = make([]wearables.Sleep, 0, len(points))
	for i := range points {
		d := points[i].Sleep
		id := pointID(points[i].Name)
		if d == nil {
			reject(res, wearables.KindSleep, id, "sleep", "data point without sleep")
			continue
		}
		src := sourceOf(points[i].DataSource)
		start, end, field, err := span(&d.Interval)
		if err != nil {
			reject(res, wearables.KindSleep, id, field, err.Error())
			continue
		}
		if id == "" {
			id = normalize.SleepID(src, start.Time, end)
		}
		s := wearables.Sleep{
			Source:           src,
			ProviderRecordID: id,
			Version:          version(d.UpdateTime),
			Start:            start.Time,
			End:              end,
			Offset:           start.Offset,
		}
		if m := d.Metadata; m != nil && m.Nap != nil {
			s.IsNap = *m.Nap
		} else {
			s.IsNap = normalize.IsNap(start.Time, end, start.Offset, nil)
		}
		if len(d.Stages) > 0 {
			spans := make([]normalize.CodedSpan, 0, len(d.Stages))
			bad := ""
			for j := range d.Stages {
				st := &d.Stages[j]
				a, err1 := normalize.ParseRFC3339(st.StartTime)
				b, err2 := normalize.ParseRFC3339(st.EndTime)
				if err1 != nil || err2 != nil {
					bad = "stages[" + strconv.Itoa(j) + "]: unreadable start or end time"
					break
				}
				spans = append(spans, normalize.CodedSpan{Code: st.Type, Start: a.Time, End: b.Time})
			}
			if bad != "" {
				reject(res, wearables.KindSleep, id, "stages", bad)
				continue
			}
			s.Stages = expandStages(spans)
		}
		if sum := d.Summary; sum != nil {
			if err := summaryTotals(&s, sum); err != nil {
				reject(res, wearables.KindSleep, id, "summary", err.Error())
				continue
			}
		}
		normalize.FillSleep(&s)
		res.Records.Sleep = append(res.Records.Sleep, s)
	}
}

// expandStages maps Google stage segments with normalize.SchemeGoogle. A
// stage type Google adds later becomes wearables.StageUnknown rather than
// losing the night.
//
// TODO(normalize): an ExpandSpans variant that maps unknown codes to
// wearables.StageUnknown instead of failing would replace this helper.
func expandStages(spans []normalize.CodedSpan) []wearables.StageInterval {
	out := make([]wearables.StageInterval, 0, len(spans))
	for _, sp := range spans {
		st, err := normalize.SchemeGoogle.Stage(sp.Code)
		if err != nil {
			st = wearables.StageUnknown
		}
		out = append(out, wearables.StageInterval{Stage: st, Start: sp.Start, End: sp.End})
	}
	return normalize.NormalizeStages(out)
}

// summaryTotals sets a sleep's totals and latency from Google's summary.
func summaryTotals(s *wearables.Sleep, sum *rawSleepSummary) error {
	for _, st := range sum.StagesSummary {
		stage, err := normalize.SchemeGoogle.Stage(st.Type)
		if err != nil {
			stage = wearables.StageUnknown
		}
		d, err := normalize.DurationOf(float64(st.Minutes), "min")
		if err != nil {
			return err
		}
		s.Totals.Add(stage, d)
	}
	if m := sum.MinutesToFallAsleep; m != nil {
		d, err := normalize.DurationOf(float64(*m), "min")
		if err != nil {
			return err
		}
		s.Latency = &d
	}
	return nil
}

// normalizeExercise maps exercise sessions to workouts. Distance,
// elevation and speed come in millimeters (per second) and are converted
// by the unit registry; calories are Google's total for the session; heart
// rate zones are Google's four (light, moderate, vigorous, peak) as zones
// 1–4; split summaries become laps.
func normalizeExercise(points []rawDataPoint, res *wearables.FetchResult) {
	res.Records.Workouts = make([]wearables.Workout, 0, len(points))
	for i := range points {
		d := points[i].Exercise
		id := pointID(points[i].Name)
		if d == nil {
			reject(res, wearables.KindWorkout, id, "exercise", "data point without exercise")
			continue
		}
		src := sourceOf(points[i].DataSource)
		start, end, field, err := span(&d.Interval)
		if err != nil {
			reject(res, wearables.KindWorkout, id, field, err.Error())
			continue
		}
		if id == "" {
			id = normalize.WorkoutID(src, d.ExerciseType, start.Time)
		}
		w := wearables.Workout{
			Source:           src,
			ProviderRecordID: id,
			Version:          version(d.UpdateTime),
			Type:             workoutType(d.ExerciseType, d.DisplayName),
			RawType:          d.ExerciseType,
			Name:             d.DisplayName,
			Start:            start.Time,
			End:              end,
			Offset:           start.Offset,
		}
		if d.ActiveDuration != "" {
			if w.MovingTime, err = parseDuration(d.ActiveDuration); err != nil {
				reject(res, wearables.KindWorkout, id, "activeDuration", err.Error())
				continue
			}
		}
		if m := d.MetricsSummary; m != nil {
			w.Distance = convert(m.DistanceMillimeters, convDistance)
			w.ElevationGain = convert(m.ElevationGainMillimeters, convDistance)
			w.AvgSpeed = convert(m.AverageSpeedMMPerSecond, convSpeed)
			w.Energy = copyFloat(m.CaloriesKcal)
			w.AvgHR = intFloat(m.AverageHeartRate)
			w.Steps = intFloat(m.Steps)
			if mm := m.MobilityMetrics; mm != nil {
				w.AvgCadence = copyFloat(mm.AvgCadenceStepsPerMinute)
			}
			if z := m.HeartRateZoneDurations; z != nil {
				if w.Zones, err = zones(z); err != nil {
					reject(res, wearables.KindWorkout, id, "metricsSummary.heartRateZoneDurations", err.Error())
					continue
				}
			}
		}
		if w.Laps, err = laps(d.SplitSummaries); err != nil {
			reject(res, wearables.KindWorkout, id, "splitSummaries", err.Error())
			continue
		}
		res.Records.Workouts = append(res.Records.Workouts, w)
	}
}

// zones maps Google's time in heart-rate zones; zones without a duration
// are left out.
func zones(z *rawZoneTimes) ([]wearables.HRZone, error) {
	var out []wearables.HRZone
	for n, v := range [...]string{z.LightTime, z.ModerateTime, z.VigorousTime, z.PeakTime} {
		if v == "" {
			continue
		}
		d, err := parseDuration(v)
		if err != nil {
			return nil, err
		}
		out = append(out, wearables.HRZone{Zone: n + 1, Duration: d})
	}
	return out, nil
}

// laps maps split summaries to laps.
func laps(splits []rawSplit) ([]wearables.Lap, error) {
	if len(splits) == 0 {
		return nil, nil
	}
	out := make([]wearables.Lap, 0, len(splits))
	for j := range splits {
		sp := &splits[j]
		a, err := normalize.ParseRFC3339(sp.StartTime)
		if err != nil {
			return nil, fmt.Errorf("split %d: %w", j, err)
		}
		b, err := normalize.ParseRFC3339(sp.EndTime)
		if err != nil {
			return nil, fmt.Errorf("split %d: %w", j, err)
		}
		lap := wearables.Lap{Start: a.Time, Duration: b.Time.Sub(a.Time)}
		if m := sp.MetricsSummary; m != nil {
			lap.Distance = convert(m.DistanceMillimeters, convDistance)
			lap.AvgHR = intFloat(m.AverageHeartRate)
			lap.AvgSpeed = convert(m.AverageSpeedMMPerSecond, convSpeed)
		}
		out = append(out, lap)
	}
	return out, nil
}

// rollupSource is the source of daily rollups: Google reconciles every
// source of the user into one value, so no device is named.
var rollupSource = wearables.Source{Provider: wearables.ProviderGoogleHealth}

// normalizeRollups merges the daily rollups of steps, distance and total
// calories into one activity DailySummary per civil day. A rollup without
// its value member is a day without data and is left out; a member without
// its sum is a sum of zero, which proto3 JSON omits.
func normalizeRollups(steps, distance, calories []rawRollupPoint) wearables.FetchResult {
	var res wearables.FetchResult
	byDay := map[wearables.Date]int{}
	add := func(p *rawRollupPoint, t wearables.SeriesType, v float64) {
		if p.CivilStartTime == nil {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindDailySummary, Type: t, Field: "civilStartTime", Reason: "rollup without a day"})
			return
		}
		cd := p.CivilStartTime.Date
		day := wearables.Date{Year: cd.Year, Month: time.Month(cd.Month), Day: cd.Day}
		if wearables.DateOf(day.In(time.UTC)) != day || cd.Year < normalize.EarliestYear || cd.Year >= normalize.LatestYear {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindDailySummary, Type: t, Field: "civilStartTime.date",
				Reason: fmt.Sprintf("invalid date %04d-%02d-%02d", cd.Year, cd.Month, cd.Day)})
			return
		}
		i, ok := byDay[day]
		if !ok {
			i = len(res.Records.Summaries)
			byDay[day] = i
			res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
				Source: rollupSource, Kind: wearables.SummaryActivity, Date: day, Offset: wearables.NoOffset,
				Values: map[wearables.SeriesType]float64{},
			})
		}
		res.Records.Summaries[i].Values[t] = v
	}
	for i := range steps {
		if s := steps[i].Steps; s != nil {
			add(&steps[i], wearables.SeriesSteps, float64(deref(s.CountSum)))
		}
	}
	for i := range distance {
		if d := distance[i].Distance; d != nil {
			add(&distance[i], wearables.SeriesDistance, convDistance.Convert(float64(deref(d.MillimetersSum))))
		}
	}
	for i := range calories {
		if c := calories[i].TotalCalories; c != nil {
			add(&calories[i], wearables.SeriesTotalEnergy, deref(c.KcalSum))
		}
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

func convert(v *float64, c normalize.Converter) *float64 {
	if v == nil {
		return nil
	}
	x := c.Convert(*v)
	return &x
}

func copyFloat(v *float64) *float64 {
	if v == nil {
		return nil
	}
	x := *v
	return &x
}

func intFloat(v *flexInt) *float64 {
	if v == nil {
		return nil
	}
	x := float64(*v)
	return &x
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}
