package wearables

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Date is a calendar day without a zone: the local day a vendor attributes a
// summary or score to.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02". A malformed date matches ErrInvalid.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, &ValidationError{Index: -1, Field: "Date", Reason: fmt.Sprintf("malformed date %q, want YYYY-MM-DD", s)}
	}
	return DateOf(t), nil
}

// String formats d as "2006-01-02".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// In returns the instant local midnight starts d in loc. On days where
// midnight does not exist (a DST jump at 00:00) it is the first instant of the day.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n calendar days.
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// MarshalText encodes d as "2006-01-02", and the zero Date as "".
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes "2006-01-02"; "" decodes to the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d Date) valid() bool {
	return d.Year >= 1900 && d.Year <= 9999 && DateOf(d.In(time.UTC)) == d
}

// SummaryKind is the kind of a vendor's daily summary.
type SummaryKind string

// Summary kinds.
const (
	SummaryActivity SummaryKind = "activity"
	SummarySleep    SummaryKind = "sleep"
	SummaryBody     SummaryKind = "body"
)

// DailySummary is a vendor's own aggregate for one local day (its step count,
// its energy totals …), kept as the vendor computed it. Values are keyed by
// series type and are in the type's canonical unit. The natural key is
// (Source, Kind, Date).
type DailySummary struct {
	UserID  string                 `json:"user_id,omitempty"`
	Source  Source                 `json:"source"`
	Kind    SummaryKind            `json:"kind"`
	Date    Date                   `json:"date"`
	Offset  Offset                 `json:"offset"` // the offset of the day, if the vendor gave it
	Version int64                  `json:"version,omitempty"`
	Values  map[SeriesType]float64 `json:"values"`
}

func (s DailySummary) validate(i int) error {
	switch {
	case s.Kind == "":
		return invalid(KindDailySummary, i, "Kind", "kind is empty")
	case !s.Date.valid():
		return invalid(KindDailySummary, i, "Date", "invalid date %s", s.Date)
	case !s.Offset.Valid():
		return invalid(KindDailySummary, i, "Offset", "offset %d s is beyond ±18 h", int32(s.Offset))
	}
	for t, v := range s.Values {
		if !t.Valid() {
			return invalid(KindDailySummary, i, "Values", "unknown series type %d", uint16(t))
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return invalid(KindDailySummary, i, "Values["+t.Code()+"]", "value is %v", v)
		}
	}
	return s.Source.validate(KindDailySummary, i)
}

// ScoreKind is the kind of a vendor score.
type ScoreKind string

// Score kinds reported by vendors.
const (
	ScoreReadiness       ScoreKind = "readiness"        // Oura readiness, Garmin training readiness
	ScoreRecovery        ScoreKind = "recovery"         // WHOOP recovery, Ultrahuman recovery
	ScoreStrain          ScoreKind = "strain"           // WHOOP day strain (0–21)
	ScoreSleep           ScoreKind = "sleep"            // sleep scores
	ScoreActivity        ScoreKind = "activity"         // Oura activity score
	ScoreStress          ScoreKind = "stress"           // daily stress summaries
	ScoreBodyBattery     ScoreKind = "body_battery"     // Garmin daily body battery
	ScoreResilience      ScoreKind = "resilience"       // Oura resilience
	ScoreNightlyRecharge ScoreKind = "nightly_recharge" // Polar Nightly Recharge status
)

// Score is a vendor score, kept on the vendor's scale (Min..Max). The
// natural key is (Source, Kind, ProviderRecordID); vendors without a record
// id use the date (normalize builds deterministic ids).
type Score struct {
	UserID           string             `json:"user_id,omitempty"`
	Source           Source             `json:"source"`
	Kind             ScoreKind          `json:"kind"`
	ProviderRecordID string             `json:"provider_record_id"`
	Version          int64              `json:"version,omitempty"`
	Date             Date               `json:"date"`          // the local day the vendor attributes it to
	Time             time.Time          `json:"time,omitzero"` // UTC instant, when the vendor gives one
	Offset           Offset             `json:"offset"`
	Value            float64            `json:"value"`
	Min              float64            `json:"min"`                    // lower end of the vendor's scale
	Max              float64            `json:"max"`                    // upper end of the vendor's scale
	Contributors     map[string]float64 `json:"contributors,omitempty"` // vendor's named sub-scores
}

func (s Score) validate(i int) error {
	switch {
	case s.Kind == "":
		return invalid(KindScore, i, "Kind", "kind is empty")
	case s.ProviderRecordID == "":
		return invalid(KindScore, i, "ProviderRecordID", "provider record id is empty")
	case !s.Date.valid():
		return invalid(KindScore, i, "Date", "invalid date %s", s.Date)
	case math.IsNaN(s.Value) || math.IsInf(s.Value, 0):
		return invalid(KindScore, i, "Value", "value is %v", s.Value)
	case !(s.Min < s.Max):
		return invalid(KindScore, i, "Max", "scale %v..%v is empty", s.Min, s.Max)
	case s.Value < s.Min || s.Value > s.Max:
		return invalid(KindScore, i, "Value", "value %v is outside the scale %v..%v", s.Value, s.Min, s.Max)
	case !s.Offset.Valid():
		return invalid(KindScore, i, "Offset", "offset %d s is beyond ±18 h", int32(s.Offset))
	}
	for k, v := range s.Contributors {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return invalid(KindScore, i, "Contributors["+strconv.Quote(k)+"]", "value is %v", v)
		}
	}
	return s.Source.validate(KindScore, i)
}
