package applehealth

import (
	"bytes"
	"context"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/normalize"
)

// DefaultBatchSize is how many records a Decoder puts in one batch by default.
const DefaultBatchSize = 10_000

// DecodeOptions configures a Decoder. The zero value is ready to use.
type DecodeOptions struct {
	// BatchSize is the most records (samples, workouts, sleep sessions and
	// summaries together) one batch holds. Defaults to DefaultBatchSize.
	BatchSize int
	// MaxRejections bounds how many rejected records Stats keeps with their
	// details; all of them are counted. Defaults to 100.
	MaxRejections int
	// SleepSessionGap is the longest gap between two sleep intervals of one
	// source that still belong to the same session. Defaults to
	// DefaultSleepSessionGap.
	SleepSessionGap time.Duration

	// SkipValidation hands out records without normalize's plausibility
	// checks; the caller runs Stats.Validate on each batch itself (Import
	// does, concurrently with decoding).
	SkipValidation bool

	// stdlib selects the encoding/xml reference tokenizer (tests and
	// benchmarks compare it with the fast one).
	stdlib bool
}

// Stats counts what a Decoder read. Maps are keyed by the export's own
// identifiers (HKQuantityTypeIdentifierHeartRate, Workout …).
type Stats struct {
	// BytesRead is how many bytes of XML were consumed.
	BytesRead int64 `json:"bytes_read"`
	// Records counts Record elements (top-level and inside correlations);
	// Workouts, Correlations and Summaries count Workout, Correlation and
	// ActivitySummary elements.
	Records      int64 `json:"records"`
	Workouts     int64 `json:"workouts"`
	Correlations int64 `json:"correlations"`
	Summaries    int64 `json:"activity_summaries"`
	// Emitted counts the records handed out in batches, per kind.
	Emitted EmittedCounts `json:"emitted"`
	// ByType counts Record elements per type identifier.
	ByType map[string]int64 `json:"by_type"`
	// UnknownTypes counts Record types that map to nothing in the catalog;
	// UnknownElements counts elements the importer does not know. Neither is
	// fatal.
	UnknownTypes    map[string]int64 `json:"unknown_types,omitempty"`
	UnknownElements map[string]int64 `json:"unknown_elements,omitempty"`
	// Skipped counts elements that are known but not imported (workout
	// routes, which live in separate GPX files; clinical records; audiograms).
	Skipped map[string]int64 `json:"skipped,omitempty"`
	// Rejected counts records refused, by type and reason, digits replaced
	// by '#' so that one rule counts once ("heart_rate: Value: heart_rate
	// # bpm is outside the plausible range #–# bpm"). Records refused while
	// decoding are keyed by the export's type identifier, those refused by
	// normalize's plausibility checks by the series code or record kind.
	Rejected map[string]int64 `json:"rejected,omitempty"`
	// Rejections holds the first MaxRejections refused records in detail.
	Rejections []wearables.Rejection `json:"rejections,omitempty"`
}

// EmittedCounts counts records handed out in batches.
type EmittedCounts struct {
	Samples   int64 `json:"samples"`
	Workouts  int64 `json:"workouts"`
	Sleep     int64 `json:"sleep"`
	Summaries int64 `json:"summaries"`
}

// RejectedTotal is the number of rejected records.
func (s *Stats) RejectedTotal() int64 {
	var n int64
	for _, c := range s.Rejected {
		n += c
	}
	return n
}

// Decoder streams an export.xml into batches of normalized records. It
// holds one read buffer, the records of the batch being filled, and the
// sleep intervals of the night being assembled per source, so its memory does
// not grow with the size of the export. A Decoder is not safe for concurrent
// use.
type Decoder struct {
	tr    tokenReader
	opts  DecodeOptions
	stats Stats

	batch  *wearables.Batch
	sleep  *sleepAssembler
	srcs   sourceCache
	units  unitCache
	zones  map[string]*time.Location
	counts counters

	elems []elem // open elements
	rec   pendingRecord
	wk    pendingWorkout
	err   error // sticky: the fault, returned after the records before it
	done  bool
	tok   int
}

