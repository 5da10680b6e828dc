package coros

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// rawEnvelope is every COROS answer: result "0000" is success.
type rawEnvelope struct {
	Result  string       `json:"result"`
	Message string       `json:"message"`
	Data    []rawWorkout `json:"data"`
}

// rawWorkout is one workout of /v2/coros/sport/list, and of a webhook's
// sportDataList (with openId).
type rawWorkout struct {
	LabelID           flexID             `json:"labelId"`
	OpenID            flexID             `json:"openId"`
	Mode              *int64             `json:"mode"`
	SubMode           *int64             `json:"subMode"`
	StartTime         *int64             `json:"startTime"`
	EndTime           *int64             `json:"endTime"`
	StartTimezone     *int64             `json:"startTimezone"`
	EndTimezone       *int64             `json:"endTimezone"`
	Distance          *float64           `json:"distance"`
	Duration          *float64           `json:"duration"`
	TotalTime         *float64           `json:"totalTime"`
	Calories          *float64           `json:"calories"`
	AvgHR             *float64           `json:"avgHr"`
	MaxHR             *float64           `json:"maxHr"`
	Steps             *float64           `json:"step"`
	DeviceName        string             `json:"deviceName"`
	FitURL            string             `json:"fitUrl"`
	TriathlonItemList []rawTriathlonItem `json:"triathlonItemList"`
}

// rawTriathlonItem is one leg of a triathlon or multisport workout.
type rawTriathlonItem struct {
	Mode     *int64   `json:"mode"`
	SubMode  *int64   `json:"subMode"`
	Distance *float64 `json:"distance"`
	Duration *float64 `json:"duration"`
	FitURL   string   `json:"fitUrl"`
}

// rawWebhook is a workout push: the new workouts of one or more users.
type rawWebhook struct {
	SportDataList []rawWorkout `json:"sportDataList"`
}

// flexID is an id sent as a JSON string or integer.
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
