package googlehealth

import (
	"bytes"
	"errors"
	"strconv"
)

// The raw types mirror the Google Health API v4 JSON (discovery document
// revision 20260527). Google encodes int64 fields as JSON strings
// ("count": "1234", the proto3 JSON mapping), doubles as numbers, instants
// as RFC 3339 UTC strings and offsets and durations as "-18000s". Fields
// this package does not read (civil times, metadata it has no place for)
// are left out; encoding/json skips them.

// rawListPage is a dataPoints list response (ListDataPointsResponse).
type rawListPage struct {
	DataPoints    []rawDataPoint `json:"dataPoints"`
	NextPageToken string         `json:"nextPageToken"`
}

// rawDataPoint is one DataPoint: its name (set for identifiable types such
// as sleep and exercise), its source, and one member of the data union.
type rawDataPoint struct {
	Name                 string         `json:"name"`
	DataSource           *rawDataSource `json:"dataSource"`
	Steps                *rawSteps      `json:"steps"`
	Distance             *rawDistance   `json:"distance"`
	HeartRate            *rawHeartRate  `json:"heartRate"`
	HeartRateVariability *rawHRV        `json:"heartRateVariability"`
	OxygenSaturation     *rawSpO2       `json:"oxygenSaturation"`
	Weight               *rawWeight     `json:"weight"`
	Sleep                *rawSleep      `json:"sleep"`
	Exercise             *rawExercise   `json:"exercise"`
}

// rawDataSource is DataSource: where the point came from.
type rawDataSource struct {
	RecordingMethod string          `json:"recordingMethod"`
	Platform        string          `json:"platform"`
	Device          *rawDevice      `json:"device"`
	Application     *rawApplication `json:"application"`
}

type rawDevice struct {
	DisplayName  string `json:"displayName"`
	FormFactor   string `json:"formFactor"`
	Manufacturer string `json:"manufacturer"`
}

type rawApplication struct {
	PackageName string `json:"packageName"`
}

// rawInterval is ObservationTimeInterval and SessionTimeInterval: physical
// start and end with the UTC offsets at each.
type rawInterval struct {
	StartTime      string `json:"startTime"`
	StartUTCOffset string `json:"startUtcOffset"`
	EndTime        string `json:"endTime"`
	EndUTCOffset   string `json:"endUtcOffset"`
}

// rawSampleTime is ObservationSampleTime.
type rawSampleTime struct {
	PhysicalTime string `json:"physicalTime"`
	UTCOffset    string `json:"utcOffset"`
}

type rawSteps struct {
	Count    flexInt     `json:"count"`
	Interval rawInterval `json:"interval"`
}

type rawDistance struct {
	Millimeters flexInt     `json:"millimeters"`
	Interval    rawInterval `json:"interval"`
}

type rawHeartRate struct {
	BeatsPerMinute flexInt       `json:"beatsPerMinute"`
	SampleTime     rawSampleTime `json:"sampleTime"`
}

type rawHRV struct {
	RMSSD      *float64      `json:"rootMeanSquareOfSuccessiveDifferencesMilliseconds"`
	SDNN       *float64      `json:"standardDeviationMilliseconds"`
	SampleTime rawSampleTime `json:"sampleTime"`
}

type rawSpO2 struct {
	Percentage *float64      `json:"percentage"`
	SampleTime rawSampleTime `json:"sampleTime"`
}

type rawWeight struct {
	WeightGrams *float64      `json:"weightGrams"`
	SampleTime  rawSampleTime `json:"sampleTime"`
}

// rawSleep is Sleep: a session with stage segments and Google's summary.
type rawSleep struct {
	Interval   rawInterval       `json:"interval"`
	Type       string            `json:"type"` // CLASSIC or STAGES
	Stages     []rawSleepStage   `json:"stages"`
	Metadata   *rawSleepMetadata `json:"metadata"`
	Summary    *rawSleepSummary  `json:"summary"`
	UpdateTime string            `json:"updateTime"`
}

