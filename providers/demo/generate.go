package demo

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"time"

	"github.com/wearables-go/wearables"
)

// The generator models one synthetic person per (seed, account id): a
// resting and maximal heart rate, a weight, an HRV baseline, a step habit,
// favourite sports and a home UTC offset. Every value of a local day is a
// pure function of (seed, account, day), computed with a hand-written
// splitmix64 generator and only +, ×, ÷ and rounding, so the same seed gives
// byte-identical data on every Go version and platform.

// rng is splitmix64: tiny, fast and fully specified.
type rng struct{ s uint64 }

func newRNG(parts ...uint64) *rng {
	r := &rng{s: 0x243f6a8885a308d3}
	for _, p := range parts {
		r.s ^= p
		r.next()
	}
	return r
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a uniform value in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// between returns a uniform value in [a, b).
func (r *rng) between(a, b float64) float64 { return a + (b-a)*r.float() }

// intn returns a uniform int in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// noise returns an approximately standard normal value (Irwin–Hall of
// four uniforms, rescaled), without transcendental functions.
func (r *rng) noise() float64 {
	return (r.float() + r.float() + r.float() + r.float() - 2) * 1.7320508075688772
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func clamp(v, lo, hi float64) float64 { return math.Min(math.Max(v, lo), hi) }

// Salts separating the random streams of one day.
const (
	saltProfile uint64 = iota + 1
	saltSleep
	saltNap
	saltWorkouts
	saltHeart
	saltSteps
	saltNight
	saltBody
)

// homeOffsets are the UTC offsets accounts live at, chosen per account;
// +05:45 and +05:30 keep offset handling honest.
var homeOffsets = []wearables.Offset{3600, 7200, -5 * 3600, -8 * 3600, 19800, 20700, 9 * 3600, 0}

// sport describes how a kind of workout is generated.
type sport struct {
	activity         string
	minMin, maxMin   float64 // duration range, minutes
	minSpeed, maxSpd float64 // m/s; 0 = no distance
	intensity        [2]float64
	met              float64
	cadence          float64 // steps per minute; 0 = no steps
	climb            [2]float64
}

var sports = []sport{
	{"running", 25, 70, 2.6, 3.5, [2]float64{0.68, 0.85}, 9.8, 166, [2]float64{15, 160}},
	{"cycling", 45, 120, 6.3, 8.6, [2]float64{0.58, 0.75}, 7.5, 0, [2]float64{80, 650}},
	{"walking", 25, 75, 1.25, 1.55, [2]float64{0.28, 0.42}, 3.5, 112, [2]float64{5, 60}},
	{"strength_training", 40, 70, 0, 0, [2]float64{0.45, 0.62}, 5, 0, [2]float64{}},
	{"yoga", 30, 60, 0, 0, [2]float64{0.22, 0.34}, 2.5, 0, [2]float64{}},
	{"hiit", 20, 40, 0, 0, [2]float64{0.78, 0.9}, 8, 0, [2]float64{}},
}

// account is one synthetic person.
type account struct {
	id         string
	seed       uint64
	key        uint64
	offset     wearables.Offset
	loc        *time.Location
	restHR     float64
	maxHR      float64
	weight     float64
	bodyFat    float64
	baseHRV    float64
	dailySteps float64 // daily step habit outside workouts
	favorite   []int   // indexes into sports, most liked first
}

func newAccount(seed uint64, id string) account {
	key := hashString(id)
	r := newRNG(seed, key, saltProfile)
	a := account{id: id, seed: seed, key: key}
	a.offset = homeOffsets[r.intn(len(homeOffsets))]
	a.loc = a.offset.Location()
	a.restHR = math.Round(r.between(50, 64))
	a.maxHR = math.Round(r.between(178, 196))
	a.weight = round1(r.between(58, 92))
	a.bodyFat = round1(r.between(14, 30))
	a.baseHRV = round1(r.between(32, 78))
	a.dailySteps = math.Round(r.between(5500, 11000))
	perm := []int{0, 1, 2, 3, 4, 5}
	for i := len(perm) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		perm[i], perm[j] = perm[j], perm[i]
	}
	a.favorite = perm[:3]
	return a
}

// dayKey numbers a local day for seeding.
func dayKey(d wearables.Date) uint64 {
	return uint64(d.Year)*10000 + uint64(d.Month)*100 + uint64(d.Day)
}

func (a account) rng(d wearables.Date, salt uint64) *rng {
	return newRNG(a.seed, a.key, dayKey(d), salt)
}

// at returns local wall-clock time on day d plus minutes.
func (a account) at(d wearables.Date, minutes float64) time.Time {
	return d.In(a.loc).Add(time.Duration(math.Round(minutes)) * time.Minute)
}

// genStage is one stage stretch of a generated sleep.
type genStage struct {
	stage      wearables.SleepStage
	start, end time.Time
}

// genSleep is one generated sleep session.
type genSleep struct {
	id              string
	start, end      time.Time
	nap             bool
	stages          []genStage
	avgHR, minHR    float64
	avgHRV, resp    float64
	latency         time.Duration
	deviceModel     string
	heartRateOffset float64 // how far below resting HR the night runs
}

// genWorkout is one generated workout.
type genWorkout struct {
	id           string
	sport        sport
	start, end   time.Time
	distance     float64 // m; 0 = none
	climb        float64 // m
	activeKcal   float64
	avgHR, maxHR float64
	steps        int
	zones        []genZone
}

type genZone struct {
	zone           int
	minBPM, maxBPM float64
	seconds        int
}

// genDay is everything generated for one local day of one account.
type genDay struct {
	date     wearables.Date
	sleep    *genSleep // the main sleep ending on this day (it starts the evening before)
	nap      *genSleep
	workouts []genWorkout
	weighIn  *genWeighIn
	dropout  int // minute of the day whose heart-rate reading is a sensor dropout (0 bpm); -1 for none
}

type genWeighIn struct {
	at      time.Time
	weight  float64
	bodyFat float64
}

const epoch = 30 * time.Second // stage resolution, as most vendors

// day generates local day d.
func (a account) day(d wearables.Date) genDay {
	g := genDay{date: d, dropout: -1}
	weekday := d.In(time.UTC).Weekday()
	weekend := weekday == time.Saturday || weekday == time.Sunday

	// The main sleep, from the evening before to this morning.
	r := a.rng(d, saltSleep)
	bed := 23*60 + 10*r.noise() + 25*r.noise()
	dur := 7.5*60 + 40*r.noise()
	if weekend {
		bed += 35
		dur += 30
	}
	bed = clamp(bed, 21*60+15, 25*60)
	dur = clamp(dur, 5*60, 9.75*60)
	start := a.at(d.AddDays(-1), bed).Truncate(epoch)
	end := start.Add(time.Duration(math.Round(dur)) * time.Minute).Truncate(epoch)
	g.sleep = a.night(d, r, start, end)

	// A nap on some afternoons.
	rn := a.rng(d, saltNap)
	if rn.chance(0.12) {
		ns := a.at(d, rn.between(13*60, 15.5*60)).Truncate(epoch)
		ne := ns.Add(time.Duration(rn.between(18, 45)) * time.Minute).Truncate(epoch)
		g.nap = a.napSession(d, rn, ns, ne)
	}

	// Workouts: most days one, sometimes two.
	rw := a.rng(d, saltWorkouts)
	n := 0
	switch p := rw.float(); {
	case p < 0.38:
		n = 0
	case p < 0.9:
		n = 1
	default:
		n = 2
	}
	slots := []float64{rw.between(6*60+20, 8*60), rw.between(17*60+30, 19*60+30)}
	if rw.chance(0.5) {
		slots[0], slots[1] = slots[1], slots[0]
	}
	for i := range n {
		sp := sports[a.favorite[min(rw.intn(4), 2)]]
		g.workouts = append(g.workouts, a.workout(d, rw, i, sp, slots[i]))
	}
	if n == 2 && g.workouts[1].start.Before(g.workouts[0].start) {
		g.workouts[0], g.workouts[1] = g.workouts[1], g.workouts[0]
	}

	// A morning weigh-in on most days.
	rb := a.rng(d, saltBody)
	if rb.chance(0.7) {
		trend := triangle(float64(dayKey(d)%120) / 120)
		g.weighIn = &genWeighIn{
			at:      g.sleep.end.Add(time.Duration(rb.between(8, 35)*60) * time.Second).Truncate(time.Second),
			weight:  round1(a.weight + 1.2*trend + 0.25*rb.noise()),
			bodyFat: round1(a.bodyFat + 0.6*trend + 0.3*rb.noise()),
		}
	}
	rh := a.rng(d, saltHeart)
	if rh.chance(0.35) {
		g.dropout = 8*60 + rh.intn(14*60)
	}
	return g
}

// triangle maps x in [0,1) to a triangle wave in [-1, 1].
func triangle(x float64) float64 {
	if x < 0.5 {
		return 4*x - 1
	}
	return 3 - 4*x
}

// night builds the stage sequence of a main sleep: a latency, then ~90 min
// cycles of light, deep (mostly early), light and REM (longer late), with
// short awakenings, and a final wake-up.
func (a account) night(d wearables.Date, r *rng, start, end time.Time) *genSleep {
	s := &genSleep{id: fmt.Sprintf("slp_%s_%s", a.short(), compact(d)), start: start, end: end, deviceModel: watchModel}
	t := start
	add := func(st wearables.SleepStage, minutes float64) bool {
		if !t.Before(end) {
			return false
		}
		e := t.Add(time.Duration(math.Max(minutes, 1)*60) * time.Second).Truncate(epoch)
		if !e.After(t) {
			e = t.Add(epoch)
		}
		if e.After(end) {
			e = end
		}
		if n := len(s.stages); n > 0 && s.stages[n-1].stage == st {
			s.stages[n-1].end = e
		} else {
			s.stages = append(s.stages, genStage{stage: st, start: t, end: e})
		}
		t = e
		return t.Before(end)
	}
	latency := r.between(4, 22)
	add(wearables.StageAwake, latency)
	s.latency = t.Sub(start)
	wake := end.Add(-time.Duration(r.between(2, 9)*60) * time.Second).Truncate(epoch)
	for cycle := 0; t.Before(wake); cycle++ {
		deep := [...]float64{r.between(22, 45), r.between(15, 35), r.between(4, 18)}
		dm := r.between(0, 6)
		if cycle < len(deep) {
			dm = deep[cycle]
		}
		rem := math.Min(6+6*float64(cycle)+r.between(-3, 5), 32)
		steps := []struct {
			st wearables.SleepStage
			m  float64
		}{
			{wearables.StageLight, r.between(22, 42)},
			{wearables.StageDeep, dm},
			{wearables.StageLight, r.between(8, 20)},
			{wearables.StageREM, rem},
		}
		for _, step := range steps {
			if step.m < 1 {
				continue
			}
			if !add(step.st, math.Min(step.m, wake.Sub(t).Minutes())) || !t.Before(wake) {
				break
			}
		}
		if t.Before(wake) && r.chance(0.35) {
			add(wearables.StageAwake, r.between(1, 6))
		}
	}
	for t.Before(end) {
		add(wearables.StageAwake, end.Sub(t).Minutes())
	}
	rest := a.restHR
	s.minHR = math.Round(rest - r.between(6, 11))
	s.avgHR = round1(rest - r.between(2, 5))
	s.avgHRV = round1(a.baseHRV * (1 + 0.12*r.noise()))
	s.resp = round1(r.between(12.5, 16))
	s.heartRateOffset = rest - s.avgHR
	return s
}

func (a account) napSession(d wearables.Date, r *rng, start, end time.Time) *genSleep {
	s := &genSleep{id: fmt.Sprintf("nap_%s_%s", a.short(), compact(d)), start: start, end: end, nap: true, deviceModel: watchModel}
	mid := start.Add(time.Duration(r.between(3, 9)*60) * time.Second).Truncate(epoch)
	s.stages = []genStage{{wearables.StageAwake, start, mid}, {wearables.StageLight, mid, end}}
	s.latency = mid.Sub(start)
	s.minHR = math.Round(a.restHR - r.between(2, 6))
	s.avgHR = round1(a.restHR + r.between(0, 4))
	s.avgHRV = round1(a.baseHRV * (0.9 + 0.1*r.noise()))
	s.resp = round1(r.between(13, 16.5))
	s.heartRateOffset = 0
	return s
}

func (a account) workout(d wearables.Date, r *rng, n int, sp sport, startMin float64) genWorkout {
	mins := math.Round(r.between(sp.minMin, sp.maxMin))
	w := genWorkout{
		id:    fmt.Sprintf("wo_%s_%s_%d", a.short(), compact(d), n+1),
		sport: sp,
		start: a.at(d, startMin).Truncate(time.Second).Add(time.Duration(r.intn(60)) * time.Second),
	}
	w.end = w.start.Add(time.Duration(mins*60+float64(r.intn(60))) * time.Second)
	hours := w.end.Sub(w.start).Hours()
	inten := r.between(sp.intensity[0], sp.intensity[1])
	w.avgHR = math.Round(a.restHR + inten*(a.maxHR-a.restHR))
	w.maxHR = math.Round(math.Min(w.avgHR+r.between(9, 24), a.maxHR))
	w.activeKcal = math.Round((sp.met - 1) * a.weight * hours)
	if sp.minSpeed > 0 {
		w.distance = round1(r.between(sp.minSpeed, sp.maxSpd) * w.end.Sub(w.start).Seconds())
		w.climb = math.Round(r.between(sp.climb[0], sp.climb[1]))
	}
	if sp.cadence > 0 {
		w.steps = int(math.Round((sp.cadence + 6*r.noise()) * w.end.Sub(w.start).Minutes()))
	}
	// Time in zones of %HRmax: 50-60, 60-70, 70-80, 80-90, 90-100.
	total := int(w.end.Sub(w.start).Seconds())
	center := int(clamp(math.Floor((w.avgHR/a.maxHR-0.5)*10), 0, 4))
	weights := [5]float64{}
	weights[center] = 0.6
	if center > 0 {
		weights[center-1] += 0.25
	} else {
		weights[center] += 0.25
	}
	if center < 4 {
		weights[center+1] += 0.15
	} else {
		weights[center] += 0.15
	}
	left := total
	for z := range 5 {
		secs := int(math.Round(weights[z] * float64(total)))
		left -= secs
		w.zones = append(w.zones, genZone{zone: z + 1, minBPM: math.Round(a.maxHR * (0.5 + 0.1*float64(z))), maxBPM: math.Round(a.maxHR * (0.6 + 0.1*float64(z))), seconds: secs})
	}
	w.zones[center].seconds += left
	return w
}

// short is the account's short form used in record ids.
func (a account) short() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], a.key)
	return fmt.Sprintf("%x", b[:4])
}

