// Package exportgen writes synthetic Apple Health exports (export.xml) of
// any size for tests and benchmarks. Output is deterministic: the same
// Config always produces the same bytes.
//
// A generated export looks like a real one: the inline DTD, ExportDate and
// Me, then day after day heart rate, steps, distance, energy, SpO2 (as
// fractions), HRV with its beat-to-beat metadata list, respiratory rate,
// stand hours, exercise and stand time from an Apple Watch and an iPhone;
// weight in pounds and body fat from a Withings scale; blood glucose in
// Apple's mmol<180.15…>/L unit; blood pressure correlations; body
// temperature in °F; Watch sleep stages and iPhone in-bed intervals, with
// naps; workouts with statistics, events, metadata and route references;
// activity summaries; a few types and elements the importer does not know.
// Dates are local to America/Los_Angeles (by default), so the offsets change
// at every DST transition. Entities appear where Apple writes them (the
// device attribute) and in a source name with an ampersand.
//
// Unlike a real export, records are written day by day rather than grouped
// by type; the importer does not depend on the order.
package exportgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Config says what to generate.
type Config struct {
	// Seed makes the output reproducible. Defaults to 1.
	Seed uint64
	// Size is the approximate size in bytes: generation stops after the day
	// during which it is reached. When zero, Days is used.
	Size int64
	// Days is the number of days to generate when Size is zero. Defaults to 7.
	Days int
	// Start is the first day. Defaults to 2016-01-01.
	Start time.Time
	// Zone is the zone local times are written in. Defaults to
	// America/Los_Angeles (UTC-8/-7 with DST); UTC when the zone database is
	// missing.
	Zone *time.Location
	// TwelveHour writes dates in the older 12-hour form
	// ("2021-12-24 8:02:43 PM -0500").
	TwelveHour bool
}

// Stats is what Write wrote.
type Stats struct {
	Bytes          int64
	Days           int
	Records        int64 // Record elements, including those inside correlations
	Workouts       int64
	Correlations   int64
	Summaries      int64
	SleepIntervals int64
	Unknown        int64 // records of types and elements the importer does not know
}

