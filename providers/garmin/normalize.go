package garmin

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
	"github.com/wearables-go/wearables/providers/providerhttp"
)

// Sources. Garmin merges the data of all of a user's devices into its
// wellness summaries and names no device there: they come from the
// user's Garmin wearable. Activities name their device (deviceName).
var (
	wearableSource = wearables.Source{Provider: wearables.ProviderGarmin, DeviceType: wearables.DeviceWatch}
	manualSource   = wearables.Source{Provider: wearables.ProviderGarmin, DeviceType: wearables.DeviceApp, RecordingMethod: wearables.RecordingManual}
	scaleSource    = wearables.Source{Provider: wearables.ProviderGarmin, DeviceType: wearables.DeviceScale}
	cuffSource     = wearables.Source{Provider: wearables.ProviderGarmin, DeviceType: wearables.DeviceUnknown}
)

// Versions of workouts: the three activity feeds describe the same
// activity (keyed by activityId), and a richer or later description wins
// over a poorer one whatever order they arrive in. Details carry the
// summary plus laps and the GPS track; a manual update is the user's own
// correction on Garmin Connect.
const (
	versionActivity = 1
	versionDetails  = 2
	versionManual   = 3
)

// Versions of sleeps: a TENTATIVE sleep is superseded by its FINAL (or
// manually confirmed) version, which a TENTATIVE arriving late must never
// overwrite. Between two records of the same rank the later write wins.
const (
	versionTentative = 1
	versionFinal     = 2
)

// Scales of Garmin's scores.
const (
	scoreMin, scoreMax = 0, 100 // stress level, sleep score
)

// maxOffset bounds a time offset inside a summary (its samples' seconds
// after the start); larger values cannot be a Garmin day.
const maxOffset = 1 << 31

// Precomputed converters of the unit registry: Garmin sends masses in
// grams.
var (
	weightFromGrams = mustConverter(wearables.SeriesWeight, "g")
	muscleFromGrams = mustConverter(wearables.SeriesMuscleMass, "g")
	boneFromGrams   = mustConverter(wearables.SeriesBoneMass, "g")
)

func mustConverter(t wearables.SeriesType, unit string) normalize.Converter {
	c, err := normalize.CanonicalConverter(t, unit)
	if err != nil {
		// The registry and the catalog are fixed tables: a failure here is
		// a programming error caught by every test run.
		panic("garmin: unit registry: " + err.Error())
	}
	return c
}

// decoder decodes and normalizes one list of summaries.
type decoder interface {
	// read decodes resp's body with api (size limit, typed errors) and
	// normalizes it.
	read(api *providerhttp.API, op string, resp *http.Response) (wearables.FetchResult, error)
	// decode does the same for a body already read.
	decode(body []byte) (wearables.FetchResult, error)
	// push decodes the list of a PUSH body and normalizes each account's
	// summaries separately, in the order the accounts first appear.
	push(list []byte) ([]accountResult, error)
}

// accountResult is the normalized summaries of one account in a PUSH body.
type accountResult struct {
	user string
	res  wearables.FetchResult
}

// userItem is a raw summary that names its account.
type userItem[T any] interface {
	*T
	user() string
}

// listOf is the decoder of a list of T, normalizing it with the function.
type listOf[T any, PT userItem[T]] func(items []T, res *wearables.FetchResult)

func list[T any, PT userItem[T]](normalize func(items []T, res *wearables.FetchResult)) decoder {
	return listOf[T, PT](normalize)
}

func (l listOf[T, PT]) read(api *providerhttp.API, op string, resp *http.Response) (wearables.FetchResult, error) {
	var items []T
	if err := api.DecodeJSON(op, resp, &items); err != nil {
		return wearables.FetchResult{}, err
	}
	var res wearables.FetchResult
	l(items, &res)
	return res, nil
}

func (l listOf[T, PT]) decode(body []byte) (wearables.FetchResult, error) {
	var items []T
	if err := json.Unmarshal(body, &items); err != nil {
		return wearables.FetchResult{}, err
	}
	var res wearables.FetchResult
	l(items, &res)
	return res, nil
}

func (l listOf[T, PT]) push(body []byte) ([]accountResult, error) {
	var items []T
	if err := json.Unmarshal(body, &items); err != nil {
		return nil, err
	}
	var order []string
	groups := map[string][]T{}
	for i := range items {
		u := PT(&items[i]).user()
		if u == "" {
			continue // a summary of no account cannot be attributed
		}
		if _, ok := groups[u]; !ok {
			order = append(order, u)
		}
		groups[u] = append(groups[u], items[i])
	}
	out := make([]accountResult, 0, len(order))
	for _, u := range order {
		var res wearables.FetchResult
		l(groups[u], &res)
		out = append(out, accountResult{user: u, res: finish(res)})
	}
	return out, nil
}

