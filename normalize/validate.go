package normalize

import (
	"errors"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/wearables-go/wearables"
)

// Plausible record times are in [EarliestYear, LatestYear): a zero epoch
// (1970) is a vendor's null, a year 55000 is milliseconds read as seconds.
const (
	EarliestYear = 1980
	LatestYear   = 2200
)

var (
	earliestTime = time.Date(EarliestYear, 1, 1, 0, 0, 0, 0, time.UTC)
	latestTime   = time.Date(LatestYear, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Duration bounds of plausible records.
const (
	// MaxSampleSpan bounds an interval sample (End − Start).
	MaxSampleSpan = 7 * 24 * time.Hour
	// MaxWorkoutDuration bounds a workout (multi-day ultra events fit).
	MaxWorkoutDuration = 7 * 24 * time.Hour
	// MaxElevationChange bounds a workout's elevation gain or loss, in m.
	MaxElevationChange = 50000
	// movingTimeSlack tolerates vendors rounding moving time above elapsed time.
	movingTimeSlack = time.Minute
	// hrOrderSlack tolerates rounding between min, average and max heart rate.
	hrOrderSlack = 1.0
)

// Validator checks records for plausibility: the structural rules of
// wearables.Batch.Validate (known types, finite values, end after start,
// offsets within ±18 h) plus the physiological and physical ranges declared
// in the series catalog (a heart rate of 400 bpm, a negative distance, a
// sleep of 30 h). It is built on go-playground/validator with struct-level
// rules for the domain types. A Validator is safe for concurrent use.
type Validator struct {
	v *validator.Validate
}

// NewValidator returns a Validator.
func NewValidator() *Validator {
	v := validator.New()
	v.RegisterStructValidation(validateSample, wearables.Sample{})
	v.RegisterStructValidation(validateSleep, wearables.Sleep{})
	v.RegisterStructValidation(validateWorkout, wearables.Workout{})
	v.RegisterStructValidation(validateSummary, wearables.DailySummary{})
	v.RegisterStructValidation(validateScore, wearables.Score{})
	return &Validator{v: v}
}

var defaultValidator = sync.OnceValue(NewValidator)

// ValidateBatch removes implausible records from b in place, keeping the
// order of the rest, and returns one wearables.Rejection per removed record
// with a reason that can be stored and shown. Records of another user than
// b.UserID are rejected too. Deletes and the cursor are left alone. It never
// panics on input and is safe to call concurrently on different batches.
func ValidateBatch(b *wearables.Batch) []wearables.Rejection {
	return defaultValidator().Batch(b)
}

// Batch is ValidateBatch with this Validator.
func (v *Validator) Batch(b *wearables.Batch) []wearables.Rejection {
	var rej []wearables.Rejection
	// Samples come by the million and nearly all pass: skip the plausible
	// prefix in a plain loop, and filter (with reasons) only from the first
	// sample that may not.
	ok := 0
	for ok < len(b.Samples) && sameUser(b.UserID, b.Samples[ok].UserID) && samplePlausible(&b.Samples[ok]) {
		ok++
	}
	rest := filter(b.Samples[ok:], &rej, func(s *wearables.Sample) error {
		if !sameUser(b.UserID, s.UserID) {
			return v.check(wearables.KindSample, b.UserID, s.UserID, s)
		}
		if samplePlausible(s) {
			return nil
		}
		if p, bad := sampleProblem(s); bad {
			return &wearables.ValidationError{Kind: wearables.KindSample, Index: -1, Field: p.field, Reason: p.reason}
		}
		return nil
	}, func(s *wearables.Sample) wearables.Rejection {
		return wearables.Rejection{Kind: wearables.KindSample, Type: s.Type, Time: s.Start}
	})
	b.Samples = b.Samples[:ok+len(rest)] // rest is compacted in place after the prefix
	b.Workouts = filter(b.Workouts, &rej, func(w *wearables.Workout) error {
		return fast(wearables.KindWorkout, b.UserID, w.UserID, w, workoutRules)
	}, func(w *wearables.Workout) wearables.Rejection {
		return wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: w.ProviderRecordID, Time: w.Start}
	})
	b.Sleep = filter(b.Sleep, &rej, func(s *wearables.Sleep) error {
		return fast(wearables.KindSleep, b.UserID, s.UserID, s, sleepRules)
	}, func(s *wearables.Sleep) wearables.Rejection {
		return wearables.Rejection{Kind: wearables.KindSleep, ProviderRecordID: s.ProviderRecordID, Time: s.Start}
	})
	b.Summaries = filter(b.Summaries, &rej, func(d *wearables.DailySummary) error {
		return fast(wearables.KindDailySummary, b.UserID, d.UserID, d, summaryRules)
	}, func(d *wearables.DailySummary) wearables.Rejection {
		r := wearables.Rejection{Kind: wearables.KindDailySummary}
		if d.Date.Year >= 1 && d.Date.Year <= 9999 {
			r.Time = d.Date.In(time.UTC)
		}
		return r
	})
	b.Scores = filter(b.Scores, &rej, func(s *wearables.Score) error {
		return fast(wearables.KindScore, b.UserID, s.UserID, s, scoreRules)
	}, func(s *wearables.Score) wearables.Rejection {
		return wearables.Rejection{Kind: wearables.KindScore, ProviderRecordID: s.ProviderRecordID, Time: s.Time}
	})
	return rej
}

// filter keeps the records of xs that pass check, in place and in order.
// A kept record is moved only once an earlier one was dropped: a page of
// plausible samples (the common case) is checked without a single copy.
// sameUser reports whether a record's user fits its batch's: either may be
// unset.
func sameUser(batchUser, recordUser string) bool {
	return recordUser == "" || batchUser == "" || recordUser == batchUser
}

func filter[T any](xs []T, rej *[]wearables.Rejection, check func(*T) error, describe func(*T) wearables.Rejection) []T {
	n := 0 // records kept so far; xs[:n] is the result
	for i := range xs {
		err := check(&xs[i])
		if err == nil {
			if n != i {
				xs[n] = xs[i]
			}
			n++
			continue
		}
		r := describe(&xs[i])
		var ve *wearables.ValidationError
		if errors.As(err, &ve) {
			r.Field, r.Reason = ve.Field, ve.Reason
		} else {
			r.Reason = err.Error()
		}
		*rej = append(*rej, r)
	}
	clear(xs[n:]) // drop references held by the removed tail
	return xs[:n]
}

func (v *Validator) check(kind wearables.RecordKind, batchUser, recordUser string, rec any) error {
	if recordUser != "" && batchUser != "" && recordUser != batchUser {
		return &wearables.ValidationError{Kind: kind, Index: -1, Field: "UserID",
			Reason: "record of user " + strconv.Quote(recordUser) + " in a batch of user " + strconv.Quote(batchUser)}
	}
	return v.record(kind, rec)
}

// record validates one record and converts validator's errors into a
// *wearables.ValidationError naming the first offending field.
func (v *Validator) record(kind wearables.RecordKind, rec any) (err error) {
	defer func() {
		// validator panics only on programming errors (a nil or non-struct
		// value); never let one escape to a sync.
		if p := recover(); p != nil {
			err = &wearables.ValidationError{Kind: kind, Index: -1, Reason: "record cannot be validated"}
		}
	}()
	if err := v.v.Struct(rec); err != nil {
		var ves validator.ValidationErrors
		if errors.As(err, &ves) && len(ves) > 0 {
			return &wearables.ValidationError{Kind: kind, Index: -1, Field: ves[0].Field(), Reason: ves[0].Param()}
		}
		return &wearables.ValidationError{Kind: kind, Index: -1, Reason: err.Error()}
	}
	return nil
}

// Sample returns a *wearables.ValidationError (matching
// wearables.ErrInvalid) when s is implausible, nil otherwise.
func (v *Validator) Sample(s wearables.Sample) error { return v.record(wearables.KindSample, s) }

// Sleep validates one sleep session like Sample.
func (v *Validator) Sleep(s wearables.Sleep) error { return v.record(wearables.KindSleep, s) }

// Workout validates one workout like Sample.
func (v *Validator) Workout(w wearables.Workout) error { return v.record(wearables.KindWorkout, w) }

// Summary validates one daily summary like Sample.
func (v *Validator) Summary(d wearables.DailySummary) error {
	return v.record(wearables.KindDailySummary, d)
}

// Score validates one score like Sample.
func (v *Validator) Score(s wearables.Score) error { return v.record(wearables.KindScore, s) }

// Struct-level rules. Each reports at most its first problem, with the
// human-readable reason as the error's param.

// reporter receives a rule's problem: validator's StructLevel inside
// validator, or firstProblem in the batch fast path.
type reporter interface {
	report(value any, field, tag, reason string)
}

type slReporter struct{ sl validator.StructLevel }

func (r slReporter) report(value any, field, tag, reason string) {
	r.sl.ReportError(value, field, field, tag, reason)
}

// firstProblem keeps the first problem reported, as validator's
// ValidationErrors[0] would.
type firstProblem struct {
	p   problem
	set bool
}

func (f *firstProblem) report(value any, field, tag, reason string) {
	if !f.set {
		f.p, f.set = problem{field, tag, reason, value}, true
	}
}

// fast runs rules directly, without validator's reflection, and returns the
// same *wearables.ValidationError validator would. Workouts, sleep and scores
// arrive by the thousand in a sync page; boxing each for reflection cost
// more than the vendor's JSON decoding.
func fast[T any](kind wearables.RecordKind, batchUser, recordUser string, rec *T, rules func(*T, reporter)) error {
	if recordUser != "" && batchUser != "" && recordUser != batchUser {
		return &wearables.ValidationError{Kind: kind, Index: -1, Field: "UserID",
			Reason: "record of user " + strconv.Quote(recordUser) + " in a batch of user " + strconv.Quote(batchUser)}
	}
	var fp firstProblem
	rules(rec, &fp)
	if fp.set {
		return &wearables.ValidationError{Kind: kind, Index: -1, Field: fp.p.field, Reason: fp.p.reason}
	}
	return nil
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func withUnit(v float64, u wearables.Unit) string {
	switch u {
	case wearables.UnitCount, wearables.UnitScore, "":
		return fmtNum(v)
	}
	return fmtNum(v) + " " + string(u)
}

// seriesRange is the plausible range of one series type, for the
// per-sample check.
type seriesRange struct {
	min, max float64
	ok       bool // t is in the catalog and both bounds are finite
}

// seriesRanges holds the catalog's ranges indexed by series id. Samples come
// by the million and t.Info() copies a whole SeriesInfo per call; the range
// is all the common case needs. Built once, never mutated.
var seriesRanges = func() []seriesRange {
	infos := wearables.SeriesTypes()
	n := 0
	for _, info := range infos {
		n = max(n, int(info.ID)+1)
	}
	out := make([]seriesRange, n)
	for _, info := range infos {
		finite := !math.IsInf(info.Min, 0) && !math.IsInf(info.Max, 0) && !math.IsNaN(info.Min) && !math.IsNaN(info.Max)
		out[info.ID] = seriesRange{min: info.Min, max: info.Max, ok: finite && info.ID != 0}
	}
	return out
}()

// rangeReason checks v against the catalog range of t.
func rangeReason(t wearables.SeriesType, v float64) (string, bool) {
	if int(t) < len(seriesRanges) {
		// NaN fails both comparisons and takes the reporting path below.
		if r := &seriesRanges[t]; r.ok && v >= r.min && v <= r.max {
			return "", true
		}
	}
	return rangeProblem(t, v)
}

// rangeProblem is rangeReason's reporting path, reading the catalog entry.
func rangeProblem(t wearables.SeriesType, v float64) (string, bool) {
	info, ok := t.Info()
	if !ok {
		return "unknown series type " + strconv.Itoa(int(t)), false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return info.Code + " value is " + fmtNum(v), false
	}
	if v < info.Min || v > info.Max {
		return info.Code + " " + withUnit(v, info.Unit) + " is outside the plausible range " +
			fmtNum(info.Min) + "–" + withUnit(info.Max, info.Unit), false
	}
	return "", true
}

func timeReason(name string, t time.Time) (string, bool) {
	switch {
	case t.IsZero():
		return name + " is zero", false
	case t.Before(earliestTime) || !t.Before(latestTime):
		return name + " " + t.UTC().Format(time.RFC3339) + " is outside " +
			strconv.Itoa(EarliestYear) + "–" + strconv.Itoa(LatestYear), false
	}
	return "", true
}

func sourceReason(s wearables.Source) (string, string, bool) {
	switch {
	case s.Provider == "":
		return "Source.Provider", "provider is empty", false
	case !s.DeviceType.Valid():
		return "Source.DeviceType", "unknown device type " + strconv.Quote(string(s.DeviceType)), false
	case !s.RecordingMethod.Valid():
		return "Source.RecordingMethod", "unknown recording method " + strconv.Quote(string(s.RecordingMethod)), false
	}
	return "", "", true
}

func offsetReason(o wearables.Offset) (string, bool) {
	if !o.Valid() {
		return "offset " + strconv.Itoa(int(o)) + " s is beyond ±18 h", false
	}
	return "", true
}

func validateSample(sl validator.StructLevel) {
	s := sl.Current().Interface().(wearables.Sample)
	if p, bad := sampleProblem(&s); bad {
		slReporter{sl}.report(p.value, p.field, p.tag, p.reason)
	}
}

type problem struct {
	field, tag, reason string
	value              any
}

// Bounds of plausible sample starts as Unix seconds, for samplePlausible.
var (
	earliestUnix = earliestTime.Unix()
	latestUnix   = latestTime.Unix()
)

// samplePlausible is sampleProblem's verdict for the common case, a sample
// that passes, without building a problem: a page's samples are checked one
// by one, by the million. false means "ask sampleProblem", which finds the
// reason (TestValidateNeverPanicsProperty checks the two agree).
func samplePlausible(s *wearables.Sample) bool {
	if int(s.Type) >= len(seriesRanges) {
		return false
	}
	// NaN fails both comparisons.
	if r := &seriesRanges[s.Type]; !r.ok || !(s.Value >= r.min && s.Value <= r.max) {
		return false
	}
	// Both bounds are whole seconds, so comparing Unix seconds is timeReason's
	// Before; the zero time is far before earliestTime.
	if sec := s.Start.Unix(); sec < earliestUnix || sec >= latestUnix {
		return false
	}
	if !s.End.IsZero() && (s.End.Before(s.Start) || s.End.Sub(s.Start) > MaxSampleSpan) {
		return false
	}
	return s.Offset.Valid() && s.Source.Provider != "" && s.Source.DeviceType.Valid() && s.Source.RecordingMethod.Valid()
}

// sampleProblem holds the sample rules. validateSample runs them inside
// validator; Validator.Batch calls them directly, because samples come by
// the million and boxing each one for reflection costs more than the
// checks.
func sampleProblem(s *wearables.Sample) (problem, bool) {
	if r, ok := rangeReason(s.Type, s.Value); !ok {
		return problem{"Value", "range", r, s.Value}, true
	}
	if r, ok := timeReason("start", s.Start); !ok {
		return problem{"Start", "time", r, s.Start}, true
	}
	if !s.End.IsZero() {
		switch {
		case s.End.Before(s.Start):
			return problem{"End", "order", "end " + s.End.UTC().Format(time.RFC3339) + " is before start " + s.Start.UTC().Format(time.RFC3339), s.End}, true
		case s.End.Sub(s.Start) > MaxSampleSpan:
			return problem{"End", "span", "interval of " + s.End.Sub(s.Start).String() + " is longer than " + MaxSampleSpan.String(), s.End}, true
		}
	}
	if r, ok := offsetReason(s.Offset); !ok {
		return problem{"Offset", "offset", r, s.Offset}, true
	}
	if f, r, ok := sourceReason(s.Source); !ok {
		return problem{f, "source", r, s.Source}, true
	}
	return problem{}, false
}

// optional checks an optional metric against a series range.
func optional(rep reporter, field string, v *float64, t wearables.SeriesType) bool {
	if v == nil {
		return true
	}
	if r, ok := rangeReason(t, *v); !ok {
		rep.report(*v, field, "range", r)
		return false
	}
	return true
}

// optionalRange checks an optional metric against fixed bounds.
func optionalRange(rep reporter, field string, v *float64, lo, hi float64, unit wearables.Unit) bool {
	if v == nil {
		return true
	}
	if math.IsNaN(*v) || math.IsInf(*v, 0) || *v < lo || *v > hi {
		rep.report(*v, field, "range", field+" "+withUnit(*v, unit)+" is outside the plausible range "+fmtNum(lo)+"–"+withUnit(hi, unit))
		return false
	}
	return true
}

func validateSleep(sl validator.StructLevel) {
	s := sl.Current().Interface().(wearables.Sleep)
	sleepRules(&s, slReporter{sl})
}

// sleepRules holds the Sleep rules; see sampleProblem for why they are
// callable outside validator.
func sleepRules(s *wearables.Sleep, rep reporter) {
	if s.ProviderRecordID == "" {
		rep.report(s.ProviderRecordID, "ProviderRecordID", "required", "provider record id is empty")
		return
	}
	if r, ok := timeReason("start", s.Start); !ok {
		rep.report(s.Start, "Start", "time", r)
		return
	}
	if r, ok := timeReason("end", s.End); !ok {
		rep.report(s.End, "End", "time", r)
		return
	}
	if d := s.End.Sub(s.Start); d <= 0 {
		rep.report(s.End, "End", "order", "end "+s.End.UTC().Format(time.RFC3339)+" is not after start "+s.Start.UTC().Format(time.RFC3339))
		return
	} else if d > wearables.MaxSleepDuration {
		rep.report(d, "End", "span", "a sleep of "+d.String()+" is longer than "+wearables.MaxSleepDuration.String())
		return
	}
	if r, ok := offsetReason(s.Offset); !ok {
		rep.report(s.Offset, "Offset", "offset", r)
		return
	}
	if !optionalRange(rep, "Efficiency", s.Efficiency, 0, 100, wearables.UnitPercent) ||
		!optional(rep, "AvgHR", s.AvgHR, wearables.SeriesHeartRate) ||
		!optional(rep, "MinHR", s.MinHR, wearables.SeriesHeartRate) ||
		!optional(rep, "AvgHRV", s.AvgHRV, wearables.SeriesHRVRMSSD) ||
		!optional(rep, "RespiratoryRate", s.RespiratoryRate, wearables.SeriesRespiratoryRate) {
		return
	}
	if s.Latency != nil && (*s.Latency < 0 || *s.Latency > s.End.Sub(s.Start)) {
		rep.report(*s.Latency, "Latency", "range", "latency "+s.Latency.String()+" is outside the session")
		return
	}
	if s.Totals.TimeAsleep() > s.End.Sub(s.Start)+time.Minute {
		rep.report(s.Totals, "Totals", "range", "time asleep "+s.Totals.TimeAsleep().String()+" exceeds the session's "+s.End.Sub(s.Start).String())
		return
	}
	for j, st := range s.Stages {
		field := "Stages[" + strconv.Itoa(j) + "]"
		if !st.Stage.Valid() {
			rep.report(st.Stage, field+".Stage", "stage", "unknown stage "+strconv.Itoa(int(st.Stage)))
			return
		}
		if !st.End.After(st.Start) {
			rep.report(st.End, field+".End", "order", "stage end is not after its start")
			return
		}
	}
	if f, r, ok := sourceReason(s.Source); !ok {
		rep.report(s.Source, f, "source", r)
	}
}

func validateWorkout(sl validator.StructLevel) {
	w := sl.Current().Interface().(wearables.Workout)
	workoutRules(&w, slReporter{sl})
}

// workoutRules holds the Workout rules; see sampleProblem for why they are
// callable outside validator.
func workoutRules(w *wearables.Workout, rep reporter) {
	if w.ProviderRecordID == "" {
		rep.report(w.ProviderRecordID, "ProviderRecordID", "required", "provider record id is empty")
		return
	}
	if !w.Type.Valid() {
		rep.report(w.Type, "Type", "type", "unknown workout type "+strconv.Itoa(int(w.Type)))
		return
	}
	if r, ok := timeReason("start", w.Start); !ok {
		rep.report(w.Start, "Start", "time", r)
		return
	}
	if r, ok := timeReason("end", w.End); !ok {
		rep.report(w.End, "End", "time", r)
		return
	}
	d := w.End.Sub(w.Start)
	switch {
	case d < 0:
		rep.report(w.End, "End", "order", "end "+w.End.UTC().Format(time.RFC3339)+" is before start "+w.Start.UTC().Format(time.RFC3339))
		return
	case d > MaxWorkoutDuration:
		rep.report(d, "End", "span", "a workout of "+d.String()+" is longer than "+MaxWorkoutDuration.String())
		return
	case w.MovingTime < 0 || w.MovingTime > d+movingTimeSlack:
		rep.report(w.MovingTime, "MovingTime", "range", "moving time "+w.MovingTime.String()+" is outside 0–"+d.String())
		return
	}
	if r, ok := offsetReason(w.Offset); !ok {
		rep.report(w.Offset, "Offset", "offset", r)
		return
	}
	if !optional(rep, "Distance", w.Distance, wearables.SeriesDistance) ||
		!optional(rep, "Energy", w.Energy, wearables.SeriesActiveEnergy) ||
		!optional(rep, "AvgHR", w.AvgHR, wearables.SeriesHeartRate) ||
		!optional(rep, "MinHR", w.MinHR, wearables.SeriesHeartRate) ||
		!optional(rep, "MaxHR", w.MaxHR, wearables.SeriesHeartRate) ||
		!optional(rep, "Steps", w.Steps, wearables.SeriesSteps) ||
		!optionalRange(rep, "ElevationGain", w.ElevationGain, 0, MaxElevationChange, wearables.UnitMeter) ||
		!optionalRange(rep, "ElevationLoss", w.ElevationLoss, 0, MaxElevationChange, wearables.UnitMeter) ||
		!optional(rep, "AvgSpeed", w.AvgSpeed, wearables.SeriesSpeed) ||
		!optional(rep, "MaxSpeed", w.MaxSpeed, wearables.SeriesSpeed) ||
		!optional(rep, "AvgPower", w.AvgPower, wearables.SeriesPower) ||
		!optional(rep, "MaxPower", w.MaxPower, wearables.SeriesPower) ||
		!optional(rep, "AvgCadence", w.AvgCadence, wearables.SeriesStepCadence) {
		return
	}
	if w.MinHR != nil && w.MaxHR != nil && *w.MinHR > *w.MaxHR+hrOrderSlack {
		rep.report(*w.MinHR, "MinHR", "order", "minimum heart rate "+fmtNum(*w.MinHR)+" is above the maximum "+fmtNum(*w.MaxHR))
		return
	}
	if w.AvgHR != nil && w.MaxHR != nil && *w.AvgHR > *w.MaxHR+hrOrderSlack {
		rep.report(*w.AvgHR, "AvgHR", "order", "average heart rate "+fmtNum(*w.AvgHR)+" is above the maximum "+fmtNum(*w.MaxHR))
		return
	}
	for j, z := range w.Zones {
		if z.Duration < 0 || z.Duration > d+movingTimeSlack {
			rep.report(z.Duration, "Zones["+strconv.Itoa(j)+"].Duration", "range", "zone duration "+z.Duration.String()+" is outside the workout")
			return
		}
	}
	for j, p := range w.Route {
		if math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 {
			rep.report(p, "Route["+strconv.Itoa(j)+"]", "range", "point has coordinates "+fmtNum(p.Lat)+","+fmtNum(p.Lon))
			return
		}
	}
	if f, r, ok := sourceReason(w.Source); !ok {
		rep.report(w.Source, f, "source", r)
	}
}

func validateSummary(sl validator.StructLevel) {
	d := sl.Current().Interface().(wearables.DailySummary)
	summaryRules(&d, slReporter{sl})
}

// summaryRules holds the DailySummary rules; see sampleProblem for why they are
// callable outside validator.
func summaryRules(d *wearables.DailySummary, rep reporter) {
	if d.Kind == "" {
		rep.report(d.Kind, "Kind", "required", "kind is empty")
		return
	}
	if d.Date.Year < EarliestYear || d.Date.Year >= LatestYear || wearables.DateOf(d.Date.In(time.UTC)) != d.Date {
		rep.report(d.Date, "Date", "date", "invalid date "+d.Date.String())
		return
	}
	if r, ok := offsetReason(d.Offset); !ok {
		rep.report(d.Offset, "Offset", "offset", r)
		return
	}
	// Report the smallest offending series id, so the reason is stable.
	worst, reason := wearables.SeriesType(0), ""
	for t, v := range d.Values {
		if r, ok := rangeReason(t, v); !ok && (worst == 0 || t < worst) {
			worst, reason = t, r
		}
	}
	if worst != 0 {
		rep.report(d.Values[worst], "Values["+worst.Code()+"]", "range", reason)
		return
	}
	if f, r, ok := sourceReason(d.Source); !ok {
		rep.report(d.Source, f, "source", r)
	}
}

func validateScore(sl validator.StructLevel) {
	s := sl.Current().Interface().(wearables.Score)
	scoreRules(&s, slReporter{sl})
}

// scoreRules holds the Score rules; see sampleProblem for why they are
// callable outside validator.
func scoreRules(s *wearables.Score, rep reporter) {
	switch {
	case s.Kind == "":
		rep.report(s.Kind, "Kind", "required", "kind is empty")
	case s.ProviderRecordID == "":
		rep.report(s.ProviderRecordID, "ProviderRecordID", "required", "provider record id is empty")
	case s.Date.Year < EarliestYear || s.Date.Year >= LatestYear || wearables.DateOf(s.Date.In(time.UTC)) != s.Date:
		rep.report(s.Date, "Date", "date", "invalid date "+s.Date.String())
	case math.IsNaN(s.Value) || math.IsInf(s.Value, 0) || math.IsNaN(s.Min) || math.IsNaN(s.Max):
		rep.report(s.Value, "Value", "finite", "value is "+fmtNum(s.Value))
	case !(s.Min < s.Max):
		rep.report(s.Max, "Max", "range", "scale "+fmtNum(s.Min)+".."+fmtNum(s.Max)+" is empty")
	case s.Value < s.Min || s.Value > s.Max:
		rep.report(s.Value, "Value", "range", "value "+fmtNum(s.Value)+" is outside the scale "+fmtNum(s.Min)+".."+fmtNum(s.Max))
	case !s.Offset.Valid():
		rep.report(s.Offset, "Offset", "offset", "offset "+strconv.Itoa(int(s.Offset))+" s is beyond ±18 h")
	default:
		for k, v := range s.Contributors {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				rep.report(v, "Contributors["+strconv.Quote(k)+"]", "finite", "value is "+fmtNum(v))
				return
			}
		}
		if f, r, ok := sourceReason(s.Source); !ok {
			rep.report(s.Source, f, "source", r)
		}
	}
}
