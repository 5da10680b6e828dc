package wearables

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ from the current code")

const (
	minSeriesTypes  = 93
	minWorkoutTypes = 117

	seriesGoldenPath  = "testdata/catalog/series.golden.tsv"
	workoutGoldenPath = "testdata/catalog/workouts.golden.tsv"

	// stableIDsRule ends every message about a changed golden row.
	stableIDsRule = "catalog ids are stable and must never change meaning; give the new meaning a new id after the last one"
)

var (
	seriesGoldenHeader  = []string{"id", "code", "unit", "aggregation"}
	workoutGoldenHeader = []string{"id", "code"}

	snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

	// canonicalUnits lists every Unit constant of units.go.
	canonicalUnits = []Unit{
		UnitCount, UnitBPM, UnitMillisecond, UnitSecond, UnitPercent,
		UnitKilogram, UnitMeter, UnitCentimeter, UnitKilocalorie, UnitCelsius,
		UnitCelsiusDelta, UnitMgPerDL, UnitMmHg, UnitBreathsPerMinute,
		UnitPerHour, UnitVO2Max, UnitMetersPerSecond, UnitWatt, UnitMET,
		UnitKgPerM2, UnitDecibel, UnitLux, UnitUVIndex, UnitDegree, UnitScore,
		UnitLiter, UnitLitersPerMinute, UnitGram, UnitMilligram, UnitSiemens,
		UnitMillimolePerL, UnitRPM, UnitStepsPerMinute, UnitStrokesPerMinute,
	}

	seriesCategories = []SeriesCategory{
		CategoryHeart, CategoryBlood, CategoryRespiration, CategoryBody,
		CategoryActivity, CategoryDistance, CategoryWalking, CategoryRunning,
		CategorySwimming, CategoryCycling, CategoryGeneric, CategoryEnvironment,
		CategoryScore, CategoryNutrition, CategorySleep,
	}

	workoutCategories = []WorkoutCategory{
		WorkoutCategoryRunning, WorkoutCategoryWalking, WorkoutCategoryCycling,
		WorkoutCategorySwimming, WorkoutCategoryWater, WorkoutCategoryWinter,
		WorkoutCategoryFitness, WorkoutCategoryMindBody, WorkoutCategoryTeam,
		WorkoutCategoryRacket, WorkoutCategoryOutdoor, WorkoutCategoryCombat,
		WorkoutCategoryDance, WorkoutCategoryMotor, WorkoutCategoryOther,
		WorkoutCategoryMultisport,
	}

	aggregations = []Aggregation{AggSum, AggAvg, AggMin, AggMax, AggLast}
)

func TestCatalogSeries(t *testing.T) {
	cat := SeriesTypes()
	require.GreaterOrEqual(t, len(cat), minSeriesTypes)

	seen := make(map[string]SeriesType, len(cat))
	for i, s := range cat {
		t.Run(s.Code, func(t *testing.T) {
			assert.Equal(t, SeriesType(i+1), s.ID, "ids must be dense, start at 1 and follow catalog order")
			assert.Regexp(t, snakeCase, s.Code)
			if prev, dup := seen[s.Code]; dup {
				t.Errorf("code %q used by ids %d and %d", s.Code, prev, s.ID)
			}
			seen[s.Code] = s.ID
			assert.NotEmpty(t, s.Name)
			assert.Contains(t, seriesCategories, s.Category)
			assert.Contains(t, canonicalUnits, s.Unit, "units must be canonical units from units.go")
			assert.Contains(t, aggregations, s.Aggregation)
			assert.False(t, math.IsNaN(s.Min) || math.IsInf(s.Min, 0), "Min %v", s.Min)
			assert.False(t, math.IsNaN(s.Max) || math.IsInf(s.Max, 0), "Max %v", s.Max)
			assert.Less(t, s.Min, s.Max)
			if s.Category == CategoryDistance {
				assert.Equal(t, UnitMeter, s.Unit, "distances are in meters")
				assert.Equal(t, AggSum, s.Aggregation, "distances accumulate")
				assert.Zero(t, s.Min, "distances start at 0")
			}
		})
	}
}

