package applehealth

import (
	"strings"

	"github.com/wearables-go/wearables"
)

// recordKind says how a Record type is imported.
type recordKind uint8

const (
	kindUnknown   recordKind = iota // counted in Stats.Unknown, not imported
	kindQuantity                    // a sample of a series type, value converted from its unit
	kindSleep                       // HKCategoryTypeIdentifierSleepAnalysis: assembled into sessions
	kindStandHour                   // HKCategoryTypeIdentifierAppleStandHour: 1 when stood, 0 when idle
	kindDuration                    // a category whose sample is its duration in seconds (mindful sessions)
)

type recordType struct {
	kind   recordKind
	series wearables.SeriesType
}

// quantityTypes maps HealthKit quantity type identifiers (without the
// "HKQuantityTypeIdentifier" prefix) to the series catalog.
var quantityTypes = map[string]wearables.SeriesType{
	// Heart.
	"HeartRate":                  wearables.SeriesHeartRate,
	"RestingHeartRate":           wearables.SeriesRestingHeartRate,
	"HeartRateVariabilitySDNN":   wearables.SeriesHRVSDNN,
	"WalkingHeartRateAverage":    wearables.SeriesWalkingHeartRateAverage,
	"HeartRateRecoveryOneMinute": wearables.SeriesHeartRateRecoveryOneMinute,
	"AtrialFibrillationBurden":   wearables.SeriesAtrialFibrillationBurden,
	// Blood.
	"OxygenSaturation":         wearables.SeriesOxygenSaturation,
	"BloodGlucose":             wearables.SeriesBloodGlucose,
	"BloodPressureSystolic":    wearables.SeriesBloodPressureSystolic,
	"BloodPressureDiastolic":   wearables.SeriesBloodPressureDiastolic,
	"PeripheralPerfusionIndex": wearables.SeriesPeripheralPerfusionIndex,
	"BloodAlcoholContent":      wearables.SeriesBloodAlcoholContent,
	// Respiration.
	"RespiratoryRate":                    wearables.SeriesRespiratoryRate,
	"AppleSleepingBreathingDisturbances": wearables.SeriesBreathingDisturbances,
	"VO2Max":                             wearables.SeriesVO2Max,
	"ForcedVitalCapacity":                wearables.SeriesForcedVitalCapacity,
	"ForcedExpiratoryVolume1":            wearables.SeriesForcedExpiratoryVolume1,
	"PeakExpiratoryFlowRate":             wearables.SeriesPeakExpiratoryFlowRate,
	"InhalerUsage":                       wearables.SeriesInhalerUsage,
	// Body.
	"Height":                        wearables.SeriesHeight,
	"BodyMass":                      wearables.SeriesWeight,
	"BodyMassIndex":                 wearables.SeriesBodyMassIndex,
	"BodyFatPercentage":             wearables.SeriesBodyFatPercentage,
	"LeanBodyMass":                  wearables.SeriesLeanBodyMass,
	"WaistCircumference":            wearables.SeriesWaistCircumference,
	"BodyTemperature":               wearables.SeriesBodyTemperature,
	"BasalBodyTemperature":          wearables.SeriesBasalBodyTemperature,
	"AppleSleepingWristTemperature": wearables.SeriesSleepingWristTemperature,
	"ElectrodermalActivity":         wearables.SeriesElectrodermalActivity,
	// Activity.
	"StepCount":           wearables.SeriesSteps,
	"ActiveEnergyBurned":  wearables.SeriesActiveEnergy,
	"BasalEnergyBurned":   wearables.SeriesBasalEnergy,
	"FlightsClimbed":      wearables.SeriesFlightsClimbed,
	"PushCount":           wearables.SeriesWheelchairPushes,
	"AppleStandTime":      wearables.SeriesStandTime,
	"AppleExerciseTime":   wearables.SeriesExerciseTime,
	"AppleMoveTime":       wearables.SeriesMoveTime,
	"NumberOfTimesFallen": wearables.SeriesFalls,
	"PhysicalEffort":      wearables.SeriesMET,
	// Distance.
	"DistanceWalkingRunning":     wearables.SeriesDistanceWalkingRunning,
	"DistanceCycling":            wearables.SeriesDistanceCycling,
	"DistanceSwimming":           wearables.SeriesDistanceSwimming,
	"DistanceWheelchair":         wearables.SeriesDistanceWheelchair,
	"DistanceDownhillSnowSports": wearables.SeriesDistanceDownhillSnowSports,
	"DistanceCrossCountrySkiing": wearables.SeriesDistanceCrossCountrySkiing,
	"DistanceRowing":             wearables.SeriesDistanceRowing,
	"DistancePaddleSports":       wearables.SeriesDistancePaddling,
	"DistanceSkatingSports":      wearables.SeriesDistanceSkating,
	// Walking and running.
	"WalkingSpeed":                   wearables.SeriesWalkingSpeed,
	"WalkingStepLength":              wearables.SeriesWalkingStepLength,
	"WalkingAsymmetryPercentage":     wearables.SeriesWalkingAsymmetry,
	"WalkingDoubleSupportPercentage": wearables.SeriesWalkingDoubleSupport,
	"AppleWalkingSteadiness":         wearables.SeriesWalkingSteadiness,
	"StairAscentSpeed":               wearables.SeriesStairAscentSpeed,
	"StairDescentSpeed":              wearables.SeriesStairDescentSpeed,
	"SixMinuteWalkTestDistance":      wearables.SeriesSixMinuteWalkDistance,
	"RunningSpeed":                   wearables.SeriesRunningSpeed,
	"RunningPower":                   wearables.SeriesRunningPower,
	"RunningStrideLength":            wearables.SeriesRunningStrideLength,
	"RunningVerticalOscillation":     wearables.SeriesVerticalOscillation,
	"RunningGroundContactTime":       wearables.SeriesGroundContactTime,
	// Swimming and cycling.
	"SwimmingStrokeCount":             wearables.SeriesSwimmingStrokes,
	"CyclingSpeed":                    wearables.SeriesCyclingSpeed,
	"CyclingPower":                    wearables.SeriesCyclingPower,
	"CyclingCadence":                  wearables.SeriesCyclingCadence,
	"CyclingFunctionalThresholdPower": wearables.SeriesCyclingFTP,
	// Environment.
	"EnvironmentalAudioExposure": wearables.SeriesEnvironmentalAudioExposure,
	"HeadphoneAudioExposure":     wearables.SeriesHeadphoneAudioExposure,
	"TimeInDaylight":             wearables.SeriesTimeInDaylight,
	"UVExposure":                 wearables.SeriesUVExposure,
	"UnderwaterDepth":            wearables.SeriesUnderwaterDepth,
	"WaterTemperature":           wearables.SeriesWaterTemperature,
	// Nutrition.
	"DietaryEnergyConsumed": wearables.SeriesDietaryEnergy,
	"DietaryWater":          wearables.SeriesWaterIntake,
	"DietaryCarbohydrates":  wearables.SeriesDietaryCarbohydrates,
	"DietaryProtein":        wearables.SeriesDietaryProtein,
	"DietaryFatTotal":       wearables.SeriesDietaryFat,
	"DietaryFiber":          wearables.SeriesDietaryFiber,
	"DietarySugar":          wearables.SeriesDietarySugar,
	"DietarySodium":         wearables.SeriesDietarySodium,
	"DietaryCaffeine":       wearables.SeriesDietaryCaffeine,
}

