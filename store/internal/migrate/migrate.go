// Package migrate applies the embedded SQL migrations of the SQL stores.
//
// Migrations are files named NNNN_name.up.sql and NNNN_name.down.sql in an
// fs.FS. Each runs in its own transaction together with the row that records
// it in the schema_migrations table, so a failed migration leaves nothing
// behind and running Up twice is a no-op.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// Migration is one schema change.
type Migration struct {
	Version int
	Name    string
	Up      string
	Down    string
}

// Status is a migration and whether it is applied.
type Status struct {
	Version   int
	Name      string
	Applied   bool
	AppliedAt time.Time // zero when not applied
}

// Dialect holds what differs between databases.
type Dialect struct {
	// Placeholder returns the n-th (1-based) bind parameter: "$1" or "?".
	Placeholder func(n int) string
	// LockSQL, when set, runs first in every migration transaction to
	// serialize concurrent migrators (PostgreSQL: an advisory lock).
	LockSQL string
}

// Migrator applies migrations to a database.
type Migrator struct {
	DB         *sql.DB
	Dialect    Dialect
	Migrations []Migration // ordered by version
}

var fileRE = regexp.MustCompile(`^(\d+)_([a-z0-9_]+)\.(up|down)\.sql$`)

// Load reads the migrations in dir of fsys. Every version needs both an up
// and a down file; versions must be unique.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("migrate: read %s: %w", dir, err)
	}
	byVersion := map[int]*Migration{}
	for _, e := range entries {
		m := fileRE.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		v, _ := strconv.Atoi(m[1])
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migrate: read %s: %w", e.Name(), err)
		}
		mig := byVersion[v]
		if mig == nil {
			mig = &Migration{Version: v, Name: m[2]}
			byVersion[v] = mig
		} else if mig.Name != m[2] {
			return nil, fmt.Errorf("migrate: version %d has two names, %q and %q", v, mig.Name, m[2])
		}
		if m[3] == "up" {
			mig.Up = string(body)
		} else {
			mig.Down = string(body)
		}
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		if m.Up == "" || m.Down == "" {
			return nil, fmt.Errorf("migrate: version %d (%s) needs both an up and a down file", m.Version, m.Name)
		}
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// ensureTable creates schema_migrations under the dialect's lock, so
// migrators racing on a fresh database do not collide on the creation
// (PostgreSQL fails concurrent CREATE TABLE IF NOT EXISTS of one table).
func (m *Migrator) ensureTable(ctx context.Context) error {
	tx, err := m.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer tx.Rollback()
	if m.Dialect.LockSQL != "" {
		if _, err := tx.ExecContext(ctx, m.Dialect.LockSQL); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, createTable); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	return nil
}

// Up applies every pending migration in order and returns the versions it
// applied (none when the schema is current).
func (m *Migrator) Up(ctx context.Context) ([]int, error) {
	if err := m.ensureTable(ctx); err != nil {
		return nil, err
	}
	var applied []int
	for _, mig := range m.Migrations {
		done, err := m.apply(ctx, mig, true)
		if err != nil {
			return applied, err
		}
		if done {
			applied = append(applied, mig.Version)
		}
	}
	return applied, nil
}

// Down rolls back the most recently applied migration and returns its
// version, or 0 when nothing is applied.
func (m *Migrator) Down(ctx context.Context) (int, error) {
	if err := m.ensureTable(ctx); err != nil {
		return 0, err
	}
	st, err := m.Status(ctx)
	if err != nil {
		return 0, err
	}
	for i := len(st) - 1; i >= 0; i-- {
		if !st[i].Applied {
			continue
		}
		for _, mig := range m.Migrations {
			if mig.Version == st[i].Version {
				if _, err := m.apply(ctx, mig, false); err != nil {
					return 0, err
				}
				return mig.Version, nil
			}
		}
		return 0, fmt.Errorf("migrate: applied version %d is not known to this binary", st[i].Version)
	}
	return 0, nil
}

// apply runs one migration up or down in a transaction; it reports false
// when there was nothing to do (already applied / not applied).
func (m *Migrator) apply(ctx context.Context, mig Migration, up bool) (bool, error) {
	tx, err := m.DB.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migrate: begin: %w", err)
	}
	defer tx.Rollback()
	if m.Dialect.LockSQL != "" {
		if _, err := tx.ExecContext(ctx, m.Dialect.LockSQL); err != nil {
			return false, fmt.Errorf("migrate: lock: %w", err)
		}
	}
	var one int
	err = tx.QueryRowContext(ctx, "SELECT 1 FROM schema_migrations WHERE version = "+m.Dialect.Placeholder(1), mig.Version).Scan(&one)
	isApplied := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	if isApplied == up {
		return false, nil
	}
	dir, body := "down", mig.Down
	if up {
		dir, body = "up", mig.Up
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return false, fmt.Errorf("migrate: %04d_%s %s: %w", mig.Version, mig.Name, dir, err)
	}
	if up {
		_, err = tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ("+
			m.Dialect.Placeholder(1)+", "+m.Dialect.Placeholder(2)+", "+m.Dialect.Placeholder(3)+")",
			mig.Version, mig.Name, time.Now().UTC().Format(time.RFC3339Nano))
	} else {
		_, err = tx.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = "+m.Dialect.Placeholder(1), mig.Version)
	}
	if err != nil {
		return false, fmt.Errorf("migrate: record %04d_%s: %w", mig.Version, mig.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate: commit %04d_%s: %w", mig.Version, mig.Name, err)
	}
	return true, nil
}

// Status lists every known migration and whether it is applied, plus any
// applied version this binary does not know (Name "unknown").
func (m *Migrator) Status(ctx context.Context) ([]Status, error) {
	if err := m.ensureTable(ctx); err != nil {
		return nil, err
	}
	rows, err := m.DB.QueryContext(ctx, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	defer rows.Close()
	applied := map[int]Status{}
	for rows.Next() {
		var s Status
		var at string
		if err := rows.Scan(&s.Version, &s.Name, &at); err != nil {
			return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
		}
		s.Applied = true
		s.AppliedAt, _ = time.Parse(time.RFC3339Nano, at)
		applied[s.Version] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	out := make([]Status, 0, len(m.Migrations))
	for _, mig := range m.Migrations {
		s, ok := applied[mig.Version]
		if !ok {
			s = Status{Version: mig.Version}
		}
		s.Name = mig.Name
		delete(applied, mig.Version)
		out = append(out, s)
	}
	for _, s := range applied {
		s.Name = "unknown (" + s.Name + ")"
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}
