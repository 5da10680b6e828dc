package polar

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// Sources of Polar records. Exercises name their device; the daily feeds
// (sleep, Nightly Recharge, activity, continuous heart rate) come from the
// wrist unit without naming it; physical info is the user's profile in
// Polar Flow.
var (
	wristSource   = wearables.Source{Provider: wearables.ProviderPolar, DeviceType: wearables.DeviceWatch}
	profileSource = wearables.Source{Provider: wearables.ProviderPolar, DeviceType: wearables.DeviceApp, App: "Polar Flow"}
)

// deviceType tells Polar's sensors (H-series chest straps, the Verity Sense
// and OH1 arm bands) from its wrist units.
func deviceType(device string) wearables.DeviceType {
	d := strings.ToUpper(device)
	switch {
	case d == "":
		return wearables.DeviceUnknown
	case strings.Contains(d, "VERITY"), strings.Contains(d, "OH1"),
		strings.Contains(d, " H10"), strings.Contains(d, " H9"), strings.Contains(d, " H7"):
		return wearables.DeviceStrap
	}
	return wearables.DeviceWatch
}

// stream says how one exercise sample type maps onto a series.
type stream struct {
	series wearables.SeriesType
	unit   string // Polar's unit, converted by normalize
	// zeroIsMissing: Polar writes 0 where the sensor had no reading (heart
	// rate before the strap locks on, RR gaps).
	zeroIsMissing bool
}

// streams maps Polar's sample-type codes. Codes not listed (5 pedaling
// index, 6 left-right balance, 7 air pressure, 10 cumulative distance) have
// no series and are not synced.
var streams = map[string]stream{
	"0":  {wearables.SeriesHeartRate, "bpm", true},
	"1":  {wearables.SeriesSpeed, "km/h", false},
	"2":  {wearables.SeriesCyclingCadence, "rpm", false},
	"3":  {wearables.SeriesElevation, "m", false},
	"4":  {wearables.SeriesPower, "W", false},
	"8":  {wearables.SeriesStepCadence, "steps/min", false},
	"9":  {wearables.SeriesAirTemperature, "degC", false},
	"11": {wearables.SeriesInterbeatInterval, "ms", true},
}

// rrSampleType is the RR-interval stream: its values are the intervals
// themselves and recording-rate is null.
const rrSampleType = "11"

// parseExercises decodes GET /v3/exercises and normalizes the exercises of
// the window.
func parseExercises(body []byte, w window) (wearables.FetchResult, error) {
	var list []exercise
	var res wearables.FetchResult
	if err := json.Unmarshal(body, &list); err != nil {
		if isSyntax(err) {
			return res, err
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(body, &raws); err != nil {
			return res, err
		}
		list, res.Rejected = decodeItems[exercise](raws, wearables.KindWorkout)
	}
	n := 0
	for i := range list {
		for _, s := range list[i].Samples {
			if _, ok := streams[strings.TrimSpace(s.SampleType)]; ok {
				n += len(s.Data.vals)
			}
		}
	}
	res.Records.Samples = sampleRoom(res.Records.Samples, n)
	for i := range list {
		normalizeExercise(&list[i], w, &res)
	}
	return finish(res), nil
}

// finish drops implausible records into rejections.
func finish(res wearables.FetchResult) wearables.FetchResult {
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

func normalizeExercise(e *exercise, w window, res *wearables.FetchResult) {
	id := string(e.ID)
	reject := func(field, reason string) {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: id, Field: field, Reason: reason})
	}
	upload, uploadErr := normalize.ParseRFC3339(e.UploadTime)
	uploadInWindow := uploadErr == nil && w.hasTime(upload.Time)

	var start normalize.Instant
	var startErr error
	if e.StartTimeUTCOffset == nil {
		startErr = fmt.Errorf("start_time_utc_offset is missing")
	} else if off, err := normalize.OffsetFromMinutes(*e.StartTimeUTCOffset); err != nil {
		startErr = err
	} else {
		start, startErr = normalize.ParseNaive(e.StartTime, off)
	}
	if startErr != nil {
		// Without a start the exercise cannot be placed in a window; report
		// it with the window its upload falls in (or every window, when the
		// upload time is unreadable too).
		if uploadInWindow || uploadErr != nil {
			reject("start_time", startErr.Error())
		}
		return
	}
	if !w.hasTime(start.Time) && !uploadInWindow {
		return
	}
	if id == "" {
		reject("id", "exercise has no id")
		return
	}
	dur, err := normalize.ParseISODuration(e.Duration)
	if err != nil {
		reject("duration", err.Error())
		return
	}
	typ, raw := workoutType(e.Sport, e.DetailedSportInfo)
	wo := wearables.Workout{
		Source:           wearables.Source{Provider: wearables.ProviderPolar, DeviceModel: e.Device, DeviceType: deviceType(e.Device)},
		ProviderRecordID: id,
		Type:             typ,
		RawType:          raw,
		Start:            start.Time,
		End:              start.Time.Add(dur),
		Offset:           start.Offset,
		Distance:         e.Distance,
		Energy:           e.Calories,
	}
	if uploadErr == nil {
		wo.Version = upload.Time.UnixMilli()
	}
	if hr := e.HeartRate; hr != nil {
		wo.AvgHR, wo.MaxHR = positive(hr.Average), positive(hr.Maximum)
	}
	for i, z := range e.HeartRateZones {
		d, err := normalize.ParseISODuration(z.InZone)
		if err != nil {
			reject("heart_rate_zones["+strconv.Itoa(i)+"].in-zone", "zone dropped, workout kept: "+err.Error())
			continue
		}
		wo.Zones = append(wo.Zones, wearables.HRZone{Zone: z.Index, MinBPM: deref(z.LowerLimit), MaxBPM: deref(z.UpperLimit), Duration: d})
	}
	for _, pt := range e.Route {
		if pt.Latitude == nil || pt.Longitude == nil || math.Abs(*pt.Latitude) > 90 || math.Abs(*pt.Longitude) > 180 {
			continue // no fix
		}
		at, err := normalize.ParseISODuration(pt.Time)
		if err != nil {
			continue
		}
		wo.Route = append(wo.Route, wearables.RoutePoint{Time: start.Time.Add(at), Lat: *pt.Latitude, Lon: *pt.Longitude})
	}
	exerciseSamples(e, &wo, res, reject)
	res.Records.Workouts = append(res.Records.Workouts, wo)
}

