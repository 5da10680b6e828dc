package strava

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// The raw payload types below are Strava's JSON as the API sends it, field
// names unchanged, decoded with encoding/json. Only the fields this package
// maps are declared; the rest of a payload is skipped.

// stravaID is a Strava id: activity, athlete, lap, upload and subscription
// ids are JSON integers (64-bit; activity ids passed 2^32 long ago), and a
// few are repeated as strings (upload_id_str). It accepts both forms and
// keeps the decimal text; null leaves it empty.
type stravaID string

// UnmarshalJSON implements json.Unmarshaler.
func (id *stravaID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = ""
		return nil
	}
	s := b
	if len(b) >= 2 && b[0] == '"' {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		s = []byte(str)
	}
	if !isDecimalID(s) {
		return fmt.Errorf("strava: id %.40q is not a decimal integer", b)
	}
	*id = stravaID(s)
	return nil
}

// isDecimalID reports whether s is a non-negative decimal integer of at
// most 19 digits without leading zeros (an int64).
func isDecimalID(s []byte) bool {
	if len(s) == 0 || len(s) > 19 || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// rawActivity is a SummaryActivity (GET /athlete/activities) or a
// DetailedActivity (GET /activities/{id}), which adds calories,
// device_name and laps among others.
type rawActivity struct {
	ID                 stravaID `json:"id"`
	Name               string   `json:"name"`
	Distance           *float64 `json:"distance"`     // m
	MovingTime         *float64 `json:"moving_time"`  // s
	ElapsedTime        *float64 `json:"elapsed_time"` // s
	TotalElevationGain *float64 `json:"total_elevation_gain"`
	ElevHigh           *float64 `json:"elev_high"` // present only when the recording has altitude
	Type               string   `json:"type"`      // deprecated ActivityType
	SportType          string   `json:"sport_type"`
	StartDate          string   `json:"start_date"`       // UTC, "Z"
	StartDateLocal     string   `json:"start_date_local"` // local wall time mislabelled "Z"
	UTCOffset          *float64 `json:"utc_offset"`       // s east of UTC at the start; sent as 3600.0 or -28800
	Trainer            bool     `json:"trainer"`
	Manual             bool     `json:"manual"`
	AverageSpeed       *float64 `json:"average_speed"` // m/s
	MaxSpeed           *float64 `json:"max_speed"`     // m/s
	AverageCadence     *float64 `json:"average_cadence"`
	AverageWatts       *float64 `json:"average_watts"` // estimated unless device_watts
	MaxWatts           *float64 `json:"max_watts"`
	Kilojoules         *float64 `json:"kilojoules"` // mechanical work, rides
	DeviceWatts        bool     `json:"device_watts"`
	HasHeartrate       bool     `json:"has_heartrate"`
	AverageHeartrate   *float64 `json:"average_heartrate"`
	MaxHeartrate       *float64 `json:"max_heartrate"`

	// DetailedActivity only.
	Calories   *float64 `json:"calories"` // kcal; 0 when Strava has no estimate
	DeviceName *string  `json:"device_name"`
	Laps       []rawLap `json:"laps"`
}

// rawLap is one entry of a DetailedActivity's laps.
type rawLap struct {
	ID               stravaID `json:"id"`
	ElapsedTime      *float64 `json:"elapsed_time"` // s
	StartDate        string   `json:"start_date"`
	Distance         *float64 `json:"distance"`
	AverageSpeed     *float64 `json:"average_speed"`
	AverageHeartrate *float64 `json:"average_heartrate"`
	AverageWatts     *float64 `json:"average_watts"`
	DeviceWatts      bool     `json:"device_watts"`
	LapIndex         int      `json:"lap_index"`
}

// rawStreamSet is GET /activities/{id}/streams. With key_by_type=true
// Strava answers an object keyed by stream type; without it, an array of
// streams each carrying its "type". Both decode here. Streams not declared
// (distance, moving, grade_smooth) are skipped.
type rawStreamSet struct {
	Time           *rawStream       `json:"time"` // s since start_date
	Heartrate      *rawStream       `json:"heartrate"`
	Watts          *rawStream       `json:"watts"`
	Cadence        *rawStream       `json:"cadence"`
	Altitude       *rawStream       `json:"altitude"`
	VelocitySmooth *rawStream       `json:"velocity_smooth"`
	Temp           *rawStream       `json:"temp"`
	LatLng         *rawLatLngStream `json:"latlng"`
}

// UnmarshalJSON implements json.Unmarshaler for both shapes of a stream set.
func (s *rawStreamSet) UnmarshalJSON(b []byte) error {
	type object rawStreamSet // without this method
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '[' {
		return json.Unmarshal(b, (*object)(s))
	}
	var list []struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*s = rawStreamSet{}
	for _, st := range list {
		var dst any
		switch st.Type {
		case "time":
			s.Time = &rawStream{}
			dst = &s.Time.Data
		case "heartrate":
			s.Heartrate = &rawStream{}
			dst = &s.Heartrate.Data
		case "watts":
			s.Watts = &rawStream{}
			dst = &s.Watts.Data
		case "cadence":
			s.Cadence = &rawStream{}
			dst = &s.Cadence.Data
		case "altitude":
			s.Altitude = &rawStream{}
			dst = &s.Altitude.Data
		case "velocity_smooth":
			s.VelocitySmooth = &rawStream{}
			dst = &s.VelocitySmooth.Data
		case "temp":
			s.Temp = &rawStream{}
			dst = &s.Temp.Data
		case "latlng":
			s.LatLng = &rawLatLngStream{}
			dst = &s.LatLng.Data
		default:
			continue
		}
		if len(st.Data) == 0 {
			continue
		}
		if err := json.Unmarshal(st.Data, dst); err != nil {
			return err
		}
	}
	return nil
}

// rawStream is one numeric stream.
type rawStream struct {
	Data         floats `json:"data"`
	SeriesType   string `json:"series_type"`
	OriginalSize int    `json:"original_size"`
	Resolution   string `json:"resolution"`
}

// rawLatLngStream is the latlng stream: [lat, lng] pairs in degrees.
type rawLatLngStream struct {
	Data         latLngs `json:"data"`
	SeriesType   string  `json:"series_type"`
	OriginalSize int     `json:"original_size"`
	Resolution   string  `json:"resolution"`
}

// floats is a JSON array of numbers in which null marks a missing reading
// (a power meter that dropped out); null decodes to NaN. encoding/json would
// turn null into 0 in a []float64 — a real 0 W — and into one allocation per
// element in a []*float64, so the array is parsed here.
type floats []float64

var errNotNumbers = errors.New("strava: stream data is not an array of numbers")

// UnmarshalJSON implements json.Unmarshaler. encoding/json has checked
// that b is well-formed JSON before calling it.
func (f *floats) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = nil
		return nil
	}
	out := (*f)[:0]
	err := scanArray(b, func(elem []byte) error {
		v, err := parseNumber(elem)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return err
	}
	*f = out
	return nil
}

