package wearables

import (
	"fmt"
	"strconv"
)

// SeriesType identifies a kind of time series (heart rate, steps, weight …).
// Its numeric value is a stable id: once released, an id never changes its
// code, unit or meaning, and ids are never reused. The zero value is not a
// valid type.
type SeriesType uint16

// Aggregation says how values of a series combine over a time bucket.
type Aggregation uint8

// Aggregations. Sum is for quantities that accumulate (steps, energy,
// distance); Avg for rates and levels (heart rate, SpO2); Min and Max for
// extremes; Last for states that replace each other (weight, VO2max).
const (
	AggSum Aggregation = iota + 1
	AggAvg
	AggMin
	AggMax
	AggLast
)

// String returns "sum", "avg", "min", "max" or "last".
func (a Aggregation) String() string {
	switch a {
	case AggSum:
		return "sum"
	case AggAvg:
		return "avg"
	case AggMin:
		return "min"
	case AggMax:
		return "max"
	case AggLast:
		return "last"
	}
	return "Aggregation(" + strconv.Itoa(int(a)) + ")"
}

// SeriesCategory groups series types for documentation and UIs.
type SeriesCategory string

// Series categories.
const (
	CategoryHeart       SeriesCategory = "heart"
	CategoryBlood       SeriesCategory = "blood"
	CategoryRespiration SeriesCategory = "respiration"
	CategoryBody        SeriesCategory = "body"
	CategoryActivity    SeriesCategory = "activity"
	CategoryDistance    SeriesCategory = "distance"
	CategoryWalking     SeriesCategory = "walking"
	CategoryRunning     SeriesCategory = "running"
	CategorySwimming    SeriesCategory = "swimming"
	CategoryCycling     SeriesCategory = "cycling"
	CategoryGeneric     SeriesCategory = "generic"
	CategoryEnvironment SeriesCategory = "environment"
	CategoryScore       SeriesCategory = "score"
	CategoryNutrition   SeriesCategory = "nutrition"
	CategorySleep       SeriesCategory = "sleep"
)

// SeriesInfo describes one entry of the series catalog.
type SeriesInfo struct {
	ID          SeriesType
	Code        string // stable snake_case code, e.g. "heart_rate"; unique
	Name        string // human-readable name
	Category    SeriesCategory
	Unit        Unit        // canonical unit every stored value is in
	Aggregation Aggregation // how values combine over a bucket
	// Min and Max bound the physiologically or physically plausible values,
	// inclusive. Values outside are rejected by normalize's validation.
	Min, Max float64
}

// Info returns the catalog entry of t and whether t is known.
func (t SeriesType) Info() (SeriesInfo, bool) {
	if int(t) < len(seriesByID) && seriesByID[t].ID == t && t != 0 {
		return seriesByID[t], true
	}
	return SeriesInfo{}, false
}

// Valid reports whether t is in the catalog.
func (t SeriesType) Valid() bool {
	_, ok := t.Info()
	return ok
}

// Code returns the stable code of t, or "series(N)" for an unknown type.
func (t SeriesType) Code() string {
	if info, ok := t.Info(); ok {
		return info.Code
	}
	return "series(" + strconv.Itoa(int(t)) + ")"
}

// String returns t's code.
func (t SeriesType) String() string { return t.Code() }

// Unit returns the canonical unit of t, or "" for an unknown type.
func (t SeriesType) Unit() Unit { info, _ := t.Info(); return info.Unit }

// Aggregation returns how t combines over a bucket, or 0 for an unknown type.
func (t SeriesType) Aggregation() Aggregation { info, _ := t.Info(); return info.Aggregation }

// MarshalText encodes t as its code.
func (t SeriesType) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("wearables: unknown series type %d: %w", uint16(t), ErrInvalid)
	}
	return []byte(t.Code()), nil
}

// UnmarshalText decodes a series code.
func (t *SeriesType) UnmarshalText(b []byte) error {
	v, err := ParseSeriesType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// ParseSeriesType returns the series type with the given code. An unknown
// code is an error that matches ErrInvalid.
func ParseSeriesType(code string) (SeriesType, error) {
	if t, ok := seriesByCode[code]; ok {
		return t, nil
	}
	return 0, fmt.Errorf("wearables: unknown series type %q: %w", code, ErrInvalid)
}

// SeriesTypes returns the whole catalog ordered by id. The slice is a copy.
func SeriesTypes() []SeriesInfo {
	out := make([]SeriesInfo, 0, len(seriesCatalog))
	out = append(out, seriesCatalog...)
	return out
}

// seriesByID and seriesByCode index seriesCatalog; built once, never mutated.
var (
	seriesByID   = indexSeriesByID(seriesCatalog)
	seriesByCode = indexSeriesByCode(seriesCatalog)
)

func indexSeriesByID(cat []SeriesInfo) []SeriesInfo {
	var maxID SeriesType
	for _, s := range cat {
		maxID = max(maxID, s.ID)
	}
	idx := make([]SeriesInfo, int(maxID)+1)
	for _, s := range cat {
		idx[s.ID] = s
	}
	return idx
}

func indexSeriesByCode(cat []SeriesInfo) map[string]SeriesType {
	m := make(map[string]SeriesType, len(cat))
	for _, s := range cat {
		m[s.Code] = s.ID
	}
	return m
}
