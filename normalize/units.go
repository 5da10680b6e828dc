package normalize

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wearables-go/wearables"
)

// Dimension is what a unit measures. Values convert only between units of
// the same dimension, with the exceptions ToCanonical documents.
type Dimension uint8

// Dimensions of the unit registry. Each has a base unit every other unit of
// the dimension is an affine function of.
const (
	DimNone               Dimension = iota + 1 // dimensionless: counts, scores, indices; base "count"
	DimTime                                    // base s
	DimLength                                  // base m
	DimMass                                    // base kg
	DimEnergy                                  // base kcal
	DimTemperature                             // absolute temperature; base degC
	DimTemperatureDelta                        // temperature difference; base degC_delta
	DimFraction                                // a share; base % (so 1 fraction = 100 %)
	DimFrequency                               // events per time; base per minute (bpm)
	DimMassConcentration                       // base mg/dL
	DimMolarConcentration                      // base mmol/L
	DimPressure                                // base mmHg
	DimOxygenUptake                            // base mL/(kg·min)
	DimVolume                                  // base L
	DimVolumeFlow                              // base L/min
	DimSpeed                                   // base m/s
	DimPower                                   // base W
	DimMET                                     // base MET (1 kcal/(kg·h))
	DimAreaDensity                             // base kg/m2 (body mass index)
	DimSoundLevel                              // base dBA
	DimIlluminance                             // base lx
	DimAngle                                   // base deg
	DimConductance                             // base uS
)

var dimNames = [...]string{
	DimNone: "dimensionless", DimTime: "time", DimLength: "length", DimMass: "mass", DimEnergy: "energy",
	DimTemperature: "temperature", DimTemperatureDelta: "temperature difference", DimFraction: "fraction",
	DimFrequency: "frequency", DimMassConcentration: "mass concentration", DimMolarConcentration: "molar concentration",
	DimPressure: "pressure", DimOxygenUptake: "oxygen uptake", DimVolume: "volume", DimVolumeFlow: "volume flow",
	DimSpeed: "speed", DimPower: "power", DimMET: "metabolic equivalent", DimAreaDensity: "area density",
	DimSoundLevel: "sound level", DimIlluminance: "illuminance", DimAngle: "angle", DimConductance: "conductance",
}

// String names the dimension ("length", "energy" …).
func (d Dimension) String() string {
	if int(d) < len(dimNames) && dimNames[d] != "" {
		return dimNames[d]
	}
	return "dimension(" + strconv.Itoa(int(d)) + ")"
}

// UnitSpec is a unit the registry knows: what it measures and how it maps
// onto the dimension's base unit (base = value·Scale + Offset).
type UnitSpec struct {
	Name      string    // the registry's spelling, e.g. "kcal", "mi", "degF"
	Dimension Dimension //
	Scale     float64   // base units per unit
	Offset    float64   // added after scaling; non-zero only for °F and K
	// MolarMass is the molar mass in g/mol a unit carries with it (Apple's
	// "mmol<180.15588000005408>/L"); 0 when it carries none.
	MolarMass float64
}

type unitRow struct {
	names         []string // first is the registry's spelling
	dim           Dimension
	scale, offset float64
}

