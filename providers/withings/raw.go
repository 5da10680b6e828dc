package withings

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The raw types below mirror Withings' JSON field for field (the names are
// Withings'; see the OpenAPI document of the Public Health Data API). They
// are decoded straight from response bodies and never leave the package.

// envelope is every Withings response: HTTP 200 with a status (0 is
// success) and the payload in body. Errors carry a message in error and an
// empty body, which PHP serializes as {} or [].
type envelope[T any] struct {
	Status int    `json:"status"`
	Body   T      `json:"body"`
	Error  string `json:"error"`
}

// flexID is an id Withings sends as a number (grpid, workout and sleep id,
// userid) — and, in some responses and every form-encoded notification, as
// a string. It keeps the decimal text.
type flexID string

// UnmarshalJSON accepts a JSON number, a string or null.
func (id *flexID) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0:
		*id = flexID(b[1 : len(b)-1])
		return nil
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
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*id = flexID(b)
		return nil
	}
	return fmt.Errorf("withings: id %.40q is neither a string nor a number", b)
}

// flexBool is Withings' "more": 1/0 on /measure, true/false on /v2 routes.
type flexBool bool

// UnmarshalJSON accepts true, false, a number (non-zero is true), a string
// holding one of those, or null (false).
func (f *flexBool) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	switch s {
	case "true", "1":
		*f = true
	case "false", "0", "", "null":
		*f = false
	default:
		var n float64
		if err := json.Unmarshal([]byte(s), &n); err != nil {
			return fmt.Errorf("withings: more %.40q is not a boolean", b)
		}
		*f = n != 0
	}
	return nil
}

// phpMap is a JSON object keyed by strings (Withings' time series keyed by
// epoch seconds). PHP encodes an empty one as [], which it accepts too.
type phpMap[V any] map[string]V

// UnmarshalJSON decodes an object, or an empty array as an empty map.
func (m *phpMap[V]) UnmarshalJSON(b []byte) error {
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) > 0 && t[0] == '[' {
		var a []json.RawMessage
		if err := json.Unmarshal(t, &a); err != nil {
			return err
		}
		if len(a) > 0 {
			return fmt.Errorf("withings: a series is a non-empty array, want an object")
		}
		*m = nil
		return nil
	}
	return json.Unmarshal(b, (*map[string]V)(m))
}

// measurePage is the body of /measure action=getmeas.
type measurePage struct {
	Timezone    string            `json:"timezone"`
	MeasureGrps []rawMeasureGroup `json:"measuregrps"`
	More        flexBool          `json:"more"`
	Offset      int64             `json:"offset"`
}

// rawMeasureGroup is a measuregrp_object: the measures one device took at
// one instant (a weigh-in with its body composition, a blood-pressure
// reading with its pulse).
type rawMeasureGroup struct {
	GrpID    flexID       `json:"grpid"`
	Attrib   int          `json:"attrib"`
	Date     int64        `json:"date"`
	Created  int64        `json:"created"`
	Modified int64        `json:"modified"`
	Category int          `json:"category"`
	DeviceID *string      `json:"deviceid"`
	Model    *string      `json:"model"`
	ModelID  int          `json:"model_id"`
	Timezone string       `json:"timezone"` // not documented per group; used when present
	Measures []rawMeasure `json:"measures"`
}

// rawMeasure is a measure_object: value × 10^unit in the type's SI unit.
type rawMeasure struct {
	Value int64 `json:"value"`
	Type  int   `json:"type"`
	Unit  int   `json:"unit"`
}

// activityPage is the body of /v2/measure action=getactivity.
type activityPage struct {
	Activities []rawActivity `json:"activities"`
	More       flexBool      `json:"more"`
	Offset     int64         `json:"offset"`
}

// rawActivity is an activity_object: one local day's aggregates.
type rawActivity struct {
	Date          string   `json:"date"`
	Timezone      string   `json:"timezone"`
	DeviceID      *string  `json:"deviceid"`
	Brand         int      `json:"brand"`
	IsTracker     bool     `json:"is_tracker"`
	Modified      int64    `json:"modified"`
	Model         *string  `json:"model"`
	ModelID       int      `json:"modelid"`
	Steps         *float64 `json:"steps"`
	Distance      *float64 `json:"distance"`
	Elevation     *float64 `json:"elevation"`
	Soft          *float64 `json:"soft"`
	Moderate      *float64 `json:"moderate"`
	Intense       *float64 `json:"intense"`
	Active        *float64 `json:"active"`
	Calories      *float64 `json:"calories"`
	TotalCalories *float64 `json:"totalcalories"`
	HRAverage     *float64 `json:"hr_average"`
	HRMin         *float64 `json:"hr_min"`
	HRMax         *float64 `json:"hr_max"`
}

// intradayPage is the body of /v2/measure action=getintradayactivity.
type intradayPage struct {
	Series phpMap[rawIntraday] `json:"series"`
}