// reject records a summary normalization refused.
func reject(res *wearables.FetchResult, kind wearables.RecordKind, id, field, reason string) {
	res.Rejected = append(res.Rejected, wearables.Rejection{Kind: kind, ProviderRecordID: id, Field: field, Reason: reason})
}

// wholeSeconds converts a Garmin time or duration (a JSON number) to whole
// seconds; it reports false for values no clock can hold.
func wholeSeconds(v float64) (int64, bool) {
	if math.IsNaN(v) || v > 1e15 || v < -1e15 {
		return 0, false
	}
	return int64(math.Floor(v)), true
}

// stamp parses a Garmin start time and its offset (seconds to add to reach
// the device's display time). A missing or zero start, and an offset
// beyond ±18 h (users may set their device's time to anything within 24 h
// of UTC), reject the summary; nothing else is read from it.
func stamp(res *wearables.FetchResult, kind wearables.RecordKind, id string, sec, off float64, timeField, offField string) (normalize.Instant, bool) {
	s, ok := wholeSeconds(sec)
	if !ok || s <= 0 {
		reject(res, kind, id, timeField, "missing or invalid time "+strconv.FormatFloat(sec, 'f', -1, 64))
		return normalize.Instant{}, false
	}
	o, ok := wholeSeconds(off)
	if !ok {
		reject(res, kind, id, offField, "invalid offset")
		return normalize.Instant{}, false
	}
	offset, err := normalize.OffsetFromSeconds(o)
	if err != nil {
		reject(res, kind, id, offField, err.Error())
		return normalize.Instant{}, false
	}
	return normalize.Unix(s, offset), true
}

// after returns start moved by a time offset of a summary's map, and false
// for an offset no summary can have.
func after(start time.Time, offset int64) (time.Time, bool) {
	if offset < -maxOffset || offset > maxOffset {
		return time.Time{}, false
	}
	return start.Add(time.Duration(offset) * time.Second), true
}

func durationOf(v float64) time.Duration {
	s, ok := wholeSeconds(v)
	if !ok || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}

// date parses a calendarDate, or derives the local day of at when there is
// none.
func date(s string, at normalize.Instant) (wearables.Date, error) {
	if s == "" {
		return at.Date(nil), nil
	}
	return wearables.ParseDate(s)
}

func addSample(res *wearables.FetchResult, src wearables.Source, t wearables.SeriesType, at time.Time, off wearables.Offset, v float64) {
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{Source: src, Type: t, Start: at, Offset: off, Value: v})
}

func addInterval(res *wearables.FetchResult, src wearables.Source, t wearables.SeriesType, start, end time.Time, off wearables.Offset, v float64) {
	res.Records.Samples = append(res.Records.Samples, wearables.Sample{Source: src, Type: t, Start: start, End: end, Offset: off, Value: v})
}

// offsetSeries adds one instant sample per entry of a time-offset map.
// Values below floor (Garmin's negative codes for "off wrist", "too much
// motion" …) are not measurements and are skipped.
func offsetSeries(res *wearables.FetchResult, src wearables.Source, t wearables.SeriesType, start normalize.Instant, values offsetValues, floor float64) {
	for _, v := range values {
		if v.Value < floor {
			continue
		}
		at, ok := after(start.Time, v.Offset)
		if !ok {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: t, Field: "offset", Reason: "time offset " + strconv.FormatInt(v.Offset, 10) + " s is out of range"})
			continue
		}
		addSample(res, src, t, at, start.Offset, v.Value)
	}
}

// put sets values[t] when v is reported.
func put(values map[wearables.SeriesType]float64, t wearables.SeriesType, v *float64) {
	if v != nil {
		values[t] = *v
	}
}

// normalizeDailies maps daily summaries: a DailySummary of kind activity
// (steps, distance, energy, floors, intensity minutes, heart-rate extremes,
// wheelchair pushes) versioned by the day's duration so that a complete day
// is never replaced by an earlier partial sync, the 15-second heart-rate
// samples, and the day's stress level as a stress Score. Garmin's
// averageHeartRateInBeatsPerMinute is a 7-day average and is not mapped;
// nor are the body battery charged and drained values, which have no
// series.
func normalizeDailies(items []rawDaily, res *wearables.FetchResult) {
	n := 0
	for i := range items {
		n += len(items[i].TimeOffsetHeartRateSamples)
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, n)
	for i := range items {
		normalizeDaily(&items[i], res)
	}
}