// unitTable is the unit registry: every canonical unit of the series
// catalog and every unit a vendor sends. Spellings are matched exactly
// first, then case-insensitively when the lower-case spelling is unique
// ("Cal" is a kilocalorie, "cal" a calorie, so those two match exactly only).
var unitTable = []unitRow{
	// Dimensionless.
	{[]string{"count", "steps", "step", "strokes", "floors", "flights", "pushes", "puffs", "laps", "times", "1"}, DimNone, 1, 0},
	{[]string{"score", "points"}, DimNone, 1, 0},
	{[]string{"uv_index", "UV index", "uvi"}, DimNone, 1, 0},

	// Time.
	{[]string{"s", "sec", "secs", "second", "seconds"}, DimTime, 1, 0},
	{[]string{"ms", "msec", "millisecond", "milliseconds", "milli"}, DimTime, 1e-3, 0},
	{[]string{"us", "µs", "μs", "microsecond", "microseconds"}, DimTime, 1e-6, 0},
	{[]string{"ns", "nanosecond", "nanoseconds"}, DimTime, 1e-9, 0},
	{[]string{"min", "mins", "minute", "minutes"}, DimTime, 60, 0},
	{[]string{"h", "hr", "hrs", "hour", "hours"}, DimTime, 3600, 0},
	{[]string{"d", "day", "days"}, DimTime, 86400, 0},

	// Length.
	{[]string{"m", "meter", "meters", "metre", "metres"}, DimLength, 1, 0},
	{[]string{"km", "kilometer", "kilometers", "kilometre", "kilometres"}, DimLength, 1000, 0},
	{[]string{"mi", "mile", "miles"}, DimLength, 1609.344, 0},
	{[]string{"mm", "millimeter", "millimeters", "millimetre", "millimetres"}, DimLength, 1e-3, 0},
	{[]string{"cm", "centimeter", "centimeters", "centimetre", "centimetres"}, DimLength, 1e-2, 0},
	{[]string{"ft", "foot", "feet"}, DimLength, 0.3048, 0},
	{[]string{"in", "inch", "inches"}, DimLength, 0.0254, 0},
	{[]string{"yd", "yard", "yards"}, DimLength, 0.9144, 0},

	// Energy.
	{[]string{"kcal", "Cal", "kilocalorie", "kilocalories", "Kcal"}, DimEnergy, 1, 0},
	{[]string{"cal", "calorie"}, DimEnergy, 1e-3, 0},
	{[]string{"kJ", "kj", "kilojoule", "kilojoules"}, DimEnergy, 1 / 4.184, 0},
	{[]string{"J", "joule", "joules"}, DimEnergy, 1 / 4184.0, 0},

	// Mass.
	{[]string{"kg", "kilogram", "kilograms", "kgs"}, DimMass, 1, 0},
	{[]string{"g", "gram", "grams"}, DimMass, 1e-3, 0},
	{[]string{"mg", "milligram", "milligrams"}, DimMass, 1e-6, 0},
	{[]string{"mcg", "µg", "μg", "ug", "microgram", "micrograms"}, DimMass, 1e-9, 0},
	{[]string{"lb", "lbs", "pound", "pounds"}, DimMass, 0.45359237, 0},
	{[]string{"oz", "ounce", "ounces"}, DimMass, 0.028349523125, 0},
	{[]string{"st", "stone", "stones"}, DimMass, 6.35029318, 0},

	// Temperature.
	{[]string{"degC", "°C", "℃", "C", "celsius", "degree celsius"}, DimTemperature, 1, 0},
	{[]string{"degF", "°F", "℉", "F", "fahrenheit", "degree fahrenheit"}, DimTemperature, 5.0 / 9.0, -32 * 5.0 / 9.0},
	{[]string{"K", "kelvin"}, DimTemperature, 1, -273.15},
	{[]string{"degC_delta", "delta_degC", "Δ°C"}, DimTemperatureDelta, 1, 0},
	{[]string{"degF_delta", "delta_degF", "Δ°F"}, DimTemperatureDelta, 5.0 / 9.0, 0},

	// Fraction.
	{[]string{"%", "percent", "pct"}, DimFraction, 1, 0},
	{[]string{"fraction", "ratio"}, DimFraction, 100, 0},

	// Frequency (per minute).
	{[]string{"bpm", "count/min", "beats/min", "/min", "per_minute", "1/min"}, DimFrequency, 1, 0},
	{[]string{"breaths/min", "brpm", "rpm_breaths"}, DimFrequency, 1, 0},
	{[]string{"rpm", "rev/min", "revolutions/min"}, DimFrequency, 1, 0},
	{[]string{"steps/min", "spm", "step/min"}, DimFrequency, 1, 0},
	{[]string{"strokes/min", "stroke/min"}, DimFrequency, 1, 0},
	{[]string{"count/s", "Hz", "1/s", "/s"}, DimFrequency, 60, 0},
	{[]string{"count/h", "count/hr", "/h", "/hr", "events/h", "events/hr", "1/h"}, DimFrequency, 1.0 / 60, 0},

	// Concentrations.
	{[]string{"mg/dL", "mg/dl", "mg/100mL"}, DimMassConcentration, 1, 0},
	{[]string{"g/L", "g/l"}, DimMassConcentration, 100, 0},
	{[]string{"mg/L", "mg/l"}, DimMassConcentration, 0.1, 0},
	{[]string{"mmol/L", "mmol/l", "mM"}, DimMolarConcentration, 1, 0},
	{[]string{"umol/L", "µmol/L", "μmol/L", "umol/l", "µmol/l"}, DimMolarConcentration, 1e-3, 0},
	{[]string{"mol/L", "mol/l"}, DimMolarConcentration, 1000, 0},

	// Pressure.
	{[]string{"mmHg", "mm Hg", "torr"}, DimPressure, 1, 0},
	{[]string{"kPa"}, DimPressure, 7.500615758456563, 0},
	{[]string{"Pa"}, DimPressure, 7.500615758456563e-3, 0},
	{[]string{"inHg"}, DimPressure, 25.4, 0},
	{[]string{"cmAq", "cmH2O"}, DimPressure, 0.7355591, 0},

	// Oxygen uptake.
	{[]string{"mL/(kg·min)", "mL/min·kg", "ml/kg/min", "mL/kg/min", "ml/(kg·min)", "ml/(kg*min)", "mL/(kg*min)", "ml/min/kg", "mL/kg·min", "mL/min/kg"}, DimOxygenUptake, 1, 0},
	{[]string{"L/(kg·min)", "L/min·kg", "l/kg/min"}, DimOxygenUptake, 1000, 0},

	// Volume and flow.
	{[]string{"L", "l", "liter", "liters", "litre", "litres"}, DimVolume, 1, 0},
	{[]string{"mL", "milliliter", "milliliters", "millilitre", "millilitres"}, DimVolume, 1e-3, 0},
	{[]string{"dL", "deciliter", "deciliters"}, DimVolume, 0.1, 0},
	{[]string{"fl_oz_us", "fl oz", "floz"}, DimVolume, 0.0295735295625, 0},
	{[]string{"fl_oz_imp"}, DimVolume, 0.0284130625, 0},
	{[]string{"cup_us"}, DimVolume, 0.2365882365, 0},
	{[]string{"L/min", "l/min"}, DimVolumeFlow, 1, 0},
	{[]string{"L/s", "l/s"}, DimVolumeFlow, 60, 0},
	{[]string{"mL/min", "ml/min"}, DimVolumeFlow, 1e-3, 0},

	// Speed.
	{[]string{"m/s", "mps", "meters/second"}, DimSpeed, 1, 0},
	{[]string{"km/h", "km/hr", "kph", "kmh"}, DimSpeed, 1 / 3.6, 0},
	{[]string{"mi/h", "mi/hr", "mph"}, DimSpeed, 0.44704, 0},
	{[]string{"m/min"}, DimSpeed, 1.0 / 60, 0},
	{[]string{"ft/s"}, DimSpeed, 0.3048, 0},

	// Power and metabolic rate.
	{[]string{"W", "watt", "watts"}, DimPower, 1, 0},
	{[]string{"kW", "kilowatt", "kilowatts"}, DimPower, 1000, 0},
	{[]string{"MET", "met", "METs", "kcal/hr·kg", "kcal/(kg·hr)", "kcal/(kg·h)", "kcal/kg/hr", "kcal/kg/h"}, DimMET, 1, 0},

	// Others.
	{[]string{"kg/m2", "kg/m^2", "kg/m²"}, DimAreaDensity, 1, 0},
	{[]string{"dBA", "dBASPL", "dB(A)", "dB", "dBSPL", "decibel", "decibels"}, DimSoundLevel, 1, 0},
	{[]string{"lx", "lux"}, DimIlluminance, 1, 0},
	{[]string{"deg", "°", "degree", "degrees"}, DimAngle, 1, 0},
	{[]string{"rad", "radian", "radians"}, DimAngle, 180 / math.Pi, 0},
	{[]string{"uS", "µS", "μS", "mcS", "microsiemens"}, DimConductance, 1, 0},
	{[]string{"S", "siemens"}, DimConductance, 1e6, 0},
	{[]string{"mS", "millisiemens"}, DimConductance, 1e3, 0},
}