func TestCatalogSeriesBounds(t *testing.T) {
	// Spot checks that the bounds reject what normalize must reject.
	tests := []struct {
		typ      SeriesType
		ok, nope []float64
	}{
		{SeriesHeartRate, []float64{20, 60, 300}, []float64{0, 19, 301, 400}},
		{SeriesOxygenSaturation, []float64{50, 97, 100}, []float64{0.97, 101}},
		{SeriesBodyTemperature, []float64{25, 36.6, 45}, []float64{0, 98.6}},
		{SeriesBodyTemperatureDeviation, []float64{-10, 0, 10}, []float64{-11, 11}},
		{SeriesWeight, []float64{0.5, 72.3, 700}, []float64{0, 72345}},
		{SeriesHeight, []float64{0.3, 1.8, 2.8}, []float64{0, 180}},
		{SeriesSteps, []float64{0, 100000}, []float64{-1, 100001}},
		{SeriesDistance, []float64{0, 42195}, []float64{-1}},
	}
	for _, tt := range tests {
		t.Run(tt.typ.Code(), func(t *testing.T) {
			info, ok := tt.typ.Info()
			require.True(t, ok)
			for _, v := range tt.ok {
				assert.True(t, v >= info.Min && v <= info.Max, "%v should be plausible in [%v, %v]", v, info.Min, info.Max)
			}
			for _, v := range tt.nope {
				assert.False(t, v >= info.Min && v <= info.Max, "%v should be rejected by [%v, %v]", v, info.Min, info.Max)
			}
		})
	}
}

func TestCatalogWorkouts(t *testing.T) {
	cat := WorkoutTypes()
	require.GreaterOrEqual(t, len(cat), minWorkoutTypes)

	seen := make(map[string]WorkoutType, len(cat))
	for i, w := range cat {
		t.Run(w.Code, func(t *testing.T) {
			assert.Equal(t, WorkoutType(i+1), w.ID, "ids must be dense, start at 1 and follow catalog order")
			assert.Regexp(t, snakeCase, w.Code)
			if prev, dup := seen[w.Code]; dup {
				t.Errorf("code %q used by ids %d and %d", w.Code, prev, w.ID)
			}
			seen[w.Code] = w.ID
			assert.NotEmpty(t, w.Name)
			assert.Contains(t, workoutCategories, w.Category)
		})
	}

	other, ok := WorkoutOther.Info()
	require.True(t, ok, "WorkoutOther must be in the catalog")
	assert.Equal(t, "other", other.Code)
	assert.Equal(t, WorkoutCategoryOther, other.Category)
}

func TestCatalogGolden(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		header []string
		rows   []goldenRow
	}{
		{"series", seriesGoldenPath, seriesGoldenHeader, seriesGoldenRows(SeriesTypes())},
		{"workouts", workoutGoldenPath, workoutGoldenHeader, workoutGoldenRows(WorkoutTypes())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var golden []goldenRow
			data, err := os.ReadFile(tt.path)
			switch {
			case errors.Is(err, fs.ErrNotExist) && *update:
				// First generation: nothing is pinned yet.
			case err != nil:
				require.NoError(t, err, "create it with: go test -run TestCatalog -update .")
			default:
				golden, err = parseGolden(data, tt.header)
				require.NoError(t, err, tt.path)
			}

			if *update {
				if err := writeGolden(tt.path, tt.header, golden, tt.rows); err != nil {
					t.Fatal(err)
				}
				return
			}
			violations, added := compareGolden(tt.header, golden, tt.rows)
			for _, v := range violations {
				t.Errorf("%s: %s", tt.path, v)
			}
			if len(violations) == 0 && len(added) > 0 {
				t.Logf("%s: %d new entries (ids %d..%d) are not pinned yet; run: go test -run TestCatalog -update .",
					tt.path, len(added), added[0].ID, added[len(added)-1].ID)
			}
		})
	}
}

