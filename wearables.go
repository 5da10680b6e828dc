package wearables

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ProviderID names a data provider: a vendor cloud, an import format or the
// demo provider. It is lower-case ASCII and stable; it is stored with every
// record's source.
type ProviderID string

// Providers this module ships. Provider packages use these names; a provider
// written outside this module picks its own.
const (
	ProviderGarmin        ProviderID = "garmin"
	ProviderOura          ProviderID = "oura"
	ProviderWhoop         ProviderID = "whoop"
	ProviderPolar         ProviderID = "polar"
	ProviderSuunto        ProviderID = "suunto"
	ProviderStrava        ProviderID = "strava"
	ProviderWithings      ProviderID = "withings"
	ProviderGoogleHealth  ProviderID = "googlehealth"
	ProviderCoros         ProviderID = "coros"
	ProviderUltrahuman    ProviderID = "ultrahuman"
	ProviderAppleHealth   ProviderID = "applehealth"
	ProviderHealthConnect ProviderID = "healthconnect"
	ProviderDemo          ProviderID = "demo"
)

// NewID returns a new random, time-ordered identifier (a UUIDv7 in its
// canonical text form). Stores use it for users, connections and sources.
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// uuid.NewV7 fails only if crypto/rand fails, which the Go runtime
		// treats as fatal itself.
		panic(fmt.Sprintf("wearables: crypto/rand failed: %v", err))
	}
	return id.String()
}

// Offset is a UTC offset in seconds east of UTC, as a record was originally
// stamped by its device. NoOffset means the vendor gave none; local-day
// questions then use the user's TimeZone.
type Offset int32

// NoOffset marks a record whose original UTC offset is unknown.
const NoOffset Offset = -1 << 31

// MaxOffset bounds a valid offset: ±18 hours, as in RFC 3339 and Java's ZoneOffset.
const MaxOffset Offset = 18 * 3600

// OffsetOf returns the offset of t's location at t.
func OffsetOf(t time.Time) Offset {
	_, off := t.Zone()
	return Offset(off)
}

// Known reports whether o is a real offset rather than NoOffset.
func (o Offset) Known() bool { return o != NoOffset }

// Valid reports whether o is NoOffset or within ±18 h.
func (o Offset) Valid() bool { return o == NoOffset || (o >= -MaxOffset && o <= MaxOffset) }

// Location returns a fixed zone for o, or nil for NoOffset.
func (o Offset) Location() *time.Location {
	if !o.Known() {
		return nil
	}
	return time.FixedZone(o.String(), int(o))
}

// String formats o as "+05:45" or "-08:00", and NoOffset as "".
func (o Offset) String() string {
	if !o.Known() {
		return ""
	}
	sign := byte('+')
	s := int(o)
	if s < 0 {
		sign, s = '-', -s
	}
	str := fmt.Sprintf("%c%02d:%02d", sign, s/3600, s/60%60)
	if s%60 != 0 {
		str += fmt.Sprintf(":%02d", s%60)
	}
	return str
}

// DeviceType is the kind of device that recorded data.
type DeviceType string

// Device types.
const (
	DeviceUnknown DeviceType = "unknown"
	DeviceWatch   DeviceType = "watch"
	DeviceRing    DeviceType = "ring"
	DevicePhone   DeviceType = "phone"
	DeviceScale   DeviceType = "scale"
	DeviceStrap   DeviceType = "strap" // chest or arm strap, WHOOP band
	DeviceApp     DeviceType = "app"   // no device: entered in or computed by an app
)

// Valid reports whether d is one of the declared device types or empty.
func (d DeviceType) Valid() bool {
	switch d {
	case "", DeviceUnknown, DeviceWatch, DeviceRing, DevicePhone, DeviceScale, DeviceStrap, DeviceApp:
		return true
	}
	return false
}

// RecordingMethod says whether a device measured a value or a person typed it in.
type RecordingMethod string

// Recording methods.
const (
	RecordingAutomatic RecordingMethod = "automatic"
	RecordingManual    RecordingMethod = "manual"
)

// Valid reports whether m is declared or empty.
func (m RecordingMethod) Valid() bool {
	return m == "" || m == RecordingAutomatic || m == RecordingManual
}

// Source is where a record came from. Every record carries its source; the
// tuple of its fields (without ID) identifies a source within a user, and
// stores keep one row per distinct tuple. Empty DeviceType means unknown and
// empty RecordingMethod means automatic.
type Source struct {
	// ID is assigned by the store; it is ignored on write and set on read.
	ID              string          `json:"id,omitempty"`
	Provider        ProviderID      `json:"provider"`
	DeviceModel     string          `json:"device_model,omitempty"` // e.g. "Forerunner 965", "Watch7,5", "Oura Ring Gen3"
	DeviceType      DeviceType      `json:"device_type,omitempty"`
	App             string          `json:"app,omitempty"` // the app or bundle that wrote the record, e.g. "com.apple.Health"
	RecordingMethod RecordingMethod `json:"recording_method,omitempty"`
}

// Normalized returns s with defaults filled in (DeviceType unknown,
// RecordingMethod automatic) and ID cleared, the form stores key on.
func (s Source) Normalized() Source {
	s.ID = ""
	if s.DeviceType == "" {
		s.DeviceType = DeviceUnknown
	}
	if s.RecordingMethod == "" {
		s.RecordingMethod = RecordingAutomatic
	}
	return s
}

// Key returns a string that identifies the source within a user: equal for
// sources that differ only by ID or by spelled-out defaults.
func (s Source) Key() string {
	n := s.Normalized()
	return strings.Join([]string{string(n.Provider), n.DeviceModel, string(n.DeviceType), n.App, string(n.RecordingMethod)}, "\x1f")
}