type unitIndex struct {
	exact  map[string]UnitSpec
	folded map[string]UnitSpec // lower-case spellings that are unique
}

var units = buildUnitIndex(unitTable)

func buildUnitIndex(rows []unitRow) unitIndex {
	idx := unitIndex{exact: make(map[string]UnitSpec), folded: make(map[string]UnitSpec)}
	foldedRow := make(map[string]int) // lower-case spelling → row, or -1 when several rows share it
	for i, r := range rows {
		spec := UnitSpec{Name: r.names[0], Dimension: r.dim, Scale: r.scale, Offset: r.offset}
		for _, n := range r.names {
			idx.exact[n] = spec
			l := strings.ToLower(n)
			if prev, ok := foldedRow[l]; ok && prev != i {
				foldedRow[l] = -1
				continue
			}
			foldedRow[l] = i
			idx.folded[l] = spec
		}
	}
	for l, i := range foldedRow {
		if i < 0 {
			delete(idx.folded, l)
		}
	}
	return idx
}

// LookupUnit returns the registry's entry for a unit string: a canonical
// wearables.Unit, a vendor spelling ("kilojoule", "mi", "lbs", "°F") or an
// Apple Health unit string ("count/min", "mL/min·kg", "mmol<180.1558…>/L").
// Note that Apple's "%" holds fractions: use LookupAppleUnit for Apple
// values. An unknown or empty unit is a *UnitError.
func LookupUnit(unit string) (UnitSpec, error) {
	u := strings.TrimSpace(unit)
	if spec, ok := units.exact[u]; ok {
		return spec, nil
	}
	if spec, ok := units.folded[strings.ToLower(u)]; ok {
		return spec, nil
	}
	if spec, ok := parseMolarUnit(u); ok {
		return spec, nil
	}
	if u == "" {
		return UnitSpec{}, &UnitError{Unit: unit, Reason: "empty unit"}
	}
	return UnitSpec{}, &UnitError{Unit: unit, Reason: "unknown unit"}
}

