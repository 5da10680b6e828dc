package oauthflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wearables-go/wearables"
)

// MissingKeysError says that stored tokens reference key ids the keyring
// does not hold: those tokens cannot be decrypted. It matches ErrUnknownKey
// (and so ErrDecrypt).
type MissingKeysError struct {
	// Rows maps each missing key id to the number of tokens it wraps.
	Rows map[string]int
}

func (e *MissingKeysError) Error() string {
	total := 0
	ids := make([]string, 0, len(e.Rows))
	for id, n := range e.Rows {
		total += n
		ids = append(ids, id)
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Quote(id) + ": " + strconv.Itoa(e.Rows[id])
	}
	return "oauthflow: " + strconv.Itoa(total) + " stored tokens reference key ids that are not loaded (" +
		strings.Join(parts, ", ") + "); add those keys to the keyring as older keys"
}

// Is reports whether target is ErrUnknownKey or ErrDecrypt.
func (e *MissingKeysError) Is(target error) bool {
	return target == ErrUnknownKey || target == ErrDecrypt
}

// CheckKeys verifies that every stored token is wrapped by a key the keyring
// holds. Call it at start-up and refuse to start on error: it returns a
// *MissingKeysError naming the missing key ids and how many rows each wraps,
// or a store error.
func CheckKeys(ctx context.Context, tokens wearables.TokenStore, kr *Keyring) error {
	counts, err := tokens.CountTokensByKey(ctx)
	if err != nil {
		return fmt.Errorf("oauthflow: check keys: %w", err)
	}
	missing := map[string]int{}
	for id, n := range counts {
		if n > 0 && !kr.Has(id) {
			missing[id] = n
		}
	}
	if len(missing) > 0 {
		return &MissingKeysError{Rows: missing}
	}
	return nil
}

// RewrapOptions tunes RewrapTokens.
type RewrapOptions struct {
	// BatchSize is how many tokens are listed per page. Defaults to 100.
	BatchSize int
	// Progress, when set, is called after each page with the totals so far.
	Progress func(RewrapResult)
}

// RewrapResult counts what RewrapTokens did.
type RewrapResult struct {
	Rewrapped int // tokens moved to the primary key by this run
	Skipped   int // tokens already on the primary key, or deleted, by the time their lock was taken
}

// RewrapTokens moves every stored token that is not wrapped by the
// keyring's primary key onto it, one token at a time under the token lock
// (so it runs safely beside brokers refreshing the same tokens). Only the
// data key is re-wrapped; tokens are never decrypted.
//
// It is resumable: progress is the stored rows themselves, so after an
// interruption (a cancelled ctx, a crash) running it again picks up the
// tokens still on older keys. It first runs CheckKeys and does nothing when
// a referenced key is missing. Every process that writes tokens must already
// have the new keyring, or it would keep writing tokens under the old
// primary key. Returns what was done so far with any error.
func RewrapTokens(ctx context.Context, tokens wearables.TokenStore, kr *Keyring, opts RewrapOptions) (RewrapResult, error) {
	var res RewrapResult
	if err := CheckKeys(ctx, tokens, kr); err != nil {
		return res, err
	}
	limit := opts.BatchSize
	if limit <= 0 {
		limit = 100
	}
	primary := kr.PrimaryID()
	cursor := ""
	for {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("oauthflow: rewrap tokens: %w", err)
		}
		page, err := tokens.ListTokens(ctx, wearables.TokenQuery{NotKeyID: primary, Cursor: cursor, Limit: limit})
		if err != nil {
			return res, fmt.Errorf("oauthflow: rewrap tokens: %w", err)
		}
		for _, listed := range page.Items {
			if err := ctx.Err(); err != nil {
				return res, fmt.Errorf("oauthflow: rewrap tokens: %w", err)
			}
			moved := false
			err := tokens.UpdateToken(ctx, listed.ConnectionID, func(_ context.Context, cur wearables.EncryptedToken) (wearables.TokenUpdate, error) {
				moved = false
				if cur.KeyID == primary {
					return wearables.TokenUpdate{}, nil
				}
				re, err := kr.Rewrap(cur)
				if err != nil {
					return wearables.TokenUpdate{}, err
				}
				moved = true
				return wearables.TokenUpdate{Token: &re}, nil
			})
			switch {
			case errors.Is(err, wearables.ErrNotFound):
				res.Skipped++ // deleted meanwhile
			case err != nil:
				return res, fmt.Errorf("oauthflow: rewrap token of connection %s: %w", listed.ConnectionID, err)
			case moved:
				res.Rewrapped++
			default:
				res.Skipped++
			}
		}
		if opts.Progress != nil {
			opts.Progress(res)
		}
		if page.Next == "" {
			return res, nil
		}
		cursor = page.Next
	}
}
