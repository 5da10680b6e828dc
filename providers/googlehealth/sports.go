package googlehealth

import (
	"strings"

	"github.com/wearables-go/wearables"
)

// exerciseTypes maps every value of Google's Exercise.ExerciseType enum
// (v4, revision 20260527) to a workout type. The enum is coarse: a Fitbit
// tennis match or elliptical session arrives as WORKOUT or OTHER with its
// activity in displayName, which displayNames refines.
var exerciseTypes = map[string]wearables.WorkoutType{
	"EXERCISE_TYPE_UNSPECIFIED": wearables.WorkoutOther,
	"RUNNING":                   wearables.WorkoutRunning,
	"WALKING":                   wearables.WorkoutWalking,
	"BIKING":                    wearables.WorkoutCycling,
	"SWIMMING":                  wearables.WorkoutSwimming,
	"HIKING":                    wearables.WorkoutHiking,
	"YOGA":                      wearables.WorkoutYoga,
	"PILATES":                   wearables.WorkoutPilates,
	"WORKOUT":                   wearables.WorkoutFitness,
	"HIIT":                      wearables.WorkoutHIIT,
	"WEIGHTLIFTING":             wearables.WorkoutStrengthTraining,
	"STRENGTH_TRAINING":         wearables.WorkoutStrengthTraining,
	"OTHER":                     wearables.WorkoutOther,
}

// displayNames maps the Fitbit activity names users see (and Google puts
// in displayName) to a workout type, lower-cased. They refine a coarse
// exerciseType: "Treadmill" under RUNNING is treadmill running, "Tennis"
// under OTHER is tennis. The names are Fitbit's exercise shortcuts and
// activity list as seen in clients; Google publishes no list (unverified).
var displayNames = map[string]wearables.WorkoutType{
	"run":                  wearables.WorkoutRunning,
	"running":              wearables.WorkoutRunning,
	"outdoor run":          wearables.WorkoutRunning,
	"treadmill":            wearables.WorkoutTreadmillRunning,
	"treadmill run":        wearables.WorkoutTreadmillRunning,
	"trail run":            wearables.WorkoutTrailRunning,
	"walk":                 wearables.WorkoutWalking,
	"walking":              wearables.WorkoutWalking,
	"outdoor walk":         wearables.WorkoutWalking,
	"hike":                 wearables.WorkoutHiking,
	"hiking":               wearables.WorkoutHiking,
	"bike":                 wearables.WorkoutCycling,
	"biking":               wearables.WorkoutCycling,
	"outdoor bike":         wearables.WorkoutCycling,
	"cycling":              wearables.WorkoutCycling,
	"mountain biking":      wearables.WorkoutMountainBiking,
	"spinning":             wearables.WorkoutIndoorCycling,
	"spin":                 wearables.WorkoutIndoorCycling,
	"indoor bike":          wearables.WorkoutIndoorCycling,
	"stationary bike":      wearables.WorkoutIndoorCycling,
	"swim":                 wearables.WorkoutSwimming,
	"swimming":             wearables.WorkoutSwimming,
	"pool swim":            wearables.WorkoutSwimmingPool,
	"open water swim":      wearables.WorkoutSwimmingOpenWater,
	"elliptical":           wearables.WorkoutElliptical,
	"stair climber":        wearables.WorkoutStairClimbing,
	"stairclimber":         wearables.WorkoutStairClimbing,
	"rowing":               wearables.WorkoutRowing,
	"rowing machine":       wearables.WorkoutIndoorRowing,
	"indoor rowing":        wearables.WorkoutIndoorRowing,
	"weights":              wearables.WorkoutStrengthTraining,
	"weightlifting":        wearables.WorkoutStrengthTraining,
	"strength training":    wearables.WorkoutStrengthTraining,
	"circuit training":     wearables.WorkoutCircuitTraining,
	"bootcamp":             wearables.WorkoutCircuitTraining,
	"interval workout":     wearables.WorkoutHIIT,
	"hiit":                 wearables.WorkoutHIIT,
	"crossfit":             wearables.WorkoutCrossfit,
	"core training":        wearables.WorkoutCoreTraining,
	"yoga":                 wearables.WorkoutYoga,
	"pilates":              wearables.WorkoutPilates,
	"barre":                wearables.WorkoutBarre,
	"tai chi":              wearables.WorkoutTaiChi,
	"meditation":           wearables.WorkoutMeditation,
	"dance":                wearables.WorkoutDance,
	"aerobic workout":      wearables.WorkoutCardio,
	"kickboxing":           wearables.WorkoutKickboxing,
	"boxing":               wearables.WorkoutBoxing,
	"martial arts":         wearables.WorkoutMartialArts,
	"tennis":               wearables.WorkoutTennis,
	"badminton":            wearables.WorkoutBadminton,
	"pickleball":           wearables.WorkoutPickleball,
	"padel":                wearables.WorkoutPadel,
	"squash":               wearables.WorkoutSquash,
	"table tennis":         wearables.WorkoutTableTennis,
	"golf":                 wearables.WorkoutGolf,
	"soccer":               wearables.WorkoutSoccer,
	"football":             wearables.WorkoutSoccer,
	"basketball":           wearables.WorkoutBasketball,
	"volleyball":           wearables.WorkoutVolleyball,
	"hockey":               wearables.WorkoutHockey,
	"ice skating":          wearables.WorkoutIceSkating,
	"skiing":               wearables.WorkoutAlpineSkiing,
	"cross-country skiing": wearables.WorkoutCrossCountrySkiing,
	"snowboarding":         wearables.WorkoutSnowboarding,
	"kayaking":             wearables.WorkoutKayaking,
	"paddleboarding":       wearables.WorkoutStandUpPaddling,
	"surfing":              wearables.WorkoutSurfing,
	"rock climbing":        wearables.WorkoutClimbing,
	"climbing":             wearables.WorkoutClimbing,
	"sport":                wearables.WorkoutOther,
}

// genericTypes are the exercise types whose displayName may name the
// sport better than the type does.
var genericTypes = map[string]bool{"EXERCISE_TYPE_UNSPECIFIED": true, "WORKOUT": true, "OTHER": true, "": true}

// workoutType maps an exercise to a workout type. A specific exerciseType
// wins, refined by displayName within its own category (RUNNING
// "Treadmill" is treadmill running, RUNNING "Tennis" stays running); a
// generic one (WORKOUT, OTHER, unspecified) takes the displayName's sport
// when known. A type Google adds later maps by displayName, else to
// wearables.WorkoutOther. RawType keeps exerciseType either way.
func workoutType(exerciseType, displayName string) wearables.WorkoutType {
	byName, named := displayNames[strings.ToLower(strings.TrimSpace(displayName))]
	typ, known := exerciseTypes[exerciseType]
	switch {
	case !known && named:
		return byName
	case !known:
		return wearables.WorkoutOther
	case genericTypes[exerciseType] && named:
		return byName
	case named && category(byName) == category(typ):
		return byName
	}
	return typ
}

func category(t wearables.WorkoutType) wearables.WorkoutCategory {
	info, _ := t.Info()
	return info.Category
}
