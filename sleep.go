package wearables

import (
	"fmt"
	"strconv"
	"time"
)

// SleepStage is a stage of sleep. Its numeric value is a stable id.
type SleepStage uint8

// Sleep stages. StageAsleep is sleep of unspecified depth (vendors and older
// devices that only know asleep/awake); StageInBed is time in bed not
// classified as asleep or awake.
const (
	StageUnknown SleepStage = iota
	StageAwake
	StageLight
	StageDeep
	StageREM
	StageAsleep
	StageInBed
)

var stageCodes = [...]string{"unknown", "awake", "light", "deep", "rem", "asleep", "in_bed"}

// SleepStages returns every stage in id order.
func SleepStages() []SleepStage {
	return []SleepStage{StageUnknown, StageAwake, StageLight, StageDeep, StageREM, StageAsleep, StageInBed}
}

// Valid reports whether s is a declared stage.
func (s SleepStage) Valid() bool { return int(s) < len(stageCodes) }

// String returns the stage's code: "awake", "light", "deep", "rem", "asleep",
// "in_bed" or "unknown".
func (s SleepStage) String() string {
	if s.Valid() {
		return stageCodes[s]
	}
	return "stage(" + strconv.Itoa(int(s)) + ")"
}

// IsAsleep reports whether the stage counts as time asleep.
func (s SleepStage) IsAsleep() bool {
	return s == StageLight || s == StageDeep || s == StageREM || s == StageAsleep
}

// MarshalText encodes s as its code.
func (s SleepStage) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("wearables: unknown sleep stage %d: %w", uint8(s), ErrInvalid)
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a stage code.
func (s *SleepStage) UnmarshalText(b []byte) error {
	v, err := ParseSleepStage(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSleepStage returns the stage with the given code; an unknown code is
// an error matching ErrInvalid.
func ParseSleepStage(code string) (SleepStage, error) {
	for i, c := range stageCodes {
		if c == code {
			return SleepStage(i), nil
		}
	}
	return 0, fmt.Errorf("wearables: unknown sleep stage %q: %w", code, ErrInvalid)
}

// StageInterval is one contiguous stretch of a sleep stage.
type StageInterval struct {
	Stage SleepStage `json:"stage"`
	Start time.Time  `json:"start"` // UTC
	End   time.Time  `json:"end"`   // UTC, after Start
}

// StageTotals is the time spent in each stage of one sleep.
type StageTotals struct {
	Awake   time.Duration `json:"awake"`
	Light   time.Duration `json:"light"`
	Deep    time.Duration `json:"deep"`
	REM     time.Duration `json:"rem"`
	Asleep  time.Duration `json:"asleep"` // asleep, depth not reported
	InBed   time.Duration `json:"in_bed"` // in bed, neither asleep nor awake
	Unknown time.Duration `json:"unknown"`
}

// TimeAsleep is Light + Deep + REM + Asleep.
func (t StageTotals) TimeAsleep() time.Duration { return t.Light + t.Deep + t.REM + t.Asleep }

// Add adds d to the total of stage s.
func (t *StageTotals) Add(s SleepStage, d time.Duration) {
	switch s {
	case StageAwake:
		t.Awake += d
	case StageLight:
		t.Light += d
	case StageDeep:
		t.Deep += d
	case StageREM:
		t.REM += d
	case StageAsleep:
		t.Asleep += d
	case StageInBed:
		t.InBed += d
	default:
		t.Unknown += d
	}
}

// MaxSleepDuration bounds one sleep session; longer ones are rejected as implausible.
const MaxSleepDuration = 24 * time.Hour

// Sleep is one sleep session (a night or a nap). Its natural key is (Source,
// ProviderRecordID). Stages may be empty when the vendor reports only totals.
type Sleep struct {
	UserID           string          `json:"user_id,omitempty"`
	Source           Source          `json:"source"`
	ProviderRecordID string          `json:"provider_record_id"`
	Version          int64           `json:"version,omitempty"` // vendor revision; lower versions than the stored one are ignored
	Start            time.Time       `json:"start"`             // UTC, bedtime start
	End              time.Time       `json:"end"`               // UTC, bedtime end
	Offset           Offset          `json:"offset"`
	IsNap            bool            `json:"is_nap"`
	Stages           []StageInterval `json:"stages,omitempty"`
	Totals           StageTotals     `json:"totals"`
	Efficiency       *float64        `json:"efficiency,omitempty"`       // percent of time in bed spent asleep, 0–100
	Latency          *time.Duration  `json:"latency,omitempty"`          // time to fall asleep
	AvgHR            *float64        `json:"avg_hr,omitempty"`           // bpm
	MinHR            *float64        `json:"min_hr,omitempty"`           // bpm
	AvgHRV           *float64        `json:"avg_hrv,omitempty"`          // RMSSD, ms
	RespiratoryRate  *float64        `json:"respiratory_rate,omitempty"` // breaths/min
}

func (s Sleep) validate(i int) error {
	switch {
	case s.ProviderRecordID == "":
		return invalid(KindSleep, i, "ProviderRecordID", "provider record id is empty")
	case s.Start.IsZero() || s.End.IsZero():
		return invalid(KindSleep, i, "Start", "start or end is zero")
	case !s.End.After(s.Start):
		return invalid(KindSleep, i, "End", "end %s is not after start %s", s.End.UTC().Format(time.RFC3339), s.Start.UTC().Format(time.RFC3339))
	case s.End.Sub(s.Start) > MaxSleepDuration:
		return invalid(KindSleep, i, "End", "sleep of %s is longer than %s", s.End.Sub(s.Start), MaxSleepDuration)
	case !s.Offset.Valid():
		return invalid(KindSleep, i, "Offset", "offset %d s is beyond ±18 h", int32(s.Offset))
	case s.Efficiency != nil && !(*s.Efficiency >= 0 && *s.Efficiency <= 100):
		return invalid(KindSleep, i, "Efficiency", "efficiency %v is outside 0–100", *s.Efficiency)
	}
	for j, st := range s.Stages {
		if !st.Stage.Valid() {
			return invalid(KindSleep, i, "Stages["+strconv.Itoa(j)+"].Stage", "unknown stage %d", uint8(st.Stage))
		}
		if !st.End.After(st.Start) {
			return invalid(KindSleep, i, "Stages["+strconv.Itoa(j)+"].End", "stage end is not after its start")
		}
	}
	if err := validOptional(KindSleep, i, s.AvgHR, s.MinHR, s.AvgHRV, s.RespiratoryRate); err != nil {
		return err
	}
	return s.Source.validate(KindSleep, i)
}
