package whoop

import (
	"strconv"
	"strings"

	"github.com/wearables-go/wearables"
)

// whoopSport is one WHOOP sport: the slug v2 sends as sport_name, the v1
// sport_id it had (gone after 2025-09-01, still sent by older records),
// and its workout type. Sports without a better match map to
// wearables.WorkoutOther on purpose: listing them records that they are
// known, not forgotten.
type whoopSport struct {
	name string
	id   int64
	typ  wearables.WorkoutType
}

// sports is WHOOP's sport list (developer.whoop.com, "WHOOP Sports"), by
// category.
var sports = []whoopSport{
	// Generic.
	{"activity", -1, wearables.WorkoutOther},
	{"other", 71, wearables.WorkoutOther},
	// Running and walking.
	{"running", 0, wearables.WorkoutRunning},
	{"track-field", 35, wearables.WorkoutTrackAndField},
	{"stroller-jogging", 253, wearables.WorkoutRunning},
	{"obstacle-course-racing", 94, wearables.WorkoutObstacleRacing},
	{"walking", 63, wearables.WorkoutWalking},
	{"stroller-walking", 252, wearables.WorkoutWalking},
	{"dog-walking", 266, wearables.WorkoutWalking},
	{"babywearing", 255, wearables.WorkoutWalking},
	{"toddlerwearing", 254, wearables.WorkoutWalking},
	{"caddying", 93, wearables.WorkoutWalking},
	{"hiking-rucking", 52, wearables.WorkoutHiking},
	{"wheelchair-pushing", 105, wearables.WorkoutWheelchair},
	// Cycling.
	{"cycling", 1, wearables.WorkoutCycling},
	{"mountain-biking", 57, wearables.WorkoutMountainBiking},
	{"spin", 97, wearables.WorkoutIndoorCycling},
	{"assault-bike", 126, wearables.WorkoutIndoorCycling},
	// Water.
	{"swimming", 33, wearables.WorkoutSwimming},
	{"water-polo", 37, wearables.WorkoutWaterPolo},
	{"rowing", 18, wearables.WorkoutRowing},
	{"kayaking", 55, wearables.WorkoutKayaking},
	{"paddleboarding", 61, wearables.WorkoutStandUpPaddling},
	{"surfing", 64, wearables.WorkoutSurfing},
	{"sailing", 28, wearables.WorkoutSailing},
	{"diving", 73, wearables.WorkoutWaterSports}, // springboard or scuba: WHOOP does not say
	{"water-skiing", 267, wearables.WorkoutWaterSkiing},
	{"wakeboarding", 268, wearables.WorkoutWaterSkiing},
	{"kite-boarding", 264, wearables.WorkoutKitesurfing},
	// Gym and fitness.
	{"weightlifting", 45, wearables.WorkoutStrengthTraining},
	{"powerlifting", 59, wearables.WorkoutStrengthTraining},
	{"strength-trainer", 123, wearables.WorkoutStrengthTraining},
	{"functional-fitness", 48, wearables.WorkoutFunctionalStrengthTraining},
	{"hiit", 96, wearables.WorkoutHIIT},
	{"f45-training", 248, wearables.WorkoutCircuitTraining},
	{"barrys", 250, wearables.WorkoutCircuitTraining},
	{"elliptical", 65, wearables.WorkoutElliptical},
	{"stairmaster", 66, wearables.WorkoutStairStepper},
	{"climber", 83, wearables.WorkoutStairStepper},
	{"stadium-steps", 261, wearables.WorkoutStairClimbing},
	{"jumping-rope", 84, wearables.WorkoutJumpRope},
	{"box-fitness", 103, wearables.WorkoutBoxing},
	{"gymnastics", 51, wearables.WorkoutGymnastics},
	{"parkour", 110, wearables.WorkoutOther},
	// Mind and body.
	{"yoga", 44, wearables.WorkoutYoga},
	{"hot-yoga", 259, wearables.WorkoutYoga},
	{"pilates", 43, wearables.WorkoutPilates},
	{"barre", 107, wearables.WorkoutBarre},
	{"barre3", 258, wearables.WorkoutBarre},
	{"stretching", 128, wearables.WorkoutFlexibility},
	{"meditation", 70, wearables.WorkoutMeditation},
	// Winter.
	{"skiing", 29, wearables.WorkoutAlpineSkiing},
	{"cross-country-skiing", 47, wearables.WorkoutCrossCountrySkiing},
	{"snowboarding", 91, wearables.WorkoutSnowboarding},
	{"ice-skating", 239, wearables.WorkoutIceSkating},
	// Team sports.
	{"soccer", 30, wearables.WorkoutSoccer},
	{"football", 21, wearables.WorkoutAmericanFootball},
	{"australian-football", 85, wearables.WorkoutAustralianFootball},
	{"gaelic-football", 111, wearables.WorkoutOther},
	{"rugby", 27, wearables.WorkoutRugby},
	{"basketball", 17, wearables.WorkoutBasketball},
	{"volleyball", 36, wearables.WorkoutVolleyball},
	{"baseball", 16, wearables.WorkoutBaseball},
	{"softball", 31, wearables.WorkoutSoftball},
	{"cricket", 100, wearables.WorkoutCricket},
	{"lacrosse", 25, wearables.WorkoutLacrosse},
	{"handball", 240, wearables.WorkoutHandball},
	{"netball", 232, wearables.WorkoutNetball},
	{"ultimate", 82, wearables.WorkoutUltimateDisc},
	{"ice-hockey", 24, wearables.WorkoutIceHockey},
	{"field-hockey", 20, wearables.WorkoutFieldHockey},
	{"hurling-camogie", 112, wearables.WorkoutOther},
	{"spikeball", 104, wearables.WorkoutOther},
	{"paintball", 238, wearables.WorkoutOther},
	// Racket sports.
	{"tennis", 34, wearables.WorkoutTennis},
	{"squash", 32, wearables.WorkoutSquash},
	{"badminton", 231, wearables.WorkoutBadminton},
	{"table-tennis", 230, wearables.WorkoutTableTennis},
	{"padel", 249, wearables.WorkoutPadel},
	{"paddle-tennis", 106, wearables.WorkoutPadel},
	{"pickleball", 101, wearables.WorkoutPickleball},
	// Combat sports.
	{"boxing", 39, wearables.WorkoutBoxing},
	{"kickboxing", 127, wearables.WorkoutKickboxing},
	{"martial-arts", 56, wearables.WorkoutMartialArts},
	{"jiu-jitsu", 98, wearables.WorkoutMartialArts},
	{"wrestling", 38, wearables.WorkoutWrestling},
	{"fencing", 19, wearables.WorkoutFencing},
	// Outdoor and other sports.
	{"rock-climbing", 60, wearables.WorkoutClimbing},
	{"golf", 22, wearables.WorkoutGolf},
	{"disc-golf", 234, wearables.WorkoutDiscGolf},
	{"horseback-riding", 53, wearables.WorkoutHorsebackRiding},
	{"polo", 262, wearables.WorkoutHorsebackRiding},
	{"inline-skating", 102, wearables.WorkoutInlineSkating},
	{"skateboarding", 86, wearables.WorkoutSkateboarding},
	{"triathlon", 62, wearables.WorkoutTriathlon},
	{"duathlon", 49, wearables.WorkoutDuathlon},
	{"motocross", 92, wearables.WorkoutMotocross},
	{"motor-racing", 95, wearables.WorkoutOther},
	{"dance", 42, wearables.WorkoutDance},
	{"circus-arts", 113, wearables.WorkoutOther},
	{"stage-performance", 108, wearables.WorkoutOther},
	// Recovery.
	{"sauna", 233, wearables.WorkoutSauna},
	{"ice-bath", 88, wearables.WorkoutIceBath},
	{"massage-therapy", 121, wearables.WorkoutRecovery},
	{"air-compression", 236, wearables.WorkoutRecovery},
	{"percussive-massage", 237, wearables.WorkoutRecovery},
	// Work and daily life: strain WHOOP tracks, not exercise.
	{"operations-tactical", 74, wearables.WorkoutOther},
	{"operations-medical", 75, wearables.WorkoutOther},
	{"operations-flying", 76, wearables.WorkoutOther},
	{"operations-water", 77, wearables.WorkoutOther},
	{"manual-labor", 99, wearables.WorkoutOther},
	{"high-stress-work", 109, wearables.WorkoutOther},
	{"coaching", 87, wearables.WorkoutOther},
	{"commuting", 89, wearables.WorkoutOther},
	{"gaming", 90, wearables.WorkoutOther},
	{"watching-sports", 125, wearables.WorkoutOther},
	{"yard-work", 235, wearables.WorkoutOther},
	{"cooking", 269, wearables.WorkoutOther},
	{"cleaning", 270, wearables.WorkoutOther},
	{"public-speaking", 272, wearables.WorkoutOther},
	{"musical-performance", 263, wearables.WorkoutOther},
	{"dedicated-parenting", 251, wearables.WorkoutOther},
}

