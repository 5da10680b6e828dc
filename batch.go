package wearables

import (
	"math"
	"time"
)

// RecordKind names a kind of stored record.
type RecordKind string

// Record kinds.
const (
	KindSample       RecordKind = "sample"
	KindWorkout      RecordKind = "workout"
	KindSleep        RecordKind = "sleep"
	KindDailySummary RecordKind = "daily_summary"
	KindScore        RecordKind = "score"
)

// Delete removes one event record a vendor deleted (a WHOOP *.deleted
// webhook, a Strava delete event, an Oura "deleted" sleep). It matches every
// source of the provider, because vendors name the record, not the device.
type Delete struct {
	Kind             RecordKind `json:"kind"` // KindWorkout, KindSleep or KindScore
	Provider         ProviderID `json:"provider"`
	ProviderRecordID string     `json:"provider_record_id"`
}

// Batch is a set of records of one user written in one transaction: either
// everything in it is committed, or — when any record is invalid or the write
// fails — nothing is. Cursor, when set, is advanced in the same transaction,
// so a sync position never points past data that is not committed. When two
// records in one batch share a natural key, the later one wins.
type Batch struct {
	UserID    string
	Samples   []Sample
	Workouts  []Workout
	Sleep     []Sleep
	Summaries []DailySummary
	Scores    []Score
	Deletes   []Delete
	Cursor    *Cursor // optional; its connection must belong to UserID
}

// Len is the number of records and deletes in b.
func (b *Batch) Len() int {
	return len(b.Samples) + len(b.Workouts) + len(b.Sleep) + len(b.Summaries) + len(b.Scores) + len(b.Deletes)
}

// Validate checks every record for structural errors: unknown series type,
// NaN or infinite values, end before start, missing keys, records of another
// user. It returns the first problem as a *ValidationError (matching
// ErrInvalid). Plausibility (a heart rate of 400) is normalize's job, not
// this method's. Stores call Validate before writing anything.
func (b *Batch) Validate() error {
	if b.UserID == "" {
		return &ValidationError{Index: -1, Field: "UserID", Reason: "batch user id is empty"}
	}
	for i := range b.Samples {
		if u := b.Samples[i].UserID; u != "" && u != b.UserID {
			return invalid(KindSample, i, "UserID", "record of user %q in a batch of user %q", u, b.UserID)
		}
		if err := b.Samples[i].validate(i); err != nil {
			return err
		}
	}
	for i := range b.Workouts {
		if u := b.Workouts[i].UserID; u != "" && u != b.UserID {
			return invalid(KindWorkout, i, "UserID", "record of user %q in a batch of user %q", u, b.UserID)
		}
		if err := b.Workouts[i].validate(i); err != nil {
			return err
		}
	}
	for i := range b.Sleep {
		if u := b.Sleep[i].UserID; u != "" && u != b.UserID {
			return invalid(KindSleep, i, "UserID", "record of user %q in a batch of user %q", u, b.UserID)
		}
		if err := b.Sleep[i].validate(i); err != nil {
			return err
		}
	}
	for i := range b.Summaries {
		if u := b.Summaries[i].UserID; u != "" && u != b.UserID {
			return invalid(KindDailySummary, i, "UserID", "record of user %q in a batch of user %q", u, b.UserID)
		}
		if err := b.Summaries[i].validate(i); err != nil {
			return err
		}
	}
	for i := range b.Scores {
		if u := b.Scores[i].UserID; u != "" && u != b.UserID {
			return invalid(KindScore, i, "UserID", "record of user %q in a batch of user %q", u, b.UserID)
		}
		if err := b.Scores[i].validate(i); err != nil {
			return err
		}
	}
	for i, d := range b.Deletes {
		switch {
		case d.Kind != KindWorkout && d.Kind != KindSleep && d.Kind != KindScore:
			return &ValidationError{Kind: d.Kind, Index: i, Field: "Deletes.Kind", Reason: "only workouts, sleep and scores can be deleted by id"}
		case d.Provider == "" || d.ProviderRecordID == "":
			return &ValidationError{Kind: d.Kind, Index: i, Field: "Deletes", Reason: "provider and provider record id are required"}
		}
	}
	if c := b.Cursor; c != nil && (c.ConnectionID == "" || c.DataType == "") {
		return &ValidationError{Index: -1, Field: "Cursor", Reason: "cursor needs a connection id and a data type"}
	}
	return nil
}

