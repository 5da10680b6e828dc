package garmin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Raw payload types, field for field as the Garmin Health API (v1.2.2) and
// Activity API (v1.2.3) specifications name them. Pull responses are JSON
// arrays of these; PUSH bodies carry the same objects under their summary
// type key, each with the userId it belongs to. Times are Unix seconds
// (the specification types some as floats, so every time is decoded as a
// number), offsets are seconds to add to reach the device's display time.
// Metrics are pointers: absent means not reported. Fields this package does
// not map are left out and ignored by the decoder.

// rawID is an id Garmin sends as a string in some responses and as a
// number in others (activityId is an int in PUSH bodies and may be a string
// elsewhere); a number is kept as its decimal text.
type rawID string

// UnmarshalJSON accepts a JSON string, number or null.
func (id *rawID) UnmarshalJSON(b []byte) error {
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		*id = rawID(b[1 : n-1])
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = rawID(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		*id = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("garmin: id %.40s is neither a string nor a number", b)
	}
	*id = rawID(n.String())
	return nil
}

// offsetValue is one entry of a time-offset map: seconds after the
// summary's start, and the value measured then.
type offsetValue struct {
	Offset int64
	Value  float64
}

// offsetValues is a time-offset map ({"15": 75, "30": 75, …}: heart-rate,
// stress, SpO2, respiration and HRV samples), decoded into entries sorted by
// offset so that normalization is deterministic. A key that is not an
// integer number of seconds, or a value that is not a number, is a decoding
// error; null values mean "no data" and are skipped.
type offsetValues []offsetValue

// UnmarshalJSON decodes the map.
func (o *offsetValues) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*o = nil
		return nil
	}
	var m map[string]*float64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	out := make(offsetValues, 0, len(m))
	for k, v := range m {
		n, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return fmt.Errorf("garmin: time offset %q is not a whole number of seconds", k)
		}
		if v != nil {
			out = append(out, offsetValue{Offset: n, Value: *v})
		}
	}
	slices.SortFunc(out, func(a, b offsetValue) int {
		switch {
		case a.Offset < b.Offset:
			return -1
		case a.Offset > b.Offset:
			return 1
		}
		return 0
	})
	*o = out
	return nil
}

// rawDaily is a daily summary (dailies).
type rawDaily struct {
	UserID                             string       `json:"userId"`
	SummaryID                          rawID        `json:"summaryId"`
	CalendarDate                       string       `json:"calendarDate"`
	StartTimeInSeconds                 float64      `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds           float64      `json:"startTimeOffsetInSeconds"`
	DurationInSeconds                  float64      `json:"durationInSeconds"`
	Steps                              *float64     `json:"steps"`
	Pushes                             *float64     `json:"pushes"`
	DistanceInMeters                   *float64     `json:"distanceInMeters"`
	PushDistanceInMeters               *float64     `json:"pushDistanceInMeters"`
	ActiveTimeInSeconds                *float64     `json:"activeTimeInSeconds"`
	ActiveKilocalories                 *float64     `json:"activeKilocalories"`
	BmrKilocalories                    *float64     `json:"bmrKilocalories"`
	ModerateIntensityDurationInSeconds *float64     `json:"moderateIntensityDurationInSeconds"`
	VigorousIntensityDurationInSeconds *float64     `json:"vigorousIntensityDurationInSeconds"`
	FloorsClimbed                      *float64     `json:"floorsClimbed"`
	MinHeartRateInBeatsPerMinute       *float64     `json:"minHeartRateInBeatsPerMinute"`
	MaxHeartRateInBeatsPerMinute       *float64     `json:"maxHeartRateInBeatsPerMinute"`
	RestingHeartRateInBeatsPerMinute   *float64     `json:"restingHeartRateInBeatsPerMinute"`
	TimeOffsetHeartRateSamples         offsetValues `json:"timeOffsetHeartRateSamples"`
	AverageStressLevel                 *float64     `json:"averageStressLevel"`
	MaxStressLevel                     *float64     `json:"maxStressLevel"`
	StressDurationInSeconds            *float64     `json:"stressDurationInSeconds"`
	RestStressDurationInSeconds        *float64     `json:"restStressDurationInSeconds"`
	ActivityStressDurationInSeconds    *float64     `json:"activityStressDurationInSeconds"`
	LowStressDurationInSeconds         *float64     `json:"lowStressDurationInSeconds"`
	MediumStressDurationInSeconds      *float64     `json:"mediumStressDurationInSeconds"`
	HighStressDurationInSeconds        *float64     `json:"highStressDurationInSeconds"`
	StressQualifier                    string       `json:"stressQualifier"`
	BodyBatteryChargedValue            *float64     `json:"bodyBatteryChargedValue"`
	BodyBatteryDrainedValue            *float64     `json:"bodyBatteryDrainedValue"`
}

// rawEpoch is one activity type's record of a 15-minute epoch (epochs).
type rawEpoch struct {
	UserID                   string   `json:"userId"`
	SummaryID                rawID    `json:"summaryId"`
	StartTimeInSeconds       float64  `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds float64  `json:"startTimeOffsetInSeconds"`
	ActivityType             string   `json:"activityType"`
	DurationInSeconds        float64  `json:"durationInSeconds"`
	ActiveTimeInSeconds      *float64 `json:"activeTimeInSeconds"`
	Steps                    *float64 `json:"steps"`
	Pushes                   *float64 `json:"pushes"`
	DistanceInMeters         *float64 `json:"distanceInMeters"`
	PushDistanceInMeters     *float64 `json:"pushDistanceInMeters"`
	ActiveKilocalories       *float64 `json:"activeKilocalories"`
	MET                      *float64 `json:"met"`
	Intensity                string   `json:"intensity"`
}

