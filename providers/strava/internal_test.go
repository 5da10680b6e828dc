package strava

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func TestSportOf(t *testing.T) {
	for _, c := range []struct {
		name              string
		sportType, legacy string
		trainer           bool
		want              wearables.WorkoutType
		wantRaw           string
		wantFam           family
	}{
		{"sport_type wins", "MountainBikeRide", "Ride", false, wearables.WorkoutMountainBiking, "MountainBikeRide", famRide},
		{"trainer ride is indoor", "Ride", "Ride", true, wearables.WorkoutIndoorCycling, "Ride", famRide},
		{"treadmill run", "Run", "Run", true, wearables.WorkoutTreadmillRunning, "Run", famRun},
		{"trainer has no indoor variant", "TrailRun", "Run", true, wearables.WorkoutTrailRunning, "TrailRun", famRun},
		{"legacy type only", "", "NordicSki", false, wearables.WorkoutCrossCountrySkiing, "NordicSki", famOther},
		{"legacy Workout only", "", "Workout", false, wearables.WorkoutFitness, "Workout", famOther},
		{"unknown sport_type, specific legacy type", "CargoBikeRide", "Ride", false, wearables.WorkoutCycling, "CargoBikeRide", famRide},
		{"unknown sport_type, generic legacy type", "Sledding", "Workout", false, wearables.WorkoutOther, "Sledding", famOther},
		{"unknown both", "Sledding", "Sledge", false, wearables.WorkoutOther, "Sledding", famOther},
		{"nothing", "", "", false, wearables.WorkoutOther, "", famOther},
		{"case matters", "ride", "", false, wearables.WorkoutOther, "ride", famOther},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, raw := sportOf(c.sportType, c.legacy, c.trainer)
			assert.Equal(t, c.want, s.typ)
			assert.Equal(t, c.wantRaw, raw)
			assert.Equal(t, c.wantFam, s.fam)
		})
	}
}

func TestSportsAreInTheCatalog(t *testing.T) {
	for name, s := range sports {
		assert.True(t, s.typ.Valid(), "%s maps to unknown type %d", name, s.typ)
		assert.NotEqual(t, wearables.WorkoutOther, s.typ, "%s is known: it should not map to other", name)
		if s.indoor != 0 {
			assert.True(t, s.indoor.Valid(), "%s: unknown indoor type", name)
		}
	}
	// The legacy ActivityType enum is covered in full.
	for _, legacy := range []string{"AlpineSki", "BackcountrySki", "Canoeing", "Crossfit", "EBikeRide", "Elliptical", "Golf",
		"Handcycle", "Hike", "IceSkate", "InlineSkate", "Kayaking", "Kitesurf", "NordicSki", "Ride", "RockClimbing",
		"RollerSki", "Rowing", "Run", "Sail", "Skateboard", "Snowboard", "Snowshoe", "Soccer", "StairStepper",
		"StandUpPaddling", "Surfing", "Swim", "Velomobile", "VirtualRide", "VirtualRun", "Walk", "WeightTraining",
		"Wheelchair", "Windsurf", "Workout", "Yoga"} {
		_, ok := sports[legacy]
		assert.True(t, ok, "legacy type %s is not mapped", legacy)
	}
}

func f64(v float64) *float64 { return &v }

func TestActivityStart(t *testing.T) {
	for _, c := range []struct {
		name      string
		a         rawActivity
		want      string // RFC 3339 in UTC
		wantOff   wearables.Offset
		wantField string // non-empty: an error naming this field
	}{
		{"start_date and float offset", rawActivity{StartDate: "2024-03-29T09:12:31Z", StartDateLocal: "2024-03-29T10:12:31Z", UTCOffset: f64(3600)}, "2024-03-29T09:12:31Z", 3600, ""},
		{"odd offset", rawActivity{StartDate: "2024-03-30T00:35:48Z", UTCOffset: f64(20700)}, "2024-03-30T00:35:48Z", 20700, ""},
		{"milliseconds in start_date", rawActivity{StartDate: "2018-05-02T12:15:09.000Z", UTCOffset: f64(-25200)}, "2018-05-02T12:15:09Z", -25200, ""},
		{"offset derived from the local time", rawActivity{StartDate: "2024-03-30T00:35:48Z", StartDateLocal: "2024-03-30T06:20:48Z"}, "2024-03-30T00:35:48Z", 20700, ""},
		{"no offset at all", rawActivity{StartDate: "2024-03-30T00:35:48Z"}, "2024-03-30T00:35:48Z", wearables.NoOffset, ""},
		{"local time only", rawActivity{StartDateLocal: "2018-02-16T06:52:54Z", UTCOffset: f64(-28800)}, "2018-02-16T14:52:54Z", -28800, ""},
		{"fractional offset", rawActivity{StartDate: "2024-03-30T00:35:48Z", UTCOffset: f64(3600.5)}, "", 0, "utc_offset"},
		{"offset beyond 18 h", rawActivity{StartDate: "2024-03-30T00:35:48Z", UTCOffset: f64(90000)}, "", 0, "utc_offset"},
		{"local time without offset", rawActivity{StartDateLocal: "2018-02-16T06:52:54Z"}, "", 0, "start_date"},
		{"garbage", rawActivity{StartDate: "yesterday", UTCOffset: f64(0)}, "", 0, "start_date"},
		{"local garbage", rawActivity{StartDate: "2024-03-30T00:35:48Z", StartDateLocal: "soon"}, "", 0, "start_date_local"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, field, err := activityStart(&c.a)
			if c.wantField != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, wearables.ErrInvalid)
				assert.Equal(t, c.wantField, field)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, in.Time.Format(time.RFC3339))
			assert.Equal(t, time.UTC, in.Time.Location())
			assert.Equal(t, c.wantOff, in.Offset)
		})
	}
}