// LookupAppleUnit is LookupUnit for Apple Health's unit strings, where "%"
// marks a value stored as a fraction 0–1 (an SpO2 of 0.97).
func LookupAppleUnit(unit string) (UnitSpec, error) {
	if strings.TrimSpace(unit) == "%" {
		return UnitSpec{Name: "fraction", Dimension: DimFraction, Scale: 100}, nil
	}
	return LookupUnit(unit)
}

// parseMolarUnit parses Apple's molar units with a molar mass in angle
// brackets: "mmol<180.15588000005408>/L".
func parseMolarUnit(u string) (UnitSpec, bool) {
	open := strings.IndexByte(u, '<')
	if open <= 0 || !strings.HasSuffix(u, "/L") && !strings.HasSuffix(u, "/l") {
		return UnitSpec{}, false
	}
	close := strings.IndexByte(u, '>')
	if close < open || close != len(u)-3 {
		return UnitSpec{}, false
	}
	var scale float64
	switch u[:open] {
	case "mmol":
		scale = 1
	case "umol", "µmol", "μmol":
		scale = 1e-3
	case "mol":
		scale = 1000
	default:
		return UnitSpec{}, false
	}
	m, err := strconv.ParseFloat(u[open+1:close], 64)
	if err != nil || !(m > 0) || math.IsInf(m, 0) {
		return UnitSpec{}, false
	}
	return UnitSpec{Name: "mmol/L", Dimension: DimMolarConcentration, Scale: scale, MolarMass: m}, true
}

