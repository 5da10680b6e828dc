package withings

import (
	"encoding/json"
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func TestLeadingStatus(t *testing.T) {
	for _, c := range []struct {
		in     string
		status int
		ok     bool
	}{
		{`{"status":0,"body":{}}`, 0, true},
		{`{"status":401,"body":{},"error":"x"}`, 401, true},
		{" \n{ \"status\" : 601 }", 601, true},
		{`{"status":2554}`, 2554, true},
		{`{"body":{},"status":401}`, 0, false}, // status not first: left to the decoder
		{`{"status":"401"}`, 0, false},
		{`{"status":40`, 0, false}, // cut inside the number
		{`[]`, 0, false},
		{``, 0, false},
		{`{"status":4011111111111}`, 0, false},
	} {
		status, ok := leadingStatus([]byte(c.in))
		assert.Equal(t, c.ok, ok, c.in)
		assert.Equal(t, c.status, status, c.in)
	}
}

func TestClassify(t *testing.T) {
	for status, want := range map[int]statusClass{
		0: classOK, 100: classAuthFailed, 102: classAuthFailed, 200: classAuthFailed, 401: classAuthFailed,
		201: classInvalidParams, 247: classInvalidParams, 293: classInvalidParams, 503: classInvalidParams, 3018: classInvalidParams,
		214: classUnauthorized, 2553: classUnauthorized, 2554: classNotImplemented, 522: classTimeout, 601: classRateLimited,
		215: classError, 524: classError, 2555: classUnauthorized, 5000: classError, 9999: classError,
	} {
		assert.Equal(t, want, classify(status), "status %d", status)
	}
}

func TestFlexTypes(t *testing.T) {
	var v struct {
		ID   flexID            `json:"id"`
		More flexBool          `json:"more"`
		M    phpMap[*float64]  `json:"m"`
		E    phpMap[*float64]  `json:"e"`
		Null flexID            `json:"null"`
		Esc  flexID            `json:"esc"`
		Objs phpMap[flexID]    `json:"objs"`
		Skip map[string]string `json:"skip"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"id":3384019251,"more":1,"m":{"1711785600":61,"1711785660":null},"e":[],
		"null":null,"esc":"a\u0062c","objs":{"a":"1","b":2}}`), &v))
	assert.Equal(t, flexID("3384019251"), v.ID)
	assert.True(t, bool(v.More))
	assert.Len(t, v.M, 2)
	assert.Empty(t, v.E)
	assert.Equal(t, flexID(""), v.Null)
	assert.Equal(t, flexID("abc"), v.Esc)
	assert.Equal(t, phpMap[flexID]{"a": "1", "b": "2"}, v.Objs)

	for in, want := range map[string]bool{`true`: true, `false`: false, `0`: false, `1`: true, `"1"`: true, `null`: false, `2`: true} {
		var f flexBool
		require.NoError(t, json.Unmarshal([]byte(in), &f), in)
		assert.Equal(t, want, bool(f), in)
	}
	var f flexBool
	assert.Error(t, json.Unmarshal([]byte(`"maybe"`), &f))
	var id flexID
	assert.Error(t, json.Unmarshal([]byte(`{}`), &id))
	var m phpMap[int]
	assert.Error(t, json.Unmarshal([]byte(`[1]`), &m), "a non-empty array is not a series")
}

// TestWorkoutCategories checks the map against the category table of the
// OpenAPI document's workout_object: every category has a type in the
// catalog.
func TestWorkoutCategories(t *testing.T) {
	spec, err := os.ReadFile("../../../shared/reference/vendor-openapi/withings-openapi.yml")
	if err != nil {
		t.Skip("the vendor OpenAPI document is not beside the module")
	}
	start := regexp.MustCompile(`(?s)workout_object:.*?Category of workout:(.*?)example:`).FindSubmatch(spec)
	require.NotNil(t, start)
	codes := regexp.MustCompile(`\|\s*(\d+)\s*\|`).FindAllSubmatch(start[1], -1)
	require.Greater(t, len(codes), 100)
	for _, c := range codes {
		n, _ := strconv.Atoi(string(c[1]))
		typ, ok := sports[n]
		assert.True(t, ok, "category %d has no mapping", n)
		assert.True(t, typ.Valid(), "category %d maps to unknown type %d", n, typ)
	}
	assert.Len(t, sports, len(codes), "the map lists exactly the documented categories")
	assert.Equal(t, wearables.WorkoutOther, WorkoutType(9999))
}

