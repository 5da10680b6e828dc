package googlehealth

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wearables-go/wearables"
)

func TestWorkoutType(t *testing.T) {
	for _, c := range []struct {
		exerciseType, displayName string
		want                      wearables.WorkoutType
	}{
		{"RUNNING", "Run", wearables.WorkoutRunning},
		{"RUNNING", "Treadmill", wearables.WorkoutTreadmillRunning},
		{"RUNNING", "Tennis", wearables.WorkoutRunning}, // another category: the type wins
		{"BIKING", "Spinning", wearables.WorkoutIndoorCycling},
		{"SWIMMING", "", wearables.WorkoutSwimming},
		{"HIKING", "Hike", wearables.WorkoutHiking},
		{"YOGA", "", wearables.WorkoutYoga},
		{"PILATES", "", wearables.WorkoutPilates},
		{"HIIT", "", wearables.WorkoutHIIT},
		{"WEIGHTLIFTING", "Weights", wearables.WorkoutStrengthTraining},
		{"STRENGTH_TRAINING", "", wearables.WorkoutStrengthTraining},
		{"WORKOUT", "", wearables.WorkoutFitness},
		{"WORKOUT", "Elliptical", wearables.WorkoutElliptical},
		{"OTHER", "Tennis", wearables.WorkoutTennis},
		{"OTHER", "tennis ", wearables.WorkoutTennis},
		{"OTHER", "Underwater basket weaving", wearables.WorkoutOther},
		{"EXERCISE_TYPE_UNSPECIFIED", "", wearables.WorkoutOther},
		{"", "Golf", wearables.WorkoutGolf},
		{"ROWING", "Rowing machine", wearables.WorkoutIndoorRowing}, // an enum value Google may add
		{"PARAGLIDING", "", wearables.WorkoutOther},
	} {
		assert.Equal(t, c.want, workoutType(c.exerciseType, c.displayName), "%s %q", c.exerciseType, c.displayName)
	}
	for typ, wt := range exerciseTypes {
		assert.True(t, wt.Valid(), typ)
	}
	for name, wt := range displayNames {
		assert.True(t, wt.Valid(), name)
	}
}

func TestParseOffset(t *testing.T) {
	for _, c := range []struct {
		in   string
		want wearables.Offset
		bad  bool
	}{
		{"", wearables.NoOffset, false},
		{"0s", 0, false},
		{"-18000s", -18000, false},
		{"20700s", 20700, false},
		{"34200.000s", 34200, false},
		{"3600.5s", 0, true},
		{"64801s", 0, true},
		{"-18000", 0, true},
		{"s", 0, true},
		{"1h", 0, true},
		{"NaNs", 0, true},
	} {
		got, err := parseOffset(c.in)
		if c.bad {
			assert.Error(t, err, c.in)
			continue
		}
		assert.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
	}
}

func TestParseDuration(t *testing.T) {
	d, err := parseDuration("0.248s")
	assert.NoError(t, err)
	assert.Equal(t, 248*time.Millisecond, d)
	_, err = parseDuration("1e300s")
	assert.Error(t, err)
}

func TestSourceOf(t *testing.T) {
	assert.Equal(t, wearables.Source{Provider: wearables.ProviderGoogleHealth}, sourceOf(nil))
	assert.Equal(t, wearables.Source{Provider: wearables.ProviderGoogleHealth, DeviceType: wearables.DeviceApp},
		sourceOf(&rawDataSource{RecordingMethod: "DERIVED"}))
	assert.Equal(t, wearables.Source{Provider: wearables.ProviderGoogleHealth, DeviceModel: "Nest Hub", DeviceType: wearables.DeviceUnknown},
		sourceOf(&rawDataSource{Device: &rawDevice{DisplayName: "Nest Hub", FormFactor: "SMART_DISPLAY"}}))
	assert.Equal(t, wearables.Source{Provider: wearables.ProviderGoogleHealth, DeviceModel: "Polar H10", DeviceType: wearables.DeviceStrap, App: "com.polar.beat"},
		sourceOf(&rawDataSource{Device: &rawDevice{DisplayName: "Polar H10", FormFactor: "CHEST_STRAP"}, Application: &rawApplication{PackageName: "com.polar.beat"}}))
}

func TestFlexInt(t *testing.T) {
	var n flexInt
	for _, c := range []struct {
		in   string
		want flexInt
	}{{`"1234"`, 1234}, {`1234`, 1234}, {`"-5"`, -5}, {`null`, -5}} { // null leaves the value
		assert.NoError(t, n.UnmarshalJSON([]byte(c.in)), c.in)
		assert.Equal(t, c.want, n, c.in)
	}
	for _, in := range []string{`"12.5"`, `12.5`, `""`, `"x"`, `true`, `"9223372036854775808"`} {
		assert.Error(t, n.UnmarshalJSON([]byte(in)), in)
	}
}
