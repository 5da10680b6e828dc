package normalize

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/wearables-go/wearables"
)

func TestConvert(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		from, to string
		want     float64
	}{
		// Time.
		{"ms to s (WHOOP *_milli)", 5400000, "ms", "s", 5400},
		{"min to s (Apple exercise time)", 30, "min", "s", 1800},
		{"h to s", 1.5, "h", "s", 5400},
		{"hr to min", 2, "hr", "min", 120},
		{"d to h", 1, "d", "h", 24},
		{"us to ms", 1500, "µs", "ms", 1.5},
		// Length.
		{"km to m (Apple, Fitbit metric)", 5.2, "km", "m", 5200},
		{"mi to m (Apple en_US)", 1, "mi", "m", 1609.344},
		{"mm to m (Google distance)", 1234567, "mm", "m", 1234.567},
		{"cm to m (Polar height)", 180, "cm", "m", 1.8},
		{"ft to m", 6, "ft", "m", 1.8288},
		{"in to cm", 1, "in", "cm", 2.54},
		{"m to km", 21381.4, "m", "km", 21.3814},
		// Energy.
		{"kJ to kcal (WHOOP kilojoule)", 4184, "kJ", "kcal", 1000},
		{"J to kcal (Suunto EnergyConsumption)", 418400, "J", "kcal", 100},
		{"Cal is kcal (Apple)", 250, "Cal", "kcal", 250},
		{"cal is a thousandth", 250000, "cal", "kcal", 250},
		{"kilojoules spelled out", 41.84, "kilojoules", "kcal", 10},
		// Mass.
		{"g to kg (Garmin weightInGrams)", 72345, "g", "kg", 72.345},
		{"lb to kg", 154, "lb", "kg", 69.85322498},
		{"st to kg (Fitbit en_GB)", 11, "st", "kg", 69.85322498},
		{"mg to g", 2300, "mg", "g", 2.3},
		{"mcg to mg", 500, "mcg", "mg", 0.5},
		// Temperature.
		{"degF to degC", 98.6, "degF", "degC", 37},
		{"°F to °C freezing", 32, "°F", "°C", 0},
		{"degC to degF", 100, "degC", "degF", 212},
		{"K to degC", 310.15, "K", "degC", 37},
		{"degF delta", 1.8, "degF_delta", "degC_delta", 1},
		{"absolute degF as a deviation drops the offset", 0.9, "degF", "degC_delta", 0.5},
		// Fractions.
		{"fraction to percent (Suunto SpO2)", 0.97, "fraction", "%", 97},
		{"percent to fraction", 55, "%", "fraction", 0.55},
		// Frequency.
		{"count/min is bpm (Apple heart rate)", 62, "count/min", "bpm", 62},
		{"count/min is breaths/min", 14, "count/min", "breaths/min", 14},
		{"Hz to bpm", 1, "Hz", "bpm", 60},
		{"per minute to per hour", 1, "count/min", "count/h", 60},
		// Pressure, VO2, speed, volume, misc.
		{"kPa to mmHg", 16, "kPa", "mmHg", 120.0098521},
		{"Apple VO2 max spelling", 45.2, "mL/min·kg", "mL/(kg·min)", 45.2},
		{"km/h to m/s", 36, "km/h", "m/s", 10},
		{"mph to m/s", 10, "mph", "m/s", 4.4704},
		{"mL to L", 250, "mL", "L", 0.25},
		{"fl oz to L", 33.814022701843, "fl_oz_us", "L", 1},
		{"kcal/hr·kg is MET", 3.5, "kcal/hr·kg", "MET", 3.5},
		{"dBASPL is dBA", 70, "dBASPL", "dBA", 70},
		{"mcS is µS", 2, "mcS", "uS", 2},
		{"rad to deg", math.Pi, "rad", "deg", 180},
		{"case-insensitive unique spelling", 1, "KM", "m", 1000},
		{"surrounding space", 1, " kg ", "g", 1000},
		{"canonical count", 1234, "count", "count", 1234},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Convert(tt.v, tt.from, tt.to)
			require.NoError(t, err)
			assert.InDelta(t, tt.want, got, 1e-6*math.Max(1, math.Abs(tt.want)))
		})
	}
}

