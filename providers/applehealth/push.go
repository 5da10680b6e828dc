package applehealth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// The push format: batches of HealthKit or Health Connect samples that a
// mobile app sends to the server (POST …/push, see the server package),
// parsed and normalized through the same path as an export.
//
//	{
//	  "platform": "healthkit",                       // or "healthconnect"
//	  "samples": [{
//	    "id": "5F1A0C2E-…",                          // HealthKit UUID / Health Connect metadata.id (optional)
//	    "client_record_id": "app-42",                // the app's own id (optional)
//	    "client_record_version": 3,                  // higher versions replace lower ones
//	    "type": "HKQuantityTypeIdentifierHeartRate", // Health Connect: "HeartRate", "Steps" …
//	    "value": 72, "unit": "count/min",            // quantities
//	    "category": "HKCategoryValueSleepAnalysisAsleepCore", // categories instead of value
//	    "start": "2024-03-10T01:59:30-08:00",        // RFC 3339 with the device's offset
//	    "end":   "2024-03-10T01:59:30-08:00",
//	    "time_zone": "America/Los_Angeles",          // optional, like HKMetadataKeyTimeZone
//	    "manual": false,                             // entered by hand (HKWasUserEntered)
//	    "source": {
//	      "name": "Kevin’s Apple Watch",             // HKSource name
//	      "bundle_id": "com.apple.health.…",         // HKSource bundle id / Health Connect package name
//	      "version": "10.1",
//	      "device": {"name": "Apple Watch", "manufacturer": "Apple Inc.", "model": "Watch",
//	                 "hardware": "Watch6,12", "software": "10.1", "type": "watch"},
//	      "recording_method": "automatic"            // or "manual"; Health Connect's MANUAL_ENTRY …
//	    }
//	  }],
//	  "workouts": [{
//	    "id": "…", "client_record_id": "…", "client_record_version": 1,
//	    "activity_type": "HKWorkoutActivityTypeRunning", // Health Connect: "EXERCISE_TYPE_RUNNING"
//	    "start": "…", "end": "…", "duration_s": 1830, "title": "Morning run",
//	    "indoor": false, "swimming_location": 0,      // 1 pool, 2 open water
//	    "statistics": [{"type": "HKQuantityTypeIdentifierHeartRate", "unit": "count/min",
//	                    "average": 142, "minimum": 95, "maximum": 171, "sum": null}],
//	    "laps": [{"start": "…", "duration_s": 600}],
//	    "source": {…}, "time_zone": "…"
//	  }],
//	  "sleep_sessions": [{                            // Health Connect SleepSessionRecord
//	    "id": "…", "client_record_id": "…", "client_record_version": 1,
//	    "start": "…", "end": "…",
//	    "stages": [{"stage": "STAGE_TYPE_DEEP", "start": "…", "end": "…"}],
//	    "source": {…}
//	  }]
//	}
//
// HealthKit sleep arrives as HKCategoryTypeIdentifierSleepAnalysis samples
// and is assembled into sessions exactly as in an export; Health Connect
// sends whole sessions. Records from the healthkit platform get the source
// provider wearables.ProviderAppleHealth and the same Source an export
// gives them (App is the source name), so a sample pushed by the app and
// the same sample in a later export are one record; healthconnect records
// get wearables.ProviderHealthConnect and App is the package name.
//
// Idempotency: samples are keyed by (source, type, start) like every sample;
// workouts and sleep sessions by id, else client_record_id, else a
// deterministic id of their source, type and start. client_record_version
// becomes the record's Version, so a resent older version never replaces a
// newer one.

// PushBatch is the push format's JSON document.
type PushBatch struct {
	Platform      string        `json:"platform"`
	Samples       []PushSample  `json:"samples,omitempty"`
	Workouts      []PushWorkout `json:"workouts,omitempty"`
	SleepSessions []PushSleep   `json:"sleep_sessions,omitempty"`
}

// Push platforms.
const (
	PlatformHealthKit     = "healthkit"
	PlatformHealthConnect = "healthconnect"
)