func TestCatalogGoldenDetectsChanges(t *testing.T) {
	series := seriesGoldenRows(SeriesTypes())
	workouts := workoutGoldenRows(WorkoutTypes())
	maxSeries := int(SeriesTypes()[len(series)-1].ID)

	tests := []struct {
		name       string
		header     []string
		golden     []goldenRow                       // the pinned rows
		mutate     func(cur []goldenRow) []goldenRow // edits a copy of the catalog's rows
		violations []string                          // substrings, one per expected violation
		added      int
	}{
		{
			name:   "unchanged",
			header: seriesGoldenHeader,
			golden: series,
			mutate: func(cur []goldenRow) []goldenRow { return cur },
		},
		{
			name:   "series code renamed",
			header: seriesGoldenHeader,
			golden: series,
			mutate: func(cur []goldenRow) []goldenRow {
				cur[int(SeriesHRVSDNN)-1].Cols[0] = "hrv"
				return cur
			},
			violations: []string{`id 3 changed code from "hrv_sdnn" to "hrv"`},
		},
		{
			name:   "series unit changed",
			header: seriesGoldenHeader,
			golden: series,
			mutate: func(cur []goldenRow) []goldenRow {
				cur[int(SeriesHeartRate)-1].Cols[1] = string(UnitMillisecond)
				return cur
			},
			violations: []string{`id 1 changed unit from "bpm" to "ms"`},
		},
		{
			name:   "series aggregation changed",
			header: seriesGoldenHeader,
			golden: series,
			mutate: func(cur []goldenRow) []goldenRow {
				cur[int(SeriesSteps)-1].Cols[2] = AggAvg.String()
				return cur
			},
			violations: []string{`changed aggregation from "sum" to "avg"`},
		},
		{
			name:   "series entry removed",
			header: seriesGoldenHeader,
			golden: series,
			mutate: func(cur []goldenRow) []goldenRow { return cur[:len(cur)-1] },
			violations: []string{
				fmt.Sprintf("id %d (%s) was removed", maxSeries, series[len(series)-1].Cols[0]),
			},
		},
		{
			name:   "entry inserted in the middle shifts every later id",
			header: workoutGoldenHeader,
			golden: workouts,
			mutate: func(cur []goldenRow) []goldenRow {
				// Insert "ultra_running" after running and renumber, as
				// reordering a const block would.
				out := []goldenRow{cur[0], {ID: 2, Cols: []string{"ultra_running"}}}
				for _, r := range cur[1:] {
					out = append(out, goldenRow{ID: r.ID + 1, Cols: r.Cols})
				}
				return out
			},
			violations: func() []string {
				var v []string
				for _, r := range workouts[1:] {
					v = append(v, fmt.Sprintf("id %d changed code from %q", r.ID, r.Cols[0]))
				}
				return v
			}(),
			added: 1, // the old last entry, now one id further
		},
		{
			name:   "new entry after the last id is allowed",
			header: workoutGoldenHeader,
			golden: workouts,
			mutate: func(cur []goldenRow) []goldenRow {
				return append(cur, goldenRow{ID: len(cur) + 1, Cols: []string{"wingfoiling"}})
			},
			added: 1,
		},
		{
			name:   "new entry at or below the last pinned id is refused",
			header: workoutGoldenHeader,
			golden: slices.Delete(slices.Clone(workouts), 9, 10), // golden has a hole at id 10
			mutate: func(cur []goldenRow) []goldenRow { return cur },
			violations: []string{
				fmt.Sprintf("id 10 (%s) is not in the golden file but not above its last id %d", workouts[9].Cols[0], len(workouts)),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			catalog := series
			if len(tt.header) == len(workoutGoldenHeader) {
				catalog = workouts
			}
			cur := tt.mutate(cloneRows(catalog))
			violations, added := compareGolden(tt.header, tt.golden, cur)
			require.Len(t, violations, len(tt.violations), "violations: %q", violations)
			for i, want := range tt.violations {
				assert.Contains(t, violations[i], want)
				assert.Contains(t, violations[i], stableIDsRule)
			}
			assert.Len(t, added, tt.added)
		})
	}
}

func TestCatalogUpdateRefusesChangedRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "catalog", "series.golden.tsv")
	pinned := seriesGoldenRows(SeriesTypes())
	require.NoError(t, writeGolden(path, seriesGoldenHeader, nil, pinned))
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	golden, err := parseGolden(before, seriesGoldenHeader)
	require.NoError(t, err)
	require.Equal(t, pinned, golden, "a written golden file must parse back to the same rows")

	t.Run("appending is written", func(t *testing.T) {
		next := append(cloneRows(golden), goldenRow{ID: len(golden) + 1, Cols: []string{"new_type", "count", "sum"}})
		require.NoError(t, writeGolden(path, seriesGoldenHeader, golden, next))
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		rows, err := parseGolden(after, seriesGoldenHeader)
		require.NoError(t, err)
		assert.Equal(t, next, rows)
		require.NoError(t, os.WriteFile(path, before, 0o644))
	})

	t.Run("a changed row is refused and the file kept", func(t *testing.T) {
		changed := cloneRows(golden)
		changed[0].Cols[0] = "pulse"
		err := writeGolden(path, seriesGoldenHeader, golden, changed)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "refusing to rewrite")
		assert.Contains(t, err.Error(), stableIDsRule)
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, string(before), string(after))
	})
}

func TestParseGolden(t *testing.T) {
	tests := []struct {
		name, in string
		want     []goldenRow
		wantErr  string
	}{
		{"comments and blank lines", "# c\n\nid\tcode\n1\trunning\n\n2\tcycling\n",
			[]goldenRow{{1, []string{"running"}}, {2, []string{"cycling"}}}, ""},
		{"wrong header", "id\tname\n1\trunning\n", nil, "header"},
		{"missing column", "id\tcode\n1\n", nil, "columns"},
		{"bad id", "id\tcode\nx\trunning\n", nil, "id"},
		{"zero id", "id\tcode\n0\trunning\n", nil, "id"},
		{"duplicate id", "id\tcode\n1\trunning\n1\tcycling\n", nil, "twice"},
		{"no header", "# only a comment\n", nil, "header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseGolden([]byte(tt.in), workoutGoldenHeader)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSeriesTypeRoundTrip(t *testing.T) {
	for _, s := range SeriesTypes() {
		t.Run(s.Code, func(t *testing.T) {
			id, err := ParseSeriesType(s.Code)
			require.NoError(t, err)
			assert.Equal(t, s.ID, id)
			assert.Equal(t, s.Code, id.Code())
			assert.Equal(t, s.Code, id.String())
			assert.True(t, id.Valid())
			info, ok := id.Info()
			assert.True(t, ok)
			assert.Equal(t, s, info)
			assert.Equal(t, s.Unit, id.Unit())
			assert.Equal(t, s.Aggregation, id.Aggregation())

			text, err := id.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, s.Code, string(text))
			var back SeriesType
			require.NoError(t, back.UnmarshalText(text))
			assert.Equal(t, id, back)
		})
	}

	t.Run("json value and map key", func(t *testing.T) {
		type doc struct {
			Type   SeriesType             `json:"type"`
			Values map[SeriesType]float64 `json:"values"`
		}
		in := doc{Type: SeriesHRVRMSSD, Values: map[SeriesType]float64{SeriesSteps: 1234, SeriesWeight: 72.5}}
		b, err := json.Marshal(in)
		require.NoError(t, err)
		assert.JSONEq(t, `{"type":"hrv_rmssd","values":{"steps":1234,"weight":72.5}}`, string(b))
		var out doc
		require.NoError(t, json.Unmarshal(b, &out))
		assert.Equal(t, in, out)
	})

	t.Run("SeriesTypes returns a copy", func(t *testing.T) {
		cat := SeriesTypes()
		cat[0].Code = "mutated"
		assert.Equal(t, "heart_rate", SeriesHeartRate.Code())
		assert.Equal(t, "heart_rate", SeriesTypes()[0].Code)
	})
}

func TestSeriesTypeUnknown(t *testing.T) {
	last := SeriesTypes()[len(SeriesTypes())-1].ID

	for _, code := range []string{"", "nope", "Heart_Rate", "heart rate", "series(1)", "1"} {
		t.Run("parse "+strconv.Quote(code), func(t *testing.T) {
			_, err := ParseSeriesType(code)
			assert.ErrorIs(t, err, ErrInvalid)

			v := SeriesSteps
			assert.ErrorIs(t, v.UnmarshalText([]byte(code)), ErrInvalid)
			assert.Equal(t, SeriesSteps, v, "a failed UnmarshalText leaves the value alone")
		})
	}
	for _, id := range []SeriesType{0, last + 1, math.MaxUint16} {
		t.Run("id "+strconv.Itoa(int(id)), func(t *testing.T) {
			assert.False(t, id.Valid())
			_, ok := id.Info()
			assert.False(t, ok)
			assert.Equal(t, "series("+strconv.Itoa(int(id))+")", id.Code())
			assert.Empty(t, id.Unit())
			assert.Zero(t, id.Aggregation())
			_, err := id.MarshalText()
			assert.ErrorIs(t, err, ErrInvalid)
		})
	}
}

func TestWorkoutTypeRoundTrip(t *testing.T) {
	for _, w := range WorkoutTypes() {
		t.Run(w.Code, func(t *testing.T) {
			id, err := ParseWorkoutType(w.Code)
			require.NoError(t, err)
			assert.Equal(t, w.ID, id)
			assert.Equal(t, w.Code, id.Code())
			assert.Equal(t, w.Code, id.String())
			assert.True(t, id.Valid())
			info, ok := id.Info()
			assert.True(t, ok)
			assert.Equal(t, w, info)

			text, err := id.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, w.Code, string(text))
			var back WorkoutType
			require.NoError(t, back.UnmarshalText(text))
			assert.Equal(t, id, back)
		})
	}

	t.Run("json", func(t *testing.T) {
		b, err := json.Marshal(struct{ Type WorkoutType }{WorkoutTrailRunning})
		require.NoError(t, err)
		assert.JSONEq(t, `{"Type":"trail_running"}`, string(b))
	})

	t.Run("WorkoutTypes returns a copy", func(t *testing.T) {
		cat := WorkoutTypes()
		cat[0].Code = "mutated"
		assert.Equal(t, "running", WorkoutRunning.Code())
	})
}