func TestConvertErrors(t *testing.T) {
	tests := []struct {
		name, from, to, unit string
	}{
		{"unknown unit", "furlong", "m", "furlong"},
		{"unknown target", "m", "parsec", "parsec"},
		{"empty unit is never 1:1", "", "count", ""},
		{"different dimensions", "kg", "km", "kg"},
		{"energy to mass", "kcal", "kg", "kcal"},
		{"molar needs a molar mass", "mmol/L", "mg/dL", "mmol/L"},
		{"Cal and cal are not folded", "CAL", "kcal", "CAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Convert(1, tt.from, tt.to)
			require.Error(t, err)
			assert.ErrorIs(t, err, wearables.ErrInvalid)
			var ue *UnitError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, tt.unit, ue.Unit)
			assert.Contains(t, err.Error(), "normalize: unit")
		})
	}
}

func TestToCanonical(t *testing.T) {
	tests := []struct {
		name  string
		typ   wearables.SeriesType
		v     float64
		unit  string
		apple bool
		want  float64
	}{
		{"glucose mmol/L", wearables.SeriesBloodGlucose, 5.5, "mmol/L", false, 99.0858},
		{"glucose mg/dL", wearables.SeriesBloodGlucose, 99, "mg/dL", false, 99},
		{"glucose Apple molar unit", wearables.SeriesBloodGlucose, 5.5, "mmol<180.15588000005408>/L", true, 99.0857},
		{"ketones stay mmol/L", wearables.SeriesBloodKetones, 0.6, "mmol/L", false, 0.6},
		{"Apple SpO2 % is a fraction", wearables.SeriesOxygenSaturation, 0.97, "%", true, 97},
		{"Apple body fat % is a fraction", wearables.SeriesBodyFatPercentage, 0.215, "%", true, 21.5},
		{"vendor SpO2 percent", wearables.SeriesOxygenSaturation, 97, "%", false, 97},
		{"Apple heart rate count/min", wearables.SeriesHeartRate, 72, "count/min", true, 72},
		{"Apple BMI is a count", wearables.SeriesBodyMassIndex, 23.4, "count", true, 23.4},
		{"Apple weight lb", wearables.SeriesWeight, 154, "lb", true, 69.85322},
		{"Apple height ft", wearables.SeriesHeight, 6, "ft", true, 1.8288},
		{"Apple distance mi", wearables.SeriesDistanceWalkingRunning, 3.1, "mi", true, 4988.9664},
		{"Apple energy kJ", wearables.SeriesActiveEnergy, 418.4, "kJ", true, 100},
		{"Apple exercise minutes", wearables.SeriesExerciseTime, 30, "min", true, 1800},
		{"Apple wrist temperature degF", wearables.SeriesSleepingWristTemperature, 96.8, "degF", true, 36},
		{"Oura deviation in degC", wearables.SeriesBodyTemperatureDeviation, -0.3, "degC", false, -0.3},
		{"WHOOP kJ", wearables.SeriesActiveEnergy, 1046, "kJ", false, 250},
		{"Garmin grams", wearables.SeriesWeight, 72345, "g", false, 72.345},
		{"Google distance mm", wearables.SeriesDistance, 5000000, "mm", false, 5000},
		{"Apple water fl oz", wearables.SeriesWaterIntake, 16, "fl_oz_us", true, 0.473176},
		{"Apple VO2 max", wearables.SeriesVO2Max, 44, "mL/min·kg", true, 44},
		{"Apple audio dBASPL", wearables.SeriesEnvironmentalAudioExposure, 68, "dBASPL", true, 68},
		{"Apple UV count", wearables.SeriesUVExposure, 5, "count", true, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got float64
			var err error
			if tt.apple {
				got, err = AppleToCanonical(tt.typ, tt.v, tt.unit)
			} else {
				got, err = ToCanonical(tt.typ, tt.v, tt.unit)
			}
			require.NoError(t, err)
			assert.InDelta(t, tt.want, got, 1e-4*math.Max(1, math.Abs(tt.want)))
		})
	}

	t.Run("glucose back to mmol/L", func(t *testing.T) {
		got, err := FromCanonical(wearables.SeriesBloodGlucose, 99.0858, "mmol/L")
		require.NoError(t, err)
		assert.InDelta(t, 5.5, got, 1e-6)
	})
	t.Run("wrong dimension for the series", func(t *testing.T) {
		_, err := ToCanonical(wearables.SeriesWeight, 1, "km")
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})
	t.Run("unknown series", func(t *testing.T) {
		_, err := ToCanonical(wearables.SeriesType(60000), 1, "kg")
		assert.ErrorIs(t, err, wearables.ErrInvalid)
	})
}

