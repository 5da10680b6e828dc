package demo

import (
	"time"

	"github.com/wearables-go/wearables"
)

// The demo vendor's wire format: what its API sends, in the style of a real
// vendor (local times with their offset, durations in seconds, nulls for
// missing metrics, a next_page_token that is null on the last page). The
// Handler encodes these; the Provider decodes them and normalizes.

type wirePage[T any] struct {
	Data          []T     `json:"data"`
	NextPageToken *string `json:"next_page_token"`
}

type wireWorkout struct {
	ID         string     `json:"id"`
	Activity   string     `json:"activity"`
	Start      string     `json:"start_time"`
	End        string     `json:"end_time"`
	DistanceM  *float64   `json:"distance_m"`
	ClimbM     *float64   `json:"elevation_gain_m"`
	ActiveKcal float64    `json:"active_kcal"`
	AvgHR      float64    `json:"avg_hr_bpm"`
	MaxHR      float64    `json:"max_hr_bpm"`
	Steps      *int       `json:"steps"`
	Zones      []wireZone `json:"hr_zones"`
	Device     string     `json:"device"`
}

type wireZone struct {
	Zone    int     `json:"zone"`
	MinBPM  float64 `json:"min_bpm"`
	MaxBPM  float64 `json:"max_bpm"`
	Seconds int     `json:"seconds"`
}

type wireSleep struct {
	ID          string      `json:"id"`
	Start       string      `json:"bedtime_start"`
	End         string      `json:"bedtime_end"`
	Nap         bool        `json:"nap"`
	LatencyS    int         `json:"latency_s"`
	Stages      []wireStage `json:"stages"`
	AvgHR       float64     `json:"avg_hr_bpm"`
	MinHR       float64     `json:"lowest_hr_bpm"`
	AvgHRV      float64     `json:"avg_hrv_rmssd_ms"`
	Respiratory float64     `json:"respiratory_rate"`
	Device      string      `json:"device"`
}

type wireStage struct {
	Stage   string `json:"stage"` // "awake", "light", "deep", "rem"
	Start   string `json:"start"`
	Seconds int    `json:"seconds"`
}

type wireHeartRate struct {
	Time string `json:"t"`
	BPM  int    `json:"bpm"`
}

type wireSteps struct {
	Start   string `json:"start"`
	Minutes int    `json:"minutes"`
	Steps   int    `json:"steps"`
}

type wireHRV struct {
	Time  string  `json:"t"`
	RMSSD float64 `json:"rmssd_ms"`
}

type wireSpO2 struct {
	Time    string  `json:"t"`
	Percent float64 `json:"spo2_pct"`
}

type wireWeight struct {
	Time       string   `json:"t"`
	WeightKg   float64  `json:"weight_kg"`
	BodyFatPct *float64 `json:"body_fat_pct"`
	Device     string   `json:"device"`
}

type wireMe struct {
	AccountID   string `json:"account_id"`
	DisplayName string `json:"display_name"`
	UTCOffset   string `json:"utc_offset"`
}

// Data types of the demo provider beyond the generic ones
// (wearables.DataWorkouts, wearables.DataSleep, wearables.DataBody).
const (
	DataHeartRate wearables.DataType = "heartrate" // 1-minute heart rate
	DataSteps     wearables.DataType = "steps"     // 15-minute step counts
	DataHRV       wearables.DataType = "hrv"       // 5-minute RMSSD during sleep
	DataSpO2      wearables.DataType = "spo2"      // 10-minute SpO2 during sleep
)

// endpoint is one data route of the demo vendor's API.
type endpoint struct {
	dataType wearables.DataType
	path     string
	limit    int // the provider's page size, also the API's maximum
}

var endpoints = []endpoint{
	{wearables.DataWorkouts, "/api/v1/workouts", 25},
	{wearables.DataSleep, "/api/v1/sleep", 25},
	{DataHeartRate, "/api/v1/heartrate", 1000},
	{DataSteps, "/api/v1/steps", 1000},
	{DataHRV, "/api/v1/hrv", 1000},
	{DataSpO2, "/api/v1/spo2", 1000},
	{wearables.DataBody, "/api/v1/weight", 100},
}

func endpointFor(dt wearables.DataType) (endpoint, bool) {
	for _, e := range endpoints {
		if e.dataType == dt {
			return e, true
		}
	}
	return endpoint{}, false
}

