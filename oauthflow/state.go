package oauthflow

import (
	"context"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/wearables-go/wearables"
)

// stateSize is the number of random bytes in a state parameter (256 bits).
const stateSize = 32

// stateRetention is how long after its expiry a pending state, and the
// marker of a used one, is kept, so that a late or repeated callback is
// reported as ErrStateExpired or ErrStateReplayed rather than ErrStateUnknown.
const stateRetention = time.Hour

// stateInfo is the HKDF info string that derives, from the state parameter,
// the lookup key, the used-marker key and the payload encryption key.
const stateInfo = "wearables/oauthflow/state/v1"

// usedMarker is the payload of the marker stored when a state is used.
var usedMarker = []byte("used")

// statePayload is what a pending authorization remembers. It is stored
// encrypted under a key derived from the state parameter, so the state
// store (a database table, Redis) learns nothing from it — not the user,
// not the PKCE verifier — without the state itself.
type statePayload struct {
	UserID      string               `json:"u"`
	Provider    wearables.ProviderID `json:"p"`
	RedirectURI string               `json:"r"`
	Verifier    string               `json:"cv,omitempty"`
	Scopes      []string             `json:"sc,omitempty"`
	IssuedAt    time.Time            `json:"iat"`
	ExpiresAt   time.Time            `json:"exp"`
}

// stateKeys are derived from one state parameter.
type stateKeys struct {
	lookup string // AuthState.Key of the pending state
	used   string // AuthState.Key of the marker left once it is used
	aead   cipher.AEAD
}

// newStateParam returns a fresh state parameter: 32 bytes from crypto/rand,
// base64url without padding (43 characters).
func newStateParam() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(stateSize))
}

// deriveStateKeys derives the keys of a state parameter. A parameter that
// is not 32 bytes of base64url was never issued here: ErrStateUnknown.
func deriveStateKeys(state string) (stateKeys, error) {
	raw, err := base64.RawURLEncoding.DecodeString(state)
	if err != nil || len(raw) != stateSize {
		return stateKeys{}, ErrStateUnknown
	}
	k, err := hkdf.Key(sha256.New, raw, nil, stateInfo, 96)
	if err != nil {
		return stateKeys{}, fmt.Errorf("oauthflow: derive state keys: %w", err)
	}
	aead, err := newGCM(k[64:])
	if err != nil {
		return stateKeys{}, fmt.Errorf("oauthflow: derive state keys: %w", err)
	}
	return stateKeys{
		lookup: "s1." + hex.EncodeToString(k[:32]),
		used:   "u1." + hex.EncodeToString(k[32:64]),
		aead:   aead,
	}, nil
}

func (k stateKeys) seal(p statePayload) ([]byte, error) {
	plain, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	nonce := randomBytes(nonceSize)
	return k.aead.Seal(nonce, nonce, plain, []byte(k.lookup)), nil
}

func (k stateKeys) open(data []byte) (statePayload, error) {
	var p statePayload
	if len(data) < nonceSize+tagSize {
		return p, ErrStateUnknown
	}
	plain, err := k.aead.Open(nil, data[:nonceSize], data[nonceSize:], []byte(k.lookup))
	if err != nil {
		return p, ErrStateUnknown
	}
	if err := json.Unmarshal(plain, &p); err != nil {
		return p, ErrStateUnknown
	}
	return p, nil
}

// MemoryStateStore is an in-memory wearables.AuthStateStore for a single
// process (tests, examples, the embedded default). Expired states are
// dropped lazily. Safe for concurrent use.
//
// The other implementations are every wearables.Store (a table in the
// database) and package oauthflow/redisstate.
type MemoryStateStore struct {
	mu     sync.Mutex
	states map[string]wearables.AuthState
	now    func() time.Time
	puts   int
}

// NewMemoryStateStore returns an empty store.
func NewMemoryStateStore() *MemoryStateStore {
	return &MemoryStateStore{states: make(map[string]wearables.AuthState), now: time.Now}
}

// PutAuthState stores s. It returns an error matching wearables.ErrConflict
// when an unexpired state with the same key exists.
func (m *MemoryStateStore) PutAuthState(_ context.Context, s wearables.AuthState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if old, ok := m.states[s.Key]; ok && now.Before(old.ExpiresAt) {
		return fmt.Errorf("oauthflow: put auth state: %w", wearables.ErrConflict)
	}
	s.Data = append([]byte(nil), s.Data...)
	m.states[s.Key] = s
	// Sweep expired states now and then so abandoned authorizations do not
	// accumulate.
	if m.puts++; m.puts%1024 == 0 {
		for k, v := range m.states {
			if !now.Before(v.ExpiresAt) {
				delete(m.states, k)
			}
		}
	}
	return nil
}

// TakeAuthState removes and returns the state under key. It returns an
// error matching wearables.ErrNotFound when the key is absent or expired.
func (m *MemoryStateStore) TakeAuthState(_ context.Context, key string) (wearables.AuthState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.states[key]
	if !ok {
		return wearables.AuthState{}, fmt.Errorf("oauthflow: take auth state: %w", wearables.ErrNotFound)
	}
	delete(m.states, key)
	if !m.now().Before(s.ExpiresAt) {
		return wearables.AuthState{}, fmt.Errorf("oauthflow: take auth state: %w", wearables.ErrNotFound)
	}
	return s, nil
}

// Len returns how many states are stored, expired ones included until they
// are swept.
func (m *MemoryStateStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.states)
}

var _ wearables.AuthStateStore = (*MemoryStateStore)(nil)