func compact(d wearables.Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day) }

// Device models of the synthetic person.
const (
	watchModel = "Demo Watch 2"
	scaleModel = "Demo Scale S1"
)

// minuteState says what the person does during one minute, for heart rate
// and steps.
type minuteState struct {
	sleep   *genSleep
	stage   wearables.SleepStage
	workout *genWorkout
}

// timeline answers what happens at an instant on day d, from the day's own
// events and the next day's main sleep (which starts this evening).
type timeline struct {
	sleeps   []*genSleep
	workouts []genWorkout
}

func (a account) timeline(d wearables.Date) (genDay, timeline) {
	today := a.day(d)
	next := a.day(d.AddDays(1))
	tl := timeline{workouts: today.workouts}
	for _, s := range []*genSleep{today.sleep, today.nap, next.sleep} {
		if s != nil {
			tl.sleeps = append(tl.sleeps, s)
		}
	}
	return today, tl
}

func (tl timeline) at(t time.Time) minuteState {
	for _, s := range tl.sleeps {
		if !t.Before(s.start) && t.Before(s.end) {
			st := wearables.StageLight
			for _, g := range s.stages {
				if !t.Before(g.start) && t.Before(g.end) {
					st = g.stage
					break
				}
			}
			return minuteState{sleep: s, stage: st}
		}
	}
	for i := range tl.workouts {
		w := &tl.workouts[i]
		if !t.Before(w.start) && t.Before(w.end) {
			return minuteState{workout: w}
		}
	}
	return minuteState{}
}

