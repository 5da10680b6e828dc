package wearables

// Unit names the unit a value is expressed in. The canonical units of the
// catalogs are declared below; vendor units (mi, lb, kJ, °F, mmol/L …) are
// converted to them by the unit registry in package normalize.
type Unit string

// Canonical units. Every SeriesType declares one of these.
const (
	UnitCount            Unit = "count"       // a dimensionless count (steps, strokes, flights)
	UnitBPM              Unit = "bpm"         // beats per minute
	UnitMillisecond      Unit = "ms"          // milliseconds (HRV, ground contact time)
	UnitSecond           Unit = "s"           // seconds
	UnitPercent          Unit = "%"           // percent, 0–100 (SpO2, body fat, asymmetry)
	UnitKilogram         Unit = "kg"          // kilograms
	UnitMeter            Unit = "m"           // meters
	UnitCentimeter       Unit = "cm"          // centimeters (vertical oscillation)
	UnitKilocalorie      Unit = "kcal"        // kilocalories
	UnitCelsius          Unit = "degC"        // degrees Celsius (absolute temperature)
	UnitCelsiusDelta     Unit = "degC_delta"  // a temperature difference in Celsius degrees (deviations)
	UnitMgPerDL          Unit = "mg/dL"       // milligrams per deciliter (glucose)
	UnitMmHg             Unit = "mmHg"        // millimeters of mercury (blood pressure)
	UnitBreathsPerMinute Unit = "breaths/min" // respiratory rate
	UnitPerHour          Unit = "count/h"     // events per hour (breathing disturbances)
	UnitVO2Max           Unit = "mL/(kg·min)" // oxygen uptake
	UnitMetersPerSecond  Unit = "m/s"         // speed
	UnitWatt             Unit = "W"           // power
	UnitMET              Unit = "MET"         // metabolic equivalent of task
	UnitKgPerM2          Unit = "kg/m2"       // body mass index
	UnitDecibel          Unit = "dBA"         // A-weighted sound pressure level
	UnitLux              Unit = "lx"          // illuminance
	UnitUVIndex          Unit = "uv_index"    // UV index
	UnitDegree           Unit = "deg"         // angular degrees (latitude, longitude)
	UnitScore            Unit = "score"       // a vendor score on the vendor's own scale
	UnitLiter            Unit = "L"           // liters (lung volumes, water)
	UnitLitersPerMinute  Unit = "L/min"       // liters per minute (peak expiratory flow)
	UnitGram             Unit = "g"           // grams (nutrition)
	UnitMilligram        Unit = "mg"          // milligrams (nutrition)
	UnitSiemens          Unit = "uS"          // microsiemens (electrodermal activity)
	UnitMillimolePerL    Unit = "mmol/L"      // millimoles per liter (blood ketones)
	UnitRPM              Unit = "rpm"         // revolutions per minute
	UnitStepsPerMinute   Unit = "steps/min"   // step cadence
	UnitStrokesPerMinute Unit = "strokes/min" // swim or row stroke rate
)