func TestWorkoutTypeUnknown(t *testing.T) {
	last := WorkoutTypes()[len(WorkoutTypes())-1].ID

	for _, code := range []string{"", "nope", "Running", "trail running", "workout(1)", "1"} {
		t.Run("parse "+strconv.Quote(code), func(t *testing.T) {
			_, err := ParseWorkoutType(code)
			assert.ErrorIs(t, err, ErrInvalid)

			v := WorkoutYoga
			assert.ErrorIs(t, v.UnmarshalText([]byte(code)), ErrInvalid)
			assert.Equal(t, WorkoutYoga, v, "a failed UnmarshalText leaves the value alone")
		})
	}
	for _, id := range []WorkoutType{0, last + 1, math.MaxUint16} {
		t.Run("id "+strconv.Itoa(int(id)), func(t *testing.T) {
			assert.False(t, id.Valid())
			_, ok := id.Info()
			assert.False(t, ok)
			assert.Equal(t, "workout("+strconv.Itoa(int(id))+")", id.Code())
			_, err := id.MarshalText()
			assert.ErrorIs(t, err, ErrInvalid)
		})
	}
}

// goldenRow is one data line of a catalog golden file: an id and the values
// pinned to it, in the columns of the file's header after "id".
type goldenRow struct {
	ID   int
	Cols []string
}

func seriesGoldenRows(cat []SeriesInfo) []goldenRow {
	rows := make([]goldenRow, 0, len(cat))
	for _, s := range cat {
		rows = append(rows, goldenRow{int(s.ID), []string{s.Code, string(s.Unit), s.Aggregation.String()}})
	}
	return rows
}