const (
	hkQuantityPrefix = "HKQuantityTypeIdentifier"
	hkCategoryPrefix = "HKCategoryTypeIdentifier"
)

// recordTypes indexes every Record type the importer knows by its full identifier.
var recordTypes = func() map[string]recordType {
	m := make(map[string]recordType, len(quantityTypes)+3)
	for name, st := range quantityTypes {
		m[hkQuantityPrefix+name] = recordType{kind: kindQuantity, series: st}
	}
	m[hkCategoryPrefix+"SleepAnalysis"] = recordType{kind: kindSleep}
	m[hkCategoryPrefix+"AppleStandHour"] = recordType{kind: kindStandHour, series: wearables.SeriesStandHours}
	m[hkCategoryPrefix+"MindfulSession"] = recordType{kind: kindDuration, series: wearables.SeriesMindfulTime}
	return m
}()

// HKQuantityTypes returns the HealthKit quantity type identifiers the
// importer maps to the series catalog, each with its series type. The map is
// a copy.
func HKQuantityTypes() map[string]wearables.SeriesType {
	out := make(map[string]wearables.SeriesType, len(quantityTypes))
	for name, st := range quantityTypes {
		out[hkQuantityPrefix+name] = st
	}
	return out
}

const hkWorkoutPrefix = "HKWorkoutActivityType"

