package whoop

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Raw payload types, field for field as the WHOOP API v2 OpenAPI document
// declares them (Cycle, Recovery, Sleep, WorkoutV2 …). Optional fields are
// pointers, so an absent field and an explicit null both decode to nil;
// fields this package does not map are left out and ignored by the
// decoder. Numbers are decoded as float64 even where the document says
// integer, so a vendor that writes 300000.0 does not fail a whole page.

// page is a collection response: {"records": [...], "next_token": "…"}.
// The document says next_token is absent on the last page; null and ""
// are read the same way.
type page[T any] struct {
	Records   []T     `json:"records"`
	NextToken *string `json:"next_token"`
}

// next returns the page's next_token, "" on the last page.
func (p *page[T]) next() string {
	if p.NextToken == nil {
		return ""
	}
	return *p.NextToken
}

// flexID is a WHOOP identifier. v2 sends sleep and workout ids as UUID
// strings and cycle and user ids as int64 numbers; v1 sent every id as a
// number. Both decode to their text: "ecfc6a15-…" or "93845".
type flexID string

// UnmarshalJSON accepts a JSON string, a number or null. encoding/json
// hands it one syntactically valid value, so a string without escapes and
// a number are taken as they are.
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
	return fmt.Errorf("whoop: id %.40s is neither a string nor a number", b)
}

// Score states of cycles, recoveries, sleeps and workouts. Only a SCORED
// record carries its score object.
const (
	stateScored       = "SCORED"
	statePendingScore = "PENDING_SCORE"
	stateUnscorable   = "UNSCORABLE"
)

// rawCycle is a Cycle: one physiological day, from falling asleep to
// falling asleep again. End is absent while the user is in the cycle.
type rawCycle struct {
	ID             flexID         `json:"id"`
	UserID         flexID         `json:"user_id"`
	CreatedAt      string         `json:"created_at"`
	UpdatedAt      string         `json:"updated_at"`
	Start          string         `json:"start"`
	End            *string        `json:"end"`
	TimezoneOffset string         `json:"timezone_offset"`
	ScoreState     string         `json:"score_state"`
	Score          *rawCycleScore `json:"score"`
}

// rawCycleScore is a CycleScore.
type rawCycleScore struct {
	Strain           *float64 `json:"strain"`
	Kilojoule        *float64 `json:"kilojoule"`
	AverageHeartRate *float64 `json:"average_heart_rate"`
	MaxHeartRate     *float64 `json:"max_heart_rate"`
}

// rawRecovery is a Recovery. It has no id of its own: it belongs to one
// cycle (cycle_id) and comes from one sleep (sleep_id, a UUID in v2).
type rawRecovery struct {
	CycleID    flexID            `json:"cycle_id"`
	SleepID    flexID            `json:"sleep_id"`
	UserID     flexID            `json:"user_id"`
	CreatedAt  string            `json:"created_at"`
	UpdatedAt  string            `json:"updated_at"`
	ScoreState string            `json:"score_state"`
	Score      *rawRecoveryScore `json:"score"`
}

// rawRecoveryScore is a RecoveryScore. SpO2 and skin temperature are only
// present for WHOOP 4.0 members and later.
type rawRecoveryScore struct {
	UserCalibrating  *bool    `json:"user_calibrating"`
	RecoveryScore    *float64 `json:"recovery_score"`
	RestingHeartRate *float64 `json:"resting_heart_rate"`
	HRVRMSSDMilli    *float64 `json:"hrv_rmssd_milli"`
	SpO2Percentage   *float64 `json:"spo2_percentage"`
	SkinTempCelsius  *float64 `json:"skin_temp_celsius"`
}

// rawSleep is a Sleep (a night or a nap).
type rawSleep struct {
	ID             flexID         `json:"id"`
	CycleID        flexID         `json:"cycle_id"`
	V1ID           *int64         `json:"v1_id"` // the v1 integer id; gone after 2025-09-01
	UserID         flexID         `json:"user_id"`
	CreatedAt      string         `json:"created_at"`
	UpdatedAt      string         `json:"updated_at"`
	Start          string         `json:"start"`
	End            string         `json:"end"`
	TimezoneOffset string         `json:"timezone_offset"`
	Nap            bool           `json:"nap"`
	ScoreState     string         `json:"score_state"`
	Score          *rawSleepScore `json:"score"`
}