// Write writes an export to w.
func Write(w io.Writer, cfg Config) (Stats, error) {
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Days <= 0 {
		cfg.Days = 7
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if cfg.Zone == nil {
		loc, err := time.LoadLocation("America/Los_Angeles")
		if err != nil {
			loc = time.UTC
		}
		cfg.Zone = loc
	}
	cw := &countWriter{w: w}
	g := &gen{
		w:   bufio.NewWriterSize(cw, 1<<20),
		cw:  cw,
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		cfg: cfg,
	}
	g.header()
	day := time.Date(cfg.Start.Year(), cfg.Start.Month(), cfg.Start.Day(), 0, 0, 0, 0, cfg.Zone)
	for {
		if cfg.Size > 0 {
			if g.written() >= cfg.Size {
				break
			}
		} else if g.st.Days >= cfg.Days {
			break
		}
		g.day(day, g.st.Days)
		g.st.Days++
		day = day.AddDate(0, 0, 1)
		if g.err != nil {
			return g.st, g.err
		}
	}
	g.str("</HealthData>\n")
	if err := g.w.Flush(); err != nil {
		return g.st, fmt.Errorf("exportgen: write: %w", err)
	}
	if g.err != nil {
		return g.st, g.err
	}
	g.st.Bytes = cw.n
	return g.st, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type gen struct {
	w   *bufio.Writer
	cw  *countWriter
	rng *rand.Rand
	cfg Config
	st  Stats
	b   []byte
	err error
}

func (g *gen) written() int64 { return g.cw.n + int64(g.w.Buffered()) }

func (g *gen) str(s string) {
	if _, err := g.w.WriteString(s); err != nil && g.err == nil {
		g.err = fmt.Errorf("exportgen: write: %w", err)
	}
}

func (g *gen) flushB() {
	if _, err := g.w.Write(g.b); err != nil && g.err == nil {
		g.err = fmt.Errorf("exportgen: write: %w", err)
	}
	g.b = g.b[:0]
}

const dtd = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!-- Note: Any Records that appear as children of a correlation also appear as top-level records in this document. -->
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics|WorkoutActivity)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  activeEnergyBurnedGoal   CDATA #IMPLIED
  activeEnergyBurnedUnit   CDATA #IMPLIED
  appleMoveTime            CDATA #IMPLIED
  appleMoveTimeGoal        CDATA #IMPLIED
  appleExerciseTime        CDATA #IMPLIED
  appleExerciseTimeGoal    CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
  appleStandHoursGoal      CDATA #IMPLIED
>
]>
`

func (g *gen) header() {
	g.str(dtd)
	g.str("<HealthData locale=\"en_US\">\n")
	g.b = append(g.b, " <ExportDate value=\""...)
	g.b = g.appendDate(g.b, g.cfg.Start.AddDate(30, 0, 0))
	g.b = append(g.b, "\"/>\n"...)
	g.b = append(g.b, ` <Me HKCharacteristicTypeIdentifierDateOfBirth="1985-06-15" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>`+"\n"...)
	g.flushB()
}

// appendDate writes t in the export's form, local to the configured zone.
func (g *gen) appendDate(b []byte, t time.Time) []byte {
	t = t.In(g.cfg.Zone)
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = appendInt(b, y, 4)
	b = append(b, '-')
	b = appendInt(b, int(mo), 2)
	b = append(b, '-')
	b = appendInt(b, d, 2)
	b = append(b, ' ')
	pm := false
	if g.cfg.TwelveHour {
		pm = h >= 12
		h %= 12
		if h == 0 {
			h = 12
		}
		b = strconv.AppendInt(b, int64(h), 10)
	} else {
		b = appendInt(b, h, 2)
	}
	b = append(b, ':')
	b = appendInt(b, mi, 2)
	b = append(b, ':')
	b = appendInt(b, s, 2)
	if g.cfg.TwelveHour {
		if pm {
			b = append(b, " PM"...)
		} else {
			b = append(b, " AM"...)
		}
	}
	_, off := t.Zone()
	b = append(b, ' ')
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, '+')
	}
	b = appendInt(b, off/3600, 2)
	b = appendInt(b, off/60%60, 2)
	return b
}

func appendInt(b []byte, v, width int) []byte {
	var tmp [8]byte
	i := len(tmp)
	for v > 0 || i > len(tmp)-width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[i:]...)
}

// source is a writer of records as it appears in the export.
type source struct {
	name, version string
	device        string // the HKDevice description after its address; "" for none
}

// appendDevice writes the device attribute: Apple prints the HKDevice
// object's address first, and it differs from record to record.
func (g *gen) appendDevice(b []byte, src source) []byte {
	b = append(b, `" device="&lt;&lt;HKDevice: 0x28`...)
	b = strconv.AppendUint(b, 0x1000000+g.rng.Uint64N(0xf000000), 16)
	b = append(b, "&gt;, "...)
	return append(b, src.device...)
}

var (
	watchOld = source{"Jane’s Apple Watch", "7.6.2", "name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch5,4, software:7.6.2&gt;"}
	watchNew = source{"Jane’s Apple Watch", "10.1", "name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,12, software:10.1, creation date:2023-10-01 09:12:44 +0000&gt;"}
	iphone   = source{"Jane’s iPhone", "17.2", "name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:17.2&gt;"}
	scale    = source{"Withings", "6.3.1", "name:Body+, manufacturer:Withings, model:WBS05, hardware:WBS05, software:1.2&gt;"}
	health   = source{"Health", "17.2", ""}
	sleepApp = source{"Sleep &amp; Wake", "3.1", ""}
)

func (g *gen) watch(dayIndex int) source {
	if dayIndex%1000 < 500 {
		return watchOld
	}
	return watchNew
}

// record writes one Record element; meta is written as MetadataEntry
// children (key, value pairs).
func (g *gen) record(typ string, src source, unit string, start, end time.Time, value string, meta ...string) {
	b := g.b
	b = append(b, ` <Record type="`...)
	b = append(b, typ...)
	b = append(b, `" sourceName="`...)
	b = append(b, src.name...)
	b = append(b, `" sourceVersion="`...)
	b = append(b, src.version...)
	if src.device != "" {
		b = g.appendDevice(b, src)
	}
	if unit != "" {
		b = append(b, `" unit="`...)
		b = append(b, unit...)
	}
	b = append(b, `" creationDate="`...)
	b = g.appendDate(b, end.Add(time.Duration(g.rng.IntN(600))*time.Second))
	b = append(b, `" startDate="`...)
	b = g.appendDate(b, start)
	b = append(b, `" endDate="`...)
	b = g.appendDate(b, end)
	b = append(b, `" value="`...)
	b = append(b, value...)
	if len(meta) == 0 {
		b = append(b, "\"/>\n"...)
	} else {
		b = append(b, "\">\n"...)
		for i := 0; i+1 < len(meta); i += 2 {
			b = append(b, `  <MetadataEntry key="`...)
			b = append(b, meta[i]...)
			b = append(b, `" value="`...)
			b = append(b, meta[i+1]...)
			b = append(b, "\"/>\n"...)
		}
		b = append(b, " </Record>\n"...)
	}
	g.b = b
	g.st.Records++
	g.flushB()
}

