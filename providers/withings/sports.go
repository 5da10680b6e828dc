package withings

import (
	"strconv"

	"github.com/wearables-go/wearables"
)

// sports maps every workout category of the OpenAPI document's
// workout_object to a workout type. Categories without a better match map
// to wearables.WorkoutOther on purpose: listing them records that they are
// known, not forgotten. Read-only.
var sports = map[int]wearables.WorkoutType{
	1:   wearables.WorkoutWalking,            // Walk
	2:   wearables.WorkoutRunning,            // Run
	3:   wearables.WorkoutHiking,             // Hiking
	4:   wearables.WorkoutInlineSkating,      // Skating
	5:   wearables.WorkoutBMX,                // BMX
	6:   wearables.WorkoutCycling,            // Bicycling
	7:   wearables.WorkoutSwimming,           // Swimming
	8:   wearables.WorkoutSurfing,            // Surfing
	9:   wearables.WorkoutKitesurfing,        // Kitesurfing
	10:  wearables.WorkoutWindsurfing,        // Windsurfing
	11:  wearables.WorkoutWaterSports,        // Bodyboard
	12:  wearables.WorkoutTennis,             // Tennis
	13:  wearables.WorkoutTableTennis,        // Table tennis
	14:  wearables.WorkoutSquash,             // Squash
	15:  wearables.WorkoutBadminton,          // Badminton
	16:  wearables.WorkoutStrengthTraining,   // Lift weights
	17:  wearables.WorkoutFitness,            // Fitness
	18:  wearables.WorkoutElliptical,         // Elliptical
	19:  wearables.WorkoutPilates,            // Pilates
	20:  wearables.WorkoutBasketball,         // Basket-ball
	21:  wearables.WorkoutSoccer,             // Soccer
	22:  wearables.WorkoutAmericanFootball,   // Football (soccer is 21)
	23:  wearables.WorkoutRugby,              // Rugby
	24:  wearables.WorkoutVolleyball,         // Volley-ball
	25:  wearables.WorkoutWaterPolo,          // Waterpolo
	26:  wearables.WorkoutHorsebackRiding,    // Horse riding
	27:  wearables.WorkoutGolf,               // Golf
	28:  wearables.WorkoutYoga,               // Yoga
	29:  wearables.WorkoutDance,              // Dancing
	30:  wearables.WorkoutBoxing,             // Boxing
	31:  wearables.WorkoutFencing,            // Fencing
	32:  wearables.WorkoutWrestling,          // Wrestling
	33:  wearables.WorkoutMartialArts,        // Martial arts
	34:  wearables.WorkoutAlpineSkiing,       // Skiing
	35:  wearables.WorkoutSnowboarding,       // Snowboarding
	36:  wearables.WorkoutOther,              // Other
	128: wearables.WorkoutOther,              // No activity
	187: wearables.WorkoutRowing,             // Rowing
	188: wearables.WorkoutCardioDance,        // Zumba
	191: wearables.WorkoutBaseball,           // Baseball
	192: wearables.WorkoutHandball,           // Handball
	193: wearables.WorkoutHockey,             // Hockey
	194: wearables.WorkoutIceHockey,          // Ice hockey
	195: wearables.WorkoutClimbing,           // Climbing
	196: wearables.WorkoutIceSkating,         // Ice skating
	272: wearables.WorkoutMultisport,         // Multi-sport
	306: wearables.WorkoutWalking,            // Indoor walk
	307: wearables.WorkoutIndoorRunning,      // Indoor running
	308: wearables.WorkoutIndoorCycling,      // Indoor cycling
	455: wearables.WorkoutStandUpPaddling,    // Standup Paddleboarding
	456: wearables.WorkoutPadel,              // Padel
	457: wearables.WorkoutFitnessGaming,      // Gaming
	490: wearables.WorkoutBeachVolleyball,    // Beach volleyball
	491: wearables.WorkoutStairStepper,       // Stair Stepper
	492: wearables.WorkoutSkateboarding,      // Skateboarding
	493: wearables.WorkoutOther,              // Parkour
	494: wearables.WorkoutKayaking,           // Kayaking
	495: wearables.WorkoutCanoeing,           // Canoeing
	496: wearables.WorkoutSailing,            // Sailing
	497: wearables.WorkoutFishing,            // Fishing
	498: wearables.WorkoutTrailRunning,       // Trail Running
	499: wearables.WorkoutSnowshoeing,        // Snowshoeing
	500: wearables.WorkoutOther,              // Paintball
	501: wearables.WorkoutArchery,            // Archery
	502: wearables.WorkoutScubaDiving,        // Scuba Diving
	503: wearables.WorkoutBaseball,           // Baseball Training
	504: wearables.WorkoutCrossCountrySkiing, // Biathlon
	505: wearables.WorkoutOther,              // Bocce
	506: wearables.WorkoutOther,              // Pétanque
	507: wearables.WorkoutParagliding,        // Paragliding
	508: wearables.WorkoutOther,              // Frisbee
	509: wearables.WorkoutOther,              // Skydiving
	510: wearables.WorkoutPickleball,         // Pickleball
	511: wearables.WorkoutOther,              // Cornhole
	512: wearables.WorkoutOther,              // Dodgeball
	513: wearables.WorkoutUltimateDisc,       // Ultimate
	514: wearables.WorkoutOther,              // Teqball
	515: wearables.WorkoutWheelchairRunPace,  // Pushing a Wheelchair (Running Pace)
	516: wearables.WorkoutWheelchairWalkPace, // Pushing a Wheelchair (Walking Pace)
	517: wearables.WorkoutTrackAndField,      // Athletics
	518: wearables.WorkoutTrackCycling,       // Track Cycling
	519: wearables.WorkoutMultisport,         // Pentathlon
	520: wearables.WorkoutOther,              // Sport Shooting
	521: wearables.WorkoutTriathlon,          // Triathlon
	522: wearables.WorkoutWaterSports,        // Diving
	523: wearables.WorkoutMountainBiking,     // Mountain Biking
	524: wearables.WorkoutGravelCycling,      // Gravel Biking
	525: wearables.WorkoutEBiking,            // E-Biking
	526: wearables.WorkoutEMountainBiking,    // E-Mountain Biking
	527: wearables.WorkoutHandcycling,        // Handcycling
	528: wearables.WorkoutCycling,            // Velomobile
	529: wearables.WorkoutBackcountrySkiing,  // Backcountry Skiing
	530: wearables.WorkoutCrossCountrySkiing, // Nordic Skiing
	531: wearables.WorkoutRollerSkiing,       // Roller Skiing
	532: wearables.WorkoutRacquetball,        // Racquetball
	534: wearables.WorkoutDance,              // Hip Hop
	535: wearables.WorkoutKickboxing,         // Muaythai
	536: wearables.WorkoutMartialArts,        // Taekwondo
	537: wearables.WorkoutMartialArts,        // Judo
	538: wearables.WorkoutGymnastics,         // Trampoline
	539: wearables.WorkoutOther,              // Standing Frame
	540: wearables.WorkoutStrengthTraining,   // Seated Strength
	541: wearables.WorkoutCardio,             // Seated Cardio
	542: wearables.WorkoutWalking,            // Walk With Walker
	543: wearables.WorkoutWalking,            // Walk With Cane
	544: wearables.WorkoutDance,              // Breaking
	545: wearables.WorkoutOther,              // Chores
	546: wearables.WorkoutCrossfit,           // Crossfit
	547: wearables.WorkoutIndoorCycling,      // Spinclass
	548: wearables.WorkoutCricket,            // Cricket
	549: wearables.WorkoutDance,              // Flamenco Dancing
	550: wearables.WorkoutHIIT,               // HIIT
	551: wearables.WorkoutMeditation,         // Meditation
	552: wearables.WorkoutFlexibility,        // Stretching
	553: wearables.WorkoutOther,              // Yard Work Gardening
	554: wearables.WorkoutOther,              // Cleaning
	555: wearables.WorkoutOther,              // Public Speaking
	556: wearables.WorkoutOther,              // Spikeball
	557: wearables.WorkoutLacrosse,           // Lacrosse
	558: wearables.WorkoutWalking,            // Baby Wearing
	559: wearables.WorkoutWalking,            // Dog Walking
	560: wearables.WorkoutBreathwork,         // Breathing exercises
	561: wearables.WorkoutFitness,            // Balance Drills
	562: wearables.WorkoutWalking,            // Pushing a Stroller
	563: wearables.WorkoutWalking,            // Toddler Wearing
	564: wearables.WorkoutBowling,            // Bowling
	565: wearables.WorkoutOther,              // Lasertag
	566: wearables.WorkoutNordicWalking,      // Nordic Walking
	567: wearables.WorkoutWrestling,          // Sumo Wrestling
	568: wearables.WorkoutOther,              // Cooking
}

// WorkoutType returns the workout type of a Withings workout category;
// a category without a mapping (one Withings added after this table) is
// wearables.WorkoutOther. Workouts keep the category number in RawType.
func WorkoutType(category int) wearables.WorkoutType {
	if t, ok := sports[category]; ok {
		return t
	}
	return wearables.WorkoutOther
}

// rawType is the RawType of a workout: Withings' category number.
func rawType(category int) string { return strconv.Itoa(category) }
