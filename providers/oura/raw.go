package oura

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Raw payload types, field for field as the Oura API v2 OpenAPI document
// declares them (PublicModifiedSleepModel, PublicDailyActivity …). Optional
// and nullable fields are pointers; fields this package does not map are
// left out and ignored by the decoder.

// page is a collection or time-series response: {"data": [...],
// "next_token": string|null}.
type page[T any] struct {
	Data      []T     `json:"data"`
	NextToken *string `json:"next_token"`
}

// docID is a document id. Oura sends strings; a number is accepted as its
// decimal text.
type docID string

// UnmarshalJSON accepts a JSON string or number.
func (id *docID) UnmarshalJSON(b []byte) error {
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		*id = docID(b[1 : n-1]) // the common case: no escapes to undo
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = docID(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		*id = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("oura: id %.40s is neither a string nor a number", b)
	}
	*id = docID(n.String())
	return nil
}

// rawMeta is the document metadata newer API versions add.
type rawMeta struct {
	UpdatedAt string `json:"updated_at"`
	Version   int64  `json:"version"`
}

// rawSample is a PublicSample: items every interval seconds from timestamp.
type rawSample struct {
	Interval  float64    `json:"interval"`
	Items     []*float64 `json:"items"`
	Timestamp string     `json:"timestamp"`
}

// rawSleep is a PublicModifiedSleepModel, one sleep period.
type rawSleep struct {
	ID                 docID      `json:"id"`
	Meta               *rawMeta   `json:"meta"`
	AverageBreath      *float64   `json:"average_breath"`
	AverageHeartRate   *float64   `json:"average_heart_rate"`
	AverageHRV         *float64   `json:"average_hrv"`
	AwakeTime          *int64     `json:"awake_time"`
	BedtimeEnd         string     `json:"bedtime_end"`
	BedtimeStart       string     `json:"bedtime_start"`
	Day                string     `json:"day"`
	DeepSleepDuration  *int64     `json:"deep_sleep_duration"`
	Efficiency         *float64   `json:"efficiency"`
	HeartRate          *rawSample `json:"heart_rate"`
	HRV                *rawSample `json:"hrv"`
	Latency            *int64     `json:"latency"`
	LightSleepDuration *int64     `json:"light_sleep_duration"`
	LowestHeartRate    *float64   `json:"lowest_heart_rate"`
	RemSleepDuration   *int64     `json:"rem_sleep_duration"`
	SleepPhase30Sec    *string    `json:"sleep_phase_30_sec"`
	SleepPhase5Min     *string    `json:"sleep_phase_5_min"`
	TimeInBed          int64      `json:"time_in_bed"`
	TotalSleepDuration *int64     `json:"total_sleep_duration"`
	Type               *string    `json:"type"`
}

// rawSleepContributors is PublicSleepContributors.
type rawSleepContributors struct {
	DeepSleep   *float64 `json:"deep_sleep"`
	Efficiency  *float64 `json:"efficiency"`
	Latency     *float64 `json:"latency"`
	RemSleep    *float64 `json:"rem_sleep"`
	Restfulness *float64 `json:"restfulness"`
	Timing      *float64 `json:"timing"`
	TotalSleep  *float64 `json:"total_sleep"`
}

// rawDailySleep is a PublicDailySleep.
type rawDailySleep struct {
	ID           docID                `json:"id"`
	Meta         *rawMeta             `json:"meta"`
	Contributors rawSleepContributors `json:"contributors"`
	Day          string               `json:"day"`
	Score        *float64             `json:"score"`
	Timestamp    string               `json:"timestamp"`
}

// rawReadinessContributors is PublicReadinessContributors.
type rawReadinessContributors struct {
	ActivityBalance     *float64 `json:"activity_balance"`
	BodyTemperature     *float64 `json:"body_temperature"`
	HRVBalance          *float64 `json:"hrv_balance"`
	PreviousDayActivity *float64 `json:"previous_day_activity"`
	PreviousNight       *float64 `json:"previous_night"`
	RecoveryIndex       *float64 `json:"recovery_index"`
	RestingHeartRate    *float64 `json:"resting_heart_rate"`
	SleepBalance        *float64 `json:"sleep_balance"`
	SleepRegularity     *float64 `json:"sleep_regularity"`
}

// rawDailyReadiness is a PublicDailyReadiness.
type rawDailyReadiness struct {
	ID                   docID                    `json:"id"`
	Meta                 *rawMeta                 `json:"meta"`
	Contributors         rawReadinessContributors `json:"contributors"`
	Day                  string                   `json:"day"`
	Score                *float64                 `json:"score"`
	TemperatureDeviation *float64                 `json:"temperature_deviation"`
	Timestamp            string                   `json:"timestamp"`
}