// Every canonical unit of the series catalog is in the registry and
// converts to itself.
func TestCatalogUnitsKnown(t *testing.T) {
	for _, info := range wearables.SeriesTypes() {
		t.Run(info.Code, func(t *testing.T) {
			spec, err := LookupUnit(string(info.Unit))
			require.NoError(t, err)
			c, err := CanonicalConverter(info.ID, string(info.Unit))
			require.NoError(t, err)
			assert.Equal(t, 42.5, c.Convert(42.5), "unit %s (%s)", info.Unit, spec.Dimension)
		})
	}
}

func TestUnitTableSpellingsUnique(t *testing.T) {
	seen := map[string]string{}
	for _, r := range unitTable {
		for _, n := range r.names {
			prev, dup := seen[n]
			assert.False(t, dup, "spelling %q in rows %q and %q", n, prev, r.names[0])
			seen[n] = r.names[0]
		}
		assert.NotEmpty(t, r.dim.String())
		assert.False(t, strings.HasPrefix(r.dim.String(), "dimension("), "row %q", r.names[0])
	}
}

func TestPow10(t *testing.T) {
	assert.Equal(t, 72.345, Pow10(72345, -3))
	assert.Equal(t, 1.8, Pow10(18, -1))
	assert.Equal(t, 1200.0, Pow10(12, 2))
	assert.Equal(t, 97.0, Pow10(97, 0))
}

func TestDurationOf(t *testing.T) {
	d, err := DurationOf(5400000, "ms")
	require.NoError(t, err)
	assert.Equal(t, 90*time.Minute, d)
	d, err = DurationOf(1.5, "min")
	require.NoError(t, err)
	assert.Equal(t, 90*time.Second, d)
	_, err = DurationOf(1, "kg")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = DurationOf(1e300, "s")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = DurationOf(math.NaN(), "s")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
}

// A DurationConverter gives DurationOf's result, error for error, for every
// time unit and amount.
func TestDurationConverterMatchesDurationOfProperty(t *testing.T) {
	var timeUnits []string
	for _, r := range unitTable {
		if r.dim == DimTime {
			timeUnits = append(timeUnits, r.names...)
		}
	}
	_, err := NewDurationConverter("kg")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = NewDurationConverter("")
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	rapid.Check(t, func(t *rapid.T) {
		unit := rapid.SampledFrom(timeUnits).Draw(t, "unit")
		v := rapid.OneOf(rapid.Float64(), rapid.Float64Range(-1e6, 1e6), rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), 1e300, -1e300, 0.5, -0.5})).Draw(t, "v")
		c, err := NewDurationConverter(unit)
		if err != nil {
			t.Fatalf("%s: %v", unit, err)
		}
		got, gotErr := c.Duration(v)
		want, wantErr := DurationOf(v, unit)
		if got != want || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("%v %s: converter (%v, %v), DurationOf (%v, %v)", v, unit, got, gotErr, want, wantErr)
		}
		if gotErr != nil && !errors.Is(gotErr, wearables.ErrInvalid) {
			t.Fatalf("%v %s: error %v does not match ErrInvalid", v, unit, gotErr)
		}
	})
}

// Round trips through every pair of units of one dimension stay within
// 1e-9 relative error.
func TestUnitRoundTripProperty(t *testing.T) {
	byDim := map[Dimension][]string{}
	for _, r := range unitTable {
		byDim[r.dim] = append(byDim[r.dim], r.names[0])
	}
	var dims []Dimension
	for d := Dimension(1); int(d) < len(dimNames); d++ {
		if len(byDim[d]) > 0 {
			dims = append(dims, d)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		d := rapid.SampledFrom(dims).Draw(t, "dim")
		from := rapid.SampledFrom(byDim[d]).Draw(t, "from")
		to := rapid.SampledFrom(byDim[d]).Draw(t, "to")
		v := rapid.Float64Range(-1e6, 1e6).Draw(t, "v")
		there, err := Convert(v, from, to)
		if err != nil {
			t.Fatalf("convert %v %s→%s: %v", v, from, to, err)
		}
		back, err := Convert(there, to, from)
		if err != nil {
			t.Fatalf("convert back: %v", err)
		}
		// Affine units (°F) lose absolute precision near zero; measure
		// the error relative to the magnitudes involved.
		scale := math.Max(math.Max(math.Abs(v), math.Abs(there)), 1)
		if math.Abs(back-v) > 1e-9*scale {
			t.Fatalf("%v %s → %v %s → %v: relative error %g", v, from, there, to, back, math.Abs(back-v)/scale)
		}
	})
}

func TestGlucoseRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.Float64Range(0.1, 60).Draw(t, "mmol")
		mg, err := ToCanonical(wearables.SeriesBloodGlucose, v, "mmol/L")
		if err != nil {
			t.Fatal(err)
		}
		back, err := FromCanonical(wearables.SeriesBloodGlucose, mg, "mmol/L")
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(back-v) > 1e-9*v {
			t.Fatalf("%v → %v → %v", v, mg, back)
		}
	})
}

func TestUnitErrorMessage(t *testing.T) {
	_, err := LookupUnit("furlongs/fortnight")
	require.Error(t, err)
	assert.Equal(t, `normalize: unit "furlongs/fortnight": unknown unit`, err.Error())
	assert.True(t, errors.Is(err, wearables.ErrInvalid))
}

// A decimal value with up to 9 significant digits, converted by a
// whole-number or short-decimal-reciprocal scale, gives exactly the double
// nearest to the decimal result when that result is a short decimal —
// what a person computing by hand expects (55 %, not 55.00000000000001;
// 3 m/s, not 3.0000000000000004) — and otherwise a value within 5e-15 of
// the exact result, relatively (15 significant digits).
func TestConverterMatchesExactDecimal(t *testing.T) {
	scales := []struct{ from, to, num, den string }{
		{"fraction", "%", "100", "1"},
		{"km", "m", "1000", "1"},
		{"min", "s", "60", "1"},
		{"h", "s", "3600", "1"},
		{"g", "kg", "1", "1000"},
		{"mm", "m", "1", "1000"},
		{"km/h", "m/s", "10", "36"},
	}
	rapid.Check(t, func(t *rapid.T) {
		sc := rapid.SampledFrom(scales).Draw(t, "scale")
		digits := rapid.Int64Range(1, 999_999_999).Draw(t, "digits")
		exp := rapid.IntRange(-9, 3).Draw(t, "exp")
		dec := strconv.FormatInt(digits, 10) + "e" + strconv.Itoa(exp)
		v, err := strconv.ParseFloat(dec, 64)
		if err != nil {
			t.Fatal(err)
		}
		exact, ok := new(big.Rat).SetString(dec)
		if !ok {
			t.Fatalf("bad decimal %s", dec)
		}
		num, _ := new(big.Rat).SetString(sc.num)
		den, _ := new(big.Rat).SetString(sc.den)
		exact.Mul(exact, num).Quo(exact, den)
		want, _ := exact.Float64()
		got, err := Convert(v, sc.from, sc.to)
		if err != nil {
			t.Fatal(err)
		}
		if short := exact.FloatString(15); exactDecimal(exact) && got != want {
			t.Fatalf("%s %s → %s = %v, want exactly %v (%s)", dec, sc.from, sc.to, got, want, short)
		}
		if math.Abs(got-want) > 5e-15*math.Abs(want) {
			t.Fatalf("%s %s → %s = %v, too far from %v", dec, sc.from, sc.to, got, want)
		}
	})
}

// exactDecimal reports whether r is a decimal of at most 15 significant
// digits.
func exactDecimal(r *big.Rat) bool {
	den := new(big.Int).Set(r.Denom())
	for _, p := range []int64{2, 5} {
		q, m := new(big.Int), new(big.Int)
		for {
			q.QuoRem(den, big.NewInt(p), m)
			if m.Sign() != 0 {
				break
			}
			den.Set(q)
		}
	}
	if den.Cmp(big.NewInt(1)) != 0 {
		return false // the expansion does not terminate
	}
	s := strings.TrimRight(strings.TrimLeft(strings.ReplaceAll(strings.TrimLeft(r.FloatString(40), "-"), ".", ""), "0"), "0")
	return len(s) <= 15
}

func TestConverterDecimalScalesAreCorrectlyRounded(t *testing.T) {
	for _, tt := range []struct {
		v        float64
		from, to string
		want     float64
	}{
		{71850, "g", "kg", 71.85},
		{1234, "mm", "m", 1.234},
		{4184, "J", "kcal", 1}, // the thermochemical calorie
		{1, "lb", "kg", 0.45359237},
		{5, "km", "m", 5000},
		{0.55, "fraction", "%", 55}, // not 55.00000000000001
		{0.97, "fraction", "%", 97},
		{10.8, "km/h", "m/s", 3}, // not 3.0000000000000004
		{2.7, "min", "s", 162},
	} {
		got, err := Convert(tt.v, tt.from, tt.to)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%v %s → %s", tt.v, tt.from, tt.to)
	}
}
