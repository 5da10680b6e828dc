package normalize

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/wearables-go/wearables"
)

// RecordIDPrefix starts every id RecordID makes, so derived ids are never
// mistaken for a vendor's and the scheme can be versioned.
const RecordIDPrefix = "nid1-"

// Field type tags of the identity encoding. Never change them: ids must stay
// stable across releases.
const (
	tagString byte = 's'
	tagInt    byte = 'i'
	tagUint   byte = 'u'
	tagFloat  byte = 'f'
	tagBool   byte = 'b'
	tagTime   byte = 't'
	tagDate   byte = 'd'
	tagBytes  byte = 'y'
	tagOther  byte = 'o'
)

// RecordID returns a deterministic id for a vendor record that has none
// (Apple Health records, Polar sleep keyed by date, scores keyed by day):
// "nid1-" and 32 hex digits of the SHA-256 of the record kind and the
// identity fields, each encoded with its type and length. The same fields
// give the same id on every run and platform; different fields or a
// different order give a different id.
//
// Fields may be strings and string types (ProviderID …), integers and
// integer types (SeriesType, Offset …), floats (−0 equals 0, every NaN is
// one NaN), bools, []byte, time.Time (the UTC instant at the stores'
// microsecond precision, so an id survives a round trip through a store),
// time.Duration, wearables.Date and wearables.Source (its Key). Anything
// else is encoded with fmt's %v and its type name; avoid pointers, whose
// %v is an address.
func RecordID(kind wearables.RecordKind, fields ...any) string {
	h := sha256.New()
	var buf []byte
	buf = appendField(buf, tagString, []byte(kind))
	for _, f := range fields {
		buf = appendValue(buf, f)
	}
	h.Write(buf)
	sum := h.Sum(nil)
	return RecordIDPrefix + hex.EncodeToString(sum[:16])
}

func appendField(buf []byte, tag byte, b []byte) []byte {
	buf = append(buf, tag)
	buf = binary.AppendUvarint(buf, uint64(len(b)))
	return append(buf, b...)
}

func appendValue(buf []byte, f any) []byte {
	var n [8]byte
	switch v := f.(type) {
	case nil:
		return appendField(buf, tagOther, nil)
	case time.Time:
		binary.BigEndian.PutUint64(n[:], uint64(v.UTC().Truncate(wearables.TimePrecision).UnixMicro()))
		return appendField(buf, tagTime, n[:])
	case wearables.Date:
		return appendField(buf, tagDate, []byte(v.String()))
	case wearables.Source:
		return appendField(buf, tagString, []byte(v.Key()))
	case []byte:
		return appendField(buf, tagBytes, v)
	}
	rv := reflect.ValueOf(f)
	switch rv.Kind() {
	case reflect.String:
		return appendField(buf, tagString, []byte(rv.String()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		binary.BigEndian.PutUint64(n[:], uint64(rv.Int()))
		return appendField(buf, tagInt, n[:])
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		binary.BigEndian.PutUint64(n[:], rv.Uint())
		return appendField(buf, tagUint, n[:])
	case reflect.Float32, reflect.Float64:
		x := rv.Float()
		switch {
		case x == 0:
			x = 0 // −0 → 0
		case math.IsNaN(x):
			x = math.NaN()
		}
		binary.BigEndian.PutUint64(n[:], math.Float64bits(x))
		return appendField(buf, tagFloat, n[:])
	case reflect.Bool:
		b := byte(0)
		if rv.Bool() {
			b = 1
		}
		return appendField(buf, tagBool, []byte{b})
	}
	return appendField(buf, tagOther, []byte(fmt.Sprintf("%T:%v", f, f)))
}

// SleepID is RecordID for a sleep session identified by its source and
// bounds, for vendors whose sleep has no id (Apple, Polar keyed by night).
func SleepID(src wearables.Source, start, end time.Time) string {
	return RecordID(wearables.KindSleep, src.Provider, src.DeviceModel, src.App, start, end)
}

// WorkoutID is RecordID for a workout identified by its source, type and
// start, for vendors whose workouts have no id (Apple).
func WorkoutID(src wearables.Source, typ string, start time.Time) string {
	return RecordID(wearables.KindWorkout, src.Provider, src.DeviceModel, src.App, typ, start)
}

// ScoreID is RecordID for a score identified by its provider, kind and
// local day, for vendors that key scores by day.
func ScoreID(provider wearables.ProviderID, kind wearables.ScoreKind, d wearables.Date) string {
	return RecordID(wearables.KindScore, provider, kind, d)
}
