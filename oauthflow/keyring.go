package oauthflow

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/wearables-go/wearables"
)

// MinKeySize is the smallest key-encryption key secret accepted, in bytes.
const MinKeySize = 32

// maxKeyIDLen bounds a key id (it is stored in every envelope).
const maxKeyIDLen = 64

// Key is a key-encryption key: an id, stored next to every token it wraps,
// and a secret of at least MinKeySize bytes. The AES-256 key actually used is
// derived from the secret with HKDF-SHA256, so longer secrets are fine.
//
// A Key never prints its secret: String, GoString and every fmt verb show
// only the id.
type Key struct {
	id     string
	secret []byte
}

// NewKey builds a key from its id and secret. The id is 1–64 characters of
// [A-Za-z0-9._-]; the secret is at least MinKeySize bytes and is copied.
// Errors match wearables.ErrInvalid.
func NewKey(id string, secret []byte) (Key, error) {
	if err := validKeyID(id); err != nil {
		return Key{}, err
	}
	if len(secret) < MinKeySize {
		return Key{}, fmt.Errorf("oauthflow: key %q: secret is %d bytes, need at least %d: %w", id, len(secret), MinKeySize, wearables.ErrInvalid)
	}
	return Key{id: id, secret: slices.Clone(secret)}, nil
}

// ParseKey parses "id:base64secret" (standard or URL base64, padded or not),
// the form keys take in configuration. Errors match wearables.ErrInvalid and
// never contain the secret.
func ParseKey(s string) (Key, error) {
	id, b64, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Key{}, fmt.Errorf("oauthflow: parse key: want \"id:base64secret\": %w", wearables.ErrInvalid)
	}
	if err := validKeyID(id); err != nil {
		return Key{}, err
	}
	secret, err := decodeBase64(b64)
	if err != nil {
		return Key{}, fmt.Errorf("oauthflow: parse key %q: secret is not base64: %w", id, wearables.ErrInvalid)
	}
	return NewKey(id, secret)
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

func validKeyID(id string) error {
	if id == "" || len(id) > maxKeyIDLen {
		return fmt.Errorf("oauthflow: key id must be 1–%d characters: %w", maxKeyIDLen, wearables.ErrInvalid)
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("oauthflow: key id %q: only [A-Za-z0-9._-] allowed: %w", id, wearables.ErrInvalid)
		}
	}
	return nil
}

// ID returns the key's id.
func (k Key) ID() string { return k.id }

// String shows the id only.
func (k Key) String() string { return "oauthflow.Key{id=" + k.id + "}" }

// GoString shows the id only.
func (k Key) GoString() string { return k.String() }

// Format shows the id only, whatever the verb.
func (k Key) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// kek is a loaded key-encryption key.
type kek struct {
	id   string
	aead cipher.AEAD
}

// Keyring holds the key-encryption keys: one primary key that wraps every
// new token, and older keys that only unwrap. It is immutable and safe for
// concurrent use.
//
// Rotation: build a keyring whose primary is the new key and whose older
// keys include the previous primary, deploy it to every process, then run
// RewrapTokens until no stored token references an older key; only then
// drop the older key from configuration.
type Keyring struct {
	primary *kek
	keys    map[string]*kek
	ids     []string // primary first
}

// kekInfo is the HKDF info string for deriving an AES-256 key from a Key.
const kekInfo = "wearables/oauthflow/kek/v1"

// NewKeyring loads primary and the decrypt-only older keys. Errors (a
// duplicate id) match wearables.ErrInvalid.
func NewKeyring(primary Key, older ...Key) (*Keyring, error) {
	r := &Keyring{keys: make(map[string]*kek, 1+len(older))}
	for _, k := range append([]Key{primary}, older...) {
		if err := validKeyID(k.id); err != nil {
			return nil, err
		}
		if len(k.secret) < MinKeySize {
			return nil, fmt.Errorf("oauthflow: key %q: secret is shorter than %d bytes: %w", k.id, MinKeySize, wearables.ErrInvalid)
		}
		if _, dup := r.keys[k.id]; dup {
			return nil, fmt.Errorf("oauthflow: duplicate key id %q: %w", k.id, wearables.ErrInvalid)
		}
		derived, err := hkdf.Key(sha256.New, k.secret, nil, kekInfo, 32)
		if err != nil {
			return nil, fmt.Errorf("oauthflow: derive key %q: %w", k.id, err)
		}
		aead, err := newGCM(derived)
		if err != nil {
			return nil, fmt.Errorf("oauthflow: load key %q: %w", k.id, err)
		}
		kk := &kek{id: k.id, aead: aead}
		r.keys[k.id] = kk
		r.ids = append(r.ids, k.id)
		if r.primary == nil {
			r.primary = kk
		}
	}
	return r, nil
}