// Converter converts values from one unit to another with a precomputed
// affine map. Build one per (from, to) pair for hot loops; the zero value
// is not useful. A Converter is immutable and safe for concurrent use.
//
// Vendors send decimal values (0.55, 10.8) that binary floating point holds
// only approximately, and a plain multiplication shows that error in the
// result (0.55 × 100 = 55.00000000000001). Converters avoid it where the
// scale allows: scales that are reciprocals of short decimals (0.001,
// 1/3.6) divide instead, and whole-number scales (×100, ×1000, ×60)
// multiply; either result is rounded to 15 significant digits, which
// every double holds, so a result that is a short decimal comes out as
// exactly that decimal (71850 g is 71.85 kg, 10.8 km/h is 3 m/s, 0.55
// fraction is 55 %), and any other is within a few units in the last
// place.
type Converter struct {
	scale, offset float64
	// div, when set, replaces the multiplication by scale with a division
	// by its reciprocal.
	div float64
	// whole is set for whole-number scales, whose products are rounded to
	// 15 significant digits.
	whole bool
}

// Convert returns v in the target unit.
func (c Converter) Convert(v float64) float64 {
	switch {
	case c.div != 0:
		return roundSignificant15(v/c.div) + c.offset
	case c.whole:
		return roundSignificant15(v*c.scale) + c.offset
	}
	return v*c.scale + c.offset
}

// newConverter builds a Converter, choosing division when scale is the
// reciprocal of a short decimal and rounding when it is a whole number.
func newConverter(scale, offset float64) Converter {
	c := Converter{scale: scale, offset: offset}
	switch {
	case scale > 0 && scale < 1:
		r := 1 / scale
		if d := roundSignificant(r, 12); math.Abs(r-d) <= 1e-14*r {
			c.div = d
		}
	case scale > 1 && scale < 1e15 && scale == math.Trunc(scale):
		c.whole = true
	}
	return c
}

// pow10 holds the powers of ten a double represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// roundSignificant15 rounds v to 15 significant digits.
func roundSignificant15(v float64) float64 { return roundSignificant(v, 15) }

