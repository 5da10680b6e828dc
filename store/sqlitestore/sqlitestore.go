// Package sqlitestore is the embedded default wearables.Store: one SQLite
// file, opened with the pure-Go driver modernc.org/sqlite (no cgo), in WAL
// mode, with its schema migrations embedded in the binary.
//
// # Connections
//
// A Store holds two connection pools on the same file. Every write goes
// through the writer pool, which has exactly one connection: SQLite allows
// one writer at a time anyway, and one connection turns waiting for the
// write lock into waiting for the pool, in order. Write transactions start
// with BEGIN IMMEDIATE, so a transaction that reads before it writes can
// never fail to upgrade its lock when another process shares the file.
// Queries go through a separate read pool whose connections are read-only
// (PRAGMA query_only); in WAL mode readers never block the writer nor each
// other. Every connection runs with journal_mode WAL, synchronous NORMAL,
// foreign_keys ON and busy_timeout 5000 ms (WithBusyTimeout changes it).
//
// WriterDB exposes the writer pool so the job queue (River's riversqlite
// driver) can share it and insert jobs in the same transaction as the data
// that causes them. With a single connection, anything issued on the pool
// outside an open transaction waits for that transaction to end: always pass
// the transaction.
//
// The path ":memory:" opens a private in-memory database. Each SQLite
// connection to ":memory:" gets its own empty database, so then one single
// connection serves both writes and queries; it is meant for tests and
// examples. Other paths name a file (created when missing) and must not
// contain '?'.
//
// # Schema
//
// Open does not change the schema unless WithAutoMigrate is given: run
// Migrate (the binary's "wearables migrate up") first. Instants are stored
// as INTEGER unix microseconds in UTC (wearables.TimePrecision), UTC offsets
// as INTEGER seconds or NULL for wearables.NoOffset. Samples live in a
// WITHOUT ROWID table keyed by (user, series type, start, source), which
// serves both the upsert key and the range query; workouts, sleep, daily
// summaries and scores keep their key and query columns next to the
// canonical JSON document of the record. Deleting a user cascades to every
// row of that user.
//
// # Concurrency
//
// A Store is safe for concurrent use by multiple goroutines, and several
// processes may share one database file: writes are serialized by SQLite's
// write lock, waiting up to the busy timeout for it.
package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// MemoryPath is the path that opens a private in-memory database.
const MemoryPath = ":memory:"

// Option configures Open.
type Option func(*config)

type config struct {
	autoMigrate  bool
	maxReadConns int
	busyTimeout  time.Duration
	now          func() time.Time
}

// WithAutoMigrate makes Open apply every pending migration before it
// returns. Without it Open leaves the schema alone: call Migrate, or run the
// binary's "wearables migrate up". Defaults to off.
func WithAutoMigrate() Option { return func(c *config) { c.autoMigrate = true } }

// WithMaxReadConns bounds the read pool to n connections (n ≥ 1). Defaults
// to max(4, GOMAXPROCS). Ignored for ":memory:".
func WithMaxReadConns(n int) Option { return func(c *config) { c.maxReadConns = n } }

// WithBusyTimeout sets how long a connection waits for a lock held by
// another connection or process before failing with SQLITE_BUSY. Defaults to
// 5 seconds.
func WithBusyTimeout(d time.Duration) Option { return func(c *config) { c.busyTimeout = d } }

// WithClock replaces time.Now as the source of the timestamps the store sets
// (CreatedAt, UpdatedAt …) and of the expiry check of auth states. For
// tests. Defaults to time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Store is a wearables.Store on a SQLite database. Create it with Open. It is
// safe for concurrent use.
type Store struct {
	w    *sql.DB // writer pool: one connection, BEGIN IMMEDIATE
	r    *sql.DB // read pool: query_only connections; == w for ":memory:"
	mig  *migrate.Migrator
	now  func() time.Time
	path string
}