func num(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }

const (
	q = "HKQuantityTypeIdentifier"
	c = "HKCategoryTypeIdentifier"
)

// day writes one day of data starting at local midnight day0.
func (g *gen) day(day0 time.Time, idx int) {
	r := g.rng
	watch := g.watch(idx)
	at := func(h, m int) time.Time {
		return time.Date(day0.Year(), day0.Month(), day0.Day(), h, m, 0, 0, g.cfg.Zone)
	}

	// Sleep: the night that ends this morning. Watch stages and iPhone in bed.
	g.sleep(at(0, 0).Add(-time.Duration(60+r.IntN(90))*time.Minute), watch)

	// Heart rate every few minutes, instant samples.
	for t := at(0, 2+r.IntN(4)); t.Before(at(23, 55)); t = t.Add(time.Duration(3+r.IntN(5)) * time.Minute) {
		hr := 55 + r.IntN(40)
		if t.Hour() >= 7 && t.Hour() < 21 && r.IntN(6) == 0 {
			hr += 30 + r.IntN(60)
		}
		if r.IntN(8) == 0 {
			g.record(q+"HeartRate", watch, "count/min", t, t, strconv.Itoa(hr), "HKMetadataKeyHeartRateMotionContext", strconv.Itoa(r.IntN(3)))
		} else {
			g.record(q+"HeartRate", watch, "count/min", t, t, strconv.Itoa(hr))
		}
	}
	// Steps and distance: iPhone and Watch, overlapping.
	for t := at(7, r.IntN(30)); t.Before(at(22, 0)); t = t.Add(time.Duration(6+r.IntN(10)) * time.Minute) {
		end := t.Add(time.Duration(1+r.IntN(5)) * time.Minute)
		steps := 20 + r.IntN(600)
		g.record(q+"StepCount", iphone, "count", t, end, strconv.Itoa(steps))
		g.record(q+"DistanceWalkingRunning", iphone, "km", t, end, num(float64(steps)*0.00072, 5))
		if r.IntN(3) > 0 {
			ws := steps + r.IntN(40) - 20
			if ws < 1 {
				ws = 1
			}
			g.record(q+"StepCount", watch, "count", t.Add(time.Minute), end.Add(time.Minute), strconv.Itoa(ws))
		}
	}
	// Energy from the Watch.
	for t := at(0, r.IntN(10)); t.Before(at(23, 50)); t = t.Add(time.Duration(4+r.IntN(4)) * time.Minute) {
		end := t.Add(time.Minute)
		g.record(q+"ActiveEnergyBurned", watch, "Cal", t, end, num(0.05+r.Float64()*4, 3))
		if r.IntN(2) == 0 {
			g.record(q+"BasalEnergyBurned", watch, "kcal", t, end, num(0.9+r.Float64()*0.3, 3))
		}
	}
	// SpO2 as fractions, respiratory rate at night, HRV with its beat list.
	// Times only move forward, so no two records of a type share a start
	// (the sample key): re-importing an export then changes nothing.
	for t := at(0, r.IntN(60)); t.Before(at(23, 0)); t = t.Add(time.Duration(150+r.IntN(150)) * time.Minute) {
		g.record(q+"OxygenSaturation", watch, "%", t, t, num(0.93+r.Float64()*0.07, 2))
	}
	for t := at(0, r.IntN(30)); t.Before(at(6, 0)); t = t.Add(time.Duration(35+r.IntN(20)) * time.Minute) {
		g.record(q+"RespiratoryRate", watch, "count/min", t, t.Add(time.Duration(r.IntN(300))*time.Second), num(12+r.Float64()*6, 1))
	}
	for t := at(r.IntN(4), r.IntN(60)); t.Before(at(23, 0)); t = t.Add(time.Duration(300+r.IntN(120)) * time.Minute) {
		g.hrv(watch, t)
	}
	g.record(q+"RestingHeartRate", watch, "count/min", at(0, 5), at(23, 55), strconv.Itoa(50+r.IntN(15)))
	g.record(q+"WalkingHeartRateAverage", watch, "count/min", at(8, 0), at(20, 0), strconv.Itoa(90+r.IntN(20)))
	// Stand hours, exercise and stand time.
	for h := 7; h < 23; h++ {
		v := "HKCategoryValueAppleStandHourStood"
		if r.IntN(4) == 0 {
			v = "HKCategoryValueAppleStandHourIdle"
		}
		g.record(c+"AppleStandHour", watch, "", at(h, 0), at(h+1, 0), v)
	}
	for t := at(7, r.IntN(30)); t.Before(at(21, 0)); t = t.Add(time.Duration(15+r.IntN(40)) * time.Minute) {
		g.record(q+"AppleExerciseTime", watch, "min", t, t.Add(time.Minute), "1")
		g.record(q+"AppleStandTime", watch, "min", t, t.Add(time.Duration(1+r.IntN(4))*time.Minute), strconv.Itoa(1+r.IntN(4)))
	}
	g.record(q+"FlightsClimbed", iphone, "count", at(12, r.IntN(60)), at(12, 59), strconv.Itoa(1+r.IntN(5)))
	// Body measurements from the scale (pounds), glucose, temperature.
	if idx%3 == 0 {
		t := at(7, r.IntN(30))
		g.record(q+"BodyMass", scale, "lb", t, t, num(150+r.Float64()*8, 1))
		g.record(q+"BodyFatPercentage", scale, "%", t, t, num(0.24+r.Float64()*0.03, 3))
		g.record(q+"BodyMassIndex", scale, "count", t, t, num(23+r.Float64(), 1))
	}
	if idx%5 == 0 {
		t := at(8, r.IntN(60))
		g.record(q+"BloodGlucose", health, "mmol&lt;180.15588000005408&gt;/L", t, t, num(4.5+r.Float64()*2, 1), "HKWasUserEntered", "1", "HKBloodGlucoseMealTime", "1")
		g.record(q+"BodyTemperature", health, "degF", t, t, num(97.5+r.Float64()*1.5, 1), "HKWasUserEntered", "1")
	}
	if idx%7 == 0 {
		g.bloodPressure(at(9, r.IntN(60)))
	}
	if idx%4 == 0 {
		t := at(13, r.IntN(60))
		g.record(q+"DietaryWater", health, "mL", t, t, strconv.Itoa(250+r.IntN(250)), "HKWasUserEntered", "1")
		g.record(q+"DietaryVitaminC", health, "mg", t, t, "60") // not in the catalog
		g.st.Unknown++
	}
	if idx%11 == 0 {
		t := at(14, r.IntN(60))
		g.record(c+"HandwashingEvent", watch, "", t, t.Add(20*time.Second), "HKCategoryValueNotApplicable") // not in the catalog
		g.record(c+"MindfulSession", watch, "", t.Add(time.Hour), t.Add(time.Hour+5*time.Minute), "")
		g.st.Unknown++
	}
	if idx%13 == 0 {
		g.nap(at(14, r.IntN(40)), watch)
	}
	if idx%97 == 0 {
		g.str(" <VisionPrescription type=\"glasses\" dateIssued=\"2020-01-01 00:00:00 -0800\"/>\n") // unknown element
		g.st.Unknown++
	}
	if r.IntN(10) < 7 {
		g.workout(at(6+r.IntN(12), r.IntN(60)), watch, idx)
	}
	g.activitySummary(day0)
}