type elem uint8

const (
	elIgnore      elem = iota // a known element whose content is not imported
	elHealthData              // the root
	elRecord                  // a Record
	elCorrelation             // a Correlation
	elWorkout                 // a Workout
)

// NewDecoder returns a Decoder reading the export.xml stream r (use
// OpenExport for a path to export.xml or export.zip).
func NewDecoder(r io.Reader, opts DecodeOptions) *Decoder {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.MaxRejections <= 0 {
		opts.MaxRejections = 100
	}
	if opts.SleepSessionGap <= 0 {
		opts.SleepSessionGap = DefaultSleepSessionGap
	}
	d := &Decoder{opts: opts, zones: map[string]*time.Location{}}
	if opts.stdlib {
		d.tr = newStdTokenReader(r)
	} else {
		d.tr = newTokenizer(r)
	}
	d.sleep = newSleepAssembler(opts.SleepSessionGap)
	d.srcs.init()
	d.units.init()
	d.counts.init()
	d.stats.ByType = map[string]int64{}
	d.stats.UnknownTypes = map[string]int64{}
	d.stats.UnknownElements = map[string]int64{}
	d.stats.Skipped = map[string]int64{}
	d.stats.Rejected = map[string]int64{}
	d.newBatch()
	return d
}

func (d *Decoder) newBatch() {
	n := d.opts.BatchSize
	d.batch = &wearables.Batch{Samples: make([]wearables.Sample, 0, min(n, 1<<16))}
}

// Stats returns what the Decoder read so far. The maps are copies.
func (d *Decoder) Stats() Stats {
	d.counts.flush(&d.stats)
	s := d.stats
	s.BytesRead = d.tr.inputOffset()
	s.ByType = maps(d.stats.ByType)
	s.UnknownTypes = maps(d.stats.UnknownTypes)
	s.UnknownElements = maps(d.stats.UnknownElements)
	s.Skipped = maps(d.stats.Skipped)
	s.Rejected = maps(d.stats.Rejected)
	s.Rejections = slices.Clone(d.stats.Rejections)
	return s
}

// BytesRead is how many bytes of XML were consumed so far; cheaper than Stats.
func (d *Decoder) BytesRead() int64 { return d.tr.inputOffset() }