// workoutTypes maps every HKWorkoutActivityType (without its prefix) to the
// workout catalog. Deprecated HealthKit types (Dance,
// DanceInspiredTraining, MixedMetabolicCardioTraining) are included: old
// exports still hold them.
var workoutTypes = map[string]wearables.WorkoutType{
	"AmericanFootball":              wearables.WorkoutAmericanFootball,
	"Archery":                       wearables.WorkoutArchery,
	"AustralianFootball":            wearables.WorkoutAustralianFootball,
	"Badminton":                     wearables.WorkoutBadminton,
	"Barre":                         wearables.WorkoutBarre,
	"Baseball":                      wearables.WorkoutBaseball,
	"Basketball":                    wearables.WorkoutBasketball,
	"Bowling":                       wearables.WorkoutBowling,
	"Boxing":                        wearables.WorkoutBoxing,
	"CardioDance":                   wearables.WorkoutCardioDance,
	"Climbing":                      wearables.WorkoutClimbing,
	"Cooldown":                      wearables.WorkoutRecovery,
	"CoreTraining":                  wearables.WorkoutCoreTraining,
	"Cricket":                       wearables.WorkoutCricket,
	"CrossCountrySkiing":            wearables.WorkoutCrossCountrySkiing,
	"CrossTraining":                 wearables.WorkoutCircuitTraining,
	"Curling":                       wearables.WorkoutCurling,
	"Cycling":                       wearables.WorkoutCycling,
	"Dance":                         wearables.WorkoutDance,
	"DanceInspiredTraining":         wearables.WorkoutCardioDance,
	"DiscSports":                    wearables.WorkoutUltimateDisc,
	"DownhillSkiing":                wearables.WorkoutAlpineSkiing,
	"Elliptical":                    wearables.WorkoutElliptical,
	"EquestrianSports":              wearables.WorkoutHorsebackRiding,
	"Fencing":                       wearables.WorkoutFencing,
	"Fishing":                       wearables.WorkoutFishing,
	"FitnessGaming":                 wearables.WorkoutFitnessGaming,
	"Flexibility":                   wearables.WorkoutFlexibility,
	"FunctionalStrengthTraining":    wearables.WorkoutFunctionalStrengthTraining,
	"Golf":                          wearables.WorkoutGolf,
	"Gymnastics":                    wearables.WorkoutGymnastics,
	"HandCycling":                   wearables.WorkoutHandcycling,
	"Handball":                      wearables.WorkoutHandball,
	"HighIntensityIntervalTraining": wearables.WorkoutHIIT,
	"Hiking":                        wearables.WorkoutHiking,
	"Hockey":                        wearables.WorkoutHockey,
	"Hunting":                       wearables.WorkoutHunting,
	"JumpRope":                      wearables.WorkoutJumpRope,
	"Kickboxing":                    wearables.WorkoutKickboxing,
	"Lacrosse":                      wearables.WorkoutLacrosse,
	"MartialArts":                   wearables.WorkoutMartialArts,
	"MindAndBody":                   wearables.WorkoutMindAndBody,
	"MixedCardio":                   wearables.WorkoutCardio,
	"MixedMetabolicCardioTraining":  wearables.WorkoutCardio,
	"Other":                         wearables.WorkoutOther,
	"PaddleSports":                  wearables.WorkoutPaddling,
	"Pickleball":                    wearables.WorkoutPickleball,
	"Pilates":                       wearables.WorkoutPilates,
	"Play":                          wearables.WorkoutFitness,
	"PreparationAndRecovery":        wearables.WorkoutRecovery,
	"Racquetball":                   wearables.WorkoutRacquetball,
	"Rowing":                        wearables.WorkoutRowing,
	"Rugby":                         wearables.WorkoutRugby,
	"Running":                       wearables.WorkoutRunning,
	"Sailing":                       wearables.WorkoutSailing,
	"SkatingSports":                 wearables.WorkoutIceSkating,
	"SnowSports":                    wearables.WorkoutSnowSports,
	"Snowboarding":                  wearables.WorkoutSnowboarding,
	"Soccer":                        wearables.WorkoutSoccer,
	"SocialDance":                   wearables.WorkoutSocialDance,
	"Softball":                      wearables.WorkoutSoftball,
	"Squash":                        wearables.WorkoutSquash,
	"StairClimbing":                 wearables.WorkoutStairStepper,
	"Stairs":                        wearables.WorkoutStairClimbing,
	"StepTraining":                  wearables.WorkoutStepTraining,
	"SurfingSports":                 wearables.WorkoutSurfing,
	"SwimBikeRun":                   wearables.WorkoutTriathlon,
	"Swimming":                      wearables.WorkoutSwimming,
	"TableTennis":                   wearables.WorkoutTableTennis,
	"TaiChi":                        wearables.WorkoutTaiChi,
	"Tennis":                        wearables.WorkoutTennis,
	"TrackAndField":                 wearables.WorkoutTrackAndField,
	"TraditionalStrengthTraining":   wearables.WorkoutStrengthTraining,
	"Transition":                    wearables.WorkoutTransition,
	"UnderwaterDiving":              wearables.WorkoutScubaDiving,
	"Volleyball":                    wearables.WorkoutVolleyball,
	"Walking":                       wearables.WorkoutWalking,
	"WaterFitness":                  wearables.WorkoutWaterFitness,
	"WaterPolo":                     wearables.WorkoutWaterPolo,
	"WaterSports":                   wearables.WorkoutWaterSports,
	"WheelchairRunPace":             wearables.WorkoutWheelchairRunPace,
	"WheelchairWalkPace":            wearables.WorkoutWheelchairWalkPace,
	"Wrestling":                     wearables.WorkoutWrestling,
	"Yoga":                          wearables.WorkoutYoga,
}

