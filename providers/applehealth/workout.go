package applehealth

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// pendingWorkout is a Workout element being read: its attributes are read at
// the start tag, its children (statistics, events, metadata) until the end tag.
type pendingWorkout struct {
	skip       bool
	w          wearables.Workout
	src        *sourceEntry
	srcName    string
	rawType    string
	offset     wearables.Offset
	zone       *time.Location
	manual     bool
	indoor     bool
	swimLoc    int
	activities int
	laps       []wearables.Lap
	segments   []wearables.Lap
}

const workoutTypeName = "Workout"

func f64(v float64) *float64 { return &v }

func (d *Decoder) beginWorkout(t *token) {
	p := &d.wk
	*p = pendingWorkout{laps: p.laps[:0], segments: p.segments[:0]}
	var typ, srcName, dev, start, end []byte
	var dur, durUnit, dist, distUnit, energy, energyUnit []byte
	for i := range t.attrs {
		a := &t.attrs[i]
		switch string(a.name) {
		case "workoutActivityType":
			typ = a.value
		case "sourceName":
			srcName = a.value
		case "device":
			dev = a.value
		case "startDate":
			start = a.value
		case "endDate":
			end = a.value
		case "duration":
			dur = a.value
		case "durationUnit":
			durUnit = a.value
		case "totalDistance":
			dist = a.value
		case "totalDistanceUnit":
			distUnit = a.value
		case "totalEnergyBurned":
			energy = a.value
		case "totalEnergyBurnedUnit":
			energyUnit = a.value
		}
	}
	p.rawType = validUTF8(typ)
	p.src = d.srcs.lookup(srcName, dev)
	p.srcName = validUTF8(srcName)
	w := &p.w
	var ok bool
	if w.Start, p.offset, ok = parseDate(start); !ok {
		d.rejectWorkout("startDate", "malformed date "+strconv.Quote(truncate(start)))
		return
	}
	if w.End, _, ok = parseDate(end); !ok {
		d.rejectWorkout("endDate", "malformed date "+strconv.Quote(truncate(end)))
		return
	}
	if w.End.Before(w.Start) {
		d.rejectWorkout("endDate", "end before start")
		return
	}
	if len(dur) > 0 {
		v, ok := parseFloat(dur)
		unit := string(durUnit)
		if unit == "" {
			unit = "min"
		}
		if dd, err := normalize.DurationOf(v, unit); ok && err == nil && dd >= 0 {
			w.MovingTime = dd
		}
	}
	if v, ok := d.workoutQuantity(wearables.SeriesDistance, dist, distUnit); ok {
		w.Distance = f64(v)
	}
	if v, ok := d.workoutQuantity(wearables.SeriesActiveEnergy, energy, energyUnit); ok {
		w.Energy = f64(v)
	}
}

// workoutQuantity converts an optional workout value to the canonical unit
// of st; false when absent or unusable.
func (d *Decoder) workoutQuantity(st wearables.SeriesType, raw, unit []byte) (float64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	v, ok := parseFloat(raw)
	if !ok {
		return 0, false
	}
	conv, err := d.units.converter(st, unit)
	if err != nil {
		return 0, false
	}
	return conv.Convert(v), true
}

func (d *Decoder) rejectWorkout(field, reason string) {
	p := &d.wk
	p.skip = true
	d.reject(workoutTypeName, wearables.Rejection{Kind: wearables.KindWorkout, Time: p.w.Start, Field: field, Reason: reason})
}

func (d *Decoder) workoutMetadata(t *token) {
	p := &d.wk
	if p.skip {
		return
	}
	key, _ := t.attrValue("key")
	val, _ := t.attrValue("value")
	switch string(key) {
	case "HKTimeZone", "HKMetadataKeyTimeZone":
		p.zone = d.zone(val)
	case "HKIndoorWorkout":
		p.indoor = string(val) == "1"
	case "HKSwimmingLocationType":
		p.swimLoc, _ = strconv.Atoi(string(val))
	case "HKWasUserEntered":
		p.manual = string(val) == "1"
	case "HKElevationAscended", "HKElevationDescended":
		// "1234 cm": a quantity with its unit.
		num, unit, ok := bytes.Cut(bytes.TrimSpace(val), []byte(" "))
		if !ok {
			return
		}
		if v, ok := d.workoutQuantity(wearables.SeriesElevation, num, unit); ok && v >= 0 {
			if string(key) == "HKElevationAscended" {
				p.w.ElevationGain = f64(v)
			} else {
				p.w.ElevationLoss = f64(v)
			}
		}
	}
}

