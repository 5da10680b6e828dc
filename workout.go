package wearables

import (
	"fmt"
	"strconv"
	"time"
)

// WorkoutType identifies a kind of workout (running, cycling, yoga …). Its
// numeric value is a stable id: once released it never changes meaning and is
// never reused. WorkoutOther is the type of any sport a vendor reports that
// has no better match; the vendor's own name is kept in Workout.RawType.
type WorkoutType uint16

// WorkoutCategory groups workout types.
type WorkoutCategory string

// Workout categories.
const (
	WorkoutCategoryRunning    WorkoutCategory = "running"
	WorkoutCategoryWalking    WorkoutCategory = "walking"
	WorkoutCategoryCycling    WorkoutCategory = "cycling"
	WorkoutCategorySwimming   WorkoutCategory = "swimming"
	WorkoutCategoryWater      WorkoutCategory = "water"
	WorkoutCategoryWinter     WorkoutCategory = "winter"
	WorkoutCategoryFitness    WorkoutCategory = "fitness"
	WorkoutCategoryMindBody   WorkoutCategory = "mind_body"
	WorkoutCategoryTeam       WorkoutCategory = "team"
	WorkoutCategoryRacket     WorkoutCategory = "racket"
	WorkoutCategoryOutdoor    WorkoutCategory = "outdoor"
	WorkoutCategoryCombat     WorkoutCategory = "combat"
	WorkoutCategoryDance      WorkoutCategory = "dance"
	WorkoutCategoryMotor      WorkoutCategory = "motor"
	WorkoutCategoryOther      WorkoutCategory = "other"
	WorkoutCategoryMultisport WorkoutCategory = "multisport"
)

// WorkoutInfo describes one entry of the workout catalog.
type WorkoutInfo struct {
	ID       WorkoutType
	Code     string // stable snake_case code, e.g. "trail_running"; unique
	Name     string // human-readable name
	Category WorkoutCategory
}

// Info returns the catalog entry of t and whether t is known.
func (t WorkoutType) Info() (WorkoutInfo, bool) {
	if t != 0 && int(t) < len(workoutByID) && workoutByID[t].ID == t {
		return workoutByID[t], true
	}
	return WorkoutInfo{}, false
}

// Valid reports whether t is in the catalog.
func (t WorkoutType) Valid() bool {
	_, ok := t.Info()
	return ok
}

// Code returns the stable code of t, or "workout(N)" for an unknown type.
func (t WorkoutType) Code() string {
	if info, ok := t.Info(); ok {
		return info.Code
	}
	return "workout(" + strconv.Itoa(int(t)) + ")"
}

// String returns t's code.
func (t WorkoutType) String() string { return t.Code() }

// MarshalText encodes t as its code.
func (t WorkoutType) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("wearables: unknown workout type %d: %w", uint16(t), ErrInvalid)
	}
	return []byte(t.Code()), nil
}

