package applehealth

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wearables-go/wearables"
)

func TestTypeMaps(t *testing.T) {
	for id, st := range HKQuantityTypes() {
		assert.True(t, st.Valid(), id)
	}
	wts := HKWorkoutActivityTypes()
	// Every HKWorkoutActivityType HealthKit has declared, deprecated ones included.
	assert.Len(t, wts, 84)
	for id, wt := range wts {
		assert.True(t, wt.Valid(), id)
	}
	for _, tc := range []struct {
		raw          string
		indoor       bool
		swim         int
		want         wearables.WorkoutType
		wantKnownRaw bool
	}{
		{"HKWorkoutActivityTypeRunning", false, 0, wearables.WorkoutRunning, true},
		{"HKWorkoutActivityTypeRunning", true, 0, wearables.WorkoutIndoorRunning, true},
		{"HKWorkoutActivityTypeSwimming", false, 2, wearables.WorkoutSwimmingOpenWater, true},
		{"HKWorkoutActivityTypeSwimBikeRun", false, 0, wearables.WorkoutTriathlon, true},
		{"HKWorkoutActivityTypeStairClimbing", false, 0, wearables.WorkoutStairStepper, true},
		{"HKWorkoutActivityTypeStairs", false, 0, wearables.WorkoutStairClimbing, true},
		{"Running", false, 0, wearables.WorkoutOther, false},
		{"HKWorkoutActivityTypeQuidditch", false, 0, wearables.WorkoutOther, false},
	} {
		got, known := workoutType(tc.raw, tc.indoor, tc.swim)
		assert.Equal(t, tc.want, got, tc.raw)
		assert.Equal(t, tc.wantKnownRaw, known, tc.raw)
	}
	for _, st := range healthConnectTypes {
		assert.True(t, st.Valid())
	}
	for _, wt := range healthConnectExercises {
		assert.True(t, wt.Valid())
	}
}
