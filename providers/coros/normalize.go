package coros

import (
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// normalizeWorkouts maps a list of workouts. openID, when set, keeps only
// the workouts of that user (a webhook batch may carry several users).
func normalizeWorkouts(ws []rawWorkout, openID string) wearables.FetchResult {
	var res wearables.FetchResult
	res.Records.Workouts = make([]wearables.Workout, 0, len(ws))
	for i := range ws {
		if openID != "" && string(ws[i].OpenID) != openID {
			continue
		}
		normalizeWorkout(&ws[i], &res)
	}
	res.Rejected = append(res.Rejected, normalize.ValidateBatch(&res.Records)...)
	return res
}

func reject(res *wearables.FetchResult, id, field, reason string) {
	res.Rejected = append(res.Rejected, wearables.Rejection{Kind: wearables.KindWorkout, ProviderRecordID: id, Field: field, Reason: reason})
}

// offsetOf reads a COROS time zone: a count of 15-minute steps east of UTC
// (32 = UTC+8). A missing zone is wearables.NoOffset.
func offsetOf(q *int64) (wearables.Offset, error) {
	if q == nil {
		return wearables.NoOffset, nil
	}
	return normalize.OffsetFromQuarterHours(*q)
}

// normalizeWorkout maps one workout: labelId is its id; startTime and
// endTime are epoch seconds, stamped with startTimezone; a workout without
// endTime ends duration (else totalTime) seconds after its start. Distance
// is in meters, calories in kcal, heart rates in bpm; a zero is "not
// measured".
func normalizeWorkout(w *rawWorkout, res *wearables.FetchResult) {
	id := string(w.LabelID)
	if id == "" {
		reject(res, "", "labelId", "the workout has no labelId")
		return
	}
	if w.StartTime == nil {
		reject(res, id, "startTime", "the workout has no startTime")
		return
	}
	off, err := offsetOf(w.StartTimezone)
	if err != nil {
		reject(res, id, "startTimezone", err.Error())
		return
	}
	start := normalize.Unix(*w.StartTime, off)
	var end time.Time
	switch {
	case w.EndTime != nil:
		end = normalize.Unix(*w.EndTime, off).Time
	case first(w.Duration, w.TotalTime) != nil:
		d, err := normalize.DurationOf(*first(w.Duration, w.TotalTime), "s")
		if err != nil {
			reject(res, id, "duration", err.Error())
			return
		}
		end = start.Time.Add(d)
	default:
		reject(res, id, "endTime", "the workout has neither endTime nor duration")
		return
	}
	typ, raw := wearables.WorkoutOther, ""
	if w.Mode != nil {
		sub := int64(0)
		if w.SubMode != nil {
			sub = *w.SubMode
		}
		typ, raw = WorkoutType(*w.Mode, sub), rawType(*w.Mode, sub)
	}
	src := wearables.Source{Provider: wearables.ProviderCoros, DeviceType: wearables.DeviceWatch, DeviceModel: strings.TrimSpace(w.DeviceName)}
	out := wearables.Workout{
		Source:           src,
		ProviderRecordID: id,
		Type:             typ,
		RawType:          raw,
		Start:            start.Time,
		End:              end,
		Offset:           start.Offset,
		Distance:         nonNegative(w.Distance),
		Energy:           positive(w.Calories),
		AvgHR:            positive(w.AvgHR),
		MaxHR:            positive(w.MaxHR),
		Steps:            nonNegative(w.Steps),
	}
	res.Records.Workouts = append(res.Records.Workouts, out)
}

func first(a, b *float64) *float64 {
	if a != nil {
		return a
	}
	return b
}

// positive returns v when it is a positive number, else nil (not
// measured).
func positive(v *float64) *float64 {
	if v == nil || !(*v > 0) {
		return nil
	}
	return v
}

// nonNegative returns v unless it is negative or NaN.
func nonNegative(v *float64) *float64 {
	if v == nil || !(*v >= 0) {
		return nil
	}
	return v
}
