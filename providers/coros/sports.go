package coros

import (
	"strconv"

	"github.com/wearables-go/wearables"
)

// sport is a COROS activity: its mode and sub-mode.
type sport struct{ mode, subMode int64 }

// sports maps COROS's (mode, subMode) pairs to workout types, with the
// name COROS shows. Reconstructed from an open-source COROS partner
// integration (not from COROS's private documentation): unverified.
// Read-only after init.
var sports = map[sport]struct {
	typ  wearables.WorkoutType
	name string
}{
	{8, 1}:  {wearables.WorkoutRunning, "Outdoor Run"},
	{8, 2}:  {wearables.WorkoutIndoorRunning, "Indoor Run"},
	{9, 1}:  {wearables.WorkoutCycling, "Outdoor Bike"},
	{9, 2}:  {wearables.WorkoutIndoorCycling, "Indoor Bike"},
	{10, 1}: {wearables.WorkoutSwimmingOpenWater, "Open Water"},
	{10, 2}: {wearables.WorkoutSwimmingPool, "Pool Swim"},
	{13, 1}: {wearables.WorkoutTriathlon, "Triathlon"},
	{13, 2}: {wearables.WorkoutMultisport, "Multisport"},
	{13, 3}: {wearables.WorkoutBackcountrySkiing, "Ski Touring"},
	{14, 1}: {wearables.WorkoutMountaineering, "Mountain Climb"},
	{15, 1}: {wearables.WorkoutTrailRunning, "Trail Run"},
	{16, 1}: {wearables.WorkoutHiking, "Hike"},
	{18, 1}: {wearables.WorkoutCardio, "GPS Cardio"},
	{18, 2}: {wearables.WorkoutCardio, "Gym Cardio"},
	{19, 1}: {wearables.WorkoutCrossCountrySkiing, "XC Ski"},
	{20, 1}: {wearables.WorkoutTrackRunning, "Track Run"},
	{21, 1}: {wearables.WorkoutAlpineSkiing, "Ski"},
	{21, 2}: {wearables.WorkoutSnowboarding, "Snowboard"},
	{22, 1}: {wearables.WorkoutOther, "Pilot"},
	{23, 2}: {wearables.WorkoutStrengthTraining, "Strength"},
	{24, 1}: {wearables.WorkoutRowing, "Rowing"},
	{24, 2}: {wearables.WorkoutIndoorRowing, "Indoor Rower"},
	{25, 1}: {wearables.WorkoutKayaking, "Whitewater"},
	{26, 1}: {wearables.WorkoutPaddling, "Flatwater"},
	{27, 1}: {wearables.WorkoutWindsurfing, "Windsurfing"},
	{28, 1}: {wearables.WorkoutWindsurfing, "Speedsurfing"},
	{29, 1}: {wearables.WorkoutBackcountrySkiing, "Ski Touring"},
	{31, 1}: {wearables.WorkoutWalking, "Walk"},
	{33, 2}: {wearables.WorkoutClimbing, "Single-Pitch"},
	{34, 2}: {wearables.WorkoutJumpRope, "Jump Rope"},
}

// WorkoutType maps a COROS mode and sub-mode to a workout type; an
// unknown pair is wearables.WorkoutOther.
func WorkoutType(mode, subMode int64) wearables.WorkoutType {
	if s, ok := sports[sport{mode, subMode}]; ok {
		return s.typ
	}
	return wearables.WorkoutOther
}

// rawType is what Workout.RawType keeps: "mode:subMode", followed by
// COROS's name when known ("8:1 Outdoor Run").
func rawType(mode, subMode int64) string {
	s := strconv.FormatInt(mode, 10) + ":" + strconv.FormatInt(subMode, 10)
	if sp, ok := sports[sport{mode, subMode}]; ok {
		s += " " + sp.name
	}
	return s
}
