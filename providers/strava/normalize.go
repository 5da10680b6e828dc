package strava

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// source is the source of every record of an activity. Strava is an
// aggregator: the recording device is named only in the detailed
// representation (device_name), so it is left out — the source must be the
// same whether or not details were fetched, or one activity would be stored
// twice. Manually entered activities are marked as such.
func source(a *rawActivity) wearables.Source {
	s := wearables.Source{Provider: wearables.ProviderStrava}
	if a.Manual {
		s.RecordingMethod = wearables.RecordingManual
	}
	return s
}

// activityStart returns the UTC instant an activity started and the UTC
// offset its device was in. start_date is the instant (UTC, "Z") and
// utc_offset the offset in seconds. start_date_local is the local wall time
// mislabelled with a "Z": it is never read as an instant, only used when
// start_date is missing (with utc_offset, through ParseStravaLocal) or to
// derive the offset when utc_offset is missing. The "(GMT+01:00)" prefix of
// timezone is the zone's standard offset, not the one in force (a London
// summer run says "(GMT+00:00)" with utc_offset 3600.0), so it is not used.
// It returns the name of the offending field with an error.
func activityStart(a *rawActivity) (normalize.Instant, string, error) {
	off := wearables.NoOffset
	if a.UTCOffset != nil {
		o, err := offsetSeconds(*a.UTCOffset)
		if err != nil {
			return normalize.Instant{}, "utc_offset", err
		}
		off = o
	}
	if a.StartDate != "" {
		in, err := normalize.ParseRFC3339(a.StartDate)
		if err != nil {
			return normalize.Instant{}, "start_date", err
		}
		if !off.Known() && a.StartDateLocal != "" {
			// The wall time read as if it were UTC, minus the instant, is
			// the offset.
			wall, err := normalize.ParseStravaLocal(a.StartDateLocal, 0)
			if err != nil {
				return normalize.Instant{}, "start_date_local", err
			}
			if off, err = normalize.OffsetFromSeconds(int64(wall.Time.Sub(in.Time) / time.Second)); err != nil {
				return normalize.Instant{}, "start_date_local", err
			}
		}
		return normalize.Instant{Time: in.Time.UTC(), Offset: off}, "", nil
	}
	if a.StartDateLocal != "" && off.Known() {
		in, err := normalize.ParseStravaLocal(a.StartDateLocal, int64(off))
		return in, "start_date_local", err
	}
	return normalize.Instant{}, "start_date", errMissing
}

// offsetSeconds converts utc_offset, which Strava sends as a float
// ("3600.0") or an integer, into an offset.
func offsetSeconds(v float64) (wearables.Offset, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v != math.Trunc(v) || math.Abs(v) > float64(wearables.MaxOffset) {
		return 0, &normalize.ParseError{What: "offset", Input: strconv.FormatFloat(v, 'g', -1, 64), Reason: "not a whole number of seconds within ±18 h"}
	}
	return normalize.OffsetFromSeconds(int64(v))
}

var errMissing = &normalize.ParseError{What: "time", Reason: "start_date and start_date_local are both missing"}

// normalizeActivity maps one activity (summary or detailed) to a workout.
// It returns a rejection instead when the activity has no id, no usable
// start or no usable elapsed time; plausibility is checked later by
// normalize.ValidateBatch.
func normalizeActivity(a *rawActivity) (wearables.Workout, *wearables.Rejection) {
	reject := func(field string, err error) (wearables.Workout, *wearables.Rejection) {
		return wearables.Workout{}, &wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: string(a.ID), Field: field, Reason: err.Error()}
	}
	if a.ID == "" {
		return reject("id", &normalize.ParseError{What: "id", Reason: "activity without an id"})
	}
	start, field, err := activityStart(a)
	if err != nil {
		return reject(field, err)
	}
	if a.ElapsedTime == nil {
		return reject("elapsed_time", &normalize.ParseError{What: "duration", Reason: "elapsed_time is missing"})
	}
	elapsed, err := normalize.DurationOf(*a.ElapsedTime, "s")
	if err != nil {
		return reject("elapsed_time", err)
	}
	sp, raw := sportOf(a.SportType, a.Type, a.Trainer)
	w := wearables.Workout{
		Source:           source(a),
		ProviderRecordID: string(a.ID),
		Type:             sp.typ,
		RawType:          raw,
		Name:             a.Name,
		Start:            start.Time,
		End:              start.Time.Add(elapsed),
		Offset:           start.Offset,
		Distance:         positive(a.Distance),
		AvgSpeed:         positive(a.AverageSpeed),
		MaxSpeed:         positive(a.MaxSpeed),
		Energy:           energy(a),
	}
	if a.MovingTime != nil {
		if d, err := normalize.DurationOf(*a.MovingTime, "s"); err == nil && d >= 0 {
			w.MovingTime = d
		}
	}
	// total_elevation_gain is 0 both for a flat course and for a recording
	// without altitude; elev_high tells them apart.
	if g := a.TotalElevationGain; g != nil && *g >= 0 && (*g > 0 || a.ElevHigh != nil) {
		w.ElevationGain = ptr(*g)
	}
	if a.HasHeartrate {
		w.AvgHR = positive(a.AverageHeartrate)
		w.MaxHR = positive(a.MaxHeartrate)
	}
	// Strava estimates power for rides without a power meter; only measured
	// power (device_watts) is kept.
	if a.DeviceWatts {
		w.AvgPower = positive(a.AverageWatts)
		w.MaxPower = positive(a.MaxWatts)
	}
	if c := positive(a.AverageCadence); c != nil {
		switch sp.fam {
		case famRun, famFoot:
			w.AvgCadence = ptr(stepsPerMinute(*c))
		default:
			w.AvgCadence = c
		}
	}
	w.Laps = laps(a.Laps)
	return w, nil
}