func TestEnergy(t *testing.T) {
	for _, c := range []struct {
		name string
		a    rawActivity
		want *float64
	}{
		{"calories", rawActivity{Calories: f64(870.2), Kilojoules: f64(800), DeviceWatts: true}, f64(870.2)},
		{"zero calories means none, measured work instead", rawActivity{Calories: f64(0), Kilojoules: f64(800), DeviceWatts: true}, f64(800)},
		{"summary: measured work", rawActivity{Kilojoules: f64(1012.1), DeviceWatts: true}, f64(1012.1)},
		{"estimated work is not used", rawActivity{Kilojoules: f64(1012.1)}, nil},
		{"nothing", rawActivity{Calories: f64(0)}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, energy(&c.a))
		})
	}
}

func TestNormalizeActivityZerosAndCadence(t *testing.T) {
	a := rawActivity{
		ID: "1", SportType: "Hike", StartDate: "2024-05-01T08:00:00Z", UTCOffset: f64(7200),
		ElapsedTime: f64(3600), MovingTime: f64(3500), Distance: f64(0), TotalElevationGain: f64(0),
		AverageSpeed: f64(0), AverageCadence: f64(50), AverageWatts: f64(120), HasHeartrate: false, AverageHeartrate: f64(120),
	}
	w, rej := normalizeActivity(&a)
	require.Nil(t, rej)
	assert.Nil(t, w.Distance, "0 m is not recorded")
	assert.Nil(t, w.ElevationGain, "0 m gain without altitude is not recorded")
	assert.Nil(t, w.AvgSpeed)
	assert.Nil(t, w.AvgPower, "estimated power is dropped")
	assert.Nil(t, w.AvgHR, "has_heartrate false")
	assert.Equal(t, f64(100), w.AvgCadence, "strides doubled into steps")
	assert.Equal(t, 3500*time.Second, w.MovingTime)

	a.ElevHigh = f64(400)
	w, _ = normalizeActivity(&a)
	assert.Equal(t, f64(0), w.ElevationGain, "a flat course with altitude gains 0 m")

	a.SportType = "Ride"
	w, _ = normalizeActivity(&a)
	assert.Equal(t, f64(50), w.AvgCadence, "rides keep rpm")
}

func TestNormalizeActivityRejects(t *testing.T) {
	for _, c := range []struct {
		name  string
		a     rawActivity
		field string
	}{
		{"no id", rawActivity{StartDate: "2024-05-01T08:00:00Z", ElapsedTime: f64(1)}, "id"},
		{"no start", rawActivity{ID: "7", ElapsedTime: f64(1)}, "start_date"},
		{"no elapsed time", rawActivity{ID: "7", StartDate: "2024-05-01T08:00:00Z"}, "elapsed_time"},
		{"huge elapsed time", rawActivity{ID: "7", StartDate: "2024-05-01T08:00:00Z", ElapsedTime: f64(1e300)}, "elapsed_time"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, rej := normalizeActivity(&c.a)
			require.NotNil(t, rej)
			assert.Equal(t, wearables.KindWorkout, rej.Kind)
			assert.Equal(t, c.field, rej.Field)
			assert.NotEmpty(t, rej.Reason)
		})
	}
}

