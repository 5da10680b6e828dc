package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/keycount"
)

const appSecretCols = `provider, name, key_id, ciphertext, updated_us`

func scanAppSecret(sc interface{ Scan(...any) error }) (wearables.AppSecret, error) {
	var (
		s  wearables.AppSecret
		up int64
	)
	if err := sc.Scan(&s.Provider, &s.Name, &s.KeyID, &s.Ciphertext, &up); err != nil {
		return s, err
	}
	s.UpdatedAt = fromMicros(up)
	return s, nil
}

// nonNil stores a nil ciphertext as an empty BLOB (the column is NOT NULL).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// PutAppSecret stores sec under (Provider, Name), replacing any earlier
// value, and sets UpdatedAt. ErrInvalid when sec.Validate fails.
func (s *Store) PutAppSecret(ctx context.Context, sec wearables.AppSecret) error {
	if err := sec.Validate(); err != nil {
		return fmt.Errorf("sqlitestore: put app secret: %w", err)
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO app_secrets (`+appSecretCols+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (provider, name) DO UPDATE SET key_id = excluded.key_id, ciphertext = excluded.ciphertext,
			updated_us = excluded.updated_us`,
		sec.Provider, sec.Name, sec.KeyID, nonNil(sec.Ciphertext), micros(s.nowUTC()))
	if err != nil {
		return fmt.Errorf("sqlitestore: put app secret: %w", err)
	}
	return nil
}

// ReplaceAppSecret stores next in place of prev while the stored value is
// still prev (same KeyID and Ciphertext), in one write transaction.
// ErrConflict when another value is stored, ErrNotFound when none is,
// ErrInvalid when next fails Validate or names another secret than prev.
func (s *Store) ReplaceAppSecret(ctx context.Context, prev, next wearables.AppSecret) error {
	if err := next.Validate(); err != nil {
		return fmt.Errorf("sqlitestore: replace app secret: %w", err)
	}
	if next.Provider != prev.Provider || next.Name != prev.Name {
		return fmt.Errorf("sqlitestore: replace app secret: %w", invalid("Name", "next is %s/%s, prev %s/%s", next.Provider, next.Name, prev.Provider, prev.Name))
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE app_secrets SET key_id = ?, ciphertext = ?, updated_us = ?
			WHERE provider = ? AND name = ? AND key_id = ? AND ciphertext = ?`,
			next.KeyID, nonNil(next.Ciphertext), micros(s.nowUTC()), prev.Provider, prev.Name, prev.KeyID, nonNil(prev.Ciphertext))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM app_secrets WHERE provider = ? AND name = ?`, prev.Provider, prev.Name).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("app secret", string(prev.Provider)+"/"+prev.Name)
		}
		if err != nil {
			return err
		}
		return fmt.Errorf("app secret %s/%s changed meanwhile: %w", prev.Provider, prev.Name, wearables.ErrConflict)
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: replace app secret: %w", err)
	}
	return nil
}

// GetAppSecret returns the provider's secret name. ErrNotFound when there
// is none.
func (s *Store) GetAppSecret(ctx context.Context, provider wearables.ProviderID, name string) (wearables.AppSecret, error) {
	sec, err := scanAppSecret(s.r.QueryRowContext(ctx, `SELECT `+appSecretCols+` FROM app_secrets WHERE provider = ? AND name = ?`, provider, name))
	if errors.Is(err, sql.ErrNoRows) {
		return sec, fmt.Errorf("sqlitestore: get app secret: %w", notFound("app secret", string(provider)+"/"+name))
	}
	if err != nil {
		return sec, fmt.Errorf("sqlitestore: get app secret: %w", err)
	}
	return sec, nil
}

// DeleteAppSecret removes the provider's secret name; deleting one that
// does not exist is not an error.
func (s *Store) DeleteAppSecret(ctx context.Context, provider wearables.ProviderID, name string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM app_secrets WHERE provider = ? AND name = ?`, provider, name); err != nil {
		return fmt.Errorf("sqlitestore: delete app secret: %w", err)
	}
	return nil
}

// ListAppSecrets returns every stored secret ordered by (Provider, Name).
func (s *Store) ListAppSecrets(ctx context.Context) ([]wearables.AppSecret, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+appSecretCols+` FROM app_secrets ORDER BY provider, name`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: list app secrets: %w", err)
	}
	defer rows.Close()
	var out []wearables.AppSecret
	for rows.Next() {
		sec, err := scanAppSecret(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlitestore: list app secrets: %w", err)
		}
		out = append(out, sec)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: list app secrets: %w", err)
	}
	return out, nil
}

// CountAppSecretsByKey returns how many stored secrets each key id wraps.
func (s *Store) CountAppSecretsByKey(ctx context.Context) (map[string]int, error) {
	out, err := keycount.Count(ctx, s.r, "app_secrets")
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: count app secrets by key: %w", err)
	}
	return out, nil
}
