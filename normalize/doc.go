// Package normalize holds the vendor-neutral rules that turn what wearable
// vendors send into correct wearables records, and the math that turns
// stored raw records into the views people look at. Vendor packages call
// into it; it never imports a vendor.
//
// # Units
//
// One table-driven registry knows every canonical unit of the series
// catalog and every unit a vendor sends (ms, min, ISO 8601 durations; km,
// mi, mm, ft; kJ, J, Cal; g, lb, st; °F; fractions; mmol/L; Apple's
// "count/min", "mL/min·kg", "mmol<180.15…>/L" …). ToCanonical converts a
// vendor value to its series' canonical unit; AppleToCanonical does the
// same for Apple Health, whose "%" holds fractions. Converter precomputes a
// conversion for hot loops, DurationConverter a time unit's conversion to
// time.Duration. An unknown unit is a *UnitError naming it, never a silent
// 1:1.
//
// # Time
//
// Every parser returns an Instant: the UTC instant and the offset the device
// stamped it with. There is one parser per vendor form: Unix and UnixMilli
// with offsets from OffsetFromSeconds, OffsetFromMinutes and
// OffsetFromQuarterHours (Garmin, Suunto, COROS); ParseNaive for local time
// plus an offset (Polar: UTC = local − offset); ParseRFC3339 and
// ParseWithOffset (Oura, WHOOP, Google); ParseApple; ParseStravaLocal for
// Strava's mislabeled start_date_local; ClockSeries, ClockAfter and
// ClockAnchor (the many keys of one map) for clock-time series that cross
// midnight (Polar). LocalDate, DayBounds and NightBounds answer local-day
// questions in a record's own offset or the user's zone, across DST (a
// spring-forward night is 7 h, a fall-back night 9 h).
//
// # Sleep
//
// StageScheme maps each vendor's stage codes onto wearables.SleepStage;
// OuraPhases, PolarHypnogram, GarminSleepLevels, WithingsSleepStates and
// ExpandSpans (Apple, Google, Fitbit) expand encodings into stage
// intervals, and NormalizeStages resolves overlaps and merges adjacent
// equal stages. Totals, Efficiency, GroupSessions, FillSleep and IsNap (a
// documented nap rule) complete a sleep record.
//
// # Validation and identity
//
// ValidateBatch removes implausible records from a batch — a heart rate of
// 0 or 400, a negative distance, a sleep of 30 h, ranges from the series
// catalog — and returns a wearables.Rejection with a storable reason for
// each, so the rest of the batch proceeds. RecordID makes deterministic ids
// for vendor records without one.
//
// # Merge and resampling
//
// Resample aggregates a series into buckets of a Resolution (1 min to 1
// day) in UTC or a zone, with the catalog's aggregation per type; day
// buckets follow local midnight across DST. Merge resolves overlapping
// sources (a watch and a phone) by the user's SourcePriority settings: per
// bucket the highest-priority source with data supplies the value, sources
// are never summed, and each bucket says which source it came from.
// MergeSleep does the same for sleep sessions. QuerySeries,
// QueryDailyTotals and QuerySleep run these over any store: a store returns
// raw rows, this package does the math.
//
// Everything here is safe for concurrent use unless a type says otherwise
// (ClockSeries). Errors match wearables.ErrInvalid with errors.Is;
// *ParseError and *UnitError carry the details.
package normalize
