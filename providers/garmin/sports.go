package garmin

import (
	"strings"

	"github.com/wearables-go/wearables"
)

// activityTypes maps every activityType of Appendix A of the Activity API
// specification (v1.2.3), plus MULTI_SPORT (the type of parent activities),
// to a workout type. Types without a better match map to
// wearables.WorkoutOther on purpose: listing them records that they are
// known, not forgotten. Garmin sends many water sports both plain and with
// a _V2 suffix; both spellings are listed.
var activityTypes = map[string]wearables.WorkoutType{
	// Running.
	"RUNNING":           wearables.WorkoutRunning,
	"INDOOR_RUNNING":    wearables.WorkoutIndoorRunning,
	"OBSTACLE_RUN":      wearables.WorkoutObstacleRacing,
	"STREET_RUNNING":    wearables.WorkoutRunning,
	"TRACK_RUNNING":     wearables.WorkoutTrackRunning,
	"TRAIL_RUNNING":     wearables.WorkoutTrailRunning,
	"TREADMILL_RUNNING": wearables.WorkoutTreadmillRunning,
	"ULTRA_RUN":         wearables.WorkoutRunning,
	"VIRTUAL_RUN":       wearables.WorkoutVirtualRunning,
	// Cycling.
	"CYCLING":            wearables.WorkoutCycling,
	"BMX":                wearables.WorkoutBMX,
	"CYCLOCROSS":         wearables.WorkoutCyclocross,
	"DOWNHILL_BIKING":    wearables.WorkoutMountainBiking,
	"E_BIKE_FITNESS":     wearables.WorkoutEBiking,
	"E_BIKE_MOUNTAIN":    wearables.WorkoutEMountainBiking,
	"E_ENDURO_MTB":       wearables.WorkoutEMountainBiking,
	"ENDURO_MTB":         wearables.WorkoutMountainBiking,
	"GRAVEL_CYCLING":     wearables.WorkoutGravelCycling,
	"INDOOR_CYCLING":     wearables.WorkoutIndoorCycling,
	"MOUNTAIN_BIKING":    wearables.WorkoutMountainBiking,
	"RECUMBENT_CYCLING":  wearables.WorkoutCycling,
	"ROAD_BIKING":        wearables.WorkoutCycling,
	"TRACK_CYCLING":      wearables.WorkoutTrackCycling,
	"VIRTUAL_RIDE":       wearables.WorkoutVirtualCycling,
	"HANDCYCLING":        wearables.WorkoutHandcycling,
	"INDOOR_HANDCYCLING": wearables.WorkoutHandcycling,
	// Gym and fitness equipment.
	"FITNESS_EQUIPMENT": wearables.WorkoutFitness,
	"BOULDERING":        wearables.WorkoutBouldering,
	"ELLIPTICAL":        wearables.WorkoutElliptical,
	"INDOOR_CARDIO":     wearables.WorkoutCardio,
	"HIIT":              wearables.WorkoutHIIT,
	"INDOOR_CLIMBING":   wearables.WorkoutIndoorClimbing,
	"INDOOR_ROWING":     wearables.WorkoutIndoorRowing,
	"MOBILITY":          wearables.WorkoutFlexibility,
	"PILATES":           wearables.WorkoutPilates,
	"STAIR_CLIMBING":    wearables.WorkoutStairClimbing,
	"STRENGTH_TRAINING": wearables.WorkoutStrengthTraining,
	"YOGA":              wearables.WorkoutYoga,
	"MEDITATION":        wearables.WorkoutMeditation,
	// Swimming.
	"SWIMMING":            wearables.WorkoutSwimming,
	"LAP_SWIMMING":        wearables.WorkoutSwimmingPool,
	"OPEN_WATER_SWIMMING": wearables.WorkoutSwimmingOpenWater,
	// Walking and hiking.
	"WALKING":        wearables.WorkoutWalking,
	"CASUAL_WALKING": wearables.WorkoutWalking,
	"SPEED_WALKING":  wearables.WorkoutWalking,
	"HIKING":         wearables.WorkoutHiking,
	"RUCKING":        wearables.WorkoutRucking,
	// Winter sports.
	"WINTER_SPORTS":                 wearables.WorkoutSnowSports,
	"BACKCOUNTRY_SNOWBOARDING":      wearables.WorkoutSnowboarding,
	"BACKCOUNTRY_SKIING":            wearables.WorkoutBackcountrySkiing,
	"CROSS_COUNTRY_SKIING_WS":       wearables.WorkoutCrossCountrySkiing,
	"RESORT_SKIING":                 wearables.WorkoutAlpineSkiing,
	"SNOWBOARDING_WS":               wearables.WorkoutSnowboarding,
	"RESORT_SKIING_SNOWBOARDING_WS": wearables.WorkoutAlpineSkiing,
	"SKATE_SKIING_WS":               wearables.WorkoutSkateSkiing,
	"SKATING_WS":                    wearables.WorkoutIceSkating,
	"SNOW_SHOE_WS":                  wearables.WorkoutSnowshoeing,
	"SNOWMOBILING_WS":               wearables.WorkoutSnowmobiling,
	// Water sports.
	"WATER_SPORTS":               wearables.WorkoutWaterSports,
	"BOATING":                    wearables.WorkoutBoating,
	"BOATING_V2":                 wearables.WorkoutBoating,
	"FISHING":                    wearables.WorkoutFishing,
	"FISHING_V2":                 wearables.WorkoutFishing,
	"KAYAKING":                   wearables.WorkoutKayaking,
	"KAYAKING_V2":                wearables.WorkoutKayaking,
	"KITEBOARDING":               wearables.WorkoutKitesurfing,
	"KITEBOARDING_V2":            wearables.WorkoutKitesurfing,
	"OFFSHORE_GRINDING":          wearables.WorkoutSailing,
	"OFFSHORE_GRINDING_V2":       wearables.WorkoutSailing,
	"ONSHORE_GRINDING":           wearables.WorkoutSailing,
	"ONSHORE_GRINDING_V2":        wearables.WorkoutSailing,
	"PADDLING":                   wearables.WorkoutPaddling,
	"PADDLING_V2":                wearables.WorkoutPaddling,
	"ROWING":                     wearables.WorkoutRowing,
	"ROWING_V2":                  wearables.WorkoutRowing,
	"SAILING":                    wearables.WorkoutSailing,
	"SAILING_V2":                 wearables.WorkoutSailing,
	"SNORKELING":                 wearables.WorkoutSnorkeling,
	"STAND_UP_PADDLEBOARDING":    wearables.WorkoutStandUpPaddling,
	"STAND_UP_PADDLEBOARDING_V2": wearables.WorkoutStandUpPaddling,
	"SURFING":                    wearables.WorkoutSurfing,
	"SURFING_V2":                 wearables.WorkoutSurfing,
	"WAKEBOARDING":               wearables.WorkoutWaterSkiing,
	"WAKEBOARDING_V2":            wearables.WorkoutWaterSkiing,
	"WATERSKIING":                wearables.WorkoutWaterSkiing,
	"WHITEWATER_RAFTING":         wearables.WorkoutPaddling,
	"WHITEWATER_RAFTING_V2":      wearables.WorkoutPaddling,
	"WINDSURFING":                wearables.WorkoutWindsurfing,
	"WINDSURFING_V2":             wearables.WorkoutWindsurfing,
	// Multisport and transitions.
	"MULTI_SPORT":                wearables.WorkoutMultisport,
	"TRANSITION":                 wearables.WorkoutTransition,
	"TRANSITION_V2":              wearables.WorkoutTransition,
	"BIKE_TO_RUN_TRANSITION":     wearables.WorkoutTransition,
	"BIKE_TO_RUN_TRANSITION_V2":  wearables.WorkoutTransition,
	"RUN_TO_BIKE_TRANSITION":     wearables.WorkoutTransition,
	"RUN_TO_BIKE_TRANSITION_V2":  wearables.WorkoutTransition,
	"SWIM_TO_BIKE_TRANSITION":    wearables.WorkoutTransition,
	"SWIM_TO_BIKE_TRANSITION_V2": wearables.WorkoutTransition,
	// Team sports.
	"TEAM_SPORTS":       wearables.WorkoutOther,
	"AMERICAN_FOOTBALL": wearables.WorkoutAmericanFootball,
	"BASEBALL":          wearables.WorkoutBaseball,
	"BASKETBALL":        wearables.WorkoutBasketball,
	"CRICKET":           wearables.WorkoutCricket,
	"FIELD_HOCKEY":      wearables.WorkoutFieldHockey,
	"ICE_HOCKEY":        wearables.WorkoutIceHockey,
	"LACROSSE":          wearables.WorkoutLacrosse,
	"RUGBY":             wearables.WorkoutRugby,
	"SOCCER":            wearables.WorkoutSoccer,
	"SOFTBALL":          wearables.WorkoutSoftball,
	"ULTIMATE_DISC":     wearables.WorkoutUltimateDisc,
	"VOLLEYBALL":        wearables.WorkoutVolleyball,
	// Racket sports. PADDELBALL is Garmin's spelling of padel (PADDLE before
	// v1.2.1 of the specification).
	"RACKET_SPORTS":   wearables.WorkoutOther,
	"BADMINTON":       wearables.WorkoutBadminton,
	"PADDELBALL":      wearables.WorkoutPadel,
	"PADDLE":          wearables.WorkoutPadel,
	"PICKLEBALL":      wearables.WorkoutPickleball,
	"PLATFORM_TENNIS": wearables.WorkoutTennis,
	"RACQUETBALL":     wearables.WorkoutRacquetball,
	"SQUASH":          wearables.WorkoutSquash,
	"TABLE_TENNIS":    wearables.WorkoutTableTennis,
	"TENNIS":          wearables.WorkoutTennis,
	"TENNIS_V2":       wearables.WorkoutTennis,
	// Other.
	"OTHER":              wearables.WorkoutOther,
	"BOXING":             wearables.WorkoutBoxing,
	"BREATHWORK":         wearables.WorkoutBreathwork,
	"DANCE":              wearables.WorkoutDance,
	"DISC_GOLF":          wearables.WorkoutDiscGolf,
	"FLOOR_CLIMBING":     wearables.WorkoutStairClimbing,
	"GOLF":               wearables.WorkoutGolf,
	"INLINE_SKATING":     wearables.WorkoutInlineSkating,
	"JUMP_ROPE":          wearables.WorkoutJumpRope,
	"MIXED_MARTIAL_ARTS": wearables.WorkoutMartialArts,
	"MOUNTAINEERING":     wearables.WorkoutMountaineering,
	"ROCK_CLIMBING":      wearables.WorkoutClimbing,
	"STOP_WATCH":         wearables.WorkoutOther,
	// Para sports.
	"PARA_SPORTS":          wearables.WorkoutOther,
	"WHEELCHAIR_PUSH_RUN":  wearables.WorkoutWheelchairRunPace,
	"WHEELCHAIR_PUSH_WALK": wearables.WorkoutWheelchairWalkPace,
}

// WorkoutType returns the workout type of a Garmin activityType ("RUNNING",
// "LAP_SWIMMING", "Kayaking_V2" …), matched without regard to case, spaces
// or hyphens. An activity type without a mapping is wearables.WorkoutOther;
// the provider keeps Garmin's name in Workout.RawType.
func WorkoutType(activityType string) wearables.WorkoutType {
	if t, ok := activityTypes[activityType]; ok {
		return t
	}
	key := strings.ToUpper(strings.TrimSpace(activityType))
	key = strings.NewReplacer(" ", "_", "-", "_").Replace(key)
	if t, ok := activityTypes[key]; ok {
		return t
	}
	return wearables.WorkoutOther
}
