package normalize

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/wearables-go/wearables"
)

func steps(src wearables.Source, start, end string, v float64) wearables.Sample {
	return wearables.Sample{Source: src, Type: wearables.SeriesSteps, Start: utc(start), End: utc(end), Offset: wearables.NoOffset, Value: v}
}

// values returns bucket start → value, for compact assertions.
func values(s Series) map[string]float64 {
	m := map[string]float64{}
	for _, b := range s.Buckets {
		m[b.Start.Format(time.RFC3339)] = math.Round(b.Value*1e6) / 1e6
	}
	return m
}

func TestParseResolution(t *testing.T) {
	for in, want := range map[string]Resolution{
		"1m": Minute, "1min": Minute, "5m": FiveMinutes, "15min": FifteenMinutes, "1h": Hour, "60m": Hour,
		"1d": Day, "day": Day, "hour": Hour, "minute": Minute, "30s": Resolution(30 * time.Second), "24h": Day,
	} {
		got, err := ParseResolution(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "7m", "0m", "-1h", "2d", "1.5s", "raw", "1w"} {
		_, err := ParseResolution(bad)
		assert.ErrorIs(t, err, wearables.ErrInvalid, bad)
	}
	assert.Equal(t, "15m", FifteenMinutes.String())
	assert.Equal(t, "1h", Hour.String())
	assert.Equal(t, "1d", Day.String())
}

func TestResampleAggregations(t *testing.T) {
	hrs := []wearables.Sample{
		hr("2024-03-09T10:00:10Z", 60), hr("2024-03-09T10:00:50Z", 80), hr("2024-03-09T10:01:10Z", 100),
		hr("2024-03-09T10:02:30Z", 70), hr("2024-03-09T10:02:20Z", 90), // unsorted
	}
	tests := []struct {
		agg  wearables.Aggregation
		want map[string]float64
	}{
		{0, map[string]float64{"2024-03-09T10:00:00Z": 70, "2024-03-09T10:01:00Z": 100, "2024-03-09T10:02:00Z": 80}}, // catalog: avg
		{wearables.AggMin, map[string]float64{"2024-03-09T10:00:00Z": 60, "2024-03-09T10:01:00Z": 100, "2024-03-09T10:02:00Z": 70}},
		{wearables.AggMax, map[string]float64{"2024-03-09T10:00:00Z": 80, "2024-03-09T10:01:00Z": 100, "2024-03-09T10:02:00Z": 90}},
		{wearables.AggLast, map[string]float64{"2024-03-09T10:00:00Z": 80, "2024-03-09T10:01:00Z": 100, "2024-03-09T10:02:00Z": 70}},
		{wearables.AggSum, map[string]float64{"2024-03-09T10:00:00Z": 140, "2024-03-09T10:01:00Z": 100, "2024-03-09T10:02:00Z": 160}},
	}
	for _, tt := range tests {
		t.Run(tt.agg.String(), func(t *testing.T) {
			s, err := Resample(hrs, ResampleOptions{Resolution: Minute, Aggregation: tt.agg})
			require.NoError(t, err)
			assert.Equal(t, tt.want, values(s))
			assert.Equal(t, wearables.UnitBPM, s.Unit)
			for _, b := range s.Buckets {
				assert.Equal(t, []int{0}, b.Sources)
				assert.Equal(t, time.Minute, b.End.Sub(b.Start))
			}
		})
	}
	s, err := Resample(hrs, ResampleOptions{Resolution: Minute})
	require.NoError(t, err)
	assert.Equal(t, []int{2, 1, 2}, []int{s.Buckets[0].Count, s.Buckets[1].Count, s.Buckets[2].Count})

	// Last for weight.
	w := []wearables.Sample{
		{Source: srcWatch, Type: wearables.SeriesWeight, Start: utc("2024-03-09T07:00:00Z"), Value: 80.2},
		{Source: srcWatch, Type: wearables.SeriesWeight, Start: utc("2024-03-09T21:00:00Z"), Value: 80.9},
		{Source: srcWatch, Type: wearables.SeriesWeight, Start: utc("2024-03-10T07:00:00Z"), Value: 80.0},
	}
	s, err = Resample(w, ResampleOptions{Resolution: Day})
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"2024-03-09T00:00:00Z": 80.9, "2024-03-10T00:00:00Z": 80.0}, values(s))
	assert.Equal(t, wearables.Date{Year: 2024, Month: 3, Day: 9}, s.Buckets[0].Date)
}