// streamStats accumulates a stream's values in canonical units.
type streamStats struct {
	n             int
	sum, min, max float64
}

func (s *streamStats) add(v float64) {
	if s.n == 0 || v < s.min {
		s.min = v
	}
	if s.n == 0 || v > s.max {
		s.max = v
	}
	s.n++
	s.sum += v
}

// merge adds o's values to s.
func (s *streamStats) merge(o streamStats) {
	if o.n == 0 {
		return
	}
	if s.n == 0 {
		*s = o
		return
	}
	s.n += o.n
	s.sum += o.sum
	s.min = min(s.min, o.min)
	s.max = max(s.max, o.max)
}

func (s *streamStats) avg() *float64 {
	if s.n == 0 {
		return nil
	}
	v := s.sum / float64(s.n)
	return &v
}

func (s *streamStats) minimum() *float64 {
	if s.n == 0 {
		return nil
	}
	return &s.min
}

func (s *streamStats) maximum() *float64 {
	if s.n == 0 {
		return nil
	}
	return &s.max
}

// exerciseSamples turns an exercise's sample streams into samples of the
// workout's source and fills the workout metrics Polar only gives as
// streams (minimum heart rate, speed, power, cadence).
func exerciseSamples(e *exercise, wo *wearables.Workout, res *wearables.FetchResult, reject func(field, reason string)) {
	var hr, speed, power, cadence streamStats
	for i := range e.Samples {
		s := &e.Samples[i]
		st, ok := streams[strings.TrimSpace(s.SampleType)]
		if !ok {
			continue
		}
		field := "samples[" + strconv.Itoa(i) + "]"
		conv, err := normalize.CanonicalConverter(st.series, st.unit)
		if err != nil {
			reject(field, "stream dropped, workout kept: "+err.Error())
			continue
		}
		var stats *streamStats
		switch st.series {
		case wearables.SeriesHeartRate:
			stats = &hr
		case wearables.SeriesSpeed:
			stats = &speed
		case wearables.SeriesPower:
			stats = &power
		case wearables.SeriesCyclingCadence, wearables.SeriesStepCadence:
			stats = &cadence
		}
		before := len(res.Records.Samples)
		var local streamStats
		if s.SampleType == rrSampleType {
			err = rrSamples(s.Data, wo, conv, &local, res)
		} else {
			err = rateSamples(s, st, wo, conv, &local, res)
		}
		if err != nil {
			clear(res.Records.Samples[before:]) // keep the room zeroed for the next stream
			res.Records.Samples = res.Records.Samples[:before]
			reject(field, "stream dropped, workout kept: "+err.Error())
			continue
		}
		if stats != nil {
			stats.merge(local)
		}
	}
	wo.MinHR = hr.minimum()
	wo.AvgSpeed, wo.MaxSpeed = speed.avg(), speed.maximum()
	wo.AvgPower, wo.MaxPower = power.avg(), power.maximum()
	wo.AvgCadence = cadence.avg()
}