// sportAliases are other spellings of slugs, for the display names whose
// "&" or "/" WHOOP might spell out.
var sportAliases = map[string]string{
	"track-and-field":     "track-field",
	"hurling-and-camogie": "hurling-camogie",
	"hiking":              "hiking-rucking",
	"rucking":             "hiking-rucking",
	"barry-s":             "barrys",
}

// Indexes of sports, built once and never changed.
var (
	sportByName = func() map[string]wearables.WorkoutType {
		m := make(map[string]wearables.WorkoutType, len(sports)+len(sportAliases))
		for _, s := range sports {
			m[s.name] = s.typ
		}
		for alias, name := range sportAliases {
			m[alias] = m[name]
		}
		return m
	}()
	sportByID = func() map[int64]wearables.WorkoutType {
		m := make(map[int64]wearables.WorkoutType, len(sports))
		for _, s := range sports {
			m[s.id] = s.typ
		}
		return m
	}()
)

// sportType maps a workout's sport to a workout type and the raw type kept
// with it. sport_name is matched as a slug, so "hiking-rucking", "Hiking/
// Rucking" and "hiking rucking" are one sport; the v1 sport_id is the
// fallback for a name that is missing or unknown. An unknown sport is
// wearables.WorkoutOther, never an error; its name stays in the raw type.
func sportType(name string, id *int64) (wearables.WorkoutType, string) {
	raw := name
	if t, ok := sportByName[sportSlug(name)]; ok {
		return t, raw
	}
	if id != nil {
		if raw == "" {
			raw = "sport_id:" + strconv.FormatInt(*id, 10)
		}
		if t, ok := sportByID[*id]; ok {
			return t, raw
		}
	}
	return wearables.WorkoutOther, raw
}

// sportSlug turns a sport name into WHOOP's slug form: lower case, letters
// and digits kept, apostrophes dropped, every other run of characters one
// hyphen ("Track & Field" → "track-field", "Barry's" → "barrys").
func sportSlug(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
		default:
			dash = true
		}
	}
	return b.String()
}