// energy is the workout's energy in kcal: the detailed activity's calories
// when Strava has an estimate (it sends 0 when it has none, and no
// calories at all in summaries), else — for rides measured with a power
// meter — the mechanical work, kilojoules, which Strava itself converts
// about one to one (1 kJ of work at the pedals costs about 1 kcal at a
// gross efficiency near 24 %, since 1 kcal = 4.184 kJ). Estimated work
// (without device_watts) is not used.
func energy(a *rawActivity) *float64 {
	if c := positive(a.Calories); c != nil {
		return c
	}
	if a.DeviceWatts {
		if kj := positive(a.Kilojoules); kj != nil {
			return ptr(workToKcal(*kj))
		}
	}
	return nil
}

// workToKcal estimates the metabolic energy, in kcal, of mechanical work
// given in kJ: 1 kJ of work ≈ 1 kcal burned (work / 4.184 kJ per kcal /
// 0.24 gross efficiency ≈ 0.996). It is a physiological estimate, not a
// unit conversion, which is why normalize.ToCanonical's kJ → kcal (÷ 4.184)
// must not be used for it.
//
// TODO(normalize): move next to the unit registry as a documented estimate
// (e.g. normalize.WorkToEnergy) so WHOOP and others can share it.
func workToKcal(kj float64) float64 { return kj }

// stepsPerMinute converts a running or walking cadence as Strava reports it
// — strides (one foot) per minute, 85 for a runner at 170 steps/min — into
// steps per minute, the canonical unit of wearables.SeriesStepCadence.
//
// TODO(normalize): the unit registry has steps/min but no strides/min (a
// count/min with scale 2 for step cadence); use it here once it exists.
func stepsPerMinute(strides float64) float64 { return 2 * strides }

// laps maps a detailed activity's laps. A lap without a readable start is
// left out.
func laps(raw []rawLap) []wearables.Lap {
	if len(raw) == 0 {
		return nil
	}
	out := make([]wearables.Lap, 0, len(raw))
	for i := range raw {
		l := &raw[i]
		st, err := normalize.ParseRFC3339(l.StartDate)
		if err != nil || l.ElapsedTime == nil {
			continue
		}
		d, err := normalize.DurationOf(*l.ElapsedTime, "s")
		if err != nil || d < 0 {
			continue
		}
		lap := wearables.Lap{
			Start:    st.Time.UTC(),
			Duration: d,
			Distance: positive(l.Distance),
			AvgHR:    positive(l.AverageHeartrate),
			AvgSpeed: positive(l.AverageSpeed),
		}
		if l.DeviceWatts {
			lap.AvgPower = positive(l.AverageWatts)
		}
		out = append(out, lap)
	}
	return out
}

// streamSeries says which series each stream of an activity lands on; zero
// means the stream is not kept.
type streamSeries struct {
	power, cadence, speed, temp wearables.SeriesType
	doubleCadence               bool
}

