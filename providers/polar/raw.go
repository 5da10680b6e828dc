package polar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The AccessLink v3 wire format, named exactly as Polar names it. Polar
// mixes snake_case (the non-transactional resources) with the hyphenated
// names of its older schemas, which the newer resources still embed
// (samples' "recording-rate", zones' "lower-limit", "running-index").
// Numbers Polar documents as integers are decoded as float64 so that a
// "1600.0" where "1600" was promised is not a decoding error.

// flexID is an id Polar sends as a string ("2AC312F", hashed exercise ids)
// or as a number (475, user ids; 1937529874, exercise ids of the
// transactional API). null decodes to "".
type flexID string

// UnmarshalJSON accepts a JSON string, number or null.
func (id *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return fmt.Errorf("polar: empty id")
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = flexID(s)
		return nil
	case string(b) == "null":
		*id = ""
		return nil
	}
	// A number: keep its digits as written (no float rounding of large ids).
	if _, err := strconv.ParseFloat(string(b), 64); err != nil {
		return fmt.Errorf("polar: id %.40q is neither a string nor a number", b)
	}
	*id = flexID(b)
	return nil
}

// exercise is an exerciseHashId: GET /v3/exercises (a JSON array of them)
// and GET /v3/exercises/{id}.
type exercise struct {
	ID                 flexID       `json:"id"`
	UploadTime         string       `json:"upload_time"`
	PolarUser          string       `json:"polar_user"`
	Device             string       `json:"device"`
	DeviceID           string       `json:"device_id"`
	StartTime          string       `json:"start_time"`            // local wall time, no offset
	StartTimeUTCOffset *int64       `json:"start_time_utc_offset"` // minutes east of UTC
	Duration           string       `json:"duration"`              // ISO 8601
	Calories           *float64     `json:"calories"`              // kcal
	Distance           *float64     `json:"distance"`              // m
	HeartRate          *heartRate   `json:"heart_rate"`
	TrainingLoad       *float64     `json:"training_load"`
	Sport              string       `json:"sport"`
	HasRoute           bool         `json:"has_route"`
	DetailedSportInfo  string       `json:"detailed_sport_info"`
	HeartRateZones     []zone       `json:"heart_rate_zones"`
	Samples            []sample     `json:"samples"`
	Route              []routePoint `json:"route"`
}

type heartRate struct {
	Average *float64 `json:"average"`
	Maximum *float64 `json:"maximum"`
}

type zone struct {
	Index      int      `json:"index"`
	LowerLimit *float64 `json:"lower-limit"`
	UpperLimit *float64 `json:"upper-limit"`
	InZone     string   `json:"in-zone"` // ISO 8601
}

// sample is one stream of an exercise: values every recording-rate
// seconds (null for RR intervals, whose values are the intervals), as a
// comma-separated string in which "null" marks a sensor that was offline.
type sample struct {
	RecordingRate *int64       `json:"recording-rate"`
	SampleType    string       `json:"sample-type"`
	Data          streamValues `json:"data"`
}

// streamValues is a sample's "data": Polar sends a stream's numbers as one
// comma-separated JSON string ("120,121,null,122"), and this type decodes
// what that string means, the numbers, as encoding/json would decode a JSON
// array of them. A stream that does not parse is not a decoding error: the
// error is kept in the value, so that only that stream is rejected and the
// rest of the exercise and the page decode.
type streamValues struct {
	// vals are the values in order, NaN where Polar wrote null or nothing
	// (strconv never yields NaN for a value that is accepted).
	vals []float64
	// err is the first problem of the string (a value that is not a finite
	// number, more than maxStreamValues values); vals holds the values
	// before it.
	err error
}

// maxStreamValues bounds one stream: a week at one value per second.
const maxStreamValues = 7 * 24 * 3600

// UnmarshalJSON accepts a JSON string of comma-separated values, or null
// (no values). Another JSON type is an error, as it was for a string field.
func (sv *streamValues) UnmarshalJSON(b []byte) error {
	*sv = streamValues{}
	switch {
	case string(b) == "null":
		return nil
	case len(b) < 2 || b[0] != '"':
		var s string
		return json.Unmarshal(b, &s) // the decoder's *json.UnmarshalTypeError
	}
	content := b[1 : len(b)-1]
	if bytes.IndexByte(content, '\\') >= 0 || !utf8.Valid(content) {
		// Escapes, or bytes the decoder would replace: let it unquote.
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*sv = parseStream(s)
		return nil
	}
	*sv = parseStream(string(content))
	return nil
}

