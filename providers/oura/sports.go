package oura

import (
	"strings"

	"github.com/wearables-go/wearables"
)

// WorkoutType maps an Oura workout activity name (PublicWorkout.activity,
// e.g. "running", "strength_training") to a workout type. Matching ignores
// case and treats spaces and hyphens as underscores. A name without a
// mapping is wearables.WorkoutOther: never an error, and the caller keeps
// the name in Workout.RawType so it can be mapped later.
func WorkoutType(activity string) wearables.WorkoutType {
	if t, ok := activities[activity]; ok {
		return t
	}
	key := separators.Replace(strings.ToLower(strings.TrimSpace(activity)))
	if t, ok := activities[key]; ok {
		return t
	}
	return wearables.WorkoutOther
}

var separators = strings.NewReplacer(" ", "_", "-", "_")

// activities is Oura's activity taxonomy. Oura documents the field only as
// a string; the names are those its app offers and that auto-detection
// and partner integrations produce, as seen in public integrations
// (unverified against a complete list from Oura).
var activities = map[string]wearables.WorkoutType{
	// Running and walking.
	"running":           wearables.WorkoutRunning,
	"trail_running":     wearables.WorkoutTrailRunning,
	"treadmill_running": wearables.WorkoutTreadmillRunning,
	"track_running":     wearables.WorkoutTrackRunning,
	"indoor_running":    wearables.WorkoutIndoorRunning,
	"obstacle_course":   wearables.WorkoutObstacleRacing,
	"walking":           wearables.WorkoutWalking,
	"treadmill_walking": wearables.WorkoutWalking,
	"nordic_walking":    wearables.WorkoutNordicWalking,
	"hiking":            wearables.WorkoutHiking,
	"rucking":           wearables.WorkoutRucking,
	"wheelchair":        wearables.WorkoutWheelchair,

	// Cycling.
	"cycling":         wearables.WorkoutCycling,
	"road_cycling":    wearables.WorkoutCycling,
	"indoor_cycling":  wearables.WorkoutIndoorCycling,
	"spinning":        wearables.WorkoutIndoorCycling,
	"mountain_biking": wearables.WorkoutMountainBiking,
	"gravel_cycling":  wearables.WorkoutGravelCycling,
	"e_biking":        wearables.WorkoutEBiking,
	"bmx":             wearables.WorkoutBMX,
	"handcycling":     wearables.WorkoutHandcycling,

	// Water.
	"swimming":            wearables.WorkoutSwimming,
	"pool_swimming":       wearables.WorkoutSwimmingPool,
	"open_water_swimming": wearables.WorkoutSwimmingOpenWater,
	"water_aerobics":      wearables.WorkoutWaterFitness,
	"water_polo":          wearables.WorkoutWaterPolo,
	"rowing":              wearables.WorkoutRowing,
	"indoor_rowing":       wearables.WorkoutIndoorRowing,
	"kayaking":            wearables.WorkoutKayaking,
	"canoeing":            wearables.WorkoutCanoeing,
	"paddling":            wearables.WorkoutPaddling,
	"stand_up_paddling":   wearables.WorkoutStandUpPaddling,
	"paddleboarding":      wearables.WorkoutStandUpPaddling,
	"surfing":             wearables.WorkoutSurfing,
	"kitesurfing":         wearables.WorkoutKitesurfing,
	"windsurfing":         wearables.WorkoutWindsurfing,
	"sailing":             wearables.WorkoutSailing,
	"water_skiing":        wearables.WorkoutWaterSkiing,
	"wakeboarding":        wearables.WorkoutWaterSkiing,
	"diving":              wearables.WorkoutScubaDiving,
	"scuba_diving":        wearables.WorkoutScubaDiving,
	"freediving":          wearables.WorkoutFreediving,
	"snorkeling":          wearables.WorkoutSnorkeling,

	// Winter.
	"skiing":               wearables.WorkoutAlpineSkiing,
	"downhill_skiing":      wearables.WorkoutAlpineSkiing,
	"alpine_skiing":        wearables.WorkoutAlpineSkiing,
	"backcountry_skiing":   wearables.WorkoutBackcountrySkiing,
	"cross_country_skiing": wearables.WorkoutCrossCountrySkiing,
	"skate_skiing":         wearables.WorkoutSkateSkiing,
	"snowboarding":         wearables.WorkoutSnowboarding,
	"snowshoeing":          wearables.WorkoutSnowshoeing,
	"ice_skating":          wearables.WorkoutIceSkating,
	"curling":              wearables.WorkoutCurling,

	// Gym and fitness.
	"strength_training":   wearables.WorkoutStrengthTraining,
	"weightlifting":       wearables.WorkoutStrengthTraining,
	"weight_training":     wearables.WorkoutStrengthTraining,
	"functional_training": wearables.WorkoutFunctionalStrengthTraining,
	"crossfit":            wearables.WorkoutCrossfit,
	"hiit":                wearables.WorkoutHIIT,
	"circuit_training":    wearables.WorkoutCircuitTraining,
	"bootcamp":            wearables.WorkoutCircuitTraining,
	"calisthenics":        wearables.WorkoutCalisthenics,
	"core_training":       wearables.WorkoutCoreTraining,
	"cardio":              wearables.WorkoutCardio,
	"aerobics":            wearables.WorkoutCardio,
	"group_exercise":      wearables.WorkoutFitness,
	"workout":             wearables.WorkoutFitness,
	"elliptical":          wearables.WorkoutElliptical,
	"stair_climber":       wearables.WorkoutStairStepper,
	"stair_machine":       wearables.WorkoutStairStepper,
	"stair_climbing":      wearables.WorkoutStairClimbing,
	"step_aerobics":       wearables.WorkoutStepTraining,
	"jump_rope":           wearables.WorkoutJumpRope,
	"gymnastics":          wearables.WorkoutGymnastics,
	"barre":               wearables.WorkoutBarre,
	"exergaming":          wearables.WorkoutFitnessGaming,

	// Mind and body.
	"yoga":        wearables.WorkoutYoga,
	"hot_yoga":    wearables.WorkoutYoga,
	"pilates":     wearables.WorkoutPilates,
	"tai_chi":     wearables.WorkoutTaiChi,
	"qigong":      wearables.WorkoutMindAndBody,
	"stretching":  wearables.WorkoutFlexibility,
	"mobility":    wearables.WorkoutFlexibility,
	"breathwork":  wearables.WorkoutBreathwork,
	"breathing":   wearables.WorkoutBreathwork,
	"meditation":  wearables.WorkoutMeditation,
	"recovery":    wearables.WorkoutRecovery,
	"cool_down":   wearables.WorkoutRecovery,
	"sauna":       wearables.WorkoutSauna,
	"cold_plunge": wearables.WorkoutIceBath,
	"ice_bath":    wearables.WorkoutIceBath,

	// Team sports.
	"soccer":              wearables.WorkoutSoccer,
	"football":            wearables.WorkoutSoccer,
	"futsal":              wearables.WorkoutFutsal,
	"american_football":   wearables.WorkoutAmericanFootball,
	"australian_football": wearables.WorkoutAustralianFootball,
	"rugby":               wearables.WorkoutRugby,
	"basketball":          wearables.WorkoutBasketball,
	"volleyball":          wearables.WorkoutVolleyball,
	"beach_volleyball":    wearables.WorkoutBeachVolleyball,
	"baseball":            wearables.WorkoutBaseball,
	"softball":            wearables.WorkoutSoftball,
	"cricket":             wearables.WorkoutCricket,
	"handball":            wearables.WorkoutHandball,
	"lacrosse":            wearables.WorkoutLacrosse,
	"hockey":              wearables.WorkoutHockey,
	"ice_hockey":          wearables.WorkoutIceHockey,
	"field_hockey":        wearables.WorkoutFieldHockey,
	"floorball":           wearables.WorkoutFloorball,
	"netball":             wearables.WorkoutNetball,
	"ultimate_frisbee":    wearables.WorkoutUltimateDisc,

	// Racket sports.
	"tennis":       wearables.WorkoutTennis,
	"badminton":    wearables.WorkoutBadminton,
	"squash":       wearables.WorkoutSquash,
	"table_tennis": wearables.WorkoutTableTennis,
	"padel":        wearables.WorkoutPadel,
	"pickleball":   wearables.WorkoutPickleball,
	"racquetball":  wearables.WorkoutRacquetball,

	// Combat.
	"boxing":       wearables.WorkoutBoxing,
	"kickboxing":   wearables.WorkoutKickboxing,
	"martial_arts": wearables.WorkoutMartialArts,
	"mma":          wearables.WorkoutMartialArts,
	"wrestling":    wearables.WorkoutWrestling,
	"fencing":      wearables.WorkoutFencing,

	// Dance.
	"dancing":      wearables.WorkoutDance,
	"dance":        wearables.WorkoutDance,
	"zumba":        wearables.WorkoutCardioDance,
	"social_dance": wearables.WorkoutSocialDance,

	// Outdoor and other sports.
	"climbing":          wearables.WorkoutClimbing,
	"rock_climbing":     wearables.WorkoutClimbing,
	"indoor_climbing":   wearables.WorkoutIndoorClimbing,
	"bouldering":        wearables.WorkoutBouldering,
	"mountaineering":    wearables.WorkoutMountaineering,
	"orienteering":      wearables.WorkoutOrienteering,
	"golf":              wearables.WorkoutGolf,
	"disc_golf":         wearables.WorkoutDiscGolf,
	"horseback_riding":  wearables.WorkoutHorsebackRiding,
	"hunting":           wearables.WorkoutHunting,
	"fishing":           wearables.WorkoutFishing,
	"skateboarding":     wearables.WorkoutSkateboarding,
	"inline_skating":    wearables.WorkoutInlineSkating,
	"roller_skating":    wearables.WorkoutInlineSkating,
	"paragliding":       wearables.WorkoutParagliding,
	"track_and_field":   wearables.WorkoutTrackAndField,
	"archery":           wearables.WorkoutArchery,
	"bowling":           wearables.WorkoutBowling,
	"motorcycling":      wearables.WorkoutMotorcycling,
	"motocross":         wearables.WorkoutMotocross,
	"snowmobiling":      wearables.WorkoutSnowmobiling,
	"triathlon":         wearables.WorkoutTriathlon,
	"duathlon":          wearables.WorkoutDuathlon,
	"multisport":        wearables.WorkoutMultisport,
	"other":             wearables.WorkoutOther,
	"housework":         wearables.WorkoutOther,
	"gardening":         wearables.WorkoutOther,
	"playing_with_kids": wearables.WorkoutOther,
}
