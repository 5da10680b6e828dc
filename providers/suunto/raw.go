package suunto

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Raw payload types, field for field as the Suunto Cloud API sends them
// (workouts in camelCase, 24/7 data in PascalCase). Optional fields are
// pointers; fields this package does not map are left out and ignored by
// the decoder.

// flexID is an identifier Suunto sends as a string in some places and as
// a number in others (workoutKey is a hex string, workoutId and SleepId
// are integers). A number is kept as its decimal text; null is "".
type flexID string

var errBadID = errors.New("id is neither a string nor a number")

// UnmarshalJSON accepts a JSON string, number or null.
func (id *flexID) UnmarshalJSON(b []byte) error {
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		*id = flexID(b[1 : n-1]) // the common case: no escapes to undo
		return nil
	}
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = flexID(s)
		return nil
	case bytes.Equal(b, []byte("null")):
		*id = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errBadID
	}
	*id = flexID(n.String())
	return nil
}

// rawError is the error member of Suunto's response envelope.
type rawError struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// workoutPage is a workout list response: {"error": null, "payload": [...],
// "metadata": {...}}.
type workoutPage struct {
	Error   *rawError    `json:"error"`
	Payload []rawWorkout `json:"payload"`
}

// rawWorkout is a workout summary, as listed and as pushed by
// WORKOUT_CREATED.
type rawWorkout struct {
	WorkoutKey          flexID     `json:"workoutKey"`
	WorkoutID           flexID     `json:"workoutId"`
	ActivityID          *int       `json:"activityId"`
	StartTime           *int64     `json:"startTime"` // epoch ms
	StopTime            *int64     `json:"stopTime"`  // epoch ms; missing while Suunto computes it
	TotalTime           *float64   `json:"totalTime"` // s
	TimeOffsetInMinutes *int64     `json:"timeOffsetInMinutes"`
	TotalDistance       *float64   `json:"totalDistance"` // m
	AvgSpeed            *float64   `json:"avgSpeed"`      // m/s
	MaxSpeed            *float64   `json:"maxSpeed"`      // m/s
	TotalAscent         *float64   `json:"totalAscent"`   // m
	TotalDescent        *float64   `json:"totalDescent"`  // m
	StepCount           *float64   `json:"stepCount"`
	EnergyConsumption   *float64   `json:"energyConsumption"` // kcal
	AvgPower            *float64   `json:"avgPower"`          // W
	MaxPower            *float64   `json:"maxPower"`          // W
	AvgCadence          *float64   `json:"avgCadence"`        // per minute
	Cadence             *float64   `json:"cadence"`           // per minute (older summaries)
	HRData              *rawHRData `json:"hrdata"`
	Gear                *rawGear   `json:"gear"`
	Name                *string    `json:"name"`
}

// rawHRData is a workout's heart-rate summary. max and userMaxHR are the
// user's configured maximum heart rate, not the workout's: the workout's
// maximum is workoutMaxHR (or hrmax).
type rawHRData struct {
	WorkoutAvgHR *float64 `json:"workoutAvgHR"`
	WorkoutMaxHR *float64 `json:"workoutMaxHR"`
	Avg          *float64 `json:"avg"`
	HRMax        *float64 `json:"hrmax"`
	Min          *float64 `json:"min"`
	Max          *float64 `json:"max"`       // the user's max HR setting: never the workout max
	UserMaxHR    *float64 `json:"userMaxHR"` // the same setting
}

// rawGear is the device a workout was recorded with.
type rawGear struct {
	Manufacturer string `json:"manufacturer"`
	Name         string `json:"name"`
	DisplayName  string `json:"displayName"`
	ProductType  string `json:"productType"`
}

// rawEntry is one 24/7 item: {"timestamp": ISO 8601 with offset,
// "entryData": {...}}.
type rawEntry[T any] struct {
	Timestamp string `json:"timestamp"`
	EntryData T      `json:"entryData"`
}

// rawActivity is a 24/7 activity sample.
type rawActivity struct {
	HR                *float64 `json:"HR"`                // bpm
	StepCount         *float64 `json:"StepCount"`         // steps
	SpO2              *float64 `json:"SpO2"`              // fraction 0–1
	EnergyConsumption *float64 `json:"EnergyConsumption"` // J
	HRV               *float64 `json:"HRV"`               // RMSSD, ms
}

// rawSleep is a 24/7 sleep entry: one sleep session with stage totals.
type rawSleep struct {
	SleepID                     flexID   `json:"SleepId"`
	BedtimeStart                *string  `json:"BedtimeStart"`
	BedtimeEnd                  *string  `json:"BedtimeEnd"`
	Duration                    *float64 `json:"Duration"` // s, in bed
	DeepSleepDuration           *float64 `json:"DeepSleepDuration"`
	LightSleepDuration          *float64 `json:"LightSleepDuration"`
	REMSleepDuration            *float64 `json:"REMSleepDuration"`
	WakeAfterSleepOnsetDuration *float64 `json:"WakeAfterSleepOnsetDuration"`
	WakeBeforeOffBedDuration    *float64 `json:"WakeBeforeOffBedDuration"`
	SleepOnsetLatencyDuration   *float64 `json:"SleepOnsetLatencyDuration"`
	HRMin                       *float64 `json:"HRMin"`
	HRAvg                       *float64 `json:"HRAvg"`
	AvgHRV                      *float64 `json:"AvgHRV"`
	MaxSpo2                     *float64 `json:"MaxSpo2"`
	SleepQualityScore           *float64 `json:"SleepQualityScore"`
	IsNap                       *bool    `json:"IsNap"`
}

// rawRecovery is a 24/7 recovery sample.
type rawRecovery struct {
	Balance     *float64 `json:"Balance"`     // body resources, fraction 0–1
	StressState *int     `json:"StressState"` // 0 invalid, 1 relaxing, 2 active, 3 passive, 4 stressful
}

// rawStatistic is one series of the daily activity statistics
// ("stepcount", "energyconsumption"), per source, per UTC day.
type rawStatistic struct {
	Name        string `json:"Name"`
	Aggregation string `json:"Aggregation"`
	Sources     []struct {
		Name    string `json:"Name"`
		Samples []struct {
			TimeISO8601 string   `json:"TimeISO8601"`
			Value       *float64 `json:"Value"`
		} `json:"Samples"`
	} `json:"Sources"`
}

// rawNotification is a webhook body.
type rawNotification struct {
	Type     string          `json:"type"`
	Username string          `json:"username"`
	Workout  *rawWorkout     `json:"workout"`
	Gear     *rawGear        `json:"gear"`
	Samples  json.RawMessage `json:"samples"`
}