// latLngs is a JSON array of [lat, lng] pairs; a null pair (or a null
// coordinate) decodes to NaN.
type latLngs [][2]float64

// UnmarshalJSON implements json.Unmarshaler.
func (l *latLngs) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*l = nil
		return nil
	}
	out := (*l)[:0]
	err := scanArray(b, func(elem []byte) error {
		if string(elem) == "null" {
			out = append(out, [2]float64{math.NaN(), math.NaN()})
			return nil
		}
		var pair [2]float64
		n := 0
		err := scanArray(elem, func(c []byte) error {
			if n >= 2 {
				return errNotNumbers
			}
			v, err := parseNumber(c)
			pair[n] = v
			n++
			return err
		})
		if err != nil || n != 2 {
			return errNotNumbers
		}
		out = append(out, pair)
		return nil
	})
	if err != nil {
		return err
	}
	*l = out
	return nil
}

// parseNumber parses a JSON number, or null as NaN.
func parseNumber(b []byte) (float64, error) {
	if string(b) == "null" {
		return math.NaN(), nil
	}
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return 0, errNotNumbers
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, errNotNumbers
	}
	return v, nil
}

// scanArray calls each with every element of the JSON array b, which
// must be well-formed JSON (encoding/json validates a document before it
// calls an Unmarshaler). Elements may be nested arrays of scalars; strings
// and objects are refused.
func scanArray(b []byte, each func([]byte) error) error {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return errNotNumbers
	}
	b = b[1 : len(b)-1]
	for i := 0; i < len(b); {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i == len(b) {
			break
		}
		start, depth := i, 0
		for ; i < len(b); i++ {
			c := b[i]
			if c == '"' || c == '{' {
				return errNotNumbers
			}
			if c == '[' {
				depth++
			} else if c == ']' {
				depth--
			} else if c == ',' && depth == 0 {
				break
			}
		}
		if err := each(bytes.TrimRight(b[start:i], " \t\r\n")); err != nil {
			return err
		}
		i++ // skip the comma
	}
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// rawEvent is a webhook event.
type rawEvent struct {
	ObjectType     string         `json:"object_type"` // "activity" or "athlete"
	ObjectID       stravaID       `json:"object_id"`
	AspectType     string         `json:"aspect_type"` // "create", "update" or "delete"
	Updates        map[string]any `json:"updates"`     // {"title": "…"}, {"type": "Ride"}, {"private": "true"}, {"authorized": "false"}
	OwnerID        stravaID       `json:"owner_id"`
	SubscriptionID stravaID       `json:"subscription_id"`
	EventTime      int64          `json:"event_time"` // Unix s; when the event happened, not the activity
}

// rawAthlete is the part of a SummaryAthlete or DetailedAthlete read here.
type rawAthlete struct {
	ID stravaID `json:"id"`
}