// rateSamples appends the samples of a stream recorded every recording-rate
// seconds, its first value at the workout's start. A null (and, where st
// says so, a zero) is a missing reading: time advances over it. An error
// drops the stream.
func rateSamples(s *sample, st stream, wo *wearables.Workout, conv normalize.Converter, stats *streamStats, res *wearables.FetchResult) error {
	if s.RecordingRate == nil || *s.RecordingRate <= 0 || *s.RecordingRate > 3600 {
		return errors.New("recording-rate is missing or out of range")
	}
	step := time.Duration(*s.RecordingRate) * time.Second
	ss := sampleRoom(res.Records.Samples, len(s.Data.vals))
	n := len(ss)
	room := ss[n:cap(ss)]
	k := 0
	at := wo.Start
	for _, v := range s.Data.vals {
		t := at
		at = at.Add(step)
		if math.IsNaN(v) || (st.zeroIsMissing && v == 0) {
			continue
		}
		v = conv.Convert(v)
		stats.add(v)
		putSample(&room[k], &wo.Source, st.series, t, wo.Offset, v)
		k++
	}
	res.Records.Samples = ss[:n+k]
	return s.Data.err
}

// rrMS converts RR intervals, in ms, to durations.
var rrMS = func() normalize.DurationConverter {
	c, err := normalize.NewDurationConverter("ms")
	if err != nil {
		panic(err) // a unit of the registry's table
	}
	return c
}()

// rrSamples appends the samples of the RR-interval stream. RR intervals
// follow one another: each value is the time since the previous beat, and
// a beat's sample is at its time. A missing (or non-positive) interval
// leaves the next beats' times unknown, so the stream stops there, before
// any problem further on. An error drops the stream.
func rrSamples(data streamValues, wo *wearables.Workout, conv normalize.Converter, stats *streamStats, res *wearables.FetchResult) error {
	ss := sampleRoom(res.Records.Samples, len(data.vals))
	n := len(ss)
	room := ss[n:cap(ss)]
	k := 0
	err := data.err
	at := wo.Start
	for _, v := range data.vals {
		if !(v > 0) { // null (NaN), zero or negative
			err = nil
			break
		}
		d, derr := rrMS.Duration(v)
		if derr != nil {
			err = derr
			break
		}
		at = at.Add(d)
		v = conv.Convert(v)
		stats.add(v)
		putSample(&room[k], &wo.Source, wearables.SeriesInterbeatInterval, at, wo.Offset, v)
		k++
	}
	res.Records.Samples = ss[:n+k]
	return err
}

// sampleRoom returns ss with room for n more samples. The room, ss[len:cap],
// is zero: it comes from make, and whoever truncates ss clears what it
// cuts off. The stream loops fill it in place with putSample.
func sampleRoom(ss []wearables.Sample, n int) []wearables.Sample {
	if cap(ss)-len(ss) >= n {
		return ss
	}
	grown := make([]wearables.Sample, len(ss), max(len(ss)+n, 2*cap(ss)))
	copy(grown, ss)
	return grown
}

// putSample fills a zeroed slot with a sample, writing only the fields that
// are set. A page of a 1 h exercise has 32,400 samples of nine pointer
// words each; while the GC runs, every pointer written costs a write
// barrier, and appending a composite literal writes all nine.
func putSample(p *wearables.Sample, src *wearables.Source, typ wearables.SeriesType, start time.Time, off wearables.Offset, v float64) {
	putSource(&p.Source, src)
	p.Type = typ
	p.Start = start
	p.Offset = off
	p.Value = v
}

// putSource is putSample's Source part.
func putSource(dst, src *wearables.Source) {
	if src.ID != "" {
		dst.ID = src.ID
	}
	if src.Provider != "" {
		dst.Provider = src.Provider
	}
	if src.DeviceModel != "" {
		dst.DeviceModel = src.DeviceModel
	}
	if src.DeviceType != "" {
		dst.DeviceType = src.DeviceType
	}
	if src.App != "" {
		dst.App = src.App
	}
	if src.RecordingMethod != "" {
		dst.RecordingMethod = src.RecordingMethod
	}
}