// PushSource is the app and device that recorded a pushed record.
type PushSource struct {
	Name            string      `json:"name,omitempty"`
	BundleID        string      `json:"bundle_id,omitempty"`
	Version         string      `json:"version,omitempty"`
	Device          *PushDevice `json:"device,omitempty"`
	RecordingMethod string      `json:"recording_method,omitempty"`
}

// PushDevice is HKDevice / Health Connect's Device.
type PushDevice struct {
	Name         string `json:"name,omitempty"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	Hardware     string `json:"hardware,omitempty"`
	Software     string `json:"software,omitempty"`
	Type         string `json:"type,omitempty"`
}

// PushSample is one quantity or category sample.
type PushSample struct {
	ID                  string     `json:"id,omitempty"`
	ClientRecordID      string     `json:"client_record_id,omitempty"`
	ClientRecordVersion int64      `json:"client_record_version,omitempty"`
	Type                string     `json:"type"`
	Value               *float64   `json:"value,omitempty"`
	Unit                string     `json:"unit,omitempty"`
	Category            string     `json:"category,omitempty"`
	Start               string     `json:"start"`
	End                 string     `json:"end,omitempty"`
	TimeZone            string     `json:"time_zone,omitempty"`
	Manual              bool       `json:"manual,omitempty"`
	Source              PushSource `json:"source"`
}

// PushStatistic is one workout statistic (HKWorkout statistics, or a Health
// Connect aggregate).
type PushStatistic struct {
	Type    string   `json:"type"`
	Unit    string   `json:"unit"`
	Sum     *float64 `json:"sum,omitempty"`
	Average *float64 `json:"average,omitempty"`
	Minimum *float64 `json:"minimum,omitempty"`
	Maximum *float64 `json:"maximum,omitempty"`
}

// PushLap is a lap or segment of a workout.
type PushLap struct {
	Start     string  `json:"start"`
	DurationS float64 `json:"duration_s"`
}

// PushWorkout is one workout or exercise session.
type PushWorkout struct {
	ID                  string          `json:"id,omitempty"`
	ClientRecordID      string          `json:"client_record_id,omitempty"`
	ClientRecordVersion int64           `json:"client_record_version,omitempty"`
	ActivityType        string          `json:"activity_type"`
	Title               string          `json:"title,omitempty"`
	Start               string          `json:"start"`
	End                 string          `json:"end"`
	DurationS           float64         `json:"duration_s,omitempty"`
	Indoor              bool            `json:"indoor,omitempty"`
	SwimmingLocation    int             `json:"swimming_location,omitempty"`
	Statistics          []PushStatistic `json:"statistics,omitempty"`
	Laps                []PushLap       `json:"laps,omitempty"`
	TimeZone            string          `json:"time_zone,omitempty"`
	Manual              bool            `json:"manual,omitempty"`
	Source              PushSource      `json:"source"`
}

// PushStage is one stage of a Health Connect sleep session.
type PushStage struct {
	Stage string `json:"stage"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// PushSleep is one Health Connect sleep session.
type PushSleep struct {
	ID                  string      `json:"id,omitempty"`
	ClientRecordID      string      `json:"client_record_id,omitempty"`
	ClientRecordVersion int64       `json:"client_record_version,omitempty"`
	Start               string      `json:"start"`
	End                 string      `json:"end"`
	Stages              []PushStage `json:"stages,omitempty"`
	TimeZone            string      `json:"time_zone,omitempty"`
	Source              PushSource  `json:"source"`
}

// healthConnectTypes maps Health Connect record types (the record class
// name without "Record"; flattened to one value per sample) to the series
// catalog.
var healthConnectTypes = map[string]wearables.SeriesType{
	"Steps":                     wearables.SeriesSteps,
	"HeartRate":                 wearables.SeriesHeartRate,
	"RestingHeartRate":          wearables.SeriesRestingHeartRate,
	"HeartRateVariabilityRmssd": wearables.SeriesHRVRMSSD,
	"OxygenSaturation":          wearables.SeriesOxygenSaturation,
	"RespiratoryRate":           wearables.SeriesRespiratoryRate,
	"ActiveCaloriesBurned":      wearables.SeriesActiveEnergy,
	"TotalCaloriesBurned":       wearables.SeriesTotalEnergy,
	"Distance":                  wearables.SeriesDistance,
	"FloorsClimbed":             wearables.SeriesFlightsClimbed,
	"WheelchairPushes":          wearables.SeriesWheelchairPushes,
	"Weight":                    wearables.SeriesWeight,
	"Height":                    wearables.SeriesHeight,
	"BodyFat":                   wearables.SeriesBodyFatPercentage,
	"LeanBodyMass":              wearables.SeriesLeanBodyMass,
	"BoneMass":                  wearables.SeriesBoneMass,
	"BodyWaterMass":             wearables.SeriesBodyWaterMass,
	"BasalMetabolicRate":        wearables.SeriesBasalMetabolicRate,
	"BloodGlucose":              wearables.SeriesBloodGlucose,
	"BloodPressureSystolic":     wearables.SeriesBloodPressureSystolic,
	"BloodPressureDiastolic":    wearables.SeriesBloodPressureDiastolic,
	"BodyTemperature":           wearables.SeriesBodyTemperature,
	"BasalBodyTemperature":      wearables.SeriesBasalBodyTemperature,
	"SkinTemperature":           wearables.SeriesSkinTemperatureDeviation,
	"Vo2Max":                    wearables.SeriesVO2Max,
	"Speed":                     wearables.SeriesSpeed,
	"Power":                     wearables.SeriesPower,
	"StepsCadence":              wearables.SeriesStepCadence,
	"CyclingPedalingCadence":    wearables.SeriesCyclingCadence,
	"Hydration":                 wearables.SeriesWaterIntake,
	"ElevationGained":           wearables.SeriesElevation,
}

// healthConnectExercises maps ExerciseSessionRecord.EXERCISE_TYPE_* names
// (with or without the prefix) to the workout catalog.
var healthConnectExercises = map[string]wearables.WorkoutType{
	"OTHER_WORKOUT": wearables.WorkoutOther, "BADMINTON": wearables.WorkoutBadminton, "BASEBALL": wearables.WorkoutBaseball,
	"BASKETBALL": wearables.WorkoutBasketball, "BIKING": wearables.WorkoutCycling, "BIKING_STATIONARY": wearables.WorkoutIndoorCycling,
	"BOOT_CAMP": wearables.WorkoutCircuitTraining, "BOXING": wearables.WorkoutBoxing, "CALISTHENICS": wearables.WorkoutCalisthenics,
	"CRICKET": wearables.WorkoutCricket, "DANCING": wearables.WorkoutDance, "ELLIPTICAL": wearables.WorkoutElliptical,
	"EXERCISE_CLASS": wearables.WorkoutFitness, "FENCING": wearables.WorkoutFencing, "FOOTBALL_AMERICAN": wearables.WorkoutAmericanFootball,
	"FOOTBALL_AUSTRALIAN": wearables.WorkoutAustralianFootball, "FRISBEE_DISC": wearables.WorkoutUltimateDisc, "GOLF": wearables.WorkoutGolf,
	"GUIDED_BREATHING": wearables.WorkoutBreathwork, "GYMNASTICS": wearables.WorkoutGymnastics, "HANDBALL": wearables.WorkoutHandball,
	"HIGH_INTENSITY_INTERVAL_TRAINING": wearables.WorkoutHIIT, "HIKING": wearables.WorkoutHiking, "ICE_HOCKEY": wearables.WorkoutIceHockey,
	"ICE_SKATING": wearables.WorkoutIceSkating, "MARTIAL_ARTS": wearables.WorkoutMartialArts, "PADDLING": wearables.WorkoutPaddling,
	"PARAGLIDING": wearables.WorkoutParagliding, "PILATES": wearables.WorkoutPilates, "RACQUETBALL": wearables.WorkoutRacquetball,
	"ROCK_CLIMBING": wearables.WorkoutClimbing, "ROLLER_HOCKEY": wearables.WorkoutHockey, "ROWING": wearables.WorkoutRowing,
	"ROWING_MACHINE": wearables.WorkoutIndoorRowing, "RUGBY": wearables.WorkoutRugby, "RUNNING": wearables.WorkoutRunning,
	"RUNNING_TREADMILL": wearables.WorkoutTreadmillRunning, "SAILING": wearables.WorkoutSailing, "SCUBA_DIVING": wearables.WorkoutScubaDiving,
	"SKATING": wearables.WorkoutInlineSkating, "SKIING": wearables.WorkoutAlpineSkiing, "SNOWBOARDING": wearables.WorkoutSnowboarding,
	"SNOWSHOEING": wearables.WorkoutSnowshoeing, "SOCCER": wearables.WorkoutSoccer, "SOFTBALL": wearables.WorkoutSoftball,
	"SQUASH": wearables.WorkoutSquash, "STAIR_CLIMBING": wearables.WorkoutStairClimbing, "STAIR_CLIMBING_MACHINE": wearables.WorkoutStairStepper,
	"STRENGTH_TRAINING": wearables.WorkoutStrengthTraining, "STRETCHING": wearables.WorkoutFlexibility, "SURFING": wearables.WorkoutSurfing,
	"SWIMMING_OPEN_WATER": wearables.WorkoutSwimmingOpenWater, "SWIMMING_POOL": wearables.WorkoutSwimmingPool,
	"TABLE_TENNIS": wearables.WorkoutTableTennis, "TENNIS": wearables.WorkoutTennis, "VOLLEYBALL": wearables.WorkoutVolleyball,
	"WALKING": wearables.WorkoutWalking, "WATER_POLO": wearables.WorkoutWaterPolo, "WEIGHTLIFTING": wearables.WorkoutStrengthTraining,
	"WHEELCHAIR": wearables.WorkoutWheelchair, "YOGA": wearables.WorkoutYoga,
}

// PushResult is a parsed push batch.
type PushResult struct {
	// Records holds the normalized records, UserID empty.
	Records wearables.Batch
	// Stats counts unknown types and rejected records with their reasons.
	Stats Stats
}

// ParsePush parses and normalizes a push batch. A document that is not
// valid JSON, or names an unknown platform, is an error matching
// wearables.ErrInvalid; individual records that cannot be used are
// rejected in Stats and the rest proceeds. It is safe for concurrent use.
func ParsePush(data []byte) (PushResult, error) {
	var pb PushBatch
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pb); err != nil {
		return PushResult{}, fmt.Errorf("applehealth: parse push: %v: %w", err, wearables.ErrInvalid)
	}
	return NormalizePush(&pb)
}

