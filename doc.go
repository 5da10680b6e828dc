// Package wearables is the shared vocabulary of the wearables module: the
// domain types (users, connections, sources, samples, workouts, sleep,
// daily summaries, scores), the stable catalogs (series types, workout
// types, sleep stages), the errors, the Provider strategy interface with its
// optional capabilities, and the store role interfaces.
//
// Every other package of the module depends on this one; it imports none of
// them. Vendor packages under providers/ map their payloads onto these types,
// package normalize holds the vendor-neutral rules (units, time zones, sleep
// stages, validation, merge, resampling), package oauthflow handles tokens,
// and the stores under store/ (memstore, sqlitestore, pgstore) keep
// everything behind the Store interfaces.
//
// # Units and time
//
// Values are stored in the canonical unit of their series type (seconds,
// meters, kcal, kg, bpm, ms for HRV, % for SpO2 and body fat, °C, mg/dL).
// Instants are UTC, kept with microsecond precision (TimePrecision), and
// each record keeps the UTC offset its device stamped it with (Offset), or
// NoOffset when the vendor gave none; then the user's TimeZone answers
// local-day questions.
//
// # Identity
//
// Samples are unique per (source, series type, start); workouts, sleep and
// scores per (source, provider record id); daily summaries per (source, kind,
// date). Every write is an upsert on that key, so writing the same data twice
// changes nothing.
//
// # Errors
//
// Errors match the sentinels ErrNotFound, ErrUnauthorized, ErrRateLimited,
// ErrUnsupported, ErrConflict and ErrInvalid with errors.Is; *ValidationError
// and *ProviderError carry details and are reached with errors.As.
package wearables

import "time"

// TimePrecision is the precision stores keep instants at: PostgreSQL's.
// Every store truncates instants to it on write, so all stores agree.
const TimePrecision = time.Microsecond