// parseNights decodes GET /v3/users/sleep and normalizes the nights of the
// window, with their sleep scores.
func parseNights(body []byte, w window) (wearables.FetchResult, error) {
	var page nights
	var res wearables.FetchResult
	if err := json.Unmarshal(body, &page); err != nil {
		if isSyntax(err) {
			return res, err
		}
		var raw struct {
			Nights []json.RawMessage `json:"nights"`
		}
		if err := json.Unmarshal(body, &raw); err != nil {
			return res, err
		}
		page.Nights, res.Rejected = decodeItems[night](raw.Nights, wearables.KindSleep)
	}
	for i := range page.Nights {
		normalizeNight(&page.Nights[i], w, &res)
	}
	return finish(res), nil
}

func normalizeNight(n *night, w window, res *wearables.FetchResult) {
	reject := func(field, reason string) {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSleep, ProviderRecordID: n.Date, Field: field, Reason: reason})
	}
	d, err := wearables.ParseDate(n.Date)
	if err != nil {
		reject("date", "night dropped: "+err.Error())
		return
	}
	if !w.hasDate(d) {
		return
	}
	start, err := normalize.ParseRFC3339(n.SleepStartTime)
	if err != nil {
		reject("sleep_start_time", err.Error())
		return
	}
	end, err := normalize.ParseRFC3339(n.SleepEndTime)
	if err != nil {
		reject("sleep_end_time", err.Error())
		return
	}
	s := wearables.Sleep{
		Source:           wristSource,
		ProviderRecordID: normalize.RecordID(wearables.KindSleep, wearables.ProviderPolar, d),
		Start:            start.Time,
		End:              end.Time,
		Offset:           start.Offset,
		IsNap:            normalize.IsNap(start.Time, end.Time, start.Offset, nil),
	}
	for _, t := range []struct {
		v   *float64
		dst *time.Duration
	}{
		{n.LightSleep, &s.Totals.Light},
		{n.DeepSleep, &s.Totals.Deep},
		{n.RemSleep, &s.Totals.REM},
		{n.UnrecognizedSleepStage, &s.Totals.Unknown},
		{n.TotalInterruptionDuration, &s.Totals.Awake},
	} {
		if t.v != nil {
			if d, err := normalize.DurationOf(*t.v, "s"); err == nil && d > 0 {
				*t.dst = d
			}
		}
	}
	if len(n.Hypnogram) > 0 {
		stages, err := hypnogram(start, end, n.Hypnogram, w.loc)
		if err != nil {
			reject("hypnogram", "stages dropped, night kept: "+err.Error())
		} else {
			s.Stages = stages
		}
	}
	var hr streamStats
	for _, bpm := range n.HeartRateSamples {
		if bpm > 0 {
			hr.add(float64(bpm))
		}
	}
	s.AvgHR, s.MinHR = hr.avg(), hr.minimum()
	normalize.FillSleep(&s)
	res.Records.Sleep = append(res.Records.Sleep, s)

	if n.SleepScore == nil || *n.SleepScore <= 0 {
		return
	}
	sc := wearables.Score{
		Source:           wristSource,
		Kind:             wearables.ScoreSleep,
		ProviderRecordID: normalize.ScoreID(wearables.ProviderPolar, wearables.ScoreSleep, d),
		Date:             d,
		Offset:           start.Offset,
		Value:            *n.SleepScore,
		Min:              1,
		Max:              100,
	}
	rating := n.SleepRating
	if rating != nil && *rating <= 0 {
		rating = nil // 0 means the user gave none
	}
	sc.Contributors = contributors(
		named{"continuity", n.Continuity},
		named{"continuity_class", n.ContinuityClass},
		named{"sleep_charge", n.SleepCharge},
		named{"sleep_cycles", n.SleepCycles},
		named{"sleep_rating", rating},
		named{"group_duration_score", n.GroupDurationScore},
		named{"group_solidity_score", n.GroupSolidityScore},
		named{"group_regeneration_score", n.GroupRegenerationScore},
	)
	res.Records.Scores = append(res.Records.Scores, sc)
}