// NormalizePush normalizes a decoded push batch; see ParsePush.
func NormalizePush(pb *PushBatch) (PushResult, error) {
	var provider wearables.ProviderID
	switch pb.Platform {
	case PlatformHealthKit:
		provider = wearables.ProviderAppleHealth
	case PlatformHealthConnect:
		provider = wearables.ProviderHealthConnect
	default:
		return PushResult{}, fmt.Errorf("applehealth: parse push: unknown platform %q: %w", pb.Platform, wearables.ErrInvalid)
	}
	p := &pushNormalizer{
		hc:     provider == wearables.ProviderHealthConnect,
		prov:   provider,
		sleep:  newSleepAssembler(DefaultSleepSessionGap),
		zones:  map[string]*time.Location{},
		maxRej: 100,
	}
	p.units.init()
	p.stats.ByType = map[string]int64{}
	p.stats.UnknownTypes = map[string]int64{}
	for i := range pb.Samples {
		p.sample(&pb.Samples[i])
	}
	for i := range pb.Workouts {
		p.workout(&pb.Workouts[i])
	}
	for i := range pb.SleepSessions {
		p.sleepSession(&pb.SleepSessions[i])
	}
	p.sleep.flushAll(func(s wearables.Sleep) {
		p.out.Sleep = append(p.out.Sleep, s)
		p.stats.Emitted.Sleep++
	})
	p.stats.Validate(&p.out, p.maxRej)
	return PushResult{Records: p.out, Stats: p.stats}, nil
}

