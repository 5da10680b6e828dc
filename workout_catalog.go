package wearables

// Workout types. The numeric values are stable ids (see WorkoutType): they
// are pinned by testdata/catalog/workouts.golden.tsv, a released id never
// changes its code or meaning, and new types take the next free id at the end.
// Comments name vendor sports that land on a type where the code alone does
// not make it obvious.
const (
	// WorkoutRunning is running outdoors on roads or paths (Garmin RUNNING,
	// STREET_RUNNING; Polar RUNNING_ROAD; Strava Run).
	WorkoutRunning WorkoutType = 1
	// WorkoutTrailRunning is running off-road on trails.
	WorkoutTrailRunning WorkoutType = 2
	// WorkoutTreadmillRunning is running on a treadmill (Google running_treadmill,
	// Fitbit 90019).
	WorkoutTreadmillRunning WorkoutType = 3
	// WorkoutTrackRunning is running on an athletics track.
	WorkoutTrackRunning WorkoutType = 4
	// WorkoutIndoorRunning is running indoors other than on a treadmill (Garmin
	// INDOOR_RUNNING, COROS 101).
	WorkoutIndoorRunning WorkoutType = 5
	// WorkoutVirtualRunning is running in a virtual world such as Zwift (Garmin
	// VIRTUAL_RUN, Strava VirtualRun).
	WorkoutVirtualRunning WorkoutType = 6
	// WorkoutObstacleRacing is an obstacle course race (Garmin OBSTACLE_RUN).
	WorkoutObstacleRacing WorkoutType = 7
	// WorkoutWalking is walking (Garmin CASUAL_WALKING and SPEED_WALKING map here
	// too).
	WorkoutWalking WorkoutType = 8
	// WorkoutNordicWalking is walking with poles (Polar WALKING_NORDIC, Suunto
	// 24).
	WorkoutNordicWalking WorkoutType = 9
	// WorkoutHiking is hiking.
	WorkoutHiking WorkoutType = 10
	// WorkoutRucking is walking with a loaded pack (Garmin RUCKING).
	WorkoutRucking WorkoutType = 11
	// WorkoutWheelchairWalkPace is pushing a wheelchair at walking pace (Apple
	// WheelchairWalkPace, Garmin WHEELCHAIR_PUSH_WALK).
	WorkoutWheelchairWalkPace WorkoutType = 12
	// WorkoutWheelchairRunPace is pushing a wheelchair at running pace (Apple
	// WheelchairRunPace, Garmin WHEELCHAIR_PUSH_RUN).
	WorkoutWheelchairRunPace WorkoutType = 13
	// WorkoutWheelchair is a wheelchair workout of unspecified pace (Strava
	// Wheelchair, Google wheelchair).
	WorkoutWheelchair WorkoutType = 14
	// WorkoutCycling is cycling outdoors on roads (Garmin ROAD_BIKING, Polar
	// CYCLING_ROAD, Strava Ride, Google biking).
	WorkoutCycling WorkoutType = 15
	// WorkoutIndoorCycling is cycling on a stationary bike or trainer (WHOOP spin,
	// Google biking_stationary).
	WorkoutIndoorCycling WorkoutType = 16
	// WorkoutVirtualCycling is cycling in a virtual world such as Zwift (Garmin
	// VIRTUAL_RIDE, Strava VirtualRide).
	WorkoutVirtualCycling WorkoutType = 17
	// WorkoutMountainBiking is mountain biking (Strava MountainBikeRide, Polar
	// CYCLING_MOUNTAIN).
	WorkoutMountainBiking WorkoutType = 18
	// WorkoutGravelCycling is cycling on gravel roads (Strava GravelRide).
	WorkoutGravelCycling WorkoutType = 19
	// WorkoutCyclocross is cyclocross racing or training.
	WorkoutCyclocross WorkoutType = 20
	// WorkoutTrackCycling is cycling on a velodrome.
	WorkoutTrackCycling WorkoutType = 21
	// WorkoutBMX is BMX riding.
	WorkoutBMX WorkoutType = 22
	// WorkoutEBiking is riding an electric bike on roads (Garmin E_BIKE_FITNESS,
	// Strava EBikeRide).
	WorkoutEBiking WorkoutType = 23
	// WorkoutEMountainBiking is riding an electric mountain bike (Garmin
	// E_BIKE_MOUNTAIN, Strava EMountainBikeRide).
	WorkoutEMountainBiking WorkoutType = 24
	// WorkoutHandcycling is riding a handcycle (Strava Handcycle, Apple
	// HandCycling).
	WorkoutHandcycling WorkoutType = 25
	// WorkoutSwimming is swimming where the vendor does not say pool or open water
	// (Apple Swimming, Strava Swim).
	WorkoutSwimming WorkoutType = 26
	// WorkoutSwimmingPool is swimming laps in a pool (Garmin LAP_SWIMMING).
	WorkoutSwimmingPool WorkoutType = 27
	// WorkoutSwimmingOpenWater is swimming in open water.
	WorkoutSwimmingOpenWater WorkoutType = 28
	// WorkoutMultisport is a multisport session other than a triathlon.
	WorkoutMultisport WorkoutType = 29
	// WorkoutTriathlon is a triathlon (Apple SwimBikeRun).
	WorkoutTriathlon WorkoutType = 30
	// WorkoutDuathlon is a duathlon.
	WorkoutDuathlon WorkoutType = 31
	// WorkoutSwimrun is a swimrun race or session.
	WorkoutSwimrun WorkoutType = 32
	// WorkoutTransition is a transition between legs of a multisport session
	// (Garmin TRANSITION_V2, BIKE_TO_RUN_TRANSITION).
	WorkoutTransition WorkoutType = 33
	// WorkoutRowing is rowing a boat on water.
	WorkoutRowing WorkoutType = 34
	// WorkoutKayaking is kayaking.
	WorkoutKayaking WorkoutType = 35
	// WorkoutCanoeing is canoeing.
	WorkoutCanoeing WorkoutType = 36
	// WorkoutPaddling is paddle sports of unspecified kind (Suunto paddling, Apple
	// PaddleSports, Google paddling).
	WorkoutPaddling WorkoutType = 37
	// WorkoutStandUpPaddling is stand-up paddleboarding.
	WorkoutStandUpPaddling WorkoutType = 38
	// WorkoutSurfing is surfing and bodyboarding (Apple SurfingSports, Withings
	// bodyboard).
	WorkoutSurfing WorkoutType = 39
	// WorkoutKitesurfing is kitesurfing (Garmin KITEBOARDING).
	WorkoutKitesurfing WorkoutType = 40
	// WorkoutWindsurfing is windsurfing.
	WorkoutWindsurfing WorkoutType = 41
	// WorkoutSailing is sailing.
	WorkoutSailing WorkoutType = 42
	// WorkoutBoating is boating other than sailing or paddling (Garmin BOATING).
	WorkoutBoating WorkoutType = 43
	// WorkoutWaterSkiing is water skiing and wakeboarding (Polar
	// WATERSPORTS_WATERSKI).
	WorkoutWaterSkiing WorkoutType = 44
	// WorkoutScubaDiving is diving with breathing gas (Garmin single-gas, multi-
	// gas, gauge and CCR diving; Apple UnderwaterDiving).
	WorkoutScubaDiving WorkoutType = 45
	// WorkoutFreediving is breath-hold diving (Garmin APNEA_DIVING).
	WorkoutFreediving WorkoutType = 46
	// WorkoutSnorkeling is snorkeling.
	WorkoutSnorkeling WorkoutType = 47
	// WorkoutWaterPolo is water polo.
	WorkoutWaterPolo WorkoutType = 48
	// WorkoutWaterFitness is aqua aerobics and other fitness in water.
	WorkoutWaterFitness WorkoutType = 49
	// WorkoutWaterSports is water sports of unspecified kind (Apple WaterSports).
	WorkoutWaterSports WorkoutType = 50
	// WorkoutAlpineSkiing is downhill skiing at a resort (Apple DownhillSkiing,
	// Strava AlpineSki).
	WorkoutAlpineSkiing WorkoutType = 51
	// WorkoutBackcountrySkiing is backcountry skiing and ski touring (Suunto 31).
	WorkoutBackcountrySkiing WorkoutType = 52
	// WorkoutCrossCountrySkiing is classic cross-country skiing (Strava
	// NordicSki).
	WorkoutCrossCountrySkiing WorkoutType = 53
	// WorkoutSkateSkiing is cross-country skiing in skating technique.
	WorkoutSkateSkiing WorkoutType = 54
	// WorkoutRollerSkiing is roller skiing (Strava RollerSki).
	WorkoutRollerSkiing WorkoutType = 55
	// WorkoutSnowboarding is snowboarding.
	WorkoutSnowboarding WorkoutType = 56
	// WorkoutSnowshoeing is snowshoeing.
	WorkoutSnowshoeing WorkoutType = 57
	// WorkoutIceSkating is ice skating (Strava IceSkate).
	WorkoutIceSkating WorkoutType = 58
	// WorkoutCurling is curling.
	WorkoutCurling WorkoutType = 59
	// WorkoutSnowSports is snow sports of unspecified kind (Apple SnowSports).
	WorkoutSnowSports WorkoutType = 60
	// WorkoutStrengthTraining is strength training with weights (Apple
	// TraditionalStrengthTraining, Strava WeightTraining, WHOOP weightlifting and
	// powerlifting).
	WorkoutStrengthTraining WorkoutType = 61
	// WorkoutFunctionalStrengthTraining is functional strength training (Apple
	// FunctionalStrengthTraining, WHOOP functional fitness).
	WorkoutFunctionalStrengthTraining WorkoutType = 62
	// WorkoutCrossfit is CrossFit-style training.
	WorkoutCrossfit WorkoutType = 63
	// WorkoutHIIT is high-intensity interval training.
	WorkoutHIIT WorkoutType = 64
	// WorkoutCircuitTraining is circuit training and boot camps (Google
	// boot_camp).
	WorkoutCircuitTraining WorkoutType = 65
	// WorkoutCalisthenics is body-weight training.
	WorkoutCalisthenics WorkoutType = 66
	// WorkoutCoreTraining is core training.
	WorkoutCoreTraining WorkoutType = 67
	// WorkoutCardio is mixed indoor cardio (Garmin INDOOR_CARDIO, Polar
	// FITNESS_CARDIO, Apple MixedCardio).
	WorkoutCardio WorkoutType = 68
	// WorkoutElliptical is training on an elliptical machine.
	WorkoutElliptical WorkoutType = 69
	// WorkoutStairStepper is training on a stair-climbing machine (Garmin
	// STAIR_CLIMBING, Apple StairClimbing, Strava StairStepper, Google
	// stair_climbing_machine).
	WorkoutStairStepper WorkoutType = 70
	// WorkoutStairClimbing is climbing real stairs (Apple Stairs, Google
	// stair_climbing, Garmin FLOOR_CLIMBING).
	WorkoutStairClimbing WorkoutType = 71
	// WorkoutStepTraining is step aerobics (Apple StepTraining).
	WorkoutStepTraining WorkoutType = 72
	// WorkoutIndoorRowing is rowing on an ergometer (Strava VirtualRow, Google
	// rowing_machine).
	WorkoutIndoorRowing WorkoutType = 73
	// WorkoutJumpRope is jumping rope.
	WorkoutJumpRope WorkoutType = 74
	// WorkoutGymnastics is gymnastics.
	WorkoutGymnastics WorkoutType = 75
	// WorkoutBarre is barre.
	WorkoutBarre WorkoutType = 76
	// WorkoutFitnessGaming is exercise games (Apple FitnessGaming).
	WorkoutFitnessGaming WorkoutType = 77
	// WorkoutFitness is a generic gym or fitness workout (Strava Workout, Withings
	// fitness, Google exercise_class).
	WorkoutFitness WorkoutType = 78
	// WorkoutYoga is yoga, including hot yoga.
	WorkoutYoga WorkoutType = 79
	// WorkoutPilates is Pilates.
	WorkoutPilates WorkoutType = 80
	// WorkoutTaiChi is tai chi.
	WorkoutTaiChi WorkoutType = 81
	// WorkoutMindAndBody is mind-and-body training of unspecified kind (Apple
	// MindAndBody).
	WorkoutMindAndBody WorkoutType = 82
	// WorkoutFlexibility is stretching and flexibility training (Polar
	// FITNESS_STRETCHING, Google stretching).
	WorkoutFlexibility WorkoutType = 83
	// WorkoutBreathwork is breathing exercises (Garmin BREATHWORK, Google
	// guided_breathing).
	WorkoutBreathwork WorkoutType = 84
	// WorkoutMeditation is meditation.
	WorkoutMeditation WorkoutType = 85
	// WorkoutRecovery is cool-down, preparation and recovery (Apple Cooldown,
	// PreparationAndRecovery).
	WorkoutRecovery WorkoutType = 86
	// WorkoutSoccer is association football.
	WorkoutSoccer WorkoutType = 87
	// WorkoutFutsal is futsal.
	WorkoutFutsal WorkoutType = 88
	// WorkoutAmericanFootball is American football.
	WorkoutAmericanFootball WorkoutType = 89
	// WorkoutAustralianFootball is Australian rules football.
	WorkoutAustralianFootball WorkoutType = 90
	// WorkoutRugby is rugby.
	WorkoutRugby WorkoutType = 91
	// WorkoutBasketball is basketball.
	WorkoutBasketball WorkoutType = 92
	// WorkoutVolleyball is indoor volleyball.
	WorkoutVolleyball WorkoutType = 93
	// WorkoutBeachVolleyball is beach volleyball.
	WorkoutBeachVolleyball WorkoutType = 94
	// WorkoutBaseball is baseball.
	WorkoutBaseball WorkoutType = 95
	// WorkoutSoftball is softball.
	WorkoutSoftball WorkoutType = 96
	// WorkoutCricket is cricket.
	WorkoutCricket WorkoutType = 97
	// WorkoutHandball is handball.
	WorkoutHandball WorkoutType = 98
	// WorkoutLacrosse is lacrosse.
	WorkoutLacrosse WorkoutType = 99
	// WorkoutHockey is hockey of unspecified kind (Apple Hockey).
	WorkoutHockey WorkoutType = 100
	// WorkoutIceHockey is ice hockey.
	WorkoutIceHockey WorkoutType = 101
	// WorkoutFieldHockey is field hockey.
	WorkoutFieldHockey WorkoutType = 102
	// WorkoutFloorball is floorball.
	WorkoutFloorball WorkoutType = 103
	// WorkoutNetball is netball.
	WorkoutNetball WorkoutType = 104
	// WorkoutUltimateDisc is ultimate and other disc sports (Apple DiscSports,
	// Google frisbee_disc).
	WorkoutUltimateDisc WorkoutType = 105
	// WorkoutTennis is tennis.
	WorkoutTennis WorkoutType = 106
	// WorkoutBadminton is badminton.
	WorkoutBadminton WorkoutType = 107
	// WorkoutSquash is squash.
	WorkoutSquash WorkoutType = 108
	// WorkoutTableTennis is table tennis.
	WorkoutTableTennis WorkoutType = 109
	// WorkoutPadel is padel (Garmin PADDELBALL).
	WorkoutPadel WorkoutType = 110
	// WorkoutPickleball is pickleball.
	WorkoutPickleball WorkoutType = 111
	// WorkoutRacquetball is racquetball.
	WorkoutRacquetball WorkoutType = 112
	// WorkoutBoxing is boxing.
	WorkoutBoxing WorkoutType = 113
	// WorkoutKickboxing is kickboxing.
	WorkoutKickboxing WorkoutType = 114
	// WorkoutMartialArts is martial arts, including mixed martial arts.
	WorkoutMartialArts WorkoutType = 115
	// WorkoutWrestling is wrestling.
	WorkoutWrestling WorkoutType = 116
	// WorkoutFencing is fencing.
	WorkoutFencing WorkoutType = 117
	// WorkoutDance is dancing of unspecified style.
	WorkoutDance WorkoutType = 118
	// WorkoutCardioDance is dance-based cardio such as Zumba (Apple CardioDance,
	// Withings Zumba).
	WorkoutCardioDance WorkoutType = 119
	// WorkoutSocialDance is partner and social dancing (Apple SocialDance).
	WorkoutSocialDance WorkoutType = 120
	// WorkoutClimbing is rock climbing outdoors (Strava RockClimbing, Apple
	// Climbing).
	WorkoutClimbing WorkoutType = 121
	// WorkoutIndoorClimbing is rope climbing on an indoor wall.
	WorkoutIndoorClimbing WorkoutType = 122
	// WorkoutBouldering is bouldering, indoors or out.
	WorkoutBouldering WorkoutType = 123
	// WorkoutMountaineering is mountaineering.
	WorkoutMountaineering WorkoutType = 124
	// WorkoutOrienteering is orienteering.
	WorkoutOrienteering WorkoutType = 125
	// WorkoutGolf is golf.
	WorkoutGolf WorkoutType = 126
	// WorkoutDiscGolf is disc golf.
	WorkoutDiscGolf WorkoutType = 127
	// WorkoutHorsebackRiding is horseback riding (Apple EquestrianSports).
	WorkoutHorsebackRiding WorkoutType = 128
	// WorkoutHunting is hunting.
	WorkoutHunting WorkoutType = 129
	// WorkoutFishing is fishing.
	WorkoutFishing WorkoutType = 130
	// WorkoutSkateboarding is skateboarding.
	WorkoutSkateboarding WorkoutType = 131
	// WorkoutInlineSkating is inline and roller skating.
	WorkoutInlineSkating WorkoutType = 132
	// WorkoutParagliding is paragliding and hang gliding.
	WorkoutParagliding WorkoutType = 133
	// WorkoutTrackAndField is track and field events other than running (Apple
	// TrackAndField).
	WorkoutTrackAndField WorkoutType = 134
	// WorkoutArchery is archery.
	WorkoutArchery WorkoutType = 135
	// WorkoutBowling is bowling.
	WorkoutBowling WorkoutType = 136
	// WorkoutMotorcycling is motorcycling on roads.
	WorkoutMotorcycling WorkoutType = 137
	// WorkoutMotocross is motocross and off-road motorcycling.
	WorkoutMotocross WorkoutType = 138
	// WorkoutSnowmobiling is snowmobiling.
	WorkoutSnowmobiling WorkoutType = 139
	// WorkoutSauna is a sauna session (WHOOP sauna).
	WorkoutSauna WorkoutType = 140
	// WorkoutIceBath is cold-water immersion (WHOOP ice bath).
	WorkoutIceBath WorkoutType = 141
	// WorkoutOther is any sport without a better match; the vendor's name is kept
	// in Workout.RawType.
	WorkoutOther WorkoutType = 142
)

