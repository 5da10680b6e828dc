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
	var scratch [256]byte // most identities fit: no allocation for the encoding
	buf := appendString(scratch[:0], tagString, string(kind))
	for _, f := range fields {
		buf = appendValue(buf, f)
	}
	return idOf(buf)
}

// idOf returns the id of an identity encoding.
func idOf(buf []byte) string {
	sum := sha256.Sum256(buf)
	var id [len(RecordIDPrefix) + 32]byte
	copy(id[:], RecordIDPrefix)
	hex.Encode(id[len(RecordIDPrefix):], sum[:16])
	return string(id[:])
}

func appendField(buf []byte, tag byte, b []byte) []byte {
	buf = append(buf, tag)
	buf = binary.AppendUvarint(buf, uint64(len(b)))
	return append(buf, b...)
}

// appendString is appendField for a string, without converting it.
func appendString(buf []byte, tag byte, s string) []byte {
	buf = append(buf, tag)
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// appendDate encodes a date as its String, "2024-03-09", which for years
// 0–9999 (every plausible one) is formatted here rather than by fmt.
func appendDate(buf []byte, d wearables.Date) []byte {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return appendString(buf, tagDate, d.String())
	}
	var b [10]byte
	y, m := d.Year, int(d.Month)
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4], b[5], b[6] = '-', byte('0'+m/10), byte('0'+m%10)
	b[7], b[8], b[9] = '-', byte('0'+d.Day/10), byte('0'+d.Day%10)
	return appendField(buf, tagDate, b[:])
}

func appendValue(buf []byte, f any) []byte {
	var n [8]byte
	switch v := f.(type) {
	case nil:
		return appendField(buf, tagOther, nil)
	case string:
		return appendString(buf, tagString, v)
	case wearables.ProviderID:
		return appendString(buf, tagString, string(v))
	case time.Time:
		binary.BigEndian.PutUint64(n[:], uint64(v.UTC().Truncate(wearables.TimePrecision).UnixMicro()))
		return appendField(buf, tagTime, n[:])
	case wearables.Date:
		return appendDate(buf, v)
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
	// RecordID(wearables.KindScore, provider, kind, d), without boxing the
	// fields: vendors derive one per score of every synced day.
	var scratch [128]byte
	buf := appendString(scratch[:0], tagString, string(wearables.KindScore))
	buf = appendString(buf, tagString, string(provider))
	buf = appendString(buf, tagString, string(kind))
	return idOf(appendDate(buf, d))
}