func (w Workout) validate(i int) error {
	switch {
	case w.ProviderRecordID == "":
		return invalid(KindWorkout, i, "ProviderRecordID", "provider record id is empty")
	case !w.Type.Valid():
		return invalid(KindWorkout, i, "Type", "unknown workout type %d", uint16(w.Type))
	case w.Start.IsZero() || w.End.IsZero():
		return invalid(KindWorkout, i, "Start", "start or end is zero")
	case w.End.Before(w.Start):
		return invalid(KindWorkout, i, "End", "end %s is before start %s", w.End.UTC().Format(time.RFC3339), w.Start.UTC().Format(time.RFC3339))
	case !w.Offset.Valid():
		return invalid(KindWorkout, i, "Offset", "offset %d s is beyond ±18 h", int32(w.Offset))
	case w.MovingTime < 0:
		return invalid(KindWorkout, i, "MovingTime", "moving time is negative")
	}
	if err := validOptional(KindWorkout, i, w.Distance, w.Energy, w.AvgHR, w.MinHR, w.MaxHR, w.Steps,
		w.ElevationGain, w.ElevationLoss, w.AvgSpeed, w.MaxSpeed, w.AvgPower, w.MaxPower, w.AvgCadence); err != nil {
		return err
	}
	for j, p := range w.Route {
		if math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || p.Lat < -90 || p.Lat > 90 || p.Lon < -180 || p.Lon > 180 {
			return invalid(KindWorkout, i, "Route", "point %d has coordinates %v,%v", j, p.Lat, p.Lon)
		}
	}
	return w.Source.validate(KindWorkout, i)
}

// validOptional rejects NaN and infinite optional values.
func validOptional(kind RecordKind, i int, vals ...*float64) error {
	for _, v := range vals {
		if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
			return invalid(kind, i, "metrics", "a metric is %v", *v)
		}
	}
	return nil
}

// Counts is how many records a write inserted, updated (content changed) or
// left unchanged (identical, or an older version than the stored one).
type Counts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Total is Inserted + Updated + Unchanged.
func (c Counts) Total() int { return c.Inserted + c.Updated + c.Unchanged }

// Add returns c + d.
func (c Counts) Add(d Counts) Counts {
	return Counts{c.Inserted + d.Inserted, c.Updated + d.Updated, c.Unchanged + d.Unchanged}
}

// WriteResult reports what a batch write did, per record kind.
type WriteResult struct {
	Samples   Counts `json:"samples"`
	Workouts  Counts `json:"workouts"`
	Sleep     Counts `json:"sleep"`
	Summaries Counts `json:"summaries"`
	Scores    Counts `json:"scores"`
	Deleted   int    `json:"deleted"` // records removed by Deletes
}

// Total sums the counts of every kind.
func (r WriteResult) Total() Counts {
	return r.Samples.Add(r.Workouts).Add(r.Sleep).Add(r.Summaries).Add(r.Scores)
}

// Add returns r + s.
func (r WriteResult) Add(s WriteResult) WriteResult {
	return WriteResult{
		Samples:   r.Samples.Add(s.Samples),
		Workouts:  r.Workouts.Add(s.Workouts),
		Sleep:     r.Sleep.Add(s.Sleep),
		Summaries: r.Summaries.Add(s.Summaries),
		Scores:    r.Scores.Add(s.Scores),
		Deleted:   r.Deleted + s.Deleted,
	}
}