type pushNormalizer struct {
	hc     bool
	prov   wearables.ProviderID
	out    wearables.Batch
	stats  Stats
	sleep  *sleepAssembler
	units  unitCache
	zones  map[string]*time.Location
	maxRej int
}

func (p *pushNormalizer) reject(typ string, r wearables.Rejection) { p.stats.reject(typ, r, p.maxRej) }

// source builds the Source of a pushed record. HealthKit sources are built
// exactly as an export's, so pushes and exports of the same data coincide.
func (p *pushNormalizer) source(ps PushSource, manual bool) wearables.Source {
	var dv device
	if ps.Device != nil {
		dv = device{Name: ps.Device.Name, Manufacturer: ps.Device.Manufacturer, Model: ps.Device.Model,
			Hardware: ps.Device.Hardware, Software: ps.Device.Software}
	}
	src := wearables.Source{Provider: p.prov, DeviceModel: deviceModel(dv)}
	if p.hc {
		src.App = ps.BundleID
		if src.App == "" {
			src.App = ps.Name
		}
	} else {
		src.App = ps.Name
		if src.App == "" {
			src.App = ps.BundleID
		}
	}
	src.DeviceType = deviceType(dv, src.App)
	if ps.Device != nil && ps.Device.Type != "" {
		src.DeviceType = pushDeviceType(ps.Device.Type)
	}
	switch strings.ToUpper(ps.RecordingMethod) {
	case "MANUAL", "MANUAL_ENTRY", "RECORDING_METHOD_MANUAL_ENTRY":
		manual = true
	}
	if manual {
		src.RecordingMethod = wearables.RecordingManual
	}
	return src.Normalized()
}