// roundSignificant rounds v to n (≤ 15) significant decimal digits: with
// one multiplication and division by an exact power of ten where one
// exists, else through the decimal text (correctly rounded both ways).
func roundSignificant(v float64, n int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	e := int(math.Floor(math.Log10(math.Abs(v))))
	p := n - 1 - e // decimal places to keep
	switch {
	case p >= 0 && p < len(pow10):
		m := pow10[p]
		return math.Round(v*m) / m
	case p < 0 && -p < len(pow10):
		m := pow10[-p]
		return math.Round(v/m) * m
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'e', n-1, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// Molar masses in g/mol used to convert between mmol/L and mg/dL.
const (
	GlucoseMolarMass         = 180.156 // C6H12O6; 1 mmol/L of glucose = 18.0156 mg/dL
	BetaHydroxybutyrateMolar = 104.105 // blood ketones (β-hydroxybutyrate)
)

// NewConverter returns the converter from one unit to another of the same
// dimension. Absolute temperatures convert to temperature differences by
// scale alone (a deviation of 1 °F is 5/9 °C). Molar and mass concentrations
// convert through molarMass (g/mol), or the molar mass a unit carries; with
// neither it is an error. Units of different dimensions are a *UnitError.
func NewConverter(from, to UnitSpec, molarMass float64) (Converter, error) {
	fs, fo, ts, to2 := from.Scale, from.Offset, to.Scale, to.Offset
	switch {
	case from.Dimension == to.Dimension:
	case from.Dimension == DimTemperature && to.Dimension == DimTemperatureDelta,
		from.Dimension == DimTemperatureDelta && to.Dimension == DimTemperature:
		fo, to2 = 0, 0
	case from.Dimension == DimMolarConcentration && to.Dimension == DimMassConcentration,
		from.Dimension == DimMassConcentration && to.Dimension == DimMolarConcentration:
		m := molarMass
		if from.MolarMass > 0 {
			m = from.MolarMass
		} else if to.MolarMass > 0 {
			m = to.MolarMass
		}
		if !(m > 0) {
			return Converter{}, &UnitError{Unit: from.Name, To: to.Name, Reason: "converting between molar and mass concentration needs a molar mass"}
		}
		// 1 mmol/L = M mg/L = M/10 mg/dL.
		if from.Dimension == DimMolarConcentration {
			fs *= m / 10
		} else {
			fs /= m / 10
		}
	default:
		return Converter{}, &UnitError{Unit: from.Name, To: to.Name,
			Reason: "cannot convert " + from.Dimension.String() + " to " + to.Dimension.String()}
	}
	return newConverter(fs/ts, (fo-to2)/ts), nil
}

// Convert converts v between two unit strings known to LookupUnit. Unknown
// units and incompatible dimensions are *UnitError values (matching
// wearables.ErrInvalid). Converting mmol/L to mg/dL needs a series: use
// ToCanonical.
func Convert(v float64, from, to string) (float64, error) {
	c, err := converterFor(from, to, 0, LookupUnit)
	if err != nil {
		return 0, err
	}
	return c.Convert(v), nil
}

func converterFor(from, to string, molarMass float64, lookup func(string) (UnitSpec, error)) (Converter, error) {
	f, err := lookup(from)
	if err != nil {
		return Converter{}, err
	}
	t, err := LookupUnit(to)
	if err != nil {
		return Converter{}, err
	}
	c, err := NewConverter(f, t, molarMass)
	if err != nil {
		e := err.(*UnitError)
		e.Unit, e.To = from, to
		return Converter{}, e
	}
	return c, nil
}

// molarMassOf returns the molar mass used for a series' mmol/L values.
func molarMassOf(t wearables.SeriesType) float64 {
	switch t {
	case wearables.SeriesBloodGlucose:
		return GlucoseMolarMass
	case wearables.SeriesBloodKetones:
		return BetaHydroxybutyrateMolar
	}
	return 0
}

// CanonicalConverter returns the converter from a vendor unit to the
// canonical unit of series type t. Besides NewConverter's rules, a
// dimensionless value ("count", as Apple and Garmin report BMI) is accepted
// for kg/m2. An unknown series type or unit is a *UnitError.
func CanonicalConverter(t wearables.SeriesType, from string) (Converter, error) {
	return canonicalConverter(t, from, LookupUnit)
}

// AppleCanonicalConverter is CanonicalConverter for Apple Health unit
// strings (see LookupAppleUnit).
func AppleCanonicalConverter(t wearables.SeriesType, from string) (Converter, error) {
	return canonicalConverter(t, from, LookupAppleUnit)
}

func canonicalConverter(t wearables.SeriesType, from string, lookup func(string) (UnitSpec, error)) (Converter, error) {
	info, ok := t.Info()
	if !ok {
		return Converter{}, &UnitError{Unit: from, To: t.Code(), Reason: "unknown series type"}
	}
	f, err := lookup(from)
	if err != nil {
		return Converter{}, err
	}
	if info.Unit == wearables.UnitKgPerM2 && f.Dimension == DimNone {
		return Converter{scale: 1}, nil
	}
	return converterFor(from, string(info.Unit), molarMassOf(t), lookup)
}

// ToCanonical converts v, given in unit from, to the canonical unit of
// series type t: 5.5 mmol/L of blood glucose is 99.09 mg/dL, 0.97 "fraction"
// of SpO2 is 97 %, 154 lb of weight is 69.85 kg.
func ToCanonical(t wearables.SeriesType, v float64, from string) (float64, error) {
	c, err := CanonicalConverter(t, from)
	if err != nil {
		return 0, err
	}
	return c.Convert(v), nil
}

// AppleToCanonical is ToCanonical for Apple Health values and unit strings:
// an OxygenSaturation of 0.97 "%" is 97 %.
func AppleToCanonical(t wearables.SeriesType, v float64, appleUnit string) (float64, error) {
	c, err := AppleCanonicalConverter(t, appleUnit)
	if err != nil {
		return 0, err
	}
	return c.Convert(v), nil
}

// FromCanonical converts v from the canonical unit of t to unit to, for
// display: 99.09 mg/dL of glucose is 5.5 mmol/L.
func FromCanonical(t wearables.SeriesType, v float64, to string) (float64, error) {
	info, ok := t.Info()
	if !ok {
		return 0, &UnitError{Unit: t.Code(), To: to, Reason: "unknown series type"}
	}
	c, err := converterFor(string(info.Unit), to, molarMassOf(t), LookupUnit)
	if err != nil {
		return 0, err
	}
	return c.Convert(v), nil
}

// Pow10 returns value·10^exp, the encoding Withings uses for measures
// (72345 with unit -3 is 72.345). The result is the float64 nearest the
// decimal value: it divides by 10^-exp rather than multiplying by an
// inexact 10^exp.
func Pow10(value int64, exp int) float64 {
	if exp < 0 {
		return float64(value) / math.Pow10(-exp)
	}
	return float64(value) * math.Pow10(exp)
}

// DurationOf converts an amount of a time unit ("ms", "s", "min", "h" …) to
// a time.Duration, rounded to the nanosecond. Amounts that are not finite or
// overflow a Duration, and non-time units, are errors matching
// wearables.ErrInvalid. For many amounts of one unit (a stream of RR
// intervals), resolve the unit once with NewDurationConverter.
func DurationOf(v float64, unit string) (time.Duration, error) {
	c, err := NewDurationConverter(unit)
	if err != nil {
		return 0, err
	}
	return c.Duration(v)
}

// DurationConverter converts amounts of one time unit to time.Duration with
// the unit looked up once: DurationOf for hot loops. The zero value is not
// useful. A DurationConverter is immutable and safe for concurrent use.
type DurationConverter struct {
	scale float64 // seconds per unit
	unit  string  // as given, for error messages
}

// NewDurationConverter returns the converter for a time unit ("ms", "s",
// "min" …). An unknown or non-time unit is a *UnitError (matching
// wearables.ErrInvalid).
func NewDurationConverter(unit string) (DurationConverter, error) {
	spec, err := LookupUnit(unit)
	if err != nil {
		return DurationConverter{}, err
	}
	if spec.Dimension != DimTime {
		return DurationConverter{}, &UnitError{Unit: unit, To: "s", Reason: "not a time unit"}
	}
	return DurationConverter{scale: spec.Scale, unit: unit}, nil
}

// Duration returns v units as a time.Duration, rounded to the nanosecond,
// exactly as DurationOf does. An amount that is not finite or overflows a
// Duration is an error matching wearables.ErrInvalid.
func (c DurationConverter) Duration(v float64) (time.Duration, error) {
	ns := math.Round(v * c.scale * 1e9)
	if math.IsNaN(ns) || ns >= math.MaxInt64 || ns <= math.MinInt64 {
		return 0, c.rangeErr(v)
	}
	return time.Duration(ns), nil
}

func (c DurationConverter) rangeErr(v float64) error {
	return parseErr("duration", strconv.FormatFloat(v, 'g', -1, 64)+" "+c.unit, "out of range")
}