// hypnogram expands a night's hypnogram. Its "HH:mm" change points are
// wall-clock times; normalize.PolarHypnogram places them all in the start's
// offset, which on a DST night puts the points after the change an hour
// off. When the user's zone is known and agrees with the night's start and
// end offsets, the points are placed in that zone instead, each with the
// offset in force at its time.
//
// TODO(normalize): PolarHypnogram could take the zone (or the end offset)
// itself; this helper then goes away.
func hypnogram(start, end normalize.Instant, hyp map[string]int, loc *time.Location) ([]wearables.StageInterval, error) {
	if loc == nil || start.Offset == end.Offset ||
		wearables.OffsetOf(start.Time.In(loc)) != start.Offset || wearables.OffsetOf(end.Time.In(loc)) != end.Offset {
		return normalize.PolarHypnogram(start, end, hyp)
	}
	type point struct {
		t  time.Time
		st wearables.SleepStage
	}
	pts := make([]point, 0, len(hyp))
	anchor := normalize.NewClockAnchor(start.Time.In(loc))
	for clock, code := range hyp {
		in, err := anchor.After(clock)
		if err != nil {
			return nil, err
		}
		st, err := normalize.SchemePolar.Stage(strconv.Itoa(code))
		if err != nil {
			return nil, err
		}
		pts = append(pts, point{in.Time, st})
	}
	slices.SortFunc(pts, func(a, b point) int { return a.t.Compare(b.t) })
	out := make([]wearables.StageInterval, 0, len(pts))
	for i, p := range pts {
		e := end.Time
		if i+1 < len(pts) {
			e = pts[i+1].t
		}
		s := p.t
		if s.Before(start.Time) {
			s = start.Time
		}
		if e.After(end.Time) {
			e = end.Time
		}
		if e.After(s) {
			out = append(out, wearables.StageInterval{Stage: p.st, Start: s, End: e})
		}
	}
	return normalize.NormalizeStages(out), nil
}

// named is a vendor value and the name it is kept under.
type named struct {
	name string
	v    *float64
}

// contributors keeps the non-null values.
func contributors(vals ...named) map[string]float64 {
	var out map[string]float64
	for _, nv := range vals {
		if nv.v == nil || math.IsNaN(*nv.v) || math.IsInf(*nv.v, 0) {
			continue
		}
		if out == nil {
			out = make(map[string]float64, len(vals))
		}
		out[nv.name] = *nv.v
	}
	return out
}

// parseRecharges decodes GET /v3/users/nightly-recharge and normalizes the
// nights of the window: a nightly_recharge score and HRV and breathing-rate
// samples.
func parseRecharges(body []byte, w window) (wearables.FetchResult, error) {
	var page recharges
	var res wearables.FetchResult
	if err := json.Unmarshal(body, &page); err != nil {
		if isSyntax(err) {
			return res, err
		}
		var raw struct {
			Recharges []json.RawMessage `json:"recharges"`
		}
		if err := json.Unmarshal(body, &raw); err != nil {
			return res, err
		}
		page.Recharges, res.Rejected = decodeItems[recharge](raw.Recharges, wearables.KindScore)
	}
	n, scores := 0, 0
	for i := range page.Recharges {
		n += len(page.Recharges[i].HRVSamples) + len(page.Recharges[i].BreathingSamples)
		if page.Recharges[i].NightlyRechargeStatus != nil {
			scores++
		}
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, n)
	res.Records.Scores = slices.Grow(res.Records.Scores, scores)
	var scratch []clockPoint
	for i := range page.Recharges {
		scratch = normalizeRecharge(&page.Recharges[i], w, &res, scratch)
	}
	return finish(res), nil
}

// rechargeSeries are the sample maps of a Nightly Recharge, with their
// converters resolved once.
var rechargeSeries = [...]struct {
	series wearables.SeriesType
	conv   normalize.Converter
	values func(*recharge) map[string]float64
}{
	{wearables.SeriesHRVRMSSD, mustConverter(wearables.SeriesHRVRMSSD, "ms"), func(r *recharge) map[string]float64 { return r.HRVSamples }},
	{wearables.SeriesRespiratoryRate, mustConverter(wearables.SeriesRespiratoryRate, "breaths/min"), func(r *recharge) map[string]float64 { return r.BreathingSamples }},
}

// mustConverter is normalize.CanonicalConverter for the units of this
// package's tables, which the registry knows.
func mustConverter(t wearables.SeriesType, unit string) normalize.Converter {
	c, err := normalize.CanonicalConverter(t, unit)
	if err != nil {
		panic(err)
	}
	return c
}

// clockPoint is a value of a map keyed by clock time, placed in time.
type clockPoint struct {
	at   normalize.Instant
	unix int64 // at.Time.Unix(), the sort key: clock times are whole seconds
	v    float64
}