func seriesFor(sp sport) streamSeries {
	s := streamSeries{power: wearables.SeriesPower, speed: wearables.SeriesSpeed, temp: wearables.SeriesAirTemperature}
	switch sp.fam {
	case famRide:
		s.power, s.cadence, s.speed = wearables.SeriesCyclingPower, wearables.SeriesCyclingCadence, wearables.SeriesCyclingSpeed
	case famRun:
		s.power, s.cadence, s.speed, s.doubleCadence = wearables.SeriesRunningPower, wearables.SeriesStepCadence, wearables.SeriesRunningSpeed, true
	case famFoot:
		s.cadence, s.doubleCadence = wearables.SeriesStepCadence, true
	case famRow:
		s.cadence = wearables.SeriesRowingStrokeRate
	}
	if info, ok := sp.typ.Info(); ok && info.Category == wearables.WorkoutCategorySwimming {
		s.temp = wearables.SeriesWaterTemperature
	}
	return s
}

// normalizeStreams maps an activity's streams to samples, appending them to
// out: heart rate, power, cadence, speed, elevation, temperature, latitude
// and longitude, each at start_date + time[i], with the activity's offset.
// Speed, power and cadence land on the series of the sport's family
// (cycling, running, generic); a cadence of a sport without a cadence
// series (swimming, skiing …) is not kept. null readings are skipped. It
// returns a rejection when the activity's start cannot be read.
func normalizeStreams(a *rawActivity, set *rawStreamSet, out []wearables.Sample) ([]wearables.Sample, *wearables.Rejection) {
	if set.Time == nil || len(set.Time.Data) == 0 {
		return out, nil
	}
	start, field, err := activityStart(a)
	if err != nil {
		return out, &wearables.Rejection{Kind: wearables.KindSample, ProviderRecordID: string(a.ID), Field: field, Reason: err.Error()}
	}
	sp, _ := sportOf(a.SportType, a.Type, a.Trainer)
	series := seriesFor(sp)
	src := source(a)
	times := set.Time.Data
	// One allocation for the whole activity: an hour at 1 Hz is some 30,000
	// samples, and growing the slice by doubling costs more than the rest
	// of normalization.
	per := 0
	for _, st := range []*rawStream{set.Heartrate, set.Watts, set.VelocitySmooth, set.Altitude, set.Temp} {
		if st != nil {
			per++
		}
	}
	if set.Cadence != nil && series.cadence != 0 {
		per++
	}
	if set.LatLng != nil {
		per += 2
	}
	out = slices.Grow(out, per*len(times))
	at := func(st *rawStream, i int) (float64, bool) {
		if st == nil || i >= len(st.Data) || math.IsNaN(st.Data[i]) {
			return 0, false
		}
		return st.Data[i], true
	}
	// Every sample of the activity shares its source and offset; only the
	// type, instant and value differ.
	tmpl := wearables.Sample{Source: src, Offset: start.Offset}
	add := func(typ wearables.SeriesType, t time.Time, v float64) {
		out = append(out, tmpl)
		s := &out[len(out)-1]
		s.Type, s.Start, s.Value = typ, t, v
	}
	for i, secs := range times {
		off, err := normalize.DurationOf(secs, "s")
		if err != nil {
			continue
		}
		t := start.Time.Add(off)
		if v, ok := at(set.Heartrate, i); ok {
			add(wearables.SeriesHeartRate, t, v)
		}
		if v, ok := at(set.Watts, i); ok {
			add(series.power, t, v)
		}
		if v, ok := at(set.Cadence, i); ok && series.cadence != 0 {
			if series.doubleCadence {
				v = stepsPerMinute(v)
			}
			add(series.cadence, t, v)
		}
		if v, ok := at(set.VelocitySmooth, i); ok {
			add(series.speed, t, v)
		}
		if v, ok := at(set.Altitude, i); ok {
			add(wearables.SeriesElevation, t, v)
		}
		if v, ok := at(set.Temp, i); ok {
			add(series.temp, t, v)
		}
		if set.LatLng != nil && i < len(set.LatLng.Data) {
			if p := set.LatLng.Data[i]; !math.IsNaN(p[0]) && !math.IsNaN(p[1]) {
				add(wearables.SeriesLatitude, t, p[0])
				add(wearables.SeriesLongitude, t, p[1])
			}
		}
	}
	return out, nil
}

// positive returns a copy of *p when it is a finite number above zero:
// Strava sends 0 for metrics it did not record (the distance of a gym
// session, the speed of a manual entry).
func positive(p *float64) *float64 {
	if p == nil || !(*p > 0) || math.IsInf(*p, 0) {
		return nil
	}
	return ptr(*p)
}

func ptr(v float64) *float64 { return &v }
