// Package pagecursor encodes the opaque pagination cursors the stores hand
// out: the sort key of the last row of a page, as a URL-safe string.
package pagecursor

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/wearables-go/wearables"
)

const sep = "\x1f"

// Encode joins the sort-key parts of the last row of a page into a cursor.
func Encode(parts ...string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1" + sep + strings.Join(parts, sep)))
}

// Decode splits a cursor made by Encode into exactly n parts. A cursor that
// is malformed, of another version or of another shape is an error matching
// wearables.ErrInvalid.
func Decode(cursor string, n int) ([]string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad(cursor)
	}
	parts := strings.Split(string(raw), sep)
	if len(parts) != n+1 || parts[0] != "v1" {
		return nil, bad(cursor)
	}
	return parts[1:], nil
}

func bad(cursor string) error {
	if len(cursor) > 40 {
		cursor = cursor[:40] + "…"
	}
	return &wearables.ValidationError{Index: -1, Field: "Cursor", Reason: fmt.Sprintf("malformed page cursor %q", cursor)}
}

// Limit resolves a query's Limit: 0 means wearables.DefaultPageSize; a
// negative limit or one above wearables.MaxPageSize is an error matching
// wearables.ErrInvalid.
func Limit(limit int) (int, error) {
	switch {
	case limit == 0:
		return wearables.DefaultPageSize, nil
	case limit < 0 || limit > wearables.MaxPageSize:
		return 0, &wearables.ValidationError{Index: -1, Field: "Limit", Reason: fmt.Sprintf("limit %d is outside 1..%d", limit, wearables.MaxPageSize)}
	}
	return limit, nil
}
