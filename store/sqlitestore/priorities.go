package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wearables-go/wearables"
)

// GetSourcePriorities returns the user's source priorities in the order
// they were set; none (or no such user) is an empty slice, not an error.
func (s *Store) GetSourcePriorities(ctx context.Context, userID string) ([]wearables.SourcePriority, error) {
	var doc string
	err := s.r.QueryRowContext(ctx, `SELECT p.doc FROM source_priorities p JOIN users u ON u.pk = p.user_pk WHERE u.id = ?`, userID).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return []wearables.SourcePriority{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: get source priorities: %w", err)
	}
	out := []wearables.SourcePriority{}
	if err := json.Unmarshal([]byte(doc), &out); err != nil {
		return nil, fmt.Errorf("sqlitestore: get source priorities: decode: %w", err)
	}
	return out, nil
}

// SetSourcePriorities replaces all of the user's priorities with p (an empty
// p removes them). ErrNotFound when the user does not exist; ErrInvalid
// when p fails wearables.ValidatePriorities.
func (s *Store) SetSourcePriorities(ctx context.Context, userID string, p []wearables.SourcePriority) error {
	if err := wearables.ValidatePriorities(p); err != nil {
		return fmt.Errorf("sqlitestore: set source priorities: %w", err)
	}
	if p == nil {
		p = []wearables.SourcePriority{}
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("sqlitestore: set source priorities: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var pk int64
		err := tx.QueryRowContext(ctx, `SELECT pk FROM users WHERE id = ?`, userID).Scan(&pk)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", userID)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO source_priorities (user_pk, doc) VALUES (?, ?)
			ON CONFLICT (user_pk) DO UPDATE SET doc = excluded.doc`, pk, string(doc))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: set source priorities: %w", err)
	}
	return nil
}

// PutAuthState stores a pending authorization. ErrConflict when the key
// exists (even if that state has expired but was not yet taken).
func (s *Store) PutAuthState(ctx context.Context, st wearables.AuthState) error {
	if st.Key == "" {
		return fmt.Errorf("sqlitestore: put auth state: %w", invalid("Key", "key is empty"))
	}
	data := st.Data
	if data == nil {
		data = []byte{}
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO auth_states (key, data, expires_us) VALUES (?, ?, ?)`, st.Key, data, micros(st.ExpiresAt))
	if isUnique(err) {
		return fmt.Errorf("sqlitestore: put auth state: %w", wearables.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlitestore: put auth state: %w", err)
	}
	return nil
}

// TakeAuthState atomically deletes and returns the state stored under key:
// of concurrent calls with one key at most one succeeds. ErrNotFound when
// the key is absent or the state has expired (it is deleted all the same).
func (s *Store) TakeAuthState(ctx context.Context, key string) (wearables.AuthState, error) {
	st := wearables.AuthState{Key: key}
	var exp int64
	err := s.w.QueryRowContext(ctx, `DELETE FROM auth_states WHERE key = ? RETURNING data, expires_us`, key).Scan(&st.Data, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return wearables.AuthState{}, fmt.Errorf("sqlitestore: take auth state: no such state: %w", wearables.ErrNotFound)
	}
	if err != nil {
		return wearables.AuthState{}, fmt.Errorf("sqlitestore: take auth state: %w", err)
	}
	st.ExpiresAt = fromMicros(exp)
	if !s.now().Before(st.ExpiresAt) {
		return wearables.AuthState{}, fmt.Errorf("sqlitestore: take auth state: expired: %w", wearables.ErrNotFound)
	}
	return st, nil
}

// DeleteExpiredAuthStates removes every auth state that expired before now
// and returns how many it removed. Expired states are harmless (TakeAuthState
// refuses them); this only reclaims space.
func (s *Store) DeleteExpiredAuthStates(ctx context.Context) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM auth_states WHERE expires_us <= ?`, micros(s.now()))
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: delete expired auth states: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