func workoutGoldenRows(cat []WorkoutInfo) []goldenRow {
	rows := make([]goldenRow, 0, len(cat))
	for _, w := range cat {
		rows = append(rows, goldenRow{int(w.ID), []string{w.Code}})
	}
	return rows
}

func cloneRows(rows []goldenRow) []goldenRow {
	out := make([]goldenRow, len(rows))
	for i, r := range rows {
		out[i] = goldenRow{r.ID, slices.Clone(r.Cols)}
	}
	return out
}

// compareGolden applies the id-stability rule to the current catalog rows:
// every golden row must still exist with the same id and the same values, and
// a row that is not in the golden file must have an id above the golden's
// largest. It returns one message per violation, in id order, and the rows
// that are new and allowed.
func compareGolden(header []string, golden, current []goldenRow) (violations []string, added []goldenRow) {
	cur := make(map[int]goldenRow, len(current))
	for _, r := range current {
		cur[r.ID] = r
	}
	pinned := make(map[int]bool, len(golden))
	lastID := 0
	for _, g := range golden {
		pinned[g.ID] = true
		lastID = max(lastID, g.ID)
		c, ok := cur[g.ID]
		if !ok {
			violations = append(violations, fmt.Sprintf("id %d (%s) was removed from the catalog; %s", g.ID, g.Cols[0], stableIDsRule))
			continue
		}
		for i, want := range g.Cols {
			got := ""
			if i < len(c.Cols) {
				got = c.Cols[i]
			}
			if got != want {
				violations = append(violations, fmt.Sprintf("id %d changed %s from %q to %q; %s", g.ID, header[i+1], want, got, stableIDsRule))
			}
		}
	}
	for _, c := range current {
		switch {
		case pinned[c.ID]:
		case c.ID <= lastID:
			violations = append(violations, fmt.Sprintf("id %d (%s) is not in the golden file but not above its last id %d; %s", c.ID, c.Cols[0], lastID, stableIDsRule))
		default:
			added = append(added, c)
		}
	}
	return violations, added
}

// writeGolden rewrites the golden file at path with current, unless current
// breaks the id-stability rule against golden (the rows the file held).
func writeGolden(path string, header []string, golden, current []goldenRow) error {
	if violations, _ := compareGolden(header, golden, current); len(violations) > 0 {
		return fmt.Errorf("refusing to rewrite %s, existing rows changed:\n%s", path, strings.Join(violations, "\n"))
	}
	var b strings.Builder
	b.WriteString("# Pinned catalog ids. Rows may be appended (go test -run TestCatalog -update .) but never changed.\n")
	b.WriteString(strings.Join(header, "\t") + "\n")
	for _, r := range current {
		b.WriteString(strconv.Itoa(r.ID) + "\t" + strings.Join(r.Cols, "\t") + "\n")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// parseGolden reads a golden file: '#' comments and blank lines are skipped,
// the first other line must be header, and every following line is an id
// and len(header)-1 tab-separated values.
func parseGolden(data []byte, header []string) ([]goldenRow, error) {
	var rows []goldenRow
	seen := make(map[int]bool)
	sawHeader := false
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if !sawHeader {
			if !slices.Equal(fields, header) {
				return nil, fmt.Errorf("line %d: header is %q, want %q", n+1, fields, header)
			}
			sawHeader = true
			continue
		}
		if len(fields) != len(header) {
			return nil, fmt.Errorf("line %d: %d columns, want %d", n+1, len(fields), len(header))
		}
		id, err := strconv.Atoi(fields[0])
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("line %d: bad id %q", n+1, fields[0])
		}
		if seen[id] {
			return nil, fmt.Errorf("line %d: id %d appears twice", n+1, id)
		}
		seen[id] = true
		rows = append(rows, goldenRow{id, fields[1:]})
	}
	if !sawHeader {
		return nil, errors.New("no header line")
	}
	return rows, nil
}