func pushDeviceType(t string) wearables.DeviceType {
	switch strings.TrimPrefix(strings.ToUpper(t), "TYPE_") {
	case "WATCH":
		return wearables.DeviceWatch
	case "PHONE":
		return wearables.DevicePhone
	case "RING":
		return wearables.DeviceRing
	case "SCALE":
		return wearables.DeviceScale
	case "CHEST_STRAP", "STRAP", "FITNESS_BAND":
		return wearables.DeviceStrap
	case "APP":
		return wearables.DeviceApp
	}
	return wearables.DeviceUnknown
}

func (p *pushNormalizer) zone(name string) *time.Location {
	if name == "" {
		return nil
	}
	if loc, ok := p.zones[name]; ok {
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	p.zones[name] = loc
	return loc
}

func (p *pushNormalizer) sample(s *PushSample) {
	p.stats.Records++
	p.stats.ByType[s.Type]++
	var rt recordType
	var known bool
	if p.hc {
		st, ok := healthConnectTypes[strings.TrimSuffix(s.Type, "Record")]
		rt, known = recordType{kind: kindQuantity, series: st}, ok
	} else {
		rt, known = recordTypes[s.Type]
	}
	if !known {
		p.stats.UnknownTypes[s.Type]++
		return
	}
	rej := func(field, reason string) {
		p.reject(s.Type, wearables.Rejection{Kind: wearables.KindSample, Type: rt.series, Field: field, Reason: reason})
	}
	start, err := normalize.ParseRFC3339(s.Start)
	if err != nil {
		rej("start", err.Error())
		return
	}
	end := start
	if s.End != "" {
		if end, err = normalize.ParseRFC3339(s.End); err != nil {
			rej("end", err.Error())
			return
		}
	}
	if end.Time.Before(start.Time) {
		rej("end", "end before start")
		return
	}
	src := p.source(s.Source, s.Manual)
	off := offsetAt(p.zone(s.TimeZone), start.Time, start.Offset)
	out := wearables.Sample{Source: src, Type: rt.series, Start: start.Time.UTC(), Offset: off}
	if end.Time.After(start.Time) {
		out.End = end.Time.UTC()
	}
	switch rt.kind {
	case kindQuantity:
		if s.Value == nil {
			rej("value", "quantity sample without a value")
			return
		}
		var conv normalize.Converter
		if p.hc {
			conv, err = normalize.CanonicalConverter(rt.series, s.Unit)
		} else {
			conv, err = p.units.converterStr(rt.series, s.Unit)
		}
		if err != nil {
			rej("unit", err.Error())
			return
		}
		out.Value = conv.Convert(*s.Value)
	case kindStandHour:
		switch s.Category {
		case "HKCategoryValueAppleStandHourStood":
			out.Value = 1
		case "HKCategoryValueAppleStandHourIdle":
			out.Value = 0
		default:
			rej("category", "unknown stand hour value "+s.Category)
			return
		}
	case kindDuration:
		out.Value = end.Time.Sub(start.Time).Seconds()
	case kindSleep:
		stage, err := normalize.SchemeApple.Stage(s.Category)
		if err != nil {
			rej("category", err.Error())
			return
		}
		if !end.Time.After(start.Time) {
			rej("end", "sleep interval has no duration")
			return
		}
		p.sleep.add(nil, src, sleepInterval{stage: stage, start: out.Start, end: out.End, offset: off}, func(sl wearables.Sleep) {
			p.out.Sleep = append(p.out.Sleep, sl)
			p.stats.Emitted.Sleep++
		})
		return
	}
	p.out.Samples = append(p.out.Samples, out)
	p.stats.Emitted.Samples++
}

func (p *pushNormalizer) recordID(id, clientID string) string {
	if id != "" {
		return id
	}
	if clientID != "" {
		return "client:" + clientID
	}
	return ""
}

func (p *pushNormalizer) workout(w *PushWorkout) {
	p.stats.Workouts++
	rej := func(field, reason string) {
		p.reject(workoutTypeName, wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: w.ID, Field: field, Reason: reason})
	}
	start, err := normalize.ParseRFC3339(w.Start)
	if err != nil {
		rej("start", err.Error())
		return
	}
	end, err := normalize.ParseRFC3339(w.End)
	if err != nil {
		rej("end", err.Error())
		return
	}
	var wt wearables.WorkoutType
	var known bool
	if p.hc {
		name := strings.TrimPrefix(strings.ToUpper(w.ActivityType), "EXERCISE_TYPE_")
		wt, known = healthConnectExercises[name]
		if !known {
			wt = wearables.WorkoutOther
		}
	} else {
		wt, known = workoutType(w.ActivityType, w.Indoor, w.SwimmingLocation)
	}
	if !known {
		p.stats.UnknownTypes[w.ActivityType]++
	}
	out := wearables.Workout{
		Source:  p.source(w.Source, w.Manual),
		Version: w.ClientRecordVersion,
		Type:    wt,
		RawType: w.ActivityType,
		Name:    w.Title,
		Start:   start.Time.UTC(),
		End:     end.Time.UTC(),
		Offset:  offsetAt(p.zone(w.TimeZone), start.Time, start.Offset),
	}
	if w.DurationS > 0 {
		out.MovingTime = min(time.Duration(w.DurationS*float64(time.Second)), out.End.Sub(out.Start))
	}
	for _, st := range w.Statistics {
		p.statistic(&out, st)
	}
	for _, l := range w.Laps {
		ls, err := normalize.ParseRFC3339(l.Start)
		if err != nil {
			continue
		}
		out.Laps = append(out.Laps, wearables.Lap{Start: ls.Time.UTC(), Duration: time.Duration(l.DurationS * float64(time.Second))})
	}
	out.ProviderRecordID = p.recordID(w.ID, w.ClientRecordID)
	if out.ProviderRecordID == "" {
		out.ProviderRecordID = normalize.WorkoutID(out.Source, w.ActivityType, out.Start)
	}
	p.out.Workouts = append(p.out.Workouts, out)
	p.stats.Emitted.Workouts++
}