func (g *gen) sleep(bed time.Time, watch source) {
	r := g.rng
	t := bed
	wake := bed.Add(time.Duration(6*60+r.IntN(150)) * time.Minute)
	g.record(c+"SleepAnalysis", iphone, "", bed.Add(-10*time.Minute), wake.Add(5*time.Minute), "HKCategoryValueSleepAnalysisInBed")
	g.st.SleepIntervals++
	stages := []string{"AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake"}
	t = t.Add(time.Duration(5+r.IntN(20)) * time.Minute)
	for i := 0; t.Before(wake); i++ {
		d := time.Duration(5+r.IntN(40)) * time.Minute
		end := t.Add(d)
		if end.After(wake) {
			end = wake
		}
		st := stages[i%len(stages)]
		if st == "Awake" {
			end = t.Add(time.Duration(1+r.IntN(4)) * time.Minute)
		}
		g.record(c+"SleepAnalysis", watch, "", t, end, "HKCategoryValueSleepAnalysis"+st)
		g.st.SleepIntervals++
		t = end
	}
}

func (g *gen) nap(start time.Time, watch source) {
	end := start.Add(time.Duration(20+g.rng.IntN(40)) * time.Minute)
	g.record(c+"SleepAnalysis", watch, "", start, end, "HKCategoryValueSleepAnalysisAsleepUnspecified")
	g.record(c+"SleepAnalysis", sleepApp, "", start.Add(-5*time.Minute), end.Add(5*time.Minute), "HKCategoryValueSleepAnalysisInBed")
	g.st.SleepIntervals += 2
}

