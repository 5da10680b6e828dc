package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

type userRow struct {
	ID         string         `db:"id"`
	AppID      string         `db:"app_id"`
	ExternalID sql.NullString `db:"external_id"`
	TimeZone   string         `db:"time_zone"`
	CreatedAt  time.Time      `db:"created_at"`
}

func (r userRow) user() wearables.User {
	return wearables.User{ID: r.ID, AppID: r.AppID, ExternalID: r.ExternalID.String, TimeZone: r.TimeZone, CreatedAt: r.CreatedAt.UTC()}
}

const userCols = `id, app_id, external_id, time_zone, created_at`

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// CreateUser stores u, setting u.ID (a new wearables.NewID when empty) and
// u.CreatedAt. Errors: ErrInvalid for an invalid user (see
// wearables.User.Validate), ErrConflict when the ID or AppID+ExternalID is
// taken.
func (s *Store) CreateUser(ctx context.Context, u *wearables.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("pgstore: create user: %w", err)
	}
	id := u.ID
	if id == "" {
		id = wearables.NewID()
	}
	now := s.nowUTC()
	_, err := s.db.ExecContext(ctx, `INSERT INTO users (id, app_id, external_id, time_zone, created_at) VALUES ($1, $2, $3, $4, $5)`,
		id, u.AppID, nullString(u.ExternalID), u.TimeZone, now)
	switch {
	case isUnique(err):
		return fmt.Errorf("pgstore: create user: id or external id taken: %w", wearables.ErrConflict)
	case err != nil:
		return fmt.Errorf("pgstore: create user: %w", err)
	}
	u.ID, u.CreatedAt = id, now
	return nil
}

// GetUser returns the user with the given id, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (wearables.User, error) {
	var r userRow
	err := s.db.GetContext(ctx, &r, `SELECT `+userCols+` FROM users WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return wearables.User{}, fmt.Errorf("pgstore: get user: %w", notFound("user", id))
	} else if err != nil {
		return wearables.User{}, fmt.Errorf("pgstore: get user: %w", err)
	}
	return r.user(), nil
}

// GetUserByExternalID returns the user of application appID with the given
// external id, or ErrNotFound.
func (s *Store) GetUserByExternalID(ctx context.Context, appID, externalID string) (wearables.User, error) {
	var r userRow
	err := s.db.GetContext(ctx, &r, `SELECT `+userCols+` FROM users WHERE app_id = $1 AND external_id = $2`, appID, externalID)
	if errors.Is(err, sql.ErrNoRows) {
		return wearables.User{}, fmt.Errorf("pgstore: get user: %w", notFound("user with external id", externalID))
	} else if err != nil {
		return wearables.User{}, fmt.Errorf("pgstore: get user: %w", err)
	}
	return r.user(), nil
}

// UpdateUser changes the ExternalID and TimeZone of the stored user u.ID.
// Errors: ErrInvalid, ErrNotFound, ErrConflict when the external id is taken
// within the user's application.
func (s *Store) UpdateUser(ctx context.Context, u wearables.User) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("pgstore: update user: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE users SET external_id = $2, time_zone = $3 WHERE id = $1`, u.ID, nullString(u.ExternalID), u.TimeZone)
	switch {
	case isUnique(err):
		return fmt.Errorf("pgstore: update user: external id taken: %w", wearables.ErrConflict)
	case err != nil:
		return fmt.Errorf("pgstore: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("pgstore: update user: %w", notFound("user", u.ID))
	}
	return nil
}

// ListUsers returns a page of the users of q.AppID, ordered by id. Errors:
// ErrInvalid for a bad cursor or limit.
func (s *Store) ListUsers(ctx context.Context, q wearables.UserQuery) (wearables.Page[wearables.User], error) {
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return wearables.Page[wearables.User]{}, fmt.Errorf("pgstore: list users: %w", err)
	}
	after := ""
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return wearables.Page[wearables.User]{}, fmt.Errorf("pgstore: list users: %w", err)
		}
		after = parts[0]
	}
	var rows []userRow
	err = s.db.SelectContext(ctx, &rows, `SELECT `+userCols+` FROM users WHERE app_id = $1 AND id > $2 ORDER BY id LIMIT $3`, q.AppID, after, limit+1)
	if err != nil {
		return wearables.Page[wearables.User]{}, fmt.Errorf("pgstore: list users: %w", err)
	}
	var page wearables.Page[wearables.User]
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = pagecursor.Encode(rows[limit-1].ID)
	}
	page.Items = make([]wearables.User, len(rows))
	for i, r := range rows {
		page.Items[i] = r.user()
	}
	return page, nil
}

// DeleteUser removes the user and every row that belongs to it. Most go by
// ON DELETE CASCADE; samples, which have no foreign key, are deleted first,
// under the same lock on the user row that WriteBatch takes, so no batch
// can add samples to a user being deleted. ErrNotFound when there is no
// such user.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var pk int64
		err := tx.QueryRowContext(ctx, `SELECT pk FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&pk)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM samples WHERE user_pk = $1`, pk); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM users WHERE pk = $1`, pk)
		return err
	})
	if err != nil {
		return fmt.Errorf("pgstore: delete user: %w", err)
	}
	return nil
}

// GetSourcePriorities returns the user's priorities in the order they were
// set; none (also for an unknown user) is an empty slice, not an error.
func (s *Store) GetSourcePriorities(ctx context.Context, userID string) ([]wearables.SourcePriority, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.data_type, p.providers, p.device_types
		FROM source_priorities p JOIN users u ON u.pk = p.user_pk
		WHERE u.id = $1 ORDER BY p.position`, userID)
	if err != nil {
		return nil, fmt.Errorf("pgstore: get source priorities: %w", err)
	}
	defer rows.Close()
	out := []wearables.SourcePriority{}
	for rows.Next() {
		var (
			p         wearables.SourcePriority
			providers []string
			devices   []string
		)
		if err := rows.Scan(&p.DataType, pq.Array(&providers), pq.Array(&devices)); err != nil {
			return nil, fmt.Errorf("pgstore: get source priorities: %w", err)
		}
		for _, v := range providers {
			p.Providers = append(p.Providers, wearables.ProviderID(v))
		}
		for _, v := range devices {
			p.DeviceTypes = append(p.DeviceTypes, wearables.DeviceType(v))
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: get source priorities: %w", err)
	}
	return out, nil
}

// SetSourcePriorities replaces all of the user's priorities with p, keeping
// its order. Errors: ErrInvalid (see wearables.ValidatePriorities),
// ErrNotFound when the user does not exist.
func (s *Store) SetSourcePriorities(ctx context.Context, userID string, p []wearables.SourcePriority) error {
	if err := wearables.ValidatePriorities(p); err != nil {
		return fmt.Errorf("pgstore: set source priorities: %w", err)
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var pk int64
		err := tx.QueryRowContext(ctx, `SELECT pk FROM users WHERE id = $1 FOR NO KEY UPDATE`, userID).Scan(&pk)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", userID)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM source_priorities WHERE user_pk = $1`, pk); err != nil {
			return err
		}
		for i, sp := range p {
			providers := make([]string, len(sp.Providers))
			for j, v := range sp.Providers {
				providers[j] = string(v)
			}
			devices := make([]string, len(sp.DeviceTypes))
			for j, v := range sp.DeviceTypes {
				devices[j] = string(v)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_priorities (user_pk, position, data_type, providers, device_types) VALUES ($1, $2, $3, $4, $5)`,
				pk, i, sp.DataType, pq.Array(providers), pq.Array(devices)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("pgstore: set source priorities: %w", err)
	}
	return nil
}
