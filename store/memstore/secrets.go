package memstore

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/wearables-go/wearables"
)

// secretsState holds the sealed application-wide vendor secrets behind its
// own lock. Its zero value is ready to use.
type secretsState struct {
	mu sync.Mutex
	m  map[secretKey]wearables.AppSecret
}

type secretKey struct {
	provider wearables.ProviderID
	name     string
}

func copyAppSecret(s wearables.AppSecret) wearables.AppSecret {
	s.Ciphertext = bytes.Clone(s.Ciphertext)
	if s.Ciphertext == nil {
		s.Ciphertext = []byte{}
	}
	return s
}

// PutAppSecret stores a copy of sec under (Provider, Name), replacing any
// earlier value, and sets UpdatedAt. ErrInvalid when sec.Validate fails.
func (s *Store) PutAppSecret(_ context.Context, sec wearables.AppSecret) error {
	if err := sec.Validate(); err != nil {
		return fmt.Errorf("memstore: put app secret: %w", err)
	}
	st := &s.secrets
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.m == nil {
		st.m = map[secretKey]wearables.AppSecret{}
	}
	sec = copyAppSecret(sec)
	sec.UpdatedAt = now()
	st.m[secretKey{sec.Provider, sec.Name}] = sec
	return nil
}

// ReplaceAppSecret stores a copy of next in place of prev while the stored
// value is still prev (same KeyID and Ciphertext). ErrConflict when another
// value is stored, ErrNotFound when none is, ErrInvalid when next fails
// Validate or names another secret than prev.
func (s *Store) ReplaceAppSecret(_ context.Context, prev, next wearables.AppSecret) error {
	const op = "replace app secret"
	if err := next.Validate(); err != nil {
		return fmt.Errorf("memstore: %s: %w", op, err)
	}
	if next.Provider != prev.Provider || next.Name != prev.Name {
		return invalid(op, "Name", "next is %s/%s, prev %s/%s", next.Provider, next.Name, prev.Provider, prev.Name)
	}
	st := &s.secrets
	st.mu.Lock()
	defer st.mu.Unlock()
	k := secretKey{prev.Provider, prev.Name}
	cur, ok := st.m[k]
	if !ok {
		return notFound(op, "app secret", string(prev.Provider)+"/"+prev.Name)
	}
	if cur.KeyID != prev.KeyID || !bytes.Equal(cur.Ciphertext, prev.Ciphertext) {
		return conflict(op, "app secret %s/%s changed meanwhile", prev.Provider, prev.Name)
	}
	next = copyAppSecret(next)
	next.UpdatedAt = now()
	st.m[k] = next
	return nil
}

// GetAppSecret returns a copy of the provider's secret name. ErrNotFound
// when there is none.
func (s *Store) GetAppSecret(_ context.Context, provider wearables.ProviderID, name string) (wearables.AppSecret, error) {
	st := &s.secrets
	st.mu.Lock()
	defer st.mu.Unlock()
	sec, ok := st.m[secretKey{provider, name}]
	if !ok {
		return wearables.AppSecret{}, notFound("get app secret", "app secret", string(provider)+"/"+name)
	}
	return copyAppSecret(sec), nil
}

// DeleteAppSecret removes the provider's secret name; deleting one that
// does not exist is not an error.
func (s *Store) DeleteAppSecret(_ context.Context, provider wearables.ProviderID, name string) error {
	st := &s.secrets
	st.mu.Lock()
	defer st.mu.Unlock()
	delete(st.m, secretKey{provider, name})
	return nil
}

// ListAppSecrets returns copies of every stored secret ordered by
// (Provider, Name).
func (s *Store) ListAppSecrets(_ context.Context) ([]wearables.AppSecret, error) {
	st := &s.secrets
	st.mu.Lock()
	out := make([]wearables.AppSecret, 0, len(st.m))
	for _, sec := range st.m {
		out = append(out, copyAppSecret(sec))
	}
	st.mu.Unlock()
	if len(out) == 0 {
		return nil, nil
	}
	slices.SortFunc(out, func(a, b wearables.AppSecret) int {
		if c := strings.Compare(string(a.Provider), string(b.Provider)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// CountAppSecretsByKey returns how many stored secrets each key id wraps.
func (s *Store) CountAppSecretsByKey(_ context.Context) (map[string]int, error) {
	st := &s.secrets
	st.mu.Lock()
	defer st.mu.Unlock()
	counts := map[string]int{}
	for _, sec := range st.m {
		counts[sec.KeyID]++
	}
	return counts, nil
}
