package strava

import "github.com/wearables-go/wearables"

// family groups sports whose recordings share units and series: how
// cadence is counted and which speed and power series a stream lands on.
type family uint8

const (
	famOther family = iota
	// famRun: running. Speed and power are running series; cadence is
	// strides (one foot) per minute, doubled into steps per minute.
	famRun
	// famFoot: walking, hiking, snowshoeing. Cadence as for famRun; speed
	// and power are generic.
	famFoot
	// famRide: cycling. Speed, power and cadence (rpm) are cycling series.
	famRide
	// famRow: rowing and paddling. Cadence is the stroke rate.
	famRow
)

// sport is how one Strava sport maps onto the catalog.
type sport struct {
	typ wearables.WorkoutType
	// indoor is the type of the same sport flagged trainer (Strava's
	// "trainer" toggle, labelled "Treadmill" for runs); zero keeps typ.
	indoor wearables.WorkoutType
	fam    family
}

// sports maps Strava's sport_type values — and the legacy ActivityType
// values of the deprecated "type" field, which are a subset spelled the same
// way — onto the workout catalog. The list is the SportType enum of the API
// reference (developers.strava.com/docs/reference, read through client
// libraries generated from it); the entries marked [2nd] were seen in third-
// party code only and are mapped in case Strava sends them. Anything else
// maps to WorkoutOther with the name kept in Workout.RawType.
var sports = map[string]sport{
	// Foot sports.
	"Run":        {wearables.WorkoutRunning, wearables.WorkoutTreadmillRunning, famRun},
	"TrailRun":   {wearables.WorkoutTrailRunning, 0, famRun},
	"VirtualRun": {wearables.WorkoutVirtualRunning, 0, famRun},
	"Walk":       {wearables.WorkoutWalking, 0, famFoot},
	"Hike":       {wearables.WorkoutHiking, 0, famFoot},
	"Wheelchair": {wearables.WorkoutWheelchair, 0, famOther},

	// Cycling.
	"Ride":              {wearables.WorkoutCycling, wearables.WorkoutIndoorCycling, famRide},
	"MountainBikeRide":  {wearables.WorkoutMountainBiking, 0, famRide},
	"GravelRide":        {wearables.WorkoutGravelCycling, 0, famRide},
	"EBikeRide":         {wearables.WorkoutEBiking, 0, famRide},
	"EMountainBikeRide": {wearables.WorkoutEMountainBiking, 0, famRide},
	"VirtualRide":       {wearables.WorkoutVirtualCycling, 0, famRide},
	"Velomobile":        {wearables.WorkoutCycling, 0, famRide},
	"Handcycle":         {wearables.WorkoutHandcycling, 0, famRide},

	// Water sports.
	"Swim":            {wearables.WorkoutSwimming, 0, famOther},
	"Rowing":          {wearables.WorkoutRowing, wearables.WorkoutIndoorRowing, famRow},
	"VirtualRow":      {wearables.WorkoutIndoorRowing, 0, famRow},
	"Kayaking":        {wearables.WorkoutKayaking, 0, famRow},
	"Canoeing":        {wearables.WorkoutCanoeing, 0, famRow},
	"StandUpPaddling": {wearables.WorkoutStandUpPaddling, 0, famRow},
	"Surfing":         {wearables.WorkoutSurfing, 0, famOther},
	"Kitesurf":        {wearables.WorkoutKitesurfing, 0, famOther},
	"Windsurf":        {wearables.WorkoutWindsurfing, 0, famOther},
	"Sail":            {wearables.WorkoutSailing, 0, famOther},

	// Winter sports.
	"AlpineSki":      {wearables.WorkoutAlpineSkiing, 0, famOther},
	"BackcountrySki": {wearables.WorkoutBackcountrySkiing, 0, famOther},
	"NordicSki":      {wearables.WorkoutCrossCountrySkiing, 0, famOther},
	"Snowboard":      {wearables.WorkoutSnowboarding, 0, famOther},
	"Snowshoe":       {wearables.WorkoutSnowshoeing, 0, famFoot},
	"IceSkate":       {wearables.WorkoutIceSkating, 0, famOther},
	"RollerSki":      {wearables.WorkoutRollerSkiing, 0, famOther},

	// Skating and boards.
	"InlineSkate": {wearables.WorkoutInlineSkating, 0, famOther},
	"Skateboard":  {wearables.WorkoutSkateboarding, 0, famOther},

	// Gym and fitness.
	"WeightTraining":                {wearables.WorkoutStrengthTraining, 0, famOther},
	"Workout":                       {wearables.WorkoutFitness, 0, famOther},
	"Crossfit":                      {wearables.WorkoutCrossfit, 0, famOther},
	"HighIntensityIntervalTraining": {wearables.WorkoutHIIT, 0, famOther},
	"Elliptical":                    {wearables.WorkoutElliptical, 0, famOther},
	"StairStepper":                  {wearables.WorkoutStairStepper, 0, famOther},
	"Yoga":                          {wearables.WorkoutYoga, 0, famOther},
	"Pilates":                       {wearables.WorkoutPilates, 0, famOther},

	// Racket and team sports.
	"Tennis":      {wearables.WorkoutTennis, 0, famOther},
	"Pickleball":  {wearables.WorkoutPickleball, 0, famOther},
	"Squash":      {wearables.WorkoutSquash, 0, famOther},
	"Racquetball": {wearables.WorkoutRacquetball, 0, famOther},
	"Badminton":   {wearables.WorkoutBadminton, 0, famOther},
	"TableTennis": {wearables.WorkoutTableTennis, 0, famOther},
	"Soccer":      {wearables.WorkoutSoccer, 0, famOther},
	"Padel":       {wearables.WorkoutPadel, 0, famOther},      // [2nd]
	"Basketball":  {wearables.WorkoutBasketball, 0, famOther}, // [2nd]
	"Volleyball":  {wearables.WorkoutVolleyball, 0, famOther}, // [2nd]
	"Cricket":     {wearables.WorkoutCricket, 0, famOther},    // [2nd]
	"Dance":       {wearables.WorkoutDance, 0, famOther},      // [2nd]

	// Other.
	"RockClimbing": {wearables.WorkoutClimbing, 0, famOther},
	"Golf":         {wearables.WorkoutGolf, 0, famOther},
}

// genericType is the legacy type Strava gives sports that have no
// legacy equivalent: it says nothing about the sport.
const genericType = "Workout"

// sportOf resolves an activity's sport from sport_type, falling back to the
// deprecated type:
//
//   - a known sport_type wins;
//   - without sport_type (older representations) the legacy type is used;
//   - an unknown sport_type falls back to a known legacy type only when that
//     type is specific ("Ride" for a new kind of ride), not the generic
//     "Workout" Strava gives sports without a legacy equivalent: such an
//     activity is WorkoutOther, never mislabelled a gym workout.
//
// raw is the vendor's name kept in Workout.RawType: sport_type, or type when
// sport_type is empty.
func sportOf(sportType, legacyType string, trainer bool) (s sport, raw string) {
	raw = sportType
	if raw == "" {
		raw = legacyType
	}
	s, ok := sports[sportType]
	if !ok && (sportType == "" || legacyType != genericType) {
		s, ok = sports[legacyType]
	}
	if !ok {
		return sport{typ: wearables.WorkoutOther}, raw
	}
	if trainer && s.indoor != 0 {
		s.typ = s.indoor
	}
	return s, raw
}
