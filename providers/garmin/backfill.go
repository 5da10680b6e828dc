package garmin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/wearables-go/wearables"
)

// Backfill errors, matched with errors.Is on the *BackfillError that
// RequestBackfill returns.
var (
	// ErrDuplicateBackfill: Garmin already accepted a backfill of this
	// window for this summary type (HTTP 409). Its data is on its way or
	// has arrived: treat the window as requested. It also matches
	// wearables.ErrConflict.
	ErrDuplicateBackfill = errors.New("garmin: backfill of this window was already requested")
	// ErrNoHistoricalPermission: the user did not grant the app access to
	// historical data (HTTP 403; the consent page's historical data switch
	// is off by default). Retrying does not help until the user connects
	// again with the switch on. It also matches wearables.ErrUnsupported.
	ErrNoHistoricalPermission = errors.New("garmin: the user did not grant historical data export")
)

// BackfillError is a backfill request Garmin refused with 409 (duplicate)
// or 403 (no historical permission). Its chain holds the
// *wearables.ProviderError with the response.
type BackfillError struct {
	DataType   wearables.DataType
	Start, End time.Time
	Err        *wearables.ProviderError
}

func (e *BackfillError) Error() string {
	return fmt.Sprintf("garmin: request backfill %s [%s, %s): %v", e.DataType,
		e.Start.UTC().Format(time.RFC3339), e.End.UTC().Format(time.RFC3339), e.Err)
}

// Unwrap returns the vendor's response.
func (e *BackfillError) Unwrap() error { return e.Err }

// Is matches ErrDuplicateBackfill and wearables.ErrConflict for a 409,
// ErrNoHistoricalPermission and wearables.ErrUnsupported for a 403.
func (e *BackfillError) Is(target error) bool {
	status := 0
	if e.Err != nil {
		status = e.Err.StatusCode
	}
	switch target {
	case ErrDuplicateBackfill, wearables.ErrConflict:
		return status == http.StatusConflict
	case ErrNoHistoricalPermission, wearables.ErrUnsupported:
		return status == http.StatusForbidden
	}
	return false
}

// RequestBackfill asks Garmin to send the summaries of one type measured
// during [start, end) (measurement time, unlike Fetch's upload time).
// Garmin answers 202 at once and delivers the data later through the
// app's PING or PUSH endpoint, as if newly synced; the syncer tracks the
// request per data type until pushes cover it. Windows longer than Garmin
// allows per request (90 days for health summaries, 30 for activities) are
// sent as several requests, oldest first, stopping at the first error.
//
// Errors: a *BackfillError matching ErrDuplicateBackfill
// (wearables.ErrConflict) for a window already requested, or
// ErrNoHistoricalPermission (wearables.ErrUnsupported) when the user did
// not grant historical data; an error matching wearables.ErrUnsupported
// for a data type Garmin cannot backfill (manually updated activities);
// wearables.ErrInvalid for an empty window; other *wearables.ProviderError
// values (401, 429, 5xx …) and transport errors wrapped. It is safe for
// concurrent use.
func (p *Provider) RequestBackfill(ctx context.Context, client *http.Client, dataType wearables.DataType, start, end time.Time) error {
	st, ok := summaryFor(dataType)
	if !ok || st.backfill == "" {
		return fmt.Errorf("garmin: request backfill %q: %w", dataType, wearables.ErrUnsupported)
	}
	if !end.After(start) {
		return fmt.Errorf("garmin: request backfill %s: window [%s, %s) is empty: %w", dataType,
			start.UTC().Format(time.RFC3339), end.UTC().Format(time.RFC3339), wearables.ErrInvalid)
	}
	for cs := start; cs.Before(end); cs = cs.Add(st.maxBackfill) {
		ce := cs.Add(st.maxBackfill)
		if ce.After(end) {
			ce = end
		}
		if err := p.backfill(ctx, client, st, cs, ce); err != nil {
			return err
		}
	}
	return nil
}

func (p *Provider) backfill(ctx context.Context, client *http.Client, st summaryType, start, end time.Time) error {
	q := url.Values{
		"summaryStartTimeInSeconds": {strconv.FormatInt(floorUnix(start), 10)},
		"summaryEndTimeInSeconds":   {strconv.FormatInt(ceilUnix(end), 10)},
	}
	req, err := p.api.NewRequest(ctx, http.MethodGet, st.backfill, q, nil)
	if err != nil {
		return err
	}
	resp, err := p.api.Do(client, "backfill "+st.key, req)
	if err != nil {
		var pe *wearables.ProviderError
		if errors.As(err, &pe) && (pe.StatusCode == http.StatusConflict || pe.StatusCode == http.StatusForbidden) {
			return &BackfillError{DataType: st.dataType, Start: start, End: end, Err: pe}
		}
		return fmt.Errorf("garmin: request backfill %s: %w", st.dataType, err)
	}
	resp.Body.Close()
	return nil
}

var _ wearables.BackfillRequester = (*Provider)(nil)
