package wearables

import (
	"math"
	"time"
)

// Sample is one value of a time series. An instant sample has a zero End; an
// interval sample (steps between 10:00 and 10:01) has End after Start. Value
// is in the canonical unit of Type. The natural key is (Source, Type, Start):
// writing a sample with the same key replaces the stored one.
type Sample struct {
	UserID string     `json:"user_id,omitempty"`
	Source Source     `json:"source"`
	Type   SeriesType `json:"type"`
	Start  time.Time  `json:"start"`        // UTC instant
	End    time.Time  `json:"end,omitzero"` // UTC instant; zero for an instant sample
	Offset Offset     `json:"offset"`       // original UTC offset, or NoOffset
	Value  float64    `json:"value"`
}

// IsInterval reports whether s covers a span rather than an instant.
func (s Sample) IsInterval() bool { return !s.End.IsZero() }

func (s Sample) validate(i int) error {
	switch {
	case !s.Type.Valid():
		return invalid(KindSample, i, "Type", "unknown series type %d", uint16(s.Type))
	case math.IsNaN(s.Value) || math.IsInf(s.Value, 0):
		return invalid(KindSample, i, "Value", "value is %v", s.Value)
	case s.Start.IsZero():
		return invalid(KindSample, i, "Start", "start is zero")
	case !s.End.IsZero() && s.End.Before(s.Start):
		return invalid(KindSample, i, "End", "end %s is before start %s", s.End.UTC().Format(time.RFC3339), s.Start.UTC().Format(time.RFC3339))
	case !s.Offset.Valid():
		return invalid(KindSample, i, "Offset", "offset %d s is beyond ±18 h", int32(s.Offset))
	}
	return s.Source.validate(KindSample, i)
}