func TestStreamSeriesBySport(t *testing.T) {
	for _, c := range []struct {
		sportType      string
		power, cadence wearables.SeriesType
		speed, temp    wearables.SeriesType
		double         bool
	}{
		{"Ride", wearables.SeriesCyclingPower, wearables.SeriesCyclingCadence, wearables.SeriesCyclingSpeed, wearables.SeriesAirTemperature, false},
		{"TrailRun", wearables.SeriesRunningPower, wearables.SeriesStepCadence, wearables.SeriesRunningSpeed, wearables.SeriesAirTemperature, true},
		{"Walk", wearables.SeriesPower, wearables.SeriesStepCadence, wearables.SeriesSpeed, wearables.SeriesAirTemperature, true},
		{"Rowing", wearables.SeriesPower, wearables.SeriesRowingStrokeRate, wearables.SeriesSpeed, wearables.SeriesAirTemperature, false},
		{"Swim", wearables.SeriesPower, 0, wearables.SeriesSpeed, wearables.SeriesWaterTemperature, false},
		{"AlpineSki", wearables.SeriesPower, 0, wearables.SeriesSpeed, wearables.SeriesAirTemperature, false},
	} {
		t.Run(c.sportType, func(t *testing.T) {
			sp, _ := sportOf(c.sportType, "", false)
			s := seriesFor(sp)
			assert.Equal(t, streamSeries{power: c.power, cadence: c.cadence, speed: c.speed, temp: c.temp, doubleCadence: c.double}, s)
		})
	}
}

func TestStreamSetShapes(t *testing.T) {
	object := `{"time":{"data":[0,1,2],"series_type":"distance","original_size":3,"resolution":"high"},
		"watts":{"data":[null,150,160],"series_type":"distance","original_size":3,"resolution":"high"},
		"latlng":{"data":[[52.5,13.4],null,[52.6,13.5]],"series_type":"distance","original_size":3,"resolution":"high"},
		"distance":{"data":[0,4.1,8.3],"series_type":"distance","original_size":3,"resolution":"high"}}`
	array := `[{"type":"time","data":[0,1,2],"series_type":"distance","original_size":3,"resolution":"high"},
		{"type":"distance","data":[0,4.1,8.3],"series_type":"distance","original_size":3,"resolution":"high"},
		{"type":"watts","data":[null,150,160],"series_type":"distance","original_size":3,"resolution":"high"},
		{"type":"latlng","data":[[52.5,13.4],null,[52.6,13.5]],"series_type":"distance","original_size":3,"resolution":"high"}]`
	var a, b rawStreamSet
	require.NoError(t, json.Unmarshal([]byte(object), &a))
	require.NoError(t, json.Unmarshal([]byte(array), &b))
	a.Time.SeriesType, a.Time.OriginalSize, a.Time.Resolution = "", 0, ""
	a.Watts.SeriesType, a.Watts.OriginalSize, a.Watts.Resolution = "", 0, ""
	a.LatLng.SeriesType, a.LatLng.OriginalSize, a.LatLng.Resolution = "", 0, ""
	assert.Equal(t, floats{0, 1, 2}, a.Time.Data)
	assert.True(t, math.IsNaN(a.Watts.Data[0]), "null watts decode to NaN, not 0 W")
	assert.Equal(t, 150.0, a.Watts.Data[1])
	assert.True(t, math.IsNaN(a.LatLng.Data[1][0]))
	// NaN != NaN: compare the rest field by field.
	assert.Equal(t, a.Time, b.Time)
	assert.Equal(t, a.Watts.Data[1:], b.Watts.Data[1:])
	assert.Equal(t, a.LatLng.Data[2], b.LatLng.Data[2])

	act := rawActivity{ID: "9", SportType: "Ride", StartDate: "2024-05-01T08:00:00Z", UTCOffset: f64(7200)}
	samples, rej := normalizeStreams(&act, &a, nil)
	require.Nil(t, rej)
	var types []wearables.SeriesType
	for _, s := range samples {
		types = append(types, s.Type)
		assert.Equal(t, wearables.Offset(7200), s.Offset)
	}
	assert.Equal(t, []wearables.SeriesType{
		wearables.SeriesLatitude, wearables.SeriesLongitude, // t=0: no power (null)
		wearables.SeriesCyclingPower, // t=1: no position (null)
		wearables.SeriesCyclingPower, wearables.SeriesLatitude, wearables.SeriesLongitude,
	}, types)
}

func TestFloatsRefuseNonNumbers(t *testing.T) {
	for _, body := range []string{`["1"]`, `[{"a":1}]`, `[[1]]`, `{"a":1}`, `"x"`, `true`, `[1e999]`} {
		var f floats
		assert.Error(t, json.Unmarshal([]byte(body), &f), body)
	}
	for _, body := range []string{`[[1]]`, `[[1,2,3]]`, `[["a","b"]]`, `[1]`, `[[[1,2],3]]`} {
		var l latLngs
		assert.Error(t, json.Unmarshal([]byte(body), &l), body)
	}
	var f floats
	require.NoError(t, json.Unmarshal([]byte(` [ 1 , -2.5e1 ,null ] `), &f))
	assert.Equal(t, 3, len(f))
	assert.Equal(t, -25.0, f[1])
}