// Open opens (creating when missing) the SQLite database at path and checks
// that it answers. The path ":memory:" opens a private in-memory database.
// Open does not migrate unless WithAutoMigrate is given. Errors: a path
// containing '?' or a bad option (matching wearables.ErrInvalid), or the
// database's own error when the file cannot be opened or migrated.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	cfg := config{maxReadConns: max(4, runtime.GOMAXPROCS(0)), busyTimeout: 5 * time.Second, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case path == "" || strings.ContainsRune(path, '?'):
		return nil, fmt.Errorf("sqlitestore: open: %w", &wearables.ValidationError{Index: -1, Field: "path", Reason: fmt.Sprintf("path %q is empty or contains '?'", path)})
	case cfg.maxReadConns < 1 || cfg.busyTimeout < 0 || cfg.now == nil:
		return nil, fmt.Errorf("sqlitestore: open: %w", &wearables.ValidationError{Index: -1, Field: "options", Reason: "read connections must be ≥ 1, busy timeout ≥ 0 and the clock set"})
	}
	pragmas := "_pragma=busy_timeout(" + strconv.FormatInt(cfg.busyTimeout.Milliseconds(), 10) + ")" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
	s := &Store{now: cfg.now, path: path}
	w, err := sql.Open("sqlite", path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s.w, s.r = w, w
	if path != MemoryPath {
		// Create the file and switch it to WAL before readers open it.
		if err := w.PingContext(ctx); err != nil {
			w.Close()
			return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
		}
		r, err := sql.Open("sqlite", path+"?"+pragmas+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("sqlitestore: open: %w", err)
		}
		r.SetMaxOpenConns(cfg.maxReadConns)
		r.SetMaxIdleConns(cfg.maxReadConns)
		s.r = r
	}
	if err := s.r.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	ms, err := migrate.Load(migrationFiles, "migrations")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlitestore: open: %w", err)
	}
	s.mig = &migrate.Migrator{DB: s.w, Dialect: migrate.Dialect{Placeholder: func(int) string { return "?" }}, Migrations: ms}
	if cfg.autoMigrate {
		if _, err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close closes both connection pools. Calls after the first return nil.
func (s *Store) Close() error {
	var err error
	if s.r != s.w {
		err = s.r.Close()
	}
	if e := s.w.Close(); e != nil && err == nil {
		err = e
	}
	if err != nil {
		return fmt.Errorf("sqlitestore: close: %w", err)
	}
	return nil
}

// WriterDB returns the writer pool: one connection, whose transactions begin
// with BEGIN IMMEDIATE. It exists so the job queue can share the store's
// write lock and insert jobs in the same transaction as the data that causes
// them. While a transaction on it is open, every other use of the pool waits
// for that transaction to end: issue statements only on the transaction.
// Closing the Store closes it.
func (s *Store) WriterDB() *sql.DB { return s.w }

// Path returns the path the store was opened with.
func (s *Store) Path() string { return s.path }

// Migrate applies every pending schema migration, each in its own
// transaction recorded in schema_migrations, and returns the versions it
// applied: none when the schema is current.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	v, err := s.mig.Up(ctx)
	if err != nil {
		return v, fmt.Errorf("sqlitestore: migrate up: %w", err)
	}
	return v, nil
}

// MigrateDown rolls back the most recently applied migration and returns its
// version, or 0 when none is applied. Rolling back the first migration drops
// every table and its data.
func (s *Store) MigrateDown(ctx context.Context) (int, error) {
	v, err := s.mig.Down(ctx)
	if err != nil {
		return v, fmt.Errorf("sqlitestore: migrate down: %w", err)
	}
	return v, nil
}

// MigrationStatus lists every migration this binary knows, and any applied
// one it does not, with whether and when it was applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]migrate.Status, error) {
	st, err := s.mig.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: migrate status: %w", err)
	}
	return st, nil
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE) and commits when fn
// returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// readTx runs fn in a read-only transaction on the read pool, so that all
// its queries see one snapshot.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// sqliteCode returns the extended result code of a SQLite error, 0 for other errors.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func isUnique(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func isForeignKey(err error) bool { return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY }

// notFound wraps wearables.ErrNotFound with what was missing.
func notFound(what, id string) error {
	return fmt.Errorf("%s %q: %w", what, id, wearables.ErrNotFound)
}

func invalid(field, format string, args ...any) error {
	return &wearables.ValidationError{Index: -1, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Time and offset encoding.

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullMicros encodes a zero time as NULL.
func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func fromNullMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMicros(n.Int64)
}

func nullOffset(o wearables.Offset) sql.NullInt64 {
	if !o.Known() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(o), Valid: true}
}

func fromNullOffset(n sql.NullInt64) wearables.Offset {
	if !n.Valid {
		return wearables.NoOffset
	}
	return wearables.Offset(n.Int64)
}

// nowUTC is the store clock truncated to the stored precision.
func (s *Store) nowUTC() time.Time { return s.now().UTC().Truncate(wearables.TimePrecision) }

var _ wearables.Store = (*Store)(nil)
