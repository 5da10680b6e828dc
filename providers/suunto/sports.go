package suunto

import (
	"strconv"

	"github.com/wearables-go/wearables"
)

// activity is one entry of Suunto's activity taxonomy: the name Suunto
// gives the activityId and the workout type it maps to.
type activity struct {
	name string
	typ  wearables.WorkoutType
}

// activities maps every activityId of Suunto's Activities.pdf (0–121; 89
// is not assigned) to a workout type. IDs 4–9 are Suunto's generic
// "Sports" slots.
var activities = map[int]activity{
	0:   {"Walking", wearables.WorkoutWalking},
	1:   {"Running", wearables.WorkoutRunning},
	2:   {"Cycling", wearables.WorkoutCycling},
	3:   {"Cross-country skiing", wearables.WorkoutCrossCountrySkiing},
	4:   {"Sports", wearables.WorkoutOther},
	5:   {"Sports", wearables.WorkoutOther},
	6:   {"Sports", wearables.WorkoutOther},
	7:   {"Sports", wearables.WorkoutOther},
	8:   {"Sports", wearables.WorkoutOther},
	9:   {"Sports", wearables.WorkoutOther},
	10:  {"Mountain biking", wearables.WorkoutMountainBiking},
	11:  {"Hiking", wearables.WorkoutHiking},
	12:  {"Roller skating", wearables.WorkoutInlineSkating},
	13:  {"Downhill skiing", wearables.WorkoutAlpineSkiing},
	14:  {"Paddling", wearables.WorkoutPaddling},
	15:  {"Rowing", wearables.WorkoutRowing},
	16:  {"Golfing", wearables.WorkoutGolf},
	17:  {"Indoor sports", wearables.WorkoutFitness},
	18:  {"Parkouring", wearables.WorkoutOther},
	19:  {"Ball games", wearables.WorkoutOther},
	20:  {"Outdoor gym", wearables.WorkoutFunctionalStrengthTraining},
	21:  {"Swimming", wearables.WorkoutSwimming},
	22:  {"Trail running", wearables.WorkoutTrailRunning},
	23:  {"Gym", wearables.WorkoutStrengthTraining},
	24:  {"Nordic walking", wearables.WorkoutNordicWalking},
	25:  {"Horseback riding", wearables.WorkoutHorsebackRiding},
	26:  {"Motorsports", wearables.WorkoutMotorcycling},
	27:  {"Skateboarding", wearables.WorkoutSkateboarding},
	28:  {"Water sports", wearables.WorkoutWaterSports},
	29:  {"Climbing", wearables.WorkoutClimbing},
	30:  {"Snowboarding", wearables.WorkoutSnowboarding},
	31:  {"Ski touring", wearables.WorkoutBackcountrySkiing},
	32:  {"Fitness class", wearables.WorkoutFitness},
	33:  {"Soccer", wearables.WorkoutSoccer},
	34:  {"Tennis", wearables.WorkoutTennis},
	35:  {"Basketball", wearables.WorkoutBasketball},
	36:  {"Badminton", wearables.WorkoutBadminton},
	37:  {"Baseball", wearables.WorkoutBaseball},
	38:  {"Volleyball", wearables.WorkoutVolleyball},
	39:  {"American football", wearables.WorkoutAmericanFootball},
	40:  {"Table tennis", wearables.WorkoutTableTennis},
	41:  {"Racquet ball", wearables.WorkoutRacquetball},
	42:  {"Squash", wearables.WorkoutSquash},
	43:  {"Floorball", wearables.WorkoutFloorball},
	44:  {"Handball", wearables.WorkoutHandball},
	45:  {"Softball", wearables.WorkoutSoftball},
	46:  {"Bowling", wearables.WorkoutBowling},
	47:  {"Cricket", wearables.WorkoutCricket},
	48:  {"Rugby", wearables.WorkoutRugby},
	49:  {"Ice skating", wearables.WorkoutIceSkating},
	50:  {"Ice hockey", wearables.WorkoutIceHockey},
	51:  {"Yoga/pilates", wearables.WorkoutYoga},
	52:  {"Indoor cycling", wearables.WorkoutIndoorCycling},
	53:  {"Treadmill", wearables.WorkoutTreadmillRunning},
	54:  {"Crossfit", wearables.WorkoutCrossfit},
	55:  {"Crosstrainer", wearables.WorkoutElliptical},
	56:  {"Roller skiing", wearables.WorkoutRollerSkiing},
	57:  {"Indoor rowing", wearables.WorkoutIndoorRowing},
	58:  {"Stretching", wearables.WorkoutFlexibility},
	59:  {"Track and field", wearables.WorkoutTrackAndField},
	60:  {"Orienteering", wearables.WorkoutOrienteering},
	61:  {"Standup paddling", wearables.WorkoutStandUpPaddling},
	62:  {"Combat sport", wearables.WorkoutMartialArts},
	63:  {"Kettlebell", wearables.WorkoutFunctionalStrengthTraining},
	64:  {"Dancing", wearables.WorkoutDance},
	65:  {"Snow shoeing", wearables.WorkoutSnowshoeing},
	66:  {"Frisbee golf", wearables.WorkoutDiscGolf},
	67:  {"Futsal", wearables.WorkoutFutsal},
	68:  {"Multisport", wearables.WorkoutMultisport},
	69:  {"Aerobics", wearables.WorkoutCardioDance},
	70:  {"Trekking", wearables.WorkoutHiking},
	71:  {"Sailing", wearables.WorkoutSailing},
	72:  {"Kayaking", wearables.WorkoutKayaking},
	73:  {"Circuit training", wearables.WorkoutCircuitTraining},
	74:  {"Triathlon", wearables.WorkoutTriathlon},
	75:  {"Padel", wearables.WorkoutPadel},
	76:  {"Cheerleading", wearables.WorkoutGymnastics},
	77:  {"Boxing", wearables.WorkoutBoxing},
	78:  {"Scubadiving", wearables.WorkoutScubaDiving},
	79:  {"Freediving", wearables.WorkoutFreediving},
	80:  {"Adventure racing", wearables.WorkoutMultisport},
	81:  {"Gymnastics", wearables.WorkoutGymnastics},
	82:  {"Canoeing", wearables.WorkoutCanoeing},
	83:  {"Mountaineering", wearables.WorkoutMountaineering},
	84:  {"Telemarkskiing", wearables.WorkoutAlpineSkiing},
	85:  {"Openwater swimming", wearables.WorkoutSwimmingOpenWater},
	86:  {"Windsurfing", wearables.WorkoutWindsurfing},
	87:  {"Kitesurfing", wearables.WorkoutKitesurfing},
	88:  {"Paragliding", wearables.WorkoutParagliding},
	90:  {"Snorkeling", wearables.WorkoutSnorkeling},
	91:  {"Surfing", wearables.WorkoutSurfing},
	92:  {"Swimrun", wearables.WorkoutSwimrun},
	93:  {"Duathlon", wearables.WorkoutDuathlon},
	94:  {"Aquathlon", wearables.WorkoutMultisport},
	95:  {"Obstacle racing", wearables.WorkoutObstacleRacing},
	96:  {"Fishing", wearables.WorkoutFishing},
	97:  {"Hunting", wearables.WorkoutHunting},
	98:  {"Transition", wearables.WorkoutTransition},
	99:  {"Gravel cycling", wearables.WorkoutGravelCycling},
	100: {"Mermaiding", wearables.WorkoutSwimming},
	101: {"Spearfishing", wearables.WorkoutFreediving},
	102: {"Jump rope", wearables.WorkoutJumpRope},
	103: {"Track running", wearables.WorkoutTrackRunning},
	104: {"Calisthenics", wearables.WorkoutCalisthenics},
	105: {"E-biking", wearables.WorkoutEBiking},
	106: {"E-mtb", wearables.WorkoutEMountainBiking},
	107: {"Backcountry skiing", wearables.WorkoutBackcountrySkiing},
	108: {"Wheelchair sport", wearables.WorkoutWheelchair},
	109: {"Hand cycling", wearables.WorkoutHandcycling},
	110: {"Splitboarding", wearables.WorkoutSnowboarding},
	111: {"Biathlon", wearables.WorkoutCrossCountrySkiing},
	112: {"Meditation", wearables.WorkoutMeditation},
	113: {"Field hockey", wearables.WorkoutFieldHockey},
	114: {"Cyclocross", wearables.WorkoutCyclocross},
	115: {"Vertical running", wearables.WorkoutTrailRunning},
	116: {"Ski mountaineering", wearables.WorkoutBackcountrySkiing},
	117: {"Skate skiing", wearables.WorkoutSkateSkiing},
	118: {"Classic skiing", wearables.WorkoutCrossCountrySkiing},
	119: {"Chores", wearables.WorkoutOther},
	120: {"Pilates", wearables.WorkoutPilates},
	121: {"Yoga", wearables.WorkoutYoga},
}

// WorkoutType maps a Suunto activityId to a workout type. An id without a
// mapping (one Suunto added after this table, or a generic "Sports" slot)
// is wearables.WorkoutOther; the provider keeps the id in
// Workout.RawType, so it can be mapped later.
func WorkoutType(activityID int) wearables.WorkoutType {
	if a, ok := activities[activityID]; ok {
		return a.typ
	}
	return wearables.WorkoutOther
}

// ActivityName returns Suunto's name of an activityId ("Trail running"),
// or "" for an id this package does not know.
func ActivityName(activityID int) string { return activities[activityID].name }

// rawType is what Workout.RawType keeps of an activityId: its decimal
// text, the value Suunto sends.
func rawType(activityID int) string { return strconv.Itoa(activityID) }