func TestResampleSplitsIntervals(t *testing.T) {
	// 90 steps over 10:00:30–10:02:00: 30 in the first minute, 60 in the second.
	s, err := Resample([]wearables.Sample{steps(srcWatch, "2024-03-09T10:00:30Z", "2024-03-09T10:02:00Z", 90)}, ResampleOptions{Resolution: Minute})
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"2024-03-09T10:00:00Z": 30, "2024-03-09T10:01:00Z": 60}, values(s))

	// A Garmin 15-minute epoch into 5-minute buckets.
	s, err = Resample([]wearables.Sample{steps(srcWatch, "2024-03-09T10:00:00Z", "2024-03-09T10:15:00Z", 900)}, ResampleOptions{Resolution: FiveMinutes})
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"2024-03-09T10:00:00Z": 300, "2024-03-09T10:05:00Z": 300, "2024-03-09T10:10:00Z": 300}, values(s))

	// The range clips: only the part inside counts.
	s, err = Resample([]wearables.Sample{steps(srcWatch, "2024-03-09T09:59:00Z", "2024-03-09T10:01:00Z", 100)},
		ResampleOptions{Resolution: Minute, Start: utc("2024-03-09T10:00:00Z"), End: utc("2024-03-09T10:05:00Z"), IncludeEmpty: true})
	require.NoError(t, err)
	require.Len(t, s.Buckets, 5)
	assert.Equal(t, 50.0, s.Buckets[0].Value)
	assert.Equal(t, 0, s.Buckets[1].Count)
}

func TestResampleZones(t *testing.T) {
	kathmandu := mustLoad(t, "Asia/Kathmandu")
	s, err := Resample([]wearables.Sample{hr("2024-06-01T10:50:00Z", 60)}, ResampleOptions{Resolution: Hour, Zone: kathmandu})
	require.NoError(t, err)
	require.Len(t, s.Buckets, 1)
	assert.Equal(t, utc("2024-06-01T10:15:00Z"), s.Buckets[0].Start, "hours of +05:45 start at :15 UTC")
	assert.Equal(t, "Asia/Kathmandu", s.Zone)

	tonga := mustLoad(t, "Pacific/Tongatapu")
	s, err = Resample([]wearables.Sample{steps(srcWatch, "2024-06-01T10:30:00Z", "2024-06-01T11:30:00Z", 60)},
		ResampleOptions{Resolution: Day, Zone: tonga, Days: DaysByZone})
	require.NoError(t, err)
	// 11:00Z is midnight in +13:00.
	assert.Equal(t, map[string]float64{"2024-05-31T11:00:00Z": 30, "2024-06-01T11:00:00Z": 30}, values(s))
	assert.Equal(t, "2024-06-02", s.Buckets[1].Date.String())
}