// statistic applies one workout statistic. HealthKit types are quantity
// identifiers; Health Connect's are record type names.
func (p *pushNormalizer) statistic(w *wearables.Workout, st PushStatistic) {
	var series wearables.SeriesType
	var ok bool
	if p.hc {
		series, ok = healthConnectTypes[strings.TrimSuffix(st.Type, "Record")]
	} else {
		series, ok = quantityTypes[strings.TrimPrefix(st.Type, hkQuantityPrefix)]
	}
	if !ok {
		return
	}
	conv := func(v *float64, as wearables.SeriesType) *float64 {
		if v == nil {
			return nil
		}
		var c normalize.Converter
		var err error
		if p.hc {
			c, err = normalize.CanonicalConverter(as, st.Unit)
		} else {
			c, err = p.units.converterStr(as, st.Unit)
		}
		if err != nil {
			return nil
		}
		return f64(c.Convert(*v))
	}
	switch series {
	case wearables.SeriesActiveEnergy:
		w.Energy = conv(st.Sum, series)
	case wearables.SeriesDistance, wearables.SeriesDistanceWalkingRunning, wearables.SeriesDistanceCycling,
		wearables.SeriesDistanceSwimming, wearables.SeriesDistanceWheelchair, wearables.SeriesDistanceDownhillSnowSports,
		wearables.SeriesDistanceCrossCountrySkiing, wearables.SeriesDistanceRowing, wearables.SeriesDistancePaddling,
		wearables.SeriesDistanceSkating:
		w.Distance = conv(st.Sum, wearables.SeriesDistance)
	case wearables.SeriesHeartRate:
		w.AvgHR, w.MinHR, w.MaxHR = conv(st.Average, series), conv(st.Minimum, series), conv(st.Maximum, series)
	case wearables.SeriesSteps:
		w.Steps = conv(st.Sum, series)
	case wearables.SeriesRunningPower, wearables.SeriesCyclingPower, wearables.SeriesPower:
		w.AvgPower, w.MaxPower = conv(st.Average, wearables.SeriesPower), conv(st.Maximum, wearables.SeriesPower)
	case wearables.SeriesRunningSpeed, wearables.SeriesCyclingSpeed, wearables.SeriesSpeed:
		w.AvgSpeed, w.MaxSpeed = conv(st.Average, wearables.SeriesSpeed), conv(st.Maximum, wearables.SeriesSpeed)
	case wearables.SeriesCyclingCadence:
		w.AvgCadence = conv(st.Average, series)
	case wearables.SeriesElevation:
		w.ElevationGain = conv(st.Sum, series)
	}
}