func maps(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Next returns the next batch of normalized records, with UserID empty. At
// the end of the export it returns io.EOF. A malformed or truncated export
// first yields the records completed before the fault, then an error
// wrapping a *SyntaxError that holds the byte offset and the reason. A
// cancelled ctx returns ctx.Err().
func (d *Decoder) Next(ctx context.Context) (*wearables.Batch, error) {
	if d.done {
		if d.err != nil {
			return nil, d.err
		}
		return nil, io.EOF
	}
	for d.batch.Len() < d.opts.BatchSize {
		d.tok++
		if d.tok&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t, err := d.tr.next()
		if err != nil {
			d.done = true
			if err != io.EOF {
				d.err = err // a *SyntaxError, which names the package itself
			} else if len(d.elems) != 0 {
				d.err = &SyntaxError{Offset: d.tr.inputOffset(), Reason: "unexpected end of input"}
			}
			d.sleep.flushAll(d.emitSleep)
			return d.takeBatch()
		}
		if t.kind == tokStart {
			d.start(t)
		} else {
			d.end(t)
		}
	}
	return d.takeBatch()
}

func (d *Decoder) takeBatch() (*wearables.Batch, error) {
	b := d.batch
	if !d.opts.SkipValidation {
		d.stats.Validate(b, d.opts.MaxRejections)
	}
	if b.Len() == 0 {
		if d.err != nil {
			return nil, d.err
		}
		return nil, io.EOF
	}
	d.newBatch()
	return b, nil
}

func (d *Decoder) push(e elem) { d.elems = append(d.elems, e) }

func (d *Decoder) parent() (elem, bool) {
	if len(d.elems) == 0 {
		return 0, false
	}
	return d.elems[len(d.elems)-1], true
}

func (d *Decoder) start(t *token) {
	parent, ok := d.parent()
	if !ok {
		if string(t.name) != "HealthData" {
			d.counts.unknownElement(t.name)
			d.push(elIgnore)
			return
		}
		d.push(elHealthData)
		return
	}
	switch parent {
	case elHealthData:
		switch string(t.name) {
		case "Record":
			d.stats.Records++
			d.beginRecord(t)
			d.push(elRecord)
		case "Workout":
			d.stats.Workouts++
			d.beginWorkout(t)
			d.push(elWorkout)
		case "Correlation":
			d.stats.Correlations++
			d.push(elCorrelation)
		case "ActivitySummary":
			d.stats.Summaries++
			d.activitySummary(t)
			d.push(elIgnore)
		case "ExportDate", "Me":
			d.push(elIgnore)
		case "ClinicalRecord", "Audiogram":
			d.counts.skipped(t.name)
			d.push(elIgnore)
		default:
			d.counts.unknownElement(t.name)
			d.push(elIgnore)
		}
	case elCorrelation:
		switch string(t.name) {
		case "Record":
			// The blood pressure or food components; exports usually hold
			// them at the top level too, and both collapse on the sample key.
			d.stats.Records++
			d.beginRecord(t)
			d.push(elRecord)
		case "MetadataEntry":
			d.push(elIgnore)
		default:
			d.counts.unknownElement(t.name)
			d.push(elIgnore)
		}
	case elRecord:
		switch string(t.name) {
		case "MetadataEntry":
			d.recordMetadata(t)
		case "HeartRateVariabilityMetadataList":
		default:
			d.counts.unknownElement(t.name)
		}
		d.push(elIgnore)
	case elWorkout:
		switch string(t.name) {
		case "MetadataEntry":
			d.workoutMetadata(t)
		case "WorkoutEvent":
			d.workoutEvent(t)
		case "WorkoutStatistics":
			d.workoutStatistics(t)
		case "WorkoutRoute":
			d.counts.skipped(t.name)
		case "WorkoutActivity":
			d.wk.activities++
		default:
			d.counts.unknownElement(t.name)
		}
		d.push(elIgnore)
	default:
		// Inside an element whose content is ignored.
		d.push(elIgnore)
	}
}

func (d *Decoder) end(t *token) {
	n := len(d.elems)
	if n == 0 {
		return
	}
	e := d.elems[n-1]
	d.elems = d.elems[:n-1]
	switch e {
	case elRecord:
		d.finishRecord()
	case elWorkout:
		d.finishWorkout()
	}
}

// Validate removes implausible records from b with normalize's validation
// (catalog ranges, plausible times and durations) and counts them in s:
// Rejected, Rejections (up to maxRejections kept) and Emitted. The Decoder
// calls it on every batch unless DecodeOptions.SkipValidation is set; Import
// sets it and calls Validate in its writer goroutines instead, so that
// validation runs in parallel with decoding.
func (s *Stats) Validate(b *wearables.Batch, maxRejections int) {
	for _, r := range normalize.ValidateBatch(b) {
		typ := string(r.Kind)
		switch r.Kind {
		case wearables.KindSample:
			typ = r.Type.Code()
			s.Emitted.Samples--
		case wearables.KindWorkout:
			s.Emitted.Workouts--
		case wearables.KindSleep:
			s.Emitted.Sleep--
		case wearables.KindDailySummary:
			s.Emitted.Summaries--
		}
		s.reject(typ, r, maxRejections)
	}
}

func (d *Decoder) reject(typ string, r wearables.Rejection) {
	d.stats.reject(typ, r, d.opts.MaxRejections)
}

// reject records a refused record.
func (s *Stats) reject(typ string, r wearables.Rejection, maxRejections int) {
	key := typ + ": " + r.Reason
	if r.Field != "" {
		key = typ + ": " + r.Field + ": " + r.Reason
	}
	if len(key) > 200 {
		key = key[:200]
	}
	if s.Rejected == nil {
		s.Rejected = map[string]int64{}
	}
	// Keep the reason classes few: numbers vary per record.
	s.Rejected[reasonClass(key)]++
	if len(s.Rejections) < maxRejections {
		s.Rejections = append(s.Rejections, r)
	}
}

// merge adds the rejections and emitted adjustments of o to s.
func (s *Stats) merge(o *Stats, maxRejections int) {
	for k, v := range o.Rejected {
		if s.Rejected == nil {
			s.Rejected = map[string]int64{}
		}
		s.Rejected[k] += v
	}
	for _, r := range o.Rejections {
		if len(s.Rejections) < maxRejections {
			s.Rejections = append(s.Rejections, r)
		}
	}
	s.Emitted.Samples += o.Emitted.Samples
	s.Emitted.Workouts += o.Emitted.Workouts
	s.Emitted.Sleep += o.Emitted.Sleep
	s.Emitted.Summaries += o.Emitted.Summaries
}

// reasonClass replaces digits in a reason with '#' so that "value 400
// outside 20..300" and "value 401 …" count together.
func reasonClass(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	b := []byte(s)
	out := b[:0]
	prevHash := false
	for _, c := range b {
		if c >= '0' && c <= '9' || (prevHash && c == '.') {
			if !prevHash {
				out = append(out, '#')
			}
			prevHash = true
			continue
		}
		prevHash = false
		out = append(out, c)
	}
	return string(out)
}

// ---- Records ----

type pendingRecord struct {
	skip     bool // unknown type or unparsable: consume children, emit nothing
	typ      recordType
	typeName []byte // valid only during beginRecord; see typeStr
	typeStr  string
	src      *sourceEntry
	start    time.Time
	end      time.Time
	offset   wearables.Offset
	value    []byte // raw, copied
	valueNum float64
	hasValue bool
	conv     normalize.Converter
	manual   bool
	zone     *time.Location
}

func (d *Decoder) beginRecord(t *token) {
	r := &d.rec
	*r = pendingRecord{value: r.value[:0]}
	var typ, unit, srcName, dev, start, end, value []byte
	for i := range t.attrs {
		a := &t.attrs[i]
		switch string(a.name) {
		case "type":
			typ = a.value
		case "unit":
			unit = a.value
		case "sourceName":
			srcName = a.value
		case "device":
			dev = a.value
		case "startDate":
			start = a.value
		case "endDate":
			end = a.value
		case "value":
			value = a.value
		}
	}
	rt, typeStr, known := d.counts.recordType(typ)
	r.typeStr = typeStr
	if !known {
		r.skip = true
		return
	}
	r.typ = rt
	r.src = d.srcs.lookup(srcName, dev)
	var ok bool
	r.start, r.offset, ok = parseDate(start)
	if !ok {
		d.rejectRecord(r, "startDate", "malformed date "+strconv.Quote(truncate(start)))
		return
	}
	var endOff wearables.Offset
	r.end, endOff, ok = parseDate(end)
	if !ok {
		d.rejectRecord(r, "endDate", "malformed date "+strconv.Quote(truncate(end)))
		return
	}
	_ = endOff
	if r.end.Before(r.start) {
		d.rejectRecord(r, "endDate", "end before start")
		return
	}
	switch rt.kind {
	case kindQuantity:
		v, ok := parseFloat(value)
		if !ok {
			d.rejectRecord(r, "value", "malformed number "+strconv.Quote(truncate(value)))
			return
		}
		conv, err := d.units.converter(rt.series, unit)
		if err != nil {
			d.rejectRecord(r, "unit", err.Error())
			return
		}
		r.conv = conv
		r.valueNum, r.hasValue = v, true
	case kindSleep, kindStandHour:
		r.value = append(r.value, value...)
	}
}

func truncate(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func (d *Decoder) rejectRecord(r *pendingRecord, field, reason string) {
	r.skip = true
	d.reject(r.typeStr, wearables.Rejection{Kind: wearables.KindSample, Type: r.typ.series, Time: r.start, Field: field, Reason: reason})
}

func (d *Decoder) recordMetadata(t *token) {
	r := &d.rec
	if r.skip {
		return
	}
	key, _ := t.attrValue("key")
	val, _ := t.attrValue("value")
	switch string(key) {
	case "HKTimeZone", "HKMetadataKeyTimeZone":
		// HKMetadataKeyTimeZone's value is "HKTimeZone"; accept its name too.
		r.zone = d.zone(val)
	case "HKWasUserEntered":
		r.manual = string(val) == "1"
	}
}

// zone loads (and caches) an IANA zone named in HKMetadataKeyTimeZone; nil
// when unknown.
func (d *Decoder) zone(name []byte) *time.Location {
	if loc, ok := d.zones[string(name)]; ok {
		return loc
	}
	loc, err := time.LoadLocation(string(name))
	if err != nil || len(name) == 0 {
		loc = nil
		d.counts.unknownElementStr("HKMetadataKeyTimeZone=" + truncate(name))
	}
	d.zones[string(name)] = loc
	return loc
}

// offsetAt is the record's offset: its zone's at t when the record named
// one (HKMetadataKeyTimeZone), else the offset the export wrote.
func offsetAt(zone *time.Location, t time.Time, exported wearables.Offset) wearables.Offset {
	if zone == nil {
		return exported
	}
	_, off := t.In(zone).Zone()
	return wearables.Offset(off)
}

func (d *Decoder) finishRecord() {
	r := &d.rec
	if r.skip {
		return
	}
	src := r.src.source
	if r.manual {
		src = r.src.manual
	}
	off := offsetAt(r.zone, r.start, r.offset)
	s := wearables.Sample{Source: src, Type: r.typ.series, Start: r.start, Offset: off}
	if r.end.After(r.start) {
		s.End = r.end
	}
	switch r.typ.kind {
	case kindQuantity:
		s.Value = r.conv.Convert(r.valueNum)
	case kindStandHour:
		switch string(r.value) {
		case "HKCategoryValueAppleStandHourStood":
			s.Value = 1
		case "HKCategoryValueAppleStandHourIdle":
			s.Value = 0
		default:
			d.rejectRecord(r, "value", "unknown stand hour value "+strconv.Quote(truncate(r.value)))
			return
		}
	case kindDuration:
		s.Value = r.end.Sub(r.start).Seconds()
	case kindSleep:
		stage, err := normalize.SchemeApple.Stage(string(r.value))
		if err != nil {
			d.rejectRecord(r, "value", "unknown sleep value "+strconv.Quote(truncate(r.value)))
			return
		}
		if !r.end.After(r.start) {
			d.rejectRecord(r, "endDate", "sleep interval has no duration")
			return
		}
		d.sleep.add(r.src, src, sleepInterval{stage: stage, start: r.start, end: r.end, offset: off}, d.emitSleep)
		return
	}
	d.batch.Samples = append(d.batch.Samples, s)
	d.stats.Emitted.Samples++
}

func (d *Decoder) emitSleep(s wearables.Sleep) {
	d.batch.Sleep = append(d.batch.Sleep, s)
	d.stats.Emitted.Sleep++
}

// ---- Activity summaries ----

func (d *Decoder) activitySummary(t *token) {
	var date []byte
	var energyUnit = []byte("kcal")
	var energy, move, exercise, stand []byte
	for i := range t.attrs {
		a := &t.attrs[i]
		switch string(a.name) {
		case "dateComponents":
			date = a.value
		case "activeEnergyBurned":
			energy = a.value
		case "activeEnergyBurnedUnit":
			energyUnit = a.value
		case "appleMoveTime":
			move = a.value
		case "appleExerciseTime":
			exercise = a.value
		case "appleStandHours":
			stand = a.value
		}
	}
	const typ = "ActivitySummary"
	day, err := wearables.ParseDate(string(date))
	if err != nil {
		d.reject(typ, wearables.Rejection{Kind: wearables.KindDailySummary, Field: "dateComponents", Reason: "malformed date " + strconv.Quote(truncate(date))})
		return
	}
	vals := make(map[wearables.SeriesType]float64, 4)
	add := func(st wearables.SeriesType, raw []byte, unit string) bool {
		if len(raw) == 0 {
			return true
		}
		v, ok := parseFloat(raw)
		if !ok {
			d.reject(typ, wearables.Rejection{Kind: wearables.KindDailySummary, Time: day.In(time.UTC), Field: st.Code(), Reason: "malformed number " + strconv.Quote(truncate(raw))})
			return false
		}
		conv, err := d.units.converterStr(st, unit)
		if err != nil {
			d.reject(typ, wearables.Rejection{Kind: wearables.KindDailySummary, Time: day.In(time.UTC), Field: st.Code(), Reason: err.Error()})
			return false
		}
		vals[st] = conv.Convert(v)
		return true
	}
	if !add(wearables.SeriesActiveEnergy, energy, string(energyUnit)) ||
		!add(wearables.SeriesMoveTime, move, "min") ||
		!add(wearables.SeriesExerciseTime, exercise, "min") ||
		!add(wearables.SeriesStandHours, stand, "count") {
		return
	}
	d.batch.Summaries = append(d.batch.Summaries, wearables.DailySummary{
		Source: activitySource,
		Kind:   wearables.SummaryActivity,
		Date:   day,
		Offset: wearables.NoOffset,
		Values: vals,
	})
	d.stats.Emitted.Summaries++
}

// activitySource is the source of ActivitySummary elements, which carry none:
// the Activity rings that the Watch (or the iPhone's fitness tracking) closes.
var activitySource = wearables.Source{Provider: wearables.ProviderAppleHealth, App: "Activity", DeviceType: wearables.DeviceUnknown}

// ---- Sources ----

// sourceEntry is a cached Source for one (sourceName, device) pair.
type sourceEntry struct {
	key    string // sourceName + "\x00" + device: identifies the pair
	source wearables.Source
	manual wearables.Source // the same with RecordingManual (HKWasUserEntered)
}

type sourceCache struct {
	m       map[string]*sourceEntry
	last    *sourceEntry
	keyBuf  []byte
	lastKey []byte
}

func (c *sourceCache) init() { c.m = map[string]*sourceEntry{} }

func (c *sourceCache) lookup(name, dev []byte) *sourceEntry {
	// The device description starts with the HKDevice object's address,
	// which differs between records of one device: leave it out of the key,
	// or the cache would grow with the export.
	if bytes.HasPrefix(dev, []byte("<<HKDevice:")) {
		if i := bytes.Index(dev, []byte(">, ")); i >= 0 {
			dev = dev[i+3:]
		}
	}
	c.keyBuf = append(append(append(c.keyBuf[:0], name...), 0), dev...)
	if c.last != nil && bytes.Equal(c.keyBuf, c.lastKey) {
		return c.last
	}
	e, ok := c.m[string(c.keyBuf)]
	if !ok {
		e = newSourceEntry(string(c.keyBuf), validUTF8(name), validUTF8(dev))
		c.m[e.key] = e
	}
	c.last = e
	c.lastKey = append(c.lastKey[:0], c.keyBuf...)
	return e
}

func validUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func newSourceEntry(key, name, dev string) *sourceEntry {
	dv := parseDevice(dev)
	src := wearables.Source{
		Provider:    wearables.ProviderAppleHealth,
		DeviceModel: deviceModel(dv),
		DeviceType:  deviceType(dv, name),
		App:         name,
	}.Normalized()
	manual := src
	manual.RecordingMethod = wearables.RecordingManual
	return &sourceEntry{key: key, source: src, manual: manual}
}

// ---- Units ----

// unitCache caches the converter of each (series type, unit string) pair:
// one entry per series type for the unit last seen, then a map.
type unitCache struct {
	last [256]struct {
		unit []byte
		conv normalize.Converter
		ok   bool
	}
	m   map[string]normalize.Converter
	key []byte
}

func (c *unitCache) init() { c.m = map[string]normalize.Converter{} }

func (c *unitCache) converter(st wearables.SeriesType, unit []byte) (normalize.Converter, error) {
	if int(st) < len(c.last) {
		e := &c.last[st]
		if e.ok && bytes.Equal(e.unit, unit) {
			return e.conv, nil
		}
	}
	c.key = append(append(strconv.AppendUint(c.key[:0], uint64(st), 10), ' '), unit...)
	conv, ok := c.m[string(c.key)]
	if !ok {
		var err error
		conv, err = normalize.AppleCanonicalConverter(st, string(unit))
		if err != nil {
			return conv, err
		}
		c.m[string(c.key)] = conv
	}
	if int(st) < len(c.last) {
		e := &c.last[st]
		e.unit, e.conv, e.ok = append(e.unit[:0], unit...), conv, true
	}
	return conv, nil
}

func (c *unitCache) converterStr(st wearables.SeriesType, unit string) (normalize.Converter, error) {
	return c.converter(st, []byte(unit))
}

// ---- Counters ----

// counters counts occurrences of byte-string keys without allocating on
// the hot path.
type counters struct {
	types       map[string]*typeCount
	lastType    []byte
	last        *typeCount
	unknownElem map[string]*int64
	skippedElem map[string]*int64
}

type typeCount struct {
	name  string
	rt    recordType
	known bool
	n     int64
}

func (c *counters) init() {
	c.types = map[string]*typeCount{}
	c.unknownElem = map[string]*int64{}
	c.skippedElem = map[string]*int64{}
}

// recordType counts a Record of type typ and returns how it is imported.
func (c *counters) recordType(typ []byte) (recordType, string, bool) {
	if c.last == nil || !bytes.Equal(typ, c.lastType) {
		tc, ok := c.types[string(typ)]
		if !ok {
			name := validUTF8(typ)
			rt, known := recordTypes[name]
			tc = &typeCount{name: name, rt: rt, known: known}
			c.types[name] = tc
		}
		c.last = tc
		c.lastType = append(c.lastType[:0], typ...)
	}
	c.last.n++
	return c.last.rt, c.last.name, c.last.known
}

func (c *counters) unknownElement(name []byte) { inc(c.unknownElem, name) }

func (c *counters) unknownElementStr(name string) { inc(c.unknownElem, []byte(name)) }

func (c *counters) skipped(name []byte) { inc(c.skippedElem, name) }

func inc(m map[string]*int64, key []byte) {
	p, ok := m[string(key)]
	if !ok {
		p = new(int64)
		m[validUTF8(key)] = p
	}
	*p++
}

// flush copies the counters into s.
func (c *counters) flush(s *Stats) {
	for name, tc := range c.types {
		s.ByType[name] = tc.n
		if !tc.known {
			s.UnknownTypes[name] = tc.n
		}
	}
	for k, p := range c.unknownElem {
		s.UnknownElements[k] = *p
	}
	for k, p := range c.skippedElem {
		s.Skipped[k] = *p
	}
}

// ---- Numbers ----

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat parses a decimal number. Plain decimals with at most 15
// significant digits take an exact fast path (the mantissa and the power of
// ten are both exact float64s, so one division rounds correctly, as
// strconv does); everything else goes through strconv.ParseFloat. NaN and
// infinities are refused.
func parseFloat(b []byte) (float64, bool) {
	i, neg := 0, false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg, i = b[0] == '-', 1
	}
	var mant uint64
	nd, frac := 0, 0
	dot := false
	start := i
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			if nd == 0 && c == '0' && !dot {
				continue // leading zero
			}
			mant = mant*10 + uint64(c-'0')
			nd++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			goto slow
		}
	}
	if i == start || (dot && i == start+1) || nd > 15 || frac > 22 {
		goto slow
	}
	{
		f := float64(mant) / pow10[frac]
		if neg {
			f = -f
		}
		return f, true
	}
slow:
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