// rawIntraday is one high-frequency entry, keyed by its start in epoch
// seconds; duration is its length in seconds.
type rawIntraday struct {
	DeviceID            *string  `json:"deviceid"`
	Model               *string  `json:"model"`
	ModelID             int      `json:"model_id"`
	Steps               *float64 `json:"steps"`
	Elevation           *float64 `json:"elevation"`
	Calories            *float64 `json:"calories"`
	Distance            *float64 `json:"distance"`
	Stroke              *float64 `json:"stroke"`
	PoolLap             *float64 `json:"pool_lap"`
	Duration            *float64 `json:"duration"`
	HeartRate           *float64 `json:"heart_rate"`
	SpO2Auto            *float64 `json:"spo2_auto"`
	RMSSD               *float64 `json:"rmssd"`
	SDNN1               *float64 `json:"sdnn1"`
	RR                  *float64 `json:"rr"`
	CoreBodyTemperature *float64 `json:"core_body_temperature"`
}

// workoutPage is the body of /v2/measure action=getworkouts.
type workoutPage struct {
	Series []rawWorkout `json:"series"`
	More   flexBool     `json:"more"`
	Offset int64        `json:"offset"`
}

// rawWorkout is a workout_object.
type rawWorkout struct {
	ID        flexID         `json:"id"`
	Category  int            `json:"category"`
	Timezone  string         `json:"timezone"`
	Model     int            `json:"model"`
	Attrib    int            `json:"attrib"`
	StartDate int64          `json:"startdate"`
	EndDate   int64          `json:"enddate"`
	Date      string         `json:"date"`
	Modified  int64          `json:"modified"`
	DeviceID  *string        `json:"deviceid"`
	Data      rawWorkoutData `json:"data"`
}

// rawWorkoutData is a workout's data object (the requested data_fields).
type rawWorkoutData struct {
	Calories          *float64 `json:"calories"`
	ManualDistance    *float64 `json:"manual_distance"`
	ManualCalories    *float64 `json:"manual_calories"`
	HRAverage         *float64 `json:"hr_average"`
	HRMin             *float64 `json:"hr_min"`
	HRMax             *float64 `json:"hr_max"`
	HRZone0           *float64 `json:"hr_zone_0"`
	HRZone1           *float64 `json:"hr_zone_1"`
	HRZone2           *float64 `json:"hr_zone_2"`
	HRZone3           *float64 `json:"hr_zone_3"`
	PauseDuration     *float64 `json:"pause_duration"`
	AlgoPauseDuration *float64 `json:"algo_pause_duration"`
	Steps             *float64 `json:"steps"`
	Distance          *float64 `json:"distance"`
}

// sleepSummaryPage is the body of /v2/sleep action=getsummary.
type sleepSummaryPage struct {
	Series []rawSleepSummary `json:"series"`
	More   flexBool          `json:"more"`
	Offset int64             `json:"offset"`
}

// rawSleepSummary is a sleep_summary_object: one sleep session.
type rawSleepSummary struct {
	ID        flexID       `json:"id"`
	Timezone  string       `json:"timezone"`
	Model     int          `json:"model"` // 16 tracker, 32 sleep monitor
	ModelID   int          `json:"model_id"`
	StartDate int64        `json:"startdate"`
	EndDate   int64        `json:"enddate"`
	Date      string       `json:"date"`
	Created   int64        `json:"created"`
	Modified  int64        `json:"modified"`
	Data      rawSleepData `json:"data"`
}

// rawSleepData is a sleep summary's data object (the requested
// data_fields). Durations are seconds; sleep_efficiency is a ratio 0–1.
type rawSleepData struct {
	TotalTimeInBed     *float64 `json:"total_timeinbed"`
	TotalSleepTime     *float64 `json:"total_sleep_time"`
	AsleepDuration     *float64 `json:"asleepduration"`
	LightSleepDuration *float64 `json:"lightsleepduration"`
	RemSleepDuration   *float64 `json:"remsleepduration"`
	DeepSleepDuration  *float64 `json:"deepsleepduration"`
	WakeupDuration     *float64 `json:"wakeupduration"`
	SleepEfficiency    *float64 `json:"sleep_efficiency"`
	SleepLatency       *float64 `json:"sleep_latency"`
	HRAverage          *float64 `json:"hr_average"`
	HRMin              *float64 `json:"hr_min"`
	RRAverage          *float64 `json:"rr_average"`
	ApneaHypopneaIndex *float64 `json:"apnea_hypopnea_index"`
	Snoring            *float64 `json:"snoring"`
	SleepScore         *float64 `json:"sleep_score"`
}

// sleepSeriesPage is the body of /v2/sleep action=get: the stage series of
// a time range (at most 24 h), each state with its per-minute vitals.
type sleepSeriesPage struct {
	Model  int             `json:"model"`
	Series []rawSleepState `json:"series"`
}

// rawSleepState is one stretch of a sleep state.
type rawSleepState struct {
	StartDate int64            `json:"startdate"`
	EndDate   int64            `json:"enddate"`
	State     int              `json:"state"`
	Model     *string          `json:"model"`
	ModelID   int              `json:"model_id"`
	HR        phpMap[*float64] `json:"hr"`
	RR        phpMap[*float64] `json:"rr"`
	Snoring   phpMap[*float64] `json:"snoring"`
	SDNN1     phpMap[*float64] `json:"sdnn_1"`
	RMSSD     phpMap[*float64] `json:"rmssd"`
}

// notifyList is the body of /notify action=list.
type notifyList struct {
	Profiles []Subscription `json:"profiles"`
}

// nonceBody is the body of /v2/signature action=getnonce.
type nonceBody struct {
	Nonce string `json:"nonce"`
}