// rawSpan is one interval of a sleepLevelsMap.
type rawSpan struct {
	StartTimeInSeconds float64 `json:"startTimeInSeconds"`
	EndTimeInSeconds   float64 `json:"endTimeInSeconds"`
}

// rawNap is one entry of a sleep summary's naps.
type rawNap struct {
	NapDurationInSeconds  float64 `json:"napDurationInSeconds"`
	NapStartTimeInSeconds float64 `json:"napStartTimeInSeconds"`
	NapValidation         string  `json:"napValidation"`
	NapOffsetInSeconds    float64 `json:"napOffsetInSeconds"`
}

// rawScore is a sleep score: a value with a qualifier, or a qualifier alone.
type rawScore struct {
	Value        *float64 `json:"value"`
	QualifierKey string   `json:"qualifierKey"`
}

// rawSleep is a sleep summary (sleeps). The specification's table calls
// the unmeasurable time unmeasurableSleepInSeconds and its examples
// unmeasurableSleepDurationInSeconds: both are read.
type rawSleep struct {
	UserID                             string               `json:"userId"`
	SummaryID                          rawID                `json:"summaryId"`
	CalendarDate                       string               `json:"calendarDate"`
	StartTimeInSeconds                 float64              `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds           float64              `json:"startTimeOffsetInSeconds"`
	DurationInSeconds                  float64              `json:"durationInSeconds"`
	UnmeasurableSleepInSeconds         *float64             `json:"unmeasurableSleepInSeconds"`
	UnmeasurableSleepDurationInSeconds *float64             `json:"unmeasurableSleepDurationInSeconds"`
	DeepSleepDurationInSeconds         *float64             `json:"deepSleepDurationInSeconds"`
	LightSleepDurationInSeconds        *float64             `json:"lightSleepDurationInSeconds"`
	RemSleepInSeconds                  *float64             `json:"remSleepInSeconds"`
	AwakeDurationInSeconds             *float64             `json:"awakeDurationInSeconds"`
	SleepLevelsMap                     map[string][]rawSpan `json:"sleepLevelsMap"`
	Validation                         string               `json:"validation"`
	TimeOffsetSleepRespiration         offsetValues         `json:"timeOffsetSleepRespiration"`
	TimeOffsetSleepSpo2                offsetValues         `json:"timeOffsetSleepSpo2"`
	OverallSleepScore                  *rawScore            `json:"overallSleepScore"`
	Naps                               []rawNap             `json:"naps"`
}

// rawBodyComp is a body composition summary (bodyComps); masses in grams.
type rawBodyComp struct {
	UserID                         string   `json:"userId"`
	SummaryID                      rawID    `json:"summaryId"`
	MeasurementTimeInSeconds       float64  `json:"measurementTimeInSeconds"`
	MeasurementTimeOffsetInSeconds float64  `json:"measurementTimeOffsetInSeconds"`
	WeightInGrams                  *float64 `json:"weightInGrams"`
	MuscleMassInGrams              *float64 `json:"muscleMassInGrams"`
	BoneMassInGrams                *float64 `json:"boneMassInGrams"`
	BodyWaterInPercent             *float64 `json:"bodyWaterInPercent"`
	BodyFatInPercent               *float64 `json:"bodyFatInPercent"`
	BodyMassIndex                  *float64 `json:"bodyMassIndex"`
	BMI                            *float64 `json:"bmi"`
}

// rawStressDetails is a stress details summary (stressDetails).
type rawStressDetails struct {
	UserID                      string       `json:"userId"`
	SummaryID                   rawID        `json:"summaryId"`
	CalendarDate                string       `json:"calendarDate"`
	StartTimeInSeconds          float64      `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds    float64      `json:"startTimeOffsetInSeconds"`
	DurationInSeconds           float64      `json:"durationInSeconds"`
	TimeOffsetStressLevelValues offsetValues `json:"timeOffsetStressLevelValues"`
	TimeOffsetBodyBatteryValues offsetValues `json:"timeOffsetBodyBatteryValues"`
}