func TestStravaID(t *testing.T) {
	for _, c := range []struct {
		in   string
		want stravaID
		ok   bool
	}{
		{`11029583461`, "11029583461", true},
		{`"11801234567"`, "11801234567", true},
		{`null`, "", true},
		{`0`, "0", true},
		{`1.5`, "", false},
		{`-3`, "", false},
		{`1e10`, "", false},
		{`"abc"`, "", false},
		{`01`, "", false},
		{`12345678901234567890`, "", false},
		{`true`, "", false},
	} {
		t.Run(c.in, func(t *testing.T) {
			var id stravaID
			err := json.Unmarshal([]byte(c.in), &id)
			if !c.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.want, id)
		})
	}
}

func TestRateLimitReset(t *testing.T) {
	now := time.Date(2024, 4, 6, 17, 31, 12, 0, time.UTC)
	quarter := time.Date(2024, 4, 6, 17, 45, 0, 0, time.UTC)
	midnight := time.Date(2024, 4, 7, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		header map[string]string
		now    time.Time
		want   time.Time
	}{
		{"15-minute limit used up", map[string]string{"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "201,1432"}, now, quarter},
		{"documented example", map[string]string{"X-Ratelimit-Limit": "600,30000", "X-Ratelimit-Usage": "692,29300"}, now, quarter},
		{"daily limit used up", map[string]string{"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "14,2003"}, now, midnight},
		{"daily read limit used up", map[string]string{
			"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "101,1000",
			"X-ReadRateLimit-Limit": "100,1000", "X-ReadRateLimit-Usage": "101,1000"}, now, midnight},
		{"no headers", nil, now, quarter},
		{"garbage", map[string]string{"X-RateLimit-Limit": "lots", "X-RateLimit-Usage": "-1,x"}, now, quarter},
		{"on the boundary", nil, time.Date(2024, 4, 6, 17, 45, 0, 0, time.UTC), time.Date(2024, 4, 6, 18, 0, 0, 0, time.UTC)},
		{"in another zone", nil, now.In(time.FixedZone("+05:45", 20700)), quarter},
		{"last window of the day", nil, time.Date(2024, 4, 6, 23, 59, 59, 0, time.UTC), midnight},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range c.header {
				h.Set(k, v)
			}
			got := rateLimitReset(h, c.now)
			assert.True(t, c.want.Equal(got), "got %s, want %s", got, c.want)
		})
	}
}

func TestDedupeKeyIgnoresUpdateOrder(t *testing.T) {
	var a, b rawEvent
	require.NoError(t, json.Unmarshal([]byte(`{"object_type":"activity","object_id":1,"aspect_type":"update","owner_id":2,"subscription_id":3,"event_time":4,"updates":{"title":"x","type":"Ride"}}`), &a))
	require.NoError(t, json.Unmarshal([]byte(`{"updates":{"type":"Ride","title":"x"},"event_time":4,"subscription_id":3,"owner_id":2,"aspect_type":"update","object_id":1,"object_type":"activity"}`), &b))
	assert.Equal(t, dedupeKey(&a, wearables.DataWorkouts), dedupeKey(&b, wearables.DataWorkouts))
	b.Updates["title"] = "y"
	assert.NotEqual(t, dedupeKey(&a, wearables.DataWorkouts), dedupeKey(&b, wearables.DataWorkouts))
	assert.NotEqual(t, dedupeKey(&a, wearables.DataWorkouts), dedupeKey(&a, DataStreams))
}

func TestAthleteID(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"float", map[string]any{"id": float64(134815)}, "134815"},
		{"json.Number", map[string]any{"id": json.Number("134815")}, "134815"},
		{"string", map[string]any{"id": "134815"}, "134815"},
		{"fraction", map[string]any{"id": 1.5}, ""},
		{"zero", map[string]any{"id": float64(0)}, ""},
		{"no id", map[string]any{"username": "x"}, ""},
		{"not an object", "134815", ""},
		{"nil", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := athleteID(c.v)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.want != "", ok)
		})
	}
}

func TestErrorsAreTyped(t *testing.T) {
	assert.True(t, errors.Is(ErrChallengeToken, wearables.ErrUnauthorized))
	assert.True(t, errors.Is(ErrChallengeMalformed, wearables.ErrInvalid))
}
