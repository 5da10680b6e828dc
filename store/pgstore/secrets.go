package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/keycount"
)

type appSecretRow struct {
	Provider   string    `db:"provider"`
	Name       string    `db:"name"`
	KeyID      string    `db:"key_id"`
	Ciphertext []byte    `db:"ciphertext"`
	UpdatedAt  time.Time `db:"updated_at"`
}

func (r appSecretRow) appSecret() wearables.AppSecret {
	return wearables.AppSecret{
		Provider:   wearables.ProviderID(r.Provider),
		Name:       r.Name,
		KeyID:      r.KeyID,
		Ciphertext: r.Ciphertext,
		UpdatedAt:  r.UpdatedAt.UTC(),
	}
}

const appSecretCols = `provider, name, key_id, ciphertext, updated_at`

// nonNil stores a nil ciphertext as an empty bytea (the column is NOT NULL).
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
		return fmt.Errorf("pgstore: put app secret: %w", err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO app_secrets (`+appSecretCols+`) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (provider, name) DO UPDATE SET key_id = excluded.key_id, ciphertext = excluded.ciphertext,
			updated_at = excluded.updated_at`,
		string(sec.Provider), sec.Name, sec.KeyID, nonNil(sec.Ciphertext), s.nowUTC())
	if err != nil {
		return fmt.Errorf("pgstore: put app secret: %w", err)
	}
	return nil
}

// ReplaceAppSecret stores next in place of prev while the stored value is
// still prev (same KeyID and Ciphertext), with one conditional UPDATE.
// ErrConflict when another value is stored, ErrNotFound when none is,
// ErrInvalid when next fails Validate or names another secret than prev.
func (s *Store) ReplaceAppSecret(ctx context.Context, prev, next wearables.AppSecret) error {
	if err := next.Validate(); err != nil {
		return fmt.Errorf("pgstore: replace app secret: %w", err)
	}
	if next.Provider != prev.Provider || next.Name != prev.Name {
		return fmt.Errorf("pgstore: replace app secret: %w", invalid("Name", "next is %s/%s, prev %s/%s", next.Provider, next.Name, prev.Provider, prev.Name))
	}
	res, err := s.db.ExecContext(ctx, `UPDATE app_secrets SET key_id = $1, ciphertext = $2, updated_at = $3
		WHERE provider = $4 AND name = $5 AND key_id = $6 AND ciphertext = $7`,
		next.KeyID, nonNil(next.Ciphertext), s.nowUTC(), string(prev.Provider), prev.Name, prev.KeyID, nonNil(prev.Ciphertext))
	if err != nil {
		return fmt.Errorf("pgstore: replace app secret: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("pgstore: replace app secret: %w", err)
	} else if n == 1 {
		return nil
	}
	var one int
	err = s.db.QueryRowContext(ctx, `SELECT 1 FROM app_secrets WHERE provider = $1 AND name = $2`, string(prev.Provider), prev.Name).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("pgstore: replace app secret: %w", notFound("app secret", string(prev.Provider)+"/"+prev.Name))
	case err != nil:
		return fmt.Errorf("pgstore: replace app secret: %w", err)
	}
	return fmt.Errorf("pgstore: replace app secret %s/%s: changed meanwhile: %w", prev.Provider, prev.Name, wearables.ErrConflict)
}

// GetAppSecret returns the provider's secret name. ErrNotFound when there
// is none.
func (s *Store) GetAppSecret(ctx context.Context, provider wearables.ProviderID, name string) (wearables.AppSecret, error) {
	var r appSecretRow
	err := s.db.GetContext(ctx, &r, `SELECT `+appSecretCols+` FROM app_secrets WHERE provider = $1 AND name = $2`, string(provider), name)
	if errors.Is(err, sql.ErrNoRows) {
		return wearables.AppSecret{}, fmt.Errorf("pgstore: get app secret: %w", notFound("app secret", string(provider)+"/"+name))
	} else if err != nil {
		return wearables.AppSecret{}, fmt.Errorf("pgstore: get app secret: %w", err)
	}
	return r.appSecret(), nil
}

// DeleteAppSecret removes the provider's secret name; deleting one that
// does not exist is not an error.
func (s *Store) DeleteAppSecret(ctx context.Context, provider wearables.ProviderID, name string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM app_secrets WHERE provider = $1 AND name = $2`, string(provider), name); err != nil {
		return fmt.Errorf("pgstore: delete app secret: %w", err)
	}
	return nil
}

// ListAppSecrets returns every stored secret ordered by (Provider, Name).
func (s *Store) ListAppSecrets(ctx context.Context) ([]wearables.AppSecret, error) {
	var rows []appSecretRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+appSecretCols+` FROM app_secrets ORDER BY provider, name`); err != nil {
		return nil, fmt.Errorf("pgstore: list app secrets: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]wearables.AppSecret, len(rows))
	for i, r := range rows {
		out[i] = r.appSecret()
	}
	return out, nil
}

// CountAppSecretsByKey returns how many stored secrets each key id wraps.
func (s *Store) CountAppSecretsByKey(ctx context.Context) (map[string]int, error) {
	out, err := keycount.Count(ctx, s.db, "app_secrets")
	if err != nil {
		return nil, fmt.Errorf("pgstore: count app secrets by key: %w", err)
	}
	return out, nil
}