func TestSeriesConverters(t *testing.T) {
	for typ, s := range measureTypes {
		assert.NoError(t, s.err, "measure type %d", typ)
		assert.Contains(t, ","+measTypeList+",", ","+strconv.Itoa(typ)+",", "measure type %d is requested", typ)
	}
	for _, s := range []series{seriesSteps, seriesDistance, seriesFloors, seriesLowTime, seriesModerateTime, seriesVigorousTime,
		seriesActiveTime, seriesActiveEnergy, seriesTotalEnergy, seriesHeartRate, seriesMinHeartRate, seriesMaxHeartRate,
		seriesStrokes, seriesLaps, seriesSpO2, seriesRMSSD, seriesSDNN, seriesRespiration, seriesBodyTemp,
		seriesApneaHypopnea, seriesSnoring} {
		assert.NoError(t, s.err, s.typ.Code())
	}
}

func TestMeasureValues(t *testing.T) {
	page := measurePage{Timezone: "Asia/Kathmandu", MeasureGrps: []rawMeasureGroup{{
		GrpID: "1", Date: 1711785600, ModelID: 6,
		Measures: []rawMeasure{
			{Value: 72345, Type: 1, Unit: -3}, // 72.345 kg
			{Value: 178, Type: 4, Unit: -2},   // 1.78 m
			{Value: 97, Type: 54, Unit: 0},    // 97 %
			{Value: 1, Type: 130, Unit: 0},    // AFib classification: not synced
			{Value: 1, Type: 1, Unit: 400},    // garbage exponent: rejected
		},
	}}}
	res := normalizeMeasures(&page, &zones{})
	require.Len(t, res.Records.Samples, 3)
	assert.Equal(t, 72.345, res.Records.Samples[0].Value)
	assert.Equal(t, 1.78, res.Records.Samples[1].Value)
	assert.Equal(t, wearables.Offset(5*3600+45*60), res.Records.Samples[0].Offset, "+05:45")
	require.Len(t, res.Rejected, 1)
	assert.Equal(t, "unit", res.Rejected[0].Field)

	page.Timezone = "Mars/Olympus_Mons"
	res = normalizeMeasures(&page, &zones{})
	assert.Equal(t, wearables.NoOffset, res.Records.Samples[0].Offset, "an unknown zone gives no offset, not UTC")
}

func TestZones(t *testing.T) {
	z := &zones{}
	assert.Nil(t, z.load(""))
	assert.Nil(t, z.load("Local"), "never this machine's zone")
	assert.Nil(t, z.load("Europe/Nowhere"))
	berlin := z.load("Europe/Berlin")
	require.NotNil(t, berlin)
	assert.Same(t, berlin, z.load("Europe/Berlin"), "cached")
	// The DST change: the offset is the zone's at each instant.
	assert.Equal(t, wearables.Offset(3600), at(1711846799, berlin).Offset)
	assert.Equal(t, wearables.Offset(7200), at(1711846800, berlin).Offset)
	assert.Equal(t, wearables.NoOffset, at(1711846800, nil).Offset)
}

func TestIntradayKeys(t *testing.T) {
	hr := 60.0
	page := intradayPage{Series: phpMap[rawIntraday]{
		"1711785660": {HeartRate: &hr},
		"1711785600": {HeartRate: &hr},
		"soon":       {HeartRate: &hr},
		"1711785720": {},
	}}
	res := normalizeIntraday(&page, window{})
	require.Len(t, res.Records.Samples, 2)
	assert.True(t, res.Records.Samples[0].Start.Before(res.Records.Samples[1].Start), "time order")
	require.Len(t, res.Rejected, 1)
	assert.Contains(t, res.Rejected[0].Reason, `"soon"`)
}

func TestSleepStagesSkipUnknownStates(t *testing.T) {
	page := sleepSeriesPage{Series: []rawSleepState{
		{StartDate: 100, EndDate: 200, State: 1},
		{StartDate: 200, EndDate: 300, State: 9}, // not a Withings state this package knows
		{StartDate: 300, EndDate: 500, State: 2},
		{StartDate: 500, EndDate: 900, State: 0}, // clipped to the session's end
	}}
	st := sleepStages(&page, 150, 600)
	require.Len(t, st, 3)
	assert.Equal(t, time.Unix(150, 0).UTC(), st[0].Start)
	assert.Equal(t, wearables.StageDeep, st[1].Stage)
	assert.Equal(t, time.Unix(600, 0).UTC(), st[2].End)
}

func TestPageTokens(t *testing.T) {
	assert.Equal(t, "", nextToken(true, 0))
	assert.Equal(t, "", nextToken(false, 40))
	assert.Equal(t, "40", nextToken(true, 40))
	for _, bad := range []string{"+1", "-1", "x", "1.5", strconv.FormatUint(math.MaxUint64, 10)} {
		_, err := parseCount(bad)
		assert.Error(t, err, bad)
	}
}

func TestVersion(t *testing.T) {
	assert.Equal(t, int64(1711785600000), version(1711785600))
	assert.Zero(t, version(0))
	assert.Zero(t, version(-5))
	assert.Zero(t, version(math.MaxInt64))
}