// heartRate returns the 1-minute heart rate of day d: 1,440 readings, one
// per local minute (a dropout minute reads 0).
func (a account) heartRate(d wearables.Date) []hrPoint {
	day, tl := a.timeline(d)
	r := a.rng(d, saltHeart+100)
	base := d.In(a.loc)
	out := make([]hrPoint, 0, 24*60)
	walk := 0.0
	for m := range 24 * 60 {
		t := base.Add(time.Duration(m) * time.Minute)
		walk = 0.82*walk + 1.6*r.noise()
		st := tl.at(t)
		var v float64
		switch {
		case st.sleep != nil:
			v = a.restHR - st.sleep.heartRateOffset - 3
			switch st.stage {
			case wearables.StageDeep:
				v -= 4
			case wearables.StageREM:
				v += 3
			case wearables.StageAwake:
				v += 7
			}
			v += 0.5 * walk
		case st.workout != nil:
			w := st.workout
			into := t.Sub(w.start).Minutes()
			ramp := math.Min(into/6, 1)
			v = a.restHR + 15 + ramp*(w.avgHR-a.restHR-15) + 1.5*walk
			v = math.Min(v, w.maxHR)
		default:
			hour := float64(m) / 60
			v = a.restHR + 16 + activityBump(hour) + 2*walk
		}
		bpm := int(clamp(math.Round(v), 38, 205))
		if m == day.dropout {
			bpm = 0
		}
		out = append(out, hrPoint{t: t, bpm: bpm})
	}
	return out
}