// HKWorkoutActivityTypes returns the workout type of every
// HKWorkoutActivityType identifier the importer knows. The map is a copy.
func HKWorkoutActivityTypes() map[string]wearables.WorkoutType {
	out := make(map[string]wearables.WorkoutType, len(workoutTypes))
	for name, wt := range workoutTypes {
		out[hkWorkoutPrefix+name] = wt
	}
	return out
}

// workoutType maps a workoutActivityType value; unknown values map to
// WorkoutOther (the raw value is kept in Workout.RawType).
func workoutType(raw string, indoor bool, swimLocation int) (wearables.WorkoutType, bool) {
	wt, ok := workoutTypes[strings.TrimPrefix(raw, hkWorkoutPrefix)]
	if !ok || !strings.HasPrefix(raw, hkWorkoutPrefix) {
		return wearables.WorkoutOther, false
	}
	switch {
	case indoor && wt == wearables.WorkoutRunning:
		wt = wearables.WorkoutIndoorRunning
	case indoor && wt == wearables.WorkoutCycling:
		wt = wearables.WorkoutIndoorCycling
	case indoor && wt == wearables.WorkoutRowing:
		wt = wearables.WorkoutIndoorRowing
	case wt == wearables.WorkoutSwimming && swimLocation == 1:
		wt = wearables.WorkoutSwimmingPool
	case wt == wearables.WorkoutSwimming && swimLocation == 2:
		wt = wearables.WorkoutSwimmingOpenWater
	}
	return wt, true
}

// device is the parsed HKDevice description of the device attribute:
// "<<HKDevice: 0x…>, name:Apple Watch, manufacturer:Apple Inc., model:Watch,
// hardware:Watch6,12, software:10.1>".
type device struct {
	Name, Manufacturer, Model, Hardware, Software string
}

// parseDevice reads the key:value pairs of an HKDevice description. Values
// may contain commas ("Watch6,12"): pairs are separated by ", ".
func parseDevice(s string) device {
	var d device
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "<")
	s = strings.TrimSuffix(s, ">")
	if i := strings.Index(s, ">,"); i >= 0 && strings.HasPrefix(s, "<HKDevice") {
		s = s[i+2:]
	}
	for _, part := range strings.Split(s, ", ") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "name":
			d.Name = v
		case "manufacturer":
			d.Manufacturer = v
		case "model":
			d.Model = v
		case "hardware":
			d.Hardware = v
		case "software":
			d.Software = v
		}
	}
	return d
}

// deviceType classifies a device, falling back to the source name when the
// record has no device attribute.
func deviceType(d device, sourceName string) wearables.DeviceType {
	has := func(s string, subs ...string) bool {
		s = strings.ToLower(s)
		for _, sub := range subs {
			if strings.Contains(s, sub) {
				return true
			}
		}
		return false
	}
	all := d.Model + " " + d.Hardware + " " + d.Name + " " + d.Manufacturer
	switch {
	case has(all, "watch"):
		return wearables.DeviceWatch
	case has(all, "iphone", "ipad", "ipod"):
		return wearables.DevicePhone
	case has(all, "oura", " ring"):
		return wearables.DeviceRing
	case has(all, "scale", "body+", "body cardio", "body comp", "smart body", "index"):
		return wearables.DeviceScale
	case has(all, "whoop", "strap", "h10", "h9", "hrm", "tickr"):
		return wearables.DeviceStrap
	case strings.TrimSpace(all) != "":
		return wearables.DeviceUnknown
	}
	// No device attribute: the source name tells what wrote the record.
	switch {
	case has(sourceName, "watch"):
		return wearables.DeviceWatch
	case has(sourceName, "iphone", "ipad"):
		return wearables.DevicePhone
	case has(sourceName, "scale"):
		return wearables.DeviceScale
	}
	return wearables.DeviceApp
}

// deviceModel picks the most specific model string of a device.
func deviceModel(d device) string {
	switch {
	case d.Hardware != "":
		return d.Hardware
	case d.Model != "":
		return d.Model
	}
	return d.Name
}