func normalizeDaily(d *rawDaily, res *wearables.FetchResult) {
	id := string(d.SummaryID)
	start, ok := stamp(res, wearables.KindDailySummary, id, d.StartTimeInSeconds, d.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
	if !ok {
		return
	}
	day, err := date(d.CalendarDate, start)
	if err != nil {
		reject(res, wearables.KindDailySummary, id, "calendarDate", err.Error())
		return
	}
	version, _ := wholeSeconds(d.DurationInSeconds)
	values := make(map[wearables.SeriesType]float64, 14)
	put(values, wearables.SeriesSteps, d.Steps)
	put(values, wearables.SeriesWheelchairPushes, d.Pushes)
	put(values, wearables.SeriesDistance, d.DistanceInMeters)
	put(values, wearables.SeriesDistanceWheelchair, d.PushDistanceInMeters)
	put(values, wearables.SeriesActiveTime, d.ActiveTimeInSeconds)
	put(values, wearables.SeriesActiveEnergy, d.ActiveKilocalories)
	put(values, wearables.SeriesBasalEnergy, d.BmrKilocalories)
	put(values, wearables.SeriesModerateIntensityTime, d.ModerateIntensityDurationInSeconds)
	put(values, wearables.SeriesVigorousIntensityTime, d.VigorousIntensityDurationInSeconds)
	put(values, wearables.SeriesFlightsClimbed, d.FloorsClimbed)
	put(values, wearables.SeriesMinHeartRate, d.MinHeartRateInBeatsPerMinute)
	put(values, wearables.SeriesMaxHeartRate, d.MaxHeartRateInBeatsPerMinute)
	put(values, wearables.SeriesRestingHeartRate, d.RestingHeartRateInBeatsPerMinute)
	res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
		Source:  wearableSource,
		Kind:    wearables.SummaryActivity,
		Date:    day,
		Offset:  start.Offset,
		Version: version,
		Values:  values,
	})
	offsetSeries(res, wearableSource, wearables.SeriesHeartRate, start, d.TimeOffsetHeartRateSamples, 0)
	if d.AverageStressLevel != nil && *d.AverageStressLevel >= 0 { // -1: not enough data
		contrib := map[string]float64{}
		for _, c := range []struct {
			name string
			v    *float64
		}{
			{"max_stress_level", d.MaxStressLevel},
			{"stress_seconds", d.StressDurationInSeconds},
			{"rest_stress_seconds", d.RestStressDurationInSeconds},
			{"activity_stress_seconds", d.ActivityStressDurationInSeconds},
			{"low_stress_seconds", d.LowStressDurationInSeconds},
			{"medium_stress_seconds", d.MediumStressDurationInSeconds},
			{"high_stress_seconds", d.HighStressDurationInSeconds},
		} {
			if c.v != nil {
				contrib[c.name] = *c.v
			}
		}
		if len(contrib) == 0 {
			contrib = nil
		}
		res.Records.Scores = append(res.Records.Scores, wearables.Score{
			Source:           wearableSource,
			Kind:             wearables.ScoreStress,
			ProviderRecordID: id,
			Version:          version,
			Date:             day,
			Offset:           start.Offset,
			Value:            *d.AverageStressLevel,
			Min:              scoreMin,
			Max:              scoreMax,
			Contributors:     contrib,
		})
	}
}

// epochTotals accumulates the records of one epoch, one per activity type.
type epochTotals struct {
	start                 normalize.Instant
	duration              time.Duration
	steps, distance, kcal *float64
	pushes, pushDistance  *float64
	active, sedentary     *float64
	metWeighted, metTime  float64
	hasMET                bool
}

func addTo(dst **float64, v *float64) {
	if v == nil {
		return
	}
	if *dst == nil {
		x := 0.0
		*dst = &x
	}
	**dst += *v
}