type hrPoint struct {
	t   time.Time
	bpm int
}

// activityBump raises daytime heart rate around commutes and lunch.
func activityBump(hour float64) float64 {
	switch {
	case hour >= 7.5 && hour < 9:
		return 10
	case hour >= 12 && hour < 13:
		return 7
	case hour >= 17 && hour < 18.5:
		return 9
	case hour >= 22:
		return -4
	}
	return 0
}

// stepsPoint is one 15-minute step count.
type stepsPoint struct {
	start time.Time
	steps int
}

// steps returns the non-zero 15-minute step counts of day d.
func (a account) steps(d wearables.Date) []stepsPoint {
	_, tl := a.timeline(d)
	r := a.rng(d, saltSteps)
	base := d.In(a.loc)
	perSlot := a.dailySteps / (16 * 4)
	var out []stepsPoint
	for q := range 24 * 4 {
		start := base.Add(time.Duration(q) * 15 * time.Minute)
		total := 0.0
		for m := 0; m < 15; m += 5 {
			st := tl.at(start.Add(time.Duration(m) * time.Minute))
			switch {
			case st.sleep != nil:
			case st.workout != nil && st.workout.sport.cadence > 0:
				total += st.workout.sport.cadence * 5 * r.between(0.9, 1.05)
			case st.workout != nil:
				total += r.between(0, 40)
			default:
				hour := float64(q) / 4
				total += perSlot / 3 * (1 + activityBump(hour)/8) * r.between(0.1, 2)
			}
		}
		if n := int(math.Round(total)); n > 0 {
			out = append(out, stepsPoint{start: start, steps: n})
		}
	}
	return out
}