// parseStream parses a comma-separated sample string. Each value is
// trimmed; "null" or an empty field is a missing value (NaN). Parsing
// stops at the first value that is not a finite number and at value
// maxStreamValues+1, recording why.
func parseStream(data string) streamValues {
	var sv streamValues
	if strings.TrimSpace(data) == "" {
		return sv
	}
	sv.vals = make([]float64, 0, min(strings.Count(data, ",")+1, maxStreamValues))
	for n := 1; ; n++ {
		if n > maxStreamValues {
			sv.err = fmt.Errorf("more than %d values", maxStreamValues)
			return sv
		}
		tok, rest, more := strings.Cut(data, ",")
		tok = strings.TrimSpace(tok)
		if tok == "" || tok == "null" {
			sv.vals = append(sv.vals, math.NaN())
		} else if v, err := strconv.ParseFloat(tok, 64); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			sv.err = fmt.Errorf("value %d %.20q is not a number", n, tok)
			return sv
		} else {
			sv.vals = append(sv.vals, v)
		}
		if !more {
			return sv
		}
		data = rest
	}
}

type routePoint struct {
	Latitude   *float64 `json:"latitude"`
	Longitude  *float64 `json:"longitude"`
	Time       string   `json:"time"` // ISO 8601 duration since the start
	Satellites *int64   `json:"satellites"`
	Fix        *int64   `json:"fix"`
}

// nights is GET /v3/users/sleep.
type nights struct {
	Nights []night `json:"nights"`
}

// night is one sleep (GET /v3/users/sleep/{date}).
type night struct {
	PolarUser                 string         `json:"polar_user"`
	Date                      string         `json:"date"`             // the local day the night ends on
	SleepStartTime            string         `json:"sleep_start_time"` // RFC 3339 with offset
	SleepEndTime              string         `json:"sleep_end_time"`
	DeviceID                  string         `json:"device_id"`
	Continuity                *float64       `json:"continuity"`
	ContinuityClass           *float64       `json:"continuity_class"`
	LightSleep                *float64       `json:"light_sleep"` // s
	DeepSleep                 *float64       `json:"deep_sleep"`
	RemSleep                  *float64       `json:"rem_sleep"`
	UnrecognizedSleepStage    *float64       `json:"unrecognized_sleep_stage"`
	SleepScore                *float64       `json:"sleep_score"`
	TotalInterruptionDuration *float64       `json:"total_interruption_duration"`
	SleepCharge               *float64       `json:"sleep_charge"`
	SleepGoal                 *float64       `json:"sleep_goal"`
	SleepRating               *float64       `json:"sleep_rating"`
	ShortInterruptionDuration *float64       `json:"short_interruption_duration"`
	LongInterruptionDuration  *float64       `json:"long_interruption_duration"`
	SleepCycles               *float64       `json:"sleep_cycles"`
	GroupDurationScore        *float64       `json:"group_duration_score"`
	GroupSolidityScore        *float64       `json:"group_solidity_score"`
	GroupRegenerationScore    *float64       `json:"group_regeneration_score"`
	Hypnogram                 map[string]int `json:"hypnogram"`          // "HH:mm" → stage code
	HeartRateSamples          map[string]int `json:"heart_rate_samples"` // "HH:mm" → bpm
}

// recharges is GET /v3/users/nightly-recharge.
type recharges struct {
	Recharges []recharge `json:"recharges"`
}

type recharge struct {
	PolarUser               string             `json:"polar_user"`
	Date                    string             `json:"date"`
	HeartRateAvg            *float64           `json:"heart_rate_avg"`
	BeatToBeatAvg           *float64           `json:"beat_to_beat_avg"`
	HeartRateVariabilityAvg *float64           `json:"heart_rate_variability_avg"`
	BreathingRateAvg        *float64           `json:"breathing_rate_avg"`
	NightlyRechargeStatus   *float64           `json:"nightly_recharge_status"`
	ANSCharge               *float64           `json:"ans_charge"`
	ANSChargeStatus         *float64           `json:"ans_charge_status"`
	HRVSamples              map[string]float64 `json:"hrv_samples"`       // "HH:mm" → ms
	BreathingSamples        map[string]float64 `json:"breathing_samples"` // "HH:mm" → breaths/min
}

// heartRates is GET /v3/users/continuous-heart-rate?from&to. The OpenAPI
// document gives the range route the single-day schema; Polar answers
// {"heart_rates": [day, …]}. Both decode here: a single day lands in the
// embedded fields.
type heartRates struct {
	HeartRates []heartRateDay `json:"heart_rates"`
	heartRateDay
}