// normalizeRecharge normalizes one night; scratch is a buffer it may reuse
// and returns.
func normalizeRecharge(r *recharge, w window, res *wearables.FetchResult, scratch []clockPoint) []clockPoint {
	d, err := wearables.ParseDate(r.Date)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindScore, ProviderRecordID: r.Date, Field: "date", Reason: "night dropped: " + err.Error()})
		return scratch
	}
	if !w.hasDate(d) {
		return scratch
	}
	off := dayOffset(d, w.loc)
	if r.NightlyRechargeStatus != nil {
		res.Records.Scores = append(res.Records.Scores, wearables.Score{
			Source:           wristSource,
			Kind:             wearables.ScoreNightlyRecharge,
			ProviderRecordID: normalize.ScoreID(wearables.ProviderPolar, wearables.ScoreNightlyRecharge, d),
			Date:             d,
			Offset:           off,
			Value:            *r.NightlyRechargeStatus,
			Min:              1,
			Max:              6,
			Contributors: contributors(
				named{"ans_charge", r.ANSCharge},
				named{"ans_charge_status", r.ANSChargeStatus},
				named{"heart_rate_avg", r.HeartRateAvg},
				named{"beat_to_beat_avg", r.BeatToBeatAvg},
				named{"heart_rate_variability_avg", r.HeartRateVariabilityAvg},
				named{"breathing_rate_avg", r.BreathingRateAvg},
			),
		})
	}
	// The samples are keyed by local clock time of the night before the
	// date: anchored at noon the day before, "23:10" is that evening and
	// "01:20" the date's morning.
	if len(r.HRVSamples) == 0 && len(r.BreathingSamples) == 0 {
		return scratch
	}
	anchor := normalize.NewClockAnchor(time.Date(d.Year, d.Month, d.Day-1, 12, 0, 0, 0, zoneOr(w.loc)))
	for _, m := range rechargeSeries {
		values := m.values(r)
		if len(values) == 0 {
			continue
		}
		pts := scratch[:0]
		for clock, v := range values {
			in, err := anchor.After(clock)
			if err != nil {
				res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: m.series, Field: "samples", Reason: err.Error()})
				continue
			}
			if w.loc == nil {
				in.Offset = wearables.NoOffset
			}
			pts = append(pts, clockPoint{in, in.Time.Unix(), m.conv.Convert(v)})
		}
		slices.SortFunc(pts, func(a, b clockPoint) int { return cmp.Compare(a.unix, b.unix) })
		for _, p := range pts {
			res.Records.Samples = append(res.Records.Samples, wearables.Sample{Source: wristSource, Type: m.series, Start: p.at.Time, Offset: p.at.Offset, Value: p.v})
		}
		scratch = pts
	}
	return scratch
}

// zoneOr returns loc, or UTC when it is nil.
func zoneOr(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// dayOffset is the UTC offset of day d in the user's zone, at noon;
// wearables.NoOffset when the zone is unknown.
func dayOffset(d wearables.Date, loc *time.Location) wearables.Offset {
	if loc == nil {
		return wearables.NoOffset
	}
	return wearables.OffsetOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, loc))
}

// localInstant places a device-local wall time without an offset
// ("2025-08-14T00:02"): in the user's zone when known, else read as UTC and
// stamped wearables.NoOffset.
func localInstant(s string, loc *time.Location) (normalize.Instant, error) {
	if loc != nil {
		return normalize.ParseNaiveIn(s, loc)
	}
	in, err := normalize.ParseNaive(s, 0)
	in.Offset = wearables.NoOffset
	return in, err
}

// parseHeartRates decodes GET /v3/users/continuous-heart-rate and
// normalizes its days.
func parseHeartRates(body []byte, w window) (wearables.FetchResult, error) {
	var page heartRates
	var res wearables.FetchResult
	if err := json.Unmarshal(body, &page); err != nil {
		if isSyntax(err) {
			return res, err
		}
		var raw struct {
			HeartRates []json.RawMessage `json:"heart_rates"`
		}
		if err := json.Unmarshal(body, &raw); err != nil {
			return res, err
		}
		page = heartRates{}
		page.HeartRates, res.Rejected = decodeItems[heartRateDay](raw.HeartRates, wearables.KindSample)
	}
	days := page.HeartRates
	if days == nil && page.Date != "" {
		days = []heartRateDay{page.heartRateDay} // the single-day shape
	}
	n := 0
	for i := range days {
		n += len(days[i].HeartRateSamples)
	}
	res.Records.Samples = slices.Grow(res.Records.Samples, n)
	for i := range days {
		normalizeHeartRateDay(&days[i], w, &res)
	}
	return finish(res), nil
}

func normalizeHeartRateDay(day *heartRateDay, w window, res *wearables.FetchResult) {
	d, err := wearables.ParseDate(day.Date)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: wearables.SeriesHeartRate, Field: "date", Reason: "day dropped: " + err.Error()})
		return
	}
	if !w.hasDate(d) {
		return
	}
	clock := normalize.NewClockSeries(d, w.loc)
	for _, s := range day.HeartRateSamples {
		in, err := clock.Next(s.SampleTime)
		if err != nil {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: wearables.SeriesHeartRate, Field: "sample_time", Reason: err.Error()})
			continue
		}
		if s.HeartRate == nil {
			continue
		}
		if w.loc == nil {
			in.Offset = wearables.NoOffset
		}
		res.Records.Samples = append(res.Records.Samples, wearables.Sample{
			Source: wristSource, Type: wearables.SeriesHeartRate, Start: in.Time, Offset: in.Offset, Value: *s.HeartRate,
		})
	}
}