// workoutCatalog is the workout catalog, ordered by id with dense ids from 1.
// Entries are only ever appended; catalog_test.go checks it against
// testdata/catalog/workouts.golden.tsv.
var workoutCatalog = []WorkoutInfo{
	{WorkoutRunning, "running", "Running", WorkoutCategoryRunning},
	{WorkoutTrailRunning, "trail_running", "Trail running", WorkoutCategoryRunning},
	{WorkoutTreadmillRunning, "treadmill_running", "Treadmill running", WorkoutCategoryRunning},
	{WorkoutTrackRunning, "track_running", "Track running", WorkoutCategoryRunning},
	{WorkoutIndoorRunning, "indoor_running", "Indoor running", WorkoutCategoryRunning},
	{WorkoutVirtualRunning, "virtual_running", "Virtual running", WorkoutCategoryRunning},
	{WorkoutObstacleRacing, "obstacle_racing", "Obstacle racing", WorkoutCategoryRunning},
	{WorkoutWalking, "walking", "Walking", WorkoutCategoryWalking},
	{WorkoutNordicWalking, "nordic_walking", "Nordic walking", WorkoutCategoryWalking},
	{WorkoutHiking, "hiking", "Hiking", WorkoutCategoryWalking},
	{WorkoutRucking, "rucking", "Rucking", WorkoutCategoryWalking},
	{WorkoutWheelchairWalkPace, "wheelchair_walk_pace", "Wheelchair (walk pace)", WorkoutCategoryWalking},
	{WorkoutWheelchairRunPace, "wheelchair_run_pace", "Wheelchair (run pace)", WorkoutCategoryRunning},
	{WorkoutWheelchair, "wheelchair", "Wheelchair", WorkoutCategoryWalking},
	{WorkoutCycling, "cycling", "Cycling", WorkoutCategoryCycling},
	{WorkoutIndoorCycling, "indoor_cycling", "Indoor cycling", WorkoutCategoryCycling},
	{WorkoutVirtualCycling, "virtual_cycling", "Virtual cycling", WorkoutCategoryCycling},
	{WorkoutMountainBiking, "mountain_biking", "Mountain biking", WorkoutCategoryCycling},
	{WorkoutGravelCycling, "gravel_cycling", "Gravel cycling", WorkoutCategoryCycling},
	{WorkoutCyclocross, "cyclocross", "Cyclocross", WorkoutCategoryCycling},
	{WorkoutTrackCycling, "track_cycling", "Track cycling", WorkoutCategoryCycling},
	{WorkoutBMX, "bmx", "BMX", WorkoutCategoryCycling},
	{WorkoutEBiking, "e_biking", "E-biking", WorkoutCategoryCycling},
	{WorkoutEMountainBiking, "e_mountain_biking", "E-mountain biking", WorkoutCategoryCycling},
	{WorkoutHandcycling, "handcycling", "Handcycling", WorkoutCategoryCycling},
	{WorkoutSwimming, "swimming", "Swimming", WorkoutCategorySwimming},
	{WorkoutSwimmingPool, "swimming_pool", "Pool swimming", WorkoutCategorySwimming},
	{WorkoutSwimmingOpenWater, "swimming_open_water", "Open-water swimming", WorkoutCategorySwimming},
	{WorkoutMultisport, "multisport", "Multisport", WorkoutCategoryMultisport},
	{WorkoutTriathlon, "triathlon", "Triathlon", WorkoutCategoryMultisport},
	{WorkoutDuathlon, "duathlon", "Duathlon", WorkoutCategoryMultisport},
	{WorkoutSwimrun, "swimrun", "Swimrun", WorkoutCategoryMultisport},
	{WorkoutTransition, "transition", "Transition", WorkoutCategoryMultisport},
	{WorkoutRowing, "rowing", "Rowing", WorkoutCategoryWater},
	{WorkoutKayaking, "kayaking", "Kayaking", WorkoutCategoryWater},
	{WorkoutCanoeing, "canoeing", "Canoeing", WorkoutCategoryWater},
	{WorkoutPaddling, "paddling", "Paddling", WorkoutCategoryWater},
	{WorkoutStandUpPaddling, "stand_up_paddling", "Stand-up paddling", WorkoutCategoryWater},
	{WorkoutSurfing, "surfing", "Surfing", WorkoutCategoryWater},
	{WorkoutKitesurfing, "kitesurfing", "Kitesurfing", WorkoutCategoryWater},
	{WorkoutWindsurfing, "windsurfing", "Windsurfing", WorkoutCategoryWater},
	{WorkoutSailing, "sailing", "Sailing", WorkoutCategoryWater},
	{WorkoutBoating, "boating", "Boating", WorkoutCategoryWater},
	{WorkoutWaterSkiing, "water_skiing", "Water skiing", WorkoutCategoryWater},
	{WorkoutScubaDiving, "scuba_diving", "Scuba diving", WorkoutCategoryWater},
	{WorkoutFreediving, "freediving", "Freediving", WorkoutCategoryWater},
	{WorkoutSnorkeling, "snorkeling", "Snorkeling", WorkoutCategoryWater},
	{WorkoutWaterPolo, "water_polo", "Water polo", WorkoutCategoryWater},
	{WorkoutWaterFitness, "water_fitness", "Water fitness", WorkoutCategoryWater},
	{WorkoutWaterSports, "water_sports", "Water sports", WorkoutCategoryWater},
	{WorkoutAlpineSkiing, "alpine_skiing", "Alpine skiing", WorkoutCategoryWinter},
	{WorkoutBackcountrySkiing, "backcountry_skiing", "Backcountry skiing", WorkoutCategoryWinter},
	{WorkoutCrossCountrySkiing, "cross_country_skiing", "Cross-country skiing", WorkoutCategoryWinter},
	{WorkoutSkateSkiing, "skate_skiing", "Skate skiing", WorkoutCategoryWinter},
	{WorkoutRollerSkiing, "roller_skiing", "Roller skiing", WorkoutCategoryWinter},
	{WorkoutSnowboarding, "snowboarding", "Snowboarding", WorkoutCategoryWinter},
	{WorkoutSnowshoeing, "snowshoeing", "Snowshoeing", WorkoutCategoryWinter},
	{WorkoutIceSkating, "ice_skating", "Ice skating", WorkoutCategoryWinter},
	{WorkoutCurling, "curling", "Curling", WorkoutCategoryWinter},
	{WorkoutSnowSports, "snow_sports", "Snow sports", WorkoutCategoryWinter},
	{WorkoutStrengthTraining, "strength_training", "Strength training", WorkoutCategoryFitness},
	{WorkoutFunctionalStrengthTraining, "functional_strength_training", "Functional strength training", WorkoutCategoryFitness},
	{WorkoutCrossfit, "crossfit", "CrossFit", WorkoutCategoryFitness},
	{WorkoutHIIT, "hiit", "High-intensity interval training", WorkoutCategoryFitness},
	{WorkoutCircuitTraining, "circuit_training", "Circuit training", WorkoutCategoryFitness},
	{WorkoutCalisthenics, "calisthenics", "Calisthenics", WorkoutCategoryFitness},
	{WorkoutCoreTraining, "core_training", "Core training", WorkoutCategoryFitness},
	{WorkoutCardio, "cardio", "Cardio", WorkoutCategoryFitness},
	{WorkoutElliptical, "elliptical", "Elliptical", WorkoutCategoryFitness},
	{WorkoutStairStepper, "stair_stepper", "Stair stepper", WorkoutCategoryFitness},
	{WorkoutStairClimbing, "stair_climbing", "Stair climbing", WorkoutCategoryFitness},
	{WorkoutStepTraining, "step_training", "Step training", WorkoutCategoryFitness},
	{WorkoutIndoorRowing, "indoor_rowing", "Indoor rowing", WorkoutCategoryFitness},
	{WorkoutJumpRope, "jump_rope", "Jump rope", WorkoutCategoryFitness},
	{WorkoutGymnastics, "gymnastics", "Gymnastics", WorkoutCategoryFitness},
	{WorkoutBarre, "barre", "Barre", WorkoutCategoryFitness},
	{WorkoutFitnessGaming, "fitness_gaming", "Fitness gaming", WorkoutCategoryFitness},
	{WorkoutFitness, "fitness", "Fitness", WorkoutCategoryFitness},
	{WorkoutYoga, "yoga", "Yoga", WorkoutCategoryMindBody},
	{WorkoutPilates, "pilates", "Pilates", WorkoutCategoryMindBody},
	{WorkoutTaiChi, "tai_chi", "Tai chi", WorkoutCategoryMindBody},
	{WorkoutMindAndBody, "mind_and_body", "Mind and body", WorkoutCategoryMindBody},
	{WorkoutFlexibility, "flexibility", "Flexibility", WorkoutCategoryMindBody},
	{WorkoutBreathwork, "breathwork", "Breathwork", WorkoutCategoryMindBody},
	{WorkoutMeditation, "meditation", "Meditation", WorkoutCategoryMindBody},
	{WorkoutRecovery, "recovery", "Recovery", WorkoutCategoryMindBody},
	{WorkoutSoccer, "soccer", "Soccer", WorkoutCategoryTeam},
	{WorkoutFutsal, "futsal", "Futsal", WorkoutCategoryTeam},
	{WorkoutAmericanFootball, "american_football", "American football", WorkoutCategoryTeam},
	{WorkoutAustralianFootball, "australian_football", "Australian football", WorkoutCategoryTeam},
	{WorkoutRugby, "rugby", "Rugby", WorkoutCategoryTeam},
	{WorkoutBasketball, "basketball", "Basketball", WorkoutCategoryTeam},
	{WorkoutVolleyball, "volleyball", "Volleyball", WorkoutCategoryTeam},
	{WorkoutBeachVolleyball, "beach_volleyball", "Beach volleyball", WorkoutCategoryTeam},
	{WorkoutBaseball, "baseball", "Baseball", WorkoutCategoryTeam},
	{WorkoutSoftball, "softball", "Softball", WorkoutCategoryTeam},
	{WorkoutCricket, "cricket", "Cricket", WorkoutCategoryTeam},
	{WorkoutHandball, "handball", "Handball", WorkoutCategoryTeam},
	{WorkoutLacrosse, "lacrosse", "Lacrosse", WorkoutCategoryTeam},
	{WorkoutHockey, "hockey", "Hockey", WorkoutCategoryTeam},
	{WorkoutIceHockey, "ice_hockey", "Ice hockey", WorkoutCategoryTeam},
	{WorkoutFieldHockey, "field_hockey", "Field hockey", WorkoutCategoryTeam},
	{WorkoutFloorball, "floorball", "Floorball", WorkoutCategoryTeam},
	{WorkoutNetball, "netball", "Netball", WorkoutCategoryTeam},
	{WorkoutUltimateDisc, "ultimate_disc", "Ultimate", WorkoutCategoryTeam},
	{WorkoutTennis, "tennis", "Tennis", WorkoutCategoryRacket},
	{WorkoutBadminton, "badminton", "Badminton", WorkoutCategoryRacket},
	{WorkoutSquash, "squash", "Squash", WorkoutCategoryRacket},
	{WorkoutTableTennis, "table_tennis", "Table tennis", WorkoutCategoryRacket},
	{WorkoutPadel, "padel", "Padel", WorkoutCategoryRacket},
	{WorkoutPickleball, "pickleball", "Pickleball", WorkoutCategoryRacket},
	{WorkoutRacquetball, "racquetball", "Racquetball", WorkoutCategoryRacket},
	{WorkoutBoxing, "boxing", "Boxing", WorkoutCategoryCombat},
	{WorkoutKickboxing, "kickboxing", "Kickboxing", WorkoutCategoryCombat},
	{WorkoutMartialArts, "martial_arts", "Martial arts", WorkoutCategoryCombat},
	{WorkoutWrestling, "wrestling", "Wrestling", WorkoutCategoryCombat},
	{WorkoutFencing, "fencing", "Fencing", WorkoutCategoryCombat},
	{WorkoutDance, "dance", "Dance", WorkoutCategoryDance},
	{WorkoutCardioDance, "cardio_dance", "Cardio dance", WorkoutCategoryDance},
	{WorkoutSocialDance, "social_dance", "Social dance", WorkoutCategoryDance},
	{WorkoutClimbing, "climbing", "Climbing", WorkoutCategoryOutdoor},
	{WorkoutIndoorClimbing, "indoor_climbing", "Indoor climbing", WorkoutCategoryOutdoor},
	{WorkoutBouldering, "bouldering", "Bouldering", WorkoutCategoryOutdoor},
	{WorkoutMountaineering, "mountaineering", "Mountaineering", WorkoutCategoryOutdoor},
	{WorkoutOrienteering, "orienteering", "Orienteering", WorkoutCategoryOutdoor},
	{WorkoutGolf, "golf", "Golf", WorkoutCategoryOutdoor},
	{WorkoutDiscGolf, "disc_golf", "Disc golf", WorkoutCategoryOutdoor},
	{WorkoutHorsebackRiding, "horseback_riding", "Horseback riding", WorkoutCategoryOutdoor},
	{WorkoutHunting, "hunting", "Hunting", WorkoutCategoryOutdoor},
	{WorkoutFishing, "fishing", "Fishing", WorkoutCategoryOutdoor},
	{WorkoutSkateboarding, "skateboarding", "Skateboarding", WorkoutCategoryOutdoor},
	{WorkoutInlineSkating, "inline_skating", "Inline skating", WorkoutCategoryOutdoor},
	{WorkoutParagliding, "paragliding", "Paragliding", WorkoutCategoryOutdoor},
	{WorkoutTrackAndField, "track_and_field", "Track and field", WorkoutCategoryOutdoor},
	{WorkoutArchery, "archery", "Archery", WorkoutCategoryOutdoor},
	{WorkoutBowling, "bowling", "Bowling", WorkoutCategoryOther},
	{WorkoutMotorcycling, "motorcycling", "Motorcycling", WorkoutCategoryMotor},
	{WorkoutMotocross, "motocross", "Motocross", WorkoutCategoryMotor},
	{WorkoutSnowmobiling, "snowmobiling", "Snowmobiling", WorkoutCategoryMotor},
	{WorkoutSauna, "sauna", "Sauna", WorkoutCategoryOther},
	{WorkoutIceBath, "ice_bath", "Ice bath", WorkoutCategoryOther},
	{WorkoutOther, "other", "Other", WorkoutCategoryOther},
}
