package demo

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wearables-go/wearables"
)

func TestGeneratorDeterministic(t *testing.T) {
	d := wearables.Date{Year: 2026, Month: 2, Day: 14}
	a, b := newAccount(3, "demo-same"), newAccount(3, "demo-same")
	assert.Equal(t, a.heartRate(d), b.heartRate(d))
	assert.Equal(t, a.day(d), b.day(d))
	assert.NotEqual(t, a.heartRate(d), newAccount(3, "demo-other").heartRate(d), "accounts differ")
	assert.NotEqual(t, a.heartRate(d), newAccount(4, "demo-same").heartRate(d), "seeds differ")
}

// TestGeneratorRealistic checks a year of one account against the ranges a
// real wearable produces.
func TestGeneratorRealistic(t *testing.T) {
	a := newAccount(1, "demo-realism")
	first := wearables.Date{Year: 2025, Month: 3, Day: 1}
	var workouts, naps, weighIns, days int
	for i := range 365 {
		d := first.AddDays(i)
		days++
		g := a.day(d)
		t.Run(d.String(), func(t *testing.T) {
			s := g.sleep
			dur := s.end.Sub(s.start)
			assert.True(t, dur >= 5*time.Hour && dur <= 10*time.Hour, "night of %s", dur)
			require.NotEmpty(t, s.stages)
			assert.Equal(t, s.start, s.stages[0].start, "stages start at bedtime")
			assert.Equal(t, s.end, s.stages[len(s.stages)-1].end, "stages end at wake-up")
			var tot wearables.StageTotals
			for i, st := range s.stages {
				assert.True(t, st.end.After(st.start), "stage %d is empty", i)
				if i > 0 {
					assert.Equal(t, s.stages[i-1].end, st.start, "stages are contiguous")
					assert.NotEqual(t, s.stages[i-1].stage, st.stage, "adjacent stages are merged")
				}
				tot.Add(st.stage, st.end.Sub(st.start))
			}
			deep := float64(tot.Deep) / float64(dur)
			rem := float64(tot.REM) / float64(dur)
			assert.True(t, deep > 0.08 && deep < 0.3, "deep share %.2f", deep)
			assert.True(t, rem > 0.08 && rem < 0.32, "REM share %.2f", rem)

			hr := a.heartRate(d)
			require.Len(t, hr, 24*60, "1-minute heart rate")
			for _, p := range hr {
				assert.True(t, p.bpm == 0 || (p.bpm >= 38 && p.bpm <= 205), "bpm %d", p.bpm)
				_, off := p.t.Zone()
				assert.Equal(t, int(a.offset), off, "readings carry the account's offset")
			}
			total := 0
			for _, p := range a.steps(d) {
				total += p.steps
			}
			assert.True(t, total > 1500 && total < 45000, "%d steps", total)
			for _, w := range g.workouts {
				assert.True(t, w.avgHR > a.restHR && w.maxHR <= a.maxHR && w.avgHR <= w.maxHR, "workout HR %v/%v", w.avgHR, w.maxHR)
				secs := 0
				for _, z := range w.zones {
					assert.GreaterOrEqual(t, z.seconds, 0)
					secs += z.seconds
				}
				assert.Equal(t, int(w.end.Sub(w.start).Seconds()), secs, "zones add up to the workout")
			}
		})
		workouts += len(g.workouts)
		if g.nap != nil {
			naps++
		}
		if g.weighIn != nil {
			weighIns++
		}
	}
	perWeek := float64(workouts) / float64(days) * 7
	assert.True(t, perWeek > 3 && perWeek < 7, "%.1f workouts a week", perWeek)
	assert.True(t, naps > 10 && naps < 100, "%d naps a year", naps)
	assert.True(t, weighIns > 200 && weighIns < 320, "%d weigh-ins a year", weighIns)
}

func TestItemsRespectNowAndWindow(t *testing.T) {
	a := newAccount(1, "demo-now")
	now := time.Date(2026, 3, 10, 12, 0, 30, 0, time.UTC)
	items := a.items(DataHeartRate, now.Add(-2*time.Hour), now.Add(2*time.Hour), now)
	assert.Len(t, items, 120, "readings from 10:01 to 12:00: inside the window and taken by now")
	assert.Empty(t, a.items(wearables.DataSleep, now.Add(time.Hour), now.Add(2*time.Hour), now), "nothing from the future")
	sleeps := a.items(wearables.DataSleep, now.Add(-7*24*time.Hour), now, now)
	assert.GreaterOrEqual(t, len(sleeps), 7)
}