func (p *pushNormalizer) sleepSession(s *PushSleep) {
	p.stats.Records++
	const typ = "SleepSession"
	rej := func(field, reason string) {
		p.reject(typ, wearables.Rejection{Kind: wearables.KindSleep, ProviderRecordID: s.ID, Field: field, Reason: reason})
	}
	start, err := normalize.ParseRFC3339(s.Start)
	if err != nil {
		rej("start", err.Error())
		return
	}
	end, err := normalize.ParseRFC3339(s.End)
	if err != nil {
		rej("end", err.Error())
		return
	}
	src := p.source(s.Source, false)
	out := wearables.Sleep{
		Source:  src,
		Version: s.ClientRecordVersion,
		Start:   start.Time.UTC(),
		End:     end.Time.UTC(),
		Offset:  offsetAt(p.zone(s.TimeZone), start.Time, start.Offset),
	}
	for _, st := range s.Stages {
		stage, err := normalize.SchemeHealthConnect.Stage(st.Stage)
		if err != nil {
			rej("stages", "unknown stage "+st.Stage)
			return
		}
		a, err1 := normalize.ParseRFC3339(st.Start)
		b, err2 := normalize.ParseRFC3339(st.End)
		if err1 != nil || err2 != nil {
			rej("stages", "malformed stage time")
			return
		}
		out.Stages = append(out.Stages, wearables.StageInterval{Stage: stage, Start: a.Time.UTC(), End: b.Time.UTC()})
	}
	normalize.FillSleep(&out)
	out.IsNap = normalize.IsNap(out.Start, out.End, out.Offset, nil)
	out.ProviderRecordID = p.recordID(s.ID, s.ClientRecordID)
	if out.ProviderRecordID == "" {
		out.ProviderRecordID = normalize.RecordID(wearables.KindSleep, src, out.Start)
	}
	p.out.Sleep = append(p.out.Sleep, out)
	p.stats.Emitted.Sleep++
}