// ParseKeyring parses a comma-separated list of "id:base64secret" keys, the
// first being the primary: the form a deployment passes in one environment
// variable. Errors match wearables.ErrInvalid and never contain secrets.
func ParseKeyring(spec string) (*Keyring, error) {
	var keys []Key
	for part := range strings.SplitSeq(spec, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, err := ParseKey(part)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("oauthflow: parse keyring: no keys: %w", wearables.ErrInvalid)
	}
	return NewKeyring(keys[0], keys[1:]...)
}

// PrimaryID returns the id of the key that wraps new tokens.
func (r *Keyring) PrimaryID() string { return r.primary.id }

// KeyIDs returns the ids of all loaded keys, primary first.
func (r *Keyring) KeyIDs() []string { return slices.Clone(r.ids) }

// Has reports whether a key with this id is loaded.
func (r *Keyring) Has(id string) bool { _, ok := r.keys[id]; return ok }

// String lists the key ids only.
func (r *Keyring) String() string {
	return "oauthflow.Keyring{primary=" + r.primary.id + " keys=" + strings.Join(r.ids, ",") + "}"
}

// GoString lists the key ids only.
func (r *Keyring) GoString() string { return r.String() }

// Format lists the key ids only, whatever the verb.
func (r *Keyring) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Envelope format, version 1 (all of it is authenticated):
//
//	version      1 byte  (envelopeV1)
//	keyIDLen     1 byte
//	keyID        keyIDLen bytes      id of the key-encryption key
//	wrapNonce    12 bytes
//	wrappedDEK   48 bytes            AES-256-GCM(kek, dek), AAD = wrapAAD
//	dataNonce    12 bytes
//	sealedToken  rest (≥ 16 bytes)   AES-256-GCM(dek, token JSON), AAD = dataAAD
//
// wrapAAD binds the wrapped data key to the version, the key id and the
// connection id; dataAAD binds the token to the version and the connection
// id. A blob copied to another connection's row therefore fails to open, and
// re-wrapping under a new key touches only the header and the wrapped data
// key, never the token itself.
//
// Application-wide secrets (SealSecret, secrets.go) use the same format with
// their own domain strings, the connection id replaced by the provider and
// the secret's name: a token's blob never opens as a secret, nor a secret's
// blob under another provider or name.
const (
	envelopeV1  = 1
	nonceSize   = 12
	dekSize     = 32
	tagSize     = 16
	wrappedSize = dekSize + tagSize
	minEnvelope = 2 + 1 + nonceSize + wrappedSize + nonceSize + tagSize
	wrapDomain  = "wearables/oauthflow/dek"
	dataDomain  = "wearables/oauthflow/token"
)

// envelope is a parsed ciphertext.
type envelope struct {
	keyID      string
	wrapNonce  []byte
	wrappedDEK []byte
	dataNonce  []byte
	sealed     []byte
}

func parseEnvelope(b []byte) (envelope, error) {
	if len(b) < minEnvelope {
		return envelope{}, errors.New("envelope too short")
	}
	if b[0] != envelopeV1 {
		return envelope{}, fmt.Errorf("unsupported envelope version %d", b[0])
	}
	n := int(b[1])
	if n == 0 || n > maxKeyIDLen || len(b) < 2+n+nonceSize+wrappedSize+nonceSize+tagSize {
		return envelope{}, errors.New("malformed envelope header")
	}
	var e envelope
	p := 2
	e.keyID = string(b[p : p+n])
	p += n
	e.wrapNonce = b[p : p+nonceSize]
	p += nonceSize
	e.wrappedDEK = b[p : p+wrappedSize]
	p += wrappedSize
	e.dataNonce = b[p : p+nonceSize]
	p += nonceSize
	e.sealed = b[p:]
	return e, nil
}

func (e envelope) marshal() []byte {
	out := make([]byte, 0, 2+len(e.keyID)+nonceSize+wrappedSize+nonceSize+len(e.sealed))
	out = append(out, envelopeV1, byte(len(e.keyID)))
	out = append(out, e.keyID...)
	out = append(out, e.wrapNonce...)
	out = append(out, e.wrappedDEK...)
	out = append(out, e.dataNonce...)
	return append(out, e.sealed...)
}