func TestResampleDST(t *testing.T) {
	tests := []struct {
		zone      string
		day       wearables.Date
		wantHours int
	}{
		{"America/New_York", wearables.Date{Year: 2024, Month: 3, Day: 10}, 23},
		{"America/New_York", wearables.Date{Year: 2024, Month: 11, Day: 3}, 25},
		{"Europe/Warsaw", wearables.Date{Year: 2024, Month: 3, Day: 31}, 23},
		{"Europe/Warsaw", wearables.Date{Year: 2024, Month: 10, Day: 27}, 25},
		{"Australia/Sydney", wearables.Date{Year: 2024, Month: 10, Day: 6}, 23},
		{"Australia/Sydney", wearables.Date{Year: 2024, Month: 4, Day: 7}, 25},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.day.String(), func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			start, end := DayBounds(tt.day, loc)
			// One step per minute all day, as interval samples.
			var ss []wearables.Sample
			for ts := start; ts.Before(end); ts = ts.Add(time.Minute) {
				ss = append(ss, wearables.Sample{Source: srcWatch, Type: wearables.SeriesSteps, Start: ts, End: ts.Add(time.Minute), Offset: wearables.NoOffset, Value: 1})
			}
			hourly, err := Resample(ss, ResampleOptions{Resolution: Hour, Zone: loc, Start: start, End: end})
			require.NoError(t, err)
			assert.Len(t, hourly.Buckets, tt.wantHours)
			for _, b := range hourly.Buckets {
				assert.Equal(t, time.Hour, b.End.Sub(b.Start))
				assert.InDelta(t, 60, b.Value, 1e-9)
			}
			for _, rule := range []DayRule{DaysByZone, DaysByRecordOffset} {
				daily, err := Resample(ss, ResampleOptions{Resolution: Day, Zone: loc, Start: start, End: end, Days: rule})
				require.NoError(t, err)
				require.Len(t, daily.Buckets, 1, "rule %d", rule)
				b := daily.Buckets[0]
				assert.Equal(t, tt.day, b.Date)
				assert.Equal(t, start, b.Start)
				assert.Equal(t, end, b.End)
				assert.Equal(t, time.Duration(tt.wantHours)*time.Hour, b.End.Sub(b.Start))
				assert.InDelta(t, float64(tt.wantHours*60), b.Value, 1e-6)
			}
		})
	}
}

func TestResampleDaysByRecordOffset(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	// A traveller: 100 steps at 23:30 local in Tokyo (+09:00) are 14:30Z,
	// the same local day in New York but the 9th in Tokyo.
	ss := []wearables.Sample{
		{Source: srcWatch, Type: wearables.SeriesSteps, Start: utc("2024-06-09T14:30:00Z"), End: utc("2024-06-09T14:40:00Z"), Offset: off("+09:00"), Value: 100},
		{Source: srcWatch, Type: wearables.SeriesSteps, Start: utc("2024-06-10T02:00:00Z"), End: utc("2024-06-10T02:10:00Z"), Offset: wearables.NoOffset, Value: 50}, // 22:00 on the 9th in NY
		{Source: srcWatch, Type: wearables.SeriesSteps, Start: utc("2024-06-10T14:00:00Z"), End: utc("2024-06-10T14:10:00Z"), Offset: off("-04:00"), Value: 10},
	}
	s, err := Resample(ss, ResampleOptions{Resolution: Day, Zone: ny})
	require.NoError(t, err)
	got := map[string]float64{}
	for _, b := range s.Buckets {
		got[b.Date.String()] = b.Value
	}
	assert.Equal(t, map[string]float64{"2024-06-09": 150, "2024-06-10": 10}, got)
}

func TestResampleErrors(t *testing.T) {
	_, err := Resample([]wearables.Sample{hr("2024-03-09T10:00:00Z", 60)}, ResampleOptions{Resolution: Resolution(7 * time.Minute)})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = Resample([]wearables.Sample{hr("2024-03-09T10:00:00Z", 60), steps(srcWatch, "2024-03-09T10:00:00Z", "2024-03-09T10:01:00Z", 1)}, ResampleOptions{Resolution: Minute})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = Resample(nil, ResampleOptions{Resolution: Minute, Start: utc("2024-03-09T10:00:00Z"), End: utc("2024-03-09T09:00:00Z")})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	_, err = Resample([]wearables.Sample{{Type: 999, Start: utc("2024-03-09T10:00:00Z")}}, ResampleOptions{Resolution: Minute})
	assert.ErrorIs(t, err, wearables.ErrInvalid)
	s, err := Resample(nil, ResampleOptions{Resolution: Minute})
	require.NoError(t, err)
	assert.Empty(t, s.Buckets)
	// Far-off instants are skipped, never a panic.
	_, err = Resample([]wearables.Sample{hr("2024-03-09T10:00:00Z", 60), {Type: wearables.SeriesHeartRate, Start: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), Value: 60}},
		ResampleOptions{Resolution: Minute})
	assert.ErrorIs(t, err, wearables.ErrInvalid, "too many buckets")
}