func (g *gen) hrv(src source, t time.Time) {
	r := g.rng
	b := g.b
	b = append(b, ` <Record type="HKQuantityTypeIdentifierHeartRateVariabilitySDNN" sourceName="`...)
	b = append(b, src.name...)
	b = append(b, `" sourceVersion="`...)
	b = append(b, src.version...)
	b = g.appendDevice(b, src)
	b = append(b, `" unit="ms" creationDate="`...)
	b = g.appendDate(b, t.Add(time.Minute))
	b = append(b, `" startDate="`...)
	b = g.appendDate(b, t)
	b = append(b, `" endDate="`...)
	b = g.appendDate(b, t.Add(time.Minute))
	b = append(b, `" value="`...)
	b = append(b, num(20+r.Float64()*60, 4)...)
	b = append(b, "\">\n  <HeartRateVariabilityMetadataList>\n"...)
	for i := 0; i < 8; i++ {
		b = append(b, `   <InstantaneousBeatsPerMinute bpm="`...)
		b = strconv.AppendInt(b, int64(55+r.IntN(20)), 10)
		b = append(b, `" time="`...)
		b = append(b, t.Add(time.Duration(i)*time.Second).In(g.cfg.Zone).Format("3:04:05.00 PM")...)
		b = append(b, "\"/>\n"...)
	}
	b = append(b, "  </HeartRateVariabilityMetadataList>\n </Record>\n"...)
	g.b = b
	g.st.Records++
	g.flushB()
}