// lenPrefixed appends s with a 4-byte length prefix, so concatenated fields
// stay unambiguous.
func lenPrefixed(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func wrapAAD(keyID, connectionID string) []byte {
	b := lenPrefixed(nil, wrapDomain)
	b = append(b, envelopeV1)
	b = lenPrefixed(b, keyID)
	return lenPrefixed(b, connectionID)
}

func dataAAD(connectionID string) []byte {
	b := lenPrefixed(nil, dataDomain)
	b = append(b, envelopeV1)
	return lenPrefixed(b, connectionID)
}

// tokenPayload is the plaintext of an envelope.
type tokenPayload struct {
	AccessToken  string    `json:"a,omitempty"`
	RefreshToken string    `json:"r,omitempty"`
	TokenType    string    `json:"t,omitempty"`
	Expiry       time.Time `json:"e,omitzero"`
	Scope        string    `json:"s,omitempty"`
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	// crypto/rand.Read never returns an error (Go ≥ 1.24: it crashes the
	// program irrecoverably instead).
	_, _ = rand.Read(b)
	return b
}

// sealEnvelope encrypts plain under a fresh random data key and wraps the
// data key under the primary key. wrapAD returns the associated data of the
// wrapped data key for a key id; dataAD is that of plain. Both bind the
// envelope to what it holds (a connection's token, an app secret).
func (r *Keyring) sealEnvelope(plain []byte, wrapAD func(keyID string) []byte, dataAD []byte) (envelope, error) {
	dek := randomBytes(dekSize)
	defer clear(dek)
	dataAEAD, err := newGCM(dek)
	if err != nil {
		return envelope{}, err
	}
	e := envelope{
		keyID:     r.primary.id,
		wrapNonce: randomBytes(nonceSize),
		dataNonce: randomBytes(nonceSize),
	}
	e.sealed = dataAEAD.Seal(nil, e.dataNonce, plain, dataAD)
	e.wrappedDEK = r.primary.aead.Seal(nil, e.wrapNonce, dek, wrapAD(e.keyID))
	return e, nil
}

// openDEK parses blob's envelope and recovers its data key. rowKeyID is the
// key id stored next to the blob ("" when unknown); what names the subject
// in error messages ("token of connection …") and never holds secrets.
func (r *Keyring) openDEK(what, rowKeyID string, blob []byte, wrapAD func(keyID string) []byte) (envelope, []byte, error) {
	e, err := parseEnvelope(blob)
	if err != nil {
		return envelope{}, nil, fmt.Errorf("oauthflow: open %s: %s: %w", what, err, ErrDecrypt)
	}
	if rowKeyID != "" && rowKeyID != e.keyID {
		return envelope{}, nil, fmt.Errorf("oauthflow: open %s: key id of row and envelope differ: %w", what, ErrDecrypt)
	}
	k, ok := r.keys[e.keyID]
	if !ok {
		return envelope{}, nil, fmt.Errorf("oauthflow: open %s: key %q: %w", what, e.keyID, ErrUnknownKey)
	}
	dek, err := k.aead.Open(nil, e.wrapNonce, e.wrappedDEK, wrapAD(e.keyID))
	if err != nil {
		return envelope{}, nil, fmt.Errorf("oauthflow: open %s: data key failed authentication: %w", what, ErrDecrypt)
	}
	return e, dek, nil
}

// openData decrypts the payload of e with its data key; payload names it in
// error messages ("token", "secret").
func openData(what, payload string, e envelope, dek, dataAD []byte) ([]byte, error) {
	dataAEAD, err := newGCM(dek)
	if err != nil {
		return nil, fmt.Errorf("oauthflow: open %s: %w", what, ErrDecrypt)
	}
	plain, err := dataAEAD.Open(nil, e.dataNonce, e.sealed, dataAD)
	if err != nil {
		return nil, fmt.Errorf("oauthflow: open %s: %s failed authentication: %w", what, payload, ErrDecrypt)
	}
	return plain, nil
}

// rewrapEnvelope re-wraps e's data key under the primary key and returns the
// new envelope bytes.
func (r *Keyring) rewrapEnvelope(e envelope, dek []byte, wrapAD func(keyID string) []byte) []byte {
	e.keyID = r.primary.id
	e.wrapNonce = randomBytes(nonceSize)
	e.wrappedDEK = r.primary.aead.Seal(nil, e.wrapNonce, dek, wrapAD(e.keyID))
	return e.marshal()
}

// tokenWrapAD returns the wrap associated data of a connection's token.
func tokenWrapAD(connectionID string) func(keyID string) []byte {
	return func(keyID string) []byte { return wrapAAD(keyID, connectionID) }
}

// Seal encrypts tok for the connection under the primary key: a fresh
// random data key encrypts the token, and the primary key wraps the data
// key. The result's ExpiresAt is tok.Expiry in UTC (zero when unknown).
// Safe for concurrent use.
func (r *Keyring) Seal(connectionID string, tok *oauth2.Token) (wearables.EncryptedToken, error) {
	if connectionID == "" || tok == nil {
		return wearables.EncryptedToken{}, fmt.Errorf("oauthflow: seal token: empty connection id or nil token: %w", wearables.ErrInvalid)
	}
	p := tokenPayload{
		AccessToken:  tok.AccessToken,
		RefreshToken: tok.RefreshToken,
		TokenType:    tok.TokenType,
		Expiry:       tok.Expiry.UTC().Truncate(wearables.TimePrecision),
		Scope:        scopeOf(tok),
	}
	plain, err := json.Marshal(p)
	if err != nil {
		return wearables.EncryptedToken{}, fmt.Errorf("oauthflow: seal token: %w", err)
	}
	defer clear(plain)
	e, err := r.sealEnvelope(plain, tokenWrapAD(connectionID), dataAAD(connectionID))
	if err != nil {
		return wearables.EncryptedToken{}, fmt.Errorf("oauthflow: seal token: %w", err)
	}
	return wearables.EncryptedToken{
		ConnectionID: connectionID,
		KeyID:        e.keyID,
		Ciphertext:   e.marshal(),
		ExpiresAt:    p.Expiry,
	}, nil
}

// unwrap parses et's envelope and recovers its data key.
func (r *Keyring) unwrap(et wearables.EncryptedToken) (envelope, []byte, error) {
	return r.openDEK("token of connection "+et.ConnectionID, et.KeyID, et.Ciphertext, tokenWrapAD(et.ConnectionID))
}

// Open decrypts a stored token. Every failure — a flipped bit anywhere, a
// blob copied from another connection, a key id that is not loaded (then
// the error also matches ErrUnknownKey) — returns an error matching
// ErrDecrypt. Safe for concurrent use.
func (r *Keyring) Open(et wearables.EncryptedToken) (*oauth2.Token, error) {
	e, dek, err := r.unwrap(et)
	if err != nil {
		return nil, err
	}
	defer clear(dek)
	plain, err := openData("token of connection "+et.ConnectionID, "token", e, dek, dataAAD(et.ConnectionID))
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	var p tokenPayload
	if err := json.Unmarshal(plain, &p); err != nil {
		return nil, fmt.Errorf("oauthflow: open token of connection %s: malformed payload: %w", et.ConnectionID, ErrDecrypt)
	}
	tok := &oauth2.Token{
		AccessToken:  p.AccessToken,
		RefreshToken: p.RefreshToken,
		TokenType:    p.TokenType,
		Expiry:       p.Expiry,
	}
	if p.Scope != "" {
		tok = tok.WithExtra(map[string]any{"scope": p.Scope})
	}
	return tok, nil
}

// Rewrap re-wraps et's data key under the primary key. The token itself is
// neither decrypted nor re-encrypted; the data key is authenticated against
// et's connection on the way. It returns et unchanged when it is already
// wrapped by the primary key. Errors match ErrDecrypt. Safe for concurrent
// use.
func (r *Keyring) Rewrap(et wearables.EncryptedToken) (wearables.EncryptedToken, error) {
	e, dek, err := r.unwrap(et)
	if err != nil {
		return wearables.EncryptedToken{}, err
	}
	defer clear(dek)
	if e.keyID == r.primary.id {
		return et, nil
	}
	out := et
	out.KeyID = r.primary.id
	out.Ciphertext = r.rewrapEnvelope(e, dek, tokenWrapAD(et.ConnectionID))
	return out, nil
}

// scopeOf returns the "scope" extra of a token response, if any.
func scopeOf(tok *oauth2.Token) string {
	if s, ok := tok.Extra("scope").(string); ok {
		return s
	}
	return ""
}
