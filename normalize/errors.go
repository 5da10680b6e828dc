package normalize

import (
	"strconv"

	"github.com/wearables-go/wearables"
)

// maxQuoted bounds how much of an offending input an error message repeats.
const maxQuoted = 64

func quote(s string) string {
	if len(s) > maxQuoted {
		s = s[:maxQuoted] + "…"
	}
	return strconv.Quote(s)
}

// ParseError reports vendor input that could not be parsed: a time, an
// offset, a duration, a sleep-stage code. It matches wearables.ErrInvalid
// with errors.Is.
type ParseError struct {
	What   string // what was being parsed: "time", "offset", "duration", "stage" …
	Input  string // the offending input
	Reason string // why it was refused, safe to store and show
}

func (e *ParseError) Error() string {
	return "normalize: parse " + e.What + " " + quote(e.Input) + ": " + e.Reason
}

// Is reports whether target is wearables.ErrInvalid.
func (e *ParseError) Is(target error) bool { return target == wearables.ErrInvalid }

func parseErr(what, input, reason string) error {
	return &ParseError{What: what, Input: input, Reason: reason}
}

// UnitError reports a unit the registry does not know, or a conversion
// between units that measure different things (kg to km). It names the unit
// and matches wearables.ErrInvalid with errors.Is. The registry never
// converts an unknown unit 1:1.
type UnitError struct {
	Unit   string // the offending unit as given
	To     string // the target unit of a conversion; empty for a lookup
	Reason string
}

func (e *UnitError) Error() string {
	msg := "normalize: unit " + quote(e.Unit)
	if e.To != "" {
		msg += " to " + quote(e.To)
	}
	return msg + ": " + e.Reason
}

// Is reports whether target is wearables.ErrInvalid.
func (e *UnitError) Is(target error) bool { return target == wearables.ErrInvalid }