var stageNames = map[wearables.SleepStage]string{
	wearables.StageAwake: "awake",
	wearables.StageLight: "light",
	wearables.StageDeep:  "deep",
	wearables.StageREM:   "rem",
}

// items returns the wire records of dt whose time falls in [start, end),
// in time order. Only what exists by now is returned: a workout or sleep
// that has ended, a reading already taken.
func (a account) items(dt wearables.DataType, start, end, now time.Time) []any {
	if end.After(now) {
		end = now
	}
	if !end.After(start) {
		return nil
	}
	ts := func(t time.Time) string { return t.In(a.loc).Format(time.RFC3339) }
	in := func(t time.Time) bool { return !t.Before(start) && t.Before(end) }
	first := wearables.DateOf(start.In(a.loc)).AddDays(-1)
	last := wearables.DateOf(end.In(a.loc)).AddDays(1)
	var out []any
	for d := first; !last.Before(d); d = d.AddDays(1) {
		switch dt {
		case wearables.DataWorkouts:
			for _, w := range a.day(d).workouts {
				if in(w.start) && !w.end.After(now) {
					out = append(out, a.wireWorkout(w))
				}
			}
		case wearables.DataSleep:
			day := a.day(d)
			for _, s := range []*genSleep{day.sleep, day.nap} {
				if s != nil && in(s.start) && !s.end.After(now) {
					out = append(out, wireSleepOf(s, ts))
				}
			}
		case DataHeartRate:
			for _, p := range a.heartRate(d) {
				if in(p.t) {
					out = append(out, wireHeartRate{Time: ts(p.t), BPM: p.bpm})
				}
			}
		case DataSteps:
			for _, p := range a.steps(d) {
				if in(p.start) && !p.start.Add(15*time.Minute).After(now) {
					out = append(out, wireSteps{Start: ts(p.start), Minutes: 15, Steps: p.steps})
				}
			}
		case DataHRV:
			for _, p := range a.hrv(d) {
				if in(p.t) {
					out = append(out, wireHRV{Time: ts(p.t), RMSSD: p.v})
				}
			}
		case DataSpO2:
			for _, p := range a.spo2(d) {
				if in(p.t) {
					out = append(out, wireSpO2{Time: ts(p.t), Percent: p.v})
				}
			}
		case wearables.DataBody:
			if w := a.day(d).weighIn; w != nil && in(w.at) {
				fat := w.bodyFat
				out = append(out, wireWeight{Time: ts(w.at), WeightKg: w.weight, BodyFatPct: &fat, Device: scaleModel})
			}
		}
	}
	return out
}

func (a account) wireWorkout(w genWorkout) wireWorkout {
	ts := func(t time.Time) string { return t.In(a.loc).Format(time.RFC3339) }
	out := wireWorkout{
		ID:         w.id,
		Activity:   w.sport.activity,
		Start:      ts(w.start),
		End:        ts(w.end),
		ActiveKcal: w.activeKcal,
		AvgHR:      w.avgHR,
		MaxHR:      w.maxHR,
		Device:     watchModel,
	}
	if w.distance > 0 {
		d, c := w.distance, w.climb
		out.DistanceM, out.ClimbM = &d, &c
	}
	if w.steps > 0 {
		s := w.steps
		out.Steps = &s
	}
	for _, z := range w.zones {
		out.Zones = append(out.Zones, wireZone{Zone: z.zone, MinBPM: z.minBPM, MaxBPM: z.maxBPM, Seconds: z.seconds})
	}
	return out
}

func wireSleepOf(s *genSleep, ts func(time.Time) string) wireSleep {
	out := wireSleep{
		ID:          s.id,
		Start:       ts(s.start),
		End:         ts(s.end),
		Nap:         s.nap,
		LatencyS:    int(s.latency / time.Second),
		AvgHR:       s.avgHR,
		MinHR:       s.minHR,
		AvgHRV:      s.avgHRV,
		Respiratory: s.resp,
		Device:      s.deviceModel,
	}
	for _, g := range s.stages {
		out.Stages = append(out.Stages, wireStage{Stage: stageNames[g.stage], Start: ts(g.start), Seconds: int(g.end.Sub(g.start) / time.Second)})
	}
	return out
}