// rawUserMetrics is a user metrics summary (userMetrics): per day, no time.
type rawUserMetrics struct {
	UserID        string   `json:"userId"`
	SummaryID     rawID    `json:"summaryId"`
	CalendarDate  string   `json:"calendarDate"`
	VO2Max        *float64 `json:"vo2Max"`
	VO2MaxCycling *float64 `json:"vo2MaxCycling"`
	Enhanced      *bool    `json:"enhanced"`
	FitnessAge    *float64 `json:"fitnessAge"`
}

// rawPulseOx is a pulse ox summary (pulseox).
type rawPulseOx struct {
	UserID                   string       `json:"userId"`
	SummaryID                rawID        `json:"summaryId"`
	CalendarDate             string       `json:"calendarDate"`
	StartTimeInSeconds       float64      `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds float64      `json:"startTimeOffsetInSeconds"`
	DurationInSeconds        float64      `json:"durationInSeconds"`
	TimeOffsetSpo2Values     offsetValues `json:"timeOffsetSpo2Values"`
	OnDemand                 bool         `json:"onDemand"`
}

// rawRespiration is an all-day respiration summary (allDayRespiration).
type rawRespiration struct {
	UserID                   string       `json:"userId"`
	SummaryID                rawID        `json:"summaryId"`
	StartTimeInSeconds       float64      `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds float64      `json:"startTimeOffsetInSeconds"`
	DurationInSeconds        float64      `json:"durationInSeconds"`
	TimeOffsetEpochToBreaths offsetValues `json:"timeOffsetEpochToBreaths"`
}

// rawHRV is a heart rate variability summary (hrv): RMSSD in ms.
type rawHRV struct {
	UserID                   string       `json:"userId"`
	SummaryID                rawID        `json:"summaryId"`
	CalendarDate             string       `json:"calendarDate"`
	StartTimeInSeconds       float64      `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds float64      `json:"startTimeOffsetInSeconds"`
	DurationInSeconds        float64      `json:"durationInSeconds"`
	LastNightAvg             *float64     `json:"lastNightAvg"`
	LastNight5MinHigh        *float64     `json:"lastNight5MinHigh"`
	HRVValues                offsetValues `json:"hrvValues"`
}

// rawBloodPressure is a blood pressure summary (bloodPressures).
type rawBloodPressure struct {
	UserID                         string   `json:"userId"`
	SummaryID                      rawID    `json:"summaryId"`
	MeasurementTimeInSeconds       float64  `json:"measurementTimeInSeconds"`
	MeasurementTimeOffsetInSeconds float64  `json:"measurementTimeOffsetInSeconds"`
	Systolic                       *float64 `json:"systolic"`
	Diastolic                      *float64 `json:"diastolic"`
	Pulse                          *float64 `json:"pulse"`
	SourceType                     string   `json:"sourceType"`
}

// rawSkinTemp is a skin temperature summary (skinTemp): the deviation from
// the user's baseline during sleep, in °C.
type rawSkinTemp struct {
	UserID                   string   `json:"userId"`
	SummaryID                rawID    `json:"summaryId"`
	CalendarDate             string   `json:"calendarDate"`
	AvgDeviationCelsius      *float64 `json:"avgDeviationCelsius"`
	DurationInSeconds        float64  `json:"durationInSeconds"`
	StartTimeInSeconds       float64  `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds float64  `json:"startTimeOffsetInSeconds"`
}

