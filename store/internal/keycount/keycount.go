// Package keycount counts sealed rows per encryption key id for the SQL
// stores (tokens, app secrets), so CheckKeys can refuse a keyring that
// lacks a key still in use.
package keycount

import (
	"context"
	"database/sql"
)

// Queryer is the part of *sql.DB (and *sqlx.DB) that Count needs.
type Queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Count returns how many rows of table each key_id wraps.
func Count(ctx context.Context, db Queryer, table string) (map[string]int, error) {
	rows, err := db.QueryContext(ctx, `SELECT key_id, count(*) FROM `+table+` GROUP BY key_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var (
			k string
			n int
		)
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}