func (s Source) validate(kind RecordKind, i int) error {
	switch {
	case s.Provider == "":
		return invalid(kind, i, "Source.Provider", "provider is empty")
	case !s.DeviceType.Valid():
		return invalid(kind, i, "Source.DeviceType", "unknown device type %q", s.DeviceType)
	case !s.RecordingMethod.Valid():
		return invalid(kind, i, "Source.RecordingMethod", "unknown recording method %q", s.RecordingMethod)
	}
	return nil
}

// User is an end user of the embedding application.
type User struct {
	ID string `json:"id"`
	// AppID scopes the user to one application (tenant) of the reference
	// server; library users may leave it empty. ExternalID is unique per AppID.
	AppID      string `json:"app_id,omitempty"`
	ExternalID string `json:"external_id,omitempty"` // the embedding application's own id for the user
	// TimeZone is an IANA zone name ("Europe/Warsaw") used to place records
	// that carry no UTC offset on a local day. Empty means UTC.
	TimeZone  string    `json:"time_zone,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Location loads u's TimeZone, UTC when empty.
func (u User) Location() (*time.Location, error) {
	if u.TimeZone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(u.TimeZone)
	if err != nil {
		return nil, &ValidationError{Index: -1, Field: "TimeZone", Reason: fmt.Sprintf("unknown time zone %q", u.TimeZone)}
	}
	return loc, nil
}

// Validate checks the fields a store requires.
func (u User) Validate() error {
	if len(u.ExternalID) > 255 {
		return &ValidationError{Index: -1, Field: "ExternalID", Reason: "longer than 255 bytes"}
	}
	_, err := u.Location()
	return err
}

// ConnectionStatus is the state of a user's link to a provider account.
type ConnectionStatus string

// Connection states.
const (
	// ConnectionActive: tokens work, syncs run.
	ConnectionActive ConnectionStatus = "active"
	// ConnectionNeedsReauth: the vendor rejected our refresh token; the user
	// must connect again. Syncs do not run.
	ConnectionNeedsReauth ConnectionStatus = "needs_reauth"
	// ConnectionRevoked: the user or vendor ended the link; tokens are deleted.
	ConnectionRevoked ConnectionStatus = "revoked"
	// ConnectionPaused: the owner paused syncing; tokens are kept.
	ConnectionPaused ConnectionStatus = "paused"
)

// Valid reports whether s is one of the declared states.
func (s ConnectionStatus) Valid() bool {
	switch s {
	case ConnectionActive, ConnectionNeedsReauth, ConnectionRevoked, ConnectionPaused:
		return true
	}
	return false
}

// Connection is a user's link to one provider account. A user has at most
// one connection per provider; one provider account (ProviderUserID) may be
// linked to several users.
type Connection struct {
	ID             string           `json:"id"`
	UserID         string           `json:"user_id"`
	Provider       ProviderID       `json:"provider"`
	ProviderUserID string           `json:"provider_user_id,omitempty"`
	Status         ConnectionStatus `json:"status"`
	StatusReason   string           `json:"status_reason,omitempty"` // why the status last changed; never contains secrets
	Scopes         []string         `json:"scopes,omitempty"`        // scopes the user granted
	ConnectedAt    time.Time        `json:"connected_at"`
	LastSyncedAt   time.Time        `json:"last_synced_at,omitzero"` // zero until the first successful sync
	UpdatedAt      time.Time        `json:"updated_at"`
}

// Validate checks the fields a store requires.
func (c Connection) Validate() error {
	switch {
	case c.UserID == "":
		return &ValidationError{Index: -1, Field: "UserID", Reason: "user id is empty"}
	case c.Provider == "":
		return &ValidationError{Index: -1, Field: "Provider", Reason: "provider is empty"}
	case !c.Status.Valid():
		return &ValidationError{Index: -1, Field: "Status", Reason: fmt.Sprintf("unknown status %q", c.Status)}
	}
	return nil
}

// DataType names one feed a provider syncs separately, with its own cursor:
// "workouts", "sleep", "heartrate", "daily_readiness" …. The generic ones
// are declared here; a provider may declare its own finer-grained names.
type DataType string

// Generic data types.
const (
	DataWorkouts       DataType = "workouts"
	DataSleep          DataType = "sleep"
	DataSamples        DataType = "samples"
	DataDailySummaries DataType = "daily_summaries"
	DataScores         DataType = "scores"
	DataBody           DataType = "body"
)

// Cursor is a connection's sync position for one data type. Value is opaque
// to everyone but the provider that wrote it (a timestamp, a page token …).
type Cursor struct {
	ConnectionID string    `json:"connection_id"`
	DataType     DataType  `json:"data_type"`
	Value        string    `json:"value"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// EncryptedToken is a connection's OAuth token as stored: ciphertext and the
// id of the key that wrapped it. Stores keep it opaquely and never see
// plaintext; package oauthflow encrypts and decrypts.
type EncryptedToken struct {
	ConnectionID string
	KeyID        string    // id of the key-encryption key
	Ciphertext   []byte    // self-describing envelope produced by oauthflow
	ExpiresAt    time.Time // access-token expiry, kept in clear so refresh can be scheduled; zero = unknown
	UpdatedAt    time.Time // set by the store on write
}

// String never prints the ciphertext.
func (t EncryptedToken) String() string {
	return fmt.Sprintf("EncryptedToken{connection=%s key=%s bytes=%d}", t.ConnectionID, t.KeyID, len(t.Ciphertext))
}

// GoString never prints the ciphertext.
func (t EncryptedToken) GoString() string { return t.String() }