// parseActivities decodes GET /v3/users/activities and normalizes its
// days: a daily activity summary and interval step samples.
func parseActivities(body []byte, w window) (wearables.FetchResult, error) {
	var list []activity
	var res wearables.FetchResult
	if err := json.Unmarshal(body, &list); err != nil {
		if isSyntax(err) {
			return res, err
		}
		var raws []json.RawMessage
		if err := json.Unmarshal(body, &raws); err != nil {
			return res, err
		}
		list, res.Rejected = decodeItems[activity](raws, wearables.KindDailySummary)
	}
	for i := range list {
		normalizeActivity(&list[i], w, &res)
	}
	return finish(res), nil
}

// activityZoneSeries maps Polar's activity zones onto intensity series;
// SLEEP has none.
var activityZoneSeries = map[string]wearables.SeriesType{
	"SEDENTARY": wearables.SeriesSedentaryTime,
	"LIGHT":     wearables.SeriesLowIntensityTime,
	"MODERATE":  wearables.SeriesModerateIntensityTime,
	"VIGOROUS":  wearables.SeriesVigorousIntensityTime,
}

// Bounds of the step-sample expansion.
const (
	defaultStepInterval = time.Minute
	minStepInterval     = time.Second
)

func normalizeActivity(a *activity, w window, res *wearables.FetchResult) {
	date := ""
	if a.Samples != nil {
		date = a.Samples.Date
	}
	if date == "" && len(a.StartTime) >= len(time.DateOnly) {
		date = a.StartTime[:len(time.DateOnly)]
	}
	reject := func(field, reason string) {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindDailySummary, ProviderRecordID: date, Field: field, Reason: reason})
	}
	d, err := wearables.ParseDate(date)
	if err != nil {
		reject("date", "day dropped: "+err.Error())
		return
	}
	if !w.hasDate(d) {
		return
	}
	values := make(map[wearables.SeriesType]float64, 9)
	for _, tv := range [...]struct {
		t wearables.SeriesType
		v *float64
	}{
		{wearables.SeriesSteps, a.Steps},
		{wearables.SeriesTotalEnergy, a.Calories},
		{wearables.SeriesActiveEnergy, a.ActiveCalories},
		{wearables.SeriesDistanceWalkingRunning, a.DistanceFromSteps},
	} {
		if tv.v != nil {
			values[tv.t] = *tv.v
		}
	}
	if a.ActiveDuration != "" {
		if dur, err := normalize.ParseISODuration(a.ActiveDuration); err == nil {
			values[wearables.SeriesActiveTime] = dur.Seconds()
		} else {
			reject("active_duration", "value dropped, day kept: "+err.Error())
		}
	}
	if a.Samples != nil && a.Samples.ActivityZones != nil {
		zoneTimes(a, w, values, reject)
	}
	res.Records.Summaries = append(res.Records.Summaries, wearables.DailySummary{
		Source: wristSource,
		Kind:   wearables.SummaryActivity,
		Date:   d,
		Offset: dayOffset(d, w.loc),
		Values: values,
	})
	if a.Samples != nil && a.Samples.Steps != nil {
		stepSamples(a.Samples.Steps, w, res, reject)
	}
}

// zoneTimes adds the time spent in each activity zone to values: a zone
// sample marks where a stretch starts, which lasts until the next sample
// and the last one until end_time.
func zoneTimes(a *activity, w window, values map[wearables.SeriesType]float64, reject func(field, reason string)) {
	type mark struct {
		t    time.Time
		zone string
	}
	marks := make([]mark, 0, len(a.Samples.ActivityZones.Samples))
	for _, z := range a.Samples.ActivityZones.Samples {
		in, err := localInstant(z.Timestamp, w.loc)
		if err != nil {
			reject("activity_zones", "zone times dropped, day kept: "+err.Error())
			return
		}
		marks = append(marks, mark{in.Time, z.Zone})
	}
	if len(marks) == 0 {
		return
	}
	end, err := localInstant(a.EndTime, w.loc)
	if err != nil {
		reject("end_time", "zone times dropped, day kept: "+err.Error())
		return
	}
	slices.SortStableFunc(marks, func(x, y mark) int { return x.t.Compare(y.t) })
	totals := map[wearables.SeriesType]time.Duration{}
	for i, m := range marks {
		next := end.Time
		if i+1 < len(marks) {
			next = marks[i+1].t
		}
		if t, ok := activityZoneSeries[m.zone]; ok && next.After(m.t) {
			totals[t] += next.Sub(m.t)
		}
	}
	for t, d := range totals {
		values[t] = d.Seconds()
	}
}