type heartRateDay struct {
	PolarUser        string            `json:"polar_user"`
	Date             string            `json:"date"`
	HeartRateSamples []heartRateSample `json:"heart_rate_samples"`
}

type heartRateSample struct {
	HeartRate  *float64 `json:"heart_rate"`
	SampleTime string   `json:"sample_time"` // "HH:mm:ss", device local time
}

// activity is one activity-summary-with-all-samples of GET
// /v3/users/activities (a JSON array of them).
type activity struct {
	StartTime            string          `json:"start_time"` // local wall time
	EndTime              string          `json:"end_time"`
	ActiveDuration       string          `json:"active_duration"`   // ISO 8601
	InactiveDuration     string          `json:"inactive_duration"` // ISO 8601
	DailyActivity        *float64        `json:"daily_activity"`    // % of the activity goal
	Calories             *float64        `json:"calories"`          // kcal, BMR included
	ActiveCalories       *float64        `json:"active_calories"`
	Steps                *float64        `json:"steps"`
	InactivityAlertCount *float64        `json:"inactivity_alert_count"`
	DistanceFromSteps    *float64        `json:"distance_from_steps"` // m
	Samples              *activitySample `json:"samples"`
}

type activitySample struct {
	Date          string         `json:"date"`
	Steps         *activitySteps `json:"steps"`
	ActivityZones *activityZones `json:"activity_zones"`
}

type activitySteps struct {
	IntervalMS *int64       `json:"interval_ms"`
	TotalSteps *float64     `json:"total_steps"`
	Samples    []stepSample `json:"samples"`
}

type stepSample struct {
	Steps     *float64 `json:"steps"`
	Timestamp string   `json:"timestamp"` // "2025-08-14T00:02", local wall time
}

type activityZones struct {
	Samples []zoneSample `json:"samples"`
}

type zoneSample struct {
	Zone      string `json:"zone"` // SEDENTARY, LIGHT, SLEEP, MODERATE, VIGOROUS
	Timestamp string `json:"timestamp"`
}

// physicalInfo is GET /v3/users/physical-info.
type physicalInfo struct {
	Weight             *float64 `json:"weight"` // kg
	Height             *float64 `json:"height"` // cm
	Created            string   `json:"created"`
	Modified           string   `json:"modified"`
	Birthday           string   `json:"birthday"`
	Gender             string   `json:"gender"`
	MaximumHeartRate   *float64 `json:"maximum_heart_rate"`
	RestingHeartRate   *float64 `json:"resting_heart_rate"`
	AerobicThreshold   *float64 `json:"aerobic_threshold"`
	AnaerobicThreshold *float64 `json:"anaerobic_threshold"`
	VO2Max             *float64 `json:"vo2_max"`
	WeightSource       string   `json:"weight_source"`
	SleepGoal          string   `json:"sleep_goal"`
}

// user is the user resource: POST /v3/users answers with it.
type user struct {
	PolarUserID      flexID `json:"polar-user-id"`
	MemberID         string `json:"member-id"`
	RegistrationDate string `json:"registration-date"`
}

// webhookNotification is the body Polar posts to the webhook URL.
type webhookNotification struct {
	Event     string `json:"event"`
	UserID    flexID `json:"user_id"`
	EntityID  flexID `json:"entity_id"`
	Date      string `json:"date"`
	From      string `json:"from"`
	To        string `json:"to"`
	Timestamp string `json:"timestamp"`
	URL       string `json:"url"`
}

// createdWebhook is the answer of POST /v3/webhooks.
type createdWebhook struct {
	Data webhookData `json:"data"`
}

// webhookInfo is the answer of GET /v3/webhooks and PATCH /v3/webhooks/{id}.
// The OpenAPI document gives GET a list and PATCH the same list; a single
// object is accepted too.
type webhookInfo struct {
	Data webhookDataList `json:"data"`
}

type webhookData struct {
	ID                 flexID   `json:"id"`
	Events             []string `json:"events"`
	URL                string   `json:"url"`
	Active             *bool    `json:"active"`
	SignatureSecretKey string   `json:"signature_secret_key"`
}

// webhookDataList decodes a JSON array of webhooks or a single one.
type webhookDataList []webhookData

// UnmarshalJSON accepts an array, an object or null.
func (l *webhookDataList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*l = nil
		return nil
	case b[0] == '{':
		var one webhookData
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = webhookDataList{one}
		return nil
	}
	var many []webhookData
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}
