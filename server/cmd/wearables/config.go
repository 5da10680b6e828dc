package main

import (
	"bufio"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// Environment variables read by the binary (and only by it). The README
// documents them in one table.
const (
	envEnv            = "WEARABLES_ENV"             // development (default) | production
	envAddr           = "WEARABLES_ADDR"            // listen address, default :8080
	envPublicURL      = "WEARABLES_PUBLIC_URL"      // default http://localhost:8080
	envEncryptionKeys = "WEARABLES_ENCRYPTION_KEYS" // "id:base64,…", first is primary
	envJWTSecret      = "WEARABLES_JWT_SECRET"      // base64, ≥ 32 bytes
	envKeyFile        = "WEARABLES_KEY_FILE"        // dev-mode generated keys, default ./wearables.keys
	envAdminEmail     = "WEARABLES_ADMIN_EMAIL"     // first-run admin, default admin@localhost
	envAdminPassword  = "WEARABLES_ADMIN_PASSWORD"  // first-run admin password; generated in dev mode
	envCORS           = "WEARABLES_CORS_ORIGINS"    // comma-separated origins
	envDemo           = "WEARABLES_DEMO"            // enable the demo provider: default true in dev, false in production
	envRedisURL       = "REDIS_URL"                 // redis://…: OAuth states and the shared outbound rate limiter
	envLogLevel       = "WEARABLES_LOG_LEVEL"       // debug | info (default) | warn | error
	envRateLimit      = "WEARABLES_RATE_LIMIT"      // requests per second per API key, default 50
	envWorkers        = "WEARABLES_WORKERS"         // job workers per process, default 10
)

// weakPasswords are refused as the admin password in production.
var weakPasswords = map[string]bool{"": true, "admin": true, "password": true, "changeme": true, "wearables": true, "admin123": true}

// settings is the binary's configuration, from flags and environment.
type settings struct {
	production    bool
	addr          string
	publicURL     string
	keyring       string // WEARABLES_ENCRYPTION_KEYS form
	jwtSecret     []byte
	adminEmail    string
	adminPassword string
	cors          []string
	demo          bool
	redisURL      string
	rateLimit     float64
	workers       int
	logLevel      slog.Level
	// demoHistory, when set, is how far back the demo provider's first sync
	// reaches (the demo command).
	demoHistory time.Duration
}

// loadSettings reads the environment. In development a missing encryption
// key or JWT secret is generated into the key file (0600) with a loud log
// line; in production they are required, and a weak admin password or a
// wildcard CORS origin refuses to start (checked by checkProduction).
func loadSettings(log *slog.Logger, needSecrets bool) (*settings, error) {
	s := &settings{
		production: strings.EqualFold(os.Getenv(envEnv), "production"),
		addr:       envOr(envAddr, ":8080"),
		publicURL:  strings.TrimRight(envOr(envPublicURL, "http://localhost:8080"), "/"),
		keyring:    os.Getenv(envEncryptionKeys),
		adminEmail: strings.ToLower(envOr(envAdminEmail, "admin@localhost")),
		redisURL:   os.Getenv(envRedisURL),
		rateLimit:  50,
		workers:    10,
	}
	s.adminPassword = os.Getenv(envAdminPassword)
	s.demo = !s.production
	if v := os.Getenv(envDemo); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%s=%q is not a boolean", envDemo, v)
		}
		s.demo = b
	}
	for o := range strings.SplitSeq(os.Getenv(envCORS), ",") {
		if o = strings.TrimSpace(o); o != "" {
			s.cors = append(s.cors, o)
		}
	}
	if v := os.Getenv(envRateLimit); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%s=%q is not a number", envRateLimit, v)
		}
		s.rateLimit = f
	}
	if v := os.Getenv(envWorkers); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%s=%q is not a number", envWorkers, v)
		}
		s.workers = n
	}
	if err := s.logLevel.UnmarshalText([]byte(envOr(envLogLevel, "info"))); err != nil {
		return nil, fmt.Errorf("%s: %w", envLogLevel, err)
	}
	if v := os.Getenv(envJWTSecret); v != "" {
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(b) < 32 {
			return nil, fmt.Errorf("%s must be base64 of at least 32 bytes", envJWTSecret)
		}
		s.jwtSecret = b
	}
	if !needSecrets {
		return s, nil
	}
	if s.keyring == "" || s.jwtSecret == nil {
		if s.production {
			return nil, fmt.Errorf("production mode: %s and %s are required (generate each with: openssl rand -base64 32)", envEncryptionKeys, envJWTSecret)
		}
		if err := s.devKeys(log, envOr(envKeyFile, "./wearables.keys")); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// checkProduction refuses unsafe production settings.
func (s *settings) checkProduction(bootstrapping bool) error {
	if !s.production {
		return nil
	}
	for _, o := range s.cors {
		if o == "*" {
			return fmt.Errorf("production mode: %s must not contain \"*\"", envCORS)
		}
	}
	if !strings.HasPrefix(s.publicURL, "https://") {
		return fmt.Errorf("production mode: %s must be an https:// URL", envPublicURL)
	}
	if bootstrapping && (weakPasswords[strings.ToLower(s.adminPassword)] || len(s.adminPassword) < 12) {
		return fmt.Errorf("production mode: set %s (at least 12 characters, not a default) for the first admin", envAdminPassword)
	}
	return nil
}

// devKeys loads the dev-mode key file, creating it with fresh keys when it
// does not exist.
func (s *settings) devKeys(log *slog.Logger, path string) error {
	f, err := os.Open(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		enc, jwt := make([]byte, 32), make([]byte, 32)
		_, _ = rand.Read(enc)
		_, _ = rand.Read(jwt)
		body := fmt.Sprintf("# Generated by wearables serve in development mode on %s.\n# Keep it secret; losing it makes stored vendor tokens unreadable.\n%s=dev-%d:%s\n%s=%s\n",
			time.Now().UTC().Format(time.RFC3339), envEncryptionKeys, time.Now().Unix(), base64.StdEncoding.EncodeToString(enc),
			envJWTSecret, base64.StdEncoding.EncodeToString(jwt))
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			return fmt.Errorf("write key file: %w", err)
		}
		log.Warn("!!! DEVELOPMENT MODE: generated a new encryption key and JWT secret into " + path + " (mode 0600). " +
			"Do not use this in production: set WEARABLES_ENV=production with WEARABLES_ENCRYPTION_KEYS and WEARABLES_JWT_SECRET. !!!")
		f, err = os.Open(path)
		if err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("read key file: %w", err)
	default:
		log.Warn("development mode: using the encryption key and JWT secret in " + path)
	}
	defer f.Close()
	return s.readKeyFile(f)
}

func (s *settings) readKeyFile(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		switch k {
		case envEncryptionKeys:
			if s.keyring == "" {
				s.keyring = v
			}
		case envJWTSecret:
			if s.jwtSecret == nil {
				b, err := base64.StdEncoding.DecodeString(v)
				if err != nil || len(b) < 32 {
					return fmt.Errorf("key file: bad %s", envJWTSecret)
				}
				s.jwtSecret = b
			}
		}
	}
	if s.keyring == "" || s.jwtSecret == nil {
		return fmt.Errorf("key file lacks %s or %s", envEncryptionKeys, envJWTSecret)
	}
	return sc.Err()
}

// derive returns a stable secret for a purpose, derived from the JWT secret
// (e.g. the demo vendor's client secret, which signs its tokens).
func (s *settings) derive(purpose string) string {
	m := hmac.New(sha256.New, s.jwtSecret)
	m.Write([]byte(purpose))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// newLogger returns the JSON logger every command uses.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
