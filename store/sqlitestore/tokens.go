package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/keycount"
	"github.com/wearables-go/wearables/store/internal/pagecursor"
)

const tokenCols = `connection_id, key_id, ciphertext, expires_us, updated_us`

func scanToken(sc interface{ Scan(...any) error }) (wearables.EncryptedToken, error) {
	var (
		t   wearables.EncryptedToken
		exp sql.NullInt64
		up  int64
	)
	if err := sc.Scan(&t.ConnectionID, &t.KeyID, &t.Ciphertext, &exp, &up); err != nil {
		return t, err
	}
	t.ExpiresAt, t.UpdatedAt = fromNullMicros(exp), fromMicros(up)
	return t, nil
}

func putToken(ctx context.Context, db execer, t wearables.EncryptedToken, now time.Time) error {
	ct := t.Ciphertext
	if ct == nil {
		ct = []byte{}
	}
	_, err := db.ExecContext(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (connection_id) DO UPDATE SET key_id = excluded.key_id, ciphertext = excluded.ciphertext,
			expires_us = excluded.expires_us, updated_us = excluded.updated_us`,
		t.ConnectionID, t.KeyID, ct, nullMicros(t.ExpiresAt), micros(now))
	return err
}

// PutToken stores t for its connection, replacing any earlier token, and
// sets UpdatedAt. ErrNotFound when the connection does not exist.
func (s *Store) PutToken(ctx context.Context, t wearables.EncryptedToken) error {
	if err := putToken(ctx, s.w, t, s.nowUTC()); err != nil {
		if isForeignKey(err) {
			return fmt.Errorf("sqlitestore: put token: %w", notFound("connection", t.ConnectionID))
		}
		return fmt.Errorf("sqlitestore: put token: %w", err)
	}
	return nil
}

// GetToken returns the connection's token. ErrNotFound when it has none.
func (s *Store) GetToken(ctx context.Context, connectionID string) (wearables.EncryptedToken, error) {
	t, err := scanToken(s.r.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE connection_id = ?`, connectionID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("sqlitestore: get token: %w", notFound("token of connection", connectionID))
	}
	if err != nil {
		return t, fmt.Errorf("sqlitestore: get token: %w", err)
	}
	return t, nil
}

// DeleteToken removes the connection's token; deleting a token that does not
// exist is not an error.
func (s *Store) DeleteToken(ctx context.Context, connectionID string) error {
	if _, err := s.w.ExecContext(ctx, `DELETE FROM tokens WHERE connection_id = ?`, connectionID); err != nil {
		return fmt.Errorf("sqlitestore: delete token: %w", err)
	}
	return nil
}

// UpdateToken calls fn with the stored token inside a write transaction
// (BEGIN IMMEDIATE), which excludes every other writer of the database — in
// this process and in every other process sharing the file — and applies
// the update fn returns in the same transaction. When fn returns an error,
// nothing is written and that error is returned (wrapped). ErrNotFound (fn
// not called) when the connection has no token.
//
// fn runs while the store's single writer connection is held: it may read
// through the store (except on a ":memory:" store, where reads share that
// connection), but a write through the store from inside fn waits for fn
// and so never returns. Keep fn short: every other write waits for it.
func (s *Store) UpdateToken(ctx context.Context, connectionID string, fn func(ctx context.Context, current wearables.EncryptedToken) (wearables.TokenUpdate, error)) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		cur, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE connection_id = ?`, connectionID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("token of connection", connectionID)
		}
		if err != nil {
			return err
		}
		up, err := fn(ctx, cur)
		if err != nil {
			return err
		}
		if up.Status != "" && !up.Status.Valid() {
			return invalid("Status", "unknown status %q", up.Status)
		}
		now := s.nowUTC()
		switch {
		case up.Delete:
			if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE connection_id = ?`, connectionID); err != nil {
				return err
			}
		case up.Token != nil:
			t := *up.Token
			t.ConnectionID = connectionID
			if err := putToken(ctx, tx, t, now); err != nil {
				return err
			}
		}
		if up.Status != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE connections SET status = ?, status_reason = ?, updated_us = ? WHERE id = ?`,
				up.Status, up.Reason, micros(now), connectionID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: update token: %w", err)
	}
	return nil
}

// ListTokens returns a page of stored tokens ordered by connection id,
// optionally only those wrapped by another key than q.NotKeyID. ErrInvalid
// for a malformed cursor or limit.
func (s *Store) ListTokens(ctx context.Context, q wearables.TokenQuery) (wearables.Page[wearables.EncryptedToken], error) {
	var page wearables.Page[wearables.EncryptedToken]
	limit, err := pagecursor.Limit(q.Limit)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: list tokens: %w", err)
	}
	after := ""
	if q.Cursor != "" {
		parts, err := pagecursor.Decode(q.Cursor, 1)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: list tokens: %w", err)
		}
		after = parts[0]
	}
	query := `SELECT ` + tokenCols + ` FROM tokens WHERE connection_id > ?`
	args := []any{after}
	if q.NotKeyID != "" {
		query += ` AND key_id <> ?`
		args = append(args, q.NotKeyID)
	}
	query += ` ORDER BY connection_id LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return page, fmt.Errorf("sqlitestore: list tokens: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return page, fmt.Errorf("sqlitestore: list tokens: %w", err)
		}
		page.Items = append(page.Items, t)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("sqlitestore: list tokens: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = pagecursor.Encode(page.Items[limit-1].ConnectionID)
	}
	return page, nil
}

// CountTokensByKey returns how many stored tokens each key id wraps.
func (s *Store) CountTokensByKey(ctx context.Context) (map[string]int, error) {
	out, err := keycount.Count(ctx, s.r, "tokens")
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: count tokens by key: %w", err)
	}
	return out, nil
}