// normalizeEpochs maps 15-minute epochs to interval samples. Garmin sends
// one record per activity type of an epoch (sedentary, walking, running …),
// all with the epoch's start and duration: they are summed per epoch
// (steps, distance, energy, wheelchair pushes), their active times split
// into active and sedentary time, and their METs averaged weighted by
// active time, because samples are unique per series and start. An epoch
// synced mid-way (duration under 900 s) is replaced by its complete version
// later, which has the same start.
func normalizeEpochs(items []rawEpoch, res *wearables.FetchResult) {
	var order []int64
	epochs := map[int64]*epochTotals{}
	for i := range items {
		e := &items[i]
		id := string(e.SummaryID)
		start, ok := stamp(res, wearables.KindSample, id, e.StartTimeInSeconds, e.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
		if !ok {
			continue
		}
		key := start.Time.Unix()
		t := epochs[key]
		if t == nil {
			t = &epochTotals{start: start}
			epochs[key] = t
			order = append(order, key)
		}
		t.duration = max(t.duration, durationOf(e.DurationInSeconds))
		addTo(&t.steps, e.Steps)
		addTo(&t.distance, e.DistanceInMeters)
		addTo(&t.kcal, e.ActiveKilocalories)
		addTo(&t.pushes, e.Pushes)
		addTo(&t.pushDistance, e.PushDistanceInMeters)
		switch strings.ToUpper(e.ActivityType) {
		case "SEDENTARY", "SLEEP":
			addTo(&t.sedentary, e.ActiveTimeInSeconds)
		default:
			addTo(&t.active, e.ActiveTimeInSeconds)
		}
		if e.MET != nil {
			w := 1.0
			if e.ActiveTimeInSeconds != nil {
				w = *e.ActiveTimeInSeconds
			}
			t.metWeighted += *e.MET * w
			t.metTime += w
			t.hasMET = true
		}
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, 8*len(order))
	for _, key := range order {
		t := epochs[key]
		start, end := t.start.Time, t.start.Time.Add(t.duration)
		if t.duration <= 0 {
			end = time.Time{}
		}
		for _, s := range []struct {
			typ wearables.SeriesType
			v   *float64
		}{
			{wearables.SeriesSteps, t.steps},
			{wearables.SeriesDistance, t.distance},
			{wearables.SeriesActiveEnergy, t.kcal},
			{wearables.SeriesWheelchairPushes, t.pushes},
			{wearables.SeriesDistanceWheelchair, t.pushDistance},
			{wearables.SeriesActiveTime, t.active},
			{wearables.SeriesSedentaryTime, t.sedentary},
		} {
			if s.v != nil {
				addInterval(res, wearableSource, s.typ, start, end, t.start.Offset, *s.v)
			}
		}
		if t.hasMET && t.metTime > 0 {
			addInterval(res, wearableSource, wearables.SeriesMET, start, end, t.start.Offset, t.metWeighted/t.metTime)
		}
	}
}

// sleepVersion ranks a sleep's validation: the tentative kinds below
// everything else (final, manual, device, off wrist).
func sleepVersion(validation string) int64 {
	if strings.HasSuffix(strings.ToUpper(validation), "_TENTATIVE") {
		return versionTentative
	}
	return versionFinal
}

// normalizeSleeps maps sleep summaries: a Sleep per summary (stages from
// sleepLevelsMap, Garmin's own stage totals, unmeasurable time as unknown),
// a nap Sleep per entry of naps, respiration and SpO2 samples, and the
// overall sleep score. Revisions of a night share its summaryId;
// TENTATIVE versions rank below FINAL ones (see sleepVersion).
func normalizeSleeps(items []rawSleep, res *wearables.FetchResult) {
	n := 0
	for i := range items {
		n += len(items[i].TimeOffsetSleepRespiration) + len(items[i].TimeOffsetSleepSpo2)
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, n)
	for i := range items {
		normalizeSleep(&items[i], res)
	}
}

func normalizeSleep(d *rawSleep, res *wearables.FetchResult) {
	id := string(d.SummaryID)
	if id == "" {
		reject(res, wearables.KindSleep, "", "summaryId", "the sleep summary has no summaryId")
		return
	}
	start, ok := stamp(res, wearables.KindSleep, id, d.StartTimeInSeconds, d.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
	if !ok {
		return
	}
	src := wearableSource
	if strings.EqualFold(d.Validation, "MANUAL") {
		src = manualSource
	}
	unmeasurable := d.UnmeasurableSleepInSeconds
	if unmeasurable == nil {
		unmeasurable = d.UnmeasurableSleepDurationInSeconds
	}
	// durationInSeconds excludes awake and unmeasurable time.
	end := start.Time.Add(durationOf(d.DurationInSeconds))
	for _, v := range []*float64{d.AwakeDurationInSeconds, unmeasurable} {
		if v != nil {
			end = end.Add(durationOf(*v))
		}
	}
	s := wearables.Sleep{
		Source:           src,
		ProviderRecordID: id,
		Version:          sleepVersion(d.Validation),
		Start:            start.Time,
		Offset:           start.Offset,
	}
	if len(d.SleepLevelsMap) > 0 {
		levels := make(map[string][]normalize.EpochSpan, len(d.SleepLevelsMap))
		for k, spans := range d.SleepLevelsMap {
			out := make([]normalize.EpochSpan, 0, len(spans))
			for _, sp := range spans {
				a, ok1 := wholeSeconds(sp.StartTimeInSeconds)
				b, ok2 := wholeSeconds(sp.EndTimeInSeconds)
				if ok1 && ok2 {
					out = append(out, normalize.EpochSpan{Start: a, End: b})
				}
			}
			levels[k] = out
		}
		stages, err := normalize.GarminSleepLevels(levels)
		if err != nil {
			reject(res, wearables.KindSleep, id, "sleepLevelsMap", err.Error())
			return
		}
		s.Stages = stages
		if n := len(stages); n > 0 && stages[n-1].End.After(end) {
			end = stages[n-1].End
		}
	}
	s.End = end
	for _, t := range []struct {
		stage wearables.SleepStage
		v     *float64
	}{
		{wearables.StageDeep, d.DeepSleepDurationInSeconds},
		{wearables.StageLight, d.LightSleepDurationInSeconds},
		{wearables.StageREM, d.RemSleepInSeconds},
		{wearables.StageAwake, d.AwakeDurationInSeconds},
		{wearables.StageUnknown, unmeasurable},
	} {
		if t.v != nil {
			s.Totals.Add(t.stage, durationOf(*t.v))
		}
	}
	// Sleep Garmin could not classify (an OFF_WRIST night reports only its
	// bounds) is asleep of unreported depth.
	if rest := durationOf(d.DurationInSeconds) - s.Totals.Deep - s.Totals.Light - s.Totals.REM; rest > 0 {
		s.Totals.Add(wearables.StageAsleep, rest)
	}
	if len(d.TimeOffsetSleepRespiration) > 0 {
		sum := 0.0
		for _, v := range d.TimeOffsetSleepRespiration {
			sum += v.Value
		}
		avg := sum / float64(len(d.TimeOffsetSleepRespiration))
		s.RespiratoryRate = &avg
	}
	normalize.FillSleep(&s) // stage totals when Garmin sent none, efficiency
	res.Records.Sleep = append(res.Records.Sleep, s)
	for _, nap := range d.Naps {
		normalizeNap(id, s.Version, nap, res)
	}
	offsetSeries(res, src, wearables.SeriesRespiratoryRate, start, d.TimeOffsetSleepRespiration, 0)
	offsetSeries(res, src, wearables.SeriesOxygenSaturation, start, d.TimeOffsetSleepSpo2, 0)
	if sc := d.OverallSleepScore; sc != nil && sc.Value != nil {
		day, err := date(d.CalendarDate, normalize.Instant{Time: end, Offset: start.Offset})
		if err != nil {
			reject(res, wearables.KindScore, id, "calendarDate", err.Error())
			return
		}
		res.Records.Scores = append(res.Records.Scores, wearables.Score{
			Source:           src,
			Kind:             wearables.ScoreSleep,
			ProviderRecordID: id,
			Version:          s.Version,
			Date:             day,
			Offset:           start.Offset,
			Value:            *sc.Value,
			Min:              scoreMin,
			Max:              scoreMax,
		})
	}
}

// normalizeNap maps one nap of a sleep summary to a nap Sleep, identified
// by its summary and start.
func normalizeNap(parent string, version int64, nap rawNap, res *wearables.FetchResult) {
	start, ok := stamp(res, wearables.KindSleep, parent, nap.NapStartTimeInSeconds, nap.NapOffsetInSeconds, "naps.napStartTimeInSeconds", "naps.napOffsetInSeconds")
	if !ok {
		return
	}
	d := durationOf(nap.NapDurationInSeconds)
	src := wearableSource
	if strings.EqualFold(nap.NapValidation, "MANUAL") {
		src = manualSource
	}
	s := wearables.Sleep{
		Source:           src,
		ProviderRecordID: parent + "/nap/" + strconv.FormatInt(start.Time.Unix(), 10),
		Version:          version,
		Start:            start.Time,
		End:              start.Time.Add(d),
		Offset:           start.Offset,
		IsNap:            true,
	}
	s.Totals.Add(wearables.StageAsleep, d)
	normalize.FillSleep(&s)
	res.Records.Sleep = append(res.Records.Sleep, s)
}

// normalizeBodyComps maps body composition summaries to samples at the
// measurement time, masses converted from grams. A summary with only a
// weight is one the user typed into Garmin Connect (a manual source); one
// with body composition fields comes from a Garmin Index scale.
func normalizeBodyComps(items []rawBodyComp, res *wearables.FetchResult) {
	res.Records.Samples = slices.Grow(res.Records.Samples, 6*len(items))
	for i := range items {
		b := &items[i]
		at, ok := stamp(res, wearables.KindSample, string(b.SummaryID), b.MeasurementTimeInSeconds, b.MeasurementTimeOffsetInSeconds, "measurementTimeInSeconds", "measurementTimeOffsetInSeconds")
		if !ok {
			continue
		}
		src := manualSource
		if b.MuscleMassInGrams != nil || b.BoneMassInGrams != nil || b.BodyFatInPercent != nil || b.BodyWaterInPercent != nil {
			src = scaleSource
		}
		bmi := b.BodyMassIndex
		if bmi == nil {
			bmi = b.BMI
		}
		for _, m := range []struct {
			typ  wearables.SeriesType
			v    *float64
			conv *normalize.Converter
		}{
			{wearables.SeriesWeight, b.WeightInGrams, &weightFromGrams},
			{wearables.SeriesMuscleMass, b.MuscleMassInGrams, &muscleFromGrams},
			{wearables.SeriesBoneMass, b.BoneMassInGrams, &boneFromGrams},
			{wearables.SeriesBodyFatPercentage, b.BodyFatInPercent, nil},
			{wearables.SeriesBodyWaterPercentage, b.BodyWaterInPercent, nil},
			{wearables.SeriesBodyMassIndex, bmi, nil},
		} {
			if m.v == nil {
				continue
			}
			v := *m.v
			if m.conv != nil {
				v = m.conv.Convert(v)
			}
			addSample(res, src, m.typ, at.Time, at.Offset, v)
		}
	}
}

// normalizeStressDetails maps stress details to stress-level samples (3-
// minute averages; Garmin's negative codes are skipped) and body battery
// samples.
func normalizeStressDetails(items []rawStressDetails, res *wearables.FetchResult) {
	n := 0
	for i := range items {
		n += len(items[i].TimeOffsetStressLevelValues) + len(items[i].TimeOffsetBodyBatteryValues)
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, n)
	for i := range items {
		d := &items[i]
		start, ok := stamp(res, wearables.KindSample, string(d.SummaryID), d.StartTimeInSeconds, d.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
		if !ok {
			continue
		}
		offsetSeries(res, wearableSource, wearables.SeriesStressLevel, start, d.TimeOffsetStressLevelValues, 0)
		offsetSeries(res, wearableSource, wearables.SeriesBodyBattery, start, d.TimeOffsetBodyBatteryValues, 0)
	}
}

// normalizeUserMetrics maps user metrics (VO2 max, running and cycling).
// Garmin dates them by calendarDate only, without a time or offset: each
// becomes a sample at noon UTC of that day with no offset, which keeps it
// on its day in every zone within ±12 h. Fitness age has no series and is
// not mapped.
func normalizeUserMetrics(items []rawUserMetrics, res *wearables.FetchResult) {
	for i := range items {
		m := &items[i]
		day, err := wearables.ParseDate(m.CalendarDate)
		if err != nil {
			reject(res, wearables.KindSample, string(m.SummaryID), "calendarDate", err.Error())
			continue
		}
		at := day.In(time.UTC).Add(12 * time.Hour)
		if m.VO2Max != nil {
			addSample(res, wearableSource, wearables.SeriesVO2Max, at, wearables.NoOffset, *m.VO2Max)
		}
		if m.VO2MaxCycling != nil {
			addSample(res, wearableSource, wearables.SeriesVO2MaxCycling, at, wearables.NoOffset, *m.VO2MaxCycling)
		}
	}
}

// normalizePulseOx maps pulse ox summaries (all-day acclimation averages
// and on-demand spot checks alike) to SpO2 samples.
func normalizePulseOx(items []rawPulseOx, res *wearables.FetchResult) {
	n := 0
	for i := range items {
		n += len(items[i].TimeOffsetSpo2Values)
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, n)
	for i := range items {
		d := &items[i]
		start, ok := stamp(res, wearables.KindSample, string(d.SummaryID), d.StartTimeInSeconds, d.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
		if !ok {
			continue
		}
		offsetSeries(res, wearableSource, wearables.SeriesOxygenSaturation, start, d.TimeOffsetSpo2Values, 0)
	}
}

// normalizeRespiration maps all-day respiration to respiratory-rate
// samples.
func normalizeRespiration(items []rawRespiration, res *wearables.FetchResult) {
	n := 0
	for i := range items {
		n += len(items[i].TimeOffsetEpochToBreaths)
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, n)
	for i := range items {
		d := &items[i]
		start, ok := stamp(res, wearables.KindSample, string(d.SummaryID), d.StartTimeInSeconds, d.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
		if !ok {
			continue
		}
		offsetSeries(res, wearableSource, wearables.SeriesRespiratoryRate, start, d.TimeOffsetEpochToBreaths, 0)
	}
}

// normalizeHRV maps overnight HRV summaries: the 5-minute RMSSD values as
// samples and the night's average as a DailySummary of kind sleep.
func normalizeHRV(items []rawHRV, res *wearables.FetchResult) {
	for i := range items {
		d := &items[i]
		id := string(d.SummaryID)
		start, ok := stamp(res, wearables.KindSample, id, d.StartTimeInSeconds, d.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
		if !ok {
			continue
		}
		offsetSeries(res, wearableSource, wearables.SeriesHRVRMSSD, start, d.HRVValues, 0)
		if d.LastNightAvg == nil {
			continue
		}
		day, err := date(d.CalendarDate, start)
		if err != nil {
			reject(res, wearables.KindDailySummary, id, "calendarDate", err.Error())
			continue
		}
		res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
			Source: wearableSource,
			Kind:   wearables.SummarySleep,
			Date:   day,
			Offset: start.Offset,
			Values: map[wearables.SeriesType]float64{wearables.SeriesHRVRMSSD: *d.LastNightAvg},
		})
	}
}

// normalizeBloodPressures maps blood pressure readings to systolic,
// diastolic and pulse samples; a reading the user typed in has a manual
// source, one from a Garmin Index BPM cuff an automatic one.
func normalizeBloodPressures(items []rawBloodPressure, res *wearables.FetchResult) {
	for i := range items {
		b := &items[i]
		at, ok := stamp(res, wearables.KindSample, string(b.SummaryID), b.MeasurementTimeInSeconds, b.MeasurementTimeOffsetInSeconds, "measurementTimeInSeconds", "measurementTimeOffsetInSeconds")
		if !ok {
			continue
		}
		src := cuffSource
		if strings.EqualFold(b.SourceType, "MANUAL") {
			src = manualSource
		}
		if b.Systolic != nil {
			addSample(res, src, wearables.SeriesBloodPressureSystolic, at.Time, at.Offset, *b.Systolic)
		}
		if b.Diastolic != nil {
			addSample(res, src, wearables.SeriesBloodPressureDiastolic, at.Time, at.Offset, *b.Diastolic)
		}
		if b.Pulse != nil {
			addSample(res, src, wearables.SeriesHeartRate, at.Time, at.Offset, *b.Pulse)
		}
	}
}

// normalizeSkinTemps maps skin temperature summaries to an interval
// sample of the deviation from the user's baseline over the sleep window.
func normalizeSkinTemps(items []rawSkinTemp, res *wearables.FetchResult) {
	for i := range items {
		d := &items[i]
		start, ok := stamp(res, wearables.KindSample, string(d.SummaryID), d.StartTimeInSeconds, d.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
		if !ok || d.AvgDeviationCelsius == nil {
			continue
		}
		var end time.Time
		if dur := durationOf(d.DurationInSeconds); dur > 0 {
			end = start.Time.Add(dur)
		}
		addInterval(res, wearableSource, wearables.SeriesSkinTemperatureDeviation, start.Time, end, start.Offset, *d.AvgDeviationCelsius)
	}
}

// activitySource is the source of an activity: the device it names, or
// Garmin Connect itself for activities entered there (deviceName absent or
// "unknown"). Edge bike computers are not watches.
func activitySource(deviceName string) wearables.Source {
	name := strings.TrimSpace(deviceName)
	if name == "" || strings.EqualFold(name, "unknown") {
		return manualSource
	}
	typ := wearables.DeviceWatch
	if strings.Contains(strings.ToLower(name), "edge") {
		typ = wearables.DeviceUnknown
	}
	return wearables.Source{Provider: wearables.ProviderGarmin, DeviceModel: name, DeviceType: typ}
}

// activityID is the workout id of an activity: its activityId, which
// activities, activity details and manual updates of one activity share;
// the summaryId when Garmin sends no activityId.
func activityID(activityID, summaryID rawID) string {
	if activityID != "" {
		return string(activityID)
	}
	return strings.TrimSuffix(string(summaryID), "-detail")
}

// workout maps an activity summary; it reports false (with a rejection)
// when the activity has no id or time.
func workout(a *rawActivity, id string, version int64, res *wearables.FetchResult) (wearables.Workout, bool) {
	if id == "" {
		reject(res, wearables.KindWorkout, "", "activityId", "the activity has neither activityId nor summaryId")
		return wearables.Workout{}, false
	}
	start, ok := stamp(res, wearables.KindWorkout, id, a.StartTimeInSeconds, a.StartTimeOffsetInSeconds, "startTimeInSeconds", "startTimeOffsetInSeconds")
	if !ok {
		return wearables.Workout{}, false
	}
	w := wearables.Workout{
		Source:           activitySource(a.DeviceName),
		ProviderRecordID: id,
		Version:          version,
		Type:             WorkoutType(a.ActivityType),
		RawType:          a.ActivityType,
		Name:             a.ActivityName,
		Start:            start.Time,
		End:              start.Time.Add(durationOf(a.DurationInSeconds)),
		Offset:           start.Offset,
		Distance:         a.DistanceInMeters,
		Energy:           a.ActiveKilocalories,
		AvgHR:            a.AverageHeartRateInBeatsPerMinute,
		MaxHR:            a.MaxHeartRateInBeatsPerMinute,
		Steps:            a.Steps,
		ElevationGain:    a.TotalElevationGainInMeters,
		ElevationLoss:    a.TotalElevationLossInMeters,
		AvgSpeed:         a.AverageSpeedInMetersPerSecond,
		MaxSpeed:         a.MaxSpeedInMetersPerSecond,
	}
	for _, c := range []*float64{a.AverageRunCadenceInStepsPerMinute, a.AverageBikeCadenceInRoundsPerMinute,
		a.AverageSwimCadenceInStrokesPerMinute, a.AveragePushCadenceInPushesPerMinute} {
		if c != nil {
			w.AvgCadence = c
			break
		}
	}
	return w, true
}

// normalizeActivities maps activity summaries to workouts (every Garmin
// activity type mapped; an unknown one is "other" with Garmin's name in
// RawType).
func normalizeActivities(items []rawActivity, res *wearables.FetchResult) {
	for i := range items {
		a := &items[i]
		if w, ok := workout(a, activityID(a.ActivityID, a.SummaryID), versionActivity, res); ok {
			res.Records.Workouts = append(res.Records.Workouts, w)
		}
	}
}

// normalizeManualActivities maps activities created or edited by the user
// on Garmin Connect. They replace the device's version of the same
// activity.
func normalizeManualActivities(items []rawActivity, res *wearables.FetchResult) {
	for i := range items {
		a := &items[i]
		if w, ok := workout(a, activityID(a.ActivityID, a.SummaryID), versionManual, res); ok {
			res.Records.Workouts = append(res.Records.Workouts, w)
		}
	}
}

// normalizeActivityDetails maps activity details: the workout with its
// laps, GPS track and moving time, and the samples recorded during it (up
// to one per second: heart rate, speed, power, elevation, step, bike and
// swim cadence, air temperature) on the activity's device.
func normalizeActivityDetails(items []rawActivityDetails, res *wearables.FetchResult) {
	n := 0
	for i := range items {
		for j := range items[i].Samples {
			n += items[i].Samples[j].series()
		}
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, n) // one allocation per list
	for i := range items {
		d := &items[i]
		id := activityID(d.ActivityID, d.SummaryID)
		if id == "" {
			id = activityID(d.Summary.ActivityID, d.Summary.SummaryID)
		}
		w, ok := workout(&d.Summary, id, versionDetails, res)
		if !ok {
			continue
		}
		if len(d.Laps) > 0 {
			w.Laps = make([]wearables.Lap, 0, len(d.Laps))
			for j, lap := range d.Laps {
				s, ok := wholeSeconds(lap.StartTimeInSeconds)
				if !ok {
					continue
				}
				ls := time.Unix(s, 0).UTC()
				le := w.End
				if j+1 < len(d.Laps) {
					if ns, ok := wholeSeconds(d.Laps[j+1].StartTimeInSeconds); ok {
						le = time.Unix(ns, 0).UTC()
					}
				}
				w.Laps = append(w.Laps, wearables.Lap{Start: ls, Duration: max(le.Sub(ls), 0)})
			}
		}
		route := 0
		for j := range d.Samples {
			if d.Samples[j].LatitudeInDegree != nil && d.Samples[j].LongitudeInDegree != nil {
				route++
			}
		}
		if route > 0 {
			w.Route = make([]wearables.RoutePoint, 0, route)
		}
		for j := range d.Samples {
			sm := &d.Samples[j]
			s, ok := wholeSeconds(sm.StartTimeInSeconds)
			if !ok || s <= 0 {
				continue
			}
			at := time.Unix(s, 0).UTC()
			if sm.LatitudeInDegree != nil && sm.LongitudeInDegree != nil {
				w.Route = append(w.Route, wearables.RoutePoint{Time: at, Lat: *sm.LatitudeInDegree, Lon: *sm.LongitudeInDegree, Elevation: sm.ElevationInMeters})
			}
			if sm.MovingDurationInSeconds != nil {
				w.MovingTime = durationOf(*sm.MovingDurationInSeconds)
			}
			for _, m := range []struct {
				typ wearables.SeriesType
				v   *float64
			}{
				{wearables.SeriesHeartRate, sm.HeartRate},
				{wearables.SeriesSpeed, sm.SpeedMetersPerSecond},
				{wearables.SeriesPower, sm.PowerInWatts},
				{wearables.SeriesElevation, sm.ElevationInMeters},
				{wearables.SeriesStepCadence, sm.StepsPerMinute},
				{wearables.SeriesCyclingCadence, sm.BikeCadenceInRPM},
				{wearables.SeriesSwimmingStrokeRate, sm.SwimCadenceInStrokesPerMinute},
				{wearables.SeriesAirTemperature, sm.AirTemperatureCelcius},
			} {
				if m.v != nil {
					addSample(res, w.Source, m.typ, at, w.Offset, *m.v)
				}
			}
		}
		res.Records.Workouts = append(res.Records.Workouts, w)
	}
}

// series counts the samples normalizeActivityDetails makes of sm.
func (sm *rawActivitySample) series() int {
	n := 0
	for _, v := range []*float64{sm.HeartRate, sm.SpeedMetersPerSecond, sm.PowerInWatts, sm.ElevationInMeters,
		sm.StepsPerMinute, sm.BikeCadenceInRPM, sm.SwimCadenceInStrokesPerMinute, sm.AirTemperatureCelcius} {
		if v != nil {
			n++
		}
	}
	return n
}