// stepSamples expands Polar's step samples into interval samples. Polar
// leaves out samples that repeat the previous count, so a sample's count
// holds for every interval until the next sample; intervals without steps
// are not stored.
func stepSamples(st *activitySteps, w window, res *wearables.FetchResult, reject func(field, reason string)) {
	interval := defaultStepInterval
	if st.IntervalMS != nil {
		var err error
		if interval, err = normalize.DurationOf(float64(*st.IntervalMS), "ms"); err != nil {
			interval = 0
		}
	}
	if interval < minStepInterval || interval > 24*time.Hour {
		reject("steps.interval_ms", "step samples dropped, day kept: interval out of range")
		return
	}
	type mark struct {
		at    normalize.Instant
		steps float64
	}
	marks := make([]mark, 0, len(st.Samples))
	for _, s := range st.Samples {
		in, err := localInstant(s.Timestamp, w.loc)
		if err != nil {
			reject("steps.samples", "step samples dropped, day kept: "+err.Error())
			return
		}
		if s.Steps == nil {
			continue
		}
		marks = append(marks, mark{in, *s.Steps})
	}
	slices.SortStableFunc(marks, func(x, y mark) int { return x.at.Time.Compare(y.at.Time) })
	// A day has 24 h / interval intervals; a sample list that expands to
	// more than two days' worth is not a day of steps.
	budget := 2 * int(24*time.Hour/interval)
	for i, m := range marks {
		next := m.at.Time.Add(interval)
		if i+1 < len(marks) && marks[i+1].at.Time.After(next) {
			next = marks[i+1].at.Time
		}
		if m.steps <= 0 {
			continue
		}
		for t := m.at.Time; t.Before(next); t = t.Add(interval) {
			if budget--; budget < 0 {
				reject("steps.samples", "step samples beyond two days dropped, day kept")
				return
			}
			off := m.at.Offset
			if w.loc != nil {
				off = wearables.OffsetOf(t.In(w.loc))
			}
			res.Records.Samples = append(res.Records.Samples, wearables.Sample{
				Source: wristSource, Type: wearables.SeriesSteps, Start: t, End: t.Add(interval), Offset: off, Value: m.steps,
			})
		}
	}
}

// parsePhysicalInfo decodes GET /v3/users/physical-info into body samples
// stamped with the snapshot's modification time. The window does not
// filter it: the snapshot is the current state.
func parsePhysicalInfo(body []byte, _ window) (wearables.FetchResult, error) {
	var pi physicalInfo
	var res wearables.FetchResult
	if err := json.Unmarshal(body, &pi); err != nil {
		if isSyntax(err) {
			return res, err
		}
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(body, &probe); err != nil {
			return res, err
		}
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Reason: "malformed physical info: " + err.Error()})
		return res, nil
	}
	stamp := pi.Modified
	if stamp == "" {
		stamp = pi.Created
	}
	at, err := normalize.ParseRFC3339(stamp)
	if err != nil {
		res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Field: "modified", Reason: "physical info dropped: " + err.Error()})
		return res, nil
	}
	add := func(t wearables.SeriesType, v *float64, unit string) {
		if v == nil || *v <= 0 {
			return // Polar sends 0 for a value never set
		}
		c, err := normalize.ToCanonical(t, *v, unit)
		if err != nil {
			res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindSample, Type: t, Time: at.Time, Reason: err.Error()})
			return
		}
		// The timestamp is Polar's server time in UTC, not the user's local
		// time: no offset.
		res.Records.Samples = append(res.Records.Samples, wearables.Sample{Source: profileSource, Type: t, Start: at.Time, Offset: wearables.NoOffset, Value: c})
	}
	switch pi.WeightSource {
	case "SOURCE_DEFAULT", "SOURCE_ESTIMATE":
		// Polar's placeholder or estimate, not a weighing.
	default:
		add(wearables.SeriesWeight, pi.Weight, "kg")
	}
	add(wearables.SeriesHeight, pi.Height, "cm")
	add(wearables.SeriesVO2Max, pi.VO2Max, "mL/(kg·min)")
	add(wearables.SeriesRestingHeartRate, pi.RestingHeartRate, "bpm")
	return finish(res), nil
}

// positive returns v when it is a positive number: Polar writes 0 for a
// metric it did not measure.
func positive(v *float64) *float64 {
	if v == nil || !(*v > 0) {
		return nil
	}
	return v
}

func deref(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}