// UnmarshalText decodes a workout code.
func (t *WorkoutType) UnmarshalText(b []byte) error {
	v, err := ParseWorkoutType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// ParseWorkoutType returns the workout type with the given code. An unknown
// code is an error that matches ErrInvalid.
func ParseWorkoutType(code string) (WorkoutType, error) {
	if t, ok := workoutByCode[code]; ok {
		return t, nil
	}
	return 0, fmt.Errorf("wearables: unknown workout type %q: %w", code, ErrInvalid)
}

// WorkoutTypes returns the whole catalog ordered by id. The slice is a copy.
func WorkoutTypes() []WorkoutInfo {
	out := make([]WorkoutInfo, 0, len(workoutCatalog))
	return append(out, workoutCatalog...)
}

var (
	workoutByID   = indexWorkoutByID(workoutCatalog)
	workoutByCode = indexWorkoutByCode(workoutCatalog)
)

func indexWorkoutByID(cat []WorkoutInfo) []WorkoutInfo {
	var maxID WorkoutType
	for _, w := range cat {
		maxID = max(maxID, w.ID)
	}
	idx := make([]WorkoutInfo, int(maxID)+1)
	for _, w := range cat {
		idx[w.ID] = w
	}
	return idx
}

func indexWorkoutByCode(cat []WorkoutInfo) map[string]WorkoutType {
	m := make(map[string]WorkoutType, len(cat))
	for _, w := range cat {
		m[w.Code] = w.ID
	}
	return m
}

// HRZone is the time spent in one heart-rate zone during a workout.
type HRZone struct {
	Zone     int           `json:"zone"`     // 0-based zone number as the vendor numbers them (0 = below zone 1 when the vendor reports it)
	MinBPM   float64       `json:"min_bpm"`  // lower bound, inclusive; 0 when unknown
	MaxBPM   float64       `json:"max_bpm"`  // upper bound, exclusive; 0 when unknown
	Duration time.Duration `json:"duration"` // time spent in the zone
}

// Lap is one lap or split of a workout.
type Lap struct {
	Start    time.Time     `json:"start"`               // UTC
	Duration time.Duration `json:"duration"`            // elapsed
	Distance *float64      `json:"distance,omitempty"`  // meters
	AvgHR    *float64      `json:"avg_hr,omitempty"`    // bpm
	AvgSpeed *float64      `json:"avg_speed,omitempty"` // m/s
	AvgPower *float64      `json:"avg_power,omitempty"` // W
}

// RoutePoint is one point of a workout's GPS track.
type RoutePoint struct {
	Time      time.Time `json:"time"`                // UTC
	Lat       float64   `json:"lat"`                 // degrees, WGS 84
	Lon       float64   `json:"lon"`                 // degrees, WGS 84
	Elevation *float64  `json:"elevation,omitempty"` // meters
}

// Workout is one exercise session. Its natural key is (Source,
// ProviderRecordID): writing a workout with the same key replaces the stored
// one. Optional metrics are nil when the vendor did not report them; all
// values are in canonical units (meters, kcal, bpm, m/s, W).
type Workout struct {
	UserID           string        `json:"user_id,omitempty"`
	Source           Source        `json:"source"`
	ProviderRecordID string        `json:"provider_record_id"` // the vendor's id, or normalize's deterministic id when the vendor has none
	Version          int64         `json:"version,omitempty"`  // vendor revision (e.g. update time in Unix ms); a write with a lower version than the stored one is ignored; 0 = unknown
	Type             WorkoutType   `json:"type"`
	RawType          string        `json:"raw_type,omitempty"` // the vendor's own sport name, kept so unknown sports can be mapped later
	Name             string        `json:"name,omitempty"`     // the title the user gave it, if any
	Start            time.Time     `json:"start"`              // UTC instant
	End              time.Time     `json:"end"`                // UTC instant, not before Start
	Offset           Offset        `json:"offset"`             // the original UTC offset at Start
	MovingTime       time.Duration `json:"moving_time,omitempty"`
	Distance         *float64      `json:"distance,omitempty"` // meters
	Energy           *float64      `json:"energy,omitempty"`   // active energy, kcal
	AvgHR            *float64      `json:"avg_hr,omitempty"`   // bpm
	MinHR            *float64      `json:"min_hr,omitempty"`   // bpm
	MaxHR            *float64      `json:"max_hr,omitempty"`   // bpm
	Steps            *float64      `json:"steps,omitempty"`
	ElevationGain    *float64      `json:"elevation_gain,omitempty"` // meters
	ElevationLoss    *float64      `json:"elevation_loss,omitempty"` // meters
	AvgSpeed         *float64      `json:"avg_speed,omitempty"`      // m/s
	MaxSpeed         *float64      `json:"max_speed,omitempty"`      // m/s
	AvgPower         *float64      `json:"avg_power,omitempty"`      // W
	MaxPower         *float64      `json:"max_power,omitempty"`      // W
	AvgCadence       *float64      `json:"avg_cadence,omitempty"`    // per minute (steps, revolutions or strokes)
	Zones            []HRZone      `json:"zones,omitempty"`
	Laps             []Lap         `json:"laps,omitempty"`
	Route            []RoutePoint  `json:"route,omitempty"`
}

// Duration is End − Start, the elapsed time.
func (w Workout) Duration() time.Duration { return w.End.Sub(w.Start) }