func (g *gen) bloodPressure(t time.Time) {
	r := g.rng
	sys, dia := strconv.Itoa(110+r.IntN(25)), strconv.Itoa(70+r.IntN(15))
	b := g.b
	b = append(b, ` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="Withings" sourceVersion="6.3.1" creationDate="`...)
	b = g.appendDate(b, t)
	b = append(b, `" startDate="`...)
	b = g.appendDate(b, t)
	b = append(b, `" endDate="`...)
	b = g.appendDate(b, t)
	b = append(b, "\">\n  <MetadataEntry key=\"Modified Date\" value=\"2020-01-01 00:00:00 +0000\"/>\n"...)
	g.b = b
	g.flushB()
	g.record(q+"BloodPressureSystolic", scale, "mmHg", t, t, sys)
	g.record(q+"BloodPressureDiastolic", scale, "mmHg", t, t, dia)
	g.str(" </Correlation>\n")
	g.st.Correlations++
	// Apple writes the components at the top level too.
	g.record(q+"BloodPressureSystolic", scale, "mmHg", t, t, sys)
	g.record(q+"BloodPressureDiastolic", scale, "mmHg", t, t, dia)
}

var workoutKinds = []struct {
	typ      string
	distType string
	speed    float64 // m/s
}{
	{"HKWorkoutActivityTypeRunning", "DistanceWalkingRunning", 2.9},
	{"HKWorkoutActivityTypeWalking", "DistanceWalkingRunning", 1.4},
	{"HKWorkoutActivityTypeCycling", "DistanceCycling", 6.5},
	{"HKWorkoutActivityTypeSwimming", "DistanceSwimming", 0.8},
	{"HKWorkoutActivityTypeTraditionalStrengthTraining", "", 0},
	{"HKWorkoutActivityTypeYoga", "", 0},
	{"HKWorkoutActivityTypeHighIntensityIntervalTraining", "", 0},
	{"HKWorkoutActivityTypeHiking", "DistanceWalkingRunning", 1.2},
}

