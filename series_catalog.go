package wearables

// Series types. The numeric values are stable ids (see SeriesType): they are
// pinned by testdata/catalog/series.golden.tsv, a released id never changes
// its code, unit or meaning, and new types take the next free id at the end.
// Each comment gives the canonical unit and, where it helps a mapping, the
// vendor fields that land on the type.
const (
	// SeriesHeartRate is the instantaneous heart rate, in bpm.
	SeriesHeartRate SeriesType = 1
	// SeriesRestingHeartRate is the resting heart rate, usually one value a
	// day, in bpm.
	SeriesRestingHeartRate SeriesType = 2
	// SeriesHRVSDNN is heart-rate variability as SDNN, in ms (Apple, Google,
	// Withings sdnn_1).
	SeriesHRVSDNN SeriesType = 3
	// SeriesHRVRMSSD is heart-rate variability as RMSSD, in ms (Garmin, Oura,
	// WHOOP, Polar, Google, Withings rmssd).
	SeriesHRVRMSSD SeriesType = 4
	// SeriesHeartRateRecoveryOneMinute is the drop in heart rate one minute
	// after exercise, in bpm.
	SeriesHeartRateRecoveryOneMinute SeriesType = 5
	// SeriesWalkingHeartRateAverage is the average heart rate while walking,
	// in bpm.
	SeriesWalkingHeartRateAverage SeriesType = 6
	// SeriesMinHeartRate is the lowest heart rate over the sample's interval
	// (a day, a sleep), in bpm.
	SeriesMinHeartRate SeriesType = 7
	// SeriesMaxHeartRate is the highest heart rate over the sample's interval,
	// in bpm.
	SeriesMaxHeartRate SeriesType = 8
	// SeriesInterbeatInterval is the time between two heartbeats (RR or
	// beat-to-beat interval), in ms.
	SeriesInterbeatInterval SeriesType = 9
	// SeriesAtrialFibrillationBurden is the share of time in atrial
	// fibrillation, in percent.
	SeriesAtrialFibrillationBurden SeriesType = 10
	// SeriesPulseWaveVelocity is the arterial pulse wave velocity, in m/s.
	SeriesPulseWaveVelocity SeriesType = 11

	// SeriesOxygenSaturation is blood oxygen saturation (SpO2), in percent
	// 0–100 (Apple and Suunto fractions are scaled).
	SeriesOxygenSaturation SeriesType = 12
	// SeriesBloodGlucose is blood glucose, in mg/dL.
	SeriesBloodGlucose SeriesType = 13
	// SeriesBloodPressureSystolic is systolic blood pressure, in mmHg.
	SeriesBloodPressureSystolic SeriesType = 14
	// SeriesBloodPressureDiastolic is diastolic blood pressure, in mmHg.
	SeriesBloodPressureDiastolic SeriesType = 15
	// SeriesPeripheralPerfusionIndex is the peripheral perfusion index, in
	// percent.
	SeriesPeripheralPerfusionIndex SeriesType = 16
	// SeriesBloodAlcoholContent is blood alcohol content, in percent.
	SeriesBloodAlcoholContent SeriesType = 17
	// SeriesBloodKetones is blood ketones (beta-hydroxybutyrate), in mmol/L.
	SeriesBloodKetones SeriesType = 18

	// SeriesRespiratoryRate is the breathing rate, in breaths/min.
	SeriesRespiratoryRate SeriesType = 19
	// SeriesBreathingDisturbances is the rate of breathing disturbances
	// (Oura breathing_disturbance_index, Apple sleeping breathing
	// disturbances), in events per hour.
	SeriesBreathingDisturbances SeriesType = 20
	// SeriesApneaHypopneaIndex is the apnea-hypopnea index, in events per
	// hour.
	SeriesApneaHypopneaIndex SeriesType = 21
	// SeriesVO2Max is the estimated maximal oxygen uptake (running or
	// general), in mL/(kg·min).
	SeriesVO2Max SeriesType = 22
	// SeriesVO2MaxCycling is the estimated maximal oxygen uptake for cycling
	// (Garmin vo2MaxCycling), in mL/(kg·min).
	SeriesVO2MaxCycling SeriesType = 23
	// SeriesForcedVitalCapacity is the forced vital capacity, in L.
	SeriesForcedVitalCapacity SeriesType = 24
	// SeriesForcedExpiratoryVolume1 is the forced expiratory volume in one
	// second (FEV1), in L.
	SeriesForcedExpiratoryVolume1 SeriesType = 25
	// SeriesPeakExpiratoryFlowRate is the peak expiratory flow rate, in L/min.
	SeriesPeakExpiratoryFlowRate SeriesType = 26
	// SeriesInhalerUsage is the number of inhaler puffs, a count.
	SeriesInhalerUsage SeriesType = 27

	// SeriesHeight is body height, in m.
	SeriesHeight SeriesType = 28
	// SeriesWeight is body mass, in kg.
	SeriesWeight SeriesType = 29
	// SeriesBodyMassIndex is the body mass index, in kg/m2.
	SeriesBodyMassIndex SeriesType = 30
	// SeriesBodyFatPercentage is the body fat ratio, in percent.
	SeriesBodyFatPercentage SeriesType = 31
	// SeriesLeanBodyMass is lean (fat-free) body mass, in kg.
	SeriesLeanBodyMass SeriesType = 32
	// SeriesFatMass is body fat mass, in kg.
	SeriesFatMass SeriesType = 33
	// SeriesMuscleMass is muscle mass, in kg.
	SeriesMuscleMass SeriesType = 34
	// SeriesBoneMass is bone mass, in kg.
	SeriesBoneMass SeriesType = 35
	// SeriesBodyWaterPercentage is total body water as a share of body mass
	// (Garmin bodyWaterInPercent), in percent.
	SeriesBodyWaterPercentage SeriesType = 36
	// SeriesBodyWaterMass is total body water (Withings hydration), in kg.
	SeriesBodyWaterMass SeriesType = 37
	// SeriesVisceralFatRating is the visceral fat rating on the vendor's own
	// index (Withings visceral fat), a score.
	SeriesVisceralFatRating SeriesType = 38
	// SeriesBasalMetabolicRate is the estimated basal metabolic rate, in kcal
	// per day.
	SeriesBasalMetabolicRate SeriesType = 39
	// SeriesWaistCircumference is the waist circumference, in m.
	SeriesWaistCircumference SeriesType = 40
	// SeriesBodyTemperature is the absolute body (core or oral) temperature,
	// in °C.
	SeriesBodyTemperature SeriesType = 41
	// SeriesBasalBodyTemperature is the basal body temperature, in °C.
	SeriesBasalBodyTemperature SeriesType = 42
	// SeriesSkinTemperature is the absolute skin temperature, in °C.
	SeriesSkinTemperature SeriesType = 43
	// SeriesBodyTemperatureDeviation is the body temperature's deviation from
	// the user's baseline (Oura temperature_deviation), in °C difference.
	SeriesBodyTemperatureDeviation SeriesType = 44
	// SeriesSkinTemperatureDeviation is the skin temperature's deviation from
	// the user's baseline (Garmin avgDeviationCelsius), in °C difference.
	SeriesSkinTemperatureDeviation SeriesType = 45
	// SeriesElectrodermalActivity is skin conductance, in µS.
	SeriesElectrodermalActivity SeriesType = 46

	// SeriesSteps is the number of steps, a count.
	SeriesSteps SeriesType = 47
	// SeriesActiveEnergy is energy burned above the basal rate, in kcal.
	SeriesActiveEnergy SeriesType = 48
	// SeriesBasalEnergy is resting (basal) energy burned, in kcal.
	SeriesBasalEnergy SeriesType = 49
	// SeriesTotalEnergy is total energy burned, active plus basal, in kcal.
	SeriesTotalEnergy SeriesType = 50
	// SeriesFlightsClimbed is the number of flights of stairs (floors)
	// climbed, a count.
	SeriesFlightsClimbed SeriesType = 51
	// SeriesWheelchairPushes is the number of wheelchair pushes, a count.
	SeriesWheelchairPushes SeriesType = 52
	// SeriesStandTime is time spent standing (Apple stand time), in s.
	SeriesStandTime SeriesType = 53
	// SeriesExerciseTime is time spent exercising (Apple exercise time), in s.
	SeriesExerciseTime SeriesType = 54
	// SeriesActiveTime is time spent active (Garmin activeTimeInSeconds,
	// Withings active), in s.
	SeriesActiveTime SeriesType = 55
	// SeriesMoveTime is time spent moving (Apple move time), in s.
	SeriesMoveTime SeriesType = 56
	// SeriesStandHours is the number of hours with a stand (Apple stand
	// hours), a count.
	SeriesStandHours SeriesType = 57
	// SeriesSedentaryTime is time spent sedentary, in s.
	SeriesSedentaryTime SeriesType = 58
	// SeriesLowIntensityTime is time in low-intensity activity (Oura low,
	// Withings soft), in s.
	SeriesLowIntensityTime SeriesType = 59
	// SeriesModerateIntensityTime is time in moderate-intensity activity, in s.
	SeriesModerateIntensityTime SeriesType = 60
	// SeriesVigorousIntensityTime is time in vigorous-intensity activity
	// (Garmin vigorous, Oura high, Withings intense), in s.
	SeriesVigorousIntensityTime SeriesType = 61
	// SeriesMET is the metabolic equivalent of task, in MET.
	SeriesMET SeriesType = 62
	// SeriesFalls is the number of falls detected, a count.
	SeriesFalls SeriesType = 63
	// SeriesMindfulTime is time spent in mindfulness or breathing sessions,
	// in s.
	SeriesMindfulTime SeriesType = 64

	// SeriesDistance is distance covered by any means, when the vendor does
	// not say how (Garmin and Withings dailies, Google distance), in m.
	SeriesDistance SeriesType = 65
	// SeriesDistanceWalkingRunning is distance walked or run, in m.
	SeriesDistanceWalkingRunning SeriesType = 66
	// SeriesDistanceCycling is distance cycled, in m.
	SeriesDistanceCycling SeriesType = 67
	// SeriesDistanceSwimming is distance swum, in m.
	SeriesDistanceSwimming SeriesType = 68
	// SeriesDistanceWheelchair is distance covered in a wheelchair, in m.
	SeriesDistanceWheelchair SeriesType = 69
	// SeriesDistanceDownhillSnowSports is distance covered skiing or
	// snowboarding downhill, in m.
	SeriesDistanceDownhillSnowSports SeriesType = 70
	// SeriesDistanceCrossCountrySkiing is distance covered cross-country
	// skiing, in m.
	SeriesDistanceCrossCountrySkiing SeriesType = 71
	// SeriesDistanceRowing is distance rowed, in m.
	SeriesDistanceRowing SeriesType = 72
	// SeriesDistancePaddling is distance paddled (kayak, canoe, SUP), in m.
	SeriesDistancePaddling SeriesType = 73
	// SeriesDistanceSkating is distance skated, in m.
	SeriesDistanceSkating SeriesType = 74

	// SeriesWalkingSpeed is walking speed, in m/s.
	SeriesWalkingSpeed SeriesType = 75
	// SeriesWalkingStepLength is the walking step length, in m.
	SeriesWalkingStepLength SeriesType = 76
	// SeriesWalkingAsymmetry is the share of steps with asymmetric timing, in
	// percent.
	SeriesWalkingAsymmetry SeriesType = 77
	// SeriesWalkingDoubleSupport is the share of the gait cycle with both feet
	// on the ground, in percent.
	SeriesWalkingDoubleSupport SeriesType = 78
	// SeriesWalkingSteadiness is Apple's walking steadiness, in percent.
	SeriesWalkingSteadiness SeriesType = 79
	// SeriesStairAscentSpeed is the vertical speed climbing stairs, in m/s.
	SeriesStairAscentSpeed SeriesType = 80
	// SeriesStairDescentSpeed is the vertical speed descending stairs, in m/s.
	SeriesStairDescentSpeed SeriesType = 81
	// SeriesSixMinuteWalkDistance is the estimated six-minute walk test
	// distance, in m.
	SeriesSixMinuteWalkDistance SeriesType = 82

	// SeriesRunningSpeed is running speed, in m/s.
	SeriesRunningSpeed SeriesType = 83
	// SeriesRunningPower is running power, in W.
	SeriesRunningPower SeriesType = 84
	// SeriesRunningStrideLength is the running stride length, in m.
	SeriesRunningStrideLength SeriesType = 85
	// SeriesVerticalOscillation is the vertical oscillation while running, in
	// cm.
	SeriesVerticalOscillation SeriesType = 86
	// SeriesVerticalRatio is vertical oscillation relative to stride length,
	// in percent.
	SeriesVerticalRatio SeriesType = 87
	// SeriesGroundContactTime is the ground contact time of a running step,
	// in ms.
	SeriesGroundContactTime SeriesType = 88

	// SeriesSwimmingStrokes is the number of swimming strokes, a count.
	SeriesSwimmingStrokes SeriesType = 89
	// SeriesSwimmingStrokeRate is the swimming stroke rate, in strokes/min.
	SeriesSwimmingStrokeRate SeriesType = 90
	// SeriesSwimmingLaps is the number of pool lengths swum (Withings
	// pool_laps), a count.
	SeriesSwimmingLaps SeriesType = 91
	// SeriesSWOLF is the swim efficiency score (seconds plus strokes per pool
	// length), a score.
	SeriesSWOLF SeriesType = 92

	// SeriesCyclingSpeed is cycling speed, in m/s.
	SeriesCyclingSpeed SeriesType = 93
	// SeriesCyclingPower is cycling power, in W.
	SeriesCyclingPower SeriesType = 94
	// SeriesCyclingCadence is the pedalling cadence, in rpm.
	SeriesCyclingCadence SeriesType = 95
	// SeriesCyclingFTP is the estimated cycling functional threshold power,
	// in W.
	SeriesCyclingFTP SeriesType = 96

	// SeriesSpeed is speed in any sport, when the vendor does not say which,
	// in m/s.
	SeriesSpeed SeriesType = 97
	// SeriesPower is mechanical power in any sport, in W.
	SeriesPower SeriesType = 98
	// SeriesStepCadence is the walking or running cadence (Garmin
	// stepsPerMinute, Polar running cadence), in steps/min.
	SeriesStepCadence SeriesType = 99
	// SeriesRowingStrokeRate is the rowing or paddling stroke rate, in
	// strokes/min.
	SeriesRowingStrokeRate SeriesType = 100

	// SeriesElevation is the altitude above mean sea level, in m.
	SeriesElevation SeriesType = 101
	// SeriesLatitude is the WGS 84 latitude, in degrees.
	SeriesLatitude SeriesType = 102
	// SeriesLongitude is the WGS 84 longitude, in degrees.
	SeriesLongitude SeriesType = 103
	// SeriesAirTemperature is the ambient air temperature, in °C.
	SeriesAirTemperature SeriesType = 104
	// SeriesWaterTemperature is the water temperature, in °C.
	SeriesWaterTemperature SeriesType = 105
	// SeriesUnderwaterDepth is the depth below the water surface, in m.
	SeriesUnderwaterDepth SeriesType = 106
	// SeriesEnvironmentalAudioExposure is the ambient sound level, in dBA.
	SeriesEnvironmentalAudioExposure SeriesType = 107
	// SeriesHeadphoneAudioExposure is the sound level from headphones, in
	// dBA.
	SeriesHeadphoneAudioExposure SeriesType = 108
	// SeriesTimeInDaylight is time spent in daylight, in s.
	SeriesTimeInDaylight SeriesType = 109
	// SeriesUVExposure is the UV index of the sun exposure, in UV index.
	SeriesUVExposure SeriesType = 110
	// SeriesAmbientLight is the ambient illuminance, in lx.
	SeriesAmbientLight SeriesType = 111

	// SeriesStressLevel is the vendor's stress level, a score 0–100 (Garmin
	// stress; negative Garmin codes are not values).
	SeriesStressLevel SeriesType = 112
	// SeriesBodyBattery is the vendor's energy reserve, a score 0–100 (Garmin
	// Body Battery; Suunto body resources scaled from 0–1).
	SeriesBodyBattery SeriesType = 113

	// SeriesDietaryEnergy is energy consumed as food, in kcal.
	SeriesDietaryEnergy SeriesType = 114
	// SeriesWaterIntake is water drunk, in L.
	SeriesWaterIntake SeriesType = 115
	// SeriesDietaryCarbohydrates is carbohydrates consumed, in g.
	SeriesDietaryCarbohydrates SeriesType = 116
	// SeriesDietaryProtein is protein consumed, in g.
	SeriesDietaryProtein SeriesType = 117
	// SeriesDietaryFat is total fat consumed, in g.
	SeriesDietaryFat SeriesType = 118
	// SeriesDietaryFiber is fiber consumed, in g.
	SeriesDietaryFiber SeriesType = 119
	// SeriesDietarySugar is sugar consumed, in g.
	SeriesDietarySugar SeriesType = 120
	// SeriesDietarySodium is sodium consumed, in mg.
	SeriesDietarySodium SeriesType = 121
	// SeriesDietaryCaffeine is caffeine consumed, in mg.
	SeriesDietaryCaffeine SeriesType = 122

	// SeriesSleepingWristTemperature is the absolute wrist temperature during
	// sleep (Apple sleeping wrist temperature), in °C.
	SeriesSleepingWristTemperature SeriesType = 123
	// SeriesSnoringDuration is time spent snoring, in s.
	SeriesSnoringDuration SeriesType = 124
)

