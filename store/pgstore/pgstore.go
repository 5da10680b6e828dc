// Package pgstore is the PostgreSQL wearables.Store, built on
// github.com/jmoiron/sqlx and github.com/lib/pq, with its schema migrations
// embedded in the binary. It is the store for production and for several
// processes (servers, sync workers) sharing one database.
//
// # Connecting
//
// Open takes a lib/pq connection string, either a URL
// (postgres://user@host:5432/db?sslmode=verify-full) or key=value pairs
// (host=… dbname=…); PG* environment variables fill in what it leaves out.
// Open always decides sslmode explicitly: an sslmode given in the DSN (or by
// PGSSLMODE) is kept; otherwise it is "disable" when every host is a
// loopback address or "localhost" (or a Unix socket), and "require"
// everywhere else, so a remote database is never reached in clear text by
// accident. Any other parameter lib/pq does not know is sent to the server
// as a run-time setting; search_path=<schema> in the DSN places every table
// of the store in that schema (tests use it to give each store a schema of
// its own).
//
// # Schema
//
// Open does not change the schema unless WithAutoMigrate is given: run
// Migrate (the binary's "wearables migrate up") first. Migrations run in
// transactions serialized by an advisory lock, so several processes may
// migrate at once; running them twice is a no-op.
//
// Instants are timestamptz (microsecond precision, wearables.TimePrecision)
// and read back in UTC; UTC offsets are integer seconds, NULL for
// wearables.NoOffset. Samples live in one table whose primary key (user,
// series type, start, source) is both the upsert key and the index of
// QuerySamples. Workouts, sleep, daily summaries and scores keep their key
// and query columns next to the record's canonical JSON document (package
// batchprep), which is also what decides whether a rewrite is "unchanged".
//
// # Writing
//
// WriteBatch runs in one transaction: it locks the user row, upserts the
// batch's sources and writes the samples on one of two paths. When no stored
// sample lies within the batch's time range (per series type and source) —
// new data, the common case of a sync — they are copied (COPY) straight into
// the samples table, as fast as a raw COPY. Otherwise they are copied into a
// temporary staging table and moved into place with one INSERT … SELECT …
// ON CONFLICT … DO UPDATE … WHERE (values differ), after an anti-join has
// dropped the rows that are stored already, unchanged; so re-writing the same
// data writes nothing. Either path counts inserted, updated and unchanged
// rows exactly. Workouts, sleep, summaries and scores are upserted from
// arrays, one statement per kind. Rows are written in natural-key order
// (package batchprep), so concurrent writers of the same rows lock them in
// the same order and wait for each other instead of deadlocking.
//
// The package's benchmarks (go test -bench . with
// WEARABLES_TEST_POSTGRES_URL set) compare ingest with a raw COPY of the
// same rows, re-ingest with the first ingest, and QuerySamples with the same
// SQL through database/sql.
//
// # Concurrency
//
// A Store is safe for concurrent use by multiple goroutines, and any number
// of processes may share one database. UpdateToken serializes callers per
// connection twice: in-process with a mutex (so waiting goroutines do not
// hold pooled connections) and across processes with SELECT … FOR UPDATE on
// the token row, held while the callback runs.
package pgstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/wearables-go/wearables"
	"github.com/wearables-go/wearables/store/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the advisory lock that serializes migrators: the
// ASCII bytes of "wearmigr".
const migrationLockKey = 0x776561726d696772

// Option configures Open.
type Option func(*config)

type config struct {
	autoMigrate bool
	maxConns    int
	now         func() time.Time
}

// WithAutoMigrate makes Open apply every pending migration before it
// returns. Without it Open leaves the schema alone: call Migrate, or run the
// binary's "wearables migrate up". Defaults to off.
func WithAutoMigrate() Option { return func(c *config) { c.autoMigrate = true } }

// WithMaxConns bounds the connection pool to n connections (n ≥ 1); idle
// connections are kept up to the same number. Defaults to 20.
func WithMaxConns(n int) Option { return func(c *config) { c.maxConns = n } }

// WithClock replaces time.Now as the source of the timestamps the store sets
// (CreatedAt, UpdatedAt …) and of the expiry check of auth states. For
// tests. Defaults to time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Store is a wearables.Store on a PostgreSQL database. Create it with Open.
// It is safe for concurrent use.
type Store struct {
	db         *sqlx.DB
	mig        *migrate.Migrator
	now        func() time.Time
	tokenLocks keyedMutex
}