var propertyZones = []string{"UTC", "America/New_York", "Europe/Warsaw", "Australia/Sydney", "Asia/Kathmandu", "Pacific/Tongatapu"}

// genSteps draws interval step samples around a DST-rich period.
func genSteps(t *rapid.T, srcs []wearables.Source) []wearables.Sample {
	base := utc("2024-03-08T00:00:00Z").Unix()
	n := rapid.IntRange(0, 200).Draw(t, "n")
	out := make([]wearables.Sample, n)
	for i := range out {
		start := base + rapid.Int64Range(0, 3*86400).Draw(t, "start")
		span := rapid.Int64Range(0, 3*3600).Draw(t, "span")
		s := wearables.Sample{
			Source: rapid.SampledFrom(srcs).Draw(t, "src"),
			Type:   wearables.SeriesSteps,
			Start:  time.Unix(start, 0).UTC(),
			Offset: wearables.NoOffset,
			Value:  float64(rapid.IntRange(0, 2000).Draw(t, "v")),
		}
		if span > 0 {
			s.End = s.Start.Add(time.Duration(span) * time.Second)
		}
		out[i] = s
	}
	return out
}

// Resampling to 1 day equals summing the 1 h resample, in any zone.
func TestResampleDayEqualsSumOfHoursProperty(t *testing.T) {
	locs := map[string]*time.Location{}
	for _, z := range propertyZones {
		locs[z] = mustLoad(t, z)
	}
	rapid.Check(t, func(t *rapid.T) {
		ss := genSteps(t, []wearables.Source{srcWatch})
		loc := locs[rapid.SampledFrom(propertyZones).Draw(t, "zone")]
		start, _ := DayBounds(wearables.Date{Year: 2024, Month: 3, Day: 8}, loc)
		_, end := DayBounds(wearables.Date{Year: 2024, Month: 3, Day: 12}, loc)
		opts := ResampleOptions{Zone: loc, Start: start, End: end, Days: DaysByZone}
		opts.Resolution = Hour
		hourly, err := Resample(ss, opts)
		if err != nil {
			t.Fatal(err)
		}
		opts.Resolution = Day
		daily, err := Resample(ss, opts)
		if err != nil {
			t.Fatal(err)
		}
		sums := map[wearables.Date]float64{}
		for _, b := range hourly.Buckets {
			sums[wearables.DateOf(b.Start.In(loc))] += b.Value
		}
		if len(sums) != len(daily.Buckets) {
			t.Fatalf("%d days from hours, %d days", len(sums), len(daily.Buckets))
		}
		for _, b := range daily.Buckets {
			if math.Abs(sums[b.Date]-b.Value) > 1e-6*math.Max(1, b.Value) {
				t.Fatalf("%s: day %v, hours sum %v", b.Date, b.Value, sums[b.Date])
			}
		}
	})
}

// Resampling conserves the total of a sum series inside the range.
func TestResampleConservesSumProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ss := genSteps(t, []wearables.Source{srcWatch})
		res := rapid.SampledFrom([]Resolution{Minute, FiveMinutes, FifteenMinutes, Hour, Day}).Draw(t, "res")
		start, end := utc("2024-03-07T00:00:00Z"), utc("2024-03-13T00:00:00Z")
		s, err := Resample(ss, ResampleOptions{Resolution: res, Start: start, End: end})
		if err != nil {
			t.Fatal(err)
		}
		var want, got float64
		for _, x := range ss {
			want += x.Value
		}
		for _, b := range s.Buckets {
			got += b.Value
		}
		if math.Abs(want-got) > 1e-6*math.Max(1, want) {
			t.Fatalf("total %v, resampled %v", want, got)
		}
	})
}