// seriesCatalog is the series catalog, ordered by id with dense ids from 1.
// Entries are only ever appended; catalog_test.go checks it against
// testdata/catalog/series.golden.tsv.
var seriesCatalog = []SeriesInfo{
	// Heart.
	{SeriesHeartRate, "heart_rate", "Heart rate", CategoryHeart, UnitBPM, AggAvg, 20, 300},
	{SeriesRestingHeartRate, "resting_heart_rate", "Resting heart rate", CategoryHeart, UnitBPM, AggAvg, 20, 250},
	{SeriesHRVSDNN, "hrv_sdnn", "Heart rate variability (SDNN)", CategoryHeart, UnitMillisecond, AggAvg, 1, 1000},
	{SeriesHRVRMSSD, "hrv_rmssd", "Heart rate variability (RMSSD)", CategoryHeart, UnitMillisecond, AggAvg, 1, 1000},
	{SeriesHeartRateRecoveryOneMinute, "heart_rate_recovery_one_minute", "Heart rate recovery (one minute)", CategoryHeart, UnitBPM, AggAvg, 0, 200},
	{SeriesWalkingHeartRateAverage, "walking_heart_rate_average", "Walking heart rate average", CategoryHeart, UnitBPM, AggAvg, 20, 250},
	{SeriesMinHeartRate, "min_heart_rate", "Minimum heart rate", CategoryHeart, UnitBPM, AggMin, 20, 300},
	{SeriesMaxHeartRate, "max_heart_rate", "Maximum heart rate", CategoryHeart, UnitBPM, AggMax, 20, 300},
	{SeriesInterbeatInterval, "interbeat_interval", "Interbeat (RR) interval", CategoryHeart, UnitMillisecond, AggAvg, 200, 3000},
	{SeriesAtrialFibrillationBurden, "atrial_fibrillation_burden", "Atrial fibrillation burden", CategoryHeart, UnitPercent, AggLast, 0, 100},
	{SeriesPulseWaveVelocity, "pulse_wave_velocity", "Pulse wave velocity", CategoryHeart, UnitMetersPerSecond, AggAvg, 1, 30},

	// Blood.
	{SeriesOxygenSaturation, "oxygen_saturation", "Oxygen saturation (SpO2)", CategoryBlood, UnitPercent, AggAvg, 50, 100},
	{SeriesBloodGlucose, "blood_glucose", "Blood glucose", CategoryBlood, UnitMgPerDL, AggAvg, 10, 1000},
	{SeriesBloodPressureSystolic, "blood_pressure_systolic", "Systolic blood pressure", CategoryBlood, UnitMmHg, AggAvg, 40, 300},
	{SeriesBloodPressureDiastolic, "blood_pressure_diastolic", "Diastolic blood pressure", CategoryBlood, UnitMmHg, AggAvg, 20, 200},
	{SeriesPeripheralPerfusionIndex, "peripheral_perfusion_index", "Peripheral perfusion index", CategoryBlood, UnitPercent, AggAvg, 0, 100},
	{SeriesBloodAlcoholContent, "blood_alcohol_content", "Blood alcohol content", CategoryBlood, UnitPercent, AggAvg, 0, 1},
	{SeriesBloodKetones, "blood_ketones", "Blood ketones", CategoryBlood, UnitMillimolePerL, AggAvg, 0, 30},

	// Respiration.
	{SeriesRespiratoryRate, "respiratory_rate", "Respiratory rate", CategoryRespiration, UnitBreathsPerMinute, AggAvg, 1, 100},
	{SeriesBreathingDisturbances, "breathing_disturbances", "Breathing disturbances", CategoryRespiration, UnitPerHour, AggAvg, 0, 200},
	{SeriesApneaHypopneaIndex, "apnea_hypopnea_index", "Apnea-hypopnea index", CategoryRespiration, UnitPerHour, AggAvg, 0, 200},
	{SeriesVO2Max, "vo2_max", "VO2 max", CategoryRespiration, UnitVO2Max, AggLast, 5, 100},
	{SeriesVO2MaxCycling, "vo2_max_cycling", "VO2 max (cycling)", CategoryRespiration, UnitVO2Max, AggLast, 5, 100},
	{SeriesForcedVitalCapacity, "forced_vital_capacity", "Forced vital capacity", CategoryRespiration, UnitLiter, AggLast, 0.1, 10},
	{SeriesForcedExpiratoryVolume1, "forced_expiratory_volume_1", "Forced expiratory volume in 1 s", CategoryRespiration, UnitLiter, AggLast, 0.1, 10},
	{SeriesPeakExpiratoryFlowRate, "peak_expiratory_flow_rate", "Peak expiratory flow rate", CategoryRespiration, UnitLitersPerMinute, AggLast, 10, 1000},
	{SeriesInhalerUsage, "inhaler_usage", "Inhaler usage", CategoryRespiration, UnitCount, AggSum, 0, 100},

	// Body.
	{SeriesHeight, "height", "Height", CategoryBody, UnitMeter, AggLast, 0.3, 2.8},
	{SeriesWeight, "weight", "Weight", CategoryBody, UnitKilogram, AggLast, 0.5, 700},
	{SeriesBodyMassIndex, "body_mass_index", "Body mass index", CategoryBody, UnitKgPerM2, AggLast, 5, 250},
	{SeriesBodyFatPercentage, "body_fat_percentage", "Body fat percentage", CategoryBody, UnitPercent, AggLast, 1, 90},
	{SeriesLeanBodyMass, "lean_body_mass", "Lean body mass", CategoryBody, UnitKilogram, AggLast, 0.5, 400},
	{SeriesFatMass, "fat_mass", "Fat mass", CategoryBody, UnitKilogram, AggLast, 0, 500},
	{SeriesMuscleMass, "muscle_mass", "Muscle mass", CategoryBody, UnitKilogram, AggLast, 0, 400},
	{SeriesBoneMass, "bone_mass", "Bone mass", CategoryBody, UnitKilogram, AggLast, 0, 30},
	{SeriesBodyWaterPercentage, "body_water_percentage", "Body water percentage", CategoryBody, UnitPercent, AggLast, 10, 90},
	{SeriesBodyWaterMass, "body_water_mass", "Body water mass", CategoryBody, UnitKilogram, AggLast, 0, 400},
	{SeriesVisceralFatRating, "visceral_fat_rating", "Visceral fat rating", CategoryBody, UnitScore, AggLast, 0, 100},
	{SeriesBasalMetabolicRate, "basal_metabolic_rate", "Basal metabolic rate", CategoryBody, UnitKilocalorie, AggLast, 100, 10000},
	{SeriesWaistCircumference, "waist_circumference", "Waist circumference", CategoryBody, UnitMeter, AggLast, 0.2, 3},
	{SeriesBodyTemperature, "body_temperature", "Body temperature", CategoryBody, UnitCelsius, AggAvg, 25, 45},
	{SeriesBasalBodyTemperature, "basal_body_temperature", "Basal body temperature", CategoryBody, UnitCelsius, AggAvg, 30, 45},
	{SeriesSkinTemperature, "skin_temperature", "Skin temperature", CategoryBody, UnitCelsius, AggAvg, 10, 45},
	{SeriesBodyTemperatureDeviation, "body_temperature_deviation", "Body temperature deviation", CategoryBody, UnitCelsiusDelta, AggAvg, -10, 10},
	{SeriesSkinTemperatureDeviation, "skin_temperature_deviation", "Skin temperature deviation", CategoryBody, UnitCelsiusDelta, AggAvg, -10, 10},
	{SeriesElectrodermalActivity, "electrodermal_activity", "Electrodermal activity", CategoryBody, UnitSiemens, AggAvg, 0, 100},

	// Activity.
	{SeriesSteps, "steps", "Steps", CategoryActivity, UnitCount, AggSum, 0, 100000},
	{SeriesActiveEnergy, "active_energy", "Active energy", CategoryActivity, UnitKilocalorie, AggSum, 0, 20000},
	{SeriesBasalEnergy, "basal_energy", "Basal energy", CategoryActivity, UnitKilocalorie, AggSum, 0, 20000},
	{SeriesTotalEnergy, "total_energy", "Total energy", CategoryActivity, UnitKilocalorie, AggSum, 0, 30000},
	{SeriesFlightsClimbed, "flights_climbed", "Flights climbed", CategoryActivity, UnitCount, AggSum, 0, 10000},
	{SeriesWheelchairPushes, "wheelchair_pushes", "Wheelchair pushes", CategoryActivity, UnitCount, AggSum, 0, 100000},
	{SeriesStandTime, "stand_time", "Stand time", CategoryActivity, UnitSecond, AggSum, 0, 86400},
	{SeriesExerciseTime, "exercise_time", "Exercise time", CategoryActivity, UnitSecond, AggSum, 0, 86400},
	{SeriesActiveTime, "active_time", "Active time", CategoryActivity, UnitSecond, AggSum, 0, 86400},
	{SeriesMoveTime, "move_time", "Move time", CategoryActivity, UnitSecond, AggSum, 0, 86400},
	{SeriesStandHours, "stand_hours", "Stand hours", CategoryActivity, UnitCount, AggSum, 0, 24},
	{SeriesSedentaryTime, "sedentary_time", "Sedentary time", CategoryActivity, UnitSecond, AggSum, 0, 86400},
	{SeriesLowIntensityTime, "low_intensity_time", "Low-intensity time", CategoryActivity, UnitSecond, AggSum, 0, 86400},
	{SeriesModerateIntensityTime, "moderate_intensity_time", "Moderate-intensity time", CategoryActivity, UnitSecond, AggSum, 0, 86400},
	{SeriesVigorousIntensityTime, "vigorous_intensity_time", "Vigorous-intensity time", CategoryActivity, UnitSecond, AggSum, 0, 86400},
	{SeriesMET, "met", "Metabolic equivalent", CategoryActivity, UnitMET, AggAvg, 0, 30},
	{SeriesFalls, "falls", "Falls", CategoryActivity, UnitCount, AggSum, 0, 100},
	{SeriesMindfulTime, "mindful_time", "Mindful time", CategoryActivity, UnitSecond, AggSum, 0, 86400},

	// Distance.
	{SeriesDistance, "distance", "Distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistanceWalkingRunning, "distance_walking_running", "Walking and running distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistanceCycling, "distance_cycling", "Cycling distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistanceSwimming, "distance_swimming", "Swimming distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistanceWheelchair, "distance_wheelchair", "Wheelchair distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistanceDownhillSnowSports, "distance_downhill_snow_sports", "Downhill snow sports distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistanceCrossCountrySkiing, "distance_cross_country_skiing", "Cross-country skiing distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistanceRowing, "distance_rowing", "Rowing distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistancePaddling, "distance_paddling", "Paddling distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},
	{SeriesDistanceSkating, "distance_skating", "Skating distance", CategoryDistance, UnitMeter, AggSum, 0, 1e6},

	// Walking.
	{SeriesWalkingSpeed, "walking_speed", "Walking speed", CategoryWalking, UnitMetersPerSecond, AggAvg, 0, 10},
	{SeriesWalkingStepLength, "walking_step_length", "Walking step length", CategoryWalking, UnitMeter, AggAvg, 0, 3},
	{SeriesWalkingAsymmetry, "walking_asymmetry", "Walking asymmetry", CategoryWalking, UnitPercent, AggAvg, 0, 100},
	{SeriesWalkingDoubleSupport, "walking_double_support", "Walking double support time", CategoryWalking, UnitPercent, AggAvg, 0, 100},
	{SeriesWalkingSteadiness, "walking_steadiness", "Walking steadiness", CategoryWalking, UnitPercent, AggLast, 0, 100},
	{SeriesStairAscentSpeed, "stair_ascent_speed", "Stair ascent speed", CategoryWalking, UnitMetersPerSecond, AggAvg, 0, 5},
	{SeriesStairDescentSpeed, "stair_descent_speed", "Stair descent speed", CategoryWalking, UnitMetersPerSecond, AggAvg, 0, 5},
	{SeriesSixMinuteWalkDistance, "six_minute_walk_distance", "Six-minute walk distance", CategoryWalking, UnitMeter, AggLast, 0, 2000},

	// Running.
	{SeriesRunningSpeed, "running_speed", "Running speed", CategoryRunning, UnitMetersPerSecond, AggAvg, 0, 15},
	{SeriesRunningPower, "running_power", "Running power", CategoryRunning, UnitWatt, AggAvg, 0, 2000},
	{SeriesRunningStrideLength, "running_stride_length", "Running stride length", CategoryRunning, UnitMeter, AggAvg, 0, 4},
	{SeriesVerticalOscillation, "vertical_oscillation", "Vertical oscillation", CategoryRunning, UnitCentimeter, AggAvg, 0, 50},
	{SeriesVerticalRatio, "vertical_ratio", "Vertical ratio", CategoryRunning, UnitPercent, AggAvg, 0, 50},
	{SeriesGroundContactTime, "ground_contact_time", "Ground contact time", CategoryRunning, UnitMillisecond, AggAvg, 50, 2000},

	// Swimming.
	{SeriesSwimmingStrokes, "swimming_strokes", "Swimming strokes", CategorySwimming, UnitCount, AggSum, 0, 100000},
	{SeriesSwimmingStrokeRate, "swimming_stroke_rate", "Swimming stroke rate", CategorySwimming, UnitStrokesPerMinute, AggAvg, 0, 200},
	{SeriesSwimmingLaps, "swimming_laps", "Swimming laps", CategorySwimming, UnitCount, AggSum, 0, 10000},
	{SeriesSWOLF, "swolf", "SWOLF", CategorySwimming, UnitScore, AggAvg, 0, 500},

	// Cycling.
	{SeriesCyclingSpeed, "cycling_speed", "Cycling speed", CategoryCycling, UnitMetersPerSecond, AggAvg, 0, 50},
	{SeriesCyclingPower, "cycling_power", "Cycling power", CategoryCycling, UnitWatt, AggAvg, 0, 3000},
	{SeriesCyclingCadence, "cycling_cadence", "Cycling cadence", CategoryCycling, UnitRPM, AggAvg, 0, 250},
	{SeriesCyclingFTP, "cycling_functional_threshold_power", "Cycling functional threshold power", CategoryCycling, UnitWatt, AggLast, 1, 1000},

	// Generic.
	{SeriesSpeed, "speed", "Speed", CategoryGeneric, UnitMetersPerSecond, AggAvg, 0, 150},
	{SeriesPower, "power", "Power", CategoryGeneric, UnitWatt, AggAvg, 0, 3000},
	{SeriesStepCadence, "step_cadence", "Step cadence", CategoryGeneric, UnitStepsPerMinute, AggAvg, 0, 300},
	{SeriesRowingStrokeRate, "rowing_stroke_rate", "Rowing stroke rate", CategoryGeneric, UnitStrokesPerMinute, AggAvg, 0, 100},

	// Environment.
	{SeriesElevation, "elevation", "Elevation", CategoryEnvironment, UnitMeter, AggAvg, -1000, 12000},
	{SeriesLatitude, "latitude", "Latitude", CategoryEnvironment, UnitDegree, AggLast, -90, 90},
	{SeriesLongitude, "longitude", "Longitude", CategoryEnvironment, UnitDegree, AggLast, -180, 180},
	{SeriesAirTemperature, "air_temperature", "Air temperature", CategoryEnvironment, UnitCelsius, AggAvg, -90, 70},
	{SeriesWaterTemperature, "water_temperature", "Water temperature", CategoryEnvironment, UnitCelsius, AggAvg, -5, 50},
	{SeriesUnderwaterDepth, "underwater_depth", "Underwater depth", CategoryEnvironment, UnitMeter, AggAvg, 0, 1000},
	{SeriesEnvironmentalAudioExposure, "environmental_audio_exposure", "Environmental audio exposure", CategoryEnvironment, UnitDecibel, AggAvg, 0, 200},
	{SeriesHeadphoneAudioExposure, "headphone_audio_exposure", "Headphone audio exposure", CategoryEnvironment, UnitDecibel, AggAvg, 0, 200},
	{SeriesTimeInDaylight, "time_in_daylight", "Time in daylight", CategoryEnvironment, UnitSecond, AggSum, 0, 86400},
	{SeriesUVExposure, "uv_exposure", "UV exposure", CategoryEnvironment, UnitUVIndex, AggAvg, 0, 30},
	{SeriesAmbientLight, "ambient_light", "Ambient light", CategoryEnvironment, UnitLux, AggAvg, 0, 200000},

	// Vendor scores sampled over time.
	{SeriesStressLevel, "stress_level", "Stress level", CategoryScore, UnitScore, AggAvg, 0, 100},
	{SeriesBodyBattery, "body_battery", "Body battery", CategoryScore, UnitScore, AggAvg, 0, 100},

	// Nutrition.
	{SeriesDietaryEnergy, "dietary_energy", "Dietary energy", CategoryNutrition, UnitKilocalorie, AggSum, 0, 20000},
	{SeriesWaterIntake, "water_intake", "Water intake", CategoryNutrition, UnitLiter, AggSum, 0, 20},
	{SeriesDietaryCarbohydrates, "dietary_carbohydrates", "Carbohydrates", CategoryNutrition, UnitGram, AggSum, 0, 2000},
	{SeriesDietaryProtein, "dietary_protein", "Protein", CategoryNutrition, UnitGram, AggSum, 0, 1000},
	{SeriesDietaryFat, "dietary_fat", "Total fat", CategoryNutrition, UnitGram, AggSum, 0, 1000},
	{SeriesDietaryFiber, "dietary_fiber", "Fiber", CategoryNutrition, UnitGram, AggSum, 0, 500},
	{SeriesDietarySugar, "dietary_sugar", "Sugar", CategoryNutrition, UnitGram, AggSum, 0, 2000},
	{SeriesDietarySodium, "dietary_sodium", "Sodium", CategoryNutrition, UnitMilligram, AggSum, 0, 100000},
	{SeriesDietaryCaffeine, "dietary_caffeine", "Caffeine", CategoryNutrition, UnitMilligram, AggSum, 0, 5000},

	// Sleep.
	{SeriesSleepingWristTemperature, "sleeping_wrist_temperature", "Sleeping wrist temperature", CategorySleep, UnitCelsius, AggAvg, 20, 45},
	{SeriesSnoringDuration, "snoring_duration", "Snoring duration", CategorySleep, UnitSecond, AggSum, 0, 86400},
}