// Open connects to the PostgreSQL database named by dsn and checks that it
// answers. See the package documentation for how sslmode is chosen. Open
// does not migrate unless WithAutoMigrate is given. Errors: a malformed DSN
// or a bad option (matching wearables.ErrInvalid), or the driver's error
// when the database cannot be reached or migrated.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg := config{maxConns: 20, now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxConns < 1 || cfg.now == nil {
		return nil, fmt.Errorf("pgstore: open: %w", &wearables.ValidationError{Index: -1, Field: "options", Reason: "max connections must be ≥ 1 and the clock set"})
	}
	pcfg, err := pq.NewConfig(dsn)
	if err != nil {
		// A URL parse error quotes the whole URL, password included.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("pgstore: open: %w", &wearables.ValidationError{Index: -1, Field: "dsn", Reason: err.Error()})
	}
	pcfg.SSLMode = sslMode(pcfg)
	connector, err := pq.NewConnectorConfig(pcfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", &wearables.ValidationError{Index: -1, Field: "dsn", Reason: err.Error()})
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(cfg.maxConns)
	db.SetMaxIdleConns(cfg.maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	ms, err := migrate.Load(migrationFiles, "migrations")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	s := &Store{
		db:  sqlx.NewDb(db, "postgres"),
		now: cfg.now,
		mig: &migrate.Migrator{
			DB: db,
			Dialect: migrate.Dialect{
				Placeholder: func(n int) string { return fmt.Sprintf("$%d", n) },
				LockSQL:     fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey),
			},
			Migrations: ms,
		},
	}
	if cfg.autoMigrate {
		if _, err := s.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return s, nil
}

// sslMode returns the sslmode to connect with: the configured one when the
// DSN or PGSSLMODE set it, otherwise "disable" for loopback hosts and Unix
// sockets and "require" for anything else.
func sslMode(cfg pq.Config) pq.SSLMode {
	if cfg.SSLMode != "" {
		return cfg.SSLMode
	}
	hosts := []struct {
		host string
		addr netip.Addr
	}{{cfg.Host, cfg.Hostaddr}}
	for _, m := range cfg.Multi {
		hosts = append(hosts, struct {
			host string
			addr netip.Addr
		}{m.Host, m.Hostaddr})
	}
	for _, h := range hosts {
		if !isLocal(h.host, h.addr) {
			return pq.SSLModeRequire
		}
	}
	return pq.SSLModeDisable
}

// isLocal reports whether a host (or, when set, its address) is on this
// machine: a loopback address, "localhost" or a Unix socket.
func isLocal(host string, addr netip.Addr) bool {
	if addr.IsValid() {
		return addr.IsLoopback()
	}
	if host == "" || strings.EqualFold(host, "localhost") || filepath.IsAbs(host) || strings.HasPrefix(host, "@") {
		return true
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && a.IsLoopback()
}

// Close closes the connection pool.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("pgstore: close: %w", err)
	}
	return nil
}

// DB returns the store's connection pool, so the job queue (River's
// riverdatabasesql driver) can share it and insert jobs in the same
// transaction as the data that causes them; its connections count against
// WithMaxConns. Closing the Store closes it.
func (s *Store) DB() *sql.DB { return s.db.DB }

// Migrate applies every pending schema migration, each in its own
// transaction recorded in schema_migrations, and returns the versions it
// applied: none when the schema is current. Concurrent migrators (in any
// process) wait for each other on an advisory lock.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	v, err := s.mig.Up(ctx)
	if err != nil {
		return v, fmt.Errorf("pgstore: migrate up: %w", err)
	}
	return v, nil
}

// MigrateDown rolls back the most recently applied migration and returns its
// version, or 0 when none is applied. Rolling back the first migration drops
// every table and its data.
func (s *Store) MigrateDown(ctx context.Context) (int, error) {
	v, err := s.mig.Down(ctx)
	if err != nil {
		return v, fmt.Errorf("pgstore: migrate down: %w", err)
	}
	return v, nil
}

// MigrationStatus lists every migration this binary knows, and any applied
// one it does not, with whether and when it was applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]migrate.Status, error) {
	st, err := s.mig.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("pgstore: migrate status: %w", err)
	}
	return st, nil
}

// inTx runs fn in a transaction and commits when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	// Rolls back when fn fails or panics (a panicking UpdateToken callback
	// must not leave the token row locked); a no-op after Commit.
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// inConnTx is inTx on a connection taken from the pool.
func inConnTx(ctx context.Context, conn *sqlx.Conn, fn func(tx *sqlx.Tx) error) error {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // see inTx
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// pqCode returns the SQLSTATE of a PostgreSQL error, "" for other errors.
func pqCode(err error) pqerror.Code {
	var e *pq.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func isUnique(err error) bool     { return pqCode(err) == pqerror.UniqueViolation }
func isForeignKey(err error) bool { return pqCode(err) == pqerror.ForeignKeyViolation }

// notFound wraps wearables.ErrNotFound with what was missing.
func notFound(what, id string) error {
	return fmt.Errorf("%s %q: %w", what, id, wearables.ErrNotFound)
}

func invalid(field, format string, args ...any) error {
	return &wearables.ValidationError{Index: -1, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// nowUTC is the store clock truncated to the stored precision.
func (s *Store) nowUTC() time.Time { return s.now().UTC().Truncate(wearables.TimePrecision) }

// Encoding of optional values. lib/pq sends nil as NULL.

// ts returns t as stored: in UTC, truncated to wearables.TimePrecision
// (PostgreSQL would round instead).
func ts(t time.Time) time.Time { return t.UTC().Truncate(wearables.TimePrecision) }

// nullTime encodes a zero time as NULL, others as ts does.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// fromNullTime decodes a nullable timestamptz, in UTC.
func fromNullTime(n sql.NullTime) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return n.Time.UTC()
}

// nullOffset encodes NoOffset as NULL.
func nullOffset(o wearables.Offset) any {
	if !o.Known() {
		return nil
	}
	return int64(o)
}

func fromNullOffset(n sql.NullInt32) wearables.Offset {
	if !n.Valid {
		return wearables.NoOffset
	}
	return wearables.Offset(n.Int32)
}

var _ wearables.Store = (*Store)(nil)