func (d *Decoder) workoutEvent(t *token) {
	p := &d.wk
	if p.skip {
		return
	}
	typ, _ := t.attrValue("type")
	if !bytes.Equal(typ, []byte("HKWorkoutEventTypeLap")) && !bytes.Equal(typ, []byte("HKWorkoutEventTypeSegment")) {
		return // pauses, resumes and markers: the moving time is the duration attribute
	}
	date, _ := t.attrValue("date")
	start, _, ok := parseDate(date)
	if !ok {
		return
	}
	lap := wearables.Lap{Start: start}
	if dur, ok := t.attrValue("duration"); ok {
		unit, _ := t.attrValue("durationUnit")
		u := string(unit)
		if u == "" {
			u = "min"
		}
		if v, ok := parseFloat(dur); ok {
			if dd, err := normalize.DurationOf(v, u); err == nil && dd >= 0 {
				lap.Duration = dd
			}
		}
	}
	if typ[len(typ)-1] == 'p' { // …Lap
		p.laps = append(p.laps, lap)
	} else {
		p.segments = append(p.segments, lap)
	}
}

func (d *Decoder) workoutStatistics(t *token) {
	p := &d.wk
	if p.skip {
		return
	}
	var typ, unit, sum, avg, minV, maxV []byte
	for i := range t.attrs {
		a := &t.attrs[i]
		switch string(a.name) {
		case "type":
			typ = a.value
		case "unit":
			unit = a.value
		case "sum":
			sum = a.value
		case "average":
			avg = a.value
		case "minimum":
			minV = a.value
		case "maximum":
			maxV = a.value
		}
	}
	name := strings.TrimPrefix(string(typ), hkQuantityPrefix)
	st, ok := quantityTypes[name]
	if !ok {
		return
	}
	w := &p.w
	set := func(dst **float64, raw []byte, as wearables.SeriesType) {
		if v, ok := d.workoutQuantity(as, raw, unit); ok {
			*dst = f64(v)
		}
	}
	switch st {
	case wearables.SeriesActiveEnergy:
		set(&w.Energy, sum, st)
	case wearables.SeriesDistanceWalkingRunning, wearables.SeriesDistanceCycling, wearables.SeriesDistanceSwimming,
		wearables.SeriesDistanceWheelchair, wearables.SeriesDistanceDownhillSnowSports, wearables.SeriesDistanceCrossCountrySkiing,
		wearables.SeriesDistanceRowing, wearables.SeriesDistancePaddling, wearables.SeriesDistanceSkating:
		set(&w.Distance, sum, wearables.SeriesDistance)
	case wearables.SeriesHeartRate:
		set(&w.AvgHR, avg, st)
		set(&w.MinHR, minV, st)
		set(&w.MaxHR, maxV, st)
	case wearables.SeriesSteps:
		set(&w.Steps, sum, st)
	case wearables.SeriesRunningPower, wearables.SeriesCyclingPower:
		set(&w.AvgPower, avg, wearables.SeriesPower)
		set(&w.MaxPower, maxV, wearables.SeriesPower)
	case wearables.SeriesRunningSpeed, wearables.SeriesCyclingSpeed:
		set(&w.AvgSpeed, avg, wearables.SeriesSpeed)
		set(&w.MaxSpeed, maxV, wearables.SeriesSpeed)
	case wearables.SeriesCyclingCadence:
		set(&w.AvgCadence, avg, st)
	}
}

func (d *Decoder) finishWorkout() {
	p := &d.wk
	if p.skip {
		return
	}
	w := p.w
	w.Source = p.src.source
	if p.manual {
		w.Source = p.src.manual
	}
	w.Offset = offsetAt(p.zone, w.Start, p.offset)
	w.RawType = p.rawType
	wt, known := workoutType(p.rawType, p.indoor, p.swimLoc)
	if !known {
		d.counts.unknownElementStr("workoutActivityType=" + p.rawType)
	}
	if p.activities > 1 && wt != wearables.WorkoutTriathlon {
		wt = wearables.WorkoutMultisport
	}
	w.Type = wt
	if w.MovingTime > w.End.Sub(w.Start) {
		w.MovingTime = w.End.Sub(w.Start)
	}
	switch {
	case len(p.laps) > 0:
		w.Laps = append([]wearables.Lap(nil), p.laps...)
	case len(p.segments) > 0:
		w.Laps = append([]wearables.Lap(nil), p.segments...)
	}
	// The source's normalized key (not sourceVersion, which changes with
	// every OS update), the raw type and the start identify an Apple workout.
	w.ProviderRecordID = normalize.WorkoutID(p.src.source, p.rawType, w.Start)
	d.batch.Workouts = append(d.batch.Workouts, w)
	d.stats.Emitted.Workouts++
}