// rawActivityContributors is PublicActivityContributors.
type rawActivityContributors struct {
	MeetDailyTargets  *float64 `json:"meet_daily_targets"`
	MoveEveryHour     *float64 `json:"move_every_hour"`
	RecoveryTime      *float64 `json:"recovery_time"`
	StayActive        *float64 `json:"stay_active"`
	TrainingFrequency *float64 `json:"training_frequency"`
	TrainingVolume    *float64 `json:"training_volume"`
}

// rawDailyActivity is a PublicDailyActivity: a day from 4 a.m. local.
type rawDailyActivity struct {
	ID                 docID                   `json:"id"`
	Meta               *rawMeta                `json:"meta"`
	ActiveCalories     *float64                `json:"active_calories"`
	Contributors       rawActivityContributors `json:"contributors"`
	Day                string                  `json:"day"`
	HighActivityTime   *int64                  `json:"high_activity_time"`
	LowActivityTime    *int64                  `json:"low_activity_time"`
	MediumActivityTime *int64                  `json:"medium_activity_time"`
	Met                *rawSample              `json:"met"`
	Score              *float64                `json:"score"`
	SedentaryTime      *int64                  `json:"sedentary_time"`
	Steps              *float64                `json:"steps"`
	Timestamp          string                  `json:"timestamp"`
	TotalCalories      *float64                `json:"total_calories"`
}

// rawDailySpO2 is a PublicDailySpO2. It has a day but no timestamp.
type rawDailySpO2 struct {
	ID                        docID    `json:"id"`
	Meta                      *rawMeta `json:"meta"`
	BreathingDisturbanceIndex *float64 `json:"breathing_disturbance_index"`
	Day                       string   `json:"day"`
	SpO2Percentage            *struct {
		Average *float64 `json:"average"`
	} `json:"spo2_percentage"`
}

// rawDailyStress is a PublicDailyStress.
type rawDailyStress struct {
	ID           docID    `json:"id"`
	Meta         *rawMeta `json:"meta"`
	Day          string   `json:"day"`
	DaySummary   *string  `json:"day_summary"`
	RecoveryHigh *float64 `json:"recovery_high"`
	StressHigh   *float64 `json:"stress_high"`
}

// rawDailyResilience is a DailyResilienceModel.
type rawDailyResilience struct {
	ID           docID  `json:"id"`
	Day          string `json:"day"`
	Contributors struct {
		SleepRecovery   *float64 `json:"sleep_recovery"`
		DaytimeRecovery *float64 `json:"daytime_recovery"`
		Stress          *float64 `json:"stress"`
	} `json:"contributors"`
	Level string `json:"level"`
}

// rawHeartRate is a PublicHeartRateRow, stamped in UTC.
type rawHeartRate struct {
	BPM           float64 `json:"bpm"`
	Source        string  `json:"source"`
	Timestamp     string  `json:"timestamp"`
	TimestampUnix int64   `json:"timestamp_unix"`
}

// rawWorkout is a PublicWorkout.
type rawWorkout struct {
	ID            docID    `json:"id"`
	Meta          *rawMeta `json:"meta"`
	Activity      string   `json:"activity"`
	Calories      *float64 `json:"calories"`
	Day           string   `json:"day"`
	Distance      *float64 `json:"distance"`
	EndDatetime   string   `json:"end_datetime"`
	Intensity     string   `json:"intensity"`
	Label         *string  `json:"label"`
	Source        string   `json:"source"`
	StartDatetime string   `json:"start_datetime"`
}

// rawSession is a PublicSession (a "Moment" in the Oura app).
type rawSession struct {
	ID                   docID      `json:"id"`
	Meta                 *rawMeta   `json:"meta"`
	Day                  string     `json:"day"`
	EndDatetime          string     `json:"end_datetime"`
	HeartRate            *rawSample `json:"heart_rate"`
	HeartRateVariability *rawSample `json:"heart_rate_variability"`
	StartDatetime        string     `json:"start_datetime"`
	Type                 string     `json:"type"`
}

// rawVO2Max is a PublicVO2Max.
type rawVO2Max struct {
	ID        docID    `json:"id"`
	Meta      *rawMeta `json:"meta"`
	Day       string   `json:"day"`
	Timestamp string   `json:"timestamp"`
	VO2Max    *float64 `json:"vo2_max"`
}

// rawPersonalInfo is a PersonalInfoResponse.
type rawPersonalInfo struct {
	ID docID `json:"id"`
}

// rawNotification is a webhook event body.
type rawNotification struct {
	EventType string `json:"event_type"`
	DataType  string `json:"data_type"`
	ObjectID  docID  `json:"object_id"`
	EventTime string `json:"event_time"`
	UserID    docID  `json:"user_id"`
}