type rawSleepStage struct {
	Type      string `json:"type"`
	StartTime string `json:"startTime"`
	EndTime   string `json:"endTime"`
}

type rawSleepMetadata struct {
	Nap          *bool  `json:"nap"`
	StagesStatus string `json:"stagesStatus"`
}

type rawSleepSummary struct {
	MinutesToFallAsleep *flexInt          `json:"minutesToFallAsleep"`
	StagesSummary       []rawStageSummary `json:"stagesSummary"`
}

type rawStageSummary struct {
	Type    string  `json:"type"`
	Minutes flexInt `json:"minutes"`
}

// rawExercise is Exercise: one workout session.
type rawExercise struct {
	DisplayName    string             `json:"displayName"`
	ExerciseType   string             `json:"exerciseType"`
	Interval       rawInterval        `json:"interval"`
	ActiveDuration string             `json:"activeDuration"`
	MetricsSummary *rawMetricsSummary `json:"metricsSummary"`
	SplitSummaries []rawSplit         `json:"splitSummaries"`
	UpdateTime     string             `json:"updateTime"`
}

// rawMetricsSummary is MetricsSummary (of an exercise or of a split).
type rawMetricsSummary struct {
	AverageHeartRate         *flexInt      `json:"averageHeartRateBeatsPerMinute"`
	AverageSpeedMMPerSecond  *float64      `json:"averageSpeedMillimetersPerSecond"`
	CaloriesKcal             *float64      `json:"caloriesKcal"`
	DistanceMillimeters      *float64      `json:"distanceMillimeters"`
	ElevationGainMillimeters *float64      `json:"elevationGainMillimeters"`
	Steps                    *flexInt      `json:"steps"`
	HeartRateZoneDurations   *rawZoneTimes `json:"heartRateZoneDurations"`
	MobilityMetrics          *rawMobility  `json:"mobilityMetrics"`
}

type rawZoneTimes struct {
	LightTime    string `json:"lightTime"`
	ModerateTime string `json:"moderateTime"`
	VigorousTime string `json:"vigorousTime"`
	PeakTime     string `json:"peakTime"`
}

type rawMobility struct {
	AvgCadenceStepsPerMinute *float64 `json:"avgCadenceStepsPerMinute"`
}

type rawSplit struct {
	StartTime      string             `json:"startTime"`
	EndTime        string             `json:"endTime"`
	MetricsSummary *rawMetricsSummary `json:"metricsSummary"`
}

// rawRollupPage is a dailyRollUp response (DailyRollUpDataPointsResponse).
// It has no page token: one request covers at most 90 days.
type rawRollupPage struct {
	RollupDataPoints []rawRollupPoint `json:"rollupDataPoints"`
}

// rawRollupPoint is one DailyRollupDataPoint, with the member of the
// value union this package requests.
type rawRollupPoint struct {
	CivilStartTime *rawCivilDateTime `json:"civilStartTime"`
	Steps          *struct {
		CountSum *flexInt `json:"countSum"`
	} `json:"steps"`
	Distance *struct {
		MillimetersSum *flexInt `json:"millimetersSum"`
	} `json:"distance"`
	TotalCalories *struct {
		KcalSum *float64 `json:"kcalSum"`
	} `json:"totalCalories"`
}

type rawCivilDateTime struct {
	Date rawDate `json:"date"`
}

type rawDate struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

// rawIdentity is the users/me/identity resource.
type rawIdentity struct {
	Name         string `json:"name"`
	HealthUserID string `json:"healthUserId"`
	LegacyUserID string `json:"legacyUserId"`
}

// flexInt is an int64 Google sends as a JSON string ("1234", the proto3
// mapping); a bare number is accepted too. null leaves it zero.
type flexInt int64

var errFlexInt = errors.New("not an integer")

// UnmarshalJSON implements json.Unmarshaler.
func (n *flexInt) UnmarshalJSON(b []byte) error {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	} else if bytes.Equal(b, []byte("null")) {
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return errFlexInt
	}
	*n = flexInt(v)
	return nil
}