// nightPoint is one HRV or SpO2 reading during the main sleep.
type nightPoint struct {
	t time.Time
	v float64
}

// hrv returns RMSSD readings every 5 minutes of the main sleep ending on d.
func (a account) hrv(d wearables.Date) []nightPoint {
	day := a.day(d)
	s := day.sleep
	r := a.rng(d, saltNight)
	var out []nightPoint
	for t := s.start.Add(5 * time.Minute).Truncate(5 * time.Minute); t.Before(s.end); t = t.Add(5 * time.Minute) {
		bonus := 0.0
		switch (timeline{sleeps: []*genSleep{s}}).at(t).stage {
		case wearables.StageDeep:
			bonus = 0.18
		case wearables.StageAwake:
			bonus = -0.2
		}
		out = append(out, nightPoint{t: t, v: round1(clamp(s.avgHRV*(1+bonus+0.15*r.noise()), 8, 250))})
	}
	return out
}

// spo2 returns SpO2 readings every 10 minutes of the main sleep ending on d.
func (a account) spo2(d wearables.Date) []nightPoint {
	s := a.day(d).sleep
	r := a.rng(d, saltNight+100)
	var out []nightPoint
	for t := s.start.Add(10 * time.Minute).Truncate(10 * time.Minute); t.Before(s.end); t = t.Add(10 * time.Minute) {
		out = append(out, nightPoint{t: t, v: round1(clamp(96.4+1.1*r.noise(), 89, 100))})
	}
	return out
}
