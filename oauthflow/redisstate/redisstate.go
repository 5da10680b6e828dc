// Package redisstate keeps pending OAuth authorizations of package oauthflow
// in Redis, for deployments where several server processes share Redis but
// should not write short-lived states into the database.
//
// Each state is one key set with SET NX and an absolute expiry (PXAT), and
// taken with GETDEL, so it is usable exactly once even when two callbacks
// race, and Redis drops abandoned states by itself.
package redisstate

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wearables-go/wearables"
)

// DefaultPrefix is the key prefix used when New gets an empty one.
const DefaultPrefix = "wearables:oauthstate:"

// Store is a wearables.AuthStateStore on Redis. It is safe for concurrent
// use.
type Store struct {
	c      redis.UniversalClient
	prefix string
	now    func() time.Time
}

// New returns a store that keeps states under prefix (DefaultPrefix when
// empty) through client. The caller owns the client.
func New(client redis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Store{c: client, prefix: prefix, now: time.Now}
}

// The stored value is the expiry (Unix microseconds, 8 bytes big-endian)
// followed by the payload, so TakeAuthState can return ExpiresAt.
const headerSize = 8

// PutAuthState stores s until s.ExpiresAt. It returns an error matching
// wearables.ErrConflict when the key exists, and stores nothing (returning
// nil) when s has already expired: such a state is as good as absent.
func (s *Store) PutAuthState(ctx context.Context, st wearables.AuthState) error {
	if !s.now().Before(st.ExpiresAt) {
		return nil
	}
	val := binary.BigEndian.AppendUint64(make([]byte, 0, headerSize+len(st.Data)), uint64(st.ExpiresAt.UnixMicro()))
	val = append(val, st.Data...)
	err := s.c.SetArgs(ctx, s.prefix+st.Key, val, redis.SetArgs{Mode: "NX", ExpireAt: st.ExpiresAt}).Err()
	if errors.Is(err, redis.Nil) {
		return fmt.Errorf("redisstate: put auth state: %w", wearables.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("redisstate: put auth state: %w", err)
	}
	return nil
}

// TakeAuthState atomically removes and returns the state (GETDEL): of
// concurrent takes of one key at most one succeeds. It returns an error
// matching wearables.ErrNotFound when the key is absent or expired.
func (s *Store) TakeAuthState(ctx context.Context, key string) (wearables.AuthState, error) {
	b, err := s.c.GetDel(ctx, s.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return wearables.AuthState{}, fmt.Errorf("redisstate: take auth state: %w", wearables.ErrNotFound)
	}
	if err != nil {
		return wearables.AuthState{}, fmt.Errorf("redisstate: take auth state: %w", err)
	}
	if len(b) < headerSize {
		return wearables.AuthState{}, fmt.Errorf("redisstate: take auth state: malformed value: %w", wearables.ErrNotFound)
	}
	st := wearables.AuthState{
		Key:       key,
		Data:      b[headerSize:],
		ExpiresAt: time.UnixMicro(int64(binary.BigEndian.Uint64(b[:headerSize]))).UTC(),
	}
	if !s.now().Before(st.ExpiresAt) {
		return wearables.AuthState{}, fmt.Errorf("redisstate: take auth state: %w", wearables.ErrNotFound)
	}
	return st, nil
}

var _ wearables.AuthStateStore = (*Store)(nil)