// rawSleepScore is a SleepScore.
type rawSleepScore struct {
	StageSummary               *rawStageSummary `json:"stage_summary"`
	SleepNeeded                *rawSleepNeeded  `json:"sleep_needed"`
	RespiratoryRate            *float64         `json:"respiratory_rate"`
	SleepPerformancePercentage *float64         `json:"sleep_performance_percentage"`
	SleepConsistencyPercentage *float64         `json:"sleep_consistency_percentage"`
	SleepEfficiencyPercentage  *float64         `json:"sleep_efficiency_percentage"`
}

// rawStageSummary is a SleepStageSummary: stage totals in milliseconds.
// WHOOP reports no hypnogram.
type rawStageSummary struct {
	TotalInBedTimeMilli         *float64 `json:"total_in_bed_time_milli"`
	TotalAwakeTimeMilli         *float64 `json:"total_awake_time_milli"`
	TotalNoDataTimeMilli        *float64 `json:"total_no_data_time_milli"`
	TotalLightSleepTimeMilli    *float64 `json:"total_light_sleep_time_milli"`
	TotalSlowWaveSleepTimeMilli *float64 `json:"total_slow_wave_sleep_time_milli"`
	TotalREMSleepTimeMilli      *float64 `json:"total_rem_sleep_time_milli"`
	SleepCycleCount             *float64 `json:"sleep_cycle_count"`
	DisturbanceCount            *float64 `json:"disturbance_count"`
}

// rawSleepNeeded is a SleepNeeded. It is decoded for completeness and not
// mapped: wearables.Sleep has no sleep-need fields.
type rawSleepNeeded struct {
	BaselineMilli             *float64 `json:"baseline_milli"`
	NeedFromSleepDebtMilli    *float64 `json:"need_from_sleep_debt_milli"`
	NeedFromRecentStrainMilli *float64 `json:"need_from_recent_strain_milli"`
	NeedFromRecentNapMilli    *float64 `json:"need_from_recent_nap_milli"`
}

// rawWorkout is a WorkoutV2.
type rawWorkout struct {
	ID             flexID           `json:"id"`
	V1ID           *int64           `json:"v1_id"` // the v1 integer id; gone after 2025-09-01
	UserID         flexID           `json:"user_id"`
	CreatedAt      string           `json:"created_at"`
	UpdatedAt      string           `json:"updated_at"`
	Start          string           `json:"start"`
	End            string           `json:"end"`
	TimezoneOffset string           `json:"timezone_offset"`
	SportName      string           `json:"sport_name"`
	SportID        *int64           `json:"sport_id"` // v1 sport id; gone after 2025-09-01
	ScoreState     string           `json:"score_state"`
	Score          *rawWorkoutScore `json:"score"`
}

// rawWorkoutScore is a WorkoutScore.
type rawWorkoutScore struct {
	Strain              *float64          `json:"strain"`
	AverageHeartRate    *float64          `json:"average_heart_rate"`
	MaxHeartRate        *float64          `json:"max_heart_rate"`
	Kilojoule           *float64          `json:"kilojoule"`
	PercentRecorded     *float64          `json:"percent_recorded"`
	DistanceMeter       *float64          `json:"distance_meter"`
	AltitudeGainMeter   *float64          `json:"altitude_gain_meter"`
	AltitudeChangeMeter *float64          `json:"altitude_change_meter"`
	ZoneDurations       *rawZoneDurations `json:"zone_durations"`
}

// rawZoneDurations is a ZoneDurations: time per heart-rate zone in
// milliseconds, zone 0 being "very light activity" below zone 1.
type rawZoneDurations struct {
	ZoneZeroMilli  *float64 `json:"zone_zero_milli"`
	ZoneOneMilli   *float64 `json:"zone_one_milli"`
	ZoneTwoMilli   *float64 `json:"zone_two_milli"`
	ZoneThreeMilli *float64 `json:"zone_three_milli"`
	ZoneFourMilli  *float64 `json:"zone_four_milli"`
	ZoneFiveMilli  *float64 `json:"zone_five_milli"`
}

// rawProfile is a UserBasicProfile.
type rawProfile struct {
	UserID flexID `json:"user_id"`
}

// rawWebhook is a webhook body: {"user_id": 10129, "id": "<uuid>" (v2) or
// 10235 (v1), "type": "workout.updated", "trace_id": "…"}.
type rawWebhook struct {
	UserID  flexID `json:"user_id"`
	ID      flexID `json:"id"`
	Type    string `json:"type"`
	TraceID string `json:"trace_id"`
}