func (g *gen) workout(start time.Time, watch source, idx int) {
	r := g.rng
	k := workoutKinds[r.IntN(len(workoutKinds))]
	mins := 20 + r.IntN(70)
	end := start.Add(time.Duration(mins)*time.Minute + time.Duration(r.IntN(60))*time.Second)
	dist := k.speed * float64(mins) * 60 / 1000 // km
	energy := float64(mins) * (5 + r.Float64()*6)
	legacy := idx%2 == 0 // before iOS 16 the totals were attributes
	b := g.b
	b = append(b, ` <Workout workoutActivityType="`...)
	b = append(b, k.typ...)
	b = append(b, `" duration="`...)
	b = append(b, num(float64(mins)-r.Float64()*2, 6)...)
	b = append(b, `" durationUnit="min"`...)
	if legacy {
		if k.distType != "" {
			b = append(b, ` totalDistance="`...)
			b = append(b, num(dist, 6)...)
			b = append(b, `" totalDistanceUnit="km"`...)
		}
		b = append(b, ` totalEnergyBurned="`...)
		b = append(b, num(energy, 4)...)
		b = append(b, `" totalEnergyBurnedUnit="kcal"`...)
	}
	b = append(b, ` sourceName="`...)
	b = append(b, watch.name...)
	b = append(b, `" sourceVersion="`...)
	b = append(b, watch.version...)
	b = g.appendDevice(b, watch)
	b = append(b, `" creationDate="`...)
	b = g.appendDate(b, end)
	b = append(b, `" startDate="`...)
	b = g.appendDate(b, start)
	b = append(b, `" endDate="`...)
	b = g.appendDate(b, end)
	b = append(b, "\">\n"...)
	meta := func(k, v string) {
		b = append(b, `  <MetadataEntry key="`...)
		b = append(b, k...)
		b = append(b, `" value="`...)
		b = append(b, v...)
		b = append(b, "\"/>\n"...)
	}
	meta("HKIndoorWorkout", strconv.Itoa(r.IntN(2)))
	if k.distType != "" && k.typ != "HKWorkoutActivityTypeSwimming" {
		meta("HKElevationAscended", strconv.Itoa(1000+r.IntN(20000))+" cm")
	}
	if k.typ == "HKWorkoutActivityTypeSwimming" {
		meta("HKSwimmingLocationType", strconv.Itoa(1+r.IntN(2)))
	}
	meta("HKTimeZone", g.cfg.Zone.String())
	meta("HKWeatherTemperature", num(50+r.Float64()*30, 0)+" degF")
	event := func(typ string, t time.Time, durMin float64) {
		b = append(b, `  <WorkoutEvent type="`...)
		b = append(b, typ...)
		b = append(b, `" date="`...)
		b = g.appendDate(b, t)
		if durMin > 0 {
			b = append(b, `" duration="`...)
			b = append(b, num(durMin, 6)...)
			b = append(b, `" durationUnit="min`...)
		}
		b = append(b, "\"/>\n"...)
	}
	pause := start.Add(time.Duration(mins/2) * time.Minute)
	event("HKWorkoutEventTypePause", pause, 0)
	event("HKWorkoutEventTypeResume", pause.Add(time.Minute), 0)
	if k.distType != "" {
		for s := 0; s*10 < mins; s++ {
			event("HKWorkoutEventTypeSegment", start.Add(time.Duration(s*10)*time.Minute), min(10, float64(mins-s*10)))
		}
	}
	stat := func(typ, unit string, attrs ...string) {
		b = append(b, `  <WorkoutStatistics type="`...)
		b = append(b, typ...)
		b = append(b, `" startDate="`...)
		b = g.appendDate(b, start)
		b = append(b, `" endDate="`...)
		b = g.appendDate(b, end)
		for i := 0; i+1 < len(attrs); i += 2 {
			b = append(b, `" `...)
			b = append(b, attrs[i]...)
			b = append(b, `="`...)
			b = append(b, attrs[i+1]...)
		}
		b = append(b, `" unit="`...)
		b = append(b, unit...)
		b = append(b, "\"/>\n"...)
	}
	stat(q+"ActiveEnergyBurned", "kcal", "sum", num(energy, 4))
	stat(q+"BasalEnergyBurned", "kcal", "sum", num(float64(mins)*1.1, 4))
	avg := 110 + r.IntN(40)
	stat(q+"HeartRate", "count/min", "average", strconv.Itoa(avg), "minimum", strconv.Itoa(avg-30), "maximum", strconv.Itoa(avg+25))
	if k.distType != "" {
		stat(q+k.distType, "km", "sum", num(dist, 6))
	}
	if k.typ == "HKWorkoutActivityTypeRunning" {
		stat(q+"RunningPower", "W", "average", strconv.Itoa(200+r.IntN(80)), "maximum", strconv.Itoa(320+r.IntN(80)))
		stat(q+"StepCount", "count", "sum", strconv.Itoa(mins*165))
	}
	if k.distType == "DistanceWalkingRunning" {
		b = append(b, "  <WorkoutRoute sourceName=\""...)
		b = append(b, watch.name...)
		b = append(b, "\" sourceVersion=\"10.1\" creationDate=\""...)
		b = g.appendDate(b, end)
		b = append(b, "\" startDate=\""...)
		b = g.appendDate(b, start)
		b = append(b, "\" endDate=\""...)
		b = g.appendDate(b, end)
		b = append(b, "\">\n   <FileReference path=\"/workout-routes/route_"...)
		b = append(b, start.In(g.cfg.Zone).Format("2006-01-02_3.04pm")...)
		b = append(b, ".gpx\"/>\n  </WorkoutRoute>\n"...)
	}
	b = append(b, " </Workout>\n"...)
	g.b = b
	g.st.Workouts++
	g.flushB()
}

func (g *gen) activitySummary(day0 time.Time) {
	r := g.rng
	b := g.b
	b = append(b, ` <ActivitySummary dateComponents="`...)
	b = append(b, day0.Format("2006-01-02")...)
	b = append(b, `" activeEnergyBurned="`...)
	b = append(b, num(200+r.Float64()*600, 3)...)
	b = append(b, `" activeEnergyBurnedGoal="500" activeEnergyBurnedUnit="Cal" appleMoveTime="0" appleMoveTimeGoal="0" appleExerciseTime="`...)
	b = strconv.AppendInt(b, int64(r.IntN(90)), 10)
	b = append(b, `" appleExerciseTimeGoal="30" appleStandHours="`...)
	b = strconv.AppendInt(b, int64(6+r.IntN(10)), 10)
	b = append(b, "\" appleStandHoursGoal=\"12\"/>\n"...)
	g.b = b
	g.st.Summaries++
	g.flushB()
}
