package ultrahuman

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// rawResponse is the daily metrics document of GET /user_data/metrics.
type rawResponse struct {
	Data   *rawData        `json:"data"`
	Error  json.RawMessage `json:"error"`
	Status *int            `json:"status"`
}

// rawData holds a day's metrics and the zone the user was last in.
type rawData struct {
	MetricData     []rawMetric `json:"metric_data"`
	LatestTimeZone string      `json:"latest_time_zone"`
}

// rawMetric is one metric of the day: its type ("hr", "Sleep" …) and
// its object, whose fields depend on the type.
type rawMetric struct {
	Type   string     `json:"type"`
	Object *rawObject `json:"object"`
}

// rawObject is the union of the metric objects' fields: time series
// (values), single values (value), and the Sleep object.
type rawObject struct {
	DayStartTimestamp *int64     `json:"day_start_timestamp"`
	Title             string     `json:"title"`
	Unit              string     `json:"unit"`
	Values            []rawValue `json:"values"`
	LastReading       *float64   `json:"last_reading"`
	Avg               *float64   `json:"avg"`
	Total             *float64   `json:"total"`
	Value             *float64   `json:"value"`

	// Sleep.
	BedtimeStart    *int64           `json:"bedtime_start"`
	BedtimeEnd      *int64           `json:"bedtime_end"`
	QuickMetrics    []rawQuickMetric `json:"quick_metrics"`
	SleepStages     []rawStageTotal  `json:"sleep_stages"`
	SleepGraph      *rawSleepGraph   `json:"sleep_graph"`
	SleepEfficiency *float64         `json:"sleep_efficiency"`
}

// rawValue is one point of a time series, at epoch seconds.
type rawValue struct {
	Value     *float64 `json:"value"`
	Timestamp *int64   `json:"timestamp"`
}

// rawQuickMetric is one of a Sleep object's headline figures
// (time_in_bed in seconds, sleep_efic in percent …).
type rawQuickMetric struct {
	Type  string   `json:"type"`
	Value *float64 `json:"value"`
}

// rawStageTotal is the time spent in one stage, in seconds.
type rawStageTotal struct {
	Type      string   `json:"type"`
	StageTime *float64 `json:"stage_time"`
}

// rawSleepGraph is the stage hypnogram: spans in epoch seconds.
type rawSleepGraph struct {
	Data []rawSpan `json:"data"`
}

type rawSpan struct {
	Start *int64 `json:"start"`
	End   *int64 `json:"end"`
	Type  string `json:"type"`
}

// rawUserInfo is the profile of GET /user_data/user_info, its fields at
// the top level or under "data".
type rawUserInfo struct {
	UserID flexID `json:"user_id"`
	ID     flexID `json:"id"`
	Data   *struct {
		UserID flexID `json:"user_id"`
		ID     flexID `json:"id"`
	} `json:"data"`
}

func (u rawUserInfo) id() string {
	for _, s := range []flexID{u.UserID, u.ID} {
		if s != "" {
			return string(s)
		}
	}
	if u.Data != nil {
		for _, s := range []flexID{u.Data.UserID, u.Data.ID} {
			if s != "" {
				return string(s)
			}
		}
	}
	return ""
}

// flexID is an id sent as a JSON string or number.
type flexID string

// UnmarshalJSON accepts a string, an integer or null.
func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*f = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if _, err := strconv.ParseInt(n.String(), 10, 64); err != nil {
		return err
	}
	*f = flexID(n.String())
	return nil
}