// rawActivity is an activity summary (activities, manuallyUpdatedActivities,
// and the summary inside activityDetails).
type rawActivity struct {
	UserID                               string   `json:"userId"`
	SummaryID                            rawID    `json:"summaryId"`
	ActivityID                           rawID    `json:"activityId"`
	ActivityName                         string   `json:"activityName"`
	ActivityType                         string   `json:"activityType"`
	StartTimeInSeconds                   float64  `json:"startTimeInSeconds"`
	StartTimeOffsetInSeconds             float64  `json:"startTimeOffsetInSeconds"`
	DurationInSeconds                    float64  `json:"durationInSeconds"`
	AverageBikeCadenceInRoundsPerMinute  *float64 `json:"averageBikeCadenceInRoundsPerMinute"`
	AverageHeartRateInBeatsPerMinute     *float64 `json:"averageHeartRateInBeatsPerMinute"`
	AverageRunCadenceInStepsPerMinute    *float64 `json:"averageRunCadenceInStepsPerMinute"`
	AveragePushCadenceInPushesPerMinute  *float64 `json:"averagePushCadenceInPushesPerMinute"`
	AverageSpeedInMetersPerSecond        *float64 `json:"averageSpeedInMetersPerSecond"`
	AverageSwimCadenceInStrokesPerMinute *float64 `json:"averageSwimCadenceInStrokesPerMinute"`
	ActiveKilocalories                   *float64 `json:"activeKilocalories"`
	DeviceName                           string   `json:"deviceName"`
	DistanceInMeters                     *float64 `json:"distanceInMeters"`
	MaxHeartRateInBeatsPerMinute         *float64 `json:"maxHeartRateInBeatsPerMinute"`
	MaxSpeedInMetersPerSecond            *float64 `json:"maxSpeedInMetersPerSecond"`
	Steps                                *float64 `json:"steps"`
	Pushes                               *float64 `json:"pushes"`
	TotalElevationGainInMeters           *float64 `json:"totalElevationGainInMeters"`
	TotalElevationLossInMeters           *float64 `json:"totalElevationLossInMeters"`
	Manual                               *bool    `json:"manual"`
}

// rawActivityDetails is an activity details summary (activityDetails): the
// activity summary, its samples (up to one per second) and its laps.
type rawActivityDetails struct {
	UserID     string              `json:"userId"`
	SummaryID  rawID               `json:"summaryId"`
	ActivityID rawID               `json:"activityId"`
	Summary    rawActivity         `json:"summary"`
	Samples    []rawActivitySample `json:"samples"`
	Laps       []rawLap            `json:"laps"`
}

// rawActivitySample is one sample of an activity's details. The
// specification spells the air temperature "Celcius".
type rawActivitySample struct {
	StartTimeInSeconds            float64  `json:"startTimeInSeconds"`
	LatitudeInDegree              *float64 `json:"latitudeInDegree"`
	LongitudeInDegree             *float64 `json:"longitudeInDegree"`
	ElevationInMeters             *float64 `json:"elevationInMeters"`
	AirTemperatureCelcius         *float64 `json:"airTemperatureCelcius"`
	HeartRate                     *float64 `json:"heartRate"`
	SpeedMetersPerSecond          *float64 `json:"speedMetersPerSecond"`
	StepsPerMinute                *float64 `json:"stepsPerMinute"`
	TotalDistanceInMeters         *float64 `json:"totalDistanceInMeters"`
	TimerDurationInSeconds        *float64 `json:"timerDurationInSeconds"`
	ClockDurationInSeconds        *float64 `json:"clockDurationInSeconds"`
	MovingDurationInSeconds       *float64 `json:"movingDurationInSeconds"`
	PowerInWatts                  *float64 `json:"powerInWatts"`
	BikeCadenceInRPM              *float64 `json:"bikeCadenceInRPM"`
	SwimCadenceInStrokesPerMinute *float64 `json:"swimCadenceInStrokesPerMinute"`
}

// rawLap is one lap of an activity's details.
type rawLap struct {
	StartTimeInSeconds float64 `json:"startTimeInSeconds"`
}

// rawNotice is one entry of a deregistrations or userPermissionsChange
// list, or a PING entry (with callbackURL).
type rawNotice struct {
	UserID              string   `json:"userId"`
	CallbackURL         string   `json:"callbackURL"`
	SummaryID           rawID    `json:"summaryId"`
	Permissions         []string `json:"permissions"`
	ChangeTimeInSeconds float64  `json:"changeTimeInSeconds"`
}

// The user of each summary, for grouping PUSH bodies by account.
func (d *rawDaily) user() string           { return d.UserID }
func (d *rawEpoch) user() string           { return d.UserID }
func (d *rawSleep) user() string           { return d.UserID }
func (d *rawBodyComp) user() string        { return d.UserID }
func (d *rawStressDetails) user() string   { return d.UserID }
func (d *rawUserMetrics) user() string     { return d.UserID }
func (d *rawPulseOx) user() string         { return d.UserID }
func (d *rawRespiration) user() string     { return d.UserID }
func (d *rawHRV) user() string             { return d.UserID }
func (d *rawBloodPressure) user() string   { return d.UserID }
func (d *rawSkinTemp) user() string        { return d.UserID }
func (d *rawActivity) user() string        { return d.UserID }
func (d *rawActivityDetails) user() string { return d.UserID }
